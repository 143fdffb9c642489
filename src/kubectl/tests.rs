//! End-to-end tests: kubectl command lines against a simulated cluster,
//! compared with the seed tutorial's outputs.

use crate::{
    output::{CommandOutput, Stream},
    sim::{Cluster, profile},
    workspace::Workspace,
};

/// A kubeadm v1.22.2 cluster as the seed tutorial's.
pub(crate) fn kubeadm() -> Cluster {
    Cluster::new(profile("kubeadm").expect("kubeadm profile"))
}

/// Runs `line` (split on whitespace) against `cluster`.
pub(crate) fn kubectl(cluster: &mut Cluster, line: &str) -> CommandOutput {
    let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    super::run(cluster, &argv, &Workspace::default())
}

/// stdout of a successful command.
pub(crate) fn ok(cluster: &mut Cluster, line: &str) -> String {
    let out = kubectl(cluster, line);
    assert_eq!(out.status, 0, "{line} failed: {}", out.merged());
    out.stream(Stream::Stdout)
}

/// stderr of a failed command.
pub(crate) fn fails(cluster: &mut Cluster, line: &str) -> String {
    let out = kubectl(cluster, line);
    assert_eq!(out.status, 1, "{line} should fail: {}", out.merged());
    out.stream(Stream::Stderr)
}

/// Runs `line` with `workspace`.
fn kubectl_in(cluster: &mut Cluster, workspace: &Workspace, line: &str) -> CommandOutput {
    let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    super::run(cluster, &argv, workspace)
}

const TESTDEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: testdeployment
spec:
  replicas: 3
  selector:
    matchLabels:
      example: deploymentnginx
  template:
    metadata:
      labels:
        example: deploymentnginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.7.9
        ports:
        - containerPort: 80
";

#[test]
fn seed_first_section_messages() {
    let mut c = kubeadm();
    assert_eq!(
        ok(&mut c, "kubectl create deployment test-nginx --image=nginx"),
        "deployment.apps/test-nginx created\n"
    );
    c.settle(10_000);
    let deployments = ok(&mut c, "kubectl get deployment");
    assert!(
        deployments.starts_with(
            "NAME         READY   UP-TO-DATE   AVAILABLE   AGE\ntest-nginx   1/1     1            1"
        ),
        "{deployments}"
    );
    assert_eq!(
        ok(&mut c, "kubectl expose deployment test-nginx --port=80 --type=NodePort"),
        "service/test-nginx exposed\n"
    );
    let svc = ok(&mut c, "kubectl get svc test-nginx");
    assert!(svc.contains("NodePort") && svc.contains("80:3"), "{svc}");
    assert_eq!(
        ok(&mut c, "kubectl scale deployment test-nginx --replicas=5"),
        "deployment.apps/test-nginx scaled\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl autoscale deployment test-nginx --min=1 --max=10"),
        "horizontalpodautoscaler.autoscaling/test-nginx autoscaled\n"
    );
    assert!(
        ok(&mut c, "kubectl get hpa")
            .contains("Deployment/test-nginx   <unknown>/80%   1         10")
    );
    c.settle(10_000);
    let pods = ok(&mut c, "kubectl get po");
    assert_eq!(pods.lines().count(), 6, "{pods}");
    let pod = pods.lines().nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let page = ok(&mut c, &format!("kubectl describe pod {pod}"));
    assert!(page.starts_with(&format!("Name:         {pod}\nNamespace:    default\n")), "{page}");
    assert!(page.contains("Controlled By:  ReplicaSet/test-nginx-"), "{page}");
    assert_eq!(
        ok(&mut c, &format!("kubectl delete pod {pod}")),
        format!("pod \"{pod}\" deleted\n")
    );
    assert_eq!(ok(&mut c, "kubectl delete svc test-nginx"), "service \"test-nginx\" deleted\n");
    assert_eq!(
        ok(&mut c, "kubectl delete deployment test-nginx"),
        "deployment.apps \"test-nginx\" deleted\n"
    );
}

