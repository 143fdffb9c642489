//! `kubectl get -o go-template=...` / `--template` / `-o go-template-file`:
//! a port of the part of Go's `text/template` kubectl users write
//! (`cli-runtime/pkg/printers/template.go`, Go 1.16 `text/template`):
//!
//! - text and actions, `{{- ` / ` -}}` trimming, `{{/* comments */}}`;
//! - field chains `.a.b`, `$`, `$x.a`, `(pipeline).a`; literals: strings
//!   (`"\n"`, raw backquoted), numbers, `true`/`false`/`nil`;
//! - pipelines `a | f b` (the value is passed as the last argument),
//!   variables `$x := ...` / `$x = ...`;
//! - `if` / `else if` / `else`, `range` (with `$v :=` or `$k, $v :=`, and
//!   `else`), `with`, `end`;
//! - functions `and or not eq ne lt le gt ge len index print printf
//!   println`, and kubectl's `base64decode` and `exists`.
//!
//! kubectl hands the template the object as `map[string]interface{}` from
//! JSON, so numbers are `float64` (`1e+06`), maps print as `map[k:v]` with
//! sorted keys, and a missing key is `<no value>` (`missingkey=default`).
//! Error texts are Go's: `template: output:1: unexpected "}" in operand` at
//! parse time, `template: output:1:2: executing "output" at <.a.b>: ...` at
//! run time. Two of them changed with the Go release kubectl was built
//! with ([`Dialect`]): Go 1.12 stopped cutting the action in run-time
//! errors to 20 characters, and Go 1.19's lexer wants the whole `}}` after
//! a word (`{{.a}` is `bad character U+007D '}'`, was the parser's
//! `unexpected "}" in operand`).

use serde_json::Value;

use crate::{
    kubectl::jsonpath::{go_float, go_quote},
    version::Fact,
};

/// The template's name, as kubectl creates it (`template.New("output")`).
const NAME: &str = "output";

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    root: Vec<Node>,
    source: String,
    dialect: Dialect,
}

/// What of Go's `text/template` depends on the Go release the kubectl
/// binary was built with (each minor's `.0` release, `build/dependencies.yaml`
/// of `k8s.io/kubernetes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// Run-time errors quote the whole action (Go 1.12,
    /// [`Fact::GoTemplateFullErrorContext`]); before, its first 20 bytes
    /// and `...`.
    pub full_error_context: bool,
    /// A word ends only at the whole right delimiter `}}` (Go 1.19,
    /// [`Fact::GoTemplateWholeDelimTerminates`]); before, at its first
    /// rune `}`.
    pub whole_delim_terminates: bool,
    /// `eq`/`lt` name both types of an incompatible pair (Go 1.25,
    /// [`Fact::GoTemplateComparisonNamesTypes`]).
    pub named_mismatch: bool,
}

