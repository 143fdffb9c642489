//! End-to-end tests of interactive sessions in scenarios (`kubectl run -it
//! ... -- sh` followed by lines at the container's prompt): a line the
//! container shell cannot run fails with the shell's error naming the
//! construct, at that line's place in the file; a matching session passes;
//! `exec -it` right after the pod's creation opens once the container runs.

use super::support::*;

#[test]
fn an_unsupported_construct_in_a_session_line_is_unsupported_at_that_line() {
    let out = kubeplay(&["run", "tests/session/unsupported-background-job.md"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let report = text(&out);
    assert!(
        report.contains(
            "step 1 at tests/session/unsupported-background-job.md:15: unsupported: container shell \
             construct '&'\n  $ / # sleep 5 & echo \"HOSTNAME=$(hostname)\"\n"
        ),
        "the verdict names the typed line and the construct:\n{report}"
    );
    assert!(!report.contains("not supported by kubeplay"), "no shell error is invented:\n{report}");
}

#[test]
fn a_matching_session_passes() {
    let out = kubeplay(&["run", "tests/session/passes.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn an_exec_session_waits_for_the_container_to_run() {
    let out = kubeplay(&["run", "tests/session/exec-right-after-run.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn a_session_whose_end_is_not_shown_has_no_status_to_check() {
    let out = kubeplay(&["run", "tests/session/end-not-shown.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
