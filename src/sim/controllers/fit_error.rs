//! The scheduler's FailedScheduling message (`FitError.Error()`), worded
//! as each release words it, from v1.10 to v1.35. Read from the releases'
//! `pkg/scheduler` (the module zips of `k8s.io/kubernetes` at each tag):
//!
//! - **The sentence**: `0/N nodes are available: ` then the histogram of the
//!   nodes' reasons, `"{count} {reason}"` sorted as strings and joined by
//!   `, `, then `.` (`core/generic_scheduler.go` to v1.17,
//!   `framework/types.go` after).
//! - **Preemption** (`framework/preemption/preemption.go`, v1.24 on): the
//!   PostFilter plugins' message is appended as ` preemption: 0/N nodes are
//!   available: ...`: a node whose filter said UnschedulableAndUnresolvable
//!   (taints, node affinity, cordon) is `Preemption is not helpful for
//!   scheduling`; one with no lower-priority pod is `No preemption victims
//!   found for incoming pod` (`default_preemption.go`
//!   `SelectVictimsOnNode`); one where the pod does not fit even without
//!   them repeats its filter reasons. From v1.34 DynamicResources (GA,
//!   enabled by default) runs its PostFilter first and, for a pod without
//!   resource claims, says `no new claims to deallocate`; the statuses are
//!   joined by `, ` (`runtime/framework.go` `RunPostFilterPlugins`). The
//!   real v1.35.4 control plane of issue 16 printed exactly this
//!   (`real-cluster/03-nodes-cordon-taint.md`).
//! - **Reasons** change wording across releases: see [`taint`],
//!   [`affinity`], [`too_many_pods`].
//! - **Filter order** changes too ([`FilterOrder`]).

use crate::version::Fact;
use k8s_openapi::api::core::v1::{Node, Pod, Taint};

use super::View;
use crate::version::KubeVersion;

/// NodeUnschedulable's reason (the same words in every release).
pub const UNSCHEDULABLE: &str = "node(s) were unschedulable";

/// Why one node was filtered out: the failing filter's reasons, and whether
/// preemption could help there (`Unschedulable`) or not
/// (`UnschedulableAndUnresolvable`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Its reasons, each counted in the histogram.
    pub reasons: Vec<String>,
    /// Nothing preemption does would make the pod fit.
    pub unresolvable: bool,
}

impl Rejection {
    /// A rejection preemption cannot help with.
    pub fn unresolvable(reasons: Vec<String>) -> Rejection {
        Rejection { reasons, unresolvable: true }
    }
}

/// Which filters run first, per release: a node is counted under its first
/// failing filter only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterOrder {
    /// v1.10–v1.17 (`algorithm/predicates` `predicatesOrdering`):
    /// CheckNodeUnschedulable, GeneralPredicates (resources and the node
    /// selector, all their reasons together), then PodToleratesNodeTaints.
    Predicates,
    /// v1.18–v1.19 (`algorithmprovider/registry.go`): NodeUnschedulable,
    /// NodeResourcesFit, NodeName, NodePorts, NodeAffinity, ...,
    /// TaintToleration.
    FitBeforeTaints,
    /// v1.20 on (`algorithmprovider/registry.go`, then
    /// `apis/config/*/default_plugins.go`): NodeUnschedulable, NodeName,
    /// TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit.
    TaintsFirst,
}

impl FilterOrder {
    /// The order of `version`.
    pub fn of(version: KubeVersion) -> FilterOrder {
        if !version.has(Fact::SchedulerFrameworkPlugins) {
            FilterOrder::Predicates
        } else if !version.has(Fact::SchedulerTaintsFirst) {
            FilterOrder::FitBeforeTaints
        } else {
            FilterOrder::TaintsFirst
        }
    }
}

/// TaintToleration's reason for `taint`.
pub fn taint(version: KubeVersion, taint: &Taint) -> String {
    let value = taint.value.as_deref().unwrap_or_default();
    if !version.has(Fact::SchedulerFrameworkPlugins) {
        "node(s) had taints that the pod didn't tolerate".to_owned()
    } else if !version.has(Fact::UntoleratedTaintReason) {
        format!("node(s) had taint {{{}: {value}}}, that the pod didn't tolerate", taint.key)
    } else if !version.has(Fact::UntoleratedTaintsUnnamed) {
        format!("node(s) had untolerated taint {{{}: {value}}}", taint.key)
    } else {
        "node(s) had untolerated taint(s)".to_owned()
    }
}

/// NodeAffinity's (or MatchNodeSelector's) reason.
pub fn affinity(version: KubeVersion) -> &'static str {
    if !version.has(Fact::NodeAffinityReasonAffinity) {
        "node(s) didn't match node selector"
    } else if !version.has(Fact::NodeAffinityReasonSelector) {
        "node(s) didn't match Pod's node affinity"
    } else {
        "node(s) didn't match Pod's node affinity/selector"
    }
}

