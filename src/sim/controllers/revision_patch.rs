//! The `data` of a DaemonSet's or StatefulSet's ControllerRevision: the
//! patch `getPatch` builds (`pkg/controller/daemon/update.go`,
//! `pkg/controller/statefulset/stateful_set_utils.go`), which replaces
//! `spec.template` with the object's template.

use k8s_openapi::api::core::v1::PodTemplateSpec;
use serde_json::{Value, json};

use crate::version::{Fact, KubeVersion};

/// `{"spec": {"template": {..., "$patch": "replace"}}}`. `getPatch`
/// marshals the Go template with `encoding/json`: its ObjectMeta's zero
/// `creationTimestamp` is written `null` until apimachinery marks the field
/// `omitzero` (v0.34, [`Fact::ZeroCreationTimestampOmitted`]), and left out
/// from then on (the real v1.35.4 controllers store no timestamp).
pub fn revision_patch(template: &PodTemplateSpec, version: KubeVersion) -> Value {
    let mut template = serde_json::to_value(template).unwrap_or_default();
    template["$patch"] = json!("replace");
    if !version.has(Fact::ZeroCreationTimestampOmitted) {
        template["metadata"]["creationTimestamp"] = Value::Null;
    }
    json!({"spec": {"template": template}})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both sides of v1.34: `creationTimestamp: null` in the revision's
    /// template up to v1.33, no such key from v1.34.
    #[test]
    fn revision_patch_zero_timestamp_by_version() {
        let since = Fact::ZeroCreationTimestampOmitted.change().since;
        let template: PodTemplateSpec = serde_json::from_value(json!({
            "metadata": {"labels": {"app": "a"}},
            "spec": {"containers": [{"name": "c", "image": "busybox"}]}
        }))
        .unwrap();
        let before = revision_patch(&template, KubeVersion::new(1, since - 1, 0));
        let meta = &before["spec"]["template"]["metadata"];
        assert_eq!(meta.get("creationTimestamp"), Some(&Value::Null));
        let after = revision_patch(&template, KubeVersion::new(1, since, 0));
        let meta = &after["spec"]["template"]["metadata"];
        assert_eq!(meta.get("creationTimestamp"), None);
        assert_eq!(meta["labels"]["app"], "a");
        assert_eq!(after["spec"]["template"]["$patch"], "replace");
    }
}
