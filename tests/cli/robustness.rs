//! The CLI neither crashes nor blows up: a closed pipe, a panicking
//! scenario and oversized input each end the way the README says.

use std::process::{Command, Stdio};

/// Runs `kubeplay ARGS` with a standard output whose reader has already
/// gone away, so the very first write fails with `EPIPE`.
fn kubeplay_into_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("kubeplay runs");
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn list_into_a_closed_pipe_ends_quietly() {
    let (code, stderr) = kubeplay_into_closed_pipe(&["list", "scenarios/errors"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn run_into_a_closed_pipe_ends_quietly_with_the_run_status() {
    let (code, stderr) = kubeplay_into_closed_pipe(&["run", "scenarios/errors/kubectl-errors.md"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "");
    let (code, stderr) = kubeplay_into_closed_pipe(&["run", "tests/failing", "--format", "json"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn check_into_a_closed_pipe_ends_quietly() {
    let (code, stderr) = kubeplay_into_closed_pipe(&["check", "scenarios/errors"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn shell_into_a_closed_pipe_ends_quietly() {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(["shell"])
        .stdin(Stdio::piped())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubeplay runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        // The shell may already have stopped reading: a failed write is fine.
        let _ = stdin.write_all(b"kubectl get nodes\nkubectl get pods\n");
    }
    let output = child.wait_with_output().expect("kubeplay ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

/// `shell --settle` lets the cluster run until it is quiet, bounded in
/// virtual time: a pod in ImagePullBackOff retries forever, and settling
/// after each command once ran 100,000 steps (a virtual week, ~70 s).
#[test]
fn shell_settle_is_bounded_in_virtual_time() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(["shell", "--settle", "--front", "tests/settle/pull-fails.md"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubeplay runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"kubectl run p --image=registry.example.com/missing:1.0\nkubectl get pods\n")
        .expect("typed");
    let output = child.wait_with_output().expect("kubeplay ends");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let row = stdout.lines().find(|l| l.starts_with("p ")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(row.contains("ImagePullBackOff"), "{stdout}");
    // The pod's age is the virtual time two settles took: minutes, not days.
    let age = row.split_whitespace().last().expect("an AGE column");
    let minutes: u64 = age.split('m').next().and_then(|m| m.parse().ok()).unwrap_or(u64::MAX);
    assert!(minutes <= 10, "settled for {age}: {stdout}");
}

/// Oversized or malformed input is a clear error at `path:line:col`, with
/// the path named once, on `run` and `check` alike.
#[test]
fn input_beyond_the_bounds_is_an_error_at_its_line() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bounds");
    std::fs::create_dir_all(&dir).expect("a folder");
    let cases: [(&str, Vec<u8>, &str); 3] = [
        ("utf8.md", b"# T\n\n```console\n$ echo hi\nh\xffi\n```\n".to_vec(), ":5:2: error[S0013]"),
        (
            "wildcards.md",
            format!("# T\n\n```console\n$ echo hi\n{}\n```\n", "[..]".repeat(1_000_000))
                .into_bytes(),
            ":5:1: error[S0014]",
        ),
        (
            "deep.md",
            format!("---\nvars: {}{}\n---\n# T\n", "[".repeat(20_000), "]".repeat(20_000))
                .into_bytes(),
            ":2:107: error[S0003]",
        ),
    ];
    for (name, content, error) in cases {
        let path = dir.join(name);
        std::fs::write(&path, content).expect("written");
        let shown = path.display().to_string();
        for command in ["run", "check"] {
            let output = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
                .args([command, &shown])
                .env("NO_COLOR", "1")
                .output()
                .expect("kubeplay runs");
            let report = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert_eq!(output.status.code(), Some(2), "{name} {command}: {report}");
            assert!(report.contains(&format!("{shown}{error}")), "{name} {command}: {report}");
            assert_eq!(
                report.matches(&shown).count(),
                1 + usize::from(command == "run"),
                "{report}"
            );
        }
    }
}

/// One scenario that cannot run (an `error`) does not stop the others.
#[test]
fn an_erroring_scenario_leaves_the_others_running() {
    let output = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args([
            "run",
            "-j",
            "2",
            "tests/broken/unknown-key.md",
            "scenarios/errors/kubectl-errors.md",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .expect("kubeplay runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("ERROR         tests/broken/unknown-key.md"), "{stdout}");
    assert!(stdout.contains("pass          scenarios/errors/kubectl-errors.md"), "{stdout}");
    assert!(stdout.contains("2 scenarios: 1 passed"), "{stdout}");
}
