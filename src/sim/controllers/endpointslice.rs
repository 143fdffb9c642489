//! The endpoint-slice controller (`pkg/controller/endpointslice`, v1.22):
//! one `discovery.k8s.io/v1` EndpointSlice per selector Service, next to
//! the Endpoints object the endpoints controller keeps. The apiserver keeps
//! the `default/kubernetes` slice itself (named `kubernetes`).
//!
//! - Name: `generateName: <service>-`, so `<service>-<5 chars>`. The five
//!   characters come from a hash of the Service's uid rather than the
//!   cluster's RNG, so adding slices does not shift every random name and
//!   scheduling tie drawn after them.
//! - Labels: the Service's, plus `kubernetes.io/service-name` and
//!   `endpointslice.kubernetes.io/managed-by` (`reconciler.go`
//!   `newEndpointSlice`, `utils.go` `setEndpointSliceLabels`); owned by the
//!   Service (controller reference), so the garbage collector removes it.
//!   Every slice written carries (or drops) the
//!   `endpoints.kubernetes.io/last-change-trigger-time` annotation, as the
//!   Endpoints object does (`reconciler.go` `finalize`).
//! - Endpoints: every pod with an IP (`ShouldPodBeInEndpoints`), terminating
//!   ones too (the `EndpointSliceTerminatingCondition` gate is on in v1.22),
//!   with `ready`, `serving`, `terminating` conditions (`utils.go`
//!   `podToEndpoint`); ordered by IP like the Endpoints object.
//! - A Service without pods still gets a placeholder slice with no
//!   endpoints and no ports (`kubectl get endpointslices` shows `<unset>`).

use k8s_openapi::{
    api::{
        core::v1::{ObjectReference, Pod, Service},
        discovery::v1::{Endpoint, EndpointConditions, EndpointPort, EndpointSlice},
    },
    apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference},
};
use sha2::{Digest, Sha256};

use super::{
    Controller, View, Write,
    endpoints::{resolve_port, services_of_pod},
    trigger_time::{self, Tracker},
};
use crate::sim::{
    Kind, Object, ObjectRef,
    labels::map_matches,
    object::Resource,
    podutil,
    queue::{self, Affected, Keyed, QueueKey, RuntimeChange},
    store::Change,
};

/// `kubernetes.io/service-name`.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// `endpointslice.kubernetes.io/managed-by`.
const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
const CONTROLLER_NAME: &str = "endpointslice-controller.k8s.io";

/// The endpoint-slice controller.
pub struct EndpointSliceController;

impl Controller for EndpointSliceController {
    fn name(&self) -> &'static str {
        "endpointslice-controller"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        queue::full_scan(self, view)
    }

    fn keyed(&self) -> Option<&dyn Keyed> {
        Some(self)
    }
}

/// One key per Service (`syncService`); a slice's writes concern the
/// Service its label names, a pod's the Services that select it.
impl Keyed for EndpointSliceController {
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey> {
        queue::object_keys(view, Kind::Service)
    }

    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected {
        let key = |name: &str| QueueKey {
            rank: Vec::new(),
            object: ObjectRef {
                kind: Kind::Service,
                namespace: change.object.namespace.clone(),
                name: name.to_owned(),
            },
        };
        match change.object.kind {
            Kind::Service => Affected::Keys(vec![key(&change.object.name)]),
            Kind::EndpointSlice => Affected::Keys(
                [change.old.as_ref(), view.store.get(&change.object)]
                    .into_iter()
                    .flatten()
                    .filter_map(|o| o.meta().labels.as_ref()?.get(SERVICE_NAME_LABEL))
                    .map(|name| key(name.as_str()))
                    .collect(),
            ),
            Kind::Pod => {
                Affected::Keys(services_of_pod(view, change).iter().map(|r| key(&r.name)).collect())
            }
            _ => Affected::Nothing,
        }
    }

    fn on_runtime(&self, _view: &View<'_>, _change: &RuntimeChange) -> Affected {
        Affected::Nothing
    }