#[test]
fn not_found_and_usage_errors() {
    let mut c = kubeadm();
    assert_eq!(
        fails(&mut c, "kubectl get pod x"),
        "Error from server (NotFound): pods \"x\" not found\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl get deploy/x"),
        "Error from server (NotFound): deployments.apps \"x\" not found\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl scale deployment x --replicas=3"),
        "Error from server (NotFound): deployments.apps \"x\" not found\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl scale deployment x"),
        "Error: required flag(s) \"replicas\" not set\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl scale deployment x --replicas=-1"),
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl get foo"),
        "error: the server doesn't have a resource type \"foo\"\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl delete pod x"),
        "Error from server (NotFound): pods \"x\" not found\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create deployment web"),
        "Error: required flag(s) \"image\" not set\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create deployment --image=nginx"),
        "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl autoscale deployment x --max=1 --min=3"),
        "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 1, min: 3\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl frobnicate"),
        "Error: unknown command \"frobnicate\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl get pods -x"),
        "Error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help' for usage.\n"
    );
    ok(&mut c, "kubectl create deployment web --image=nginx");
    assert_eq!(
        fails(&mut c, "kubectl create deployment web --image=nginx"),
        "error: failed to create deployment: deployments.apps \"web\" already exists\n"
    );
    let out = kubectl(&mut c, "kubectl get pods -n nowhere");
    assert_eq!(out.stream(Stream::Stderr), "No resources found in nowhere namespace.\n");
    assert_eq!(out.status, 0);
    // Served, generically stored, and there are none.
    let out = kubectl(&mut c, "kubectl get pv");
    assert_eq!((out.status, out.stream(Stream::Stderr)), (0, "No resources found\n".to_owned()));
    assert_eq!(
        fails(&mut c, "kubectl get frobs"),
        "error: the server doesn't have a resource type \"frobs\"\n"
    );
}

#[test]
fn apply_record_history_and_rollback() {
    let mut c = kubeadm();
    let mut ws = Workspace::default();
    ws.write("testdeployment.yaml", TESTDEPLOYMENT);
    let out = kubectl_in(&mut c, &ws, "kubectl apply -f testdeployment.yaml --record");
    assert_eq!(
        out.merged(),
        "Flag --record has been deprecated, --record will be removed in the future\ndeployment.apps/testdeployment created\n"
    );
    assert_eq!(
        out.stream(Stream::Stderr),
        "Flag --record has been deprecated, --record will be removed in the future\n"
    );
    c.settle(10_000);
    let page = ok(&mut c, "kubectl describe deployments testdeployment");
    assert!(page.contains(
        "Annotations:            deployment.kubernetes.io/revision: 1\n                        kubernetes.io/change-cause: kubectl apply --filename=testdeployment.yaml --record=true\n"
    ), "{page}");
    assert!(!page.contains("last-applied"));
    let out = kubectl_in(&mut c, &ws, "kubectl apply -f testdeployment.yaml --record");
    assert_eq!(out.stream(Stream::Stdout), "deployment.apps/testdeployment unchanged\n");

    ws.write(
        "testdeployment2.yaml",
        TESTDEPLOYMENT.replace("replicas: 3", "replicas: 5").replace("1.7.9", "1.8.1"),
    );
    let out = kubectl_in(&mut c, &ws, "kubectl apply -f testdeployment2.yaml --record");
    assert_eq!(out.stream(Stream::Stdout), "deployment.apps/testdeployment configured\n");
    c.settle(10_000);
    assert_eq!(
        ok(&mut c, "kubectl set image deploy testdeployment nginx=nginx:1.9.1 --record"),
        "deployment.apps/testdeployment image updated\n"
    );
    c.settle(10_000);
    assert_eq!(
        ok(&mut c, "kubectl rollout history deployment testdeployment"),
        "deployment.apps/testdeployment \nREVISION  CHANGE-CAUSE\n\
         1         kubectl apply --filename=testdeployment.yaml --record=true\n\
         2         kubectl apply --filename=testdeployment2.yaml --record=true\n\
         3         kubectl set image deploy testdeployment nginx=nginx:1.9.1 --record=true\n\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl rollout undo deployment testdeployment --to-revision=2"),
        "deployment.apps/testdeployment rolled back\n"
    );
    c.settle(10_000);
    let history = ok(&mut c, "kubectl rollout history deployment testdeployment");
    assert!(
        history
            .ends_with("4         kubectl apply --filename=testdeployment2.yaml --record=true\n\n"),
        "{history}"
    );
    assert!(!history.contains("\n2 "), "{history}");
    assert_eq!(
        fails(&mut c, "kubectl rollout undo deployment testdeployment --to-revision=9"),
        "error: unable to find specified revision 9 in history\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl rollout pause deploy testdeployment"),
        "deployment.apps/testdeployment paused\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl rollout pause deploy testdeployment"),
        "error: deployments.apps \"testdeployment\" is already paused\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl rollout resume deploy testdeployment"),
        "deployment.apps/testdeployment resumed\n"
    );
    // Right after a change, the controller has not observed it yet.
    assert!(
        ok(&mut c, "kubectl rollout status deployment/testdeployment")
            .starts_with("Waiting for deployment spec update to be observed...\n")
    );
    c.settle(10_000);
    assert_eq!(
        ok(&mut c, "kubectl rollout status deployment/testdeployment"),
        "deployment \"testdeployment\" successfully rolled out\n"
    );
    assert_eq!(
        kubectl_in(&mut c, &ws, "kubectl delete -f testdeployment.yaml").stream(Stream::Stdout),
        "deployment.apps \"testdeployment\" deleted\n"
    );
}

