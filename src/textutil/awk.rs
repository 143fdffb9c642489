//! `awk` for the one-liners tutorials write: rules `PATTERN { print … }`
//! with `BEGIN` and `END`, patterns `/RE/`, `EXPR ~ /RE/` and comparisons
//! (`NR==2`, `$3 > 100`, `$1 == "web"`), and `print` of comma-separated
//! expressions built from fields (`$1`, `$NF`, `$0`), `NR`, `NF`, string
//! and number literals, concatenation, `toupper`, `tolower` and `length`.
//! `-F SEP` (one character) splits fields. Anything else (variables,
//! `printf`, several statements) is unsupported, named.

use regex::Regex;

use super::{Outcome, Unsupported, ere_to_regex};

#[derive(Debug, Clone)]
enum Expr {
    Field(Box<Expr>),
    Nr,
    Nf,
    Str(String),
    Num(f64),
    Concat(Vec<Expr>),
    Call(Func, Box<Expr>),
}

#[derive(Debug, Clone, Copy)]
enum Func {
    Upper,
    Lower,
    Length,
}

#[derive(Debug, Clone)]
enum Pattern {
    Always,
    Begin,
    End,
    Regex(Regex),
    Matches(Expr, Regex),
    Compare(Expr, &'static str, Expr),
}

#[derive(Debug, Clone)]
struct Rule {
    pattern: Pattern,
    /// The expressions `print` prints; `None`: `print $0`.
    print: Option<Vec<Expr>>,
}

/// One input record.
struct Record<'a> {
    line: &'a str,
    fields: Vec<&'a str>,
    nr: usize,
}

/// Runs `awk ARGS` over `stdin`.
pub fn run(args: &[String], stdin: &str) -> Outcome {
    let mut separator: Option<String> = None;
    let mut program = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some(sep) = arg.strip_prefix("-F") {
            separator = if sep.is_empty() { iter.next().cloned() } else { Some(sep.to_owned()) };
        } else if arg.starts_with('-') && arg.len() > 1 {
            return Err(Unsupported(format!("awk option {arg}")));
        } else if program.is_none() {
            program = Some(arg.as_str());
        } else {
            return Err(Unsupported("awk reading a file".to_owned()));
        }
    }
    let program = program.unwrap_or_default();
    if separator.as_ref().is_some_and(|s| s.chars().count() != 1 || s == " ") {
        return Err(Unsupported(format!("awk -F '{}'", separator.unwrap_or_default())));
    }
    let rules = Parser::new(program)
        .rules()
        .ok_or_else(|| Unsupported(format!("awk program '{program}'")))?;
    let mut out = String::new();
    let empty = Record { line: "", fields: Vec::new(), nr: 0 };
    for rule in rules.iter().filter(|r| matches!(r.pattern, Pattern::Begin)) {
        print(rule, &empty, &mut out);
    }
    let mut nr = 0;
    let mut last_line = "";
    for line in stdin.lines() {
        nr += 1;
        last_line = line;
        let fields = match &separator {
            Some(sep) => line.split(sep.as_str()).collect(),
            None => line.split_whitespace().collect(),
        };
        let record = Record { line, fields, nr };
        for rule in &rules {
            if selects(&rule.pattern, &record) {
                print(rule, &record, &mut out);
            }
        }
    }
    // In END, `$0` and NR keep the last record's values (POSIX).
    let fields = last_line.split_whitespace().collect();
    let end = Record { line: last_line, fields, nr };
    for rule in rules.iter().filter(|r| matches!(r.pattern, Pattern::End)) {
        print(rule, &end, &mut out);
    }
    Ok((out, String::new(), 0))
}

fn selects(pattern: &Pattern, r: &Record<'_>) -> bool {
    match pattern {
        Pattern::Always => true,
        Pattern::Begin | Pattern::End => false,
        Pattern::Regex(re) => re.is_match(r.line),
        Pattern::Matches(e, re) => re.is_match(&eval(e, r).text()),
        Pattern::Compare(a, op, b) => compare(&eval(a, r), op, &eval(b, r)),
    }
}

fn print(rule: &Rule, r: &Record<'_>, out: &mut String) {
    let text = match &rule.print {
        None => r.line.to_owned(),
        Some(exprs) => exprs.iter().map(|e| eval(e, r).text()).collect::<Vec<_>>().join(" "),
    };
    out.push_str(&text);
    out.push('\n');
}

