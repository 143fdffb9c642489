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

use crate::version::Fact;
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
    if !Fact::CoreDnsRoleNoNodes.holds_at(minor) {
        rules.push(json!({"apiGroups": [""], "resources": ["nodes"], "verbs": ["get"]}));
    }
    if Fact::CoreDnsRoleEndpointSlices.holds_at(minor) {
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
    if Fact::KubeadmGetNodesRole.holds_at(minor) {
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
    if Fact::KubeadmClusterAdminsGroup.holds_at(minor) {
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
    let (kubelet_role, kubelet_configmap) = if Fact::KubeadmUnversionedKubeletConfig.holds_at(minor)
    {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn named<'a>(objects: &'a [Value], kind: &str, name: &str) -> Option<&'a Value> {
        objects.iter().find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
    }

    fn coredns_may(minor: u32, resource: &str) -> bool {
        let objects = objects(minor);
        let role = named(&objects, "ClusterRole", "system:coredns").expect("CoreDNS role");
        role["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|r| r["resources"].as_array().into_iter().flatten().any(|x| x == resource))
    }

    /// kubeadm's objects on both sides of [`Fact::KubeadmGetNodesRole`]
    /// (v1.18), [`Fact::CoreDnsRoleEndpointSlices`] (v1.22),
    /// [`Fact::KubeadmUnversionedKubeletConfig`] (v1.24),
    /// [`Fact::CoreDnsRoleNoNodes`] (v1.28) and
    /// [`Fact::KubeadmClusterAdminsGroup`] (v1.29).
    #[test]
    fn kubeadm_objects_by_version() {
        let has = |minor, kind: &str, name: &str| named(&objects(minor), kind, name).is_some();
        assert!(!has(17, "ClusterRole", "kubeadm:get-nodes"));
        assert!(has(18, "ClusterRole", "kubeadm:get-nodes"));
        assert!(!coredns_may(21, "endpointslices"));
        assert!(coredns_may(22, "endpointslices"));
        assert!(has(23, "Role", "kubeadm:kubelet-config-1.23"));
        assert!(!has(23, "Role", "kubeadm:kubelet-config"));
        assert!(has(24, "Role", "kubeadm:kubelet-config"));
        assert!(coredns_may(27, "nodes"));
        assert!(!coredns_may(28, "nodes"));
        assert!(!has(28, "ClusterRoleBinding", "kubeadm:cluster-admins"));
        assert!(has(29, "ClusterRoleBinding", "kubeadm:cluster-admins"));
    }
}
