//! `kubectl create role|clusterrole|rolebinding|clusterrolebinding|
//! serviceaccount` (`pkg/cmd/create/create_role.go`,
//! `create_clusterrole.go`, `create_rolebinding.go`,
//! `create_clusterrolebinding.go`, `create_serviceaccount.go`; the same
//! from v1.22 to v1.33).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Ctx, create::name_arg, print_flags::DryRun};
use crate::{
    kubectl::error::KubectlError,
    sim::{Kind, Object},
};

/// `validResourceVerbs`.
const RESOURCE_VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];
/// `validNonResourceVerbs`.
const NON_RESOURCE_VERBS: &[&str] =
    &["*", "get", "post", "put", "delete", "patch", "head", "options"];

/// `specialVerbs`: verbs that only make sense on some group-resources.
const SPECIAL_VERBS: &[(&str, &[(&str, &str)])] = &[
    ("use", &[("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies")]),
    (
        "bind",
        &[("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "clusterroles")],
    ),
    (
        "escalate",
        &[("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "clusterroles")],
    ),
    (
        "impersonate",
        &[
            ("", "users"),
            ("", "serviceaccounts"),
            ("", "groups"),
            ("authentication.k8s.io", "userextras"),
        ],
    ),
];

/// One `--resource`: `resource[.group][/subresource]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ResourceOption {
    resource: String,
    group: String,
    subresource: String,
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// The role options `Complete` builds: verbs (`*` alone wins), resources
/// (`*` alone wins), resource names, each once.
struct RoleOptions {
    verbs: Vec<String>,
    resources: Vec<ResourceOption>,
    resource_names: Vec<String>,
}

fn role_options(ctx: &Ctx<'_>) -> RoleOptions {
    let verbs = ctx.inv.strings("verb");
    let verbs = if verbs.iter().any(|v| v == "*") { vec!["*".to_owned()] } else { dedup(verbs) };
    let mut resources = Vec::new();
    for r in ctx.inv.strings("resource") {
        let (head, subresource) = r.split_once('/').unwrap_or((&r, ""));
        let (resource, group) = head.split_once('.').unwrap_or((head, ""));
        let option = ResourceOption {
            resource: resource.to_owned(),
            group: group.to_owned(),
            subresource: subresource.to_owned(),
        };
        if option.resource == "*" && !head.contains('.') && !r.contains('/') {
            resources = vec![option];
            break;
        }
        resources.push(option);
    }
    RoleOptions { verbs, resources, resource_names: dedup(ctx.inv.strings("resource-name")) }
}

/// The REST mapper's `ResourceFor` through kubectl's shortcut expander:
/// the served group and plural resource a `--resource` names.
fn resource_for(ctx: &Ctx<'_>, r: &ResourceOption) -> Option<(String, String)> {
    let word =
        if r.group.is_empty() { r.resource.clone() } else { format!("{}.{}", r.resource, r.group) };
    let kind = ctx.cluster.registry().resolve(&word)?;
    let info = kind.info();
    Some((info.group.to_owned(), info.plural.to_owned()))
}

/// `validateResource`: each resource must be served, unless a special verb
/// names it; special verbs only on their group-resources.
fn validate_resources(ctx: &Ctx<'_>, o: &RoleOptions) -> Result<(), KubectlError> {
    for r in &o.resources {
        if r.resource.is_empty() {
            return Err(KubectlError::msg(
                "resource must be specified if apiGroup/subresource specified",
            ));
        }
        if r.resource == "*" {
            return Ok(());
        }
        let mapped = resource_for(ctx, r);
        let (group, resource) =
            mapped.clone().unwrap_or_else(|| (r.group.clone(), r.resource.clone()));
        let mut special = false;
        for verb in &o.verbs {
            if let Some((_, allowed)) = SPECIAL_VERBS.iter().find(|(v, _)| v == verb) {
                if !allowed.iter().any(|(g, res)| *g == group && *res == resource) {
                    return Err(KubectlError::msg(format!(
                        "can not perform '{verb}' on '{resource}' in group '{group}'"
                    )));
                }
                special = true;
            }
        }
        if mapped.is_none() && !special {
            // `cmdutil.StandardErrorMessage` of the mapper's NoResourceMatchError.
            let message = if r.group.is_empty() {
                format!("the server doesn't have a resource type {:?}", r.resource)
            } else {
                format!(
                    "the server doesn't have a resource type {:?} in group {:?}",
                    r.resource, r.group
                )
            };
            return Err(KubectlError::Standard(message));
        }
    }
    Ok(())
}

/// `generateResourcePolicyRules`: one rule per API group (groups sorted),
/// then one for the non-resource URLs.
fn policy_rules(ctx: &Ctx<'_>, o: &RoleOptions, non_resource_urls: &[String]) -> Vec<Value> {
    let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &o.resources {
        let (group, mut resource) =
            resource_for(ctx, r).unwrap_or_else(|| (r.group.clone(), r.resource.clone()));
        if !r.subresource.is_empty() {
            resource = format!("{resource}/{}", r.subresource);
        }
        let list = by_group.entry(group).or_default();
        if !list.contains(&resource) {
            list.push(resource);
        }
    }
    let mut rules: Vec<Value> = by_group
        .into_iter()
        .map(|(group, resources)| {
            let mut rule = json!({"verbs": o.verbs, "apiGroups": [group], "resources": resources});
            if !o.resource_names.is_empty() {
                rule["resourceNames"] = json!(o.resource_names);
            }
            rule
        })
        .collect();
    if !non_resource_urls.is_empty() {
        rules.push(json!({"verbs": o.verbs, "nonResourceURLs": non_resource_urls}));
    }
    rules
}

/// Warns about verbs outside `validResourceVerbs` (`Validate`).
fn warn_verbs(ctx: &mut Ctx<'_>, verbs: &[String]) {
    for v in verbs {
        if !RESOURCE_VERBS.contains(&v.as_str()) {
            ctx.stderr(format!("Warning: '{v}' is not a standard resource verb\n"));
        }
    }
}

/// `kubectl create role NAME --verb=... --resource=... [--resource-name=...]`.
pub fn role(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let o = role_options(ctx);
    let dry_run = DryRun::from_ctx(ctx)?;
    if o.verbs.is_empty() {
        return Err(KubectlError::msg("at least one verb must be specified"));
    }
    warn_verbs(ctx, &o.verbs);
    if o.resources.is_empty() {
        return Err(KubectlError::msg("at least one resource must be specified"));
    }
    validate_resources(ctx, &o)?;
    let rules = policy_rules(ctx, &o, &[]);
    let value = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
        "metadata": {"name": name, "namespace": ctx.namespace()},
        "rules": rules,
    });
    send(ctx, dry_run, value, "roles.rbac.authorization.k8s.io")
}

/// `kubectl create clusterrole NAME (--verb=... --resource=...|--non-resource-url=...
/// | --aggregation-rule=k=v)`.
pub fn cluster_role(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let o = role_options(ctx);
    let urls = dedup(ctx.inv.strings("non-resource-url"));
    let dry_run = DryRun::from_ctx(ctx)?;
    let mut aggregation: BTreeMap<String, String> = BTreeMap::new();
    for pair in ctx.inv.strings("aggregation-rule") {
        // pflag's `StringToString`: `k=v` pairs.
        let Some((k, v)) = pair.split_once('=') else {
            return Err(KubectlError::unsupported(
                "a --aggregation-rule value that is not key=value",
            ));
        };
        aggregation.insert(k.to_owned(), v.to_owned());
    }
    let mut value = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": name},
    });
    if !aggregation.is_empty() {
        if !urls.is_empty()
            || !o.verbs.is_empty()
            || !o.resources.is_empty()
            || !o.resource_names.is_empty()
        {
            return Err(KubectlError::msg(
                "aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames",
            ));
        }
        value["aggregationRule"] = json!({"clusterRoleSelectors": [{"matchLabels": aggregation}]});
        // `ClusterRole.Rules` has no `omitempty`: the generator's struct
        // writes `rules: null`.
        value["rules"] = Value::Null;
    } else {
        if o.verbs.is_empty() {
            return Err(KubectlError::msg("at least one verb must be specified"));
        }
        if o.resources.is_empty() && urls.is_empty() {
            return Err(KubectlError::msg("one of resource or nonResourceURL must be specified"));
        }
        if !o.resources.is_empty() {
            warn_verbs(ctx, &o.verbs);
            validate_resources(ctx, &o)?;
        }
        if !urls.is_empty() {
            if let Some(v) = o.verbs.iter().find(|v| !NON_RESOURCE_VERBS.contains(&v.as_str())) {
                return Err(KubectlError::msg(format!("invalid verb: '{v}' for nonResourceURL")));
            }
            for url in urls.iter().filter(|u| *u != "*") {
                if !url.starts_with('/') {
                    return Err(KubectlError::msg("nonResourceURL should start with /"));
                }
                if url[..url.len() - 1].contains('*') {
                    return Err(KubectlError::msg(
                        "nonResourceURL only supports wildcard matches when '*' is at the end",
                    ));
                }
            }
        }
        value["rules"] = json!(policy_rules(ctx, &o, &urls));
    }
    send(ctx, dry_run, value, "clusterroles.rbac.authorization.k8s.io")
}

