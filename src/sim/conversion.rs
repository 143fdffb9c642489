//! Conversion of an object written in a deprecated group-version to the
//! form the simulator stores (the preferred version's), as the API server
//! decodes into its internal type: the old version's defaults first
//! (`pkg/apis/<group>/<version>/defaults.go`), then the field renames
//! between versions (`zz_generated.conversion.go` and the hand-written
//! `conversion.go` of each group).
//!
//! Only the conversions below are modelled; a deprecated version whose
//! conversion is missing is reported by [`unsupported`], never decoded as if
//! its fields meant the same.

use crate::version::Fact;
use serde_json::{Map, Value, json};

/// apiVersion, kind, deprecated in, removed in, replacement.
type Lifecycle = (&'static str, &'static str, u32, Option<u32>, Option<&'static str>);

/// The prerelease lifecycle of deprecated group-versions
/// (`k8s.io/api/<group>/<version>/zz_generated.prerelease-lifecycle.go`):
/// apiVersion, kind, the minor that deprecated it, the minor that removed
/// it (none for a version still served), and its replacement.
const LIFECYCLE: &[Lifecycle] = &[
    // `k8s.io/api/core/v1/lifecycle.go` (v0.33): deprecated, not removed.
    (
        "v1",
        "Endpoints",
        crate::version::facts::CHANGES[Fact::EndpointsDeprecated as usize].since,
        None,
        Some("discovery.k8s.io/v1 EndpointSlice"),
    ),
    ("extensions/v1beta1", "Ingress", 14, Some(22), Some("networking.k8s.io/v1 Ingress")),
    ("networking.k8s.io/v1beta1", "Ingress", 19, Some(22), Some("networking.k8s.io/v1 Ingress")),
    (
        "networking.k8s.io/v1beta1",
        "IngressClass",
        19,
        Some(22),
        Some("networking.k8s.io/v1 IngressClass"),
    ),
    ("batch/v1beta1", "CronJob", 21, Some(25), Some("batch/v1 CronJob")),
    ("policy/v1beta1", "PodDisruptionBudget", 21, Some(25), Some("policy/v1 PodDisruptionBudget")),
    ("policy/v1beta1", "PodSecurityPolicy", 21, Some(25), None),
    (
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        22,
        Some(25),
        Some("autoscaling/v2 HorizontalPodAutoscaler"),
    ),
    (
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        23,
        Some(26),
        Some("autoscaling/v2 HorizontalPodAutoscaler"),
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "Role",
        17,
        Some(22),
        Some("rbac.authorization.k8s.io/v1 Role"),
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "RoleBinding",
        17,
        Some(22),
        Some("rbac.authorization.k8s.io/v1 RoleBinding"),
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRole",
        17,
        Some(22),
        Some("rbac.authorization.k8s.io/v1 ClusterRole"),
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        17,
        Some(22),
        Some("rbac.authorization.k8s.io/v1 ClusterRoleBinding"),
    ),
    (
        "storage.k8s.io/v1beta1",
        "StorageClass",
        19,
        Some(22),
        Some("storage.k8s.io/v1 StorageClass"),
    ),
    (
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        24,
        Some(27),
        Some("storage.k8s.io/v1 CSIStorageCapacity"),
    ),
    (
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        14,
        Some(22),
        Some("scheduling.k8s.io/v1 PriorityClass"),
    ),
    ("coordination.k8s.io/v1beta1", "Lease", 19, Some(22), Some("coordination.k8s.io/v1 Lease")),
    (
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        19,
        Some(22),
        Some("certificates.k8s.io/v1 CertificateSigningRequest"),
    ),
    (
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        16,
        Some(22),
        Some("apiextensions.k8s.io/v1 CustomResourceDefinition"),
    ),
    (
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        21,
        Some(25),
        Some("discovery.k8s.io/v1 EndpointSlice"),
    ),
    ("node.k8s.io/v1beta1", "RuntimeClass", 22, Some(25), Some("node.k8s.io/v1 RuntimeClass")),
];

/// The warning the API server attaches to a request in a deprecated
/// version (`pkg/endpoints/deprecation`, from v1.19; kubectl prints it as
/// `Warning: …` and once per command).
pub fn deprecation_warning(api_version: &str, kind: &str, minor: u32) -> Option<String> {
    if !Fact::DeprecatedApiWarnings.holds_at(minor) {
        return None;
    }
    let (_, _, deprecated, removed, replacement) =
        LIFECYCLE.iter().find(|(a, k, ..)| *a == api_version && *k == kind)?;
    if minor < *deprecated {
        return None;
    }
    let mut text = format!("{api_version} {kind} is deprecated in v1.{deprecated}+");
    if let Some(removed) = removed {
        text.push_str(&format!(", unavailable in v1.{removed}+"));
    }
    if let Some(r) = replacement {
        text.push_str(&format!("; use {r}"));
    }
    Some(text)
}

/// Why `api_version` `kind` cannot be converted, if it cannot.
pub fn unsupported(api_version: &str, kind: &str) -> Option<String> {
    match (api_version, kind) {
        ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition") => Some(format!(
            "{kind} of {api_version} (conversion to apiextensions.k8s.io/v1 is not modelled)"
        )),
        _ => None,
    }
}

