//! `kubectl cp SRC DEST` (`kubectl/pkg/cmd/cp/cp.go`): a file between the
//! scenario's workspace and a running container, in either direction.
//!
//! kubectl runs `tar` in the container through the exec API:
//! - to the pod, `test -d DEST` first (a directory receives the file under
//!   its own name), then `tar -xmf - -C DIR` (`-m`: the file's mtime is the
//!   time of extraction); nothing is printed;
//! - from the pod, `tar cf - SRC`, whose stderr kubectl writes to its
//!   *stdout* (`ErrOut: o.Out`): an absolute SRC makes the container's tar
//!   say it strips the leading `/` (GNU tar's `Removing leading `/' from
//!   member names`, busybox's `removing leading '/' from member names`).
//!
//! The argument checks are kubectl's own, identical in v1.18's source and
//! the v1.27–v1.33 binaries. What is not modelled is `unsupported`, named:
//! directories, a missing source (tar's and kubectl's messages for it
//! changed across releases), a local directory as destination, and a pod
//! with several containers and no `-c` (which container and notice).
//! Relative container paths resolve from `/`, as the exec shell's do.

use k8s_openapi::api::core::v1::Pod;

use super::{Ctx, exec};
use crate::{
    kubectl::error::KubectlError,
    sim::{
        Kind, ObjectRef, Resource,
        controllers::kubelet_process,
        podutil,
        process::{
            fs::{Fs, FsError, Node},
            userland::{self, Userland},
        },
    },
};

/// `[[namespace/]pod:]file/path` (`extractFileSpec`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileSpec {
    /// `Some((namespace, pod))` for a remote file.
    pod: Option<(Option<String>, String)>,
    file: String,
}

/// `errFileSpecDoesntMatchFormat`.
const BAD_SPEC: &str = "filespec must match the canonical format: [[namespace/]pod:]file/path";

fn file_spec(arg: &str) -> Result<FileSpec, KubectlError> {
    let Some(i) = arg.find(':') else {
        return Ok(FileSpec { pod: None, file: arg.to_owned() });
    };
    let (pod, file) = (&arg[..i], &arg[i + 1..]);
    let pieces: Vec<&str> = pod.split('/').collect();
    let pod = match pieces.as_slice() {
        _ if i == 0 => return Err(KubectlError::msg(BAD_SPEC)),
        [name] => (None, (*name).to_owned()),
        [ns, name] => (Some((*ns).to_owned()), (*name).to_owned()),
        _ => return Err(KubectlError::msg(BAD_SPEC)),
    };
    Ok(FileSpec { pod: Some(pod), file: file.to_owned() })
}

/// Runs `kubectl cp`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let args = ctx.inv.args.clone();
    if args.len() < 2 {
        return Err(KubectlError::msg("source and destination are required"));
    }
    if args.len() > 2 {
        return Err(KubectlError::unsupported("kubectl cp with more than two arguments"));
    }
    let (src, dest) = (file_spec(&args[0])?, file_spec(&args[1])?);
    match (&src.pod, &dest.pod) {
        (Some(_), Some(_)) => Err(KubectlError::unsupported("kubectl cp from a pod to a pod")),
        (Some(pod), None) => from_pod(ctx, pod, &src.file, &dest.file),
        (None, Some(pod)) => to_pod(ctx, &src.file, pod, &dest.file),
        (None, None) => {
            Err(KubectlError::msg("one of src or dest must be a remote file specification"))
        }
    }
}

/// The running container a copy goes through, its filesystem now, and
/// its userland (which `tar`).
struct Target {
    pod: Pod,
    container: String,
    fs: Fs,
    land: Userland,
    /// The kubelet's record of the sessions' changes, and how many
    /// changes `fs` started from ([`exec::session_files`]).
    recorded: crate::sim::process::fs::Changes,
    seen: usize,
}

