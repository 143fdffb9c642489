//! The garbage collector (`pkg/controller/garbagecollector`, background
//! propagation) and the pod GC (`pkg/controller/podgc`): dependents whose
//! owners are all gone are deleted; pods bound to a vanished node are
//! removed.

use k8s_openapi::api::core::v1::Pod;

use super::{Controller, View, Write};
use crate::sim::{DeleteOptions, Kind, Object, ObjectRef, podutil};

/// Kinds that carry owner references worth collecting.
const DEPENDENT_KINDS: &[Kind] = &[
    Kind::ReplicaSet,
    Kind::Pod,
    Kind::ControllerRevision,
    Kind::Job,
    Kind::Endpoints,
    Kind::EndpointSlice,
];

/// The garbage collector.
pub struct GarbageCollector;

impl Controller for GarbageCollector {
    fn name(&self) -> &'static str {
        "garbage-collector"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        let generic = [crate::sim::quota::pvc_kind()];
        for kind in DEPENDENT_KINDS.iter().chain(&generic) {
            for object in view.store.list(*kind, None) {
                if object.meta().deletion_timestamp.is_some() {
                    continue;
                }
                if orphaned(view, object) {
                    return vec![Write::Delete(object.object_ref(), DeleteOptions::default())];
                }
            }
        }
        for pod in view.store.all::<Pod>(None) {
            if let Some(node) = podutil::node_name(pod)
                && !view.store.contains(&ObjectRef::cluster(Kind::Node, node))
            {
                let r = ObjectRef::namespaced(
                    Kind::Pod,
                    pod.metadata.namespace.as_deref().unwrap_or("default"),
                    pod.metadata.name.as_deref().unwrap_or_default(),
                );
                return vec![Write::Remove(r)];
            }
        }
        Vec::new()
    }
}

/// Whether every owner of `object` is gone.
fn orphaned(view: &View<'_>, object: &Object) -> bool {
    let refs = object.meta().owner_references.as_deref().unwrap_or_default();
    if refs.is_empty() {
        return false;
    }
    refs.iter().all(|o| {
        let Some(kind) = crate::sim::registry::builtin_kind_of(&o.api_version, &o.kind) else {
            return false;
        };
        let ns = if kind.info().namespaced { object.namespace() } else { None };
        view.store.find_uid(kind, ns, &o.uid).is_none()
    })
}
