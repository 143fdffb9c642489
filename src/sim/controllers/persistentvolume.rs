//! The PersistentVolume controller (`pkg/controller/volume/persistentvolume/
//! pv_controller.go`, v1.22–v1.28) and the external provisioners the
//! cluster profiles install (kind's `rancher.io/local-path`, minikube's
//! `k8s.io/minikube-hostpath`), one action per call:
//!
//! - a new volume becomes `Available`; a volume whose claim is gone is
//!   `Released`, and deleted when its reclaim policy is `Delete`;
//! - a `Pending` claim binds the smallest `Available` volume of its class
//!   that holds its request with its access modes and matches its selector
//!   (`findBestMatchForClaim`): `claimRef` on the volume, `volumeName` on
//!   the claim, both `Bound`, the claim's capacity the volume's;
//! - a claim with no match and a class whose provisioner the cluster runs
//!   gets a volume `pvc-<claim uid>` (`ProvisioningSucceeded`), at once for
//!   `Immediate` classes, and for `WaitForFirstConsumer` ones only once the
//!   scheduler has picked a node for a pod using it (the
//!   `volume.kubernetes.io/selected-node` annotation); until then the claim
//!   stays `Pending` with the `WaitForFirstConsumer` event;
//! - a claim without a class and no volume stays `Pending` with the
//!   `FailedBinding` event.

use std::collections::BTreeMap;

use k8s_openapi::{
    api::core::v1::{
        HostPathVolumeSource, ObjectReference, PersistentVolume, PersistentVolumeClaim,
        PersistentVolumeSpec, PersistentVolumeStatus,
    },
    apimachinery::pkg::apis::meta::v1::ObjectMeta,
};

use super::{Controller, View, Write};
use crate::{
    quantity::Quantity,
    sim::{
        DeleteOptions, Kind, Object, ObjectRef,
        events::EventRecord,
        labels::selector_matches,
        quota::{pvc_kind, typed},
        registry::builtin_kind,
    },
};

const COMPONENT: &str = "persistentvolume-controller";

/// The annotation the scheduler sets on a delayed-binding claim.
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
/// The annotation marking a class as the default one.
pub const DEFAULT_CLASS: &str = "storageclass.kubernetes.io/is-default-class";

/// The PersistentVolume kind (core/v1, stored generically).
pub fn pv_kind() -> Kind {
    static KIND: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| builtin_kind("", "persistentvolumes"))
}

/// The StorageClass kind (storage.k8s.io/v1, stored generically).
pub fn storage_class_kind() -> Kind {
    static KIND: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| builtin_kind("storage.k8s.io", "storageclasses"))
}

/// One StorageClass's facts the controller uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    /// The provisioner.
    pub provisioner: String,
    /// `reclaimPolicy`.
    pub reclaim_policy: String,
    /// Whether binding waits for the first consumer.
    pub wait_for_consumer: bool,
}

/// The StorageClass named `name`, if stored.
pub fn class(view_store: &crate::sim::store::Store, name: &str) -> Option<Class> {
    let object = view_store.get(&ObjectRef::cluster(storage_class_kind(), name))?;
    let value = object.to_value();
    let s = |k: &str| value.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    Some(Class {
        provisioner: s("provisioner"),
        reclaim_policy: s("reclaimPolicy"),
        wait_for_consumer: s("volumeBindingMode") == "WaitForFirstConsumer",
    })
}

/// The class a claim asks for (`GetPersistentVolumeClaimClass`: the beta
/// annotation wins over the field).
pub fn claim_class(claim: &PersistentVolumeClaim) -> String {
    claim
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class"))
        .cloned()
        .or_else(|| claim.spec.as_ref().and_then(|s| s.storage_class_name.clone()))
        .unwrap_or_default()
}

fn volume_class(pv: &PersistentVolume) -> String {
    pv.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class"))
        .cloned()
        .or_else(|| pv.spec.as_ref().and_then(|s| s.storage_class_name.clone()))
        .unwrap_or_default()
}

/// The PersistentVolume controller.
pub struct PersistentVolumeController;

impl Controller for PersistentVolumeController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        let volumes: Vec<PersistentVolume> =
            view.store.list(pv_kind(), None).filter_map(typed).collect();
        for pv in &volumes {
            let w = sync_volume(view, pv);
            if !w.is_empty() {
                return w;
            }
        }
        for claim in view.store.list(pvc_kind(), None).filter_map(typed::<PersistentVolumeClaim>) {
            let w = sync_claim(view, &claim, &volumes);
            if !w.is_empty() {
                return w;
            }
        }
        Vec::new()
    }
}

fn phase_of_volume(pv: &PersistentVolume) -> &str {
    pv.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending")
}

