//! `watch [-n SECS] [-d] [-t] [-w] [-x] [-p] [-b] CMD…` as procps-ng 4.0
//! shows it (`src/watch.c`): the command reruns every interval and its
//! output is redrawn on a full screen under a header line.
//!
//! What a tutorial transcript shows of it is one screen, copied while it
//! ran: on Ctrl-C watch leaves the terminal's alternate screen (`endwin`),
//! so nothing of it stays in the scrollback, and it exits with status 0
//! (`die` on SIGINT). kubeplay therefore reports the *last* screen as the
//! step's output, without a `^C`.
//!
//! The screen is the reader's terminal ([`Terminal`], 80×24 unless the
//! scenario says otherwise): the header is laid out for its width as
//! `output_header` does, long output lines wrap (or, with `-w`, are cut)
//! at the width, and rows past the screen's height are not shown.
//! `-d` only highlights changes (reverse video), which a copied transcript
//! does not carry, and `-b` only beeps; both change no text.

use k8s_openapi::jiff::{Timestamp, tz::TimeZone};
use unicode_width::UnicodeWidthChar;

/// The reader's terminal, in character cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    /// Columns (`COLUMNS`).
    pub columns: usize,
    /// Rows (`LINES`).
    pub rows: usize,
}

impl Default for Terminal {
    /// The classic 80×24, the size of a new terminal window on most
    /// systems and the one `watch` falls back to without a terminal.
    fn default() -> Self {
        Terminal { columns: 80, rows: 24 }
    }
}

/// A `watch` invocation, parsed as procps-ng's `getopt_long` with
/// `+bcd::eghq:n:ptwx` reads it: options end at the first word that is
/// not one (the command's own flags are the command's).
#[derive(Debug, Clone, PartialEq)]
pub struct Watch {
    /// Seconds between runs (`-n`; at least 0.1, default 2).
    pub interval: f64,
    /// `-t`: no header (and no blank line under it).
    pub no_title: bool,
    /// `-w`: long lines are cut rather than wrapped.
    pub no_wrap: bool,
    /// `-x`: the words are run as they are, not joined for `sh -c`.
    pub exec: bool,
    /// `-p`: runs start every interval, rather than an interval after
    /// the previous run ended.
    pub precise: bool,
    /// The command's words.
    pub command: Vec<String>,
}

/// Why `watch` does not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchError {
    /// What real watch prints on stderr, and its exit status.
    Usage(String, i32),
    /// An option kubeplay does not emulate, named.
    Unsupported(String),
}

/// The usage text procps-ng 4.0.2 prints on a bad option or no command.
const USAGE: &str = "
Usage:
 watch [options] command

Options:
  -b, --beep             beep if command has a non-zero exit
  -c, --color            interpret ANSI color and style sequences
  -d, --differences[=<permanent>]
                         highlight changes between updates
  -e, --errexit          exit if command has a non-zero exit
  -g, --chgexit          exit when output from command changes
  -q, --equexit <cycles>
                         exit when output from command does not change
  -n, --interval <secs>  seconds to wait between updates
  -p, --precise          attempt run command in precise intervals
  -t, --no-title         turn off header
  -w, --no-wrap          turn off line wrapping
  -x, --exec             pass command to exec instead of \"sh -c\"

 -h, --help     display this help and exit
 -v, --version  output version information and exit

For more details see watch(1).
";

/// The options procps-ng has that change what the reader sees or when
/// watch ends in ways kubeplay does not model: `-c` (interprets colour
/// sequences), `-e` (stops and waits for a key), `-g`/`-q` (exit on a
/// change or its absence), `-h`/`-v` (print help or a version).
fn unmodelled(long: &str) -> WatchError {
    WatchError::Unsupported(format!("watch option --{long}"))
}

