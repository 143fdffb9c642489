//! Running a command that opens an interactive session (DESIGN §2; the
//! scenario syntax is in [`crate::scenario`]'s `session` module): the
//! command runs once at the reader's terminal with the typed lines as its
//! input; what the terminal showed is split per typed line, and each line's
//! part (its prompt line, then its output) is matched like a step's output,
//! so a mismatch names that line's place in the file.

use super::report::StepFailure;
use crate::{
    backend::{Backend, Invocation},
    matching::{self, Bindings},
    scenario::{Command, Expected, ExpectedStatus, Step, ends_session},
    shell::parse,
    workspace::Workspace,
};

/// How a session step ended.
pub(super) enum Verdict {
    /// Every part matched.
    Passed,
    /// A part did not match.
    Failed(Box<StepFailure>),
    /// The backend cannot run sessions.
    Skipped(String),
    /// The session used something kubeplay cannot emulate: where (the
    /// typed line, or the opening command), that line, and what.
    Unsupported(crate::scenario::Span, String, String),
}

/// The argv of a session-opening command line: one plain command.
fn argv_of(line: &str) -> Result<Vec<String>, String> {
    let plain = || {
        format!(
            "kubeplay: a command that opens an interactive session must be one plain command \
             (no pipes, lists, redirections, variables or `$(…)`): `{line}`"
        )
    };
    let list = parse::parse(line).map_err(|e| e.to_string())?;
    let [(_, pipeline)] = list.items.as_slice() else { return Err(plain()) };
    let ([parse::Command::Simple(cmd)], false) = (pipeline.commands.as_slice(), pipeline.negated)
    else {
        return Err(plain());
    };
    if !cmd.assignments.is_empty() || !cmd.redirects.is_empty() || !list.background.is_empty() {
        return Err(plain());
    }
    cmd.words.iter().map(|w| w.as_literal().ok_or_else(plain)).collect()
}

/// The session step being run: its number, the step and its command.
pub(super) struct At<'a> {
    /// 0-based step index.
    pub(super) index: usize,
    /// Its number among checked steps.
    pub(super) number: usize,
    /// The step.
    pub(super) step: &'a Step,
    /// Its command (with typed lines).
    pub(super) command: &'a Command,
}

