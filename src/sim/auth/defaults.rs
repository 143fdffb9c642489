//! The objects authorization starts with on a fresh cluster:
//!
//! - the kube-apiserver's bootstrap RBAC policy (its `rbac/bootstrap-roles`
//!   post-start hook, `plugin/pkg/auth/authorizer/rbac/bootstrappolicy`),
//!   embedded from upstream's own fixtures of each minor v1.10–v1.35 by
//!   `scripts/rbac-bootstrap-policy.py` (each object once, with the minors
//!   it holds for);
//! - what kubeadm adds for its nodes, kube-proxy and CoreDNS
//!   ([`super::kubeadm`]), on the profiles kubeadm installs;
//! - the two system PriorityClasses (the apiserver's
//!   `scheduling/bootstrap-system-priority-classes` hook,
//!   `pkg/apis/scheduling/helpers.go`).
//!
//! The aggregated ClusterRoles (`admin`, `edit`, `view`, …) come with their
//! rules filled, as the clusterrole-aggregation controller fills them
//! moments after the apiserver starts.

use crate::version::Fact;
use std::sync::OnceLock;

use serde_json::{Value, json};

/// `scripts/rbac-bootstrap-policy.py`'s output: one object a line, with
/// the first and last minor it holds for.
const POLICY: &str = include_str!("bootstrap_policy.jsonl");

/// The policy, parsed once per process (immutable data).
fn policy() -> &'static [((u32, u32), Value)] {
    static PARSED: OnceLock<Vec<((u32, u32), Value)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        POLICY
            .lines()
            .filter_map(|line| {
                let mut entry: Value = serde_json::from_str(line).ok()?;
                let first = entry["minors"][0].as_u64()? as u32;
                let last = entry["minors"][1].as_u64()? as u32;
                Some(((first, last), entry["object"].take()))
            })
            .collect()
    })
}

/// The bootstrap RBAC policy of a `minor` apiserver (minors before v1.10
/// get v1.10's, after v1.35 v1.35's).
pub fn bootstrap_policy(minor: u32) -> impl Iterator<Item = &'static Value> {
    let minor = minor.clamp(10, 35);
    policy()
        .iter()
        .filter(move |((first, last), _)| (*first..=*last).contains(&minor))
        .map(|(_, object)| object)
}

/// The system PriorityClasses (`SystemPriorityClasses()`). The
/// `preemptionPolicy` default comes with the NonPreemptingPriority feature
/// (beta, on by default, from v1.19; `pkg/apis/scheduling/v1/defaults.go`).
pub fn priority_classes(minor: u32) -> Vec<Value> {
    [
        (
            "system-node-critical",
            2_000_001_000,
            "Used for system critical pods that must not be moved from their current node.",
        ),
        (
            "system-cluster-critical",
            2_000_000_000,
            "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
        ),
    ]
    .into_iter()
    .map(|(name, value, description)| {
        let mut pc = json!({
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": name},
            "value": value,
            "description": description,
        });
        if Fact::PriorityClassPreemptionPolicyDefault.holds_at(minor) {
            pc["preemptionPolicy"] = json!("PreemptLowerPriority");
        }
        pc
    })
    .collect()
}

/// Everything of this module a fresh cluster of `minor` starts with, for
/// the named profile: the apiserver's policy and PriorityClasses always,
/// kubeadm's objects where kubeadm installed the cluster.
pub fn objects(minor: u32, profile: &str) -> Vec<Value> {
    let mut out: Vec<Value> = bootstrap_policy(minor).cloned().collect();
    // kubeadm installed neither a bare cluster nor the kwok one
    // (scripts/control-plane/start.sh runs the binaries itself).
    if !matches!(profile, "bare" | "kwok") {
        out.extend(super::kubeadm::objects(minor));
    }
    super::aggregation::fill_all(&mut out);
    out.extend(priority_classes(minor));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_minor_has_the_superuser_role_and_binding() {
        for minor in 10..=35 {
            let names: Vec<(&str, &str, &str)> = bootstrap_policy(minor)
                .map(|o| {
                    let meta = &o["metadata"];
                    let ns = meta["namespace"].as_str().unwrap_or_default();
                    (o["kind"].as_str().unwrap(), ns, meta["name"].as_str().unwrap())
                })
                .collect();
            assert!(names.contains(&("ClusterRole", "", "cluster-admin")), "v1.{minor}");
            assert!(names.contains(&("ClusterRoleBinding", "", "cluster-admin")), "v1.{minor}");
            let unique: std::collections::BTreeSet<_> = names.iter().collect();
            assert_eq!(unique.len(), names.len(), "one object per name at v1.{minor}");
        }
    }

    #[test]
    fn policy_changes_across_minors() {
        let has = |minor, name: &str| {
            bootstrap_policy(minor)
                .any(|o| o["metadata"]["name"] == name && o["kind"] == "ClusterRole")
        };
        // `system:monitoring` was added in v1.20 (bootstrappolicy/policy.go).
        assert!(!has(19, "system:monitoring"));
        assert!(has(20, "system:monitoring"));
    }

    #[test]
    fn view_is_filled_by_aggregation() {
        let objects = objects(28, "kubeadm");
        let view = objects
            .iter()
            .find(|o| o["kind"] == "ClusterRole" && o["metadata"]["name"] == "view")
            .unwrap();
        let rules = view["rules"].as_array().unwrap();
        assert!(rules.iter().any(|r| r["resources"].as_array().unwrap().contains(&json!("pods"))));
    }
}
