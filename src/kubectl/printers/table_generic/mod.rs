//! `kubectl get` tables of the kinds the simulator stores generically
//! ([`GenericObject`]): the per-kind handlers of
//! `pkg/printers/internalversion/printers.go` (`AddHandlers`), reading the
//! object's JSON, and the API server's default table convertor for kinds
//! with no handler.
//!
//! Built-in resources whose storage registers no table convertor of its own
//! get `rest.NewDefaultTableConvertor`
//! (`staging/src/k8s.io/apiserver/pkg/registry/rest/table.go`): a `Name`
//! column and a `Created At` column holding the creation time in RFC 3339,
//! UTC.
//!
//! The API server builds every table with `GenerateOptions{Wide: true}`
//! (`pkg/printers/storage/storage.go`): handlers that add cells only when
//! wide always add them; kubectl hides priority-1 columns itself.
//!
//! Custom resources print their CRD's columns ([`custom`]); RBAC bindings
//! have their own module ([`rbac`]), and so do ResourceQuotas
//! ([`resourcequota`]). The handlers
//! of built-ins are grouped by what the kinds are: [`workloads`],
//! [`storage`], [`networking`], [`cluster`] (scheduling, leases,
//! certificates, runtime classes, component statuses) and [`apiserver`]
//! (the API server's own configuration: webhooks, flow control,
//! APIServices).

mod apiserver;
mod cluster;
mod custom;
mod networking;
mod rbac;
mod resourcequota;
mod storage;
mod workloads;

use serde_json::{Map, Value};
pub(in crate::kubectl::printers) use storage::access_modes;
pub(in crate::kubectl::printers) use storage::is_default_class_annotation;

use super::{
    duration::since,
    table::{Column, Env},
    timestamp::rfc3339,
};
use crate::sim::{GenericObject, kind::Generic};

/// `rest.NewDefaultTableConvertor`'s columns.
const DEFAULT_COLUMNS: &[Column] =
    &[Column { name: "Name", priority: 0 }, Column { name: "Created At", priority: 0 }];

/// One kind's table handler: its column definitions and its row function,
/// both by the cluster's version.
pub(super) struct Handler {
    columns: fn(&Env) -> Vec<Column>,
    cells: fn(&Row<'_>, &Env) -> Vec<String>,
}

/// The handler printers.go registers for `kind`, if any. Kinds are matched
/// by group and kind: a group-resource served under several versions is one
/// kind, and the old `extensions` group's Ingress and NetworkPolicy print
/// with the same handlers as `networking.k8s.io`'s.
fn handler(kind: Generic) -> Option<&'static Handler> {
    let info = kind.info();
    Some(match (info.group, info.kind_name) {
        ("", "PersistentVolume") => &storage::PERSISTENT_VOLUME,
        ("", "PersistentVolumeClaim") => &storage::PERSISTENT_VOLUME_CLAIM,
        ("", "ReplicationController") => &workloads::REPLICATION_CONTROLLER,
        ("", "PodTemplate") => &workloads::POD_TEMPLATE,
        ("", "ComponentStatus") => &cluster::COMPONENT_STATUS,
        ("apps", "StatefulSet") => &workloads::STATEFUL_SET,
        ("policy", "PodDisruptionBudget") => &workloads::POD_DISRUPTION_BUDGET,
        ("networking.k8s.io" | "extensions", "Ingress") => &networking::INGRESS,
        ("networking.k8s.io", "IngressClass") => &networking::INGRESS_CLASS,
        ("networking.k8s.io" | "extensions", "NetworkPolicy") => &networking::NETWORK_POLICY,
        ("storage.k8s.io", "StorageClass") => &storage::STORAGE_CLASS,
        ("storage.k8s.io", "VolumeAttachment") => &storage::VOLUME_ATTACHMENT,
        ("storage.k8s.io", "CSIDriver") => &storage::CSI_DRIVER,
        ("storage.k8s.io", "CSINode") => &storage::CSI_NODE,
        ("storage.k8s.io", "CSIStorageCapacity") => &storage::CSI_STORAGE_CAPACITY,
        ("scheduling.k8s.io", "PriorityClass") => &cluster::PRIORITY_CLASS,
        ("node.k8s.io", "RuntimeClass") => &cluster::RUNTIME_CLASS,
        ("coordination.k8s.io", "Lease") => &cluster::LEASE,
        ("certificates.k8s.io", "CertificateSigningRequest") => {
            &cluster::CERTIFICATE_SIGNING_REQUEST
        }
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration")
        | ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration") => {
            &apiserver::WEBHOOK_CONFIGURATION
        }
        ("flowcontrol.apiserver.k8s.io", "FlowSchema") => &apiserver::FLOW_SCHEMA,
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration") => {
            &apiserver::PRIORITY_LEVEL_CONFIGURATION
        }
        ("apiregistration.k8s.io", "APIService") => &apiserver::API_SERVICE,
        _ => return None,
    })
}

