//! The network tools a container image ships, run inside a pod: busybox
//! `wget` and `nslookup` (busybox and Alpine images, and curlimages/curl,
//! which is Alpine-based), `curl` (curlimages/curl, and the official nginx
//! image, which installs it). Names resolve through the cluster DNS with
//! the pod's search path; connections follow [`super::route`].

use super::{
    Balancer, ConnectError, Request, Response, Snapshot,
    clients::{self, Network, Printed},
    dns,
};
use k8s_openapi::jiff::Timestamp;

use crate::sim::{ClusterConfig, runtime::Runtime, store::Store};

/// A pod's view of the network at one instant: the objects, the turns the
/// Services' balancers have taken (advanced by its connections), and the
/// pod's namespace (its DNS search path) and IP (what `localhost` reaches).
pub struct PodView<'a> {
    /// The cluster's objects.
    pub store: &'a Store,
    /// The cluster's shape (the scenario's `images:` entries).
    pub config: &'a ClusterConfig,
    /// Node-local state (containers' filesystems).
    pub runtime: &'a Runtime,
    /// Round-robin positions by Service port.
    pub balancer: &'a mut Balancer,
    /// The pod's namespace.
    pub namespace: &'a str,
    /// The pod's IP.
    pub pod_ip: &'a str,
    /// The virtual time now (servers' `Date`).
    pub now: Timestamp,
}

/// A [`PodView`] as the tools' [`Network`].
struct PodNet<'v, 'a> {
    view: &'v mut PodView<'a>,
}

impl Network for PodNet<'_, '_> {
    fn lookup(&mut self, host: &str) -> Option<String> {
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return Some(host.to_owned());
        }
        if host == "localhost" {
            return Some("127.0.0.1".to_owned());
        }
        if !dns::serving(self.view.store) {
            return None;
        }
        let found = dns::resolve(self.view.store, host, self.view.namespace)?;
        found.first().map(|a| a.ip.clone())
    }

    fn request(
        &mut self,
        ip: &str,
        port: u16,
        request: &Request,
    ) -> Result<Response, ConnectError> {
        let ip = if ip == "127.0.0.1" { self.view.pod_ip } else { ip };
        let v = &mut *self.view;
        super::http(v.store, v.config, v.runtime, v.balancer, (ip, port), request, v.now)
            .map(|(_, r)| r)
    }
}

/// The image's repository name without registry and tag.
fn repo(image: &str) -> &str {
    let image = image.split('@').next().unwrap_or(image);
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split(':').next().unwrap_or(last)
}

/// Whether `image` ships the network tool `name`.
pub fn has_tool(image: &str, name: &str) -> bool {
    // Busybox and alpine userlands (busybox, alpine, `*:alpine` tags, the
    // alpine-based e2e dnsutils) ship busybox's wget and nslookup;
    // curlimages/curl is alpine-based too.
    let busybox_like = repo(image) == "curl"
        || matches!(
            crate::sim::process::userland::userland(image),
            crate::sim::process::userland::Userland::Busybox
                | crate::sim::process::userland::Userland::Alpine
        );
    match name {
        "wget" | "nslookup" => busybox_like,
        "curl" => matches!(repo(image), "curl" | "nginx" | "kubernetes-bootcamp"),
        _ => false,
    }
}

/// Runs network tool `name` (`wget`, `nslookup`, `curl`) with `args` in a
/// container of `image`; `None` when the image does not ship it.
pub fn run(name: &str, args: &[String], image: &str, snapshot: &Snapshot) -> Option<Printed> {
    let mut balancer = snapshot.balancer();
    let mut view = PodView {
        store: &snapshot.store,
        config: &snapshot.config,
        runtime: &snapshot.runtime,
        balancer: &mut balancer,
        namespace: &snapshot.namespace,
        pod_ip: &snapshot.pod_ip,
        now: snapshot.now,
    };
    let printed = run_in(name, args, image, &mut view);
    if let Ok(mut shared) = snapshot.balancer.lock() {
        *shared = balancer;
    }
    printed
}

/// [`run`] against a borrowed view (the kubelet answering a container's
/// main process, without copying the objects).
pub fn run_in(name: &str, args: &[String], image: &str, view: &mut PodView<'_>) -> Option<Printed> {
    if !has_tool(image, name) {
        return None;
    }
    let (store, namespace) = (view.store, view.namespace);
    let mut net = PodNet { view };
    Some(match name {
        "wget" => clients::wget(args, &mut net, image),
        "curl" => clients::curl(args, &mut net, clients::CurlVersion::V7_68),
        _ => clients::nslookup(args, store, namespace, image),
    })
}
