//! `sed` for the scripts tutorials write: one or more commands separated
//! by `;` or newlines, each with an optional address (`N`, `$`, `/RE/`,
//! or a range `N,M` / `N,$`), among `p`, `d`, `q` and
//! `s/RE/REPLACEMENT/[gp]`; options `-n`, `-e` and `-E`/`-r`. GNU sed and
//! busybox behave alike for these. Anything else is unsupported, named.

use regex::Regex;

use super::{Outcome, Unsupported, bre_to_regex, ere_to_regex};

/// Where a command applies.
#[derive(Debug, Clone)]
enum Address {
    Line(usize),
    Last,
    Pattern(Regex),
}

#[derive(Debug, Clone)]
enum Command {
    Print,
    Delete,
    Quit,
    Substitute { re: Regex, replacement: String, global: bool, print: bool },
}

#[derive(Debug, Clone)]
struct Step {
    from: Option<Address>,
    to: Option<Address>,
    command: Command,
}

fn unsupported(what: String) -> Unsupported {
    Unsupported(what)
}

/// Runs `sed ARGS` over `stdin`.
pub fn run(args: &[String], stdin: &str) -> Outcome {
    let mut quiet = false;
    let mut extended = false;
    let mut script: Option<&str> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-n" => quiet = true,
            "-E" | "-r" => extended = true,
            "-e" => script = iter.next().map(String::as_str),
            a if a.starts_with('-') && a.len() > 1 => {
                return Err(unsupported(format!("sed option {a}")));
            }
            a if script.is_none() => script = Some(a),
            _ => return Err(unsupported("sed reading a file".to_owned())),
        }
    }
    let script = script.unwrap_or_default();
    let steps = match parse(script, extended) {
        Ok(steps) => steps,
        Err(Parse::Unsupported) => return Err(unsupported(format!("sed script '{script}'"))),
        Err(Parse::Unterminated) => {
            return Ok((
                String::new(),
                "sed: -e expression #1, char 1: unterminated `s' command\n".into(),
                1,
            ));
        }
    };
    Ok((execute(&steps, stdin, quiet), String::new(), 0))
}

enum Parse {
    Unsupported,
    Unterminated,
}

fn parse(script: &str, extended: bool) -> Result<Vec<Step>, Parse> {
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    let mut steps = Vec::new();
    loop {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ';') {
            i += 1;
        }
        if i >= chars.len() {
            return Ok(steps);
        }
        let from = address(&chars, &mut i, extended)?;
        let to = if from.is_some() && chars.get(i) == Some(&',') {
            i += 1;
            Some(address(&chars, &mut i, extended)?.ok_or(Parse::Unsupported)?)
        } else {
            None
        };
        if matches!(
            (&from, &to),
            (Some(Address::Pattern(_)), Some(_)) | (_, Some(Address::Pattern(_)))
        ) {
            return Err(Parse::Unsupported);
        }
        let command = match chars.get(i) {
            Some('p') => Command::Print,
            Some('d') => Command::Delete,
            Some('q') => Command::Quit,
            Some('s') => substitute(&chars, &mut i, extended)?,
            _ => return Err(Parse::Unsupported),
        };
        if !matches!(command, Command::Substitute { .. }) {
            i += 1;
        }
        steps.push(Step { from, to, command });
    }
}

fn address(chars: &[char], i: &mut usize, extended: bool) -> Result<Option<Address>, Parse> {
    match chars.get(*i) {
        Some('$') => {
            *i += 1;
            Ok(Some(Address::Last))
        }
        Some(c) if c.is_ascii_digit() => {
            let start = *i;
            while chars.get(*i).is_some_and(char::is_ascii_digit) {
                *i += 1;
            }
            let n: String = chars[start..*i].iter().collect();
            Ok(Some(Address::Line(n.parse().map_err(|_| Parse::Unsupported)?)))
        }
        Some('/') => {
            *i += 1;
            let pattern = delimited(chars, i, '/').ok_or(Parse::Unsupported)?;
            Ok(Some(Address::Pattern(regex(&pattern, extended)?)))
        }
        _ => Ok(None),
    }
}

/// The text up to the next unescaped `delim` (consumed); `\delim` stands
/// for the delimiter itself.
fn delimited(chars: &[char], i: &mut usize, delim: char) -> Option<String> {
    let mut out = String::new();
    while let Some(&c) = chars.get(*i) {
        *i += 1;
        if c == '\\' && chars.get(*i) == Some(&delim) {
            out.push(delim);
            *i += 1;
        } else if c == '\\' {
            out.push(c);
            out.push(*chars.get(*i)?);
            *i += 1;
        } else if c == delim {
            return Some(out);
        } else {
            out.push(c);
        }
    }
    None
}

fn regex(pattern: &str, extended: bool) -> Result<Regex, Parse> {
    let translated = if extended { ere_to_regex(pattern) } else { bre_to_regex(pattern) };
    Regex::new(&translated).map_err(|_| Parse::Unsupported)
}

fn substitute(chars: &[char], i: &mut usize, extended: bool) -> Result<Command, Parse> {
    *i += 1;
    let delim = *chars.get(*i).ok_or(Parse::Unterminated)?;
    *i += 1;
    let pattern = delimited(chars, i, delim).ok_or(Parse::Unterminated)?;
    let raw = delimited(chars, i, delim).ok_or(Parse::Unterminated)?;
    let (mut global, mut print) = (false, false);
    while let Some(&f) = chars.get(*i) {
        match f {
            'g' => global = true,
            'p' => print = true,
            ';' | '\n' | ' ' | '}' => break,
            _ => return Err(Parse::Unsupported),
        }
        *i += 1;
    }
    Ok(Command::Substitute {
        re: regex(&pattern, extended)?,
        replacement: replacement(&raw)?,
        global,
        print,
    })
}

