//! `kubectl describe` pages (`kubectl/pkg/describe/describe.go`, v1.22):
//! a [`Writer`] mirroring describe.go's `PrefixWriter` over a Go
//! `text/tabwriter` (0/8/2), and the helpers every page shares (labels,
//! annotations, tolerations, containers, volumes, pod templates, events).

pub mod configmap;
pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod endpoints;
pub mod endpointslice;
pub mod generic;
pub mod hpa;
pub mod ingress;
pub mod ingress_class;
pub mod job;
pub mod limitrange;
pub mod namespace;
pub mod network_policy;
pub mod node;
pub mod persistent_volume;
pub mod pod;
pub mod pod_disruption_budget;
pub mod priority_class;
pub mod rbac;
pub mod replicaset;
pub mod resourcequota;
pub mod secret;
pub mod service;
pub mod serviceaccount;
pub mod statefulset;
pub mod storage_class;

use crate::version::Fact;
use std::collections::BTreeMap;

use k8s_openapi::{
    api::core::v1::{
        Container, ContainerState, ContainerStatus, Event, Pod, PodTemplateSpec, Toleration, Volume,
    },
    apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time},
    jiff::Timestamp,
};

use super::{
    duration::{human_between, since},
    layout::{self, DESCRIBE},
    timestamp::rfc1123z,
};

/// What describe pages depend on besides the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DescribeEnv {
    /// The time ages are measured to.
    pub now: Timestamp,
    /// The UTC offset timestamps are printed in.
    pub utc_offset_seconds: i32,
    /// The cluster's Kubernetes minor version.
    pub minor: u32,
}

impl DescribeEnv {
    /// Whether the cluster's release has the new form of `fact`.
    pub fn has(&self, fact: crate::version::Fact) -> bool {
        fact.holds_at(self.minor)
    }

    /// `t.Format(time.RFC1123Z)` in kubectl's local zone.
    pub fn time(&self, t: &Time) -> String {
        rfc1123z(t.0, self.utc_offset_seconds)
    }

    /// Go's zero `metav1.Time` formatted (`Mon, 01 Jan 0001 00:00:00 +0000`).
    pub fn time_opt(&self, t: Option<&Time>) -> String {
        match t {
            Some(t) => self.time(t),
            None => "Mon, 01 Jan 0001 00:00:00 +0000".to_owned(),
        }
    }
}

/// Indentation levels (`LEVEL_0`..`LEVEL_3`): two spaces each.
pub const LEVEL_0: usize = 0;
/// One level in.
pub const LEVEL_1: usize = 1;
/// Two levels in.
pub const LEVEL_2: usize = 2;
/// Three levels in.
pub const LEVEL_3: usize = 3;

/// describe.go's `prefixWriter` over `tabbedString`'s tabwriter: collects
/// tab-separated text; [`Writer::finish`] lays it out.
#[derive(Debug, Default)]
pub struct Writer {
    buf: String,
}

impl Writer {
    /// `Write(level, ...)`: the text prefixed by two spaces per level.
    pub fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.buf.push_str("  ");
        }
        self.buf.push_str(text);
    }

    /// `WriteLine(...)`: the text and a newline.
    pub fn line(&mut self, text: &str) {
        self.buf.push_str(text);
        self.buf.push('\n');
    }

    /// The text as written, tabs and all (`printTemplate` writes through a
    /// prefix writer without a tabwriter).
    pub fn raw(self) -> String {
        self.buf
    }

    /// The laid-out page.
    pub fn finish(self) -> String {
        layout::layout(&self.buf, DESCRIBE)
    }
}

/// `printLabelsMultilineWithIndent`: first pair on the title line, the
/// others on continuation lines; sorted by key; `<none>` when empty.
pub fn labels_multiline(
    w: &mut Writer,
    initial_indent: &str,
    title: &str,
    labels: Option<&BTreeMap<String, String>>,
) {
    w.write(LEVEL_0, &format!("{initial_indent}{title}:\t"));
    let labels: Vec<(&String, &String)> = labels.map(|m| m.iter().collect()).unwrap_or_default();
    if labels.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, initial_indent);
            w.write(LEVEL_0, "\t");
        }
        w.write(LEVEL_0, &format!("{k}={v}\n"));
    }
}

