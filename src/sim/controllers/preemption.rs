//! The scheduler's DefaultPreemption PostFilter (`pkg/scheduler/framework/
//! preemption/preemption.go` and `plugins/defaultpreemption/
//! default_preemption.go`): a pod that fits no node may evict pods of
//! lower priority.
//!
//! - **Eligibility** (`PodEligibleToPreemptOthers`): not with
//!   `preemptionPolicy: Never`, and not while a lower-priority pod on the
//!   node it is already nominated to is still terminating.
//! - **Victims per node** (`SelectVictimsOnNode`): every pod of lower
//!   priority is removed; if the pod then passes the node's filters, the
//!   removed pods are added back, each one kept that still leaves room:
//!   first those whose eviction would break a PodDisruptionBudget
//!   (`filterPodsWithPDBViolation`: each budget's `disruptionsAllowed`
//!   spent along the pods, most important first, a pod already in its
//!   `disruptedPods` not counted), then the others, each group most
//!   important first (higher priority, then earlier start); the victims
//!   are then ordered by importance.
//! - **The node** (`pickOneNodeForPreemption`): the fewest victims that
//!   break a budget, then the lowest highest-victim priority, then the
//!   smallest sum of victim priorities, the fewest victims, the latest
//!   start of the highest-priority victims, then the first in name order.
//! - **Preparation** (`prepareCandidate`): each victim is marked a
//!   disruption target ([`crate::sim::disruption`]), deleted with its own
//!   grace period, and gets the `Preempted` event; lower-priority pods
//!   nominated to the node lose their nomination. The preemptor gets
//!   `status.nominatedNodeName` and its FailedScheduling (the filters'
//!   message alone: a successful PostFilter adds none) and binds once the
//!   victims are gone.
//!
//! The scheduler's v1.26.0 condition message named the preemptor
//! (kubernetes#114914, fixed in v1.26.1); v1.26 is given the later form.

use k8s_openapi::api::core::v1::{Node, Pod};

use super::{View, Write, fit_error::Rejection};
use crate::{
    sim::{
        DeleteOptions, Kind, Object, ObjectRef,
        disruption::{self, Disruption},
        events::{EventRecord, reference_to},
        podutil,
    },
    version::{Fact, KubeVersion},
};

/// The node preemption chose and the pods to evict there, most important
/// first.
#[derive(Debug, Clone)]
pub struct Candidate<'v> {
    /// The node.
    pub node: String,
    /// The victims.
    pub victims: Vec<&'v Pod>,
    /// How many victims break a PodDisruptionBudget.
    pub pdb_violations: usize,
}

/// `filterPodsWithPDBViolation`: `pods` (most important first) split into
/// those whose eviction would break a budget and the others, each
/// budget's allowance spent along the way.
fn split_by_pdb_violation<'v>(view: &View<'v>, pods: &[&'v Pod]) -> (Vec<&'v Pod>, Vec<&'v Pod>) {
    let budgets: Vec<_> = view
        .store
        .list(super::disruption::pdb_kind(), None)
        .filter_map(super::disruption::budget)
        .collect();
    let mut allowed: Vec<i32> =
        budgets.iter().map(|b| b.status.as_ref().map_or(0, |s| s.disruptions_allowed)).collect();
    let (mut violating, mut other) = (Vec::new(), Vec::new());
    for pod in pods {
        let mut violated = false;
        let labels = pod.metadata.labels.as_ref().filter(|l| !l.is_empty());
        for (i, budget) in budgets.iter().enumerate() {
            let Some(labels) = labels else { break };
            if budget.metadata.namespace != pod.metadata.namespace {
                continue;
            }
            // A budget with no or an empty selector matches nothing here.
            let Some(selector) = budget.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
                continue;
            };
            if crate::sim::labels::selector_is_empty(selector)
                || !crate::sim::labels::selector_matches(selector, Some(labels))
            {
                continue;
            }
            let name = pod.metadata.name.as_deref().unwrap_or_default();
            let disrupted = budget
                .status
                .as_ref()
                .and_then(|s| s.disrupted_pods.as_ref())
                .is_some_and(|d| d.contains_key(name));
            if disrupted {
                continue;
            }
            allowed[i] -= 1;
            if allowed[i] < 0 {
                violated = true;
            }
        }
        if violated { violating.push(*pod) } else { other.push(*pod) }
    }
    (violating, other)
}

