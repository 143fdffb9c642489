//! Work queues for keyed controllers, the way kube-controller-manager
//! drives its controllers: informers turn each write into the keys it
//! concerns (`cache.ResourceEventHandler` → `workqueue.Add`), a controller
//! syncs one key at a time, and a key that has nothing to do leaves the
//! queue until a write or its own timer (`AddAfter`) brings it back.
//!
//! The simulator's loop asks controllers for work in a fixed order and each
//! keyed controller syncs its dirty keys in key order, so the first key with
//! work is the one a whole-world scan in the same order would have found:
//! queues change what is looked at, never what happens. Debug builds check
//! exactly that on every step ([`crate::sim::cluster`]).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::jiff::Timestamp;

use super::{
    controllers::{View, Write},
    object::ObjectRef,
    store::Change,
};

/// One component of a key's rank.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// A number.
    Int(i64),
    /// A name.
    Str(String),
    /// A time (creation timestamps; `None` sorts first).
    Time(Option<Timestamp>),
}

/// A work-queue key: the object to sync, ranked in the order the
/// controller processes its objects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueueKey {
    /// Sort order ahead of the object reference.
    pub rank: Vec<Part>,
    /// What the key names.
    pub object: ObjectRef,
}

/// A change to machine state outside the store ([`super::runtime`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuntimeChange {
    /// One node's kubelet state beyond its pod records (whether it runs,
    /// its images, its IP counter), and perhaps the records too.
    Node(String),
    /// Only these pod records (by uid) of one node's kubelet state: the
    /// kubelet's pod syncs write their own pod's record, and a pod's sync
    /// reads its own record and the node's state, so only those pods
    /// need a look.
    PodRecords(String, Vec<String>),
    /// Anything else (balancer, back-offs, loads).
    Other,
    /// The Job, CronJob or HPA controller's memory of one of its objects
    /// (its work queue entry, its recommendations): read by that
    /// controller alone, whose sync that wrote it looks again anyway.
    ControllerMemory,
}

/// The keys one change concerns.
#[derive(Debug)]
pub enum Affected {
    /// None of the controller's keys.
    Nothing,
    /// These keys.
    Keys(Vec<QueueKey>),
    /// Possibly any key: resync all.
    All,
    /// The keys that synced with nothing to do and are still live (those
    /// not yet synced are queued already).
    Parked,
}

