//! kubectl's JSONPath (`k8s.io/client-go/util/jsonpath`: `parser.go`,
//! `jsonpath.go`), over the JSON form of objects — which is what kubectl
//! queries too, since `get` hands the printers unstructured objects
//! (`cli-runtime/pkg/printers/jsonpath.go` `PrintObj`).
//!
//! This is a port of the Go parser and evaluator, quirks included:
//! - templates mix text and `{...}` actions; inside an action, `"\n"` is a
//!   quoted text node (Go escapes), `range`/`end` are identifiers;
//! - `{range X}...{end}` is run by the Go evaluator's counters (`beginRange`,
//!   `inRange`, `endRange`) and a stack, so what follows `{end}` runs once,
//!   after the last item — and never when the range is empty;
//! - a result that is a map or a list prints as compact JSON
//!   (`PrintResults`, kubernetes#89660, since v1.19); other values print as
//!   Go's `fmt.Fprint` does (`<nil>` for null, `null` from v1.29);
//! - several results of one action are joined by single spaces;
//! - a filter compares like `text/template`'s `eq`/`lt`: an integer field
//!   never equals a number literal (the literal is a float), mismatched
//!   kinds compare false.
//!
//! The Go-syntax renderings kubectl uses around JSONPath (`fmt.Sprint` in
//! custom columns, `%#v` in execution errors, `json.Marshal`) live here too.

pub use crate::textutil::go_text::quote as go_quote;
use serde_json::Value;

/// A parse error, worded as `parser.go` words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `ParamsEntry` of an array node (`[start:end:step]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

/// A node of the parse tree (`node.go`).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    List(Vec<Node>),
    Text(String),
    Field(String),
    Array([Param; 3]),
    Filter { left: Vec<Node>, right: Vec<Node>, op: String },
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Identifier(String),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    root: Vec<Node>,
    allow_missing_keys: bool,
    null_text: bool,
}

// ---------------------------------------------------------------- parser

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    width: usize,
    /// Top-level nodes; `parseRightDelim` returns here (`p.Root`).
    root: Vec<Node>,
}

const EOF: Option<char> = None;

fn err<T>(message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError(message.into()))
}

/// `Parse(name, text)`: the top-level node list.
fn parse(text: &str) -> Result<Vec<Node>, ParseError> {
    let mut p = Parser { input: text, pos: 0, start: 0, width: 0, root: Vec::new() };
    p.parse_text()?;
    Ok(p.root)
}

/// `parseAction`: parses `{text}` and returns the action's node list.
fn parse_action(text: &str) -> Result<Vec<Node>, ParseError> {
    let root = parse(&format!("{{{text}}}"))?;
    match root.into_iter().next() {
        Some(Node::List(nodes)) => Ok(nodes),
        _ => Ok(Vec::new()),
    }
}

