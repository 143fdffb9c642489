//! Tables of the workload kinds stored generically: StatefulSet,
//! ReplicationController, PodTemplate, PodDisruptionBudget
//! (`printStatefulSet`, `printReplicationController`, `printPodTemplate`,
//! `printPodDisruptionBudget`, `pkg/printers/internalversion/printers.go`).

use super::{Handler, c, container_cells, int_or_string, string_map, w};
use crate::kubectl::labels::format_labels;
use crate::version::Fact;

/// `statefulSetColumnDefinitions`: v1.13 replaced Desired and Current with
/// Ready (`ready/desired`).
pub(super) const STATEFUL_SET: Handler = Handler {
    columns: |env| {
        if !env.has(Fact::StatefulSetReadyColumn) {
            return vec![
                c("Name"),
                c("Desired"),
                c("Current"),
                c("Age"),
                w("Containers"),
                w("Images"),
            ];
        }
        vec![c("Name"), c("Ready"), c("Age"), w("Containers"), w("Images")]
    },
    cells: |row, env| {
        let desired = row.int(&["spec", "replicas"]);
        let (names, images) =
            container_cells(row.array(&["spec", "template", "spec", "containers"]));
        if !env.has(Fact::StatefulSetReadyColumn) {
            let current = row.int(&["status", "replicas"]);
            return vec![
                row.name(),
                desired.to_string(),
                current.to_string(),
                row.age(env),
                names,
                images,
            ];
        }
        let ready = row.int(&["status", "readyReplicas"]);
        vec![row.name(), format!("{ready}/{desired}"), row.age(env), names, images]
    },
};

/// `replicationControllerColumnDefinitions`.
pub(super) const REPLICATION_CONTROLLER: Handler = Handler {
    columns: |_| {
        vec![
            c("Name"),
            c("Desired"),
            c("Current"),
            c("Ready"),
            c("Age"),
            w("Containers"),
            w("Images"),
            w("Selector"),
        ]
    },
    cells: |row, env| {
        let (names, images) =
            container_cells(row.array(&["spec", "template", "spec", "containers"]));
        vec![
            row.name(),
            row.int(&["spec", "replicas"]).to_string(),
            row.int(&["status", "replicas"]).to_string(),
            row.int(&["status", "readyReplicas"]).to_string(),
            row.age(env),
            names,
            images,
            format_labels(string_map(row.get(&["spec", "selector"])).as_ref()),
        ]
    },
};

/// `podTemplateColumnDefinitions` (no Age column).
pub(super) const POD_TEMPLATE: Handler = Handler {
    columns: |_| vec![c("Name"), c("Containers"), c("Images"), c("Pod Labels")],
    cells: |row, _| {
        let (names, images) = container_cells(row.array(&["template", "spec", "containers"]));
        let labels = string_map(row.get(&["template", "metadata", "labels"]));
        vec![row.name(), names, images, format_labels(labels.as_ref())]
    },
};

/// `podDisruptionBudgetColumnDefinitions`: `N/A` for an unset bound.
pub(super) const POD_DISRUPTION_BUDGET: Handler = Handler {
    columns: |_| {
        vec![
            c("Name"),
            c("Min Available"),
            c("Max Unavailable"),
            c("Allowed Disruptions"),
            c("Age"),
        ]
    },
    cells: |row, env| {
        let bound =
            |key: &str| row.get(&["spec", key]).map_or_else(|| "N/A".to_owned(), int_or_string);
        vec![
            row.name(),
            bound("minAvailable"),
            bound("maxUnavailable"),
            row.int(&["status", "disruptionsAllowed"]).to_string(),
            row.age(env),
        ]
    },
};