/// The subjects of `--user`, `--group` and `--serviceaccount NS:NAME`.
fn subjects(ctx: &Ctx<'_>) -> Result<Vec<Value>, KubectlError> {
    let mut out = Vec::new();
    for user in ctx.inv.strings("user") {
        out.push(json!({"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": user}));
    }
    for group in ctx.inv.strings("group") {
        out.push(json!({"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": group}));
    }
    for sa in ctx.inv.strings("serviceaccount") {
        let tokens: Vec<&str> = sa.split(':').collect();
        if tokens.len() != 2 || tokens[0].is_empty() || tokens[1].is_empty() {
            return Err(KubectlError::msg("serviceaccount must be <namespace>:<name>"));
        }
        out.push(json!({"kind": "ServiceAccount", "namespace": tokens[0], "name": tokens[1]}));
    }
    Ok(out)
}

fn role_ref(kind: &str, name: &str) -> Value {
    json!({"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": name})
}

/// `kubectl create rolebinding NAME (--role=R|--clusterrole=C) [subjects]`.
pub fn role_binding(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let role = ctx.inv.value("role").unwrap_or_default().to_owned();
    let cluster_role = ctx.inv.value("clusterrole").unwrap_or_default().to_owned();
    let dry_run = DryRun::from_ctx(ctx)?;
    if role.is_empty() == cluster_role.is_empty() {
        return Err(KubectlError::msg("exactly one of clusterrole or role must be specified"));
    }
    let role_ref = if role.is_empty() {
        role_ref("ClusterRole", &cluster_role)
    } else {
        role_ref("Role", &role)
    };
    let subjects = subjects(ctx)?;
    let mut value = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": name, "namespace": ctx.namespace()},
        "roleRef": role_ref,
    });
    if !subjects.is_empty() {
        value["subjects"] = json!(subjects);
    }
    send(ctx, dry_run, value, "rolebindings.rbac.authorization.k8s.io")
}

