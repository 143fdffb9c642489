//! Text filters, pure functions over (argv, stdin) -> (stdout, stderr,
//! status): `grep`, `head`, `tail`, `wc`, `sort`, `uniq`, `awk '{print $N}'`,
//! `sed 's/re/rep/'`, `tr`. One implementation serves both the tutorial
//! (host) shell, where a tutorial pipes kubectl output into them
//! (`crate::shell`), and the simulator's container shell
//! (`crate::sim::process`), where `env | grep APP` runs inside a pod — so
//! they do no I/O and stay deterministic.

use regex::Regex;

/// The result of a builtin: stdout, stderr, exit status.
pub type Outcome = (String, String, i32);

/// Whether `name` is a text builtin handled here.
pub fn is_text_tool(name: &str) -> bool {
    matches!(
        name,
        "grep" | "egrep" | "head" | "tail" | "wc" | "sort" | "awk" | "sed" | "uniq" | "tr"
    )
}

/// Runs a text builtin on `stdin`.
pub fn run(argv: &[String], stdin: &str) -> Outcome {
    let name = argv[0].as_str();
    let args = &argv[1..];
    match name {
        "grep" => grep(args, stdin, false),
        "egrep" => grep(args, stdin, true),
        "head" => head_tail(name, args, stdin, true),
        "tail" => head_tail(name, args, stdin, false),
        "wc" => wc(args, stdin),
        "sort" => sort(args, stdin),
        "uniq" => uniq(stdin),
        "awk" => awk(args, stdin),
        "sed" => sed(args, stdin),
        "tr" => tr(args, stdin),
        _ => (String::new(), format!("{name}: not a text tool\n"), 127),
    }
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
}

fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    lines.map(|l| format!("{l}\n")).collect()
}

/// Converts a POSIX basic regular expression to the `regex` crate's syntax:
/// in BRE, `\|`, `\+`, `\?`, `\(`, `\)`, `\{`, `\}` are operators and their
/// bare forms are literals.
fn bre_to_regex(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(op @ ('|' | '+' | '?' | '(' | ')' | '{' | '}')) => out.push(op),
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

fn grep(args: &[String], stdin: &str, extended_default: bool) -> Outcome {
    let mut invert = false;
    let mut ignore_case = false;
    let mut count = false;
    let mut extended = extended_default;
    let mut fixed = false;
    let mut patterns = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-e" => patterns.extend(iter.next().cloned()),
            a if a.starts_with('-') && a.len() > 1 && patterns.is_empty() => {
                for flag in a[1..].chars() {
                    match flag {
                        'v' => invert = true,
                        'i' => ignore_case = true,
                        'c' => count = true,
                        'E' => extended = true,
                        'F' => fixed = true,
                        'w' | 'n' | 'o' => {
                            return (
                                String::new(),
                                format!(
                                    "grep: -{flag} is not supported by kubeplay's tutorial shell\n"
                                ),
                                2,
                            );
                        }
                        _ => {
                            return (
                                String::new(),
                                format!("grep: invalid option -- '{flag}'\n"),
                                2,
                            );
                        }
                    }
                }
            }
            _ if patterns.is_empty() => patterns.push(arg.clone()),
            file => {
                return (
                    String::new(),
                    format!("grep: {file}: reading files is not supported; pipe into grep\n"),
                    2,
                );
            }
        }
    }
    let Some(pattern) = patterns.first() else {
        return (String::new(), "Usage: grep [OPTION]... PATTERNS [FILE]...\n".into(), 2);
    };
    let source = if fixed {
        regex::escape(pattern)
    } else if extended {
        pattern.clone()
    } else {
        bre_to_regex(pattern)
    };
    let source = if ignore_case { format!("(?i){source}") } else { source };
    let re = match Regex::new(&source) {
        Ok(re) => re,
        Err(_) => {
            return (String::new(), format!("grep: invalid regular expression '{pattern}'\n"), 2);
        }
    };
    let selected: Vec<&str> = lines(stdin).filter(|l| re.is_match(l) != invert).collect();
    let status = if selected.is_empty() { 1 } else { 0 };
    if count {
        return (format!("{}\n", selected.len()), String::new(), status);
    }
    (join_lines(selected.into_iter()), String::new(), status)
}

fn line_count_arg(name: &str, args: &[String]) -> Result<usize, String> {
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
            return Err(format!("{name}: reading files is not supported; pipe into {name}\n"));
        };
        n = value
            .trim_start_matches('+')
            .parse()
            .map_err(|_| format!("{name}: invalid number of lines: '{value}'\n"))?;
    }
    Ok(n)
}

fn head_tail(name: &str, args: &[String], stdin: &str, head: bool) -> Outcome {
    let n = match line_count_arg(name, args) {
        Ok(n) => n,
        Err(e) => return (String::new(), e, 1),
    };
    let all: Vec<&str> = lines(stdin).collect();
    let picked: Vec<&str> = if head {
        all.iter().take(n).copied().collect()
    } else {
        all.iter().skip(all.len().saturating_sub(n)).copied().collect()
    };
    (join_lines(picked.into_iter()), String::new(), 0)
}

