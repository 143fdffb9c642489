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
    // version fact: `%d` of `*int32` Replicas (v1.13) and Partition
    // (v1.13–v1.17) prints an address; source: kubernetes v1.13.0
    // pkg/kubectl/describe/versioned/describe.go, fixed in kubectl v0.18.0
    // pkg/describe/describe.go; range confirmed.
    if env.minor == 13 || ((14..=17).contains(&env.minor) && partition.is_some()) {
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
    // version fact: `Update Strategy:` from v1.11; source: kubernetes
    // v1.11.0 pkg/printers/internalversion/describe.go; range confirmed.
    if env.minor >= 11 {
        w.write(
            LEVEL_0,
            &format!("Update Strategy:\t{}\n", strategy.type_.as_deref().unwrap_or_default()),
        );
        if let Some(ru) = &strategy.rolling_update {
            // v1.11–v1.12 held the partition as a value and skipped 0.
            let shown = if env.minor <= 12 { partition.filter(|p| *p != 0) } else { partition };
            if let Some(p) = shown {
                w.write(LEVEL_1, &format!("Partition:\t{p}\n"));
                // version fact: MaxUnavailable under Partition from v1.25;
                // source: kubectl v0.25.0 pkg/describe/describe.go (absent
                // at v0.24.0); range confirmed.
                if env.minor >= 25
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
