//! Cluster DNS as CoreDNS's `kubernetes` plugin (and kube-dns) answers it
//! (the DNS specification, `kubernetes/dns` `docs/specification.md`):
//! `<svc>.<ns>.svc.cluster.local` is a Service's ClusterIP, or the ready
//! endpoints' IPs for a headless Service; `<a-b-c-d>.<ns>.pod.cluster.local`
//! is a pod IP. A pod's resolver searches `<ns>.svc.cluster.local`,
//! `svc.cluster.local` and `cluster.local` first (kubelet-written
//! `resolv.conf`, `ndots:5`).

use k8s_openapi::api::core::v1::{Endpoints, Service};

use crate::sim::store::Store;

/// The cluster domain.
pub const DOMAIN: &str = "cluster.local";

/// One address of an answer: the IP and the name its PTR record gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// The IPv4 address.
    pub ip: String,
    /// Its reverse name (`web.default.svc.cluster.local`).
    pub ptr: String,
}

/// The cluster DNS Service (`kube-system/kube-dns`, whichever server runs
/// behind it): its ClusterIP and reverse name, if it exists.
pub fn server(store: &Store) -> Option<Address> {
    let svc = store.get_typed::<Service>(Some("kube-system"), "kube-dns")?;
    let ip = svc.spec.as_ref()?.cluster_ip.clone()?;
    Some(Address { ip, ptr: format!("kube-dns.kube-system.svc.{DOMAIN}") })
}

/// Whether the DNS Service has a ready endpoint to answer.
pub fn serving(store: &Store) -> bool {
    store.get_typed::<Endpoints>(Some("kube-system"), "kube-dns").is_some_and(|e| {
        e.subsets.iter().flatten().any(|s| s.addresses.as_ref().is_some_and(|a| !a.is_empty()))
    })
}

/// The names a pod in `namespace` tries for `name`, in order.
pub fn candidates(name: &str, namespace: &str) -> Vec<String> {
    if let Some(absolute) = name.strip_suffix('.') {
        return vec![absolute.to_owned()];
    }
    let search = [format!("{namespace}.svc.{DOMAIN}"), format!("svc.{DOMAIN}"), DOMAIN.to_owned()];
    let mut out: Vec<String> = search.iter().map(|d| format!("{name}.{d}")).collect();
    // ndots:5: a name with five dots or more is tried as is first.
    if name.matches('.').count() >= 5 {
        out.insert(0, name.to_owned());
    } else {
        out.push(name.to_owned());
    }
    out
}

/// The A records of a fully qualified name (without the final dot).
pub fn records(store: &Store, fqdn: &str) -> Vec<Address> {
    let Some(rest) = fqdn.strip_suffix(&format!(".{DOMAIN}")) else { return Vec::new() };
    let labels: Vec<&str> = rest.split('.').collect();
    match labels.as_slice() {
        [svc, ns, "svc"] => service_records(store, ns, svc),
        // `<hostname>.<subdomain>.<ns>.svc`: a headless Service's endpoint
        // with that hostname (the DNS specification's pod A records).
        [host, svc, ns, "svc"] => {
            let fqdn = format!("{host}.{svc}.{ns}.svc.{DOMAIN}");
            service_records(store, ns, svc).into_iter().filter(|a| a.ptr == fqdn).collect()
        }
        [ip, _ns, "pod"] => {
            let ip = ip.replace('-', ".");
            if ip.parse::<std::net::Ipv4Addr>().is_ok() {
                vec![Address { ptr: format!("{}.{rest}.{DOMAIN}", ip.replace('.', "-")), ip }]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

fn service_records(store: &Store, ns: &str, name: &str) -> Vec<Address> {
    let Some(svc) = store.get_typed::<Service>(Some(ns), name) else { return Vec::new() };
    let Some(spec) = svc.spec.as_ref() else { return Vec::new() };
    let fqdn = format!("{name}.{ns}.svc.{DOMAIN}");
    match spec.cluster_ip.as_deref() {
        Some("None") => {
            // Headless: one record per ready endpoint, named by its
            // hostname or dashed IP.
            let eps = store.get_typed::<Endpoints>(Some(ns), name);
            eps.iter()
                .flat_map(|e| e.subsets.iter().flatten())
                .flat_map(|s| s.addresses.iter().flatten())
                .map(|a| {
                    let host = a.hostname.clone().unwrap_or_else(|| a.ip.replace('.', "-"));
                    Address { ip: a.ip.clone(), ptr: format!("{host}.{fqdn}") }
                })
                .collect()
        }
        Some(ip) if !ip.is_empty() => vec![Address { ip: ip.to_owned(), ptr: fqdn }],
        _ => Vec::new(),
    }
}

/// Resolves `name` as a pod in `namespace` does: the first candidate with
/// records wins.
pub fn resolve(store: &Store, name: &str, namespace: &str) -> Option<Vec<Address>> {
    candidates(name, namespace).iter().map(|c| records(store, c)).find(|r| !r.is_empty())
}

/// The PTR name of `ip`: a Service's name for its ClusterIP, a headless
/// Service's endpoint name, else none (empty).
pub fn reverse(store: &Store, ip: &str) -> String {
    for svc in store.all::<Service>(None) {
        let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
        let name = svc.metadata.name.as_deref().unwrap_or_default();
        if let Some(a) = service_records(store, ns, name).into_iter().find(|a| a.ip == ip) {
            return a.ptr;
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_path() {
        assert_eq!(
            candidates("web", "dev"),
            ["web.dev.svc.cluster.local", "web.svc.cluster.local", "web.cluster.local", "web"]
        );
        assert_eq!(candidates("web.dev.svc.cluster.local.", "x"), ["web.dev.svc.cluster.local"]);
    }
}
