//! The legacy output order (`api/internal/builtins/SortOrderTransformer.go`
//! `legacyIDSorter`), which kubectl's kustomize applies when the
//! kustomization sets no `sortOptions`: kinds in a fixed order first and
//! last, the rest by group, version and kind; within a kind by id.

use std::cmp::Ordering;

use super::{Gvk, ResId, Resource};

/// `defaultOrderFirst`.
const FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// `defaultOrderLast`.
const LAST: &[&str] = &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

/// Sorts the build's objects.
pub fn legacy(resources: &mut [Resource]) {
    resources.sort_by(|a, b| compare(&a.cur_id(), &b.cur_id()));
}

fn rank(kind: &str) -> i64 {
    if let Some(i) = FIRST.iter().position(|k| *k == kind) {
        return i as i64 - FIRST.len() as i64;
    }
    LAST.iter().position(|k| *k == kind).map_or(0, |i| i as i64 + 1)
}

/// `legacyGVKSortString`.
fn gvk_key(g: &Gvk) -> String {
    let or =
        |s: &str, none: &'static str| if s.is_empty() { none.to_owned() } else { s.to_owned() };
    format!("{}_{}_{}", or(&g.group, "~G"), or(&g.version, "~V"), or(&g.kind, "~K"))
}

/// `legacyResIDSortString`.
fn id_key(id: &ResId) -> String {
    let or =
        |s: &str, none: &'static str| if s.is_empty() { none.to_owned() } else { s.to_owned() };
    format!("{}|{}|{}", id.gvk.id_string(), or(&id.namespace, "~X"), or(&id.name, "~N"))
}

fn compare(a: &ResId, b: &ResId) -> Ordering {
    if a.gvk != b.gvk {
        let (ra, rb) = (rank(&a.gvk.kind), rank(&b.gvk.kind));
        if ra != rb {
            return ra.cmp(&rb);
        }
        if a.gvk.kind == "Namespace"
            && b.gvk.kind == "Namespace"
            && (a.gvk.group.is_empty() || b.gvk.group.is_empty())
        {
            return gvk_key(&b.gvk).cmp(&gvk_key(&a.gvk));
        }
        return gvk_key(&a.gvk).cmp(&gvk_key(&b.gvk));
    }
    id_key(a).cmp(&id_key(b))
}
