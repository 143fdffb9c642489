//! Parsing a tutorial command line into lists of pipelines.
//!
//! A deliberately small POSIX-shell subset: words with `'…'`, `"…"` and `\`
//! quoting; `$NAME`, `${NAME}` and `$?` expansion; `|`, `;`, `&&`, `||`;
//! redirections `>`, `>>`, `<`, `2>FILE`, `2>&1`; here-documents. Anything else
//! (`$(…)`, backticks, `&`, subshells) is rejected with an error naming it, so
//! a tutorial never passes by accident.

use std::collections::BTreeMap;

/// A shell syntax error, or a construct the tutorial shell does not support.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    /// A quote was never closed.
    #[error("unterminated {0} quote")]
    UnterminatedQuote(char),
    /// A construct we do not run.
    #[error("unsupported shell construct `{0}`")]
    Unsupported(String),
    /// An operator with nothing on one side.
    #[error("syntax error near unexpected token `{0}'")]
    UnexpectedToken(String),
    /// A here-document whose delimiter never came.
    #[error("here-document delimited by end-of-file (wanted `{0}')")]
    UnterminatedHeredoc(String),
}

/// How two pipelines are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// `;` — always run the next one.
    Always,
    /// `&&` — run the next one if this one succeeded.
    And,
    /// `||` — run the next one if this one failed.
    Or,
}

/// Where a redirection sends or takes data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// `> FILE` (stdout, truncate).
    StdoutTo(String),
    /// `>> FILE` (stdout, append).
    StdoutAppend(String),
    /// `2> FILE` (stderr; `/dev/null` discards).
    StderrTo(String),
    /// `2>&1`.
    StderrToStdout,
    /// `< FILE`.
    StdinFrom(String),
    /// A here-document body.
    Heredoc(String),
}

/// One simple command: its words after expansion, and its redirections.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    /// `NAME=value` words before the command name.
    pub assignments: Vec<(String, String)>,
    /// The argv.
    pub argv: Vec<String>,
    /// Redirections, in order.
    pub redirects: Vec<Redirect>,
}

/// A pipeline of simple commands joined by `|`.
pub type Pipeline = Vec<SimpleCommand>;

/// A command list: pipelines and how each joins the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandList {
    /// The first pipeline has connector `Always`.
    pub items: Vec<(Connector, Pipeline)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Pipe,
    Semi,
    And,
    Or,
    Redirect(Redirect),
}

/// Parses a command line (possibly several lines, for here-documents) with
/// `vars` for expansion (`?` holds the last status).
pub fn parse(line: &str, vars: &BTreeMap<String, String>) -> Result<CommandList, SyntaxError> {
    let tokens = Lexer::new(line, vars).run()?;
    build(tokens)
}

fn build(tokens: Vec<Token>) -> Result<CommandList, SyntaxError> {
    let mut list = CommandList::default();
    let mut pipeline: Pipeline = Vec::new();
    let mut current = SimpleCommand::default();
    let mut connector = Connector::Always;
    for token in tokens {
        match token {
            Token::Word(w) => push_word(&mut current, w),
            Token::Redirect(r) => current.redirects.push(r),
            Token::Pipe => {
                pipeline.push(finish(std::mem::take(&mut current), "|")?);
            }
            Token::Semi | Token::And | Token::Or => {
                let symbol = match token {
                    Token::Semi => ";",
                    Token::And => "&&",
                    _ => "||",
                };
                pipeline.push(finish(std::mem::take(&mut current), symbol)?);
                list.items.push((connector, std::mem::take(&mut pipeline)));
                connector = match token {
                    Token::Semi => Connector::Always,
                    Token::And => Connector::And,
                    _ => Connector::Or,
                };
            }
        }
    }
    if current.argv.is_empty() && current.assignments.is_empty() && current.redirects.is_empty() {
        if !pipeline.is_empty() {
            return Err(SyntaxError::UnexpectedToken("|".into()));
        }
        if connector != Connector::Always {
            return Err(SyntaxError::UnexpectedToken("newline".into()));
        }
    } else {
        pipeline.push(current);
        list.items.push((connector, pipeline));
    }
    Ok(list)
}

