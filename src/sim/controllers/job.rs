//! The Job controller (`pkg/controller/job/job_controller.go`, v1.22):
//! pods up to parallelism until completions succeed, failure counting with
//! backoffLimit, activeDeadlineSeconds, and the exponential back-off of its
//! rate-limited work queue.
//!
//! The back-off lives in the queue, not in the Job: a pod that turns Failed
//! enqueues its Job after `getBackoff` (10 s × 2^(requeues−1), capped at
//! `MaxJobBackOff` = 360 s), and a sync that saw a new failure returns an
//! error, which requeues the Job rate-limited (`AddRateLimited`, the same
//! doubling) and counts one more requeue. Any other pod or Job change
//! enqueues at once; a sync that records progress without a new failure
//! forgets the count. The controller's informer view and queue entry are
//! kept in [`JobQueue`] so the timeline follows the source exactly.

use crate::version::Fact;
use std::time::Duration;

use k8s_openapi::{
    api::{
        batch::v1::{Job, JobCondition},
        core::v1::Pod,
    },
    apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference},
    jiff::Timestamp,
};

mod backoff;
mod indexed;
mod per_index;
mod pod_failure_policy;
mod success_policy;
pub(crate) mod tracking;
mod work_queue;

pub use indexed::INDEX_KEY;

use super::{Controller, View, Write};
use crate::sim::{
    Object,
    events::{EventRecord, reference_to},
    job_pods::Seen,
    object::Resource,
    podutil,
    runtime::JobQueue,
    time,
};
use crate::version::KubeVersion;

const COMPONENT: &str = "job-controller";

/// `DefaultJobBackOff`.
const BACKOFF: Duration = Duration::from_secs(10);
/// `MaxJobBackOff` (v1.22; 10 minutes from v1.27 with per-pod back-off).
const MAX_BACKOFF: Duration = Duration::from_secs(360);
/// `MaxPodCreateDeletePerSync` (`pkg/controller/job/job_controller.go`).
const MAX_POD_CREATE_DELETE_PER_SYNC: i32 = 500;

/// The Job controller.
pub struct JobController;

impl Controller for JobController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        crate::sim::queue::full_scan(self, view)
    }

    fn next_wakeup(&self, view: &View<'_>) -> Option<Timestamp> {
        view.runtime.jobs.values().filter_map(|q| q.due).filter(|t| *t > view.now).min()
    }

    fn keyed(&self) -> Option<&dyn crate::sim::queue::Keyed> {
        Some(self)
    }
}

/// One Job's turn of the controller: what its informers saw since the
/// last look ([`observe`]), else its sync when the work queue holds it
/// ready or its delay is due. The keys and the queue are
/// [`work_queue`]'s.
fn sync_key(view: &View<'_>, job: &Job) -> Vec<Write> {
    let key = key_of(job);
    let fresh = JobQueue::default();
    let queue = view.runtime.jobs.get(&key).unwrap_or(&fresh);
    if let Some(q) = observe(view, job, queue) {
        return vec![Write::JobQueue(key, Some(q))];
    }
    if let Some(mut q) = queue.turn(view.now) {
        let mut writes = sync_job(view, job, &mut q);
        writes.push(Write::JobQueue(key, Some(q)));
        return writes;
    }
    Vec::new()
}

fn key_of(job: &Job) -> String {
    super::queue_key(&job.metadata)
}

/// The pods the Job controls, in name order (the store's index of pods by
/// controller, not a walk over the namespace).
fn pods_of<'a>(view: &View<'a>, job: &Job) -> Vec<&'a Pod> {
    let Some(uid) = job.metadata.uid.as_deref().filter(|u| !u.is_empty()) else {
        return Vec::new();
    };
    let ns = job.metadata.namespace.as_deref();
    view.store.pods_controlled_by(uid).filter(|p| p.metadata.namespace.as_deref() == ns).collect()
}

/// The pods a sync must look at one by one — active, terminating, or
/// holding the tracking finalizer — in name order, and the count of the
/// succeeded ones: with the pods tracked by finalizers, every other pod
/// of the Job is finished and counted in its status already, and only
/// the number of successes is read of them ([`crate::sim::job_pods`]).
fn open_pods_of<'a>(view: &View<'a>, job: &Job) -> (Vec<&'a Pod>, i32) {
    let Some(pods) = job
        .metadata
        .uid
        .as_deref()
        .filter(|u| !u.is_empty())
        .and_then(|uid| view.store.job_pods(uid))
    else {
        return (Vec::new(), 0);
    };
    let ns = job.metadata.namespace.as_deref();
    let open = pods
        .open()
        .filter(|r| r.namespace.as_deref() == ns)
        .filter_map(|r| view.store.get(r).and_then(Pod::from_object))
        .collect();
    (open, pods.succeeded(ns) as i32)
}

