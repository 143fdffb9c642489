//! Tables as github.com/olekukonko/tablewriter v0.0.5 draws them with
//! borders (`NewWriter`, `SetHeader`, `SetBorders` all sides,
//! `SetCenterSeparator("|")`), as minikube prints its service list:
//! headers upper-cased and centred, numbers right-aligned and other cells
//! left-aligned (`ALIGN_DEFAULT`), one space of padding, a cell's lines
//! stacked (`table.go` `Render`, `util.go` `Title`/`Pad`).

/// `Title`: `_` as a space, a `.` not inside a number as a space,
/// trimmed, upper-cased (the header auto-format).
fn title(header: &str) -> String {
    let chars: Vec<char> = header.chars().collect();
    let num_or_space = |c: Option<&char>| c.is_none_or(|c| c.is_ascii_digit() || *c == ' ');
    let mapped: String = chars
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            '_' => ' ',
            '.' if (i > 0 && !num_or_space(chars.get(i - 1)))
                || (i + 1 < chars.len() && !num_or_space(chars.get(i + 1))) =>
            {
                ' '
            }
            c => *c,
        })
        .collect();
    mapped.trim().to_uppercase()
}

/// The `decimal` expression tablewriter aligns right:
/// `^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$`.
fn is_number(cell: &str) -> bool {
    let s = cell.trim();
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let grouped = {
        let groups: Vec<&str> = int.split(',').collect();
        groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && digits(groups[0])
            && groups[1..].iter().all(|g| g.len() == 3 && digits(g))
    };
    (digits(int) || grouped) && frac.is_none_or(digits)
}

/// `Pad`: centred, the odd space on the right.
fn centre(s: &str, width: usize) -> String {
    let gap = width.saturating_sub(s.chars().count());
    let left = gap / 2;
    format!("{}{s}{}", " ".repeat(left), " ".repeat(gap - left))
}

/// The table of `rows` under `headers`.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let columns = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| title(h).chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            for line in cell.split('\n') {
                widths[i] = widths[i].max(line.chars().count());
            }
        }
    }
    let rule = {
        let parts: Vec<String> = widths.iter().map(|w| "-".repeat(w + 2)).collect();
        format!("|{}|\n", parts.join("|"))
    };
    let mut out = rule.clone();
    let heads: Vec<String> =
        headers.iter().zip(&widths).map(|(h, w)| format!(" {} ", centre(&title(h), *w))).collect();
    out.push_str(&format!("|{}|\n", heads.join("|")));
    out.push_str(&rule);
    for row in rows {
        let cells: Vec<Vec<&str>> = (0..columns)
            .map(|i| row.get(i).map_or(vec![""], |c| c.split('\n').collect()))
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for line in 0..height {
            let parts: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(cell, w)| {
                    let text = cell.get(line).copied().unwrap_or("");
                    if is_number(text) { format!(" {text:>w$} ") } else { format!(" {text:<w$} ") }
                })
                .collect();
            out.push_str(&format!("|{}|\n", parts.join("|")));
        }
    }
    out.push_str(&rule);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// minikube's service list (`PrintServiceList`): a header row between
    /// rules, a right-aligned port.
    #[test]
    fn a_bordered_table_with_a_number_column() {
        let rows = vec![vec![
            "default".to_owned(),
            "hello-node".to_owned(),
            "8080".to_owned(),
            "http://192.168.49.2:31234".to_owned(),
        ]];
        assert_eq!(
            render(&["Namespace", "Name", "Target Port", "URL"], &rows),
            "|-----------|------------|-------------|---------------------------|\n\
             | NAMESPACE |    NAME    | TARGET PORT |            URL            |\n\
             |-----------|------------|-------------|---------------------------|\n\
             | default   | hello-node |        8080 | http://192.168.49.2:31234 |\n\
             |-----------|------------|-------------|---------------------------|\n"
        );
        assert!(is_number("8080") && is_number("-1,500.5") && !is_number("1e3"));
        assert!(!is_number("http/80") && !is_number(""));
        assert_eq!(title("target_port"), "TARGET PORT");
    }
}
