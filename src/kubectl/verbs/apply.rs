//! `kubectl apply -f` (`pkg/cmd/apply/apply.go`, client-side apply):
//! `created` with the last-applied-configuration annotation when the
//! object does not exist; otherwise a three-way merge of the last applied
//! configuration, the file and the live object — `unchanged` when it
//! changes nothing, else `configured`.
//!
//! `--server-side` sends the manifest as an apply patch instead
//! ([`server_side`]): the API server merges it, records the applier as
//! the fields' manager and refuses changes to fields other managers own
//! unless `--force-conflicts`.

use serde_json::{Map, Value};

use super::{Ctx, print_flags::DryRun};
use crate::{
    kubectl::{
        deployutil::CHANGE_CAUSE,
        error::KubectlError,
        manifest,
        messages::{self, files},
    },
    sim::{Object, api::field_tracking::ApplyError},
    version::Fact,
};

/// `apply --server-side` (`apply.go` `applyOneObject`, the
/// `types.ApplyPatchType` branch): each manifest is sent as is, with the
/// field manager (`--field-manager`, default `kubectl`) and `force`; the
/// object prints `serverside-applied`.
fn server_side_apply(ctx: &mut Ctx<'_>, dry_run: DryRun) -> Result<(), KubectlError> {
    if !ctx.has(Fact::ManagedFieldsInResponses) {
        return Err(KubectlError::unsupported(
            "apply --server-side before v1.16 (the ServerSideApply feature gate is off)",
        ));
    }
    if dry_run == DryRun::Client {
        return Err(KubectlError::msg(
            "--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)",
        ));
    }
    let force = ctx.inv.bool("force-conflicts");
    let manager = crate::kubectl::field_manager::for_command(ctx.inv, ctx.minor)
        .ok_or_else(|| KubectlError::unsupported("apply --server-side's field manager"))?;
    let manifests = read_manifests(ctx)?;
    let mut errors = Vec::new();
    let mut warned: Vec<String> = Vec::new();
    for m in manifests {
        let kind = m.kind();
        let r = m.object.object_ref();
        let mut config = crate::sim::conversion::storage_form(kind, m.value.clone());
        if let (Some(ns), Some(meta)) = (&r.namespace, config["metadata"].as_object_mut()) {
            meta.insert("namespace".to_owned(), Value::String(ns.clone()));
        }
        ctx.warn_deprecated(&m, &mut warned);
        let result = match dry_run {
            DryRun::Server => ctx.cluster.clone().server_side_apply(kind, &config, &manager, force),
            _ => ctx.cluster.server_side_apply(kind, &config, &manager, force),
        };
        match result {
            Ok(o) => ctx.stdout(messages::name_printer_in(
                m.group(),
                kind,
                o.name(),
                &dry_run.operation("serverside-applied"),
            )),
            Err(ApplyError::Conflicts(c)) => {
                errors.push(KubectlError::msg(conflict_error(&c.message(), ctx.minor)));
            }
            Err(ApplyError::Api(err)) => errors.push(KubectlError::Api(err)),
            Err(ApplyError::Unknown(r, why)) => {
                errors.push(KubectlError::unsupported(why.describe(&r)));
            }
            Err(ApplyError::Unsupported(what)) => errors.push(KubectlError::unsupported(what)),
        }
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => Err(KubectlError::Aggregate(errors)),
    }
}

/// The error kubectl prints for an apply conflict (`apply.go`, the
/// `errors.IsConflict` branch): the API server's message, then how to
/// resolve it.
pub fn conflict_error(message: &str, minor: u32) -> String {
    let url = if Fact::ApplyConflictHelpServerSideApplyUrl.holds_at(minor) {
        "https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts"
    } else {
        "http://k8s.io/docs/reference/using-api/api-concepts/#conflicts"
    };
    let gap = if Fact::ApplyConflictHelpCompact.holds_at(minor) { "" } else { "\n" };
    format!(
        "{message}\n{gap}Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
{gap}See {url}"
    )
}

