//! `kubectl drain` against PodDisruptionBudgets: the eviction retry loop
//! and its messages, per kubectl version.

use super::tests::kubectl;
use crate::{
    output::Stream,
    sim::{Cluster, Kind, Object, podutil, profile},
    version::{Fact, KubeVersion},
    workspace::Workspace,
};

fn cluster(minor: u32) -> Cluster {
    let mut config = profile("kubeadm").expect("kubeadm profile");
    config.version = KubeVersion::new(1, minor, 0);
    Cluster::new(config)
}

/// A one-replica Deployment guarded by `minAvailable: 1`, so no eviction
/// is ever allowed; returns its pod and node.
fn guarded(c: &mut Cluster) -> (String, String) {
    let minor = c.config().version.minor();
    let api = if minor >= 21 { "policy/v1" } else { "policy/v1beta1" };
    let mut ws = Workspace::default();
    ws.write(
        "pdb.yaml",
        format!(
            "apiVersion: {api}\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n"
        ),
    );
    let argv = |line: &str| line.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    let out = super::run(c, &argv("kubectl create deployment web --image=nginx"), &ws);
    assert_eq!(out.status, 0, "{}", out.merged());
    let out = super::run(c, &argv("kubectl apply -f pdb.yaml"), &ws);
    assert_eq!(out.status, 0, "{}", out.merged());
    c.settle_within(std::time::Duration::from_secs(60), 100_000);
    let pod = c
        .list(Kind::Pod, Some("default"))
        .into_iter()
        .find_map(|o| match o {
            Object::Pod(p) => Some(p.clone()),
            _ => None,
        })
        .expect("the pod");
    let node = podutil::node_name(&pod).expect("scheduled").to_owned();
    (pod.metadata.name.unwrap_or_default(), node)
}

/// [`Fact::DrainEvictingNamesNamespace`] (v1.18) and
/// [`Fact::DrainEvictionErrorNamesNamespace`] (v1.20), each on both
/// sides: a drain blocked by its budget retries every 5 s and gives up at
/// `--timeout`, with the messages of each kubectl.
#[test]
fn drain_messages_by_version() {
    // Before v1.17 the timeout stopped the whole drain, which kubeplay
    // does not emulate; v1.13 did not announce evictions.
    for minor in [13, 16] {
        let mut c = cluster(minor);
        let (pod, node) = guarded(&mut c);
        let out =
            kubectl(&mut c, &format!("kubectl drain {node} --ignore-daemonsets --timeout=7s"));
        assert!(
            out.unsupported.as_deref().is_some_and(|u| u.contains("before kubectl 1.17")),
            "v1.{minor}: {out:?}"
        );
        assert!(!pod.is_empty());
    }
    for minor in [13, 14] {
        let mut c = cluster(minor);
        assert_eq!(kubectl(&mut c, "kubectl create deployment web --image=nginx").status, 0);
        c.settle_within(std::time::Duration::from_secs(60), 100_000);
        let pod = c.list(Kind::Pod, Some("default"))[0].clone();
        let node = match &pod {
            Object::Pod(p) => podutil::node_name(p).expect("scheduled").to_owned(),
            _ => unreachable!(),
        };
        let out = kubectl(&mut c, &format!("kubectl drain {node} --ignore-daemonsets"));
        assert_eq!(out.status, 0, "v1.{minor}: {}", out.merged());
        let stdout = out.stream(Stream::Stdout);
        let announced = stdout.contains(&format!("evicting pod \"{}\"", pod.name()));
        assert_eq!(
            announced,
            minor >= Fact::DrainAnnouncesEvictions.change().since,
            "v1.{minor}: {stdout}"
        );
        assert!(stdout.contains(&format!("pod/{} evicted", pod.name())), "v1.{minor}: {stdout}");
    }
    for minor in [17, 18, 19, 20, 35] {
        let mut c = cluster(minor);
        let (pod, node) = guarded(&mut c);
        let out =
            kubectl(&mut c, &format!("kubectl drain {node} --ignore-daemonsets --timeout=7s"));
        assert_eq!(out.status, 1, "v1.{minor}: {}", out.merged());
        let stdout = out.stream(Stream::Stdout);
        let evicting = if minor >= Fact::DrainEvictingNamesNamespace.change().since {
            format!("evicting pod default/{pod}\n")
        } else {
            format!("evicting pod \"{pod}\"\n")
        };
        // Attempts at 0 s and 5 s are refused; the one at 10 s is past
        // the deadline.
        assert_eq!(stdout.matches(&evicting).count(), 3, "v1.{minor}: {stdout}");
        let which = if minor >= Fact::DrainEvictionErrorNamesNamespace.change().since {
            format!("pods/\"{pod}\" -n \"default\"")
        } else {
            format!("pod \"{pod}\"")
        };
        let stderr = out.stream(Stream::Stderr);
        let retry = format!(
            "error when evicting {which} (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n"
        );
        assert_eq!(stderr.matches(&retry).count(), 2, "v1.{minor}: {stderr}");
        let timeout = format!("error when evicting {which}: global timeout reached: 7s");
        assert!(
            stderr.contains(&format!(
                "There are pending pods in node \"{node}\" when an error occurred: {timeout}\npod/{pod}\n"
            )),
            "v1.{minor}: {stderr}"
        );
        // From v1.23 the node's errors end the output without `error: `
        // (an aggregate inside an aggregate); before, `CheckErr` prefixes
        // the single error.
        let last = if minor >= Fact::DrainContinuesPastFailedNode.change().since {
            format!("{timeout}\n")
        } else {
            format!("error: {timeout}\n")
        };
        assert!(stderr.ends_with(&last), "v1.{minor}: {stderr}");
        assert!(c.list(Kind::Pod, Some("default")).iter().any(|o| o.name() == pod));
    }
}

