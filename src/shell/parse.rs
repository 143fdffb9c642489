//! Parsing a tutorial command line into lists of pipelines.
//!
//! A deliberately small POSIX-shell subset: words with `'…'`, `"…"` and `\`
//! quoting; `$NAME`, `${NAME}`, `$?` and `$(…)` expansions; `|`, `;`, `&&`,
//! `||`; `CMD &` (a background job); redirections `>`, `>>`, `<`, `2>FILE`,
//! `2>&1`, `&>FILE`; here-documents. Anything else (backticks, subshells) is
//! rejected with an error naming it, so a tutorial never passes by accident.
//!
//! Expansions are kept unexpanded in [`Word`]s and expanded by the executor
//! when the command runs, as a shell does: in `X=1; echo $X` the second
//! command sees the first one's assignment.

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

/// One piece of a word, before expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text (from quotes or plain characters): never split.
    Lit(String),
    /// `$NAME`; `quoted` when inside double quotes (no field splitting).
    Var {
        /// The variable name (`?` for the last status).
        name: String,
        /// Inside double quotes.
        quoted: bool,
    },
    /// `$(command)`; its stdout, trailing newlines removed.
    Subst {
        /// The command line inside the parentheses.
        command: String,
        /// Inside double quotes.
        quoted: bool,
    },
}

/// A word before expansion: literal text and expansions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word(pub Vec<Part>);

impl Word {
    /// A literal word.
    pub fn lit(text: &str) -> Word {
        Word(vec![Part::Lit(text.to_owned())])
    }

    /// The word's text when it has no expansions.
    pub fn as_literal(&self) -> Option<String> {
        self.0
            .iter()
            .map(|p| match p {
                Part::Lit(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    fn push_lit(&mut self, c: char) {
        if let Some(Part::Lit(text)) = self.0.last_mut() {
            text.push(c);
        } else {
            self.0.push(Part::Lit(c.to_string()));
        }
    }

    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push_lit(c);
        }
    }
}

/// Where a redirection sends or takes data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// `> FILE` (stdout, truncate).
    StdoutTo(Word),
    /// `>> FILE` (stdout, append).
    StdoutAppend(Word),
    /// `2> FILE` (stderr; `/dev/null` discards).
    StderrTo(Word),
    /// `2>&1`.
    StderrToStdout,
    /// `< FILE`.
    StdinFrom(Word),
    /// A here-document body (a word: expanded unless the delimiter was quoted).
    Heredoc(Word),
}

/// One simple command: its words, assignments and redirections, unexpanded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    /// `NAME=value` words before the command name.
    pub assignments: Vec<(String, Word)>,
    /// The words (argv before expansion).
    pub words: Vec<Word>,
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
    /// Indexes into `items` of pipelines ended by `&`: run as background
    /// jobs (the next item, if any, follows with connector `Always`).
    pub background: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(Word),
    Pipe,
    Semi,
    And,
    Or,
    Background,
    Redirect(Redirect),
}

/// Parses a command line (possibly several lines, for here-documents).
pub fn parse(line: &str) -> Result<CommandList, SyntaxError> {
    let tokens = Lexer::new(line).run()?;
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
            Token::Semi | Token::And | Token::Or | Token::Background => {
                let symbol = match token {
                    Token::Semi => ";",
                    Token::And => "&&",
                    Token::Background => "&",
                    _ => "||",
                };
                pipeline.push(finish(std::mem::take(&mut current), symbol)?);
                if token == Token::Background {
                    list.background.push(list.items.len());
                }
                list.items.push((connector, std::mem::take(&mut pipeline)));
                connector = match token {
                    Token::Semi | Token::Background => Connector::Always,
                    Token::And => Connector::And,
                    _ => Connector::Or,
                };
            }
        }
    }
    if current.words.is_empty() && current.assignments.is_empty() && current.redirects.is_empty() {
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

/// A leading `NAME=value` word is an assignment, not the command name.
fn push_word(cmd: &mut SimpleCommand, word: Word) {
    if cmd.words.is_empty()
        && let Some(Part::Lit(first)) = word.0.first()
        && let Some((name, value)) = first.split_once('=')
        && is_name(name)
    {
        let mut rest = Word::default();
        rest.push_str(value);
        let name = name.to_owned();
        rest.0.extend(word.0.into_iter().skip(1));
        cmd.assignments.push((name, rest));
        return;
    }
    cmd.words.push(word);
}

fn finish(cmd: SimpleCommand, next: &str) -> Result<SimpleCommand, SyntaxError> {
    if cmd.words.is_empty() && cmd.assignments.is_empty() {
        return Err(SyntaxError::UnexpectedToken(next.to_owned()));
    }
    Ok(cmd)
}

/// Whether `s` is a valid shell variable name.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

const OPERATOR_CHARS: &str = "|;&<>()";

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    tokens: Vec<Token>,
    pending_heredocs: Vec<(String, bool)>,
}

