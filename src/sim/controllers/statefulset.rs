//! The StatefulSet controller, following `pkg/controller/statefulset`
//! (`stateful_set_control.go` `updateStatefulSet`, `stateful_set_utils.go`,
//! `stateful_pod_control.go`; v1.22–v1.28): pods named `<set>-<ordinal>`
//! with the set's governing Service as their subdomain; claims from
//! `volumeClaimTemplates` named `<template>-<set>-<ordinal>`, created before
//! their pod; `OrderedReady` creates one pod at a time and waits for it to
//! be Running and Ready, and removes pods from the highest ordinal, one at a
//! time; `Parallel` does both at once; `RollingUpdate` replaces pods from
//! the highest ordinal down to `partition`, one at a time, each after the
//! one above is healthy again; `OnDelete` only creates missing pods from the
//! update revision. Revisions are ControllerRevisions named
//! `<set>-<hash>`, the hash on each pod's `controller-revision-hash` label.
//!
//! StatefulSets are stored generically; the controller reads and writes
//! them as k8s-openapi's typed `StatefulSet`.

use crate::version::Fact;
use std::collections::BTreeMap;

use k8s_openapi::{
    api::{
        apps::v1::{ControllerRevision, StatefulSet, StatefulSetStatus},
        core::v1::{
            ObjectReference, PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, Pod,
            PodTemplateSpec, Volume,
        },
    },
    apimachinery::pkg::{
        apis::meta::v1::{ObjectMeta, OwnerReference},
        runtime::RawExtension,
    },
};

use super::{Controller, View, Write};
use crate::sim::{
    DeleteOptions, Kind, Object, ObjectRef,
    events::EventRecord,
    names::pod_template_hash,
    podutil,
    quota::{pvc_kind, typed},
    registry::builtin_kind,
};

const COMPONENT: &str = "statefulset-controller";

/// The StatefulSet kind (apps/v1, stored generically).
pub fn sts_kind() -> Kind {
    static KIND: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| builtin_kind("apps", "statefulsets"))
}

/// Whether the MaxUnavailableStatefulSet feature gate is on by default at
/// `version`: alpha and off from v1.24, beta and on at v1.35.0, off again
/// from v1.35.4 (`pkg/features/kube_features.go`). The apiserver drops the
/// field while it is off (`dropStatefulSetDisabledFields`) and the
/// controller replaces one pod at a time.
pub fn max_unavailable_gate(version: crate::version::KubeVersion) -> bool {
    version.has(Fact::MaxUnavailableStatefulSet)
        && !version.has(Fact::MaxUnavailableStatefulSetOffAgain)
}

/// The label naming a pod's revision (`apps.ControllerRevisionHashLabelKey`).
const REVISION_LABEL: &str = "controller-revision-hash";
/// The label naming the pod (`apps.StatefulSetPodNameLabel`, v1.9+).
const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// The label holding the ordinal (`apps.PodIndexLabel`, PodIndexLabel
/// feature, beta and on from v1.28).
const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

/// The StatefulSet controller.
pub struct StatefulSetController;

impl Controller for StatefulSetController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        view.store
            .list(sts_kind(), None)
            .filter_map(typed::<StatefulSet>)
            .map(|set| sync(view, &set))
            .find(|w| !w.is_empty())
            .unwrap_or_default()
    }

    /// When a ready pod of a set with `minReadySeconds` becomes available
    /// (the controller's `durationStore` requeue).
    fn next_wakeup(&self, view: &View<'_>) -> Option<k8s_openapi::jiff::Timestamp> {
        view.store
            .list(sts_kind(), None)
            .filter_map(typed::<StatefulSet>)
            .filter_map(|set| {
                let min_ready = min_ready_seconds(view, &set);
                if min_ready <= 0 {
                    return None;
                }
                let uid = set.metadata.uid.clone()?;
                view.store
                    .all::<Pod>(set.metadata.namespace.as_deref())
                    .filter(|p| podutil::controlled_by(&p.metadata, &uid))
                    .filter_map(|p| podutil::available_at(p, min_ready, view.now))
                    .min()
            })
            .min()
    }
}

/// `spec.minReadySeconds` where the version honours it
/// ([`Fact::StatefulSetMinReadySeconds`]; admission drops it before).
fn min_ready_seconds(view: &View<'_>, set: &StatefulSet) -> i32 {
    if !view.config.version.has(Fact::StatefulSetMinReadySeconds) {
        return 0;
    }
    set.spec.as_ref().and_then(|s| s.min_ready_seconds).unwrap_or(0)
}

