//! The eviction subresource's PodDisruptionBudget check
//! (`pkg/registry/core/pod/storage/eviction.go` `Create` and
//! `checkAndDecrement`): whether a pod may be evicted now, and the budget
//! status the eviction spends.
//!
//! - A pod that already finished, is being deleted, or (from v1.19,
//!   [`Fact::EvictionIgnoresBudgetForPendingPods`]) is still Pending is
//!   deleted without looking at budgets (`canIgnorePDB`).
//! - A pod no budget of its namespace selects is deleted; more than one
//!   is a 500, `This pod has more than one PodDisruptionBudget, which the
//!   eviction subresource does not support.`
//! - A pod that is not Ready is deleted without spending the budget when
//!   the budget has `unhealthyPodEvictionPolicy: AlwaysAllow` (v1.27,
//!   [`Fact::PdbUnhealthyPodEvictionPolicy`]) or (v1.20,
//!   [`Fact::EvictionAllowsUnreadyPodsOfHealthyBudget`]) when the budget
//!   is met (`currentHealthy >= desiredHealthy > 0`).
//! - Otherwise the budget must allow a disruption: a budget whose status
//!   the controller has not written for its generation, or that allows
//!   none, refuses with 429 `Cannot evict pod as it would violate the
//!   pod's disruption budget.`; else `disruptionsAllowed` goes down by
//!   one (from v1.21 the `DisruptionAllowed` condition follows when it
//!   reaches 0) and the pod is noted in `disruptedPods` at the time of
//!   the eviction, so the controller does not count it healthy before it
//!   is seen being deleted.

use k8s_openapi::{
    api::{core::v1::Pod, policy::v1::PodDisruptionBudget},
    jiff::Timestamp,
};

use super::{
    controllers::disruption::{self, pdb_kind},
    error::ApiError,
    object::Object,
    podutil,
    store::Store,
    time,
};
use crate::version::{Fact, KubeVersion};

/// The 429's message.
pub const VIOLATES_BUDGET: &str =
    "Cannot evict pod as it would violate the pod's disruption budget.";

/// What the eviction may do.
#[derive(Debug)]
pub enum Verdict {
    /// Delete the pod; nothing else changes.
    Delete,
    /// Store this budget (its allowance spent), then delete the pod.
    Spend(Box<Object>),
}

/// Whether `pod` may be evicted now, on a cluster of `version`.
pub fn check(
    store: &Store,
    pod: &Pod,
    version: KubeVersion,
    now: Timestamp,
) -> Result<Verdict, ApiError> {
    if can_ignore_budget(pod, version) {
        return Ok(Verdict::Delete);
    }
    let namespace = pod.metadata.namespace.as_deref();
    let budgets: Vec<(&Object, PodDisruptionBudget)> = store
        .list(pdb_kind(), namespace)
        .filter_map(|o| Some((o, disruption::budget(o)?)))
        .filter(|(_, pdb)| {
            pdb.spec
                .as_ref()
                .and_then(|s| s.selector.as_ref())
                .is_some_and(|s| super::labels::selector_matches(s, pod.metadata.labels.as_ref()))
        })
        .collect();
    let (object, mut pdb) = match budgets.len() {
        0 => return Ok(Verdict::Delete),
        1 => (budgets[0].0, budgets[0].1.clone()),
        _ => {
            return Err(ApiError::Internal(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource \
                 does not support."
                    .to_owned(),
            ));
        }
    };
    let name = pdb.metadata.name.clone().unwrap_or_default();
    let mut status = pdb.status.clone().unwrap_or_default();
    if !podutil::is_ready(pod) {
        let always_allow = version.has(Fact::PdbUnhealthyPodEvictionPolicy)
            && pdb.spec.as_ref().and_then(|s| s.unhealthy_pod_eviction_policy.as_deref())
                == Some("AlwaysAllow");
        let budget_met = version.has(Fact::EvictionAllowsUnreadyPodsOfHealthyBudget)
            && status.current_healthy >= status.desired_healthy
            && status.desired_healthy > 0;
        if always_allow || budget_met {
            return Ok(Verdict::Delete);
        }
    }
    // `checkAndDecrement`.
    if status.observed_generation.unwrap_or(0) < pdb.metadata.generation.unwrap_or(0) {
        return Err(too_many_requests(
            format!("The disruption budget {name} is still being processed by the server."),
            10,
        ));
    }
    if status.disruptions_allowed < 0 {
        return Err(ApiError::Forbidden {
            resource: "poddisruptionbudget.policy".to_owned(),
            name,
            message: "pdb disruptions allowed is negative".to_owned(),
        });
    }
    if status.disruptions_allowed == 0 {
        return Err(too_many_requests(refusal_cause(&name, &pdb), 0));
    }
    status.disruptions_allowed -= 1;
    if status.disruptions_allowed == 0 && version.has(Fact::PdbDisruptionAllowedCondition) {
        disruption::update_disruption_allowed_condition(&mut status, now);
    }
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    status.disrupted_pods.get_or_insert_with(Default::default).insert(pod_name, time::time(now));
    pdb.status = Some(status);
    let object = disruption::stored(object, &pdb)
        .ok_or_else(|| ApiError::Internal("PodDisruptionBudget encoding".to_owned()))?;
    Ok(Verdict::Spend(Box::new(object)))
}

/// `canIgnorePDB` (v1.19), before it only finished pods.
fn can_ignore_budget(pod: &Pod, version: KubeVersion) -> bool {
    let phase = podutil::phase(pod);
    if matches!(phase, "Succeeded" | "Failed") {
        return true;
    }
    version.has(Fact::EvictionIgnoresBudgetForPendingPods)
        && (phase == "Pending" || pod.metadata.deletion_timestamp.is_some())
}

fn too_many_requests(cause: String, retry_after_seconds: i32) -> ApiError {
    ApiError::TooManyRequests { message: VIOLATES_BUDGET.to_owned(), cause, retry_after_seconds }
}

/// The `DisruptionBudget` cause of a budget that allows no disruption.
fn refusal_cause(name: &str, pdb: &PodDisruptionBudget) -> String {
    let status = pdb.status.clone().unwrap_or_default();
    let condition = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == disruption::DISRUPTION_ALLOWED)
        .filter(|c| c.status == "False" && !c.message.is_empty());
    match condition {
        Some(c) if c.reason == disruption::SYNC_FAILED => format!(
            "The disruption budget {name} does not allow evicting pods currently because it failed sync: {}",
            c.message
        ),
        _ if status.current_healthy <= status.desired_healthy => format!(
            "The disruption budget {name} needs {} healthy pods and has {} currently",
            status.desired_healthy, status.current_healthy
        ),
        Some(c) => format!(
            "The disruption budget {name} does not allow evicting pods currently ({}): {}",
            c.reason, c.message
        ),
        None => format!("The disruption budget {name} does not allow evicting pods currently"),
    }
}
