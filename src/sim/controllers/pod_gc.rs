//! The pod GC's orphan sweep (`gcOrphaned` in
//! pkg/controller/podgc/gc_controller.go), run by the garbage collector's
//! per-pod node check ([`super::gc`]).
//!
//! The controller wakes every `gcCheckPeriod` (20 s). A node that pods are
//! bound to but that does not exist is put in quarantine (`nodeQueue.AddAfter`,
//! `quarantineTime` 40 s, from v1.17; [`Fact::PodGcOrphanQuarantine`]);
//! the first tick that finds it out of quarantine and still missing
//! deletes its pods. The delayed item turns ready just after the tick at
//! +40 s, so that is the tick at +60 s: on a v1.35.4 control plane a pod
//! bound to a node that never existed went 77 s after its creation (the
//! first tick 17 s after it). Ticks are counted on the virtual clock's
//! 20-second marks.
//!
//! Each pod is `markFailedAndDeletePodWithCondition`: where
//! PodDisruptionConditions is on (v1.26), a pod not yet terminal first
//! gets phase Failed and the `DisruptionTarget` condition (reason
//! `DeletionByPodGC`), then is force-deleted (grace period 0); a Job's pod
//! stays until its controller has counted it ([`super::job`]).

use std::time::Duration;

use k8s_openapi::{api::core::v1::Pod, jiff::Timestamp};

use super::{View, Write};
use crate::sim::{
    DeleteOptions, Kind, Object, ObjectRef,
    disruption::{self, Disruption},
    podutil, time,
};
use crate::version::Fact;

/// `gcCheckPeriod`.
const CHECK_PERIOD: Duration = Duration::from_secs(20);
/// `quarantineTime`.
const QUARANTINE: Duration = Duration::from_secs(40);

/// The node `pod` is bound to, when that node does not exist.
fn missing_node<'a>(view: &View<'_>, pod: &'a Pod) -> Option<&'a str> {
    podutil::node_name(pod).filter(|n| !view.store.contains(&ObjectRef::cluster(Kind::Node, n)))
}

/// The first check tick at or after `t`.
fn tick_at_or_after(t: Timestamp) -> Timestamp {
    let period = CHECK_PERIOD.as_secs() as i64;
    let s = t.as_second();
    let next = if s % period == 0 && t.subsec_nanosecond() == 0 {
        s
    } else {
        (s.div_euclid(period) + 1) * period
    };
    Timestamp::from_second(next).unwrap_or(t)
}

/// When the pod GC deletes pods of a node it first found missing at the
/// tick `seen`.
fn deletion_tick(view: &View<'_>, seen: Timestamp) -> Timestamp {
    time::add(seen, delay(view.config.version))
}

/// From the tick that finds a node missing to the one that deletes its
/// pods: the quarantine and the tick after it, or none before v1.17.
fn delay(version: crate::version::KubeVersion) -> Duration {
    if version.has(Fact::PodGcOrphanQuarantine) {
        QUARANTINE + CHECK_PERIOD
    } else {
        Duration::ZERO
    }
}

/// When the pod GC next acts on `pod`, if its node is missing.
pub fn due(view: &View<'_>, pod: &Pod) -> Option<Timestamp> {
    let node = missing_node(view, pod)?;
    let seen = view
        .runtime
        .pod_gc_quarantine
        .get(node)
        .copied()
        .unwrap_or_else(|| tick_at_or_after(view.now));
    Some(deletion_tick(view, seen))
}

/// The pod GC's writes for `pod`: its node put in quarantine at the next
/// tick, the pod failed and deleted once that is over, or the node taken
/// out of quarantine when it exists again.
pub fn orphan(view: &View<'_>, pod: &Pod) -> Vec<Write> {
    let Some(node) = missing_node(view, pod) else {
        return match podutil::node_name(pod) {
            Some(n) if view.runtime.pod_gc_quarantine.contains_key(n) => {
                vec![Write::PodGcQuarantine(n.to_owned(), None)]
            }
            _ => Vec::new(),
        };
    };
    let Some(&seen) = view.runtime.pod_gc_quarantine.get(node) else {
        return vec![Write::PodGcQuarantine(node.to_owned(), Some(tick_at_or_after(view.now)))];
    };
    if view.now < deletion_tick(view, seen) || pod.metadata.deletion_grace_period_seconds == Some(0)
    {
        return Vec::new();
    }
    let r = ObjectRef::namespaced(
        Kind::Pod,
        pod.metadata.namespace.as_deref().unwrap_or("default"),
        pod.metadata.name.as_deref().unwrap_or_default(),
    );
    let mut writes = Vec::new();
    let version = view.config.version;
    if version.has(Fact::PodDisruptionConditions)
        && !matches!(podutil::phase(pod), "Succeeded" | "Failed")
    {
        let mut failed = pod.clone();
        failed.status.get_or_insert_with(Default::default).phase = Some("Failed".to_owned());
        disruption::mark(&mut failed, Disruption::PodGc, "", version, view.now);
        writes.push(Write::Update(Object::Pod(failed)));
    }
    writes.push(Write::Delete(r, DeleteOptions { grace_period_seconds: Some(0) }));
    writes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_twenty_second_marks() {
        let t = |s| Timestamp::from_second(s).unwrap();
        assert_eq!(tick_at_or_after(t(40)), t(40));
        assert_eq!(tick_at_or_after(t(41)), t(60));
        assert_eq!(tick_at_or_after(t(59)), t(60));
    }

    /// [`Fact::PodGcOrphanQuarantine`] on both sides of v1.17.
    #[test]
    fn pod_gc_quarantine_by_version() {
        let since = Fact::PodGcOrphanQuarantine.change().since;
        let at = |minor| delay(crate::version::KubeVersion::new(1, minor, 0)).as_secs();
        assert_eq!((at(since - 1), at(since)), (0, 60));
    }
}