/// `kubectl create pdb` on both sides of [`Fact::CreatePdbOptions`] (v1.21)
/// and [`Fact::CreatePdbPolicyV1`] (v1.22): unsupported before the options
/// form, then a `policy/v1beta1` budget (the server warns), then `policy/v1`.
#[test]
fn create_pdb_by_version() {
    let line = "kubectl create pdb web --selector=app=web --min-available=50%";
    let mut c = cluster(Fact::CreatePdbOptions.change().since - 1);
    let out = kubectl(&mut c, line);
    assert!(out.unsupported.as_deref().is_some_and(|u| u.contains("generator")), "{out:?}");
    for (minor, api) in [(21, "policy/v1beta1"), (22, "policy/v1")] {
        let mut c = cluster(minor);
        let out = kubectl(&mut c, line);
        assert_eq!(out.status, 0, "v1.{minor}: {}", out.merged());
        assert!(
            out.stream(Stream::Stdout).ends_with("poddisruptionbudget.policy/web created\n"),
            "v1.{minor}: {}",
            out.merged()
        );
        assert_eq!(
            out.stream(Stream::Stderr).contains("policy/v1beta1 PodDisruptionBudget is deprecated"),
            minor == 21,
            "v1.{minor}: {}",
            out.merged()
        );
        let yaml = kubectl(
            &mut c,
            "kubectl create pdb x --selector=app=web --max-unavailable=1 --dry-run=client -o yaml",
        );
        assert!(
            yaml.stream(Stream::Stdout).starts_with(&format!("apiVersion: {api}\n")),
            "v1.{minor}: {}",
            yaml.merged()
        );
    }
    let mut c = cluster(35);
    for (args, message) in [
        ("--min-available=1", "error: a selector must be specified\n"),
        (
            "--selector=app=web",
            "error: one of min-available or max-unavailable must be specified\n",
        ),
        (
            "--selector=app=web --min-available=1 --max-unavailable=1",
            "error: min-available and max-unavailable cannot be both specified\n",
        ),
        (
            "--selector=app=web --min-available=1Gb",
            "error: invalid format specified for min-available\n",
        ),
    ] {
        let out = kubectl(&mut c, &format!("kubectl create pdb web {args}"));
        assert_eq!((out.status, out.merged().as_str()), (1, message), "{args}");
    }
    let out = kubectl(
        &mut c,
        "kubectl create pdb web --selector=app=web,tier --max-unavailable=1 -o yaml --dry-run=client",
    );
    assert_eq!(
        out.stream(Stream::Stdout),
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n  selector:\n    matchExpressions:\n    - key: tier\n      operator: Exists\n    matchLabels:\n      app: web\nstatus:\n  currentHealthy: 0\n  desiredHealthy: 0\n  disruptionsAllowed: 0\n  expectedPods: 0\n"
    );
}

