//! The tutorial shell: runs a scenario's command lines identically on every
//! backend. It parses lists and pipelines ([`parse`]), runs text tools and
//! file commands in-process over the scenario's [`Workspace`] ([`builtins`]),
//! and hands every other program (`kubectl`, `kubeadm`, `systemctl`, ...) to
//! the [`Backend`]. Never `/bin/sh`: a tutorial cannot touch the machine.

/// The text filters, shared with the simulator's container shell.
pub use crate::textutil as builtins;
pub mod condition;
pub mod date;
pub mod jobs;
pub mod jq;
pub mod parse;
pub mod pattern;
pub mod printf;
pub mod watch;

use std::{collections::BTreeMap, time::Duration};

use crate::{
    backend::{Backend, BackendError, Invocation},
    output::{CommandOutput, Stream},
    workspace::Workspace,
};

pub use parse::SyntaxError;
use parse::{
    Command, CommandList, Compound, Connector, Part, Pipeline, Redirect, SimpleCommand, Word,
};

/// Whether `f` holds for any command of `list`, compound commands and
/// their bodies included.
fn list_any(list: &CommandList, f: &mut dyn FnMut(&Command) -> bool) -> bool {
    list.items.iter().flat_map(|(_, p)| p.commands.iter()).any(|cmd| {
        f(cmd)
            || match cmd {
                Command::Simple(_) => false,
                Command::Compound(c, _) => match &**c {
                    Compound::For { body, .. } => list_any(body, f),
                    Compound::Loop { condition, body, .. } => {
                        list_any(condition, f) || list_any(body, f)
                    }
                    Compound::If { branches, otherwise } => {
                        branches.iter().any(|(c, b)| list_any(c, f) || list_any(b, f))
                            || otherwise.as_ref().is_some_and(|o| list_any(o, f))
                    }
                    Compound::Case { arms, .. } => arms.iter().any(|(_, b)| list_any(b, f)),
                },
            }
    })
}

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
    /// A loop that ran this many times without ending, letting time pass
    /// or being interrupted.
    #[error("a loop ran {0} times without ending or letting time pass")]
    Runaway(usize),
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

/// Shell state that persists across a scenario's steps: variables,
/// aliases and the workspace (files and current directory).
#[derive(Debug, Clone, Default)]
pub struct Shell {
    vars: BTreeMap<String, String>,
    /// `alias k=kubectl`: first words replaced before a command runs.
    aliases: BTreeMap<String, String>,
    /// `set -o pipefail`.
    pipefail: bool,
    /// The scenario's files.
    pub workspace: Workspace,
    /// Background jobs (`CMD &`).
    jobs: jobs::Jobs,
    /// What the compound command being run reads (`… | while read x`):
    /// `read` takes a line of it, a filter the rest.
    input: Option<String>,
    /// Nesting of `$(…)`, `source` and compound commands being run.
    depth: usize,
    /// The reader's terminal, which `watch` fills.
    pub terminal: watch::Terminal,
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
const READ_ONLY_BUILTINS: &[&str] = &[
    "echo", "printf", "cat", "ls", "pwd", "true", "false", ":", "date", "seq", "test", "[",
    "base64", "jq",
];

/// Most iterations of one loop when nothing interrupts it: a loop that
/// neither ends nor lets time pass would otherwise never return.
const MAX_ITERATIONS: usize = 10_000;

impl Shell {
    /// Runs one command line on `host`, returning what a terminal would show.
    pub fn run(
        &mut self,
        line: &str,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        self.depth = 0;
        self.input = None;
        let mut out = self.run_text(line, host, backend)?;
        // Job notices come when the command ends, before the next prompt.
        out.write(Stream::Stderr, self.jobs.take_notices());
        Ok(out)
    }

    /// Parses and runs a command list (a whole line, the inside of
    /// `$(…)`, a sourced file).
    fn run_text(
        &mut self,
        text: &str,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        self.vars.entry("?".to_owned()).or_insert_with(|| "0".to_owned());
        let list = parse::parse(text)?;
        self.enter()?;
        let result = self.run_list(&list, host, backend);
        self.depth -= 1;
        result
    }

    /// One more level of nesting, refused past [`parse::MAX_DEPTH`].
    fn enter(&mut self) -> Result<(), ShellError> {
        if self.depth >= parse::MAX_DEPTH {
            return Err(SyntaxError::TooDeep.into());
        }
        self.depth += 1;
        Ok(())
    }

    fn run_list(
        &mut self,
        list: &CommandList,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let mut out = CommandOutput::default();
        let mut status: i32 = self.vars.get("?").and_then(|s| s.parse().ok()).unwrap_or(0);
        for (index, (connector, pipeline)) in list.items.iter().enumerate() {
            let run = match connector {
                Connector::Always => true,
                Connector::And => status == 0,
                Connector::Or => status != 0,
            };
            if !run {
                continue;
            }
            let result = if list.background.contains(&index) {
                self.run_background(pipeline, host, backend)?
            } else {
                self.run_pipeline(pipeline, host, backend)?
            };
            status = result.status;
            out.chunks.extend(result.chunks);
            self.vars.insert("?".to_owned(), status.to_string());
        }
        out.status = status;
        Ok(out)
    }

