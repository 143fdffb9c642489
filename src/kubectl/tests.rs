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
        "kubectl create deployment test-nginx --image=nginx",
        "kubectl get deployment",
        "kubectl get pod",
        "kubectl get pod -o wide",
        "kubectl expose deployment test-nginx --port=80 --type=NodePort",
        "kubectl get svc",
        "kubectl scale deployment test-nginx --replicas=5",
        "kubectl get pods",
        "kubectl scale deployment test-nginx --replicas=2",
        "kubectl autoscale deployment test-nginx --min=1 --max=10",
        "kubectl get hpa",
        "kubectl describe deploy test-nginx",
        "kubectl get all",
        "kubectl rollout history deploy/test-nginx",
        "kubectl set image deploy test-nginx nginx=nginx:1.9.1 --record",
        "kubectl rollout status deploy/test-nginx",
        "kubectl rollout history deploy/test-nginx",
        "kubectl rollout undo deploy/test-nginx",
        "kubectl get rs -o wide",
        "kubectl delete deploy test-nginx",
        "kubectl get pods",
    ] {
        let out = kubectl(&mut c, line);
        eprintln!("$ {line}\n{}[{}]", out.merged(), out.status);
        c.settle(10_000);
    }
}
