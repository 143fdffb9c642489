//! Bindings of expected volatile tokens to actual values, across a scenario.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::layout::{self, Block, Table};
use super::pattern::Capture;
use super::tokens::{Tok, tokenize};

/// How many alternative environments are kept at most.
///
/// Five indistinguishable rows give 5! = 120 alternatives; beyond the limit
/// the first ones (in the matcher's deterministic search order) are kept.
pub(crate) const MAX_CANDIDATES: usize = 256;

/// One consistent assignment of expected tokens to actual values.
///
/// The map is injective: two different expected tokens never bind the same
/// actual value (a token may bind itself).
///
/// Strings are shared (`Arc<str>`): the matcher clones environments at every
/// branch of its search, and a scenario's environment grows to hundreds of
/// strings, so copying them dominated replay time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Env {
    /// Expected token → actual value.
    map: BTreeMap<Arc<str>, Arc<str>>,
    /// Actual value → expected token.
    rev: BTreeMap<Arc<str>, Arc<str>>,
    /// Expected token → the actual word it was first seen in, for messages.
    context: BTreeMap<Arc<str>, Arc<str>>,
}

impl PartialEq for Env {
    /// Context is commentary: two envs binding the same values are the same.
    fn eq(&self, other: &Env) -> bool {
        self.map == other.map
    }
}

impl Env {
    /// Binds `expected` to `actual`, or says why it cannot be.
    pub(crate) fn bind(
        &mut self,
        expected: &str,
        actual: &str,
        context: &str,
    ) -> Result<(), String> {
        if let Some(bound) = self.map.get(expected) {
            if &**bound == actual {
                return Ok(());
            }
            let seen = &self.context[expected];
            return Err(format!(
                "`{expected}` is already bound to `{bound}` (in `{seen}`), not `{actual}`"
            ));
        }
        if let Some(other) = self.rev.get(actual) {
            return Err(format!(
                "`{actual}` is already bound to `{other}` (in `{}`), so `{expected}` cannot bind it",
                self.context[other]
            ));
        }
        let (expected, actual): (Arc<str>, Arc<str>) = (expected.into(), actual.into());
        self.map.insert(expected.clone(), actual.clone());
        self.rev.insert(actual, expected.clone());
        self.context.insert(expected, context.into());
        Ok(())
    }

    /// Binds every capture, or says why not (the env is then half-extended:
    /// callers bind into a clone).
    pub(crate) fn bind_all(&mut self, captures: &[Capture]) -> Result<(), String> {
        captures.iter().try_for_each(|c| self.bind(&c.expected, &c.actual, &c.context))
    }

    /// Whether [`bind_all`](Self::bind_all) would succeed, with the same
    /// reason when not, without copying the environment.
    pub(crate) fn check_all(&self, captures: &[Capture]) -> Result<(), String> {
        // Bindings the captures themselves make, in order (few: one row's).
        let mut new: Vec<&Capture> = Vec::new();
        for c in captures {
            let (expected, actual) = (c.expected.as_str(), c.actual.as_str());
            let bound =
                self.map.get(expected).map(|b| (&**b, &*self.context[expected])).or_else(|| {
                    new.iter()
                        .find(|n| n.expected == expected)
                        .map(|n| (n.actual.as_str(), n.context.as_str()))
                });
            if let Some((bound, seen)) = bound {
                if bound == actual {
                    continue;
                }
                return Err(format!(
                    "`{expected}` is already bound to `{bound}` (in `{seen}`), not `{actual}`"
                ));
            }
            let other = self.rev.get(actual).map(|o| (&**o, &*self.context[o])).or_else(|| {
                new.iter()
                    .find(|n| n.actual == actual)
                    .map(|n| (n.expected.as_str(), n.context.as_str()))
            });
            if let Some((other, seen)) = other {
                return Err(format!(
                    "`{actual}` is already bound to `{other}` (in `{seen}`), so `{expected}` cannot bind it"
                ));
            }
            new.push(c);
        }
        Ok(())
    }

