//! `podFailurePolicy` (`pkg/controller/job/pod_failure_policy.go`,
//! KEP-3329): the first rule matching a failed pod decides what its
//! failure means — `FailJob` fails the Job at once, `Ignore` keeps it off
//! the `backoffLimit` count, `Count` counts it as usual, `FailIndex` (with
//! `backoffLimitPerIndex`) fails its index.
//!
//! Versions (feature gate `JobPodFailurePolicy`): alpha v1.25, beta and on
//! from v1.26, GA v1.31; `FailIndex` came with `JobBackoffLimitPerIndex`
//! (beta v1.29). The apiserver drops the field where the gate is off
//! (`admission::job::drop_disabled_fields`), so a Job that has it here is
//! one the controller acts on.

use k8s_openapi::api::{
    batch::v1::{PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement},
    core::v1::{ContainerStatus, Pod, PodStatus},
};

use crate::sim::podutil;

/// `PodFailurePolicyAction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    FailJob,
    FailIndex,
    Ignore,
    Count,
}

impl Action {
    fn parse(s: &str) -> Option<Action> {
        match s {
            "FailJob" => Some(Action::FailJob),
            "FailIndex" => Some(Action::FailIndex),
            "Ignore" => Some(Action::Ignore),
            "Count" => Some(Action::Count),
            _ => None,
        }
    }
}

/// What `matchPodFailurePolicy` says of one failed pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The Job's failure message, for a `FailJob` rule.
    pub fail_job: Option<String>,
    /// Whether the failure counts towards `backoffLimit` (false for `Ignore`).
    pub counts: bool,
    /// The matched rule's action, if a rule matched.
    pub action: Option<Action>,
}

const NO_MATCH: Match = Match { fail_job: None, counts: true, action: None };

/// `matchPodFailurePolicy`: the first rule matching `pod`, in order.
pub fn match_pod(policy: Option<&PodFailurePolicy>, pod: &Pod) -> Match {
    let Some(policy) = policy else { return NO_MATCH };
    let default_status = PodStatus::default();
    let status = pod.status.as_ref().unwrap_or(&default_status);
    let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    for (index, rule) in policy.rules.iter().enumerate() {
        let Some(action) = Action::parse(&rule.action) else { continue };
        let message = if let Some(req) = &rule.on_exit_codes {
            let Some((container, code)) = match_on_exit_codes(status, req) else { continue };
            format!(
                "Container {container} for pod {namespace}/{name} failed with exit code {code} \
                 matching {} rule at index {index}",
                rule.action
            )
        } else if let Some(patterns) = &rule.on_pod_conditions {
            // `matchOnPodConditions`: the pod's first condition that some
            // pattern names (type and status, defaulted to True).
            let found = status
                .conditions
                .iter()
                .flatten()
                .find(|c| patterns.iter().any(|p| p.type_ == c.type_ && p.status == c.status));
            let Some(condition) = found else { continue };
            format!(
                "Pod {namespace}/{name} has condition {} matching {} rule at index {index}",
                condition.type_, rule.action
            )
        } else {
            continue;
        };
        return Match {
            fail_job: (action == Action::FailJob).then_some(message),
            counts: action != Action::Ignore,
            action: Some(action),
        };
    }
    NO_MATCH
}

/// `matchOnExitCodes`: the first terminated container (app containers,
/// then init containers) with a non-zero exit code the requirement
/// matches; its name and code.
fn match_on_exit_codes(
    status: &PodStatus,
    req: &PodFailurePolicyOnExitCodesRequirement,
) -> Option<(String, i32)> {
    let matching = |statuses: Option<&Vec<ContainerStatus>>| {
        statuses.into_iter().flatten().find_map(|cs| {
            let code = cs.state.as_ref()?.terminated.as_ref()?.exit_code;
            let named = req.container_name.as_deref().is_none_or(|n| n == cs.name);
            (named && code != 0 && operator_matches(code, req)).then(|| (cs.name.clone(), code))
        })
    };
    matching(status.container_statuses.as_ref())
        .or_else(|| matching(status.init_container_statuses.as_ref()))
}

/// `isOnExitCodesOperatorMatching`.
fn operator_matches(code: i32, req: &PodFailurePolicyOnExitCodesRequirement) -> bool {
    match req.operator.as_str() {
        "In" => req.values.contains(&code),
        "NotIn" => !req.values.contains(&code),
        _ => false,
    }
}

/// `getFailJobMessage`: the message of the first failed pod matching a
/// `FailJob` rule.
pub fn fail_job_message(policy: Option<&PodFailurePolicy>, pods: &[&Pod]) -> Option<String> {
    policy?;
    pods.iter()
        .filter(|p| podutil::phase(p) == "Failed")
        .find_map(|p| match_pod(policy, p).fail_job)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::{
        batch::v1::{PodFailurePolicyOnPodConditionsPattern, PodFailurePolicyRule},
        core::v1::{ContainerState, ContainerStateTerminated, PodCondition},
    };

    use super::*;

    fn failed_pod(container: &str, code: i32, condition: Option<&str>) -> Pod {
        Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some("x".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: None,
            status: Some(PodStatus {
                phase: Some("Failed".into()),
                conditions: condition.map(|t| {
                    vec![PodCondition {
                        type_: t.into(),
                        status: "True".into(),
                        ..Default::default()
                    }]
                }),
                container_statuses: Some(vec![ContainerStatus {
                    name: container.into(),
                    state: Some(ContainerState {
                        terminated: Some(ContainerStateTerminated {
                            exit_code: code,
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
        }
    }

    fn exit_rule(action: &str, op: &str, values: Vec<i32>) -> PodFailurePolicyRule {
        PodFailurePolicyRule {
            action: action.into(),
            on_exit_codes: Some(PodFailurePolicyOnExitCodesRequirement {
                container_name: Some("main".into()),
                operator: op.into(),
                values,
            }),
            on_pod_conditions: None,
        }
    }

    #[test]
    fn first_matching_rule_decides() {
        let policy = PodFailurePolicy {
            rules: vec![
                PodFailurePolicyRule {
                    action: "Ignore".into(),
                    on_exit_codes: None,
                    on_pod_conditions: Some(vec![PodFailurePolicyOnPodConditionsPattern {
                        type_: "DisruptionTarget".into(),
                        status: "True".into(),
                    }]),
                },
                exit_rule("FailJob", "In", vec![42]),
                exit_rule("Count", "NotIn", vec![0, 1]),
            ],
        };
        let m = match_pod(Some(&policy), &failed_pod("main", 42, None));
        assert_eq!(
            m.fail_job.as_deref(),
            Some(
                "Container main for pod default/x failed with exit code 42 matching FailJob rule at index 1"
            )
        );
        let disrupted = match_pod(Some(&policy), &failed_pod("main", 42, Some("DisruptionTarget")));
        assert_eq!((disrupted.counts, disrupted.action), (false, Some(Action::Ignore)));
        let counted = match_pod(Some(&policy), &failed_pod("main", 3, None));
        assert_eq!((counted.counts, counted.action), (true, Some(Action::Count)));
        // Exit code 1 matches no rule; another container's 42 neither.
        assert_eq!(match_pod(Some(&policy), &failed_pod("main", 1, None)), NO_MATCH);
        assert_eq!(match_pod(Some(&policy), &failed_pod("side", 42, None)), NO_MATCH);
        assert_eq!(match_pod(None, &failed_pod("main", 42, None)), NO_MATCH);
    }
}
