//! `backoffLimitPerIndex` and `maxFailedIndexes` (KEP-3850,
//! `pkg/controller/job/indexed_job_utils.go` and `backoff_utils.go`): an
//! Indexed Job counts failures per index. Each pod carries its index's
//! failure count in the `batch.kubernetes.io/job-index-failure-count`
//! annotation (0 for the first pod, the replaced pod's count plus one for
//! a replacement); a failed pod whose count has reached the limit, or one
//! matching a `FailIndex` rule, fails its index for good, listed in
//! `status.failedIndexes`. A replacement waits the index's own back-off,
//! 10 s × 2^(failures−1) capped at 10 min from the replaced pod's finish
//! time (`getRemainingTimePerIndex`), not the Job's.
//!
//! Versions (feature gate `JobBackoffLimitPerIndex`): alpha v1.28, beta and
//! on from v1.29, GA v1.33; the apiserver drops the fields before that.

use std::{collections::BTreeMap, time::Duration};

use k8s_openapi::{
    api::{batch::v1::Job, core::v1::Pod},
    jiff::Timestamp,
};

use super::{
    backoff::{finished_at, remaining_for},
    indexed::{self, Intervals},
    pod_failure_policy::{self, Action},
};
use crate::sim::podutil;

/// `batch.JobIndexFailureCountAnnotation`.
pub const FAILURE_COUNT_KEY: &str = "batch.kubernetes.io/job-index-failure-count";
/// `batch.JobIndexIgnoredFailureCountAnnotation`.
pub const IGNORED_COUNT_KEY: &str = "batch.kubernetes.io/job-index-ignored-failure-count";

/// `hasBackoffLimitPerIndex`: the limit, for an Indexed Job that sets it.
pub fn limit(job: &Job) -> Option<i32> {
    indexed::is_indexed(job).then(|| job.spec.as_ref()?.backoff_limit_per_index).flatten()
}

/// `parseInt32` of an annotation: 0 when missing, malformed or negative.
fn annotation(pod: &Pod, key: &str) -> i32 {
    let value = pod.metadata.annotations.as_ref().and_then(|a| a.get(key));
    value.and_then(|v| v.parse::<i32>().ok()).filter(|v| *v >= 0).unwrap_or(0)
}

/// `getIndexFailureCount`.
fn failure_count(pod: &Pod) -> i32 {
    annotation(pod, FAILURE_COUNT_KEY)
}

/// `getIndexAbsoluteFailureCount`: counted and ignored failures.
fn absolute_failure_count(pod: &Pod) -> i32 {
    failure_count(pod).saturating_add(annotation(pod, IGNORED_COUNT_KEY))
}

fn is_failed(pod: &Pod) -> bool {
    podutil::phase(pod) == "Failed"
}

/// `isIndexFailed`: a failed pod matching `FailIndex`, or one whose counted
/// failure brings its index to the limit.
fn is_index_failed(job: &Job, pod: &Pod, limit: i32) -> bool {
    if !is_failed(pod) {
        return false;
    }
    let policy = job.spec.as_ref().and_then(|s| s.pod_failure_policy.as_ref());
    let m = pod_failure_policy::match_pod(policy, pod);
    if m.action == Some(Action::FailIndex) {
        return true;
    }
    m.counts && failure_count(pod) >= limit
}

/// `calculateFailedIndexes`: the recorded `status.failedIndexes` plus the
/// indexes of failed pods that fail them.
pub fn failed_indexes(job: &Job, pods: &[&Pod], completions: i32, limit: i32) -> Intervals {
    let recorded = job.status.as_ref().and_then(|s| s.failed_indexes.as_deref()).unwrap_or("");
    let new = pods
        .iter()
        .filter_map(|p| indexed::completion_index(p).map(|ix| (ix, p)))
        .filter(|(ix, p)| *ix < completions && is_index_failed(job, p, limit))
        .map(|(ix, _)| ix)
        .collect();
    Intervals::parse(recorded, completions).with(&new)
}

/// `getPodsWithDelayedDeletionPerIndex`: for each index still to run (not
/// succeeded, failed or active), its last failed pod — the one a
/// replacement takes its failure count from.
pub fn last_failed_per_index<'a>(
    pods: &[&'a Pod],
    active: &[&Pod],
    succeeded: &Intervals,
    failed: &Intervals,
    completions: i32,
) -> BTreeMap<i32, &'a Pod> {
    let active_ix: Vec<i32> = active.iter().filter_map(|p| indexed::completion_index(p)).collect();
    let mut out: BTreeMap<i32, &'a Pod> = BTreeMap::new();
    for p in pods.iter().copied().filter(|p| is_failed(p)) {
        let Some(ix) = indexed::completion_index(p).filter(|ix| *ix < completions) else {
            continue;
        };
        if succeeded.has(ix) || failed.has(ix) || active_ix.contains(&ix) {
            continue;
        }
        match out.get(&ix) {
            Some(last)
                if absolute_failure_count(last) > absolute_failure_count(p)
                    || finished_at(p) < finished_at(last) => {}
            _ => {
                out.insert(ix, p);
            }
        }
    }
    out
}

/// `getNewIndexFailureCounts`: the annotations of a pod replacing
/// `replaced` (0 and none for an index's first pod).
pub fn new_failure_counts(job: &Job, replaced: Option<&Pod>) -> (i32, i32) {
    let Some(p) = replaced else { return (0, 0) };
    let (mut counted, mut ignored) = (failure_count(p), annotation(p, IGNORED_COUNT_KEY));
    let policy = job.spec.as_ref().and_then(|s| s.pod_failure_policy.as_ref());
    if pod_failure_policy::match_pod(policy, p).counts {
        counted += 1;
    } else {
        ignored += 1;
    }
    (counted, ignored)
}

/// `getRemainingTimePerIndex`: how long the index still waits after its
/// last failed pod.
pub fn remaining(now: Timestamp, last_failed: Option<&Pod>) -> Duration {
    let Some(p) = last_failed else { return Duration::ZERO };
    let failures = absolute_failure_count(p).saturating_add(1);
    remaining_for(now, failures, finished_at(p))
}

/// `addIndexFailureCountAnnotation`.
pub fn annotate(pod: &mut Pod, counts: (i32, i32)) {
    let annotations = pod.metadata.annotations.get_or_insert_with(Default::default);
    annotations.insert(FAILURE_COUNT_KEY.to_owned(), counts.0.to_string());
    if counts.1 > 0 {
        annotations.insert(IGNORED_COUNT_KEY.to_owned(), counts.1.to_string());
    }
}
