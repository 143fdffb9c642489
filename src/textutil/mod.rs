//! Text filters, pure functions over (argv, stdin) -> (stdout, stderr,
//! status): `grep`, `head`, `tail`, `wc`, `sort`, `uniq`, `awk '{print $N}'`,
//! `sed 's/re/rep/'`, `tr`. One implementation serves both the tutorial
//! (host) shell, where a tutorial pipes kubectl output into them
//! (`crate::shell`), and the simulator's container shell
//! (`crate::sim::process`), where `env | grep APP` runs inside a pod — so
//! they do no I/O and stay deterministic.

mod awk;
pub mod go_text;
pub mod grep;
mod sed;
pub mod tablewriter;

/// What a filter printed: stdout, stderr, exit status.
pub type Printed = (String, String, i32);

/// A form of a filter kubeplay cannot emulate, named (`grep option -P`,
/// `awk program '{x=1}'`): the caller reports it as unsupported rather than
/// printing anything as if the program had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// The result of a filter.
pub type Outcome = Result<Printed, Unsupported>;

/// Files a filter may read by name (`grep -r PATTERN .`, `cut -f1 FILE`).
pub trait Files {
    /// The text of file `path`, `None` when there is none.
    fn read(&self, path: &str) -> Option<String>;
    /// Every file under directory `dir` (or `dir` itself when it is a
    /// file), sorted, as the paths a recursive walk prints.
    fn walk(&self, dir: &str) -> Vec<String>;
}

/// Whether `name` is a text builtin handled here.
pub fn is_text_tool(name: &str) -> bool {
    matches!(
        name,
        "grep"
            | "egrep"
            | "fgrep"
            | "head"
            | "tail"
            | "wc"
            | "sort"
            | "awk"
            | "sed"
            | "uniq"
            | "tr"
            | "cut"
            | "base64"
    )
}

/// Runs a text builtin on `stdin`; `files` is where named files are read
/// from (`None`: naming a file is unsupported).
pub fn run(argv: &[String], stdin: &str, files: Option<&dyn Files>) -> Outcome {
    let name = argv[0].as_str();
    let args = &argv[1..];
    match name {
        "grep" => grep::run(args, stdin, files, grep::Syntax::Basic),
        "egrep" => grep::run(args, stdin, files, grep::Syntax::Extended),
        "fgrep" => grep::run(args, stdin, files, grep::Syntax::Fixed),
        "head" => head_tail(name, args, stdin, true),
        "tail" => head_tail(name, args, stdin, false),
        "wc" => wc(args, stdin),
        "sort" => sort(args, stdin),
        "uniq" => uniq(args, stdin),
        "awk" => awk::run(args, stdin),
        "sed" => sed::run(args, stdin),
        "tr" => tr(args, stdin),
        "cut" => cut(args, stdin),
        "base64" => base64(args, stdin),
        _ => Err(Unsupported(format!("shell command {name}"))),
    }
}

fn unsupported(what: impl Into<String>) -> Outcome {
    Err(Unsupported(what.into()))
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
}

fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    lines.map(|l| format!("{l}\n")).collect()
}

/// Converts a POSIX basic regular expression to the `regex` crate's syntax:
/// in BRE, `\|`, `\+`, `\?`, `\(`, `\)`, `\{`, `\}` are operators and their
/// bare forms are literals; `\<` and `\>` (GNU) are word boundaries.
pub fn bre_to_regex(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(op @ ('|' | '+' | '?' | '(' | ')' | '{' | '}')) => out.push(op),
                Some('<' | '>') => out.push_str("\\b"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push_str("\\\\"),
            },
            '|' | '+' | '?' | '(' | ')' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// GNU's `\<` and `\>` in an extended regular expression.
pub fn ere_to_regex(pattern: &str) -> String {
    pattern.replace("\\<", "\\b").replace("\\>", "\\b")
}

fn line_count_arg(name: &str, args: &[String]) -> Result<usize, Result<String, Unsupported>> {
    let mut n = 10;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = if arg == "-n" {
            iter.next().cloned().unwrap_or_default()
        } else if let Some(v) = arg.strip_prefix("-n") {
            v.to_owned()
        } else if let Some(v) = arg.strip_prefix('-') {
            v.to_owned()
        } else {
            return Err(Err(Unsupported(format!("{name} reading a file"))));
        };
        if value.starts_with('+') || value.starts_with('-') {
            return Err(Err(Unsupported(format!("{name} -n {value}"))));
        }
        n = value
            .parse()
            .map_err(|_| Ok(format!("{name}: invalid number of lines: '{value}'\n")))?;
    }
    Ok(n)
}

