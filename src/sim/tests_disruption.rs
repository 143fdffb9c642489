//! Simulator tests of PodDisruptionBudgets: the disruption controller's
//! status and the eviction subresource's check, each on both sides of the
//! version boundaries in [`crate::version::facts`].

use std::time::Duration;

use k8s_openapi::api::{core::v1::Pod, policy::v1::PodDisruptionBudget};
use serde_json::json;

use super::*;
use crate::{
    sim::controllers::disruption::pdb_kind,
    version::{Fact, KubeVersion},
};

fn cluster(minor: u32) -> Cluster {
    let mut config = profile("kubeadm").expect("profile");
    config.version = KubeVersion::new(1, minor, 0);
    Cluster::new(config)
}

fn create(c: &mut Cluster, value: serde_json::Value) {
    let object = match value["kind"].as_str() {
        Some("PodDisruptionBudget") => Object::from_value_as(pdb_kind(), value),
        Some("PriorityClass") => {
            Object::from_value_as(admission::pod::priority_class_kind(), value)
        }
        _ => Object::from_value(value),
    };
    c.create(object.expect("manifest")).expect("created");
}

fn settle(c: &mut Cluster) {
    c.settle_within(Duration::from_secs(60), 100_000);
}

fn pdb_api_version(minor: u32) -> &'static str {
    if minor >= 21 { "policy/v1" } else { "policy/v1beta1" }
}

fn budget(c: &mut Cluster, name: &str, spec: serde_json::Value) {
    let minor = c.config().version.minor();
    let mut spec = spec;
    spec["selector"] = json!({"matchLabels": {"app": "web"}});
    create(
        c,
        json!({"apiVersion": pdb_api_version(minor), "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec}),
    );
}

fn deployment(c: &mut Cluster, replicas: i32) {
    create(
        c,
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}),
    );
}

/// A bare pod labelled `app=web`; `ready: false` gives it a readiness
/// probe nginx never answers (port 81).
fn bare_pod(c: &mut Cluster, name: &str, ready: bool) {
    let mut container = json!({"name": "nginx", "image": "nginx"});
    if !ready {
        container["readinessProbe"] = json!({"httpGet": {"path": "/", "port": 81}});
    }
    create(
        c,
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
            "spec": {"containers": [container]}}),
    );
}

fn status(c: &Cluster, name: &str) -> k8s_openapi::api::policy::v1::PodDisruptionBudgetStatus {
    let object = c.get(&ObjectRef::namespaced(pdb_kind(), "default", name)).expect("the budget");
    let pdb: PodDisruptionBudget = controllers::disruption::budget(object).expect("a budget");
    pdb.status.expect("a status")
}

fn pods(c: &Cluster) -> Vec<String> {
    c.list(Kind::Pod, Some("default")).iter().map(|o| o.name().to_owned()).collect()
}

fn evict(c: &mut Cluster, name: &str) -> Result<Object, ApiError> {
    c.evict(&ObjectRef::namespaced(Kind::Pod, "default", name), DeleteOptions::default())
}

/// The controller's counts for integer and percentage budgets, and
/// [`Fact::PdbDisruptionAllowedCondition`] on both sides of v1.21.
#[test]
fn pdb_condition_by_version() {
    let since = Fact::PdbDisruptionAllowedCondition.change().since;
    for minor in [since - 1, since] {
        let mut c = cluster(minor);
        deployment(&mut c, 3);
        budget(&mut c, "min", json!({"minAvailable": 2}));
        settle(&mut c);
        let s = status(&c, "min");
        assert_eq!(
            (s.current_healthy, s.desired_healthy, s.expected_pods, s.disruptions_allowed),
            (3, 2, 3, 1),
            "v1.{minor}"
        );
        assert_eq!(s.observed_generation, Some(1));
        let conditions = s.conditions.unwrap_or_default();
        if minor < since {
            assert!(conditions.is_empty(), "v1.{minor}: no conditions");
        } else {
            let c = &conditions[0];
            assert_eq!(
                (c.type_.as_str(), c.status.as_str(), c.reason.as_str(), c.message.as_str()),
                ("DisruptionAllowed", "True", "SufficientPods", "")
            );
        }
    }
    // A percentage is scaled against the Deployment's replicas, rounding
    // up: 50% of 3 unavailable is 2, so one must stay.
    let mut c = cluster(35);
    deployment(&mut c, 3);
    budget(&mut c, "max", json!({"maxUnavailable": "50%"}));
    settle(&mut c);
    let s = status(&c, "max");
    assert_eq!((s.desired_healthy, s.expected_pods, s.disruptions_allowed), (1, 3, 2));
}

