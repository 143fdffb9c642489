//! Tables of storage kinds: PersistentVolume, PersistentVolumeClaim,
//! StorageClass, VolumeAttachment, CSIDriver, CSINode, CSIStorageCapacity
//! (`printPersistentVolume` … `printCSIStorageCapacity`,
//! `pkg/printers/internalversion/printers.go`).
//!
//! Quantities (capacity, requests) print as stored; the API server stores
//! them in canonical form, which for the usual `10Gi`/`500Mi` is what the
//! manifest wrote.

use crate::version::Fact;
use serde_json::Value;

use super::{Handler, Row, c, w};

/// `persistentVolumeColumnDefinitions`: VolumeMode (wide) from v1.15,
/// VolumeAttributesClass from v1.29.
pub(super) const PERSISTENT_VOLUME: Handler = Handler {
    columns: |env| {
        let mut cols = vec![
            c("Name"),
            c("Capacity"),
            c("Access Modes"),
            c("Reclaim Policy"),
            c("Status"),
            c("Claim"),
            c("StorageClass"),
        ];
        if env.has(Fact::VolumeAttributesClassColumn) {
            cols.push(c("VolumeAttributesClass"));
        }
        cols.extend([c("Reason"), c("Age")]);
        if env.has(Fact::VolumeModeColumn) {
            cols.push(w("VolumeMode"));
        }
        cols
    },
    cells: |row, env| {
        let claim = row
            .object(&["spec", "claimRef"])
            .map(|r| {
                let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default();
                format!("{}/{}", s("namespace"), s("name"))
            })
            .unwrap_or_default();
        let phase = if row.deleting() { "Terminating" } else { row.str(&["status", "phase"]) };
        let mut cells = vec![
            row.name(),
            row.str(&["spec", "capacity", "storage"]).to_owned(),
            access_modes(row.array(&["spec", "accessModes"])),
            row.str(&["spec", "persistentVolumeReclaimPolicy"]).to_owned(),
            phase.to_owned(),
            claim,
            volume_class(row),
        ];
        if env.has(Fact::VolumeAttributesClassColumn) {
            cells.push(unset(row.opt_str(&["spec", "volumeAttributesClassName"])));
        }
        cells.extend([row.str(&["status", "reason"]).to_owned(), row.age(env)]);
        if env.has(Fact::VolumeModeColumn) {
            cells.push(unset(row.opt_str(&["spec", "volumeMode"])));
        }
        cells
    },
};

/// `persistentVolumeClaimColumnDefinitions`: VolumeMode (wide) from v1.15,
/// VolumeAttributesClass from v1.29. Capacity and access modes show only
/// once the claim is bound (`spec.volumeName` set).
pub(super) const PERSISTENT_VOLUME_CLAIM: Handler = Handler {
    columns: |env| {
        let mut cols = vec![
            c("Name"),
            c("Status"),
            c("Volume"),
            c("Capacity"),
            c("Access Modes"),
            c("StorageClass"),
        ];
        if env.has(Fact::VolumeAttributesClassColumn) {
            cols.push(c("VolumeAttributesClass"));
        }
        cols.push(c("Age"));
        if env.has(Fact::VolumeModeColumn) {
            cols.push(w("VolumeMode"));
        }
        cols
    },
    cells: |row, env| {
        let phase = if row.deleting() { "Terminating" } else { row.str(&["status", "phase"]) };
        let volume = row.str(&["spec", "volumeName"]);
        let (capacity, modes) = if volume.is_empty() {
            (String::new(), String::new())
        } else {
            (
                row.str(&["status", "capacity", "storage"]).to_owned(),
                access_modes(row.array(&["status", "accessModes"])),
            )
        };
        // `helper.GetPersistentVolumeClaimClass`: the beta annotation wins.
        let class = row
            .annotation(BETA_STORAGE_CLASS)
            .or_else(|| row.opt_str(&["spec", "storageClassName"]))
            .unwrap_or_default()
            .to_owned();
        let mut cells =
            vec![row.name(), phase.to_owned(), volume.to_owned(), capacity, modes, class];
        if env.has(Fact::VolumeAttributesClassColumn) {
            cells.push(unset(row.opt_str(&["spec", "volumeAttributesClassName"])));
        }
        cells.push(row.age(env));
        if env.has(Fact::VolumeModeColumn) {
            cells.push(unset(row.opt_str(&["spec", "volumeMode"])));
        }
        cells
    },
};

/// `storageClassColumnDefinitions`: v1.17 added ReclaimPolicy,
/// VolumeBindingMode and AllowVolumeExpansion; the default class's name
/// carries ` (default)`.
pub(super) const STORAGE_CLASS: Handler = Handler {
    columns: |env| {
        if !env.has(Fact::StorageClassPolicyColumns) {
            return vec![c("Name"), c("Provisioner"), c("Age")];
        }
        vec![
            c("Name"),
            c("Provisioner"),
            c("ReclaimPolicy"),
            c("VolumeBindingMode"),
            c("AllowVolumeExpansion"),
            c("Age"),
        ]
    },
    cells: |row, env| {
        let mut name = row.name();
        if is_default_class(row) {
            name.push_str(" (default)");
        }
        let provisioner = row.str(&["provisioner"]).to_owned();
        if !env.has(Fact::StorageClassPolicyColumns) {
            return vec![name, provisioner, row.age(env)];
        }
        vec![
            name,
            provisioner,
            row.opt_str(&["reclaimPolicy"]).unwrap_or("Delete").to_owned(),
            row.opt_str(&["volumeBindingMode"]).unwrap_or("Immediate").to_owned(),
            row.opt_bool(&["allowVolumeExpansion"]).unwrap_or(false).to_string(),
            row.age(env),
        ]
    },
};

