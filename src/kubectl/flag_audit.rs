//! No flag is parsed and ignored: after a verb runs, every flag the user
//! gave must have been read by the verb ([`Invocation::consult`] and the
//! value accessors record it), or be a global flag whose effect kubeplay
//! reproduces by doing nothing. Anything else is `unsupported`, naming the
//! flag, so a tutorial that relies on it never passes by accident.

use super::args::Invocation;

/// What kubeplay does with one of kubectl's global flags when no verb reads
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalFlag {
    /// Nothing kubeplay shows depends on it; the reason says why.
    NoObservableEffect(&'static str),
    /// It changes what kubectl does or prints in ways kubeplay does not
    /// reproduce.
    Unsupported,
}

/// The decision for each global flag (`kubectl options`, v1.22 and
/// v1.27–v1.33). A flag not listed is unsupported.
pub fn global_flag(name: &str, value: &str) -> GlobalFlag {
    use GlobalFlag::*;
    match name {
        // No simulated request ever waits on a network.
        "request-timeout" => NoObservableEffect("no simulated request waits on a network"),
        // The discovery cache only saves requests; nothing printed changes.
        "cache-dir" => NoObservableEffect("the discovery cache changes no output"),
        // The emulated kubectl is always the cluster's version, so
        // `--match-server-version` always passes.
        "match-server-version" => NoObservableEffect("client and server versions always match"),
        // Response compression is invisible to the user.
        "disable-compression" => NoObservableEffect("compression is invisible"),
        // klog's flush period: kubeplay's kubectl writes no klog lines.
        "log-flush-frequency" => NoObservableEffect("kubeplay's kubectl writes no klog lines"),
        // The default kubeconfig named explicitly (`--kubeconfig=/root/.kube/config`
        // in KodeKloud labs): kubeplay's one cluster is that file's context.
        "kubeconfig" if value.ends_with("/.kube/config") => {
            NoObservableEffect("the default kubeconfig names kubeplay's one cluster")
        }
        // `--profile=none` is the default; another value writes a file.
        "profile" if value == "none" => NoObservableEffect("the default"),
        // `-v=0` is the default verbosity; higher levels log requests.
        "v" if matches!(value, "0" | "") => NoObservableEffect("the default verbosity"),
        "logtostderr" if value == "true" => NoObservableEffect("the default"),
        // Everything else selects another cluster or identity (`--context`,
        // `--as`, `--server`), changes what is logged (`-v=6`, `--vmodule`)
        // or how warnings count (`--warnings-as-errors`).
        _ => Unsupported,
    }
}

/// The first flag given to `inv` that its verb ignored, as the thing
/// kubeplay cannot emulate (`flag --hard of kubectl create quota`).
pub fn ignored_flag(inv: &Invocation) -> Option<String> {
    inv.unconsulted().into_iter().find_map(|name| {
        let own = inv.command.flags.iter().flat_map(|g| g.iter()).any(|f| f.name == name);
        let value = inv.flags.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        if !own && global_flag(name, value.unwrap_or_default()) != GlobalFlag::Unsupported {
            return None;
        }
        Some(format!("flag --{name} of {}", inv.command_path()))
    })
}
