//! The pods of each Job, kept by the store as pods are written, for the
//! two things the Job controller did by listing every pod of the Job:
//!
//! - its informers' view (`addPod`/`updatePod`/`deletePod`): which pods
//!   were written or went since the controller last looked, and whether
//!   each existed then ([`JobPods::since`]);
//! - `syncJob`'s counts: the pods it must look at one by one (active,
//!   terminating, or still holding the tracking finalizer: the ones whose
//!   status is not yet counted in the Job's), and how many succeeded.
//!
//! Upstream lists the Job's pods from the informer cache on every sync
//! (`getPodsForJob`), and a Job is synced after each change of one of
//! its pods, which made a Job of n completions cost O(n²) here: its
//! finished pods stay in the store (without the finalizer) until the Job
//! goes. The finished, counted pods now cost a count.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::Pod;

use super::{controllers::job::tracking, object::ObjectRef, podutil};

/// When one pod (by name) existed under the Job: each span from the
/// revision that added it to the one that removed it (`None`: still
/// there). An update is a removal and an addition at one revision, which
/// joins the spans; a new span opens only when the pod was gone.
#[derive(Debug, Clone, Default)]
struct Entry {
    spans: Vec<(u64, Option<u64>)>,
    /// The revision of its last write or removal.
    written: u64,
}

impl Entry {
    fn present(&self) -> bool {
        self.spans.last().is_some_and(|(_, end)| end.is_none())
    }

    /// Whether the pod was there at `revision` (an informer that had
    /// caught up to it held the pod).
    fn existed_at(&self, revision: u64) -> bool {
        self.spans.iter().any(|&(from, to)| from <= revision && to.is_none_or(|t| revision < t))
    }
}

/// What became of one pod since a revision ([`JobPods::since`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Written, and there both then and now (`updatePod`).
    Updated,
    /// There now, not then (`addPod`).
    Added,
    /// There then, not now (`deletePod`).
    Deleted,
}

/// One Job's pods (every pod whose controller it is, in any namespace).
#[derive(Debug, Clone, Default)]
pub struct JobPods {
    entries: BTreeMap<ObjectRef, Entry>,
    /// Each pod by the revision of its last write or removal (one object
    /// a revision).
    by_revision: BTreeMap<u64, ObjectRef>,
    /// Pods active, terminating or holding the tracking finalizer.
    open: BTreeSet<ObjectRef>,
    /// Succeeded pods per namespace.
    succeeded: BTreeMap<Option<String>, usize>,
}

impl JobPods {
    /// Adds (`present`) or drops a pod at `revision` (the store's latest).
    pub(crate) fn index(&mut self, r: &ObjectRef, pod: &Pod, present: bool, revision: u64) {
        let entry = self.entries.entry(r.clone()).or_default();
        self.by_revision.remove(&entry.written);
        entry.written = revision;
        self.by_revision.insert(revision, r.clone());
        if present {
            match entry.spans.last_mut() {
                Some((_, end)) if *end == Some(revision) => *end = None,
                _ => entry.spans.push((revision, None)),
            }
        } else if let Some((_, end)) = entry.spans.last_mut() {
            *end = Some(revision);
        }
        if podutil::is_active(pod) || podutil::is_terminating(pod) || tracking::has_finalizer(pod) {
            if present {
                self.open.insert(r.clone());
            } else {
                self.open.remove(r);
            }
        }
        if podutil::phase(pod) == "Succeeded" {
            let n = self.succeeded.entry(r.namespace.clone()).or_default();
            if present {
                *n += 1;
            } else {
                *n -= 1;
            }
        }
    }

    /// The pods written or removed after `revision`, in the order of
    /// their last change, with what became of each; pods added and gone
    /// again since are left out, as an informer that had not looked in
    /// between never saw them.
    pub fn since(&self, revision: u64) -> impl Iterator<Item = (&ObjectRef, Seen)> {
        self.by_revision.range(revision + 1..).filter_map(move |(_, r)| {
            let entry = &self.entries[r];
            match (entry.existed_at(revision), entry.present()) {
                (true, true) => Some((r, Seen::Updated)),
                (false, true) => Some((r, Seen::Added)),
                (true, false) => Some((r, Seen::Deleted)),
                (false, false) => None,
            }
        })
    }

    /// The pods active, terminating or holding the tracking finalizer, in
    /// the store's order (namespace, name).
    pub fn open(&self) -> impl Iterator<Item = &ObjectRef> {
        self.open.iter()
    }

    /// The succeeded pods in `namespace`.
    pub fn succeeded(&self, namespace: Option<&str>) -> usize {
        self.succeeded.get(&namespace.map(str::to_owned)).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

    use super::*;
    use crate::sim::Kind;

    fn pod(phase: &str, finalizer: bool) -> Pod {
        let mut p = Pod {
            metadata: ObjectMeta { name: Some("p".into()), ..Default::default() },
            status: Some(k8s_openapi::api::core::v1::PodStatus {
                phase: Some(phase.into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        if finalizer {
            tracking::add_finalizer(&mut p);
        }
        p
    }

    /// The informers' view across creates, updates, deletes and a pod
    /// recreated under its old name; the open set and the count as a
    /// pod runs, succeeds and lets go of its finalizer.
    #[test]
    fn since_and_counts_follow_the_writes() {
        let r = ObjectRef::namespaced(Kind::Pod, "default", "p");
        let mut jp = JobPods::default();
        // Created at 10, updated at 12 (removal then addition, as `put`).
        jp.index(&r, &pod("Pending", true), true, 10);
        assert_eq!(jp.since(9).collect::<Vec<_>>(), vec![(&r, Seen::Added)]);
        assert_eq!(jp.since(10).count(), 0);
        jp.index(&r, &pod("Pending", true), false, 12);
        jp.index(&r, &pod("Succeeded", true), true, 12);
        assert_eq!(jp.since(11).collect::<Vec<_>>(), vec![(&r, Seen::Updated)]);
        assert_eq!(jp.since(9).collect::<Vec<_>>(), vec![(&r, Seen::Added)]);
        assert_eq!(jp.open().count(), 1, "succeeded, still holding the finalizer");
        assert_eq!(jp.succeeded(Some("default")), 1);
        jp.index(&r, &pod("Succeeded", true), false, 13);
        jp.index(&r, &pod("Succeeded", false), true, 13);
        assert_eq!(jp.open().count(), 0, "counted and released");
        assert_eq!(jp.succeeded(Some("default")), 1);
        // Removed at 15: gone for a look at 13, never there for one at 9.
        jp.index(&r, &pod("Succeeded", false), false, 15);
        assert_eq!(jp.since(13).collect::<Vec<_>>(), vec![(&r, Seen::Deleted)]);
        assert_eq!(jp.since(9).count(), 0);
        assert_eq!(jp.succeeded(Some("default")), 0);
        // Recreated at 20: added for a look at 16, updated for one at 14.
        jp.index(&r, &pod("Pending", true), true, 20);
        assert_eq!(jp.since(16).collect::<Vec<_>>(), vec![(&r, Seen::Added)]);
        assert_eq!(jp.since(14).collect::<Vec<_>>(), vec![(&r, Seen::Updated)]);
        let mut deleted = pod("Running", true);
        deleted.metadata.deletion_timestamp = Some(Time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH));
        jp.index(&r, &pod("Pending", true), false, 21);
        jp.index(&r, &deleted, true, 21);
        assert_eq!(jp.open().collect::<Vec<_>>(), vec![&r], "terminating");
    }
}
