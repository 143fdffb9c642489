//! The kubelet's prober (`pkg/kubelet/prober`, v1.22): when each probe
//! worker runs, and what one probe of a container gives.
//!
//! A worker ticks every `periodSeconds` from when the kubelet took the pod
//! in (`worker.go` `run`: the ticker starts with the worker, which the
//! probe manager adds when the pod is first synced; here the pod's
//! `startTime`, to the second). A tick does nothing while the container is
//! not running, before `initialDelaySeconds` have passed since it started
//! (`int32(time.Since(startedAt).Seconds()) < initialDelaySeconds`), while
//! the startup probe has not succeeded (liveness and readiness) or once it
//! has (startup), and after a liveness or startup failure until the
//! container is new (`onHold`). Results count in a row against
//! `failureThreshold` and `successThreshold` (`doProbe`); the kubelet acts
//! on the published result ([`super::kubelet`]). `timeoutSeconds` bears on
//! servers that answer late, which the simulator has none of.

use crate::version::Fact;
use k8s_openapi::{
    api::core::v1::{Container, ContainerStatus, Pod, Probe},
    apimachinery::pkg::util::intstr::IntOrString,
    jiff::Timestamp,
};

use crate::sim::{
    config::ClusterConfig,
    process::session::{self, Exec},
    runtime::{ContainerRun, ProbeKind, ProbeWorker},
    store::Store,
    traffic::{self, ConnectError, Endpoint, Request},
};

use super::kubelet_process;

impl ProbeKind {
    /// All kinds, in the order a sync looks at them.
    pub const ALL: [ProbeKind; 3] = [ProbeKind::Startup, ProbeKind::Liveness, ProbeKind::Readiness];

    /// The container's probe of this kind.
    pub fn of(self, c: &Container) -> Option<&Probe> {
        match self {
            ProbeKind::Startup => c.startup_probe.as_ref(),
            ProbeKind::Liveness => c.liveness_probe.as_ref(),
            ProbeKind::Readiness => c.readiness_probe.as_ref(),
        }
    }

    /// `probeType.String()` (`prober/worker.go`): the word events use.
    pub fn label(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
        }
    }
}

/// What one probe gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probed {
    /// Success.
    Success,
    /// Failure, with the prober's output (the `Unhealthy` event's text).
    Failure(String),
    /// Something the simulator cannot judge, named.
    Unsupported(String),
}

/// Fresh workers for a container that starts at `now`: one per probe it
/// has, nothing spent but the ticks before its start.
pub fn workers(
    c: &Container,
    now: Timestamp,
) -> std::collections::BTreeMap<ProbeKind, ProbeWorker> {
    ProbeKind::ALL
        .into_iter()
        .filter(|k| k.of(c).is_some())
        .map(|k| (k, ProbeWorker { last_tick: now, last_result: None, run: 0, on_hold: false }))
        .collect()
}

/// `periodSeconds` (default 10, `SetDefaults_Probe`).
fn period(p: &Probe) -> i128 {
    i128::from(p.period_seconds.unwrap_or(10).max(1)) * 1_000_000_000
}

/// When the worker's ticker started: the pod's `startTime`, to the second.
fn epoch(pod: &Pod, fallback: Timestamp) -> i128 {
    let start = pod.status.as_ref().and_then(|s| s.start_time.as_ref()).map_or(fallback, |t| t.0);
    i128::from(start.as_second()) * 1_000_000_000
}