/// `isRunningAndAvailable`: running, and ready for `minReadySeconds`.
fn is_running_and_available(pod: &Pod, min_ready: i32, now: k8s_openapi::jiff::Timestamp) -> bool {
    podutil::phase(pod) == "Running" && podutil::is_available(pod, min_ready, now)
}

/// The ordinal of a pod of `set`, from its name (`getParentNameAndOrdinal`).
fn ordinal_of(set_name: &str, pod: &Pod) -> Option<i32> {
    let name = pod.metadata.name.as_deref()?;
    name.strip_prefix(set_name)?.strip_prefix('-')?.parse().ok()
}

fn pod_name(set: &StatefulSet, ordinal: i32) -> String {
    format!("{}-{ordinal}", set.metadata.name.as_deref().unwrap_or_default())
}

/// `getPersistentVolumeClaimName`.
fn claim_name(set: &StatefulSet, template: &str, ordinal: i32) -> String {
    format!("{template}-{}-{ordinal}", set.metadata.name.as_deref().unwrap_or_default())
}

fn revision_of(pod: &Pod) -> &str {
    pod.metadata.labels.as_ref().and_then(|l| l.get(REVISION_LABEL)).map_or("", String::as_str)
}

fn is_running_and_ready(pod: &Pod) -> bool {
    podutil::phase(pod) == "Running" && podutil::is_ready(pod)
}

fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

/// `isHealthy`: running, ready and not terminating.
fn is_healthy(pod: &Pod) -> bool {
    is_running_and_ready(pod) && !is_terminating(pod)
}

