//! A pod's quality-of-service class (`pkg/apis/core/v1/helper/qos`
//! `ComputePodQOS`, v1.22–v1.35): what `describe pod` shows as `QoS Class`,
//! what the API server stores in `status.qosClass`, and what a
//! `BestEffort` quota scope selects.
//!
//! Over the app and init containers, only cpu and memory count, and only
//! quantities above zero: requests and limits are summed per resource. No
//! request and no limit at all is `BestEffort`. `Guaranteed` needs every
//! container to limit both cpu and memory, and the summed requests to equal
//! the summed limits for every resource (a container that sets only limits
//! has had its requests defaulted to them by the API server). Anything
//! else is `Burstable`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;

use super::controllers::scheduler::{parse_bytes, parse_cpu};

/// `Guaranteed`, `Burstable` or `BestEffort`.
pub fn class(pod: &Pod) -> &'static str {
    let Some(spec) = pod.spec.as_ref() else { return "BestEffort" };
    let amount = |name: &str, q: &str| match name {
        "cpu" => Some(i128::from(parse_cpu(q))),
        "memory" => Some(i128::from(parse_bytes(q))),
        _ => None,
    };
    let mut requests: BTreeMap<&str, i128> = BTreeMap::new();
    let mut limits: BTreeMap<&str, i128> = BTreeMap::new();
    let mut guaranteed = true;
    for c in spec.containers.iter().chain(spec.init_containers.iter().flatten()) {
        let res = c.resources.as_ref();
        for (name, q) in res.and_then(|r| r.requests.as_ref()).into_iter().flatten() {
            if let Some(v) = amount(name, &q.0).filter(|v| *v > 0) {
                *requests.entry(name.as_str()).or_insert(0) += v;
            }
        }
        let mut limited = 0;
        for (name, q) in res.and_then(|r| r.limits.as_ref()).into_iter().flatten() {
            if let Some(v) = amount(name, &q.0).filter(|v| *v > 0) {
                limited += 1;
                *limits.entry(name.as_str()).or_insert(0) += v;
            }
        }
        if limited < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed
        && requests.iter().all(|(k, v)| limits.get(k) == Some(v))
        && requests.len() == limits.len()
    {
        return "Guaranteed";
    }
    "Burstable"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(containers: serde_json::Value) -> Pod {
        serde_json::from_value(serde_json::json!({"spec": {"containers": containers}})).unwrap()
    }

    #[test]
    fn classes_as_upstream() {
        assert_eq!(class(&pod(serde_json::json!([{"name": "a"}]))), "BestEffort");
        let both = serde_json::json!({"cpu": "1", "memory": "300Mi"});
        assert_eq!(
            class(&pod(
                serde_json::json!([{"name": "a", "resources": {"requests": both, "limits": both}}])
            )),
            "Guaranteed"
        );
        // 1 and 1000m are the same quantity.
        assert_eq!(
            class(&pod(serde_json::json!([{"name": "a", "resources": {
                "requests": {"cpu": "1000m", "memory": "300Mi"},
                "limits": {"cpu": "1", "memory": "300Mi"}}}]))),
            "Guaranteed"
        );
        assert_eq!(
            class(&pod(
                serde_json::json!([{"name": "a", "resources": {"requests": {"memory": "50Mi"}, "limits": {"memory": "100Mi"}}}])
            )),
            "Burstable"
        );
        // A zero request counts for nothing.
        assert_eq!(
            class(&pod(
                serde_json::json!([{"name": "a", "resources": {"requests": {"cpu": "0"}}}])
            )),
            "BestEffort"
        );
        // One container without limits makes the pod Burstable.
        assert_eq!(
            class(&pod(serde_json::json!([
                {"name": "a", "resources": {"requests": both, "limits": both}},
                {"name": "b"}]))),
            "Burstable"
        );
    }
}
