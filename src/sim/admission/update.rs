//! Checks only an update makes: fields that may not change once set
//! (`apivalidation.ValidateImmutableField`, message `field is immutable`).
//!
//! Deployments, ReplicaSets and DaemonSets may not change `spec.selector`
//! through `apps/v1` (`pkg/registry/apps/*/strategy.go` `ValidateUpdate`,
//! appended after the spec's own validation).

use super::bad_value;
use crate::{sim::object::Object, version::KubeVersion};

/// The causes why `new` may not replace `old`; empty when it may.
pub fn validate(new: &Object, old: &Object, version: KubeVersion) -> Vec<String> {
    let selectors = match (new, old) {
        (Object::Deployment(n), Object::Deployment(o)) => {
            (n.spec.as_ref().map(|s| &s.selector), o.spec.as_ref().map(|s| &s.selector))
        }
        (Object::ReplicaSet(n), Object::ReplicaSet(o)) => {
            (n.spec.as_ref().map(|s| &s.selector), o.spec.as_ref().map(|s| &s.selector))
        }
        (Object::DaemonSet(n), Object::DaemonSet(o)) => {
            (n.spec.as_ref().map(|s| &s.selector), o.spec.as_ref().map(|s| &s.selector))
        }
        _ => return Vec::new(),
    };
    match selectors {
        (Some(n), Some(o)) if n != o => {
            vec![format!(
                "spec.selector: Invalid value: {}: field is immutable",
                bad_value::label_selector(n, version)
            )]
        }
        _ => Vec::new(),
    }
}

/// `ValidatePodUpdate` (`pkg/apis/core/validation/validation.go` v1.22)
/// for a client's update: a pod's spec may change only in its containers'
/// and init containers' images, `activeDeadlineSeconds` (set, or lowered)
/// and added tolerations. (Controllers bind and report through their own
/// paths, not this check.)
///
/// The message upstream ends with a `cmp.Diff` of the two specs, which is
/// not reproduced: the cause is its first line.
pub fn validate_pod(new: &Object, old: &Object) -> Vec<String> {
    let (Object::Pod(new), Object::Pod(old)) = (new, old) else { return Vec::new() };
    let (Some(new_spec), Some(old_spec)) = (&new.spec, &old.spec) else { return Vec::new() };
    let mut causes = Vec::new();
    match (new_spec.active_deadline_seconds, old_spec.active_deadline_seconds) {
        (Some(n), _) if n < 0 || n > i64::from(i32::MAX) => causes.push(format!(
            "spec.activeDeadlineSeconds: Invalid value: {n}: must be between 0 and 2147483647, inclusive"
        )),
        (Some(n), Some(o)) if o < n => causes.push(format!(
            "spec.activeDeadlineSeconds: Invalid value: {n}: must be less than or equal to previous value"
        )),
        (None, Some(_)) => causes.push(
            "spec.activeDeadlineSeconds: Invalid value: \"null\": must not update from a positive integer to nil value"
                .to_owned(),
        ),
        _ => {}
    }
    let mut munged = new_spec.clone();
    for (c, o) in munged.containers.iter_mut().zip(&old_spec.containers) {
        c.image = o.image.clone();
    }
    if let (Some(cs), Some(os)) =
        (munged.init_containers.as_mut(), old_spec.init_containers.as_ref())
    {
        for (c, o) in cs.iter_mut().zip(os) {
            c.image = o.image.clone();
        }
    }
    munged.active_deadline_seconds = old_spec.active_deadline_seconds;
    let old_tolerations = old_spec.tolerations.clone().unwrap_or_default();
    let new_tolerations = munged.tolerations.clone().unwrap_or_default();
    if old_tolerations.iter().all(|t| new_tolerations.contains(t)) {
        munged.tolerations = old_spec.tolerations.clone();
    }
    if &munged != old_spec {
        causes.push(
            "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds` or `spec.tolerations` (only additions to existing tolerations)"
                .to_owned(),
        );
    }
    causes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_may_change_only_images_deadlines_and_added_tolerations() {
        let pod = |image: &str, restart: &str| {
            Object::from_value(serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "p"},
                "spec": {"restartPolicy": restart, "containers": [{"name": "c", "image": image}]}}))
            .unwrap()
        };
        let old = pod("nginx", "Always");
        assert!(validate_pod(&pod("nginx:1.21", "Always"), &old).is_empty());
        let causes = validate_pod(&pod("nginx", "Never"), &old);
        assert_eq!(causes.len(), 1);
        assert!(causes[0].starts_with("spec: Forbidden: pod updates may not change fields"));
    }
}
