//! Matching rows as a set: an assignment of expected rows to actual rows
//! consistent with the bindings, keeping every alternative (up to a limit)
//! where rows are indistinguishable.

use std::{borrow::Cow, rc::Rc};

use super::bindings::Env;
use super::pattern::{Capture, Pattern};

/// Expected rows and the actual rows they are matched against.
pub(crate) struct RowSet<'a> {
    /// Compiled expected rows.
    pub patterns: &'a [Pattern],
    /// Expected rows as written (equal texts are interchangeable).
    pub keys: &'a [&'a str],
    /// Actual rows, in the form the patterns match (cells joined, or whole lines).
    pub actual: &'a [String],
    /// Actual rows may be left over (a `...` among the expected rows).
    pub open: bool,
}

/// Why no assignment exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SetFailure {
    /// Index of the expected row at fault, if one is.
    pub row: Option<usize>,
    /// Human reason.
    pub reason: String,
}

/// Search bounds shared by one `match_output` call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Stop once this many alternatives are found.
    pub solutions: usize,
    /// Search steps left; the search gives up when it reaches zero.
    pub budget: usize,
}

/// All (up to `limits.solutions`) extensions of `env` assigning every expected
/// row to a distinct actual row.
pub(crate) fn assign(
    set: &RowSet<'_>,
    env: &Env,
    limits: &mut Limits,
) -> Result<Vec<Env>, SetFailure> {
    let (n, m) = (set.patterns.len(), set.actual.len());
    // Equal expected rows (`web-[..]   1/1   Running` ten thousand times)
    // match the same actual rows with the same captures: each distinct row
    // is compared once. Actual rows are indexed by text, so a row that
    // starts with literal text (a pod name) is compared only with the
    // actual rows that start with it: building the candidates is linear in
    // the rows, not their product.
    let mut by_text: Vec<usize> = (0..m).collect();
    by_text.sort_by(|&a, &b| set.actual[a].cmp(&set.actual[b]).then(a.cmp(&b)));
    let mut group_of: Vec<usize> = Vec::with_capacity(n);
    let mut first_of: std::collections::HashMap<&str, usize> = Default::default();
    let mut candidates: Vec<Vec<Candidate>> = Vec::new();
    for (i, pattern) in set.patterns.iter().enumerate() {
        if let Some(&g) = first_of.get(set.keys[i]) {
            group_of.push(g);
            continue;
        }
        let g = candidates.len();
        first_of.insert(set.keys[i], g);
        group_of.push(g);
        let prefix = pattern.prefix();
        let from = by_text.partition_point(|&j| set.actual[j].as_str() < prefix);
        let mut rows: Vec<usize> = by_text[from..]
            .iter()
            .copied()
            .take_while(|&j| set.actual[j].starts_with(prefix))
            .collect();
        rows.sort_unstable();
        let mut conflict = None;
        let ok: Vec<Candidate> = rows
            .into_iter()
            .filter_map(|j| {
                let caps = pattern.captures(&set.actual[j])?;
                env.check_all(&caps).map_err(|e| conflict = Some(e)).ok()?;
                Some((j, caps))
            })
            .collect();
        if ok.is_empty() {
            let reason =
                conflict.unwrap_or_else(|| format!("row `{}` has no match", set.keys[i].trim()));
            return Err(SetFailure { row: Some(i), reason });
        }
        candidates.push(ok);
    }
    if n > m || (!set.open && n != m) {
        let reason = format!("{n} rows expected, {m} found");
        return Err(SetFailure { row: None, reason });
    }
    // Rows that bind nothing beyond `env` (plain wildcards, names already
    // bound) leave one alternative, `env` itself, and whether it exists is
    // a bipartite matching: found in polynomial time, where the search
    // below would walk every way to pick rows before giving up.
    if candidates.iter().flatten().all(|(_, caps)| binds_nothing(env, caps)) {
        let counts = group_counts(&group_of, candidates.len());
        return match matching::unmatched_group(&counts, &candidates, m) {
            None => Ok(vec![env.clone()]),
            Some(_) => Err(SetFailure {
                row: None,
                reason: "no assignment of rows is consistent with the bindings".to_string(),
            }),
        };
    }
    let compat: Vec<&[Candidate]> = group_of.iter().map(|&g| candidates[g].as_slice()).collect();
    let mut search = Search { set, compat: &compat, order: order(set, &compat), out: Vec::new() };
    search.run(env, &mut vec![false; m], limits);
    if search.out.is_empty() {
        let reason = if limits.budget == 0 {
            "too many ways to match the rows; gave up".to_string()
        } else {
            "no assignment of rows is consistent with the bindings".to_string()
        };
        return Err(SetFailure { row: None, reason });
    }
    Ok(search.out)
}

