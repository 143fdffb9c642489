//! The node lifecycle controller and its NoExecute taint manager
//! (`pkg/controller/nodelifecycle`, v1.22). A node whose kubelet stopped
//! posting status for the grace period goes Unknown and is tainted
//! unreachable; its pods turn NotReady; pods that do not tolerate the taint
//! (after their tolerationSeconds) are deleted. A kubelet that comes back
//! makes the node Ready and the taints go.

use crate::version::{Fact, KubeVersion};
use std::time::Duration;

use k8s_openapi::{
    api::core::v1::{Node, NodeCondition, Pod, Taint},
    jiff::Timestamp,
};

use super::{Controller, View, Write, scheduler::tolerates};
use crate::sim::{
    DeleteOptions, Kind, Object, ObjectRef,
    events::{EventRecord, reference_to},
    object::Resource,
    podutil,
    queue::{self, Affected, Keyed, Part, QueueKey, RuntimeChange},
    store::Change,
    time,
};

const COMPONENT: &str = "node-controller";
const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

/// The node lifecycle controller.
pub struct NodeLifecycle;

impl Controller for NodeLifecycle {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        queue::full_scan(self, view)
    }

    fn next_wakeup(&self, view: &View<'_>) -> Option<Timestamp> {
        queue::scan_wakeup(self, view)
    }

    fn keyed(&self) -> Option<&dyn Keyed> {
        Some(self)
    }
}

/// The controller's three passes over the nodes, in the order it makes
/// them: spec-driven taints, then node health, then the taint manager's
/// evictions. A key is one pass over one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    SpecTaints = 0,
    Health = 1,
    Evictions = 2,
}

const PASSES: [Pass; 3] = [Pass::SpecTaints, Pass::Health, Pass::Evictions];

fn node_key(pass: Pass, node: &str) -> QueueKey {
    QueueKey { rank: vec![Part::Int(pass as i64)], object: ObjectRef::cluster(Kind::Node, node) }
}

fn pass_of(key: &QueueKey) -> Option<Pass> {
    match key.rank.first() {
        Some(Part::Int(n)) => PASSES.into_iter().find(|p| *p as i64 == *n),
        _ => None,
    }
}

/// Keyed by pass and node: a node's own writes and its kubelet's state
/// concern all its passes; its pods' writes, the evictions (health only
/// reads its pods to write them, never to decide).
impl Keyed for NodeLifecycle {
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey> {
        let nodes: Vec<&str> =
            view.store.all::<Node>(None).filter_map(|n| n.metadata.name.as_deref()).collect();
        PASSES.into_iter().flat_map(|pass| nodes.iter().map(move |n| node_key(pass, n))).collect()
    }

    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected {
        match change.object.kind {
            Kind::Node => Affected::Keys(
                PASSES.into_iter().map(|pass| node_key(pass, &change.object.name)).collect(),
            ),
            Kind::Pod => Affected::Keys(
                [change.old.as_ref(), view.store.get(&change.object)]
                    .into_iter()
                    .flatten()
                    .filter_map(|o| Pod::from_object(o).and_then(podutil::node_name))
                    .map(|node| node_key(Pass::Evictions, node))
                    .collect(),
            ),
            _ => Affected::Nothing,
        }
    }

    /// It reads kubelets' state only (whether each runs, since when).
    fn on_runtime(&self, _view: &View<'_>, change: &RuntimeChange) -> Affected {
        match change {
            RuntimeChange::Node(name) => {
                Affected::Keys(PASSES.into_iter().map(|pass| node_key(pass, name)).collect())
            }
            // Pod records are not whether the kubelet runs.
            RuntimeChange::PodRecords(..)
            | RuntimeChange::Other
            | RuntimeChange::ControllerMemory => Affected::Nothing,
        }
    }

    fn sync(&self, view: &View<'_>, key: &QueueKey) -> Vec<Write> {
        let Some(node) = view.store.get(&key.object).and_then(Node::from_object) else {
            return Vec::new();
        };
        match pass_of(key) {
            Some(Pass::SpecTaints) => sync_spec_taints(view, node),
            Some(Pass::Health) => sync_node(view, node),
            Some(Pass::Evictions) => evict(view, node),
            None => Vec::new(),
        }
    }

