//! The real-cluster backend: runs the real `kubectl` as a process (argv,
//! never a shell) against the one context the user named, through a
//! private kubeconfig holding only it ([`kubeconfig`]); each run of a
//! scenario in a namespace of its own, unique and labelled; every step
//! checked first ([`guard`]); children stopped at their deadline
//! ([`process`]); what a run changed undone at its end, on a panic or a
//! signal ([`cleanup`]). README "Running on your own cluster".

pub mod cleanup;
pub mod guard;
pub mod kubeconfig;
pub mod process;

use std::{
    hash::{BuildHasher, Hasher},
    os::unix::fs::{DirBuilderExt, OpenOptionsExt},
    path::{Path, PathBuf},
    sync::{
        RwLock, RwLockReadGuard, RwLockWriteGuard,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use self::process::{Child, Ended};
use super::{Backend, BackendError, Invocation};
use crate::{
    output::CommandOutput,
    scenario::{Capability, FrontMatter},
    workspace::Workspace,
};

/// How to reach the cluster.
#[derive(Debug, Clone, Default)]
pub struct KubectlOptions {
    /// The kubectl program (default `kubectl` on PATH).
    pub program: Option<PathBuf>,
    /// The context to use; required: kubeplay never uses an implicit context.
    pub context: Option<String>,
    /// The kubeconfig holding it (default: kubectl's).
    pub kubeconfig: Option<PathBuf>,
    /// The cluster's nodes have no real kubelet (kwok's fake nodes, as
    /// `scripts/control-plane/start.sh` runs them): steps that need one
    /// are reported skipped, naming why.
    pub fake_nodes: bool,
}

/// The label every namespace kubeplay creates carries, so `kubeplay clean`
/// finds the leftovers of runs that were killed.
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by=kubeplay";

/// Scenarios that change what others on the same cluster see (nodes,
/// cluster-scoped objects, other namespaces) hold this for writing, so
/// they run alone; the others hold it for reading, in parallel.
static CLUSTER: RwLock<()> = RwLock::new(());

/// A run's hold on [`CLUSTER`].
#[derive(Debug)]
#[allow(dead_code)] // held for its Drop
enum Hold {
    Shared(RwLockReadGuard<'static, ()>),
    Alone(RwLockWriteGuard<'static, ()>),
}

/// Runs commands against a real cluster.
#[derive(Debug)]
pub struct KubectlBackend {
    id: u64,
    program: PathBuf,
    global_flags: Vec<String>,
    namespace: String,
    dir: PathBuf,
    root: PathBuf,
    capabilities: Vec<Capability>,
    fake_nodes: bool,
    started: Instant,
    /// When a watch (`kubectl get -w`) is interrupted.
    interrupt: Option<crate::kubectl::watch::Interrupt>,
    /// How long the next kubectl child may run (the step's timeout).
    deadline: Duration,
    /// What the run touched outside its namespace.
    outside: Vec<String>,
    _hold: Hold,
}

/// How often an "eventually" check polls a real cluster.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// A child's deadline until the runner sets the step's.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(15 * 60);

/// The least time one kubectl call gets on a real cluster, whatever the
/// step's timeout: `timeout=0s` means "check at once, do not wait" on the
/// simulator's virtual clock, but a real request and its response take
/// real time (the differential runs saw every call of such blocks stopped
/// at 0 s before it could print anything).
const MIN_CALL: Duration = Duration::from_secs(2);

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// A name no other run has: the process, the time and a counter, hashed
/// with the standard library's per-process random keys.
fn unique_suffix(id: u64) -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u64(id);
    format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

impl KubectlBackend {
    /// Resolves the context into a private kubeconfig (checking the
    /// cluster answers) and creates the scenario's namespace.
    pub fn new(
        options: &KubectlOptions,
        meta: &FrontMatter,
    ) -> Result<KubectlBackend, BackendError> {
        let Some(context) = options.context.as_deref().filter(|c| !c.is_empty()) else {
            return Err(BackendError::Infrastructure(
                "the kubectl backend needs --context NAME: kubeplay never runs against a context you did not name".into(),
            ));
        };
        let program = program_path(options);
        let hold = if meta.capabilities.iter().any(|c| c.is_cluster_wide()) {
            Hold::Alone(CLUSTER.write().unwrap_or_else(|e| e.into_inner()))
        } else {
            Hold::Shared(CLUSTER.read().unwrap_or_else(|e| e.into_inner()))
        };
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let namespace = format!("kubeplay-{}", unique_suffix(id));
        let dir = private_dir(&namespace)?;
        let root = dir.join("workspace");
        let kubeconfig_path = dir.join("kubeconfig");
        let global_flags = vec![
            format!("--kubeconfig={}", kubeconfig_path.display()),
            format!("--context={context}"),
        ];
        cleanup::register(
            id,
            cleanup::Leftovers {
                program: program.clone(),
                global_flags: global_flags.clone(),
                dir: dir.clone(),
                namespace: None,
                undo: Vec::new(),
            },
        );
        let mut backend = KubectlBackend {
            id,
            program,
            global_flags,
            namespace,
            dir,
            root,
            capabilities: meta.capabilities.clone(),
            fake_nodes: options.fake_nodes,
            started: Instant::now(),
            interrupt: None,
            deadline: meta.timeout.unwrap_or(DEFAULT_DEADLINE),
            outside: Vec::new(),
            _hold: hold,
        };
        kubeconfig::write_private(
            &backend.program,
            context,
            options.kubeconfig.as_deref(),
            &backend.dir,
            &kubeconfig_path,
        )?;
        std::fs::DirBuilder::new().mode(0o700).create(&backend.root).map_err(|e| {
            BackendError::Infrastructure(format!("cannot create {}: {e}", backend.root.display()))
        })?;
        let manifest = namespace_manifest(&backend.namespace, meta);
        cleanup::update(id, |l| l.namespace = Some(backend.namespace.clone()));
        // kubeplay wrote this manifest: no client-side schema check needed
        // (which would download the cluster's OpenAPI documents first).
        let created = backend.raw(&["create", "--validate=false", "-f", "-"], Some(&manifest))?;
        if created.status != 0 {
            cleanup::update(id, |l| l.namespace = None);
            return Err(BackendError::Infrastructure(format!(
                "cannot create namespace {} (is the cluster reachable?): {}",
                backend.namespace,
                created.merged().trim()
            )));
        }
        backend.deadline = meta.timeout.unwrap_or(DEFAULT_DEADLINE);
        Ok(backend)
    }

    /// The namespace this scenario runs in.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    fn raw(&self, args: &[&str], stdin: Option<&str>) -> Result<CommandOutput, BackendError> {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        self.spawn(&args, stdin, &self.dir.clone(), None)
    }

    /// Runs kubectl with kubeplay's global flags and `args`.
    fn spawn(
        &self,
        args: &[String],
        stdin: Option<&str>,
        cwd: &Path,
        interrupt: Option<&crate::kubectl::watch::Interrupt>,
    ) -> Result<CommandOutput, BackendError> {
        let full: Vec<String> = self.global_flags.iter().chain(args).cloned().collect();
        let deadline = interrupt.map_or(self.deadline, |i| i.after).max(MIN_CALL);
        match process::run(Child {
            program: &self.program,
            args: &full,
            cwd,
            stdin,
            deadline,
            interrupt,
            cleanup: false,
        })? {
            Ended::Output(out) => Ok(out),
            Ended::TimedOut(_) => Err(BackendError::Infrastructure(format!(
                "kubectl {} did not finish within the step's timeout ({}s) and was stopped",
                args.join(" "),
                deadline.as_secs()
            ))),
        }
    }

    /// Writes the workspace under the run's private folder (readable by the
    /// user alone) and returns the directory matching the workspace's
    /// current directory. Workspace paths are absolute and free of `..`
    /// (`Workspace::resolve`), so each lands under the folder.
    fn materialise(&self, workspace: &Workspace) -> Result<PathBuf, BackendError> {
        let io = |e: std::io::Error| BackendError::Infrastructure(e.to_string());
        for (path, content) in workspace.files() {
            let target = self.root.join(path.trim_start_matches('/'));
            if let Some(parent) = target.parent() {
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(parent)
                    .map_err(io)?;
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&target)
                .map_err(io)?;
            std::io::Write::write_all(&mut file, content.as_bytes()).map_err(io)?;
        }
        let cwd = self.root.join(workspace.cwd().trim_start_matches('/'));
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&cwd).map_err(io)?;
        Ok(cwd)
    }
}

/// The kubectl program: a relative path with folders is relative to where
/// kubeplay started, since commands run in the scenario's folder.
fn program_path(options: &KubectlOptions) -> PathBuf {
    let mut program = options.program.clone().unwrap_or_else(|| PathBuf::from("kubectl"));
    if program.is_relative()
        && program.components().count() > 1
        && let Ok(cwd) = std::env::current_dir()
    {
        program = cwd.join(program);
    }
    program
}

/// The run's folder under the temporary directory, readable by the user alone.
fn private_dir(namespace: &str) -> Result<PathBuf, BackendError> {
    let dir = std::env::temp_dir().join(namespace);
    std::fs::DirBuilder::new().mode(0o700).create(&dir).map_err(|e| {
        BackendError::Infrastructure(format!("cannot create {}: {e}", dir.display()))
    })?;
    Ok(dir)
}

/// The run's Namespace: labelled as kubeplay's, annotated with what made it.
fn namespace_manifest(namespace: &str, meta: &FrontMatter) -> String {
    let (key, value) = MANAGED_BY.split_once('=').unwrap_or_default();
    let manifest = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": namespace,
            "labels": {key: value},
            "annotations": {
                "kubeplay.dev/pid": std::process::id().to_string(),
                "kubeplay.dev/scenario": meta.title.clone().unwrap_or_default(),
            },
        },
    });
    manifest.to_string()
}