impl Dialect {
    /// The dialect of kubectl at `minor`.
    pub fn at(minor: u32) -> Dialect {
        Dialect {
            full_error_context: Fact::GoTemplateFullErrorContext.holds_at(minor),
            whole_delim_terminates: Fact::GoTemplateWholeDelimTerminates.holds_at(minor),
            named_mismatch: Fact::GoTemplateComparisonNamesTypes.holds_at(minor),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Action(Pipe),
    If(Branch),
    With(Branch),
    Range(Branch),
}

/// `if`/`with`/`range`: the pipeline, the list, the `else` list.
#[derive(Debug, Clone, PartialEq)]
struct Branch {
    pipe: Pipe,
    list: Vec<Node>,
    else_list: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
struct Pipe {
    /// Declared or assigned variables (`$x :=`, `$k, $v :=`).
    decl: Vec<String>,
    /// `=` rather than `:=`.
    assign: bool,
    cmds: Vec<Cmd>,
}

#[derive(Debug, Clone, PartialEq)]
struct Cmd {
    args: Vec<Arg>,
    pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    /// `.a.b` (empty: `.`).
    Field(Vec<String>, usize),
    /// `$x.a.b` (`$` alone: the root data).
    Var(String, Vec<String>, usize),
    /// A function name.
    Func(String),
    Str(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    Nil,
    /// `(pipeline).a.b`.
    Sub(Box<Pipe>, Vec<String>, usize),
}

// ---------------------------------------------------------------- lexing

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Text(String),
    Left,
    Right,
    Field(String),
    Var(String),
    Dot,
    Ident(String),
    Keyword(&'static str),
    Str(String),
    Num(String),
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
    Space,
    Char(char),
    Eof,
    /// A lexing error, reported when the parser reaches it (Go's lexer
    /// runs ahead of the parser only as far as the parser reads).
    Error(String),
}

impl Tok {
    /// How Go's `item.String()` shows a token in "unexpected X" errors.
    fn show(&self) -> String {
        match self {
            Tok::Eof => "EOF".into(),
            Tok::Keyword(k) => format!("<{k}>"),
            Tok::Left => go_quote("{{"),
            Tok::Right => go_quote("}}"),
            Tok::Field(s) | Tok::Var(s) | Tok::Ident(s) | Tok::Num(s) => go_quote(s),
            Tok::Str(raw) => go_quote(raw),
            Tok::Text(s) => go_quote(s),
            Tok::Dot => go_quote("."),
            Tok::Pipe => go_quote("|"),
            Tok::LParen => go_quote("("),
            Tok::RParen => go_quote(")"),
            Tok::Declare => go_quote(":="),
            Tok::Assign => go_quote("="),
            Tok::Comma => go_quote(","),
            Tok::Space => go_quote(" "),
            Tok::Char(c) => go_quote(&c.to_string()),
            Tok::Error(e) => e.clone(),
        }
    }
}

const KEYWORDS: &[&str] =
    &["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"];

/// (token, byte offset, line)
type Item = (Tok, usize, usize);

fn line_at(src: &str, pos: usize) -> usize {
    1 + src[..pos.min(src.len())].matches('\n').count()
}

/// Go's `%#U`: `U+007D '}'`, the quoted character only when printable.
fn go_unicode(c: char) -> String {
    if c.is_control() { format!("U+{:04X}", c as u32) } else { format!("U+{:04X} '{c}'", c as u32) }
}

fn lex(src: &str, dialect: Dialect) -> Vec<Item> {
    let mut items = Vec::new();
    if let Err((pos, msg)) = lex_into(src, &mut items, dialect) {
        items.push((Tok::Error(msg), pos, line_at(src, pos)));
    }
    items
}

fn lex_into(src: &str, items: &mut Vec<Item>, dialect: Dialect) -> Result<(), (usize, String)> {
    let err = |pos: usize, msg: &str| (pos, msg.to_owned());
    // `atTerminator`: what may follow a field, variable or identifier.
    let at_terminator = |rest: &str| match rest.chars().next() {
        None | Some(' ' | '\t' | '\r' | '\n' | '.' | ',' | '|' | ':' | ')' | '(') => true,
        Some('}') if !dialect.whole_delim_terminates => true,
        Some(_) => rest.starts_with("}}"),
    };
    let bad_character = |rest: &str, at: usize| {
        let c = rest.chars().next().unwrap_or_default();
        (at, format!("bad character {}", go_unicode(c)))
    };
    let mut i = 0;
    let mut trim_next_text = false;
    loop {
        let Some(off) = src[i..].find("{{") else {
            let mut text = &src[i..];
            if trim_next_text {
                text = text.trim_start();
            }
            if !text.is_empty() {
                items.push((Tok::Text(text.to_owned()), i, line_at(src, i)));
            }
            items.push((Tok::Eof, src.len(), line_at(src, src.len())));
            return Ok(());
        };
        let start = i + off;
        let trim_left = src[start + 2..].starts_with("- ")
            || src[start + 2..].starts_with("-\t")
            || src[start + 2..].starts_with("-\n");
        let mut text = &src[i..start];
        if trim_next_text {
            text = text.trim_start();
        }
        if trim_left {
            text = text.trim_end();
        }
        if !text.is_empty() {
            items.push((Tok::Text(text.to_owned()), i, line_at(src, i)));
        }
        let mut p = start + 2 + if trim_left { 2 } else { 0 };
        // Comments: `{{/* ... */}}`.
        if src[p..].starts_with("/*") {
            let Some(end) = src[p..].find("*/") else {
                return Err(err(start, "unclosed comment"));
            };
            p += end + 2;
            let rest = &src[p..];
            let (trim_right, skip) = if rest.starts_with(" -}}") {
                (true, 4)
            } else if rest.starts_with("}}") {
                (false, 2)
            } else {
                return Err(err(start, "comment ends before closing delimiter"));
            };
            trim_next_text = trim_right;
            i = p + skip;
            continue;
        }
        items.push((Tok::Left, start, line_at(src, start)));
        let mut depth = 0i32;
        loop {
            if p >= src.len() {
                return Err(err(start, "unclosed action"));
            }
            let rest = &src[p..];
            if rest.starts_with(" -}}") || rest.starts_with("\t-}}") || rest.starts_with("\n-}}") {
                if depth > 0 {
                    return Err(err(p, "unclosed left paren"));
                }
                items.push((Tok::Right, p + 1, line_at(src, p)));
                trim_next_text = true;
                i = p + 4;
                break;
            }
            if rest.starts_with("}}") {
                if depth > 0 {
                    return Err(err(p, "unclosed left paren"));
                }
                items.push((Tok::Right, p, line_at(src, p)));
                trim_next_text = false;
                i = p + 2;
                break;
            }
            let c = rest.chars().next().unwrap_or(' ');
            let line = line_at(src, p);
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    let n = rest.find(|ch: char| !ch.is_whitespace()).unwrap_or(rest.len());
                    // The space right before `-}}` belongs to the delimiter.
                    let n = if n > 1 && rest[n..].starts_with("-}}") { n - 1 } else { n.max(1) };
                    items.push((Tok::Space, p, line));
                    p += n;
                }
                '|' => {
                    items.push((Tok::Pipe, p, line));
                    p += 1;
                }
                '(' => {
                    depth += 1;
                    items.push((Tok::LParen, p, line));
                    p += 1;
                }
                ')' => {
                    depth -= 1;
                    if depth < 0 {
                        return Err(err(p, "unexpected right paren U+0029 ')'"));
                    }
                    items.push((Tok::RParen, p, line));
                    p += 1;
                }
                ',' => {
                    items.push((Tok::Comma, p, line));
                    p += 1;
                }
                ':' => {
                    if !rest.starts_with(":=") {
                        return Err(err(p, "expected :="));
                    }
                    items.push((Tok::Declare, p, line));
                    p += 2;
                }
                '=' => {
                    items.push((Tok::Assign, p, line));
                    p += 1;
                }
                '"' => {
                    let mut j = p + 1;
                    let mut value = String::new();
                    loop {
                        let Some(ch) = src[j..].chars().next() else {
                            return Err(err(p, "unterminated quoted string"));
                        };
                        match ch {
                            '"' => break,
                            '\n' => return Err(err(p, "unterminated quoted string")),
                            '\\' => {
                                let Some(e) = src[j + 1..].chars().next() else {
                                    return Err(err(p, "unterminated quoted string"));
                                };
                                value.push(match e {
                                    'n' => '\n',
                                    't' => '\t',
                                    'r' => '\r',
                                    '\\' => '\\',
                                    '"' => '"',
                                    '\'' => '\'',
                                    'a' => '\u{7}',
                                    'b' => '\u{8}',
                                    'f' => '\u{c}',
                                    'v' => '\u{b}',
                                    _ => return Err(err(p, "invalid syntax")),
                                });
                                j += 1 + e.len_utf8();
                            }
                            ch => {
                                value.push(ch);
                                j += ch.len_utf8();
                            }
                        }
                    }
                    items.push((Tok::Str(value), p, line));
                    p = j + 1;
                }
                '`' => {
                    let Some(end) = src[p + 1..].find('`') else {
                        return Err(err(p, "unterminated raw quoted string"));
                    };
                    items.push((Tok::Str(src[p + 1..p + 1 + end].to_owned()), p, line));
                    p += end + 2;
                }
                '.' if !rest[1..].starts_with(|ch: char| ch.is_ascii_digit()) => {
                    let n = 1 + rest[1..]
                        .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                        .unwrap_or(rest.len() - 1);
                    if n == 1 && at_terminator(&rest[1..]) {
                        items.push((Tok::Dot, p, line));
                    } else if !at_terminator(&rest[n..]) {
                        return Err(bad_character(&rest[n..], p + n));
                    } else {
                        items.push((Tok::Field(rest[..n].to_owned()), p, line));
                    }
                    p += n;
                }
                '$' => {
                    let n = 1 + rest[1..]
                        .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                        .unwrap_or(rest.len() - 1);
                    // `lexVariable` and `lexFieldOrVariable`: what follows
                    // `$` or `$x` must end the word.
                    if !at_terminator(&rest[n..]) {
                        return Err(bad_character(&rest[n..], p + n));
                    }
                    items.push((Tok::Var(rest[..n].to_owned()), p, line));
                    p += n;
                }
                c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                    let n = rest[1..]
                        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '.' || ch == '_'))
                        .map_or(rest.len(), |n| n + 1);
                    items.push((Tok::Num(rest[..n].to_owned()), p, line));
                    p += n;
                }
                c if c.is_alphabetic() || c == '_' => {
                    let n = rest
                        .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                        .unwrap_or(rest.len());
                    let word = &rest[..n];
                    if !at_terminator(&rest[n..]) {
                        return Err(bad_character(&rest[n..], p + n));
                    }
                    let tok = match KEYWORDS.iter().find(|k| **k == word) {
                        Some(k) => Tok::Keyword(k),
                        None => Tok::Ident(word.to_owned()),
                    };
                    items.push((tok, p, line));
                    p += n;
                }
                c => {
                    items.push((Tok::Char(c), p, line));
                    p += c.len_utf8();
                }
            }
        }
    }
}

