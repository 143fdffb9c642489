//! `minikube kubectl -- ARGS`: minikube runs a kubectl of the cluster's
//! version with ARGS, so on the simulator it is plain `kubectl ARGS`.
//!
//! Upstream (`kubernetes/minikube` `cmd/minikube/cmd/kubectl.go`) the
//! `kubectl` subcommand is an ordinary cobra command: cobra parses flags
//! before `--` as minikube's own, so `minikube kubectl get pods -A` fails
//! with cobra's unknown-flag error and minikube exits with
//! `reason.ExProgramUsage` (64, `cmd/minikube/cmd/root.go` `Execute`).
//! Arguments after `--` (and flag-free arguments before it) go to kubectl,
//! to which minikube appends `--cluster <profile>`; the simulator has one
//! cluster, so that flag changes nothing and is left out.

use crate::output::CommandOutput;

/// minikube's exit status on a command-line usage error.
const EX_PROGRAM_USAGE: i32 = 64;

/// The kubectl argv that `argv` (a `minikube kubectl ...` line) runs, or the
/// error minikube prints; `None` when `argv` is not `minikube kubectl`.
pub fn kubectl_argv(argv: &[String]) -> Option<Result<Vec<String>, CommandOutput>> {
    if argv.first().map(String::as_str) != Some("minikube")
        || argv.get(1).map(String::as_str) != Some("kubectl")
    {
        return None;
    }
    let rest = &argv[2..];
    let (before, after) = match rest.iter().position(|a| a == "--") {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &rest[rest.len()..]),
    };
    // minikube's own persistent flags (`-p`, `--alsologtostderr`, ...) are
    // not emulated: any flag before `--` is reported as cobra reports an
    // unknown one (`spf13/pflag` `flag.go` `failf`).
    if let Some(flag) = before.iter().find(|a| a.starts_with('-') && a.len() > 1) {
        let message = match flag.strip_prefix("--") {
            Some(long) => format!("unknown flag: --{}", long.split('=').next().unwrap_or(long)),
            None => {
                let c = flag[1..].chars().next().unwrap_or('-');
                format!("unknown shorthand flag: '{c}' in {flag}")
            }
        };
        return Some(Err(CommandOutput::failure(
            format!("Error: {message}\nSee 'minikube kubectl --help' for usage.\n"),
            EX_PROGRAM_USAGE,
        )));
    }
    let mut kubectl = vec!["kubectl".to_owned()];
    kubectl.extend(before.iter().cloned());
    kubectl.extend(after.iter().cloned());
    Some(Ok(kubectl))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn passes_arguments_through_to_kubectl() {
        let ok = |line: &str| kubectl_argv(&argv(line)).unwrap().unwrap().join(" ");
        assert_eq!(ok("minikube kubectl -- get pods -A"), "kubectl get pods -A");
        assert_eq!(ok("minikube kubectl get nodes"), "kubectl get nodes");
        assert_eq!(ok("minikube kubectl create namespace ns"), "kubectl create namespace ns");
        assert!(kubectl_argv(&argv("minikube start")).is_none());
        assert!(kubectl_argv(&argv("kubectl get pods")).is_none());
    }

    #[test]
    fn flags_before_the_separator_are_minikube_usage_errors() {
        let err =
            kubectl_argv(&argv("minikube kubectl get pods --all-namespaces")).unwrap().unwrap_err();
        assert_eq!(
            err.merged(),
            "Error: unknown flag: --all-namespaces\nSee 'minikube kubectl --help' for usage.\n"
        );
        assert_eq!(err.status, 64);
        let err = kubectl_argv(&argv("minikube kubectl get pods -n x")).unwrap().unwrap_err();
        assert!(err.merged().starts_with("Error: unknown shorthand flag: 'n' in -n\n"));
    }
}
