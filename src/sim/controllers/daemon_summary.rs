//! What a DaemonSet's sync needs of every node, kept up to date: for each
//! node, whether the DaemonSet should run there (`nodeShouldRunDaemonPod`)
//! and what its pods there add to the status (`updateDaemonSetStatus`
//! counts the oldest pod of each node) and to the sync's work (a pod to
//! create, pods to delete, an old pod to update); and the sums over nodes.
//!
//! Upstream's `syncDaemonSet` walks every node on every sync, and a sync
//! follows every daemon pod becoming Ready: O(nodes²) for one rollout. A
//! summary is brought up to date from the nodes whose Node object or
//! whose pods of this DaemonSet changed since it was last brought up to
//! date (the store's [`crate::sim::daemon_pods`] touches), so a sync costs
//! O(changed nodes + log nodes). It is a cache: the same objects give the
//! same summary however it was reached (debug builds compare each sync
//! with the walk over every node, `daemonset::sync_by_walk`).

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Mutex, MutexGuard},
};

use k8s_openapi::{
    api::core::v1::{Node, Pod, PodSpec},
    jiff::Timestamp,
};

use super::View;
use crate::sim::{object::Resource, podutil, store::Store, time};

/// What every verdict and node summary was computed for: a change of any
/// of these starts the summary over.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// The DaemonSet's uid and namespace.
    pub uid: String,
    pub namespace: String,
    /// The daemon pod's spec with its node-name term pointing at ""
    /// (only that term differs between nodes): what the verdicts read.
    pub probe: PodSpec,
    /// The current template's hash (which pods are up to date).
    pub hash: String,
    /// `spec.minReadySeconds` (which pods are available when).
    pub min_ready: i32,
}

/// One node as the sync sees it.
#[derive(Debug, Clone, Default, PartialEq)]
struct NodeSummary {
    /// `nodeShouldRunDaemonPod`.
    run: bool,
    /// The node's oldest pod (`podByCreationTimestampAndPhase`), if any:
    /// whether it is ready and up to date, and from when it is available.
    oldest: Option<Oldest>,
    /// Whether the manage loop may act here: a pod to create (should
    /// run, none active, none terminating), active pods to delete (should
    /// not run), or more than one active pod.
    work: bool,
    /// Whether the node should run the DaemonSet and has an active pod of
    /// an older template (what the rolling update acts on).
    old: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Oldest {
    ready: bool,
    updated: bool,
    /// When it is (or became) available; `None`: not while it stays as it is.
    available_at: Option<Timestamp>,
}

/// One DaemonSet's nodes, summed.
#[derive(Debug, Clone)]
pub struct DaemonSummary {
    inputs: Inputs,
    /// The store revision it is up to date with.
    revision: u64,
    /// The time its availability counts are for.
    now: Timestamp,
    nodes: BTreeMap<String, NodeSummary>,
    /// `desiredNumberScheduled`.
    pub desired: i32,
    /// `currentNumberScheduled`.
    pub current: i32,
    /// `numberMisscheduled`.
    pub misscheduled: i32,
    /// `numberReady`.
    pub ready: i32,
    /// `updatedNumberScheduled`.
    pub updated: i32,
    /// `numberAvailable`: nodes that should run it whose oldest pod is
    /// available at `now`.
    pub available: i32,
    /// The same nodes' oldest pods that become available after `now`.
    available_later: BTreeSet<(Timestamp, String)>,
    /// The nodes where the manage loop may act, in name order.
    work: BTreeSet<String>,
    /// How many nodes have an old pod to update.
    pub old_nodes: usize,
}

/// The summaries of a store's DaemonSets, by uid.
#[derive(Debug, Default)]
pub struct DaemonSummaries(Mutex<BTreeMap<String, DaemonSummary>>);

impl DaemonSummaries {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, DaemonSummary>> {
        // A panic elsewhere while locked leaves a cache that may be
        // half-updated; starting over is always correct.
        self.0.lock().unwrap_or_else(|poisoned| {
            let mut guard = poisoned.into_inner();
            guard.clear();
            guard
        })
    }
}

/// The summary of the DaemonSet `inputs` describe, up to date with the
/// store and `view.now`, handed to `f`.
pub fn with_summary<R>(view: &View<'_>, inputs: Inputs, f: impl FnOnce(&DaemonSummary) -> R) -> R {
    let store = view.store;
    let mut all = store.daemon_summaries().lock();
    let uid = inputs.uid.clone();
    match all.get_mut(&uid) {
        // Same inputs, and neither the store nor the clock went back (a
        // clone of an older store, the bootstrap's warp): bring it up to date.
        Some(s) if s.inputs == inputs && s.revision <= store.revision() && s.now <= view.now => {
            s.update(store, view.now);
            f(s)
        }
        _ => {
            let s = all.entry(uid).insert_entry(DaemonSummary::build(store, inputs, view.now));
            f(s.get())
        }
    }
}

impl DaemonSummary {
    /// A summary from scratch: every node.
    fn build(store: &Store, inputs: Inputs, now: Timestamp) -> DaemonSummary {
        let mut summary = DaemonSummary {
            inputs,
            revision: store.revision(),
            now,
            nodes: BTreeMap::new(),
            desired: 0,
            current: 0,
            misscheduled: 0,
            ready: 0,
            updated: 0,
            available: 0,
            available_later: BTreeSet::new(),
            work: BTreeSet::new(),
            old_nodes: 0,
        };
        let mut probe = probe_pod(&summary.inputs);
        for node in store.all::<Node>(None) {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            let s = summary.node_summary(store, &mut probe, node);
            summary.add(name, s);
        }
        summary
    }

