//! `cargo bench --bench scale`: how the simulator's cost grows with the
//! cluster (issue 13). Generates YAML scenarios — Deployments, a rolling
//! update, a DaemonSet, a Job, a 10,000-row `get pods -o wide`, idle nodes
//! for a virtual day — plus the bundled corpus with `-j 1` and `-j 2`, and
//! runs each case in a child process (this binary re-executed with the
//! hidden `--child`) so that its wall time, CPU time and peak memory are its
//! own: the parent reaps each child with `wait4`, whose `rusage` covers that
//! child alone (`getrusage(RUSAGE_CHILDREN)` would report the largest peak
//! of all children so far). A case still running after `--max-seconds` is
//! killed and reported `>cap`.
//!
//! Prints a table (case, pods, nodes, wall s, CPU s, peak MiB, verdict) and
//! the growth exponent `log(t2/t1) / log(n2/n1)` of CPU time between
//! consecutive sizes of each series. Numbers go in `docs/benchmarks.md` and
//! issue notes; tests never assert on time.
//!
//! ```sh
//! cargo bench --bench scale                       # full sizes
//! cargo bench --bench scale -- --quick            # smaller sizes
//! cargo bench --bench scale -- --max-seconds 60 --only deploy
//! ```

use std::{
    fmt::Write as _,
    io::Read as _,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use kubeplay::{
    backend::BackendChoice,
    runner::{RunConfig, batch, discover::discover},
};

/// The kubectl/cluster version every generated scenario pins, so column
/// sets do not drift with the default profile.
const VERSION: &str = "v1.33.0";

/// What one case replays.
#[derive(Debug, Clone, Copy)]
enum Work {
    /// A Deployment of `pods` replicas, one `get` waiting for all ready.
    Deployment,
    /// As [`Work::Deployment`], then `set image` and `rollout status`.
    RollingUpdate,
    /// A DaemonSet on every node, one `get` waiting for all ready.
    DaemonSet,
    /// A Job of `pods` completions, 500 (quick: 50) at a time.
    Job { parallelism: usize },
    /// As [`Work::Deployment`], then `get pods -o wide` over every pod.
    GetWide,
    /// Idle nodes for a virtual day.
    Idle,
    /// The bundled corpus with `-j N`.
    Corpus { jobs: usize },
}

/// One benchmark case.
#[derive(Debug, Clone)]
struct Case {
    name: String,
    work: Work,
    pods: usize,
    nodes: usize,
    /// The series (and the axis that grows in it) this case belongs to,
    /// for growth exponents.
    series: Option<(&'static str, Axis)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Axis {
    Pods,
    Nodes,
}

fn case(work: Work, pods: usize, nodes: usize, series: Option<(&'static str, Axis)>) -> Case {
    let label = match work {
        Work::Deployment => "deploy",
        Work::RollingUpdate => "rolling-update",
        Work::DaemonSet => "daemonset",
        Work::Job { .. } => "job",
        Work::GetWide => "get-pods-wide",
        Work::Idle => "idle-day",
        Work::Corpus { .. } => "corpus",
    };
    let name = match work {
        Work::Corpus { jobs } => format!("corpus -j {jobs}"),
        Work::DaemonSet | Work::Idle => format!("{label} {nodes}n"),
        _ => format!("{label} {pods}p/{nodes}n"),
    };
    Case { name, work, pods, nodes, series }
}

/// The issue's cases; `quick` uses smaller sizes with the same shapes.
fn cases(quick: bool) -> Vec<Case> {
    use Axis::{Nodes, Pods};
    let mut all = Vec::new();
    let (pod_sizes, pod_nodes, node_sizes, node_pods, ds_nodes) = if quick {
        (vec![100, 300, 1_000], 100, vec![30, 100, 300], 100, vec![30, 100, 300])
    } else {
        (
            vec![1_000, 10_000, 100_000],
            1_000,
            vec![100, 1_000, 5_000],
            1_000,
            vec![100, 1_000, 5_000],
        )
    };
    for &p in &pod_sizes {
        all.push(case(Work::Deployment, p, pod_nodes, Some(("deploy/pods", Pods))));
    }
    for &n in &node_sizes {
        all.push(case(Work::Deployment, node_pods, n, Some(("deploy/nodes", Nodes))));
    }
    if !quick {
        all.push(case(Work::Deployment, 100_000, 5_000, None));
    }
    for &n in &ds_nodes {
        all.push(case(Work::DaemonSet, n, n, Some(("daemonset/nodes", Nodes))));
    }
    if quick {
        all.push(case(Work::RollingUpdate, 300, 100, None));
        all.push(case(Work::Job { parallelism: 50 }, 300, 100, None));
        all.push(case(Work::GetWide, 1_000, 100, None));
        all.push(case(Work::Idle, 0, 1_000, None));
    } else {
        all.push(case(Work::RollingUpdate, 10_000, 1_000, None));
        all.push(case(Work::Job { parallelism: 500 }, 10_000, 1_000, None));
        all.push(case(Work::GetWide, 10_000, 1_000, None));
        all.push(case(Work::Idle, 0, 5_000, None));
    }
    all.push(case(Work::Corpus { jobs: 1 }, 0, 0, None));
    all.push(case(Work::Corpus { jobs: 2 }, 0, 0, None));
    all
}

/// A table the way kubectl prints one: every column but the last padded
/// to its widest cell plus three spaces.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(String::len).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 < row.len() {
                let _ = write!(line, "{cell:<width$}", width = widths[c] + 3);
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Indents a block for a YAML literal scalar.
fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

/// Front matter: `nodes` untainted nodes (the first a control plane), a pod
/// range wide enough for a /24 per node, and the cluster's images.
fn cluster(nodes: usize, images: &str) -> String {
    let mut out = format!("cluster:\n  version: {VERSION}\n  podCIDR: 10.128.0.0/9\n  nodes:\n");
    for i in 0..nodes {
        let roles = if i == 0 { ", roles: [control-plane]" } else { "" };
        let _ = writeln!(
            out,
            "    - {{name: node-{i:05}{roles}, ip: 172.16.{}.{}}}",
            i / 250,
            i % 250 + 1
        );
    }
    out.push_str(images);
    out
}

fn deployment_manifest(replicas: usize) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  \
         selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        \
         app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n"
    )
}

/// Steps that create a Deployment of `pods` replicas and wait, with one
/// `get`, until every replica is ready.
fn deployment_steps(pods: usize) -> String {
    let n = pods.to_string();
    let expect = table(&[
        vec!["NAME".into(), "READY".into(), "UP-TO-DATE".into(), "AVAILABLE".into(), "AGE".into()],
        vec!["web".into(), format!("{n}/{n}"), n.clone(), n.clone(), "[..]".into()],
    ]);
    format!(
        "  - file: web.yaml\n    content: |\n{}  - run: kubectl apply -f web.yaml\n    expect: \
         deployment.apps/web created\n  - run: kubectl get deployment web\n    timeout: 24h\n    \
         expect: |\n{}",
        indent(&deployment_manifest(pods), 6),
        indent(&expect, 6)
    )
}

/// The scenario of a case (YAML), or `None` for the corpus.
fn scenario(case: &Case) -> Option<String> {
    let mut images = String::new();
    let steps = match case.work {
        Work::Corpus { .. } => return None,
        Work::Deployment => deployment_steps(case.pods),
        Work::RollingUpdate => format!(
            "{}  - run: kubectl set image deployment/web nginx=nginx:1.26\n    expect: \
             deployment.apps/web image updated\n  - run: kubectl rollout status deployment/web\n    \
             timeout: 24h\n    expect: 'deployment \"web\" successfully rolled out'\n",
            deployment_steps(case.pods)
        ),
        Work::GetWide => {
            // The table matcher compares a header cell by cell, literally
            // (a `[..]` there matched nothing, and the case failed on its
            // own expectation); only the rows are patterns, cell by cell
            // (a `[..]` spanning cells matches nothing either). Equal rows
            // that bind nothing are a bipartite matching
            // (`src/matching/table.rs`), linear here.
            let mut expect = String::from(
                "NAME   READY   STATUS   RESTARTS   AGE   IP   NODE   NOMINATED NODE   \
                 READINESS GATES\n",
            );
            for _ in 0..case.pods {
                expect.push_str(
                    "web-[..]   1/1   Running   0   [..]   10.[..]   node-[..]   <none>   <none>\n",
                );
            }
            format!(
                "{}  - run: kubectl get pods -o wide\n    expect: |\n{}",
                deployment_steps(case.pods),
                indent(&expect, 6)
            )
        }
        Work::DaemonSet => {
            let manifest = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  \
                            selector:\n    matchLabels:\n      app: agent\n  template:\n    metadata:\n      \
                            labels:\n        app: agent\n    spec:\n      containers:\n      - name: agent\n        \
                            image: fluentd:v1.16\n";
            let n = case.nodes.to_string();
            let expect = table(&[
                [
                    "NAME",
                    "DESIRED",
                    "CURRENT",
                    "READY",
                    "UP-TO-DATE",
                    "AVAILABLE",
                    "NODE SELECTOR",
                    "AGE",
                ]
                .map(String::from)
                .to_vec(),
                vec![
                    "agent".into(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    "<none>".into(),
                    "[..]".into(),
                ],
            ]);
            format!(
                "  - file: agent.yaml\n    content: |\n{}  - run: kubectl apply -f agent.yaml\n    \
                 expect: daemonset.apps/agent created\n  - run: kubectl get daemonset agent\n    \
                 timeout: 24h\n    expect: |\n{}",
                indent(manifest, 6),
                indent(&expect, 6)
            )
        }
        Work::Job { parallelism } => {
            images = "images:\n  example.com/work:1:\n    runFor: 5s\n    exit: 0\n".into();
            let manifest = format!(
                "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: work\nspec:\n  completions: {}\n  \
                 parallelism: {parallelism}\n  template:\n    spec:\n      restartPolicy: Never\n      \
                 containers:\n      - name: work\n        image: example.com/work:1\n",
                case.pods
            );
            format!(
                "  - file: work.yaml\n    content: |\n{}  - run: kubectl apply -f work.yaml\n    \
                 expect: job.batch/work created\n  - run: kubectl get job work -o \
                 jsonpath='{{.status.succeeded}}'\n    timeout: 24h\n    expect: '{}'\n",
                indent(&manifest, 6),
                case.pods
            )
        }
        Work::Idle => {
            let last = format!("node-{:05}", case.nodes - 1);
            format!(
                "  - run: sleep 1d\n  - run: kubectl get node {last}\n    expect: |\n      \
                 NAME[..]VERSION\n      {last}   Ready    <none>   [..]   {VERSION}\n"
            )
        }
    };
    Some(format!(
        "title: scale bench {}\n{}steps:\n{steps}",
        case.name,
        cluster(case.nodes, &images)
    ))
}

/// The child: replays one scenario file, or the corpus, and prints its
/// verdict on stdout.
fn child(args: &[String]) -> ! {
    let config = RunConfig::default();
    let verdict = match args {
        [flag, jobs] if flag == "--corpus" => {
            let files = discover(&[PathBuf::from("scenarios")]).expect("scenarios/ exists");
            let jobs: usize = jobs.parse().expect("--corpus N");
            let reports = batch::run_all(&files, &BackendChoice::Sim, &config, jobs, |_| {});
            let steps: usize = reports.iter().map(|r| r.steps_run).sum();
            format!("{} scenarios, {steps} steps", reports.len())
        }
        [file] => {
            // The runner's safety net against a simulator that never
            // settles (`max_advances`, 100,000 actions a step) is below
            // what one `get` waits through at these sizes (a Job of
            // 10,000 completions takes some 190,000 actions); the wall
            // cap (`--max-seconds`) is this harness's net.
            let config = RunConfig { max_advances: usize::MAX, ..config };
            let report = batch::run_file(Path::new(file), &BackendChoice::Sim, &config);
            let mut verdict = report.outcome.label().to_owned();
            if report.outcome.label() != "pass" {
                let _ = write!(verdict, ": {:?}", report.outcome);
                verdict.truncate(300);
            }
            let _ = write!(verdict, " ({}s virtual)", report.virtual_time.as_secs());
            verdict
        }
        _ => panic!("usage: scale --child (FILE | --corpus N)"),
    };
    println!("{verdict}");
    std::process::exit(0)
}

/// What one child run cost.
struct Measured {
    wall: f64,
    cpu: f64,
    peak_mib: f64,
    /// Killed at the cap.
    capped: bool,
    verdict: String,
}

fn tv(t: libc::timeval) -> f64 {
    t.tv_sec as f64 + t.tv_usec as f64 / 1e6
}

/// Runs this binary with `--child ARGS`, reaping it with `wait4` for its
/// own resource usage; kills it after `cap`.
fn measure(child_args: &[String], cap: Duration) -> Measured {
    let exe = std::env::current_exe().expect("own path");
    let mut cmd = Command::new(exe);
    cmd.arg("--child").args(child_args).stdout(Stdio::piped()).stderr(Stdio::null());
    let started = Instant::now();
    // Reaped below by `wait4` (for its rusage), which clippy cannot see.
    #[allow(clippy::zombie_processes)]
    let mut child = cmd.spawn().expect("spawn child");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut capped = false;
    loop {
        // SAFETY: pid is our unreaped child; pointers are to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        if started.elapsed() >= cap && !capped {
            capped = true;
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let wall = started.elapsed().as_secs_f64();
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut out);
    }
    let verdict = if capped {
        "killed at the cap".to_owned()
    } else if out.trim().is_empty() {
        format!("child failed (wait status {status})")
    } else {
        out.trim().to_owned()
    };
    Measured {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
        capped,
        verdict,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1..]);
    }
    let mut quick = false;
    let mut cap = Duration::from_secs(120);
    let mut only: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--max-seconds" => {
                let secs: u64 = it.next().and_then(|s| s.parse().ok()).expect("--max-seconds N");
                cap = Duration::from_secs(secs);
            }
            "--only" => only.push(it.next().expect("--only TEXT").clone()),
            // `cargo bench` passes `--bench` to every bench target.
            "--bench" => {}
            other => panic!("unknown argument {other}; use --quick, --max-seconds N, --only TEXT"),
        }
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale-bench");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let selected: Vec<Case> = cases(quick)
        .into_iter()
        .filter(|c| only.is_empty() || only.iter().any(|o| c.name.contains(o.as_str())))
        .collect();
    println!(
        "{:<26} {:>7} {:>6} {:>9} {:>9} {:>9}  verdict",
        "case", "pods", "nodes", "wall s", "CPU s", "peak MiB"
    );
    let mut results: Vec<(Case, Measured)> = Vec::new();
    for case in selected {
        let child_args = match (case.work, scenario(&case)) {
            (Work::Corpus { jobs }, _) => vec!["--corpus".to_owned(), jobs.to_string()],
            (_, Some(text)) => {
                let file = dir.join(format!("{}.yaml", case.name.replace(['/', ' '], "-")));
                std::fs::write(&file, text).expect("write scenario");
                vec![file.display().to_string()]
            }
            (_, None) => unreachable!("every non-corpus case has a scenario"),
        };
        let m = measure(&child_args, cap);
        let show =
            |v: f64| if m.capped { format!(">{}", cap.as_secs()) } else { format!("{v:.2}") };
        println!(
            "{:<26} {:>7} {:>6} {:>9} {:>9} {:>9.0}  {}",
            case.name,
            case.pods,
            case.nodes,
            show(m.wall),
            show(m.cpu),
            m.peak_mib,
            m.verdict
        );
        results.push((case, m));
    }
    println!("\ngrowth exponents of CPU time, log(t2/t1) / log(n2/n1):");
    let mut series: Vec<&str> = results.iter().filter_map(|(c, _)| c.series.map(|s| s.0)).collect();
    series.dedup();
    for name in series {
        let points: Vec<&(Case, Measured)> =
            results.iter().filter(|(c, _)| c.series.is_some_and(|s| s.0 == name)).collect();
        for pair in points.windows(2) {
            let ((c1, m1), (c2, m2)) = (&pair[0], &pair[1]);
            let axis = c1.series.map(|s| s.1).unwrap_or(Axis::Pods);
            let size = |c: &Case| (if axis == Axis::Pods { c.pods } else { c.nodes }) as f64;
            let exponent = if m1.capped || m2.capped {
                "n/a (capped)".to_owned()
            } else {
                format!("{:.2}", (m2.cpu / m1.cpu).ln() / (size(c2) / size(c1)).ln())
            };
            println!("  {name:<16} {:>7} -> {:<7} {exponent}", size(c1), size(c2));
        }
    }
    if let (Some(j1), Some(j2)) = (
        results.iter().find(|(c, _)| c.name == "corpus -j 1"),
        results.iter().find(|(c, _)| c.name == "corpus -j 2"),
    ) && !j1.1.capped
        && !j2.1.capped
    {
        println!("\ncorpus speed-up with -j 2: {:.2}x (wall)", j1.1.wall / j2.1.wall);
    }
}