/// An actual row an expected row matches, with the values it captures.
type Candidate = (usize, Vec<Capture>);

/// Whether `caps` agree with `env` and add nothing to it.
fn binds_nothing(env: &Env, caps: &[Capture]) -> bool {
    caps.iter().all(|c| env.get(&c.expected) == Some(c.actual.as_str()))
}

/// How many expected rows each group of equal rows has.
fn group_counts(group_of: &[usize], groups: usize) -> Vec<usize> {
    let mut counts = vec![0; groups];
    for &g in group_of {
        counts[g] += 1;
    }
    counts
}

/// Expected rows to distinct actual rows when no row binds anything:
/// maximum bipartite matching by augmenting paths (Kuhn's algorithm), with
/// the equal rows of a group as one left vertex of that capacity, so ten
/// thousand equal rows cost one pass over their candidates, not a search.
mod matching {
    use super::Candidate;

    /// The first group (in group order) whose rows cannot all have a
    /// distinct actual row; `None` when every expected row has one.
    pub(super) fn unmatched_group(
        counts: &[usize],
        candidates: &[Vec<Candidate>],
        actual_rows: usize,
    ) -> Option<usize> {
        let mut owner: Vec<Option<usize>> = vec![None; actual_rows];
        // Greedy first: each group takes free candidates in order; only
        // the rows greedy leaves without one need augmenting paths.
        let mut missing = vec![0usize; counts.len()];
        for (g, list) in candidates.iter().enumerate() {
            let mut left = counts[g];
            for (j, _) in list {
                if left == 0 {
                    break;
                }
                if owner[*j].is_none() {
                    owner[*j] = Some(g);
                    left -= 1;
                }
            }
            missing[g] = left;
        }
        for (g, &short) in missing.iter().enumerate() {
            for _ in 0..short {
                let mut seen_row = vec![false; actual_rows];
                let mut seen_group = vec![false; counts.len()];
                if !augment(g, candidates, &mut owner, &mut seen_row, &mut seen_group) {
                    return Some(g);
                }
            }
        }
        None
    }

    /// Finds an actual row for one more row of group `g`, moving rows of
    /// other groups along an alternating path; an explicit stack, as a
    /// path may be as long as the table.
    fn augment(
        g: usize,
        candidates: &[Vec<Candidate>],
        owner: &mut [Option<usize>],
        seen_row: &mut [bool],
        seen_group: &mut [bool],
    ) -> bool {
        // Each frame: a group and where it is in its candidates; the row
        // through which it was reached (taken from that group).
        let mut stack: Vec<(usize, usize, Option<usize>)> = vec![(g, 0, None)];
        seen_group[g] = true;
        while let Some(&mut (group, ref mut pos, _)) = stack.last_mut() {
            let list = &candidates[group];
            let Some((j, _)) = list.get(*pos) else {
                stack.pop();
                continue;
            };
            let j = *j;
            *pos += 1;
            if seen_row[j] {
                continue;
            }
            seen_row[j] = true;
            match owner[j] {
                None => {
                    // Free row: shift every row along the path.
                    owner[j] = Some(group);
                    for k in 1..stack.len() {
                        if let Some(row) = stack[k].2 {
                            owner[row] = Some(stack[k - 1].0);
                        }
                    }
                    return true;
                }
                Some(other) if !seen_group[other] => {
                    seen_group[other] = true;
                    stack.push((other, 0, Some(j)));
                }
                Some(_) => {}
            }
        }
        false
    }
}

/// Expected rows ordered most constrained first; equal rows adjacent.
fn order(set: &RowSet<'_>, compat: &[&[Candidate]]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..compat.len()).collect();
    order.sort_by_key(|&i| (compat[i].len(), set.keys[i], i));
    order
}

struct Search<'s, 'a> {
    set: &'s RowSet<'a>,
    /// Per expected row, the actual rows it matches, in increasing order.
    compat: &'s [&'s [Candidate]],
    order: Vec<usize>,
    out: Vec<Env>,
}

