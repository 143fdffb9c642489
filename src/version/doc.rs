//! `docs/versions.md`, generated from [`super::facts::CHANGES`]: what
//! changed at each release, for readers who do not read Rust.

use super::facts::{CHANGES, Check, Range, Side};
use std::fmt::Write as _;

/// The page's Markdown.
pub fn render() -> String {
    let mut page = String::from(
        "# What changed, release by release\n\n\
         Generated from `src/version/facts.rs` by `cargo test` \
         (`KUBEPLAY_BLESS_DOCS=1 cargo test --lib versions_doc` rewrites it); \
         do not edit by hand.\n\n\
         Each entry is one behaviour kubeplay reproduces differently on the two \
         sides of a release: the first release with the new form, who changed \
         (kubectl or the cluster), the upstream source, and how it is tested. \
         Boundaries marked *unconfirmed* were not pinned in the release sources.\n",
    );
    let mut minors: Vec<u32> = CHANGES.iter().map(|c| c.since).collect();
    minors.sort_unstable();
    minors.dedup();
    let confirmed = CHANGES.iter().filter(|c| c.range == Range::Confirmed).count();
    let _ = writeln!(
        page,
        "\n{} changes, {confirmed} confirmed, {} unconfirmed.",
        CHANGES.len(),
        CHANGES.len() - confirmed
    );
    for minor in minors {
        let _ = writeln!(page, "\n## v1.{minor}\n");
        for change in CHANGES.iter().filter(|c| c.since == minor) {
            let side = match change.side {
                Side::Kubectl => "kubectl",
                Side::Cluster => "cluster",
            };
            // A change cherry-picked into a patch release says which.
            let patch = match change.since_patch {
                0 => String::new(),
                p => format!(" *from v1.{minor}.{p}*"),
            };
            let _ = writeln!(page, "- **{side}**{patch} — {} (`{:?}`)", change.what, change.fact);
            let _ = writeln!(page, "  - source: {}", change.source);
            if let Range::Unconfirmed(why) = change.range {
                let _ = writeln!(page, "  - range *unconfirmed*: {why}");
            }
            match change.check {
                Check::Probe(p) => {
                    let _ = writeln!(page, "  - probe: `{}`", p.command);
                }
                Check::Test(name) => {
                    let _ = writeln!(page, "  - test: `{name}`");
                }
            }
        }
    }
    page
}

#[cfg(test)]
mod tests {
    /// The committed page is the generated one.
    #[test]
    fn versions_doc_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/versions.md");
        let page = super::render();
        if std::env::var_os("KUBEPLAY_BLESS_DOCS").is_some() {
            std::fs::write(path, &page).expect("write docs/versions.md");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == page,
            "docs/versions.md is stale: run `KUBEPLAY_BLESS_DOCS=1 cargo test --lib versions_doc`"
        );
    }
}