// ---------------------------------------------------------------- parsing

const FUNCS: &[&str] = &[
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "len",
    "index",
    "print",
    "printf",
    "println",
    "base64decode",
    "exists",
];

struct Parser {
    items: Vec<Item>,
    at: usize,
    vars: Vec<String>,
}

/// What ended a list.
enum ListEnd {
    Eof,
    EndAction,
    ElseAction,
}

impl Parser {
    fn peek(&self) -> &Item {
        &self.items[self.at.min(self.items.len() - 1)]
    }
    fn next(&mut self) -> Item {
        let item = self.peek().clone();
        self.at += 1;
        item
    }
    fn next_non_space(&mut self) -> Item {
        loop {
            let item = self.next();
            if item.0 != Tok::Space {
                return item;
            }
        }
    }
    fn peek_non_space(&mut self) -> Item {
        let item = self.next_non_space();
        self.at -= 1;
        item
    }
    fn error(&self, line: usize, msg: impl std::fmt::Display) -> String {
        format!("template: {NAME}:{line}: {msg}")
    }
    fn unexpected(&self, item: &Item, context: &str) -> String {
        if let Tok::Error(e) = &item.0 {
            return self.error(item.2, e);
        }
        self.error(item.2, format!("unexpected {} in {context}", item.0.show()))
    }

    /// A list of nodes up to `{{end}}`/`{{else}}` (or EOF at top level).
    fn list(&mut self, top: bool) -> Result<(Vec<Node>, ListEnd), String> {
        let mut nodes = Vec::new();
        loop {
            let item = self.next();
            match item.0 {
                Tok::Eof => {
                    if top {
                        return Ok((nodes, ListEnd::Eof));
                    }
                    return Err(self.error(item.2, "unexpected EOF"));
                }
                Tok::Text(t) => nodes.push(Node::Text(t)),
                Tok::Left => {
                    let first = self.next_non_space();
                    match first.0 {
                        Tok::Keyword("end") => {
                            if top {
                                return Err(self.error(first.2, "unexpected {{end}}"));
                            }
                            self.expect_right("end")?;
                            return Ok((nodes, ListEnd::EndAction));
                        }
                        Tok::Keyword("else") => {
                            if top {
                                return Err(self.error(first.2, "unexpected {{else}}"));
                            }
                            return Ok((nodes, ListEnd::ElseAction));
                        }
                        Tok::Keyword(k @ ("if" | "with" | "range")) => {
                            nodes.push(self.branch(k, first.2)?);
                        }
                        Tok::Keyword(k) => {
                            return Err(self.error(
                                first.2,
                                format!("kubeplay does not emulate {{{{{k}}}}} in go-templates"),
                            ));
                        }
                        _ => {
                            self.at -= 1;
                            let pipe = self.pipeline("command", true)?;
                            nodes.push(Node::Action(pipe));
                        }
                    }
                }
                Tok::Error(e) => return Err(self.error(item.2, e)),
                other => return Err(self.error(item.2, format!("unexpected {}", other.show()))),
            }
        }
    }

    fn expect_right(&mut self, context: &str) -> Result<(), String> {
        let item = self.next_non_space();
        if item.0 != Tok::Right {
            return Err(self.unexpected(&item, context));
        }
        Ok(())
    }

    fn branch(&mut self, keyword: &'static str, line: usize) -> Result<Node, String> {
        let scope = self.vars.len();
        let pipe = self.pipeline(keyword, true)?;
        if pipe.cmds.is_empty() {
            return Err(self.error(line, format!("missing value for {keyword}")));
        }
        let (list, end) = self.list(false)?;
        let else_list = match end {
            ListEnd::EndAction => Vec::new(),
            ListEnd::ElseAction => {
                // `{{else if ...}}` is `{{else}}{{if ...}}...{{end}}{{end}}`.
                let next = self.peek_non_space();
                if keyword == "if" && next.0 == Tok::Keyword("if") {
                    self.next_non_space();
                    vec![self.branch("if", next.2)?]
                } else {
                    self.expect_right("else")?;
                    let (list, end) = self.list(false)?;
                    if let ListEnd::ElseAction = end {
                        return Err(self.error(line, "expected end; found {{else}}"));
                    }
                    list
                }
            }
            ListEnd::Eof => unreachable!("list(false) never ends at EOF"),
        };
        self.vars.truncate(scope);
        let b = Branch { pipe, list, else_list };
        Ok(match keyword {
            "if" => Node::If(b),
            "with" => Node::With(b),
            _ => Node::Range(b),
        })
    }