/// `kubeplay clean`: deletes every namespace kubeplay's runs left on the
/// context (runs that were killed before their cleanup). Returns kubectl's
/// output.
pub fn clean(options: &KubectlOptions) -> Result<CommandOutput, BackendError> {
    let Some(context) = options.context.as_deref().filter(|c| !c.is_empty()) else {
        return Err(BackendError::Infrastructure("kubeplay clean needs --context NAME".into()));
    };
    let program = program_path(options);
    let dir = private_dir(&format!("kubeplay-clean-{}", unique_suffix(0)))?;
    let kubeconfig_path = dir.join("kubeconfig");
    let result = kubeconfig::write_private(
        &program,
        context,
        options.kubeconfig.as_deref(),
        &dir,
        &kubeconfig_path,
    )
    .and_then(|()| {
        let args = vec![
            format!("--kubeconfig={}", kubeconfig_path.display()),
            format!("--context={context}"),
            "delete".to_owned(),
            "namespace".to_owned(),
            "-l".to_owned(),
            MANAGED_BY.to_owned(),
            "--wait=false".to_owned(),
        ];
        match process::run(Child {
            program: &program,
            args: &args,
            cwd: &dir,
            stdin: None,
            deadline: Duration::from_secs(120),
            interrupt: None,
            cleanup: true,
        })? {
            Ended::Output(out) | Ended::TimedOut(out) => Ok(out),
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
    result
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
            return Ok(CommandOutput::unsupported(format!(
                "host command {} on a real cluster",
                argv[0]
            )));
        }
        let cwd = self.materialise(workspace)?;
        let cx = guard::Context {
            namespace: &self.namespace,
            capabilities: &self.capabilities,
            workspace,
            root: &self.root,
        };
        let plan = match guard::plan(argv, &cx) {
            Ok(plan) => plan,
            Err(what) => return Ok(CommandOutput::unsupported(what)),
        };
        // Undo is recorded before the command runs: a signal during it
        // must still undo what it may have done.
        if !plan.undo.is_empty() {
            let undo = plan.undo.clone();
            cleanup::update(self.id, |l| l.undo.extend(undo));
        }
        self.outside.extend(plan.outside.iter().cloned());
        let interrupt = self.interrupt.take();
        let result = match &interrupt {
            Some(i) if self.is_blocking(argv) => self.spawn(&plan.args, None, &cwd, Some(i)),
            _ => {
                let stdin = invocation.stdin.map(|s| from_default_namespace(s, &self.namespace));
                self.spawn(&plan.args, stdin.as_deref(), &cwd, None)
            }
        };
        self.interrupt = interrupt;
        result.map(|out| as_default_namespace(out, &self.namespace))
    }

    fn set_interrupt(&mut self, interrupt: Option<crate::kubectl::watch::Interrupt>) {
        self.interrupt = interrupt;
    }

    fn set_step_timeout(&mut self, timeout: Duration) {
        self.deadline = timeout;
    }

    fn is_read_only(&self, argv: &[String]) -> bool {
        // Only known reads are retried; `exec`, `run`, `cp`, `port-forward`
        // and anything else run exactly once.
        argv.first().is_some_and(|p| p == "kubectl")
            && !self.is_blocking(argv)
            && crate::kubectl::args::command_words(argv)
                .is_some_and(|(path, _)| guard::is_pure_read(&path))
    }

    fn is_blocking(&self, argv: &[String]) -> bool {
        if argv.first().is_none_or(|p| p != "kubectl") {
            return false;
        }
        // `logs -f` follows until interrupted, as `get -w` does.
        let follows = crate::kubectl::args::parse(argv)
            .is_ok_and(|inv| inv.path == ["logs"] && inv.bool("follow"));
        follows || crate::kubectl::is_blocking(argv)
    }

    fn advance(&mut self) -> Option<Duration> {
        if process::aborted() {
            return None;
        }
        std::thread::sleep(POLL_INTERVAL);
        Some(POLL_INTERVAL)
    }

    fn sleep(&mut self, duration: Duration) {
        // In slices, so an interrupted run does not sleep on.
        let until = Instant::now() + duration;
        while !process::aborted() && Instant::now() < until {
            std::thread::sleep((until - Instant::now()).min(Duration::from_millis(100)));
        }
    }

    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// As on the simulator: a shell loop or `watch` stops once it has
    /// printed what the step expects, or when the step's time is up
    /// (`--max-wait` included) — not after the backend-wide default
    /// limit, which kept `watch -n 0.05` running for ten minutes of real
    /// clock in a differential run.
    fn interrupted(&self, printed: &str, running: Duration) -> bool {
        match &self.interrupt {
            Some(i) => {
                (i.printed)(printed)
                    || (i.printed)(&format!("{printed}^C\n"))
                    || running >= i.after.min(self.deadline)
            }
            None => running >= self.deadline.min(crate::kubectl::watch::DEFAULT_LIMIT),
        }
    }

    fn now(&self) -> Option<k8s_openapi::jiff::Timestamp> {
        Some(k8s_openapi::jiff::Timestamp::now())
    }

    fn skip_reason(&self, line: &str, host: Option<&str>) -> Option<String> {
        real_cluster_skip_reason(line, host)
            .or_else(|| self.fake_nodes.then(|| fake_node_skip_reason(line)).flatten())
    }

    fn outside_namespace(&self) -> Vec<String> {
        self.outside.clone()
    }

    fn finish(&mut self) {
        cleanup::release(self.id);
    }
}

impl Drop for KubectlBackend {
    /// A panic unwinds past `finish`: the run is undone all the same.
    fn drop(&mut self) {
        cleanup::release(self.id);
    }
}

/// Why a step cannot run against a real cluster: simulator directives, host
/// steps on the cluster's machines, and the tutorial shell's simulated
/// network clients and job control.
pub(crate) fn real_cluster_skip_reason(line: &str, host: Option<&str>) -> Option<String> {
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

/// The run's namespace stands in for the tutorial's `default` (the guard
/// adds `--namespace=` to every step that names none), so the output shows
/// it under that name: `No resources found in default namespace.`,
/// describe's `Namespace:  default`. The name is unique per run
/// (`kubeplay-` and 12 hex digits), so nothing else is renamed.
fn as_default_namespace(mut out: CommandOutput, namespace: &str) -> CommandOutput {
    for (_, text) in &mut out.chunks {
        if text.contains(namespace) {
            *text = text.replace(namespace, "default");
        }
    }
    out
}

/// The reverse of [`as_default_namespace`] for what is piped into a
/// kubectl step: an object printed by an earlier step (`create
/// --dry-run=client -o yaml | kubectl apply -f -`) or typed in a
/// here-document names the tutorial's `default`, which is the run's
/// namespace here; left as `default`, kubectl refuses it against the
/// step's `--namespace=` ("the namespace from the provided object ... does
/// not match").
fn from_default_namespace(stdin: &str, namespace: &str) -> String {
    stdin
        .split_inclusive('\n')
        .map(|line| {
            let body = line.trim_end();
            let key = body.trim_start();
            if key == "namespace: default"
                || key.trim_end_matches(',') == "\"namespace\": \"default\""
            {
                line.replacen("default", namespace, 1)
            } else {
                line.to_owned()
            }
        })
        .collect()
}

/// Why a step cannot run on a cluster whose nodes have no kubelet (kwok
/// answers for them in the API only): a kubectl command in the line that
/// reaches a container through the kubelet. The apiserver would dial the
/// node's kubelet port and print a connection error no tutorial shows.
pub(crate) fn fake_node_skip_reason(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let commands = words.split(|w| matches!(*w, "|" | "&&" | "||" | ";"));
    commands.filter(|c| c.first() == Some(&"kubectl")).find_map(|c| {
        let argv: Vec<String> = c.iter().map(|w| (*w).to_owned()).collect();
        let (path, _) = crate::kubectl::args::command_words(&argv)?;
        let needs = match path.as_slice() {
            ["logs"] => "reads a container's output",
            ["exec"] | ["attach"] | ["cp"] => "runs in a container",
            ["port-forward"] => "connects to a container's port",
            ["top", ..] => "reads the kubelet's resource metrics",
            ["debug"] => "starts a container",
            ["run"] => {
                let attaches = crate::kubectl::args::parse(&argv)
                    .is_ok_and(|inv| ["stdin", "tty", "attach", "rm"].iter().any(|f| inv.bool(f)));
                if !attaches {
                    return None;
                }
                "attaches to a container"
            }
            _ => return None,
        };
        Some(format!(
            "needs a real kubelet: `kubectl {}` {needs}, and this cluster's nodes are fake (kwok)",
            path.join(" ")
        ))
    })
}

/// Tutorial-shell commands that exist only on the simulator (see
/// `backend::hosts::net` and the shell's job control).
const SIMULATED_HOST_TOOLS: [&str; 4] = ["curl", "wget", "jobs", "kill"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piped_objects_name_the_runs_namespace_again() {
        let yaml = "metadata:\n  name: x\n  namespace: default\ndata:\n  namespace: default-ish\n";
        assert_eq!(
            from_default_namespace(yaml, "kubeplay-0123456789ab"),
            "metadata:\n  name: x\n  namespace: kubeplay-0123456789ab\ndata:\n  namespace: default-ish\n"
        );
        let json = "{\n    \"namespace\": \"default\",\n    \"name\": \"default\"\n}";
        assert_eq!(
            from_default_namespace(json, "own"),
            "{\n    \"namespace\": \"own\",\n    \"name\": \"default\"\n}"
        );
    }

    #[test]
    fn refuses_an_implicit_context() {
        let err =
            KubectlBackend::new(&KubectlOptions::default(), &FrontMatter::default()).unwrap_err();
        assert!(err.to_string().contains("--context"));
    }

    #[test]
    fn the_run_namespace_is_shown_as_default() {
        let out = CommandOutput::stdout(
            "No resources found in kubeplay-0123456789ab namespace.\nNamespace:  kubeplay-0123456789ab\n",
        );
        let out = as_default_namespace(out, "kubeplay-0123456789ab");
        assert_eq!(out.merged(), "No resources found in default namespace.\nNamespace:  default\n");
    }

    #[test]
    fn fake_nodes_skip_what_needs_a_kubelet() {
        let reason = |line: &str| fake_node_skip_reason(line);
        assert!(reason("kubectl logs job/pi").unwrap().contains("`kubectl logs` reads"));
        assert!(reason("kubectl get pods | grep web && kubectl exec web -- ls").is_some());
        assert!(reason("kubectl -n x top pods").is_some());
        assert!(reason("kubectl run -it tmp --image=busybox -- sh").is_some());
        assert!(reason("kubectl run web --image=nginx").is_none());
        assert!(reason("kubectl get pods -o wide").is_none());
        assert!(reason("kubectl create job pi --image=perl").is_none());
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
}