fn head_tail(name: &str, args: &[String], stdin: &str, head: bool) -> Outcome {
    let n = match line_count_arg(name, args) {
        Ok(n) => n,
        Err(Ok(e)) => return Ok((String::new(), e, 1)),
        Err(Err(u)) => return Err(u),
    };
    let all: Vec<&str> = lines(stdin).collect();
    let picked: Vec<&str> = if head {
        all.iter().take(n).copied().collect()
    } else {
        all.iter().skip(all.len().saturating_sub(n)).copied().collect()
    };
    Ok((join_lines(picked.into_iter()), String::new(), 0))
}

fn wc(args: &[String], stdin: &str) -> Outcome {
    match args.first().map(String::as_str) {
        Some("-l") => Ok((format!("{}\n", stdin.matches('\n').count()), String::new(), 0)),
        Some("-w") => Ok((format!("{}\n", stdin.split_whitespace().count()), String::new(), 0)),
        Some("-c") => Ok((format!("{}\n", stdin.len()), String::new(), 0)),
        Some(other) => unsupported(format!("wc {other}")),
        None => unsupported("wc without -l, -w or -c"),
    }
}

/// `sort [-n] [-r] [-u] [-t SEP] [-k N[,M]]` in the C locale's byte order
/// (a tutorial machine in another locale may order mixed case differently).
fn sort(args: &[String], stdin: &str) -> Outcome {
    let (mut numeric, mut reverse, mut unique) = (false, false, false);
    let mut separator: Option<char> = None;
    let mut key: Option<(usize, Option<usize>)> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |inline: &str| -> Option<String> {
            if inline.is_empty() { iter.next().cloned() } else { Some(inline.to_owned()) }
        };
        match arg.as_str() {
            a if a.starts_with("-k") => {
                let Some(spec) = value(&a[2..]) else {
                    return Ok((
                        String::new(),
                        "sort: option requires an argument -- 'k'\n".into(),
                        2,
                    ));
                };
                let field = |f: &str| f.parse::<usize>().ok().filter(|n| *n > 0);
                let parsed = match spec.split_once(',') {
                    Some((a, b)) => field(a).zip(field(b)).map(|(a, b)| (a, Some(b))),
                    None => field(&spec).map(|a| (a, None)),
                };
                match parsed {
                    Some(k) => key = Some(k),
                    None => return unsupported(format!("sort -k {spec}")),
                }
            }
            a if a.starts_with("-t") => {
                match value(&a[2..]).as_deref().map(|v| v.chars().collect::<Vec<_>>()) {
                    Some(v) if v.len() == 1 => separator = Some(v[0]),
                    _ => return Ok((String::new(), "sort: multi-character tab\n".into(), 2)),
                }
            }
            a if a.starts_with('-') && a.len() > 1 && !a.starts_with("--") => {
                for flag in a[1..].chars() {
                    match flag {
                        'n' => numeric = true,
                        'r' => reverse = true,
                        'u' => unique = true,
                        other => return unsupported(format!("sort option -{other}")),
                    }
                }
            }
            "--numeric-sort" => numeric = true,
            "--reverse" => reverse = true,
            "--unique" => unique = true,
            other if other.starts_with("--") => return unsupported(format!("sort option {other}")),
            _ => return unsupported("sort reading a file"),
        }
    }
    let key_of = |line: &str| -> String {
        let Some((from, to)) = key else { return line.to_owned() };
        let fields: Vec<&str> = match separator {
            Some(sep) => line.split(sep).collect(),
            None => line.split_whitespace().collect(),
        };
        let to = to.unwrap_or(fields.len()).min(fields.len());
        if from > to {
            return String::new();
        }
        fields[from - 1..to].join(&separator.map_or(" ".into(), String::from))
    };
    let number = |text: &str| -> f64 {
        let text = text.trim_start();
        let end = text
            .char_indices()
            .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
            .map_or(text.len(), |(i, _)| i);
        text[..end].parse().unwrap_or(0.0)
    };
    let mut all: Vec<(String, &str)> = lines(stdin).map(|l| (key_of(l), l)).collect();
    let compare = |a: &(String, &str), b: &(String, &str)| {
        let primary = if numeric { number(&a.0).total_cmp(&number(&b.0)) } else { a.0.cmp(&b.0) };
        // GNU's last-resort comparison of whole lines breaks ties.
        primary.then_with(|| a.1.cmp(b.1))
    };
    all.sort_by(compare);
    if reverse {
        all.reverse();
    }
    if unique {
        all.dedup_by(|a, b| if numeric { number(&a.0) == number(&b.0) } else { a.0 == b.0 });
    }
    Ok((join_lines(all.into_iter().map(|(_, l)| l)), String::new(), 0))
}

