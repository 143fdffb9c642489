//! Matching a whole output: lines in order, `...`, tables as row sets, and
//! the subset / unordered modes, searching every way the bindings can extend.

use crate::scenario::model::MatchMode;

use super::bindings::Env;
use super::layout::{self, Block, Table};
use super::pattern::{Pattern, join_cells};
use super::table::{self, Limits, RowSet};

/// One thing the expected output asks of the actual output.
enum Item {
    /// The next actual line matches this expected line.
    Line { at: usize, pattern: Pattern },
    /// Any number of actual lines.
    Ellipsis,
    /// A table here: header and rule cell by cell, rows as a set.
    Table { table: Table, rows: Vec<Pattern> },
    /// All remaining actual lines, as a multiset (unordered mode).
    Multiset { lines: Vec<usize>, patterns: Vec<Pattern>, open: bool },
}

/// Where the search got furthest before failing.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    /// 0-based expected line, when one is at fault.
    pub line: Option<usize>,
    /// Human reason.
    pub reason: String,
    /// The bindings at that point (so the report can apply them).
    pub env: Env,
    /// How far into the expected output it got (to keep the furthest).
    depth: usize,
}

/// An expected output compiled once, matched under each alternative env.
pub(crate) struct Matcher {
    exp: Vec<String>,
    act: Vec<String>,
    items: Vec<Item>,
}

/// Lines of `text` as a terminal shows them, without trailing spaces or
/// trailing blank lines.
///
/// Non-breaking spaces become spaces: tutorials copied from blogs are full
/// of them (the seed's tables are padded with a mix of both). Tabs become
/// the spaces a terminal moves the cursor by: kubectl writes some outputs
/// with raw tabs (`explain`'s `FIELDS:` lines, the pre-v1.13 `describe`),
/// and a transcript copied from the terminal has the spaces instead. Both
/// sides are expanded, so a text that keeps its tabs still matches.
pub(crate) fn lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| expand_tabs(&l.replace('\u{a0}', " ")).trim_end().to_string())
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// A terminal's tab stops: every 8 columns (the `tabs` default of a VT100
/// and of every terminal emulator a tutorial is recorded in).
const TAB_STOP: usize = 8;

/// `line` with each tab replaced by spaces up to the next tab stop,
/// counting columns by display width (a CJK character takes two).
fn expand_tabs(line: &str) -> std::borrow::Cow<'_, str> {
    use unicode_width::UnicodeWidthChar;
    if !line.contains('\t') {
        return line.into();
    }
    let mut out = String::with_capacity(line.len() + TAB_STOP);
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = TAB_STOP - column % TAB_STOP;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += c.width().unwrap_or(0);
        }
    }
    out.into()
}

impl Matcher {
    /// Compiles `expected` (in `mode`) to match against `actual`.
    pub(crate) fn new(expected: &str, mode: MatchMode, actual: &str) -> Matcher {
        let owned = lines(expected);
        let exp: Vec<&str> = owned.iter().map(String::as_str).collect();
        let items = match mode {
            MatchMode::Exact => items(&exp, false),
            MatchMode::Subset => items(&exp, true),
            MatchMode::Unordered => vec![multiset(&exp)],
        };
        Matcher { exp: owned, act: lines(actual), items }
    }

    /// Every extension of `env` (up to `limits.solutions`) under which the
    /// output matches, and the furthest failure met on the way.
    pub(crate) fn run(&self, env: &Env, limits: &mut Limits) -> (Vec<Env>, Option<Failure>) {
        let mut walk = Walk { m: self, limits, out: Vec::new(), failure: None };
        walk.item(0, 0, env);
        (walk.out, walk.failure)
    }
}

/// Exact mode: blocks in order. Subset mode: the same with `...` around every
/// block and tables open (extra rows allowed).
fn items(exp: &[&str], subset: bool) -> Vec<Item> {
    let mut out = Vec::new();
    if subset {
        out.push(Item::Ellipsis);
    }
    for block in layout::blocks(exp, true) {
        match block {
            Block::Line(at) => out.push(Item::Line { at, pattern: Pattern::line(exp[at]) }),
            Block::Ellipsis(_) => out.push(Item::Ellipsis),
            Block::Table(mut table) => {
                let trailing = table.trailing_ellipsis;
                table.open |= subset;
                let rows =
                    table.rows.iter().map(|&r| Pattern::row(&layout::cells(exp[r]))).collect();
                out.push(Item::Table { table, rows });
                // A final `...` also stands for whatever follows the table.
                if trailing {
                    out.push(Item::Ellipsis);
                }
            }
        }
        if subset {
            out.push(Item::Ellipsis);
        }
    }
    out
}

/// Unordered mode: every line that is not `...` is a member of the multiset.
fn multiset(exp: &[&str]) -> Item {
    let lines: Vec<usize> = (0..exp.len()).filter(|&i| !layout::is_ellipsis(exp[i])).collect();
    let patterns = lines.iter().map(|&i| Pattern::line(exp[i])).collect();
    Item::Multiset { open: lines.len() < exp.len(), lines, patterns }
}

/// One depth-first search under one starting env.
struct Walk<'m, 'l> {
    m: &'m Matcher,
    limits: &'l mut Limits,
    out: Vec<Env>,
    failure: Option<Failure>,
}

impl Walk<'_, '_> {
    fn done(&self) -> bool {
        self.out.len() >= self.limits.solutions || self.limits.budget == 0
    }

