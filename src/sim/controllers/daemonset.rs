//! The DaemonSet controller. Mirrors `pkg/controller/daemon` (v1.22): one pod
//! per eligible node (nodeSelector, taints against the DaemonSet's
//! tolerations plus the defaults of `util.AddOrUpdateDaemonPodTolerations`),
//! placed through a `metadata.name` node-affinity term the scheduler binds;
//! RollingUpdate replaces out-of-date pods one unavailable pod at a time.

use std::collections::BTreeMap;

use k8s_openapi::{
    api::{
        apps::v1::{ControllerRevision, DaemonSet, DaemonSetStatus},
        core::v1::{
            Affinity, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm,
            Pod, Taint, Toleration,
        },
    },
    apimachinery::pkg::{
        apis::meta::v1::{ObjectMeta, OwnerReference},
        runtime::RawExtension,
    },
};

use super::{
    Controller, View, Write, daemon_summary,
    deployment_util::nz,
    scheduler::{node_affinity_matches, tolerates},
};
use crate::sim::{
    Kind, Object,
    events::{EventRecord, reference_to},
    names::pod_template_hash,
    object::Resource,
    podutil,
    queue::{self, Affected, Keyed, QueueKey, RuntimeChange},
    store::Change,
};

const COMPONENT: &str = "daemonset-controller";

/// The DaemonSet controller.
pub struct DaemonSetController;

impl Controller for DaemonSetController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        queue::full_scan(self, view)
    }

    fn next_wakeup(&self, view: &View<'_>) -> Option<k8s_openapi::jiff::Timestamp> {
        queue::scan_wakeup(self, view)
    }

    fn keyed(&self) -> Option<&dyn Keyed> {
        Some(self)
    }
}

/// One key per DaemonSet. Its pods, its revisions, and every node change
/// concern it; it reads the time (availability), so the clock does too.
impl Keyed for DaemonSetController {
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey> {
        queue::object_keys(view, Kind::DaemonSet)
    }

    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected {
        match change.object.kind {
            Kind::DaemonSet => {
                Affected::Keys(vec![QueueKey { rank: Vec::new(), object: change.object.clone() }])
            }
            Kind::Pod => {
                // A write that leaves everything a sync reads of the pod
                // as it was (the scheduler's binding, the kubelet's
                // progress short of Ready) changes nothing the sync would
                // do: no sync, which is O(nodes).
                let now = view.store.get(&change.object).and_then(Pod::from_object);
                let old = change.old.as_ref().and_then(Pod::from_object);
                if let (Some(a), Some(b)) = (old, now)
                    && as_seen(a) == as_seen(b)
                {
                    return Affected::Nothing;
                }
                queue::controller_keys(view, change, Kind::DaemonSet)
            }
            Kind::Node | Kind::ControllerRevision => Affected::All,
            _ => Affected::Nothing,
        }
    }

    /// Only the create back-off is machine state it reads.
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
            .and_then(DaemonSet::from_object)
            .map_or_else(Vec::new, |ds| sync(view, ds))
    }

    /// A pod becoming available after `minReadySeconds`, or the end of a
    /// create back-off.
    fn wakeup(&self, view: &View<'_>, key: &QueueKey) -> Option<k8s_openapi::jiff::Timestamp> {
        let ds = view.store.get(&key.object).and_then(DaemonSet::from_object)?;
        let min_ready = ds.spec.as_ref()?.min_ready_seconds.unwrap_or(0);
        let uid = ds.metadata.uid.as_deref()?;
        // Without minReadySeconds no pod has a time to wait for.
        view.store
            .pods_controlled_by(uid)
            .take_while(|_| min_ready > 0)
            .filter_map(|p| podutil::available_at(p, min_ready, view.now))
            .chain(super::create_held_until(view, Some(uid)))
            .min()
    }
}

