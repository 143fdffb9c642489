//! The object one of kubectl's generators builds (`kubectl run`, `create
//! deployment|job|cronjob|service|configmap|secret|namespace`, `autoscale`), as Go's
//! `encoding/json` writes that typed struct when `--dry-run=client` prints
//! it without sending it: nothing the apiserver would add (no uid, no
//! defaults), but every struct-typed field without `omitempty` written as
//! its zero value (`k8s.io/api/*/types.go`, `metav1.ObjectMeta`).

use crate::version::Fact;
use serde_json::{Value, json};

/// `value` (the object kubeplay sends to the simulated apiserver) as the
/// generator's Go struct encodes. `explicit_namespace`: whether `-n` was
/// given; the generators set `metadata.namespace` only then. `minor`:
/// kubectl's minor version (the zero creation timestamp is left out from
/// v1.34, [`Fact::ZeroCreationTimestampOmitted`]).
pub fn local(value: &Value, explicit_namespace: bool, minor: u32) -> Value {
    let mut local = value.clone();
    let kind = local["kind"].as_str().unwrap_or_default().to_owned();
    let null_time = !Fact::ZeroCreationTimestampOmitted.holds_at(minor);
    let zero_meta = |meta: &mut Value| zero_meta(meta, null_time);
    let pod_template = |template: &mut Value| pod_template(template, null_time);
    zero_meta(&mut local["metadata"]);
    if !explicit_namespace && let Some(m) = local["metadata"].as_object_mut() {
        m.remove("namespace");
    }
    match kind.as_str() {
        // `PodSpec` inside a `PodTemplateSpec`, and `DeploymentSpec.Strategy`
        // (a struct, not a pointer).
        "Deployment" => {
            local["spec"]["strategy"] = json!({});
            pod_template(&mut local["spec"]["template"]);
            local["status"] = json!({});
        }
        "Job" => {
            pod_template(&mut local["spec"]["template"]);
            local["status"] = json!({});
        }
        "CronJob" => {
            let job_template = &mut local["spec"]["jobTemplate"];
            zero_meta(&mut job_template["metadata"]);
            pod_template(&mut job_template["spec"]["template"]);
            local["status"] = json!({});
        }
        "Pod" => {
            pod_spec(&mut local["spec"]);
            local["status"] = json!({});
        }
        // `ServiceStatus.LoadBalancer` is a struct.
        "Service" => local["status"] = json!({"loadBalancer": {}}),
        "Namespace" | "ResourceQuota" => {
            if local.get("spec").is_none() {
                local["spec"] = json!({});
            }
            local["status"] = json!({});
        }
        // `HorizontalPodAutoscalerStatus.{Current,Desired}Replicas` are
        // plain int32s.
        "HorizontalPodAutoscaler" if local["apiVersion"] == "autoscaling/v2" => {
            // v2's status: `CurrentMetrics` a slice without omitempty,
            // `DesiredReplicas` a plain int32 (`CurrentReplicas` omitempty).
            local["status"] = json!({"currentMetrics": null, "desiredReplicas": 0});
        }
        "HorizontalPodAutoscaler" => {
            local["status"] = json!({"currentReplicas": 0, "desiredReplicas": 0});
        }
        // ConfigMap and Secret have no struct-typed fields besides metadata.
        _ => {}
    }
    local
}

/// `metav1.ObjectMeta` is a struct (`{}` when empty); its
/// `CreationTimestamp` a `metav1.Time` struct whose zero value marshals as
/// `null` (`null_time`) until apimachinery v0.34 tagged it `omitzero`.
fn zero_meta(meta: &mut Value, null_time: bool) {
    if !meta.is_object() {
        *meta = json!({});
    }
    if null_time {
        meta["creationTimestamp"] = Value::Null;
    }
}

/// A `PodTemplateSpec`: its `ObjectMeta` and `PodSpec`.
fn pod_template(template: &mut Value, null_time: bool) {
    zero_meta(&mut template["metadata"], null_time);
    pod_spec(&mut template["spec"]);
}

/// `Container.Resources` is a struct without `omitempty`.
fn pod_spec(spec: &mut Value) {
    if let Some(cs) = spec["containers"].as_array_mut() {
        cs.iter_mut().for_each(|c| c["resources"] = json!({}));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    #[test]
    fn zero_structs_and_no_namespace_unless_given() {
        let sent = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "x", "namespace": "default"},
            "spec": {"containers": [{"name": "x", "image": "nginx"}]}});
        let local = super::local(&sent, false, 33);
        assert_eq!(
            local,
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "x", "creationTimestamp": null},
                "spec": {"containers": [{"name": "x", "image": "nginx", "resources": {}}]},
                "status": {}})
        );
        assert_eq!(super::local(&sent, true, 33)["metadata"]["namespace"], "default");
        // kubectl 1.35.4 `create job j --image=busybox --dry-run=client -o json`.
        let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
            "spec": {"template": {"spec": {"containers": [{"name": "j", "image": "busybox"}]}}}});
        assert_eq!(
            super::local(&job, false, 34),
            json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                "spec": {"template": {"metadata": {},
                    "spec": {"containers": [{"name": "j", "image": "busybox", "resources": {}}]}}},
                "status": {}})
        );
        assert_eq!(
            super::local(&job, false, 33)["spec"]["template"]["metadata"]["creationTimestamp"],
            Value::Null
        );
    }
}
