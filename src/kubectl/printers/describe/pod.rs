//! `describePod` (`kubectl/pkg/describe/describe.go`, v1.22).

use crate::version::Fact;
use k8s_openapi::api::core::v1::{Event, Pod};

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, Writer, annotations_multiline, containers, controlled_by,
    events, labels_multiline, tolerations_multiline, volumes,
};
use crate::kubectl::printers::duration::since;

/// The page `kubectl describe pod` prints for `pod` with its `events`.
pub fn describe_pod(pod: &Pod, pod_events: Option<&[&Event]>, env: &DescribeEnv) -> String {
    let mut w = Writer::default();
    let meta = &pod.metadata;
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    if let Some(p) = spec.priority {
        w.write(LEVEL_0, &format!("Priority:\t{p}\n"));
    }
    if let Some(pc) = spec.priority_class_name.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_0, &format!("Priority Class Name:\t{pc}\n"));
    }
    if env.has(Fact::DescribePodServiceAccount)
        && let Some(sa) = spec.service_account_name.as_deref().filter(|s| !s.is_empty())
    {
        w.write(LEVEL_0, &format!("Service Account:\t{sa}\n"));
    }
    match spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        None => w.write(LEVEL_0, "Node:\t<none>\n"),
        Some(node) => w.write(
            LEVEL_0,
            &format!("Node:\t{node}/{}\n", status.host_ip.as_deref().unwrap_or_default()),
        ),
    }
    if let Some(start) = &status.start_time {
        w.write(LEVEL_0, &format!("Start Time:\t{}\n", env.time(start)));
    }
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    if let Some(deleted) = &meta.deletion_timestamp {
        w.write(
            LEVEL_0,
            &format!("Status:\tTerminating (lasts {})\n", since(env.now, Some(deleted))),
        );
        w.write(
            LEVEL_0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                meta.deletion_grace_period_seconds.unwrap_or(0)
            ),
        );
    } else {
        w.write(LEVEL_0, &format!("Status:\t{}\n", status.phase.as_deref().unwrap_or_default()));
    }
    if let Some(r) = status.reason.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_0, &format!("Reason:\t{r}\n"));
    }
    if let Some(m) = status.message.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_0, &format!("Message:\t{m}\n"));
    }
    w.write(LEVEL_0, &format!("IP:\t{}\n", status.pod_ip.as_deref().unwrap_or_default()));
    let ips = status.pod_ips.clone().unwrap_or_default();
    if ips.is_empty() {
        w.write(LEVEL_0, "IPs:\t<none>\n");
    } else {
        w.write(LEVEL_0, "IPs:\n");
        for ip in &ips {
            w.write(LEVEL_1, &format!("IP:\t{}\n", ip.ip));
        }
    }
    controlled_by(&mut w, meta);
    if let Some(n) = status.nominated_node_name.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_0, &format!("NominatedNodeName:\t{n}\n"));
    }
    let resolver = |path: &str| field_value(pod, path);
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        let statuses = status.init_container_statuses.clone().unwrap_or_default();
        containers(&mut w, "Init Containers", init, &statuses, Some(&resolver), "", env);
    }
    let statuses = status.container_statuses.clone().unwrap_or_default();
    containers(&mut w, "Containers", &spec.containers, &statuses, Some(&resolver), "", env);
    let conditions = status.conditions.clone().unwrap_or_default();
    if let Some(gates) = spec.readiness_gates.as_ref().filter(|g| !g.is_empty()) {
        w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let status = conditions
                .iter()
                .find(|c| c.type_ == g.condition_type)
                .map_or("<none>".to_owned(), |c| c.status.clone());
            w.write(LEVEL_1, &format!("{} \t{status} \n", g.condition_type));
        }
    }
    if !conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n");
        for c in &conditions {
            w.write(LEVEL_1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    volumes(&mut w, spec.volumes.as_deref().unwrap_or_default(), "", env.minor);
    let qos = status
        .qos_class
        .clone()
        .filter(|q| !q.is_empty())
        .unwrap_or_else(|| crate::sim::qos::class(pod).to_owned());
    w.write(LEVEL_0, &format!("QoS Class:\t{qos}\n"));
    labels_multiline(&mut w, "", "Node-Selectors", spec.node_selector.as_ref());
    tolerations_multiline(&mut w, "Tolerations", spec.tolerations.as_deref().unwrap_or_default());
    if let Some(list) = pod_events {
        events(&mut w, list, env);
    }
    w.finish()
}

/// `fieldpath.ExtractFieldPathAsString` for the paths pods use in env.
fn field_value(pod: &Pod, path: &str) -> String {
    let meta = &pod.metadata;
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    let map_entry = |map: Option<&std::collections::BTreeMap<String, String>>, rest: &str| {
        let key = rest.trim_start_matches("['").trim_end_matches("']");
        map.and_then(|m| m.get(key).cloned()).unwrap_or_default()
    };
    match path {
        "metadata.name" => meta.name.clone().unwrap_or_default(),
        "metadata.namespace" => meta.namespace.clone().unwrap_or_default(),
        "metadata.uid" => meta.uid.clone().unwrap_or_default(),
        "spec.nodeName" => spec.and_then(|s| s.node_name.clone()).unwrap_or_default(),
        "spec.serviceAccountName" => {
            spec.and_then(|s| s.service_account_name.clone()).unwrap_or_default()
        }
        "status.hostIP" => status.and_then(|s| s.host_ip.clone()).unwrap_or_default(),
        "status.podIP" => status.and_then(|s| s.pod_ip.clone()).unwrap_or_default(),
        "status.podIPs" => status
            .and_then(|s| s.pod_ips.as_ref())
            .map(|ips| ips.iter().map(|i| i.ip.clone()).collect::<Vec<_>>().join(","))
            .unwrap_or_default(),
        p if p.starts_with("metadata.labels") => {
            map_entry(meta.labels.as_ref(), &p["metadata.labels".len()..])
        }
        p if p.starts_with("metadata.annotations") => {
            map_entry(meta.annotations.as_ref(), &p["metadata.annotations".len()..])
        }
        _ => String::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use k8s_openapi::{api::core::v1::Event, jiff::Timestamp};
    use serde_json::json;

    use super::*;

    /// Compares ignoring trailing spaces (the seed transcript lost them).
    pub(crate) fn assert_same_text(actual: &str, expected: &str) {
        let a: Vec<&str> = actual.lines().map(str::trim_end).collect();
        let e: Vec<&str> = expected.lines().map(str::trim_end).collect();
        assert_eq!(a, e, "\nactual:\n{actual}");
    }

    pub(crate) fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// The clock and kubectl version the layout tests describe at: v1.22,
    /// UTC, 2022-11-16 03:20 (the seed tutorial's days).
    pub(crate) fn env() -> DescribeEnv {
        DescribeEnv { now: ts("2022-11-16T03:20:00Z"), utc_offset_seconds: 0, minor: 22 }
    }

    pub(crate) fn event(
        obj_kind: &str,
        obj: &str,
        reason: &str,
        from: &str,
        message: &str,
        at: &str,
    ) -> Event {
        serde_json::from_value(json!({
            "metadata": {"name": format!("{obj}.{reason}"), "namespace": "default", "creationTimestamp": at},
            "involvedObject": {"kind": obj_kind, "name": obj, "namespace": "default"},
            "reason": reason, "message": message, "type": "Normal",
            "source": {"component": from},
            "firstTimestamp": at, "lastTimestamp": at, "count": 1
        }))
        .unwrap()
    }

    /// The seed's `test-nginx-59ffd87f5-mqvjq` pod, as the API returns it.
    fn seed_pod() -> Pod {
        serde_json::from_value(json!({
            "metadata": {
                "name": "test-nginx-59ffd87f5-mqvjq", "namespace": "default",
                "labels": {"app": "test-nginx", "pod-template-hash": "59ffd87f5"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "test-nginx-59ffd87f5",
                    "uid": "u1", "controller": true, "blockOwnerDeletion": true}],
                "creationTimestamp": "2022-11-16T03:08:29Z"
            },
            "spec": {
                "containers": [{"name": "nginx", "image": "nginx", "imagePullPolicy": "Always",
                    "volumeMounts": [{"name": "kube-api-access-l29hm", "readOnly": true,
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]}],
                "nodeName": "worker1", "priority": 0, "serviceAccountName": "default",
                "tolerations": [
                    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
                ],
                "volumes": [{"name": "kube-api-access-l29hm", "projected": {"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                    {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}
                ]}}]
            },
            "status": {
                "phase": "Running", "hostIP": "192.168.200.12", "podIP": "10.244.1.7",
                "podIPs": [{"ip": "10.244.1.7"}], "startTime": "2022-11-16T03:08:29Z", "qosClass": "BestEffort",
                "conditions": [
                    {"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"},
                    {"type": "ContainersReady", "status": "True"}, {"type": "PodScheduled", "status": "True"}
                ],
                "containerStatuses": [{"name": "nginx", "ready": true, "restartCount": 0, "image": "nginx:latest",
                    "imageID": "docker-pullable://nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
                    "containerID": "docker://9f66b66ff9cfe9511b8c248346f62ae872c16aca53d54003f345ab7df09e13a8",
                    "started": true, "state": {"running": {"startedAt": "2022-11-16T03:08:53Z"}}}]
            }
        }))
        .unwrap()
    }

    #[test]
    fn seed_describe_pod() {
        let pod = seed_pod();
        let name = "test-nginx-59ffd87f5-mqvjq";
        let events = [
            event(
                "Pod",
                name,
                "Scheduled",
                "default-scheduler",
                "Successfully assigned default/test-nginx-59ffd87f5-mqvjq to worker1",
                "2022-11-16T03:08:29Z",
            ),
            event(
                "Pod",
                name,
                "Pulling",
                "kubelet",
                "Pulling image \"nginx\"",
                "2022-11-16T03:08:31Z",
            ),
            event(
                "Pod",
                name,
                "Pulled",
                "kubelet",
                "Successfully pulled image \"nginx\" in 22.047909579s",
                "2022-11-16T03:08:53Z",
            ),
            event(
                "Pod",
                name,
                "Created",
                "kubelet",
                "Created container nginx",
                "2022-11-16T03:08:53Z",
            ),
            event(
                "Pod",
                name,
                "Started",
                "kubelet",
                "Started container nginx",
                "2022-11-16T03:08:53Z",
            ),
        ];
        let refs: Vec<&Event> = events.iter().collect();
        let env = DescribeEnv {
            now: ts("2022-11-16T03:10:12Z"),
            utc_offset_seconds: -5 * 3600,
            minor: 22,
        };
        let page = describe_pod(&pod, Some(&refs), &env);
        assert_same_text(&page, include_str!("../../testdata/describe_pod_test_nginx.txt"));
        // Conditions keep kubectl's trailing space after the status cell.
        assert!(page.contains("  Initialized       True \n"));
    }

    #[test]
    fn no_events_joins_the_previous_block() {
        let pod = seed_pod();
        let env = DescribeEnv {
            now: ts("2022-11-16T03:10:12Z"),
            utc_offset_seconds: -5 * 3600,
            minor: 22,
        };
        let page = describe_pod(&pod, Some(&[]), &env);
        assert!(page.ends_with("                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\nEvents:                      <none>\n"), "{page}");
    }
}