/// `kubectl create clusterrolebinding NAME --clusterrole=C [subjects]`.
pub fn cluster_role_binding(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let cluster_role = ctx.inv.value("clusterrole").unwrap_or_default().to_owned();
    let dry_run = DryRun::from_ctx(ctx)?;
    let subjects = subjects(ctx)?;
    let mut value = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": name},
        "roleRef": role_ref("ClusterRole", &cluster_role),
    });
    if !subjects.is_empty() {
        value["subjects"] = json!(subjects);
    }
    send(ctx, dry_run, value, "clusterrolebindings.rbac.authorization.k8s.io")
}

/// `kubectl create serviceaccount NAME`.
pub fn service_account(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let dry_run = DryRun::from_ctx(ctx)?;
    let value = json!({
        "apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": name, "namespace": ctx.namespace()},
    });
    let local = super::generated::local(&value, ctx.explicit_namespace(), ctx.minor);
    let object = Object::from_value(value).map_err(|e| KubectlError::msg(e.to_string()))?;
    super::print_flags::create(ctx, dry_run, &local, object)
}

/// Creates the generated object as `--dry-run` says; the RBAC generators
/// return API errors unwrapped.
fn send(
    ctx: &mut Ctx<'_>,
    dry_run: DryRun,
    value: Value,
    resource: &str,
) -> Result<(), KubectlError> {
    let kind: Kind =
        ctx.cluster.registry().resolve(resource).ok_or_else(|| {
            KubectlError::unsupported(format!("{resource} on this cluster version"))
        })?;
    let local = super::generated::local(&value, ctx.explicit_namespace(), ctx.minor);
    let object =
        Object::from_value_as(kind, value).map_err(|e| KubectlError::msg(e.to_string()))?;
    super::print_flags::create(ctx, dry_run, &local, object)
}
