//! `kubectl create poddisruptionbudget NAME --selector=S
//! --min-available=N|--max-unavailable=N` (`pkg/cmd/create/create_pdb.go`,
//! the options form of k8s.io/kubectl v0.21 on,
//! [`Fact::CreatePdbOptions`]); the budget is `policy/v1` from v1.22
//! ([`Fact::CreatePdbPolicyV1`]), `policy/v1beta1` before.

use serde_json::{Map, Value, json};

use super::{Ctx, create::name_arg};
use crate::{
    kubectl::{
        error::KubectlError,
        labels::{Requirement, Selector},
    },
    version::Fact,
};

/// `kubectl create poddisruptionbudget`.
pub fn pdb(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let selector = ctx.inv.value("selector").unwrap_or_default().to_owned();
    let min = ctx.inv.value("min-available").unwrap_or_default().to_owned();
    let max = ctx.inv.value("max-unavailable").unwrap_or_default().to_owned();
    if !ctx.has(Fact::CreatePdbOptions) {
        return Err(KubectlError::unsupported(
            "kubectl create poddisruptionbudget of kubectl before 1.21 (its generator)",
        ));
    }
    let name = name_arg(ctx)?;
    // `PodDisruptionBudgetOpts.Validate`.
    if selector.is_empty() {
        return Err(KubectlError::msg("a selector must be specified"));
    }
    if min.is_empty() && max.is_empty() {
        return Err(KubectlError::msg("one of min-available or max-unavailable must be specified"));
    }
    if !min.is_empty() && !max.is_empty() {
        return Err(KubectlError::msg(
            "min-available and max-unavailable cannot be both specified",
        ));
    }
    // `^[0-9]+%?$`.
    let well_formed = |v: &str| {
        let digits = v.strip_suffix('%').unwrap_or(v);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if !min.is_empty() && !well_formed(&min) {
        return Err(KubectlError::msg("invalid format specified for min-available"));
    }
    if !max.is_empty() && !well_formed(&max) {
        return Err(KubectlError::msg("invalid format specified for max-unavailable"));
    }
    let mut spec = Map::new();
    spec.insert("selector".to_owned(), label_selector(&selector)?);
    let (field, value) =
        if min.is_empty() { ("maxUnavailable", max) } else { ("minAvailable", min) };
    spec.insert(field.to_owned(), int_or_string(&value));
    let api_version = if ctx.has(Fact::CreatePdbPolicyV1) { "policy/v1" } else { "policy/v1beta1" };
    let value = json!({
        "apiVersion": api_version,
        "kind": "PodDisruptionBudget",
        "metadata": {"name": name, "namespace": ctx.namespace()},
        "spec": spec,
        // `PodDisruptionBudgetStatus`'s counts have no `omitempty`: a
        // client dry run prints them as zeros.
        "status": {"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0},
    });
    // A request in a deprecated version gets the API server's warning
    // (not sent at all by a client dry run).
    let client_dry_run =
        super::print_flags::DryRun::from_ctx(ctx)? == super::print_flags::DryRun::Client;
    if let Some(w) =
        crate::sim::conversion::deprecation_warning(api_version, "PodDisruptionBudget", ctx.minor)
        && !client_dry_run
    {
        ctx.stderr(format!("Warning: {w}\n"));
    }
    super::create_job::create(ctx, value, "poddisruptionbudgets")
}

/// `intstr.Parse`: a number is an integer, anything else a string.
fn int_or_string(v: &str) -> Value {
    match v.parse::<i32>() {
        Ok(i) => json!(i),
        Err(_) => json!(v),
    }
}

/// `metav1.ParseToLabelSelector`: equalities become `matchLabels`, set
/// and existence requirements `matchExpressions` (values sorted).
fn label_selector(text: &str) -> Result<Value, KubectlError> {
    let parsed = Selector::parse(text).map_err(|e| {
        KubectlError::msg(format!("couldn't parse the selector string \"{text}\": {e}"))
    })?;
    let mut labels = Map::new();
    let mut expressions = Vec::new();
    for r in parsed.requirements {
        match r {
            Requirement::Equals(k, v) => {
                labels.insert(k, json!(v));
            }
            Requirement::NotEquals(..) => {
                return Err(KubectlError::msg("\"!=\" is not a valid label selector operator"));
            }
            Requirement::In(k, mut vs) => {
                vs.sort();
                expressions.push(json!({"key": k, "operator": "In", "values": vs}));
            }
            Requirement::NotIn(k, mut vs) => {
                vs.sort();
                expressions.push(json!({"key": k, "operator": "NotIn", "values": vs}));
            }
            Requirement::Exists(k) => expressions.push(json!({"key": k, "operator": "Exists"})),
            Requirement::DoesNotExist(k) => {
                expressions.push(json!({"key": k, "operator": "DoesNotExist"}))
            }
        }
    }
    let mut selector = Map::new();
    if !labels.is_empty() {
        selector.insert("matchLabels".to_owned(), Value::Object(labels));
    }
    if !expressions.is_empty() {
        selector.insert("matchExpressions".to_owned(), Value::Array(expressions));
    }
    Ok(Value::Object(selector))
}
