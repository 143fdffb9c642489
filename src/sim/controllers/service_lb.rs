//! LoadBalancer addresses on a cluster without a cloud: the MetalLB
//! controller (`metallb/metallb` `controller/service.go`,
//! `internal/allocator`) when the scenario declares a pool
//! (`cluster.loadBalancer.pool`), else nothing — the Service stays
//! `<pending>`, as on bare metal.
//!
//! Services are served oldest first; each gets the `spec.loadBalancerIP`
//! it asks for if that is free and in the pool, else the pool's first free
//! address, written to `status.loadBalancer.ingress`. An exhausted pool
//! leaves the Service pending until an address is released (a Service
//! deleted, or changed to another type).

use k8s_openapi::api::core::v1::{LoadBalancerIngress, LoadBalancerStatus, Service, ServiceStatus};

use super::{View, Write};
use crate::sim::{Object, events, net::Pool};

/// The MetalLB controller.
pub struct LoadBalancerController;

fn is_lb(svc: &Service) -> bool {
    svc.spec.as_ref().and_then(|s| s.type_.as_deref()) == Some("LoadBalancer")
}

fn ingress_ips(svc: &Service) -> Vec<String> {
    svc.status
        .iter()
        .flat_map(|s| s.load_balancer.iter())
        .flat_map(|lb| lb.ingress.iter().flatten())
        .filter_map(|i| i.ip.clone())
        .collect()
}

fn with_ingress(svc: &Service, ips: &[String]) -> Service {
    let mut updated = svc.clone();
    let ingress = (!ips.is_empty()).then(|| {
        ips.iter()
            .map(|ip| LoadBalancerIngress { ip: Some(ip.clone()), ..Default::default() })
            .collect()
    });
    updated.status.get_or_insert_with(ServiceStatus::default).load_balancer =
        Some(LoadBalancerStatus { ingress });
    updated
}

impl super::Controller for LoadBalancerController {
    fn name(&self) -> &'static str {
        "metallb-controller"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        let Some(pool) = view.config.network.load_balancer_pool.as_deref().and_then(Pool::parse)
        else {
            return Vec::new();
        };
        // A Service that is no longer of type LoadBalancer gives its
        // address back.
        for svc in view.store.all::<Service>(None) {
            if !is_lb(svc) && !ingress_ips(svc).is_empty() {
                return vec![Write::Update(Object::Service(with_ingress(svc, &[])))];
            }
        }
        let mut services: Vec<&Service> =
            view.store.all::<Service>(None).filter(|s| is_lb(s)).collect();
        services.sort_by_key(|s| {
            (
                s.metadata.creation_timestamp.as_ref().map(|t| t.0),
                s.metadata.namespace.clone(),
                s.metadata.name.clone(),
            )
        });
        let used: Vec<String> = services.iter().flat_map(|s| ingress_ips(s)).collect();
        for svc in services {
            if !ingress_ips(svc).is_empty() {
                continue;
            }
            let wanted = svc
                .spec
                .as_ref()
                .and_then(|s| s.load_balancer_ip.clone())
                .filter(|ip| !ip.is_empty());
            let ip = match wanted {
                Some(ip) if pool.addresses().any(|a| a == ip) && !used.contains(&ip) => Some(ip),
                Some(_) => None,
                None => pool.addresses().find(|a| !used.contains(a)),
            };
            let Some(ip) = ip else { continue };
            let involved = events::reference_to(&Object::Service(svc.clone()));
            return vec![
                Write::Update(Object::Service(with_ingress(svc, std::slice::from_ref(&ip)))),
                Write::Event(events::EventRecord::normal(
                    involved,
                    "metallb-controller",
                    "IPAllocated",
                    format!("Assigned IP [\"{ip}\"]"),
                )),
            ];
        }
        Vec::new()
    }
}
