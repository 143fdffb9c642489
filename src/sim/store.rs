//! The object store: objects by reference, the global resourceVersion
//! counter (etcd's revision), the secondary indexes controllers need
//! (client-go's `Indexer`: pods by node, objects by controller uid), and
//! the log of changes informers deliver to work queues
//! ([`super::queue`]).

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::atomic::{AtomicU64, Ordering},
};

use k8s_openapi::{api::core::v1::Event, jiff::Timestamp};

use super::{
    controllers::daemon_summary::DaemonSummaries,
    daemon_pods::{DaemonPods, Touches},
    events,
    job_pods::JobPods,
    kind::Kind,
    node_usage::{Allocatable, NodeUsage},
    object::{Object, ObjectRef, Resource},
    pod_tally::PodTally,
    podutil,
};

/// One write, as an informer delivers it: which object, and what it was
/// before (`None` for a create). The object as it is now is in the store.
#[derive(Debug, Clone)]
pub struct Change {
    /// The object written.
    pub object: ObjectRef,
    /// Its previous state, if it existed.
    pub old: Option<Object>,
}

/// All stored objects, ordered by kind, namespace, name.
#[derive(Debug, Default)]
pub struct Store {
    objects: BTreeMap<ObjectRef, Object>,
    /// How many objects of each kind are stored (kinds with none are absent).
    counts: BTreeMap<Kind, usize>,
    revision: u64,
    /// Pods by the node they are bound to.
    pods_by_node: BTreeMap<String, BTreeSet<ObjectRef>>,
    /// Objects by the uid of their controller (ownerReference with
    /// `controller: true`).
    by_controller: BTreeMap<String, BTreeSet<ObjectRef>>,
    /// The revision of the last write or removal of an object each
    /// controller (uid) controls, before or after the write: a controller
    /// that looked at its objects at a later revision knows none changed.
    controlled_revisions: BTreeMap<String, u64>,
    /// Every object by uid.
    uids: BTreeMap<String, ObjectRef>,
    /// Objects by the uid of each of their owners (every ownerReference).
    by_owner: BTreeMap<String, BTreeSet<ObjectRef>>,
    /// Writes not yet delivered to the work queues.
    changes: Vec<Change>,
    /// The revision of the last write to each kind: a reader that saw a
    /// kind at its revision knows nothing of that kind changed since.
    kind_revisions: BTreeMap<Kind, u64>,
    /// Events by their namespace and their involved object's uid: where
    /// the recorder looks for the event a new one repeats.
    events_by_involved: BTreeMap<(Option<String>, Option<String>), BTreeSet<ObjectRef>>,
    /// Events by when they were last seen: what the TTL purge expires.
    events_by_last_seen: BTreeSet<(Option<Timestamp>, ObjectRef)>,
    /// The active pods of each controller (uid) in each namespace, counted
    /// by label set and readiness ([`PodTally`]).
    tallies: BTreeMap<(String, Option<String>), PodTally>,
    /// Each node's assigned, unfinished pods, summed for the scheduler
    /// ([`NodeUsage`]).
    node_usage: BTreeMap<String, NodeUsage>,
    /// Each Node's allocatable resources, parsed ([`Allocatable`]).
    node_allocatable: BTreeMap<String, Allocatable>,
    /// The nodes holding a counted pod with required anti-affinity terms
    /// (the scheduler snapshot's `HavePodsWithRequiredAntiAffinityList`).
    anti_affinity_nodes: BTreeSet<String>,
    /// The pods of each DaemonSet (uid) by the node each is for
    /// ([`DaemonPods`]).
    daemon_pods: BTreeMap<String, DaemonPods>,
    /// The pods of each Job (uid): what its informers saw change, the
    /// ones a sync looks at, the succeeded count ([`JobPods`]).
    job_pods: BTreeMap<String, JobPods>,
    /// When each Node object was last written or removed.
    node_touches: Touches,
    /// The DaemonSet controller's summaries of its nodes: a cache of
    /// what the objects above determine, brought up to date by each sync
    /// from the nodes that changed since ([`DaemonSummaries`]); never part
    /// of the simulation, and a clone starts without it.
    daemon_summaries: DaemonSummaries,
    /// Objects handed out by the read methods: the work a reader did, for
    /// the complexity guard (`tests/scale_guard.rs`). Atomic so that
    /// reading stays `&self`; never part of the simulation.
    reads: AtomicU64,
}

