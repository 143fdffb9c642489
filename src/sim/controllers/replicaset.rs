//! The ReplicaSet controller. Mirrors `pkg/controller/replicaset/replica_set.go`
//! (v1.22): claim pods, create or delete to match `spec.replicas` (victims
//! ranked as `controller.ActivePodsWithRanks`), then status.

use std::{cmp::Ordering, collections::BTreeMap};

use k8s_openapi::{
    api::{
        apps::v1::{ReplicaSet, ReplicaSetCondition, ReplicaSetStatus},
        core::v1::Pod,
    },
    apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time},
    jiff::Timestamp,
};

use super::{Controller, View, Write, deployment_util::nz};
use crate::sim::{
    Kind, Object,
    events::{EventRecord, reference_to},
    labels::{map_matches, selector_is_empty, selector_matches},
    object::Resource,
    podutil,
    queue::{self, Affected, Keyed, QueueKey, RuntimeChange},
    store::Change,
};
use crate::version::Fact;

const COMPONENT: &str = "replicaset-controller";

/// `burstReplicas`: most pods created or deleted in one sync.
const BURST_REPLICAS: usize = 500;

/// The ReplicaSet controller.
pub struct ReplicaSetController;

impl Controller for ReplicaSetController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        queue::full_scan(self, view)
    }

    /// Ready pods become available after `minReadySeconds`.
    fn next_wakeup(&self, view: &View<'_>) -> Option<Timestamp> {
        queue::scan_wakeup(self, view)
    }

    fn keyed(&self) -> Option<&dyn Keyed> {
        Some(self)
    }
}

/// One key per ReplicaSet; its pods' changes (and those of pods no one
/// owns, which it may adopt) concern it.
impl Keyed for ReplicaSetController {
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey> {
        queue::object_keys(view, Kind::ReplicaSet)
    }

    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected {
        queue::object_or_controller_keys(view, change, Kind::ReplicaSet)
    }

    fn on_runtime(&self, _view: &View<'_>, change: &RuntimeChange) -> Affected {
        match change {
            RuntimeChange::Node(_)
            | RuntimeChange::PodRecords(..)
            | RuntimeChange::ControllerMemory => Affected::Nothing,
            RuntimeChange::Other => Affected::All,
        }
    }

    fn sync(&self, view: &View<'_>, key: &QueueKey) -> Vec<Write> {
        view.store
            .get(&key.object)
            .and_then(ReplicaSet::from_object)
            .map_or_else(Vec::new, |rs| sync_replica_set(view, rs))
    }

    /// A pod becoming available, or the end of a create back-off.
    fn wakeup(&self, view: &View<'_>, key: &QueueKey) -> Option<Timestamp> {
        let rs = view.store.get(&key.object).and_then(ReplicaSet::from_object)?;
        available_wakeup(view, rs)
            .into_iter()
            .chain(super::create_held_until(view, rs.metadata.uid.as_deref()))
            .min()
    }
}

/// When the next of a ReplicaSet's ready pods becomes available.
fn available_wakeup(view: &View<'_>, rs: &ReplicaSet) -> Option<Timestamp> {
    let min_ready = rs.spec.as_ref()?.min_ready_seconds.unwrap_or(0);
    // Ready is available at once: no pod has a time to wait for.
    if min_ready <= 0 {
        return None;
    }
    let uid = rs.metadata.uid.as_deref()?;
    own_pods(view, rs.metadata.namespace.as_deref(), uid)
        .filter(|p| podutil::controlled_by(&p.metadata, uid))
        .filter_map(|p| podutil::available_at(p, min_ready, view.now))
        .min()
}

/// The pods a ReplicaSet with `uid` may claim: those it controls and
/// those no one controls, in its namespace, in store order.
fn own_pods<'a>(
    view: &View<'a>,
    namespace: Option<&str>,
    uid: &str,
) -> impl Iterator<Item = &'a Pod> + use<'a> {
    let namespace = namespace.map(str::to_owned);
    let mut pods: Vec<&Pod> = view
        .store
        .pods_controlled_by(uid)
        .chain(view.store.orphan_pods())
        .filter(|p| p.metadata.namespace == namespace)
        .collect();
    pods.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    pods.into_iter()
}