impl Parser<'_> {
    fn consume_text(&mut self) -> String {
        let value = self.input[self.start..self.pos].to_owned();
        self.start = self.pos;
        value
    }

    fn next(&mut self) -> Option<char> {
        match self.input[self.pos..].chars().next() {
            None => {
                self.width = 0;
                EOF
            }
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
        }
    }

    fn peek(&mut self) -> Option<char> {
        let r = self.next();
        self.backup();
        r
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    /// Appends to the current action: the last list of the root (actions
    /// never nest lists in the Go parser outside of `parseAction`).
    fn cur(&mut self) -> &mut Vec<Node> {
        match self.root.last_mut() {
            Some(Node::List(nodes)) => nodes,
            _ => unreachable!("an action list is open"),
        }
    }

    fn parse_text(&mut self) -> Result<(), ParseError> {
        loop {
            if self.input[self.pos..].starts_with('{') {
                if self.pos > self.start {
                    let text = self.consume_text();
                    self.root.push(Node::Text(text));
                }
                return self.parse_left_delim();
            }
            if self.next() == EOF {
                break;
            }
        }
        if self.pos > self.start {
            let text = self.consume_text();
            self.root.push(Node::Text(text));
        }
        Ok(())
    }

    fn parse_left_delim(&mut self) -> Result<(), ParseError> {
        self.pos += 1;
        self.consume_text();
        self.root.push(Node::List(Vec::new()));
        self.parse_inside_action()
    }

    fn parse_inside_action(&mut self) -> Result<(), ParseError> {
        loop {
            let rest = &self.input[self.pos..];
            if rest.starts_with('}') {
                self.pos += 1;
                self.consume_text();
                return self.parse_text();
            }
            if rest.starts_with("[?(") {
                self.parse_filter()?;
                continue;
            }
            if rest.starts_with("..") {
                self.parse_recursive()?;
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return err("unclosed action"),
                Some(' ') | Some('@' | '$') => {
                    self.consume_text();
                }
                Some('[') => self.parse_array()?,
                Some(q @ ('"' | '\'')) => self.parse_quote(q)?,
                Some('.') => self.parse_field()?,
                Some(c) if c == '+' || c == '-' || c.is_ascii_digit() => {
                    self.backup();
                    self.parse_number()?;
                }
                Some(c) if is_alphanumeric(c) => {
                    self.backup();
                    self.parse_identifier();
                }
                Some(c) => {
                    return err(format!("unrecognized character in action: {}", go_unicode(c)));
                }
            }
        }
    }

    fn parse_identifier(&mut self) {
        loop {
            let r = self.next();
            if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let value = self.consume_text();
        let node = match value.as_str() {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => Node::Identifier(value),
        };
        self.cur().push(node);
    }

    fn parse_recursive(&mut self) -> Result<(), ParseError> {
        if matches!(self.cur().last(), Some(Node::Recursive)) {
            return err("invalid multiple recursive descent");
        }
        self.pos += 2;
        self.consume_text();
        self.cur().push(Node::Recursive);
        if self.peek().is_some_and(is_alphanumeric) {
            self.parse_field()?;
        }
        Ok(())
    }

    fn parse_number(&mut self) -> Result<(), ParseError> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            match self.next() {
                Some(c) if c == '.' || c.is_ascii_digit() => {}
                _ => {
                    self.backup();
                    break;
                }
            }
        }
        let value = self.consume_text();
        if let Ok(i) = value.parse::<i64>() {
            self.cur().push(Node::Int(i));
            return Ok(());
        }
        if let Ok(f) = value.parse::<f64>() {
            self.cur().push(Node::Float(f));
            return Ok(());
        }
        err(format!("cannot parse number {value}"))
    }

    fn parse_array(&mut self) -> Result<(), ParseError> {
        loop {
            match self.next() {
                None | Some('\n') => return err("unterminated array"),
                Some(']') => break,
                _ => {}
            }
        }
        let text = self.consume_text();
        let mut text = text[1..text.len() - 1].to_owned();
        if text == "*" {
            text = ":".to_owned();
        }
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for part in parts {
                union.push(parse_action(&format!("[{}]", part.trim_matches(' ')))?);
            }
            self.cur().push(Node::Union(union));
            return Ok(());
        }
        // `['key']`: a dict key.
        if text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'') {
            let key = &text[1..text.len() - 1];
            if !key.contains('\'') {
                let nodes = parse_action(&format!(".{key}"))?;
                self.cur().extend(nodes);
                return Ok(());
            }
        }
        let params = slice_params(&text)?;
        self.cur().push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self) -> Result<(), ParseError> {
        self.pos += 3;
        self.consume_text();
        let mut begin = false;
        let mut end = false;
        let mut pair = '\0';
        loop {
            let r = self.next();
            match r {
                None | Some('\n') => return err("unterminated filter"),
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                        continue;
                    }
                    if self.input.as_bytes()[self.pos - 2] != b'\\' && q == pair {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return err("unclosed array expect ]");
        }
        let text = self.consume_text();
        let text = &text[..text.len() - 2];
        match split_comparison(text) {
            None => {
                let left = parse_action(text)?;
                self.cur().push(Node::Filter { left, right: Vec::new(), op: "exists".into() });
            }
            Some((l, op, r)) => {
                let left = parse_action(l)?;
                let right = parse_action(r)?;
                self.cur().push(Node::Filter { left, right, op: op.to_owned() });
            }
        }
        Ok(())
    }

    fn parse_quote(&mut self, end: char) -> Result<(), ParseError> {
        loop {
            match self.next() {
                None | Some('\n') => return err("unterminated quoted string"),
                Some(c) if c == end && self.input.as_bytes()[self.pos - 2] != b'\\' => break,
                _ => {}
            }
        }
        let value = self.consume_text();
        let text = unquote_extend(&value)
            .ok_or_else(|| ParseError(format!("unquote string {value} error invalid syntax")))?;
        self.cur().push(Node::Text(text));
        Ok(())
    }

    fn parse_field(&mut self) -> Result<(), ParseError> {
        self.consume_text();
        while self.advance() {}
        let value = self.consume_text();
        let node = if value == "*" { Node::Wildcard } else { Node::Field(value.replace('\\', "")) };
        self.cur().push(node);
        Ok(())
    }

    fn advance(&mut self) -> bool {
        let r = self.next();
        if r == Some('\\') {
            self.next();
        } else if is_terminator(r) {
            self.backup();
            return false;
        }
        true
    }
}

