//! Checks only an update makes: fields that may not change once set
//! (`apivalidation.ValidateImmutableField`, message `field is immutable`).
//!
//! Deployments, ReplicaSets and DaemonSets may not change `spec.selector`
//! through `apps/v1` (`pkg/registry/apps/*/strategy.go` `ValidateUpdate`,
//! appended after the spec's own validation).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::sim::object::Object;

/// The causes why `new` may not replace `old`; empty when it may.
pub fn validate(new: &Object, old: &Object) -> Vec<String> {
    let selectors = match (new, old) {
        (Object::Deployment(n), Object::Deployment(o)) => {
            (n.spec.as_ref().map(|s| &s.selector), o.spec.as_ref().map(|s| &s.selector))
        }
        (Object::ReplicaSet(n), Object::ReplicaSet(o)) => {
            (n.spec.as_ref().map(|s| &s.selector), o.spec.as_ref().map(|s| &s.selector))
        }
        (Object::DaemonSet(n), Object::DaemonSet(o)) => {
            (n.spec.as_ref().map(|s| &s.selector), o.spec.as_ref().map(|s| &s.selector))
        }
        _ => return Vec::new(),
    };
    match selectors {
        (Some(n), Some(o)) if n != o => {
            vec![format!("spec.selector: Invalid value: {}: field is immutable", go_selector(n))]
        }
        _ => Vec::new(),
    }
}

/// Go's `%#v` of a `metav1.LabelSelector` (the field error prints the
/// pointed-to struct; its `String()` has a pointer receiver).
fn go_selector(s: &LabelSelector) -> String {
    let labels = match &s.match_labels {
        None => "map[string]string(nil)".to_owned(),
        Some(m) => format!(
            "map[string]string{{{}}}",
            m.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect::<Vec<_>>().join(", ")
        ),
    };
    let expressions = match &s.match_expressions {
        None => "[]v1.LabelSelectorRequirement(nil)".to_owned(),
        Some(e) => format!(
            "[]v1.LabelSelectorRequirement{{{}}}",
            e.iter()
                .map(|r| {
                    let values = match &r.values {
                        None => "[]string(nil)".to_owned(),
                        Some(v) => format!(
                            "[]string{{{}}}",
                            v.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{:?}, Operator:{:?}, Values:{values}}}",
                        r.key, r.operator
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{expressions}}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_text_is_go_sharp_v() {
        let s = LabelSelector {
            match_labels: Some([("app".to_owned(), "web2".to_owned())].into()),
            match_expressions: None,
        };
        assert_eq!(
            go_selector(&s),
            "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
        );
    }
}
