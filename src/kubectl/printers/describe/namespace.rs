//! `describeNamespace` (`kubectl/pkg/describe/describe.go`, v1.22) with
//! `DescribeResourceQuotas` / `DescribeLimitRanges` over the namespace's
//! quotas and limit ranges ([`super::resourcequota`], [`super::limitrange`]).
//!
//! v1.23 added a `Conditions:` table after `Status:` (printed only when
//! the namespace has conditions, which only a terminating namespace has).

use k8s_openapi::api::core::v1::{LimitRange, Namespace, ResourceQuota};

use super::{DescribeEnv, LEVEL_0, LEVEL_1, Writer, annotations_multiline, labels_multiline};
use crate::version::Fact;

/// The page `kubectl describe namespace` prints (no events: the Namespace
/// describer does not look them up).
pub fn describe_namespace(
    ns: &Namespace,
    quotas: &[ResourceQuota],
    limit_ranges: &[LimitRange],
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let meta = &ns.metadata;
    let status = ns.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, &format!("Status:\t{}\n", status.phase.as_deref().unwrap_or_default()));
    let conditions = status.conditions.as_deref().unwrap_or_default();
    if env.has(Fact::DescribeNamespaceConditions) && !conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n");
        w.write(LEVEL_1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.write(LEVEL_1, "----\t------\t------------------\t------\t-------\n");
        for c in conditions {
            w.write(
                LEVEL_1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    c.type_,
                    c.status,
                    env.time_opt(c.last_transition_time.as_ref()),
                    c.reason.as_deref().unwrap_or_default(),
                    c.message.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    w.write(LEVEL_0, "\n");
    super::resourcequota::describe_quotas(quotas, &mut w);
    w.write(LEVEL_0, "\n");
    if limit_ranges.is_empty() && !Fact::DescribeNoLimitRange.holds_at(env.minor) {
        // `DescribeLimitRanges` before v1.17 (v1.15.0
        // pkg/kubectl/describe/versioned/describe.go).
        w.write(LEVEL_0, "No resource limits.\n");
    } else {
        super::limitrange::describe_limit_ranges(limit_ranges, &mut w);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::env;

    #[test]
    fn active_namespace() {
        let ns: Namespace = serde_json::from_value(json!({
            "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev", "team": "a"}},
            "status": {"phase": "Active"}
        }))
        .unwrap();
        let env = env();
        let expected = "\
Name:         dev
Labels:       kubernetes.io/metadata.name=dev
              team=a
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
";
        assert_eq!(describe_namespace(&ns, &[], &[], &env), expected);
    }

    #[test]
    fn terminating_namespace_conditions_from_v1_23() {
        let ns: Namespace = serde_json::from_value(json!({
            "metadata": {"name": "dev"},
            "status": {"phase": "Terminating", "conditions": [
                {"type": "NamespaceContentRemaining", "status": "True",
                 "lastTransitionTime": "2022-11-16T03:19:00Z", "reason": "SomeResourcesRemain",
                 "message": "Some resources are remaining: pods. has 1 resource instances"}
            ]}
        }))
        .unwrap();
        let mut env = DescribeEnv { minor: 22, ..env() };
        let v22 = "\
Name:         dev
Labels:       <none>
Annotations:  <none>
Status:       Terminating

No resource quota.

No LimitRange resource.
";
        assert_eq!(describe_namespace(&ns, &[], &[], &env), v22);
        env.minor = 23;
        let v28 = "\
Name:         dev
Labels:       <none>
Annotations:  <none>
Status:       Terminating
Conditions:
  Type                       Status  LastTransitionTime               Reason               Message
  ----                       ------  ------------------               ------               -------
  NamespaceContentRemaining  True    Wed, 16 Nov 2022 03:19:00 +0000  SomeResourcesRemain  Some resources are remaining: pods. has 1 resource instances

No resource quota.

No LimitRange resource.
";
        assert_eq!(describe_namespace(&ns, &[], &[], &env), v28);
    }
}