/// The informers' event handlers (`addPod`, `updatePod`, `deletePod`,
/// `updateJob`): what changed since the last look, and the enqueues it
/// causes. `None` when nothing changed. The store says which of the
/// Job's pods were written or went since ([`crate::sim::job_pods`]), so
/// a look costs the changes, not the pods.
fn observe(view: &View<'_>, job: &Job, queue: &JobQueue) -> Option<JobQueue> {
    // Nothing the Job controls was written since the last look, and the
    // Job is as seen then: no event to handle.
    let uid = job.metadata.uid.as_deref().unwrap_or_default();
    let job_changed =
        queue.seen.get("").map(String::as_str) != job.metadata.resource_version.as_deref();
    if !job_changed && view.store.controlled_revision(uid) <= queue.seen_at {
        return None;
    }
    let mut q = queue.clone();
    // `updateJob` enqueues at once.
    let mut changed = job_changed;
    q.ready |= job_changed;
    let ns = job.metadata.namespace.as_deref();
    let pods = Some(uid).filter(|u| !u.is_empty()).and_then(|u| view.store.job_pods(u));
    for (r, seen) in pods.into_iter().flat_map(|p| p.since(queue.seen_at)) {
        if r.namespace.as_deref() != ns {
            continue;
        }
        changed = true;
        // "the only time we want the backoff to kick-in, is when the pod failed"
        let failed_update = seen == Seen::Updated
            && view.store.get(r).and_then(Pod::from_object).is_some_and(|p| {
                p.metadata.deletion_timestamp.is_none() && podutil::phase(p) == "Failed"
            });
        if failed_update && !pod_backoff(view) {
            enqueue_after(&mut q, view.now, get_backoff(queue.requeues));
        } else {
            q.ready = true;
        }
    }
    if !changed {
        return None;
    }
    let mut now_seen = std::collections::BTreeMap::new();
    now_seen.insert(String::new(), job.metadata.resource_version.clone().unwrap_or_default());
    q.seen = std::sync::Arc::new(now_seen);
    q.seen_at = view.store.revision();
    Some(q)
}

/// `queue.AddAfter`: ready now for no delay, else the earlier of the
/// pending and the new time (the delaying queue keeps the earliest).
pub fn enqueue_after(q: &mut JobQueue, now: Timestamp, delay: Duration) {
    if delay.is_zero() {
        q.ready = true;
        return;
    }
    let at = time::add(now, delay);
    q.due = Some(q.due.map_or(at, |d| d.min(at)));
}

/// `getBackoff`: 0 before any requeue, then 10 s × 2^(n−1), capped.
fn get_backoff(requeues: u32) -> Duration {
    if requeues == 0 {
        return Duration::ZERO;
    }
    rate_limited(requeues - 1)
}

/// `ItemExponentialFailureRateLimiter(10s, 360s).When` after `failures`.
fn rate_limited(failures: u32) -> Duration {
    BACKOFF
        .checked_mul(1u32.checked_shl(failures).unwrap_or(u32::MAX))
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF)
}

/// Whether the back-off follows the Job's pods rather than its work queue
/// (kubernetes#114768, "Decouple batch/job back-off logic from
/// workqueues"): from then a failed pod enqueues its Job at once and a
/// sync returns no error for it; `manageJob` instead holds pod creation
/// until 10 s × 2^(failures−1) (capped at 10 min) after the last failure
/// since the last success (`newBackoffRecord`, `getRemainingTime` in
/// pkg/controller/job/backoff_utils.go).
fn pod_backoff(view: &View<'_>) -> bool {
    view.config.version.has(Fact::JobBackoffFromFinishTimes)
}

/// `IsJobFinished`: a Complete or Failed condition is True.
pub fn is_finished(job: &Job) -> bool {
    finished_condition(job).is_some()
}

