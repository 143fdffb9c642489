//! `kubectl set subject (TYPE NAME | TYPE/NAME) [--user=U] [--group=G]
//! [--serviceaccount=NS:NAME]` (`pkg/cmd/set/set_subject.go`): adds the
//! subjects a RoleBinding or ClusterRoleBinding lacks and prints it
//! `subjects updated`; a binding that has them all is left alone, silently.

use serde_json::{Value, json};

use super::{Ctx, print_flags::DryRun, set};
use crate::{
    kubectl::error::KubectlError,
    sim::{GenericObject, Object},
};

/// Runs `kubectl set subject`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let dry_run = DryRun::from_ctx(ctx)?;
    let inv = ctx.inv;
    let (users, groups, accounts) = (
        sorted(inv.strings("user")),
        sorted(inv.strings("group")),
        sorted(inv.strings("serviceaccount")),
    );
    // `Complete` finds the objects (a missing one is the error) before
    // `Validate` looks at the flags.
    let targets = set::server_targets(ctx, &inv.args, "kubectl set subject")?;
    if inv.bool("all") && inv.value("selector").is_some_and(|s| !s.is_empty()) {
        return Err(KubectlError::msg("cannot set --all and --selector at the same time"));
    }
    if users.is_empty() && groups.is_empty() && accounts.is_empty() {
        return Err(KubectlError::msg(
            "you must specify at least one value of user, group or serviceaccount",
        ));
    }
    for sa in &accounts {
        let tokens: Vec<&str> = sa.split(':').collect();
        if tokens.len() != 2 || tokens[1].is_empty() {
            return Err(KubectlError::msg("serviceaccount must be <namespace>:<name>"));
        }
        if tokens[0].is_empty() && targets.iter().any(|t| is_binding(t, "ClusterRoleBinding")) {
            return Err(KubectlError::msg(
                "serviceaccount must be <namespace>:<name>, namespace must be specified",
            ));
        }
    }
    let namespace = ctx.namespace();
    // `Run`: users, groups, then service accounts, each set sorted.
    let mut wanted: Vec<Value> = Vec::new();
    for user in &users {
        wanted.push(json!({"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": user}));
    }
    for group in &groups {
        wanted
            .push(json!({"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": group}));
    }
    for sa in &accounts {
        let (ns, name) = sa.split_once(':').unwrap_or_default();
        let ns = if ns.is_empty() { namespace.as_str() } else { ns };
        wanted.push(json!({"kind": "ServiceAccount", "namespace": ns, "name": name}));
    }
    for before in targets {
        let Object::Generic(binding) = &before else {
            return Err(unsupported_target(&before));
        };
        if !is_binding(&before, "RoleBinding") && !is_binding(&before, "ClusterRoleBinding") {
            return Err(unsupported_target(&before));
        }
        let mut binding: GenericObject = binding.clone();
        let subjects = binding.fields.entry("subjects").or_insert_with(|| json!([]));
        let Some(list) = subjects.as_array_mut() else { continue };
        // `addSubjects`: a subject equal in every field is there already.
        let missing: Vec<Value> =
            wanted.iter().filter(|w| !list.iter().any(|s| same(s, w))).cloned().collect();
        if missing.is_empty() {
            continue;
        }
        list.extend(missing);
        let result = match super::print_flags::update(ctx, dry_run, Object::Generic(binding)) {
            Ok(o) => o,
            Err(KubectlError::Api(e)) => {
                return Err(KubectlError::msg(format!(
                    "failed to patch subjects to rolebinding: {e}"
                )));
            }
            Err(e) => return Err(e),
        };
        super::print_flags::print_object(ctx, &result, &dry_run.operation("subjects updated"))?;
    }
    Ok(())
}

/// `sets.List(sets.New(...))`: unique, sorted.
fn sorted(mut values: Vec<String>) -> Vec<String> {
    values.sort();
    values.dedup();
    values
}

fn is_binding(object: &Object, kind_name: &str) -> bool {
    let info = object.kind().info();
    info.group == "rbac.authorization.k8s.io" && info.kind_name == kind_name
}

/// `rbacv1.Subject` equality: kind, apiGroup, name, namespace (absent is "").
fn same(a: &Value, b: &Value) -> bool {
    ["kind", "apiGroup", "name", "namespace"]
        .iter()
        .all(|k| a[k].as_str().unwrap_or_default() == b[k].as_str().unwrap_or_default())
}

fn unsupported_target(object: &Object) -> KubectlError {
    KubectlError::unsupported(format!(
        "kubectl set subject of a {} (kubectl refuses every kind but the two bindings)",
        object.kind().info().kind_name
    ))
}
