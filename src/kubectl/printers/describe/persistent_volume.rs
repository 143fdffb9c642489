//! `describePersistentVolume` and `describePersistentVolumeClaim`
//! (`kubectl/pkg/describe/describe.go`; before v1.13
//! `pkg/printers/internalversion/describe.go`, v1.13–v1.17
//! `pkg/kubectl/describe/versioned/describe.go`).
//!
//! The volume page is the same from v1.10 to v1.35. The claim page, per
//! version (read at each release tag's source):
//! - `Conditions:` from v1.11;
//! - the pods that mount the claim from v1.12 as `Mounted By:`, after the
//!   conditions until v1.14 and before them from v1.15;
//! - `DataSource:` from v1.17 (v1.16 not read: unconfirmed);
//! - from v1.20 `Used By:`, which adds the pods that own the claim.
//!
//! Volume sources other than hostPath, local, NFS and CSI are reported
//! unsupported rather than printed without their lines.

use crate::version::Fact;
use k8s_openapi::api::core::v1::{Event, PersistentVolume, PersistentVolumeClaim, Pod};

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, LEVEL_2, Writer, annotations_multiline, events, labels_multiline,
};
use crate::kubectl::{error::KubectlError, printers::duration::since};

/// The beta annotation that named a class before `storageClassName`.
const BETA_STORAGE_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

/// `storageutil.GetPersistentVolumeClaimClass`: the beta annotation wins.
pub fn claim_class(pvc: &PersistentVolumeClaim) -> String {
    pvc.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(BETA_STORAGE_CLASS))
        .cloned()
        .or_else(|| pvc.spec.as_ref().and_then(|s| s.storage_class_name.clone()))
        .unwrap_or_default()
}

/// `storageutil.GetPersistentVolumeClass`.
fn volume_class(pv: &PersistentVolume) -> String {
    pv.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(BETA_STORAGE_CLASS))
        .cloned()
        .or_else(|| pv.spec.as_ref().and_then(|s| s.storage_class_name.clone()))
        .unwrap_or_default()
}

/// `storageutil.GetAccessModesAsString`.
fn access_modes(modes: &[String]) -> String {
    let values: Vec<serde_json::Value> = modes.iter().map(|m| m.as_str().into()).collect();
    crate::kubectl::printers::table_generic::access_modes(&values)
}

/// Go's `%v` of a `[]string` (`[a b]`).
fn go_list(items: Option<&Vec<String>>) -> String {
    format!("[{}]", items.map(|v| v.join(" ")).unwrap_or_default())
}

/// The page `kubectl describe pv` prints.
pub fn describe_persistent_volume(
    pv: &PersistentVolume,
    pv_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> Result<String, KubectlError> {
    let spec = pv.spec.clone().unwrap_or_default();
    let status = pv.status.clone().unwrap_or_default();
    let meta = &pv.metadata;
    let mut w = Writer::default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, &format!("Finalizers:\t{}\n", go_list(meta.finalizers.as_ref())));
    w.write(LEVEL_0, &format!("StorageClass:\t{}\n", volume_class(pv)));
    match &meta.deletion_timestamp {
        Some(t) => {
            w.write(LEVEL_0, &format!("Status:\tTerminating (lasts {})\n", since(env.now, Some(t))))
        }
        None => {
            w.write(LEVEL_0, &format!("Status:\t{}\n", status.phase.as_deref().unwrap_or_default()))
        }
    }
    let claim = spec
        .claim_ref
        .as_ref()
        .map(|r| {
            format!(
                "{}/{}",
                r.namespace.as_deref().unwrap_or_default(),
                r.name.as_deref().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    w.write(LEVEL_0, &format!("Claim:\t{claim}\n"));
    w.write(
        LEVEL_0,
        &format!(
            "Reclaim Policy:\t{}\n",
            spec.persistent_volume_reclaim_policy.as_deref().unwrap_or_default()
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Access Modes:\t{}\n",
            access_modes(spec.access_modes.as_deref().unwrap_or_default())
        ),
    );
    if let Some(mode) = &spec.volume_mode {
        w.write(LEVEL_0, &format!("VolumeMode:\t{mode}\n"));
    }
    // `Quantity.String()` of a missing entry is the zero quantity, `0`.
    let capacity = spec
        .capacity
        .as_ref()
        .and_then(|c| c.get("storage"))
        .map_or_else(|| "0".to_owned(), |q| q.0.clone());
    w.write(LEVEL_0, &format!("Capacity:\t{capacity}\n"));
    node_affinity(&mut w, spec.node_affinity.as_ref());
    w.write(LEVEL_0, &format!("Message:\t{}\n", status.message.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, "Source:\n");
    if let Some(h) = &spec.host_path {
        super::host_path_source(&mut w, h);
    } else if let Some(l) = &spec.local {
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
                l.path
            ),
        );
    } else if let Some(n) = &spec.nfs {
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                n.server,
                n.path,
                n.read_only.unwrap_or(false)
            ),
        );
    } else if spec.csi.is_some() {
        // `printCSIPersistentVolumeAttributesMultiline` is not written.
        return Err(KubectlError::unsupported("kubectl describe of a CSI PersistentVolume"));
    } else if has_other_source(pv) {
        return Err(KubectlError::unsupported(
            "kubectl describe of a PersistentVolume's volume source",
        ));
    } else {
        w.write(LEVEL_1, "<unknown>\n");
    }
    if let Some(list) = pv_events {
        events(&mut w, list, env);
    }
    Ok(w.finish())
}