/// A stored object served in the group-version a request named
/// (`events.v1.events.k8s.io`, `horizontalpodautoscalers.v1.autoscaling`),
/// or `None` when its stored form is what that version serves.
pub fn served_in(
    object: &crate::sim::Object,
    api_version: &str,
    version: crate::version::KubeVersion,
) -> Option<Value> {
    match object.kind() {
        crate::sim::Kind::HorizontalPodAutoscaler if api_version.starts_with("autoscaling/") => {
            Some(served_as(&object.to_value(), api_version, version))
        }
        crate::sim::Kind::Event if api_version.starts_with("events.k8s.io/") => {
            Some(crate::sim::event_conversion::from_core(&object.to_value(), api_version))
        }
        _ => None,
    }
}

/// `object` as the API server serves it to a client asking for its group's
/// preferred version at `version` (what kubectl's `get -o yaml`, `-o json`
/// and templates print). Only HorizontalPodAutoscaler is stored in another
/// shape than it may be served in (internal v2; served as autoscaling/v1
/// until v1.22, v2 after — `served.tsv`).
pub fn served(object: &crate::sim::Object, version: crate::version::KubeVersion) -> Value {
    let mut value = object.to_value();
    if object.kind() == crate::sim::Kind::EndpointSlice {
        nil_endpoints(&mut value);
    }
    if object.kind() != crate::sim::Kind::HorizontalPodAutoscaler {
        return value;
    }
    let discovery = crate::sim::api::discovery::Discovery::for_minor(version.minor());
    let preferred = discovery.preferred_version("autoscaling").unwrap_or("v2");
    served_as(&value, &format!("autoscaling/{preferred}"), version)
}

/// An EndpointSlice without endpoints as the API server encodes it:
/// `EndpointSlice.Endpoints` (`k8s.io/api/discovery/v1/types.go`) has no
/// `omitempty`, and the empty list comes back from storage (protobuf) as a
/// nil slice, so it is served as `"endpoints": null` (the real v1.35.4
/// apiserver's answer for a Service that selects no pod).
fn nil_endpoints(value: &mut Value) {
    if let Some(endpoints) = value.get_mut("endpoints")
        && endpoints.as_array().is_some_and(Vec::is_empty)
    {
        *endpoints = Value::Null;
    }
}

/// A stored HPA's `value` served in `api_version` at `version`.
pub fn served_as(value: &Value, api_version: &str, version: crate::version::KubeVersion) -> Value {
    let era = crate::sim::hpa_conversion::Era {
        tolerance_field: version.has(Fact::HpaBehaviorTolerance),
    };
    crate::sim::hpa_conversion::served(value, api_version, era)
}

/// `value` (a manifest naming its own `apiVersion` and `kind`) in the
/// stored form of `stored`: converted, and relabelled with the stored
/// kind's `apiVersion`.
pub fn storage_form(stored: crate::sim::Kind, mut value: Value) -> Value {
    let text = |k: &str| value.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let (api_version, kind_name) = (text("apiVersion"), text("kind"));
    let info = stored.info();
    to_storage(&api_version, &kind_name, info.version, &mut value);
    if let Some(map) = value.as_object_mut() {
        map.insert("apiVersion".into(), info.api_version().into());
    }
    value
}

