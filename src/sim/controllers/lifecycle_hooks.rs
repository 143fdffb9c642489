//! Container lifecycle hooks (`pkg/kubelet/lifecycle/handlers.go`,
//! `kuberuntime_container.go` `startContainer` step 4 and
//! `executePreStopHook`): the kubelet runs a container's `postStart` hook
//! right after the container starts, and its `preStop` hook when it kills
//! the container, before the stop signal.
//!
//! `exec` handlers run through the same process model as `kubectl exec`
//! ([`crate::sim::process::session::exec`]): their output, exit and
//! filesystem changes are the container's. `httpGet` handlers send their
//! request to the pod as the prober does ([`crate::sim::traffic::probe`]);
//! only a failed connection fails them (`handlers.go` `runHTTPHandler`
//! does not look at the status). `sleep` handlers (the
//! PodLifecycleSleepAction gate, on from v1.30) wait their seconds.
//! `tcpSocket` handlers are named unsupported at admission
//! ([`crate::sim::admission::unmodelled`]).

use std::time::Duration;

use k8s_openapi::{
    api::core::v1::{Container, HTTPGetAction, LifecycleHandler, Pod},
    jiff::Timestamp,
};

use crate::{
    sim::{
        config::ClusterConfig,
        process::{
            fs::Changes,
            session::{self, Exec},
        },
        runtime::Runtime,
        store::Store,
        traffic::{self, ConnectError, Endpoint, Request},
    },
    version::Fact,
};

/// What an `httpGet` handler's request reaches: the cluster at `now`.
pub struct Net<'a> {
    /// The objects.
    pub store: &'a Store,
    /// The cluster's shape (image behaviour).
    pub config: &'a ClusterConfig,
    /// Node-local state (what containers serve).
    pub runtime: &'a Runtime,
    /// The instant.
    pub now: Timestamp,
}

/// Which hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    PostStart,
    PreStop,
}

impl Hook {
    /// The handler `container` declares for this hook, if any.
    pub fn of(self, container: &Container) -> Option<&LifecycleHandler> {
        let lifecycle = container.lifecycle.as_ref()?;
        match self {
            Hook::PostStart => lifecycle.post_start.as_ref(),
            Hook::PreStop => lifecycle.pre_stop.as_ref(),
        }
    }

    /// Its field name in the container's `lifecycle`.
    fn name(self) -> &'static str {
        match self {
            Hook::PostStart => "postStart",
            Hook::PreStop => "preStop",
        }
    }

    /// The warning event's reason (`pkg/kubelet/events/event.go`).
    pub fn failed_reason(self) -> &'static str {
        match self {
            Hook::PostStart => "FailedPostStartHook",
            Hook::PreStop => "FailedPreStopHook",
        }
    }

    /// The event's fixed message from v1.26, which keeps the command's
    /// output (and any secret in it) out of events.
    fn generic_message(self) -> &'static str {
        match self {
            Hook::PostStart => "PostStartHook failed",
            Hook::PreStop => "PreStopHook failed",
        }
    }
}

/// What running a hook's handler came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// It exited 0 after `took`, leaving the container's files `changes`.
    Succeeded { took: Duration, changes: Changes },
    /// It failed after `took`; `message` is the warning event's text,
    /// `detail` the handler's own message (`handlers.go` `Run`: what a
    /// failed postStart leaves as the container's `PostStartHookError`),
    /// `None` where the command printed output kubeplay cannot order.
    Failed { took: Duration, changes: Changes, message: String, detail: Option<String> },
    /// It reached something kubeplay cannot emulate, named.
    Unsupported(String),
}

