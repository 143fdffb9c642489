//! The disruption controller (`pkg/controller/disruption/disruption.go`):
//! each PodDisruptionBudget's status says how many of the pods its
//! selector matches are healthy (`currentHealthy`: Ready and not being
//! deleted, `countHealthyPods`), how many must stay so (`desiredHealthy`),
//! how many pods there should be (`expectedPods`) and so how many may be
//! evicted now (`disruptionsAllowed`), which the eviction subresource
//! ([`crate::sim::Cluster::evict`]) spends.
//!
//! `getExpectedPodCount`:
//! - `maxUnavailable`: expected is the sum of the scales of the pods'
//!   controllers, desired is expected minus the budget scaled against it
//!   (`GetScaledValueFromIntOrPercent(..., true)`: a percentage rounds up),
//!   at least 0;
//! - an integer `minAvailable`: desired is that number, expected the number
//!   of matching pods;
//! - a percentage `minAvailable`: expected from the controllers' scales,
//!   desired the percentage of it, rounded up.
//!
//! A controller's scale is read as `finders` does: a ReplicationController,
//! a Deployment through its ReplicaSet, a ReplicaSet no Deployment
//! controls, a StatefulSet (each matched by UID); any other controller
//! kind is asked for its `scale` subresource, which the built-in kinds
//! kubeplay keeps (Jobs, DaemonSets, ...) do not have: the sync fails
//! (`failSafe`), setting `disruptionsAllowed` 0 and, from v1.21, the
//! condition `DisruptionAllowed` False `SyncFailed` with the error.
//! (Custom resources with a scale subresource are treated the same way,
//! not read through it.)
//!
//! `updatePdbStatus`: allowed is `currentHealthy - desiredHealthy`, and 0
//! when that is negative or no pods are expected; `observedGeneration` is
//! the budget's generation; from v1.21 ([`Fact::PdbDisruptionAllowedCondition`])
//! the condition `DisruptionAllowed` is True `SufficientPods` when a
//! disruption is allowed, else False `InsufficientPods`
//! (`k8s.io/component-helpers/apps/poddisruptionbudget`
//! `UpdateDisruptionAllowedCondition`, `apimeta.SetStatusCondition`: the
//! transition time moves only when the status does).
//!
//! `disruptedPods`: the eviction subresource notes each pod it lets go;
//! the controller keeps a noted pod not counted as healthy until it is
//! being deleted or two minutes (`DeletionTimeout`) have passed
//! (`buildDisruptedPodMap`), and looks again then.
//!
//! Upstream syncs a budget whenever it or a pod it matches changes, and
//! records `NoPods` (`No matching pods found`, Normal) on every sync that
//! finds no pods, and `UnmanagedPods` (Warning) on every sync that finds
//! pods without a controller and scales from controllers. Here a budget
//! is synced when its status is out of date; each such write is two
//! syncs upstream (the one that writes and the one its own update
//! triggers), so those events are recorded twice per write, as
//! `describe pdb` on a real cluster shows (`(x2 over 2s)`).

use std::collections::BTreeMap;

use k8s_openapi::{
    api::{
        apps::v1::{Deployment, ReplicaSet, StatefulSet},
        core::v1::Pod,
        policy::v1::{PodDisruptionBudget, PodDisruptionBudgetStatus},
    },
    apimachinery::pkg::{
        apis::meta::v1::{Condition, Time},
        util::intstr::IntOrString,
    },
    jiff::Timestamp,
};

use super::{Controller, View, Write, deployment_util::scaled_value, statefulset::sts_kind};
use crate::{
    sim::{
        events::{EventRecord, reference_to},
        kind::Kind,
        labels,
        object::{Object, ObjectRef},
        podutil,
        quota::typed,
        registry::builtin_kind,
        store::Store,
        time,
    },
    version::Fact,
};

/// The PodDisruptionBudget kind (policy, stored generically).
pub fn pdb_kind() -> Kind {
    static KIND: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| builtin_kind("policy", "poddisruptionbudgets"))
}

