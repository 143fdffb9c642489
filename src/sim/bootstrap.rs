//! A new cluster as `kubeadm init` (or kind) leaves it: namespaces, nodes,
//! the `kubernetes` service and the profile's system workloads, created
//! `config.age` ago and settled, so the cluster starts quiescent.

use k8s_openapi::api::core::v1::Node;
use serde_json::{Value, json};

use crate::version::{Fact, KubeVersion};

use super::{
    cluster::Cluster,
    config::{ClusterConfig, DnsServer, NodeConfig},
    flavor::{Flavor, flavor},
    kind::Kind,
    net::Cidr,
    object::{Object, ObjectRef},
    rng,
    runtime::NodeRuntime,
    time,
};

/// Steps bootstrap may take to settle.
const MAX_BOOT_STEPS: usize = 20_000;

/// Populates `cluster` and leaves its clock at the configured start.
pub fn bootstrap(cluster: &mut Cluster) {
    let config = cluster.config().clone();
    let start = cluster.now();
    cluster.warp(time::sub(start, config.age));
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        if ns == "kube-node-lease" && !config.version.has(Fact::NodeLeaseNamespace) {
            continue;
        }
        create(cluster, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}));
    }
    authorization_defaults(cluster, &config);
    for (i, n) in config.nodes.iter().enumerate() {
        add_node(cluster, &config, n, i);
    }
    let first_ip = Cidr::parse(&config.service_cidr).map(|c| c.nth(1)).unwrap_or_default();
    create(cluster, kubernetes_service(&first_ip));
    // Neither a bare cluster nor the kwok one runs system workloads
    // (start.sh starts no kube-proxy and no CoreDNS).
    if !matches!(config.profile.as_str(), "bare" | "kwok") {
        for manifest in system_objects(&config, cluster) {
            create(cluster, manifest);
        }
    }
    storage_classes(cluster, &config);
    if config.metrics_server {
        for manifest in metrics_server() {
            create(cluster, manifest);
        }
    }
    cluster.settle(MAX_BOOT_STEPS);
    cluster.clear_events();
    cluster.warp(start.max(cluster.now()));
}

/// The RBAC policy, installer roles and system PriorityClasses
/// ([`super::auth::defaults`]), stored as the apiserver's post-start hooks
/// and kubeadm store them when the cluster starts. Trusted data: no
/// admission; uids derived from the seed and the object, never drawn from
/// the cluster's RNG (scenarios pinned their seeds before these objects
/// existed, and a draw here would shift every random name after them).
fn authorization_defaults(cluster: &mut Cluster, config: &ClusterConfig) {
    let minor = config.version.minor();
    let created = time::time(cluster.now());
    for value in super::auth::defaults::objects(minor, &config.profile) {
        let api_version = value["apiVersion"].as_str().unwrap_or_default().to_owned();
        let kind_name = value["kind"].as_str().unwrap_or_default().to_owned();
        let Some(kind) = cluster.registry().for_manifest(&api_version, &kind_name) else {
            continue;
        };
        let Ok(mut object) = Object::from_value_as(kind, value) else { continue };
        let key =
            format!("{kind_name}/{}/{}", object.namespace().unwrap_or_default(), object.name());
        let meta = object.meta_mut();
        meta.uid =
            Some(rng::Rng::new(rng::mix(config.seed, &["authorization-defaults", &key])).uuid());
        meta.creation_timestamp = Some(created.clone());
        cluster.store_mut().put(object);
    }
}

