//! `describeQuota`, `DescribeResourceQuotas` (the Resource Quotas section
//! of `describe namespace`) and their scope help texts
//! (`kubectl/pkg/describe/describe.go`, unchanged from v1.10 to v1.35).

use k8s_openapi::api::core::v1::ResourceQuota;

use super::{LEVEL_0, LEVEL_1, Writer};
use crate::{
    quantity::Quantity,
    sim::quota::{ResourceList, parse_list},
};

/// The page `kubectl describe quota` prints (no labels, no events).
pub fn describe_quota(q: &ResourceQuota) -> String {
    let mut w = Writer::default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", q.metadata.name.as_deref().unwrap_or_default()));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", q.metadata.namespace.as_deref().unwrap_or_default()),
    );
    let scopes = scopes(q);
    if !scopes.is_empty() {
        w.write(LEVEL_0, &format!("Scopes:\t{}\n", scopes.join(", ")));
        for help in scopes.iter().filter_map(|s| help_text(s)) {
            w.write(LEVEL_0, &format!(" * {help}\n"));
        }
    }
    w.write(LEVEL_0, "Resource\tUsed\tHard\n");
    w.write(LEVEL_0, "--------\t----\t----\n");
    let (hard, used) = status(q);
    for (name, h) in &hard {
        // A used amount in another format than its limit is shown as the
        // limit's format would write its whole value (`NewQuantity(
        // used.Value(), hard.Format)`).
        let u = used.get(name).copied().unwrap_or(Quantity::ZERO);
        let u = if u.format() == h.format() { u } else { u.rounded_as(h.format()) };
        w.write(LEVEL_0, &format!("{name}\t{u}\t{h}\n"));
    }
    w.finish()
}

/// The Resource Quotas section of `describe namespace`, quotas by name.
pub fn describe_quotas(quotas: &[ResourceQuota], w: &mut Writer) {
    if quotas.is_empty() {
        w.write(LEVEL_0, "No resource quota.\n");
        return;
    }
    w.write(LEVEL_0, "Resource Quotas\n");
    for q in quotas {
        w.write(LEVEL_1, &format!("Name:\t{}\n", q.metadata.name.as_deref().unwrap_or_default()));
        let scopes = scopes(q);
        if !scopes.is_empty() {
            w.write(LEVEL_1, &format!("Scopes:\t{}\n", scopes.join(", ")));
            for help in scopes.iter().filter_map(|s| help_text(s)) {
                w.write(LEVEL_1, &format!("* {help}\n"));
            }
        }
        w.write(LEVEL_1, "Resource\tUsed\tHard\n");
        w.write(LEVEL_1, "--------\t---\t---\n");
        let (hard, used) = status(q);
        for (name, h) in &hard {
            let u = used.get(name).copied().unwrap_or(Quantity::ZERO);
            w.write(LEVEL_1, &format!("{name}\t{u}\t{h}\n"));
        }
    }
}

fn scopes(q: &ResourceQuota) -> Vec<String> {
    let mut scopes = q.spec.as_ref().and_then(|s| s.scopes.clone()).unwrap_or_default();
    scopes.sort();
    scopes
}

fn status(q: &ResourceQuota) -> (ResourceList, ResourceList) {
    let status = q.status.as_ref();
    (
        parse_list(status.and_then(|s| s.hard.as_ref())),
        parse_list(status.and_then(|s| s.used.as_ref())),
    )
}

/// `helpTextForResourceQuotaScope`.
fn help_text(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "Terminating" => {
            "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system."
        }
        "NotTerminating" => {
            "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate."
        }
        "BestEffort" => {
            "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service."
        }
        "NotBestEffort" => {
            "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn quota() -> ResourceQuota {
        serde_json::from_value(json!({
            "metadata": {"name": "mem-cpu-demo", "namespace": "demo"},
            "spec": {"hard": {"requests.cpu": "1", "requests.memory": "1Gi", "pods": "2"},
                     "scopes": ["NotBestEffort"]},
            "status": {"hard": {"requests.cpu": "1", "requests.memory": "1Gi", "pods": "2"},
                       "used": {"requests.cpu": "500m", "requests.memory": "0", "pods": "1"}}
        }))
        .unwrap()
    }

    /// A line without a tab (the scope's help text) ends a tabwriter
    /// block: the header and the resource table align separately.
    #[test]
    fn quota_page() {
        let expected = "\
Name:       mem-cpu-demo
Namespace:  demo
Scopes:     NotBestEffort
 * Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.
Resource         Used  Hard
--------         ----  ----
pods             1     2
requests.cpu     500m  1
requests.memory  0     1Gi
";
        assert_eq!(describe_quota(&quota()), expected);
    }

    #[test]
    fn namespace_section() {
        let mut w = Writer::default();
        describe_quotas(&[quota()], &mut w);
        let expected = "\
Resource Quotas
  Name:    mem-cpu-demo
  Scopes:  NotBestEffort
  * Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.
  Resource         Used  Hard
  --------         ---   ---
  pods             1     2
  requests.cpu     500m  1
  requests.memory  0     1Gi
";
        assert_eq!(w.finish(), expected);
    }
}
