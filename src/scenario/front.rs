//! Front matter: the serde shape of the keys (shared by the Markdown front
//! matter and the top level of YAML scenarios) and its mapping into the model.
//!
//! The raw types mirror DESIGN §2 key for key, with `deny_unknown_fields`,
//! because a misspelt key (`podCidr`) silently ignored would run a scenario
//! on a cluster the author did not ask for.

use std::{fmt, path::Path, sync::LazyLock, time::Duration};

use regex::Regex;
use serde::{
    Deserialize, Deserializer,
    de::{self, IgnoredAny, MapAccess, Visitor, value::MapAccessDeserializer},
};

use super::{
    duration::parse_duration,
    error::{ErrorCode, ParseError},
    model::{
        ClusterSpec, DnsServer, ExpectedStatus, FrontMatter, HostSpec, HttpRoute, ImageEntry,
        ImagePull, MatchMode, NodeSpec, SeedObject, Span,
    },
    values::{
        Checked, CidrText, HttpStatus, ImageKey, IpText, Manifest, PoolText, PortNumber,
        ProfileName, QuantityText, TaintText,
    },
};
use crate::version::KubeVersion;

/// The backends a scenario may name in `backends:`.
pub(crate) const BACKENDS: &[&str] = &["sim", "kubectl"];

/// Every top-level key: front-matter keys plus `steps` (YAML scenarios only).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDocument {
    title: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    cluster: Option<RawClusterField>,
    #[serde(default)]
    setup: Vec<String>,
    #[serde(default)]
    objects: Vec<RawObject>,
    timeout: Option<Dur>,
    backends: Option<Vec<BackendName>>,
    #[serde(rename = "known-failure")]
    known_failure: Option<String>,
    #[serde(default)]
    vars: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    images: std::collections::BTreeMap<Checked<ImageKey>, RawImage>,
    #[serde(default)]
    capabilities: Vec<CapabilityName>,
    /// Only meaningful in YAML scenarios; Markdown front matter rejects it.
    pub(crate) steps: Option<Vec<RawStep>>,
}

/// `cluster:` is either a profile name or a mapping.
#[derive(Debug)]
struct RawClusterField(RawCluster);

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCluster {
    profile: Option<Checked<ProfileName>>,
    version: Option<Checked<KubeVersion>>,
    nodes: Option<Vec<RawNode>>,
    #[serde(rename = "podCIDR")]
    pod_cidr: Option<Checked<CidrText>>,
    #[serde(rename = "serviceCIDR")]
    service_cidr: Option<Checked<CidrText>>,
    seed: Option<u64>,
    age: Option<Dur>,
    #[serde(default)]
    hosts: Vec<RawHost>,
    #[serde(rename = "metricsServer")]
    metrics_server: Option<bool>,
    #[serde(rename = "loadBalancer")]
    load_balancer: Option<RawLoadBalancer>,
    dns: Option<RawDns>,
    kernel: Option<String>,
}

/// `cluster.loadBalancer`: where LoadBalancer IPs come from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLoadBalancer {
    pool: Option<Checked<PoolText>>,
}

/// `cluster.dns: coredns | kube-dns`.
#[derive(Debug, Clone, Copy)]
struct RawDns(DnsServer);

