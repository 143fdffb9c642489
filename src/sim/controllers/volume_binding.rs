//! The scheduler's VolumeBinding plugin (`pkg/scheduler/framework/plugins/
//! volumebinding`, v1.22): a pod's claims must exist; an unbound claim of
//! an `Immediate` class keeps the pod unschedulable until the volume
//! controller binds it; an unbound claim of a `WaitForFirstConsumer` class
//! is given the chosen node (`volume.kubernetes.io/selected-node`, the
//! plugin's PreBind) and the pod waits for it to be bound before it is
//! bound itself; a bound volume pinned to a node (local-path volumes)
//! restricts the pod to that node.

use k8s_openapi::api::core::v1::{Node, PersistentVolume, PersistentVolumeClaim, Pod};

use super::{View, Write, persistentvolume};
use crate::sim::{
    Object, ObjectRef,
    quota::{pvc_kind, typed},
};

/// What a pod's claims ask of its node.
pub struct Claims {
    /// Nodes the bound volumes are pinned to.
    pinned: Vec<String>,
    /// Unbound claims of WaitForFirstConsumer classes.
    delayed: Vec<PersistentVolumeClaim>,
}

/// The pod's claims (PreFilter), or why it cannot be scheduled at all.
pub fn claims(view: &View<'_>, pod: &Pod) -> Result<Claims, String> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut out = Claims { pinned: Vec::new(), delayed: Vec::new() };
    let volumes = pod.spec.as_ref().and_then(|s| s.volumes.as_ref());
    for source in volumes.into_iter().flatten().filter_map(|v| v.persistent_volume_claim.as_ref()) {
        let name = &source.claim_name;
        let claim = view
            .store
            .get(&ObjectRef::namespaced(pvc_kind(), ns, name))
            .and_then(typed::<PersistentVolumeClaim>)
            .ok_or_else(|| format!("persistentvolumeclaim \"{name}\" not found"))?;
        if claim.metadata.deletion_timestamp.is_some() {
            return Err(format!("persistentvolumeclaim \"{name}\" is being deleted"));
        }
        let volume_name = claim.spec.as_ref().and_then(|s| s.volume_name.clone());
        match volume_name.filter(|v| !v.is_empty()) {
            Some(pv) => {
                let pv = view
                    .store
                    .get(&ObjectRef::cluster(persistentvolume::pv_kind(), &pv))
                    .and_then(typed::<PersistentVolume>);
                out.pinned.extend(pv.as_ref().and_then(pinned_node));
            }
            None => {
                let class =
                    persistentvolume::class(view.store, &persistentvolume::claim_class(&claim));
                if !class.is_some_and(|c| c.wait_for_consumer) {
                    return Err("pod has unbound immediate PersistentVolumeClaims".to_owned());
                }
                out.delayed.push(claim);
            }
        }
    }
    Ok(out)
}

/// The hostname a volume's required node affinity names.
fn pinned_node(pv: &PersistentVolume) -> Option<String> {
    let required = pv.spec.as_ref()?.node_affinity.as_ref()?.required.as_ref()?;
    let term = required.node_selector_terms.first()?;
    let expr =
        term.match_expressions.as_ref()?.iter().find(|e| e.key == "kubernetes.io/hostname")?;
    expr.values.as_ref()?.first().cloned()
}

impl Claims {
    /// Filter: a node other than a bound volume's is unfit.
    pub fn fits(&self, node: &Node) -> Result<(), String> {
        let name = node.metadata.name.as_deref().unwrap_or_default();
        if self.pinned.iter().any(|p| p != name) {
            return Err("node(s) had volume node affinity conflict".to_owned());
        }
        Ok(())
    }

    /// PreBind for delayed claims: the writes that give them `node`, or
    /// nothing while they wait to be bound; `None` when the pod may bind.
    pub fn delay_binding(&self, node: &Node) -> Option<Vec<Write>> {
        if self.delayed.is_empty() {
            return None;
        }
        let name = node.metadata.name.clone().unwrap_or_default();
        let writes = self
            .delayed
            .iter()
            .filter(|c| {
                !c.metadata
                    .annotations
                    .as_ref()
                    .is_some_and(|a| a.contains_key(persistentvolume::SELECTED_NODE))
            })
            .map(|c| {
                let mut claim = c.clone();
                claim
                    .metadata
                    .annotations
                    .get_or_insert_with(Default::default)
                    .insert(persistentvolume::SELECTED_NODE.to_owned(), name.clone());
                let mut value = serde_json::to_value(&claim).unwrap_or_default();
                value["apiVersion"] = "v1".into();
                value["kind"] = "PersistentVolumeClaim".into();
                Write::Update(
                    Object::from_value_as(pvc_kind(), value).expect("a claim decodes as itself"),
                )
            })
            .collect();
        Some(writes)
    }
}