/// The finished condition's type (`Complete` or `Failed`), if any.
pub fn finished_condition(job: &Job) -> Option<&str> {
    job.status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .find(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True")
        .map(|c| c.type_.as_str())
}

/// When the Job finished (its Complete or Failed condition's transition).
pub fn finished_at(job: &Job) -> Option<Timestamp> {
    job.status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .find(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True")
        .and_then(|c| c.last_transition_time.as_ref().map(|t| t.0))
}

/// `delayTerminalCondition` (pkg/controller/job/job_controller.go): from
/// v1.29, when JobPodReplacementPolicy (and later JobManagedBy) is on by
/// default, the controller first records the interim SuccessCriteriaMet or
/// FailureTarget condition and adds Complete or Failed once the Job's pods
/// are gone, so a finished Job lists both.
fn delays_terminal_condition(view: &View<'_>) -> bool {
    view.config.version.has(Fact::JobPodReplacementPolicy)
}

/// `ensureJobConditionStatus`: sets the condition of `type_` to `status`
/// with its reason and message, a missing one added only when True;
/// whether anything changed.
fn ensure_condition_status(
    conditions: &mut Vec<JobCondition>,
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: Timestamp,
) -> bool {
    match conditions.iter_mut().find(|c| c.type_ == type_) {
        Some(c) if c.status == status => false,
        Some(c) => {
            *c = JobCondition {
                status: status.to_owned(),
                ..condition(type_, reason, message, now)
            };
            true
        }
        None if status == "True" => {
            conditions.push(condition(type_, reason, message, now));
            true
        }
        None => false,
    }
}

fn condition(type_: &str, reason: &str, message: &str, now: Timestamp) -> JobCondition {
    JobCondition {
        type_: type_.to_owned(),
        status: "True".to_owned(),
        last_probe_time: Some(time::time(now)),
        last_transition_time: Some(time::time(now)),
        reason: (!reason.is_empty()).then(|| reason.to_owned()),
        message: (!message.is_empty()).then(|| message.to_owned()),
    }
}

/// How a sync found the Job finished (`jobCtx.finishedCondition`): failed
/// or succeeded, with the condition's reason and message.
struct Finish {
    failed: bool,
    reason: String,
    message: String,
}

impl Finish {
    fn failure(reason: &str, message: &str) -> Finish {
        Finish { failed: true, reason: reason.to_owned(), message: message.to_owned() }
    }

    /// The interim condition (`FailureTarget`, `SuccessCriteriaMet`).
    fn interim_type(&self) -> &'static str {
        if self.failed { "FailureTarget" } else { "SuccessCriteriaMet" }
    }

    /// The final condition (`Failed`, `Complete`).
    fn final_type(&self) -> &'static str {
        if self.failed { "Failed" } else { "Complete" }
    }
}

/// The Job's interim condition left by an earlier sync, if True
/// (`hasSuccessCriteriaMetCondition`, then the `FailureTarget` lookup).
fn pending_finish(job: &Job) -> Option<Finish> {
    let conditions = job.status.as_ref().and_then(|s| s.conditions.as_ref())?;
    let find = |t: &str| conditions.iter().find(|c| c.type_ == t && c.status == "True");
    let (failed, c) = match find("SuccessCriteriaMet") {
        Some(c) => (false, c),
        None => (true, find("FailureTarget")?),
    };
    Some(Finish {
        failed,
        reason: c.reason.clone().unwrap_or_default(),
        message: c.message.clone().unwrap_or_default(),
    })
}

/// `trackTerminatingPods`: `status.terminating` is kept from v1.29, when
/// JobPodReplacementPolicy is on by default.
fn tracks_terminating(view: &View<'_>) -> bool {
    view.config.version.has(Fact::JobPodReplacementPolicy)
}

/// `onlyReplaceFailedPods`: `podReplacementPolicy: Failed`, or any
/// `podFailurePolicy` (whose matching needs terminal pods): a deleted pod
/// is replaced only once it is gone or Failed.
fn only_replace_failed(job: &Job) -> bool {
    job.spec.as_ref().is_some_and(|s| {
        s.pod_replacement_policy.as_deref() == Some("Failed") || s.pod_failure_policy.is_some()
    })
}

