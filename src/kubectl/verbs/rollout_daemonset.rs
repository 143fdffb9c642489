//! `kubectl rollout history|undo|status` for DaemonSets, which keep their
//! revisions in ControllerRevisions rather than ReplicaSets
//! (`polymorphichelpers/history.go` `DaemonSetHistoryViewer`,
//! `rollback.go` `DaemonSetRollbacker`, `rollout_status.go`
//! `DaemonSetStatusViewer`, kubectl v0.22).

use std::collections::BTreeMap;

use k8s_openapi::api::{
    apps::v1::{ControllerRevision, DaemonSet},
    core::v1::PodTemplateSpec,
};

use super::Ctx;
use crate::{
    kubectl::{
        deployutil::CHANGE_CAUSE,
        error::KubectlError,
        messages::{self, daemonset_rollout_status as msg},
    },
    sim::{Kind, Object, ObjectRef},
};

fn get(ctx: &Ctx<'_>, name: &str) -> Result<DaemonSet, KubectlError> {
    match ctx.cluster.get(&ObjectRef::namespaced(Kind::DaemonSet, &ctx.namespace(), name))? {
        Object::DaemonSet(ds) => Ok(ds.clone()),
        _ => unreachable!("a DaemonSet reference names a DaemonSet"),
    }
}

/// `controlledHistory`: the ControllerRevisions the DaemonSet controls.
fn histories(ctx: &Ctx<'_>, ds: &DaemonSet) -> Vec<ControllerRevision> {
    let ns = ds.metadata.namespace.as_deref().unwrap_or("default");
    controlled_history(ctx, ns, ds.metadata.uid.as_deref())
}

/// `controlledHistory`: the ControllerRevisions of namespace `ns` that the
/// object with `uid` controls, oldest revision first.
pub(super) fn controlled_history(
    ctx: &Ctx<'_>,
    ns: &str,
    uid: Option<&str>,
) -> Vec<ControllerRevision> {
    let mut out: Vec<ControllerRevision> = ctx
        .cluster
        .list(Kind::ControllerRevision, Some(ns))
        .into_iter()
        .filter_map(|o| match o {
            Object::ControllerRevision(cr) => Some(cr.clone()),
            _ => None,
        })
        .filter(|cr| {
            cr.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|r| r.controller == Some(true) && Some(r.uid.as_str()) == uid)
        })
        .collect();
    out.sort_by_key(|cr| cr.revision);
    out
}

/// The template a ControllerRevision restores: its `spec.template` patch
/// (`$patch: replace`) applied to the DaemonSet (`applyDaemonSetHistory`).
pub(super) fn template_of(cr: &ControllerRevision) -> PodTemplateSpec {
    let mut raw = cr
        .data
        .as_ref()
        .and_then(|d| d.0.get("spec"))
        .and_then(|s| s.get("template"))
        .cloned()
        .unwrap_or_default();
    if let Some(map) = raw.as_object_mut() {
        map.remove("$patch");
    }
    serde_json::from_value(raw).unwrap_or_default()
}

/// `kubectl rollout history daemonset/NAME [--revision=N]`. CHANGE-CAUSE is
/// the ControllerRevision's own annotation, which the controller copied from
/// the DaemonSet's annotations when it took the snapshot.
pub fn history(
    ctx: &mut Ctx<'_>,
    name: &str,
    group: Option<&str>,
    revision: i64,
) -> Result<(), KubectlError> {
    let ds = get(ctx, name)?;
    let info = history_info(histories(ctx, &ds));
    super::rollout::print_history(ctx, Kind::DaemonSet, group, name, revision, &info)
}

/// Each ControllerRevision's template by revision number, its
/// change-cause travelling on the template, where the shared printer
/// reads it.
pub(super) fn history_info(all: Vec<ControllerRevision>) -> BTreeMap<i64, PodTemplateSpec> {
    all.into_iter()
        .map(|cr| {
            let mut template = template_of(&cr);
            if let Some(cause) = cr.metadata.annotations.as_ref().and_then(|a| a.get(CHANGE_CAUSE))
            {
                template
                    .metadata
                    .get_or_insert_with(Default::default)
                    .annotations
                    .get_or_insert_with(BTreeMap::new)
                    .insert(CHANGE_CAUSE.to_owned(), cause.clone());
            }
            (cr.revision, template)
        })
        .collect()
}

