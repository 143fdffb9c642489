//! The interpreter of the container shell and its utilities, on virtual
//! time: `sleep` moves a cursor, output is stamped with the cursor, and the
//! run stops at a horizon or when a step budget is spent (a loop that never
//! exits counts as running forever).

use std::{collections::BTreeMap, time::Duration};

use super::{
    Context, Dialect, Trace,
    session::ShellState,
    shell::{Command, Part, Word},
};
use crate::sim::time;

/// Commands run before a looping program counts as never exiting.
const STEP_BUDGET: u64 = 200_000;

/// Why execution stopped early.
enum Stop {
    /// `exit N` (or a fatal shell error).
    Exit(i32),
    /// The horizon or the step budget was reached: still running.
    Running,
    /// A program run directly (not through a shell) is not in the image
    /// (`kubectl exec POD -- ps`): the runtime cannot start it.
    Missing,
    /// Something the image has but kubeplay cannot run, named
    /// ([`super::Trace::unsupported`]).
    Unsupported(String),
}

/// One running shell (or a single utility invoked directly).
pub(super) struct Machine<'a> {
    ctx: &'a Context,
    dialect: Dialect,
    name: String,
    horizon: Duration,
    clock: Duration,
    steps: u64,
    status: i32,
    vars: BTreeMap<String, String>,
    args: Vec<String>,
    trace: Trace,
    /// The working directory (`cd`, `pwd`, `ls`, the interactive prompt).
    pub(super) cwd: String,
    /// The input line being run (dash's `sh: 3: x: not found` counts lines
    /// typed in an interactive session).
    pub(super) line_no: usize,
    /// An interactive shell (`kubectl exec -it POD -- sh`): bash reports
    /// `bash: x: command not found` without a line number and prints `exit`
    /// when it exits.
    pub(super) interactive: bool,
    /// A program run directly that is not a known utility is missing (an
    /// exec into the container), rather than the container's server.
    pub(super) missing_is_error: bool,
    /// stdout is a terminal (`kubectl exec -t`): `ls` prints columns.
    pub(super) tty: bool,
    /// Network calls made so far (the index of the next in
    /// [`Context::calls`]).
    calls_made: usize,
    /// Output is dropped, not kept (only how the run goes matters).
    pub(super) quiet: bool,
    /// Inside a pipeline stage that is not the last: stdout collects here
    /// for the next stage instead of reaching the log or terminal.
    capture: Option<String>,
    /// The stdin of the running pipeline stage (empty otherwise: a
    /// container's stdin, and `kubectl exec` without `-i`, is empty).
    stdin: String,
}

impl<'a> Machine<'a> {
    pub(super) fn new(ctx: &'a Context, dialect: Dialect, name: &str, horizon: Duration) -> Self {
        Machine {
            ctx,
            dialect,
            name: name.to_owned(),
            horizon,
            clock: Duration::ZERO,
            steps: 0,
            status: 0,
            vars: ctx.env.iter().cloned().collect(),
            args: Vec::new(),
            trace: Trace::default(),
            cwd: "/".to_owned(),
            line_no: 1,
            interactive: false,
            missing_is_error: false,
            tty: false,
            calls_made: 0,
            quiet: false,
            capture: None,
            stdin: String::new(),
        }
    }

    /// Runs one line typed at an interactive shell whose state (variables,
    /// last status, directory) is `state`; returns what it printed, when and
    /// how the shell exited (`exit`), and the state after it.
    pub(super) fn typed(mut self, cmd: &Command, state: &mut ShellState) -> (Trace, Option<i32>) {
        self.vars = std::mem::take(&mut state.vars);
        self.status = state.status;
        self.cwd = state.cwd.clone();
        self.line_no = state.line_no;
        self.interactive = true;
        let exit = match self.run(cmd) {
            Ok(()) => None,
            Err(Stop::Exit(code)) => {
                if self.dialect == Dialect::Bash {
                    // Interactive bash announces its exit on stderr.
                    self.out("exit\n");
                }
                Some(code & 0xff)
            }
            Err(Stop::Unsupported(what)) => {
                self.trace.unsupported = Some(what);
                None
            }
            Err(Stop::Running | Stop::Missing) => None,
        };
        state.vars = std::mem::take(&mut self.vars);
        state.status = self.status;
        state.cwd = self.cwd.clone();
        self.trace.reached = self.clock;
        (self.trace, exit)
    }

