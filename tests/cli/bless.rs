//! End-to-end tests of `kubeplay run --bless`: each test copies a failing
//! scenario from `tests/bless/` into a temporary folder, blesses it there
//! and checks the rewritten file byte for byte — only the lines that did
//! not match change; wildcards, `...`, generated names and ages survive —
//! and that the blessed scenario then passes.

use super::support::*;

use std::{
    fs,
    path::{Path, PathBuf},
    sync::atomic::{AtomicUsize, Ordering},
};

/// A fresh temporary folder holding a copy of `tests/bless/<name>`; one
/// per call, so tests that bless the same fixture in parallel do not
/// share (and remove) each other's folder.
fn copy_fixture(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "kubeplay-cli-bless-{}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        name.replace('.', "-")
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bless").join(name);
    fs::copy(source, dir.join(name)).expect("copy fixture");
    dir
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).expect("scenario file")
}

fn original(name: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bless").join(name))
        .expect("fixture")
}

#[test]
fn bless_rewrites_only_the_lines_that_did_not_match_then_the_scenario_passes() {
    let dir = copy_fixture("tutorial.md");
    let before = kubeplay_in(&dir, &["run", "tutorial.md"], false);
    assert_eq!(before.status.code(), Some(1), "{}", text(&before));

    let out = kubeplay_in(&dir, &["run", "--bless", "tutorial.md"], false);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    // One rewrite per failing step: the scenario is re-run after each.
    for line in [
        "blessed: step 2 at tutorial.md:14: 1 expected line rewritten",
        "blessed: step 3 at tutorial.md:18: 1 expected line rewritten",
        "blessed: step 4 at tutorial.md:28: 1 expected line rewritten",
        "blessed: step 5 at tutorial.md:30: exit status now ? 1",
    ] {
        assert!(report.lines().any(|l| l.trim() == line), "missing `{line}` in:\n{report}");
    }

    // The tutorial's pod names (bound variables), its ages, the `[..]`
    // wildcards and the `...` lines are kept; the Pending row keeps its
    // name and its `[..]` cell and takes the cluster's READY and STATUS;
    // `removed` becomes `deleted`; `? 2` becomes `? 1`. Nothing else moves.
    let expected = original("tutorial.md")
        .replace(
            "test-nginx-59ffd87f5-7pjwk   0/1     Pending   0          [..]",
            "test-nginx-59ffd87f5-7pjwk   1/1     Running   0          [..]",
        )
        .replace(
            "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable",
            "Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable",
        )
        .replace(
            "pod \"test-nginx-59ffd87f5-mqvjq\" removed",
            "pod \"test-nginx-59ffd87f5-mqvjq\" deleted",
        )
        .replace(
            "[root@master ~]# kubectl get deployment nosuch\n? 2\n",
            "[root@master ~]# kubectl get deployment nosuch\n? 1\n",
        );
    assert_ne!(expected, original("tutorial.md"), "every replacement applies");
    assert_eq!(read(&dir, "tutorial.md"), expected);
    assert_eq!(
        original("tutorial.md").lines().count(),
        expected.lines().count(),
        "no line added or dropped"
    );

    let again = kubeplay_in(&dir, &["run", "tutorial.md"], false);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    // Blessing a passing scenario changes nothing.
    let noop = kubeplay_in(&dir, &["run", "--bless", "tutorial.md"], false);
    assert_eq!(noop.status.code(), Some(0), "{}", text(&noop));
    assert!(!text(&noop).contains("blessed"), "{}", text(&noop));
    assert_eq!(read(&dir, "tutorial.md"), expected);
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn bless_rewrites_yaml_expect_values_and_status_keeping_the_rest() {
    let dir = copy_fixture("steps.yaml");
    let out = kubeplay_in(&dir, &["run", "--bless", "steps.yaml"], false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let expected = "\
title: Bless a YAML scenario
cluster:
  profile: kubeadm
  seed: 7
timeout: 2m
steps:
  # the deployment
  - run: kubectl create deployment web --image=nginx
    expect: deployment.apps/web created
  - run: kubectl get deployment web
    expect: |
      NAME   READY   UP-TO-DATE   AVAILABLE   AGE
      web    0/1     1            0           5s
  - run: kubectl get deployment nosuch
    status: 1
    expect: |
      Error from server (NotFound): deployments.apps \"nosuch\" not found
  - run: kubectl get pods
    expect: |
      NAME                   READY   STATUS    RESTARTS   AGE
      web-7957885594-rhf6q   1/1     Running   0          10s
";
    assert_eq!(read(&dir, "steps.yaml"), expected);
    let again = kubeplay_in(&dir, &["run", "steps.yaml"], false);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_yaml_form_that_cannot_be_kept_is_refused_and_the_file_left_alone() {
    let dir = copy_fixture("folded.yaml");
    let out = kubeplay_in(&dir, &["run", "--bless", "folded.yaml"], false);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.lines().any(|l| l.trim()
            == "not blessed: step 1 at folded.yaml:4: `expect:` at line 5 is a folded scalar, \
                which cannot be rewritten keeping its form; write it as a literal block \
                (`expect: |`) and bless again"),
        "{report}"
    );
    assert_eq!(read(&dir, "folded.yaml"), original("folded.yaml"));
    let leftovers: Vec<_> = fs::read_dir(&dir).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn bless_refuses_when_ci_is_set() {
    let dir = copy_fixture("tutorial.md");
    let out = kubeplay_in(&dir, &["run", "--bless", "tutorial.md"], true);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: --bless refuses to run when CI is set: in CI nothing rewrites expectations; \
         bless locally and commit the result\n"
    );
    assert!(out.stdout.is_empty(), "nothing ran");
    assert_eq!(read(&dir, "tutorial.md"), original("tutorial.md"));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn known_failures_are_not_blessed() {
    let dir = copy_fixture("known-failure.md");
    let out = kubeplay_in(&dir, &["run", "--bless", "known-failure.md"], false);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.starts_with("known-failure known-failure.md"), "{report}");
    assert!(
        report.lines().any(|l| l.trim()
            == "not blessed: step 1 at known-failure.md:10: a known-failure scenario is not \
                blessed: its expected output is the tutorial's, and the simulator is what is wrong"),
        "{report}"
    );
    assert_eq!(read(&dir, "known-failure.md"), original("known-failure.md"));
    let _ = fs::remove_dir_all(dir);
}

/// `--bless` never writes kubeplay's own limitation into a tutorial: an
/// unsupported step leaves the file byte-identical and the run reports
/// `unsupported` (exit 3), not a pass.
#[test]
fn bless_never_writes_an_unsupported_step() {
    let dir = copy_fixture("unsupported.md");
    let out = kubeplay_in(&dir, &["run", "--bless", "unsupported.md"], false);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(3), "{report}");
    assert!(report.starts_with("unsupported   unsupported.md"), "{report}");
    assert!(
        report.contains(
            "not blessed: step 2 at unsupported.md:8: unsupported: kubectl certificate; kubeplay \
             cannot emulate it, so there is no output to bless"
        ),
        "{report}"
    );
    assert_eq!(read(&dir, "unsupported.md"), original("unsupported.md"));
}

#[test]
fn bless_of_a_watch_command_that_matched_nothing_writes_its_output() {
    let dir = copy_fixture("watch.md");
    let out = kubeplay_in(&dir, &["run", "--bless", "watch.md"], false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let blessed = read(&dir, "watch.md");
    let (_, after) = blessed.split_once("rollout status deployment/web\n").expect("the command");
    let written: Vec<&str> = after.lines().take_while(|l| *l != "```").collect();
    assert_eq!(written.last(), Some(&"deployment \"web\" successfully rolled out"), "{blessed}");
    assert!(!blessed.contains("rollout finished"), "{blessed}");
    let again = kubeplay_in(&dir, &["run", "watch.md"], false);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    let _ = fs::remove_dir_all(dir);
}