/// What a sync reads of a pod: its identity, owners and labels (the
/// revision hash), whether it is finished or terminating, where it is
/// (its node or the node its affinity names, and whether it is bound:
/// the status counts the oldest pod, bound ones first), its creation
/// time, and its Ready condition (readiness and availability). Not its
/// resourceVersion, which every write changes.
fn as_seen(p: &Pod) -> impl PartialEq + '_ {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    let meta = &p.metadata;
    let time = |t: Option<&Time>| t.map(|t| t.0);
    (
        (meta.name.as_deref(), meta.namespace.as_deref(), meta.uid.as_deref()),
        (meta.labels.as_ref(), meta.owner_references.as_ref()),
        (time(meta.creation_timestamp.as_ref()), time(meta.deletion_timestamp.as_ref())),
        matches!(podutil::phase(p), "Succeeded" | "Failed"),
        (target_node(p), podutil::node_name(p).is_some()),
        podutil::condition(p, "Ready"),
    )
}

/// `syncDaemonSet`: the manage loop's creates and deletes, else the
/// rolling update's, then the status; every node as upstream sees it, but
/// read from a summary that is brought up to date from the nodes that
/// changed ([`daemon_summary`]), not by a walk over every node.
fn sync(view: &View<'_>, ds: &DaemonSet) -> Vec<Write> {
    let Some(spec) = ds.spec.as_ref() else { return Vec::new() };
    let ns = ds.metadata.namespace.as_deref().unwrap_or("default");
    let uid = ds.metadata.uid.as_deref().unwrap_or_default();
    let hash =
        pod_template_hash(&spec.template, ds.status.as_ref().and_then(|s| s.collision_count));
    let mut writes = ensure_revision(view, ds, &hash);
    let inputs = daemon_summary::Inputs {
        uid: uid.to_owned(),
        namespace: ns.to_owned(),
        probe: new_pod(ds, "", "").spec.unwrap_or_default(),
        hash: hash.clone(),
        min_ready: spec.min_ready_seconds.unwrap_or(0),
    };
    let involved = reference_to(&Object::DaemonSet(ds.clone()));
    // The pods it controls for `node`, terminating and finished ones too,
    // in name order (as a scan of the namespace's pods finds them).
    let pods_for = |node: &str| -> Vec<&Pod> {
        view.store
            .daemon_pods(uid)
            .into_iter()
            .flat_map(|d| d.on(node))
            .filter(|r| r.namespace.as_deref() == Some(ns))
            .filter_map(|r| view.store.get(r).and_then(Pod::from_object))
            .collect()
    };
    let (manage, status) = daemon_summary::with_summary(view, inputs, |summary| {
        let (max_surge, max_unavailable) = update_budget(ds, summary.desired);
        let mut manage = Vec::new();
        for node in summary.work() {
            let pods = pods_for(node);
            let on_node = OnNode::of(&pods);
            let should_run = summary.runs_on(node);
            manage.extend(manage_node(
                view, ds, node, should_run, &on_node, &hash, max_surge, &involved,
            ));
        }
        // Without an old pod on a node that should run one, the rolling
        // update has nothing to replace.
        if manage.is_empty() && summary.old_nodes > 0 {
            let active: Vec<(&str, Vec<&Pod>)> = summary
                .running_nodes()
                .map(|n| (n, pods_for(n).into_iter().filter(|p| podutil::is_active(p)).collect()))
                .collect();
            let to_update: BTreeMap<&str, &[&Pod]> =
                active.iter().map(|(n, pods)| (*n, pods.as_slice())).collect();
            let budget = (max_surge, max_unavailable);
            manage = rolling_update(view.now, ds, &to_update, &hash, budget, &involved);
        }
        let status = DaemonSetStatus {
            current_number_scheduled: summary.current,
            desired_number_scheduled: summary.desired,
            number_available: nz(summary.available),
            number_misscheduled: summary.misscheduled,
            number_ready: summary.ready,
            number_unavailable: nz(summary.desired - summary.available),
            observed_generation: ds.metadata.generation,
            updated_number_scheduled: nz(summary.updated),
            collision_count: ds.status.as_ref().and_then(|s| s.collision_count),
            conditions: None,
        };
        (manage, status)
    });
    writes.extend(manage);
    if ds.status.as_ref() != Some(&status) {
        let mut updated = ds.clone();
        updated.status = Some(status);
        writes.push(Write::Update(Object::DaemonSet(updated)));
    }
    #[cfg(debug_assertions)]
    {
        // The walk over every node must agree; it is a check, not work.
        let reads = view.store.reads();
        let walked = sync_by_walk(view, ds);
        view.store.set_reads(reads);
        assert_eq!(writes, walked, "the DaemonSet summary disagrees with a walk over every node");
    }
    writes
}

