//! The machine-readable report of `kubeplay diff-backends` (`--format
//! json`, `--report FILE`): one JSON document with every step of every
//! scenario — its command, where the scenario file has it, whether the two
//! backends printed the same, and both normalised outputs — and the
//! totals, so the tables of docs/differential.md are a script's job.
//!
//! Shape (`"format": "kubeplay-diff-backends/1"`; docs/differential.md
//! describes each field):
//!
//! ```text
//! {"format", "summary": {"scenarios", "steps", "compared", "identical",
//!   "different", "not_compared", "not_compared_by_class": {CLASS: N}},
//!  "scenarios": [{"path", "simulator", "real_cluster", "compared",
//!   "identical", "different", "not_compared",
//!   "steps": [{"number", "command", "location", "status", "reason",
//!     "class", "simulator_output", "real_output", "diff"}]}]}
//! ```

use std::{collections::BTreeMap, path::Path};

use serde_json::{Value, json};

use super::{
    differential::{Comparison, StepComparison, not_compared_class},
    formats::status_word,
    report::ScenarioReport,
};
use crate::scenario::{self, StepKind};

/// The `format` field; bumped on incompatible changes.
pub const FORMAT: &str = "kubeplay-diff-backends/1";

/// One scenario run on both backends, compared.
pub struct ScenarioDiff<'a> {
    /// The simulator's run.
    pub simulator: &'a ScenarioReport,
    /// The real cluster's run.
    pub real: &'a ScenarioReport,
    /// Their step-by-step comparison.
    pub comparison: &'a Comparison,
}

