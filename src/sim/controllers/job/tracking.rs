//! Job tracking with finalizers (KEP-2307, `JobTrackingWithFinalizers`;
//! [`Fact::JobTrackingWithFinalizers`]): the Job controller creates each
//! pod with the finalizer `batch.kubernetes.io/job-tracking`, so that a
//! finished or deleted pod stays in the API until the controller has
//! counted it into `status.succeeded`/`status.failed`; then it removes the
//! finalizer (`trackJobStatusAndRemoveFinalizers`, `canRemoveFinalizer`,
//! `isPodFailed` in pkg/controller/job/job_controller.go). A pod counted
//! stays counted after it leaves the store: the counts are kept in the
//! Job's status, not recomputed from the pods.
//!
//! This is what lets a `podFailurePolicy` act on a disrupted pod: an
//! evicted or preempted pod keeps its `DisruptionTarget` condition and
//! reaches phase Failed (the kubelet, or the pod GC for a pod whose node is
//! gone) before it can go away.

use k8s_openapi::api::{batch::v1::Job, core::v1::Pod};

use crate::sim::{Kind, object::Resource, podutil};
use crate::version::{Fact, KubeVersion};

/// `batch.JobTrackingFinalizer`.
pub const FINALIZER: &str = "batch.kubernetes.io/job-tracking";

/// Whether the version's Job controller tracks pods with the finalizer.
pub fn with_finalizers(version: KubeVersion) -> bool {
    version.has(Fact::JobTrackingWithFinalizers)
}

/// `hasJobTrackingFinalizer`.
pub fn has_finalizer(pod: &Pod) -> bool {
    pod.metadata.finalizers.iter().flatten().any(|f| f == FINALIZER)
}

/// `appendJobCompletionFinalizerIfNotFound`: the template's finalizers,
/// then the tracking one.
pub fn add_finalizer(pod: &mut Pod) {
    if !has_finalizer(pod) {
        pod.metadata.finalizers.get_or_insert_with(Vec::new).push(FINALIZER.to_owned());
    }
}

/// `removeTrackingFinalizerPatch`: the pod without the tracking finalizer
/// (no `finalizers` at all when it was the only one).
pub fn without_finalizer(pod: &Pod) -> Pod {
    let mut p = pod.clone();
    if let Some(f) = p.metadata.finalizers.as_mut() {
        f.retain(|x| x != FINALIZER);
        if f.is_empty() {
            p.metadata.finalizers = None;
        }
    }
    p
}

/// `isPodFailed`: Failed, or — unless only failed pods are replaced (a
/// `podFailurePolicy`, `podReplacementPolicy: Failed`) — deleted before
/// it succeeded ("Count deleted Pods as failures to account for orphan
/// Pods that never have a chance to reach the Failed phase").
pub fn is_pod_failed(pod: &Pod, only_replace_failed: bool) -> bool {
    let phase = podutil::phase(pod);
    if phase == "Failed" {
        return true;
    }
    !only_replace_failed && pod.metadata.deletion_timestamp.is_some() && phase != "Succeeded"
}

/// `canRemoveFinalizer` (without the per-index delay of
/// `backoffLimitPerIndex`): the Job is finishing or being deleted, the
/// pod succeeded, or it counts as failed.
pub fn can_remove_finalizer(job: &Job, finishing: bool, pod: &Pod, failed: bool) -> bool {
    job.metadata.deletion_timestamp.is_some()
        || finishing
        || podutil::phase(pod) == "Succeeded"
        || failed
}

/// `syncOrphanPod`: `pod` without the finalizer, when it holds it and its
/// Job is gone, finished or being deleted (the pod "was not adopted").
pub fn orphan_release(view: &crate::sim::controllers::View<'_>, pod: &Pod) -> Option<Pod> {
    if !with_finalizers(view.config.version) || !has_finalizer(pod) {
        return None;
    }
    let owner = pod
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true) && o.kind == "Job")?;
    // By uid (the store's index), not a walk over the namespace's Jobs.
    let job = view
        .store
        .find_uid(Kind::Job, pod.metadata.namespace.as_deref(), &owner.uid)
        .and_then(Job::from_object);
    let adopted =
        job.is_some_and(|j| j.metadata.deletion_timestamp.is_none() && !super::is_finished(j));
    (!adopted).then(|| without_finalizer(pod))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::PodStatus;

    fn pod(phase: &str, deleted: bool) -> Pod {
        let mut p = Pod {
            status: Some(PodStatus { phase: Some(phase.into()), ..Default::default() }),
            ..Default::default()
        };
        if deleted {
            p.metadata.deletion_timestamp =
                Some(crate::sim::time::time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH));
        }
        p
    }

    /// [`Fact::JobTrackingWithFinalizers`] on both sides of v1.26.
    #[test]
    fn tracking_finalizer_by_version() {
        let since = Fact::JobTrackingWithFinalizers.change().since;
        assert!(!with_finalizers(KubeVersion::new(1, since - 1, 0)));
        assert!(with_finalizers(KubeVersion::new(1, since, 0)));
    }

    #[test]
    fn deleted_pods_fail_unless_only_failed_pods_are_replaced() {
        assert!(is_pod_failed(&pod("Failed", false), true));
        assert!(is_pod_failed(&pod("Running", true), false));
        // With a podFailurePolicy the controller waits for the phase.
        assert!(!is_pod_failed(&pod("Running", true), true));
        assert!(!is_pod_failed(&pod("Succeeded", true), false));
        assert!(!is_pod_failed(&pod("Running", false), false));
    }

    #[test]
    fn the_finalizer_is_added_once_and_removed_alone() {
        let mut p = pod("Pending", false);
        p.metadata.finalizers = Some(vec!["example.com/keep".into()]);
        add_finalizer(&mut p);
        add_finalizer(&mut p);
        assert_eq!(
            p.metadata.finalizers.as_deref(),
            Some(&["example.com/keep".to_owned(), FINALIZER.to_owned()][..])
        );
        assert!(has_finalizer(&p));
        let q = without_finalizer(&p);
        assert_eq!(q.metadata.finalizers.as_deref(), Some(&["example.com/keep".to_owned()][..]));
        let mut only = pod("Pending", false);
        add_finalizer(&mut only);
        assert_eq!(without_finalizer(&only).metadata.finalizers, None);
    }
}
