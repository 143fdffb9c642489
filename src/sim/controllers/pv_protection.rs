//! The PV protection controller (`pkg/controller/volume/pvprotection/
//! pv_protection_controller.go`): a PersistentVolume being deleted keeps
//! its `kubernetes.io/pv-protection` finalizer while its phase is `Bound`
//! (`isBeingUsed`), and loses it — and with it the object — once the
//! volume controller has moved it on (`Released` after its claim went,
//! `Available`, `Failed`). A volume that is not being deleted and lacks
//! the finalizer gets it. One volume per call.

use super::{Controller, View, Write, persistentvolume::pv_kind, pvc_protection::with_finalizer};
use crate::sim::admission::storage_protection::PV_FINALIZER;

/// The PV protection controller.
pub struct PvProtection;

impl Controller for PvProtection {
    fn name(&self) -> &'static str {
        "pv-protection-controller"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        for volume in view.store.list(pv_kind(), None) {
            let meta = volume.meta();
            let has = meta.finalizers.iter().flatten().any(|f| f == PV_FINALIZER);
            let deleting = meta.deletion_timestamp.is_some();
            let bound = volume.to_value().pointer("/status/phase").and_then(|p| p.as_str())
                == Some("Bound");
            if deleting && has && !bound {
                return vec![Write::Update(with_finalizer(volume, false))];
            }
            if !deleting && !has {
                return vec![Write::Update(with_finalizer(volume, true))];
            }
        }
        Vec::new()
    }
}
