//! The ResourceQuota table (`printResourceQuota`,
//! `pkg/printers/internalversion/printers.go`, v1.13 and later): `NAME AGE
//! REQUEST LIMIT`, from v1.33 `NAME REQUEST LIMIT AGE`
//! ([`Fact::QuotaAgeLastColumn`]), each hard resource as `name: used/hard`, sorted by name,
//! in LIMIT when its name starts with `limits.`, else in REQUEST. Before
//! v1.13 the API server had no handler for quotas and printed its default
//! table.

use super::super::{duration::since, table::Column, table::Env};
use crate::{
    quantity::Quantity,
    sim::{GenericObject, quota},
    version::Fact,
};

/// First minor whose API server prints quotas with their own columns.
const FIRST_MINOR: u32 = 13;

/// Whether `env`'s version prints quotas with their own handler.
pub fn applies(env: &Env) -> bool {
    env.minor >= FIRST_MINOR
}

/// The columns.
pub fn columns(env: &Env) -> Vec<Column> {
    let names = if env.has(Fact::QuotaAgeLastColumn) {
        ["Name", "Request", "Limit", "Age"]
    } else {
        ["Name", "Age", "Request", "Limit"]
    };
    names.into_iter().map(|name| Column { name, priority: 0 }).collect()
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
    let name = object.metadata.name.clone().unwrap_or_default();
    let age = since(env.now, object.metadata.creation_timestamp.as_ref());
    let (request, limit) = (request.join(", "), limit.join(", "));
    if env.has(Fact::QuotaAgeLastColumn) {
        vec![name, request, limit, age]
    } else {
        vec![name, age, request, limit]
    }
}
