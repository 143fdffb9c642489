//! Running many scenarios in parallel (rayon) for the CLI. Workers return
//! reports over a channel; the caller's one reporter prints them as they
//! arrive, so progress shows on long runs and output never interleaves.

use std::{
    path::{Path, PathBuf},
    sync::mpsc,
};

use rayon::prelude::*;

use super::{
    bless::{UpdateMode, bless_file},
    engine::{RunConfig, run_scenario},
    report::{Outcome, ScenarioReport},
};
use crate::{
    backend::{Backend, BackendChoice, open},
    scenario::{self, Scenario},
};

/// Runs every scenario file on the chosen backend with `jobs` workers,
/// calling `report` (on the calling thread) as each one finishes. Returns
/// the reports in input order.
pub fn run_all(
    files: &[PathBuf],
    choice: &BackendChoice,
    config: &RunConfig,
    jobs: usize,
    mut report: impl FnMut(&ScenarioReport),
) -> Vec<ScenarioReport> {
    let (tx, rx) = mpsc::channel::<(usize, ScenarioReport)>();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build();
    let mut results: Vec<Option<ScenarioReport>> = vec![None; files.len()];
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let work = || {
                files.par_iter().enumerate().for_each_with(tx, |tx, (i, file)| {
                    let report = match config.update {
                        UpdateMode::Verify => run_file(file, choice, config),
                        UpdateMode::Bless => isolated(file, || bless_file(file, choice, config)),
                    };
                    let _ = tx.send((i, report));
                });
            };
            match pool {
                Ok(pool) => pool.install(work),
                Err(_) => work(),
            }
        });
        for (i, r) in rx {
            report(&r);
            results[i] = Some(r);
        }
    });
    results.into_iter().flatten().collect()
}

/// Loads, then runs one scenario file; every problem becomes a report.
pub fn run_file(file: &Path, choice: &BackendChoice, config: &RunConfig) -> ScenarioReport {
    isolated(file, || match prepare(file, choice) {
        Ok((scenario, mut backend)) => run_scenario(&scenario, backend.as_mut(), config),
        Err(report) => *report,
    })
}

/// Runs one scenario's work so that a panic (a bug in kubeplay) becomes
/// that scenario's `error`, with the message, and the other scenarios of
/// a parallel run go on.
pub(crate) fn isolated(file: &Path, work: impl FnOnce() -> ScenarioReport) -> ScenarioReport {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(report) => report,
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "(no message)".to_owned());
            let message = format!("internal error in kubeplay (a bug; please report it): {what}");
            ScenarioReport::not_run(file.to_path_buf(), Outcome::Error(message))
        }
    }
}

/// Loads a scenario file and opens its backend; a problem (or a scenario
/// that excludes this backend) is the report to give instead.
pub(crate) fn prepare(
    file: &Path,
    choice: &BackendChoice,
) -> Result<(Scenario, Box<dyn Backend>), Box<ScenarioReport>> {
    let not_run = |outcome| Box::new(ScenarioReport::not_run(file.to_path_buf(), outcome));
    let scenario = scenario::load(file).map_err(|e| not_run(Outcome::Error(e.to_string())))?;
    if let Some(allowed) = &scenario.meta.backends
        && !allowed.iter().any(|b| b == choice.name())
    {
        let reason = format!("runs only on {}", allowed.join(", "));
        return Err(not_run(Outcome::Skipped(reason)));
    }
    match open(choice, &scenario.meta) {
        Ok(backend) => Ok((scenario, backend)),
        Err(e) => Err(not_run(Outcome::Error(e.to_string()))),
    }
}

/// The exit status of a run (README "Exit status"): 2 when a scenario
/// could not run (broken file, backend error), else 1 when one failed,
/// else 3 when one stopped at something kubeplay cannot emulate, else 0.
pub fn exit_status(reports: &[ScenarioReport]) -> u8 {
    if reports.iter().any(|r| matches!(r.outcome, Outcome::Error(_))) {
        crate::exit::ERROR
    } else if reports.iter().any(|r| r.outcome.is_failure()) {
        crate::exit::FAILED
    } else if reports.iter().any(|r| matches!(r.outcome, Outcome::Unsupported(_))) {
        crate::exit::UNSUPPORTED
    } else {
        crate::exit::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic in one scenario's work is that scenario's `error`, with the
    /// panic's message; the caller (and the other scenarios) go on.
    #[test]
    fn a_panic_is_the_scenarios_error_with_its_message() {
        let file = Path::new("scenarios/x.md");
        let report = isolated(file, || panic!("index out of bounds: the len is 0"));
        let Outcome::Error(message) = &report.outcome else { panic!("{:?}", report.outcome) };
        assert!(message.contains("index out of bounds: the len is 0"), "{message}");
        assert!(message.starts_with("internal error in kubeplay"), "{message}");
        assert_eq!(report.path, file);
        let ok = isolated(file, || ScenarioReport::not_run(file.to_path_buf(), Outcome::Passed));
        assert!(matches!(ok.outcome, Outcome::Passed));
    }
}