fn sync(view: &View<'_>, set: &StatefulSet) -> Vec<Write> {
    let Some(spec) = set.spec.as_ref() else { return Vec::new() };
    if set.metadata.deletion_timestamp.is_some() {
        return Vec::new();
    }
    let ns = set.metadata.namespace.as_deref().unwrap_or("default");
    let set_name = set.metadata.name.as_deref().unwrap_or_default();
    let uid = set.metadata.uid.as_deref().unwrap_or_default();
    let status = set.status.clone().unwrap_or_default();

    // `getStatefulSetRevisions`: the update revision is the current
    // template's; an equal older revision is reused with the next number.
    // The collision count is hashed as 0 when the status has none yet.
    let hash = pod_template_hash(&spec.template, Some(status.collision_count.unwrap_or(0)));
    let update_revision = format!("{set_name}-{hash}");
    let revisions: Vec<&ControllerRevision> = view
        .store
        .all::<ControllerRevision>(Some(ns))
        .filter(|r| podutil::controlled_by(&r.metadata, uid))
        .collect();
    if let Some(w) = ensure_revision(view, set, &update_revision, &revisions) {
        return vec![w];
    }
    let current_revision = status
        .current_revision
        .clone()
        .filter(|c| revisions.iter().any(|r| r.metadata.name.as_deref() == Some(c.as_str())))
        .unwrap_or_else(|| update_revision.clone());
    let current_template = revisions
        .iter()
        .find(|r| r.metadata.name.as_deref() == Some(current_revision.as_str()))
        .and_then(|r| template_of(r))
        .unwrap_or_else(|| spec.template.clone());

    let replicas = spec.replicas.unwrap_or(1).max(0);
    let monotonic = spec.pod_management_policy.as_deref() != Some("Parallel");
    let strategy = spec.update_strategy.as_ref().and_then(|s| s.type_.as_deref());
    let rolling = strategy.unwrap_or("RollingUpdate") == "RollingUpdate";
    let partition = spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref())
        .and_then(|r| r.partition)
        .unwrap_or(0);

    let pods: Vec<&Pod> = view
        .store
        .all::<Pod>(Some(ns))
        .filter(|p| podutil::controlled_by(&p.metadata, uid))
        .collect();
    let mut next = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        collision_count: Some(status.collision_count.unwrap_or(0)),
        current_revision: Some(current_revision.clone()),
        update_revision: Some(update_revision.clone()),
        ..Default::default()
    };
    let min_ready = min_ready_seconds(view, set);
    let mut counts = Counts { min_ready, now: Some(view.now), ..Counts::default() };
    let mut slots: Vec<Option<&Pod>> = vec![None; replicas as usize];
    let mut condemned: Vec<(i32, &Pod)> = Vec::new();
    for pod in &pods {
        counts.add(pod, &current_revision, &update_revision);
        match ordinal_of(set_name, pod) {
            Some(o) if o >= 0 && o < replicas => slots[o as usize] = Some(pod),
            Some(o) => condemned.push((o, pod)),
            None => {}
        }
    }
    condemned.sort_by_key(|(o, _)| std::cmp::Reverse(*o));
    let involved = set_reference(set);
    let claims = claim_templates(set);
    let mut writes = Vec::new();

    let action = 'act: {
        // Replicas below the desired count, in ordinal order.
        for (ordinal, slot) in slots.iter().enumerate() {
            let ordinal = ordinal as i32;
            match slot {
                Some(pod) if podutil::phase(pod) == "Failed" && !is_terminating(pod) => {
                    // A failed pod is deleted and created again.
                    writes.extend(delete_pod(view, &involved, pod));
                    if monotonic {
                        break 'act true;
                    }
                }
                None => {
                    let at_current = rolling && ordinal < partition;
                    let (template, revision) = if at_current {
                        (&current_template, current_revision.as_str())
                    } else {
                        (&spec.template, update_revision.as_str())
                    };
                    writes.extend(create_claims(view, set, &claims, ordinal, &involved));
                    let pod = new_pod(view, set, template, revision, ordinal);
                    counts.add(&pod, &current_revision, &update_revision);
                    writes.push(Write::CreateWithEvent(
                        Object::Pod(pod),
                        EventRecord::normal(
                            involved.clone(),
                            COMPONENT,
                            "SuccessfulCreate",
                            format!(
                                "{} Pod {{name}} in StatefulSet {set_name} successful",
                                event_verb(view, "create")
                            ),
                        ),
                    ));
                    if monotonic {
                        break 'act true;
                    }
                }
                Some(pod) if monotonic && !is_healthy(pod) => break 'act !writes.is_empty(),
                // OrderedReady also waits for each pod to be available
                // (`isRunningAndAvailable`, v1.23 on).
                Some(pod) if monotonic && !is_running_and_available(pod, min_ready, view.now) => {
                    break 'act !writes.is_empty();
                }
                Some(_) => {}
            }
        }
        // Condemned pods, from the highest ordinal.
        for (_, pod) in &condemned {
            if is_terminating(pod) {
                if monotonic {
                    break 'act !writes.is_empty();
                }
                continue;
            }
            if monotonic && !is_running_and_ready(pod) && !first_unhealthy(&slots, &condemned, pod)
            {
                break 'act !writes.is_empty();
            }
            writes.extend(retain_claims_on_scale_down(view, set, &claims, pod));
            writes.extend(delete_pod(view, &involved, pod));
            if monotonic {
                break 'act true;
            }
        }
        if !writes.is_empty() || !rolling {
            break 'act !writes.is_empty();
        }
        // With MaxUnavailableStatefulSet (on by default at v1.35.0-v1.35.3),
        // `updateStatefulSetAfterInvariantEstablished`: no deletion while
        // `maxUnavailable` pods (default 1, a percentage rounded down, at
        // least 1) are unavailable anywhere in the set; otherwise up to
        // that many outdated pods go at once, from the highest ordinal
        // down to the partition.
        if max_unavailable_gate(view.config.version) {
            let max_unavailable = spec
                .update_strategy
                .as_ref()
                .and_then(|s| s.rolling_update.as_ref())
                .and_then(|r| r.max_unavailable.as_ref())
                .map_or(1, |v| super::deployment_util::scaled_value(Some(v), replicas, false))
                .max(1);
            let unavailable = slots
                .iter()
                .filter(|slot| {
                    slot.is_none_or(|p| {
                        !is_healthy(p) || !podutil::is_available(p, min_ready, view.now)
                    })
                })
                .count() as i32;
            if unavailable >= max_unavailable {
                break 'act false;
            }
            let mut budget = max_unavailable - unavailable;
            for ordinal in (partition.max(0)..replicas).rev() {
                if budget == 0 {
                    break;
                }
                let Some(pod) = slots[ordinal as usize] else { continue };
                if revision_of(pod) != update_revision && !is_terminating(pod) {
                    writes.extend(delete_pod(view, &involved, pod));
                    budget -= 1;
                }
            }
            break 'act !writes.is_empty();
        }
        // The rolling update, from the highest ordinal down to the partition.
        for ordinal in (partition.max(0)..replicas).rev() {
            let Some(pod) = slots[ordinal as usize] else { break 'act false };
            if revision_of(pod) != update_revision && !is_terminating(pod) {
                writes.extend(delete_pod(view, &involved, pod));
                break 'act true;
            }
            if !is_healthy(pod) {
                break 'act false;
            }
        }
        false
    };
    let _ = action;

    next.replicas = counts.replicas;
    next.ready_replicas = Some(counts.ready).filter(|n| *n > 0);
    next.current_replicas = Some(counts.current).filter(|n| *n > 0);
    next.updated_replicas = Some(counts.updated).filter(|n| *n > 0);
    if view.config.version.has(Fact::StatefulSetMinReadySeconds) {
        next.available_replicas = Some(counts.available);
    } else if view.config.version.has(Fact::StatefulSetAvailableReplicas) {
        next.available_replicas = Some(counts.ready);
    }
    // `completeRollingUpdate`: once every pod is updated and ready, the
    // update revision becomes the current one.
    if rolling && counts.updated == counts.replicas && counts.ready == counts.replicas {
        next.current_replicas = next.updated_replicas;
        next.current_revision = Some(update_revision.clone());
    }
    next.conditions = status.conditions.clone();
    if set.status.as_ref() != Some(&next) {
        let mut updated = set.clone();
        updated.status = Some(next);
        if let Some(o) = to_object(&updated) {
            writes.push(Write::Update(o));
        }
    }
    writes
}

