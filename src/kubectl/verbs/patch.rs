//! `kubectl patch` (`pkg/cmd/patch/patch.go` v1.22): a strategic merge
//! (default), JSON merge or JSON patch sent to the server for each object
//! named by `TYPE NAME`, `TYPE/NAME` or `-f FILE`; `patched`, or `patched
//! (no change)` when the server's answer equals the object kubectl read
//! first. `--dry-run=client` and `--local` patch the object on the client.
//! From kubectl 1.18 a dry run prints no `(dry run)` mark
//! ([`Fact::PatchDryRunUnmarked`]).
//!
//! The server side (the patch applied to the live object, then the same
//! admission and validation as any update, the status ignored, a no-op
//! not written) is [`crate::kubectl::patch`] plus
//! [`crate::sim::Cluster::update_from_client`].

use super::{
    Ctx,
    print_flags::{DryRun, print_object},
};
use crate::{
    kubectl::{
        args::go_quote,
        deployutil::CHANGE_CAUSE,
        error::KubectlError,
        messages,
        patch::{self, PatchType, TYPE_NAMES},
        resource::{self, Request},
    },
    sim::{ApiError, Kind, Object, ObjectRef},
    version::Fact,
};

/// One object the builder visits: where it is, and the object kubectl
/// holds for it (read from the server, or the file's).
struct Target {
    r: ObjectRef,
    held: Result<Object, ApiError>,
}

