//! Which expected lines matched which actual lines: a per-line alignment of
//! an expected output with the actual one, for `kubeplay run --bless`.
//!
//! [`match_output`](super::match_output) answers yes or no (with every way
//! the bindings can extend). Blessing needs more: which of the tutorial's
//! lines did match, so they are kept as written — with their wildcards,
//! variables, names and ages — and only the others are rewritten from the
//! actual output (DESIGN §5; the trap snapbox's overwrite falls into,
//! assert-rs/snapbox#396, is to replace the whole block).
//!
//! The alignment reads both sides with the matcher's own rules (`layout`
//! blocks, `pattern` lines and rows, `...` lines, tables as row sets) and
//! finds, by dynamic programming, a way through the expected items that
//! keeps as many expected lines as possible. Bindings are checked against
//! the environment in force and then extended along the chosen path, so a
//! kept line never contradicts an earlier one. It is a best effort: callers
//! check the rewritten text with `match_output` before trusting it.
//! Matching itself does not use this module.

use std::ops::Range;

use similar::TextDiff;

use super::bindings::{Bindings, Env};
use super::layout::{self, Block, Table};
use super::matcher::lines;
use super::pattern::{Pattern, join_cells};
use super::tokens::{Tok, tokenize};
use crate::scenario::model::{Expected, MatchMode};

/// One stretch of the alignment, in expected-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Expected line `expected` matched actual line `actual` (rows of a
    /// table may match out of order).
    Kept {
        /// 0-based expected line.
        expected: usize,
        /// 0-based actual line.
        actual: usize,
    },
    /// A `...` line, standing for these actual lines (empty when unknown,
    /// as for a `...` among a table's rows).
    Ellipsis {
        /// 0-based expected line.
        expected: usize,
        /// The actual lines it covers.
        actual: Range<usize>,
    },
    /// An expected line that matched nothing and the actual line that takes
    /// its place: `expected` alone is dropped, `actual` alone is new.
    Changed {
        /// 0-based expected line.
        expected: Option<usize>,
        /// 0-based actual line.
        actual: Option<usize>,
    },
}

/// An expected output aligned with an actual output.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// The stretches, in expected order.
    pub segments: Vec<Segment>,
    expected: Vec<String>,
    actual: Vec<String>,
    env: Env,
    /// Actual lines that are rows of a table.
    rows: Vec<bool>,
    /// For an actual table row that takes no expected row's place as is,
    /// the expected line (the table's header) whose columns it follows.
    layout_of: std::collections::BTreeMap<usize, usize>,
}

impl Alignment {
    /// Whether every expected line was kept (nothing changed).
    pub fn unchanged(&self) -> bool {
        !self.segments.iter().any(|s| matches!(s, Segment::Changed { .. }))
    }

    /// How many expected lines were kept (`...` lines included).
    pub fn kept(&self) -> usize {
        self.segments.iter().filter(|s| !matches!(s, Segment::Changed { .. })).count()
    }

    /// Expected line `i` (dedented, trailing spaces trimmed).
    pub fn expected_line(&self, i: usize) -> &str {
        &self.expected[i]
    }

    /// How many actual lines there are (trailing blank lines dropped).
    pub fn actual_count(&self) -> usize {
        self.actual.len()
    }

    /// Actual line `i` (trailing spaces trimmed).
    pub fn actual_line(&self, i: usize) -> &str {
        &self.actual[i]
    }

