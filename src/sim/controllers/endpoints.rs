//! The endpoints controller (`pkg/controller/endpoint`): one Endpoints
//! object per selector Service, listing its pods' IPs (ready ones under
//! `addresses`, the rest under `notReadyAddresses`) with resolved target
//! ports. The apiserver's own `default/kubernetes` endpoints point at the
//! control-plane node on 6443.

use k8s_openapi::{
    api::core::v1::{
        EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ObjectReference, Pod, Service,
    },
    apimachinery::pkg::{apis::meta::v1::ObjectMeta, util::intstr::IntOrString},
};

use super::{
    Controller, View, Write,
    trigger_time::{self, Tracker},
};
use crate::sim::{
    DeleteOptions, Kind, Object, ObjectRef,
    labels::map_matches,
    object::Resource,
    podutil,
    queue::{self, Affected, Keyed, Part, QueueKey, RuntimeChange},
    store::Change,
};
use crate::version::Fact;

/// The endpoints controller.
pub struct EndpointsController;

impl Controller for EndpointsController {
    fn name(&self) -> &'static str {
        "endpoint-controller"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        queue::full_scan(self, view)
    }

    fn keyed(&self) -> Option<&dyn Keyed> {
        Some(self)
    }
}

/// Services first (rank 0: create or update their Endpoints), then the
/// Endpoints objects (rank 1: delete those whose Service is gone), each in
/// store order, as `syncService` runs per Service key.
fn service_key(r: &ObjectRef) -> QueueKey {
    QueueKey { rank: vec![Part::Int(0)], object: ObjectRef { kind: Kind::Service, ..r.clone() } }
}

fn endpoints_key(r: &ObjectRef) -> QueueKey {
    QueueKey { rank: vec![Part::Int(1)], object: ObjectRef { kind: Kind::Endpoints, ..r.clone() } }
}

/// The keys of the Services in the namespace of a changed pod whose
/// selector picks the pod before or after the change (the controller's
/// pod handlers, `getPodServiceMemberships`). Services are few; pods many.
pub(super) fn services_of_pod(view: &View<'_>, change: &Change) -> Vec<ObjectRef> {
    let pods: Vec<&Pod> = [change.old.as_ref(), view.store.get(&change.object)]
        .into_iter()
        .flatten()
        .filter_map(Pod::from_object)
        .collect();
    view.store
        .all::<Service>(change.object.namespace.as_deref())
        .filter(|svc| {
            let selector = svc.spec.as_ref().and_then(|s| s.selector.as_ref());
            selector.is_some_and(|sel| {
                !sel.is_empty() && pods.iter().any(|p| map_matches(sel, p.metadata.labels.as_ref()))
            })
        })
        .map(|svc| ObjectRef {
            kind: Kind::Service,
            namespace: change.object.namespace.clone(),
            name: svc.metadata.name.clone().unwrap_or_default(),
        })
        .collect()
}

impl Keyed for EndpointsController {
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey> {
        let services = view.store.list(Kind::Service, None).map(|o| service_key(&o.object_ref()));
        let endpoints =
            view.store.list(Kind::Endpoints, None).map(|o| endpoints_key(&o.object_ref()));
        services.chain(endpoints).collect()
    }

    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected {
        match change.object.kind {
            Kind::Service | Kind::Endpoints => {
                Affected::Keys(vec![service_key(&change.object), endpoints_key(&change.object)])
            }
            Kind::Pod => {
                Affected::Keys(services_of_pod(view, change).iter().map(service_key).collect())
            }
            _ => Affected::Nothing,
        }
    }

    fn on_runtime(&self, _view: &View<'_>, _change: &RuntimeChange) -> Affected {
        Affected::Nothing
    }

    fn sync(&self, view: &View<'_>, key: &QueueKey) -> Vec<Write> {
        match key.object.kind {
            Kind::Service => view
                .store
                .get(&key.object)
                .and_then(Service::from_object)
                .map_or_else(Vec::new, |svc| sync_service(view, svc)),
            _ => {
                let Some(ep) = view.store.get(&key.object).and_then(Endpoints::from_object) else {
                    return Vec::new();
                };
                let ns = ep.metadata.namespace.as_deref();
                let name = ep.metadata.name.as_deref().unwrap_or_default();
                if view.store.get_typed::<Service>(ns, name).is_some() {
                    return Vec::new();
                }
                vec![Write::Delete(key.object.clone(), DeleteOptions::default())]
            }
        }
    }

    fn wakeup(&self, _view: &View<'_>, _key: &QueueKey) -> Option<k8s_openapi::jiff::Timestamp> {
        None
    }
}

/// One Service's Endpoints created or brought up to date, and the
/// trigger-time tracker's memory of the sync.
fn sync_service(view: &View<'_>, svc: &Service) -> Vec<Write> {
    let Some(want) = desired(view, svc) else { return Vec::new() };
    let tracked = trigger_time::compute(view, Tracker::Endpoints, svc);
    let stamp = |meta: &mut ObjectMeta| {
        if let Some((trigger, _)) = &tracked {
            trigger_time::annotate(meta, *trigger);
        }
    };
    let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
    let name = svc.metadata.name.as_deref().unwrap_or_default();
    let write = match view.store.get_typed::<Endpoints>(Some(ns), name) {
        None => {
            let mut want = want;
            stamp(&mut want.metadata);
            Some(Write::Create(Object::Endpoints(want)))
        }
        Some(cur) if cur.subsets != want.subsets || cur.metadata.labels != want.metadata.labels => {
            let mut updated = cur.clone();
            updated.subsets = want.subsets;
            updated.metadata.labels = want.metadata.labels;
            stamp(&mut updated.metadata);
            Some(Write::Update(Object::Endpoints(updated)))
        }
        Some(_) => None,
    };
    let memory = tracked.and_then(|(_, memory)| memory);
    memory.into_iter().chain(write).collect()
}

