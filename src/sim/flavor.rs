//! Facts that follow from the profile and version: container runtime, OS
//! image, kernel, system image registry, control-plane taint.

use super::config::ClusterConfig;

/// Machine and distribution facts of a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flavor {
    /// Container runtime scheme (`docker`, `containerd`).
    pub runtime: &'static str,
    /// `nodeInfo.containerRuntimeVersion`.
    pub runtime_version: &'static str,
    /// `nodeInfo.osImage`.
    pub os_image: &'static str,
    /// `nodeInfo.kernelVersion`.
    pub kernel: &'static str,
    /// Registry of the control-plane images.
    pub registry: &'static str,
    /// CoreDNS image tag.
    pub coredns: &'static str,
    /// etcd image tag.
    pub etcd: &'static str,
    /// Replicas of the CoreDNS Deployment (kubeadm's 2; minikube scales it
    /// to 1).
    pub coredns_replicas: u32,
    /// minikube's addons: the `storage-provisioner` pod in kube-system and
    /// the default StorageClass `standard` it provisions for.
    pub minikube_addons: bool,
}

/// The default StorageClass minikube's `default-storageclass` addon creates
/// (`deploy/addons/storageclass/storageclass.yaml`: `standard`, provisioner
/// `k8s.io/minikube-hostpath`). The simulator serves no StorageClass kind
/// yet; the API-layer work creates it from here.
pub const MINIKUBE_STORAGE_CLASS: &str = "standard";

/// The flavor of `config`'s profile.
pub fn flavor(config: &ClusterConfig) -> Flavor {
    if config.profile == "kind" && config.version == crate::version::KubeVersion::new(1, 16, 3) {
        // The kindest/node:v1.16.3 image (kind v0.6) was built on Ubuntu
        // 19.10 with a pre-release containerd 1.3 build: its nodes report
        // `Ubuntu Eoan Ermine (development branch)` and
        // `containerd://1.3.0-27-g54658b88` (recorded `kubectl get nodes
        // -o wide` and `kubectl describe node` outputs of that image, e.g.
        // ACloudGuru-Resources/Kubernetes_Advanced_Networking CH04_L03).
        return Flavor {
            runtime: "containerd",
            runtime_version: "containerd://1.3.0-27-g54658b88",
            os_image: "Ubuntu Eoan Ermine (development branch)",
            kernel: "5.15.0-76-generic",
            registry: "k8s.gcr.io",
            coredns: "coredns:1.6.2",
            etcd: "3.3.15-0",
            coredns_replicas: 2,
            minikube_addons: false,
        };
    }
    if config.profile == "kwok" {
        // kwok v0.8.0 fills a node's nodeInfo with its own version and
        // leaves osImage empty (`kubectl get nodes -o wide`: `<unknown>`);
        // its pods carry no container ID and an empty imageID (read from
        // the real cluster of scripts/control-plane/start.sh). It runs no
        // system workloads, so the image fields are never read.
        return Flavor {
            runtime: "",
            runtime_version: "kwok-0.8.0",
            os_image: "",
            kernel: "kwok-0.8.0",
            registry: "registry.k8s.io",
            coredns: "",
            etcd: "",
            coredns_replicas: 0,
            minikube_addons: false,
        };
    }
    if config.profile == "minikube" {
        // minikube v1.32.0 (see `profiles::minikube`): its kicbase image is
        // Ubuntu 22.04.3 with Docker 24.0.7; control-plane images from
        // registry.k8s.io at kubeadm v1.28's tags (`cmd/kubeadm/app/
        // constants` v1.28: etcd 3.5.9-0, CoreDNS v1.10.1). The kernel is
        // the host's (unverified default; front matter `kernel:` sets it).
        return Flavor {
            runtime: "docker",
            runtime_version: "docker://24.0.7",
            os_image: "Ubuntu 22.04.3 LTS",
            kernel: "5.15.0-76-generic",
            registry: "registry.k8s.io",
            coredns: "coredns/coredns:v1.10.1",
            etcd: "3.5.9-0",
            coredns_replicas: 1,
            minikube_addons: true,
        };
    }
    if config.profile == "kind" {
        return Flavor {
            runtime: "containerd",
            runtime_version: "containerd://1.7.1",
            os_image: "Debian GNU/Linux 11 (bullseye)",
            kernel: "5.15.0-76-generic",
            registry: "registry.k8s.io",
            coredns: "coredns/coredns:v1.10.1",
            etcd: "3.5.7-0",
            coredns_replicas: 2,
            minikube_addons: false,
        };
    }
    Flavor {
        runtime: "docker",
        runtime_version: "docker://20.10.21",
        os_image: "CentOS Linux 7 (Core)",
        kernel: "3.10.0-1160.el7.x86_64",
        registry: "registry.aliyuncs.com/google_containers",
        coredns: "coredns:v1.8.4",
        etcd: "3.5.0-0",
        coredns_replicas: 2,
        minikube_addons: false,
    }
}

impl Flavor {
    /// `status.containerStatuses[].containerID` for a container hash.
    pub fn container_id(&self, hex: &str) -> String {
        format!("{}://{hex}", self.runtime)
    }

    /// `status.containerStatuses[].imageID` for an image and digest.
    pub fn image_id(&self, image: &str, digest: &str) -> String {
        if self.runtime.is_empty() {
            // No runtime (kwok): nothing was pulled.
            return String::new();
        }
        let repo = image.split('@').next().unwrap_or(image);
        let repo = match repo.rsplit_once(':') {
            Some((r, tag)) if !tag.contains('/') => r,
            _ => repo,
        };
        if self.runtime == "docker" {
            format!("docker-pullable://{repo}@sha256:{digest}")
        } else {
            format!("{}@sha256:{digest}", canonical_repo(repo))
        }
    }

    /// `status.containerStatuses[].image` as the runtime reports it.
    pub fn status_image(&self, image: &str) -> String {
        if self.runtime == "docker" || self.runtime.is_empty() {
            return image.to_owned();
        }
        let has_tag = image.rsplit('/').next().is_some_and(|l| l.contains(':') || l.contains('@'));
        let full = canonical_repo(image);
        if has_tag { full } else { format!("{full}:latest") }
    }
}

/// `nginx` → `docker.io/library/nginx` (containerd's fully qualified names).
fn canonical_repo(repo: &str) -> String {
    let first = repo.split('/').next().unwrap_or(repo);
    let has_registry =
        repo.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    match (has_registry, repo.contains('/')) {
        (true, _) => repo.to_owned(),
        (false, true) => format!("docker.io/{repo}"),
        (false, false) => format!("docker.io/library/{repo}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::profiles::profile;

    #[test]
    fn image_ids() {
        let d = flavor(&profile("kubeadm").unwrap());
        assert_eq!(d.image_id("nginx:1.7.9", "ab"), "docker-pullable://nginx@sha256:ab");
        let k = flavor(&profile("kind").unwrap());
        assert_eq!(k.image_id("nginx", "ab"), "docker.io/library/nginx@sha256:ab");
        assert_eq!(k.status_image("nginx"), "docker.io/library/nginx:latest");
    }
}