/// Syncs one ReplicaSet; returns its writes (empty when in sync). From
/// the store's count of its pods when that is all the sync needs, else
/// from the list of its pods; debug builds check that both agree.
fn sync_replica_set(view: &View<'_>, rs: &ReplicaSet) -> Vec<Write> {
    let counted = counted_sync(view, rs);
    #[cfg(debug_assertions)]
    if let Some(counted) = &counted {
        let reads = view.store.reads();
        let listed = listed_sync(view, rs);
        view.store.set_reads(reads);
        assert!(
            *counted == listed,
            "the ReplicaSet sync from pod counts disagrees with the one from its pods: {:?}",
            rs.metadata.name
        );
    }
    counted.unwrap_or_else(|| listed_sync(view, rs))
}

/// The sync from the store's [`crate::sim::pod_tally::PodTally`] of the
/// ReplicaSet's active pods, when nothing calls for looking at the pods
/// one by one: no pod to adopt (no orphan in the namespace) or release
/// (every label set matches the selector), none to pick for deletion (not
/// more than wanted), availability without `minReadySeconds` (available
/// is ready), and the ReplicaSet not being deleted. `None` otherwise.
fn counted_sync(view: &View<'_>, rs: &ReplicaSet) -> Option<Vec<Write>> {
    let spec = rs.spec.as_ref()?;
    if rs.metadata.deletion_timestamp.is_some()
        || spec.min_ready_seconds.unwrap_or(0) > 0
        || selector_is_empty(&spec.selector)
    {
        return None;
    }
    let ns = rs.metadata.namespace.as_deref().unwrap_or("default");
    if view.store.has_orphan_pods_in(Some(ns)) {
        return None;
    }
    let uid = rs.metadata.uid.as_deref().unwrap_or_default();
    let none = crate::sim::pod_tally::PodTally::default();
    let tally = view.store.pod_tally(uid, Some(ns)).unwrap_or(&none);
    if tally.label_sets().any(|(labels, _)| !selector_matches(&spec.selector, labels)) {
        return None;
    }
    let have = tally.pods();
    let want = rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1).max(0) as usize;
    if have > want {
        return None;
    }
    let mut writes = create_missing(view, rs, have, want);
    let template_labels = template_labels(rs);
    let fully: usize = tally
        .label_sets()
        .filter(|(labels, _)| map_matches(&template_labels, *labels))
        .map(|(_, c)| c.pods)
        .sum();
    let ready = tally.ready() as i32;
    let terminating = terminating_replicas(view, tally.terminating());
    let mut status = status_of(rs, have as i32, fully as i32, ready, ready, terminating);
    replica_failure(view, rs, have, want, &mut status);
    if rs.status.as_ref() != Some(&status) {
        let mut updated = rs.clone();
        updated.status = Some(status);
        writes.push(Write::Update(Object::ReplicaSet(updated)));
    }
    Some(writes)
}