/// Runs `kubectl patch`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    // Complete.
    let dry_run = DryRun::from_ctx(ctx)?;
    let namespace = ctx.namespace();
    // Validate.
    let patch_text = inv.value("patch").unwrap_or_default().to_owned();
    let patch_file = inv.value("patch-file").unwrap_or_default().to_owned();
    let local = inv.bool("local");
    if !patch_text.is_empty() && !patch_file.is_empty() {
        return Err(KubectlError::msg("cannot specify --patch and --patch-file together"));
    }
    if patch_text.is_empty() && patch_file.is_empty() {
        return Err(KubectlError::msg(
            "must specify --patch or --patch-file containing the contents of the patch",
        ));
    }
    if local && !inv.args.is_empty() {
        return Err(KubectlError::msg("cannot specify --local and server resources"));
    }
    if local && dry_run == DryRun::Server {
        return Err(KubectlError::msg(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    // `patch.go` Validate: the subresources kubectl can patch.
    let subresource = inv.value("subresource").unwrap_or_default().to_owned();
    match subresource.as_str() {
        "" | "status" => {}
        "scale" => return Err(KubectlError::unsupported("kubectl patch --subresource=scale")),
        other => {
            return Err(KubectlError::msg(format!(
                "invalid subresource value: {}. Must be one of [status scale]",
                go_quote(other)
            )));
        }
    }
    let type_name = inv.value("type").unwrap_or("strategic");
    let patch_type = if type_name.is_empty() {
        PatchType::Strategic
    } else {
        PatchType::parse(type_name).ok_or_else(|| {
            KubectlError::msg(format!(
                "--type must be one of {TYPE_NAMES}, not {}",
                go_quote(type_name)
            ))
        })?
    };

    // RunPatch.
    let bytes = if patch_file.is_empty() {
        patch_text.clone()
    } else {
        match ctx.workspace.read(&patch_file) {
            Some(text) => text.to_owned(),
            None => {
                return Err(KubectlError::msg(format!(
                    "unable to read patch file: open {patch_file}: no such file or directory"
                )));
            }
        }
    };
    // `patch.go` quotes `o.Patch`, even when the patch came from a file.
    let json = patch::to_json(&bytes).map_err(|e| {
        KubectlError::msg(format!("unable to parse {}: {e}", go_quote(&patch_text)))
    })?;

    let targets = targets(ctx, &namespace, local)?;
    let cause = super::create::record_cause(ctx);
    let mut count = 0;
    let mut errors = Vec::new();
    for target in targets {
        let held = match target.held {
            Ok(o) => o,
            Err(e) => {
                errors.push(e.into());
                continue;
            }
        };
        count += 1;
        let result = if local || dry_run == DryRun::Client {
            patch_on_client(ctx, &held, &json, patch_type, dry_run)
        } else {
            let status = subresource == "status";
            patch_on_server(
                ctx,
                &target.r,
                &held,
                &json,
                patch_type,
                dry_run,
                cause.as_deref(),
                status,
            )
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(KubectlError::Aggregate(errors));
    }
    if count == 0 {
        return Err(KubectlError::msg("no objects passed to patch"));
    }
    Ok(())
}

/// The builder: `-f FILE` (the file's objects; with `--local`, as they
/// are) or resource arguments (each read from the server).
fn targets(ctx: &mut Ctx<'_>, namespace: &str, local: bool) -> Result<Vec<Target>, KubectlError> {
    let args = &ctx.inv.args;
    if !ctx.filename_options().is_empty() {
        if args.iter().any(|a| a.contains('/')) {
            return Err(KubectlError::msg(
                "resource/name arguments cannot be provided when a path is specified",
            ));
        }
        if !args.is_empty() {
            return Err(KubectlError::msg(messages::PATHS_AND_RESOURCE_ARGS));
        }
        let manifests = ctx.read_manifests_in(namespace)?;
        return Ok(manifests
            .into_iter()
            .map(|m| Target { r: m.object.object_ref(), held: Ok(m.object) })
            .collect());
    }
    if local {
        return Err(KubectlError::msg(messages::MISSING_RESOURCE));
    }
    let mut out = Vec::new();
    for request in resource::parse(ctx.cluster.registry(), args, false)? {
        let Request::Named(kind, name) = request else { continue };
        let r = object_ref(kind, namespace, &name);
        let held = ctx.cluster.get(&r).cloned();
        out.push(Target { r, held });
    }
    Ok(out)
}

fn object_ref(kind: Kind, namespace: &str, name: &str) -> ObjectRef {
    if kind.info().namespaced {
        ObjectRef::namespaced(kind, namespace, name)
    } else {
        ObjectRef::cluster(kind, name)
    }
}

/// The server's PATCH: the patch applied to the live object, the result
/// decoded, checked against the URL's name, then updated like any PUT. On
/// `…/status` (`status`), only the status of the result is kept, as the
/// status strategy's `PrepareForUpdate` restores everything else.
#[allow(clippy::too_many_arguments)]
fn patch_on_server(
    ctx: &mut Ctx<'_>,
    r: &ObjectRef,
    held: &Object,
    json: &str,
    patch_type: PatchType,
    dry_run: DryRun,
    cause: Option<&str>,
    status: bool,
) -> Result<(), KubectlError> {
    let live = ctx.cluster.get(r)?.clone();
    let decode_first = ctx.has(Fact::PatchDecodedWithFieldValidation);
    if decode_first {
        for w in patch::strict_decoding_warnings(json, patch_type) {
            ctx.stderr(format!("Warning: {w}\n"));
        }
    }
    let patched = patched_object(&live, json, patch_type, decode_first)?;
    let server_dry_run = dry_run == DryRun::Server;
    let mut result = if status {
        ctx.cluster.update_status_from_client(patched, server_dry_run)?
    } else {
        ctx.cluster.update_from_client(patched, server_dry_run)?.0
    };
    let did_patch = result.to_value() != held.to_value();
    if let Some(cause) = cause
        && dry_run == DryRun::None
        && !status
    {
        let mut recorded = result.clone();
        super::create::annotate(&mut recorded, CHANGE_CAUSE, cause);
        if let Ok((o, _)) = ctx.cluster.update_from_client(recorded, false) {
            result = o;
        }
    }
    let operation = patch_operation(ctx, dry_run, did_patch);
    print_object(ctx, &result, &operation)
}

/// `getPatchedJSON` on the client (`--local`, `--dry-run=client`), with
/// the Go libraries' own error texts.
fn patch_on_client(
    ctx: &mut Ctx<'_>,
    held: &Object,
    json: &str,
    patch_type: PatchType,
    dry_run: DryRun,
) -> Result<(), KubectlError> {
    let info = held.kind().info();
    let mut value = patch::apply_on_client(info.kind_name, &held.to_value(), json, patch_type)
        .map_err(KubectlError::msg)?;
    if let Some(m) = value.as_object_mut() {
        m.insert("apiVersion".into(), info.api_version().into());
        m.insert("kind".into(), info.kind_name.into());
    }
    let patched =
        Object::from_value_as(held.kind(), value).map_err(|e| KubectlError::msg(e.to_string()))?;
    let did_patch = patched.to_value() != held.to_value();
    let operation = patch_operation(ctx, dry_run, did_patch);
    print_object(ctx, &patched, &operation)
}

/// `patchOperation(didPatch)` as the name printer shows it. Before kubectl
/// 1.18 `ToPrinter` completed it with `%s (dry run)`; from 1.18
/// `PrintFlagsWithDryRunStrategy` marks the operation in `Complete` and
/// `ToPrinter` overwrites it afterwards, so no mark survives.
fn patch_operation(ctx: &Ctx<'_>, dry_run: DryRun, did_patch: bool) -> String {
    let operation = if did_patch { "patched" } else { "patched (no change)" };
    if ctx.env().has(Fact::PatchDryRunUnmarked) {
        operation.to_owned()
    } else {
        dry_run.operation(operation)
    }
}

/// The patch applied to `live` and decoded back into an object, with the
/// server's checks of the result.
fn patched_object(
    live: &Object,
    json: &str,
    patch_type: PatchType,
    decode_first: bool,
) -> Result<Object, KubectlError> {
    let kind = live.kind();
    let info = kind.info();
    let mut value = patch::apply(info.kind_name, &live.to_value(), json, patch_type, decode_first)?;
    // The server decodes into the type the URL names.
    if let Some(m) = value.as_object_mut() {
        m.insert("apiVersion".into(), info.api_version().into());
        m.insert("kind".into(), info.kind_name.into());
    }
    let object = Object::from_value_as(kind, value.clone()).map_err(|e| {
        // `applyPatchToObject` / `applyPatchToCurrentObject`: a result that
        // does not decode is a 422 about the patch.
        let shown = match patch_type {
            PatchType::Strategic => {
                patch::gojson::parse(json).map(|p| patch::strategic::go_v(&p)).unwrap_or_default()
            }
            _ => serde_json::to_string(&value).unwrap_or_default(),
        };
        ApiError::InvalidRequest {
            causes: vec![format!(
                "patch: Invalid value: {}: {}",
                go_quote(&shown),
                decode_error(&e.to_string())
            )],
        }
    })?;
    // `checkName`.
    if object.name() != live.name() {
        return Err(ApiError::BadRequest(format!(
            "the name of the object ({}) does not match the name on the URL ({})",
            object.name(),
            live.name()
        ))
        .into());
    }
    if let (Some(ns), Some(url_ns)) = (object.namespace(), live.namespace())
        && !ns.is_empty()
        && ns != url_ns
    {
        return Err(ApiError::BadRequest(format!(
            "the namespace of the object ({ns}) does not match the namespace on the URL ({url_ns})"
        ))
        .into());
    }
    Ok(object)
}

/// `runtime.DefaultUnstructuredConverter.FromUnstructured`'s error for a
/// value of the wrong JSON type: `unrecognized type: <Go kind>`.
fn decode_error(serde: &str) -> String {
    const KINDS: &[(&str, &str)] = &[
        ("expected i32", "int32"),
        ("expected i64", "int64"),
        ("expected a boolean", "bool"),
        ("expected a string", "string"),
        ("expected f64", "float64"),
    ];
    KINDS
        .iter()
        .find(|(needle, _)| serde.contains(needle))
        .map(|(_, kind)| format!("unrecognized type: {kind}"))
        .unwrap_or_else(|| serde.to_owned())
}

#[cfg(test)]
mod tests {
    use crate::{
        kubectl::tests::{fails, kubeadm, ok},
        sim::{Kind, ObjectRef},
    };

    fn rv(c: &crate::sim::Cluster) -> Option<String> {
        let r = ObjectRef::namespaced(Kind::Deployment, "default", "web");
        c.get(&r).unwrap().meta().resource_version.clone()
    }

    #[test]
    fn a_no_op_patch_is_not_written() {
        let mut c = kubeadm();
        ok(&mut c, "kubectl create deployment web --image=nginx");
        c.settle(1000);
        let before = rv(&c);
        let out = ok(&mut c, r#"kubectl patch deployment web -p {"spec":{"replicas":1}}"#);
        assert_eq!(out, "deployment.apps/web patched (no change)\n");
        assert_eq!(rv(&c), before);
    }

    #[test]
    fn status_in_a_patch_is_ignored_and_server_dry_run_stores_nothing() {
        let mut c = kubeadm();
        ok(&mut c, "kubectl create deployment web --image=nginx");
        c.settle(1000);
        let out = ok(&mut c, r#"kubectl patch deployment web -p {"status":{"replicas":7}}"#);
        assert_eq!(out, "deployment.apps/web patched (no change)\n");
        let before = rv(&c);
        let out = ok(
            &mut c,
            r#"kubectl patch deployment web -p {"spec":{"replicas":4}} --dry-run=server -o jsonpath={.spec.replicas}"#,
        );
        assert_eq!(out, "4");
        assert_eq!(rv(&c), before);
    }

    #[test]
    fn a_stale_resource_version_in_a_patch_conflicts() {
        let mut c = kubeadm();
        ok(&mut c, "kubectl create deployment web --image=nginx");
        let err = fails(
            &mut c,
            r#"kubectl patch deployment web -p {"metadata":{"resourceVersion":"1"},"spec":{"replicas":2}}"#,
        );
        assert_eq!(
            err,
            "Error from server (Conflict): Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again\n"
        );
    }
}
