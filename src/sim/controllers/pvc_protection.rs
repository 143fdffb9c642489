//! The PVC protection controller (`pkg/controller/volume/pvcprotection/
//! pvc_protection_controller.go`): a claim being deleted keeps its
//! `kubernetes.io/pvc-protection` finalizer while a scheduled pod names it
//! in a volume — whatever the pod's phase, and while the pod is itself
//! terminating — and loses it, and with it the object, once none does
//! (`processPVC`, `podUsesPVC`). A claim that is not being deleted and
//! lacks the finalizer gets it (`NeedToAddFinalizer`, for claims created
//! before the admission plugin ran). One claim per call.

use k8s_openapi::api::core::v1::Pod;

use super::{Controller, View, Write};
use crate::sim::{Object, admission::storage_protection::PVC_FINALIZER, quota::pvc_kind};

/// The PVC protection controller.
pub struct PvcProtection;

impl Controller for PvcProtection {
    fn name(&self) -> &'static str {
        "pvc-protection-controller"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        for claim in view.store.list(pvc_kind(), None) {
            let meta = claim.meta();
            let has = meta.finalizers.iter().flatten().any(|f| f == PVC_FINALIZER);
            let deleting = meta.deletion_timestamp.is_some();
            if deleting && has && !in_use(view, claim) {
                return vec![Write::Update(with_finalizer(claim, false))];
            }
            if !deleting && !has {
                return vec![Write::Update(with_finalizer(claim, true))];
            }
        }
        Vec::new()
    }
}

/// Whether a scheduled pod of the claim's namespace mounts it.
fn in_use(view: &View<'_>, claim: &Object) -> bool {
    let name = claim.name();
    view.store.all::<Pod>(claim.namespace()).any(|pod| {
        let Some(spec) = pod.spec.as_ref() else { return false };
        spec.node_name.as_deref().is_some_and(|n| !n.is_empty())
            && spec
                .volumes
                .iter()
                .flatten()
                .any(|v| v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name == name))
    })
}

/// `claim` with the finalizer added or removed (`addFinalizer`,
/// `removeFinalizer`).
pub(crate) fn with_finalizer(object: &Object, add: bool) -> Object {
    let finalizer = crate::sim::admission::storage_protection::finalizer_for(object)
        .expect("only volumes and claims carry a protection finalizer");
    let mut updated = object.clone();
    let finalizers = updated.meta_mut().finalizers.get_or_insert_with(Vec::new);
    finalizers.retain(|f| f != finalizer);
    if add {
        finalizers.push(finalizer.to_owned());
    }
    updated
}
