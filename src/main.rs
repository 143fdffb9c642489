//! The `kubeplay` command line: a thin clap layer over the library.

use std::{
    io::IsTerminal,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
    time::Duration,
};

use clap::{Parser, Subcommand, ValueEnum};
use kubeplay::{
    backend::{BackendChoice, kubectl::KubectlOptions, sim::SimBackend},
    exit,
    runner::{
        RunConfig, batch, bless::UpdateMode, discover::discover, formats, progress::Progress,
    },
    scenario,
    shell::Shell,
    sink::{Sink, eprint_line},
};

#[derive(Parser)]
#[command(name = "kubeplay", version, about = "Turns Kubernetes tutorials into tests")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay scenarios and check every output.
    Run(RunArgs),
    /// List scenarios and their steps.
    List {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
    },
    /// Type commands at a simulated cluster (one command line per stdin line).
    Shell {
        /// Cluster profile (kubeadm, kind, bare).
        #[arg(long, default_value = "kubeadm")]
        cluster: String,
        /// After each command, let the cluster run until nothing is left to do.
        #[arg(long)]
        settle: bool,
        /// Start from this scenario's front matter (its cluster) and file
        /// blocks instead of a bare profile.
        #[arg(long, conflicts_with = "cluster")]
        front: Option<PathBuf>,
    },
    /// Delete what killed runs left on a real cluster: every namespace
    /// kubeplay created there (labelled app.kubernetes.io/managed-by=kubeplay).
    /// Run it when no other kubeplay runs on that context.
    Clean(ClusterArgs),
    /// Run scenarios on the simulator and on a real cluster and report,
    /// step by step, where their normalised transcripts differ (volatile
    /// tokens such as generated names, ages and IPs are placeholders on
    /// both sides). Exit status 1 when a step differs.
    DiffBackends(DiffArgs),
    /// Parse and lint scenarios without running them.
    Check {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
    },
}

/// The real cluster to use (`run --backend kubectl`, `clean`).
#[derive(clap::Args)]
struct ClusterArgs {
    /// kubectl context (required on a real cluster).
    #[arg(long)]
    context: Option<String>,
    /// kubeconfig file holding it.
    #[arg(long)]
    kubeconfig: Option<PathBuf>,
    /// The kubectl program to run (default: `kubectl` on PATH).
    #[arg(long, value_name = "PATH")]
    kubectl: Option<PathBuf>,
    /// The cluster's nodes have no real kubelet (kwok): steps that need one
    /// (logs, exec, attach, cp, port-forward, top, attached run) are
    /// reported skipped, naming why.
    #[arg(long)]
    fake_nodes: bool,
}

impl ClusterArgs {
    fn options(self) -> KubectlOptions {
        KubectlOptions {
            program: self.kubectl,
            context: self.context,
            kubeconfig: self.kubeconfig,
            fake_nodes: self.fake_nodes,
        }
    }
}

