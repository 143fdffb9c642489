//! `kubectl wait --for=condition=NAME[=value]|delete RESOURCE
//! [--timeout=30s]` (`pkg/cmd/wait/wait.go`, v1.22). On the simulator the
//! wait runs the cluster forward on its virtual clock — controller work
//! first, then timers — until the condition holds or the timeout has
//! passed, so a tutorial's `kubectl wait` takes no wall time.

use crate::version::Fact;
use std::time::Duration;

use super::Ctx;
use crate::{
    kubectl::{
        args::parse_duration,
        error::KubectlError,
        jsonpath::{JsonPath, Val, go_sprint_val},
        labels::Selector,
        messages,
        printers::generic::relaxed_json_path,
        resource::{self, Request},
    },
    sim::{Object, ObjectRef},
};

/// What `--for` asks for.
#[derive(Debug, Clone)]
enum For {
    /// `--for=delete`.
    Delete,
    /// `--for=condition=NAME[=VALUE]` (VALUE defaults to `true`).
    Condition(String, String),
    /// `--for=jsonpath='{EXPR}'=VALUE` (kubectl v1.23+); from v1.28 the
    /// value may be left out, and any value found satisfies the wait.
    JsonPath(JsonPath, Option<String>),
}

impl For {
    fn is_delete(&self) -> bool {
        matches!(self, For::Delete)
    }
}

/// `conditionFuncFor` of the kubectl of minor version `minor`.
fn parse_for(text: &str, minor: u32) -> Result<For, KubectlError> {
    if text.eq_ignore_ascii_case("delete") {
        return Ok(For::Delete);
    }
    if let Some(rest) = text.strip_prefix("condition=") {
        let (name, value) = rest.split_once('=').unwrap_or((rest, "true"));
        return Ok(For::Condition(name.to_owned(), value.to_owned()));
    }
    if Fact::WaitForJsonPath.holds_at(minor)
        && let Some(input) = text.strip_prefix("jsonpath=")
    {
        let (expression, value) = split_json_path_input(input, minor)?;
        let expression = relaxed_json_path(&expression).map_err(KubectlError::msg)?;
        if expression.is_empty() {
            return Err(KubectlError::msg("jsonpath expression cannot be empty"));
        }
        let path = JsonPath::parse(&expression)
            .map_err(|e| KubectlError::msg(e.to_string()))?
            .allow_missing_keys(true);
        return Ok(For::JsonPath(path, value));
    }
    Err(KubectlError::msg(format!(
        "unrecognized condition: {}",
        crate::kubectl::args::go_quote(text)
    )))
}

/// The expression and the wanted value of `--for=jsonpath=...`.
///
/// Until v1.27 (`wait.go` at v1.27.0) the whole condition is split on
/// every `=` and must have exactly three parts; from v1.28
/// (`processJSONPathInput`, `splitJSONPathInput`) the input is split on
/// single `=` only (`==` inside a filter stays), and the value is optional.
fn split_json_path_input(
    input: &str,
    minor: u32,
) -> Result<(String, Option<String>), KubectlError> {
    let trim = |v: &str| v.trim_matches(['\'', '"']).to_owned();
    if !Fact::WaitJsonPathValueOptional.holds_at(minor) {
        let parts: Vec<&str> = input.split('=').collect();
        let [expression, value] = parts.as_slice() else {
            return Err(KubectlError::msg(
                "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3",
            ));
        };
        relaxed_json_path(expression).map_err(KubectlError::msg)?;
        if value.is_empty() {
            return Err(KubectlError::msg("jsonpath wait condition cannot be empty"));
        }
        return Ok((expression.to_string(), Some(trim(value))));
    }
    let mut parts = vec![String::new()];
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '=' {
            if chars.peek() == Some(&'=') {
                chars.next();
                parts.last_mut().expect("one part").push_str("==");
            } else {
                parts.push(String::new());
            }
        } else {
            parts.last_mut().expect("one part").push(c);
        }
    }
    match parts.as_slice() {
        [expression] => Ok((expression.clone(), None)),
        [expression, value] => {
            relaxed_json_path(expression).map_err(KubectlError::msg)?;
            let value = trim(value);
            if value.is_empty() {
                return Err(KubectlError::msg(
                    "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3",
                ));
            }
            Ok((expression.clone(), Some(value)))
        }
        _ => Err(KubectlError::msg(
            "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'",
        )),
    }
}

/// `JSONPathWait.checkCondition`: the expression finds one scalar value
/// equal (as printed, spaces trimmed) to the wanted one, or any value when
/// none was given.
fn json_path_met(
    object: &Object,
    path: &JsonPath,
    value: Option<&str>,
) -> Result<bool, KubectlError> {
    let results =
        path.find_results(&object.to_value()).map_err(|e| KubectlError::msg(e.to_string()))?;
    let Some(found) = results.first().and_then(|r| r.first()) else { return Ok(false) };
    if results.len() > 1 {
        return Err(KubectlError::msg("given jsonpath expression matches more than one list"));
    }
    if results[0].len() > 1 {
        return Err(KubectlError::msg("given jsonpath expression matches more than one value"));
    }
    let Some(value) = value else { return Ok(true) };
    if matches!(found, Val::Json(serde_json::Value::Object(_) | serde_json::Value::Array(_))) {
        return Err(KubectlError::msg(
            "jsonpath leads to a nested object or list which is not supported",
        ));
    }
    Ok(go_sprint_val(found).trim() == value.trim())
}

/// Runs `kubectl wait`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let minor = ctx.cluster.config().version.minor();
    let wanted = parse_for(inv.value("for").unwrap_or_default(), minor)?;
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
                    Err(e) if wanted.is_delete() && e.reason() == "NotFound" => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    if targets.is_empty() && !wanted.is_delete() {
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
                For::JsonPath(path, value) => match ctx.cluster.get(&r) {
                    Ok(o) => json_path_met(o, path, value.as_deref())?,
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

#[cfg(test)]
mod json_path_tests {
    use super::*;

    #[test]
    fn v1_28_splits_on_single_equals_only() {
        let (e, v) =
            split_json_path_input("{.status.conditions[?(@.type==\"Ready\")].status}=True", 28)
                .unwrap();
        assert_eq!(e, "{.status.conditions[?(@.type==\"Ready\")].status}");
        assert_eq!(v.as_deref(), Some("True"));
        assert_eq!(split_json_path_input("{.status.podIP}", 28).unwrap().1, None);
        assert!(split_json_path_input("{.a}=b=c", 28).is_err());
    }

    #[test]
    fn v1_27_needs_exactly_one_value() {
        assert_eq!(
            split_json_path_input("{.status.phase}", 27).unwrap_err(),
            KubectlError::msg(
                "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3"
            )
        );
        assert_eq!(
            split_json_path_input("{.status.phase}=", 27).unwrap_err(),
            KubectlError::msg("jsonpath wait condition cannot be empty")
        );
        assert_eq!(
            split_json_path_input("{.status.phase}='Running'", 27).unwrap().1.as_deref(),
            Some("Running")
        );
    }

    #[test]
    fn before_v1_23_jsonpath_is_unrecognized() {
        let e = parse_for("jsonpath={.status.phase}=Running", 22).unwrap_err();
        assert_eq!(
            e,
            KubectlError::msg("unrecognized condition: \"jsonpath={.status.phase}=Running\"")
        );
    }
}