impl Watch {
    /// Parses `watch`'s arguments (without `watch` itself).
    pub fn parse(args: &[String]) -> Result<Watch, WatchError> {
        let mut watch = Watch {
            interval: 2.0,
            no_title: false,
            no_wrap: false,
            exec: false,
            precise: false,
            command: Vec::new(),
        };
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            if arg == "--" {
                break;
            }
            if let Some(long) = arg.strip_prefix("--") {
                let (name, value) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_owned())),
                    None => (long, None),
                };
                match name {
                    "interval" => {
                        let value = match value {
                            Some(v) => v,
                            None if i < args.len() => {
                                i += 1;
                                args[i - 1].clone()
                            }
                            None => {
                                return Err(usage(
                                    "watch: option '--interval' requires an argument\n".to_owned(),
                                ));
                            }
                        };
                        watch.interval = interval(&value)?;
                    }
                    "no-title" => watch.no_title = true,
                    "no-wrap" => watch.no_wrap = true,
                    "exec" => watch.exec = true,
                    "precise" => watch.precise = true,
                    "differences" | "beep" => {}
                    "color" | "errexit" | "chgexit" | "equexit" | "help" | "version" => {
                        return Err(unmodelled(name));
                    }
                    _ => return Err(usage(format!("watch: unrecognized option '{arg}'\n"))),
                }
                continue;
            }
            let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) else {
                i -= 1;
                break;
            };
            for (at, c) in cluster.char_indices() {
                match c {
                    't' => watch.no_title = true,
                    'w' => watch.no_wrap = true,
                    'x' => watch.exec = true,
                    'p' => watch.precise = true,
                    'b' => {}
                    // `d::`: the rest of the cluster is -d's optional
                    // argument (`-dt` is `--differences=t`, not `-d -t`).
                    'd' => break,
                    'n' => {
                        let rest = &cluster[at + 1..];
                        let value = if !rest.is_empty() {
                            rest.to_owned()
                        } else if i < args.len() {
                            i += 1;
                            args[i - 1].clone()
                        } else {
                            return Err(usage(
                                "watch: option requires an argument -- 'n'\n".to_owned(),
                            ));
                        };
                        watch.interval = interval(&value)?;
                        break;
                    }
                    'c' => return Err(unmodelled("color")),
                    'e' => return Err(unmodelled("errexit")),
                    'g' => return Err(unmodelled("chgexit")),
                    'q' => return Err(unmodelled("equexit")),
                    'h' => return Err(unmodelled("help")),
                    'v' => return Err(unmodelled("version")),
                    other => {
                        return Err(usage(format!("watch: invalid option -- '{other}'\n")));
                    }
                }
            }
        }
        watch.command = args[i..].to_vec();
        if watch.command.is_empty() {
            return Err(WatchError::Usage(USAGE.trim_start().to_owned(), 1));
        }
        Ok(watch)
    }

    /// The command as the header shows it: the words joined by spaces.
    pub fn command_text(&self) -> String {
        self.command.join(" ")
    }
}

/// A usage error: the message, then the usage text.
fn usage(message: String) -> WatchError {
    WatchError::Usage(format!("{message}{USAGE}"), 1)
}

/// `-n`'s value as `strtod_nol_or_err` reads it, clamped to watch's
/// 0.1 s minimum.
fn interval(value: &str) -> Result<f64, WatchError> {
    match value.trim_start().parse::<f64>() {
        Ok(secs) if secs.is_finite() => Ok(secs.max(0.1)),
        _ => Err(WatchError::Usage(
            format!("watch: failed to parse argument: '{value}': Invalid argument\n"),
            1,
        )),
    }
}

