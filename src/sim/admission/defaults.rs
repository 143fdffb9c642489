//! API defaulting, as the API server applies it on decode. Mirrors
//! `pkg/apis/core/v1/defaults.go`, `pkg/apis/apps/v1/defaults.go`,
//! `pkg/apis/autoscaling/v2/defaults.go` and `pkg/apis/batch/v1/defaults.go`.

use k8s_openapi::{
    api::{
        apps::v1::{
            DaemonSet, DaemonSetUpdateStrategy, Deployment, DeploymentStrategy, ReplicaSet,
            RollingUpdateDaemonSet, RollingUpdateDeployment,
        },
        autoscaling::v2::HorizontalPodAutoscaler,
        core::v1::{
            Container, PodSecurityContext, PodSpec, PodTemplateSpec, ResourceRequirements, Service,
        },
    },
    apimachinery::pkg::util::intstr::IntOrString,
};

use crate::sim::object::Object;

/// Applies the defaults of the object's kind.
pub fn apply(object: &mut Object) {
    match object {
        Object::Pod(p) => {
            if let Some(spec) = p.spec.as_mut() {
                pod_spec(spec);
                requests_from_limits(spec);
            }
        }
        Object::Deployment(d) => deployment(d),
        Object::ReplicaSet(rs) => replica_set(rs),
        Object::DaemonSet(ds) => daemon_set(ds),
        Object::Service(s) => service(s),
        Object::Secret(s) => {
            secret_string_data(s);
            // `SetDefaults_Secret`.
            if s.type_.as_deref().is_none_or(str::is_empty) {
                s.type_ = Some("Opaque".to_owned());
            }
        }
        Object::HorizontalPodAutoscaler(h) => hpa(h),
        // `SetDefaults_CronJob` (batch/v1), and the pod defaults of its
        // job template.
        Object::CronJob(cj) => {
            if let Some(spec) = cj.spec.as_mut() {
                spec.concurrency_policy.get_or_insert_with(|| "Allow".to_owned());
                spec.suspend.get_or_insert(false);
                spec.successful_jobs_history_limit.get_or_insert(3);
                spec.failed_jobs_history_limit.get_or_insert(1);
                if let Some(job) = spec.job_template.spec.as_mut() {
                    template(&mut job.template);
                }
            }
        }
        Object::Job(j) => {
            if let Some(spec) = j.spec.as_mut() {
                let both_unset = spec.completions.is_none() && spec.parallelism.is_none();
                if both_unset {
                    spec.completions = Some(1);
                }
                spec.parallelism.get_or_insert(1);
                spec.backoff_limit.get_or_insert(6);
                spec.completion_mode.get_or_insert_with(|| "NonIndexed".to_owned());
                spec.suspend.get_or_insert(false);
                template(&mut spec.template);
            }
        }
        _ => {}
    }
}

/// `Convert_v1_Secret_To_core_Secret` (`pkg/apis/core/v1/conversion.go`):
/// the internal Secret has no `stringData`; each of its values overwrites
/// the `data` entry of its key, so a stored Secret never shows it.
fn secret_string_data(s: &mut k8s_openapi::api::core::v1::Secret) {
    let Some(strings) = s.string_data.take() else { return };
    if strings.is_empty() {
        return;
    }
    let data = s.data.get_or_insert_with(Default::default);
    for (key, value) in strings {
        data.insert(key, k8s_openapi::ByteString(value.into_bytes()));
    }
}

