//! What objects count against a ResourceQuota: the quota evaluators of
//! `pkg/quota/v1/evaluator/core` (pods, services, persistent volume
//! claims) and the generic object-count evaluator
//! (`apiserver/pkg/quota/v1/generic`, `count/<resource>.<group>`).
//! Quota admission ([`super::admission::resourcequota`]) and the quota
//! controller ([`super::controllers::resourcequota`]) both measure through
//! here, so that "usage" has one answer.

use std::collections::BTreeMap;

use k8s_openapi::{
    api::core::v1::{Container, LimitRange, Pod, ResourceQuota},
    jiff::Timestamp,
};

use super::{kind::Kind, object::Object, store::Store};
use crate::quantity::Quantity;

/// Resource names and amounts (`corev1.ResourceList`), sorted by name.
pub type ResourceList = BTreeMap<String, Quantity>;

/// The ResourceQuota kind (core/v1, stored generically).
pub fn quota_kind() -> Kind {
    static KIND: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| crate::sim::registry::builtin_kind("", "resourcequotas"))
}

/// The LimitRange kind (core/v1, stored generically).
pub fn limit_range_kind() -> Kind {
    static KIND: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| crate::sim::registry::builtin_kind("", "limitranges"))
}

/// The PersistentVolumeClaim kind (core/v1, stored generically).
pub fn pvc_kind() -> Kind {
    static KIND: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| crate::sim::registry::builtin_kind("", "persistentvolumeclaims"))
}

/// The ResourceQuotas of `namespace`, typed, by name.
pub fn quotas(store: &Store, namespace: &str) -> Vec<ResourceQuota> {
    store.list(quota_kind(), Some(namespace)).filter_map(typed).collect()
}

/// The LimitRanges of `namespace`, typed, by name.
pub fn limit_ranges(store: &Store, namespace: &str) -> Vec<LimitRange> {
    store.list(limit_range_kind(), Some(namespace)).filter_map(typed).collect()
}

/// A generically stored object as its k8s-openapi type.
pub fn typed<T: serde::de::DeserializeOwned>(object: &Object) -> Option<T> {
    serde_json::from_value(object.to_value()).ok()
}

/// A k8s-openapi resource list, parsed (unparseable entries are dropped:
/// validation rejects them before they are stored).
pub fn parse_list(
    list: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) -> ResourceList {
    list.into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), Quantity::parse(&v.0)?)))
        .collect()
}

/// A resource list as k8s-openapi quantities, in canonical text.
pub fn to_openapi(
    list: &ResourceList,
) -> BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity> {
    list.iter()
        .map(|(k, v)| {
            (k.clone(), k8s_openapi::apimachinery::pkg::api::resource::Quantity(v.to_string()))
        })
        .collect()
}

/// `quota.Add`: sums by name.
pub fn add(a: &ResourceList, b: &ResourceList) -> ResourceList {
    let mut out = a.clone();
    for (k, v) in b {
        let sum = out.get(k).map_or(*v, |have| have.plus(*v));
        out.insert(k.clone(), sum);
    }
    out
}

/// `quota.Mask`: only the named resources.
pub fn mask<'a>(list: &ResourceList, names: impl IntoIterator<Item = &'a String>) -> ResourceList {
    names.into_iter().filter_map(|n| Some((n.clone(), *list.get(n)?))).collect()
}

/// The object-count resource name of a kind: `count/pods`,
/// `count/deployments.apps` (`generic.ObjectCountQuotaResourceNameFor`).
fn count_name(kind: Kind) -> String {
    let info = kind.info();
    if info.group.is_empty() {
        format!("count/{}", info.plural)
    } else {
        format!("count/{}.{}", info.plural, info.group)
    }
}

/// Resources the pod evaluator handles (`podResources`).
const POD_RESOURCES: &[&str] = &[
    "count/pods",
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
];

/// The legacy (pre-`count/`) names of core object counts
/// (`pkg/quota/v1/evaluator/core/registry.go` legacyObjectCountAliases).
const LEGACY_COUNTS: &[(&str, &str)] = &[
    ("configmaps", "configmaps"),
    ("resourcequotas", "resourcequotas"),
    ("replicationcontrollers", "replicationcontrollers"),
    ("secrets", "secrets"),
];

/// Of `names` (a quota's hard resources), those that an object of `kind`
/// counts against (`Evaluator.MatchingResources`).
pub fn matching_resources<'a>(
    kind: Kind,
    names: impl IntoIterator<Item = &'a String>,
) -> Vec<String> {
    let info = kind.info();
    let count = count_name(kind);
    names
        .into_iter()
        .filter(|n| {
            **n == count
                || match kind {
                    Kind::Pod => {
                        POD_RESOURCES.contains(&n.as_str())
                            || n.starts_with("hugepages-")
                            || n.starts_with("requests.hugepages-")
                    }
                    Kind::Service => {
                        matches!(
                            n.as_str(),
                            "services" | "services.loadbalancers" | "services.nodeports"
                        )
                    }
                    _ if info.group.is_empty() && info.plural == "persistentvolumeclaims" => {
                        matches!(n.as_str(), "persistentvolumeclaims" | "requests.storage")
                            || n.ends_with(".storageclass.storage.k8s.io/requests.storage")
                            || n.ends_with(".storageclass.storage.k8s.io/persistentvolumeclaims")
                    }
                    _ => {
                        info.group.is_empty()
                            && LEGACY_COUNTS.iter().any(|(p, name)| *p == info.plural && n == name)
                    }
                }
        })
        .cloned()
        .collect()
}