/// The default StorageClass of the profile, as its installer applies it:
/// kind's `standard` (kind v0.7+, `rancher.io/local-path` with
/// WaitForFirstConsumer, `pkg/cluster/internal/create/actions/
/// installstorage/storage.go`; kind v0.6's `kubernetes.io/host-path` for
/// v1.16), minikube's `standard` (`k8s.io/minikube-hostpath`,
/// `deploy/addons/storageclass/storageclass.yaml`); kubeadm installs none.
/// Trusted data stored directly, uids derived from the seed (no draw from
/// the cluster's RNG, which scenarios pinned before these objects existed).
fn storage_classes(cluster: &mut Cluster, config: &ClusterConfig) {
    let (provisioner, mode) = match config.profile.as_str() {
        "kind" if !config.version.has(Fact::KindLocalPathStorageClass) => {
            ("kubernetes.io/host-path", "Immediate")
        }
        "kind" => ("rancher.io/local-path", "WaitForFirstConsumer"),
        "minikube" => ("k8s.io/minikube-hostpath", "Immediate"),
        _ => return,
    };
    let mut manifest = json!({
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": "standard",
                     "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": provisioner, "reclaimPolicy": "Delete", "volumeBindingMode": mode,
    });
    if config.profile == "minikube" {
        manifest["metadata"]["labels"] = json!({"addonmanager.kubernetes.io/mode": "EnsureExists"});
    }
    let kind = super::controllers::persistentvolume::storage_class_kind();
    let Ok(mut object) = Object::from_value_as(kind, manifest) else { return };
    let meta = object.meta_mut();
    meta.uid = Some(rng::Rng::new(rng::mix(config.seed, &["storage-class", "standard"])).uuid());
    meta.creation_timestamp = Some(time::time(cluster.now()));
    cluster.store_mut().put(object);
}

fn create(cluster: &mut Cluster, manifest: Value) -> Option<Object> {
    let object = Object::from_value(manifest).ok()?;
    cluster.create(object).ok()
}

/// Creates a Node as its kubelet registers it, aged as configured.
pub fn add_node(cluster: &mut Cluster, config: &ClusterConfig, n: &NodeConfig, index: usize) {
    let manifest = node_manifest(config, n, index);
    let Some(Object::Node(mut node)) = create(cluster, manifest) else { return };
    let created = time::sub(config_start(config), n.age);
    node.metadata.creation_timestamp = Some(time::time(created));
    cluster.store_mut().put(Object::Node(node));
    cluster.put_node_runtime(&n.name, NodeRuntime::booted(config));
}

