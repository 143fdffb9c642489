//! `RoleDescriber`, `ClusterRoleDescriber`, `RoleBindingDescriber` and
//! `ClusterRoleBindingDescriber` (`kubectl/pkg/describe/describe.go`, the
//! same from v1.22 to v1.33): no events, no metadata besides names, labels
//! and annotations.

use serde_json::Value;

use super::{LEVEL_0, LEVEL_1, Writer, annotations_multiline, labels_multiline};
use crate::{
    kubectl::policy_rules::{PolicyRule, for_display, go_list},
    sim::GenericObject,
};

/// Whether `kind_name` has a describer here.
pub fn describes(kind_name: &str) -> bool {
    matches!(kind_name, "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding")
}

/// The page of a Role or ClusterRole (the `PolicyRule:` table) or of a
/// RoleBinding or ClusterRoleBinding (`Role:` and `Subjects:`).
pub fn describe_rbac(object: &GenericObject) -> String {
    let meta = &object.metadata;
    let mut w = Writer::default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    if object.kind.info().kind_name.ends_with("Binding") {
        let role_ref = object.fields.get("roleRef").cloned().unwrap_or_default();
        let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
        w.write(LEVEL_0, "Role:\n");
        w.write(LEVEL_1, &format!("Kind:\t{}\n", text(&role_ref, "kind")));
        w.write(LEVEL_1, &format!("Name:\t{}\n", text(&role_ref, "name")));
        w.write(LEVEL_0, "Subjects:\n");
        w.write(LEVEL_1, "Kind\tName\tNamespace\n");
        w.write(LEVEL_1, "----\t----\t---------\n");
        for s in object.fields.get("subjects").and_then(Value::as_array).into_iter().flatten() {
            w.write(
                LEVEL_1,
                &format!("{}\t{}\t{}\n", text(s, "kind"), text(s, "name"), text(s, "namespace")),
            );
        }
    } else {
        let rules: Vec<PolicyRule> = object
            .fields
            .get("rules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(PolicyRule::from_value)
            .collect();
        w.write(LEVEL_0, "PolicyRule:\n");
        w.write(LEVEL_1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
        w.write(LEVEL_1, "---------\t-----------------\t--------------\t-----\n");
        for r in for_display(&rules) {
            w.write(
                LEVEL_1,
                &format!(
                    "{}\t{}\t{}\t{}\n",
                    r.resource_group(),
                    go_list(&r.non_resource_urls),
                    go_list(&r.resource_names),
                    go_list(&r.verbs)
                ),
            );
        }
    }
    w.finish()
}
