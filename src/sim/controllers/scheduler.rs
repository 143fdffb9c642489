//! The default scheduler (`pkg/scheduler`, v1.22): one pending pod per
//! action, taken by priority then age. Filters in the order of the
//! cluster's version ([`fit_error::FilterOrder`]), the first failing filter
//! per node counted in the FailedScheduling message, worded as that
//! version's scheduler words it ([`fit_error`]); scoring by the default
//! plugins' formulas (topology spread of one owner's pods, least-allocated
//! and balanced resources), ties broken by the seeded hash.

use k8s_openapi::api::core::v1::{Node, Pod, Taint, Toleration};

use super::{
    Controller, View, Write,
    fit_error::{self, FilterOrder, Rejection},
    inter_pod_affinity, node_sampling, pod_topology_spread, preemption, volume_binding,
};
use crate::sim::{
    Kind, Object, ObjectRef,
    events::{EventRecord, reference_to},
    labels::map_matches,
    node_usage::{Allocatable, NodeUsage},
    object::Resource,
    podutil,
    queue::{self, Affected, Keyed, Part, QueueKey, RuntimeChange},
    rng,
    store::Change,
};
use crate::version::Fact;

/// The scheduler's name (`spec.schedulerName` default, events' source).
pub(crate) const COMPONENT: &str = "default-scheduler";

/// The default scheduler.
pub struct Scheduler;

impl Controller for Scheduler {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        queue::full_scan(self, view)
    }

    fn keyed(&self) -> Option<&dyn Keyed> {
        Some(self)
    }
}

/// One key per pod waiting for this scheduler, ranked as the scheduling
/// queue pops them: priority, then age, then name. A pod that cannot be
/// placed waits (parked) until something in the cluster changes.
impl Keyed for Scheduler {
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey> {
        view.store.all::<Pod>(None).filter(|p| waiting(p)).map(pod_key).collect()
    }

    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected {
        if change.object.kind == Kind::Event {
            return Affected::Nothing;
        }
        if change.object.kind == Kind::Pod
            && let Some(pod) = view.store.get(&change.object).and_then(Pod::from_object)
            && waiting(pod)
        {
            // A new or changed waiting pod; nothing it does frees room.
            let mut keys = vec![pod_key(pod)];
            keys.extend(
                change.old.as_ref().and_then(Pod::from_object).filter(|p| waiting(p)).map(pod_key),
            );
            return Affected::Keys(keys);
        }
        Affected::Parked
    }

    fn on_runtime(&self, _view: &View<'_>, _change: &RuntimeChange) -> Affected {
        Affected::Nothing
    }

    fn sync(&self, view: &View<'_>, key: &QueueKey) -> Vec<Write> {
        match view.store.get(&key.object).and_then(Pod::from_object) {
            Some(pod) if waiting(pod) && pod_key(pod) == *key => schedule(view, pod),
            _ => Vec::new(),
        }
    }

    fn wakeup(&self, _view: &View<'_>, _key: &QueueKey) -> Option<k8s_openapi::jiff::Timestamp> {
        None
    }

    fn live(&self, view: &View<'_>, key: &QueueKey) -> bool {
        view.store
            .get(&key.object)
            .and_then(Pod::from_object)
            .is_some_and(|pod| waiting(pod) && pod_key(pod) == *key)
    }
}

/// A pod this scheduler has yet to place.
fn waiting(p: &Pod) -> bool {
    podutil::node_name(p).is_none()
        && p.metadata.deletion_timestamp.is_none()
        && p.spec.as_ref().and_then(|s| s.scheduler_name.as_deref()).unwrap_or(COMPONENT)
            == COMPONENT
        && podutil::phase(p) == "Pending"
}

fn pod_key(p: &Pod) -> QueueKey {
    let prio = p.spec.as_ref().and_then(|s| s.priority).unwrap_or(0);
    QueueKey {
        rank: vec![
            Part::Int(-i64::from(prio)),
            Part::Time(p.metadata.creation_timestamp.as_ref().map(|t| t.0)),
            Part::Str(p.metadata.name.clone().unwrap_or_default()),
        ],
        object: ObjectRef::namespaced(
            Kind::Pod,
            p.metadata.namespace.as_deref().unwrap_or("default"),
            p.metadata.name.as_deref().unwrap_or_default(),
        ),
    }
}