/// NodeResourcesFit's reason for a node at its pod count.
pub fn too_many_pods(version: KubeVersion) -> &'static str {
    // The pod count is no longer an InsufficientResourceError.
    if version.has(Fact::SchedulerFrameworkPlugins) { "Too many pods" } else { "Insufficient pods" }
}

/// `0/N nodes are available: {histogram}.`
pub fn histogram(total: usize, reasons: &std::collections::BTreeMap<String, usize>) -> String {
    let mut parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    parts.sort();
    if parts.is_empty() {
        format!("0/{total} nodes are available.")
    } else {
        format!("0/{total} nodes are available: {}.", parts.join(", "))
    }
}

/// The filters' part of the FailedScheduling message alone: what a pod
/// whose preemption succeeded is told (the PostFilter adds no message).
pub fn filters_message(total: usize, rejected: &[(&Node, Rejection)]) -> String {
    let mut reasons = std::collections::BTreeMap::new();
    for (_, r) in rejected {
        for reason in &r.reasons {
            *reasons.entry(reason.clone()).or_insert(0) += 1;
        }
    }
    histogram(total, &reasons)
}

/// The whole FailedScheduling message for `pod`, rejected on every node
/// (`rejected`, one rejection per node). `fits_without(node, victims)`
/// re-runs NodeResourcesFit with `victims` gone (the preemption dry run).
pub fn message(
    view: &View<'_>,
    pod: &Pod,
    total: usize,
    rejected: &[(&Node, Rejection)],
    fits_without: impl Fn(&Node, &[&Pod]) -> Result<(), Rejection>,
) -> String {
    let count = |rejections: &mut dyn Iterator<Item = &Rejection>| {
        let mut reasons = std::collections::BTreeMap::new();
        for r in rejections {
            for reason in &r.reasons {
                *reasons.entry(reason.clone()).or_insert(0) += 1;
            }
        }
        histogram(total, &reasons)
    };
    let filters = count(&mut rejected.iter().map(|(_, r)| r));
    let version = view.config.version;
    if !version.has(Fact::SchedulerPostFilterMessage) {
        return filters;
    }
    let mut post = Vec::new();
    // DynamicResources' PostFilter runs before preemption.
    if version.has(Fact::DynamicResourcesPostFilter) {
        post.push("no new claims to deallocate".to_owned());
    }
    post.push(preemption(view, pod, rejected, fits_without, count));
    format!("{filters} {}", post.join(", "))
}

/// The FailedScheduling message for a pod a PreFilter plugin rejected
/// outright (VolumeBinding: a claim that does not exist, is being deleted,
/// or is unbound with an `Immediate` class; UnschedulableAndUnresolvable,
/// the same `reason` for every node). `schedule_one.go`
/// `findNodesThatFitPod` and `framework/types.go` `FitError.Error()`:
///
/// - up to v1.25 every node gets the PreFilter status, counted like a
///   filter's reason: `0/3 nodes are available: 3 persistentvolumeclaim
///   "data" not found.`;
/// - from v1.26 the message is `Diagnosis.PreFilterMsg`, printed once
///   ([`Fact::SchedulerPreFilterMessageOnce`]);
/// - then the PostFilter plugins' message. Preemption sees every node
///   UnschedulableAndUnresolvable (`Preemption is not helpful for
///   scheduling`) up to v1.25 and again from v1.29, when the nodes get the
///   PreFilter status back ([`Fact::PreFilterRejectionPreemptionMessage`]);
///   v1.26–v1.28 are left without a PostFilter part (not worked out). From
///   v1.34 DynamicResources' PostFilter runs first
///   ([`Fact::DynamicResourcesPostFilter`]) and finds no state of its own:
///   its PreFilter never ran (an UnschedulableAndUnresolvable PreFilter
///   stops the others, `RunPreFilterPlugins`), so `getStateData` returns
///   the cycle state's `not found`, an Error that ends the PostFilter
///   plugins and is the whole PostFilter message. The real v1.35.4
///   scheduler printed `0/3 nodes are available: persistentvolumeclaim
///   "data" not found. not found`.
pub fn prefilter_message(view: &View<'_>, pod: &Pod, nodes: &[&Node], reason: &str) -> String {
    let version = view.config.version;
    let total = nodes.len();
    let head = if version.has(Fact::SchedulerPreFilterMessageOnce) {
        format!("0/{total} nodes are available: {reason}.")
    } else {
        histogram(total, &[(reason.to_owned(), total)].into())
    };
    if !version.has(Fact::SchedulerPostFilterMessage) {
        return head;
    }
    if version.has(Fact::DynamicResourcesPostFilter) {
        return format!("{head} not found");
    }
    if version.has(Fact::SchedulerPreFilterMessageOnce)
        && !version.has(Fact::PreFilterRejectionPreemptionMessage)
    {
        return head;
    }
    let rejected: Vec<(&Node, Rejection)> =
        nodes.iter().map(|n| (*n, Rejection::unresolvable(vec![reason.to_owned()]))).collect();
    let count = |rejections: &mut dyn Iterator<Item = &Rejection>| {
        let mut reasons = std::collections::BTreeMap::new();
        for r in rejections {
            for reason in &r.reasons {
                *reasons.entry(reason.clone()).or_insert(0) += 1;
            }
        }
        histogram(total, &reasons)
    };
    format!("{head} {}", preemption(view, pod, &rejected, |_, _| Ok(()), count))
}