fn uniq(args: &[String], stdin: &str) -> Outcome {
    let count = match args {
        [] => false,
        [c] if c == "-c" => true,
        [other, ..] => return unsupported(format!("uniq {other}")),
    };
    let mut groups: Vec<(usize, &str)> = Vec::new();
    for line in lines(stdin) {
        match groups.last_mut() {
            Some((n, last)) if *last == line => *n += 1,
            _ => groups.push((1, line)),
        }
    }
    let out = groups
        .into_iter()
        .map(|(n, l)| if count { format!("{n:>7} {l}\n") } else { format!("{l}\n") })
        .collect();
    Ok((out, String::new(), 0))
}

/// Supports the one awk program tutorials use: `{print $N[, $M ...]}`,
/// with `-F SEP`.
/// A `tr` set: ranges (`a-z`), classes (`[:upper:]`), escapes (`\n`).
fn tr_set(spec: &str) -> Result<Vec<char>, Unsupported> {
    type Class = (&'static str, fn(&char) -> bool);
    let classes: [Class; 6] = [
        ("[:upper:]", char::is_ascii_uppercase),
        ("[:lower:]", char::is_ascii_lowercase),
        ("[:digit:]", char::is_ascii_digit),
        ("[:alpha:]", char::is_ascii_alphabetic),
        ("[:alnum:]", char::is_ascii_alphanumeric),
        ("[:space:]", |c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')),
    ];
    let mut chars = Vec::new();
    let mut rest = spec;
    while !rest.is_empty() {
        if let Some((name, class)) = classes.iter().find(|(name, _)| rest.starts_with(name)) {
            chars.extend((0u8..128).map(char::from).filter(class));
            rest = &rest[name.len()..];
            continue;
        }
        if rest.starts_with("[:") || rest.starts_with("[=") {
            return Err(Unsupported(format!("tr set '{spec}'")));
        }
        let mut it = rest.chars();
        let mut c = it.next().unwrap_or_default();
        let mut used = c.len_utf8();
        if c == '\\' {
            let escaped = it.next();
            c = match escaped {
                Some('n') => '\n',
                Some('t') => '\t',
                Some('r') => '\r',
                Some('\\') => '\\',
                Some(other) if other.is_ascii_digit() => {
                    return Err(Unsupported(format!("tr set '{spec}'")));
                }
                Some(other) => other,
                None => '\\',
            };
            used += escaped.map_or(0, char::len_utf8);
        }
        rest = &rest[used..];
        if let Some(end) = rest.strip_prefix('-').and_then(|r| r.chars().next()) {
            if end < c {
                return Err(Unsupported(format!("tr set '{spec}'")));
            }
            chars.extend(c..=end);
            rest = &rest[1 + end.len_utf8()..];
        } else {
            chars.push(c);
        }
    }
    Ok(chars)
}

/// `tr SET1 SET2`, `tr -d SET`, `tr -s SET`, `tr -ds`… (GNU: SET2 is
/// extended with its last character to the length of SET1).
fn tr(args: &[String], stdin: &str) -> Outcome {
    let (mut delete, mut squeeze) = (false, false);
    let mut sets = Vec::new();
    for arg in args {
        match arg.as_str() {
            a if a.starts_with('-') && a.len() > 1 && sets.is_empty() => {
                for flag in a[1..].chars() {
                    match flag {
                        'd' => delete = true,
                        's' => squeeze = true,
                        other => return unsupported(format!("tr option -{other}")),
                    }
                }
            }
            a => sets.push(tr_set(a)?),
        }
    }
    let usage = |m: &str| {
        Ok((String::new(), format!("tr: {m}\nTry 'tr --help' for more information.\n"), 1))
    };
    let map: Vec<(char, char)> = match (delete, squeeze, sets.as_slice()) {
        (false, _, [from, to]) => {
            let Some(last) = to.last() else {
                return usage("when not truncating set1, string2 must be non-empty");
            };
            from.iter().enumerate().map(|(i, f)| (*f, *to.get(i).unwrap_or(last))).collect()
        }
        (true, false, [_]) | (false, true, [_]) | (true, true, [_, _]) => Vec::new(),
        (_, _, []) => return usage("missing operand"),
        _ => return usage("extra operand"),
    };
    let mut out = String::new();
    let squeeze_set: &[char] = match (delete, squeeze) {
        (_, false) => &[],
        (true, true) => &sets[1],
        (false, true) => sets.last().map_or(&[][..], Vec::as_slice),
    };
    for c in stdin.chars() {
        if delete && sets[0].contains(&c) {
            continue;
        }
        // The last mapping of a character wins, as in GNU tr.
        let mapped = map.iter().rev().find(|(f, _)| *f == c).map_or(c, |(_, t)| *t);
        if squeeze_set.contains(&mapped) && out.ends_with(mapped) {
            continue;
        }
        out.push(mapped);
    }
    Ok((out, String::new(), 0))
}

/// A `cut` list: `1`, `1,3`, `2-4`, `-3`, `5-`.
fn cut_list(spec: &str) -> Option<Vec<(usize, usize)>> {
    spec.split(',')
        .map(|part| {
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (a, b),
                None => (part, part),
            };
            let from = if a.is_empty() { 1 } else { a.parse().ok()? };
            let to = if b.is_empty() { usize::MAX } else { b.parse().ok()? };
            (from >= 1 && from <= to).then_some((from, to))
        })
        .collect()
}

/// `cut -d SEP -f LIST` and `cut -c LIST`.
fn cut(args: &[String], stdin: &str) -> Outcome {
    let (mut delimiter, mut fields, mut chars) = ('\t', None, None);
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |inline: &str| -> String {
            if inline.is_empty() {
                iter.next().cloned().unwrap_or_default()
            } else {
                inline.to_owned()
            }
        };
        match arg.as_str() {
            a if a.starts_with("-d") => {
                let d = value(&a[2..]);
                let mut it = d.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => delimiter = c,
                    _ => {
                        return Ok((
                            String::new(),
                            "cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n".into(),
                            1,
                        ));
                    }
                }
            }
            a if a.starts_with("-f") => fields = Some(value(&a[2..])),
            a if a.starts_with("-c") => chars = Some(value(&a[2..])),
            a if a.starts_with('-') => return unsupported(format!("cut option {a}")),
            _ => return unsupported("cut reading a file"),
        }
    }
    let (spec, by_field) = match (fields, chars) {
        (Some(f), None) => (f, true),
        (None, Some(c)) => (c, false),
        _ => {
            return Ok((
                String::new(),
                "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n".into(),
                1,
            ));
        }
    };
    let Some(ranges) = cut_list(&spec) else {
        return Ok((
            String::new(),
            format!("cut: invalid field value '{spec}'\nTry 'cut --help' for more information.\n"),
            1,
        ));
    };
    let wanted = |i: usize| ranges.iter().any(|(a, b)| (*a..=*b).contains(&i));
    let out = lines(stdin)
        .map(|line| {
            if by_field {
                // GNU: a line without the delimiter is printed whole.
                if !line.contains(delimiter) {
                    return format!("{line}\n");
                }
                let picked: Vec<&str> = line
                    .split(delimiter)
                    .enumerate()
                    .filter(|(i, _)| wanted(i + 1))
                    .map(|(_, f)| f)
                    .collect();
                format!("{}\n", picked.join(&delimiter.to_string()))
            } else {
                let picked: String = line
                    .chars()
                    .enumerate()
                    .filter(|(i, _)| wanted(i + 1))
                    .map(|(_, c)| c)
                    .collect();
                format!("{picked}\n")
            }
        })
        .collect();
    Ok((out, String::new(), 0))
}

