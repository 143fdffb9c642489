//! The PriorityClass page (`describePriorityClass`,
//! `kubectl/pkg/describe/describe.go`): v1.24 added the PreemptionPolicy
//! line (checked in the k8s.io/kubectl v0.23.0 and v0.24.0 sources).

use crate::version::Fact;
use k8s_openapi::api::core::v1::Event;
use serde_json::Value;

use super::{DescribeEnv, LEVEL_0, Writer, events};
use crate::{kubectl::labels::format_labels, sim::GenericObject};

/// The page `kubectl describe priorityclass` prints.
pub fn describe_priority_class(
    pc: &GenericObject,
    pc_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let field = |k: &str| pc.fields.get(k);
    let mut w = Writer::default();
    let meta = &pc.metadata;
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    let value = field("value").and_then(Value::as_i64).unwrap_or_default();
    w.write(LEVEL_0, &format!("Value:\t{value}\n"));
    let global = field("globalDefault").and_then(Value::as_bool).unwrap_or_default();
    w.write(LEVEL_0, &format!("GlobalDefault:\t{global}\n"));
    if env.has(Fact::DescribePriorityClassPreemptionPolicy) {
        // Defaulting always sets it by then (NonPreemptingPriority GA).
        let policy = field("preemptionPolicy").and_then(Value::as_str).unwrap_or_default();
        w.write(LEVEL_0, &format!("PreemptionPolicy:\t{policy}\n"));
    }
    let description = field("description").and_then(Value::as_str).unwrap_or_default();
    w.write(LEVEL_0, &format!("Description:\t{description}\n"));
    w.write(LEVEL_0, &format!("Annotations:\t{}\n", format_labels(meta.annotations.as_ref())));
    if let Some(list) = pc_events {
        events(&mut w, list, env);
    }
    w.finish()
}
