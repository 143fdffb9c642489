//! `cargo bench`: wall time to replay the bundled scenarios on the simulator.
//! Prints per-scenario mean and best times over repeated runs, steps per
//! second, and the virtual time each scenario covers. Numbers go in issue
//! notes; tests never assert on time.

use std::{
    path::PathBuf,
    time::{Duration, Instant},
};

use kubeplay::{
    backend::BackendChoice,
    runner::{RunConfig, batch::run_file, discover::discover},
};

const ROUNDS: u32 = 20;

fn main() {
    let files = discover(&[PathBuf::from("scenarios")]).expect("scenarios/ exists");
    let config = RunConfig::default();
    let mut total = Duration::ZERO;
    let mut total_steps = 0;
    println!(
        "{:<55} {:>6} {:>10} {:>10} {:>12}",
        "scenario", "steps", "mean", "best", "cluster time"
    );
    for file in &files {
        let mut best = Duration::MAX;
        let mut sum = Duration::ZERO;
        let mut report = None;
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let r = run_file(file, &BackendChoice::Sim, &config);
            let took = start.elapsed();
            best = best.min(took);
            sum += took;
            report = Some(r);
        }
        let report = report.expect("ran at least once");
        let mean = sum / ROUNDS;
        total += mean;
        total_steps += report.steps_run;
        println!(
            "{:<55} {:>6} {:>8.2}ms {:>8.2}ms {:>11}s  {}",
            file.display(),
            report.steps_run,
            mean.as_secs_f64() * 1e3,
            best.as_secs_f64() * 1e3,
            report.virtual_time.as_secs(),
            report.outcome.label()
        );
    }
    println!(
        "\n{} scenarios, {} steps: {:.2} ms per full pass (sequential), {:.0} steps/s",
        files.len(),
        total_steps,
        total.as_secs_f64() * 1e3,
        total_steps as f64 / total.as_secs_f64()
    );
}