/// `printAnnotationsMultiline`: `key: value`, sorted, without
/// `kubectl.kubernetes.io/last-applied-configuration`; long or multi-line
/// values go on indented lines, cut at 140 characters.
pub fn annotations_multiline(
    w: &mut Writer,
    title: &str,
    annotations: Option<&BTreeMap<String, String>>,
) {
    const MAX_ANNOTATION_LEN: usize = 140;
    w.write(LEVEL_0, &format!("{title}:\t"));
    let keys: Vec<(&String, &String)> = annotations
        .map(|m| {
            m.iter()
                .filter(|(k, _)| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
                .collect()
        })
        .unwrap_or_default();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (key, value)) in keys.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(LEVEL_0, &format!("{key}:\n"));
            for s in value.split('\n') {
                w.write(LEVEL_0, &format!("\t  {}\n", shorten(s, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            w.write(LEVEL_0, &format!("{key}: {value}\n"));
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    } else {
        s.to_owned()
    }
}

/// `printTolerationsMultilineWithIndent`, sorted by key.
pub fn tolerations_multiline(w: &mut Writer, title: &str, tolerations: &[Toleration]) {
    w.write(LEVEL_0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        w.line("<none>");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        let key = t.key.clone().unwrap_or_default();
        let value = t.value.clone().unwrap_or_default();
        let effect = t.effect.clone().unwrap_or_default();
        let mut text = key.clone();
        if !value.is_empty() {
            text.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            text.push_str(&format!(":{effect}"));
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                text.push_str(" op=Exists");
            } else {
                text.push_str("op=Exists");
            }
        }
        if let Some(s) = t.toleration_seconds {
            text.push_str(&format!(" for {s}s"));
        }
        w.write(LEVEL_0, &format!("{text}\n"));
    }
}

/// `DescribeEvents`: sorted by last timestamp; ages as `HumanDuration`,
/// `<last> (x<count> over <first>)` for repeated events.
pub fn events(w: &mut Writer, events: &[&Event], env: &DescribeEnv) {
    if events.is_empty() {
        w.write(LEVEL_0, "Events:\t<none>\n");
        return;
    }
    let mut sorted: Vec<&Event> = events.to_vec();
    sorted.sort_by_key(|e| e.last_timestamp.as_ref().map(|t| t.0));
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let count = e.count.unwrap_or(0);
        let interval = if count > 1 {
            format!(
                "{} (x{count} over {})",
                since(env.now, e.last_timestamp.as_ref()),
                since(env.now, e.first_timestamp.as_ref())
            )
        } else if let Some(first) = &e.first_timestamp {
            human_between(first.0, env.now)
        } else if let Some(t) = &e.event_time {
            human_between(t.0, env.now)
        } else {
            "<unknown>".to_owned()
        };
        let mut source = e.source.as_ref().and_then(|s| s.component.clone()).unwrap_or_default();
        // Before v1.19 `formatEventSource` joined the host the event came
        // from (the kubelet's node) to its component.
        let host = e.source.as_ref().and_then(|s| s.host.as_deref()).unwrap_or_default();
        if !env.has(Fact::DescribeEventFromComponent) && !source.is_empty() && !host.is_empty() {
            source = format!("{source}, {host}");
        }
        if source.is_empty() {
            source = e.reporting_component.clone().unwrap_or_default();
        }
        w.write(
            LEVEL_1,
            &format!(
                "{}\t{}\t{interval}\t{source}\t{}\n",
                e.type_.as_deref().unwrap_or_default(),
                e.reason.as_deref().unwrap_or_default(),
                e.message.as_deref().unwrap_or_default().trim()
            ),
        );
    }
}

/// Resolves `fieldRef` environment values (describe.go `EnvValueRetriever`).
pub type EnvResolver<'a> = &'a dyn Fn(&str) -> String;

/// `describeContainers`: every container with its status, if known.
pub fn containers(
    w: &mut Writer,
    label: &str,
    containers: &[Container],
    statuses: &[ContainerStatus],
    resolver: Option<EnvResolver<'_>>,
    space: &str,
    env: &DescribeEnv,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write(LEVEL_0, &format!("{space}{label}:{none}\n"));
    for c in containers {
        let status = statuses.iter().find(|s| s.name == c.name);
        container_basic_info(w, c, status, space, env);
        container_command(w, c);
        if let Some(s) = status {
            container_state(w, s, env);
        }
        container_resources(w, c);
        container_probes(w, c);
        if c.env_from.as_ref().is_some_and(|e| !e.is_empty()) {
            container_env_from(w, c);
        }
        container_env(w, c, resolver);
        container_mounts(w, c);
    }
}

fn container_basic_info(
    w: &mut Writer,
    c: &Container,
    status: Option<&ContainerStatus>,
    space: &str,
    env: &DescribeEnv,
) {
    let name_indent = if space.is_empty() { "" } else { " " };
    w.write(LEVEL_1, &format!("{name_indent}{}:\n", c.name));
    if let Some(s) = status {
        w.write(
            LEVEL_2,
            &format!("Container ID:\t{}\n", s.container_id.as_deref().unwrap_or_default()),
        );
    }
    w.write(LEVEL_2, &format!("Image:\t{}\n", c.image.as_deref().unwrap_or_default()));
    if let Some(s) = status {
        w.write(LEVEL_2, &format!("Image ID:\t{}\n", s.image_id));
    }
    let ports = c.ports.as_deref().unwrap_or_default();
    let named = |text: String, p: &k8s_openapi::api::core::v1::ContainerPort| match p
        .name
        .as_deref()
        .filter(|n| !n.is_empty() && env.has(Fact::DescribeNamedPorts))
    {
        Some(n) => format!("{text} ({n})"),
        None => text,
    };
    let port_string = ports
        .iter()
        .map(|p| {
            named(format!("{}/{}", p.container_port, p.protocol.as_deref().unwrap_or("TCP")), p)
        })
        .collect::<Vec<_>>()
        .join(", ");
    if port_string.contains(',') {
        w.write(LEVEL_2, &format!("Ports:\t{port_string}\n"));
    } else {
        w.write(LEVEL_2, &format!("Port:\t{}\n", or_none(&port_string)));
    }
    let host_ports = ports
        .iter()
        .map(|p| {
            named(
                format!("{}/{}", p.host_port.unwrap_or(0), p.protocol.as_deref().unwrap_or("TCP")),
                p,
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    if host_ports.contains(',') {
        w.write(LEVEL_2, &format!("Host Ports:\t{host_ports}\n"));
    } else {
        w.write(LEVEL_2, &format!("Host Port:\t{}\n", or_none(&host_ports)));
    }
}

/// `printController`: `Controlled By:\tKind/name` when the object has a
/// controller owner reference; nothing otherwise.
pub fn controlled_by(w: &mut Writer, meta: &ObjectMeta) {
    if let Some(owner) = meta.owner_references.iter().flatten().find(|o| o.controller == Some(true))
    {
        w.write(LEVEL_0, &format!("Controlled By:\t{}/{}\n", owner.kind, owner.name));
    }
}

/// `getPodStatusForController`'s counts: of `pods` (the namespace's pods
/// matching the controller's selector), those whose controller is the
/// object with `uid`, by phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PodCounts {
    /// Phase Running.
    pub running: usize,
    /// Phase Pending.
    pub waiting: usize,
    /// Phase Succeeded.
    pub succeeded: usize,
    /// Phase Failed.
    pub failed: usize,
}

impl PodCounts {
    /// Counts the pods controlled by `uid`.
    pub fn controlled_by(pods: &[&Pod], uid: Option<&str>) -> PodCounts {
        let mut counts = PodCounts::default();
        for pod in pods {
            let controller =
                pod.metadata.owner_references.iter().flatten().find(|o| o.controller == Some(true));
            if controller.is_none_or(|o| Some(o.uid.as_str()) != uid) {
                continue;
            }
            match crate::sim::podutil::phase(pod) {
                "Running" => counts.running += 1,
                "Pending" => counts.waiting += 1,
                "Succeeded" => counts.succeeded += 1,
                "Failed" => counts.failed += 1,
                _ => {}
            }
        }
        counts
    }

    /// `Pods Status:` of ReplicaSet and DaemonSet pages.
    pub fn write(&self, w: &mut Writer) {
        w.write(
            LEVEL_0,
            &format!(
                "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
                self.running, self.waiting, self.succeeded, self.failed
            ),
        );
    }
}

/// `printBoolPtr`: `True`/`False`, `<unset>` for nil.
pub fn bool_ptr(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    }
}

/// The `Conditions:` table of workload describers (`Type Status Reason`,
/// `describe.go` DeploymentDescriber/ReplicaSetDescriber); nothing when
/// there are no conditions.
pub fn conditions_with_reasons<'a>(
    w: &mut Writer,
    conditions: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
) {
    let mut conditions = conditions.peekable();
    if conditions.peek().is_none() {
        return;
    }
    w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(LEVEL_1, "----\t------\t------\n");
    for (type_, status, reason) in conditions {
        w.write(LEVEL_1, &format!("{type_} \t{status}\t{reason}\n"));
    }
}

/// `stringOrNone`.
pub fn or_none(s: &str) -> &str {
    if s.is_empty() { "<none>" } else { s }
}

fn container_command(w: &mut Writer, c: &Container) {
    for (title, items) in [("Command", &c.command), ("Args", &c.args)] {
        let items = items.as_deref().unwrap_or_default();
        if items.is_empty() {
            continue;
        }
        w.write(LEVEL_2, &format!("{title}:\n"));
        for item in items {
            for s in item.split('\n') {
                w.write(LEVEL_3, &format!("{s}\n"));
            }
        }
    }
}

fn container_state(w: &mut Writer, s: &ContainerStatus, env: &DescribeEnv) {
    state(w, "State", s.state.as_ref(), env);
    if let Some(last) = s.last_state.as_ref().filter(|l| l.terminated.is_some()) {
        state(w, "Last State", Some(last), env);
    }
    w.write(LEVEL_2, &format!("Ready:\t{}\n", if s.ready { "True" } else { "False" }));
    w.write(LEVEL_2, &format!("Restart Count:\t{}\n", s.restart_count));
}

/// `describeStatus`.
fn state(w: &mut Writer, name: &str, state: Option<&ContainerState>, env: &DescribeEnv) {
    let state = state.cloned().unwrap_or_default();
    if let Some(r) = &state.running {
        w.write(LEVEL_2, &format!("{name}:\tRunning\n"));
        w.write(LEVEL_3, &format!("Started:\t{}\n", env.time_opt(r.started_at.as_ref())));
    } else if let Some(wt) = &state.waiting {
        w.write(LEVEL_2, &format!("{name}:\tWaiting\n"));
        if let Some(reason) = wt.reason.as_deref().filter(|r| !r.is_empty()) {
            w.write(LEVEL_3, &format!("Reason:\t{reason}\n"));
        }
    } else if let Some(t) = &state.terminated {
        w.write(LEVEL_2, &format!("{name}:\tTerminated\n"));
        if let Some(reason) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            w.write(LEVEL_3, &format!("Reason:\t{reason}\n"));
        }
        if let Some(message) = t.message.as_deref().filter(|m| !m.is_empty()) {
            w.write(LEVEL_3, &format!("Message:\t{message}\n"));
        }
        w.write(LEVEL_3, &format!("Exit Code:\t{}\n", t.exit_code));
        if let Some(signal) = t.signal.filter(|s| *s > 0) {
            w.write(LEVEL_3, &format!("Signal:\t{signal}\n"));
        }
        w.write(LEVEL_3, &format!("Started:\t{}\n", env.time_opt(t.started_at.as_ref())));
        w.write(LEVEL_3, &format!("Finished:\t{}\n", env.time_opt(t.finished_at.as_ref())));
    } else {
        w.write(LEVEL_2, &format!("{name}:\tWaiting\n"));
    }
}

