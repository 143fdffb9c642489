//! Traffic: a small pure model of what answers a TCP connection or a DNS
//! question inside the simulated cluster, so `curl`, `wget` and `nslookup`
//! print what a real cluster would.
//!
//! A connection to `ip:port` is routed as kube-proxy routes it
//! (`pkg/proxy/iptables/proxier.go`): a Service's ClusterIP and port, a
//! NodePort on any node address, or a LoadBalancer ingress IP lead to one
//! of the Service's *ready* endpoints; a pod IP leads to that pod. A
//! Service with no ready endpoint is rejected (kube-proxy installs a
//! `REJECT` rule: "Connection refused"); an address nobody owns times out.
//! Endpoints are taken in turn per Service port (round-robin, as IPVS
//! does; iptables mode picks at random, which a deterministic simulator
//! cannot reproduce). The container that listens on the port then answers
//! as its image does ([`servers`]).
//!
//! The clients ([`clients`]) format what each tool prints; the host side
//! (`kubectl port-forward`, the tutorial machine) lives in the backend.

pub mod clients;
pub mod dns;
pub mod grpc_health;
pub mod nginx;
pub mod pod;
pub mod servers;

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use k8s_openapi::{
    api::core::v1::{Endpoints, Node, Pod, Service},
    jiff::Timestamp,
};

use super::{Cluster, ClusterConfig, podutil, store::Store};

/// Round-robin positions by Service port (`namespace/name:index`).
pub type Balancer = BTreeMap<String, u64>;

/// What a process inside a pod can reach: the objects as they are when it
/// runs, the balancer's positions, and the pod's namespace (its DNS search
/// path). A process runs at one instant, so a copy is exact.
#[derive(Debug)]
pub struct Snapshot {
    /// The cluster's objects.
    pub store: Store,
    /// Round-robin positions, advanced by the process's connections and
    /// written back to the cluster when it ends ([`Snapshot::write_back`]).
    pub balancer: Mutex<Balancer>,
    /// The namespace of the pod the process runs in.
    pub namespace: String,
    /// The pod's own IP (what `localhost` reaches).
    pub pod_ip: String,
    /// The cluster's shape (the scenario's `images:` entries).
    pub config: ClusterConfig,
    /// Node-local state as it is now (what containers' servers serve
    /// from their filesystems).
    pub runtime: super::runtime::Runtime,
    /// The virtual time the snapshot was taken (servers' `Date`).
    pub now: Timestamp,
}

impl PartialEq for Snapshot {
    fn eq(&self, other: &Self) -> bool {
        self.store.revision() == other.store.revision()
            && self.balancer() == other.balancer()
            && self.namespace == other.namespace
            && self.pod_ip == other.pod_ip
    }
}

impl Eq for Snapshot {}

impl Snapshot {
    /// The network as a process in `pod` sees it now.
    pub fn of(cluster: &Cluster, pod: &Pod) -> Arc<Snapshot> {
        Arc::new(Snapshot {
            store: cluster.store().clone(),
            balancer: Mutex::new(cluster.runtime().balancer.clone()),
            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
            pod_ip: pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default(),
            config: cluster.config().clone(),
            runtime: cluster.runtime().clone(),
            now: cluster.now(),
        })
    }

    /// The round-robin positions now.
    pub fn balancer(&self) -> Balancer {
        self.balancer.lock().map(|b| b.clone()).unwrap_or_default()
    }

    /// Keeps the turns the process's connections took: the next
    /// connection, from anywhere, goes to the next endpoint.
    pub fn write_back(&self, cluster: &mut Cluster) {
        cluster.runtime_mut().balancer = self.balancer();
    }
}

