//! The engine: replays a scenario's steps on a backend, checking each output
//! "eventually" (DESIGN.md §4) and threading bindings through (§3).

use std::time::{Duration, Instant};

use super::progress::Position;
use super::{
    bless::UpdateMode,
    report::{Limitation, Observed, Outcome, ScenarioReport, StepFailure},
};
use crate::{
    backend::{Backend, ReadFingerprint},
    matching::{self, Bindings},
    scenario::{Command, Expected, ExpectedStatus, MatchMode, Scenario, Step, StepKind},
    shell::Shell,
};

/// Settings for a run, resolved once at the edge (CLI or test harness).
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Per-step "eventually" timeout when the scenario sets none.
    pub default_timeout: Duration,
    /// Safety net: most backend steps one command may take before giving up
    /// (a simulator that never settles must not hang a run).
    pub max_advances: usize,
    /// Check expectations, or rewrite failing ones (`--bless`).
    pub update: UpdateMode,
    /// Where each running scenario is, for the CLI's progress line.
    pub progress: Option<std::sync::Arc<super::progress::Progress>>,
    /// Go on after a step fails or is unsupported, recording every later
    /// step too (differential runs: a difference on one backend must not
    /// hide the steps after it). The outcome is still the first stop's.
    pub keep_going: bool,
    /// The longest any step waits, whatever the scenario asks
    /// (differential runs on a real clock).
    pub max_step_timeout: Option<Duration>,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            default_timeout: Duration::from_secs(15 * 60),
            max_advances: 100_000,
            update: UpdateMode::Verify,
            progress: None,
            keep_going: false,
            max_step_timeout: None,
        }
    }
}

/// Runs one scenario to completion on `backend`.
pub fn run_scenario(
    scenario: &Scenario,
    backend: &mut dyn Backend,
    config: &RunConfig,
) -> ScenarioReport {
    run_scenario_traced(scenario, backend, config).report
}

/// A report, plus how the failing step (if any) was matched: `--bless`
/// needs it to write the actual output back in the tutorial's own names.
#[derive(Debug, Clone)]
pub struct Traced {
    /// The scenario's report.
    pub report: ScenarioReport,
    /// How the failing step was checked.
    pub failure: Option<FailureContext>,
}

/// How a failing step's output was checked.
#[derive(Debug, Clone)]
pub struct FailureContext {
    /// The bindings in force.
    pub bindings: Bindings,
    /// The match mode used (a blocking command's output is a subsequence).
    pub mode: MatchMode,
}

/// [`run_scenario`], keeping the failing step's bindings.
pub fn run_scenario_traced(
    scenario: &Scenario,
    backend: &mut dyn Backend,
    config: &RunConfig,
) -> Traced {
    let started = Instant::now();
    let mut run = Run {
        shell: Shell::default(),
        bindings: Bindings::default(),
        transcript: String::new(),
        steps_run: 0,
        steps_skipped: 0,
        failure: None,
        number: 0,
        path: scenario.path.clone(),
        total: scenario.checked_steps().count(),
    };
    let mut outcome = run.setup(scenario, backend);
    if outcome.is_none() {
        for (index, step) in scenario.steps.iter().enumerate() {
            if let Some(stop) = run.step(index, step, scenario, backend, config) {
                outcome.get_or_insert(stop.into_outcome());
                if !config.keep_going {
                    break;
                }
            }
        }
    }
    if let Some(progress) = &config.progress {
        progress.done(&scenario.path);
    }
    let outside_namespace = backend.outside_namespace();
    backend.finish();
    let outcome = match (outcome, &scenario.meta.known_failure) {
        (Some(Outcome::Failed(failure)), Some(reason)) => {
            Outcome::KnownFailure { reason: reason.clone(), observed: Observed::Failure(failure) }
        }
        (Some(Outcome::Unsupported(limitation)), Some(reason)) => Outcome::KnownFailure {
            reason: reason.clone(),
            observed: Observed::Unsupported(limitation),
        },
        (None, Some(reason)) => Outcome::UnexpectedPass { reason: reason.clone() },
        (Some(outcome), _) => outcome,
        (None, None) => Outcome::Passed,
    };
    let report = ScenarioReport {
        path: scenario.path.clone(),
        title: scenario.meta.title.clone(),
        outcome,
        steps_total: scenario.checked_steps().count(),
        steps_run: run.steps_run,
        steps_skipped: run.steps_skipped,
        virtual_time: backend.elapsed(),
        wall_time: started.elapsed(),
        transcript: run.transcript,
        bless: Vec::new(),
        outside_namespace,
    };
    Traced { report, failure: run.failure }
}

