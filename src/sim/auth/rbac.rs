//! The apiserver's authorizer chain as a default cluster runs it: the
//! privileged group (`system:masters` may do everything), then RBAC
//! (`plugin/pkg/auth/authorizer/rbac/rbac.go`, `rule.go`'s rule
//! resolution, `pkg/apis/rbac/v1/evaluation_helpers.go`'s matching). The
//! Node authorizer (kubelets' own credentials) is not modelled.

use crate::version::Fact;
use serde_json::Value;

use super::user::{SYSTEM_MASTERS, UserInfo, service_account};
use crate::sim::{Object, Store, kind::Kind, registry::Registry};

/// What a request asks to do (`authorizer.Attributes`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attributes {
    /// `get`, `list`, `create`, … (or an HTTP verb for a path).
    pub verb: String,
    /// The API group (`""` for core); resource requests only.
    pub group: String,
    /// The plural resource (`pods`); empty for a non-resource request.
    pub resource: String,
    /// The subresource (`log`, `status`).
    pub subresource: String,
    /// The namespace; empty for cluster scope.
    pub namespace: String,
    /// The object's name, when the request names one.
    pub name: String,
    /// A non-resource URL (`/healthz`); set for non-resource requests only.
    pub path: Option<String>,
}

/// The authorizers' answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Allowed.
    pub allowed: bool,
    /// Why not (RBAC's evaluation errors: `RBAC: clusterrole… not found`).
    pub reason: String,
}

/// Authorizes `attrs` for `user` against the cluster's RBAC objects.
pub fn authorize(
    store: &Store,
    registry: &Registry,
    user: &UserInfo,
    attrs: &Attributes,
) -> Decision {
    if user.in_group(SYSTEM_MASTERS) {
        return Decision { allowed: true, reason: String::new() };
    }
    let mut errors: Vec<String> = Vec::new();
    let mut allowed = false;
    visit_rules(store, registry, user, &attrs.namespace, &mut |rule| match rule {
        Ok(rule) if rule_allows(attrs, rule) => {
            allowed = true;
            false
        }
        Ok(_) => true,
        Err(e) => {
            errors.push(e);
            true
        }
    });
    if allowed {
        return Decision { allowed, reason: String::new() };
    }
    // `utilerrors.NewAggregate(errs).Error()`: one message alone, several
    // in brackets.
    let reason = match errors.len() {
        0 => String::new(),
        1 => format!("RBAC: {}", errors[0]),
        _ => format!("RBAC: [{}]", errors.join(", ")),
    };
    Decision { allowed: false, reason }
}

/// A `SelfSubjectRulesReview`'s answer (`SubjectRulesReviewStatus`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RulesReview {
    /// `resourceRules`: the rules naming resources, in resolution order.
    pub resource_rules: Vec<PolicyRule>,
    /// `nonResourceRules`: the rules naming non-resource URLs.
    pub non_resource_rules: Vec<PolicyRule>,
    /// `incomplete`: RBAC's `RulesFor` never sets it (a binding to a
    /// missing role only fills `evaluationError`), so neither does this.
    pub incomplete: bool,
    /// `evaluationError`: the resolution's errors, aggregated.
    pub evaluation_error: String,
}

/// The rules `user` has in `namespace` (cluster-wide only when empty), as
/// the `selfsubjectrulesreviews` REST storage answers them
/// (`pkg/registry/authorization/selfsubjectrulesreview/rest.go` over the
/// union of rule resolvers; `RBACAuthorizer.RulesFor` in
/// `plugin/pkg/auth/authorizer/rbac/rbac.go` splits each rule into a
/// resource rule when it names resources and a non-resource rule when it
/// names URLs). The Node authorizer resolves no rules for other users.
pub fn rules_for(
    store: &Store,
    registry: &Registry,
    user: &UserInfo,
    namespace: &str,
) -> RulesReview {
    let mut review = RulesReview::default();
    let mut errors = Vec::new();
    visit_rules(store, registry, user, namespace, &mut |rule| {
        match rule {
            Ok(rule) => {
                let rule = PolicyRule::from_value(rule);
                if !rule.resources.is_empty() {
                    review
                        .resource_rules
                        .push(PolicyRule { non_resource_urls: Vec::new(), ..rule.clone() });
                }
                if !rule.non_resource_urls.is_empty() {
                    review.non_resource_rules.push(PolicyRule {
                        verbs: rule.verbs,
                        non_resource_urls: rule.non_resource_urls,
                        ..PolicyRule::default()
                    });
                }
            }
            Err(e) => errors.push(e),
        }
        true
    });
    review.evaluation_error = match errors.len() {
        0 => String::new(),
        1 => errors.remove(0),
        _ => format!("[{}]", errors.join(", ")),
    };
    review
}

