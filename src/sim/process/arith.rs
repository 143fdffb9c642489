//! Shell arithmetic (`$((...))`, `let`, bash's `((...))`): signed 64-bit
//! integers with C's operators and precedence (POSIX 2.6.4), per dialect:
//! dash has only POSIX's operators (no `++`/`--`, no `**`); busybox ash
//! (`shell/math.c`) and bash add them. Variables are read by name, unset or
//! empty ones are 0; assignments write back through [`Vars`].

use super::Dialect;

/// The variables an expression reads and assigns.
pub trait Vars {
    /// The value of `name` (empty when unset).
    fn get(&mut self, name: &str) -> String;
    /// Assigns `name`.
    fn set(&mut self, name: &str, value: String);
}

/// Why an expression has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Division (or remainder) by zero: each shell's own message.
    DivisionByZero,
    /// Something the evaluator does not model (a syntax error, whose
    /// message differs in each shell; an operator the dialect lacks;
    /// a variable holding no integer), named.
    Unsupported(String),
}

/// Evaluates `expr` (already expanded) in `dialect`.
pub fn eval(expr: &str, dialect: Dialect, vars: &mut dyn Vars) -> Result<i64, Error> {
    let toks = lex(expr, dialect)?;
    if toks.is_empty() {
        // `$(())` is 0 in all three shells.
        return Ok(0);
    }
    let mut p = Eval { toks, pos: 0, vars, expr };
    let v = p.comma(true)?;
    if p.pos != p.toks.len() {
        return Err(p.syntax());
    }
    Ok(v)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

/// Operators, longest first.
const OPS: &[&str] = &[
    "<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=",
    "*=", "/=", "%=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "=", "&", "^", "|", "!",
    "~", "?", ":", "(", ")", ",",
];

fn lex(expr: &str, dialect: Dialect) -> Result<Vec<Tok>, Error> {
    let chars: Vec<char> = expr.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            toks.push(Tok::Num(number(&text).ok_or_else(|| {
                Error::Unsupported(format!("arithmetic on the number '{text}'"))
            })?));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            toks.push(Tok::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) else {
                return Err(Error::Unsupported(format!("arithmetic expression '{expr}'")));
            };
            // dash's arithmetic (`src/arith_yylex.c`) has no `++`, `--`
            // or `**`.
            if dialect == Dialect::Dash && matches!(*op, "++" | "--" | "**") {
                return Err(Error::Unsupported(format!(
                    "arithmetic operator {op} in dash ('{expr}')"
                )));
            }
            toks.push(Tok::Op(op));
            i += op.len();
        }
    }
    Ok(toks)
}

/// A C integer constant: decimal, `0x` hex, `0` octal.
fn number(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()
    } else if text.len() > 1 && text.starts_with('0') {
        i64::from_str_radix(&text[1..], 8).ok()
    } else {
        text.parse().ok()
    }
}

struct Eval<'a> {
    toks: Vec<Tok>,
    pos: usize,
    vars: &'a mut dyn Vars,
    expr: &'a str,
}

