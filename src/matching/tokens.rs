//! Reading one line as literal text, volatile values and wildcards.
//!
//! The same tokenizer reads expected output (where volatile values become
//! variables), actual output (for [`normalize`](super::Bindings::normalize))
//! and command lines (for [`rewrite`](super::Bindings::rewrite)), so a value
//! is recognised the same way wherever it appears.

use std::sync::LazyLock;

use regex::Regex;

/// The kinds of volatile values a tutorial's output contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum VarKind {
    /// A pod-template-hash (`59ffd87f5`), in a ReplicaSet or pod name or a label.
    Hash,
    /// The 5-character random suffix of a generated name (`mqvjq`).
    Suffix,
    /// A CronJob's job suffix: the scheduled time in minutes (`27812345`).
    Cron,
    /// An IPv4 address.
    Ip,
    /// A NodePort (`32465` in `80:32465/TCP`).
    NodePort,
    /// A 64-hex-digit id: container ids, image digests, certificate hashes.
    HexId,
    /// An object UID (8-4-4-4-12 hex).
    Uid,
    /// A `resourceVersion`.
    ResourceVersion,
    /// A bootstrap token (`fphus0.pmi8894iwf30i202`).
    Token,
    /// A background job's process id (`[1] 23574`, bash's job notice).
    Pid,
    /// An age or a duration (`38s`, `3m18s`, `6d21h`, `22.047909579s`, `<invalid>`).
    Age,
    /// A timestamp (RFC 3339, RFC 1123Z, `date` output).
    Time,
}

impl VarKind {
    /// Free variables match any value of their shape and are never bound:
    /// two pods may both be `56s` old, and an age changes between retries.
    pub(crate) fn is_free(self) -> bool {
        matches!(self, VarKind::Age | VarKind::Time)
    }

    /// The generic placeholder `normalize` prints for an unbound value.
    pub(crate) fn placeholder(self) -> &'static str {
        match self {
            VarKind::Hash => "[HASH]",
            VarKind::Suffix => "[SUFFIX]",
            VarKind::Cron => "[CRON]",
            VarKind::Ip => "[IP]",
            VarKind::NodePort => "[PORT]",
            VarKind::HexId => "[ID]",
            VarKind::Uid => "[UID]",
            VarKind::ResourceVersion => "[RV]",
            VarKind::Token => "[TOKEN]",
            VarKind::Pid => "[PID]",
            VarKind::Age => "[AGE]",
            VarKind::Time => "[TIME]",
        }
    }

    /// The regex an actual value of this kind must match (no groups).
    ///
    /// Actual output comes from a real cluster or the simulator, so shapes are
    /// those Kubernetes prints, slightly widened (a hash of any lowercase
    /// alphanumerics) so a simulator quirk shows as a snapshot change rather
    /// than an unexplained mismatch.
    pub(crate) fn actual_regex(self) -> &'static str {
        match self {
            VarKind::Hash => r"[a-z0-9]{1,10}",
            VarKind::Suffix => r"[a-z0-9]{5}",
            VarKind::Cron => r"[0-9]{6,10}",
            VarKind::Ip => r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}",
            VarKind::NodePort => r"[0-9]{1,5}",
            VarKind::HexId => r"[0-9a-f]{64}",
            VarKind::Uid => r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            VarKind::ResourceVersion => r"[0-9]+",
            VarKind::Token => r"[a-z0-9]{6}\.[a-z0-9]{16}",
            VarKind::Pid => r"[0-9]{1,7}",
            VarKind::Age => AGE_ACTUAL,
            VarKind::Time => TIME_ALTERNATIVES,
        }
    }
}

/// One piece of a tokenized line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// Text compared literally.
    Lit(&'a str),
    /// A volatile value.
    Var(VarKind, &'a str),
    /// `[..]` or `...` inside a line (expected side only): any text.
    Wild,
}

/// Ages and Go durations as printed: `38s`, `3m18s`, `6d21h`, `2y30d`, `22.047909579s`, `500ms`.
const AGE_ACTUAL: &str = r"<invalid>|(?:[0-9]+(?:\.[0-9]+)?(?:ms|µs|us|ns|y|d|h|m|s))+";

/// Timestamps: RFC 1123Z (describe), `date` output, RFC 3339 / Go's default
/// `time.Time` format, and log-style `2022/11/15 22:08:29`.
const TIME_ALTERNATIVES: &str = concat!(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} (?:[+-][0-9]{4}|[A-Z]{2,5})",
    r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9]?[0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}(?: [A-Z]{2,5})? [0-9]{4}",
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z| ?[+-][0-9]{2}:?[0-9]{2})?(?: [A-Z]{2,5})?",
    r"|[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?",
);

