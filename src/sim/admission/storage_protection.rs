//! The `StorageObjectInUseProtection` admission plugin
//! (`plugin/pkg/admission/storage/storageobjectinuseprotection/
//! admission.go`): every new PersistentVolume gets the
//! `kubernetes.io/pv-protection` finalizer and every new claim the
//! `kubernetes.io/pvc-protection` one, so a deleted volume or claim stays
//! `Terminating` until the pv-protection or pvc-protection controller
//! ([`crate::sim::controllers::pv_protection`],
//! [`crate::sim::controllers::pvc_protection`]) finds it unused.
//!
//! The plugin is in kube-apiserver's default-on list from the release its
//! feature went GA (v1.11; beta and on in v1.10), so every version of the
//! span has it.

use crate::sim::{controllers::persistentvolume::pv_kind, object::Object, quota::pvc_kind};

/// The finalizer on PersistentVolumes (`volumeutil.PVProtectionFinalizer`).
pub const PV_FINALIZER: &str = "kubernetes.io/pv-protection";
/// The finalizer on claims (`volumeutil.PVCProtectionFinalizer`).
pub const PVC_FINALIZER: &str = "kubernetes.io/pvc-protection";

/// The finalizer the plugin adds to objects of `object`'s kind, if any.
pub fn finalizer_for(object: &Object) -> Option<&'static str> {
    let kind = object.kind();
    if kind == pv_kind() {
        Some(PV_FINALIZER)
    } else if kind == pvc_kind() {
        Some(PVC_FINALIZER)
    } else {
        None
    }
}

/// `Admit` on a create: appends the finalizer unless already present.
pub fn admit(object: &mut Object) {
    let Some(finalizer) = finalizer_for(object) else {
        return;
    };
    let finalizers = object.meta_mut().finalizers.get_or_insert_with(Vec::new);
    if !finalizers.iter().any(|f| f == finalizer) {
        finalizers.push(finalizer.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(finalizers: serde_json::Value) -> Object {
        Object::from_value_as(
            pvc_kind(),
            serde_json::json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": {"name": "c", "namespace": "default", "finalizers": finalizers},
                "spec": {}}),
        )
        .unwrap()
    }

    #[test]
    fn a_new_claim_gets_the_pvc_finalizer_once_after_its_own() {
        let mut c = claim(serde_json::json!(["example.com/mine"]));
        admit(&mut c);
        admit(&mut c);
        assert_eq!(
            c.meta().finalizers.as_deref().unwrap(),
            ["example.com/mine".to_owned(), PVC_FINALIZER.to_owned()]
        );
    }

    #[test]
    fn other_kinds_are_left_alone() {
        let mut cm = Object::from_value(serde_json::json!({"apiVersion": "v1",
            "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "default"}}))
        .unwrap();
        admit(&mut cm);
        assert!(cm.meta().finalizers.is_none());
    }
}
