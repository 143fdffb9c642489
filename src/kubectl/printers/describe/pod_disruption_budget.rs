//! `describePodDisruptionBudget` (`kubectl/pkg/describe/describe.go`; the
//! page is the same from v1.10 to v1.35, for policy/v1beta1 and, from
//! v1.21, policy/v1 objects).
//!
//! Its `Status:` block is what the disruption controller computes
//! (`crate::sim::controllers::disruption`); zeros before its first sync.

use k8s_openapi::{
    api::{core::v1::Event, policy::v1::PodDisruptionBudget},
    apimachinery::pkg::util::intstr::IntOrString,
};

use super::{DescribeEnv, LEVEL_0, LEVEL_2, Writer, events};
use crate::kubectl::{error::KubectlError, labels::format_label_selector};

/// The page `kubectl describe pdb` prints.
pub fn describe_pod_disruption_budget(
    pdb: &PodDisruptionBudget,
    pdb_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> Result<String, KubectlError> {
    let status = pdb.status.clone().unwrap_or_default();
    let spec = pdb.spec.clone().unwrap_or_default();
    let meta = &pdb.metadata;
    let mut w = Writer::default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    let text = |v: &IntOrString| match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    if let Some(min) = &spec.min_available {
        w.write(LEVEL_0, &format!("Min available:\t{}\n", text(min)));
    } else if let Some(max) = &spec.max_unavailable {
        w.write(LEVEL_0, &format!("Max unavailable:\t{}\n", text(max)));
    }
    match &spec.selector {
        Some(s) => w.write(LEVEL_0, &format!("Selector:\t{}\n", format_label_selector(Some(s)))),
        None => w.write(LEVEL_0, "Selector:\t<unset>\n"),
    }
    w.write(LEVEL_0, "Status:\n");
    w.write(LEVEL_2, &format!("Allowed disruptions:\t{}\n", status.disruptions_allowed));
    w.write(LEVEL_2, &format!("Current:\t{}\n", status.current_healthy));
    w.write(LEVEL_2, &format!("Desired:\t{}\n", status.desired_healthy));
    w.write(LEVEL_2, &format!("Total:\t{}\n", status.expected_pods));
    if let Some(list) = pdb_events {
        events(&mut w, list, env);
    }
    Ok(w.finish())
}
