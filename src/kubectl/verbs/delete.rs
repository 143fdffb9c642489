//! `kubectl delete` (`pkg/cmd/delete/delete.go`): `<kind> "<name>"
//! deleted` per object, then (unless `--wait=false`) waiting until the
//! objects are gone — on the simulator, by stepping its clock.

use super::Ctx;
use crate::{
    kubectl::{
        error::KubectlError,
        impersonation,
        labels::Selector,
        messages,
        resource::{self, Request},
    },
    sim::{DeleteOptions, ObjectRef},
};

/// Most simulator steps one delete waits for its objects to go.
const MAX_WAIT_STEPS: usize = 10_000;

/// Runs `kubectl delete`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    // `DeleteFlags.ToOptions` → `GetCascadingStrategy` (Complete), before
    // any request. kubeplay deletes in the background only; the bool forms
    // also log a klog warning it does not reproduce.
    match inv.value("cascade") {
        None | Some("background") => {}
        Some(v @ ("foreground" | "orphan" | "true" | "false")) => {
            return Err(KubectlError::unsupported(format!("kubectl delete --cascade={v}")));
        }
        Some(other) => {
            return Err(KubectlError::msg(format!(
                "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            )));
        }
    }
    let dry_run = super::print_flags::DryRun::from_ctx(ctx)?;
    let namespace = ctx.namespace();
    let mut grace = inv.int("grace-period").unwrap_or(-1);
    let force = inv.bool("force");
    if inv.bool("now") {
        if grace != -1 {
            return Err(KubectlError::msg("--now and --grace-period cannot be specified together"));
        }
        grace = 1;
    }
    if grace == 0 && !force {
        grace = 1;
    }
    if force && grace < 0 {
        grace = 0;
    }
    if force && grace == 0 {
        ctx.stderr(messages::immediate_deletion_warning(ctx.minor));
    } else if force && grace > 0 {
        return Err(KubectlError::msg(
            "--force and --grace-period greater than 0 cannot be specified together",
        ));
    }

    let mut targets: Vec<ObjectRef> = Vec::new();
    // Per target, the group its typed resource resolved to (`-f`: none).
    let mut groups: Vec<Option<&'static str>> = Vec::new();
    let mut errors: Vec<KubectlError> = Vec::new();
    if !ctx.filename_options().is_empty() {
        for m in ctx.read_manifests_in(&namespace)? {
            targets.push(m.object.object_ref());
        }
    } else {
        if inv.args.is_empty() {
            return Err(KubectlError::msg(messages::MISSING_RESOURCE));
        }
        let select_all = inv.bool("all") || inv.value("selector").is_some();
        let selector = match inv.value("selector") {
            Some(s) => Some(Selector::parse(s).map_err(KubectlError::msg)?),
            None => None,
        };
        let words = resource::typed_words(&inv.args);
        // `all` expands to several kinds: each its own group.
        let expands = words.iter().any(|w| w == "all");
        for (i, request) in
            resource::parse(ctx.cluster.registry(), &inv.args, select_all)?.into_iter().enumerate()
        {
            let group = words
                .get(i)
                .filter(|_| !expands)
                .and_then(|w| resource::served_group(ctx.cluster.registry(), w));
            let kind = request.kind();
            let ns = kind.info().namespaced.then_some(namespace.as_str());
            ctx.warn_deprecated_kind(kind);
            match request {
                Request::List(kind) => {
                    let scope = if inv.bool("all-namespaces") { None } else { ns };
                    impersonation::authorize(ctx.cluster, inv, "list", kind, scope, "")?;
                    for o in ctx.cluster.list(kind, scope) {
                        if selector.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref())) {
                            targets.push(o.object_ref());
                            groups.push(group);
                        }
                    }
                }
                Request::Named(kind, name) => {
                    targets.push(match ns {
                        Some(ns) => ObjectRef::namespaced(kind, ns, &name),
                        None => ObjectRef::cluster(kind, &name),
                    });
                    groups.push(group);
                }
            }
        }
    }

    let options = DeleteOptions { grace_period_seconds: (grace >= 0).then_some(grace) };
    let mut deleted: Vec<(ObjectRef, Option<String>)> = Vec::new();
    let base = if grace == 0 { "force deleted" } else { "deleted" };
    for (i, r) in targets.into_iter().enumerate() {
        // The group kubectl sent the request to, when it differs from the
        // storage's (`deployment.extensions "web" deleted` before v1.16).
        let group = groups.get(i).copied().flatten();
        let operation =
            dry_run.operation(&messages::delete_operation(base, r.namespace.as_deref(), ctx.minor));
        if dry_run != super::print_flags::DryRun::Client
            && let Err(e) = impersonation::authorize(
                ctx.cluster,
                inv,
                "delete",
                r.kind,
                r.namespace.as_deref(),
                &r.name,
            )
        {
            errors.push(e);
            continue;
        }
        // delete.go `DeleteResult`: a client dry run prints and sends
        // nothing; named objects are not even read (the builder has
        // `RequireObject(false)`), so a missing one is "deleted (dry run)"
        // too (real kubectl 1.27 does so). A server dry run is a DELETE the
        // apiserver checks and does not carry out: here, on a copy of the
        // cluster, one per object, as each request sees the stored state.
        let result = match dry_run {
            super::print_flags::DryRun::Client => Ok(None),
            super::print_flags::DryRun::Server => {
                ctx.cluster.clone().delete(&r, options).map(|o| o.meta().uid.clone())
            }
            super::print_flags::DryRun::None => {
                ctx.cluster.delete(&r, options).map(|o| o.meta().uid.clone())
            }
        };
        match result {
            Ok(uid) => {
                ctx.stdout(messages::deleted_as_in(group, r.kind, &r.name, &operation));
                deleted.push((r, uid));
            }
            Err(e) if inv.bool("ignore-not-found") && e.reason() == "NotFound" => {}
            Err(e) => errors.push(e.into()),
        }
    }
    if deleted.is_empty() && errors.is_empty() {
        ctx.stdout(messages::NO_RESOURCES);
        return Ok(());
    }
    let wait = inv.value("wait").is_none_or(|w| w != "false");
    // "If we are dry-running, then we don't want to wait".
    if wait && dry_run == super::print_flags::DryRun::None {
        for _ in 0..MAX_WAIT_STEPS {
            let pending = deleted.iter().any(|(r, uid)| {
                ctx.cluster.get(r).is_ok_and(|o| uid.is_none() || o.meta().uid == *uid)
            });
            if !pending || ctx.cluster.step().is_none() {
                break;
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}
