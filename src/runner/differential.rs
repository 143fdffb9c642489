//! `kubeplay diff-backends`: one scenario run on the simulator and on a
//! real cluster, compared step by step through their normalised
//! transcripts ([`crate::matching::Bindings::normalize`] puts placeholders
//! for generated names, ages, IPs and other volatile tokens, the same way
//! on both backends), so what differs is what either side printed
//! differently (DESIGN §7).

use similar::{ChangeTag, TextDiff};

use super::report::ScenarioReport;

/// One step of a normalised transcript: the command line and what it
/// printed (status line included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptStep {
    /// The command as run (`kubectl get pods`).
    pub command: String,
    /// `? N` when non-zero, then the normalised output.
    pub output: String,
}

/// How one step compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepComparison {
    /// Both backends printed the same normalised text.
    Identical,
    /// They differ: a unified diff, simulator (`-`) against real cluster (`+`).
    Different(String),
    /// One side did not run it (skipped, unsupported, or the scenario had
    /// stopped before): why.
    NotCompared(String),
}

/// One step of a scenario's comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparedStep {
    /// The command as run (the simulator's, or the real run's when the
    /// simulator's had stopped).
    pub command: String,
    /// How the two compared.
    pub comparison: StepComparison,
    /// What the simulator printed (normalised), when it recorded the step.
    pub simulator: Option<String>,
    /// What the real cluster printed (normalised), when it recorded the step.
    pub real: Option<String>,
}

/// A scenario's comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Each step of the longer transcript, in order.
    pub steps: Vec<ComparedStep>,
}

impl Comparison {
    /// (compared, identical, different, not compared).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let identical =
            self.steps.iter().filter(|s| matches!(s.comparison, StepComparison::Identical)).count();
        let different = self
            .steps
            .iter()
            .filter(|s| matches!(s.comparison, StepComparison::Different(_)))
            .count();
        (identical + different, identical, different, self.steps.len() - identical - different)
    }
}

/// Splits a transcript (as the engine records it: `$ LINE`, an optional
/// `? N`, the output, a blank line) into steps. A line starting with `$ `
/// starts a step: kubectl prints none at the start of a line.
pub fn steps(transcript: &str) -> Vec<TranscriptStep> {
    let mut steps: Vec<TranscriptStep> = Vec::new();
    for line in transcript.split_inclusive('\n') {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(TranscriptStep {
                command: command.trim_end_matches('\n').to_owned(),
                output: String::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            step.output.push_str(line);
        }
    }
    for step in &mut steps {
        // The blank line that separates steps is the transcript's, not the
        // command's.
        let trimmed = step.output.trim_end_matches('\n').len();
        step.output.truncate(trimmed);
    }
    steps
}

/// Why a recorded step was not run, from its transcript entry.
fn not_run(step: &TranscriptStep) -> Option<&str> {
    let out = step.output.trim();
    // `[error: ...]`: the step could not run to its end (on a real cluster,
    // kubectl cut off at the step's time limit): nothing to compare.
    (out.starts_with("[skipped: ")
        || out.starts_with("[unsupported: ")
        || out.starts_with("[error: "))
    .then(|| out.trim_start_matches('[').trim_end_matches(']'))
}

/// The class of a not-compared step's reason, for the totals: why the
/// step could not be compared, in a few words.
pub fn not_compared_class(why: &str) -> &'static str {
    let classes = [
        ("needs a real kubelet", "needs a kubelet (kwok's nodes have none)"),
        ("simulator directive", "simulator directive (`kubeplay ...`)"),
        ("host step", "host step on a cluster machine"),
        ("background job", "tutorial-shell background job"),
        ("answers from the simulator's network", "simulated network client (curl, wget)"),
        ("unsupported:", "unsupported by kubeplay"),
        ("did not finish within", "cut off at the step's time limit (--max-wait)"),
        ("error:", "the step could not run"),
        ("skipped:", "skipped by the scenario"),
        ("diverged", "the runs diverged"),
        ("had stopped", "one run had stopped"),
    ];
    classes.iter().find(|(key, _)| why.contains(key)).map_or("other", |(_, class)| class)
}