/// `syncJob`: the writes of one sync, updating the queue entry with its
/// outcome (Forget, or an error that requeues rate-limited).
fn sync_job(view: &View<'_>, job: &Job, q: &mut JobQueue) -> Vec<Write> {
    let now = view.now;
    if is_finished(job) || job.metadata.deletion_timestamp.is_some() {
        q.requeues = 0;
        return Vec::new();
    }
    let spec = job.spec.clone().unwrap_or_default();
    let parallelism = spec.parallelism.unwrap_or(1);
    let backoff_limit = spec.backoff_limit.unwrap_or(6);
    let suspended = spec.suspend.unwrap_or(false);
    let failure_policy = spec.pod_failure_policy.as_ref();
    let indexed_completions = spec
        .completions
        .filter(|_| indexed::is_indexed(job) && indexed::served(view.config.version));
    let tracked = tracking::with_finalizers(view.config.version);
    // Tracked with finalizers, without a podFailurePolicy (which matches
    // every failed pod) or indexes (which read every succeeded pod's),
    // the finished pods that let go of the finalizer are only counted.
    let counted = tracked && failure_policy.is_none() && indexed_completions.is_none();
    let (pods, succeeded_count) = if counted {
        let (open, succeeded) = open_pods_of(view, job);
        (open, Some(succeeded))
    } else {
        (pods_of(view, job), None)
    };
    let active_pods: Vec<&Pod> = pods.iter().copied().filter(|p| podutil::is_active(p)).collect();
    let mut active = active_pods.len() as i32;
    // `controller.CountTerminatingPods`: deleted pods not yet terminal.
    let mut terminating = pods
        .iter()
        .filter(|p| {
            p.metadata.deletion_timestamp.is_some()
                && !matches!(podutil::phase(p), "Succeeded" | "Failed")
        })
        .count() as i32;
    // Indexed: one success per index counts (`calculateSucceededIndexes`).
    let succeeded_indexes = indexed_completions.map(|c| indexed::succeeded_indexes(job, &pods, c));
    let succeeded = match &succeeded_indexes {
        Some(ix) => ix.total(),
        None => succeeded_count.unwrap_or_else(|| {
            pods.iter().filter(|p| podutil::phase(p) == "Succeeded").count() as i32
        }),
    };
    // `nonIgnoredFailedPodsCount`: a failure an `Ignore` rule matches is
    // not counted. Tracked with finalizers, the count is the status's
    // plus the failed pods still holding the finalizer (`uncounted`).
    let only_failed = only_replace_failed(job);
    let old = job.status.clone().unwrap_or_default();
    let mut failed = if tracked {
        let uncounted = pods.iter().filter(|p| {
            tracking::has_finalizer(p)
                && tracking::is_pod_failed(p, only_failed)
                && pod_failure_policy::match_pod(failure_policy, p).counts
        });
        old.failed.unwrap_or(0) + uncounted.count() as i32
    } else {
        pods.iter()
            .filter(|p| podutil::phase(p) == "Failed")
            .filter(|p| pod_failure_policy::match_pod(failure_policy, p).counts)
            .count() as i32
    };
    if tracked && pod_backoff(view) {
        // `newBackoffRecord` from the pods counted by this sync.
        let new_succeeded: Vec<&Pod> = pods
            .iter()
            .copied()
            .filter(|p| tracking::has_finalizer(p) && podutil::phase(p) == "Succeeded")
            .collect();
        let new_failed: Vec<&Pod> = pods
            .iter()
            .copied()
            .filter(|p| tracking::has_finalizer(p) && tracking::is_pod_failed(p, only_failed))
            .collect();
        q.backoff = backoff::new_record(&q.backoff, &new_succeeded, &new_failed);
    }
    if pending_finish(job).is_some() {
        // The pods killed when the Job finished were counted then; they
        // leave the store, the count stays.
        failed = failed.max(old.failed.unwrap_or(0));
    }
    let mut status = old.clone();
    let involved = reference_to(&Object::Job(job.clone()));
    let mut writes = Vec::new();

    if status.start_time.is_none() && !suspended {
        status.start_time = Some(time::time(now));
        if let Some(ads) = spec.active_deadline_seconds {
            enqueue_after(q, now, Duration::from_secs(ads.max(0) as u64));
        }
    }
    let new_failure = failed > old.failed.unwrap_or(0);
    // "new failures happen when status does not reflect the failures and
    // active is different than parallelism"
    let exceeds_backoff = new_failure && active != parallelism && failed > backoff_limit;
    let past_deadline = spec.active_deadline_seconds.is_some_and(|ads| {
        let start = status.start_time.as_ref().map(|t| t.0);
        !suspended
            && start.is_some_and(|s| time::since(now, s) >= Duration::from_secs(ads.max(0) as u64))
    });
    // The finished condition, evaluated in syncJob's order: an interim
    // condition from an earlier sync, a FailJob rule, backoffLimit, the
    // deadline, then (Indexed) failed indexes and the success policy.
    let mut finish = pending_finish(job).or_else(|| {
        let message = pod_failure_policy::fail_job_message(failure_policy, &pods)?;
        Some(Finish::failure("PodFailurePolicy", &message))
    });
    if finish.is_none() {
        if exceeds_backoff || past_backoff_limit_on_failure(&spec, &pods, backoff_limit) {
            finish = Some(Finish::failure(
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
            ));
        } else if past_deadline {
            finish = Some(Finish::failure(
                "DeadlineExceeded",
                "Job was active longer than specified deadline",
            ));
        }
    }
    let per_index_limit = per_index::limit(job).filter(|_| indexed_completions.is_some());
    let failed_indexes = match (per_index_limit, indexed_completions) {
        (Some(limit), Some(c)) => Some(per_index::failed_indexes(job, &pods, c, limit)),
        _ => None,
    };
    if let (Some(fx), Some(done), Some(c)) =
        (&failed_indexes, &succeeded_indexes, indexed_completions)
        && finish.is_none()
    {
        if spec.max_failed_indexes.is_some_and(|m| fx.total() > m) {
            finish = Some(Finish::failure(
                "MaxFailedIndexesExceeded",
                "Job has exceeded the specified maximal number of failed indexes",
            ));
        } else if fx.total() > 0 && fx.total() + done.total() >= c {
            finish = Some(Finish::failure("FailedIndexes", "Job has failed indexes"));
        }
    }
    if let (None, Some(done), Some(c)) = (&finish, &succeeded_indexes, indexed_completions)
        && let Some(message) = success_policy::matched(spec.success_policy.as_ref(), c, done)
    {
        finish = Some(Finish { failed: false, reason: "SuccessPolicy".to_owned(), message });
    }
    // `countReadyPods` of the active pods, less those deleted below.
    let mut ready = active_pods.iter().filter(|p| podutil::is_ready(p)).count() as i32;
    let mut conditions_changed = false;
    let mut suspend_changed = false;
    if let Some(f) = &finish {
        // `deleteActivePods`; "when the job is considered finished, every
        // non-terminated pod is considered failed".
        for p in &active_pods {
            writes.extend(delete_pod(&involved, p));
        }
        failed += active;
        terminating += active;
        active = 0;
        ready = 0;
        conditions_changed = finish_job(view, f, terminating, &involved, &mut status, &mut writes);
    } else {
        let ctx = ManageCtx {
            succeeded,
            succeeded_indexes: succeeded_indexes.as_ref(),
            failed_indexes: failed_indexes.as_ref(),
            terminating,
            pods: &pods,
        };
        let (new_active, removed, manage) = manage_job(view, job, &active_pods, &ctx, &involved, q);
        active = new_active;
        terminating += removed.0;
        ready -= removed.1;
        writes.extend(manage);
        let complete = match spec.completions {
            None => succeeded > 0 && active == 0,
            Some(c) => succeeded >= c && active == 0,
        };
        if complete {
            // `newSuccessCondition`: reason and message from v1.31
            // (JobSuccessPolicy on by default), kept on the final condition.
            let (reason, message) = if view.config.version.has(Fact::JobSuccessPolicy) {
                ("CompletionsReached", "Reached expected number of succeeded pods")
            } else {
                ("", "")
            };
            let f =
                Finish { failed: false, reason: reason.to_owned(), message: message.to_owned() };
            conditions_changed =
                finish_job(view, &f, terminating, &involved, &mut status, &mut writes);
        } else {
            // `SuspendJob` (KEP-2232; beta and on from v1.22): a suspended
            // Job gets `Suspended=True`, a resumed one flips it to False,
            // each with its event; resuming resets `startTime` ("Resumed
            // jobs will always reset StartTime to current time").
            let conditions = status.conditions.get_or_insert_with(Vec::new);
            let (want, reason, message, event) = if suspended {
                ("True", "JobSuspended", "Job suspended", "Suspended")
            } else {
                ("False", "JobResumed", "Job resumed", "Resumed")
            };
            if ensure_condition_status(conditions, "Suspended", want, reason, message, now) {
                suspend_changed = true;
                if !suspended {
                    status.start_time = Some(time::time(now));
                }
                writes.push(Write::Event(EventRecord::normal(
                    involved.clone(),
                    COMPONENT,
                    event,
                    message.to_owned(),
                )));
            }
            if status.conditions.as_ref().is_some_and(Vec::is_empty) {
                status.conditions = None;
            }
        }
    }
    if tracked {
        // `trackJobStatusAndRemoveFinalizers`: the pods counted now (or
        // all, once the Job finishes) let go, before anything else this
        // sync writes to them. Active pods deleted here lose it in
        // `delete_pod`.
        let finishing = finish.is_some();
        let released: Vec<Write> = pods
            .iter()
            // Not among `active_pods` (a test, not a search of them).
            .filter(|p| !podutil::is_active(p))
            .filter(|p| tracking::has_finalizer(p))
            .filter(|p| {
                let failed = tracking::is_pod_failed(p, only_failed);
                tracking::can_remove_finalizer(job, finishing, p, failed)
            })
            .map(|p| Write::Update(Object::Pod(tracking::without_finalizer(p))))
            .collect();
        writes.splice(0..0, released);
    }
    let mut forget = old.succeeded.unwrap_or(0) < succeeded;
    // `status.ready` (feature JobReadyPods, on by default from v1.24): the
    // active pods with a Ready condition, written even when 0.
    let ready = view.config.version.has(Fact::JobReadyPods).then_some(ready.max(0));
    let terminating = tracks_terminating(view).then_some(terminating);
    let completed_indexes =
        succeeded_indexes.as_ref().map(ToString::to_string).filter(|s| !s.is_empty());
    let failed_indexes = failed_indexes.as_ref().map(ToString::to_string);
    let changed = old.active.unwrap_or(0) != active
        || old.completed_indexes != completed_indexes
        || old.failed_indexes != failed_indexes
        || old.succeeded.unwrap_or(0) != succeeded
        || old.failed.unwrap_or(0) != failed
        || old.ready != ready
        || old.terminating != terminating
        || conditions_changed
        || suspend_changed;
    if changed {
        status.ready = ready;
        status.terminating = terminating;
        status.active = (active > 0).then_some(active);
        status.succeeded = (succeeded > 0).then_some(succeeded);
        status.failed = (failed > 0).then_some(failed);
        status.completed_indexes = completed_indexes;
        status.failed_indexes = failed_indexes;
        let mut updated = job.clone();
        updated.status = Some(status.clone());
        writes.push(Write::Update(Object::Job(updated)));
        let finished = finish.is_some() || conditions_changed;
        if new_failure && !finished && !pod_backoff(view) {
            // "returning an error will re-enqueue Job after the backoff period"
            let delay = rate_limited(q.requeues);
            q.requeues += 1;
            enqueue_after(q, now, delay);
            return writes;
        }
        forget = true;
    }
    if forget {
        q.requeues = 0;
    }
    writes
}

