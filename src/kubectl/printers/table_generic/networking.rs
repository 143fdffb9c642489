//! Tables of networking kinds: Ingress, IngressClass, NetworkPolicy
//! (`printIngress`, `printIngressClass`, `printNetworkPolicy`,
//! `pkg/printers/internalversion/printers.go`).

use crate::version::Fact;
use std::collections::BTreeSet;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::Value;

use super::{Handler, c};
use crate::kubectl::labels::format_label_selector;

/// `ingressColumnDefinitions`: the Class column from v1.18.
pub(super) const INGRESS: Handler = Handler {
    columns: |env| {
        let mut cols = vec![c("Name")];
        if env.has(Fact::IngressClassColumn) {
            cols.push(c("Class"));
        }
        cols.extend([c("Hosts"), c("Address"), c("Ports"), c("Age")]);
        cols
    },
    cells: |row, env| {
        let mut cells = vec![row.name()];
        if env.has(Fact::IngressClassColumn) {
            cells.push(row.opt_str(&["spec", "ingressClassName"]).unwrap_or("<none>").to_owned());
        }
        let ports = if row.array(&["spec", "tls"]).is_empty() { "80" } else { "80, 443" };
        cells.extend([
            format_hosts(row.array(&["spec", "rules"])),
            load_balancer_address(row.array(&["status", "loadBalancer", "ingress"])),
            ports.to_owned(),
            row.age(env),
        ]);
        cells
    },
};

/// `ingressClassColumnDefinitions`: parameters as `Kind[.group]/name`.
pub(super) const INGRESS_CLASS: Handler = Handler {
    columns: |_| vec![c("Name"), c("Controller"), c("Parameters"), c("Age")],
    cells: |row, env| {
        let parameters = match row.object(&["spec", "parameters"]) {
            None => "<none>".to_owned(),
            Some(p) => {
                let s = |k: &str| p.get(k).and_then(Value::as_str);
                let mut text = s("kind").unwrap_or_default().to_owned();
                if let Some(group) = s("apiGroup") {
                    text = format!("{text}.{group}");
                }
                format!("{text}/{}", s("name").unwrap_or_default())
            }
        };
        vec![row.name(), row.str(&["spec", "controller"]).to_owned(), parameters, row.age(env)]
    },
};

/// `networkPolicyColumnDefinitioins` (sic): the pod selector.
pub(super) const NETWORK_POLICY: Handler = Handler {
    columns: |_| vec![c("Name"), c("Pod-Selector"), c("Age")],
    cells: |row, env| {
        let selector: Option<LabelSelector> =
            row.get(&["spec", "podSelector"]).and_then(|v| serde_json::from_value(v.clone()).ok());
        // `metav1.FormatLabelSelector(&obj.Spec.PodSelector)`: the field is a
        // struct, never nil, so an absent selector prints as the empty one.
        vec![row.name(), format_label_selector(Some(&selector.unwrap_or_default())), row.age(env)]
    },
};

/// `formatHosts`: up to three hosts, then `+ N more...`; `*` when no rule
/// names a host.
fn format_hosts(rules: &[Value]) -> String {
    const MAX: usize = 3;
    let mut list: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in rules {
        if list.len() == MAX {
            more = true;
        }
        let host = rule.get("host").and_then(Value::as_str).unwrap_or_default();
        if !more && !host.is_empty() {
            list.push(host);
        }
    }
    if list.is_empty() {
        return "*".to_owned();
    }
    let text = list.join(",");
    if more { format!("{text} + {} more...", rules.len() - MAX) } else { text }
}

/// `ingressLoadBalancerStatusStringer` with `wide` (as the API server
/// calls it): IPs, else hostnames, sorted and deduplicated.
fn load_balancer_address(ingress: &[Value]) -> String {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let set: BTreeSet<String> = ingress
        .iter()
        .map(|i| if s(i, "ip").is_empty() { s(i, "hostname") } else { s(i, "ip") })
        .filter(|a| !a.is_empty())
        .collect();
    set.into_iter().collect::<Vec<_>>().join(",")
}
