//! Processes `kubectl exec` starts in a running container: one command
//! ([`exec`]), or an interactive shell a tutorial types lines into
//! ([`Session`]), on the virtual clock and with the container's context
//! (environment, hostname, mounted files, image userland).

use std::{collections::BTreeMap, time::Duration};

use k8s_openapi::jiff::Timestamp;

use super::{Context, Dialect, Trace, exec::Machine, shell, userland};

/// How long one typed line or exec'd command may run before kubeplay
/// stops looking (a reader would press Ctrl-C long before).
const LINE_HORIZON: Duration = Duration::from_secs(24 * 3600);

/// What an interactive shell keeps from one typed line to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellState {
    pub(super) vars: BTreeMap<String, String>,
    pub(super) status: i32,
    pub(super) cwd: String,
    pub(super) line_no: usize,
}

/// What `kubectl exec POD -- ARGV` runs into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exec {
    /// The program ran: its output and exit.
    Ran(Trace),
    /// The image has no such executable (the runtime's
    /// `executable file not found in $PATH`).
    NotFound,
}

/// The error dialect of shell `name` in an image of this userland.
fn dialect(name: &str, land: userland::Userland) -> Dialect {
    let base = name.rsplit('/').next().unwrap_or(name);
    match (base, land) {
        // RHEL-family `/bin/sh` is a link to bash.
        ("bash", _) | ("sh", userland::Userland::Rhel) => Dialect::Bash,
        ("dash", _) | ("sh", userland::Userland::Debian) => Dialect::Dash,
        _ => Dialect::Ash,
    }
}

/// Whether `argv[0]` names a shell.
pub fn is_shell(program: &str) -> bool {
    matches!(program.rsplit('/').next().unwrap_or(program), "sh" | "bash" | "ash" | "dash")
}

/// Runs `argv` in a container (no stdin). A shell runs its `-c` script,
/// or reads its empty stdin and exits 0; any other program must be a
/// utility the interpreter knows, else it is not in the image.
pub fn exec(argv: &[String], ctx: &Context, tty: bool) -> Exec {
    let Some(first) = argv.first() else { return Exec::NotFound };
    let land = userland::userland(&ctx.image);
    if is_shell(first) {
        if !land.has_shell(first) {
            return Exec::NotFound;
        }
        let d = dialect(first, land);
        let mut m = Machine::new(ctx, d, first, LINE_HORIZON);
        m.tty = tty;
        // The shell is a process of its own.
        m.pid = m.pid.map(|p| p + 1);
        return Exec::Ran(match argv.iter().position(|a| a == "-c") {
            Some(i) => {
                let script = argv.get(i + 1).cloned().unwrap_or_default();
                let args: Vec<String> = argv.iter().skip(i + 3).cloned().collect();
                match shell::parse(&script) {
                    Ok(cmd) => {
                        let mut trace = m.script(&cmd, args);
                        // dash and bash `exec` the last command of a `-c`
                        // string in place when it is a program: whether it
                        // took a pid of its own is not followed.
                        if trace.last_forked {
                            trace.last_pid = None;
                        }
                        trace
                    }
                    Err(e) => m.syntax_error(&e),
                }
            }
            None => m.script(&shell::Command::Seq(Vec::new()), Vec::new()),
        });
    }
    let mut m = Machine::new(ctx, Dialect::Ash, first, LINE_HORIZON);
    m.tty = tty;
    match m.exec_direct(argv) {
        Ok(trace) => Exec::Ran(trace),
        Err(()) => Exec::NotFound,
    }
}

/// What one typed line did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    /// What it printed (stdout and stderr, as the terminal shows them).
    pub output: String,
    /// How long it ran on the virtual clock.
    pub took: Duration,
    /// The shell exited (`exit [N]`) with this status.
    pub exit: Option<i32>,
    /// The line used something kubeplay cannot emulate, named.
    pub unsupported: Option<String>,
}

impl Session {
    /// When the session's commands sent SIGHUP to the container's main
    /// process (`nginx -s reload`).
    pub fn hangups(&self) -> &[(Timestamp, usize)] {
        &self.hangups
    }

