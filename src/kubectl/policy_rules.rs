//! kubectl's handling of RBAC policy rules for display
//! (`k8s.io/kubectl/pkg/util/rbac/rbac.go` and `describe.go`'s
//! `CombineResourceGroup`): rules broken down into one verb, group,
//! resource and name each, compacted again per resource, sorted by their
//! protobuf `String()`.

pub use crate::sim::auth::rbac::PolicyRule;

/// Go's `%v` of a `[]string`: `[a b]`.
pub fn go_list(values: &[String]) -> String {
    format!("[{}]", values.join(" "))
}

impl PolicyRule {
    /// The generated protobuf `String()`, which `SortableRuleSlice` sorts by.
    fn go_string(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            go_list(&self.verbs),
            go_list(&self.api_groups),
            go_list(&self.resources),
            go_list(&self.resource_names),
            go_list(&self.non_resource_urls)
        )
    }

    /// `CombineResourceGroup`: `resource[.group][/subresource]` of the
    /// first resource and group.
    pub fn resource_group(&self) -> String {
        let Some(first) = self.resources.first() else { return String::new() };
        let (resource, sub) = match first.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (first.as_str(), None),
        };
        let mut out = resource.to_owned();
        if let Some(group) = self.api_groups.first().filter(|g| !g.is_empty()) {
            out = format!("{out}.{group}");
        }
        if let Some(sub) = sub {
            out = format!("{out}/{sub}");
        }
        out
    }
}

/// `BreakdownRule`: one rule per group × resource × verb (× name), then
/// per non-resource URL × verb.
fn breakdown(rule: &PolicyRule) -> Vec<PolicyRule> {
    let mut out = Vec::new();
    for group in &rule.api_groups {
        for resource in &rule.resources {
            for verb in &rule.verbs {
                let one = |names: Vec<String>| PolicyRule {
                    verbs: vec![verb.clone()],
                    api_groups: vec![group.clone()],
                    resources: vec![resource.clone()],
                    resource_names: names,
                    non_resource_urls: Vec::new(),
                };
                if rule.resource_names.is_empty() {
                    out.push(one(Vec::new()));
                } else {
                    out.extend(rule.resource_names.iter().map(|n| one(vec![n.clone()])));
                }
            }
        }
    }
    for url in &rule.non_resource_urls {
        for verb in &rule.verbs {
            out.push(PolicyRule {
                verbs: vec![verb.clone()],
                non_resource_urls: vec![url.clone()],
                ..PolicyRule::default()
            });
        }
    }
    out
}

/// `CompactRules` over broken-down rules (every resource rule is simple:
/// one group, one resource, at most one name): the verbs of rules on the
/// same resource and name merged in order. Upstream collects them through
/// a Go map; the order does not survive the sort that follows.
fn compact(rules: Vec<PolicyRule>) -> Vec<PolicyRule> {
    let mut out: Vec<PolicyRule> = Vec::new();
    let mut simple: Vec<PolicyRule> = Vec::new();
    for rule in rules {
        let is_simple = rule.non_resource_urls.is_empty()
            && rule.api_groups.len() == 1
            && rule.resources.len() == 1
            && rule.resource_names.len() <= 1;
        if !is_simple {
            out.push(rule);
            continue;
        }
        match simple.iter_mut().find(|s| {
            s.api_groups == rule.api_groups
                && s.resources == rule.resources
                && s.resource_names == rule.resource_names
        }) {
            Some(existing) => {
                for verb in rule.verbs {
                    if !existing.verbs.contains(&verb) {
                        existing.verbs.push(verb);
                    }
                }
            }
            None => simple.push(rule),
        }
    }
    out.extend(simple);
    out
}

/// The rules as `describe role` and `auth can-i --list` show them.
pub fn for_display(rules: &[PolicyRule]) -> Vec<PolicyRule> {
    let mut out = compact(rules.iter().flat_map(breakdown).collect());
    // `sort.Stable(SortableRuleSlice)`.
    out.sort_by_cached_key(PolicyRule::go_string);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_break_down_compact_and_sort_like_kubectl() {
        let rule = PolicyRule::from_value(&json!({
            "apiGroups": ["", "apps"], "resources": ["pods", "deployments/scale"], "verbs": ["get", "list"]
        }));
        let shown: Vec<String> = for_display(&[rule])
            .iter()
            .map(|r| format!("{} {}", r.resource_group(), go_list(&r.verbs)))
            .collect();
        assert_eq!(
            shown,
            [
                "deployments/scale [get list]",
                "pods [get list]",
                "deployments.apps/scale [get list]",
                "pods.apps [get list]"
            ]
        );
    }
}
