//! The clusterrole-aggregation controller: keeps every aggregated
//! ClusterRole's rules the union of the roles its selectors match
//! ([`crate::sim::auth::aggregation`]). One role per action.

use super::{Controller, View, Write};
use crate::sim::{
    Kind, Object,
    auth::aggregation::{RoleView, next_stale},
};

/// The controller.
pub struct ClusterRoleAggregation;

fn cluster_role_kind(view: &View<'_>) -> Option<Kind> {
    view.store.kinds().find(|k| {
        let info = k.info();
        info.group == "rbac.authorization.k8s.io" && info.plural == "clusterroles"
    })
}

impl Controller for ClusterRoleAggregation {
    fn name(&self) -> &'static str {
        "clusterrole-aggregation-controller"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        let Some(kind) = cluster_role_kind(view) else { return Vec::new() };
        let objects: Vec<&Object> = view.store.list(kind, None).collect();
        let roles: Vec<RoleView<'_>> = objects
            .iter()
            .filter_map(|o| match o {
                Object::Generic(g) => Some(RoleView::of(
                    g.metadata.name.as_deref().unwrap_or_default(),
                    g.metadata.labels.as_ref(),
                    &g.fields,
                )),
                _ => None,
            })
            .collect();
        if roles.iter().all(|r| r.selectors.is_none()) {
            return Vec::new();
        }
        let Some((name, rules)) = next_stale(&roles) else { return Vec::new() };
        let Some(mut object) = objects.iter().find(|o| o.name() == name).map(|o| (*o).clone())
        else {
            return Vec::new();
        };
        if let Object::Generic(g) = &mut object {
            g.fields.insert("rules".to_owned(), serde_json::Value::Array(rules));
        }
        vec![Write::Update(object)]
    }
}
