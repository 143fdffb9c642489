//! Whole-output tests of the public API, on outputs from the seed tutorial.

use super::*;
use crate::scenario::model::MatchMode;

fn exp(text: &str) -> Expected {
    Expected { text: text.to_string(), first_line: 1, mode: MatchMode::Exact }
}

fn exp_mode(text: &str, mode: MatchMode) -> Expected {
    Expected { text: text.to_string(), first_line: 1, mode }
}

#[track_caller]
fn ok(expected: &str, actual: &str, b: &Bindings) -> Bindings {
    match match_output(&exp(expected), actual, b) {
        Ok(b) => b,
        Err(m) => {
            panic!("unexpected mismatch: {m}\n{}", render_diff(&m.expected, &m.actual, false))
        }
    }
}

#[track_caller]
fn fails(expected: &str, actual: &str, b: &Bindings) -> Mismatch {
    match match_output(&exp(expected), actual, b) {
        Ok(_) => panic!("expected a mismatch"),
        Err(m) => m,
    }
}

const WIDE: &str = "\
NAME                         READY   STATUS    RESTARTS       AGE     IP           NODE      NOMINATED NODE   READINESS GATES
test-nginx-59ffd87f5-mqvjq   1/1     Running   0              3m18s   10.244.1.7   worker1   <none>           <none>
testpod                      1/1     Running   12 (24m ago)   24h     10.244.1.3   worker1   <none>           <none>
";

const WIDE_ACTUAL: &str = "\
NAME                          READY   STATUS    RESTARTS     AGE   IP            NODE      NOMINATED NODE   READINESS GATES
test-nginx-7c5ddbdf54-x2x9k   1/1     Running   0            12s   10.244.2.15   worker1   <none>           <none>
testpod                       1/1     Running   12 (3s ago)  2d    10.244.2.4    worker1   <none>           <none>
";

#[test]
fn seed_wide_table_matches_other_names_ages_ips() {
    let b = ok(WIDE, WIDE_ACTUAL, &Bindings::default());
    assert_eq!(
        b.rewrite("kubectl describe pod test-nginx-59ffd87f5-mqvjq"),
        "kubectl describe pod test-nginx-7c5ddbdf54-x2x9k"
    );
    assert_eq!(b.rewrite("ping 10.244.1.7"), "ping 10.244.2.15");
    assert_eq!(b.len(), 4);
}

#[test]
fn ready_count_change_fails() {
    let wrong = WIDE.replace("1/1     Running   0 ", "2/1     Running   0 ");
    let m = fails(&wrong, WIDE_ACTUAL, &Bindings::default());
    assert_eq!(m.line, Some(1));
    assert!(m.reason.contains("has no match"), "{}", m.reason);
}

#[test]
fn rows_match_as_a_set_in_any_order() {
    let actual = "\
NAME                         READY   STATUS    RESTARTS       AGE
testpod                      1/1     Running   12 (34m ago)   24h
test-nginx-59ffd87f5-bbbbb   1/1     Running   0              56s
";
    let expected = "\
NAME                         READY   STATUS    RESTARTS       AGE
test-nginx-59ffd87f5-mqvjq   1/1     Running   0              10m
testpod                      1/1     Running   12 (35m ago)   24h
";
    ok(expected, actual, &Bindings::default());
}

#[test]
fn row_count_must_be_equal_without_ellipsis() {
    let expected = "NAME   READY\ntestpod   1/1\n";
    let m = fails(expected, "NAME   READY\ntestpod   1/1\nother   1/1\n", &Bindings::default());
    assert!(m.reason.contains("1 rows expected, 2 found"), "{}", m.reason);
    ok(
        "NAME   READY\ntestpod   1/1\n...\n",
        "NAME   READY\ntestpod   1/1\nother   1/1\n",
        &Bindings::default(),
    );
}