/// The node's capacity and allocatable: a 2-CPU, 2 GiB machine unless the
/// scenario declares its size. Allocatable memory is capacity less the
/// kubelet's default hard eviction threshold (`memory.available<100Mi`); no
/// kube/system reservations (kubeadm sets none).
fn machine_size(n: &NodeConfig) -> (Value, Value) {
    let mut capacity = json!({"cpu": "2", "ephemeral-storage": "17811456Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "2046880Ki", "pods": "110"});
    let mut allocatable = json!({"cpu": "2", "ephemeral-storage": "16415037823", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "1944480Ki", "pods": "110"});
    for (key, value) in &n.capacity {
        capacity[key.as_str()] = json!(value);
        allocatable[key.as_str()] = json!(value);
        if key == "memory" {
            // The kubelet clamps allocatable at zero when the reservation
            // exceeds capacity (`pkg/kubelet/cm` `GetNodeAllocatableAbsolute`).
            let kib =
                (super::controllers::scheduler::parse_bytes(value) / 1024 - 100 * 1024).max(0);
            allocatable["memory"] = json!(format!("{kib}Ki"));
        }
    }
    (capacity, allocatable)
}

/// The node's pod CIDR: configured, or the `index`-th /24 of the cluster CIDR.
pub fn node_pod_cidr(config: &ClusterConfig, n: &NodeConfig, index: usize) -> String {
    n.pod_cidr.clone().unwrap_or_else(|| {
        Cidr::parse(&config.pod_cidr)
            .map(|c| c.subnet(24, index as u32).to_string())
            .unwrap_or_default()
    })
}

fn node_manifest(config: &ClusterConfig, n: &NodeConfig, index: usize) -> Value {
    let f = flavor(config);
    let mut labels = json!({
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": n.name,
        "kubernetes.io/os": "linux",
    });
    for role in &n.roles {
        labels[format!("node-role.kubernetes.io/{role}")] = json!("");
    }
    if n.roles.iter().any(|r| r == "control-plane") {
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = json!("");
    }
    for (key, value) in &n.labels {
        labels[key.as_str()] = json!(value);
    }
    let taints: Vec<Value> = n.taints.iter().filter_map(|t| parse_taint(t)).collect();
    let cidr = node_pod_cidr(config, n, index);
    let seed = config.seed;
    let id = |what: &str| rng::hex_digest(seed, &[&n.name, what], 32);
    let boot = rng::hex_digest(seed, &[&n.name, "boot"], 32);
    let boot_id = format!(
        "{}-{}-{}-{}-{}",
        &boot[0..8],
        &boot[8..12],
        &boot[12..16],
        &boot[16..20],
        &boot[20..32]
    );
    let sys = id("system");
    let system_uuid = format!(
        "{}-{}-{}-{}-{}",
        &sys[0..8],
        &sys[8..12],
        &sys[12..16],
        &sys[16..20],
        &sys[20..32]
    )
    .to_uppercase();
    let ts = time::time(time::sub(config_start(config), n.age)).0.to_string();
    let condition = |type_: &str, status: &str, reason: &str, message: &str| {
        json!({"type": type_, "status": status, "reason": reason, "message": message,
               "lastHeartbeatTime": ts, "lastTransitionTime": ts})
    };
    let (capacity, allocatable) = machine_size(n);
    let mut addresses = vec![json!({"type": "InternalIP", "address": n.ip})];
    if let Some(external) = &n.external_ip {
        addresses.push(json!({"type": "ExternalIP", "address": external}));
    }
    addresses.push(json!({"type": "Hostname", "address": n.name}));
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": n.name,
            "labels": labels,
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": cri_socket(&f, config.version),
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": {"podCIDR": cidr, "podCIDRs": [cidr], "taints": if taints.is_empty() { Value::Null } else { json!(taints) }},
        "status": {
            "addresses": addresses,
            "allocatable": allocatable,
            "capacity": capacity,
            "conditions": [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": boot_id,
                "containerRuntimeVersion": f.runtime_version,
                "kernelVersion": config.kernel.as_deref().unwrap_or(f.kernel),
                "kubeProxyVersion": config.version.to_string(),
                "kubeletVersion": config.version.to_string(),
                "machineID": id("machine"),
                "operatingSystem": "linux",
                "osImage": f.os_image,
                "systemUUID": system_uuid,
            },
        },
    })
}

fn config_start(config: &ClusterConfig) -> k8s_openapi::jiff::Timestamp {
    k8s_openapi::jiff::Timestamp::from_second(config.start_unix_seconds)
        .unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH)
}

/// The kubelet's CRI socket as kubeadm annotates the node: dockershim
/// inside the kubelet until v1.24 removed it, cri-dockerd's socket after.
fn cri_socket(f: &Flavor, version: KubeVersion) -> &'static str {
    if f.runtime == "docker" && version.has(Fact::KubeadmCriDockerd) {
        "unix:///var/run/cri-dockerd.sock"
    } else if f.runtime == "docker" {
        "/var/run/dockershim.sock"
    } else {
        "unix:///run/containerd/containerd.sock"
    }
}

/// minikube's `storage-provisioner` addon: a bare pod on the host network
/// (`deploy/addons/storage-provisioner/storage-provisioner.yaml.tmpl`).
fn storage_provisioner() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "storage-provisioner", "namespace": "kube-system",
                     "labels": {"addonmanager.kubernetes.io/mode": "Reconcile", "integration-test": "storage-provisioner"}},
        "spec": {
            "containers": [{"name": "storage-provisioner", "image": "gcr.io/k8s-minikube/storage-provisioner:v5",
                            "command": ["/storage-provisioner"], "imagePullPolicy": "IfNotPresent",
                            "volumeMounts": [{"mountPath": "/tmp", "name": "tmp"}]}],
            "hostNetwork": true,
            "serviceAccountName": "storage-provisioner",
            "volumes": [{"name": "tmp", "hostPath": {"path": "/tmp", "type": "Directory"}}],
        },
    })
}

