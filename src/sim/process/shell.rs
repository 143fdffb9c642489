//! The parser of the container shell: a small, deterministic subset of POSIX
//! `sh` (busybox ash) that tutorials put in `command:`/`args:` — simple
//! commands, quoting, `$VAR`, pipelines `a | b`, `;`, `&&`, `||`, `if`,
//! `while`/`until`, `for` and `{ ...; }`, redirections of simple commands
//! (`>`, `>>`, `<`, `N>&M`, here-documents and here-strings), command
//! substitution (`$(...)`, backticks), arithmetic expansion (`$((...))`,
//! evaluated by [`super::arith`]), subshells `( ... )`, bash's `(( ... ))`
//! and the parameter expansions of `${...}` ([`Param`]). Constructs outside
//! the subset (background jobs, `case`, function definitions) are a parse
//! error naming the construct, so a script kubeplay cannot run fails loudly
//! instead of pretending to succeed.

/// One piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text; `quoted` when it came from quotes or a backslash.
    Lit(String, bool),
    /// `$NAME`, `${NAME}` or `$?`; `quoted` inside double quotes.
    Var(String, bool),
    /// `$(list)` or `` `list` ``: the list's output, trailing newlines cut.
    Sub(Box<Command>, bool),
    /// `$((expr))`: the expression's text, itself expanded first.
    Arith(Word, bool),
    /// `${NAME<op>word}`, `${#NAME}`.
    Param(Box<Param>, bool),
}

/// A parameter expansion with an operator (POSIX 2.6.2, and the bash
/// forms busybox ash also has).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The parameter.
    pub name: String,
    /// What is done with it.
    pub op: ParamOp,
    /// The word after the operator (default, pattern, offset).
    pub arg: Word,
    /// The second word: a replacement (`/pat/rep`) or a length (`:off:len`).
    pub arg2: Option<Word>,
}

/// The operator of a [`Param`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamOp {
    /// `${#NAME}`.
    Length,
    /// `${NAME-word}` / `${NAME:-word}` (`true`: also when empty).
    Default(bool),
    /// `${NAME=word}` / `${NAME:=word}`.
    Assign(bool),
    /// `${NAME+word}` / `${NAME:+word}`.
    Alternative(bool),
    /// `${NAME?word}` / `${NAME:?word}`.
    Error(bool),
    /// `${NAME%pat}` / `${NAME%%pat}` (`true`: longest).
    TrimSuffix(bool),
    /// `${NAME#pat}` / `${NAME##pat}` (`true`: longest).
    TrimPrefix(bool),
    /// `${NAME:offset}` / `${NAME:offset:length}` (bash, busybox ash).
    Substring,
    /// `${NAME/pat/rep}` / `${NAME//pat/rep}` (bash, busybox ash).
    Replace(bool),
    /// `${NAME^^}` / `${NAME^}` (bash; `true`: every character).
    Upper(bool),
    /// `${NAME,,}` / `${NAME,}` (bash).
    Lower(bool),
}

/// A word: parts concatenated after expansion.
pub type Word = Vec<Part>;

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `NAME=value ... word ...`.
    Simple {
        /// Leading assignments.
        assigns: Vec<(String, Word)>,
        /// The command words.
        words: Vec<Word>,
        /// Its redirections, in order.
        redirs: Vec<Redir>,
    },
    /// `a | b | c`: each stage's stdout is the next one's stdin.
    Pipeline(Vec<Command>),
    /// `a && b`.
    And(Box<Command>, Box<Command>),
    /// `a || b`.
    Or(Box<Command>, Box<Command>),
    /// `a; b; c`.
    Seq(Vec<Command>),
    /// `if c; then a; [elif ...] [else b;] fi`, as a chain of (cond, body).
    If(Vec<(Command, Command)>, Option<Box<Command>>),
    /// `while c; do b; done` (`until` negates the condition).
    Loop {
        /// The condition list.
        cond: Box<Command>,
        /// The body.
        body: Box<Command>,
        /// `until` rather than `while`.
        until: bool,
    },
    /// `for NAME in words; do body; done`.
    For(String, Vec<Word>, Box<Command>),
    /// `( list )`: the list in a subshell.
    Subshell(Box<Command>),
    /// `(( expr ))`: bash's arithmetic command.
    Arith(Word),
    /// A compound command with redirections (`while read l; do ...; done
    /// < file`, `{ ...; } > file`): they apply to the whole of it.
    Redirected(Box<Command>, Vec<Redir>),
}

/// What a redirection does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirOp {
    /// `N> FILE` (stdout by default).
    Out,
    /// `N>> FILE`.
    Append,
    /// `N< FILE` (stdin by default).
    In,
    /// `N>&M`: fd N writes where M does.
    Dup,
    /// `<<WORD` / `<<<WORD`: the target is the text itself.
    Text,
}

/// One redirection of a simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redir {
    /// The file descriptor redirected.
    pub fd: u32,
    /// What is done.
    pub op: RedirOp,
    /// The file, the fd number (`Dup`), or the text (`Text`).
    pub target: Word,
}