#[test]
fn suffix_bound_to_another_pod_fails() {
    let first = "pod/web-58779f7cd8-aaaaa created\n";
    let b = ok(first, "pod/web-58779f7cd8-ppppp created\n", &Bindings::default());
    // A different expected pod cannot be the same actual pod.
    let m = fails("pod/web-58779f7cd8-bbbbb deleted\n", "pod/web-58779f7cd8-ppppp deleted\n", &b);
    assert!(m.reason.contains("already bound"), "{}", m.reason);
    // And the same expected pod must stay the same actual pod.
    let m = fails("pod/web-58779f7cd8-aaaaa deleted\n", "pod/web-58779f7cd8-qqqqq deleted\n", &b);
    assert!(m.reason.contains("`aaaaa` is already bound to `ppppp`"), "{}", m.reason);
    assert_eq!(m.expected, "pod/web-58779f7cd8-ppppp deleted\n");
}

#[test]
fn ip_bound_in_describe_must_reappear_in_wide() {
    let describe = "\
Name:         test-nginx-59ffd87f5-mqvjq
Node:         worker1/192.168.200.12
Start Time:   Tue, 15 Nov 2022 22:08:29 -0500
IP:           10.244.1.7
";
    let actual = "\
Name:         test-nginx-7c5ddbdf54-x2x9k
Node:         worker1/192.168.200.12
Start Time:   Wed, 01 Jan 2025 10:00:00 +0000
IP:           10.244.2.15
";
    let b = ok(describe, actual, &Bindings::default());
    ok(WIDE, WIDE_ACTUAL, &b);
    let other_ip = WIDE_ACTUAL.replace("10.244.2.15", "10.244.2.16");
    let m = fails(WIDE, &other_ip, &b);
    assert!(m.reason.contains("10.244.1.7"), "{}", m.reason);
}

#[test]
fn literal_error_message() {
    let text = "Error from server (NotFound): deployments.apps \"x\" not found\n";
    ok(text, text, &Bindings::default());
    let m = fails(
        text,
        "Error from server (NotFound): deployments.apps \"y\" not found\n",
        &Bindings::default(),
    );
    assert_eq!(m.line, Some(0));
}

#[test]
fn indistinguishable_rows_stay_open_until_a_later_step_decides() {
    let step_a = "\
NAME                         READY   STATUS    RESTARTS       AGE
test-nginx-59ffd87f5-7pjwk   1/1     Running   0              56s
test-nginx-59ffd87f5-8d229   1/1     Running   0              56s
test-nginx-59ffd87f5-ff4gg   1/1     Running   0              56s
test-nginx-59ffd87f5-mqvjq   1/1     Running   0              10m
test-nginx-59ffd87f5-nzft5   1/1     Running   0              56s
testpod                      1/1     Running   12 (34m ago)   24h
";
    let step_b = "\
NAME                         READY   STATUS    RESTARTS       AGE
test-nginx-59ffd87f5-7pjwk   1/1     Running   0              117s
test-nginx-59ffd87f5-mqvjq   1/1     Running   0              11m
testpod                      1/1     Running   12 (35m ago)   24h
";
    let pods = ["b2222", "c4444", "d5555", "f6666"];
    let earlier = ok(
        "pod/test-nginx-59ffd87f5-mqvjq\n",
        "pod/test-nginx-7c5ddbdf54-x2x9k\n",
        &Bindings::default(),
    );
    let mut actual_a = String::from("NAME   READY   STATUS   RESTARTS   AGE\n");
    for s in pods {
        actual_a += &format!("test-nginx-7c5ddbdf54-{s}   1/1   Running   0   50s\n");
    }
    actual_a += "test-nginx-7c5ddbdf54-x2x9k   1/1   Running   0   9m\ntestpod   1/1   Running   12 (34m ago)   24h\n";
    let after_a = ok(step_a, &actual_a, &earlier);
    assert_eq!(after_a.alternatives(), 24);
    // Whichever pod survives, some alternative assigned it to `7pjwk`.
    for survivor in pods {
        let actual_b = format!(
            "NAME   READY   STATUS   RESTARTS   AGE\ntest-nginx-7c5ddbdf54-{survivor}   1/1   Running   0   2m\n\
             test-nginx-7c5ddbdf54-x2x9k   1/1   Running   0   11m\ntestpod   1/1   Running   12 (35m ago)   24h\n"
        );
        let after_b = ok(step_b, &actual_b, &after_a);
        assert_eq!(after_b.alternatives(), 6);
        assert_eq!(
            after_b.rewrite("kubectl delete pod test-nginx-59ffd87f5-7pjwk"),
            format!("kubectl delete pod test-nginx-7c5ddbdf54-{survivor}")
        );
    }
}

