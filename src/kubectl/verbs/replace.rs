//! `kubectl replace -f FILE` (`pkg/cmd/replace/replace.go` v1.22): each
//! object of the files PUT whole (`replaced`); the live object's
//! resourceVersion is filled in when the file has none (`Helper.Replace`
//! with overwrite), so only a stale resourceVersion written in the file
//! conflicts. `--force` deletes the objects, waits until they are gone,
//! and creates them again.

use super::{Ctx, print_flags::DryRun};
use crate::version::Fact;
use crate::{
    kubectl::{
        deployutil::CHANGE_CAUSE,
        error::KubectlError,
        manifest::Manifest,
        messages::{self, files},
        verbs::apply::{LAST_APPLIED, last_applied_json},
    },
    sim::{DeleteOptions, Object, ObjectRef},
};

/// Most simulator steps `--force` waits for a deleted object to go
/// (`wait.PollImmediate`, 5 minutes by default, on the virtual clock).
const MAX_WAIT_STEPS: usize = 10_000;

/// Runs `kubectl replace`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    // Complete.
    let dry_run = DryRun::from_ctx(ctx)?;
    let force = inv.bool("force");
    let mut grace = inv.int("grace-period").unwrap_or(-1);
    if grace == 0 {
        // replace.go: "--grace-period=0" is turned into 1 and a wait.
        grace = 1;
    }
    if ctx.filename_options().is_empty() {
        return Err(KubectlError::msg(files::MUST_SPECIFY_FILENAME));
    }
    // Validate.
    if grace >= 0 && !force {
        return Err(KubectlError::msg("--grace-period must have --force specified"));
    }
    if inv.value("timeout").is_some_and(|t| !matches!(t, "0" | "0s")) && !force {
        return Err(KubectlError::msg("--timeout must have --force specified"));
    }
    // v1.25 refuses what v1.22's `forceReplace` silently did for real
    // (it never passed the dry-run strategy to its delete and create).
    if ctx.has(Fact::ReplaceForceRefusesDryRun) && force && dry_run != DryRun::None {
        return Err(KubectlError::msg("--dry-run can not be used when --force is set"));
    }
    let namespace = ctx.namespace();
    let manifests = ctx.read_manifests_in(&namespace)?;
    if force {
        return force_replace(ctx, manifests, grace);
    }
    let cause = super::create::record_cause(ctx);
    let validation = crate::kubectl::field_validation::directive(ctx)?;
    let mut errors = Vec::new();
    for m in manifests {
        let object = prepared(ctx, &m, cause.as_deref());
        let client = dry_run == DryRun::Client;
        if let Err(e) =
            crate::kubectl::field_validation::check(ctx, &m, "replacing", validation, client)
        {
            errors.push(e);
            continue;
        }
        if client {
            super::print_flags::print_object(ctx, &object, &dry_run.operation("replaced"))?;
            continue;
        }
        match put(ctx, object, dry_run == DryRun::Server) {
            Ok(o) => super::print_flags::print_object(ctx, &o, &dry_run.operation("replaced"))?,
            Err(err) => errors.push(KubectlError::ApiFromFile {
                err,
                verb: "replacing".into(),
                source: m.source.clone(),
            }),
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

/// The object as sent: `--save-config` (or an annotation already in the
/// file) refreshes the last-applied configuration (`CreateOrUpdateAnnotation`);
/// `--record` adds the change-cause.
fn prepared(ctx: &Ctx<'_>, m: &Manifest, cause: Option<&str>) -> Object {
    let mut object = m.object.clone();
    let has_annotation =
        object.meta().annotations.as_ref().is_some_and(|a| a.contains_key(LAST_APPLIED));
    if ctx.inv.bool("save-config") || has_annotation {
        let text = last_applied_json(&m.value);
        super::create::annotate(&mut object, LAST_APPLIED, &text);
    }
    if let Some(cause) = cause {
        super::create::annotate(&mut object, CHANGE_CAUSE, cause);
    }
    object
}

/// `Helper.Replace(..., overwrite=true, ...)`: without a resourceVersion in
/// the file, the live one is used; the PUT itself answers NotFound for a
/// missing object.
fn put(
    ctx: &mut Ctx<'_>,
    mut object: Object,
    dry_run: bool,
) -> Result<Object, crate::sim::ApiError> {
    let r = object.object_ref();
    if object.meta().resource_version.as_deref().is_none_or(str::is_empty)
        && let Ok(live) = ctx.cluster.get(&r)
    {
        object.meta_mut().resource_version = live.meta().resource_version.clone();
    }
    ctx.cluster.update_from_client(object, dry_run).map(|(o, _)| o)
}

/// `forceReplace`: delete every object (a missing one is skipped), wait
/// until each is gone, then create them again.
fn force_replace(
    ctx: &mut Ctx<'_>,
    manifests: Vec<Manifest>,
    grace: i64,
) -> Result<(), KubectlError> {
    let options = DeleteOptions { grace_period_seconds: (grace >= 0).then_some(grace) };
    let mut deleted: Vec<(ObjectRef, Option<String>)> = Vec::new();
    for m in &manifests {
        let r = m.object.object_ref();
        match ctx.cluster.delete(&r, options) {
            Ok(o) => {
                ctx.stdout(messages::deleted(r.kind, &r.name, r.namespace.as_deref(), ctx.minor));
                deleted.push((r, o.meta().uid.clone()));
            }
            Err(e) if e.reason() == "NotFound" => {}
            Err(e) => return Err(e.into()),
        }
    }
    for _ in 0..MAX_WAIT_STEPS {
        let pending = deleted.iter().any(|(r, uid)| {
            ctx.cluster.get(r).is_ok_and(|o| uid.is_none() || o.meta().uid == *uid)
        });
        if !pending || ctx.cluster.step().is_none() {
            break;
        }
    }
    // The garbage collector and controllers react while kubectl polls.
    ctx.cluster.run_pending(MAX_WAIT_STEPS);
    let cause = super::create::record_cause(ctx);
    let mut count = 0;
    for m in &manifests {
        let mut object = prepared(ctx, m, cause.as_deref());
        object.meta_mut().resource_version = None;
        let created = ctx.cluster.create(object)?;
        count += 1;
        super::print_flags::print_object(ctx, &created, "replaced")?;
    }
    if count == 0 {
        return Err(KubectlError::msg("no objects passed to replace"));
    }
    Ok(())
}
