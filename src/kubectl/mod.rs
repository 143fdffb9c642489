//! kubectl emulation on top of [`crate::sim`]: argv parsing, verbs, printers
//! (tables, describe), and kubectl's exact messages and exit codes.
//!
//! The emulated kubectl is v1.22 (the version of the seed tutorial), with
//! version checks where later releases changed a text. Arguments are parsed
//! by a small pflag/cobra replica ([`args`], [`commands`]) rather than clap,
//! because kubectl's own error texts and grammar quirks are part of what
//! tutorials show (see [`args`]).

pub mod args;
pub mod commands;
pub mod deployutil;
pub mod discovery_cache;
pub mod error;
pub mod explain;
pub mod field_manager;
pub mod field_validation;
pub mod fields;
pub mod flag_audit;
pub mod impersonation;
pub mod jsonpath;
pub mod kubeconfig;
pub mod kustomize;
pub mod labels;
pub mod manifest;
pub mod messages;
pub mod name_hash;
pub mod patch;
pub mod policy_rules;
pub mod printers;
pub mod reads;
pub mod resource;
pub mod sort;
pub mod terminal;
pub mod upstream;
pub mod verbs;
pub mod watch;

use crate::{
    output::{CommandOutput, Stream},
    sim::Cluster,
    workspace::Workspace,
};
use args::ParseError;
use error::KubectlError;

/// Runs one kubectl invocation. `argv[0]` is `"kubectl"`. Never panics;
/// returns kubectl's exact output and exit status.
/// Each call reads a fresh copy of the profile's kubeconfig; a scenario
/// keeps one across commands with [`run_in`].
pub fn run(cluster: &mut Cluster, argv: &[String], workspace: &Workspace) -> CommandOutput {
    run_with(cluster, argv, workspace, None)
}

/// [`run_with`] reading and writing `kubeconfig`, the scenario's client
/// state (`kubectl config set-context`, the context's namespace).
pub fn run_in(
    cluster: &mut Cluster,
    kubeconfig: &mut kubeconfig::Kubeconfig,
    argv: &[String],
    workspace: &Workspace,
    interrupt: Option<&watch::Interrupt>,
) -> CommandOutput {
    audited(cluster, kubeconfig, argv, workspace, interrupt, None).0
}

/// [`run`], for a command that may never exit by itself (`get -w`):
/// `interrupt` tells when the reader presses Ctrl-C.
pub fn run_with(
    cluster: &mut Cluster,
    argv: &[String],
    workspace: &Workspace,
    interrupt: Option<&watch::Interrupt>,
) -> CommandOutput {
    let mut kubeconfig = kubeconfig::Kubeconfig::for_cluster(cluster);
    audited(cluster, &mut kubeconfig, argv, workspace, interrupt, None).0
}

/// [`run`] for a command that opens an interactive session (`exec -it POD
/// -- sh`): the lines on `terminal` are typed at the session's prompt.
pub fn run_session(
    cluster: &mut Cluster,
    kubeconfig: &mut kubeconfig::Kubeconfig,
    argv: &[String],
    workspace: &Workspace,
    terminal: &mut terminal::Terminal,
) -> CommandOutput {
    audited(cluster, kubeconfig, argv, workspace, None, Some(terminal)).0
}