    /// Whether `line` runs a command that blocks while it watches the
    /// cluster (`kubectl rollout status`, `watch`, a `while` loop),
    /// printing as it goes.
    pub fn is_blocking(&self, line: &str, backend: &dyn Backend) -> bool {
        let Ok(mut list) = parse::parse(line) else { return false };
        // A job started with `&` does not hold the prompt: what `kubectl
        // proxy &` prints when it starts is matched exactly.
        let mut index = 0;
        list.items.retain(|_| {
            index += 1;
            !list.background.contains(&(index - 1))
        });
        list_any(&list, &mut |cmd| match cmd {
            Command::Compound(c, _) => matches!(**c, Compound::Loop { .. }),
            Command::Simple(cmd) => {
                let argv = self.literal_argv(cmd);
                argv.first().is_some_and(|p| p == "watch")
                    || (!argv.is_empty() && backend.is_blocking(&argv))
            }
        })
    }

    /// A simple command's words with the alias of its first word
    /// replaced, expansions left empty (for classifying, not running).
    fn literal_argv(&self, cmd: &SimpleCommand) -> Vec<String> {
        let mut argv: Vec<String> =
            cmd.words.iter().map(|w| w.as_literal().unwrap_or_default()).collect();
        if let Some(value) = argv.first().and_then(|first| self.aliases.get(first))
            && let Ok(words) = shell_words::split(value)
        {
            argv.splice(0..1, words);
        }
        strip_windows_exe(&mut argv);
        argv
    }

    /// Whether re-running `line` can only observe state: every program in it
    /// (including inside `$(…)`) is read-only and nothing is written or
    /// assigned.
    pub fn is_read_only(&self, line: &str, backend: &dyn Backend) -> bool {
        let Ok(list) = parse::parse(line) else { return false };
        !list_any(&list, &mut |cmd| {
            let Command::Simple(cmd) = cmd else {
                // A loop repeats its body: run it once, as typed.
                return true;
            };
            let substitutions_read_only =
                cmd.words.iter().flat_map(|w| w.0.iter()).all(|part| match part {
                    Part::Subst { command, .. } => self.is_read_only(command, backend),
                    _ => true,
                });
            let writes = cmd
                .redirects
                .iter()
                .any(|r| matches!(r, Redirect::StdoutTo(_) | Redirect::StdoutAppend(_)));
            let argv = self.literal_argv(cmd);
            let program_read_only = match (argv.first(), cmd.words.first().map(Word::as_literal)) {
                (None, _) => true,
                (_, Some(None)) => false,
                (Some(name), _)
                    if builtins::is_text_tool(name)
                        || READ_ONLY_BUILTINS.contains(&name.as_str()) =>
                {
                    true
                }
                (Some(name), _) if is_builtin(name) => false,
                (Some(_), _) => backend.is_read_only(&argv),
            };
            !(cmd.assignments.is_empty() && !writes && substitutions_read_only && program_read_only)
        })
    }