/// A value: awk's strings and numbers.
enum Value {
    Str(String),
    Num(f64),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            // awk's OFMT `%.6g` for integers prints them plainly.
            Value::Num(n) if n.fract() == 0.0 && n.abs() < 1e16 => format!("{}", *n as i64),
            Value::Num(n) => format!("{n}"),
        }
    }

    /// A string that looks like a number compares as one (a field's
    /// "strnum").
    fn number(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Str(s) => s.trim().parse().ok(),
        }
    }
}

fn eval(e: &Expr, r: &Record<'_>) -> Value {
    match e {
        Expr::Field(index) => {
            let i = eval(index, r).number().unwrap_or(0.0) as usize;
            let text = if i == 0 { r.line } else { r.fields.get(i - 1).copied().unwrap_or("") };
            Value::Str(text.to_owned())
        }
        Expr::Nr => Value::Num(r.nr as f64),
        Expr::Nf => Value::Num(r.fields.len() as f64),
        Expr::Str(s) => Value::Str(s.clone()),
        Expr::Num(n) => Value::Num(*n),
        Expr::Concat(parts) => Value::Str(parts.iter().map(|p| eval(p, r).text()).collect()),
        Expr::Call(f, arg) => {
            let text = eval(arg, r).text();
            match f {
                Func::Upper => Value::Str(text.to_uppercase()),
                Func::Lower => Value::Str(text.to_lowercase()),
                Func::Length => Value::Num(text.chars().count() as f64),
            }
        }
    }
}

fn compare(a: &Value, op: &str, b: &Value) -> bool {
    let ordering = match (a.number(), b.number()) {
        (Some(x), Some(y)) => x.partial_cmp(&y),
        _ => Some(a.text().cmp(&b.text())),
    };
    let Some(o) = ordering else { return false };
    match op {
        "==" => o.is_eq(),
        "!=" => o.is_ne(),
        "<" => o.is_lt(),
        "<=" => o.is_le(),
        ">" => o.is_gt(),
        _ => o.is_ge(),
    }
}

/// A recursive-descent parser over the program text.
struct Parser<'p> {
    text: &'p str,
    pos: usize,
}

impl<'p> Parser<'p> {
    fn new(text: &'p str) -> Parser<'p> {
        Parser { text, pos: 0 }
    }

    fn rest(&self) -> &'p str {
        &self.text[self.pos..]
    }