    fn sync(&self, view: &View<'_>, key: &QueueKey) -> Vec<Write> {
        view.store
            .get(&key.object)
            .and_then(Service::from_object)
            .map_or_else(Vec::new, |svc| sync_service(view, svc))
    }

    fn wakeup(&self, _view: &View<'_>, _key: &QueueKey) -> Option<k8s_openapi::jiff::Timestamp> {
        None
    }
}

/// One Service's slice created or brought up to date, and the
/// trigger-time tracker's memory of the sync.
fn sync_service(view: &View<'_>, svc: &Service) -> Vec<Write> {
    let Some(want) = desired(view, svc) else { return Vec::new() };
    let tracked = trigger_time::compute(view, Tracker::EndpointSlices, svc);
    let stamp = |meta: &mut ObjectMeta| {
        if let Some((trigger, _)) = &tracked {
            trigger_time::annotate(meta, *trigger);
        }
    };
    let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
    let svc_name = svc.metadata.name.as_deref().unwrap_or_default();
    let current = view.store.all::<EndpointSlice>(Some(ns)).find(|s| {
        s.metadata.labels.as_ref().and_then(|l| l.get(SERVICE_NAME_LABEL)).map(String::as_str)
            == Some(svc_name)
    });
    let write = match current {
        None => {
            let mut want = want;
            stamp(&mut want.metadata);
            Some(Write::Create(Object::EndpointSlice(want)))
        }
        // A slice holds endpoints of one port set. When the set
        // changes (pods gone: the placeholder with no ports; pods
        // back: their ports) the reconciler plans a new slice and the
        // old one's deletion, and `finalize` turns that pair into an
        // update of the old slice under its own name ("change the
        // creates to updates of the slices that would otherwise be
        // deleted", `reconciler.go`, there since v1.17).
        Some(cur)
            if cur.endpoints != want.endpoints
                || cur.ports != want.ports
                || cur.metadata.labels != want.metadata.labels =>
        {
            let mut updated = cur.clone();
            updated.endpoints = want.endpoints;
            updated.ports = want.ports;
            updated.metadata.labels = want.metadata.labels;
            stamp(&mut updated.metadata);
            Some(Write::Update(Object::EndpointSlice(updated)))
        }
        Some(_) => None,
    };
    let memory = tracked.and_then(|(_, memory)| memory);
    memory.into_iter().chain(write).collect()
}

