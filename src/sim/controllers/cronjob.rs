//! The CronJob controller v2 (v1.22 `pkg/controller/cronjob/
//! cronjob_controllerv2.go` and `utils.go`): one Job per schedule time,
//! named `<cronjob>-<scheduled time in minutes since the epoch>`,
//! concurrencyPolicy Allow/Forbid/Replace, suspend,
//! startingDeadlineSeconds, and the history limits.
//!
//! The controller is queue-driven: a sync runs when its informers see the
//! CronJob or one of its Jobs change, and again `nextScheduleDelta`
//! (100 ms) after the next schedule time (`AddAfter`). Which syncs run
//! matters: a sync with nothing to start still records `JobAlreadyActive`
//! or `MissSchedule`, and a Forbid run skipped at its time starts at the
//! first sync after the active Job finishes (its schedule time stays
//! unmet). The informers' view and the queue entry live in
//! [`JobQueue`], as for the Job controller.

use std::{collections::BTreeSet, time::Duration};

use k8s_openapi::{
    api::{
        batch::v1::{CronJob, CronJobStatus, Job},
        core::v1::ObjectReference,
    },
    apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference},
    jiff::Timestamp,
};

use super::{Controller, View, Write, job};
use crate::sim::{
    DeleteOptions, Kind, Object, ObjectRef,
    cron::{self, Schedule},
    events::{EventRecord, reference_to},
    podutil,
    runtime::JobQueue,
    time,
};
use crate::version::Fact;

const COMPONENT: &str = "cronjob-controller";

/// `nextScheduleDelta`: syncs run this long after a schedule time.
const NEXT_SCHEDULE_DELTA: Duration = Duration::from_millis(100);

/// Where the informer view keeps the schedule it last saw (`updateCronJob`
/// compares schedules); `@` cannot occur in a Job name.
const SCHEDULE_KEY: &str = "@schedule";

/// The CronJob controller.
pub struct CronJobController;

impl Controller for CronJobController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        // A deleted CronJob's sync finds nothing; forget it.
        if let Some(key) = super::stale_key::<CronJob>(view, view.runtime.cron_jobs.keys()) {
            return vec![Write::CronJobQueue(key.clone(), None)];
        }
        for cj in view.store.all::<CronJob>(None) {
            let key = key_of(&cj.metadata);
            let fresh = JobQueue::default();
            let queue = view.runtime.cron_jobs.get(&key).unwrap_or(&fresh);
            if let Some(q) = observe(view, cj, queue) {
                return vec![Write::CronJobQueue(key, Some(q))];
            }
            if let Some(mut q) = queue.turn(view.now) {
                let (mut writes, requeue_after) = sync(view, cj);
                if let Some(delay) = requeue_after {
                    // `queue.Forget(key); queue.AddAfter(key, requeueAfter)`
                    q.requeues = 0;
                    job::enqueue_after(&mut q, view.now, delay);
                }
                writes.push(Write::CronJobQueue(key, Some(q)));
                return writes;
            }
        }
        Vec::new()
    }

    fn next_wakeup(&self, view: &View<'_>) -> Option<Timestamp> {
        view.runtime.cron_jobs.values().filter_map(|q| q.due).filter(|t| *t > view.now).min()
    }
}

fn key_of(meta: &ObjectMeta) -> String {
    super::queue_key(meta)
}

/// The Jobs whose controller reference resolves to `cj` (the informer
/// handlers' `resolveControllerRef`: kind, name and uid).
fn owned_jobs<'a>(view: &View<'a>, cj: &CronJob) -> impl Iterator<Item = &'a Job> + use<'a> {
    let name = cj.metadata.name.clone().unwrap_or_default();
    let uid = cj.metadata.uid.clone().unwrap_or_default();
    view.store.all::<Job>(cj.metadata.namespace.as_deref()).filter(move |j| {
        podutil::controller_of(&j.metadata)
            .is_some_and(|r| r.kind == "CronJob" && r.name == name && r.uid == uid)
    })
}