/// A budget matching no pods allows nothing and says so twice (the sync
/// that writes and the one its own update triggers).
#[test]
fn pdb_without_pods_records_no_pods() {
    let mut c = cluster(35);
    budget(&mut c, "empty", json!({"maxUnavailable": 1}));
    settle(&mut c);
    let s = status(&c, "empty");
    assert_eq!((s.expected_pods, s.disruptions_allowed), (0, 0));
    let conditions = s.conditions.unwrap_or_default();
    assert_eq!(conditions[0].reason, "InsufficientPods");
    let events: Vec<_> = c
        .list(Kind::Event, Some("default"))
        .iter()
        .map(|o| o.to_value())
        .filter(|e| e["reason"] == "NoPods")
        .collect();
    assert_eq!(events.len(), 1, "one event, aggregated");
    assert_eq!(events[0]["count"], 2);
    assert_eq!(events[0]["message"], "No matching pods found");
}

/// An eviction spends the budget at once (`disruptedPods` notes the pod);
/// the next is refused with 429 until the controller sees the
/// replacement Ready.
#[test]
fn eviction_spends_the_budget() {
    let mut c = cluster(35);
    deployment(&mut c, 3);
    budget(&mut c, "web", json!({"minAvailable": 2}));
    settle(&mut c);
    let names = pods(&c);
    evict(&mut c, &names[0]).expect("the first eviction is allowed");
    let s = status(&c, "web");
    assert_eq!(s.disruptions_allowed, 0);
    assert!(s.disrupted_pods.unwrap_or_default().contains_key(&names[0]));
    match evict(&mut c, &names[1]) {
        Err(ApiError::TooManyRequests { message, cause, .. }) => {
            assert_eq!(
                message,
                "Cannot evict pod as it would violate the pod's disruption budget."
            );
            assert_eq!(cause, "The disruption budget web does not allow evicting pods currently");
        }
        other => panic!("expected a 429, got {other:?}"),
    }
    assert!(pods(&c).contains(&names[1]), "a refused eviction deletes nothing");
    settle(&mut c);
    let s = status(&c, "web");
    assert_eq!((s.current_healthy, s.disruptions_allowed), (3, 1));
    assert_eq!(s.disrupted_pods, None, "the deleted pod left the map");
    evict(&mut c, &names[1]).expect("allowed again");
}

/// [`Fact::EvictionIgnoresBudgetForPendingPods`] on both sides of v1.19:
/// a pod that cannot be scheduled is evicted past a budget that allows
/// nothing.
#[test]
fn eviction_of_pending_pods_by_version() {
    let since = Fact::EvictionIgnoresBudgetForPendingPods.change().since;
    for minor in [since - 1, since] {
        let mut c = cluster(minor);
        create(
            &mut c,
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "stuck", "namespace": "default", "labels": {"app": "web"}},
                "spec": {"nodeSelector": {"disk": "none"},
                    "containers": [{"name": "nginx", "image": "nginx"}]}}),
        );
        budget(&mut c, "web", json!({"minAvailable": 1}));
        settle(&mut c);
        assert_eq!(status(&c, "web").disruptions_allowed, 0);
        let result = evict(&mut c, "stuck");
        assert_eq!(result.is_ok(), minor >= since, "v1.{minor}: {result:?}");
    }
}