/// `sliceOperatorRex` `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` and the params
/// `parseArray` derives from it.
fn slice_params(text: &str) -> Result<[Param; 3], ParseError> {
    let invalid = || ParseError(format!("invalid array index {text}"));
    let groups: Vec<&str> = text.split(':').collect();
    if groups.len() > 3 {
        return Err(invalid());
    }
    let number_like = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        digits.chars().all(|c| c.is_ascii_digit())
    };
    if !groups.iter().all(|g| number_like(g)) {
        return Err(invalid());
    }
    let mut params = [Param::default(); 3];
    for i in 0..3 {
        match groups.get(i) {
            Some(g) if i == 0 && !g.is_empty() || i > 0 => {
                // A present group; `:` alone (empty after the colon) is unknown.
                if g.is_empty() {
                    params[i].known = false;
                } else {
                    params[i].known = true;
                    params[i].value = g
                        .parse()
                        .map_err(|_| ParseError(format!("array index {g} is not a number")))?;
                }
            }
            _ => {
                if i == 1 {
                    params[1] = Param { value: params[0].value + 1, known: true, derived: true };
                } else {
                    params[i] = Param::default();
                }
            }
        }
    }
    Ok(params)
}

/// The filter regex `^([^!<>=]+)([!<>=]+)(.+?)$`.
fn split_comparison(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let op_start = text.find(is_op)?;
    if op_start == 0 {
        return None;
    }
    let op_len = text[op_start..].find(|c: char| !is_op(c))?;
    let right = &text[op_start + op_len..];
    if right.is_empty() {
        return None;
    }
    Some((&text[..op_start], &text[op_start..op_start + op_len], right))
}