/// Whether `object` falls within the quota's scopes
/// (`generic.Matches`): only pods have scopes; a scoped quota matches no
/// other kind (`MatchesNoScopeFunc`).
pub fn matches_scopes(quota: &ResourceQuota, object: &Object, now: Timestamp) -> bool {
    let spec = quota.spec.as_ref();
    let mut scopes: Vec<(&str, Option<&str>, Vec<String>)> = spec
        .and_then(|s| s.scopes.as_ref())
        .into_iter()
        .flatten()
        .map(|s| (s.as_str(), None, Vec::new()))
        .collect();
    if let Some(selector) = spec.and_then(|s| s.scope_selector.as_ref()) {
        for e in selector.match_expressions.iter().flatten() {
            scopes.push((
                e.scope_name.as_str(),
                Some(e.operator.as_str()),
                e.values.clone().unwrap_or_default(),
            ));
        }
    }
    if scopes.is_empty() {
        return true;
    }
    let Object::Pod(pod) = object else { return false };
    let _ = now;
    scopes.iter().all(|(scope, op, values)| {
        let spec = pod.spec.as_ref();
        match *scope {
            "Terminating" => spec.and_then(|s| s.active_deadline_seconds).is_some_and(|d| d >= 0),
            "NotTerminating" => spec.and_then(|s| s.active_deadline_seconds).is_none_or(|d| d < 0),
            "BestEffort" => is_best_effort(pod),
            "NotBestEffort" => !is_best_effort(pod),
            "PriorityClass" => {
                let class = spec.and_then(|s| s.priority_class_name.as_deref()).unwrap_or_default();
                match op.unwrap_or("Exists") {
                    "Exists" => !class.is_empty(),
                    "DoesNotExist" => class.is_empty(),
                    "In" => values.iter().any(|v| v == class),
                    "NotIn" => !values.iter().any(|v| v == class),
                    _ => false,
                }
            }
            _ => false,
        }
    })
}

/// `qos.GetPodQOS(pod) == BestEffort` ([`super::qos`]).
fn is_best_effort(pod: &Pod) -> bool {
    super::qos::class(pod) == "BestEffort"
}

/// What `object` uses (`Evaluator.Usage`), at `now`.
pub fn usage(object: &Object, now: Timestamp) -> ResourceList {
    let mut out = ResourceList::new();
    out.insert(count_name(object.kind()), Quantity::count(1));
    match object {
        Object::Pod(pod) if counts_compute(pod, now) => {
            let (requests, limits) = pod_requests_and_limits(pod);
            out = add(&out, &compute_usage(&requests, &limits));
        }
        Object::Service(svc) => {
            out.insert("services".to_owned(), Quantity::count(1));
            let spec = svc.spec.as_ref();
            let type_ = spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP");
            let ports = spec.and_then(|s| s.ports.as_ref()).map_or(0, Vec::len) as i64;
            // `pkg/quota/v1/evaluator/core/services.go`: a LoadBalancer
            // counts its node ports too.
            let (lb, np) = match type_ {
                "LoadBalancer" => (1, ports),
                "NodePort" => (0, ports),
                _ => (0, 0),
            };
            out.insert("services.loadbalancers".to_owned(), Quantity::count(lb));
            out.insert("services.nodeports".to_owned(), Quantity::count(np));
        }
        Object::ConfigMap(_) => {
            out.insert("configmaps".to_owned(), Quantity::count(1));
        }
        Object::Secret(_) => {
            out.insert("secrets".to_owned(), Quantity::count(1));
        }
        Object::Generic(g) if g.kind.info().group.is_empty() => match g.kind.info().plural {
            "resourcequotas" | "replicationcontrollers" => {
                out.insert(g.kind.info().plural.to_owned(), Quantity::count(1));
            }
            "persistentvolumeclaims" => {
                out.insert("persistentvolumeclaims".to_owned(), Quantity::count(1));
                let storage = g
                    .fields
                    .get("spec")
                    .and_then(|s| s.pointer("/resources/requests/storage"))
                    .and_then(|q| q.as_str())
                    .and_then(Quantity::parse);
                if let Some(storage) = storage {
                    out.insert("requests.storage".to_owned(), storage);
                }
                let class = g
                    .fields
                    .get("spec")
                    .and_then(|s| s.get("storageClassName"))
                    .and_then(|c| c.as_str());
                if let Some(class) = class {
                    let prefix = format!("{class}.storageclass.storage.k8s.io/");
                    out.insert(format!("{prefix}persistentvolumeclaims"), Quantity::count(1));
                    if let Some(storage) = storage {
                        out.insert(format!("{prefix}requests.storage"), storage);
                    }
                }
            }
            _ => {}
        },
        _ => {}
    }
    out
}