fn at(ns: i128) -> Timestamp {
    Timestamp::from_nanosecond(ns).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The last tick of `kind`'s ticker at or before `now`.
pub fn last_tick(pod: &Pod, c: &Container, kind: ProbeKind, now: Timestamp) -> Timestamp {
    let Some(p) = kind.of(c) else { return now };
    let (e, period) = (epoch(pod, now), period(p));
    let n = now.as_nanosecond();
    if n < e { now } else { at(e + (n - e) / period * period) }
}

/// When `kind`'s worker of container `c` next probes (a tick that is not a
/// no-op), if it will without a change of state: `cs` is the container's
/// status, `run` the kubelet's record of its current run.
pub fn due(
    pod: &Pod,
    c: &Container,
    cs: &ContainerStatus,
    run: &ContainerRun,
    kind: ProbeKind,
) -> Option<Timestamp> {
    let probe = kind.of(c)?;
    let w = run.probes.get(&kind)?;
    let started = run.started?;
    if w.on_hold || run.killed.is_some() || run.unsupported.is_some() {
        return None;
    }
    cs.state.as_ref()?.running.as_ref()?;
    let container_started = cs.started == Some(true);
    match kind {
        ProbeKind::Startup if container_started => return None,
        ProbeKind::Liveness | ProbeKind::Readiness if !container_started => return None,
        _ => {}
    }
    let delay = i128::from(probe.initial_delay_seconds.unwrap_or(0).max(0)) * 1_000_000_000;
    let lower = (w.last_tick.as_nanosecond() + 1).max(started.as_nanosecond() + delay);
    let (e, period) = (epoch(pod, started), period(probe));
    let k = (lower - e + period - 1).div_euclid(period);
    Some(at(e + k.max(0) * period))
}

/// `failureThreshold` / `successThreshold` (defaults 3 and 1).
pub fn threshold(p: &Probe, success: bool) -> i32 {
    if success { p.success_threshold.unwrap_or(1) } else { p.failure_threshold.unwrap_or(3) }
}

/// Runs `kind`'s probe of container `c` in `pod` at `now`: `httpGet` and
/// `tcpSocket` against what the pod's containers serve (the image models,
/// [`traffic::serve`]), `exec` through the container's interpreter.
pub fn probe(
    config: &ClusterConfig,
    store: &Store,
    runtime: &crate::sim::runtime::Runtime,
    pod: &Pod,
    c: &Container,
    p: &Probe,
    now: Timestamp,
) -> Probed {
    let ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
    if let Some(h) = &p.http_get {
        if h.scheme.as_deref().is_some_and(|s| s != "HTTP") {
            return Probed::Unsupported("httpGet probe over HTTPS".to_owned());
        }
        if h.host.as_deref().is_some_and(|host| !host.is_empty() && host != ip) {
            return Probed::Unsupported("httpGet probe to another host".to_owned());
        }
        let Some(port) = resolve_port(c, &h.port) else {
            return Probed::Unsupported(format!("probe port {:?}", port_text(&h.port)));
        };
        let path = h.path.clone().filter(|p| !p.is_empty()).unwrap_or_else(|| "/".to_owned());
        let path = if path.starts_with('/') { path } else { format!("/{path}") };
        let url = format!("http://{ip}:{port}{path}");
        let endpoint = Endpoint {
            namespace: pod.metadata.namespace.clone().unwrap_or_else(|| "default".to_owned()),
            pod: pod.metadata.name.clone().unwrap_or_default(),
            ip: ip.clone(),
            port,
        };
        let request = Request { method: "GET".to_owned(), path };
        // `pkg/probe/http/http.go` `DoHTTPProbe`: 2xx and 3xx succeed; any
        // other status fails with its code; a failed request with the Go
        // client's error, whose URL Go quotes from 1.14 on (Kubernetes
        // 1.19 is the first release built with it).
        return match traffic::probe(store, config, runtime, &endpoint, &request, now) {
            Ok(r) if (200..400).contains(&r.status) => Probed::Success,
            Ok(r) => Probed::Failure(format!("HTTP probe failed with statuscode: {}", r.status)),
            Err(ConnectError::Unmodelled(image)) => Probed::Unsupported(format!(
                "httpGet probe of image {image} (kubeplay does not know what it serves)"
            )),
            Err(ConnectError::Refused) => {
                let quoted = if config.version.has(Fact::HttpProbeQuotesUrl) {
                    format!("{url:?}")
                } else {
                    url.clone()
                };
                Probed::Failure(format!("Get {quoted}: {}", refused(&ip, port)))
            }
            Err(_) => Probed::Unsupported("httpGet probe that times out".to_owned()),
        };
    }
    if let Some(t) = &p.tcp_socket {
        let Some(port) = resolve_port(c, &t.port) else {
            return Probed::Unsupported(format!("probe port {:?}", port_text(&t.port)));
        };
        // `pkg/probe/tcp/tcp.go`: a connection that opens succeeds; the
        // dial error is the output.
        return if running_listener(store, config, runtime, pod, port, now).is_some() {
            Probed::Success
        } else if let Some(image) = traffic::servers::unknown_listener(config, pod, port) {
            Probed::Unsupported(format!("tcpSocket probe of image {image}"))
        } else {
            Probed::Failure(refused(&ip, port))
        };
    }
    if let Some(e) = &p.exec {
        let argv = e.command.clone().unwrap_or_default();
        let mut ctx = kubelet_process::context(store, pod, c, now);
        ctx.changes = kubelet_process::files_at(config, store, runtime, pod, c, now);
        // `pkg/probe/exec/exec.go`: exit 0 succeeds; otherwise the combined
        // output is the failure's text.
        return match session::exec(&argv, &ctx, false) {
            Exec::Ran(trace) => {
                if let Some(what) = trace.unsupported {
                    return Probed::Unsupported(format!("{what} in an exec probe"));
                }
                match trace.exit {
                    Some((took, _)) if took.as_secs() >= timeout(p) => Probed::Unsupported(
                        "exec probe that outlives its timeoutSeconds".to_owned(),
                    ),
                    Some((_, 0)) => Probed::Success,
                    Some(_) => Probed::Failure(trace.log()),
                    None => Probed::Unsupported(
                        "exec probe that outlives its timeoutSeconds".to_owned(),
                    ),
                }
            }
            Exec::NotFound => Probed::Unsupported(format!(
                "exec probe running {:?}, which the image lacks",
                argv.first().cloned().unwrap_or_default()
            )),
        };
    }
    if let Some(g) = &p.grpc {
        let listener =
            running_listener(store, config, runtime, pod, u16::try_from(g.port).unwrap_or(0), now);
        // How long the server has run (its health may change with it),
        // from the kubelet's record of its start, to the nanosecond.
        let uptime = listener.and_then(|l| {
            let run = runtime.container_run(pod, &l.name)?;
            Some(now.duration_since(run.started?).unsigned_abs())
        });
        return grpc(config, (listener, uptime), &ip, g, timeout(p));
    }
    Probed::Unsupported("probe without a handler".to_owned())
}

/// `pkg/probe/grpc/grpc.go`: a blocking dial that fails only when the
/// probe's timeout expires, then `Check` of the probe's service.
fn grpc(
    config: &ClusterConfig,
    (listener, uptime): (Option<&Container>, Option<std::time::Duration>),
    ip: &str,
    g: &k8s_openapi::api::core::v1::GRPCAction,
    timeout_secs: u64,
) -> Probed {
    // The GRPCContainerProbe gate is off (alpha) before v1.24, and the API
    // server drops the field then: the container would have no probe.
    if !config.version.has(Fact::GrpcProbeOnByDefault) {
        return Probed::Unsupported(
            "grpc probe (GRPCContainerProbe is alpha before v1.24: the API server drops it)"
                .to_owned(),
        );
    }
    let Ok(port) = u16::try_from(g.port) else {
        return Probed::Unsupported(format!("grpc probe port {}", g.port));
    };
    let addr = format!("{ip}:{port}");
    let Some(listener) = listener else {
        // A refused connection is retried until the deadline.
        return Probed::Failure(format!(
            "timeout: failed to connect service {addr:?} within {timeout_secs}s: context deadline exceeded"
        ));
    };
    let service = g.service.as_deref().unwrap_or_default();
    let uptime = uptime.unwrap_or_default();
    match traffic::grpc_health::check(listener, port, service, uptime) {
        Some(traffic::grpc_health::Checked::Serving) => Probed::Success,
        // `pkg/probe/grpc/grpc.go`: any other status fails, named.
        Some(traffic::grpc_health::Checked::NotServing) => {
            Probed::Failure("service unhealthy (responded with \"NOT_SERVING\")".to_owned())
        }
        Some(traffic::grpc_health::Checked::Error(e)) => {
            Probed::Failure(format!("error: health rpc probe failed: {e}"))
        }
        None => Probed::Unsupported(format!(
            "grpc probe of image {} (kubeplay does not know its gRPC server)",
            listener.image.as_deref().unwrap_or_default()
        )),
    }
}

/// The container of `pod` that listens on `port` and is running at `now`:
/// what a probe's connection reaches.
fn running_listener<'p>(
    store: &Store,
    config: &ClusterConfig,
    runtime: &crate::sim::runtime::Runtime,
    pod: &'p Pod,
    port: u16,
    now: Timestamp,
) -> Option<&'p Container> {
    let statuses = pod.status.as_ref().and_then(|s| s.container_statuses.as_ref());
    pod.spec.iter().flat_map(|s| s.containers.iter()).find(|c| {
        let nginx = traffic::nginx_running(store, config, runtime, pod, c, now);
        traffic::servers::listens(config, c, port, nginx.as_ref())
            && statuses.into_iter().flatten().any(|s| {
                s.name == c.name && s.state.as_ref().is_some_and(|st| st.running.is_some())
            })
    })
}

