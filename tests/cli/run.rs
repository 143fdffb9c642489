//! End-to-end tests of the `kubeplay` binary: exit codes, failure reports
//! (step, `path:line`, diff), broken scenario files, determinism.

use super::support::*;

#[test]
fn the_seed_section_passes_with_exit_status_0() {
    let out = kubeplay(&["run", "scenarios/seed/01-deploy-expose-scale.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("1 passed, 0 failed"), "{}", text(&out));
}

#[test]
fn a_changed_ready_count_fails_at_its_line_with_a_diff() {
    let out = kubeplay(&["run", "--color", "never", "tests/failing/ready-count.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("step 2 at tests/failing/ready-count.md:10"), "{report}");
    assert!(report.contains("tests/failing/ready-count.md:11"), "{report}");
    // The diff: the tutorial's row removed, the cluster's row added.
    assert!(report.contains("|-test-nginx   2/1"), "{report}");
    assert!(report.contains("|+test-nginx   1/1"), "{report}");
}

#[test]
fn a_suffix_bound_to_another_pod_fails() {
    let out = kubeplay(&["run", "--color", "never", "tests/failing/suffix-reuse.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("step 3 at tests/failing/suffix-reuse.md:13"), "{report}");
    assert!(report.contains("no assignment of rows is consistent with the bindings"), "{report}");
}

#[test]
fn broken_scenarios_are_reported_with_their_position() {
    for (file, line) in [
        ("tests/broken/unterminated-fence.md", 5),
        ("tests/broken/bad-front-matter.md", 3),
        ("tests/broken/unknown-key.md", 3),
    ] {
        // A broken file is status 2 on every subcommand (README "Exit status").
        let out = kubeplay(&["check", file]);
        let report = text(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {report}");
        let list = kubeplay(&["list", file]);
        assert_eq!(list.status.code(), Some(2), "{file}: {}", text(&list));
        assert!(report.contains(&format!("{file}:{line}:")), "{file}: {report}");
        let run = kubeplay(&["run", file]);
        assert_eq!(run.status.code(), Some(2), "{file}: {}", text(&run));
    }
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let out = kubeplay(&["run", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("no/such/dir: no such file or directory"), "{}", text(&out));
}

#[test]
fn list_shows_steps_with_their_lines() {
    let out = kubeplay(&["list", "scenarios/errors/kubectl-errors.md"]);
    let listing = text(&out);
    assert_eq!(out.status.code(), Some(0), "{listing}");
    assert!(
        listing
            .contains("scenarios/errors/kubectl-errors.md:14  $ kubectl get deployment test-nginx"),
        "{listing}"
    );
}

#[test]
fn two_runs_give_byte_identical_transcripts() {
    use kubeplay::{
        backend::BackendChoice,
        runner::{RunConfig, batch::run_file},
    };
    let file = std::path::PathBuf::from("scenarios/seed/01-deploy-expose-scale.md");
    let first = run_file(&file, &BackendChoice::Sim, &RunConfig::default());
    let second = run_file(&file, &BackendChoice::Sim, &RunConfig::default());
    assert!(!first.transcript.is_empty());
    assert_eq!(first.transcript, second.transcript);
}

/// The kubectl backend against a stand-in kubectl: each scenario gets a
/// namespace of its own, passed to every kubectl call that names none, files
/// are written where kubectl reads them, the namespace is deleted afterwards,
/// and simulator directives are reported skipped rather than run.
#[test]
fn the_kubectl_backend_isolates_each_scenario_in_a_namespace() {
    let log =
        std::env::temp_dir().join(format!("kubeplay-fake-kubectl-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let out = kubeplay_on_fake_cluster(
        "tests/fixtures/fake-kubectl",
        "test",
        "tests/fixtures/real-cluster.md",
        &[("FAKE_KUBECTL_LOG", log.as_os_str())],
    );
    let report = text(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    let calls = std::fs::read_to_string(&log).expect("fake kubectl was called");
    let _ = std::fs::remove_file(&log);
    let calls: Vec<String> = calls.lines().map(private_paths).collect();
    assert_eq!(calls[0], "--context=test config view --minify --flatten --raw");
    assert_eq!(calls[1], "--kubeconfig=PRIVATE --context=test create --validate=false -f -");
    assert_eq!(calls[2], "--kubeconfig=PRIVATE --context=test --namespace=NS apply -f web.yaml");
    assert_eq!(calls[3], "--kubeconfig=PRIVATE --context=test --namespace=NS get pods");
    assert_eq!(calls[4], "--kubeconfig=PRIVATE --context=test delete namespace NS --wait=false");
    assert_eq!(calls.len(), 5, "{calls:?}");
    // The directive step is reported skipped, not run and not passed.
    assert!(report.contains("(2 steps, 1 skipped,"), "{report}");
}

#[test]
fn an_unreachable_cluster_is_an_infrastructure_error() {
    let out = kubeplay_on_fake_cluster(
        "tests/fixtures/fake-kubectl",
        "unreachable",
        "tests/fixtures/real-cluster.md",
        &[],
    );
    let report = text(&out);
    assert_eq!(out.status.code(), Some(2), "{report}");
    assert!(report.contains("was refused"), "{report}");
}

/// The simulator depends on the scenario's content alone: run by a
/// relative path, `./path`, an absolute path, from another working
/// directory, or as a copy in another folder, the JSON report (apart from
/// the path and wall time) is byte-identical.
#[test]
fn a_scenario_gives_the_same_report_by_any_path() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = "scenarios/kubectl/get-watch.md";
    let absolute = root.join(relative);
    let copy_dir = std::env::temp_dir().join(format!("kubeplay-copy-{}", std::process::id()));
    std::fs::create_dir_all(&copy_dir).unwrap();
    let copy = copy_dir.join("renamed-elsewhere.md");
    std::fs::copy(&absolute, &copy).unwrap();
    let json = |dir: &std::path::Path, path: &str| {
        let out = kubeplay_in(dir, &["run", "--format", "json", path], false);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let mut doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let scenario = &mut doc["scenarios"][0];
        scenario["path"] = serde_json::Value::Null;
        scenario["wall_time_ms"] = serde_json::Value::Null;
        doc.to_string()
    };
    let reports = [
        json(root, relative),
        json(root, &format!("./{relative}")),
        json(std::path::Path::new("/"), absolute.to_str().unwrap()),
        json(&root.join("scenarios"), "kubectl/../kubectl/get-watch.md"),
        json(&copy_dir, "renamed-elsewhere.md"),
    ];
    let _ = std::fs::remove_dir_all(&copy_dir);
    assert!(reports[0].contains("\"cluster_time_ms\""), "{}", reports[0]);
    for other in &reports[1..] {
        assert_eq!(&reports[0], other);
    }
}

/// What the simulator accepts but does not model is `unsupported`, named,
/// at the step where it shows: a gRPC probe once the kubelet runs it, a
/// utility the image ships but kubeplay cannot run at the first command
/// after the container reaches it.
#[test]
fn unmodelled_features_and_commands_are_unsupported_not_silently_ignored() {
    let out = kubeplay(&["run", "tests/unsupported/grpc-probe.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(3), "{report}");
    assert!(
        report.contains("step 2 at tests/unsupported/grpc-probe.md:34: unsupported: grpc probe of image nginx (kubeplay does not know its gRPC server), run by container \"web\" of pod web-"),
        "{report}"
    );
    let out = kubeplay(&["run", "tests/unsupported/busybox-ps.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(3), "{report}");
    assert!(
        report.contains(
            "tests/unsupported/busybox-ps.md:12: unsupported: `ps` in container image busybox"
        ),
        "{report}"
    );
    assert!(report.contains("run by container \"ps\" of pod ps"), "{report}");
    // A postStart httpGet hook to the container's own server, once the
    // container has started.
    let out = kubeplay(&["run", "tests/unsupported/lifecycle-hooks.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(3), "{report}");
    assert!(
        report.contains(
            "step 2 at tests/unsupported/lifecycle-hooks.md:32: unsupported: a postStart httpGet \
             hook to its own container's port 80 (whether the server listens yet), run by \
             container \"web\" of pod fails"
        ),
        "{report}"
    );
    // Started with `&`, the same is not hidden behind bash's job line.
    let out = kubeplay(&["run", "tests/unsupported/background-job.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(3), "{report}");
    assert!(
        report.contains(
            "step 1 at tests/unsupported/background-job.md:11: unsupported: kubectl certificate"
        ),
        "{report}"
    );
}

/// A step's wait ends at its timeout, even when the cluster's next event is
/// later: the failure shows the state at the timeout.
#[test]
fn a_wait_never_goes_past_the_steps_timeout() {
    let out = kubeplay(&["run", "--color", "never", "tests/failing/later-than-timeout.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("(2 steps, 1m0s cluster time,"), "{report}");
    assert!(report.contains("(still differs after waiting 1m)"), "{report}");
    assert!(report.contains("sl     1/1     Running   0          60s"), "{report}");
}

/// What a program of an image kubeplay does not know prints is not
/// invented: a declared log is printed, an undeclared one is unsupported.
#[test]
fn the_log_of_an_unknown_program_is_unsupported_not_empty() {
    let out = kubeplay(&["run", "tests/unsupported/unknown-image-logs.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(3), "{report}");
    assert!(report.contains("(4 steps,"), "{report}");
    assert!(
        report.contains(
            "step 4 at tests/unsupported/unknown-image-logs.md:20: unsupported: kubectl logs: \
             what `agnhost` of image registry.k8s.io/e2e-test-images/agnhost:2.39 prints"
        ),
        "{report}"
    );
    // Whether it listens on a port its pod does not declare.
    let out = kubeplay(&["run", "tests/unsupported/unknown-image-port.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(3), "{report}");
    assert!(
        report.contains(
            "unsupported: tcpSocket probe of image myorg/app:1.0 (whether it listens on port 8080)"
        ),
        "{report}"
    );
}

/// A built-in resource a real cluster of the scenario's version serves is
/// served; storing one whose controller the simulator lacks is
/// `unsupported`; an unknown resource and a kind removed before that
/// version keep kubectl's own errors.
#[test]
fn unserved_builtin_resources_are_unsupported_unknown_ones_are_kubectls_errors() {
    let out = kubeplay(&["run", "tests/unsupported/replicationcontroller.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(3), "{report}");
    assert!(
        report.contains(
            "step 4 at tests/unsupported/replicationcontroller.md:53: unsupported: \
             the ReplicationController controller in ReplicationController default/web\n"
        ),
        "{report}"
    );
}

/// `list`, the one-line summary, JSON and failure reports number the same
/// steps: commands and `check=` blocks (file blocks only prepare files).
#[test]
fn list_summary_json_and_reports_count_the_same_steps() {
    let file = "tests/unsupported/replicationcontroller.md";
    let listing = text(&kubeplay(&["list", file]));
    let numbered: Vec<&str> =
        listing.lines().filter(|l| l.trim_start().starts_with(char::is_numeric)).collect();
    assert_eq!(numbered.len(), 4, "{listing}");
    assert!(
        numbered[2]
            .trim_start()
            .starts_with("3  tests/unsupported/replicationcontroller.md:51  $ kubectl get pv"),
        "{listing}"
    );
    assert!(
        listing.contains("    -  tests/unsupported/replicationcontroller.md:12  file web.yaml"),
        "{listing}"
    );
    let out = kubeplay(&["run", "--format", "json", file]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let s = &doc["scenarios"][0];
    assert_eq!(s["steps"], serde_json::json!({"total": 4, "run": 4, "skipped": 0}));
    assert_eq!(s["unsupported"]["step"], 4);
    let human = text(&kubeplay(&["run", file]));
    assert!(human.contains("(4 steps,"), "{human}");
    assert!(human.contains("step 4 at tests/unsupported/replicationcontroller.md:53"), "{human}");
}

/// A command at a prompt kubeplay does not recognise gets a suggestion of
/// the block attribute `prompt="…"`: an error when the block starts with
/// it, a `check` warning when it hides in another command's output.
#[test]
fn unusual_prompts_suggest_the_prompt_attribute() {
    let out = kubeplay(&["check", "tests/lint/unusual-prompt.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains(
            "tests/lint/unusual-prompt.md:6:1: error[S0006]: expected output before any command \
             (a command line starts with a prompt such as `$ ` or `[root@master ~]# `); it looks \
             like a command typed at the prompt `controlplane $ `, which kubeplay does not \
             recognise: declare it on the block, ```console prompt=\"controlplane $ \""
        ),
        "{}",
        text(&out)
    );
    let out = kubeplay(&["check", "tests/lint/unusual-prompt-output.md"]);
    assert_eq!(out.status.code(), Some(0), "a warning only");
    assert!(
        text(&out).contains(
            "tests/lint/unusual-prompt-output.md:8:1: warning[W0006]: this line is read as output \
             of `kubectl create deployment web --image=nginx`, but it looks like a command typed \
             at the prompt `controlplane $ `"
        ),
        "{}",
        text(&out)
    );
}

/// Issue 13: the progress line is for a terminal. Piped (as here, and in
/// CI), a run of several scenarios (seconds long in a debug build, where a
/// terminal would show the line) prints exactly its report: nothing on
/// stderr, no progress text on stdout.
#[test]
fn a_long_run_prints_no_progress_line_when_not_on_a_terminal() {
    let out = kubeplay(&["run", "-j", "1", "--color", "never", "scenarios/seed", "scenarios/jobs"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "stderr stays empty");
    let report = stdout(&out);
    assert!(!report.contains("virtual time"), "{report}");
    let lines: Vec<&str> = report.lines().filter(|l| !l.is_empty()).collect();
    assert!(
        lines.iter().all(|l| l.starts_with("pass ")
            || l.starts_with("known-failure ")
            || l.contains(" scenarios: ")
            || l.starts_with("  ")),
        "only report lines: {report}"
    );
}

/// A stored NetworkPolicy is answered by `get`; the connection it would
/// filter is `unsupported`, named, at the step that makes it (a process in
/// a pod, through `kubectl exec`), not printed as the tool's output.
#[test]
fn traffic_under_a_network_policy_is_unsupported() {
    let out = kubeplay(&["run", "tests/unsupported/network-policy-traffic.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(3), "{report}");
    assert!(
        report.contains(
            "step 7 at tests/unsupported/network-policy-traffic.md:36: unsupported: wget: NetworkPolicy enforcement"
        ),
        "{report}"
    );
}
