//! `kubectl auth can-i --list`: the rules of a `SelfSubjectRulesReview`,
//! as kubectl breaks them down, compacts, sorts and tables them
//! (`printStatus` in `kubectl/pkg/cmd/auth/cani.go`, the same since
//! v1.14; `BreakdownRule`, `CompactRules` and `SortableRuleSlice` in
//! `kubectl/pkg/util/rbac/rbac.go`).

use crate::{
    kubectl::printers::layout::{self, GET},
    sim::auth::{RulesReview, rbac::PolicyRule},
};

/// The table kubectl prints for `review` (`printAccessHeaders`,
/// `printAccess`), laid out by `printers.GetNewTabWriter`.
pub fn table(review: &RulesReview, no_headers: bool) -> String {
    let mut rules = Vec::new();
    for rule in review.resource_rules.iter().chain(&review.non_resource_rules) {
        rules.extend(breakdown(rule));
    }
    let mut rules = compact(rules);
    // `sort.Stable` on the rules' generated `String()`, compared bytewise.
    rules.sort_by_cached_key(go_string);
    let mut text = String::new();
    if !no_headers {
        text.push_str("Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    }
    for r in &rules {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            combine_resource_group(&r.resources, &r.api_groups),
            go_list(&r.non_resource_urls),
            go_list(&r.resource_names),
            go_list(&r.verbs)
        ));
    }
    layout::layout(&text, GET)
}

/// `BreakdownRule`: one rule per group, resource, verb (and resource
/// name), then one per non-resource URL and verb.
fn breakdown(rule: &PolicyRule) -> Vec<PolicyRule> {
    let one = |s: &String| vec![s.clone()];
    let mut out = Vec::new();
    for group in &rule.api_groups {
        for resource in &rule.resources {
            for verb in &rule.verbs {
                let base = PolicyRule {
                    api_groups: one(group),
                    resources: one(resource),
                    verbs: one(verb),
                    ..PolicyRule::default()
                };
                if rule.resource_names.is_empty() {
                    out.push(base);
                } else {
                    for name in &rule.resource_names {
                        out.push(PolicyRule { resource_names: one(name), ..base.clone() });
                    }
                }
            }
        }
    }
    for url in &rule.non_resource_urls {
        for verb in &rule.verbs {
            out.push(PolicyRule {
                non_resource_urls: one(url),
                verbs: one(verb),
                ..PolicyRule::default()
            });
        }
    }
    out
}

/// `CompactRules`: the rules on one group, one resource and at most one
/// resource name merge their verbs (first-seen order); the rest stay as
/// they are. Go appends the merged rules in map order, which the stable
/// sort on distinct strings makes irrelevant.
fn compact(rules: Vec<PolicyRule>) -> Vec<PolicyRule> {
    let mut compacted = Vec::new();
    let mut simple: Vec<PolicyRule> = Vec::new();
    for rule in rules {
        let is_simple = rule.resource_names.len() <= 1
            && rule.non_resource_urls.is_empty()
            && rule.api_groups.len() == 1
            && rule.resources.len() == 1;
        if !is_simple {
            compacted.push(rule);
            continue;
        }
        let same = |s: &&mut PolicyRule| {
            s.api_groups == rule.api_groups
                && s.resources == rule.resources
                && s.resource_names == rule.resource_names
        };
        match simple.iter_mut().find(same) {
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
    compacted.extend(simple);
    compacted
}

/// The gogo-protobuf `String()` of an `rbacv1.PolicyRule`, the sort key.
fn go_string(r: &PolicyRule) -> String {
    format!(
        "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
        go_list(&r.verbs),
        go_list(&r.api_groups),
        go_list(&r.resources),
        go_list(&r.resource_names),
        go_list(&r.non_resource_urls)
    )
}

/// Go's `%v` of a `[]string`: `[a b]`.
fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// `describe.CombineResourceGroup`: `resource.group[/subresource]` of the
/// first resource and group.
fn combine_resource_group(resources: &[String], groups: &[String]) -> String {
    let Some(first) = resources.first() else { return String::new() };
    let (resource, sub) = match first.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (first.as_str(), None),
    };
    let mut out = resource.to_owned();
    if let Some(group) = groups.first().filter(|g| !g.is_empty()) {
        out.push('.');
        out.push_str(group);
    }
    if let Some(sub) = sub {
        out.push('/');
        out.push_str(sub);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(verbs: &[&str], groups: &[&str], resources: &[&str], names: &[&str]) -> PolicyRule {
        let v = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect();
        PolicyRule {
            verbs: v(verbs),
            api_groups: v(groups),
            resources: v(resources),
            resource_names: v(names),
            non_resource_urls: Vec::new(),
        }
    }

    /// Verbs of rules on one resource merge in first-seen order; a rule
    /// naming two resources splits into two rows; rows sort by the
    /// generated `String()`: by their verbs first, and a URL's empty
    /// `Resources:[]` before a core resource's `Resources:[pods]` (the
    /// orders seen from kubectl v1.33.13 against kube-apiserver v1.33.13 in
    /// scenarios/rbac/can-i-list-v1.33.md).
    #[test]
    fn breaks_down_compacts_and_sorts_like_kubectl() {
        let review = RulesReview {
            resource_rules: vec![
                rule(&["get", "list"], &[""], &["nodes"], &[]),
                rule(&["watch"], &[""], &["nodes"], &[]),
                rule(&["get", "create"], &["apps"], &["deployments", "replicasets"], &["web"]),
                rule(&["get"], &[""], &["pods", "pods/log"], &[]),
            ],
            non_resource_rules: vec![PolicyRule {
                verbs: vec!["get".into()],
                non_resource_urls: vec!["/healthz".into(), "/api".into()],
                ..PolicyRule::default()
            }],
            ..RulesReview::default()
        };
        assert_eq!(
            table(&review, false),
            "Resources          Non-Resource URLs   Resource Names   Verbs\n\
             deployments.apps   []                  [web]            [get create]\n\
             replicasets.apps   []                  [web]            [get create]\n\
             nodes              []                  []               [get list watch]\n\
             \x20                  [/api]              []               [get]\n\
             \x20                  [/healthz]          []               [get]\n\
             pods/log           []                  []               [get]\n\
             pods               []                  []               [get]\n"
        );
    }
}