    /// This environment extended by `captures` (borrowed when they bind
    /// nothing new), or why it cannot be; the same outcome as
    /// [`bind_all`](Self::bind_all) on a clone, copying only when needed.
    pub(crate) fn extended(&self, captures: &[Capture]) -> Result<Cow<'_, Env>, String> {
        self.check_all(captures)?;
        if captures.iter().all(|c| self.get(&c.expected) == Some(c.actual.as_str())) {
            return Ok(Cow::Borrowed(self));
        }
        let mut next = self.clone();
        next.bind_all(captures)?;
        Ok(Cow::Owned(next))
    }

    /// The actual value bound to `expected`.
    pub(crate) fn get(&self, expected: &str) -> Option<&str> {
        self.map.get(expected).map(|v| &**v)
    }

    /// The expected token bound to `actual`.
    pub(crate) fn name_of(&self, actual: &str) -> Option<&str> {
        self.rev.get(actual).map(|v| &**v)
    }

    /// Number of bound tokens.
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    /// `text` with every bound token replaced by its actual value.
    pub(crate) fn substitute(&self, text: &str) -> String {
        map_lines(text, |line| {
            tokenize(line, false)
                .into_iter()
                .map(|tok| match tok {
                    Tok::Var(kind, t) if !kind.is_free() => self.get(t).unwrap_or(t),
                    Tok::Var(_, t) | Tok::Lit(t) => t,
                    Tok::Wild => "",
                })
                .collect()
        })
    }

    /// One actual line or cell with volatile values replaced by placeholders.
    fn placeholders(&self, text: &str) -> String {
        tokenize(text, false)
            .into_iter()
            .map(|tok| match tok {
                Tok::Var(kind, t) if !kind.is_free() => match self.name_of(t) {
                    Some(name) => format!("[{name}]"),
                    None => kind.placeholder().to_string(),
                },
                Tok::Var(kind, _) => kind.placeholder().to_string(),
                Tok::Lit(t) => t.to_string(),
                Tok::Wild => String::new(),
            })
            .collect()
    }
}

/// Applies `f` to every line of `text`, keeping line ends.
fn map_lines(text: &str, f: impl Fn(&str) -> String) -> String {
    text.split_inclusive('\n')
        .map(|chunk| {
            let line = chunk.strip_suffix('\n').unwrap_or(chunk);
            let end = &chunk[line.len()..];
            f(line) + end
        })
        .collect()
}

/// The bindings a scenario has built so far: expected volatile tokens (generated
/// names' hashes and suffixes, IPs, NodePorts, ids, UIDs, ...) and the actual
/// values they stand for.
///
/// Where earlier output could not decide between values (indistinguishable
/// rows), several alternative environments are kept (at most 256); a later
/// step that contradicts some of them prunes them. [`rewrite`](Self::rewrite),
/// [`normalize`](Self::normalize) and [`len`](Self::len) read the *first*
/// surviving alternative.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    /// Alternatives, in preference order. Empty means one empty environment.
    candidates: Vec<Env>,
}

impl Bindings {
    /// Builds bindings from alternatives (deduplicated, first ones kept).
    pub(crate) fn from_envs(envs: Vec<Env>) -> Bindings {
        let mut candidates: Vec<Env> = Vec::new();
        for env in envs {
            if candidates.len() >= MAX_CANDIDATES {
                break;
            }
            if !candidates.contains(&env) {
                candidates.push(env);
            }
        }
        Bindings { candidates }
    }

