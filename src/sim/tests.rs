//! Scenario-level tests of the simulator through its public API.

use std::time::Duration;

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

fn deploy_ref(name: &str) -> ObjectRef {
    ObjectRef::namespaced(Kind::Deployment, "default", name)
}

/// Replaces a Deployment's spec through `update`, as kubectl edit/apply would.
fn edit_deployment(c: &mut Cluster, name: &str, f: impl FnOnce(&mut Deployment)) {
    let mut d = get_deployment(c, name).clone();
    f(&mut d);
    c.update(Object::Deployment(d)).expect("update");
}

fn set_image(d: &mut Deployment, image: &str) {
    d.spec.as_mut().unwrap().template.spec.as_mut().unwrap().containers[0].image =
        Some(image.to_owned());
}

fn rs_sizes(c: &Cluster, name: &str) -> Vec<(String, i32)> {
    let mut v: Vec<(String, i32)> = replica_sets(c, &format!("{name}-"))
        .iter()
        .map(|rs| (rs.metadata.name.clone().unwrap(), rs.spec.as_ref().unwrap().replicas.unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn scale_up_then_down_keeps_the_oldest_pod() {
    let mut c = kubeadm();
    c.create(deployment("test-nginx", "nginx", 1)).unwrap();
    c.settle(1000);
    let first = pods(&c, "test-nginx-")[0].metadata.name.clone().unwrap();
    c.advance(Duration::from_secs(9 * 60));
    edit_deployment(&mut c, "test-nginx", |d| d.spec.as_mut().unwrap().replicas = Some(5));
    c.settle(1000);
    let ps = pods(&c, "test-nginx-");
    assert_eq!(ps.len(), 5);
    assert!(ps.iter().all(|p| phase(p) == "Running"));
    c.advance(Duration::from_secs(60));
    edit_deployment(&mut c, "test-nginx", |d| d.spec.as_mut().unwrap().replicas = Some(2));
    c.settle(1000);
    let names: Vec<String> =
        pods(&c, "test-nginx-").iter().map(|p| p.metadata.name.clone().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&first), "the oldest pod survives: {names:?}");
    let messages: Vec<String> = c
        .events_for(&deploy_ref("test-nginx"))
        .iter()
        .map(|e| e.message.clone().unwrap())
        .collect();
    let rs = &rs_sizes(&c, "test-nginx")[0].0;
    assert_eq!(
        messages,
        [
            format!("Scaled up replica set {rs} to 1"),
            format!("Scaled up replica set {rs} to 5"),
            format!("Scaled down replica set {rs} to 2")
        ]
    );
}

#[test]
fn rolling_update_follows_the_reference_trace() {
    let mut c = kubeadm();
    c.create(deployment("web", "nginx:1.7.9", 3)).unwrap();
    c.settle(1000);
    let old = rs_sizes(&c, "web")[0].0.clone();
    edit_deployment(&mut c, "web", |d| set_image(d, "nginx:1.9.1"));
    let mut trace: Vec<(i32, i32)> = Vec::new();
    for _ in 0..2000 {
        let sizes = rs_sizes(&c, "web");
        if sizes.len() == 2 {
            let old_size = sizes.iter().find(|(n, _)| *n == old).unwrap().1;
            let new_size = sizes.iter().find(|(n, _)| *n != old).unwrap().1;
            if trace.last() != Some(&(new_size, old_size)) {
                trace.push((new_size, old_size));
            }
        }
        if c.step().is_none() {
            break;
        }
    }
    assert_eq!(trace, [(1, 3), (1, 2), (2, 2), (2, 1), (3, 1), (3, 0)]);
    let d = get_deployment(&c, "web");
    assert_eq!(d.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"], "2");
    let st = d.status.as_ref().unwrap();
    assert_eq!(
        (st.replicas, st.updated_replicas, st.available_replicas),
        (Some(3), Some(3), Some(3))
    );
    assert_eq!(pods(&c, "web-").len(), 3);
}

#[test]
fn recreate_scales_old_to_zero_before_creating_new() {
    let mut c = kubeadm();
    c.create(deployment("rec", "nginx:1.7.9", 5)).unwrap();
    c.settle(2000);
    edit_deployment(&mut c, "rec", |d| {
        set_image(d, "nginx:1.8.1");
        d.spec.as_mut().unwrap().strategy = Some(k8s_openapi::api::apps::v1::DeploymentStrategy {
            type_: Some("Recreate".into()),
            rolling_update: None,
        });
    });
    let mut saw_new_with_old_pods = false;
    for _ in 0..3000 {
        let sizes = rs_sizes(&c, "rec");
        if sizes.len() == 2 {
            let new_size = sizes.iter().map(|(_, n)| *n).sum::<i32>();
            let live_pods = pods(&c, "rec-").len() as i32;
            saw_new_with_old_pods |= new_size > 5 || (new_size == 5 && live_pods > 5);
        }
        if c.step().is_none() {
            break;
        }
    }
    assert!(!saw_new_with_old_pods, "never old and new together");
    let sizes = rs_sizes(&c, "rec");
    assert_eq!(sizes.iter().map(|(_, n)| *n).collect::<Vec<_>>().iter().sum::<i32>(), 5);
    let ps = pods(&c, "rec-");
    assert_eq!(ps.len(), 5);
    assert!(ps.iter().all(|p| p.spec.as_ref().unwrap().containers[0].image.as_deref() == Some("nginx:1.8.1")));
    let messages: Vec<String> =
        c.events_for(&deploy_ref("rec")).iter().map(|e| e.message.clone().unwrap()).collect();
    assert!(
        messages[1].starts_with("Scaled down replica set rec-") && messages[1].ends_with(" to 0"),
        "{messages:?}"
    );
    assert!(
        messages[2].starts_with("Scaled up replica set rec-") && messages[2].ends_with(" to 5"),
        "{messages:?}"
    );
}

#[test]
fn rollback_renumbers_revision_two_to_five() {
    let mut c = kubeadm();
    let mut d = deployment("testdeployment", "nginx:1.7.9", 3);
    d.meta_mut().annotations =
        Some([("kubernetes.io/change-cause".to_owned(), "rev1".to_owned())].into());
    c.create(d).unwrap();
    c.settle(2000);
    for (i, image) in ["nginx:1.8.1", "nginx:1.9.0", "nginx:1.9.1"].iter().enumerate() {
        edit_deployment(&mut c, "testdeployment", |d| {
            set_image(d, image);
            d.metadata
                .annotations
                .get_or_insert_with(Default::default)
                .insert("kubernetes.io/change-cause".into(), format!("rev{}", i + 2));
        });
        c.settle(2000);
    }
    let rev_of = |c: &Cluster| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = replica_sets(c, "testdeployment-")
            .iter()
            .map(|rs| {
                let a = rs.metadata.annotations.as_ref().unwrap();
                (
                    a["deployment.kubernetes.io/revision"].clone(),
                    rs.spec
                        .as_ref()
                        .unwrap()
                        .template
                        .as_ref()
                        .unwrap()
                        .spec
                        .as_ref()
                        .unwrap()
                        .containers[0]
                        .image
                        .clone()
                        .unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        rev_of(&c).iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>(),
        ["1", "2", "3", "4"]
    );
    // `kubectl rollout undo --to-revision=2`: template and annotations of revision 2.
    let rs2 = replica_sets(&c, "testdeployment-")
        .into_iter()
        .find(|rs| {
            rs.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"] == "2"
        })
        .unwrap()
        .clone();
    edit_deployment(&mut c, "testdeployment", |d| {
        let mut t = rs2.spec.clone().unwrap().template.unwrap();
        t.metadata.as_mut().unwrap().labels.as_mut().unwrap().remove("pod-template-hash");
        d.spec.as_mut().unwrap().template = t;
        d.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert("kubernetes.io/change-cause".into(), "rev2".into());
    });
    c.settle(2000);
    let revs = rev_of(&c);
    assert_eq!(
        revs,
        [
            ("1".into(), "nginx:1.7.9".into()),
            ("3".into(), "nginx:1.9.0".into()),
            ("4".into(), "nginx:1.9.1".into()),
            ("5".into(), "nginx:1.8.1".into())
        ]
    );
    let rs5 = replica_sets(&c, "testdeployment-")
        .into_iter()
        .find(|rs| rs.metadata.name == rs2.metadata.name)
        .unwrap();
    let a = rs5.metadata.annotations.as_ref().unwrap();
    assert_eq!(a["deployment.kubernetes.io/revision-history"], "2");
    assert_eq!(a["kubernetes.io/change-cause"], "rev2");
    assert_eq!(rs5.spec.as_ref().unwrap().replicas, Some(3));
    assert_eq!(
        get_deployment(&c, "testdeployment").metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"],
        "5"
    );
}

#[test]
fn same_config_same_calls_same_objects() {
    let run = || {
        let mut c = kubeadm();
        c.create(deployment("a", "nginx", 3)).unwrap();
        c.settle(1000);
        edit_deployment(&mut c, "a", |d| set_image(d, "nginx:1.9.1"));
        c.settle(2000);
        let mut out = String::new();
        for kind in [Kind::Pod, Kind::ReplicaSet, Kind::Deployment, Kind::Event, Kind::Service] {
            for o in c.list(kind, None) {
                out.push_str(&o.to_value().to_string());
            }
        }
        out
    };
    assert_eq!(run(), run());
}

#[test]
fn invalid_requests_leave_the_store_unchanged() {
    let mut c = kubeadm();
    let before = c.list(Kind::Deployment, None).len();
    let mut d = deployment("bad", "nginx", 1);
    if let Object::Deployment(dd) = &mut d {
        dd.spec.as_mut().unwrap().replicas = Some(-1);
    }
    let err = c.create(d).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Deployment.apps \"bad\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );
    assert_eq!(c.list(Kind::Deployment, None).len(), before);
    c.create(deployment("good", "nginx", 1)).unwrap();
    let err = c.create(deployment("good", "nginx", 1)).unwrap_err();
    assert_eq!(err.to_string(), "deployments.apps \"good\" already exists");
}

#[test]
fn services_get_cluster_ip_and_node_port() {
    let mut c = kubeadm();
    let svc = Object::from_value(json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "test-nginx"},
        "spec": {"type": "NodePort", "selector": {"app": "test-nginx"}, "ports": [{"port": 80}]},
    }))
    .unwrap();
    let Object::Service(s) = c.create(svc).unwrap() else { panic!() };
    let spec = s.spec.unwrap();
    let ip = spec.cluster_ip.unwrap();
    assert!(ip.starts_with("10.") && ip != "10.96.0.1", "{ip}");
    let port = &spec.ports.unwrap()[0];
    assert!((30000..=32767).contains(&port.node_port.unwrap()));
    assert_eq!(port.protocol.as_deref(), Some("TCP"));
    assert_eq!(
        port.target_port,
        Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(80))
    );
    let bad = Object::from_value(json!({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"},
        "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]},
    }))
    .unwrap();
    let err = c.create(bad).unwrap_err().to_string();
    assert!(err.contains("spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"), "{err}");
}

#[test]
fn pods_get_admission_defaults() {
    let mut c = kubeadm();
    c.create(deployment("d", "nginx", 1)).unwrap();
    c.settle(1000);
    let pod = pods(&c, "d-")[0];
    let spec = pod.spec.as_ref().unwrap();
    assert_eq!(spec.service_account_name.as_deref(), Some("default"));
    assert_eq!(spec.priority, Some(0));
    let vol = &spec.volumes.as_ref().unwrap()[0].name;
    assert!(vol.starts_with("kube-api-access-") && vol.len() == "kube-api-access-".len() + 5);
    let tol: Vec<(&str, i64)> = spec
        .tolerations
        .iter()
        .flatten()
        .map(|t| (t.key.as_deref().unwrap(), t.toleration_seconds.unwrap()))
        .collect();
    assert_eq!(
        tol,
        [("node.kubernetes.io/not-ready", 300), ("node.kubernetes.io/unreachable", 300)]
    );
    assert_eq!(spec.containers[0].image_pull_policy.as_deref(), Some("Always"));
    assert_eq!(pod.status.as_ref().unwrap().qos_class.as_deref(), Some("BestEffort"));
    let cs = &pod.status.as_ref().unwrap().container_statuses.as_ref().unwrap()[0];
    assert!(cs.container_id.as_deref().unwrap().starts_with("docker://"));
    assert!(cs.image_id.starts_with("docker-pullable://nginx@sha256:"));
}

#[test]
fn transient_states_are_observable_step_by_step() {
    let mut c = kubeadm();
    c.create(deployment("t", "nginx", 1)).unwrap();
    let mut saw_creating = false;
    while c.step().is_some() {
        if let Some(p) = pods(&c, "t-").first() {
            let waiting = p
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .and_then(|cs| cs[0].state.as_ref())
                .and_then(|s| s.waiting.as_ref());
            saw_creating |= waiting.and_then(|w| w.reason.as_deref()) == Some("ContainerCreating");
        }
    }
    assert!(saw_creating);
    let p = pods(&c, "t-")[0];
    let pulled: Vec<String> = c
        .events_for(&ObjectRef::namespaced(
            Kind::Pod,
            "default",
            p.metadata.name.as_deref().unwrap(),
        ))
        .iter()
        .filter(|e| e.reason.as_deref() == Some("Pulled"))
        .map(|e| e.message.clone().unwrap())
        .collect();
    assert!(
        pulled[0].starts_with("Successfully pulled image \"nginx\" in ")
            && pulled[0].ends_with('s'),
        "{pulled:?}"
    );
}

#[test]
fn deleting_a_pod_terminates_it_and_the_replica_set_replaces_it() {
    let mut c = kubeadm();
    c.create(deployment("del", "nginx:1.7.9", 3)).unwrap();
    c.settle(1000);
    let victim = pods(&c, "del-")[0].metadata.name.clone().unwrap();
    let r = ObjectRef::namespaced(Kind::Pod, "default", &victim);
    let Object::Pod(p) = c.delete(&r, DeleteOptions::default()).unwrap() else { panic!() };
    assert!(p.metadata.deletion_timestamp.is_some(), "Terminating first");
    c.settle(1000);
    assert!(c.get(&r).is_err(), "gone after the kubelet confirms");
    let ps = pods(&c, "del-");
    assert_eq!(ps.len(), 3);
    assert!(ps.iter().all(|p| phase(p) == "Running"));
    let reasons: Vec<String> = c.events_for(&r).iter().map(|e| e.reason.clone().unwrap()).collect();
    assert!(reasons.contains(&"Killing".to_owned()));
}

#[test]
fn deleting_a_deployment_collects_its_replica_sets_and_pods() {
    let mut c = kubeadm();
    c.create(deployment("gc", "nginx", 2)).unwrap();
    c.settle(1000);
    c.delete(&deploy_ref("gc"), DeleteOptions::default()).unwrap();
    c.settle(1000);
    assert!(replica_sets(&c, "gc-").is_empty());
    assert!(pods(&c, "gc-").is_empty());
}

#[test]
fn node_power_off_evicts_pods_after_tolerations_and_power_on_finishes_them() {
    let mut c = kubeadm();
    // Let the master take pods too, as the seed tutorial does.
    let Object::Node(mut master) =
        c.get(&ObjectRef::cluster(Kind::Node, "master")).unwrap().clone()
    else {
        panic!()
    };
    master.spec.as_mut().unwrap().taints = None;
    c.update(Object::Node(master)).unwrap();
    c.create(deployment("testdeployment", "nginx:1.7.9", 3)).unwrap();
    c.settle(1000);
    let on_worker: Vec<String> = pods(&c, "testdeployment-")
        .iter()
        .filter(|p| p.spec.as_ref().unwrap().node_name.as_deref() == Some("worker1"))
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    assert!(!on_worker.is_empty());
    c.set_kubelet_running("worker1", false).unwrap();
    c.advance(Duration::from_secs(41));
    let Object::Node(w) = c.get(&ObjectRef::cluster(Kind::Node, "worker1")).unwrap() else {
        panic!()
    };
    let ready = w
        .status
        .as_ref()
        .unwrap()
        .conditions
        .as_ref()
        .unwrap()
        .iter()
        .find(|c| c.type_ == "Ready")
        .unwrap();
    assert_eq!(ready.status, "Unknown");
    assert!(
        w.spec
            .as_ref()
            .unwrap()
            .taints
            .iter()
            .flatten()
            .any(|t| t.key == "node.kubernetes.io/unreachable" && t.effect == "NoExecute")
    );
    let d = get_deployment(&c, "testdeployment");
    assert_eq!(d.status.as_ref().unwrap().ready_replicas, Some(3 - on_worker.len() as i32));
    c.advance(Duration::from_secs(300));
    c.settle(1000);
    let ps = pods(&c, "testdeployment-");
    let terminating: Vec<&&Pod> =
        ps.iter().filter(|p| p.metadata.deletion_timestamp.is_some()).collect();
    assert_eq!(terminating.len(), on_worker.len(), "evicted pods stay Terminating");
    assert_eq!(
        ps.iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none() && phase(p) == "Running")
            .count(),
        3
    );
    c.set_kubelet_running("worker1", true).unwrap();
    c.settle(1000);
    let ps = pods(&c, "testdeployment-");
    assert_eq!(ps.len(), 3, "terminations complete once the kubelet is back");
    let Object::Node(w) = c.get(&ObjectRef::cluster(Kind::Node, "worker1")).unwrap() else {
        panic!()
    };
    assert!(w.spec.as_ref().unwrap().taints.is_none());
}

