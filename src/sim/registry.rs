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
    kind::{Generic, Kind, RESOURCES, ResourceInfo},
    unserved::UNSERVED,
};
use crate::{
    sim::{conversion, object::DecodeError},
    version::KubeVersion,
};

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
    ("", "limitranges", Gap::Behaviour("LimitRange admission")),
    ("", "persistentvolumeclaims", Gap::Behaviour("PersistentVolumeClaim binding")),
    ("", "persistentvolumes", Gap::Behaviour("the PersistentVolume controller")),
    ("", "replicationcontrollers", Gap::Behaviour("the ReplicationController controller")),
    ("", "resourcequotas", Gap::Behaviour("ResourceQuota admission and usage")),
    ("apps", "statefulsets", Gap::Behaviour("the StatefulSet controller")),
    ("networking.k8s.io", "networkpolicies", Gap::Behaviour("NetworkPolicy enforcement")),
    ("policy", "poddisruptionbudgets", Gap::Behaviour("the disruption controller")),
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

/// Where a resource of a deprecated group is stored: the resources that
/// moved out of `extensions` kept one storage with their new group
/// (`pkg/controlplane/import_known_versions.go`, storage cohabitation in
/// `pkg/kubeapiserver/default_storage_factory_builder.go`).
fn storage_of<'a>(group: &'a str, plural: &'a str) -> (&'a str, &'a str) {
    match (group, plural) {
        ("extensions", "deployments" | "daemonsets" | "replicasets") => ("apps", plural),
        ("extensions", "ingresses" | "networkpolicies") => ("networking.k8s.io", plural),
        ("extensions", "podsecuritypolicies") => ("policy", plural),
        _ => (group, plural),
    }
}

/// A row of the served table at this version, with its storage key.
struct Row {
    unserved: &'static crate::sim::unserved::Unserved,
    group: &'static str,
    version: &'static str,
    storage: (&'static str, &'static str),
}

/// One served group-version of a generically stored resource.
#[derive(Debug, Clone)]
struct Served {
    api_version: String,
    kind_name: String,
    kind: Kind,
}

/// The resources a cluster of one version serves.
#[derive(Debug, Clone)]
pub struct Registry {
    generic: Vec<Served>,
    /// Custom resources of the Established CRDs, by CRD name order.
    custom: Vec<Served>,
    /// The served versions of each custom kind (schemas, subresources).
    custom_versions: Vec<(Kind, Vec<crate::sim::crd::Version>)>,
}

impl Registry {
    /// What a cluster of `version` serves.
    pub fn for_version(version: KubeVersion) -> Registry {
        let minor = version.minor();
        let rows: Vec<Row> = UNSERVED
            .iter()
            .filter(|u| minor >= u.served.0 && u.served.1.is_none_or(|last| minor <= last))
            .map(|u| {
                let (group, version) =
                    u.api_version.rsplit_once('/').unwrap_or(("", u.api_version));
                let storage = storage_of(group, u.plural);
                Row { unserved: u, group, version, storage }
            })
            .collect();
        let mut generic: Vec<Served> = Vec::new();
        for row in &rows {
            let typed = RESOURCES
                .iter()
                .find(|(_, info)| (info.group, info.plural) == row.storage)
                .map(|(k, _)| *k);
            // Every served version of a group-resource maps to one kind
            // whose facts are the preferred version's (the storage group's,
            // GA before beta): objects are stored once, read back in it.
            let kind = typed.unwrap_or_else(|| {
                let preferred = rows
                    .iter()
                    .filter(|r| r.storage == row.storage)
                    .min_by_key(|r| {
                        (r.group != r.storage.0, crate::sim::crd::version_priority(r.version))
                    })
                    .unwrap_or(row);
                let u = preferred.unserved;
                let singular = u.kind.to_ascii_lowercase();
                Kind::Other(Generic::new(&ResourceInfo {
                    kind_name: u.kind,
                    plural: u.plural,
                    singular: &singular,
                    short_names: u.short_names,
                    group: preferred.group,
                    version: preferred.version,
                    namespaced: !CLUSTER_SCOPED.contains(&u.kind),
                    custom_columns: None,
                }))
            });
            generic.push(Served {
                api_version: row.unserved.api_version.to_owned(),
                kind_name: row.unserved.kind.to_owned(),
                kind,
            });
        }
        Registry { generic, custom: Vec::new(), custom_versions: Vec::new() }
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
        self.generic.iter().chain(&self.custom).map(|s| s.kind).find(|kind| {
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
                .chain(&self.custom)
                .find(|s| s.api_version == api_version && s.kind_name == kind)
                .map(|s| s.kind)
        })
    }

    /// Decodes a manifest as the API server does: the kind its
    /// `apiVersion` and `kind` name at this version, converted from a
    /// deprecated version to the stored form.
    pub fn decode(&self, mut value: serde_json::Value) -> Result<crate::sim::Object, DecodeError> {
        let text = |k: &str| value.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let (api_version, kind_name) = (text("apiVersion"), text("kind"));
        if kind_name.is_empty() {
            return Err(DecodeError::MissingKind);
        }
        if api_version.is_empty() {
            return Err(DecodeError::MissingApiVersion);
        }
        let kind = self.for_manifest(&api_version, &kind_name).ok_or(DecodeError::UnknownKind {
            api_version: api_version.clone(),
            kind: kind_name.clone(),
        })?;
        if let Some(what) = conversion::unsupported(&api_version, &kind_name) {
            return Err(DecodeError::Unsupported(what));
        }
        let info = kind.info();
        conversion::to_storage(&api_version, &kind_name, info.version, &mut value);
        if let Some(map) = value.as_object_mut() {
            map.insert("apiVersion".into(), info.api_version().into());
        }
        crate::sim::Object::from_value_as(kind, value)
    }

    /// Replaces the custom resources with those the CRDs serve.
    pub fn set_custom(&mut self, served: Vec<crate::sim::crd::Served>) {
        self.custom.clear();
        self.custom_versions.clear();
        for s in served {
            let info = s.kind.info();
            let group = info.group;
            for v in &s.versions {
                self.custom.push(Served {
                    api_version: format!("{group}/{}", v.name),
                    kind_name: info.kind_name.to_owned(),
                    kind: s.kind,
                });
            }
            self.custom_versions.push((s.kind, s.versions));
        }
    }

    /// The served versions of a custom kind, preferred first.
    pub fn custom_versions(&self, kind: Kind) -> &[crate::sim::crd::Version] {
        self.custom_versions.iter().find(|(k, _)| *k == kind).map_or(&[], |(_, v)| v.as_slice())
    }

    /// The custom kinds served, in CRD name order.
    pub fn custom_kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.custom_versions.iter().map(|(k, _)| *k)
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