/// Why a scenario stopped at a step.
enum Stop {
    /// The step's output did not match.
    Failed(StepFailure),
    /// The step used something kubeplay cannot emulate.
    Unsupported(Limitation),
}

impl Stop {
    fn into_outcome(self) -> Outcome {
        match self {
            Stop::Failed(f) => Outcome::Failed(f),
            Stop::Unsupported(l) => Outcome::Unsupported(l),
        }
    }
}

impl From<StepFailure> for Stop {
    fn from(f: StepFailure) -> Self {
        Stop::Failed(f)
    }
}

/// A reading command's last non-matching output: exit status, output, and
/// the (reason, expected text) it was rejected with.
type Miss = (i32, String, (String, String));

/// A missed attempt: the (reason, expected text), exit status, output, and
/// which of the command's rewrites it was.
type Missed = ((String, String), i32, String, usize);

/// Most open choices a reading command tries in one attempt.
const MAX_READ_CHOICES: usize = 16;

struct Run {
    shell: Shell,
    bindings: Bindings,
    transcript: String,
    steps_run: usize,
    steps_skipped: usize,
    /// How the failing step was matched (for `--bless`).
    failure: Option<FailureContext>,
    /// The number of the checked step being run
    /// ([`crate::scenario::Scenario::step_number`]).
    number: usize,
    /// The scenario's file and number of checked steps (progress line).
    path: std::path::PathBuf,
    total: usize,
}

impl Run {
    /// Runs the front matter's `setup` commands (output unchecked) and lets
    /// the cluster settle, so the scenario starts from a quiet cluster.
    fn setup(&mut self, scenario: &Scenario, backend: &mut dyn Backend) -> Option<Outcome> {
        // DESIGN §2: file blocks are written before `setup` runs, so setup can
        // apply the tutorial's manifests. Each name gets its first version;
        // later blocks replace it when their step comes.
        if !scenario.meta.setup.is_empty() {
            let mut seen = std::collections::BTreeSet::new();
            for step in &scenario.steps {
                if let StepKind::WriteFile { name, content } = &step.kind
                    && seen.insert(name.as_str())
                {
                    self.shell.workspace.write(name, content.clone());
                }
            }
        }
        for line in &scenario.meta.setup {
            match self.shell.run(line, None, backend) {
                Ok(out) if out.status == 0 => {}
                Ok(out) => {
                    return Some(Outcome::Error(format!(
                        "setup command `{line}` failed: {}",
                        out.merged().trim_end()
                    )));
                }
                Err(e) => {
                    if let Some(what) = e.unsupported() {
                        return Some(Outcome::Unsupported(Limitation {
                            step: 0,
                            span: crate::scenario::Span { line: 1, column: 1 },
                            command: line.clone(),
                            what,
                        }));
                    }
                    return Some(Outcome::Error(format!("setup command `{line}`: {e}")));
                }
            }
        }
        if !scenario.meta.setup.is_empty() {
            while backend.advance().is_some_and(|d| d.is_zero()) {}
        }
        None
    }

