//! The declared shape of a simulated cluster. Pure data, built by the backend
//! from a scenario's front matter; named profiles live in [`super::profiles`].

use std::time::Duration;

/// A node as declared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeConfig {
    /// Node name (also its hostname).
    pub name: String,
    /// Roles, shown in `get nodes` (`control-plane`, `master`).
    pub roles: Vec<String>,
    /// InternalIP.
    pub ip: String,
    /// Taints as `key[=value]:Effect`.
    pub taints: Vec<String>,
    /// Node age at the start of the scenario.
    pub age: Duration,
    /// The node's pod CIDR (`10.244.1.0/24`); derived from the cluster CIDR when empty.
    pub pod_cidr: Option<String>,
    /// Capacity overrides (`cpu`, `memory`); the profile's machine size
    /// otherwise.
    pub capacity: std::collections::BTreeMap<String, String>,
    /// The node's ExternalIP address, if it has one.
    pub external_ip: Option<String>,
    /// Labels merged over the default node labels.
    pub labels: std::collections::BTreeMap<String, String>,
}

/// Which DNS server runs behind the `kube-system/kube-dns` Service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DnsServer {
    /// CoreDNS: Deployment `coredns`.
    #[default]
    CoreDns,
    /// kube-dns: Deployment `kube-dns` (kubedns, dnsmasq, sidecar).
    KubeDns,
}

/// How Services are reached from outside and named inside.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkConfig {
    /// Addresses LoadBalancer Services get (MetalLB's pool): a CIDR or an
    /// inclusive `first-last` range; `None` leaves them `<pending>`.
    pub load_balancer_pool: Option<String>,
    /// The cluster DNS server.
    pub dns: DnsServer,
}

/// Everything the simulator needs to build a cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    /// Profile name this config came from (`kubeadm`, `kind`, `minikube`, `bare`).
    pub profile: String,
    /// The cluster's Kubernetes version, parsed once: every layer reads
    /// version-specific behaviour from it.
    pub version: crate::version::KubeVersion,
    /// Nodes, in order.
    pub nodes: Vec<NodeConfig>,
    /// Cluster pod CIDR.
    pub pod_cidr: String,
    /// Service CIDR.
    pub service_cidr: String,
    /// RNG seed.
    pub seed: u64,
    /// Age of the cluster (the `kubernetes` service, kube-system objects).
    pub age: Duration,
    /// Virtual wall-clock time at the start of the scenario, seconds since the Unix epoch.
    pub start_unix_seconds: i64,
    /// UTC offset kubectl prints timestamps in (`describe`), in seconds.
    pub utc_offset_seconds: i32,
    /// Whether a metrics server runs (kube-system `metrics-server`): serves
    /// the Metrics API (`kubectl top`) and gives the HPA its utilisation.
    pub metrics_server: bool,
    /// LoadBalancer pool and DNS server.
    pub network: NetworkConfig,
    /// The scenario's `images:` entries, overriding the built-in image
    /// table ([`super::images`]).
    pub images: super::images::Images,
    /// The nodes' kernel version, overriding the profile's flavor.
    pub kernel: Option<String>,
}