fn phase_of_claim(claim: &PersistentVolumeClaim) -> &str {
    claim.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending")
}

fn with_volume_phase(pv: &PersistentVolume, phase: &str) -> Write {
    let mut updated = pv.clone();
    updated.status.get_or_insert_with(PersistentVolumeStatus::default).phase =
        Some(phase.to_owned());
    Write::Update(to_object(&updated, pv_kind(), "PersistentVolume"))
}

fn to_object<T: serde::Serialize>(typed: &T, kind: Kind, kind_name: &str) -> Object {
    let mut value = serde_json::to_value(typed).unwrap_or_default();
    value["apiVersion"] = "v1".into();
    value["kind"] = kind_name.into();
    Object::from_value_as(kind, value).expect("a typed volume or claim decodes as itself")
}

/// `syncVolume`: phases of an unbound or released volume.
fn sync_volume(view: &View<'_>, pv: &PersistentVolume) -> Vec<Write> {
    let claim_ref = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref());
    let phase = phase_of_volume(pv);
    let Some(claim_ref) = claim_ref else {
        return if phase == "Available" {
            Vec::new()
        } else {
            vec![with_volume_phase(pv, "Available")]
        };
    };
    let ns = claim_ref.namespace.as_deref().unwrap_or("default");
    let name = claim_ref.name.as_deref().unwrap_or_default();
    let claim = view
        .store
        .get(&ObjectRef::namespaced(pvc_kind(), ns, name))
        .and_then(typed::<PersistentVolumeClaim>);
    let claim_gone = match (&claim, claim_ref.uid.as_deref()) {
        (None, _) => true,
        (Some(c), Some(uid)) => c.metadata.uid.as_deref() != Some(uid),
        (Some(_), None) => false,
    };
    if !claim_gone {
        return Vec::new();
    }
    if claim_ref.uid.is_none() {
        // Pre-bound to a claim that does not exist yet: available to it.
        return if phase == "Available" {
            Vec::new()
        } else {
            vec![with_volume_phase(pv, "Available")]
        };
    }
    // The claim is gone: `Released` first (`updateVolumePhase`), then
    // `reclaimVolume` — whose delete leaves the volume `Terminating` until
    // the pv-protection controller sees it is no longer `Bound`.
    if phase != "Released" && phase != "Failed" {
        return vec![with_volume_phase(pv, "Released")];
    }
    let policy = pv.spec.as_ref().and_then(|s| s.persistent_volume_reclaim_policy.as_deref());
    let name = pv.metadata.name.as_deref().unwrap_or_default();
    match policy {
        Some("Delete") if pv.metadata.deletion_timestamp.is_none() => {
            vec![Write::Delete(ObjectRef::cluster(pv_kind(), name), DeleteOptions::default())]
        }
        _ => Vec::new(),
    }
}

fn storage_of(
    list: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) -> Option<Quantity> {
    Quantity::parse(&list?.get("storage")?.0)
}

/// `findBestMatchForClaim`: the smallest fitting volume (a volume
/// pre-bound to this claim wins).
fn best_match<'a>(
    claim: &PersistentVolumeClaim,
    volumes: &'a [PersistentVolume],
) -> Option<&'a PersistentVolume> {
    let spec = claim.spec.clone().unwrap_or_default();
    let request = storage_of(spec.resources.as_ref().and_then(|r| r.requests.as_ref()))
        .unwrap_or(Quantity::count(0));
    let class = claim_class(claim);
    let modes = spec.access_modes.clone().unwrap_or_default();
    let ns = claim.metadata.namespace.as_deref().unwrap_or("default");
    let name = claim.metadata.name.as_deref().unwrap_or_default();
    let mut fits: Vec<(Quantity, &PersistentVolume)> = Vec::new();
    for pv in volumes {
        let Some(vspec) = pv.spec.as_ref() else { continue };
        if pv.metadata.deletion_timestamp.is_some() {
            continue;
        }
        if let Some(r) = vspec.claim_ref.as_ref() {
            let to_this = r.namespace.as_deref() == Some(ns)
                && r.name.as_deref() == Some(name)
                && r.uid.as_deref().is_none_or(|u| Some(u) == claim.metadata.uid.as_deref());
            if to_this {
                return Some(pv);
            }
            continue;
        }
        if phase_of_volume(pv) != "Available" {
            continue;
        }
        if volume_class(pv) != class {
            continue;
        }
        let size = storage_of(vspec.capacity.as_ref()).unwrap_or(Quantity::count(0));
        if size < request {
            continue;
        }
        let vmodes = vspec.access_modes.clone().unwrap_or_default();
        if !modes.iter().all(|m| vmodes.contains(m)) {
            continue;
        }
        if let Some(selector) = spec.selector.as_ref()
            && !selector_matches(selector, pv.metadata.labels.as_ref())
        {
            continue;
        }
        fits.push((size, pv));
    }
    fits.sort_by_key(|(size, _)| *size);
    fits.first().map(|(_, pv)| *pv)
}

