//! The InterPodAffinity filter (`pkg/scheduler/framework/plugins/
//! interpodaffinity/filtering.go`; the `MatchInterPodAffinity` predicate
//! before v1.18): a pod's required pod affinity and anti-affinity, and the
//! required anti-affinity of the pods already placed.
//!
//! Like upstream, the state is computed once per scheduling attempt
//! (PreFilter): topology pairs `(topologyKey, value)` counted over the
//! assigned pods, which each node's filter then looks its own labels up
//! in. Only pods that have required anti-affinity terms are visited for
//! the existing pods' rules (`NodeInfo.PodsWithRequiredAntiAffinity`, kept
//! per node by [`crate::sim::node_usage`]). Preferred terms are scoring,
//! not modelled ([`crate::sim::admission::unmodelled`]).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, PodAffinityTerm};

use super::{View, fit_error::Rejection};
use crate::{
    sim::labels,
    version::{Fact, KubeVersion},
};

/// A topology domain: a node label and its value.
type Pair = (String, String);

/// What PreFilter computes for one pod.
#[derive(Debug, Default)]
pub struct State {
    /// The pod's required affinity terms.
    affinity: Vec<PodAffinityTerm>,
    /// The pod's required anti-affinity terms.
    anti_affinity: Vec<PodAffinityTerm>,
    /// Domains holding a pod that matches every affinity term.
    affinity_counts: BTreeMap<Pair, usize>,
    /// Domains holding a pod that matches one of the anti-affinity terms.
    anti_affinity_counts: BTreeMap<Pair, usize>,
    /// Domains an existing pod's required anti-affinity keeps this pod out of.
    existing_anti_affinity: BTreeMap<Pair, usize>,
    /// Whether the pod matches all its own affinity terms (the first pod
    /// of a group with affinity to itself).
    matches_own_affinity: bool,
}

/// The required terms of `pod`: (affinity, anti-affinity).
fn required_terms(pod: &Pod) -> (Vec<PodAffinityTerm>, Vec<PodAffinityTerm>) {
    let affinity = pod.spec.as_ref().and_then(|s| s.affinity.as_ref());
    let affinity_terms = affinity
        .and_then(|a| a.pod_affinity.as_ref())
        .and_then(|a| a.required_during_scheduling_ignored_during_execution.clone())
        .unwrap_or_default();
    let anti_terms = affinity
        .and_then(|a| a.pod_anti_affinity.as_ref())
        .and_then(|a| a.required_during_scheduling_ignored_during_execution.clone())
        .unwrap_or_default();
    (affinity_terms, anti_terms)
}

/// Whether `pod` has required anti-affinity terms (what
/// `NodeInfo.PodsWithRequiredAntiAffinity` holds).
pub fn has_required_anti_affinity(pod: &Pod) -> bool {
    // Asked for every pod the store indexes: borrowed, not cloned.
    pod.spec
        .as_ref()
        .and_then(|s| s.affinity.as_ref())
        .and_then(|a| a.pod_anti_affinity.as_ref())
        .and_then(|a| a.required_during_scheduling_ignored_during_execution.as_ref())
        .is_some_and(|terms| !terms.is_empty())
}

/// Whether `term`, declared by a pod in `owner_ns`, selects `target`
/// (`AffinityTerm.Matches`): its namespaces (the declaring pod's own when
/// none are listed) and its label selector, where no selector selects
/// nothing.
fn term_matches(term: &PodAffinityTerm, owner_ns: &str, target: &Pod) -> bool {
    let target_ns = target.metadata.namespace.as_deref().unwrap_or("default");
    let namespaces = term.namespaces.as_deref().unwrap_or_default();
    let in_namespace = if namespaces.is_empty() {
        // `namespaceSelector: {}` selects every namespace; a non-empty one
        // is named unsupported at admission.
        term.namespace_selector.is_some() || target_ns == owner_ns
    } else {
        namespaces.iter().any(|n| n == target_ns)
    };
    let Some(selector) = &term.label_selector else { return false };
    in_namespace && labels::selector_matches(selector, target.metadata.labels.as_ref())
}

fn node_label<'n>(node: &'n Node, key: &str) -> Option<&'n String> {
    node.metadata.labels.as_ref()?.get(key)
}

impl State {
    /// PreFilter for `pod` over the assigned pods, leaving out `without`
    /// (preemption's victims). A pod without terms of its own only needs
    /// the nodes whose pods have required anti-affinity.
    pub fn compute(view: &View<'_>, pod: &Pod, without: &[&Pod]) -> State {
        let (affinity, anti_affinity) = required_terms(pod);
        let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
        let mut state = State {
            matches_own_affinity: affinity.iter().all(|t| term_matches(t, ns, pod)),
            affinity,
            anti_affinity,
            ..State::default()
        };
        let gone = |p: &Pod| without.iter().any(|w| w.metadata.uid == p.metadata.uid);
        let own_terms = !state.affinity.is_empty() || !state.anti_affinity.is_empty();
        let nodes: Vec<&Node> = if own_terms {
            view.store.all::<Node>(None).collect()
        } else {
            view.store
                .nodes_with_required_anti_affinity()
                .filter_map(|name| view.store.get_typed::<Node>(None, name))
                .collect()
        };
        for node in nodes {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            for existing in super::scheduler::pods_on(view, name).filter(|p| !gone(p)) {
                state.count(pod, node, existing);
            }
        }
        state
    }