    /// The last pid handed out in the container, as far as the session
    /// followed its processes.
    pub fn last_pid(&self) -> Option<u32> {
        self.ctx.last_pid
    }
}

/// An interactive shell in a container (`kubectl exec -it POD -- sh`, or
/// the shell of `kubectl run -it ... -- sh`), fed one line at a time.
#[derive(Debug, Clone)]
pub struct Session {
    ctx: Context,
    name: String,
    dialect: Dialect,
    state: ShellState,
    hangups: Vec<(Timestamp, usize)>,
}

impl Session {
    /// Starts shell `program` in a container with context `ctx`; `None`
    /// when `program` is not a shell the image has.
    pub fn open(program: &str, ctx: Context) -> Option<Session> {
        let land = userland::userland(&ctx.image);
        if !is_shell(program) || !land.has_shell(program) {
            return None;
        }
        let state = ShellState {
            vars: ctx.env.iter().cloned().collect(),
            status: 0,
            cwd: "/".to_owned(),
            line_no: 0,
        };
        // The shell is a process of its own.
        let ctx = Context { last_pid: ctx.last_pid.map(|p| p + 1), ..ctx };
        Some(Session {
            dialect: dialect(program, land),
            name: program.to_owned(),
            ctx,
            state,
            hangups: Vec::new(),
        })
    }

    /// The prompt the shell prints for root: busybox ash's `\w \$ `
    /// (`/ # `), Debian bash's `\u@\h:\w\$ ` (`/etc/bash.bashrc`:
    /// `root@web-5d8f:/# `), RHEL bash's `[root@web-5d8f /]# `, dash's `# `.
    pub fn prompt(&self) -> String {
        let cwd = match self.state.cwd.strip_prefix("/root") {
            Some("") => "~".to_owned(),
            Some(rest) if rest.starts_with('/') => format!("~{rest}"),
            _ => self.state.cwd.clone(),
        };
        match self.dialect {
            Dialect::Ash => format!("{cwd} # "),
            Dialect::Dash => "# ".to_owned(),
            // RHEL's `/etc/bashrc`: `[\u@\h \W]\$ `, `\W` the last
            // component of the directory (`/` at the root, `~` at home).
            Dialect::Bash if userland::userland(&self.ctx.image) == userland::Userland::Rhel => {
                let base = match cwd.rsplit('/').next() {
                    Some("") | None => cwd.clone(),
                    Some(last) => last.to_owned(),
                };
                format!("[root@{} {base}]# ", self.ctx.hostname)
            }
            Dialect::Bash => format!("root@{}:{cwd}# ", self.ctx.hostname),
        }
    }

    /// What the session changed in the container's filesystem (with the
    /// changes it started from).
    pub fn changes(&self) -> &super::fs::Changes {
        &self.ctx.changes
    }

    /// The status of the last command (what the shell exits with on EOF).
    pub fn status(&self) -> i32 {
        self.state.status
    }

