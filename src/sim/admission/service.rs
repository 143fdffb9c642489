//! Service IP and NodePort allocation (`pkg/registry/core/service/ipallocator`,
//! `portallocator`): seeded random, unique, validated when requested.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Service;

use crate::{
    sim::{net::Cidr, rng::Rng, store::Store},
    version::{Fact, KubeVersion},
};

/// The apiserver's default `--service-node-port-range`.
pub const NODE_PORT_RANGE: (i32, i32) = (30000, 32767);

/// Allocates a ClusterIP and NodePorts; `Err` holds field-error causes.
pub fn allocate(
    svc: &mut Service,
    old: Option<&Service>,
    store: &Store,
    (service_cidr, version): (&str, KubeVersion),
    rng: &mut Rng,
) -> Result<(), Vec<String>> {
    let Some(spec) = svc.spec.as_mut() else { return Ok(()) };
    let old_spec = old.and_then(|o| o.spec.as_ref());
    let type_ = spec.type_.clone().unwrap_or_default();
    let mut causes = Vec::new();
    if type_ != "ExternalName" {
        if spec.cluster_ip.as_deref().is_none_or(str::is_empty) {
            spec.cluster_ip = old_spec.and_then(|o| o.cluster_ip.clone());
        }
        match spec.cluster_ip.clone().filter(|s| !s.is_empty()) {
            Some(ip) if ip == "None" => {}
            Some(ip) if old_spec.and_then(|o| o.cluster_ip.as_deref()) == Some(ip.as_str()) => {}
            Some(ip) => {
                if let Err(e) = check_ip(&ip, store, service_cidr) {
                    causes.push(format!("spec.clusterIPs: Invalid value: []string{{\"{ip}\"}}: failed to allocate IP {ip}: {e}"));
                }
            }
            None => spec.cluster_ip = random_ip(store, service_cidr, rng),
        }
        // `spec.clusterIPs` exists from v1.20; `ipFamilies` and
        // `ipFamilyPolicy` are defaulted from v1.21 (before, the
        // IPv6DualStack gate was off and the registry dropped them).
        if version.has(Fact::ServiceClusterIPs) {
            spec.cluster_ips = spec.cluster_ip.clone().map(|ip| vec![ip]);
        }
        if version.has(Fact::ServiceIPFamilies) {
            spec.ip_families.get_or_insert_with(|| vec!["IPv4".to_owned()]);
            spec.ip_family_policy.get_or_insert_with(|| "SingleStack".to_owned());
        } else {
            spec.ip_families = None;
            spec.ip_family_policy = None;
        }
    }
    if type_ == "NodePort" || type_ == "LoadBalancer" {
        let mut used =
            used_node_ports(store, svc.metadata.namespace.as_deref(), svc.metadata.name.as_deref());
        let old_ports: Vec<i32> = old_spec
            .into_iter()
            .flat_map(|o| o.ports.iter().flatten())
            .filter_map(|p| p.node_port)
            .collect();
        for (i, port) in spec.ports.iter_mut().flatten().enumerate() {
            match port.node_port {
                Some(np) if np != 0 => {
                    if np < NODE_PORT_RANGE.0 || np > NODE_PORT_RANGE.1 {
                        causes.push(format!("spec.ports[{i}].nodePort: Invalid value: {np}: provided port is not in the valid range. The range of valid ports is {}-{}", NODE_PORT_RANGE.0, NODE_PORT_RANGE.1));
                    } else if used.contains(&np) && !old_ports.contains(&np) {
                        causes.push(format!("spec.ports[{i}].nodePort: Invalid value: {np}: provided port is already allocated"));
                    }
                    used.insert(np);
                }
                _ => {
                    let np = old_ports
                        .get(i)
                        .copied()
                        .filter(|p| !used.contains(p))
                        .unwrap_or_else(|| random_port(&used, rng));
                    used.insert(np);
                    port.node_port = Some(np);
                }
            }
        }
    } else {
        for port in spec.ports.iter_mut().flatten() {
            port.node_port = None;
        }
    }
    if causes.is_empty() { Ok(()) } else { Err(causes) }
}

/// Cluster IPs in use.
fn used_ips(store: &Store) -> BTreeSet<String> {
    store.all::<Service>(None).filter_map(|s| s.spec.as_ref()?.cluster_ip.clone()).collect()
}

fn check_ip(ip: &str, store: &Store, cidr: &str) -> Result<(), String> {
    let net = Cidr::parse(cidr).ok_or("no service CIDR")?;
    if net.offset_of(ip).is_none() {
        return Err(format!(
            "the provided IP ({ip}) is not in the valid range. The range of valid IPs is {net}"
        ));
    }
    if used_ips(store).contains(ip) {
        return Err("provided IP is already allocated".to_owned());
    }
    Ok(())
}

fn random_ip(store: &Store, cidr: &str, rng: &mut Rng) -> Option<String> {
    let net = Cidr::parse(cidr)?;
    let used = used_ips(store);
    let usable = net.size().saturating_sub(2).max(1);
    for _ in 0..1000 {
        let ip = net.nth(1 + rng.below(usable));
        if !used.contains(&ip) {
            return Some(ip);
        }
    }
    None
}

fn used_node_ports(store: &Store, namespace: Option<&str>, name: Option<&str>) -> BTreeSet<i32> {
    store
        .all::<Service>(None)
        .filter(|s| {
            !(s.metadata.namespace.as_deref() == namespace && s.metadata.name.as_deref() == name)
        })
        .flat_map(|s| s.spec.iter().flat_map(|sp| sp.ports.iter().flatten()))
        .filter_map(|p| p.node_port)
        .collect()
}

fn random_port(used: &BTreeSet<i32>, rng: &mut Rng) -> i32 {
    let span = (NODE_PORT_RANGE.1 - NODE_PORT_RANGE.0 + 1) as u64;
    loop {
        let p = NODE_PORT_RANGE.0 + rng.below(span) as i32;
        if !used.contains(&p) {
            return p;
        }
    }
}