/// Whether `pod` is the first unhealthy pod of the set by ordinal, which
/// `OrderedReady` may still delete on scale-down.
fn first_unhealthy(slots: &[Option<&Pod>], condemned: &[(i32, &Pod)], pod: &Pod) -> bool {
    let mut all: Vec<&Pod> = slots.iter().flatten().copied().collect();
    all.extend(condemned.iter().rev().map(|(_, p)| *p));
    all.into_iter().find(|p| !is_healthy(p)).is_some_and(|p| p.metadata.name == pod.metadata.name)
}

/// Pods counted into the status (`updateStatefulSet`'s first loop).
#[derive(Default)]
struct Counts {
    replicas: i32,
    ready: i32,
    available: i32,
    current: i32,
    updated: i32,
    /// `minReadySeconds`, and the time availability is judged at.
    min_ready: i32,
    now: Option<k8s_openapi::jiff::Timestamp>,
}

impl Counts {
    fn add(&mut self, pod: &Pod, current: &str, update: &str) {
        self.replicas += 1;
        if is_running_and_ready(pod) {
            self.ready += 1;
            if self.now.is_some_and(|now| is_running_and_available(pod, self.min_ready, now)) {
                self.available += 1;
            }
        }
        if !is_terminating(pod) {
            if revision_of(pod) == current {
                self.current += 1;
            }
            if revision_of(pod) == update {
                self.updated += 1;
            }
        }
    }
}

fn set_reference(set: &StatefulSet) -> ObjectReference {
    ObjectReference {
        api_version: Some("apps/v1".to_owned()),
        kind: Some("StatefulSet".to_owned()),
        name: set.metadata.name.clone(),
        namespace: set.metadata.namespace.clone(),
        uid: set.metadata.uid.clone(),
        resource_version: set.metadata.resource_version.clone(),
        ..Default::default()
    }
}

