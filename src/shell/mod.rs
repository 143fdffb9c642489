//! The tutorial shell: runs a scenario's command lines identically on every
//! backend. It parses lists and pipelines ([`parse`]), runs text tools and
//! file commands in-process over the scenario's [`Workspace`] ([`builtins`]),
//! and hands every other program (`kubectl`, `kubeadm`, `systemctl`, ...) to
//! the [`Backend`]. Never `/bin/sh`: a tutorial cannot touch the machine.

pub mod builtins;
pub mod parse;

use std::{collections::BTreeMap, time::Duration};

use crate::{
    backend::{Backend, BackendError, Invocation},
    output::{CommandOutput, Stream},
    workspace::Workspace,
};

pub use parse::SyntaxError;
use parse::{Connector, Redirect, SimpleCommand};

/// Why a command line could not be run at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellError {
    /// The line does not parse, or uses an unsupported construct.
    #[error("{0}")]
    Syntax(#[from] SyntaxError),
    /// The backend itself failed.
    #[error("{0}")]
    Backend(#[from] BackendError),
}

/// Shell state that persists across a scenario's steps: variables and the
/// workspace (files and current directory).
#[derive(Debug, Clone, Default)]
pub struct Shell {
    vars: BTreeMap<String, String>,
    /// The scenario's files.
    pub workspace: Workspace,
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
        self.vars.entry("?".to_owned()).or_insert_with(|| "0".to_owned());
        let list = parse::parse(line, &self.vars)?;
        let mut out = CommandOutput::default();
        let mut status = 0;
        for (connector, pipeline) in list.items {
            let run = match connector {
                Connector::Always => true,
                Connector::And => status == 0,
                Connector::Or => status != 0,
            };
            if !run {
                continue;
            }
            let result = self.run_pipeline(&pipeline, host, backend)?;
            status = result.status;
            out.chunks.extend(result.chunks);
            self.vars.insert("?".to_owned(), status.to_string());
        }
        out.status = status;
        Ok(out)
    }

    /// Whether re-running `line` can only observe state: every program in it
    /// is read-only and nothing is written or assigned.
    pub fn is_read_only(&self, line: &str, backend: &dyn Backend) -> bool {
        let Ok(list) = parse::parse(line, &self.vars) else { return false };
        list.items.iter().flat_map(|(_, p)| p.iter()).all(|cmd| {
            cmd.assignments.is_empty()
                && !cmd
                    .redirects
                    .iter()
                    .any(|r| matches!(r, Redirect::StdoutTo(_) | Redirect::StdoutAppend(_)))
                && match cmd.argv.first().map(String::as_str) {
                    None => true,
                    Some(name)
                        if builtins::is_text_tool(name) || READ_ONLY_BUILTINS.contains(&name) =>
                    {
                        true
                    }
                    Some(_) if is_builtin(&cmd.argv[0]) => false,
                    Some(_) => backend.is_read_only(&cmd.argv),
                }
        })
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
            let input = self.stdin_for(cmd, stdin.take());
            let result = match input {
                Ok(input) => self.run_simple(cmd, input.as_deref(), host, backend)?,
                Err(message) => CommandOutput::failure(message, 1),
            };
            status = result.status;
            let (stdout, stderr) = self.route(cmd, &result);
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

    /// The stdin of one command: a here-document or `< FILE` wins over the pipe.
    fn stdin_for(
        &self,
        cmd: &SimpleCommand,
        piped: Option<String>,
    ) -> Result<Option<String>, String> {
        let mut input = piped;
        for r in &cmd.redirects {
            match r {
                Redirect::Heredoc(body) => input = Some(body.clone()),
                Redirect::StdinFrom(path) => match self.workspace.read(path) {
                    Some(text) => input = Some(text.to_owned()),
                    None => return Err(format!("bash: {path}: No such file or directory\n")),
                },
                _ => {}
            }
        }
        Ok(input)
    }

    /// Applies output redirections; returns what stays on (stdout, stderr).
    fn route(&mut self, cmd: &SimpleCommand, result: &CommandOutput) -> (String, String) {
        let mut stdout = result.stream(Stream::Stdout);
        let mut stderr = result.stream(Stream::Stderr);
        for r in &cmd.redirects {
            match r {
                Redirect::StdoutTo(path) => {
                    self.write_file(path, &stdout, false);
                    stdout.clear();
                }
                Redirect::StdoutAppend(path) => {
                    self.write_file(path, &stdout, true);
                    stdout.clear();
                }
                Redirect::StderrTo(path) => {
                    self.write_file(path, &stderr, false);
                    stderr.clear();
                }
                Redirect::StderrToStdout => stdout.push_str(&std::mem::take(&mut stderr)),
                Redirect::StdinFrom(_) | Redirect::Heredoc(_) => {}
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
        cmd: &SimpleCommand,
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
            let mut result = CommandOutput { chunks: Vec::new(), status };
            result.write(Stream::Stderr, err);
            result.write(Stream::Stdout, out);
            return Ok(result);
        }
        if is_builtin(name) {
            return Ok(self.run_builtin(&cmd.argv, stdin, backend));
        }
        Ok(backend.exec(Invocation { argv: &cmd.argv, host, stdin }, &self.workspace)?)
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
            "false" => CommandOutput { chunks: Vec::new(), status: 1 },
            "pwd" => CommandOutput::stdout(format!("{}\n", self.workspace.cwd())),
            "cd" => {
                self.workspace.set_cwd(args.first().map(String::as_str).unwrap_or("~"));
                CommandOutput::default()
            }
            "mkdir" => CommandOutput::default(),
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
    )
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
