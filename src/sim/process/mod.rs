//! What a container's process does, on the virtual clock: a pure, seedless
//! interpreter of the container's `command`/`args` (DESIGN §2 `images:`).
//!
//! - A shell (`sh -c SCRIPT`, `bash -c ...`) runs [`shell`]'s POSIX subset:
//!   `echo`, `sleep N` (virtual time), `exit N`, `date`, `printenv`, `cat`
//!   of a mounted file, pipelines through the text filters the image ships
//!   (`env | grep APP`, [`crate::textutil`]), `;`/`&&`/`||`, `if`, loops,
//!   command substitution, arithmetic ([`arith`]), subshells and `${...}`
//!   expansions, each as the image's shell (ash, dash, bash) has them.
//!   Anything else is "not found" with exit 127, as busybox ash says it
//!   (`sh: This: not found`), never a silent success.
//! - A known utility run directly (`["sleep", "3600"]`) behaves the same.
//! - Any other program (nginx, httpd, redis, `/usr/local/bin/kube-proxy`,
//!   ...) is a server: it runs until stopped.
//! - No command: the image's default. Shell images (busybox, alpine, ubuntu,
//!   ...) run `sh` with no input, which exits 0 at once; others serve.
//!
//! - `wget`, `nslookup`, `curl` (in images that ship them) reach the
//!   cluster network: live in `kubectl exec` ([`Context::net`]); in a
//!   container's own process each call is a pause point, answered by the
//!   kubelet when the clock reaches it ([`Context::calls`],
//!   [`Trace::waiting`]).
//!
//! The output of a run is the container's log; its exit code decides
//! success. The same program and context always give the same [`Trace`], so
//! the kubelet stores only when a container started (and what its network
//! calls were answered) and recomputes logs.

mod arith;
mod exec;
pub mod fs;
pub mod session;
pub mod shell;
pub mod userland;

use std::{collections::BTreeMap, time::Duration};

use k8s_openapi::{api::core::v1::Container, jiff::Timestamp};

use exec::Machine;

/// How long [`run_through`] looks ahead for a program to end.
const EXIT_HORIZON: Duration = Duration::from_secs(400 * 86_400);

/// Which shell's error format a script gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// busybox ash (busybox, alpine): `sh: This: not found`.
    Ash,
    /// Debian's dash (debian, ubuntu `sh`): `sh: 1: This: not found`.
    Dash,
    /// GNU bash: `bash: line 1: This: command not found`.
    Bash,
}

/// What a container runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    /// A shell script (`sh -c SCRIPT [NAME ARGS...]`).
    Script {
        /// The shell as invoked (`sh`, `/bin/sh`, `bash`): error prefix.
        name: String,
        /// Its error format.
        dialect: Dialect,
        /// The script text.
        script: String,
        /// Positional parameters (`$@`).
        args: Vec<String>,
    },
    /// One utility run directly (`sleep 3600`).
    Utility(Vec<String>),
    /// A server that runs until stopped.
    Server,
    /// Output and exit known in advance: an image's own default command as
    /// the image table describes it (`super::images`), e.g. nginx's
    /// start-up lines then serving, or a front-matter `runFor`/`exit`.
    Recorded {
        /// Output chunks stamped with their time since start.
        output: Vec<(Duration, String)>,
        /// When and how it exits; `None` when it runs until stopped.
        exit: Option<(Duration, i32)>,
    },
}

/// What a process can see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// When the process started (for `date`).
    pub start: Timestamp,
    /// `hostname` (the pod name).
    pub hostname: String,
    /// The environment, in the order `printenv` prints it.
    pub env: Vec<(String, String)>,
    /// Mounted files by absolute path (ConfigMap / Secret keys, subPath
    /// mounts, the kubelet's `/etc/hosts` and `/etc/resolv.conf`).
    pub files: BTreeMap<String, String>,
    /// Directories a whole volume is mounted at (their content is the
    /// volume's: `ls` lists exactly its files).
    pub mounts: Vec<String>,
    /// The container's image (which shells and directories it has).
    pub image: String,
    /// The network as the pod sees it, for `wget`, `nslookup` and `curl`
    /// (set for `kubectl exec`; `None` for a container's main process).
    pub net: Option<std::sync::Arc<crate::sim::traffic::Snapshot>>,
    /// A container's main process: what its network calls (`wget`,
    /// `nslookup`, `curl`) printed so far, in call order. Each was answered
    /// by the kubelet when the virtual clock reached it, against the
    /// cluster as it was then; a call beyond them pauses the run
    /// ([`Trace::waiting`]). `None`: no replayed network (exec sessions use
    /// [`Context::net`]).
    pub calls: Option<Vec<crate::sim::traffic::clients::Printed>>,
    /// What earlier `kubectl exec`/`kubectl cp` sessions changed in the
    /// container's filesystem during this run ([`fs::Changes`]).
    pub changes: fs::Changes,
    /// The last process id handed out in the container before this
    /// process, when known (`kubectl exec` sets it from the kubelet's
    /// record): the pid an `nginx` command logs as its own.
    pub last_pid: Option<u32>,
    /// The node's CPUs (how many workers `worker_processes auto` starts).
    pub cpus: u32,
}