    /// The alternatives (one empty environment when nothing is bound yet).
    pub(crate) fn envs(&self) -> Cow<'_, [Env]> {
        if self.candidates.is_empty() {
            Cow::Owned(vec![Env::default()])
        } else {
            Cow::Borrowed(&self.candidates)
        }
    }

    fn first(&self) -> Cow<'_, Env> {
        self.candidates.first().map_or_else(|| Cow::Owned(Env::default()), Cow::Borrowed)
    }

    /// Rewrites a command line: every expected-side token that is bound is
    /// replaced by its actual value (`kubectl delete pod
    /// testdeployment-58779f7cd8-jwwtm` → the pod bound earlier). Unbound
    /// text is unchanged. Uses the first alternative; call [`pin`](Self::pin)
    /// with the same line to drop alternatives that disagree with it.
    pub fn rewrite(&self, command_line: &str) -> String {
        self.first().substitute(command_line)
    }

    /// Keeps only the alternatives that agree with the first one on every
    /// token of `command_line`: once a command has acted on the pod the first
    /// alternative chose, the others no longer describe what happened.
    pub fn pin(&mut self, command_line: &str) {
        let Some(first) = self.candidates.first().cloned() else { return };
        let tokens: Vec<String> = tokenize(command_line, false)
            .into_iter()
            .filter_map(|t| match t {
                Tok::Var(kind, t) if !kind.is_free() && first.get(t).is_some() => {
                    Some(t.to_string())
                }
                _ => None,
            })
            .collect();
        self.candidates.retain(|env| tokens.iter().all(|t| env.get(t) == first.get(t)));
    }

    /// The distinct rewrites of `command_line` under the open alternatives,
    /// in preference order, at most `max`. A reading command may try each:
    /// it changes nothing, and the one whose output matches decides which
    /// of the indistinguishable rows the tutorial meant (DESIGN §3).
    pub fn rewrites(&self, command_line: &str, max: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for env in self.envs().iter() {
            let line = env.substitute(command_line);
            if !out.contains(&line) {
                out.push(line);
                if out.len() >= max {
                    break;
                }
            }
        }
        out
    }

    /// These bindings narrowed to the alternatives under which
    /// `command_line` rewrites to `rewritten` (the command that ran).
    pub fn pinned_to(&self, command_line: &str, rewritten: &str) -> Bindings {
        let candidates = self
            .candidates
            .iter()
            .filter(|env| env.substitute(command_line) == rewritten)
            .cloned()
            .collect();
        Bindings { candidates }
    }

    /// Normalises actual output for a snapshot: bound volatile values become
    /// a placeholder naming the expected token (`[mqvjq]`), unbound ones a
    /// generic placeholder (`[AGE]`, `[IP]`, `[SUFFIX]`, `[HASH]`, `[TIME]`,
    /// `[PORT]`, `[ID]`, `[UID]`, `[RV]`, `[TOKEN]`, `[CRON]`).
    ///
    /// Tables are re-laid out (cells padded to the widest plus three spaces,
    /// as kubectl does), so the width of a replaced value does not show, and
    /// when a table's first column holds placeholders its rows are sorted,
    /// since their order came from random names. The result depends only on
    /// `actual` and the first alternative, so it is deterministic and the
    /// same for a real cluster and the simulator.
    pub fn normalize(&self, actual: &str) -> String {
        let env = self.first();
        let lines: Vec<&str> = actual.lines().map(str::trim_end).collect();
        let mut out: Vec<String> = Vec::with_capacity(lines.len());
        for block in layout::blocks(&lines, false) {
            match block {
                Block::Line(i) | Block::Ellipsis(i) => out.push(env.placeholders(lines[i])),
                Block::Table(table) => out.extend(normalize_table(&env, &lines, &table)),
            }
        }
        let mut text = out.join("\n");
        if actual.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    /// [`Bindings::normalize`] for output printed as things happened
    /// (`kubectl get -w`): line by line, in order, since a watch's rows
    /// are events rather than a set.
    pub fn normalize_stream(&self, actual: &str) -> String {
        let env = self.first();
        let mut text: String =
            actual.lines().map(|l| env.placeholders(l.trim_end())).collect::<Vec<_>>().join("\n");
        if actual.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    /// The number of bound tokens (in the first alternative).
    pub fn len(&self) -> usize {
        self.candidates.first().map_or(0, Env::len)
    }

    /// Whether nothing is bound yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many alternative environments are still open.
    pub fn alternatives(&self) -> usize {
        self.candidates.len().max(1)
    }
}

/// A table with placeholders, re-padded; rows sorted when named by placeholders.
fn normalize_table(env: &Env, lines: &[&str], table: &Table) -> Vec<String> {
    let to_cells = |i: usize| -> Vec<String> {
        layout::cells(lines[i]).iter().map(|c| env.placeholders(c)).collect()
    };
    let mut rows: Vec<Vec<String>> = table.rows.iter().map(|&i| to_cells(i)).collect();
    if rows.iter().any(|r| r.first().is_some_and(|c| c.contains('['))) {
        rows.sort();
    }
    let head: Vec<Vec<String>> =
        table.header.iter().chain(table.rule.iter()).map(|&i| to_cells(i)).collect();
    let all: Vec<&Vec<String>> = head.iter().chain(rows.iter()).collect();
    let columns = all.iter().map(|r| r.len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| all.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    let pad = " ".repeat(table.indent);
    all.iter()
        .map(|row| {
            let mut line = pad.clone();
            for (c, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if c + 1 < row.len() {
                    line.push_str(&" ".repeat(widths[c] - cell.chars().count() + 3));
                }
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        let mut env = Env::default();
        for (e, a) in pairs {
            env.bind(e, a, a).unwrap();
        }
        env
    }

    #[test]
    fn binding_is_consistent_and_injective() {
        let mut e = env(&[("mqvjq", "abcde")]);
        assert!(e.bind("mqvjq", "abcde", "").is_ok());
        assert!(e.bind("mqvjq", "zzzzz", "").unwrap_err().contains("already bound"));
        assert!(e.bind("7pjwk", "abcde", "").unwrap_err().contains("already bound"));
        assert!(e.bind("worker1", "worker1", "").is_ok());
    }

    #[test]
    fn rewrite_replaces_bound_tokens_only() {
        let b = Bindings::from_envs(vec![env(&[("58779f7cd8", "5c4b8d64df"), ("jwwtm", "abcde")])]);
        assert_eq!(
            b.rewrite("kubectl delete pod testdeployment-58779f7cd8-jwwtm"),
            "kubectl delete pod testdeployment-5c4b8d64df-abcde"
        );
        assert_eq!(
            b.rewrite("kubectl delete pod other-58779f7cd8-m6q5g"),
            "kubectl delete pod other-5c4b8d64df-m6q5g"
        );
        assert_eq!(b.rewrite("kubectl get pods --sort-by=x"), "kubectl get pods --sort-by=x");
        assert_eq!(
            Bindings::default().rewrite("kubectl logs testjobv1--1-hf5bk"),
            "kubectl logs testjobv1--1-hf5bk"
        );
    }

    #[test]
    fn pin_drops_disagreeing_alternatives() {
        let mut b =
            Bindings::from_envs(vec![env(&[("bbbbb", "ppppp")]), env(&[("bbbbb", "qqqqq")])]);
        assert_eq!(b.alternatives(), 2);
        b.pin("kubectl get pods");
        assert_eq!(b.alternatives(), 2);
        b.pin("kubectl delete pod x-bbbbb");
        assert_eq!(b.alternatives(), 1);
    }

    #[test]
    fn normalize_table_uses_binding_names_and_placeholders() {
        let b = Bindings::from_envs(vec![env(&[("59ffd87f5", "7c5ddbdf54"), ("mqvjq", "x2x9k")])]);
        let actual = "\
NAME                          READY   STATUS    RESTARTS   AGE   IP
test-nginx-7c5ddbdf54-zz9zz   1/1     Running   0          5s    10.244.1.9
test-nginx-7c5ddbdf54-x2x9k   1/1     Running   0          3m    10.244.1.8
";
        let expected = "\
NAME                              READY   STATUS    RESTARTS   AGE     IP
test-nginx-[59ffd87f5]-[SUFFIX]   1/1     Running   0          [AGE]   [IP]
test-nginx-[59ffd87f5]-[mqvjq]    1/1     Running   0          [AGE]   [IP]
";
        assert_eq!(b.normalize(actual), expected);
        assert_eq!(b.normalize(actual), b.normalize(actual));
    }

    #[test]
    fn normalize_lines() {
        let b = Bindings::default();
        assert_eq!(
            b.normalize("Start Time:   Tue, 15 Nov 2022 22:08:29 -0500\nIP:           10.244.1.7"),
            "Start Time:   [TIME]\nIP:           [IP]"
        );
    }
}