/// Tries to place one pod; writes a binding, or a FailedScheduling status
/// when the outcome differs from what the pod already says, and with
/// either the next search start ([`node_sampling`]) when it moved.
fn schedule(view: &View<'_>, pod: &Pod) -> Vec<Write> {
    let start = view.runtime.scheduler_start;
    let (mut writes, next_start) = attempt(view, pod, start);
    // The start moves with each attempt; an attempt that writes nothing
    // (a parked pod's unchanged verdict) leaves it, so that a look at a
    // parked pod is no action of its own.
    if !writes.is_empty() && next_start != start {
        writes.push(Write::SchedulerStart(next_start));
    }
    writes
}

/// One scheduling attempt from search start `start`: its writes and the
/// next search start.
fn attempt(view: &View<'_>, pod: &Pod, start: usize) -> (Vec<Write>, usize) {
    let claims = match volume_binding::claims(view, pod) {
        Ok(claims) => claims,
        Err(reason) => {
            // A PreFilter rejection, worded per release; no node searched.
            let nodes: Vec<&Node> = view.store.all::<Node>(None).collect();
            let message = fit_error::prefilter_message(view, pod, &nodes, &reason);
            return (unschedulable(view, pod, message), start);
        }
    };
    // The pod's requests, parsed once for every node's filter.
    let wanted = Requests::of(pod);
    // InterPodAffinity's PreFilter, once per attempt; it runs last among
    // the filters in every release.
    let affinity = inter_pod_affinity::State::compute(view, pod, &[]);
    let spread = pod_topology_spread::State::compute(view, pod);
    let version = view.config.version;
    let nodes: Vec<&Node> = view.store.all::<Node>(None).collect();
    let check = |node: &Node| {
        filter(view, pod, &wanted, node)
            .and_then(|()| {
                claims.fits(node).map_err(|reason| Rejection::unresolvable(vec![reason]))
            })
            .and_then(|()| spread.filter(version, node))
            .and_then(|()| affinity.filter(version, node))
    };
    // A pod whose required affinity names its nodes (every DaemonSet pod)
    // fits nowhere else. From v1.24 the NodeAffinity PreFilter's node
    // names (`nodeaffinity/node_affinity.go`) are all the scheduler
    // filters; before, it searched every node, which finds the same
    // feasible nodes (only named ones can be) and, processing every node,
    // leaves the search start where it was. Only a pod that fits none of
    // them needs every node's reason, below. Names iterate in name order,
    // the store's order of nodes.
    let mut next_start = start;
    let mut named_searched = false;
    if let Some(names) = named_nodes(pod) {
        let named: Vec<&Node> =
            names.iter().filter_map(|n| view.store.get_typed::<Node>(None, n)).collect();
        if version.has(Fact::SchedulerPreFilterNodeNames) && !named.is_empty() {
            let wrap = if version.has(Fact::SchedulerStartIndexOverAllNodes) {
                nodes.len()
            } else {
                named.len()
            };
            let to_find = node_sampling::feasible_to_find(version, named.len());
            let found = node_sampling::search(&named, start, to_find, wrap, check);
            next_start = found.next_start;
            named_searched = true;
            if let Some(node) = pick(view, pod, &found.feasible) {
                return (place(view, pod, &claims, node), next_start);
            }
        } else {
            let feasible: Vec<&Node> = named.into_iter().filter(|n| check(n).is_ok()).collect();
            if let Some(node) = pick(view, pod, &feasible) {
                // Upstream's search over every node processed them all.
                let all = (start + nodes.len()).checked_rem(nodes.len()).unwrap_or(start);
                return (place(view, pod, &claims, node), all);
            }
        }
    }
    let searched = if !named_searched {
        let to_find = node_sampling::feasible_to_find(version, nodes.len());
        let found = node_sampling::search(&nodes, start, to_find, nodes.len(), check);
        next_start = found.next_start;
        found
    } else {
        // The named nodes were the search (v1.24 on) and none fits:
        // every node's reason for the message, the start as that search
        // left it.
        node_sampling::search(&nodes, 0, nodes.len(), nodes.len(), check)
    };
    let rejected = searched.rejected;
    let Some(node) = pick(view, pod, &searched.feasible) else {
        // DefaultPreemption, the PostFilter plugin (v1.11 on by default).
        if preemption::eligible(view, pod).is_ok()
            && let Some(candidate) = preemption::find(view, pod, &rejected, |node, without| {
                filter_without(view, pod, &wanted, node, without).is_ok()
                    && spread.filter(version, node).is_ok()
                    && (affinity.is_trivial()
                        || inter_pod_affinity::State::compute(view, pod, without)
                            .filter(version, node)
                            .is_ok())
            })
        {
            let failed = fit_error::filters_message(nodes.len(), &rejected);
            let host = control_plane_host(view);
            return (preemption::preempt(view, pod, &candidate, failed, host), next_start);
        }
        let message = fit_error::message(view, pod, nodes.len(), &rejected, |node, without| {
            fits_resources(view, &wanted, node, without)
        });
        return (unschedulable(view, pod, message), next_start);
    };
    (place(view, pod, &claims, node), next_start)
}