#[derive(clap::Args)]
struct RunArgs {
    /// Scenario files or folders.
    #[arg(default_value = "scenarios")]
    paths: Vec<PathBuf>,
    /// Where to run.
    #[arg(long, value_enum, default_value_t = BackendKind::Sim)]
    backend: BackendKind,
    /// Scenarios run at once (default: number of CPUs).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    #[command(flatten)]
    cluster: ClusterArgs,
    /// Colour diffs.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Default per-step "eventually" timeout in seconds.
    #[arg(long, default_value_t = 900)]
    timeout: u64,
    /// Rewrite each failing step's expected output (and `? N` status) in the
    /// scenario file from the actual output, changing only the lines that
    /// did not match; refused when the CI environment variable is set.
    #[arg(long)]
    bless: bool,
    /// Report format: human (lines as scenarios finish), json (one JSON
    /// document) or junit (JUnit XML), on standard output.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// Scenario files or folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The real cluster.
    #[command(flatten)]
    cluster: ClusterArgs,
    /// Scenarios run at once on each backend (default: number of CPUs).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Default per-step "eventually" timeout in seconds.
    #[arg(long, default_value_t = 900)]
    timeout: u64,
    /// The longest any step waits, in seconds, whatever the scenario asks:
    /// an output that never matches the tutorial's waits this long on the
    /// real clock before both sides record what they print.
    #[arg(long, value_name = "SECONDS")]
    max_wait: Option<u64>,
    /// Run the simulator's side as this cluster profile (`kwok`: the
    /// cluster of scripts/control-plane/start.sh) instead of each
    /// scenario's own cluster, skipping what the real run skips: for
    /// scenarios written for another cluster (a v1.22 kubeadm tutorial).
    #[arg(long, value_name = "PROFILE")]
    sim_profile: Option<String>,
    /// With --sim-profile: the simulator's Kubernetes and kubectl version
    /// (`v1.33.0`), to compare an older real kubectl (`--kubectl
    /// kubectl.1.33`) with kubeplay's emulation of that version.
    #[arg(long, value_name = "VERSION", requires = "sim_profile")]
    sim_version: Option<kubeplay::version::KubeVersion>,
    /// Report format on standard output: human (the differing steps and
    /// the totals) or json (one JSON document: every step of every
    /// scenario with its file:line, status, both normalised outputs and
    /// the totals; docs/differential.md describes it).
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
    /// Also write the JSON report to FILE (whatever --format prints).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Human,
    Json,
    Junit,
}

#[derive(Clone, Copy, ValueEnum)]
enum BackendKind {
    Sim,
    Kubectl,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Every report goes through one sink: a closed pipe ends the output
    // quietly and the command still exits with its own status.
    let mut out = Sink::stdout();
    let result = match cli.command {
        Command::Run(args) => {
            if matches!(args.backend, BackendKind::Kubectl) {
                stop_on_signals();
            }
            let result = run(args, &mut out);
            // The workers may end (their kubectl stopped) before the
            // signal's cleanup does: it finishes before kubeplay exits.
            let signal = SIGNALLED.load(std::sync::atomic::Ordering::SeqCst);
            if signal != 0 {
                kubeplay::backend::kubectl::cleanup::abort_all();
                return ExitCode::from((128 + signal) as u8);
            }
            result
        }
        Command::Clean(cluster) => clean(cluster.options(), &mut out),
        Command::DiffBackends(args) => {
            stop_on_signals();
            let result = diff_backends(args, &mut out);
            let signal = SIGNALLED.load(std::sync::atomic::Ordering::SeqCst);
            if signal != 0 {
                kubeplay::backend::kubectl::cleanup::abort_all();
                return ExitCode::from((128 + signal) as u8);
            }
            result
        }
        Command::List { paths } => list(&paths, &mut out),
        Command::Check { paths } => check(&paths, &mut out),
        Command::Shell { cluster, settle, front } => {
            shell(&cluster, settle, front.as_deref(), &mut out)
        }
    };
    let result = match out.into_error() {
        Some(e) => Err(format!("writing the report: {e}")),
        None => result,
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprint_line(&format!("error: {message}"));
            ExitCode::from(exit::ERROR)
        }
    }
}

/// The progress line of a long run (issue 13): from two seconds on, which
/// scenario and step is running and its virtual time, on stderr. Report
/// lines are printed with the line suspended, so they never interleave.
struct ProgressLine {
    bar: indicatif::ProgressBar,
    stop: Arc<std::sync::atomic::AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl ProgressLine {
    /// How long a run goes before the line shows.
    const AFTER: Duration = Duration::from_secs(2);

    fn start(progress: Arc<Progress>) -> ProgressLine {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} [{elapsed}] {msg}") {
            bar.set_style(style);
        }
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let ticker = {
            let (bar, stop) = (bar.clone(), stop.clone());
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    if started.elapsed() >= Self::AFTER
                        && let Some(line) = progress.line()
                    {
                        bar.set_message(line);
                        bar.tick();
                    }
                }
            })
        };
        ProgressLine { bar, stop, ticker: Some(ticker) }
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
        self.bar.finish_and_clear();
    }
}

