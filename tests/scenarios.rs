//! `cargo test` over the scenario corpus: one libtest-mimic trial per
//! scenario file under `scenarios/`, named by its path, on the simulator.
//! Each trial also checks the scenario's normalised transcript against its
//! insta snapshot in `snapshots/`. Files under `tests/failing/` are
//! deliberately broken scenarios: each must fail, at the line its front
//! matter's title names, which proves mismatches are caught and reported.

use std::path::{Path, PathBuf};

use kubeplay::{
    backend::BackendChoice,
    runner::{Outcome, RunConfig, batch::run_file, discover::discover, snapshot::snapshot_name},
};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for file in discover(&[PathBuf::from("scenarios")]).expect("scenarios/ exists") {
        let name = file.display().to_string();
        trials.push(Trial::test(name, move || scenario_trial(&file)).with_kind("sim"));
    }
    libtest_mimic::run(&args, trials).exit();
}

fn scenario_trial(file: &Path) -> Result<(), Failed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = run_file(file, &BackendChoice::Sim, &RunConfig::default());
    // An unsupported step in a bundled scenario that is not marked
    // known-failure is a regression of the corpus, not a pass.
    if report.outcome.is_failure() || matches!(report.outcome, Outcome::Unsupported(_)) {
        return Err(format!("{}\n{}", report.summary_line(), report.details(false)).into());
    }
    if matches!(report.outcome, Outcome::Passed) {
        let name = snapshot_name(file.strip_prefix(root).unwrap_or(file), Path::new("."));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(root.join("snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        // A differing transcript panics inside insta with its diff; the
        // harness turns the panic into this trial's failure.
        settings.bind(|| insta::assert_snapshot!(name, report.transcript));
    }
    Ok(())
}