/// One node's pods as the manage loop sees them.
struct OnNode<'p> {
    /// The active ones (`podutil::is_active`).
    active: Vec<&'p Pod>,
    /// Whether one is being deleted.
    terminating: bool,
}

impl<'p> OnNode<'p> {
    fn of(pods: &[&'p Pod]) -> OnNode<'p> {
        OnNode {
            active: pods.iter().copied().filter(|p| podutil::is_active(p)).collect(),
            terminating: pods.iter().any(|p| p.metadata.deletion_timestamp.is_some()),
        }
    }
}

/// `podsShouldBeOnNode` and the manage loop for one node: a pod to create
/// where none runs (none while a create back-off holds), every pod where
/// none should run, the excess where more than one runs.
#[allow(clippy::too_many_arguments)]
fn manage_node(
    view: &View<'_>,
    ds: &DaemonSet,
    node: &str,
    should_run: bool,
    on_node: &OnNode<'_>,
    hash: &str,
    max_surge: i32,
    involved: &k8s_openapi::api::core::v1::ObjectReference,
) -> Vec<Write> {
    let here = on_node.active.as_slice();
    if should_run && here.is_empty() && !on_node.terminating {
        if super::create_held_until(view, ds.metadata.uid.as_deref()).is_none() {
            return vec![create(ds, node, hash, involved)];
        }
        Vec::new()
    } else if !should_run {
        here.iter().flat_map(|p| delete(p, involved)).collect()
    } else if here.len() > 1 {
        excess(view.now, ds, here, hash, max_surge > 0, involved)
    } else {
        Vec::new()
    }
}

/// The sync as upstream does it, walking every node: what debug builds
/// check [`sync`] against.
#[cfg(debug_assertions)]
fn sync_by_walk(view: &View<'_>, ds: &DaemonSet) -> Vec<Write> {
    let Some(spec) = ds.spec.as_ref() else { return Vec::new() };
    let ns = ds.metadata.namespace.as_deref().unwrap_or("default");
    let uid = ds.metadata.uid.as_deref().unwrap_or_default();
    let hash =
        pod_template_hash(&spec.template, ds.status.as_ref().and_then(|s| s.collision_count));
    let mut writes = ensure_revision(view, ds, &hash);
    // The pods it controls, from the store's index by controller uid (in
    // name order, as a scan of the namespace's pods would find them).
    let pods: Vec<&Pod> = view
        .store
        .pods_controlled_by(uid)
        .filter(|p| p.metadata.namespace.as_deref() == Some(ns))
        .collect();
    // `getNodesToDaemonPods` claims every pod the DaemonSet controls,
    // terminating ones included, and the status counts them.
    let mut all_by_node: BTreeMap<&str, Vec<&Pod>> = BTreeMap::new();
    for p in &pods {
        all_by_node.entry(target_node(p)).or_default().push(p);
    }
    let nodes: Vec<&Node> = view.store.all::<Node>(None).collect();
    let runs = nodes_to_run(ds, &nodes);
    let involved = reference_to(&Object::DaemonSet(ds.clone()));
    let desired = runs.values().filter(|run| **run).count() as i32;
    let (max_surge, max_unavailable) = update_budget(ds, desired);
    let mut manage = Vec::new();
    let mut active_on: Vec<(&str, OnNode<'_>)> = Vec::new();
    for node in &nodes {
        let name = node.metadata.name.as_deref().unwrap_or_default();
        let should_run = runs.get(name).copied().unwrap_or(false);
        let on_node = OnNode::of(all_by_node.get(name).map_or(&[], Vec::as_slice));
        manage
            .extend(manage_node(view, ds, name, should_run, &on_node, &hash, max_surge, &involved));
        if should_run {
            active_on.push((name, on_node));
        }
    }
    if manage.is_empty() {
        let to_update: BTreeMap<&str, &[&Pod]> =
            active_on.iter().map(|(n, on)| (*n, on.active.as_slice())).collect();
        let budget = (max_surge, max_unavailable);
        manage = rolling_update(view.now, ds, &to_update, &hash, budget, &involved);
    }
    writes.extend(manage);
    let status = status(ds, &nodes, &runs, &all_by_node, &hash, view);
    if ds.status.as_ref() != Some(&status) {
        let mut updated = ds.clone();
        updated.status = Some(status);
        writes.push(Write::Update(Object::DaemonSet(updated)));
    }
    writes
}

/// The node a DaemonSet pod is for: bound node, or its affinity target.
fn target_node(p: &Pod) -> &str {
    podutil::daemon_target_node(p)
}

fn delete(p: &Pod, involved: &k8s_openapi::api::core::v1::ObjectReference) -> [Write; 2] {
    super::delete_owned_pod(involved, COMPONENT, p)
}

#[cfg(debug_assertions)]
/// `nodeShouldRunDaemonPod` for every node, by node name. One probe pod
/// serves all nodes: only its node-name term differs from node to node.
fn nodes_to_run<'n>(ds: &DaemonSet, nodes: &[&'n Node]) -> BTreeMap<&'n str, bool> {
    let mut probe = new_pod(ds, "", "");
    nodes
        .iter()
        .map(|node| {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            point_at(&mut probe, name);
            let run = should_run(&probe, node);
            (name, run)
        })
        .collect()
}

