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

mod indexed;

pub use indexed::INDEX_KEY;

use super::{Controller, View, Write};
use crate::sim::{
    Object,
    events::{EventRecord, reference_to},
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
        // Forget Jobs that are gone.
        if let Some(key) = super::stale_key::<Job>(view, view.runtime.jobs.keys()) {
            return vec![Write::JobQueue(key.clone(), None)];
        }
        for job in view.store.all::<Job>(None) {
            let key = key_of(job);
            let fresh = JobQueue::default();
            let queue = view.runtime.jobs.get(&key).unwrap_or(&fresh);
            if let Some(q) = observe(view, job, queue) {
                return vec![Write::JobQueue(key, Some(q))];
            }
            let due = queue.due.is_some_and(|t| t <= view.now);
            if queue.ready || due {
                let mut q = queue.clone();
                q.ready = false;
                if due {
                    q.due = None;
                }
                let mut writes = sync_job(view, job, &mut q);
                writes.push(Write::JobQueue(key, Some(q)));
                return writes;
            }
        }
        Vec::new()
    }

    fn next_wakeup(&self, view: &View<'_>) -> Option<Timestamp> {
        view.runtime.jobs.values().filter_map(|q| q.due).filter(|t| *t > view.now).min()
    }
}

fn key_of(job: &Job) -> String {
    super::queue_key(&job.metadata)
}

/// The pods the Job controls.
fn pods_of<'a>(view: &View<'a>, job: &Job) -> Vec<&'a Pod> {
    let uid = job.metadata.uid.as_deref().unwrap_or_default();
    view.store
        .all::<Pod>(job.metadata.namespace.as_deref())
        .filter(|p| podutil::controlled_by(&p.metadata, uid))
        .collect()
}

