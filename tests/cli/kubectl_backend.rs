//! The real-cluster backend is safe on a user's cluster (issue 11): a
//! logging stand-in kubectl (`tests/fixtures/logging-kubectl`) records
//! every argv, and each test checks the exact argv sent, or that the step
//! was refused by name and nothing was sent for it. A last test runs the
//! real kubectl against two local fake API servers.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use super::support::*;

/// A folder of its own for one test: scenario files, the stand-in's log,
/// and kubeplay's TMPDIR (so leftovers can be checked).
struct Sandbox {
    dir: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Sandbox {
        let dir = std::env::temp_dir()
            .join(format!("kubeplay-backend-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tmp")).expect("sandbox");
        Sandbox { dir }
    }

    fn scenario(&self, name: &str, front: &str, body: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, format!("---\ntitle: {name}\n{front}---\n\n{body}")).expect("write");
        path
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kubeplay"));
        let fake = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logging-kubectl");
        command
            .arg("run")
            .args(["--backend", "kubectl", "--kubectl"])
            .arg(fake)
            .args(args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .env("TMPDIR", self.dir.join("tmp"))
            .env("FAKE_KUBECTL_LOG", self.dir.join("log"))
            .env_remove("CI");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("kubeplay runs")
    }

    /// The calls logged, with the run's own names as `PRIVATE`, `WS`, `NS`.
    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.join("log"))
            .unwrap_or_default()
            .lines()
            .map(private_paths)
            .collect()
    }

    /// Nothing is left in kubeplay's TMPDIR.
    fn assert_no_leftovers(&self) {
        let left: Vec<_> = std::fs::read_dir(self.dir.join("tmp"))
            .expect("tmp")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const CONFIG: &str = "--context=test config view --minify --flatten --raw";
const CREATE: &str = "--kubeconfig=PRIVATE --context=test create --validate=false -f -";
const DELETE: &str = "--kubeconfig=PRIVATE --context=test delete namespace NS --wait=false";

/// One step: with `capabilities`, on context `test`. Returns the report
/// and the calls logged between creating and deleting the namespace.
fn one_step(capabilities: &str, line: &str) -> (Output, String, Vec<String>, Sandbox) {
    let sandbox = Sandbox::new(&format!("{:x}", hash(&format!("{capabilities}{line}"))));
    let front = if capabilities.is_empty() {
        String::new()
    } else {
        format!("capabilities: [{capabilities}]\n")
    };
    sandbox.scenario("s.md", &front, &format!("```console\n$ {line}\n```\n"));
    let out = sandbox.run(&["--context", "test", "s.md"]);
    let calls = sandbox.calls();
    assert_eq!(calls.first().map(String::as_str), Some(CONFIG), "{calls:?}");
    assert_eq!(calls.get(1).map(String::as_str), Some(CREATE), "{calls:?}");
    assert!(calls.iter().any(|c| c == DELETE), "namespace not deleted: {calls:?}");
    sandbox.assert_no_leftovers();
    let middle = calls[2..].iter().filter(|c| *c != DELETE).cloned().collect();
    (out.clone(), text(&out), middle, sandbox)
}

fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// A refused step: exit 3, `unsupported: WHAT`, and nothing sent for it.
fn assert_refused(line: &str, what: &str) {
    let (out, report, calls, _sandbox) = one_step("", line);
    assert_eq!(out.status.code(), Some(3), "{line}: {report}");
    assert!(report.contains(&format!("unsupported: {what}")), "{line}: {report}");
    assert!(calls.is_empty(), "{line}: sent {calls:?}");
}

/// An accepted step: exactly `expected` sent (after the global flags).
fn assert_sent(capabilities: &str, line: &str, expected: &[&str]) -> String {
    let (out, report, calls, _sandbox) = one_step(capabilities, line);
    assert_eq!(out.status.code(), Some(0), "{line}: {report}");
    let expected: Vec<String> =
        expected.iter().map(|e| format!("--kubeplay=PRIVATE --context=test {e}")).collect();
    let expected: Vec<String> =
        expected.iter().map(|e| e.replace("--kubeplay=", "--kubeconfig=")).collect();
    assert_eq!(calls, expected, "{line}");
    report
}

#[test]
fn cluster_scoped_and_namespace_escaping_writes_need_a_declared_capability() {
    for (line, what) in [
        ("kubectl cordon node1", "node node1 on a real cluster (declare `capabilities: [nodes]`)"),
        ("kubectl drain node1", "node node1 on a real cluster (declare `capabilities: [nodes]`)"),
        (
            "kubectl taint nodes --all node-role.kubernetes.io/master-",
            "node (selected) on a real cluster (declare `capabilities: [nodes]`)",
        ),
        (
            "kubectl delete namespace kube-system",
            "namespace kube-system on a real cluster (declare `capabilities: [cluster-scoped]`)",
        ),
        (
            "kubectl delete nodes --all",
            "node (selected) on a real cluster (declare `capabilities: [nodes]`)",
        ),
        (
            "kubectl delete crd --all",
            "crd (selected) on a real cluster (declare `capabilities: [cluster-scoped]`)",
        ),
        (
            "kubectl delete pods --all -A",
            "all namespaces on a real cluster (declare `capabilities: [other-namespaces]`)",
        ),
        (
            "kubectl -n kube-system delete deployment coredns",
            "namespace kube-system on a real cluster (declare `capabilities: [other-namespaces]`)",
        ),
        (
            "kubectl create clusterrole reader --verb=get --resource=pods",
            "clusterrole reader on a real cluster (declare `capabilities: [cluster-scoped]`)",
        ),
        ("kubectl krew list", "kubectl plugin `kubectl krew` (declare `capabilities: [plugins]`)"),
    ] {
        assert_refused(line, what);
    }
}

#[test]
fn declared_node_changes_run_are_reported_and_undone() {
    let report = assert_sent(
        "nodes",
        "kubectl cordon node1",
        &["--namespace=NS cordon node1", "uncordon node1"],
    );
    assert!(report.contains("outside its namespace: node node1: kubectl cordon node1"), "{report}");
    assert_sent(
        "nodes",
        "kubectl taint nodes node1 dedicated=gpu:NoSchedule",
        &[
            "--namespace=NS taint nodes node1 dedicated=gpu:NoSchedule",
            "taint nodes node1 dedicated:NoSchedule-",
        ],
    );
    assert_sent(
        "cluster-scoped",
        "kubectl create namespace demo",
        &[
            "--namespace=NS create namespace demo",
            "delete namespace demo --ignore-not-found --wait=false",
        ],
    );
    assert_sent("other-namespaces", "kubectl delete pods --all -A", &["delete pods --all -A"]);
}

#[test]
fn steps_cannot_leave_the_named_context() {
    let flag = |f: &str| {
        format!("flag --{f} on a real cluster (kubeplay uses only the context you named)")
    };
    assert_refused("kubectl --context=production get pods", &flag("context"));
    assert_refused("kubectl get pods --kubeconfig=other", &flag("kubeconfig"));
    assert_refused("kubectl --server=https://10.0.0.1:6443 --token=abc get pods", &flag("server"));
    assert_refused("kubectl --as=system:admin --as-group=system:masters get pods", &flag("as"));
    assert_refused(
        "kubectl get pods --insecure-skip-tls-verify",
        &flag("insecure-skip-tls-verify"),
    );
    assert_refused(
        "kubectl config set clusters.test.server https://10.0.0.1",
        "kubectl config set on a real cluster (it would change the cluster or credentials kubeplay was given)",
    );
    // KUBECONFIG, exported or for one command, is refused by name.
    let kubeconfig =
        "setting KUBECONFIG (kubeplay uses only the kubeconfig and context it was given)";
    assert_refused("export KUBECONFIG=/root/.kube/prod", kubeconfig);
    assert_refused("KUBECONFIG=/root/.kube/prod kubectl get pods", kubeconfig);
    // `config use-context` acts on the private copy (which holds one context).
    assert_sent(
        "",
        "kubectl config use-context production",
        &["--namespace=NS config use-context production"],
    );
}

#[test]
fn an_empty_or_missing_context_is_refused_before_any_kubectl_call() {
    let sandbox = Sandbox::new("empty-context");
    sandbox.scenario("s.md", "", "```console\n$ kubectl get pods\n```\n");
    for args in [&["--context", "", "s.md"][..], &["s.md"][..]] {
        let out = sandbox.run(args);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(text(&out).contains("needs --context NAME"), "{}", text(&out));
    }
    assert!(sandbox.calls().is_empty(), "{:?}", sandbox.calls());
}

#[test]
fn the_namespace_is_added_after_parsing_so_container_commands_keep_their_words() {
    assert_sent(
        "",
        "kubectl exec web -- grep -n root /etc/passwd",
        &["--namespace=NS exec web -- grep -n root /etc/passwd"],
    );
    assert_sent(
        "",
        "kubectl run t --image=busybox -- ls -A /",
        &["--namespace=NS run t --image=busybox -- ls -A /"],
    );
    assert_sent(
        "",
        "kubectl create job j --image=busybox -- find / -name x",
        &["--namespace=NS create job j --image=busybox -- find / -name x"],
    );
}

#[test]
fn files_stay_in_the_workspace() {
    let sandbox = Sandbox::new("files");
    let outside = sandbox.dir.join("escaped");
    let climb = "../".repeat(outside.components().count() + 2);
    let escaped = format!("{climb}{}", outside.display().to_string().trim_start_matches('/'));
    sandbox.scenario(
        "s.md",
        "",
        &format!(
            "```yaml file={escaped}\nkind: ConfigMap\n```\n\n```yaml file=https://example.com/../../{escaped}\nkind: ConfigMap\n```\n\n```console\n$ kubectl get pods > {escaped}2\n$ kubectl apply -f {escaped}\n$ kubectl apply -f /root/app.yaml\n$ kubectl apply -f https://example.com/../../{escaped}\n```\n"
        ),
    );
    let out = sandbox.run(&["--context", "test", "s.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!outside.exists() && !sandbox.dir.join("escaped2").exists(), "a file escaped");
    let calls = sandbox.calls();
    let inside = outside.display().to_string();
    assert_eq!(
        calls[3],
        format!("--kubeconfig=PRIVATE --context=test --namespace=NS apply -f WS{inside}")
    );
    assert_eq!(
        calls[4],
        "--kubeconfig=PRIVATE --context=test --namespace=NS apply -f WS/root/app.yaml"
    );
    assert!(calls[5].starts_with("--kubeconfig=PRIVATE --context=test --namespace=NS apply -f WS/.kubeplay/urls/https:%2F%2Fexample.com"), "{calls:?}");
    sandbox.assert_no_leftovers();
    // A URL no file block supplies is not fetched unless declared.
    assert_refused(
        "kubectl apply -f https://example.com/app.yaml",
        "reading https://example.com/app.yaml from the network (give it as a file block, or declare `capabilities: [urls]`)",
    );
}

#[test]
fn private_files_are_readable_by_the_user_alone_and_removed() {
    let sandbox = Sandbox::new("modes");
    sandbox.scenario(
        "s.md",
        "",
        "```yaml file=secret.yaml\nkind: Secret\nstringData: {password: hunter2}\n```\n\n```console\n$ kubectl apply -f secret.yaml\n```\n",
    );
    let out = sandbox.run(&["--context", "test", "s.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let log = std::fs::read_to_string(sandbox.dir.join("log")).unwrap_or_default();
    assert!(log.contains("modes 700 600 "), "{log}");
    sandbox.assert_no_leftovers();
}

#[test]
fn namespaces_are_unique_per_run() {
    let sandbox = Sandbox::new("unique");
    sandbox.scenario("s.md", "", "```console\n$ kubectl get pods\n```\n");
    sandbox.run(&["--context", "test", "s.md"]);
    sandbox.run(&["--context", "test", "s.md"]);
    let log = std::fs::read_to_string(sandbox.dir.join("log")).unwrap_or_default();
    let names: std::collections::BTreeSet<&str> =
        log.split_whitespace().filter_map(|w| w.strip_prefix("--namespace=")).collect();
    assert_eq!(names.len(), 2, "{log}");
}

#[test]
fn commands_with_effects_run_once_and_only_reads_are_retried() {
    let sandbox = Sandbox::new("once");
    sandbox.scenario(
        "s.md",
        "timeout: 3s\n",
        "```console\n$ kubectl exec web -- touch /x\nsomething it never prints\n```\n",
    );
    let out = sandbox.run(&["--context", "test", "s.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let execs = sandbox.calls().iter().filter(|c| c.contains(" exec ")).count();
    assert_eq!(execs, 1, "{:?}", sandbox.calls());
    sandbox.scenario(
        "r.md",
        "timeout: 3s\n",
        "```console\n$ kubectl get pods\nsomething it never prints\n```\n",
    );
    std::fs::remove_file(sandbox.dir.join("log")).ok();
    sandbox.run(&["--context", "test", "r.md"]);
    let gets = sandbox.calls().iter().filter(|c| c.ends_with(" get pods")).count();
    assert!(gets >= 2, "a read is retried: {:?}", sandbox.calls());
}

#[test]
fn followers_and_slow_commands_are_stopped() {
    let sandbox = Sandbox::new("deadline");
    // `logs -f` ends once the expected line is printed.
    sandbox.scenario("f.md", "", "```console\n$ kubectl logs -f web\nstarted\n```\n");
    let started = Instant::now();
    let out = sandbox.run(&["--context", "test", "f.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // Any other command is stopped at the step's timeout.
    sandbox.scenario(
        "w.md",
        "timeout: 2s\n",
        "```console\n$ kubectl wait --for=condition=Ready pod/slow\n```\n",
    );
    let out = sandbox.run(&["--context", "test", "w.md"]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("did not finish within the step's timeout (2s)"), "{}", text(&out));
    assert!(started.elapsed() < Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(300));
    let log = std::fs::read_to_string(sandbox.dir.join("log")).unwrap_or_default();
    assert!(!log.contains("not interrupted") && !log.contains("not stopped"), "{log}");
    sandbox.assert_no_leftovers();
}

/// SIGINT or SIGTERM to kubeplay's process alone: the running kubectl
/// (and what it started) is stopped, the namespace deleted, the folder
/// removed, and the exit status is 128 + the signal.
fn interrupted_by(signal: &str, status: i32) {
    let sandbox = Sandbox::new(&format!("signal-{signal}"));
    sandbox.scenario(
        "s.md",
        "",
        "```console\n$ kubectl wait --for=condition=Ready pod/slow\n```\n",
    );
    let child = sandbox
        .command(&["--context", "test", "s.md"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubeplay starts");
    let waited = Instant::now();
    while !sandbox.calls().iter().any(|c| c.contains(" wait ")) {
        assert!(waited.elapsed() < Duration::from_secs(30), "the step never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let killed =
        Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
    assert!(killed.is_ok_and(|s| s.success()));
    let out = child.wait_with_output().expect("kubeplay ends");
    assert_eq!(out.status.code(), Some(status), "{}", text(&out));
    assert!(sandbox.calls().iter().any(|c| c == DELETE), "{:?}", sandbox.calls());
    std::thread::sleep(Duration::from_millis(300));
    let log = std::fs::read_to_string(sandbox.dir.join("log")).unwrap_or_default();
    assert!(!log.contains("not stopped"), "{log}");
    sandbox.assert_no_leftovers();
}

#[test]
fn sigint_stops_kubectl_cleans_up_and_exits_130() {
    interrupted_by("INT", 130);
}

#[test]
fn sigterm_stops_kubectl_cleans_up_and_exits_143() {
    interrupted_by("TERM", 143);
}

#[test]
fn bless_is_refused_on_a_real_cluster() {
    let sandbox = Sandbox::new("bless");
    sandbox.scenario("s.md", "", "```console\n$ kubectl cordon node1\n```\n");
    let out = sandbox.run(&["--context", "test", "--bless", "s.md"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--bless runs only on the simulator"), "{}", text(&out));
    assert!(sandbox.calls().is_empty());
}

#[test]
fn scenarios_with_cluster_wide_capabilities_run_alone() {
    let sandbox = Sandbox::new("alone");
    for name in ["a.md", "b.md"] {
        sandbox.scenario(
            name,
            "capabilities: [nodes]\n",
            "```console\n$ kubectl cordon node1\n$ sleep 1\n```\n",
        );
    }
    let out = sandbox.run(&["--context", "test", "-j", "2", "a.md", "b.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // Each run's calls come as one block: create, cordon, uncordon, delete.
    let calls: Vec<String> =
        sandbox.calls().into_iter().filter(|c| !c.contains("config view")).collect();
    for pair in calls.chunks(4) {
        assert!(
            pair[0].ends_with("create --validate=false -f -")
                && pair[3].contains("delete namespace"),
            "{calls:?}"
        );
    }
}

/// A fake API server on 127.0.0.1: answers kubectl's discovery and lists
/// with empty results, and records every request line.
fn fake_api_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                loop {
                    let mut request = String::new();
                    if reader.read_line(&mut request).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut length = 0;
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:")
                        {
                            length = v.trim().parse().unwrap_or(0);
                        }
                        if header == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0; length];
                    let _ = reader.read_exact(&mut body);
                    seen.lock().unwrap().push(request.trim().to_owned());
                    let path = request.split(' ').nth(1).unwrap_or("/");
                    let answer = fake_answer(request.split(' ').next().unwrap_or(""), path);
                    let status = if answer == "404" { "404 Not Found" } else { "200 OK" };
                    let response = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{answer}",
                        answer.len()
                    );
                    if reader.get_mut().write_all(response.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (address, requests)
}

fn fake_answer(method: &str, path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    match path {
        "/api" => r#"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}"#.into(),
        "/apis" => r#"{"kind":"APIGroupList","apiVersion":"v1","groups":[]}"#.into(),
        "/api/v1" => r#"{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["create","delete","get","list"],"shortNames":["ns"]},{"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["create","delete","get","list"],"shortNames":["po"]}]}"#.into(),
        // No OpenAPI documents: kubectl then skips client-side validation.
        p if p.starts_with("/openapi") => "404".into(),
        "/version" => r#"{"major":"1","minor":"30","gitVersion":"v1.30.0"}"#.into(),
        p if method == "POST" && p == "/api/v1/namespaces" => {
            r#"{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"created"}}"#.into()
        }
        p if method == "DELETE" => format!(
            r#"{{"kind":"Status","apiVersion":"v1","status":"Success","details":{{"name":"{}"}}}}"#,
            p.rsplit('/').next().unwrap_or_default()
        ),
        _ => r#"{"kind":"List","apiVersion":"v1","metadata":{},"items":[]}"#.into(),
    }
}

/// The real kubectl, two local API servers: a kubeconfig with contexts
/// `test` and `production`, a run with `--context test` whose steps try
/// every way to the other one. The production server gets no request.
#[test]
fn a_scenario_cannot_reach_another_cluster_with_the_real_kubectl() {
    let Some(kubectl) = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|p| p.join("kubectl")).find(|p| p.is_file())
    }) else {
        eprintln!("skipped: no kubectl on PATH (this test needs the real kubectl)");
        return;
    };
    let (test_server, test_requests) = fake_api_server();
    let (prod_server, prod_requests) = fake_api_server();
    let sandbox = Sandbox::new("two-clusters");
    let kubeconfig = sandbox.dir.join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster: {{server: \"{test_server}\"}}\n- name: prod\n  cluster: {{server: \"{prod_server}\"}}\nusers:\n- name: u\n  user: {{token: abc}}\ncontexts:\n- name: test\n  context: {{cluster: test, user: u}}\n- name: production\n  context: {{cluster: prod, user: u}}\ncurrent-context: production\n"
        ),
    )
    .expect("kubeconfig");
    let mut lines = vec![
        "kubectl get pods".to_owned(),
        "kubectl config use-context production".to_owned(),
        "kubectl get pods".to_owned(),
    ];
    for escape in [
        "kubectl --context=production get pods".to_owned(),
        format!("kubectl --kubeconfig={} get pods", kubeconfig.display()),
        format!("kubectl --server={prod_server} get pods"),
        "kubectl --cluster=prod get pods".to_owned(),
        format!("kubectl config set-cluster test --server={prod_server}"),
    ] {
        lines.push(escape);
    }
    let mut results = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        sandbox.scenario(
            &format!("s{i}.md"),
            "timeout: 1s\n",
            &format!("```console\n$ {line}\n```\n"),
        );
        let out = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
            .args(["run", "--backend", "kubectl", "--context", "test", "--kubeconfig"])
            .arg(&kubeconfig)
            .arg("--kubectl")
            .arg(&kubectl)
            .arg(format!("s{i}.md"))
            .current_dir(&sandbox.dir)
            .env("TMPDIR", sandbox.dir.join("tmp"))
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .output()
            .expect("kubeplay runs");
        results.push((line.clone(), out.status.code(), text(&out)));
    }
    let prod = prod_requests.lock().unwrap().clone();
    assert!(prod.is_empty(), "production was reached: {prod:?}\n{results:#?}");
    let test = test_requests.lock().unwrap().clone();
    assert!(
        test.iter().any(|r| r.starts_with("POST /api/v1/namespaces")),
        "{test:?}\n{results:#?}"
    );
    for (line, status, report) in &results[3..] {
        assert_eq!(*status, Some(3), "{line}: {report}");
    }
    // The user's kubeconfig is untouched.
    let config = std::fs::read_to_string(&kubeconfig).expect("kubeconfig");
    assert!(config.contains("current-context: production"), "{config}");
    sandbox.assert_no_leftovers();
}

/// Every bundled scenario that may run on a real cluster declares the
/// capabilities its setup and steps need there: no kubectl command of
/// theirs would be refused for want of one.
#[test]
fn the_bundled_corpus_declares_what_it_needs_on_a_real_cluster() {
    use kubeplay::{
        backend::kubectl::guard,
        scenario::{self, StepKind},
        shell::parse,
        workspace::Workspace,
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = kubeplay::runner::discover::discover(&[root.join("scenarios")]).expect("scenarios");
    let sandbox = Sandbox::new("corpus");
    let mut missing = Vec::new();
    for file in files {
        let scenario = scenario::load(&file).expect("bundled scenarios load");
        if scenario.meta.backends.as_ref().is_some_and(|b| !b.iter().any(|b| b == "kubectl")) {
            continue;
        }
        let mut workspace = Workspace::default();
        let mut lines: Vec<String> = scenario.meta.setup.clone();
        for step in &scenario.steps {
            match &step.kind {
                StepKind::WriteFile { name, content } => workspace.write(name, content.clone()),
                StepKind::Run(command) => lines.push(command.line.clone()),
                _ => {}
            }
        }
        let disk = sandbox.dir.join("ws");
        let _ = std::fs::remove_dir_all(&disk);
        for (path, content) in workspace.files() {
            let target = disk.join(path.trim_start_matches('/'));
            std::fs::create_dir_all(target.parent().expect("parent")).expect("dir");
            std::fs::write(target, content).expect("file");
        }
        let cx = guard::Context {
            namespace: "kubeplay-run",
            capabilities: &scenario.meta.capabilities,
            workspace: &workspace,
            root: &disk,
        };
        for line in lines {
            let Ok(list) = parse::parse(&line) else { continue };
            let simple = list.items.iter().flat_map(|(_, p)| &p.commands).filter_map(|c| match c {
                parse::Command::Simple(simple) => Some(simple),
                parse::Command::Compound(..) => None,
            });
            for command in simple {
                // Expansions (`$POD`) stand for a name.
                let argv: Vec<String> = command
                    .words
                    .iter()
                    .map(|w| w.as_literal().unwrap_or_else(|| "x".into()))
                    .collect();
                if argv.first().is_some_and(|p| p == "kubectl")
                    && let Err(what) = guard::plan(&argv, &cx)
                    && what.contains("declare `capabilities")
                    // kubectl-errors.md types unknown commands on purpose;
                    // no plugin is meant (see the report's "left" list).
                    && !what.starts_with("kubectl plugin")
                {
                    missing.push(format!("{}: `{line}`: {what}", file.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "undeclared:\n{}", missing.join("\n"));
}

#[test]
fn a_zero_timeout_step_still_lets_a_real_call_answer() {
    // `timeout: 0s` ("check at once") used to stop kubectl at 0 s on a
    // real cluster, before its answer arrived.
    let delay = std::ffi::OsString::from("1");
    let out = kubeplay_on_fake_cluster(
        "tests/fixtures/fake-kubectl-repeat",
        "test",
        "tests/fixtures/zero-timeout-real-cluster.md",
        &[("REPEAT_DELAY", delay.as_os_str())],
    );
    let report = text(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("pass"), "{report}");
}