    /// Writes to stdout: the next pipeline stage's input, or the output.
    fn out(&mut self, text: impl Into<String>) {
        let text = text.into();
        if let Some(pipe) = &mut self.capture {
            pipe.push_str(&text);
        } else {
            self.err(text);
        }
    }

    /// Writes to stderr, which a pipe does not carry: always the output.
    fn err(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() && !self.quiet {
            self.trace.output.push((self.clock, text));
        }
    }

    /// Runs a parsed script to its end (or the horizon).
    pub(super) fn script(mut self, cmd: &Command, args: Vec<String>) -> Trace {
        self.args = args;
        let status = match self.run(cmd) {
            Ok(()) => Some(self.status),
            Err(Stop::Exit(code)) => Some(code),
            Err(Stop::Unsupported(what)) => {
                self.trace.unsupported = Some(what);
                None
            }
            Err(Stop::Running | Stop::Missing) => None,
        };
        self.finish(status)
    }

    /// Runs one utility as the container's process (exec form).
    pub(super) fn utility(mut self, argv: &[String]) -> Trace {
        let status = match self.exec(argv, true) {
            Ok(code) => Some(code),
            Err(Stop::Exit(code)) => Some(code),
            Err(Stop::Unsupported(what)) => {
                self.trace.unsupported = Some(what);
                None
            }
            Err(Stop::Running | Stop::Missing) => None,
        };
        self.finish(status)
    }

    /// Runs one program started by `kubectl exec` (no shell around it):
    /// `Err(())` when the image has no such executable.
    pub(super) fn exec_direct(mut self, argv: &[String]) -> Result<Trace, ()> {
        self.missing_is_error = true;
        let status = match self.exec(argv, true) {
            Ok(code) | Err(Stop::Exit(code)) => Some(code),
            Err(Stop::Unsupported(what)) => {
                self.trace.unsupported = Some(what);
                None
            }
            Err(Stop::Running) => None,
            Err(Stop::Missing) => return Err(()),
        };
        Ok(self.finish(status))
    }

    /// A script that could not be parsed: the shell's message, exit 2; or
    /// a construct kubeplay cannot run, which stops the run unsupported.
    pub(super) fn syntax_error(mut self, error: &super::shell::SyntaxError) -> Trace {
        match error {
            super::shell::SyntaxError::Syntax(message) => {
                let line = self.prefix(self.line_no);
                self.out(format!("{line}{message}\n"));
                self.finish(Some(2))
            }
            super::shell::SyntaxError::Unsupported(what) => {
                self.trace.unsupported = Some(what.clone());
                self.finish(None)
            }
        }
    }

    fn finish(mut self, status: Option<i32>) -> Trace {
        self.trace.exit = status.map(|s| (self.clock, s & 0xff));
        self.trace.reached = self.clock;
        self.trace
    }

    /// `sh: ` (ash), `sh: 1: ` (dash), `bash: line 1: ` (bash; interactive
    /// bash names no line).
    fn prefix(&self, line: usize) -> String {
        match self.dialect {
            Dialect::Ash => format!("{}: ", self.name),
            Dialect::Dash => format!("{}: {line}: ", self.name),
            Dialect::Bash if self.interactive => format!("{}: ", self.name),
            Dialect::Bash => format!("{}: line {line}: ", self.name),
        }
    }

    fn tick(&mut self) -> Result<(), Stop> {
        self.steps += 1;
        if self.steps > STEP_BUDGET || self.clock > self.horizon {
            return Err(Stop::Running);
        }
        Ok(())
    }