/// What a run produced up to its horizon.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    /// Output chunks (stdout and stderr, as the log interleaves them), each
    /// stamped with the time since start it was written.
    pub output: Vec<(Duration, String)>,
    /// When and with which code the process exited; `None` while running.
    pub exit: Option<(Duration, i32)>,
    /// How far the run got.
    pub reached: Duration,
    /// A network call not answered yet ([`Context::calls`]): when it is
    /// made (since start) and its argv (the tool first). The run stops
    /// there, its exit unknown until the call is answered.
    pub waiting: Option<(Duration, Vec<String>)>,
    /// The run stopped at something kubeplay cannot emulate (a utility the
    /// image ships that the interpreter does not run, a shell construct),
    /// named; what it printed before that still stands.
    pub unsupported: Option<String>,
    /// The container's filesystem changes after the run (what it was
    /// given in [`Context::changes`] and what the run did).
    pub changes: fs::Changes,
    /// When (since start) the run sent SIGHUP to the container's main
    /// process (`nginx -s reload`), and how many filesystem changes
    /// ([`Trace::changes`]) were made by then.
    pub hangups: Vec<(Duration, usize)>,
    /// The last process id handed out in the container when the run
    /// ended, when the interpreter could follow every process it started
    /// ([`Context::last_pid`]).
    pub last_pid: Option<u32>,
    /// The last command the run ran was a program of its own, not a shell
    /// builtin.
    pub last_forked: bool,
}

impl Trace {
    /// The log text.
    pub fn log(&self) -> String {
        self.output.iter().map(|(_, s)| s.as_str()).collect()
    }
}

/// Images whose default command is a shell (the image table's fact).
fn shell_image(image: &str) -> Option<Dialect> {
    super::images::shell_dialect(image)
}

/// The program a container runs (`command` replaces the entrypoint, `args`
/// the image's CMD).
pub fn program(container: &Container) -> Program {
    let image = container.image.as_deref().unwrap_or_default();
    let command = container.command.clone().unwrap_or_default();
    let args = container.args.clone().unwrap_or_default();
    let image_shell = shell_image(image);
    let argv: Vec<String> = if !command.is_empty() {
        command.into_iter().chain(args).collect()
    } else if let Some(_dialect) = image_shell {
        if args.is_empty() { vec!["sh".to_owned()] } else { args }
    } else {
        return Program::Server;
    };
    // An image without a shell CMD still has its base's `sh`: dash in
    // Debian-based images (nginx, httpd), bash in RHEL-family ones.
    let sh_dialect = image_shell.unwrap_or(match userland::userland(image) {
        userland::Userland::Debian => Dialect::Dash,
        userland::Userland::Rhel => Dialect::Bash,
        _ => Dialect::Ash,
    });
    match from_argv(&argv, sh_dialect) {
        // A shell with no script whose stdin is kept open (`kubectl run -i`,
        // `stdin: true`) waits for input instead of reading EOF at once; it
        // ends when an attached session closes stdin (`stdinOnce`).
        Program::Script { script, .. } if script.is_empty() && container.stdin == Some(true) => {
            Program::Server
        }
        p => p,
    }
}

fn from_argv(argv: &[String], image_dialect: Dialect) -> Program {
    let Some(first) = argv.first() else { return Program::Server };
    let base = first.rsplit('/').next().unwrap_or(first);
    let dialect = match base {
        "bash" => Dialect::Bash,
        "sh" | "ash" => image_dialect,
        "dash" => Dialect::Dash,
        _ => return Program::Utility(argv.to_vec()),
    };
    match argv.iter().position(|a| a == "-c") {
        Some(i) => Program::Script {
            name: first.clone(),
            dialect,
            script: argv.get(i + 1).cloned().unwrap_or_default(),
            args: argv.iter().skip(i + 3).cloned().collect(),
        },
        // A shell with no script reads its (empty) stdin and exits 0.
        None => Program::Script {
            name: first.clone(),
            dialect,
            script: String::new(),
            args: Vec::new(),
        },
    }
}