#[test]
fn seeded_pod_has_history() {
    let mut c = kubeadm();
    let pod = Object::from_value(json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "testpod"},
        "spec": {"containers": [{"name": "busybox", "image": "busybox", "command": ["sleep", "3600"]}]},
    }))
    .unwrap();
    c.seed_object(
        pod,
        Duration::from_secs(24 * 3600),
        Some(12),
        Some(Duration::from_secs(24 * 60)),
    )
    .unwrap();
    let Object::Pod(p) = c.get(&ObjectRef::namespaced(Kind::Pod, "default", "testpod")).unwrap()
    else {
        panic!()
    };
    assert_eq!(phase(p), "Running");
    let created = p.metadata.creation_timestamp.as_ref().unwrap().0;
    assert_eq!(time::since(c.now(), created), Duration::from_secs(24 * 3600));
    let cs = &p.status.as_ref().unwrap().container_statuses.as_ref().unwrap()[0];
    assert_eq!(cs.restart_count, 12);
    let finished = cs
        .last_state
        .as_ref()
        .unwrap()
        .terminated
        .as_ref()
        .unwrap()
        .finished_at
        .as_ref()
        .unwrap()
        .0;
    assert_eq!(time::since(c.now(), finished), Duration::from_secs(24 * 60));
    assert!(c.is_quiescent());
}

