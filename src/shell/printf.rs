//! bash's `printf` builtin: `%s %b %q %d %i %u %x %X %o %c %f %e %g %%`
//! with flags, width and precision; escapes `\n \t \\ \"` … in the
//! format; the format reused while arguments remain (bash `printf.def`).

/// What `printf FORMAT [ARG…]` prints: stdout, stderr, status; `Err`
/// names a form not modelled.
pub fn run(args: &[String]) -> Result<(String, String, i32), String> {
    let Some((format, mut rest)) = args.split_first() else {
        return Ok((
            String::new(),
            "printf: usage: printf [-v var] format [arguments]\n".into(),
            2,
        ));
    };
    if format == "-v" {
        return Err("printf -v".into());
    }
    let format = if format == "--" {
        match rest.split_first() {
            Some((f, r)) => {
                rest = r;
                f
            }
            None => return Ok((String::new(), String::new(), 0)),
        }
    } else {
        format
    };
    let mut out = String::new();
    let mut err = String::new();
    let mut status = 0;
    loop {
        let before = rest.len();
        let stop = render(format, &mut rest, &mut out, &mut err, &mut status)?;
        // bash reuses the format while arguments remain and it consumed some.
        if stop || rest.is_empty() || rest.len() == before {
            break;
        }
    }
    Ok((out, err, status))
}

/// One pass of the format; `true` when `\c` stopped output.
fn render(
    format: &str,
    args: &mut &[String],
    out: &mut String,
    err: &mut String,
    status: &mut i32,
) -> Result<bool, String> {
    let mut next = || -> Option<String> {
        let (first, rest) = args.split_first()?;
        *args = rest;
        Some(first.clone())
    };
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c == '\\' {
            if escape(&chars, &mut i, out) {
                return Ok(true);
            }
            continue;
        }
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let start = i;
        while matches!(chars.get(i), Some('-' | '+' | ' ' | '#' | '0')) {
            i += 1;
        }
        let flags: String = chars[start..i].iter().collect();
        let width_start = i;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        let width: String = chars[width_start..i].iter().collect();
        let mut precision = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let p = i;
            while chars.get(i).is_some_and(char::is_ascii_digit) {
                i += 1;
            }
            precision = Some(chars[p..i].iter().collect::<String>().parse().unwrap_or(0usize));
        }
        if chars.get(i) == Some(&'*') {
            return Err("printf width `*`".into());
        }
        let Some(&conv) = chars.get(i) else {
            return Ok(false);
        };
        i += 1;
        let arg = next();
        let body = match conv {
            's' => {
                let s = arg.unwrap_or_default();
                match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            'b' => {
                let s = arg.unwrap_or_default();
                let cs: Vec<char> = s.chars().collect();
                let mut text = String::new();
                let mut j = 0;
                while j < cs.len() {
                    j += 1;
                    if cs[j - 1] == '\\' {
                        if escape(&cs, &mut j, &mut text) {
                            break;
                        }
                    } else {
                        text.push(cs[j - 1]);
                    }
                }
                text
            }
            'q' => {
                let s = arg.unwrap_or_default();
                if !s.is_empty()
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c))
                {
                    s
                } else if s.is_empty() {
                    "''".into()
                } else {
                    return Err("printf %q of text that needs quoting".into());
                }
            }
            'c' => arg.unwrap_or_default().chars().next().map(String::from).unwrap_or_default(),
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let text = arg.unwrap_or_default();
                let n = match integer(&text) {
                    Some(n) => n,
                    None => {
                        err.push_str(&format!("bash: printf: {text}: invalid number\n"));
                        *status = 1;
                        0
                    }
                };
                let digits = match conv {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ if flags.contains('+') && n >= 0 => format!("+{n}"),
                    _ => n.to_string(),
                };
                match precision {
                    Some(p) if digits.trim_start_matches('-').len() < p => {
                        let (sign, d) = if let Some(d) = digits.strip_prefix('-') {
                            ("-", d)
                        } else {
                            ("", digits.as_str())
                        };
                        format!("{sign}{d:0>p$}")
                    }
                    _ => digits,
                }
            }
            'f' | 'e' | 'g' => {
                let text = arg.unwrap_or_default();
                let x: f64 = if text.is_empty() {
                    0.0
                } else {
                    match text.parse() {
                        Ok(x) => x,
                        Err(_) => {
                            err.push_str(&format!("bash: printf: {text}: invalid number\n"));
                            *status = 1;
                            0.0
                        }
                    }
                };
                match conv {
                    'f' => format!("{x:.*}", precision.unwrap_or(6)),
                    _ => return Err(format!("printf %{conv}")),
                }
            }
            other => return Err(format!("printf %{other}")),
        };
        let width: usize = width.parse().unwrap_or(0);
        let len = body.chars().count();
        if len >= width {
            out.push_str(&body);
        } else if flags.contains('-') {
            out.push_str(&body);
            out.push_str(&" ".repeat(width - len));
        } else if flags.contains('0') && !matches!(conv, 's' | 'b' | 'q' | 'c') {
            let (sign, digits) = match body.strip_prefix('-') {
                Some(d) => ("-", d.to_owned()),
                None => ("", body.clone()),
            };
            out.push_str(sign);
            out.push_str(&"0".repeat(width - len));
            out.push_str(&digits);
        } else {
            out.push_str(&" ".repeat(width - len));
            out.push_str(&body);
        }
    }
    Ok(false)
}

