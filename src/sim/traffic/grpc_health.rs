//! gRPC health servers (`grpc.health.v1.Health`) of the images kubeplay
//! knows, as the kubelet's gRPC probe sees them (`pkg/probe/grpc/grpc.go`).
//!
//! etcd from release 3.5 registers grpc-go's health server on its client
//! port (`server/etcdserver/api/v3rpc/grpc.go` and `health.go`: the
//! overall service `""` SERVING, any other name unknown). Other images'
//! gRPC servers are not modelled: a probe of them is unsupported.

use k8s_openapi::api::core::v1::Container;

use crate::sim::images::ImageRef;

/// What a `Check` of one service answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// `SERVING`.
    Serving,
    /// An RPC error, as grpc-go formats it (`rpc error: code = NotFound
    /// desc = unknown service`).
    Error(String),
}

/// etcd's default client port.
const ETCD_CLIENT_PORT: u16 = 2379;

/// The port etcd serves clients on: the first `--listen-client-urls` URL's
/// port (flag form `--flag value` or `--flag=value`), else 2379.
fn etcd_client_port(container: &Container) -> u16 {
    let argv: Vec<&String> =
        container.command.iter().chain(container.args.iter()).flatten().collect();
    let urls = argv.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--listen-client-urls=").or_else(|| {
            (a.as_str() == "--listen-client-urls").then(|| argv.get(i + 1).map(|s| s.as_str()))?
        })
    });
    urls.and_then(|u| u.split(',').next())
        .and_then(|u| u.rsplit_once(':'))
        .and_then(|(_, port)| port.trim_end_matches('/').parse().ok())
        .unwrap_or(ETCD_CLIENT_PORT)
}

/// Whether `image` is an etcd release with the health service (3.5 on).
fn is_etcd_with_health(image: &str) -> bool {
    let r = ImageRef::parse(image);
    if r.base() != "etcd" {
        return false;
    }
    let version = r.tag.trim_start_matches('v');
    let mut parts = version.split(['.', '-']).map(|p| p.parse::<u32>());
    matches!((parts.next(), parts.next()), (Some(Ok(major)), Some(Ok(minor))) if (major, minor) >= (3, 5))
}

/// What `container`'s gRPC server on `port` answers a health check of
/// `service`; `None` when kubeplay does not know its gRPC server.
pub fn check(container: &Container, port: u16, service: &str) -> Option<Checked> {
    let image = container.image.as_deref().unwrap_or_default();
    if !is_etcd_with_health(image) || port != etcd_client_port(container) {
        return None;
    }
    Some(if service.is_empty() {
        Checked::Serving
    } else {
        Checked::Error("rpc error: code = NotFound desc = unknown service".to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn etcd(image: &str, args: &[&str]) -> Container {
        Container {
            name: "etcd".into(),
            image: Some(image.into()),
            command: Some(args.iter().map(|s| (*s).to_owned()).collect()),
            ..Default::default()
        }
    }

    #[test]
    fn etcd_serves_health_on_its_client_port_from_3_5() {
        let c = etcd(
            "registry.k8s.io/etcd:3.5.1-0",
            &["/usr/local/bin/etcd", "--listen-client-urls", "http://0.0.0.0:2379"],
        );
        assert_eq!(check(&c, 2379, ""), Some(Checked::Serving));
        assert_eq!(
            check(&c, 2379, "etcdserverpb.KV"),
            Some(Checked::Error("rpc error: code = NotFound desc = unknown service".into()))
        );
        assert_eq!(check(&c, 2380, ""), None);
        let moved = etcd(
            "quay.io/coreos/etcd:v3.5.9",
            &["etcd", "--listen-client-urls=http://0.0.0.0:12379"],
        );
        assert_eq!(check(&moved, 12379, ""), Some(Checked::Serving));
        assert_eq!(check(&etcd("k8s.gcr.io/etcd:3.4.13-0", &["etcd"]), 2379, ""), None);
        assert_eq!(check(&etcd("nginx:1.25", &[]), 2379, ""), None);
    }
}