#[test]
fn autoscaler_reports_current_replicas_without_metrics() {
    let mut c = kubeadm();
    c.create(deployment("web", "nginx", 2)).unwrap();
    c.settle(1000);
    let hpa = Object::from_value(json!({
        "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 10},
    }))
    .unwrap();
    c.create(hpa).unwrap();
    c.settle(100);
    let r = ObjectRef::namespaced(Kind::HorizontalPodAutoscaler, "default", "web");
    let Object::HorizontalPodAutoscaler(h) = c.get(&r).unwrap() else { panic!() };
    let st = h.status.as_ref().unwrap();
    assert_eq!(
        (st.current_replicas, st.desired_replicas, &st.current_metrics),
        (Some(2), 0, &None)
    );
    // The v1 manifest named no target: stored as the v2 default, 80% CPU.
    let metrics = h.spec.as_ref().unwrap().metrics.clone().unwrap();
    assert_eq!(metrics[0].resource.as_ref().unwrap().target.average_utilization, Some(80));
}

#[test]
fn new_namespaces_get_default_service_account_and_root_ca() {
    let mut c = kubeadm();
    c.create(
        Object::from_value(
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}),
        )
        .unwrap(),
    )
    .unwrap();
    c.settle(100);
    assert!(c.get(&ObjectRef::namespaced(Kind::ServiceAccount, "dev", "default")).is_ok());
    assert!(c.get(&ObjectRef::namespaced(Kind::ConfigMap, "dev", "kube-root-ca.crt")).is_ok());
    assert_eq!(c.list(Kind::Secret, Some("dev")).len(), 1, "v1.22 token secret");
    c.delete(&ObjectRef::cluster(Kind::Namespace, "dev"), DeleteOptions::default()).unwrap();
    c.settle(100);
    assert!(c.get(&ObjectRef::cluster(Kind::Namespace, "dev")).is_err());
}

