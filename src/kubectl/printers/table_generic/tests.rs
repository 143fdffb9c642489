//! Rows derived by hand from each handler of
//! `pkg/printers/internalversion/printers.go` at the versions named.

use k8s_openapi::jiff::Timestamp;
use serde_json::json;

use crate::{
    kubectl::printers::{
        layout::{GET, layout},
        table::{Env, PrintOptions, render_text, table},
    },
    sim::{Object, registry::Registry},
    version::KubeVersion,
};

const NOW: &str = "2024-01-01T01:00:00Z";
const CREATED: &str = "2024-01-01T00:00:00Z";

/// `kubectl get` text of `manifests` on a cluster of minor `minor`.
fn get(minor: u32, manifests: &[serde_json::Value], wide: bool) -> String {
    let registry = Registry::for_version(KubeVersion::parse(&format!("v1.{minor}.0")).unwrap());
    let objects: Vec<Object> = manifests
        .iter()
        .map(|m| {
            let mut m = m.clone();
            m["metadata"]["creationTimestamp"] = json!(CREATED);
            let kind = registry
                .for_manifest(m["apiVersion"].as_str().unwrap(), m["kind"].as_str().unwrap())
                .unwrap();
            Object::from_value_as(kind, m).unwrap()
        })
        .collect();
    let env = Env { now: NOW.parse::<Timestamp>().unwrap(), minor };
    let refs: Vec<&Object> = objects.iter().collect();
    let opts = PrintOptions { wide, ..Default::default() };
    layout(&render_text(&table(objects[0].kind(), &refs, &env), &opts), GET)
}

#[test]
fn storage_class_marks_the_default_and_fills_defaults() {
    let sc = json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": "standard",
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"});
    assert_eq!(
        get(22, std::slice::from_ref(&sc), false),
        "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n\
         standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  60m\n"
    );
    assert_eq!(
        get(16, &[sc], false),
        "NAME                 PROVISIONER             AGE\nstandard (default)   rancher.io/local-path   60m\n"
    );
}

#[test]
fn persistent_volume_columns_by_version() {
    let pv = json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv0"},
        "spec": {"capacity": {"storage": "10Gi"},
            "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "manual",
            "volumeMode": "Filesystem",
            "claimRef": {"namespace": "default", "name": "data"}},
        "status": {"phase": "Bound"}});
    assert_eq!(
        get(22, std::slice::from_ref(&pv), true),
        "NAME   CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          STORAGECLASS   REASON   AGE   VOLUMEMODE\n\
         pv0    10Gi       RWO,RWX        Retain           Bound    default/data   manual                  60m   Filesystem\n"
    );
    assert_eq!(
        get(33, &[pv], false),
        "NAME   CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\n\
         pv0    10Gi       RWO,RWX        Retain           Bound    default/data   manual         <unset>                          60m\n"
    );
}

#[test]
fn pending_claim_hides_capacity_until_bound() {
    let pvc = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data", "namespace": "default"},
        "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
            "resources": {"requests": {"storage": "1Gi"}}},
        "status": {"phase": "Pending"}});
    assert_eq!(
        get(28, &[pvc], true),
        "NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   AGE   VOLUMEMODE\n\
         data   Pending                                      standard       60m   <unset>\n"
    );
}

#[test]
fn ingress_hosts_ports_and_class() {
    let ing = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"ingressClassName": "nginx", "tls": [{"hosts": ["a.example"]}],
            "rules": [{"host": "a.example"}, {"host": "b.example"}, {}, {"host": "c.example"},
                {"host": "d.example"}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "10.0.0.9"}, {"hostname": "lb.example"},
            {"ip": "10.0.0.2"}]}}});
    assert_eq!(
        get(22, &[ing], false),
        "NAME   CLASS   HOSTS                                       ADDRESS                        PORTS     AGE\n\
         web    nginx   a.example,b.example,c.example + 2 more...   10.0.0.2,10.0.0.9,lb.example   80, 443   60m\n"
    );
    let bare = json!({"apiVersion": "networking.k8s.io/v1beta1", "kind": "Ingress",
        "metadata": {"name": "bare", "namespace": "default"},
        "spec": {"backend": {"serviceName": "web", "servicePort": 80}}});
    assert_eq!(
        get(17, std::slice::from_ref(&bare), false),
        "NAME   HOSTS   ADDRESS   PORTS   AGE\nbare   *                 80      60m\n"
    );
    assert_eq!(
        get(20, &[bare], false),
        "NAME   CLASS    HOSTS   ADDRESS   PORTS   AGE\nbare   <none>   *                 80      60m\n"
    );
}

#[test]
fn ingress_class_network_policy() {
    let class = json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
        "metadata": {"name": "nginx"},
        "spec": {"controller": "k8s.io/ingress-nginx",
            "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "p"}}});
    assert_eq!(
        get(28, &[class], false),
        "NAME    CONTROLLER             PARAMETERS                            AGE\n\
         nginx   k8s.io/ingress-nginx   IngressParameters.k8s.example.com/p   60m\n"
    );
    let deny = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "deny", "namespace": "default"}, "spec": {"podSelector": {}}});
    let web = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"podSelector": {"matchLabels": {"app": "web"}}}});
    assert_eq!(
        get(22, &[deny, web], false),
        "NAME   POD-SELECTOR   AGE\ndeny   <none>         60m\nweb    app=web        60m\n"
    );
}

