//! Named cluster profiles, in one place. The backend starts from one and
//! overrides fields from a scenario's front matter.

use std::time::Duration;

use super::config::{ClusterConfig, DnsServer, NodeConfig};
use crate::version::{Fact, KubeVersion};

const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;

/// 2022-11-16T03:08:00Z — the seed tutorial's first session (22:08 EST).
const SEED_START: i64 = 1_668_568_080;

/// The built-in profile called `name` (`kubeadm`, `kind`, `minikube`,
/// `bare` or `kwok`) at its own default version.
pub fn profile(name: &str) -> Option<ClusterConfig> {
    let version = base(name)?.version;
    profile_at(name, version)
}

/// The built-in profile called `name` as its installer leaves a cluster of
/// `version`: the control-plane node's roles and taints and the DNS add-on
/// follow the kubeadm of that release ([`kubeadm_era`]).
pub fn profile_at(name: &str, version: KubeVersion) -> Option<ClusterConfig> {
    let mut config = base(name)?;
    config.version = version;
    kubeadm_era(&mut config);
    Some(config)
}

fn base(name: &str) -> Option<ClusterConfig> {
    match name {
        "kubeadm" => Some(kubeadm()),
        "kind" => Some(kind()),
        "minikube" => Some(minikube()),
        "bare" => Some(bare()),
        "kwok" => Some(kwok()),
        _ => None,
    }
}

/// kubeadm's marks of a control-plane node at `version`, as roles (the
/// `node-role.kubernetes.io/<role>` labels) and taints: `master` alone,
/// then `control-plane` as well (v1.20), then `control-plane` alone with
/// both taints (v1.24), then the `control-plane` taint alone (v1.25).
pub fn kubeadm_control_plane(version: KubeVersion) -> (Vec<&'static str>, Vec<&'static str>) {
    const MASTER_TAINT: &str = "node-role.kubernetes.io/master:NoSchedule";
    const CONTROL_PLANE_TAINT: &str = "node-role.kubernetes.io/control-plane:NoSchedule";
    let roles = if !version.has(Fact::KubeadmControlPlaneLabel) {
        vec!["master"]
    } else if !version.has(Fact::KubeadmMasterLabelRemoved) {
        vec!["control-plane", "master"]
    } else {
        vec!["control-plane"]
    };
    let taints = if !version.has(Fact::KubeadmMasterLabelRemoved) {
        vec![MASTER_TAINT]
    } else if !version.has(Fact::KubeadmMasterTaintRemoved) {
        // `initconfiguration.go` v1.24: OldControlPlaneTaint, ControlPlaneTaint.
        vec![MASTER_TAINT, CONTROL_PLANE_TAINT]
    } else {
        vec![CONTROL_PLANE_TAINT]
    };
    (roles, taints)
}

/// What kubeadm (run by itself, or by kind and minikube) sets up
/// differently by release: the control-plane node's roles and, on kubeadm's
/// own profile, its taints (kind and minikube remove them); the DNS add-on
/// (kube-dns before v1.11).
fn kubeadm_era(config: &mut ClusterConfig) {
    if !matches!(config.profile.as_str(), "kubeadm" | "kind" | "minikube") {
        return;
    }
    let (roles, taints) = kubeadm_control_plane(config.version);
    let tainted = config.profile == "kubeadm";
    for node in config.nodes.iter_mut().filter(|n| is_control_plane(n)) {
        node.roles = roles.iter().map(|r| (*r).to_owned()).collect();
        if tainted {
            node.taints = taints.iter().map(|t| (*t).to_owned()).collect();
        }
    }
    if !config.version.has(Fact::KubeadmCoreDns) {
        config.network.dns = DnsServer::KubeDns;
    }
}

/// Whether `node` hosts the control plane (role `control-plane`, or
/// `master` as kubeadm labelled it before v1.20).
pub fn is_control_plane(node: &NodeConfig) -> bool {
    node.roles.iter().any(|r| r == "control-plane" || r == "master")
}

/// Names of the built-in profiles.
pub const PROFILES: &[&str] = &["kubeadm", "kind", "minikube", "bare", "kwok"];