impl<'de> Deserialize<'de> for RawDns {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.as_str() {
            "coredns" => Ok(RawDns(DnsServer::CoreDns)),
            "kube-dns" => Ok(RawDns(DnsServer::KubeDns)),
            _ => Err(de::Error::custom(format!(
                "invalid dns server `{text}` (expected `coredns` or `kube-dns`)"
            ))),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHost {
    name: String,
    ip: Option<Checked<IpText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    name: String,
    #[serde(default)]
    roles: Vec<String>,
    ip: Option<Checked<IpText>>,
    #[serde(default)]
    taints: Vec<Checked<TaintText>>,
    age: Option<Dur>,
    #[serde(default)]
    capacity: std::collections::BTreeMap<String, Checked<QuantityText>>,
    #[serde(rename = "podCIDR")]
    pod_cidr: Option<Checked<CidrText>>,
    #[serde(rename = "externalIP")]
    external_ip: Option<Checked<IpText>>,
    #[serde(default)]
    labels: std::collections::BTreeMap<String, String>,
}

/// One `images:` entry (DESIGN §2): how an image reference behaves.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    pull: Option<RawPull>,
    #[serde(rename = "pullTime")]
    pull_time: Option<Dur>,
    #[serde(rename = "pullableAfter")]
    pullable_after: Option<Dur>,
    #[serde(rename = "runFor")]
    run_for: Option<Dur>,
    exit: Option<u8>,
    logs: Option<RawLogs>,
    ports: Option<Vec<Checked<PortNumber>>>,
    preloaded: Option<bool>,
    http: Option<Vec<RawRoute>>,
    #[serde(rename = "ignoresSigterm")]
    ignores_sigterm: Option<bool>,
}

/// One declared HTTP answer of an `images:` entry: `{path: /healthz,
/// status: 200, until: 10s}`, or `{path: /, status: 200, body: "hi\n"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    path: String,
    status: Checked<HttpStatus>,
    until: Option<Dur>,
    body: Option<String>,
}

/// `pull: ok | fail | denied`.
#[derive(Debug, Clone, Copy)]
struct RawPull(ImagePull);

impl<'de> Deserialize<'de> for RawPull {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.as_str() {
            "ok" => Ok(RawPull(ImagePull::Ok)),
            "fail" => Ok(RawPull(ImagePull::Fail)),
            "denied" => Ok(RawPull(ImagePull::Denied)),
            _ => Err(de::Error::custom(format!(
                "invalid pull result `{text}` (expected `ok`, `fail` or `denied`)"
            ))),
        }
    }
}

/// `logs:` — one text (lines printed at start) or a list of lines, each a
/// string (at start) or `{after: 5s, line: text}`. Deserialized by hand so
/// a wrong key inside a line is reported as such (an untagged enum would
/// only say that nothing matched).
#[derive(Debug)]
struct RawLogs(Vec<(Duration, String)>);

impl<'de> Deserialize<'de> for RawLogs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LogsVisitor;
        impl<'de> Visitor<'de> for LogsVisitor {
            type Value = RawLogs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text or a list of lines")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawLogs, E> {
                Ok(RawLogs(v.lines().map(|l| (Duration::ZERO, l.to_owned())).collect()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawLogs, A::Error> {
                let mut lines = Vec::new();
                while let Some(RawLogLine(after, line)) = seq.next_element()? {
                    lines.push((after, line));
                }
                Ok(RawLogs(lines))
            }
        }
        deserializer.deserialize_any(LogsVisitor)
    }
}

/// One line of `logs:`: a string, or `{after: DURATION, line: TEXT}`.
#[derive(Debug)]
struct RawLogLine(Duration, String);

