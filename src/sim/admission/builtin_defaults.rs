//! API defaulting of the built-in kinds the simulator stores generically
//! (their JSON), as the API server applies it on decode: the
//! `SetDefaults_*` functions of `pkg/apis/<group>/<version>/defaults.go`
//! (v1.28 unless a range says otherwise), so that `-o yaml` shows what a
//! real API server stores.
//!
//! A pod template inside a generic object (StatefulSet,
//! ReplicationController, PodTemplate) gets the typed pod defaults of
//! [`super::defaults::template`].

use crate::version::Fact;
use k8s_openapi::api::core::v1::PodTemplateSpec;
use serde_json::{Map, Value, json};

use crate::sim::object::{GenericObject, Object};

/// Applies the defaults of `object`'s kind on a cluster of minor `minor`.
pub fn apply(object: &mut Object, minor: u32) {
    let Object::Generic(g) = object else { return };
    let info = g.kind.info();
    match (info.group, info.kind_name) {
        ("storage.k8s.io", "StorageClass") => {
            // `SetDefaults_StorageClass`.
            insert(&mut g.fields, "reclaimPolicy", json!("Delete"));
            insert(&mut g.fields, "volumeBindingMode", json!("Immediate"));
        }
        ("storage.k8s.io", "CSIDriver") => csi_driver(g, minor),
        ("", "PersistentVolume") => {
            // `SetDefaults_PersistentVolume`.
            let spec = object_at(&mut g.fields, "spec");
            if spec
                .get("persistentVolumeReclaimPolicy")
                .and_then(Value::as_str)
                .unwrap_or("")
                .is_empty()
            {
                spec.insert("persistentVolumeReclaimPolicy".into(), json!("Retain"));
            }
            insert(spec, "volumeMode", json!("Filesystem"));
            // `SetDefaults_HostPathVolumeSource` (v1.10–v1.35): an unset
            // type is stored as `""` (`HostPathUnset`).
            if let Some(Value::Object(host_path)) = spec.get_mut("hostPath") {
                insert(host_path, "type", json!(""));
            }
            phase(&mut g.fields, "Pending");
        }
        ("", "PersistentVolumeClaim") => {
            // `SetDefaults_PersistentVolumeClaim` and `…ClaimSpec`.
            insert(object_at(&mut g.fields, "spec"), "volumeMode", json!("Filesystem"));
            phase(&mut g.fields, "Pending");
        }
        ("", "ReplicationController") => replication_controller(g),
        ("", "PodTemplate") => pod_template(g.fields.get_mut("template")),
        ("apps", "StatefulSet") => stateful_set(g, minor),
        ("networking.k8s.io" | "extensions", "NetworkPolicy") => network_policy(g),
        ("networking.k8s.io", "IngressClass") => {
            // `SetDefaults_IngressClass`: parameters' scope.
            if Fact::IngressClassParametersScope.holds_at(minor)
                && let Some(p) = g
                    .fields
                    .get_mut("spec")
                    .and_then(|s| s.get_mut("parameters"))
                    .and_then(Value::as_object_mut)
            {
                insert(p, "scope", json!("Cluster"));
            }
        }
        ("networking.k8s.io" | "extensions", "Ingress") => {
            // v1beta1's `SetDefaults_HTTPIngressPath` (pathType
            // ImplementationSpecific) needs the version the request was
            // written in, which generic storage does not keep yet.
            // `IngressStatus` is a struct field: always encoded.
            insert(object_at(&mut g.fields, "status"), "loadBalancer", json!({}));
        }
        ("scheduling.k8s.io", "PriorityClass")
            if Fact::PriorityClassPreemptionPolicyDefault.holds_at(minor) =>
        {
            // `SetDefaults_PriorityClass`, under the NonPreemptingPriority
            // gate.
            insert(&mut g.fields, "preemptionPolicy", json!("PreemptLowerPriority"));
        }
        _ => {}
    }
}

/// `SetDefaults_CSIDriver`: fsGroupPolicy from v1.20, storageCapacity and
/// requiresRepublish from v1.21 (their gates' default-on releases).
fn csi_driver(g: &mut GenericObject, minor: u32) {
    let spec = object_at(&mut g.fields, "spec");
    insert(spec, "attachRequired", json!(true));
    insert(spec, "podInfoOnMount", json!(false));
    if Fact::CsiDriverCapacityAndTokenDefaults.holds_at(minor) {
        insert(spec, "storageCapacity", json!(false));
        insert(spec, "requiresRepublish", json!(false));
    }
    if Fact::CsiDriverFsGroupPolicyDefault.holds_at(minor) {
        insert(spec, "fsGroupPolicy", json!("ReadWriteOnceWithFSType"));
    }
    if spec.get("volumeLifecycleModes").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        spec.insert("volumeLifecycleModes".into(), json!(["Persistent"]));
    }
}

