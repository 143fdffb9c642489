//! `kubectl get -w` on the real-cluster backend: kubectl never exits by
//! itself, so kubeplay reads its output as it comes and interrupts it (as
//! the reader's Ctrl-C) once the step's lines have been printed.

use std::{
    process::Command,
    time::{Duration, Instant},
};

#[test]
fn a_real_watch_is_interrupted_once_the_expected_lines_are_printed() {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args([
            "run",
            "--backend",
            "kubectl",
            "--context",
            "test",
            "--kubectl",
            "tests/fixtures/fake-kubectl-watch",
        ])
        .arg("tests/fixtures/watch-real-cluster.md")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("kubeplay runs");
    let report =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("pass"), "{report}");
    // The fake kubectl would sleep ten minutes after its last row.
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
}