#[test]
fn malformed_manifests_leave_the_cluster_alone() {
    let mut c = kubeadm();
    let before = ok(&mut c, "kubectl get all -A");
    let mut ws = Workspace::default();
    ws.write("bad.yaml", "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n");
    ws.write(
        "broken.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  labels: a: b\n",
    );
    let out = kubectl_in(&mut c, &ws, "kubectl apply -f bad.yaml");
    assert_eq!(out.status, 1);
    assert_eq!(
        out.merged(),
        "error: unable to recognize \"bad.yaml\": no matches for kind \"Foo\" in version \"v1\"\n"
    );
    let out = kubectl_in(&mut c, &ws, "kubectl create -f broken.yaml");
    assert_eq!(
        out.merged(),
        "error: error parsing broken.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context\n"
    );
    assert_eq!(ok(&mut c, "kubectl get all -A"), before);
}

#[test]
fn read_only_commands() {
    let argv = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    for ro in [
        "kubectl get pods",
        "kubectl -n x describe pod y",
        "kubectl rollout history deploy/x",
        "kubectl rollout status deploy/x",
    ] {
        assert!(super::is_read_only(&argv(ro)), "{ro}");
    }
    for rw in [
        "kubectl delete pod x",
        "kubectl apply -f x.yaml",
        "kubectl rollout undo deploy/x",
        "kubectl foo",
    ] {
        assert!(!super::is_read_only(&argv(rw)), "{rw}");
    }
}

#[test]
fn builtin_kinds_without_their_controller_are_unsupported() {
    let mut c = kubeadm();
    let mut ws = Workspace::default();
    ws.write(
        "rc.yaml",
        "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: web}\nspec: {}\n".to_owned(),
    );
    ws.write(
        "old.yaml",
        "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: old}\n".to_owned(),
    );
    // Served and stored, but nothing would run its pods: the cluster
    // reports the missing controller, so the step is `unsupported`.
    let out = kubectl_in(&mut c, &ws, "kubectl apply -f rc.yaml");
    assert_eq!(out.merged(), "replicationcontroller/web created\n");
    assert_eq!(
        c.take_unsupported().as_deref(),
        Some("the ReplicationController controller in ReplicationController default/web")
    );
    // Removed in v1.16: a v1.22 cluster answers as kubectl does.
    let out = kubectl_in(&mut c, &ws, "kubectl apply -f old.yaml");
    assert_eq!(out.unsupported, None);
    assert_eq!(
        out.merged(),
        "error: unable to recognize \"old.yaml\": no matches for kind \"Deployment\" in version \"extensions/v1beta1\"\n"
    );
    // A listing of a kind whose default objects are not modelled.
    assert_eq!(
        kubectl(&mut c, "kubectl get componentstatuses").unsupported.as_deref(),
        Some("listing componentstatuses: component statuses of a real cluster (not modelled)")
    );
    assert_eq!(
        kubectl(&mut c, "kubectl get componentstatus scheduler").unsupported.as_deref(),
        Some("ComponentStatus \"scheduler\": component statuses of a real cluster (not modelled)")
    );
}

