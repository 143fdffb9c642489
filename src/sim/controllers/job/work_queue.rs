//! The Job controller's work queue (`pkg/controller/job`: `queue` fed by
//! the Job and pod informers' handlers): one key per Job, marked by a
//! change to the Job or to a pod it controls (the store's index of pods by
//! controller), and by the delay its memory holds (`AddAfter`,
//! [`JobQueue::due`]); a sync reads only that Job and its pods.
//!
//! The controller's memory of each Job ([`JobQueue`]) is what its
//! informers last saw and its queue entry. A Job that is gone is
//! forgotten first, before any Job's turn, as the whole-world loop did:
//! its key ranks ahead of every Job's. Ahead of both, a pod that holds the
//! tracking finalizer for a Job that is gone, finished or being deleted is
//! released (`syncOrphanPod`, [`super::tracking`]): one key per such pod,
//! marked by a change to the pod or to its Job.

use k8s_openapi::{
    api::{batch::v1::Job, core::v1::Pod},
    jiff::Timestamp,
};

use super::{super::super::podutil, JobController, sync_key, tracking};
use crate::sim::{
    Kind, ObjectRef,
    controllers::{View, Write},
    object::Resource,
    queue::{Affected, Keyed, Part, QueueKey, RuntimeChange},
    runtime::JobQueue,
    store::Change,
};

/// Releasing orphans first, then forgetting a gone Job's memory, ahead of
/// every Job's sync.
const ORPHAN: i64 = 0;
const FORGET: i64 = 1;
const SYNC: i64 = 2;

fn key(rank: i64, object: ObjectRef) -> QueueKey {
    QueueKey { rank: vec![Part::Int(rank)], object }
}

fn pod_ref(pod: &Pod) -> ObjectRef {
    ObjectRef::namespaced(
        Kind::Pod,
        pod.metadata.namespace.as_deref().unwrap_or("default"),
        pod.metadata.name.as_deref().unwrap_or_default(),
    )
}

/// The Job a memory key (`namespace/name`) names.
fn memory_ref(memory_key: &str) -> ObjectRef {
    let (ns, name) = memory_key.split_once('/').unwrap_or(("default", memory_key));
    ObjectRef::namespaced(Kind::Job, ns, name)
}

fn memory<'v>(view: &View<'v>, job: &ObjectRef) -> Option<&'v JobQueue> {
    let ns = job.namespace.as_deref().unwrap_or("default");
    view.runtime.jobs.get(&format!("{ns}/{}", job.name))
}

impl Keyed for JobController {
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey> {
        let stale = view
            .runtime
            .jobs
            .keys()
            .map(|k| memory_ref(k))
            .filter(|r| !view.store.contains(r))
            .map(|r| key(FORGET, r));
        let jobs = view.store.all::<Job>(None).map(|j| {
            key(
                SYNC,
                ObjectRef::namespaced(
                    Kind::Job,
                    j.metadata.namespace.as_deref().unwrap_or("default"),
                    j.metadata.name.as_deref().unwrap_or_default(),
                ),
            )
        });
        let orphans = view
            .store
            .all::<Pod>(None)
            .filter(|p| tracking::has_finalizer(p))
            .map(|p| key(ORPHAN, pod_ref(p)));
        orphans.chain(stale).chain(jobs).collect()
    }

    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected {
        match change.object.kind {
            Kind::Job => {
                // A Job that finishes or goes releases its pods.
                let uid = [change.old.as_ref(), view.store.get(&change.object)]
                    .into_iter()
                    .flatten()
                    .find_map(|o| o.meta().uid.clone());
                // Those holding the finalizer are among the Job's open
                // pods (`crate::sim::job_pods`), not among the finished
                // ones, which a Job's every status write would list; and
                // only a Job gone, finished or being deleted lets them go
                // (`tracking::orphan_release`), so only then are they
                // looked at.
                let releases =
                    view.store.get(&change.object).and_then(Job::from_object).is_none_or(|j| {
                        j.metadata.deletion_timestamp.is_some() || super::is_finished(j)
                    });
                let pods = uid
                    .iter()
                    .filter(|_| releases)
                    .filter_map(|uid| view.store.job_pods(uid))
                    .flat_map(|pods| pods.open())
                    .filter_map(|r| view.store.get(r).and_then(Pod::from_object))
                    .filter(|p| tracking::has_finalizer(p))
                    .map(|p| key(ORPHAN, pod_ref(p)));
                let own = [key(FORGET, change.object.clone()), key(SYNC, change.object.clone())];
                Affected::Keys(pods.chain(own).collect())
            }
            Kind::Pod => {
                // The Job controlling the pod, before or after the change;
                // a pod no Job controls concerns none (the controller
                // only counts pods whose controller is the Job).
                let now = view.store.get(&change.object);
                let keys = [change.old.as_ref(), now]
                    .into_iter()
                    .flatten()
                    .filter_map(|o| podutil::controller_of(o.meta()))
                    .filter(|owner| owner.kind == Kind::Job.info().kind_name)
                    .map(|owner| {
                        key(
                            SYNC,
                            ObjectRef {
                                kind: Kind::Job,
                                namespace: change.object.namespace.clone(),
                                name: owner.name.clone(),
                            },
                        )
                    })
                    .chain(
                        now.and_then(Pod::from_object)
                            .filter(|p| tracking::has_finalizer(p))
                            .map(|_| key(ORPHAN, change.object.clone())),
                    )
                    .collect();
                Affected::Keys(keys)
            }
            _ => Affected::Nothing,
        }
    }

    /// The controller reads no machine state but its own memory, which
    /// only a sync of the same key writes (and that key is still queued).
    fn on_runtime(&self, _view: &View<'_>, _change: &RuntimeChange) -> Affected {
        Affected::Nothing
    }

    fn sync(&self, view: &View<'_>, key: &QueueKey) -> Vec<Write> {
        let job = view.store.get(&key.object).and_then(Job::from_object);
        match (key.rank.first(), job) {
            (Some(Part::Int(FORGET)), None) => match memory(view, &key.object) {
                Some(_) => {
                    let ns = key.object.namespace.as_deref().unwrap_or("default");
                    vec![Write::JobQueue(format!("{ns}/{}", key.object.name), None)]
                }
                None => Vec::new(),
            },
            (Some(Part::Int(SYNC)), Some(job)) => sync_key(view, job),
            (Some(Part::Int(ORPHAN)), _) => view
                .store
                .get(&key.object)
                .and_then(Pod::from_object)
                .and_then(|pod| tracking::orphan_release(view, pod))
                .map(|pod| vec![Write::Update(crate::sim::Object::Pod(pod))])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The delay the Job's memory holds (`AddAfter`).
    fn wakeup(&self, view: &View<'_>, key: &QueueKey) -> Option<Timestamp> {
        if key.rank.first() != Some(&Part::Int(SYNC)) {
            return None;
        }
        memory(view, &key.object).and_then(|q| q.due).filter(|t| *t > view.now)
    }

    fn live(&self, view: &View<'_>, key: &QueueKey) -> bool {
        key.rank.first() == Some(&Part::Int(SYNC)) && view.store.contains(&key.object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gone_jobs_memory_is_forgotten_before_any_job_syncs() {
        let job = ObjectRef::namespaced(Kind::Job, "default", "a");
        assert!(key(FORGET, job.clone()) < key(SYNC, ObjectRef::namespaced(Kind::Job, "a", "a")));
        assert_eq!(memory_ref("default/a"), job);
    }
}