/// A stored budget as k8s-openapi's `policy/v1` type, whichever version
/// the cluster serves it as (`policy/v1beta1` before v1.21 has the same
/// fields).
pub fn budget(object: &Object) -> Option<PodDisruptionBudget> {
    let mut value = object.to_value();
    value["apiVersion"] = "policy/v1".into();
    serde_json::from_value(value).ok()
}

/// `budget` stored back as the kind `like` is.
pub fn stored(like: &Object, pdb: &PodDisruptionBudget) -> Option<Object> {
    let mut value = serde_json::to_value(pdb).ok()?;
    value["apiVersion"] = like.kind().info().api_version().into();
    Object::from_value_as(like.kind(), value).ok()
}

/// The ReplicationController kind (core/v1, stored generically).
fn rc_kind() -> Kind {
    static KIND: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| builtin_kind("", "replicationcontrollers"))
}

/// How long a pod the eviction API let go may stay undeleted before the
/// controller counts it again (`DeletionTimeout`).
pub const DELETION_TIMEOUT_SECS: i64 = 120;

/// The condition type and its reasons (`policy/v1` types.go).
pub const DISRUPTION_ALLOWED: &str = "DisruptionAllowed";
/// The budget allows at least one disruption.
pub const SUFFICIENT_PODS: &str = "SufficientPods";
/// The budget allows none.
pub const INSUFFICIENT_PODS: &str = "InsufficientPods";
/// The controller could not compute the budget.
pub const SYNC_FAILED: &str = "SyncFailed";

/// The events' source component (`NewDisruptionController`'s recorder).
const COMPONENT: &str = "controllermanager";

/// The disruption controller.
pub struct DisruptionController;

impl Controller for DisruptionController {
    fn name(&self) -> &'static str {
        "disruption-controller"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        view.store
            .list(pdb_kind(), None)
            .find_map(|object| {
                let pdb = budget(object)?;
                let sync = sync(view, &pdb);
                let status = sync.status;
                if pdb.status.as_ref() == Some(&status) {
                    return None;
                }
                let mut updated = pdb.clone();
                updated.status = Some(status);
                let stored = stored(object, &updated)?;
                let reference = reference_to(object);
                let mut writes = vec![Write::Update(stored)];
                for event in sync.events {
                    let record = match event {
                        SyncEvent::NoPods => EventRecord::normal(
                            reference.clone(),
                            COMPONENT,
                            "NoPods",
                            "No matching pods found".to_owned(),
                        ),
                        SyncEvent::Unmanaged(selector) => EventRecord::normal(
                            reference.clone(),
                            COMPONENT,
                            "UnmanagedPods",
                            unmanaged_message(&selector),
                        )
                        .warning(),
                        SyncEvent::ExpectedCountFailed(err) => EventRecord::normal(
                            reference.clone(),
                            COMPONENT,
                            "CalculateExpectedPodCountFailed",
                            format!("Failed to calculate the number of expected pods: {err}"),
                        )
                        .warning(),
                    };
                    // The writing sync and the one its update triggers.
                    writes.push(Write::Event(record.clone()));
                    writes.push(Write::Event(record));
                }
                Some(writes)
            })
            .unwrap_or_default()
    }

    /// A pod the eviction API let go that is still not being deleted
    /// counts again after [`DELETION_TIMEOUT_SECS`] (`enqueuePdbForRecheck`).
    fn next_wakeup(&self, view: &View<'_>) -> Option<Timestamp> {
        view.store
            .list(pdb_kind(), None)
            .filter_map(budget)
            .flat_map(|pdb| {
                pdb.status
                    .and_then(|s| s.disrupted_pods)
                    .unwrap_or_default()
                    .into_values()
                    // `expectedDeletion.Before(now)`: the first instant after.
                    .map(|t| time::add(expiry(&t), std::time::Duration::from_nanos(1)))
            })
            .filter(|t| *t > view.now)
            .min()
    }
}

