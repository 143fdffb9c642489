//! What server-side apply's field manager needs of a kind's schema: which
//! lists are keyed (`+listType=map` with `+listMapKey`s, or the
//! `patchMergeKey` the OpenAPI turns into one), which are sets or atomic,
//! which maps and structs are atomic (`+mapType=atomic`,
//! `+structType=atomic`), and which fields a Go zero value of the type
//! already holds (non-pointer structs and fields without `omitempty`:
//! the live object a create is compared against is `scope.Creater.New()`,
//! so those nodes count as present and get no `.` of their own).
//!
//! Read from `k8s.io/api/{core,apps,batch}/v1/types.go` and
//! `apimachinery/pkg/apis/meta/v1/types.go` (v0.33.13). Kinds outside
//! [`root`] are not modelled: their managed fields are not tracked.

use crate::sim::Kind;

/// The type of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A scalar, or a value the schema makes atomic: owned as a whole.
    Leaf,
    /// A struct with granular fields.
    Struct(S),
    /// A map whose entries are leaves (`labels`, `data`, `limits`).
    Map,
    /// A list of structs keyed by these fields.
    ListMap(&'static [&'static str], S),
    /// A list of scalars, each owned by value (`+listType=set`).
    ListSet,
}

/// The structs the field manager knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S {
    /// A top-level object of a kind.
    Root(Kind),
    /// `metav1.ObjectMeta`.
    Meta,
    /// `metav1.OwnerReference` and other structs of plain fields: objects
    /// granular, lists atomic.
    Plain,
    DeploymentSpec,
    ReplicaSetSpec,
    DaemonSetSpec,
    JobSpec,
    CronJobSpec,
    JobTemplateSpec,
    PodTemplateSpec,
    PodSpec,
    Container,
    ServiceSpec,
    NamespaceSpec,
}

/// The root struct of `kind`, when its managed fields are modelled.
pub fn root(kind: Kind) -> Option<Ty> {
    matches!(
        kind,
        Kind::Pod
            | Kind::Deployment
            | Kind::ReplicaSet
            | Kind::DaemonSet
            | Kind::Job
            | Kind::CronJob
            | Kind::Service
            | Kind::ConfigMap
            | Kind::Secret
            | Kind::Namespace
            | Kind::ServiceAccount
    )
    .then_some(Ty::Struct(S::Root(kind)))
}

/// Whether writes to the main resource leave `status` alone (the kind's
/// registry strategy resets it: `GetResetFields`).
pub fn status_is_reset(kind: Kind) -> bool {
    !matches!(kind, Kind::ConfigMap | Kind::Secret | Kind::ServiceAccount)
}

const NAME: &[&str] = &["name"];

