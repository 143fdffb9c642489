//! The tutorial machine's network on the simulator: `kubectl port-forward`
//! and `kubectl proxy` jobs listening on local ports, and `curl` typed at
//! the host prompt,
//! which reaches NodePorts on node addresses, LoadBalancer IPs, ClusterIPs
//! (a kubeadm control-plane node runs kube-proxy too) and forwarded
//! `localhost` ports. Routing and replies are [`crate::sim::traffic`]'s.

use std::collections::BTreeMap;

use crate::{
    kubectl::verbs::{port_forward::Forward, proxy::Proxy},
    output::{CommandOutput, Stream},
    sim::{
        Cluster,
        traffic::{
            self, ConnectError, Request, Response,
            clients::{self, Fd, Network},
        },
    },
};

/// First PID handed to a background job (then one up per job).
const FIRST_PID: u32 = 23574;

/// Background port-forwards and what they printed.
#[derive(Debug, Clone, Default)]
pub struct HostNet {
    /// Forwards by job number.
    forwards: BTreeMap<u32, Vec<Forward>>,
    /// API proxies by job number.
    proxies: BTreeMap<u32, Proxy>,
    /// Output of background jobs not yet shown.
    pending: Vec<(u32, String)>,
    /// Jobs started so far (for PIDs).
    started: u32,
}

impl HostNet {
    /// A PID for a new background job.
    pub fn next_pid(&mut self) -> u32 {
        self.started += 1;
        FIRST_PID + 6 * (self.started - 1)
    }

    /// Keeps `forwards` while job `job` runs.
    pub fn add(&mut self, job: u32, forwards: Vec<Forward>) {
        self.forwards.insert(job, forwards);
    }

    /// Keeps `proxy` serving while job `job` runs.
    pub fn add_proxy(&mut self, job: u32, proxy: Proxy) {
        self.proxies.insert(job, proxy);
    }

    /// Stops job `job`'s forwards or proxy.
    pub fn remove(&mut self, job: u32) {
        self.forwards.remove(&job);
        self.proxies.remove(&job);
    }

    /// Takes what background jobs printed.
    pub fn take_output(&mut self) -> Vec<(u32, String)> {
        std::mem::take(&mut self.pending)
    }

    /// `curl ARGS` at the prompt of `host` (a node's own prompt, or the
    /// tutorial's machine when it names none).
    pub fn curl(
        &mut self,
        cluster: &mut Cluster,
        args: &[String],
        host: Option<&str>,
    ) -> CommandOutput {
        let node_ip = host
            .and_then(|h| cluster.config().nodes.iter().find(|n| n.name == h))
            .map(|n| n.ip.clone());
        let mut net = Host { cluster, net: self, node_ip, url_host: String::new() };
        // The tutorial's machine: a node's own curl, else a current one.
        let os = crate::sim::flavor::flavor(net.cluster.config()).os_image;
        let version = if net.node_ip.is_some() {
            clients::CurlVersion::of_os(os)
        } else {
            clients::CurlVersion::V7_68
        };
        let printed = clients::curl(args, &mut net, version);
        if let Some(what) = printed.unsupported {
            // kubeplay's note is not curl's output (DESIGN §1).
            return CommandOutput::unsupported(what);
        }
        let mut out = CommandOutput::status(printed.status);
        for (fd, text) in printed.chunks {
            out.write(if fd == Fd::Out { Stream::Stdout } else { Stream::Stderr }, text);
        }
        out
    }
}

/// The host as a [`Network`].
struct Host<'a> {
    cluster: &'a mut Cluster,
    net: &'a mut HostNet,
    /// The machine's own address when it is a node: kube-proxy serves
    /// NodePorts on its loopback too (iptables mode, `route_localnet`).
    node_ip: Option<String>,
    /// The host name the client looked up last: the `Host` of the request
    /// it sends next (what `kubectl proxy`'s host filter checks).
    url_host: String,
}

impl Network for Host<'_> {
    fn lookup(&mut self, host: &str) -> Option<String> {
        self.url_host = host.to_owned();
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return Some(host.to_owned());
        }
        if host == "localhost" || host == "::1" {
            return Some("127.0.0.1".to_owned());
        }
        // Tutorials' machines list the nodes in /etc/hosts.
        self.cluster.config().nodes.iter().find(|n| n.name == host).map(|n| n.ip.clone())
    }

    fn request(
        &mut self,
        ip: &str,
        port: u16,
        request: &Request,
    ) -> Result<Response, ConnectError> {
        let proxy = self.net.proxies.values().find(|p| p.port == port && p.listens_on(ip)).cloned();
        if let Some(proxy) = proxy {
            // curl's User-Agent (`curl/7.68.0`) reaches the API server
            // through the proxy, which pretty-prints for it.
            return proxy.handle(self.cluster, &self.url_host, &request.path, "curl");
        }
        if ip == "127.0.0.1" {
            let found = self.net.forwards.iter().find_map(|(job, fs)| {
                fs.iter().find(|f| f.local == port).map(|f| (*job, f.clone()))
            });
            let Some((job, forward)) = found else {
                return match self.node_ip.clone() {
                    Some(node_ip) => {
                        traffic::http_in(self.cluster, &node_ip, port, request).map(|(_, r)| r)
                    }
                    None => Err(ConnectError::Refused),
                };
            };
            self.net.pending.push((job, format!("Handling connection for {port}\n")));
            let endpoint = traffic::Endpoint {
                namespace: forward.namespace.clone(),
                pod: forward.pod.clone(),
                ip: String::new(),
                port: forward.remote,
            };
            return match traffic::serve(
                self.cluster.store(),
                self.cluster.config(),
                self.cluster.runtime(),
                &endpoint,
                request,
                self.cluster.now(),
            ) {
                // kubectl accepted the connection; the pod end failing
                // closes it without a reply.
                Err(ConnectError::Refused | ConnectError::TimedOut) => {
                    Err(ConnectError::EmptyReply)
                }
                other => other,
            };
        }
        traffic::http_in(self.cluster, ip, port, request).map(|(_, r)| r)
    }
}
