//! `kubectl create quota NAME [--hard=R=Q,...] [--scopes=S,...]`
//! (`pkg/cmd/create/create_quota.go`, unchanged in substance v1.10–v1.35).

use serde_json::{Map, Value, json};

use super::{Ctx, create::name_arg};
use crate::{kubectl::error::KubectlError, quantity::Quantity};

/// `resource.ErrFormatWrong`, which `ParseQuantity` returns for text that
/// is not a quantity.
const QUANTITY_SYNTAX: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// `kubectl create quota`.
pub fn quota(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let hard = hard(ctx.inv.value("hard").unwrap_or_default())?;
    let scopes = scopes(ctx.inv.value("scopes").unwrap_or_default())?;
    let mut spec = Map::new();
    if let Some(hard) = hard {
        spec.insert("hard".to_owned(), Value::Object(hard));
    }
    if let Some(scopes) = scopes {
        spec.insert("scopes".to_owned(), json!(scopes));
    }
    let value = json!({
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": name, "namespace": ctx.namespace()},
        "spec": spec,
    });
    super::create_job::create(ctx, value, "quota")
}

/// `populateResourceListV1`: `resource=quantity` pairs, the quantities in
/// the canonical form Go's `resource.Quantity` marshals.
fn hard(spec: &str) -> Result<Option<Map<String, Value>>, KubectlError> {
    if spec.is_empty() {
        return Ok(None);
    }
    let mut out = Map::new();
    for statement in spec.split(',') {
        let parts: Vec<&str> = statement.split('=').collect();
        let [resource, quantity] = parts[..] else {
            return Err(KubectlError::msg(format!(
                "Invalid argument syntax {statement}, expected <resource>=<value>"
            )));
        };
        let q = Quantity::parse(quantity).ok_or_else(|| KubectlError::msg(QUANTITY_SYNTAX))?;
        out.insert(resource.to_owned(), Value::String(q.to_string()));
    }
    Ok(Some(out))
}

/// `parseScopes`: not checked against the known scopes (the API server
/// does that), but an empty one is refused.
fn scopes(spec: &str) -> Result<Option<Vec<String>>, KubectlError> {
    if spec.is_empty() {
        return Ok(None);
    }
    let scopes: Vec<String> = spec.split(',').map(str::to_owned).collect();
    if scopes.iter().any(String::is_empty) {
        return Err(KubectlError::msg("invalid resource quota scope \"\""));
    }
    Ok(Some(scopes))
}
