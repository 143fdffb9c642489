//! Tables of custom resources
//! (`apiextensions-apiserver/pkg/registry/customresource/tableconvertor/
//! tableconvertor.go`): a `Name` column, then each of the CRD's
//! `additionalPrinterColumns` — or `Age` when it defines none. A column's
//! JSONPath is evaluated with missing keys allowed; no result (or a value
//! of another type than the column's) is a nil cell, which kubectl's table
//! printer leaves empty (`cli-runtime/pkg/printers/tableprinter.go`
//! `printRows`; the real v1.35.4 cluster) — unlike `-o custom-columns`,
//! whose client-side printer writes `<none>`; `string` columns print the
//! result as kubectl's JSONPath printer does, `date` columns as an age,
//! others as the JSON value.

use serde_json::Value;

use super::super::{
    duration::since,
    table::{Column, Env},
};
use crate::{
    kubectl::jsonpath::{self, JsonPath, Val},
    sim::{GenericObject, kind::PrinterColumn},
};

/// A custom resource's columns when its CRD defines none.
const CUSTOM_DEFAULT_COLUMNS: &[Column] =
    &[Column { name: "Name", priority: 0 }, Column { name: "Age", priority: 0 }];

/// The columns of a custom resource whose CRD defines `custom`.
pub fn columns(custom: &'static [PrinterColumn<'static>]) -> Vec<Column> {
    if custom.is_empty() {
        return CUSTOM_DEFAULT_COLUMNS.to_vec();
    }
    std::iter::once(Column { name: "Name", priority: 0 })
        .chain(custom.iter().map(|c| Column { name: c.name, priority: u8::from(c.priority > 0) }))
        .collect()
}

/// The cells of one custom object's row.
pub fn cells(object: &GenericObject, custom: &[PrinterColumn<'_>], env: &Env) -> Vec<String> {
    let name = object.metadata.name.clone().unwrap_or_default();
    if custom.is_empty() {
        return vec![name, since(env.now, object.metadata.creation_timestamp.as_ref())];
    }
    let value = crate::sim::Object::Generic(object.clone()).to_value();
    std::iter::once(name)
        .chain(custom.iter().map(|c| custom_cell(&value, c.json_path, c.type_, env)))
        .collect()
}

/// One printer column's cell (`cellForJSONValue` for typed columns).
fn custom_cell(object: &Value, path: &str, type_: &str, env: &Env) -> String {
    // A nil cell.
    const NONE: &str = "";
    let Ok(template) = JsonPath::parse(&format!("{{{path}}}")) else { return NONE.to_owned() };
    let results = template.allow_missing_keys(true).find_results(object).unwrap_or_default();
    let Some(first) = results.first().and_then(|r| r.first()) else { return NONE.to_owned() };
    if type_ == "string" {
        return jsonpath::print_results(std::slice::from_ref(first));
    }
    let Val::Json(value) = first else { return jsonpath::go_sprint_val(first) };
    match (type_, value) {
        ("date", Value::String(text)) => match text.parse::<k8s_openapi::jiff::Timestamp>() {
            Ok(t) => since(env.now, Some(&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(t))),
            Err(_) => "<invalid>".to_owned(),
        },
        ("integer", Value::Number(n)) => n
            .as_i64()
            .map_or_else(|| (n.as_f64().unwrap_or_default() as i64).to_string(), |i| i.to_string()),
        ("number" | "boolean", v @ (Value::Number(_) | Value::Bool(_))) => jsonpath::go_sprint(v),
        _ => NONE.to_owned(),
    }
}
