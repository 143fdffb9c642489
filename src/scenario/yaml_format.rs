//! The YAML scenario format: front-matter keys at the top level, plus
//! `steps:` of `{file, content}` or `{run, expect, status, ...}` items.

use std::path::Path;

use super::{
    console::expected_output,
    error::{ErrorCode, ParseError},
    front::{self, RawStep},
    model::{
        Command, Expected, ExpectedStatus, MatchMode, Scenario, SessionLine, Span, Step, StepKind,
    },
};

/// Parses a YAML scenario.
pub fn parse_yaml(path: &Path, text: &str) -> Result<Scenario, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut doc = front::parse_document(path, text, 1, front::Context::YamlScenario)?;
    let meta = doc.front_matter();
    let raw_steps = doc.steps.take().unwrap_or_default();
    let mut layout = StepLayout::scan(text);
    // Trust the scanned item lines only when they account for every step.
    let scanned = layout.items.len() == raw_steps.len();
    if !scanned {
        layout.items.clear();
    }
    let mut steps = Vec::with_capacity(raw_steps.len());
    for (index, raw) in raw_steps.into_iter().enumerate() {
        let span = layout.span(index, scanned);
        steps.push(step(path, text, &layout, index, span, raw)?);
    }
    Ok(Scenario { path: path.to_path_buf(), meta, steps })
}

/// Where `steps:` and its items are in the text.
///
/// serde_yaml gives values without positions, so the item lines are found by
/// scanning: the block-sequence items (`- `) at the indentation of the first
/// item under a top-level `steps:`. Flow sequences (`steps: [...]`) fall back
/// to the line of `steps:`.
#[derive(Debug, Default)]
struct StepLayout {
    /// 1-based line of `steps:`.
    key: Option<usize>,
    /// 1-based line and column of each item's `-`.
    items: Vec<Span>,
    /// 1-based line after the last line of the sequence.
    end: usize,
}

impl StepLayout {
    fn scan(text: &str) -> StepLayout {
        let lines: Vec<&str> = text.lines().collect();
        let mut layout = StepLayout { end: lines.len() + 1, ..StepLayout::default() };
        let Some(key) = lines.iter().position(|l| {
            l.strip_prefix("steps").is_some_and(|rest| rest.trim_start().starts_with(':'))
        }) else {
            return layout;
        };
        layout.key = Some(key + 1);
        let mut indent = None;
        for (j, line) in lines.iter().enumerate().skip(key + 1) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let here = line.len() - trimmed.len();
            let is_item = trimmed == "-" || trimmed.starts_with("- ");
            match indent {
                None if is_item => indent = Some(here),
                Some(n) if here > n => continue,
                Some(n) if here == n && is_item => {}
                _ => {
                    layout.end = j + 1;
                    break;
                }
            }
            layout.items.push(Span { line: j + 1, column: here + 1 });
        }
        layout
    }

    /// The span of step `index`; the `steps:` line when the scan missed it.
    fn span(&self, index: usize, scanned: bool) -> Span {
        match self.items.get(index) {
            Some(span) if scanned => *span,
            _ => Span { line: self.key.unwrap_or(1), column: 1 },
        }
    }

    /// The lines of item `index`: from its `-` to the next item (exclusive).
    fn item_lines(&self, index: usize) -> Option<(usize, usize)> {
        let start = self.items.get(index)?.line;
        let end = self.items.get(index + 1).map_or(self.end, |s| s.line);
        Some((start, end))
    }
}

