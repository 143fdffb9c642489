//! Backends run the external commands of a scenario (`kubectl`, `kubeadm`,
//! host commands) and own the notion of time: [`Backend::advance`] moves the
//! simulator's virtual clock, or waits in wall time on a real cluster.

pub mod hosts;
pub mod kubectl;
pub mod sim;

use std::time::Duration;

use crate::{output::CommandOutput, scenario::FrontMatter, workspace::Workspace};

/// An error of the backend itself, not of the command it ran: kubectl is
/// missing, the cluster is unreachable. Ends the run with exit status 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// The backend cannot start (missing tool, unreachable cluster, bad config).
    #[error("{0}")]
    Infrastructure(String),
}

/// One command to run on a backend.
#[derive(Debug, Clone, Copy)]
pub struct Invocation<'a> {
    /// The argv, `argv[0]` being the program (`kubectl`).
    pub argv: &'a [String],
    /// The host the prompt named (`worker2` in `[root@worker2 ~]#`).
    pub host: Option<&'a str>,
    /// Data piped or redirected into the command.
    pub stdin: Option<&'a str>,
}

/// See [`Backend::read_fingerprint`].
pub type ReadFingerprint = Vec<u64>;

/// Where a scenario's commands run.
pub trait Backend {
    /// Short name (`sim`, `kubectl`), matched against a scenario's `backends`.
    fn name(&self) -> &'static str;

    /// Runs one external command. A command that fails is an `Ok` output with
    /// a non-zero status; `Err` is reserved for the backend itself failing.
    fn exec(
        &mut self,
        invocation: Invocation<'_>,
        workspace: &Workspace,
    ) -> Result<CommandOutput, BackendError>;

    /// Whether running `argv` again can only observe state, never change it
    /// (`kubectl get`, `describe`, ...). Such commands are retried until they
    /// match ("eventually"); others run exactly once.
    fn is_read_only(&self, argv: &[String]) -> bool;

    /// Whether `argv` blocks while it watches the cluster change and prints
    /// as it goes (`kubectl rollout status`): it runs once, the clock moving
    /// under it, and its expected output is matched as a subsequence, since
    /// tutorials show some of the lines it prints (DESIGN §4).
    fn is_blocking(&self, argv: &[String]) -> bool {
        argv.first().is_some_and(|p| p == "kubectl") && crate::kubectl::is_blocking(argv)
    }

    /// Sets the running step's timeout: no process a backend starts for
    /// it runs longer.
    fn set_step_timeout(&mut self, _timeout: Duration) {}

    /// What the scenario touched outside its own namespace on a real
    /// cluster (`node node1: kubectl cordon node1`), for the report.
    fn outside_namespace(&self) -> Vec<String> {
        Vec::new()
    }

    /// Sets when the next blocking commands that never exit by themselves
    /// (`kubectl get -w`) are interrupted, as Ctrl-C would; `None` clears it.
    fn set_interrupt(&mut self, _interrupt: Option<crate::kubectl::watch::Interrupt>) {}

    /// A value that stays the same for as long as the output of the
    /// reading command `line` would: equal fingerprints before two runs
    /// mean the second would print what the first did. `None` (the
    /// default, and for anything the backend cannot vouch for): run it.
    fn read_fingerprint(&self, _line: &str) -> Option<ReadFingerprint> {
        None
    }

    /// Lets the cluster make progress: one controller action or a clock jump
    /// on the simulator, a poll interval on a real cluster. Returns the time
    /// that passed, or `None` when nothing can change any more.
    fn advance(&mut self) -> Option<Duration>;

    /// [`Backend::advance`] for a reading command that has not yet shown
    /// what the step expects, within the `limit` left of the step's wait: on
    /// the simulator, once the cluster has nothing more to do, a `kubectl
    /// logs` still waits on the processes that go on writing (a counter
    /// loop), so the clock moves to their next line; and a clock jump stops
    /// at the limit, so a step is never judged on a state later than its
    /// timeout allows.
    fn advance_for_read(&mut self, _line: &str, _limit: Duration) -> Option<Duration> {
        self.advance()
    }

    /// `sleep N` in a scenario: virtual on the simulator, real on a cluster.
    fn sleep(&mut self, duration: Duration);

    /// Time passed since the scenario started (virtual on the simulator).
    fn elapsed(&self) -> Duration;

    /// The wall-clock instant now, as the tutorial machine's `date` tells
    /// it: virtual time on the simulator, real time on a real cluster.
    /// `None` for a backend without a clock (`date` is then unsupported).
    fn now(&self) -> Option<k8s_openapi::jiff::Timestamp> {
        None
    }

