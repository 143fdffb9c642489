//! minikube's command line on the simulator's minikube cluster:
//! `minikube kubectl -- ARGS`, `minikube ip`, `minikube status` and
//! `minikube service NAME [--url]`. Everything else minikube does (start,
//! stop, addons, dashboard, tunnels) is reported unsupported.
//!
//! `minikube kubectl -- ARGS`: minikube runs a kubectl of the cluster's
//! version with ARGS, so on the simulator it is plain `kubectl ARGS`.
//!
//! Upstream (`kubernetes/minikube` `cmd/minikube/cmd/kubectl.go`) the
//! `kubectl` subcommand is an ordinary cobra command: cobra parses flags
//! before `--` as minikube's own, so `minikube kubectl get pods -A` fails
//! with cobra's unknown-flag error and minikube exits with
//! `reason.ExProgramUsage` (64, `cmd/minikube/cmd/root.go` `Execute`).
//! Arguments after `--` (and flag-free arguments before it) go to kubectl,
//! to which minikube appends `--cluster <profile>`; the simulator has one
//! cluster, so that flag changes nothing and is left out.

use k8s_openapi::api::core::v1::{Pod, Service};

use crate::{
    output::CommandOutput,
    sim::{Cluster, podutil},
    version::KubeVersion,
};

/// minikube's exit status on a command-line usage error.
const EX_PROGRAM_USAGE: i32 = 64;

/// The kubectl argv that `argv` (a `minikube kubectl ...` line) runs, or the
/// error minikube prints; `None` when `argv` is not `minikube kubectl`.
pub fn kubectl_argv(argv: &[String]) -> Option<Result<Vec<String>, CommandOutput>> {
    if argv.first().map(String::as_str) != Some("minikube")
        || argv.get(1).map(String::as_str) != Some("kubectl")
    {
        return None;
    }
    let rest = &argv[2..];
    let (before, after) = match rest.iter().position(|a| a == "--") {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &rest[rest.len()..]),
    };
    // minikube's own persistent flags (`-p`, `--alsologtostderr`, ...) are
    // not emulated: any flag before `--` is reported as cobra reports an
    // unknown one (`spf13/pflag` `flag.go` `failf`).
    if let Some(flag) = before.iter().find(|a| a.starts_with('-') && a.len() > 1) {
        let message = match flag.strip_prefix("--") {
            Some(long) => format!("unknown flag: --{}", long.split('=').next().unwrap_or(long)),
            None => {
                let c = flag[1..].chars().next().unwrap_or('-');
                format!("unknown shorthand flag: '{c}' in {flag}")
            }
        };
        return Some(Err(CommandOutput::failure(
            format!("Error: {message}\nSee 'minikube kubectl --help' for usage.\n"),
            EX_PROGRAM_USAGE,
        )));
    }
    let mut kubectl = vec!["kubectl".to_owned()];
    kubectl.extend(before.iter().cloned());
    kubectl.extend(after.iter().cloned());
    Some(Ok(kubectl))
}

/// minikube releases by the Kubernetes version each starts by default
/// (`pkg/minikube/constants/constants.go` `DefaultKubernetesVersion` at
/// each tag of kubernetes/minikube): the release a cluster of that version
/// was most likely made by, as (Kubernetes version, minikube minor).
const RELEASES: &[(&str, u32)] = &[
    ("v1.15.0", 2),
    ("v1.15.2", 3),
    ("v1.16.0", 4),
    ("v1.16.2", 5),
    ("v1.17.0", 6),
    ("v1.17.2", 7),
    ("v1.17.3", 7),
    ("v1.18.0", 9),
    ("v1.18.1", 10),
    ("v1.18.2", 10),
    ("v1.18.3", 11),
    ("v1.19.0", 13),
    ("v1.19.2", 13),
    ("v1.19.4", 15),
    ("v1.20.0", 16),
    ("v1.20.2", 17),
    ("v1.20.7", 21),
    ("v1.21.2", 22),
    ("v1.22.1", 23),
    ("v1.22.2", 23),
    ("v1.22.3", 24),
    ("v1.23.1", 25),
    ("v1.23.3", 25),
    ("v1.24.1", 26),
    ("v1.24.3", 26),
    ("v1.25.0", 27),
    ("v1.25.2", 27),
    ("v1.25.3", 28),
    ("v1.26.1", 29),
    ("v1.26.3", 30),
    ("v1.27.3", 31),
    ("v1.27.4", 31),
    ("v1.28.3", 32),
    ("v1.30.0", 33),
    ("v1.31.0", 34),
    ("v1.32.0", 35),
    ("v1.33.1", 36),
    ("v1.34.0", 37),
    ("v1.35.0", 38),
];

/// The minikube minor taken to have made a cluster of `version`: the
/// release defaulting to exactly that version, else the first defaulting
/// to its minor, else the nearest release before or after.
pub fn minikube_minor(version: KubeVersion) -> u32 {
    let parsed = |v: &str| KubeVersion::parse(v).expect("a version");
    if let Some((_, m)) = RELEASES.iter().find(|(v, _)| parsed(v) == version) {
        return *m;
    }
    if let Some((_, m)) = RELEASES.iter().find(|(v, _)| parsed(v).minor() == version.minor()) {
        return *m;
    }
    match RELEASES.iter().rev().find(|(v, _)| parsed(v).minor() < version.minor()) {
        Some((_, m)) => *m,
        None => RELEASES[0].1,
    }
}