    /// Actual line `actual` written in the tutorial's terms: a value bound
    /// to an expected token is written as that token (the tutorial's pod
    /// name, not this run's). With `like` (the expected line it replaces):
    /// in a table row with as many cells, each cell of `like` that matches
    /// its actual cell is kept as written (wildcards included), so only the
    /// cells that differ change; elsewhere, when `like` has the same shape
    /// — the same volatile values in the same order — its ages and
    /// timestamps are kept and its unbound tokens bind the new values.
    pub fn render(&mut self, like: Option<usize>, actual: usize) -> String {
        let line = self.actual[actual].clone();
        let like_text = like.map(|i| self.expected[i].clone());
        let mut out = None;
        if let Some(like_text) = like_text.as_deref().filter(|_| self.rows[actual]) {
            let (theirs, mine) = (layout::cells(like_text), layout::cells(&line));
            if theirs.len() == mine.len() && mine.len() > 1 {
                let indent = &line[..layout::indent(&line)];
                let cells: Vec<String> =
                    theirs.iter().zip(&mine).map(|(t, m)| self.merge_cell(t, m)).collect();
                out = Some(format!("{indent}{}", cells.join("   ")));
            }
        }
        let out = match out {
            Some(out) => out,
            None => self.render_text(like_text.as_deref(), &line),
        };
        // A table row is laid out in the expected table's columns (kubectl
        // pads cells to the widest; the tutorial's table is narrower or
        // wider than this run's), so the new row lines up with the kept ones.
        let reference = self.layout_of.get(&actual).copied().or(like);
        match reference.filter(|_| self.rows[actual]) {
            Some(r) => relayout(&out, &self.expected[r]).unwrap_or(out),
            None => out,
        }
    }

    /// One cell of a row: the expected cell when it matches the actual one
    /// (binding its tokens), else the actual cell in the tutorial's terms.
    fn merge_cell(&mut self, expected: &str, actual: &str) -> String {
        if let Some(caps) = Pattern::row(&[expected]).captures(actual) {
            let mut next = self.env.clone();
            if next.bind_all(&caps).is_ok() {
                self.env = next;
                return expected.to_owned();
            }
        }
        self.render_text(Some(expected), actual)
    }

    /// `actual` text with bound values written as their tokens and, when
    /// `like` has the same volatile values in the same order, its free
    /// values and unbound tokens kept.
    fn render_text(&mut self, like: Option<&str>, actual: &str) -> String {
        let mine = tokenize(actual, false);
        let theirs: Vec<Tok<'_>> = like
            .map(|l| tokenize(l, true).into_iter().filter(|t| matches!(t, Tok::Var(..))).collect())
            .unwrap_or_default();
        let vars: Vec<_> = mine.iter().filter(|t| matches!(t, Tok::Var(..))).collect();
        let same_shape = vars.len() == theirs.len()
            && vars.iter().zip(&theirs).all(|(a, b)| match (a, b) {
                (Tok::Var(x, _), Tok::Var(y, _)) => x == y,
                _ => false,
            });
        let mut out = String::new();
        let mut n = 0;
        for tok in &mine {
            match *tok {
                Tok::Lit(text) => out.push_str(text),
                Tok::Wild => {}
                Tok::Var(kind, value) => {
                    let paired = match theirs.get(n) {
                        Some(Tok::Var(_, t)) if same_shape => Some(*t),
                        _ => None,
                    };
                    n += 1;
                    if kind.is_free() {
                        out.push_str(paired.unwrap_or(value));
                        continue;
                    }
                    if let Some(name) = self.env.name_of(value) {
                        out.push_str(name);
                        continue;
                    }
                    let token = paired
                        .filter(|t| self.env.get(t).is_none())
                        .filter(|t| self.env.bind(t, value, value).is_ok())
                        .unwrap_or(value);
                    if token == value {
                        // Written as itself, the value is a token bound to
                        // itself: keep the environment injective.
                        let _ = self.env.bind(value, value, value);
                    }
                    out.push_str(token);
                }
            }
        }
        out
    }
}

/// Aligns `actual` with `expected` under the first alternative of
/// `bindings` (the one a command ran under).
pub fn align(expected: &Expected, actual: &str, bindings: &Bindings) -> Alignment {
    let env = bindings.envs().first().cloned().unwrap_or_default();
    let exp = lines(&expected.text);
    let act = lines(actual);
    let items = items(&exp, expected.mode);
    let path = {
        let dp = Dp { items: &items, exp: &exp, act: &act, env: &env };
        dp.path(expected.mode == MatchMode::Subset)
    };
    let rows = table_rows(&act);
    let mut out = Alignment {
        segments: Vec::new(),
        expected: exp,
        actual: act,
        env,
        rows,
        layout_of: Default::default(),
    };
    out.segments = segments(&mut out, &items, path);
    out
}