/// The conditions of a finished Job (`trackJobStatusAndRemoveFinalizers`
/// and `enactJobFinished`): the interim `FailureTarget` or
/// `SuccessCriteriaMet` first — from v1.29 always (`delayTerminalCondition`),
/// before that only for a `FailJob` rule — then `Failed` or `Complete`
/// with its event once no pod of the Job is terminating (before v1.29 at
/// once). Whether the conditions changed.
fn finish_job(
    view: &View<'_>,
    f: &Finish,
    terminating: i32,
    involved: &k8s_openapi::api::core::v1::ObjectReference,
    status: &mut k8s_openapi::api::batch::v1::JobStatus,
    writes: &mut Vec<Write>,
) -> bool {
    let now = view.now;
    let delays = delays_terminal_condition(view);
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    let mut changed = false;
    let interim = delays || f.reason == "PodFailurePolicy";
    if interim && !conditions.iter().any(|c| c.type_ == f.interim_type() && c.status == "True") {
        conditions.push(condition(f.interim_type(), &f.reason, &f.message, now));
        changed = true;
    }
    if delays && terminating > 0 {
        return changed;
    }
    ensure_condition_status(conditions, f.final_type(), "True", &f.reason, &f.message, now);
    if f.failed {
        writes.push(Write::Event(
            EventRecord::normal(involved.clone(), COMPONENT, &f.reason, f.message.clone())
                .warning(),
        ));
    } else {
        status.completion_time = Some(time::time(now));
        writes.push(Write::Event(EventRecord::normal(
            involved.clone(),
            COMPONENT,
            "Completed",
            "Job completed".to_owned(),
        )));
    }
    true
}

