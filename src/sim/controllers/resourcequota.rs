//! The resource quota controller (`pkg/controller/resourcequota/
//! resource_quota_controller.go`, `syncResourceQuota`): a quota's
//! `status.hard` mirrors `spec.hard`, and `status.used` is recalculated
//! from the objects of its namespace ([`crate::sim::quota`]), so usage
//! falls as objects go and pods finish. Upstream reacts to the quota's own
//! changes and to its monitors' deletions and resyncs; here a quota whose
//! status differs from what it should be is synced on the next action.

use k8s_openapi::{
    api::core::v1::{ResourceQuota, ResourceQuotaStatus},
    jiff::Timestamp,
};

use super::{Controller, View, Write};
use crate::sim::{
    object::Object,
    quota::{self, calculate_usage, parse_list, to_openapi},
    time,
};

/// The resource quota controller.
pub struct ResourceQuotaController;

impl Controller for ResourceQuotaController {
    fn name(&self) -> &'static str {
        "resourcequota-controller"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        view.store
            .list(quota::quota_kind(), None)
            .find_map(|object| {
                let mut q: ResourceQuota = quota::typed(object)?;
                let status = wanted_status(view, &q);
                if q.status.as_ref() == Some(&status) {
                    return None;
                }
                q.status = Some(status);
                let value = serde_json::to_value(&q).ok()?;
                Object::from_value_as(quota::quota_kind(), value)
                    .ok()
                    .map(|o| vec![Write::Update(o)])
            })
            .unwrap_or_default()
    }

    /// A terminating pod stops counting once its grace period is over
    /// (`QuotaV1Pod`).
    fn next_wakeup(&self, view: &View<'_>) -> Option<Timestamp> {
        let namespaces: std::collections::BTreeSet<&str> =
            view.store.list(quota::quota_kind(), None).filter_map(|o| o.namespace()).collect();
        namespaces
            .into_iter()
            .flat_map(|ns| view.store.all::<k8s_openapi::api::core::v1::Pod>(Some(ns)))
            .filter_map(|p| {
                let at = p.metadata.deletion_timestamp.as_ref()?;
                let grace = p.metadata.deletion_grace_period_seconds?;
                // `now.After(deletion + grace)`: the first instant after.
                Some(time::add(time::add_secs(at.0, grace), std::time::Duration::from_nanos(1)))
            })
            .filter(|t| *t > view.now)
            .min()
    }
}

/// `status.hard` = `spec.hard`; `status.used` for each hard resource an
/// evaluator measures.
fn wanted_status(view: &View<'_>, q: &ResourceQuota) -> ResourceQuotaStatus {
    let hard = parse_list(q.spec.as_ref().and_then(|s| s.hard.as_ref()));
    let used = calculate_usage(view.store, q, view.now);
    ResourceQuotaStatus {
        hard: Some(to_openapi(&hard)),
        used: Some(to_openapi(&quota::mask(&used, hard.keys()))),
    }
}