/// `key[=value]:Effect` → a taint manifest.
pub fn parse_taint(spec: &str) -> Option<Value> {
    let (kv, effect) = spec.rsplit_once(':')?;
    let (key, value) = match kv.split_once('=') {
        Some((k, v)) => (k, Some(v)),
        None => (kv, None),
    };
    let mut t = json!({"key": key, "effect": effect});
    if let Some(v) = value {
        t["value"] = json!(v);
    }
    Some(t)
}

fn kubernetes_service(ip: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"type": "ClusterIP", "clusterIP": ip, "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]},
    })
}

/// kube-system's workloads: kube-proxy, CoreDNS, kube-dns, static pods.
fn system_objects(config: &ClusterConfig, cluster: &Cluster) -> Vec<Value> {
    let f = flavor(config);
    let reg = f.registry;
    let dns_ip = Cidr::parse(&config.service_cidr).map(|c| c.nth(10)).unwrap_or_default();
    let mut out = vec![
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": {"app": "kube-proxy"}}, "data": {"config.conf": "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: \"\"\n"}}),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "coredns", "namespace": "kube-system"}, "data": {"Corefile": ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n"}}),
        kube_proxy(config, reg),
    ];
    match config.network.dns {
        DnsServer::CoreDns => out.extend([
            coredns(reg, f.coredns, f.coredns_replicas),
            json!({
                "apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "kube-dns", "namespace": "kube-system",
                              "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
                              "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}},
                "spec": {"clusterIP": dns_ip, "selector": {"k8s-app": "kube-dns"}, "ports": [
                    {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                    {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                    {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}]},
            }),
        ]),
        DnsServer::KubeDns => out.extend(kube_dns(reg, &dns_ip)),
    }
    if let Some(cp) = config.nodes.iter().find(|n| super::profiles::is_control_plane(n)) {
        let uid = node_uid(cluster, &cp.name).unwrap_or_default();
        out.extend(static_pods(config, cp, &uid, reg, f.etcd));
        if f.minikube_addons {
            out.push(storage_provisioner());
        }
    }
    out
}

fn kube_proxy(config: &ClusterConfig, reg: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": {"k8s-app": "kube-proxy"}},
        "spec": {
            "selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-proxy"}},
                "spec": {
                    "containers": [{
                        "name": "kube-proxy",
                        "image": format!("{reg}/kube-proxy:{}", config.version),
                        "imagePullPolicy": "IfNotPresent",
                        "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"],
                        "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                        "securityContext": {"privileged": true},
                        "volumeMounts": [
                            {"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                            {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                            {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": true}],
                    }],
                    "hostNetwork": true,
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "kube-proxy",
                    "tolerations": [{"operator": "Exists"}],
                    "volumes": [
                        {"name": "kube-proxy", "configMap": {"name": "kube-proxy", "defaultMode": 420}},
                        {"name": "xtables-lock", "hostPath": {"path": "/run/xtables.lock", "type": "FileOrCreate"}},
                        {"name": "lib-modules", "hostPath": {"path": "/lib/modules", "type": ""}}],
                },
            },
        },
    })
}

fn coredns(reg: &str, tag: &str, replicas: u32) -> Value {
    let image = format!("{reg}/{tag}");
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": "25%"}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-dns"}},
                "spec": {
                    "containers": [{
                        "name": "coredns",
                        "image": image,
                        "imagePullPolicy": "IfNotPresent",
                        "args": ["-conf", "/etc/coredns/Corefile"],
                        "ports": [
                            {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                            {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                            {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                        "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": true}],
                    }],
                    "dnsPolicy": "Default",
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": "coredns",
                    "tolerations": [
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"},
                        {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
                    "volumes": [{"name": "config-volume", "configMap": {"name": "coredns", "defaultMode": 420,
                                  "items": [{"key": "Corefile", "path": "Corefile"}]}}],
                },
            },
        },
    })
}