#[test]
fn kube_proxy_daemon_set_runs_on_every_node() {
    let c = kubeadm();
    let r = ObjectRef::namespaced(Kind::DaemonSet, "kube-system", "kube-proxy");
    let Object::DaemonSet(ds) = c.get(&r).unwrap() else { panic!() };
    let st = ds.status.as_ref().unwrap();
    assert_eq!(
        (st.desired_number_scheduled, st.current_number_scheduled, st.number_ready),
        (2, 2, 2)
    );
    assert_eq!(
        ds.metadata.annotations.as_ref().unwrap()["deprecated.daemonset.template.generation"],
        "1"
    );
}

#[test]
fn run_pending_reacts_without_moving_the_clock() {
    let mut c = kubeadm();
    let t0 = c.now();
    c.create(deployment("p", "nginx", 1)).unwrap();
    assert!(c.run_pending(1000) > 0);
    assert_eq!(c.now(), t0);
    let p = pods(&c, "p-")[0];
    assert_eq!(p.spec.as_ref().unwrap().node_name.as_deref(), Some("worker1"));
    assert_eq!(phase(p), "Pending");
    let d = get_deployment(&c, "p");
    assert_eq!(d.status.as_ref().unwrap().updated_replicas, Some(1));
}

#[test]
fn paused_deployment_keeps_its_partial_rollout() {
    let mut c = kubeadm();
    c.create(deployment("pz", "nginx:1.9.0", 3)).unwrap();
    c.settle(1000);
    edit_deployment(&mut c, "pz", |d| set_image(d, "nginx:1.9.1"));
    c.run_pending(1000);
    edit_deployment(&mut c, "pz", |d| d.spec.as_mut().unwrap().paused = Some(true));
    c.settle(1000);
    let sizes: Vec<i32> = rs_sizes(&c, "pz").iter().map(|(_, n)| *n).collect();
    assert_eq!(sizes.iter().sum::<i32>(), 4, "surge pod kept, nothing more: {sizes:?}");
    let d = get_deployment(&c, "pz");
    let progressing = d
        .status
        .as_ref()
        .unwrap()
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "Progressing")
        .unwrap();
    assert_eq!(
        (progressing.status.as_str(), progressing.reason.as_deref()),
        ("Unknown", Some("DeploymentPaused"))
    );
    edit_deployment(&mut c, "pz", |d| d.spec.as_mut().unwrap().paused = Some(false));
    c.settle(2000);
    let d = get_deployment(&c, "pz");
    assert_eq!(d.status.as_ref().unwrap().updated_replicas, Some(3));
    assert_eq!(pods(&c, "pz-").len(), 3);
}

