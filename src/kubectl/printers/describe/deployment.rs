//! `describeDeployment` (`kubectl/pkg/describe/describe.go`, v1.22).

use k8s_openapi::api::{
    apps::v1::{Deployment, ReplicaSet},
    core::v1::Event,
};

use super::{
    DescribeEnv, LEVEL_0, Writer, annotations_multiline, conditions_with_reasons, events,
    labels_multiline, pod_template,
};
use crate::kubectl::labels::selector_text;

/// The page `kubectl describe deployment` prints. `old` and `new` are the
/// deployment's ReplicaSets as `deploymentutil.GetAllReplicaSets` finds
/// them (the old ones the cluster's kubectl lists — see the caller — and
/// the one matching the template).
pub fn describe_deployment(
    d: &Deployment,
    old: &[&ReplicaSet],
    new: Option<&ReplicaSet>,
    deployment_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let meta = &d.metadata;
    let spec = d.spec.clone().unwrap_or_default();
    let status = d.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    w.write(
        LEVEL_0,
        &format!("CreationTimestamp:\t{}\n", env.time_opt(meta.creation_timestamp.as_ref())),
    );
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, &format!("Selector:\t{}\n", selector_text(Some(&spec.selector))));
    w.write(
        LEVEL_0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            spec.replicas.unwrap_or(1),
            status.updated_replicas.unwrap_or(0),
            status.replicas.unwrap_or(0),
            status.available_replicas.unwrap_or(0),
            status.unavailable_replicas.unwrap_or(0)
        ),
    );
    let strategy = spec.strategy.clone().unwrap_or_default();
    w.write(
        LEVEL_0,
        &format!("StrategyType:\t{}\n", strategy.type_.as_deref().unwrap_or_default()),
    );
    w.write(LEVEL_0, &format!("MinReadySeconds:\t{}\n", spec.min_ready_seconds.unwrap_or(0)));
    if let Some(ru) = &strategy.rolling_update {
        w.write(
            LEVEL_0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(ru.max_unavailable.as_ref()),
                int_or_string(ru.max_surge.as_ref())
            ),
        );
    }
    pod_template(&mut w, Some(&spec.template), env);
    conditions_with_reasons(
        &mut w,
        status.conditions.iter().flatten().map(|c| {
            (c.type_.as_str(), c.status.as_str(), c.reason.as_deref().unwrap_or_default())
        }),
    );
    if !old.is_empty() || new.is_some() {
        w.write(LEVEL_0, &format!("OldReplicaSets:\t{}\n", replica_sets(old)));
        let new: Vec<&ReplicaSet> = new.into_iter().collect();
        w.write(LEVEL_0, &format!("NewReplicaSet:\t{}\n", replica_sets(&new)));
    }
    if let Some(list) = deployment_events {
        events(&mut w, list, env);
    }
    w.finish()
}

/// `intstr.IntOrString.String()`.
fn int_or_string(v: Option<&k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>) -> String {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match v {
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "0".to_owned(),
    }
}

/// `printReplicaSetsByLabels`.
fn replica_sets(list: &[&ReplicaSet]) -> String {
    if list.is_empty() {
        return "<none>".to_owned();
    }
    list.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name.as_deref().unwrap_or_default(),
                rs.status.as_ref().map_or(0, |s| s.replicas),
                rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::Event;
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::{assert_same_text, event, ts};

    #[test]
    fn seed_describe_deployment() {
        let d: Deployment = serde_json::from_value(json!({
            "metadata": {"name": "testdeployment", "namespace": "default",
                "creationTimestamp": "2022-11-21T01:10:19Z",
                "annotations": {
                    "deployment.kubernetes.io/revision": "1",
                    "kubernetes.io/change-cause": "kubectl apply --filename=testdeployment.yaml --record=true",
                    "kubectl.kubernetes.io/last-applied-configuration": "{}"
                }},
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"example": "deploymentnginx"}},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                "template": {"metadata": {"labels": {"example": "deploymentnginx"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.7.9",
                        "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}
            },
            "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
                "conditions": [
                    {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                    {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}
                ]}
        }))
        .unwrap();
        let rs: ReplicaSet = serde_json::from_value(json!({
            "metadata": {"name": "testdeployment-58779f7cd8", "namespace": "default"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"example": "deploymentnginx"}}},
            "status": {"replicas": 3}
        }))
        .unwrap();
        let events: Vec<Event> = vec![event(
            "Deployment",
            "testdeployment",
            "ScalingReplicaSet",
            "deployment-controller",
            "Scaled up replica set testdeployment-58779f7cd8 to 3",
            "2022-11-21T01:10:19Z",
        )];
        let refs: Vec<&Event> = events.iter().collect();
        let env = DescribeEnv {
            now: ts("2022-11-21T01:18:55Z"),
            utc_offset_seconds: -5 * 3600,
            minor: 22,
        };
        let page = describe_deployment(&d, &[], Some(&rs), Some(&refs), &env);
        assert_same_text(
            &page,
            include_str!("../../testdata/describe_deployment_testdeployment.txt"),
        );
    }
}
