//! Container lifecycle hooks (`pkg/kubelet/lifecycle/handlers.go`,
//! `kuberuntime_container.go` `startContainer` step 4 and
//! `executePreStopHook`): the kubelet runs a container's `postStart` hook
//! right after the container starts, and its `preStop` hook when it kills
//! the container, before the stop signal.
//!
//! Only `exec` handlers are run here, through the same process model as
//! `kubectl exec` ([`crate::sim::process::session::exec`]): their output,
//! exit and filesystem changes are the container's. `httpGet`,
//! `tcpSocket` and `sleep` handlers are named unsupported at admission
//! ([`crate::sim::admission::unmodelled`]).

use std::time::Duration;

use k8s_openapi::api::core::v1::{Container, LifecycleHandler, Pod};

use crate::{
    sim::process::{
        fs::Changes,
        session::{self, Exec},
    },
    version::{Fact, KubeVersion},
};

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
/// process context `ctx`, whose `changes` are the container's files now.
pub fn run(
    hook: Hook,
    handler: &LifecycleHandler,
    pod: &Pod,
    container: &Container,
    ctx: &crate::sim::process::Context,
    version: &KubeVersion,
) -> Ran {
    let Some(argv) = handler.exec.as_ref().and_then(|e| e.command.clone()) else {
        return Ran::Unsupported(format!("a {} hook other than exec", hook.name()));
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

/// `handlers.go` `Run` before v1.26: the exec error (the CRI's
/// `command '…' exited with N: STDERR`, `remote/remote_runtime.go`
/// `ExecSync`) and the command's output, the pod named by `format.Pod`.
fn exec_failure(argv: &[String], container: &Container, pod: &Pod, code: i32) -> String {
    let pod_name = format!(
        "{}_{}({})",
        pod.metadata.name.as_deref().unwrap_or_default(),
        pod.metadata.namespace.as_deref().unwrap_or("default"),
        pod.metadata.uid.as_deref().unwrap_or_default()
    );
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
