//! The real-cluster backend: runs the real `kubectl` as a process (argv,
//! never a shell), each scenario in a namespace of its own that is deleted
//! when the scenario ends. It only talks to the context the user named.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

use super::{Backend, BackendError, Invocation};
use crate::{
    output::{CommandOutput, Stream},
    workspace::Workspace,
};

/// How to reach the cluster.
#[derive(Debug, Clone, Default)]
pub struct KubectlOptions {
    /// The kubectl program (default `kubectl` on PATH).
    pub program: Option<PathBuf>,
    /// `--context` to pass; required: kubeplay never uses an implicit context.
    pub context: Option<String>,
    /// `--kubeconfig` to pass.
    pub kubeconfig: Option<PathBuf>,
}

/// Runs commands against a real cluster.
#[derive(Debug)]
pub struct KubectlBackend {
    program: PathBuf,
    global_flags: Vec<String>,
    namespace: String,
    dir: PathBuf,
    started: Instant,
    /// When a watch (`kubectl get -w`) is interrupted.
    interrupt: Option<crate::kubectl::watch::Interrupt>,
}

/// How often an "eventually" check polls a real cluster.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

impl KubectlBackend {
    /// Connects (checking the cluster answers) and creates the scenario's namespace.
    pub fn new(
        options: &KubectlOptions,
        scenario_key: u64,
    ) -> Result<KubectlBackend, BackendError> {
        let Some(context) = &options.context else {
            return Err(BackendError::Infrastructure(
                "the kubectl backend needs --context: kubeplay never runs against a context you did not name".into(),
            ));
        };
        let mut program = options.program.clone().unwrap_or_else(|| PathBuf::from("kubectl"));
        // Commands run in the scenario's directory: a relative path given
        // by the user means relative to where kubeplay was started.
        if program.is_relative()
            && program.components().count() > 1
            && let Ok(cwd) = std::env::current_dir()
        {
            program = cwd.join(program);
        }
        let mut global_flags = vec![format!("--context={context}")];
        if let Some(kubeconfig) = &options.kubeconfig {
            global_flags.push(format!("--kubeconfig={}", kubeconfig.display()));
        }
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let namespace = format!("kubeplay-{:x}-{id}", scenario_key & 0xffff_ffff);
        let dir = std::env::temp_dir().join(format!("kubeplay-{}-{namespace}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| {
            BackendError::Infrastructure(format!("cannot create {}: {e}", dir.display()))
        })?;
        let backend = KubectlBackend {
            program,
            global_flags,
            namespace,
            dir,
            started: Instant::now(),
            interrupt: None,
        };
        let created = backend.raw(&["create", "namespace", &backend.namespace])?;
        if created.status != 0 {
            return Err(BackendError::Infrastructure(format!(
                "cannot create namespace {} (is the cluster reachable?): {}",
                backend.namespace,
                created.merged().trim()
            )));
        }
        Ok(backend)
    }

