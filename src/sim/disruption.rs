//! The `DisruptionTarget` pod condition (KEP-3329, the
//! `PodDisruptionConditions` feature: beta and on from v1.26, GA v1.31;
//! [`Fact::PodDisruptionConditions`]): whoever deletes a pod for a reason
//! other than its owner's wish first marks it, so a Job's
//! `podFailurePolicy` and a reader of `describe pod` can tell a disruption
//! from a failure. Each deleter has its reason and message:
//!
//! - the eviction subresource (`pkg/registry/core/pod/storage/eviction.go`
//!   `addConditionAndDeletePod`) — `kubectl drain`;
//! - the taint manager (`pkg/controller/tainteviction/taint_eviction.go`,
//!   before v1.29 `pkg/controller/nodelifecycle/scheduler/taint_manager.go`,
//!   `addConditionAndDeletePod`);
//! - the scheduler's preemption (`pkg/scheduler/framework/preemption/
//!   preemption.go` `prepareCandidate`);
//! - the pod garbage collector (`pkg/controller/podgc/gc_controller.go`
//!   `gcOrphaned`, for a pod whose node is gone), which also sets phase
//!   Failed (`markFailedAndDeletePodWithCondition`).
//!
//! The condition is set with `podutil.UpdatePodCondition`: appended after
//! the pod's conditions, `lastTransitionTime` now, `lastProbeTime` null.

use k8s_openapi::{api::core::v1::Pod, jiff::Timestamp};

use super::podutil;
use crate::version::{Fact, KubeVersion};

/// The condition type.
pub const DISRUPTION_TARGET: &str = "DisruptionTarget";

/// Why a pod is being disrupted: the condition's reason and message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disruption {
    /// The eviction API.
    Eviction,
    /// A `NoExecute` taint the pod does not tolerate.
    TaintManager,
    /// Preemption by the scheduler named (`spec.schedulerName` of the
    /// preemptor).
    Preemption,
    /// The pod GC, for a pod bound to a node that no longer exists.
    PodGc,
}

impl Disruption {
    /// The condition's `reason`.
    pub fn reason(self) -> &'static str {
        match self {
            Disruption::Eviction => "EvictionByEvictionAPI",
            Disruption::TaintManager => "DeletionByTaintManager",
            Disruption::Preemption => "PreemptionByScheduler",
            Disruption::PodGc => "DeletionByPodGC",
        }
    }

    /// The condition's `message`; `scheduler` is the preemptor's scheduler.
    pub fn message(self, scheduler: &str) -> String {
        match self {
            Disruption::Eviction => "Eviction API: evicting".to_owned(),
            Disruption::TaintManager => "Taint manager: deleting due to NoExecute taint".to_owned(),
            Disruption::Preemption => {
                format!("{scheduler}: preempting to accommodate a higher priority pod")
            }
            Disruption::PodGc => "PodGC: node no longer exists".to_owned(),
        }
    }
}

/// Marks `pod` as a disruption target when the cluster's version sets the
/// condition; returns whether it did.
pub fn mark(
    pod: &mut Pod,
    disruption: Disruption,
    scheduler: &str,
    version: KubeVersion,
    now: Timestamp,
) -> bool {
    if !version.has(Fact::PodDisruptionConditions) {
        return false;
    }
    let message = disruption.message(scheduler);
    podutil::set_condition(
        pod,
        podutil::new_condition(
            DISRUPTION_TARGET,
            true,
            Some(disruption.reason()),
            Some(&message),
            now,
        ),
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Fact::PodDisruptionConditions`] on both sides of v1.26.
    #[test]
    fn disruption_target_condition_by_version() {
        let since = Fact::PodDisruptionConditions.change().since;
        let now = Timestamp::UNIX_EPOCH;
        let mut old = Pod::default();
        assert!(!mark(&mut old, Disruption::Eviction, "", KubeVersion::new(1, since - 1, 0), now));
        assert!(old.status.is_none());
        let mut new = Pod::default();
        assert!(mark(&mut new, Disruption::Eviction, "", KubeVersion::new(1, since, 0), now));
        let c = podutil::condition(&new, DISRUPTION_TARGET).expect("the condition");
        assert_eq!(
            (c.status.as_str(), c.reason.as_deref(), c.message.as_deref()),
            ("True", Some("EvictionByEvictionAPI"), Some("Eviction API: evicting"))
        );
    }

    #[test]
    fn preemption_names_the_preemptors_scheduler() {
        assert_eq!(
            Disruption::Preemption.message("default-scheduler"),
            "default-scheduler: preempting to accommodate a higher priority pod"
        );
    }
}