fn container_resources(w: &mut Writer, c: &Container) {
    let Some(res) = &c.resources else { return };
    for (title, map) in [("Limits", &res.limits), ("Requests", &res.requests)] {
        let Some(map) = map.as_ref().filter(|m| !m.is_empty()) else { continue };
        w.write(LEVEL_2, &format!("{title}:\n"));
        for (name, q) in map {
            w.write(LEVEL_3, &format!("{name}:\t{}\n", q.0));
        }
    }
}

fn container_probes(w: &mut Writer, c: &Container) {
    for (title, probe) in [
        ("Liveness", &c.liveness_probe),
        ("Readiness", &c.readiness_probe),
        ("Startup", &c.startup_probe),
    ] {
        if let Some(p) = probe {
            w.write(LEVEL_2, &format!("{title}:\t{}\n", describe_probe(p)));
        }
    }
}

/// `DescribeProbe`.
pub fn describe_probe(p: &k8s_openapi::api::core::v1::Probe) -> String {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    let port_text = |port: &IntOrString| match port {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    if let Some(exec) = &p.exec {
        return format!("exec [{}] {attrs}", exec.command.as_deref().unwrap_or_default().join(" "));
    }
    if let Some(h) = &p.http_get {
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let host = h.host.clone().unwrap_or_default();
        let port = port_text(&h.port);
        let host_port = if port.is_empty() {
            host
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        return format!(
            "http-get {scheme}://{host_port}{} {attrs}",
            h.path.as_deref().unwrap_or_default()
        );
    }
    if let Some(t) = &p.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            t.host.as_deref().unwrap_or_default(),
            port_text(&t.port)
        );
    }
    format!("unknown {attrs}")
}

