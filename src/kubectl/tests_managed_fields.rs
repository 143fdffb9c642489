//! Managed fields through kubectl, on both sides of each version
//! boundary (`version/facts.rs`): who kubectl names as the manager, when
//! `get` prints the entries, scale's subresource entry, and the help
//! printed after an apply conflict.

use crate::{
    output::{CommandOutput, Stream},
    sim::{Cluster, profiles::profile_at},
    version::KubeVersion,
    workspace::Workspace,
};

fn cluster(version: &str) -> Cluster {
    let v = KubeVersion::parse(version).expect("version");
    Cluster::new(profile_at("kubeadm", v).expect("kubeadm profile"))
}

fn run(cluster: &mut Cluster, ws: &Workspace, line: &str) -> CommandOutput {
    let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    super::run(cluster, &argv, ws)
}

fn ok(cluster: &mut Cluster, ws: &Workspace, line: &str) -> String {
    let out = run(cluster, ws, line);
    assert_eq!(out.status, 0, "{line}: {}", out.merged());
    out.stream(Stream::Stdout)
}

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  a: \"1\"\n";
const CM2: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  a: \"2\"\n";

fn workspace() -> Workspace {
    let mut ws = Workspace::default();
    ws.write("cm.yaml", CM);
    ws.write("cm2.yaml", CM2);
    ws
}

#[test]
fn kubectl_field_managers_from_v1_19() {
    let ws = workspace();
    for (version, manager) in
        [("v1.18.0", "manager: kubectl\n"), ("v1.19.0", "manager: kubectl-create\n")]
    {
        let mut c = cluster(version);
        ok(&mut c, &ws, "kubectl create configmap plain --from-literal=k=v");
        let yaml = ok(&mut c, &ws, "kubectl get configmap plain -o yaml");
        assert!(yaml.contains(manager), "{version}: {yaml}");
    }
    // `--field-manager` names it instead.
    let mut c = cluster("v1.33.0");
    ok(&mut c, &ws, "kubectl create configmap named --from-literal=k=v --field-manager=mine");
    let yaml = ok(&mut c, &ws, "kubectl get configmap named -o yaml --show-managed-fields");
    assert!(yaml.contains("manager: mine\n"), "{yaml}");
}

#[test]
fn get_shows_managed_fields_by_version() {
    let ws = workspace();
    let mut c = cluster("v1.20.0");
    ok(&mut c, &ws, "kubectl apply -f cm.yaml");
    let yaml = ok(&mut c, &ws, "kubectl get configmap conf -o yaml");
    assert!(yaml.contains("  managedFields:\n") && yaml.contains("kubectl-client-side-apply"));
    let mut c = cluster("v1.21.0");
    ok(&mut c, &ws, "kubectl apply -f cm.yaml");
    let yaml = ok(&mut c, &ws, "kubectl get configmap conf -o yaml");
    assert!(!yaml.contains("managedFields"), "{yaml}");
    let yaml = ok(&mut c, &ws, "kubectl get configmap conf -o yaml --show-managed-fields");
    assert!(yaml.contains("manager: kubectl-client-side-apply\n"), "{yaml}");
    // Before v1.16 objects have none.
    let mut c = cluster("v1.15.0");
    ok(&mut c, &ws, "kubectl apply -f cm.yaml");
    assert!(!ok(&mut c, &ws, "kubectl get configmap conf -o yaml").contains("managedFields"));
}

#[test]
fn scale_writes_are_attributed_from_v1_22() {
    let ws = workspace();
    let r = crate::sim::ObjectRef::namespaced(crate::sim::Kind::Deployment, "default", "web");
    let scaled = |version: &str| {
        let mut c = cluster(version);
        ok(&mut c, &ws, "kubectl create deployment web --image=nginx");
        ok(&mut c, &ws, "kubectl scale deployment web --replicas=3");
        let object = c.get(&r).expect("deployment").clone();
        c.managed_fields(&object)
    };
    // Before v1.22 the scale write is not attributed: its field is a
    // controller's as far as the simulator knows.
    let why = scaled("v1.21.0").expect_err("scale not attributed");
    assert!(why.describe(&r).contains(".spec.replicas"), "{}", why.describe(&r));
    // From v1.22 it is kubectl's (the User-Agent's program), through the
    // scale subresource, without a time (recorded on v1.33.13), first.
    let entries = scaled("v1.22.0").expect("attributed");
    let first: Vec<&str> = entries[0].iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        first,
        ["manager", "operation", "apiVersion", "fieldsType", "fieldsV1", "subresource"]
    );
    assert_eq!(entries[0][0].1, "kubectl");
    assert_eq!(entries[0][4].1, serde_json::json!({"f:spec": {"f:replicas": {}}}));
    assert_eq!(entries[0][5].1, "scale");
}

#[test]
fn apply_conflict_help_by_version() {
    let ws = workspace();
    let help = |version: &str| {
        let mut c = cluster(version);
        ok(&mut c, &ws, "kubectl apply --server-side -f cm.yaml");
        let out = run(&mut c, &ws, "kubectl apply --server-side -f cm2.yaml --field-manager=other");
        assert_eq!(out.status, 1, "{version}: {}", out.merged());
        out.stream(Stream::Stderr)
    };
    let v17 = help("v1.17.0");
    assert!(v17.starts_with(
        "error: Apply failed with 1 conflict: conflict with \"kubectl\": .data.a\n\nPlease review"
    ));
    assert!(
        v17.ends_with("\n\nSee http://k8s.io/docs/reference/using-api/api-concepts/#conflicts\n")
    );
    let v20 = help("v1.20.0");
    assert!(v20.contains(".data.a\nPlease review"));
    assert!(v20.ends_with(
        "configuration).\nSee http://k8s.io/docs/reference/using-api/api-concepts/#conflicts\n"
    ));
    let v21 = help("v1.21.0");
    assert!(v21.ends_with(
        "\nSee https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts\n"
    ));
}

#[test]
fn server_side_apply_validates_its_flags() {
    let ws = workspace();
    let mut c = cluster("v1.33.0");
    let out = run(&mut c, &ws, "kubectl apply -f cm.yaml --force-conflicts");
    assert_eq!(
        out.stream(Stream::Stderr),
        "error: --force-conflicts only works with --server-side\n"
    );
    let out = run(&mut c, &ws, "kubectl apply -f cm.yaml --server-side --dry-run=client");
    assert_eq!(
        out.stream(Stream::Stderr),
        "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)\n"
    );
    // A server dry run stores nothing.
    assert_eq!(
        ok(&mut c, &ws, "kubectl apply -f cm.yaml --server-side --dry-run=server"),
        "configmap/conf serverside-applied (server dry run)\n"
    );
    assert_eq!(run(&mut c, &ws, "kubectl get configmap conf").status, 1);
}