/// The signal that interrupted a run on a real cluster (0: none).
static SIGNALLED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// On a real cluster, SIGINT and SIGTERM stop the running kubectl
/// children, undo every live run (namespaces, cluster-scoped objects,
/// cordons, taints, labels, private folders), then exit 130 or 143 (128 +
/// the signal, as a shell reports it). A second signal ends at once.
fn stop_on_signals() {
    use signal_hook::{
        consts::{SIGINT, SIGTERM},
        iterator::Signals,
    };
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else { return };
    std::thread::spawn(move || {
        let mut first = None;
        for signal in signals.forever() {
            if let Some(first) = first {
                std::process::exit(128 + first);
            }
            first = Some(signal);
            SIGNALLED.store(signal, std::sync::atomic::Ordering::SeqCst);
            eprintln!("kubeplay: interrupted; cleaning up (interrupt again to quit at once)");
            std::thread::spawn(move || {
                kubeplay::backend::kubectl::cleanup::abort_all();
                std::process::exit(128 + signal);
            });
        }
    });
}

fn clean(options: KubectlOptions, out: &mut Sink<std::io::Stdout>) -> Result<u8, String> {
    let cleaned = kubeplay::backend::kubectl::clean(&options).map_err(|e| e.to_string())?;
    out.put(&cleaned.merged());
    Ok(if cleaned.status == 0 { exit::SUCCESS } else { exit::ERROR })
}

/// `kubeplay diff-backends`: each scenario on both backends, compared
/// step by step (`runner::differential`).
fn diff_backends(args: DiffArgs, out: &mut Sink<std::io::Stdout>) -> Result<u8, String> {
    use kubeplay::runner::{
        diff_report::{self, ScenarioDiff},
        differential::compare,
    };
    let files = discover(&args.paths)?;
    if files.is_empty() {
        return Err(format!("no scenario files under {}", display_paths(&args.paths)));
    }
    if let Some(profile) = &args.sim_profile
        && kubeplay::sim::profiles::profile(profile).is_none()
    {
        return Err(format!(
            "unknown cluster profile `{profile}` (known: {})",
            kubeplay::sim::profiles::PROFILES.join(", ")
        ));
    }
    // Both sides keep going past a difference from the tutorial, so one
    // mismatch does not hide every later step from the comparison.
    let config = RunConfig {
        default_timeout: Duration::from_secs(args.timeout),
        keep_going: true,
        max_step_timeout: args.max_wait.map(Duration::from_secs),
        ..RunConfig::default()
    };
    let jobs =
        args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let sim_choice = match &args.sim_profile {
        Some(profile) => BackendChoice::SimAs(profile.clone(), args.sim_version),
        None => BackendChoice::Sim,
    };
    let human = args.format == DiffFormat::Human;
    // As `run`'s: a line for a person watching, on terminals only.
    let watched = human && std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    let progress = watched.then(|| Arc::new(Progress::default()));
    let config = RunConfig { progress: progress.clone(), ..config };
    let line = progress.map(ProgressLine::start);
    // The simulator's side first (seconds), then the real cluster's
    // (minutes): each scenario's comparison is printed as soon as its
    // real run ends, in the order runs end, as `run` prints its lines.
    let sim = batch::run_all(&files, &sim_choice, &config, jobs, |_| {});
    let sim_of: std::collections::HashMap<&Path, &kubeplay::runner::report::ScenarioReport> =
        sim.iter().map(|r| (r.path.as_path(), r)).collect();
    let mut totals = diff_report::Totals::default();
    let real_choice = BackendChoice::Kubectl(args.cluster.options());
    let real = batch::run_all(&files, &real_choice, &config, jobs, |real| {
        let Some(simulator) = sim_of.get(real.path.as_path()) else { return };
        let comparison = compare(simulator, real);
        totals.add(&comparison);
        if human {
            let diff = ScenarioDiff { simulator, real, comparison: &comparison };
            let mut print = || out.put(&diff_report::human(&diff));
            match &line {
                Some(line) => line.bar.suspend(print),
                None => print(),
            }
        }
    });
    drop(line);
    let status = if totals.different > 0 { exit::FAILED } else { exit::SUCCESS };
    if args.format == DiffFormat::Json || args.report.is_some() {
        let comparisons: Vec<_> = sim.iter().zip(&real).map(|(s, r)| compare(s, r)).collect();
        let diffs: Vec<ScenarioDiff<'_>> = sim
            .iter()
            .zip(&real)
            .zip(&comparisons)
            .map(|((simulator, real), comparison)| ScenarioDiff { simulator, real, comparison })
            .collect();
        let document = diff_report::json(&diffs);
        if let Some(file) = &args.report {
            std::fs::write(file, &document)
                .map_err(|e| format!("cannot write the report to {}: {e}", file.display()))?;
        }
        if args.format == DiffFormat::Json {
            out.put(&document);
            return Ok(status);
        }
    }
    out.put(&totals.human(files.len()));
    Ok(status)
}

