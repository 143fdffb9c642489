//! `kubectl get -w` on the real-cluster backend: kubectl never exits by
//! itself, so kubeplay reads its output as it comes and interrupts it (as
//! the reader's Ctrl-C) once the step's lines have been printed.

use super::support::*;

#[test]
fn a_real_watch_is_interrupted_once_the_expected_lines_are_printed() {
    let marker = std::env::temp_dir().join(format!("kubeplay-watch-{}", std::process::id()));
    let _ = std::fs::remove_file(&marker);
    let out = kubeplay_on_fake_cluster(
        "tests/fixtures/fake-kubectl-watch",
        "test",
        "tests/fixtures/watch-real-cluster.md",
        &[("WATCH_NOT_INTERRUPTED_MARKER", marker.as_os_str())],
    );
    let report = text(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("pass"), "{report}");
    // The fake kubectl writes the marker only if it was left to run out
    // its ten-minute sleep after the last row; a kill never lets it.
    assert!(!marker.exists(), "the watch was not interrupted");
}

#[test]
fn a_shell_watch_on_a_real_cluster_stops_at_the_expected_screen() {
    let calls = std::env::temp_dir().join(format!("kubeplay-watch-calls-{}", std::process::id()));
    let _ = std::fs::remove_file(&calls);
    let out = kubeplay_on_fake_cluster(
        "tests/fixtures/fake-kubectl-repeat",
        "test",
        "tests/fixtures/watch-command-real-cluster.md",
        &[("REPEAT_CALLS", calls.as_os_str())],
    );
    let report = text(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("pass"), "{report}");
    // The first screen is the expected one: `watch` ran its command once
    // (it used to rerun it until the backend's ten-minute default limit).
    let ran = std::fs::read_to_string(&calls).unwrap_or_default();
    let _ = std::fs::remove_file(&calls);
    assert_eq!(ran.lines().count(), 1, "watch reran its command");
}