/// Builds one step from its raw form.
fn step(
    path: &Path,
    text: &str,
    layout: &StepLayout,
    index: usize,
    span: Span,
    raw: RawStep,
) -> Result<Step, ParseError> {
    let bad = |message: String| Err(ParseError::new(path, span, ErrorCode::BadStep, message));
    let number = index + 1;
    match (raw.file, raw.run) {
        (Some(_), Some(_)) => bad(format!("step {number} has both `file:` and `run:`; split it")),
        (None, None) => bad(format!(
            "step {number} has neither `run:` (a command) nor `file:` (a file to write)"
        )),
        (Some(name), None) => {
            let stray = [
                ("expect", raw.expect.is_some()),
                ("status", raw.status.is_some()),
                ("timeout", raw.timeout.is_some()),
                ("host", raw.host.is_some()),
                ("match", raw.mode.is_some()),
                ("skip", raw.skip.is_some()),
                ("session", raw.session.is_some()),
            ];
            if let Some((key, _)) = stray.iter().find(|(_, present)| *present) {
                return bad(format!("step {number}: `{key}:` does not apply to a `file:` step"));
            }
            if name.trim().is_empty() {
                return Err(ParseError::new(
                    path,
                    span,
                    ErrorCode::MissingFileName,
                    format!("step {number}: `file:` needs a file name"),
                ));
            }
            let Some(content) = raw.content else {
                return bad(format!("step {number}: a `file:` step needs `content:`"));
            };
            Ok(Step { span, kind: StepKind::WriteFile { name, content } })
        }
        (None, Some(run)) => {
            if raw.content.is_some() {
                return bad(format!("step {number}: `content:` does not apply to a `run:` step"));
            }
            // A block scalar (`run: |`) ends with a newline that is not typed.
            let line = run.trim_end_matches(['\n', '\r']).to_string();
            if line.trim().is_empty() {
                return bad(format!("step {number}: `run:` is empty"));
            }
            let expect_line = expect_line(text, layout, index).unwrap_or(span.line + 1);
            let expected = match &raw.expect {
                Some(expect) => {
                    let lines: Vec<&str> = expect.lines().collect();
                    expected_output(&lines, expect_line)
                }
                None => Expected { first_line: expect_line, ..Expected::default() },
            };
            let mode = raw.mode.map_or(MatchMode::Exact, |m| m.0);
            Ok(Step {
                span,
                kind: StepKind::Run(Command {
                    host: raw.host,
                    line,
                    expected: Expected { mode, ..expected },
                    status: raw.status.map_or(ExpectedStatus::Success, |s| s.0),
                    timeout: raw.timeout.map(|d| d.0),
                    skip: raw.skip,
                    session: session_lines(raw.session.unwrap_or_default(), span, mode),
                }),
            })
        }
    }
}

/// The lines a YAML step types into its session (`session:` items of
/// `type:` and `expect:`). YAML shows no prompt, so the prompt line
/// matches any prompt before the typed text; lines are placed at the step.
fn session_lines(raw: Vec<front::RawTyped>, span: Span, mode: MatchMode) -> Vec<SessionLine> {
    raw.into_iter()
        .map(|t| {
            let input = t.typed.trim().to_owned();
            let lines: Vec<&str> = t.expect.as_deref().unwrap_or_default().lines().collect();
            SessionLine {
                span,
                shown: format!("[..]{input}"),
                input,
                expected: Expected { mode, ..expected_output(&lines, span.line) },
            }
        })
        .collect()
}