/// [`Fact::EvictionAllowsUnreadyPodsOfHealthyBudget`] (v1.20) and
/// [`Fact::PdbUnhealthyPodEvictionPolicy`] (v1.27), each on both sides: a
/// pod that is not Ready goes past a budget that allows nothing when the
/// budget is met, or whatever the budget when it says `AlwaysAllow`.
#[test]
fn eviction_of_unready_pods_by_version() {
    let since = Fact::EvictionAllowsUnreadyPodsOfHealthyBudget.change().since;
    for minor in [since - 1, since] {
        let mut c = cluster(minor);
        bare_pod(&mut c, "ready", true);
        bare_pod(&mut c, "unready", false);
        budget(&mut c, "web", json!({"minAvailable": 1}));
        settle(&mut c);
        let s = status(&c, "web");
        assert_eq!((s.current_healthy, s.desired_healthy, s.disruptions_allowed), (1, 1, 0));
        let result = evict(&mut c, "unready");
        assert_eq!(result.is_ok(), minor >= since, "v1.{minor}: {result:?}");
        assert!(evict(&mut c, "ready").is_err(), "v1.{minor}: the Ready pod is guarded");
    }
    let since = Fact::PdbUnhealthyPodEvictionPolicy.change().since;
    for minor in [since - 1, since] {
        let mut c = cluster(minor);
        bare_pod(&mut c, "ready", true);
        bare_pod(&mut c, "unready", false);
        budget(
            &mut c,
            "web",
            json!({"minAvailable": 2, "unhealthyPodEvictionPolicy": "AlwaysAllow"}),
        );
        settle(&mut c);
        let object = c.get(&ObjectRef::namespaced(pdb_kind(), "default", "web")).unwrap();
        let kept = controllers::disruption::budget(object)
            .and_then(|b| b.spec?.unhealthy_pod_eviction_policy)
            .is_some();
        assert_eq!(kept, minor >= since, "v1.{minor}: the field is dropped before");
        assert_eq!(status(&c, "web").current_healthy, 1, "v1.{minor}: the budget is not met");
        let result = evict(&mut c, "unready");
        assert_eq!(result.is_ok(), minor >= since, "v1.{minor}: {result:?}");
    }
}

/// DefaultPreemption spares pods whose eviction would break a budget
/// (`filterPodsWithPDBViolation`, `pickOneNodeForPreemption`'s first
/// criterion): of two equal victims on two nodes, the guarded one stays
/// although its node would otherwise win the tie (its victim started
/// later).
#[test]
fn preemption_spares_pods_a_budget_guards() {
    let mut config = profile("kubeadm").expect("profile");
    config.version = KubeVersion::new(1, 35, 0);
    let mut second = config.nodes.last().expect("a worker").clone();
    second.name = "worker2".to_owned();
    second.ip = "192.168.200.13".to_owned();
    config.nodes.retain(|n| n.name != "worker2");
    config.nodes.push(second);
    let mut c = Cluster::new(config);
    create(
        &mut c,
        json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": {"name": "high"}, "value": 1000}),
    );
    let node = c.get(&ObjectRef::cluster(Kind::Node, "worker1")).unwrap().to_value();
    let cpu_m = controllers::scheduler::parse_cpu(
        node["status"]["allocatable"]["cpu"].as_str().expect("allocatable cpu"),
    );
    let big = format!("{}m", cpu_m * 3 / 4);
    let pod = |name: &str, app: &str, class: Option<&str>| {
        let mut p = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": app}},
            "spec": {"containers": [{"name": "c", "image": "nginx",
                     "resources": {"requests": {"cpu": big}}}]}});
        if let Some(class) = class {
            p["spec"]["priorityClassName"] = class.into();
        }
        p
    };
    create(&mut c, pod("free", "free", None));
    settle(&mut c);
    create(&mut c, pod("guarded", "web", None));
    budget(&mut c, "web", json!({"minAvailable": 1}));
    settle(&mut c);
    assert_eq!(status(&c, "web").disruptions_allowed, 0);
    let node_of = |c: &Cluster, name: &str| {
        c.get(&ObjectRef::namespaced(Kind::Pod, "default", name))
            .ok()
            .and_then(Pod::from_object)
            .and_then(|p| podutil::node_name(p).map(str::to_owned))
    };
    let free_node = node_of(&c, "free").expect("free runs");
    assert_ne!(node_of(&c, "guarded"), Some(free_node.clone()), "one pod per worker");
    create(&mut c, pod("high", "high", Some("high")));
    c.settle_within(Duration::from_secs(120), 100_000);
    assert!(
        node_of(&c, "guarded").is_some(),
        "the guarded pod stays: free on {free_node}, now {:?} {:?} {:?}",
        node_of(&c, "free"),
        node_of(&c, "high"),
        pods(&c)
    );
    assert!(node_of(&c, "free").is_none(), "the unguarded victim is gone");
    assert_eq!(node_of(&c, "high"), Some(free_node));
}