fn expiry(noted: &Time) -> Timestamp {
    time::add_secs(noted.0, DELETION_TIMEOUT_SECS)
}

/// What one sync records besides the status.
enum SyncEvent {
    NoPods,
    /// The selector, as `%v` prints a `*metav1.LabelSelector`.
    Unmanaged(String),
    ExpectedCountFailed(String),
}

/// One sync's outcome.
struct Sync {
    status: PodDisruptionBudgetStatus,
    events: Vec<SyncEvent>,
}

/// The pods `pdb`'s selector matches in its namespace (`getPodsForPdb`;
/// `LabelSelectorAsSelector`: no selector matches nothing, an empty one
/// everything).
pub fn pods_for<'a>(store: &'a Store, pdb: &PodDisruptionBudget) -> Vec<&'a Pod> {
    let Some(selector) = pdb.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
        return Vec::new();
    };
    store
        .all::<Pod>(pdb.metadata.namespace.as_deref())
        .filter(|p| labels::selector_matches(selector, p.metadata.labels.as_ref()))
        .collect()
}

/// `trySync`, or `failSafe` when the expected count cannot be computed.
fn sync(view: &View<'_>, pdb: &PodDisruptionBudget) -> Sync {
    let pods = pods_for(view.store, pdb);
    let mut events = Vec::new();
    if pods.is_empty() {
        events.push(SyncEvent::NoPods);
    }
    let generation = pdb.metadata.generation.unwrap_or(0);
    let old = pdb.status.clone().unwrap_or_default();
    let conditions = view.config.version.has(Fact::PdbDisruptionAllowedCondition);
    let (expected, desired, unmanaged) = match expected_pod_count(view.store, pdb, &pods) {
        Ok(counts) => counts,
        Err(err) => {
            events.push(SyncEvent::ExpectedCountFailed(err.clone()));
            let mut status = old;
            status.disruptions_allowed = 0;
            if conditions {
                set_condition(&mut status, false, SYNC_FAILED, &err, view.now);
            }
            return Sync { status, events };
        }
    };
    if unmanaged {
        let selector = pdb.spec.as_ref().and_then(|s| s.selector.as_ref());
        events.push(SyncEvent::Unmanaged(go_selector(selector)));
    }
    let disrupted = disrupted_pods(&pods, &old, view.now);
    let healthy = pods
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| !p.metadata.name.as_ref().is_some_and(|n| disrupted.contains_key(n)))
        .filter(|p| podutil::is_ready(p))
        .count() as i32;
    let mut allowed = healthy - desired;
    if expected <= 0 || allowed <= 0 {
        allowed = 0;
    }
    let mut status = PodDisruptionBudgetStatus {
        current_healthy: healthy,
        desired_healthy: desired,
        expected_pods: expected,
        disruptions_allowed: allowed,
        disrupted_pods: (!disrupted.is_empty()).then_some(disrupted),
        observed_generation: Some(generation),
        conditions: old.conditions.clone(),
    };
    if conditions {
        update_disruption_allowed_condition(&mut status, view.now);
    }
    Sync { status, events }
}

/// `getExpectedPodCount`: (expected, desired, whether unmanaged pods were
/// met while scaling from controllers).
fn expected_pod_count(
    store: &Store,
    pdb: &PodDisruptionBudget,
    pods: &[&Pod],
) -> Result<(i32, i32, bool), String> {
    let spec = pdb.spec.clone().unwrap_or_default();
    if let Some(max) = &spec.max_unavailable {
        let (expected, unmanaged) = expected_scale(store, pods)?;
        let max = scaled(max, expected)?;
        return Ok((expected, (expected - max).max(0), unmanaged));
    }
    match &spec.min_available {
        Some(IntOrString::Int(min)) => Ok((pods.len() as i32, *min, false)),
        Some(min @ IntOrString::String(_)) => {
            let (expected, unmanaged) = expected_scale(store, pods)?;
            Ok((expected, scaled(min, expected)?, unmanaged))
        }
        None => Ok((0, 0, false)),
    }
}