#[test]
fn endpoints_follow_ready_pods() {
    let mut c = kubeadm();
    c.create(deployment("web", "nginx", 2)).unwrap();
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                     "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}});
    c.create(Object::from_value(svc).unwrap()).unwrap();
    c.settle(1000);
    let Object::Endpoints(ep) =
        c.get(&ObjectRef::namespaced(Kind::Endpoints, "default", "web")).unwrap()
    else {
        panic!()
    };
    let subset = &ep.subsets.as_ref().unwrap()[0];
    assert_eq!(subset.addresses.as_ref().unwrap().len(), 2);
    assert_eq!(subset.ports.as_ref().unwrap()[0].port, 80);
    let Object::Endpoints(k) =
        c.get(&ObjectRef::namespaced(Kind::Endpoints, "default", "kubernetes")).unwrap()
    else {
        panic!()
    };
    assert_eq!(k.subsets.as_ref().unwrap()[0].addresses.as_ref().unwrap()[0].ip, "192.168.200.11");
}

#[test]
fn joined_node_registers_and_gets_daemon_pods() {
    let mut c = kubeadm();
    c.advance(Duration::from_secs(3600));
    let node =
        NodeConfig { name: "worker2".into(), ip: "192.168.200.13".into(), ..Default::default() };
    c.add_node(node).unwrap();
    c.settle(1000);
    let Object::Node(n) = c.get(&ObjectRef::cluster(Kind::Node, "worker2")).unwrap() else {
        panic!()
    };
    assert_eq!(
        n.metadata.creation_timestamp.as_ref().unwrap().0,
        time::time(c.now()).0.min(n.metadata.creation_timestamp.as_ref().unwrap().0)
    );
    assert_eq!(n.spec.as_ref().unwrap().pod_cidr.as_deref(), Some("10.244.2.0/24"));
    let proxies = c
        .list(Kind::Pod, Some("kube-system"))
        .into_iter()
        .filter_map(Pod::from_object)
        .filter(|p| {
            p.spec.as_ref().unwrap().node_name.as_deref() == Some("worker2")
                && phase(p) == "Running"
        })
        .count();
    assert_eq!(proxies, 1);
}

#[test]
fn a_pod_is_pending_from_creation_and_reports_stopped_containers_before_removal() {
    let mut c = kubeadm();
    let pod = Object::from_value(json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "w"}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}))
    .unwrap();
    let Object::Pod(created) = c.create(pod).unwrap() else { panic!() };
    let status = created.status.unwrap();
    assert_eq!(
        (status.phase.as_deref(), status.qos_class.as_deref()),
        (Some("Pending"), Some("BestEffort"))
    );
    c.settle(1000);
    let r = ObjectRef::namespaced(Kind::Pod, "default", "w");
    c.delete(&r, DeleteOptions::default()).unwrap();
    let mut saw_stopped = false;
    while let Ok(Object::Pod(p)) = c.get(&r) {
        let cs = &p.status.as_ref().unwrap().container_statuses.as_ref().unwrap()[0];
        saw_stopped |= !cs.ready && cs.state.as_ref().is_some_and(|s| s.terminated.is_some());
        if c.step().is_none() {
            break;
        }
    }
    assert!(saw_stopped, "the kubelet reports 0/1 before the pod goes");
    assert!(c.get(&r).is_err());
}

#[test]
fn endpoint_slices_follow_their_service() {
    use k8s_openapi::api::discovery::v1::EndpointSlice;
    let mut c = kubeadm();
    c.create(deployment("web", "nginx", 2)).unwrap();
    let svc = Object::from_value(json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}))
    .unwrap();
    c.create(svc).unwrap();
    c.settle(1000);
    let slices: Vec<&EndpointSlice> = c
        .list(Kind::EndpointSlice, Some("default"))
        .into_iter()
        .filter_map(EndpointSlice::from_object)
        .collect();
    let names: Vec<&str> = slices.iter().map(|s| s.metadata.name.as_deref().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0], "kubernetes");
    assert!(names[1].starts_with("web-") && names[1].len() == 9, "{names:?}");
    assert_eq!(slices[1].endpoints.len(), 2);
    assert_eq!(slices[1].ports.as_ref().unwrap()[0].port, Some(80));
    c.delete(&ObjectRef::namespaced(Kind::Service, "default", "web"), DeleteOptions::default())
        .unwrap();
    c.settle(1000);
    assert_eq!(c.list(Kind::EndpointSlice, Some("default")).len(), 1, "collected with the Service");
}

