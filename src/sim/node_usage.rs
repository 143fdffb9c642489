//! What the scheduler's cache keeps per node (`framework.NodeInfo` in
//! `pkg/scheduler/framework/types.go`: its pods, `Requested` and
//! `NonZeroRequested`), kept by the store as pods are written so that
//! placing a pod reads one record per node instead of every pod on it.
//! Counted: the pods bound to the node that are not Succeeded or Failed
//! (the scheduler's view, [`crate::sim::controllers::scheduler`]).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod};

use super::{
    controllers::scheduler::{non_zero_requests, parse_bytes, parse_cpu, requests},
    podutil,
};

/// One node's assigned, unfinished pods, summed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeUsage {
    /// How many.
    pub pods: usize,
    /// Their cpu (millicores) and memory (bytes) requests.
    requested: (i128, i128),
    /// The same with the scheduler's non-zero defaults.
    non_zero: (i128, i128),
    /// Of those not being deleted, how many each controller has, by
    /// namespace and uid: what PodTopologySpread's default constraint
    /// counts (nested, so a look-up borrows its keys).
    by_controller: BTreeMap<String, BTreeMap<String, usize>>,
    /// How many have required pod anti-affinity terms
    /// (`NodeInfo.PodsWithRequiredAntiAffinity`): the only pods whose own
    /// rules can keep another pod off this node.
    pub pods_with_required_anti_affinity: usize,
}

/// The scheduler's sums saturate (`fold(0, i64::saturating_add)` over
/// requests, which validation keeps non-negative): an exact sum clamped
/// is the same number, and unlike a saturated one it can be taken from.
fn clamp(v: i128) -> i64 {
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

impl NodeUsage {
    /// Whether `pod` counts: the scheduler's cache drops finished pods.
    pub(crate) fn counts(pod: &Pod) -> bool {
        !matches!(podutil::phase(pod), "Succeeded" | "Failed")
    }

    /// Adds (`present`) or takes away a counted pod.
    pub(crate) fn count(&mut self, pod: &Pod, present: bool) {
        let sign: i128 = if present { 1 } else { -1 };
        let cpu = i128::from(requests(pod, "cpu", parse_cpu));
        let mem = i128::from(requests(pod, "memory", parse_bytes));
        let (nz_cpu, nz_mem) = non_zero_requests(pod);
        self.requested.0 += sign * cpu;
        self.requested.1 += sign * mem;
        self.non_zero.0 += sign * i128::from(nz_cpu);
        self.non_zero.1 += sign * i128::from(nz_mem);
        if present {
            self.pods += 1;
        } else {
            self.pods -= 1;
        }
        if crate::sim::controllers::inter_pod_affinity::has_required_anti_affinity(pod) {
            if present {
                self.pods_with_required_anti_affinity += 1;
            } else {
                self.pods_with_required_anti_affinity -= 1;
            }
        }
        if pod.metadata.deletion_timestamp.is_some() {
            return;
        }
        let Some(owner) = podutil::controller_of(&pod.metadata) else { return };
        let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
        if present {
            let owners = self.by_controller.entry(ns.to_owned()).or_default();
            *owners.entry(owner.uid.clone()).or_default() += 1;
        } else if let Some(owners) = self.by_controller.get_mut(ns)
            && let Some(n) = owners.get_mut(&owner.uid)
        {
            *n -= 1;
            if *n == 0 {
                owners.remove(&owner.uid);
                if owners.is_empty() {
                    self.by_controller.remove(ns);
                }
            }
        }
    }

    /// Whether nothing is counted.
    pub fn is_empty(&self) -> bool {
        self.pods == 0
    }

    /// The requests of `resource` (`cpu` or `memory`), summed as the
    /// scheduler sums them.
    pub fn requested(&self, resource: &str) -> i64 {
        match resource {
            "cpu" => clamp(self.requested.0),
            _ => clamp(self.requested.1),
        }
    }

    /// The non-zero cpu and memory requests, summed.
    pub fn non_zero(&self) -> (i128, i128) {
        self.non_zero
    }

    /// The pods not being deleted whose controller has `uid`, in `namespace`.
    pub fn of_controller(&self, namespace: &str, uid: &str) -> usize {
        self.by_controller.get(namespace).and_then(|o| o.get(uid)).copied().unwrap_or(0)
    }
}

/// A node's allocatable pods, cpu (millicores) and memory (bytes) as
/// NodeResourcesFit and the resource scores read them
/// (`NodeInfo.Allocatable`, set from the Node object), parsed when the
/// Node is written instead of for every pod the scheduler places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocatable {
    /// Allocatable pods; 110 (the kubelet's default `maxPods`) when the
    /// node states none.
    pub pods: usize,
    /// Allocatable cpu, if stated.
    pub cpu: Option<i64>,
    /// Allocatable memory, if stated.
    pub memory: Option<i64>,
}

impl Allocatable {
    /// The node's `status.allocatable`, parsed.
    pub fn of(node: &Node) -> Allocatable {
        let alloc = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
        let quantity = |r: &str| alloc.and_then(|a| a.get(r)).map(|q| q.0.as_str());
        Allocatable {
            pods: quantity("pods").and_then(|q| q.parse::<usize>().ok()).unwrap_or(110),
            cpu: quantity("cpu").map(parse_cpu),
            memory: quantity("memory").map(parse_bytes),
        }
    }
}