    /// Health: the end of a silent kubelet's grace period, or of a joining
    /// node's network set-up; evictions: the next pod due.
    fn wakeup(&self, view: &View<'_>, key: &QueueKey) -> Option<Timestamp> {
        let n = view.store.get(&key.object).and_then(Node::from_object)?;
        match pass_of(key)? {
            Pass::SpecTaints => None,
            Pass::Health => {
                let unreachable_at = n.metadata.name.as_deref().and_then(|name| {
                    let nr = view.runtime.nodes.get(name)?;
                    let stopped =
                        nr.stopped_at.filter(|_| !nr.running && ready_status(n) != "Unknown")?;
                    Some(time::add(stopped, grace_period(view)))
                });
                unreachable_at.into_iter().chain(registered_ready_at(n)).min()
            }
            Pass::Evictions => eviction_times(view, n).into_iter().min(),
        }
    }

    fn live(&self, view: &View<'_>, key: &QueueKey) -> bool {
        view.store.contains(&key.object)
    }
}

fn grace_period(view: &View<'_>) -> Duration {
    monitor_grace_period(view.config.version)
}

/// `--node-monitor-grace-period`'s default ([`Fact::NodeMonitorGracePeriod50s`]).
fn monitor_grace_period(version: KubeVersion) -> Duration {
    Duration::from_secs(if version.has(Fact::NodeMonitorGracePeriod50s) { 50 } else { 40 })
}

fn ready_status(node: &Node) -> &str {
    let conds = node.status.as_ref().and_then(|s| s.conditions.as_ref());
    conds
        .into_iter()
        .flatten()
        .find(|c| c.type_ == "Ready")
        .map_or("Unknown", |c| c.status.as_str())
}

/// Marks a silent node Unknown (and its pods NotReady), or a returning node Ready.
fn sync_node(view: &View<'_>, node: &Node) -> Vec<Write> {
    let name = node.metadata.name.clone().unwrap_or_default();
    let Some(nr) = view.runtime.nodes.get(&name) else { return Vec::new() };
    let status = ready_status(node);
    if !nr.running {
        let silent_since = nr.stopped_at.unwrap_or(view.now);
        if status == "Unknown" || time::add(silent_since, grace_period(view)) > view.now {
            return Vec::new();
        }
        return mark_unreachable(view, node);
    }
    if status != "True" {
        if registered_ready_at(node).is_some_and(|t| t > view.now) {
            return Vec::new();
        }
        return mark_ready(view, node);
    }
    Vec::new()
}

/// `node.kubernetes.io/unschedulable`, the taint `doNoScheduleTaintingPass`
/// (TaintNodesByCondition) keeps in step with `spec.unschedulable`.
const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

/// How long a freshly joined node stays NotReady: its kubelet reports
/// `KubeletNotReady` (no CNI config yet) until the network DaemonSet's pod
/// has started on it.
const NETWORK_READY_DELAY: Duration = Duration::from_secs(15);

/// When a node that registered NotReady (`KubeletNotReady`, as a joining
/// kubelet does) becomes Ready.
fn registered_ready_at(node: &Node) -> Option<Timestamp> {
    let conds = node.status.as_ref().and_then(|s| s.conditions.as_ref());
    let ready = conds.into_iter().flatten().find(|c| c.type_ == "Ready")?;
    if ready.status != "False" || ready.reason.as_deref() != Some("KubeletNotReady") {
        return None;
    }
    let since = ready.last_transition_time.as_ref()?.0;
    Some(time::add(since, NETWORK_READY_DELAY))
}

