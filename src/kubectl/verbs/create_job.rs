//! `kubectl create job` (`pkg/cmd/create/create_job.go`) and `kubectl
//! create cronjob` (`create_cronjob.go`), v1.22.

use serde_json::{Value, json};

use super::{Ctx, create::name_arg, print_flags::DryRun};
use crate::{
    kubectl::{error::KubectlError, resource},
    sim::{Kind, Object, ObjectRef},
};

/// The command after `--`, if any.
fn command_args(ctx: &Ctx<'_>) -> Vec<String> {
    ctx.inv.args.iter().skip(1).cloned().collect()
}

/// `{name, image, command}`, the one container both commands build.
fn container(name: &str, image: &str, command: &[String]) -> Value {
    let mut c = json!({"name": name, "image": image});
    if !command.is_empty() {
        c["command"] = json!(command);
    }
    c
}

/// Creates the object `value` as `--dry-run` says (printing it with
/// `-o`); the API error is wrapped as `failed to create KIND: ...`
/// (`fmt.Errorf` with the status error's message).
pub(super) fn create(ctx: &mut Ctx<'_>, value: Value, what: &str) -> Result<(), KubectlError> {
    let dry_run = DryRun::from_ctx(ctx)?;
    let local = super::generated::local(&value, ctx.explicit_namespace(), ctx.minor);
    // Resolved as served (a quota is stored generically).
    let api_version = value["apiVersion"].as_str().unwrap_or_default();
    let kind = value["kind"].as_str().unwrap_or_default();
    let object = match ctx.cluster.registry().for_manifest(api_version, kind) {
        Some(kind) => Object::from_value_as(kind, value),
        None => Object::from_value(value),
    }
    .map_err(|e| KubectlError::msg(e.to_string()))?;
    match super::print_flags::create(ctx, dry_run, &local, object) {
        Err(KubectlError::Api(err)) => {
            Err(KubectlError::msg(format!("failed to create {what}: {err}")))
        }
        other => other,
    }
}

/// `kubectl create job NAME --image=I [-- CMD...]` or `kubectl create job
/// NAME --from=cronjob/X`.
pub fn job(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let command = command_args(ctx);
    let image = ctx.inv.value("image").unwrap_or_default().to_owned();
    let from = ctx.inv.value("from").unwrap_or_default().to_owned();
    // `CreateJobOptions.Validate`.
    if image.is_empty() == from.is_empty() {
        return Err(KubectlError::msg("either --image or --from must be specified"));
    }
    if !command.is_empty() && !from.is_empty() {
        return Err(KubectlError::msg("cannot specify --from and command"));
    }
    let namespace = ctx.namespace();
    let value = if from.is_empty() {
        json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"template": {"spec": {
                "containers": [container(&name, &image, &command)],
                "restartPolicy": "Never"
            }}}
        })
    } else {
        let requests = resource::parse(ctx.cluster.registry(), std::slice::from_ref(&from), false)?;
        let [resource::Request::Named(kind, source)] = requests.as_slice() else {
            return Err(KubectlError::msg("from must be an existing cronjob"));
        };
        if *kind != Kind::CronJob {
            return Err(KubectlError::msg(format!(
                "unknown object type *v1.{}",
                kind.info().kind_name
            )));
        }
        let r = ObjectRef::namespaced(Kind::CronJob, &namespace, source);
        let Object::CronJob(cj) = ctx.cluster.get(&r)?.clone() else {
            return Err(KubectlError::msg("from must be an existing cronjob"));
        };
        from_cronjob(&name, &namespace, &cj)
    };
    create(ctx, value, "job")
}

/// `createJobFromCronJob`: the job template, annotated as a manual run,
/// controlled by the CronJob (without blockOwnerDeletion).
fn from_cronjob(name: &str, namespace: &str, cj: &k8s_openapi::api::batch::v1::CronJob) -> Value {
    let template = cj.spec.as_ref().map(|s| s.job_template.clone()).unwrap_or_default();
    let tmeta = template.metadata.unwrap_or_default();
    let mut annotations = serde_json::Map::new();
    annotations.insert("cronjob.kubernetes.io/instantiate".to_owned(), json!("manual"));
    for (k, v) in tmeta.annotations.unwrap_or_default() {
        annotations.insert(k, json!(v));
    }
    let mut metadata = json!({
        "name": name,
        "namespace": namespace,
        "annotations": annotations,
        "ownerReferences": [{
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": cj.metadata.name,
            "uid": cj.metadata.uid,
            "controller": true
        }]
    });
    if let Some(labels) = tmeta.labels.filter(|l| !l.is_empty()) {
        metadata["labels"] = json!(labels);
    }
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": serde_json::to_value(template.spec.unwrap_or_default()).unwrap_or_default()
    })
}

/// `kubectl create cronjob NAME --image=I --schedule=S [--restart=R] [-- CMD...]`.
pub fn cronjob(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let command = command_args(ctx);
    let image = ctx.inv.value("image").unwrap_or_default().to_owned();
    let schedule = ctx.inv.value("schedule").unwrap_or_default().to_owned();
    let restart = ctx.inv.value("restart").filter(|r| !r.is_empty()).unwrap_or("OnFailure");
    let value = json!({
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name, "namespace": ctx.namespace()},
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "metadata": {"name": name},
                "spec": {"template": {"spec": {
                    "containers": [container(&name, &image, &command)],
                    "restartPolicy": restart
                }}}
            }
        }
    });
    create(ctx, value, "cronjob")
}
