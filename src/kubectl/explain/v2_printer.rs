//! kubectl's explain printer over the OpenAPI v2 document
//! (`kubectl/pkg/explain/`: `field_lookup.go`, `model_printer.go`,
//! `fields_printer.go`, `recursive_fields_printer.go`, `typename.go`,
//! `formatter.go`), the only one before v1.27 and `--output
//! plaintext-openapiv2` after.
//!
//! It reads the document as kube-openapi's `proto` models
//! (`pkg/util/proto/document.go` `ParseSchema`): a `$ref` is a reference
//! (carrying the referencing field's description); otherwise an object
//! with properties (or untyped with properties) is a kind, an object
//! without is a map, an array an array, an untyped schema without
//! properties arbitrary, anything else a primitive.

use super::{
    schemas::{Document, Library, NodeId},
    wrap,
};

/// How this kubectl release prints (see the `Explain*` facts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// `wrapString` keeps line breaks that start lists, code and
    /// paragraphs (v1.19+); before, a description is one paragraph.
    pub keeps_line_breaks: bool,
    /// The description at the top is printed as text (v1.24+); before, it
    /// went through `fmt.Sprintf` as a format string.
    pub description_as_text: bool,
    /// `Formatter.Write` formats a line only when given arguments (v1.11+);
    /// v1.10 passed every wrapped description line through `fmt.Sprintf`.
    pub lines_as_text: bool,
    /// `--recursive` stops at a reference it is already expanding (v1.13+);
    /// before, a cycle (JSONSchemaProps) overflowed the stack.
    pub cycle_guard: bool,
    /// Schemas without a type (arbitrary JSON) are printed, and an empty
    /// description prints `<empty>` (v1.14+). Before, an arbitrary value
    /// at the end of the path printed nothing, and a walk that had to step
    /// onto one left kubectl with a nil schema: it panicked.
    pub arbitrary: bool,
}

/// The proto model of a schema node.
#[derive(Debug, Clone, Copy)]
enum Model {
    Kind(NodeId),
    Array(NodeId),
    Map(NodeId),
    Primitive(NodeId),
    Arbitrary(NodeId),
    /// The referencing node (its description), and the definition.
    Reference(NodeId, Option<NodeId>),
}

/// Why explain stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// `field %q does not exist` (`field_lookup.go`).
    NoField(String),
    /// kubectl crashed (a Go panic or stack overflow, not emulated); the
    /// text says how.
    Crash(String),
}

struct Printer<'a> {
    lib: &'a Library,
    doc: &'a Document,
    style: Style,
    recursive: bool,
    out: String,
}