/// Spec-driven taints: `node.kubernetes.io/unschedulable:NoSchedule` while
/// the node is cordoned (`pkg/controller/nodelifecycle`
/// `doNoScheduleTaintingPass`), and the time a NoExecute taint was first
/// seen. The taint manager starts a pod's tolerationSeconds when it observes
/// the taint (`scheduler/taint_manager.go` `processPodOnNode`); recording
/// that instant as `timeAdded` keeps the eviction time in the object.
fn sync_spec_taints(view: &View<'_>, node: &Node) -> Vec<Write> {
    let unschedulable = node.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false);
    let taints: Vec<Taint> = node.spec.as_ref().and_then(|s| s.taints.clone()).unwrap_or_default();
    let has = taints.iter().any(|t| t.key == UNSCHEDULABLE && t.effect == "NoSchedule");
    let unstamped = taints.iter().any(|t| t.effect == "NoExecute" && t.time_added.is_none());
    if has == unschedulable && !unstamped {
        return Vec::new();
    }
    let now = time::time(view.now);
    let mut kept: Vec<Taint> = taints
        .into_iter()
        .filter(|t| unschedulable || !(t.key == UNSCHEDULABLE && t.effect == "NoSchedule"))
        .map(|mut t| {
            if t.effect == "NoExecute" && t.time_added.is_none() {
                t.time_added = Some(now.clone());
            }
            t
        })
        .collect();
    if unschedulable && !has {
        kept.push(Taint {
            key: UNSCHEDULABLE.to_owned(),
            effect: "NoSchedule".to_owned(),
            time_added: Some(now),
            value: None,
        });
    }
    let mut n = node.clone();
    n.spec.get_or_insert_with(Default::default).taints = (!kept.is_empty()).then_some(kept);
    vec![Write::Update(Object::Node(n))]
}

fn mark_unreachable(view: &View<'_>, node: &Node) -> Vec<Write> {
    let name = node.metadata.name.clone().unwrap_or_default();
    let mut n = node.clone();
    let now = time::time(view.now);
    for c in n.status.get_or_insert_with(Default::default).conditions.iter_mut().flatten() {
        c.status = "Unknown".to_owned();
        c.reason = Some("NodeStatusUnknown".to_owned());
        c.message = Some("Kubelet stopped posting node status.".to_owned());
        c.last_transition_time = Some(now.clone());
    }
    let taints = n.spec.get_or_insert_with(Default::default).taints.get_or_insert_with(Vec::new);
    for effect in ["NoSchedule", "NoExecute"] {
        if !taints.iter().any(|t| t.key == UNREACHABLE && t.effect == effect) {
            let time_added = (effect == "NoExecute").then(|| now.clone());
            taints.push(Taint {
                key: UNREACHABLE.to_owned(),
                effect: effect.to_owned(),
                time_added,
                value: None,
            });
        }
    }
    let node_ref = reference_to(&Object::Node(node.clone()));
    let mut writes = vec![
        Write::Update(Object::Node(n)),
        Write::Event(EventRecord::normal(
            node_ref,
            COMPONENT,
            "NodeNotReady",
            format!("Node {name} status is now: NodeNotReady"),
        )),
    ];
    for pod in pods_on(view, &name) {
        if !podutil::is_ready(pod) {
            continue;
        }
        let mut p = pod.clone();
        podutil::set_condition(
            &mut p,
            podutil::new_condition("Ready", false, None, None, view.now),
        );
        writes.push(Write::Update(Object::Pod(p)));
        let ev = EventRecord::normal(
            reference_to(&Object::Pod(pod.clone())),
            COMPONENT,
            "NodeNotReady",
            "Node is not ready".to_owned(),
        );
        writes.push(Write::Event(ev.warning()));
    }
    writes
}

fn mark_ready(view: &View<'_>, node: &Node) -> Vec<Write> {
    let name = node.metadata.name.clone().unwrap_or_default();
    let mut n = node.clone();
    let now = time::time(view.now);
    let healthy = |type_: &str| match type_ {
        "MemoryPressure" => {
            ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available")
        }
        "DiskPressure" => ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        "PIDPressure" => {
            ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available")
        }
        _ => ("True", "KubeletReady", "kubelet is posting ready status"),
    };
    let conds: &mut Vec<NodeCondition> =
        n.status.get_or_insert_with(Default::default).conditions.get_or_insert_with(Vec::new);
    for c in conds.iter_mut() {
        let (status, reason, message) = healthy(&c.type_);
        if c.status != status {
            c.last_transition_time = Some(now.clone());
        }
        c.status = status.to_owned();
        c.reason = Some(reason.to_owned());
        c.message = Some(message.to_owned());
        c.last_heartbeat_time = Some(now.clone());
    }
    if let Some(spec) = n.spec.as_mut() {
        let taints = spec.taints.take().unwrap_or_default();
        let kept: Vec<_> = taints
            .into_iter()
            .filter(|t| t.key != UNREACHABLE && t.key != "node.kubernetes.io/not-ready")
            .collect();
        spec.taints = (!kept.is_empty()).then_some(kept);
    }
    let node_ref = reference_to(&Object::Node(node.clone()));
    vec![
        Write::Update(Object::Node(n)),
        Write::Event(
            EventRecord::normal(
                node_ref.clone(),
                "kubelet",
                "Starting",
                "Starting kubelet.".to_owned(),
            )
            .on_host(&name),
        ),
        Write::Event(
            EventRecord::normal(
                node_ref,
                "kubelet",
                "NodeReady",
                format!("Node {name} status is now: NodeReady"),
            )
            .on_host(&name),
        ),
    ]
}

