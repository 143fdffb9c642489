//! What each running scenario is doing right now: the scenario, its step,
//! and the virtual time its cluster has covered. Workers write it as they
//! go; the CLI's progress line (a terminal only, after a couple of seconds)
//! reads it. Nothing here prints.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::Mutex,
    time::Duration,
};

/// One running scenario's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The checked step being run (1-based, as in reports).
    pub step: usize,
    /// How many checked steps the scenario has.
    pub total: usize,
    /// Virtual time since the scenario started.
    pub virtual_time: Duration,
}

/// The positions of the scenarios running now, by file.
#[derive(Debug, Default)]
pub struct Progress {
    running: Mutex<BTreeMap<PathBuf, Position>>,
}

impl Progress {
    /// Records where the scenario in `path` is.
    pub fn set(&self, path: &Path, position: Position) {
        if let Ok(mut running) = self.running.lock() {
            match running.get_mut(path) {
                Some(p) => *p = position,
                None => {
                    running.insert(path.to_path_buf(), position);
                }
            }
        }
    }

    /// The scenario in `path` has finished.
    pub fn done(&self, path: &Path) {
        if let Ok(mut running) = self.running.lock() {
            running.remove(path);
        }
    }

    /// The running scenarios, by file.
    pub fn snapshot(&self) -> Vec<(PathBuf, Position)> {
        self.running
            .lock()
            .map(|r| r.iter().map(|(p, pos)| (p.clone(), pos.clone())).collect())
            .unwrap_or_default()
    }

    /// One line for a terminal: the first running scenario, its step and
    /// virtual time, and how many others run beside it.
    pub fn line(&self) -> Option<String> {
        let running = self.snapshot();
        let (path, pos) = running.first()?;
        let others = match running.len() - 1 {
            0 => String::new(),
            n => format!(" (+{n} more running)"),
        };
        Some(format!(
            "{}: step {}/{}, virtual time {}{others}",
            path.display(),
            pos.step,
            pos.total,
            clock(pos.virtual_time)
        ))
    }
}

/// Virtual time as `1h2m5s`, `2m5s`, `5s`.
fn clock(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_names_the_first_running_scenario() {
        let p = Progress::default();
        assert_eq!(p.line(), None);
        let at = |step, secs| Position { step, total: 9, virtual_time: Duration::from_secs(secs) };
        p.set(Path::new("b.md"), at(2, 5));
        p.set(Path::new("a.md"), at(4, 125));
        assert_eq!(p.line().unwrap(), "a.md: step 4/9, virtual time 2m5s (+1 more running)");
        p.done(Path::new("a.md"));
        assert_eq!(p.line().unwrap(), "b.md: step 2/9, virtual time 5s");
        assert_eq!(clock(Duration::from_secs(3 * 3600 + 7)), "3h0m7s");
    }
}
