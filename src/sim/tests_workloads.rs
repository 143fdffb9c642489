//! Simulator tests of workload behaviours beyond Deployments: storage
//! object-in-use protection, StatefulSet `minReadySeconds`, preemption.

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use serde_json::json;

use super::*;
use crate::{
    sim::{controllers::statefulset::sts_kind, quota::pvc_kind},
    version::{Fact, KubeVersion},
};

fn cluster(profile_name: &str, minor: u32) -> Cluster {
    let mut config = profile(profile_name).expect("profile");
    config.version = KubeVersion::new(1, minor, 0);
    Cluster::new(config)
}

fn create(c: &mut Cluster, value: serde_json::Value) {
    let kind = match value["kind"].as_str() {
        Some("PersistentVolumeClaim") => Some(pvc_kind()),
        Some("PersistentVolume") => Some(controllers::persistentvolume::pv_kind()),
        Some("StatefulSet") => Some(sts_kind()),
        Some("PriorityClass") => Some(admission::pod::priority_class_kind()),
        _ => None,
    };
    let object = match kind {
        Some(kind) => Object::from_value_as(kind, value),
        None => Object::from_value(value),
    };
    c.create(object.expect("manifest")).expect("created");
}

fn pod_names(c: &Cluster) -> Vec<String> {
    c.list(Kind::Pod, Some("default")).iter().map(|o| o.name().to_owned()).collect()
}

fn claim_ref() -> ObjectRef {
    ObjectRef::namespaced(pvc_kind(), "default", "data")
}

/// StorageObjectInUseProtection: a claim a scheduled pod mounts is only
/// marked when deleted; it goes once the pod has gone, and its
/// dynamically provisioned volume (reclaim `Delete`) after it.
#[test]
fn a_claim_in_use_stays_until_its_pod_is_gone() {
    let mut c = cluster("kind", 35);
    create(
        &mut c,
        json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data", "namespace": "default"},
            "spec": {"accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}}}),
    );
    create(
        &mut c,
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "user", "namespace": "default"},
            "spec": {"containers": [{"name": "web", "image": "nginx"}],
                     "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}}),
    );
    c.settle_within(Duration::from_secs(120), 100_000);
    let claim = c.get(&claim_ref()).expect("claim").clone();
    assert_eq!(
        claim.meta().finalizers.as_deref(),
        Some(&["kubernetes.io/pvc-protection".to_owned()][..])
    );
    let volume = claim.to_value()["spec"]["volumeName"].as_str().expect("bound").to_owned();
    let pv = ObjectRef::cluster(controllers::persistentvolume::pv_kind(), &volume);
    c.delete(&claim_ref(), DeleteOptions::default()).expect("deleted");
    c.settle_within(Duration::from_secs(600), 100_000);
    let marked = c.get(&claim_ref()).expect("the claim stays while its pod runs");
    assert!(marked.meta().deletion_timestamp.is_some());
    assert_eq!(marked.meta().deletion_grace_period_seconds, Some(0));
    c.delete(&ObjectRef::namespaced(Kind::Pod, "default", "user"), DeleteOptions::default())
        .expect("pod deleted");
    c.settle_within(Duration::from_secs(120), 100_000);
    assert!(c.get(&claim_ref()).is_err(), "the claim goes with its last user");
    assert!(c.get(&pv).is_err(), "its provisioned volume is reclaimed");
}

/// A bound volume being deleted stays until its claim releases it.
#[test]
fn a_bound_volume_stays_until_released() {
    let mut c = cluster("kubeadm", 28);
    create(
        &mut c,
        json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv0"},
            "spec": {"storageClassName": "manual", "capacity": {"storage": "1Gi"},
                     "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/mnt/data"}}}),
    );
    create(
        &mut c,
        json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data", "namespace": "default"},
            "spec": {"storageClassName": "manual", "accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}}}),
    );
    c.settle_within(Duration::from_secs(60), 100_000);
    let pv = ObjectRef::cluster(controllers::persistentvolume::pv_kind(), "pv0");
    c.delete(&pv, DeleteOptions::default()).expect("deleted");
    c.settle_within(Duration::from_secs(60), 100_000);
    assert!(c.get(&pv).expect("kept while bound").meta().deletion_timestamp.is_some());
    c.delete(&claim_ref(), DeleteOptions::default()).expect("claim deleted");
    c.settle_within(Duration::from_secs(60), 100_000);
    assert!(c.get(&claim_ref()).is_err());
    assert!(c.get(&pv).is_err(), "released, the volume goes");
}

