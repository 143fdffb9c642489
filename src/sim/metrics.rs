//! The resource metrics pipeline (metrics-server and the kubelet's cAdvisor
//! stats), simulated: what `metrics.k8s.io/v1beta1` `PodMetrics` and
//! `NodeMetrics` would report now. Read by the HPA controller (through
//! `pkg/controller/podautoscaler/metrics`) and by `kubectl top`.
//!
//! Usage is a pure function of the cluster state — no sampling, no noise:
//!
//! - **Load** (`kubeplay load deployment/web --cpu 250%`, stored with
//!   [`super::Cluster::set_load`]): the total CPU demand on a workload, as a
//!   percentage of ONE pod's CPU request (the sum of its containers'
//!   requests; one core when it sets none). The demand is spread evenly
//!   over the workload's ready pods (leftover millicores go to the first
//!   pods by name) and lands on each pod's first container. So 250% on a
//!   200m-request Deployment is 500m in total: one pod at 500m (250%), or
//!   four at 125m (62%) once the autoscaler has scaled out. That is what
//!   lets a simulated HPA converge as a real one does under a fixed
//!   request rate.
//! - **Idle** containers (no load, or a loaded workload's pods that are not
//!   ready yet) use a small per-image baseline from [`baseline`].
//! - A container never uses more CPU than its limit (the CFS quota).
//! - **Demand** from the image model ([`super::images::stress`]: a
//!   `stress --cpu 2 --vm 1 --vm-bytes 150M` run) replaces the idle CPU
//!   and adds its bytes to the baseline memory; the CPU is then capped at
//!   the limit like any other (`stress --cpu 2` under a 1-CPU limit shows
//!   1000m). A container over its memory limit does not run long enough
//!   to be seen: it is OOM-killed at once.
//! - **Memory** is otherwise the per-image baseline; load does not change it.
//! - A pod has metrics when it is Running on a node whose kubelet runs
//!   (metrics-server scrapes kubelets). Metrics are available at once —
//!   a simplification: the real pipeline lags one scrape (15-60 s).
//! - A node's usage is its pods' usage plus the machine's own overhead
//!   (OS, kubelet, container runtime), [`NODE_OVERHEAD_CPU_MILLI`] and
//!   [`NODE_OVERHEAD_MEMORY`].

use k8s_openapi::{
    api::{
        apps::v1::{Deployment, ReplicaSet},
        core::v1::{Node, Pod},
    },
    apimachinery::pkg::apis::meta::v1::LabelSelector,
};

use super::{
    Kind, config::ClusterConfig, controllers::scheduler::parse_cpu, labels, podutil,
    runtime::Runtime, store::Store,
};

impl super::Cluster {
    /// The Metrics API's pod metrics now (empty without a metrics server),
    /// in one namespace or all.
    pub fn pod_metrics(&self, namespace: Option<&str>) -> Vec<PodMetrics> {
        let view = self.view();
        pod_metrics(view.store, view.runtime, view.config, namespace)
    }

    /// The Metrics API's node metrics now (empty without a metrics server).
    pub fn node_metrics(&self) -> Vec<NodeMetrics> {
        let view = self.view();
        node_metrics(view.store, view.runtime, view.config)
    }
}

/// A workload under simulated load.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LoadTarget {
    /// Its namespace.
    pub namespace: String,
    /// Deployment, ReplicaSet or Pod.
    pub kind: Kind,
    /// Its name.
    pub name: String,
}

/// One container's usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerUsage {
    /// Container name.
    pub name: String,
    /// CPU in millicores.
    pub cpu_milli: i64,
    /// Working-set memory in bytes.
    pub memory_bytes: i64,
}

/// A pod's metrics (`metrics.k8s.io` `PodMetrics`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodMetrics {
    /// Namespace.
    pub namespace: String,
    /// Pod name.
    pub name: String,
    /// Per-container usage, in spec order.
    pub containers: Vec<ContainerUsage>,
}

impl PodMetrics {
    /// The pod's total CPU, millicores.
    pub fn cpu_milli(&self) -> i64 {
        self.containers.iter().map(|c| c.cpu_milli).sum()
    }