    fn step(
        &mut self,
        index: usize,
        step: &Step,
        scenario: &Scenario,
        backend: &mut dyn Backend,
        config: &RunConfig,
    ) -> Option<Stop> {
        self.number = scenario.step_number(index);
        if let Some(progress) = &config.progress {
            progress.set(
                &self.path,
                Position { step: self.number, total: self.total, virtual_time: backend.elapsed() },
            );
        }
        match &step.kind {
            StepKind::WriteFile { name, content } => {
                self.shell.workspace.write(name, content.clone());
                None
            }
            StepKind::Edit { target, content } => {
                self.shell.workspace.write(&crate::workspace::edit_path(target), content.clone());
                None
            }
            StepKind::CheckFile { name, expected } => {
                self.steps_run += 1;
                self.check_file(index, step, name, expected).map(Stop::from)
            }
            StepKind::Run(command) => {
                let backend_reason = backend.skip_reason(&command.line, command.host.as_deref());
                if let Some(reason) = command.skip.as_ref().or(backend_reason.as_ref()) {
                    self.steps_skipped += 1;
                    self.transcript
                        .push_str(&format!("$ {}\n[skipped: {reason}]\n\n", command.line));
                    return None;
                }
                let timeout =
                    command.timeout.or(scenario.meta.timeout).unwrap_or(config.default_timeout);
                let timeout = config.max_step_timeout.map_or(timeout, |max| timeout.min(max));
                if !command.session.is_empty() {
                    return self.session(index, step, command, backend, timeout);
                }
                self.steps_run += 1;
                self.command(index, step, command, backend, timeout, config)
            }
        }
    }