/// One thing the expected output asks for (as in the matcher).
enum Item {
    Line(usize, Pattern),
    /// A `...` line (`Some`), or the implicit one around subset blocks.
    Ellipsis(Option<usize>),
    Table(Table, Vec<Pattern>),
    /// Unordered mode: every remaining line, as a multiset.
    Multiset(Vec<usize>, Vec<Pattern>, bool),
}

fn items(exp: &[String], mode: MatchMode) -> Vec<Item> {
    let refs: Vec<&str> = exp.iter().map(String::as_str).collect();
    if mode == MatchMode::Unordered {
        let lines: Vec<usize> =
            (0..refs.len()).filter(|&i| !layout::is_ellipsis(refs[i])).collect();
        let patterns = lines.iter().map(|&i| Pattern::line(refs[i])).collect();
        let open = lines.len() < refs.len();
        return vec![Item::Multiset(lines, patterns, open)];
    }
    let subset = mode == MatchMode::Subset;
    let mut out = Vec::new();
    if subset {
        out.push(Item::Ellipsis(None));
    }
    for block in layout::blocks(&refs, true) {
        match block {
            Block::Line(at) => out.push(Item::Line(at, Pattern::line(refs[at]))),
            Block::Ellipsis(at) => out.push(Item::Ellipsis(Some(at))),
            Block::Table(mut table) => {
                table.open |= subset;
                let rows =
                    table.rows.iter().map(|&r| Pattern::row(&layout::cells(refs[r]))).collect();
                let trailing = table.trailing_ellipsis;
                out.push(Item::Table(table, rows));
                if trailing {
                    out.push(Item::Ellipsis(None));
                }
            }
        }
        if subset {
            out.push(Item::Ellipsis(None));
        }
    }
    out
}

/// A step of the chosen path.
#[derive(Debug, Clone)]
enum Move {
    /// Expected line kept against an actual line.
    Match(usize, usize),
    /// Expected line `.0` replaced by actual line `.1`.
    Replace(usize, usize),
    /// Expected line `.0` dropped.
    SkipExpected(usize),
    /// Actual line with nothing.
    SkipActual(usize),
    /// A `...` (explicit or implicit) over actual lines.
    Cover(Option<usize>, Range<usize>),
    /// Item `.0` (a table) placed at actual lines `.1`.
    Table(usize, Range<usize>),
    /// Item `.0` (a table) with no place: all its lines dropped.
    SkipTable(usize),
    /// Item `.0` (a multiset) over the remaining actual lines from `.1`.
    Multiset(usize, usize),
}

/// Costs of the edits a path makes, second to the number of lines kept.
/// An inserted line is cheap, a dropped expected line dear, so a changed
/// line is replaced by the actual line at its place (`...` next to it
/// covers the rest) rather than dropped while the `...` swallows its
/// replacement; replacing by a line less alike costs more.
const INSERT: i64 = 1;
const DROP: i64 = 8;
/// Replacing by a line less than half alike: dearer than dropping.
const REPLACE_UNLIKE: i64 = 20;
/// Lines kept outweigh any edits.
const KEPT: i64 = 1 << 32;

/// The cost of replacing expected `e` by actual `a`: 1 (alike) to 6.
fn replace_cost(e: &str, a: &str) -> i64 {
    let ratio = TextDiff::from_chars(e, a).ratio();
    if ratio < 0.5 { REPLACE_UNLIKE } else { 1 + ((1.0 - ratio) * 10.0) as i64 }
}

struct Dp<'a> {
    items: &'a [Item],
    exp: &'a [String],
    act: &'a [String],
    env: &'a Env,
}

