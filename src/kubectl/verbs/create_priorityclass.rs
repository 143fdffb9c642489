//! `kubectl create priorityclass NAME --value=V [--global-default]
//! [--description=D] [--preemption-policy=P]`
//! (`pkg/cmd/create/create_priorityclass.go`): a scheduling.k8s.io/v1
//! PriorityClass; the preemption policy is always sent, its flag defaulting
//! to `PreemptLowerPriority` (`NewPriorityClassOptions`).

use serde_json::json;

use super::{Ctx, create::name_arg, create_job::create};
use crate::kubectl::error::KubectlError;

/// Runs `kubectl create priorityclass`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let inv = ctx.inv;
    let value = inv.int("value").unwrap_or(0);
    let policy = inv.value("preemption-policy").unwrap_or("PreemptLowerPriority").to_owned();
    let mut object = json!({
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
        "metadata": {"name": name},
        "value": value,
        "preemptionPolicy": policy,
    });
    // `GlobalDefault` and `Description` are omitempty.
    if inv.bool("global-default") {
        object["globalDefault"] = json!(true);
    }
    if let Some(d) = inv.value("description").filter(|d| !d.is_empty()) {
        object["description"] = json!(d);
    }
    create(ctx, object, "priorityclass")
}