/// Converts `value`, written as `api_version` `kind`, to the stored form
/// whose version is `target_version` (`v1`, …).
pub fn to_storage(api_version: &str, kind: &str, target_version: &str, value: &mut Value) {
    let Some(obj) = value.as_object_mut() else { return };
    match (api_version, kind) {
        ("extensions/v1beta1" | "apps/v1beta1" | "apps/v1beta2", "Deployment") => {
            legacy_deployment(api_version, obj);
        }
        ("extensions/v1beta1" | "apps/v1beta2", "DaemonSet") => legacy_daemon_set(api_version, obj),
        ("extensions/v1beta1" | "apps/v1beta2", "ReplicaSet") => {
            if api_version == "extensions/v1beta1" {
                labels_and_selector_from_template(obj);
            }
            spec(obj).entry("replicas").or_insert(json!(1));
        }
        (
            "autoscaling/v1" | "autoscaling/v2beta1" | "autoscaling/v2beta2" | "autoscaling/v2",
            "HorizontalPodAutoscaler",
        ) => crate::sim::hpa_conversion::to_internal(api_version, obj),
        ("events.k8s.io/v1" | "events.k8s.io/v1beta1", "Event") => {
            crate::sim::event_conversion::to_core(obj);
        }
        ("extensions/v1beta1" | "networking.k8s.io/v1beta1", "Ingress")
            if target_version == "v1" =>
        {
            ingress_to_v1(obj);
        }
        _ => {}
    }
}

fn spec(obj: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let spec = obj.entry("spec").or_insert_with(|| json!({}));
    if !spec.is_object() {
        *spec = json!({});
    }
    spec.as_object_mut().expect("spec was just made an object")
}

/// extensions/v1beta1 and apps/v1beta1 default a workload's labels and
/// selector from its pod template's labels (`SetDefaults_Deployment`,
/// `SetDefaults_DaemonSet`, `SetDefaults_ReplicaSet`); apps/v1 requires
/// the selector instead.
fn labels_and_selector_from_template(obj: &mut Map<String, Value>) {
    let template_labels =
        obj.get("spec").and_then(|s| s.pointer("/template/metadata/labels")).cloned();
    let Some(labels) = template_labels.filter(|l| l.as_object().is_some_and(|m| !m.is_empty()))
    else {
        return;
    };
    let spec = spec(obj);
    if spec.get("selector").is_none_or(Value::is_null) {
        spec.insert("selector".into(), json!({"matchLabels": labels.clone()}));
    }
    let meta = obj.entry("metadata").or_insert_with(|| json!({}));
    if let Some(meta) = meta.as_object_mut()
        && meta.get("labels").is_none_or(|l| l.as_object().is_none_or(Map::is_empty))
    {
        meta.insert("labels".into(), labels);
    }
}

/// The Deployment defaults of the beta versions: extensions/v1beta1 keeps
/// every old ReplicaSet and never times out (`math.MaxInt32` for both) and
/// surges by one pod; apps/v1beta1 keeps two; apps/v1beta2 matches apps/v1.
fn legacy_deployment(api_version: &str, obj: &mut Map<String, Value>) {
    if matches!(api_version, "extensions/v1beta1" | "apps/v1beta1") {
        labels_and_selector_from_template(obj);
    }
    let (history, deadline, surge) = match api_version {
        "extensions/v1beta1" => (i64::from(i32::MAX), i64::from(i32::MAX), json!(1)),
        "apps/v1beta1" => (2, 600, json!("25%")),
        _ => (10, 600, json!("25%")),
    };
    let spec = spec(obj);
    spec.entry("replicas").or_insert(json!(1));
    spec.entry("revisionHistoryLimit").or_insert(json!(history));
    spec.entry("progressDeadlineSeconds").or_insert(json!(deadline));
    let strategy = spec.entry("strategy").or_insert_with(|| json!({}));
    if let Some(strategy) = strategy.as_object_mut() {
        let kind = strategy.entry("type").or_insert(json!("RollingUpdate")).clone();
        if kind == "RollingUpdate" {
            let rolling = strategy.entry("rollingUpdate").or_insert_with(|| json!({}));
            if let Some(rolling) = rolling.as_object_mut() {
                rolling.entry("maxUnavailable").or_insert(surge.clone());
                rolling.entry("maxSurge").or_insert(surge);
            }
        }
    }
    // `spec.rollbackTo` asks the beta controller for a rollback; it has no
    // apps/v1 counterpart and is dropped by conversion.
    spec.remove("rollbackTo");
}