/// Whether `config` describes a kwok cluster: nodes without a kubelet,
/// whose pods kwok's stages move through their phases in the API only
/// (`scripts/control-plane/start.sh` lists the stages).
pub fn is_kwok(config: &ClusterConfig) -> bool {
    config.profile == "kwok"
}

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
/// `master` (tainted) and `worker1`, flannel's 10.244.0.0/16. The
/// control-plane node's roles and taints are its release's
/// ([`kubeadm_era`]).
fn kubeadm() -> ClusterConfig {
    ClusterConfig {
        profile: "kubeadm".to_owned(),
        version: KubeVersion::new(1, 22, 2),
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
        version: KubeVersion::new(1, 27, 3),
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

/// minikube v1.32.0's default cluster (`minikube start` with the docker
/// driver): Kubernetes v1.28.3 on Docker 24.0.7 through cri-dockerd, one
/// untainted control-plane node `minikube` at 192.168.49.2 (the first
/// address of the docker driver's `192.168.49.0/24` network), pod CIDR
/// 10.244.0.0/16 (node `10.244.0.0/24`), service CIDR 10.96.0.0/12, the
/// `storage-provisioner` and `default-storageclass` addons.
///
/// Sources: minikube v1.32.0's published `kubectl describe node minikube`,
/// `get pods -n kube-system` and `get deployments -n kube-system`
/// transcripts (labels, annotations, addresses, system info, one CoreDNS
/// replica), its `minikube start` log ("Preparing Kubernetes v1.28.3 on
/// Docker 24.0.7", "Enabled addons: storage-provisioner,
/// default-storageclass"), and minikube's
/// `deploy/addons/storage-provisioner/storage-provisioner.yaml.tmpl` and
/// `deploy/addons/storageclass/storageclass.yaml` (StorageClass `standard`).
/// The node's kernel is the host's; front matter `kernel:` sets it.
fn minikube() -> ClusterConfig {
    let age = Duration::from_secs(10 * 60);
    let mut node = node("minikube", &["control-plane"], "192.168.49.2", &[], age);
    // minikube labels the node right after `kubeadm init`
    // (`pkg/minikube/bootstrapper/kubeadm/kubeadm.go` `LabelAndUntaintNode`),
    // a few seconds after the kubelet registered it; `updated_at` is Go's
    // `time.Now().Format("2006_01_02T15_04_05_0700")`, whose `0700` is no
    // layout token and so stays literal.
    let labelled = SEED_START - age.as_secs() as i64 + 3;
    let updated_at = k8s_openapi::jiff::Timestamp::from_second(labelled)
        .map(|t| t.strftime("%Y_%m_%dT%H_%M_%S_0700").to_string())
        .unwrap_or_default();
    for (key, value) in [
        ("minikube.k8s.io/commit", "8220a6eb95f0a4d75f7f2d7b14cef975f050512d"),
        ("minikube.k8s.io/name", "minikube"),
        ("minikube.k8s.io/primary", "true"),
        ("minikube.k8s.io/updated_at", updated_at.as_str()),
        ("minikube.k8s.io/version", "v1.32.0"),
    ] {
        node.labels.insert(key.to_owned(), value.to_owned());
    }
    ClusterConfig {
        profile: "minikube".to_owned(),
        version: KubeVersion::new(1, 28, 3),
        nodes: vec![node],
        pod_cidr: "10.244.0.0/16".to_owned(),
        service_cidr: "10.96.0.0/12".to_owned(),
        seed: 1,
        age,
        start_unix_seconds: SEED_START,
        utc_offset_seconds: 0,
        metrics_server: false,
        network: Default::default(),
        images: Default::default(),
        kernel: None,
    }
}

/// The real test cluster of `scripts/control-plane/start.sh`: a v1.35.4
/// control plane (apiserver, controller manager, scheduler) with three
/// untainted fake nodes `kwok-node-0..2` that kwok (v0.8.0) plays, so
/// differential runs (`kubeplay diff-backends --sim-profile kwok`) can run
/// any scenario on the simulator as that cluster. Each node has 4 CPUs,
/// 16Gi and 110 pods, labels `type=kwok` (and `disktype=ssd` on node 0),
/// the address 127.0.0.1 (kwok's `--node-ip`), and no roles; there are no
/// system workloads (no kube-proxy, no CoreDNS). Pods have no kubelet:
/// they are Running and Ready once bound, Job pods succeed at once
/// (kwok's `pod/fast` stages), and nothing pulls images, runs
/// containers or records kubelet events ([`is_kwok`]).
fn kwok() -> ClusterConfig {
    let kwok_node = |i: usize| {
        let mut n = node(&format!("kwok-node-{i}"), &[], "127.0.0.1", &[], Duration::from_secs(60));
        n.labels.insert("type".to_owned(), "kwok".to_owned());
        if i == 0 {
            n.labels.insert("disktype".to_owned(), "ssd".to_owned());
        }
        for (resource, amount) in [("cpu", "4"), ("memory", "16Gi"), ("pods", "110")] {
            n.capacity.insert(resource.to_owned(), amount.to_owned());
        }
        n
    };
    ClusterConfig {
        profile: "kwok".to_owned(),
        version: KubeVersion::new(1, 35, 4),
        nodes: (0..3).map(kwok_node).collect(),
        pod_cidr: "10.244.0.0/16".to_owned(),
        service_cidr: "10.96.0.0/16".to_owned(),
        seed: 1,
        age: Duration::from_secs(60),
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
        version: KubeVersion::new(1, 22, 2),
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

    /// The control-plane node of kubeadm, kind and minikube on both sides of
    /// [`Fact::KubeadmControlPlaneLabel`] (v1.20),
    /// [`Fact::KubeadmMasterLabelRemoved`] (v1.24) and
    /// [`Fact::KubeadmMasterTaintRemoved`] (v1.25); the DNS add-on on both
    /// sides of [`Fact::KubeadmCoreDns`] (v1.11).
    #[test]
    fn control_plane_marks_by_era() {
        let at = |name: &str, minor| profile_at(name, KubeVersion::new(1, minor, 0)).unwrap();
        let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
        let master = "node-role.kubernetes.io/master:NoSchedule";
        let control_plane = "node-role.kubernetes.io/control-plane:NoSchedule";
        for (minor, roles, taints) in [
            (19, vec!["master"], vec![master]),
            (20, vec!["control-plane", "master"], vec![master]),
            (23, vec!["control-plane", "master"], vec![master]),
            (24, vec!["control-plane"], vec![master, control_plane]),
            (25, vec!["control-plane"], vec![control_plane]),
        ] {
            let k = at("kubeadm", minor);
            assert_eq!(
                (&k.nodes[0].roles, &k.nodes[0].taints),
                (&own(&roles), &own(&taints)),
                "v1.{minor}"
            );
            assert!(k.nodes[1].roles.is_empty() && k.nodes[1].taints.is_empty(), "v1.{minor}");
            for untainted in ["kind", "minikube"] {
                let n = &at(untainted, minor).nodes[0];
                assert_eq!((&n.roles, n.taints.len()), (&own(&roles), 0), "{untainted} v1.{minor}");
            }
        }
        assert_eq!(at("kubeadm", 10).network.dns, DnsServer::KubeDns);
        assert_eq!(at("kubeadm", 11).network.dns, DnsServer::CoreDns);
        assert!(at("bare", 19).nodes[0].roles == ["control-plane"]);
    }

    #[test]
    fn profile_versions_are_in_the_supported_span() {
        for p in PROFILES {
            let v = profile(p).unwrap().version;
            assert_eq!(KubeVersion::parse(&v.to_string()), Ok(v), "{p}");
        }
    }

    #[test]
    fn minikube_is_one_untainted_node_with_minikubes_labels() {
        let m = profile("minikube").unwrap();
        assert_eq!(m.version.to_string(), "v1.28.3");
        let [node] = m.nodes.as_slice() else { panic!("one node: {:?}", m.nodes) };
        assert_eq!((node.name.as_str(), node.ip.as_str()), ("minikube", "192.168.49.2"));
        assert_eq!(node.roles, ["control-plane"]);
        assert!(node.taints.is_empty());
        assert_eq!(node.labels["minikube.k8s.io/primary"], "true");
        assert_eq!(node.labels["minikube.k8s.io/version"], "v1.32.0");
        // Go's `2006_01_02T15_04_05_0700` of 2022-11-16T02:58:03Z.
        assert_eq!(node.labels["minikube.k8s.io/updated_at"], "2022_11_16T02_58_03_0700");
        assert_eq!(
            (m.pod_cidr.as_str(), m.service_cidr.as_str()),
            ("10.244.0.0/16", "10.96.0.0/12")
        );
    }
}
