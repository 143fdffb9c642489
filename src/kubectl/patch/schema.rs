//! The strategic-merge-patch metadata of the API types the simulator
//! serves: for each struct field that is not merged by the defaults (maps
//! merged key by key, lists replaced), its `patchStrategy` and
//! `patchMergeKey` struct tags, and the type of the value it holds so the
//! lookup can walk down (`strategicpatch.LookupPatchMetadataForStruct` /
//! `...ForSlice` over `PatchMetaFromStruct`).
//!
//! Facts from the v1.22 API types (`k8s.io/api` v0.22.2):
//! `core/v1/types.go` (Container, PodSpec, PodStatus, ServiceSpec, NodeSpec,
//! NodeStatus, ServiceAccount, ...), `apps/v1/types.go` (the workload
//! specs' `template`, `DeploymentSpec.strategy` `retainKeys`, status
//! conditions), `batch/v1/types.go`, and `apimachinery` `meta/v1/types.go`
//! (`ObjectMeta.finalizers`, `ownerReferences`). Fields with
//! `patchStrategy:"merge,retainKeys"` merge when a patch is applied: the
//! `retainKeys` half only matters through a `$retainKeys` directive, which
//! is honoured wherever it appears (`applyRetainKeysDirective`), and
//! `patchStrategy:"retainKeys"` alone is the default strategy. Fields not
//! listed, and types not listed, take the defaults.

/// How one field's value is merged by a strategic merge patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMeta {
    /// The type the field holds (its element type for a list); `""` for a
    /// type without strategic metadata below it.
    pub ty: &'static str,
    /// `patchStrategy:"merge"`: the list is merged, not replaced.
    pub merge: bool,
    /// `patchMergeKey`: the key that identifies list elements (empty for a
    /// list of scalars merged as a set).
    pub merge_key: &'static str,
}

const fn typed(ty: &'static str) -> FieldMeta {
    FieldMeta { ty, merge: false, merge_key: "" }
}
const fn merge_by(ty: &'static str, merge_key: &'static str) -> FieldMeta {
    FieldMeta { ty, merge: true, merge_key }
}
/// A list of scalars with `patchStrategy:"merge"` (merged as a set).
const MERGE_SCALARS: FieldMeta = FieldMeta { ty: "", merge: true, merge_key: "" };

/// `(type, json field, meta)`. The root type of an object is its kind.
const FIELDS: &[(&str, &str, FieldMeta)] = &[
    // Roots.
    ("Pod", "spec", typed("PodSpec")),
    ("Pod", "status", typed("PodStatus")),
    ("Deployment", "spec", typed("DeploymentSpec")),
    ("Deployment", "status", typed("WorkloadStatus")),
    ("ReplicaSet", "spec", typed("WorkloadSpec")),
    ("ReplicaSet", "status", typed("WorkloadStatus")),
    ("DaemonSet", "spec", typed("WorkloadSpec")),
    ("DaemonSet", "status", typed("WorkloadStatus")),
    ("Job", "spec", typed("WorkloadSpec")),
    ("Job", "status", typed("WorkloadStatus")),
    ("CronJob", "spec", typed("CronJobSpec")),
    ("Service", "spec", typed("ServiceSpec")),
    ("Service", "status", typed("WorkloadStatus")),
    ("Node", "spec", typed("NodeSpec")),
    ("Node", "status", typed("NodeStatus")),
    ("Namespace", "status", typed("WorkloadStatus")),
    // ServiceAccount.secrets: patchStrategy:"merge" patchMergeKey:"name".
    ("ServiceAccount", "secrets", merge_by("", "name")),
    // apps/v1 DeploymentSpec.template; ReplicaSetSpec, DaemonSetSpec and
    // batch/v1 JobSpec have the same `template` and nothing else tagged.
    ("DeploymentSpec", "template", typed("PodTemplateSpec")),
    ("WorkloadSpec", "template", typed("PodTemplateSpec")),
    ("CronJobSpec", "jobTemplate", typed("JobTemplateSpec")),
    ("JobTemplateSpec", "spec", typed("WorkloadSpec")),
    ("PodTemplateSpec", "spec", typed("PodSpec")),
    // Every status `conditions` list of these kinds (DeploymentStatus,
    // ReplicaSetStatus, DaemonSetStatus, JobStatus, ServiceStatus,
    // NamespaceStatus): patchStrategy:"merge" patchMergeKey:"type".
    ("WorkloadStatus", "conditions", merge_by("", "type")),
    // meta/v1 ObjectMeta.
    ("ObjectMeta", "finalizers", MERGE_SCALARS),
    ("ObjectMeta", "ownerReferences", merge_by("", "uid")),
    // core/v1 PodSpec.
    ("PodSpec", "volumes", merge_by("", "name")),
    ("PodSpec", "initContainers", merge_by("Container", "name")),
    ("PodSpec", "containers", merge_by("Container", "name")),
    ("PodSpec", "ephemeralContainers", merge_by("EphemeralContainer", "name")),
    ("PodSpec", "imagePullSecrets", merge_by("", "name")),
    ("PodSpec", "hostAliases", merge_by("", "ip")),
    ("PodSpec", "topologySpreadConstraints", merge_by("", "topologyKey")),
    // core/v1 Container.
    ("Container", "ports", merge_by("", "containerPort")),
    ("Container", "env", merge_by("", "name")),
    ("Container", "volumeMounts", merge_by("", "mountPath")),
    ("Container", "volumeDevices", merge_by("", "devicePath")),
    // core/v1 EphemeralContainerCommon (its `ports` carry no strategy).
    ("EphemeralContainer", "env", merge_by("", "name")),
    ("EphemeralContainer", "volumeMounts", merge_by("", "mountPath")),
    ("EphemeralContainer", "volumeDevices", merge_by("", "devicePath")),
    // core/v1 PodStatus.
    ("PodStatus", "conditions", merge_by("", "type")),
    ("PodStatus", "podIPs", merge_by("", "ip")),
    // core/v1 ServiceSpec.ports: patchStrategy:"merge" patchMergeKey:"port".
    ("ServiceSpec", "ports", merge_by("", "port")),
    // core/v1 NodeSpec / NodeStatus.
    ("NodeSpec", "podCIDRs", MERGE_SCALARS),
    ("NodeStatus", "conditions", merge_by("", "type")),
    ("NodeStatus", "addresses", merge_by("", "type")),
];

/// The metadata of field `field` of type `ty`. Every API type's `metadata`
/// is an `ObjectMeta` (a pod template's and a job template's included).
pub fn lookup(ty: &str, field: &str) -> FieldMeta {
    if ty.is_empty() {
        return typed("");
    }
    if let Some((_, _, meta)) = FIELDS.iter().find(|(t, f, _)| *t == ty && *f == field) {
        return *meta;
    }
    if field == "metadata" {
        return typed("ObjectMeta");
    }
    typed("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_from_a_kind_to_its_containers() {
        let spec = lookup("Deployment", "spec");
        let template = lookup(spec.ty, "template");
        let pod = lookup(template.ty, "spec");
        let containers = lookup(pod.ty, "containers");
        assert_eq!(containers, merge_by("Container", "name"));
        assert_eq!(lookup(containers.ty, "ports"), merge_by("", "containerPort"));
        assert_eq!(lookup(containers.ty, "args"), typed(""));
        assert_eq!(lookup(pod.ty, "tolerations"), typed(""));
        assert_eq!(lookup(template.ty, "metadata"), typed("ObjectMeta"));
    }
}
