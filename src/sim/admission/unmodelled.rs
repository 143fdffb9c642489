//! Fields the API server stores and real controllers or kubelets act on,
//! but the simulator does not: an object that sets one is accepted (as a
//! real cluster would), and the simulator notes the feature so that the
//! step is reported `unsupported` rather than silently behaving as if the
//! field were absent (DESIGN §1, "Nothing is accepted and ignored").
//!
//! Each entry names what is missing; when the simulator learns a feature,
//! its entry goes.

use k8s_openapi::api::core::v1::{Container, PodSpec};

use crate::sim::object::Object;
use crate::version::{Fact, KubeVersion};

/// The unmodelled features `object` uses, each named with where it is
/// (`readinessProbe of container web in Deployment default/web`).
pub fn features(object: &Object, version: KubeVersion) -> Vec<String> {
    let at = || {
        format!(
            "{} {}{}",
            object.kind().info().kind_name,
            object.namespace().map(|n| format!("{n}/")).unwrap_or_default(),
            object.name()
        )
    };
    let mut found = Vec::new();
    if let Some(crate::sim::registry::Gap::Behaviour(what)) =
        crate::sim::registry::gap(object.kind())
    {
        found.push(what.to_owned());
    }
    let sts_template: Option<PodSpec> = match object {
        Object::Generic(_) if object.kind() == crate::sim::controllers::statefulset::sts_kind() => {
            crate::sim::quota::typed::<k8s_openapi::api::apps::v1::StatefulSet>(object)
                .and_then(|s| s.spec?.template.spec)
        }
        _ => None,
    };
    let spec = match object {
        Object::Generic(_) => sts_template.as_ref(),
        Object::Pod(p) => p.spec.as_ref(),
        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.template.spec.as_ref()),
        Object::ReplicaSet(r) => {
            r.spec.as_ref().and_then(|s| s.template.as_ref()).and_then(|t| t.spec.as_ref())
        }
        Object::DaemonSet(d) => d.spec.as_ref().and_then(|s| s.template.spec.as_ref()),
        Object::Job(j) => {
            found.extend(j.spec.as_ref().map(job_spec).unwrap_or_default());
            j.spec.as_ref().and_then(|s| s.template.spec.as_ref())
        }
        Object::HorizontalPodAutoscaler(h) => {
            found.extend(
                h.spec.iter().flat_map(|s| s.metrics.iter().flatten()).filter_map(hpa_metric),
            );
            None
        }
        Object::CronJob(c) => c
            .spec
            .as_ref()
            .and_then(|s| s.job_template.spec.as_ref())
            .and_then(|s| s.template.spec.as_ref()),
        _ => None,
    };
    if let Some(spec) = spec {
        found.extend(pod_spec(spec, version));
    }
    found.into_iter().map(|f| format!("{f} in {}", at())).collect()
}

/// Job fields the Job controller does not act on yet (the apiserver has
/// already dropped those the cluster's version lacks).
fn job_spec(spec: &k8s_openapi::api::batch::v1::JobSpec) -> Vec<String> {
    let mut found = Vec::new();
    if spec.managed_by.as_deref().is_some_and(|m| m != "kubernetes.io/job-controller") {
        found.push("managedBy (an external Job controller)".to_owned());
    }
    found
}