    /// Counts one assigned pod on `node` into the three tallies.
    fn count(&mut self, pod: &Pod, node: &Node, existing: &Pod) {
        let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
        let pair = |key: &str| node_label(node, key).map(|v| (key.to_owned(), v.clone()));
        if !self.affinity.is_empty() && self.affinity.iter().all(|t| term_matches(t, ns, existing))
        {
            for term in &self.affinity {
                if let Some(p) = pair(&term.topology_key) {
                    *self.affinity_counts.entry(p).or_default() += 1;
                }
            }
        }
        for term in self.anti_affinity.iter().filter(|t| term_matches(t, ns, existing)) {
            if let Some(p) = pair(&term.topology_key) {
                *self.anti_affinity_counts.entry(p).or_default() += 1;
            }
        }
        let existing_ns = existing.metadata.namespace.as_deref().unwrap_or("default");
        for term in required_terms(existing).1 {
            if term_matches(&term, existing_ns, pod)
                && let Some(p) = pair(&term.topology_key)
            {
                *self.existing_anti_affinity.entry(p).or_default() += 1;
            }
        }
    }

    /// Whether nothing here can reject a node.
    pub fn is_trivial(&self) -> bool {
        self.affinity.is_empty()
            && self.anti_affinity.is_empty()
            && self.existing_anti_affinity.is_empty()
    }

    /// The filter for one node, with its reasons worded for `version`.
    pub fn filter(&self, version: KubeVersion, node: &Node) -> Result<(), Rejection> {
        let fails = |counts: &BTreeMap<Pair, usize>, key: &str| {
            node_label(node, key)
                .is_some_and(|v| counts.get(&(key.to_owned(), v.clone())).is_some_and(|n| *n > 0))
        };
        let existing = self
            .existing_anti_affinity
            .keys()
            .any(|(key, _)| fails(&self.existing_anti_affinity, key));
        // The predicate (to v1.17) checked the placed pods' rules first.
        if existing && !version.has(Fact::SchedulerFrameworkPlugins) {
            return Err(reject(version, Verdict::Existing));
        }
        if !self.satisfies_affinity(node) {
            return Err(reject(version, Verdict::Affinity));
        }
        if self.anti_affinity.iter().any(|t| fails(&self.anti_affinity_counts, &t.topology_key)) {
            return Err(reject(version, Verdict::AntiAffinity));
        }
        if existing {
            return Err(reject(version, Verdict::Existing));
        }
        Ok(())
    }

    /// `satisfyPodAffinity`: the node has every term's topology label, and
    /// each domain holds a matching pod, unless no pod matches anywhere and
    /// the pod matches its own terms.
    fn satisfies_affinity(&self, node: &Node) -> bool {
        let mut pods_exist = true;
        for term in &self.affinity {
            let Some(value) = node_label(node, &term.topology_key) else { return false };
            let pair = (term.topology_key.clone(), value.clone());
            if self.affinity_counts.get(&pair).is_none_or(|n| *n == 0) {
                pods_exist = false;
            }
        }
        pods_exist || (self.affinity_counts.is_empty() && self.matches_own_affinity)
    }
}

/// Which rule a node broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Affinity,
    AntiAffinity,
    Existing,
}