/// `SetDefaults_ReplicationController`: selector and labels from the
/// template's labels, one replica; the template's pod defaults.
fn replication_controller(g: &mut GenericObject) {
    let spec = object_at(&mut g.fields, "spec");
    let labels =
        spec.get("template").and_then(|t| t.get("metadata")).and_then(|m| m.get("labels")).cloned();
    if let Some(labels) = labels.filter(Value::is_object) {
        if spec.get("selector").and_then(Value::as_object).is_none_or(Map::is_empty) {
            spec.insert("selector".into(), labels.clone());
        }
        if g.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
            g.metadata.labels = serde_json::from_value(labels).ok();
        }
    }
    let spec = object_at(&mut g.fields, "spec");
    insert(spec, "replicas", json!(1));
    pod_template(spec.get_mut("template"));
}

/// `SetDefaults_StatefulSet` (apps/v1): PVC retention policy from v1.27
/// (StatefulSetAutoDeletePVC beta, default on); the template's pod defaults.
fn stateful_set(g: &mut GenericObject, minor: u32) {
    let spec = object_at(&mut g.fields, "spec");
    if spec.get("podManagementPolicy").and_then(Value::as_str).unwrap_or("").is_empty() {
        spec.insert("podManagementPolicy".into(), json!("OrderedReady"));
    }
    let strategy = object_at(spec, "updateStrategy");
    if strategy.get("type").and_then(Value::as_str).unwrap_or("").is_empty() {
        strategy.insert("type".into(), json!("RollingUpdate"));
        insert(strategy, "rollingUpdate", json!({}));
    }
    if strategy.get("type").and_then(Value::as_str) == Some("RollingUpdate")
        && let Some(ru) = strategy.get_mut("rollingUpdate").and_then(Value::as_object_mut)
    {
        insert(ru, "partition", json!(0));
    }
    if Fact::StatefulSetAutoDeletePvc.holds_at(minor) {
        let policy = object_at(spec, "persistentVolumeClaimRetentionPolicy");
        insert(policy, "whenDeleted", json!("Retain"));
        insert(policy, "whenScaled", json!("Retain"));
    }
    insert(spec, "replicas", json!(1));
    insert(spec, "revisionHistoryLimit", json!(10));
    pod_template(spec.get_mut("template"));
}

/// `SetDefaults_NetworkPolicy` (policyTypes: Ingress, plus Egress when
/// egress rules are given) and `SetDefaults_NetworkPolicyPort` (TCP).
fn network_policy(g: &mut GenericObject) {
    let spec = object_at(&mut g.fields, "spec");
    if spec.get("policyTypes").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        let egress = spec.get("egress").and_then(Value::as_array).is_some_and(|e| !e.is_empty());
        let types = if egress { json!(["Ingress", "Egress"]) } else { json!(["Ingress"]) };
        spec.insert("policyTypes".into(), types);
    }
    for direction in ["ingress", "egress"] {
        let rules = spec.get_mut(direction).and_then(Value::as_array_mut);
        for rule in rules.into_iter().flatten() {
            let ports = rule.get_mut("ports").and_then(Value::as_array_mut);
            for port in ports.into_iter().flatten().filter_map(Value::as_object_mut) {
                insert(port, "protocol", json!("TCP"));
            }
        }
    }
}

/// The typed pod defaults of a template held as JSON. A template that does
/// not decode is left as written (validation reports it).
fn pod_template(template: Option<&mut Value>) {
    let Some(template) = template else { return };
    let Ok(mut typed) = serde_json::from_value::<PodTemplateSpec>(template.clone()) else {
        return;
    };
    super::defaults::template(&mut typed);
    if let Ok(v) = serde_json::to_value(&typed) {
        *template = v;
    }
}

/// `status.phase`, when unset.
fn phase(fields: &mut Map<String, Value>, value: &str) {
    let status = object_at(fields, "status");
    if status.get("phase").and_then(Value::as_str).unwrap_or("").is_empty() {
        status.insert("phase".into(), json!(value));
    }
}

/// Sets `key` when absent or null.
fn insert(map: &mut Map<String, Value>, key: &str, value: Value) {
    if map.get(key).is_none_or(Value::is_null) {
        map.insert(key.to_owned(), value);
    }
}