/// The slice `svc` should have; `None` for a Service without selector
/// (other than the apiserver's own).
fn desired(view: &View<'_>, svc: &Service) -> Option<EndpointSlice> {
    let spec = svc.spec.as_ref()?;
    let ns = svc.metadata.namespace.clone().unwrap_or_else(|| "default".to_owned());
    let svc_name = svc.metadata.name.clone().unwrap_or_default();
    if ns == "default" && svc_name == "kubernetes" {
        // The apiserver's endpoint reconciler (`pkg/controlplane/reconcilers`).
        let cp = view
            .config
            .nodes
            .iter()
            .find(|n| crate::sim::profiles::is_control_plane(n))
            .or(view.config.nodes.first())?;
        let labels = [(SERVICE_NAME_LABEL.to_owned(), svc_name.clone())].into_iter().collect();
        return Some(EndpointSlice {
            metadata: ObjectMeta {
                uid: Some(slice_uid(svc.metadata.uid.as_deref().unwrap_or_default())),
                name: Some(svc_name),
                namespace: Some(ns),
                labels: Some(labels),
                ..Default::default()
            },
            address_type: "IPv4".to_owned(),
            endpoints: vec![Endpoint {
                addresses: vec![cp.ip.clone()],
                conditions: Some(EndpointConditions { ready: Some(true), ..Default::default() }),
                ..Default::default()
            }],
            ports: Some(vec![EndpointPort {
                name: Some("https".to_owned()),
                port: Some(6443),
                protocol: Some("TCP".to_owned()),
                ..Default::default()
            }]),
        });
    }
    let selector = spec.selector.as_ref().filter(|s| !s.is_empty())?;
    let mut endpoints: Vec<Endpoint> = Vec::new();
    let mut ports: Vec<EndpointPort> = Vec::new();
    for pod in view.store.all::<Pod>(Some(&ns)) {
        if !map_matches(selector, pod.metadata.labels.as_ref())
            || matches!(podutil::phase(pod), "Succeeded" | "Failed")
        {
            continue;
        }
        let Some(ip) = pod.status.as_ref().and_then(|s| s.pod_ip.clone()) else { continue };
        if endpoints.is_empty() {
            ports = spec
                .ports
                .iter()
                .flatten()
                .filter_map(|p| resolve_port(pod, p))
                .map(|p| EndpointPort {
                    name: Some(p.name.unwrap_or_default()),
                    port: Some(p.port),
                    protocol: p.protocol,
                    app_protocol: p.app_protocol,
                })
                .collect();
        }
        let terminating = pod.metadata.deletion_timestamp.is_some();
        let ready = podutil::is_ready(pod);
        endpoints.push(Endpoint {
            addresses: vec![ip],
            conditions: Some(EndpointConditions {
                ready: Some(ready && !terminating),
                serving: Some(ready),
                terminating: Some(terminating),
            }),
            node_name: podutil::node_name(pod).map(str::to_owned),
            target_ref: Some(ObjectReference {
                kind: Some("Pod".into()),
                name: pod.metadata.name.clone(),
                namespace: pod.metadata.namespace.clone(),
                uid: pod.metadata.uid.clone(),
                ..Default::default()
            }),
            ..Default::default()
        });
    }
    endpoints.sort_by(|a, b| a.addresses.cmp(&b.addresses));
    let mut labels = svc.metadata.labels.clone().unwrap_or_default();
    labels.insert(SERVICE_NAME_LABEL.to_owned(), svc_name.clone());
    labels.insert(MANAGED_BY_LABEL.to_owned(), CONTROLLER_NAME.to_owned());
    let uid = svc.metadata.uid.clone().unwrap_or_default();
    // Each new slice of the Service gets a fresh name: the store revision
    // tells creations apart.
    let seed = format!("{uid}/{}", view.store.revision());
    Some(EndpointSlice {
        metadata: ObjectMeta {
            name: Some(format!("{svc_name}-{}", suffix(&seed))),
            generate_name: Some(format!("{svc_name}-")),
            uid: Some(slice_uid(&seed)),
            namespace: Some(ns),
            labels: Some(labels),
            owner_references: Some(vec![OwnerReference {
                api_version: "v1".to_owned(),
                kind: "Service".to_owned(),
                name: svc_name,
                uid,
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        address_type: "IPv4".to_owned(),
        endpoints,
        ports: Some(ports),
    })
}

/// A uid for the slice of the Service with uid `svc_uid`, in UUID form
/// (see [`crate::sim::Cluster::create`] on why not from the RNG).
fn slice_uid(svc_uid: &str) -> String {
    let h = Sha256::digest(format!("endpointslice/{svc_uid}").as_bytes());
    let hex: String = h.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-4{}-a{}-{}", &hex[..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

/// Five characters of Kubernetes' name alphabet (`utilrand.String(5)`),
/// derived from the Service's uid.
fn suffix(uid: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    Sha256::digest(uid.as_bytes())
        .iter()
        .take(5)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uids_are_stable_and_well_formed() {
        let a = suffix("0b9c7e4e-6c1c-4a7e-9b1a-3f1f5e0a2d11/1200");
        assert_eq!(a.len(), 5);
        assert!(a.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)));
        assert_eq!(a, suffix("0b9c7e4e-6c1c-4a7e-9b1a-3f1f5e0a2d11/1200"));
        assert_ne!(a, suffix("0b9c7e4e-6c1c-4a7e-9b1a-3f1f5e0a2d11/1201"));
        let uid = slice_uid("x");
        let parts: Vec<usize> = uid.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
    }
}
