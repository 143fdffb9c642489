//! Finding scenario files under the paths a user gives.

use std::path::{Path, PathBuf};

/// Whether `path` names a scenario file by its extension.
pub fn is_scenario_file(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "markdown" | "yaml" | "yml"))
        && path
            .file_name()
            .and_then(|n| n.to_str())
            .is_none_or(|n| !n.eq_ignore_ascii_case("README.md"))
}

/// Expands files and folders into scenario files, sorted, folders walked
/// recursively. A path that does not exist is an error naming it.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out).map_err(|e| format!("{}: {e}", path.display()))?;
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            return Err(format!("{}: no such file or directory", path.display()));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            walk(&entry, out)?;
        } else if is_scenario_file(&entry) {
            out.push(entry);
        }
    }
    Ok(())
}