/// Replica counts from the user reach int32's limits; the controllers'
/// surge and proportion math must saturate, not overflow (a debug build
/// panicked on `--replicas=2147483647` in `NewRSNewReplicas`).
#[test]
fn int32_replica_counts_do_not_overflow_the_controllers() {
    let mut c = kubeadm();
    c.create(deployment("big", "nginx", i32::MAX)).unwrap();
    // A bounded number of steps: the ReplicaSet grows 500 pods a sync.
    c.settle(20);
    let rs = replica_sets(&c, "big-");
    assert_eq!(rs.len(), 1);
    assert_eq!(rs[0].spec.as_ref().and_then(|s| s.replicas), Some(i32::MAX));
    // A rolling update on top: proportions and surge at the limit.
    edit_deployment(&mut c, "big", |d| {
        let spec = d.spec.as_mut().unwrap();
        spec.template.spec.as_mut().unwrap().containers[0].image = Some("nginx:1.25".into());
    });
    c.settle(20);
    assert_eq!(replica_sets(&c, "big-").len(), 2);
}

/// A Job's parallelism at int32's limit creates pods 500 a sync
/// (`MaxPodCreateDeletePerSync`), not two billion at once.
#[test]
fn a_job_with_int32_parallelism_creates_pods_in_bursts() {
    let mut c = kubeadm();
    let job = Object::from_value(json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "wide"},
        "spec": {
            "parallelism": i32::MAX, "completions": i32::MAX,
            "template": {"spec": {"restartPolicy": "Never",
                "containers": [{"name": "c", "image": "busybox"}]}},
        },
    }))
    .expect("manifest");
    c.create(job).unwrap();
    c.settle(3);
    let n = pods(&c, "wide-").len();
    assert!(n > 0 && n <= 1500, "{n} pods");
}

/// Issue 13: a generated name that collides with a stored object must not
/// make every retry draw the same name. A one-character suffix leaves 27
/// names for 20 pods, so most late creates collide at first. Before v1.31
/// the ReplicaSet controller sees each collision (`FailedCreate ... already
/// exists`) and its next sync draws a fresh name; from v1.31 the API server
/// itself retries with fresh names (`RetryGenerateName`, 8 attempts).
#[test]
fn generated_name_collisions_retry_with_fresh_names() {
    let mut seen = Vec::new();
    for version in ["v1.30.0", "v1.31.0"] {
        let mut config = profile("kubeadm").expect("profile");
        config.version = crate::version::KubeVersion::parse(version).unwrap();
        names::set_suffix_len_for_test(1);
        let mut c = Cluster::new(config);
        c.create(deployment("web", "nginx", 20)).unwrap();
        c.settle(100_000);
        names::set_suffix_len_for_test(5);
        let d = get_deployment(&c, "web");
        let ready = d.status.as_ref().and_then(|s| s.ready_replicas);
        assert_eq!(ready, Some(20), "{version}: the Deployment completes despite collisions");
        let ps = pods(&c, "web-");
        assert_eq!(ps.len(), 20);
        assert!(ps.iter().all(|p| phase(p) == "Running"));
        let rs = replica_sets(&c, "web-")[0].metadata.name.clone().unwrap();
        let collisions: i32 = c
            .events_for(&ObjectRef::namespaced(Kind::ReplicaSet, "default", &rs))
            .iter()
            .filter(|e| e.message.as_deref().is_some_and(|m| m.contains("already exists")))
            .map(|e| e.count.unwrap_or(1))
            .sum();
        seen.push(collisions);
    }
    assert!(seen[0] > 0, "v1.30: the controller saw collisions, {seen:?}");
    assert!(seen[1] < seen[0], "v1.31: the API server absorbs most, {seen:?}");
}

/// The kubeadm profile with `n` workers (and its control plane).
fn with_workers(n: usize) -> config::ClusterConfig {
    let mut config = profile("kubeadm").expect("profile");
    let template = config.nodes[1].clone();
    config.nodes.truncate(1);
    for i in 0..n {
        let mut node = template.clone();
        node.name = format!("worker{i}");
        node.ip = format!("172.16.{}.{}", i / 250, i % 250 + 10);
        node.pod_cidr = None;
        config.nodes.push(node);
    }
    config
}

/// The growth exponent of `cost` between sizes `small` and `3 × small`.
fn exponent(cost: impl Fn(usize) -> u64, small: usize) -> (f64, u64, u64) {
    let (a, b) = (cost(small), cost(3 * small));
    ((b as f64 / a as f64).ln() / 3f64.ln(), a, b)
}

