//! Attaching to a container's process: `kubectl attach` (`attach.go`
//! `Run`, v1.22), and the pod `kubectl run -i` created (`run.go` `Run` with
//! `o.Attach`, `handleAttachPod`): wait for the pod to run, attach, then
//! (`--rm`) delete the pod and, with `--restart=Never|OnFailure`, wait for
//! the pod to finish and exit with its container's code. A shell reading
//! its stdin gets the lines the tutorial types
//! ([`crate::kubectl::terminal`]).

use std::time::Duration;

use k8s_openapi::api::core::v1::{Container, Pod};

use super::Ctx;
use crate::{
    kubectl::{error::KubectlError, messages, terminal},
    sim::{
        DeleteOptions, Kind, ObjectRef, Resource,
        controllers::kubelet_process,
        podutil,
        process::session::{self, Session},
        time,
    },
};

/// `defaultPodAttachTimeout` (`pkg/cmd/run/run.go`): how long kubectl waits
/// for the pod to run before attaching.
const POD_RUNNING_TIMEOUT: Duration = Duration::from_secs(60);

/// Virtual time kubeplay follows an attached process that does not end by
/// itself before giving up (the reader would press Ctrl-C).
const FOLLOW_LIMIT: Duration = Duration::from_secs(24 * 3600);

/// `kubectl attach (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t]`: attaches to
/// the process already running in a container. kubeplay attaches with
/// `-i` (a shell reading the terminal's lines); following a process's
/// output without stdin is not emulated.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let args = ctx.inv.args.clone();
    if args.is_empty() {
        return Err(KubectlError::msg(messages::usage_error(
            "at least 1 argument is required for attach",
            "kubectl attach",
        )));
    }
    if args.len() > 2 {
        return Err(KubectlError::msg(messages::usage_error(
            &format!(
                "expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw {}: [{}]",
                args.len(),
                args.join(" ")
            ),
            "kubectl attach",
        )));
    }
    let ns = ctx.namespace();
    let target = if args.len() == 2 { format!("{}/{}", args[0], args[1]) } else { args[0].clone() };
    let name = match target.split_once('/') {
        None => target.clone(),
        Some((ty, name)) => {
            let kind = crate::kubectl::resource::resolve_one(ctx.cluster.registry(), ty)?;
            super::logs::pod_for_object(ctx, kind, &ns, name)?
        }
    };
    let r = ObjectRef::namespaced(Kind::Pod, &ns, &name);
    let pod = pod(ctx, &r)?;
    let phase = podutil::phase(&pod).to_owned();
    if phase == "Succeeded" || phase == "Failed" {
        return Err(KubectlError::msg(format!(
            "cannot attach a container in a completed pod; current phase is {phase}"
        )));
    }
    let quiet = ctx.inv.bool("quiet");
    // `podcmd.FindOrDefaultContainerByName`; attach does not ask the API
    // server about the name first, as exec does.
    let wanted = ctx.inv.value("container").filter(|c| !c.is_empty()).map(str::to_owned);
    if let Some(c) = &wanted {
        let spec = pod.spec.clone().unwrap_or_default();
        let known = spec.containers.iter().chain(spec.init_containers.iter().flatten());
        if !known.into_iter().any(|k| k.name == *c) {
            return Err(KubectlError::msg(format!(
                "cannot attach to the container: container {c} not found"
            )));
        }
    }
    let container = super::exec::container_of(ctx, &pod, wanted.as_deref(), quiet)?;
    if !ctx.inv.bool("stdin") {
        return Err(KubectlError::unsupported(
            "kubectl attach without -i (following a process's output)",
        ));
    }
    if ctx.inv.bool("tty") && container.tty != Some(true) && !quiet {
        ctx.stderr(format!(
            "error: Unable to use a TTY - container {} did not allocate one\n",
            container.name
        ));
    }
    let restart = pod
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.clone())
        .unwrap_or_else(|| "Always".to_owned());
    attach_to(ctx, &r, &pod, &container, quiet, &restart)
}