/// A cluster of `version` (kubeadm profile).
fn kubeadm_at(version: &str) -> Cluster {
    let mut config = profile("kubeadm").expect("kubeadm profile");
    config.version = crate::version::KubeVersion::parse(version).expect("a release");
    Cluster::new(config)
}

const UNKNOWN_FIELDS: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
spec:
  replicas: 1
  foo: bar
  selector:
    matchLabels:
      app: bad
  template:
    metadata:
      labels:
        app: bad
    spec:
      containers:
      - name: c
        image: nginx
        imagePullPolicyy: Always
";

/// kubectl v1.35.4 against a v1.35.4 API server, captured 2026-12-07.
#[test]
fn strict_field_validation_from_1_25() {
    let mut c = kubeadm_at("v1.35.4");
    let mut ws = Workspace::default();
    ws.write("bad.yaml", UNKNOWN_FIELDS);
    let strict = "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: \
        unknown field \"spec.foo\", unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"\n";
    for (line, verb) in [
        ("kubectl create -f bad.yaml", "creating"),
        ("kubectl apply -f bad.yaml", "creating"),
        ("kubectl create -f bad.yaml --dry-run=server", "creating"),
    ] {
        let out = kubectl_in(&mut c, &ws, line);
        assert_eq!(out.status, 1, "{line}");
        assert_eq!(
            out.merged(),
            format!("Error from server (BadRequest): error when {verb} \"bad.yaml\": {strict}"),
            "{line}"
        );
    }
    assert_eq!(kubectl(&mut c, "kubectl get deploy bad").status, 1, "nothing stored");
    let out = kubectl_in(&mut c, &ws, "kubectl create -f bad.yaml --dry-run=client");
    assert_eq!(out.merged(), "deployment.apps/bad created (dry run)\n");
    let out = kubectl_in(&mut c, &ws, "kubectl create -f bad.yaml --validate=warn");
    assert_eq!(
        out.merged(),
        "Warning: unknown field \"spec.foo\"\n\
         Warning: unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"\n\
         deployment.apps/bad created\n"
    );
    let out = kubectl_in(&mut c, &ws, "kubectl replace -f bad.yaml");
    assert!(out.merged().starts_with("Error from server (BadRequest): error when replacing"));
    let out = kubectl(&mut c, "kubectl delete deploy bad");
    assert_eq!(out.merged(), "deployment.apps \"bad\" deleted from default namespace\n");
    let out = kubectl_in(&mut c, &ws, "kubectl apply -f bad.yaml --validate=false");
    assert_eq!(out.merged(), "deployment.apps/bad created\n");
    // The stored object lost the unknown fields.
    let out = kubectl(&mut c, "kubectl get deploy bad -o jsonpath={.spec.foo}");
    assert_eq!(out.merged(), "");
    let out = kubectl_in(&mut c, &ws, "kubectl create -f bad.yaml --validate=nope");
    assert_eq!(
        out.merged(),
        "error: invalid - validate option \"nope\"; must be one of: strict (or true), warn, ignore (or false)\n"
    );
}

/// Before v1.25 kubectl validated against the OpenAPI schema itself;
/// those messages are not modelled, so the step says so.
#[test]
fn client_side_validation_before_1_25_is_unsupported() {
    let mut c = kubeadm_at("v1.22.2");
    let mut ws = Workspace::default();
    ws.write("bad.yaml", UNKNOWN_FIELDS);
    let out = kubectl_in(&mut c, &ws, "kubectl apply -f bad.yaml");
    assert!(
        out.unsupported.as_deref().is_some_and(|u| u.contains("unknown field spec.foo")),
        "{:?}",
        out.unsupported
    );
    let out = kubectl_in(&mut c, &ws, "kubectl apply -f bad.yaml --validate=false");
    assert_eq!(out.merged(), "deployment.apps/bad created\n");
    let out = kubectl(&mut c, "kubectl delete deploy bad");
    assert_eq!(out.merged(), "deployment.apps \"bad\" deleted\n");
}

