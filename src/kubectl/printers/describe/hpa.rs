//! The HorizontalPodAutoscaler page. kubectl v1.22 asks for the
//! autoscaling/v2beta2 representation (`describeHorizontalPodAutoscalerV2beta2`,
//! `kubectl/pkg/describe/describe.go`); v1.23+ ask for autoscaling/v2
//! (`describeHorizontalPodAutoscalerV2`) and print the same layout. The
//! simulator stores HPAs in that shape (`sim::hpa_conversion`), so the page
//! reads the stored object: every metric, `behavior` when set, the
//! conditions.

use k8s_openapi::api::{
    autoscaling::v2::{HPAScalingRules, HorizontalPodAutoscaler, MetricValueStatus},
    core::v1::Event,
};

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, Writer, annotations_multiline, events,
    labels_multiline,
};

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
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(
        LEVEL_0,
        &format!("CreationTimestamp:\t{}\n", env.time_opt(meta.creation_timestamp.as_ref())),
    );
    let target = &spec.scale_target_ref;
    w.write(LEVEL_0, &format!("Reference:\t{}/{}\n", target.kind, target.name));
    w.write(LEVEL_0, "Metrics:\t( current / target )\n");
    let statuses = status.current_metrics.clone().unwrap_or_default();
    let unknown = || "<unknown>".to_owned();
    let q = |v: Option<&k8s_openapi::apimachinery::pkg::api::resource::Quantity>| {
        v.map_or_else(|| "<nil>".to_owned(), |q| q.0.clone())
    };
    for (i, m) in spec.metrics.iter().flatten().enumerate() {
        let st = statuses.get(i);
        match (m.type_.as_str(), &m.resource, &m.container_resource) {
            ("Resource", Some(_), _) | ("ContainerResource", _, Some(_)) => {
                let (name, target, current): (String, _, Option<&MetricValueStatus>) = match m
                    .type_
                    .as_str()
                {
                    "Resource" => (
                        format!(
                            "resource {} on pods",
                            m.resource.as_ref().map_or("", |r| r.name.as_str())
                        ),
                        m.resource.as_ref().map(|r| r.target.clone()).unwrap_or_default(),
                        st.and_then(|s| s.resource.as_ref()).map(|r| &r.current),
                    ),
                    _ => {
                        let c = m.container_resource.as_ref().expect("matched");
                        (
                            format!("resource {} of container \"{}\" on pods", c.name, c.container),
                            c.target.clone(),
                            st.and_then(|s| s.container_resource.as_ref()).map(|r| &r.current),
                        )
                    }
                };
                w.write(LEVEL_1, &name);
                if let Some(value) = &target.average_value {
                    let current = current.map_or_else(unknown, |c| q(c.average_value.as_ref()));
                    w.write(LEVEL_0, &format!(":\t{current} / {}\n", value.0));
                } else {
                    let current = current
                        .and_then(|c| c.average_utilization.map(|u| (u, c)))
                        .map_or_else(unknown, |(u, c)| {
                            format!("{u}% ({})", q(c.average_value.as_ref()))
                        });
                    let target = target
                        .average_utilization
                        .map_or_else(|| "<auto>".to_owned(), |u| format!("{u}%"));
                    w.write(
                        LEVEL_1,
                        &format!("(as a percentage of request):\t{current} / {target}\n"),
                    );
                }
            }
            ("Pods", ..) => {
                let p = m.pods.clone().unwrap_or_default();
                let current = st
                    .and_then(|s| s.pods.as_ref())
                    .map_or_else(unknown, |p| q(p.current.average_value.as_ref()));
                w.write(
                    LEVEL_1,
                    &format!(
                        "{:?} on pods:\t{current} / {}\n",
                        p.metric.name,
                        q(p.target.average_value.as_ref())
                    ),
                );
            }
            ("Object", ..) => {
                let o = m.object.clone().unwrap_or_default();
                let d = &o.described_object;
                w.write(LEVEL_1, &format!("\"{}\" on {}/{} ", o.metric.name, d.kind, d.name));
                let current = st.and_then(|s| s.object.as_ref()).map(|o| &o.current);
                if o.target.type_ == "AverageValue" {
                    let current = current.map_or_else(unknown, |c| q(c.average_value.as_ref()));
                    let t = q(o.target.average_value.as_ref());
                    w.write(LEVEL_0, &format!("(target average value):\t{current} / {t}\n"));
                } else {
                    let current = current.map_or_else(unknown, |c| q(c.value.as_ref()));
                    let t = q(o.target.value.as_ref());
                    w.write(LEVEL_0, &format!("(target value):\t{current} / {t}\n"));
                }
            }
            ("External", ..) => {
                let e = m.external.clone().unwrap_or_default();
                let current = st.and_then(|s| s.external.as_ref()).map(|e| &e.current);
                if let Some(avg) = &e.target.average_value {
                    let current = current.map_or_else(unknown, |c| q(c.average_value.as_ref()));
                    w.write(
                        LEVEL_1,
                        &format!(
                            "{:?} (target average value):\t{current} / {}\n",
                            e.metric.name, avg.0
                        ),
                    );
                } else {
                    let current = current.map_or_else(unknown, |c| q(c.value.as_ref()));
                    let t = q(e.target.value.as_ref());
                    w.write(
                        LEVEL_1,
                        &format!("{:?} (target value):\t{current} / {t}\n", e.metric.name),
                    );
                }
            }
            (other, ..) => w.write(LEVEL_1, &format!("<unknown metric type {other:?}>\n")),
        }
    }
    let min = spec.min_replicas.map_or_else(|| "<unset>".to_owned(), |m| m.to_string());
    w.write(LEVEL_0, &format!("Min replicas:\t{min}\n"));
    w.write(LEVEL_0, &format!("Max replicas:\t{}\n", spec.max_replicas));
    // Only a set `behavior` is printed.
    if let Some(b) = &spec.behavior {
        w.write(LEVEL_0, "Behavior:\n");
        direction(&mut w, "Scale Up", b.scale_up.as_ref());
        direction(&mut w, "Scale Down", b.scale_down.as_ref());
    }
    w.write(LEVEL_0, &format!("{} pods:\t", target.kind));
    w.write(
        LEVEL_0,
        &format!(
            "{} current / {} desired\n",
            status.current_replicas.unwrap_or(0),
            status.desired_replicas
        ),
    );
    let conditions = status.conditions.clone().unwrap_or_default();
    if !conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n");
        w.write(LEVEL_1, "Type\tStatus\tReason\tMessage\n");
        w.write(LEVEL_1, "----\t------\t------\t-------\n");
        for c in &conditions {
            w.write(
                LEVEL_1,
                &format!(
                    "{}\t{}\t{}\t{}\n",
                    c.type_,
                    c.status,
                    c.reason.as_deref().unwrap_or_default(),
                    c.message.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    if let Some(list) = hpa_events {
        events(&mut w, list, env);
    }
    w.finish()
}

/// `printDirectionBehavior`.
fn direction(w: &mut Writer, name: &str, rules: Option<&HPAScalingRules>) {
    let Some(rules) = rules else { return };
    w.write(LEVEL_1, &format!("{name}:\n"));
    if let Some(s) = rules.stabilization_window_seconds {
        w.write(LEVEL_2, &format!("Stabilization Window: {s} seconds\n"));
    }
    let policies = rules.policies.clone().unwrap_or_default();
    if !policies.is_empty() {
        let select = rules.select_policy.as_deref().unwrap_or("Max");
        w.write(LEVEL_2, &format!("Select Policy: {select}\n"));
        w.write(LEVEL_2, "Policies:\n");
        for p in &policies {
            w.write(
                LEVEL_3,
                &format!(
                    "- Type: {}\tValue: {}\tPeriod: {} seconds\n",
                    p.type_, p.value, p.period_seconds
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::{env, event};

    /// An autoscaling/v1 manifest as the API server stores it.
    fn from_v1(mut v: serde_json::Value) -> HorizontalPodAutoscaler {
        crate::sim::hpa_conversion::to_internal("autoscaling/v1", v.as_object_mut().unwrap());
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn new_autoscaler_without_metrics() {
        let h = from_v1(json!({
            "metadata": {"name": "web", "namespace": "default",
                "creationTimestamp": "2022-11-16T03:19:50Z"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "minReplicas": 1, "maxReplicas": 4, "targetCPUUtilizationPercentage": 50},
            "status": {"currentReplicas": 0, "desiredReplicas": 0}
        }));
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
        let h = from_v1(json!({
            "metadata": {"name": "php-apache", "namespace": "default",
                "creationTimestamp": "2022-11-16T03:10:00Z",
                "annotations": {
                    "autoscaling.alpha.kubernetes.io/conditions": "[{\"type\":\"AbleToScale\",\"status\":\"True\",\"lastTransitionTime\":\"2022-11-16T03:10:15Z\",\"reason\":\"ReadyForNewScale\",\"message\":\"recommended size matches current size\"},{\"type\":\"ScalingActive\",\"status\":\"True\",\"lastTransitionTime\":\"2022-11-16T03:10:15Z\",\"reason\":\"ValidMetricFound\",\"message\":\"the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)\"},{\"type\":\"ScalingLimited\",\"status\":\"False\",\"lastTransitionTime\":\"2022-11-16T03:10:15Z\",\"reason\":\"DesiredWithinRange\",\"message\":\"the desired count is within the acceptable range\"}]",
                    "autoscaling.alpha.kubernetes.io/current-metrics": "[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"currentAverageUtilization\":250,\"currentAverageValue\":\"500m\"}}]"
                }},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
                "minReplicas": 1, "maxReplicas": 10, "targetCPUUtilizationPercentage": 50},
            "status": {"currentReplicas": 1, "desiredReplicas": 4, "currentCPUUtilizationPercentage": 250}
        }));
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
