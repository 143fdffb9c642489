//! The private kubeconfig every kubectl call of a run uses: the one context
//! the user named, its cluster and its user, and nothing else, so no step
//! can reach another cluster by naming another context, and `kubectl config
//! use-context` rewrites kubeplay's copy, never the user's file.

use std::{io::Write, os::unix::fs::OpenOptionsExt, path::Path, time::Duration};

use super::{
    super::BackendError,
    process::{self, Child, Ended},
};

/// How long kubectl may take to print the user's kubeconfig.
const VIEW_DEADLINE: Duration = Duration::from_secs(60);

/// Resolves `context` in the user's kubeconfig (`kubeconfig`, else
/// kubectl's default) with `kubectl config view --minify --flatten --raw`
/// (credentials inlined, so the copy stands alone), and writes the result,
/// readable by the user alone, to `target`.
pub fn write_private(
    program: &Path,
    context: &str,
    kubeconfig: Option<&Path>,
    cwd: &Path,
    target: &Path,
) -> Result<(), BackendError> {
    if context.is_empty() {
        return Err(BackendError::Infrastructure(
            "--context needs a name: kubeplay never runs against a context you did not name".into(),
        ));
    }
    let mut args = vec![format!("--context={context}")];
    // KUBECONFIG is removed from every child's environment; the user's own
    // choice of file is honoured here, where kubeplay reads it, once.
    match kubeconfig {
        Some(file) => args.push(format!("--kubeconfig={}", file.display())),
        None => {
            if let Some(files) = std::env::var_os("KUBECONFIG").filter(|f| !f.is_empty()) {
                // kubectl merges a KUBECONFIG list; `--kubeconfig` takes one
                // file, so the first that names the context must do.
                let files: Vec<_> = std::env::split_paths(&files).collect();
                if files.len() > 1 {
                    return Err(BackendError::Infrastructure(
                        "KUBECONFIG lists several files: name the one holding the context with --kubeconfig".into(),
                    ));
                }
                args.push(format!("--kubeconfig={}", files[0].display()));
            }
        }
    }
    args.extend(["config", "view", "--minify", "--flatten", "--raw"].map(str::to_owned));
    let ended = process::run(Child {
        program,
        args: &args,
        cwd,
        stdin: None,
        deadline: VIEW_DEADLINE,
        interrupt: None,
        cleanup: true,
    })?;
    let out = match ended {
        Ended::Output(out) if out.status == 0 => out,
        Ended::Output(out) | Ended::TimedOut(out) => {
            return Err(BackendError::Infrastructure(format!(
                "cannot read context {context}: {}",
                out.merged().trim()
            )));
        }
    };
    let text = out.stream(crate::output::Stream::Stdout);
    check_minified(&text, context)?;
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(target).map_err(
            |e| BackendError::Infrastructure(format!("cannot write {}: {e}", target.display())),
        )?;
    file.write_all(text.as_bytes()).map_err(|e| {
        BackendError::Infrastructure(format!("cannot write {}: {e}", target.display()))
    })
}

/// The minified kubeconfig must hold exactly the named context, as its
/// current one: anything else means kubectl fell back to another.
fn check_minified(text: &str, context: &str) -> Result<(), BackendError> {
    let parsed: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        BackendError::Infrastructure(format!("kubectl printed no kubeconfig for {context}: {e}"))
    })?;
    let current = parsed.get("current-context").and_then(|c| c.as_str());
    let contexts: Vec<&str> = parsed
        .get("contexts")
        .and_then(|c| c.as_sequence())
        .map(|s| s.iter().filter_map(|c| c.get("name").and_then(|n| n.as_str())).collect())
        .unwrap_or_default();
    if current != Some(context) || contexts != [context] {
        return Err(BackendError::Infrastructure(format!(
            "kubectl resolved context {context} to {current:?} ({contexts:?}); refusing to run"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_context_is_accepted() {
        let one = "apiVersion: v1\ncontexts:\n- name: test\n  context: {cluster: c}\ncurrent-context: test\n";
        assert!(check_minified(one, "test").is_ok());
        assert!(check_minified(one, "production").is_err());
        let two = "contexts:\n- name: test\n- name: production\ncurrent-context: test\n";
        assert!(check_minified(two, "test").is_err());
        assert!(check_minified("not: [yaml", "test").is_err());
    }
}
