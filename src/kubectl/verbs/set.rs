//! `kubectl set image` (`pkg/cmd/set/set_image.go`).

use super::Ctx;
use crate::{
    kubectl::{
        deployutil::CHANGE_CAUSE,
        error::KubectlError,
        messages,
        resource::{self, Request},
    },
    sim::{Object, ObjectRef},
};

/// Runs `kubectl set image RESOURCE CONTAINER=IMAGE...`.
pub fn image(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let dry_run = super::print_flags::DryRun::from_ctx(ctx)?;
    let (pairs, resources): (Vec<String>, Vec<String>) =
        ctx.inv.args.iter().cloned().partition(|a| a.contains('='));
    if pairs.is_empty() {
        return Err(KubectlError::msg(messages::usage_error(
            messages::SET_IMAGE_NEEDS_IMAGES,
            "kubectl set image",
        )));
    }
    let images: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|p| p.split_once('='))
        .map(|(c, i)| (c.to_owned(), i.to_owned()))
        .collect();
    let namespace = ctx.namespace();
    let cause = super::create::record_cause(ctx);
    let mut errors = Vec::new();
    for request in resource::parse(ctx.cluster.registry(), &resources, false)? {
        let Request::Named(kind, name) = request else { continue };
        let before = ctx.cluster.get(&ObjectRef::namespaced(kind, &namespace, &name))?.clone();
        let mut object = before.clone();
        let Some(spec) = pod_spec_mut(&mut object) else {
            errors.push(KubectlError::msg(format!(
                "error: {}/{name} the object is not a pod or does not have a pod template",
                kind.info().plural
            )));
            continue;
        };
        for (container, image) in &images {
            let mut found = false;
            for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
                if container == "*" || &c.name == container {
                    c.image = Some(image.clone());
                    found = true;
                }
            }
            if !found {
                errors.push(KubectlError::msg(format!(
                    "error: {}",
                    messages::container_not_found(container)
                )));
            }
        }
        if let Some(cause) = &cause {
            super::create::annotate(&mut object, CHANGE_CAUSE, cause);
        }
        if object == before {
            continue;
        }
        // `--dry-run=client` prints the object as changed on the client.
        let result = super::print_flags::update(ctx, dry_run, object)?;
        super::print_flags::print_object(ctx, &result, &dry_run.operation("image updated"))?;
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

/// `UpdatePodSpecForObject`: the pod spec a workload carries.
pub fn pod_spec_mut(object: &mut Object) -> Option<&mut k8s_openapi::api::core::v1::PodSpec> {
    match object {
        Object::Pod(p) => p.spec.as_mut(),
        Object::Deployment(d) => d.spec.as_mut().and_then(|s| s.template.spec.as_mut()),
        Object::ReplicaSet(rs) => {
            rs.spec.as_mut().and_then(|s| s.template.as_mut()).and_then(|t| t.spec.as_mut())
        }
        Object::DaemonSet(ds) => ds.spec.as_mut().and_then(|s| s.template.spec.as_mut()),
        Object::Job(j) => j.spec.as_mut().and_then(|s| s.template.spec.as_mut()),
        Object::CronJob(cj) => cj
            .spec
            .as_mut()
            .and_then(|s| s.job_template.spec.as_mut())
            .and_then(|j| j.template.spec.as_mut()),
        _ => None,
    }
}
