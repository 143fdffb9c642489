//! The PodTopologySpread filter for a pod's own `DoNotSchedule`
//! constraints (`pkg/scheduler/framework/plugins/podtopologyspread/
//! filtering.go`, EvenPodsSpread on by default from v1.18).
//!
//! PreFilter counts, per topology domain `(topologyKey, value)`, the pods
//! the constraint's selector matches in the pod's namespace, on the nodes
//! that pass the pod's node selector and required node affinity
//! (`nodeAffinityPolicy: Honor`) and carry every constraint's key; taints
//! are ignored (`nodeTaintsPolicy: Ignore`). A node then passes when, for
//! every constraint, `matching in its domain + (1 if the pod matches
//! itself) - the smallest count over the domains ≤ maxSkew`.
//! `ScheduleAnyway` constraints (scoring), `minDomains`, non-default node
//! policies and `matchLabelKeys` are named unsupported at admission
//! ([`crate::sim::admission::unmodelled`]). Preemption's dry run does not
//! recount the domains without its victims (upstream's `RemovePod`), so a
//! pod this filter rejects is never helped by preemption here.

use std::collections::BTreeMap;

use k8s_openapi::{
    api::core::v1::{Node, Pod, TopologySpreadConstraint},
    apimachinery::pkg::apis::meta::v1::LabelSelector,
};

use super::{View, fit_error::Rejection, scheduler};
use crate::{
    sim::labels,
    version::{Fact, KubeVersion},
};

/// The filter's reason (the same from v1.16).
const NOT_MATCH: &str = "node(s) didn't match pod topology spread constraints";

/// One hard constraint.
#[derive(Debug, Clone)]
struct Constraint {
    max_skew: usize,
    key: String,
    selector: Option<LabelSelector>,
}

/// What PreFilter computes for one pod.
#[derive(Debug, Default)]
pub struct State {
    constraints: Vec<Constraint>,
    /// Matching pods per domain, every eligible domain present.
    counts: BTreeMap<(String, String), usize>,
    /// Whether the pod matches each constraint's own selector.
    self_match: Vec<bool>,
}

/// Whether `pod` declares any topology spread constraint: then the
/// cluster's default constraints do not apply to it
/// (`buildDefaultConstraints` only for a pod without its own).
pub fn has_own_constraints(pod: &Pod) -> bool {
    pod.spec
        .as_ref()
        .and_then(|s| s.topology_spread_constraints.as_ref())
        .is_some_and(|c| !c.is_empty())
}

fn hard(pod: &Pod) -> Vec<Constraint> {
    let all: &[TopologySpreadConstraint] = pod
        .spec
        .as_ref()
        .and_then(|s| s.topology_spread_constraints.as_deref())
        .unwrap_or_default();
    all.iter()
        .filter(|c| c.when_unsatisfiable == "DoNotSchedule")
        .map(|c| Constraint {
            max_skew: usize::try_from(c.max_skew).unwrap_or(0),
            key: c.topology_key.clone(),
            selector: c.label_selector.clone(),
        })
        .collect()
}

/// A constraint's selector: none selects nothing (`LabelSelectorAsSelector(nil)`).
fn selects(selector: Option<&LabelSelector>, pod: &Pod) -> bool {
    selector.is_some_and(|s| labels::selector_matches(s, pod.metadata.labels.as_ref()))
}

fn label<'n>(node: &'n Node, key: &str) -> Option<&'n String> {
    node.metadata.labels.as_ref()?.get(key)
}