/// The sync from the list of the ReplicaSet's pods (`syncReplicaSet`).
fn listed_sync(view: &View<'_>, rs: &ReplicaSet) -> Vec<Write> {
    let mut writes = Vec::new();
    let Some(spec) = rs.spec.as_ref() else { return writes };
    let ns = rs.metadata.namespace.as_deref().unwrap_or("default");
    let uid = rs.metadata.uid.as_deref().unwrap_or_default();
    let deleting = rs.metadata.deletion_timestamp.is_some();
    let mut owned: Vec<&Pod> = Vec::new();
    // `FilterTerminatingPods` then `FilterClaimedPods`: controlled by this
    // ReplicaSet and matching its selector.
    let terminating = own_pods(view, Some(ns), uid)
        .filter(|p| {
            podutil::is_terminating(p)
                && podutil::controller_of(&p.metadata).is_some_and(|o| o.uid == uid)
                && !selector_is_empty(&spec.selector)
                && selector_matches(&spec.selector, p.metadata.labels.as_ref())
        })
        .count();
    for pod in own_pods(view, Some(ns), uid).filter(|p| podutil::is_active(p)) {
        let matches = !selector_is_empty(&spec.selector)
            && selector_matches(&spec.selector, pod.metadata.labels.as_ref());
        match podutil::controller_of(&pod.metadata) {
            Some(o) if o.uid == uid => {
                if matches {
                    owned.push(pod);
                } else {
                    let mut released = pod.clone();
                    if let Some(refs) = released.metadata.owner_references.as_mut() {
                        refs.retain(|o| o.uid != uid);
                    }
                    writes.push(Write::Update(Object::Pod(released)));
                }
            }
            None if matches && !deleting => {
                let mut adopted = pod.clone();
                adopted
                    .metadata
                    .owner_references
                    .get_or_insert_with(Vec::new)
                    .push(controller_ref(rs));
                writes.push(Write::Update(Object::Pod(adopted)));
                owned.push(pod);
            }
            _ => {}
        }
    }
    if !deleting {
        writes.extend(manage_replicas(view, rs, &owned));
    }
    let mut status =
        calculate_status(rs, &owned, terminating_replicas(view, terminating), view.now);
    let want = spec.replicas.unwrap_or(1).max(0) as usize;
    replica_failure(view, rs, owned.len(), want, &mut status);
    if rs.status.as_ref() != Some(&status) {
        let mut updated = rs.clone();
        updated.status = Some(status);
        writes.push(Write::Update(Object::ReplicaSet(updated)));
    }
    writes
}

/// The controller reference a ReplicaSet puts on its pods.
fn controller_ref(rs: &ReplicaSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".to_owned(),
        kind: "ReplicaSet".to_owned(),
        name: rs.metadata.name.clone().unwrap_or_default(),
        uid: rs.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// `manageReplicas`.
fn manage_replicas(view: &View<'_>, rs: &ReplicaSet, owned: &[&Pod]) -> Vec<Write> {
    let want = rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1).max(0) as usize;
    if owned.len() < want {
        return create_missing(view, rs, owned.len(), want);
    }
    if owned.len() > want {
        let involved = reference_to(&Object::ReplicaSet(rs.clone()));
        let n = (owned.len() - want).min(BURST_REPLICAS);
        let related = related_pods(view, rs);
        return pods_to_delete(owned, &related, n, view.now)
            .into_iter()
            .flat_map(|p| super::delete_owned_pod(&involved, COMPONENT, p))
            .collect();
    }
    Vec::new()
}

/// `manageReplicas`' creates: up to `burstReplicas` pods towards `want`
/// (none while a rejected create holds the ReplicaSet back).
fn create_missing(view: &View<'_>, rs: &ReplicaSet, have: usize, want: usize) -> Vec<Write> {
    if have >= want {
        return Vec::new();
    }
    if super::create_held_until(view, rs.metadata.uid.as_deref()).is_some() {
        return Vec::new();
    }
    let involved = reference_to(&Object::ReplicaSet(rs.clone()));
    let n = (want - have).min(BURST_REPLICAS);
    (0..n)
        .map(|_| {
            let ev = EventRecord::normal(
                involved.clone(),
                COMPONENT,
                "SuccessfulCreate",
                "Created pod: {name}".to_owned(),
            );
            Write::CreateWithEvent(Object::Pod(pod_from_template(rs)), ev)
        })
        .collect()
}

/// `controller.GetPodFromTemplate`: template labels/annotations/spec,
/// `generateName: <rs>-`, controller reference.
pub fn pod_from_template(rs: &ReplicaSet) -> Pod {
    let template = rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
    let tmeta = template.metadata.unwrap_or_default();
    Pod {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}-", rs.metadata.name.as_deref().unwrap_or_default())),
            namespace: rs.metadata.namespace.clone(),
            labels: tmeta.labels,
            annotations: tmeta.annotations,
            finalizers: tmeta.finalizers,
            owner_references: Some(vec![controller_ref(rs)]),
            ..Default::default()
        },
        spec: template.spec,
        status: None,
    }
}