/// Values recognised by their context in the line, before words are read.
/// Each alternative names the group holding the variable part; text around it
/// in the same match stays literal.
static CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        concat!(
            r"(?P<wild>\[\.\.\]|\.\.\.)",
            r"|(?P<time>{time})",
            r"|<invalid>",
            r"|(?:pod-template-hash|controller-revision-hash)=(?P<hash>[a-z0-9]{{1,10}})\b",
            // A NodePort is 30000-32767; the preceding character keeps `132465/TCP` out.
            r"|(?:^|[^0-9.])(?P<nodeport>3[0-2][0-9]{{3}})/(?:TCP|UDP|SCTP)\b",
            r"|nodePort: (?P<nodeport2>[0-9]+)",
            // `curl 192.168.200.12:32465`: a host's NodePort. Only the port
            // is consumed, so the host before it stays whole for `words`.
            r"|:(?P<nodeport3>3[0-2][0-9]{{3}})\b",
            // curl's `Failed to connect to HOST port 32465: ...`.
            r"|\bport (?P<nodeport4>3[0-2][0-9]{{3}})\b",
            // bash's `[1] 23574` when a job starts in the background.
            r"|^\[[0-9]+\] (?P<pid>[0-9]{{1,7}})$",
            r#"|resourceVersion: "(?P<rv>[0-9]+)""#,
            // The same field in JSON (`-o json`, `get --raw`, curl).
            r#"|"resourceVersion": ?"(?P<rv3>[0-9]+)""#,
            // describe's generic page (`printUnstructuredContent`).
            r"|Resource Version:\s+(?P<rv2>[0-9]+)$",
        ),
        time = TIME_ALTERNATIVES
    ))
    .expect("context regex")
});

/// A word: where names, IPs, ids and ages are looked for.
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9_][A-Za-z0-9_.-]*").expect("word regex"));

static IPV4: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$").expect("ip regex"));
static UID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$").expect("uid")
});
static HEX64: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[0-9a-f]{64}$").expect("hex regex"));
static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]{6}\.[a-z0-9]{16}$").expect("token regex"));
static AGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[0-9]+(?:\.[0-9]+)?(?:ms|us|ns|y|d|h|m|s))+$").expect("age regex")
});

/// Kubernetes' random-string alphabet (`apimachinery/pkg/util/rand`).
const NAME_ALPHABET: &str = "bcdfghjklmnpqrstvwxz2456789";

/// Splits `line` into tokens. With `wildcards`, `[..]` and `...` become
/// [`Tok::Wild`]; otherwise they are literal text.
pub(crate) fn tokenize(line: &str, wildcards: bool) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut last = 0;
    for caps in CONTEXT.captures_iter(line) {
        let whole = caps.get(0).expect("group 0");
        words(&line[last..whole.start()], &mut out);
        if let Some(wild) = caps.name("wild") {
            if wildcards {
                out.push(Tok::Wild);
            } else {
                push_lit(&mut out, wild.as_str());
            }
        } else if let Some(time) = caps.name("time") {
            out.push(Tok::Var(VarKind::Time, time.as_str()));
        } else if whole.as_str() == "<invalid>" {
            out.push(Tok::Var(VarKind::Age, whole.as_str()));
        } else {
            let (kind, var) = context_var(&caps);
            push_lit(&mut out, &line[whole.start()..var.start()]);
            out.push(Tok::Var(kind, var.as_str()));
            push_lit(&mut out, &line[var.end()..whole.end()]);
        }
        last = whole.end();
    }
    words(&line[last..], &mut out);
    out
}

/// The variable group of a context match.
fn context_var<'a>(caps: &regex::Captures<'a>) -> (VarKind, regex::Match<'a>) {
    let groups = [
        ("hash", VarKind::Hash),
        ("nodeport", VarKind::NodePort),
        ("nodeport2", VarKind::NodePort),
        ("nodeport3", VarKind::NodePort),
        ("nodeport4", VarKind::NodePort),
        ("pid", VarKind::Pid),
        ("rv", VarKind::ResourceVersion),
        ("rv2", VarKind::ResourceVersion),
        ("rv3", VarKind::ResourceVersion),
    ];
    groups
        .iter()
        .find_map(|(name, kind)| caps.name(name).map(|m| (*kind, m)))
        .expect("every context alternative has a variable group")
}