fn timeout(p: &Probe) -> u64 {
    u64::try_from(p.timeout_seconds.unwrap_or(1).max(1)).unwrap_or(1)
}

/// Go's dial error for a port nothing listens on.
pub(crate) fn refused(ip: &str, port: u16) -> String {
    format!("dial tcp {ip}:{port}: connect: connection refused")
}

fn port_text(p: &IntOrString) -> String {
    match p {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// A probe's port: a number, or the name of one of the container's ports
/// (`probe.ResolveContainerPort`).
pub(crate) fn resolve_port(c: &Container, p: &IntOrString) -> Option<u16> {
    match p {
        IntOrString::Int(n) => u16::try_from(*n).ok(),
        IntOrString::String(name) => c
            .ports
            .iter()
            .flatten()
            .find(|cp| cp.name.as_deref() == Some(name.as_str()))
            .and_then(|cp| u16::try_from(cp.container_port).ok())
            .or_else(|| name.parse().ok()),
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{
        ContainerState, ContainerStateRunning, HTTPGetAction, PodStatus,
    };

    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn grpc_probe_by_version() {
        use crate::{sim::profiles::profile_at, version::KubeVersion};
        let etcd = Container {
            name: "etcd".into(),
            image: Some("registry.k8s.io/etcd:3.5.1-0".into()),
            command: Some(vec!["etcd".into()]),
            ports: Some(vec![k8s_openapi::api::core::v1::ContainerPort {
                container_port: 2379,
                ..Default::default()
            }]),
            ..Default::default()
        };
        let running = ContainerStatus {
            name: "etcd".into(),
            state: Some(ContainerState {
                running: Some(ContainerStateRunning::default()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let pod = Pod {
            spec: Some(k8s_openapi::api::core::v1::PodSpec {
                containers: vec![etcd],
                ..Default::default()
            }),
            status: Some(PodStatus {
                container_statuses: Some(vec![running]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let at = |minor, port| {
            let config = profile_at("kubeadm", KubeVersion::new(1, minor, 0)).unwrap();
            let action = k8s_openapi::api::core::v1::GRPCAction { port, service: None };
            let listener = running_listener(
                &Store::default(),
                &config,
                &Default::default(),
                &pod,
                u16::try_from(port).unwrap(),
                t("2024-01-01T00:00:00Z"),
            );
            grpc(&config, (listener, None), "10.244.1.5", &action, 1)
        };
        assert!(matches!(at(23, 2379), Probed::Unsupported(_)));
        assert_eq!(at(24, 2379), Probed::Success);
        assert_eq!(
            at(35, 2380),
            Probed::Failure(
                "timeout: failed to connect service \"10.244.1.5:2380\" within 1s: context deadline exceeded"
                    .into()
            )
        );
    }

    #[test]
    fn ticks_follow_the_pod_start_and_wait_out_the_initial_delay() {
        let probe = Probe {
            http_get: Some(HTTPGetAction { port: IntOrString::Int(80), ..Default::default() }),
            initial_delay_seconds: Some(5),
            period_seconds: Some(5),
            ..Default::default()
        };
        let c = Container { name: "web".into(), liveness_probe: Some(probe), ..Default::default() };
        let pod = Pod {
            status: Some(PodStatus {
                start_time: Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(t(
                    "2024-01-01T00:00:00.400Z",
                ))),
                ..Default::default()
            }),
            ..Default::default()
        };
        let cs = ContainerStatus {
            name: "web".into(),
            started: Some(true),
            state: Some(ContainerState {
                running: Some(ContainerStateRunning::default()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let started = t("2024-01-01T00:00:02.300Z");
        let mut run = ContainerRun {
            started: Some(started),
            probes: workers(&c, started),
            ..Default::default()
        };
        // Start + 5 s is 00:07.3: the first tick of the ticker (from 00:00,
        // every 5 s) at or after it is 00:10.
        assert_eq!(due(&pod, &c, &cs, &run, ProbeKind::Liveness), Some(t("2024-01-01T00:00:10Z")));
        run.probes.get_mut(&ProbeKind::Liveness).unwrap().last_tick = t("2024-01-01T00:00:10Z");
        assert_eq!(due(&pod, &c, &cs, &run, ProbeKind::Liveness), Some(t("2024-01-01T00:00:15Z")));
        // No readiness probe; a held worker does not tick.
        assert_eq!(due(&pod, &c, &cs, &run, ProbeKind::Readiness), None);
        run.probes.get_mut(&ProbeKind::Liveness).unwrap().on_hold = true;
        assert_eq!(due(&pod, &c, &cs, &run, ProbeKind::Liveness), None);
        assert_eq!(
            last_tick(&pod, &c, ProbeKind::Liveness, t("2024-01-01T00:00:14.9Z")),
            t("2024-01-01T00:00:10Z")
        );
    }
}
