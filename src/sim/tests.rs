//! Scenario-level tests of the simulator through its public API.

use super::*;

fn kubeadm() -> Cluster {
    Cluster::new(profile("kubeadm").expect("profile"))
}

#[test]
fn bootstrap_creates_namespaces_nodes_and_kubernetes_service() {
    let c = kubeadm();
    let ns: Vec<&str> = c.list(Kind::Namespace, None).iter().map(|o| o.name()).collect();
    assert_eq!(ns, ["default", "kube-node-lease", "kube-public", "kube-system"]);
    let nodes: Vec<&str> = c.list(Kind::Node, None).iter().map(|o| o.name()).collect();
    assert_eq!(nodes, ["master", "worker1"]);
    let Object::Service(svc) = c.get(&ObjectRef::namespaced(Kind::Service, "default", "kubernetes")).unwrap() else {
        panic!("not a service")
    };
    assert_eq!(svc.spec.as_ref().unwrap().cluster_ip.as_deref(), Some("10.96.0.1"));
}
