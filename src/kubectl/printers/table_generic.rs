//! `kubectl get` tables of the kinds the simulator stores generically
//! ([`GenericObject`]): built-in kinds the API server prints with its
//! default table convertor, and (later) the per-kind handlers of
//! `pkg/printers/internalversion/printers.go` that read the object's JSON.
//!
//! Built-in resources whose storage registers no table convertor of its own
//! get `rest.NewDefaultTableConvertor`
//! (`staging/src/k8s.io/apiserver/pkg/registry/rest/table.go`): a `Name`
//! column and a `Created At` column holding the creation time in RFC 3339,
//! UTC.

use super::{
    table::{Column, Env},
    timestamp::rfc3339,
};
use crate::sim::{GenericObject, kind::Generic};

/// `rest.NewDefaultTableConvertor`'s columns.
const DEFAULT_COLUMNS: &[Column] =
    &[Column { name: "Name", priority: 0 }, Column { name: "Created At", priority: 0 }];

/// The columns of a generically stored kind's table.
pub fn columns(kind: Generic, env: &Env) -> Vec<Column> {
    if is_quota(kind) && super::table_resourcequota::applies(env) {
        return super::table_resourcequota::columns();
    }
    DEFAULT_COLUMNS.to_vec()
}

/// The cells of one generically stored object's row.
pub fn cells(object: &GenericObject, env: &Env) -> Vec<String> {
    if is_quota(object.kind) && super::table_resourcequota::applies(env) {
        return super::table_resourcequota::cells(object, env);
    }
    let name = object.metadata.name.clone().unwrap_or_default();
    let created =
        object.metadata.creation_timestamp.as_ref().map(|t| rfc3339(t.0)).unwrap_or_default();
    vec![name, created]
}

fn is_quota(kind: Generic) -> bool {
    crate::sim::kind::Kind::Other(kind) == crate::sim::quota::quota_kind()
}