/// The informers' event handlers: a CronJob added or updated, or one of
/// its Jobs added, updated or deleted, enqueues it now — except a changed
/// schedule, which enqueues it for the new schedule's next time
/// (`updateCronJob`). `None` when nothing changed.
fn observe(view: &View<'_>, cj: &CronJob, queue: &JobQueue) -> Option<JobQueue> {
    let schedule = cj.spec.as_ref().map(|s| s.schedule.clone()).unwrap_or_default();
    let mut seen = std::collections::BTreeMap::new();
    seen.insert(String::new(), cj.metadata.resource_version.clone().unwrap_or_default());
    seen.insert(SCHEDULE_KEY.to_owned(), schedule.clone());
    for j in owned_jobs(view, cj) {
        seen.insert(
            j.metadata.name.clone().unwrap_or_default(),
            j.metadata.resource_version.clone().unwrap_or_default(),
        );
    }
    if seen == *queue.seen {
        return None;
    }
    let mut q = queue.clone();
    let schedule_changed = queue.seen.get(SCHEDULE_KEY).is_some_and(|old| *old != schedule);
    let jobs_changed = seen
        .iter()
        .any(|(k, v)| !k.is_empty() && k != SCHEDULE_KEY && queue.seen.get(k) != Some(v))
        || queue.seen.keys().any(|k| !seen.contains_key(k));
    if schedule_changed {
        // An unparseable schedule is rejected by validation before it is
        // stored, so `cron.ParseStandard` succeeds here.
        if let Ok(sched) = schedule_of(cj) {
            job::enqueue_after(&mut q, view.now, next_schedule_delay(&sched, view.now));
        }
    } else if queue.seen.is_empty() || queue.seen.get("") != seen.get("") {
        q.ready = true;
    }
    if jobs_changed {
        q.ready = true;
    }
    q.seen = std::sync::Arc::new(seen);
    Some(q)
}

/// The CronJob's schedule, read in its `timeZone` (from v1.25, when
/// CronJobTimeZone is on; the apiserver drops the field before and
/// rejects an unknown zone). An unknown zone stored anyway leaves the
/// schedule in UTC.
fn schedule_of(cj: &CronJob) -> Result<Schedule, String> {
    let spec = cj.spec.as_ref();
    let sched = cron::parse_standard(spec.map_or("", |s| s.schedule.as_str()))?;
    Ok(match spec.and_then(|s| s.time_zone.as_deref()).map(cron::load_zone) {
        Some(Ok(zone)) => sched.in_zone(zone),
        _ => sched,
    })
}

/// `nextScheduledTimeDuration`: until 100 ms after the next schedule time.
fn next_schedule_delay(sched: &Schedule, now: Timestamp) -> Duration {
    match sched.next(now) {
        Some(next) => time::since(time::add(next, NEXT_SCHEDULE_DELTA), now),
        // Go's zero time: a negative duration, i.e. at once.
        None => Duration::ZERO,
    }
}

fn event(involved: &ObjectReference, reason: &str, message: String) -> EventRecord {
    EventRecord::normal(involved.clone(), COMPONENT, reason, message)
}

fn in_active_list(status: &CronJobStatus, uid: &str) -> bool {
    status.active.iter().flatten().any(|r| r.uid.as_deref() == Some(uid))
}

fn delete_from_active_list(status: &mut CronJobStatus, uid: &str) {
    if let Some(active) = status.active.as_mut() {
        active.retain(|r| r.uid.as_deref() != Some(uid));
    }
}

/// `getJobsToBeReconciled` (v1.22): Jobs matching the job template's labels
/// whose controller reference names the CronJob.
fn jobs_to_be_reconciled<'a>(view: &View<'a>, cj: &CronJob) -> Vec<&'a Job> {
    let name = cj.metadata.name.as_deref().unwrap_or_default();
    let selector = cj
        .spec
        .as_ref()
        .and_then(|s| s.job_template.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    view.store
        .all::<Job>(cj.metadata.namespace.as_deref())
        .filter(|j| {
            let labels = j.metadata.labels.as_ref();
            selector.iter().all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
        })
        .filter(|j| podutil::controller_of(&j.metadata).is_some_and(|r| r.name == name))
        .collect()
}

/// `sync` (`syncCronJob` then `cleanupFinishedJobs`): the writes, and when
/// to look again (`None`: only on the next informer event).
fn sync(view: &View<'_>, cj: &CronJob) -> (Vec<Write>, Option<Duration>) {
    let jobs = jobs_to_be_reconciled(view, cj);
    let (mut writes, requeue_after, ok) = sync_cron_job(view, cj, &jobs);
    if ok {
        writes.extend(cleanup_finished_jobs(cj, &jobs));
    }
    (writes, requeue_after)
}