/// `SetDefaults_Deployment` (apps/v1).
fn deployment(d: &mut Deployment) {
    let Some(spec) = d.spec.as_mut() else { return };
    spec.replicas.get_or_insert(1);
    let strategy = spec.strategy.get_or_insert_with(DeploymentStrategy::default);
    let type_ = strategy.type_.get_or_insert_with(|| "RollingUpdate".to_owned());
    if type_ == "RollingUpdate" {
        let ru = strategy.rolling_update.get_or_insert_with(RollingUpdateDeployment::default);
        ru.max_unavailable.get_or_insert_with(|| IntOrString::String("25%".to_owned()));
        ru.max_surge.get_or_insert_with(|| IntOrString::String("25%".to_owned()));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    template(&mut spec.template);
}

/// `SetDefaults_ReplicaSet` (apps/v1).
fn replica_set(rs: &mut ReplicaSet) {
    let Some(spec) = rs.spec.as_mut() else { return };
    spec.replicas.get_or_insert(1);
    if let Some(t) = spec.template.as_mut() {
        template(t);
    }
}

/// `SetDefaults_DaemonSet` (apps/v1).
fn daemon_set(ds: &mut DaemonSet) {
    let Some(spec) = ds.spec.as_mut() else { return };
    let strategy = spec.update_strategy.get_or_insert_with(DaemonSetUpdateStrategy::default);
    let type_ = strategy.type_.get_or_insert_with(|| "RollingUpdate".to_owned());
    if type_ == "RollingUpdate" {
        let ru = strategy.rolling_update.get_or_insert_with(RollingUpdateDaemonSet::default);
        ru.max_unavailable.get_or_insert(IntOrString::Int(1));
        ru.max_surge.get_or_insert(IntOrString::Int(0));
    }
    spec.revision_history_limit.get_or_insert(10);
    template(&mut spec.template);
}

/// `SetDefaults_Service` and port defaults.
fn service(s: &mut Service) {
    let Some(spec) = s.spec.as_mut() else { return };
    let type_ = spec.type_.get_or_insert_with(|| "ClusterIP".to_owned()).clone();
    spec.session_affinity.get_or_insert_with(|| "None".to_owned());
    for port in spec.ports.iter_mut().flatten() {
        port.protocol.get_or_insert_with(|| "TCP".to_owned());
        if port.target_port.is_none() {
            port.target_port = Some(IntOrString::Int(port.port));
        }
    }
    if type_ == "NodePort" || type_ == "LoadBalancer" {
        spec.external_traffic_policy.get_or_insert_with(|| "Cluster".to_owned());
    }
    if type_ != "ExternalName" {
        spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".to_owned());
    }
}

/// autoscaling/v2 defaults (the stored shape): minReplicas 1, the CPU
/// target at 80% when no metric is named, the unset rules of a `behavior`.
fn hpa(h: &mut HorizontalPodAutoscaler) {
    let Ok(mut value) = serde_json::to_value(&*h) else { return };
    if let Some(obj) = value.as_object_mut() {
        crate::sim::hpa_conversion::to_internal("autoscaling/v2", obj);
    }
    if let Ok(defaulted) = serde_json::from_value(value) {
        *h = defaulted;
    }
}

/// Defaults of a pod template's spec.
pub fn template(t: &mut PodTemplateSpec) {
    if let Some(spec) = t.spec.as_mut() {
        pod_spec(spec);
    }
}

/// `SetDefaults_PodSpec` plus the container defaults.
pub fn pod_spec(spec: &mut PodSpec) {
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".to_owned());
    spec.restart_policy.get_or_insert_with(|| "Always".to_owned());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.security_context.get_or_insert_with(PodSecurityContext::default);
    spec.scheduler_name.get_or_insert_with(|| "default-scheduler".to_owned());
    if spec.service_account_name.is_some() && spec.service_account.is_none() {
        spec.service_account = spec.service_account_name.clone();
    }
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        container(c);
    }
}

/// `SetDefaults_Pod`: a container's limits stand for the requests it does
/// not state (pods only, not templates: a ReplicaSet's pods get it when
/// they are created).
fn requests_from_limits(spec: &mut PodSpec) {
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        let Some(resources) = c.resources.as_mut() else { continue };
        let Some(limits) = resources.limits.as_ref() else { continue };
        let requests = resources.requests.get_or_insert_with(Default::default);
        for (k, v) in limits {
            requests.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

/// `SetDefaults_Container` and port protocol defaults.
fn container(c: &mut Container) {
    c.termination_message_path.get_or_insert_with(|| "/dev/termination-log".to_owned());
    c.termination_message_policy.get_or_insert_with(|| "File".to_owned());
    c.resources.get_or_insert_with(ResourceRequirements::default);
    if c.image_pull_policy.is_none() {
        c.image_pull_policy =
            Some(default_pull_policy(c.image.as_deref().unwrap_or_default()).to_owned());
    }
    for p in c.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".to_owned());
    }
    // `SetDefaults_ObjectFieldSelector`: a downward-API field's version.
    for e in c.env.iter_mut().flatten() {
        if let Some(f) = e.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
            f.api_version.get_or_insert_with(|| "v1".to_owned());
        }
    }
}

/// `Always` for untagged or `:latest` images, else `IfNotPresent`.
pub fn default_pull_policy(image: &str) -> &'static str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    match last.split_once(':') {
        Some((_, tag)) if tag != "latest" => "IfNotPresent",
        _ if image.contains('@') => "IfNotPresent",
        _ => "Always",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(default_pull_policy("nginx"), "Always");
        assert_eq!(default_pull_policy("nginx:latest"), "Always");
        assert_eq!(default_pull_policy("nginx:1.7.9"), "IfNotPresent");
        assert_eq!(default_pull_policy("registry:5000/nginx"), "Always");
    }

    #[test]
    fn string_data_overwrites_data_and_is_not_kept() {
        let mut secret: Object = Object::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
            "data": {"user": "eA==", "pw": "eA=="}, "stringData": {"user": "admin"}
        }))
        .unwrap();
        apply(&mut secret);
        let Object::Secret(s) = &secret else { panic!("{secret:?}") };
        assert_eq!(s.string_data, None);
        let data = s.data.as_ref().unwrap();
        assert_eq!(
            (data["user"].0.as_slice(), data["pw"].0.as_slice()),
            (&b"admin"[..], &b"x"[..])
        );
        assert_eq!(s.type_.as_deref(), Some("Opaque"));
    }
}
