//! What a reading `kubectl get` depends on, so that the runner can tell that
//! running it again would print the same thing (DESIGN §4: a reading
//! command is re-evaluated only when something it reads has changed). `get`
//! prints the objects of the kinds it names (`get.rs` lists or gets them),
//! through printers that take only those objects, the clock (ages) and the
//! version. A command line this does not fully understand — another verb,
//! an unknown flag, `-f`, `--as`, `--raw`, a word that does not resolve —
//! answers `None`, and the command is simply run again.

use super::resource;
use crate::sim::{Kind, registry::Registry};

/// `get` flags that take a value and do not make the command read anything
/// beyond the kinds it names.
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "-l",
    "--selector",
    "-o",
    "--output",
    "--field-selector",
    "-L",
    "--label-columns",
    "--sort-by",
    "--template",
    "--chunk-size",
];

/// `get` flags without a value, of the same sort.
const BOOL_FLAGS: &[&str] = &[
    "-A",
    "--all-namespaces",
    "--no-headers",
    "--show-labels",
    "--show-kind",
    "--ignore-not-found",
    "--show-managed-fields",
    "--allow-missing-template-keys",
];

/// The kinds whose objects the output of `argv` (`kubectl get ...`) is a
/// function of, besides the clock; `None` when that cannot be told.
pub fn get_reads(registry: &Registry, argv: &[String]) -> Option<Vec<Kind>> {
    let [kubectl, verb, rest @ ..] = argv else { return None };
    if kubectl != "kubectl" || verb != "get" {
        return None;
    }
    let mut args = Vec::new();
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        if !word.starts_with('-') || word == "-" {
            args.push(word.clone());
            continue;
        }
        let name = word.split_once('=').map_or(word.as_str(), |(n, _)| n);
        if BOOL_FLAGS.contains(&name) {
            continue;
        }
        if VALUE_FLAGS.contains(&name) {
            if !word.contains('=') {
                words.next()?;
            }
            continue;
        }
        // `-ojson`, `-nkube-system`: a short flag with its value attached.
        let short = word.get(..2).unwrap_or_default();
        if !word.starts_with("--") && word.len() > 2 && VALUE_FLAGS.contains(&short) {
            continue;
        }
        return None;
    }
    let requests = resource::parse(registry, &args, true).ok()?;
    if requests.is_empty() {
        return None;
    }
    let mut kinds: Vec<Kind> = requests.iter().map(resource::Request::kind).collect();
    kinds.sort();
    kinds.dedup();
    Some(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::KubeVersion;

    fn reads(line: &str) -> Option<Vec<Kind>> {
        let registry = Registry::for_version(KubeVersion::parse("v1.33.0").unwrap());
        let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        get_reads(&registry, &argv)
    }

    #[test]
    fn get_reads_the_kinds_it_names() {
        assert_eq!(reads("kubectl get pods -o wide"), Some(vec![Kind::Pod]));
        assert_eq!(reads("kubectl get deploy/web -n=prod"), Some(vec![Kind::Deployment]));
        let mut both = vec![Kind::Pod, Kind::Service];
        both.sort();
        assert_eq!(reads("kubectl get po,svc -ojsonpath={.items} -A"), Some(both));
        assert_eq!(reads("kubectl get all").map(|k| k.len()), Some(resource::ALL_CATEGORY.len()));
    }

    #[test]
    fn anything_else_is_unknown() {
        assert_eq!(reads("kubectl describe pods"), None);
        assert_eq!(reads("kubectl get -f web.yaml"), None);
        assert_eq!(reads("kubectl get pods --as=jane"), None);
        assert_eq!(reads("kubectl get nosuchthing"), None);
        assert_eq!(reads("kubectl get"), None);
        assert_eq!(reads("kubectl get pods -n"), None);
    }
}