/// Why a script could not be parsed: a syntax error as the shell reports
/// it after `sh: `, or a construct kubeplay's container shell does not
/// emulate (reported `unsupported`, never printed as the shell's output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxError {
    /// The shell's own message.
    Syntax(String),
    /// The construct kubeplay cannot run, named.
    Unsupported(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(Word),
    /// `;`, `&&`, `||`, `|` or a newline (`\n`).
    Op(&'static str),
    /// A redirection operator and its fd (the target is the next word).
    Redir(u32, RedirOp),
    /// The text of a here-document or here-string (`<<`, `<<<`).
    Text(Word),
    /// `(( expr ))` at the start of a command.
    Arith(Word),
}

/// Parses a `sh -c` script.
pub fn parse(script: &str) -> Result<Command, SyntaxError> {
    let toks = lex(script)?;
    let mut p = Parser { toks, pos: 0 };
    let list = p.list(&[])?;
    match p.peek() {
        None => Ok(list),
        Some(t) => Err(unexpected(t)),
    }
}

fn unexpected(t: &Tok) -> SyntaxError {
    let text = match t {
        Tok::Op("\n") => "newline".to_owned(),
        Tok::Op(o) => (*o).to_owned(),
        Tok::Word(w) | Tok::Text(w) => literal(w).unwrap_or_default(),
        Tok::Arith(_) => "((".to_owned(),
        Tok::Redir(_, RedirOp::Append) => ">>".to_owned(),
        Tok::Redir(_, RedirOp::In | RedirOp::Text) => "<".to_owned(),
        Tok::Redir(..) => ">".to_owned(),
    };
    SyntaxError::Syntax(format!("syntax error: unexpected \"{text}\""))
}

fn unsupported(what: &str) -> SyntaxError {
    SyntaxError::Unsupported(format!("container shell construct {what}"))
}

/// The unquoted literal text of a word, if it is one (keywords).
fn literal(w: &Word) -> Option<String> {
    let mut s = String::new();
    for p in w {
        match p {
            Part::Lit(t, false) => s.push_str(t),
            _ => return None,
        }
    }
    Some(s)
}

fn lex(src: &str) -> Result<Vec<Tok>, SyntaxError> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut word: Word = Vec::new();
    let mut in_word = false;
    let mut i = 0;
    let push_lit = |word: &mut Word, c: char, quoted: bool| match word.last_mut() {
        Some(Part::Lit(s, q)) if *q == quoted => s.push(c),
        _ => word.push(Part::Lit(c.to_string(), quoted)),
    };
    macro_rules! end_word {
        () => {
            if in_word {
                toks.push(Tok::Word(std::mem::take(&mut word)));
                in_word = false;
            }
        };
    }
    // Here-documents of the current line: (index of their delimiter word
    // token, `<<-`).
    let mut heredocs: Vec<(usize, bool)> = Vec::new();
    let mut here_string = false;
    while i < chars.len() {
        let c = chars[i];
        if here_string && !in_word && !matches!(c, ' ' | '\t') {
            // The word after `<<<` is the text (with a newline added).
            here_string = false;
            toks.push(Tok::Text(Vec::new()));
        }
        match c {
            ' ' | '\t' => {
                end_word!();
                i += 1;
            }
            '\n' if !heredocs.is_empty() => {
                end_word!();
                toks.push(Tok::Op("\n"));
                i += 1;
                // The bodies of the line's here-documents follow it.
                for (at, strip) in std::mem::take(&mut heredocs) {
                    let Some(Tok::Word(delim)) = toks.get(at) else {
                        return Err(SyntaxError::Syntax("syntax error: unexpected newline".into()));
                    };
                    let quoted = delim.iter().any(|p| matches!(p, Part::Lit(_, true)));
                    let delim: String = delim
                        .iter()
                        .map(|p| match p {
                            Part::Lit(t, _) => t.clone(),
                            Part::Var(n, _) => format!("${n}"),
                            _ => String::new(),
                        })
                        .collect();
                    let mut body = String::new();
                    loop {
                        if i >= chars.len() {
                            break;
                        }
                        let end = chars[i..]
                            .iter()
                            .position(|&x| x == '\n')
                            .map_or(chars.len(), |e| i + e);
                        let mut line: String = chars[i..end].iter().collect();
                        i = end + 1;
                        if strip {
                            line = line.trim_start_matches('\t').to_owned();
                        }
                        if line == delim {
                            break;
                        }
                        body.push_str(&line);
                        body.push('\n');
                    }
                    toks[at] = Tok::Text(if quoted {
                        vec![Part::Lit(body, true)]
                    } else {
                        expand_text(&body)?
                    });
                }
            }
            '\n' | ';' => {
                end_word!();
                if c == ';' && chars.get(i + 1) == Some(&';') {
                    return Err(unsupported("';;'"));
                }
                toks.push(Tok::Op(if c == ';' { ";" } else { "\n" }));
                i += 1;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '&' | '|' => {
                end_word!();
                if chars.get(i + 1) == Some(&c) {
                    toks.push(Tok::Op(if c == '&' { "&&" } else { "||" }));
                    i += 2;
                } else if c == '|' {
                    toks.push(Tok::Op("|"));
                    i += 1;
                } else {
                    return Err(unsupported("'&'"));
                }
            }
            '<' | '>' => {
                // A word of digits right before the operator is its fd.
                let fd = match (&word[..], in_word) {
                    ([Part::Lit(n, false)], true) if n.chars().all(|c| c.is_ascii_digit()) => {
                        let fd = n.parse::<u32>().map_err(|_| unsupported("redirection fd"))?;
                        word.clear();
                        in_word = false;
                        Some(fd)
                    }
                    _ => None,
                };
                end_word!();
                let next = |k: usize| chars.get(i + k).copied();
                if c == '>' {
                    let (op, len) = match next(1) {
                        Some('>') => (RedirOp::Append, 2),
                        Some('&') => (RedirOp::Dup, 2),
                        Some('|') => (RedirOp::Out, 2),
                        _ => (RedirOp::Out, 1),
                    };
                    toks.push(Tok::Redir(fd.unwrap_or(1), op));
                    i += len;
                } else if next(1) == Some('<') && next(2) == Some('<') {
                    toks.push(Tok::Redir(fd.unwrap_or(0), RedirOp::Text));
                    i += 3;
                    here_string = true;
                } else if next(1) == Some('<') {
                    let strip = next(2) == Some('-');
                    toks.push(Tok::Redir(fd.unwrap_or(0), RedirOp::Text));
                    i += if strip { 3 } else { 2 };
                    heredocs.push((toks.len(), strip));
                } else if next(1) == Some('&') || next(1) == Some('>') {
                    return Err(unsupported("redirection '<&'/'<>'"));
                } else {
                    toks.push(Tok::Redir(fd.unwrap_or(0), RedirOp::In));
                    i += 1;
                }
            }
            '(' if !in_word && chars.get(i + 1) == Some(&'(') => {
                // bash's arithmetic command `(( expr ))` (ash and dash read
                // nested subshells; the interpreter tells them apart).
                let end = arith_end(&chars, i + 2)?;
                let text: String = chars[i + 2..end].iter().collect();
                toks.push(Tok::Arith(expand_text(&text)?));
                i = end + 2;
            }
            '(' | ')' => {
                end_word!();
                toks.push(Tok::Op(if c == '(' { "(" } else { ")" }));
                i += 1;
            }
            '`' => {
                in_word = true;
                i = backquote(&chars, i, false, &mut word)?;
            }
            '\'' => {
                in_word = true;
                let Some(end) = chars[i + 1..].iter().position(|&x| x == '\'') else {
                    return Err(SyntaxError::Syntax(
                        "syntax error: unterminated quoted string".into(),
                    ));
                };
                let text: String = chars[i + 1..i + 1 + end].iter().collect();
                word.push(Part::Lit(text, true));
                i += end + 2;
            }
            '"' => {
                in_word = true;
                i += 1;
                // An empty "" still makes a (quoted, empty) word.
                word.push(Part::Lit(String::new(), true));
                loop {
                    let Some(&d) = chars.get(i) else {
                        return Err(SyntaxError::Syntax(
                            "syntax error: unterminated quoted string".into(),
                        ));
                    };
                    match d {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            push_lit(&mut word, chars[i + 1], true);
                            i += 2;
                        }
                        '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
                        '`' => i = backquote(&chars, i, true, &mut word)?,
                        '$' => i = dollar(&chars, i, true, &mut word)?,
                        _ => {
                            push_lit(&mut word, d, true);
                            i += 1;
                        }
                    }
                }
            }
            '\\' => {
                match chars.get(i + 1) {
                    Some('\n') => {}
                    Some(&n) => {
                        in_word = true;
                        push_lit(&mut word, n, true);
                    }
                    None => {}
                }
                i += 2;
            }
            '$' => {
                in_word = true;
                i = dollar(&chars, i, false, &mut word)?;
            }
            _ => {
                in_word = true;
                push_lit(&mut word, c, false);
                i += 1;
            }
        }
    }
    if in_word {
        toks.push(Tok::Word(word));
    }
    if !heredocs.is_empty() {
        // A here-document with no body before the end of the script: ash
        // reads an empty one.
        for (at, _) in heredocs {
            if at < toks.len() {
                toks[at] = Tok::Text(vec![Part::Lit(String::new(), true)]);
            }
        }
    }
    // `<<<` leaves an empty Text marker before its word: merge them.
    let mut merged = Vec::with_capacity(toks.len());
    let mut iter = toks.into_iter().peekable();
    while let Some(t) = iter.next() {
        match t {
            Tok::Text(w) if w.is_empty() => {
                if let Some(Tok::Word(next)) = iter.peek().cloned() {
                    iter.next();
                    let mut text = next;
                    text.push(Part::Lit("\n".into(), true));
                    merged.push(Tok::Text(text));
                }
            }
            other => merged.push(other),
        }
    }
    Ok(merged)
}