/// Binds the pod to `node`, or first waits for its claims' volumes.
fn place(view: &View<'_>, pod: &Pod, claims: &volume_binding::Claims, node: &Node) -> Vec<Write> {
    claims.delay_binding(node).unwrap_or_else(|| bind(view, pod, node))
}

/// The node names a pod's required node affinity allows when every term
/// names them (`metadata.name In [...]`); `None` when some term does not.
fn named_nodes(pod: &Pod) -> Option<std::collections::BTreeSet<&str>> {
    let required = pod
        .spec
        .as_ref()?
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?;
    let mut names = std::collections::BTreeSet::new();
    for term in &required.node_selector_terms {
        let named = term
            .match_fields
            .iter()
            .flatten()
            .find(|f| f.key == "metadata.name" && f.operator == "In")?;
        names.extend(named.values.iter().flatten().map(String::as_str));
    }
    Some(names)
}

fn bind(view: &View<'_>, pod: &Pod, node: &Node) -> Vec<Write> {
    let node_name = node.metadata.name.clone().unwrap_or_default();
    let mut bound = pod.clone();
    bound.spec.get_or_insert_with(Default::default).node_name = Some(node_name.clone());
    podutil::set_condition(
        &mut bound,
        podutil::new_condition("PodScheduled", true, None, None, view.now),
    );
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let mut ev = EventRecord::normal(
        reference_to(&Object::Pod(pod.clone())),
        COMPONENT,
        "Scheduled",
        format!("Successfully assigned {ns}/{name} to {node_name}"),
    );
    ev.new_api = true;
    ev.action = Some("Binding".to_owned());
    ev.host = control_plane_host(view);
    vec![Write::Update(Object::Pod(bound)), Write::Event(ev)]
}

/// The scheduler's host (its reportingInstance suffix).
fn control_plane_host(view: &View<'_>) -> Option<String> {
    let cp = view
        .config
        .nodes
        .iter()
        .find(|n| crate::sim::profiles::is_control_plane(n))
        .or(view.config.nodes.first());
    cp.map(|n| n.name.clone())
}

fn unschedulable(view: &View<'_>, pod: &Pod, message: String) -> Vec<Write> {
    let current = podutil::condition(pod, "PodScheduled");
    if current
        .is_some_and(|c| c.status == "False" && c.message.as_deref() == Some(message.as_str()))
    {
        return Vec::new();
    }
    let mut updated = pod.clone();
    podutil::set_condition(
        &mut updated,
        podutil::new_condition(
            "PodScheduled",
            false,
            Some("Unschedulable"),
            Some(&message),
            view.now,
        ),
    );
    updated.status.get_or_insert_with(Default::default).phase = Some("Pending".to_owned());
    let mut ev = EventRecord::normal(
        reference_to(&Object::Pod(pod.clone())),
        COMPONENT,
        "FailedScheduling",
        message,
    )
    .warning();
    ev.new_api = true;
    ev.action = Some("Scheduling".to_owned());
    ev.host = control_plane_host(view);
    vec![Write::Update(Object::Pod(updated)), Write::Event(ev)]
}

/// The first failing filter for `node`, in the cluster's version's filter
/// order, as that version words it.
fn filter(view: &View<'_>, pod: &Pod, wanted: &Requests, node: &Node) -> Result<(), Rejection> {
    filter_without(view, pod, wanted, node, &[])
}