/// Terminal cells a text takes.
fn cells(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// The header line (`output_header`): `Every N.Ns: CMD` on the left,
/// `HOST: DATE` (`ctime`) on the right edge, the command cut with `...`
/// where both do not fit.
pub fn header(interval: f64, command: &str, host: &str, now: Timestamp, width: usize) -> String {
    let left = format!("Every {interval:.1}s: ");
    let date = now.to_zoned(TimeZone::UTC).strftime("%a %b %e %H:%M:%S %Y").to_string();
    let right = format!("{host}: {date}");
    let (hlen, rlen) = (cells(&left), cells(&right));
    // `rhlen` in watch.c counts ctime's trailing newline.
    let rhlen = rlen + 1;
    let mut line: Vec<char> = vec![' '; width];
    let mut put = |at: usize, text: &str| {
        for (i, c) in text.chars().enumerate() {
            if let Some(cell) = line.get_mut(at + i) {
                *cell = c;
            }
        }
    };
    if width < rhlen {
        return String::new();
    }
    if rhlen + hlen < width {
        put(0, &left);
        if rhlen + hlen + 2 <= width {
            if width < rhlen + hlen + 4 {
                put(width - rhlen - 4, "... ");
            } else if width < rhlen + hlen + cells(command) {
                let available = width - rhlen - hlen;
                let mut shown = String::new();
                for c in command.chars() {
                    if cells(&shown) + c.width().unwrap_or(0) + 4 > available {
                        break;
                    }
                    shown.push(c);
                }
                put(hlen, &shown);
                put(width - rhlen - 4, "... ");
            } else {
                put(hlen, command);
            }
        }
    }
    put(width - rlen, &right);
    line.into_iter().collect::<String>().trim_end().to_owned()
}

/// One screen: the header and a blank line (unless `-t`), then as many
/// rows of `output` as fit, tabs expanded to 8 columns, long lines wrapped
/// (or cut with `-w`) at the terminal's width.
pub fn screen(header: Option<&str>, output: &str, terminal: Terminal, wrap: bool) -> String {
    let mut rows: Vec<String> = Vec::new();
    if let Some(header) = header {
        rows.push(header.to_owned());
        rows.push(String::new());
    }
    let width = terminal.columns.max(1);
    'lines: for line in output.lines() {
        let mut row = String::new();
        let mut used = 0;
        for c in line.chars() {
            let (text, w) = match c {
                '\t' => (" ".repeat(8 - used % 8), 8 - used % 8),
                c => (c.to_string(), c.width().unwrap_or(0)),
            };
            if used + w > width {
                if !wrap {
                    break;
                }
                if rows.len() >= terminal.rows {
                    break 'lines;
                }
                rows.push(std::mem::take(&mut row));
                used = 0;
            }
            row.push_str(&text);
            used += w;
        }
        if rows.len() >= terminal.rows {
            break;
        }
        rows.push(row);
    }
    rows.truncate(terminal.rows);
    let mut text = String::new();
    for row in rows {
        text.push_str(row.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    fn at() -> Timestamp {
        "2026-12-07T03:32:01Z".parse().unwrap()
    }

    #[test]
    fn options_end_at_the_command() {
        let w = Watch::parse(&args("-n 1 kubectl get pods -n kube-system -w")).unwrap();
        assert_eq!(w.interval, 1.0);
        assert_eq!(w.command_text(), "kubectl get pods -n kube-system -w");
        let w = Watch::parse(&args("-tn0.5 -d --no-wrap kubectl get pods")).unwrap();
        assert!(w.no_title && w.no_wrap);
        assert_eq!(w.interval, 0.5);
        let w = Watch::parse(&args("--interval=5 -x -- kubectl get pods")).unwrap();
        assert!(w.exec);
        assert_eq!((w.interval, w.command_text().as_str()), (5.0, "kubectl get pods"));
        // `-d`'s optional argument swallows the rest of its cluster.
        let w = Watch::parse(&args("-dt kubectl get pods")).unwrap();
        assert!(!w.no_title);
        assert_eq!(Watch::parse(&args("-n 0 true")).unwrap().interval, 0.1);
    }

    #[test]
    fn usage_errors_are_procps_texts() {
        let Err(WatchError::Usage(text, 1)) = Watch::parse(&args("-n x ls")) else { panic!() };
        assert_eq!(text, "watch: failed to parse argument: 'x': Invalid argument\n");
        let Err(WatchError::Usage(text, 1)) = Watch::parse(&args("-z ls")) else { panic!() };
        assert!(text.starts_with("watch: invalid option -- 'z'\n\nUsage:\n watch [options]"));
        let Err(WatchError::Usage(text, 1)) = Watch::parse(&[]) else { panic!() };
        assert!(text.starts_with("Usage:\n watch [options] command\n"));
        let Err(WatchError::Usage(text, 1)) = Watch::parse(&args("--foo ls")) else { panic!() };
        assert!(text.starts_with("watch: unrecognized option '--foo'\n"));
    }

    #[test]
    fn unmodelled_options_are_named() {
        for (line, what) in [
            ("-g ls", "watch option --chgexit"),
            ("-e ls", "watch option --errexit"),
            ("--color ls", "watch option --color"),
            ("-q 3 ls", "watch option --equexit"),
        ] {
            assert_eq!(Watch::parse(&args(line)), Err(WatchError::Unsupported(what.into())));
        }
    }

    /// Screens of procps-ng 4.0.2's watch in an 80×24 tmux pane on a
    /// machine named `vm` (`tmux capture-pane -p`).
    #[test]
    fn header_as_procps_lays_it_out() {
        assert_eq!(
            header(1.0, "echo hello world", "vm", at(), 80),
            "Every 1.0s: echo hello world                        vm: Mon Dec  7 03:32:01 2026"
        );
        let long = format!("echo {}", "y".repeat(45));
        assert_eq!(
            header(1.0, &long, "vm", at(), 80),
            format!("Every 1.0s: echo {}...  vm: Mon Dec  7 03:32:01 2026", "y".repeat(30))
        );
        assert_eq!(
            header(2.0, "echo hi", "vm", at(), 40),
            "            vm: Mon Dec  7 03:32:01 2026"
        );
        assert_eq!(header(2.0, "echo hi", "a-very-long-host-name-indeed", at(), 40), "");
    }

    #[test]
    fn output_wraps_or_is_cut_at_the_width_and_the_height() {
        let t = Terminal::default();
        let long = format!("{}\n", "z".repeat(100));
        assert_eq!(
            screen(Some("H"), &long, t, true),
            format!("H\n\n{}\n{}\n", "z".repeat(80), "z".repeat(20))
        );
        assert_eq!(screen(None, &long, t, false), format!("{}\n", "z".repeat(80)));
        assert_eq!(screen(None, "a\tb\n", t, true), "a       b\n");
        let many: String = (0..30).map(|i| format!("{i}\n")).collect();
        let shown = screen(Some("H"), &many, t, true);
        assert_eq!(shown.lines().count(), 24);
        assert!(shown.ends_with("\n21\n"), "{shown}");
    }
}