/// The whole report, pretty-printed and newline-terminated.
pub fn json(scenarios: &[ScenarioDiff<'_>]) -> String {
    let mut totals = Totals::default();
    let mut documents = Vec::new();
    for diff in scenarios {
        totals.add(diff.comparison);
        documents.push(scenario_json(diff));
    }
    let not_compared: usize = totals.not_compared.values().sum();
    let doc = json!({
        "format": FORMAT,
        "summary": {
            "scenarios": scenarios.len(),
            "steps": totals.compared + not_compared,
            "compared": totals.compared,
            "identical": totals.identical,
            "different": totals.different,
            "not_compared": not_compared,
            "not_compared_by_class": totals.not_compared,
        },
        "scenarios": documents,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("a JSON value serialises");
    text.push('\n');
    text
}

/// One scenario's block of the human report: its summary line, then each
/// step that differs (with its diff) or was not compared (with why).
pub fn human(diff: &ScenarioDiff<'_>) -> String {
    let (s, r, comparison) = (diff.simulator, diff.real, diff.comparison);
    let (c, i, d, n) = comparison.counts();
    let mut text = format!(
        "{}  (simulator: {}, real cluster: {}; {c} steps compared, {i} identical, {d} different, {n} not compared)\n",
        s.path.display(),
        s.outcome.label(),
        r.outcome.label(),
    );
    for (number, step) in comparison.steps.iter().enumerate() {
        let command = &step.command;
        match &step.comparison {
            StepComparison::Identical => {}
            StepComparison::Different(diff) => {
                text.push_str(&format!("  step {} differs: $ {command}\n", number + 1));
                for line in diff.lines() {
                    text.push_str(&format!("    {line}\n"));
                }
            }
            StepComparison::NotCompared(why) => {
                text.push_str(&format!(
                    "  step {} not compared ({why}): $ {command}\n",
                    number + 1
                ));
            }
        }
    }
    text
}

/// The step counts of a run, added up scenario by scenario.
#[derive(Debug, Default)]
pub struct Totals {
    /// Steps both sides printed.
    pub compared: usize,
    /// Of those, the same.
    pub identical: usize,
    /// Of those, different.
    pub different: usize,
    /// Steps either side did not print, by class of reason.
    pub not_compared: BTreeMap<&'static str, usize>,
}

impl Totals {
    /// Adds one scenario's comparison.
    pub fn add(&mut self, comparison: &Comparison) {
        let (c, i, d, _) = comparison.counts();
        self.compared += c;
        self.identical += i;
        self.different += d;
        for step in &comparison.steps {
            if let StepComparison::NotCompared(why) = &step.comparison {
                *self.not_compared.entry(not_compared_class(why)).or_default() += 1;
            }
        }
    }

    /// The human report's last lines.
    pub fn human(&self, scenarios: usize) -> String {
        let not_compared: usize = self.not_compared.values().sum();
        let mut text = format!(
            "\n{scenarios} scenarios: {} steps compared, {} identical, {} different, {not_compared} not compared\n",
            self.compared, self.identical, self.different
        );
        for (class, count) in &self.not_compared {
            text.push_str(&format!("  not compared, {class}: {count}\n"));
        }
        text
    }
}

fn scenario_json(diff: &ScenarioDiff<'_>) -> Value {
    let path = &diff.simulator.path;
    let mut lines = command_lines(path).into_iter();
    let (c, i, d, n) = diff.comparison.counts();
    let steps: Vec<Value> = diff
        .comparison
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| {
            // The transcript holds the commands in the file's order; the
            // next command of the file with this text is this step's.
            let location = lines
                .by_ref()
                .find(|(command, _)| *command == step.command)
                .map(|(_, line)| format!("{}:{line}", path.display()));
            let (status, reason, diff) = match &step.comparison {
                StepComparison::Identical => ("identical", None, None),
                StepComparison::Different(diff) => ("different", None, Some(diff.as_str())),
                StepComparison::NotCompared(why) => ("not-compared", Some(why.as_str()), None),
            };
            json!({
                "number": index + 1,
                "command": step.command,
                "location": location,
                "status": status,
                "reason": reason,
                "class": reason.map(not_compared_class),
                "simulator_output": step.simulator,
                "real_output": step.real,
                "diff": diff,
            })
        })
        .collect();
    json!({
        "path": path.display().to_string(),
        "simulator": status_word(&diff.simulator.outcome),
        "real_cluster": status_word(&diff.real.outcome),
        "compared": c,
        "identical": i,
        "different": d,
        "not_compared": n,
        "steps": steps,
    })
}

/// The scenario's commands in file order, as transcripts record them (the
/// first line of each), with the line each starts on; empty when the file
/// no longer loads.
fn command_lines(path: &Path) -> Vec<(String, usize)> {
    let Ok(scenario) = scenario::load(path) else { return Vec::new() };
    scenario
        .steps
        .iter()
        .filter_map(|step| match &step.kind {
            StepKind::Run(c) => {
                Some((c.line.lines().next().unwrap_or_default().to_owned(), step.span.line))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::runner::{differential::compare, report::Outcome};

    fn report(path: &Path, transcript: &str) -> ScenarioReport {
        let mut r = ScenarioReport::not_run(path.to_owned(), Outcome::Passed);
        r.transcript = transcript.to_owned();
        r
    }

    /// Every step is reported with its file line, status and both outputs,
    /// and the summary adds the scenarios' counts up.
    #[test]
    fn the_report_names_each_step_with_its_line_and_both_outputs() {
        let dir = std::env::temp_dir().join(format!("kubeplay-diff-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path: PathBuf = dir.join("s.md");
        std::fs::write(
            &path,
            "# t\n\n```console\n$ kubectl get pods\nx\n$ kubeplay advance 1s\n$ kubectl get ns\ny\n```\n",
        )
        .unwrap();
        let sim = report(
            &path,
            "$ kubectl get pods\nNAME\n\n$ kubeplay advance 1s\n[skipped: simulator directive]\n\n$ kubectl get ns\na\n\n",
        );
        let real = report(
            &path,
            "$ kubectl get pods\nNAME\n\n$ kubeplay advance 1s\n[skipped: simulator directive]\n\n$ kubectl get ns\nb\n\n",
        );
        let comparison = compare(&sim, &real);
        let doc: Value = serde_json::from_str(&json(&[ScenarioDiff {
            simulator: &sim,
            real: &real,
            comparison: &comparison,
        }]))
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(doc["format"], FORMAT);
        let summary = &doc["summary"];
        assert_eq!(
            (&summary["steps"], &summary["compared"], &summary["identical"], &summary["different"]),
            (&json!(3), &json!(2), &json!(1), &json!(1))
        );
        assert_eq!(summary["not_compared_by_class"]["simulator directive (`kubeplay ...`)"], 1);
        let steps = &doc["scenarios"][0]["steps"];
        let at = |line: usize| format!("{}:{line}", path.display());
        assert_eq!(steps[0]["location"], at(4));
        assert_eq!(steps[0]["status"], "identical");
        assert_eq!(steps[1]["status"], "not-compared");
        assert_eq!(steps[1]["class"], "simulator directive (`kubeplay ...`)");
        assert_eq!(steps[2]["location"], at(7));
        assert_eq!(steps[2]["status"], "different");
        assert_eq!(
            (&steps[2]["simulator_output"], &steps[2]["real_output"]),
            (&json!("a"), &json!("b"))
        );
        assert_eq!(steps[2]["diff"], "-a\n+b\n");
    }
}
