//! The field manager a kubectl command writes as: the API server records
//! it in `metadata.managedFields`. From v1.19 each writing command names
//! its own (`cmdutil.AddFieldManagerFlagVar`, overridden by
//! `--field-manager`); a request that names none — every request before
//! v1.19, and `scale`, `cordon`, `drain` after — is managed by the
//! program name in kubectl's User-Agent (`managerOrUserAgent` in the
//! apiserver's handlers: `kubectl/v1.33.1 (linux/amd64) …` → `kubectl`).

use super::args::Invocation;
use crate::{sim::api::field_tracking::Manager, version::Fact};

/// The program name of kubectl's User-Agent.
pub const USER_AGENT_PROGRAM: &str = "kubectl";

/// `apply --server-side`'s default manager (`fieldManagerServerSideApply`,
/// and `--field-manager`'s default before v1.19).
pub const SERVER_SIDE_APPLY: &str = "kubectl";

/// The manager `apply` (client-side) and the other writing commands name
/// from v1.19 (`pkg/cmd/*`, kubectl v0.19.0–v0.35.0).
fn command_default(verb: &str, server_side: bool) -> Option<&'static str> {
    Some(match verb {
        "apply" if server_side => SERVER_SIDE_APPLY,
        "apply" => "kubectl-client-side-apply",
        "create" => "kubectl-create",
        "run" => "kubectl-run",
        "expose" => "kubectl-expose",
        "label" => "kubectl-label",
        "annotate" => "kubectl-annotate",
        "patch" => "kubectl-patch",
        "replace" => "kubectl-replace",
        "edit" => "kubectl-edit",
        "set" => "kubectl-set",
        "rollout" => "kubectl-rollout",
        "taint" => "kubectl-taint",
        "autoscale" => "kubectl-autoscale",
        _ => return None,
    })
}

/// The manager of the writes `inv` makes at minor `minor`; `None` where
/// the simulator does not attribute them (before managed fields existed,
/// and `scale` before the scale subresource was recorded as one).
pub fn for_command(inv: &Invocation, minor: u32) -> Option<Manager> {
    if !Fact::ManagedFieldsInResponses.holds_at(minor) {
        return None;
    }
    let verb = *inv.path.first()?;
    let has_flag =
        inv.command.flags.iter().flat_map(|g| g.iter()).any(|f| f.name == "field-manager");
    let given = if has_flag { inv.value("field-manager").filter(|v| !v.is_empty()) } else { None };
    let server_side = verb == "apply" && inv.bool("server-side");
    let named = if Fact::KubectlFieldManagers.holds_at(minor) {
        command_default(verb, server_side)
    } else if server_side {
        Some(SERVER_SIDE_APPLY)
    } else {
        None
    };
    let name = given.or(named).unwrap_or(USER_AGENT_PROGRAM).to_owned();
    let subresource = if verb == "scale" {
        if !Fact::ManagedFieldsSubresource.holds_at(minor) {
            return None;
        }
        Some("scale".to_owned())
    } else {
        None
    };
    Some(Manager { name, subresource })
}
