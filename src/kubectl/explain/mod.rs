//! `kubectl explain`'s field documentation and its two printers.
//!
//! The documentation is the API server's own OpenAPI (per minor, from the
//! release sources: [`schemas`]). kubectl printed it two ways: the v2
//! printer over `/openapi/v2` until v1.26 ([`v2_printer`]), and the
//! `plaintext` template over `/openapi/v3` from v1.27 ([`v3_template`]),
//! which keeps the v2 printer behind `--output plaintext-openapiv2`.
//! The verb is `kubectl::verbs::explain`.

#[cfg(test)]
mod tests;

pub mod schemas;
pub mod v2_printer;
pub mod v3_template;
pub mod wrap;
