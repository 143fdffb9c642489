//! Controllers: reconcile functions over a read-only [`View`] of the cluster
//! that return the [`Write`]s to make. Only the cluster loop applies writes
//! (DESIGN §1). Each call performs at most ONE action — one object's
//! reconcile — so transient states stay observable between steps.

pub mod clusterrole_aggregation;
pub mod cronjob;
pub mod daemon_summary;
pub mod daemonset;
pub mod deployment;
pub mod deployment_util;
pub mod disruption;
pub mod endpoints;
pub mod endpointslice;
pub mod fit_error;
pub mod gc;
pub mod hpa;
pub mod inter_pod_affinity;
pub mod job;
pub mod kubelet;
pub mod kubelet_env;
pub mod kubelet_process;
pub mod lifecycle_hooks;
pub mod namespace;
pub mod node_sampling;
pub mod nodelifecycle;
pub mod persistentvolume;
pub mod pod_gc;
pub mod pod_topology_spread;
pub mod preemption;
pub mod prober;
pub mod pv_protection;
pub mod pvc_protection;
pub mod replicaset;
pub mod resourcequota;
pub mod revision_patch;
pub mod scheduler;
pub mod service_lb;
pub mod statefulset;
pub mod trigger_time;
pub mod ttlafterfinished;
pub mod volume_binding;

use k8s_openapi::jiff::Timestamp;

use super::{
    cluster::DeleteOptions,
    config::ClusterConfig,
    events::EventRecord,
    object::{Object, ObjectRef},
    runtime::{HpaMemory, JobQueue, NodeRuntime, Runtime},
    store::Store,
};

/// The work-queue key of a namespaced object: `namespace/name`, as
/// client-go's `MetaNamespaceKeyFunc` builds it.
pub(crate) fn queue_key(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> String {
    format!(
        "{}/{}",
        meta.namespace.as_deref().unwrap_or("default"),
        meta.name.as_deref().unwrap_or_default()
    )
}

/// A queue key whose object no longer exists: a controller's memory of it
/// (back-off, schedule) is dropped on its next sync, which finds nothing.
pub(crate) fn stale_key<'k, T: super::object::Resource>(
    view: &View<'_>,
    keys: impl Iterator<Item = &'k String>,
) -> Option<&'k String> {
    keys.into_iter().find(|key| {
        let (ns, name) = key.split_once('/').unwrap_or(("default", key));
        view.store.get_typed::<T>(Some(ns), name).is_none()
    })
}

/// A controller deleting a pod it owns, with the `SuccessfulDelete`
/// event on the owner (`pkg/controller/controller_utils.go` DeletePod).
pub(crate) fn delete_owned_pod(
    involved: &k8s_openapi::api::core::v1::ObjectReference,
    component: &'static str,
    pod: &k8s_openapi::api::core::v1::Pod,
) -> [Write; 2] {
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
    [
        Write::Delete(
            ObjectRef::namespaced(super::kind::Kind::Pod, namespace, name),
            DeleteOptions::default(),
        ),
        Write::Event(EventRecord::normal(
            involved.clone(),
            component,
            "SuccessfulDelete",
            format!("Deleted pod: {name}"),
        )),
    ]
}

/// When a controller may next create pods for the owner with `uid`, if
/// a rejected create holds it back until after now.
pub(crate) fn create_held_until(view: &View<'_>, uid: Option<&str>) -> Option<Timestamp> {
    let backoff = view.runtime.create_backoff.get(uid?)?;
    (backoff.retry_at > view.now).then_some(backoff.retry_at)
}

/// The earliest time any held-back owner may create again.
pub(crate) fn next_create_retry(view: &View<'_>) -> Option<Timestamp> {
    view.runtime.create_backoff.values().map(|b| b.retry_at).filter(|t| *t > view.now).min()
}

/// What a controller may read.
pub struct View<'a> {
    /// The objects.
    pub store: &'a Store,
    /// Node-local machine state.
    pub runtime: &'a Runtime,
    /// The virtual time now.
    pub now: Timestamp,
    /// The cluster's shape.
    pub config: &'a ClusterConfig,
}