/// `GetScaledValueFromIntOrPercent(v, total, true)`; its error for a
/// string that is not a percentage.
fn scaled(v: &IntOrString, total: i32) -> Result<i32, String> {
    if let IntOrString::String(s) = v
        && s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()).is_none()
    {
        return Err(
            "invalid value for IntOrString: invalid type: string is not a percentage".to_owned()
        );
    }
    Ok(scaled_value(Some(v), total, true))
}

/// `getExpectedScale`: the sum of the scales of the pods' controllers,
/// each counted once; whether some pod had no controller.
fn expected_scale(store: &Store, pods: &[&Pod]) -> Result<(i32, bool), String> {
    let mut scales: BTreeMap<String, i32> = BTreeMap::new();
    let mut unmanaged = false;
    for pod in pods {
        let Some(owner) = podutil::controller_of(&pod.metadata) else {
            unmanaged = true;
            continue;
        };
        if scales.contains_key(&owner.uid) {
            continue;
        }
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
        let name = pod.metadata.name.as_deref().unwrap_or_default();
        match controller_scale(store, namespace, owner)? {
            Some((uid, scale)) => {
                scales.insert(uid, scale);
            }
            None => return Err(format!("found no controllers for pod \"{name}\"")),
        }
    }
    Ok((scales.values().sum(), unmanaged))
}

/// The group of an `apiVersion`.
fn group_of(api_version: &str) -> &str {
    api_version.split_once('/').map_or("", |(g, _)| g)
}

/// `finders`: the controller's UID and `spec.replicas`, or `None` when no
/// finder knows it; an error for a kind without a scale subresource.
fn controller_scale(
    store: &Store,
    namespace: &str,
    owner: &k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference,
) -> Result<Option<(String, i32)>, String> {
    let group = group_of(&owner.api_version);
    let get = |kind: Kind, name: &str| store.get(&ObjectRef::namespaced(kind, namespace, name));
    let same_uid = |o: &Object| o.meta().uid.as_deref() == Some(owner.uid.as_str());
    match (owner.kind.as_str(), group) {
        ("ReplicationController", "") => {
            let Some(rc) = get(rc_kind(), &owner.name).filter(|o| same_uid(o)) else {
                return Ok(None);
            };
            let replicas = rc.to_value()["spec"]["replicas"].as_i64().unwrap_or(1) as i32;
            Ok(Some((owner.uid.clone(), replicas)))
        }
        ("ReplicaSet", "apps" | "extensions") => {
            let Some(Object::ReplicaSet(rs)) = get(Kind::ReplicaSet, &owner.name) else {
                return Ok(None);
            };
            if rs.metadata.uid.as_deref() != Some(owner.uid.as_str()) {
                return Ok(None);
            }
            match podutil::controller_of(&rs.metadata) {
                // `getPodDeployment`.
                Some(d) if d.kind == "Deployment" => {
                    if !matches!(group_of(&d.api_version), "apps" | "extensions") {
                        return Ok(None);
                    }
                    let deployment = store
                        .get_typed::<Deployment>(Some(namespace), &d.name)
                        .filter(|dep| dep.metadata.uid.as_deref() == Some(d.uid.as_str()));
                    Ok(deployment.map(|dep| (d.uid.clone(), replicas_of_deployment(dep))))
                }
                // `getPodReplicaSet`.
                _ => Ok(Some((owner.uid.clone(), replicas_of_rs(rs)))),
            }
        }
        ("StatefulSet", "apps") => {
            let Some(sts) = get(sts_kind(), &owner.name).filter(|o| same_uid(o)) else {
                return Ok(None);
            };
            let sts: Option<StatefulSet> = typed(sts);
            let replicas = sts.and_then(|s| s.spec).and_then(|s| s.replicas).unwrap_or(1);
            Ok(Some((owner.uid.clone(), replicas)))
        }
        // `getScaleController`: the built-in kinds left have no scale
        // subresource (`implementsScale`).
        (kind, group) => {
            let resource = crate::sim::registry::builtin_kind_of(&owner.api_version, kind)
                .map(|k| k.info().group_resource())
                .unwrap_or_else(|| {
                    let plural = format!("{}s", kind.to_lowercase());
                    if group.is_empty() { plural } else { format!("{plural}.{group}") }
                });
            Err(format!("{resource} does not implement the scale subresource"))
        }
    }
}