/// Why a connection failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// Nothing listens (or kube-proxy rejects: no endpoints).
    Refused,
    /// Nobody answers at that address.
    TimedOut,
    /// The container listens, but kubeplay has no built-in reply for its
    /// image: an honest error rather than an invented page.
    Unmodelled(String),
    /// The connection was accepted and closed without a reply (a
    /// port-forward whose pod end failed).
    EmptyReply,
    /// What answers is modelled, but not this request's reply (an API
    /// path behind `kubectl proxy`), named.
    Unsupported(String),
}

/// Where a connection ended up: a pod's IP and container port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub pod: String,
    /// The pod's IP.
    pub ip: String,
    /// The container port.
    pub port: u16,
}

/// An HTTP request as a client sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET` or `HEAD`.
    pub method: String,
    /// The path with its query (`/`, `/index.html`).
    pub path: String,
}

/// An HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code (200).
    pub status: u16,
    /// Reason phrase (`OK`).
    pub reason: String,
    /// Header lines, in the server's order.
    pub headers: Vec<(String, String)>,
    /// Whether `headers` are all the server sends (what `curl -I` prints);
    /// otherwise they are only those kubeplay models (`Content-Type`).
    pub all_headers: bool,
    /// The body.
    pub body: String,
}

/// Which Service port a connection to `ip:port` hits, if any: by
/// ClusterIP, NodePort on a node address, or LoadBalancer ingress IP.
fn service_port<'a>(store: &'a Store, ip: &str, port: u16) -> Option<(&'a Service, usize)> {
    let node_ip = is_node_ip(store, ip);
    store.all::<Service>(None).find_map(|svc| {
        let spec = svc.spec.as_ref()?;
        let ports = spec.ports.as_deref().unwrap_or_default();
        let by_port = || ports.iter().position(|p| p.port == i32::from(port));
        if spec.cluster_ip.as_deref() == Some(ip) {
            return by_port().map(|i| (svc, i));
        }
        if node_ip {
            return ports
                .iter()
                .position(|p| p.node_port == Some(i32::from(port)))
                .map(|i| (svc, i));
        }
        let lb = svc.status.as_ref().and_then(|s| s.load_balancer.as_ref());
        let on_lb = lb
            .and_then(|lb| lb.ingress.as_ref())
            .is_some_and(|ing| ing.iter().any(|i| i.ip.as_deref() == Some(ip)));
        let external = spec.external_ips.iter().flatten().any(|e| e == ip);
        if on_lb || external { by_port().map(|i| (svc, i)) } else { None }
    })
}

/// The ready endpoints of a Service port, in the Endpoints object's order.
fn ready_endpoints(store: &Store, svc: &Service, index: usize) -> Vec<Endpoint> {
    let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
    let name = svc.metadata.name.as_deref().unwrap_or_default();
    let Some(port) = svc.spec.as_ref().and_then(|s| s.ports.as_ref()).and_then(|p| p.get(index))
    else {
        return Vec::new();
    };
    let Some(eps) = store.get_typed::<Endpoints>(Some(ns), name) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for subset in eps.subsets.iter().flatten() {
        let Some(ep_port) = subset.ports.iter().flatten().find(|p| p.name == port.name) else {
            continue;
        };
        for address in subset.addresses.iter().flatten() {
            let pod = address.target_ref.as_ref().and_then(|r| r.name.clone()).unwrap_or_default();
            out.push(Endpoint {
                namespace: ns.to_owned(),
                pod,
                ip: address.ip.clone(),
                port: u16::try_from(ep_port.port).unwrap_or_default(),
            });
        }
    }
    out
}

