//! The garbage collector (`pkg/controller/garbagecollector`, background
//! propagation) and the pod GC (`pkg/controller/podgc`, [`pod_gc`]):
//! dependents whose owners are all gone are deleted; pods bound to a
//! vanished node are deleted after its quarantine.

use super::{Controller, View, Write, pod_gc};
use crate::sim::{
    DeleteOptions, Kind, Object, ObjectRef,
    queue::{self, Affected, Keyed, Part, QueueKey, RuntimeChange},
    store::Change,
};

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
        queue::full_scan(self, view)
    }

    fn next_wakeup(&self, view: &View<'_>) -> Option<k8s_openapi::jiff::Timestamp> {
        queue::scan_wakeup(self, view)
    }

    fn keyed(&self) -> Option<&dyn Keyed> {
        Some(self)
    }
}

/// The kinds whose objects the collector deletes when their owners are
/// gone, in the order it looks at them.
fn dependent_kinds() -> impl Iterator<Item = Kind> {
    DEPENDENT_KINDS.iter().copied().chain([crate::sim::quota::pvc_kind()])
}

/// Keys: each dependent with owners (ranked by kind), then each pod's
/// check of its node (the pod GC). A write to any object concerns the
/// objects that name it as owner; a node's, the pods bound to it.
impl Keyed for GarbageCollector {
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey> {
        let mut keys = Vec::new();
        for (i, kind) in dependent_kinds().enumerate() {
            keys.extend(
                view.store
                    .list(kind, None)
                    .filter(|o| o.meta().owner_references.as_ref().is_some_and(|r| !r.is_empty()))
                    .map(|o| dependent_key(i, o.object_ref())),
            );
        }
        keys.extend(view.store.list(Kind::Pod, None).map(|o| node_check_key(o.object_ref())));
        keys
    }

    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected {
        let r = &change.object;
        let mut keys = Vec::new();
        if let Some(i) = dependent_kinds().position(|k| k == r.kind) {
            keys.push(dependent_key(i, r.clone()));
        }
        match r.kind {
            Kind::Pod => keys.push(node_check_key(r.clone())),
            Kind::Node => keys.extend(view.store.pods_on_node(&r.name).map(|p| {
                node_check_key(ObjectRef::namespaced(
                    Kind::Pod,
                    p.metadata.namespace.as_deref().unwrap_or("default"),
                    p.metadata.name.as_deref().unwrap_or_default(),
                ))
            })),
            _ => {}
        }
        // A dependent's verdict reads only whether each owner exists (by
        // uid, kind and namespace, none of which an update changes): an
        // owner's update (a ReplicaSet's status after each of its pods'
        // changes) concerns none of its dependents, its creation or removal
        // all of them.
        let now = view.store.get(r);
        if change.old.is_some() && now.is_some() {
            return Affected::Keys(keys);
        }
        for uid in
            [change.old.as_ref(), now].into_iter().flatten().filter_map(|o| o.meta().uid.as_deref())
        {
            for dependent in view.store.dependents_of(uid) {
                if let Some(i) = dependent_kinds().position(|k| k == dependent.kind) {
                    keys.push(dependent_key(i, dependent.clone()));
                }
            }
        }
        Affected::Keys(keys)
    }

    fn on_runtime(&self, _view: &View<'_>, _change: &RuntimeChange) -> Affected {
        Affected::Nothing
    }

    fn sync(&self, view: &View<'_>, key: &QueueKey) -> Vec<Write> {
        let Some(object) = view.store.get(&key.object) else { return Vec::new() };
        if key.rank.first() == Some(&Part::Int(1)) {
            let Object::Pod(pod) = object else { return Vec::new() };
            return pod_gc::orphan(view, pod);
        }
        if object.meta().deletion_timestamp.is_none() && orphaned(view, object) {
            return vec![Write::Delete(key.object.clone(), DeleteOptions::default())];
        }
        Vec::new()
    }

    fn wakeup(&self, view: &View<'_>, key: &QueueKey) -> Option<k8s_openapi::jiff::Timestamp> {
        if key.rank.first() != Some(&Part::Int(1)) {
            return None;
        }
        let Some(Object::Pod(pod)) = view.store.get(&key.object) else { return None };
        pod_gc::due(view, pod)
    }

    fn live(&self, view: &View<'_>, key: &QueueKey) -> bool {
        view.store.contains(&key.object)
    }
}

fn dependent_key(kind_index: usize, object: ObjectRef) -> QueueKey {
    QueueKey { rank: vec![Part::Int(0), Part::Int(kind_index as i64)], object }
}

fn node_check_key(pod: ObjectRef) -> QueueKey {
    QueueKey { rank: vec![Part::Int(1)], object: pod }
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