impl<'a> Search<'_, 'a> {
    /// Depth-first over `order`: level `k` gives expected row `order[k]` an
    /// actual row, `chosen[k]`. An explicit stack, not recursion: a table
    /// of 10,000 rows is 10,000 levels deep, more than a thread's stack.
    fn run(&mut self, env: &Env, used: &mut [bool], limits: &mut Limits) {
        let n = self.order.len();
        let reached =
            |out: &Vec<Env>, limits: &Limits| out.len() >= limits.solutions || limits.budget == 0;
        if n == 0 {
            if !reached(&self.out, limits) && !self.out.contains(env) {
                self.out.push(env.clone());
            }
            return;
        }
        let mut chosen: Vec<Option<usize>> = vec![None; n];
        let mut stack: Vec<Level<'a>> = Vec::with_capacity(n);
        if reached(&self.out, limits) {
            return;
        }
        stack.push(self.level(0, Rc::new(env.clone()), &chosen));
        while let Some(k) = stack.len().checked_sub(1) {
            let level = &mut stack[k];
            if let Some(j) = chosen[k].take() {
                used[j] = false;
            }
            let i = self.order[k];
            let compat = self.compat[i];
            // The next candidate: unused, and not equal to an actual row
            // tried at this level (equal rows give equal bindings).
            let mut next = None;
            while let Some((j, caps)) = compat.get(level.pos) {
                level.pos += 1;
                let actual = self.set.actual[*j].as_str();
                if !used[*j] && level.tried.insert(actual) {
                    next = Some((*j, caps));
                    break;
                }
            }
            let Some((j, caps)) = next else {
                stack.pop();
                continue;
            };
            limits.budget = limits.budget.saturating_sub(1);
            // Rows that bind nothing new share their level's bindings.
            let extended = match level.env.extended(caps) {
                Ok(Cow::Borrowed(_)) => Some(Rc::clone(&level.env)),
                Ok(Cow::Owned(env)) => Some(Rc::new(env)),
                Err(_) => None,
            };
            if let Some(extended) = extended {
                used[j] = true;
                chosen[k] = Some(j);
                if k + 1 == n {
                    if !reached(&self.out, limits) && !self.out.contains(&extended) {
                        self.out.push(Env::clone(&extended));
                    }
                } else if !reached(&self.out, limits) {
                    let deeper = self.level(k + 1, extended, &chosen);
                    stack.push(deeper);
                    continue;
                }
            }
            if reached(&self.out, limits) {
                return;
            }
        }
    }

    /// Level `k`, entered with `env`. Equal expected rows are
    /// interchangeable: they take their actual rows in increasing order
    /// only, so n equal rows do not cost n! steps.
    fn level(&self, k: usize, env: Rc<Env>, chosen: &[Option<usize>]) -> Level<'a> {
        let i = self.order[k];
        let floor = match k.checked_sub(1) {
            Some(prev) if self.set.keys[self.order[prev]] == self.set.keys[i] => {
                chosen[prev].map_or(0, |j| j + 1)
            }
            _ => 0,
        };
        let pos = self.compat[i].partition_point(|(j, _)| *j < floor);
        Level { env, pos, tried: Default::default() }
    }
}