/// `QuotaV1Pod`: terminal pods, and pods past their deletion grace
/// period, no longer count compute resources (their object count stays).
fn counts_compute(pod: &Pod, now: Timestamp) -> bool {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or_default();
    if matches!(phase, "Succeeded" | "Failed") {
        return false;
    }
    match (&pod.metadata.deletion_timestamp, pod.metadata.deletion_grace_period_seconds) {
        (Some(at), Some(grace)) => super::time::add_secs(at.0, grace) >= now,
        _ => true,
    }
}

/// `resourcehelper.PodRequests` / `PodLimits`: the containers' sum, or the
/// largest init container's if larger.
pub fn pod_requests_and_limits(pod: &Pod) -> (ResourceList, ResourceList) {
    let Some(spec) = pod.spec.as_ref() else { return Default::default() };
    let of = |c: &Container, limits: bool| {
        let r = c.resources.as_ref();
        parse_list(if limits {
            r.and_then(|r| r.limits.as_ref())
        } else {
            r.and_then(|r| r.requests.as_ref())
        })
    };
    let mut out = (ResourceList::new(), ResourceList::new());
    for c in &spec.containers {
        out.0 = add(&out.0, &of(c, false));
        out.1 = add(&out.1, &of(c, true));
    }
    for c in spec.init_containers.iter().flatten() {
        for (list, init) in [(&mut out.0, of(c, false)), (&mut out.1, of(c, true))] {
            for (k, v) in init {
                if list.get(&k).is_none_or(|have| *have < v) {
                    list.insert(k, v);
                }
            }
        }
    }
    if let Some(overhead) = spec.overhead.as_ref() {
        let overhead = parse_list(Some(overhead));
        out.0 = add(&out.0, &overhead);
        let limited: Vec<String> = out.1.keys().cloned().collect();
        out.1 = add(&out.1, &mask(&overhead, &limited));
    }
    out
}

/// `podComputeUsageHelper`.
pub fn compute_usage(requests: &ResourceList, limits: &ResourceList) -> ResourceList {
    let mut out = ResourceList::new();
    out.insert("pods".to_owned(), Quantity::count(1));
    for (name, request_names, limit_name) in [
        ("cpu", ["cpu", "requests.cpu"], "limits.cpu"),
        ("memory", ["memory", "requests.memory"], "limits.memory"),
        (
            "ephemeral-storage",
            ["ephemeral-storage", "requests.ephemeral-storage"],
            "limits.ephemeral-storage",
        ),
    ] {
        if let Some(r) = requests.get(name) {
            for n in request_names {
                out.insert(n.to_owned(), *r);
            }
        }
        if let Some(l) = limits.get(name) {
            out.insert(limit_name.to_owned(), *l);
        }
    }
    for (name, r) in requests {
        if name.starts_with("hugepages-") {
            out.insert(name.clone(), *r);
            out.insert(format!("requests.{name}"), *r);
        } else if is_extended(name) {
            out.insert(format!("requests.{name}"), *r);
        }
    }
    out
}

/// `helper.IsExtendedResourceName`: a domain-qualified name outside
/// `kubernetes.io` that is not a `requests.` name.
fn is_extended(name: &str) -> bool {
    name.contains('/') && !name.contains("kubernetes.io/") && !name.starts_with("requests.")
}

/// The usage of every object in `namespace` that counts against `quota`,
/// for each of its hard resources (`quota.CalculateUsage`). Resources no
/// evaluator knows get no entry.
pub fn calculate_usage(store: &Store, quota: &ResourceQuota, now: Timestamp) -> ResourceList {
    let namespace = quota.metadata.namespace.as_deref().unwrap_or("default");
    let hard = parse_list(quota.spec.as_ref().and_then(|s| s.hard.as_ref()));
    let names: Vec<String> = hard.keys().cloned().collect();
    let mut used = ResourceList::new();
    let mut kinds: Vec<Kind> = store.kinds().collect();
    for k in [Kind::Pod, Kind::Service, Kind::ConfigMap, Kind::Secret, quota_kind(), pvc_kind()] {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    for kind in kinds {
        if !kind.info().namespaced {
            continue;
        }
        let matching = matching_resources(kind, &names);
        if matching.is_empty() {
            continue;
        }
        for n in &matching {
            used.entry(n.clone()).or_insert(Quantity::ZERO);
        }
        for object in store.list(kind, Some(namespace)) {
            if matches_scopes(quota, object, now) {
                used = add(&used, &mask(&usage(object, now), &matching));
            }
        }
    }
    used
}