fn target(
    ctx: &mut Ctx<'_>,
    (ns, name): &(Option<String>, String),
) -> Result<Target, KubectlError> {
    let ns = ns.clone().unwrap_or_else(|| ctx.namespace());
    let object = ctx.cluster.get(&ObjectRef::namespaced(Kind::Pod, &ns, name))?;
    let pod = Pod::from_object(object).cloned().unwrap_or_default();
    let spec = pod.spec.clone().unwrap_or_default();
    let chosen = ctx.inv.value("container").filter(|c| !c.is_empty());
    if chosen.is_none() && spec.containers.len() > 1 {
        return Err(KubectlError::unsupported(
            "kubectl cp in a pod with several containers without -c",
        ));
    }
    let container = exec::container_of(ctx, &pod, chosen, true)?;
    let phase = podutil::phase(&pod);
    let running = pod.status.iter().flat_map(|s| s.container_statuses.iter().flatten()).any(|s| {
        s.name == container.name && s.state.as_ref().is_some_and(|st| st.running.is_some())
    });
    if !running || phase != "Running" {
        return Err(KubectlError::unsupported("kubectl cp with a container that is not running"));
    }
    // kubectl runs `tar` (and `test -d`) in the container: processes
    // whose pids kubeplay does not follow.
    exec::keep_processes(ctx, &pod, &container.name, None, &[]);
    let context = kubelet_process::context(ctx.cluster.store(), &pod, &container, ctx.now());
    let (recorded, changes) = exec::files_now(ctx, &pod, &container);
    let fs = Fs::new(&context.image, &context.files, &context.mounts, &changes);
    let land = userland::userland(&context.image);
    Ok(Target { land, pod, container: container.name, fs, recorded, seen: changes.len() })
}

/// A filesystem error of a part kubeplay does not model, or one whose
/// wording through tar and kubectl is not modelled.
fn unmodelled(what: &str, err: FsError) -> KubectlError {
    match err {
        FsError::Unknown(path) => KubectlError::unsupported(format!(
            "kubectl cp {what}: {path} lies in a part of the image kubeplay does not model"
        )),
        other => {
            KubectlError::unsupported(format!("kubectl cp {what}: tar's error ({})", other.text()))
        }
    }
}

/// `copyToPod`.
fn to_pod(
    ctx: &mut Ctx<'_>,
    src: &str,
    pod: &(Option<String>, String),
    dest: &str,
) -> Result<(), KubectlError> {
    if src.is_empty() || dest.is_empty() {
        return Err(KubectlError::msg("filepath can not be empty"));
    }
    let Some(text) = ctx.workspace.read(src).map(str::to_owned) else {
        return Err(KubectlError::unsupported(
            "kubectl cp of a local path that is not a file (a directory, or missing)",
        ));
    };
    let mut t = target(ctx, pod)?;
    // `dest.File` loses a trailing slash; a directory (`test -d`) gets the
    // file under its base name.
    let mut path = userland::resolve("/", dest);
    if matches!(t.fs.node(&path), Node::Dir { .. }) {
        let name = src.trim_end_matches('/').rsplit('/').next().unwrap_or(src);
        path = userland::resolve(&path, name);
    }
    t.fs.write(&path, &text, false, ctx.now()).map_err(|e| unmodelled("into the pod", e))?;
    let kept = exec::session_files(t.recorded, t.fs.changes(), t.seen);
    exec::keep_files(ctx, &t.pod, &t.container, kept);
    Ok(())
}

/// `copyFromPod`.
fn from_pod(
    ctx: &mut Ctx<'_>,
    pod: &(Option<String>, String),
    src: &str,
    dest: &str,
) -> Result<(), KubectlError> {
    if src.is_empty() || dest.is_empty() {
        return Err(KubectlError::msg("filepath can not be empty"));
    }
    let t = target(ctx, pod)?;
    let path = userland::resolve("/", src);
    let text = match t.fs.node(&path) {
        Node::File(text, _) => text,
        Node::Dir { .. } => {
            return Err(KubectlError::unsupported("kubectl cp of a directory from a pod"));
        }
        Node::Missing => return Err(unmodelled("from the pod", FsError::NotFound)),
        Node::Unknown => return Err(unmodelled("from the pod", FsError::Unknown(path))),
    };
    let local = ctx.workspace.resolve(dest);
    let prefix = format!("{local}/");
    if ctx.workspace.files().any(|(p, _)| p.starts_with(&prefix)) {
        return Err(KubectlError::unsupported("kubectl cp into a local directory"));
    }
    if src.starts_with('/') {
        // The container's tar, on kubectl's stdout.
        ctx.stdout(if t.land.gnu() {
            "tar: Removing leading `/' from member names\n"
        } else {
            "tar: removing leading '/' from member names\n"
        });
    }
    ctx.out.written.push((local, text));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_specs_as_kubectl_splits_them() {
        let spec = |a: &str| file_spec(a).map_err(|_| ());
        assert_eq!(spec("/tmp/x"), Ok(FileSpec { pod: None, file: "/tmp/x".into() }));
        assert_eq!(
            spec("web:/usr/share"),
            Ok(FileSpec { pod: Some((None, "web".into())), file: "/usr/share".into() })
        );
        assert_eq!(
            spec("ns/web:x"),
            Ok(FileSpec { pod: Some((Some("ns".into()), "web".into())), file: "x".into() })
        );
        assert!(spec("a/b/c:/x").is_err());
        assert!(spec(":/x").is_err());
    }
}