impl Dp<'_> {
    /// Whether expected pattern `pattern` matches actual line `a` under the env.
    fn line_matches(&self, pattern: &Pattern, a: &str) -> bool {
        pattern.captures(a).is_some_and(|caps| self.env.check_all(&caps).is_ok())
    }

    /// The best path: most expected lines kept, then the cheapest edits.
    fn path(&self, subset: bool) -> Vec<Move> {
        let (k_max, n) = (self.items.len(), self.act.len());
        // score[k][p]: the best value from item k at actual line p.
        let mut score = vec![vec![0i64; n + 1]; k_max + 1];
        let mut choice = vec![vec![Move::SkipActual(0); n + 1]; k_max + 1];
        for p in (0..=n).rev() {
            // Past the last item, leftover actual lines are inserted (an
            // implicit trailing `...` covers them in subset mode).
            score[k_max][p] = -INSERT * (n - p) as i64;
        }
        for k in (0..k_max).rev() {
            for p in (0..=n).rev() {
                let mut best: Option<(i64, Move)> = None;
                let mut consider = |s: i64, m: Move| {
                    if best.as_ref().is_none_or(|(b, _)| s > *b) {
                        best = Some((s, m));
                    }
                };
                match &self.items[k] {
                    Item::Line(at, pattern) => {
                        if p < n {
                            if self.line_matches(pattern, &self.act[p]) {
                                consider(KEPT + score[k + 1][p + 1], Move::Match(*at, p));
                            } else {
                                let cost = replace_cost(&self.exp[*at], &self.act[p]);
                                consider(score[k + 1][p + 1] - cost, Move::Replace(*at, p));
                            }
                        }
                        consider(score[k + 1][p] - DROP, Move::SkipExpected(*at));
                    }
                    Item::Ellipsis(at) => {
                        for (q, &s) in score[k + 1].iter().enumerate().skip(p) {
                            consider(s, Move::Cover(*at, p..q));
                        }
                    }
                    Item::Table(table, rows) => {
                        if let Some(plan) =
                            place_table(self.exp, self.act, table, rows, p, self.env.clone())
                        {
                            let value = KEPT * plan.kept as i64 - plan.cost;
                            consider(value + score[k + 1][plan.end], Move::Table(k, p..plan.end));
                        }
                        let lines = table_lines(table, self.exp).len() as i64;
                        consider(score[k + 1][p] - DROP * lines, Move::SkipTable(k));
                    }
                    Item::Multiset(lines, patterns, _) => {
                        let kept =
                            multiset_pairs(lines, patterns, &self.act[p..], &mut self.env.clone())
                                .iter()
                                .filter(|(_, a)| a.is_some())
                                .count();
                        let missing = (lines.len() - kept) as i64;
                        let extra = (n - p - kept) as i64;
                        consider(
                            KEPT * kept as i64
                                - missing.min(extra)
                                - DROP * (missing - extra).max(0)
                                - INSERT * (extra - missing).max(0),
                            Move::Multiset(k, p),
                        );
                    }
                }
                if p < n && !subset {
                    consider(score[k][p + 1] - INSERT, Move::SkipActual(p));
                }
                let (s, m) = best.expect("a move is always possible");
                score[k][p] = s;
                choice[k][p] = m;
            }
        }
        let (mut k, mut p) = (0, 0);
        let mut path = Vec::new();
        while k < k_max || p < n {
            if k == k_max {
                path.push(Move::SkipActual(p));
                p += 1;
                continue;
            }
            let m = choice[k][p].clone();
            match &m {
                Move::Match(..) | Move::Replace(..) => (k, p) = (k + 1, p + 1),
                Move::SkipExpected(_) | Move::SkipTable(_) => k += 1,
                Move::SkipActual(_) => p += 1,
                Move::Cover(_, r) | Move::Table(_, r) => (k, p) = (k + 1, r.end),
                Move::Multiset(..) => (k, p) = (k + 1, n),
            }
            path.push(m);
        }
        path
    }
}

/// A table placed in the actual output.
struct TablePlan {
    /// Actual line after the table.
    end: usize,
    /// Expected lines kept (header, rule, matched rows).
    kept: usize,
    /// The edits the rows left over need.
    cost: i64,
    /// Header and rule: expected line, actual line.
    head: Vec<(usize, usize)>,
    /// For each expected row (in order): the actual line it matched.
    rows: Vec<Option<usize>>,
    /// Actual row lines no expected row took.
    spare: Vec<usize>,
    env: Env,
}