/// Runs `handler` (the `hook` of `container` in `pod`) in the container's
/// process context `ctx`, whose `changes` are the container's files now;
/// an `httpGet` handler's request goes through `net`.
pub fn run(
    hook: Hook,
    handler: &LifecycleHandler,
    (pod, container): (&Pod, &Container),
    ctx: &crate::sim::process::Context,
    net: &Net<'_>,
) -> Ran {
    let version = &net.config.version;
    if let Some(get) = &handler.http_get {
        return http_get(hook, get, pod, container, ctx, net);
    }
    if let Some(sleep) = &handler.sleep {
        // `runSleepHandler`; the gate is alpha (off) in v1.29, and the API
        // server drops the field while it is off.
        if !version.has(Fact::LifecycleSleepAction) {
            return Ran::Unsupported(format!(
                "a {} sleep hook (PodLifecycleSleepAction is off before v1.30: the API server \
                 drops the field)",
                hook.name()
            ));
        }
        let took = Duration::from_secs(u64::try_from(sleep.seconds).unwrap_or(0));
        return Ran::Succeeded { took, changes: ctx.changes.clone() };
    }
    let Some(argv) = handler.exec.as_ref().and_then(|e| e.command.clone()) else {
        return Ran::Unsupported(format!(
            "a {} hook other than exec, httpGet or sleep",
            hook.name()
        ));
    };
    // `RunInContainer` with no timeout: the kubelet waits for the command.
    let (took, code, output, changes) = match session::exec(&argv, ctx, false) {
        Exec::NotFound => {
            // The runtime refuses to start the process; ExecSync fails
            // with the OCI error, not an exit code.
            return Ran::Unsupported(format!(
                "a {} hook whose executable {:?} the image does not have (the runtime's \
                 error text)",
                hook.name(),
                argv.first().cloned().unwrap_or_default()
            ));
        }
        Exec::Ran(trace) => {
            if let Some(what) = trace.unsupported {
                return Ran::Unsupported(format!("{what} in a {} hook", hook.name()));
            }
            let Some((took, code)) = trace.exit else {
                return Ran::Unsupported(format!(
                    "a {} hook that does not end by itself ({:?})",
                    hook.name(),
                    argv.join(" ")
                ));
            };
            let output: String = trace.output.iter().map(|(_, text)| text.as_str()).collect();
            (took, code, output, trace.changes)
        }
    };
    if code == 0 {
        return Ran::Succeeded { took, changes };
    }
    let detail = output.is_empty().then(|| exec_failure(&argv, container, pod, code));
    let message = if version.has(Fact::LifecycleHookEventGeneric) {
        hook.generic_message().to_owned()
    } else if let Some(detail) = &detail {
        detail.clone()
    } else {
        // The event quotes the command's stderr and its whole output
        // apart; the process model interleaves the two streams.
        return Ran::Unsupported(format!(
            "the event of a failing {} hook that printed output",
            hook.name()
        ));
    };
    Ran::Failed { took, changes, message, detail }
}

/// An `httpGet` handler (`runHTTPHandler`): a GET to the pod's IP (or
/// `host`) that fails only when the connection does.
fn http_get(
    hook: Hook,
    get: &HTTPGetAction,
    pod: &Pod,
    container: &Container,
    ctx: &crate::sim::process::Context,
    net: &Net<'_>,
) -> Ran {
    let name = hook.name();
    if get.scheme.as_deref().is_some_and(|s| s != "HTTP") {
        return Ran::Unsupported(format!("a {name} httpGet hook over HTTPS"));
    }
    let ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
    if get.host.as_deref().is_some_and(|h| !h.is_empty() && h != ip) {
        return Ran::Unsupported(format!("a {name} httpGet hook to another host"));
    }
    let Some(port) = super::prober::resolve_port(container, &get.port) else {
        return Ran::Unsupported(format!("the port of a {name} httpGet hook"));
    };
    let own = {
        let nginx =
            traffic::nginx_running(net.store, net.config, net.runtime, pod, container, net.now);
        traffic::servers::listens(net.config, container, port, nginx.as_ref())
    };
    if hook == Hook::PostStart && own {
        // The kubelet sends it as soon as the container has started:
        // whether the server is listening yet is a race.
        return Ran::Unsupported(format!(
            "a postStart httpGet hook to its own container's port {port} (whether the server \
             listens yet)"
        ));
    }
    let path = get.path.clone().unwrap_or_default();
    let endpoint = Endpoint {
        namespace: pod.metadata.namespace.clone().unwrap_or_else(|| "default".to_owned()),
        pod: pod.metadata.name.clone().unwrap_or_default(),
        ip: ip.clone(),
        port,
    };
    let request = Request {
        method: "GET".to_owned(),
        path: if path.starts_with('/') { path.clone() } else { format!("/{path}") },
    };
    match traffic::probe(net.store, net.config, net.runtime, &endpoint, &request, net.now) {
        Ok(_) => Ran::Succeeded { took: Duration::ZERO, changes: ctx.changes.clone() },
        Err(ConnectError::Refused) => {
            // `NewRequestForHTTPGetAction`'s URL: no path, no slash.
            let url = format!("http://{ip}:{port}{path}");
            let quoted = if net.config.version.has(Fact::HttpProbeQuotesUrl) {
                format!("{url:?}")
            } else {
                url
            };
            let error = format!("Get {quoted}: {}", super::prober::refused(&ip, port));
            let detail = format!(
                "HTTP lifecycle hook ({path}) for Container {:?} in Pod {:?} failed - error: \
                 {error}",
                container.name,
                format_pod(pod)
            );
            let message = if net.config.version.has(Fact::LifecycleHookEventGeneric) {
                hook.generic_message().to_owned()
            } else {
                detail.clone()
            };
            Ran::Failed {
                took: Duration::ZERO,
                changes: ctx.changes.clone(),
                message,
                detail: Some(detail),
            }
        }
        Err(ConnectError::Unmodelled(image)) => Ran::Unsupported(format!(
            "a {name} httpGet hook answered by image {image} (kubeplay does not know what it \
             serves)"
        )),
        Err(_) => Ran::Unsupported(format!("a {name} httpGet hook that times out")),
    }
}

