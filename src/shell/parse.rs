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
    /// A compound command whose closing word never came (`done`, `fi`, `esac`).
    #[error("syntax error: unexpected end of file (wanted `{0}')")]
    Unterminated(String),
    /// A command line longer than [`MAX_LINE`] bytes.
    #[error("command line of {0} bytes is longer than kubeplay's limit of {MAX_LINE}")]
    TooLong(usize),
    /// Command substitutions or compound commands nested deeper than [`MAX_DEPTH`].
    #[error("commands nested more than {MAX_DEPTH} deep")]
    TooDeep,
}

/// Longest command line (here-documents included) the tutorial shell reads:
/// far above any manifest a tutorial pastes, low enough that a runaway line
/// is a clear error rather than a long stall.
pub const MAX_LINE: usize = 1 << 20;

/// Deepest nesting of `$(…)` and compound commands: each level is a
/// recursion of the parser and the executor, so the bound keeps the stack.
pub const MAX_DEPTH: usize = 64;

/// bash's blanks (the default `IFS` less the newline): only these separate
/// words. Other whitespace — a no-break space, U+3000, a lone carriage
/// return — is an ordinary character of a word, as in bash.
fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
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
    /// `<(command)`: process substitution (its output as a file name).
    ProcSubst {
        /// The command line inside the parentheses.
        command: String,
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

/// One command of a pipeline: a simple command or a compound one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `NAME=v cmd args > file`.
    Simple(SimpleCommand),
    /// `for`, `while`, `until`, `if` or `case`, with redirections after
    /// its closing word (`done > out.txt`).
    Compound(Box<Compound>, Vec<Redirect>),
}

/// The compound commands tutorials type at the host prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compound {
    /// `for NAME [in WORDS]; do BODY; done`.
    For {
        /// The loop variable.
        var: String,
        /// The words after `in` (unexpanded).
        words: Vec<Word>,
        /// The loop body.
        body: CommandList,
    },
    /// `while COND; do BODY; done`, or `until` (`until` true).
    Loop {
        /// `until` rather than `while`.
        until: bool,
        /// The condition list.
        condition: CommandList,
        /// The loop body.
        body: CommandList,
    },
    /// `if C; then B; [elif C; then B;]… [else B;] fi`.
    If {
        /// (condition, body) for `if` and each `elif`.
        branches: Vec<(CommandList, CommandList)>,
        /// The `else` body.
        otherwise: Option<CommandList>,
    },
    /// `case WORD in PATTERN[|PATTERN]) BODY;; … esac`.
    Case {
        /// The word matched.
        word: Word,
        /// Each arm's patterns and body.
        arms: Vec<(Vec<Word>, CommandList)>,
    },
}

/// A pipeline of commands joined by `|`, possibly negated by `!`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pipeline {
    /// The commands, left to right.
    pub commands: Vec<Command>,
    /// `! PIPELINE`: the status is inverted.
    pub negated: bool,
}

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
    /// `;;`, ending a `case` arm.
    DoubleSemi,
    And,
    Or,
    Background,
    /// `(`: only the optional opening of a `case` pattern.
    LParen,
    /// `)`: only the close of a `case` pattern.
    RParen,
    Redirect(Redirect),
}

/// Parses a command line (possibly several lines, for here-documents).
pub fn parse(line: &str) -> Result<CommandList, SyntaxError> {
    if line.len() > MAX_LINE {
        return Err(SyntaxError::TooLong(line.len()));
    }
    let tokens = Lexer::new(line).run()?;
    let mut parser = Parser { tokens, pos: 0, depth: 0 };
    let list = parser.list(&[])?;
    match parser.tokens.get(parser.pos) {
        None => Ok(list),
        Some(token) => Err(SyntaxError::UnexpectedToken(token_text(token))),
    }
}

/// Words that open or close compound commands where a command starts.
const RESERVED: &[&str] =
    &["if", "then", "elif", "else", "fi", "for", "do", "done", "while", "until", "case", "esac"];

/// bash's reserved words and keywords kubeplay does not run.
const UNSUPPORTED_KEYWORDS: &[&str] = &["{", "}", "function", "select", "[[", "time", "coproc"];

fn token_text(token: &Token) -> String {
    match token {
        Token::Word(w) => w.as_literal().unwrap_or_else(|| "word".into()),
        Token::Pipe => "|".into(),
        Token::Semi => ";".into(),
        Token::DoubleSemi => ";;".into(),
        Token::And => "&&".into(),
        Token::Or => "||".into(),
        Token::Background => "&".into(),
        Token::LParen => "(".into(),
        Token::RParen => ")".into(),
        Token::Redirect(_) => "redirection".into(),
    }
}