fn place_table(
    exp: &[String],
    act: &[String],
    table: &Table,
    rows: &[Pattern],
    p: usize,
    mut env: Env,
) -> Option<TablePlan> {
    let mut head = Vec::new();
    let mut start = p;
    for h in [table.header, table.rule].into_iter().flatten() {
        let line = act.get(start)?;
        if layout::cells(line) != layout::cells(&exp[h]) {
            return None;
        }
        head.push((h, start));
        start += 1;
    }
    let indent = act.get(table.header.map_or(start, |_| p)).map_or(0, |l| layout::indent(l));
    let shape = Table { indent, ..table.clone() };
    let end = shape.run_end(act, start, false);
    if end == p {
        return None;
    }
    let joined: Vec<String> =
        act[start..end].iter().map(|l| join_cells(&layout::cells(l))).collect();
    let mut taken = vec![false; joined.len()];
    let mut assigned = vec![None; rows.len()];
    // Most constrained rows first, so a specific row is not starved by a
    // general one.
    let candidates: Vec<Vec<usize>> = rows
        .iter()
        .map(|r| (0..joined.len()).filter(|&j| r.captures(&joined[j]).is_some()).collect())
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (candidates[i].len(), i));
    for i in order {
        for &j in &candidates[i] {
            if taken[j] {
                continue;
            }
            let caps = rows[i].captures(&joined[j]).expect("candidate matched");
            let mut next = env.clone();
            if next.bind_all(&caps).is_ok() {
                env = next;
                taken[j] = true;
                assigned[i] = Some(start + j);
                break;
            }
        }
    }
    let kept = head.len() + assigned.iter().filter(|a| a.is_some()).count();
    let spare: Vec<usize> = (0..joined.len()).filter(|&j| !taken[j]).map(|j| start + j).collect();
    let missing = rows.len() - (kept - head.len());
    // Each row left on both sides is a replacement; the rest dropped or new.
    let replaced = missing.min(spare.len()) as i64;
    let mut cost = 2 * replaced + DROP * (missing as i64 - replaced);
    if !table.open {
        cost += INSERT * (spare.len() as i64 - replaced);
    }
    Some(TablePlan { end, kept, cost, head, rows: assigned, spare, env })
}

/// Unordered mode: each expected line (in order) with the first free
/// actual line it matches, binding as it goes.
fn multiset_pairs(
    lines: &[usize],
    patterns: &[Pattern],
    act: &[String],
    env: &mut Env,
) -> Vec<(usize, Option<usize>)> {
    let mut taken = vec![false; act.len()];
    let mut out = Vec::new();
    for (&line, pattern) in lines.iter().zip(patterns) {
        let mut found = None;
        for (j, a) in act.iter().enumerate() {
            if taken[j] {
                continue;
            }
            if let Some(caps) = pattern.captures(a) {
                let mut next = env.clone();
                if next.bind_all(&caps).is_ok() {
                    *env = next;
                    taken[j] = true;
                    found = Some(j);
                    break;
                }
            }
        }
        out.push((line, found));
    }
    out
}