/// The labels `syncService` gives a Service's Endpoints: the Service's,
/// `service.kubernetes.io/headless` (empty) for a headless one
/// ([`Fact::EndpointsHeadlessLabel`]), and
/// `endpoints.kubernetes.io/managed-by=endpoint-controller`
/// ([`Fact::EndpointsManagedByLabel`]).
fn controller_labels(
    view: &View<'_>,
    svc: &Service,
) -> Option<std::collections::BTreeMap<String, String>> {
    let version = view.config.version;
    let mut labels = svc.metadata.labels.clone().unwrap_or_default();
    let headless = svc.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None");
    if headless && version.has(Fact::EndpointsHeadlessLabel) {
        labels.insert("service.kubernetes.io/headless".to_owned(), String::new());
    }
    if version.has(Fact::EndpointsManagedByLabel) {
        labels.insert(
            "endpoints.kubernetes.io/managed-by".to_owned(),
            "endpoint-controller".to_owned(),
        );
    }
    (!labels.is_empty() || svc.metadata.labels.is_some()).then_some(labels)
}

/// The Endpoints `svc` should have; `None` for services without selector
/// (other than the apiserver's own).
fn desired(view: &View<'_>, svc: &Service) -> Option<Endpoints> {
    let spec = svc.spec.as_ref()?;
    let meta = ObjectMeta {
        name: svc.metadata.name.clone(),
        namespace: svc.metadata.namespace.clone(),
        labels: svc.metadata.labels.clone(),
        ..Default::default()
    };
    if svc.metadata.namespace.as_deref() == Some("default")
        && svc.metadata.name.as_deref() == Some("kubernetes")
    {
        // The apiserver's `EndpointsAdapter` labels its own Endpoints
        // instead of copying the Service's labels
        // (`pkg/controlplane/reconcilers/endpointsadapter.go`).
        let meta = ObjectMeta {
            labels: Some(
                [("endpointslice.kubernetes.io/skip-mirror".to_owned(), "true".to_owned())].into(),
            ),
            ..meta
        };
        let cp = view
            .config
            .nodes
            .iter()
            .find(|n| crate::sim::profiles::is_control_plane(n))
            .or(view.config.nodes.first())?;
        let subset = EndpointSubset {
            addresses: Some(vec![EndpointAddress { ip: cp.ip.clone(), ..Default::default() }]),
            ports: Some(vec![EndpointPort {
                name: Some("https".into()),
                port: 6443,
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            not_ready_addresses: None,
        };
        return Some(Endpoints { metadata: meta, subsets: Some(vec![subset]) });
    }
    let selector = spec.selector.as_ref().filter(|s| !s.is_empty())?;
    let meta = ObjectMeta { labels: controller_labels(view, svc), ..meta };
    let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
    let mut ready = Vec::new();
    let mut not_ready = Vec::new();
    let mut ports: Option<Vec<EndpointPort>> = None;
    for pod in view.store.all::<Pod>(Some(ns)) {
        if !map_matches(selector, pod.metadata.labels.as_ref())
            || pod.metadata.deletion_timestamp.is_some()
        {
            continue;
        }
        let Some(ip) = pod.status.as_ref().and_then(|s| s.pod_ip.clone()) else { continue };
        let address = EndpointAddress {
            ip,
            node_name: podutil::node_name(pod).map(str::to_owned),
            target_ref: Some(ObjectReference {
                kind: Some("Pod".into()),
                name: pod.metadata.name.clone(),
                namespace: pod.metadata.namespace.clone(),
                uid: pod.metadata.uid.clone(),
                ..Default::default()
            }),
            // `podToEndpointAddressForService`: a pod whose subdomain is
            // this Service is named by its hostname (StatefulSet pods).
            hostname: pod
                .spec
                .as_ref()
                .filter(|s| s.subdomain.as_deref() == svc.metadata.name.as_deref())
                .and_then(|s| s.hostname.clone())
                .filter(|h| !h.is_empty()),
        };
        if ports.is_none() {
            ports =
                Some(spec.ports.iter().flatten().filter_map(|p| resolve_port(pod, p)).collect());
        }
        if podutil::is_ready(pod) { ready.push(address) } else { not_ready.push(address) }
    }
    ready.sort_by(|a, b| a.ip.cmp(&b.ip));
    not_ready.sort_by(|a, b| a.ip.cmp(&b.ip));
    let subsets = (!ready.is_empty() || !not_ready.is_empty()).then(|| {
        vec![EndpointSubset {
            addresses: (!ready.is_empty()).then_some(ready),
            not_ready_addresses: (!not_ready.is_empty()).then_some(not_ready),
            ports,
        }]
    });
    Some(Endpoints { metadata: meta, subsets })
}

/// A service port's target on `pod`: a number, or a named container port.
pub(super) fn resolve_port(
    pod: &Pod,
    port: &k8s_openapi::api::core::v1::ServicePort,
) -> Option<EndpointPort> {
    let number = match port.target_port.as_ref() {
        None => port.port,
        Some(IntOrString::Int(n)) => *n,
        Some(IntOrString::String(name)) => {
            pod.spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .find(|cp| cp.name.as_deref() == Some(name.as_str()))?
                .container_port
        }
    };
    Some(EndpointPort {
        name: port.name.clone(),
        port: number,
        protocol: port.protocol.clone(),
        ..Default::default()
    })
}
