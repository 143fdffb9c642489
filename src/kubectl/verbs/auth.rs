//! `kubectl auth can-i VERB (RESOURCE[/NAME] | NONRESOURCEURL)`
//! (`pkg/cmd/auth/cani.go`): a SelfSubjectAccessReview, as the user the
//! requests go out as (`--as`), answered by the cluster's authorizer.
//! `--list` asks for a SelfSubjectRulesReview instead ([`can_i_list`]).

use super::{Ctx, can_i_list};
use crate::version::Fact;
use crate::{
    kubectl::{error::KubectlError, impersonation},
    sim::auth::{Attributes, UserInfo, authorize, rules_for},
};

/// `whoami.go`'s `notEnabledErr`.
const WHOAMI_NOT_ENABLED: &str = "the selfsubjectreviews API is not enabled in the cluster\nenable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API";

/// `kubectl auth whoami` (`pkg/cmd/auth/whoami.go`, v1.27+): a
/// SelfSubjectReview, answered with the user the request authenticated as
/// (the kubeconfig's, or the one `--as` impersonates), printed as
/// `printTableSelfSubjectAccessReview` does.
pub fn whoami(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    if !ctx.has(Fact::AuthWhoami) {
        // v1.26 had it as `kubectl alpha auth whoami`.
        return Err(KubectlError::unsupported("kubectl auth whoami before v1.27"));
    }
    // `-o` is left unread: the flag audit reports it unsupported.
    let served = ctx
        .cluster
        .registry()
        .discovery()
        .resources()
        .iter()
        .any(|r| r.group == "authentication.k8s.io" && r.resource == "selfsubjectreviews");
    if !served {
        return Err(KubectlError::msg(WHOAMI_NOT_ENABLED));
    }
    let config = ctx.cluster.config();
    let (profile, minor) = (config.profile.clone(), config.version.minor());
    let user = impersonation::impersonated(ctx.inv)?
        .unwrap_or_else(|| UserInfo::kubeconfig_user(&profile, minor));
    let rows = [
        ("ATTRIBUTE", "VALUE".to_owned()),
        ("Username", user.name.clone()),
        ("Groups", format!("[{}]", user.groups.join(" "))),
    ];
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 3;
    let table: String = rows
        .iter()
        .filter(|(k, v)| *k != "Groups" || v != "[]")
        .map(|(k, v)| format!("{k:<width$}{v}\n"))
        .collect();
    ctx.stdout(table);
    Ok(())
}

/// `resourceVerbs`.
const RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
];
/// `nonResourceURLVerbs`.
const NON_RESOURCE_VERBS: &[&str] =
    &["get", "put", "post", "head", "options", "delete", "patch", "*"];
/// `nonStandardResourceNames`: resources the server authorizes but does
/// not list in discovery (the `impersonate` verb's).
const NON_STANDARD: &[&str] = &["users", "groups"];

/// kubectl's warning: `Warning: …` on stderr; from v1.26 through the
/// `WarningPrinter`, which adds a newline to the message's own.
fn warn(ctx: &mut Ctx<'_>, message: &str) {
    let tail = if ctx.has(Fact::AuthWarningPrinter) { "\n\n" } else { "\n" };
    ctx.stderr(format!("Warning: {message}{tail}"));
}

/// `kubectl auth can-i`.
pub fn can_i(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    if inv.bool("list") {
        if !inv.args.is_empty() {
            return Err(KubectlError::msg("list option must be specified with no arguments"));
        }
        // `Validate`.
        if inv.bool("quiet") || inv.bool("all-namespaces") || inv.value("subresource").is_some() {
            return Err(KubectlError::msg(
                "list option can't be specified with neither quiet, all-namespaces nor subresource options",
            ));
        }
        let user = impersonation::effective_user(inv, &ctx.cluster.config().profile, ctx.minor)?;
        let namespace = ctx.namespace();
        let review = rules_for(ctx.cluster.store(), ctx.cluster.registry(), &user, &namespace);
        // RBAC never marks its review incomplete (see `RulesReview`), so
        // kubectl's "the list may be incomplete" warning is never printed.
        ctx.stdout(can_i_list::table(&review, inv.bool("no-headers")));
        return Ok(());
    }
    let quiet = inv.bool("quiet");
    if inv.args.len() != 2 {
        return Err(KubectlError::msg(
            "you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.",
        ));
    }
    let verb = inv.args[0].clone();
    let target = inv.args[1].clone();
    let all_namespaces = inv.bool("all-namespaces");
    let namespace = if all_namespaces { String::new() } else { ctx.namespace() };
    let subresource = inv.value("subresource").unwrap_or_default().to_owned();
    let mut attrs =
        Attributes { verb: verb.clone(), namespace, subresource, ..Attributes::default() };
    // `Complete`: the resource through the REST mapper (a warning when it
    // does not know it), the name after a `/`.
    let mut namespaced = None;
    if target.starts_with('/') {
        attrs.path = Some(target.clone());
    } else {
        let (word, name) = target.split_once('/').unwrap_or((&target, ""));
        attrs.name = name.to_owned();
        if word == "*" {
            attrs.resource = "*".to_owned();
        } else {
            let lower = word.to_ascii_lowercase();
            match ctx.cluster.registry().resolve(&lower) {
                Some(kind) => {
                    let info = kind.info();
                    attrs.group = info.group.to_owned();
                    attrs.resource = info.plural.to_owned();
                    namespaced = Some(info.namespaced);
                }
                None => {
                    // `schema.ParseGroupResource`: `resource.group`.
                    let (resource, group) = lower.split_once('.').unwrap_or((&lower, ""));
                    if !NON_STANDARD.contains(&lower.as_str()) {
                        let message = if group.is_empty() {
                            format!("the server doesn't have a resource type '{resource}'")
                        } else {
                            format!(
                                "the server doesn't have a resource type '{resource}' in group '{group}'"
                            )
                        };
                        warn(ctx, &message);
                    }
                    attrs.resource = word.to_owned();
                }
            }
        }
    }
    // `Validate`.
    if attrs.path.is_some() {
        if !attrs.subresource.is_empty() {
            return Err(KubectlError::msg("--subresource can not be used with NonResourceURL"));
        }
        if !NON_RESOURCE_VERBS.contains(&verb.as_str()) {
            warn(ctx, &format!("verb '{verb}' is not a known verb"));
        }
    } else if !attrs.resource.is_empty() && !all_namespaces {
        if namespaced == Some(false) {
            let message = if attrs.group.is_empty() {
                format!("resource '{}' is not namespace scoped", attrs.resource)
            } else {
                format!(
                    "resource '{}' is not namespace scoped in group '{}'",
                    attrs.resource, attrs.group
                )
            };
            warn(ctx, &message);
        }
        if !RESOURCE_VERBS.contains(&verb.as_str()) {
            warn(ctx, &format!("verb '{verb}' is not a known verb"));
        }
    }
    if inv.bool("no-headers") {
        return Err(KubectlError::msg("--no-headers cannot be set without --list specified"));
    }
    let user = impersonation::effective_user(inv, &ctx.cluster.config().profile, ctx.minor)?;
    let decision = authorize(ctx.cluster.store(), ctx.cluster.registry(), &user, &attrs);
    if !quiet {
        let mut line = if decision.allowed { "yes".to_owned() } else { "no".to_owned() };
        if !decision.allowed && !decision.reason.is_empty() {
            line.push_str(&format!(" - {}", decision.reason));
        }
        ctx.stdout(format!("{line}\n"));
    }
    if decision.allowed { Ok(()) } else { Err(KubectlError::Exit(1)) }
}
