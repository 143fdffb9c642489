//! The interpreter of the container shell and its utilities, on virtual
//! time: `sleep` moves a cursor, output is stamped with the cursor, and the
//! run stops at a horizon or when a step budget is spent (a loop that never
//! exits counts as running forever).

use std::{collections::BTreeMap, time::Duration};

use super::{
    Context, Dialect, Trace, arith,
    fs::{Fs, FsError, Node},
    session::ShellState,
    shell::{Command, Param, ParamOp, Part, Redir, RedirOp, Word},
    userland::{self, Userland},
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
    /// stderr redirected (`2> FILE`, `2>&1`): collects here.
    err_capture: Option<String>,
    /// The container's filesystem as this process changes it.
    pub(super) fs: Fs,
    /// The state of `$RANDOM` (seeded from the container's identity: the
    /// same run draws the same numbers).
    random: std::cell::Cell<u64>,
    /// The status of the last command substitution of the command being
    /// expanded (`x=$(false)` sets `$?` to 1).
    sub_status: Option<i32>,
    /// How often the process has read the clock (`date`): a loop pass that
    /// read it may go another way later, so it is no proof of a cycle.
    clock_reads: u64,
    /// The last pid handed out in the container, while every process this
    /// run started is accounted for ([`Context::last_pid`]).
    pub(super) pid: Option<u32>,
    /// The last command run was a program of its own (not a builtin).
    pub(super) last_forked: bool,
}

/// Whether `name` is a builtin of the container shell (no process of its
/// own): POSIX special and regular builtins dash, ash and bash all have,
/// and the utilities they build in (`echo`, `printf`, `test`, `kill`).
fn is_builtin(name: &str, dialect: Dialect) -> bool {
    matches!(
        name,
        "echo"
            | "printf"
            | "read"
            | "export"
            | "unset"
            | "set"
            | "shift"
            | "eval"
            | "exec"
            | "."
            | "source"
            | "trap"
            | "wait"
            | "umask"
            | "alias"
            | "unalias"
            | "type"
            | "command"
            | "getopts"
            | "readonly"
            | "local"
            | "return"
            | "break"
            | "continue"
            | "times"
            | "hash"
            | "exit"
            | "true"
            | "false"
            | ":"
            | "test"
            | "["
            | "cd"
            | "pwd"
            | "kill"
            | "[["
            | "let"
    ) && !(dialect == Dialect::Dash && matches!(name, "[[" | "let"))
}

/// What a loop pass can change that decides the passes after it: when two
/// passes start from the same state and the clock was not read, the run
/// repeats forever ([`Machine::run`], quiet runs).
#[derive(PartialEq)]
struct PassState {
    vars: BTreeMap<String, String>,
    cwd: String,
    status: i32,
    random: u64,
    calls_made: usize,
    changes: super::fs::Changes,
    clock_reads: u64,
}

