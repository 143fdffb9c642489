//! Built-in API resources a real kube-apiserver serves but the simulator
//! does not (yet): with their group-versions and the Kubernetes minors that
//! served them. kubectl emulation uses this table to tell "the cluster would
//! have this, kubeplay cannot emulate it" (the step is `unsupported`) from
//! a genuinely unknown kind or resource type (kubectl's own `no matches for
//! kind` / `the server doesn't have a resource type` errors).
//!
//! Ranges are from the Kubernetes deprecated-API migration guide
//! (kubernetes.io/docs/reference/using-api/deprecation-guide) and each
//! group's `install.go`/`storage_*.go` in kubernetes/kubernetes; the
//! `api-resources` work (the simulator as an API server) replaces this
//! table with one of every served resource per version.

/// One built-in resource the simulator does not serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unserved {
    /// `apiVersion` (`apps/v1`, `v1`).
    pub api_version: &'static str,
    /// Kind (`StatefulSet`).
    pub kind: &'static str,
    /// Plural resource name (`statefulsets`).
    pub plural: &'static str,
    /// Short names (`sts`).
    pub short_names: &'static [&'static str],
    /// First and last Kubernetes minor (1.x) that served this
    /// group-version of the resource; `None`: still served.
    pub served: (u32, Option<u32>),
}

const fn r(
    api_version: &'static str,
    kind: &'static str,
    plural: &'static str,
    short_names: &'static [&'static str],
    served: (u32, Option<u32>),
) -> Unserved {
    Unserved { api_version, kind, plural, short_names, served }
}