/// Attaches to pod `name` just created by `kubectl run -i`.
pub fn run_attached(ctx: &mut Ctx<'_>, name: &str, restart: &str) -> Result<(), KubectlError> {
    let ns = ctx.namespace();
    let r = ObjectRef::namespaced(Kind::Pod, &ns, name);
    let quiet = ctx.inv.bool("quiet");
    let result = attach(ctx, &r, restart, quiet);
    // `defer o.removeCreatedObjects(...)`: after the attach and the wait for
    // the exit code, before the error is printed.
    let result = match result {
        Ok(()) => wait_for_exit(ctx, &r, restart),
        Err(e) => Err(Box::new((e, String::new()))),
    };
    if ctx.inv.bool("rm") && ctx.cluster.delete(&r, DeleteOptions::default()).is_ok() && !quiet {
        ctx.stdout(messages::deleted(Kind::Pod, name, r.namespace.as_deref(), ctx.minor));
    }
    result.map_err(|failed| {
        let (e, text) = *failed;
        ctx.stderr(text);
        e
    })
}

/// `waitForPod(..., podRunningAndReady)`, then the attach itself (or, for
/// a pod that already completed, its logs).
fn attach(
    ctx: &mut Ctx<'_>,
    r: &ObjectRef,
    restart: &str,
    quiet: bool,
) -> Result<(), KubectlError> {
    let deadline = time::add(ctx.now(), POD_RUNNING_TIMEOUT);
    let pod = loop {
        let pod = pod(ctx, r)?;
        let phase = podutil::phase(&pod).to_owned();
        if (phase == "Running" && podutil::is_ready(&pod))
            || phase == "Succeeded"
            || phase == "Failed"
        {
            break pod;
        }
        if ctx.now() >= deadline || ctx.cluster.step().is_none() {
            return Err(KubectlError::msg("timed out waiting for the condition"));
        }
    };
    let container =
        pod.spec.as_ref().and_then(|s| s.containers.first()).cloned().unwrap_or_default();
    let phase = podutil::phase(&pod).to_owned();
    let started = started_at(&pod);
    if phase == "Succeeded" || phase == "Failed" {
        // `ErrPodCompleted`: the logs instead of an attach.
        if let Some(started) = started {
            let log = kubelet_process::log(
                ctx.cluster.config(),
                ctx.cluster.store(),
                ctx.cluster.runtime(),
                &pod,
                &container,
                started,
                ctx.now(),
            );
            ctx.stdout(log);
        }
        return Ok(());
    }
    attach_to(ctx, r, &pod, &container, quiet, restart)
}

/// `attach.go` `Run` from the hint on: attaches to `container`'s process
/// (a shell reading stdin gets the terminal's lines), then the reattach
/// hint for a pod that restarts its containers.
fn attach_to(
    ctx: &mut Ctx<'_>,
    r: &ObjectRef,
    pod: &Pod,
    container: &Container,
    quiet: bool,
    restart: &str,
) -> Result<(), KubectlError> {
    let started = started_at(pod);
    let stdin = ctx.inv.bool("stdin");
    let raw = stdin && ctx.inv.bool("tty");
    if !quiet {
        ctx.stderr("If you don't see a command prompt, try pressing enter.\n");
    }
    let started = started.unwrap_or(ctx.now());
    let argv = crate::sim::podutil::argv(container);
    // No command: the image's own (`CMD ["sh"]` for busybox, `["bash"]`
    // for ubuntu; a server's binary for nginx, which reads no input).
    let image = container.image.as_deref().unwrap_or_default();
    let program = match argv.first() {
        Some(p) => p.clone(),
        None => crate::sim::process::userland::default_shell(image).unwrap_or("").to_owned(),
    };
    let waits_for_input = stdin && session::is_shell(&program) && !argv.iter().any(|a| a == "-c");
    if waits_for_input {
        let mut context = kubelet_process::context(ctx.cluster.store(), pod, container, started);
        // What the shell's network clients (`wget`, `nslookup`) reach.
        let net = crate::sim::traffic::Snapshot::of(ctx.cluster, pod);
        context.net = Some(net.clone());
        if let Some(mut shell) = Session::open(&program, context) {
            let code = terminal::converse(ctx, &mut shell);
            // Connections the session made took their turns at the Services.
            net.write_back(ctx.cluster);
            // The shell exits when `exit` was typed, or (stdinOnce) when
            // its stdin ended with the session.
            let exited = ctx.terminal.as_deref().is_some_and(|t| t.ended_by_input);
            if exited || container.stdin_once == Some(true) {
                ctx.cluster.end_container_process(r, &container.name, code)?;
            }
        }
    } else {
        // A program that does not read the terminal: its output until it
        // exits, as the attached stream shows it.
        let limit = time::add(ctx.now(), FOLLOW_LIMIT);
        loop {
            let p = self::pod(ctx, r)?;
            if terminated(&p, &container.name) || ctx.now() >= limit || ctx.cluster.step().is_none()
            {
                break;
            }
        }
        let p = self::pod(ctx, r)?;
        let log = kubelet_process::log(
            ctx.cluster.config(),
            ctx.cluster.store(),
            ctx.cluster.runtime(),
            &p,
            container,
            started,
            ctx.now(),
        );
        ctx.stdout(log);
        if !terminated(&p, &container.name) {
            // Real kubectl would stay attached until the reader's Ctrl-C.
            return Err(KubectlError::unsupported(format!(
                "kubectl attach to container {:?}, whose process does not end by itself in \
                 the simulator (kubectl would stay attached until Ctrl-C)",
                container.name
            )));
        }
    }
    if let Some(t) = ctx.terminal.as_deref_mut()
        && t.closed_at.is_none()
    {
        t.closed_at = Some(ctx.out.chunks.len());
    }
    if !quiet && raw && restart == "Always" {
        ctx.stdout(format!(
            "Session ended, resume using 'kubectl attach {} -c {} -i -t' command when the pod is running\n",
            r.name, container.name
        ));
    }
    Ok(())
}