impl Lexer {
    fn new(line: &str) -> Self {
        Lexer {
            chars: line.chars().collect(),
            pos: 0,
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
                    // A newline outside a here-document separates commands.
                    if !matches!(
                        self.tokens.last(),
                        None | Some(
                            Token::Semi | Token::And | Token::Or | Token::Pipe | Token::Background
                        )
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
                // bash's `&>FILE`: stdout and stderr to FILE.
                '&' if self.peek_at(1) == Some('>') => {
                    self.pos += 2;
                    let target = self.target()?;
                    self.tokens.push(Token::Redirect(Redirect::StdoutTo(target)));
                    self.tokens.push(Token::Redirect(Redirect::StderrToStdout));
                }
                '&' => self.op(1, Token::Background),
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

    fn target(&mut self) -> Result<Word, SyntaxError> {
        self.skip_blanks();
        let word = self.word()?;
        if word.0.is_empty() {
            return Err(SyntaxError::UnexpectedToken("newline".into()));
        }
        Ok(word)
    }

    fn redirect(&mut self, fd: Option<u8>) -> Result<(), SyntaxError> {
        let c = self.peek().unwrap_or('>');
        self.pos += 1;
        if c == '<' {
            if self.peek() == Some('<') {
                self.pos += 1;
                return self.heredoc_start();
            }
            let target = self.target()?;
            self.tokens.push(Token::Redirect(Redirect::StdinFrom(target)));
            return Ok(());
        }
        let append = self.peek() == Some('>');
        if append {
            self.pos += 1;
        }
        if fd == Some(2) && self.peek() == Some('&') {
            self.pos += 1;
            let target = self.word()?.as_literal().unwrap_or_default();
            if target == "1" {
                self.tokens.push(Token::Redirect(Redirect::StderrToStdout));
                return Ok(());
            }
            return Err(SyntaxError::Unsupported(format!("2>&{target}")));
        }
        let target = self.target()?;
        let redirect = match (fd, append) {
            (Some(2), _) => Redirect::StderrTo(target),
            (_, true) => Redirect::StdoutAppend(target),
            (_, false) => Redirect::StdoutTo(target),
        };
        self.tokens.push(Token::Redirect(redirect));
        Ok(())
    }

    fn heredoc_start(&mut self) -> Result<(), SyntaxError> {
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        self.skip_blanks();
        let start = self.pos;
        while matches!(self.peek(), Some(c) if !c.is_whitespace() && !OPERATOR_CHARS.contains(c)) {
            self.pos += 1;
        }
        let raw: String = self.chars[start..self.pos].iter().collect();
        let quoted = raw.contains('\'') || raw.contains('"');
        let delim: String = raw.chars().filter(|c| *c != '\'' && *c != '"').collect();
        if delim.is_empty() {
            return Err(SyntaxError::UnexpectedToken("newline".into()));
        }
        self.pending_heredocs.push((delim, quoted));
        // Placeholder, filled when the body is read after the newline.
        self.tokens.push(Token::Redirect(Redirect::Heredoc(Word::default())));
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
            bodies.push(if quoted { Word::lit(&body) } else { expandable_text(&body)? });
        }
        let mut bodies = bodies.into_iter();
        for token in self.tokens.iter_mut() {
            if let Token::Redirect(Redirect::Heredoc(body)) = token
                && body.0.is_empty()
                && let Some(b) = bodies.next()
            {
                *body = b;
            }
        }
        Ok(())
    }

    fn word(&mut self) -> Result<Word, SyntaxError> {
        let mut word = Word::default();
        while let Some(c) = self.peek() {
            match c {
                c if c.is_whitespace() || OPERATOR_CHARS.contains(c) => break,
                '\'' => {
                    self.pos += 1;
                    let start = self.pos;
                    while matches!(self.peek(), Some(c) if c != '\'') {
                        self.pos += 1;
                    }
                    if self.peek().is_none() {
                        return Err(SyntaxError::UnterminatedQuote('\''));
                    }
                    let text: String = self.chars[start..self.pos].iter().collect();
                    // An empty '' still makes a word exist.
                    word.0.push(Part::Lit(text));
                    self.pos += 1;
                }
                '"' => {
                    self.pos += 1;
                    word.0.push(Part::Lit(String::new()));
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
                                word.push_lit(self.peek_at(1).unwrap_or('\\'));
                                self.pos += 2;
                            }
                            Some('$') => self.dollar(&mut word, true)?,
                            Some('`') => return Err(SyntaxError::Unsupported("`…`".into())),
                            Some(c) => {
                                word.push_lit(c);
                                self.pos += 1;
                            }
                        }
                    }
                }
                '\\' => {
                    if let Some(next) = self.peek_at(1) {
                        if next != '\n' {
                            word.push_lit(next);
                        }
                        self.pos += 2;
                    } else {
                        self.pos += 1;
                    }
                }
                '$' => self.dollar(&mut word, false)?,
                '`' => return Err(SyntaxError::Unsupported("`…`".into())),
                c => {
                    word.push_lit(c);
                    self.pos += 1;
                }
            }
        }
        Ok(word)
    }

    /// Reads `$NAME`, `${NAME}`, `$?` or `$(…)` at the cursor (on `$`).
    fn dollar(&mut self, word: &mut Word, quoted: bool) -> Result<(), SyntaxError> {
        self.pos += 1;
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let command = self.substitution_body()?;
                word.0.push(Part::Subst { command, quoted });
            }
            Some('?') => {
                self.pos += 1;
                word.0.push(Part::Var { name: "?".into(), quoted });
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
                if !is_name(&name) {
                    return Err(SyntaxError::Unsupported(format!("${{{name}}}")));
                }
                word.0.push(Part::Var { name, quoted });
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let start = self.pos;
                while matches!(self.peek(), Some(c) if c == '_' || c.is_ascii_alphanumeric()) {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                word.0.push(Part::Var { name, quoted });
            }
            _ => word.push_lit('$'),
        }
        Ok(())
    }

    /// The text of `$( … )` up to its matching parenthesis (quotes respected).
    fn substitution_body(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        let mut depth = 1;
        while let Some(c) = self.peek() {
            match c {
                '\'' | '"' => {
                    self.pos += 1;
                    while matches!(self.peek(), Some(q) if q != c) {
                        self.pos += 1;
                    }
                    if self.peek().is_none() {
                        return Err(SyntaxError::UnterminatedQuote(c));
                    }
                }
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        let body: String = self.chars[start..self.pos].iter().collect();
                        self.pos += 1;
                        return Ok(body);
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        Err(SyntaxError::UnterminatedQuote('('))
    }
}

/// Here-document text: literal except `$` expansions.
fn expandable_text(text: &str) -> Result<Word, SyntaxError> {
    let mut lexer = Lexer::new(text);
    let mut word = Word::default();
    while let Some(c) = lexer.peek() {
        if c == '$' {
            lexer.dollar(&mut word, true)?;
        } else {
            word.push_lit(c);
            lexer.pos += 1;
        }
    }
    Ok(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<Vec<Word>>> {
        parse(line)
            .unwrap()
            .items
            .into_iter()
            .map(|(_, p)| p.into_iter().map(|c| c.words).collect())
            .collect()
    }

    fn lits(items: &[&str]) -> Vec<Word> {
        items.iter().map(|s| Word::lit(s)).collect()
    }

    #[test]
    fn pipelines_and_lists() {
        assert_eq!(
            words("kubectl  get pod -o wide  |grep testjobv3"),
            vec![vec![
                lits(&["kubectl", "get", "pod", "-o", "wide"]),
                lits(&["grep", "testjobv3"])
            ]]
        );
        assert_eq!(words("true && echo a; echo b").len(), 3);
    }

    #[test]
    fn expansions_stay_unexpanded_until_run() {
        let w = words("echo \"$POD\" '$POD' $(kubectl get pods -o name)");
        assert_eq!(
            w[0][0][1],
            Word(vec![Part::Lit(String::new()), Part::Var { name: "POD".into(), quoted: true }])
        );
        assert_eq!(w[0][0][2], Word::lit("$POD"));
        assert_eq!(
            w[0][0][3],
            Word(vec![Part::Subst { command: "kubectl get pods -o name".into(), quoted: false }])
        );
        let list = parse("POD=$(kubectl get pods -o jsonpath='{.items[0]}')").unwrap();
        let cmd = &list.items[0].1[0];
        assert!(cmd.words.is_empty());
        assert_eq!(cmd.assignments[0].0, "POD");
    }

    #[test]
    fn redirections_and_heredocs() {
        let list = parse("cat <<EOF > x.yaml\na: $POD\nEOF\n").unwrap();
        let cmd = &list.items[0].1[0];
        assert_eq!(cmd.words, lits(&["cat"]));
        assert_eq!(
            cmd.redirects,
            vec![
                Redirect::Heredoc(Word(vec![
                    Part::Lit("a: ".into()),
                    Part::Var { name: "POD".into(), quoted: true },
                    Part::Lit("\n".into())
                ])),
                Redirect::StdoutTo(Word::lit("x.yaml"))
            ]
        );
        let list = parse("openssl rsa -pubin 2>/dev/null | sed 's/^.* //'").unwrap();
        assert_eq!(list.items[0].1[0].redirects, vec![Redirect::StderrTo(Word::lit("/dev/null"))]);
        assert_eq!(list.items[0].1[1].words, lits(&["sed", "s/^.* //"]));
    }

    #[test]
    fn background_jobs() {
        let list = parse("kubectl port-forward pod/web 8080:80 &").unwrap();
        assert_eq!((list.items.len(), list.background.clone()), (1, vec![0]));
        let list = parse("sleep 1 & echo a; echo b &\n").unwrap();
        assert_eq!((list.items.len(), list.background.clone()), (3, vec![0, 2]));
        assert_eq!(list.items[1].0, Connector::Always);
        let list = parse("kubectl port-forward pod/web 8080:80 &> /dev/null &").unwrap();
        assert_eq!(
            list.items[0].1[0].redirects,
            vec![Redirect::StdoutTo(Word::lit("/dev/null")), Redirect::StderrToStdout]
        );
        assert_eq!(parse("a & && b"), Err(SyntaxError::UnexpectedToken("&&".into())));
    }

    #[test]
    fn unsupported_constructs_are_named() {
        assert_eq!(parse("echo `date`"), Err(SyntaxError::Unsupported("`…`".into())));
        assert_eq!(parse("& echo"), Err(SyntaxError::UnexpectedToken("&".into())));
        assert_eq!(parse("(cd x)"), Err(SyntaxError::Unsupported("(".into())));
        assert_eq!(parse("echo 'x"), Err(SyntaxError::UnterminatedQuote('\'')));
        assert_eq!(parse("echo $(date"), Err(SyntaxError::UnterminatedQuote('(')));
        assert_eq!(parse("| grep x"), Err(SyntaxError::UnexpectedToken("|".into())));
        assert!(parse("cat <<EOF\nno end").is_err());
    }
}