/// `format.Pod`: `name_namespace(uid)`.
fn format_pod(pod: &Pod) -> String {
    format!(
        "{}_{}({})",
        pod.metadata.name.as_deref().unwrap_or_default(),
        pod.metadata.namespace.as_deref().unwrap_or("default"),
        pod.metadata.uid.as_deref().unwrap_or_default()
    )
}

/// `handlers.go` `Run` before v1.26: the exec error (the CRI's
/// `command '…' exited with N: STDERR`, `remote/remote_runtime.go`
/// `ExecSync`) and the command's output, the pod named by `format.Pod`.
fn exec_failure(argv: &[String], container: &Container, pod: &Pod, code: i32) -> String {
    let pod_name = format_pod(pod);
    format!(
        "Exec lifecycle hook ([{}]) for Container {:?} in Pod {:?} failed - error: command '{}' \
         exited with {code}: , message: \"\"",
        argv.join(" "),
        container.name,
        pod_name,
        argv.join(" "),
    )
}

/// How long the kubelet gives the container to stop after its preStop
/// hook ran for `took` within `grace` (`killContainer`): the hook's whole
/// seconds come off the grace period, and at least
/// `minimumGracePeriodInSeconds` (2) remains.
pub fn grace_after_pre_stop(grace: Duration, took: Duration) -> Duration {
    const MINIMUM: Duration = Duration::from_secs(2);
    let spent = Duration::from_secs(took.min(grace).as_secs());
    grace.saturating_sub(spent).max(MINIMUM)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `handler` as a preStop hook of `c` in `pod` on an empty kind
    /// cluster of v1.`minor`.
    fn run_at(minor: u32, handler: &LifecycleHandler, pod: &Pod, c: &Container) -> Ran {
        let config =
            crate::sim::profiles::profile_at("kind", crate::version::KubeVersion::new(1, minor, 0))
                .unwrap();
        let (store, runtime) = (Store::default(), Runtime::default());
        let net =
            Net { store: &store, config: &config, runtime: &runtime, now: Timestamp::UNIX_EPOCH };
        let ctx = crate::sim::process::Context::default();
        run(Hook::PreStop, handler, (pod, c), &ctx, &net)
    }

    fn handler(yaml: &str) -> LifecycleHandler {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn sleep_hooks_from_v1_30() {
        let pod = Pod::default();
        let c = Container { name: "c".into(), ..Default::default() };
        let sleep = handler("sleep: {seconds: 7}");
        assert!(
            matches!(run_at(29, &sleep, &pod, &c), Ran::Unsupported(_)),
            "the gate is off (alpha)"
        );
        assert_eq!(
            run_at(30, &sleep, &pod, &c),
            Ran::Succeeded { took: Duration::from_secs(7), changes: Vec::new() }
        );
    }

    #[test]
    fn an_http_hook_fails_only_when_its_connection_does() {
        let pod: Pod = serde_yaml::from_str(
            "metadata: {name: web, namespace: default, uid: u1}\nstatus: {podIP: 10.244.0.9}",
        )
        .unwrap();
        let c = Container {
            name: "app".into(),
            image: Some("nginx:1.25.4".into()),
            ..Default::default()
        };
        let get = handler("httpGet: {path: /shutdown, port: 8080}");
        let at = |minor| run_at(minor, &get, &pod, &c);
        let detail = "HTTP lifecycle hook (/shutdown) for Container \"app\" in Pod \"web_default(u1)\" \
                      failed - error: Get \"http://10.244.0.9:8080/shutdown\": dial tcp \
                      10.244.0.9:8080: connect: connection refused";
        assert_eq!(
            at(25),
            Ran::Failed {
                took: Duration::ZERO,
                changes: Vec::new(),
                message: detail.to_owned(),
                detail: Some(detail.to_owned())
            }
        );
        let Ran::Failed { message, .. } = at(26) else { panic!() };
        assert_eq!(message, "PreStopHook failed");
    }

    #[test]
    fn the_grace_period_loses_the_hook_s_whole_seconds_but_keeps_two() {
        let s = Duration::from_secs;
        assert_eq!(grace_after_pre_stop(s(30), Duration::from_millis(5_900)), s(25));
        assert_eq!(grace_after_pre_stop(s(30), s(29)), s(2));
        // A hook that outlasts the grace period is cut off at it.
        assert_eq!(grace_after_pre_stop(s(30), s(300)), s(2));
        assert_eq!(grace_after_pre_stop(s(0), s(0)), s(2));
    }
}
