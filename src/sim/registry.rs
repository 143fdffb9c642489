//! The resources one cluster serves, as its API server's REST mapper sees
//! them: the kinds the simulator models with types ([`Kind`]'s variants),
//! and every other built-in resource of the cluster's version, stored
//! generically ([`Kind::Other`]). Resolution of what a user types (`pv`,
//! `roles.rbac.authorization.k8s.io`) and of a manifest's `apiVersion` and
//! `kind` goes through here, so that "served" has one answer.
//!
//! For the built-ins, the interim source is [`super::unserved`]'s table (the
//! per-version discovery table replaces it); scope comes from
//! [`CLUSTER_SCOPED`].
//!
//! Serving a kind's objects is not the same as simulating what a cluster
//! does with them: [`gap`] names what the simulator lacks for a kind (a
//! controller, an admission plugin, the objects a real cluster starts
//! with), so that a step relying on it is reported `unsupported`.

use super::{
    kind::{Generic, Kind, ResourceInfo},
    unserved::UNSERVED,
};
use crate::version::KubeVersion;

/// Built-in kinds that are cluster-scoped (each resource's
/// `NamespaceScoped()` in its registry strategy, `pkg/registry/**`).
const CLUSTER_SCOPED: &[&str] = &[
    "ComponentStatus",
    "PersistentVolume",
    "PodSecurityPolicy",
    "ClusterRole",
    "ClusterRoleBinding",
    "StorageClass",
    "VolumeAttachment",
    "CSIDriver",
    "CSINode",
    "PriorityClass",
    "CertificateSigningRequest",
    "RuntimeClass",
    "CustomResourceDefinition",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "APIService",
    "SelfSubjectAccessReview",
    "SubjectAccessReview",
    "SelfSubjectRulesReview",
    "TokenReview",
    "IngressClass",
];

