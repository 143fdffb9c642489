//! Field validation with the API server's messages (`pkg/apis/*/validation`).
//! Each check returns causes like `spec.replicas: Invalid value: -1: must be
//! greater than or equal to 0`.

use k8s_openapi::{
    api::core::v1::{PodSpec, PodTemplateSpec},
    apimachinery::pkg::{apis::meta::v1::LabelSelector, util::intstr::IntOrString},
};

use super::bad_value;
use crate::{
    sim::{
        labels::{selector_is_empty, selector_matches},
        object::Object,
    },
    version::{Fact, KubeVersion},
};

const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/// All causes why `object` is invalid; empty when valid.
pub fn validate(object: &Object, version: KubeVersion) -> Vec<String> {
    let mut causes = Vec::new();
    name(object, &mut causes);
    labels_and_annotations(object, version, &mut causes);
    match object {
        Object::Deployment(d) => {
            if let Some(spec) = &d.spec {
                replicas(spec.replicas, &mut causes);
                selector_and_template(
                    Some(&spec.selector),
                    Some(&spec.template),
                    version,
                    &mut causes,
                );
                rolling_update(spec.strategy.as_ref(), version, &mut causes);
            }
        }
        Object::ReplicaSet(rs) => {
            if let Some(spec) = &rs.spec {
                replicas(spec.replicas, &mut causes);
                selector_and_template(
                    Some(&spec.selector),
                    spec.template.as_ref(),
                    version,
                    &mut causes,
                );
            }
        }
        Object::DaemonSet(ds) => {
            if let Some(spec) = &ds.spec {
                selector_and_template(
                    Some(&spec.selector),
                    Some(&spec.template),
                    version,
                    &mut causes,
                );
            }
        }
        Object::Job(j) => {
            if let Some(spec) = &j.spec {
                job_completion_mode(spec, &mut causes);
                job_restart_policy(&spec.template, "spec.template.spec", version, &mut causes);
                job_policies(spec, &mut causes);
            }
        }
        Object::CronJob(cj) => {
            if let Some(spec) = &cj.spec {
                // `validateScheduleFormat`: robfig/cron's parse error.
                if let Err(err) = crate::sim::cron::parse_standard(&spec.schedule) {
                    causes
                        .push(format!("spec.schedule: Invalid value: {:?}: {err}", spec.schedule));
                }
                if let Some(zone) = &spec.time_zone {
                    cron_job_time_zone(zone, &mut causes);
                }
                if let Some(job) = &spec.job_template.spec {
                    job_restart_policy(
                        &job.template,
                        "spec.jobTemplate.spec.template.spec",
                        version,
                        &mut causes,
                    );
                }
            }
        }
        Object::Pod(p) => match &p.spec {
            Some(spec) => pod_spec(spec, "spec", &mut causes),
            None => causes.push("spec.containers: Required value".to_owned()),
        },
        Object::Service(s) => {
            let spec = s.spec.as_ref();
            let type_ = spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP");
            let headless = spec.and_then(|s| s.cluster_ip.as_deref()) == Some("None");
            let ports = spec.and_then(|s| s.ports.as_ref()).map_or(0, Vec::len);
            if ports == 0 && type_ != "ExternalName" && !headless {
                causes.push("spec.ports: Required value".to_owned());
            }
            for (i, p) in spec.into_iter().flat_map(|s| s.ports.iter().flatten()).enumerate() {
                if !(1..=65535).contains(&p.port) {
                    causes.push(format!("spec.ports[{i}].port: Invalid value: {}: must be between 1 and 65535, inclusive", p.port));
                }
            }
        }
        Object::HorizontalPodAutoscaler(h) => {
            if let Some(spec) = &h.spec {
                if spec.min_replicas.is_some_and(|m| m < 1) {
                    causes.push(format!(
                        "spec.minReplicas: Invalid value: {}: must be greater than or equal to 1",
                        spec.min_replicas.unwrap_or(0)
                    ));
                }
                if spec.max_replicas < spec.min_replicas.unwrap_or(1) {
                    causes.push(format!("spec.maxReplicas: Invalid value: {}: must be greater than or equal to `minReplicas`", spec.max_replicas));
                }
            }
        }
        Object::Generic(g) => {
            causes.extend(super::builtin_validation::validate(g));
            if object.kind() == crate::sim::controllers::disruption::pdb_kind()
                && let Some(spec) =
                    crate::sim::controllers::disruption::budget(object).and_then(|b| b.spec)
            {
                causes.extend(super::pdb_validation::validate(&spec, version));
            }
        }
        _ => {}
    }
    causes
}