fn container_env_from(w: &mut Writer, c: &Container) {
    w.write(LEVEL_2, "Environment Variables from:\n");
    for e in c.env_from.as_deref().unwrap_or_default() {
        let (from, name, optional) = if let Some(cm) = &e.config_map_ref {
            ("ConfigMap", cm.name.clone(), cm.optional.unwrap_or(false))
        } else if let Some(s) = &e.secret_ref {
            ("Secret", s.name.clone(), s.optional.unwrap_or(false))
        } else {
            ("", String::new(), false)
        };
        match e.prefix.as_deref().filter(|p| !p.is_empty()) {
            None => w.write(LEVEL_3, &format!("{name}\t{from}\tOptional: {optional}\n")),
            Some(p) => w.write(
                LEVEL_3,
                &format!("{name}\t{from} with prefix '{p}'\tOptional: {optional}\n"),
            ),
        }
    }
}

fn container_env(w: &mut Writer, c: &Container, resolver: Option<EnvResolver<'_>>) {
    let vars = c.env.as_deref().unwrap_or_default();
    let none = if vars.is_empty() { "\t<none>" } else { "" };
    w.write(LEVEL_2, &format!("Environment:{none}\n"));
    for e in vars {
        let Some(from) = &e.value_from else {
            for (i, s) in e.value.as_deref().unwrap_or_default().split('\n').enumerate() {
                if i == 0 {
                    w.write(LEVEL_3, &format!("{}:\t{s}\n", e.name));
                } else {
                    w.write(LEVEL_3, &format!("\t{s}\n"));
                }
            }
            continue;
        };
        if let Some(f) = &from.field_ref {
            let value = resolver.map(|r| r(&f.field_path)).unwrap_or_default();
            let api = f.api_version.as_deref().unwrap_or("v1");
            w.write(LEVEL_3, &format!("{}:\t{value} ({api}:{})\n", e.name, f.field_path));
        } else if let Some(r) = &from.resource_field_ref {
            let value = if r.resource.starts_with("limits.") { "node allocatable" } else { "0" };
            w.write(LEVEL_3, &format!("{}:\t{value} ({})\n", e.name, r.resource));
        } else if let Some(s) = &from.secret_key_ref {
            w.write(
                LEVEL_3,
                &format!(
                    "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    e.name,
                    s.key,
                    s.name,
                    s.optional.unwrap_or(false)
                ),
            );
        } else if let Some(cm) = &from.config_map_key_ref {
            w.write(
                LEVEL_3,
                &format!(
                    "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    e.name,
                    cm.key,
                    cm.name,
                    cm.optional.unwrap_or(false)
                ),
            );
        }
    }
}

