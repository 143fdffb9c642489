//! The Job registry strategy's selector generation
//! (`pkg/registry/batch/job/strategy.go` `generateSelector`, run from
//! `Validate` once the uid is set): without `manualSelector`, the pod
//! template gets the labels `controller-uid=<uid>` and `job-name=<name>`,
//! and the selector matches the uid. From v1.27 (kubernetes#114930) the
//! template also gets `batch.kubernetes.io/controller-uid` and
//! `batch.kubernetes.io/job-name`, and the selector matches the prefixed
//! uid label.

use crate::version::Fact;
use std::collections::BTreeMap;

use k8s_openapi::{api::batch::v1::Job, apimachinery::pkg::apis::meta::v1::LabelSelector};

/// Adds the generated labels and selector to a new Job.
pub fn generate_selector(job: &mut Job, version: crate::version::KubeVersion) {
    let uid = job.metadata.uid.clone().unwrap_or_default();
    let name = job.metadata.name.clone().unwrap_or_default();
    let Some(spec) = job.spec.as_mut() else { return };
    if spec.manual_selector == Some(true) {
        return;
    }
    let labels = spec
        .template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(BTreeMap::new);
    let prefixed = version.has(Fact::JobLabelsPrefixed);
    // "If there is a conflict, we will reject in validation": a label the
    // user set is kept.
    let mut keys = vec![("job-name", name.clone()), ("controller-uid", uid.clone())];
    if prefixed {
        keys.push(("batch.kubernetes.io/job-name", name));
        keys.push(("batch.kubernetes.io/controller-uid", uid.clone()));
    }
    for (k, v) in keys {
        labels.entry(k.to_owned()).or_insert(v);
    }
    let template_labels = labels.clone();
    let selector_key =
        if prefixed { "batch.kubernetes.io/controller-uid" } else { "controller-uid" };
    spec.selector = Some(LabelSelector {
        match_labels: Some(BTreeMap::from([(selector_key.to_owned(), uid)])),
        match_expressions: None,
    });
    // `SetDefaults_Job` (`pkg/apis/batch/v1/defaults.go`): a Job without
    // labels takes its template's. Defaulting runs again whenever the
    // stored object is decoded, so every read sees the generated labels
    // copied (`kubectl describe job`: `Labels: controller-uid=… job-name=…`).
    if job.metadata.labels.as_ref().is_none_or(BTreeMap::is_empty) {
        job.metadata.labels = Some(template_labels);
    }
}

/// The Job strategy's `dropDisabledFields` (`pkg/registry/batch/job/
/// strategy.go`) at the cluster's version: a field whose feature gate is
/// off by default there is cleared on create, as that apiserver did.
///
/// - `completionMode: Indexed`: `IndexedJob` alpha (off) in v1.21, on from
///   v1.22; cleared, the Job is defaulted back to NonIndexed.
/// - `suspend`: `SuspendJob` alpha (off) in v1.21, on from v1.22.
/// - `podFailurePolicy`: `JobPodFailurePolicy` alpha (off) v1.25, on v1.26.
/// - `backoffLimitPerIndex`, `maxFailedIndexes`: `JobBackoffLimitPerIndex`
///   alpha v1.28, on v1.29.
/// - `podReplacementPolicy`: `JobPodReplacementPolicy` alpha v1.28, on v1.29.
/// - `successPolicy`: `JobSuccessPolicy` alpha v1.30, on v1.31.
/// - `managedBy`: `JobManagedBy` alpha v1.30, on v1.32.
pub fn drop_disabled_fields(job: &mut Job, version: crate::version::KubeVersion) {
    let Some(spec) = job.spec.as_mut() else { return };
    let on = |fact| version.has(fact);
    if !on(Fact::IndexedAndSuspendJob) {
        if spec.completion_mode.as_deref() == Some("Indexed") {
            spec.completion_mode = Some("NonIndexed".to_owned());
        }
        // `SuspendJob` alpha (off) in v1.21.
        spec.suspend = spec.suspend.map(|_| false);
    }
    if !on(Fact::JobPodFailurePolicy) {
        spec.pod_failure_policy = None;
    }
    if !on(Fact::JobBackoffLimitPerIndex) {
        spec.backoff_limit_per_index = None;
        spec.max_failed_indexes = None;
    }
    if !on(Fact::JobPodReplacementPolicy) {
        spec.pod_replacement_policy = None;
    }
    if !on(Fact::JobSuccessPolicy) {
        spec.success_policy = None;
    }
    if !on(Fact::JobManagedBy) {
        spec.managed_by = None;
    }
}

/// The Job defaults that depend on the version and on other fields
/// (`SetDefaults_Job`, `pkg/apis/batch/v1/defaults.go`), applied before
/// the plain ones:
///
/// - `backoffLimit` is 2147483647 when `backoffLimitPerIndex` is set (the
///   per-index limit takes over);
/// - a `podFailurePolicy` pod-condition pattern's `status` is `True`;
/// - `podReplacementPolicy` (from v1.29, JobPodReplacementPolicy on) is
///   `Failed` with a `podFailurePolicy`, else `TerminatingOrFailed`.
pub fn defaults(job: &mut Job, version: crate::version::KubeVersion) {
    let Some(spec) = job.spec.as_mut() else { return };
    if spec.backoff_limit.is_none() && spec.backoff_limit_per_index.is_some() {
        spec.backoff_limit = Some(i32::MAX);
    }
    for rule in spec.pod_failure_policy.iter_mut().flat_map(|p| p.rules.iter_mut()) {
        for pattern in rule.on_pod_conditions.iter_mut().flatten() {
            if pattern.status.is_empty() {
                pattern.status = "True".to_owned();
            }
        }
    }
    if version.has(Fact::JobPodReplacementPolicy) && spec.pod_replacement_policy.is_none() {
        let policy =
            if spec.pod_failure_policy.is_some() { "Failed" } else { "TerminatingOrFailed" };
        spec.pod_replacement_policy = Some(policy.to_owned());
    }
}