/// Re-points a daemon pod's `metadata.name` node-affinity term.
pub(super) fn point_at(pod: &mut Pod, node: &str) {
    let terms = pod
        .spec
        .as_mut()
        .and_then(|s| s.affinity.as_mut())
        .and_then(|a| a.node_affinity.as_mut())
        .and_then(|n| n.required_during_scheduling_ignored_during_execution.as_mut());
    for field in terms
        .into_iter()
        .flat_map(|t| t.node_selector_terms.iter_mut())
        .flat_map(|t| t.match_fields.iter_mut().flatten())
        .filter(|f| f.key == "metadata.name")
    {
        field.values = Some(vec![node.to_owned()]);
    }
}

/// `nodeShouldRunDaemonPod`: selector/affinity and NoSchedule/NoExecute
/// taints, for the daemon pod `probe` made for `node`.
pub(super) fn should_run(probe: &Pod, node: &Node) -> bool {
    if !node_affinity_matches(probe, node) {
        return false;
    }
    let tolerations = probe.spec.as_ref().and_then(|s| s.tolerations.as_deref()).unwrap_or(&[]);
    let taints: &[Taint] = node.spec.as_ref().and_then(|s| s.taints.as_deref()).unwrap_or(&[]);
    taints
        .iter()
        .filter(|t| matches!(t.effect.as_str(), "NoSchedule" | "NoExecute"))
        .all(|t| tolerations.iter().any(|tol| tolerates(tol, t)))
}