/// Turns the path into segments, extending the environment along it (a
/// kept line that contradicts an earlier one is changed after all).
fn segments(out: &mut Alignment, items: &[Item], path: Vec<Move>) -> Vec<Segment> {
    let mut segs: Vec<Segment> = Vec::new();
    let mut env = out.env.clone();
    let changed = |e: Option<usize>, a: Option<usize>| Segment::Changed { expected: e, actual: a };
    for m in path {
        match m {
            Move::Match(e, a) => {
                let caps = items_line(items, e).and_then(|p| p.captures(&out.actual[a]));
                let next = caps.and_then(|caps| {
                    let mut next = env.clone();
                    next.bind_all(&caps).is_ok().then_some(next)
                });
                match next {
                    Some(next) => {
                        env = next;
                        segs.push(Segment::Kept { expected: e, actual: a });
                    }
                    None => segs.push(changed(Some(e), Some(a))),
                }
            }
            Move::Replace(e, a) => segs.push(changed(Some(e), Some(a))),
            Move::SkipExpected(e) => segs.push(changed(Some(e), None)),
            Move::SkipActual(a) => segs.push(changed(None, Some(a))),
            Move::Cover(Some(e), r) => segs.push(Segment::Ellipsis { expected: e, actual: r }),
            Move::Cover(None, _) => {}
            Move::SkipTable(k) => {
                let Item::Table(table, _) = &items[k] else { continue };
                segs.extend(
                    table_lines(table, &out.expected).into_iter().map(|e| changed(Some(e), None)),
                );
            }
            Move::Table(k, r) => {
                let Item::Table(table, rows) = &items[k] else { continue };
                let placed =
                    place_table(&out.expected, &out.actual, table, rows, r.start, env.clone());
                let Some(plan) = placed else {
                    segs.extend(
                        table_lines(table, &out.expected)
                            .into_iter()
                            .map(|e| changed(Some(e), None)),
                    );
                    continue;
                };
                env = plan.env.clone();
                let unmatched: Vec<usize> = table
                    .rows
                    .iter()
                    .zip(&plan.rows)
                    .filter(|(_, a)| a.is_none())
                    .map(|(&e, _)| e)
                    .collect();
                let picks = pair_similar(&unmatched, &plan.spare, out);
                // New rows line up with the header (or a kept row), not
                // with the row they replace, whose cells were wrong.
                let kept_row = table.rows.iter().zip(&plan.rows).find(|(_, a)| a.is_some());
                let reference = table.header.or(kept_row.map(|(&e, _)| e));
                if let Some(reference) = reference {
                    out.layout_of.extend(plan.spare.iter().map(|&a| (a, reference)));
                }
                for e in table_lines(table, &out.expected) {
                    if let Some(&(_, a)) = plan.head.iter().find(|(h, _)| *h == e) {
                        segs.push(Segment::Kept { expected: e, actual: a });
                    } else if let Some(i) = table.rows.iter().position(|&r| r == e) {
                        segs.push(match plan.rows[i] {
                            Some(a) => Segment::Kept { expected: e, actual: a },
                            None => {
                                let u = unmatched.iter().position(|&u| u == e);
                                changed(Some(e), u.and_then(|u| picks[u]))
                            }
                        });
                    } else {
                        segs.push(Segment::Ellipsis { expected: e, actual: 0..0 });
                    }
                }
                if !table.open {
                    segs.extend(
                        spare_left(&plan.spare, &picks).into_iter().map(|a| changed(None, Some(a))),
                    );
                }
            }
            Move::Multiset(k, p) => {
                let Item::Multiset(lines, patterns, open) = &items[k] else { continue };
                let pairs = multiset_pairs(lines, patterns, &out.actual[p..], &mut env);
                let taken: Vec<usize> =
                    pairs.iter().filter_map(|(_, a)| a.map(|a| a + p)).collect();
                let spare: Vec<usize> =
                    (p..out.actual.len()).filter(|a| !taken.contains(a)).collect();
                let unmatched: Vec<usize> =
                    pairs.iter().filter(|(_, a)| a.is_none()).map(|(e, _)| *e).collect();
                let picks = pair_similar(&unmatched, &spare, out);
                for e in 0..out.expected.len() {
                    segs.push(match pairs.iter().find(|(l, _)| *l == e) {
                        Some((_, Some(a))) => Segment::Kept { expected: e, actual: a + p },
                        Some((_, None)) => {
                            let u = unmatched.iter().position(|&u| u == e);
                            changed(Some(e), u.and_then(|u| picks[u]))
                        }
                        None => Segment::Ellipsis { expected: e, actual: 0..0 },
                    });
                }
                if !open {
                    segs.extend(
                        spare_left(&spare, &picks).into_iter().map(|a| changed(None, Some(a))),
                    );
                }
            }
        }
    }
    out.env = env;
    segs
}

/// The spare actual lines no changed line took.
fn spare_left(spare: &[usize], picks: &[Option<usize>]) -> Vec<usize> {
    spare.iter().copied().filter(|a| !picks.contains(&Some(*a))).collect()
}