#[cfg(test)]
thread_local! {
    /// Commands run on this thread (the complexity guards count work, not
    /// time).
    pub(super) static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
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
            err_capture: None,
            fs: Fs::new(&ctx.image, &ctx.files, &ctx.mounts, &ctx.changes),
            random: std::cell::Cell::new(random_seed(ctx)),
            sub_status: None,
            clock_reads: 0,
            pid: ctx.last_pid,
            last_forked: false,
        }
    }

    /// The time now on the virtual clock.
    fn now(&self) -> k8s_openapi::jiff::Timestamp {
        let now = time::add(self.ctx.start, self.clock);
        k8s_openapi::jiff::Timestamp::from_second(now.as_second()).unwrap_or(now)
    }

    fn land(&self) -> Userland {
        userland::userland(&self.ctx.image)
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
        self.trace.changes = self.fs.changes().clone();
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

    /// Writes to stderr, which a pipe does not carry: the output, unless
    /// redirected.
    fn err(&mut self, text: impl Into<String>) {
        let text = text.into();
        if let Some(e) = &mut self.err_capture {
            e.push_str(&text);
            return;
        }
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
        self.trace.last_pid = self.pid;
        self.trace.last_forked = self.last_forked;
        self.trace.exit = status.map(|s| (self.clock, s & 0xff));
        self.trace.reached = self.clock;
        self.trace.changes = self.fs.changes().clone();
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
        #[cfg(test)]
        STEPS.with(|s| s.set(s.get() + 1));
        self.steps += 1;
        if self.steps > STEP_BUDGET || self.clock > self.horizon {
            return Err(Stop::Running);
        }
        Ok(())
    }

    fn run(&mut self, cmd: &Command) -> Result<(), Stop> {
        self.tick()?;
        match cmd {
            Command::Simple { assigns, words, redirs } if !redirs.is_empty() => {
                let redirs = redirs.clone();
                let plain = Command::Simple {
                    assigns: assigns.clone(),
                    words: words.clone(),
                    redirs: Vec::new(),
                };
                self.redirected(&plain, &redirs)?;
            }
            Command::Simple { assigns, words, .. } => {
                self.sub_status = None;
                let argv = self.expand_all(words)?;
                if argv.is_empty() {
                    for (name, value) in assigns {
                        let v = self.expand_one(value)?;
                        self.vars.insert(name.clone(), v);
                    }
                    // With no command, the status is the last command
                    // substitution's (POSIX 2.9.1).
                    self.status = self.sub_status.take().unwrap_or(0);
                    return Ok(());
                }
                // Prefix assignments last for the one command (copying the
                // variables only then: a replayed loop runs many commands).
                let saved = (!assigns.is_empty()).then(|| self.vars.clone());
                for (name, value) in assigns {
                    let v = self.expand_one(value)?;
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
                let mut before: Option<PassState> = None;
                loop {
                    // Only how the run goes matters (`run_through`): a pass
                    // that starts where the previous one started, without
                    // reading the clock, starts the same pass forever
                    // (`while true; do ...; sleep 5; done`), so the process
                    // never exits; no need to spend the step budget on it.
                    if self.quiet && self.capture.is_none() {
                        let now = self.pass_state();
                        if before.as_ref().is_some_and(|b| *b == now) {
                            self.clock = self.horizon;
                            return Err(Stop::Running);
                        }
                        before = Some(now);
                    }
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
                let items = self.expand_all(words)?;
                self.status = 0;
                for item in items {
                    self.vars.insert(name.clone(), item);
                    self.run(body)?;
                }
            }
            Command::Redirected(body, redirs) => self.redirected(body, redirs)?,
            Command::Subshell(body) => {
                // How many processes a subshell forks is not followed.
                self.pid = None;
                let saved = (self.vars.clone(), self.cwd.clone());
                let result = self.run(body);
                (self.vars, self.cwd) = saved;
                match result {
                    Err(Stop::Exit(code)) => self.status = code & 0xff,
                    other => other?,
                }
            }
            Command::Arith(expr) => {
                // busybox ash and dash have no `((`: they read nested
                // subshells, which kubeplay does not take apart.
                if self.dialect != Dialect::Bash {
                    return Err(Stop::Unsupported(format!(
                        "`((` in {} (not bash's arithmetic command there)",
                        self.name
                    )));
                }
                let text = self.expand_one(expr)?;
                self.status = i32::from(self.arith(&text)? == 0);
            }
        }
        Ok(())
    }

    fn pass_state(&self) -> PassState {
        PassState {
            vars: self.vars.clone(),
            cwd: self.cwd.clone(),
            status: self.status,
            random: self.random.get(),
            calls_made: self.calls_made,
            changes: self.fs.changes().clone(),
            clock_reads: self.clock_reads,
        }
    }

    /// `$(list)`: the list runs in a subshell with its stdout captured;
    /// trailing newlines are cut (POSIX 2.6.3).
    fn substitute(&mut self, cmd: &Command) -> Result<String, Stop> {
        self.pid = None;
        let saved = (self.vars.clone(), self.cwd.clone(), self.sub_status);
        let outer = self.capture.replace(String::new());
        let result = self.run(cmd);
        let out = std::mem::replace(&mut self.capture, outer).unwrap_or_default();
        (self.vars, self.cwd, self.sub_status) = saved;
        match result {
            Ok(()) => {}
            Err(Stop::Exit(code)) => self.status = code & 0xff,
            Err(stop) => return Err(stop),
        }
        self.sub_status = Some(self.status);
        Ok(out.trim_end_matches('\n').to_owned())
    }

    /// Evaluates an arithmetic expression; an error is the shell's own
    /// (each shell's message; the non-interactive shell exits with 2:
    /// ash's `ash_msg_and_raise_error`, dash's `sh_error`), or stops the
    /// run unsupported.
    fn arith(&mut self, expr: &str) -> Result<i64, Stop> {
        struct View<'m, 'c>(&'m mut Machine<'c>);
        impl arith::Vars for View<'_, '_> {
            fn get(&mut self, name: &str) -> String {
                self.0.var(name)
            }
            fn set(&mut self, name: &str, value: String) {
                self.0.vars.insert(name.to_owned(), value);
            }
        }
        let dialect = self.dialect;
        match arith::eval(expr, dialect, &mut View(self)) {
            Ok(v) => Ok(v),
            Err(arith::Error::DivisionByZero) => {
                let prefix = self.prefix(self.line_no);
                match dialect {
                    // busybox `shell/math.c`: "divide by zero".
                    Dialect::Ash => self.err(format!("{prefix}divide by zero\n")),
                    // dash `src/arith_yacc.c`: `arith expression: ...`
                    Dialect::Dash => self.err(format!(
                        "{prefix}arithmetic expression: division by zero: \"{expr}\"\n"
                    )),
                    // Whether bash -c goes on after its expansion error
                    // is not modelled.
                    Dialect::Bash => {
                        return Err(Stop::Unsupported(format!(
                            "division by zero in bash arithmetic '{expr}'"
                        )));
                    }
                }
                Err(Stop::Exit(2))
            }
            Err(arith::Error::Unsupported(what)) => {
                Err(Stop::Unsupported(format!("{what} in a container shell")))
            }
        }
    }

    /// `let EXPR...` (bash, busybox ash; dash has none): status 1 when the
    /// last value is 0.
    fn let_builtin(&mut self, args: &[String]) -> Result<i32, Stop> {
        if args.is_empty() {
            return Err(Stop::Unsupported("`let` without an expression".into()));
        }
        let mut last = 0;
        for a in args {
            last = self.arith(a)?;
        }
        Ok(i32::from(last == 0))
    }

    /// Runs `a | b | c`. Each stage runs in a subshell, as in ash, dash and
    /// bash (no `lastpipe`): its variables, directory and `exit` stay
    /// inside it. Stages run one after another on the virtual clock (the
    /// next starts when the previous has written all its output, which the
    /// filters only read as a whole anyway); the pipeline's status is the
    /// last stage's (POSIX 2.9.2, no `pipefail`).
    fn pipeline(&mut self, stages: &[Command]) -> Result<(), Stop> {
        self.pid = None;
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
            "@" | "*" => self.args.join(" "),
            "#" => self.args.len().to_string(),
            "0" => self.name.clone(),
            _ if name.len() == 1 && name.as_bytes()[0].is_ascii_digit() => {
                let n = usize::from(name.as_bytes()[0] - b'0');
                self.args.get(n - 1).cloned().unwrap_or_default()
            }
            // bash and busybox ash (`FEATURE_SH_RANDOM`): 0..32767, a new
            // number each read, unless assigned; dash has no `$RANDOM`.
            "RANDOM" if self.dialect != Dialect::Dash && !self.vars.contains_key(name) => {
                let mut x = self.random.get();
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                self.random.set(x);
                ((x >> 33) % 32768).to_string()
            }
            // The shell keeps `$PWD` as its working directory.
            "PWD" => self.cwd.clone(),
            _ => self.vars.get(name).cloned().unwrap_or_default(),
        }
    }

    /// Expands a word into fields (unquoted expansions split on blanks),
    /// then pathname expansion of a field with unquoted `*`, `?` or `[`.
    fn expand_globbing(&mut self, word: &Word) -> Result<Vec<String>, Stop> {
        // `[` starts a bracket expression only when a `]` closes it: the
        // test command `[` (and `]`) match nothing but themselves, so they
        // need no directory listing (POSIX 2.13.1).
        let globbing = word.iter().any(|p| {
            matches!(p, Part::Lit(s, false)
                if s.contains(['*', '?']) || s.find('[').is_some_and(|i| s[i + 1..].contains(']')))
        });
        let fields = self.expand(word)?;
        if !globbing || fields.len() != 1 {
            return Ok(fields);
        }
        let mut pattern = crate::shell::pattern::Pattern::default();
        let text = fields[0].clone();
        let (dir, last) = match text.rsplit_once('/') {
            Some((d, l)) => (Some(d), l),
            None => (None, text.as_str()),
        };
        if dir.is_some_and(|d| d.contains(['*', '?', '['])) {
            return Err(Stop::Unsupported(format!(
                "pattern {text} in a container (wildcards in a directory part)"
            )));
        }
        // Quoted wildcards would be literal: the split above cannot tell,
        // and tutorials do not quote them inside a glob.
        pattern.push_glob(last);
        let path =
            userland::resolve(&self.cwd, dir.map_or(".", |d| if d.is_empty() { "/" } else { d }));
        let Some(names) = self.fs.list(&path) else {
            return Err(Stop::Unsupported(format!(
                "pattern {text} in a container (kubeplay does not model the content of {path})"
            )));
        };
        let matched: Vec<String> = names
            .into_iter()
            .filter(|n| !n.starts_with('.') || last.starts_with('.'))
            .filter(|n| pattern.matches(n))
            .map(|n| match dir {
                Some(d) => format!("{d}/{n}"),
                None => n,
            })
            .collect();
        Ok(if matched.is_empty() { fields } else { matched })
    }

    /// A word expanded into one string, unsplit (an assignment's value, a
    /// redirection's target).
    fn expand_one(&mut self, word: &Word) -> Result<String, Stop> {
        let mut out = String::new();
        for part in word {
            out.push_str(&self.value(part)?.0);
        }
        Ok(out)
    }

    /// The text of one part and whether it is field-split.
    fn value(&mut self, part: &Part) -> Result<(String, bool), Stop> {
        Ok(match part {
            Part::Lit(s, _) => (s.clone(), false),
            Part::Var(name, quoted) => (self.var(name), !quoted),
            Part::Sub(cmd, quoted) => (self.substitute(cmd)?, !quoted),
            Part::Arith(expr, quoted) => {
                let text = self.expand_one(expr)?;
                (self.arith(&text)?.to_string(), !quoted)
            }
            Part::Param(p, quoted) => (self.param(p)?, !quoted),
        })
    }

    /// `${NAME<op>word}` (POSIX 2.6.2; the substring, replacement and
    /// case forms of bash, busybox ash for the first two).
    fn param(&mut self, p: &Param) -> Result<String, Stop> {
        let set = match p.name.as_str() {
            "?" | "#" | "@" | "*" | "0" => true,
            "RANDOM" => self.dialect != Dialect::Dash || self.vars.contains_key("RANDOM"),
            n if n.len() == 1 && n.as_bytes()[0].is_ascii_digit() => {
                usize::from(n.as_bytes()[0] - b'0') <= self.args.len()
            }
            n => self.vars.contains_key(n),
        };
        let value = self.var(&p.name);
        let bash_only = matches!(p.op, ParamOp::Upper(_) | ParamOp::Lower(_));
        let not_posix = bash_only || matches!(p.op, ParamOp::Substring | ParamOp::Replace(_));
        if self.dialect == Dialect::Dash && not_posix {
            // dash `src/expand.c` `varvalue`: a fatal expansion error.
            let prefix = self.prefix(self.line_no);
            self.err(format!("{prefix}Bad substitution\n"));
            return Err(Stop::Exit(2));
        }
        if self.dialect == Dialect::Ash && bash_only {
            return Err(Stop::Unsupported(format!(
                "case conversion `${{{}^^}}` in busybox ash",
                p.name
            )));
        }
        let empty_counts = |colon: bool| !set || (colon && value.is_empty());
        Ok(match p.op {
            ParamOp::Length => value.chars().count().to_string(),
            ParamOp::Default(colon) if empty_counts(colon) => self.expand_one(&p.arg)?,
            ParamOp::Assign(colon) if empty_counts(colon) => {
                let v = self.expand_one(&p.arg)?;
                self.vars.insert(p.name.clone(), v.clone());
                v
            }
            ParamOp::Alternative(colon) => {
                if empty_counts(colon) {
                    String::new()
                } else {
                    self.expand_one(&p.arg)?
                }
            }
            ParamOp::Error(colon) if empty_counts(colon) => {
                return Err(Stop::Unsupported(format!(
                    "`${{{}:?...}}` failing in a container shell",
                    p.name
                )));
            }
            ParamOp::Default(_) | ParamOp::Assign(_) | ParamOp::Error(_) => value,
            ParamOp::TrimSuffix(longest) | ParamOp::TrimPrefix(longest) => {
                let pattern = self.pattern(&p.arg)?;
                let suffix = matches!(p.op, ParamOp::TrimSuffix(_));
                trim(&value, &pattern, suffix, longest)
            }
            ParamOp::Replace(all) => {
                let pattern = self.pattern(&p.arg)?;
                let with = match &p.arg2 {
                    Some(w) => self.expand_one(w)?,
                    None => String::new(),
                };
                replace(&value, &pattern, &with, all)
            }
            ParamOp::Substring => {
                let chars: Vec<char> = value.chars().collect();
                let len = i64::try_from(chars.len()).unwrap_or(i64::MAX);
                let off_text = self.expand_one(&p.arg)?;
                let mut off = self.arith(&off_text)?;
                if off < 0 {
                    off = (len + off).max(0);
                }
                let off = off.min(len);
                let count = match &p.arg2 {
                    Some(w) => {
                        let text = self.expand_one(w)?;
                        let n = self.arith(&text)?;
                        if n < 0 { (len + n - off).max(0) } else { n.min(len - off) }
                    }
                    None => len - off,
                };
                chars.iter().skip(off as usize).take(count.max(0) as usize).collect()
            }
            ParamOp::Upper(all) | ParamOp::Lower(all) => {
                let upper = matches!(p.op, ParamOp::Upper(_));
                value
                    .chars()
                    .enumerate()
                    .map(|(i, c)| match (i == 0 || all, upper) {
                        (true, true) => c.to_ascii_uppercase(),
                        (true, false) => c.to_ascii_lowercase(),
                        _ => c,
                    })
                    .collect()
            }
        })
    }

    /// A `${...}` pattern: unquoted text is a glob, quoted text literal.
    fn pattern(&mut self, word: &Word) -> Result<crate::shell::pattern::Pattern, Stop> {
        let mut pattern = crate::shell::pattern::Pattern::default();
        for part in word {
            match part {
                Part::Lit(s, false) => pattern.push_glob(s),
                other => {
                    let (text, _) = self.value(other)?;
                    pattern.push_literal(&text);
                }
            }
        }
        Ok(pattern)
    }

    /// Expands a word into fields (unquoted expansions split on blanks).
    fn expand(&mut self, word: &Word) -> Result<Vec<String>, Stop> {
        let mut fields: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut has = false;
        for part in word {
            let (value, split) = self.value(part)?;
            match split {
                false => {
                    current.push_str(&value);
                    has = true;
                }
                true => {
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
        Ok(fields)
    }

    fn expand_all(&mut self, words: &[Word]) -> Result<Vec<String>, Stop> {
        let mut out = Vec::new();
        for w in words {
            out.extend(self.expand_globbing(w)?);
        }
        Ok(out)
    }

    /// The shell's message for a redirection it could not open: ash
    /// `sh: can't create F: nonexistent directory`, dash `sh: 1: cannot
    /// create F: Directory nonexistent`, bash `bash: F: No such file or
    /// directory` (each shell's `openredirect`); with its status.
    fn redirect_error(&mut self, path: &str, input: bool, e: &FsError) -> Result<i32, Stop> {
        if let FsError::Unknown(what) = e {
            return Err(Stop::Unsupported(format!(
                "redirection to {what} in a container (kubeplay does not model that part of image {})",
                self.ctx.image
            )));
        }
        let prefix = self.prefix(self.line_no);
        let text = match (self.dialect, input) {
            (Dialect::Bash, _) => format!("{prefix}{path}: {}\n", e.text()),
            (Dialect::Ash, true) => format!("{prefix}can't open {path}: no such file\n"),
            (Dialect::Ash, false) => match e {
                FsError::IsDir => format!("{prefix}can't create {path}: Is a directory\n"),
                _ => format!("{prefix}can't create {path}: nonexistent directory\n"),
            },
            (Dialect::Dash, true) => format!("{prefix}cannot open {path}: No such file\n"),
            (Dialect::Dash, false) => match e {
                FsError::IsDir => format!("{prefix}cannot create {path}: Is a directory\n"),
                _ => format!("{prefix}cannot create {path}: Directory nonexistent\n"),
            },
        };
        self.err(text);
        Ok(if self.dialect == Dialect::Dash { 2 } else { 1 })
    }

    /// Runs a simple command with its redirections: files opened (and
    /// truncated) in order before it runs, stdin from a file or text, its
    /// stdout and stderr collected and delivered where they point.
    fn redirected(&mut self, cmd: &Command, redirs: &[Redir]) -> Result<(), Stop> {
        #[derive(Clone, PartialEq)]
        enum Sink {
            Out,
            Err,
            File(String),
            Null,
        }
        let mut sinks = [Sink::Out, Sink::Err];
        let mut stdin = None;
        for r in redirs {
            let target = self.expand_one(&r.target)?;
            let fd = r.fd as usize;
            if fd > 2 {
                return Err(Stop::Unsupported(format!("redirection of fd {fd} in a container")));
            }
            match r.op {
                RedirOp::Text => stdin = Some(target),
                RedirOp::In => {
                    let path = userland::resolve(&self.cwd, &target);
                    match self.fs.read(&path) {
                        Ok(text) => stdin = Some(text),
                        Err(e) => {
                            self.status = self.redirect_error(&target, true, &e)?;
                            return Ok(());
                        }
                    }
                }
                RedirOp::Dup => {
                    let to = match target.as_str() {
                        "1" => sinks[0].clone(),
                        "2" => sinks[1].clone(),
                        _ => {
                            return Err(Stop::Unsupported(format!(
                                "redirection >&{target} in a container"
                            )));
                        }
                    };
                    if fd == 1 || fd == 2 {
                        sinks[fd - 1] = to;
                    }
                }
                RedirOp::Out | RedirOp::Append => {
                    if target == "/dev/null" {
                        if fd == 1 || fd == 2 {
                            sinks[fd - 1] = Sink::Null;
                        }
                        continue;
                    }
                    let path = userland::resolve(&self.cwd, &target);
                    let now = self.now();
                    if let Err(e) = self.fs.write(&path, "", r.op == RedirOp::Append, now) {
                        self.status = self.redirect_error(&target, false, &e)?;
                        return Ok(());
                    }
                    if fd == 1 || fd == 2 {
                        sinks[fd - 1] = Sink::File(path);
                    } else if fd == 0 {
                        stdin = Some(String::new());
                    }
                }
            }
        }
        let saved_stdin = stdin.map(|s| std::mem::replace(&mut self.stdin, s));
        let saved_out = self.capture.replace(String::new());
        let saved_err = self.err_capture.replace(String::new());
        let result = self.run(cmd);
        let out = std::mem::replace(&mut self.capture, saved_out).unwrap_or_default();
        let err = std::mem::replace(&mut self.err_capture, saved_err).unwrap_or_default();
        if let Some(s) = saved_stdin {
            self.stdin = s;
        }
        for (text, sink) in [(out, &sinks[0]), (err, &sinks[1])] {
            match sink {
                Sink::Out => self.out(text),
                Sink::Err => self.err(text),
                Sink::Null => {}
                Sink::File(path) => {
                    let now = self.now();
                    self.fs.write(path, &text, true, now).map_err(|e| {
                        Stop::Unsupported(format!("writing {path} in a container ({})", e.text()))
                    })?;
                }
            }
        }
        result
    }

    /// Runs one command; `direct` when it is the container's process itself
    /// (no shell around it to report "not found").
    fn exec(&mut self, argv: &[String], direct: bool) -> Result<i32, Stop> {
        let name = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_owned();
        let args = &argv[1..];
        // A program that is not one of the shell's builtins runs as a new
        // process (forked by the shell, or exec'd by the runtime).
        self.last_forked = direct || !is_builtin(&name, self.dialect);
        if self.last_forked {
            self.pid = self.pid.map(|p| p + 1);
        }
        match name.as_str() {
            "echo" => Ok(self.echo(args)),
            "printf" => self.printf(args),
            "read" => self.read(args),
            "export" | "unset" => self.export_unset(&name, args),
            // Builtins of every POSIX shell, and the shells themselves, that
            // kubeplay's container shell does not run: never "not found".
            "set" | "shift" | "eval" | "exec" | "." | "source" | "trap" | "wait" | "umask"
            | "alias" | "unalias" | "type" | "command" | "getopts" | "readonly" | "local"
            | "return" | "break" | "continue" | "times" | "hash" => Err(Stop::Unsupported(
                format!("the shell builtin `{name}` in a container (kubeplay does not run it)"),
            )),
            "sh" | "ash" | "bash" | "dash" if self.land().has_shell(&name) => {
                Err(Stop::Unsupported(format!("a nested `{name}` in a container")))
            }
            "sleep" => self.sleep(args),
            "nginx" if crate::sim::images::ImageRef::parse(&self.ctx.image).base() == "nginx" => {
                self.nginx(args)
            }
            "stress" if crate::sim::images::stress::ships_stress(&self.ctx.image) => {
                self.stress(args)
            }
            "exit" if !direct => {
                let code = match args.first() {
                    Some(a) => a.parse::<i32>().unwrap_or(2),
                    None => self.status,
                };
                Err(Stop::Exit(code))
            }
            "true" | ":" => Ok(0),
            "let" if self.dialect != Dialect::Dash => self.let_builtin(args),
            "false" => Ok(1),
            "date" => Ok(self.date(args)),
            "printenv" | "env" => Ok(self.printenv(&name, args)),
            "cat" => self.cat(args),
            "hostname" => {
                let h = self.ctx.hostname.clone();
                self.out(format!("{h}\n"));
                Ok(0)
            }
            "pwd" | "cd" | "whoami" | "id" => Ok(self.files_and_user(&name, args)),
            "ls" => self.ls(args),
            "rm" | "mkdir" | "touch" | "cp" | "mv" | "rmdir" => self.file_tool(&name, args),
            "test" | "[" => self.test(&name, args),
            // busybox ash (ASH_BASH_COMPAT, on in busybox's defconfig) and
            // bash take `[[ EXPR ]]` as a test; dash does not have it.
            "[[" if self.dialect != Dialect::Dash => self.test(&name, args),
            "rev" | "seq" | "expr" => self.applet(&name, args),
            _ if crate::textutil::is_text_tool(&name) && self.land().has_tool(&name) => {
                self.filter(&name, args)
            }
            "wget" | "nslookup" | "curl"
                if let Some(printed) = self.ctx.net.as_deref().and_then(|net| {
                    crate::sim::traffic::pod::run(&name, args, &self.ctx.image, net)
                }) =>
            {
                // What the tool reached and kubeplay cannot answer (an
                // image's unmodelled reply, a NetworkPolicy) stops the run
                // unsupported; its message is never printed as output.
                if let Some(what) = printed.unsupported {
                    return Err(Stop::Unsupported(what));
                }
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

    /// `nginx -t`, `nginx -s reload`, `nginx -v` in an nginx container
    /// ([`crate::sim::images::nginx::command`]): it reads the configuration
    /// from the container's files as they are now; a reload is recorded
    /// for the master, which forks its new workers if the files load.
    fn nginx(&mut self, args: &[String]) -> Result<i32, Stop> {
        use crate::sim::images::{ImageRef, nginx, startup};
        let now = self.now();
        let tag = ImageRef::parse(&self.ctx.image).tag;
        let version = startup::nginx_version(&tag, self.ctx.start);
        let ran = nginx::command(args, &self.fs, Some(version), now, self.pid)
            .map_err(Stop::Unsupported)?;
        self.err(ran.stderr);
        if ran.hangup {
            self.trace.hangups.push((self.clock, self.fs.changes().len()));
            // The master forks its new workers (the old ones finish).
            self.pid = match nginx::conf::load(&self.fs) {
                nginx::Loaded::Ok(c) => {
                    let workers = c.workers.unwrap_or(self.ctx.cpus).max(1);
                    self.pid.map(|p| p + workers)
                }
                nginx::Loaded::Emerg(_) => self.pid,
                nginx::Loaded::Unknown(_) => None,
            };
        }
        Ok(ran.exit)
    }

    /// `export NAME[=VALUE]...` and `unset NAME...`: the shell's variables
    /// (which every command kubeplay runs in the container sees anyway).
    fn export_unset(&mut self, name: &str, args: &[String]) -> Result<i32, Stop> {
        if args.iter().any(|a| a.starts_with('-')) || (name == "export" && args.is_empty()) {
            return Err(Stop::Unsupported(format!("{name} {} in a container", args.join(" "))));
        }
        for a in args {
            match (name, a.split_once('=')) {
                ("export", Some((k, v))) => {
                    self.vars.insert(k.to_owned(), v.to_owned());
                }
                ("export", None) => {}
                _ => {
                    self.vars.remove(a);
                }
            }
        }
        Ok(0)
    }

    /// `read [-r] [NAME...]` (POSIX, and ash, dash and bash alike for
    /// these forms): one line of stdin, split at blanks (the default
    /// `IFS`), a word per NAME and the rest to the last (`REPLY` without
    /// one); status 1 at end of input. A pipeline stage's `read` sets its
    /// subshell's variables only ([`Self::pipeline`]). Without `-r` a
    /// backslash is an escape, which is not modelled.
    fn read(&mut self, args: &[String]) -> Result<i32, Stop> {
        let raw = args.first().is_some_and(|a| a == "-r");
        let names: Vec<String> = args.iter().skip(usize::from(raw)).cloned().collect();
        if names.iter().any(|n| n.starts_with('-')) {
            return Err(Stop::Unsupported(format!("read {} in a container", names.join(" "))));
        }
        let names = if names.is_empty() { vec!["REPLY".to_owned()] } else { names };
        let (line, complete) = match self.stdin.find('\n') {
            Some(i) => {
                let line = self.stdin[..i].to_owned();
                self.stdin.drain(..=i);
                (line, true)
            }
            None => (std::mem::take(&mut self.stdin), false),
        };
        if !raw && line.contains('\\') {
            return Err(Stop::Unsupported("read without -r of a line with a backslash".into()));
        }
        let mut rest = line.trim_start_matches([' ', '\t']);
        for (i, name) in names.iter().enumerate() {
            let value = if i + 1 == names.len() {
                std::mem::take(&mut rest).trim_end_matches([' ', '\t']).to_owned()
            } else {
                let end = rest.find([' ', '\t']).unwrap_or(rest.len());
                let word = rest[..end].to_owned();
                rest = rest[end..].trim_start_matches([' ', '\t']);
                word
            };
            self.vars.insert(name.clone(), value);
        }
        Ok(if complete { 0 } else { 1 })
    }

    /// `printf FORMAT [ARG...]`: bash's builtin, dash's builtin and busybox's
    /// applet print the formats tutorials use (`%s`, `%d`, `\n`, a format
    /// reused for extra arguments) alike ([`crate::shell::printf`]); their
    /// error messages differ, so a printf that fails stays unsupported.
    fn printf(&mut self, args: &[String]) -> Result<i32, Stop> {
        match crate::shell::printf::run(args) {
            Ok((out, err, 0)) if err.is_empty() => {
                self.out(out);
                Ok(0)
            }
            Ok(_) => Err(Stop::Unsupported(format!(
                "printf's error message in container image {}",
                self.ctx.image
            ))),
            Err(what) => Err(Stop::Unsupported(format!("{what} in a container"))),
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

    /// `cd`, `pwd`, `whoami`, `id` ([`super::userland`]).
    fn files_and_user(&mut self, name: &str, args: &[String]) -> i32 {
        let prefix = self.prefix(self.line_no);
        let mut cwd = std::mem::take(&mut self.cwd);
        let land = self.land();
        let (text, status) = userland::run(&self.fs, land, &mut cwd, name, args, &prefix);
        self.cwd = cwd;
        if name == "cd" {
            self.err(text)
        } else {
            self.out(text)
        }
        status
    }

    /// `ls` ([`super::fs::ls`]).
    fn ls(&mut self, args: &[String]) -> Result<i32, Stop> {
        // Into a pipe or a file, stdout is no terminal: one name a line.
        let tty = self.tty && self.capture.is_none();
        // `ls -l` prints dates relative to now.
        self.clock_reads += 1;
        let now = self.now();
        let (out, err, status) = super::fs::ls(&self.fs, &self.cwd, args, tty, self.land(), now)
            .map_err(Stop::Unsupported)?;
        self.out(out);
        self.err(err);
        Ok(status)
    }

    /// The text of an operand of a file tool (`-` is stdin).
    fn read_operand(&self, operand: &str) -> Result<String, FsError> {
        if operand == "-" {
            return Ok(self.stdin.clone());
        }
        self.fs.read(&userland::resolve(&self.cwd, operand))
    }

    /// An error of a file tool about `operand`: busybox's `TOOL: can't
    /// ...` / `TOOL: OPERAND: text`, coreutils' `TOOL: cannot ... 'OPERAND':
    /// text` (the caller words it); an unknown part of the image stops
    /// the run unsupported.
    fn fs_failed(&self, tool: &str, e: &FsError) -> Result<(), Stop> {
        match e {
            FsError::Unknown(path) => Err(Stop::Unsupported(format!(
                "`{tool}` on {path} in a container (kubeplay does not model that part of image {})",
                self.ctx.image
            ))),
            _ => Ok(()),
        }
    }

    /// `rm`, `mkdir`, `rmdir`, `touch`, `cp`, `mv` over the container's
    /// filesystem, with busybox's or GNU coreutils' messages.
    fn file_tool(&mut self, name: &str, args: &[String]) -> Result<i32, Stop> {
        let gnu = self.land().gnu();
        let mut flags = String::new();
        let mut operands = Vec::new();
        let mut dashdash = false;
        for a in args {
            if !dashdash && a == "--" {
                dashdash = true;
            } else if !dashdash && a.len() > 1 && a.starts_with('-') {
                flags.push_str(&a[1..]);
            } else {
                operands.push(a.clone());
            }
        }
        let allowed = match name {
            "rm" => "rfRiv",
            "mkdir" => "pv",
            "cp" => "rRfpav",
            "mv" => "fv",
            _ => "",
        };
        if let Some(bad) = flags.chars().find(|c| !allowed.contains(*c)) {
            return Err(Stop::Unsupported(format!("{name} option -{bad} in a container")));
        }
        if flags.contains('v') || flags.contains('i') {
            return Err(Stop::Unsupported(format!("{name} -v/-i in a container")));
        }
        let has = |c: char| flags.contains(c);
        let now = self.now();
        let mut status = 0;
        if operands.is_empty() && !(name == "rm" && has('f')) {
            let text = if gnu {
                format!("{name}: missing operand\nTry '{name} --help' for more information.\n")
            } else {
                return Err(Stop::Unsupported(format!(
                    "{name} without operands in a container (busybox prints its usage)"
                )));
            };
            self.err(text);
            return Ok(1);
        }
        match name {
            "rm" => {
                for op in &operands {
                    let path = userland::resolve(&self.cwd, op);
                    if let Err(e) = self.fs.remove(&path, has('r') || has('R'), now) {
                        self.fs_failed(name, &e)?;
                        if e == FsError::NotFound && has('f') {
                            continue;
                        }
                        let text = match (gnu, &e) {
                            (true, FsError::IsDir) => {
                                format!("rm: cannot remove '{op}': Is a directory\n")
                            }
                            (true, _) => format!("rm: cannot remove '{op}': {}\n", e.text()),
                            (false, FsError::IsDir) => format!("rm: '{op}' is a directory\n"),
                            (false, _) => format!("rm: can't remove '{op}': {}\n", e.text()),
                        };
                        self.err(text);
                        status = 1;
                    }
                }
            }
            "mkdir" => {
                for op in &operands {
                    let path = userland::resolve(&self.cwd, op);
                    if let Err(e) = self.fs.mkdir(&path, has('p'), now) {
                        self.fs_failed(name, &e)?;
                        let text = if gnu {
                            format!("mkdir: cannot create directory '{op}': {}\n", e.text())
                        } else {
                            format!("mkdir: can't create directory '{op}': {}\n", e.text())
                        };
                        self.err(text);
                        status = 1;
                    }
                }
            }
            "rmdir" => {
                for op in &operands {
                    let path = userland::resolve(&self.cwd, op);
                    if let Err(e) = self.fs.rmdir(&path, now) {
                        self.fs_failed(name, &e)?;
                        let text = if gnu {
                            format!("rmdir: failed to remove '{op}': {}\n", e.text())
                        } else {
                            format!("rmdir: '{op}': {}\n", e.text())
                        };
                        self.err(text);
                        status = 1;
                    }
                }
            }
            "touch" => {
                for op in &operands {
                    let path = userland::resolve(&self.cwd, op);
                    let result = match self.fs.node(&path) {
                        // Only the date changes; its content stays.
                        Node::File(text, _) => self.fs.write(&path, &text, false, now),
                        Node::Dir { .. } => Ok(()),
                        _ => self.fs.write(&path, "", false, now),
                    };
                    if let Err(e) = result {
                        self.fs_failed(name, &e)?;
                        let text = if gnu {
                            format!("touch: cannot touch '{op}': {}\n", e.text())
                        } else {
                            format!("touch: {op}: {}\n", e.text())
                        };
                        self.err(text);
                        status = 1;
                    }
                }
            }
            _ => {
                // cp / mv SOURCE... DEST
                if operands.len() < 2 {
                    let op = &operands[0];
                    let text = if gnu {
                        format!(
                            "{name}: missing destination file operand after '{op}'\nTry '{name} --help' for more information.\n"
                        )
                    } else {
                        return Err(Stop::Unsupported(format!(
                            "{name} with one operand in a container (busybox prints its usage)"
                        )));
                    };
                    self.err(text);
                    return Ok(1);
                }
                let (sources, dest) = operands.split_at(operands.len() - 1);
                let dest_path = userland::resolve(&self.cwd, &dest[0]);
                let into_dir = matches!(self.fs.node(&dest_path), Node::Dir { .. });
                for src in sources {
                    let from = userland::resolve(&self.cwd, src);
                    let to = if into_dir {
                        format!("{}/{}", dest_path.trim_end_matches('/'), super::fs::base(&from))
                    } else {
                        dest_path.clone()
                    };
                    let result = match self.fs.node(&from) {
                        Node::Dir { .. } if name == "cp" && !(has('r') || has('R') || has('a')) => {
                            let text = if gnu {
                                format!("cp: -r not specified; omitting directory '{src}'\n")
                            } else {
                                format!("cp: omitting directory '{src}'\n")
                            };
                            self.err(text);
                            status = 1;
                            continue;
                        }
                        Node::Missing => Err(FsError::NotFound),
                        Node::Unknown => Err(FsError::Unknown(from.clone())),
                        _ => self.fs.copy(&from, &to, now).and_then(|()| {
                            if name == "mv" { self.fs.remove(&from, true, now) } else { Ok(()) }
                        }),
                    };
                    if let Err(e) = result {
                        self.fs_failed(name, &e)?;
                        let text = match (gnu, name) {
                            (true, "cp") => format!("cp: cannot stat '{src}': {}\n", e.text()),
                            (true, _) => format!("mv: cannot stat '{src}': {}\n", e.text()),
                            (false, "cp") => format!("cp: can't stat '{src}': {}\n", e.text()),
                            (false, _) => format!("mv: can't rename '{src}': {}\n", e.text()),
                        };
                        self.err(text);
                        status = 1;
                    }
                }
            }
        }
        Ok(status)
    }

    /// `test EXPR` / `[ EXPR ]`: file tests (`-f -d -e -s`), string tests
    /// (`-z -n = !=`), integer comparisons, `!`; anything else is
    /// unsupported.
    fn test(&mut self, name: &str, args: &[String]) -> Result<i32, Stop> {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        if name == "[" {
            if args.last() != Some(&"]") {
                let prefix = self.prefix(self.line_no);
                self.err(format!("{prefix}[: missing ]\n").replace("sh: [: ", "[: "));
                return Ok(2);
            }
            args.pop();
        }
        if name == "[[" {
            if args.last() != Some(&"]]") {
                return Err(Stop::Unsupported(format!(
                    "`[[` without its `]]` in a container: {:?}",
                    args.join(" ")
                )));
            }
            args.pop();
        }
        let mut negate = false;
        if args.first() == Some(&"!") {
            negate = true;
            args.remove(0);
        }
        let node = |p: &str| self.fs.node(&userland::resolve(&self.cwd, p));
        let unknown = |p: &str| matches!(node(p), Node::Unknown);
        let truth = match args.as_slice() {
            [] => false,
            [s] => !s.is_empty(),
            [op @ ("-f" | "-d" | "-e" | "-s" | "-r" | "-w"), p] => {
                if unknown(p) {
                    return Err(Stop::Unsupported(format!(
                        "test {op} {p} in a container (kubeplay does not model that part of the image)"
                    )));
                }
                match (*op, node(p)) {
                    ("-f", Node::File(..)) | ("-d", Node::Dir { .. }) => true,
                    ("-e" | "-r" | "-w", Node::File(..) | Node::Dir { .. }) => true,
                    ("-s", Node::File(t, _)) => !t.is_empty(),
                    ("-s", Node::Dir { .. }) => true,
                    _ => false,
                }
            }
            ["-z", s] => s.is_empty(),
            ["-n", s] => !s.is_empty(),
            [a, "=" | "==", b] => a == b,
            [a, "!=", b] => a != b,
            [a, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), b] => {
                let (Ok(x), Ok(y)) = (a.trim().parse::<i64>(), b.trim().parse::<i64>()) else {
                    return Err(Stop::Unsupported(format!(
                        "test {a} {op} {b} in a container (not integers)"
                    )));
                };
                match *op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    _ => x >= y,
                }
            }
            other => {
                return Err(Stop::Unsupported(format!(
                    "test expression {:?} in a container",
                    other.join(" ")
                )));
            }
        };
        Ok(if truth != negate { 0 } else { 1 })
    }

    /// busybox applets with no shared text filter: `rev`, `seq`, `expr`.
    fn applet(&mut self, name: &str, args: &[String]) -> Result<i32, Stop> {
        let land = self.land();
        match name {
            // util-linux `rev` is not in Debian's essential set.
            "rev" if land.gnu() => {
                let prefix = self.prefix(self.line_no);
                let what =
                    if self.dialect == Dialect::Bash { "command not found" } else { "not found" };
                self.err(format!("{prefix}rev: {what}\n"));
                Ok(127)
            }
            "rev" => {
                // With no operand it reads stdin: a container's stdin is
                // empty (no `stdin: true`), so it reads EOF and exits 0.
                let mut input = String::new();
                if args.is_empty() {
                    input = self.stdin.clone();
                }
                for a in args {
                    match self.read_operand(a) {
                        Ok(t) => input.push_str(&t),
                        Err(e) => {
                            self.fs_failed(name, &e)?;
                            self.err(format!("rev: {a}: {}\n", e.text()));
                            return Ok(1);
                        }
                    }
                }
                let out: String = input
                    .split_inclusive('\n')
                    .map(|l| {
                        let (body, nl) = l.strip_suffix('\n').map_or((l, ""), |b| (b, "\n"));
                        format!("{}{nl}", body.chars().rev().collect::<String>())
                    })
                    .collect();
                self.out(out);
                Ok(0)
            }
            "seq" => {
                let nums: Vec<f64> = args.iter().filter_map(|a| a.parse().ok()).collect();
                if nums.len() != args.len()
                    || nums.is_empty()
                    || nums.len() > 3
                    || nums.iter().any(|n| n.fract() != 0.0)
                {
                    return Err(Stop::Unsupported(format!(
                        "seq {} in a container",
                        args.join(" ")
                    )));
                }
                let (first, step, last) = match nums.as_slice() {
                    [l] => (1.0, 1.0, *l),
                    [f, l] => (*f, 1.0, *l),
                    [f, s, l] => (*f, *s, *l),
                    _ => unreachable!(),
                };
                if step == 0.0 {
                    return Err(Stop::Unsupported("seq with step 0 in a container".into()));
                }
                let mut out = String::new();
                let mut x = first;
                while (step > 0.0 && x <= last) || (step < 0.0 && x >= last) {
                    out.push_str(&format!("{}\n", x as i64));
                    x += step;
                    self.tick()?;
                }
                self.out(out);
                Ok(0)
            }
            _ => {
                // expr A OP B over integers (and `expr length S`).
                let value = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                    ["length", s] => s.chars().count().to_string(),
                    [
                        a,
                        op @ ("+" | "-" | "*" | "/" | "%" | "<" | ">" | "=" | "!=" | "<=" | ">="),
                        b,
                    ] => {
                        let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) else {
                            return Err(Stop::Unsupported(format!(
                                "expr {} in a container",
                                args.join(" ")
                            )));
                        };
                        match *op {
                            "+" => (x + y).to_string(),
                            "-" => (x - y).to_string(),
                            "*" => (x * y).to_string(),
                            "/" | "%" if y == 0 => {
                                self.err("expr: division by zero\n");
                                return Ok(2);
                            }
                            "/" => (x / y).to_string(),
                            "%" => (x % y).to_string(),
                            "<" => i64::from(x < y).to_string(),
                            ">" => i64::from(x > y).to_string(),
                            "=" => i64::from(x == y).to_string(),
                            "!=" => i64::from(x != y).to_string(),
                            "<=" => i64::from(x <= y).to_string(),
                            _ => i64::from(x >= y).to_string(),
                        }
                    }
                    [n] if n.parse::<i64>().is_ok() => n.to_string(),
                    _ => {
                        return Err(Stop::Unsupported(format!(
                            "expr {} in a container",
                            args.join(" ")
                        )));
                    }
                };
                // expr exits 1 when the result is null or 0.
                let status = if value == "0" || value.is_empty() { 1 } else { 0 };
                self.out(format!("{value}\n"));
                Ok(status)
            }
        }
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

    /// `stress` ([`crate::sim::images::stress`]): prints its dispatch line,
    /// then keeps its workers busy until `--timeout` (exit 0) or forever.
    /// It runs as PID 1: the container's process, or the last command of a
    /// `sh -c` script, which ash and dash exec in place of forking (an
    /// assumption, not checked against each image's shell).
    fn stress(&mut self, args: &[String]) -> Result<i32, Stop> {
        let run = crate::sim::images::stress::Stress::parse(args).map_err(Stop::Unsupported)?;
        self.out(run.dispatching(1));
        let Some(timeout) = run.timeout else {
            self.clock = self.horizon;
            return Err(Stop::Running);
        };
        let end = self.clock + timeout;
        if end > self.horizon {
            self.clock = self.horizon;
            return Err(Stop::Running);
        }
        self.clock = end;
        self.out(run.completed(1).unwrap_or_default());
        Ok(0)
    }

    /// busybox `date`: `Tue Nov 15 22:08:29 UTC 2022`, or `+FORMAT`.
    fn date(&mut self, args: &[String]) -> i32 {
        self.clock_reads += 1;
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
        let (args, files) = split_operands(name, args);
        if !files.is_empty() && name != "grep" && name != "egrep" && name != "fgrep" {
            return self.filter_files(name, &args, &files);
        }
        let args: Vec<String> = args.into_iter().chain(files).collect();
        let argv: Vec<String> =
            std::iter::once(name.to_owned()).chain(args.iter().cloned()).collect();
        let view = FsFiles { fs: &self.fs, cwd: &self.cwd };
        let (stdout, stderr, status) = crate::textutil::run(&argv, &self.stdin, Some(&view))
            .map_err(|crate::textutil::Unsupported(what)| {
                Stop::Unsupported(format!("{what} in a container"))
            })?;
        self.out(stdout);
        self.err(stderr);
        Ok(status)
    }

    /// A text filter over named files: their texts as its input; `wc`
    /// names each file after its counts (busybox and coreutils alike for
    /// one count; `wc` of several counts and files is unsupported).
    fn filter_files(&mut self, name: &str, args: &[String], files: &[String]) -> Result<i32, Stop> {
        let mut texts = Vec::new();
        let mut status = 0;
        for f in files {
            match self.read_operand(f) {
                Ok(t) => texts.push((f.clone(), t)),
                Err(e) => {
                    self.fs_failed(name, &e)?;
                    let text = if self.land().gnu() {
                        format!("{name}: {f}: {}\n", e.text())
                    } else {
                        format!("{name}: can't open '{f}': {}\n", e.text())
                    };
                    self.err(text);
                    status = 1;
                }
            }
        }
        let argv: Vec<String> =
            std::iter::once(name.to_owned()).chain(args.iter().cloned()).collect();
        let run = |stdin: &str| {
            crate::textutil::run(&argv, stdin, None).map_err(
                |crate::textutil::Unsupported(what)| {
                    Stop::Unsupported(format!("{what} in a container"))
                },
            )
        };
        if name == "wc" {
            if texts.len() > 1 || args.len() != 1 {
                return Err(Stop::Unsupported(format!(
                    "wc {} of files in a container",
                    args.join(" ")
                )));
            }
            for (f, t) in &texts {
                let (out, _, _) = run(t)?;
                self.out(format!("{} {f}\n", out.trim()));
            }
            return Ok(status);
        }
        if matches!(name, "head" | "tail") && texts.len() > 1 {
            return Err(Stop::Unsupported(format!("{name} of several files in a container")));
        }
        let input: String = texts.iter().map(|(_, t)| t.as_str()).collect();
        let (stdout, stderr, code) = run(&input)?;
        self.out(stdout);
        self.err(stderr);
        Ok(if status != 0 { status } else { code })
    }

    fn cat(&mut self, args: &[String]) -> Result<i32, Stop> {
        if args.is_empty() {
            // No file: copy stdin.
            let text = self.stdin.clone();
            self.out(text);
            return Ok(0);
        }
        let mut status = 0;
        for a in args {
            match self.read_operand(a) {
                Ok(text) => self.out(text),
                Err(e) => {
                    self.fs_failed("cat", &e)?;
                    // busybox `cat: can't open 'F': ...`; GNU coreutils
                    // `cat: F: No such file or directory`.
                    let text = if self.land().gnu() {
                        format!("cat: {a}: {}\n", e.text())
                    } else if e == FsError::IsDir {
                        format!("cat: read error: {}\n", e.text())
                    } else {
                        format!("cat: can't open '{a}': {}\n", e.text())
                    };
                    self.err(text);
                    status = 1;
                }
            }
        }
        Ok(status)
    }
}

/// The seed of a container's `$RANDOM`: its hostname and start time (a
/// real shell seeds from its pid and the time; any fixed draw is as good,
/// and this one is the same on every replay).
fn random_seed(ctx: &Context) -> u64 {
    let seed = ctx
        .hostname
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (seed ^ ctx.start.as_second().unsigned_abs()) | 1
}

/// `${V%pat}`, `${V%%pat}`, `${V#pat}`, `${V##pat}`: the shortest or
/// longest matching suffix or prefix removed.
fn trim(
    value: &str,
    pattern: &crate::shell::pattern::Pattern,
    suffix: bool,
    longest: bool,
) -> String {
    let bounds: Vec<usize> =
        value.char_indices().map(|(i, _)| i).chain(std::iter::once(value.len())).collect();
    let mut cuts: Vec<usize> = bounds.clone();
    // Suffixes: the shortest starts at the end; prefixes: at the start.
    if suffix != longest {
        cuts.reverse();
    }
    for at in cuts {
        let (kept, removed) =
            if suffix { (&value[..at], &value[at..]) } else { (&value[at..], &value[..at]) };
        if pattern.matches(removed) {
            return kept.to_owned();
        }
    }
    value.to_owned()
}

/// `${V/pat/rep}` (first match, longest at the leftmost place) and
/// `${V//pat/rep}` (every match).
fn replace(value: &str, pattern: &crate::shell::pattern::Pattern, with: &str, all: bool) -> String {
    let bounds: Vec<usize> =
        value.char_indices().map(|(i, _)| i).chain(std::iter::once(value.len())).collect();
    let mut out = String::new();
    let mut i = 0;
    let mut replaced = false;
    while i < bounds.len() {
        let start = bounds[i];
        let hit = (!replaced || all)
            .then(|| {
                bounds[i + 1..].iter().rev().position(|&end| pattern.matches(&value[start..end]))
            })
            .flatten()
            .map(|from_end| bounds.len() - 1 - from_end);
        match hit {
            Some(j) => {
                out.push_str(with);
                replaced = true;
                i = j;
            }
            None => {
                if let Some(c) = value[start..].chars().next() {
                    out.push(c);
                }
                i += 1;
            }
        }
    }
    out
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

/// Options of each text filter that take a value (`-n 5`, `-d ,`): what
/// follows them is not a file operand.
fn takes_value(tool: &str, flag: &str) -> bool {
    matches!(
        (tool, flag),
        ("head" | "tail", "-n" | "-c")
            | ("cut", "-d" | "-f" | "-c" | "-b")
            | ("sort", "-k" | "-t" | "-o")
            | ("sed", "-e")
            | ("awk", "-F" | "-v")
            | ("grep" | "egrep" | "fgrep", "-e" | "-m" | "-A" | "-B" | "-C")
            | ("tr" | "base64", _)
    ) && flag.starts_with('-')
}

/// Splits a filter's arguments into its options (with the script of
/// `sed`/`awk`/`grep`) and the files it reads.
fn split_operands(tool: &str, args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut opts = Vec::new();
    let mut files = Vec::new();
    // sed, awk and grep take their script or pattern first (unless `-e`).
    let mut script_pending = matches!(tool, "sed" | "awk" | "grep" | "egrep" | "fgrep");
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.len() > 1 && a.starts_with('-') && files.is_empty() {
            opts.push(a.clone());
            if a == "-e" && (tool == "sed" || tool.ends_with("grep")) {
                script_pending = false;
            }
            if takes_value(tool, a) && i + 1 < args.len() {
                opts.push(args[i + 1].clone());
                i += 1;
            }
        } else if script_pending {
            opts.push(a.clone());
            script_pending = false;
        } else if matches!(tool, "tr" | "seq") {
            opts.push(a.clone());
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    (opts, files)
}

/// The container's files as the shared filters read them (`grep PATTERN
/// FILE`, `grep -r`).
struct FsFiles<'a> {
    fs: &'a Fs,
    cwd: &'a str,
}

impl crate::textutil::Files for FsFiles<'_> {
    fn read(&self, path: &str) -> Option<String> {
        self.fs.read(&userland::resolve(self.cwd, path)).ok()
    }

    fn walk(&self, dir: &str) -> Vec<String> {
        let root = userland::resolve(self.cwd, dir);
        match self.fs.tree(&root) {
            Some(tree) => tree
                .into_iter()
                .filter(|(_, n)| matches!(n, Node::File(..)))
                .map(|(p, _)| format!("{}{}", dir.trim_end_matches('/'), &p[root.len()..]))
                .collect(),
            None => Vec::new(),
        }
    }
}
