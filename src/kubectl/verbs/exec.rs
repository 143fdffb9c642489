//! `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND
//! [args...]` (`kubectl/pkg/cmd/exec/exec.go`, v1.22): runs COMMAND in a
//! running container through the simulator's process interpreter, with the
//! container's environment, hostname and mounted files. With `-i -t` and a
//! shell, the lines the tutorial types at the container's prompt are fed
//! to it one by one ([`crate::kubectl::terminal`]).
//!
//! kubectl's exit status follows the command's: a non-zero exit prints
//! `command terminated with exit code N` (client-go `remotecommand`'s
//! `CodeExitError`, handled by `cmdutil.CheckErr`) and exits N.

use k8s_openapi::api::core::v1::{Container, Pod};

use super::Ctx;
use crate::{
    kubectl::{error::KubectlError, resource, terminal},
    sim::{
        ApiError, Kind, ObjectRef, Resource,
        controllers::kubelet_process,
        flavor, podutil,
        process::session::{self, Exec, Session},
        rng::hex_digest,
    },
};

/// `exec.go` `Complete`: the warning for a command given without `--`.
const DEPRECATED_NO_DASH: &str = "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed \
                                  in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n";

/// Runs `kubectl exec`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let args = &inv.args;
    let quiet = inv.bool("quiet");
    // `Complete`: the resource is the first argument unless `--` comes
    // first; the command follows `--`, or (deprecated) the resource.
    let at_dash = inv.args_len_at_dash;
    let resource_name = (!args.is_empty() && at_dash != Some(0)).then(|| args[0].clone());
    let command: Vec<String> = match at_dash {
        Some(i) => args[i..].to_vec(),
        None if args.len() > 1 => {
            if !quiet {
                ctx.stderr(DEPRECATED_NO_DASH);
            }
            args[1..].to_vec()
        }
        None => Vec::new(),
    };
    // `Validate`.
    let Some(target) = resource_name else {
        return Err(KubectlError::msg("pod, type/name or --filename must be specified"));
    };
    if command.is_empty() {
        return Err(KubectlError::msg("you must specify at least one command for the container"));
    }
    let ns = ctx.namespace();
    let pod = pod_of(ctx, &ns, &target)?;
    let phase = podutil::phase(&pod).to_owned();
    if phase == "Succeeded" || phase == "Failed" {
        return Err(KubectlError::msg(format!(
            "cannot exec into a container in a completed pod; current phase is {phase}"
        )));
    }
    let container = container_of(ctx, &pod, inv.value("container"), quiet)?;
    check_running(&pod, &container)?;

    let stdin = inv.bool("stdin");
    // `SetupTTY`: a TTY needs stdin; the reader's terminal is one.
    let tty = stdin && inv.bool("tty");
    let mut context = kubelet_process::context(ctx.cluster.store(), &pod, &container, ctx.now());
    // The session sees the container's filesystem as it is now; it keeps
    // only what it changes itself.
    let (recorded, now) = files_now(ctx, &pod, &container);
    context.changes = now;
    context.last_pid =
        ctx.cluster.runtime().container_run(&pod, &container.name).and_then(|r| r.last_pid);
    let seen = context.changes.len();
    let net = crate::sim::traffic::Snapshot::of(ctx.cluster, &pod);
    context.net = Some(net.clone());
    if stdin
        && ctx.terminal.is_some()
        && session::is_shell(&command[0])
        && let Some(mut shell) = Session::open(&command[0], context.clone())
    {
        let code = terminal::converse(ctx, &mut shell);
        // Connections the session made took their turns at the Services.
        net.write_back(ctx.cluster);
        keep_files(ctx, &pod, &container.name, session_files(recorded, shell.changes(), seen));
        keep_processes(ctx, &pod, &container.name, shell.last_pid(), shell.hangups());
        return finish(ctx, code);
    }
    let ran = session::exec(&command, &context, tty);
    net.write_back(ctx.cluster);
    match ran {
        Exec::Ran(trace) => {
            keep_files(ctx, &pod, &container.name, session_files(recorded, &trace.changes, seen));
            let start = ctx.now();
            let hangups: Vec<_> =
                trace.hangups.iter().map(|(d, n)| (crate::sim::time::add(start, *d), *n)).collect();
            keep_processes(ctx, &pod, &container.name, trace.last_pid, &hangups);
            if let Some(what) = trace.unsupported {
                return Err(KubectlError::unsupported(what));
            }
            ctx.cluster.advance(trace.reached);
            ctx.stdout(trace.log());
            match trace.exit {
                Some((_, code)) => finish(ctx, code),
                // Real kubectl would stay attached until the reader's
                // Ctrl-C; what the transcript showed then is unknown.
                None => Err(KubectlError::unsupported(format!(
                    "kubectl exec of a command that does not end by itself ({:?} still running \
                     after {})",
                    command.join(" "),
                    crate::sim::time::go_duration(trace.reached)
                ))),
            }
        }
        Exec::NotFound => {
            // Whether the runtime's failed start took a pid is not followed.
            keep_processes(ctx, &pod, &container.name, None, &[]);
            not_found(ctx, &pod, &command[0])
        }
    }
}