/// A change a controller asks the loop to make.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Write {
    /// Create through the API (admission, generateName).
    Create(Object),
    /// Create, then record an event whose message has `{name}` replaced by
    /// the created object's name (`Created pod: {name}`). A rejected pod
    /// create records the Warning `FailedCreate` (`Error creating: ...`)
    /// on the same object instead and holds its creator back
    /// ([`create_held_until`]), as `controller.PodControl.CreatePods` and
    /// the work queue's rate limiter do; later pod creates of the same
    /// owner in the same action follow `slowStartBatch` (batches of 1, 2,
    /// 4, ...; none after a batch with a failure).
    CreateWithEvent(Object, EventRecord),
    /// Replace an object (status or spec).
    Update(Object),
    /// Delete through the API (pods get a deletionTimestamp).
    Delete(ObjectRef, DeleteOptions),
    /// Remove from storage now (the kubelet's final delete, grace 0).
    Remove(ObjectRef),
    /// Record an event.
    Event(EventRecord),
    /// Replace one node's machine state.
    Runtime(String, NodeRuntime),
    /// Replace (or drop) the job controller's memory of one Job.
    JobQueue(String, Option<JobQueue>),
    /// Create a CronJob's Job, record the event (`{name}` replaced as for
    /// `CreateWithEvent`), then store the CronJob (third field) with a
    /// reference to the created Job appended to `status.active`:
    /// `syncCronJob` does all three in one sync, and the reference carries
    /// the uid the API server assigns. Nothing after a failed create.
    CreateActiveJob(Object, EventRecord, Object),
    /// Replace (or drop) the CronJob controller's memory of one CronJob.
    CronJobQueue(String, Option<JobQueue>),
    /// Put (or drop) a missing node in the pod GC's quarantine.
    PodGcQuarantine(String, Option<Timestamp>),
    /// Replace (or drop) the HPA controller's memory of one autoscaler.
    HpaMemory(String, Option<HpaMemory>),
    /// Replace the Services' round-robin positions: a container's main
    /// process connected through a Service (the kubelet answering its
    /// network call, [`super::traffic`]).
    Balancer(std::collections::BTreeMap<String, u64>),
    /// Replace (or drop) one trigger-time tracker's memory of one Service.
    TriggerTimes((trigger_time::Tracker, String), Option<trigger_time::ServiceState>),
    /// Move the scheduler's next search start (`nextStartNodeIndex`,
    /// [`node_sampling`]).
    SchedulerStart(usize),
}

/// A control loop.
pub trait Controller: Sync {
    /// Name, for diagnostics.
    fn name(&self) -> &'static str;
    /// The writes of this controller's next action; empty when it has no work.
    fn reconcile(&self, view: &View<'_>) -> Vec<Write>;
    /// When this controller next needs to look again even if nothing else
    /// changes (a pull finishing, a grace period ending).
    fn next_wakeup(&self, _view: &View<'_>) -> Option<Timestamp> {
        None
    }
    /// The controller's work-queue form, if it has one: the loop then syncs
    /// only the keys that writes and timers concern ([`super::queue`]).
    fn keyed(&self) -> Option<&dyn super::queue::Keyed> {
        None
    }
}

/// The controllers, in the fixed order the loop asks them for work.
pub const CONTROLLERS: &[&dyn Controller] = &[
    &namespace::NamespaceController,
    &gc::GarbageCollector,
    &resourcequota::ResourceQuotaController,
    &nodelifecycle::NodeLifecycle,
    &deployment::DeploymentController,
    &replicaset::ReplicaSetController,
    &daemonset::DaemonSetController,
    &statefulset::StatefulSetController,
    &disruption::DisruptionController,
    &hpa::HpaController,
    &cronjob::CronJobController,
    &job::JobController,
    &ttlafterfinished::TtlAfterFinished,
    &clusterrole_aggregation::ClusterRoleAggregation,
    &endpoints::EndpointsController,
    &endpointslice::EndpointSliceController,
    &service_lb::LoadBalancerController,
    &persistentvolume::PersistentVolumeController,
    &pvc_protection::PvcProtection,
    &pv_protection::PvProtection,
    &scheduler::Scheduler,
    &kubelet::Kubelet,
];