    /// The pod's total memory, bytes.
    pub fn memory_bytes(&self) -> i64 {
        self.containers.iter().map(|c| c.memory_bytes).sum()
    }
}

/// A node's metrics (`metrics.k8s.io` `NodeMetrics`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeMetrics {
    /// Node name.
    pub name: String,
    /// CPU in millicores.
    pub cpu_milli: i64,
    /// Memory in bytes.
    pub memory_bytes: i64,
}

/// CPU a node's machine uses beyond its pods (kubelet, runtime, OS).
pub const NODE_OVERHEAD_CPU_MILLI: i64 = 45;
/// Memory a node's machine uses beyond its pods.
pub const NODE_OVERHEAD_MEMORY: i64 = 520 << 20;

const MI: i64 = 1 << 20;

/// A container's idle usage by image (repository name without registry
/// or tag): (CPU millicores, memory bytes). Round figures of the order
/// `kubectl top` shows for these images at rest.
pub fn baseline(image: &str) -> (i64, i64) {
    let repo = image.rsplit('/').next().unwrap_or(image);
    let repo = repo.split(['@', ':']).next().unwrap_or(repo);
    match repo {
        "kube-apiserver" => (42, 310 * MI),
        "etcd" => (18, 46 * MI),
        "kube-controller-manager" => (14, 52 * MI),
        "kube-scheduler" => (3, 21 * MI),
        "kube-proxy" => (1, 16 * MI),
        "coredns" => (2, 13 * MI),
        "metrics-server" => (3, 17 * MI),
        "flannel" => (2, 12 * MI),
        "nginx" => (1, 7 * MI),
        "httpd" => (1, 6 * MI),
        "hpa-example" | "php" => (1, 9 * MI),
        "redis" => (1, 3 * MI),
        "busybox" | "alpine" => (0, MI / 2),
        "stress" => (0, MI),
        "mysql" => (4, 190 * MI),
        "postgres" => (2, 24 * MI),
        _ => (1, 5 * MI),
    }
}

/// Metrics of every pod that has them, in one namespace or all, sorted by
/// namespace then name (the API's list order).
pub fn pod_metrics(
    store: &Store,
    runtime: &Runtime,
    config: &ClusterConfig,
    namespace: Option<&str>,
) -> Vec<PodMetrics> {
    if !config.metrics_server {
        return Vec::new();
    }
    let shares = load_shares(store, runtime);
    store
        .all::<Pod>(namespace)
        .filter(|p| has_metrics(p, runtime))
        .map(|p| {
            let ns = p.metadata.namespace.clone().unwrap_or_default();
            let name = p.metadata.name.clone().unwrap_or_default();
            let share = shares.get(&(ns.clone(), name.clone())).copied();
            let containers = p
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .enumerate()
                .map(|(i, c)| {
                    let (idle_cpu, mut memory) = baseline(c.image.as_deref().unwrap_or_default());
                    // What the image model says the process demands (a
                    // stress run) replaces the idle figure.
                    let demand = super::images::stress::demand(c);
                    let cpu = match (share, demand) {
                        (Some(s), _) if i == 0 => s,
                        (Some(_), _) => 0,
                        (None, Some((cpu, _))) => cpu,
                        (None, None) => idle_cpu,
                    };
                    memory += demand.map_or(0, |(_, bytes)| bytes);
                    // The CFS quota: a container never uses more than its limit.
                    let limit = c
                        .resources
                        .as_ref()
                        .and_then(|r| r.limits.as_ref())
                        .and_then(|l| l.get("cpu"))
                        .map(|q| parse_cpu(&q.0));
                    let cpu = limit.map_or(cpu, |l| cpu.min(l));
                    ContainerUsage { name: c.name.clone(), cpu_milli: cpu, memory_bytes: memory }
                })
                .collect();
            PodMetrics { namespace: ns, name, containers }
        })
        .collect()
}