#[test]
fn describe_events_table_ignores_padding() {
    let expected = "\
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  103s  default-scheduler  Successfully assigned default/test-nginx-59ffd87f5-mqvjq to worker1
  Normal  Pulled     79s   kubelet            Successfully pulled image \"nginx\" in 22.047909579s
";
    let actual = "\
Events:
  Type    Reason     Age    From               Message
  ----    ------     ----   ----               -------
  Normal  Pulled     1m3s   kubelet            Successfully pulled image \"nginx\" in 1.5s
  Normal  Scheduled  1m10s  default-scheduler  Successfully assigned default/test-nginx-7c5ddbdf54-x2x9k to worker1
";
    ok(expected, actual, &Bindings::default());
}

#[test]
fn wildcards_and_ellipsis() {
    let actual = "\
[preflight] Running pre-flight checks
[preflight] Reading configuration from the cluster...
[kubelet-start] Starting the kubelet
This node has joined the cluster:
";
    ok(
        "[preflight] Running [..] checks\n...\nThis node has joined the cluster:\n",
        actual,
        &Bindings::default(),
    );
    ok("  ...\n", actual, &Bindings::default());
    ok("[preflight] Running pre-flight checks\n......\n", actual, &Bindings::default());
    let m = fails("[preflight] Running pre-flight checks\n", actual, &Bindings::default());
    assert!(m.reason.contains("3 unexpected line(s)"), "{}", m.reason);
    let m = fails(&format!("{actual}one more\nand another\n"), actual, &Bindings::default());
    assert!(m.reason.contains("2 line(s) missing"), "{}", m.reason);
    assert_eq!(m.line, Some(4));
}

#[test]
fn non_table_lines_keep_their_spacing() {
    fails("Status:  Running\n", "Status:    Running\n", &Bindings::default());
    ok("Status:  Running   \n\n", "Status:  Running\n", &Bindings::default());
}

#[test]
fn headerless_grep_rows() {
    let expected = "\
testjobv2--1-8lrqv                0/1     Completed   0              96s     10.244.1.70   worker2   <none>           <none>
testjobv2--1-cm4px                0/1     Completed   0              2m40s   10.244.1.68   worker2   <none>           <none>
";
    let actual = "\
testjobv2-bbbbb   0/1   Completed   0   5s    10.244.2.8   worker2   <none>   <none>
testjobv2--1-zzzzz   0/1   Completed   0   40s   10.244.2.7   worker2   <none>   <none>
testjobv2--1-xxxxx   0/1   Completed   0   20s   10.244.2.9   worker2   <none>   <none>
";
    let m = fails(expected, actual, &Bindings::default());
    assert!(m.reason.contains("2 rows expected, 3 found"), "{}", m.reason);
    ok(
        expected,
        &actual.lines().skip(1).map(|l| format!("{l}\n")).collect::<String>(),
        &Bindings::default(),
    );
}

#[test]
fn subset_mode() {
    let actual = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: kube-proxy\n  uid: 0a1b2c3d-5248-42c5-97f8-bbc9bb50a678\nspec: {}\n";
    let expected = "kind: DaemonSet\n  uid: c41a1d6c-5248-42c5-97f8-bbc9bb50a678\n";
    assert!(
        match_output(&exp_mode(expected, MatchMode::Subset), actual, &Bindings::default()).is_ok()
    );
    let wrong_order = "  uid: c41a1d6c-5248-42c5-97f8-bbc9bb50a678\nkind: DaemonSet\n";
    assert!(
        match_output(&exp_mode(wrong_order, MatchMode::Subset), actual, &Bindings::default())
            .is_err()
    );
    assert!(match_output(&exp(expected), actual, &Bindings::default()).is_err());
}