/// One level of the search: its bindings, where it is in its candidates,
/// and the actual texts it has tried.
struct Level<'a> {
    env: Rc<Env>,
    pos: usize,
    tried: std::collections::HashSet<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::layout::cells;
    use crate::matching::pattern::join_cells;

    fn run(
        expected: &[&str],
        actual: &[&str],
        open: bool,
        env: &Env,
    ) -> Result<Vec<Env>, SetFailure> {
        let patterns: Vec<Pattern> = expected.iter().map(|r| Pattern::row(&cells(r))).collect();
        let actual: Vec<String> = actual.iter().map(|r| join_cells(&cells(r))).collect();
        let set = RowSet { patterns: &patterns, keys: expected, actual: &actual, open };
        assign(&set, env, &mut Limits { solutions: 256, budget: 100_000 })
    }

    #[test]
    fn indistinguishable_rows_keep_every_alternative() {
        let exp = ["a-bbbbb   Running   1s", "a-ccccc   Running   2s", "a-ddddd   Running   3s"];
        let act = ["a-xxxx2   Running   9s", "a-xxxx4   Running   9s", "a-xxxx5   Running   9s"];
        assert_eq!(run(&exp, &act, false, &Env::default()).unwrap().len(), 6);
    }

    #[test]
    fn equal_rows_do_not_explode() {
        let exp = vec!["Job Done!   x   y"; 12];
        let act = vec!["Job Done!   x   y"; 12];
        assert_eq!(run(&exp, &act, false, &Env::default()).unwrap().len(), 1);
    }

    #[test]
    fn counts_and_missing_rows() {
        let exp = ["a-bbbbb   Running   1s"];
        let act = ["a-xxxx2   Running   9s", "a-xxxx4   Running   9s"];
        assert_eq!(
            run(&exp, &act, false, &Env::default()).unwrap_err().reason,
            "1 rows expected, 2 found"
        );
        assert_eq!(run(&exp, &act, true, &Env::default()).unwrap().len(), 2);
        let err = run(&["a-bbbbb   Pending   1s"], &act[..1], false, &Env::default()).unwrap_err();
        assert_eq!(err.row, Some(0));
        assert!(err.reason.contains("has no match"), "{}", err.reason);
    }

    /// Issue 13: equal rows written cell by cell (`get pods -o wide`)
    /// over distinct actual rows once failed from about 20 rows: the
    /// search walked every increasing choice of rows for more
    /// alternatives until its budget ran out. Rows that bind nothing are
    /// now a bipartite matching, whatever their number.
    #[test]
    fn equal_wildcard_rows_match_distinct_rows() {
        let pattern =
            "web-[..]   1/1   Running   0   16s   10.128.[..]   node-[..]   <none>   <none>";
        for n in [20, 40, 5_000] {
            let actual: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        "web-{i:05}   1/1   Running   0   16s   10.128.{}.{}   node-{:03}   <none>   <none>",
                        i / 200,
                        i % 200 + 2,
                        i % 7
                    )
                })
                .collect();
            let act: Vec<&str> = actual.iter().map(String::as_str).collect();
            let exp = vec![pattern; n];
            assert_eq!(run(&exp, &act, false, &Env::default()).unwrap().len(), 1, "{n} rows");
        }
    }

    /// Two kinds of rows whose candidates overlap: the greedy choice
    /// (the wildcard row takes the first actual row) must be undone by an
    /// augmenting path; and when one row too many wants the same actual
    /// rows, no assignment exists, found without a search.
    #[test]
    fn overlapping_rows_are_reassigned() {
        let act = ["a-1   Running", "a-2   Pending", "a-3   Running"];
        let exp = ["a-[..]   [..]", "a-1   Running", "a-[..]   Running"];
        assert_eq!(run(&exp, &act, false, &Env::default()).unwrap().len(), 1);
        let exp = ["a-[..]   Running", "a-1   Running", "a-[..]   Running"];
        let err = run(&exp, &act, false, &Env::default()).unwrap_err();
        assert_eq!(err.reason, "no assignment of rows is consistent with the bindings");
        let many: Vec<String> = (0..30)
            .map(|i| format!("b-{i}   {}", if i == 7 { "Pending" } else { "Running" }))
            .collect();
        let act: Vec<&str> = many.iter().map(String::as_str).collect();
        let exp = vec!["b-[..]   Running"; 30];
        let err = run(&exp, &act, true, &Env::default()).unwrap_err();
        assert_eq!(err.reason, "no assignment of rows is consistent with the bindings");
    }

    /// Issue 13: a 10,000-row `get pods -o wide` once cost quadratic time
    /// (every expected row compared with every actual row, a linear `tried`
    /// list per search level) and recursed once per row (a thread's stack
    /// overflowed). Equal wildcard rows and rows named literally both
    /// match, and a row named wrongly is still found. (Named rows are
    /// fewer: each compiles a regex, the test's own cost.)
    #[test]
    fn large_tables_match() {
        let row = |n: &str| format!("{n}   1/1   Running   0   5m   node-1");
        let names: Vec<String> = (0..10_000).map(|i| format!("web-{i:05}")).collect();
        let actual: Vec<String> = names.iter().map(|n| row(n)).collect();
        let act: Vec<&str> = actual.iter().map(String::as_str).collect();
        let wild = vec!["web-[..]   1/1   Running   0   [..]   [..]"; 10_000];
        assert_eq!(run(&wild, &act, false, &Env::default()).unwrap().len(), 1);
        // 1,000 named rows, in another order than the actual rows.
        let act = &act[..1_000];
        let named: Vec<String> = names[..1_000]
            .iter()
            .rev()
            .map(|n| format!("{n}   1/1   Running   0   [..]   node-1"))
            .collect();
        let mut exp: Vec<&str> = named.iter().map(String::as_str).collect();
        assert_eq!(run(&exp, act, false, &Env::default()).unwrap().len(), 1);
        // Another status: that row matches no actual row.
        let wrong = format!("{}   1/1   Pending   0   [..]   node-1", names[499]);
        exp[500] = &wrong;
        let err = run(&exp, act, false, &Env::default()).unwrap_err();
        assert_eq!(err.row, Some(500));
        assert!(err.reason.contains("Pending"), "{}", err.reason);
    }
}