/// The informers' event handlers (`addPod`, `updatePod`, `deletePod`,
/// `updateJob`): what changed since the last look, and the enqueues it
/// causes. `None` when nothing changed.
fn observe(view: &View<'_>, job: &Job, queue: &JobQueue) -> Option<JobQueue> {
    let mut now_seen = std::collections::BTreeMap::new();
    now_seen.insert(String::new(), job.metadata.resource_version.clone().unwrap_or_default());
    let pods = pods_of(view, job);
    for p in &pods {
        now_seen.insert(
            p.metadata.name.clone().unwrap_or_default(),
            p.metadata.resource_version.clone().unwrap_or_default(),
        );
    }
    if now_seen == queue.seen {
        return None;
    }
    let mut q = queue.clone();
    for (name, rv) in &now_seen {
        if queue.seen.get(name) == Some(rv) {
            continue;
        }
        let pod = pods.iter().find(|p| p.metadata.name.as_deref() == Some(name.as_str()));
        // "the only time we want the backoff to kick-in, is when the pod failed"
        let failed_update = queue.seen.contains_key(name)
            && pod.is_some_and(|p| {
                p.metadata.deletion_timestamp.is_none() && podutil::phase(p) == "Failed"
            });
        if failed_update {
            enqueue_after(&mut q, view.now, get_backoff(queue.requeues));
        } else {
            q.ready = true;
        }
    }
    if queue.seen.keys().any(|k| !now_seen.contains_key(k)) {
        q.ready = true;
    }
    q.seen = now_seen;
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
    view.config.version.at_least(1, 29)
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
    let pods = pods_of(view, job);
    let active_pods: Vec<&Pod> = pods.iter().copied().filter(|p| podutil::is_active(p)).collect();
    let mut active = active_pods.len() as i32;
    let indexed_completions = spec
        .completions
        .filter(|_| indexed::is_indexed(job) && indexed::served(view.config.version));
    // Indexed: one success per index counts (`calculateSucceededIndexes`).
    let succeeded_indexes = indexed_completions.map(|c| indexed::succeeded_indexes(job, &pods, c));
    let succeeded = match &succeeded_indexes {
        Some(ix) => ix.total(),
        None => pods.iter().filter(|p| podutil::phase(p) == "Succeeded").count() as i32,
    };
    let mut failed = pods.iter().filter(|p| podutil::phase(p) == "Failed").count() as i32;
    let old = job.status.clone().unwrap_or_default();
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
    let failure = if exceeds_backoff || past_backoff_limit_on_failure(&spec, &pods, backoff_limit) {
        Some(("BackoffLimitExceeded", "Job has reached the specified backoff limit"))
    } else if past_deadline {
        Some(("DeadlineExceeded", "Job was active longer than specified deadline"))
    } else {
        None
    };
    let mut conditions_changed = false;
    let mut suspend_changed = false;
    if let Some((reason, message)) = failure {
        for p in &active_pods {
            writes.extend(delete_pod(&involved, p));
        }
        failed += active;
        active = 0;
        let conditions = status.conditions.get_or_insert_with(Vec::new);
        if delays_terminal_condition(view) {
            conditions.push(condition("FailureTarget", reason, message, now));
        }
        conditions.push(condition("Failed", reason, message, now));
        conditions_changed = true;
        writes.push(Write::Event(
            EventRecord::normal(involved.clone(), COMPONENT, reason, message.to_owned()).warning(),
        ));
    } else {
        let (new_active, manage) =
            manage_job(view, job, &active_pods, succeeded, succeeded_indexes.as_ref(), &involved);
        active = new_active;
        writes.extend(manage);
        let complete = match spec.completions {
            None => succeeded > 0 && active == 0,
            Some(c) => succeeded >= c && active == 0,
        };
        if complete {
            // `newSuccessCondition`: reason and message from v1.31
            // (JobSuccessPolicy on by default), kept on the final condition.
            let (reason, message) = if view.config.version.at_least(1, 31) {
                ("CompletionsReached", "Reached expected number of succeeded pods")
            } else {
                ("", "")
            };
            let conditions = status.conditions.get_or_insert_with(Vec::new);
            if delays_terminal_condition(view) {
                conditions.push(condition("SuccessCriteriaMet", reason, message, now));
            }
            conditions.push(condition("Complete", reason, message, now));
            status.completion_time = Some(time::time(now));
            conditions_changed = true;
            writes.push(Write::Event(EventRecord::normal(
                involved.clone(),
                COMPONENT,
                "Completed",
                "Job completed".to_owned(),
            )));
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
    let mut forget = old.succeeded.unwrap_or(0) < succeeded;
    // `status.ready` (feature JobReadyPods, on by default from v1.24): the
    // active pods with a Ready condition, written even when 0.
    let ready = view.config.version.has(Fact::JobReadyPods).then(|| {
        pods_of(view, job)
            .into_iter()
            .filter(|p| podutil::is_active(p) && podutil::is_ready(p))
            .count() as i32
    });
    let completed_indexes =
        succeeded_indexes.as_ref().map(ToString::to_string).filter(|s| !s.is_empty());
    let changed = old.active.unwrap_or(0) != active
        || old.completed_indexes != completed_indexes
        || old.succeeded.unwrap_or(0) != succeeded
        || old.failed.unwrap_or(0) != failed
        || old.ready != ready
        || conditions_changed
        || suspend_changed;
    if changed {
        status.ready = ready;
        status.active = (active > 0).then_some(active);
        status.succeeded = (succeeded > 0).then_some(succeeded);
        status.failed = (failed > 0).then_some(failed);
        status.completed_indexes = completed_indexes;
        let mut updated = job.clone();
        updated.status = Some(status.clone());
        writes.push(Write::Update(Object::Job(updated)));
        let finished = conditions_changed;
        if new_failure && !finished {
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

fn delete_pod(involved: &k8s_openapi::api::core::v1::ObjectReference, p: &Pod) -> Vec<Write> {
    super::delete_owned_pod(involved, COMPONENT, p).into()
}

/// `manageJob`: delete surplus active pods (for an Indexed Job, first
/// those without a valid index or repeating one,
/// `appendDuplicatedIndexPodsForRemoval`), or create up to the wanted
/// number (`min(parallelism, completions − succeeded)`), an Indexed Job's
/// for the first pending indexes; returns the new active count and the
/// writes.
fn manage_job(
    view: &View<'_>,
    job: &Job,
    active_pods: &[&Pod],
    succeeded: i32,
    succeeded_indexes: Option<&indexed::Intervals>,
    involved: &k8s_openapi::api::core::v1::ObjectReference,
) -> (i32, Vec<Write>) {
    let spec = job.spec.clone().unwrap_or_default();
    let mut active = active_pods.len() as i32;
    let parallelism = spec.parallelism.unwrap_or(1);
    if spec.suspend.unwrap_or(false) {
        let writes = active_pods.iter().flat_map(|p| delete_pod(involved, p)).collect();
        return (0, writes);
    }
    let want = match spec.completions {
        None if succeeded > 0 => active,
        None => parallelism,
        Some(c) => c.saturating_sub(succeeded).min(parallelism),
    }
    .max(0);
    let mut writes = Vec::new();
    let mut left: Vec<&Pod> = active_pods.to_vec();
    if let (Some(_), Some(completions)) = (succeeded_indexes, spec.completions) {
        let (rm, keep) = indexed_removals(active_pods, completions);
        writes.extend(rm.iter().flat_map(|p| delete_pod(involved, p)));
        active -= rm.len() as i32;
        left = keep;
    }
    if active > want {
        // not-ready < ready, unscheduled < scheduled, pending < running
        left.sort_by_key(|p| {
            (podutil::is_ready(p), podutil::node_name(p).is_some(), podutil::phase(p) == "Running")
        });
        let n = (active - want) as usize;
        writes.extend(left.iter().take(n).flat_map(|p| delete_pod(involved, p)));
        return (want, writes);
    }
    // `MaxPodCreateDeletePerSync` (job_controller.go): at most 500 pods a
    // sync, so `parallelism: 2147483647` grows in steps, not all at once.
    let want = want.min(active.saturating_add(MAX_POD_CREATE_DELETE_PER_SYNC));
    let held = super::create_held_until(view, job.metadata.uid.as_deref()).is_some();
    if held || active >= want {
        return (active, writes);
    }
    let indexes: Vec<Option<i32>> = match (succeeded_indexes, spec.completions) {
        (Some(done), Some(completions)) => {
            indexed::first_pending(&left, done, (want - active) as usize, completions)
                .into_iter()
                .map(Some)
                .collect()
        }
        _ => vec![None; (want - active) as usize],
    };
    for index in indexes {
        let ev = EventRecord::normal(
            involved.clone(),
            COMPONENT,
            "SuccessfulCreate",
            "Created pod: {name}".to_owned(),
        );
        writes.push(Write::CreateWithEvent(Object::Pod(pod_from_template(view, job, index)), ev));
        active += 1;
    }
    (active, writes)
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