/// The table. Minors before 1.10 are not tracked (the project's span).
pub const UNSERVED: &[Unserved] = &[
    r("v1", "Binding", "bindings", &[], (10, None)),
    r("v1", "ComponentStatus", "componentstatuses", &["cs"], (10, None)),
    r("v1", "LimitRange", "limitranges", &["limits"], (10, None)),
    r("v1", "PersistentVolumeClaim", "persistentvolumeclaims", &["pvc"], (10, None)),
    r("v1", "PersistentVolume", "persistentvolumes", &["pv"], (10, None)),
    r("v1", "PodTemplate", "podtemplates", &[], (10, None)),
    r("v1", "ReplicationController", "replicationcontrollers", &["rc"], (10, None)),
    r("v1", "ResourceQuota", "resourcequotas", &["quota"], (10, None)),
    r("apps/v1", "StatefulSet", "statefulsets", &["sts"], (10, None)),
    r("apps/v1beta1", "Deployment", "deployments", &["deploy"], (10, Some(15))),
    r("apps/v1beta1", "StatefulSet", "statefulsets", &["sts"], (10, Some(15))),
    r("apps/v1beta2", "Deployment", "deployments", &["deploy"], (10, Some(15))),
    r("apps/v1beta2", "DaemonSet", "daemonsets", &["ds"], (10, Some(15))),
    r("apps/v1beta2", "ReplicaSet", "replicasets", &["rs"], (10, Some(15))),
    r("apps/v1beta2", "StatefulSet", "statefulsets", &["sts"], (10, Some(15))),
    r("extensions/v1beta1", "Deployment", "deployments", &["deploy"], (10, Some(15))),
    r("extensions/v1beta1", "DaemonSet", "daemonsets", &["ds"], (10, Some(15))),
    r("extensions/v1beta1", "ReplicaSet", "replicasets", &["rs"], (10, Some(15))),
    r("extensions/v1beta1", "NetworkPolicy", "networkpolicies", &["netpol"], (10, Some(15))),
    r("extensions/v1beta1", "PodSecurityPolicy", "podsecuritypolicies", &["psp"], (10, Some(15))),
    r("extensions/v1beta1", "Ingress", "ingresses", &["ing"], (10, Some(21))),
    r("batch/v1beta1", "CronJob", "cronjobs", &["cj"], (10, Some(24))),
    r(
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        &["hpa"],
        (10, Some(24)),
    ),
    r(
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        &["hpa"],
        (12, Some(25)),
    ),
    r(
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        &["hpa"],
        (23, None),
    ),
    r("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", &["netpol"], (10, None)),
    r("networking.k8s.io/v1", "Ingress", "ingresses", &["ing"], (19, None)),
    r("networking.k8s.io/v1", "IngressClass", "ingressclasses", &[], (19, None)),
    r("networking.k8s.io/v1beta1", "Ingress", "ingresses", &["ing"], (14, Some(21))),
    r("networking.k8s.io/v1beta1", "IngressClass", "ingressclasses", &[], (18, Some(21))),
    r("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", &["pdb"], (21, None)),
    r("policy/v1beta1", "PodDisruptionBudget", "poddisruptionbudgets", &["pdb"], (10, Some(24))),
    r("policy/v1beta1", "PodSecurityPolicy", "podsecuritypolicies", &["psp"], (10, Some(24))),
    r("rbac.authorization.k8s.io/v1", "Role", "roles", &[], (10, None)),
    r("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", &[], (10, None)),
    r("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", &[], (10, None)),
    r("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", &[], (10, None)),
    r("rbac.authorization.k8s.io/v1beta1", "Role", "roles", &[], (10, Some(21))),
    r("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "clusterroles", &[], (10, Some(21))),
    r("rbac.authorization.k8s.io/v1beta1", "RoleBinding", "rolebindings", &[], (10, Some(21))),
    r(
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        &[],
        (10, Some(21)),
    ),
    r("storage.k8s.io/v1", "StorageClass", "storageclasses", &["sc"], (10, None)),
    r("storage.k8s.io/v1", "VolumeAttachment", "volumeattachments", &[], (13, None)),
    r("storage.k8s.io/v1", "CSIDriver", "csidrivers", &[], (18, None)),
    r("storage.k8s.io/v1", "CSINode", "csinodes", &[], (17, None)),
    r("storage.k8s.io/v1", "CSIStorageCapacity", "csistoragecapacities", &[], (24, None)),
    r("scheduling.k8s.io/v1", "PriorityClass", "priorityclasses", &["pc"], (14, None)),
    r("coordination.k8s.io/v1", "Lease", "leases", &[], (14, None)),
    r(
        "certificates.k8s.io/v1",
        "CertificateSigningRequest",
        "certificatesigningrequests",
        &["csr"],
        (19, None),
    ),
    r(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        "certificatesigningrequests",
        &["csr"],
        (10, Some(21)),
    ),
    r("node.k8s.io/v1", "RuntimeClass", "runtimeclasses", &[], (20, None)),
    r(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        &["crd", "crds"],
        (16, None),
    ),
    r(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        &["crd", "crds"],
        (10, Some(21)),
    ),
    r(
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
        &[],
        (16, None),
    ),
    r(
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        &[],
        (16, None),
    ),
    r("apiregistration.k8s.io/v1", "APIService", "apiservices", &[], (10, None)),
    r("events.k8s.io/v1", "Event", "events", &["ev"], (19, None)),
    r(
        "authorization.k8s.io/v1",
        "SelfSubjectAccessReview",
        "selfsubjectaccessreviews",
        &[],
        (10, None),
    ),
    r("authorization.k8s.io/v1", "SubjectAccessReview", "subjectaccessreviews", &[], (10, None)),
    r(
        "authorization.k8s.io/v1",
        "LocalSubjectAccessReview",
        "localsubjectaccessreviews",
        &[],
        (10, None),
    ),
    r(
        "authorization.k8s.io/v1",
        "SelfSubjectRulesReview",
        "selfsubjectrulesreviews",
        &[],
        (10, None),
    ),
    r("authentication.k8s.io/v1", "TokenReview", "tokenreviews", &[], (10, None)),
];

impl Unserved {
    fn served_at(&self, minor: u32) -> bool {
        minor >= self.served.0 && self.served.1.is_none_or(|last| minor <= last)
    }
}

/// The built-in kind a manifest names, when a cluster of minor `minor`
/// serves it and the simulator does not: what to report as unsupported.
pub fn kind(api_version: &str, kind: &str, minor: u32) -> Option<&'static Unserved> {
    UNSERVED.iter().find(|u| u.api_version == api_version && u.kind == kind && u.served_at(minor))
}

