//! What every CLI test needs: the `kubeplay` binary run from the crate's
//! root (or a given folder) without colours and without `CI`, and its
//! output as text.

use std::{
    ffi::OsStr,
    path::Path,
    process::{Command, Output},
};

/// Runs `kubeplay ARGS` from the crate's root.
pub fn kubeplay(args: &[&str]) -> Output {
    kubeplay_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, false)
}

/// Runs `kubeplay ARGS` in `dir`, with `CI=1` when `ci` (otherwise `CI` is
/// removed, so bless tests behave the same on a developer's machine and CI).
pub fn kubeplay_in(dir: &Path, args: &[&str], ci: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kubeplay"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1").env_remove("CI");
    if ci {
        command.env("CI", "1");
    }
    command.output().expect("kubeplay runs")
}

/// stdout then stderr, as a reader of the terminal sees them.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// stdout alone, which must be UTF-8.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Runs `scenario` with the real-cluster backend against the stand-in
/// kubectl `fake` (a script under `tests/fixtures/`) as context `context`,
/// with `env` added to the environment the stand-in sees.
pub fn kubeplay_on_fake_cluster(
    fake: &str,
    context: &str,
    scenario: &str,
    env: &[(&str, &OsStr)],
) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kubeplay"));
    command
        .args(["run", "--backend", "kubectl", "--context", context, "--kubectl", fake, scenario])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("CI");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("kubeplay runs")
}

/// A logged kubectl call with the run's own names replaced: its private
/// kubeconfig by `PRIVATE`, its workspace folder by `WS`, its namespace by
/// `NS` (each unique per run).
pub fn private_paths(call: &str) -> String {
    let folder = regex::Regex::new(r"[^\s=]*/kubeplay-[0-9a-f]{12}/").expect("valid regex");
    let call = folder.replace_all(call, "RUN/");
    let call = call
        .replace("--kubeconfig=RUN/kubeconfig", "--kubeconfig=PRIVATE")
        .replace("RUN/workspace", "WS");
    let namespace = regex::Regex::new(r"kubeplay-[0-9a-f]{12}").expect("valid regex");
    namespace.replace_all(&call, "NS").into_owned()
}