fn stateful_set(min_ready: i32) -> serde_json::Value {
    json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"serviceName": "web", "replicas": 2, "minReadySeconds": min_ready,
                 "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
}

/// [`Fact::StatefulSetMinReadySeconds`] on both sides of v1.23: before,
/// the field is dropped and `web-1` follows `web-0` as soon as it is
/// ready; from v1.23 it waits until `web-0` has been ready 60 s.
#[test]
fn statefulset_min_ready_seconds_by_version() {
    let since = Fact::StatefulSetMinReadySeconds.change().since;
    for (minor, kept) in [(since - 1, false), (since, true)] {
        let mut c = cluster("kubeadm", minor);
        create(&mut c, stateful_set(60));
        let set = c.get(&ObjectRef::namespaced(sts_kind(), "default", "web")).unwrap();
        assert_eq!(set.to_value()["spec"].get("minReadySeconds").is_some(), kept, "v1.{minor}");
        c.advance(Duration::from_secs(30));
        let expected: &[&str] = if kept { &["web-0"] } else { &["web-0", "web-1"] };
        assert_eq!(pod_names(&c), expected, "v1.{minor} after 30 s");
        c.advance(Duration::from_secs(60));
        assert_eq!(pod_names(&c), ["web-0", "web-1"], "v1.{minor} after 90 s");
    }
}

/// DefaultPreemption: a pod that fits nowhere evicts the lower-priority pod
/// whose room it needs, is nominated to that node, and runs there once the
/// victim has gone.
#[test]
fn a_higher_priority_pod_preempts_a_lower_one() {
    let mut c = cluster("kubeadm", 35);
    create(
        &mut c,
        json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": {"name": "high"}, "value": 1000}),
    );
    let node_cpu = {
        let node = c.get(&ObjectRef::cluster(Kind::Node, "worker1")).unwrap().to_value();
        node["status"]["allocatable"]["cpu"].as_str().unwrap().to_owned()
    };
    let cpu_m = controllers::scheduler::parse_cpu(&node_cpu);
    let big = format!("{}m", cpu_m * 3 / 4);
    let pod = |name: &str, class: Option<&str>| {
        let mut p = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "c", "image": "nginx",
                     "resources": {"requests": {"cpu": big}}}]}});
        if let Some(class) = class {
            p["spec"]["priorityClassName"] = class.into();
        }
        p
    };
    create(&mut c, pod("low", None));
    c.settle_within(Duration::from_secs(60), 100_000);
    create(&mut c, pod("high", Some("high")));
    c.settle_within(Duration::from_secs(5), 100_000);
    let get = |c: &Cluster, name: &str| {
        c.get(&ObjectRef::namespaced(Kind::Pod, "default", name))
            .ok()
            .and_then(Pod::from_object)
            .cloned()
    };
    let high = get(&c, "high").expect("high");
    assert_eq!(high.spec.as_ref().unwrap().priority, Some(1000));
    assert_eq!(
        high.status.as_ref().unwrap().nominated_node_name.as_deref(),
        Some("worker1"),
        "nominated"
    );
    let low = get(&c, "low");
    if let Some(low) = low {
        let cond = podutil::condition(&low, disruption::DISRUPTION_TARGET).expect("marked");
        assert_eq!(cond.reason.as_deref(), Some("PreemptionByScheduler"));
    }
    c.settle_within(Duration::from_secs(120), 100_000);
    assert!(get(&c, "low").is_none(), "the victim is gone");
    let high = get(&c, "high").unwrap();
    assert_eq!(podutil::node_name(&high), Some("worker1"));
}

/// The eviction subresource marks the pod (v1.26 on), then deletes it with
/// its grace period; before v1.26 it only deletes.
#[test]
fn eviction_marks_the_pod_from_v1_26() {
    for (minor, marked) in [(25, false), (26, true)] {
        let mut c = cluster("kubeadm", minor);
        create(
            &mut c,
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "p", "namespace": "default"},
                "spec": {"containers": [{"name": "c", "image": "busybox:1.36",
                         "command": ["sleep", "3600"]}]}}),
        );
        c.settle_within(Duration::from_secs(60), 100_000);
        let r = ObjectRef::namespaced(Kind::Pod, "default", "p");
        let evicted = c.evict(&r, DeleteOptions::default()).expect("evicted");
        let pod = Pod::from_object(&evicted).expect("a pod");
        assert!(pod.metadata.deletion_timestamp.is_some(), "v1.{minor}: deleted gracefully");
        let cond = podutil::condition(pod, disruption::DISRUPTION_TARGET);
        assert_eq!(cond.is_some(), marked, "v1.{minor}");
        if let Some(cond) = cond {
            assert_eq!(cond.reason.as_deref(), Some("EvictionByEvictionAPI"));
            assert_eq!(cond.message.as_deref(), Some("Eviction API: evicting"));
        }
    }
}