/// Metrics of every node whose kubelet runs, sorted by name.
pub fn node_metrics(store: &Store, runtime: &Runtime, config: &ClusterConfig) -> Vec<NodeMetrics> {
    if !config.metrics_server {
        return Vec::new();
    }
    let pods = pod_metrics(store, runtime, config, None);
    store
        .all::<Node>(None)
        .filter_map(|n| n.metadata.name.clone())
        .filter(|name| runtime.nodes.get(name).is_none_or(|r| r.running))
        .map(|name| {
            let on_node = |m: &&PodMetrics| {
                store
                    .get_typed::<Pod>(Some(&m.namespace), &m.name)
                    .and_then(podutil::node_name)
                    .is_some_and(|n| n == name)
            };
            let (cpu, memory) = pods
                .iter()
                .filter(on_node)
                .fold((0, 0), |(c, m), p| (c + p.cpu_milli(), m + p.memory_bytes()));
            NodeMetrics {
                name,
                cpu_milli: cpu + NODE_OVERHEAD_CPU_MILLI,
                memory_bytes: memory + NODE_OVERHEAD_MEMORY,
            }
        })
        .collect()
}

/// Whether metrics-server reports the pod: Running on a node whose kubelet
/// answers.
fn has_metrics(pod: &Pod, runtime: &Runtime) -> bool {
    podutil::phase(pod) == "Running"
        && podutil::node_name(pod).is_some_and(|n| runtime.nodes.get(n).is_none_or(|r| r.running))
}

/// The CPU each loaded pod uses, by (namespace, name).
fn load_shares(
    store: &Store,
    runtime: &Runtime,
) -> std::collections::BTreeMap<(String, String), i64> {
    let mut shares = std::collections::BTreeMap::new();
    for (target, percent) in &runtime.loads {
        let Some((selector, per_pod_request)) = resolve(store, target) else { continue };
        let mut ready: Vec<&Pod> = store
            .all::<Pod>(Some(&target.namespace))
            .filter(|p| match &selector {
                Some(sel) => labels::selector_matches(sel, p.metadata.labels.as_ref()),
                None => p.metadata.name.as_deref() == Some(target.name.as_str()),
            })
            .filter(|p| {
                podutil::is_ready(p)
                    && p.metadata.deletion_timestamp.is_none()
                    && has_metrics(p, runtime)
            })
            .collect();
        if ready.is_empty() {
            continue;
        }
        ready.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        let total = per_pod_request * i64::from(*percent) / 100;
        let n = ready.len() as i64;
        for (i, p) in ready.iter().enumerate() {
            let share = total / n + i64::from((i as i64) < total % n);
            let key = (target.namespace.clone(), p.metadata.name.clone().unwrap_or_default());
            *shares.entry(key).or_insert(0) += share;
        }
    }
    shares
}

/// A load target's pod selector (`None` for a single pod) and one pod's
/// CPU request in millicores (a core when the template requests none).
fn resolve(store: &Store, target: &LoadTarget) -> Option<(Option<LabelSelector>, i64)> {
    let ns = Some(target.namespace.as_str());
    let (selector, pod_spec) = match target.kind {
        Kind::Deployment => {
            let d = store.get_typed::<Deployment>(ns, &target.name)?;
            let s = d.spec.as_ref()?;
            (Some(s.selector.clone()), s.template.spec.clone())
        }
        Kind::ReplicaSet => {
            let r = store.get_typed::<ReplicaSet>(ns, &target.name)?;
            let s = r.spec.as_ref()?;
            (Some(s.selector.clone()), s.template.as_ref().and_then(|t| t.spec.clone()))
        }
        Kind::Pod => (None, store.get_typed::<Pod>(ns, &target.name)?.spec.clone()),
        _ => return None,
    };
    let request: i64 = pod_spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .filter_map(|c| c.resources.as_ref()?.requests.as_ref()?.get("cpu"))
        .map(|q| parse_cpu(&q.0))
        .sum();
    Some((selector, if request > 0 { request } else { 1000 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_ignores_registry_and_tag() {
        assert_eq!(baseline("registry.k8s.io/kube-apiserver:v1.22.2").0, 42);
        assert_eq!(baseline("nginx:1.21"), (1, 7 * MI));
        assert_eq!(baseline("docker.io/library/nginx@sha256:abc"), (1, 7 * MI));
        assert_eq!(baseline("example/unknown"), (1, 5 * MI));
    }
}