/// `pastBackoffLimitOnFailure`: with restartPolicy OnFailure, the restarts
/// of the Running and Pending pods' containers reach the limit.
fn past_backoff_limit_on_failure(
    spec: &k8s_openapi::api::batch::v1::JobSpec,
    pods: &[&Pod],
    limit: i32,
) -> bool {
    let policy = spec.template.spec.as_ref().and_then(|s| s.restart_policy.as_deref());
    if policy != Some("OnFailure") {
        return false;
    }
    let restarts: i32 = pods
        .iter()
        .filter(|p| matches!(podutil::phase(p), "Running" | "Pending"))
        .flat_map(|p| {
            let st = p.status.as_ref();
            st.into_iter()
                .flat_map(|s| {
                    s.init_container_statuses
                        .iter()
                        .flatten()
                        .chain(s.container_statuses.iter().flatten())
                })
                .map(|c| c.restart_count)
        })
        .sum();
    if limit == 0 { restarts > 0 } else { restarts >= limit }
}

/// `deleteJobPods`/`deleteActivePods`: the tracking finalizer goes first
/// (the pod is counted, if at all, by this sync), then the pod.
fn delete_pod(involved: &k8s_openapi::api::core::v1::ObjectReference, p: &Pod) -> Vec<Write> {
    let release = tracking::has_finalizer(p)
        .then(|| Write::Update(Object::Pod(tracking::without_finalizer(p))));
    release.into_iter().chain(super::delete_owned_pod(involved, COMPONENT, p)).collect()
}

/// What `manageJob` reads of the sync beyond the Job and its active pods.
struct ManageCtx<'a, 'p> {
    succeeded: i32,
    succeeded_indexes: Option<&'a indexed::Intervals>,
    /// `status.failedIndexes` with the new ones (backoffLimitPerIndex).
    failed_indexes: Option<&'a indexed::Intervals>,
    terminating: i32,
    pods: &'a [&'p Pod],
}