/// The object at `key`, created when absent (or not an object).
fn object_at<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    if !map.get(key).is_some_and(Value::is_object) {
        map.insert(key.to_owned(), Value::Object(Map::new()));
    }
    map.get_mut(key).and_then(Value::as_object_mut).expect("inserted above")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{sim::registry::Registry, version::KubeVersion};

    fn defaulted(minor: u32, manifest: Value) -> Value {
        let registry = Registry::for_version(KubeVersion::parse(&format!("v1.{minor}.0")).unwrap());
        let kind = registry
            .for_manifest(
                manifest["apiVersion"].as_str().unwrap(),
                manifest["kind"].as_str().unwrap(),
            )
            .unwrap();
        let mut object = Object::from_value_as(kind, manifest).unwrap();
        apply(&mut object, minor);
        let Object::Generic(g) = object else { unreachable!() };
        Value::Object(g.fields)
    }

    #[test]
    fn storage_class_and_volumes() {
        let sc = defaulted(
            22,
            json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": {"name": "s"}, "provisioner": "p"}),
        );
        assert_eq!(sc["reclaimPolicy"], "Delete");
        assert_eq!(sc["volumeBindingMode"], "Immediate");
        let pv = defaulted(
            22,
            json!({"apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": "pv"}, "spec": {"capacity": {"storage": "1Gi"}}}),
        );
        assert_eq!(pv["spec"]["persistentVolumeReclaimPolicy"], "Retain");
        assert_eq!(pv["spec"]["volumeMode"], "Filesystem");
        assert_eq!(pv["status"]["phase"], "Pending");
        let pvc = defaulted(
            28,
            json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "c"}, "spec": {"volumeMode": "Block"}}),
        );
        assert_eq!(pvc["spec"]["volumeMode"], "Block", "a set field is kept");
        assert_eq!(pvc["status"]["phase"], "Pending");
    }

    #[test]
    fn network_policy_types_follow_egress_rules() {
        let np = defaulted(
            22,
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "n"}, "spec": {"podSelector": {},
                "egress": [{"ports": [{"port": 53}]}]}}),
        );
        assert_eq!(np["spec"]["policyTypes"], json!(["Ingress", "Egress"]));
        assert_eq!(np["spec"]["egress"][0]["ports"][0]["protocol"], "TCP");
        let np = defaulted(
            22,
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "n"}, "spec": {"podSelector": {}}}),
        );
        assert_eq!(np["spec"]["policyTypes"], json!(["Ingress"]));
    }

    #[test]
    fn stateful_set_and_its_pod_template() {
        let manifest = json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "web"}, "spec": {"serviceName": "web",
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}}}});
        let sts = defaulted(22, manifest.clone());
        let spec = &sts["spec"];
        assert_eq!(spec["replicas"], 1);
        assert_eq!(spec["podManagementPolicy"], "OrderedReady");
        assert_eq!(
            spec["updateStrategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
        );
        assert_eq!(spec["revisionHistoryLimit"], 10);
        assert!(spec.get("persistentVolumeClaimRetentionPolicy").is_none());
        let pod = &spec["template"]["spec"];
        assert_eq!(pod["restartPolicy"], "Always");
        assert_eq!(pod["containers"][0]["imagePullPolicy"], "IfNotPresent");
        let sts = defaulted(28, manifest);
        assert_eq!(
            sts["spec"]["persistentVolumeClaimRetentionPolicy"],
            json!({"whenDeleted": "Retain", "whenScaled": "Retain"})
        );
    }

    #[test]
    fn priority_class_ingress_rc() {
        let pc = defaulted(
            22,
            json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": {"name": "high"}, "value": 1000}),
        );
        assert_eq!(pc["preemptionPolicy"], "PreemptLowerPriority");
        let ing = defaulted(
            20,
            json!({"apiVersion": "networking.k8s.io/v1beta1", "kind": "Ingress",
            "metadata": {"name": "i"}, "spec": {"rules": [{"http": {"paths": [
                {"path": "/", "backend": {"serviceName": "web", "servicePort": 80}}]}}]}}),
        );
        assert_eq!(ing["status"], json!({"loadBalancer": {}}));
        let rc = json!({"apiVersion": "v1", "kind": "ReplicationController",
            "metadata": {"name": "nginx"}, "spec": {"template": {"metadata": {"labels": {"app": "nginx"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}});
        let registry = Registry::for_version(KubeVersion::parse("v1.22.0").unwrap());
        let kind = registry.for_manifest("v1", "ReplicationController").unwrap();
        let mut object = Object::from_value_as(kind, rc).unwrap();
        apply(&mut object, 22);
        let Object::Generic(g) = object else { unreachable!() };
        assert_eq!(g.fields["spec"]["selector"], json!({"app": "nginx"}));
        assert_eq!(g.fields["spec"]["replicas"], 1);
        assert_eq!(g.metadata.labels.unwrap()["app"], "nginx");
    }
}