/// A here-document body with `$NAME`/`${NAME}` expanded (no field
/// splitting: every part is quoted).
fn expand_text(body: &str) -> Result<Word, SyntaxError> {
    let chars: Vec<char> = body.chars().collect();
    let mut word: Word = vec![Part::Lit(String::new(), true)];
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '$' => i = dollar(&chars, i, true, &mut word)?,
            '`' => i = backquote(&chars, i, true, &mut word)?,
            '\\' if matches!(chars.get(i + 1), Some('$' | '\\' | '`')) => {
                word.push(Part::Lit(chars[i + 1].to_string(), true));
                i += 2;
            }
            c => {
                match word.last_mut() {
                    Some(Part::Lit(s, true)) => s.push(c),
                    _ => word.push(Part::Lit(c.to_string(), true)),
                }
                i += 1;
            }
        }
    }
    Ok(word)
}

/// Reads an expansion at `chars[i] == '$'`; returns the index after it.
fn dollar(chars: &[char], i: usize, quoted: bool, word: &mut Word) -> Result<usize, SyntaxError> {
    match chars.get(i + 1) {
        Some('(') if chars.get(i + 2) == Some(&'(') => {
            let end = arith_end(chars, i + 3)?;
            let text: String = chars[i + 3..end].iter().collect();
            word.push(Part::Arith(expand_text(&text)?, quoted));
            Ok(end + 2)
        }
        Some('(') => {
            let end = paren_end(chars, i + 2)?;
            let text: String = chars[i + 2..end].iter().collect();
            word.push(Part::Sub(Box::new(parse(&text)?), quoted));
            Ok(end + 1)
        }
        Some('{') => {
            let end = brace_end(chars, i + 2)?;
            let inner: String = chars[i + 2..end].iter().collect();
            word.push(param(&inner, quoted)?);
            Ok(end + 1)
        }
        Some(c @ ('?' | '#' | '@' | '*' | '0'..='9')) => {
            word.push(Part::Var(c.to_string(), quoted));
            Ok(i + 2)
        }
        Some(c @ ('$' | '!' | '-')) => Err(unsupported(&format!("'${c}'"))),
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            word.push(Part::Var(chars[i + 1..j].iter().collect(), quoted));
            Ok(j)
        }
        _ => {
            word.push(Part::Lit("$".into(), quoted));
            Ok(i + 1)
        }
    }
}