/// Routes a connection to `ip:port` to the pod that gets it, taking a
/// Service's ready endpoints in turn.
pub fn route(
    store: &Store,
    balancer: &mut Balancer,
    ip: &str,
    port: u16,
) -> Result<Endpoint, ConnectError> {
    if enforces_network_policy(store) {
        return Err(ConnectError::Unsupported(NETWORK_POLICY.to_owned()));
    }
    if let Some((svc, index)) = service_port(store, ip, port) {
        let key = format!(
            "{}/{}:{index}",
            svc.metadata.namespace.as_deref().unwrap_or_default(),
            svc.metadata.name.as_deref().unwrap_or_default()
        );
        let endpoints = ready_endpoints(store, svc, index);
        if endpoints.is_empty() {
            return Err(ConnectError::Refused);
        }
        let turn = balancer.entry(key).or_insert(0);
        let chosen = endpoints[(*turn as usize) % endpoints.len()].clone();
        *turn += 1;
        return Ok(chosen);
    }
    let pod = store.all::<Pod>(None).find(|p| {
        p.status.as_ref().and_then(|s| s.pod_ip.as_deref()) == Some(ip)
            && podutil::phase(p) == "Running"
    });
    match pod {
        Some(pod) => Ok(Endpoint {
            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
            pod: pod.metadata.name.clone().unwrap_or_default(),
            ip: ip.to_owned(),
            port,
        }),
        // A node address answers with its own services (the kubelet,
        // sshd...); none of them speaks the HTTP tutorials fetch.
        None if is_node_ip(store, ip) => Err(ConnectError::Refused),
        None => Err(ConnectError::TimedOut),
    }
}

/// What a connection is reported unsupported for while policies exist.
pub const NETWORK_POLICY: &str = "NetworkPolicy enforcement";

/// Whether a NetworkPolicy exists: kubeplay stores policies but does not
/// model what a network plugin lets through, so every connection inside
/// the cluster is then reported unsupported (the policy's source pod may
/// be any, its egress rules may isolate the client).
pub fn enforces_network_policy(store: &Store) -> bool {
    static KIND: std::sync::OnceLock<super::Kind> = std::sync::OnceLock::new();
    let kind =
        *KIND.get_or_init(|| super::registry::builtin_kind("networking.k8s.io", "networkpolicies"));
    store.list(kind, None).next().is_some()
}

/// Whether `ip` is one of a node's addresses.
pub fn is_node_ip(store: &Store, ip: &str) -> bool {
    store.all::<Node>(None).any(|n| {
        n.status.iter().flat_map(|s| s.addresses.iter().flatten()).any(|a| a.address == ip)
    })
}

/// The Running pod `endpoint` names and its container listening on the
/// endpoint's port at `now`.
fn listener<'s>(
    store: &'s Store,
    config: &ClusterConfig,
    runtime: &super::runtime::Runtime,
    endpoint: &Endpoint,
    now: Timestamp,
) -> Option<(&'s Pod, &'s k8s_openapi::api::core::v1::Container)> {
    let pod = store
        .get_typed::<Pod>(Some(&endpoint.namespace), &endpoint.pod)
        .filter(|p| podutil::phase(p) == "Running")?;
    let container = pod.spec.as_ref()?.containers.iter().find(|c| {
        let nginx = nginx_running(store, config, runtime, pod, c, now);
        servers::listens(config, c, endpoint.port, nginx.as_ref())
    })?;
    Some((pod, container))
}

/// The configuration the nginx master of `container` runs with at `now`
/// ([`crate::sim::images::nginx::running`]): read from its filesystem at
/// its start and at each `nginx -s reload` since. `None` for a container
/// that does not run nginx's own entrypoint, or does not run.
pub fn nginx_running(
    store: &Store,
    config: &ClusterConfig,
    runtime: &super::runtime::Runtime,
    pod: &Pod,
    container: &k8s_openapi::api::core::v1::Container,
    now: Timestamp,
) -> Option<crate::sim::images::nginx::Loaded> {
    if !servers::runs_nginx(container) {
        return None;
    }
    let run = runtime.container_run(pod, &container.name)?;
    let ctx = super::controllers::kubelet_process::context(store, pod, container, run.started?);
    let changes =
        super::controllers::kubelet_process::files_at(config, store, runtime, pod, container, now);
    Some(crate::sim::images::nginx::running(&changes, &run.hangups, now, |c| {
        super::process::fs::Fs::new(&ctx.image, &ctx.files, &ctx.mounts, c)
    }))
}

