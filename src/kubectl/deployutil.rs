//! What kubectl works out about a Deployment's ReplicaSets
//! (`kubectl/pkg/util/deployment/deployment.go`): which ReplicaSets it owns,
//! which one is "new" (its template equals the Deployment's, ignoring
//! `pod-template-hash`), and revisions.

use k8s_openapi::api::{
    apps::v1::{Deployment, ReplicaSet},
    core::v1::PodTemplateSpec,
};

use super::labels::Selector;
use crate::sim::{Cluster, Kind, Object};

/// The pod-template-hash label.
pub const HASH_LABEL: &str = "pod-template-hash";
/// The revision annotation on Deployments and ReplicaSets.
pub const REVISION: &str = "deployment.kubernetes.io/revision";
/// `kubernetes.io/change-cause`.
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// The ReplicaSets a Deployment owns: selected by its selector and
/// controlled by it (`listReplicaSets`), sorted by creation time then name.
pub fn owned_replica_sets(cluster: &Cluster, d: &Deployment) -> Vec<ReplicaSet> {
    let ns = d.metadata.namespace.as_deref().unwrap_or("default");
    let selector = Selector::from_label_selector(d.spec.as_ref().map(|s| &s.selector));
    let uid = d.metadata.uid.as_deref();
    let name = d.metadata.name.as_deref().unwrap_or_default();
    let mut out: Vec<ReplicaSet> = cluster
        .list(Kind::ReplicaSet, Some(ns))
        .into_iter()
        .filter_map(|o| match o {
            Object::ReplicaSet(rs) => Some(rs.clone()),
            _ => None,
        })
        .filter(|rs| selector.matches(rs.metadata.labels.as_ref()))
        .filter(|rs| {
            rs.metadata.owner_references.iter().flatten().any(|o| {
                o.controller == Some(true)
                    && o.kind == "Deployment"
                    && match uid {
                        Some(uid) if !o.uid.is_empty() => o.uid == uid,
                        _ => o.name == name,
                    }
            })
        })
        .collect();
    out.sort_by(|a, b| {
        let ta = a.metadata.creation_timestamp.as_ref().map(|t| t.0);
        let tb = b.metadata.creation_timestamp.as_ref().map(|t| t.0);
        ta.cmp(&tb).then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
    out
}

/// `EqualIgnoreHash`: templates equal once `pod-template-hash` is removed
/// (empty and absent fields count as equal, as `Semantic.DeepEqual` does).
pub fn templates_equal(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    normalized(a) == normalized(b)
}

/// A template as JSON without the hash label and without empty values.
pub fn normalized(t: &PodTemplateSpec) -> serde_json::Value {
    let mut t = t.clone();
    if let Some(labels) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        labels.remove(HASH_LABEL);
    }
    let mut v = serde_json::to_value(&t).unwrap_or_default();
    strip_empty(&mut v);
    v
}

fn strip_empty(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for child in map.values_mut() {
                strip_empty(child);
            }
            map.retain(|_, child| !is_empty(child));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_empty),
        _ => {}
    }
}

fn is_empty(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => true,
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// `FindNewReplicaSet` and `FindOldReplicaSets`: the new ReplicaSet, the
/// old ones that still have replicas, and all old ones.
pub fn split_replica_sets(
    d: &Deployment,
    owned: &[ReplicaSet],
) -> (Option<ReplicaSet>, Vec<ReplicaSet>, Vec<ReplicaSet>) {
    let template = d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let new = owned
        .iter()
        .find(|rs| {
            rs.spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .is_some_and(|t| templates_equal(t, &template))
        })
        .cloned();
    let new_name = new.as_ref().and_then(|n| n.metadata.name.clone());
    let all_old: Vec<ReplicaSet> = owned
        .iter()
        .filter(|rs| rs.metadata.name != new_name || new_name.is_none())
        .cloned()
        .collect();
    let old = all_old
        .iter()
        .filter(|rs| rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1) != 0)
        .cloned()
        .collect();
    (new, old, all_old)
}

/// A ReplicaSet's revision annotation as a number (0 when absent).
pub fn revision(rs: &ReplicaSet) -> i64 {
    rs.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}
