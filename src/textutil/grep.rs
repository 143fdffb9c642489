//! `grep` as GNU grep 3 prints: options before or after the patterns
//! (getopt permutes them), clustered (`-in`, `-A2`) or separate, several
//! `-e`, context (`-A/-B/-C`, `--` between groups), `-o`, `-n`, `-c`, `-q`,
//! `-w`, `-x`, `-l`, `-h/-H`, and files or `-r` over the workspace.
//! Options kubeplay does not model (`-P`, `-z`, ...) are unsupported,
//! named.

use regex::Regex;

use super::{Files, Outcome, Unsupported, bre_to_regex, ere_to_regex, unsupported};

/// How patterns are read: `grep`/`-G`, `egrep`/`-E`, `fgrep`/`-F`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// POSIX basic regular expressions.
    Basic,
    /// POSIX extended regular expressions.
    Extended,
    /// Fixed strings.
    Fixed,
}

#[derive(Debug, Default)]
struct Options {
    invert: bool,
    ignore_case: bool,
    count: bool,
    only_matching: bool,
    line_number: bool,
    quiet: bool,
    word: bool,
    whole_line: bool,
    list_files: bool,
    recursive: bool,
    with_filename: Option<bool>,
    no_messages: bool,
    after: usize,
    before: usize,
}

/// Options that take a value, by short name.
const WITH_VALUE: &str = "ABCefm";