fn is_terminator(r: Option<char>) -> bool {
    match r {
        None => true,
        Some(c) => {
            matches!(c, ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
        }
    }
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// Go's `%#U`: `U+0021 '!'`.
fn go_unicode(c: char) -> String {
    format!("U+{:04X} '{c}'", c as u32)
}

/// `UnquoteExtend`: Go `strconv.Unquote` accepting single quotes too.
fn unquote_extend(s: &str) -> Option<String> {
    let quote = s.chars().next()?;
    if s.len() < 2 || !s.ends_with(quote) || !matches!(quote, '"' | '\'') {
        return None;
    }
    let body = &s[1..s.len() - 1];
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == quote {
            return None;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '\'' if quote == '\'' => out.push('\''),
            '"' if quote == '"' => out.push('"'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&hex, 16).ok()?));
            }
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

// ------------------------------------------------------------- evaluator

/// A Go value the evaluator passes around: a piece of the JSON document, or
/// a literal from the template (Go `string`, `int`, `float64`, `bool`).
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A JSON value from the object (numbers are `int64` when integral, as
    /// unstructured decoding makes them, else `float64`).
    Json(Value),
    /// A text node.
    Str(String),
    /// An integer literal (Go `int`).
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A bool literal.
    Bool(bool),
}

struct Eval {
    allow_missing_keys: bool,
    stack: Vec<Vec<Val>>,
    cur: Vec<Val>,
    begin_range: i32,
    in_range: i32,
    end_range: i32,
    /// `j.parser.Root.Nodes`, which a range rewrites as it loops.
    nodes: Vec<Node>,
}

/// An execution error (`error executing jsonpath ...` wraps it).
pub type ExecError = String;

impl JsonPath {
    /// `jsonpath.New(name).Parse(text)`.
    pub fn parse(text: &str) -> Result<JsonPath, ParseError> {
        Ok(JsonPath { root: parse(text)?, allow_missing_keys: false, null_text: false })
    }

    /// `AllowMissingKeys`.
    pub fn allow_missing_keys(mut self, allow: bool) -> JsonPath {
        self.allow_missing_keys = allow;
        self
    }

    /// Whether a null result prints `null` (`evalToText`, client-go
    /// v0.29.0, [`crate::version::Fact::JsonPathNullPrintsNull`]) rather
    /// than `fmt.Fprint`'s `<nil>`.
    pub fn null_text(mut self, null: bool) -> JsonPath {
        self.null_text = null;
        self
    }

    /// `FindResults`: one result list per top-level node printed.
    pub fn find_results(&self, data: &Value) -> Result<Vec<Vec<Val>>, ExecError> {
        let mut eval = Eval {
            allow_missing_keys: self.allow_missing_keys,
            stack: Vec::new(),
            cur: Vec::new(),
            begin_range: 0,
            in_range: 0,
            end_range: 0,
            nodes: self.root.clone(),
        };
        eval.find_results(Val::Json(data.clone()))
    }

    /// `Execute`: the text the template prints for `data`.
    pub fn execute(&self, data: &Value) -> Result<String, ExecError> {
        let mut out = String::new();
        for results in self.find_results(data)? {
            out.push_str(&print_results_with(&results, self.null_text));
        }
        Ok(out)
    }
}

/// `PrintResults`: maps and lists as compact JSON, the rest as `fmt.Fprint`,
/// separated by spaces.
pub fn print_results(results: &[Val]) -> String {
    print_results_with(results, false)
}

/// [`print_results`], a null printed `null` when `null_text` is set.
fn print_results_with(results: &[Val], null_text: bool) -> String {
    let texts: Vec<String> = results
        .iter()
        .map(|r| match r {
            Val::Json(v @ (Value::Object(_) | Value::Array(_))) => go_json(v),
            Val::Json(Value::Null) if null_text => "null".to_owned(),
            other => go_sprint_val(other),
        })
        .collect();
    texts.join(" ")
}

/// The value of a Go `reflect.Value` printed with `fmt.Sprint`.
pub fn go_sprint_val(v: &Val) -> String {
    match v {
        Val::Json(v) => go_sprint(v),
        Val::Str(s) => s.clone(),
        Val::Int(i) => i.to_string(),
        Val::Float(f) => go_float(*f),
        Val::Bool(b) => b.to_string(),
    }
}

impl Eval {
    fn find_results(&mut self, data: Val) -> Result<Vec<Vec<Val>>, ExecError> {
        self.cur = vec![data];
        let nodes = self.nodes.clone();
        let mut full = Vec::new();
        let mut i = 0;
        while i < nodes.len() {
            let cur = self.cur.clone();
            let results = self.walk(cur, &nodes[i])?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                let count = results.len();
                for (k, value) in results.into_iter().enumerate() {
                    self.nodes = nodes[i + 1..].to_vec();
                    if k == count - 1 {
                        self.in_range -= 1;
                    }
                    full.extend(self.find_results(value)?);
                }
                break;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn walk(&mut self, input: Vec<Val>, node: &Node) -> Result<Vec<Val>, ExecError> {
        match node {
            Node::List(nodes) => self.eval_list(input, nodes),
            Node::Text(t) => Ok(vec![Val::Str(t.clone())]),
            Node::Field(name) => self.eval_field(input, name),
            Node::Array(params) => eval_array(input, *params),
            Node::Filter { left, right, op } => self.eval_filter(input, left, right, op),
            Node::Int(i) => Ok(input.iter().map(|_| Val::Int(*i)).collect()),
            Node::Float(f) => Ok(input.iter().map(|_| Val::Float(*f)).collect()),
            Node::Bool(b) => Ok(input.iter().map(|_| Val::Bool(*b)).collect()),
            Node::Wildcard => Ok(input.iter().flat_map(children).collect()),
            Node::Recursive => Ok(eval_recursive(input)),
            Node::Union(lists) => {
                let mut out = Vec::new();
                for list in lists {
                    out.extend(self.eval_list(input.clone(), list)?);
                }
                Ok(out)
            }
            Node::Identifier(name) => self.eval_identifier(input, name),
        }
    }

    fn eval_list(&mut self, input: Vec<Val>, nodes: &[Node]) -> Result<Vec<Val>, ExecError> {
        let mut cur = input;
        for node in nodes {
            cur = self.walk(cur, node)?;
        }
        Ok(cur)
    }

    fn eval_identifier(&mut self, input: Vec<Val>, name: &str) -> Result<Vec<Val>, ExecError> {
        match name {
            "range" => {
                self.stack.push(self.cur.clone());
                self.begin_range += 1;
                Ok(input)
            }
            "end" => {
                if self.end_range < self.in_range {
                    self.end_range += 1;
                } else if let Some(top) = self.stack.pop() {
                    self.cur = top;
                } else {
                    return Err("not in range, nothing to end".into());
                }
                Ok(Vec::new())
            }
            other => Err(format!("unrecognized identifier {other}")),
        }
    }

    fn eval_field(&mut self, input: Vec<Val>, name: &str) -> Result<Vec<Val>, ExecError> {
        let mut results = Vec::new();
        if input.is_empty() {
            return Ok(results);
        }
        for value in &input {
            if let Val::Json(Value::Object(map)) = value
                && let Some(v) = map.get(name)
            {
                results.push(Val::Json(v.clone()));
            }
        }
        if results.is_empty() && !self.allow_missing_keys {
            return Err(format!("{name} is not found"));
        }
        Ok(results)
    }

    fn eval_filter(
        &mut self,
        input: Vec<Val>,
        left: &[Node],
        right: &[Node],
        op: &str,
    ) -> Result<Vec<Val>, ExecError> {
        let mut results = Vec::new();
        for value in &input {
            let items = match value {
                Val::Json(Value::Array(_) | Value::Object(_)) => children(value),
                other => vec![other.clone()],
            };
            for item in items {
                let lefts = match self.eval_list(vec![item.clone()], left) {
                    Ok(l) => l,
                    Err(e) if !self.allow_missing_keys => return Err(e),
                    Err(_) => Vec::new(),
                };
                let rights = self.eval_list(vec![item.clone()], right)?;
                if lefts.is_empty() {
                    continue;
                }
                if lefts.len() > 1 {
                    return Err("can only compare one element at a time".into());
                }
                if op == "exists" {
                    results.push(item);
                    continue;
                }
                if rights.is_empty() {
                    continue;
                }
                if rights.len() > 1 {
                    return Err("can only compare one element at a time".into());
                }
                if compare(op, &lefts[0], &rights[0])? {
                    results.push(item);
                }
            }
        }
        Ok(results)
    }
}

/// Elements of a list, or values of a map in key order (`iterHelper`).
fn children(v: &Val) -> Vec<Val> {
    match v {
        Val::Json(Value::Array(items)) => items.iter().cloned().map(Val::Json).collect(),
        Val::Json(Value::Object(map)) => map.values().cloned().map(Val::Json).collect(),
        _ => Vec::new(),
    }
}

fn eval_recursive(input: Vec<Val>) -> Vec<Val> {
    let mut result = Vec::new();
    for value in input {
        let kids = children(&value);
        if !kids.is_empty() {
            result.push(value);
            result.extend(eval_recursive(kids));
        }
    }
    result
}

/// `reflect.Value.Type()` of a JSON value, for error texts.
fn go_type(v: &Val) -> &'static str {
    match v {
        Val::Json(Value::Object(_)) => "map[string]interface {}",
        Val::Json(Value::Array(_)) => "[]interface {}",
        Val::Json(Value::String(_)) | Val::Str(_) => "string",
        Val::Json(Value::Number(n)) if n.is_i64() || n.is_u64() => "int64",
        Val::Json(Value::Number(_)) | Val::Float(_) => "float64",
        Val::Json(Value::Bool(_)) | Val::Bool(_) => "bool",
        Val::Int(_) => "int",
        Val::Json(Value::Null) => "interface {}",
    }
}

fn eval_array(input: Vec<Val>, node_params: [Param; 3]) -> Result<Vec<Val>, ExecError> {
    let mut result = Vec::new();
    for value in &input {
        let items = match value {
            Val::Json(Value::Null) => continue,
            Val::Json(Value::Array(items)) => items,
            other => return Err(format!("{} is not array or slice", go_type(other))),
        };
        let len = items.len() as i64;
        let mut params = node_params;
        if !params[0].known {
            params[0].value = 0;
        }
        if params[0].value < 0 {
            params[0].value += len;
        }
        if !params[1].known {
            params[1].value = len;
        }
        if params[1].value < 0 || (params[1].value == 0 && params[1].derived) {
            params[1].value += len;
        }
        if params[1].value == params[0].value {
            return Ok(result);
        }
        if params[0].value >= len || params[0].value < 0 {
            return Err(format!(
                "array index out of bounds: index {}, length {len}",
                params[0].value
            ));
        }
        if params[1].value > len || params[1].value < 0 {
            return Err(format!(
                "array index out of bounds: index {}, length {len}",
                params[1].value - 1
            ));
        }
        if params[0].value > params[1].value {
            return Err(format!(
                "starting index {} is greater than ending index {}",
                params[0].value, params[1].value
            ));
        }
        let step = if params[2].known {
            if params[2].value <= 0 {
                return Err("step must be > 0".into());
            }
            params[2].value as usize
        } else {
            1
        };
        let slice = &items[params[0].value as usize..params[1].value as usize];
        result.extend(slice.iter().step_by(step).cloned().map(Val::Json));
    }
    Ok(result)
}

/// `text/template`'s basic kinds, as `evalOperator` sees them (an `int`
/// literal is converted to `float64` first).
#[derive(Debug, PartialEq, PartialOrd)]
enum Basic<'a> {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

fn basic(v: &Val) -> Option<Basic<'_>> {
    Some(match v {
        Val::Json(Value::Bool(b)) | Val::Bool(b) => Basic::Bool(*b),
        Val::Json(Value::Number(n)) => match n.as_i64() {
            Some(i) => Basic::Int(i),
            None => Basic::Float(n.as_f64()?),
        },
        Val::Int(i) => Basic::Float(*i as f64),
        Val::Float(f) => Basic::Float(*f),
        Val::Json(Value::String(s)) | Val::Str(s) => Basic::Str(s),
        _ => return None,
    })
}

/// `evalOperator`: comparisons of mismatched or unordered kinds are false.
fn compare(op: &str, left: &Val, right: &Val) -> Result<bool, ExecError> {
    let (Some(l), Some(r)) = (basic(left), basic(right)) else {
        return Ok(false);
    };
    if std::mem::discriminant(&l) != std::mem::discriminant(&r) {
        return Ok(false);
    }
    let ordered = !matches!(l, Basic::Bool(_));
    Ok(match op {
        "==" => l == r,
        "!=" => l != r,
        "<" => ordered && l < r,
        ">" => ordered && l > r,
        "<=" => ordered && l <= r,
        ">=" => ordered && l >= r,
        other => return Err(format!("unrecognized filter operator {other}")),
    })
}

// ------------------------------------------------- Go value renderings

/// Go `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): the
/// shortest representation, in exponent form when the decimal exponent is
/// below -4 or at least 6 (the shortest-`%g` precision), as in `1e+06`.
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let exp = f.abs().log10().floor() as i32;
    if (-4..6).contains(&exp) {
        format!("{f}")
    } else {
        // Rust `{:e}` gives `1e21`; Go writes `1e+21`, at least two exponent digits.
        let s = format!("{f:e}");
        let (mantissa, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        let sign = if e < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", e.abs())
    }
}

fn go_number(n: &serde_json::Number) -> String {
    match n.as_i64() {
        Some(i) => i.to_string(),
        None => match n.as_u64() {
            Some(u) => u.to_string(),
            None => go_float(n.as_f64().unwrap_or_default()),
        },
    }
}

/// `fmt.Sprint` of an unstructured value: `map[k:v]`, `[a b]`, `<nil>`.
pub fn go_sprint(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            format!("[{}]", items.iter().map(go_sprint).collect::<Vec<_>>().join(" "))
        }
        Value::Object(map) => format!(
            "map[{}]",
            map.iter().map(|(k, v)| format!("{k}:{}", go_sprint(v))).collect::<Vec<_>>().join(" ")
        ),
    }
}