/// The filesystem changes of the current run of `container` in `pod`
/// (the kubelet's record: lost when the container restarts).
pub(crate) fn files_of<'c>(
    ctx: &'c Ctx<'_>,
    pod: &Pod,
    container: &str,
) -> Option<&'c crate::sim::process::fs::Changes> {
    let node = podutil::node_name(pod)?;
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    ctx.cluster.runtime().container_files(node, uid, container)
}

/// What a session into `container` starts from: the kubelet's record of
/// earlier sessions' changes, and the container's filesystem changes as
/// they stand now (that record and the container's own writes).
pub(crate) fn files_now(
    ctx: &Ctx<'_>,
    pod: &Pod,
    container: &k8s_openapi::api::core::v1::Container,
) -> (crate::sim::process::fs::Changes, crate::sim::process::fs::Changes) {
    let recorded = files_of(ctx, pod, &container.name).cloned().unwrap_or_default();
    let now = kubelet_process::files_at(
        ctx.cluster.config(),
        ctx.cluster.store(),
        ctx.cluster.runtime(),
        pod,
        container,
        ctx.now(),
    );
    (recorded, now)
}

/// The kubelet's record after a session that saw `seen` changes and
/// ended with `after`: the record before it, and what the session itself
/// changed (the container's own writes stay its process's).
pub(crate) fn session_files(
    recorded: crate::sim::process::fs::Changes,
    after: &crate::sim::process::fs::Changes,
    seen: usize,
) -> crate::sim::process::fs::Changes {
    recorded.into_iter().chain(after.iter().skip(seen).cloned()).collect()
}

/// Keeps what an exec session changed in the container's filesystem for
/// the rest of the container's run.
pub(crate) fn keep_files(
    ctx: &mut Ctx<'_>,
    pod: &Pod,
    container: &str,
    changes: crate::sim::process::fs::Changes,
) {
    if let Some(run) = ctx.cluster.runtime_mut().container_run_mut(pod, container) {
        run.files = changes;
    }
}

/// Keeps what an exec session did to the container's processes: the
/// pids it used up, and the SIGHUPs it sent the main process (an nginx
/// master re-reads its configuration then).
pub(crate) fn keep_processes(
    ctx: &mut Ctx<'_>,
    pod: &Pod,
    container: &str,
    last_pid: Option<u32>,
    hangups: &[(k8s_openapi::jiff::Timestamp, usize)],
) {
    if let Some(run) = ctx.cluster.runtime_mut().container_run_mut(pod, container) {
        run.last_pid = last_pid;
        run.hangups.extend_from_slice(hangups);
    }
}

/// kubectl's ending for a command that exited with `code`.
fn finish(ctx: &mut Ctx<'_>, code: i32) -> Result<(), KubectlError> {
    if code == 0 {
        return Ok(());
    }
    ctx.stderr(format!("command terminated with exit code {code}\n"));
    Err(KubectlError::Exit(code))
}

