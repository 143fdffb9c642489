//! `--validate` (`cmdutil.GetValidationDirective`) and what each kubectl
//! version does with the unknown fields of a manifest.
//!
//! - From v1.25 the API server validates fields itself
//!   (`ServerSideFieldValidation`, beta and on in apiserver v0.25.0's
//!   `pkg/features/kube_features.go`, off and alpha in v0.24.0): kubectl
//!   sends `fieldValidation=Strict|Warn|Ignore` and prints the server's
//!   400 or its warnings ([`crate::sim::api::field_validation`]).
//! - Before, kubectl validated the manifest itself against the server's
//!   OpenAPI schema (`error validating data: ValidationError(…)`). Those
//!   messages name the schema's definitions, which the simulator does not
//!   carry, so an unknown field under client-side validation is reported
//!   unsupported, naming the field, rather than silently dropped.

use super::{error::KubectlError, manifest::Manifest, verbs::Ctx};
use crate::sim::api::field_validation;
use crate::version::Fact;

/// The field validation a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validation {
    /// `strict` or `true` (the default).
    Strict,
    /// `warn`.
    Warn,
    /// `ignore` or `false`.
    Ignore,
}

/// `GetValidationDirective`: `--validate` as a bool or one of the names.
pub fn directive(ctx: &Ctx<'_>) -> Result<Validation, KubectlError> {
    let Some(text) = ctx.inv.value("validate") else { return Ok(Validation::Strict) };
    match text {
        "strict" | "true" | "1" | "t" | "T" | "TRUE" | "True" => Ok(Validation::Strict),
        "warn" => Ok(Validation::Warn),
        "ignore" | "false" | "0" | "f" | "F" | "FALSE" | "False" => Ok(Validation::Ignore),
        other => Err(KubectlError::msg(format!(
            "invalid - validate option \"{other}\"; must be one of: strict (or true), warn, ignore (or false)"
        ))),
    }
}

/// Checks `m`'s unknown fields before a request that creates or replaces
/// it (`verb`: `creating`, `replacing`), printing the server's warnings
/// (`Warning: …`); `Err` is the request's failure. A client dry run sends
/// nothing, so only kubectl's own (pre-v1.25) validation applies to it.
pub fn check(
    ctx: &mut Ctx<'_>,
    m: &Manifest,
    verb: &str,
    validation: Validation,
    client_dry_run: bool,
) -> Result<(), KubectlError> {
    for w in warnings(&*ctx, m, verb, validation, client_dry_run)? {
        ctx.stderr(format!("Warning: {w}\n"));
    }
    Ok(())
}

/// The warnings [`check`] prints, or the request's failure.
fn warnings(
    ctx: &Ctx<'_>,
    m: &Manifest,
    verb: &str,
    validation: Validation,
    client_dry_run: bool,
) -> Result<Vec<String>, KubectlError> {
    if m.unknown_fields.is_empty() || validation == Validation::Ignore {
        return Ok(Vec::new());
    }
    if client_dry_run && ctx.has(Fact::ServerSideFieldValidation) {
        return Ok(Vec::new());
    }
    // Before server-side validation, kubectl's client-side OpenAPI
    // validation.
    if !ctx.has(Fact::ServerSideFieldValidation) {
        if validation == Validation::Warn {
            // Without the server feature, `warn` behaves as `ignore`.
            return Ok(Vec::new());
        }
        return Err(KubectlError::unsupported(format!(
            "kubectl's client-side schema validation (before v1.25) of unknown field {}",
            m.unknown_fields[0]
        )));
    }
    match validation {
        Validation::Strict => {
            let api_version = m.value.get("apiVersion").and_then(|v| v.as_str()).unwrap_or("");
            let kind_name = m.value.get("kind").and_then(|v| v.as_str()).unwrap_or("");
            Err(KubectlError::ApiFromFile {
                err: field_validation::strict_error(kind_name, api_version, &m.unknown_fields),
                verb: verb.to_owned(),
                source: m.source.clone(),
            })
        }
        Validation::Warn => Ok(field_validation::warnings(&m.unknown_fields)),
        Validation::Ignore => Ok(Vec::new()),
    }
}