/// An integer argument as bash reads it: decimal, `0x` hex, `0` octal,
/// or `'c` for a character's code.
fn integer(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return Some(0);
    }
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return c.chars().next().map(|c| c as i64);
    }
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let n = if let Some(h) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(if neg { -n } else { n })
}

/// Renders the escape after a `\` at `chars[*i]`; `true` for `\c`.
fn escape(chars: &[char], i: &mut usize, out: &mut String) -> bool {
    let Some(&c) = chars.get(*i) else {
        out.push('\\');
        return false;
    };
    *i += 1;
    match c {
        'n' => out.push('\n'),
        't' => out.push('\t'),
        'r' => out.push('\r'),
        'a' => out.push('\x07'),
        'b' => out.push('\x08'),
        'f' => out.push('\x0c'),
        'v' => out.push('\x0b'),
        'e' | 'E' => out.push('\x1b'),
        '\\' => out.push('\\'),
        '"' => out.push('"'),
        '\'' => out.push('\''),
        'c' => return true,
        '0'..='7' => {
            let mut value = c.to_digit(8).unwrap_or(0);
            for _ in 0..2 {
                match chars.get(*i).and_then(|d| d.to_digit(8)) {
                    Some(d) => {
                        value = value * 8 + d;
                        *i += 1;
                    }
                    None => break,
                }
            }
            out.push(char::from_u32(value).unwrap_or('?'));
        }
        other => {
            out.push('\\');
            out.push(other);
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printf(args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (out, err, _) = run(&args).unwrap();
        format!("{err}{out}")
    }

    #[test]
    fn bash_printf() {
        // Outputs from bash 5.2's printf builtin.
        assert_eq!(printf(&["%s\\n", "a", "b"]), "a\nb\n");
        assert_eq!(printf(&["%s=%d\\n", "x", "3", "y"]), "x=3\ny=0\n");
        assert_eq!(printf(&["%-5s|%5s|\\n", "ab", "cd"]), "ab   |   cd|\n");
        assert_eq!(printf(&["%05d %x %X %o\\n", "42", "255", "255", "8"]), "00042 ff FF 10\n");
        assert_eq!(printf(&["%.2f %f\\n", "3.14159", "1"]), "3.14 1.000000\n");
        assert_eq!(printf(&["%%\\t%c\\n", "xyz"]), "%\tx\n");
        assert_eq!(printf(&["%b", "a\\nb\\n"]), "a\nb\n");
        assert_eq!(printf(&["no newline"]), "no newline");
        assert_eq!(printf(&["%d\\n", "abc"]), "bash: printf: abc: invalid number\n0\n");
        assert_eq!(printf(&["%.3s\\n", "abcdef"]), "abc\n");
    }

    #[test]
    fn unmodelled_forms_are_named() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(run(&args(&["%e", "1"])), Err("printf %e".into()));
        assert_eq!(run(&args(&["-v", "x", "1"])), Err("printf -v".into()));
    }
}