/// `getIndirectlyRelatedPods`: active pods of every ReplicaSet with the same
/// controller (the Deployment's other ReplicaSets).
fn related_pods<'a>(view: &View<'a>, rs: &ReplicaSet) -> Vec<&'a Pod> {
    let ns = rs.metadata.namespace.as_deref().unwrap_or("default");
    let owner = podutil::controller_of(&rs.metadata).map(|o| o.uid.clone());
    let sibling_uids: Vec<String> = view
        .store
        .all::<ReplicaSet>(Some(ns))
        .filter(|other| match &owner {
            Some(uid) => podutil::controlled_by(&other.metadata, uid),
            None => other.metadata.uid == rs.metadata.uid,
        })
        .filter_map(|o| o.metadata.uid.clone())
        .collect();
    view.store
        .all::<Pod>(Some(ns))
        .filter(|p| podutil::is_active(p))
        .filter(|p| {
            podutil::controller_of(&p.metadata).is_some_and(|o| sibling_uids.contains(&o.uid))
        })
        .collect()
}

/// `getPodsToDelete`: the `n` first pods by `ActivePodsWithRanks`.
fn pods_to_delete<'a>(
    owned: &[&'a Pod],
    related: &[&Pod],
    n: usize,
    now: Timestamp,
) -> Vec<&'a Pod> {
    let mut on_node: BTreeMap<&str, i32> = BTreeMap::new();
    for p in related {
        *on_node.entry(podutil::node_name(p).unwrap_or_default()).or_default() += 1;
    }
    let mut ranked: Vec<(&Pod, i32)> = owned
        .iter()
        .map(|p| (*p, on_node.get(podutil::node_name(p).unwrap_or_default()).copied().unwrap_or(0)))
        .collect();
    ranked.sort_by(|a, b| compare_for_deletion(a, b, now));
    ranked.into_iter().take(n).map(|(p, _)| p).collect()
}

fn phase_ordinal(pod: &Pod) -> i32 {
    match podutil::phase(pod) {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    }
}