    fn run(&mut self, cmd: &Command) -> Result<(), Stop> {
        self.tick()?;
        match cmd {
            Command::Simple { assigns, words } => {
                let argv = self.expand_all(words);
                if argv.is_empty() {
                    for (name, value) in assigns {
                        let v = self.expand(value).join(" ");
                        self.vars.insert(name.clone(), v);
                    }
                    self.status = 0;
                    return Ok(());
                }
                // Prefix assignments last for the one command (copying the
                // variables only then: a replayed loop runs many commands).
                let saved = (!assigns.is_empty()).then(|| self.vars.clone());
                for (name, value) in assigns {
                    let v = self.expand(value).join(" ");
                    self.vars.insert(name.clone(), v);
                }
                let result = self.exec(&argv, false);
                if let Some(saved) = saved {
                    self.vars = saved;
                }
                self.status = result?;
            }
            Command::Pipeline(stages) => self.pipeline(stages)?,
            Command::And(a, b) => {
                self.run(a)?;
                if self.status == 0 {
                    self.run(b)?;
                }
            }
            Command::Or(a, b) => {
                self.run(a)?;
                if self.status != 0 {
                    self.run(b)?;
                }
            }
            Command::Seq(items) => {
                for item in items {
                    self.run(item)?;
                }
            }
            Command::If(arms, otherwise) => {
                for (cond, body) in arms {
                    self.run(cond)?;
                    if self.status == 0 {
                        return self.run(body);
                    }
                }
                self.status = 0;
                if let Some(body) = otherwise {
                    self.run(body)?;
                }
            }
            Command::Loop { cond, body, until } => {
                let mut last = 0;
                loop {
                    self.run(cond)?;
                    if (self.status == 0) == *until {
                        break;
                    }
                    self.run(body)?;
                    last = self.status;
                }
                self.status = last;
            }
            Command::For(name, words, body) => {
                let items = self.expand_all(words);
                self.status = 0;
                for item in items {
                    self.vars.insert(name.clone(), item);
                    self.run(body)?;
                }
            }
        }
        Ok(())
    }

    /// Runs `a | b | c`. Each stage runs in a subshell, as in ash, dash and
    /// bash (no `lastpipe`): its variables, directory and `exit` stay
    /// inside it. Stages run one after another on the virtual clock (the
    /// next starts when the previous has written all its output, which the
    /// filters only read as a whole anyway); the pipeline's status is the
    /// last stage's (POSIX 2.9.2, no `pipefail`).
    fn pipeline(&mut self, stages: &[Command]) -> Result<(), Stop> {
        let outer_stdin = std::mem::take(&mut self.stdin);
        let mut input = outer_stdin.clone();
        for (i, stage) in stages.iter().enumerate() {
            let last = i + 1 == stages.len();
            self.stdin = std::mem::take(&mut input);
            // The last stage writes where the pipeline writes (which may
            // itself be a pipe); the others into the next stage's stdin.
            let outer_capture = if last { None } else { Some(self.capture.replace(String::new())) };
            let saved = (self.vars.clone(), self.cwd.clone());
            let result = self.run(stage);
            (self.vars, self.cwd) = saved;
            if let Some(outer) = outer_capture {
                input = std::mem::replace(&mut self.capture, outer).unwrap_or_default();
            }
            match result {
                Ok(()) => {}
                Err(Stop::Exit(code)) => self.status = code & 0xff,
                Err(stop) => {
                    self.stdin = outer_stdin;
                    return Err(stop);
                }
            }
        }
        self.stdin = outer_stdin;
        Ok(())
    }

    fn var(&self, name: &str) -> String {
        match name {
            "?" => self.status.to_string(),
            "@" => self.args.join(" "),
            // The shell keeps `$PWD` as its working directory.
            "PWD" => self.cwd.clone(),
            _ => self.vars.get(name).cloned().unwrap_or_default(),
        }
    }

    /// Expands a word into fields (unquoted expansions split on blanks).
    fn expand(&self, word: &Word) -> Vec<String> {
        let mut fields: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut has = false;
        for part in word {
            match part {
                Part::Lit(s, _) => {
                    current.push_str(s);
                    has = true;
                }
                Part::Var(name, true) => {
                    current.push_str(&self.var(name));
                    has = true;
                }
                Part::Var(name, false) => {
                    let value = self.var(name);
                    let mut pieces = value.split([' ', '\t', '\n']).peekable();
                    let leading_blank = value.starts_with([' ', '\t', '\n']);
                    if leading_blank && has {
                        fields.push(std::mem::take(&mut current));
                        has = false;
                    }
                    while let Some(piece) = pieces.next() {
                        if piece.is_empty() {
                            continue;
                        }
                        current.push_str(piece);
                        has = true;
                        if pieces.peek().is_some() {
                            fields.push(std::mem::take(&mut current));
                            has = false;
                        }
                    }
                    if value.ends_with([' ', '\t', '\n']) && has {
                        fields.push(std::mem::take(&mut current));
                        has = false;
                    }
                }
            }
        }
        if has {
            fields.push(current);
        }
        fields
    }

    fn expand_all(&self, words: &[Word]) -> Vec<String> {
        words.iter().flat_map(|w| self.expand(w)).collect()
    }

