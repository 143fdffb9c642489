//! Tables of cluster-wide kinds: PriorityClass, RuntimeClass, Lease,
//! CertificateSigningRequest, ComponentStatus (`printPriorityClass`,
//! `printRuntimeClass`, `printLease`, `printCertificateSigningRequest`,
//! `printComponentStatus`, `pkg/printers/internalversion/printers.go`).

use crate::version::Fact;
use serde_json::Value;

use super::{Handler, Row, c};
use crate::kubectl::printers::duration::human_duration_nanos;

/// `priorityClassColumnDefinitions`: PreemptionPolicy from v1.32 (its cell
/// is filled when wide, which the API server always is).
pub(super) const PRIORITY_CLASS: Handler = Handler {
    columns: |env| {
        let mut cols = vec![c("Name"), c("Value"), c("Global-Default"), c("Age")];
        if env.has(Fact::PriorityClassPreemptionPolicyColumn) {
            cols.push(c("PreemptionPolicy"));
        }
        cols
    },
    cells: |row, env| {
        let mut cells = vec![
            row.name(),
            row.int(&["value"]).to_string(),
            row.opt_bool(&["globalDefault"]).unwrap_or(false).to_string(),
            row.age(env),
        ];
        if env.has(Fact::PriorityClassPreemptionPolicyColumn) {
            cells.push(row.str(&["preemptionPolicy"]).to_owned());
        }
        cells
    },
};

/// `runtimeClassColumnDefinitions`.
pub(super) const RUNTIME_CLASS: Handler = Handler {
    columns: |_| vec![c("Name"), c("Handler"), c("Age")],
    cells: |row, env| vec![row.name(), row.str(&["handler"]).to_owned(), row.age(env)],
};

/// `leaseColumnDefinitions`.
pub(super) const LEASE: Handler = Handler {
    columns: |_| vec![c("Name"), c("Holder"), c("Age")],
    cells: |row, env| {
        vec![row.name(), row.str(&["spec", "holderIdentity"]).to_owned(), row.age(env)]
    },
};

/// `certificateSigningRequestColumnDefinitions`: SignerName from v1.18,
/// RequestedDuration (`spec.expirationSeconds`) from v1.22.
pub(super) const CERTIFICATE_SIGNING_REQUEST: Handler = Handler {
    columns: |env| {
        let mut cols = vec![c("Name"), c("Age")];
        if env.has(Fact::CsrSignerNameColumn) {
            cols.push(c("SignerName"));
        }
        cols.push(c("Requestor"));
        if env.has(Fact::CsrRequestedDurationColumn) {
            cols.push(c("RequestedDuration"));
        }
        cols.push(c("Condition"));
        cols
    },
    cells: |row, env| {
        let mut cells = vec![row.name(), row.age(env)];
        if env.has(Fact::CsrSignerNameColumn) {
            let signer = row.str(&["spec", "signerName"]);
            cells.push(if signer.is_empty() { "<none>".to_owned() } else { signer.to_owned() });
        }
        cells.push(row.str(&["spec", "username"]).to_owned());
        if env.has(Fact::CsrRequestedDurationColumn) {
            cells.push(match row.get(&["spec", "expirationSeconds"]).and_then(Value::as_i64) {
                None => "<none>".to_owned(),
                Some(s) => human_duration_nanos(i128::from(s) * 1_000_000_000),
            });
        }
        cells.push(csr_condition(row));
        cells
    },
};

/// `componentStatusColumnDefinitions` (no Age column): the Healthy
/// condition's verdict, message and error.
pub(super) const COMPONENT_STATUS: Handler = Handler {
    columns: |_| vec![c("Name"), c("Status"), c("Message"), c("Error")],
    cells: |row, _| {
        let healthy = row
            .array(&["conditions"])
            .iter()
            .find(|c| c.get("type").and_then(Value::as_str) == Some("Healthy"));
        let s = |k: &str| {
            healthy.and_then(|c| c.get(k)).and_then(Value::as_str).unwrap_or_default().to_owned()
        };
        let status = match healthy {
            None => "Unknown",
            Some(_) if s("status") == "True" => "Healthy",
            Some(_) => "Unhealthy",
        };
        vec![row.name(), status.to_owned(), s("message"), s("error")]
    },
};

/// `extractCSRStatus`: Denied over Approved over Pending, then `,Failed`
/// and `,Issued`.
fn csr_condition(row: &Row<'_>) -> String {
    let conditions = row.array(&["status", "conditions"]);
    let has = |t: &str| conditions.iter().any(|c| c.get("type").and_then(Value::as_str) == Some(t));
    let mut status = if has("Denied") {
        "Denied"
    } else if has("Approved") {
        "Approved"
    } else {
        "Pending"
    }
    .to_owned();
    if has("Failed") {
        status.push_str(",Failed");
    }
    if !row.str(&["status", "certificate"]).is_empty() {
        status.push_str(",Issued");
    }
    status
}