fn controller_ref(set: &StatefulSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".to_owned(),
        kind: "StatefulSet".to_owned(),
        name: set.metadata.name.clone().unwrap_or_default(),
        uid: set.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// The typed StatefulSet as a stored object.
fn to_object(set: &StatefulSet) -> Option<Object> {
    let mut value = serde_json::to_value(set).ok()?;
    value["apiVersion"] = "apps/v1".into();
    value["kind"] = "StatefulSet".into();
    Object::from_value_as(sts_kind(), value).ok()
}

/// The verb as `recordPodEvent`/`recordClaimEvent` put it in a message.
fn event_verb(view: &View<'_>, verb: &'static str) -> String {
    if view.config.version.has(Fact::StatefulSetEventVerbTitleCase) {
        let mut chars = verb.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    } else {
        verb.to_owned()
    }
}

/// `DeletePod` with the `SuccessfulDelete` event of `recordPodEvent`.
fn delete_pod(view: &View<'_>, involved: &ObjectReference, pod: &Pod) -> [Write; 2] {
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let set = involved.name.as_deref().unwrap_or_default();
    [
        Write::Delete(ObjectRef::namespaced(Kind::Pod, ns, name), DeleteOptions::default()),
        Write::Event(EventRecord::normal(
            involved.clone(),
            COMPONENT,
            "SuccessfulDelete",
            format!("{} Pod {name} in StatefulSet {set} successful", event_verb(view, "delete")),
        )),
    ]
}

/// The pod template a revision holds (`ApplyRevision`: the revision's
/// data is a patch replacing `spec.template`).
fn template_of(revision: &ControllerRevision) -> Option<PodTemplateSpec> {
    let mut template = revision.data.as_ref()?.0.get("spec")?.get("template")?.clone();
    if let Some(map) = template.as_object_mut() {
        map.remove("$patch");
    }
    serde_json::from_value(template).ok()
}

/// Creates the update revision, or renumbers an equal older one
/// (`getStatefulSetRevisions`, `history.go`). The name hashes the
/// template and the collision count as `controller.ComputeHash` does.
fn ensure_revision(
    view: &View<'_>,
    set: &StatefulSet,
    name: &str,
    revisions: &[&ControllerRevision],
) -> Option<Write> {
    let latest = revisions.iter().map(|r| r.revision).max().unwrap_or(0);
    if let Some(existing) = revisions.iter().find(|r| r.metadata.name.as_deref() == Some(name)) {
        if existing.revision >= latest {
            return None;
        }
        let mut renumbered = (*existing).clone();
        renumbered.revision = latest + 1;
        return Some(Write::Update(Object::ControllerRevision(renumbered)));
    }
    let spec = set.spec.as_ref()?;
    let data = super::revision_patch::revision_patch(&spec.template, view.config.version);
    let mut labels =
        spec.template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
    labels.insert(REVISION_LABEL.to_owned(), name.to_owned());
    Some(Write::Create(Object::ControllerRevision(ControllerRevision {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: set.metadata.namespace.clone(),
            labels: Some(labels),
            // `newRevision` copies the set's annotations (the change-cause
            // `rollout history` shows).
            annotations: set.metadata.annotations.clone(),
            owner_references: Some(vec![controller_ref(set)]),
            ..Default::default()
        },
        data: Some(RawExtension(data)),
        revision: latest + 1,
    })))
}

/// `newVersionedStatefulSetPod`: the template's pod with the set's
/// identity (name, hostname, subdomain), storage (claims replace the
/// template's volumes of the same name) and revision label.
fn new_pod(
    view: &View<'_>,
    set: &StatefulSet,
    template: &PodTemplateSpec,
    revision: &str,
    ordinal: i32,
) -> Pod {
    let name = pod_name(set, ordinal);
    let tmeta = template.metadata.clone().unwrap_or_default();
    let mut labels: BTreeMap<String, String> = tmeta.labels.unwrap_or_default();
    labels.insert(POD_NAME_LABEL.to_owned(), name.clone());
    if view.config.version.has(Fact::PodIndexLabel) {
        labels.insert(POD_INDEX_LABEL.to_owned(), ordinal.to_string());
    }
    labels.insert(REVISION_LABEL.to_owned(), revision.to_owned());
    let mut spec = template.spec.clone().unwrap_or_default();
    spec.hostname = Some(name.clone());
    if let Some(service) =
        set.spec.as_ref().and_then(|s| s.service_name.clone()).filter(|s| !s.is_empty())
    {
        spec.subdomain = Some(service);
    }
    let mut volumes: Vec<Volume> = spec.volumes.take().unwrap_or_default();
    for claim in claim_templates(set) {
        let tname = claim.metadata.name.clone().unwrap_or_default();
        let volume = Volume {
            name: tname.clone(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: claim_name(set, &tname, ordinal),
                read_only: None,
            }),
            ..Default::default()
        };
        match volumes.iter_mut().find(|v| v.name == tname) {
            Some(v) => *v = volume,
            None => volumes.push(volume),
        }
    }
    spec.volumes = (!volumes.is_empty()).then_some(volumes);
    Pod {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: set.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: tmeta.annotations,
            finalizers: tmeta.finalizers,
            owner_references: Some(vec![controller_ref(set)]),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    }
}

fn claim_templates(set: &StatefulSet) -> Vec<PersistentVolumeClaim> {
    set.spec.as_ref().and_then(|s| s.volume_claim_templates.clone()).unwrap_or_default()
}