/// Who reads a response: a client prints its body, the kubelet's prober
/// reads only its status (`pkg/probe/http/http.go` discards the body
/// beyond the first 10 KiB and never prints it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    Client,
    Prober,
}

/// Sends `request` to `endpoint` at time `now`: the container listening on
/// its port answers, if its pod runs. A scenario's own image answers with
/// its declared routes ([`crate::sim::images::http`]).
pub fn serve(
    store: &Store,
    config: &ClusterConfig,
    runtime: &super::runtime::Runtime,
    endpoint: &Endpoint,
    request: &Request,
    now: Timestamp,
) -> Result<Response, ConnectError> {
    answer(store, config, runtime, endpoint, request, now, Reader::Client)
}

/// [`serve`] for an httpGet probe: only the status counts, so a declared
/// route needs no body.
pub fn probe(
    store: &Store,
    config: &ClusterConfig,
    runtime: &super::runtime::Runtime,
    endpoint: &Endpoint,
    request: &Request,
    now: Timestamp,
) -> Result<Response, ConnectError> {
    answer(store, config, runtime, endpoint, request, now, Reader::Prober)
}

fn answer(
    store: &Store,
    config: &ClusterConfig,
    runtime: &super::runtime::Runtime,
    endpoint: &Endpoint,
    request: &Request,
    now: Timestamp,
    reader: Reader,
) -> Result<Response, ConnectError> {
    let Some((pod, container)) = listener(store, config, runtime, endpoint, now) else {
        let unknown = store
            .get_typed::<Pod>(Some(&endpoint.namespace), &endpoint.pod)
            .filter(|p| podutil::phase(p) == "Running")
            .and_then(|p| servers::unknown_listener(config, p, endpoint.port));
        return Err(unknown.map_or(ConnectError::Refused, ConnectError::Unmodelled));
    };
    let status = pod
        .status
        .iter()
        .flat_map(|s| s.container_statuses.iter().flatten())
        .find(|s| s.name == container.name);
    let Some(started) = status
        .and_then(|s| s.state.as_ref()?.running.as_ref())
        .map(|r| r.started_at.as_ref().map(|t| t.0).unwrap_or_default())
    else {
        return Err(ConnectError::Refused);
    };
    let image = container.image.as_deref().unwrap_or_default();
    let routes = crate::sim::images::routes(config, image);
    let uptime = now.duration_since(started).unsigned_abs();
    if !routes.is_empty() {
        return declared(&routes, image, request, uptime, reader);
    }
    if let Some(reply) = servers::timed_reply(container, request, uptime) {
        return reply;
    }
    file_server(store, config, runtime, pod, container, endpoint, request, now)
}

/// The answer of an image's declared routes to `request`, by how long the
/// serving container has run. What a scenario did not declare (the path,
/// or the body a client prints) stays unmodelled.
fn declared(
    routes: &[crate::sim::images::http::Route],
    image: &str,
    request: &Request,
    uptime: std::time::Duration,
    reader: Reader,
) -> Result<Response, ConnectError> {
    let unmodelled = |what: &str| {
        ConnectError::Unmodelled(format!("{image} (no declared {what} for {})", request.path))
    };
    let route = crate::sim::images::http::answer(routes, &request.path, uptime)
        .ok_or_else(|| unmodelled("answer"))?;
    let body = match (&route.body, reader) {
        (Some(body), _) => body.clone(),
        (None, Reader::Prober) => String::new(),
        (None, Reader::Client) => return Err(unmodelled("body")),
    };
    Ok(Response {
        status: route.status,
        reason: crate::sim::images::http::reason(route.status).to_owned(),
        headers: Vec::new(),
        all_headers: false,
        body,
    })
}

