//! The Job controller's pod-failure back-off from pod finish times
//! (`pkg/controller/job/backoff_utils.go`, kubernetes#114768): pod
//! creation waits 10 s × 2^(failures−1), capped at 10 min
//! (`DefaultJobPodFailureBackOff`, `MaxJobPodFailureBackOff`), after the
//! last failure — counted over the Job since its last success, or per
//! index with `backoffLimitPerIndex`.

use std::time::Duration;

use k8s_openapi::{api::core::v1::Pod, jiff::Timestamp};

use crate::sim::{podutil, runtime::BackoffRecord, time};

/// `DefaultJobPodFailureBackOff`.
const BACKOFF: Duration = Duration::from_secs(10);
/// `MaxJobPodFailureBackOff`.
const MAX_BACKOFF: Duration = Duration::from_secs(600);

/// The Job-wide back-off record (`newBackoffRecord` then
/// `getRemainingTime`): the failed pods (ignored ones included) that
/// finished after the last success, and how long pod creation still waits
/// after the last of them.
pub fn job_backoff_remaining(now: Timestamp, pods: &[&Pod]) -> Duration {
    let last_success =
        pods.iter().filter(|p| podutil::phase(p) == "Succeeded").map(|p| finished_at(p)).max();
    let failures: Vec<Timestamp> = pods
        .iter()
        .filter(|p| podutil::phase(p) == "Failed")
        .map(|p| finished_at(p))
        .filter(|t| last_success.is_none_or(|s| *t > s))
        .collect();
    match failures.iter().max() {
        Some(last) => remaining_for(now, failures.len() as i32, *last),
        None => Duration::ZERO,
    }
}

/// `newBackoffRecord`: the record after the pods newly counted as
/// succeeded and failed (those that held the tracking finalizer): a
/// success resets it to the failures that finished after the last success.
pub fn new_record(
    old: &BackoffRecord,
    new_succeeded: &[&Pod],
    new_failed: &[&Pod],
) -> BackoffRecord {
    let mut failed: Vec<Timestamp> = new_failed.iter().map(|p| finished_at(p)).collect();
    failed.sort();
    let Some(last_success) = new_succeeded.iter().map(|p| finished_at(p)).max() else {
        let Some(last) = failed.last() else { return old.clone() };
        return BackoffRecord {
            failures_after_last_success: old.failures_after_last_success + failed.len() as i32,
            last_failure: Some(*last),
        };
    };
    let after: Vec<&Timestamp> = failed.iter().filter(|t| **t > last_success).collect();
    BackoffRecord {
        failures_after_last_success: after.len() as i32,
        last_failure: after.last().map(|t| **t),
    }
}

/// `getRemainingTime` of a record.
pub fn record_remaining(now: Timestamp, record: &BackoffRecord) -> Duration {
    match record.last_failure {
        Some(last) => remaining_for(now, record.failures_after_last_success, last),
        None => Duration::ZERO,
    }
}

/// `getRemainingTimeForFailuresCount`.
pub(super) fn remaining_for(now: Timestamp, failures: i32, last_failure: Timestamp) -> Duration {
    if failures <= 0 {
        return Duration::ZERO;
    }
    let mut backoff = BACKOFF;
    for _ in 1..failures {
        backoff = backoff.saturating_mul(2);
        if backoff >= MAX_BACKOFF {
            backoff = MAX_BACKOFF;
            break;
        }
    }
    let elapsed = time::since(now, last_failure);
    backoff.saturating_sub(elapsed)
}

/// `getFinishedTime`: the last container's finish, else the Ready=False
/// transition, else the deletion time less the grace period, else the
/// creation time.
pub(super) fn finished_at(p: &Pod) -> Timestamp {
    let status = p.status.as_ref();
    let from_containers = status.and_then(|s| {
        let statuses = s.container_statuses.as_ref()?;
        statuses.iter().try_fold(None::<Timestamp>, |latest, cs| {
            let t = cs.state.as_ref()?.terminated.as_ref()?.finished_at.as_ref()?.0;
            Some(Some(latest.map_or(t, |l| l.max(t))))
        })?
    });
    let from_ready = || {
        status
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready" && c.status == "False"))
            .and_then(|c| c.last_transition_time.as_ref())
            .map(|t| t.0)
    };
    let from_deletion = || {
        let at = p.metadata.deletion_timestamp.as_ref()?.0;
        let grace = p.metadata.deletion_grace_period_seconds.unwrap_or(0).max(0) as u64;
        Some(time::sub(at, Duration::from_secs(grace)))
    };
    from_containers
        .or_else(from_ready)
        .or_else(from_deletion)
        .or_else(|| p.metadata.creation_timestamp.as_ref().map(|t| t.0))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_ten_seconds_to_ten_minutes() {
        let t0: Timestamp = "2022-11-16T03:08:00Z".parse().unwrap();
        let secs: Vec<u64> = (0..9).map(|n| remaining_for(t0, n, t0).as_secs()).collect();
        assert_eq!(secs, [0, 10, 20, 40, 80, 160, 320, 600, 600]);
        let later = time::add(t0, Duration::from_secs(4));
        assert_eq!(remaining_for(later, 1, t0), Duration::from_secs(6));
        assert_eq!(remaining_for(later, 1, time::sub(t0, Duration::from_secs(60))), Duration::ZERO);
    }

    fn finished(phase: &str, at: Timestamp) -> Pod {
        let mut p = Pod::default();
        p.metadata.creation_timestamp = Some(time::time(at));
        p.status = Some(k8s_openapi::api::core::v1::PodStatus {
            phase: Some(phase.into()),
            ..Default::default()
        });
        p
    }

    /// The record outlives the pods: failures add up across syncs, a
    /// success keeps only the failures after it.
    #[test]
    fn the_record_counts_new_failures_and_resets_on_success() {
        let t0: Timestamp = "2022-11-16T03:08:00Z".parse().unwrap();
        let at = |s| time::add(t0, Duration::from_secs(s));
        let (f1, f2, ok, f3) = (
            finished("Failed", at(1)),
            finished("Failed", at(5)),
            finished("Succeeded", at(6)),
            finished("Failed", at(9)),
        );
        let r1 = new_record(&BackoffRecord::default(), &[], &[&f1]);
        let r2 = new_record(&r1, &[], &[&f2]);
        assert_eq!((r2.failures_after_last_success, r2.last_failure), (2, Some(at(5))));
        assert_eq!(record_remaining(at(10), &r2), Duration::from_secs(15));
        let r3 = new_record(&r2, &[&ok], &[&f3]);
        assert_eq!((r3.failures_after_last_success, r3.last_failure), (1, Some(at(9))));
        assert_eq!(new_record(&r3, &[], &[]), r3);
    }
}