/// A recursive-descent parser over the lexer's tokens (bash's grammar
/// for lists, pipelines and the compound commands above).
struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    /// The reserved word at the cursor, if the token is one.
    fn reserved(&self) -> Option<&'static str> {
        match self.peek() {
            Some(Token::Word(w)) => {
                let text = w.as_literal()?;
                RESERVED.iter().find(|r| **r == text).copied()
            }
            _ => None,
        }
    }

    fn skip_separators(&mut self) {
        while self.peek() == Some(&Token::Semi) {
            self.pos += 1;
        }
    }

    /// Expects reserved word `word` at the cursor.
    fn expect(&mut self, word: &str) -> Result<(), SyntaxError> {
        self.skip_separators();
        if self.reserved() == Some(word) {
            self.pos += 1;
            return Ok(());
        }
        Err(match self.peek() {
            Some(token) => SyntaxError::UnexpectedToken(token_text(token)),
            None => SyntaxError::Unterminated(word.to_owned()),
        })
    }

    /// A list up to the end, a `;;`, a `)` or one of the reserved words `until`.
    fn list(&mut self, until: &[&str]) -> Result<CommandList, SyntaxError> {
        let mut list = CommandList::default();
        let mut connector = Connector::Always;
        loop {
            if connector == Connector::Always {
                self.skip_separators();
            }
            match self.peek() {
                None | Some(Token::DoubleSemi | Token::RParen)
                    if connector == Connector::Always =>
                {
                    break;
                }
                None => return Err(SyntaxError::UnexpectedToken("newline".into())),
                _ if connector == Connector::Always
                    && self.reserved().is_some_and(|r| until.contains(&r)) =>
                {
                    break;
                }
                _ => {}
            }
            let pipeline = self.pipeline()?;
            list.items.push((connector, pipeline));
            connector = match self.peek() {
                Some(Token::Semi) => Connector::Always,
                Some(Token::Background) => {
                    list.background.push(list.items.len() - 1);
                    Connector::Always
                }
                Some(Token::And) => Connector::And,
                Some(Token::Or) => Connector::Or,
                _ => break,
            };
            self.pos += 1;
            if connector != Connector::Always {
                // `a &&` at the end of a line continues on the next.
                self.skip_separators();
            }
        }
        Ok(list)
    }

    fn pipeline(&mut self) -> Result<Pipeline, SyntaxError> {
        let mut pipeline = Pipeline::default();
        if matches!(self.peek(), Some(Token::Word(w)) if w.as_literal().as_deref() == Some("!")) {
            self.pos += 1;
            pipeline.negated = true;
        }
        loop {
            pipeline.commands.push(self.command()?);
            if self.peek() != Some(&Token::Pipe) {
                return Ok(pipeline);
            }
            self.pos += 1;
            self.skip_separators();
        }
    }

    fn command(&mut self) -> Result<Command, SyntaxError> {
        if let Some(Token::Word(w)) = self.peek()
            && let Some(text) = w.as_literal()
            && UNSUPPORTED_KEYWORDS.contains(&text.as_str())
        {
            return Err(SyntaxError::Unsupported(text));
        }
        let compound = match self.reserved() {
            Some(word @ ("for" | "while" | "until" | "if" | "case")) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(SyntaxError::TooDeep);
                }
                self.pos += 1;
                let compound = match word {
                    "for" => self.for_loop()?,
                    "while" | "until" => self.while_loop(word == "until")?,
                    "if" => self.if_command()?,
                    _ => self.case_command()?,
                };
                self.depth -= 1;
                Some(compound)
            }
            Some(word) => return Err(SyntaxError::UnexpectedToken(word.into())),
            None => None,
        };
        if let Some(compound) = compound {
            let mut redirects = Vec::new();
            while let Some(Token::Redirect(r)) = self.peek() {
                redirects.push(r.clone());
                self.pos += 1;
            }
            return Ok(Command::Compound(Box::new(compound), redirects));
        }
        let mut cmd = SimpleCommand::default();
        loop {
            match self.peek() {
                Some(Token::Word(w)) => {
                    let w = w.clone();
                    self.pos += 1;
                    push_word(&mut cmd, w);
                }
                Some(Token::Redirect(r)) => {
                    cmd.redirects.push(r.clone());
                    self.pos += 1;
                }
                Some(Token::LParen) => return Err(SyntaxError::Unsupported("(".into())),
                _ => break,
            }
        }
        if cmd.words.is_empty() && cmd.assignments.is_empty() && cmd.redirects.is_empty() {
            return Err(match self.peek() {
                Some(token) => SyntaxError::UnexpectedToken(token_text(token)),
                None => SyntaxError::UnexpectedToken("newline".into()),
            });
        }
        Ok(Command::Simple(cmd))
    }

    fn name(&mut self) -> Result<String, SyntaxError> {
        match self.peek() {
            Some(Token::Word(w)) if w.as_literal().is_some_and(|n| is_name(&n)) => {
                let name = w.as_literal().unwrap_or_default();
                self.pos += 1;
                Ok(name)
            }
            Some(token) => Err(SyntaxError::UnexpectedToken(token_text(token))),
            None => Err(SyntaxError::UnexpectedToken("newline".into())),
        }
    }

    fn for_loop(&mut self) -> Result<Compound, SyntaxError> {
        let var = self.name()?;
        let mut words = Vec::new();
        if matches!(self.peek(), Some(Token::Word(w)) if w.as_literal().as_deref() == Some("in")) {
            self.pos += 1;
            while let Some(Token::Word(w)) = self.peek() {
                words.push(w.clone());
                self.pos += 1;
            }
        } else {
            // `for x; do` loops over the positional parameters, which a
            // tutorial's interactive shell does not have.
            return Err(SyntaxError::Unsupported(format!("for {var} without `in`")));
        }
        self.expect("do")?;
        let body = self.list(&["done"])?;
        self.expect("done")?;
        Ok(Compound::For { var, words, body })
    }

    fn while_loop(&mut self, until: bool) -> Result<Compound, SyntaxError> {
        let condition = self.list(&["do"])?;
        self.expect("do")?;
        let body = self.list(&["done"])?;
        self.expect("done")?;
        Ok(Compound::Loop { until, condition, body })
    }

    fn if_command(&mut self) -> Result<Compound, SyntaxError> {
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let condition = self.list(&["then"])?;
            self.expect("then")?;
            let body = self.list(&["elif", "else", "fi"])?;
            branches.push((condition, body));
            match self.reserved() {
                Some("elif") => self.pos += 1,
                Some("else") => {
                    self.pos += 1;
                    otherwise = Some(self.list(&["fi"])?);
                    self.expect("fi")?;
                    break;
                }
                _ => {
                    self.expect("fi")?;
                    break;
                }
            }
        }
        Ok(Compound::If { branches, otherwise })
    }

    fn case_command(&mut self) -> Result<Compound, SyntaxError> {
        let word = match self.peek() {
            Some(Token::Word(w)) => w.clone(),
            Some(token) => return Err(SyntaxError::UnexpectedToken(token_text(token))),
            None => return Err(SyntaxError::Unterminated("esac".into())),
        };
        self.pos += 1;
        match self.peek() {
            Some(Token::Word(w)) if w.as_literal().as_deref() == Some("in") => self.pos += 1,
            Some(token) => return Err(SyntaxError::UnexpectedToken(token_text(token))),
            None => return Err(SyntaxError::Unterminated("esac".into())),
        }
        let mut arms = Vec::new();
        loop {
            self.skip_separators();
            if self.reserved() == Some("esac") {
                self.pos += 1;
                break;
            }
            if self.peek() == Some(&Token::LParen) {
                self.pos += 1;
            }
            let mut patterns = Vec::new();
            loop {
                match self.peek() {
                    Some(Token::Word(w)) => {
                        patterns.push(w.clone());
                        self.pos += 1;
                    }
                    Some(token) => return Err(SyntaxError::UnexpectedToken(token_text(token))),
                    None => return Err(SyntaxError::Unterminated("esac".into())),
                }
                match self.peek() {
                    Some(Token::Pipe) => self.pos += 1,
                    Some(Token::RParen) => {
                        self.pos += 1;
                        break;
                    }
                    Some(token) => return Err(SyntaxError::UnexpectedToken(token_text(token))),
                    None => return Err(SyntaxError::Unterminated("esac".into())),
                }
            }
            let body = self.list(&["esac"])?;
            arms.push((patterns, body));
            match self.peek() {
                Some(Token::DoubleSemi) => self.pos += 1,
                _ => {
                    self.expect("esac")?;
                    break;
                }
            }
        }
        Ok(Compound::Case { word, arms })
    }
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
                            Token::Semi
                                | Token::DoubleSemi
                                | Token::And
                                | Token::Or
                                | Token::Pipe
                                | Token::Background
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
                ';' if self.peek_at(1) == Some(';') => self.op(2, Token::DoubleSemi),
                ';' => self.op(1, Token::Semi),
                '(' => self.op(1, Token::LParen),
                ')' => self.op(1, Token::RParen),
                '<' if self.peek_at(1) == Some('(') => {
                    self.pos += 2;
                    let command = self.substitution_body()?;
                    self.tokens.push(Token::Word(Word(vec![Part::ProcSubst { command }])));
                }
                '>' | '<' => self.redirect(None)?,
                '2' if matches!(self.peek_at(1), Some('>')) => {
                    self.pos += 1;
                    self.redirect(Some(2))?;
                }
                _ => {
                    let start = self.pos;
                    let word = self.word()?;
                    if self.pos == start {
                        // Every character `word` stops at is matched above;
                        // never loop without consuming input.
                        return Err(SyntaxError::UnexpectedToken(c.to_string()));
                    }
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
        while matches!(self.peek(), Some(c) if !is_blank(c) && c != '\n' && !OPERATOR_CHARS.contains(c))
        {
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
                c if is_blank(c) || c == '\n' || OPERATOR_CHARS.contains(c) => break,
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
            .map(|(_, p)| {
                p.commands
                    .into_iter()
                    .map(|c| match c {
                        Command::Simple(c) => c.words,
                        Command::Compound(..) => panic!("compound command"),
                    })
                    .collect()
            })
            .collect()
    }

    fn simple(list: &CommandList, item: usize, command: usize) -> &SimpleCommand {
        match &list.items[item].1.commands[command] {
            Command::Simple(c) => c,
            Command::Compound(..) => panic!("compound command"),
        }
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
        let cmd = simple(&list, 0, 0);
        assert!(cmd.words.is_empty());
        assert_eq!(cmd.assignments[0].0, "POD");
    }

    #[test]
    fn redirections_and_heredocs() {
        let list = parse("cat <<EOF > x.yaml\na: $POD\nEOF\n").unwrap();
        let cmd = simple(&list, 0, 0);
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
        assert_eq!(simple(&list, 0, 0).redirects, vec![Redirect::StderrTo(Word::lit("/dev/null"))]);
        assert_eq!(simple(&list, 0, 1).words, lits(&["sed", "s/^.* //"]));
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
            simple(&list, 0, 0).redirects,
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
        assert_eq!(parse("for x in a; do echo"), Err(SyntaxError::Unterminated("done".into())));
        assert_eq!(parse("{ echo; }"), Err(SyntaxError::Unsupported("{".into())));
        assert_eq!(parse("echo <(ls)").map(|_| ()), Ok(()));
    }

    #[test]
    fn non_ascii_whitespace_is_part_of_a_word() {
        // Found by fuzzing: these made the lexer loop until memory ran out.
        for text in ["echo a\u{a0}b", "echo \u{3000}", "echo a\rb", "\u{a0}", "\r"] {
            let list = parse(text).unwrap();
            assert_eq!(list.items.len(), 1, "{text:?}");
        }
        assert_eq!(words("echo a\u{a0}b")[0][0], lits(&["echo", "a\u{a0}b"]));
    }

    #[test]
    fn bounds_are_errors() {
        let long = "x".repeat(MAX_LINE + 1);
        assert_eq!(parse(&long), Err(SyntaxError::TooLong(MAX_LINE + 1)));
        let deep = format!(
            "{}true{}",
            "if true; then ".repeat(MAX_DEPTH + 1),
            "; fi".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(parse(&deep), Err(SyntaxError::TooDeep));
    }

    #[test]
    fn compound_commands() {
        let list = parse("for i in 1 2 3; do echo $i; done").unwrap();
        let Command::Compound(c, _) = &list.items[0].1.commands[0] else { panic!() };
        assert!(matches!(&**c, Compound::For { var, words, .. } if var == "i" && words.len() == 3));
        let list = parse("if [ -f x ]; then echo a; elif true; then echo b; else echo c; fi > out")
            .unwrap();
        let Command::Compound(c, redirects) = &list.items[0].1.commands[0] else { panic!() };
        assert!(
            matches!(&**c, Compound::If { branches, otherwise: Some(_) } if branches.len() == 2)
        );
        assert_eq!(redirects.len(), 1);
        let list = parse("case $x in\n  a|b) echo ab;;\n  (*) echo other;;\nesac").unwrap();
        let Command::Compound(c, _) = &list.items[0].1.commands[0] else { panic!() };
        assert!(
            matches!(&**c, Compound::Case { arms, .. } if arms.len() == 2 && arms[0].0.len() == 2)
        );
        let list = parse("kubectl get pods | while read p; do echo $p; done | sort").unwrap();
        assert_eq!(list.items[0].1.commands.len(), 3);
        assert!(parse("! true").unwrap().items[0].1.negated);
        assert_eq!(words("echo done if")[0][0], lits(&["echo", "done", "if"]));
    }
}
