//! `kubectl rollout history|undo|pause|resume|restart|status` for
//! Deployments; history, undo and status of DaemonSets are in
//! [`super::rollout_daemonset`] (`pkg/cmd/rollout/*.go`, `pkg/polymorphichelpers/{history,
//! rollback,objectpauser,objectresumer,objectrestarter,rollout_status}.go`).

use std::collections::BTreeMap;

use k8s_openapi::{
    api::apps::v1::Deployment,
    jiff::tz::{Offset, TimeZone},
};

use super::Ctx;
use crate::{
    kubectl::{
        deployutil::{self, CHANGE_CAUSE, HASH_LABEL},
        error::KubectlError,
        messages::{self, rollout_status},
        printers::{
            describe::{DescribeEnv, Writer, pod_template},
            layout::{self, DESCRIBE},
        },
        resource::{self, Request},
    },
    sim::{Kind, Object, ObjectRef},
};

/// Most simulator steps `rollout status` watches for.
pub(super) const MAX_STATUS_STEPS: usize = 20_000;

/// Annotations `rollout undo` never copies from a ReplicaSet.
const ANNOTATIONS_TO_SKIP: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    deployutil::REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// A named object with the group its typed resource resolved to.
type Named = (Kind, String, Option<&'static str>);

/// The deployments named by the arguments, each with the group kubectl's
/// REST mapper resolved its typed resource to
/// ([`resource::served_group`]: `deployment.extensions/web rolled back`
/// up to v1.15).
fn deployments(ctx: &Ctx<'_>) -> Result<Vec<Named>, KubectlError> {
    if ctx.inv.args.is_empty() {
        return Err(KubectlError::msg(messages::usage_error(
            "required resource not specified",
            &ctx.inv.command_path(),
        )));
    }
    let words = resource::typed_words(&ctx.inv.args);
    let mut out = Vec::new();
    for (i, request) in
        resource::parse(ctx.cluster.registry(), &ctx.inv.args, false)?.into_iter().enumerate()
    {
        if let Request::Named(kind, name) = request {
            let group =
                words.get(i).and_then(|w| resource::served_group(ctx.cluster.registry(), w));
            out.push((kind, name, group));
        }
    }
    Ok(out)
}

/// The name printer's line for an object read through `group`.
pub(super) fn name_line(kind: Kind, group: Option<&str>, name: &str, operation: &str) -> String {
    match group.filter(|g| *g != kind.info().group) {
        Some(group) => messages::name_printer_in(group, kind, name, operation),
        None => messages::name_printer(kind, name, operation),
    }
}

fn get_deployment(ctx: &Ctx<'_>, kind: Kind, name: &str) -> Result<Deployment, KubectlError> {
    match ctx.cluster.get(&ObjectRef::namespaced(kind, &ctx.namespace(), name))? {
        Object::Deployment(d) => Ok(d.clone()),
        other => Err(KubectlError::unsupported(format!(
            "kubectl rollout of {}",
            other.kind().info().plural
        ))),
    }
}

/// `kubectl rollout history`.
pub fn history(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let revision = ctx.inv.int("revision").unwrap_or(0);
    for (kind, name, group) in deployments(ctx)? {
        if kind == Kind::DaemonSet {
            super::rollout_daemonset::history(ctx, &name, group, revision)?;
            continue;
        }
        if super::rollout_statefulset::is_statefulset(kind) {
            super::rollout_statefulset::history(ctx, &name, revision)?;
            continue;
        }
        let d = get_deployment(ctx, kind, &name)?;
        let owned = deployutil::owned_replica_sets(ctx.cluster, &d);
        let mut info: BTreeMap<i64, k8s_openapi::api::core::v1::PodTemplateSpec> = BTreeMap::new();
        for rs in &owned {
            let Some(rev) =
                rs.metadata.annotations.as_ref().and_then(|a| a.get(deployutil::REVISION))
            else {
                continue;
            };
            let Ok(rev) = rev.parse::<i64>() else { continue };
            let mut template =
                rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
            if let Some(cause) = rs.metadata.annotations.as_ref().and_then(|a| a.get(CHANGE_CAUSE))
            {
                template
                    .metadata
                    .get_or_insert_with(Default::default)
                    .annotations
                    .get_or_insert_with(BTreeMap::new)
                    .insert(CHANGE_CAUSE.to_owned(), cause.clone());
            }
            info.insert(rev, template);
        }
        print_history(ctx, kind, group, &name, revision, &info)?;
    }
    Ok(())
}

/// Prints a rollout history (`polymorphichelpers/history.go`): the
/// `REVISION  CHANGE-CAUSE` table, or with `--revision=N` that revision's
/// pod template (describe's prefix writer over a plain buffer, so tabs stay
/// tabs), under the name printer. The change-cause is read from each
/// template's annotations.
pub(super) fn print_history(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    group: Option<&str>,
    name: &str,
    revision: i64,
    info: &BTreeMap<i64, k8s_openapi::api::core::v1::PodTemplateSpec>,
) -> Result<(), KubectlError> {
    let body = if info.is_empty() {
        messages::NO_ROLLOUT_HISTORY.trim_end().to_owned()
    } else if revision > 0 {
        let Some(template) = info.get(&revision) else {
            return Err(KubectlError::msg(messages::HISTORY_REVISION_NOT_FOUND));
        };
        let env = DescribeEnv {
            now: ctx.now(),
            utc_offset_seconds: ctx.cluster.config().utc_offset_seconds,
            minor: ctx.minor,
        };
        let mut w = Writer::default();
        pod_template(&mut w, Some(template), &env);
        w.raw()
    } else {
        let mut text = "REVISION\tCHANGE-CAUSE\n".to_owned();
        for (rev, template) in info {
            let cause = template
                .metadata
                .as_ref()
                .and_then(|m| m.annotations.as_ref())
                .and_then(|a| a.get(CHANGE_CAUSE))
                .filter(|c| !c.is_empty())
                .map_or("<none>", String::as_str);
            text.push_str(&format!("{rev}\t{cause}\n"));
        }
        layout::layout(&text, DESCRIBE)
    };
    let with_revision =
        if revision > 0 { format!("with revision #{revision}") } else { String::new() };
    ctx.stdout(name_line(kind, group, name, &format!("{with_revision}\n{body}")));
    Ok(())
}

/// `kubectl rollout undo [--to-revision=N]`.
pub fn undo(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let to_revision = ctx.inv.int("to-revision").unwrap_or(0);
    for (kind, name, group) in deployments(ctx)? {
        if kind == Kind::DaemonSet {
            super::rollout_daemonset::undo(ctx, &name, to_revision)?;
            continue;
        }
        if super::rollout_statefulset::is_statefulset(kind) {
            super::rollout_statefulset::undo(ctx, &name, to_revision)?;
            continue;
        }
        let mut d = get_deployment(ctx, kind, &name)?;
        if d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false) {
            return Err(KubectlError::msg(messages::rollback_paused(&name, ctx.minor)));
        }
        let owned = deployutil::owned_replica_sets(ctx.cluster, &d);
        let target = if to_revision == 0 {
            let mut revisions: Vec<(i64, usize)> =
                owned.iter().enumerate().map(|(i, rs)| (deployutil::revision(rs), i)).collect();
            revisions.sort();
            if revisions.len() < 2 {
                return Err(KubectlError::msg(messages::rollback_no_history(&name)));
            }
            owned[revisions[revisions.len() - 2].1].clone()
        } else {
            match owned.iter().find(|rs| deployutil::revision(rs) == to_revision) {
                Some(rs) => rs.clone(),
                None => {
                    return Err(KubectlError::msg(messages::rollback_revision_not_found(
                        to_revision,
                    )));
                }
            }
        };
        let mut template =
            target.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
        let spec = d.spec.get_or_insert_with(Default::default);
        if deployutil::templates_equal(&template, &spec.template) {
            ctx.stdout(messages::rollback_skipped(kind, &name, to_revision));
            continue;
        }
        if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
            labels.remove(HASH_LABEL);
        }
        spec.template = template;
        // `getDeploymentPatch` (kubectl `polymorphichelpers/rollback.go`,
        // the same from v1.17 to v1.35) is a JSON patch that *replaces*
        // `/metadata/annotations` with the Deployment's own skip-listed
        // annotations plus the ReplicaSet's others: an annotation only the
        // Deployment had (a change-cause set after the rollout) is gone,
        // so `rollout history` shows the revision's own cause.
        let own = d.metadata.annotations.take().unwrap_or_default();
        let mut annotations: BTreeMap<String, String> =
            own.into_iter().filter(|(k, _)| ANNOTATIONS_TO_SKIP.contains(&k.as_str())).collect();
        for (k, v) in target.metadata.annotations.iter().flatten() {
            if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        d.metadata.annotations = Some(annotations);
        ctx.cluster.update(Object::Deployment(d))?;
        ctx.stdout(name_line(kind, group, &name, "rolled back"));
    }
    Ok(())
}