/// The built-in resource a resource argument names (`pv`, `statefulsets`,
/// `ingresses.networking.k8s.io`), when a cluster of minor `minor` serves
/// it and the simulator does not.
pub fn resource(word: &str, minor: u32) -> Option<&'static Unserved> {
    let lower = word.to_ascii_lowercase();
    let (base, group) = match lower.split_once('.') {
        Some((b, g)) => (b.to_owned(), Some(g.to_owned())),
        None => (lower, None),
    };
    UNSERVED.iter().filter(|u| u.served_at(minor)).find(|u| {
        let singular = u.kind.to_ascii_lowercase();
        let name_ok =
            u.plural == base || singular == base || u.short_names.contains(&base.as_str());
        let u_group = u.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        name_ok
            && group.as_deref().is_none_or(|g| {
                g == u_group || g.starts_with(&format!("{u_group}.")) && u_group.is_empty()
            })
    })
}

impl std::fmt::Display for Unserved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}), which the simulator does not serve yet", self.kind, self.api_version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_builtins_are_found_by_version() {
        assert_eq!(kind("apps/v1", "StatefulSet", 22).map(|u| u.plural), Some("statefulsets"));
        assert!(kind("batch/v1beta1", "CronJob", 20).is_some());
        // Removed in v1.25: a real v1.28 cluster says "no matches for kind".
        assert!(kind("batch/v1beta1", "CronJob", 28).is_none());
        assert!(kind("autoscaling/v2", "HorizontalPodAutoscaler", 22).is_none());
        assert!(kind("autoscaling/v2", "HorizontalPodAutoscaler", 28).is_some());
        assert!(kind("example.com/v1", "Widget", 28).is_none());
    }

    /// Until this interim table is removed, every row must agree with the
    /// discovery table extracted from upstream (`sim::api::discovery`): the
    /// same minors, plural and short names.
    #[test]
    fn every_row_agrees_with_discovery() {
        use crate::sim::api::Discovery;
        let mut disagreements = Vec::new();
        for u in UNSERVED {
            for minor in 10..=35 {
                let served = Discovery::for_minor(minor).kind(u.api_version, u.kind);
                match (u.served_at(minor), served) {
                    (true, None) => disagreements
                        .push(format!("{} {}: not served by v1.{minor}", u.api_version, u.kind)),
                    (false, Some(_)) => disagreements
                        .push(format!("{} {}: served by v1.{minor}", u.api_version, u.kind)),
                    (true, Some(r)) if r.resource != u.plural || r.short_names != u.short_names => {
                        disagreements.push(format!(
                            "{} {} at v1.{minor}: {} {:?}",
                            u.api_version, u.kind, r.resource, r.short_names
                        ))
                    }
                    _ => {}
                }
            }
        }
        assert!(disagreements.is_empty(), "{disagreements:#?}");
    }

    #[test]
    fn resource_words_and_short_names() {
        assert_eq!(resource("pv", 22).map(|u| u.kind), Some("PersistentVolume"));
        assert_eq!(resource("sts", 22).map(|u| u.kind), Some("StatefulSet"));
        assert_eq!(resource("ingresses.networking.k8s.io", 22).map(|u| u.kind), Some("Ingress"));
        assert_eq!(resource("quota", 22).map(|u| u.kind), Some("ResourceQuota"));
        assert_eq!(resource("psp", 26), None, "PodSecurityPolicy was removed in v1.25");
        assert_eq!(resource("frobs", 22), None);
    }
}