/// `syncCronJob`; the flag is false when it returned an error (the caller
/// then skips the clean-up).
fn sync_cron_job(
    view: &View<'_>,
    original: &CronJob,
    jobs: &[&Job],
) -> (Vec<Write>, Option<Duration>, bool) {
    let now = view.now;
    let mut cj = original.clone();
    let involved = reference_to(&Object::CronJob(original.clone()));
    let ns = cj.metadata.namespace.clone().unwrap_or_else(|| "default".to_owned());
    let mut writes = Vec::new();
    let mut status = cj.status.clone().unwrap_or_default();
    let mut children = BTreeSet::new();
    for j in jobs {
        let uid = j.metadata.uid.as_deref().unwrap_or_default();
        let name = j.metadata.name.as_deref().unwrap_or_default();
        children.insert(uid.to_owned());
        let found = in_active_list(&status, uid);
        let finished = job::finished_condition(j);
        match finished {
            None if !found => writes.push(Write::Event(
                event(
                    &involved,
                    "UnexpectedJob",
                    format!("Saw a job that the controller did not create or forgot: {name}"),
                )
                .warning(),
            )),
            Some(condition) if found => {
                delete_from_active_list(&mut status, uid);
                writes.push(Write::Event(event(
                    &involved,
                    "SawCompletedJob",
                    format!("Saw completed job: {name}, status: {condition}"),
                )));
            }
            Some(_) => {
                // A finished job need not be in the active list to count.
                let completion = j.status.as_ref().and_then(|s| s.completion_time.clone());
                if status.last_successful_time.is_none() {
                    status.last_successful_time = completion.clone();
                }
                if let (Some(c), Some(last)) = (&completion, &status.last_successful_time)
                    && c.0 > last.0
                {
                    status.last_successful_time = completion;
                }
            }
            None => {}
        }
    }
    // Active references whose Job is gone.
    for r in status.active.clone().unwrap_or_default() {
        let uid = r.uid.as_deref().unwrap_or_default();
        if children.contains(uid) {
            continue;
        }
        let name = r.name.as_deref().unwrap_or_default();
        let job_ns = r.namespace.as_deref().unwrap_or(&ns);
        if view.store.get_typed::<Job>(Some(job_ns), name).is_none() {
            writes.push(Write::Event(event(
                &involved,
                "MissingJob",
                format!("Active job went missing: {name}"),
            )));
            delete_from_active_list(&mut status, uid);
        }
    }
    if Some(&status) != original.status.as_ref()
        && !(original.status.is_none() && status == CronJobStatus::default())
    {
        cj.status = Some(status.clone());
        writes.push(Write::Update(Object::CronJob(cj.clone())));
    }
    cj.status = Some(status.clone());

    let spec = cj.spec.clone().unwrap_or_default();
    if cj.metadata.deletion_timestamp.is_some() || spec.suspend.unwrap_or(false) {
        return (writes, None, true);
    }
    let sched = match schedule_of(&cj) {
        Ok(s) => s,
        Err(err) => {
            let message = format!("unparseable schedule: {:?} : {err}", spec.schedule);
            writes.push(Write::Event(event(&involved, "UnparseableSchedule", message).warning()));
            return (writes, None, true);
        }
    };
    if spec.schedule.contains("TZ") {
        let message = format!(
            "CRON_TZ or TZ used in schedule {:?} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
            spec.schedule
        );
        writes.push(Write::Event(event(&involved, "UnsupportedSchedule", message).warning()));
    }
    let requeue = Some(next_schedule_delay(&sched, now));
    let scheduled = match next_schedule_time(&cj, now, &sched) {
        Err(err) => {
            let message = format!("invalid schedule: {} : {err}", spec.schedule);
            writes.push(Write::Event(event(&involved, "InvalidSchedule", message).warning()));
            return (writes, None, true);
        }
        Ok((None, _)) => return (writes, requeue, true),
        Ok((Some(t), missed)) => {
            if missed > 100 {
                let message = format!(
                    "too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
                );
                writes
                    .push(Write::Event(event(&involved, "TooManyMissedTimes", message).warning()));
            }
            t
        }
    };
    if let Some(deadline) = spec.starting_deadline_seconds
        && time::add_secs(scheduled, deadline) < now
    {
        let message = format!(
            "Missed scheduled time to start a job: {}",
            scheduled.strftime("%a, %d %b %Y %H:%M:%S +0000")
        );
        writes.push(Write::Event(event(&involved, "MissSchedule", message).warning()));
        return (writes, requeue, true);
    }
    let job_name = job_name(&cj, scheduled, view.config.version.has(Fact::CronJobJobNameInMinutes));
    let already = status.active.iter().flatten().any(|r| {
        r.name.as_deref() == Some(job_name.as_str()) && r.namespace.as_deref() == Some(&ns)
    }) || status.last_schedule_time.as_ref().is_some_and(|t| t.0 == scheduled);
    if already {
        return (writes, requeue, true);
    }
    let policy = spec.concurrency_policy.as_deref().unwrap_or("Allow");
    let active = status.active.clone().unwrap_or_default();
    if policy == "Forbid" && !active.is_empty() {
        writes.push(Write::Event(event(
            &involved,
            "JobAlreadyActive",
            "Not starting job because prior execution is running and concurrency policy is Forbid"
                .to_owned(),
        )));
        return (writes, requeue, true);
    }
    if policy == "Replace" {
        for r in &active {
            let name = r.name.as_deref().unwrap_or_default();
            let job_ns = r.namespace.as_deref().unwrap_or(&ns);
            let Some(j) = view.store.get_typed::<Job>(Some(job_ns), name) else {
                let message = format!("Get job: jobs.batch {name:?} not found");
                writes.push(Write::Event(event(&involved, "FailedGet", message).warning()));
                return (writes, None, false);
            };
            writes.extend(delete_job(&involved, j));
            delete_from_active_list(&mut status, j.metadata.uid.as_deref().unwrap_or_default());
        }
    }
    if view.store.get_typed::<Job>(Some(&ns), &job_name).is_some() {
        // `IsAlreadyExists`: "assume it has updated the cronjob status".
        return (writes, None, false);
    }
    status.last_schedule_time = Some(time::time(scheduled));
    cj.status = Some(status);
    let created = event(&involved, "SuccessfulCreate", "Created job {name}".to_owned());
    writes.push(Write::CreateActiveJob(
        Object::Job(job_from_template(&cj, &job_name)),
        created,
        Object::CronJob(cj),
    ));
    (writes, requeue, true)
}