    /// Runs one command: once if it changes state, else again and again as
    /// the cluster progresses until its output matches or the timeout passes.
    fn command(
        &mut self,
        index: usize,
        step: &Step,
        command: &Command,
        backend: &mut dyn Backend,
        timeout: Duration,
        config: &RunConfig,
    ) -> Option<Stop> {
        let line = self.bindings.rewrite(&command.line);
        // A blocking command (`rollout status`) runs once while the clock
        // moves under it; tutorials show some of its lines, so its expected
        // output is a subsequence of what it printed (DESIGN §4).
        let blocking = self.shell.is_blocking(&line, backend);
        let read_only = !blocking && self.shell.is_read_only(&line, backend);
        let subsequence;
        let expected = if blocking && command.expected.mode == MatchMode::Exact {
            subsequence = Expected { mode: MatchMode::Subset, ..command.expected.clone() };
            &subsequence
        } else {
            &command.expected
        };
        // A command that changes state acts on the values the first
        // alternative chose: drop alternatives that chose differently, or
        // later steps could match under a choice contradicting what the
        // command did. A reading command may try every open choice
        // (`describe pod X` where X was one of several identical rows).
        let lines = if read_only {
            self.bindings.rewrites(&command.line, MAX_READ_CHOICES)
        } else {
            self.bindings.pin(&command.line);
            vec![line]
        };
        let deadline = backend.elapsed() + timeout;
        backend.set_step_timeout(timeout);
        let mut advances = 0;
        let number = self.number;
        let failure = |detail: String, expected: String, actual: String, status| StepFailure {
            step: number,
            index,
            span: step.span,
            expected_line: command.expected.first_line,
            command: command.line.clone(),
            detail,
            expected,
            actual,
            status,
        };
        // The bindings each line is matched under do not change while the
        // step retries (it ends when one matches), and neither does a
        // verdict on the same output: most retries follow a controller
        // action that did not change what the command prints, so the last
        // miss per line is kept and matching (the costly part) is skipped.
        let pinned: Vec<Bindings> =
            lines.iter().map(|line| self.bindings.pinned_to(&command.line, line)).collect();
        let mut last_miss: Vec<Option<Miss>> = vec![None; lines.len()];
        // What each line's last miss read (DESIGN §4): while that is
        // unchanged, running it again would print the same output and miss
        // again, so the run (rendering 10,000 rows after each controller
        // action) is skipped.
        let mut last_read: Vec<Option<ReadFingerprint>> = vec![None; lines.len()];
        // `--bless` writes a reading command's output from the attempt that
        // came closest to the expectation (most expected lines kept; the
        // latest of equals, the most settled), not always from the last
        // one: the tutorial showed a moment, and the cluster may have moved
        // further away by the time the step gives up (a CronJob keeps
        // scheduling).
        let bless = read_only && config.update == UpdateMode::Bless;
        let mut closest: Option<(usize, Missed)> = None;
        loop {
            let mut first_miss = None;
            for (i, line) in lines.iter().enumerate() {
                let read = (read_only && command.host.is_none())
                    .then(|| backend.read_fingerprint(line))
                    .flatten();
                if read.is_some() && read == last_read[i] && last_miss[i].is_some() {
                    first_miss.get_or_insert(i);
                    continue;
                }
                if blocking {
                    // A watch that never exits (`get -w`) is interrupted, as
                    // the reader's Ctrl-C, once it has printed what the step
                    // expects, or when the step's time is up.
                    let (expected, bindings) = (expected.clone(), pinned[i].clone());
                    backend.set_interrupt(Some(crate::kubectl::watch::Interrupt {
                        printed: Box::new(move |out| {
                            matching::match_output(&expected, out, &bindings).is_ok()
                        }),
                        after: timeout,
                    }));
                }
                let output = self.shell.run(line, command.host.as_deref(), backend);
                if blocking {
                    backend.set_interrupt(None);
                }
                let output = match output {
                    Ok(output) => output,
                    Err(e) => {
                        if let Some(what) = e.unsupported() {
                            self.transcript.push_str(&format!(
                                "$ {}\n[unsupported: {what}]\n\n",
                                command.line
                            ));
                            return Some(Stop::Unsupported(Limitation {
                                step: self.number,
                                span: step.span,
                                command: command.line.clone(),
                                what,
                            }));
                        }
                        self.transcript.push_str(&format!("$ {}\n[error: {e}]\n\n", command.line));
                        let f = failure(e.to_string(), String::new(), String::new(), None);
                        return Some(f.into());
                    }
                };
                let actual = output.merged();
                let seen = last_miss[i]
                    .as_ref()
                    .filter(|(status, out, _)| *status == output.status && *out == actual);
                let verdict = match seen {
                    Some((_, _, miss)) => Err(miss.clone()),
                    None => {
                        match matching::match_command_output(line, expected, &actual, &pinned[i]) {
                            Ok(bindings) if command.status.accepts(output.status) => Ok(bindings),
                            Ok(_) => Err((
                                status_detail(command.status, output.status),
                                command.expected.text.clone(),
                            )),
                            Err(mismatch) => Err((mismatch.reason, mismatch.expected)),
                        }
                    }
                };
                match verdict {
                    Ok(bindings) => {
                        self.bindings = bindings;
                        self.record(command, output.status, &actual, blocking);
                        return None;
                    }
                    Err(miss) => {
                        if bless
                            && !last_miss[i]
                                .as_ref()
                                .is_some_and(|(s, out, _)| *s == output.status && *out == actual)
                        {
                            let kept = matching::align(expected, &actual, &pinned[i]).kept();
                            if closest.as_ref().is_none_or(|(best, _)| kept >= *best) {
                                let missed = (miss.clone(), output.status, actual.clone(), i);
                                closest = Some((kept, missed));
                            }
                        }
                        last_miss[i] = Some((output.status, actual, miss));
                        last_read[i] = read;
                        first_miss.get_or_insert(i);
                    }
                }
            }
            let missed = first_miss.and_then(|i| {
                let (status, actual, miss) = last_miss[i].clone()?;
                Some((miss, status, actual, i))
            })?;
            let give_up = !read_only
                || backend.elapsed() >= deadline
                || advances >= config.max_advances
                || backend
                    .advance_for_read(&lines[missed.3], deadline.saturating_sub(backend.elapsed()))
                    .is_none();
            advances += 1;
            if let Some(progress) = &config.progress {
                progress.set(
                    &self.path,
                    Position { step: number, total: self.total, virtual_time: backend.elapsed() },
                );
            }
            if give_up {
                let ((detail, expected_text), status, actual, at) =
                    closest.take().map_or(missed, |(_, closest)| closest);
                self.record(command, status, &actual, blocking);
                let detail = if read_only && backend.elapsed() >= deadline {
                    format!("{detail} (still differs after waiting {})", human(timeout))
                } else {
                    detail
                };
                self.failure =
                    Some(FailureContext { bindings: pinned[at].clone(), mode: expected.mode });
                return Some(failure(detail, expected_text, actual, Some(status)).into());
            }
        }
    }

