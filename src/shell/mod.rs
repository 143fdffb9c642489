//! The tutorial shell: runs a scenario's command lines identically on every
//! backend. It parses lists and pipelines ([`parse`]), runs text tools and
//! file commands in-process over the scenario's [`Workspace`] ([`builtins`]),
//! and hands every other program (`kubectl`, `kubeadm`, `systemctl`, ...) to
//! the [`Backend`]. Never `/bin/sh`: a tutorial cannot touch the machine.

/// The text filters, shared with the simulator's container shell.
pub use crate::textutil as builtins;
pub mod jobs;
pub mod parse;

use std::{collections::BTreeMap, time::Duration};

use crate::{
    backend::{Backend, BackendError, Invocation},
    output::{CommandOutput, Stream},
    workspace::Workspace,
};

pub use parse::SyntaxError;
use parse::{Connector, Part, Redirect, SimpleCommand, Word};

/// Why a command line could not be run at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellError {
    /// The line does not parse, or uses an unsupported construct.
    #[error("{0}")]
    Syntax(#[from] SyntaxError),
    /// The backend itself failed.
    #[error("{0}")]
    Backend(#[from] BackendError),
    /// A command, option or behaviour kubeplay cannot emulate, named.
    #[error("unsupported: {0}")]
    Unsupported(String),
}

impl ShellError {
    /// What kubeplay could not emulate, when that is why the line failed
    /// (a shell construct, a command, or something a backend reported).
    pub fn unsupported(&self) -> Option<String> {
        match self {
            ShellError::Unsupported(what) => Some(what.clone()),
            ShellError::Syntax(SyntaxError::Unsupported(what)) => {
                Some(format!("shell construct `{what}`"))
            }
            _ => None,
        }
    }
}

/// Shell state that persists across a scenario's steps: variables and the
/// workspace (files and current directory).
#[derive(Debug, Clone, Default)]
pub struct Shell {
    vars: BTreeMap<String, String>,
    /// The scenario's files.
    pub workspace: Workspace,
    /// Background jobs (`CMD &`).
    jobs: jobs::Jobs,
}

/// A command after expansion.
#[derive(Debug)]
struct Expanded {
    assignments: Vec<(String, String)>,
    argv: Vec<String>,
    redirects: Vec<Target>,
}

/// A redirection after expansion.
#[derive(Debug)]
enum Target {
    StdoutTo(String),
    StdoutAppend(String),
    StderrTo(String),
    StderrToStdout,
    StdinFrom(String),
    Heredoc(String),
}

/// Builtins that only read state (safe to re-run for "eventually" checks).
const READ_ONLY_BUILTINS: &[&str] = &["echo", "cat", "ls", "pwd", "true", "false", ":"];

impl Shell {
    /// Runs one command line on `host`, returning what a terminal would show.
    pub fn run(
        &mut self,
        line: &str,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let mut out = self.run_list(line, host, backend)?;
        // Job notices come when the command ends, before the next prompt.
        out.write(Stream::Stderr, self.jobs.take_notices());
        Ok(out)
    }

    /// Runs a command list (a whole line, or the inside of `$(…)`).
    fn run_list(
        &mut self,
        line: &str,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        self.vars.entry("?".to_owned()).or_insert_with(|| "0".to_owned());
        let list = parse::parse(line)?;
        let mut out = CommandOutput::default();
        let mut status = 0;
        for (index, (connector, pipeline)) in list.items.into_iter().enumerate() {
            let run = match connector {
                Connector::Always => true,
                Connector::And => status == 0,
                Connector::Or => status != 0,
            };
            if !run {
                continue;
            }
            let result = if list.background.contains(&index) {
                self.run_background(&pipeline, host, backend)?
            } else {
                self.run_pipeline(&pipeline, host, backend)?
            };
            status = result.status;
            out.chunks.extend(result.chunks);
            self.vars.insert("?".to_owned(), status.to_string());
        }
        out.status = status;
        Ok(out)
    }

    /// Whether `line` runs a command that blocks while it watches the
    /// cluster (`kubectl rollout status`), printing as it goes.
    pub fn is_blocking(&self, line: &str, backend: &dyn Backend) -> bool {
        let Ok(list) = parse::parse(line) else { return false };
        list.items.iter().flat_map(|(_, p)| p.iter()).any(|cmd| {
            let argv: Vec<String> =
                cmd.words.iter().map(|w| w.as_literal().unwrap_or_default()).collect();
            !argv.is_empty() && backend.is_blocking(&argv)
        })
    }

    /// Whether re-running `line` can only observe state: every program in it
    /// (including inside `$(…)`) is read-only and nothing is written or
    /// assigned.
    pub fn is_read_only(&self, line: &str, backend: &dyn Backend) -> bool {
        let Ok(list) = parse::parse(line) else { return false };
        list.items.iter().flat_map(|(_, p)| p.iter()).all(|cmd| {
            let substitutions_read_only =
                cmd.words.iter().flat_map(|w| w.0.iter()).all(|part| match part {
                    Part::Subst { command, .. } => self.is_read_only(command, backend),
                    _ => true,
                });
            let writes = cmd
                .redirects
                .iter()
                .any(|r| matches!(r, Redirect::StdoutTo(_) | Redirect::StdoutAppend(_)));
            let program_read_only = match cmd.words.first().map(Word::as_literal) {
                None => true,
                Some(None) => false,
                Some(Some(name))
                    if builtins::is_text_tool(&name)
                        || READ_ONLY_BUILTINS.contains(&name.as_str()) =>
                {
                    true
                }
                Some(Some(name)) if is_builtin(&name) => false,
                Some(Some(_)) => {
                    let argv: Vec<String> =
                        cmd.words.iter().map(|w| w.as_literal().unwrap_or_default()).collect();
                    backend.is_read_only(&argv)
                }
            };
            cmd.assignments.is_empty() && !writes && substitutions_read_only && program_read_only
        })
    }

    /// Expands one word: variables, `$(…)` (run now, trailing newlines
    /// dropped), and field splitting of unquoted expansions.
    fn expand_word(
        &mut self,
        word: &Word,
        split: bool,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<Vec<String>, ShellError> {
        let mut fields: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut has_text = false;
        for part in &word.0 {
            let (value, quoted) = match part {
                Part::Lit(text) => {
                    current.push_str(text);
                    has_text = true;
                    continue;
                }
                Part::Var { name, quoted } => {
                    (self.vars.get(name).cloned().unwrap_or_default(), *quoted)
                }
                Part::Subst { command, quoted } => {
                    let out = self.run_list(command, host, backend)?;
                    // stderr of the inner command still reaches the terminal in a
                    // real shell; here it is dropped with the substitution.
                    (out.stream(Stream::Stdout).trim_end_matches('\n').to_owned(), *quoted)
                }
            };
            if quoted || !split {
                current.push_str(&value);
                has_text = true;
                continue;
            }
            let mut pieces = value.split_whitespace();
            if let Some(first) = pieces.next() {
                if value.starts_with(char::is_whitespace) && has_text {
                    fields.push(std::mem::take(&mut current));
                }
                current.push_str(first);
                has_text = true;
                for piece in pieces {
                    fields.push(std::mem::take(&mut current));
                    current.push_str(piece);
                }
            }
        }
        if has_text {
            fields.push(current);
        }
        Ok(fields)
    }

    /// Expands a word that must stay one string (redirect targets, here-documents, assignments).
    fn expand_one(
        &mut self,
        word: &Word,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<String, ShellError> {
        Ok(self.expand_word(word, false, host, backend)?.join(" "))
    }

    fn run_pipeline(
        &mut self,
        pipeline: &[SimpleCommand],
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let mut terminal = CommandOutput::default();
        let mut stdin: Option<String> = None;
        let mut status = 0;
        for (i, cmd) in pipeline.iter().enumerate() {
            let last = i + 1 == pipeline.len();
            let cmd = self.expand(cmd, host, backend)?;
            let result = match self.stdin_for(&cmd, stdin.take()) {
                Ok(input) => self.run_simple(&cmd, input.as_deref(), host, backend)?,
                Err(message) => CommandOutput::failure(message, 1),
            };
            // What background jobs printed while this command ran goes
            // straight to the terminal (a port-forward's `Handling
            // connection for 8080` comes before the reply it forwards).
            self.job_output(&mut terminal, backend);
            status = result.status;
            if last && cmd.redirects.is_empty() {
                // Nothing redirected: the terminal shows both streams in
                // the order the program wrote them.
                terminal.chunks.extend(result.chunks);
                continue;
            }
            let (stdout, stderr) = self.route(&cmd, &result);
            if !stderr.is_empty() {
                terminal.write(Stream::Stderr, stderr);
            }
            if last {
                terminal.write(Stream::Stdout, stdout);
            } else {
                stdin = Some(stdout);
            }
        }
        terminal.status = status;
        Ok(terminal)
    }

    /// Writes what background jobs printed to the terminal, unless a job's
    /// output was redirected away.
    fn job_output(&self, terminal: &mut CommandOutput, backend: &mut dyn Backend) {
        for (job, text) in backend.job_output() {
            if !self.jobs.is_silent(job) {
                terminal.write(Stream::Stdout, text);
            }
        }
    }

    /// `CMD &`: starts one external command as a background job, printing
    /// `[N] PID` as an interactive bash does, then what it prints at once.
    fn run_background(
        &mut self,
        pipeline: &[SimpleCommand],
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let [simple] = pipeline else {
            return Err(
                SyntaxError::Unsupported("a pipeline run in the background (`&`)".into()).into()
            );
        };
        let text = job_text(simple);
        let cmd = self.expand(simple, host, backend)?;
        let Some(name) = cmd.argv.first() else {
            return Err(SyntaxError::Unsupported(format!("`{text} &`")).into());
        };
        if builtins::is_text_tool(name) || is_builtin(name) {
            return Err(SyntaxError::Unsupported(format!(
                "the shell builtin `{name}` run in the background (`&`)"
            ))
            .into());
        }
        let number = self.jobs.next_number();
        let stdin = self.stdin_for(&cmd, None).ok().flatten();
        let spawned = backend.spawn_job(
            Invocation { argv: &cmd.argv, host, stdin: stdin.as_deref() },
            &self.workspace,
            number,
        )?;
        let mut terminal = CommandOutput::default();
        if spawned.pid == 0 {
            // The backend cannot run it in the background: its message.
            return Ok(spawned.output);
        }
        terminal.write(Stream::Stderr, format!("[{number}] {}\n", spawned.pid));
        let (stdout, stderr) = self.route(&cmd, &spawned.output);
        terminal.write(Stream::Stderr, stderr);
        terminal.write(Stream::Stdout, stdout);
        let silent =
            cmd.redirects.iter().any(|r| matches!(r, Target::StdoutTo(p) if p == "/dev/null"));
        self.jobs.start(number, spawned.pid, text, spawned.running, silent);
        // A background job does not set `$?` for what it does later.
        terminal.status = 0;
        Ok(terminal)
    }

    /// `kill [-SIGNAL] %N|PID`: stops a background job.
    fn kill(&mut self, args: &[String], backend: &mut dyn Backend) -> CommandOutput {
        let (signal, targets) = match args.first() {
            Some(a) if a.starts_with('-') && !a.starts_with("-%") => (Some(a.as_str()), &args[1..]),
            _ => (None, args),
        };
        if targets.is_empty() {
            return CommandOutput::failure(
                "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n",
                2,
            );
        }
        let Some(status) = jobs::signal_status(signal) else {
            return CommandOutput::failure(
                format!("kubeplay: kill {} is not supported\n", signal.unwrap_or_default()),
                2,
            );
        };
        let mut out = CommandOutput::default();
        for spec in targets {
            let Some(target) = jobs::kill_target(spec) else {
                out.write(
                    Stream::Stderr,
                    format!("bash: kill: {spec}: arguments must be process or job IDs\n"),
                );
                out.status = 1;
                continue;
            };
            match self.jobs.find(target, spec) {
                Ok(job) => {
                    backend.kill_job(job);
                    self.jobs.end(job, status);
                }
                Err(message) => {
                    out.write(Stream::Stderr, message);
                    out.status = 1;
                }
            }
        }
        out
    }

    /// Expands a command's words, assignments and redirections, running
    /// `$(…)` substitutions now (left to right, as a shell does).
    fn expand(
        &mut self,
        cmd: &SimpleCommand,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<Expanded, ShellError> {
        let mut assignments = Vec::new();
        for (name, value) in &cmd.assignments {
            assignments.push((name.clone(), self.expand_one(value, host, backend)?));
        }
        let mut argv = Vec::new();
        for word in &cmd.words {
            argv.extend(self.expand_word(word, true, host, backend)?);
        }
        let mut redirects = Vec::new();
        for r in &cmd.redirects {
            redirects.push(match r {
                Redirect::StdoutTo(w) => Target::StdoutTo(self.expand_one(w, host, backend)?),
                Redirect::StdoutAppend(w) => {
                    Target::StdoutAppend(self.expand_one(w, host, backend)?)
                }
                Redirect::StderrTo(w) => Target::StderrTo(self.expand_one(w, host, backend)?),
                Redirect::StderrToStdout => Target::StderrToStdout,
                Redirect::StdinFrom(w) => Target::StdinFrom(self.expand_one(w, host, backend)?),
                Redirect::Heredoc(w) => Target::Heredoc(self.expand_one(w, host, backend)?),
            });
        }
        Ok(Expanded { assignments, argv, redirects })
    }

    /// The stdin of one command: a here-document or `< FILE` wins over the pipe.
    fn stdin_for(&self, cmd: &Expanded, piped: Option<String>) -> Result<Option<String>, String> {
        let mut input = piped;
        for r in &cmd.redirects {
            match r {
                Target::Heredoc(body) => input = Some(body.clone()),
                Target::StdinFrom(path) => match self.workspace.read(path) {
                    Some(text) => input = Some(text.to_owned()),
                    None => return Err(format!("bash: {path}: No such file or directory\n")),
                },
                _ => {}
            }
        }
        Ok(input)
    }

    /// Applies output redirections; returns what stays on (stdout, stderr).
    fn route(&mut self, cmd: &Expanded, result: &CommandOutput) -> (String, String) {
        let mut stdout = result.stream(Stream::Stdout);
        let mut stderr = result.stream(Stream::Stderr);
        for r in &cmd.redirects {
            match r {
                Target::StdoutTo(path) => {
                    self.write_file(path, &stdout, false);
                    stdout.clear();
                }
                Target::StdoutAppend(path) => {
                    self.write_file(path, &stdout, true);
                    stdout.clear();
                }
                Target::StderrTo(path) => {
                    self.write_file(path, &stderr, false);
                    stderr.clear();
                }
                Target::StderrToStdout => stdout.push_str(&std::mem::take(&mut stderr)),
                Target::StdinFrom(_) | Target::Heredoc(_) => {}
            }
        }
        (stdout, stderr)
    }

    fn write_file(&mut self, path: &str, text: &str, append: bool) {
        if path == "/dev/null" {
            return;
        }
        if append {
            self.workspace.append(path, text);
        } else {
            self.workspace.write(path, text);
        }
    }

    fn run_simple(
        &mut self,
        cmd: &Expanded,
        stdin: Option<&str>,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let Some(name) = cmd.argv.first() else {
            for (k, v) in &cmd.assignments {
                self.vars.insert(k.clone(), v.clone());
            }
            return Ok(CommandOutput::default());
        };
        if builtins::is_text_tool(name) {
            let (out, err, status) = builtins::run(&cmd.argv, stdin.unwrap_or_default());
            let mut result = CommandOutput::status(status);
            result.write(Stream::Stderr, err);
            result.write(Stream::Stdout, out);
            return Ok(result);
        }
        if is_builtin(name) {
            return Ok(self.run_builtin(&cmd.argv, stdin, backend));
        }
        if let Some(err) = unsupported_job_control(name) {
            return Err(err.into());
        }
        let out = backend.exec(Invocation { argv: &cmd.argv, host, stdin }, &self.workspace)?;
        match out.unsupported {
            // What kubeplay printed about its own limitation is not the
            // program's output: it never reaches a pipe, a file or the matcher.
            Some(what) => Err(ShellError::Unsupported(what)),
            None => Ok(out),
        }
    }

    fn run_builtin(
        &mut self,
        argv: &[String],
        stdin: Option<&str>,
        backend: &mut dyn Backend,
    ) -> CommandOutput {
        let args = &argv[1..];
        match argv[0].as_str() {
            "echo" => echo(args),
            "true" | ":" => CommandOutput::default(),
            "false" => CommandOutput::status(1),
            "pwd" => CommandOutput::stdout(format!("{}\n", self.workspace.cwd())),
            "cd" => {
                self.workspace.set_cwd(args.first().map(String::as_str).unwrap_or("~"));
                CommandOutput::default()
            }
            "mkdir" => CommandOutput::default(),
            "kill" => self.kill(args, backend),
            "jobs" => CommandOutput::stdout(self.jobs.list()),
            "cat" => self.cat(args, stdin),
            "ls" => self.ls(args),
            "export" => {
                for arg in args {
                    if let Some((k, v)) = arg.split_once('=') {
                        self.vars.insert(k.to_owned(), v.to_owned());
                    }
                }
                CommandOutput::default()
            }
            "sleep" => match args.first().and_then(|a| parse_sleep(a)) {
                Some(d) => {
                    backend.sleep(d);
                    CommandOutput::default()
                }
                None => CommandOutput::failure(
                    format!("sleep: invalid time interval '{}'\n", args.join(" ")),
                    1,
                ),
            },
            other => CommandOutput::failure(format!("bash: {other}: command not found\n"), 127),
        }
    }

    fn cat(&self, args: &[String], stdin: Option<&str>) -> CommandOutput {
        if args.is_empty() {
            return CommandOutput::stdout(stdin.unwrap_or_default());
        }
        let mut out = CommandOutput::default();
        for path in args {
            match self.workspace.read(path) {
                Some(text) => out.write(Stream::Stdout, text),
                None => {
                    out.write(Stream::Stderr, format!("cat: {path}: No such file or directory\n"));
                    out.status = 1;
                }
            }
        }
        out
    }

    fn ls(&self, args: &[String]) -> CommandOutput {
        let dir = self
            .workspace
            .resolve(args.iter().find(|a| !a.starts_with('-')).map(String::as_str).unwrap_or("."));
        let prefix = if dir == "/" { "/".to_owned() } else { format!("{dir}/") };
        let mut names: Vec<String> = self
            .workspace
            .files()
            .filter_map(|(path, _)| path.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_owned())
            .collect();
        names.dedup();
        CommandOutput::stdout(names.iter().map(|n| format!("{n}\n")).collect::<String>())
    }
}

fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "echo"
            | "true"
            | "false"
            | ":"
            | "pwd"
            | "cd"
            | "mkdir"
            | "cat"
            | "ls"
            | "export"
            | "sleep"
            | "kill"
            | "jobs"
    )
}

/// Job control the tutorial shell does not model: an error naming it.
fn unsupported_job_control(name: &str) -> Option<SyntaxError> {
    matches!(name, "fg" | "bg" | "wait" | "disown" | "suspend")
        .then(|| SyntaxError::Unsupported(format!("{name} (job control)")))
}

/// A job's command as bash reprints it: words and redirections separated
/// by single spaces, expansions unexpanded.
fn job_text(cmd: &SimpleCommand) -> String {
    let word = |w: &Word| -> String {
        w.0.iter()
            .map(|p| match p {
                Part::Lit(t) => t.clone(),
                Part::Var { name, .. } => format!("${name}"),
                Part::Subst { command, .. } => format!("$({command})"),
            })
            .collect()
    };
    let mut parts: Vec<String> =
        cmd.assignments.iter().map(|(k, v)| format!("{k}={}", word(v))).collect();
    parts.extend(cmd.words.iter().map(word));
    let mut redirects = cmd.redirects.iter().peekable();
    while let Some(r) = redirects.next() {
        parts.push(match r {
            Redirect::StdoutTo(w) if redirects.peek() == Some(&&Redirect::StderrToStdout) => {
                redirects.next();
                format!("&> {}", word(w))
            }
            Redirect::StdoutTo(w) => format!("> {}", word(w)),
            Redirect::StdoutAppend(w) => format!(">> {}", word(w)),
            Redirect::StderrTo(w) => format!("2> {}", word(w)),
            Redirect::StderrToStdout => "2>&1".to_owned(),
            Redirect::StdinFrom(w) => format!("< {}", word(w)),
            Redirect::Heredoc(_) => "<<EOF".to_owned(),
        });
    }
    parts.join(" ")
}

fn echo(args: &[String]) -> CommandOutput {
    let (newline, words) = match args.first().map(String::as_str) {
        Some("-n") => (false, &args[1..]),
        _ => (true, args),
    };
    let mut text = words.join(" ");
    if newline {
        text.push('\n');
    }
    CommandOutput::stdout(text)
}

/// `sleep 5`, `sleep 2m`, `sleep 0.5`.
/// GNU `sleep` syntax: one NUMBER with an optional `s`/`m`/`h`/`d` suffix
/// (not Go durations: `sleep 1h30m` and `sleep 500ms` are errors there).
fn parse_sleep(arg: &str) -> Option<Duration> {
    let (number, unit) = match arg.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&arg[..i], &arg[i..]),
        None => (arg, "s"),
    };
    let value: f64 = number.parse().ok()?;
    let scale = match unit {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(value * scale).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A backend whose one program, `kubectl`, prints its argv; `get` is
    /// read-only, everything else mutates.
    struct Echo;

    impl Backend for Echo {
        fn name(&self) -> &'static str {
            "echo"
        }
        fn exec(
            &mut self,
            invocation: Invocation<'_>,
            _: &Workspace,
        ) -> Result<CommandOutput, BackendError> {
            let argv = invocation.argv;
            if argv[0] != "kubectl" {
                return Ok(CommandOutput::failure(
                    format!("bash: {}: command not found\n", argv[0]),
                    127,
                ));
            }
            Ok(CommandOutput::stdout(format!("{}\n", argv[1..].join(" "))))
        }
        fn is_read_only(&self, argv: &[String]) -> bool {
            argv.get(1).is_some_and(|v| v == "get")
        }
        fn advance(&mut self) -> Option<Duration> {
            None
        }
        fn sleep(&mut self, _: Duration) {}
        fn elapsed(&self) -> Duration {
            Duration::ZERO
        }
    }

    fn run(shell: &mut Shell, line: &str) -> (String, i32) {
        let out = shell.run(line, None, &mut Echo).unwrap();
        (out.merged(), out.status)
    }

    #[test]
    fn variables_substitution_and_status() {
        let mut sh = Shell::default();
        assert_eq!(run(&mut sh, "POD=$(kubectl get pods web-1)"), (String::new(), 0));
        assert_eq!(
            run(&mut sh, "kubectl delete pod $POD"),
            ("delete pod get pods web-1\n".into(), 0)
        );
        assert_eq!(run(&mut sh, "kubectl describe \"$POD\" | wc -l"), ("1\n".into(), 0));
        assert_eq!(run(&mut sh, "X=1; export Y=$X-2; echo $Y"), ("1-2\n".into(), 0));
        assert_eq!(
            run(&mut sh, "nosuch; echo $?"),
            ("bash: nosuch: command not found\n127\n".into(), 0)
        );
        assert_eq!(
            run(&mut sh, "false || echo fallback && echo and"),
            ("fallback\nand\n".into(), 0)
        );
        assert_eq!(run(&mut sh, "echo $UNSET | wc -c"), ("1\n".into(), 0));
    }

    #[test]
    fn files_redirections_and_heredocs_stay_in_the_workspace() {
        let mut sh = Shell::default();
        run(&mut sh, "NAME=web\ncat <<EOF > app.yaml\nname: $NAME\nEOF");
        assert_eq!(sh.workspace.read("/root/app.yaml"), Some("name: web\n"));
        run(&mut sh, "echo more >> app.yaml");
        assert_eq!(run(&mut sh, "cat app.yaml"), ("name: web\nmore\n".into(), 0));
        assert_eq!(
            run(&mut sh, "kubectl get pods 2>/dev/null > out.txt; cat < out.txt"),
            ("get pods\n".into(), 0)
        );
        let (text, status) = run(&mut sh, "cat missing.yaml");
        assert_eq!((text.as_str(), status), ("cat: missing.yaml: No such file or directory\n", 1));
    }

    #[test]
    fn background_jobs_need_a_backend_that_keeps_them() {
        let mut sh = Shell::default();
        let (text, status) = run(&mut sh, "kubectl port-forward pod/web 8080:80 &");
        assert_eq!(status, 2);
        assert!(text.contains("run only on the simulator"), "{text}");
        assert_eq!(run(&mut sh, "jobs"), (String::new(), 0));
        assert_eq!(run(&mut sh, "kill %1"), ("bash: kill: %1: no such job\n".into(), 1));
        assert_eq!(run(&mut sh, "kill 4242"), ("bash: kill: (4242) - No such process\n".into(), 1));
        assert!(matches!(
            sh.run("fg", None, &mut Echo),
            Err(ShellError::Syntax(SyntaxError::Unsupported(_)))
        ));
        assert!(matches!(
            sh.run("echo a | grep a &", None, &mut Echo),
            Err(ShellError::Syntax(SyntaxError::Unsupported(_)))
        ));
    }

    #[test]
    fn only_pure_reads_are_retried() {
        let sh = Shell::default();
        assert!(sh.is_read_only("kubectl get pods | grep web", &Echo));
        assert!(sh.is_read_only("echo $(kubectl get pods)", &Echo));
        assert!(!sh.is_read_only("kubectl delete pod x", &Echo));
        assert!(!sh.is_read_only("kubectl get pods > x.txt", &Echo));
        assert!(!sh.is_read_only("POD=$(kubectl get pods)", &Echo));
        assert!(!sh.is_read_only("echo $(kubectl delete pod x)", &Echo));
        assert!(!sh.is_read_only("echo 'unterminated", &Echo));
    }
}