/// Which lines are rows (or headers) of a table.
fn table_rows(lines: &[String]) -> Vec<bool> {
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut rows = vec![false; lines.len()];
    for block in layout::blocks(&refs, false) {
        if let Block::Table(table) = block {
            for i in table.header.into_iter().chain(table.rule).chain(table.rows) {
                rows[i] = true;
            }
        }
    }
    rows
}

/// `line`'s cells placed at the columns of `reference`'s cells (at least
/// two spaces apart, three where a cell overflows its column), or `None`
/// when the two have different numbers of cells.
fn relayout(line: &str, reference: &str) -> Option<String> {
    let cells = layout::cells(line);
    let starts = cell_starts(reference);
    if cells.len() != starts.len() {
        return None;
    }
    let mut out = String::new();
    for (i, (cell, &start)) in cells.iter().zip(&starts).enumerate() {
        let width = out.chars().count();
        if i == 0 {
            out.push_str(&" ".repeat(start));
        } else if width + 2 <= start {
            out.push_str(&" ".repeat(start - width));
        } else {
            out.push_str("   ");
        }
        out.push_str(cell);
    }
    Some(out)
}

/// The character columns where a line's cells start (cells as
/// [`layout::cells`] splits them: on runs of two or more blanks or a tab).
fn cell_starts(line: &str) -> Vec<usize> {
    let chars: Vec<char> = line.trim_end().chars().collect();
    let mut starts = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let gap_start = i;
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
            i += 1;
        }
        let gap = &chars[gap_start..i];
        if i < chars.len() && (gap_start == 0 || gap.len() >= 2 || gap.contains(&'\t')) {
            starts.push(i);
        }
        while i < chars.len() && chars[i] != ' ' && chars[i] != '\t' {
            i += 1;
        }
        // A single blank inside a cell (`NOMINATED NODE`, `12 (24m ago)`).
        while i + 1 < chars.len() && chars[i] == ' ' && chars[i + 1] != ' ' && chars[i + 1] != '\t'
        {
            i += 1;
            while i < chars.len() && chars[i] != ' ' && chars[i] != '\t' {
                i += 1;
            }
        }
    }
    starts
}

/// The compiled pattern of expected line `e`, if it is a `Line` item.
fn items_line(items: &[Item], e: usize) -> Option<&Pattern> {
    items.iter().find_map(|item| match item {
        Item::Line(at, pattern) if *at == e => Some(pattern),
        _ => None,
    })
}

/// Every expected line of a table, in order (header, rule, rows, `...`).
fn table_lines(table: &Table, exp: &[String]) -> Vec<usize> {
    let first = table.header.or(table.rows.first().copied()).unwrap_or(0);
    let last =
        table.rows.iter().copied().chain(table.rule).chain(table.header).max().unwrap_or(first);
    let last = if table.trailing_ellipsis || table.open {
        (last + 1..exp.len()).take_while(|&i| layout::is_ellipsis(&exp[i])).last().unwrap_or(last)
    } else {
        last
    };
    (first..=last).collect()
}