/// The filter's status: its reasons per release, and whether preemption
/// could help (it cannot make an affinity term match).
fn reject(version: KubeVersion, verdict: Verdict) -> Rejection {
    let specific = match verdict {
        Verdict::Affinity => "node(s) didn't match pod affinity rules",
        Verdict::AntiAffinity => "node(s) didn't match pod anti-affinity rules",
        Verdict::Existing => "node(s) didn't satisfy existing pods anti-affinity rules",
    };
    // To v1.21 a general reason came first (`ErrReasonAffinityNotMatch`).
    let general = if !version.has(Fact::InterPodAffinityGeneralReasonRules) {
        Some("node(s) didn't match pod affinity/anti-affinity")
    } else if !version.has(Fact::InterPodAffinitySpecificReasonOnly) {
        Some("node(s) didn't match pod affinity/anti-affinity rules")
    } else {
        None
    };
    let reasons = general.into_iter().chain([specific]).map(str::to_owned).collect();
    Rejection { reasons, unresolvable: verdict == Verdict::Affinity }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

    fn v(minor: u32) -> KubeVersion {
        KubeVersion::new(1, minor, 0)
    }

    fn node(name: &str) -> Node {
        let mut n = Node::default();
        n.metadata.name = Some(name.to_owned());
        n.metadata.labels =
            Some([("kubernetes.io/hostname".to_owned(), name.to_owned())].into_iter().collect());
        n
    }

    fn term(app: &str) -> PodAffinityTerm {
        PodAffinityTerm {
            label_selector: Some(LabelSelector {
                match_labels: Some([("app".to_owned(), app.to_owned())].into_iter().collect()),
                ..Default::default()
            }),
            topology_key: "kubernetes.io/hostname".to_owned(),
            ..Default::default()
        }
    }

    fn pair(node: &str) -> Pair {
        ("kubernetes.io/hostname".to_owned(), node.to_owned())
    }

    #[test]
    fn inter_pod_affinity_reasons_at_each_boundary() {
        let reasons = |minor, verdict| reject(v(minor), verdict).reasons;
        let anti = "node(s) didn't match pod anti-affinity rules";
        assert_eq!(
            reasons(17, Verdict::AntiAffinity),
            ["node(s) didn't match pod affinity/anti-affinity", anti]
        );
        assert_eq!(
            reasons(20, Verdict::AntiAffinity),
            ["node(s) didn't match pod affinity/anti-affinity", anti]
        );
        assert_eq!(
            reasons(21, Verdict::AntiAffinity),
            ["node(s) didn't match pod affinity/anti-affinity rules", anti]
        );
        assert_eq!(reasons(22, Verdict::AntiAffinity), [anti]);
        assert_eq!(
            reasons(35, Verdict::Existing),
            ["node(s) didn't satisfy existing pods anti-affinity rules"]
        );
        // Preemption cannot make an affinity term match; it can remove the
        // pods an anti-affinity term matches.
        assert!(reject(v(35), Verdict::Affinity).unresolvable);
        assert!(!reject(v(35), Verdict::AntiAffinity).unresolvable);
    }

    #[test]
    fn the_first_pod_of_a_self_affine_group_may_go_anywhere_with_the_label() {
        let mut state =
            State { affinity: vec![term("web")], matches_own_affinity: true, ..State::default() };
        assert!(state.filter(v(35), &node("a")).is_ok());
        // Once one matching pod runs somewhere, only its domain will do.
        state.affinity_counts.insert(pair("b"), 1);
        assert!(state.filter(v(35), &node("b")).is_ok());
        let refused = state.filter(v(35), &node("a")).unwrap_err();
        assert_eq!(refused.reasons, ["node(s) didn't match pod affinity rules"]);
        // A pod that does not match its own terms waits for a match.
        let lone = State { affinity: vec![term("cache")], ..State::default() };
        assert!(lone.filter(v(35), &node("a")).is_err());
        // A node without the topology label never satisfies a term.
        let mut bare = node("c");
        bare.metadata.labels = None;
        assert!(
            State { affinity: vec![term("web")], matches_own_affinity: true, ..State::default() }
                .filter(v(35), &bare)
                .is_err()
        );
    }

    #[test]
    fn anti_affinity_is_checked_both_ways_in_each_release_s_order() {
        let mut state = State { anti_affinity: vec![term("web")], ..State::default() };
        state.anti_affinity_counts.insert(pair("a"), 1);
        state.existing_anti_affinity.insert(pair("a"), 1);
        state.existing_anti_affinity.insert(pair("b"), 1);
        assert!(state.filter(v(35), &node("c")).is_ok());
        // Its own rule first from v1.18; the placed pods' rules first before.
        let own = state.filter(v(35), &node("a")).unwrap_err();
        assert_eq!(own.reasons, ["node(s) didn't match pod anti-affinity rules"]);
        let placed = state.filter(v(17), &node("a")).unwrap_err();
        assert_eq!(placed.reasons[1], "node(s) didn't satisfy existing pods anti-affinity rules");
        let symmetric = state.filter(v(35), &node("b")).unwrap_err();
        assert_eq!(symmetric.reasons, ["node(s) didn't satisfy existing pods anti-affinity rules"]);
    }

    #[test]
    fn terms_select_by_namespace_and_labels() {
        let mut pod = Pod::default();
        pod.metadata.namespace = Some("shop".to_owned());
        pod.metadata.labels = Some([("app".to_owned(), "web".to_owned())].into_iter().collect());
        assert!(term_matches(&term("web"), "shop", &pod));
        assert!(!term_matches(&term("web"), "default", &pod));
        let listed = PodAffinityTerm { namespaces: Some(vec!["shop".to_owned()]), ..term("web") };
        assert!(term_matches(&listed, "default", &pod));
        // No label selector selects nothing.
        let none = PodAffinityTerm { label_selector: None, ..term("web") };
        assert!(!term_matches(&none, "shop", &pod));
    }
}