/// The complexity guard for nodes (issue 13): a cluster of `n` workers
/// boots (kube-proxy, a DaemonSet, on every node), idles for a virtual
/// day, then runs a DaemonSet of its own on every node. Store reads, not
/// time. The DaemonSet sync reads only the nodes that changed since its
/// last sync (`controllers::daemon_summary`), not every node as
/// `syncDaemonSet` does upstream; the bound catches any return of that
/// walk or of other per-step scans (endpoints over kube-system's pods,
/// the scheduler over every node for a pod that names its node).
#[test]
fn daemonset_and_idle_node_reads_grow_at_most_linearly_per_sync() {
    let boot_and_idle = |n: usize| {
        let mut c = Cluster::new(with_workers(n));
        c.advance(Duration::from_secs(24 * 3600));
        let proxies = c
            .list(Kind::Pod, Some("kube-system"))
            .into_iter()
            .filter_map(Pod::from_object)
            .filter(|p| p.metadata.name.as_deref().is_some_and(|n| n.starts_with("kube-proxy-")))
            .filter(|p| podutil::is_ready(p))
            .count();
        assert_eq!(proxies, n + 1, "kube-proxy on every node");
        c.store().reads()
    };
    let (idle, small, large) = exponent(boot_and_idle, 10);
    eprintln!("boot and idle: nodes^{idle:.2} ({small} reads, {large})");
    // Measured at 0.91 (11,268 reads for 10 workers, 30,608 for 30), 0.71
    // (10,063, 21,883) since the DaemonSet summary: the boot's fixed
    // objects still dominate at these sizes.
    assert!(idle < 1.2, "booting and idling grows as nodes^{idle:.2}: {small} reads, {large}");
    let daemonset = |n: usize| {
        let mut c = Cluster::new(with_workers(n));
        let before = c.store().reads();
        c.create(
            Object::from_value(json!({
                "apiVersion": "apps/v1", "kind": "DaemonSet",
                "metadata": {"name": "agent", "namespace": "default"},
                "spec": {"selector": {"matchLabels": {"app": "agent"}},
                    "template": {"metadata": {"labels": {"app": "agent"}},
                        "spec": {"containers": [{"name": "a", "image": "nginx:1.25"}]}}}
            }))
            .unwrap(),
        )
        .expect("created");
        c.settle_within(Duration::from_secs(3600), 1_000_000);
        let ready = pods(&c, "agent-").iter().filter(|p| podutil::is_ready(p)).count();
        assert_eq!(ready, n, "an agent on every worker (the control plane is tainted)");
        c.store().reads() - before
    };
    let (ds, small, large) = exponent(daemonset, 10);
    eprintln!("DaemonSet: nodes^{ds:.2} ({small} reads, {large})");
    // Measured at 1.27 (4,323 reads, 17,543) while the sync walked every
    // node once per pod that became Ready (docs/benchmarks.md, session 8);
    // at 0.98 with the summary (3,524 reads, 10,364; session 9).
    assert!(ds < 1.1, "a DaemonSet's rollout grows as nodes^{ds:.2}: {small} reads, {large}");
}

/// The complexity guard (issue 13): the store reads a Deployment's
/// rollout costs, per pod, must not grow with the size of the Deployment.
/// Reads are counted, not timed, so the test cannot flake; the debug
/// builds' whole-world equivalence checks are not counted. The nodes stay
/// the same (six workers), as in the benchmark's Deployment pods series:
/// the scheduler's look at every node per pod is the one cost meant to
/// grow with nodes.
#[test]
fn deployment_rollout_reads_grow_linearly() {
    fn reads_to_roll_out(pods: usize) -> u64 {
        let mut c = Cluster::new(with_workers(6));
        let before = c.store().reads();
        c.create(deployment("web", "nginx:1.25", pods as i32)).expect("created");
        c.settle_within(Duration::from_secs(3600), 1_000_000);
        let ready = pods_ready(&c, "web-");
        assert_eq!(ready, pods, "every replica runs");
        c.store().reads() - before
    }
    fn pods_ready(c: &Cluster, prefix: &str) -> usize {
        pods(c, prefix).into_iter().filter(|p| podutil::is_ready(p)).count()
    }
    let (exponent, small, large) = exponent(reads_to_roll_out, 40);
    eprintln!("Deployment: pods^{exponent:.2} ({small} reads, {large})");
    // Measured at 1.27 (18,629 reads for 40 pods, 75,437 for 120; 1.35
    // before the scheduler read per-node sums and the garbage collector
    // stopped queueing every pod on each ReplicaSet update): still
    // superlinear, as pods per node grow here, from the kubelet (each step
    // rewrites its node's runtime record, which queues all the node's
    // pods; its sweep reads them all). The bound catches any return
    // towards quadratic (2.0); issue 13's goal is at most 1.2. 1.15 (16,847
    // reads, 59,628) since a kubelet step queues only the pods whose
    // records it changed (session 9).
    assert!(
        exponent < 1.3,
        "store reads grow as pods^{exponent:.2}: {small} reads for 40 pods, {large} for 120"
    );
}

/// The complexity guard for the Job controller (issue 13): the store reads
/// a Job of `n` completions, 10 at a time, costs to complete. A sync
/// reads the Job's open pods (active, terminating, holding the tracking
/// finalizer: at most about `parallelism` of them) and the store's count
/// of the succeeded ones, and a look reads the pods written since the
/// last ([`crate::sim::job_pods`]), where both read every pod the Job
/// ever ran; the keyed queue keeps the other steps (the kubelets', the
/// scheduler's) from reading the Job's pods at all.
#[test]
fn job_reads_grow_with_its_syncs_only() {
    let reads_to_complete = |n: usize| {
        let mut config = with_workers(6);
        config.images.insert(
            "quick".into(),
            images::ImageSpec { run_for: Some(Duration::from_secs(5)), ..Default::default() },
        );
        let mut c = Cluster::new(config);
        let before = c.store().reads();
        c.create(
            Object::from_value(json!({
                "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j", "namespace": "default"},
                "spec": {"completions": n, "parallelism": 10, "template": {"spec": {
                    "restartPolicy": "Never", "containers": [{"name": "c", "image": "quick"}]}}}
            }))
            .unwrap(),
        )
        .expect("created");
        c.settle_within(Duration::from_secs(3600), 1_000_000);
        let done = pods(&c, "j-").iter().filter(|p| phase(p) == "Succeeded").count();
        assert_eq!(done, n, "every completion");
        c.store().reads() - before
    };
    let (exponent, small, large) = exponent(reads_to_complete, 30);
    eprintln!("Job: completions^{exponent:.2} ({small} reads, {large})");
    // Measured at 1.48 (66,743 reads for 30, 340,406 for 90) with the
    // whole-world loop, which observed every Job's pods on every step;
    // 1.34 (25,418, 111,388) keyed, a look skipped while nothing the Job
    // controls was written (session 10); 1.23 (22,415, 86,278) with the
    // store's index of each Job's pods (session 11).
    assert!(
        exponent < 1.3,
        "a Job's reads grow as completions^{exponent:.2}: {small} reads for 30, {large} for 90"
    );
}

