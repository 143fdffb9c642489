//! kubectl's explain over the OpenAPI v3 documents (v1.27+): the
//! `plaintext` template (`kubectl/pkg/explain/v2/templates/plaintext.tmpl`)
//! with its helper functions (`funcs.go`), ported template by template —
//! `output`, `description`, `fieldList`, `fieldDetail`, `typeGuess`,
//! `extractEnum` — so the quirks come along: the description of a field
//! path joins the field's and its type's, a cycle ends a walk, the text
//! ends with the template's final line break, and an error after the
//! header leaves the header printed (Go templates write as they go).

use std::collections::BTreeSet;

use super::{
    schemas::{Document, Library, Node, NodeId},
    wrap::{self, WordWrapVersion},
};

/// How this kubectl release renders (see the `Explain*` facts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// `extractEnum` (v1.30+): `ENUM:` under a field, `enum:` after a
    /// field's type.
    pub enums: bool,
    /// The go-wordwrap release kubectl was built with.
    pub word_wrap: WordWrapVersion,
}

/// What to explain.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The definition whose `x-kubernetes-group-version-kind` is the
    /// resource's, if the document has one.
    pub root: Option<NodeId>,
    /// The group (empty for core).
    pub group: &'a str,
    /// The version.
    pub version: &'a str,
    /// The kind.
    pub kind: &'a str,
    /// The field path after the resource.
    pub path: &'a [String],
    /// `--recursive`.
    pub recursive: bool,
}

/// The printed text, and the error the template threw, if any (after the
/// text printed so far).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// What reached stdout.
    pub text: String,
    /// The error, without kubectl's `error: ` prefix.
    pub error: Option<String>,
}

type History = BTreeSet<String>;

struct Template<'a> {
    lib: &'a Library,
    doc: &'a Document,
    style: Style,
}