fn wc(args: &[String], stdin: &str) -> Outcome {
    match args.first().map(String::as_str) {
        Some("-l") => (format!("{}\n", stdin.matches('\n').count()), String::new(), 0),
        Some("-w") => (format!("{}\n", stdin.split_whitespace().count()), String::new(), 0),
        Some("-c") => (format!("{}\n", stdin.len()), String::new(), 0),
        _ => (
            String::new(),
            "wc: only -l, -w and -c are supported by kubeplay's tutorial shell\n".into(),
            1,
        ),
    }
}

fn sort(args: &[String], stdin: &str) -> Outcome {
    let mut all: Vec<&str> = lines(stdin).collect();
    all.sort_unstable();
    if args.iter().any(|a| a == "-r") {
        all.reverse();
    }
    if args.iter().any(|a| a == "-u") {
        all.dedup();
    }
    (join_lines(all.into_iter()), String::new(), 0)
}

fn uniq(stdin: &str) -> Outcome {
    let mut all: Vec<&str> = lines(stdin).collect();
    all.dedup();
    (join_lines(all.into_iter()), String::new(), 0)
}

/// Supports the one awk program tutorials use: `{print $N[, $M ...]}`.
fn awk(args: &[String], stdin: &str) -> Outcome {
    let program = args.last().map(String::as_str).unwrap_or_default();
    let inner = program.trim().strip_prefix('{').and_then(|p| p.strip_suffix('}')).map(str::trim);
    let Some(fields) = inner.and_then(|p| p.strip_prefix("print")) else {
        return (
            String::new(),
            format!(
                "awk: program `{program}` is not supported by kubeplay's tutorial shell (only '{{print $N}}')\n"
            ),
            2,
        );
    };
    let mut indexes = Vec::new();
    for field in fields.split(',') {
        match field.trim().strip_prefix('$').and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => indexes.push(n),
            None => {
                return (
                    String::new(),
                    format!("awk: field `{}` is not supported\n", field.trim()),
                    2,
                );
            }
        }
    }
    let out = lines(stdin)
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let picked: Vec<&str> = indexes
                .iter()
                .map(|&i| if i == 0 { line } else { words.get(i - 1).copied().unwrap_or("") })
                .collect();
            format!("{}\n", picked.join(" "))
        })
        .collect();
    (out, String::new(), 0)
}

/// Supports `s/RE/REPLACEMENT/[g]` with a basic regular expression.
fn sed(args: &[String], stdin: &str) -> Outcome {
    let script = args.iter().find(|a| !a.starts_with('-')).map(String::as_str).unwrap_or_default();
    let Some(rest) = script.strip_prefix('s') else {
        return (
            String::new(),
            format!(
                "sed: script `{script}` is not supported by kubeplay's tutorial shell (only s/re/rep/)\n"
            ),
            1,
        );
    };
    let Some(delim) = rest.chars().next() else {
        return (
            String::new(),
            "sed: -e expression #1, char 1: unterminated `s' command\n".into(),
            1,
        );
    };
    let parts: Vec<&str> = rest[delim.len_utf8()..].split(delim).collect();
    if parts.len() != 3 {
        return (String::new(), "sed: -e expression #1: unterminated `s' command\n".into(), 1);
    }
    let Ok(re) = Regex::new(&bre_to_regex(parts[0])) else {
        return (String::new(), format!("sed: invalid regular expression `{}`\n", parts[0]), 1);
    };
    let replacement = parts[1].replace('$', "$$").replace('&', "${0}");
    let global = parts[2].contains('g');
    let out = lines(stdin)
        .map(|line| {
            let replaced = if global {
                re.replace_all(line, replacement.as_str())
            } else {
                re.replace(line, replacement.as_str())
            };
            format!("{replaced}\n")
        })
        .collect();
    (out, String::new(), 0)
}

fn tr(args: &[String], stdin: &str) -> Outcome {
    match args {
        [from, to] if from.chars().count() == to.chars().count() => {
            let map: Vec<(char, char)> = from.chars().zip(to.chars()).collect();
            let out = stdin
                .chars()
                .map(|c| map.iter().find(|(f, _)| *f == c).map_or(c, |(_, t)| *t))
                .collect();
            (out, String::new(), 0)
        }
        _ => (
            String::new(),
            "tr: only `tr SET1 SET2` with sets of equal length is supported\n".into(),
            1,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(args: &[&str], stdin: &str) -> Outcome {
        let argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        run(&argv, stdin)
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
        assert_eq!(sh(&["sed", "s/^.* //"], "(stdin)= 9f59f0\n").0, "9f59f0\n");
        assert_eq!(sh(&["sort"], "b\na\n").0, "a\nb\n");
    }

    #[test]
    fn unsupported_forms_fail_loudly() {
        assert_eq!(sh(&["awk", "-F:", "{x=1}"], "").2, 2);
        assert_eq!(sh(&["sed", "-n", "2p"], "").2, 1);
        assert_eq!(sh(&["grep", "-w", "x"], "").2, 2);
    }
}