/// Runs the command of step `at` (which has typed lines); `transcript`
/// receives the normalised terminal output for the snapshot.
pub(super) fn run(
    at: At<'_>,
    bindings: &mut Bindings,
    workspace: &Workspace,
    backend: &mut dyn Backend,
    timeout: std::time::Duration,
    transcript: &mut String,
) -> Verdict {
    let At { index, number, step, command } = at;
    let line = bindings.rewrite(&command.line);
    bindings.pin(&command.line);
    let failure = |span: crate::scenario::Span,
                   expected_line: usize,
                   detail: String,
                   expected: String,
                   actual: String,
                   status: Option<i32>| {
        Box::new(StepFailure {
            step: number,
            index,
            span,
            expected_line,
            command: command.line.clone(),
            detail,
            expected,
            actual,
            status,
        })
    };
    let argv = match argv_of(&line) {
        Ok(argv) => argv,
        Err(e) => {
            let f = failure(
                step.span,
                command.expected.first_line,
                e,
                String::new(),
                String::new(),
                None,
            );
            return Verdict::Failed(f);
        }
    };
    let input: Vec<String> = command.session.iter().map(|s| bindings.rewrite(&s.input)).collect();
    let invocation = Invocation { argv: &argv, host: command.host.as_deref(), stdin: None };
    // A session into an existing container (`exec -it`) that could not
    // open yet (the container is still starting) changed nothing: like a
    // reading command, it is tried again as the cluster progresses, since
    // the tutorial shows it opening. `run -it` creates a pod: it runs once.
    let retry = backend.is_read_only(&argv);
    let deadline = backend.elapsed() + timeout;
    // One more attempt once nothing is left to advance: work the failed
    // attempt let run (a container starting) may have opened the way.
    let mut last = false;
    let attempt = loop {
        let attempt = backend.session(invocation, &input, workspace);
        let opened = match &attempt {
            Ok(Some(t)) => {
                !t.segments.is_empty()
                    || matching::match_output(&command.expected, &t.opening, bindings).is_ok()
            }
            _ => true,
        };
        if opened || !retry || last || backend.elapsed() >= deadline {
            break attempt;
        }
        last = backend.advance().is_none();
    };
    let shown = match attempt {
        Ok(Some(t)) if t.unsupported.is_some() => {
            // The session stopped at the typed line after the last one it
            // answered (or before any, at the opening command).
            let (span, line) = match command.session.get(t.segments.len()) {
                Some(typed) => (typed.span, typed.shown.clone()),
                None => (step.span, command.line.clone()),
            };
            return Verdict::Unsupported(span, line, t.unsupported.unwrap_or_default());
        }
        Ok(Some(t)) => t,
        Ok(None) => {
            return Verdict::Skipped(format!(
                "interactive sessions (`{}`) run only on the simulator",
                command.line
            ));
        }
        Err(e) => {
            let f = failure(
                step.span,
                command.expected.first_line,
                e.to_string(),
                String::new(),
                String::new(),
                None,
            );
            return Verdict::Failed(f);
        }
    };
    let all: String = std::iter::once(shown.opening.as_str())
        .chain(shown.segments.iter().map(String::as_str))
        .chain(std::iter::once(shown.trailing.as_str()))
        .collect();
    let mut record = |b: &Bindings| {
        transcript.push_str(&format!("$ {}\n", command.line));
        if shown.status != 0 {
            transcript.push_str(&format!("? {}\n", shown.status));
        }
        transcript.push_str(&b.normalize(&all));
        transcript.push('\n');
    };
    // The command's own output, up to the session's first prompt.
    let mut current = match matching::match_output(&command.expected, &shown.opening, bindings) {
        Ok(b) => b,
        Err(m) => {
            record(bindings);
            let f = failure(
                step.span,
                command.expected.first_line,
                m.reason,
                m.expected,
                shown.opening.clone(),
                Some(shown.status),
            );
            return Verdict::Failed(f);
        }
    };
    for (i, typed) in command.session.iter().enumerate() {
        let expected = Expected {
            text: format!("{}\n{}", typed.shown, typed.expected.text),
            first_line: typed.span.line,
            mode: typed.expected.mode,
        };
        let Some(actual) = shown.segments.get(i) else {
            record(&current);
            let f = failure(
                typed.span,
                typed.span.line,
                format!("the session had ended before `{}` was typed", typed.input),
                expected.text,
                shown.trailing.clone(),
                Some(shown.status),
            );
            return Verdict::Failed(f);
        };
        match matching::match_output(&expected, actual, &current) {
            Ok(b) => current = b,
            Err(m) => {
                record(&current);
                let f = failure(
                    typed.span,
                    typed.span.line,
                    m.reason,
                    m.expected,
                    actual.clone(),
                    Some(shown.status),
                );
                return Verdict::Failed(f);
            }
        }
    }
    record(&current);
    // kubectl's status is what the tutorial saw when the session ended on a
    // line it shows (`exit`), or what `? N` says; a session the tutorial
    // leaves without showing its end (stdin closes) has no status to check.
    let shown_end = command.session.last().is_some_and(|l| ends_session(&l.input));
    let checked = shown_end || command.status != ExpectedStatus::Success;
    if checked && !command.status.accepts(shown.status) {
        let detail = super::engine::status_detail(command.status, shown.status);
        let f = failure(
            step.span,
            command.expected.first_line,
            detail,
            String::new(),
            String::new(),
            Some(shown.status),
        );
        return Verdict::Failed(f);
    }
    *bindings = current;
    Verdict::Passed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_commands_must_be_plain() {
        assert_eq!(
            argv_of("kubectl exec -it web -- sh").unwrap(),
            ["kubectl", "exec", "-it", "web", "--", "sh"]
        );
        for bad in [
            "kubectl exec -it $POD -- sh",
            "kubectl exec -it web -- sh | tee x",
            "A=1 kubectl exec -it web -- sh",
        ] {
            assert!(argv_of(bad).unwrap_err().contains("one plain command"), "{bad}");
        }
    }
}