/// For each expected line, the most similar line of `pool` (each used
/// once, and at least half alike), or `None`.
fn pair_similar(expected: &[usize], pool: &[usize], out: &Alignment) -> Vec<Option<usize>> {
    let mut used = vec![false; pool.len()];
    let mut picked = Vec::new();
    for &e in expected {
        let best = pool
            .iter()
            .enumerate()
            .filter(|(j, _)| !used[*j])
            .map(|(j, &a)| {
                let diff = TextDiff::from_chars(out.expected[e].as_str(), out.actual[a].as_str());
                (j, diff.ratio())
            })
            .filter(|(_, r)| *r >= 0.5)
            .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)));
        picked.push(best.map(|(j, _)| {
            used[j] = true;
            pool[j]
        }));
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(text: &str, mode: MatchMode) -> Expected {
        Expected { text: text.to_owned(), first_line: 1, mode }
    }

    fn changed(e: Option<usize>, a: Option<usize>) -> Segment {
        Segment::Changed { expected: e, actual: a }
    }

    #[test]
    fn a_changed_line_is_replaced_and_ellipses_cover_the_rest() {
        let exp = "Name:  web\n...\nReplicas:  3 desired\nStrategy:  [..]\n...\n";
        let act = "Name:  web\nLabels:  app=web\nReplicas:  2 desired\nStrategy:  RollingUpdate\nEvents:  none\n";
        let a = align(&expected(exp, MatchMode::Exact), act, &Bindings::default());
        assert_eq!(
            a.segments,
            vec![
                Segment::Kept { expected: 0, actual: 0 },
                Segment::Ellipsis { expected: 1, actual: 1..2 },
                changed(Some(2), Some(2)),
                Segment::Kept { expected: 3, actual: 3 },
                Segment::Ellipsis { expected: 4, actual: 4..5 },
            ]
        );
        assert!(!a.unchanged());
    }

    #[test]
    fn extra_and_missing_lines() {
        let a = align(&expected("a\nb\nc\n", MatchMode::Exact), "a\nc\nd\n", &Bindings::default());
        assert_eq!(
            a.segments,
            vec![
                Segment::Kept { expected: 0, actual: 0 },
                changed(Some(1), None),
                Segment::Kept { expected: 2, actual: 1 },
                changed(None, Some(2)),
            ]
        );
    }

    #[test]
    fn table_rows_keep_their_names_and_a_changed_row_keeps_its_name_and_age() {
        let exp = "\
NAME                         READY   STATUS    RESTARTS   AGE
test-nginx-59ffd87f5-mqvjq   1/1     Running   0          58s
test-nginx-59ffd87f5-7pjwk   0/1     Pending   0          58s
";
        let act = "\
NAME                          READY   STATUS    RESTARTS   AGE
test-nginx-7c5ddbdf54-x2x9k   1/1     Running   0          3s
test-nginx-7c5ddbdf54-zz9zz   1/1     Running   0          3s
";
        let mut a = align(&expected(exp, MatchMode::Exact), act, &Bindings::default());
        assert_eq!(a.segments[0], Segment::Kept { expected: 0, actual: 0 });
        assert_eq!(a.segments[1], Segment::Kept { expected: 1, actual: 1 });
        assert_eq!(a.segments[2], changed(Some(2), Some(2)));
        assert_eq!(a.segments.len(), 3);
        assert_eq!(
            a.render(Some(2), 2),
            "test-nginx-59ffd87f5-7pjwk   1/1     Running   0          58s"
        );
        // Without a line to follow, bound values still take the
        // tutorial's names; the rest is the actual text.
        let mut b = align(&expected(exp, MatchMode::Exact), act, &Bindings::default());
        assert_eq!(
            b.render(None, 2),
            "test-nginx-59ffd87f5-zz9zz   1/1     Running   0          3s"
        );
    }

    #[test]
    fn relayout_follows_the_reference_columns() {
        let reference = "agent-8c2w2   1/1     Running             0          1m    10.244.5.2";
        assert_eq!(cell_starts(reference), vec![0, 14, 22, 42, 53, 59]);
        assert_eq!(
            relayout("agent-8c2w2   1/1   Running   0   1m   10.244.5.2", reference).as_deref(),
            Some(reference)
        );
        assert_eq!(cell_starts("  NOMINATED NODE   READINESS GATES"), vec![2, 19]);
        assert_eq!(relayout("a   b", reference), None);
    }

    #[test]
    fn subset_mode_replaces_with_the_most_alike_line() {
        let exp = "Replicas:  3 desired\n";
        let act = "Name:  web\nReplicas:  2 desired\nEvents:  none\n";
        let a = align(&expected(exp, MatchMode::Subset), act, &Bindings::default());
        assert_eq!(a.segments, vec![changed(Some(0), Some(1))]);
    }

    #[test]
    fn unordered_lines() {
        let exp = "B=2\nA=1\n";
        let act = "A=1\nB=3\nC=4\n";
        let a = align(&expected(exp, MatchMode::Unordered), act, &Bindings::default());
        assert_eq!(
            a.segments,
            vec![
                changed(Some(0), Some(1)),
                Segment::Kept { expected: 1, actual: 0 },
                changed(None, Some(2)),
            ]
        );
    }
}