fn deletion_cost(pod: &Pod) -> i32 {
    pod.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("controller.kubernetes.io/pod-deletion-cost"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn max_restarts(pod: &Pod) -> i32 {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|cs| cs.iter().map(|c| c.restart_count).max())
        .unwrap_or(0)
}

/// `ActivePodsWithRanks.Less` with LogarithmicScaleDown (beta, on in v1.22):
/// the pod to delete first sorts first.
fn compare_for_deletion(a: &(&Pod, i32), b: &(&Pod, i32), now: Timestamp) -> Ordering {
    let (pa, pb) = (a.0, b.0);
    let (na, nb) = (podutil::node_name(pa), podutil::node_name(pb));
    if na != nb && (na.is_none() || nb.is_none()) {
        return if na.is_none() { Ordering::Less } else { Ordering::Greater };
    }
    let by_phase = phase_ordinal(pa).cmp(&phase_ordinal(pb));
    if by_phase != Ordering::Equal {
        return by_phase;
    }
    let (ra, rb) = (podutil::is_ready(pa), podutil::is_ready(pb));
    if ra != rb {
        return if ra { Ordering::Greater } else { Ordering::Less };
    }
    let by_cost = deletion_cost(pa).cmp(&deletion_cost(pb));
    if by_cost != Ordering::Equal {
        return by_cost;
    }
    if a.1 != b.1 {
        return b.1.cmp(&a.1);
    }
    let uid_order = || pa.metadata.uid.cmp(&pb.metadata.uid);
    if ra && rb {
        let (ta, tb) = (podutil::ready_since(pa), podutil::ready_since(pb));
        if ta != tb {
            return match (ta, tb) {
                (Some(ta), Some(tb)) => {
                    let diff = podutil::log_bucket(ta, now) - podutil::log_bucket(tb, now);
                    if diff == 0 { uid_order() } else { diff.cmp(&0) }
                }
                (None, _) => Ordering::Less,
                (_, None) => Ordering::Greater,
            };
        }
    }
    let by_restarts = max_restarts(pb).cmp(&max_restarts(pa));
    if by_restarts != Ordering::Equal {
        return by_restarts;
    }
    let (ca, cb) = (
        pa.metadata.creation_timestamp.as_ref().map(|t| t.0),
        pb.metadata.creation_timestamp.as_ref().map(|t| t.0),
    );
    if ca != cb {
        return match (ca, cb) {
            (Some(ca), Some(cb)) => {
                let diff = podutil::log_bucket(ca, now) - podutil::log_bucket(cb, now);
                if diff == 0 { uid_order() } else { diff.cmp(&0) }
            }
            (None, _) => Ordering::Less,
            (_, None) => Ordering::Greater,
        };
    }
    uid_order()
}

/// `calculateStatus`.
fn calculate_status(
    rs: &ReplicaSet,
    owned: &[&Pod],
    terminating: Option<i32>,
    now: Timestamp,
) -> ReplicaSetStatus {
    let min_ready = rs.spec.as_ref().and_then(|s| s.min_ready_seconds).unwrap_or(0);
    let template_labels = template_labels(rs);
    let fully =
        owned.iter().filter(|p| map_matches(&template_labels, p.metadata.labels.as_ref())).count()
            as i32;
    let ready = owned.iter().filter(|p| podutil::is_ready(p)).count() as i32;
    let available =
        owned.iter().filter(|p| podutil::is_available(p, min_ready, now)).count() as i32;
    status_of(rs, owned.len() as i32, fully, ready, available, terminating)
}

/// `calculateStatus`' `ReplicaFailure` condition (`replica_set_utils.go`,
/// the same in every release of kubeplay's span): while the last create
/// for this ReplicaSet failed and pods are still missing
/// (`manageReplicasErr`, kept in the create back-off), the condition is
/// `True`, reason `FailedCreate`, message the API server's error, set once
/// and left as it is (`SetCondition` keeps a condition of the same status
/// and reason); once nothing fails it is removed. Deletes do not fail in
/// the simulator, so there is no `FailedDelete`.
fn replica_failure(
    view: &View<'_>,
    rs: &ReplicaSet,
    have: usize,
    want: usize,
    status: &mut ReplicaSetStatus,
) {
    const TYPE: &str = "ReplicaFailure";
    let failed = rs
        .metadata
        .uid
        .as_deref()
        .and_then(|uid| view.runtime.create_backoff.get(uid))
        .filter(|_| have < want && rs.metadata.deletion_timestamp.is_none());
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    match failed {
        Some(backoff) if !conditions.iter().any(|c| c.type_ == TYPE) => {
            conditions.push(ReplicaSetCondition {
                type_: TYPE.to_owned(),
                status: "True".to_owned(),
                reason: Some("FailedCreate".to_owned()),
                message: Some(backoff.error.clone()),
                last_transition_time: Some(Time(view.now)),
            });
        }
        Some(_) => {}
        None => conditions.retain(|c| c.type_ != TYPE),
    }
    if conditions.is_empty() {
        status.conditions = None;
    }
}

/// `status.terminatingReplicas`: the count of terminating pods where the
/// release tracks it (DeploymentReplicaSetTerminatingReplicas,
/// [`Fact::TerminatingReplicasStatus`]), else unset.
fn terminating_replicas(view: &View<'_>, terminating: usize) -> Option<i32> {
    view.config.version.has(Fact::TerminatingReplicasStatus).then_some(terminating as i32)
}

/// The labels of the ReplicaSet's pod template.
fn template_labels(rs: &ReplicaSet) -> std::collections::BTreeMap<String, String> {
    rs.spec
        .as_ref()
        .and_then(|s| s.template.as_ref())
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default()
}

/// The status with these counts.
fn status_of(
    rs: &ReplicaSet,
    replicas: i32,
    fully: i32,
    ready: i32,
    available: i32,
    terminating: Option<i32>,
) -> ReplicaSetStatus {
    ReplicaSetStatus {
        replicas,
        fully_labeled_replicas: nz(fully),
        ready_replicas: nz(ready),
        available_replicas: nz(available),
        terminating_replicas: terminating,
        observed_generation: rs.metadata.generation,
        conditions: rs.status.as_ref().and_then(|s| s.conditions.clone()),
    }
}