/// [`filter`] with the pods `without` gone from the node (preemption's
/// dry run).
fn filter_without(
    view: &View<'_>,
    pod: &Pod,
    wanted: &Requests,
    node: &Node,
    without: &[&Pod],
) -> Result<(), Rejection> {
    let version = view.config.version;
    let spec = pod.spec.as_ref();
    let default_spec = Default::default();
    let nspec: &k8s_openapi::api::core::v1::NodeSpec = node.spec.as_ref().unwrap_or(&default_spec);
    let no_tolerations = Vec::new();
    let tolerations = spec.and_then(|s| s.tolerations.as_ref()).unwrap_or(&no_tolerations);
    // NodeUnschedulable comes first in every version.
    if nspec.unschedulable == Some(true)
        && !tolerations.iter().any(|t| tolerates(t, &unschedulable_taint()))
    {
        return Err(Rejection::unresolvable(vec![fit_error::UNSCHEDULABLE.to_owned()]));
    }
    let taints = || -> Result<(), Rejection> {
        for taint in nspec.taints.iter().flatten() {
            if matches!(taint.effect.as_str(), "NoSchedule" | "NoExecute")
                && !tolerations.iter().any(|t| tolerates(t, taint))
            {
                return Err(Rejection::unresolvable(vec![fit_error::taint(version, taint)]));
            }
        }
        Ok(())
    };
    let affinity = || -> Result<(), Rejection> {
        if node_affinity_matches(pod, node) {
            Ok(())
        } else {
            Err(Rejection::unresolvable(vec![fit_error::affinity(version).to_owned()]))
        }
    };
    let resources = || fits_resources(view, wanted, node, without);
    match FilterOrder::of(version) {
        FilterOrder::Predicates => {
            // GeneralPredicates collects the reasons of all its parts
            // (resources, then the node selector) before the taints.
            let mut reasons = Vec::new();
            let mut unresolvable = false;
            if let Err(r) = resources() {
                reasons.extend(r.reasons);
            }
            if let Err(r) = affinity() {
                reasons.extend(r.reasons);
                unresolvable = true;
            }
            if !reasons.is_empty() {
                return Err(Rejection { reasons, unresolvable });
            }
            taints()
        }
        FilterOrder::FitBeforeTaints => {
            resources().and_then(|()| affinity()).and_then(|()| taints())
        }
        FilterOrder::TaintsFirst => taints().and_then(|()| affinity()).and_then(|()| resources()),
    }
}

fn unschedulable_taint() -> Taint {
    Taint {
        key: "node.kubernetes.io/unschedulable".to_owned(),
        effect: "NoSchedule".to_owned(),
        ..Default::default()
    }
}

/// `Toleration.ToleratesTaint`.
pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    if let Some(effect) = t.effect.as_deref().filter(|e| !e.is_empty())
        && effect != taint.effect
    {
        return false;
    }
    let key = t.key.as_deref().unwrap_or_default();
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match t.operator.as_deref().unwrap_or("Equal") {
        "Exists" => true,
        _ => {
            !key.is_empty()
                && t.value.as_deref().unwrap_or_default()
                    == taint.value.as_deref().unwrap_or_default()
        }
    }
}

/// nodeSelector plus required node affinity (labels and `metadata.name` fields).
pub fn node_affinity_matches(pod: &Pod, node: &Node) -> bool {
    // Borrowed, not cloned: the DaemonSet controller asks this for every
    // node on every pass, and copying the pod spec was its main cost.
    let Some(spec) = pod.spec.as_ref() else { return true };
    if let Some(sel) = &spec.node_selector
        && !map_matches(sel, node.metadata.labels.as_ref())
    {
        return false;
    }
    let Some(required) = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|n| n.required_during_scheduling_ignored_during_execution.as_ref())
    else {
        return true;
    };
    let no_labels = std::collections::BTreeMap::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&no_labels);
    let name = node.metadata.name.as_ref();
    required.node_selector_terms.iter().any(|term| {
        let exprs = term
            .match_expressions
            .iter()
            .flatten()
            .all(|e| requirement(&e.operator, labels.get(&e.key), e.values.as_deref()));
        let fields = term.match_fields.iter().flatten().all(|e| {
            let value = name.filter(|_| e.key == "metadata.name");
            requirement(&e.operator, value, e.values.as_deref())
        });
        exprs && fields
    })
}