/// `base64 [-w COLS]` and `base64 -d|--decode` (GNU coreutils: lines of
/// 76 characters by default, `-w 0` for none).
fn base64(args: &[String], stdin: &str) -> Outcome {
    use ::base64::Engine as _;
    let (mut decode, mut wrap) = (false, 76usize);
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-d" | "--decode" => decode = true,
            "-w" => match iter.next().and_then(|w| w.parse().ok()) {
                Some(w) => wrap = w,
                None => return unsupported("base64 -w without a number"),
            },
            a if a.starts_with("-w") || a.starts_with("--wrap=") => {
                match a.trim_start_matches("-w").trim_start_matches("--wrap=").parse() {
                    Ok(w) => wrap = w,
                    Err(_) => return unsupported(format!("base64 {a}")),
                }
            }
            a if a.starts_with('-') => return unsupported(format!("base64 option {a}")),
            _ => return unsupported("base64 reading a file"),
        }
    }
    let engine = ::base64::engine::general_purpose::STANDARD;
    if decode {
        let compact: String = stdin.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        return match engine.decode(compact.as_bytes()) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok((text, String::new(), 0)),
                Err(_) => unsupported("base64 -d of binary data"),
            },
            Err(_) => Ok((String::new(), "base64: invalid input\n".into(), 1)),
        };
    }
    let encoded = engine.encode(stdin.as_bytes());
    if encoded.is_empty() {
        return Ok((String::new(), String::new(), 0));
    }
    let out = if wrap == 0 {
        format!("{encoded}\n")
    } else {
        encoded
            .as_bytes()
            .chunks(wrap)
            .map(|c| format!("{}\n", String::from_utf8_lossy(c)))
            .collect()
    };
    Ok((out, String::new(), 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(args: &[&str], stdin: &str) -> Printed {
        let argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        run(&argv, stdin, None).unwrap()
    }

    fn what(args: &[&str]) -> String {
        let argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        run(&argv, "", None).unwrap_err().0
    }

    const TABLE: &str = "NAME   READY\nweb-1  1/1\ndb-1   0/1\n";

    #[test]
    fn grep_selects_and_reports_no_match_with_status_1() {
        assert_eq!(sh(&["grep", "web"], TABLE), ("web-1  1/1\n".into(), String::new(), 0));
        assert_eq!(sh(&["grep", "-v", "web"], TABLE).0, "NAME   READY\ndb-1   0/1\n");
        assert_eq!(sh(&["grep", "nothing"], TABLE), (String::new(), String::new(), 1));
        assert_eq!(sh(&["grep", "web\\|db"], TABLE).0, "web-1  1/1\ndb-1   0/1\n");
        assert_eq!(sh(&["grep", "-c", "1/1"], TABLE).0, "1\n");
    }

    #[test]
    fn head_tail_wc_awk_sed() {
        assert_eq!(sh(&["head", "-n", "1"], TABLE).0, "NAME   READY\n");
        assert_eq!(sh(&["tail", "-1"], TABLE).0, "db-1   0/1\n");
        assert_eq!(sh(&["wc", "-l"], TABLE).0, "3\n");
        assert_eq!(sh(&["awk", "{print $1}"], TABLE).0, "NAME\nweb-1\ndb-1\n");
        assert_eq!(sh(&["awk", "-F:", "{print $2}"], "a:b\n").0, "b\n");
        assert_eq!(sh(&["sed", "s/^.* //"], "(stdin)= 9f59f0\n").0, "9f59f0\n");
        assert_eq!(sh(&["uniq", "-c"], "a\na\nb\n").0, "      2 a\n      1 b\n");
    }

    #[test]
    fn sort_keys_numbers_and_order() {
        // Outputs from GNU coreutils 9 sort in the C locale.
        assert_eq!(sh(&["sort"], "b\na\n").0, "a\nb\n");
        assert_eq!(sh(&["sort", "-n"], "10\n9\n100\n").0, "9\n10\n100\n");
        assert_eq!(sh(&["sort", "-rn"], "10\n9\n100\n").0, "100\n10\n9\n");
        assert_eq!(sh(&["sort", "-u"], "b\na\nb\n").0, "a\nb\n");
        assert_eq!(sh(&["sort", "-k", "2"], "x 3\ny 1\nz 2\n").0, "y 1\nz 2\nx 3\n");
        assert_eq!(sh(&["sort", "-t", ":", "-k2", "-n"], "a:10\nb:9\n").0, "b:9\na:10\n");
    }

    #[test]
    fn cut_tr_base64() {
        assert_eq!(sh(&["cut", "-d", ":", "-f", "2"], "a:b:c\nnone\n").0, "b\nnone\n");
        assert_eq!(sh(&["cut", "-d:", "-f1,3"], "a:b:c\n").0, "a:c\n");
        assert_eq!(sh(&["cut", "-f", "2-"], "a\tb\tc\n").0, "b\tc\n");
        assert_eq!(sh(&["cut", "-c", "1-3"], "abcdef\n").0, "abc\n");
        assert_eq!(sh(&["tr", "a-z", "A-Z"], "web-1\n").0, "WEB-1\n");
        assert_eq!(sh(&["tr", "[:lower:]", "[:upper:]"], "ab\n").0, "AB\n");
        assert_eq!(sh(&["tr", "-d", "\\n"], "a\nb\n").0, "ab");
        assert_eq!(sh(&["tr", "-s", " "], "a   b\n").0, "a b\n");
        assert_eq!(sh(&["tr", "abc", "x"], "abcd\n").0, "xxxd\n");
        assert_eq!(sh(&["base64"], "admin").0, "YWRtaW4=\n");
        assert_eq!(sh(&["base64", "-d"], "YWRtaW4=\n").0, "admin");
        assert_eq!(sh(&["base64", "--decode"], "YWRtaW4=").0, "admin");
        let long = "x".repeat(60);
        assert_eq!(sh(&["base64"], &long).0.lines().count(), 2);
        assert_eq!(sh(&["base64", "-w0"], &long).0.lines().count(), 1);
        assert_eq!(sh(&["base64", "-d"], "!!!").2, 1);
    }

    #[test]
    fn unsupported_forms_are_named() {
        assert_eq!(what(&["awk", "{x=1}"]), "awk program '{x=1}'");
        assert_eq!(what(&["sed", "-i", "2p"]), "sed option -i");
        assert_eq!(what(&["sed", "2y/a/b/"]), "sed script '2y/a/b/'");
        assert_eq!(what(&["grep", "-P", "x"]), "grep option -P");
        assert_eq!(what(&["sort", "-V"]), "sort option -V");
        assert_eq!(what(&["wc", "-m"]), "wc -m");
        assert_eq!(what(&["head", "file.txt"]), "head reading a file");
    }
}
