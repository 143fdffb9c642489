//! `successPolicy` (KEP-3998, `pkg/controller/job/success_policy.go`): an
//! Indexed Job may succeed before every index has — when the succeeded
//! indexes cover a rule's `succeededIndexes`, or reach its
//! `succeededCount` (within those indexes, if both are set). The Job then
//! gets `SuccessCriteriaMet` (reason `SuccessPolicy`), its remaining pods
//! are terminated, and `Complete` follows once they are gone.
//!
//! Versions (feature gate `JobSuccessPolicy`): alpha v1.30, beta and on
//! from v1.31, GA v1.33; the apiserver drops the field before v1.31.

use k8s_openapi::api::batch::v1::SuccessPolicy;

use super::indexed::Intervals;

/// `matchSuccessPolicy`: the condition message of the first rule met.
pub fn matched(
    policy: Option<&SuccessPolicy>,
    completions: i32,
    succeeded: &Intervals,
) -> Option<String> {
    let policy = policy?;
    if succeeded.total() == 0 {
        return None;
    }
    for (index, rule) in policy.rules.iter().enumerate() {
        let met = match &rule.succeeded_indexes {
            Some(text) => {
                let required = Intervals::parse(text, completions);
                // An unparsable rule (validation rejects those) is skipped.
                if required.total() == 0 {
                    continue;
                }
                let contains = required.overlap(succeeded);
                contains == required.total() || rule.succeeded_count.is_some_and(|c| contains >= c)
            }
            None => rule.succeeded_count.is_some_and(|c| succeeded.total() >= c),
        };
        if met {
            return Some(format!("Matched rules at index {index}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::batch::v1::SuccessPolicyRule;

    use super::*;

    #[test]
    fn rules_match_on_indexes_and_counts() {
        let policy = SuccessPolicy {
            rules: vec![
                SuccessPolicyRule {
                    succeeded_indexes: Some("0,2-4".into()),
                    succeeded_count: None,
                },
                SuccessPolicyRule {
                    succeeded_indexes: Some("5-9".into()),
                    succeeded_count: Some(2),
                },
                SuccessPolicyRule { succeeded_indexes: None, succeeded_count: Some(5) },
            ],
        };
        let m = |s: &str| matched(Some(&policy), 10, &Intervals::parse(s, 10));
        assert_eq!(m("0,2,3"), None);
        assert_eq!(m("0-4").as_deref(), Some("Matched rules at index 0"));
        assert_eq!(m("1,7,9").as_deref(), Some("Matched rules at index 1"));
        assert_eq!(m("0-3,6").as_deref(), Some("Matched rules at index 2"));
        assert_eq!(m(""), None);
    }
}