fn claim_event(claim: &PersistentVolumeClaim, reason: &str, message: String) -> EventRecord {
    EventRecord::normal(claim_reference(claim), COMPONENT, reason, message)
}

/// Whether the claim already carries an event with `reason`.
fn has_event(view: &View<'_>, claim: &PersistentVolumeClaim, reason: &str) -> bool {
    let uid = claim.metadata.uid.as_deref();
    let ns = claim.metadata.namespace.as_deref();
    view.store
        .all::<k8s_openapi::api::core::v1::Event>(ns)
        .any(|e| e.reason.as_deref() == Some(reason) && e.involved_object.uid.as_deref() == uid)
}

/// `syncClaim` for an unbound claim.
fn sync_claim(
    view: &View<'_>,
    claim: &PersistentVolumeClaim,
    volumes: &[PersistentVolume],
) -> Vec<Write> {
    if claim.metadata.deletion_timestamp.is_some() || phase_of_claim(claim) == "Bound" {
        return Vec::new();
    }
    if let Some(pv) = best_match(claim, volumes) {
        return bind(claim, pv);
    }
    let class_name = claim_class(claim);
    if class_name.is_empty() {
        let reason = "FailedBinding";
        if has_event(view, claim, reason) {
            return Vec::new();
        }
        return vec![Write::Event(claim_event(
            claim,
            reason,
            "no persistent volumes available for this claim and no storage class is set".to_owned(),
        ))];
    }
    let Some(class) = class(view.store, &class_name) else {
        let reason = "ProvisioningFailed";
        if has_event(view, claim, reason) {
            return Vec::new();
        }
        return vec![Write::Event(
            claim_event(
                claim,
                reason,
                format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
            )
            .warning(),
        )];
    };
    let selected = claim.metadata.annotations.as_ref().and_then(|a| a.get(SELECTED_NODE)).cloned();
    if class.wait_for_consumer && selected.is_none() {
        let reason = "WaitForFirstConsumer";
        if has_event(view, claim, reason) {
            return Vec::new();
        }
        return vec![Write::Event(claim_event(
            claim,
            reason,
            "waiting for first consumer to be created before binding".to_owned(),
        ))];
    }
    match provision(claim, &class, selected.as_deref()) {
        Some(pv) => {
            let name = pv.metadata.name.clone().unwrap_or_default();
            let ns = claim.metadata.namespace.as_deref().unwrap_or("default");
            let cname = claim.metadata.name.as_deref().unwrap_or_default();
            // The controller leaves provisioning to the external
            // provisioner and says so first.
            let waiting = (!has_event(view, claim, "ExternalProvisioning"))
                .then(|| Write::Event(external_provisioning(claim, &class)));
            waiting.into_iter().chain([
                Write::Event(reported_by(
                    claim_event(
                        claim,
                        "Provisioning",
                        format!(
                            "External provisioner is provisioning volume for claim \"{ns}/{cname}\""
                        ),
                    ),
                    provisioner_component(&class.provisioner),
                )),
                Write::Create(to_object(&pv, pv_kind(), "PersistentVolume")),
                Write::Event(reported_by(
                    claim_event(
                        claim,
                        "ProvisioningSucceeded",
                        format!("Successfully provisioned volume {name}"),
                    ),
                    provisioner_component(&class.provisioner),
                )),
            ])
            .collect()
        }
        None => {
            if has_event(view, claim, "ExternalProvisioning") {
                return Vec::new();
            }
            vec![Write::Event(external_provisioning(claim, &class))]
        }
    }
}

fn external_provisioning(claim: &PersistentVolumeClaim, class: &Class) -> EventRecord {
    claim_event(
        claim,
        "ExternalProvisioning",
        format!(
            "waiting for a volume to be created, either by external provisioner \"{}\" or manually created by system administrator",
            class.provisioner
        ),
    )
}