/// `minikube ip`, `minikube status`, `minikube service`; `None` for any
/// other line.
pub fn command(cluster: &Cluster, argv: &[String]) -> Option<CommandOutput> {
    if argv.first().map(String::as_str) != Some("minikube") {
        return None;
    }
    let sub = argv.get(1)?.as_str();
    if !matches!(sub, "ip" | "status" | "service") {
        return None;
    }
    let config = cluster.config();
    if config.profile != "minikube" {
        return Some(CommandOutput::unsupported(format!(
            "minikube {sub} on a {} cluster",
            config.profile
        )));
    }
    let rest = &argv[2..];
    Some(match sub {
        "ip" => ip(cluster, rest),
        "status" => status(cluster, rest),
        _ => service(cluster, rest),
    })
}

/// The primary control plane's address (`cmd/minikube/cmd/ip.go`).
fn control_plane_ip(cluster: &Cluster) -> String {
    cluster.config().nodes.first().map(|n| n.ip.clone()).unwrap_or_default()
}

fn ip(cluster: &Cluster, rest: &[String]) -> CommandOutput {
    if let Some(flag) = rest.first() {
        return CommandOutput::unsupported(format!("minikube ip {flag}"));
    }
    CommandOutput::stdout(format!("{}\n", control_plane_ip(cluster)))
}

/// `minikube status` of a running cluster, in the release's default
/// format (`cmd/minikube/cmd/status.go` `defaultStatusFormat`; the worker
/// format from v1.10): the node's name from v1.9, `type: Control Plane`
/// from v1.10, `timeToStop: Nonexistent` in v1.16-v1.18, the optional
/// lines (scheduled stop, docker-env) absent from v1.19.
fn status(cluster: &Cluster, rest: &[String]) -> CommandOutput {
    if let Some(flag) = rest.first() {
        return CommandOutput::unsupported(format!("minikube status {flag}"));
    }
    let minor = minikube_minor(cluster.config().version);
    if minor < 5 {
        return CommandOutput::unsupported(format!("minikube status of minikube v1.{minor}"));
    }
    let mut out = String::new();
    for (i, node) in cluster.config().nodes.iter().enumerate() {
        if minor >= 9 {
            out.push_str(&format!("{}\n", node.name));
        }
        let worker = i > 0;
        if minor >= 10 {
            out.push_str(if worker { "type: Worker\n" } else { "type: Control Plane\n" });
        }
        out.push_str("host: Running\nkubelet: Running\n");
        if !(worker && minor >= 10) {
            out.push_str("apiserver: Running\nkubeconfig: Configured\n");
            if (16..=18).contains(&minor) {
                out.push_str("timeToStop: Nonexistent\n");
            }
        }
        if minor >= 9 {
            out.push('\n');
        }
    }
    CommandOutput::stdout(out)
}