    /// Runs one command; `direct` when it is the container's process itself
    /// (no shell around it to report "not found").
    fn exec(&mut self, argv: &[String], direct: bool) -> Result<i32, Stop> {
        let name = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_owned();
        let args = &argv[1..];
        match name.as_str() {
            "echo" => Ok(self.echo(args)),
            "sleep" => self.sleep(args),
            "exit" if !direct => {
                let code = match args.first() {
                    Some(a) => a.parse::<i32>().unwrap_or(2),
                    None => self.status,
                };
                Err(Stop::Exit(code))
            }
            "true" | ":" => Ok(0),
            "false" => Ok(1),
            "date" => Ok(self.date(args)),
            "printenv" | "env" => Ok(self.printenv(&name, args)),
            "cat" => Ok(self.cat(args)),
            "hostname" => {
                let h = self.ctx.hostname.clone();
                self.out(format!("{h}\n"));
                Ok(0)
            }
            "ls" | "pwd" | "cd" | "whoami" | "id" => Ok(self.files_and_user(&name, args)),
            _ if crate::textutil::is_text_tool(&name)
                && super::userland::userland(&self.ctx.image).has_tool(&name) =>
            {
                self.filter(&name, args)
            }
            "wget" | "nslookup" | "curl"
                if let Some(printed) = self.ctx.net.as_deref().and_then(|net| {
                    crate::sim::traffic::pod::run(&name, args, &self.ctx.image, net)
                }) =>
            {
                self.out(printed.merged());
                Ok(printed.status)
            }
            "wget" | "nslookup" | "curl"
                if self.ctx.calls.is_some()
                    && crate::sim::traffic::pod::has_tool(&self.ctx.image, &name) =>
            {
                self.replayed_call(&name, args)
            }
            _ if super::userland::userland(&self.ctx.image).ships_unemulated(&name) => {
                Err(Stop::Unsupported(format!(
                    "`{name}` in container image {} (the image has it; kubeplay's container \
                     shell does not run it)",
                    self.ctx.image
                )))
            }
            _ if direct && self.missing_is_error => Err(Stop::Missing),
            _ if direct => Err(Stop::Running),
            _ => {
                let prefix = self.prefix(self.line_no);
                let what = match self.dialect {
                    Dialect::Bash => "command not found",
                    _ => "not found",
                };
                self.err(format!("{prefix}{}: {what}\n", argv[0]));
                Ok(127)
            }
        }
    }

    /// A main process's network call: the answer the kubelet recorded when
    /// the clock reached it, or a pause until it does
    /// ([`super::Trace::waiting`]).
    fn replayed_call(&mut self, name: &str, args: &[String]) -> Result<i32, Stop> {
        let answered = self.ctx.calls.as_ref().and_then(|c| c.get(self.calls_made));
        match answered {
            Some(printed) => {
                let status = printed.status;
                if !self.quiet {
                    let text = printed.merged();
                    self.out(text);
                }
                self.calls_made += 1;
                Ok(status)
            }
            None => {
                let argv = std::iter::once(name.to_owned()).chain(args.iter().cloned()).collect();
                self.trace.waiting = Some((self.clock, argv));
                Err(Stop::Running)
            }
        }
    }

    /// `ls`, `cd`, `pwd`, `whoami`, `id` ([`super::userland`]).
    fn files_and_user(&mut self, name: &str, args: &[String]) -> i32 {
        let prefix = self.prefix(self.line_no);
        let mut cwd = std::mem::take(&mut self.cwd);
        // Into a pipe, stdout is no terminal: `ls` prints one name a line.
        let tty = self.tty && self.capture.is_none();
        let (text, status) = super::userland::run(self.ctx, &mut cwd, name, args, tty, &prefix);
        self.cwd = cwd;
        self.out(text);
        status
    }

    /// busybox `echo` (`-n`, `-e`).
    fn echo(&mut self, args: &[String]) -> i32 {
        let mut newline = true;
        let mut escapes = false;
        let mut rest = args;
        while let Some(flag) = rest.first() {
            match flag.as_str() {
                "-n" => newline = false,
                "-e" => escapes = true,
                "-E" => escapes = false,
                "-ne" | "-en" => {
                    newline = false;
                    escapes = true;
                }
                _ => break,
            }
            rest = &rest[1..];
        }
        let mut text = rest.join(" ");
        if escapes {
            text = text.replace("\\n", "\n").replace("\\t", "\t");
        }
        if newline {
            text.push('\n');
        }
        self.out(text);
        0
    }