/// With `--restart=Never|OnFailure` (and stdin not left open), kubectl
/// waits for the pod to complete and exits with its container's code.
/// A failure is kubectl's error and the text `CheckErr` prints for it
/// after the pod is removed.
fn wait_for_exit(
    ctx: &mut Ctx<'_>,
    r: &ObjectRef,
    restart: &str,
) -> Result<(), Box<(KubectlError, String)>> {
    if ctx.inv.bool("leave-stdin-open") || restart == "Always" {
        return Ok(());
    }
    let limit = time::add(ctx.now(), FOLLOW_LIMIT);
    let pod = loop {
        let p = pod(ctx, r).map_err(|e| Box::new((e, String::new())))?;
        let phase = podutil::phase(&p).to_owned();
        let done = phase == "Succeeded" || (restart == "Never" && phase == "Failed");
        if done || ctx.now() >= limit || ctx.cluster.step().is_none() {
            break p;
        }
    };
    match podutil::phase(&pod) {
        "Succeeded" => Ok(()),
        "Failed" => {
            let ns = pod.metadata.namespace.clone().unwrap_or_default();
            let name = pod.metadata.name.clone().unwrap_or_default();
            let term = pod
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .and_then(|c| c.first())
                .and_then(|c| c.state.as_ref())
                .and_then(|s| s.terminated.clone());
            match term {
                Some(t) if t.exit_code != 0 => {
                    // `uexec.CodeExitError{Err: "pod NS/NAME terminated (REASON)\nMESSAGE"}`.
                    let reason = t.reason.unwrap_or_default();
                    let message = t.message.unwrap_or_default();
                    Err(Box::new((
                        KubectlError::Exit(t.exit_code),
                        format!("pod {ns}/{name} terminated ({reason})\n{message}"),
                    )))
                }
                _ => Err(Box::new((
                    KubectlError::msg(format!("pod {ns}/{name} failed with unknown exit code")),
                    String::new(),
                ))),
            }
        }
        phase => Err(Box::new((
            KubectlError::msg(format!(
                "pod {}/{} left in phase {phase}",
                pod.metadata.namespace.clone().unwrap_or_default(),
                pod.metadata.name.clone().unwrap_or_default()
            )),
            String::new(),
        ))),
    }
}

fn pod(ctx: &Ctx<'_>, r: &ObjectRef) -> Result<Pod, KubectlError> {
    let o = ctx.cluster.get(r)?;
    Ok(Pod::from_object(o).cloned().unwrap_or_default())
}

fn started_at(pod: &Pod) -> Option<k8s_openapi::jiff::Timestamp> {
    let cs = pod.status.as_ref()?.container_statuses.as_ref()?.first()?;
    let state = cs.state.as_ref()?;
    state
        .running
        .as_ref()
        .and_then(|r| r.started_at.as_ref())
        .or_else(|| state.terminated.as_ref().and_then(|t| t.started_at.as_ref()))
        .map(|t| t.0)
}

fn terminated(pod: &Pod, container: &str) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|c| c.iter().find(|s| s.name == container))
        .is_some_and(|s| {
            s.state.as_ref().is_some_and(|st| st.terminated.is_some())
                || s.last_state.as_ref().is_some_and(|l| l.terminated.is_some())
        })
}