/// [`crate::version::Fact::JobBackoffFromFinishTimes`]: a failed Job pod is
/// replaced after the work queue's back-off at v1.26, and 10 s after the
/// failed pod finished (`backoff_utils.go`) at v1.27.
#[test]
fn job_backoff_from_finish_times_by_version() {
    let gap = |minor| {
        let mut config =
            profiles::profile_at("kubeadm", crate::version::KubeVersion::new(1, minor, 0))
                .expect("profile");
        config.images.insert(
            "fail".into(),
            images::ImageSpec {
                run_for: Some(Duration::from_secs(5)),
                exit: Some(1),
                ..Default::default()
            },
        );
        let mut c = Cluster::new(config);
        c.create(
            Object::from_value(json!({
                "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "f", "namespace": "default"},
                "spec": {"backoffLimit": 1, "template": {"spec": {"restartPolicy": "Never",
                    "containers": [{"name": "c", "image": "fail"}]}}}
            }))
            .unwrap(),
        )
        .unwrap();
        c.advance(Duration::from_secs(120));
        let mut ps = pods(&c, "f-");
        ps.sort_by_key(|p| p.metadata.creation_timestamp.clone().map(|t| t.0));
        assert_eq!(ps.len(), 2, "v1.{minor}: {ps:?}");
        let finished = ps[0]
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|c| c[0].state.as_ref()?.terminated.as_ref()?.finished_at.clone());
        let created = ps[1].metadata.creation_timestamp.clone();
        created.unwrap().0.as_second() - finished.unwrap().0.as_second()
    };
    let (v26, v27) = (gap(26), gap(27));
    assert_eq!(v27, 10, "v1.27 replaces 10 s after the failure (v1.26: {v26} s)");
    assert_ne!(v26, v27, "v1.26 follows its work queue");
}

/// [`crate::version::Fact::SchedulerPreFilterNodeNames`] and
/// [`crate::version::Fact::SchedulerStartIndexOverAllNodes`]: the
/// scheduler's next search start (`nextStartNodeIndex`) after a pod that
/// names its node. On 102 nodes a plain pod's search stops after 100
/// feasible nodes, so the start moves; then a pod whose affinity names one
/// node leaves it (v1.23: every node searched), sends it back to 0
/// (v1.24–v1.30: wrapped over the one named node) or moves it by one
/// (v1.31: wrapped over all nodes).
#[test]
fn scheduler_start_index_by_version() {
    let starts = |minor: u32| {
        let mut config =
            profiles::profile_at("kubeadm", crate::version::KubeVersion::new(1, minor, 0))
                .expect("profile");
        let template = config.nodes[1].clone();
        config.nodes.truncate(1);
        for i in 0..101 {
            let mut node = template.clone();
            node.name = format!("worker{i:03}");
            node.ip = format!("172.16.{}.{}", i / 250, i % 250 + 10);
            node.pod_cidr = None;
            config.nodes.push(node);
        }
        let mut c = Cluster::new(config);
        let start = |c: &Cluster| c.runtime().scheduler_start;
        let pod = |name: &str, node: Option<&str>| {
            let mut spec = json!({"containers": [{"name": "c", "image": "nginx:1.25"}]});
            if let Some(node) = node {
                spec["affinity"] = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
                    {"nodeSelectorTerms": [{"matchFields": [
                        {"key": "metadata.name", "operator": "In", "values": [node]}]}]}}});
            }
            Object::from_value(json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "namespace": "default"}, "spec": spec
            }))
            .unwrap()
        };
        let s0 = start(&c);
        c.create(pod("plain", None)).expect("created");
        c.settle_within(Duration::from_secs(60), 100_000);
        let s1 = start(&c);
        c.create(pod("named", Some("worker005"))).expect("created");
        c.settle_within(Duration::from_secs(60), 100_000);
        let placed = c
            .get(&ObjectRef::namespaced(Kind::Pod, "default", "named"))
            .ok()
            .and_then(Pod::from_object)
            .and_then(|p| podutil::node_name(p).map(str::to_owned));
        assert_eq!(placed.as_deref(), Some("worker005"), "v1.{minor}");
        (s0, s1, start(&c))
    };
    for minor in [23, 24, 30, 31] {
        let (s0, s1, s2) = starts(minor);
        assert_ne!(s0, s1, "v1.{minor}: a search of 100 of 102 nodes moves the start");
        let expected = match minor {
            23 => s1,
            24 | 30 => 0,
            _ => (s1 + 1) % 102,
        };
        assert_eq!(s2, expected, "v1.{minor}: start {s0} → {s1} → {s2}");
    }
}