    /// Go `parse.pipeline`: optional declarations, commands separated by
    /// `|`, up to `}}` (or `)` inside parentheses when `action` is false).
    fn pipeline(&mut self, context: &str, action: bool) -> Result<Pipe, String> {
        let mut decl = Vec::new();
        let mut assign = false;
        // Declarations: `$x :=`, `$x =`, `$k, $v :=`.
        let save = self.at;
        let v = self.peek_non_space();
        if let Tok::Var(name) = &v.0 {
            self.next_non_space();
            let after = self.peek_non_space();
            match after.0 {
                Tok::Declare | Tok::Assign => {
                    self.next_non_space();
                    assign = after.0 == Tok::Assign;
                    decl.push(name.clone());
                }
                Tok::Comma if context == "range" => {
                    self.next_non_space();
                    let second = self.next_non_space();
                    let Tok::Var(second_name) = second.0.clone() else {
                        return Err(self.error(second.2, "range can only initialize variables"));
                    };
                    let op = self.next_non_space();
                    if op.0 != Tok::Declare && op.0 != Tok::Assign {
                        return Err(self.unexpected(&op, "range"));
                    }
                    assign = op.0 == Tok::Assign;
                    decl.push(name.clone());
                    decl.push(second_name);
                }
                _ => self.at = save,
            }
        }
        if assign {
            for d in &decl {
                if !self.vars.contains(d) {
                    return Err(self.error(v.2, format!("undefined variable \"{d}\"")));
                }
            }
        } else {
            self.vars.extend(decl.iter().cloned());
        }
        let mut cmds = Vec::new();
        loop {
            let item = self.peek_non_space();
            match item.0 {
                Tok::Right if action => {
                    self.next_non_space();
                    if cmds.is_empty() && !decl.is_empty() {
                        return Err(self.error(item.2, format!("missing value for {context}")));
                    }
                    if cmds.is_empty() && context == "command" {
                        return Err(self.error(item.2, "missing value for command"));
                    }
                    return Ok(Pipe { decl, assign, cmds });
                }
                Tok::RParen if !action => {
                    self.next_non_space();
                    if cmds.is_empty() {
                        return Err(self.error(item.2, "missing value for parenthesized pipeline"));
                    }
                    return Ok(Pipe { decl, assign, cmds });
                }
                Tok::Eof | Tok::Error(_) => return Err(self.unexpected(&item, context)),
                _ => {
                    cmds.push(self.command()?);
                }
            }
        }
    }

    fn command(&mut self) -> Result<Cmd, String> {
        let pos = self.peek_non_space().1;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(arg) = self.operand()? {
                args.push(arg);
            }
            let item = self.next();
            match item.0 {
                Tok::Space => continue,
                Tok::Right | Tok::RParen => self.at -= 1,
                Tok::Pipe => {}
                _ => return Err(self.unexpected(&item, "operand")),
            }
            break;
        }
        if args.is_empty() {
            let item = self.peek().clone();
            return Err(self.error(item.2, "empty command"));
        }
        Ok(Cmd { args, pos })
    }

    fn operand(&mut self) -> Result<Option<Arg>, String> {
        let item = self.next();
        let (tok, pos, line) = item.clone();
        let term = match tok {
            Tok::Field(f) => Arg::Field(split_fields(&f), pos),
            Tok::Dot => Arg::Field(Vec::new(), pos),
            Tok::Var(v) => {
                if !self.vars.contains(&v) && v != "$" {
                    return Err(self.error(line, format!("undefined variable \"{v}\"")));
                }
                Arg::Var(v, Vec::new(), pos)
            }
            Tok::Ident(name) => {
                if !FUNCS.contains(&name.as_str()) {
                    return Err(self.error(line, format!("function \"{name}\" not defined")));
                }
                Arg::Func(name)
            }
            Tok::Str(s) => Arg::Str(s),
            Tok::Num(n) => parse_number(&n).ok_or_else(|| {
                self.error(line, format!("illegal number syntax: {}", go_quote(&n)))
            })?,
            Tok::Keyword("true") => Arg::Bool(true),
            Tok::Keyword("false") => Arg::Bool(false),
            Tok::Keyword("nil") => Arg::Nil,
            Tok::LParen => {
                Arg::Sub(Box::new(self.pipeline("parenthesized pipeline", false)?), Vec::new(), pos)
            }
            _ => {
                self.at -= 1;
                return Ok(None);
            }
        };
        // A field chain right after the term: `.a.b`, `$x.a`, `(...).a`.
        // Go's `operand` gives the chained node the position of the
        // chain's first field (`.b` of `.a.b`): run-time errors point there.
        let mut chain = Vec::new();
        let chain_pos = self.peek().1;
        while let Tok::Field(f) = &self.peek().0 {
            chain.extend(split_fields(f));
            self.at += 1;
        }
        let chained = !chain.is_empty();
        let at = |pos: usize| if chained { chain_pos } else { pos };
        Ok(Some(match term {
            Arg::Var(v, _, pos) => Arg::Var(v, chain, at(pos)),
            Arg::Sub(p, _, pos) => Arg::Sub(p, chain, at(pos)),
            Arg::Field(mut f, pos) => {
                f.extend(chain);
                Arg::Field(f, at(pos))
            }
            _ if !chain.is_empty() => {
                return Err(self.error(line, "unexpected . after term"));
            }
            t => t,
        }))
    }
}

fn split_fields(f: &str) -> Vec<String> {
    f.split('.').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// A number constant: an integer literal is a Go `int`, others `float64`.
fn parse_number(n: &str) -> Option<Arg> {
    let n = n.replace('_', "");
    if let Some(hex) = n.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Arg::Int);
    }
    if let Ok(i) = n.parse::<i64>() {
        return Some(Arg::Int(i));
    }
    n.parse::<f64>().ok().map(Arg::Num)
}

/// Parses a template (Go `template.New("output").Parse`).
pub fn parse(source: &str, dialect: Dialect) -> Result<Template, String> {
    let mut items = lex(source, dialect);
    // Keywords `true`, `false`, `nil` are identifiers to the lexer but
    // constants to the parser.
    for item in &mut items {
        if let Tok::Ident(word) = &item.0 {
            match word.as_str() {
                "true" => item.0 = Tok::Keyword("true"),
                "false" => item.0 = Tok::Keyword("false"),
                "nil" => item.0 = Tok::Keyword("nil"),
                _ => {}
            }
        }
    }
    let mut parser = Parser { items, at: 0, vars: vec!["$".to_owned()] };
    let root = parser.list_consts()?;
    Ok(Template { root, source: source.to_owned(), dialect })
}

impl Parser {
    fn list_consts(&mut self) -> Result<Vec<Node>, String> {
        Ok(self.list(true)?.0)
    }
}

// -------------------------------------------------------------- executing

/// A value during execution: `None` is Go's invalid `reflect.Value` (a
/// missing map key), printed `<no value>`.
type V = Option<Value>;

struct Exec<'a> {
    source: &'a str,
    dialect: Dialect,
    vars: Vec<(String, V)>,
    out: String,
}

