//! The `kubeplay` command line: a thin clap layer over the library.

use std::{io::IsTerminal, path::PathBuf, process::ExitCode, time::Duration};

use clap::{Parser, Subcommand, ValueEnum};
use kubeplay::{
    backend::{BackendChoice, kubectl::KubectlOptions},
    runner::{RunConfig, batch, discover::discover},
    scenario,
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
    /// Parse and lint scenarios without running them.
    Check {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
    },
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
    /// kubectl context (kubectl backend; required there).
    #[arg(long)]
    context: Option<String>,
    /// kubeconfig file (kubectl backend).
    #[arg(long)]
    kubeconfig: Option<PathBuf>,
    /// Colour diffs.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Default per-step "eventually" timeout in seconds.
    #[arg(long, default_value_t = 900)]
    timeout: u64,
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
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::List { paths } => list(&paths),
        Command::Check { paths } => check(&paths),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: RunArgs) -> Result<ExitCode, String> {
    let files = discover(&args.paths)?;
    if files.is_empty() {
        return Err(format!("no scenario files under {}", display_paths(&args.paths)));
    }
    let choice = match args.backend {
        BackendKind::Sim => BackendChoice::Sim,
        BackendKind::Kubectl => BackendChoice::Kubectl(KubectlOptions {
            program: None,
            context: args.context,
            kubeconfig: args.kubeconfig,
        }),
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let config =
        RunConfig { default_timeout: Duration::from_secs(args.timeout), ..RunConfig::default() };
    let jobs =
        args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let reports = batch::run_all(&files, &choice, &config, jobs, |report| {
        println!("{}", report.summary_line());
        print!("{}", report.details(color));
    });
    let count = |label: &str| reports.iter().filter(|r| r.outcome.label() == label).count();
    let failed = reports.iter().filter(|r| r.outcome.is_failure()).count();
    let infra = reports.iter().any(|r| matches!(r.outcome, kubeplay::runner::Outcome::Error(_)));
    println!(
        "\n{} scenarios: {} passed, {} failed, {} known failures, {} skipped",
        reports.len(),
        count("pass"),
        failed,
        count("known-failure"),
        count("skipped")
    );
    Ok(if infra {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn list(paths: &[PathBuf]) -> Result<ExitCode, String> {
    let mut broken = false;
    for file in discover(paths)? {
        match scenario::load(&file) {
            Ok(s) => {
                let title = s.meta.title.as_deref().unwrap_or("");
                println!("{}  {title}", file.display());
                for (i, step) in s.steps.iter().enumerate() {
                    let what = match &step.kind {
                        scenario::StepKind::WriteFile { name, .. } => format!("file {name}"),
                        scenario::StepKind::Run(c) => {
                            format!("$ {}", c.line.lines().next().unwrap_or(""))
                        }
                    };
                    println!("  {:>3}  {}:{}  {what}", i + 1, file.display(), step.span.line);
                }
            }
            Err(e) => {
                broken = true;
                eprintln!("{e}");
            }
        }
    }
    Ok(if broken { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn check(paths: &[PathBuf]) -> Result<ExitCode, String> {
    let mut errors = 0;
    let mut files = 0;
    for file in discover(paths)? {
        files += 1;
        match scenario::load(&file) {
            Ok(s) => {
                for d in scenario::check(&s) {
                    println!(
                        "{}:{}:{}: warning[{}]: {}",
                        file.display(),
                        d.span.line,
                        d.span.column,
                        d.code,
                        d.message
                    );
                }
            }
            Err(e) => {
                errors += 1;
                eprintln!("{e}");
            }
        }
    }
    println!("{files} scenario files checked, {errors} with errors");
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
