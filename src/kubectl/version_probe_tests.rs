//! Every version fact (`crate::version::facts`) tested on both sides of
//! its boundary: a probe's command run on a kubeadm cluster of the last
//! minor before the change prints the old form, and on one of the first
//! minor with it the new form.

use crate::{
    output::CommandOutput,
    sim::{Cluster, profiles::profile_at},
    version::{
        KubeVersion,
        facts::{CHANGES, Change, Check, Probe},
    },
    workspace::Workspace,
};

fn run(cluster: &mut Cluster, workspace: &Workspace, line: &str) -> CommandOutput {
    let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    super::run(cluster, &argv, workspace)
}

/// The probe's command output on a fresh cluster of `minor`.
fn probe_output(probe: &Probe, minor: u32) -> String {
    let mut config = profile_at("kubeadm", KubeVersion::new(1, minor, 0)).expect("kubeadm profile");
    // kubectl in UTC: pages that print a zone (`describe networkpolicy`'s
    // `Created on:`) are emulated there only.
    config.utc_offset_seconds = 0;
    let mut cluster = Cluster::new(config);
    let mut workspace = Workspace::default();
    for (path, content) in probe.files {
        workspace.write(path, *content);
    }
    for line in probe.setup {
        let out = run(&mut cluster, &workspace, line);
        if out.status != 0 {
            return format!(
                "setup `{line}` failed: {}{}\n",
                out.merged(),
                out.unsupported.unwrap_or_default()
            );
        }
        cluster.settle(10_000);
    }
    let out = run(&mut cluster, &workspace, probe.command);
    // What kubeplay reports unsupported is a form too: the old side of a
    // behaviour it emulates from one release on.
    match out.unsupported {
        Some(what) => format!("unsupported: {what}\n"),
        None => out.merged(),
    }
}

/// The failure of `change`'s probe on the side at `minor`, if any.
fn check_side(change: &Change, probe: &Probe, minor: u32) -> Option<String> {
    let (shown, absent) = if minor < change.since {
        (probe.before, probe.after)
    } else {
        (probe.after, probe.before)
    };
    let out = probe_output(probe, minor);
    // A form is a regular expression (multi-line); an empty form is
    // "prints nothing".
    let found = |form: &str| {
        regex::Regex::new(&format!("(?m){form}")).expect("probe form is a regex").is_match(&out)
    };
    let shows = if shown.is_empty() { out.is_empty() } else { found(shown) };
    (!shows || (!absent.is_empty() && found(absent))).then(|| {
        format!(
            "{:?} at v1.{minor}: `{}` should print {shown:?} and not {absent:?}, printed:\n{out}",
            change.fact, probe.command
        )
    })
}

#[test]
fn every_probe_shows_both_forms() {
    // `KUBEPLAY_PROBE_FACTS=A,B` runs the probes of those facts only.
    let only = std::env::var("KUBEPLAY_PROBE_FACTS").ok();
    let mut sides = Vec::new();
    for change in CHANGES {
        let Check::Probe(probe) = change.check else { continue };
        let name = format!("{:?}", change.fact);
        if only.as_deref().is_some_and(|o| !o.split(',').any(|f| f == name)) {
            continue;
        }
        sides.push((change, probe, change.since - 1));
        sides.push((change, probe, change.since));
    }
    // Each side is a cluster of its own: spread them over the cores.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut failures: Vec<(usize, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((change, probe, minor)) = sides.get(i) else { break };
                        if let Some(failure) = check_side(change, probe, *minor) {
                            found.push((i, failure));
                        }
                    }
                    found
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("probe worker")).collect()
    });
    failures.sort();
    let failures: Vec<String> = failures.into_iter().map(|(_, f)| f).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A fact checked by a unit test names a test that exists.
#[test]
fn every_named_test_exists() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut sources = String::new();
    let mut dirs = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    for change in CHANGES {
        if let Check::Test(name) = change.check {
            assert!(
                sources.contains(&format!("fn {name}(")),
                "{:?} names test `{name}`, which does not exist",
                change.fact
            );
        }
    }
}
