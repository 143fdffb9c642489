//! The RBAC objects `kubeadm init` creates besides the apiserver's own
//! policy (`cmd/kubeadm/app/phases/...` at each version; names from
//! `cmd/kubeadm/app/constants/constants.go`):
//!
//! - `bootstraptoken/node/tlsbootstrap.go`: bootstrap tokens may post CSRs
//!   (`kubeadm:kubelet-bootstrap`), get nodes (`kubeadm:get-nodes`, from
//!   v1.18), have their CSRs auto-approved, as have nodes rotating theirs;
//! - `bootstraptoken/clusterinfo/clusterinfo.go`: anonymous may read the
//!   `cluster-info` ConfigMap in kube-public;
//! - `kubelet/config.go`, `uploadconfig/uploadconfig.go`: nodes and
//!   bootstrap tokens may read the kubelet and kubeadm configs (the
//!   kubelet's ConfigMap and Role carry the minor in their names up to
//!   v1.23: the UnversionedKubeletConfigMap gate is on from v1.24);
//! - `addons/proxy/proxy.go`: kube-proxy's binding and config Role;
//! - `addons/dns/manifests.go`: CoreDNS's ClusterRole and binding;
//! - `kubeconfig/kubeconfig.go` (v1.29+): the `kubeadm:cluster-admins`
//!   group, which `admin.conf`'s user is in, bound to cluster-admin.

use serde_json::{Value, json};

const BOOTSTRAPPERS: &str = "system:bootstrappers:kubeadm:default-node-token";

fn group(name: &str) -> Value {
    json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": name})
}

fn cluster_role_binding(name: &str, role: &str, subjects: Vec<Value>) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": name},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": subjects,
    })
}

/// A Role allowed to `get` one ConfigMap, and its RoleBinding of the same name.
fn configmap_reader(
    namespace: &str,
    name: &str,
    configmap: &str,
    subjects: Vec<Value>,
) -> [Value; 2] {
    [
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": name, "namespace": namespace},
            "rules": [{"apiGroups": [""], "resources": ["configmaps"], "resourceNames": [configmap], "verbs": ["get"]}],
        }),
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": name, "namespace": namespace},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
            "subjects": subjects,
        }),
    ]
}

/// CoreDNS's ClusterRole (`CoreDNSClusterRole`): nodes `get` until v1.27,
/// EndpointSlices from v1.22.
fn coredns_role(minor: u32) -> Value {
    let mut rules = vec![
        json!({"apiGroups": [""], "resources": ["endpoints", "services", "pods", "namespaces"], "verbs": ["list", "watch"]}),
    ];
    if minor <= 27 {
        rules.push(json!({"apiGroups": [""], "resources": ["nodes"], "verbs": ["get"]}));
    }
    if minor >= 22 {
        rules.push(json!({"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": ["list", "watch"]}));
    }
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": "system:coredns"},
        "rules": rules,
    })
}

/// kubeadm's objects on a cluster of `minor`.
pub fn objects(minor: u32) -> Vec<Value> {
    let mut out = Vec::new();
    if minor >= 18 {
        out.push(json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "kubeadm:get-nodes"},
            "rules": [{"apiGroups": [""], "resources": ["nodes"], "verbs": ["get"]}],
        }));
        out.push(cluster_role_binding(
            "kubeadm:get-nodes",
            "kubeadm:get-nodes",
            vec![group(BOOTSTRAPPERS)],
        ));
    }
    out.push(coredns_role(minor));
    out.push(cluster_role_binding(
        "system:coredns",
        "system:coredns",
        vec![json!({"kind": "ServiceAccount", "name": "coredns", "namespace": "kube-system"})],
    ));
    out.push(cluster_role_binding(
        "kubeadm:kubelet-bootstrap",
        "system:node-bootstrapper",
        vec![group(BOOTSTRAPPERS)],
    ));
    out.push(cluster_role_binding(
        "kubeadm:node-autoapprove-bootstrap",
        "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
        vec![group(BOOTSTRAPPERS)],
    ));
    out.push(cluster_role_binding(
        "kubeadm:node-autoapprove-certificate-rotation",
        "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
        vec![group("system:nodes")],
    ));
    out.push(cluster_role_binding(
        "kubeadm:node-proxier",
        "system:node-proxier",
        vec![json!({"kind": "ServiceAccount", "name": "kube-proxy", "namespace": "kube-system"})],
    ));
    if minor >= 29 {
        out.push(cluster_role_binding(
            "kubeadm:cluster-admins",
            "cluster-admin",
            vec![group("kubeadm:cluster-admins")],
        ));
    }
    out.extend(configmap_reader(
        "kube-public",
        "kubeadm:bootstrap-signer-clusterinfo",
        "cluster-info",
        vec![json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "system:anonymous"})],
    ));
    let (kubelet_role, kubelet_configmap) = if minor >= 24 {
        ("kubeadm:kubelet-config".to_owned(), "kubelet-config".to_owned())
    } else {
        (format!("kubeadm:kubelet-config-1.{minor}"), format!("kubelet-config-1.{minor}"))
    };
    out.extend(configmap_reader(
        "kube-system",
        &kubelet_role,
        &kubelet_configmap,
        vec![group("system:nodes"), group(BOOTSTRAPPERS)],
    ));
    out.extend(configmap_reader(
        "kube-system",
        "kubeadm:nodes-kubeadm-config",
        "kubeadm-config",
        vec![group(BOOTSTRAPPERS), group("system:nodes")],
    ));
    out.extend(configmap_reader(
        "kube-system",
        "kube-proxy",
        "kube-proxy",
        vec![group(BOOTSTRAPPERS)],
    ));
    out
}
