//! Command blocks (` ```console `): prompts, continuations, here-documents,
//! comments, `? N` status lines and expected output.

use std::{sync::LazyLock, time::Duration};

use regex::Regex;

use super::{
    error::{ErrorCode, ParseError},
    front::parse_status,
    model::{Command, Expected, ExpectedStatus, MatchMode, SessionLine, Span, Step, StepKind},
    session::{SessionPrompt, ends_session, opens_session},
};

/// Per-block settings taken from the info string.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct BlockSettings {
    /// `prompt="..."`: replaces the default prompts for this block.
    pub(crate) prompt: Option<String>,
    /// `match=...`.
    pub(crate) mode: MatchMode,
    /// `skip="reason"`.
    pub(crate) skip: Option<String>,
    /// `timeout=DUR`.
    pub(crate) timeout: Option<Duration>,
    /// `session-prompt="..."`: the prompt of interactive sessions opened in
    /// this block (else recognised by shape, see [`super::session`]).
    pub(crate) session_prompt: Option<String>,
}

/// `[user@host dir]# ` / `[user@host dir]$ `.
static BRACKET_PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[[^\s@\]\[]+@([^\s\]\[]+)(?:\s[^\]\[]*)?\][#$]").expect("valid regex")
});

/// `user@host:dir$ ` / `user@host:dir# `.
static COLON_PROMPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\w.-]+@([\w.-]+):[^\s#$]*[#$](?:\s|$)").expect("valid regex"));

/// A prompt found at the start of a line.
struct Prompt<'a> {
    /// The host named by the prompt.
    host: Option<String>,
    /// The text after the prompt (leading blanks removed).
    rest: &'a str,
}

/// Recognises a prompt at the start of `line`.
///
/// A bare `# ` is never a default prompt: too many tutorials print
/// `# comments` in their output. A block that uses it declares it.
fn match_prompt<'a>(line: &'a str, custom: Option<&str>) -> Option<Prompt<'a>> {
    if let Some(custom) = custom {
        if let Some(rest) = line.strip_prefix(custom) {
            return Some(Prompt { host: None, rest: rest.trim_start() });
        }
        // The prompt's trailing blank is trimmed away on an empty command line.
        let bare = custom.trim_end();
        return (!bare.is_empty() && line.trim_end() == bare)
            .then_some(Prompt { host: None, rest: "" });
    }
    if let Some(rest) = line.strip_prefix("$ ") {
        return Some(Prompt { host: None, rest: rest.trim_start() });
    }
    if line.trim_end() == "$" {
        return Some(Prompt { host: None, rest: "" });
    }
    for re in [&*BRACKET_PROMPT, &*COLON_PROMPT] {
        if let Some(caps) = re.captures(line) {
            let whole = caps.get(0).map_or(0, |m| m.end());
            return Some(Prompt {
                host: caps.get(1).map(|m| m.as_str().to_string()),
                rest: line[whole..].trim_start(),
            });
        }
    }
    None
}

/// Whether any line of a block starts with a prompt (decides whether a
/// `sh`/`bash` block is a transcript or just a script shown as prose).
pub(crate) fn has_prompt(lines: &[&str], settings: &BlockSettings) -> bool {
    lines.iter().any(|line| match_prompt(line, settings.prompt.as_deref()).is_some())
}

/// Removes a trailing comment from a command line.
///
/// `#` starts a comment when it is outside quotes and at the start or after
/// whitespace (so `${#x}` and `a#b` stay). As a tutorial convention, `//`
/// after two or more blanks is also a comment: authors annotate commands
/// that way (`kubectl scale ... --replicas=5   //增加pod副本数`), and no
/// command line has a word starting with `//` after a double space.
pub(crate) fn strip_comment(line: &str) -> &str {
    let mut in_single = false;
    let mut in_double = false;
    let mut escaped = false;
    let mut seen_word = false;
    let mut blanks = 0usize;
    for (at, c) in line.char_indices() {
        if escaped {
            escaped = false;
            blanks = 0;
            seen_word = true;
            continue;
        }
        let outside = !in_single && !in_double;
        match c {
            '\\' if !in_single => escaped = true,
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '#' if outside && (blanks > 0 || !seen_word) => return line[..at].trim_end(),
            '/' if outside && seen_word && blanks >= 2 && line[at..].starts_with("//") => {
                return line[..at].trim_end();
            }
            _ => {}
        }
        if c.is_whitespace() {
            blanks += 1;
        } else {
            blanks = 0;
            seen_word = true;
        }
    }
    line.trim_end()
}