/// `getNextScheduleTime` with `getMostRecentScheduleTime` (v1.22): the most
/// recent unmet schedule time (if any) and how many were missed. It
/// assumes the time between the first two unmet times repeats.
fn next_schedule_time(
    cj: &CronJob,
    now: Timestamp,
    sched: &Schedule,
) -> Result<(Option<Timestamp>, i64), String> {
    let status = cj.status.as_ref();
    let mut earliest = match status.and_then(|s| s.last_schedule_time.as_ref()) {
        Some(t) => t.0,
        None => cj.metadata.creation_timestamp.as_ref().map_or(now, |t| t.0),
    };
    if let Some(deadline) = cj.spec.as_ref().and_then(|s| s.starting_deadline_seconds) {
        let scheduling_deadline = time::add_secs(now, -deadline);
        if scheduling_deadline > earliest {
            earliest = scheduling_deadline;
        }
    }
    if earliest > now {
        return Ok((None, 0));
    }
    let (Some(t1), Some(t2)) =
        (sched.next(earliest), sched.next(earliest).and_then(|t| sched.next(t)))
    else {
        return Ok((None, 0));
    };
    if now < t1 {
        return Ok((None, 0));
    }
    if now < t2 {
        return Ok((Some(t1), 1));
    }
    let between = t2.as_second() - t1.as_second();
    if between < 1 {
        return Err("time difference between two schedules less than 1 second".to_owned());
    }
    let elapsed = time::since(now, t1).as_secs() as i64;
    let missed = elapsed / between + 1;
    let t = Timestamp::from_second(t1.as_second() + (missed - 1) * between).unwrap_or(t1);
    Ok((Some(t), missed))
}

/// `getJobName`: the scheduled time in minutes since the epoch (the v2
/// controller, `getTimeHashInMinutes`), or in seconds before v1.21, where
/// the v1 controller ran by default (`getTimeHash`,
/// [`Fact::CronJobJobNameInMinutes`]). Only the name follows the v1
/// controller; its 10 s polling loop is not modelled.
fn job_name(cj: &CronJob, scheduled: Timestamp, in_minutes: bool) -> String {
    let time = if in_minutes { scheduled.as_second() / 60 } else { scheduled.as_second() };
    format!("{}-{}", cj.metadata.name.as_deref().unwrap_or_default(), time)
}