impl Printer<'_> {
    fn classify(&self, id: NodeId) -> Model {
        let node = self.lib.node(id);
        if let Some(r) = &node.reference {
            return Model::Reference(id, self.doc.definition(r));
        }
        match node.ty.as_deref() {
            None if node.properties.is_some() => Model::Kind(id),
            None => Model::Arbitrary(id),
            Some("object") if node.properties.is_some() => Model::Kind(id),
            Some("object") => Model::Map(id),
            Some("array") => Model::Array(id),
            Some(_) => Model::Primitive(id),
        }
    }

    /// The model inside an array, map or reference.
    fn sub(&self, m: Model) -> Option<Model> {
        match m {
            Model::Array(id) => self.lib.node(id).items.map(|i| self.classify(i)),
            // `parseMap`: no schema for the values makes them arbitrary.
            Model::Map(id) => Some(
                self.lib
                    .node(id)
                    .additional_schema()
                    .map_or(Model::Arbitrary(id), |a| self.classify(a)),
            ),
            Model::Reference(_, def) => def.map(|d| self.classify(d)),
            _ => None,
        }
    }

    fn node_of(m: Model) -> NodeId {
        match m {
            Model::Kind(id)
            | Model::Array(id)
            | Model::Map(id)
            | Model::Primitive(id)
            | Model::Arbitrary(id)
            | Model::Reference(id, _) => id,
        }
    }

    fn description(&self, m: Model) -> &str {
        self.lib.description(self.lib.node(Self::node_of(m))).unwrap_or_default()
    }

    /// `GetTypeName` (`typename.go`); arbitrary has no name.
    fn type_name(&self, m: Model) -> String {
        match m {
            Model::Array(_) => {
                format!("[]{}", self.sub(m).map(|s| self.type_name(s)).unwrap_or_default())
            }
            Model::Map(_) => {
                format!("map[string]{}", self.sub(m).map(|s| self.type_name(s)).unwrap_or_default())
            }
            Model::Kind(_) => "Object".to_owned(),
            Model::Primitive(id) => self.lib.node(id).ty.clone().unwrap_or_default(),
            Model::Reference(..) => self.sub(m).map(|s| self.type_name(s)).unwrap_or_default(),
            Model::Arbitrary(_) => String::new(),
        }
    }

    /// `LookupSchemaForField`: arrays, maps and references pass through;
    /// a primitive or arbitrary value ends the walk wherever it is met.
    fn lookup(&self, m: Model, path: &[String]) -> Result<Model, LookupError> {
        match m {
            Model::Arbitrary(_) if !self.style.arbitrary => Err(LookupError::Crash(
                "a field without a schema type before v1.14 (kubectl's field lookup had no case for it and panicked on the nil schema)".to_owned(),
            )),
            Model::Primitive(_) | Model::Arbitrary(_) => Ok(m),
            _ if path.is_empty() => Ok(m),
            Model::Kind(id) => {
                let field = self
                    .lib
                    .node(id)
                    .property(&path[0])
                    .ok_or_else(|| LookupError::NoField(path[0].clone()))?;
                self.lookup(self.classify(field), &path[1..])
            }
            _ => match self.sub(m) {
                Some(s) => self.lookup(s, path),
                None => Ok(m),
            },
        }
    }

    /// `Formatter.Write`: an empty line is not indented.
    fn write(&mut self, indent: usize, s: &str) {
        if !s.is_empty() {
            self.out.push_str(&" ".repeat(indent));
            self.out.push_str(s);
        }
        self.out.push('\n');
    }

    /// `Formatter.WriteWrapped` with `Wrap: 80`.
    fn write_wrapped(&mut self, indent: usize, text: &str) {
        let width = 80usize.saturating_sub(indent);
        let lines = if self.style.keeps_line_breaks {
            wrap::fill_lines(text, width)
        } else {
            wrap::fill_words(text, width)
        };
        for line in lines {
            let line =
                if self.style.lines_as_text { line } else { wrap::sprintf_without_args(&line) };
            self.write(indent, &line);
        }
    }

    fn print_model(
        &mut self,
        name: &str,
        m: Model,
        header: &(String, String),
    ) -> Result<(), LookupError> {
        let mut descriptions: Vec<String> = Vec::new();
        let mut ty = String::new();
        let mut m = m;
        loop {
            match m {
                Model::Array(_) | Model::Map(_) | Model::Reference(..) => {
                    descriptions.push(self.description(m).to_owned());
                    if ty.is_empty() && !matches!(m, Model::Reference(..)) {
                        ty = self.type_name(m);
                    }
                    match self.sub(m) {
                        Some(s) => m = s,
                        None => return Ok(()),
                    }
                }
                Model::Kind(id) => {
                    self.kind_and_version(header);
                    if ty.is_empty() {
                        ty = self.type_name(m);
                    }
                    if !name.is_empty() {
                        self.write(0, &format!("RESOURCE: {name} <{ty}>\n"));
                    }
                    descriptions.push(self.description(m).to_owned());
                    self.print_description(&descriptions);
                    self.write(0, "\nFIELDS:");
                    return self.fields(3, id);
                }
                Model::Primitive(_) => {
                    self.kind_and_version(header);
                    if ty.is_empty() {
                        ty = self.type_name(m);
                    }
                    self.write(0, &format!("FIELD:    {name} <{ty}>\n"));
                    descriptions.push(self.description(m).to_owned());
                    self.print_description(&descriptions);
                    return Ok(());
                }
                // Before v1.14 the model printer had no case for it.
                Model::Arbitrary(_) if !self.style.arbitrary => return Ok(()),
                Model::Arbitrary(_) => {
                    self.kind_and_version(header);
                    descriptions.push(self.description(m).to_owned());
                    self.print_description(&descriptions);
                    return Ok(());
                }
            }
        }
    }

    /// `PrintKindAndVersion`.
    fn kind_and_version(&mut self, (kind, group_version): &(String, String)) {
        self.write(0, &format!("KIND:     {kind}"));
        self.write(0, &format!("VERSION:  {group_version}\n"));
    }

    /// `PrintDescription`: the descriptions met on the way (a field's, the
    /// array's, the referenced type's), blank-line separated; a blank line
    /// comes before every one but the first in the list, printed or not.
    fn print_description(&mut self, descriptions: &[String]) {
        self.write(0, "DESCRIPTION:");
        let mut empty = true;
        for (i, desc) in descriptions.iter().enumerate() {
            if desc.is_empty() {
                continue;
            }
            empty = false;
            if i != 0 {
                self.write(0, "");
            }
            let text = if self.style.description_as_text {
                desc.clone()
            } else {
                wrap::sprintf_without_args(desc)
            };
            self.write_wrapped(5, &text);
        }
        if empty && self.style.arbitrary {
            self.write_wrapped(5, "<empty>");
        }
    }

    /// The fields printer for a kind at `indent` (3).
    fn fields(&mut self, indent: usize, kind: NodeId) -> Result<(), LookupError> {
        if self.recursive {
            let mut visiting = Vec::new();
            return self.recursive_fields(indent, Model::Kind(kind), &mut visiting);
        }
        let node = self.lib.node(kind);
        for (name, field) in node.sorted_properties() {
            let required = if node.required.iter().any(|r| r == name) { " -required-" } else { "" };
            let m = self.classify(field);
            let line = format!("{name}\t<{}>{required}", self.type_name(m));
            self.write(indent, &line);
            let desc = self.description(m).to_owned();
            self.write_wrapped(indent + 2, &desc);
            self.write(0, "");
        }
        Ok(())
    }

    /// `recursiveFieldsPrinter`: names and types only, three more spaces
    /// per level; a reference already being expanded on the way down is
    /// not expanded again.
    fn recursive_fields(
        &mut self,
        indent: usize,
        m: Model,
        visiting: &mut Vec<NodeId>,
    ) -> Result<(), LookupError> {
        match m {
            Model::Kind(id) => {
                for (name, field) in self.lib.node(id).sorted_properties() {
                    let f = self.classify(field);
                    let line = format!("{name}\t<{}>", self.type_name(f));
                    self.write(indent, &line);
                    self.recursive_fields(indent + 3, f, visiting)?;
                }
            }
            Model::Array(_) | Model::Map(_) => {
                if let Some(s) = self.sub(m) {
                    self.recursive_fields(indent, s, visiting)?;
                }
            }
            Model::Reference(_, Some(def)) => {
                if visiting.contains(&def) {
                    if self.style.cycle_guard {
                        return Ok(());
                    }
                    return Err(LookupError::Crash(
                        "--recursive through a self-referencing type before v1.13 (kubectl recursed until its stack overflowed)".to_owned(),
                    ));
                }
                visiting.push(def);
                let s = self.classify(def);
                self.recursive_fields(indent, s, visiting)?;
                visiting.pop();
            }
            Model::Reference(_, None) | Model::Primitive(_) | Model::Arbitrary(_) => {}
        }
        Ok(())
    }
}

/// What to explain.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The definition of the kind (`LookupResource`).
    pub root: NodeId,
    /// `Kind`.
    pub kind: &'a str,
    /// `group/version` (`v1` for core).
    pub group_version: String,
    /// The field path after the resource.
    pub path: &'a [String],
    /// `--recursive`.
    pub recursive: bool,
}

/// `explain.PrintModelDescription`: the text, or why kubectl stopped (a
/// lookup error prints nothing before it; a crash is not emulated).
pub fn render(
    lib: &Library,
    doc: &Document,
    request: &Request<'_>,
    style: Style,
) -> Result<String, LookupError> {
    let mut p = Printer { lib, doc, style, out: String::new(), recursive: request.recursive };
    let root = p.classify(request.root);
    let m = p.lookup(root, request.path)?;
    let name = request.path.last().cloned().unwrap_or_default();
    p.print_model(&name, m, &(request.kind.to_owned(), request.group_version.clone()))?;
    Ok(p.out)
}
