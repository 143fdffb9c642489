//! `kubeplay check`: warnings about scenarios that parse but are likely wrong.

use std::{collections::HashSet, fmt, path::Path};

use super::model::{ExpectedStatus, Scenario, Span, StepKind};

/// One finding of [`check`]. All findings are warnings: the scenario can
/// still run, but probably not as its author meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the finding is (a step's span, or 1:1 for the whole file).
    pub span: Span,
    /// A stable code (`W0001`, ...).
    pub code: &'static str,
    /// Human explanation.
    pub message: String,
}

impl Diagnostic {
    /// Formats the finding as `path:line:col: warning[W0001]: message`.
    pub fn render(&self, path: &Path) -> String {
        format!("{}:{self}", path.display())
    }
}

impl fmt::Display for Diagnostic {
    /// `line:col: warning[W0001]: message` (callers prefix the path).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: warning[{}]: {}",
            self.span.line, self.span.column, self.code, self.message
        )
    }
}

/// A scenario without steps checks nothing.
pub const NO_STEPS: &str = "W0001";
/// `kubectl apply -f X` reads a file no earlier step wrote.
pub const FILE_NOT_WRITTEN: &str = "W0002";
/// `skip` without a reason: reports would say "skipped" and nothing more.
pub const SKIP_WITHOUT_REASON: &str = "W0003";
/// A prompt names a host that is not a node of the declared cluster.
pub const UNKNOWN_HOST: &str = "W0004";
/// Two nodes of `cluster.nodes` share a name.
pub const DUPLICATE_NODE: &str = "W0005";
/// An expected-output line looks like a command at a prompt kubeplay does
/// not recognise: it is read as output of the command above.
pub const UNRECOGNISED_PROMPT: &str = "W0006";

/// Lints a parsed scenario.
pub fn check(scenario: &Scenario) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let file_start = Span { line: 1, column: 1 };
    if scenario.steps.is_empty() {
        out.push(Diagnostic {
            span: file_start,
            code: NO_STEPS,
            message: "scenario has no steps (no `console` blocks with prompts, no `file=` \
                      blocks): it checks nothing"
                .into(),
        });
    }

    let nodes = scenario.meta.cluster.nodes.as_deref().unwrap_or_default();
    let mut names = HashSet::new();
    // Spare machines (`cluster.hosts`) are prompts too: they join later.
    let hosts: HashSet<&str> =
        scenario.meta.cluster.hosts.iter().map(|h| h.name.as_str()).collect();
    for node in nodes {
        if !names.insert(node.name.as_str()) {
            out.push(Diagnostic {
                span: file_start,
                code: DUPLICATE_NODE,
                message: format!("node `{}` is declared twice in `cluster.nodes`", node.name),
            });
        }
    }

    // Files a step may read: written by file blocks, or mentioned by an
    // earlier command other than as its `-f` argument (a redirect, `wget`,
    // `cp`, ...): a lint must not cry wolf, so any mention counts.
    let mut written: Vec<String> = Vec::new();
    let mut mentioned: Vec<String> = Vec::new();
    for line in &scenario.meta.setup {
        mentioned.extend(file_refs(line).1);
    }
    for (index, step) in scenario.steps.iter().enumerate() {
        match &step.kind {
            StepKind::WriteFile { name, .. } => written.push(normalize(name).to_string()),
            StepKind::CheckFile { .. } | StepKind::Edit { .. } => {}
            StepKind::Run(command) => {
                for (offset, line) in command.expected.text.lines().enumerate() {
                    if let Some(prompt) = super::prompt_guess::unusual_prompt(line) {
                        out.push(Diagnostic {
                            span: Span { line: command.expected.first_line + offset, column: 1 },
                            code: UNRECOGNISED_PROMPT,
                            message: format!(
                                "this line is read as output of `{}`, but {}",
                                command.line.lines().next().unwrap_or_default(),
                                super::prompt_guess::suggestion(prompt)
                            ),
                        });
                    }
                }
                if command.skip.as_deref() == Some("") {
                    out.push(Diagnostic {
                        span: step.span,
                        code: SKIP_WITHOUT_REASON,
                        message: "`skip` without a reason; write skip=\"why\"".into(),
                    });
                }
                if let Some(host) = &command.host
                    && !nodes.is_empty()
                    && !names.contains(host.as_str())
                    && !hosts.contains(host.as_str())
                {
                    out.push(Diagnostic {
                        span: step.span,
                        code: UNKNOWN_HOST,
                        message: format!(
                            "the prompt names host `{host}`, which is not a node in \
                             `cluster.nodes`"
                        ),
                    });
                }
                let (reads, others) = file_refs(&command.line);
                // A command expected to fail may read a missing file on purpose
                // (to show kubectl's `the path ... does not exist`).
                let expects_failure = command.status != ExpectedStatus::Success;
                for file in reads.iter().filter(|f| is_plain_relative(f) && !expects_failure) {
                    let file = normalize(file);
                    let known = |names: &[String]| names.iter().any(|w| covers(file, w));
                    if known(&written) || mentioned.iter().any(|m| m.contains(file)) {
                        continue;
                    }
                    let later = scenario.steps[index + 1..].iter().find(|s| {
                        matches!(&s.kind, StepKind::WriteFile { name, .. }
                            if covers(file, normalize(name)))
                    });
                    let message = match later {
                        Some(s) => format!(
                            "`{file}` is read here but its `file=` block comes only later \
                             (line {})",
                            s.span.line
                        ),
                        None => format!(
                            "`{file}` is read here but no `file=` block writes it (add a \
                             ```yaml file={file} block before this command)"
                        ),
                    };
                    out.push(Diagnostic { span: step.span, code: FILE_NOT_WRITTEN, message });
                }
                mentioned.extend(others);
            }
        }
    }
    out
}

