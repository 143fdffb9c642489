//! `kubectl scale` (`pkg/cmd/scale/scale.go`) and `kubectl autoscale`
//! (`pkg/cmd/autoscale/autoscale.go`).

use crate::version::Fact;
use serde_json::json;

use super::{Ctx, print_flags::DryRun};
use crate::{
    kubectl::{
        error::KubectlError,
        messages,
        resource::{self, Request},
    },
    sim::{Kind, Object, ObjectRef},
};

/// Runs `kubectl scale`.
pub fn scale(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let dry_run = DryRun::from_ctx(ctx)?;
    let replicas = ctx.inv.int("replicas").unwrap_or(-1);
    if replicas < 0 {
        return Err(KubectlError::msg(messages::SCALE_REPLICAS_REQUIRED));
    }
    // `--replicas` is a Go int in kubectl; the API server then refuses a
    // count beyond int32 while decoding the patched Scale, with a message
    // that quotes the whole patched object, which kubeplay does not
    // reproduce.
    let Ok(replicas) = i32::try_from(replicas) else {
        return Err(KubectlError::unsupported(format!(
            "the API server's error for kubectl scale --replicas={replicas} (beyond int32)"
        )));
    };
    let current = ctx.inv.int("current-replicas").unwrap_or(-1);
    if current < -1 {
        return Err(KubectlError::msg(
            "The --current-replicas must specify an integer of -1 or greater",
        ));
    }
    let namespace = ctx.namespace();
    let requests = resource::parse(ctx.cluster.registry(), &ctx.inv.args, false)?;
    let words = resource::typed_words(&ctx.inv.args);
    let cause = super::create::record_cause(ctx);
    let mut count = 0;
    for (i, request) in requests.into_iter().enumerate() {
        let Request::Named(kind, name) = request else { continue };
        let group = words.get(i).and_then(|w| resource::served_group(ctx.cluster.registry(), w));
        let r = ObjectRef::namespaced(kind, &namespace, &name);
        let mut object = ctx.cluster.get(&r)?.clone();
        // scale.go prints `info.Object`, the object as the builder read it
        // (before the scaler ran), in every mode: `-o yaml` shows the old
        // replica count.
        let read = object.clone();
        let scale_path = scale_spec_path(ctx.cluster.registry(), &object)?;
        let spec_replicas = read_replicas(&object, scale_path.as_deref());
        // A client dry run prints the object as read, before any scaler
        // (and its `--current-replicas` precondition) runs (scale.go).
        if dry_run == DryRun::Client {
            super::print_flags::print_nth_in(
                ctx,
                &read,
                group,
                &dry_run.operation("scaled"),
                count,
            )?;
            count += 1;
            continue;
        }
        if current >= 0 && i64::from(spec_replicas.unwrap_or(1)) != current {
            return Err(KubectlError::msg(messages::scale_precondition(
                current,
                spec_replicas.unwrap_or(1),
            )));
        }
        write_replicas(&mut object, scale_path.as_deref(), replicas);
        if let Some(cause) = &cause {
            super::create::annotate(&mut object, crate::kubectl::deployutil::CHANGE_CAUSE, cause);
        }
        super::print_flags::update(ctx, dry_run, object)?;
        super::print_flags::print_nth_in(ctx, &read, group, &dry_run.operation("scaled"), count)?;
        count += 1;
    }
    if count == 0 {
        return Err(KubectlError::msg(messages::NO_OBJECTS_TO_SCALE));
    }
    Ok(())
}

/// Where the scale subresource of `object`'s resource reads and writes
/// the desired replicas: `None` for the typed kinds (their `spec.replicas`),
/// a JSON path for generically stored ones (StatefulSets,
/// ReplicationControllers, custom resources whose CRD enables `scale`).
/// A resource without the subresource is a 404 on `…/scale`.
fn scale_spec_path(
    registry: &crate::sim::registry::Registry,
    object: &Object,
) -> Result<Option<String>, KubectlError> {
    let kind = object.kind();
    match object {
        Object::Deployment(_) | Object::ReplicaSet(_) => Ok(None),
        Object::Generic(_) if crate::sim::crd::is_custom(kind) => registry
            .custom_versions(kind)
            .first()
            .and_then(|v| v.scale_spec_path.clone())
            .map(Some)
            .ok_or_else(no_scale_subresource),
        Object::Generic(_)
            if matches!(
                (kind.info().group, kind.info().plural),
                ("apps", "statefulsets") | ("", "replicationcontrollers")
            ) =>
        {
            Ok(Some(".spec.replicas".to_owned()))
        }
        _ => Err(no_scale_subresource()),
    }
}

fn no_scale_subresource() -> KubectlError {
    KubectlError::Api(crate::sim::ApiError::NotServed)
}

/// The desired replicas the scale subresource reports (1 when unset).
fn read_replicas(object: &Object, path: Option<&str>) -> Option<i32> {
    match (object, path) {
        (Object::Deployment(d), _) => d.spec.as_ref().and_then(|s| s.replicas),
        (Object::ReplicaSet(rs), _) => rs.spec.as_ref().and_then(|s| s.replicas),
        (Object::Generic(g), Some(path)) => {
            let pointer = json_pointer(path);
            let body = serde_json::Value::Object(g.fields.clone());
            body.pointer(&pointer)
                .and_then(serde_json::Value::as_i64)
                .and_then(|n| i32::try_from(n).ok())
        }
        _ => None,
    }
}