/// Runs `grep ARGS` on `stdin`.
pub fn run(args: &[String], stdin: &str, files: Option<&dyn Files>, syntax: Syntax) -> Outcome {
    let mut o = Options::default();
    let mut syntax = syntax;
    let mut patterns: Vec<String> = Vec::new();
    let mut explicit_patterns = false;
    let mut operands: Vec<String> = Vec::new();
    let mut iter = args.iter();
    let mut options_done = false;
    let number = |_flag: char, v: &str| -> Result<usize, Outcome> {
        v.parse().map_err(|_| {
            Ok((
                String::new(),
                format!(
                    "grep: {v}: invalid context length argument
"
                ),
                2,
            ))
        })
    };
    while let Some(arg) = iter.next() {
        if options_done || arg == "-" || !arg.starts_with('-') {
            operands.push(arg.clone());
            continue;
        }
        if arg == "--" {
            options_done = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            let mut take = || value.clone().or_else(|| iter.next().cloned());
            match name {
                "invert-match" => o.invert = true,
                "ignore-case" => o.ignore_case = true,
                "count" => o.count = true,
                "only-matching" => o.only_matching = true,
                "line-number" => o.line_number = true,
                "quiet" | "silent" => o.quiet = true,
                "word-regexp" => o.word = true,
                "line-regexp" => o.whole_line = true,
                "files-with-matches" => o.list_files = true,
                "recursive" | "dereference-recursive" => o.recursive = true,
                "with-filename" => o.with_filename = Some(true),
                "no-filename" => o.with_filename = Some(false),
                "no-messages" => o.no_messages = true,
                "extended-regexp" => syntax = Syntax::Extended,
                "fixed-strings" => syntax = Syntax::Fixed,
                "basic-regexp" => syntax = Syntax::Basic,
                "regexp" => {
                    patterns.extend(take());
                    explicit_patterns = true;
                }
                "after-context" | "before-context" | "context" => {
                    let v = take().unwrap_or_default();
                    let n = match number('C', &v) {
                        Ok(n) => n,
                        Err(e) => return e,
                    };
                    match name {
                        "after-context" => o.after = n,
                        "before-context" => o.before = n,
                        _ => (o.after, o.before) = (n, n),
                    }
                }
                // Piped or captured, `auto` prints no colour; `never` never.
                "color" | "colour" if matches!(value.as_deref(), None | Some("auto" | "never")) => {
                }
                _ => return unsupported(format!("grep option --{name}")),
            }
            continue;
        }
        let cluster: Vec<char> = arg[1..].chars().collect();
        let mut i = 0;
        while i < cluster.len() {
            let flag = cluster[i];
            i += 1;
            if WITH_VALUE.contains(flag) {
                let inline: String = cluster[i..].iter().collect();
                i = cluster.len();
                let value = if inline.is_empty() { iter.next().cloned() } else { Some(inline) };
                let Some(value) = value else {
                    return Ok((
                        String::new(),
                        format!(
                            "grep: option requires an argument -- '{flag}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
                        ),
                        2,
                    ));
                };
                match flag {
                    'e' => {
                        patterns.push(value);
                        explicit_patterns = true;
                    }
                    'A' | 'B' | 'C' => {
                        let n = match number(flag, &value) {
                            Ok(n) => n,
                            Err(e) => return e,
                        };
                        match flag {
                            'A' => o.after = n,
                            'B' => o.before = n,
                            _ => (o.after, o.before) = (n, n),
                        }
                    }
                    other => return unsupported(format!("grep option -{other}")),
                }
                continue;
            }
            match flag {
                'v' => o.invert = true,
                'i' | 'y' => o.ignore_case = true,
                'c' => o.count = true,
                'o' => o.only_matching = true,
                'n' => o.line_number = true,
                'q' => o.quiet = true,
                'w' => o.word = true,
                'x' => o.whole_line = true,
                'l' => o.list_files = true,
                'r' | 'R' => o.recursive = true,
                'H' => o.with_filename = Some(true),
                'h' => o.with_filename = Some(false),
                's' => o.no_messages = true,
                'E' => syntax = Syntax::Extended,
                'F' => syntax = Syntax::Fixed,
                'G' => syntax = Syntax::Basic,
                'P' | 'z' | 'Z' | 'L' | 'b' | 'a' | 'I' | 'T' | 'u' | 'U' => {
                    return unsupported(format!("grep option -{flag}"));
                }
                other => {
                    return Ok((
                        String::new(),
                        format!(
                            "grep: invalid option -- '{other}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
                        ),
                        2,
                    ));
                }
            }
        }
    }
    if !explicit_patterns {
        if operands.is_empty() {
            return Ok((
                String::new(),
                "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n".into(),
                2,
            ));
        }
        patterns.push(operands.remove(0));
    }
    // A pattern with newlines is one pattern per line.
    let patterns: Vec<String> =
        patterns.iter().flat_map(|p| p.split('\n').map(str::to_owned)).collect();
    let re = match compile(&patterns, syntax, &o) {
        Ok(re) => re,
        Err(message) => return Ok((String::new(), message, 2)),
    };

    // The inputs: stdin, named files, or a recursive walk.
    let mut inputs: Vec<(Option<String>, Option<String>)> = Vec::new();
    if o.recursive && operands.is_empty() {
        operands.push(".".into());
    }
    if operands.is_empty() {
        inputs.push((None, Some(stdin.to_owned())));
    } else {
        let Some(files) = files else {
            return Err(Unsupported("grep reading files".into()));
        };
        for operand in &operands {
            if operand == "-" {
                inputs.push((Some("(standard input)".into()), Some(stdin.to_owned())));
            } else if o.recursive {
                let found = files.walk(operand);
                if found.is_empty() {
                    inputs.push((Some(operand.clone()), None));
                }
                for path in found {
                    let text = files.read(&path);
                    inputs.push((Some(path), text));
                }
            } else {
                inputs.push((Some(operand.clone()), files.read(operand)));
            }
        }
    }
    let with_name = o.with_filename.unwrap_or(o.recursive || operands.len() > 1);

    let mut out = String::new();
    let mut err = String::new();
    let mut any_selected = false;
    let mut any_error = false;
    for (name, text) in &inputs {
        let Some(text) = text else {
            if !o.no_messages {
                err.push_str(&format!(
                    "grep: {}: No such file or directory\n",
                    name.as_deref().unwrap_or("-")
                ));
            }
            any_error = true;
            continue;
        };
        let prefix = if with_name { name.clone() } else { None };
        let selected = search(&re, text, prefix.as_deref(), &o, &mut out);
        any_selected |= selected;
        if o.quiet && any_selected {
            return Ok((String::new(), String::new(), 0));
        }
    }
    if o.quiet {
        out.clear();
    }
    let status = if any_error && !(o.quiet && any_selected) {
        2
    } else if any_selected {
        0
    } else {
        1
    };
    Ok((out, err, status))
}