/// `manageJob`: delete surplus active pods (for an Indexed Job, first
/// those without a valid index or repeating one,
/// `appendDuplicatedIndexPodsForRemoval`), or create up to the wanted
/// number (`min(parallelism, completions − succeeded)`, less the
/// terminating pods when only failed pods are replaced), an Indexed Job's
/// for the first pending indexes whose per-index back-off is over; returns
/// the new active count, the pods deleted (all, ready) and the writes.
fn manage_job(
    view: &View<'_>,
    job: &Job,
    active_pods: &[&Pod],
    ctx: &ManageCtx<'_, '_>,
    involved: &k8s_openapi::api::core::v1::ObjectReference,
    q: &mut JobQueue,
) -> (i32, (i32, i32), Vec<Write>) {
    let spec = job.spec.clone().unwrap_or_default();
    let mut active = active_pods.len() as i32;
    let parallelism = spec.parallelism.unwrap_or(1);
    let removed = |pods: &[&Pod]| {
        (pods.len() as i32, pods.iter().filter(|p| podutil::is_ready(p)).count() as i32)
    };
    if spec.suspend.unwrap_or(false) {
        let writes = active_pods.iter().flat_map(|p| delete_pod(involved, p)).collect();
        return (0, removed(active_pods), writes);
    }
    let want = match spec.completions {
        None if ctx.succeeded > 0 => active,
        None => parallelism,
        Some(c) => c.saturating_sub(ctx.succeeded).min(parallelism),
    }
    .max(0);
    let mut writes = Vec::new();
    let mut left: Vec<&Pod> = active_pods.to_vec();
    let mut gone = (0, 0);
    if let (Some(_), Some(completions)) = (ctx.succeeded_indexes, spec.completions) {
        let (rm, keep) = indexed_removals(active_pods, completions);
        writes.extend(rm.iter().flat_map(|p| delete_pod(involved, p)));
        active -= rm.len() as i32;
        gone = removed(&rm);
        left = keep;
    }
    if active > want {
        // not-ready < ready, unscheduled < scheduled, pending < running
        left.sort_by_key(|p| {
            (podutil::is_ready(p), podutil::node_name(p).is_some(), podutil::phase(p) == "Running")
        });
        let n = (active - want) as usize;
        writes.extend(left.iter().take(n).flat_map(|p| delete_pod(involved, p)));
        let more = removed(&left[..n.min(left.len())]);
        return (want, (gone.0 + more.0, gone.1 + more.1), writes);
    }
    // `podReplacementPolicy: Failed` (or a podFailurePolicy): a
    // terminating pod still holds its place (`wantActive − terminating −
    // active`).
    let only_failed = only_replace_failed(job);
    let held_by_terminating = if only_failed { ctx.terminating } else { 0 };
    // `MaxPodCreateDeletePerSync` (job_controller.go): at most 500 pods a
    // sync, so `parallelism: 2147483647` grows in steps, not all at once.
    let want = want.min(active.saturating_add(MAX_POD_CREATE_DELETE_PER_SYNC));
    let held = super::create_held_until(view, job.metadata.uid.as_deref()).is_some();
    let diff = want - held_by_terminating - active;
    if held || diff <= 0 {
        return (active, gone, writes);
    }
    if pod_backoff(view) && ctx.failed_indexes.is_none() {
        // Tracked with finalizers, the controller's record (it counts
        // pods that have gone since); else the pods at hand.
        let wait = if tracking::with_finalizers(view.config.version) {
            backoff::record_remaining(view.now, &q.backoff)
        } else {
            backoff::job_backoff_remaining(view.now, ctx.pods)
        };
        if !wait.is_zero() {
            enqueue_after(q, view.now, wait);
            return (active, gone, writes);
        }
    }
    let mut last_failed = std::collections::BTreeMap::new();
    let indexes: Vec<Option<i32>> = match (ctx.succeeded_indexes, spec.completions) {
        (Some(done), Some(completions)) => {
            // `firstPendingIndexes`: not succeeded, failed, active or (only
            // failed pods replaced) terminating.
            let mut taken: Vec<&Pod> = left.clone();
            if only_failed {
                taken.extend(ctx.pods.iter().filter(|p| {
                    p.metadata.deletion_timestamp.is_some()
                        && !matches!(podutil::phase(p), "Succeeded" | "Failed")
                }));
            }
            let non_pending = match ctx.failed_indexes {
                Some(failed) => done.union(failed),
                None => done.clone(),
            };
            let mut pending =
                indexed::first_pending(&taken, &non_pending, diff as usize, completions);
            if let Some(failed) = ctx.failed_indexes {
                // `getPodCreationInfoForIndependentIndexes`: the indexes whose
                // back-off is over, else wait for the first that will be.
                last_failed =
                    per_index::last_failed_per_index(ctx.pods, &left, done, failed, completions);
                let waits: Vec<Duration> = pending
                    .iter()
                    .map(|ix| per_index::remaining(view.now, last_failed.get(ix).copied()))
                    .collect();
                if !pending.is_empty() && waits.iter().all(|w| !w.is_zero()) {
                    if let Some(min) = waits.iter().min() {
                        enqueue_after(q, view.now, *min);
                    }
                    return (active, gone, writes);
                }
                pending = pending
                    .into_iter()
                    .zip(waits)
                    .filter(|(_, w)| w.is_zero())
                    .map(|(ix, _)| ix)
                    .collect();
            }
            pending.into_iter().map(Some).collect()
        }
        _ => vec![None; diff as usize],
    };
    for index in indexes {
        let ev = EventRecord::normal(
            involved.clone(),
            COMPONENT,
            "SuccessfulCreate",
            "Created pod: {name}".to_owned(),
        );
        let mut pod = pod_from_template(view, job, index);
        if let (Some(ix), Some(_)) = (index, ctx.failed_indexes) {
            let replaced = last_failed.get(&ix).copied();
            per_index::annotate(&mut pod, per_index::new_failure_counts(job, replaced));
        }
        writes.push(Write::CreateWithEvent(Object::Pod(pod), ev));
        active += 1;
    }
    (active, gone, writes)
}