/// Appends literal text, skipping empty pieces.
fn push_lit<'a>(out: &mut Vec<Tok<'a>>, text: &'a str) {
    if !text.is_empty() {
        out.push(Tok::Lit(text));
    }
}

/// Tokenizes text between context matches: words may be volatile values.
fn words<'a>(text: &'a str, out: &mut Vec<Tok<'a>>) {
    let mut last = 0;
    for m in WORD.find_iter(text) {
        // A sentence-final `.` or a dangling `-` is not part of the value.
        let word = m.as_str().trim_end_matches(['.', '-']);
        let end = m.start() + word.len();
        push_lit(out, &text[last..m.start()]);
        classify_word(word, out);
        last = end;
    }
    push_lit(out, &text[last..]);
}

/// Reads one word as a volatile value, a generated name, or literal text.
fn classify_word<'a>(word: &'a str, out: &mut Vec<Tok<'a>>) {
    // Kubernetes never generates upper case or `_`: such words are prose/flags.
    if word.bytes().any(|b| b.is_ascii_uppercase() || b == b'_') {
        push_lit(out, word);
        return;
    }
    let kind = if IPV4.is_match(word) {
        Some(VarKind::Ip)
    } else if UID.is_match(word) {
        Some(VarKind::Uid)
    } else if HEX64.is_match(word) {
        Some(VarKind::HexId)
    } else if TOKEN.is_match(word) {
        Some(VarKind::Token)
    } else if AGE.is_match(word) {
        Some(VarKind::Age)
    } else {
        None
    };
    match kind {
        Some(kind) => out.push(Tok::Var(kind, word)),
        // A dynamically provisioned volume is named `pvc-<claim uid>`
        // (`pv_controller.go` `getProvisionedVolumeNameForClaim`).
        None if word.strip_prefix("pvc-").is_some_and(|uid| UID.is_match(uid)) => {
            out.push(Tok::Lit("pvc-"));
            out.push(Tok::Var(VarKind::Uid, &word[4..]));
        }
        None => generated_name(word, out),
    }
}

/// Splits a generated name into stem, hash / cron and suffix variables.
///
/// Shapes (the stem is always literal):
/// - `<stem>-<hash>-<xxxxx>`: ReplicaSet pod; the suffix may be hand-edited
///   (`7ci7o`), the hash position makes it unambiguous;
/// - `<stem>-<8 digits>-<xxxxx>`: CronJob pod (10 digits before v1.21);
/// - `<stem>-<xxxxx>`: DaemonSet / Job pod, volume name — only when the suffix
///   looks random (all from the alphabet, or mixing digits and letters), so
///   `kube-proxy` and `test-nginx` stay literal;
/// - `<stem>-<hash>` / `<stem>-<8 digits>`: ReplicaSet / CronJob's Job.
fn generated_name<'a>(word: &'a str, out: &mut Vec<Tok<'a>>) {
    let Some(dash) = word.rfind('-') else {
        return push_lit(out, word);
    };
    let (head, tail) = (&word[..dash], &word[dash + 1..]);
    if head.is_empty() || head.ends_with('.') {
        return push_lit(out, word);
    }
    if tail.len() == 5 && tail.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        if let Some(mid_dash) = head.rfind('-').filter(|&i| i > 0) {
            let mid = &head[mid_dash + 1..];
            let mid_kind = if is_hash(mid) {
                Some(VarKind::Hash)
            } else if is_cron(mid) {
                Some(VarKind::Cron)
            } else {
                None
            };
            if let Some(kind) = mid_kind {
                push_lit(out, &word[..=mid_dash]);
                out.push(Tok::Var(kind, mid));
                push_lit(out, "-");
                out.push(Tok::Var(VarKind::Suffix, tail));
                return;
            }
        }
        if looks_random(tail) {
            push_lit(out, &word[..=dash]);
            out.push(Tok::Var(VarKind::Suffix, tail));
            return;
        }
    }
    let kind = if is_hash(tail) {
        VarKind::Hash
    } else if is_cron(tail) {
        VarKind::Cron
    } else {
        return push_lit(out, word);
    };
    push_lit(out, &word[..=dash]);
    out.push(Tok::Var(kind, tail));
}

