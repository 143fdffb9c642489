//! The network tools a container image ships, run inside a pod: busybox
//! `wget` and `nslookup` (busybox and Alpine images, and curlimages/curl,
//! which is Alpine-based), `curl` (curlimages/curl, and the official nginx
//! image, which installs it). Names resolve through the cluster DNS with
//! the pod's search path; connections follow [`super::route`].

use super::{
    ConnectError, Request, Response, Snapshot,
    clients::{self, Network, Printed},
    dns,
};

/// A pod's view of the network at one instant.
struct PodNet<'a> {
    snapshot: &'a Snapshot,
}

impl Network for PodNet<'_> {
    fn lookup(&mut self, host: &str) -> Option<String> {
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return Some(host.to_owned());
        }
        if host == "localhost" {
            return Some("127.0.0.1".to_owned());
        }
        if !dns::serving(&self.snapshot.store) {
            return None;
        }
        let found = dns::resolve(&self.snapshot.store, host, &self.snapshot.namespace)?;
        found.first().map(|a| a.ip.clone())
    }

    fn request(
        &mut self,
        ip: &str,
        port: u16,
        request: &Request,
    ) -> Result<Response, ConnectError> {
        let ip = if ip == "127.0.0.1" { self.snapshot.pod_ip.as_str() } else { ip };
        let snap = self.snapshot;
        let mut balancer = snap.balancer();
        let result = super::http(&snap.store, &snap.config, &mut balancer, ip, port, request);
        if let Ok(mut shared) = snap.balancer.lock() {
            *shared = balancer;
        }
        result.map(|(_, r)| r)
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
    let alpine = image.rsplit('/').next().is_some_and(|l| l.contains("alpine"));
    let busybox_like = matches!(repo(image), "busybox" | "alpine" | "curl") || alpine;
    match name {
        "wget" | "nslookup" => busybox_like,
        "curl" => matches!(repo(image), "curl" | "nginx"),
        _ => false,
    }
}

/// Runs network tool `name` (`wget`, `nslookup`, `curl`) with `args` in a
/// container of `image`; `None` when the image does not ship it.
pub fn run(name: &str, args: &[String], image: &str, snapshot: &Snapshot) -> Option<Printed> {
    if !has_tool(image, name) {
        return None;
    }
    let mut net = PodNet { snapshot };
    Some(match name {
        "wget" => clients::wget(args, &mut net, image),
        "curl" => clients::curl(args, &mut net, clients::CurlVersion::V7_68),
        _ => clients::nslookup(args, &snapshot.store, &snapshot.namespace, image),
    })
}