impl Clone for Store {
    fn clone(&self) -> Store {
        Store {
            objects: self.objects.clone(),
            counts: self.counts.clone(),
            revision: self.revision,
            pods_by_node: self.pods_by_node.clone(),
            by_controller: self.by_controller.clone(),
            controlled_revisions: self.controlled_revisions.clone(),
            uids: self.uids.clone(),
            by_owner: self.by_owner.clone(),
            changes: self.changes.clone(),
            kind_revisions: self.kind_revisions.clone(),
            events_by_involved: self.events_by_involved.clone(),
            events_by_last_seen: self.events_by_last_seen.clone(),
            tallies: self.tallies.clone(),
            node_usage: self.node_usage.clone(),
            node_allocatable: self.node_allocatable.clone(),
            anti_affinity_nodes: self.anti_affinity_nodes.clone(),
            daemon_pods: self.daemon_pods.clone(),
            job_pods: self.job_pods.clone(),
            node_touches: self.node_touches.clone(),
            daemon_summaries: DaemonSummaries::default(),
            reads: AtomicU64::new(self.reads()),
        }
    }
}

impl Store {
    /// An empty store whose first write gets revision `start + 1`.
    pub fn new(start: u64) -> Store {
        Store { revision: start, ..Store::default() }
    }

    /// Reads one object.
    pub fn get(&self, r: &ObjectRef) -> Option<&Object> {
        self.count_read();
        self.objects.get(r)
    }

    fn count_read(&self) {
        self.reads.fetch_add(1, Ordering::Relaxed);
    }

    /// How many objects the read methods have handed out so far.
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    /// Sets the read counter (a check that must not count as work puts it
    /// back).
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(crate) fn set_reads(&self, n: u64) {
        self.reads.store(n, Ordering::Relaxed);
    }

    /// Reads one object of a concrete type.
    pub fn get_typed<T: Resource>(&self, namespace: Option<&str>, name: &str) -> Option<&T> {
        let r = ObjectRef {
            kind: T::KIND,
            namespace: namespace.map(str::to_owned),
            name: name.to_owned(),
        };
        self.count_read();
        self.objects.get(&r).and_then(T::from_object)
    }

