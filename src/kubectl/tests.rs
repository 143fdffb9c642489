//! End-to-end tests: kubectl command lines against a simulated cluster,
//! compared with the seed tutorial's outputs.

use crate::{
    output::{CommandOutput, Stream},
    sim::{Cluster, profile},
    workspace::Workspace,
};

/// A kubeadm v1.22.2 cluster as the seed tutorial's.
pub(crate) fn kubeadm() -> Cluster {
    Cluster::new(profile("kubeadm").expect("kubeadm profile"))
}

/// Runs `line` (split on whitespace) against `cluster`.
pub(crate) fn kubectl(cluster: &mut Cluster, line: &str) -> CommandOutput {
    let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    super::run(cluster, &argv, &Workspace::default())
}

/// stdout of a successful command.
pub(crate) fn ok(cluster: &mut Cluster, line: &str) -> String {
    let out = kubectl(cluster, line);
    assert_eq!(out.status, 0, "{line} failed: {}", out.merged());
    out.stream(Stream::Stdout)
}

/// stderr of a failed command.
pub(crate) fn fails(cluster: &mut Cluster, line: &str) -> String {
    let out = kubectl(cluster, line);
    assert_eq!(out.status, 1, "{line} should fail: {}", out.merged());
    out.stream(Stream::Stderr)
}

#[test]
fn dump() {
    let mut c = kubeadm();
    for line in [
        "kubectl get nodes",
        "kubectl get nodes -o wide",
        "kubectl get svc",
        "kubectl get pods -A",
        "kubectl get all -A",
        "kubectl get ds -n kube-system",
        "kubectl get pods",
        "kubectl get pod x",
        "kubectl get deploy,svc",
        "kubectl gett pods",
        "kubectl get pods --foo",
        "kubectl get",
        "kubectl get ns",
        "kubectl get events -A",
    ] {
        let out = kubectl(&mut c, line);
        eprintln!("$ {line}\n{}[{}]", out.merged(), out.status);
    }
}