/// DefaultPreemption's message (`preemption.go` `Preempt`).
fn preemption(
    view: &View<'_>,
    pod: &Pod,
    rejected: &[(&Node, Rejection)],
    fits_without: impl Fn(&Node, &[&Pod]) -> Result<(), Rejection>,
    count: impl Fn(&mut dyn Iterator<Item = &Rejection>) -> String,
) -> String {
    let spec = pod.spec.as_ref();
    if let Err(why) = super::preemption::eligible(view, pod) {
        return format!("preemption: {why}");
    }
    let priority = spec.and_then(|s| s.priority).unwrap_or(0);
    let per_node: Vec<Rejection> = rejected
        .iter()
        .map(|(node, rejection)| {
            if rejection.unresolvable {
                return Rejection::unresolvable(vec![
                    "Preemption is not helpful for scheduling".to_owned(),
                ]);
            }
            let name = node.metadata.name.as_deref().unwrap_or_default();
            let lower: Vec<&Pod> = view
                .store
                .pods_on_node(name)
                .filter(|p| !matches!(crate::sim::podutil::phase(p), "Succeeded" | "Failed"))
                .filter(|p| p.spec.as_ref().and_then(|s| s.priority).unwrap_or(0) < priority)
                .collect();
            if lower.is_empty() {
                return Rejection::unresolvable(vec![
                    "No preemption victims found for incoming pod".to_owned(),
                ]);
            }
            // A node where the pod fits without its victims is a candidate
            // (`super::preemption`), which the scheduler took before
            // coming here; what remains repeats the filters' reasons.
            fits_without(node, &lower).err().unwrap_or_else(|| rejection.clone())
        })
        .collect();
    format!("preemption: {}", count(&mut per_node.iter()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(minor: u32) -> KubeVersion {
        KubeVersion::new(1, minor, 0)
    }

    /// The scheduler's wording and filter order on both sides of each
    /// boundary: [`Fact::SchedulerFrameworkPlugins`] (v1.18),
    /// [`Fact::SchedulerTaintsFirst`] and [`Fact::NodeAffinityReasonAffinity`]
    /// (v1.20), [`Fact::NodeAffinityReasonSelector`] (v1.21),
    /// [`Fact::UntoleratedTaintReason`] (v1.24),
    /// [`Fact::UntoleratedTaintsUnnamed`] (v1.35).
    #[test]
    fn scheduler_reasons_at_each_boundary() {
        let t = Taint {
            key: "node-role.kubernetes.io/master".into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        };
        assert_eq!(taint(v(17), &t), "node(s) had taints that the pod didn't tolerate");
        let named =
            "node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate";
        assert_eq!(taint(v(18), &t), named);
        assert_eq!(taint(v(23), &t), named);
        let untolerated = "node(s) had untolerated taint {node-role.kubernetes.io/master: }";
        assert_eq!(taint(v(24), &t), untolerated);
        assert_eq!(taint(v(34), &t), untolerated);
        assert_eq!(taint(v(35), &t), "node(s) had untolerated taint(s)");
        assert_eq!(too_many_pods(v(17)), "Insufficient pods");
        assert_eq!(too_many_pods(v(18)), "Too many pods");
        assert_eq!(FilterOrder::of(v(17)), FilterOrder::Predicates);
        assert_eq!(FilterOrder::of(v(18)), FilterOrder::FitBeforeTaints);
        assert_eq!(FilterOrder::of(v(19)), FilterOrder::FitBeforeTaints);
        assert_eq!(FilterOrder::of(v(20)), FilterOrder::TaintsFirst);
        assert_eq!(affinity(v(19)), "node(s) didn't match node selector");
        assert_eq!(affinity(v(20)), "node(s) didn't match Pod's node affinity");
        assert_eq!(affinity(v(21)), "node(s) didn't match Pod's node affinity/selector");
    }

    #[test]
    fn histogram_sorts_as_strings() {
        let reasons = [
            ("Insufficient cpu".to_owned(), 2),
            ("node(s) had untolerated taint(s)".to_owned(), 1),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            histogram(3, &reasons),
            "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu."
        );
    }
}
