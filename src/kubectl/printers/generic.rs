//! The template printers of `kubectl get`: `-o jsonpath=...`
//! (`cli-runtime/pkg/genericclioptions/jsonpath_flags.go`,
//! `cli-runtime/pkg/printers/jsonpath.go`) and `-o custom-columns=...`
//! (`kubectl/pkg/cmd/get/customcolumn_flags.go`, `customcolumn.go`).
//!
//! Both print what `get`'s `printGeneric` hands them: one object for a
//! single named request, else a `v1` `List` of every object found (so
//! `{.items[*]...}` is how a listing is queried). Unlike tables they print
//! nothing for an empty listing — no "No resources found" line.

use serde_json::Value;

use crate::version::Fact;

use super::{
    gotemplate,
    layout::{self, GET},
};
use crate::kubectl::{
    error::KubectlError,
    jsonpath::{self, JsonPath},
};

/// A template printer chosen by `-o`.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePrinter {
    /// `-o jsonpath=TEMPLATE` (or `--template` with `-o jsonpath`).
    JsonPath {
        /// The template as typed (quoted in execution errors).
        raw: String,
        /// The parsed template.
        path: JsonPath,
    },
    /// `-o go-template=TEMPLATE`, `-o template`, `--template` alone,
    /// `-o go-template-file=FILE` (`cli-runtime/pkg/printers/template.go`).
    GoTemplate {
        /// The template as given (quoted in execution errors).
        raw: String,
        /// The parsed template.
        template: gotemplate::Template,
    },
    /// `-o custom-columns=HEADER:PATH,...`.
    CustomColumns {
        /// The columns.
        columns: Vec<Column>,
        /// `--no-headers`.
        no_headers: bool,
    },
}

/// One custom column (`customcolumn.go` `Column`).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header, as given.
    pub header: String,
    /// The JSONPath, made strict by [`relaxed_json_path`].
    pub field_spec: String,
}

const JSONPATH_FORMATS: &[&str] = &["jsonpath", "jsonpath-as-json", "jsonpath-file"];
const COLUMN_FORMATS: &[&str] = &["custom-columns", "custom-columns-file"];
/// `templateFormats` of `go_template_flags.go`.
const GO_TEMPLATE_FORMATS: &[&str] =
    &["go-template", "go-template-file", "template", "templatefile"];

/// The printer an `-o` value selects, when it is a template format; `None`
/// for the other formats. `template` is `--template`.
pub fn from_flags(
    output: &str,
    template: Option<&str>,
    no_headers: bool,
    minor: u32,
) -> Result<Option<TemplatePrinter>, KubectlError> {
    from_flags_reading(output, template, no_headers, minor, &|_| None)
}