fn run(args: RunArgs, out: &mut Sink<std::io::Stdout>) -> Result<u8, String> {
    // `--bless` re-runs a scenario after each rewrite: on a real cluster
    // that would repeat every mutation it makes.
    if args.bless && matches!(args.backend, BackendKind::Kubectl) {
        return Err("--bless runs only on the simulator: on a real cluster it would replay every step that changes the cluster once per rewrite".into());
    }
    // The update mode is decided here, once: deeper code never reads `CI`.
    let update = UpdateMode::resolve(args.bless, std::env::var_os("CI").is_some())?;
    let files = discover(&args.paths)?;
    if files.is_empty() {
        return Err(format!("no scenario files under {}", display_paths(&args.paths)));
    }
    let choice = match args.backend {
        BackendKind::Sim => BackendChoice::Sim,
        BackendKind::Kubectl => BackendChoice::Kubectl(args.cluster.options()),
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let human = args.format == ReportFormat::Human;
    // The progress line is for a person watching: a terminal on both
    // streams, human output; never in JSON or JUnit, never in a pipe or log.
    let watched = human && std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    let progress = watched.then(|| Arc::new(Progress::default()));
    let config = RunConfig {
        default_timeout: Duration::from_secs(args.timeout),
        update,
        progress: progress.clone(),
        ..RunConfig::default()
    };
    let jobs =
        args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let line = progress.map(ProgressLine::start);
    let reports = batch::run_all(&files, &choice, &config, jobs, |report| {
        if human {
            let mut print = || {
                out.line(&report.summary_line());
                out.put(&report.details(color));
            };
            match &line {
                Some(line) => line.bar.suspend(print),
                None => print(),
            }
        }
    });
    drop(line);
    let count = |label: &str| reports.iter().filter(|r| r.outcome.label() == label).count();
    let failed = reports.iter().filter(|r| r.outcome.is_failure()).count();
    match args.format {
        ReportFormat::Human => out.line(&format!(
            "\n{} scenarios: {} passed, {} failed, {} unsupported, {} known failures, {} skipped",
            reports.len(),
            count("pass"),
            failed,
            count("unsupported"),
            count("known-failure"),
            count("skipped")
        )),
        ReportFormat::Json => out.put(&formats::json(&reports)),
        ReportFormat::Junit => out.put(&formats::junit(&reports)),
    }
    Ok(batch::exit_status(&reports))
}

/// `list` and `check` end like `run` (README "Exit status"): a file that
/// cannot be read or parsed is a scenario that could not run.
fn files_status(broken: usize) -> u8 {
    if broken > 0 { exit::ERROR } else { exit::SUCCESS }
}

fn list(paths: &[PathBuf], out: &mut Sink<std::io::Stdout>) -> Result<u8, String> {
    let mut broken = 0;
    for file in discover(paths)? {
        match scenario::load(&file) {
            Ok(s) => {
                let title = s.meta.title.as_deref().unwrap_or("");
                out.line(&format!("{}  {title}", file.display()));
                for (i, step) in s.steps.iter().enumerate() {
                    let what = match &step.kind {
                        scenario::StepKind::WriteFile { name, .. } => format!("file {name}"),
                        scenario::StepKind::CheckFile { name, .. } => format!("check {name}"),
                        scenario::StepKind::Edit { target, .. } => format!("edit {target}"),
                        scenario::StepKind::Run(c) => {
                            format!("$ {}", c.line.lines().next().unwrap_or(""))
                        }
                    };
                    // Checked steps are numbered as run reports number them;
                    // file and edit blocks only prepare the workspace.
                    let number = if step.is_checked() {
                        s.step_number(i).to_string()
                    } else {
                        "-".to_owned()
                    };
                    let line = step.span.line;
                    out.line(&format!("  {number:>3}  {}:{line}  {what}", file.display()));
                    // Lines typed into the session the command opens.
                    if let scenario::StepKind::Run(c) = &step.kind {
                        for typed in &c.session {
                            let line = typed.span.line;
                            out.line(&format!(
                                "       {}:{line}    {}",
                                file.display(),
                                typed.shown
                            ));
                        }
                    }
                }
            }
            Err(e) => {
                broken += 1;
                eprint_line(&e.to_string());
            }
        }
    }
    Ok(files_status(broken))
}

fn check(paths: &[PathBuf], out: &mut Sink<std::io::Stdout>) -> Result<u8, String> {
    let mut errors = 0;
    let mut files = 0;
    for file in discover(paths)? {
        files += 1;
        match scenario::load(&file) {
            Ok(s) => {
                for d in scenario::check(&s) {
                    out.line(&format!(
                        "{}:{}:{}: warning[{}]: {}",
                        file.display(),
                        d.span.line,
                        d.span.column,
                        d.code,
                        d.message
                    ));
                }
            }
            Err(e) => {
                errors += 1;
                eprint_line(&e.to_string());
            }
        }
    }
    out.line(&format!("{files} scenario files checked, {errors} with errors"));
    Ok(files_status(errors))
}

fn shell(
    profile: &str,
    settle: bool,
    front: Option<&Path>,
    out: &mut Sink<std::io::Stdout>,
) -> Result<u8, String> {
    use std::io::BufRead;
    let loaded = front.map(scenario::load).transpose().map_err(|e| e.to_string())?;
    let meta = match &loaded {
        Some(s) => s.meta.clone(),
        None => scenario::FrontMatter {
            cluster: scenario::ClusterSpec {
                profile: Some(profile.to_owned()),
                ..Default::default()
            },
            ..Default::default()
        },
    };
    let mut backend = SimBackend::new(&meta).map_err(|e| e.to_string())?;
    let mut shell = Shell::default();
    // The scenario's file blocks are there to use (the last of each name).
    for step in loaded.iter().flat_map(|s| &s.steps) {
        if let scenario::StepKind::WriteFile { name, content } = &step.kind {
            shell.workspace.write(name, content.clone());
        }
    }
    let mut pending = String::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| e.to_string())?;
        pending.push_str(&line);
        pending.push('\n');
        if pending.trim().is_empty() || needs_more(&pending) {
            continue;
        }
        let command = std::mem::take(&mut pending);
        out.line(&format!("$ {}", command.trim_end()));
        match shell.run(&command, None, &mut backend) {
            Ok(result) => {
                out.put(&result.merged());
                if result.status != 0 {
                    out.line(&format!("? {}", result.status));
                }
            }
            Err(e) => out.line(&format!("kubeplay: {e}")),
        }
        if out.is_closed() {
            break;
        }
        if settle {
            backend.settle();
        }
    }
    Ok(exit::SUCCESS)
}

/// Whether a typed command continues on the next line (`\` or an open
/// here-document).
fn needs_more(text: &str) -> bool {
    text.trim_end_matches('\n').ends_with('\\')
        || matches!(
            kubeplay::shell::parse::parse(text),
            Err(kubeplay::shell::SyntaxError::UnterminatedHeredoc(_))
        )
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