impl Template<'_> {
    fn node(&self, id: NodeId) -> &Node {
        self.lib.node(id)
    }

    /// `or (resolveRef $ref $.Document) $.schema`.
    fn resolve(&self, id: NodeId) -> NodeId {
        self.node(id).reference.as_deref().and_then(|r| self.doc.definition(r)).unwrap_or(id)
    }

    fn description(&self, id: NodeId) -> Option<&str> {
        self.lib.description(self.node(id)).filter(|d| !d.is_empty())
    }

    fn wrap(&self, s: &str, width: usize) -> String {
        wrap::word_wrap(s, width, self.style.word_wrap)
    }

    /// `output`: follows the field path, then prints the description and
    /// the field list; empty when the path leads nowhere.
    fn output(&self, id: NodeId, history: &History, path: &[String], recursive: bool) -> String {
        let node = self.node(id);
        let reference = node.reference.clone().unwrap_or_default();
        let mut next = history.clone();
        next.insert(reference.clone());
        let resolved = self.resolve(id);
        let rnode = self.node(resolved);
        if path.is_empty() {
            let mut s = String::from("DESCRIPTION:\n");
            let mut d = self.description_of(resolved);
            if d.is_empty() {
                d = "<empty>".to_owned();
            }
            s.push_str(&wrap::indent(4, &self.wrap(&d, 76)));
            s.push('\n');
            let fields = self.field_list(resolved, 1, &History::new(), recursive);
            if !fields.is_empty() {
                s.push_str("FIELDS:\n");
                s.push_str(&fields);
            }
            return s;
        }
        if !reference.is_empty() && history.contains(&reference) {
            return String::new();
        }
        if let Some(sub) = rnode.property(&path[0]) {
            let mut s = String::new();
            if path.len() == 1 {
                s.push_str(&format!("FIELD: {} <{}>\n", path[0], self.type_guess(sub)));
                if self.style.enums {
                    s.push_str(&self.extract_enum(sub, true, None, 0));
                    s.push('\n');
                }
                s.push('\n');
            }
            s.push_str(&self.output(sub, &History::new(), &path[1..], recursive));
            return s;
        }
        if let Some(items) = rnode.items {
            return self.output(items, &next, path, recursive);
        }
        if let Some(ap) = rnode.additional_schema() {
            return self.output(ap, &next, path, recursive);
        }
        for &sub in &rnode.all_of {
            let s = self.output(sub, &next, path, recursive);
            if !s.is_empty() {
                return s;
            }
        }
        String::new()
    }

    /// `description`: the schema's own description, then those of its
    /// allOf members, items and additionalProperties, a line each.
    fn description_of(&self, id: NodeId) -> String {
        let resolved = self.resolve(id);
        let node = self.node(resolved);
        let mut s = String::new();
        if let Some(d) = self.description(resolved) {
            s.push_str(d);
            s.push('\n');
        }
        for &sub in &node.all_of {
            s.push_str(&self.description_of(sub));
        }
        if let Some(items) = node.items {
            s.push_str(&self.description_of(items));
        }
        if let Some(ap) = node.additional_schema() {
            s.push_str(&self.description_of(ap));
        }
        s
    }

    /// `fieldList`.
    fn field_list(&self, id: NodeId, level: usize, history: &History, recursive: bool) -> String {
        let reference = self.node(id).reference.clone().unwrap_or_default();
        if !reference.is_empty() && history.contains(&reference) {
            return String::new();
        }
        let mut next = history.clone();
        next.insert(reference);
        let resolved = self.resolve(id);
        let node = self.node(resolved);
        let mut s = String::new();
        for (name, field) in node.sorted_properties() {
            s.push_str(&self.field_detail(resolved, name, recursive, level));
            if recursive {
                s.push_str(&self.field_list(field, level + 1, &next, recursive));
            }
        }
        for &sub in &node.all_of {
            s.push_str(&self.field_list(sub, level, &next, recursive));
        }
        if let Some(items) = node.items {
            s.push_str(&self.field_list(items, level, &next, recursive));
        }
        if let Some(ap) = node.additional_schema() {
            s.push_str(&self.field_list(ap, level, &next, recursive));
        }
        s
    }

    /// `fieldDetail`: `name\t<type>`, then (unless short) the description
    /// wrapped to 78 columns less the indent.
    fn field_detail(&self, schema: NodeId, name: &str, short: bool, level: usize) -> String {
        let indent = level * 2;
        let node = self.node(schema);
        let field = node.property(name).expect("field of the schema");
        let mut s = format!("{}{name}\t<{}>", " ".repeat(indent), self.type_guess(field));
        if node.required.iter().any(|r| r == name) {
            s.push_str(" -required-");
        }
        if self.style.enums {
            s.push_str(&self.extract_enum(field, false, Some(4), indent));
        }
        s.push('\n');
        if !short {
            let d = self.description(field).unwrap_or("<no description>");
            s.push_str(&wrap::indent(indent + 2, &self.wrap(d, 78usize.saturating_sub(indent))));
            s.push('\n');
            s.push('\n');
        }
        s
    }

    /// `typeGuess`: `[]T`, `map[string]T`, the name of a referenced object
    /// type (its last dotted segment), a referenced primitive's type,
    /// `Object` for objects and untyped schemas.
    fn type_guess(&self, id: NodeId) -> String {
        let node = self.node(id);
        if let Some(items) = node.items {
            return format!("[]{}", self.type_guess(items));
        }
        if let Some(ap) = node.additional_schema() {
            return format!("map[string]{}", self.type_guess(ap));
        }
        let no_properties = node.properties.as_ref().is_none_or(Vec::is_empty);
        if node.all_of.len() == 1 && no_properties {
            return self.type_guess(node.all_of[0]);
        }
        if let Some(reference) = &node.reference {
            let target = self.doc.definition(reference).map(|t| self.node(t));
            return match target.and_then(|t| t.ty.as_deref()) {
                Some(ty) if ty != "object" => ty.to_owned(),
                _ => {
                    let last = reference.rsplit('.').next().unwrap_or_default();
                    if last.is_empty() { "Object".to_owned() } else { last.to_owned() }
                }
            };
        }
        match node.ty.as_deref() {
            Some("object") | None | Some("") => "Object".to_owned(),
            Some(ty) => ty.to_owned(),
        }
    }

    /// `extractEnum` (v1.30+): the long view (`ENUM:` and one value a line,
    /// under `FIELD:`), or the short one (`enum: a, b, c, d, ....` on a
    /// line of its own after a field's type); `""` for the empty string.
    fn extract_enum(&self, id: NodeId, long: bool, limit: Option<usize>, indent: usize) -> String {
        let values = &self.node(id).enumeration;
        if values.is_empty() {
            return String::new();
        }
        let mut s =
            if long { "ENUM:".to_owned() } else { format!("\n{}enum: ", " ".repeat(indent)) };
        for (i, v) in values.iter().enumerate() {
            if limit.is_some_and(|l| i >= l) {
                s.push_str(", ....");
                break;
            }
            if long {
                s.push_str("\n    ");
            } else if i > 0 {
                s.push_str(", ");
            }
            match v {
                serde_json::Value::String(text) if text.is_empty() => s.push_str("\"\""),
                serde_json::Value::String(text) => s.push_str(text),
                other => s.push_str(&other.to_string()),
            }
        }
        s
    }
}

/// Renders the template for one resource (its group-version-kind found by
/// the caller, as the template finds it in the document's paths).
pub fn render(lib: &Library, doc: &Document, request: &Request<'_>, style: Style) -> Rendered {
    let t = Template { lib, doc, style };
    let mut text = String::new();
    if !request.group.is_empty() {
        text.push_str(&format!("GROUP:      {}\n", request.group));
    }
    text.push_str(&format!("KIND:       {}\n", request.kind));
    text.push_str(&format!("VERSION:    {}\n", request.version));
    text.push('\n');
    let Some(root) = request.root else {
        // `throw "error: GVK %v not found in OpenAPI schema"` with the
        // GVK map printed by Go's %v.
        let error = format!(
            "GVK map[group:{} kind:{} version:{}] not found in OpenAPI schema",
            request.group, request.kind, request.version
        );
        return Rendered { text, error: Some(error) };
    };
    let out = t.output(root, &History::new(), request.path, request.recursive);
    if out.is_empty() {
        // `throw "error: field \"%v\" does not exist"` names the last
        // element of the path, wherever the walk stopped.
        let last = request.path.last().cloned().unwrap_or_default();
        return Rendered { text, error: Some(format!("field \"{last}\" does not exist")) };
    }
    text.push_str(&out);
    text.push('\n');
    Rendered { text, error: None }
}