/// One regex for all patterns, with `-i`, `-w` and `-x` applied. With
/// `-w`, group 1 is the match itself (the regex crate has no look-around,
/// so the boundary characters are matched around it).
fn compile(patterns: &[String], syntax: Syntax, o: &Options) -> Result<Regex, String> {
    let sources: Vec<String> = patterns
        .iter()
        .map(|p| match syntax {
            Syntax::Fixed => regex::escape(p),
            Syntax::Extended => ere_to_regex(p),
            Syntax::Basic => bre_to_regex(p),
        })
        .collect();
    let mut source = sources.iter().map(|s| format!("(?:{s})")).collect::<Vec<_>>().join("|");
    if o.whole_line {
        source = format!("^(?:{source})$");
    } else if o.word {
        source = format!("(?:^|[^_[:alnum:]])({source})(?:$|[^_[:alnum:]])");
    }
    if o.ignore_case {
        source = format!("(?i){source}");
    }
    Regex::new(&source).map_err(|_| {
        let shown = patterns.first().map(String::as_str).unwrap_or_default();
        format!("grep: Invalid regular expression '{shown}'\n")
    })
}

/// The spans of `line` the patterns match (for `-o`), leftmost first.
fn matches_in(re: &Regex, line: &str, word: bool) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut at = 0;
    while at <= line.len() {
        let Some(caps) = re.captures_at(line, at) else { break };
        let (Some(whole), span) = (caps.get(0), if word { caps.get(1) } else { caps.get(0) })
        else {
            break;
        };
        if let Some(m) = span
            && m.end() > m.start()
        {
            spans.push((m.start(), m.end()));
        }
        // Continue after the match itself (a `-w` boundary character may
        // start the next word's match).
        let next = span.map_or(whole.end(), |m| m.end());
        at =
            if next > at { next } else { at + line[at..].chars().next().map_or(1, char::len_utf8) };
    }
    spans
}