impl State {
    /// PreFilter for `pod` (`calPreFilterState`).
    pub fn compute(view: &View<'_>, pod: &Pod) -> State {
        let constraints = hard(pod);
        if constraints.is_empty() {
            return State::default();
        }
        let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
        let mut counts = BTreeMap::new();
        for node in view.store.all::<Node>(None) {
            if !scheduler::node_affinity_matches(pod, node)
                || constraints.iter().any(|c| label(node, &c.key).is_none())
            {
                continue;
            }
            let name = node.metadata.name.as_deref().unwrap_or_default();
            for c in &constraints {
                let value = label(node, &c.key).cloned().unwrap_or_default();
                // `countPodsMatchSelector`: terminating pods and other
                // namespaces do not count.
                let matching = scheduler::pods_on(view, name)
                    .filter(|p| p.metadata.deletion_timestamp.is_none())
                    .filter(|p| p.metadata.namespace.as_deref().unwrap_or("default") == ns)
                    .filter(|p| selects(c.selector.as_ref(), p))
                    .count();
                *counts.entry((c.key.clone(), value)).or_default() += matching;
            }
        }
        let self_match = constraints.iter().map(|c| selects(c.selector.as_ref(), pod)).collect();
        State { constraints, counts, self_match }
    }

    /// The filter for one node.
    pub fn filter(&self, version: KubeVersion, node: &Node) -> Result<(), Rejection> {
        for (c, self_match) in self.constraints.iter().zip(&self.self_match) {
            let Some(value) = label(node, &c.key) else {
                let reason = if version.has(Fact::TopologySpreadMissingLabelReason) {
                    format!("{NOT_MATCH} (missing required label)")
                } else {
                    NOT_MATCH.to_owned()
                };
                return Err(Rejection::unresolvable(vec![reason]));
            };
            let min = self
                .counts
                .iter()
                .filter(|((key, _), _)| *key == c.key)
                .map(|(_, n)| *n)
                .min()
                .unwrap_or(0);
            let here = self.counts.get(&(c.key.clone(), value.clone())).copied().unwrap_or(0);
            if here + usize::from(*self_match) > min + c.max_skew {
                return Err(Rejection { reasons: vec![NOT_MATCH.to_owned()], unresolvable: false });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, zone: Option<&str>) -> Node {
        let mut n = Node::default();
        n.metadata.name = Some(name.to_owned());
        n.metadata.labels = zone.map(|z| [("zone".to_owned(), z.to_owned())].into_iter().collect());
        n
    }

    fn state(counts: &[(&str, usize)], max_skew: usize) -> State {
        State {
            constraints: vec![Constraint { max_skew, key: "zone".into(), selector: None }],
            counts: counts
                .iter()
                .map(|(z, n)| (("zone".to_owned(), (*z).to_owned()), *n))
                .collect(),
            self_match: vec![true],
        }
    }

    #[test]
    fn a_domain_may_exceed_the_emptiest_by_max_skew() {
        let s = state(&[("a", 2), ("b", 1)], 1);
        // a: 2 + 1 - 1 = 2 > 1; b: 1 + 1 - 1 = 1.
        let refused = s.filter(KubeVersion::new(1, 35, 0), &node("n1", Some("a"))).unwrap_err();
        assert_eq!(refused.reasons, [NOT_MATCH]);
        assert!(!refused.unresolvable);
        assert!(s.filter(KubeVersion::new(1, 35, 0), &node("n2", Some("b"))).is_ok());
        // An empty eligible domain sets the minimum at zero.
        let with_empty = state(&[("a", 1), ("b", 1), ("c", 0)], 1);
        assert!(with_empty.filter(KubeVersion::new(1, 35, 0), &node("n1", Some("a"))).is_err());
        assert!(with_empty.filter(KubeVersion::new(1, 35, 0), &node("n3", Some("c"))).is_ok());
    }

    #[test]
    fn topology_spread_reason_of_a_node_without_the_key() {
        let s = state(&[("a", 0)], 1);
        let at = |minor| s.filter(KubeVersion::new(1, minor, 0), &node("bare", None)).unwrap_err();
        assert_eq!(at(18).reasons, [NOT_MATCH]);
        assert_eq!(at(19).reasons, [format!("{NOT_MATCH} (missing required label)")]);
        assert!(at(35).unresolvable);
    }
}
