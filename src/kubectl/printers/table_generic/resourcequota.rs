//! The ResourceQuota table (`printResourceQuota`,
//! `pkg/printers/internalversion/printers.go`, v1.13 and later): `NAME AGE
//! REQUEST LIMIT`, each hard resource as `name: used/hard`, sorted by name,
//! in LIMIT when its name starts with `limits.`, else in REQUEST. Before
//! v1.13 the API server had no handler for quotas and printed its default
//! table.

use super::super::{duration::since, table::Column, table::Env};
use crate::{
    quantity::Quantity,
    sim::{GenericObject, quota},
};

/// First minor whose API server prints quotas with their own columns.
const FIRST_MINOR: u32 = 13;

/// Whether `env`'s version prints quotas with their own handler.
pub fn applies(env: &Env) -> bool {
    env.minor >= FIRST_MINOR
}

/// The columns.
pub fn columns() -> Vec<Column> {
    ["Name", "Age", "Request", "Limit"]
        .into_iter()
        .map(|name| Column { name, priority: 0 })
        .collect()
}

/// One quota's cells.
pub fn cells(object: &GenericObject, env: &Env) -> Vec<String> {
    let status = object.fields.get("status");
    let list = |field: &str| {
        let map =
            status.and_then(|s| s.get(field)).and_then(|m| serde_json::from_value(m.clone()).ok());
        quota::parse_list(map.as_ref())
    };
    let (hard, used) = (list("hard"), list("used"));
    let (mut request, mut limit) = (Vec::new(), Vec::new());
    for (name, h) in &hard {
        let u = used.get(name).copied().unwrap_or(Quantity::ZERO);
        let cell = format!("{name}: {u}/{h}");
        if name.split('.').count() > 1 && name.starts_with("limits.") {
            limit.push(cell);
        } else {
            request.push(cell);
        }
    }
    vec![
        object.metadata.name.clone().unwrap_or_default(),
        since(env.now, object.metadata.creation_timestamp.as_ref()),
        request.join(", "),
        limit.join(", "),
    ]
}