fn priority(pod: &Pod) -> i32 {
    pod.spec.as_ref().and_then(|s| s.priority).unwrap_or(0)
}

fn start(pod: &Pod) -> Option<k8s_openapi::jiff::Timestamp> {
    pod.status
        .as_ref()
        .and_then(|s| s.start_time.as_ref())
        .or(pod.metadata.creation_timestamp.as_ref())
        .map(|t| t.0)
}

/// `PodEligibleToPreemptOthers`: `Err` with the reason it may not.
pub fn eligible(view: &View<'_>, pod: &Pod) -> Result<(), &'static str> {
    let spec = pod.spec.as_ref();
    if spec.and_then(|s| s.preemption_policy.as_deref()) == Some("Never") {
        return Err("not eligible due to preemptionPolicy=Never.");
    }
    let nominated = pod.status.as_ref().and_then(|s| s.nominated_node_name.as_deref());
    if let Some(node) = nominated.filter(|n| !n.is_empty()) {
        let mine = priority(pod);
        let terminating = view
            .store
            .pods_on_node(node)
            .any(|p| p.metadata.deletion_timestamp.is_some() && priority(p) < mine);
        if terminating {
            return Err("not eligible due to a terminating pod on the nominated node.");
        }
    }
    Ok(())
}

/// The dry run over the nodes whose rejection preemption may resolve;
/// `fits(node, without)` runs the node's filters with `without` gone.
pub fn find<'v>(
    view: &View<'v>,
    pod: &Pod,
    rejected: &[(&Node, Rejection)],
    fits: impl Fn(&Node, &[&Pod]) -> bool,
) -> Option<Candidate<'v>> {
    let mine = priority(pod);
    let mut candidates = Vec::new();
    for (node, rejection) in rejected {
        if rejection.unresolvable {
            continue;
        }
        let name = node.metadata.name.as_deref().unwrap_or_default();
        let mut lower: Vec<&'v Pod> = view
            .store
            .pods_on_node(name)
            .filter(|p| !matches!(podutil::phase(p), "Succeeded" | "Failed"))
            .filter(|p| priority(p) < mine)
            .collect();
        if lower.is_empty() || !fits(node, &lower) {
            continue;
        }
        // `MoreImportantPod`: higher priority, then the earlier start.
        let more_important =
            |a: &&Pod, b: &&Pod| priority(b).cmp(&priority(a)).then(start(a).cmp(&start(b)));
        lower.sort_by(more_important);
        let (violating, other) = split_by_pdb_violation(view, &lower);
        let order: Vec<&'v Pod> = violating.iter().chain(other.iter()).copied().collect();
        let mut victims: Vec<&'v Pod> = Vec::new();
        let mut pdb_violations = 0;
        for (i, p) in order.iter().enumerate() {
            // Reprieve `p`: still gone are the victims so far and the pods
            // not yet considered.
            let without: Vec<&Pod> =
                victims.iter().copied().chain(order[i + 1..].iter().copied()).collect();
            if !fits(node, &without) {
                victims.push(p);
                if i < violating.len() {
                    pdb_violations += 1;
                }
            }
        }
        if !violating.is_empty() && !other.is_empty() {
            victims.sort_by(more_important);
        }
        if !victims.is_empty() {
            candidates.push(Candidate { node: name.to_owned(), victims, pdb_violations });
        }
    }
    candidates.sort_by(|a, b| a.node.cmp(&b.node));
    let key = |c: &Candidate<'_>| {
        let highest = priority(c.victims[0]);
        let sum: i64 = c.victims.iter().map(|p| i64::from(priority(p))).sum();
        let earliest_of_highest =
            c.victims.iter().filter(|p| priority(p) == highest).filter_map(|p| start(p)).min();
        (c.pdb_violations, highest, sum, c.victims.len(), std::cmp::Reverse(earliest_of_highest))
    };
    // `min_by_key` keeps the first of equals: name order breaks ties.
    candidates.into_iter().min_by_key(key)
}