/// A field of struct `s`: its type and whether a Go zero value holds it.
pub fn field(s: S, name: &str) -> (Ty, bool) {
    use Ty::*;
    let st = |x: S| Struct(x);
    match (s, name) {
        (S::Root(_), "metadata") => (st(S::Meta), true),
        (S::Root(Kind::Deployment), "spec") => (st(S::DeploymentSpec), true),
        (S::Root(Kind::ReplicaSet), "spec") => (st(S::ReplicaSetSpec), true),
        (S::Root(Kind::DaemonSet), "spec") => (st(S::DaemonSetSpec), true),
        (S::Root(Kind::Job), "spec") => (st(S::JobSpec), true),
        (S::Root(Kind::CronJob), "spec") => (st(S::CronJobSpec), true),
        (S::Root(Kind::Pod), "spec") => (st(S::PodSpec), true),
        (S::Root(Kind::Service), "spec") => (st(S::ServiceSpec), true),
        (S::Root(Kind::Namespace), "spec") => (st(S::NamespaceSpec), true),
        (S::Root(k), "status") if status_is_reset(k) => (st(S::Plain), true),
        (S::Root(Kind::ConfigMap | Kind::Secret), "data" | "binaryData" | "stringData") => {
            (Map, false)
        }
        (S::Root(Kind::ServiceAccount), "secrets") => (ListMap(NAME, S::Plain), false),
        (S::Root(Kind::ServiceAccount), "imagePullSecrets") => (ListMap(NAME, S::Plain), false),
        (S::Meta, "labels" | "annotations") => (Map, false),
        (S::Meta, "finalizers") => (ListSet, false),
        (S::Meta, "ownerReferences") => (ListMap(&["uid"], S::Plain), false),
        (S::Meta, "creationTimestamp") => (Leaf, true),
        (S::DeploymentSpec, "strategy") => (st(S::Plain), true),
        (S::DaemonSetSpec, "updateStrategy") => (st(S::Plain), true),
        (S::DeploymentSpec | S::ReplicaSetSpec | S::DaemonSetSpec | S::JobSpec, "template") => {
            (st(S::PodTemplateSpec), true)
        }
        // `metav1.LabelSelector` is `+structType=atomic`.
        (S::DeploymentSpec | S::ReplicaSetSpec | S::DaemonSetSpec | S::JobSpec, "selector") => {
            (Leaf, false)
        }
        (S::CronJobSpec, "jobTemplate") => (st(S::JobTemplateSpec), true),
        (S::CronJobSpec, "schedule") => (Leaf, true),
        (S::JobTemplateSpec, "metadata") => (st(S::Meta), true),
        (S::JobTemplateSpec, "spec") => (st(S::JobSpec), true),
        (S::PodTemplateSpec, "metadata") => (st(S::Meta), true),
        (S::PodTemplateSpec, "spec") => (st(S::PodSpec), true),
        (S::PodSpec, "containers") => (ListMap(NAME, S::Container), true),
        (S::PodSpec, "initContainers" | "ephemeralContainers") => {
            (ListMap(NAME, S::Container), false)
        }
        (S::PodSpec, "volumes" | "imagePullSecrets" | "resourceClaims" | "schedulingGates") => {
            (ListMap(NAME, S::Plain), false)
        }
        (S::PodSpec, "hostAliases") => (ListMap(&["ip"], S::Plain), false),
        (S::PodSpec, "topologySpreadConstraints") => {
            (ListMap(&["topologyKey", "whenUnsatisfiable"], S::Plain), false)
        }
        (S::PodSpec, "nodeSelector") => (Leaf, false),
        (S::Container, "ports") => (ListMap(&["containerPort", "protocol"], S::Plain), false),
        (S::Container, "env") => (ListMap(NAME, S::Plain), false),
        (S::Container, "volumeMounts") => (ListMap(&["mountPath"], S::Plain), false),
        (S::Container, "volumeDevices") => (ListMap(&["devicePath"], S::Plain), false),
        (S::Container, "resizePolicy") => (ListMap(&["resourceName"], S::Plain), false),
        (S::ServiceSpec, "ports") => (ListMap(&["port", "protocol"], S::Plain), false),
        // `+mapType=atomic`.
        (S::ServiceSpec, "selector") => (Leaf, false),
        // Every other list is atomic; every other object a granular struct
        // (or map: both are JSON objects with the same ownership rules).
        _ => (Ty::Struct(S::Plain), false),
    }
}

/// The JSON of a Go zero value of `ty`'s struct: the nodes a create is
/// compared against.
pub fn zero(ty: Ty) -> serde_json::Value {
    use serde_json::Value;
    let Ty::Struct(s) = ty else { return Value::Null };
    let names: &[&str] = match s {
        S::Root(k) if status_is_reset(k) => &["metadata", "spec", "status"],
        S::Root(_) => &["metadata"],
        S::Meta => &["creationTimestamp"],
        S::DeploymentSpec => &["template", "strategy"],
        S::ReplicaSetSpec | S::JobSpec => &["template"],
        S::DaemonSetSpec => &["template", "updateStrategy"],
        S::CronJobSpec => &["jobTemplate"],
        S::JobTemplateSpec | S::PodTemplateSpec => &["metadata", "spec"],
        S::PodSpec => &["containers"],
        _ => &[],
    };
    let mut m = serde_json::Map::new();
    for n in names {
        let (t, _) = field(s, n);
        m.insert((*n).to_owned(), zero(t));
    }
    // Kinds without a spec struct of their own have no `spec` zero.
    if let S::Root(k) = s
        && matches!(k, Kind::ConfigMap | Kind::Secret | Kind::ServiceAccount)
    {
        m.remove("spec");
    }
    Value::Object(m)
}