impl Exec<'_> {
    fn error(&self, pos: usize, context: &str, msg: impl std::fmt::Display) -> String {
        let line = line_at(self.source, pos);
        let line_start = self.source[..pos].rfind('\n').map_or(0, |i| i + 1);
        let col = pos - line_start;
        // `ErrorContext` before Go 1.12: `fmt.Sprintf("%.20s...", context)`.
        let context = if context.len() > 20 && !self.dialect.full_error_context {
            format!("{:.20}...", context)
        } else {
            context.to_owned()
        };
        format!("template: {NAME}:{line}:{col}: executing \"{NAME}\" at <{context}>: {msg}")
    }

    fn walk(&mut self, dot: &V, nodes: &[Node]) -> Result<(), String> {
        for node in nodes {
            match node {
                Node::Text(t) => self.out.push_str(t),
                Node::Action(pipe) => {
                    let v = self.pipe(dot, pipe)?;
                    if pipe.decl.is_empty() {
                        self.out.push_str(&print_value(&v));
                    }
                }
                Node::If(b) | Node::With(b) => {
                    let scope = self.vars.len();
                    let v = self.pipe(dot, &b.pipe)?;
                    let with = matches!(node, Node::With(_));
                    if truth(&v) {
                        let inner = if with { v } else { dot.clone() };
                        self.walk(&inner, &b.list)?;
                    } else {
                        self.walk(dot, &b.else_list)?;
                    }
                    self.vars.truncate(scope);
                }
                Node::Range(b) => self.range(dot, b)?,
            }
        }
        Ok(())
    }

    fn range(&mut self, dot: &V, b: &Branch) -> Result<(), String> {
        let scope = self.vars.len();
        let mut pipe = b.pipe.clone();
        let decl = std::mem::take(&mut pipe.decl);
        let v = self.pipe(dot, &pipe)?;
        let entries: Vec<(Value, Value)> = match &v {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                items.iter().enumerate().map(|(i, x)| (Value::from(i as u64), x.clone())).collect()
            }
            Some(Value::Object(map)) => {
                map.iter().map(|(k, x)| (Value::String(k.clone()), x.clone())).collect()
            }
            Some(other) => {
                let pos = pipe.cmds.first().map_or(0, |c| c.pos);
                return Err(self.error(
                    pos,
                    &pipe_text(&pipe),
                    format!("range can't iterate over {}", print_value(&Some(other.clone()))),
                ));
            }
        };
        if entries.is_empty() {
            self.walk(dot, &b.else_list)?;
        }
        for (k, x) in entries {
            let inner = self.vars.len();
            match decl.as_slice() {
                [one] => self.set(one, Some(x.clone()), b.pipe.assign),
                [key, value] => {
                    self.set(key, Some(k), b.pipe.assign);
                    self.set(value, Some(x.clone()), b.pipe.assign);
                }
                _ => {}
            }
            self.walk(&Some(x), &b.list)?;
            if !b.pipe.assign {
                self.vars.truncate(inner);
            }
        }
        self.vars.truncate(scope);
        Ok(())
    }

    fn set(&mut self, name: &str, v: V, assign: bool) {
        if assign && let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            slot.1 = v;
            return;
        }
        self.vars.push((name.to_owned(), v));
    }

    fn pipe(&mut self, dot: &V, pipe: &Pipe) -> Result<V, String> {
        let mut value: Option<V> = None;
        for cmd in &pipe.cmds {
            let mut v = self.command(dot, cmd, value)?;
            // Go `evalPipeline` digs an `interface{}` result down to what
            // it holds: a nil becomes the invalid value (`<no value>`).
            if v == Some(Value::Null) {
                v = None;
            }
            value = Some(v);
        }
        let v = value.unwrap_or(None);
        for d in &pipe.decl {
            self.set(d, v.clone(), pipe.assign);
        }
        Ok(v)
    }

    fn command(&mut self, dot: &V, cmd: &Cmd, last: Option<V>) -> Result<V, String> {
        match &cmd.args[0] {
            Arg::Func(name) => {
                let mut args = Vec::new();
                for a in &cmd.args[1..] {
                    args.push(self.arg(dot, a)?);
                }
                if let Some(l) = last {
                    args.push(l);
                }
                call(name, &args, self.dialect).map_err(|e| {
                    self.error(cmd.pos, &cmd_text(cmd), format!("error calling {name}: {e}"))
                })
            }
            first => {
                if cmd.args.len() > 1 || last.is_some() {
                    let (context, pos) = (arg_text(first), cmd.pos);
                    return Err(self.error(
                        pos,
                        &context,
                        format!("can't give argument to non-function {context}"),
                    ));
                }
                self.arg(dot, first)
            }
        }
    }

    fn arg(&mut self, dot: &V, arg: &Arg) -> Result<V, String> {
        match arg {
            Arg::Field(path, pos) => self.fields(dot.clone(), path, *pos, &arg_text(arg)),
            Arg::Var(name, path, pos) => {
                let v = if name == "$" {
                    self.vars.first().and_then(|(_, v)| v.clone())
                } else {
                    self.vars.iter().rev().find(|(n, _)| n == name).and_then(|(_, v)| v.clone())
                };
                self.fields(v, path, *pos, &arg_text(arg))
            }
            Arg::Sub(pipe, path, pos) => {
                let v = self.pipe(dot, pipe)?;
                self.fields(v, path, *pos, &arg_text(arg))
            }
            Arg::Func(name) => {
                call(name, &[], self.dialect).map_err(|e| format!("error calling {name}: {e}"))
            }
            Arg::Str(s) => Ok(Some(Value::String(s.clone()))),
            Arg::Int(i) => Ok(Some(Value::from(*i))),
            Arg::Num(n) => Ok(Some(float(*n))),
            Arg::Bool(b) => Ok(Some(Value::Bool(*b))),
            Arg::Nil => Ok(Some(Value::Null)),
        }
    }

    /// Go `evalFieldChain` over unstructured data.
    fn fields(&self, mut v: V, path: &[String], pos: usize, context: &str) -> Result<V, String> {
        for name in path {
            v = match v {
                None => None,
                Some(Value::Object(mut map)) => map.remove(name),
                Some(Value::Null) => {
                    return Err(self.error(
                        pos,
                        context,
                        format!("nil pointer evaluating interface {{}}.{name}"),
                    ));
                }
                Some(_) => {
                    return Err(self.error(
                        pos,
                        context,
                        format!("can't evaluate field {name} in type interface {{}}"),
                    ));
                }
            };
        }
        Ok(v)
    }
}

fn arg_text(arg: &Arg) -> String {
    let chain = |path: &[String]| path.iter().map(|p| format!(".{p}")).collect::<String>();
    match arg {
        Arg::Field(path, _) if path.is_empty() => ".".into(),
        Arg::Field(path, _) => chain(path),
        Arg::Var(v, path, _) => format!("{v}{}", chain(path)),
        Arg::Sub(p, path, _) => format!("({}){}", pipe_text(p), chain(path)),
        Arg::Func(f) => f.clone(),
        Arg::Str(s) => go_quote(s),
        Arg::Int(i) => i.to_string(),
        Arg::Num(n) => go_float(*n),
        Arg::Bool(b) => b.to_string(),
        Arg::Nil => "nil".into(),
    }
}