/// A controller driven by a work queue of [`QueueKey`]s.
pub trait Keyed: Sync {
    /// Every key, for the initial list (and resyncs).
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey>;
    /// The keys a store write concerns; `view` shows the store after it.
    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected;
    /// The keys a machine-state change concerns.
    fn on_runtime(&self, view: &View<'_>, change: &RuntimeChange) -> Affected;
    /// The writes of one key's next action; empty when it has no work. A
    /// key whose object no longer files under it has no work.
    fn sync(&self, view: &View<'_>, key: &QueueKey) -> Vec<Write>;
    /// When an idle key next needs a look even if nothing changes.
    fn wakeup(&self, view: &View<'_>, key: &QueueKey) -> Option<Timestamp>;
    /// Whether every key needs a look whenever the clock moves: for
    /// controllers whose decisions read the time (availability after
    /// `minReadySeconds`) and that have few keys.
    fn on_clock(&self) -> bool {
        false
    }
    /// Whether an idle key still names work the controller may have later;
    /// one that does not is dropped rather than parked.
    fn live(&self, _view: &View<'_>, _key: &QueueKey) -> bool {
        true
    }
}

/// The keys of every stored object of `kind`, in store order.
pub fn object_keys(view: &View<'_>, kind: super::kind::Kind) -> Vec<QueueKey> {
    view.store
        .list(kind, None)
        .map(|o| QueueKey { rank: Vec::new(), object: o.object_ref() })
        .collect()
}

/// For a controller with one key per object of `kind`: the changed
/// object's own key, or for a pod, its controller's (see
/// [`controller_keys`]); nothing for other kinds.
pub fn object_or_controller_keys(
    view: &View<'_>,
    change: &Change,
    kind: super::kind::Kind,
) -> Affected {
    if change.object.kind == kind {
        Affected::Keys(vec![QueueKey { rank: Vec::new(), object: change.object.clone() }])
    } else if change.object.kind == super::kind::Kind::Pod {
        controller_keys(view, change, kind)
    } else {
        Affected::Nothing
    }
}

/// The key of the object of `kind` that controls the changed object,
/// before or after the change (pods of a ReplicaSet, a DaemonSet, ...);
/// `All` for an object no one controls, which the controller may adopt.
pub fn controller_keys(view: &View<'_>, change: &Change, kind: super::kind::Kind) -> Affected {
    let now = view.store.get(&change.object);
    let mut keys = Vec::new();
    for object in [change.old.as_ref(), now].into_iter().flatten() {
        let meta = object.meta();
        match super::podutil::controller_of(meta) {
            Some(owner) if owner.kind == kind.info().kind_name => keys.push(QueueKey {
                rank: Vec::new(),
                object: ObjectRef {
                    kind,
                    namespace: change.object.namespace.clone(),
                    name: owner.name.clone(),
                },
            }),
            Some(_) => {}
            None => return Affected::All,
        }
    }
    Affected::Keys(keys)
}

/// One keyed controller's queue.
#[derive(Debug, Clone, Default)]
pub struct Queue {
    primed: bool,
    dirty: BTreeSet<QueueKey>,
    timers: BTreeSet<(Timestamp, QueueKey)>,
    timer_of: BTreeMap<QueueKey, Timestamp>,
    parked: BTreeSet<QueueKey>,
}

impl Queue {
    /// Files the keys a change concerns.
    pub fn add(&mut self, controller: &dyn Keyed, view: &View<'_>, affected: Affected) {
        match affected {
            Affected::Nothing => {}
            Affected::Keys(keys) => {
                for key in keys {
                    self.mark(key);
                }
            }
            Affected::All => {
                for key in controller.keys(view) {
                    self.mark(key);
                }
            }
            Affected::Parked => {
                for key in std::mem::take(&mut self.parked) {
                    self.mark(key);
                }
            }
        }
    }

    fn mark(&mut self, key: QueueKey) {
        // A key is dirty, parked or neither, and only a parked key has a
        // timer (`next_work` sets both, `expire` and this clear both): a
        // key that was not parked needs no look at the timers.
        if self.parked.remove(&key)
            && let Some(t) = self.timer_of.remove(&key)
        {
            self.timers.remove(&(t, key.clone()));
        }
        self.dirty.insert(key);
    }

    /// The first key's writes, syncing dirty keys in order and parking the
    /// idle ones on their timers.
    pub fn next_work(&mut self, controller: &dyn Keyed, view: &View<'_>) -> Option<Vec<Write>> {
        if !self.primed {
            self.primed = true;
            self.dirty.extend(controller.keys(view));
        }
        while let Some(key) = self.dirty.first().cloned() {
            let writes = controller.sync(view, &key);
            if !writes.is_empty() {
                return Some(writes);
            }
            self.dirty.remove(&key);
            if !controller.live(view, &key) {
                continue;
            }
            if let Some(t) = controller.wakeup(view, &key).filter(|t| *t > view.now) {
                self.timers.insert((t, key.clone()));
                self.timer_of.insert(key.clone(), t);
            }
            self.parked.insert(key);
        }
        None
    }

    /// Looks at every key again on the next sync (and until then has no
    /// timers to offer).
    pub fn resync(&mut self) {
        self.primed = false;
    }

    /// Whether any key might have work (without syncing).
    pub fn has_dirty(&self) -> bool {
        !self.primed || !self.dirty.is_empty()
    }

    /// Moves the keys whose timers are due at `now` back to the queue.
    pub fn expire(&mut self, now: Timestamp) {
        while let Some((t, _)) = self.timers.first() {
            if *t > now {
                break;
            }
            let Some((_, key)) = self.timers.pop_first() else { break };
            self.timer_of.remove(&key);
            self.parked.remove(&key);
            self.dirty.insert(key);
        }
    }

    /// The earliest timer after `now`.
    pub fn next_timer(&self, now: Timestamp) -> Option<Timestamp> {
        self.timers.iter().map(|(t, _)| *t).find(|t| *t > now)
    }
}

/// A keyed controller's whole-world scan: every key in order, the first
/// with work. What the queue must agree with, and the controller's
/// `reconcile`.
pub fn full_scan(controller: &dyn Keyed, view: &View<'_>) -> Vec<Write> {
    let mut keys = controller.keys(view);
    keys.sort();
    keys.iter().map(|k| controller.sync(view, k)).find(|w| !w.is_empty()).unwrap_or_default()
}

/// A keyed controller's next timer by whole-world scan: the earliest of
/// its keys' wake-ups. What the queue's timers must agree with.
pub fn scan_wakeup(controller: &dyn Keyed, view: &View<'_>) -> Option<Timestamp> {
    controller
        .keys(view)
        .iter()
        .filter_map(|k| controller.wakeup(view, k))
        .filter(|t| *t > view.now)
        .min()
}