/// Whether the volume has a source the page does not render.
fn has_other_source(pv: &PersistentVolume) -> bool {
    let Ok(serde_json::Value::Object(spec)) = serde_json::to_value(&pv.spec) else {
        return false;
    };
    const NOT_SOURCES: &[&str] = &[
        "accessModes",
        "capacity",
        "claimRef",
        "mountOptions",
        "nodeAffinity",
        "persistentVolumeReclaimPolicy",
        "storageClassName",
        "volumeMode",
        "volumeAttributesClassName",
    ];
    spec.keys().any(|k| !NOT_SOURCES.contains(&k.as_str()))
}

/// `printVolumeNodeAffinity` and `printNodeSelectorTermsMultilineWithIndent`.
fn node_affinity(
    w: &mut Writer,
    affinity: Option<&k8s_openapi::api::core::v1::VolumeNodeAffinity>,
) {
    w.write(LEVEL_0, "Node Affinity:\t");
    let Some(required) = affinity.and_then(|a| a.required.as_ref()) else {
        w.line("<none>");
        return;
    };
    w.line("");
    w.write(LEVEL_1, "Required Terms:\t");
    if required.node_selector_terms.is_empty() {
        w.line("<none>");
        return;
    }
    w.line("");
    for (i, term) in required.node_selector_terms.iter().enumerate() {
        w.write(LEVEL_2, &format!("Term {i}:\t"));
        let reqs = term.match_expressions.as_deref().unwrap_or_default();
        if reqs.is_empty() {
            w.line("<none>");
            continue;
        }
        for (j, req) in reqs.iter().enumerate() {
            if j != 0 {
                w.write(LEVEL_2, "\t");
            }
            let mut expr = format!("{} {}", req.key, req.operator.to_lowercase());
            if let Some(values) = req.values.as_ref().filter(|v| !v.is_empty()) {
                expr = format!("{expr} [{}]", values.join(", "));
            }
            w.write(LEVEL_0, &format!("{expr}\n"));
        }
    }
}

/// The pods `describe pvc` lists: those with a volume of the claim (once
/// per such volume, as `getPodsForPVC` appends them), then from v1.20 the
/// pods that own the claim and are not listed yet.
pub fn pods_for_claim<'a>(
    pvc: &PersistentVolumeClaim,
    namespace_pods: &[&'a Pod],
    env: &DescribeEnv,
) -> Vec<&'a Pod> {
    let name = pvc.metadata.name.as_deref().unwrap_or_default();
    let mut pods: Vec<&Pod> = Vec::new();
    for pod in namespace_pods {
        let volumes = pod.spec.as_ref().and_then(|s| s.volumes.as_deref()).unwrap_or_default();
        for v in volumes {
            if v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name == name) {
                pods.push(pod);
            }
        }
    }
    if env.has(Fact::DescribePvcUsedBy) {
        for owner in pvc.metadata.owner_references.as_deref().unwrap_or_default() {
            if owner.kind != "Pod" {
                continue;
            }
            let Some(pod) =
                namespace_pods.iter().find(|p| p.metadata.uid.as_deref() == Some(&owner.uid))
            else {
                continue;
            };
            if !pods.iter().any(|p| p.metadata.uid == pod.metadata.uid) {
                pods.push(pod);
            }
        }
    }
    pods
}