fn pod_spec(spec: &PodSpec, version: KubeVersion) -> Vec<String> {
    let mut found = Vec::new();
    for c in &spec.containers {
        found.extend(container(c));
    }
    if let Some(affinity) = &spec.affinity {
        found.extend(pod_affinity(affinity));
        if affinity
            .node_affinity
            .as_ref()
            .is_some_and(|n| n.preferred_during_scheduling_ignored_during_execution.is_some())
        {
            found.push(
                "preferred node affinity (the scheduler models required node affinity only)"
                    .to_owned(),
            );
        }
    }
    found.extend(topology_spread(spec, version));
    for v in spec.volumes.iter().flatten() {
        if v.ephemeral.is_some() {
            found.push(format!(
                "volume {:?} backed by an ephemeral PersistentVolumeClaim (not modelled)",
                v.name
            ));
        }
    }
    let run_as = |c: &Option<k8s_openapi::api::core::v1::PodSecurityContext>| {
        c.as_ref().is_some_and(|c| {
            c.run_as_user.is_some() || c.run_as_group.is_some() || c.run_as_non_root.is_some()
        })
    };
    if run_as(&spec.security_context) {
        found.push(
            "securityContext runAsUser/runAsGroup/runAsNonRoot (containers always run as the \
             image's user)"
                .to_owned(),
        );
    }
    found
}