/// extensions/v1beta1 DaemonSets update `OnDelete` by default; apps/v1beta2
/// rolls like apps/v1.
fn legacy_daemon_set(api_version: &str, obj: &mut Map<String, Value>) {
    if api_version == "extensions/v1beta1" {
        labels_and_selector_from_template(obj);
    }
    let spec = spec(obj);
    spec.remove("templateGeneration");
    spec.entry("revisionHistoryLimit").or_insert(json!(10));
    let default_strategy = if api_version == "extensions/v1beta1" {
        json!({"type": "OnDelete"})
    } else {
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}})
    };
    spec.entry("updateStrategy").or_insert(default_strategy);
}

/// Ingress v1beta1 → networking.k8s.io/v1: `backend` becomes
/// `defaultBackend`, and each backend's `serviceName`/`servicePort`
/// becomes `service: {name, port: {number | name}}`.
fn ingress_to_v1(obj: &mut Map<String, Value>) {
    let spec = spec(obj);
    if let Some(backend) = spec.remove("backend") {
        spec.insert("defaultBackend".into(), backend_to_v1(backend));
    }
    if let Some(rules) = spec.get_mut("rules").and_then(Value::as_array_mut) {
        for path in rules
            .iter_mut()
            .filter_map(|r| r.pointer_mut("/http/paths").and_then(Value::as_array_mut))
            .flatten()
        {
            if let Some(b) = path.get_mut("backend") {
                *b = backend_to_v1(b.take());
            }
        }
    }
}

fn backend_to_v1(backend: Value) -> Value {
    let Value::Object(mut b) = backend else { return backend };
    let name = b.remove("serviceName");
    let port = b.remove("servicePort");
    if let Some(name) = name {
        let port = match port {
            Some(Value::String(p)) => match p.parse::<i64>() {
                Ok(n) => json!({"number": n}),
                Err(_) => json!({"name": p}),
            },
            Some(Value::Number(n)) => json!({"number": n}),
            _ => json!({}),
        };
        b.insert("service".into(), json!({"name": name, "port": port}));
    }
    Value::Object(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_deployments_keep_their_beta_defaults() {
        let mut v = json!({"spec": {"template": {"metadata": {"labels": {"app": "web"}}}}});
        to_storage("extensions/v1beta1", "Deployment", "v1", &mut v);
        assert_eq!(v["spec"]["selector"], json!({"matchLabels": {"app": "web"}}));
        assert_eq!(v["metadata"]["labels"], json!({"app": "web"}));
        assert_eq!(v["spec"]["revisionHistoryLimit"], json!(2147483647));
        assert_eq!(v["spec"]["strategy"]["rollingUpdate"]["maxSurge"], json!(1));
        let mut v = json!({"spec": {}});
        to_storage("apps/v1beta1", "Deployment", "v1", &mut v);
        assert_eq!(v["spec"]["revisionHistoryLimit"], json!(2));
    }

    #[test]
    fn ingress_backends_become_service_references() {
        let mut v = json!({"spec": {"backend": {"serviceName": "web", "servicePort": 80},
            "rules": [{"http": {"paths": [{"path": "/", "backend": {"serviceName": "api", "servicePort": "http"}}]}}]}});
        to_storage("networking.k8s.io/v1beta1", "Ingress", "v1", &mut v);
        assert_eq!(
            v["spec"]["defaultBackend"],
            json!({"service": {"name": "web", "port": {"number": 80}}})
        );
        assert_eq!(
            v["spec"]["rules"][0]["http"]["paths"][0]["backend"],
            json!({"service": {"name": "api", "port": {"name": "http"}}})
        );
        assert!(unsupported("autoscaling/v2", "HorizontalPodAutoscaler").is_none());
    }

    #[test]
    fn deprecation_warnings_from_v1_19() {
        assert_eq!(
            deprecation_warning("policy/v1beta1", "PodDisruptionBudget", 22).as_deref(),
            Some(
                "policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudget"
            )
        );
        assert_eq!(deprecation_warning("policy/v1beta1", "PodDisruptionBudget", 20), None);
        assert_eq!(deprecation_warning("batch/v1", "CronJob", 22), None);
    }
}
