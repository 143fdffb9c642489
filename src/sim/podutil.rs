//! Pod and owner helpers shared by controllers (`pkg/api/v1/pod/util.go`,
//! `pkg/controller/controller_utils.go`).

use std::time::Duration;

use k8s_openapi::{
    api::core::v1::{Pod, PodCondition},
    apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference},
    jiff::Timestamp,
};

use super::time;

/// The controller owner reference, if any.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references.iter().flatten().find(|o| o.controller == Some(true))
}

/// Whether `meta` is controlled by the object with `uid`.
pub fn controlled_by(meta: &ObjectMeta, uid: &str) -> bool {
    controller_of(meta).is_some_and(|o| o.uid == uid)
}

/// A pod condition by type.
pub fn condition<'a>(pod: &'a Pod, type_: &str) -> Option<&'a PodCondition> {
    pod.status.as_ref()?.conditions.iter().flatten().find(|c| c.type_ == type_)
}

/// `podutil.IsPodReady`.
pub fn is_ready(pod: &Pod) -> bool {
    condition(pod, "Ready").is_some_and(|c| c.status == "True")
}

/// When the pod last became Ready.
pub fn ready_since(pod: &Pod) -> Option<Timestamp> {
    condition(pod, "Ready")
        .filter(|c| c.status == "True")?
        .last_transition_time
        .as_ref()
        .map(|t| t.0)
}

/// `podutil.IsPodAvailable`: ready for at least `min_ready_seconds`.
pub fn is_available(pod: &Pod, min_ready_seconds: i32, now: Timestamp) -> bool {
    if !is_ready(pod) {
        return false;
    }
    if min_ready_seconds <= 0 {
        return true;
    }
    ready_since(pod).is_some_and(|t| time::add_secs(t, i64::from(min_ready_seconds)) <= now)
}

/// When a ready pod becomes available, if that is still in the future.
pub fn available_at(pod: &Pod, min_ready_seconds: i32, now: Timestamp) -> Option<Timestamp> {
    if min_ready_seconds <= 0 {
        return None;
    }
    let at = time::add_secs(ready_since(pod)?, i64::from(min_ready_seconds));
    (at > now).then_some(at)
}

/// The pod's phase.
pub fn phase(pod: &Pod) -> &str {
    pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending")
}

/// `controller.IsPodActive`: not terminal and not being deleted.
pub fn is_active(pod: &Pod) -> bool {
    !matches!(phase(pod), "Succeeded" | "Failed") && pod.metadata.deletion_timestamp.is_none()
}

/// Whether `pod` is being deleted and not yet terminal
/// (`controller.isPodTerminating`, pkg/controller/controller_utils.go).
pub fn is_terminating(pod: &Pod) -> bool {
    !matches!(phase(pod), "Succeeded" | "Failed") && pod.metadata.deletion_timestamp.is_some()
}

/// The node a pod is bound to.
pub fn node_name(pod: &Pod) -> Option<&str> {
    pod.spec.as_ref()?.node_name.as_deref().filter(|n| !n.is_empty())
}

/// The node a DaemonSet pod is for: its bound node, or the node its
/// `metadata.name` node-affinity term names (the DaemonSet controller's
/// `getNodesToDaemonPods` files an unbound pod under that node); "" if
/// neither.
pub fn daemon_target_node(p: &Pod) -> &str {
    if let Some(n) = node_name(p) {
        return n;
    }
    let terms =
        p.spec.as_ref().and_then(|s| s.affinity.as_ref()).and_then(|a| a.node_affinity.as_ref());
    let terms = terms.and_then(|n| n.required_during_scheduling_ignored_during_execution.as_ref());
    terms
        .into_iter()
        .flat_map(|t| t.node_selector_terms.iter())
        .flat_map(|t| t.match_fields.iter().flatten())
        .find(|f| f.key == "metadata.name")
        .and_then(|f| f.values.as_ref()?.first())
        .map_or("", String::as_str)
}

/// Sum of the containers' restart counts.
pub fn restarts(pod: &Pod) -> i32 {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map_or(0, |cs| cs.iter().map(|c| c.restart_count).sum())
}

/// Sets (or replaces) a pod condition, keeping `lastTransitionTime` when the
/// status does not change.
pub fn set_condition(pod: &mut Pod, mut cond: PodCondition) {
    let status = pod.status.get_or_insert_with(Default::default);
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    if let Some(existing) = conditions.iter_mut().find(|c| c.type_ == cond.type_) {
        if existing.status == cond.status {
            cond.last_transition_time = existing.last_transition_time.clone();
        }
        *existing = cond;
    } else {
        conditions.push(cond);
    }
}

/// A pod condition stamped `now`.
pub fn new_condition(
    type_: &str,
    status: bool,
    reason: Option<&str>,
    message: Option<&str>,
    now: Timestamp,
) -> PodCondition {
    PodCondition {
        type_: type_.to_owned(),
        status: if status { "True" } else { "False" }.to_owned(),
        reason: reason.map(str::to_owned),
        message: message.map(str::to_owned),
        last_probe_time: None,
        last_transition_time: Some(time::time(now)),
        ..Default::default()
    }
}

/// `floor(log2(now - t))` in nanoseconds, as `logarithmicRankDiff`'s buckets.
pub fn log_bucket(t: Timestamp, now: Timestamp) -> i64 {
    let d = time::since(now, t);
    if d == Duration::ZERO { -1 } else { (d.as_nanos() as f64).log2().floor() as i64 }
}

/// The annotation the kubelet puts on a static pod's mirror in the API
/// (`kubetypes.ConfigMirrorAnnotationKey`).
pub const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// Whether `pod` is the mirror of a static pod (the control plane's, on a
/// kubeadm node).
pub fn is_mirror(pod: &Pod) -> bool {
    pod.metadata.annotations.as_ref().is_some_and(|a| a.contains_key(MIRROR_ANNOTATION))
}

/// What a container runs as given in its spec: `command` then `args`
/// (empty when neither is set: the image's own entrypoint and command).
pub fn argv(container: &k8s_openapi::api::core::v1::Container) -> Vec<String> {
    container.command.iter().flatten().chain(container.args.iter().flatten()).cloned().collect()
}