/// Every rule that applies to `user` in `namespace` (`VisitRulesFor`):
/// ClusterRoleBindings first, then the namespace's RoleBindings; a
/// binding to a missing role is an error. `visit` returns whether to go on.
pub fn visit_rules(
    store: &Store,
    registry: &Registry,
    user: &UserInfo,
    namespace: &str,
    visit: &mut dyn FnMut(Result<&Value, String>) -> bool,
) {
    let kind = |word: &str| registry.resolve(word);
    let (Some(cluster_roles), Some(cluster_bindings), Some(roles), Some(bindings)) = (
        kind("clusterroles.rbac.authorization.k8s.io"),
        kind("clusterrolebindings.rbac.authorization.k8s.io"),
        kind("roles.rbac.authorization.k8s.io"),
        kind("rolebindings.rbac.authorization.k8s.io"),
    ) else {
        return;
    };
    let kinds = RbacKinds { cluster_roles, roles };
    for binding in store.list(cluster_bindings, None) {
        if !visit_binding(store, &kinds, binding, "", user, visit) {
            return;
        }
    }
    if !namespace.is_empty() {
        for binding in store.list(bindings, Some(namespace)) {
            if !visit_binding(store, &kinds, binding, namespace, user, visit) {
                return;
            }
        }
    }
}

struct RbacKinds {
    cluster_roles: Kind,
    roles: Kind,
}

fn fields(object: &Object) -> Option<&serde_json::Map<String, Value>> {
    match object {
        Object::Generic(g) => Some(&g.fields),
        _ => None,
    }
}

fn visit_binding(
    store: &Store,
    kinds: &RbacKinds,
    binding: &Object,
    namespace: &str,
    user: &UserInfo,
    visit: &mut dyn FnMut(Result<&Value, String>) -> bool,
) -> bool {
    let Some(f) = fields(binding) else { return true };
    let applies = f
        .get("subjects")
        .and_then(Value::as_array)
        .is_some_and(|subjects| subjects.iter().any(|s| applies_to(s, user, namespace)));
    if !applies {
        return true;
    }
    let role_ref = &f["roleRef"];
    let role_name = role_ref["name"].as_str().unwrap_or_default();
    let (kind, role_ns, what) = match role_ref["kind"].as_str() {
        Some("Role") => (kinds.roles, Some(namespace), "role"),
        _ => (kinds.cluster_roles, None, "clusterrole"),
    };
    let r = match role_ns {
        Some(ns) => crate::sim::ObjectRef::namespaced(kind, ns, role_name),
        None => crate::sim::ObjectRef::cluster(kind, role_name),
    };
    let Some(role) = store.get(&r) else {
        return visit(Err(format!("{what}.rbac.authorization.k8s.io {role_name:?} not found")));
    };
    for rule in
        fields(role).and_then(|f| f.get("rules")).and_then(Value::as_array).into_iter().flatten()
    {
        if !visit(Ok(rule)) {
            return false;
        }
    }
    true
}

/// `appliesToUser`.
fn applies_to(subject: &Value, user: &UserInfo, binding_namespace: &str) -> bool {
    let name = subject["name"].as_str().unwrap_or_default();
    match subject["kind"].as_str() {
        Some("User") => user.name == name,
        Some("Group") => user.in_group(name),
        Some("ServiceAccount") => {
            let ns = subject["namespace"]
                .as_str()
                .filter(|n| !n.is_empty())
                .unwrap_or(binding_namespace);
            !ns.is_empty() && service_account(&user.name) == Some((ns, name))
        }
        _ => false,
    }
}

/// One policy rule (`rbacv1.PolicyRule`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyRule {
    /// `verbs`.
    pub verbs: Vec<String>,
    /// `apiGroups`.
    pub api_groups: Vec<String>,
    /// `resources`.
    pub resources: Vec<String>,
    /// `resourceNames`.
    pub resource_names: Vec<String>,
    /// `nonResourceURLs`.
    pub non_resource_urls: Vec<String>,
}