impl<'de> Deserialize<'de> for RawLogLine {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LineVisitor;
        impl<'de> Visitor<'de> for LineVisitor {
            type Value = RawLogLine;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a line of text or a mapping with `after` and `line`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawLogLine, E> {
                Ok(RawLogLine(Duration::ZERO, v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawLogLine, A::Error> {
                let t = RawTimedLine::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RawLogLine(t.after.0, t.line))
            }
        }
        deserializer.deserialize_any(LineVisitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimedLine {
    after: Dur,
    line: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObject {
    age: Option<Dur>,
    manifest: Checked<Manifest>,
    status: Option<RawObjectStatus>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjectStatus {
    restarts: Option<u32>,
    #[serde(rename = "lastRestart")]
    last_restart: Option<Dur>,
}

/// One step of a YAML scenario, before validation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStep {
    pub(crate) file: Option<String>,
    pub(crate) content: Option<String>,
    pub(crate) run: Option<String>,
    pub(crate) expect: Option<String>,
    pub(crate) status: Option<RawStatus>,
    pub(crate) timeout: Option<Dur>,
    pub(crate) host: Option<String>,
    #[serde(rename = "match")]
    pub(crate) mode: Option<RawMode>,
    pub(crate) skip: Option<String>,
    /// Lines typed into the interactive session `run:` opens.
    pub(crate) session: Option<Vec<RawTyped>>,
}

/// One line typed into an interactive session of a YAML step:
/// `{type: hostname, expect: web}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTyped {
    #[serde(rename = "type")]
    pub(crate) typed: String,
    pub(crate) expect: Option<String>,
}

/// A duration written as a Go / kubectl string (`30s`, `6d21h`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dur(pub(crate) Duration);

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurVisitor;
        impl Visitor<'_> for DurVisitor {
            type Value = Dur;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as 30s, 10m, 1h30m or 6d21h")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Dur, E> {
                parse_duration(v).map(Dur).ok_or_else(|| {
                    E::custom(format!(
                        "invalid duration `{v}` (expected e.g. 30s, 10m, 1h30m, 6d21h)"
                    ))
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dur, E> {
                // A bare number has no unit; only 0 is unambiguous (as in Go).
                if v == 0 {
                    Ok(Dur(Duration::ZERO))
                } else {
                    Err(E::custom(format!(
                        "invalid duration `{v}`: a unit is needed (e.g. {v}s or {v}m)"
                    )))
                }
            }
        }
        deserializer.deserialize_any(DurVisitor)
    }
}

/// A backend name from `backends:`, checked against [`BACKENDS`].
#[derive(Debug)]
struct BackendName(String);

impl<'de> Deserialize<'de> for BackendName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        if BACKENDS.contains(&name.as_str()) {
            Ok(BackendName(name))
        } else {
            Err(de::Error::custom(format!(
                "unknown backend `{name}` (expected one of: {})",
                BACKENDS.join(", ")
            )))
        }
    }
}

/// A capability from `capabilities:`, checked against [`Capability::ALL`].
#[derive(Debug)]
struct CapabilityName(super::model::Capability);

impl<'de> Deserialize<'de> for CapabilityName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use super::model::Capability;
        let name = String::deserialize(deserializer)?;
        match Capability::ALL.iter().find(|(_, n)| *n == name) {
            Some((c, _)) => Ok(CapabilityName(*c)),
            None => Err(de::Error::custom(format!(
                "unknown capability `{name}` (expected one of: {})",
                Capability::ALL.map(|(_, n)| n).join(", ")
            ))),
        }
    }
}

/// `status:` of a YAML step: an exit status or `failed`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawStatus(pub(crate) ExpectedStatus);