/// Up to v1.15 a bare `deployment` is sent to extensions/v1beta1 (the
/// apiserver lists extensions before apps), and the messages name that
/// group; `deployments.apps` and objects kubectl generated keep apps
/// ([`crate::version::Fact::DeploymentsResolveToApps`]).
#[test]
fn typed_deployments_name_the_group_they_resolved_to() {
    let at = |minor| {
        let mut config = profile("kubeadm").expect("kubeadm profile");
        config.version = crate::version::KubeVersion::new(1, minor, 0);
        Cluster::new(config)
    };
    let mut c = at(15);
    assert_eq!(
        ok(&mut c, "kubectl create deployment web --image=nginx"),
        "deployment.apps/web created\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl scale deploy/web --replicas=2"),
        "deployment.extensions/web scaled\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl scale deployments.apps web --replicas=3"),
        "deployment.apps/web scaled\n"
    );
    assert_eq!(ok(&mut c, "kubectl delete deploy web"), "deployment.extensions \"web\" deleted\n");
    let mut c = at(16);
    ok(&mut c, "kubectl create deployment web --image=nginx");
    assert_eq!(ok(&mut c, "kubectl delete deployment web"), "deployment.apps \"web\" deleted\n");
}

/// [`crate::version::Fact::ServiceAccountTokenJti`]: a bound token has no
/// `jti` claim at v1.29 and one at v1.30.
#[test]
fn token_jti_from_v1_30() {
    use base64::Engine as _;
    for (version, jti) in [("v1.29.0", false), ("v1.30.0", true)] {
        let mut c = kubeadm_at(version);
        let token = ok(&mut c, "kubectl create token default");
        let payload = token.trim().split('.').nth(1).expect("a JWT");
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("base64url payload");
        let claims: serde_json::Value = serde_json::from_slice(&claims).expect("JSON claims");
        assert_eq!(claims.get("jti").is_some(), jti, "{version}: {claims}");
    }
}

/// [`crate::version::Fact::KindLocalPathStorageClass`]: kind's default
/// StorageClass on a v1.16 node image and on a v1.17 one.
#[test]
fn kind_storage_class_by_version() {
    for (minor, expected) in [
        (16, "kubernetes.io/host-path Immediate"),
        (17, "rancher.io/local-path WaitForFirstConsumer"),
    ] {
        let config =
            crate::sim::profiles::profile_at("kind", crate::version::KubeVersion::new(1, minor, 0))
                .expect("kind profile");
        let mut c = Cluster::new(config);
        let out = ok(&mut c, "kubectl get storageclass standard -o jsonpath={.provisioner}");
        let mode = ok(&mut c, "kubectl get storageclass standard -o jsonpath={.volumeBindingMode}");
        assert_eq!(format!("{out} {mode}"), expected, "v1.{minor}");
    }
}

/// An Endpoints whose trigger-time annotation was removed shows no empty
/// `annotations: {}`: the apiserver stores an empty map as none
/// (`omitempty`).
#[test]
fn endpoints_drop_an_emptied_annotation_map() {
    let mut cluster = kubeadm();
    ok(&mut cluster, "kubectl create deployment web --image=nginx");
    ok(&mut cluster, "kubectl expose deployment web --port=80");
    cluster.advance(std::time::Duration::from_secs(30));
    ok(&mut cluster, "kubectl scale deployment web --replicas=0");
    cluster.advance(std::time::Duration::from_secs(60));
    let yaml = ok(&mut cluster, "kubectl get endpoints web -o yaml");
    assert!(!yaml.contains("annotations: {}"), "{yaml}");
    assert!(!yaml.contains("last-change-trigger-time"), "{yaml}");
}