/// [`from_flags`], reading `-o go-template-file=FILE` through `read` (the
/// scenario's workspace). `minor` is kubectl's: its Go release decides
/// some of the template errors ([`gotemplate::Dialect`]).
pub fn from_flags_reading(
    output: &str,
    template: Option<&str>,
    no_headers: bool,
    minor: u32,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<TemplatePrinter>, KubectlError> {
    let template = template.filter(|t| !t.is_empty());
    // `PrintFlags.ToPrinter`: `--template` without `-o` means go-template.
    let output = if template.is_some() && output.is_empty() { "go-template" } else { output };
    let (format, value) = match template {
        Some(t) => (output, t.to_owned()),
        None => match output.split_once('=') {
            Some((f, v))
                if JSONPATH_FORMATS.contains(&f)
                    || COLUMN_FORMATS.contains(&f)
                    || GO_TEMPLATE_FORMATS.contains(&f) =>
            {
                (f, v.to_owned())
            }
            _ => (output, String::new()),
        },
    };
    if GO_TEMPLATE_FORMATS.contains(&format) {
        if value.is_empty() {
            return Err(KubectlError::msg("template format specified but no template given"));
        }
        let mut value = value;
        if format == "go-template-file" || format == "templatefile" {
            value = read_template(read, &value)?;
        }
        let template = gotemplate::parse(&value, gotemplate::Dialect::at(minor))
            .map_err(|e| KubectlError::msg(format!("error parsing template {value}, {e}\n")))?;
        return Ok(Some(TemplatePrinter::GoTemplate { raw: value, template }));
    }
    if JSONPATH_FORMATS.contains(&format) {
        if value.is_empty() {
            return Err(KubectlError::msg("template format specified but no template given"));
        }
        if format == "jsonpath-as-json" {
            return Err(KubectlError::unsupported(format!("kubectl output format -o {format}")));
        }
        let mut value = value;
        if format == "jsonpath-file" {
            value = read_template(read, &value)?;
        }
        let path = JsonPath::parse(&value)
            .map_err(|e| KubectlError::msg(format!("error parsing jsonpath {value}, {e}")))?
            .allow_missing_keys(true)
            .null_text(Fact::JsonPathNullPrintsNull.holds_at(minor));
        return Ok(Some(TemplatePrinter::JsonPath { raw: value, path }));
    }
    if COLUMN_FORMATS.contains(&format) {
        if value.is_empty() {
            return Err(KubectlError::msg(
                "custom-columns format specified but no custom columns given",
            ));
        }
        if format == "custom-columns-file" {
            // `customcolumn_flags.go`: the file's printer ignores `--no-headers`.
            let text = read(&value).ok_or_else(|| {
                KubectlError::msg(format!(
                    "error reading template {value}, open {value}: no such file or directory\n"
                ))
            })?;
            let columns = columns_from_template(&text)?;
            return Ok(Some(TemplatePrinter::CustomColumns { columns, no_headers: false }));
        }
        let columns = columns_from_spec(&value)?;
        return Ok(Some(TemplatePrinter::CustomColumns { columns, no_headers }));
    }
    Ok(None)
}

/// A `-o ...-file=PATH` template from the workspace (`ioutil.ReadFile`).
fn read_template(
    read: &dyn Fn(&str) -> Option<String>,
    path: &str,
) -> Result<String, KubectlError> {
    read(path).ok_or_else(|| {
        KubectlError::msg(format!(
            "error reading --template {path}, open {path}: no such file or directory\n"
        ))
    })
}

/// `NewCustomColumnsPrinterFromTemplate`: a line of headers and a line of
/// field specs, separated by whitespace.
fn columns_from_template(text: &str) -> Result<Vec<Column>, KubectlError> {
    const FORMAT: &str = "Expected format is one line of space separated headers, one line of space separated column specs.";
    let mut lines = text.lines();
    let Some(headers) = lines.next() else {
        return Err(KubectlError::msg(format!("invalid template, missing header line. {FORMAT}")));
    };
    let Some(specs) = lines.next() else {
        return Err(KubectlError::msg(format!("invalid template, missing spec line. {FORMAT}")));
    };
    let headers: Vec<&str> = headers.split_whitespace().collect();
    let specs: Vec<&str> = specs.split_whitespace().collect();
    if headers.len() != specs.len() {
        return Err(KubectlError::msg(format!(
            "number of headers ({}) and field specifications ({}) don't match",
            headers.len(),
            specs.len()
        )));
    }
    headers
        .iter()
        .zip(specs)
        .map(|(header, spec)| {
            let field_spec = relaxed_json_path(spec).map_err(KubectlError::msg)?;
            Ok(Column { header: (*header).to_owned(), field_spec })
        })
        .collect()
}

/// `NewCustomColumnsPrinterFromSpec`.
fn columns_from_spec(spec: &str) -> Result<Vec<Column>, KubectlError> {
    let mut columns = Vec::new();
    for part in spec.split(',') {
        let Some((header, path)) = part.split_once(':') else {
            return Err(KubectlError::msg(format!(
                "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )));
        };
        let field_spec = relaxed_json_path(path).map_err(KubectlError::msg)?;
        columns.push(Column { header: header.to_owned(), field_spec });
    }
    Ok(columns)
}

/// `RelaxedJSONPathExpression`: `metadata.name`, `.metadata.name`,
/// `{metadata.name}` and `{.metadata.name}` all become `{.metadata.name}`
/// (the regex `^\{\.?([^{}]+)\}$|^\.?([^{}]+)$`).
pub fn relaxed_json_path(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let braces = |s: &str| s.contains(['{', '}']);
    let inner = if let Some(body) = path.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        let body = body.strip_prefix('.').unwrap_or(body);
        (!body.is_empty() && !braces(body)).then_some(body)
    } else {
        let body = path.strip_prefix('.').unwrap_or(path);
        (!body.is_empty() && !braces(body)).then_some(body)
    };
    match inner {
        Some(field) => Ok(format!("{{.{field}}}")),
        None => Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_owned()),
    }
}

/// What a printer wrote, and the error that stopped it, if any (a custom
/// columns printer has written its header before a bad column fails).
pub struct Printed {
    /// Text for stdout.
    pub text: String,
    /// The error to report after it.
    pub error: Option<KubectlError>,
}

impl TemplatePrinter {
    /// `PrintObj` of `data` (an object, or a `List` of them).
    pub fn print(&self, data: &Value) -> Printed {
        match self {
            TemplatePrinter::JsonPath { raw, path } => match path.execute(data) {
                Ok(text) => Printed { text, error: None },
                Err(err) => Printed {
                    text: String::new(),
                    error: Some(KubectlError::msg(format!(
                        "error executing jsonpath {}: Error executing template: {err}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{raw}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
                        jsonpath::go_quote(raw),
                        jsonpath::go_sharp_v(data)
                    ))),
                },
            },
            TemplatePrinter::GoTemplate { raw, template } => match template.execute(data) {
                Ok(text) => Printed { text, error: None },
                // `GoTemplatePrinter.PrintObj`: what was printed, then the
                // debugging dump on stdout, then the error.
                Err(err) => Printed {
                    text: format!(
                        "{}Error executing template: {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{raw}\n\traw data was:\n\t\t{}\n\tobject given to template engine was:\n\t\t{}\n\n",
                        err.partial,
                        err.message,
                        jsonpath::go_json(data),
                        gotemplate::go_plus_v(data)
                    ),
                    error: Some(KubectlError::msg(format!(
                        "error executing template {}: {}",
                        jsonpath::go_quote(raw),
                        err.message
                    ))),
                },
            },
            TemplatePrinter::CustomColumns { columns, no_headers } => {
                print_columns(columns, *no_headers, data)
            }
        }
    }
}

/// `CustomColumnsPrinter.PrintObj`: a header, then one row per item of a
/// list (or for the one object), laid out by `get`'s tabwriter.
fn print_columns(columns: &[Column], no_headers: bool, data: &Value) -> Printed {
    let mut lines: Vec<String> = Vec::new();
    if !no_headers {
        lines.push(columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>().join("\t"));
    }
    let finish = |lines: &[String], error: Option<KubectlError>| {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        Printed { text: layout::layout(&text, GET), error }
    };
    let mut parsers = Vec::new();
    for c in columns {
        match JsonPath::parse(&c.field_spec) {
            Ok(p) => parsers.push(p.allow_missing_keys(true)),
            Err(e) => return finish(&lines, Some(KubectlError::msg(e.0))),
        }
    }
    let is_list = data.get("kind").and_then(Value::as_str).is_some_and(|k| k.ends_with("List"))
        && data.get("items").is_some_and(Value::is_array);
    let items: Vec<&Value> = if is_list {
        data["items"].as_array().map(|a| a.iter().collect()).unwrap_or_default()
    } else {
        vec![data]
    };
    for item in items {
        let mut cells = Vec::new();
        for parser in &parsers {
            let values = match parser.find_results(item) {
                Ok(v) => v,
                Err(e) => return finish(&lines, Some(KubectlError::msg(e))),
            };
            let mut strings: Vec<String> = Vec::new();
            if values.first().is_none_or(Vec::is_empty) {
                strings.push("<none>".to_owned());
            }
            for group in &values {
                strings.extend(group.iter().map(jsonpath::go_sprint_val));
            }
            cells.push(strings.join(","));
        }
        lines.push(cells.join("\t"));
    }
    finish(&lines, None)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn list() -> Value {
        json!({"apiVersion": "v1", "kind": "List", "items": [
            {"metadata": {"name": "web-1", "labels": {"app": "web"}}, "status": {"podIP": "10.244.1.2"},
             "spec": {"containers": [{"image": "nginx"}, {"image": "busybox"}]}},
            {"metadata": {"name": "db"}, "spec": {"containers": [{"image": "mysql:5.7"}]}}
        ], "metadata": {"resourceVersion": "", "selfLink": ""}})
    }

    fn printer(output: &str) -> TemplatePrinter {
        from_flags(output, None, false, 22).unwrap().unwrap()
    }

    #[test]
    fn custom_columns_table() {
        let p = printer(
            "custom-columns=NAME:.metadata.name,IP:status.podIP,IMAGES:{.spec.containers[*].image},LABELS:.metadata.labels",
        );
        let printed = p.print(&list());
        assert!(printed.error.is_none());
        assert_eq!(
            printed.text,
            "NAME    IP           IMAGES          LABELS\n\
             web-1   10.244.1.2   nginx,busybox   map[app:web]\n\
             db      <none>       mysql:5.7       <none>\n"
        );
    }

    #[test]
    fn flag_errors() {
        let err = |o: &str| from_flags(o, None, false, 22).unwrap_err().render(22);
        assert_eq!(err("jsonpath"), "error: template format specified but no template given\n");
        assert_eq!(err("jsonpath="), "error: template format specified but no template given\n");
        assert_eq!(
            err("jsonpath={.items[0]"),
            "error: error parsing jsonpath {.items[0], unclosed action\n"
        );
        assert_eq!(
            err("custom-columns="),
            "error: custom-columns format specified but no custom columns given\n"
        );
        assert_eq!(
            err("custom-columns=NAME"),
            "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n"
        );
        assert!(err("custom-columns=NAME:{.a}{.b}").contains("unexpected path string"));
        assert_eq!(from_flags("wide", None, false, 22).unwrap(), None);
    }

    #[test]
    fn template_files_from_the_workspace() {
        let read = |path: &str| match path {
            "cols.txt" => {
                Some("NAME  IMAGE\n.metadata.name {.spec.containers[0].image}\n".to_owned())
            }
            "short.txt" => Some("NAME IMAGE\n.metadata.name\n".to_owned()),
            "names.tmpl" => Some("{{range .items}}{{.metadata.name}} {{end}}".to_owned()),
            _ => None,
        };
        let printer = |o: &str| from_flags_reading(o, None, true, 22, &read);
        let cols = printer("custom-columns-file=cols.txt").unwrap().unwrap();
        assert_eq!(cols.print(&list()).text, "NAME    IMAGE\nweb-1   nginx\ndb      mysql:5.7\n");
        let go = printer("go-template-file=names.tmpl").unwrap().unwrap();
        assert_eq!(go.print(&list()).text, "web-1 db ");
        let err = |o: &str| printer(o).unwrap_err().render(22);
        assert_eq!(
            err("custom-columns-file=short.txt"),
            "error: number of headers (2) and field specifications (1) don't match\n"
        );
        assert_eq!(
            err("go-template-file=x.tmpl"),
            "error: error reading --template x.tmpl, open x.tmpl: no such file or directory\n"
        );
        assert_eq!(
            err("go-template={{.a"),
            "error: error parsing template {{.a, template: output:1: unclosed action\n"
        );
    }

    #[test]
    fn jsonpath_execution_error_dumps_the_object() {
        let p = printer("jsonpath={.items[0].metadata.name}");
        let empty = json!({"apiVersion": "v1", "items": [], "kind": "List",
            "metadata": {"resourceVersion": "", "selfLink": ""}});
        let err = p.print(&empty).error.unwrap().render(22);
        assert_eq!(
            err,
            "error: error executing jsonpath \"{.items[0].metadata.name}\": Error executing template: array index out of bounds: index 0, length 0. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.items[0].metadata.name}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"apiVersion\":\"v1\", \"items\":[]interface {}{}, \"kind\":\"List\", \"metadata\":map[string]interface {}{\"resourceVersion\":\"\", \"selfLink\":\"\"}}\n\n\n"
        );
    }
}