#[test]
fn workloads_stateful_set_rc_template_pdb() {
    let sts = json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": 3, "template": {"spec": {"containers": [
            {"name": "nginx", "image": "nginx:1.25"}, {"name": "log", "image": "busybox"}]}}},
        "status": {"readyReplicas": 2}});
    assert_eq!(
        get(22, &[sts], true),
        "NAME   READY   AGE   CONTAINERS   IMAGES\nweb    2/3     60m   nginx,log    nginx:1.25,busybox\n"
    );
    let rc = json!({"apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": "nginx", "namespace": "default"},
        "spec": {"replicas": 3, "selector": {"app": "nginx"},
            "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}});
    assert_eq!(
        get(28, &[rc], true),
        "NAME    DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES   SELECTOR\n\
         nginx   3         0         0       60m   nginx        nginx    app=nginx\n"
    );
    let tpl = json!({"apiVersion": "v1", "kind": "PodTemplate",
        "metadata": {"name": "t", "namespace": "default"},
        "template": {"metadata": {"labels": {"a": "b"}},
            "spec": {"containers": [{"name": "c", "image": "busybox"}]}}});
    assert_eq!(
        get(22, &[tpl], false),
        "NAME   CONTAINERS   IMAGES    POD LABELS\nt      c            busybox   a=b\n"
    );
    let pdb = json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": "zk", "namespace": "default"},
        "spec": {"maxUnavailable": "50%", "selector": {"matchLabels": {"app": "zk"}}}});
    assert_eq!(
        get(22, &[pdb], false),
        "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\n\
         zk     N/A             50%               0                     60m\n"
    );
}

#[test]
fn priority_class_preemption_policy_from_1_32() {
    let pc = json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
        "metadata": {"name": "high"}, "value": 1000000, "globalDefault": false,
        "preemptionPolicy": "PreemptLowerPriority"});
    assert_eq!(
        get(28, std::slice::from_ref(&pc), false),
        "NAME   VALUE     GLOBAL-DEFAULT   AGE\nhigh   1000000   false            60m\n"
    );
    assert_eq!(
        get(33, &[pc], false),
        "NAME   VALUE     GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\n\
         high   1000000   false            60m   PreemptLowerPriority\n"
    );
}

#[test]
fn csr_condition_and_requested_duration() {
    let csr = json!({"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
        "metadata": {"name": "myuser"},
        "spec": {"signerName": "kubernetes.io/kube-apiserver-client", "username": "kubernetes-admin",
            "expirationSeconds": 86400, "request": "", "usages": ["client auth"]},
        "status": {"conditions": [{"type": "Approved", "status": "True"}], "certificate": "Y2VydA=="}});
    assert_eq!(
        get(22, &[csr], false),
        "NAME     AGE   SIGNERNAME                            REQUESTOR          REQUESTEDDURATION   CONDITION\n\
         myuser   60m   kubernetes.io/kube-apiserver-client   kubernetes-admin   24h                 Approved,Issued\n"
    );
}

#[test]
fn csi_driver_columns_by_version() {
    let d = json!({"apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver",
        "metadata": {"name": "hostpath.csi.k8s.io"},
        "spec": {"podInfoOnMount": true, "volumeLifecycleModes": ["Persistent", "Ephemeral"]}});
    assert_eq!(
        get(22, std::slice::from_ref(&d), false),
        "NAME                  ATTACHREQUIRED   PODINFOONMOUNT   STORAGECAPACITY   TOKENREQUESTS   REQUIRESREPUBLISH   MODES                  AGE\n\
         hostpath.csi.k8s.io   true             true             false             <unset>         false               Persistent,Ephemeral   60m\n"
    );
    assert_eq!(
        get(20, &[d], false),
        "NAME                  ATTACHREQUIRED   PODINFOONMOUNT   MODES                  AGE\n\
         hostpath.csi.k8s.io   true             true             Persistent,Ephemeral   60m\n"
    );
}

#[test]
fn small_tables() {
    let lease = json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
        "metadata": {"name": "lock", "namespace": "default"}, "spec": {"holderIdentity": "me"}});
    assert_eq!(get(22, &[lease], false), "NAME   HOLDER   AGE\nlock   me       60m\n");
    let rc = json!({"apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass",
        "metadata": {"name": "gvisor"}, "handler": "runsc"});
    assert_eq!(get(22, &[rc], false), "NAME     HANDLER   AGE\ngvisor   runsc     60m\n");
    let hook = json!({"apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingWebhookConfiguration", "metadata": {"name": "v"},
        "webhooks": [{"name": "a.example.com"}, {"name": "b.example.com"}]});
    assert_eq!(get(22, &[hook], false), "NAME   WEBHOOKS   AGE\nv      2          60m\n");
    let api = json!({"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
        "metadata": {"name": "v1beta1.metrics.k8s.io"},
        "spec": {"service": {"namespace": "kube-system", "name": "metrics-server"}},
        "status": {"conditions": [{"type": "Available", "status": "False",
            "reason": "MissingEndpoints"}]}});
    assert_eq!(
        get(22, &[api], false),
        "NAME                     SERVICE                      AVAILABLE                  AGE\n\
         v1beta1.metrics.k8s.io   kube-system/metrics-server   False (MissingEndpoints)   60m\n"
    );
    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"}});
    assert_eq!(
        get(22, &[crd], false),
        "NAME                  CREATED AT\nwidgets.example.com   2024-01-01T00:00:00Z\n"
    );
}