/// What of a pod's inter-pod (anti-)affinity the scheduler does not model:
/// it filters by the required terms
/// ([`crate::sim::controllers::inter_pod_affinity`]), but does not score
/// the preferred ones, nor select namespaces by label.
fn pod_affinity(affinity: &k8s_openapi::api::core::v1::Affinity) -> Vec<String> {
    let mut found = Vec::new();
    let rules = [
        (
            "pod affinity",
            affinity.pod_affinity.as_ref().map(|a| {
                (
                    &a.required_during_scheduling_ignored_during_execution,
                    &a.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
        (
            "pod anti-affinity",
            affinity.pod_anti_affinity.as_ref().map(|a| {
                (
                    &a.required_during_scheduling_ignored_during_execution,
                    &a.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
    ];
    for (what, rule) in rules {
        let Some((required, preferred)) = rule else { continue };
        if preferred.as_ref().is_some_and(|p| !p.is_empty()) {
            found.push(format!("preferred {what} (the scheduler does not score it)"));
        }
        let terms = required
            .iter()
            .flatten()
            .chain(preferred.iter().flatten().map(|w| &w.pod_affinity_term));
        for term in terms {
            if term
                .namespace_selector
                .as_ref()
                .is_some_and(|s| !crate::sim::labels::selector_is_empty(s))
            {
                found.push(format!("a {what} term's namespaceSelector (not modelled)"));
            }
            if term.match_label_keys.as_ref().is_some_and(|k| !k.is_empty())
                || term.mismatch_label_keys.as_ref().is_some_and(|k| !k.is_empty())
            {
                found.push(format!(
                    "a {what} term's matchLabelKeys/mismatchLabelKeys (not modelled)"
                ));
            }
        }
    }
    found.dedup();
    found
}

/// What of a pod's topology spread constraints the scheduler does not
/// model: it filters by `DoNotSchedule` constraints
/// ([`crate::sim::controllers::pod_topology_spread`]) where EvenPodsSpread
/// is on by default (v1.18), but scores no `ScheduleAnyway` one.
fn topology_spread(spec: &PodSpec, version: KubeVersion) -> Vec<String> {
    let constraints = spec.topology_spread_constraints.as_deref().unwrap_or_default();
    if constraints.is_empty() {
        return Vec::new();
    }
    if !version.has(Fact::EvenPodsSpreadOnByDefault) {
        return vec![
            "topologySpreadConstraints (EvenPodsSpread is alpha before v1.18: the API server \
             drops them unless the feature gate is on)"
                .to_owned(),
        ];
    }
    let mut found = Vec::new();
    for c in constraints {
        if c.when_unsatisfiable != "DoNotSchedule" {
            found.push(format!(
                "a topologySpreadConstraint whenUnsatisfiable {} (the scheduler does not score it)",
                c.when_unsatisfiable
            ));
        }
        if c.min_domains.is_some() {
            found.push("a topologySpreadConstraint's minDomains (not modelled)".to_owned());
        }
        if c.node_affinity_policy.as_deref().is_some_and(|p| p != "Honor")
            || c.node_taints_policy.as_deref().is_some_and(|p| p != "Ignore")
        {
            found.push(
                "a topologySpreadConstraint's node inclusion policies (not modelled)".to_owned(),
            );
        }
        if c.match_label_keys.as_ref().is_some_and(|k| !k.is_empty()) {
            found.push("a topologySpreadConstraint's matchLabelKeys (not modelled)".to_owned());
        }
    }
    found.dedup();
    found
}

fn container(c: &Container) -> Vec<String> {
    let mut found = Vec::new();
    // Exec, httpGet and sleep hooks run (`controllers::lifecycle_hooks`);
    // the deprecated tcpSocket handler, which the kubelet does not run
    // either (`handlers.go`: "invalid handler"), does not.
    let hooks =
        c.lifecycle.iter().flat_map(|l| [("postStart", &l.post_start), ("preStop", &l.pre_stop)]);
    for (hook, handler) in hooks {
        let Some(h) = handler else { continue };
        if h.tcp_socket.is_none() {
            continue;
        }
        found.push(format!("{hook} tcpSocket hook of container {:?}", c.name));
    }
    if c.security_context.as_ref().is_some_and(|s| {
        s.run_as_user.is_some() || s.run_as_group.is_some() || s.run_as_non_root.is_some()
    }) {
        found.push(format!(
            "securityContext runAsUser/runAsGroup/runAsNonRoot of container {:?} (containers \
             always run as the image's user)",
            c.name
        ));
    }
    found
}

/// An HPA metric the simulated controller cannot compute: the simulator
/// serves the resource metrics API (cpu and memory of pods) only, no
/// custom or external metrics API, and no per-container usage to the HPA.
fn hpa_metric(m: &k8s_openapi::api::autoscaling::v2::MetricSpec) -> Option<String> {
    let what = match (m.type_.as_str(), m.resource.as_ref()) {
        ("Resource", Some(r)) if matches!(r.name.as_str(), "cpu" | "memory") => return None,
        ("Resource", Some(r)) => format!("HPA Resource metric {}", r.name),
        ("Pods", _) => {
            format!("HPA Pods metric {}", m.pods.as_ref().map_or("", |p| p.metric.name.as_str()))
        }
        ("Object", _) => format!(
            "HPA Object metric {}",
            m.object.as_ref().map_or("", |o| o.metric.name.as_str())
        ),
        ("External", _) => format!(
            "HPA External metric {}",
            m.external.as_ref().map_or("", |e| e.metric.name.as_str())
        ),
        (other, _) => format!("HPA {other} metric"),
    };
    Some(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The features noted on a v1.33 cluster.
    fn features(object: &Object) -> Vec<String> {
        super::features(object, KubeVersion::new(1, 33, 0))
    }

    fn object(yaml: &str) -> Object {
        Object::from_value(serde_yaml::from_str(yaml).unwrap()).unwrap()
    }

    #[test]
    fn claims_are_named() {
        let deploy = object(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\n\
             spec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n\
             \x20   spec:\n      initContainers: [{name: init, image: busybox}]\n\
             \x20     containers:\n      - name: web\n        image: nginx\n\
             \x20       livenessProbe: {httpGet: {path: /, port: 80}}\n\
             \x20     volumes: [{name: data, ephemeral: {volumeClaimTemplate: {spec: {}}}}]\n",
        );
        assert_eq!(
            features(&deploy),
            [
                "volume \"data\" backed by an ephemeral PersistentVolumeClaim (not modelled) in Deployment default/web",
            ]
        );
    }

    #[test]
    fn only_tcp_socket_lifecycle_hooks_are_named() {
        let pod = |handler: &str| {
            object(&format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: default}}\n\
                 spec: {{containers: [{{name: c, image: nginx, lifecycle: {{preStop: {handler}}}}}]}}\n"
            ))
        };
        assert!(features(&pod("{exec: {command: [sh, -c, 'sleep 5']}}")).is_empty());
        assert!(features(&pod("{httpGet: {path: /quit, port: 80}}")).is_empty());
        assert!(features(&pod("{sleep: {seconds: 5}}")).is_empty());
        assert_eq!(
            features(&pod("{tcpSocket: {port: 80}}")),
            ["preStop tcpSocket hook of container \"c\" in Pod default/p"]
        );
    }

    #[test]
    fn required_pod_affinity_is_modelled_preferred_is_named() {
        let pod = |affinity: &str| {
            object(&format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: default}}\n\
                 spec: {{affinity: {affinity}, containers: [{{name: c, image: nginx}}]}}\n"
            ))
        };
        let term =
            "{labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}";
        let required = format!(
            "{{podAntiAffinity: {{requiredDuringSchedulingIgnoredDuringExecution: [{term}]}}}}"
        );
        assert!(features(&pod(&required)).is_empty());
        let preferred = format!(
            "{{podAffinity: {{preferredDuringSchedulingIgnoredDuringExecution: [{{weight: 1, podAffinityTerm: {term}}}]}}}}"
        );
        assert_eq!(
            features(&pod(&preferred)),
            ["preferred pod affinity (the scheduler does not score it) in Pod default/p"]
        );
        let by_label = "{podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {}, \
             namespaceSelector: {matchLabels: {team: a}}, topologyKey: zone}]}}";
        assert_eq!(
            features(&pod(by_label)),
            ["a pod affinity term's namespaceSelector (not modelled) in Pod default/p"]
        );
    }

    #[test]
    fn hard_topology_spread_is_modelled_from_v1_18_soft_is_named() {
        let pod = |when: &str| {
            object(&format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: default}}\n\
                 spec: {{topologySpreadConstraints: [{{maxSkew: 1, topologyKey: zone, \
                 whenUnsatisfiable: {when}, labelSelector: {{matchLabels: {{app: a}}}}}}], \
                 containers: [{{name: c, image: nginx}}]}}\n"
            ))
        };
        assert!(features(&pod("DoNotSchedule")).is_empty());
        assert_eq!(
            features(&pod("ScheduleAnyway")),
            [
                "a topologySpreadConstraint whenUnsatisfiable ScheduleAnyway (the scheduler does not score it) in Pod default/p"
            ]
        );
        let at = |minor| super::features(&pod("DoNotSchedule"), KubeVersion::new(1, minor, 0));
        assert!(at(18).is_empty());
        assert!(at(17)[0].starts_with("topologySpreadConstraints (EvenPodsSpread is alpha"));
    }

    #[test]
    fn a_plain_pod_uses_nothing_unmodelled() {
        let pod = object(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n\
             spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}], \
             resources: {requests: {cpu: 100m}}}], nodeSelector: {disk: ssd}}\n",
        );
        assert!(features(&pod).is_empty());
    }

    #[test]
    fn pod_condition_rules_are_modelled_an_external_controller_is_named() {
        let job = |action: &str, managed_by: &str| {
            object(&format!(
                "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: j, namespace: default}}\n\
                 spec:\n  managedBy: {managed_by}\n  podFailurePolicy:\n    rules:\n\
                 \x20   - {{action: {action}, onPodConditions: [{{type: DisruptionTarget}}]}}\n\
                 \x20   - {{action: FailJob, onExitCodes: {{operator: In, values: [42]}}}}\n\
                 \x20 template:\n    spec:\n      restartPolicy: Never\n\
                 \x20     containers: [{{name: c, image: busybox}}]\n"
            ))
        };
        // Disrupted pods carry DisruptionTarget and reach Failed before the
        // Job controller lets them go (`controllers::job::tracking`).
        for action in ["Ignore", "Count", "FailJob", "FailIndex"] {
            assert!(features(&job(action, "kubernetes.io/job-controller")).is_empty(), "{action}");
        }
        assert_eq!(
            features(&job("Count", "example.com/other")),
            ["managedBy (an external Job controller) in Job default/j"]
        );
    }
}