impl PolicyRule {
    /// The rule of an object's JSON.
    pub fn from_value(rule: &Value) -> PolicyRule {
        let strings = |key: &str| -> Vec<String> {
            rule[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        PolicyRule {
            verbs: strings("verbs"),
            api_groups: strings("apiGroups"),
            resources: strings("resources"),
            resource_names: strings("resourceNames"),
            non_resource_urls: strings("nonResourceURLs"),
        }
    }
}

fn has(list: &[String], value: &str) -> bool {
    list.iter().any(|v| v == "*" || v == value)
}

/// `RuleAllows`.
pub fn rule_allows(attrs: &Attributes, rule: &Value) -> bool {
    let rule = PolicyRule::from_value(rule);
    if !has(&rule.verbs, &attrs.verb) {
        return false;
    }
    if let Some(path) = &attrs.path {
        // `NonResourceURLMatches`: exact, `*`, or a prefix ending in `*`.
        return rule.non_resource_urls.iter().any(|u| {
            u == "*" || u == path || u.strip_suffix('*').is_some_and(|p| path.starts_with(p))
        });
    }
    let combined = if attrs.subresource.is_empty() {
        attrs.resource.clone()
    } else {
        format!("{}/{}", attrs.resource, attrs.subresource)
    };
    let resource_ok = rule.resources.iter().any(|r| {
        r == "*"
            || *r == combined
            || (!attrs.subresource.is_empty()
                && r.strip_prefix("*/") == Some(attrs.subresource.as_str()))
    });
    has(&rule.api_groups, &attrs.group)
        && resource_ok
        && (rule.resource_names.is_empty() || rule.resource_names.contains(&attrs.name))
}

/// The apiserver's Forbidden message (`forbiddenMessage` and `Forbidden`
/// in `k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go`):
/// `User "jane" cannot list resource "pods" in API group "" in the
/// namespace "default"`, and RBAC's reason after a colon. Before v1.12 it
/// named neither "resource" nor the group.
pub fn forbidden_message(minor: u32, user: &UserInfo, attrs: &Attributes, reason: &str) -> String {
    let mut resource = attrs.resource.clone();
    if !attrs.subresource.is_empty() {
        resource = format!("{resource}/{}", attrs.subresource);
    }
    let (user, verb, ns) = (&user.name, &attrs.verb, &attrs.namespace);
    let message = match (&attrs.path, ns.is_empty()) {
        (Some(path), _) => format!("User {user:?} cannot {verb} path {path:?}"),
        (None, false) if Fact::RbacDeniedNamesApiGroup.holds_at(minor) => format!(
            "User {user:?} cannot {verb} resource {resource:?} in API group {:?} in the namespace {ns:?}",
            attrs.group
        ),
        (None, true) if Fact::RbacDeniedNamesApiGroup.holds_at(minor) => format!(
            "User {user:?} cannot {verb} resource {resource:?} in API group {:?} at the cluster scope",
            attrs.group
        ),
        (None, false) => format!("User {user:?} cannot {verb} {resource} in the namespace {ns:?}"),
        (None, true) => format!("User {user:?} cannot {verb} {resource} at the cluster scope"),
    };
    if reason.is_empty() { message } else { format!("{message}: {reason}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attrs(verb: &str, group: &str, resource: &str, sub: &str, name: &str) -> Attributes {
        Attributes {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            subresource: sub.into(),
            name: name.into(),
            ..Attributes::default()
        }
    }

    #[test]
    fn rules_match_as_upstream() {
        let rule = json!({"apiGroups": [""], "resources": ["pods", "*/scale"], "verbs": ["get"], "resourceNames": ["web"]});
        assert!(rule_allows(&attrs("get", "", "pods", "", "web"), &rule));
        assert!(!rule_allows(&attrs("get", "", "pods", "", "db"), &rule));
        assert!(!rule_allows(&attrs("list", "", "pods", "", "web"), &rule));
        assert!(!rule_allows(&attrs("get", "apps", "pods", "", "web"), &rule));
        assert!(rule_allows(&attrs("get", "", "deployments", "scale", "web"), &rule));
        assert!(
            !rule_allows(&attrs("get", "", "pods", "log", "web"), &rule),
            "pods covers no subresource"
        );
        let urls = json!({"nonResourceURLs": ["/healthz", "/api/*"], "verbs": ["get"]});
        let path = |p: &str| Attributes {
            verb: "get".into(),
            path: Some(p.into()),
            ..Attributes::default()
        };
        assert!(rule_allows(&path("/healthz"), &urls));
        assert!(rule_allows(&path("/api/v1"), &urls));
        assert!(!rule_allows(&path("/healthz/etcd"), &urls));
    }

    #[test]
    fn forbidden_messages_per_version() {
        let jane = UserInfo::impersonated("jane", &[]);
        let mut a = attrs("list", "apps", "deployments", "", "");
        a.namespace = "dev".into();
        assert_eq!(
            forbidden_message(12, &jane, &a, ""),
            "User \"jane\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"dev\""
        );
        assert_eq!(
            forbidden_message(11, &jane, &a, ""),
            "User \"jane\" cannot list deployments in the namespace \"dev\""
        );
        a.namespace.clear();
        assert_eq!(
            forbidden_message(28, &jane, &a, "RBAC: x"),
            "User \"jane\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope: RBAC: x"
        );
    }
}
