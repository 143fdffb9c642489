//! `kubeplay diff-backends --format json` and `--report FILE`: the
//! machine-readable report, against the logging stand-in kubectl
//! (`tests/fixtures/logging-kubectl`, which answers every command with
//! nothing), so each step's outcome is known in advance.

use std::{path::Path, process::Command};

use serde_json::Value;

use super::support::*;

/// A folder of its own, removed afterwards.
struct Dir(std::path::PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn diff_backends(dir: &Path, args: &[&str]) -> std::process::Output {
    let fake = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logging-kubectl");
    Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .arg("diff-backends")
        .args(["--context", "test", "--kubectl"])
        .arg(fake)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TMPDIR", dir.join("tmp"))
        .env_remove("CI")
        .output()
        .expect("kubeplay runs")
}

/// One identical step (an empty jsonpath list prints nothing on both), one
/// different (the stand-in prints nothing where the simulator reports the
/// ConfigMap created), one not compared (a simulator directive): the JSON
/// document has each with its file line, status and outputs, the summary
/// counts them, and `--report` writes the same document to a file.
#[test]
fn the_json_report_lists_every_step_with_its_line_status_and_outputs() {
    let dir = Dir(std::env::temp_dir().join(format!("kubeplay-diff-json-{}", std::process::id())));
    std::fs::create_dir_all(dir.0.join("tmp")).unwrap();
    std::fs::write(
        dir.0.join("s.md"),
        "---\ntitle: s\n---\n\n```console\n\
         $ kubectl get pods -o jsonpath='{.items[*].metadata.name}'\n\
         $ kubectl create configmap x --from-literal=a=b\n\
         configmap/x created\n\
         $ kubeplay advance 1s\n\
         ```\n",
    )
    .unwrap();
    let out = diff_backends(&dir.0, &["--format", "json", "--report", "report.json", "s.md"]);
    assert_eq!(out.status.code(), Some(1), "a step differs: {}", text(&out));
    let printed = stdout(&out);
    let doc: Value = serde_json::from_str(&printed).expect("one JSON document on stdout");
    let written = std::fs::read_to_string(dir.0.join("report.json")).expect("--report file");
    assert_eq!(written, printed, "--report writes the document --format json prints");

    assert_eq!(doc["format"], "kubeplay-diff-backends/1");
    let summary = &doc["summary"];
    assert_eq!(summary["scenarios"], 1);
    assert_eq!(summary["steps"], 3);
    assert_eq!(summary["compared"], 2);
    assert_eq!(summary["identical"], 1);
    assert_eq!(summary["different"], 1);
    assert_eq!(summary["not_compared"], 1);
    assert_eq!(summary["not_compared_by_class"]["simulator directive (`kubeplay ...`)"], 1);

    let scenario = &doc["scenarios"][0];
    assert_eq!(scenario["path"], "s.md");
    assert_eq!(scenario["simulator"], "pass");
    assert_eq!(scenario["real_cluster"], "fail");
    let steps = scenario["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[0]["number"], 1);
    assert_eq!(steps[0]["command"], "kubectl get pods -o jsonpath='{.items[*].metadata.name}'");
    assert_eq!(steps[0]["location"], "s.md:6");
    assert_eq!(steps[0]["status"], "identical");
    assert_eq!(steps[0]["simulator_output"], "");
    assert_eq!(steps[0]["real_output"], "");
    assert!(steps[0]["diff"].is_null() && steps[0]["reason"].is_null());

    assert_eq!(steps[1]["location"], "s.md:7");
    assert_eq!(steps[1]["status"], "different");
    assert_eq!(steps[1]["simulator_output"], "configmap/x created");
    assert_eq!(steps[1]["real_output"], "");
    assert_eq!(steps[1]["diff"], "-configmap/x created\n");

    assert_eq!(steps[2]["command"], "kubeplay advance 1s");
    assert_eq!(steps[2]["location"], "s.md:9");
    assert_eq!(steps[2]["status"], "not-compared");
    assert_eq!(steps[2]["class"], "simulator directive (`kubeplay ...`)");
    assert!(
        steps[2]["reason"]
            .as_str()
            .unwrap()
            .starts_with("real cluster: skipped: simulator directive")
    );
}

/// Without `--format json`, stdout stays the human report, and
/// `--report` still writes the JSON document.
#[test]
fn the_human_report_stays_and_report_writes_json_beside_it() {
    let dir = Dir(std::env::temp_dir().join(format!("kubeplay-diff-human-{}", std::process::id())));
    std::fs::create_dir_all(dir.0.join("tmp")).unwrap();
    std::fs::write(
        dir.0.join("s.md"),
        "```console\n$ kubectl create configmap x --from-literal=a=b\nconfigmap/x created\n```\n",
    )
    .unwrap();
    let out = diff_backends(&dir.0, &["--report", "r.json", "s.md"]);
    let printed = stdout(&out);
    assert!(printed.contains("step 1 differs: $ kubectl create configmap x"), "{printed}");
    assert!(
        printed.contains("1 scenarios: 1 steps compared, 0 identical, 1 different"),
        "{printed}"
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.0.join("r.json")).unwrap()).unwrap();
    assert_eq!(doc["summary"]["different"], 1);
    assert_eq!(doc["scenarios"][0]["steps"][0]["location"], "s.md:2");
}