fn write_replicas(object: &mut Object, path: Option<&str>, replicas: i32) {
    match (object, path) {
        (Object::Deployment(d), _) => {
            d.spec.get_or_insert_with(Default::default).replicas = Some(replicas)
        }
        (Object::ReplicaSet(rs), _) => {
            rs.spec.get_or_insert_with(Default::default).replicas = Some(replicas);
        }
        (Object::Generic(g), Some(path)) => {
            let keys: Vec<&str> = path.trim_start_matches('.').split('.').collect();
            let Some((last, parents)) = keys.split_last() else { return };
            let mut map = &mut g.fields;
            for key in parents {
                let entry = map.entry((*key).to_owned()).or_insert_with(|| json!({}));
                if !entry.is_object() {
                    *entry = json!({});
                }
                let Some(next) = entry.as_object_mut() else { return };
                map = next;
            }
            map.insert((*last).to_owned(), json!(replicas));
        }
        _ => {}
    }
}

/// `.spec.replicas` as a JSON pointer (`/spec/replicas`).
fn json_pointer(path: &str) -> String {
    path.trim_start_matches('.').split('.').map(|k| format!("/{k}")).collect()
}

/// Runs `kubectl autoscale`.
pub fn autoscale(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let max = ctx.inv.int("max").unwrap_or(-1);
    let min = ctx.inv.int("min").unwrap_or(-1);
    let cpu = ctx.inv.int("cpu-percent").unwrap_or(-1);
    if max < 1 {
        return Err(KubectlError::msg(messages::autoscale_max_required(max)));
    }
    if max < min {
        return Err(KubectlError::msg(messages::autoscale_max_below_min(max, min)));
    }
    let dry_run = DryRun::from_ctx(ctx)?;
    // v1.34's `--cpu` (a quantity or percentage) is not emulated: the
    // flag audit reports it; without it `canCreateHPAV1` always fails.
    let namespace = ctx.namespace();
    let requests = resource::parse(ctx.cluster.registry(), &ctx.inv.args, false)?;
    let cause = super::create::record_cause(ctx);
    let mut count = 0;
    for request in requests {
        let Request::Named(kind, name) = request else { continue };
        let target = ctx.cluster.get(&ObjectRef::namespaced(kind, &namespace, &name))?.clone();
        if !matches!(kind, Kind::Deployment | Kind::ReplicaSet) {
            let info = kind.info();
            return Err(KubectlError::msg(messages::cannot_autoscale(
                info.kind_name,
                info.group,
                info.version,
                info.plural,
            )));
        }
        let hpa_name = ctx.inv.value("name").filter(|n| !n.is_empty()).unwrap_or(&name).to_owned();
        let info = kind.info();
        let mut spec = json!({
            "scaleTargetRef": {"apiVersion": info.api_version(), "kind": info.kind_name, "name": target.name()},
            "maxReplicas": max
        });
        if min > 0 {
            spec["minReplicas"] = json!(min);
        }
        if cpu >= 0 {
            spec["targetCPUUtilizationPercentage"] = json!(cpu);
        }
        // kubectl up to v1.32 builds an autoscaling/v1 object (the API
        // server stores it converted to its v2 shape, with defaults); from
        // v1.33 an autoscaling/v2 one (`createHorizontalPodAutoscalerV2`),
        // the CPU target as a Resource metric.
        let v2 = ctx.has(Fact::AutoscaleCreatesV2);
        if v2
            && let Some(spec) = spec.as_object_mut()
            && let Some(cpu) = spec.remove("targetCPUUtilizationPercentage")
        {
            spec.insert(
                "metrics".into(),
                json!([{"type": "Resource", "resource": {"name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": cpu}}}]),
            );
        }
        let manifest = json!({
            "apiVersion": if v2 { "autoscaling/v2" } else { "autoscaling/v1" },
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": hpa_name, "namespace": namespace},
            "spec": spec
        });
        let mut hpa =
            Object::from_value(manifest.clone()).map_err(|e| KubectlError::msg(e.to_string()))?;
        if let Some(cause) = &cause {
            super::create::annotate(&mut hpa, crate::kubectl::deployutil::CHANGE_CAUSE, cause);
        }
        count += 1;
        match dry_run {
            // autoscale.go: a client dry run prints the generator's object
            // as `created`, and only the first one (it returns there).
            DryRun::Client => {
                // The generator's object as built, without server defaults.
                let mut manifest = manifest;
                if let Some(a) = &hpa.meta().annotations {
                    manifest["metadata"]["annotations"] = json!(a);
                }
                let local = super::generated::local(&manifest, false, ctx.minor);
                return super::print_flags::print_local(
                    ctx,
                    &local,
                    Kind::HorizontalPodAutoscaler,
                    hpa.name(),
                    &dry_run.operation("created"),
                );
            }
            DryRun::Server | DryRun::None => {
                let created = match dry_run {
                    DryRun::Server => ctx.cluster.clone().create(hpa),
                    _ => ctx.cluster.create(hpa),
                };
                // From v1.34 a failed v2 create falls back to v1 only when
                // `canCreateHPAV1`, whose `parseResourceInput(o.CPU)` fails
                // on an empty `--cpu` ("empty input"); v1.33 retried as v1
                // and returned that create's error, the same one.
                let created = match created {
                    Err(_) if ctx.has(Fact::AutoscaleNoV1Fallback) => {
                        return Err(KubectlError::msg(
                            "failed to create autoscaling/v2 HPA and the configuration is incompatible with autoscaling/v1: empty input",
                        ));
                    }
                    other => other?,
                };
                super::print_flags::print_response(
                    ctx,
                    &created,
                    &dry_run.operation("autoscaled"),
                    dry_run,
                    count - 1,
                )?;
            }
        }
    }
    if count == 0 {
        return Err(KubectlError::msg("no objects passed to autoscale"));
    }
    Ok(())
}
