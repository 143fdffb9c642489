//! The TTL-after-finished controller (`pkg/controller/ttlafterfinished`):
//! a finished Job with `ttlSecondsAfterFinished` is deleted that many
//! seconds after its Complete or Failed condition; its pods go with it.
//! (Upstream deletes with Foreground propagation; here the Job goes at once
//! and the garbage collector removes the pods right after.)

use k8s_openapi::{api::batch::v1::Job, jiff::Timestamp};

use super::{Controller, View, Write, job::finished_at};
use crate::sim::{DeleteOptions, Kind, ObjectRef, time};

/// The TTL controller.
pub struct TtlAfterFinished;

fn expires_at(job: &Job) -> Option<Timestamp> {
    let ttl = job.spec.as_ref()?.ttl_seconds_after_finished?;
    Some(time::add_secs(finished_at(job)?, i64::from(ttl)))
}

impl Controller for TtlAfterFinished {
    fn name(&self) -> &'static str {
        "ttl-after-finished-controller"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        for job in view.store.all::<Job>(None) {
            if job.metadata.deletion_timestamp.is_none()
                && expires_at(job).is_some_and(|t| t <= view.now)
            {
                let r = ObjectRef::namespaced(
                    Kind::Job,
                    job.metadata.namespace.as_deref().unwrap_or("default"),
                    job.metadata.name.as_deref().unwrap_or_default(),
                );
                return vec![Write::Delete(r, DeleteOptions::default())];
            }
        }
        Vec::new()
    }

    fn next_wakeup(&self, view: &View<'_>) -> Option<Timestamp> {
        view.store.all::<Job>(None).filter_map(expires_at).filter(|t| *t > view.now).min()
    }
}
