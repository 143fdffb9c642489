//! HorizontalPodAutoscaler between its API versions, as the API server
//! converts it (`pkg/apis/autoscaling/{v1,v2beta1,v2beta2,v2}/conversion.go`
//! and `defaults.go`). The internal type is the autoscaling/v2 shape
//! (`pkg/apis/autoscaling/types.go`), so the simulator stores HPAs as v2
//! JSON and converts on the way in ([`to_internal`]) and out ([`served`]).
//!
//! autoscaling/v1 has room for one CPU utilisation target; everything else
//! rides in annotations (`pkg/apis/autoscaling/annotations.go`): the other
//! metrics (in the v2beta1-shaped `autoscalingv1.MetricSpec`), the current
//! metrics, the conditions and the behaviour. v2beta1 names its targets
//! `targetAverageUtilization`/`targetAverageValue` and keeps `behavior` in
//! the annotation too; v2beta2 is v2's shape.

use serde_json::{Map, Value, json};

/// `autoscaling.MetricSpecsAnnotation`.
pub const METRICS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/metrics";
/// `autoscaling.MetricStatusesAnnotation`.
pub const CURRENT_METRICS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/current-metrics";
/// `autoscaling.HorizontalPodAutoscalerConditionsAnnotation`.
pub const CONDITIONS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/conditions";
/// `autoscaling.BehaviorSpecsAnnotation`.
pub const BEHAVIOR_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/behavior";

/// `autoscaling.DefaultCPUUtilization`.
pub const DEFAULT_CPU_UTILIZATION: i64 = 80;

/// What [`served`] needs to know of the cluster's release.
#[derive(Debug, Clone, Copy, Default)]
pub struct Era {
    /// The internal `HPAScalingRules` has `Tolerance` (v1.33+), so the
    /// behaviour annotation's Go encoding carries `"Tolerance":null`.
    pub tolerance_field: bool,
}

/// `value`, an HPA written in `api_version`, in the internal (v2) shape with
/// that version's defaults (`SetDefaults_HorizontalPodAutoscaler`).
pub fn to_internal(api_version: &str, obj: &mut Map<String, Value>) {
    match api_version {
        "autoscaling/v1" => v1_to_internal(obj),
        "autoscaling/v2beta1" => v2beta1_to_internal(obj),
        _ => {}
    }
    defaults(obj);
}

/// The v2 (and v2beta2) defaults: one replica at least, the CPU target
/// at 80% when no metric is named, and the unset scaling rules of a
/// given `behavior` from `defaultHPAScaleUpRules`/`defaultHPAScaleDownRules`.
fn defaults(obj: &mut Map<String, Value>) {
    let spec = object(obj, "spec");
    spec.entry("minReplicas").or_insert(json!(1));
    if spec.get("metrics").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        spec.insert(
            "metrics".into(),
            json!([{"type": "Resource", "resource": {"name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": DEFAULT_CPU_UTILIZATION}}}]),
        );
    }
    let Some(behavior) = spec.get_mut("behavior").and_then(Value::as_object_mut) else { return };
    let up = json!({"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15}]});
    let down = json!({"selectPolicy": "Max", "policies": [
        {"type": "Percent", "value": 100, "periodSeconds": 15}]});
    for (key, default) in [("scaleUp", up), ("scaleDown", down)] {
        let mut rules = default;
        if let (Some(given), Some(r)) =
            (behavior.get(key).and_then(Value::as_object), rules.as_object_mut())
        {
            // `copyHPAScalingRules`: each field given replaces the default.
            for (k, v) in given.iter().filter(|(_, v)| !v.is_null()) {
                r.insert(k.clone(), v.clone());
            }
        }
        behavior.insert(key.into(), rules);
    }
}

/// The internal form `value` (v2 JSON, labelled with any apiVersion) as
/// the API server serves it in `api_version`.
pub fn served(value: &Value, api_version: &str, era: Era) -> Value {
    let mut value = value.clone();
    let Some(obj) = value.as_object_mut() else { return value };
    match api_version {
        "autoscaling/v1" => internal_to_v1(obj, era),
        "autoscaling/v2beta1" => internal_to_v2beta1(obj, era),
        _ => {
            // `HorizontalPodAutoscalerStatus.CurrentMetrics` has no
            // `omitempty` in v2beta2 and v2: a fresh HPA shows
            // `currentMetrics: null` (recorded on kube-apiserver v1.33.13).
            // The status is a struct (never omitted), `desiredReplicas` a
            // plain int32.
            let status = object(obj, "status");
            status.entry("currentMetrics").or_insert(Value::Null);
            status.entry("desiredReplicas").or_insert(json!(0));
        }
    }
    obj.insert("apiVersion".into(), api_version.into());
    value
}

fn object<'a>(obj: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let v = obj.entry(key).or_insert_with(|| json!({}));
    if !v.is_object() {
        *v = json!({});
    }
    v.as_object_mut().expect("just made an object")
}