/// `fmt.Sprintf("%#v", v)` of an unstructured value.
pub fn go_sharp_v(v: &Value) -> String {
    match v {
        Value::Null => "interface {}(nil)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n),
        Value::String(s) => go_quote(s),
        Value::Array(items) => format!(
            "[]interface {{}}{{{}}}",
            items.iter().map(go_sharp_v).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "map[string]interface {{}}{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}:{}", go_quote(k), go_sharp_v(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Go `json.Marshal`: compact, keys sorted, `<`, `>`, `&`, U+2028 and
/// U+2029 escaped.
pub fn go_json(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, &mut out);
    out
}

fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => super::printers::go_json::write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                super::printers::go_json::write_string(out, k);
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pods() -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "List",
            "items": [
                {"metadata": {"name": "web-1", "labels": {"app": "web"}},
                 "spec": {"containers": [{"name": "nginx", "ports": [{"containerPort": 80}]}]},
                 "status": {"podIP": "10.244.1.2", "conditions": [
                    {"type": "Initialized", "status": "True"},
                    {"type": "Ready", "status": "True"}]}},
                {"metadata": {"name": "web-2"},
                 "spec": {"containers": [{"name": "nginx"}]},
                 "status": {"podIP": "10.244.2.2", "conditions": [
                    {"type": "Ready", "status": "False"}]}}
            ],
            "metadata": {"resourceVersion": "", "selfLink": ""}
        })
    }

    fn run(template: &str) -> Result<String, String> {
        let jp = JsonPath::parse(template).map_err(|e| e.0)?.allow_missing_keys(true);
        jp.execute(&pods())
    }

    #[test]
    fn fields_indexes_and_wildcards() {
        assert_eq!(run("{.items[0].metadata.name}").unwrap(), "web-1");
        assert_eq!(run("{.items[*].metadata.name}").unwrap(), "web-1 web-2");
        assert_eq!(run("{.items[-1:].status.podIP}").unwrap(), "10.244.2.2");
        assert_eq!(run("{.items[0].metadata.labels}").unwrap(), r#"{"app":"web"}"#);
        assert_eq!(run("{.items[0].metadata['name']}").unwrap(), "web-1");
        assert_eq!(run("{.items[0].spec.containers[0].ports[0].containerPort}").unwrap(), "80");
        assert_eq!(run("{.items[*].missing}").unwrap(), "");
        assert_eq!(run("{..podIP}").unwrap(), "10.244.1.2 10.244.2.2");
        assert_eq!(run("{.items[0,1].metadata.name}").unwrap(), "web-1 web-2");
    }

    #[test]
    fn ranges_and_text() {
        assert_eq!(
            run(r#"{range .items[*]}{.metadata.name}{"\n"}{end}"#).unwrap(),
            "web-1\nweb-2\n"
        );
        assert_eq!(
            run("{range .items[*]}[{.metadata.name}, {.status.podIP}] {end}").unwrap(),
            "[web-1, 10.244.1.2] [web-2, 10.244.2.2] "
        );
        assert_eq!(run("name: {.items[0].metadata.name}\n").unwrap(), "name: web-1\n");
        let empty = json!({"items": []});
        let jp = JsonPath::parse(r#"{range .items[*]}{.metadata.name}{end}after"#).unwrap();
        assert_eq!(jp.execute(&empty).unwrap(), "");
    }

    #[test]
    fn filters() {
        assert_eq!(
            run(r#"{.items[*].status.conditions[?(@.type=="Ready")].status}"#).unwrap(),
            "True False"
        );
        assert_eq!(
            run(r#"{.items[?(@.status.podIP=="10.244.2.2")].metadata.name}"#).unwrap(),
            "web-2"
        );
        assert_eq!(run("{.items[?(@.metadata.labels.app)].metadata.name}").unwrap(), "web-1");
        // An int64 field never equals a number literal (a float64).
        assert_eq!(
            run("{.items[0].spec.containers[0].ports[?(@.containerPort==80)]}").unwrap(),
            ""
        );
    }

    #[test]
    fn errors() {
        assert_eq!(run("{.items[0].metadata.name").unwrap_err(), "unclosed action");
        assert_eq!(run("{.items[0}").unwrap_err(), "unterminated array");
        assert_eq!(run("{.items[x]}").unwrap_err(), "invalid array index x");
        assert_eq!(run("{#}").unwrap_err(), "unrecognized character in action: U+0023 '#'");
        assert_eq!(
            run("{.items[5].metadata.name}").unwrap_err(),
            "array index out of bounds: index 5, length 2"
        );
        assert_eq!(run("{.kind[0]}").unwrap_err(), "string is not array or slice");
        assert_eq!(run("{end}").unwrap_err(), "not in range, nothing to end");
        let strict = JsonPath::parse("{.nope}").unwrap();
        assert_eq!(strict.execute(&pods()).unwrap_err(), "nope is not found");
    }

    #[test]
    fn go_renderings() {
        let v = json!({"b": [1, "x", null], "a": {"k": true}, "f": 0.5});
        assert_eq!(go_sprint(&v), "map[a:map[k:true] b:[1 x <nil>] f:0.5]");
        assert_eq!(
            go_sharp_v(&v),
            r#"map[string]interface {}{"a":map[string]interface {}{"k":true}, "b":[]interface {}{1, "x", interface {}(nil)}, "f":0.5}"#
        );
        assert_eq!(go_json(&json!({"h": "<a&b>"})), r#"{"h":"\u003ca\u0026b\u003e"}"#);
        assert_eq!(go_float(1e21), "1e+21");
        assert_eq!(go_float(250.0), "250");
        assert_eq!(go_float(1e6), "1e+06");
        assert_eq!(go_float(123456.0), "123456");
    }
}