/// A daemon pod for `node`.
fn new_pod(ds: &DaemonSet, node: &str, hash: &str) -> Pod {
    let template = ds.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let tmeta = template.metadata.unwrap_or_default();
    let mut labels = tmeta.labels.unwrap_or_default();
    labels.insert("controller-revision-hash".to_owned(), hash.to_owned());
    let generation = ds
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("deprecated.daemonset.template.generation"))
        .cloned()
        .unwrap_or_else(|| "1".to_owned());
    labels.insert("pod-template-generation".to_owned(), generation);
    let mut spec = template.spec.unwrap_or_default();
    let term = NodeSelectorTerm {
        match_fields: Some(vec![NodeSelectorRequirement {
            key: "metadata.name".to_owned(),
            operator: "In".to_owned(),
            values: Some(vec![node.to_owned()]),
        }]),
        ..Default::default()
    };
    let affinity = spec.affinity.get_or_insert_with(Affinity::default);
    affinity
        .node_affinity
        .get_or_insert_with(NodeAffinity::default)
        .required_during_scheduling_ignored_during_execution =
        Some(NodeSelector { node_selector_terms: vec![term] });
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    let defaults = [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    for (key, effect) in defaults {
        if !tolerations
            .iter()
            .any(|t| t.key.as_deref() == Some(key) && t.effect.as_deref() == Some(effect))
        {
            tolerations.push(Toleration {
                key: Some(key.to_owned()),
                operator: Some("Exists".to_owned()),
                effect: Some(effect.to_owned()),
                ..Default::default()
            });
        }
    }
    Pod {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}-", ds.metadata.name.as_deref().unwrap_or_default())),
            namespace: ds.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: tmeta.annotations,
            owner_references: Some(vec![OwnerReference {
                api_version: "apps/v1".to_owned(),
                kind: "DaemonSet".to_owned(),
                name: ds.metadata.name.clone().unwrap_or_default(),
                uid: ds.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    }
}

/// A daemon pod for `node` at the current template, with its event.
fn create(
    ds: &DaemonSet,
    node: &str,
    hash: &str,
    involved: &k8s_openapi::api::core::v1::ObjectReference,
) -> Write {
    let ev = EventRecord::normal(
        involved.clone(),
        COMPONENT,
        "SuccessfulCreate",
        "Created pod: {name}".to_owned(),
    );
    Write::CreateWithEvent(Object::Pod(new_pod(ds, node, hash)), ev)
}

/// `podsShouldBeOnNode` with more than one running pod on a node: without
/// surge, every pod but the oldest goes; with surge, one old and one new pod
/// may coexist until the new one is available, then the old one goes.
fn excess(
    now: k8s_openapi::jiff::Timestamp,
    ds: &DaemonSet,
    here: &[&Pod],
    hash: &str,
    surge: bool,
    involved: &k8s_openapi::api::core::v1::ObjectReference,
) -> Vec<Write> {
    let mut sorted: Vec<&Pod> = here.to_vec();
    sorted.sort_by_key(|p| p.metadata.creation_timestamp.as_ref().map(|t| t.0));
    if !surge {
        return sorted.iter().skip(1).flat_map(|p| delete(p, involved)).collect();
    }
    let min_ready = ds.spec.as_ref().and_then(|s| s.min_ready_seconds).unwrap_or(0);
    let new: Vec<&Pod> = sorted.iter().copied().filter(|p| is_current(p, hash)).collect();
    let old: Vec<&Pod> = sorted.iter().copied().filter(|p| !is_current(p, hash)).collect();
    let mut doomed: Vec<&Pod> = Vec::new();
    doomed.extend(new.iter().skip(1));
    doomed.extend(old.iter().skip(1));
    // The old pod goes once it is no longer ready, or once the new one is
    // available (`podsShouldBeOnNode`, v1.22).
    if let (Some(n), Some(o)) = (new.first(), old.first())
        && (!podutil::is_ready(o) || podutil::is_available(n, min_ready, now))
    {
        doomed.push(o);
    }
    doomed.iter().flat_map(|p| delete(p, involved)).collect()
}

pub(super) fn is_current(p: &Pod, hash: &str) -> bool {
    p.metadata.labels.as_ref().and_then(|l| l.get("controller-revision-hash")).map(String::as_str)
        == Some(hash)
}

/// `updatedDesiredNodeCounts`: (maxSurge, maxUnavailable) resolved against
/// the number of nodes that should run a pod, both rounding up
/// (`util.SurgeCount`, `util.UnavailableCount`); an impossible 0/0 means
/// maxUnavailable 1.
fn update_budget(ds: &DaemonSet, desired: i32) -> (i32, i32) {
    let strategy = ds.spec.as_ref().and_then(|s| s.update_strategy.as_ref());
    if strategy.and_then(|s| s.type_.as_deref()) != Some("RollingUpdate") {
        return (0, 0);
    }
    let ru = strategy.and_then(|s| s.rolling_update.as_ref());
    let scaled = |v| super::deployment_util::scaled_value(v, desired, true);
    let surge = scaled(ru.and_then(|r| r.max_surge.as_ref()));
    let mut unavailable = scaled(ru.and_then(|r| r.max_unavailable.as_ref()));
    if desired > 0 && surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable)
}

/// `findUpdatedPodsOnNode`: the node's non-terminating new and old pod;
/// `None` when it has two of either (the manage loop cleans up first).
fn split_on_node<'a>(pods: &[&'a Pod], hash: &str) -> Option<(Option<&'a Pod>, Option<&'a Pod>)> {
    let (mut new, mut old) = (None, None);
    for p in pods.iter().copied().filter(|p| p.metadata.deletion_timestamp.is_none()) {
        let slot = if is_current(p, hash) { &mut new } else { &mut old };
        if slot.is_some() {
            return None;
        }
        *slot = Some(p);
    }
    Some((new, old))
}