/// The `Preempted` event's message, as the cluster's version words it.
fn preempted_message(version: KubeVersion, preemptor: &Pod, node: &str) -> String {
    if version.has(Fact::PreemptedEventNamesPreemptorUid) {
        let uid = preemptor.metadata.uid.as_deref().unwrap_or_default();
        format!("Preempted by pod {uid} on node {node}")
    } else if version.has(Fact::PreemptedEventHidesPreemptor) {
        format!("Preempted by a pod on node {node}")
    } else {
        let ns = preemptor.metadata.namespace.as_deref().unwrap_or("default");
        let name = preemptor.metadata.name.as_deref().unwrap_or_default();
        format!("Preempted by {ns}/{name} on node {node}")
    }
}

/// `prepareCandidate`, then the preemptor's nomination: the writes of one
/// successful preemption. `failed` is the FailedScheduling message;
/// `host` the scheduler's host for its events.
pub fn preempt(
    view: &View<'_>,
    pod: &Pod,
    candidate: &Candidate<'_>,
    failed: String,
    host: Option<String>,
) -> Vec<Write> {
    let scheduler = pod
        .spec
        .as_ref()
        .and_then(|s| s.scheduler_name.clone())
        .unwrap_or_else(|| super::scheduler::COMPONENT.to_owned());
    let mut writes = Vec::new();
    for victim in &candidate.victims {
        let mut marked = (*victim).clone();
        if disruption::mark(
            &mut marked,
            Disruption::Preemption,
            &scheduler,
            view.config.version,
            view.now,
        ) {
            writes.push(Write::Update(Object::Pod(marked)));
        }
        let ns = victim.metadata.namespace.as_deref().unwrap_or("default");
        let name = victim.metadata.name.as_deref().unwrap_or_default();
        writes.push(Write::Delete(
            ObjectRef::namespaced(Kind::Pod, ns, name),
            DeleteOptions::default(),
        ));
        let mut ev = EventRecord::normal(
            reference_to(&Object::Pod((*victim).clone())),
            super::scheduler::COMPONENT,
            "Preempted",
            preempted_message(view.config.version, pod, &candidate.node),
        );
        ev.new_api = true;
        ev.action = Some("Preempting".to_owned());
        ev.host = host.clone();
        writes.push(Write::Event(ev));
    }
    // Lower-priority pods nominated to the node may no longer fit there.
    let mine = priority(pod);
    for other in view.store.all::<Pod>(None) {
        let nominated = other.status.as_ref().and_then(|s| s.nominated_node_name.as_deref());
        if nominated == Some(candidate.node.as_str())
            && priority(other) < mine
            && other.metadata.uid != pod.metadata.uid
        {
            let mut cleared = other.clone();
            cleared.status.get_or_insert_with(Default::default).nominated_node_name = None;
            writes.push(Write::Update(Object::Pod(cleared)));
        }
    }
    let mut nominated = pod.clone();
    nominated.status.get_or_insert_with(Default::default).nominated_node_name =
        Some(candidate.node.clone());
    podutil::set_condition(
        &mut nominated,
        podutil::new_condition(
            "PodScheduled",
            false,
            Some("Unschedulable"),
            Some(&failed),
            view.now,
        ),
    );
    let mut ev = EventRecord::normal(
        reference_to(&Object::Pod(pod.clone())),
        super::scheduler::COMPONENT,
        "FailedScheduling",
        failed,
    )
    .warning();
    ev.new_api = true;
    ev.action = Some("Scheduling".to_owned());
    ev.host = host;
    writes.push(Write::Update(Object::Pod(nominated)));
    writes.push(Write::Event(ev));
    writes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Fact::PreemptedEventHidesPreemptor`] and
    /// [`Fact::PreemptedEventNamesPreemptorUid`] on both sides of their
    /// boundaries.
    #[test]
    fn preempted_event_message_by_version() {
        let mut pod = Pod::default();
        pod.metadata.name = Some("high".into());
        pod.metadata.namespace = Some("default".into());
        pod.metadata.uid = Some("0b1c".into());
        let at = |minor| preempted_message(KubeVersion::new(1, minor, 0), &pod, "w1");
        let hides = Fact::PreemptedEventHidesPreemptor.change().since;
        let uid = Fact::PreemptedEventNamesPreemptorUid.change().since;
        assert_eq!(at(hides - 1), "Preempted by default/high on node w1");
        assert_eq!(at(hides), "Preempted by a pod on node w1");
        assert_eq!(at(uid - 1), "Preempted by a pod on node w1");
        assert_eq!(at(uid), "Preempted by pod 0b1c on node w1");
    }
}
