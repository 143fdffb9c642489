//! Named cluster profiles, in one place. The backend starts from one and
//! overrides fields from a scenario's front matter.

use std::time::Duration;

use super::config::{ClusterConfig, NodeConfig};

const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;

/// 2022-11-16T03:08:00Z — the seed tutorial's first session (22:08 EST).
const SEED_START: i64 = 1_668_568_080;

/// The built-in profile called `name`: `kubeadm`, `kind` or `bare`.
pub fn profile(name: &str) -> Option<ClusterConfig> {
    match name {
        "kubeadm" => Some(kubeadm()),
        "kind" => Some(kind()),
        "bare" => Some(bare()),
        _ => None,
    }
}

/// Names of the built-in profiles.
pub const PROFILES: &[&str] = &["kubeadm", "kind", "bare"];

fn node(name: &str, roles: &[&str], ip: &str, taints: &[&str], age: Duration) -> NodeConfig {
    NodeConfig {
        name: name.to_owned(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        ip: ip.to_owned(),
        taints: taints.iter().map(|t| (*t).to_owned()).collect(),
        age,
        pod_cidr: None,
        capacity: Default::default(),
        external_ip: None,
        labels: Default::default(),
    }
}

/// A v1.22.2 kubeadm cluster on CentOS 7 with docker: control-plane node
/// `master` (tainted) and `worker1`, flannel's 10.244.0.0/16.
fn kubeadm() -> ClusterConfig {
    ClusterConfig {
        profile: "kubeadm".to_owned(),
        version: "v1.22.2".to_owned(),
        nodes: vec![
            node(
                "master",
                &["control-plane", "master"],
                "192.168.200.11",
                &["node-role.kubernetes.io/master:NoSchedule"],
                Duration::from_secs(6 * DAY + 21 * HOUR + 10 * 60),
            ),
            node(
                "worker1",
                &[],
                "192.168.200.12",
                &[],
                Duration::from_secs(6 * DAY + 20 * HOUR + 30 * 60),
            ),
        ],
        pod_cidr: "10.244.0.0/16".to_owned(),
        service_cidr: "10.96.0.0/12".to_owned(),
        seed: 1,
        age: Duration::from_secs(6 * DAY + 21 * HOUR + 10 * 60),
        start_unix_seconds: SEED_START,
        utc_offset_seconds: -5 * 3600,
        metrics_server: false,
        network: Default::default(),
        images: Default::default(),
        kernel: None,
    }
}

/// A kind (kubernetes-in-docker) v1.27 cluster: one untainted
/// `kind-control-plane` node on containerd.
fn kind() -> ClusterConfig {
    ClusterConfig {
        profile: "kind".to_owned(),
        version: "v1.27.3".to_owned(),
        nodes: vec![node(
            "kind-control-plane",
            &["control-plane"],
            "172.18.0.2",
            &[],
            Duration::from_secs(10 * 60),
        )],
        pod_cidr: "10.244.0.0/16".to_owned(),
        service_cidr: "10.96.0.0/16".to_owned(),
        seed: 1,
        age: Duration::from_secs(10 * 60),
        start_unix_seconds: SEED_START,
        utc_offset_seconds: 0,
        metrics_server: false,
        network: Default::default(),
        images: Default::default(),
        kernel: None,
    }
}

/// One untainted node and no system workloads.
fn bare() -> ClusterConfig {
    ClusterConfig {
        profile: "bare".to_owned(),
        version: "v1.22.2".to_owned(),
        nodes: vec![node(
            "node1",
            &["control-plane"],
            "192.168.0.10",
            &[],
            Duration::from_secs(DAY),
        )],
        pod_cidr: "10.244.0.0/16".to_owned(),
        service_cidr: "10.96.0.0/12".to_owned(),
        seed: 1,
        age: Duration::from_secs(DAY),
        start_unix_seconds: SEED_START,
        utc_offset_seconds: 0,
        metrics_server: false,
        network: Default::default(),
        images: Default::default(),
        kernel: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_exist() {
        for p in PROFILES {
            assert_eq!(profile(p).unwrap().profile, *p);
        }
        assert!(profile("nope").is_none());
        let k = profile("kubeadm").unwrap();
        assert_eq!(k.nodes[0].taints, ["node-role.kubernetes.io/master:NoSchedule"]);
    }
}