fn cmd_text(cmd: &Cmd) -> String {
    cmd.args.iter().map(arg_text).collect::<Vec<_>>().join(" ")
}

fn pipe_text(p: &Pipe) -> String {
    let cmds = p.cmds.iter().map(cmd_text).collect::<Vec<_>>().join(" | ");
    if p.decl.is_empty() {
        cmds
    } else {
        format!("{} {} {cmds}", p.decl.join(", "), if p.assign { "=" } else { ":=" })
    }
}

/// Go `isTrue`.
fn truth(v: &V) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => !m.is_empty(),
    }
}

/// `fmt.Sprint` of a value as the template prints it.
fn print_value(v: &V) -> String {
    match v {
        None => "<no value>".into(),
        Some(v) => sprint(v),
    }
}

/// `fmt.Sprint(x)` of unstructured data: numbers are `float64`.
fn sprint(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_f64() => go_float(n.as_f64().unwrap_or_default()),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            format!("[{}]", items.iter().map(sprint).collect::<Vec<_>>().join(" "))
        }
        Value::Object(map) => format!(
            "map[{}]",
            map.iter().map(|(k, v)| format!("{k}:{}", sprint(v))).collect::<Vec<_>>().join(" ")
        ),
    }
}

fn type_name(v: &V) -> &'static str {
    match v {
        None | Some(Value::Null) => "<nil>",
        Some(Value::Bool(_)) => "bool",
        Some(Value::Number(n)) if n.is_f64() => "float64",
        Some(Value::Number(_)) => "int",
        Some(Value::String(_)) => "string",
        Some(Value::Array(_)) => "[]interface {}",
        Some(Value::Object(_)) => "map[string]interface {}",
    }
}

fn call(name: &str, args: &[V], dialect: Dialect) -> Result<V, String> {
    let want = |n: usize| -> Result<(), String> {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("wrong number of args for {name}: want {n} got {}", args.len()))
        }
    };
    Ok(match name {
        "and" | "or" => {
            if args.is_empty() {
                return Err(format!("wrong number of args for {name}: want at least 1 got 0"));
            }
            let stop = |v: &V| if name == "and" { !truth(v) } else { truth(v) };
            args.iter().find(|v| stop(v)).unwrap_or(&args[args.len() - 1]).clone()
        }
        "not" => {
            want(1)?;
            Some(Value::Bool(!truth(&args[0])))
        }
        "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
            if args.len() < 2 && name == "eq" {
                return Err("missing argument for comparison".into());
            }
            if name != "eq" {
                want(2)?;
            }
            let first = &args[0];
            let result = if name == "eq" {
                let mut any = false;
                for other in &args[1..] {
                    if compare(first, other, dialect)? == std::cmp::Ordering::Equal {
                        any = true;
                    }
                }
                any
            } else {
                let ord = compare(first, &args[1], dialect)?;
                match name {
                    "ne" => ord != std::cmp::Ordering::Equal,
                    "lt" => ord == std::cmp::Ordering::Less,
                    "le" => ord != std::cmp::Ordering::Greater,
                    "gt" => ord == std::cmp::Ordering::Greater,
                    _ => ord != std::cmp::Ordering::Less,
                }
            };
            Some(Value::Bool(result))
        }
        "len" => {
            want(1)?;
            let n = match &args[0] {
                Some(Value::String(s)) => s.len(),
                Some(Value::Array(a)) => a.len(),
                Some(Value::Object(m)) => m.len(),
                None | Some(Value::Null) => return Err("len of nil pointer".into()),
                other => return Err(format!("len of type {}", type_name(other))),
            };
            Some(Value::from(n as u64))
        }
        "index" => {
            if args.is_empty() {
                return Err("wrong number of args for index: want at least 1 got 0".into());
            }
            let mut v = args[0].clone();
            for key in &args[1..] {
                v = match (v, key) {
                    (Some(Value::Object(mut m)), Some(Value::String(k))) => m.remove(k),
                    (Some(Value::Object(_)), k) => {
                        return Err(format!("value has type {}; should be string", type_name(k)));
                    }
                    (Some(Value::Array(a)), Some(Value::Number(n))) => {
                        let i = n.as_f64().unwrap_or(-1.0);
                        if i < 0.0 || i as usize >= a.len() {
                            return Err(format!("index out of range: {}", go_float(i)));
                        }
                        Some(a[i as usize].clone())
                    }
                    (None | Some(Value::Null), _) => {
                        return Err("index of untyped nil".into());
                    }
                    (other, _) => {
                        return Err(format!("can't index item of type {}", type_name(&other)));
                    }
                };
            }
            v
        }
        "print" => Some(Value::String(go_sprint_args(args))),
        "println" => Some(Value::String(format!(
            "{}\n",
            args.iter().map(print_value).collect::<Vec<_>>().join(" ")
        ))),
        "printf" => {
            let Some(Some(Value::String(format))) = args.first() else {
                return Err(format!(
                    "wrong type for value; expected string; got {}",
                    args.first().map_or("<nil>", type_name)
                ));
            };
            Some(Value::String(sprintf(format, &args[1..])))
        }
        "base64decode" => {
            want(1)?;
            let Some(Value::String(s)) = &args[0] else {
                return Err(format!(
                    "wrong type for value; expected string; got {}",
                    type_name(&args[0])
                ));
            };
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|e| format!("base64 decode failed: {}", go_base64_error(&e)))?;
            Some(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        }
        "exists" => {
            let mut v = args.first().cloned().flatten();
            for key in args.iter().skip(1) {
                v = match (v, key) {
                    (Some(Value::Object(mut m)), Some(Value::String(k))) => m.remove(k),
                    (Some(Value::Array(a)), Some(Value::Number(n))) => {
                        n.as_f64().and_then(|i| a.get(i as usize).cloned())
                    }
                    _ => None,
                };
            }
            Some(Value::Bool(v.is_some()))
        }
        other => return Err(format!("function \"{other}\" not defined")),
    })
}

/// Go's `base64.CorruptInputError` text.
fn go_base64_error(e: &base64::DecodeError) -> String {
    match e {
        base64::DecodeError::InvalidByte(at, _) | base64::DecodeError::InvalidLastSymbol(at, _) => {
            format!("illegal base64 data at input byte {at}")
        }
        base64::DecodeError::InvalidLength(at) => format!("illegal base64 data at input byte {at}"),
        base64::DecodeError::InvalidPadding => "illegal base64 data at input byte 0".into(),
    }
}