/// The volume an installed provisioner creates for `claim`: minikube's
/// hostpath provisioner (`/tmp/hostpath-provisioner/<ns>/<claim>`), kind's
/// local-path provisioner (`/var/local-path-provisioner/<pv>_<ns>_<claim>`,
/// pinned to the selected node). Another provisioner is not running in the
/// simulated cluster: no volume.
fn provision(
    claim: &PersistentVolumeClaim,
    class: &Class,
    node: Option<&str>,
) -> Option<PersistentVolume> {
    let ns = claim.metadata.namespace.clone().unwrap_or_else(|| "default".to_owned());
    let cname = claim.metadata.name.clone().unwrap_or_default();
    let uid = claim.metadata.uid.clone().unwrap_or_default();
    let name = format!("pvc-{uid}");
    let path = match class.provisioner.as_str() {
        "k8s.io/minikube-hostpath" => format!("/tmp/hostpath-provisioner/{ns}/{cname}"),
        "rancher.io/local-path" => format!("/var/local-path-provisioner/{name}_{ns}_{cname}"),
        _ => return None,
    };
    let spec = claim.spec.clone().unwrap_or_default();
    let mut annotations = BTreeMap::new();
    annotations.insert("pv.kubernetes.io/provisioned-by".to_owned(), class.provisioner.clone());
    let node_affinity = (class.provisioner == "rancher.io/local-path").then(|| {
        serde_json::from_value(serde_json::json!({"required": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In",
                                   "values": [node.unwrap_or_default()]}]}]}}))
        .unwrap_or_default()
    });
    Some(PersistentVolume {
        metadata: ObjectMeta {
            name: Some(name),
            annotations: Some(annotations),
            finalizers: Some(vec!["kubernetes.io/pv-protection".to_owned()]),
            ..Default::default()
        },
        spec: Some(PersistentVolumeSpec {
            access_modes: spec.access_modes.clone(),
            capacity: spec.resources.as_ref().and_then(|r| r.requests.clone()),
            claim_ref: Some(claim_reference(claim)),
            host_path: Some(HostPathVolumeSource {
                path,
                type_: Some(
                    if class.provisioner == "rancher.io/local-path" {
                        "DirectoryOrCreate"
                    } else {
                        ""
                    }
                    .to_owned(),
                ),
            }),
            node_affinity,
            persistent_volume_reclaim_policy: Some(class.reclaim_policy.clone()),
            storage_class_name: Some(claim_class(claim)),
            volume_mode: spec.volume_mode.clone(),
            ..Default::default()
        }),
        status: Some(PersistentVolumeStatus {
            phase: Some("Pending".to_owned()),
            ..Default::default()
        }),
    })
}

/// The reporting component of a provisioner's events (the real one adds
/// its pod's identity: `rancher.io/local-path_local-path-provisioner-…`).
fn provisioner_component(provisioner: &str) -> &'static str {
    match provisioner {
        "rancher.io/local-path" => "rancher.io/local-path",
        "k8s.io/minikube-hostpath" => "k8s.io/minikube-hostpath",
        _ => COMPONENT,
    }
}

fn reported_by(mut ev: EventRecord, component: &'static str) -> EventRecord {
    ev.component = component;
    ev
}

fn claim_reference(claim: &PersistentVolumeClaim) -> ObjectReference {
    ObjectReference {
        api_version: Some("v1".to_owned()),
        kind: Some("PersistentVolumeClaim".to_owned()),
        name: claim.metadata.name.clone(),
        namespace: claim.metadata.namespace.clone(),
        uid: claim.metadata.uid.clone(),
        resource_version: claim.metadata.resource_version.clone(),
        ..Default::default()
    }
}

/// `bind`: the volume's `claimRef` and phase, then the claim's
/// `volumeName`, annotations, phase, capacity and access modes.
fn bind(claim: &PersistentVolumeClaim, pv: &PersistentVolume) -> Vec<Write> {
    let mut volume = pv.clone();
    let vspec = volume.spec.get_or_insert_with(Default::default);
    let controller_bound = vspec.claim_ref.as_ref().is_none_or(|r| r.uid.is_none());
    vspec.claim_ref = Some(claim_reference(claim));
    if controller_bound
        && !pv
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key("pv.kubernetes.io/provisioned-by"))
    {
        volume
            .metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert("pv.kubernetes.io/bound-by-controller".to_owned(), "yes".to_owned());
    }
    volume.status.get_or_insert_with(Default::default).phase = Some("Bound".to_owned());
    let mut bound = claim.clone();
    let annotations = bound.metadata.annotations.get_or_insert_with(Default::default);
    annotations.insert("pv.kubernetes.io/bind-completed".to_owned(), "yes".to_owned());
    annotations.insert("pv.kubernetes.io/bound-by-controller".to_owned(), "yes".to_owned());
    bound.spec.get_or_insert_with(Default::default).volume_name = pv.metadata.name.clone();
    let status = bound.status.get_or_insert_with(Default::default);
    status.phase = Some("Bound".to_owned());
    status.access_modes = pv.spec.as_ref().and_then(|s| s.access_modes.clone());
    status.capacity = pv.spec.as_ref().and_then(|s| s.capacity.clone());
    vec![
        Write::Update(to_object(&volume, pv_kind(), "PersistentVolume")),
        Write::Update(to_object(&bound, pvc_kind(), "PersistentVolumeClaim")),
    ]
}
