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
        let out = kubeplay(&["check", file]);
        let report = text(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {report}");
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
