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
    let Object::Service(svc) =
        c.get(&ObjectRef::namespaced(Kind::Service, "default", "kubernetes")).unwrap()
    else {
        panic!("not a service")
    };
    assert_eq!(svc.spec.as_ref().unwrap().cluster_ip.as_deref(), Some("10.96.0.1"));
}

use k8s_openapi::api::{
    apps::v1::{Deployment, ReplicaSet},
    core::v1::{Event, Pod},
};
use serde_json::json;

/// `kubectl create deployment <name> --image=<image>` as the API sees it.
fn deployment(name: &str, image: &str, replicas: i32) -> Object {
    let container = image.rsplit('/').next().unwrap_or(image).split(':').next().unwrap_or(image);
    Object::from_value(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}},
                         "spec": {"containers": [{"name": container, "image": image}]}},
        },
    }))
    .expect("manifest")
}

fn pods<'a>(c: &'a Cluster, prefix: &str) -> Vec<&'a Pod> {
    c.list(Kind::Pod, Some("default"))
        .into_iter()
        .filter_map(Pod::from_object)
        .filter(|p| p.metadata.name.as_deref().unwrap_or_default().starts_with(prefix))
        .collect()
}

fn replica_sets<'a>(c: &'a Cluster, prefix: &str) -> Vec<&'a ReplicaSet> {
    c.list(Kind::ReplicaSet, Some("default"))
        .into_iter()
        .filter_map(ReplicaSet::from_object)
        .filter(|p| p.metadata.name.as_deref().unwrap_or_default().starts_with(prefix))
        .collect()
}

fn get_deployment<'a>(c: &'a Cluster, name: &str) -> &'a Deployment {
    Deployment::from_object(
        c.get(&ObjectRef::namespaced(Kind::Deployment, "default", name)).unwrap(),
    )
    .unwrap()
}

fn phase(p: &Pod) -> &str {
    podutil::phase(p)
}

#[test]
fn cluster_starts_settled_with_system_pods_running() {
    let mut c = kubeadm();
    assert!(c.is_quiescent(), "bootstrap leaves no work");
    assert_eq!(c.settle(100), 0, "no timers either");
    let system: Vec<&Pod> =
        c.list(Kind::Pod, Some("kube-system")).into_iter().filter_map(Pod::from_object).collect();
    assert!(system.iter().any(|p| p.metadata.name.as_deref().unwrap().starts_with("coredns-")));
    assert_eq!(
        system
            .iter()
            .filter(|p| p.metadata.name.as_deref().unwrap().starts_with("kube-proxy-"))
            .count(),
        2
    );
    assert!(system.iter().all(|p| phase(p) == "Running"), "all system pods run");
    assert!(c.list(Kind::Event, None).is_empty(), "bootstrap history has expired");
}

#[test]
fn first_section_create_deployment_runs_one_pod_on_worker() {
    let mut c = kubeadm();
    c.create(deployment("test-nginx", "nginx", 1)).unwrap();
    c.settle(1000);
    let rss = replica_sets(&c, "test-nginx-");
    assert_eq!(rss.len(), 1);
    let hash = rss[0].metadata.labels.as_ref().unwrap()["pod-template-hash"].clone();
    assert!(hash.chars().all(|ch| "456789bcdf".contains(ch)), "{hash}");
    assert_eq!(rss[0].metadata.name.as_deref(), Some(format!("test-nginx-{hash}").as_str()));
    let ps = pods(&c, "test-nginx-");
    assert_eq!(ps.len(), 1);
    let pod = ps[0];
    assert_eq!(phase(pod), "Running");
    assert_eq!(pod.spec.as_ref().unwrap().node_name.as_deref(), Some("worker1"));
    assert!(podutil::is_ready(pod));
    let ip = pod.status.as_ref().unwrap().pod_ip.clone().unwrap();
    assert!(ip.starts_with("10.244.1."), "{ip}");
    let d = get_deployment(&c, "test-nginx");
    let st = d.status.as_ref().unwrap();
    assert_eq!(
        (st.ready_replicas, st.available_replicas, st.updated_replicas),
        (Some(1), Some(1), Some(1))
    );
    let conds: Vec<(&str, &str)> = st
        .conditions
        .iter()
        .flatten()
        .map(|c| (c.type_.as_str(), c.reason.as_deref().unwrap()))
        .collect();
    assert_eq!(
        conds,
        [("Available", "MinimumReplicasAvailable"), ("Progressing", "NewReplicaSetAvailable")]
    );
    let reasons: Vec<&str> = c
        .events_for(&ObjectRef::namespaced(
            Kind::Pod,
            "default",
            pod.metadata.name.as_deref().unwrap(),
        ))
        .iter()
        .map(|e| e.reason.as_deref().unwrap())
        .collect();
    assert_eq!(reasons, ["Scheduled", "Pulling", "Pulled", "Created", "Started"]);
    let ev: Vec<&Event> =
        c.events_for(&ObjectRef::namespaced(Kind::Deployment, "default", "test-nginx"));
    assert_eq!(
        ev[0].message.as_deref(),
        Some(format!("Scaled up replica set test-nginx-{hash} to 1").as_str())
    );
    assert_eq!(d.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"], "1");
}