    /// Expands one word: variables, `$(…)` (run now, trailing newlines
    /// dropped), and field splitting of unquoted expansions on bash's
    /// default `IFS` (space, tab, newline).
    fn expand_word(
        &mut self,
        word: &Word,
        split: bool,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<Vec<String>, ShellError> {
        let is_ifs = |c: char| matches!(c, ' ' | '\t' | '\n');
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
                    let input = self.input.take();
                    let out = self.run_text(command, host, backend);
                    self.input = input;
                    let out = out?;
                    self.vars.insert("?".to_owned(), out.status.to_string());
                    // stderr of the inner command still reaches the terminal in a
                    // real shell; here it is dropped with the substitution.
                    (out.stream(Stream::Stdout).trim_end_matches('\n').to_owned(), *quoted)
                }
                Part::ProcSubst { command } => {
                    return Err(ShellError::Unsupported(format!(
                        "process substitution `<({command})`"
                    )));
                }
            };
            if quoted || !split {
                current.push_str(&value);
                has_text = true;
                continue;
            }
            let mut pieces = value.split(is_ifs).filter(|p| !p.is_empty());
            if let Some(first) = pieces.next() {
                if value.starts_with(is_ifs) && has_text {
                    fields.push(std::mem::take(&mut current));
                }
                current.push_str(first);
                has_text = true;
                for piece in pieces {
                    fields.push(std::mem::take(&mut current));
                    current.push_str(piece);
                }
                if value.ends_with(is_ifs) {
                    fields.push(std::mem::take(&mut current));
                    has_text = false;
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
        pipeline: &Pipeline,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let mut terminal = CommandOutput::default();
        let mut stdin: Option<String> = None;
        let mut status = 0;
        let mut failed = 0;
        let count = pipeline.commands.len();
        for (i, command) in pipeline.commands.iter().enumerate() {
            let last = i + 1 == count;
            let piped = if i == 0 { None } else { Some(stdin.take().unwrap_or_default()) };
            let (result, redirects) = match command {
                Command::Simple(simple) => {
                    let cmd = self.expand(simple, host, backend)?;
                    let piped = piped.or_else(|| self.inherited_input(&cmd.argv));
                    let result = match self.stdin_for(&cmd.redirects, piped) {
                        Ok(input) => self.run_simple(&cmd, input.as_deref(), host, backend)?,
                        Err(message) => CommandOutput::failure(message, 1),
                    };
                    (result, cmd.redirects)
                }
                Command::Compound(compound, redirects) => {
                    let redirects = self.expand_redirects(redirects, host, backend)?;
                    let piped = match piped {
                        Some(p) => Some(p),
                        None => self.input.take(),
                    };
                    let result = match self.stdin_for(&redirects, piped) {
                        Ok(input) => {
                            let outer = std::mem::replace(&mut self.input, input);
                            let result = self.run_compound(compound, host, backend);
                            self.input = outer;
                            result?
                        }
                        Err(message) => CommandOutput::failure(message, 1),
                    };
                    (result, redirects)
                }
            };
            // What background jobs printed while this command ran goes
            // straight to the terminal (a port-forward's `Handling
            // connection for 8080` comes before the reply it forwards).
            self.job_output(&mut terminal, backend);
            status = result.status;
            if status != 0 {
                failed = status;
            }
            if last && redirects.is_empty() {
                // Nothing redirected: the terminal shows both streams in
                // the order the program wrote them.
                terminal.chunks.extend(result.chunks);
                continue;
            }
            let (stdout, stderr) = self.route(&redirects, &result);
            if !stderr.is_empty() {
                terminal.write(Stream::Stderr, stderr);
            }
            if last {
                terminal.write(Stream::Stdout, stdout);
            } else {
                stdin = Some(stdout);
            }
        }
        if self.pipefail {
            status = failed;
        }
        if pipeline.negated {
            status = i32::from(status == 0);
        }
        terminal.status = status;
        Ok(terminal)
    }

    /// The input a command inside a compound command inherits (`… | while
    /// read x; do …; done`): `read` takes one line, a program that reads
    /// its stdin takes the rest, others take none.
    fn inherited_input(&mut self, argv: &[String]) -> Option<String> {
        let name = argv.first()?;
        let input = self.input.as_mut()?;
        if name == "read" {
            let line_end = input.find('\n').map_or(input.len(), |i| i + 1);
            return Some(input.drain(..line_end).collect());
        }
        let reads_stdin = builtins::is_text_tool(name)
            || matches!(name.as_str(), "cat" | "xargs" | "tee" | "base64" | "jq");
        reads_stdin.then(|| std::mem::take(input))
    }

    /// Runs a compound command (`for`, `while`, `if`, `case`).
    fn run_compound(
        &mut self,
        compound: &Compound,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        self.enter()?;
        let result = match compound {
            Compound::For { var, words, body } => {
                let mut values = Vec::new();
                for word in words {
                    values.extend(self.expand_word(word, true, host, backend)?);
                }
                let mut out = CommandOutput::default();
                for value in values {
                    self.vars.insert(var.clone(), value);
                    let result = self.run_list(body, host, backend)?;
                    out.chunks.extend(result.chunks);
                    out.status = result.status;
                }
                Ok(out)
            }
            Compound::Loop { until, condition, body } => {
                self.run_loop(*until, condition, body, host, backend)
            }
            Compound::If { branches, otherwise } => {
                let mut out = CommandOutput::default();
                let mut taken = false;
                for (condition, body) in branches {
                    let test = self.run_list(condition, host, backend)?;
                    out.chunks.extend(test.chunks);
                    if test.status == 0 {
                        let result = self.run_list(body, host, backend)?;
                        out.chunks.extend(result.chunks);
                        out.status = result.status;
                        taken = true;
                        break;
                    }
                }
                if !taken && let Some(body) = otherwise {
                    let result = self.run_list(body, host, backend)?;
                    out.chunks.extend(result.chunks);
                    out.status = result.status;
                }
                Ok(out)
            }
            Compound::Case { word, arms } => {
                let value = self.expand_one(word, host, backend)?;
                let mut out = CommandOutput::default();
                'arms: for (patterns, body) in arms {
                    for pattern in patterns {
                        let pattern = self.expand_pattern(pattern, host, backend)?;
                        if pattern.matches(&value) {
                            out = self.run_list(body, host, backend)?;
                            break 'arms;
                        }
                    }
                }
                Ok(out)
            }
        };
        self.depth -= 1;
        result
    }