/// `minikube service NAME [-n NS] [--url]` (`cmd/minikube/cmd/service.go`,
/// `pkg/minikube/service`): one `http://IP:NODEPORT` per node port of the
/// Service, printed alone with `--url`, else in minikube's table before it
/// opens the first in a browser. A Service that is missing, has no node
/// port or no running pod is one of minikube's exits, not modelled.
fn service(cluster: &Cluster, rest: &[String]) -> CommandOutput {
    let mut url_mode = false;
    let mut namespace = "default".to_owned();
    let mut names: Vec<&str> = Vec::new();
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--url" => url_mode = true,
            "-n" | "--namespace" => match words.next() {
                Some(ns) => namespace = ns.clone(),
                None => return CommandOutput::unsupported(format!("minikube service {word}")),
            },
            w if w.starts_with("--namespace=") => namespace = w["--namespace=".len()..].to_owned(),
            w if w.starts_with('-') => {
                return CommandOutput::unsupported(format!("minikube service {w}"));
            }
            name => names.push(name),
        }
    }
    let [name] = names.as_slice() else {
        return CommandOutput::unsupported("minikube service without exactly one service name");
    };
    let store = cluster.store();
    let Some(svc) = store.get_typed::<Service>(Some(&namespace), name) else {
        return CommandOutput::unsupported(format!(
            "minikube service {name}: the Service is not found (SVC_NOT_FOUND)"
        ));
    };
    let spec = svc.spec.clone().unwrap_or_default();
    let ip = control_plane_ip(cluster);
    let ports: Vec<(String, String)> = spec
        .ports
        .iter()
        .flatten()
        .filter_map(|p| {
            let node_port = p.node_port.filter(|n| *n > 0)?;
            let label = match p.name.as_deref().filter(|n| !n.is_empty()) {
                Some(n) => format!("{n}/{}", p.port),
                None => p.port.to_string(),
            };
            Some((label, format!("http://{ip}:{node_port}")))
        })
        .collect();
    if ports.is_empty() {
        return CommandOutput::unsupported(format!("minikube service {name}: no node port"));
    }
    // `CheckServicePods`.
    let selector = spec.selector.unwrap_or_default();
    let running = store.all::<Pod>(Some(&namespace)).any(|p| {
        podutil::phase(p) == "Running"
            && !selector.is_empty()
            && selector
                .iter()
                .all(|(k, v)| p.metadata.labels.as_ref().and_then(|l| l.get(k)) == Some(v))
    });
    if !running {
        return CommandOutput::unsupported(format!(
            "minikube service {name}: no running pod (SVC_UNREACHABLE)"
        ));
    }
    let urls: Vec<&str> = ports.iter().map(|(_, u)| u.as_str()).collect();
    if url_mode {
        return CommandOutput::stdout(format!("{}\n", urls.join("\n")));
    }
    let labels: Vec<&str> = ports.iter().map(|(l, _)| l.as_str()).collect();
    let row = vec![namespace.clone(), name.to_string(), labels.join("\n"), urls.join("\n")];
    let mut out =
        crate::textutil::tablewriter::render(&["Namespace", "Name", "Target Port", "URL"], &[row]);
    out.push_str(&format!("🎉  Opening service {namespace}/{name} in default browser...\n"));
    CommandOutput::stdout(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn passes_arguments_through_to_kubectl() {
        let ok = |line: &str| kubectl_argv(&argv(line)).unwrap().unwrap().join(" ");
        assert_eq!(ok("minikube kubectl -- get pods -A"), "kubectl get pods -A");
        assert_eq!(ok("minikube kubectl get nodes"), "kubectl get nodes");
        assert_eq!(ok("minikube kubectl create namespace ns"), "kubectl create namespace ns");
        assert!(kubectl_argv(&argv("minikube start")).is_none());
        assert!(kubectl_argv(&argv("kubectl get pods")).is_none());
    }

    #[test]
    fn flags_before_the_separator_are_minikube_usage_errors() {
        let err =
            kubectl_argv(&argv("minikube kubectl get pods --all-namespaces")).unwrap().unwrap_err();
        assert_eq!(
            err.merged(),
            "Error: unknown flag: --all-namespaces\nSee 'minikube kubectl --help' for usage.\n"
        );
        assert_eq!(err.status, 64);
        let err = kubectl_argv(&argv("minikube kubectl get pods -n x")).unwrap().unwrap_err();
        assert!(err.merged().starts_with("Error: unknown shorthand flag: 'n' in -n\n"));
    }

    fn minikube_at(version: &str) -> Cluster {
        let v = KubeVersion::parse(version).unwrap();
        Cluster::new(crate::sim::profiles::profile_at("minikube", v).unwrap())
    }

    /// The default status format of each release (status.go at v1.5.0,
    /// v1.9.0, v1.10.0, v1.16.0, v1.19.0 of kubernetes/minikube).
    #[test]
    fn status_follows_the_release_the_version_came_with() {
        let status = |v: &str| command(&minikube_at(v), &argv("minikube status")).unwrap().merged();
        assert_eq!(minikube_minor(KubeVersion::parse("v1.16.2").unwrap()), 5);
        assert_eq!(
            status("v1.16.2"),
            "host: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n"
        );
        assert_eq!(
            status("v1.18.0"),
            "minikube\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n"
        );
        assert_eq!(
            status("v1.20.0"),
            "minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\ntimeToStop: Nonexistent\n\n"
        );
        assert_eq!(
            status("v1.28.3"),
            "minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n"
        );
        assert!(
            command(&minikube_at("v1.15.0"), &argv("minikube status"))
                .unwrap()
                .unsupported
                .is_some()
        );
    }

    #[test]
    fn ip_and_service_urls_read_the_cluster() {
        let mut c = minikube_at("v1.28.3");
        let run = |c: &mut Cluster, line: &str| {
            let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
            crate::kubectl::run(c, &argv, &crate::workspace::Workspace::default())
        };
        run(&mut c, "kubectl create deployment web --image=nginx");
        run(&mut c, "kubectl expose deployment web --type=NodePort --port=80");
        c.advance(std::time::Duration::from_secs(60));
        assert_eq!(command(&c, &argv("minikube ip")).unwrap().merged(), "192.168.49.2\n");
        let port =
            run(&mut c, "kubectl get svc web -o jsonpath={.spec.ports[0].nodePort}").merged();
        let url = command(&c, &argv("minikube service web --url")).unwrap();
        assert_eq!(url.merged(), format!("http://192.168.49.2:{port}\n"));
        let missing = command(&c, &argv("minikube service nope -n default --url")).unwrap();
        assert!(missing.unsupported.unwrap().contains("SVC_NOT_FOUND"));
        assert!(command(&c, &argv("minikube start")).is_none());
        let kind = Cluster::new(crate::sim::profile("kind").unwrap());
        assert!(command(&kind, &argv("minikube ip")).unwrap().unsupported.is_some());
    }
}