/// A pod-template-hash: decimal digits mapped into `4-9bcdf`, 6–10 long.
/// At least one digit keeps words like `-bbbbbb` literal.
fn is_hash(s: &str) -> bool {
    (6..=10).contains(&s.len())
        && s.bytes().all(|b| b"456789bcdf".contains(&b))
        && s.bytes().any(|b| b.is_ascii_digit())
}

/// A CronJob job suffix: minutes since the epoch, 8 digits for decades
/// (the v2 controller, the default from v1.21), or, as the v1 controller
/// printed before, seconds since the epoch: 10 digits, and a whole minute
/// (a cron schedule has no seconds), so other 10-digit numbers stay literal.
fn is_cron(s: &str) -> bool {
    let digits = s.bytes().all(|b| b.is_ascii_digit());
    match s.len() {
        8 => digits,
        10 => digits && s.parse::<u64>().is_ok_and(|secs| secs % 60 == 0),
        _ => false,
    }
}

/// Whether a 5-char tail of a hash-less name looks like a random suffix.
fn looks_random(s: &str) -> bool {
    let in_alphabet = s.bytes().all(|b| NAME_ALPHABET.as_bytes().contains(&b));
    let mixed = s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_lowercase());
    // `https` is all consonants: the one common word that would pass.
    (in_alphabet || mixed) && s != "https"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(line: &str) -> Vec<(VarKind, &str)> {
        tokenize(line, true)
            .into_iter()
            .filter_map(|t| match t {
                Tok::Var(k, v) => Some((k, v)),
                _ => None,
            })
            .collect()
    }

    fn rejoin(line: &str) -> String {
        tokenize(line, false)
            .into_iter()
            .map(|t| match t {
                Tok::Lit(s) | Tok::Var(_, s) => s,
                Tok::Wild => "",
            })
            .collect()
    }

    #[test]
    fn replicaset_pod_name() {
        assert_eq!(
            vars("test-nginx-59ffd87f5-mqvjq   1/1     Running   0              58s"),
            vec![(VarKind::Hash, "59ffd87f5"), (VarKind::Suffix, "mqvjq"), (VarKind::Age, "58s")]
        );
    }

    #[test]
    fn hand_edited_suffix_after_hash_is_a_suffix() {
        assert_eq!(
            vars("web-58779f7cd8-7ci7o"),
            vec![(VarKind::Hash, "58779f7cd8"), (VarKind::Suffix, "7ci7o")]
        );
    }

    /// The v1 CronJob controller (default before v1.21) named Jobs by the
    /// scheduled time in seconds; the v2 controller in minutes. Both are
    /// variables; a 10-digit number that is no whole minute stays literal.
    #[test]
    fn cronjob_job_names_in_seconds_and_minutes() {
        assert_eq!(vars("hello-27809461"), vec![(VarKind::Cron, "27809461")]);
        assert_eq!(vars("hello-1668567660"), vec![(VarKind::Cron, "1668567660")]);
        assert_eq!(
            vars("hello-1668567660-x7k2p"),
            vec![(VarKind::Cron, "1668567660"), (VarKind::Suffix, "x7k2p")]
        );
        assert_eq!(vars("hello-1668567661"), vec![]);
        assert_eq!(vars("hello-166856766"), vec![]);
    }

    #[test]
    fn daemonset_job_and_volume_names() {
        assert_eq!(vars("testdaemonset-4crzq"), vec![(VarKind::Suffix, "4crzq")]);
        assert_eq!(vars("testjobv1--1-hf5bk"), vec![(VarKind::Suffix, "hf5bk")]);
        assert_eq!(vars("from kube-api-access-l29hm (ro)"), vec![(VarKind::Suffix, "l29hm")]);
    }

    #[test]
    fn ordinary_words_stay_literal() {
        for line in [
            "kube-proxy",
            "deployment.apps/test-nginx created",
            "image: registry.aliyuncs.com/google_containers/kube-proxy:v1.22.2",
            "node-role.kubernetes.io/master:NoSchedule",
            "ConfigMapName:           kube-root-ca.crt",
            "Error from server (NotFound): deployments.apps \"x\" not found",
            "Flag --record has been deprecated, --record will be removed in the future",
            "image: nginx:1.7.9",
        ] {
            assert_eq!(vars(line), vec![], "{line}");
        }
    }

    #[test]
    fn replicaset_names_and_labels_carry_the_hash() {
        assert_eq!(vars("ReplicaSet/test-nginx-59ffd87f5"), vec![(VarKind::Hash, "59ffd87f5")]);
        assert_eq!(
            vars("example=deploymentnginx,pod-template-hash=58779f7cd8"),
            vec![(VarKind::Hash, "58779f7cd8")]
        );
    }

    #[test]
    fn ips_ports_ids_and_times() {
        assert_eq!(
            vars("test-nginx   NodePort    10.1.31.72   <none>        80:32465/TCP   14s"),
            vec![(VarKind::Ip, "10.1.31.72"), (VarKind::NodePort, "32465"), (VarKind::Age, "14s")]
        );
        assert_eq!(
            vars("Failed connect to 192.168.200.12:30000; Connection refused"),
            vec![(VarKind::Ip, "192.168.200.12"), (VarKind::NodePort, "30000")]
        );
        assert_eq!(vars("curl localhost:31752"), vec![(VarKind::NodePort, "31752")]);
        assert_eq!(
            vars("Node:         worker1/192.168.200.12"),
            vec![(VarKind::Ip, "192.168.200.12")]
        );
        let id = "9f66b66ff9cfe9511b8c248346f62ae872c16aca53d54003f345ab7df09e13a8";
        assert_eq!(vars(&format!("Container ID:   docker://{id}")), vec![(VarKind::HexId, id)]);
        assert_eq!(
            vars("Start Time:   Tue, 15 Nov 2022 22:08:29 -0500"),
            vec![(VarKind::Time, "Tue, 15 Nov 2022 22:08:29 -0500")]
        );
        assert_eq!(
            vars(r#"  creationTimestamp: "2022-11-10T03:05:02Z""#),
            vec![(VarKind::Time, "2022-11-10T03:05:02Z")]
        );
        assert_eq!(
            vars(r#"  resourceVersion: "332127""#),
            vec![(VarKind::ResourceVersion, "332127")]
        );
        assert_eq!(
            vars(r#"        "resourceVersion": "34","#),
            vec![(VarKind::ResourceVersion, "34")]
        );
        assert_eq!(
            vars(r#"{"metadata":{"resourceVersion":"22745"},"items":[]}"#),
            vec![(VarKind::ResourceVersion, "22745")]
        );
        assert_eq!(
            vars("  Resource Version:        1342"),
            vec![(VarKind::ResourceVersion, "1342")]
        );
        assert_eq!(
            vars("  uid: c41a1d6c-5248-42c5-97f8-bbc9bb50a678"),
            vec![(VarKind::Uid, "c41a1d6c-5248-42c5-97f8-bbc9bb50a678")]
        );
        assert_eq!(
            vars("fphus0.pmi8894iwf30i202"),
            vec![(VarKind::Token, "fphus0.pmi8894iwf30i202")]
        );
    }

    #[test]
    fn ages_and_durations() {
        assert_eq!(
            vars("testpod   1/1   Running   12 (24m ago)   24h"),
            vec![(VarKind::Age, "24m"), (VarKind::Age, "24h")]
        );
        assert_eq!(
            vars("pulled image \"nginx\" in 22.047909579s"),
            vec![(VarKind::Age, "22.047909579s")]
        );
        assert_eq!(
            vars("6d21h <invalid>"),
            vec![(VarKind::Age, "6d21h"), (VarKind::Age, "<invalid>")]
        );
    }

    #[test]
    fn wildcards_only_when_asked() {
        assert!(tokenize("a [..] b ... c", true).iter().filter(|t| **t == Tok::Wild).count() == 2);
        assert!(!tokenize("a [..] b ... c", false).contains(&Tok::Wild));
    }

    #[test]
    fn tokens_rejoin_to_the_line() {
        for line in [
            "testdeployment-58779f7cd8-jwwtm   1/1     Running   0                3m9s    10.244.1.30   worker1",
            "sentence ends with a name testdaemonset-4crzq.",
            "  Normal  Scheduled  103s  default-scheduler  Successfully assigned default/test-nginx-59ffd87f5-mqvjq to worker1",
        ] {
            assert_eq!(rejoin(line), line);
        }
    }
}
