//! `kubectl edit` (`pkg/cmd/edit/edit.go`, `pkg/cmd/util/editor`) without an
//! editor: a scenario's `edit=KIND/NAME` block holds the object as the user
//! left it in the editor, and this verb applies it.
//!
//! kubectl computes a patch between the object it opened and the edited text;
//! here the edited manifest is merged over the live object (maps merged key
//! by key, lists and scalars replaced), so a block may show the whole object
//! or only the part the tutorial changed. Removing a field is therefore not
//! expressible — a documented limit.

use serde_json::Value;

use super::Ctx;
use crate::{
    kubectl::{
        error::KubectlError,
        messages,
        resource::{self, Request},
    },
    sim::{Kind, Object, ObjectRef},
    workspace::edit_path,
};

/// `Edit cancelled, no changes made.` (`editor.go`, printed on stdout).
const NO_CHANGES: &str = "Edit cancelled, no changes made.\n";

/// Runs `kubectl edit`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let namespace = ctx.namespace();
    let requests = resource::parse(ctx.cluster.registry(), &ctx.inv.args, false)?;
    if requests.is_empty() {
        return Err(KubectlError::msg(
            "error: you must provide one or more resources by argument or filename.",
        ));
    }
    for request in requests {
        let Request::Named(kind, name) = request else {
            return Err(KubectlError::msg(
                "kubeplay: `kubectl edit` of a whole list needs one edit= block per object; name the object",
            ));
        };
        let r = if kind.info().namespaced {
            ObjectRef::namespaced(kind, &namespace, &name)
        } else {
            ObjectRef::cluster(kind, &name)
        };
        let live = ctx.cluster.get(&r)?.clone();
        let Some(edited) = edited_text(ctx, kind, &name) else {
            return Err(KubectlError::msg(format!(
                "kubeplay cannot open an editor: add an ```yaml edit={}/{name} block with the \
                 edited object before this command",
                kind.info().singular
            )));
        };
        let patch = crate::yaml::from_str_yaml11::<Value>(&edited).map_err(|e| {
            KubectlError::msg(format!("error: the edited file had a syntax error: {e}"))
        })?;
        let mut merged = live.to_value();
        merge(&mut merged, &patch);
        let updated = Object::from_value_as(kind, merged).map_err(|e| {
            KubectlError::msg(format!(
                "error: the edited object is not a valid {}: {e}",
                kind.info().kind_name
            ))
        })?;
        if updated.to_value() == live.to_value() {
            ctx.stdout(NO_CHANGES);
            continue;
        }
        ctx.cluster.update(updated)?;
        ctx.stdout(messages::name_printer(kind, &name, "edited"));
    }
    Ok(())
}

/// The edit block for this object, under any spelling of its kind the
/// scenario used (`deployment/web`, `deploy/web`, `deployments/web`).
fn edited_text(ctx: &Ctx<'_>, kind: Kind, name: &str) -> Option<String> {
    let info = kind.info();
    let lower = info.kind_name.to_ascii_lowercase();
    let spellings = [info.singular, info.plural, lower.as_str()]
        .into_iter()
        .chain(info.short_names.iter().copied());
    spellings
        .map(|k| edit_path(&format!("{k}/{name}")))
        .find_map(|path| ctx.workspace.read(&path).map(str::to_owned))
}

/// JSON merge of `patch` over `target`: objects key by key, the rest replaced.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (key, value) in p {
                match t.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        t.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_unmentioned_fields() {
        let mut live =
            serde_json::json!({"spec": {"replicas": 1, "paused": false}, "status": {"x": 1}});
        merge(&mut live, &serde_json::json!({"spec": {"replicas": 3}}));
        assert_eq!(
            live,
            serde_json::json!({"spec": {"replicas": 3, "paused": false}, "status": {"x": 1}})
        );
    }
}
