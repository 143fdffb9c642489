//! The clusterrole-aggregation controller's rule
//! (`pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go`):
//! a ClusterRole with an `aggregationRule` gets, as its `rules`, the rules
//! of every other ClusterRole its selectors match — selectors in order,
//! the matched roles sorted by name, each rule once (`ruleExists` compares
//! whole rules). Nothing matched leaves empty rules as they are
//! (`equality.Semantic` holds nil and empty equal).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::Value;

use crate::sim::labels::selector_matches;

/// What aggregation reads of one ClusterRole.
#[derive(Debug, Clone, Copy)]
pub struct RoleView<'a> {
    /// `metadata.name`.
    pub name: &'a str,
    /// `metadata.labels`.
    pub labels: Option<&'a BTreeMap<String, String>>,
    /// `rules`.
    pub rules: &'a [Value],
    /// `aggregationRule.clusterRoleSelectors`, when it has one.
    pub selectors: Option<&'a [Value]>,
}

impl<'a> RoleView<'a> {
    /// The view of a ClusterRole's JSON fields (besides metadata).
    pub fn of(
        name: &'a str,
        labels: Option<&'a BTreeMap<String, String>>,
        fields: &'a serde_json::Map<String, Value>,
    ) -> RoleView<'a> {
        RoleView {
            name,
            labels,
            rules: fields.get("rules").and_then(Value::as_array).map_or(&[], Vec::as_slice),
            selectors: fields
                .get("aggregationRule")
                .and_then(|a| a.get("clusterRoleSelectors"))
                .and_then(Value::as_array)
                .map(Vec::as_slice),
        }
    }
}

/// The rules `target` aggregates from `roles` (every ClusterRole); `None`
/// when it has no aggregation rule.
pub fn aggregated_rules(target: &RoleView<'_>, roles: &[RoleView<'_>]) -> Option<Vec<Value>> {
    let selectors = target.selectors?;
    let mut rules: Vec<Value> = Vec::new();
    for selector in selectors {
        let Ok(selector) = serde_json::from_value::<LabelSelector>(selector.clone()) else {
            continue;
        };
        let mut matched: Vec<&RoleView<'_>> = roles
            .iter()
            .filter(|r| r.name != target.name && selector_matches(&selector, r.labels))
            .collect();
        matched.sort_by_key(|r| r.name);
        for role in matched {
            for rule in role.rules {
                if !rules.contains(rule) {
                    rules.push(rule.clone());
                }
            }
        }
    }
    Some(rules)
}

/// The next aggregated role whose rules are stale, with its new rules.
pub fn next_stale(roles: &[RoleView<'_>]) -> Option<(String, Vec<Value>)> {
    roles.iter().find_map(|target| {
        let rules = aggregated_rules(target, roles)?;
        (rules.as_slice() != target.rules).then(|| (target.name.to_owned(), rules))
    })
}

/// A ClusterRole manifest's name, labels and fields.
type ParsedRole = (String, Option<BTreeMap<String, String>>, serde_json::Map<String, Value>);

/// Fills every aggregated ClusterRole among `objects` (manifests) until
/// nothing changes (aggregated roles feed others: `edit` into `admin`), as
/// the controller's queue settles after the apiserver starts.
pub fn fill_all(objects: &mut [Value]) {
    for _ in 0..objects.len() {
        let parsed: Vec<ParsedRole> = objects
            .iter()
            .filter(|o| o["kind"] == "ClusterRole")
            .map(|o| {
                let name = o["metadata"]["name"].as_str().unwrap_or_default().to_owned();
                let labels = serde_json::from_value(o["metadata"]["labels"].clone()).ok();
                (name, labels, o.as_object().cloned().unwrap_or_default())
            })
            .collect();
        let views: Vec<RoleView<'_>> =
            parsed.iter().map(|(n, l, f)| RoleView::of(n, l.as_ref(), f)).collect();
        let Some((name, rules)) = next_stale(&views) else { break };
        if let Some(o) =
            objects.iter_mut().find(|o| o["kind"] == "ClusterRole" && o["metadata"]["name"] == name)
        {
            o["rules"] = Value::Array(rules);
        }
    }
}
