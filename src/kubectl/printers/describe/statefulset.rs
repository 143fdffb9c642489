//! `describeStatefulSet` (`kubectl/pkg/describe/describe.go`; before
//! v1.13 `pkg/printers/internalversion/describe.go`, v1.13–v1.17
//! `pkg/kubectl/describe/versioned/describe.go`).
//!
//! Per version (read at each release tag's source):
//! - v1.10: no `Update Strategy:` line;
//! - v1.11–v1.12 (internal types): `Partition:` when it is not 0;
//! - v1.13: `Replicas:` formats the `*int32` with `%d`, which prints the
//!   pointer's address, and v1.13–v1.17 do the same with `Partition:` —
//!   an address no simulator can reproduce, so those pages are reported
//!   unsupported;
//! - v1.18–v1.24: `Partition:` when set;
//! - from v1.25: `MaxUnavailable:` under it when set.

use crate::version::Fact;
use k8s_openapi::api::{apps::v1::StatefulSet, core::v1::Event};

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, PodCounts, Writer, annotations_multiline, events,
    labels_multiline, pod_template,
};
use crate::kubectl::{error::KubectlError, labels::selector_text};

/// The page `kubectl describe statefulset` prints; `pods` are counted as
/// [`PodCounts::controlled_by`] does.
pub fn describe_stateful_set(
    ss: &StatefulSet,
    pods: &PodCounts,
    ss_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> Result<String, KubectlError> {
    let spec = ss.spec.clone().unwrap_or_default();
    let status = ss.status.clone().unwrap_or_default();
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    let partition = strategy.rolling_update.as_ref().and_then(|r| r.partition);
    // `%d` of `*int32` Replicas (v1.13) and Partition (v1.13–v1.17)
    // prints an address.
    let pointer_bug = env.has(Fact::DescribeStatefulSetPointerBug);
    let replicas_bug = pointer_bug && !env.has(Fact::DescribeStatefulSetReplicasFixed);
    let partition_bug = pointer_bug && !env.has(Fact::DescribeStatefulSetPartitionFixed);
    if replicas_bug || (partition_bug && partition.is_some()) {
        return Err(KubectlError::unsupported(
            "kubectl describe statefulset of kubectl v1.13–v1.17 (prints a pointer address)",
        ));
    }
    let meta = &ss.metadata;
    let mut w = Writer::default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    w.write(
        LEVEL_0,
        &format!("CreationTimestamp:\t{}\n", env.time_opt(meta.creation_timestamp.as_ref())),
    );
    w.write(LEVEL_0, &format!("Selector:\t{}\n", selector_text(Some(&spec.selector))));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(
        LEVEL_0,
        &format!("Replicas:\t{} desired | {} total\n", spec.replicas.unwrap_or(1), status.replicas),
    );
    if env.has(Fact::DescribeStatefulSetUpdateStrategy) {
        w.write(
            LEVEL_0,
            &format!("Update Strategy:\t{}\n", strategy.type_.as_deref().unwrap_or_default()),
        );
        if let Some(ru) = &strategy.rolling_update {
            // v1.11–v1.12 held the partition as a value and skipped 0.
            let shown = if pointer_bug { partition } else { partition.filter(|p| *p != 0) };
            if let Some(p) = shown {
                w.write(LEVEL_1, &format!("Partition:\t{p}\n"));
                if env.has(Fact::DescribeStatefulSetMaxUnavailable)
                    && let Some(mu) = &ru.max_unavailable
                {
                    w.write(LEVEL_1, &format!("MaxUnavailable:\t{}\n", int_or_string(mu)));
                }
            }
        }
    }
    pods.write(&mut w);
    pod_template(&mut w, Some(&spec.template), env);
    volume_claim_templates(&mut w, spec.volume_claim_templates.as_deref().unwrap_or_default());
    if let Some(list) = ss_events {
        events(&mut w, list, env);
    }
    Ok(w.finish())
}

/// `intstr.IntOrString.String()`.
fn int_or_string(v: &k8s_openapi::apimachinery::pkg::util::intstr::IntOrString) -> String {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// `describeVolumeClaimTemplates` (unchanged v1.10–v1.35): annotations
/// print as `key=value` lines, as labels do; access modes as Go's `%s` of
/// a slice (`[ReadWriteOnce]`).
fn volume_claim_templates(
    w: &mut Writer,
    templates: &[k8s_openapi::api::core::v1::PersistentVolumeClaim],
) {
    if templates.is_empty() {
        w.write(LEVEL_0, "Volume Claims:\t<none>\n");
        return;
    }
    w.write(LEVEL_0, "Volume Claims:\n");
    for pvc in templates {
        let spec = pvc.spec.clone().unwrap_or_default();
        w.write(LEVEL_1, &format!("Name:\t{}\n", pvc.metadata.name.as_deref().unwrap_or_default()));
        w.write(
            LEVEL_1,
            &format!("StorageClass:\t{}\n", super::persistent_volume::claim_class(pvc)),
        );
        labels_multiline(w, "  ", "Labels", pvc.metadata.labels.as_ref());
        labels_multiline(w, "  ", "Annotations", pvc.metadata.annotations.as_ref());
        let capacity = spec
            .resources
            .as_ref()
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage"))
            .map_or_else(|| "<default>".to_owned(), |q| q.0.clone());
        w.write(LEVEL_1, &format!("Capacity:\t{capacity}\n"));
        let modes = spec.access_modes.unwrap_or_default().join(" ");
        w.write(LEVEL_1, &format!("Access Modes:\t[{modes}]\n"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::env;

    fn set(partition: Option<i32>, max_unavailable: Option<i32>) -> StatefulSet {
        let mut rolling = json!({});
        if let Some(p) = partition {
            rolling["partition"] = json!(p);
        }
        if let Some(m) = max_unavailable {
            rolling["maxUnavailable"] = json!(m);
        }
        serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": 2, "serviceName": "web",
                "selector": {"matchLabels": {"app": "web"}},
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": rolling},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}},
            "status": {"replicas": 2}
        }))
        .unwrap()
    }

    /// The value of the page's `label:` line.
    fn value(page: &str, label: &str) -> Option<String> {
        page.lines()
            .find_map(|l| l.trim_start().strip_prefix(&format!("{label}:")))
            .map(|v| v.trim().to_owned())
    }

    fn page(ss: &StatefulSet, minor: u32) -> Result<String, KubectlError> {
        describe_stateful_set(ss, &PodCounts::default(), None, &DescribeEnv { minor, ..env() })
    }

    /// [`Fact::DescribeStatefulSetUpdateStrategy`] (v1.11),
    /// [`Fact::DescribeStatefulSetPointerBug`] (v1.13),
    /// [`Fact::DescribeStatefulSetReplicasFixed`] (v1.14),
    /// [`Fact::DescribeStatefulSetPartitionFixed`] (v1.18) and
    /// [`Fact::DescribeStatefulSetMaxUnavailable`] (v1.25), each side.
    #[test]
    fn describe_statefulset_by_version() {
        let zero = set(Some(0), None);
        assert!(!page(&zero, 10).unwrap().contains("Update Strategy"));
        let v11 = page(&zero, 11).unwrap();
        assert_eq!(value(&v11, "Update Strategy").as_deref(), Some("RollingUpdate"), "{v11}");
        // v1.11–v1.12 held the partition as a value and skipped 0.
        assert!(!page(&zero, 12).unwrap().contains("Partition"));
        // v1.13 prints Replicas' address whatever the partition.
        let none = set(None, None);
        assert!(page(&none, 13).is_err());
        assert!(page(&none, 14).unwrap().contains("Replicas:"));
        // v1.14–v1.17 print a set Partition's address.
        assert!(page(&zero, 17).is_err());
        let v18 = page(&zero, 18).unwrap();
        assert_eq!(value(&v18, "Partition").as_deref(), Some("0"), "{v18}");
        let capped = set(Some(1), Some(2));
        assert!(!page(&capped, 24).unwrap().contains("MaxUnavailable"));
        let v25 = page(&capped, 25).unwrap();
        assert_eq!(value(&v25, "Partition").as_deref(), Some("1"), "{v25}");
        assert_eq!(value(&v25, "MaxUnavailable").as_deref(), Some("2"), "{v25}");
    }
}