/// sed's replacement in the `regex` crate's syntax: `&` the match, `\N`
/// a group, `\n` a newline, `\&` a literal ampersand.
fn replacement(raw: &str) -> Result<String, Parse> {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("${0}"),
            '$' => out.push_str("$$"),
            '\\' => match chars.next() {
                Some(d @ '0'..='9') => out.push_str(&format!("${{{d}}}")),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('&') => out.push('&'),
                Some('\\') => out.push('\\'),
                Some('$') => out.push_str("$$"),
                Some(other) if !other.is_alphanumeric() => out.push(other),
                _ => return Err(Parse::Unsupported),
            },
            c => out.push(c),
        }
    }
    Ok(out)
}

fn matches(address: &Address, line: &str, number: usize, last: bool) -> bool {
    match address {
        Address::Line(n) => number == *n,
        Address::Last => last,
        Address::Pattern(re) => re.is_match(line),
    }
}

/// The cycle: each line through the steps, printed at the end unless `-n`.
fn execute(steps: &[Step], stdin: &str, quiet: bool) -> String {
    let lines: Vec<&str> = stdin.lines().collect();
    let mut out = String::new();
    // Per step, whether its `N,M` range is open.
    let mut open = vec![false; steps.len()];
    'lines: for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        let last = number == lines.len();
        let mut space = (*line).to_owned();
        for (s, step) in steps.iter().enumerate() {
            let applies = match (&step.from, &step.to) {
                (None, _) => true,
                (Some(from), None) => matches(from, &space, number, last),
                (Some(from), Some(to)) => {
                    if open[s] {
                        let end = match to {
                            Address::Line(n) => number >= *n,
                            Address::Last => last,
                            Address::Pattern(_) => true,
                        };
                        open[s] = !end;
                        true
                    } else if matches(from, &space, number, last) {
                        // A range whose end is at or before its start is one line.
                        open[s] = match to {
                            Address::Line(n) => *n > number,
                            Address::Last => !last,
                            Address::Pattern(_) => false,
                        };
                        true
                    } else {
                        false
                    }
                }
            };
            if !applies {
                continue;
            }
            match &step.command {
                Command::Print => out.push_str(&format!("{space}\n")),
                Command::Delete => continue 'lines,
                Command::Quit => {
                    if !quiet {
                        out.push_str(&format!("{space}\n"));
                    }
                    return out;
                }
                Command::Substitute { re, replacement, global, print } => {
                    if re.is_match(&space) {
                        space = if *global {
                            re.replace_all(&space, replacement.as_str()).into_owned()
                        } else {
                            re.replace(&space, replacement.as_str()).into_owned()
                        };
                        if *print {
                            out.push_str(&format!("{space}\n"));
                        }
                    }
                }
            }
        }
        if !quiet {
            out.push_str(&format!("{space}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sed(args: &[&str], stdin: &str) -> String {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        run(&args, stdin).unwrap().0
    }

    const ABC: &str = "alpha\nbeta\ngamma\ndelta\n";

    #[test]
    fn addresses_select_lines_to_print_or_delete() {
        assert_eq!(sed(&["-n", "2p"], ABC), "beta\n");
        assert_eq!(sed(&["-n", "2,3p"], ABC), "beta\ngamma\n");
        assert_eq!(sed(&["-n", "$p"], ABC), "delta\n");
        assert_eq!(sed(&["-n", "/mm/p"], ABC), "gamma\n");
        assert_eq!(sed(&["1d"], ABC), "beta\ngamma\ndelta\n");
        assert_eq!(sed(&["3,$d"], ABC), "alpha\nbeta\n");
        assert_eq!(sed(&["/^b/d"], ABC), "alpha\ngamma\ndelta\n");
        assert_eq!(sed(&["2q"], ABC), "alpha\nbeta\n");
        // Without -n, `p` prints the line twice.
        assert_eq!(sed(&["1p"], "x\n"), "x\nx\n");
        // A range that ends before it starts is its first line only.
        assert_eq!(sed(&["-n", "3,1p"], ABC), "gamma\n");
    }

    #[test]
    fn substitutions_with_groups_flags_and_other_delimiters() {
        assert_eq!(sed(&["s/a/A/g"], "banana\n"), "bAnAnA\n");
        assert_eq!(sed(&["s|/usr|/opt|"], "/usr/bin\n"), "/opt/bin\n");
        assert_eq!(sed(&["-E", "s/([a-z]+)=([0-9]+)/\\2 \\1/"], "x=1\n"), "1 x\n");
        assert_eq!(sed(&["s/\\(.*\\)/[&]/"], "hi\n"), "[hi]\n");
        assert_eq!(sed(&["-n", "s/beta/BETA/p"], ABC), "BETA\n");
        assert_eq!(sed(&["s/^/> /;2d"], "a\nb\nc\n"), "> a\n> c\n");
        assert_eq!(sed(&["-e", "s/\\//_/g"], "a/b/c\n"), "a_b_c\n");
    }

    #[test]
    fn what_is_not_modelled_is_named() {
        let what = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
            run(&args, "").unwrap_err().0
        };
        assert_eq!(what(&["-i", "s/a/b/"]), "sed option -i");
        assert_eq!(what(&["y/ab/cd/"]), "sed script 'y/ab/cd/'");
        assert_eq!(what(&["/a/,/b/p"]), "sed script '/a/,/b/p'");
        assert_eq!(what(&["s/a/b/w out"]), "sed script 's/a/b/w out'");
    }
}