/// What the simulator lacks for a served kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Objects are stored, but what a cluster does with them (a
    /// controller, admission, enforcement) is not simulated: storing one
    /// is reported unsupported, naming this.
    Behaviour(&'static str),
    /// A real cluster starts with objects of this kind that the simulator
    /// does not create: listing the kind, or reading a name the scenario
    /// did not create, is reported unsupported, naming this.
    Defaults(&'static str),
}

/// The gaps, by group and plural resource.
const GAPS: &[(&str, &str, Gap)] = &[
    ("", "bindings", Gap::Behaviour("pod binding through the bindings resource")),
    ("", "componentstatuses", Gap::Defaults("component statuses")),
    ("", "persistentvolumeclaims", Gap::Behaviour("PersistentVolumeClaim binding")),
    ("", "persistentvolumes", Gap::Behaviour("the PersistentVolume controller")),
    ("", "replicationcontrollers", Gap::Behaviour("the ReplicationController controller")),
    ("apps", "statefulsets", Gap::Behaviour("the StatefulSet controller")),
    ("apps", "deployments", Gap::Behaviour("Deployments of a deprecated group-version")),
    ("apps", "daemonsets", Gap::Behaviour("DaemonSets of a deprecated group-version")),
    ("apps", "replicasets", Gap::Behaviour("ReplicaSets of a deprecated group-version")),
    ("extensions", "deployments", Gap::Behaviour("Deployments of a deprecated group-version")),
    ("extensions", "daemonsets", Gap::Behaviour("DaemonSets of a deprecated group-version")),
    ("extensions", "replicasets", Gap::Behaviour("ReplicaSets of a deprecated group-version")),
    ("extensions", "networkpolicies", Gap::Behaviour("NetworkPolicy enforcement")),
    ("networking.k8s.io", "networkpolicies", Gap::Behaviour("NetworkPolicy enforcement")),
    ("policy", "poddisruptionbudgets", Gap::Behaviour("the disruption controller")),
    (
        "autoscaling",
        "horizontalpodautoscalers",
        Gap::Behaviour("HorizontalPodAutoscaler conversion between API versions"),
    ),
    ("batch", "cronjobs", Gap::Behaviour("CronJobs of a deprecated group-version")),
    ("events.k8s.io", "events", Gap::Behaviour("events.k8s.io Event conversion")),
    (
        "apiextensions.k8s.io",
        "customresourcedefinitions",
        Gap::Behaviour("serving CustomResourceDefinitions"),
    ),
    (
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
        Gap::Behaviour("admission webhooks"),
    ),
    (
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
        Gap::Behaviour("admission webhooks"),
    ),
    (
        "apiregistration.k8s.io",
        "apiservices",
        Gap::Defaults("the APIService of every served group-version"),
    ),
    (
        "authorization.k8s.io",
        "selfsubjectaccessreviews",
        Gap::Behaviour("access review evaluation"),
    ),
    ("authorization.k8s.io", "subjectaccessreviews", Gap::Behaviour("access review evaluation")),
    (
        "authorization.k8s.io",
        "localsubjectaccessreviews",
        Gap::Behaviour("access review evaluation"),
    ),
    ("authorization.k8s.io", "selfsubjectrulesreviews", Gap::Behaviour("access review evaluation")),
    ("authentication.k8s.io", "tokenreviews", Gap::Behaviour("token review evaluation")),
    ("rbac.authorization.k8s.io", "clusterroles", Gap::Defaults("the default RBAC policy")),
    ("rbac.authorization.k8s.io", "clusterrolebindings", Gap::Defaults("the default RBAC policy")),
    ("rbac.authorization.k8s.io", "roles", Gap::Defaults("the default RBAC policy")),
    ("rbac.authorization.k8s.io", "rolebindings", Gap::Defaults("the default RBAC policy")),
    ("coordination.k8s.io", "leases", Gap::Defaults("node heartbeat and leader-election Leases")),
    ("storage.k8s.io", "csinodes", Gap::Defaults("the CSINode object of each node")),
    ("scheduling.k8s.io", "priorityclasses", Gap::Defaults("the system priority classes")),
];

/// What the simulator lacks for `kind`, if anything.
pub fn gap(kind: Kind) -> Option<Gap> {
    let Kind::Other(generic) = kind else { return None };
    let info = generic.info();
    GAPS.iter().find(|(g, p, _)| *g == info.group && *p == info.plural).map(|(_, _, gap)| *gap)
}

/// One served group-version of a generically stored resource.
#[derive(Debug, Clone)]
struct Served {
    api_version: &'static str,
    kind_name: &'static str,
    kind: Kind,
}

/// The resources a cluster of one version serves.
#[derive(Debug, Clone)]
pub struct Registry {
    generic: Vec<Served>,
}

impl Registry {
    /// What a cluster of `version` serves.
    pub fn for_version(version: KubeVersion) -> Registry {
        let minor = version.minor();
        let mut generic: Vec<Served> = Vec::new();
        for u in UNSERVED
            .iter()
            .filter(|u| minor >= u.served.0 && u.served.1.is_none_or(|last| minor <= last))
        {
            let (group, version) = u.api_version.rsplit_once('/').unwrap_or(("", u.api_version));
            // Every served version of a group-resource maps to one kind whose
            // facts are the preferred (first listed) version's: objects are
            // stored once and read back in the preferred version.
            let preferred = generic.iter().map(|s| s.kind).find(|k| {
                let info = k.info();
                info.group == group && info.plural == u.plural
            });
            let kind = preferred.unwrap_or_else(|| {
                let singular = u.kind.to_ascii_lowercase();
                Kind::Other(Generic::new(&ResourceInfo {
                    kind_name: u.kind,
                    plural: u.plural,
                    singular: &singular,
                    short_names: u.short_names,
                    group,
                    version,
                    namespaced: !CLUSTER_SCOPED.contains(&u.kind),
                }))
            });
            generic.push(Served { api_version: u.api_version, kind_name: u.kind, kind });
        }
        Registry { generic }
    }

    /// Resolves a resource type as typed on the command line: plural,
    /// singular, short name or Kind, optionally qualified by group
    /// (`deployments.apps`) or version and group (`jobs.v1.batch`). The
    /// typed kinds first, as their group-versions are the preferred ones.
    pub fn resolve(&self, word: &str) -> Option<Kind> {
        if let Some(kind) = Kind::resolve(word) {
            return Some(kind);
        }
        let lower = word.to_ascii_lowercase();
        let (base, qualifier) = match lower.split_once('.') {
            Some((b, q)) => (b.to_owned(), Some(q.to_owned())),
            None => (lower, None),
        };
        self.generic.iter().map(|s| s.kind).find(|kind| {
            let info = kind.info();
            let name_ok = info.plural == base
                || info.singular == base
                || info.short_names.contains(&base.as_str())
                || info.kind_name.eq_ignore_ascii_case(&base);
            name_ok
                && qualifier.as_deref().is_none_or(|q| {
                    q == info.group
                        || q.strip_prefix(info.version).and_then(|r| r.strip_prefix('.'))
                            == Some(info.group)
                        || info.group.is_empty() && q == info.version
                })
        })
    }

    /// The kind a manifest's `apiVersion` and `kind` name, if served.
    pub fn for_manifest(&self, api_version: &str, kind: &str) -> Option<Kind> {
        Kind::from_manifest(api_version, kind).or_else(|| {
            self.generic
                .iter()
                .find(|s| s.api_version == api_version && s.kind_name == kind)
                .map(|s| s.kind)
        })
    }

    /// The generically stored kinds served, in table order.
    pub fn generic_kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.generic.iter().map(|s| s.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minor: u32) -> Registry {
        Registry::for_version(KubeVersion::parse(&format!("v1.{minor}.0")).unwrap())
    }

    #[test]
    fn resolves_generic_builtins_by_every_name() {
        let r = at(22);
        let pv = r.resolve("pv").unwrap();
        assert_eq!(pv.info().kind_name, "PersistentVolume");
        assert!(!pv.info().namespaced);
        assert_eq!(r.resolve("persistentvolumes"), Some(pv));
        assert_eq!(r.resolve("PersistentVolume"), Some(pv));
        let role = r.resolve("roles.rbac.authorization.k8s.io").unwrap();
        assert_eq!(role.info().kind_name, "Role");
        assert!(role.info().namespaced);
        assert_eq!(r.resolve("deploy"), Some(Kind::Deployment), "typed kinds win");
        assert_eq!(r.resolve("frobs"), None);
    }

    #[test]
    fn one_kind_across_served_versions() {
        let r = at(22);
        let v1 = r.for_manifest("policy/v1", "PodDisruptionBudget").unwrap();
        let beta = r.for_manifest("policy/v1beta1", "PodDisruptionBudget").unwrap();
        assert_eq!(v1, beta, "one storage for both versions");
        assert!(at(28).for_manifest("policy/v1beta1", "PodDisruptionBudget").is_none());
        assert_eq!(gap(v1), Some(Gap::Behaviour("the disruption controller")));
        assert_eq!(gap(r.resolve("sc").unwrap()), None);
    }
}