/// Splits a command line into the files it reads with `kubectl ... -f`
/// and all its other words. Only the first line is looked at: the rest is
/// here-document body.
fn file_refs(line: &str) -> (Vec<String>, Vec<String>) {
    let first = line.lines().next().unwrap_or("");
    let words = shell_words::split(first)
        .unwrap_or_else(|_| first.split_whitespace().map(String::from).collect());
    let mut reads = Vec::new();
    let mut others = Vec::new();
    for simple in words.split(|w| matches!(w.as_str(), "|" | "||" | "&&" | ";" | "&")) {
        let is_kubectl = simple.first().is_some_and(|w| w == "kubectl" || w.ends_with("/kubectl"));
        let verb = simple.iter().skip(1).find(|w| !w.starts_with('-'));
        let reading = is_kubectl
            && verb
                .is_some_and(|v| matches!(v.as_str(), "apply" | "create" | "replace" | "delete"));
        let mut words = simple.iter();
        while let Some(word) = words.next() {
            if reading {
                if word == "-f" || word == "--filename" {
                    if let Some(file) = words.next() {
                        reads.push(file.clone());
                    }
                    continue;
                }
                if let Some(file) =
                    word.strip_prefix("-f=").or_else(|| word.strip_prefix("--filename="))
                {
                    reads.push(file.to_string());
                    continue;
                }
            }
            others.push(word.clone());
        }
    }
    (reads, others)
}

/// Whether `file` is a plain relative path (not stdin, a URL, absolute,
/// or built from variables or globs, which a lint cannot follow).
fn is_plain_relative(file: &str) -> bool {
    !(file.is_empty()
        || file == "-"
        || file.contains("://")
        || file.starts_with('/')
        || file.starts_with('~')
        || file.contains(['$', '*', '?', '`', '{']))
}

/// `./x.yaml` and `x.yaml` are the same file.
fn normalize(name: &str) -> &str {
    let mut name = name;
    while let Some(rest) = name.strip_prefix("./") {
        name = rest;
    }
    name.trim_end_matches('/')
}