    /// Whether a command that runs until interrupted (a `while true`
    /// loop, `watch`), having printed `printed` over `running` time, is
    /// now interrupted as the reader's Ctrl-C would: the interrupt set by
    /// [`Backend::set_interrupt`] decides, else after
    /// [`crate::kubectl::watch::DEFAULT_LIMIT`].
    fn interrupted(&self, _printed: &str, running: Duration) -> bool {
        running >= crate::kubectl::watch::DEFAULT_LIMIT
    }

    /// Called once when the scenario ends, pass or fail (delete namespaces...).
    fn finish(&mut self) {}

    /// Starts `invocation` as background job number `job` (`CMD &`): what
    /// it printed at once, and whether it keeps running (`kubectl
    /// port-forward`) or has already ended. What the job could not
    /// emulate is in the output's `unsupported`, and the shell makes it
    /// the step's verdict; a backend that cannot keep a process in the
    /// background reports exactly that.
    fn spawn_job(
        &mut self,
        invocation: Invocation<'_>,
        _workspace: &Workspace,
        _job: u32,
    ) -> Result<Spawned, BackendError> {
        Ok(Spawned {
            pid: 0,
            output: CommandOutput::unsupported(format!(
                "background jobs (`{} &`) on the {} backend",
                invocation.argv.join(" "),
                self.name()
            )),
            running: false,
        })
    }

    /// What background jobs printed since the last call (`Handling
    /// connection for 8080` when a forwarded port is used).
    fn job_output(&mut self) -> Vec<(u32, String)> {
        Vec::new()
    }

    /// Stops background job `job` (`kill %1`).
    fn kill_job(&mut self, _job: u32) {}

    /// Runs a command that opens an interactive session (`kubectl exec -it
    /// POD -- sh`) at the reader's terminal, typing `input` at the
    /// session's prompt line by line. `None` when this backend cannot
    /// (the step is then reported skipped).
    fn session(
        &mut self,
        _invocation: Invocation<'_>,
        _input: &[String],
        _workspace: &Workspace,
    ) -> Result<Option<crate::kubectl::terminal::Transcript>, BackendError> {
        Ok(None)
    }

    /// Why a step running the command `line` on `host` cannot run on this
    /// backend (reported skipped, never passed), or `None` when it can.
    fn skip_reason(&self, _line: &str, _host: Option<&str>) -> Option<String> {
        None
    }
}

/// A background job as started by [`Backend::spawn_job`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spawned {
    /// Its process id (`[1] 23574`).
    pub pid: u32,
    /// What it printed when it started.
    pub output: CommandOutput,
    /// Whether it is still running.
    pub running: bool,
}

/// Which backend a run uses, with its settings.
#[derive(Debug, Clone)]
pub enum BackendChoice {
    /// The built-in simulator.
    Sim,
    /// The simulator as the named cluster profile, whatever the scenario's
    /// front matter describes, and skipping what a real cluster's run
    /// skips: the simulator's side of a differential run against that
    /// cluster (`kubeplay diff-backends --sim-profile kwok`), at the
    /// profile's version or the one given (`--sim-version`: the version of
    /// an older kubectl pointed at the cluster).
    SimAs(String, Option<crate::version::KubeVersion>),
    /// A real cluster through the real kubectl.
    Kubectl(kubectl::KubectlOptions),
}

impl BackendChoice {
    /// The backend's short name, as scenarios' `backends` lists use it.
    pub fn name(&self) -> &'static str {
        match self {
            BackendChoice::Sim | BackendChoice::SimAs(..) => "sim",
            BackendChoice::Kubectl(_) => "kubectl",
        }
    }
}

/// Opens a fresh backend for one scenario. The simulator depends on the
/// front matter only (never on the path the file was named by), so the
/// same scenario gives the same transcript from any path or folder; a
/// real cluster's runs are told apart by a unique namespace each.
pub fn open(choice: &BackendChoice, meta: &FrontMatter) -> Result<Box<dyn Backend>, BackendError> {
    Ok(match choice {
        BackendChoice::Sim => Box::new(sim::SimBackend::new(meta)?),
        BackendChoice::SimAs(profile, version) => {
            Box::new(sim::SimBackend::new_as(meta, profile, *version)?)
        }
        BackendChoice::Kubectl(options) => Box::new(kubectl::KubectlBackend::new(options, meta)?),
    })
}