/// Go `eq`/`lt` on basic kinds: numbers with numbers, strings with strings,
/// booleans only for equality. Kinds that differ are `incompatible types
/// for comparison`, naming both types from Go 1.25
/// ([`Dialect::named_mismatch`]).
fn compare(a: &V, b: &V, dialect: Dialect) -> Result<std::cmp::Ordering, String> {
    let incompatible = |x: &Value, y: &Value| {
        if dialect.named_mismatch {
            format!("incompatible types for comparison: {} and {}", go_type(x), go_type(y))
        } else {
            "incompatible types for comparison".to_owned()
        }
    };
    match (a, b) {
        (Some(x @ Value::Number(n)), Some(y @ Value::Number(m))) if n.is_f64() != m.is_f64() => {
            Err(incompatible(x, y))
        }
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            Ok(x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(std::cmp::Ordering::Equal))
        }
        (Some(Value::String(x)), Some(Value::String(y))) => Ok(x.cmp(y)),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => Ok(x.cmp(y)),
        (None, _) | (_, None) => Err("invalid type for comparison".into()),
        (Some(Value::Null), Some(Value::Null)) => Ok(std::cmp::Ordering::Equal),
        (Some(x), Some(y)) => Err(incompatible(x, y)),
    }
}

/// The Go type of a value of the JSON-decoded object (numbers of the data
/// are `float64`, integer literals of the template `int`).
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::Null => "<nil>",
    }
}

/// `fmt.Sprint(args...)`: a space between operands when neither is a string.
fn go_sprint_args(args: &[V]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let is_str = |v: &V| matches!(v, Some(Value::String(_)));
        if i > 0 && !is_str(a) && !is_str(&args[i - 1]) {
            out.push(' ');
        }
        out.push_str(&print_value(a));
    }
    out
}

/// `fmt.Sprintf` for the verbs templates use: `%s %v %d %q %t %f %x %%`,
/// with `-`, `0`, width and precision.
fn sprintf(format: &str, args: &[V]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut minus = false;
        let mut zero = false;
        let mut plus = false;
        while let Some(&f) = chars.peek() {
            match f {
                '-' => minus = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' | '#' => {}
                _ => break,
            }
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            precision = Some(p.parse().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        let bad = || format!("%!{verb}({}={})", type_name(arg), print_value(arg));
        let mut text = match (verb, arg) {
            ('v', _) => print_value(arg),
            ('s', Some(Value::String(s))) => s.clone(),
            ('s', Some(Value::Number(_) | Value::Bool(_))) => bad(),
            ('s', _) => print_value(arg),
            ('q', Some(Value::String(s))) => go_quote(s),
            ('t', Some(Value::Bool(b))) => b.to_string(),
            ('d', Some(Value::Number(n))) if !n.is_f64() => n.to_string(),
            ('f' | 'F', Some(Value::Number(n))) => {
                format!("{:.*}", precision.unwrap_or(6), n.as_f64().unwrap_or_default())
            }
            ('x', Some(Value::String(s))) => s.bytes().map(|b| format!("{b:02x}")).collect(),
            _ => bad(),
        };
        if let (Some(p), 's' | 'v' | 'q') = (precision, verb)
            && text.chars().count() > p
        {
            text = text.chars().take(p).collect();
        }
        if plus && verb == 'd' && !text.starts_with('-') {
            text.insert(0, '+');
        }
        let width: usize = width.parse().unwrap_or(0);
        let len = text.chars().count();
        if len < width {
            let pad = width - len;
            if minus {
                text.push_str(&" ".repeat(pad));
            } else if zero && matches!(verb, 'd' | 'f') {
                let sign = text.starts_with('-') || text.starts_with('+');
                let at = usize::from(sign);
                text.insert_str(at, &"0".repeat(pad));
            } else {
                text.insert_str(0, &" ".repeat(pad));
            }
        }
        out.push_str(&text);
    }
    if next < args.len() {
        let extra: Vec<String> =
            args[next..].iter().map(|a| format!("{}={}", type_name(a), print_value(a))).collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

/// What executing printed before stopping, and the error that stopped it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecError {
    /// Output written before the error.
    pub partial: String,
    /// Go's error text (`template: output:1:2: executing ...`).
    pub message: String,
}

impl Template {
    /// Executes the template on `data` (missing keys print `<no value>`).
    pub fn execute(&self, data: &Value) -> Result<String, ExecError> {
        let data = floats(data);
        let mut exec = Exec {
            source: &self.source,
            dialect: self.dialect,
            vars: vec![("$".into(), Some(data.clone()))],
            out: String::new(),
        };
        match exec.walk(&Some(data), &self.root) {
            Ok(()) => Ok(exec.out),
            Err(message) => Err(ExecError { partial: exec.out, message }),
        }
    }
}

/// A Go `float64`.
fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// The data as `json.Unmarshal` into `interface{}` gives it: every number
/// a `float64`.
fn floats(v: &Value) -> Value {
    match v {
        Value::Number(n) => float(n.as_f64().unwrap_or_default()),
        Value::Array(items) => Value::Array(items.iter().map(floats).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), floats(v))).collect())
        }
        other => other.clone(),
    }
}