#[test]
fn subset_mode_table_rows_may_be_a_subset() {
    let actual = "Waiting...\nNAME   READY\na   1/1\nb   1/1\nc   1/1\ndone\n";
    assert!(
        match_output(
            &exp_mode("NAME   READY\nb   1/1\n", MatchMode::Subset),
            actual,
            &Bindings::default()
        )
        .is_ok()
    );
}

#[test]
fn unordered_mode() {
    let actual = "HOSTNAME=web\nPATH=/bin\nKUBERNETES_SERVICE_HOST=10.96.0.1\n";
    let expected = "KUBERNETES_SERVICE_HOST=10.1.0.1\nHOSTNAME=web\nPATH=/bin\n";
    assert!(
        match_output(&exp_mode(expected, MatchMode::Unordered), actual, &Bindings::default())
            .is_ok()
    );
    let m = match_output(
        &exp_mode("HOSTNAME=web\n", MatchMode::Unordered),
        actual,
        &Bindings::default(),
    )
    .unwrap_err();
    assert!(m.reason.contains("1 lines expected, 3 found"), "{}", m.reason);
    assert!(
        match_output(
            &exp_mode("HOSTNAME=web\n...\n", MatchMode::Unordered),
            actual,
            &Bindings::default()
        )
        .is_ok()
    );
}

#[test]
fn nodeport_and_service_table() {
    let expected = "\
NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE
kubernetes   ClusterIP   10.1.0.1     <none>        443/TCP        6d
test-nginx   NodePort    10.1.31.72   <none>        80:32465/TCP   14s
";
    let actual = "\
NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE
kubernetes   ClusterIP   10.96.0.1      <none>        443/TCP        1s
test-nginx   NodePort    10.96.112.40   <none>        80:30001/TCP   0s
";
    let b = ok(expected, actual, &Bindings::default());
    assert_eq!(b.rewrite("curl 192.168.200.12:32465"), "curl 192.168.200.12:30001");
    let wrong_port = actual.replace("80:30001", "8080:30001");
    fails(expected, &wrong_port, &Bindings::default());
}

#[test]
fn mismatch_expected_has_bindings_applied() {
    let b = ok(
        "pod/web-58779f7cd8-aaaaa created\n",
        "pod/web-6b7c8d9f54-ppppp created\n",
        &Bindings::default(),
    );
    let m = fails(
        "NAME   STATUS\nweb-58779f7cd8-aaaaa   Running\n",
        "NAME   STATUS\nweb-6b7c8d9f54-ppppp   Pending\n",
        &b,
    );
    assert_eq!(m.expected, "NAME   STATUS\nweb-6b7c8d9f54-ppppp   Running\n");
    let diff = render_diff(&m.expected, &m.actual, false);
    assert!(diff.contains("-web-6b7c8d9f54-ppppp   Running"), "{diff}");
    assert!(diff.contains("+web-6b7c8d9f54-ppppp   Pending"), "{diff}");
}

#[test]
fn normalize_after_matching_names_bound_values() {
    let b = ok(WIDE, WIDE_ACTUAL, &Bindings::default());
    let n = b.normalize(WIDE_ACTUAL);
    assert_eq!(
        n,
        "\
NAME                             READY   STATUS    RESTARTS         AGE     IP             NODE      NOMINATED NODE   READINESS GATES
test-nginx-[59ffd87f5]-[mqvjq]   1/1     Running   0                [AGE]   [10.244.1.7]   worker1   <none>           <none>
testpod                          1/1     Running   12 ([AGE] ago)   [AGE]   [10.244.1.3]   worker1   <none>           <none>
"
    );
    assert_eq!(b.normalize(WIDE_ACTUAL), n);
}

#[test]
fn empty_outputs() {
    ok("", "", &Bindings::default());
    ok("", "\n", &Bindings::default());
    let m = fails("", "No resources found in default namespace.\n", &Bindings::default());
    assert!(m.reason.contains("unexpected"));
    let m = fails("deployment.apps/x created\n", "", &Bindings::default());
    assert_eq!(m.line, Some(0));
}