    /// busybox `sleep N[smhd]...`: waits on the virtual clock.
    fn sleep(&mut self, args: &[String]) -> Result<i32, Stop> {
        if args.is_empty() {
            self.out("BusyBox sleep: missing operand\n");
            return Ok(1);
        }
        let mut total = Duration::ZERO;
        for a in args {
            let Some(d) = parse_sleep(a) else {
                self.out(format!("sleep: invalid number '{a}'\n"));
                return Ok(1);
            };
            total += d;
        }
        let end = self.clock + total;
        if end > self.horizon {
            self.clock = self.horizon;
            return Err(Stop::Running);
        }
        self.clock = end;
        Ok(0)
    }

    /// busybox `date`: `Tue Nov 15 22:08:29 UTC 2022`, or `+FORMAT`.
    fn date(&mut self, args: &[String]) -> i32 {
        let now = time::add(self.ctx.start, self.clock);
        let now = k8s_openapi::jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
        let zoned = now.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC);
        let format =
            args.iter().find_map(|a| a.strip_prefix('+')).unwrap_or("%a %b %e %H:%M:%S UTC %Y");
        let text = zoned.strftime(format).to_string();
        self.out(format!("{text}\n"));
        0
    }

    fn printenv(&mut self, name: &str, args: &[String]) -> i32 {
        if args.is_empty() || name == "env" {
            let text: String = self
                .ctx
                .env
                .iter()
                .map(|(k, _)| {
                    let v = self.vars.get(k).cloned().unwrap_or_default();
                    format!("{k}={v}\n")
                })
                .collect();
            self.out(text);
            return 0;
        }
        let mut status = 0;
        for a in args {
            match self.ctx.env.iter().find(|(k, _)| k == a) {
                Some(_) => {
                    let v = self.vars.get(a).cloned().unwrap_or_default();
                    self.out(format!("{v}\n"));
                }
                None => status = 1,
            }
        }
        status
    }

    /// A text filter ([`crate::textutil`], shared with the tutorial shell)
    /// over the stage's stdin.
    /// A text filter the image ships: its output, or an unsupported stop
    /// for a form kubeplay cannot emulate (never a message the real tool
    /// would not print).
    fn filter(&mut self, name: &str, args: &[String]) -> Result<i32, Stop> {
        let argv: Vec<String> =
            std::iter::once(name.to_owned()).chain(args.iter().cloned()).collect();
        let (stdout, stderr, status) = crate::textutil::run(&argv, &self.stdin, None).map_err(
            |crate::textutil::Unsupported(what)| {
                Stop::Unsupported(format!("{what} in a container"))
            },
        )?;
        self.out(stdout);
        self.err(stderr);
        Ok(status)
    }

    fn cat(&mut self, args: &[String]) -> i32 {
        if args.is_empty() || args == ["-"] {
            // No file: copy stdin.
            let text = self.stdin.clone();
            self.out(text);
            return 0;
        }
        let mut status = 0;
        for a in args {
            match self.ctx.files.get(a.as_str()) {
                Some(text) => {
                    let text = text.clone();
                    self.out(text);
                }
                None => {
                    // busybox `cat: can't open 'F': ...`; GNU coreutils
                    // `cat: F: No such file or directory`.
                    let text = if super::userland::userland(&self.ctx.image).gnu() {
                        format!("cat: {a}: No such file or directory\n")
                    } else {
                        format!("cat: can't open '{a}': No such file or directory\n")
                    };
                    self.err(text);
                    status = 1;
                }
            }
        }
        status
    }
}

/// `N`, `N.M`, with an optional `s`/`m`/`h`/`d` suffix.
fn parse_sleep(s: &str) -> Option<Duration> {
    let (num, unit) = match s.char_indices().last()? {
        (i, c @ ('s' | 'm' | 'h' | 'd')) => (&s[..i], c),
        _ => (s, 's'),
    };
    let n: f64 = num.parse().ok().filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    if num.starts_with(['+', '-']) || num.contains(['e', 'E']) {
        return None;
    }
    let factor = match unit {
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86400.0,
        _ => 1.0,
    };
    Duration::try_from_secs_f64(n * factor).ok()
}
