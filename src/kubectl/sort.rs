//! `kubectl get --sort-by=<jsonpath>` (`kubectl/pkg/cmd/get/sorter.go`):
//! objects are ordered by the first value the path finds in each, compared
//! as `isLess` does for unstructured values — numbers numerically, strings
//! as quantities when both parse as one (`"250m" < "1"`), else in natural
//! order (`web-2 < web-10`); an object without the field sorts first.
//!
//! Go sorts with `sort.Sort`, which for the short lists of tutorials
//! (fewer than 12 items) is an insertion sort and so keeps ties in their
//! listed order; this uses a stable sort, which agrees.

use std::cmp::Ordering;

use serde_json::Value;

use super::{
    error::KubectlError,
    jsonpath::{JsonPath, Val},
    printers::generic::relaxed_json_path,
};
use crate::quantity;

/// Which `get` path sorts: tables (`NewTableSorter`, which keeps an
/// unparsable relaxed path as typed and only sorts two rows or more) or
/// generic output (`SortObjects`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Human-readable tables.
    Table,
    /// `-o name|yaml|json|jsonpath|custom-columns`.
    Generic,
}

/// Sorts `items` (the JSON form of each object, with a payload) by `field`.
pub fn sort_by<T>(
    items: &mut Vec<(Value, T)>,
    field: &str,
    mode: Mode,
) -> Result<(), KubectlError> {
    if mode == Mode::Table && items.len() <= 1 || mode == Mode::Generic && items.is_empty() {
        return Ok(());
    }
    let field = match (relaxed_json_path(field), mode) {
        (Ok(f), _) => f,
        (Err(_), Mode::Table) => field.to_owned(),
        (Err(e), Mode::Generic) => return Err(KubectlError::msg(e)),
    };
    let parser = JsonPath::parse(&field)
        .map_err(|e| match mode {
            Mode::Table => KubectlError::msg(format!("sorting error: {e}")),
            Mode::Generic => KubectlError::msg(e.0),
        })?
        .allow_missing_keys(true);
    let mut keys: Vec<Option<Val>> = Vec::with_capacity(items.len());
    for (value, _) in items.iter() {
        let results = parser.find_results(value).map_err(KubectlError::msg)?;
        keys.push(results.into_iter().next().and_then(|r| r.into_iter().next()));
    }
    if keys.iter().all(Option::is_none) {
        return Err(KubectlError::msg(format!(
            "couldn't find any field with path \"{field}\" in the list of objects"
        )));
    }
    let mut keyed: Vec<(Option<Val>, (Value, T))> = keys.into_iter().zip(items.drain(..)).collect();
    keyed.sort_by(|(a, _), (b, _)| compare(a.as_ref(), b.as_ref()));
    items.extend(keyed.into_iter().map(|(_, item)| item));
    Ok(())
}

/// `RuntimeSort.Less` turned into an ordering.
fn compare(a: Option<&Val>, b: Option<&Val>) -> Ordering {
    let less = |x: Option<&Val>, y: Option<&Val>| match (x, y) {
        (None, _) => true,
        (_, None) => false,
        (Some(x), Some(y)) => is_less(x, y),
    };
    if less(a, b) && !less(b, a) {
        Ordering::Less
    } else if less(b, a) && !less(a, b) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// `isLess` for values of an unstructured object; pairs Go cannot compare
/// (kubectl exits on them) are treated as equal.
fn is_less(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Json(Value::Null), Val::Json(Value::Null)) => false,
        (Val::Json(Value::Null), _) => true,
        (_, Val::Json(Value::Null)) => false,
        (Val::Json(Value::Number(x)), Val::Json(Value::Number(y))) => {
            match (x.as_i64(), y.as_i64()) {
                (Some(x), Some(y)) => x < y,
                (None, None) => x.as_f64() < y.as_f64(),
                _ => false,
            }
        }
        (Val::Json(Value::String(x)), Val::Json(Value::String(y))) => {
            match (quantity::parse(x), quantity::parse(y)) {
                (Some(qx), Some(qy)) => qx < qy,
                _ => natural_less(x, y),
            }
        }
        _ => false,
    }
}

/// `sortorder.NaturalLess` (`github.com/fvbommel/sortorder`): digit runs
/// compare as numbers, digits sort before other characters.
pub fn natural_less(s1: &str, s2: &str) -> bool {
    let (a, b) = (s1.as_bytes(), s2.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (c1, c2) = (a[i], b[j]);
        let (d1, d2) = (c1.is_ascii_digit(), c2.is_ascii_digit());
        if d1 != d2 {
            return d1;
        }
        if !d1 {
            if c1 != c2 {
                return c1 < c2;
            }
            i += 1;
            j += 1;
            continue;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let (nz1, nz2) = (i, j);
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if i - nz1 != j - nz2 {
            return i - nz1 < j - nz2;
        }
        if a[nz1..i] != b[nz2..j] {
            return a[nz1..i] < b[nz2..j];
        }
        if nz1 != nz2 {
            return nz1 < nz2;
        }
    }
    a.len() < b.len()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn natural_order() {
        assert!(natural_less("web-2", "web-10"));
        assert!(!natural_less("web-10", "web-2"));
        assert!(natural_less("a", "b"));
        assert!(natural_less("1a", "a"));
        assert!(natural_less("10.244.1.9", "10.244.1.10"));
        assert!(natural_less("x", "x1"));
    }

    #[test]
    fn sorts_and_reports_missing_fields() {
        let mut items: Vec<(Value, &str)> = vec![
            (json!({"metadata": {"name": "b"}, "spec": {"replicas": 10}}), "b"),
            (json!({"metadata": {"name": "a"}, "spec": {"replicas": 2}}), "a"),
            (json!({"metadata": {"name": "c"}}), "c"),
        ];
        sort_by(&mut items, ".spec.replicas", Mode::Table).unwrap();
        assert_eq!(items.iter().map(|i| i.1).collect::<Vec<_>>(), vec!["c", "a", "b"]);
        sort_by(&mut items, "{.metadata.name}", Mode::Generic).unwrap();
        assert_eq!(items.iter().map(|i| i.1).collect::<Vec<_>>(), vec!["a", "b", "c"]);
        assert_eq!(
            sort_by(&mut items, ".nope", Mode::Table).unwrap_err().render(22),
            "error: couldn't find any field with path \"{.nope}\" in the list of objects\n"
        );
    }
}