/// A here-document opened on a command line.
#[derive(Debug, PartialEq)]
struct Heredoc {
    /// The delimiter word, unquoted.
    delimiter: String,
    /// Byte offset of `<<` in the command (for error columns).
    at: usize,
}

/// Finds the here-documents (`<<EOF`, `<<'EOF'`, `<<"EOF"`, `<<-EOF`)
/// opened by a command, in order, ignoring quoted text and `<<<`.
fn heredocs(command: &str) -> Vec<Heredoc> {
    let bytes = command.as_bytes();
    let mut out = Vec::new();
    let mut in_single = false;
    let mut in_double = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if !in_single => i += 1,
            b'\'' if !in_double => in_single = !in_single,
            b'"' if !in_single => in_double = !in_double,
            b'<' if !in_single && !in_double && bytes[i..].starts_with(b"<<") => {
                let at = i;
                i += 2;
                if bytes.get(i) == Some(&b'<') {
                    // A here-string (`<<<`) has no body.
                    while bytes.get(i) == Some(&b'<') {
                        i += 1;
                    }
                    continue;
                }
                if bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
                while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
                    i += 1;
                }
                let quote = bytes.get(i).copied().filter(|b| *b == b'\'' || *b == b'"');
                if quote.is_some() {
                    i += 1;
                }
                let start = i;
                while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                    i += 1;
                }
                let word = &command[start..i];
                if let Some(q) = quote
                    && bytes.get(i) == Some(&q)
                {
                    i += 1;
                }
                if !word.is_empty() {
                    out.push(Heredoc { delimiter: word.to_string(), at });
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Parses the lines of one command block into `Run` steps.
///
/// `first_line` is the file line of `lines[0]`.
pub(crate) fn parse_block(
    path: &std::path::Path,
    lines: &[&str],
    first_line: usize,
    settings: &BlockSettings,
) -> Result<Vec<Step>, ParseError> {
    let prompt = settings.prompt.as_deref();
    let mut steps = Vec::new();
    let mut i = 0;
    // Whether output may follow here: false before the first command and
    // after a comment-only prompt line, where output would belong to nothing.
    let mut after_command = false;
    while i < lines.len() {
        let line = lines[i];
        let Some(found) = match_prompt(line, prompt) else {
            if !line.trim().is_empty() {
                let mut message = if steps.is_empty() && !after_command {
                    "expected output before any command (a command line starts with a prompt \
                     such as `$ ` or `[root@master ~]# `)"
                        .to_owned()
                } else {
                    "expected output after a prompt line without a command (only a comment, or \
                     an empty prompt): it belongs to no command"
                        .to_owned()
                };
                if let Some(guess) = super::prompt_guess::unusual_prompt(line) {
                    message = format!("{message}; {}", super::prompt_guess::suggestion(guess));
                }
                return Err(ParseError::new(
                    path,
                    Span { line: first_line + i, column: 1 },
                    ErrorCode::OutputWithoutCommand,
                    &message,
                ));
            }
            i += 1;
            continue;
        };
        let command_line = first_line + i;

        // Join `\` continuations into one logical line.
        let mut logical = found.rest.trim_end().to_string();
        while logical.ends_with('\\') && i + 1 < lines.len() {
            logical.pop();
            let kept = logical.trim_end().len();
            logical.truncate(kept);
            i += 1;
            logical.push(' ');
            logical.push_str(lines[i].trim());
        }
        i += 1;
        let command = strip_comment(&logical).to_string();
        if command.is_empty() {
            // `$ # text` alone is a no-op, not a step.
            after_command = false;
            continue;
        }

        // Here-document bodies belong to the command, verbatim.
        let mut full = command.clone();
        for doc in heredocs(&command) {
            let body_start = i;
            let end = (i..lines.len()).find(|&j| lines[j].trim() == doc.delimiter);
            let Some(end) = end else {
                return Err(ParseError::new(
                    path,
                    Span { line: command_line, column: line.len() - found.rest.len() + doc.at + 1 },
                    ErrorCode::UnterminatedHeredoc,
                    format!(
                        "here-document `{}` is never closed: no line `{}` before the end of \
                         the block",
                        doc.delimiter, doc.delimiter
                    ),
                ));
            };
            for body in &lines[body_start..=end] {
                full.push('\n');
                full.push_str(body);
            }
            i = end + 1;
        }

        // `? N` right after the command (blank lines tolerated).
        let mut status = ExpectedStatus::Success;
        let next = (i..lines.len()).find(|&j| !lines[j].trim().is_empty());
        if let Some(j) = next
            && let Some(value) = status_line(lines[j])
        {
            status = parse_status(value).ok_or_else(|| {
                let column = lines[j].find(value).unwrap_or(0) + 1;
                ParseError::new(
                    path,
                    Span { line: first_line + j, column },
                    ErrorCode::BadStatus,
                    format!(
                        "invalid expected status `{}`: write `? N` with N in 0-255, or `? failed`",
                        value.trim()
                    ),
                )
            })?;
            i = j + 1;
        }

        // Expected output: up to the next prompt or the block's end; for a
        // command opening an interactive session, up to its first prompt.
        let output_start = i;
        let mut session_prompt = None;
        while i < lines.len() && match_prompt(lines[i], prompt).is_none() {
            if opens_session(&command) {
                session_prompt =
                    SessionPrompt::detect(lines[i], settings.session_prompt.as_deref());
                if session_prompt.is_some() {
                    break;
                }
            }
            i += 1;
        }
        if i < lines.len() && session_prompt.is_none() && opens_session(&command) {
            // The session's prompt may look like a host prompt
            // (`root@web-5d8f:/# `): right after the command, it is the
            // session's — but a bare `$ ` stays the tutorial's own prompt.
            session_prompt = SessionPrompt::detect(lines[i], settings.session_prompt.as_deref())
                .filter(|p| !p.is_bare());
        }
        let expected = expected_output(&lines[output_start..i], first_line + output_start);
        let mut session = Vec::new();
        if let Some(sp) = session_prompt {
            while i < lines.len() {
                let Some(first) = sp.input(lines[i]) else { break };
                let at = i;
                i += 1;
                // A command continued at the shell's `> ` prompt (PS2).
                let mut input = first.to_owned();
                let mut shown = lines[at].trim_end().to_owned();
                while i < lines.len() && (lines[i].starts_with("> ") || lines[i].trim_end() == ">")
                {
                    input.push('\n');
                    input.push_str(lines[i].get(2..).unwrap_or("").trim_end());
                    shown.push('\n');
                    shown.push_str(lines[i].trim_end());
                    i += 1;
                }
                let last = ends_session(&input);
                while i < lines.len()
                    && match_prompt(lines[i], prompt).is_none()
                    && (last || sp.input(lines[i]).is_none())
                {
                    i += 1;
                }
                let output_at = at + 1 + input.matches('\n').count();
                session.push(SessionLine {
                    span: Span { line: first_line + at, column: 1 },
                    shown,
                    input,
                    expected: Expected {
                        mode: settings.mode,
                        ..expected_output(&lines[output_at..i], first_line + output_at)
                    },
                });
                if last {
                    break;
                }
            }
        }
        steps.push(Step {
            span: Span { line: command_line, column: 1 },
            kind: StepKind::Run(Command {
                host: found.host,
                line: full,
                expected: Expected { mode: settings.mode, ..expected },
                status,
                timeout: settings.timeout,
                skip: settings.skip.clone(),
                session,
            }),
        });
        after_command = true;
    }
    Ok(steps)
}

/// The value of a `? N` line, if `line` is one.
fn status_line(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix('?')?;
    // `?` must stand alone as a word: `?foo` is output, `?` alone is a bad status.
    if rest.is_empty() || rest.starts_with(char::is_whitespace) { Some(rest.trim()) } else { None }
}

/// Builds [`Expected`] from output lines starting at file line `first_line`:
/// leading and trailing blank lines dropped, trailing blanks trimmed,
/// common indentation removed, `\n` after each line.
pub(crate) fn expected_output(lines: &[&str], first_line: usize) -> Expected {
    let lead = lines.iter().take_while(|l| l.trim().is_empty()).count();
    let lines = &lines[lead..];
    let keep = lines.len() - lines.iter().rev().take_while(|l| l.trim().is_empty()).count();
    let lines: Vec<&str> = lines[..keep].iter().map(|l| l.trim_end()).collect();
    let indent = common_indent(&lines);
    let mut text = String::new();
    for line in &lines {
        text.push_str(line.get(indent.len()..).filter(|_| !line.is_empty()).unwrap_or(line));
        text.push('\n');
    }
    Expected { text, first_line: first_line + lead, mode: MatchMode::default() }
}

/// The leading whitespace all non-empty lines share.
fn common_indent<'a>(lines: &[&'a str]) -> &'a str {
    let mut common: Option<&str> = None;
    for line in lines.iter().filter(|l| !l.is_empty()) {
        let indent = &line[..line.len() - line.trim_start().len()];
        common = Some(match common {
            None => indent,
            Some(prev) => {
                let shared = prev
                    .char_indices()
                    .zip(indent.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(prev.len().min(indent.len()), |((at, _), _)| at);
                &prev[..shared]
            }
        });
    }
    common.unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, settings: &BlockSettings) -> Result<Vec<Step>, ParseError> {
        let lines: Vec<&str> = text.lines().collect();
        parse_block(std::path::Path::new("t.md"), &lines, 10, settings)
    }

    fn commands(text: &str) -> Vec<Command> {
        parse(text, &BlockSettings::default())
            .expect("parses")
            .into_iter()
            .map(|s| match s.kind {
                StepKind::Run(c) => c,
                other => panic!("not a command: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn prompts() {
        /// A line, and the host and command its prompt gives (`None`: no prompt).
        type Case<'a> = (&'a str, Option<(Option<&'a str>, &'a str)>);
        let cases: &[Case<'_>] = &[
            ("$ kubectl get pods", Some((None, "kubectl get pods"))),
            ("$", Some((None, ""))),
            ("[root@master ~]# kubectl  get pod", Some((Some("master"), "kubectl  get pod"))),
            ("[root@worker2 ~]$ kubeadm join", Some((Some("worker2"), "kubeadm join"))),
            ("[root@master /etc/kubernetes]#ls", Some((Some("master"), "ls"))),
            ("[root@master]# ls", Some((Some("master"), "ls"))),
            ("user@host:~/dir$ ls -l", Some((Some("host"), "ls -l"))),
            ("root@node-1:/tmp# id", Some((Some("node-1"), "id"))),
            ("# kubectl get pods", None),
            ("$kubectl", None),
            ("NAME   READY", None),
            ("[INFO] done", None),
            ("a@b: c", None),
        ];
        for (line, want) in cases {
            let got = match_prompt(line, None).map(|p| (p.host, p.rest));
            let want = want.map(|(h, r)| (h.map(String::from), r));
            assert_eq!(got, want, "{line:?}");
        }
        let custom = match_prompt("# kubectl get pods", Some("# ")).map(|p| p.rest);
        assert_eq!(custom, Some("kubectl get pods"));
        assert!(match_prompt("$ ls", Some("# ")).is_none(), "a declared prompt replaces defaults");
        assert_eq!(match_prompt("#", Some("# ")).map(|p| p.rest), Some(""));
    }

    #[test]
    fn comments() {
        let cases = [
            ("kubectl get pods # list", "kubectl get pods"),
            ("kubectl get pods", "kubectl get pods"),
            ("# just a note", ""),
            ("echo 'a # b'", "echo 'a # b'"),
            ("echo \"a # b\" # c", "echo \"a # b\""),
            ("echo a#b", "echo a#b"),
            ("echo ${#x}", "echo ${#x}"),
            ("echo \\# x", "echo \\# x"),
            (
                "kubectl scale deployment test-nginx --replicas=5   //增加pod副本数",
                "kubectl scale deployment test-nginx --replicas=5",
            ),
            (
                "kubectl taint node master node-role.kubernetes.io/master-   //将master作为调度节点使用",
                "kubectl taint node master node-role.kubernetes.io/master-",
            ),
            ("curl http://example.com", "curl http://example.com"),
            ("echo a //b", "echo a //b"),
            ("echo '  //x'", "echo '  //x'"),
            ("//x", "//x"),
        ];
        for (line, want) in cases {
            assert_eq!(strip_comment(line), want, "{line:?}");
        }
    }

    #[test]
    fn heredoc_detection() {
        let words = |c: &str| heredocs(c).into_iter().map(|h| h.delimiter).collect::<Vec<_>>();
        assert_eq!(words("cat <<EOF > x.yaml"), ["EOF"]);
        assert_eq!(words("cat <<'EOF' > x.yaml"), ["EOF"]);
        assert_eq!(words("cat << \"END\""), ["END"]);
        assert_eq!(words("cat <<-EOF | kubectl apply -f -"), ["EOF"]);
        assert_eq!(words("cat <<A <<B"), ["A", "B"]);
        assert!(words("grep x <<< \"$v\"").is_empty());
        assert!(words("echo '<<EOF'").is_empty());
    }

    #[test]
    fn command_and_output() {
        let cmds = commands(
            "[root@master ~]# kubectl  get pod\n\
             NAME                         READY   STATUS    RESTARTS       AGE\n\
             test-nginx-59ffd87f5-mqvjq   1/1     Running   0              58s   \n\
             \n\
             $ kubectl delete pod x\n",
        );
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[0].host.as_deref(), Some("master"));
        assert_eq!(cmds[0].line, "kubectl  get pod");
        assert_eq!(
            cmds[0].expected,
            Expected {
                text: "NAME                         READY   STATUS    RESTARTS       AGE\n\
                       test-nginx-59ffd87f5-mqvjq   1/1     Running   0              58s\n"
                    .into(),
                first_line: 11,
                mode: MatchMode::Exact,
            }
        );
        assert_eq!(cmds[1].host, None);
        assert_eq!(
            cmds[1].expected,
            Expected { text: String::new(), first_line: 15, ..Default::default() }
        );
    }

    #[test]
    fn blank_lines_between_command_and_output_are_tolerated() {
        let cmds = commands(
            "[root@master ~]# kubectl  create deployment  test-nginx  --image=nginx\n\
             \n\
             deployment.apps/test-nginx created\n\
             \n",
        );
        assert_eq!(cmds[0].expected.text, "deployment.apps/test-nginx created\n");
        assert_eq!(cmds[0].expected.first_line, 12);
    }

    #[test]
    fn dedent_and_inner_blank_lines() {
        let cmds = commands("$ cat x\n    a\n\n      b\n    c\n");
        assert_eq!(cmds[0].expected.text, "a\n\n  b\nc\n");
        let cmds = commands("$ cat x\n\ta\n  b\n");
        assert_eq!(cmds[0].expected.text, "\ta\n  b\n", "no shared indentation");
    }

    #[test]
    fn continuation_lines() {
        let cmds = commands(
            "$ kubectl run test \\\n    --image=nginx \\\n    --port=80  # a comment\npod/test created\n",
        );
        assert_eq!(cmds[0].line, "kubectl run test --image=nginx --port=80");
        assert_eq!(cmds[0].expected.text, "pod/test created\n");
        assert_eq!(cmds[0].expected.first_line, 13);
    }

    #[test]
    fn heredoc_bodies_belong_to_the_command() {
        let cmds = commands(
            "$ cat <<EOF > pod.yaml  # write it\n\
             apiVersion: v1\n\
             $ not a prompt inside the body\n\
             EOF\n\
             $ cat <<-'END' | wc -l\n\
             \tx\n\
             \tEND\n\
             1\n",
        );
        assert_eq!(cmds.len(), 2);
        assert_eq!(
            cmds[0].line,
            "cat <<EOF > pod.yaml\napiVersion: v1\n$ not a prompt inside the body\nEOF"
        );
        assert_eq!(cmds[0].expected.text, "");
        assert_eq!(cmds[1].line, "cat <<-'END' | wc -l\n\tx\n\tEND");
        assert_eq!(cmds[1].expected.text, "1\n");
        assert_eq!(cmds[1].expected.first_line, 17);
    }

    #[test]
    fn unterminated_heredoc_is_an_error() {
        let err = parse("$ cat <<EOF > x\nabc\n", &BlockSettings::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::UnterminatedHeredoc);
        assert_eq!((err.line, err.column), (10, 7));
    }

    #[test]
    fn comment_only_prompt_is_a_no_op() {
        let cmds = commands("$ # first, look\n$ kubectl get ns # all\nNAME\n");
        assert_eq!(cmds.len(), 1);
        assert_eq!(cmds[0].line, "kubectl get ns");
        let err = parse("$ # note\noutput\n", &BlockSettings::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::OutputWithoutCommand);
        assert_eq!(err.line, 11);
    }

    #[test]
    fn status_lines() {
        let cmds = commands(
            "$ kubectl get pod nope\n? 1\nError from server (NotFound): pods \"nope\" not found\n\
             $ false\n\n? failed\n$ true\n? 0\n",
        );
        assert_eq!(cmds[0].status, ExpectedStatus::Code(1));
        assert_eq!(cmds[0].expected.first_line, 12);
        assert_eq!(
            cmds[0].expected.text,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
        assert_eq!(cmds[1].status, ExpectedStatus::Failed);
        assert_eq!(cmds[1].expected, Expected { first_line: 16, ..Default::default() });
        assert_eq!(cmds[2].status, ExpectedStatus::Success);
        for bad in ["? x", "? 256", "? -1", "?"] {
            let err = parse(&format!("$ ls\n{bad}\n"), &BlockSettings::default()).unwrap_err();
            assert_eq!(err.code, ErrorCode::BadStatus, "{bad}");
            assert_eq!(err.line, 11);
        }
        // A `?` later in the output is output.
        let cmds = commands("$ ls\na\n? 1\n");
        assert_eq!(cmds[0].expected.text, "a\n? 1\n");
    }

    #[test]
    fn output_before_any_command() {
        let err = parse("\nNAME   READY\n$ ls\n", &BlockSettings::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::OutputWithoutCommand);
        assert_eq!((err.line, err.column), (11, 1));
    }

    #[test]
    fn interactive_session_lines() {
        let cmds = commands(
            "$ kubectl run -it --rm t --image=busybox --restart=Never -- sh\n\
             If you don't see a command prompt, try pressing enter.\n\
             / # hostname\n\
             t\n\
             / # \n\
             / # cd /tmp\n\
             /tmp # exit\n\
             pod \"t\" deleted\n\
             $ kubectl get pods\n\
             No resources found in default namespace.\n",
        );
        assert_eq!(cmds.len(), 2);
        let s = &cmds[0].session;
        assert_eq!(
            cmds[0].expected.text,
            "If you don't see a command prompt, try pressing enter.\n"
        );
        let inputs: Vec<&str> = s.iter().map(|l| l.input.as_str()).collect();
        assert_eq!(inputs, ["hostname", "", "cd /tmp", "exit"]);
        assert_eq!(s[0].span.line, 12);
        assert_eq!(s[0].shown, "/ # hostname");
        assert_eq!((s[0].expected.text.as_str(), s[0].expected.first_line), ("t\n", 13));
        assert_eq!(s[1].expected.text, "");
        assert_eq!(s[3].expected.text, "pod \"t\" deleted\n", "exit owns kubectl's closing lines");
        assert_eq!(cmds[1].line, "kubectl get pods");
        assert!(cmds[1].session.is_empty());
    }

    #[test]
    fn session_continuation_lines() {
        let cmds = commands(
            "$ kubectl exec -it box -- sh\n/ # for i in 1 2; do\n> echo $i\n> done\n1\n2\n/ # exit\n",
        );
        let s = &cmds[0].session;
        assert_eq!(s[0].input, "for i in 1 2; do\necho $i\ndone");
        assert_eq!(s[0].shown, "/ # for i in 1 2; do\n> echo $i\n> done");
        assert_eq!((s[0].expected.text.as_str(), s[0].expected.first_line), ("1\n2\n", 14));
        assert_eq!(s[1].input, "exit");
    }

    #[test]
    fn session_prompts_that_look_like_host_prompts() {
        // Debian bash's prompt has the host prompt's shape; right after a
        // session opener it is the session's, until `exit`.
        let cmds = commands(
            "$ kubectl exec -it web -- bash\n\
             root@web:/# ls\n\
             index.html\n\
             root@web:/# exit\n\
             exit\n\
             root@node-1:/tmp# kubectl get pods\n",
        );
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[0].session.len(), 2);
        assert_eq!(cmds[0].session[1].expected.text, "exit\n");
        assert_eq!(cmds[1].host.as_deref(), Some("node-1"));
        // Without `exit`, a prompt of another shape ends the session.
        let cmds =
            commands("$ kubectl exec -it web -- sh\n/ # id\nuid=0(root)\n$ kubectl get pods\n");
        assert_eq!((cmds.len(), cmds[0].session.len()), (2, 1));
        // Not a session: the program is not a shell reading its input.
        let cmds = commands("$ kubectl exec -it web -- ls /\nbin   dev\n$ kubectl get pods\n");
        assert!(cmds[0].session.is_empty());
    }

    #[test]
    fn declared_session_prompt() {
        let settings = BlockSettings {
            session_prompt: Some("app-shell> ".into()),
            ..BlockSettings::default()
        };
        let steps = parse(
            "$ kubectl exec -it app -- sh\napp-shell> echo hi\nhi\napp-shell> exit\n",
            &settings,
        )
        .expect("parses");
        let StepKind::Run(cmd) = &steps[0].kind else { panic!() };
        let inputs: Vec<&str> = cmd.session.iter().map(|l| l.input.as_str()).collect();
        assert_eq!(inputs, ["echo hi", "exit"]);
    }

    #[test]
    fn declared_prompt_and_block_settings() {
        let settings = BlockSettings {
            prompt: Some("# ".into()),
            mode: MatchMode::Subset,
            skip: Some("needs a cloud LB".into()),
            timeout: Some(Duration::from_secs(30)),
            session_prompt: None,
        };
        let steps = parse("# kubectl get svc\nNAME\n$ x\n", &settings).expect("parses");
        assert_eq!(steps.len(), 1);
        let StepKind::Run(cmd) = &steps[0].kind else { panic!() };
        assert_eq!(cmd.line, "kubectl get svc");
        assert_eq!(cmd.expected.text, "NAME\n$ x\n");
        assert_eq!(cmd.expected.mode, MatchMode::Subset);
        assert_eq!(cmd.skip.as_deref(), Some("needs a cloud LB"));
        assert_eq!(cmd.timeout, Some(Duration::from_secs(30)));
    }
}