/// `kubectl rollout pause` (`pause = true`) and `resume` (`pause = false`).
pub fn pause(ctx: &mut Ctx<'_>, pause: bool) -> Result<(), KubectlError> {
    let mut errors = Vec::new();
    for (kind, name, group) in deployments(ctx)? {
        let mut d = get_deployment(ctx, kind, &name)?;
        let spec = d.spec.get_or_insert_with(Default::default);
        let paused = spec.paused.unwrap_or(false);
        if paused == pause {
            let text = if pause {
                messages::already_paused(kind, &name)
            } else {
                messages::not_paused(kind, &name)
            };
            errors.push(KubectlError::msg(format!("error: {text}")));
            continue;
        }
        spec.paused = if pause { Some(true) } else { None };
        ctx.cluster.update(Object::Deployment(d))?;
        ctx.stdout(name_line(kind, group, &name, if pause { "paused" } else { "resumed" }));
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

/// `kubectl rollout restart`: stamps the template with
/// `kubectl.kubernetes.io/restartedAt` (RFC 3339, kubectl's local time).
pub fn restart(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let mut errors = Vec::new();
    for (kind, name, group) in deployments(ctx)? {
        let offset =
            Offset::from_seconds(ctx.cluster.config().utc_offset_seconds).unwrap_or(Offset::UTC);
        let zoned = ctx.cluster.now().to_zoned(TimeZone::fixed(offset));
        let stamp = if offset == Offset::UTC {
            zoned.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
        } else {
            zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
        };
        if super::rollout_statefulset::is_statefulset(kind) {
            super::rollout_statefulset::restart(ctx, &name, &stamp)?;
            continue;
        }
        let mut d = get_deployment(ctx, kind, &name)?;
        let spec = d.spec.get_or_insert_with(Default::default);
        if spec.paused.unwrap_or(false) {
            errors.push(KubectlError::msg(format!("error: {}", messages::RESTART_PAUSED)));
            continue;
        }
        spec.template
            .metadata
            .get_or_insert_with(Default::default)
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert("kubectl.kubernetes.io/restartedAt".to_owned(), stamp);
        ctx.cluster.update(Object::Deployment(d))?;
        ctx.stdout(name_line(kind, group, &name, "restarted"));
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

/// `DeploymentStatusViewer.Status`: the message and whether the rollout is done.
fn status_message(d: &Deployment) -> Result<(String, bool), KubectlError> {
    let name = d.metadata.name.as_deref().unwrap_or_default();
    let status = d.status.clone().unwrap_or_default();
    if d.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return Ok((rollout_status::SPEC_UPDATE.to_owned(), false));
    }
    let timed_out = status.conditions.iter().flatten().any(|c| {
        c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
    });
    if timed_out {
        return Err(KubectlError::msg(rollout_status::deadline_exceeded(name)));
    }
    let desired = d.spec.as_ref().and_then(|s| s.replicas);
    let updated = status.updated_replicas.unwrap_or(0);
    let replicas = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    if let Some(desired) = desired.filter(|d| updated < *d) {
        return Ok((rollout_status::updated(name, updated, desired), false));
    }
    if replicas > updated {
        return Ok((rollout_status::old_pending(name, replicas - updated), false));
    }
    if available < updated {
        return Ok((rollout_status::available(name, available, updated), false));
    }
    Ok((rollout_status::done(name), true))
}

/// `kubectl rollout status`: prints the status on every change of the
/// Deployment until the rollout is done (the simulator's clock runs while
/// it watches); `--watch=false` prints it once.
pub fn status(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let watch = ctx.inv.value("watch").is_none_or(|w| w != "false");
    let revision = ctx.inv.int("revision").unwrap_or(0);
    for (kind, name, _) in deployments(ctx)? {
        if kind == Kind::DaemonSet {
            super::rollout_daemonset::status(ctx, &name, watch)?;
            continue;
        }
        if super::rollout_statefulset::is_statefulset(kind) {
            super::rollout_statefulset::status(ctx, &name, watch)?;
            continue;
        }
        watch_status(ctx, watch, |ctx| {
            let d = get_deployment(ctx, kind, &name)?;
            if revision > 0 {
                let current = d
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(deployutil::REVISION))
                    .and_then(|r| r.parse::<i64>().ok())
                    .unwrap_or(0);
                if current != revision {
                    return Err(KubectlError::msg(format!(
                        "desired revision ({revision}) is different from the running revision ({current})"
                    )));
                }
            }
            let (message, done) = status_message(&d)?;
            Ok((d.metadata.resource_version, message, done))
        })?;
    }
    Ok(())
}

/// One observation of a rolling-out object: its resourceVersion, the status
/// viewer's message and whether the rollout is done.
pub(super) type StatusObservation = (Option<String>, String, bool);

/// The watch behind `kubectl rollout status` (`UntilWithSync` on one object,
/// `rollout_status.go`), for Deployments and DaemonSets alike: print the
/// viewer's message each time the object changes, until it is done, or
/// `--watch=false`, or the reader presses Ctrl-C once the lines they wait
/// for are printed (a rollout stuck on an image that cannot be pulled), or
/// the simulator has nothing left to do.
pub(super) fn watch_status(
    ctx: &mut Ctx<'_>,
    watch: bool,
    mut observe: impl FnMut(&mut Ctx<'_>) -> Result<StatusObservation, KubectlError>,
) -> Result<(), KubectlError> {
    let mut last_version: Option<String> = None;
    for _ in 0..MAX_STATUS_STEPS {
        let (version, message, done) = observe(ctx)?;
        if version != last_version {
            last_version = version;
            ctx.stdout(message);
            if done || !watch {
                break;
            }
            if ctx.interrupt.is_some_and(|i| (i.printed)(&ctx.out.merged())) {
                break;
            }
        }
        if ctx.cluster.step().is_none() {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{
        kubectl::tests::ok,
        sim::{Cluster, profile},
        version::KubeVersion,
    };

    /// [`crate::version::Fact::DeploymentsResolveToApps`]: up to v1.15 a
    /// bare `deployment` resolves to extensions, and `set image` and the
    /// rollout verbs name that group as `scale` does.
    #[test]
    fn set_image_and_rollout_name_the_resolved_group() {
        for (minor, group) in [(15, "extensions"), (16, "apps")] {
            let mut config = profile("kubeadm").expect("kubeadm profile");
            config.version = KubeVersion::new(1, minor, 0);
            let mut c = Cluster::new(config);
            ok(&mut c, "kubectl create deployment web --image=nginx");
            assert_eq!(
                ok(&mut c, "kubectl set image deployment web nginx=nginx:1.19"),
                format!("deployment.{group}/web image updated\n")
            );
            assert!(
                ok(&mut c, "kubectl rollout history deployment web")
                    .starts_with(&format!("deployment.{group}/web \n")),
            );
            assert_eq!(
                ok(&mut c, "kubectl rollout pause deploy/web"),
                format!("deployment.{group}/web paused\n")
            );
            // A resource typed with its group is sent there.
            assert_eq!(
                ok(&mut c, "kubectl rollout resume deployments.apps/web"),
                "deployment.apps/web resumed\n"
            );
        }
    }
}