    /// The namespace this scenario runs in.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    fn raw(&self, args: &[&str]) -> Result<CommandOutput, BackendError> {
        let argv: Vec<String> =
            std::iter::once("kubectl").chain(args.iter().copied()).map(str::to_owned).collect();
        self.spawn(&argv, None, &self.dir)
    }

    fn spawn(
        &self,
        argv: &[String],
        stdin: Option<&str>,
        cwd: &Path,
    ) -> Result<CommandOutput, BackendError> {
        let mut command = Command::new(&self.program);
        command.args(&self.global_flags).args(&argv[1..]).current_dir(cwd);
        command.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|e| {
            BackendError::Infrastructure(format!("cannot run {}: {e}", self.program.display()))
        })?;
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            use std::io::Write;
            let _ = pipe.write_all(text.as_bytes());
        }
        let output = child
            .wait_with_output()
            .map_err(|e| BackendError::Infrastructure(format!("kubectl did not finish: {e}")))?;
        let mut out = CommandOutput::status(output.status.code().unwrap_or(1));
        // A process's two streams cannot be re-interleaved afterwards; kubectl
        // writes warnings before results, so stderr first is what a terminal shows.
        out.write(Stream::Stderr, String::from_utf8_lossy(&output.stderr).into_owned());
        out.write(Stream::Stdout, String::from_utf8_lossy(&output.stdout).into_owned());
        Ok(out)
    }

    /// Runs a command that may never exit (`kubectl get -w`), reading its
    /// output as it comes and killing it, as Ctrl-C would, once `interrupt`
    /// says the reader has seen enough or its time is up.
    fn spawn_interruptible(
        &self,
        argv: &[String],
        cwd: &Path,
        interrupt: &crate::kubectl::watch::Interrupt,
    ) -> Result<CommandOutput, BackendError> {
        use std::{io::Read, sync::mpsc};
        let mut command = Command::new(&self.program);
        command.args(&self.global_flags).args(&argv[1..]).current_dir(cwd);
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|e| {
            BackendError::Infrastructure(format!("cannot run {}: {e}", self.program.display()))
        })?;
        let (tx, rx) = mpsc::channel::<(Stream, Vec<u8>)>();
        let pipes: Vec<(Stream, Box<dyn Read + Send>)> = [
            child.stdout.take().map(|p| (Stream::Stdout, Box::new(p) as Box<dyn Read + Send>)),
            child.stderr.take().map(|p| (Stream::Stderr, Box::new(p) as Box<dyn Read + Send>)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let readers: Vec<_> = pipes
            .into_iter()
            .map(|(stream, mut pipe)| {
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let mut buf = [0u8; 4096];
                    while let Ok(n) = pipe.read(&mut buf) {
                        if n == 0 || tx.send((stream, buf[..n].to_vec())).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        let mut out = CommandOutput::default();
        let deadline = Instant::now() + interrupt.after;
        let mut interrupted = false;
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok((stream, bytes)) => {
                    out.write(stream, String::from_utf8_lossy(&bytes).into_owned());
                    let merged = out.merged();
                    // A tutorial may show the `^C` the terminal echoed.
                    if (interrupt.printed)(&merged) || (interrupt.printed)(&format!("{merged}^C\n"))
                    {
                        interrupted = true;
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() >= deadline => {
                    interrupted = true;
                    break;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        if interrupted {
            let _ = child.kill();
        }
        let status = child
            .wait()
            .map_err(|e| BackendError::Infrastructure(format!("kubectl did not finish: {e}")))?;
        for reader in readers {
            let _ = reader.join();
        }
        while let Ok((stream, bytes)) = rx.try_recv() {
            out.write(stream, String::from_utf8_lossy(&bytes).into_owned());
        }
        if interrupted {
            // What the terminal shows for the reader's Ctrl-C; kubectl's
            // own interrupt handler exits 0 (`interrupt.New(nil, cancel)`).
            out.write(Stream::Stderr, "^C\n");
            out.status = 0;
        } else {
            out.status = status.code().unwrap_or(1);
        }
        Ok(out)
    }

    /// Writes the workspace under the scenario's temporary directory and
    /// returns the directory matching the workspace's current directory.
    fn materialise(&self, workspace: &Workspace) -> Result<PathBuf, BackendError> {
        for (path, content) in workspace.files() {
            let target = self.dir.join(path.trim_start_matches('/'));
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| BackendError::Infrastructure(e.to_string()))?;
            }
            std::fs::write(&target, content)
                .map_err(|e| BackendError::Infrastructure(e.to_string()))?;
        }
        let cwd = self.dir.join(workspace.cwd().trim_start_matches('/'));
        std::fs::create_dir_all(&cwd).map_err(|e| BackendError::Infrastructure(e.to_string()))?;
        Ok(cwd)
    }
}

/// Whether argv already chooses a namespace (or all of them).
fn names_namespace(argv: &[String]) -> bool {
    argv.iter().any(|a| {
        a == "-n"
            || a == "-A"
            || a == "--all-namespaces"
            || a.starts_with("--namespace")
            || (a.starts_with("-n") && a.len() > 2 && !a.starts_with("--"))
    })
}

impl Backend for KubectlBackend {
    fn name(&self) -> &'static str {
        "kubectl"
    }

    fn exec(
        &mut self,
        invocation: Invocation<'_>,
        workspace: &Workspace,
    ) -> Result<CommandOutput, BackendError> {
        let argv = invocation.argv;
        if argv[0] != "kubectl" {
            return Ok(CommandOutput::failure(
                format!(
                    "kubeplay: `{}` is not run on a real cluster (host steps are simulator-only)\n",
                    argv[0]
                ),
                127,
            ));
        }
        let cwd = self.materialise(workspace)?;
        let mut full = argv.to_vec();
        if !names_namespace(argv) {
            full.insert(1, format!("--namespace={}", self.namespace));
        }
        if let Some(interrupt) = &self.interrupt
            && crate::kubectl::is_blocking(argv)
        {
            return self.spawn_interruptible(&full, &cwd, interrupt);
        }
        self.spawn(&full, invocation.stdin, &cwd)
    }

    fn set_interrupt(&mut self, interrupt: Option<crate::kubectl::watch::Interrupt>) {
        self.interrupt = interrupt;
    }

    fn is_read_only(&self, argv: &[String]) -> bool {
        argv.first().is_some_and(|p| p == "kubectl") && crate::kubectl::is_read_only(argv)
    }

    fn advance(&mut self) -> Option<Duration> {
        std::thread::sleep(POLL_INTERVAL);
        Some(POLL_INTERVAL)
    }

    fn sleep(&mut self, duration: Duration) {
        std::thread::sleep(duration);
    }

    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    fn now(&self) -> Option<k8s_openapi::jiff::Timestamp> {
        Some(k8s_openapi::jiff::Timestamp::now())
    }

    fn skip_reason(&self, line: &str, host: Option<&str>) -> Option<String> {
        real_cluster_skip_reason(line, host)
    }

    fn finish(&mut self) {
        let _ = self.raw(&["delete", "namespace", &self.namespace.clone(), "--wait=false"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Why a step cannot run against a real cluster: simulator directives, host
/// steps on the cluster's machines, and the tutorial shell's simulated
/// network clients and job control.
fn real_cluster_skip_reason(line: &str, host: Option<&str>) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let program = words.first().copied().unwrap_or_default();
    if program == "kubeplay" {
        return Some("simulator directive; a real cluster runs on its own clock".into());
    }
    if program != "kubectl" && host.is_some() {
        return Some(format!(
            "host step on `{}`: kubeplay does not run commands on a real cluster's machines",
            host.unwrap_or_default()
        ));
    }
    // The tutorial shell's network clients and job control answer from
    // the simulator's traffic model and its background jobs; against a
    // real cluster they would need the reader's network and processes.
    if line.trim_end().ends_with('&') && !line.trim_end().ends_with("&&") {
        return Some("background job: run only on the simulator".into());
    }
    let at_command_position = |i: usize| {
        i == 0 || matches!(words[i - 1], "|" | "&&" | "||" | ";") || words[i - 1].ends_with(';')
    };
    let simulated = (0..words.len())
        .find(|&i| at_command_position(i) && SIMULATED_HOST_TOOLS.contains(&words[i]));
    if let Some(tool) = simulated.map(|i| words[i]) {
        return Some(format!("`{tool}` answers from the simulator's network and jobs only"));
    }
    None
}

/// Tutorial-shell commands that exist only on the simulator (see
/// `backend::hosts::net` and the shell's job control).
const SIMULATED_HOST_TOOLS: [&str; 4] = ["curl", "wget", "jobs", "kill"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_an_implicit_context() {
        let err = KubectlBackend::new(&KubectlOptions::default(), 1).unwrap_err();
        assert!(err.to_string().contains("--context"));
    }

    #[test]
    fn simulated_host_tools_and_background_jobs_are_skipped() {
        let skipped = |line: &str| real_cluster_skip_reason(line, None).is_some();
        assert!(skipped("curl -s 192.168.49.2:30080"));
        assert!(skipped("kubectl get pods | grep web && curl localhost:8080"));
        assert!(skipped("kubectl port-forward svc/web 8080:80 &"));
        assert!(skipped("kill %1"));
        assert!(!skipped("kubectl exec web -- wget -qO- http://db"));
        assert!(!skipped("kubectl get pods && kubectl get svc"));
        assert!(!skipped("kubectl delete pod kill"));
    }

    #[test]
    fn detects_explicit_namespaces() {
        let argv = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert!(names_namespace(&argv("kubectl get pods -n kube-system")));
        assert!(names_namespace(&argv("kubectl get pods --namespace=kube-system")));
        assert!(names_namespace(&argv("kubectl get pods -A")));
        assert!(!names_namespace(&argv("kubectl get pods -o wide")));
    }
}
