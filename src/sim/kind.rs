//! The resource kinds the simulator serves, with their discovery facts
//! (plural, short names, group, scope) — what `kubectl api-resources` lists.
//! One table; everything else looks kinds up here.

/// A resource kind the simulator knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// core/v1 Namespace
    Namespace,
    /// core/v1 Node
    Node,
    /// core/v1 Pod
    Pod,
    /// core/v1 Service
    Service,
    /// core/v1 Endpoints
    Endpoints,
    /// core/v1 Event
    Event,
    /// core/v1 ConfigMap
    ConfigMap,
    /// core/v1 Secret
    Secret,
    /// core/v1 ServiceAccount
    ServiceAccount,
    /// apps/v1 Deployment
    Deployment,
    /// apps/v1 ReplicaSet
    ReplicaSet,
    /// apps/v1 DaemonSet
    DaemonSet,
    /// apps/v1 ControllerRevision
    ControllerRevision,
    /// batch/v1 Job
    Job,
    /// batch/v1 CronJob
    CronJob,
    /// autoscaling/v1 HorizontalPodAutoscaler
    HorizontalPodAutoscaler,
    /// discovery.k8s.io/v1 EndpointSlice
    EndpointSlice,
}

/// Discovery facts about one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceInfo {
    /// The kind.
    pub kind: Kind,
    /// `Kind` as written in manifests (`Deployment`).
    pub kind_name: &'static str,
    /// Lower-case plural resource name (`deployments`).
    pub plural: &'static str,
    /// Lower-case singular (`deployment`).
    pub singular: &'static str,
    /// kubectl short names (`deploy`).
    pub short_names: &'static [&'static str],
    /// API group; empty for core.
    pub group: &'static str,
    /// API version within the group.
    pub version: &'static str,
    /// Namespaced or cluster-scoped.
    pub namespaced: bool,
}

impl ResourceInfo {
    /// `apiVersion` as written in manifests (`apps/v1`, `v1`).
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_owned()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `plural[.group]`, as in API error messages (`deployments.apps`, `pods`).
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_owned()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// `singular[.group]`, as in kubectl's name printer (`deployment.apps`, `pod`).
    pub fn qualified_singular(&self) -> String {
        if self.group.is_empty() {
            self.singular.to_owned()
        } else {
            format!("{}.{}", self.singular, self.group)
        }
    }
}

#[allow(clippy::too_many_arguments)]
const fn info(
    kind: Kind,
    kind_name: &'static str,
    plural: &'static str,
    singular: &'static str,
    short_names: &'static [&'static str],
    group: &'static str,
    version: &'static str,
    namespaced: bool,
) -> ResourceInfo {
    ResourceInfo { kind, kind_name, plural, singular, short_names, group, version, namespaced }
}

/// Every kind, in `kubectl api-resources` order (core first, then by group).
pub const RESOURCES: &[ResourceInfo] = &[
    info(Kind::ConfigMap, "ConfigMap", "configmaps", "configmap", &["cm"], "", "v1", true),
    info(Kind::Endpoints, "Endpoints", "endpoints", "endpoints", &["ep"], "", "v1", true),
    info(Kind::Event, "Event", "events", "event", &["ev"], "", "v1", true),
    info(Kind::Namespace, "Namespace", "namespaces", "namespace", &["ns"], "", "v1", false),
    info(Kind::Node, "Node", "nodes", "node", &["no"], "", "v1", false),
    info(Kind::Pod, "Pod", "pods", "pod", &["po"], "", "v1", true),
    info(Kind::Secret, "Secret", "secrets", "secret", &[], "", "v1", true),
    info(
        Kind::ServiceAccount,
        "ServiceAccount",
        "serviceaccounts",
        "serviceaccount",
        &["sa"],
        "",
        "v1",
        true,
    ),
    info(Kind::Service, "Service", "services", "service", &["svc"], "", "v1", true),
    info(
        Kind::ControllerRevision,
        "ControllerRevision",
        "controllerrevisions",
        "controllerrevision",
        &[],
        "apps",
        "v1",
        true,
    ),
    info(Kind::DaemonSet, "DaemonSet", "daemonsets", "daemonset", &["ds"], "apps", "v1", true),
    info(
        Kind::Deployment,
        "Deployment",
        "deployments",
        "deployment",
        &["deploy"],
        "apps",
        "v1",
        true,
    ),
    info(Kind::ReplicaSet, "ReplicaSet", "replicasets", "replicaset", &["rs"], "apps", "v1", true),
    info(
        Kind::HorizontalPodAutoscaler,
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        "horizontalpodautoscaler",
        &["hpa"],
        "autoscaling",
        "v1",
        true,
    ),
    info(Kind::CronJob, "CronJob", "cronjobs", "cronjob", &["cj"], "batch", "v1", true),
    info(Kind::Job, "Job", "jobs", "job", &[], "batch", "v1", true),
    info(
        Kind::EndpointSlice,
        "EndpointSlice",
        "endpointslices",
        "endpointslice",
        &[],
        "discovery.k8s.io",
        "v1",
        true,
    ),
];

impl Kind {
    /// The discovery facts of this kind.
    pub fn info(self) -> &'static ResourceInfo {
        RESOURCES.iter().find(|r| r.kind == self).expect("every Kind has a RESOURCES row")
    }

    /// Resolves what a user may type for a resource type: plural, singular,
    /// short name or Kind, optionally qualified by group (`deployments.apps`).
    pub fn resolve(name: &str) -> Option<Kind> {
        let lower = name.to_ascii_lowercase();
        let (base, group) = match lower.split_once('.') {
            Some((b, g)) => (b.to_owned(), Some(g.to_owned())),
            None => (lower, None),
        };
        RESOURCES
            .iter()
            .find(|r| {
                let name_ok = r.plural == base
                    || r.singular == base
                    || r.short_names.contains(&base.as_str())
                    || r.kind_name.eq_ignore_ascii_case(&base);
                let group_ok = match &group {
                    None => true,
                    Some(g) => {
                        r.group == g
                            || g.starts_with(&format!("{}.", r.version)) && r.group.is_empty()
                    }
                };
                name_ok && group_ok
            })
            .map(|r| r.kind)
    }

    /// Finds the kind for a manifest's `apiVersion` and `kind`.
    pub fn from_manifest(api_version: &str, kind: &str) -> Option<Kind> {
        RESOURCES
            .iter()
            .find(|r| r.kind_name == kind && r.api_version() == api_version)
            .map(|r| r.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_aliases_and_groups() {
        assert_eq!(Kind::resolve("deploy"), Some(Kind::Deployment));
        assert_eq!(Kind::resolve("deployments.apps"), Some(Kind::Deployment));
        assert_eq!(Kind::resolve("po"), Some(Kind::Pod));
        assert_eq!(Kind::resolve("svc"), Some(Kind::Service));
        assert_eq!(Kind::resolve("hpa"), Some(Kind::HorizontalPodAutoscaler));
        assert_eq!(Kind::resolve("nodes"), Some(Kind::Node));
        assert_eq!(Kind::resolve("frobs"), None);
        assert_eq!(Kind::resolve("pods.apps"), None);
    }

    #[test]
    fn names_messages_use() {
        let d = Kind::Deployment.info();
        assert_eq!(d.group_resource(), "deployments.apps");
        assert_eq!(d.qualified_singular(), "deployment.apps");
        assert_eq!(Kind::Pod.info().group_resource(), "pods");
        assert_eq!(Kind::from_manifest("apps/v1", "Deployment"), Some(Kind::Deployment));
    }
}