fn annotations(obj: &mut Map<String, Value>) -> &mut Map<String, Value> {
    object(object(obj, "metadata"), "annotations")
}

/// Removes the round-trip annotations, returning the metadata's
/// annotations (`DropRoundTripHorizontalPodAutoscalerAnnotations`).
fn take_annotation(obj: &mut Map<String, Value>, key: &str) -> Option<Value> {
    let meta = obj.get_mut("metadata")?.as_object_mut()?;
    let annotations = meta.get_mut("annotations")?.as_object_mut()?;
    let text = annotations.remove(key)?;
    if annotations.is_empty() {
        meta.remove("annotations");
    }
    serde_json::from_str(text.as_str()?).ok()
}

fn set_annotation(obj: &mut Map<String, Value>, key: &str, value: String) {
    annotations(obj).insert(key.into(), Value::String(value));
}

fn v1_to_internal(obj: &mut Map<String, Value>) {
    // `SetDefaults_HorizontalPodAutoscaler` of v1: minReplicas only.
    let spec = object(obj, "spec");
    spec.entry("minReplicas").or_insert(json!(1));
    let cpu = spec.remove("targetCPUUtilizationPercentage").filter(|v| !v.is_null());
    let mut metrics: Vec<Value> = Vec::new();
    if let Some(Value::Array(other)) = take_annotation(obj, METRICS_ANNOTATION) {
        metrics.extend(other.iter().map(beta1_metric_to_internal));
    }
    // The CPU target goes after the annotation's metrics.
    if let Some(cpu) = cpu {
        metrics.push(json!({"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": cpu}}}));
    }
    if metrics.is_empty() {
        metrics.push(json!({"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": DEFAULT_CPU_UTILIZATION}}}));
    }
    object(obj, "spec").insert("metrics".into(), Value::Array(metrics));
    if let Some(behavior) = take_annotation(obj, BEHAVIOR_ANNOTATION).and_then(behavior_from_go) {
        object(obj, "spec").insert("behavior".into(), behavior);
    }
    let current = take_annotation(obj, CURRENT_METRICS_ANNOTATION);
    let conditions = take_annotation(obj, CONDITIONS_ANNOTATION);
    let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) else { return };
    let cpu_now = status.remove("currentCPUUtilizationPercentage").filter(|v| !v.is_null());
    if let Some(Value::Array(current)) = current {
        status.insert(
            "currentMetrics".into(),
            Value::Array(current.iter().map(beta1_status_to_internal).collect()),
        );
    } else if let Some(cpu) = cpu_now {
        status.insert(
            "currentMetrics".into(),
            json!([{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": cpu}}}]),
        );
    }
    if let Some(conditions) = conditions {
        status.insert("conditions".into(), conditions);
    }
}

fn v2beta1_to_internal(obj: &mut Map<String, Value>) {
    let spec = object(obj, "spec");
    if let Some(Value::Array(metrics)) = spec.get_mut("metrics") {
        for m in metrics.iter_mut() {
            *m = beta1_metric_to_internal(m);
        }
    }
    if let Some(behavior) = take_annotation(obj, BEHAVIOR_ANNOTATION).and_then(behavior_from_go) {
        object(obj, "spec").insert("behavior".into(), behavior);
    }
    if let Some(Value::Array(current)) =
        obj.get_mut("status").and_then(|s| s.get_mut("currentMetrics"))
    {
        for m in current.iter_mut() {
            *m = beta1_status_to_internal(m);
        }
    }
}

fn internal_to_v1(obj: &mut Map<String, Value>, era: Era) {
    let spec = obj.get("spec").cloned().unwrap_or_else(|| json!({}));
    let status = obj.get("status").cloned();
    let metrics = spec["metrics"].as_array().cloned().unwrap_or_default();
    let is_cpu_utilization = |m: &Value| {
        m["type"] == "Resource"
            && m["resource"]["name"] == "cpu"
            && !m["resource"]["target"]["averageUtilization"].is_null()
    };
    let cpu = metrics.iter().find(|m| is_cpu_utilization(m));
    let mut v1_spec = Map::new();
    v1_spec.insert("maxReplicas".into(), spec["maxReplicas"].clone());
    if !spec["minReplicas"].is_null() {
        v1_spec.insert("minReplicas".into(), spec["minReplicas"].clone());
    }
    v1_spec.insert("scaleTargetRef".into(), spec["scaleTargetRef"].clone());
    if let Some(cpu) = cpu {
        v1_spec.insert(
            "targetCPUUtilizationPercentage".into(),
            cpu["resource"]["target"]["averageUtilization"].clone(),
        );
    }
    obj.insert("spec".into(), Value::Object(v1_spec));
    let other: Vec<Value> =
        metrics.iter().filter(|m| !is_cpu_utilization(m)).map(internal_metric_to_beta1).collect();
    if !other.is_empty() {
        set_annotation(obj, METRICS_ANNOTATION, go_json(&Value::Array(other)));
    }
    let status = status.unwrap_or_else(|| json!({}));
    let current = status["currentMetrics"].as_array().cloned().unwrap_or_default();
    if !current.is_empty() {
        let encoded: Vec<Value> = current.iter().map(internal_status_to_beta1).collect();
        set_annotation(obj, CURRENT_METRICS_ANNOTATION, go_json(&Value::Array(encoded)));
    }
    if let Some(behavior) = spec.get("behavior").filter(|b| !b.is_null()) {
        set_annotation(obj, BEHAVIOR_ANNOTATION, behavior_to_go(behavior, era));
    }
    if let Some(conditions) = status["conditions"].as_array().filter(|c| !c.is_empty()) {
        let encoded: Vec<Value> = conditions
            .iter()
            .map(|c| ordered(c, &["type", "status", "lastTransitionTime", "reason", "message"]))
            .collect();
        set_annotation(obj, CONDITIONS_ANNOTATION, go_json(&Value::Array(encoded)));
    }
    // `autoscalingv1.HorizontalPodAutoscalerStatus`: `currentReplicas` and
    // `desiredReplicas` have no `omitempty`.
    let mut v1_status = Map::new();
    for key in ["observedGeneration", "lastScaleTime"] {
        if !status[key].is_null() {
            v1_status.insert(key.into(), status[key].clone());
        }
    }
    v1_status
        .insert("currentReplicas".into(), status["currentReplicas"].as_i64().unwrap_or(0).into());
    v1_status
        .insert("desiredReplicas".into(), status["desiredReplicas"].as_i64().unwrap_or(0).into());
    if let Some(u) = current.iter().find_map(|m| {
        (m["type"] == "Resource" && m["resource"]["name"] == "cpu")
            .then(|| m["resource"]["current"]["averageUtilization"].clone())
            .filter(|u| !u.is_null())
    }) {
        v1_status.insert("currentCPUUtilizationPercentage".into(), u);
    }
    obj.insert("status".into(), Value::Object(v1_status));
}

fn internal_to_v2beta1(obj: &mut Map<String, Value>, era: Era) {
    let behavior = obj.get_mut("spec").and_then(|s| s.as_object_mut()?.remove("behavior"));
    if let Some(Value::Array(metrics)) = obj.get_mut("spec").and_then(|s| s.get_mut("metrics")) {
        for m in metrics.iter_mut() {
            *m = internal_metric_to_beta1(m);
        }
    }
    if let Some(Value::Array(current)) =
        obj.get_mut("status").and_then(|s| s.get_mut("currentMetrics"))
    {
        for m in current.iter_mut() {
            *m = internal_status_to_beta1(m);
        }
    }
    if let Some(b) = behavior.filter(|b| !b.is_null()) {
        set_annotation(obj, BEHAVIOR_ANNOTATION, behavior_to_go(&b, era));
    }
}

/// A v2beta1-shaped `MetricSpec` (also autoscaling/v1's annotation form) in
/// the internal shape (`Convert_v2beta1_*MetricSource_To_autoscaling_*`).
fn beta1_metric_to_internal(m: &Value) -> Value {
    let kind = m["type"].as_str().unwrap_or_default();
    let mut out = json!({"type": kind});
    let source = |key: &str| m.get(key).filter(|v| !v.is_null());
    match kind {
        "Resource" | "ContainerResource" => {
            let key = if kind == "Resource" { "resource" } else { "containerResource" };
            if let Some(r) = source(key) {
                let mut o = json!({"name": r["name"], "target": resource_target(r)});
                if kind == "ContainerResource" {
                    o["container"] = r["container"].clone();
                }
                out[key] = o;
            }
        }
        "Pods" => {
            if let Some(p) = source("pods") {
                out["pods"] = json!({"metric": identifier(&p["metricName"], &p["selector"]),
                    "target": {"type": "AverageValue", "averageValue": p["targetAverageValue"]}});
            }
        }
        "Object" => {
            if let Some(o) = source("object") {
                let mut target = json!({"value": o["targetValue"]});
                if o["averageValue"].is_null() {
                    target["type"] = "Value".into();
                } else {
                    target["type"] = "AverageValue".into();
                    target["averageValue"] = o["averageValue"].clone();
                }
                out["object"] = json!({"describedObject": o["target"],
                    "metric": identifier(&o["metricName"], &o["selector"]), "target": target});
            }
        }
        "External" => {
            if let Some(e) = source("external") {
                let mut target = Map::new();
                let is_value = !e["targetValue"].is_null();
                target
                    .insert("type".into(), if is_value { "Value" } else { "AverageValue" }.into());
                if is_value {
                    target.insert("value".into(), e["targetValue"].clone());
                }
                if !e["targetAverageValue"].is_null() {
                    target.insert("averageValue".into(), e["targetAverageValue"].clone());
                }
                out["external"] = json!({"metric": identifier(&e["metricName"], &e["metricSelector"]),
                    "target": target});
            }
        }
        _ => {}
    }
    out
}

fn resource_target(r: &Value) -> Value {
    let mut t = Map::new();
    if r["targetAverageUtilization"].is_null() {
        t.insert("type".into(), "AverageValue".into());
    } else {
        t.insert("type".into(), "Utilization".into());
        t.insert("averageUtilization".into(), r["targetAverageUtilization"].clone());
    }
    if !r["targetAverageValue"].is_null() {
        t.insert("averageValue".into(), r["targetAverageValue"].clone());
    }
    Value::Object(t)
}

fn identifier(name: &Value, selector: &Value) -> Value {
    let mut id = json!({"name": name});
    if !selector.is_null() {
        id["selector"] = selector.clone();
    }
    id
}

/// The internal `MetricSpec` in the v2beta1 shape, Go field order
/// (`Convert_autoscaling_*MetricSource_To_v2beta1_*`).
fn internal_metric_to_beta1(m: &Value) -> Value {
    let kind = m["type"].as_str().unwrap_or_default();
    let mut out = Map::new();
    out.insert("type".into(), kind.into());
    let put = |o: &mut Map<String, Value>, k: &str, v: &Value| {
        if !v.is_null() {
            o.insert(k.into(), v.clone());
        }
    };
    match kind {
        "Resource" | "ContainerResource" => {
            let key = if kind == "Resource" { "resource" } else { "containerResource" };
            let r = &m[key];
            let mut o = Map::new();
            put(&mut o, "name", &r["name"]);
            put(&mut o, "targetAverageUtilization", &r["target"]["averageUtilization"]);
            put(&mut o, "targetAverageValue", &r["target"]["averageValue"]);
            put(&mut o, "container", &r["container"]);
            out.insert(key.into(), Value::Object(o));
        }
        "Pods" => {
            let p = &m["pods"];
            let mut o = Map::new();
            put(&mut o, "metricName", &p["metric"]["name"]);
            put(&mut o, "targetAverageValue", &p["target"]["averageValue"]);
            put(&mut o, "selector", &p["metric"]["selector"]);
            out.insert("pods".into(), Value::Object(o));
        }
        "Object" => {
            let s = &m["object"];
            let mut o = Map::new();
            put(&mut o, "target", &s["describedObject"]);
            put(&mut o, "metricName", &s["metric"]["name"]);
            o.insert(
                "targetValue".into(),
                s["target"].get("value").filter(|v| !v.is_null()).cloned().unwrap_or(json!("0")),
            );
            put(&mut o, "selector", &s["metric"]["selector"]);
            put(&mut o, "averageValue", &s["target"]["averageValue"]);
            out.insert("object".into(), Value::Object(o));
        }
        "External" => {
            let s = &m["external"];
            let mut o = Map::new();
            put(&mut o, "metricName", &s["metric"]["name"]);
            put(&mut o, "metricSelector", &s["metric"]["selector"]);
            put(&mut o, "targetValue", &s["target"]["value"]);
            put(&mut o, "targetAverageValue", &s["target"]["averageValue"]);
            out.insert("external".into(), Value::Object(o));
        }
        _ => {}
    }
    Value::Object(out)
}

/// A v2beta1-shaped `MetricStatus` in the internal shape (resource
/// statuses; `Convert_v2beta1_ResourceMetricStatus_To_autoscaling_…`).
fn beta1_status_to_internal(m: &Value) -> Value {
    let kind = m["type"].as_str().unwrap_or_default();
    match kind {
        "Resource" | "ContainerResource" => {
            let key = if kind == "Resource" { "resource" } else { "containerResource" };
            let r = &m[key];
            let mut current = Map::new();
            if !r["currentAverageValue"].is_null() {
                current.insert("averageValue".into(), r["currentAverageValue"].clone());
            }
            if !r["currentAverageUtilization"].is_null() {
                current.insert("averageUtilization".into(), r["currentAverageUtilization"].clone());
            }
            let mut o = json!({"name": r["name"], "current": current});
            if kind == "ContainerResource" {
                o["container"] = r["container"].clone();
            }
            json!({"type": kind, key: o})
        }
        _ => m.clone(),
    }
}

/// The internal `MetricStatus` in the v2beta1 shape (Go field order:
/// `name`, `currentAverageUtilization`, `currentAverageValue`).
fn internal_status_to_beta1(m: &Value) -> Value {
    let kind = m["type"].as_str().unwrap_or_default();
    match kind {
        "Resource" | "ContainerResource" => {
            let key = if kind == "Resource" { "resource" } else { "containerResource" };
            let r = &m[key];
            let mut o = Map::new();
            o.insert("name".into(), r["name"].clone());
            if !r["current"]["averageUtilization"].is_null() {
                o.insert(
                    "currentAverageUtilization".into(),
                    r["current"]["averageUtilization"].clone(),
                );
            }
            o.insert(
                "currentAverageValue".into(),
                r["current"].get("averageValue").cloned().unwrap_or(json!("0")),
            );
            if kind == "ContainerResource" {
                o.insert("container".into(), r["container"].clone());
            }
            json!({"type": kind, key: o})
        }
        _ => m.clone(),
    }
}

/// `v` with its keys in `order` first (Go struct field order).
fn ordered(v: &Value, order: &[&str]) -> Value {
    let Some(m) = v.as_object() else { return v.clone() };
    let mut out = Map::new();
    for k in order {
        if let Some(x) = m.get(*k) {
            out.insert((*k).into(), x.clone());
        }
    }
    for (k, x) in m {
        out.entry(k.clone()).or_insert_with(|| x.clone());
    }
    Value::Object(out)
}

/// The Go struct field order of every type the annotations encode, merged
/// into one sequence that keeps each struct's own order: `MetricSpec`
/// (type, object, pods, resource, containerResource, external), the
/// v1 metric sources and statuses, `CrossVersionObjectReference`,
/// `HorizontalPodAutoscalerCondition`, `LabelSelector`, and the internal
/// behaviour types (Go names).
const GO_FIELD_ORDER: &[&str] = &[
    "type",
    "status",
    "lastTransitionTime",
    "reason",
    "message",
    "object",
    "pods",
    "resource",
    "containerResource",
    "external",
    "kind",
    "target",
    "metricName",
    "name",
    "metricSelector",
    "targetAverageUtilization",
    "currentAverageUtilization",
    "targetValue",
    "targetAverageValue",
    "currentValue",
    "currentAverageValue",
    "container",
    "selector",
    "averageValue",
    "apiVersion",
    "matchLabels",
    "matchExpressions",
    "ScaleUp",
    "ScaleDown",
    "StabilizationWindowSeconds",
    "SelectPolicy",
    "Policies",
    "Tolerance",
    "Type",
    "Value",
    "PeriodSeconds",
];

/// JSON as Go's `json.Marshal` writes these structs: compact, fields in
/// declaration order ([`GO_FIELD_ORDER`]; a map's keys sorted).
fn go_json(v: &Value) -> String {
    match v {
        Value::Array(items) => {
            format!("[{}]", items.iter().map(go_json).collect::<Vec<_>>().join(","))
        }
        Value::Object(m) => {
            let rank = |k: &str| GO_FIELD_ORDER.iter().position(|f| *f == k).unwrap_or(usize::MAX);
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by_key(|k| (rank(k), (*k).clone()));
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), go_json(&m[k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        other => other.to_string(),
    }
}

/// The internal `HorizontalPodAutoscalerBehavior` has no JSON tags, so the
/// annotation holds Go field names: `{"ScaleUp":{"StabilizationWindowSeconds":0,
/// "SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}]}}`
/// (recorded from kube-apiserver v1.33.13, which adds `"Tolerance":null`).
fn behavior_to_go(b: &Value, era: Era) -> String {
    let rules = |r: &Value| -> Value {
        if r.is_null() {
            return Value::Null;
        }
        let mut o = Map::new();
        o.insert("StabilizationWindowSeconds".into(), r["stabilizationWindowSeconds"].clone());
        o.insert("SelectPolicy".into(), r["selectPolicy"].clone());
        let policies: Vec<Value> = r["policies"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| json!({"Type": p["type"], "Value": p["value"], "PeriodSeconds": p["periodSeconds"]}))
            .collect();
        o.insert(
            "Policies".into(),
            if policies.is_empty() { Value::Null } else { policies.into() },
        );
        if era.tolerance_field {
            o.insert("Tolerance".into(), r.get("tolerance").cloned().unwrap_or(Value::Null));
        }
        Value::Object(o)
    };
    let mut o = Map::new();
    o.insert("ScaleUp".into(), rules(&b["scaleUp"]));
    o.insert("ScaleDown".into(), rules(&b["scaleDown"]));
    go_json(&Value::Object(o))
}

/// The behaviour annotation (Go field names; `encoding/json` matches them
/// case-insensitively, so a hand-written camelCase one reads too) as v2.
fn behavior_from_go(v: Value) -> Option<Value> {
    fn field<'a>(m: &'a Value, name: &str) -> Option<&'a Value> {
        m.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
    }
    let rules = |r: Option<&Value>| -> Option<Value> {
        let r = r.filter(|r| r.is_object())?;
        let mut o = Map::new();
        for (go, json_name) in [
            ("StabilizationWindowSeconds", "stabilizationWindowSeconds"),
            ("SelectPolicy", "selectPolicy"),
            ("Tolerance", "tolerance"),
        ] {
            if let Some(x) = field(r, go).filter(|x| !x.is_null()) {
                o.insert(json_name.into(), x.clone());
            }
        }
        if let Some(Value::Array(ps)) = field(r, "Policies") {
            let ps: Vec<Value> = ps
                .iter()
                .map(|p| {
                    json!({"type": field(p, "Type"), "value": field(p, "Value"),
                        "periodSeconds": field(p, "PeriodSeconds")})
                })
                .collect();
            o.insert("policies".into(), ps.into());
        }
        Some(Value::Object(o))
    };
    let mut b = Map::new();
    if let Some(up) = rules(field(&v, "ScaleUp")) {
        b.insert("scaleUp".into(), up);
    }
    if let Some(down) = rules(field(&v, "ScaleDown")) {
        b.insert("scaleDown".into(), down);
    }
    (!b.is_empty()).then_some(Value::Object(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web_v2() -> Value {
        json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
                "minReplicas": 2, "maxReplicas": 8,
                "metrics": [
                    {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}},
                    {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}}],
                "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60,
                    "policies": [{"type": "Pods", "value": 1, "periodSeconds": 30}]}}}})
    }

    /// What kube-apiserver v1.33.13 stored and served for `web_v2` (see
    /// scenarios/regression/hpa-v2-and-v1-views-v1.28.md for v1.28.15).
    #[test]
    fn v2_behavior_defaults_and_the_v1_view_match_a_real_apiserver() {
        let mut v = web_v2();
        to_internal("autoscaling/v2", v.as_object_mut().unwrap());
        assert_eq!(
            v["spec"]["behavior"],
            json!({"scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max",
                "policies": [{"type": "Pods", "value": 1, "periodSeconds": 30}]},
              "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
                {"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15}]}})
        );
        let v1 = served(&v, "autoscaling/v1", Era { tolerance_field: true });
        assert_eq!(v1["spec"]["targetCPUUtilizationPercentage"], json!(60));
        assert_eq!(
            v1["metadata"]["annotations"][METRICS_ANNOTATION],
            json!(
                r#"[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]"#
            )
        );
        assert_eq!(
            v1["metadata"]["annotations"][BEHAVIOR_ANNOTATION],
            json!(
                r#"{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":1,"PeriodSeconds":30}],"Tolerance":null}}"#
            )
        );
        assert_eq!(v1["status"], json!({"currentReplicas": 0, "desiredReplicas": 0}));
        // And back: the v1 view decodes to the same internal object.
        let mut back = v1.clone();
        to_internal("autoscaling/v1", back.as_object_mut().unwrap());
        assert_eq!(back["spec"]["behavior"], v["spec"]["behavior"]);
        let names: Vec<&Value> = back["spec"]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["resource"]["name"])
            .collect();
        // The annotation's metrics come first, the CPU target last.
        assert_eq!(names, [&json!("memory"), &json!("cpu")]);
    }

    #[test]
    fn v1_without_target_defaults_to_80_percent_cpu() {
        let mut v = json!({"spec": {"maxReplicas": 5}});
        to_internal("autoscaling/v1", v.as_object_mut().unwrap());
        assert_eq!(v["spec"]["minReplicas"], json!(1));
        assert_eq!(v["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], json!(80));
        assert!(v["spec"].get("behavior").is_none());
    }

    #[test]
    fn v2beta1_targets_become_metric_targets_and_back() {
        let beta1 =
            json!({"type": "Pods", "pods": {"metricName": "packets", "targetAverageValue": "1k"}});
        let internal = beta1_metric_to_internal(&beta1);
        assert_eq!(
            internal,
            json!({"type": "Pods", "pods": {"metric": {"name": "packets"},
                "target": {"type": "AverageValue", "averageValue": "1k"}}})
        );
        assert_eq!(internal_metric_to_beta1(&internal), beta1);
        let r = json!({"type": "Resource", "resource": {"name": "cpu", "targetAverageUtilization": 50}});
        assert_eq!(internal_metric_to_beta1(&beta1_metric_to_internal(&r)), r);
    }
}