    /// Brings the summary up to the store's revision and `now`.
    fn update(&mut self, store: &Store, now: Timestamp) {
        let mut changed: BTreeSet<String> =
            store.nodes_changed_since(self.revision).map(str::to_owned).collect();
        if let Some(pods) = store.daemon_pods(&self.inputs.uid) {
            changed.extend(pods.changed_since(self.revision).map(str::to_owned));
        }
        let mut probe = probe_pod(&self.inputs);
        for name in changed {
            self.remove(&name);
            if let Some(node) = store.get_typed::<Node>(None, &name) {
                let s = self.node_summary(store, &mut probe, node);
                self.add(&name, s);
            }
        }
        self.revision = store.revision();
        self.now = now;
        while let Some((t, _)) = self.available_later.first() {
            if *t > now {
                break;
            }
            self.available_later.pop_first();
            self.available += 1;
        }
    }

    /// Whether the DaemonSet should run on `node`.
    pub fn runs_on(&self, node: &str) -> bool {
        self.nodes.get(node).is_some_and(|s| s.run)
    }

    /// The nodes where the manage loop may act, in name order.
    pub fn work(&self) -> impl Iterator<Item = &str> {
        self.work.iter().map(String::as_str)
    }

    /// The nodes that should run the DaemonSet, in name order.
    pub fn running_nodes(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().filter(|(_, s)| s.run).map(|(n, _)| n.as_str())
    }

    fn node_summary(&self, store: &Store, probe: &mut Pod, node: &Node) -> NodeSummary {
        let name = node.metadata.name.as_deref().unwrap_or_default();
        point_at(probe, name);
        let run = super::daemonset::should_run(probe, node);
        let inputs = &self.inputs;
        let pods: Vec<&Pod> = store
            .daemon_pods(&inputs.uid)
            .into_iter()
            .flat_map(|d| d.on(name))
            .filter(|r| r.namespace.as_deref() == Some(inputs.namespace.as_str()))
            .filter_map(|r| store.get(r).and_then(Pod::from_object))
            .collect();
        let active: Vec<&Pod> = pods.iter().copied().filter(|p| podutil::is_active(p)).collect();
        let terminating = pods.iter().any(|p| p.metadata.deletion_timestamp.is_some());
        let work = (run && active.is_empty() && !terminating)
            || (!run && !active.is_empty())
            || (run && active.len() > 1);
        let old = run && active.iter().any(|p| !super::daemonset::is_current(p, &inputs.hash));
        let oldest = pods.iter().copied().min_by(|a, b| super::daemonset::oldest_first(a, b));
        let oldest = oldest.map(|p| Oldest {
            ready: podutil::is_ready(p),
            updated: super::daemonset::is_current(p, &inputs.hash),
            available_at: available_at(p, inputs.min_ready),
        });
        NodeSummary { run, oldest, work, old }
    }

    fn add(&mut self, name: &str, s: NodeSummary) {
        self.count(name, &s, 1);
        self.nodes.insert(name.to_owned(), s);
    }

    fn remove(&mut self, name: &str) {
        if let Some(s) = self.nodes.remove(name) {
            self.count(name, &s, -1);
        }
    }

    /// Adds (`sign` 1) or takes away (-1) one node's share.
    fn count(&mut self, name: &str, s: &NodeSummary, sign: i32) {
        let flag = |b: bool| sign * i32::from(b);
        self.desired += flag(s.run);
        if s.work {
            if sign > 0 {
                self.work.insert(name.to_owned());
            } else {
                self.work.remove(name);
            }
        }
        if s.old {
            if sign > 0 {
                self.old_nodes += 1;
            } else {
                self.old_nodes -= 1;
            }
        }
        let Some(oldest) = &s.oldest else { return };
        if !s.run {
            self.misscheduled += sign;
            return;
        }
        self.current += sign;
        self.ready += flag(oldest.ready);
        self.updated += flag(oldest.updated);
        match oldest.available_at {
            Some(t) if t <= self.now => self.available += sign,
            Some(t) => {
                if sign > 0 {
                    self.available_later.insert((t, name.to_owned()));
                } else {
                    self.available_later.remove(&(t, name.to_owned()));
                }
            }
            None => {}
        }
    }
}

/// From when `pod` is available, as `podutil::is_available` decides it
/// for any time; `None` if never while it stays as it is.
fn available_at(pod: &Pod, min_ready: i32) -> Option<Timestamp> {
    if !podutil::is_ready(pod) {
        return None;
    }
    if min_ready <= 0 {
        return Some(Timestamp::MIN);
    }
    podutil::ready_since(pod).map(|t| time::add_secs(t, i64::from(min_ready)))
}

/// The probe pod: only its spec is read (`nodeShouldRunDaemonPod`).
fn probe_pod(inputs: &Inputs) -> Pod {
    Pod { spec: Some(inputs.probe.clone()), ..Default::default() }
}

fn point_at(pod: &mut Pod, node: &str) {
    super::daemonset::point_at(pod, node);
}
