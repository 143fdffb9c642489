//! `kubectl wait --for=condition=NAME[=value]|delete RESOURCE
//! [--timeout=30s]` (`pkg/cmd/wait/wait.go`, v1.22). On the simulator the
//! wait runs the cluster forward on its virtual clock — controller work
//! first, then timers — until the condition holds or the timeout has
//! passed, so a tutorial's `kubectl wait` takes no wall time.

use std::time::Duration;

use super::Ctx;
use crate::{
    kubectl::{
        args::parse_duration,
        error::KubectlError,
        labels::Selector,
        messages,
        resource::{self, Request},
    },
    sim::{Object, ObjectRef},
};

/// What `--for` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum For {
    /// `--for=delete`.
    Delete,
    /// `--for=condition=NAME[=VALUE]` (VALUE defaults to `true`).
    Condition(String, String),
}

fn parse_for(text: &str) -> Result<For, KubectlError> {
    if text.eq_ignore_ascii_case("delete") {
        return Ok(For::Delete);
    }
    if let Some(rest) = text.strip_prefix("condition=") {
        let (name, value) = rest.split_once('=').unwrap_or((rest, "true"));
        return Ok(For::Condition(name.to_owned(), value.to_owned()));
    }
    Err(KubectlError::msg(format!(
        "unrecognized condition: {}",
        crate::kubectl::args::go_quote(text)
    )))
}

/// Runs `kubectl wait`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let wanted = parse_for(inv.value("for").unwrap_or_default())?;
    let timeout = match inv.value("timeout") {
        Some(t) => parse_duration(t).map_err(KubectlError::msg)?,
        None => 30_000_000_000,
    };
    let timeout = Duration::from_nanos(timeout.max(0) as u64);
    let namespace = ctx.namespace();
    let selector = match inv.value("selector").filter(|s| !s.is_empty()) {
        Some(s) => Some(Selector::parse(s).map_err(KubectlError::msg)?),
        None => None,
    };
    let select_all = inv.bool("all") || selector.is_some();
    let mut targets: Vec<(ObjectRef, Option<String>)> = Vec::new();
    for request in resource::parse(ctx.cluster.registry(), &inv.args, select_all)? {
        let kind = request.kind();
        let ns = kind.info().namespaced.then_some(namespace.as_str());
        match request {
            Request::List(kind) => {
                for o in ctx.cluster.list(kind, ns) {
                    if selector.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref())) {
                        targets.push((o.object_ref(), o.meta().uid.clone()));
                    }
                }
            }
            Request::Named(kind, name) => {
                let r = match ns {
                    Some(ns) => ObjectRef::namespaced(kind, ns, &name),
                    None => ObjectRef::cluster(kind, &name),
                };
                // `--for=delete` ignores NotFound (`IgnoreErrors(IsNotFound)`):
                // an object already gone is not waited for, nor reported.
                match ctx.cluster.get(&r) {
                    Ok(o) => {
                        let uid = o.meta().uid.clone();
                        targets.push((r, uid));
                    }
                    Err(e) if wanted == For::Delete && e.reason() == "NotFound" => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    if targets.is_empty() && wanted != For::Delete {
        return Err(KubectlError::msg("no matching resources found"));
    }
    let deadline = crate::sim::time::add(ctx.cluster.now(), timeout);
    for (r, uid) in targets {
        loop {
            ctx.cluster.run_pending(10_000);
            let met = match &wanted {
                For::Delete => ctx.cluster.get(&r).map_or(true, |o| o.meta().uid != uid),
                For::Condition(name, value) => match ctx.cluster.get(&r) {
                    Ok(o) => has_condition(o, name, value),
                    Err(e) => return Err(e.into()),
                },
            };
            if met {
                ctx.stdout(messages::name_printer(r.kind, &r.name, "condition met"));
                break;
            }
            let now = ctx.cluster.now();
            if now >= deadline {
                return Err(KubectlError::msg(format!(
                    "timed out waiting for the condition on {}/{}",
                    r.kind.info().plural,
                    r.name
                )));
            }
            match ctx.cluster.next_timer() {
                Some(t) if t <= deadline => {
                    ctx.cluster.step();
                }
                _ => ctx.cluster.advance(crate::sim::time::since(deadline, now)),
            }
        }
    }
    Ok(())
}

/// Whether `status.conditions` holds `name` with status `value` (both
/// compared case-insensitively, as `ConditionalWait.isConditionMet` does).
fn has_condition(object: &Object, name: &str, value: &str) -> bool {
    let v = object.to_value();
    v["status"]["conditions"].as_array().is_some_and(|conditions| {
        conditions.iter().any(|c| {
            c["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(name))
                && c["status"].as_str().is_some_and(|s| s.eq_ignore_ascii_case(value))
        })
    })
}