fn container_mounts(w: &mut Writer, c: &Container) {
    let mut mounts: Vec<_> = c.volume_mounts.clone().unwrap_or_default();
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    w.write(LEVEL_2, &format!("Mounts:{none}\n"));
    mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
    for m in &mounts {
        let mut flags =
            vec![if m.read_only.unwrap_or(false) { "ro".to_owned() } else { "rw".to_owned() }];
        if let Some(sub) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
            flags.push(format!("path=\"{sub}\""));
        }
        w.write(LEVEL_3, &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")));
    }
    let devices = c.volume_devices.as_deref().unwrap_or_default();
    if !devices.is_empty() {
        w.write(LEVEL_2, &format!("Devices:{none}\n"));
        let mut devices = devices.to_vec();
        devices.sort_by(|a, b| a.device_path.cmp(&b.device_path));
        for d in devices {
            w.write(LEVEL_3, &format!("{} from {}\n", d.device_path, d.name));
        }
    }
}

/// `describeVolumes`.
pub fn volumes(w: &mut Writer, volumes: &[Volume], space: &str, minor: u32) {
    if volumes.is_empty() {
        w.write(LEVEL_0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.write(LEVEL_0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        w.write(LEVEL_1, &format!("{name_indent}{}:\n", v.name));
        if let Some(h) = &v.host_path {
            host_path_source(w, h);
        } else if let Some(e) = &v.empty_dir {
            let size =
                e.size_limit.as_ref().map(|q| q.0.clone()).filter(|q| q != "0" && !q.is_empty());
            w.write(
                LEVEL_2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{}\n",
                    e.medium.as_deref().unwrap_or_default(),
                    size.as_deref().unwrap_or("<unset>")
                ),
            );
        } else if let Some(s) = &v.secret {
            w.write(
                LEVEL_2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    s.secret_name.as_deref().unwrap_or_default(),
                    s.optional.unwrap_or(false)
                ),
            );
        } else if let Some(cm) = &v.config_map {
            w.write(
                LEVEL_2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    cm.name,
                    cm.optional.unwrap_or(false)
                ),
            );
        } else if let Some(pvc) = &v.persistent_volume_claim {
            w.write(
                LEVEL_2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    pvc.claim_name,
                    pvc.read_only.unwrap_or(false)
                ),
            );
        } else if let Some(d) = &v.downward_api {
            w.write(LEVEL_2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
            for item in d.items.as_deref().unwrap_or_default() {
                if let Some(f) = &item.field_ref {
                    w.write(LEVEL_3, &format!("{} -> {}\n", f.field_path, item.path));
                }
                if let Some(r) = &item.resource_field_ref {
                    w.write(LEVEL_3, &format!("{} -> {}\n", r.resource, item.path));
                }
            }
        } else if let Some(p) = &v.projected {
            w.write(
                LEVEL_2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for source in p.sources.as_deref().unwrap_or_default() {
                let optional = |o: Option<bool>, old_label: &str| {
                    if Fact::DescribeProjectedOptional.holds_at(minor) {
                        format!("    Optional:\t{}\n", o.unwrap_or(false))
                    } else {
                        format!("    {old_label}:\t{}\n", go_bool_ptr(o))
                    }
                };
                if let Some(s) = &source.secret {
                    let opt = optional(s.optional, "SecretOptionalName");
                    w.write(LEVEL_2, &format!("SecretName:\t{}\n{opt}", s.name));
                } else if source.downward_api.is_some() {
                    w.write(LEVEL_2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = &source.config_map {
                    let opt = optional(cm.optional, "ConfigMapOptional");
                    w.write(LEVEL_2, &format!("ConfigMapName:\t{}\n{opt}", cm.name));
                } else if let Some(t) = &source.service_account_token {
                    w.write(
                        LEVEL_2,
                        &format!(
                            "TokenExpirationSeconds:\t{}\n",
                            t.expiration_seconds.unwrap_or(3607)
                        ),
                    );
                }
            }
        } else {
            w.write(LEVEL_1, "<unknown>\n");
        }
    }
}

/// `%v` of a `*bool`: `<nil>` when unset. (Go would print the pointer's
/// address when set; kubeplay prints the value.)
fn go_bool_ptr(b: Option<bool>) -> String {
    b.map_or_else(|| "<nil>".to_owned(), |b| b.to_string())
}

/// `DescribePodTemplate`.
pub fn pod_template(w: &mut Writer, template: Option<&PodTemplateSpec>, env: &DescribeEnv) {
    w.write(LEVEL_0, "Pod Template:\n");
    let Some(t) = template else {
        w.write(LEVEL_1, "<unset>");
        return;
    };
    let meta = t.metadata.as_ref();
    labels_multiline(w, "", "  Labels", meta.and_then(|m| m.labels.as_ref()));
    if let Some(a) = meta.and_then(|m| m.annotations.as_ref()).filter(|a| !a.is_empty()) {
        annotations_multiline(w, "  Annotations", Some(a));
    }
    let spec = t.spec.clone().unwrap_or_default();
    if let Some(sa) = spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_1, &format!("Service Account:\t{sa}\n"));
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|i| !i.is_empty()) {
        containers(w, "Init Containers", init, &[], None, "  ", env);
    }
    containers(w, "Containers", &spec.containers, &[], None, "  ", env);
    volumes(w, spec.volumes.as_deref().unwrap_or_default(), "  ", env.minor);
    if env.has(Fact::DescribeTemplateTopologySpread) {
        topology_spread_constraints(
            w,
            spec.topology_spread_constraints.as_deref().unwrap_or_default(),
            "  ",
        );
    }
    if let Some(pc) = spec.priority_class_name.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_1, &format!("Priority Class Name:\t{pc}\n"));
    }
    if env.has(Fact::DescribeTemplateNodeSelectorsTolerations) {
        labels_multiline(w, "", "  Node-Selectors", spec.node_selector.as_ref());
        tolerations_multiline(w, "  Tolerations", spec.tolerations.as_deref().unwrap_or_default());
    }
    // v1.35's `WorkloadRef` is an alpha field behind a gate that is off.
}