impl<'de> Deserialize<'de> for RawStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StatusVisitor;
        impl Visitor<'_> for StatusVisitor {
            type Value = RawStatus;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an exit status 0-255 or `failed`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawStatus, E> {
                status_from_number(v as i64).map(RawStatus).ok_or_else(|| {
                    E::custom(format!("invalid status `{v}` (expected 0-255 or `failed`)"))
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawStatus, E> {
                status_from_number(v).map(RawStatus).ok_or_else(|| {
                    E::custom(format!("invalid status `{v}` (expected 0-255 or `failed`)"))
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawStatus, E> {
                parse_status(v).map(RawStatus).ok_or_else(|| {
                    E::custom(format!("invalid status `{v}` (expected 0-255 or `failed`)"))
                })
            }
        }
        deserializer.deserialize_any(StatusVisitor)
    }
}

/// Maps a numeric exit status; 0 is plain success.
fn status_from_number(v: i64) -> Option<ExpectedStatus> {
    match v {
        0 => Some(ExpectedStatus::Success),
        1..=255 => Some(ExpectedStatus::Code(v as i32)),
        _ => None,
    }
}

/// Parses the `N` of `? N` (or a YAML `status:` string): `0`-`255` or `failed`.
pub(crate) fn parse_status(text: &str) -> Option<ExpectedStatus> {
    let text = text.trim();
    if text == "failed" {
        return Some(ExpectedStatus::Failed);
    }
    // Only plain digits: `+1` or `0x1` would be accepted by `parse` or nobody.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    status_from_number(text.parse().ok()?)
}

/// `match:` of a YAML step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawMode(pub(crate) MatchMode);

impl<'de> Deserialize<'de> for RawMode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_match_mode(&text).map(RawMode).ok_or_else(|| {
            de::Error::custom(format!(
                "invalid match mode `{text}` (expected `exact`, `subset` or `unordered`)"
            ))
        })
    }
}

/// Parses a `match=` value.
pub(crate) fn parse_match_mode(text: &str) -> Option<MatchMode> {
    match text {
        "exact" => Some(MatchMode::Exact),
        "subset" => Some(MatchMode::Subset),
        "unordered" => Some(MatchMode::Unordered),
        _ => None,
    }
}

impl<'de> Deserialize<'de> for RawClusterField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ClusterVisitor;
        impl<'de> Visitor<'de> for ClusterVisitor {
            type Value = RawClusterField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a cluster profile name or a mapping")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawClusterField, E> {
                use super::values::Check;
                let profile = ProfileName::check(v.to_owned()).map_err(E::custom)?;
                Ok(RawClusterField(RawCluster {
                    profile: Some(Checked(profile)),
                    ..RawCluster::default()
                }))
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawClusterField, E> {
                Ok(RawClusterField(RawCluster::default()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawClusterField, A::Error> {
                RawCluster::deserialize(MapAccessDeserializer::new(map)).map(RawClusterField)
            }
        }
        deserializer.deserialize_any(ClusterVisitor)
    }
}

impl RawDocument {
    /// The front-matter part of the document, in model form.
    pub(crate) fn front_matter(&mut self) -> FrontMatter {
        let cluster = self.cluster.take().map(|c| c.0).unwrap_or_default();
        FrontMatter {
            title: self.title.take(),
            tags: std::mem::take(&mut self.tags),
            cluster: ClusterSpec {
                profile: cluster.profile.map(|p| p.0.0),
                version: cluster.version.map(|v| v.0),
                nodes: cluster.nodes.map(|nodes| {
                    nodes
                        .into_iter()
                        .map(|n| NodeSpec {
                            name: n.name,
                            roles: n.roles,
                            ip: n.ip.map(|ip| ip.0.0),
                            taints: n.taints.into_iter().map(|t| t.0.0).collect(),
                            age: n.age.map(|d| d.0),
                            capacity: n.capacity.into_iter().map(|(k, q)| (k, q.0.0)).collect(),
                            pod_cidr: n.pod_cidr.map(|c| c.0.0),
                            external_ip: n.external_ip.map(|ip| ip.0.0),
                            labels: n.labels,
                        })
                        .collect()
                }),
                pod_cidr: cluster.pod_cidr.map(|c| c.0.0),
                service_cidr: cluster.service_cidr.map(|c| c.0.0),
                seed: cluster.seed,
                age: cluster.age.map(|d| d.0),
                hosts: cluster
                    .hosts
                    .into_iter()
                    .map(|h| HostSpec { name: h.name, ip: h.ip.map(|ip| ip.0.0) })
                    .collect(),
                metrics_server: cluster.metrics_server,
                load_balancer_pool: cluster.load_balancer.and_then(|lb| lb.pool).map(|p| p.0.0),
                dns: cluster.dns.map(|d| d.0),
                kernel: cluster.kernel,
            },
            setup: std::mem::take(&mut self.setup),
            objects: std::mem::take(&mut self.objects)
                .into_iter()
                .map(|o| SeedObject {
                    age: o.age.map(|d| d.0),
                    manifest: o.manifest.0.0,
                    restarts: o.status.as_ref().and_then(|s| s.restarts),
                    last_restart: o.status.as_ref().and_then(|s| s.last_restart.map(|d| d.0)),
                })
                .collect(),
            timeout: self.timeout.map(|d| d.0),
            backends: self.backends.take().map(|b| b.into_iter().map(|n| n.0).collect()),
            known_failure: self.known_failure.take(),
            vars: std::mem::take(&mut self.vars),
            images: std::mem::take(&mut self.images)
                .into_iter()
                .map(|(name, i)| (name.0.0, i.into_model()))
                .collect(),
            capabilities: std::mem::take(&mut self.capabilities).into_iter().map(|c| c.0).collect(),
        }
    }
}

impl RawImage {
    fn into_model(self) -> ImageEntry {
        let logs = self.logs.map(|l| l.0);
        ImageEntry {
            pull: self.pull.map(|p| p.0),
            pull_time: self.pull_time.map(|d| d.0),
            pullable_after: self.pullable_after.map(|d| d.0),
            run_for: self.run_for.map(|d| d.0),
            exit: self.exit.map(i32::from),
            logs,
            ports: self.ports.map(|ports| ports.into_iter().map(|p| p.0.0).collect()),
            preloaded: self.preloaded,
            ignores_sigterm: self.ignores_sigterm,
            http: self.http.map(|routes| {
                routes
                    .into_iter()
                    .map(|r| HttpRoute {
                        path: r.path,
                        status: r.status.0.0,
                        until: r.until.map(|d| d.0),
                        body: r.body,
                    })
                    .collect()
            }),
        }
    }
}

/// Parses `yaml` (a document that starts on file line `first_line`) into a
/// [`RawDocument`]; an empty document gives the defaults.
///
/// Syntax errors are told apart from shape errors by a first pass that
/// only checks syntax, because serde_yaml reports a type error, not the
/// real syntax error, when a typed parse meets broken YAML first.
pub(crate) fn parse_document(
    path: &Path,
    yaml: &str,
    first_line: usize,
    context: Context,
) -> Result<RawDocument, ParseError> {
    let result = match crate::yaml::from_str::<Option<IgnoredAny>>(yaml) {
        Err(err) => Err(yaml_error(path, yaml, first_line, err, ErrorCode::InvalidYaml)),
        Ok(_) => match crate::yaml::from_str::<Option<RawDocument>>(yaml) {
            Ok(doc) => Ok(doc.unwrap_or_default()),
            Err(err) if err.message.contains("unknown field `") => {
                let mut error = yaml_error(path, yaml, first_line, err, ErrorCode::UnknownKey);
                if context == Context::FrontMatter {
                    // `steps` is a key of YAML scenarios only; do not offer it.
                    error.message = error.message.replace(", `steps`", "");
                }
                error.message.push_str(&did_you_mean(&error.message));
                Err(error)
            }
            Err(err) => Err(yaml_error(path, yaml, first_line, err, ErrorCode::InvalidValue)),
        },
    };
    result.map_err(|mut err| {
        if context == Context::FrontMatter {
            err.message = format!("front matter: {}", err.message);
        }
        err
    })
}

/// Where a document of front-matter keys comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// The `---` block of a Markdown scenario.
    FrontMatter,
    /// A whole YAML scenario.
    YamlScenario,
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": a
/// "did you mean" hint naming the closest expected key, if one is close.
fn did_you_mean(message: &str) -> String {
    let mut quoted = message.split('`').skip(1).step_by(2);
    let Some(unknown) = quoted.next() else { return String::new() };
    let best = quoted
        .map(|known| (edit_distance(unknown, known), known))
        .min()
        .filter(|(distance, known)| *distance <= 2.max(known.len() / 3));
    match best {
        Some((_, known)) => format!(" (did you mean `{known}`?)"),
        None => String::new(),
    }
}

/// Levenshtein distance between two short strings (case-insensitive).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = if ca == cb { prev } else { prev + 1 };
            prev = row[j + 1];
            row[j + 1] = cost.min(row[j] + 1).min(prev + 1);
        }
    }
    row[b.len()]
}

static LOCATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"line (\d+) column (\d+)").expect("valid regex"));

/// Messages of our own value checks, which quote the offending value in
/// backticks; serde_yaml places them at the enclosing mapping, so the value
/// is looked up in the text to point at it.
const REFINABLE: &[&str] = &[
    "invalid duration `",
    "unknown cluster profile `",
    "invalid version `",
    "unsupported version `",
    "invalid CIDR `",
    "invalid load-balancer pool `",
    "invalid IP address `",
    "invalid taint `",
    "invalid quantity `",
    "invalid image reference `",
    "invalid port `",
    "unknown backend `",
    "invalid status `",
    "invalid match mode `",
    "invalid pull result `",
    "invalid dns server `",
];

/// Converts a YAML error into a [`ParseError`] in file coordinates: the
/// reported line is shifted by `first_line - 1`, and positions quoted inside
/// the message ("while parsing ... at line 1 column 8") are shifted too.
pub(crate) fn yaml_error(
    path: &Path,
    yaml: &str,
    first_line: usize,
    err: crate::yaml::YamlError,
    code: ErrorCode,
) -> ParseError {
    let offset = first_line.saturating_sub(1);
    let line = err.line.unwrap_or(1);
    let column = err.column.unwrap_or(1);
    // Drop the primary location (Display adds it) and shift the others.
    let primary = format!(" at line {line} column {column}");
    let message = match err.message.find(&primary) {
        Some(at) => format!("{}{}", &err.message[..at], &err.message[at + primary.len()..]),
        None => err.message.clone(),
    };
    let message = LOCATION.replace_all(&message, |caps: &regex::Captures<'_>| {
        let l: usize = caps[1].parse().unwrap_or(0);
        format!("line {} column {}", l + offset, &caps[2])
    });
    let mut span = Span { line: line + offset, column };
    if let Some(prefix) = REFINABLE.iter().find(|p| message.contains(**p))
        && let Some(value) = message.split(prefix).nth(1).and_then(|rest| rest.split('`').next())
        && let Some(found) = find_value(yaml, line, value)
    {
        span = Span { line: found.line + offset, column: found.column };
    }
    ParseError::new(path, span, code, message.into_owned())
}