    /// A `check=FILE` block: the workspace file must match, like output does.
    fn check_file(
        &mut self,
        index: usize,
        step: &Step,
        name: &str,
        expected: &crate::scenario::Expected,
    ) -> Option<StepFailure> {
        let actual = self.shell.workspace.read(name).map(str::to_owned);
        let number = self.number;
        let failure = |detail: String, expected: String, actual: String, status| StepFailure {
            step: number,
            index,
            span: step.span,
            expected_line: expected_line_of(step),
            command: format!("check={name}"),
            detail,
            expected,
            actual,
            status,
        };
        let Some(actual) = actual else {
            return Some(failure(
                format!("`{name}` does not exist in the workspace"),
                expected.text.clone(),
                String::new(),
                None,
            ));
        };
        let verdict = matching::match_output(expected, &actual, &self.bindings);
        if let Ok(bindings) = &verdict {
            self.bindings = bindings.clone();
        }
        self.transcript
            .push_str(&format!("# check={name}\n{}\n", self.bindings.normalize(&actual)));
        match verdict {
            Ok(_) => None,
            Err(mismatch) => {
                self.failure =
                    Some(FailureContext { bindings: self.bindings.clone(), mode: expected.mode });
                Some(failure(mismatch.reason, mismatch.expected, actual, Some(0)))
            }
        }
    }

    /// A command that opens an interactive session with typed lines
    /// ([`super::session`]): run once, each typed line checked in turn.
    fn session(
        &mut self,
        index: usize,
        step: &Step,
        command: &Command,
        backend: &mut dyn Backend,
        timeout: Duration,
    ) -> Option<Stop> {
        let verdict = super::session::run(
            super::session::At { index, number: self.number, step, command },
            &mut self.bindings,
            &self.shell.workspace,
            backend,
            timeout,
            &mut self.transcript,
        );
        match verdict {
            super::session::Verdict::Passed => {
                self.steps_run += 1;
                None
            }
            super::session::Verdict::Failed(f) => {
                self.steps_run += 1;
                Some(Stop::Failed(*f))
            }
            super::session::Verdict::Unsupported(span, line, what) => {
                self.steps_run += 1;
                self.transcript.push_str(&format!("$ {}\n[unsupported: {what}]\n\n", command.line));
                Some(Stop::Unsupported(Limitation { step: self.number, span, command: line, what }))
            }
            super::session::Verdict::Skipped(reason) => {
                self.steps_skipped += 1;
                self.transcript.push_str(&format!("$ {}\n[skipped: {reason}]\n\n", command.line));
                None
            }
        }
    }

    /// Appends one step to the normalised transcript kept for snapshots;
    /// a blocking command's output (`get -w`) keeps its order.
    fn record(&mut self, command: &Command, status: i32, actual: &str, stream: bool) {
        self.transcript.push_str("$ ");
        self.transcript.push_str(&command.line);
        self.transcript.push('\n');
        if status != 0 {
            self.transcript.push_str(&format!("? {status}\n"));
        }
        let normalized = if stream {
            self.bindings.normalize_stream(actual)
        } else {
            self.bindings.normalize(actual)
        };
        self.transcript.push_str(&normalized);
        self.transcript.push('\n');
    }
}

fn expected_line_of(step: &Step) -> usize {
    match &step.kind {
        StepKind::CheckFile { expected, .. } => expected.first_line,
        StepKind::Run(command) => command.expected.first_line,
        _ => step.span.line,
    }
}

pub(super) fn status_detail(expected: ExpectedStatus, actual: i32) -> String {
    match expected {
        ExpectedStatus::Success => format!("exit status {actual}, expected success"),
        ExpectedStatus::Code(code) => format!("exit status {actual}, expected {code}"),
        ExpectedStatus::Failed => "exit status 0, expected a failure".to_owned(),
    }
}

/// Formats a timeout for messages (`10m`, `90s`).
fn human(d: Duration) -> String {
    let secs = d.as_secs();
    if secs.is_multiple_of(60) && secs >= 60 {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}