/// `volumeAttachmentColumnDefinitions`.
pub(super) const VOLUME_ATTACHMENT: Handler = Handler {
    columns: |_| vec![c("Name"), c("Attacher"), c("PV"), c("Node"), c("Attached"), c("Age")],
    cells: |row, env| {
        vec![
            row.name(),
            row.str(&["spec", "attacher"]).to_owned(),
            row.str(&["spec", "source", "persistentVolumeName"]).to_owned(),
            row.str(&["spec", "nodeName"]).to_owned(),
            row.opt_bool(&["status", "attached"]).unwrap_or(false).to_string(),
            row.age(env),
        ]
    },
};

/// `csiDriverColumnDefinitions`: StorageCapacity, TokenRequests and
/// RequiresRepublish appear with their feature gates' default-on releases
/// (CSIStorageCapacity and CSIServiceAccountToken, beta in v1.21).
pub(super) const CSI_DRIVER: Handler = Handler {
    columns: |env| {
        let mut cols = vec![c("Name"), c("AttachRequired"), c("PodInfoOnMount")];
        if env.has(Fact::CsiDriverCapacityAndTokenColumns) {
            cols.extend([c("StorageCapacity"), c("TokenRequests"), c("RequiresRepublish")]);
        }
        cols.extend([c("Modes"), c("Age")]);
        cols
    },
    cells: |row, env| {
        let flag =
            |key: &str, default: bool| row.opt_bool(&["spec", key]).unwrap_or(default).to_string();
        let mut cells =
            vec![row.name(), flag("attachRequired", true), flag("podInfoOnMount", false)];
        if env.has(Fact::CsiDriverCapacityAndTokenColumns) {
            let tokens = match row.get(&["spec", "tokenRequests"]).and_then(Value::as_array) {
                None => "<unset>".to_owned(),
                Some(list) => list
                    .iter()
                    .map(|t| t.get("audience").and_then(Value::as_str).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(","),
            };
            cells.extend([
                flag("storageCapacity", false),
                tokens,
                flag("requiresRepublish", false),
            ]);
        }
        let modes: Vec<&str> = row
            .array(&["spec", "volumeLifecycleModes"])
            .iter()
            .map(|m| m.as_str().unwrap_or_default())
            .collect();
        let modes = if modes.is_empty() { "<none>".to_owned() } else { modes.join(",") };
        cells.extend([modes, row.age(env)]);
        cells
    },
};

/// `csiNodeColumnDefinitions`: the number of drivers.
pub(super) const CSI_NODE: Handler = Handler {
    columns: |_| vec![c("Name"), c("Drivers"), c("Age")],
    cells: |row, env| {
        vec![row.name(), row.array(&["spec", "drivers"]).len().to_string(), row.age(env)]
    },
};

/// `csiStorageCapacityColumnDefinitions` (no Age column).
pub(super) const CSI_STORAGE_CAPACITY: Handler = Handler {
    columns: |_| vec![c("Name"), c("StorageClassName"), c("Capacity")],
    cells: |row, _| {
        vec![
            row.name(),
            row.str(&["storageClassName"]).to_owned(),
            unset(row.opt_str(&["capacity"])),
        ]
    },
};

/// The beta annotation that named a claim's or volume's class before
/// `storageClassName` (`v1.BetaStorageClassAnnotation`).
const BETA_STORAGE_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

/// `helper.GetPersistentVolumeClass`: the beta annotation wins.
fn volume_class(row: &Row<'_>) -> String {
    row.annotation(BETA_STORAGE_CLASS)
        .unwrap_or_else(|| row.str(&["spec", "storageClassName"]))
        .to_owned()
}

/// `storageutil.IsDefaultAnnotation`: the GA or the beta annotation is
/// `"true"`.
pub(in crate::kubectl::printers) fn is_default_class_annotation(
    annotations: Option<&std::collections::BTreeMap<String, String>>,
) -> bool {
    annotations.is_some_and(|a| {
        [
            "storageclass.kubernetes.io/is-default-class",
            "storageclass.beta.kubernetes.io/is-default-class",
        ]
        .iter()
        .any(|k| a.get(*k).map(String::as_str) == Some("true"))
    })
}

fn is_default_class(row: &Row<'_>) -> bool {
    is_default_class_annotation(row.object.metadata.annotations.as_ref())
}

/// `helper.GetAccessModesAsString`: duplicates dropped, in the fixed order
/// RWO, ROX, RWX, RWOP.
pub(in crate::kubectl::printers) fn access_modes(modes: &[Value]) -> String {
    let has = |m: &str| modes.iter().any(|v| v.as_str() == Some(m));
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(m, _)| has(m))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

fn unset(v: Option<&str>) -> String {
    v.unwrap_or("<unset>").to_owned()
}
