//! gRPC health servers (`grpc.health.v1.Health`) of the images kubeplay
//! knows, as the kubelet's gRPC probe sees them (`pkg/probe/grpc/grpc.go`).
//!
//! etcd from release 3.5 registers grpc-go's health server on its client
//! port (`server/etcdserver/api/v3rpc/grpc.go` and `health.go`: the
//! overall service `""` SERVING, any other name unknown). Kubernetes'
//! agnhost `grpc-health-checking` (`test/images/agnhost/
//! grpc-health-checking`) answers for its `--service` only: SERVING, then
//! NOT_SERVING from `--delay-unhealthy-sec` on; its HTTP switches
//! (`/make-not-serving`) are not modelled. Other images' gRPC servers are
//! not modelled: a probe of them is unsupported.

use std::time::Duration;

use k8s_openapi::api::core::v1::Container;

use crate::sim::images::{self, ImageRef, TestServer};

/// What a `Check` of one service answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// `SERVING`.
    Serving,
    /// `NOT_SERVING`.
    NotServing,
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

/// agnhost `grpc-health-checking`'s flags (cobra: `--flag=value` or
/// `--flag value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgnhostFlags {
    /// `--port` (5000).
    pub port: u16,
    /// `--http-port` (8080).
    pub http_port: u16,
    /// `--delay-unhealthy-sec` (-1: never).
    pub delay_unhealthy_sec: i64,
    /// `--service` (`""`).
    pub service: String,
}

impl AgnhostFlags {
    /// The flags `container` runs the server with; `None` when it does
    /// not run it, or with a flag kubeplay does not know.
    pub fn of(container: &Container) -> Option<AgnhostFlags> {
        if images::test_server(container) != Some(TestServer::GrpcHealthChecking) {
            return None;
        }
        let argv = crate::sim::podutil::argv(container);
        let at = argv.iter().position(|a| a == "grpc-health-checking")?;
        let mut flags = AgnhostFlags {
            port: 5000,
            http_port: 8080,
            delay_unhealthy_sec: -1,
            service: String::new(),
        };
        let mut words = argv[at + 1..].iter();
        while let Some(word) = words.next() {
            let flag = word.strip_prefix("--").or_else(|| word.strip_prefix('-'))?;
            let (name, value) = match flag.split_once('=') {
                Some((n, v)) => (n, v.to_owned()),
                None => (flag, words.next()?.clone()),
            };
            match name {
                "port" => flags.port = value.parse().ok()?,
                "http-port" => flags.http_port = value.parse().ok()?,
                "delay-unhealthy-sec" => flags.delay_unhealthy_sec = value.parse().ok()?,
                "service" => flags.service = value,
                _ => return None,
            }
        }
        Some(flags)
    }
}

/// What `container`'s gRPC server on `port`, running for `uptime`,
/// answers a health check of `service`; `None` when kubeplay does not
/// know its gRPC server.
pub fn check(container: &Container, port: u16, service: &str, uptime: Duration) -> Option<Checked> {
    if let Some(flags) = AgnhostFlags::of(container) {
        if port != flags.port {
            return None;
        }
        // `HealthChecker.Check`.
        return Some(if service != flags.service {
            Checked::Error("rpc error: code = NotFound desc = unknown service".to_owned())
        } else if flags.delay_unhealthy_sec >= 0
            && uptime.as_secs_f64() >= flags.delay_unhealthy_sec as f64
        {
            Checked::NotServing
        } else {
            Checked::Serving
        });
    }
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
        let up = Duration::ZERO;
        assert_eq!(check(&c, 2379, "", up), Some(Checked::Serving));
        assert_eq!(
            check(&c, 2379, "etcdserverpb.KV", up),
            Some(Checked::Error("rpc error: code = NotFound desc = unknown service".into()))
        );
        assert_eq!(check(&c, 2380, "", up), None);
        let moved = etcd(
            "quay.io/coreos/etcd:v3.5.9",
            &["etcd", "--listen-client-urls=http://0.0.0.0:12379"],
        );
        assert_eq!(check(&moved, 12379, "", up), Some(Checked::Serving));
        assert_eq!(check(&etcd("k8s.gcr.io/etcd:3.4.13-0", &["etcd"]), 2379, "", up), None);
        assert_eq!(check(&etcd("nginx:1.25", &[]), 2379, "", up), None);
    }

    #[test]
    fn agnhost_serves_its_service_until_its_delay() {
        let c = Container {
            name: "agnhost".into(),
            image: Some("registry.k8s.io/e2e-test-images/agnhost:2.40".into()),
            args: Some(
                [
                    "grpc-health-checking",
                    "--port=9000",
                    "--delay-unhealthy-sec",
                    "10",
                    "--service=app",
                ]
                .map(String::from)
                .to_vec(),
            ),
            ..Default::default()
        };
        let s = Duration::from_secs;
        assert_eq!(check(&c, 9000, "app", s(9)), Some(Checked::Serving));
        assert_eq!(check(&c, 9000, "app", s(10)), Some(Checked::NotServing));
        assert_eq!(
            check(&c, 9000, "", s(0)),
            Some(Checked::Error("rpc error: code = NotFound desc = unknown service".into()))
        );
        assert_eq!(check(&c, 5000, "app", s(0)), None);
        let plain = Container { args: Some(vec!["grpc-health-checking".into()]), ..c.clone() };
        assert_eq!(check(&plain, 5000, "", s(3600)), Some(Checked::Serving), "never unhealthy");
        let odd =
            Container { args: Some(vec!["grpc-health-checking".into(), "--tls".into()]), ..c };
        assert_eq!(AgnhostFlags::of(&odd), None, "an unknown flag is not guessed at");
    }
}