fn pods_on<'a>(view: &View<'a>, node: &str) -> Vec<&'a Pod> {
    view.store.pods_on_node(node).collect()
}

fn no_execute_taints(node: &Node) -> Vec<Taint> {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.clone())
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t.effect == "NoExecute")
        .collect()
}

/// When each pod on the node is due for eviction: now for untolerated
/// taints, else the earliest `timeAdded + tolerationSeconds`.
fn eviction_times<'a>(view: &View<'a>, node: &Node) -> Vec<Timestamp> {
    let taints = no_execute_taints(node);
    if taints.is_empty() {
        return Vec::new();
    }
    pods_on(view, node.metadata.name.as_deref().unwrap_or_default())
        .into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter_map(|p| eviction_time(view, p, &taints))
        .collect()
}

fn eviction_time(view: &View<'_>, pod: &Pod, taints: &[Taint]) -> Option<Timestamp> {
    let tolerations = pod.spec.as_ref().and_then(|s| s.tolerations.clone()).unwrap_or_default();
    let mut due: Option<Timestamp> = None;
    for taint in taints {
        let added = taint.time_added.as_ref().map_or(view.now, |t| t.0);
        let matching: Vec<_> = tolerations.iter().filter(|t| tolerates(t, taint)).collect();
        if matching.is_empty() {
            return Some(added.min(view.now));
        }
        if matching.iter().any(|t| t.toleration_seconds.is_none()) {
            continue;
        }
        let secs = matching.iter().filter_map(|t| t.toleration_seconds).min().unwrap_or(0).max(0);
        let at = time::add_secs(added, secs);
        due = Some(due.map_or(at, |d| d.min(at)));
    }
    due
}

/// The taint manager: deletes the first pod due for eviction.
fn evict(view: &View<'_>, node: &Node) -> Vec<Write> {
    let taints = no_execute_taints(node);
    if taints.is_empty() {
        return Vec::new();
    }
    for pod in pods_on(view, node.metadata.name.as_deref().unwrap_or_default()) {
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        if eviction_time(view, pod, &taints).is_some_and(|t| t <= view.now) {
            let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
            let name = pod.metadata.name.as_deref().unwrap_or_default();
            let ev = EventRecord::normal(
                reference_to(&Object::Pod(pod.clone())),
                "taint-controller",
                "TaintManagerEviction",
                format!("Marking for deletion Pod {ns}/{name}"),
            );
            // `addConditionAndDeletePod`: the condition first, then the
            // delete.
            let mut marked = pod.clone();
            let mut writes = Vec::new();
            if crate::sim::disruption::mark(
                &mut marked,
                crate::sim::disruption::Disruption::TaintManager,
                "",
                view.config.version,
                view.now,
            ) {
                writes.push(Write::Update(Object::Pod(marked)));
            }
            writes.push(Write::Delete(
                ObjectRef::namespaced(Kind::Pod, ns, name),
                DeleteOptions::default(),
            ));
            writes.push(Write::Event(ev));
            return writes;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Fact::NodeMonitorGracePeriod50s`] on both sides of v1.32.
    #[test]
    fn node_monitor_grace_period_by_version() {
        let since = Fact::NodeMonitorGracePeriod50s.change().since;
        assert_eq!(
            monitor_grace_period(KubeVersion::new(1, since - 1, 0)),
            Duration::from_secs(40)
        );
        assert_eq!(monitor_grace_period(KubeVersion::new(1, since, 0)), Duration::from_secs(50));
    }
}
