//! Front-matter values through the `kubeplay` binary: `check` rejects every
//! value `run` would reject, at the value's `path:line:col`, and `run`
//! rejects the same file with the same message (one parse serves both).

use super::support::*;

/// Each broken file, where its bad value is, and what the error says.
const CASES: &[(&str, &str, &str)] = &[
    (
        "profile",
        "4:12",
        "unknown cluster profile `minikub` (known: kubeadm, kind, minikube, bare, kwok)",
    ),
    ("profile-short", "3:10", "unknown cluster profile `minikub`"),
    ("version", "5:12", "invalid version `v1.2x.0` (expected vMAJOR.MINOR.PATCH such as v1.22.2"),
    ("version-span", "4:12", "unsupported version `v1.9.0` (kubeplay supports v1.10 to v1.35"),
    ("pod-cidr", "4:12", "invalid CIDR `not-a-cidr`"),
    ("service-cidr", "4:16", "invalid CIDR `10.96.0.0/33`"),
    ("node-cidr", "6:16", "invalid CIDR `10.244.1.0`"),
    ("pool", "5:11", "invalid load-balancer pool `not-a-cidr`"),
    ("node-ip", "6:11", "invalid IP address `192.168.200`"),
    ("taint", "6:17", "invalid taint `node-role.kubernetes.io/master`"),
    ("capacity", "6:36", "invalid quantity `4GB`"),
    ("image-key", "4:3", "invalid image reference `Nginx:1.25`"),
    ("image-port", "4:17", "invalid port `0` (expected 1-65535)"),
    (
        "object",
        "4:5",
        "invalid manifest in `objects`: no matches for kind \"Pood\" in version \"v1\"",
    ),
];

/// The error in `report` located at `path:place`, from there to the end of
/// its line (`run` may put a prefix of its own before it).
fn error_at(report: &str, path: &str, place: &str) -> String {
    let start = format!("{path}:{place}: error[");
    report
        .lines()
        .find_map(|l| l.find(&start).map(|at| l[at..].to_owned()))
        .unwrap_or_else(|| panic!("no error at {path}:{place} in:\n{report}"))
}

#[test]
fn check_and_run_reject_each_bad_value_at_its_place_with_one_message() {
    for (name, place, message) in CASES {
        let path = format!("tests/broken/values/{name}.md");
        let checked = kubeplay(&["check", &path]);
        let check_report = text(&checked);
        assert_eq!(checked.status.code(), Some(2), "check {path}:\n{check_report}");
        let line = error_at(&check_report, &path, place);
        let expected = format!("{path}:{place}: error[S0005]: front matter: ");
        assert!(line.starts_with(&expected), "{line}\n  expected the prefix {expected}");
        assert!(line.contains(message), "{line}\n  expected {message}");

        let ran = kubeplay(&["run", &path]);
        let run_report = text(&ran);
        assert_eq!(ran.status.code(), Some(2), "run {path}:\n{run_report}");
        assert_eq!(error_at(&run_report, &path, place), line, "run and check differ on {path}");
    }
}

#[test]
fn the_minikube_profile_checks_and_runs() {
    let path = "scenarios/basics/minikube-profile.md";
    let checked = kubeplay(&["check", path]);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked));
    let ran = kubeplay(&["run", path]);
    assert_eq!(ran.status.code(), Some(0), "{}", text(&ran));
}