/// A small deterministic generator (xorshift), so the test needs no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn garbage_never_panics() {
    let pieces = [
        "NAME   READY",
        "...",
        "[..]",
        "   ",
        "test-nginx-59ffd87f5-mqvjq",
        "10.244.1.7",
        "80:32465/TCP",
        "3m18s",
        "<invalid>",
        "Tue, 15 Nov 2022 22:08:29 -0500",
        "----   ----",
        "\t",
        "é漢字",
        "x",
        "-",
        "-----",
        "a-bbbbb",
        "resourceVersion: \"1\"",
        "12 (24m ago)",
        "\n",
        "pod-template-hash=",
        "sha256:",
        "0",
        "",
        "  ......  ",
        "(",
        "\\",
        "$",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut bindings = Bindings::default();
    for _ in 0..300 {
        let generate = |rng: &mut Rng| -> String {
            (0..rng.next() % 40)
                .map(|_| rng.pick(&pieces).to_string() + rng.pick(&["", " ", "  ", "   ", "\n"]))
                .collect()
        };
        let (e, a) = (generate(&mut rng), generate(&mut rng));
        for mode in [MatchMode::Exact, MatchMode::Subset, MatchMode::Unordered] {
            if let Ok(b) = match_output(&exp_mode(&e, mode), &a, &bindings) {
                bindings = b;
            }
            let _ = match_output(&exp_mode(&e, mode), &e, &bindings);
        }
        let _ = bindings.normalize(&a);
        let _ = bindings.rewrite(&e);
        let _ = render_diff(&e, &a, true);
    }
}

/// `kubectl describe pod` from the seed tutorial.
const DESCRIBE: &str = r#"Name:         test-nginx-59ffd87f5-mqvjq
Namespace:    default
Priority:     0
Node:         worker1/192.168.200.12
Start Time:   Tue, 15 Nov 2022 22:08:29 -0500
Labels:       app=test-nginx
              pod-template-hash=59ffd87f5
Annotations:  <none>
Status:       Running
IP:           10.244.1.7
IPs:
  IP:           10.244.1.7
Controlled By:  ReplicaSet/test-nginx-59ffd87f5
Containers:
  nginx:
    Container ID:   docker://9f66b66ff9cfe9511b8c248346f62ae872c16aca53d54003f345ab7df09e13a8
    Image:          nginx
    Image ID:       docker-pullable://nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Tue, 15 Nov 2022 22:08:53 -0500
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-l29hm (ro)
Conditions:
  Type              Status
  Initialized       True
  Ready             True
  ContainersReady   True
  PodScheduled      True
Volumes:
  kube-api-access-l29hm:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  103s  default-scheduler  Successfully assigned default/test-nginx-59ffd87f5-mqvjq to worker1
  Normal  Pulling    101s  kubelet            Pulling image "nginx"
  Normal  Pulled     79s   kubelet            Successfully pulled image "nginx" in 22.047909579s
  Normal  Created    79s   kubelet            Created container nginx
  Normal  Started    79s   kubelet            Started container nginx
"#;

#[test]
fn every_text_matches_itself() {
    for text in [WIDE, WIDE_ACTUAL, DESCRIBE] {
        ok(text, text, &Bindings::default());
    }
}

#[test]
fn seed_describe_matches_a_fresh_run() {
    let actual = DESCRIBE
        .replace("mqvjq", "x2x9k")
        .replace("59ffd87f5", "7c5ddbdf54")
        .replace("10.244.1.7", "10.244.2.15")
        .replace("l29hm", "zq8kd")
        .replace(
            "9f66b66ff9cfe9511b8c248346f62ae872c16aca53d54003f345ab7df09e13a8",
            &"ab".repeat(32),
        )
        .replace("Tue, 15 Nov 2022 22:08:", "Wed, 1 Jan 2025 10:00:")
        .replace("103s", "5m3s")
        .replace("22.047909579s", "1.2s");
    let b = ok(DESCRIBE, &actual, &Bindings::default());
    assert_eq!(
        b.rewrite("kubectl delete pod test-nginx-59ffd87f5-mqvjq"),
        "kubectl delete pod test-nginx-7c5ddbdf54-x2x9k"
    );
    // A changed image in the actual output is a real difference.
    fails(
        DESCRIBE,
        &actual.replace("Image:          nginx", "Image:          httpd"),
        &Bindings::default(),
    );
}