    /// Objects of one kind, in one namespace or all, sorted by namespace and
    /// name. A namespaced list reads only that namespace's range.
    pub fn list<'a>(
        &'a self,
        kind: Kind,
        namespace: Option<&str>,
    ) -> impl Iterator<Item = &'a Object> + use<'a> {
        let namespace = namespace.map(str::to_owned);
        let start = ObjectRef { kind, namespace: namespace.clone(), name: String::new() };
        self.objects
            .range(start..)
            .take_while(move |(r, _)| {
                r.kind == kind && (namespace.is_none() || r.namespace == namespace)
            })
            .map(|(_, o)| {
                self.count_read();
                o
            })
    }

    /// Objects of one concrete type, in one namespace or all.
    pub fn all<'a, T: Resource + 'a>(
        &'a self,
        namespace: Option<&str>,
    ) -> impl Iterator<Item = &'a T> + use<'a, T> {
        self.list(T::KIND, namespace).filter_map(T::from_object)
    }

    /// The pods bound to `node`, in namespace and name order.
    pub fn pods_on_node<'a>(
        &'a self,
        node: &str,
    ) -> impl Iterator<Item = &'a k8s_openapi::api::core::v1::Pod> + use<'a> {
        self.pods_by_node
            .get(node)
            .into_iter()
            .flatten()
            .filter_map(|r| self.get(r).and_then(Resource::from_object))
    }

    /// The objects whose controller has `uid`, in kind, namespace and name
    /// order.
    pub fn controlled_by<'a>(&'a self, uid: &str) -> impl Iterator<Item = &'a Object> + use<'a> {
        self.by_controller.get(uid).into_iter().flatten().filter_map(|r| self.get(r))
    }

    /// The active pods of the controller with `uid` in `namespace`, counted.
    pub fn pod_tally(&self, uid: &str, namespace: Option<&str>) -> Option<&PodTally> {
        self.count_read();
        self.tallies.get(&(uid.to_owned(), namespace.map(str::to_owned)))
    }

    /// The scheduler's sums over the pods bound to `node` ([`NodeUsage`]).
    pub fn node_usage(&self, node: &str) -> Option<&NodeUsage> {
        self.count_read();
        self.node_usage.get(node)
    }

    /// A stored Node's allocatable resources, parsed when it was written
    /// (part of the Node, so no read of its own).
    pub fn node_allocatable(&self, node: &str) -> Option<Allocatable> {
        self.node_allocatable.get(node).copied()
    }

    /// The nodes holding an assigned, unfinished pod with required pod
    /// anti-affinity terms.
    pub fn nodes_with_required_anti_affinity(&self) -> impl Iterator<Item = &str> + '_ {
        self.anti_affinity_nodes.iter().map(String::as_str)
    }

    /// The pods of the DaemonSet with `uid` by node, if it has any.
    pub fn daemon_pods(&self, uid: &str) -> Option<&DaemonPods> {
        self.count_read();
        self.daemon_pods.get(uid)
    }

    /// The Nodes written or removed after `revision`.
    pub fn nodes_changed_since(&self, revision: u64) -> impl Iterator<Item = &str> {
        self.node_touches.since(revision)
    }

    /// The DaemonSet controller's cache ([`DaemonSummaries`]).
    pub(crate) fn daemon_summaries(&self) -> &DaemonSummaries {
        &self.daemon_summaries
    }

    /// Whether a pod no controller owns is stored in `namespace`.
    pub fn has_orphan_pods_in(&self, namespace: Option<&str>) -> bool {
        self.count_read();
        let Some(orphans) = self.by_controller.get("") else { return false };
        let start = ObjectRef {
            kind: Kind::Pod,
            namespace: namespace.map(str::to_owned),
            name: String::new(),
        };
        orphans
            .range(start..)
            .next()
            .is_some_and(|r| r.kind == Kind::Pod && r.namespace.as_deref() == namespace)
    }

    /// The events in `namespace` about the object with `uid`, in name
    /// order (what `all::<Event>(namespace)` filtered by the involved
    /// object's uid yields).
    pub fn events_involving<'a>(
        &'a self,
        namespace: &str,
        uid: Option<&str>,
    ) -> impl Iterator<Item = &'a Event> + use<'a> {
        self.events_by_involved
            .get(&(Some(namespace.to_owned()), uid.map(str::to_owned)))
            .into_iter()
            .flatten()
            .filter_map(|r| self.get(r).and_then(Resource::from_object))
    }

    /// The events last seen before the time `expired` accepts (a
    /// predicate that holds for every time before the first it rejects),
    /// in store order.
    pub fn events_seen_before(&self, expired: impl Fn(Timestamp) -> bool) -> Vec<ObjectRef> {
        let mut refs: Vec<ObjectRef> = self
            .events_by_last_seen
            .iter()
            .skip_while(|(t, _)| t.is_none())
            .take_while(|(t, _)| t.is_some_and(&expired))
            .map(|(_, r)| r.clone())
            .collect();
        refs.sort();
        refs
    }

    /// The objects that name `uid` among their owners.
    pub fn dependents_of<'a>(&'a self, uid: &str) -> impl Iterator<Item = &'a ObjectRef> + use<'a> {
        self.by_owner.get(uid).into_iter().flatten()
    }

    /// Pods no controller owns, in namespace and name order.
    pub fn orphan_pods<'a>(
        &'a self,
    ) -> impl Iterator<Item = &'a k8s_openapi::api::core::v1::Pod> + use<'a> {
        self.pods_controlled_by("")
    }

    /// Pods whose controller has `uid`.
    pub fn pods_controlled_by<'a>(
        &'a self,
        uid: &str,
    ) -> impl Iterator<Item = &'a k8s_openapi::api::core::v1::Pod> + use<'a> {
        self.controlled_by(uid).filter_map(Resource::from_object)
    }

    /// The kinds that have at least one stored object, in order.
    pub fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.counts.keys().copied()
    }

    /// Whether an object exists.
    pub fn contains(&self, r: &ObjectRef) -> bool {
        self.objects.contains_key(r)
    }

    /// Stores an object under a fresh resourceVersion; returns the stored copy.
    pub fn put(&mut self, mut object: Object) -> Object {
        super::omitempty::drop_empty(&mut object);
        self.revision += 1;
        object.meta_mut().resource_version = Some(self.revision.to_string());
        let r = object.object_ref();
        let kind = r.kind;
        self.kind_revisions.insert(kind, self.revision);
        if kind == Kind::Node {
            self.node_touches.touch(&r.name, self.revision);
        }
        let old = self.objects.insert(r.clone(), object.clone());
        match &old {
            Some(previous) => self.index(&r, previous, false),
            None => *self.counts.entry(kind).or_default() += 1,
        }
        // Re-index after unindexing the old state, which may share keys.
        self.index(&r, &object, true);
        self.changes.push(Change { object: r, old });
        object
    }

    /// Removes an object.
    pub fn remove(&mut self, r: &ObjectRef) -> Option<Object> {
        let removed = self.objects.remove(r);
        if let Some(old) = &removed {
            self.revision += 1;
            self.index(r, old, false);
            self.kind_revisions.insert(r.kind, self.revision);
            if r.kind == Kind::Node {
                self.node_touches.touch(&r.name, self.revision);
            }
            if let Some(n) = self.counts.get_mut(&r.kind) {
                *n -= 1;
                if *n == 0 {
                    self.counts.remove(&r.kind);
                }
            }
            self.changes.push(Change { object: r.clone(), old: removed.clone() });
        }
        removed
    }

    /// The pods of the Job with `uid` ([`JobPods`]): reading it counts
    /// as one read.
    pub fn job_pods(&self, uid: &str) -> Option<&JobPods> {
        self.count_read();
        self.job_pods.get(uid)
    }

    /// The revision of the last write or removal of an object the
    /// controller with `uid` controls (or controlled before the write); 0
    /// if none was ever written.
    pub fn controlled_revision(&self, uid: &str) -> u64 {
        self.controlled_revisions.get(uid).copied().unwrap_or(0)
    }

    /// The revision of the last write (or removal) of an object of `kind`;
    /// 0 if none was ever written.
    pub fn kind_revision(&self, kind: Kind) -> u64 {
        self.kind_revisions.get(&kind).copied().unwrap_or(0)
    }

    /// The store's current revision.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Finds an object by uid (owner references).
    pub fn find_uid(&self, kind: Kind, namespace: Option<&str>, uid: &str) -> Option<&Object> {
        let r = self.uids.get(uid)?;
        (r.kind == kind && (namespace.is_none() || r.namespace.as_deref() == namespace))
            .then(|| self.objects.get(r))
            .flatten()
    }

    /// The object with `uid`, of any kind.
    pub fn uid(&self, uid: &str) -> Option<&ObjectRef> {
        self.uids.get(uid)
    }

    /// Whether writes wait to be delivered.
    pub(crate) fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }

    /// The writes since the last call, oldest first.
    pub(crate) fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    /// Adds (`present`) or drops `object`'s entries in the secondary
    /// indexes.
    fn index(&mut self, r: &ObjectRef, object: &Object, present: bool) {
        let node = match object {
            Object::Pod(p) => podutil::node_name(p).map(str::to_owned),
            _ => None,
        };
        if let Object::Event(e) = object {
            let key = (r.namespace.clone(), e.involved_object.uid.clone());
            let seen = (events::last_seen(e), r.clone());
            if present {
                self.events_by_involved.entry(key).or_default().insert(r.clone());
                self.events_by_last_seen.insert(seen);
            } else {
                if let Some(set) = self.events_by_involved.get_mut(&key) {
                    set.remove(r);
                    if set.is_empty() {
                        self.events_by_involved.remove(&key);
                    }
                }
                self.events_by_last_seen.remove(&seen);
            }
        }
        if let Object::Node(n) = object {
            if present {
                self.node_allocatable.insert(r.name.clone(), Allocatable::of(n));
            } else {
                self.node_allocatable.remove(&r.name);
            }
        }
        if let Object::Pod(p) = object
            && let Some(owner) = podutil::controller_of(&p.metadata)
            && PodTally::counts(p)
        {
            let key = (owner.uid.clone(), r.namespace.clone());
            let tally = self.tallies.entry(key.clone()).or_default();
            tally.count(p, present);
            if tally.is_empty() {
                self.tallies.remove(&key);
            }
        }
        if let Object::Pod(p) = object
            && let Some(owner) = podutil::controller_of(&p.metadata)
            && owner.kind == "DaemonSet"
        {
            // Kept when its last pod goes: the touches say which node lost it.
            let pods = self.daemon_pods.entry(owner.uid.clone()).or_default();
            pods.index(r, p, present, self.revision);
        }
        if let Object::Pod(p) = object
            && let Some(owner) = podutil::controller_of(&p.metadata)
            && owner.kind == "Job"
        {
            // Kept when its last pod goes: the informers' view of it.
            let pods = self.job_pods.entry(owner.uid.clone()).or_default();
            pods.index(r, p, present, self.revision);
        }
        if let Object::Pod(p) = object
            && let Some(node) = node.as_ref()
            && NodeUsage::counts(p)
        {
            let usage = self.node_usage.entry(node.clone()).or_default();
            usage.count(p, present);
            if usage.pods_with_required_anti_affinity > 0 {
                self.anti_affinity_nodes.insert(node.clone());
            } else {
                self.anti_affinity_nodes.remove(node);
            }
            if usage.is_empty() {
                self.node_usage.remove(node);
            }
        }
        // Pods no one controls file under "": controllers may adopt them.
        let controller = match podutil::controller_of(object.meta()) {
            Some(owner) => Some(owner.uid.clone()),
            None => matches!(object, Object::Pod(_)).then(String::new),
        };
        for owner in object.meta().owner_references.iter().flatten() {
            if present {
                self.by_owner.entry(owner.uid.clone()).or_default().insert(r.clone());
            } else if let Some(set) = self.by_owner.get_mut(&owner.uid) {
                set.remove(r);
                if set.is_empty() {
                    self.by_owner.remove(&owner.uid);
                }
            }
        }
        if let Some(uid) = object.meta().uid.as_ref() {
            if present {
                self.uids.insert(uid.clone(), r.clone());
            } else if self.uids.get(uid) == Some(r) {
                self.uids.remove(uid);
            }
        }
        if let Some(uid) = controller.as_ref().filter(|u| !u.is_empty()) {
            self.controlled_revisions.insert(uid.clone(), self.revision);
        }
        for (index, key) in [(&mut self.pods_by_node, node), (&mut self.by_controller, controller)]
        {
            let Some(key) = key else { continue };
            if present {
                index.entry(key).or_default().insert(r.clone());
            } else if let Some(set) = index.get_mut(&key) {
                set.remove(r);
                if set.is_empty() {
                    index.remove(&key);
                }
            }
        }
    }
}