    fn skip_space(&mut self) {
        let trimmed = self.rest().trim_start_matches([' ', '\t', '\n', ';']);
        self.pos = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn rules(mut self) -> Option<Vec<Rule>> {
        let mut rules = Vec::new();
        loop {
            self.skip_space();
            if self.rest().is_empty() {
                return Some(rules);
            }
            let pattern = self.pattern()?;
            let print = if self.eat("{") {
                let print = self.action()?;
                self.eat("}").then_some(())?;
                print
            } else {
                None
            };
            rules.push(Rule { pattern, print });
        }
    }

    fn pattern(&mut self) -> Option<Pattern> {
        self.skip_space();
        if self.rest().starts_with('{') {
            return Some(Pattern::Always);
        }
        if self.eat("BEGIN") {
            return Some(Pattern::Begin);
        }
        if self.eat("END") {
            return Some(Pattern::End);
        }
        if self.rest().starts_with('/') {
            return Some(Pattern::Regex(self.regex()?));
        }
        let left = self.expr()?;
        if self.eat("~") {
            return Some(Pattern::Matches(left, self.regex()?));
        }
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                return Some(Pattern::Compare(left, op, self.expr()?));
            }
        }
        None
    }

    fn regex(&mut self) -> Option<Regex> {
        self.skip_space();
        let body = self.rest().strip_prefix('/')?;
        let end = body.find('/')?;
        let re = Regex::new(&ere_to_regex(&body[..end])).ok()?;
        self.pos += end + 2;
        Some(re)
    }

    /// `print` with its expressions, the only statement modelled.
    fn action(&mut self) -> Option<Option<Vec<Expr>>> {
        if !self.eat("print") {
            return None;
        }
        self.skip_space();
        if self.rest().starts_with('}') {
            return Some(None);
        }
        let mut exprs = vec![self.expr()?];
        while self.eat(",") {
            exprs.push(self.expr()?);
        }
        self.skip_space();
        Some(Some(exprs))
    }

    /// Juxtaposed terms: concatenation.
    fn expr(&mut self) -> Option<Expr> {
        let mut parts = vec![self.term()?];
        loop {
            self.skip_space();
            let next = self.rest().chars().next();
            if !matches!(next, Some('$' | '"' | '0'..='9' | 'a'..='z' | 'A'..='Z' | '(')) {
                break;
            }
            parts.push(self.term()?);
        }
        Some(if parts.len() == 1 { parts.remove(0) } else { Expr::Concat(parts) })
    }

    fn term(&mut self) -> Option<Expr> {
        self.skip_space();
        let rest = self.rest();
        if let Some(after) = rest.strip_prefix('$') {
            self.pos += 1;
            if after.starts_with('(') {
                self.pos += 1;
                let inner = self.expr()?;
                self.eat(")").then_some(())?;
                return Some(Expr::Field(Box::new(inner)));
            }
            return Some(Expr::Field(Box::new(self.term()?)));
        }
        if let Some(body) = rest.strip_prefix('"') {
            let end = body.find('"')?;
            let text = body[..end].replace("\\t", "\t").replace("\\n", "\n");
            self.pos += end + 2;
            return Some(Expr::Str(text));
        }
        let digits = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').count();
        if digits > 0 {
            self.pos += digits;
            return rest[..digits].parse().ok().map(Expr::Num);
        }
        let name: String =
            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        self.pos += name.len();
        match name.as_str() {
            "NR" => Some(Expr::Nr),
            "NF" => Some(Expr::Nf),
            "toupper" | "tolower" | "length" => {
                let func = match name.as_str() {
                    "toupper" => Func::Upper,
                    "tolower" => Func::Lower,
                    _ => Func::Length,
                };
                // `length` alone is the record's length.
                let arg = if self.eat("(") {
                    let arg = self.expr()?;
                    self.eat(")").then_some(())?;
                    arg
                } else if matches!(func, Func::Length) {
                    Expr::Field(Box::new(Expr::Num(0.0)))
                } else {
                    return None;
                };
                Some(Expr::Call(func, Box::new(arg)))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn awk(args: &[&str], stdin: &str) -> String {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        run(&args, stdin).unwrap().0
    }

    const PODS: &str = "NAME READY STATUS RESTARTS\nweb-1 1/1 Running 0\ndb-1 0/1 Pending 12\n";

    #[test]
    fn fields_builtins_and_functions() {
        assert_eq!(awk(&["{print $1}"], PODS), "NAME\nweb-1\ndb-1\n");
        assert_eq!(awk(&["{print $NF}"], "a b c\n"), "c\n");
        assert_eq!(awk(&["{print NR\": \"$1}"], "x\ny\n"), "1: x\n2: y\n");
        assert_eq!(awk(&["{print toupper($0)}"], "hello\n"), "HELLO\n");
        assert_eq!(awk(&["{print tolower($1), length($1)}"], "ABC d\n"), "abc 3\n");
        assert_eq!(awk(&["-F", ",", "{print $2}"], "a,b,c\n"), "b\n");
        assert_eq!(awk(&["{ print }"], "same\n"), "same\n");
    }

    #[test]
    fn patterns_select_records() {
        assert_eq!(awk(&["NR>1 {print $1}"], PODS), "web-1\ndb-1\n");
        assert_eq!(awk(&["/Running/ {print $1}"], PODS), "web-1\n");
        // The header's "RESTARTS" is no number: it compares as a string,
        // and "R" sorts after "5", as in any awk.
        assert_eq!(awk(&["$4 > 5 {print $1}"], PODS), "NAME\ndb-1\n");
        assert_eq!(awk(&["$3 == \"Pending\""], PODS), "db-1 0/1 Pending 12\n");
        assert_eq!(awk(&["$1 ~ /^web/ {print $2}"], PODS), "1/1\n");
        assert_eq!(awk(&["END {print NR}"], PODS), "3\n");
        assert_eq!(
            awk(&["BEGIN {print \"start\"} {print $1} END {print \"done\"}"], "a\n"),
            "start\na\ndone\n"
        );
    }

    #[test]
    fn what_is_not_modelled_is_named() {
        let what = |p: &str| run(&[p.to_owned()], "").unwrap_err().0;
        assert_eq!(what("{x=1}"), "awk program '{x=1}'");
        assert_eq!(what("{printf \"%s\", $1}"), "awk program '{printf \"%s\", $1}'");
        assert_eq!(what("{print $1; print $2}"), "awk program '{print $1; print $2}'");
    }
}