#[test]
fn non_breaking_spaces_in_tutorials_are_spaces() {
    let expected =
        "test-nginx\u{a0}\u{a0} 1/1\u{a0}\u{a0}\u{a0}\u{a0}  1            1           38s\n";
    ok(
        &format!("NAME         READY   UP-TO-DATE   AVAILABLE   AGE\n{expected}"),
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\ntest-nginx   1/1   1   1   2m\n",
        &Bindings::default(),
    );
}

#[test]
fn collapsed_padding_in_a_tutorial_row_still_matches() {
    let expected = "NAME   READY   STATUS\ntest-nginx-59ffd87f5-mqvjq 1/1 Running\n";
    ok(
        expected,
        "NAME   READY   STATUS\ntest-nginx-7c5ddbdf54-x2x9k   1/1     Running\n",
        &Bindings::default(),
    );
}

#[test]
fn replicaset_identity_survives_a_rollback() {
    let before = "\
NAME                        DESIRED   CURRENT   READY   AGE     IMAGES        SELECTOR
testdeployment-58779f7cd8   0         0         0       2d23h   nginx:1.7.9   example=deploymentnginx,pod-template-hash=58779f7cd8
testdeployment-5c4b8d64df   0         0         0       23h     nginx:1.8.1   example=deploymentnginx,pod-template-hash=5c4b8d64df
testdeployment-8587689fb6   3         3         3       22h     nginx:1.9.1   example=deploymentnginx,pod-template-hash=8587689fb6
";
    let actual_before = "\
NAME                        DESIRED   CURRENT   READY   AGE   IMAGES        SELECTOR
testdeployment-6b8c9d4f55   0         0         0       10m   nginx:1.7.9   example=deploymentnginx,pod-template-hash=6b8c9d4f55
testdeployment-7d9f6c8b44   0         0         0       5m    nginx:1.8.1   example=deploymentnginx,pod-template-hash=7d9f6c8b44
testdeployment-9c5d7b8f66   3         3         3       1m    nginx:1.9.1   example=deploymentnginx,pod-template-hash=9c5d7b8f66
";
    let b = ok(before, actual_before, &Bindings::default());
    let after = before
        .replace("5c4b8d64df   0         0         0", "5c4b8d64df   3         3         3")
        .replace("8587689fb6   3         3         3", "8587689fb6   0         0         0");
    let right = actual_before
        .replace("7d9f6c8b44   0         0         0", "7d9f6c8b44   3         3         3")
        .replace("9c5d7b8f66   3         3         3", "9c5d7b8f66   0         0         0");
    ok(&after, &right, &b);
    // The first ReplicaSet scaled up instead of the one bound to `5c4b8d64df`.
    let wrong = actual_before
        .replace("6b8c9d4f55   0         0         0", "6b8c9d4f55   3         3         3")
        .replace("9c5d7b8f66   3         3         3", "9c5d7b8f66   0         0         0");
    let m = fails(&after, &wrong, &b);
    assert!(m.reason.contains("has no match") || m.reason.contains("bound"), "{}", m.reason);
}

#[test]
fn five_interchangeable_rows_any_two_survivors() {
    let names = ["7pjwk", "8d229", "ff4gg", "mqvjq", "nzft5"];
    let mut step_a = String::from("NAME   READY   STATUS   RESTARTS   AGE\n");
    for n in names {
        step_a += &format!("test-nginx-59ffd87f5-{n}   1/1   Running   0   56s\n");
    }
    let actual = ["b2222", "c4444", "d5555", "f6666", "g7777"];
    let mut actual_a = String::from("NAME   READY   STATUS   RESTARTS   AGE\n");
    for a in actual {
        actual_a += &format!("test-nginx-7c5ddbdf54-{a}   1/1   Running   0   1s\n");
    }
    let after_a = ok(&step_a, &actual_a, &Bindings::default());
    assert_eq!(after_a.alternatives(), 120);
    let step_b = "NAME   READY   STATUS   RESTARTS   AGE\ntest-nginx-59ffd87f5-7pjwk   1/1   Running   0   2m\ntest-nginx-59ffd87f5-mqvjq   1/1   Running   0   2m\n";
    let actual_b = "NAME   READY   STATUS   RESTARTS   AGE\ntest-nginx-7c5ddbdf54-g7777   1/1   Running   0   2m\ntest-nginx-7c5ddbdf54-c4444   1/1   Running   0   2m\n";
    let after_b = ok(step_b, actual_b, &after_a);
    let pod = after_b.rewrite("test-nginx-59ffd87f5-7pjwk");
    assert!(pod.ends_with("g7777") || pod.ends_with("c4444"), "{pod}");
}