/// The kube-dns add-on (`kubernetes/kubernetes`
/// `cluster/addons/dns/kube-dns/kube-dns.yaml.in`, as kubeadm installed it
/// before CoreDNS): one replica of kubedns, dnsmasq and the sidecar
/// (1.14.13 images), behind the same `kube-dns` Service (no metrics port).
fn kube_dns(reg: &str, dns_ip: &str) -> [Value; 2] {
    let image = |name: &str| format!("{reg}/k8s-dns-{name}-amd64:1.14.13");
    [
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "kube-dns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "10%"}},
                "template": {
                    "metadata": {"labels": {"k8s-app": "kube-dns"}},
                    "spec": {
                        "containers": [
                            {"name": "kubedns", "image": image("kube-dns"), "imagePullPolicy": "IfNotPresent",
                             "args": ["--domain=cluster.local.", "--dns-port=10053", "--config-dir=/kube-dns-config", "--v=2"],
                             "ports": [
                                {"containerPort": 10053, "name": "dns-local", "protocol": "UDP"},
                                {"containerPort": 10053, "name": "dns-tcp-local", "protocol": "TCP"},
                                {"containerPort": 10055, "name": "metrics", "protocol": "TCP"}],
                             "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}}},
                            {"name": "dnsmasq", "image": image("dnsmasq-nanny"), "imagePullPolicy": "IfNotPresent",
                             "args": ["-v=2", "-logtostderr", "-configDir=/etc/k8s/dns/dnsmasq-nanny", "-restartDnsmasq=true", "--", "-k", "--cache-size=1000", "--no-negcache", "--log-facility=-", "--server=/cluster.local/127.0.0.1#10053"],
                             "ports": [
                                {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"}],
                             "resources": {"requests": {"cpu": "150m", "memory": "20Mi"}}},
                            {"name": "sidecar", "image": image("sidecar"), "imagePullPolicy": "IfNotPresent",
                             "args": ["--v=2", "--logtostderr", "--probe=kubedns,127.0.0.1:10053,kubernetes.default.svc.cluster.local,5,SRV", "--probe=dnsmasq,127.0.0.1:53,kubernetes.default.svc.cluster.local,5,SRV"],
                             "ports": [{"containerPort": 10054, "name": "metrics", "protocol": "TCP"}],
                             "resources": {"requests": {"cpu": "10m", "memory": "20Mi"}}}],
                        "dnsPolicy": "Default",
                        "priorityClassName": "system-cluster-critical",
                        "serviceAccountName": "kube-dns",
                        "tolerations": [
                            {"key": "CriticalAddonsOnly", "operator": "Exists"},
                            {"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"}],
                    },
                },
            },
        }),
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kube-dns", "namespace": "kube-system",
                          "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "KubeDNS"}},
            "spec": {"clusterIP": dns_ip, "selector": {"k8s-app": "kube-dns"}, "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53}]},
        }),
    ]
}