/// A backquoted command substitution at `chars[i] == '`'`: inside it a
/// backslash quotes only `$`, `` ` `` and `\\` (POSIX 2.6.3).
fn backquote(
    chars: &[char],
    i: usize,
    quoted: bool,
    word: &mut Word,
) -> Result<usize, SyntaxError> {
    let mut text = String::new();
    let mut j = i + 1;
    loop {
        match chars.get(j) {
            None => {
                return Err(SyntaxError::Syntax("syntax error: unterminated quoted string".into()));
            }
            Some('`') => break,
            Some('\\') if matches!(chars.get(j + 1), Some('$' | '`' | '\\')) => {
                text.push(chars[j + 1]);
                j += 2;
            }
            Some(&c) => {
                text.push(c);
                j += 1;
            }
        }
    }
    word.push(Part::Sub(Box::new(parse(&text)?), quoted));
    Ok(j + 1)
}

/// The index of the `)` closing a `$(` whose text starts at `from`,
/// skipping quoted text and nested parentheses.
fn paren_end(chars: &[char], from: usize) -> Result<usize, SyntaxError> {
    let mut depth = 0usize;
    let mut j = from;
    while let Some(&c) = chars.get(j) {
        match c {
            '\\' => j += 1,
            '\'' => {
                j += chars[j + 1..].iter().position(|&x| x == '\'').map_or(chars.len(), |e| e + 1);
            }
            '"' => {
                j += 1;
                while j < chars.len() && chars[j] != '"' {
                    if chars[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                }
            }
            '(' => depth += 1,
            ')' if depth == 0 => return Ok(j),
            ')' => depth -= 1,
            _ => {}
        }
        j += 1;
    }
    Err(SyntaxError::Syntax("syntax error: unterminated quoted string".into()))
}

/// The index of the `))` closing an arithmetic expression starting at
/// `from`.
fn arith_end(chars: &[char], from: usize) -> Result<usize, SyntaxError> {
    let mut depth = 0usize;
    let mut j = from;
    while let Some(&c) = chars.get(j) {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 && chars.get(j + 1) == Some(&')') => return Ok(j),
            ')' if depth == 0 => return Err(unsupported("'$((' closed by a single ')'")),
            ')' => depth -= 1,
            _ => {}
        }
        j += 1;
    }
    Err(SyntaxError::Syntax("syntax error: unterminated quoted string".into()))
}