/// Finds `value` as text at or after 1-based `from_line` of `yaml`.
fn find_value(yaml: &str, from_line: usize, value: &str) -> Option<Span> {
    if value.is_empty() {
        return None;
    }
    yaml.lines().enumerate().skip(from_line.saturating_sub(1)).find_map(|(i, text)| {
        text.find(value).map(|at| Span { line: i + 1, column: text[..at].chars().count() + 1 })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_for_misspelt_keys() {
        let hint = |m: &str| did_you_mean(m);
        assert_eq!(
            hint("unknown field `clustr`, expected one of `title`, `cluster`"),
            " (did you mean `cluster`?)"
        );
        assert_eq!(
            hint("unknown field `podCidr`, expected one of `podCIDR`, `seed`"),
            " (did you mean `podCIDR`?)"
        );
        assert_eq!(
            hint("unknown field `known_failure`, expected `known-failure`"),
            " (did you mean `known-failure`?)"
        );
        assert_eq!(hint("unknown field `colour`, expected one of `title`, `tags`"), "");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }

    #[test]
    fn images_entries() {
        let yaml = "images:\n  nginx:1.999: {pull: fail}\n  app:\n    pullTime: 2s\n    runFor: 30s\n    exit: 1\n    ports: [8080]\n    logs:\n      - start\n      - {after: 30s, line: done}\n  web: {logs: \"a\\nb\"}\n";
        let mut doc = parse_document(Path::new("t.md"), yaml, 2, Context::FrontMatter).unwrap();
        let images = doc.front_matter().images;
        assert_eq!(images["nginx:1.999"].pull, Some(ImagePull::Fail));
        let app = &images["app"];
        assert_eq!(app.pull_time, Some(Duration::from_secs(2)));
        assert_eq!((app.run_for, app.exit), (Some(Duration::from_secs(30)), Some(1)));
        assert_eq!(app.ports, Some(vec![8080]));
        assert_eq!(
            app.logs,
            Some(vec![(Duration::ZERO, "start".into()), (Duration::from_secs(30), "done".into())])
        );
        assert_eq!(images["web"].logs.as_ref().map(Vec::len), Some(2));
        let err = parse_document(
            Path::new("t.md"),
            "images:\n  app:\n    exit: 1\n    runfor: 5s\n",
            2,
            Context::FrontMatter,
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (5, 5), "{err}");
        assert!(err.message.contains("(did you mean `runFor`?)"), "{err}");
        for bad in ["images:\n  app: {exit: 256}\n", "images:\n  app: {pull: maybe}\n"] {
            assert!(parse_document(Path::new("t.md"), bad, 2, Context::FrontMatter).is_err());
        }
    }

    #[test]
    fn status_texts() {
        assert_eq!(parse_status("1"), Some(ExpectedStatus::Code(1)));
        assert_eq!(parse_status("0"), Some(ExpectedStatus::Success));
        assert_eq!(parse_status("255"), Some(ExpectedStatus::Code(255)));
        assert_eq!(parse_status("failed"), Some(ExpectedStatus::Failed));
        for bad in ["", "256", "-1", "+1", "x", "1.0", "fail", "99999999999999999999"] {
            assert_eq!(parse_status(bad), None, "{bad:?}");
        }
    }
}