/// Compares the two runs of one scenario.
pub fn compare(sim: &ScenarioReport, real: &ScenarioReport) -> Comparison {
    let (a, b) = (steps(&sim.transcript), steps(&real.transcript));
    let mut out = Vec::new();
    for i in 0..a.len().max(b.len()) {
        let comparison = match (a.get(i), b.get(i)) {
            (Some(s), Some(r)) if s.command != r.command => StepComparison::NotCompared(format!(
                "the runs diverged: simulator ran `{}`, real cluster `{}`",
                s.command, r.command
            )),
            (Some(s), Some(r)) => match (not_run(s), not_run(r)) {
                (Some(why), _) => StepComparison::NotCompared(format!("simulator: {why}")),
                (_, Some(why)) => StepComparison::NotCompared(format!("real cluster: {why}")),
                _ if s.output == r.output => StepComparison::Identical,
                _ => StepComparison::Different(unified(&s.output, &r.output)),
            },
            (Some(_), None) => {
                StepComparison::NotCompared("the real cluster's run had stopped".into())
            }
            (None, _) => StepComparison::NotCompared("the simulator's run had stopped".into()),
        };
        let command = a.get(i).or(b.get(i)).map(|s| s.command.clone()).unwrap_or_default();
        out.push(ComparedStep {
            command,
            comparison,
            simulator: a.get(i).map(|s| s.output.clone()),
            real: b.get(i).map(|s| s.output.clone()),
        });
    }
    Comparison { steps: out }
}

/// Lines only the simulator printed (`-`), only the real cluster (`+`),
/// and the rest (` `).
fn unified(sim: &str, real: &str) -> String {
    let diff = TextDiff::from_lines(sim, real);
    let mut text = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            ChangeTag::Delete => '-',
            ChangeTag::Insert => '+',
            ChangeTag::Equal => ' ',
        };
        text.push(sign);
        text.push_str(change.value().trim_end_matches('\n'));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::runner::report::Outcome;

    fn report(transcript: &str) -> ScenarioReport {
        let mut r = ScenarioReport::not_run(PathBuf::from("t.md"), Outcome::Passed);
        r.transcript = transcript.to_owned();
        r
    }

    #[test]
    fn transcripts_split_into_steps() {
        let s = steps("$ kubectl get pods\nNAME\n\nweb\n\n$ kubectl get x\n? 1\nerror\n\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].output, "NAME\n\nweb");
        assert_eq!(s[1].output, "? 1\nerror");
    }

    #[test]
    fn steps_compare_identical_different_and_not_run() {
        let sim =
            report("$ a\nsame\n\n$ b\nv1.35.4\n\n$ c\n[skipped: needs a kubelet]\n\n$ d\nx\n\n");
        let real = report("$ a\nsame\n\n$ b\nkwok-v0.8.0\n\n$ c\nlogs\n\n");
        let c = compare(&sim, &real);
        assert_eq!(c.steps[0].comparison, StepComparison::Identical);
        assert_eq!(
            c.steps[1].comparison,
            StepComparison::Different("-v1.35.4\n+kwok-v0.8.0\n".into())
        );
        assert_eq!(c.steps[1].simulator.as_deref(), Some("v1.35.4"));
        assert_eq!(c.steps[1].real.as_deref(), Some("kwok-v0.8.0"));
        assert!(
            matches!(&c.steps[2].comparison, StepComparison::NotCompared(w) if w.contains("kubelet"))
        );
        assert!(
            matches!(&c.steps[3].comparison, StepComparison::NotCompared(w) if w.contains("stopped"))
        );
        assert_eq!(
            (c.steps[3].simulator.as_deref(), c.steps[3].real.as_deref()),
            (Some("x"), None)
        );
        assert_eq!(c.counts(), (2, 1, 1, 2));
    }

    #[test]
    fn a_step_cut_off_on_one_side_is_not_compared_and_says_why() {
        let sim = report("$ kubectl get pods\nNAME\n\n");
        let real = report(
            "$ kubectl get pods\n[error: kubectl get pods did not finish within the step's timeout (5s) and was stopped]\n\n",
        );
        let c = compare(&sim, &real);
        let StepComparison::NotCompared(why) = &c.steps[0].comparison else { panic!("{c:?}") };
        assert_eq!(not_compared_class(why), "cut off at the step's time limit (--max-wait)");
        assert_eq!(c.counts(), (0, 0, 0, 1));
    }
}