/// The index of the `}` closing a `${` whose text starts at `from`
/// (nested `${...}`, quotes and `$(...)` inside skipped).
fn brace_end(chars: &[char], from: usize) -> Result<usize, SyntaxError> {
    let mut depth = 0usize;
    let mut j = from;
    while let Some(&c) = chars.get(j) {
        match c {
            '\\' => j += 1,
            '\'' => {
                j += chars[j + 1..].iter().position(|&x| x == '\'').map_or(chars.len(), |e| e + 1);
            }
            '$' if chars.get(j + 1) == Some(&'(') => j = paren_end(chars, j + 2)?,
            '{' => depth += 1,
            '}' if depth == 0 => return Ok(j),
            '}' => depth -= 1,
            _ => {}
        }
        j += 1;
    }
    Err(SyntaxError::Syntax("syntax error: missing '}'".into()))
}

/// The inside of `${...}`.
fn param(inner: &str, quoted: bool) -> Result<Part, SyntaxError> {
    let special = |c: char| matches!(c, '?' | '#' | '@' | '*') || c.is_ascii_digit();
    if let Some(name) = inner.strip_prefix('#')
        && (is_name(name) || (name.len() == 1 && name.chars().all(special)))
    {
        let p = Param { name: name.to_owned(), op: ParamOp::Length, arg: Vec::new(), arg2: None };
        return Ok(Part::Param(Box::new(p), quoted));
    }
    let name_len = match inner.chars().next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {
            inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len())
        }
        Some(c) if special(c) => 1,
        _ => return Err(unsupported(&format!("'${{{inner}}}'"))),
    };
    let (name, rest) = inner.split_at(name_len);
    if rest.is_empty() {
        return Ok(Part::Var(name.to_owned(), quoted));
    }
    let ops: &[(&str, ParamOp)] = &[
        (":-", ParamOp::Default(true)),
        (":=", ParamOp::Assign(true)),
        (":+", ParamOp::Alternative(true)),
        (":?", ParamOp::Error(true)),
        (":", ParamOp::Substring),
        ("-", ParamOp::Default(false)),
        ("=", ParamOp::Assign(false)),
        ("+", ParamOp::Alternative(false)),
        ("?", ParamOp::Error(false)),
        ("%%", ParamOp::TrimSuffix(true)),
        ("%", ParamOp::TrimSuffix(false)),
        ("##", ParamOp::TrimPrefix(true)),
        ("#", ParamOp::TrimPrefix(false)),
        ("//", ParamOp::Replace(true)),
        ("/", ParamOp::Replace(false)),
        ("^^", ParamOp::Upper(true)),
        ("^", ParamOp::Upper(false)),
        (",,", ParamOp::Lower(true)),
        (",", ParamOp::Lower(false)),
    ];
    let Some((text, op)) = ops.iter().find_map(|(t, op)| rest.strip_prefix(t).map(|r| (r, *op)))
    else {
        return Err(unsupported(&format!("'${{{inner}}}'")));
    };
    let (arg, arg2) = match op {
        ParamOp::Substring => match text.split_once(':') {
            Some((off, len)) => (expand_text(off)?, Some(expand_text(len)?)),
            None => (expand_text(text)?, None),
        },
        ParamOp::Replace(_) => match text.split_once('/') {
            Some((pat, rep)) => (word_text(pat)?, Some(word_text(rep)?)),
            None => (word_text(text)?, Some(Vec::new())),
        },
        ParamOp::Upper(_) | ParamOp::Lower(_) if !text.is_empty() => {
            return Err(unsupported(&format!("'${{{inner}}}' (a case pattern)")));
        }
        _ => (word_text(text)?, None),
    };
    let p = Param { name: name.to_owned(), op, arg, arg2 };
    Ok(Part::Param(Box::new(p), quoted))
}

/// The word of a `${NAME<op>word}`: quotes, backslashes and expansions
/// as in a word (the parts' `quoted` says which pattern characters are
/// literal).
fn word_text(text: &str) -> Result<Word, SyntaxError> {
    let chars: Vec<char> = text.chars().collect();
    let mut word: Word = Vec::new();
    let mut i = 0;
    let push = |word: &mut Word, c: char, quoted: bool| match word.last_mut() {
        Some(Part::Lit(s, q)) if *q == quoted => s.push(c),
        _ => word.push(Part::Lit(c.to_string(), quoted)),
    };
    while i < chars.len() {
        match chars[i] {
            '\'' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&x| x == '\'')
                    .map_or(chars.len(), |e| i + 1 + e);
                word.push(Part::Lit(chars[i + 1..end.min(chars.len())].iter().collect(), true));
                i = end + 1;
            }
            '"' => {
                i += 1;
                word.push(Part::Lit(String::new(), true));
                while i < chars.len() && chars[i] != '"' {
                    match chars[i] {
                        '$' => i = dollar(&chars, i, true, &mut word)?,
                        '\\' if i + 1 < chars.len() => {
                            push(&mut word, chars[i + 1], true);
                            i += 2;
                        }
                        c => {
                            push(&mut word, c, true);
                            i += 1;
                        }
                    }
                }
                i += 1;
            }
            '\\' if i + 1 < chars.len() => {
                push(&mut word, chars[i + 1], true);
                i += 2;
            }
            '$' => i = dollar(&chars, i, false, &mut word)?,
            '`' => i = backquote(&chars, i, false, &mut word)?,
            c => {
                push(&mut word, c, false);
                i += 1;
            }
        }
    }
    Ok(word)
}