    /// Runs one typed line at `now`.
    pub fn type_line(&mut self, line: &str, now: Timestamp) -> Typed {
        self.state.line_no += 1;
        let ctx = Context { start: now, ..self.ctx.clone() };
        let mut m = Machine::new(&ctx, self.dialect, &self.name, LINE_HORIZON);
        m.tty = true;
        let (trace, exit) = match shell::parse(line) {
            Ok(cmd) => m.typed(&cmd, &mut self.state),
            Err(e) => {
                m.line_no = self.state.line_no;
                m.interactive = true;
                let t = m.syntax_error(&e);
                self.state.status = 2;
                (t, None)
            }
        };
        let unsupported = trace.unsupported.clone();
        // What the line changed in the filesystem stays for the next.
        self.ctx.changes = trace.changes.clone();
        self.ctx.last_pid = trace.last_pid;
        self.hangups
            .extend(trace.hangups.iter().map(|(d, n)| (crate::sim::time::add(now, *d), *n)));
        Typed { output: trace.log(), took: trace.reached, exit, unsupported }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(image: &str) -> Context {
        Context {
            start: Timestamp::from_second(1_668_567_000).unwrap(),
            hostname: "web-5d8f".into(),
            env: vec![("HOSTNAME".into(), "web-5d8f".into()), ("GREETING".into(), "hi".into())],
            files: BTreeMap::from([("/etc/config/key".into(), "value\n".into())]),
            mounts: vec!["/etc/config".into()],
            image: image.into(),
            ..Context::default()
        }
    }

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn exec_runs_utilities_and_reports_missing_programs() {
        let Exec::Ran(t) = exec(&argv("cat /etc/config/key"), &ctx("busybox"), false) else {
            panic!()
        };
        assert_eq!((t.log().as_str(), t.exit.map(|e| e.1)), ("value\n", Some(0)));
        assert_eq!(exec(&argv("ps aux"), &ctx("nginx"), false), Exec::NotFound);
        assert_eq!(exec(&argv("bash"), &ctx("busybox"), false), Exec::NotFound);
        let Exec::Ran(t) = exec(&argv("sh"), &ctx("busybox"), false) else { panic!() };
        assert_eq!(t.exit, Some((Duration::ZERO, 0)), "a shell with empty stdin exits");
    }

    #[test]
    fn a_busybox_session_keeps_state_between_lines() {
        let mut s = Session::open("sh", ctx("busybox")).unwrap();
        assert_eq!(s.prompt(), "/ # ");
        let now = Timestamp::from_second(1_668_567_000).unwrap();
        assert_eq!(s.type_line("X=1; echo $X $GREETING", now).output, "1 hi\n");
        assert_eq!(s.type_line("echo $X", now).output, "1\n");
        assert_eq!(s.type_line("cd /etc/config", now).output, "");
        assert_eq!(s.prompt(), "/etc/config # ");
        assert_eq!(s.type_line("ls", now).output, "key\n");
        let t = s.type_line("sleep 5", now);
        assert_eq!(t.took, Duration::from_secs(5));
        let t = s.type_line("nosuch", now);
        assert_eq!(t.output, "sh: nosuch: not found\n");
        assert_eq!(s.status(), 127);
        assert_eq!(s.type_line("ls /etc/config | wc -l", now).output, "1\n");
        assert_eq!(
            s.type_line("env | grep GREETING | sed s/hi/hello/", now).output,
            "GREETING=hello\n"
        );
        assert_eq!(s.type_line("cd / | true; pwd", now).output, "/etc/config\n");
        assert_eq!(s.type_line("exit 3", now).exit, Some(3));
    }

    #[test]
    fn bash_and_dash_sessions() {
        let mut s = Session::open("bash", ctx("nginx")).unwrap();
        assert_eq!(s.prompt(), "root@web-5d8f:/# ");
        let now = Timestamp::from_second(0).unwrap();
        assert_eq!(s.type_line("nosuch", now).output, "bash: nosuch: command not found\n");
        let t = s.type_line("exit", now);
        assert_eq!((t.output.as_str(), t.exit), ("exit\n", Some(127)));
        let mut s = Session::open("sh", ctx("nginx")).unwrap();
        assert_eq!(s.prompt(), "# ");
        s.type_line("true", now);
        assert_eq!(s.type_line("nosuch", now).output, "sh: 2: nosuch: not found\n");
        assert!(Session::open("bash", ctx("busybox")).is_none());
    }

    #[test]
    fn centos_bash_uses_the_rhel_prompt_and_coreutils_texts() {
        let mut s = Session::open("bash", ctx("centos:7")).unwrap();
        assert_eq!(s.prompt(), "[root@web-5d8f /]# ");
        let now = Timestamp::from_second(0).unwrap();
        assert_eq!(s.type_line("cat /nope", now).output, "cat: /nope: No such file or directory\n");
        s.type_line("cd /etc/config", now);
        assert_eq!(s.prompt(), "[root@web-5d8f config]# ");
        s.type_line("cd", now);
        assert_eq!(s.prompt(), "[root@web-5d8f ~]# ");
        assert_eq!(s.type_line("ls / | head -n 1", now).output, "anaconda-post.log\n");
    }
}
