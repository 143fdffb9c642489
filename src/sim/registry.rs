//! The resources one cluster serves, as its API server's REST mapper sees
//! them: every resource of the cluster's version ([`Discovery`], the
//! per-version table generated from upstream) and the custom resources of
//! its CRDs. The kinds the simulator models with types are [`Kind`]'s
//! variants; every other resource is stored generically ([`Kind::Other`]),
//! one kind per storage (group and resource), whatever version a request
//! names. Resolution of what a user types (`pv`,
//! `roles.rbac.authorization.k8s.io`) and of a manifest's `apiVersion` and
//! `kind` goes through here, so that "served" has one answer.
//!
//! Serving a kind's objects is not the same as simulating what a cluster
//! does with them: [`gap`] names what the simulator lacks for a kind (a
//! controller, an admission plugin, the objects a real cluster starts
//! with), so that a step relying on it is reported `unsupported`.

use super::{
    api::discovery::{Discovery, ServedResource},
    kind::{Generic, Kind, RESOURCES, ResourceInfo},
};
use crate::{
    sim::{conversion, object::DecodeError},
    version::KubeVersion,
};

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
    ("", "replicationcontrollers", Gap::Behaviour("the ReplicationController controller")),
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
    ("coordination.k8s.io", "leases", Gap::Defaults("node heartbeat and leader-election Leases")),
    ("storage.k8s.io", "csinodes", Gap::Defaults("the CSINode object of each node")),
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
        ("events.k8s.io", "events") => ("", plural),
        _ => (group, plural),
    }
}

/// One served group-version of a generically stored resource.
#[derive(Debug, Clone)]
struct Served {
    api_version: String,
    kind_name: String,
    kind: Kind,
    /// The discovery row (built-ins only).
    resource: Option<&'static ServedResource>,
}

/// The kind of a built-in resource stored generically, by group and plural
/// (its identity), with the facts of the newest release that serves it.
/// For code that names one resource (the quota evaluator, CRDs); callers
/// keep the result (it costs a table scan and an intern lookup).
pub fn builtin_kind(group: &str, plural: &str) -> Kind {
    let (oldest, newest) = (KubeVersion::OLDEST_MINOR.1, KubeVersion::NEWEST_MINOR.1);
    let served = (oldest..=newest)
        .rev()
        .map(Discovery::for_minor)
        .find_map(|d| d.resources().iter().find(|r| r.group == group && r.resource == plural));
    match served {
        Some(r) => generic_kind(r),
        None => unreachable!("{plural}.{group} is a built-in resource of some release"),
    }
}

/// The kind of a built-in resource by an owner reference's `apiVersion`
/// and `kind` (the garbage collector's REST mapping of owners), at the
/// newest release: typed kinds first, then the generically stored ones.
pub fn builtin_kind_of(api_version: &str, kind_name: &str) -> Option<Kind> {
    if let Some(kind) = Kind::from_manifest(api_version, kind_name) {
        return Some(kind);
    }
    static KINDS: std::sync::OnceLock<std::collections::HashMap<(String, String), Kind>> =
        std::sync::OnceLock::new();
    let kinds = KINDS.get_or_init(|| {
        let mut out = std::collections::HashMap::new();
        let (oldest, newest) = (KubeVersion::OLDEST_MINOR.1, KubeVersion::NEWEST_MINOR.1);
        for d in (oldest..=newest).rev().map(Discovery::for_minor) {
            for r in d.resources().iter().filter(|r| !r.resource.contains('/')) {
                let api_version = if r.group.is_empty() {
                    r.version.to_owned()
                } else {
                    format!("{}/{}", r.group, r.version)
                };
                let (group, plural) = storage_of(r.group, r.resource);
                if RESOURCES.iter().any(|(_, info)| info.group == group && info.plural == plural) {
                    continue;
                }
                out.entry((api_version, r.kind.to_owned()))
                    .or_insert_with(|| builtin_kind(group, plural));
            }
        }
        out
    });
    kinds.get(&(api_version.to_owned(), kind_name.to_owned())).copied()
}

/// The generic kind of one served resource, with its discovery facts.
fn generic_kind(r: &ServedResource) -> Kind {
    let singular = r.singular();
    Kind::Other(Generic::new(&ResourceInfo {
        kind_name: r.kind,
        plural: r.resource,
        singular: &singular,
        short_names: &r.short_names,
        group: r.group,
        version: r.version,
        namespaced: r.namespaced,
        custom_columns: None,
    }))
}

/// The resources a cluster of one version serves.
#[derive(Debug, Clone)]
pub struct Registry {
    discovery: &'static Discovery,
    /// Every served built-in resource version, with its kind.
    generic: Vec<Served>,
    /// Custom resources of the Established CRDs, by CRD name order.
    custom: Vec<Served>,
    /// The served versions of each custom kind (schemas, subresources).
    custom_versions: Vec<(Kind, Vec<crate::sim::crd::Version>)>,
}

