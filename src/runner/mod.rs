//! Running scenarios: one engine function runs one scenario on one backend
//! and returns a report value (a failed scenario is a value, not an `Err`).
//! The CLI drives it over many scenarios in parallel (rayon); `cargo test`
//! drives it one trial per scenario (libtest-mimic). Workers never print.

pub mod batch;
pub mod bless;
pub mod diff_report;
pub mod differential;
pub mod discover;
pub mod engine;
pub mod formats;
pub mod progress;
pub mod report;
mod session;
pub mod snapshot;

pub use engine::{FailureContext, RunConfig, Traced, run_scenario, run_scenario_traced};
pub use report::{Limitation, Observed, Outcome, ScenarioReport, StepFailure};