fn replicas_of_rs(rs: &ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

fn replicas_of_deployment(d: &Deployment) -> i32 {
    d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

/// `buildDisruptedPodMap`: the noted pods that exist, are not being
/// deleted and were noted less than [`DELETION_TIMEOUT_SECS`] ago.
fn disrupted_pods(
    pods: &[&Pod],
    old: &PodDisruptionBudgetStatus,
    now: Timestamp,
) -> BTreeMap<String, Time> {
    let Some(noted) = old.disrupted_pods.as_ref() else { return BTreeMap::new() };
    pods.iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter_map(|p| {
            let name = p.metadata.name.as_ref()?;
            let at = noted.get(name)?;
            (expiry(at) >= now).then(|| (name.clone(), at.clone()))
        })
        .collect()
}

/// `UpdateDisruptionAllowedCondition`.
pub fn update_disruption_allowed_condition(status: &mut PodDisruptionBudgetStatus, now: Timestamp) {
    if status.disruptions_allowed > 0 {
        set_condition(status, true, SUFFICIENT_PODS, "", now);
    } else {
        set_condition(status, false, INSUFFICIENT_PODS, "", now);
    }
}

/// `apimeta.SetStatusCondition` of `DisruptionAllowed`, observed at the
/// status's generation: a new condition, or the old one with the new
/// status (its transition time now only if the status changed), reason
/// and message.
fn set_condition(
    status: &mut PodDisruptionBudgetStatus,
    allowed: bool,
    reason: &str,
    message: &str,
    now: Timestamp,
) {
    let value = if allowed { "True" } else { "False" };
    let observed = status.observed_generation;
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    match conditions.iter_mut().find(|c| c.type_ == DISRUPTION_ALLOWED) {
        Some(c) => {
            if c.status != value {
                c.status = value.to_owned();
                c.last_transition_time = time::time(now);
            }
            c.reason = reason.to_owned();
            c.message = message.to_owned();
            c.observed_generation = observed;
        }
        None => conditions.push(Condition {
            type_: DISRUPTION_ALLOWED.to_owned(),
            status: value.to_owned(),
            reason: reason.to_owned(),
            message: message.to_owned(),
            last_transition_time: time::time(now),
            observed_generation: observed,
        }),
    }
}

/// The `UnmanagedPods` warning (`trySync`).
fn unmanaged_message(selector: &str) -> String {
    format!(
        "Pods selected by this PodDisruptionBudget (selector: {selector}) were found to be \
         unmanaged. As a result, the status of the PDB cannot be calculated correctly, which \
         may result in undefined behavior. To account for these pods please set \
         \".spec.minAvailable\" field of the PDB to an integer value."
    )
}

/// `%v` of a `*metav1.LabelSelector`: its generated `String()`,
/// `&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}`.
fn go_selector(
    selector: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
) -> String {
    let Some(s) = selector else { return "nil".to_owned() };
    let labels: String =
        s.match_labels.iter().flatten().map(|(k, v)| format!("{k}: {v},")).collect();
    let exprs: String = s
        .match_expressions
        .iter()
        .flatten()
        .map(|e| {
            let values: String = e.values.iter().flatten().map(|v| format!("{v},")).collect();
            format!(
                "LabelSelectorRequirement{{Key:{},Operator:{},Values:[]string{{{values}}},}},",
                e.key, e.operator
            )
        })
        .collect();
    format!(
        "&LabelSelector{{MatchLabels:map[string]string{{{labels}}},MatchExpressions:[]LabelSelectorRequirement{{{exprs}}},}}"
    )
}