/// The template `rollout undo` restores from a ControllerRevision history
/// (oldest first), shared by DaemonSets and StatefulSets: `findHistory`'s
/// second-highest revision, or the one asked for; `None` when it is the
/// template already (`daemonSetMatch` compares the serialized templates).
pub(super) fn undo_template(
    all: &[ControllerRevision],
    to_revision: i64,
    current: &PodTemplateSpec,
) -> Result<Option<PodTemplateSpec>, KubectlError> {
    if to_revision == 0 && all.len() <= 1 {
        return Err(KubectlError::msg(messages::NO_LAST_REVISION));
    }
    let target = if to_revision == 0 {
        all.get(all.len() - 2)
    } else {
        all.iter().find(|cr| cr.revision == to_revision)
    };
    let Some(target) = target else {
        return Err(KubectlError::msg(messages::rollback_revision_not_found(to_revision)));
    };
    let template = template_of(target);
    Ok((serde_json::to_value(current).ok() != serde_json::to_value(&template).ok())
        .then_some(template))
}

/// `kubectl rollout undo daemonset/NAME [--to-revision=N]`: patches the
/// DaemonSet's template back to a ControllerRevision's; the controller then
/// renumbers that revision as the newest (`constructHistory`).
pub fn undo(ctx: &mut Ctx<'_>, name: &str, to_revision: i64) -> Result<(), KubectlError> {
    if to_revision < 0 {
        return Err(KubectlError::msg(messages::rollback_revision_not_found(to_revision)));
    }
    let mut ds = get(ctx, name)?;
    let all = histories(ctx, &ds);
    let spec = ds.spec.get_or_insert_with(Default::default);
    let Some(template) = undo_template(&all, to_revision, &spec.template)? else {
        ctx.stdout(messages::rollback_skipped(Kind::DaemonSet, name, to_revision));
        return Ok(());
    };
    spec.template = template;
    ctx.cluster.update(Object::DaemonSet(ds))?;
    ctx.stdout(messages::name_printer(Kind::DaemonSet, name, "rolled back"));
    Ok(())
}

/// `DaemonSetStatusViewer.Status`: the message and whether the rollout is done.
fn status_message(ds: &DaemonSet) -> Result<(String, bool), KubectlError> {
    let name = ds.metadata.name.as_deref().unwrap_or_default();
    let strategy = ds.spec.as_ref().and_then(|s| s.update_strategy.as_ref());
    if strategy.and_then(|s| s.type_.as_deref()).unwrap_or("RollingUpdate") != "RollingUpdate" {
        return Err(KubectlError::msg(msg::ONLY_ROLLING_UPDATE));
    }
    let status = ds.status.clone().unwrap_or_default();
    if ds.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return Ok((msg::SPEC_UPDATE.to_owned(), false));
    }
    let desired = status.desired_number_scheduled;
    let updated = status.updated_number_scheduled.unwrap_or(0);
    let available = status.number_available.unwrap_or(0);
    if updated < desired {
        return Ok((msg::updated(name, updated, desired), false));
    }
    if available < desired {
        return Ok((msg::available(name, available, desired), false));
    }
    Ok((msg::done(name), true))
}

/// `kubectl rollout status daemonset/NAME`: like the Deployment watch, one
/// message per change of the DaemonSet while the simulator runs, until done.
pub fn status(ctx: &mut Ctx<'_>, name: &str, watch: bool) -> Result<(), KubectlError> {
    super::rollout::watch_status(ctx, watch, |ctx| {
        let ds = get(ctx, name)?;
        let (message, done) = status_message(&ds)?;
        Ok((ds.metadata.resource_version, message, done))
    })
}
