//! Text layout of tab-separated cells, as Go's `text/tabwriter` (and
//! kubectl's fork `github.com/liggitt/tabwriter`) does it.
//!
//! kubectl lays out two kinds of output with it:
//! - `get` tables: `cli-runtime/pkg/printers/tabwriter.go` —
//!   minwidth 6, tabwidth 4, padding 3, space padding ([`GET`]);
//! - `describe` and `rollout history`: `kubectl/pkg/describe/describe.go`
//!   `tabbedString` — minwidth 0, tabwidth 8, padding 2 ([`DESCRIBE`]).
//!
//! Why not the `tabwriter` crate: it pads to `max(minwidth, width) + padding`
//! where Go pads to `max(minwidth, width + padding)` (so `READY` would get a
//! 9-wide column instead of 8 with minwidth 6), and it measures Unicode
//! display width where Go counts runes. Both would break byte-exactness, so
//! this module mirrors Go's `format`/`writeLines` directly.
//!
//! Rules (Go `text/tabwriter`): a cell is text terminated by `\t`; the text
//! after a line's last tab is not part of any column and is never padded.
//! A column block is a run of consecutive lines that all have a cell in that
//! column; its width is `max(minwidth, longest cell + padding)`. Blocks of
//! column `c+1` nest inside blocks of column `c`.

/// Tabwriter settings that matter for space padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Minimal cell width including padding.
    pub minwidth: usize,
    /// Padding added to the widest cell of a column.
    pub padding: usize,
}

/// `kubectl get` (`printers.GetNewTabWriter`): minwidth 6, padding 3.
pub const GET: Settings = Settings { minwidth: 6, padding: 3 };

/// `kubectl describe` (`tabbedString`): minwidth 0, padding 2.
pub const DESCRIBE: Settings = Settings { minwidth: 0, padding: 2 };

/// Lays out `text` (cells separated by `\t`, lines by `\n`).
pub fn layout(text: &str, settings: Settings) -> String {
    format_text(text, settings, None)
}

fn format_text(text: &str, settings: Settings, remembered: Option<&mut Vec<usize>>) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut writer =
        Writer { lines: &lines, settings, widths: Vec::new(), remembered, out: String::new() };
    writer.format(0, lines.len());
    writer.out
}

/// A tabwriter that keeps flushing into one output with liggitt/tabwriter's
/// `RememberWidths` flag, as `printers.GetNewTabWriter` sets it: a column is
/// never narrower than it was in an earlier flush. `kubectl get -w` flushes
/// after the initial list and after every watch event
/// (`kubectl/pkg/cmd/get/get.go` `watch`), so each event's row is laid out
/// alone but keeps the widths the table had (a longer cell widens its column
/// for the rows after it).
#[derive(Debug, Clone)]
pub struct RememberingWriter {
    settings: Settings,
    remembered: Vec<usize>,
}

impl RememberingWriter {
    /// A writer with nothing remembered yet.
    pub fn new(settings: Settings) -> RememberingWriter {
        RememberingWriter { settings, remembered: Vec::new() }
    }

    /// Lays out one flush's worth of `text`, remembering its widths.
    pub fn flush(&mut self, text: &str) -> String {
        format_text(text, self.settings, Some(&mut self.remembered))
    }
}

struct Writer<'a> {
    lines: &'a [Vec<&'a str>],
    settings: Settings,
    widths: Vec<usize>,
    /// `maxwidths` under `RememberWidths` (liggitt/tabwriter `format`).
    remembered: Option<&'a mut Vec<usize>>,
    out: String,
}

impl Writer<'_> {
    /// Go `(*Writer).format`.
    fn format(&mut self, line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut line0 = line0;
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            // Print unprinted lines until the beginning of the block.
            self.write_lines(line0, this);
            line0 = this;
            // Column block.
            let mut width = self.settings.minwidth;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                width = width.max(line[column].chars().count() + self.settings.padding);
                this += 1;
            }
            if let Some(max) = self.remembered.as_deref_mut() {
                if max.len() < self.widths.len() {
                    max.extend_from_slice(&self.widths[max.len()..]);
                }
                match max.get_mut(column) {
                    None => max.push(width),
                    Some(m) if *m > width => width = *m,
                    Some(m) => *m = width,
                }
            }
            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }

    /// Go `(*Writer).writeLines`.
    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            for (j, cell) in self.lines[i].iter().enumerate() {
                self.out.push_str(cell);
                if let Some(&width) = self.widths.get(j) {
                    let used = cell.chars().count();
                    self.out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_table_matches_seed() {
        let text = "NAME\tREADY\tSTATUS\tRESTARTS\tAGE\n\
                    test-nginx-59ffd87f5-mqvjq\t1/1\tRunning\t0\t58s\n\
                    testpod\t1/1\tRunning\t12 (24m ago)\t24h\n";
        assert_eq!(
            layout(text, GET),
            "NAME                         READY   STATUS    RESTARTS       AGE\n\
             test-nginx-59ffd87f5-mqvjq   1/1     Running   0              58s\n\
             testpod                      1/1     Running   12 (24m ago)   24h\n"
        );
    }

    #[test]
    fn minwidth_applies_to_short_columns() {
        // `READY` (5) + 3 = 8 wide; a 1-char column is still 6 wide.
        assert_eq!(layout("a\tb\tc\n", GET), "a     b     c\n");
    }

    #[test]
    fn lines_without_tabs_end_blocks() {
        let text = "Name:\tx\nIPs:\n  IP:\t10.244.1.7\nControlled By:\tReplicaSet/x\n";
        assert_eq!(
            layout(text, DESCRIBE),
            "Name:  x\nIPs:\n  IP:           10.244.1.7\nControlled By:  ReplicaSet/x\n"
        );
    }

    #[test]
    fn trailing_empty_cell_pads_previous_column() {
        // describe's condition rows end with a tab-terminated cell.
        let text = "  Type\tStatus\n  Initialized \tTrue \n  Ready \tTrue \n";
        assert_eq!(
            layout(text, DESCRIBE),
            "  Type          Status\n  Initialized   True \n  Ready         True \n"
        );
    }

    #[test]
    fn remembered_widths_carry_over_flushes() {
        // `kubectl get pods -w`: the header's widths hold for the event rows;
        // a longer STATUS widens that column from then on.
        let mut w = RememberingWriter::new(GET);
        assert_eq!(
            w.flush("NAME\tREADY\tSTATUS\tRESTARTS\tAGE\nweb\t0/1\tPending\t0\t0s\n"),
            "NAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Pending   0          0s\n"
        );
        assert_eq!(
            w.flush("web\t0/1\tContainerCreating\t0\t1s\n"),
            "web    0/1     ContainerCreating   0          1s\n"
        );
        assert_eq!(
            w.flush("web\t1/1\tRunning\t0\t9s\n"),
            "web    1/1     Running             0          9s\n"
        );
    }

    #[test]
    fn runes_not_bytes() {
        assert_eq!(layout("é\tx\nab\ty\n", DESCRIBE), "é   x\nab  y\n");
    }
}
