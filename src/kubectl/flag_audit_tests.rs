//! Every flag real kubectl accepts on a command kubeplay emulates is either
//! emulated (the verb reads it) or refused as unsupported by name: this
//! runs each (command, flag) pair of the hand-made v1.22 table and of the
//! generated v1.27/v1.33 data against a small simulated cluster.

use std::collections::BTreeMap;

use super::{
    args::long_flag,
    audited,
    commands::{CommandSpec, FlagType, ROOT, Support},
    flag_audit::{GlobalFlag, global_flag},
    upstream,
};
use crate::{
    output::CommandOutput,
    sim::{Cluster, profile},
    workspace::Workspace,
};

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
";

/// Arguments that make command `path` do its ordinary work on the test
/// cluster (a Deployment `web` and its pod).
fn base_args(path: &str, pod: &str, node: &str) -> Option<Vec<String>> {
    let args: Vec<&str> = match path {
        "get" | "describe" => vec!["deployments"],
        "create" | "apply" | "replace" => vec!["-f", "web.yaml"],
        "create deployment" => vec!["x", "--image=nginx"],
        "create job" => vec!["j", "--image=busybox"],
        "create cronjob" => vec!["c", "--image=busybox", "--schedule=* * * * *"],
        "create configmap" | "create secret generic" => vec!["data"],
        "create secret tls" => return None,
        "create service clusterip" | "create service nodeport" | "create service loadbalancer" => {
            vec!["svc", "--tcp=80:80"]
        }
        "create namespace" => vec!["ns1"],
        "expose" => vec!["deployment", "web", "--port=80", "--name=web2"],
        "run" => vec!["p", "--image=nginx"],
        "set image" => vec!["deployment/web", "nginx=nginx:2"],
        "edit" => return None,
        "delete" | "label" | "annotate" | "patch" | "scale" | "autoscale" => {
            return Some(
                match path {
                    "delete" => vec!["deployment", "web"],
                    "label" | "annotate" => vec!["deployment", "web", "a=b"],
                    "patch" => {
                        vec!["deployment", "web", "-p", r#"{"metadata":{"labels":{"a":"b"}}}"#]
                    }
                    "scale" => vec!["deployment/web", "--replicas=2"],
                    _ => vec!["deployment/web", "--max=3"],
                }
                .into_iter()
                .map(str::to_owned)
                .collect(),
            );
        }
        p if p.starts_with("rollout ") => vec!["deployment/web"],
        "wait" => vec!["--for=condition=Available", "deployment/web"],
        "cordon" | "uncordon" | "drain" => vec![node],
        "taint" => vec!["nodes", node, "k=v:NoSchedule"],
        "logs" | "attach" => vec![pod],
        "version" => vec!["--short"],
        "exec" => vec![pod, "--", "ls"],
        "port-forward" => vec![pod, "8080:80"],
        _ => vec![],
    };
    Some(args.into_iter().map(str::to_owned).collect())
}

/// A plausible value for a flag.
fn flag_arg(name: &str, ty: FlagType) -> String {
    let value = match (name, ty) {
        (_, FlagType::Bool) => "true",
        (_, FlagType::Int | FlagType::Int32) => "1",
        (_, FlagType::Duration) => "1s",
        ("output", _) => "yaml",
        ("dry-run", _) => "client",
        ("cascade", _) => "orphan",
        ("selector" | "pod-selector" | "labels", _) => "app=web",
        ("field-selector", _) => "metadata.name=web",
        ("sort-by", _) => ".metadata.name",
        ("filename", _) => "web.yaml",
        ("type", _) => "merge",
        ("validate", _) => "true",
        ("profile", _) => "cpu",
        _ => "x",
    };
    format!("--{name}={value}")
}

fn cluster(version: &str) -> (Cluster, String, String) {
    let mut config = profile("kubeadm").expect("kubeadm profile");
    config.version = crate::version::KubeVersion::parse(version).expect("a release in the span");
    let mut c = Cluster::new(config);
    let mut ws = Workspace::default();
    ws.write("web.yaml", DEPLOYMENT);
    let argv: Vec<String> = ["kubectl", "apply", "-f", "web.yaml"].map(str::to_owned).into();
    assert_eq!(super::run(&mut c, &argv, &ws).status, 0);
    c.settle(10_000);
    let get = |c: &mut Cluster, what: &str| {
        let argv: Vec<String> =
            ["kubectl", "get", what, "-o", "name"].iter().map(|s| s.to_string()).collect();
        let out = super::run(c, &argv, &ws).merged();
        out.lines().next().unwrap_or_default().split('/').nth(1).unwrap_or_default().to_owned()
    };
    let pod = get(&mut c, "pods");
    let node = get(&mut c, "nodes");
    (c, pod, node)
}

fn emulated_commands(
    spec: &'static CommandSpec,
    path: &mut Vec<&'static str>,
    out: &mut Vec<(String, &'static CommandSpec)>,
) {
    if spec.support == Support::Yes && !path.is_empty() {
        out.push((path.join(" "), spec));
    }
    for sub in spec.subcommands {
        path.push(sub.name);
        emulated_commands(sub, path, out);
        path.pop();
    }
}

#[derive(Default, Debug)]
struct Tally {
    /// The verb read the flag.
    emulated: usize,
    /// Unsupported, naming the flag.
    refused: usize,
    /// A global flag with no observable effect in kubeplay.
    no_effect: usize,
    /// The base command line was unsupported for another reason first.
    other_unsupported: usize,
    /// A usage error before any flag mattered.
    usage_error: usize,
}

/// Runs every flag of every emulated command at `version`; returns the
/// per-command tally.
fn audit(version: &str, minor: u32) -> BTreeMap<String, Tally> {
    let (base, pod, node) = cluster(version);
    let mut ws = Workspace::default();
    ws.write("web.yaml", DEPLOYMENT);
    let mut commands = Vec::new();
    emulated_commands(&ROOT, &mut Vec::new(), &mut commands);
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for (path, spec) in commands {
        let Some(args) = base_args(&path, &pod, &node) else { continue };
        // Global flags are tallied once, on `get`, under `(global)`.
        let globals = path == "get";
        let flags: Vec<(&'static str, FlagType)> = match upstream::flags_minor(minor) {
            None => spec
                .flags
                .iter()
                .flat_map(|g| g.iter())
                .chain(if globals { super::commands::GLOBAL } else { &[] })
                .map(|f| (f.name, f.ty))
                .collect(),
            Some(m) => upstream::flags(m, &path)
                .chain(upstream::flags(m, if globals { upstream::GLOBAL_PATH } else { "-" }))
                .map(|f| {
                    let hand =
                        spec.flags.iter().flat_map(|g| g.iter()).find(|h| h.name == f.spec.name);
                    (f.spec.name, hand.map_or(f.spec.ty, |h| h.ty))
                })
                .collect(),
        };
        for (name, ty) in flags {
            if matches!(name, "help") {
                continue;
            }
            let mut argv: Vec<String> = vec!["kubectl".into()];
            argv.extend(path.split(' ').map(str::to_owned));
            let dash = args.iter().position(|a| a == "--").unwrap_or(args.len());
            argv.extend(args[..dash].iter().cloned());
            argv.push(flag_arg(name, ty));
            argv.extend(args[dash..].iter().cloned());
            let mut c = base.clone();
            let mut kubeconfig = super::kubeconfig::Kubeconfig::for_cluster(&c);
            let (out, unconsulted): (CommandOutput, _) =
                audited(&mut c, &mut kubeconfig, &argv, &ws, None, None);
            let own = spec.flags.iter().flat_map(|g| g.iter()).any(|f| f.name == name)
                || upstream::flags_minor(minor)
                    .is_some_and(|m| upstream::flag(m, &path, name).is_some());
            let row = if own { path.clone() } else { upstream::GLOBAL_PATH.to_owned() };
            let tally = tallies.entry(row).or_default();
            let expected = format!("flag --{name} of kubectl {path}");
            let value = flag_arg(name, ty);
            let value = value.split_once('=').map_or("", |(_, v)| v);
            let harmless = !own && global_flag(name, value) != GlobalFlag::Unsupported;
            let read = !unconsulted.contains(&name);
            match &out.unsupported {
                Some(what) if *what == expected => {
                    assert!(!read, "{argv:?} read the flag it refused");
                    tally.refused += 1;
                }
                Some(_) if read => tally.emulated += 1,
                Some(_) => tally.other_unsupported += 1,
                None if read => tally.emulated += 1,
                None if harmless => tally.no_effect += 1,
                None => {
                    // Only a usage error may leave a flag unread.
                    assert_eq!(out.status, 1, "{argv:?} ignored --{name}: {}", out.merged());
                    tally.usage_error += 1;
                }
            }
        }
    }
    tallies
}

fn report(version: &str, tallies: &BTreeMap<String, Tally>) {
    println!(
        "flags at {version}: command | emulated | refused | no effect (global) | other unsupported | usage error"
    );
    for (path, t) in tallies {
        println!(
            "{path} | {} | {} | {} | {} | {}",
            t.emulated, t.refused, t.no_effect, t.other_unsupported, t.usage_error
        );
    }
}

#[test]
fn every_flag_is_emulated_or_refused_v1_22() {
    let t = audit("v1.22.2", 22);
    report("v1.22.2", &t);
    assert!(t.values().map(|t| t.emulated).sum::<usize>() > 100);
    assert!(t["create deployment"].refused > 0);
}

#[test]
fn every_flag_is_emulated_or_refused_v1_33() {
    let t = audit("v1.33.0", 33);
    report("v1.33.0", &t);
    assert!(t.values().map(|t| t.emulated).sum::<usize>() > 100);
}

/// The flag the parser uses agrees with real kubectl's `--help` on its type
/// wherever the data has the flag (int widths aside, which help hides): the
/// hand-made v1.22 table gives way where kubectl changed a type
/// (`--validate` became a string in v1.25).
#[test]
fn hand_table_types_match_the_generated_data() {
    let mut commands = Vec::new();
    emulated_commands(&ROOT, &mut Vec::new(), &mut commands);
    let mut mismatches = Vec::new();
    for m in upstream::FIRST_MINOR..=upstream::LAST_MINOR {
        for (path, spec) in &commands {
            for up in upstream::flags(m, path) {
                let words: Vec<&str> = path.split(' ').collect();
                let f = long_flag(spec, &words, m, up.spec.name).expect("a flag the data has");
                if upstream::HelpType::of(f.ty) != up.help_type {
                    mismatches.push(format!("1.{m} {path} --{}", f.name));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

/// The command lines `scripts/kubectl-dry-run-fixtures.sh` ran through real
/// kubectl 1.27, each with the fixture holding what it printed.
const DRY_RUN_FIXTURES: &[(&str, &str)] = &[
    (
        "kubectl create deployment x --image=nginx --dry-run=client -o yaml",
        include_str!("testdata/dry_run/create_deployment.yaml"),
    ),
    (
        "kubectl create deployment web --image=nginx:1.25 --image=busybox --replicas=3 --port=80 -n demo --dry-run=client -o yaml",
        include_str!("testdata/dry_run/create_deployment_ports.yaml"),
    ),
    (
        "kubectl create deployment x --image=nginx --dry-run=client",
        include_str!("testdata/dry_run/create_deployment.txt"),
    ),
    (
        "kubectl create deployment x --image=nginx --dry-run=client -o name",
        include_str!("testdata/dry_run/create_deployment_name.txt"),
    ),
    (
        "kubectl create configmap cm --from-literal=a=1 --from-literal=b=two --dry-run=client -o yaml",
        include_str!("testdata/dry_run/create_configmap.yaml"),
    ),
    (
        "kubectl create configmap cm --from-literal=a=1 --dry-run=client",
        include_str!("testdata/dry_run/create_configmap.txt"),
    ),
    (
        "kubectl create secret generic s --type=Opaque --from-literal=password=admin -n demo --dry-run=client -o yaml",
        include_str!("testdata/dry_run/create_secret_generic.yaml"),
    ),
    (
        "kubectl create service clusterip svc --tcp=80:8080 --tcp=443 --dry-run=client -o yaml",
        include_str!("testdata/dry_run/create_service_clusterip.yaml"),
    ),
    (
        "kubectl create service clusterip h --clusterip=None --dry-run=client -o yaml",
        include_str!("testdata/dry_run/create_service_headless.yaml"),
    ),
    (
        "kubectl create service nodeport np --tcp=80:8080 --node-port=30080 --dry-run=client -o yaml",
        include_str!("testdata/dry_run/create_service_nodeport.yaml"),
    ),
    (
        "kubectl create service loadbalancer lb --tcp=80 --dry-run=client -o name",
        include_str!("testdata/dry_run/create_service_loadbalancer_name.txt"),
    ),
    (
        "kubectl create job j --image=busybox --dry-run=client -o yaml -- echo hi",
        include_str!("testdata/dry_run/create_job.yaml"),
    ),
    (
        "kubectl create cronjob c --image=busybox '--schedule=*/5 * * * *' --restart=Never --dry-run=client -o yaml -- echo hi",
        include_str!("testdata/dry_run/create_cronjob.yaml"),
    ),
    (
        "kubectl create namespace ns1 --dry-run=client -o yaml",
        include_str!("testdata/dry_run/create_namespace.yaml"),
    ),
    (
        "kubectl create namespace ns1 --dry-run=client",
        include_str!("testdata/dry_run/create_namespace.txt"),
    ),
    (
        "kubectl run x --image=nginx --dry-run=client -o yaml",
        include_str!("testdata/dry_run/run.yaml"),
    ),
    (
        "kubectl run web --image=nginx:1.25 --port=80 --labels=app=web,tier=fe --env=A=1 --env=B=two --restart=Never -n demo --dry-run=client -o yaml",
        include_str!("testdata/dry_run/run_full.yaml"),
    ),
    (
        "kubectl run bb --image=busybox --command --dry-run=client -o yaml -- sleep 3600",
        include_str!("testdata/dry_run/run_command.yaml"),
    ),
    (
        "kubectl run bb --image=busybox --restart=OnFailure --dry-run=client -o yaml -- sleep 3600",
        include_str!("testdata/dry_run/run_args.yaml"),
    ),
    ("kubectl run bb --image=busybox --dry-run=client", include_str!("testdata/dry_run/run.txt")),
    (
        "kubectl run bb --image=busybox --dry-run=client -o name",
        include_str!("testdata/dry_run/run_name.txt"),
    ),
    // `-o json`: the typed struct's fields in Go's declaration order.
    (
        "kubectl create deployment web --image=nginx:1.25 --image=busybox --replicas=3 --port=80 -n demo --dry-run=client -o json",
        include_str!("testdata/dry_run/create_deployment_ports.json"),
    ),
    (
        "kubectl create secret generic s --type=Opaque '--from-literal=html=<a&b>' --from-literal=a=1 --dry-run=client -o json",
        include_str!("testdata/dry_run/create_secret_generic.json"),
    ),
    (
        "kubectl create service nodeport np --tcp=80:8080 --node-port=30080 --dry-run=client -o json",
        include_str!("testdata/dry_run/create_service_nodeport.json"),
    ),
    (
        "kubectl create job j --image=busybox --dry-run=client -o json -- echo hi",
        include_str!("testdata/dry_run/create_job.json"),
    ),
    (
        "kubectl create cronjob c --image=busybox '--schedule=*/5 * * * *' --dry-run=client -o json",
        include_str!("testdata/dry_run/create_cronjob.json"),
    ),
    (
        "kubectl create namespace ns1 --dry-run=client -o json",
        include_str!("testdata/dry_run/create_namespace.json"),
    ),
    (
        "kubectl run web --image=nginx:1.25 --port=80 --labels=app=web,tier=fe --env=A=1 --env=B=two --restart=Never -n demo --dry-run=client -o json",
        include_str!("testdata/dry_run/run_full.json"),
    ),
];

/// Runs one command line (split as a shell would) on `c`.
fn run_line(c: &mut Cluster, line: &str) -> CommandOutput {
    let argv = shell_words::split(line).expect("a valid command line");
    super::run(c, &argv, &Workspace::default())
}

/// Every object in the cluster, by name, for "nothing changed" checks.
fn everything(c: &mut Cluster) -> String {
    let out = run_line(
        c,
        "kubectl get pods,deployments,replicasets,services,configmaps,secrets,jobs,cronjobs,namespaces -A -o name",
    );
    assert_eq!(out.status, 0, "{}", out.merged());
    out.merged()
}

/// Client dry-run output against real kubectl 1.27's, byte for byte
/// (`scripts/kubectl-dry-run-fixtures.sh` wrote the fixtures), and the
/// cluster unchanged.
#[test]
fn client_dry_run_matches_real_kubectl() {
    for version in ["v1.22.2", "v1.27.16"] {
        let (mut c, _, _) = cluster(version);
        let before = everything(&mut c);
        for (line, want) in DRY_RUN_FIXTURES {
            let out = run_line(&mut c, line);
            assert_eq!(out.unsupported, None, "{line}");
            assert_eq!(out.merged(), *want, "{line} at {version}");
        }
        // `create secret tls` reads its PEM files from the workspace.
        let mut ws = Workspace::default();
        ws.write("tls.crt", include_str!("testdata/dry_run/tls.crt"));
        ws.write("tls.key", include_str!("testdata/dry_run/tls.key"));
        let argv = shell_words::split(
            "kubectl create secret tls tls --cert=tls.crt --key=tls.key --dry-run=client -o yaml",
        )
        .unwrap();
        let out = super::run(&mut c, &argv, &ws);
        assert_eq!(out.merged(), include_str!("testdata/dry_run/create_secret_tls.yaml"));
        assert_eq!(everything(&mut c), before, "a client dry run changed the cluster");
        // Server dry run: validated against the cluster, stored nowhere.
        let out = run_line(&mut c, "kubectl create deployment web --image=nginx --dry-run=server");
        assert_eq!(
            out.merged(),
            "error: failed to create deployment: deployments.apps \"web\" already exists\n"
        );
        for line in [
            "kubectl run p2 --image=nginx --dry-run=server",
            "kubectl create configmap cm2 --from-literal=a=1 --dry-run=server",
            "kubectl create namespace ns2 --dry-run=server",
            "kubectl create job j2 --image=busybox --dry-run=server",
        ] {
            let out = run_line(&mut c, line);
            assert_eq!(out.status, 0, "{line}: {}", out.merged());
            assert!(out.merged().ends_with(" created (server dry run)\n"), "{}", out.merged());
        }
        assert_eq!(everything(&mut c), before, "a server dry run changed the cluster");
        let out = run_line(&mut c, "kubectl run web-0 --image=nginx --dry-run=server");
        assert_eq!(out.merged(), "pod/web-0 created (server dry run)\n");
        let out = run_line(
            &mut c,
            "kubectl create configmap cm --from-literal=a=1 --dry-run=server -o yaml",
        );
        assert!(out.unsupported.is_some(), "-o of a server dry run is not emulated yet");
    }
}

/// `kubectl expose` lines the script ran against its stub apiserver, which
/// served `testdata/dry_run/web-deployment.json` (in `default` and `demo`).
const EXPOSE_FIXTURES: &[(&str, &str)] = &[
    (
        "kubectl expose deployment web --port=80 --dry-run=client -o yaml",
        include_str!("testdata/dry_run/expose.yaml"),
    ),
    (
        "kubectl expose deployment web --port=8080 --target-port=80 --type=NodePort --name=web-np -n demo --dry-run=client -o yaml",
        include_str!("testdata/dry_run/expose_nodeport.yaml"),
    ),
    (
        "kubectl expose deployment web --dry-run=client -o yaml",
        include_str!("testdata/dry_run/expose_container_port.yaml"),
    ),
    ("kubectl expose deployment web --dry-run=client", include_str!("testdata/dry_run/expose.txt")),
    (
        "kubectl expose deployment web --port=80 --dry-run=client -o name",
        include_str!("testdata/dry_run/expose_name.txt"),
    ),
    (
        "kubectl expose deployment web --port=8080 --target-port=80 --type=NodePort --dry-run=client -o json",
        include_str!("testdata/dry_run/expose.json"),
    ),
];

/// `kubectl expose --dry-run=client` against real kubectl 1.27's output
/// for the same Deployment, and the cluster unchanged.
#[test]
fn expose_client_dry_run_matches_real_kubectl() {
    let served: serde_json::Value =
        serde_json::from_str(include_str!("testdata/dry_run/web-deployment.json")).unwrap();
    for version in ["v1.22.2", "v1.27.16"] {
        let mut config = profile("kubeadm").expect("kubeadm profile");
        config.version = crate::version::KubeVersion::parse(version).expect("a release");
        let mut c = Cluster::new(config);
        assert_eq!(run_line(&mut c, "kubectl create namespace demo").status, 0);
        for namespace in ["default", "demo"] {
            let mut value = served.clone();
            value["metadata"] = serde_json::json!({"name": "web", "namespace": namespace,
                "labels": {"app": "web"}});
            c.create(crate::sim::Object::from_value(value).unwrap()).unwrap();
        }
        let before = everything(&mut c);
        for (line, want) in EXPOSE_FIXTURES {
            let out = run_line(&mut c, line);
            assert_eq!(out.unsupported, None, "{line}");
            assert_eq!(out.merged(), *want, "{line} at {version}");
        }
        let out = run_line(&mut c, "kubectl expose deployment web --port=80 --dry-run=server");
        assert_eq!(out.merged(), "service/web exposed (server dry run)\n");
        assert_eq!(everything(&mut c), before, "a dry run changed the cluster");
        let out = run_line(&mut c, "kubectl expose deployment web --port=80");
        assert_eq!(out.merged(), "service/web exposed\n");
        assert_ne!(everything(&mut c), before);
    }
}

/// `scale`, `set image`, `label`, `annotate` and `apply` with `--dry-run`:
/// kubectl 1.27's name-printer lines (fixtures from the script's stub
/// apiserver), the object as it would be with `-o`, and nothing stored.
#[test]
fn mutating_verbs_dry_run() {
    let lines: &[(&str, &str)] = &[
        (
            "kubectl scale deployment web --replicas=3 --dry-run=client",
            include_str!("testdata/dry_run/scale.txt"),
        ),
        (
            "kubectl set image deployment/web nginx=nginx:1.25 --dry-run=client",
            include_str!("testdata/dry_run/set_image.txt"),
        ),
        (
            "kubectl label deployment web tier=fe --dry-run=client",
            include_str!("testdata/dry_run/label.txt"),
        ),
        (
            "kubectl annotate deployment web note=hi --dry-run=client",
            include_str!("testdata/dry_run/annotate.txt"),
        ),
    ];
    let (mut c, _, _) = cluster("v1.27.16");
    let mut ws = Workspace::default();
    ws.write("web.yaml", DEPLOYMENT);
    ws.write("other.yaml", DEPLOYMENT.replace("name: web", "name: other"));
    let before = run_line(&mut c, "kubectl get deployment web -o yaml").merged();
    for (line, want) in lines {
        let out = run_line(&mut c, line);
        assert_eq!(out.unsupported, None, "{line}");
        assert_eq!(out.merged(), *want, "{line}");
    }
    let check = |c: &mut Cluster, line: &str, want: &str| {
        let argv = shell_words::split(line).unwrap();
        let out = super::run(c, &argv, &ws);
        assert_eq!(out.unsupported, None, "{line}");
        assert_eq!(out.merged(), want, "{line}");
    };
    check(
        &mut c,
        "kubectl scale deployment web --replicas=3 --dry-run=server",
        "deployment.apps/web scaled (server dry run)\n",
    );
    // A client dry run prints the object as changed on the client.
    check(
        &mut c,
        "kubectl label deployment web tier=fe --dry-run=client -o jsonpath={.metadata.labels.tier}",
        "fe",
    );
    check(
        &mut c,
        "kubectl set image deployment/web nginx=nginx:1.25 --dry-run=server -o jsonpath={.spec.template.spec.containers[0].image}",
        "nginx:1.25",
    );
    check(
        &mut c,
        "kubectl apply -f web.yaml --dry-run=client",
        "deployment.apps/web configured (dry run)\n",
    );
    check(
        &mut c,
        "kubectl apply -f web.yaml --dry-run=server",
        "deployment.apps/web unchanged (server dry run)\n",
    );
    check(
        &mut c,
        "kubectl apply -f other.yaml --dry-run=client",
        "deployment.apps/other created (dry run)\n",
    );
    check(
        &mut c,
        "kubectl apply -f other.yaml --dry-run=server",
        "deployment.apps/other created (server dry run)\n",
    );
    assert_eq!(run_line(&mut c, "kubectl get deployment web -o yaml").merged(), before);
    let out = run_line(&mut c, "kubectl get deployment other");
    assert_eq!(
        out.merged(),
        "Error from server (NotFound): deployments.apps \"other\" not found\n"
    );
    // For real, the change is stored.
    check(&mut c, "kubectl scale deployment web --replicas=3", "deployment.apps/web scaled\n");
    check(&mut c, "kubectl get deployment web -o jsonpath={.spec.replicas}", "3");
}

/// Flag values are checked before anything changes.
#[test]
fn flag_values_are_validated_before_anything_changes() {
    let (mut c, _, _) = cluster("v1.22.2");
    let run = |c: &mut Cluster, line: &str| {
        let argv: Vec<String> = line.split(' ').map(str::to_owned).collect();
        super::run(c, &argv, &Workspace::default())
    };
    let out = run(&mut c, "kubectl delete deployment web --cascade=bogus");
    assert_eq!(
        out.merged(),
        "error: invalid cascade value (bogus). Must be \"background\", \"foreground\", or \"orphan\"\n"
    );
    let out = run(&mut c, "kubectl scale deployment web --replicas=-1");
    assert_eq!(
        out.merged(),
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"
    );
    let out = run(&mut c, "kubectl scale deployment web --replicas=99999999999");
    assert!(out.unsupported.is_some_and(|u| u.contains("--replicas=99999999999")));
    let out = run(&mut c, "kubectl create deployment x --image=nginx --dry-run=bogus");
    assert_eq!(
        out.merged(),
        "error: Invalid dry-run value (bogus). Must be \"none\", \"server\", or \"client\".\n"
    );
    let out = run(&mut c, "kubectl create deployment x --image=nginx -r 99999999999");
    assert_eq!(out.status, 1);
    assert!(out.merged().contains("value out of range"), "{}", out.merged());
    let out = run(&mut c, "kubectl get deployments -o name");
    assert_eq!(out.merged(), "deployment.apps/web\n");
    let out = run(&mut c, "kubectl create quota q --hard=pods");
    assert_eq!(out.merged(), "error: Invalid argument syntax pods, expected <resource>=<value>\n");
    let out = run(&mut c, "kubectl get quota");
    assert_eq!(out.merged(), "No resources found in default namespace.\n");
}

/// `create -f`, `delete`, `autoscale`, `cordon`/`uncordon`, `taint` and
/// `drain` with `--dry-run=client`: real kubectl 1.27's output for the same
/// command lines (fixtures from the script's stub apiserver, which serves
/// nodes `worker1` and a cordoned `master`, and one pod `web-1` on
/// `worker1`), and nothing in the cluster changed.
#[test]
fn more_verbs_client_dry_run_match_real_kubectl() {
    for version in ["v1.22.2", "v1.27.16"] {
        let (mut c, pod, node) = cluster(version);
        assert_eq!(node, "master");
        assert_eq!(run_line(&mut c, "kubectl cordon master").status, 0);
        let mut ws = Workspace::default();
        ws.write("create-f-manifest.yaml", include_str!("testdata/dry_run/create-f-manifest.yaml"));
        let before = (everything(&mut c), run_line(&mut c, "kubectl get nodes -o yaml").merged());
        let lines: &[(&str, &str)] = &[
            (
                "kubectl create -f create-f-manifest.yaml --dry-run=client",
                include_str!("testdata/dry_run/create_f.txt"),
            ),
            (
                "kubectl create -f create-f-manifest.yaml --dry-run=client -o yaml",
                include_str!("testdata/dry_run/create_f.yaml"),
            ),
            (
                "kubectl create -f create-f-manifest.yaml --dry-run=client -o json",
                include_str!("testdata/dry_run/create_f.json"),
            ),
            (
                "kubectl create -f create-f-manifest.yaml --dry-run=client -o name",
                include_str!("testdata/dry_run/create_f_name.txt"),
            ),
            (
                "kubectl create -f create-f-manifest.yaml -n demo --dry-run=client -o yaml",
                include_str!("testdata/dry_run/create_f_demo.yaml"),
            ),
            (
                "kubectl delete deployment web --dry-run=client",
                include_str!("testdata/dry_run/delete.txt"),
            ),
            (
                "kubectl delete deployment web --grace-period=0 --force --dry-run=client",
                include_str!("testdata/dry_run/delete_force.txt"),
            ),
            (
                "kubectl cordon worker1 --dry-run=client",
                include_str!("testdata/dry_run/cordon.txt"),
            ),
            (
                "kubectl cordon master --dry-run=client",
                include_str!("testdata/dry_run/cordon_already.txt"),
            ),
            (
                "kubectl uncordon master --dry-run=client",
                include_str!("testdata/dry_run/uncordon.txt"),
            ),
            (
                "kubectl taint nodes worker1 dedicated=db:NoSchedule --dry-run=client",
                include_str!("testdata/dry_run/taint.txt"),
            ),
            (
                "kubectl autoscale deployment web --min=2 --max=5 --cpu-percent=80 --dry-run=client",
                include_str!("testdata/dry_run/autoscale.txt"),
            ),
            (
                "kubectl autoscale deployment web --max=5 -n demo --dry-run=client -o yaml",
                include_str!("testdata/dry_run/autoscale.yaml"),
            ),
            (
                "kubectl autoscale deployment web --min=2 --max=5 --cpu-percent=80 --name=hpa1 --dry-run=client -o json",
                include_str!("testdata/dry_run/autoscale.json"),
            ),
            (
                "kubectl autoscale deployment web --max=5 --dry-run=client -o name",
                include_str!("testdata/dry_run/autoscale_name.txt"),
            ),
        ];
        // `-n demo` needs the namespace and its own Deployment `web`.
        assert_eq!(run_line(&mut c, "kubectl create namespace demo").status, 0);
        ws.write("web.yaml", DEPLOYMENT);
        let argv = shell_words::split("kubectl apply -f web.yaml -n demo").unwrap();
        assert_eq!(super::run(&mut c, &argv, &ws).status, 0);
        let before = (
            everything(&mut c),
            before.1,
            run_line(&mut c, "kubectl get deployments,hpa -A -o yaml").merged(),
        );
        for (line, want) in lines {
            let argv = shell_words::split(line).unwrap();
            let out = super::run(&mut c, &argv, &ws);
            assert_eq!(out.unsupported, None, "{line}");
            // v1.22 wrote this warning itself, in lower case
            // (`messages::immediate_deletion_warning`).
            let want = match version {
                "v1.22.2" => want.replace("Warning: Immediate", "warning: Immediate"),
                _ => want.to_string(),
            };
            assert_eq!(out.merged(), want, "{line} at {version}");
        }
        // The stub's one pod on worker1 is `web-1`; here it is the web pod
        // (`--pod-selector` leaves out the DaemonSet pods and CoreDNS
        // kubeplay's worker1 also runs).
        let out = run_line(
            &mut c,
            "kubectl drain worker1 --ignore-daemonsets --pod-selector=app=web --dry-run=client",
        );
        assert_eq!(out.unsupported, None);
        assert_eq!(
            out.merged(),
            include_str!("testdata/dry_run/drain.txt").replace("web-1", &pod),
            "at {version}"
        );
        let after = (
            everything(&mut c),
            run_line(&mut c, "kubectl get nodes -o yaml").merged(),
            run_line(&mut c, "kubectl get deployments,hpa -A -o yaml").merged(),
        );
        assert_eq!(after, before, "a client dry run changed the cluster");
    }
}

/// The same verbs with `--dry-run=server`: validated against the cluster
/// (a missing object is the apiserver's NotFound), printed with `(server
/// dry run)`, and nothing stored.
#[test]
fn more_verbs_server_dry_run_store_nothing() {
    let (mut c, pod, _) = cluster("v1.27.16");
    let mut ws = Workspace::default();
    ws.write("create-f-manifest.yaml", include_str!("testdata/dry_run/create-f-manifest.yaml"));
    let state = |c: &mut Cluster| {
        (
            everything(c),
            run_line(c, "kubectl get nodes -o yaml").merged(),
            run_line(c, "kubectl get deployments,hpa,pods -A -o yaml").merged(),
        )
    };
    let before = state(&mut c);
    for (line, want) in [
        (
            "kubectl create -f create-f-manifest.yaml --dry-run=server",
            "Error from server (AlreadyExists): error when creating \"create-f-manifest.yaml\": deployments.apps \"web\" already exists\nservice/web-svc created (server dry run)\n",
        ),
        (
            "kubectl delete deployment web --dry-run=server",
            "deployment.apps \"web\" deleted (server dry run)\n",
        ),
        (
            "kubectl delete deployment nosuch --dry-run=server",
            "Error from server (NotFound): deployments.apps \"nosuch\" not found\n",
        ),
        ("kubectl cordon worker1 --dry-run=server", "node/worker1 cordoned (server dry run)\n"),
        ("kubectl taint nodes worker1 a=b:NoSchedule --dry-run=server", "node/worker1 tainted\n"),
        (
            "kubectl autoscale deployment web --max=3 --dry-run=server",
            "horizontalpodautoscaler.autoscaling/web autoscaled (server dry run)\n",
        ),
    ] {
        let argv = shell_words::split(line).unwrap();
        let out = super::run(&mut c, &argv, &ws);
        assert_eq!(out.unsupported, None, "{line}");
        let merged = out.merged();
        let mut got: Vec<&str> = merged.lines().collect();
        let mut want: Vec<&str> = want.lines().collect();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "{line}");
    }
    let out = run_line(
        &mut c,
        "kubectl drain worker1 --ignore-daemonsets --pod-selector=app=web --dry-run=server",
    );
    assert_eq!(
        out.merged(),
        format!(
            "node/worker1 cordoned (server dry run)\nevicting pod default/{pod} (server dry run)\nnode/worker1 drained (server dry run)\n"
        )
    );
    assert_eq!(state(&mut c), before, "a server dry run changed the cluster");
    // `-o` of a server dry run stays unsupported, named.
    let out = super::run(
        &mut c,
        &shell_words::split("kubectl create -f create-f-manifest.yaml --dry-run=server -o yaml")
            .unwrap(),
        &ws,
    );
    assert_eq!(out.unsupported.as_deref(), Some("-o of a server dry run of kubectl create"));
    // `rollout restart|pause|resume` have no --dry-run in real kubectl.
    let out = run_line(&mut c, "kubectl rollout restart deployment web --dry-run=client");
    assert!(out.merged().starts_with("error: unknown flag: --dry-run"), "{}", out.merged());
    // For real, they change the cluster.
    assert_eq!(run_line(&mut c, "kubectl cordon worker1").merged(), "node/worker1 cordoned\n");
    assert_ne!(state(&mut c), before);
}

/// `label`, `annotate` and `set image` with `--local`: a file's objects
/// changed and printed on the client as real kubectl 1.27 prints them
/// (labels keep the file's unstructured map; `set image` prints the typed
/// struct), nothing sent.
#[test]
fn local_forms_match_real_kubectl() {
    let (mut c, _, _) = cluster("v1.27.16");
    let mut ws = Workspace::default();
    ws.write("local-manifest.yaml", include_str!("testdata/dry_run/local-manifest.yaml"));
    let before =
        (everything(&mut c), run_line(&mut c, "kubectl get deployments -A -o yaml").merged());
    for (line, want) in [
        (
            "kubectl label -f local-manifest.yaml --local tier=fe -o yaml",
            include_str!("testdata/dry_run/label_local.yaml"),
        ),
        (
            "kubectl label -f local-manifest.yaml --local tier=fe -o json",
            include_str!("testdata/dry_run/label_local.json"),
        ),
        (
            "kubectl label -f local-manifest.yaml --local tier=fe --dry-run=client",
            include_str!("testdata/dry_run/label_local.txt"),
        ),
        (
            "kubectl annotate -f local-manifest.yaml --local note=hi",
            include_str!("testdata/dry_run/annotate_local.txt"),
        ),
        (
            "kubectl set image -f local-manifest.yaml --local nginx=nginx:1.26 -o yaml",
            include_str!("testdata/dry_run/set_image_local.yaml"),
        ),
        (
            "kubectl set image -f local-manifest.yaml --local nginx=nginx:1.26 -o json",
            include_str!("testdata/dry_run/set_image_local.json"),
        ),
        (
            "kubectl set image -f local-manifest.yaml --local nginx=nginx:1.26",
            include_str!("testdata/dry_run/set_image_local.txt"),
        ),
        (
            "kubectl set image -f local-manifest.yaml --local nginx=nginx:1.26 --dry-run=server",
            include_str!("testdata/dry_run/set_image_local_server.txt"),
        ),
    ] {
        let argv = shell_words::split(line).unwrap();
        let out = super::run(&mut c, &argv, &ws);
        assert_eq!(out.unsupported, None, "{line}");
        assert_eq!(out.merged(), want, "{line}");
    }
    let after =
        (everything(&mut c), run_line(&mut c, "kubectl get deployments -A -o yaml").merged());
    assert_eq!(after, before, "--local changed the cluster");
    // Objects named in files but read from the server: named, not skipped.
    let argv = shell_words::split("kubectl label -f local-manifest.yaml tier=fe").unwrap();
    let out = super::run(&mut c, &argv, &ws);
    assert_eq!(
        out.unsupported.as_deref(),
        Some("flag --filename of kubectl label without --local")
    );
}

/// `scale -o`: scale.go prints the object as it read it, before scaling,
/// in every mode (real kubectl 1.27 prints the old `spec.replicas`).
#[test]
fn scale_prints_the_object_as_read() {
    let (mut c, _, _) = cluster("v1.27.16");
    for (line, want) in [
        (
            "kubectl scale deployment web --replicas=3 --dry-run=client -o jsonpath={.spec.replicas}",
            "1",
        ),
        (
            "kubectl scale deployment web --replicas=3 --dry-run=client -o name",
            "deployment.apps/web\n",
        ),
        (
            "kubectl scale deployment web --replicas=3 --dry-run=server -o jsonpath={.spec.replicas}",
            "1",
        ),
        ("kubectl get deployment web -o jsonpath={.spec.replicas}", "1"),
        ("kubectl scale deployment web --replicas=3 -o jsonpath={.spec.replicas}", "1"),
        ("kubectl get deployment web -o jsonpath={.spec.replicas}", "3"),
    ] {
        let out = run_line(&mut c, line);
        assert_eq!(out.unsupported, None, "{line}");
        assert_eq!(out.merged(), want, "{line}");
    }
}