/// `rollingUpdate` (`pkg/controller/daemon/update.go`, v1.22). Nodes are
/// visited in name order where upstream ranges over a map (so which node
/// goes first is random on a real cluster). As in v1.22, an unavailable old
/// pod replaced at once does not add to the unavailable count (later
/// releases count it).
///
/// maxSurge 0: old pods that are unavailable are replaced at once; old
/// available pods are deleted while fewer than maxUnavailable nodes are
/// unavailable (a node whose pod is missing or terminating counts), and the
/// manage loop recreates them at the new template.
///
/// maxSurge > 0: a new pod is created beside an old available one on up to
/// maxSurge nodes at a time (at once beside an unavailable old one); once
/// the new pod is available the old one is deleted.
fn rolling_update(
    now: k8s_openapi::jiff::Timestamp,
    ds: &DaemonSet,
    node_pods: &BTreeMap<&str, &[&Pod]>,
    hash: &str,
    (max_surge, max_unavailable): (i32, i32),
    involved: &k8s_openapi::api::core::v1::ObjectReference,
) -> Vec<Write> {
    let strategy = ds.spec.as_ref().and_then(|s| s.update_strategy.as_ref());
    if strategy.and_then(|s| s.type_.as_deref()) != Some("RollingUpdate") {
        return Vec::new();
    }
    let min_ready = ds.spec.as_ref().and_then(|s| s.min_ready_seconds).unwrap_or(0);
    let available = |p: &Pod| podutil::is_available(p, min_ready, now);
    let mut writes = Vec::new();
    if max_surge == 0 {
        let mut unavailable = 0;
        let mut replace: Vec<&Pod> = Vec::new();
        let mut candidates: Vec<&Pod> = Vec::new();
        for pods in node_pods.values() {
            match split_on_node(pods, hash) {
                None | Some((None, None)) | Some((Some(_), Some(_))) => unavailable += 1,
                Some((Some(new), None)) => unavailable += i32::from(!available(new)),
                Some((None, Some(old))) => {
                    if !available(old) {
                        replace.push(old);
                    } else if unavailable < max_unavailable {
                        candidates.push(old);
                    }
                }
            }
        }
        let room =
            max_unavailable.saturating_sub(unavailable).clamp(0, candidates.len() as i32) as usize;
        replace.extend(candidates.into_iter().take(room));
        for p in replace {
            writes.extend(delete(p, involved));
        }
        return writes;
    }
    let mut surging = 0;
    let mut allowed: Vec<&str> = Vec::new();
    let mut candidates: Vec<&str> = Vec::new();
    for (node, pods) in node_pods {
        match split_on_node(pods, hash) {
            None => surging += 1,
            Some((_, None)) => {}
            Some((None, Some(old))) => {
                if !available(old) {
                    allowed.push(*node);
                } else if surging < max_surge {
                    candidates.push(*node);
                }
            }
            Some((Some(new), Some(old))) => {
                if available(new) {
                    writes.extend(delete(old, involved));
                } else {
                    surging += 1;
                }
            }
        }
    }
    let room = max_surge.saturating_sub(surging).clamp(0, candidates.len() as i32) as usize;
    allowed.extend(candidates.into_iter().take(room));
    for node in allowed {
        writes.push(create(ds, node, hash, involved));
    }
    writes
}