/// The file line of the first expected line of step `index`: the line of
/// `expect:` for an inline value, the next line for a block scalar.
fn expect_line(text: &str, layout: &StepLayout, index: usize) -> Option<usize> {
    let (start, end) = layout.item_lines(index)?;
    text.lines().enumerate().take(end.saturating_sub(1)).skip(start - 1).find_map(|(i, line)| {
        let line = line.trim_start();
        let line = line.strip_prefix("- ").map_or(line, str::trim_start);
        let value = line.strip_prefix("expect")?.trim_start().strip_prefix(':')?.trim();
        let block = value.starts_with('|') || value.starts_with('>') || value.is_empty();
        Some(if block { i + 2 } else { i + 1 })
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn parse(text: &str) -> Result<Scenario, ParseError> {
        parse_yaml(Path::new("s.yaml"), text)
    }

    #[test]
    fn full_yaml_scenario() {
        let text = "\
title: scale
cluster: kubeadm
timeout: 2m
steps:
  - file: d.yaml
    content: |
      kind: Deployment
  - run: kubectl apply -f d.yaml
    expect: deployment.apps/d created
  # a comment between steps
  - run: kubectl get pod nope
    status: 1
    host: worker1
    timeout: 30s
    match: subset
    expect: |
      Error from server (NotFound): pods \"nope\" not found
  - run: false
    status: failed
    skip: not on real clusters
";
        let s = parse(text).expect("parses");
        assert_eq!(s.meta.title.as_deref(), Some("scale"));
        assert_eq!(s.meta.cluster.profile.as_deref(), Some("kubeadm"));
        assert_eq!(s.meta.timeout, Some(Duration::from_secs(120)));
        assert_eq!(s.steps.len(), 4);
        assert_eq!(s.steps[0].span, Span { line: 5, column: 3 });
        assert_eq!(
            s.steps[0].kind,
            StepKind::WriteFile { name: "d.yaml".into(), content: "kind: Deployment\n".into() }
        );
        assert_eq!(s.steps[1].span.line, 8);
        let StepKind::Run(c) = &s.steps[1].kind else { panic!() };
        assert_eq!(c.line, "kubectl apply -f d.yaml");
        assert_eq!(
            c.expected,
            Expected {
                text: "deployment.apps/d created\n".into(),
                first_line: 9,
                ..Default::default()
            }
        );
        assert_eq!(s.steps[2].span.line, 11);
        let StepKind::Run(c) = &s.steps[2].kind else { panic!() };
        assert_eq!(c.status, ExpectedStatus::Code(1));
        assert_eq!(c.host.as_deref(), Some("worker1"));
        assert_eq!(c.timeout, Some(Duration::from_secs(30)));
        assert_eq!(c.expected.mode, MatchMode::Subset);
        assert_eq!(c.expected.first_line, 17);
        assert_eq!(c.expected.text, "Error from server (NotFound): pods \"nope\" not found\n");
        let StepKind::Run(c) = &s.steps[3].kind else { panic!() };
        assert_eq!(s.steps[3].span.line, 18);
        assert_eq!(c.status, ExpectedStatus::Failed);
        assert_eq!(c.skip.as_deref(), Some("not on real clusters"));
        assert_eq!(c.expected, Expected { first_line: 19, ..Default::default() });
    }

    #[test]
    fn items_at_key_indentation_and_flow_style() {
        let s = parse("steps:\n- run: ls\n- run: pwd\ntitle: t\n").expect("parses");
        let lines: Vec<usize> = s.steps.iter().map(|s| s.span.line).collect();
        assert_eq!(lines, [2, 3]);
        let s = parse("steps: [{run: ls}, {run: pwd}]\n").expect("parses");
        assert!(s.steps.iter().all(|s| s.span.line == 1));
    }

    #[test]
    fn bad_steps() {
        let cases: &[(&str, ErrorCode, usize)] = &[
            ("steps:\n  - run: ls\n  - expect: x\n", ErrorCode::BadStep, 3),
            ("steps:\n  - {}\n", ErrorCode::BadStep, 2),
            ("steps:\n  - run: ls\n    file: x\n", ErrorCode::BadStep, 2),
            ("steps:\n  - file: x\n", ErrorCode::BadStep, 2),
            ("steps:\n  - file: x\n    content: y\n    expect: z\n", ErrorCode::BadStep, 2),
            ("steps:\n  - file: ''\n    content: y\n", ErrorCode::MissingFileName, 2),
            ("steps:\n  - run: ls\n    content: y\n", ErrorCode::BadStep, 2),
            ("steps:\n  - run: ''\n", ErrorCode::BadStep, 2),
            ("steps:\n  - run: ls\n    bogus: 1\n", ErrorCode::UnknownKey, 3),
            ("steps:\n  - run: ls\n    status: nope\n", ErrorCode::InvalidValue, 3),
            ("steps:\n  - run: ls\n    status: 300\n", ErrorCode::InvalidValue, 3),
            ("steps:\n  - run: ls\n    match: fuzzy\n", ErrorCode::InvalidValue, 3),
            ("steps:\n  - run: ls\n    timeout: soon\n", ErrorCode::InvalidValue, 3),
            ("title: x\nsteps: [\n", ErrorCode::InvalidYaml, 3),
            ("- a\n", ErrorCode::InvalidValue, 1),
        ];
        for (text, code, line) in cases {
            let err = parse(text).expect_err(text);
            assert_eq!((err.code, err.line), (*code, *line), "{text:?}: {err}");
        }
    }

    #[test]
    fn session_lines_in_yaml() {
        let s = parse(
            "steps:\n  - run: kubectl exec -it web -- sh\n    session:\n      - type: hostname\n        expect: web\n      - type: exit\n",
        )
        .unwrap();
        let StepKind::Run(c) = &s.steps[0].kind else { panic!() };
        let typed: Vec<(&str, &str, &str)> = c
            .session
            .iter()
            .map(|l| (l.input.as_str(), l.shown.as_str(), l.expected.text.as_str()))
            .collect();
        assert_eq!(typed, [("hostname", "[..]hostname", "web\n"), ("exit", "[..]exit", "")]);
        let err = parse("steps:\n  - file: a\n    content: x\n    session: []\n").unwrap_err();
        assert!(err.message.contains("`session:` does not apply"), "{}", err.message);
    }

    #[test]
    fn status_zero_is_success_and_run_block_scalar_is_trimmed() {
        let s = parse("steps:\n  - run: |\n      cat <<EOF\n      x\n      EOF\n    status: 0\n")
            .expect("parses");
        let StepKind::Run(c) = &s.steps[0].kind else { panic!() };
        assert_eq!(c.line, "cat <<EOF\nx\nEOF");
        assert_eq!(c.status, ExpectedStatus::Success);
    }
}