/// Runs `program` from its start until `horizon` has passed (or it exits).
pub fn run(program: &Program, ctx: &Context, horizon: Duration) -> Trace {
    run_with(program, ctx, horizon, false)
}

fn run_with(program: &Program, ctx: &Context, horizon: Duration, quiet: bool) -> Trace {
    match program {
        Program::Server => Trace { reached: horizon, ..Trace::default() },
        Program::Recorded { output, exit } => {
            let exit = exit.filter(|(at, _)| *at <= horizon);
            let end = exit.map_or(horizon, |(at, _)| at);
            Trace {
                output: output.iter().filter(|(at, _)| *at <= end).cloned().collect(),
                exit,
                reached: end,
                changes: ctx.changes.clone(),
                ..Trace::default()
            }
        }
        Program::Utility(argv) => {
            let mut m = Machine::new(ctx, Dialect::Ash, &argv[0], horizon);
            m.quiet = quiet;
            m.utility(argv)
        }
        Program::Script { name, dialect, script, args } => {
            let mut m = Machine::new(ctx, *dialect, name, horizon);
            m.quiet = quiet;
            match shell::parse(script) {
                Ok(cmd) => m.script(&cmd, args.clone()),
                Err(e) => m.syntax_error(&e),
            }
        }
    }
}

/// What `program` changed in its container's filesystem by `horizon`
/// (after what its context was given), from the cluster's memo of
/// replays ([`Replays`]): the replay kept may reach further, so its
/// changes are cut at that instant.
pub fn changes_until(
    replays: &Replays,
    program: &Program,
    ctx: &Context,
    horizon: Duration,
) -> fs::Changes {
    let at = crate::sim::time::add(ctx.start, horizon);
    replays.with_trace(program, ctx, horizon, |trace| fs::until(&trace.changes, at))
}

/// The log of `program` up to `horizon`, as [`run`] would print it, from
/// the cluster's memo of replays ([`Replays`]).
pub fn log_until(replays: &Replays, program: &Program, ctx: &Context, horizon: Duration) -> String {
    replays.with_trace(program, ctx, horizon, |trace| {
        trace.output.iter().filter(|(at, _)| *at <= horizon).map(|(_, s)| s.as_str()).collect()
    })
}

/// When the process, as far as `horizon` reaches, next writes output after
/// `after` (both since its start): what a reader waiting on its log waits
/// for. `None` when it writes nothing more within the horizon.
pub fn next_output(
    replays: &Replays,
    program: &Program,
    ctx: &Context,
    after: Duration,
    horizon: Duration,
) -> Option<Duration> {
    replays.with_trace(program, ctx, horizon, |trace| {
        trace.output.iter().map(|(at, _)| *at).find(|at| *at > after && *at <= horizon)
    })
}

/// A memo of recent replays, owned by one cluster (its container
/// runtime's record of what processes printed): reads of a running loop's
/// log at later and later times (`kubectl logs`, an eventual check
/// retrying) extend one replay instead of replaying from the start each
/// time. A replay is kept to twice the horizon asked for, so a log read at
/// ever later times costs, all reads together, a constant times the last
/// one's replay (not its square). Keyed by everything the run depends on
/// (program and context), so what it gives is what a fresh replay would:
/// it is a cache, never part of the simulation's state (clones start
/// empty, and it compares equal to any other). Behind a mutex because
/// readers hold the cluster shared.
#[derive(Default)]
pub struct Replays(std::sync::Mutex<Vec<(String, Duration, Trace)>>);

impl Clone for Replays {
    fn clone(&self) -> Replays {
        Replays::default()
    }
}

impl PartialEq for Replays {
    fn eq(&self, _: &Replays) -> bool {
        true
    }
}

impl std::fmt::Debug for Replays {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Replays")
    }
}

impl Replays {
    /// Replays kept.
    const KEPT: usize = 64;

