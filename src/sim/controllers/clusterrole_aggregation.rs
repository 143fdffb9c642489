//! The clusterrole-aggregation controller: keeps every aggregated
//! ClusterRole's rules the union of the roles its selectors match
//! ([`crate::sim::auth::aggregation`]). One role per action.

use super::{Controller, View, Write};
use crate::sim::{
    Kind, Object, ObjectRef,
    auth::aggregation::{RoleView, next_stale},
    queue::{Affected, Keyed, QueueKey, RuntimeChange},
    store::Change,
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

    fn keyed(&self) -> Option<&dyn Keyed> {
        Some(self)
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

/// One key for the whole set of ClusterRoles: only their writes concern
/// it (aggregation reads nothing else).
impl Keyed for ClusterRoleAggregation {
    fn keys(&self, _view: &View<'_>) -> Vec<QueueKey> {
        vec![all_roles_key()]
    }

    fn on_change(&self, _view: &View<'_>, change: &Change) -> Affected {
        let info = change.object.kind.info();
        if info.group == "rbac.authorization.k8s.io" && info.plural == "clusterroles" {
            Affected::Keys(vec![all_roles_key()])
        } else {
            Affected::Nothing
        }
    }

    fn on_runtime(&self, _view: &View<'_>, _change: &RuntimeChange) -> Affected {
        Affected::Nothing
    }

    fn sync(&self, view: &View<'_>, _key: &QueueKey) -> Vec<Write> {
        self.reconcile(view)
    }

    fn wakeup(&self, _view: &View<'_>, _key: &QueueKey) -> Option<k8s_openapi::jiff::Timestamp> {
        None
    }
}

fn all_roles_key() -> QueueKey {
    QueueKey { rank: Vec::new(), object: ObjectRef::cluster(Kind::Namespace, "") }
}