/// `kubectl.kubernetes.io/last-applied-configuration`.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Runs `kubectl apply`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let dry_run = DryRun::from_ctx(ctx)?;
    let server_side = ctx.inv.bool("server-side");
    // `ApplyOptions.Validate`.
    if ctx.inv.bool("force-conflicts") && !server_side {
        return Err(KubectlError::msg("--force-conflicts only works with --server-side"));
    }
    if server_side {
        return server_side_apply(ctx, dry_run);
    }
    let manifests = read_manifests(ctx)?;
    let cause = super::create::record_cause(ctx);
    let validation = crate::kubectl::field_validation::directive(ctx)?;
    let mut errors = Vec::new();
    let mut warned: Vec<String> = Vec::new();
    for m in manifests {
        let mut modified = m.value.clone();
        if let Some(cause) = &cause {
            set_annotation(&mut modified, CHANGE_CAUSE, cause);
        }
        let last_applied = last_applied_json(&modified);
        set_annotation(&mut modified, LAST_APPLIED, &last_applied);
        // The server works in the stored version: a manifest of a
        // deprecated version is converted (and its last-applied state with
        // it) before it is created or merged.
        let storage_form = |v: Value| crate::sim::conversion::storage_form(m.kind(), v);
        let modified = storage_form(modified);
        let r = m.object.object_ref();
        let group = m.group().to_owned();
        ctx.warn_deprecated(&m, &mut warned);
        let kind = r.kind;
        match ctx.cluster.get(&r).cloned() {
            Err(_) => {
                let client = dry_run == DryRun::Client;
                if let Err(e) =
                    crate::kubectl::field_validation::check(ctx, &m, "creating", validation, client)
                {
                    errors.push(e);
                    continue;
                }
                let object = Object::from_value_as(kind, modified)
                    .map_err(|e| KubectlError::msg(e.to_string()))?;
                let created = match dry_run {
                    DryRun::Client => Ok(object),
                    DryRun::Server => ctx.cluster.clone().create(object),
                    DryRun::None => ctx.cluster.create(object),
                };
                match created {
                    Ok(o) => ctx.stdout(messages::name_printer_in(
                        &group,
                        kind,
                        o.name(),
                        &dry_run.operation("created"),
                    )),
                    Err(err) => errors.push(KubectlError::ApiFromFile {
                        err,
                        verb: "creating".into(),
                        source: m.source,
                    }),
                }
            }
            // apply.go: a client dry run neither patches nor warns; the
            // object is reported `configured`.
            Ok(_) if dry_run == DryRun::Client => {
                ctx.stdout(messages::name_printer_in(
                    &group,
                    kind,
                    &r.name,
                    &dry_run.operation("configured"),
                ));
            }
            Ok(live) => {
                // The patch of an existing object is validated too; the
                // server's 422 quotes the patch as a Go map, which is not
                // modelled.
                if !m.unknown_fields.is_empty()
                    && validation != crate::kubectl::field_validation::Validation::Ignore
                {
                    errors.push(KubectlError::unsupported(format!(
                        "field validation of an apply patch with unknown field {}",
                        m.unknown_fields[0]
                    )));
                    continue;
                }
                let current = live.to_value();
                let original: Option<Value> = live
                    .meta()
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(LAST_APPLIED))
                    .and_then(|s| serde_json::from_str::<Value>(s).ok())
                    .map(storage_form);
                if original.is_none() {
                    ctx.stderr(messages::apply_missing_annotation(&format!(
                        "{}/{}",
                        kind.info().plural,
                        r.name
                    )));
                }
                let mut merged = current.clone();
                three_way_merge(&mut merged, &modified, original.as_ref());
                if merged == current {
                    ctx.stdout(messages::name_printer_in(
                        &group,
                        kind,
                        &r.name,
                        &dry_run.operation("unchanged"),
                    ));
                    continue;
                }
                let object = Object::from_value_as(kind, merged)
                    .map_err(|e| KubectlError::msg(e.to_string()))?;
                let updated = match dry_run {
                    DryRun::None => ctx.cluster.update(object),
                    _ => ctx.cluster.clone().update(object),
                };
                match updated {
                    Ok(_) => ctx.stdout(messages::name_printer_in(
                        &group,
                        kind,
                        &r.name,
                        &dry_run.operation("configured"),
                    )),
                    Err(err) => errors.push(KubectlError::ApiFromFile {
                        err,
                        verb: "applying patch".into(),
                        source: m.source,
                    }),
                }
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

fn set_annotation(value: &mut Value, key: &str, text: &str) {
    let meta = value
        .as_object_mut()
        .map(|o| o.entry("metadata").or_insert_with(|| Value::Object(Map::new())));
    if let Some(Value::Object(meta)) = meta {
        let annotations = meta.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(a) = annotations {
            a.insert(key.to_owned(), Value::String(text.to_owned()));
        }
    }
}

/// `GetModifiedConfiguration`: the object without the annotation itself
/// (but with an `annotations` map, possibly empty), as Go's JSON encoder
/// writes it: sorted keys, HTML characters escaped, a trailing newline.
pub fn last_applied_json(modified: &Value) -> String {
    let mut v = modified.clone();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        let annotations = meta.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(a) = annotations {
            a.remove(LAST_APPLIED);
        }
    }
    let text = serde_json::to_string(&v).unwrap_or_default();
    format!("{}\n", text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026"))
}

/// A simplified strategic three-way merge: fields of `modified` are set on
/// `current`; fields the last applied configuration had and `modified`
/// dropped are removed; lists of objects merge element-wise by `name` (or
/// `containerPort`), keeping fields the server defaulted.
pub fn three_way_merge(current: &mut Value, modified: &Value, original: Option<&Value>) {
    match (current, modified) {
        (Value::Object(cur), Value::Object(m)) => {
            for (k, mv) in m {
                let ov = original.and_then(|o| o.get(k));
                match cur.get_mut(k) {
                    Some(cv) if cv.is_object() && mv.is_object() => {
                        three_way_merge(cv, mv, ov);
                        // `DeploymentSpec.strategy` is `patchStrategy:"retainKeys"`:
                        // the computed patch carries `$retainKeys` with the
                        // file's keys, so live keys the file lacks (a
                        // defaulted `rollingUpdate` under `type: Recreate`) go.
                        if k == "strategy"
                            && let (Value::Object(c), Value::Object(m)) = (cv, mv)
                        {
                            c.retain(|key, _| m.contains_key(key));
                        }
                    }
                    Some(cv) if cv.is_array() && mv.is_array() => merge_list(cv, mv, ov),
                    _ => {
                        cur.insert(k.clone(), mv.clone());
                    }
                }
            }
            if let Some(Value::Object(o)) = original {
                for k in o.keys() {
                    if !m.contains_key(k) {
                        cur.remove(k);
                    }
                }
            }
        }
        (cur, m) => *cur = m.clone(),
    }
}

fn merge_key(v: &Value) -> Option<Value> {
    v.get("name").or_else(|| v.get("containerPort")).or_else(|| v.get("port")).cloned()
}

fn merge_list(current: &mut Value, modified: &Value, original: Option<&Value>) {
    let (Value::Array(cur), Value::Array(m)) = (&*current, modified) else { return };
    let keyed = m.iter().all(|e| e.is_object() && merge_key(e).is_some());
    if !keyed {
        *current = modified.clone();
        return;
    }
    let mut out = Vec::new();
    for me in m {
        let key = merge_key(me);
        let mut element =
            cur.iter().find(|c| merge_key(c) == key).cloned().unwrap_or(Value::Object(Map::new()));
        let oe =
            original.and_then(Value::as_array).and_then(|o| o.iter().find(|e| merge_key(e) == key));
        three_way_merge(&mut element, me, oe);
        out.push(element);
    }
    *current = Value::Array(out);
}

/// The objects of `-f`, as both client-side and server-side apply read them
/// (`apply.go` `Validate`, then the resource builder): at least one file,
/// and at least one object in them.
fn read_manifests(ctx: &mut Ctx<'_>) -> Result<Vec<manifest::Manifest>, KubectlError> {
    if ctx.filename_options().is_empty() {
        return Err(KubectlError::msg(messages::usage_error(
            files::MUST_SPECIFY_FILENAME,
            "kubectl apply",
        )));
    }
    let manifests = ctx.read_manifests_in(&ctx.namespace())?;
    if manifests.is_empty() {
        return Err(KubectlError::msg(files::NO_OBJECTS));
    }
    Ok(manifests)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn last_applied_has_empty_annotations_and_newline() {
        let m = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"}});
        assert_eq!(
            last_applied_json(&m),
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"name\":\"p\",\"namespace\":\"default\"}}\n"
        );
    }

    #[test]
    fn merge_keeps_server_fields_and_drops_removed_ones() {
        let mut current = json!({"spec": {"replicas": 3, "strategy": {"type": "RollingUpdate"},
            "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.7.9", "imagePullPolicy": "IfNotPresent"}]}}},
            "status": {"replicas": 3}});
        let original = json!({"spec": {"replicas": 3, "strategy": {"type": "RollingUpdate"}, "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.7.9"}]}}}});
        let modified = json!({"spec": {"replicas": 5, "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.8.1"}]}}}});
        three_way_merge(&mut current, &modified, Some(&original));
        assert_eq!(current["spec"]["replicas"], 5);
        assert!(current["spec"].get("strategy").is_none());
        assert_eq!(current["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.8.1");
        assert_eq!(
            current["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"],
            "IfNotPresent"
        );
        assert_eq!(current["status"]["replicas"], 3);
    }
}
