//! Field validation of built-in kinds stored generically, with the API
//! server's messages: the common mistakes only (required fields), from
//! `pkg/apis/core/validation/validation.go` (`ValidatePersistentVolumeClaimSpec`)
//! and `pkg/apis/storage/validation/validation.go` (`validateProvisioner`),
//! v1.22 through v1.33 alike.

use serde_json::Value;

use crate::sim::object::GenericObject;

/// The causes why `object` is invalid; empty when valid.
pub fn validate(object: &GenericObject) -> Vec<String> {
    let info = object.kind.info();
    let get = |path: &[&str]| -> Option<&Value> {
        let (first, rest) = path.split_first()?;
        rest.iter().try_fold(object.fields.get(*first)?, |v, k| v.get(k))
    };
    let mut causes = Vec::new();
    match (info.group, info.kind_name) {
        ("storage.k8s.io", "StorageClass")
            if get(&["provisioner"]).and_then(Value::as_str).unwrap_or("").is_empty() =>
        {
            causes.push("provisioner: Required value".to_owned());
        }
        ("", "PersistentVolumeClaim") => {
            if get(&["spec", "accessModes"]).and_then(Value::as_array).is_none_or(Vec::is_empty) {
                causes.push(
                    "spec.accessModes: Required value: at least 1 access mode is required"
                        .to_owned(),
                );
            }
            if get(&["spec", "resources", "requests", "storage"]).is_none() {
                causes.push("spec.resources[storage]: Required value".to_owned());
            }
        }
        _ => {}
    }
    causes
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{
        sim::{object::Object, registry::Registry},
        version::KubeVersion,
    };

    fn causes(manifest: Value) -> Vec<String> {
        let registry = Registry::for_version(KubeVersion::parse("v1.28.0").unwrap());
        let kind = registry
            .for_manifest(
                manifest["apiVersion"].as_str().unwrap(),
                manifest["kind"].as_str().unwrap(),
            )
            .unwrap();
        let Object::Generic(g) = Object::from_value_as(kind, manifest).unwrap() else {
            unreachable!()
        };
        validate(&g)
    }

    #[test]
    fn required_fields() {
        assert_eq!(
            causes(json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                "metadata": {"name": "s"}})),
            ["provisioner: Required value"]
        );
        assert_eq!(
            causes(json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": {"name": "c"}, "spec": {}})),
            [
                "spec.accessModes: Required value: at least 1 access mode is required",
                "spec.resources[storage]: Required value"
            ]
        );
        assert!(
            causes(json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": {"name": "c"}, "spec": {"accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}}}}))
            .is_empty()
        );
    }
}