/// A shell variable name.
pub fn is_name(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

const KEYWORDS: &[&str] =
    &["if", "then", "elif", "else", "fi", "while", "until", "do", "done", "for", "in", "{", "}"];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn keyword(&self) -> Option<String> {
        match self.peek()? {
            Tok::Word(w) => literal(w).filter(|k| KEYWORDS.contains(&k.as_str())),
            _ => None,
        }
    }

    fn skip_separators(&mut self) {
        while matches!(self.peek(), Some(Tok::Op(";" | "\n"))) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, kw: &str) -> Result<(), SyntaxError> {
        if self.keyword().as_deref() == Some(kw) {
            self.pos += 1;
            return Ok(());
        }
        match self.peek() {
            Some(t) => Err(unexpected(t)),
            None => Err(SyntaxError::Syntax(format!(
                "syntax error: unexpected end of file (expecting \"{kw}\")"
            ))),
        }
    }

    /// A list up to one of the `terminators` keywords (not consumed).
    fn list(&mut self, terminators: &[&str]) -> Result<Command, SyntaxError> {
        let mut items = Vec::new();
        loop {
            self.skip_separators();
            if self.peek().is_none() {
                break;
            }
            if let Some(k) = self.keyword()
                && terminators.contains(&k.as_str())
            {
                break;
            }
            if matches!(self.peek(), Some(Tok::Op(")"))) {
                break;
            }
            items.push(self.and_or()?);
            match self.peek() {
                Some(Tok::Op(";" | "\n" | ")")) | None => {}
                Some(Tok::Word(_)) if self.keyword().is_some() => {}
                Some(t) => return Err(unexpected(t)),
            }
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Command::Seq(items) })
    }

    fn and_or(&mut self) -> Result<Command, SyntaxError> {
        let mut left = self.pipeline()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op(op @ ("&&" | "||"))) => *op,
                _ => return Ok(left),
            };
            self.pos += 1;
            while matches!(self.peek(), Some(Tok::Op("\n"))) {
                self.pos += 1;
            }
            let right = self.pipeline()?;
            left = if op == "&&" {
                Command::And(Box::new(left), Box::new(right))
            } else {
                Command::Or(Box::new(left), Box::new(right))
            };
        }
    }

    /// `a | b | c` (POSIX "pipeline"; a newline may follow `|`).
    fn pipeline(&mut self) -> Result<Command, SyntaxError> {
        let mut stages = vec![self.command()?];
        while matches!(self.peek(), Some(Tok::Op("|"))) {
            self.pos += 1;
            while matches!(self.peek(), Some(Tok::Op("\n"))) {
                self.pos += 1;
            }
            stages.push(self.command()?);
        }
        Ok(if stages.len() == 1 { stages.remove(0) } else { Command::Pipeline(stages) })
    }

    /// A command; a compound one (`if`, `while`/`until`, `for`, `{ }`)
    /// takes the redirections that follow it (POSIX 2.9.4).
    fn command(&mut self) -> Result<Command, SyntaxError> {
        let compound =
            matches!(self.keyword().as_deref(), Some("if" | "while" | "until" | "for" | "{"));
        let cmd = self.bare_command()?;
        if !compound {
            return Ok(cmd);
        }
        let mut redirs = Vec::new();
        while let Some(Tok::Redir(fd, op)) = self.peek().cloned() {
            self.pos += 1;
            let target = match self.peek().cloned() {
                Some(Tok::Word(w) | Tok::Text(w)) => w,
                Some(t) => return Err(unexpected(&t)),
                None => {
                    return Err(SyntaxError::Syntax("syntax error: unexpected newline".into()));
                }
            };
            self.pos += 1;
            redirs.push(Redir { fd, op, target });
        }
        Ok(if redirs.is_empty() { cmd } else { Command::Redirected(Box::new(cmd), redirs) })
    }

    fn bare_command(&mut self) -> Result<Command, SyntaxError> {
        match self.keyword().as_deref() {
            Some("if") => {
                self.pos += 1;
                let mut arms = Vec::new();
                let mut otherwise = None;
                loop {
                    let cond = self.list(&["then"])?;
                    self.expect("then")?;
                    let body = self.list(&["elif", "else", "fi"])?;
                    arms.push((cond, body));
                    match self.keyword().as_deref() {
                        Some("elif") => self.pos += 1,
                        Some("else") => {
                            self.pos += 1;
                            otherwise = Some(Box::new(self.list(&["fi"])?));
                            self.expect("fi")?;
                            break;
                        }
                        _ => {
                            self.expect("fi")?;
                            break;
                        }
                    }
                }
                Ok(Command::If(arms, otherwise))
            }
            Some(k @ ("while" | "until")) => {
                let until = k == "until";
                self.pos += 1;
                let cond = self.list(&["do"])?;
                self.expect("do")?;
                let body = self.list(&["done"])?;
                self.expect("done")?;
                Ok(Command::Loop { cond: Box::new(cond), body: Box::new(body), until })
            }
            Some("for") => {
                self.pos += 1;
                let name = match self.peek() {
                    Some(Tok::Word(w)) => literal(w).filter(|n| is_name(n)),
                    _ => None,
                };
                let Some(name) = name else {
                    return Err(self.peek().map_or_else(
                        || SyntaxError::Syntax("syntax error: unexpected end of file".into()),
                        unexpected,
                    ));
                };
                self.pos += 1;
                let mut words = Vec::new();
                if self.keyword().as_deref() == Some("in") {
                    self.pos += 1;
                    while let Some(Tok::Word(w)) = self.peek() {
                        words.push(w.clone());
                        self.pos += 1;
                    }
                } else {
                    words.push(vec![Part::Var("@".into(), true)]);
                }
                self.skip_separators();
                self.expect("do")?;
                let body = self.list(&["done"])?;
                self.expect("done")?;
                Ok(Command::For(name, words, Box::new(body)))
            }
            Some("{") => {
                self.pos += 1;
                let body = self.list(&["}"])?;
                self.expect("}")?;
                Ok(body)
            }
            Some(k) => Err(SyntaxError::Syntax(format!("syntax error: unexpected \"{k}\""))),
            _ if matches!(self.peek(), Some(Tok::Op("("))) => {
                self.pos += 1;
                let body = self.list(&[])?;
                match self.peek() {
                    Some(Tok::Op(")")) => self.pos += 1,
                    Some(t) => return Err(unexpected(t)),
                    None => {
                        return Err(SyntaxError::Syntax(
                            "syntax error: unexpected end of file (expecting \")\")".into(),
                        ));
                    }
                }
                if matches!(self.peek(), Some(Tok::Redir(..))) {
                    return Err(unsupported("redirection of a subshell"));
                }
                Ok(Command::Subshell(Box::new(body)))
            }
            _ => match self.peek().cloned() {
                Some(Tok::Arith(w)) => {
                    self.pos += 1;
                    Ok(Command::Arith(w))
                }
                _ => self.simple(),
            },
        }
    }

    fn simple(&mut self) -> Result<Command, SyntaxError> {
        let mut assigns = Vec::new();
        let mut words = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(Tok::Word(w)) => {
                    if words.is_empty()
                        && let Some((name, value)) = assignment(&w)
                    {
                        assigns.push((name, value));
                    } else {
                        words.push(w.clone());
                    }
                    self.pos += 1;
                }
                Some(Tok::Redir(fd, op)) => {
                    self.pos += 1;
                    let target = match self.peek().cloned() {
                        Some(Tok::Word(w) | Tok::Text(w)) => w,
                        Some(t) => return Err(unexpected(&t)),
                        None => {
                            return Err(SyntaxError::Syntax(
                                "syntax error: unexpected newline".into(),
                            ));
                        }
                    };
                    self.pos += 1;
                    redirs.push(Redir { fd, op, target });
                }
                Some(Tok::Op("(")) if !words.is_empty() => {
                    return Err(unsupported("function definition"));
                }
                _ => break,
            }
        }
        if assigns.is_empty() && words.is_empty() && redirs.is_empty() {
            return Err(self.peek().map_or_else(
                || SyntaxError::Syntax("syntax error: unexpected end of file".into()),
                unexpected,
            ));
        }
        Ok(Command::Simple { assigns, words, redirs })
    }
}