/// The page `kubectl describe pvc` prints; `pods` from [`pods_for_claim`].
pub fn describe_persistent_volume_claim(
    pvc: &PersistentVolumeClaim,
    pods: &[&Pod],
    pvc_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let spec = pvc.spec.clone().unwrap_or_default();
    let status = pvc.status.clone().unwrap_or_default();
    let meta = &pvc.metadata;
    let mut w = Writer::default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("StorageClass:\t{}\n", claim_class(pvc)));
    match &meta.deletion_timestamp {
        Some(t) => {
            w.write(LEVEL_0, &format!("Status:\tTerminating (lasts {})\n", since(env.now, Some(t))))
        }
        None => {
            w.write(LEVEL_0, &format!("Status:\t{}\n", status.phase.as_deref().unwrap_or_default()))
        }
    }
    let volume = spec.volume_name.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Volume:\t{volume}\n"));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, &format!("Finalizers:\t{}\n", go_list(meta.finalizers.as_ref())));
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        let capacity = status
            .capacity
            .as_ref()
            .and_then(|c| c.get("storage"))
            .map_or_else(|| "0".to_owned(), |q| q.0.clone());
        (capacity, access_modes(status.access_modes.as_deref().unwrap_or_default()))
    };
    w.write(LEVEL_0, &format!("Capacity:\t{capacity}\n"));
    w.write(LEVEL_0, &format!("Access Modes:\t{modes}\n"));
    if let Some(mode) = &spec.volume_mode {
        w.write(LEVEL_0, &format!("VolumeMode:\t{mode}\n"));
    }
    if env.has(Fact::DescribePvcDataSource)
        && let Some(ds) = &spec.data_source
    {
        w.write(LEVEL_0, "DataSource:\n");
        if let Some(group) = &ds.api_group {
            w.write(LEVEL_1, &format!("APIGroup:\t{group}\n"));
        }
        w.write(LEVEL_1, &format!("Kind:\t{}\n", ds.kind));
        w.write(LEVEL_1, &format!("Name:\t{}\n", ds.name));
    }
    // The pods using the claim: after the conditions from v1.12, before
    // them from v1.15.
    let title = if env.has(Fact::DescribePvcUsedBy) { "Used By" } else { "Mounted By" };
    let pods_first = env.has(Fact::DescribePvcMountedByFirst);
    if pods_first {
        pods_multiline(&mut w, title, pods);
    }
    let conditions = status.conditions.unwrap_or_default();
    if env.has(Fact::DescribePvcConditions) && !conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n");
        w.write(LEVEL_1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n");
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in &conditions {
            w.write(
                LEVEL_1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.type_,
                    c.status,
                    env.time_opt(c.last_probe_time.as_ref()),
                    env.time_opt(c.last_transition_time.as_ref()),
                    c.reason.as_deref().unwrap_or_default(),
                    c.message.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    if env.has(Fact::DescribePvcMountedBy) && !pods_first {
        pods_multiline(&mut w, title, pods);
    }
    if let Some(list) = pvc_events {
        events(&mut w, list, env);
    }
    w.finish()
}

/// `printPodsMultilineWithIndent`: names sorted, `<none>` when empty.
fn pods_multiline(w: &mut Writer, title: &str, pods: &[&Pod]) {
    w.write(LEVEL_0, &format!("{title}:\t"));
    if pods.is_empty() {
        w.line("<none>");
        return;
    }
    let mut names: Vec<&str> =
        pods.iter().map(|p| p.metadata.name.as_deref().unwrap_or_default()).collect();
    names.sort_unstable();
    for (i, name) in names.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        w.write(LEVEL_0, &format!("{name}\n"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::{assert_same_text, env};

    /// kubectl v1.35.4 on a v1.35.4 API server (captured 2026-12-07).
    #[test]
    fn bound_host_path_volume_and_claim_at_1_35() {
        let pv: PersistentVolume = serde_json::from_value(json!({
            "metadata": {"name": "pv0", "labels": {"type": "local"},
                "annotations": {"pv.kubernetes.io/bound-by-controller": "yes"},
                "finalizers": ["kubernetes.io/pv-protection"]},
            "spec": {"storageClassName": "manual", "capacity": {"storage": "1Gi"},
                "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/mnt/data", "type": ""},
                "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem",
                "claimRef": {"namespace": "default", "name": "www-web-0"}},
            "status": {"phase": "Bound"}
        }))
        .unwrap();
        let env = DescribeEnv { minor: 35, ..env() };
        let expected = "\
Name:            pv0
Labels:          type=local
Annotations:     pv.kubernetes.io/bound-by-controller: yes
Finalizers:      [kubernetes.io/pv-protection]
StorageClass:    manual
Status:          Bound
Claim:           default/www-web-0
Reclaim Policy:  Retain
Access Modes:    RWO
VolumeMode:      Filesystem
Capacity:        1Gi
Node Affinity:   <none>
Message:         
Source:
    Type:          HostPath (bare host directory volume)
    Path:          /mnt/data
    HostPathType:  
Events:            <none>
";
        assert_same_text(&describe_persistent_volume(&pv, Some(&[]), &env).unwrap(), expected);

        let pvc: PersistentVolumeClaim = serde_json::from_value(json!({
            "metadata": {"name": "www-web-0", "namespace": "default", "labels": {"app": "web"},
                "annotations": {"pv.kubernetes.io/bind-completed": "yes",
                    "pv.kubernetes.io/bound-by-controller": "yes"},
                "finalizers": ["kubernetes.io/pvc-protection"]},
            "spec": {"storageClassName": "manual", "volumeName": "pv0", "volumeMode": "Filesystem",
                "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}}
        }))
        .unwrap();
        let pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "web-0", "namespace": "default", "uid": "p0"},
            "spec": {"containers": [], "volumes": [{"name": "www",
                "persistentVolumeClaim": {"claimName": "www-web-0"}}]}
        }))
        .unwrap();
        let pods = pods_for_claim(&pvc, &[&pod], &env);
        let expected = "\
Name:          www-web-0
Namespace:     default
StorageClass:  manual
Status:        Bound
Volume:        pv0
Labels:        app=web
Annotations:   pv.kubernetes.io/bind-completed: yes
               pv.kubernetes.io/bound-by-controller: yes
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      1Gi
Access Modes:  RWO
VolumeMode:    Filesystem
Used By:       web-0
Events:        <none>
";
        assert_same_text(&describe_persistent_volume_claim(&pvc, &pods, Some(&[]), &env), expected);
        // v1.19 called them `Mounted By`; v1.13 printed them after the
        // conditions, v1.10 not at all.
        let page =
            describe_persistent_volume_claim(&pvc, &pods, None, &DescribeEnv { minor: 19, ..env });
        assert!(page.ends_with("Mounted By:    web-0\n"), "{page}");
        let page =
            describe_persistent_volume_claim(&pvc, &pods, None, &DescribeEnv { minor: 10, ..env });
        assert!(!page.contains(" By:"), "{page}");
    }

    #[test]
    fn unrendered_sources_are_unsupported() {
        let pv: PersistentVolume = serde_json::from_value(json!({
            "metadata": {"name": "nfs"},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteMany"],
                "iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.x", "lun": 0}}
        }))
        .unwrap();
        assert!(describe_persistent_volume(&pv, None, &env()).is_err());
    }

    /// The sections of `describe pvc` on both sides of
    /// [`Fact::DescribePvcConditions`] (v1.11), [`Fact::DescribePvcMountedBy`]
    /// (v1.12), [`Fact::DescribePvcMountedByFirst`] (v1.15),
    /// [`Fact::DescribePvcDataSource`] (v1.17) and [`Fact::DescribePvcUsedBy`]
    /// (v1.20).
    #[test]
    fn describe_pvc_sections_by_version() {
        let pvc: PersistentVolumeClaim = serde_json::from_value(json!({
            "metadata": {"name": "data", "namespace": "default"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                "dataSource": {"kind": "PersistentVolumeClaim", "name": "src"}},
            "status": {"phase": "Bound", "conditions": [{"type": "Resizing", "status": "True"}]}
        }))
        .unwrap();
        let pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default", "uid": "u1"},
            "spec": {"containers": [{"name": "c", "image": "nginx"}],
                "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "data"}}]}
        }))
        .unwrap();
        let page = |minor| {
            let env = DescribeEnv { minor, ..env() };
            describe_persistent_volume_claim(&pvc, &[&pod], None, &env)
        };
        // The position of `label` in the page, if printed.
        let at = |minor, label: &str| page(minor).find(&format!("\n{label}")).map(|i| i + 1);
        assert_eq!(at(10, "Conditions:"), None);
        assert!(at(11, "Conditions:").is_some());
        assert_eq!(at(11, "Mounted By:"), None);
        assert!(at(12, "Mounted By:") > at(12, "Conditions:"), "{}", page(12));
        assert!(at(14, "Mounted By:") > at(14, "Conditions:"), "{}", page(14));
        assert!(at(15, "Mounted By:") < at(15, "Conditions:"), "{}", page(15));
        assert_eq!(at(16, "DataSource:"), None);
        assert!(at(17, "DataSource:").is_some(), "{}", page(17));
        assert!(at(19, "Mounted By:").is_some() && at(19, "Used By:").is_none());
        assert!(at(20, "Used By:").is_some() && at(20, "Mounted By:").is_none());
    }
}