/// What a known server image (nginx, httpd...) answers from its
/// filesystem.
#[allow(clippy::too_many_arguments)]
fn file_server(
    store: &Store,
    config: &ClusterConfig,
    runtime: &super::runtime::Runtime,
    pod: &Pod,
    container: &k8s_openapi::api::core::v1::Container,
    endpoint: &Endpoint,
    request: &Request,
    now: Timestamp,
) -> Result<Response, ConnectError> {
    // The server's own process environment (downward API included).
    let started = pod.status.as_ref().and_then(|s| s.start_time.as_ref()).map(|t| t.0);
    let ctx = crate::sim::controllers::kubelet_process::context(
        store,
        pod,
        container,
        started.unwrap_or_default(),
    );
    // What it serves is its filesystem now: the image's files and what
    // sessions, hooks and its own process changed in this run.
    let changes = crate::sim::controllers::kubelet_process::files_at(
        config, store, runtime, pod, container, now,
    );
    let fs = crate::sim::process::fs::Fs::new(&ctx.image, &ctx.files, &ctx.mounts, &changes);
    let nginx = nginx_running(store, config, runtime, pod, container, now);
    servers::reply(
        container,
        &ctx.hostname,
        &ctx.env,
        &fs,
        endpoint.port,
        nginx.as_ref(),
        request,
        now,
    )
}

/// A connection to `(ip, port)` and a request in one, at time `now`:
/// where it went and what came back.
pub fn http(
    store: &Store,
    config: &ClusterConfig,
    runtime: &super::runtime::Runtime,
    balancer: &mut Balancer,
    (ip, port): (&str, u16),
    request: &Request,
    now: Timestamp,
) -> Result<(Endpoint, Response), ConnectError> {
    let endpoint = route(store, balancer, ip, port)?;
    let response = serve(store, config, runtime, &endpoint, request, now)?;
    Ok((endpoint, response))
}

/// [`http`] on a live cluster (its balancer advances).
pub fn http_in(
    cluster: &mut Cluster,
    ip: &str,
    port: u16,
    request: &Request,
) -> Result<(Endpoint, Response), ConnectError> {
    let mut balancer = std::mem::take(&mut cluster.runtime_mut().balancer);
    let result = http(
        cluster.store(),
        cluster.config(),
        cluster.runtime(),
        &mut balancer,
        (ip, port),
        request,
        cluster.now(),
    );
    cluster.runtime_mut().balancer = balancer;
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::images::http::Route;
    use std::time::Duration;

    fn routes() -> Vec<Route> {
        vec![
            Route { path: "/".into(), status: 200, until: None, body: Some("hi\n".into()) },
            Route { path: "/ready".into(), status: 503, until: None, body: None },
        ]
    }

    fn get(path: &str) -> Request {
        Request { method: "GET".into(), path: path.into() }
    }

    #[test]
    fn a_client_gets_the_declared_body_and_status() {
        let r = declared(&routes(), "app:1", &get("/"), Duration::ZERO, Reader::Client).unwrap();
        assert_eq!((r.status, r.reason.as_str(), r.body.as_str()), (200, "OK", "hi\n"));
    }

    #[test]
    fn an_undeclared_body_is_unmodelled_for_a_client_but_not_for_the_prober() {
        let client = declared(&routes(), "app:1", &get("/ready"), Duration::ZERO, Reader::Client);
        assert_eq!(
            client,
            Err(ConnectError::Unmodelled("app:1 (no declared body for /ready)".into()))
        );
        let probe = declared(&routes(), "app:1", &get("/ready"), Duration::ZERO, Reader::Prober);
        assert_eq!(probe.map(|r| r.status), Ok(503));
    }

    #[test]
    fn an_undeclared_path_is_unmodelled() {
        let r = declared(&routes(), "app:1", &get("/nope"), Duration::ZERO, Reader::Prober);
        assert_eq!(r, Err(ConnectError::Unmodelled("app:1 (no declared answer for /nope)".into())));
    }
}