    /// Runs `read` over the process's trace reaching at least `horizon`,
    /// from a kept replay extended as needed.
    fn with_trace<T>(
        &self,
        program: &Program,
        ctx: &Context,
        horizon: Duration,
        read: impl Fn(&Trace) -> T,
    ) -> T {
        use std::sync::PoisonError;
        let key = format!("{program:?}\u{0}{ctx:?}");
        let mut replays = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let found = replays.iter().position(|(k, _, _)| *k == key);
        if let Some(i) = found {
            let (_, reached, trace) = &replays[i];
            // It covers the horizon, or it ended (exit, budget, a pause or
            // an unsupported step) before the horizon it was run to.
            if *reached >= horizon || trace.exit.is_some() || trace.reached < *reached {
                return read(trace);
            }
        }
        let to = match found {
            Some(i) => horizon.max(replays[i].1 * 2),
            None => horizon,
        };
        let trace = run(program, ctx, to);
        let out = read(&trace);
        replays.retain(|(k, _, _)| *k != key);
        if replays.len() >= Self::KEPT {
            replays.remove(0);
        }
        replays.push((key, to, trace));
        out
    }
}

/// How the whole run goes, without its output (the kubelet replays a
/// process each time one of its network calls is answered): to its exit,
/// until stopped (a server, or a loop that does not end within the budget:
/// no exit), or to the first network call not answered yet
/// ([`Trace::waiting`]).
pub fn run_through(program: &Program, ctx: &Context) -> Trace {
    run_with(program, ctx, EXIT_HORIZON, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(json: serde_json::Value) -> Container {
        serde_json::from_value(json).unwrap()
    }

    fn ctx() -> Context {
        Context {
            start: Timestamp::from_second(1_668_567_000).unwrap(),
            hostname: "testpod".into(),
            env: vec![("PATH".into(), "/usr/bin".into()), ("HOSTNAME".into(), "testpod".into())],
            files: BTreeMap::from([("/etc/config/key".into(), "value\n".into())]),
            image: "busybox".into(),
            ..Context::default()
        }
    }

    fn full(c: serde_json::Value) -> Trace {
        run(&program(&container(c)), &ctx(), EXIT_HORIZON)
    }

    #[test]
    fn seed_job_script_prints_sleeps_and_succeeds() {
        let t = full(serde_json::json!({"name": "c", "image": "busybox", "command": ["sh", "-c"],
            "args": ["echo \"start Job!\"; sleep 30; echo \"Job Done!\""]}));
        assert_eq!(t.log(), "start Job!\nJob Done!\n");
        assert_eq!(t.exit, Some((Duration::from_secs(30), 0)));
        assert_eq!(t.output[1].0, Duration::from_secs(30));
    }

    #[test]
    fn unknown_commands_fail_like_busybox_sh() {
        let t = full(serde_json::json!({"name": "c", "image": "busybox", "command": ["sh", "-c"],
            "args": ["This is erro command!!!"]}));
        assert_eq!(t.log(), "sh: This: not found\n");
        assert_eq!(t.exit, Some((Duration::ZERO, 127)));
        let t = full(
            serde_json::json!({"name": "c", "image": "ubuntu", "command": ["bash", "-c", "nope"]}),
        );
        assert_eq!(t.log(), "bash: line 1: nope: command not found\n");
    }

    #[test]
    fn unsupported_syntax_stops_the_run_unsupported() {
        let t = full(
            serde_json::json!({"name": "c", "image": "busybox", "command": ["sh", "-c", "echo a & wait"]}),
        );
        assert_eq!(t.exit, None, "it does not exit: what it would do is unknown");
        assert_eq!(t.log(), "", "kubeplay's own message is not the container's log");
        assert_eq!(t.unsupported.as_deref(), Some("container shell construct '&'"));
    }

    fn in_image(image: &str, shell: &str, script: &str) -> Trace {
        let c = container(serde_json::json!({"name": "c", "image": image,
            "command": [shell, "-c", script]}));
        run(&program(&c), &Context { image: image.into(), ..ctx() }, Duration::from_secs(30))
    }

    #[test]
    fn the_counter_pod_counts_with_substitution_and_arithmetic() {
        let script = r#"i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done"#;
        for (image, shell) in [("busybox", "/bin/sh"), ("debian", "sh"), ("ubuntu", "bash")] {
            let t = in_image(image, shell, script);
            let log = t.log();
            let lines: Vec<&str> = log.lines().collect();
            assert_eq!(lines[0], "0: Wed Nov 16 02:50:00 UTC 2022", "{image}");
            assert_eq!(lines[2], "2: Wed Nov 16 02:50:02 UTC 2022", "{image}");
            assert_eq!(lines.len(), 31, "{image}: one line a second up to the horizon");
            assert_eq!(t.unsupported, None);
        }
    }

    #[test]
    fn substitutions_subshells_and_parameter_expansions() {
        let t = sh("echo \"Hello from $(hostname)\"; echo `echo back` $(echo a   b); \
                    x=$(echo one; echo two); echo \"$x\"; y=$(false); echo $?; \
                    (cd /tmp; X=in; echo $PWD $X); echo $PWD x$X; (exit 4); echo $?");
        assert_eq!(t.log(), "Hello from testpod\nback a b\none\ntwo\n1\n/tmp in\n/ x\n4\n");
        let t = sh(
            "echo $(date) >> /tmp/out.txt; cat /tmp/out.txt; n=$(wc -l < /tmp/out.txt); echo $n",
        );
        assert_eq!(t.log(), "Wed Nov 16 02:50:00 UTC 2022\n1\n");
        let t = sh("A=file.tar.gz; echo ${A%.*} ${A%%.*} ${A#*.} ${A##*.} ${#A} ${B:-def} ${B-x} \
                    ${A:+set} ${C:=assigned} $C ${A/tar/zip} ${A//a/_} ${A:5} ${A:0:4} ${A: -2}");
        assert_eq!(
            t.log(),
            "file.tar file tar.gz gz 11 def x set assigned assigned file.zip.gz file.t_r.gz \
             tar.gz file gz\n"
        );
        assert_eq!(sh("E=; echo ${E:-empty} [${E-unset}] ${#E}").log(), "empty [] 0\n");
    }

    #[test]
    fn arithmetic_per_dialect() {
        let script = "i=5; echo $((i * 2 + 1)) $(( (i+1) % 4 )) $((i > 3)) $((0x10)); \
                      let j=i+2; echo $j; echo $((RANDOM % 10 < 10))";
        assert_eq!(in_image("busybox", "sh", script).log(), "11 2 1 16\n7\n1\n");
        assert_eq!(in_image("ubuntu", "bash", script).log(), "11 2 1 16\n7\n1\n");
        // dash has no `let` (nor `$RANDOM`).
        assert_eq!(
            in_image("debian", "sh", script).log(),
            "11 2 1 16\nsh: 1: let: not found\n\n1\n"
        );
        // `$RANDOM` is drawn from the container's seed: the same each run.
        let draw = "echo $RANDOM $RANDOM";
        let a = in_image("busybox", "sh", draw).log();
        assert_eq!(a, in_image("busybox", "sh", draw).log());
        assert_ne!(a.split(' ').next(), a.trim().split(' ').nth(1));
        assert_eq!(in_image("debian", "sh", draw).log(), "\n");
        // Increments: ash and bash; `((...))`: bash only.
        assert_eq!(in_image("busybox", "sh", "i=1; echo $((i++)) $i").log(), "1 2\n");
        let t = in_image("ubuntu", "bash", "i=1; ((i++)); ((i > 5)) || echo small $i");
        assert_eq!(t.log(), "small 2\n");
        let t = in_image("debian", "sh", "i=1; echo $((i++))");
        assert!(t.unsupported.as_deref().is_some_and(|w| w.contains("in dash")), "{t:?}");
        let t = in_image("busybox", "sh", "((i++))");
        assert!(t.unsupported.as_deref().is_some_and(|w| w.contains("`((`")), "{t:?}");
        // Division by zero: each shell's message, and the shell exits 2.
        let t = in_image("busybox", "sh", "echo a; echo $((1/0)); echo b");
        assert_eq!(
            (t.log().as_str(), t.exit),
            ("a\nsh: divide by zero\n", Some((Duration::ZERO, 2)))
        );
        let t = in_image("debian", "sh", "echo $((4 / 0)); echo b");
        assert_eq!(t.log(), "sh: 1: arithmetic expression: division by zero: \"4 / 0\"\n");
        assert_eq!(t.exit, Some((Duration::ZERO, 2)));
    }

    #[test]
    fn bash_forms_per_dialect() {
        let script = "v=hello; echo ${v^^} ${v^}";
        assert_eq!(in_image("ubuntu", "bash", script).log(), "HELLO Hello\n");
        // dash: a fatal "Bad substitution" (its `expand.c`), exit 2.
        let t = in_image("debian", "sh", "echo a; v=abc; echo ${v:1:1}; echo b");
        assert_eq!(
            (t.log().as_str(), t.exit),
            ("a\nsh: 1: Bad substitution\n", Some((Duration::ZERO, 2)))
        );
        assert_eq!(in_image("busybox", "sh", "v=abc; echo ${v:1:1} ${v/b/B}").log(), "b aBc\n");
        let t = in_image("busybox", "sh", script);
        assert!(t.unsupported.as_deref().is_some_and(|w| w.contains("busybox ash")), "{t:?}");
    }

    #[test]
    fn utilities_an_image_ships_but_kubeplay_cannot_run_are_unsupported() {
        // busybox's `rev` with no stdin attached reads EOF: no output, exit 0.
        let t = full(serde_json::json!({"name": "c", "image": "busybox", "command": ["rev"]}));
        assert_eq!((t.log().as_str(), t.exit), ("", Some((Duration::ZERO, 0))));
        // `ps` is a busybox applet kubeplay does not run.
        let t = full(serde_json::json!({"name": "c", "image": "busybox",
            "command": ["sh", "-c", "echo start; ps; echo end"]}));
        assert_eq!(t.log(), "start\n", "output before the unsupported command stands");
        assert!(t.unsupported.as_deref().is_some_and(|w| w.starts_with("`ps`")), "{t:?}");
        // Debian slim images really lack procps: still "not found".
        let debian = Context { image: "debian".into(), ..ctx() };
        let p = program(&container(
            serde_json::json!({"name": "c", "image": "debian", "command": ["sh", "-c", "ps"]}),
        ));
        let t = run(&p, &debian, EXIT_HORIZON);
        assert_eq!(t.log(), "sh: 1: ps: not found\n");
        assert_eq!(t.unsupported, None);
    }

    #[test]
    fn files_redirections_and_applets() {
        let t = sh("echo hello > /tmp/a; echo world >> /tmp/a; cat /tmp/a; wc -l /tmp/a; \
                    rev < /tmp/a; tr a-z A-Z <<< 'up'; cat <<EOF\nline $HOSTNAME\nEOF\n\
                    mkdir -p /tmp/d/e && cp /tmp/a /tmp/d/e && mv /tmp/d/e/a /tmp/d/b; ls /tmp/d; \
                    rm /tmp/d; rm -r /tmp/d; ls /tmp; [ -f /tmp/a ] && echo yes; test -d /tmp/a || echo no");
        assert_eq!(
            t.log(),
            "hello\nworld\n2 /tmp/a\nolleh\ndlrow\nUP\nline testpod\nb\ne\n\
             rm: '/tmp/d' is a directory\na\nyes\nno\n"
        );
        let t = sh(
            "seq 3 | sort -r | head -n 2; expr 2 + 3; seq 2 2 6 | awk '{print $1}' | tr '\\n' ' '",
        );
        assert_eq!(t.log(), "3\n2\n5\n2 4 6 ");
        let t = sh("cat /nope 2>&1 | wc -l; ls /nope 2>/dev/null; echo $?; echo x > /nope/y");
        assert_eq!(t.log(), "1\n1\nsh: can't create /nope/y: nonexistent directory\n");
        assert_eq!(t.exit, Some((Duration::ZERO, 1)));
        // Globs over a known directory.
        let t = sh(
            "touch /tmp/a.txt /tmp/b.txt /tmp/c.log; echo /tmp/*.txt; rm /tmp/*; ls /tmp | wc -l",
        );
        assert_eq!(t.log(), "/tmp/a.txt /tmp/b.txt\n0\n");
        // Parts of the image kubeplay does not model stay unsupported.
        let t = sh("cat /etc/passwd");
        assert!(t.unsupported.as_deref().is_some_and(|w| w.contains("/etc/passwd")), "{t:?}");
        // GNU texts in Debian-based images.
        let debian = Context { image: "nginx:1.25.4".into(), ..ctx() };
        let p = program(&container(serde_json::json!({"name": "c", "image": "nginx",
            "command": ["sh", "-c", "rm /usr/share/nginx/html/index.html; ls /usr/share/nginx/html; ls /x; rm /x; echo hi > /x/y"]})));
        let t = run(&p, &debian, EXIT_HORIZON);
        assert_eq!(
            t.log(),
            "50x.html\nls: cannot access '/x': No such file or directory\n\
             rm: cannot remove '/x': No such file or directory\n\
             sh: 1: cannot create /x/y: Directory nonexistent\n"
        );
        assert_eq!(t.changes.len(), 1, "the removal is the one change");
    }

    fn sh(script: &str) -> Trace {
        full(serde_json::json!({"name": "c", "image": "busybox", "command": ["sh", "-c", script]}))
    }

    #[test]
    fn pipelines_feed_stdout_to_stdin_and_exit_with_the_last_stage() {
        // stdin flows through every stage.
        assert_eq!(sh("env | grep PATH").log(), "PATH=/usr/bin\n");
        assert_eq!(sh("printenv | sort -r | head -n 1").log(), "PATH=/usr/bin\n");
        assert_eq!(sh("cat /etc/config/key | cat | wc -l").log(), "1\n");
        // The status is the last stage's, whatever the earlier ones did.
        assert_eq!(sh("env | grep NOPE").exit, Some((Duration::ZERO, 1)));
        assert_eq!(sh("false | true").exit, Some((Duration::ZERO, 0)));
        assert_eq!(sh("env | grep -c PATH; echo $?").log(), "1\n0\n");
        // A missing tool in the middle: its error goes to stderr (the log),
        // the next stage reads nothing, and the pipeline goes on.
        let t = sh("env | nosuch | wc -l");
        assert_eq!(t.log(), "sh: nosuch: not found\n0\n");
        assert_eq!(t.exit, Some((Duration::ZERO, 0)));
        assert_eq!(sh("env | nosuch").exit, Some((Duration::ZERO, 127)));
        // stderr is not piped: `cat`'s complaint reaches the log.
        assert_eq!(
            sh("cat /nope | wc -l").log(),
            "cat: can't open '/nope': No such file or directory\n0\n"
        );
        // Each stage is a subshell: assignments, `cd` and `exit` stay in it.
        assert_eq!(sh("X=1 | true; echo x$X; exit 4 | true; echo after").log(), "x\nafter\n");
        // Pipelines bind tighter than `&&`/`||`.
        assert_eq!(sh("env | grep NOPE || echo none").log(), "none\n");
        // A form the shared filters do not model (`-w` now is).
        assert_eq!(sh("echo a | grep -w a").log(), "a\n");
        let t = sh("echo a | grep -P a");
        assert_eq!((t.exit, t.log().as_str()), (None, ""), "no invented message");
        assert_eq!(t.unsupported.as_deref(), Some("grep option -P in a container"));
    }

    #[test]
    fn sleeping_stages_run_on_the_virtual_clock() {
        let t = sh("sleep 5 | echo hi; echo done");
        assert_eq!(t.log(), "hi\ndone\n");
        assert_eq!(t.exit, Some((Duration::from_secs(5), 0)));
    }

    #[test]
    fn servers_and_sleeps() {
        let t = full(serde_json::json!({"name": "c", "image": "nginx"}));
        assert_eq!(t.exit, None);
        let t = full(
            serde_json::json!({"name": "c", "image": "busybox", "command": ["sleep", "3600"]}),
        );
        assert_eq!(t.exit, Some((Duration::from_secs(3600), 0)));
        let t = full(serde_json::json!({"name": "c", "image": "busybox", "args": ["sleep", "1h"]}));
        assert_eq!(t.exit, Some((Duration::from_secs(3600), 0)));
        let t = full(serde_json::json!({"name": "c", "image": "busybox"}));
        assert_eq!(t.exit, Some((Duration::ZERO, 0)));
        let t = full(
            serde_json::json!({"name": "c", "image": "busybox", "command": ["sh", "-c", "while true; do sleep 1; done"]}),
        );
        assert_eq!(t.exit, None, "an endless loop runs until stopped");
    }

    #[test]
    fn exit_codes_lists_loops_and_files() {
        let t = full(serde_json::json!({"name": "c", "image": "busybox", "command": ["sh", "-c",
            "for i in 1 2 3; do echo n=$i; done; false || echo fallback && cat /etc/config/key; exit 3"]}));
        assert_eq!(t.log(), "n=1\nn=2\nn=3\nfallback\nvalue\n");
        assert_eq!(t.exit, Some((Duration::ZERO, 3)));
        let t = full(
            serde_json::json!({"name": "c", "image": "busybox", "command": ["sh", "-c", "date; printenv HOSTNAME"]}),
        );
        assert_eq!(t.log(), "Wed Nov 16 02:50:00 UTC 2022\ntestpod\n");
    }

    #[test]
    fn network_calls_pause_until_answered() {
        use crate::sim::traffic::clients::{Fd, Printed};
        let p = program(&container(serde_json::json!({"name": "c", "image": "busybox",
            "command": ["sh", "-c", "echo a; sleep 5; wget -qO- web; echo b"]})));
        let mut c = Context { calls: Some(Vec::new()), ..ctx() };
        let t = run_through(&p, &c);
        let argv = vec!["wget".to_owned(), "-qO-".to_owned(), "web".to_owned()];
        assert_eq!((t.exit, t.waiting), (None, Some((Duration::from_secs(5), argv))));
        c.calls = Some(vec![Printed {
            chunks: vec![(Fd::Out, "page\n".into())],
            status: 0,
            unsupported: None,
        }]);
        let t = run(&p, &c, EXIT_HORIZON);
        assert_eq!(t.log(), "a\npage\nb\n");
        assert_eq!((t.exit, t.waiting), (Some((Duration::from_secs(5), 0)), None));
        // Without a network (no calls, no snapshot) busybox's wget cannot
        // run: the image has it, so the run stops unsupported.
        let t = run(&p, &ctx(), EXIT_HORIZON);
        assert_eq!(t.log(), "a\n");
        assert!(t.unsupported.as_deref().is_some_and(|w| w.starts_with("`wget`")), "{t:?}");
    }

    /// Commands the interpreter ran on this thread while `f` ran.
    fn steps(f: impl FnOnce()) -> u64 {
        let before = exec::STEPS.with(std::cell::Cell::get);
        f();
        exec::STEPS.with(std::cell::Cell::get) - before
    }

    #[test]
    fn reading_a_loops_log_again_and_again_costs_linear_work() {
        // A counter pod's log read every 5 s of a 2000 s run (an eventual
        // check retrying): 400 reads.
        let c =
            container(serde_json::json!({"name": "c", "image": "busybox", "command": ["sh", "-c",
            r#"i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done"#]}));
        let p = program(&c);
        let ctx = Context { hostname: "guard".into(), ..ctx() };
        let once = steps(|| drop(run(&p, &ctx, Duration::from_secs(2000))));
        let mut last = String::new();
        let replays = Replays::default();
        let all = steps(|| {
            for t in (5..=2000).step_by(5) {
                last = log_until(&replays, &p, &ctx, Duration::from_secs(t));
            }
        });
        assert_eq!(last, run(&p, &ctx, Duration::from_secs(2000)).log(), "same log as a replay");
        assert!(last.starts_with("0: Wed Nov 16 02:50:00 UTC 2022\n1: "));
        // Replaying from the start at each read would cost ~200 × `once`;
        // extending a replay to twice its horizon costs under 4 × `once`.
        assert!(all <= 4 * once, "{all} steps for the reads, {once} for one replay");
    }

    #[test]
    fn a_loop_that_repeats_its_state_is_known_never_to_exit_cheaply() {
        let looping = |script: &str| {
            let c = container(serde_json::json!({"name": "c", "image": "busybox",
                "command": ["sh", "-c", script]}));
            let p = program(&c);
            let mut t = Trace::default();
            let n = steps(|| t = run_through(&p, &ctx()));
            (t, n)
        };
        // The downward-API example's loop: no state changes between passes.
        let (t, n) = looping(
            r#"while true; do if [ -e /etc/config/key ]; then echo -en '\n\n'; cat /etc/config/key; fi; sleep 5; done"#,
        );
        assert_eq!((t.exit, t.unsupported), (None, None));
        assert!(n < 100, "{n} steps: the second pass repeats the first");
        // A loop that reads the clock may end later: it runs on to its end.
        let (t, _) = looping(
            r#"while true; do if [ "$(date +%H%M)" = "0300" ]; then exit 7; fi; sleep 60; done"#,
        );
        assert_eq!(t.exit, Some((Duration::from_secs(600), 7)));
        // A counter changes its variables each pass: no cycle, and the step
        // budget decides as before.
        let (t, n) = looping("i=0; while true; do i=$((i+1)); sleep 1; done");
        assert_eq!(t.exit, None);
        assert!(n > 100_000, "{n}");
    }

    #[test]
    fn horizon_cuts_a_running_process() {
        let p = program(&container(serde_json::json!({"name": "c", "image": "busybox",
            "command": ["sh", "-c", "echo a; sleep 10; echo b"]})));
        let t = run(&p, &ctx(), Duration::from_secs(5));
        assert_eq!((t.log().as_str(), t.exit), ("a\n", None));
    }
}