    /// Records a failure if it got further than the one recorded.
    fn fail(&mut self, line: Option<usize>, reason: String, env: &Env) {
        let depth = line.unwrap_or(self.m.exp.len());
        if self.failure.as_ref().is_none_or(|f| depth > f.depth) {
            self.failure = Some(Failure { line, reason, env: env.clone(), depth });
        }
    }

    /// Matches items `k..` against actual lines `pos..`.
    fn item(&mut self, k: usize, pos: usize, env: &Env) {
        if self.done() {
            return;
        }
        self.limits.budget = self.limits.budget.saturating_sub(1);
        let Some(item) = self.m.items.get(k) else {
            return self.end(pos, env);
        };
        match item {
            Item::Line { at, pattern } => self.line(k, pos, env, *at, pattern),
            Item::Ellipsis => {
                for p in pos..=self.m.act.len() {
                    self.item(k + 1, p, env);
                    if self.done() {
                        return;
                    }
                }
            }
            Item::Table { table, rows } => self.table(k, pos, env, table, rows),
            Item::Multiset { lines, patterns, open } => {
                self.multiset(k, pos, env, lines, patterns, *open)
            }
        }
    }

    /// All items matched: the actual output must be used up too.
    fn end(&mut self, pos: usize, env: &Env) {
        let extra = self.m.act.len() - pos;
        if extra == 0 {
            if !self.out.contains(env) {
                self.out.push(env.clone());
            }
        } else {
            let reason =
                format!("{extra} unexpected line(s), from `{}`", shorten(&self.m.act[pos]));
            self.fail(None, reason, env);
        }
    }

    fn line(&mut self, k: usize, pos: usize, env: &Env, at: usize, pattern: &Pattern) {
        let Some(actual) = self.m.act.get(pos) else {
            return self.fail(Some(at), self.missing(k), env);
        };
        let Some(caps) = pattern.captures(actual) else {
            return self.fail(Some(at), format!("line differs: got `{}`", shorten(actual)), env);
        };
        match env.extended(&caps) {
            Ok(next) => self.item(k + 1, pos + 1, &next),
            Err(reason) => self.fail(Some(at), reason, env),
        }
    }

    /// "N lines missing": the expected lines from item `k` on.
    fn missing(&self, k: usize) -> String {
        let n: usize = self.m.items[k..]
            .iter()
            .map(|item| match item {
                Item::Line { .. } => 1,
                Item::Ellipsis => 0,
                Item::Table { table, .. } => {
                    table.rows.len()
                        + usize::from(table.header.is_some())
                        + usize::from(table.rule.is_some())
                }
                Item::Multiset { lines, .. } => lines.len(),
            })
            .sum();
        format!("{n} line(s) missing")
    }

    fn table(&mut self, k: usize, pos: usize, env: &Env, table: &Table, rows: &[Pattern]) {
        let m = self.m;
        let (exp, act) = (&m.exp, &m.act);
        let first_line = table.header.or(table.rows.first().copied());
        let mut start = pos;
        for head in [table.header, table.rule].into_iter().flatten() {
            let Some(actual) = act.get(start) else {
                return self.fail(Some(head), self.missing(k), env);
            };
            if layout::cells(actual) != layout::cells(&exp[head]) {
                return self.fail(
                    Some(head),
                    format!("header differs: got `{}`", shorten(actual)),
                    env,
                );
            }
            start += 1;
        }
        let indent = act.get(table.header.map_or(start, |_| pos)).map_or(0, |l| layout::indent(l));
        let shape = Table { indent, ..table.clone() };
        let end = shape.run_end(act, start, false);
        let actual: Vec<String> =
            act[start..end].iter().map(|l| join_cells(&layout::cells(l))).collect();
        let keys: Vec<&str> = table.rows.iter().map(|&r| exp[r].as_str()).collect();
        let set = RowSet { patterns: rows, keys: &keys, actual: &actual, open: table.open };
        match table::assign(&set, env, self.limits) {
            Ok(envs) => {
                for next in envs {
                    self.item(k + 1, end, &next);
                    if self.done() {
                        return;
                    }
                }
            }
            Err(f) => self.fail(f.row.map(|r| table.rows[r]).or(first_line), f.reason, env),
        }
    }

    fn multiset(
        &mut self,
        k: usize,
        pos: usize,
        env: &Env,
        lines: &[usize],
        patterns: &[Pattern],
        open: bool,
    ) {
        let m = self.m;
        let actual: Vec<String> = m.act[pos..].iter().map(|l| l.to_string()).collect();
        let keys: Vec<&str> = lines.iter().map(|&i| m.exp[i].as_str()).collect();
        let set = RowSet { patterns, keys: &keys, actual: &actual, open };
        match table::assign(&set, env, self.limits) {
            Ok(envs) => {
                for next in envs {
                    self.item(k + 1, m.act.len(), &next);
                }
            }
            Err(f) => {
                let reason =
                    f.reason.replace("rows expected", "lines expected").replace("row `", "line `");
                self.fail(f.row.map(|r| lines[r]).or(lines.first().copied()), reason, env)
            }
        }
    }
}

/// A line cut to a readable length for a reason.
fn shorten(line: &str) -> String {
    let line = line.trim();
    match line.char_indices().nth(72) {
        Some((i, _)) => format!("{}...", &line[..i]),
        None => line.to_string(),
    }
}