/// Mirror pods of the control plane's static manifests.
fn static_pods(
    config: &ClusterConfig,
    cp: &NodeConfig,
    uid: &str,
    reg: &str,
    etcd: &str,
) -> Vec<Value> {
    let v = &config.version;
    // Requests as kubeadm writes them (`cmd/kubeadm/app/phases/controlplane/
    // manifests.go` `ComponentResources("250m"|"200m"|"100m")`,
    // `phases/etcd/local.go`: cpu 100m, memory 100Mi); the scheduler counts
    // them when it scores the control-plane node.
    [
        ("etcd", format!("{reg}/etcd:{etcd}"), vec!["etcd".to_owned(), format!("--advertise-client-urls=https://{}:2379", cp.ip)], json!({"cpu": "100m", "memory": "100Mi"})),
        ("kube-apiserver", format!("{reg}/kube-apiserver:{v}"), vec!["kube-apiserver".to_owned(), format!("--advertise-address={}", cp.ip), format!("--service-cluster-ip-range={}", config.service_cidr)], json!({"cpu": "250m"})),
        ("kube-controller-manager", format!("{reg}/kube-controller-manager:{v}"), vec!["kube-controller-manager".to_owned(), format!("--cluster-cidr={}", config.pod_cidr)], json!({"cpu": "200m"})),
        ("kube-scheduler", format!("{reg}/kube-scheduler:{v}"), vec!["kube-scheduler".to_owned(), "--leader-elect=true".to_owned()], json!({"cpu": "100m"})),
    ]
    .into_iter()
    .map(|(component, image, command, requests)| {
        json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {
                "name": format!("{component}-{}", cp.name),
                "namespace": "kube-system",
                "labels": {"component": component, "tier": "control-plane"},
                "annotations": {"kubernetes.io/config.source": "file"},
                "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": cp.name, "uid": uid, "controller": true}],
            },
            "spec": {
                "containers": [{"name": component, "image": image, "imagePullPolicy": "IfNotPresent", "command": command, "resources": {"requests": requests}}],
                "hostNetwork": true,
                "nodeName": cp.name,
                "priorityClassName": "system-node-critical",
                "automountServiceAccountToken": false,
                "tolerations": [{"operator": "Exists", "effect": "NoExecute"}],
            },
        })
    })
    .collect()
}

/// A node's uid (static pods are owned by their node).
fn node_uid(cluster: &Cluster, name: &str) -> Option<String> {
    let node = cluster.get(&ObjectRef::cluster(Kind::Node, name)).ok()?;
    match node {
        Object::Node(Node { metadata, .. }) => metadata.uid.clone(),
        _ => None,
    }
}

/// metrics-server as its release manifest (`components.yaml` of v0.5.2, the
/// release current with Kubernetes v1.22) installs it: the Deployment and
/// its Service in kube-system (the APIService that registers
/// `metrics.k8s.io` is implied by [`ClusterConfig::metrics_server`]).
fn metrics_server() -> Vec<Value> {
    vec![
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "metrics-server", "namespace": "kube-system", "labels": {"k8s-app": "metrics-server"}},
            "spec": {
                "selector": {"matchLabels": {"k8s-app": "metrics-server"}},
                "strategy": {"rollingUpdate": {"maxUnavailable": 0}},
                "template": {
                    "metadata": {"labels": {"k8s-app": "metrics-server"}},
                    "spec": {
                        "containers": [{
                            "name": "metrics-server",
                            "image": "k8s.gcr.io/metrics-server/metrics-server:v0.5.2",
                            "imagePullPolicy": "IfNotPresent",
                            "args": ["--cert-dir=/tmp", "--secure-port=4443", "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname", "--kubelet-use-node-status-port", "--metric-resolution=15s"],
                            "ports": [{"containerPort": 4443, "name": "https", "protocol": "TCP"}],
                            "resources": {"requests": {"cpu": "100m", "memory": "200Mi"}},
                            "securityContext": {"readOnlyRootFilesystem": true, "runAsNonRoot": true, "runAsUser": 1000},
                            "volumeMounts": [{"mountPath": "/tmp", "name": "tmp-dir"}],
                        }],
                        "nodeSelector": {"kubernetes.io/os": "linux"},
                        "priorityClassName": "system-cluster-critical",
                        "serviceAccountName": "metrics-server",
                        "volumes": [{"name": "tmp-dir", "emptyDir": {}}],
                    },
                },
            },
        }),
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "metrics-server", "namespace": "kube-system", "labels": {"k8s-app": "metrics-server"}},
            "spec": {"selector": {"k8s-app": "metrics-server"}, "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": "https"}]},
        }),
    ]
}