/// `describeTopologySpreadConstraints`: sorted by topology key; nothing
/// when there are none.
pub fn topology_spread_constraints(
    w: &mut Writer,
    constraints: &[k8s_openapi::api::core::v1::TopologySpreadConstraint],
    space: &str,
) {
    if constraints.is_empty() {
        return;
    }
    let mut sorted: Vec<_> = constraints.iter().collect();
    sorted.sort_by(|a, b| a.topology_key.cmp(&b.topology_key));
    w.write(LEVEL_0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, c) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, &format!("{space}\t"));
        }
        let mut text = format!(
            "{}:{} when max skew {} is exceeded",
            c.topology_key, c.when_unsatisfiable, c.max_skew
        );
        if let Some(s) = &c.label_selector {
            text.push_str(&format!(
                " for selector {}",
                crate::kubectl::labels::format_label_selector(Some(s))
            ));
        }
        w.write(LEVEL_0, &format!("{text}\n"));
    }
}

/// A hostPath volume source, as a pod's volume and a PersistentVolume's
/// `Source:` print it (`describe.go` `printHostPathVolumeSource`).
pub(super) fn host_path_source(
    w: &mut Writer,
    h: &k8s_openapi::api::core::v1::HostPathVolumeSource,
) {
    w.write(
        LEVEL_2,
        &format!(
            "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
            h.path,
            h.type_.as_deref().unwrap_or("<none>")
        ),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::env;

    fn template_page(template: &PodTemplateSpec, minor: u32) -> String {
        let mut w = Writer::default();
        pod_template(&mut w, Some(template), &DescribeEnv { minor, ..env() });
        w.finish()
    }

    /// The pod template's sections on both sides of
    /// [`Fact::DescribeTemplateTopologySpread`] (v1.25) and
    /// [`Fact::DescribeTemplateNodeSelectorsTolerations`] (v1.30).
    #[test]
    fn pod_template_sections_by_version() {
        let t: PodTemplateSpec = serde_json::from_value(json!({
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx"}],
                "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone",
                    "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "web"}}}]}
        }))
        .unwrap();
        assert!(!template_page(&t, 24).contains("Topology Spread Constraints:"));
        assert!(template_page(&t, 25).contains("Topology Spread Constraints:"));
        assert!(!template_page(&t, 29).contains("Node-Selectors:"));
        assert!(!template_page(&t, 29).contains("Tolerations:"));
        let v30 = template_page(&t, 30);
        assert!(v30.contains("  Node-Selectors:") && v30.contains("  Tolerations:"), "{v30}");
    }

    /// [`Fact::DescribeProjectedOptional`]: `SecretOptionalName: <nil>` at
    /// v1.32, `Optional: false` at v1.33.
    #[test]
    fn projected_optional_by_version() {
        let v: Volume = serde_json::from_value(json!({"name": "creds", "projected": {
            "sources": [{"secret": {"name": "s"}}]}}))
        .unwrap();
        let page = |minor| {
            let mut w = Writer::default();
            volumes(&mut w, std::slice::from_ref(&v), "", minor);
            w.finish()
        };
        let has = |page: &str, label: &str, value: &str| {
            page.lines().any(|l| {
                l.trim_start().strip_prefix(label).is_some_and(|rest| rest.trim() == value)
            })
        };
        let v32 = page(32);
        assert!(has(&v32, "SecretOptionalName:", "<nil>"), "{v32}");
        assert!(!has(&v32, "Optional:", "false"), "{v32}");
        let v33 = page(33);
        assert!(has(&v33, "Optional:", "false"), "{v33}");
        assert!(!v33.contains("SecretOptionalName"), "{v33}");
    }
}
