//! Builds checked against real kustomize: each case in `tests/kustomize/`
//! holds a kustomization and what `kubectl kustomize` of kubectl 1.27,
//! 1.30 and 1.35.4 printed for it, and kustomize v4.5.7 (kubectl 1.26's)
//! built from its Go module (`tests/kustomize/record.sh`), which the
//! simulated kubectl of that minor must print byte for byte.

use std::path::Path;

use crate::{
    output::Stream,
    sim::{Cluster, profiles::profile_at},
    version::KubeVersion,
    workspace::Workspace,
};

/// Where record.sh built each case; its errors name this path.
const ORACLE_ROOT: &str = "/tmp/kustomize-oracle";

fn cases() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/kustomize")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The case's files (not its recordings) at the oracle's path.
fn workspace_of(case: &Path) -> Workspace {
    let name = case.file_name().and_then(|n| n.to_str()).expect("case name");
    let mut ws = Workspace::default();
    let mut stack = vec![case.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("case folder") {
            let path = entry.expect("entry").path();
            let rel = path.strip_prefix(case).expect("under the case");
            if rel.starts_with("expected") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).expect("a text file");
                ws.write(&format!("{ORACLE_ROOT}/{name}/{}", rel.display()), text);
            }
        }
    }
    ws.set_cwd(&format!("{ORACLE_ROOT}/{name}"));
    ws
}

/// Fails with a unified diff (recorded `-`, kubeplay `+`).
fn same(actual: &str, expected: &str, label: &str) {
    if actual != expected {
        let diff = similar::TextDiff::from_lines(expected, actual);
        panic!("{label}:\n{}", diff.unified_diff().header("real kubectl", "kubeplay"));
    }
}

#[test]
fn kustomize_builds_match_real_kubectl() {
    let cases = cases();
    assert!(cases.len() >= 6, "the recorded cases are there");
    for case in cases {
        let ws = workspace_of(&case);
        let dir = std::fs::read_to_string(case.join(".dir"))
            .map_or(".".to_owned(), |d| d.trim().to_owned());
        for minor in [26, 27, 30, 35] {
            let expected = |ext: &str| {
                std::fs::read_to_string(case.join(format!("expected/{minor}.{ext}")))
                    .expect("recorded")
            };
            let mut cluster =
                Cluster::new(profile_at("kubeadm", KubeVersion::new(1, minor, 0)).unwrap());
            let argv = vec!["kubectl".to_owned(), "kustomize".to_owned(), dir.clone()];
            let out = crate::kubectl::run(&mut cluster, &argv, &ws);
            let label = format!("{} at 1.{minor}", case.display());
            same(&out.stream(Stream::Stdout), &expected("out"), &format!("{label}, stdout"));
            same(&out.stream(Stream::Stderr), &expected("err"), &format!("{label}, stderr"));
            assert_eq!(out.status.to_string(), expected("rc").trim(), "{label}");
        }
    }
}

/// kubectl before 1.24 embeds kustomize v4.0-v4.4 or v2, which kubeplay
/// does not build: the command says so rather than answer as v5 would.
#[test]
fn older_kustomize_is_unsupported() {
    let ws = workspace_of(&cases()[0]);
    let mut cluster = Cluster::new(profile_at("kubeadm", KubeVersion::new(1, 23, 0)).unwrap());
    let argv: Vec<String> = ["kubectl", "kustomize", "."].map(str::to_owned).to_vec();
    let out = crate::kubectl::run(&mut cluster, &argv, &ws);
    let what = out.unsupported.unwrap_or_default();
    assert!(what.starts_with("kustomize before kubectl 1.24"), "{what}");
}
