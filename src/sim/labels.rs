//! Label selectors (`apimachinery/pkg/labels`, `metav1.LabelSelectorAsSelector`).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// Labels as stored.
pub type Labels = BTreeMap<String, String>;

/// Whether `labels` match `selector`. An empty selector matches everything
/// (callers that must treat it as "nothing" check first).
pub fn selector_matches(selector: &LabelSelector, labels: Option<&Labels>) -> bool {
    let empty = Labels::new();
    let labels = labels.unwrap_or(&empty);
    let match_labels = selector.match_labels.iter().flatten();
    let labels_ok = match_labels.clone().all(|(k, v)| labels.get(k) == Some(v));
    let exprs_ok = selector.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or_default();
        let value = labels.get(&e.key);
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    labels_ok && exprs_ok
}

/// Whether a plain map selector (a Service's or a nodeSelector) matches.
pub fn map_matches(selector: &Labels, labels: Option<&Labels>) -> bool {
    selector.iter().all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
}

/// Whether the selector selects nothing in particular (`{}`).
pub fn selector_is_empty(selector: &LabelSelector) -> bool {
    selector.match_labels.as_ref().is_none_or(BTreeMap::is_empty)
        && selector.match_expressions.as_ref().is_none_or(Vec::is_empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_labels_and_expressions() {
        let labels: Labels = [("app".into(), "web".into()), ("tier".into(), "fe".into())].into();
        let sel = LabelSelector {
            match_labels: Some([("app".into(), "web".into())].into()),
            ..Default::default()
        };
        assert!(selector_matches(&sel, Some(&labels)));
        let other = LabelSelector {
            match_labels: Some([("app".into(), "db".into())].into()),
            ..Default::default()
        };
        assert!(!selector_matches(&other, Some(&labels)));
        assert!(selector_is_empty(&LabelSelector::default()));
    }
}