/// Searches one input, appending what grep prints to `out`; whether any
/// line was selected.
fn search(re: &Regex, text: &str, name: Option<&str>, o: &Options, out: &mut String) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    let selected: Vec<bool> = lines.iter().map(|l| re.is_match(l) != o.invert).collect();
    let count = selected.iter().filter(|s| **s).count();
    if o.quiet {
        return count > 0;
    }
    if o.list_files {
        if count > 0 {
            out.push_str(&format!("{}\n", name.unwrap_or("(standard input)")));
        }
        return count > 0;
    }
    if o.count {
        match name {
            Some(n) => out.push_str(&format!("{n}:{count}\n")),
            None => out.push_str(&format!("{count}\n")),
        }
        return count > 0;
    }
    let prefix = |n: usize, sep: char| -> String {
        let mut p = String::new();
        if let Some(name) = name {
            p.push_str(name);
            p.push(sep);
        }
        if o.line_number {
            p.push_str(&format!("{}{sep}", n + 1));
        }
        p
    };
    let context = !o.only_matching && (o.after > 0 || o.before > 0);
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0;
    for (i, line) in lines.iter().enumerate() {
        if selected[i] {
            if o.only_matching {
                if !o.invert {
                    for (a, b) in matches_in(re, line, o.word) {
                        out.push_str(&format!("{}{}\n", prefix(i, ':'), &line[a..b]));
                    }
                }
                continue;
            }
            let first = i.saturating_sub(o.before);
            let start = last_printed.map_or(first, |l| first.max(l + 1));
            if context && last_printed.is_some_and(|l| start > l + 1) {
                out.push_str("--\n");
            }
            for (j, before) in lines.iter().enumerate().take(i).skip(start) {
                out.push_str(&format!("{}{before}\n", prefix(j, '-')));
            }
            out.push_str(&format!("{}{line}\n", prefix(i, ':')));
            last_printed = Some(i);
            after_left = o.after;
        } else if after_left > 0 {
            after_left -= 1;
            out.push_str(&format!("{}{line}\n", prefix(i, '-')));
            last_printed = Some(i);
        }
    }
    count > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grep(args: &[&str], stdin: &str) -> (String, i32) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (out, err, status) = run(&args, stdin, None, Syntax::Basic).unwrap();
        (format!("{err}{out}"), status)
    }

    const PODS: &str = "NAME    READY\nweb-1   1/1\ndb-1    0/1\nWeb-2   1/1\nlast    1/1\n";

    #[test]
    fn several_patterns_and_permuted_options() {
        // Outputs from GNU grep 3.11.
        assert_eq!(grep(&["-e", "x", "-e", "h"], "hi\n"), ("hi\n".into(), 0));
        assert_eq!(grep(&["web", "-i"], PODS), ("web-1   1/1\nWeb-2   1/1\n".into(), 0));
        assert_eq!(grep(&["-in", "web"], PODS), ("2:web-1   1/1\n4:Web-2   1/1\n".into(), 0));
        assert_eq!(grep(&["-i", "-n", "web"], PODS), grep(&["-in", "web"], PODS));
        assert_eq!(grep(&["-c", "1/1"], PODS), ("3\n".into(), 0));
        assert_eq!(grep(&["-v", "1/1"], PODS), ("NAME    READY\ndb-1    0/1\n".into(), 0));
        assert_eq!(grep(&["-q", "db"], PODS), (String::new(), 0));
        assert_eq!(grep(&["-q", "nothing"], PODS), (String::new(), 1));
        assert_eq!(grep(&["-E", "web|db"], PODS).0, "web-1   1/1\ndb-1    0/1\n");
        assert_eq!(grep(&["-F", "1/1", "-c"], PODS).0, "3\n");
    }

    #[test]
    fn words_lines_and_only_matching() {
        assert_eq!(grep(&["-w", "web"], "web-1\nwebs\nthe web\n").0, "web-1\nthe web\n");
        assert_eq!(grep(&["-x", "web"], "web\nweb-1\n").0, "web\n");
        assert_eq!(grep(&["-o", "[0-9]/[0-9]"], PODS).0, "1/1\n0/1\n1/1\n1/1\n");
        assert_eq!(grep(&["-on", "b-[0-9]"], PODS).0, "2:b-1\n3:b-1\n4:b-2\n");
        assert_eq!(grep(&["-ow", "a"], "a a b a\n").0, "a\na\na\n");
    }

    #[test]
    fn context_groups_are_separated() {
        let text = "a\nb\nmatch1\nc\nd\ne\nf\nmatch2\ng\n";
        assert_eq!(grep(&["-A1", "match"], text).0, "match1\nc\n--\nmatch2\ng\n");
        assert_eq!(grep(&["-B", "1", "match"], text).0, "b\nmatch1\n--\nf\nmatch2\n");
        assert_eq!(
            grep(&["-n", "-C", "1", "match"], text).0,
            "2-b\n3:match1\n4-c\n--\n7-f\n8:match2\n9-g\n"
        );
        assert_eq!(grep(&["-C3", "match"], text).0, text);
    }

    #[test]
    fn unknown_and_unsupported_options() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            run(&args(&["-P", "x"]), "", None, Syntax::Basic),
            Err(Unsupported("grep option -P".into()))
        );
        assert_eq!(grep(&["-j", "x"], "").1, 2);
        assert_eq!(
            run(&args(&["x", "file.txt"]), "", None, Syntax::Basic),
            Err(Unsupported("grep reading files".into()))
        );
    }
}
