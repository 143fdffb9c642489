//! `kubectl get` tables of RoleBindings and ClusterRoleBindings: the
//! apiserver's `printRoleBinding` / `printClusterRoleBinding`
//! (`pkg/printers/internalversion/printers.go`, the same from v1.10 to
//! v1.35). Roles and ClusterRoles have no handler of their own: their
//! table is the default `NAME  CREATED AT`.

use serde_json::Value;

use super::super::{
    duration,
    table::{Column, Env},
};
use crate::sim::GenericObject;

/// `roleBindingsColumnDefinitions` (ClusterRoleBindings' are the same).
pub const BINDING_COLUMNS: &[Column] = &[
    Column { name: "Name", priority: 0 },
    Column { name: "Role", priority: 0 },
    Column { name: "Age", priority: 0 },
    Column { name: "Users", priority: 1 },
    Column { name: "Groups", priority: 1 },
    Column { name: "ServiceAccounts", priority: 1 },
];

/// Whether `kind_name` is printed by this module.
pub fn is_binding(kind_name: &str) -> bool {
    matches!(kind_name, "RoleBinding" | "ClusterRoleBinding")
}

/// `rbac.SubjectsStrings`: users, groups and `namespace/name` service
/// accounts, each list joined with `, `.
fn subjects(object: &GenericObject) -> [String; 3] {
    let (mut users, mut groups, mut sas) = (Vec::new(), Vec::new(), Vec::new());
    for s in object.fields.get("subjects").and_then(Value::as_array).into_iter().flatten() {
        let name = s["name"].as_str().unwrap_or_default().to_owned();
        match s["kind"].as_str() {
            Some("ServiceAccount") => {
                sas.push(format!("{}/{name}", s["namespace"].as_str().unwrap_or_default()))
            }
            Some("User") => users.push(name),
            Some("Group") => groups.push(name),
            _ => {}
        }
    }
    [users.join(", "), groups.join(", "), sas.join(", ")]
}

/// One binding's cells: name, `Kind/name` of its role, age, then the
/// wide columns.
pub fn binding_cells(object: &GenericObject, env: &Env) -> Vec<String> {
    let role_ref = object.fields.get("roleRef");
    let field = |k: &str| role_ref.and_then(|r| r[k].as_str()).unwrap_or_default().to_owned();
    let [users, groups, sas] = subjects(object);
    vec![
        object.metadata.name.clone().unwrap_or_default(),
        format!("{}/{}", field("kind"), field("name")),
        duration::since(env.now, object.metadata.creation_timestamp.as_ref()),
        users,
        groups,
        sas,
    ]
}