/// Whether writing `written` provides `read` (the file itself, or a file in
/// the directory `read`).
fn covers(read: &str, written: &str) -> bool {
    read == written
        || read == "."
        || written.strip_prefix(read).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Command, ExpectedStatus, NodeSpec, Step};

    fn run(line: &str, line_no: usize) -> Step {
        Step {
            span: Span { line: line_no, column: 1 },
            kind: StepKind::Run(Command { line: line.into(), ..Command::default() }),
        }
    }

    fn file(name: &str, line_no: usize) -> Step {
        Step {
            span: Span { line: line_no, column: 1 },
            kind: StepKind::WriteFile { name: name.into(), content: String::new() },
        }
    }

    fn scenario(steps: Vec<Step>) -> Scenario {
        Scenario { path: "t.md".into(), meta: Default::default(), steps }
    }

    fn codes(s: &Scenario) -> Vec<(&'static str, usize)> {
        check(s).into_iter().map(|d| (d.code, d.span.line)).collect()
    }

    #[test]
    fn no_steps() {
        assert_eq!(codes(&scenario(vec![])), [(NO_STEPS, 1)]);
    }

    #[test]
    fn apply_of_unwritten_file() {
        let s = scenario(vec![
            file("./d.yaml", 3),
            run("kubectl apply -f d.yaml --record", 10),
            run("kubectl apply -f x.yaml", 11),
            run("kubectl create -f=./y.yaml && kubectl get pods", 12),
            run("kubectl apply -f https://k8s.io/examples/app.yaml", 13),
            run("kubectl apply -f /tmp/abs.yaml", 14),
            run("kubectl apply -f -", 15),
            run("kubectl get deploy d -o yaml > z.yaml", 16),
            run("kubectl apply -f z.yaml", 17),
            run("kubectl apply -f dir", 18),
            file("dir/a.yaml", 19),
            run("kubectl apply -f \"$F\"", 20),
            file("y.yaml", 21),
        ]);
        assert_eq!(
            codes(&s),
            [(FILE_NOT_WRITTEN, 11), (FILE_NOT_WRITTEN, 12), (FILE_NOT_WRITTEN, 18)]
        );
        let messages: Vec<String> = check(&s).into_iter().map(|d| d.message).collect();
        assert!(messages[1].contains("only later (line 21)"), "{}", messages[1]);
        assert_eq!(
            check(&s)[0].render(Path::new("t.md")),
            "t.md:11:1: warning[W0002]: `x.yaml` is read here but no `file=` block writes it \
             (add a ```yaml file=x.yaml block before this command)"
        );
    }

    #[test]
    fn setup_and_heredoc_writers_count() {
        let mut s = scenario(vec![
            run("cat <<EOF > p.yaml\nkind: Pod\nEOF", 5),
            run("kubectl apply -f p.yaml", 9),
            run("kubectl apply -f s.yaml", 10),
        ]);
        s.meta.setup = vec!["wget -q https://example.com/s.yaml".into()];
        assert_eq!(codes(&s), []);
    }

    #[test]
    fn hosts_nodes_and_skips() {
        let mut s = scenario(vec![Step {
            span: Span { line: 4, column: 1 },
            kind: StepKind::Run(Command {
                host: Some("worker3".into()),
                line: "ls".into(),
                status: ExpectedStatus::Success,
                skip: Some(String::new()),
                ..Command::default()
            }),
        }]);
        assert_eq!(codes(&s), [(SKIP_WITHOUT_REASON, 4)], "no nodes declared: any host goes");
        let node = |name: &str| NodeSpec { name: name.into(), ..NodeSpec::default() };
        s.meta.cluster.nodes = Some(vec![node("master"), node("worker1"), node("worker1")]);
        assert_eq!(codes(&s), [(DUPLICATE_NODE, 1), (SKIP_WITHOUT_REASON, 4), (UNKNOWN_HOST, 4)]);
    }
}
