//! The object one of kubectl's generators builds (`kubectl run`, `create
//! deployment|job|cronjob|service|configmap|secret|namespace`, `autoscale`), as Go's
//! `encoding/json` writes that typed struct when `--dry-run=client` prints
//! it without sending it: nothing the apiserver would add (no uid, no
//! defaults), but every struct-typed field without `omitempty` written as
//! its zero value (`k8s.io/api/*/types.go`, `metav1.ObjectMeta`).

use serde_json::{Value, json};

/// `value` (the object kubeplay sends to the simulated apiserver) as the
/// generator's Go struct encodes. `explicit_namespace`: whether `-n` was
/// given; the generators set `metadata.namespace` only then.
pub fn local(value: &Value, explicit_namespace: bool) -> Value {
    let mut local = value.clone();
    let kind = local["kind"].as_str().unwrap_or_default().to_owned();
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
        "HorizontalPodAutoscaler" => {
            local["status"] = json!({"currentReplicas": 0, "desiredReplicas": 0});
        }
        // ConfigMap and Secret have no struct-typed fields besides metadata.
        _ => {}
    }
    local
}

/// `metav1.ObjectMeta.CreationTimestamp` is a `metav1.Time` struct
/// without `omitempty`: its zero value marshals as `null`.
fn zero_meta(meta: &mut Value) {
    if !meta.is_object() {
        *meta = json!({});
    }
    meta["creationTimestamp"] = Value::Null;
}

/// A `PodTemplateSpec`: its `ObjectMeta` and `PodSpec`.
fn pod_template(template: &mut Value) {
    zero_meta(&mut template["metadata"]);
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
    use serde_json::json;

    #[test]
    fn zero_structs_and_no_namespace_unless_given() {
        let sent = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "x", "namespace": "default"},
            "spec": {"containers": [{"name": "x", "image": "nginx"}]}});
        let local = super::local(&sent, false);
        assert_eq!(
            local,
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "x", "creationTimestamp": null},
                "spec": {"containers": [{"name": "x", "image": "nginx", "resources": {}}]},
                "status": {}})
        );
        assert_eq!(super::local(&sent, true)["metadata"]["namespace"], "default");
    }
}
