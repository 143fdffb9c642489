//! Matching rows as a set: an assignment of expected rows to actual rows
//! consistent with the bindings, keeping every alternative (up to a limit)
//! where rows are indistinguishable.

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
    let caps: Vec<Vec<Option<Vec<Capture>>>> =
        set.patterns.iter().map(|p| set.actual.iter().map(|a| p.captures(a)).collect()).collect();
    let mut compat: Vec<Vec<usize>> = Vec::with_capacity(n);
    for (i, row_caps) in caps.iter().enumerate() {
        let mut conflict = None;
        let ok: Vec<usize> = (0..m)
            .filter(|&j| match &row_caps[j] {
                Some(c) => env.check_all(c).map_err(|e| conflict = Some(e)).is_ok(),
                None => false,
            })
            .collect();
        if ok.is_empty() {
            let reason =
                conflict.unwrap_or_else(|| format!("row `{}` has no match", set.keys[i].trim()));
            return Err(SetFailure { row: Some(i), reason });
        }
        compat.push(ok);
    }
    if n > m || (!set.open && n != m) {
        let reason = format!("{n} rows expected, {m} found");
        return Err(SetFailure { row: None, reason });
    }
    let mut search =
        Search { set, caps: &caps, compat: &compat, order: order(set, &compat), out: Vec::new() };
    search.run(0, env, &mut vec![None; n], &mut vec![false; m], limits);
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

/// Expected rows ordered most constrained first; equal rows adjacent.
fn order(set: &RowSet<'_>, compat: &[Vec<usize>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..compat.len()).collect();
    order.sort_by_key(|&i| (compat[i].len(), set.keys[i], i));
    order
}

struct Search<'s, 'a> {
    set: &'s RowSet<'a>,
    caps: &'s [Vec<Option<Vec<Capture>>>],
    compat: &'s [Vec<usize>],
    order: Vec<usize>,
    out: Vec<Env>,
}

impl Search<'_, '_> {
    /// Depth-first over `order[k..]`; `chosen[k]` is the actual row given to `order[k]`.
    fn run(
        &mut self,
        k: usize,
        env: &Env,
        chosen: &mut Vec<Option<usize>>,
        used: &mut Vec<bool>,
        limits: &mut Limits,
    ) {
        if self.out.len() >= limits.solutions || limits.budget == 0 {
            return;
        }
        if k == self.order.len() {
            if !self.out.contains(env) {
                self.out.push(env.clone());
            }
            return;
        }
        let i = self.order[k];
        // Equal expected rows are interchangeable: take their actual rows in
        // increasing order only, so n equal rows do not cost n! steps.
        let floor = match k.checked_sub(1) {
            Some(prev) if self.set.keys[self.order[prev]] == self.set.keys[i] => {
                chosen[prev].map_or(0, |j| j + 1)
            }
            _ => 0,
        };
        let mut tried: Vec<&str> = Vec::new();
        for &j in &self.compat[i] {
            let actual = self.set.actual[j].as_str();
            // Equal actual rows give equal bindings: trying one is enough.
            if j < floor || used[j] || tried.contains(&actual) {
                continue;
            }
            tried.push(actual);
            limits.budget = limits.budget.saturating_sub(1);
            let caps = self.caps[i][j].as_deref().expect("compatible rows matched");
            if let Ok(next) = env.extended(caps) {
                used[j] = true;
                chosen[k] = Some(j);
                self.run(k + 1, &next, chosen, used, limits);
                used[j] = false;
                chosen[k] = None;
            }
            if self.out.len() >= limits.solutions || limits.budget == 0 {
                return;
            }
        }
    }
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
}