/// `appendDuplicatedIndexPodsForRemoval`: the active pods of an Indexed
/// Job to delete whatever the counts (no valid index, an index past
/// `completions`, or all but the most active of those sharing an index),
/// and the ones left.
fn indexed_removals<'a>(active_pods: &[&'a Pod], completions: i32) -> (Vec<&'a Pod>, Vec<&'a Pod>) {
    let mut by_index: std::collections::BTreeMap<i32, Vec<&'a Pod>> = Default::default();
    let mut rm = Vec::new();
    for p in active_pods {
        match indexed::completion_index(p) {
            Some(ix) if ix < completions => by_index.entry(ix).or_default().push(p),
            _ => rm.push(*p),
        }
    }
    let mut left = Vec::new();
    for (_, mut pods) in by_index {
        // `controller.ActivePods` order: the least active first; keep the last.
        pods.sort_by_key(|p| {
            (podutil::node_name(p).is_some(), podutil::phase(p) == "Running", podutil::is_ready(p))
        });
        let keep = pods.pop();
        rm.extend(pods);
        left.extend(keep);
    }
    (rm, left)
}

/// The pod name prefix. v1.22.0–v1.22.9 named NonIndexed pods with the
/// "unknown" completion index −1 (`<job>--1-`, kubernetes#105676, fixed in
/// v1.23 and in v1.22.10 by #109540).
fn generate_name(version: KubeVersion, job: &str) -> String {
    let (major, minor, patch) = (version.major(), version.minor(), version.patch());
    if major == 1 && minor == 22 && patch < 10 { format!("{job}--1-") } else { format!("{job}-") }
}

/// `GetPodFromTemplate` with the Job's controller reference; an Indexed
/// Job's pod marked with its `index`.
fn pod_from_template(view: &View<'_>, job: &Job, index: Option<i32>) -> Pod {
    let template = job.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let tmeta = template.metadata.unwrap_or_default();
    let name = job.metadata.name.clone().unwrap_or_default();
    let generate_name = match index {
        Some(ix) => indexed::generate_name(&name, ix),
        None => generate_name(view.config.version, &name),
    };
    let mut pod = Pod {
        metadata: ObjectMeta {
            generate_name: Some(generate_name),
            namespace: job.metadata.namespace.clone(),
            labels: tmeta.labels,
            annotations: tmeta.annotations,
            finalizers: tmeta.finalizers,
            owner_references: Some(vec![OwnerReference {
                api_version: "batch/v1".to_owned(),
                kind: "Job".to_owned(),
                name: name.clone(),
                uid: job.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: template.spec,
        status: None,
    };
    if let Some(ix) = index {
        indexed::mark(&mut pod, &name, ix, view.config.version);
    }
    if tracking::with_finalizers(view.config.version) {
        tracking::add_finalizer(&mut pod);
    }
    pod
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_follows_the_work_queue() {
        let secs: Vec<u64> = (0..8).map(|n| get_backoff(n).as_secs()).collect();
        assert_eq!(secs, [0, 10, 20, 40, 80, 160, 320, 360]);
        assert_eq!(
            generate_name(KubeVersion::parse("v1.22.2").unwrap(), "testjobv1"),
            "testjobv1--1-"
        );
        assert_eq!(generate_name(KubeVersion::parse("v1.22.17").unwrap(), "a"), "a-");
        assert_eq!(generate_name(KubeVersion::parse("v1.28.0").unwrap(), "a"), "a-");
    }
}
