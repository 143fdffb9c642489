//! Tables of the API server's own configuration kinds: admission webhook
//! configurations, FlowSchema and PriorityLevelConfiguration
//! (`printMutatingWebhook`, `printValidatingWebhook`, `printFlowSchema`,
//! `printPriorityLevelConfiguration`,
//! `pkg/printers/internalversion/printers.go`), and APIService, whose table
//! the aggregator builds itself (`ConvertToTable`,
//! `staging/src/k8s.io/kube-aggregator/pkg/registry/apiservice/etcd/etcd.go`).

use crate::version::Fact;
use serde_json::Value;

use super::{Handler, c};

/// `mutatingWebhookColumnDefinitions` and
/// `validatingWebhookColumnDefinitions`: the number of webhooks.
pub(super) const WEBHOOK_CONFIGURATION: Handler = Handler {
    columns: |_| vec![c("Name"), c("Webhooks"), c("Age")],
    cells: |row, env| vec![row.name(), row.array(&["webhooks"]).len().to_string(), row.age(env)],
};

/// `flowSchemaColumnDefinitions`: MissingPL is the Dangling condition's
/// status, `?` without one.
pub(super) const FLOW_SCHEMA: Handler = Handler {
    columns: |_| {
        vec![
            c("Name"),
            c("PriorityLevel"),
            c("MatchingPrecedence"),
            c("DistinguisherMethod"),
            c("Age"),
            c("MissingPL"),
        ]
    },
    cells: |row, env| {
        let method =
            row.opt_str(&["spec", "distinguisherMethod", "type"]).unwrap_or("<none>").to_owned();
        let dangling = row
            .array(&["status", "conditions"])
            .iter()
            .find(|c| c.get("type").and_then(Value::as_str) == Some("Dangling"))
            .and_then(|c| c.get("status").and_then(Value::as_str))
            .unwrap_or("?")
            .to_owned();
        vec![
            row.name(),
            row.str(&["spec", "priorityLevelConfiguration", "name"]).to_owned(),
            row.int(&["spec", "matchingPrecedence"]).to_string(),
            method,
            row.age(env),
            dangling,
        ]
    },
};

/// `priorityLevelColumnDefinitions`: v1.26 renamed
/// AssuredConcurrencyShares to NominalConcurrencyShares (flowcontrol
/// v1beta3); `<none>` for an exempt level.
pub(super) const PRIORITY_LEVEL_CONFIGURATION: Handler = Handler {
    columns: |env| {
        let shares = if env.has(Fact::NominalConcurrencyShares) {
            "NominalConcurrencyShares"
        } else {
            "AssuredConcurrencyShares"
        };
        vec![
            c("Name"),
            c("Type"),
            c(shares),
            c("Queues"),
            c("HandSize"),
            c("QueueLengthLimit"),
            c("Age"),
        ]
    },
    cells: |row, env| {
        let none = || "<none>".to_owned();
        let (mut shares, mut queues, mut hand, mut limit) = (none(), none(), none(), none());
        if let Some(limited) = row.object(&["spec", "limited"]) {
            let int = |v: Option<&Value>| v.and_then(Value::as_i64).unwrap_or_default().to_string();
            // Objects written in an older version carry the old field name.
            shares = int(limited
                .get("nominalConcurrencyShares")
                .or_else(|| limited.get("assuredConcurrencyShares")));
            if let Some(q) = limited.get("limitResponse").and_then(|r| r.get("queuing")) {
                queues = int(q.get("queues"));
                hand = int(q.get("handSize"));
                limit = int(q.get("queueLengthLimit"));
            }
        }
        vec![
            row.name(),
            row.str(&["spec", "type"]).to_owned(),
            shares,
            queues,
            hand,
            limit,
            row.age(env),
        ]
    },
};

/// The aggregator's APIService table: the backing service (`Local` for
/// none) and the Available condition (`False (Reason)` when not true and
/// a reason is given).
pub(super) const API_SERVICE: Handler = Handler {
    columns: |_| vec![c("Name"), c("Service"), c("Available"), c("Age")],
    cells: |row, env| {
        let service = match row.object(&["spec", "service"]) {
            None => "Local".to_owned(),
            Some(s) => {
                let f = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or_default();
                format!("{}/{}", f("namespace"), f("name"))
            }
        };
        let available = row
            .array(&["status", "conditions"])
            .iter()
            .find(|c| c.get("type").and_then(Value::as_str) == Some("Available"))
            .map_or_else(
                || "Unknown".to_owned(),
                |c| {
                    let f = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default();
                    match (f("status"), f("reason")) {
                        ("True", _) => "True".to_owned(),
                        (s, "") => s.to_owned(),
                        (s, r) => format!("{s} ({r})"),
                    }
                },
            );
        vec![row.name(), service, available, row.age(env)]
    },
};
