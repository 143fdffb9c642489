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
    /// HorizontalPodAutoscaler, stored in the internal (autoscaling/v2)
    /// shape and served in every version (`sim::hpa_conversion`)
    HorizontalPodAutoscaler,
    /// discovery.k8s.io/v1 EndpointSlice
    EndpointSlice,
    /// A served resource without a typed model (RBAC, storage, policy
    /// kinds, custom resources): stored as JSON, printed by the generic
    /// printers. See [`Generic`].
    Other(Generic),
}

/// A resource known by its discovery facts alone.
///
/// Identity is the group and plural resource name, as in the apiserver's
/// storage key (`/registry/<group>/<resource>/…`): one stored object is
/// reachable through every served version of its group-resource, so two
/// `Generic`s that differ only in version (or short names) are the same
/// kind. The facts live in an intern pool ([`Generic::new`]) so that `Kind`
/// stays `Copy`; the pool is content-addressed, so nothing in the
/// simulator's output depends on the order things were interned in.
#[derive(Debug, Clone, Copy)]
pub struct Generic(&'static ResourceInfo<'static>);

impl Generic {
    /// The kind for these discovery facts.
    pub fn new(info: &ResourceInfo<'_>) -> Generic {
        Generic(intern(info))
    }

    /// The discovery facts.
    pub fn info(self) -> &'static ResourceInfo<'static> {
        self.0
    }

    fn key(&self) -> (&'static str, &'static str) {
        (self.0.group, self.0.plural)
    }
}

impl PartialEq for Generic {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Generic {}
impl PartialOrd for Generic {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Generic {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}
impl std::hash::Hash for Generic {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

/// The pool behind [`Generic`]: every distinct set of facts is leaked once
/// and shared. Bounded by the distinct resource definitions a process
/// meets (built-ins of the versions it runs, plus the CRDs its scenarios
/// create).
static POOL: std::sync::Mutex<Vec<&'static ResourceInfo<'static>>> =
    std::sync::Mutex::new(Vec::new());

fn intern(info: &ResourceInfo<'_>) -> &'static ResourceInfo<'static> {
    let mut pool = POOL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = pool.iter().find(|p| **p == info) {
        return found;
    }
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let short_names: Vec<&'static str> = info.short_names.iter().map(|s| leak(s)).collect();
    let interned: &'static ResourceInfo<'static> = Box::leak(Box::new(ResourceInfo {
        kind_name: leak(info.kind_name),
        plural: leak(info.plural),
        singular: leak(info.singular),
        short_names: Box::leak(short_names.into_boxed_slice()),
        group: leak(info.group),
        version: leak(info.version),
        namespaced: info.namespaced,
        custom_columns: info.custom_columns.map(|cols| {
            let cols: Vec<PrinterColumn<'static>> = cols
                .iter()
                .map(|c| PrinterColumn {
                    name: leak(c.name),
                    type_: leak(c.type_),
                    json_path: leak(c.json_path),
                    priority: c.priority,
                })
                .collect();
            &*Box::leak(cols.into_boxed_slice())
        }),
    }));
    pool.push(interned);
    interned
}

/// Discovery facts about one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceInfo<'a> {
    /// `Kind` as written in manifests (`Deployment`).
    pub kind_name: &'a str,
    /// Lower-case plural resource name (`deployments`).
    pub plural: &'a str,
    /// Lower-case singular (`deployment`).
    pub singular: &'a str,
    /// kubectl short names (`deploy`).
    pub short_names: &'a [&'a str],
    /// API group; empty for core.
    pub group: &'a str,
    /// API version within the group.
    pub version: &'a str,
    /// Namespaced or cluster-scoped.
    pub namespaced: bool,
    /// For a custom resource, the `additionalPrinterColumns` of the served
    /// version `get` reads (empty: the CRD default, `NAME  AGE`); `None`
    /// for built-in resources.
    pub custom_columns: Option<&'a [PrinterColumn<'a>]>,
}

/// One `additionalPrinterColumns` entry of a CustomResourceDefinition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PrinterColumn<'a> {
    /// Column name as defined (headers print it upper-cased).
    pub name: &'a str,
    /// OpenAPI type: `integer`, `number`, `string`, `boolean`, `date`.
    pub type_: &'a str,
    /// The JSONPath, relative to the object (`.spec.replicas`).
    pub json_path: &'a str,
    /// 0 = always shown; higher = `-o wide` only.
    pub priority: i32,
}

impl ResourceInfo<'_> {
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
) -> (Kind, ResourceInfo<'static>) {
    (
        kind,
        ResourceInfo {
            kind_name,
            plural,
            singular,
            short_names,
            group,
            version,
            namespaced,
            custom_columns: None,
        },
    )
}

/// Every kind, in `kubectl api-resources` order (core first, then by group).
pub const RESOURCES: &[(Kind, ResourceInfo<'static>)] = &[
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
        "v2",
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
    pub fn info(self) -> &'static ResourceInfo<'static> {
        if let Kind::Other(generic) = self {
            return generic.info();
        }
        RESOURCES
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, info)| info)
            .expect("every typed Kind has a RESOURCES row")
    }

    /// Whether this kind has a typed model in the simulator.
    pub fn is_typed(self) -> bool {
        !matches!(self, Kind::Other(_))
    }

    /// Finds the kind for a manifest's `apiVersion` and `kind`.
    pub fn from_manifest(api_version: &str, kind: &str) -> Option<Kind> {
        RESOURCES
            .iter()
            .find(|(_, r)| r.kind_name == kind && r.api_version() == api_version)
            .map(|(k, _)| *k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_messages_use() {
        let d = Kind::Deployment.info();
        assert_eq!(d.group_resource(), "deployments.apps");
        assert_eq!(d.qualified_singular(), "deployment.apps");
        assert_eq!(Kind::Pod.info().group_resource(), "pods");
        assert_eq!(Kind::from_manifest("apps/v1", "Deployment"), Some(Kind::Deployment));
    }
}
