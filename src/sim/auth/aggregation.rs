//! The clusterrole-aggregation controller's rule
//! (`pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go`):
//! a ClusterRole with an `aggregationRule` gets, as its `rules`, the rules
//! of every other ClusterRole its selectors match — selectors in order,
//! the matched roles sorted by name, each rule once (`ruleExists` compares
//! whole rules). Nothing matched leaves the rules as they are empty
//! (`equality.Semantic` holds nil and empty equal).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::Value;

use crate::sim::labels::selector_matches;

/// The rules `target` (a ClusterRole, as JSON) aggregates from `roles`
/// (every ClusterRole, as JSON); `None` when it has no aggregation rule.
pub fn aggregated_rules<'a>(
    target: &Value,
    roles: impl Iterator<Item = &'a Value> + Clone,
) -> Option<Vec<Value>> {
    let selectors = target.get("aggregationRule")?.get("clusterRoleSelectors")?.as_array()?;
    let name = target["metadata"]["name"].as_str().unwrap_or_default();
    let mut rules: Vec<Value> = Vec::new();
    for selector in selectors {
        let Ok(selector) = serde_json::from_value::<LabelSelector>(selector.clone()) else {
            continue;
        };
        let mut matched: Vec<&Value> = roles
            .clone()
            .filter(|r| r["metadata"]["name"].as_str() != Some(name))
            .filter(|r| {
                let labels = serde_json::from_value(r["metadata"]["labels"].clone()).ok();
                selector_matches(&selector, labels.as_ref())
            })
            .collect();
        matched.sort_by(|a, b| a["metadata"]["name"].as_str().cmp(&b["metadata"]["name"].as_str()));
        for role in matched {
            for rule in role["rules"].as_array().into_iter().flatten() {
                if !rules.contains(rule) {
                    rules.push(rule.clone());
                }
            }
        }
    }
    Some(rules)
}

/// Whether `rules` differ from what `target` holds (nil and empty equal).
pub fn differs(target: &Value, rules: &[Value]) -> bool {
    let current: &[Value] = target["rules"].as_array().map_or(&[], Vec::as_slice);
    current != rules
}

/// Fills every aggregated ClusterRole among `objects` until nothing changes
/// (aggregated roles feed others: `edit` into `admin`), as the controller's
/// queue settles.
pub fn fill_all(objects: &mut [Value]) {
    for _ in 0..objects.len() {
        let mut changed = false;
        for i in 0..objects.len() {
            if objects[i]["kind"] != "ClusterRole" {
                continue;
            }
            let roles = objects.iter().filter(|o| o["kind"] == "ClusterRole");
            if let Some(rules) = aggregated_rules(&objects[i], roles)
                && !rules.is_empty()
                && differs(&objects[i], &rules)
            {
                objects[i]["rules"] = Value::Array(rules);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}
