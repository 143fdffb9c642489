//! The trigger-time tracker the endpoints and endpoint-slice controllers
//! each keep (`TriggerTimeTracker`, `pkg/controller/util/endpoint/
//! trigger_time_tracker.go`, in `k8s.io/endpointslice/util` from v1.31):
//! the value of the `endpoints.kubernetes.io/last-change-trigger-time`
//! annotation on the objects they write.
//!
//! Each sync of a selector Service computes, over the pods the selector
//! picks (terminating ones too: the lister returns them), the earliest
//! trigger time that is later than what the previous sync of the same
//! Service saw — a pod's `Ready` condition transition, or the Service's
//! creation — and remembers what it saw, whether or not the sync then
//! writes anything. A Service the tracker has not seen yet gives its
//! creation time; none changed gives none, and the controller then
//! removes the annotation. Times are compared as the informer caches hold
//! them: `metav1.Time`, whole seconds.
//!
//! The memory lives in [`crate::sim::runtime::Runtime::trigger_times`],
//! written through [`Write::TriggerTimes`]. Upstream forgets a Service
//! when it is deleted (`DeleteService`), so that a new Service of the same
//! name starts over; here the memory names the Service's uid, and a
//! memory of another uid counts as none. (A whole-world scan, which the
//! debug builds compare the work queues with, never visits a deleted
//! Service's key, so forgetting there could not be checked.)

use std::collections::BTreeMap;

use k8s_openapi::{
    api::core::v1::{Pod, Service},
    apimachinery::pkg::apis::meta::v1::ObjectMeta,
    jiff::Timestamp,
};

use super::{View, Write};
use crate::sim::labels::map_matches;

/// The annotation both controllers stamp.
pub const ANNOTATION: &str = "endpoints.kubernetes.io/last-change-trigger-time";

/// Which controller's tracker: each controller keeps its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tracker {
    /// The endpoints controller's.
    Endpoints,
    /// The endpoint-slice controller's.
    EndpointSlices,
}

/// What one tracker saw of one Service at its last sync (`ServiceState`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceState {
    /// The uid of the Service this memory is of.
    pub uid: String,
    /// Each selected pod's trigger time, by pod name, in whole seconds.
    pub pods: BTreeMap<String, i64>,
    /// The Service's trigger time (its creation), in whole seconds.
    pub service: Option<i64>,
}

/// The memory key of `svc` in `tracker`.
fn key(tracker: Tracker, svc: &Service) -> (Tracker, String) {
    let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
    (tracker, format!("{ns}/{}", svc.metadata.name.as_deref().unwrap_or_default()))
}

/// A sync's trigger time and the tracker's memory write, if its memory
/// changed (`ComputeEndpointLastChangeTriggerTime`). `None` for a Service
/// without a selector, which the controllers return before tracking.
pub fn compute(
    view: &View<'_>,
    tracker: Tracker,
    svc: &Service,
) -> Option<(Option<Timestamp>, Option<Write>)> {
    let selector = svc.spec.as_ref().and_then(|s| s.selector.as_ref()).filter(|s| !s.is_empty())?;
    let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
    let key = key(tracker, svc);
    let uid = svc.metadata.uid.clone().unwrap_or_default();
    let stored = view.runtime.trigger_times.get(&key);
    let previous = stored.filter(|m| m.uid == uid);
    let last = previous.cloned().unwrap_or_default();
    let mut state = ServiceState { uid, ..ServiceState::default() };
    let mut changed: Option<i64> = None;
    for pod in view.store.all::<Pod>(Some(ns)) {
        if !map_matches(selector, pod.metadata.labels.as_ref()) {
            continue;
        }
        let Some(t) = ready_transition(pod) else { continue };
        let name = pod.metadata.name.clone().unwrap_or_default();
        if last.pods.get(&name).is_none_or(|&seen| t > seen) {
            changed = Some(changed.map_or(t, |c| c.min(t)));
        }
        state.pods.insert(name, t);
    }
    let created = svc.metadata.creation_timestamp.as_ref().map(|t| t.0.as_second());
    if let Some(t) = created.filter(|&t| last.service.is_none_or(|seen| t > seen)) {
        changed = Some(changed.map_or(t, |c| c.min(t)));
    }
    state.service = created;
    let trigger = if previous.is_none() { created } else { changed };
    let memory = (stored != Some(&state)).then_some(Write::TriggerTimes(key, Some(state)));
    Some((trigger.and_then(|s| Timestamp::from_second(s).ok()), memory))
}

/// Sets or removes the annotation on a written object's metadata, as
/// `syncService` (endpoints) and `addTriggerTimeAnnotation` (slices) do.
pub fn annotate(meta: &mut ObjectMeta, trigger: Option<Timestamp>) {
    match trigger {
        Some(t) => {
            meta.annotations
                .get_or_insert_with(Default::default)
                .insert(ANNOTATION.to_owned(), t.to_string());
        }
        None => {
            // An emptied map is not stored ([`crate::sim::omitempty`]).
            if let Some(a) = meta.annotations.as_mut() {
                a.remove(ANNOTATION);
            }
        }
    }
}

/// `getPodTriggerTime`: the last transition of the pod's `Ready` condition.
fn ready_transition(pod: &Pod) -> Option<i64> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")?
        .last_transition_time
        .as_ref()
        .map(|t| t.0.as_second())
}