/// `getJobFromTemplate2`: the template's labels, annotations and spec, and
/// a controller reference to the CronJob.
fn job_from_template(cj: &CronJob, name: &str) -> Job {
    let spec = cj.spec.clone().unwrap_or_default();
    let tmeta = spec.job_template.metadata.unwrap_or_default();
    Job {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: cj.metadata.namespace.clone(),
            labels: tmeta.labels.filter(|l| !l.is_empty()),
            annotations: tmeta.annotations.filter(|a| !a.is_empty()),
            owner_references: Some(vec![OwnerReference {
                api_version: "batch/v1".to_owned(),
                kind: "CronJob".to_owned(),
                name: cj.metadata.name.clone().unwrap_or_default(),
                uid: cj.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: spec.job_template.spec,
        status: None,
    }
}

/// `deleteJob`: delete (background propagation; the garbage collector
/// removes the pods) and record it.
fn delete_job(involved: &ObjectReference, j: &Job) -> Vec<Write> {
    let name = j.metadata.name.clone().unwrap_or_default();
    let ns = j.metadata.namespace.as_deref().unwrap_or("default");
    vec![
        Write::Delete(ObjectRef::namespaced(Kind::Job, ns, &name), DeleteOptions::default()),
        Write::Event(event(involved, "SuccessfulDelete", format!("Deleted job {name}"))),
    ]
}

/// `cleanupFinishedJobs`: beyond each history limit, the finished Jobs
/// that started first go (`byJobStartTimeStar`: no start time last, then
/// by name).
fn cleanup_finished_jobs(cj: &CronJob, jobs: &[&Job]) -> Vec<Write> {
    let Some(spec) = cj.spec.as_ref() else { return Vec::new() };
    if spec.failed_jobs_history_limit.is_none() && spec.successful_jobs_history_limit.is_none() {
        return Vec::new();
    }
    let involved = reference_to(&Object::CronJob(cj.clone()));
    let mut writes = Vec::new();
    for (condition, limit) in [
        ("Complete", spec.successful_jobs_history_limit),
        ("Failed", spec.failed_jobs_history_limit),
    ] {
        let Some(limit) = limit else { continue };
        let mut finished: Vec<&Job> = jobs
            .iter()
            .copied()
            .filter(|j| job::finished_condition(j) == Some(condition))
            .collect();
        let excess = finished.len() as i64 - i64::from(limit);
        if excess <= 0 {
            continue;
        }
        finished.sort_by_key(|j| {
            let start = j.status.as_ref().and_then(|s| s.start_time.as_ref()).map(|t| t.0);
            (start.is_none(), start, j.metadata.name.clone())
        });
        for j in finished.iter().take(excess as usize) {
            writes.extend(delete_job(&involved, j));
        }
    }
    writes
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::batch::v1::CronJobSpec;

    fn cronjob(schedule: &str, created: &str, last: Option<&str>) -> CronJob {
        CronJob {
            metadata: ObjectMeta {
                name: Some("hello".to_owned()),
                creation_timestamp: Some(time::time(created.parse().unwrap())),
                ..Default::default()
            },
            spec: Some(CronJobSpec { schedule: schedule.to_owned(), ..Default::default() }),
            status: Some(CronJobStatus {
                last_schedule_time: last.map(|l| time::time(l.parse().unwrap())),
                ..Default::default()
            }),
        }
    }

    #[test]
    fn most_recent_unmet_time_and_missed_count() {
        let sched = cron::parse_standard("*/1 * * * *").unwrap();
        let cj = cronjob("*/1 * * * *", "2022-11-16T03:00:30Z", None);
        let now: Timestamp = "2022-11-16T03:01:00.1Z".parse().unwrap();
        let (t, n) = next_schedule_time(&cj, now, &sched).unwrap();
        assert_eq!((t.unwrap().to_string().as_str(), n), ("2022-11-16T03:01:00Z", 1));
        let cj = cronjob("*/1 * * * *", "2022-11-16T03:00:30Z", Some("2022-11-16T03:01:00Z"));
        let now: Timestamp = "2022-11-16T05:00:00.1Z".parse().unwrap();
        let (t, n) = next_schedule_time(&cj, now, &sched).unwrap();
        assert_eq!((t.unwrap().to_string().as_str(), n), ("2022-11-16T05:00:00Z", 119));
        assert_eq!(job_name(&cj, "2022-11-16T03:01:00Z".parse().unwrap(), true), "hello-27809461");
    }

    /// The v1 controller (the default before v1.21) names a Job by the
    /// scheduled time in seconds, the v2 controller in minutes.
    #[test]
    fn cronjob_job_name_seconds_before_v1_21() {
        let cj = cronjob("*/1 * * * *", "2022-11-16T03:00:30Z", None);
        let at: Timestamp = "2022-11-16T03:01:00Z".parse().unwrap();
        let name = |minor| job_name(&cj, at, Fact::CronJobJobNameInMinutes.holds_at(minor));
        assert_eq!(name(20), "hello-1668567660");
        assert_eq!(name(21), "hello-27809461");
    }
}