/// `ValidateRollingUpdateDeployment` (pkg/apis/apps/validation/validation.go):
/// maxSurge and maxUnavailable may not both be zero, as written (`0` or
/// `"0%"`), since the rollout could then never make progress.
fn rolling_update(
    strategy: Option<&k8s_openapi::api::apps::v1::DeploymentStrategy>,
    version: KubeVersion,
    causes: &mut Vec<String>,
) {
    // `ValidateDeploymentStrategy`: a Recreate Deployment may not carry
    // rollingUpdate parameters.
    if let Some(s) = strategy
        && s.type_.as_deref() == Some("Recreate")
    {
        if s.rolling_update.is_some() {
            causes.push(
                "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"
                    .to_owned(),
            );
        }
        return;
    }
    let Some(ru) = strategy.and_then(|s| s.rolling_update.as_ref()) else { return };
    let (Some(unavailable), Some(surge)) = (&ru.max_unavailable, &ru.max_surge) else { return };
    if int_or_percent_value(unavailable) == Some(0) && int_or_percent_value(surge) == Some(0) {
        causes.push(format!(
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: {}: may not be 0 when `maxSurge` is 0",
            super::bad_value::int_or_string(unavailable, version)
        ));
    }
}

/// `getIntOrPercentValue`: the integer, or the number before `%`.
fn int_or_percent_value(v: &IntOrString) -> Option<i32> {
    match v {
        IntOrString::Int(i) => Some(*i),
        IntOrString::String(s) => s.strip_suffix('%').and_then(|n| n.parse().ok()),
    }
}

fn name(object: &Object, causes: &mut Vec<String>) {
    let name = object.name();
    if name.is_empty() {
        causes.push("metadata.name: Required value: name or generateName is required".to_owned());
        return;
    }
    let label_only = matches!(object, Object::Namespace(_) | Object::Service(_));
    let ok = if label_only { is_dns1123_label(name) } else { is_dns1123_subdomain(name) };
    if !ok {
        let msg = if label_only { DNS1123_LABEL_MSG } else { DNS1123_SUBDOMAIN_MSG };
        causes.push(format!("metadata.name: Invalid value: \"{name}\": {msg}"));
    }
}

/// `ValidateLabels` and the key check of `ValidateAnnotations`
/// (`apimachinery/pkg/apis/meta/v1/validation`, `pkg/api/validation/
/// objectmeta.go`): every label key and every (lower-cased) annotation key
/// is a qualified name, every label value a label value. From v1.35 the
/// checks come from `pkg/api/validate/content` and word two messages
/// differently (fact LabelKeyContentMessages).
fn labels_and_annotations(object: &Object, version: KubeVersion, causes: &mut Vec<String>) {
    let content = version.has(Fact::LabelKeyContentMessages);
    let meta = object.meta();
    for (key, value) in meta.labels.iter().flatten() {
        for msg in label_key_errors(key, content) {
            causes.push(format!("metadata.labels: Invalid value: {}: {msg}", go_quote(key)));
        }
        for msg in label_value_errors(value, content) {
            causes.push(format!("metadata.labels: Invalid value: {}: {msg}", go_quote(value)));
        }
    }
    for key in meta.annotations.iter().flatten().map(|(k, _)| k) {
        for msg in label_key_errors(&key.to_lowercase(), content) {
            causes.push(format!("metadata.annotations: Invalid value: {}: {msg}", go_quote(key)));
        }
    }
}

fn go_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

const LABEL_KEY_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/// `MaxLenError`: `characters` until v1.34, `bytes` in `content`.
fn max_len(n: usize, content: bool) -> String {
    format!("must be no more than {n} {}", if content { "bytes" } else { "characters" })
}

/// A label name part: `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
fn is_label_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `IsQualifiedName` (v1.34) / `content.IsLabelKey` (v1.35).
fn label_key_errors(key: &str, content: bool) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = key.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else {
                if prefix.len() > 253 {
                    errs.push(format!("prefix part {}", max_len(253, content)));
                }
                if !is_dns1123_subdomain_pattern(prefix) {
                    errs.push(format!("prefix part {DNS1123_SUBDOMAIN_MSG}"));
                }
            }
            name
        }
        _ => {
            let what = if content { "a valid label key" } else { "a qualified name" };
            errs.push(format!(
                "{what} {LABEL_KEY_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len(63, content)));
    }
    if !is_label_name(name) {
        errs.push(format!("name part {LABEL_KEY_MSG}"));
    }
    errs
}

/// `IsValidLabelValue`: empty, or a label name part of at most 63.
fn label_value_errors(value: &str, content: bool) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len(63, content));
    }
    if !value.is_empty() && !is_label_name(value) {
        errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_owned());
    }
    errs
}