/// `podByCreationTimestampAndPhase` (`daemon_controller.go`): scheduled pods
/// first, then by creation time, then by name.
pub(super) fn oldest_first(a: &Pod, b: &Pod) -> std::cmp::Ordering {
    let key = |p: &Pod| {
        (
            podutil::node_name(p).is_none(),
            p.metadata.creation_timestamp.as_ref().map(|t| t.0),
            p.metadata.name.clone(),
        )
    };
    key(a).cmp(&key(b))
}

#[cfg(debug_assertions)]
/// `updateDaemonSetStatus` (v1.22): per node that should run a pod, the
/// oldest of its pods (terminating ones count: the controller's pod map
/// holds them until they are gone) decides READY, AVAILABLE and UP-TO-DATE.
fn status(
    ds: &DaemonSet,
    nodes: &[&Node],
    runs: &BTreeMap<&str, bool>,
    by_node: &BTreeMap<&str, Vec<&Pod>>,
    hash: &str,
    view: &View<'_>,
) -> DaemonSetStatus {
    let min_ready = ds.spec.as_ref().and_then(|s| s.min_ready_seconds).unwrap_or(0);
    let (mut desired, mut current, mut misscheduled, mut ready, mut available, mut updated) =
        (0, 0, 0, 0, 0, 0);
    for node in nodes {
        let name = node.metadata.name.as_deref().unwrap_or_default();
        let run = runs.get(name).copied().unwrap_or(false);
        let here =
            by_node.get(name).and_then(|v| v.iter().copied().min_by(|a, b| oldest_first(a, b)));
        desired += i32::from(run);
        match (run, here) {
            (true, Some(p)) => {
                current += 1;
                ready += i32::from(podutil::is_ready(p));
                available += i32::from(podutil::is_available(p, min_ready, view.now));
                updated += i32::from(is_current(p, hash));
            }
            (false, Some(_)) => misscheduled += 1,
            _ => {}
        }
    }
    DaemonSetStatus {
        current_number_scheduled: current,
        desired_number_scheduled: desired,
        number_available: nz(available),
        number_misscheduled: misscheduled,
        number_ready: ready,
        number_unavailable: nz(desired - available),
        observed_generation: ds.metadata.generation,
        updated_number_scheduled: nz(updated),
        collision_count: ds.status.as_ref().and_then(|s| s.collision_count),
        conditions: None,
    }
}

/// `constructHistory` (`update.go`): the ControllerRevision `<ds>-<hash>`
/// holding the current template, created at `max(old revisions) + 1`; an
/// existing one (the template went back to it, e.g. `rollout undo`) is
/// renumbered to that revision when it is below it.
fn ensure_revision(view: &View<'_>, ds: &DaemonSet, hash: &str) -> Vec<Write> {
    let ns = ds.metadata.namespace.as_deref().unwrap_or("default");
    let name = format!("{}-{hash}", ds.metadata.name.as_deref().unwrap_or_default());
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let revision = view
        .store
        .all::<ControllerRevision>(Some(ns))
        .filter(|r| podutil::controlled_by(&r.metadata, &uid))
        .filter(|r| r.metadata.name.as_deref() != Some(name.as_str()))
        .map(|r| r.revision)
        .max()
        .unwrap_or(0)
        + 1;
    if let Some(cur) = view.store.get_typed::<ControllerRevision>(Some(ns), &name) {
        if cur.revision >= revision {
            return Vec::new();
        }
        let mut renumbered = cur.clone();
        renumbered.revision = revision;
        return vec![Write::Update(Object::ControllerRevision(renumbered))];
    }
    let mut labels = ds
        .spec
        .as_ref()
        .and_then(|s| s.template.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    labels.insert("controller-revision-hash".to_owned(), hash.to_owned());
    let template = ds.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let data = super::revision_patch::revision_patch(&template, view.config.version);
    let cr = ControllerRevision {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(ns.to_owned()),
            labels: Some(labels),
            annotations: ds.metadata.annotations.clone(),
            owner_references: Some(vec![OwnerReference {
                api_version: "apps/v1".to_owned(),
                kind: "DaemonSet".to_owned(),
                name: ds.metadata.name.clone().unwrap_or_default(),
                uid,
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        data: Some(RawExtension(data)),
        revision,
    };
    vec![Write::Create(Object::ControllerRevision(cr))]
}