/// Binary operators by precedence level, loosest first.
const LEVELS: &[&[&str]] = &[
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", ">", "<=", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Eval<'_> {
    fn syntax(&self) -> Error {
        Error::Unsupported(format!("arithmetic syntax error in '{}'", self.expr))
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(Tok::Op(op)) => Some(op),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn read(&mut self, name: &str) -> Result<i64, Error> {
        let value = self.vars.get(name);
        let value = value.trim();
        if value.is_empty() {
            return Ok(0);
        }
        let (neg, digits) = match value.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, value.strip_prefix('+').unwrap_or(value)),
        };
        number(digits).map(|n| if neg { -n } else { n }).ok_or_else(|| {
            Error::Unsupported(format!("arithmetic on {name}={value} (not an integer)"))
        })
    }

    /// `a, b` (the last value).
    fn comma(&mut self, live: bool) -> Result<i64, Error> {
        let mut v = self.assign(live)?;
        while self.eat(",") {
            v = self.assign(live)?;
        }
        Ok(v)
    }

    /// `NAME = expr`, `NAME op= expr` (right to left), else a ternary.
    fn assign(&mut self, live: bool) -> Result<i64, Error> {
        if let (Some(Tok::Name(name)), Some(Tok::Op(op))) =
            (self.toks.get(self.pos).cloned(), self.toks.get(self.pos + 1).cloned())
            && matches!(
                op,
                "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "^=" | "|="
            )
        {
            self.pos += 2;
            let rhs = self.assign(live)?;
            if !live {
                return Ok(0);
            }
            let v = if op == "=" {
                rhs
            } else {
                let old = self.read(&name)?;
                binary(&op[..op.len() - 1], old, rhs)?
            };
            self.vars.set(&name, v.to_string());
            return Ok(v);
        }
        self.ternary(live)
    }

    fn ternary(&mut self, live: bool) -> Result<i64, Error> {
        let cond = self.binary(0, live)?;
        if !self.eat("?") {
            return Ok(cond);
        }
        let a = self.comma(live && cond != 0)?;
        if !self.eat(":") {
            return Err(self.syntax());
        }
        let b = self.assign(live && cond == 0)?;
        Ok(if cond != 0 { a } else { b })
    }

    fn binary(&mut self, level: usize, live: bool) -> Result<i64, Error> {
        if level == LEVELS.len() {
            return self.power(live);
        }
        let mut left = self.binary(level + 1, live)?;
        while let Some(op) = self.peek_op().filter(|op| LEVELS[level].contains(op)) {
            self.pos += 1;
            // `&&` and `||` do not evaluate (nor assign in) their right
            // side when the left decides.
            let right_live = match op {
                "&&" => live && left != 0,
                "||" => live && left == 0,
                _ => live,
            };
            let right = self.binary(level + 1, right_live)?;
            left = match op {
                "&&" => i64::from(left != 0 && right != 0),
                "||" => i64::from(left != 0 || right != 0),
                _ if !live => 0,
                _ => binary(op, left, right)?,
            };
        }
        Ok(left)
    }

    /// `a ** b` (right to left; bash and busybox ash).
    fn power(&mut self, live: bool) -> Result<i64, Error> {
        let base = self.unary(live)?;
        if !self.eat("**") {
            return Ok(base);
        }
        let exp = self.power(live)?;
        if !live {
            return Ok(0);
        }
        u32::try_from(exp)
            .map(|e| base.wrapping_pow(e))
            .map_err(|_| Error::Unsupported(format!("negative exponent in '{}'", self.expr)))
    }

    fn unary(&mut self, live: bool) -> Result<i64, Error> {
        match self.peek_op() {
            Some(op @ ("-" | "+" | "!" | "~")) => {
                self.pos += 1;
                let v = self.unary(live)?;
                Ok(match op {
                    "-" => v.wrapping_neg(),
                    "+" => v,
                    "!" => i64::from(v == 0),
                    _ => !v,
                })
            }
            Some(op @ ("++" | "--")) => {
                self.pos += 1;
                let Some(Tok::Name(name)) = self.toks.get(self.pos).cloned() else {
                    return Err(self.syntax());
                };
                self.pos += 1;
                if !live {
                    return Ok(0);
                }
                let v = self.read(&name)? + if op == "++" { 1 } else { -1 };
                self.vars.set(&name, v.to_string());
                Ok(v)
            }
            _ => self.postfix(live),
        }
    }

    fn postfix(&mut self, live: bool) -> Result<i64, Error> {
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(Tok::Name(name)) => {
                self.pos += 1;
                let step = match self.peek_op() {
                    Some("++") => 1,
                    Some("--") => -1,
                    _ => 0,
                };
                if !live {
                    self.pos += usize::from(step != 0);
                    return Ok(0);
                }
                let v = self.read(&name)?;
                if step != 0 {
                    self.pos += 1;
                    self.vars.set(&name, (v + step).to_string());
                }
                Ok(v)
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let v = self.comma(live)?;
                if !self.eat(")") {
                    return Err(self.syntax());
                }
                Ok(v)
            }
            _ => Err(self.syntax()),
        }
    }
}

