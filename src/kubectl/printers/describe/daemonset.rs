//! `describeDaemonSet` (`kubectl/pkg/describe/describe.go`, v1.22). The
//! `Namespace:` line comes with kubectl 1.33
//! ([`Fact::DescribeDaemonSetNamespace`]); the `Number of ...` lines have
//! no tab, so they are not aligned.

use k8s_openapi::api::{apps::v1::DaemonSet, core::v1::Event};

use super::{
    DescribeEnv, LEVEL_0, PodCounts, Writer, annotations_multiline, events, labels_multiline,
    pod_template,
};
use crate::{
    kubectl::labels::{format_labels, selector_text},
    version::Fact,
};

/// The page `kubectl describe daemonset` prints; `pods` are counted as
/// [`PodCounts::controlled_by`] does.
pub fn describe_daemon_set(
    ds: &DaemonSet,
    pods: &PodCounts,
    ds_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let meta = &ds.metadata;
    let spec = ds.spec.clone().unwrap_or_default();
    let status = ds.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    if env.has(Fact::DescribeDaemonSetNamespace) {
        w.write(
            LEVEL_0,
            &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()),
        );
    }
    w.write(LEVEL_0, &format!("Selector:\t{}\n", selector_text(Some(&spec.selector))));
    let node_selector = spec.template.spec.as_ref().and_then(|s| s.node_selector.as_ref());
    w.write(LEVEL_0, &format!("Node-Selector:\t{}\n", format_labels(node_selector)));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(
        LEVEL_0,
        &format!("Desired Number of Nodes Scheduled: {}\n", status.desired_number_scheduled),
    );
    w.write(
        LEVEL_0,
        &format!("Current Number of Nodes Scheduled: {}\n", status.current_number_scheduled),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
            status.updated_number_scheduled.unwrap_or(0)
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Number of Nodes Scheduled with Available Pods: {}\n",
            status.number_available.unwrap_or(0)
        ),
    );
    w.write(LEVEL_0, &format!("Number of Nodes Misscheduled: {}\n", status.number_misscheduled));
    pods.write(&mut w);
    pod_template(&mut w, Some(&spec.template), env);
    if let Some(list) = ds_events {
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
    fn daemon_set_page() {
        let ds: DaemonSet = serde_json::from_value(json!({
            "metadata": {"name": "testdaemonset", "namespace": "default",
                "annotations": {"deprecated.daemonset.template.generation": "1"}},
            "spec": {"selector": {"matchLabels": {"app": "logger"}},
                "template": {"metadata": {"labels": {"app": "logger"}},
                    "spec": {"containers": [{"name": "fluentd", "image": "fluentd:v1",
                        "resources": {"limits": {"memory": "200Mi"}, "requests": {"cpu": "100m", "memory": "200Mi"}},
                        "volumeMounts": [{"name": "varlog", "mountPath": "/var/log"}]}],
                        "volumes": [{"name": "varlog", "hostPath": {"path": "/var/log", "type": ""}}]}}},
            "status": {"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberMisscheduled": 0,
                "numberReady": 1, "updatedNumberScheduled": 2, "numberAvailable": 1}
        }))
        .unwrap();
        let evs = [
            event(
                "DaemonSet",
                "testdaemonset",
                "SuccessfulCreate",
                "daemonset-controller",
                "Created pod: testdaemonset-4xk2p",
                "2022-11-16T03:18:00Z",
            ),
            event(
                "DaemonSet",
                "testdaemonset",
                "SuccessfulCreate",
                "daemonset-controller",
                "Created pod: testdaemonset-9m7wz",
                "2022-11-16T03:18:00Z",
            ),
        ];
        let refs: Vec<&Event> = evs.iter().collect();
        let counts = PodCounts { running: 1, waiting: 1, succeeded: 0, failed: 0 };
        let env = env();
        let expected = "\
Name:           testdaemonset
Selector:       app=logger
Node-Selector:  <none>
Labels:         <none>
Annotations:    deprecated.daemonset.template.generation: 1
Desired Number of Nodes Scheduled: 2
Current Number of Nodes Scheduled: 2
Number of Nodes Scheduled with Up-to-date Pods: 2
Number of Nodes Scheduled with Available Pods: 1
Number of Nodes Misscheduled: 0
Pods Status:  1 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=logger
  Containers:
   fluentd:
    Image:      fluentd:v1
    Port:       <none>
    Host Port:  <none>
    Limits:
      memory:  200Mi
    Requests:
      cpu:        100m
      memory:     200Mi
    Environment:  <none>
    Mounts:
      /var/log from varlog (rw)
  Volumes:
   varlog:
    Type:          HostPath (bare host directory volume)
    Path:          /var/log
    HostPathType:  
Events:
  Type    Reason            Age   From                  Message
  ----    ------            ----  ----                  -------
  Normal  SuccessfulCreate  2m    daemonset-controller  Created pod: testdaemonset-4xk2p
  Normal  SuccessfulCreate  2m    daemonset-controller  Created pod: testdaemonset-9m7wz
";
        assert_eq!(describe_daemon_set(&ds, &counts, Some(&refs), &env), expected);
    }

    #[test]
    fn namespace_line_from_kubectl_1_33() {
        let ds: DaemonSet = serde_json::from_value(json!({
            "metadata": {"name": "node-agent", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "node-agent"}},
                "template": {"metadata": {"labels": {"app": "node-agent"}},
                    "spec": {"containers": [{"name": "agent", "image": "busybox"}]}}}
        }))
        .unwrap();
        let counts = PodCounts { running: 0, waiting: 0, succeeded: 0, failed: 0 };
        let page = |minor| describe_daemon_set(&ds, &counts, None, &DescribeEnv { minor, ..env() });
        assert!(
            page(32).starts_with("Name:           node-agent\nSelector:       app=node-agent\n")
        );
        assert!(page(33).starts_with(
            "Name:           node-agent\nNamespace:      default\nSelector:       app=node-agent\n"
        ));
    }
}
