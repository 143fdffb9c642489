//! `kubectl rollout history|undo|status|restart` for StatefulSets, which,
//! like DaemonSets, keep their revisions in ControllerRevisions
//! (`polymorphichelpers/history.go` `StatefulSetHistoryViewer`,
//! `rollback.go` `StatefulSetRollbacker`, `rollout_status.go`
//! `StatefulSetStatusViewer`, `objectrestarter.go`; kubectl v0.22–v0.33).

use k8s_openapi::api::apps::v1::StatefulSet;

use super::{
    Ctx,
    rollout_daemonset::{controlled_history, history_info, undo_template},
};
use crate::{
    kubectl::{
        error::KubectlError,
        messages::{self, statefulset_rollout_status as msg},
    },
    sim::{Kind, Object, ObjectRef, controllers::statefulset::sts_kind},
};

fn get(ctx: &Ctx<'_>, name: &str) -> Result<StatefulSet, KubectlError> {
    let object = ctx.cluster.get(&ObjectRef::namespaced(sts_kind(), &ctx.namespace(), name))?;
    serde_json::from_value(object.to_value()).map_err(|e| KubectlError::msg(format!("error: {e}")))
}

fn update(ctx: &mut Ctx<'_>, set: &StatefulSet) -> Result<(), KubectlError> {
    let mut value = serde_json::to_value(set).unwrap_or_default();
    value["apiVersion"] = "apps/v1".into();
    value["kind"] = "StatefulSet".into();
    let object = Object::from_value_as(sts_kind(), value)
        .map_err(|e| KubectlError::msg(format!("error: {e}")))?;
    ctx.cluster.update(object)?;
    Ok(())
}

fn history_of(
    ctx: &Ctx<'_>,
    set: &StatefulSet,
) -> Vec<k8s_openapi::api::apps::v1::ControllerRevision> {
    let ns = set.metadata.namespace.as_deref().unwrap_or("default");
    controlled_history(ctx, ns, set.metadata.uid.as_deref())
}

/// `kubectl rollout history statefulset/NAME [--revision=N]`.
pub fn history(ctx: &mut Ctx<'_>, name: &str, revision: i64) -> Result<(), KubectlError> {
    let set = get(ctx, name)?;
    let info = history_info(history_of(ctx, &set));
    super::rollout::print_history(ctx, sts_kind(), None, name, revision, &info)
}

/// `kubectl rollout undo statefulset/NAME [--to-revision=N]`: the set's
/// template back to a ControllerRevision's; the controller renumbers that
/// revision as the newest.
pub fn undo(ctx: &mut Ctx<'_>, name: &str, to_revision: i64) -> Result<(), KubectlError> {
    if to_revision < 0 {
        return Err(KubectlError::msg(messages::rollback_revision_not_found(to_revision)));
    }
    let mut set = get(ctx, name)?;
    let all = history_of(ctx, &set);
    let spec = set.spec.get_or_insert_with(Default::default);
    let Some(template) = undo_template(&all, to_revision, &spec.template)? else {
        ctx.stdout(messages::rollback_skipped(sts_kind(), name, to_revision));
        return Ok(());
    };
    spec.template = template;
    update(ctx, &set)?;
    ctx.stdout(messages::name_printer(sts_kind(), name, "rolled back"));
    Ok(())
}

/// `kubectl rollout restart statefulset/NAME`: the restartedAt stamp on
/// the template.
pub fn restart(ctx: &mut Ctx<'_>, name: &str, stamp: &str) -> Result<(), KubectlError> {
    let mut set = get(ctx, name)?;
    set.spec
        .get_or_insert_with(Default::default)
        .template
        .metadata
        .get_or_insert_with(Default::default)
        .annotations
        .get_or_insert_with(Default::default)
        .insert("kubectl.kubernetes.io/restartedAt".to_owned(), stamp.to_owned());
    update(ctx, &set)?;
    ctx.stdout(messages::name_printer(sts_kind(), name, "restarted"));
    Ok(())
}

/// `StatefulSetStatusViewer.Status`: the message and whether the rollout
/// is done.
fn status_message(set: &StatefulSet) -> Result<(String, bool), KubectlError> {
    let spec = set.spec.clone().unwrap_or_default();
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    if strategy.type_.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
        return Err(KubectlError::msg(msg::ONLY_ROLLING_UPDATE));
    }
    let status = set.status.clone().unwrap_or_default();
    let observed = status.observed_generation.unwrap_or(0);
    if observed == 0 || set.metadata.generation.unwrap_or(0) > observed {
        return Ok((msg::SPEC_UPDATE.to_owned(), false));
    }
    let ready = status.ready_replicas.unwrap_or(0);
    if let Some(replicas) = spec.replicas.filter(|r| ready < *r) {
        return Ok((msg::ready(replicas - ready), false));
    }
    let updated = status.updated_replicas.unwrap_or(0);
    if let Some(rolling) = strategy.rolling_update {
        if let (Some(replicas), Some(partition)) = (spec.replicas, rolling.partition)
            && updated < replicas - partition
        {
            return Ok((msg::partitioned_waiting(updated, replicas - partition), false));
        }
        return Ok((msg::partitioned_done(updated), true));
    }
    let update_revision = status.update_revision.clone().unwrap_or_default();
    if status.update_revision != status.current_revision {
        return Ok((msg::rolling_waiting(updated, &update_revision), false));
    }
    let current = status.current_replicas.unwrap_or(0);
    Ok((msg::rolling_done(current, status.current_revision.as_deref().unwrap_or_default()), true))
}

/// `kubectl rollout status statefulset/NAME`: one message per change of
/// the set while the simulator runs, until done.
pub fn status(ctx: &mut Ctx<'_>, name: &str, watch: bool) -> Result<(), KubectlError> {
    super::rollout::watch_status(ctx, watch, |ctx| {
        let set = get(ctx, name)?;
        let (message, done) = status_message(&set)?;
        Ok((set.metadata.resource_version, message, done))
    })
}

/// Whether `kind` is the StatefulSet kind.
pub fn is_statefulset(kind: Kind) -> bool {
    kind == sts_kind()
}