/// `NAME=value` split, when the word is an assignment.
fn assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first, false)) = w.first() else { return None };
    let (name, rest) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut value: Word = Vec::new();
    if !rest.is_empty() {
        value.push(Part::Lit(rest.to_owned(), false));
    }
    value.extend(w[1..].iter().cloned());
    Some((name.to_owned(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seed_job_script() {
        let c = parse(r#"echo "start Job!"; sleep 30; echo "Job Done!""#).unwrap();
        let Command::Seq(items) = c else { panic!("{c:?}") };
        assert_eq!(items.len(), 3);
    }

    #[test]
    fn compound_commands_take_the_redirections_after_them() {
        let c = parse("while read l; do echo \"[$l]\"; done < /tmp/d.csv").unwrap();
        let Command::Redirected(body, redirs) = c else { panic!("{c:?}") };
        assert!(matches!(*body, Command::Loop { until: false, .. }));
        assert_eq!((redirs[0].fd, redirs[0].op), (0, RedirOp::In));
        let c = parse("{ echo a; echo b; } > /tmp/x; cat /tmp/x").unwrap();
        let Command::Seq(items) = c else { panic!("{c:?}") };
        assert!(matches!(&items[0], Command::Redirected(_, r) if r[0].op == RedirOp::Out));
        // A subshell's redirection is still outside the subset.
        assert!(matches!(parse("(echo a) > /tmp/x"), Err(SyntaxError::Unsupported(_))));
    }

    #[test]
    fn redirections_heredocs_and_here_strings() {
        let Command::Simple { words, redirs, .. } = parse("echo hi >> /tmp/x 2>&1").unwrap() else {
            panic!()
        };
        assert_eq!(words.len(), 2);
        assert_eq!(redirs[0].op, RedirOp::Append);
        assert_eq!((redirs[1].fd, redirs[1].op), (2, RedirOp::Dup));
        let c = parse("cat <<EOF > /tmp/a\nline $X\nEOF\necho done").unwrap();
        let Command::Seq(items) = c else { panic!("{c:?}") };
        let Command::Simple { redirs, .. } = &items[0] else { panic!() };
        assert_eq!(redirs[0].op, RedirOp::Text);
        assert_eq!(redirs[0].target[1], Part::Var("X".into(), true));
        assert_eq!(items.len(), 2);
        let Command::Simple { redirs, .. } = parse("rev <<< 'abc'").unwrap() else { panic!() };
        assert_eq!(redirs[0].target.last(), Some(&Part::Lit("\n".into(), true)));
    }

    #[test]
    fn loops_and_conditions() {
        assert!(parse("for i in 1 2 3; do echo $i; done").is_ok());
        assert!(parse("while true; do date; sleep 10; done").is_ok());
        assert!(parse("if false; then echo a; elif true; then echo b; else echo c; fi").is_ok());
        assert!(parse("a=1 && echo ${a} || exit 3").is_ok());
    }

    #[test]
    fn pipelines_bind_tighter_than_and_or() {
        let c = parse("env | grep APP | wc -l && echo ok").unwrap();
        let Command::And(left, _) = c else { panic!("{c:?}") };
        let Command::Pipeline(stages) = *left else { panic!("{left:?}") };
        assert_eq!(stages.len(), 3);
        // ash: `sh: syntax error: unexpected "|"`.
        assert_eq!(
            parse("| wc").unwrap_err(),
            SyntaxError::Syntax("syntax error: unexpected \"|\"".into())
        );
        assert!(parse("echo a |").is_err());
    }

    #[test]
    fn substitutions_arithmetic_and_subshells() {
        let Command::Simple { words, .. } = parse(r#"echo "$i: $(date)" `hostname`"#).unwrap()
        else {
            panic!()
        };
        assert!(
            matches!(&words[1][3], Part::Sub(c, true) if matches!(**c, Command::Simple { .. }))
        );
        assert!(matches!(&words[2][0], Part::Sub(_, false)));
        let Command::Simple { assigns, .. } = parse("i=$((i+1))").unwrap() else { panic!() };
        assert_eq!(assigns[0].1, vec![Part::Arith(vec![Part::Lit("i+1".into(), true)], false)]);
        // Nested parentheses and quotes inside a substitution.
        let Command::Simple { words, .. } = parse(r#"echo $(echo "a)" $((2*(1+1))))"#).unwrap()
        else {
            panic!()
        };
        assert!(matches!(&words[1][0], Part::Sub(..)));
        let c = parse("(cd /tmp; pwd); (( i++ ))").unwrap();
        let Command::Seq(items) = c else { panic!("{c:?}") };
        assert!(matches!(items[0], Command::Subshell(_)));
        assert!(matches!(items[1], Command::Arith(_)));
        let Command::Simple { words, .. } =
            parse(r#"echo ${A:-"x y"} ${#A} ${A%.*} ${A/a/b} ${A:1:2}"#).unwrap()
        else {
            panic!()
        };
        let op = |w: &Word| match &w[0] {
            Part::Param(p, _) => p.op,
            other => panic!("{other:?}"),
        };
        assert_eq!(op(&words[1]), ParamOp::Default(true));
        assert_eq!(op(&words[2]), ParamOp::Length);
        assert_eq!(op(&words[3]), ParamOp::TrimSuffix(false));
        assert_eq!(op(&words[4]), ParamOp::Replace(false));
        assert_eq!(op(&words[5]), ParamOp::Substring);
        assert_eq!(
            parse("(echo a").unwrap_err(),
            SyntaxError::Syntax("syntax error: unexpected end of file (expecting \")\")".into())
        );
    }

    #[test]
    fn unsupported_constructs_are_named_not_syntax_errors() {
        let unsupported = |script: &str| match parse(script) {
            Err(SyntaxError::Unsupported(what)) => what,
            other => panic!("{script}: {other:?}"),
        };
        assert!(unsupported("echo a & echo b").contains("'&'"));
        assert!(unsupported("f() { echo; }").contains("function definition"));
        assert!(unsupported("echo $$").contains("'$$'"));
        assert!(unsupported("echo ${x@Q}").contains("${x@Q}"));
        assert!(unsupported("cat <&3").contains("redirection"));
        assert!(
            matches!(parse("echo 'open"), Err(SyntaxError::Syntax(m)) if m.contains("unterminated"))
        );
        assert!(matches!(parse("do"), Err(SyntaxError::Syntax(_))));
    }
}