/// `fmt.Sprintf("%+v", x)` of unstructured data (kubectl's debugging dump).
pub fn go_plus_v(v: &Value) -> String {
    sprint(&floats(v))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The template run as kubectl 1.22 (Go 1.16) runs it.
    fn run(template: &str, data: &Value) -> String {
        run_at(22, template, data)
    }

    fn run_at(minor: u32, template: &str, data: &Value) -> String {
        match parse(template, Dialect::at(minor)) {
            Ok(t) => match t.execute(data) {
                Ok(out) => out,
                Err(e) => format!("{}ERR {}", e.partial, e.message),
            },
            Err(e) => format!("PARSE {e}"),
        }
    }

    fn pods() -> Value {
        json!({"apiVersion": "v1", "kind": "List", "items": [
            {"metadata": {"name": "web-1", "labels": {"app": "web", "tier": "fe"}},
             "spec": {"replicas": 3, "containers": [{"name": "nginx", "image": "nginx:1.21"}]},
             "status": {"phase": "Running", "podIP": "10.244.1.2"}},
            {"metadata": {"name": "db", "labels": {"tier": "be"}}, "spec": {"containers": [{"name": "mysql", "image": "mysql"}]},
             "status": {"phase": "Pending"}}
        ], "metadata": {"resourceVersion": ""}})
    }

    #[test]
    fn fields_ranges_and_literals() {
        let d = pods();
        assert_eq!(run("{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}", &d), "web-1\ndb\n");
        assert_eq!(run("{{len .items}}", &d), "2");
        assert_eq!(run("{{(index .items 0).spec.replicas}}", &d), "3");
        assert_eq!(
            run("{{range .items}}{{index .metadata.labels \"app\"}} {{end}}", &d),
            "web <no value> "
        );
        assert_eq!(run("{{.kind}} {{.nope}} {{.nope.deeper}}", &d), "List <no value> <no value>");
        assert_eq!(
            run("{{range $i, $p := .items}}{{$i}}={{$p.metadata.name}};{{end}}", &d),
            "0=web-1;1=db;"
        );
        assert_eq!(
            run("{{range $k, $v := (index .items 0).metadata.labels}}{{$k}}:{{$v}},{{end}}", &d),
            "app:web,tier:fe,"
        );
        assert_eq!(run("{{with $x := \"a\"}}{{$x}}{{.}}{{end}}", &d), "aa");
        assert_eq!(run("{{(index .items 0).metadata.labels}}", &d), "map[app:web tier:fe]");
        assert_eq!(run("{{range .items}}{{else}}none{{end}}", &json!({"items": []})), "none");
        assert_eq!(run("a  {{- 1 -}}  b", &d), "a1b");
        assert_eq!(run("{{/* note */}}x", &d), "x");
        assert_eq!(run("{{1000000}} {{0.5}} {{1e6}}", &d), "1000000 0.5 1e+06");
    }

    #[test]
    fn conditions_and_functions() {
        let d = pods();
        let t = "{{range .items}}{{if eq .status.phase \"Running\"}}{{.metadata.name}} up{{else if eq .status.phase \"Pending\"}}{{.metadata.name}} waiting{{else}}?{{end}};{{end}}";
        assert_eq!(run(t, &d), "web-1 up;db waiting;");
        assert_eq!(run("{{if and .kind (not .nope)}}yes{{end}}", &d), "yes");
        assert_eq!(run("{{or .nope \"dflt\"}}", &d), "dflt");
        assert_eq!(run("{{.kind | printf \"%q\"}}", &d), "\"List\"");
        assert_eq!(run("{{printf \"%s has %d\\n\" .kind (len .items)}}", &d), "List has 2\n");
        assert_eq!(run("{{printf \"%d\" (index .items 0).spec.replicas}}", &d), "%!d(float64=3)");
        assert_eq!(
            run("{{eq (index .items 0).spec.replicas 3}}", &d),
            "ERR template: output:1:2: executing \"output\" at <eq (index .items 0).spec.replicas 3>: error calling eq: incompatible types for comparison"
        );
        assert_eq!(run("{{printf \"%-6s|\" \"ab\"}}", &d), "ab    |");
        assert_eq!(run("{{base64decode \"aGVsbG8=\"}}", &d), "hello");
        assert_eq!(
            run("{{$n := 0}}{{range .items}}{{$n = .metadata.name}}{{end}}{{$n}}", &d),
            "db"
        );
        assert_eq!(run("{{print 1 2 \"a\" 3}}", &d), "1 2a3");
    }

    #[test]
    fn parse_errors_are_gos() {
        let d = json!({});
        assert_eq!(run("{{.x}", &d), "PARSE template: output:1: unexpected \"}\" in operand");
        assert_eq!(run("{{.x", &d), "PARSE template: output:1: unclosed action");
        assert_eq!(run("{{if .x}}a", &d), "PARSE template: output:1: unexpected EOF");
        assert_eq!(run("{{end}}", &d), "PARSE template: output:1: unexpected {{end}}");
        assert_eq!(run("{{foo .x}}", &d), "PARSE template: output:1: function \"foo\" not defined");
        assert_eq!(run("{{$y}}", &d), "PARSE template: output:1: undefined variable \"$y\"");
        assert_eq!(
            run("a\n{{range}}{{end}}", &d),
            "PARSE template: output:2: missing value for range"
        );
    }

    #[test]
    fn execution_errors_are_gos() {
        let d = json!({"metadata": {"name": "web"}, "items": []});
        assert_eq!(
            run("x{{.metadata.name.first}}", &d),
            "xERR template: output:1:12: executing \"output\" at <.metadata.name.first>: can't evaluate field first in type interface {}"
        );
        // A missing map is an untyped nil to `index` (Go's `validateType`
        // turns the invalid value into a zero reflect.Value).
        assert_eq!(
            run("{{index .metadata.labels \"app\"}}", &d),
            "ERR template: output:1:2: executing \"output\" at <index .metadata.labels \"app\">: error calling index: index of untyped nil"
        );
        assert_eq!(
            run("{{index .items 0}}", &d),
            "ERR template: output:1:2: executing \"output\" at <index .items 0>: error calling index: index out of range: 0"
        );
    }

    /// Each form checked against the Go release that prints it (go1.11
    /// semantics from its source and release notes; go1.16.15, go1.18.10,
    /// go1.19.13, go1.24.13, go1.25.0 and go1.26.8 run side by side).
    #[test]
    fn go_template_errors_by_go_release() {
        let d = json!({"metadata": {"name": "web"}, "items": [{"spec": {"replicas": 3}}]});
        let index = "{{index .metadata.labels \"app\"}}";
        assert_eq!(
            run_at(13, index, &d),
            "ERR template: output:1:2: executing \"output\" at <index .metadata.labe...>: error calling index: index of untyped nil"
        );
        assert_eq!(
            run_at(14, index, &d),
            "ERR template: output:1:2: executing \"output\" at <index .metadata.labels \"app\">: error calling index: index of untyped nil"
        );
        for t in ["{{.data.MODE}", "{{.}", "{{if .x}}{{end}", "{{$x := 1}}{{$x}", "{{$}"] {
            assert!(
                run_at(24, t, &d).starts_with("PARSE template: output:1: unexpected \"}\" in "),
                "{t}"
            );
            assert_eq!(
                run_at(25, t, &d),
                "PARSE template: output:1: bad character U+007D '}'",
                "{t}"
            );
        }
        assert_eq!(
            run_at(35, "{{.a-b}}", &d),
            "PARSE template: output:1: bad character U+002D '-'"
        );
        let eq = "{{eq (index .items 0).spec.replicas 3}}";
        assert!(
            run_at(34, eq, &d).ends_with("error calling eq: incompatible types for comparison")
        );
        assert!(
            run_at(35, eq, &d)
                .ends_with("error calling eq: incompatible types for comparison: float64 and int")
        );
        // A chained field is at its second element (Go's `operand`), in
        // every release.
        assert_eq!(
            run_at(35, "{{$x := .metadata}}{{$x.name.first}}", &d),
            "ERR template: output:1:23: executing \"output\" at <$x.name.first>: can't evaluate field first in type interface {}"
        );
    }
}