/// The retention policy's `whenDeleted` and `whenScaled`, where the
/// version acts on it (StatefulSetAutoDeletePVC: alpha and off in
/// v1.23–v1.26, beta and on from v1.27).
fn retention(view: &View<'_>, set: &StatefulSet) -> (bool, bool) {
    if !view.config.version.has(Fact::StatefulSetAutoDeletePvc) {
        return (false, false);
    }
    let policy =
        set.spec.as_ref().and_then(|s| s.persistent_volume_claim_retention_policy.as_ref());
    let delete = |v: Option<&String>| v.is_some_and(|v| v == "Delete");
    (
        delete(policy.and_then(|p| p.when_deleted.as_ref())),
        delete(policy.and_then(|p| p.when_scaled.as_ref())),
    )
}

/// `createPersistentVolumeClaims`: the missing claims of one ordinal, each
/// with the selector's labels and, when the set's retention policy
/// deletes claims with the set, the set as a (non-controller) owner.
fn create_claims(
    view: &View<'_>,
    set: &StatefulSet,
    templates: &[PersistentVolumeClaim],
    ordinal: i32,
    involved: &ObjectReference,
) -> Vec<Write> {
    let ns = set.metadata.namespace.as_deref().unwrap_or("default");
    let set_name = set.metadata.name.as_deref().unwrap_or_default();
    let pod = pod_name(set, ordinal);
    let (when_deleted, _) = retention(view, set);
    let selector =
        set.spec.as_ref().and_then(|s| s.selector.match_labels.clone()).unwrap_or_default();
    let mut writes = Vec::new();
    for template in templates {
        let tname = template.metadata.name.clone().unwrap_or_default();
        let name = claim_name(set, &tname, ordinal);
        if view.store.contains(&ObjectRef::namespaced(pvc_kind(), ns, &name)) {
            continue;
        }
        let mut claim = template.clone();
        claim.metadata.name = Some(name.clone());
        claim.metadata.namespace = Some(ns.to_owned());
        let labels = claim.metadata.labels.get_or_insert_with(Default::default);
        labels.extend(selector.clone());
        if when_deleted {
            let mut owner = controller_ref(set);
            owner.controller = None;
            owner.block_owner_deletion = None;
            claim.metadata.owner_references = Some(vec![owner]);
        }
        claim.status = None;
        let mut value = serde_json::to_value(&claim).unwrap_or_default();
        value["apiVersion"] = "v1".into();
        value["kind"] = "PersistentVolumeClaim".into();
        let Ok(object) = Object::from_value_as(pvc_kind(), value) else { continue };
        writes.push(Write::CreateWithEvent(
            object,
            EventRecord::normal(
                involved.clone(),
                COMPONENT,
                "SuccessfulCreate",
                format!(
                    "{} Claim {name} Pod {pod} in StatefulSet {set_name} success",
                    event_verb(view, "create")
                ),
            ),
        ));
    }
    writes
}

/// A condemned pod's claims under `whenScaled: Delete` get the pod as
/// their owner before it goes, so the garbage collector removes them
/// after it (`updateClaimOwnerRefForSetAndPod`).
fn retain_claims_on_scale_down(
    view: &View<'_>,
    set: &StatefulSet,
    templates: &[PersistentVolumeClaim],
    pod: &Pod,
) -> Vec<Write> {
    let (_, when_scaled) = retention(view, set);
    let set_name = set.metadata.name.as_deref().unwrap_or_default();
    let (Some(ordinal), true) = (ordinal_of(set_name, pod), when_scaled) else { return Vec::new() };
    let ns = set.metadata.namespace.as_deref().unwrap_or("default");
    let mut writes = Vec::new();
    for template in templates {
        let name = claim_name(set, template.metadata.name.as_deref().unwrap_or_default(), ordinal);
        let Some(Object::Generic(claim)) =
            view.store.get(&ObjectRef::namespaced(pvc_kind(), ns, &name))
        else {
            continue;
        };
        let mut claim = claim.clone();
        let owners = claim.metadata.owner_references.get_or_insert_with(Vec::new);
        if owners.iter().any(|o| Some(&o.uid) == pod.metadata.uid.as_ref()) {
            continue;
        }
        owners.push(OwnerReference {
            api_version: "v1".to_owned(),
            kind: "Pod".to_owned(),
            name: pod.metadata.name.clone().unwrap_or_default(),
            uid: pod.metadata.uid.clone().unwrap_or_default(),
            controller: None,
            block_owner_deletion: None,
        });
        writes.push(Write::Update(Object::Generic(claim)));
    }
    writes
}
