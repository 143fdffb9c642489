//! The shape of an output: plain lines, `...` lines and kubectl tables.
//!
//! Both sides are read with the same rules, so a table in the expected text
//! is compared with the table at the same place in the actual output.

/// Splits a line into cells on runs of two or more spaces (or tabs).
///
/// kubectl pads columns with at least three spaces, while cells such as
/// `12 (24m ago)` and headers such as `NOMINATED NODE` contain single spaces.
pub(crate) fn cells(line: &str) -> Vec<&str> {
    let text = line.trim();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b' ' || bytes[i] == b'\t' {
            let gap_start = i;
            while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
                i += 1;
            }
            let gap = &text[gap_start..i];
            if gap.len() >= 2 || gap.contains('\t') {
                out.push(&text[start..gap_start]);
                start = i;
            }
        } else {
            i += 1;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The number of leading spaces (a tab counts as one).
pub(crate) fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// A line that is only dots (`...`, and the `......` tutorials also use).
pub(crate) fn is_ellipsis(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.bytes().all(|b| b == b'.')
}

/// A kubectl header: two or more upper-case cells (`NAME`, `PORT(S)`, `NOMINATED NODE`).
fn is_upper_header(line: &str) -> bool {
    let cells = cells(line);
    cells.len() >= 2
        && cells[0].starts_with(|c: char| c.is_ascii_uppercase())
        && cells.iter().all(|c| {
            c.bytes().any(|b| b.is_ascii_uppercase()) && !c.bytes().any(|b| b.is_ascii_lowercase())
        })
}

/// A rule under a describe-style header (`----    ------`).
fn is_rule(line: &str) -> bool {
    let cells = cells(line);
    !cells.is_empty() && cells.iter().all(|c| c.len() >= 2 && c.bytes().all(|b| b == b'-'))
}

/// Where a table starts: its header and optional rule, or `None`.
fn header_at(lines: &[&str], i: usize) -> Option<(usize, Option<usize>)> {
    let next = lines.get(i + 1).copied();
    let ruled = next.is_some_and(|n| is_rule(n) && cells(n).len() == cells(lines[i]).len());
    if ruled && cells(lines[i]).len() >= 2 {
        return Some((i, Some(i + 1)));
    }
    (is_upper_header(lines[i]) && next.is_some_and(|n| !n.trim().is_empty())).then_some((i, None))
}

/// Minimum cells for a line to continue a table with a header: any line up
/// to the next blank or dedented one, so a row whose padding a blog
/// collapsed still belongs to its table.
const HEADER_ROW_CELLS: usize = 1;
/// Minimum cells for a header-less run of rows (`kubectl get ... | grep x`).
const BARE_ROW_CELLS: usize = 3;

/// Whether `line` continues a table indented by `table_indent`.
fn is_row(line: &str, table_indent: usize, min_cells: usize) -> bool {
    !line.trim().is_empty() && indent(line) >= table_indent && cells(line).len() >= min_cells
}

/// A table in an output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Table {
    /// The header line, if any.
    pub header: Option<usize>,
    /// The `----` rule under a describe-style header.
    pub rule: Option<usize>,
    /// Row lines.
    pub rows: Vec<usize>,
    /// `...` lines among the rows (expected side): rows may be left unmatched.
    pub open: bool,
    /// The last line of the run was `...`: lines after the table are free too.
    pub trailing_ellipsis: bool,
    /// Indentation of the header (or first row).
    pub indent: usize,
}

impl Table {
    /// The end of the run of rows starting at `from`.
    pub(crate) fn run_end<S: AsRef<str>>(&self, lines: &[S], from: usize, ellipsis: bool) -> usize {
        let min = if self.header.is_some() { HEADER_ROW_CELLS } else { BARE_ROW_CELLS };
        let mut i = from;
        while i < lines.len()
            && ((ellipsis && is_ellipsis(lines[i].as_ref()))
                || is_row(lines[i].as_ref(), self.indent, min))
        {
            i += 1;
        }
        i
    }
}