fn binary(op: &str, a: i64, b: i64) -> Result<i64, Error> {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err(Error::DivisionByZero),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "<" => i64::from(a < b),
        ">" => i64::from(a > b),
        "<=" => i64::from(a <= b),
        ">=" => i64::from(a >= b),
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "&" => a & b,
        "^" => a ^ b,
        "|" => a | b,
        _ => unreachable!("operator {op}"),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    impl Vars for BTreeMap<String, String> {
        fn get(&mut self, name: &str) -> String {
            BTreeMap::get(self, name).cloned().unwrap_or_default()
        }
        fn set(&mut self, name: &str, value: String) {
            self.insert(name.to_owned(), value);
        }
    }

    fn ev(expr: &str, vars: &mut BTreeMap<String, String>) -> Result<i64, Error> {
        eval(expr, Dialect::Ash, vars)
    }

    #[test]
    fn c_precedence_and_operators() {
        let mut v = BTreeMap::new();
        assert_eq!(ev("1 + 2 * 3", &mut v), Ok(7));
        assert_eq!(ev("(1 + 2) * 3", &mut v), Ok(9));
        assert_eq!(ev("7 % 3 == 1 && 2 < 1 || 4 >= 4", &mut v), Ok(1));
        assert_eq!(ev("-2 ** 2", &mut v), Ok(4));
        assert_eq!(ev("2 ** 3 ** 2", &mut v), Ok(512));
        assert_eq!(ev("1 << 4 | 1", &mut v), Ok(17));
        assert_eq!(ev("0x10 + 010", &mut v), Ok(24));
        assert_eq!(ev("5 > 3 ? 10 : 20", &mut v), Ok(10));
        assert_eq!(ev("!0 + ~0", &mut v), Ok(0));
        assert_eq!(ev("", &mut v), Ok(0));
        assert_eq!(ev("7 / 0", &mut v), Err(Error::DivisionByZero));
        assert!(matches!(ev("1 +", &mut v), Err(Error::Unsupported(_))));
    }

    #[test]
    fn variables_assignments_and_short_circuits() {
        let mut v = BTreeMap::from([("i".to_owned(), "4".to_owned())]);
        assert_eq!(ev("i + 1", &mut v), Ok(5));
        assert_eq!(ev("unset * 3", &mut v), Ok(0));
        assert_eq!(ev("i += 2", &mut v), Ok(6));
        assert_eq!(ev("i++", &mut v), Ok(6));
        assert_eq!(ev("++i", &mut v), Ok(8));
        assert_eq!(v["i"], "8");
        assert_eq!(ev("0 && (j = 5)", &mut v), Ok(0));
        assert_eq!(ev("1 || 1 / 0", &mut v), Ok(1));
        assert_eq!(ev("1 ? 2 : (j = 3)", &mut v), Ok(2));
        assert!(!v.contains_key("j"), "unevaluated sides do not assign");
        assert_eq!(ev("a = b = 2, a * b", &mut v), Ok(4));
        v.insert("s".into(), "abc".into());
        assert!(matches!(ev("s + 1", &mut v), Err(Error::Unsupported(w)) if w.contains("s=abc")));
    }

    #[test]
    fn dash_lacks_increments_and_powers() {
        let mut v = BTreeMap::new();
        assert!(matches!(eval("i++", Dialect::Dash, &mut v), Err(Error::Unsupported(_))));
        assert!(matches!(eval("2 ** 2", Dialect::Dash, &mut v), Err(Error::Unsupported(_))));
        assert_eq!(eval("i = i + 1", Dialect::Dash, &mut v), Ok(1));
        assert_eq!(eval("2 ** 2", Dialect::Bash, &mut v), Ok(4));
    }
}