/// The runtime's answer for an executable the image does not have. runc
/// 1.1 (`libcontainer/standard_init_linux.go`) wording; through dockershim
/// the error reaches the exec stream and exits 126 (e.g.
/// joeferner/redis-commander#516), through containerd's CRI it fails the
/// exec request itself (`Internal error occurred: error executing command
/// in container: ...`, nigelpoulton/TheK8sBook#30).
fn not_found(ctx: &mut Ctx<'_>, pod: &Pod, program: &str) -> Result<(), KubectlError> {
    let oci = format!(
        "OCI runtime exec failed: exec failed: unable to start container process: exec: \
         \"{program}\": executable file not found in $PATH: unknown"
    );
    if flavor::flavor(ctx.cluster.config()).runtime == "containerd" {
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let now = ctx.now().to_string();
        let id = hex_digest(ctx.cluster.config().seed, &[&uid, program, &now], 64);
        // The stream's error carries the Status message, not a StatusError:
        // `error: Internal error occurred: ...`.
        return Err(KubectlError::msg(format!(
            "Internal error occurred: error executing command in container: failed to exec in \
             container: failed to start exec \"{id}\": {oci}"
        )));
    }
    ctx.stdout(format!("{oci}\n"));
    finish(ctx, 126)
}

/// The pod a `POD` or `TYPE/NAME` argument names (`AttachablePodForObject`).
fn pod_of(ctx: &mut Ctx<'_>, ns: &str, target: &str) -> Result<Pod, KubectlError> {
    let name = match target.split_once('/') {
        None => target.to_owned(),
        Some((ty, name)) => {
            let kind = resource::resolve_one(ctx.cluster.registry(), ty)?;
            super::logs::pod_for_object(ctx, kind, ns, name)?
        }
    };
    let r = ObjectRef::namespaced(Kind::Pod, ns, &name);
    let object = ctx.cluster.get(&r)?;
    Ok(Pod::from_object(object).cloned().unwrap_or_default())
}

/// `-c NAME` (checked by the API server's `streamLocation`, v1.22
/// `pkg/registry/core/pod/strategy.go`), or the default container
/// (`podcmd.FindOrDefaultContainerByName`, with its notice when the pod
/// has several).
pub(crate) fn container_of(
    ctx: &mut Ctx<'_>,
    pod: &Pod,
    name: Option<&str>,
    quiet: bool,
) -> Result<Container, KubectlError> {
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let spec = pod.spec.clone().unwrap_or_default();
    if let Some(name) = name.filter(|n| !n.is_empty()) {
        let all = spec.containers.iter().chain(spec.init_containers.iter().flatten());
        return all.into_iter().find(|c| c.name == name).cloned().ok_or_else(|| {
            KubectlError::Api(ApiError::BadRequest(format!(
                "container {name} is not valid for pod {pod_name}"
            )))
        });
    }
    let annotated = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubectl.kubernetes.io/default-container"))
        .and_then(|n| spec.containers.iter().find(|c| c.name == *n));
    if let Some(c) = annotated {
        return Ok(c.clone());
    }
    let first = spec.containers.first().cloned().unwrap_or_default();
    if spec.containers.len() > 1 && !quiet {
        let mut names: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
        names.extend(spec.init_containers.iter().flatten().map(|c| format!("{} (init)", c.name)));
        ctx.stderr(format!(
            "Defaulted container \"{}\" out of: {}\n",
            first.name,
            names.join(", ")
        ));
    }
    Ok(first)
}

/// The API server needs a node to proxy to; the kubelet needs the
/// container running (`container not found ("NAME")`, its plain-text
/// answer, which kubectl reports as a failed connection upgrade).
fn check_running(pod: &Pod, container: &Container) -> Result<(), KubectlError> {
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    if podutil::node_name(pod).is_none() {
        return Err(KubectlError::Api(ApiError::BadRequest(format!(
            "pod {pod_name} does not have a host assigned"
        ))));
    }
    let running = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|all| all.iter().find(|s| s.name == container.name))
        .and_then(|s| s.state.as_ref())
        .is_some_and(|s| s.running.is_some());
    if !running {
        return Err(KubectlError::msg(format!(
            "unable to upgrade connection: container not found (\"{}\")",
            container.name
        )));
    }
    Ok(())
}