    /// A `case` pattern: its quoted parts match literally.
    fn expand_pattern(
        &mut self,
        word: &Word,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<pattern::Pattern, ShellError> {
        let mut pattern = pattern::Pattern::default();
        for part in &word.0 {
            match part {
                Part::Lit(text) => pattern.push_glob(text),
                _ => {
                    let text = self.expand_one(&Word(vec![part.clone()]), host, backend)?;
                    pattern.push_literal(&text);
                }
            }
        }
        Ok(pattern)
    }

    /// `while`/`until`: a loop that ends when its condition says so, or,
    /// like `kubectl get -w`, when the reader would press Ctrl-C: once it
    /// has printed what the step expects, or at the step's timeout
    /// ([`Backend::interrupted`]).
    fn run_loop(
        &mut self,
        until: bool,
        condition: &CommandList,
        body: &CommandList,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let mut out = CommandOutput::default();
        let start = backend.elapsed();
        for _ in 0..MAX_ITERATIONS {
            let test = self.run_list(condition, host, backend)?;
            out.chunks.extend(test.chunks);
            if (test.status == 0) == until {
                out.status = 0;
                return Ok(out);
            }
            let result = self.run_list(body, host, backend)?;
            out.chunks.extend(result.chunks);
            out.status = result.status;
            if backend.interrupted(&out.merged(), backend.elapsed().saturating_sub(start)) {
                out.write(Stream::Stderr, "^C\n");
                out.status = 130;
                return Ok(out);
            }
        }
        Err(ShellError::Runaway(MAX_ITERATIONS))
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
        pipeline: &Pipeline,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let ([Command::Simple(simple)], false) = (pipeline.commands.as_slice(), pipeline.negated)
        else {
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
        let stdin = self.stdin_for(&cmd.redirects, None).ok().flatten();
        let spawned = backend.spawn_job(
            Invocation { argv: &cmd.argv, host, stdin: stdin.as_deref() },
            &self.workspace,
            number,
        )?;
        // What the job could not emulate — when it started, or, for a
        // backend that cannot keep jobs, at all — is the step's verdict:
        // bash would print the job line and go on, hiding it (DESIGN §1).
        if let Some(what) = spawned.output.unsupported {
            return Err(ShellError::Unsupported(what));
        }
        let mut terminal = CommandOutput::default();
        terminal.write(Stream::Stderr, format!("[{number}] {}\n", spawned.pid));
        let (stdout, stderr) = self.route(&cmd.redirects, &spawned.output);
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
        if is_completion_setup(cmd) {
            // Tab completion never shows in a transcript (README: the
            // tutorial shell): accepted, nothing run.
            return Ok(Expanded {
                assignments: Vec::new(),
                argv: vec![":".into()],
                redirects: Vec::new(),
            });
        }
        let mut assignments = Vec::new();
        for (name, value) in &cmd.assignments {
            assignments.push((name.clone(), self.expand_one(value, host, backend)?));
        }
        let mut argv = Vec::new();
        for word in &cmd.words {
            argv.extend(self.expand_word(word, true, host, backend)?);
        }
        let redirects = self.expand_redirects(&cmd.redirects, host, backend)?;
        self.expand_alias(&mut argv, host, backend)?;
        strip_windows_exe(&mut argv);
        let expanded = Expanded { assignments, argv, redirects };
        if let Some(what) = kubeconfig_change(&expanded, backend.name()) {
            return Err(ShellError::Unsupported(what));
        }
        Ok(expanded)
    }

    /// bash's alias expansion of a command's first word (interactive
    /// shells expand aliases): `alias k=kubectl` makes `k get pods` run
    /// `kubectl get pods`. The alias's text is parsed as words; an alias
    /// that holds a list or a pipeline is not modelled.
    fn expand_alias(
        &mut self,
        argv: &mut Vec<String>,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<(), ShellError> {
        let Some(value) = argv.first().and_then(|first| self.aliases.get(first)).cloned() else {
            return Ok(());
        };
        let list = parse::parse(&value)?;
        let words = match list.items.as_slice() {
            [] => Vec::new(),
            [(_, Pipeline { commands, negated: false })] if list.background.is_empty() => {
                match commands.as_slice() {
                    [Command::Simple(cmd)]
                        if cmd.assignments.is_empty() && cmd.redirects.is_empty() =>
                    {
                        let mut words = Vec::new();
                        for w in &cmd.words {
                            words.extend(self.expand_word(w, true, host, backend)?);
                        }
                        words
                    }
                    _ => {
                        return Err(ShellError::Unsupported(format!(
                            "alias {}='{value}'",
                            argv[0]
                        )));
                    }
                }
            }
            _ => return Err(ShellError::Unsupported(format!("alias {}='{value}'", argv[0]))),
        };
        argv.splice(0..1, words);
        Ok(())
    }

    fn expand_redirects(
        &mut self,
        redirects: &[Redirect],
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<Vec<Target>, ShellError> {
        let mut targets = Vec::new();
        for r in redirects {
            targets.push(match r {
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
        Ok(targets)
    }

    /// The stdin of one command: a here-document or `< FILE` wins over the pipe.
    fn stdin_for(
        &self,
        redirects: &[Target],
        piped: Option<String>,
    ) -> Result<Option<String>, String> {
        let mut input = piped;
        for r in redirects {
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
    fn route(&mut self, redirects: &[Target], result: &CommandOutput) -> (String, String) {
        let mut stdout = result.stream(Stream::Stdout);
        let mut stderr = result.stream(Stream::Stderr);
        for r in redirects {
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
        if cmd.argv.is_empty() {
            for (k, v) in &cmd.assignments {
                self.vars.insert(k.clone(), v.clone());
            }
            return Ok(CommandOutput::default());
        }
        self.run_argv(&cmd.argv, stdin, host, backend)
    }

    /// Runs one command by its argv: a text filter, a builtin, or a
    /// program of the backend (`xargs` comes here too).
    fn run_argv(
        &mut self,
        argv: &[String],
        stdin: Option<&str>,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let name = &argv[0];
        if builtins::is_text_tool(name) {
            let (out, err, status) =
                builtins::run(argv, stdin.unwrap_or_default(), Some(&self.workspace))
                    .map_err(|builtins::Unsupported(what)| ShellError::Unsupported(what))?;
            let mut result = CommandOutput::status(status);
            result.write(Stream::Stderr, err);
            result.write(Stream::Stdout, out);
            return Ok(result);
        }
        if is_builtin(name) {
            return self.run_builtin(argv, stdin, host, backend);
        }
        if let Some(err) = unsupported_job_control(name) {
            return Err(err.into());
        }
        let out = backend.exec(Invocation { argv, host, stdin }, &self.workspace)?;
        for (path, text) in &out.written {
            self.workspace.write(path, text.clone());
        }
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
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let args = &argv[1..];
        let unsupported = |what: String| Err(ShellError::Unsupported(what));
        let printed = |(out, err, status): (String, String, i32)| {
            let mut result = CommandOutput::status(status);
            result.write(Stream::Stderr, err);
            result.write(Stream::Stdout, out);
            result
        };
        Ok(match argv[0].as_str() {
            "echo" => echo(args),
            "printf" => match printf::run(args) {
                Ok(p) => printed(p),
                Err(what) => return unsupported(what),
            },
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
                    match arg.split_once('=') {
                        Some((k, v)) => {
                            self.vars.insert(k.to_owned(), v.to_owned());
                        }
                        None if arg.starts_with('-') => {
                            return unsupported(format!("export option {arg}"));
                        }
                        None => {}
                    }
                }
                CommandOutput::default()
            }
            "unset" => {
                for arg in args {
                    if arg.starts_with('-') {
                        return unsupported(format!("unset option {arg}"));
                    }
                    self.vars.remove(arg);
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
            "date" => {
                let Some(now) = backend.now() else {
                    return unsupported("date on this backend".into());
                };
                match date::run(args, now) {
                    Ok(text) => CommandOutput::stdout(text),
                    Err(what) => return unsupported(what),
                }
            }
            "seq" => match seq(args) {
                Ok(p) => printed(p),
                Err(what) => return unsupported(what),
            },
            "test" | "[" => {
                let args = if argv[0] == "[" {
                    match args.split_last() {
                        Some((last, rest)) if last == "]" => rest,
                        _ => return Ok(CommandOutput::failure("bash: [: missing `]'\n", 2)),
                    }
                } else {
                    args
                };
                match condition::test(args, &self.workspace) {
                    Ok((status, message)) => {
                        let mut out = CommandOutput::status(status);
                        out.write(
                            Stream::Stderr,
                            message.replace("bash: test:", &format!("bash: {}:", argv[0])),
                        );
                        out
                    }
                    Err(what) => return unsupported(what),
                }
            }
            "read" => self.read(args, stdin)?,
            "alias" => self.alias(args),
            "unalias" => {
                let mut out = CommandOutput::default();
                for arg in args {
                    if arg == "-a" {
                        self.aliases.clear();
                    } else if self.aliases.remove(arg).is_none() {
                        out.write(Stream::Stderr, format!("bash: unalias: {arg}: not found\n"));
                        out.status = 1;
                    }
                }
                out
            }
            "source" | "." => self.source(argv, host, backend)?,
            // Tab completion never shows in a transcript: registering it
            // changes nothing a step can observe.
            "complete" if args.iter().any(|a| a == "-F" || a == "-C" || a == "-o") => {
                CommandOutput::default()
            }
            "complete" => return unsupported(format!("complete {}", args.join(" "))),
            "set" => match args {
                [o, p] if o == "-o" && p == "pipefail" => {
                    self.pipefail = true;
                    CommandOutput::default()
                }
                [o, p] if o == "+o" && p == "pipefail" => {
                    self.pipefail = false;
                    CommandOutput::default()
                }
                _ => return unsupported(format!("set {}", args.join(" "))),
            },
            "tee" => {
                let append = args.first().is_some_and(|a| a == "-a");
                let text = stdin.unwrap_or_default();
                for path in args.iter().filter(|a| !a.starts_with('-')) {
                    self.write_file(path, text, append);
                }
                if let Some(other) = args.iter().find(|a| a.starts_with('-') && *a != "-a") {
                    return unsupported(format!("tee option {other}"));
                }
                CommandOutput::stdout(text)
            }
            "xargs" => self.xargs(args, stdin, host, backend)?,
            "watch" => self.watch(args, host, backend)?,
            "jq" => match jq::run(args, stdin.unwrap_or_default(), &self.workspace) {
                Ok(p) => printed(p),
                Err(what) => return unsupported(what),
            },
            other => return unsupported(format!("shell command {other}")),
        })
    }

    /// `read [-r] NAME…`: one line of input split on blanks, the last
    /// name taking the rest; status 1 at the end of input.
    fn read(&mut self, args: &[String], stdin: Option<&str>) -> Result<CommandOutput, ShellError> {
        let mut names = Vec::new();
        for arg in args {
            match arg.as_str() {
                "-r" => {}
                a if a.starts_with('-') => {
                    return Err(ShellError::Unsupported(format!("read option {a}")));
                }
                a => names.push(a.to_owned()),
            }
        }
        if names.is_empty() {
            names.push("REPLY".into());
        }
        let input = stdin.unwrap_or_default();
        if input.is_empty() {
            for name in &names {
                self.vars.insert(name.clone(), String::new());
            }
            return Ok(CommandOutput::status(1));
        }
        let line = input.strip_suffix('\n').unwrap_or(input);
        let mut rest = line.trim_start_matches([' ', '\t']);
        for (i, name) in names.iter().enumerate() {
            let value = if i + 1 == names.len() {
                std::mem::take(&mut rest).trim_end_matches([' ', '\t'])
            } else {
                let end = rest.find([' ', '\t']).unwrap_or(rest.len());
                let (word, after) = rest.split_at(end);
                rest = after.trim_start_matches([' ', '\t']);
                word
            };
            self.vars.insert(name.clone(), value.to_owned());
        }
        Ok(CommandOutput::default())
    }

    /// `alias` (list), `alias NAME=VALUE…`, `alias NAME` (show one).
    fn alias(&mut self, args: &[String]) -> CommandOutput {
        let show =
            |name: &str, value: &str| format!("alias {name}='{}'\n", value.replace('\'', "'\\''"));
        if args.is_empty() || args == ["-p"] {
            return CommandOutput::stdout(
                self.aliases.iter().map(|(k, v)| show(k, v)).collect::<String>(),
            );
        }
        let mut out = CommandOutput::default();
        for arg in args {
            match arg.split_once('=') {
                Some((name, value)) => {
                    self.aliases.insert(name.to_owned(), value.to_owned());
                }
                None => match self.aliases.get(arg.as_str()) {
                    Some(value) => out.write(Stream::Stdout, show(arg, value)),
                    None => {
                        out.write(Stream::Stderr, format!("bash: alias: {arg}: not found\n"));
                        out.status = 1;
                    }
                },
            }
        }
        out
    }

    /// `source FILE` runs a workspace file's lines in this shell.
    /// `source <(kubectl completion bash)` (and zsh) only registers Tab
    /// completion, which no transcript shows: accepted, nothing run.
    fn source(
        &mut self,
        argv: &[String],
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let Some(path) = argv.get(1) else {
            return Ok(CommandOutput::failure(
                format!("bash: {}: filename argument required\n", argv[0]),
                2,
            ));
        };
        let Some(text) = self.workspace.read(path).map(str::to_owned) else {
            return Ok(CommandOutput::failure(
                format!("bash: {path}: No such file or directory\n"),
                1,
            ));
        };
        self.run_text(&text, host, backend)
    }

    /// `watch CMD`: runs CMD every interval on the backend's clock and
    /// shows the last screen the reader saw when, as with `kubectl get -w`,
    /// they pressed Ctrl-C: once that screen holds what the step expects,
    /// or at the step's timeout ([`Backend::interrupted`]). See
    /// [`watch`] for what the screen is.
    fn watch(
        &mut self,
        args: &[String],
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let spec = match watch::Watch::parse(args) {
            Ok(spec) => spec,
            Err(watch::WatchError::Usage(text, status)) => {
                return Ok(CommandOutput::failure(text, status));
            }
            Err(watch::WatchError::Unsupported(what)) => return Err(ShellError::Unsupported(what)),
        };
        let interval = Duration::from_secs_f64(spec.interval);
        // The reader's own machine is not modelled: without a host in the
        // prompt, the header names it `localhost` (README, "watch").
        let hostname = host.unwrap_or("localhost");
        let start = backend.elapsed();
        for _ in 0..MAX_ITERATIONS {
            let run_started = backend.elapsed();
            let header = if spec.no_title {
                None
            } else {
                let Some(now) = backend.now() else {
                    return Err(ShellError::Unsupported("watch's header on this backend".into()));
                };
                Some(watch::header(
                    spec.interval,
                    &spec.command_text(),
                    hostname,
                    now,
                    self.terminal.columns,
                ))
            };
            let output = if spec.exec {
                self.run_argv(&spec.command, None, host, backend)?
            } else {
                self.run_text(&spec.command_text(), host, backend)?
            };
            let shown =
                watch::screen(header.as_deref(), &output.merged(), self.terminal, !spec.no_wrap);
            if backend.interrupted(&shown, backend.elapsed().saturating_sub(start)) {
                return Ok(CommandOutput::stdout(shown));
            }
            let took = backend.elapsed().saturating_sub(run_started);
            backend.sleep(if spec.precise { interval.saturating_sub(took) } else { interval });
        }
        Err(ShellError::Runaway(MAX_ITERATIONS))
    }

    /// `xargs [-n N] [-I R] [-r] CMD ARGS…`: runs CMD with the input's
    /// blank-separated words as more arguments (GNU xargs runs CMD once
    /// even on empty input, unless `-r`).
    fn xargs(
        &mut self,
        args: &[String],
        stdin: Option<&str>,
        host: Option<&str>,
        backend: &mut dyn Backend,
    ) -> Result<CommandOutput, ShellError> {
        let (mut per_run, mut replace, mut no_empty) = (None, None, false);
        let mut i = 0;
        while i < args.len() && args[i].starts_with('-') {
            match args[i].as_str() {
                "-r" | "--no-run-if-empty" => no_empty = true,
                "-n" => {
                    i += 1;
                    per_run = args.get(i).and_then(|n| n.parse::<usize>().ok()).filter(|n| *n > 0);
                    if per_run.is_none() {
                        return Err(ShellError::Unsupported("xargs -n without a count".into()));
                    }
                }
                "-I" => {
                    i += 1;
                    replace = args.get(i).cloned();
                }
                a if a.starts_with("-n") => per_run = a[2..].parse().ok().filter(|n| *n > 0),
                a if a.starts_with("-I") => replace = Some(a[2..].to_owned()),
                a => return Err(ShellError::Unsupported(format!("xargs option {a}"))),
            }
            i += 1;
        }
        let mut command: Vec<String> = args[i..].to_vec();
        if command.is_empty() {
            command.push("echo".into());
        }
        let input = stdin.unwrap_or_default();
        if input.contains(['\'', '"', '\\']) {
            return Err(ShellError::Unsupported("xargs input with quotes".into()));
        }
        let runs: Vec<Vec<String>> = if let Some(r) = &replace {
            input
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|line| command.iter().map(|a| a.replace(r.as_str(), line.trim())).collect())
                .collect()
        } else {
            let words: Vec<String> = input.split_whitespace().map(str::to_owned).collect();
            if words.is_empty() {
                if no_empty { Vec::new() } else { vec![command.clone()] }
            } else {
                words
                    .chunks(per_run.unwrap_or(words.len()))
                    .map(|chunk| command.iter().cloned().chain(chunk.iter().cloned()).collect())
                    .collect()
            }
        };
        let mut out = CommandOutput::default();
        for argv in runs {
            let result = self.run_argv(&argv, None, host, backend)?;
            out.chunks.extend(result.chunks);
            // GNU xargs exits 123 when a run failed with a status 1–125.
            if (1..=125).contains(&result.status) {
                out.status = 123;
            }
        }
        Ok(out)
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

/// The workspace as the files a filter reads (`grep -r`, `jq . f.json`).
impl builtins::Files for Workspace {
    fn read(&self, path: &str) -> Option<String> {
        Workspace::read(self, path).map(str::to_owned)
    }

    fn walk(&self, dir: &str) -> Vec<String> {
        if Workspace::read(self, dir).is_some() {
            return vec![dir.to_owned()];
        }
        let root = self.resolve(dir);
        let prefix = if root == "/" { "/".to_owned() } else { format!("{root}/") };
        let shown = dir.trim_end_matches('/');
        self.files()
            .filter_map(|(path, _)| path.strip_prefix(&prefix))
            .map(|rest| format!("{shown}/{rest}"))
            .collect()
    }
}

/// `source <(kubectl completion bash)` (or `zsh`, or `. <(…)`).
fn is_completion_setup(cmd: &SimpleCommand) -> bool {
    let [program, file] = cmd.words.as_slice() else { return false };
    matches!(program.as_literal().as_deref(), Some("source" | "."))
        && matches!(file.0.as_slice(), [Part::ProcSubst { command }]
        if shell_words::split(command).is_ok_and(|w| {
            matches!(w.iter().map(String::as_str).collect::<Vec<_>>().as_slice(),
                ["kubectl", "completion", "bash" | "zsh"])
        }))
}

fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "echo"
            | "printf"
            | "true"
            | "false"
            | ":"
            | "pwd"
            | "cd"
            | "mkdir"
            | "cat"
            | "ls"
            | "export"
            | "unset"
            | "sleep"
            | "kill"
            | "jobs"
            | "date"
            | "seq"
            | "test"
            | "["
            | "read"
            | "alias"
            | "unalias"
            | "source"
            | "."
            | "complete"
            | "set"
            | "tee"
            | "xargs"
            | "jq"
            | "watch"
    )
}

/// `seq LAST`, `seq FIRST LAST`, `seq FIRST STEP LAST` over integers,
/// with `-s SEP` (GNU coreutils).
fn seq(args: &[String]) -> Result<(String, String, i32), String> {
    let mut separator = "\n".to_owned();
    let mut numbers = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "-s" {
            separator = iter.next().cloned().unwrap_or_default();
        } else if let Some(s) = arg.strip_prefix("-s") {
            separator = s.to_owned();
        } else if arg.starts_with('-') && arg.parse::<i64>().is_err() {
            return Err(format!("seq option {arg}"));
        } else {
            match arg.parse::<i64>() {
                Ok(n) => numbers.push(n),
                Err(_) if arg.parse::<f64>().is_ok() => {
                    return Err(format!("seq of non-integers ({arg})"));
                }
                Err(_) => {
                    return Ok((
                        String::new(),
                        format!(
                            "seq: invalid floating point argument: '{arg}'\nTry 'seq --help' for more information.\n"
                        ),
                        1,
                    ));
                }
            }
        }
    }
    let (first, step, last) = match numbers.as_slice() {
        [last] => (1, 1, *last),
        [first, last] => (*first, 1, *last),
        [first, step, last] => (*first, *step, *last),
        _ => {
            return Ok((
                String::new(),
                "seq: missing operand\nTry 'seq --help' for more information.\n".into(),
                1,
            ));
        }
    };
    if step == 0 {
        return Ok((
            String::new(),
            "seq: invalid Zero increment value: '0'\nTry 'seq --help' for more information.\n"
                .into(),
            1,
        ));
    }
    const MAX: usize = 1_000_000;
    let mut values = Vec::new();
    let mut n = first;
    while (step > 0 && n <= last) || (step < 0 && n >= last) {
        if values.len() == MAX {
            return Err(format!("seq of more than {MAX} numbers"));
        }
        values.push(n.to_string());
        let Some(next) = n.checked_add(step) else { break };
        n = next;
    }
    if values.is_empty() {
        return Ok((String::new(), String::new(), 0));
    }
    Ok((format!("{}\n", values.join(&separator)), String::new(), 0))
}

/// Git Bash (MSYS) and WSL on Windows run a Windows program by its file
/// name: tutorials recorded there type `kubectl.exe get pods`, which is the
/// same kubectl as `kubectl get pods` (Windows' PATH lookup adds `.exe` to
/// a bare `kubectl` too). Only kubectl is mapped: it is the one program
/// whose behaviour kubeplay models under that name.
fn strip_windows_exe(argv: &mut [String]) {
    if let Some(first) = argv.first_mut()
        && first == "kubectl.exe"
    {
        *first = "kubectl".to_owned();
    }
}

/// A command that points kubectl at another kubeconfig, which kubeplay
/// cannot honour: `KUBECONFIG=other kubectl ...` names another cluster for
/// one command (kubeplay passes no environment to programs); on a real
/// cluster, `export KUBECONFIG=...` too — kubeplay uses only the
/// kubeconfig and context the user named (README "Running on your own
/// cluster"). On the simulator an exported KUBECONFIG changes nothing: it
/// has one cluster and one admin user.
fn kubeconfig_change(cmd: &Expanded, backend: &str) -> Option<String> {
    let prefix = cmd.assignments.iter().any(|(k, _)| k == "KUBECONFIG") && !cmd.argv.is_empty();
    let exported = backend == "kubectl"
        && (cmd.argv.first().is_some_and(|p| p == "export")
            && cmd.argv[1..].iter().any(|a| a.starts_with("KUBECONFIG="))
            || cmd.argv.is_empty() && cmd.assignments.iter().any(|(k, _)| k == "KUBECONFIG"));
    (prefix || exported).then(|| {
        "setting KUBECONFIG (kubeplay uses only the kubeconfig and context it was given)".to_owned()
    })
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
                Part::ProcSubst { command } => format!("<({command})"),
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
                return Ok(CommandOutput::unsupported(format!("shell command {}", argv[0])));
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
            sh.run("nosuch; echo $?", None, &mut Echo).unwrap_err().unsupported(),
            Some("shell command nosuch".into())
        );
        assert_eq!(
            sh.run("echo $(nosuch)", None, &mut Echo).unwrap_err().unsupported(),
            Some("shell command nosuch".into())
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

    /// A backend on which `kubectl port-forward` blocks.
    struct Blocking;

    impl Backend for Blocking {
        fn name(&self) -> &'static str {
            "blocking"
        }
        fn exec(
            &mut self,
            i: Invocation<'_>,
            w: &Workspace,
        ) -> Result<CommandOutput, BackendError> {
            Echo.exec(i, w)
        }
        fn is_read_only(&self, _: &[String]) -> bool {
            false
        }
        fn is_blocking(&self, argv: &[String]) -> bool {
            argv.get(1).is_some_and(|v| v == "port-forward")
        }
        fn advance(&mut self) -> Option<Duration> {
            None
        }
        fn sleep(&mut self, _: Duration) {}
        fn elapsed(&self) -> Duration {
            Duration::ZERO
        }
    }

    #[test]
    fn a_command_started_in_the_background_does_not_block_the_step() {
        let sh = Shell::default();
        assert!(sh.is_blocking("kubectl port-forward pod/web 8080:80", &Blocking));
        assert!(!sh.is_blocking("kubectl port-forward pod/web 8080:80 &", &Blocking));
        assert!(sh.is_blocking("kubectl get pods & kubectl port-forward pod/web 80", &Blocking));
    }

    #[test]
    fn background_jobs_need_a_backend_that_keeps_them() {
        let mut sh = Shell::default();
        assert_eq!(
            sh.run("kubectl port-forward pod/web 8080:80 &", None, &mut Echo)
                .unwrap_err()
                .unsupported(),
            Some(
                "background jobs (`kubectl port-forward pod/web 8080:80 &`) on the echo backend"
                    .into()
            )
        );
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
    fn builtins_tutorials_lean_on() {
        let mut sh = Shell::default();
        assert_eq!(run(&mut sh, "echo hi | grep -e x -e h"), ("hi\n".into(), 0));
        assert_eq!(run(&mut sh, "alias k=kubectl; k get pods"), ("get pods\n".into(), 0));
        assert_eq!(run(&mut sh, "alias k"), ("alias k='kubectl'\n".into(), 0));
        assert_eq!(run(&mut sh, "unalias k; alias"), (String::new(), 0));
        // Git Bash on Windows: kubectl.exe is kubectl.
        assert_eq!(run(&mut sh, "kubectl.exe get pods | grep get"), ("get pods\n".into(), 0));
        assert_eq!(
            run(&mut sh, "for i in $(seq 1 3); do echo n$i; done"),
            ("n1\nn2\nn3\n".into(), 0)
        );
        assert_eq!(
            run(&mut sh, "if [ 2 -gt 1 ]; then echo yes; else echo no; fi"),
            ("yes\n".into(), 0)
        );
        assert_eq!(
            run(&mut sh, "X=web-1; case $X in db*) echo db;; web*) echo web;; esac"),
            ("web\n".into(), 0)
        );
        assert_eq!(
            run(&mut sh, "printf 'a\\nb\\n' | while read l; do echo \"<$l>\"; done"),
            ("<a>\n<b>\n".into(), 0)
        );
        assert_eq!(
            run(&mut sh, "N=0; while [ $N != 3 ]; do N=$(echo $N | tr 012 123); done; echo $N"),
            ("3\n".into(), 0)
        );
        assert_eq!(run(&mut sh, "printf '%s-%d\\n' a 1 b 2"), ("a-1\nb-2\n".into(), 0));
        assert_eq!(
            run(&mut sh, "echo pod/a pod/b | xargs kubectl delete"),
            ("delete pod/a pod/b\n".into(), 0)
        );
        assert_eq!(run(&mut sh, "echo x | tee out.txt; cat out.txt"), ("x\nx\n".into(), 0));
        assert_eq!(run(&mut sh, "echo -n admin | base64 | base64 -d"), ("admin".into(), 0));
        assert_eq!(run(&mut sh, "echo '{\"a\":[1,2]}' | jq -c .a"), ("[1,2]\n".into(), 0));
        assert_eq!(run(&mut sh, "! false"), (String::new(), 0));
        assert_eq!(
            run(&mut sh, "source <(kubectl completion bash); complete -F __start_kubectl k"),
            (String::new(), 0)
        );
        for (line, what) in [
            ("date", "date on this backend"),
            ("set -x", "set -x"),
            ("echo $(helm version)", "shell command helm"),
            ("echo x | grep -P x", "grep option -P"),
            ("echo x | awk '{x=1}'", "awk program '{x=1}'"),
            ("echo <(ls)", "process substitution `<(ls)`"),
        ] {
            assert_eq!(
                sh.run(line, None, &mut Echo).unwrap_err().unsupported(),
                Some(what.into()),
                "{line}"
            );
        }
    }

    #[test]
    fn only_pure_reads_are_retried() {
        let sh = Shell::default();
        assert!(sh.is_read_only("kubectl get pods | grep web", &Echo));
        assert!(sh.is_read_only("kubectl.exe get pods | grep web", &Echo));
        assert!(sh.is_read_only("echo $(kubectl get pods)", &Echo));
        assert!(!sh.is_read_only("kubectl delete pod x", &Echo));
        assert!(!sh.is_read_only("kubectl get pods > x.txt", &Echo));
        assert!(!sh.is_read_only("POD=$(kubectl get pods)", &Echo));
        assert!(!sh.is_read_only("echo $(kubectl delete pod x)", &Echo));
        assert!(!sh.is_read_only("echo 'unterminated", &Echo));
    }
}