/// The subdomain regex alone (its length is checked apart).
fn is_dns1123_subdomain_pattern(s: &str) -> bool {
    s.split('.').all(|l| {
        let b = l.as_bytes();
        !b.is_empty()
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    })
}

fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns1123_label)
}

/// `validateJobSpec` (pkg/apis/batch/validation/validation.go, v1.22+):
/// the completion mode is one of two, and an Indexed Job names its
/// completions and runs at most 10^5 pods at once
/// (`maxParallelismForIndexedJob`).
fn job_completion_mode(spec: &k8s_openapi::api::batch::v1::JobSpec, causes: &mut Vec<String>) {
    match spec.completion_mode.as_deref() {
        None | Some("NonIndexed") => {}
        Some("Indexed") => {
            if spec.completions.is_none() {
                causes.push("spec.completions: Required value: when completion mode is Indexed".to_owned());
            }
            if let Some(p) = spec.parallelism.filter(|p| *p > 100_000) {
                causes.push(format!(
                    "spec.parallelism: Invalid value: {p}: must be less than or equal to 100000 when completion mode is Indexed"
                ));
            }
        }
        Some(other) => causes.push(format!(
            "spec.completionMode: Unsupported value: {other:?}: supported values: \"NonIndexed\", \"Indexed\""
        )),
    }
}

/// `validateTimeZone` (pkg/apis/batch/validation/validation.go): a
/// non-empty IANA name of safe characters, not `Local`, that
/// `time.LoadLocation` knows.
fn cron_job_time_zone(zone: &str, causes: &mut Vec<String>) {
    let path = "spec.timeZone: Invalid value";
    if zone.is_empty() {
        causes.push(format!("{path}: \"\": timeZone must be nil or non-empty string"));
        return;
    }
    // `validTimeZoneCharacters`: `^[A-Za-z\.\-_0-9+]{1,14}$` per part.
    let valid_part = |p: &str| {
        (1..=14).contains(&p.len())
            && p.chars().all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c))
    };
    if zone.split('/').any(|p| p == "." || p == ".." || p.starts_with('-') || !valid_part(p)) {
        causes.push(format!("{path}: {zone:?}: unknown time zone {zone}"));
        return;
    }
    if zone.eq_ignore_ascii_case("Local") {
        causes.push(format!(
            "{path}: {zone:?}: timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
        ));
    }
    if let Err(err) = crate::sim::cron::load_zone(zone) {
        causes.push(format!("{path}: {zone:?}: {err}"));
    }
}

/// `validateJobSpec`'s checks of the failure and success policies
/// (pkg/apis/batch/validation/validation.go), with the apiserver's
/// messages (checked against a v1.35.4 apiserver).
fn job_policies(spec: &k8s_openapi::api::batch::v1::JobSpec, causes: &mut Vec<String>) {
    let indexed = spec.completion_mode.as_deref() == Some("Indexed");
    if let Some(limit) = spec.backoff_limit_per_index
        && !indexed
    {
        causes.push(format!(
            "spec.backoffLimitPerIndex: Invalid value: {limit}: requires indexed completion mode"
        ));
    }
    if let (Some(max), Some(completions)) = (spec.max_failed_indexes, spec.completions)
        && max > completions
    {
        causes.push(format!(
            "spec.maxFailedIndexes: Invalid value: {max}: must be less than or equal to completions"
        ));
    }
    if let Some(policy) = &spec.pod_failure_policy {
        let restart =
            spec.template.spec.as_ref().and_then(|s| s.restart_policy.as_deref()).unwrap_or("");
        if restart != "Never" {
            causes.push(format!(
                "spec.template.spec.restartPolicy: Invalid value: {restart:?}: only \"Never\" is supported when podFailurePolicy is specified"
            ));
        }
        for (i, rule) in policy.rules.iter().enumerate() {
            if rule.action == "FailIndex" && spec.backoff_limit_per_index.is_none() {
                causes.push(format!(
                    "spec.podFailurePolicy.rules[{i}].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set"
                ));
            }
        }
    }
    if let Some(policy) = &spec.success_policy {
        if !indexed {
            // The internal struct, JSON-encoded without tags.
            let rules: Vec<String> = policy
                .rules
                .iter()
                .map(|r| {
                    format!(
                        "{{\"SucceededIndexes\":{},\"SucceededCount\":{}}}",
                        r.succeeded_indexes
                            .as_ref()
                            .map_or("null".to_owned(), |s| format!("{s:?}")),
                        r.succeeded_count.map_or("null".to_owned(), |c| c.to_string())
                    )
                })
                .collect();
            causes.push(format!(
                "spec.successPolicy: Invalid value: {{\"Rules\":[{}]}}: requires indexed completion mode",
                rules.join(",")
            ));
        } else if let Some(completions) = spec.completions {
            for (i, rule) in policy.rules.iter().enumerate() {
                if let Some(count) = rule.succeeded_count.filter(|c| *c > completions) {
                    causes.push(format!(
                        "spec.successPolicy.rules[{i}].succeededCount: Invalid value: {count}: must be less than or equal to {completions} (the number of specified completions)"
                    ));
                }
            }
        }
    }
}