/// One block of an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// A line compared as a whole.
    Line(usize),
    /// A `...` line: any number of lines.
    Ellipsis(usize),
    /// A table: rows compared as a set.
    Table(Table),
}

/// Splits `lines` into blocks. With `ellipsis`, `...` lines are wildcards
/// (expected side); otherwise they are ordinary lines.
pub(crate) fn blocks(lines: &[&str], ellipsis: bool) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if ellipsis && is_ellipsis(lines[i]) {
            out.push(Block::Ellipsis(i));
            i += 1;
        } else if let Some((header, rule)) = header_at(lines, i) {
            let table =
                Table { header: Some(header), rule, indent: indent(lines[i]), ..Table::default() };
            i = collect_rows(table, lines, rule.unwrap_or(header) + 1, ellipsis, &mut out);
        } else if is_row(lines[i], 0, BARE_ROW_CELLS) {
            let table = Table { indent: indent(lines[i]), ..Table::default() };
            i = collect_rows(table, lines, i, ellipsis, &mut out);
        } else {
            out.push(Block::Line(i));
            i += 1;
        }
    }
    out
}

/// Fills `table` with the rows from `from`, pushes it, returns the next index.
fn collect_rows(
    mut table: Table,
    lines: &[&str],
    from: usize,
    ellipsis: bool,
    out: &mut Vec<Block>,
) -> usize {
    let end = table.run_end(lines, from, ellipsis);
    for (i, line) in lines.iter().enumerate().take(end).skip(from) {
        if ellipsis && is_ellipsis(line) {
            table.open = true;
        } else {
            table.rows.push(i);
        }
    }
    table.trailing_ellipsis = ellipsis && end > from && is_ellipsis(lines[end - 1]);
    out.push(Block::Table(table));
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_split_on_two_spaces() {
        assert_eq!(
            cells("testpod                      1/1     Running   12 (24m ago)   24h"),
            vec!["testpod", "1/1", "Running", "12 (24m ago)", "24h"]
        );
        assert_eq!(
            cells("  NOMINATED NODE   READINESS GATES  "),
            vec!["NOMINATED NODE", "READINESS GATES"]
        );
        assert_eq!(cells(""), Vec::<&str>::new());
    }

    #[test]
    fn kubectl_table_with_header() {
        let lines = ["NAME   READY", "a-1    1/1", "b      1/1", "", "after"];
        assert_eq!(
            blocks(&lines, true),
            vec![
                Block::Table(Table { header: Some(0), rows: vec![1, 2], ..Table::default() }),
                Block::Line(3),
                Block::Line(4),
            ]
        );
    }

    #[test]
    fn describe_events_table_with_rule() {
        let lines = [
            "Events:",
            "  Type    Reason     Age   From     Message",
            "  ----    ------     ----  ----     -------",
            "  Normal  Scheduled  103s  default  Successfully assigned",
            "Next:  x",
        ];
        let b = blocks(&lines, true);
        assert_eq!(b[0], Block::Line(0));
        assert_eq!(
            b[1],
            Block::Table(Table {
                header: Some(1),
                rule: Some(2),
                rows: vec![3],
                indent: 2,
                ..Table::default()
            })
        );
        assert_eq!(b[2], Block::Line(4));
    }

    #[test]
    fn headerless_rows_and_ellipsis() {
        let lines = ["testjobv3--1-4dcpb   0/1   Completed   0", "......", "tail"];
        assert_eq!(
            blocks(&lines, true),
            vec![
                Block::Table(Table {
                    rows: vec![0],
                    open: true,
                    trailing_ellipsis: true,
                    ..Table::default()
                }),
                Block::Line(2),
            ]
        );
        assert_eq!(blocks(&["...", "x"], true), vec![Block::Ellipsis(0), Block::Line(1)]);
        assert_eq!(blocks(&["...", "x"], false), vec![Block::Line(0), Block::Line(1)]);
    }

    #[test]
    fn describe_key_values_are_lines() {
        let lines = ["Name:         test-nginx-59ffd87f5-mqvjq", "Labels:       app=test-nginx"];
        assert_eq!(blocks(&lines, true), vec![Block::Line(0), Block::Line(1)]);
    }
}
