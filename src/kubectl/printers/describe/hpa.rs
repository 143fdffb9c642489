//! The HorizontalPodAutoscaler page. kubectl v1.22 asks for the
//! autoscaling/v2beta2 representation first (`describeHorizontalPodAutoscalerV2beta2`,
//! `kubectl/pkg/describe/describe.go`); v1.23+ ask for autoscaling/v2 and
//! print the same layout. The simulator stores autoscaling/v1 objects, so
//! this page converts as the API server does
//! (`pkg/apis/autoscaling/v1/conversion.go`): the CPU target becomes one
//! `Resource` metric, the current metric and the conditions come from the
//! round-trip annotations, and those annotations are dropped
//! (`DropRoundTripHorizontalPodAutoscalerAnnotations`).

use std::collections::BTreeMap;

use k8s_openapi::api::{autoscaling::v1::HorizontalPodAutoscaler, core::v1::Event};

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, Writer, annotations_multiline, events, labels_multiline,
};
use crate::sim::controllers::hpa;

/// Annotations the v1 representation uses to round-trip v2 fields
/// (`pkg/apis/autoscaling/helpers.go`).
const ROUND_TRIP_ANNOTATIONS: [&str; 4] = [
    "autoscaling.alpha.kubernetes.io/metrics",
    "autoscaling.alpha.kubernetes.io/current-metrics",
    "autoscaling.alpha.kubernetes.io/conditions",
    "autoscaling.alpha.kubernetes.io/behavior",
];

/// The page `kubectl describe hpa` prints.
pub fn describe_hpa(
    h: &HorizontalPodAutoscaler,
    hpa_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let meta = &h.metadata;
    let spec = h.spec.clone().unwrap_or_default();
    let status = h.status.clone().unwrap_or_default();
    let annotations: BTreeMap<String, String> = meta
        .annotations
        .iter()
        .flatten()
        .filter(|(k, _)| !ROUND_TRIP_ANNOTATIONS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", Some(&annotations));
    w.write(
        LEVEL_0,
        &format!("CreationTimestamp:\t{}\n", env.time_opt(meta.creation_timestamp.as_ref())),
    );
    let target = &spec.scale_target_ref;
    w.write(LEVEL_0, &format!("Reference:\t{}/{}\n", target.kind, target.name));
    w.write(LEVEL_0, "Metrics:\t( current / target )\n");
    // The v1 object has one metric: CPU utilisation (the API server
    // defaults its target to 80%).
    let current = hpa::current_cpu(h).map_or_else(
        || "<unknown>".to_owned(),
        |(utilization, value)| format!("{utilization}% ({value})"),
    );
    let cpu_target = spec.target_cpu_utilization_percentage.unwrap_or(80);
    w.write(LEVEL_1, "resource cpu on pods");
    w.write(LEVEL_1, &format!("(as a percentage of request):\t{current} / {cpu_target}%\n"));
    let min = spec.min_replicas.map_or_else(|| "<unset>".to_owned(), |m| m.to_string());
    w.write(LEVEL_0, &format!("Min replicas:\t{min}\n"));
    w.write(LEVEL_0, &format!("Max replicas:\t{}\n", spec.max_replicas));
    w.write(LEVEL_0, &format!("{} pods:\t", target.kind));
    w.write(
        LEVEL_0,
        &format!("{} current / {} desired\n", status.current_replicas, status.desired_replicas),
    );
    let conditions = hpa::conditions(h);
    if !conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n");
        w.write(LEVEL_1, "Type\tStatus\tReason\tMessage\n");
        w.write(LEVEL_1, "----\t------\t------\t-------\n");
        for (type_, status, reason, message) in &conditions {
            w.write(LEVEL_1, &format!("{type_}\t{status}\t{reason}\t{message}\n"));
        }
    }
    if let Some(list) = hpa_events {
        events(&mut w, list, env);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::{env, event};

    #[test]
    fn new_autoscaler_without_metrics() {
        let h: HorizontalPodAutoscaler = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default",
                "creationTimestamp": "2022-11-16T03:19:50Z"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "minReplicas": 1, "maxReplicas": 4, "targetCPUUtilizationPercentage": 50},
            "status": {"currentReplicas": 0, "desiredReplicas": 0}
        }))
        .unwrap();
        let expected = "\
Name:                                                  web
Namespace:                                             default
Labels:                                                <none>
Annotations:                                           <none>
CreationTimestamp:                                     Wed, 16 Nov 2022 03:19:50 +0000
Reference:                                             Deployment/web
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  <unknown> / 50%
Min replicas:                                          1
Max replicas:                                          4
Deployment pods:                                       0 current / 0 desired
Events:                                                <none>
";
        assert_eq!(describe_hpa(&h, Some(&[]), &env()), expected);
    }

    #[test]
    fn autoscaler_with_metric_conditions_and_events() {
        let h: HorizontalPodAutoscaler = serde_json::from_value(json!({
            "metadata": {"name": "php-apache", "namespace": "default",
                "creationTimestamp": "2022-11-16T03:10:00Z",
                "annotations": {
                    "autoscaling.alpha.kubernetes.io/conditions": "[{\"type\":\"AbleToScale\",\"status\":\"True\",\"lastTransitionTime\":\"2022-11-16T03:10:15Z\",\"reason\":\"ReadyForNewScale\",\"message\":\"recommended size matches current size\"},{\"type\":\"ScalingActive\",\"status\":\"True\",\"lastTransitionTime\":\"2022-11-16T03:10:15Z\",\"reason\":\"ValidMetricFound\",\"message\":\"the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)\"},{\"type\":\"ScalingLimited\",\"status\":\"False\",\"lastTransitionTime\":\"2022-11-16T03:10:15Z\",\"reason\":\"DesiredWithinRange\",\"message\":\"the desired count is within the acceptable range\"}]",
                    "autoscaling.alpha.kubernetes.io/current-metrics": "[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"currentAverageUtilization\":250,\"currentAverageValue\":\"500m\"}}]"
                }},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
                "minReplicas": 1, "maxReplicas": 10, "targetCPUUtilizationPercentage": 50},
            "status": {"currentReplicas": 1, "desiredReplicas": 4, "currentCPUUtilizationPercentage": 250}
        }))
        .unwrap();
        let ev = event(
            "HorizontalPodAutoscaler",
            "php-apache",
            "SuccessfulRescale",
            "horizontal-pod-autoscaler",
            "New size: 4; reason: cpu resource utilization (percentage of request) above target",
            "2022-11-16T03:19:30Z",
        );
        let expected = "\
Name:                                                  php-apache
Namespace:                                             default
Labels:                                                <none>
Annotations:                                           <none>
CreationTimestamp:                                     Wed, 16 Nov 2022 03:10:00 +0000
Reference:                                             Deployment/php-apache
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  250% (500m) / 50%
Min replicas:                                          1
Max replicas:                                          10
Deployment pods:                                       1 current / 4 desired
Conditions:
  Type            Status  Reason              Message
  ----            ------  ------              -------
  AbleToScale     True    ReadyForNewScale    recommended size matches current size
  ScalingActive   True    ValidMetricFound    the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)
  ScalingLimited  False   DesiredWithinRange  the desired count is within the acceptable range
Events:
  Type    Reason             Age   From                       Message
  ----    ------             ----  ----                       -------
  Normal  SuccessfulRescale  30s   horizontal-pod-autoscaler  New size: 4; reason: cpu resource utilization (percentage of request) above target
";
        assert_eq!(describe_hpa(&h, Some(&[&ev]), &env()), expected);
    }
}