fn requirement(op: &str, value: Option<&String>, values: Option<&[String]>) -> bool {
    let values = values.unwrap_or_default();
    match op {
        "In" => value.is_some_and(|v| values.contains(v)),
        "NotIn" => value.is_none_or(|v| !values.contains(v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(v), Some(bound)) = (
                value.and_then(|v| v.parse::<i64>().ok()),
                values.first().and_then(|b| b.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if op == "Gt" { v > bound } else { v < bound }
        }
        _ => false,
    }
}

/// A pod's cpu (millicores) and memory (bytes) requests as
/// NodeResourcesFit counts them ([`requests`]): computed once per
/// scheduling attempt (`computePodResourceRequest` in its PreFilter), not
/// once per node.
struct Requests {
    cpu: i64,
    memory: i64,
}

impl Requests {
    fn of(pod: &Pod) -> Requests {
        Requests {
            cpu: requests(pod, "cpu", parse_cpu),
            memory: requests(pod, "memory", parse_bytes),
        }
    }
}

/// NodeResourcesFit (`noderesources/fit.go` `fitsRequest`): the pod count
/// and the cpu/memory requests against allocatable, every insufficient
/// resource named (pods, cpu, memory, in that order). `without` are pods
/// counted as gone (the preemption dry run's victims).
fn fits_resources(
    view: &View<'_>,
    wanted: &Requests,
    node: &Node,
    without: &[&Pod],
) -> Result<(), Rejection> {
    let name = node.metadata.name.as_deref().unwrap_or_default();
    // Without victims, the node's sums the store keeps; with them (the
    // preemption dry run, rare), the node's pods but those.
    let gone = |p: &Pod| without.iter().any(|w| w.metadata.uid == p.metadata.uid);
    let on_node: Option<Vec<&Pod>> =
        (!without.is_empty()).then(|| pods_on(view, name).filter(|p| !gone(p)).collect());
    let usage = view.store.node_usage(name);
    let count = match &on_node {
        Some(pods) => pods.len(),
        None => usage.map_or(0, |u| u.pods),
    };
    let alloc = allocatable(view, node);
    let mut reasons = Vec::new();
    if count + 1 > alloc.pods {
        reasons.push(fit_error::too_many_pods(view.config.version).to_owned());
    }
    for (resource, parse, wanted, capacity) in [
        ("cpu", parse_cpu as fn(&str) -> i64, wanted.cpu, alloc.cpu),
        ("memory", parse_bytes, wanted.memory, alloc.memory),
    ] {
        if wanted == 0 {
            // `fitsRequest` skips a resource the pod does not request.
            continue;
        }
        let Some(capacity) = capacity else { continue };
        // Quantities come from the user: sums saturate rather than wrap.
        let used = match &on_node {
            Some(pods) => {
                pods.iter().map(|p| requests(p, resource, parse)).fold(0, i64::saturating_add)
            }
            None => usage.map_or(0, |u| u.requested(resource)),
        };
        if used.saturating_add(wanted) > capacity {
            reasons.push(format!("Insufficient {resource}"));
        }
    }
    if reasons.is_empty() { Ok(()) } else { Err(Rejection { reasons, unresolvable: false }) }
}

/// The node's allocatable resources: the store's, parsed when the Node
/// was written; parsed here for a node the store does not hold.
fn allocatable(view: &View<'_>, node: &Node) -> Allocatable {
    node.metadata
        .name
        .as_deref()
        .and_then(|name| view.store.node_allocatable(name))
        .unwrap_or_else(|| Allocatable::of(node))
}

/// A pod's request of one resource as the scheduler counts it
/// (`computePodResourceRequest`): the app containers' sum, or the largest
/// init container's when larger, plus the pod overhead. A container that
/// sets only a limit requests its limit (the API server defaults requests
/// from limits).
pub fn requests(pod: &Pod, resource: &str, parse: fn(&str) -> i64) -> i64 {
    let Some(spec) = pod.spec.as_ref() else { return 0 };
    let of = |c: &k8s_openapi::api::core::v1::Container| {
        c.resources
            .as_ref()
            .and_then(|res| {
                res.requests
                    .as_ref()
                    .and_then(|r| r.get(resource))
                    .or_else(|| res.limits.as_ref().and_then(|l| l.get(resource)))
            })
            .map_or(0, |q| parse(&q.0))
    };
    let apps = spec.containers.iter().map(of).fold(0, i64::saturating_add);
    let inits = spec.init_containers.iter().flatten().map(of).max().unwrap_or(0);
    let overhead = spec.overhead.as_ref().and_then(|o| o.get(resource)).map_or(0, |q| parse(&q.0));
    apps.max(inits).saturating_add(overhead)
}

/// CPU quantity in millicores.
pub fn parse_cpu(q: &str) -> i64 {
    match q.strip_suffix('m') {
        Some(m) => m.parse().unwrap_or(0),
        None => (q.parse::<f64>().unwrap_or(0.0) * 1000.0).round() as i64,
    }
}

/// Memory quantity in bytes.
pub fn parse_bytes(q: &str) -> i64 {
    const SUFFIXES: &[(&str, i64)] = &[
        ("Ki", 1 << 10),
        ("Mi", 1 << 20),
        ("Gi", 1 << 30),
        ("Ti", 1 << 40),
        ("k", 1_000),
        ("M", 1_000_000),
        ("G", 1_000_000_000),
        ("T", 1_000_000_000_000),
    ];
    for (s, m) in SUFFIXES {
        if let Some(n) = q.strip_suffix(s) {
            return (n.parse::<f64>().unwrap_or(0.0) * *m as f64) as i64;
        }
    }
    q.parse::<f64>().map(|v| v as i64).unwrap_or(0)
}

/// Scores feasible nodes as v1.22's default score plugins that bear on
/// these pods do (`pkg/scheduler/framework/plugins`), and takes the best:
/// PodTopologySpread's system-default constraint (spread one owner's pods
/// over hostnames; weight 2), NodeResourcesLeastAllocated and
/// NodeResourcesBalancedAllocation over cpu and memory (weight 1 each).
/// ImageLocality is left out (the simulator has no image sizes). Ties go to
/// the seeded hash, where the real scheduler picks at random among the best.
fn pick<'a>(view: &View<'_>, pod: &Pod, feasible: &[&'a Node]) -> Option<&'a Node> {
    // Each node's sums, looked up once for both scores.
    let usages: Vec<Option<&NodeUsage>> = feasible
        .iter()
        .map(|node| view.store.node_usage(node.metadata.name.as_deref().unwrap_or_default()))
        .collect();
    let spread = spread_scores(pod, &usages);
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    // The pod's side of the resource scores, once per pod, not per node.
    let demand = non_zero_requests(pod);
    feasible
        .iter()
        .zip(usages)
        .zip(spread)
        .map(|((node, usage), spread)| {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            let (least, balanced) = resource_scores(demand, allocatable(view, node), usage);
            let score = 2 * spread + least + balanced;
            (std::cmp::Reverse(score), rng::mix(view.config.seed, &[&uid, name]), *node)
        })
        .min_by_key(|(score, tie, _)| (*score, *tie))
        .map(|(_, _, node)| node)
}

/// Pods the scheduler's cache holds for a node: assigned, not finished.
pub(super) fn pods_on<'v>(view: &View<'v>, node: &str) -> impl Iterator<Item = &'v Pod> + use<'v> {
    view.store.pods_on_node(node).filter(|p| !matches!(podutil::phase(p), "Succeeded" | "Failed"))
}

/// PodTopologySpread with the system default constraint `{maxSkew: 3,
/// topologyKey: kubernetes.io/hostname, ScheduleAnyway}` (the zone
/// constraint counts only on nodes with a zone label; these have none).
/// `scoring.go`: a node scores `round(cnt * ln(nodes + 2) + maxSkew - 1)`,
/// where cnt counts the node's non-terminating pods of the same selector
/// (here: the same controller), then `NormalizeScore` maps it to
/// `100 * (max + min - s) / max`. A pod without a controller has no default
/// selector and scores 100 everywhere.
fn spread_scores(pod: &Pod, feasible: &[Option<&NodeUsage>]) -> Vec<i64> {
    // A pod with constraints of its own gets no default ones; its
    // `DoNotSchedule` constraints filter, and score nothing.
    if pod_topology_spread::has_own_constraints(pod) {
        return vec![100; feasible.len()];
    }
    let Some(owner) = podutil::controller_of(&pod.metadata).map(|o| o.uid.clone()) else {
        return vec![100; feasible.len()];
    };
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let weight = ((feasible.len() + 2) as f64).ln();
    let raw: Vec<i64> = feasible
        .iter()
        .map(|usage| {
            // The node's non-terminating pods of the owner, counted by the
            // store ([`crate::sim::node_usage`]).
            let cnt = usage.map_or(0, |u| u.of_controller(ns, &owner));
            (cnt as f64 * weight + 2.0).round() as i64
        })
        .collect();
    let max = raw.iter().copied().max().unwrap_or(0);
    let min = raw.iter().copied().min().unwrap_or(0);
    raw.iter().map(|s| if max == 0 { 100 } else { 100 * (max + min - s) / max }).collect()
}

/// `DefaultMilliCPURequest` / `DefaultMemoryRequest`
/// (`pkg/scheduler/util/non_zero.go`): what scoring counts for a container
/// that requests nothing.
const NON_ZERO_CPU: i64 = 100;
const NON_ZERO_MEMORY: i64 = 200 * 1024 * 1024;

/// A pod's cpu (millicores) and memory (bytes) requests with the non-zero
/// defaults (`GetNonzeroRequests`).
pub(crate) fn non_zero_requests(pod: &Pod) -> (i64, i64) {
    let mut total: (i64, i64) = (0, 0);
    for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
        let requests = c.resources.as_ref().and_then(|r| r.requests.as_ref());
        let get = |r: &str| requests.and_then(|q| q.get(r)).map(|q| q.0.clone());
        total.0 = total.0.saturating_add(get("cpu").map_or(NON_ZERO_CPU, |q| parse_cpu(&q)));
        total.1 =
            total.1.saturating_add(get("memory").map_or(NON_ZERO_MEMORY, |q| parse_bytes(&q)));
    }
    total
}

/// NodeResourcesLeastAllocated (`least_allocated.go`:
/// `(allocatable - requested) * 100 / allocatable`, averaged over cpu and
/// memory) and NodeResourcesBalancedAllocation (`balanced_allocation.go`:
/// `(1 - |cpuFraction - memoryFraction|) * 100`), both over the node's
/// non-zero requests plus the pod's (`demand`, [`non_zero_requests`]).
fn resource_scores(
    demand: (i64, i64),
    alloc: Allocatable,
    usage: Option<&NodeUsage>,
) -> (i64, i64) {
    let cap_cpu = alloc.cpu.unwrap_or(0);
    let cap_mem = alloc.memory.unwrap_or(0);
    // The pod's and the node's sums (non-negative: saturating adds of
    // them are the exact sum clamped).
    let (cpu, mem) = demand;
    let (on_cpu, on_mem) = usage.map_or((0, 0), |u| u.non_zero());
    let clamp = |v: i128| v.min(i128::from(i64::MAX)) as i64;
    let (cpu, mem) = (clamp(i128::from(cpu) + on_cpu), clamp(i128::from(mem) + on_mem));
    let least = |req: i64, cap: i64| {
        if cap <= 0 || req > cap {
            0
        } else {
            // In i128: `cap - req` and `* 100` cannot overflow there.
            ((i128::from(cap) - i128::from(req.max(0))) * 100 / i128::from(cap)) as i64
        }
    };
    let least_score = (least(cpu, cap_cpu) + least(mem, cap_mem)) / 2;
    let fraction = |req: i64, cap: i64| if cap == 0 { 1.0 } else { req as f64 / cap as f64 };
    let (fc, fm) = (fraction(cpu, cap_cpu), fraction(mem, cap_mem));
    let balanced =
        if fc >= 1.0 || fm >= 1.0 { 0 } else { ((1.0 - (fc - fm).abs()) * 100.0) as i64 };
    (least_score, balanced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(parse_cpu("100m"), 100);
        assert_eq!(parse_cpu("2"), 2000);
        assert_eq!(parse_bytes("70Mi"), 70 << 20);
    }

    #[test]
    fn toleration_rules() {
        let taint = Taint {
            key: "node-role.kubernetes.io/master".into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        };
        let exists_all = Toleration { operator: Some("Exists".into()), ..Default::default() };
        assert!(tolerates(&exists_all, &taint));
        let equal_key = Toleration {
            key: Some("node-role.kubernetes.io/master".into()),
            effect: Some("NoSchedule".into()),
            ..Default::default()
        };
        assert!(tolerates(&equal_key, &taint));
        let other = Toleration {
            key: Some("x".into()),
            operator: Some("Exists".into()),
            ..Default::default()
        };
        assert!(!tolerates(&other, &taint));
    }
}
