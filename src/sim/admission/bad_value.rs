//! How a field error prints a map or struct bad value (`Invalid value: X`),
//! which depends on the API server's apimachinery
//! (`k8s.io/apimachinery/pkg/util/validation/field/errors.go`
//! `Error.ErrorBody`):
//!
//! - up to v1.33, Go's `%#v` of the value (`map[string]string{"app":"web"}`,
//!   `v1.LabelSelector{MatchLabels:..., MatchExpressions:...(nil)}`);
//! - from v1.34, its JSON (`{"app":"web"}`, `{"matchLabels":{"app":"web"}}`,
//!   empty fields omitted as their `omitempty` tags say).
//!
//! Strings (`%q`) and numbers (`%v`) print the same in every version.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::{apis::meta::v1::LabelSelector, util::intstr::IntOrString};

use crate::version::KubeVersion;

/// Whether `version`'s API server prints complex bad values as JSON.
fn as_json(version: KubeVersion) -> bool {
    version.has(crate::version::Fact::BadValueAsJson)
}

/// A `map[string]string` bad value (labels; keys sorted as Go prints them).
pub fn string_map(labels: &BTreeMap<String, String>, version: KubeVersion) -> String {
    if as_json(version) {
        // A nil map marshals as `null`, an empty one as `{}`; the
        // simulator's callers pass the template's labels, nil when unset.
        if labels.is_empty() {
            return "null".to_owned();
        }
        return serde_json::to_string(labels).unwrap_or_default();
    }
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    if labels.is_empty() {
        "map[string]string(nil)".to_owned()
    } else {
        format!("map[string]string{{{}}}", inner.join(", "))
    }
}

/// An `intstr.IntOrString` bad value (`maxUnavailable`, `maxSurge`): Go's
/// `%#v` of the struct up to v1.33 (its `String()` has a pointer receiver,
/// so the stored value is no Stringer); from v1.34 its `MarshalJSON`, the
/// number or the quoted string (`0`, `"0%"`; the real v1.35.4 apiserver).
pub fn int_or_string(v: &IntOrString, version: KubeVersion) -> String {
    match (v, as_json(version)) {
        (IntOrString::Int(i), true) => i.to_string(),
        (IntOrString::String(s), true) => serde_json::to_string(s).unwrap_or_default(),
        (IntOrString::Int(i), false) => {
            format!("intstr.IntOrString{{Type:0, IntVal:{i}, StrVal:\"\"}}")
        }
        (IntOrString::String(s), false) => {
            format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:{s:?}}}")
        }
    }
}

/// A `*metav1.LabelSelector` bad value (the field error prints the
/// pointed-to struct; its `String()` has a pointer receiver).
pub fn label_selector(s: &LabelSelector, version: KubeVersion) -> String {
    if as_json(version) {
        // k8s-openapi's serialisation follows the API's JSON tags
        // (`matchLabels,omitempty`, `matchExpressions,omitempty`).
        return serde_json::to_string(s).unwrap_or_default();
    }
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
    fn go_syntax_before_v1_34_json_after() {
        let labels: BTreeMap<String, String> = [("app".into(), "web".into())].into();
        let old = KubeVersion::new(1, 33, 0);
        let new = KubeVersion::new(1, 34, 0);
        assert_eq!(string_map(&labels, old), "map[string]string{\"app\":\"web\"}");
        assert_eq!(string_map(&labels, new), "{\"app\":\"web\"}");
        let selector = LabelSelector { match_labels: Some(labels), match_expressions: None };
        assert_eq!(
            label_selector(&selector, old),
            "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
        );
        assert_eq!(label_selector(&selector, new), "{\"matchLabels\":{\"app\":\"web\"}}");
        let (zero, pct) = (IntOrString::Int(0), IntOrString::String("0%".into()));
        assert_eq!(int_or_string(&zero, old), "intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}");
        assert_eq!(int_or_string(&pct, old), "intstr.IntOrString{Type:1, IntVal:0, StrVal:\"0%\"}");
        assert_eq!(int_or_string(&zero, new), "0");
        assert_eq!(int_or_string(&pct, new), "\"0%\"");
    }
}