/// [`invoke`], also telling which flags the verb never read (empty when
/// parsing failed).
fn audited(
    cluster: &mut Cluster,
    kubeconfig: &mut kubeconfig::Kubeconfig,
    argv: &[String],
    workspace: &Workspace,
    interrupt: Option<&watch::Interrupt>,
    terminal: Option<&mut terminal::Terminal>,
) -> (CommandOutput, Vec<&'static str>) {
    // Derived from the cluster's one typed version, for the printers and
    // messages that switch on the minor release.
    let minor = cluster.config().version.minor();
    let mut out = CommandOutput::default();
    let inv = match args::parse_at(argv, minor) {
        Ok(inv) => inv,
        Err(err) => {
            let err = parse_error(err);
            if let KubectlError::Unsupported(what) = err {
                return (CommandOutput::unsupported(what), Vec::new());
            }
            out.write(Stream::Stderr, err.render(minor));
            out.status = err.status();
            return (out, Vec::new());
        }
    };
    // A panic below is a bug in kubeplay, not kubectl output: it unwinds to
    // the runner, which reports the scenario as `error` (never matched).
    let mut inner = CommandOutput::default();
    // Warnings go first into the verb's own output, so that what an
    // interrupt sees is what the terminal shows.
    for warning in &inv.warnings {
        inner.write(Stream::Stderr, warning.clone());
    }
    let mut ctx = verbs::Ctx {
        cluster: &mut *cluster,
        kubeconfig,
        workspace,
        argv,
        inv: &inv,
        out: &mut inner,
        minor,
        interrupt,
        terminal,
    };
    let result = verbs::dispatch(&mut ctx);
    if let Some(what) = ctx.terminal.as_ref().and_then(|t| t.unsupported.clone()) {
        return (CommandOutput::unsupported(what), Vec::new());
    }
    let unconsulted = inv.unconsulted();
    // A flag given and never read was ignored: kubeplay cannot say what
    // real kubectl would have done with it. A usage error (`error: exactly
    // one NAME is required`) comes from kubectl's argument checks, before
    // any flag could change the outcome; an API error could have been
    // avoided by a flag (`--dry-run=client`, `--ignore-not-found`).
    let usage_error = matches!(result, Err(KubectlError::Message(_) | KubectlError::Cobra { .. }));
    if !usage_error && let Some(what) = flag_audit::ignored_flag(&inv) {
        return (CommandOutput::unsupported(what), unconsulted);
    }
    out.chunks.extend(inner.chunks);
    out.written.extend(inner.written);
    if let Some(what) = result.as_ref().err().and_then(|e| e.limitation()) {
        return (CommandOutput::unsupported(what), unconsulted);
    }
    if let Err(err) = result {
        out.write(Stream::Stderr, err.render(minor));
        out.status = err.status();
    }
    (out, unconsulted)
}

fn parse_error(err: ParseError) -> KubectlError {
    match err {
        ParseError::UnknownCommand { name, suggestions } => KubectlError::Cobra {
            message: messages::unknown_command(&name, &suggestions),
            run_hint: true,
        },
        ParseError::FlagsBeforePlugin(flag) => {
            KubectlError::Plugin(messages::flags_before_plugin(&flag))
        }
        ParseError::Flag { command_path, message } => KubectlError::Cobra {
            message: messages::flag_error(&message, &command_path),
            run_hint: false,
        },
        ParseError::RequiredFlags(names) => {
            KubectlError::Cobra { message: messages::required_flags(&names), run_hint: false }
        }
        ParseError::UnsupportedCommand(path) => KubectlError::unsupported(path),
        ParseError::Help { command_path } => {
            KubectlError::unsupported(format!("kubectl's help text (`{command_path} --help`)"))
        }
    }
}

/// Whether this invocation watches until something happens, printing as
/// it goes: `rollout status` (unless `--watch=false`), `get -w|--watch-only`
/// (which never ends by itself: see [`watch::Interrupt`]).
pub fn is_blocking(argv: &[String]) -> bool {
    let Ok(inv) = args::parse(argv) else { return false };
    let Some((path, _)) = args::command_words(argv) else { return false };
    match path.as_slice() {
        ["rollout", "status"] => inv.value("watch").is_none_or(|w| w != "false"),
        ["get"] => inv.bool("watch") || inv.bool("watch-only"),
        // Forward or serve until interrupted (in the foreground, nothing
        // connects).
        ["port-forward" | "proxy"] => true,
        _ => false,
    }
}

/// Whether re-running this invocation without other input can only observe
/// state (`get`, `describe`, `logs`, `top`, `rollout history|status`,
/// `version`, `api-resources`, `cluster-info`, `explain`, ...). The runner
/// retries such commands ("eventually") until they match.
pub fn is_read_only(argv: &[String]) -> bool {
    let Some((path, _)) = args::command_words(argv) else { return false };
    matches!(
        path.as_slice(),
        ["get"]
            | ["describe"]
            | ["logs"]
            // The container interpreter has no writes (no redirections) and
            // its network clients only read, so an exec observes.
            | ["exec"]
            | ["top", ..]
            | ["version"]
            | ["api-resources"]
            | ["api-versions"]
            | ["cluster-info", ..]
            | ["explain"]
            | ["rollout", "history" | "status"]
            | ["wait"]
            | ["diff"]
            | ["auth", "can-i" | "whoami"]
            | ["config", "view" | "get-contexts" | "current-context" | "get-clusters" | "get-users"]
    )
}
#[cfg(test)]
mod builtins_roundtrip_tests;
#[cfg(test)]
mod flag_audit_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_drain;
#[cfg(test)]
mod tests_managed_fields;
#[cfg(test)]
mod tests_rbac;
#[cfg(test)]
mod version_probe_tests;