/// `ValidateJobSpec`: a Job's pods restart OnFailure or Never (the pod
/// default `Always` included). From v1.20 `Always` (or none) is a Required
/// error naming the valid values ([`Fact::JobRestartPolicyAlwaysRequired`]).
fn job_restart_policy(
    template: &k8s_openapi::api::core::v1::PodTemplateSpec,
    path: &str,
    version: KubeVersion,
    causes: &mut Vec<String>,
) {
    let policy = template.spec.as_ref().and_then(|s| s.restart_policy.as_deref()).unwrap_or("");
    if matches!(policy, "Always" | "") && version.has(Fact::JobRestartPolicyAlwaysRequired) {
        causes.push(format!(
            "{path}.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        ));
    } else if policy != "OnFailure" && policy != "Never" {
        causes.push(format!(
            "{path}.restartPolicy: Unsupported value: {policy:?}: supported values: \"OnFailure\", \"Never\""
        ));
    }
}

fn replicas(replicas: Option<i32>, causes: &mut Vec<String>) {
    if let Some(r) = replicas.filter(|r| *r < 0) {
        causes
            .push(format!("spec.replicas: Invalid value: {r}: must be greater than or equal to 0"));
    }
}

fn selector_and_template(
    selector: Option<&LabelSelector>,
    template: Option<&PodTemplateSpec>,
    version: KubeVersion,
    causes: &mut Vec<String>,
) {
    let empty_selector = selector.is_none_or(selector_is_empty);
    if empty_selector {
        causes.push("spec.selector: Required value".to_owned());
    }
    let Some(template) = template else {
        causes.push("spec.template: Required value".to_owned());
        return;
    };
    let labels = template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
    if let Some(sel) = selector.filter(|_| !empty_selector)
        && !selector_matches(sel, Some(&labels))
    {
        {
            causes.push(format!("spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`", bad_value::string_map(&labels, version)));
        }
    }
    match &template.spec {
        Some(spec) => pod_spec(spec, "spec.template.spec", causes),
        None => causes.push("spec.template.spec.containers: Required value".to_owned()),
    }
}

fn pod_spec(spec: &PodSpec, path: &str, causes: &mut Vec<String>) {
    if spec.containers.is_empty() {
        causes.push(format!("{path}.containers: Required value"));
    }
    let mut seen = Vec::new();
    for (i, c) in spec.containers.iter().enumerate() {
        if c.name.is_empty() {
            causes.push(format!("{path}.containers[{i}].name: Required value"));
        } else if !is_dns1123_label(&c.name) {
            causes.push(format!(
                "{path}.containers[{i}].name: Invalid value: \"{}\": {DNS1123_LABEL_MSG}",
                c.name
            ));
        } else if seen.contains(&c.name) {
            causes.push(format!("{path}.containers[{i}].name: Duplicate value: \"{}\"", c.name));
        }
        seen.push(c.name.clone());
        if c.image.as_deref().is_none_or(|s| s.trim().is_empty()) {
            causes.push(format!("{path}.containers[{i}].image: Required value"));
        }
        for (j, p) in c.ports.iter().flatten().enumerate() {
            if !(1..=65535).contains(&p.container_port) {
                causes.push(format!("{path}.containers[{i}].ports[{j}].containerPort: Invalid value: {}: must be between 1 and 65535, inclusive", p.container_port));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_dns1123_subdomain("test-nginx.v1"));
        assert!(!is_dns1123_subdomain("Test"));
        assert!(!is_dns1123_label("a.b"));
    }
}