fn push_word(cmd: &mut SimpleCommand, word: String) {
    if cmd.argv.is_empty()
        && let Some((name, value)) = word.split_once('=')
        && is_name(name)
    {
        cmd.assignments.push((name.to_owned(), value.to_owned()));
        return;
    }
    cmd.argv.push(word);
}

fn finish(cmd: SimpleCommand, next: &str) -> Result<SimpleCommand, SyntaxError> {
    if cmd.argv.is_empty() && cmd.assignments.is_empty() {
        return Err(SyntaxError::UnexpectedToken(next.to_owned()));
    }
    Ok(cmd)
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    vars: &'a BTreeMap<String, String>,
    tokens: Vec<Token>,
    pending_heredocs: Vec<(String, bool)>,
}

impl<'a> Lexer<'a> {
    fn new(line: &str, vars: &'a BTreeMap<String, String>) -> Self {
        Lexer {
            chars: line.chars().collect(),
            pos: 0,
            vars,
            tokens: Vec::new(),
            pending_heredocs: Vec::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn run(mut self) -> Result<Vec<Token>, SyntaxError> {
        while let Some(c) = self.peek() {
            match c {
                '\n' => {
                    self.pos += 1;
                    self.read_heredoc_bodies()?;
                    if !self.pending_heredocs.is_empty() {
                        unreachable!("bodies consumed above");
                    }
                    // A newline outside a here-document separates commands.
                    if !matches!(
                        self.tokens.last(),
                        None | Some(Token::Semi | Token::And | Token::Or | Token::Pipe)
                    ) {
                        self.tokens.push(Token::Semi);
                    }
                }
                ' ' | '\t' => self.pos += 1,
                '#' => {
                    while matches!(self.peek(), Some(c) if c != '\n') {
                        self.pos += 1;
                    }
                }
                '|' if self.peek_at(1) == Some('|') => self.op(2, Token::Or),
                '|' => self.op(1, Token::Pipe),
                '&' if self.peek_at(1) == Some('&') => self.op(2, Token::And),
                '&' => return Err(SyntaxError::Unsupported("&".into())),
                ';' => self.op(1, Token::Semi),
                '(' | ')' => return Err(SyntaxError::Unsupported(c.to_string())),
                '>' | '<' => self.redirect(None)?,
                '2' if matches!(self.peek_at(1), Some('>')) => {
                    self.pos += 1;
                    self.redirect(Some(2))?;
                }
                _ => {
                    let word = self.word()?;
                    self.tokens.push(Token::Word(word));
                }
            }
        }
        if let Some((delim, _)) = self.pending_heredocs.first() {
            return Err(SyntaxError::UnterminatedHeredoc(delim.clone()));
        }
        Ok(self.tokens)
    }

    fn op(&mut self, len: usize, token: Token) {
        self.pos += len;
        self.tokens.push(token);
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    fn redirect(&mut self, fd: Option<u8>) -> Result<(), SyntaxError> {
        let c = self.peek().unwrap_or('>');
        self.pos += 1;
        if c == '<' {
            if self.peek() == Some('<') {
                self.pos += 1;
                let strip_tabs = self.peek() == Some('-');
                if strip_tabs {
                    self.pos += 1;
                }
                self.skip_blanks();
                let raw = self.raw_word();
                let quoted = raw.contains('\'') || raw.contains('"');
                let delim: String = raw.chars().filter(|c| *c != '\'' && *c != '"').collect();
                if delim.is_empty() {
                    return Err(SyntaxError::UnexpectedToken("newline".into()));
                }
                self.pending_heredocs.push((delim, quoted));
                // Placeholder, filled when the body is read.
                self.tokens.push(Token::Redirect(Redirect::Heredoc(String::new())));
                return Ok(());
            }
            self.skip_blanks();
            let target = self.word()?;
            self.tokens.push(Token::Redirect(Redirect::StdinFrom(target)));
            return Ok(());
        }
        let append = self.peek() == Some('>');
        if append {
            self.pos += 1;
        }
        if fd == Some(2) && self.peek() == Some('&') {
            self.pos += 1;
            let target = self.word()?;
            if target == "1" {
                self.tokens.push(Token::Redirect(Redirect::StderrToStdout));
                return Ok(());
            }
            return Err(SyntaxError::Unsupported(format!("2>&{target}")));
        }
        self.skip_blanks();
        let target = self.word()?;
        if target.is_empty() {
            return Err(SyntaxError::UnexpectedToken("newline".into()));
        }
        let redirect = match (fd, append) {
            (Some(2), _) => Redirect::StderrTo(target),
            (_, true) => Redirect::StdoutAppend(target),
            (_, false) => Redirect::StdoutTo(target),
        };
        self.tokens.push(Token::Redirect(redirect));
        Ok(())
    }

    /// Reads here-document bodies after a newline, in the order they were opened.
    fn read_heredoc_bodies(&mut self) -> Result<(), SyntaxError> {
        let pending = std::mem::take(&mut self.pending_heredocs);
        let mut bodies = Vec::new();
        for (delim, quoted) in pending {
            let mut body = String::new();
            let mut found = false;
            while self.pos < self.chars.len() {
                let start = self.pos;
                while matches!(self.peek(), Some(c) if c != '\n') {
                    self.pos += 1;
                }
                let line: String = self.chars[start..self.pos].iter().collect();
                if self.peek() == Some('\n') {
                    self.pos += 1;
                }
                if line.trim_start_matches('\t') == delim {
                    found = true;
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            if !found {
                return Err(SyntaxError::UnterminatedHeredoc(delim));
            }
            bodies.push(if quoted { body } else { self.expand_text(&body) });
        }
        let mut bodies = bodies.into_iter();
        for token in self.tokens.iter_mut() {
            if let Token::Redirect(Redirect::Heredoc(body)) = token
                && body.is_empty()
                && let Some(b) = bodies.next()
            {
                *body = b;
            }
        }
        Ok(())
    }

    fn raw_word(&mut self) -> String {
        let start = self.pos;
        while matches!(self.peek(), Some(c) if !c.is_whitespace() && !"|;&<>()".contains(c)) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn word(&mut self) -> Result<String, SyntaxError> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            match c {
                c if c.is_whitespace() || "|;&<>()".contains(c) => break,
                '\'' => {
                    self.pos += 1;
                    let start = self.pos;
                    while matches!(self.peek(), Some(c) if c != '\'') {
                        self.pos += 1;
                    }
                    if self.peek().is_none() {
                        return Err(SyntaxError::UnterminatedQuote('\''));
                    }
                    out.extend(&self.chars[start..self.pos]);
                    self.pos += 1;
                }
                '"' => {
                    self.pos += 1;
                    loop {
                        match self.peek() {
                            None => return Err(SyntaxError::UnterminatedQuote('"')),
                            Some('"') => {
                                self.pos += 1;
                                break;
                            }
                            Some('\\')
                                if matches!(self.peek_at(1), Some('"' | '\\' | '$' | '`')) =>
                            {
                                out.push(self.peek_at(1).unwrap_or('\\'));
                                self.pos += 2;
                            }
                            Some('$') => out.push_str(&self.dollar()?),
                            Some('`') => return Err(SyntaxError::Unsupported("`…`".into())),
                            Some(c) => {
                                out.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                }
                '\\' => {
                    if let Some(next) = self.peek_at(1) {
                        if next != '\n' {
                            out.push(next);
                        }
                        self.pos += 2;
                    } else {
                        self.pos += 1;
                    }
                }
                '$' => out.push_str(&self.dollar()?),
                '`' => return Err(SyntaxError::Unsupported("`…`".into())),
                c => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        Ok(out)
    }

    /// Expands `$NAME`, `${NAME}`, `$?` at the cursor (which is on `$`).
    fn dollar(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1;
        match self.peek() {
            Some('(') => Err(SyntaxError::Unsupported("$(…)".into())),
            Some('?') => {
                self.pos += 1;
                Ok(self.var("?"))
            }
            Some('{') => {
                self.pos += 1;
                let start = self.pos;
                while matches!(self.peek(), Some(c) if c != '}') {
                    self.pos += 1;
                }
                if self.peek().is_none() {
                    return Err(SyntaxError::UnterminatedQuote('{'));
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                Ok(self.var(&name))
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let start = self.pos;
                while matches!(self.peek(), Some(c) if c == '_' || c.is_ascii_alphanumeric()) {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                Ok(self.var(&name))
            }
            _ => Ok("$".to_owned()),
        }
    }

    fn var(&self, name: &str) -> String {
        self.vars.get(name).cloned().unwrap_or_default()
    }

    fn expand_text(&self, text: &str) -> String {
        let mut lexer = Lexer::new(text, self.vars);
        let mut out = String::new();
        while let Some(c) = lexer.peek() {
            if c == '$' {
                match lexer.dollar() {
                    Ok(v) => out.push_str(&v),
                    Err(_) => out.push('$'),
                }
            } else {
                out.push(c);
                lexer.pos += 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argvs(line: &str) -> Vec<Vec<Vec<String>>> {
        let vars = BTreeMap::from([
            ("POD".to_owned(), "web-1".to_owned()),
            ("?".to_owned(), "0".to_owned()),
        ]);
        parse(line, &vars)
            .unwrap()
            .items
            .into_iter()
            .map(|(_, p)| p.into_iter().map(|c| c.argv).collect())
            .collect()
    }

    #[test]
    fn pipelines_and_lists() {
        assert_eq!(
            argvs("kubectl  get pod -o wide  |grep testjobv3"),
            vec![vec![vec!["kubectl", "get", "pod", "-o", "wide"], vec!["grep", "testjobv3"]]]
        );
        assert_eq!(argvs("true && echo a; echo b").len(), 3);
        assert_eq!(argvs("echo \"$POD\" '$POD'"), vec![vec![vec!["echo", "web-1", "$POD"]]]);
    }

    #[test]
    fn redirections_and_heredocs() {
        let list = parse("cat <<EOF > x.yaml\na: $POD\nEOF\n", &BTreeMap::new()).unwrap();
        let cmd = &list.items[0].1[0];
        assert_eq!(cmd.argv, vec!["cat"]);
        assert_eq!(
            cmd.redirects,
            vec![Redirect::Heredoc("a: \n".into()), Redirect::StdoutTo("x.yaml".into())]
        );
        let list =
            parse("openssl rsa -pubin 2>/dev/null | sed 's/^.* //'", &BTreeMap::new()).unwrap();
        assert_eq!(list.items[0].1[0].redirects, vec![Redirect::StderrTo("/dev/null".into())]);
        assert_eq!(list.items[0].1[1].argv, vec!["sed", "s/^.* //"]);
    }

    #[test]
    fn unsupported_constructs_are_named() {
        let vars = BTreeMap::new();
        assert_eq!(parse("echo $(date)", &vars), Err(SyntaxError::Unsupported("$(…)".into())));
        assert_eq!(parse("sleep 1 &", &vars), Err(SyntaxError::Unsupported("&".into())));
        assert_eq!(parse("echo 'x", &vars), Err(SyntaxError::UnterminatedQuote('\'')));
        assert_eq!(parse("| grep x", &vars), Err(SyntaxError::UnexpectedToken("|".into())));
        assert!(parse("cat <<EOF\nno end", &vars).is_err());
    }
}