impl Registry {
    /// What a cluster of `version` serves.
    pub fn for_version(version: KubeVersion) -> Registry {
        let discovery = Discovery::at(&version);
        let rows = discovery.resources();
        let mut generic: Vec<Served> = Vec::new();
        let mut by_storage: std::collections::BTreeMap<(&str, &str), Kind> = Default::default();
        for row in rows {
            let storage = storage_of(row.group, row.resource);
            // Every served version of a group-resource maps to one kind
            // whose facts are the preferred version's (the storage group's
            // first row in discovery order): objects are stored once and
            // read back in it.
            let kind = *by_storage.entry(storage).or_insert_with(|| {
                let typed = RESOURCES
                    .iter()
                    .find(|(_, info)| (info.group, info.plural) == storage)
                    .map(|(k, _)| *k);
                typed.unwrap_or_else(|| {
                    let preferred = rows
                        .iter()
                        .find(|r| {
                            storage_of(r.group, r.resource) == storage && r.group == storage.0
                        })
                        .unwrap_or(row);
                    generic_kind(preferred)
                })
            });
            generic.push(Served {
                api_version: row.api_version(),
                kind_name: row.kind.to_owned(),
                kind,
                resource: Some(row),
            });
        }
        Registry { discovery, generic, custom: Vec::new(), custom_versions: Vec::new() }
    }

    /// Resolves a resource type as typed on the command line: plural,
    /// singular, short name or Kind, optionally qualified by group
    /// (`deployments.apps`) or version and group (`jobs.v1.batch`): the
    /// built-ins as discovery resolves them, then the custom resources.
    pub fn resolve(&self, word: &str) -> Option<Kind> {
        if let Some(r) = self.discovery.resource_type(word) {
            return self.kind_of(r);
        }
        let lower = word.to_ascii_lowercase();
        let (base, qualifier) = match lower.split_once('.') {
            Some((b, q)) => (b.to_owned(), Some(q.to_owned())),
            None => (lower, None),
        };
        self.custom.iter().map(|s| s.kind).find(|kind| {
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
                })
        })
    }

    /// The custom resources of the Established CRDs.
    pub fn custom_kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.custom.iter().map(|s| s.kind)
    }

    /// The kind a served built-in resource is stored as.
    fn kind_of(&self, r: &ServedResource) -> Option<Kind> {
        self.generic.iter().find(|s| s.resource.is_some_and(|x| std::ptr::eq(x, r))).map(|s| s.kind)
    }

    /// The discovery of this cluster's version.
    pub fn discovery(&self) -> &'static Discovery {
        self.discovery
    }

    /// The kind a manifest's `apiVersion` and `kind` name, if served.
    pub fn for_manifest(&self, api_version: &str, kind: &str) -> Option<Kind> {
        self.generic
            .iter()
            .find(|s| s.api_version == api_version && s.kind_name == kind)
            .map(|s| s.kind)
            .or_else(|| {
                self.custom
                    .iter()
                    .find(|s| s.api_version == api_version && s.kind_name == kind)
                    .map(|s| s.kind)
            })
    }

    /// Decodes a manifest as the API server does: the kind its
    /// `apiVersion` and `kind` name at this version, converted from a
    /// deprecated version to the stored form.
    pub fn decode(&self, value: serde_json::Value) -> Result<crate::sim::Object, DecodeError> {
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
        if api_version.starts_with("events.k8s.io/")
            && let Some(what) = crate::sim::event_conversion::validation_gap(&api_version, &value)
        {
            return Err(DecodeError::Unsupported(what));
        }
        crate::sim::Object::from_value_as(kind, conversion::storage_form(kind, value))
    }

    /// The fields of `value` its kind's schema does not know, as the API
    /// server's strict decoding names them (`spec.foo`); see
    /// [`crate::sim::api::field_validation`]. Only kinds the simulator
    /// types are checked, and only manifests in their stored version.
    pub fn unknown_fields(&self, value: &serde_json::Value) -> Vec<String> {
        let Ok(object) = self.decode(value.clone()) else { return Vec::new() };
        if matches!(object, crate::sim::Object::Generic(_)) {
            return Vec::new();
        }
        if conversion::storage_form(object.kind(), value.clone()) != *value {
            return Vec::new();
        }
        crate::sim::api::field_validation::unknown_fields(value, &object.to_value())
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
                    resource: None,
                });
            }
            self.custom_versions.push((s.kind, s.versions));
        }
    }

    /// The served versions of a custom kind, preferred first.
    pub fn custom_versions(&self, kind: Kind) -> &[crate::sim::crd::Version] {
        self.custom_versions.iter().find(|(k, _)| *k == kind).map_or(&[], |(_, v)| v.as_slice())
    }

    /// The kind of every served built-in resource version (typed and
    /// generically stored), in discovery order.
    pub fn builtin_kinds(&self) -> impl Iterator<Item = Kind> + '_ {
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
        assert_eq!(r.resolve("deployments.apps"), Some(Kind::Deployment));
        assert_eq!(r.resolve("po"), Some(Kind::Pod));
        assert_eq!(r.resolve("svc"), Some(Kind::Service));
        assert_eq!(r.resolve("hpa"), Some(Kind::HorizontalPodAutoscaler));
        assert_eq!(r.resolve("nodes"), Some(Kind::Node));
        assert_eq!(r.resolve("pods.apps"), None);
        assert_eq!(r.resolve("frobs"), None);
    }

    #[test]
    fn one_kind_across_served_versions() {
        let r = at(22);
        let v1 = r.for_manifest("policy/v1", "PodDisruptionBudget").unwrap();
        let beta = r.for_manifest("policy/v1beta1", "PodDisruptionBudget").unwrap();
        assert_eq!(v1, beta, "one storage for both versions");
        assert!(at(28).for_manifest("policy/v1beta1", "PodDisruptionBudget").is_none());
        assert_eq!(gap(v1), None, "the disruption controller acts on budgets");
        // Stored; the traffic they would filter is reported instead
        // (`traffic::enforces_network_policy`).
        assert_eq!(gap(r.resolve("networkpolicies").unwrap()), None);
        assert_eq!(gap(r.resolve("sc").unwrap()), None);
    }
}
