//! Snapshot naming: one `insta` snapshot per scenario under `snapshots/`,
//! holding its normalised transcript (DESIGN.md §5).

use std::path::Path;

/// The snapshot name for a scenario path: `scenarios/seed/01-deploy.md` →
/// `seed__01-deploy`. Stable across machines (relative path, `/` separators).
pub fn snapshot_name(scenario: &Path, root: &Path) -> String {
    let relative = scenario.strip_prefix(root).unwrap_or(scenario);
    let without_ext = relative.with_extension("");
    without_ext
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != "." && c != "scenarios")
        .collect::<Vec<_>>()
        .join("__")
}

/// A 64-bit key from a scenario path (FNV-1a over its `/`-separated
/// relative form). Not a simulator seed (the simulator never depends on
/// the path); the real-cluster backend uses it in namespace names.
pub fn path_seed(scenario: &Path) -> u64 {
    let text = scenario.to_string_lossy().replace('\\', "/");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.trim_start_matches("./").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_seeds_are_stable() {
        assert_eq!(
            snapshot_name(Path::new("scenarios/seed/01-deploy.md"), Path::new(".")),
            "seed__01-deploy"
        );
        assert_eq!(
            path_seed(Path::new("./scenarios/a.md")),
            path_seed(Path::new("scenarios/a.md"))
        );
        assert_ne!(path_seed(Path::new("scenarios/a.md")), path_seed(Path::new("scenarios/b.md")));
    }
}