/// The MaxUnavailableStatefulSet gate on both sides of each of its
/// boundaries ([`Fact::MaxUnavailableStatefulSet`] at v1.35.0,
/// [`Fact::MaxUnavailableStatefulSetOffAgain`] at v1.35.4): while it is off
/// the field is dropped and a rolling update replaces one pod at a time;
/// while it is on two of three outdated pods go at once.
#[test]
fn statefulset_max_unavailable_by_version() {
    let on = Fact::MaxUnavailableStatefulSet.change();
    let off = Fact::MaxUnavailableStatefulSetOffAgain.change();
    assert_eq!((on.since, on.since_patch), (off.since, 0), "both boundaries lie in one minor");
    for (version, kept, at_once) in [
        (KubeVersion::new(1, on.since - 1, 0), false, 1),
        (KubeVersion::new(1, on.since, 0), true, 2),
        (KubeVersion::new(1, off.since, off.since_patch - 1), true, 2),
        (KubeVersion::new(1, off.since, off.since_patch), false, 1),
    ] {
        let mut config = profile("kubeadm").expect("profile");
        config.version = version;
        let mut c = Cluster::new(config);
        let mut set = stateful_set(0);
        set["spec"]["replicas"] = 3.into();
        set["spec"]["podManagementPolicy"] = "Parallel".into();
        set["spec"]["updateStrategy"] =
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}});
        create(&mut c, set);
        let r = ObjectRef::namespaced(sts_kind(), "default", "web");
        let stored = c.get(&r).unwrap().to_value();
        let field = stored.pointer("/spec/updateStrategy/rollingUpdate/maxUnavailable");
        assert_eq!(field.is_some(), kept, "{version}");
        c.settle_within(Duration::from_secs(60), 100_000);
        let mut updated = c.get(&r).unwrap().to_value();
        updated["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.27".into();
        c.update(Object::from_value_as(sts_kind(), updated).unwrap()).expect("updated");
        c.run_pending(10_000);
        let terminating = c
            .list(Kind::Pod, Some("default"))
            .iter()
            .filter(|o| o.meta().deletion_timestamp.is_some())
            .count();
        assert_eq!(terminating, at_once, "{version}");
    }
}

/// [`Fact::SchedulerPreFilterMessageOnce`] (v1.26),
/// [`Fact::PreFilterRejectionPreemptionMessage`] (v1.29) and
/// [`Fact::DynamicResourcesPostFilter`] (v1.34) on a pod whose claim does
/// not exist (VolumeBinding's PreFilter): the message on its PodScheduled
/// condition, release by release.
#[test]
fn prefilter_rejection_message_by_version() {
    let once = Fact::SchedulerPreFilterMessageOnce.change().since;
    let again = Fact::PreFilterRejectionPreemptionMessage.change().since;
    let dra = Fact::DynamicResourcesPostFilter.change().since;
    let missing = "persistentvolumeclaim \"data\" not found";
    let not_helpful =
        "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    for (minor, expected) in [
        (once - 1, format!("0/2 nodes are available: 2 {missing}. {not_helpful}")),
        (once, format!("0/2 nodes are available: {missing}.")),
        (again - 1, format!("0/2 nodes are available: {missing}.")),
        (again, format!("0/2 nodes are available: {missing}. {not_helpful}")),
        (dra - 1, format!("0/2 nodes are available: {missing}. {not_helpful}")),
        (dra, format!("0/2 nodes are available: {missing}. not found")),
    ] {
        let mut c = cluster("kubeadm", minor);
        create(
            &mut c,
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"containers": [{"name": "c", "image": "nginx"}],
                         "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}}),
        );
        c.settle_within(Duration::from_secs(5), 100_000);
        let pod = c.get(&ObjectRef::namespaced(Kind::Pod, "default", "web")).unwrap();
        let pod = Pod::from_object(pod).unwrap();
        let cond = podutil::condition(pod, "PodScheduled").expect("PodScheduled");
        assert_eq!(cond.message.as_deref(), Some(expected.as_str()), "v1.{minor}");
    }
}
