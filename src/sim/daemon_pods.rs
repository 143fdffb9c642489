//! The pods of each DaemonSet by the node each is for, and the store
//! revision at which each node's share (or each Node object) last
//! changed: what lets the DaemonSet controller's sync look again at the
//! nodes that changed since its last sync instead of at every node
//! ([`crate::sim::controllers::daemon_summary`]). Upstream
//! `syncDaemonSet` walks every node on every sync (`getNodesToDaemonPods`,
//! `nodeShouldRunDaemonPod` per node); a sync follows every daemon pod
//! becoming Ready, so that walk made a DaemonSet on N nodes cost O(N²).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::Pod;

use super::{object::ObjectRef, podutil};

/// When each name was last written, and the names by that revision.
#[derive(Debug, Clone, Default)]
pub struct Touches {
    at: BTreeMap<String, u64>,
    by_revision: BTreeSet<(u64, String)>,
}

impl Touches {
    /// Notes a write to `name` at `revision` (the latest the store made).
    pub fn touch(&mut self, name: &str, revision: u64) {
        if let Some(previous) = self.at.insert(name.to_owned(), revision) {
            self.by_revision.remove(&(previous, name.to_owned()));
        }
        self.by_revision.insert((revision, name.to_owned()));
    }

    /// The names written after `revision`, in the order of their last write.
    pub fn since(&self, revision: u64) -> impl Iterator<Item = &str> {
        self.by_revision.range((revision + 1, String::new())..).map(|(_, n)| n.as_str())
    }
}

/// One DaemonSet's pods (every pod it controls, finished and terminating
/// ones too), by the node each is for ([`podutil::daemon_target_node`]).
#[derive(Debug, Clone, Default)]
pub struct DaemonPods {
    by_node: BTreeMap<String, BTreeSet<ObjectRef>>,
    touches: Touches,
}

impl DaemonPods {
    /// Adds (`present`) or drops a pod, noting its node as changed.
    pub(crate) fn index(&mut self, r: &ObjectRef, pod: &Pod, present: bool, revision: u64) {
        let node = podutil::daemon_target_node(pod);
        if present {
            self.by_node.entry(node.to_owned()).or_default().insert(r.clone());
        } else if let Some(set) = self.by_node.get_mut(node) {
            set.remove(r);
            if set.is_empty() {
                self.by_node.remove(node);
            }
        }
        self.touches.touch(node, revision);
    }

    /// The pods for `node`, in namespace and name order.
    pub fn on(&self, node: &str) -> impl Iterator<Item = &ObjectRef> {
        self.by_node.get(node).into_iter().flatten()
    }

    /// The nodes that have pods.
    pub fn nodes(&self) -> impl Iterator<Item = &str> {
        self.by_node.keys().map(String::as_str)
    }

    /// The nodes whose pods changed after `revision`.
    pub fn changed_since(&self, revision: u64) -> impl Iterator<Item = &str> {
        self.touches.since(revision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touches_since_a_revision_name_each_node_once_at_its_last_write() {
        let mut t = Touches::default();
        t.touch("a", 3);
        t.touch("b", 4);
        t.touch("a", 7);
        assert_eq!(t.since(0).collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(t.since(4).collect::<Vec<_>>(), ["a"]);
        assert_eq!(t.since(7).count(), 0);
    }
}