#[test]
fn join_command_is_rewritten_with_token_and_hash() {
    let b = ok("fphus0.pmi8894iwf30i202\n", "abcdef.0123456789abcdef\n", &Bindings::default());
    let hash = "9f59f022a74578f9803f875add7c2b4f7995888528ef376c49f9593e2bc9369e";
    let b = ok(&format!("{hash}\n"), &format!("{}\n", "0".repeat(64)), &b);
    assert_eq!(
        b.rewrite(&format!("kubeadm join 192.168.200.11:6443 --token fphus0.pmi8894iwf30i202 --discovery-token-ca-cert-hash sha256:{hash}")),
        format!("kubeadm join 192.168.200.11:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:{}", "0".repeat(64))
    );
}

/// Volatile tokens as v1.10-era kubectl printed them (josedomingo.org,
/// 2018, kubectl 1.10): the short age `1d` (`ShortHumanDuration`, where
/// v1.12+ prints `24h`), a plain creationTimestamp, a time-based (v1)
/// UUID and a 10-character pod-template-hash all match today's forms.
#[test]
fn v1_10_era_tokens_are_variables() {
    let b = Bindings::default();
    ok(
        "NAME          STATUS    AGE\ndefault       Active    1d\n",
        "NAME      STATUS   AGE\ndefault   Active   24h\n",
        &b,
    );
    ok(
        "  creationTimestamp: 2018-05-23T16:19:58Z\n  uid: 2306825c-5ea5-11e8-ab66-fa163e99cb75\n",
        "  creationTimestamp: 2022-11-16T03:08:00Z\n  uid: 35cc73e0-1921-4d55-b723-780556270a51\n",
        &b,
    );
    ok(
        "NAME                                READY     STATUS    RESTARTS   AGE\nnginx-deployment-75675f5897-4dm42   1/1       Running   0          2m\n",
        "NAME                               READY   STATUS    RESTARTS   AGE\nnginx-deployment-cf5b485d5-ckxzr   1/1     Running   0          2m\n",
        &b,
    );
    // Not loosened: a quoted timestamp is not a plain one, and a pod name
    // keeps its deployment prefix.
    fails(
        "  creationTimestamp: 2018-05-23T16:19:58Z\n",
        "  creationTimestamp: \"2022-11-16T03:08:00Z\"\n",
        &b,
    );
    fails(
        "NAME                                READY     STATUS    RESTARTS   AGE\nnginx-deployment-75675f5897-4dm42   1/1       Running   0          2m\n",
        "NAME                     READY   STATUS    RESTARTS   AGE\nweb-cf5b485d5-ckxzr   1/1     Running   0          2m\n",
        &b,
    );
}

/// kubectl explain's `FIELDS:` lines as kubectl writes them (a tab between
/// field and type) and as a transcript copied from the terminal has them.
#[test]
fn tabs_match_the_spaces_a_terminal_shows() {
    let b = Bindings::default();
    let written = "FIELDS:\n   apiVersion\t<string>\n   kind\t<string>\n";
    ok("FIELDS:\n   apiVersion   <string>\n   kind <string>\n", written, &b);
    // The transcript kept the tabs: still the same screen.
    ok(written, written, &b);
    // Spaces that do not reach the tab stop are another screen.
    let m = fails("FIELDS:\n   apiVersion <string>\n   kind <string>\n", written, &b);
    assert_eq!(m.line, Some(1));
    // Columns count display width: a CJK character takes two.
    ok("名前    x\n", "名前\tx\n", &b);
    fails("名前  x\n", "名前\tx\n", &b);
}