/// The columns of a generically stored kind's table.
pub fn columns(kind: Generic, env: &Env) -> Vec<Column> {
    if let Some(printer_columns) = kind.info().custom_columns {
        return custom::columns(printer_columns);
    }
    if rbac::is_binding(kind.info().kind_name) {
        return rbac::BINDING_COLUMNS.to_vec();
    }
    if is_quota(kind) && resourcequota::applies(env) {
        return resourcequota::columns(env);
    }
    match handler(kind) {
        Some(h) => (h.columns)(env),
        None => DEFAULT_COLUMNS.to_vec(),
    }
}

/// The cells of one generically stored object's row.
pub fn cells(object: &GenericObject, env: &Env) -> Vec<String> {
    if let Some(printer_columns) = object.kind.info().custom_columns {
        return custom::cells(object, printer_columns, env);
    }
    if rbac::is_binding(object.kind.info().kind_name) {
        return rbac::binding_cells(object, env);
    }
    if is_quota(object.kind) && resourcequota::applies(env) {
        return resourcequota::cells(object, env);
    }
    match handler(object.kind) {
        Some(h) => (h.cells)(&Row { object }, env),
        None => {
            let created = object
                .metadata
                .creation_timestamp
                .as_ref()
                .map(|t| rfc3339(t.0))
                .unwrap_or_default();
            vec![name(object), created]
        }
    }
}

fn is_quota(kind: Generic) -> bool {
    crate::sim::kind::Kind::Other(kind) == crate::sim::quota::quota_kind()
}

const fn c(name: &'static str) -> Column {
    Column { name, priority: 0 }
}

const fn w(name: &'static str) -> Column {
    Column { name, priority: 1 }
}

fn name(object: &GenericObject) -> String {
    object.metadata.name.clone().unwrap_or_default()
}

/// Read access to one object's JSON as a handler needs it: absent or
/// mistyped fields read as Go's zero values, as the typed object a handler
/// receives would hold them.
pub(super) struct Row<'a> {
    object: &'a GenericObject,
}

impl<'a> Row<'a> {
    fn name(&self) -> String {
        name(self.object)
    }

    /// `translateTimestampSince(obj.CreationTimestamp)`.
    fn age(&self, env: &Env) -> String {
        since(env.now, self.object.metadata.creation_timestamp.as_ref())
    }

    fn annotation(&self, key: &str) -> Option<&'a str> {
        self.object.metadata.annotations.as_ref()?.get(key).map(String::as_str)
    }

    fn deleting(&self) -> bool {
        self.object.metadata.deletion_timestamp.is_some()
    }

    fn get(&self, path: &[&str]) -> Option<&'a Value> {
        let (first, rest) = path.split_first()?;
        rest.iter().try_fold(self.object.fields.get(*first)?, |v, key| v.get(key))
    }

    fn opt_str(&self, path: &[&str]) -> Option<&'a str> {
        self.get(path).and_then(Value::as_str)
    }

    fn str(&self, path: &[&str]) -> &'a str {
        self.opt_str(path).unwrap_or_default()
    }

    fn opt_bool(&self, path: &[&str]) -> Option<bool> {
        self.get(path).and_then(Value::as_bool)
    }

    fn int(&self, path: &[&str]) -> i64 {
        self.get(path).and_then(Value::as_i64).unwrap_or_default()
    }

    fn array(&self, path: &[&str]) -> &'a [Value] {
        self.get(path).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
    }

    fn object(&self, path: &[&str]) -> Option<&'a Map<String, Value>> {
        self.get(path).and_then(Value::as_object)
    }
}

/// `intstr.IntOrString.String()`.
fn int_or_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// `layoutContainerCells`: names and images joined by `,`.
fn container_cells(containers: &[Value]) -> (String, String) {
    let field = |key: &str| -> Vec<&str> {
        containers.iter().map(|c| c.get(key).and_then(Value::as_str).unwrap_or_default()).collect()
    };
    (field("name").join(","), field("image").join(","))
}

/// A map of strings (labels, a selector's `matchLabels`).
fn string_map(v: Option<&Value>) -> Option<std::collections::BTreeMap<String, String>> {
    v.and_then(Value::as_object).map(|m| {
        m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect()
    })
}

#[cfg(test)]
mod tests;
