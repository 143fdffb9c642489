//! The Job registry strategy's selector generation
//! (`pkg/registry/batch/job/strategy.go` `generateSelector`, run from
//! `Validate` once the uid is set): without `manualSelector`, the pod
//! template gets the labels `controller-uid=<uid>` and `job-name=<name>`,
//! and the selector matches the uid.

use std::collections::BTreeMap;

use k8s_openapi::{api::batch::v1::Job, apimachinery::pkg::apis::meta::v1::LabelSelector};

/// Adds the generated labels and selector to a new Job.
pub fn generate_selector(job: &mut Job) {
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
    labels.insert("controller-uid".to_owned(), uid.clone());
    labels.insert("job-name".to_owned(), name);
    let template_labels = labels.clone();
    spec.selector = Some(LabelSelector {
        match_labels: Some(BTreeMap::from([("controller-uid".to_owned(), uid)])),
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