/// The refusal of a pod without a controller, on both sides of
/// [`Fact::DrainUnmanagedDeclareNoController`] (v1.24) and
/// [`Fact::DrainUnmanagedCannotDeletePrefix`] (v1.30); and, from v1.23
/// ([`Fact::DrainContinuesPastFailedNode`]), several failed nodes each
/// reported and passed over, their errors a line each at the end (the
/// form of real kubectl 1.35.4 against two kwok nodes).
#[test]
fn drain_unmanaged_messages_by_version() {
    let bare = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare1\nspec:\n  nodeName: worker1\n  containers:\n  - name: c\n    image: nginx\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: bare2\nspec:\n  nodeName: worker2\n  containers:\n  - name: c\n    image: nginx\n";
    for (minor, fatal) in [
        (
            23,
            "Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet (use --force to override)",
        ),
        (24, "Pods declare no controller (use --force to override)"),
        (29, "Pods declare no controller (use --force to override)"),
        (30, "cannot delete Pods that declare no controller (use --force to override)"),
    ] {
        let mut config = profile("kubeadm").expect("kubeadm profile");
        config.version = KubeVersion::new(1, minor, 0);
        let mut second = config.nodes.last().expect("a worker").clone();
        second.name = "worker2".to_owned();
        second.ip = "192.168.200.13".to_owned();
        config.nodes.retain(|n| n.name != "worker2");
        config.nodes.push(second);
        let mut c = Cluster::new(config);
        let mut ws = Workspace::default();
        ws.write("bare.yaml", bare.to_owned());
        let argv = |line: &str| line.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let out = super::run(&mut c, &argv("kubectl apply -f bare.yaml"), &ws);
        assert_eq!(out.status, 0, "{}", out.merged());
        c.settle_within(std::time::Duration::from_secs(60), 100_000);
        let out = kubectl(&mut c, "kubectl drain worker1 worker2 --ignore-daemonsets");
        assert_eq!(out.status, 1, "v1.{minor}: {}", out.merged());
        let space = if minor >= 31 { " " } else { "" };
        let expected = format!(
            "error: unable to drain node \"worker1\" due to error:{space}cannot delete {fatal}: default/bare1, continuing command...\n\
             error: unable to drain node \"worker2\" due to error:{space}cannot delete {fatal}: default/bare2, continuing command...\n\
             There are pending nodes to be drained:\n worker1\n worker2\n\
             cannot delete {fatal}: default/bare1\n\
             cannot delete {fatal}: default/bare2\n"
        );
        assert_eq!(out.stream(Stream::Stderr), expected, "v1.{minor}");
        let out = kubectl(&mut c, "kubectl drain worker1 --ignore-daemonsets --force");
        let warning = if minor >= 24 {
            "deleting Pods that declare no controller"
        } else {
            "deleting Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet"
        };
        assert!(
            out.merged().contains(&format!("{warning}: default/bare1")),
            "v1.{minor}: {}",
            out.merged()
        );
    }
}
