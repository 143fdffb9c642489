//! `kubectl get` tables as cells: column definitions and one row of cells
//! per object, computed the way the API server's table convertor does
//! (`pkg/printers/internalversion/printers.go`, v1.22 unless a version check
//! says otherwise). Layout into text is [`super::layout`]'s job; the same
//! cells could be served as a `meta.k8s.io/v1` `Table`.

use std::collections::BTreeMap;

use k8s_openapi::{
    api::{
        apps::v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet},
        autoscaling::v2::HorizontalPodAutoscaler,
        batch::v1::{CronJob, Job},
        core::v1::{ConfigMap, Container, Endpoints, Event, Namespace, Node, Pod, Secret, Service},
    },
    jiff::Timestamp,
};

use super::duration::{human_between, since};
use crate::{
    kubectl::labels::{format_label_selector, format_labels, selector_text},
    sim::{Kind, Object},
    version::Fact,
};

/// A column definition (`metav1.TableColumnDefinition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Name as defined (`Nominated Node`); headers print it upper-cased.
    pub name: &'static str,
    /// 0 = always shown, 1 = only with `-o wide`.
    pub priority: u8,
}

/// One row: the cells of every column, wide ones included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The object's namespace (for `-A`).
    pub namespace: String,
    /// The object's labels (for `--show-labels`).
    pub labels: BTreeMap<String, String>,
    /// One cell per column.
    pub cells: Vec<String>,
}

/// A table of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The kind the rows are.
    pub kind: Kind,
    /// Column definitions.
    pub columns: Vec<Column>,
    /// Rows, in list order.
    pub rows: Vec<Row>,
}

/// What cells depend on besides the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Env {
    /// The time ages are measured to.
    pub now: Timestamp,
    /// The cluster's Kubernetes minor version (`22` for v1.22.2).
    pub minor: u32,
}

impl Env {
    /// Whether the cluster's release has the new form of `fact`.
    pub fn has(&self, fact: Fact) -> bool {
        fact.holds_at(self.minor)
    }
}

const fn c(name: &'static str) -> Column {
    Column { name, priority: 0 }
}
const fn w(name: &'static str) -> Column {
    Column { name, priority: 1 }
}

/// How many of the pod table's columns (`NAME` … `READINESS GATES`) the
/// cluster of `env` defines: `NOMINATED NODE` from v1.12, `READINESS
/// GATES` from v1.13.
fn pod_columns(env: &Env) -> usize {
    if !Fact::PodNominatedNodeColumn.holds_at(env.minor) {
        7
    } else if !Fact::PodReadinessGatesColumn.holds_at(env.minor) {
        8
    } else {
        9
    }
}

/// The columns of `kind`'s table.
pub fn columns(kind: Kind, env: &Env) -> Vec<Column> {
    let template_wide = [w("Containers"), w("Images"), w("Selector")];
    let mut cols = match kind {
        Kind::Other(generic) => return super::table_generic::columns(generic, env),
        Kind::Pod => vec![
            c("Name"),
            c("Ready"),
            c("Status"),
            c("Restarts"),
            c("Age"),
            w("IP"),
            w("Node"),
            w("Nominated Node"),
            w("Readiness Gates"),
        ]
        .into_iter()
        .take(pod_columns(env))
        .collect(),
        // Server-side column definitions (`printers.go`
        // `deploymentColumnDefinitions`) before v1.13.
        Kind::Deployment if !Fact::DeploymentReadyColumn.holds_at(env.minor) => {
            vec![c("Name"), c("Desired"), c("Current"), c("Up-to-date"), c("Available"), c("Age")]
        }
        Kind::Deployment => vec![c("Name"), c("Ready"), c("Up-to-date"), c("Available"), c("Age")],
        Kind::ReplicaSet => vec![c("Name"), c("Desired"), c("Current"), c("Ready"), c("Age")],
        Kind::DaemonSet => vec![
            c("Name"),
            c("Desired"),
            c("Current"),
            c("Ready"),
            c("Up-to-date"),
            c("Available"),
            c("Node Selector"),
            c("Age"),
        ],
        // `jobColumnDefinitions` before v1.12.
        Kind::Job if !env.has(Fact::JobCompletionsColumns) => {
            vec![c("Name"), c("Desired"), c("Successful"), c("Age")]
        }
        Kind::Job if env.has(Fact::JobStatusColumn) => {
            vec![c("Name"), c("Status"), c("Completions"), c("Duration"), c("Age")]
        }
        Kind::Job => vec![c("Name"), c("Completions"), c("Duration"), c("Age")],
        Kind::CronJob if env.has(Fact::CronJobTimezoneColumn) => vec![
            c("Name"),
            c("Schedule"),
            c("Timezone"),
            c("Suspend"),
            c("Active"),
            c("Last Schedule"),
            c("Age"),
        ],
        Kind::CronJob => {
            vec![c("Name"), c("Schedule"), c("Suspend"), c("Active"), c("Last Schedule"), c("Age")]
        }
        Kind::Service => vec![
            c("Name"),
            c("Type"),
            c("Cluster-IP"),
            c("External-IP"),
            c("Port(s)"),
            c("Age"),
            w("Selector"),
        ],
        Kind::Node => vec![
            c("Name"),
            c("Status"),
            c("Roles"),
            c("Age"),
            c("Version"),
            w("Internal-IP"),
            w("External-IP"),
            w("OS-Image"),
            w("Kernel-Version"),
            w("Container-Runtime"),
        ],
        Kind::HorizontalPodAutoscaler => vec![
            c("Name"),
            c("Reference"),
            c("Targets"),
            c("MinPods"),
            c("MaxPods"),
            c("Replicas"),
            c("Age"),
        ],
        Kind::Event => vec![
            c("Last Seen"),
            c("Type"),
            c("Reason"),
            c("Object"),
            w("Subobject"),
            w("Source"),
            c("Message"),
            w("First Seen"),
            w("Count"),
            w("Name"),
        ],
        Kind::Namespace => vec![c("Name"), c("Status"), c("Age")],
        Kind::ConfigMap => vec![c("Name"), c("Data"), c("Age")],
        Kind::Secret => vec![c("Name"), c("Type"), c("Data"), c("Age")],
        Kind::ServiceAccount if env.has(Fact::ServiceAccountNoSecretsColumn) => {
            vec![c("Name"), c("Age")]
        }
        Kind::ServiceAccount => vec![c("Name"), c("Secrets"), c("Age")],
        Kind::Endpoints => vec![c("Name"), c("Endpoints"), c("Age")],
        Kind::EndpointSlice => {
            vec![c("Name"), c("AddressType"), c("Ports"), c("Endpoints"), c("Age")]
        }
        Kind::ControllerRevision => vec![c("Name"), c("Controller"), c("Revision"), c("Age")],
    };
    if matches!(
        kind,
        Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet | Kind::Job | Kind::CronJob
    ) {
        cols.extend(template_wide);
    }
    cols
}

/// Builds `kind`'s table from `objects` (objects of other kinds are skipped).
pub fn table(kind: Kind, objects: &[&Object], env: &Env) -> Table {
    let rows = objects
        .iter()
        .filter(|o| o.kind() == kind)
        .map(|o| Row {
            namespace: o.namespace().unwrap_or_default().to_owned(),
            labels: o.meta().labels.clone().unwrap_or_default(),
            cells: cells(o, env),
        })
        .collect();
    Table { kind, columns: columns(kind, env), rows }
}

/// The cells of one object's row, wide columns included.
pub fn cells(object: &Object, env: &Env) -> Vec<String> {
    let age = since(env.now, object.meta().creation_timestamp.as_ref());
    match object {
        Object::Pod(p) => pod_cells(p, age, env),
        Object::Deployment(d) => deployment_cells(d, age, env),
        Object::ReplicaSet(rs) => replicaset_cells(rs, age),
        Object::DaemonSet(ds) => daemonset_cells(ds, age),
        Object::Job(j) => job_cells(j, age, env),
        Object::CronJob(cj) => cronjob_cells(cj, age, env),
        Object::Service(s) => service_cells(s, age),
        Object::Node(n) => node_cells(n, age),
        Object::HorizontalPodAutoscaler(h) => hpa_cells(h, age, env),
        Object::Event(e) => event_cells(e, env),
        Object::Namespace(ns) => namespace_cells(ns, age),
        Object::ConfigMap(cm) => configmap_cells(cm, age),
        Object::Secret(s) => secret_cells(s, age),
        Object::ServiceAccount(sa) if env.has(Fact::ServiceAccountNoSecretsColumn) => {
            vec![name(&sa.metadata), age]
        }
        Object::ServiceAccount(sa) => {
            vec![name(&sa.metadata), sa.secrets.as_ref().map_or(0, Vec::len).to_string(), age]
        }
        Object::Endpoints(ep) => vec![name(&ep.metadata), format_endpoints(ep), age],
        Object::EndpointSlice(s) => vec![
            name(&s.metadata),
            s.address_type.clone(),
            format_discovery_ports(s.ports.as_deref().unwrap_or_default()),
            format_discovery_endpoints(&s.endpoints),
            age,
        ],
        Object::ControllerRevision(cr) => controller_revision_cells(cr, age),
        Object::Generic(g) => super::table_generic::cells(g, env),
    }
}

fn name(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> String {
    meta.name.clone().unwrap_or_default()
}

/// `layoutContainerCells`: names and images joined by `,`.
fn container_cells(containers: &[Container]) -> (String, String) {
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> =
        containers.iter().map(|c| c.image.as_deref().unwrap_or_default()).collect();
    (names.join(","), images.join(","))
}

/// The pod's STATUS cell (`printPod`'s `reason`), READY counts and
/// RESTARTS, as the pod table shows them.
pub struct PodSummary {
    /// `ready/total`.
    pub ready: String,
    /// STATUS.
    pub status: String,
    /// RESTARTS (`12 (24m ago)`).
    pub restarts: String,
}

/// `printPod` (v1.22): READY, STATUS and RESTARTS of a pod.
pub fn pod_summary(pod: &Pod, env: &Env) -> PodSummary {
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    let total = spec.map_or(0, |s| s.containers.len());
    let mut ready = 0;
    let mut restarts: i64 = 0;
    let mut last_restart: Option<Timestamp> = None;
    let mut note_restart = |cs: &k8s_openapi::api::core::v1::ContainerStatus| {
        if let Some(finished) = cs
            .last_state
            .as_ref()
            .and_then(|s| s.terminated.as_ref())
            .and_then(|t| t.finished_at.as_ref())
            && last_restart.is_none_or(|l| l < finished.0)
        {
            last_restart = Some(finished.0);
        }
    };
    let mut reason = status.and_then(|s| s.phase.clone()).unwrap_or_default();
    if let Some(r) = status.and_then(|s| s.reason.clone()).filter(|r| !r.is_empty()) {
        reason = r;
    }

    let init_statuses =
        status.and_then(|s| s.init_container_statuses.as_deref()).unwrap_or_default();
    let init_count = spec.and_then(|s| s.init_containers.as_ref()).map_or(0, Vec::len);
    let mut initializing = false;
    for (i, cs) in init_statuses.iter().enumerate() {
        restarts += i64::from(cs.restart_count);
        note_restart(cs);
        let state = cs.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        match (terminated, waiting) {
            (Some(t), _) if t.exit_code == 0 => continue,
            (Some(t), _) => {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => format!("Init:{r}"),
                    None => match t.signal.filter(|s| *s != 0) {
                        Some(sig) => format!("Init:Signal:{sig}"),
                        None => format!("Init:ExitCode:{}", t.exit_code),
                    },
                };
            }
            (None, Some(wt))
                if wt
                    .reason
                    .as_deref()
                    .is_some_and(|r| !r.is_empty() && r != "PodInitializing") =>
            {
                reason = format!("Init:{}", wt.reason.as_deref().unwrap_or_default());
            }
            _ => reason = format!("Init:{i}/{init_count}"),
        }
        initializing = true;
        break;
    }

    if !initializing {
        restarts = 0;
        let mut has_running = false;
        let statuses = status.and_then(|s| s.container_statuses.as_deref()).unwrap_or_default();
        for cs in statuses.iter().rev() {
            restarts += i64::from(cs.restart_count);
            note_restart(cs);
            let state = cs.state.as_ref();
            let waiting = state.and_then(|s| s.waiting.as_ref());
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if let Some(r) = waiting.and_then(|w| w.reason.clone()).filter(|r| !r.is_empty()) {
                reason = r;
            } else if let Some(r) =
                terminated.and_then(|t| t.reason.clone()).filter(|r| !r.is_empty())
            {
                reason = r;
            } else if let Some(t) = terminated {
                reason = match t.signal.filter(|s| *s != 0) {
                    Some(sig) => format!("Signal:{sig}"),
                    None => format!("ExitCode:{}", t.exit_code),
                };
            } else if cs.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = status
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
            reason = if pod_ready { "Running".into() } else { "NotReady".into() };
        }
    }

    let deleting = pod.metadata.deletion_timestamp.is_some();
    if deleting && status.and_then(|s| s.reason.as_deref()) == Some("NodeLost") {
        reason = "Unknown".into();
    } else if deleting {
        let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or_default();
        if !env.has(Fact::TerminatingKeepsTerminalPhase) || !matches!(phase, "Succeeded" | "Failed")
        {
            reason = "Terminating".into();
        }
    }

    let restarts = match last_restart {
        Some(t) if restarts != 0 && env.has(Fact::PodRestartsAgo) => {
            format!("{restarts} ({} ago)", human_between(t, env.now))
        }
        _ => restarts.to_string(),
    };
    PodSummary { ready: format!("{ready}/{total}"), status: reason, restarts }
}

fn pod_cells(pod: &Pod, age: String, env: &Env) -> Vec<String> {
    let summary = pod_summary(pod, env);
    let status = pod.status.as_ref();
    let spec = pod.spec.as_ref();
    let or_none =
        |s: Option<String>| s.filter(|s| !s.is_empty()).unwrap_or_else(|| "<none>".into());
    let ip = or_none(
        status.and_then(|s| s.pod_ips.as_ref()).and_then(|ips| ips.first()).map(|i| i.ip.clone()),
    );
    let node = or_none(spec.and_then(|s| s.node_name.clone()));
    let nominated = or_none(status.and_then(|s| s.nominated_node_name.clone()));
    let gates = spec.and_then(|s| s.readiness_gates.as_ref()).filter(|g| !g.is_empty());
    let readiness = match gates {
        None => "<none>".to_owned(),
        Some(gates) => {
            let conditions = status.and_then(|s| s.conditions.as_deref()).unwrap_or_default();
            let true_count = gates
                .iter()
                .filter(|g| {
                    conditions
                        .iter()
                        .find(|c| c.type_ == g.condition_type)
                        .is_some_and(|c| c.status == "True")
                })
                .count();
            format!("{true_count}/{}", gates.len())
        }
    };
    let mut cells = vec![
        name(&pod.metadata),
        summary.ready,
        summary.status,
        summary.restarts,
        age,
        ip,
        node,
        nominated,
        readiness,
    ];
    cells.truncate(pod_columns(env));
    cells
}

fn deployment_cells(d: &Deployment, age: String, env: &Env) -> Vec<String> {
    let spec = d.spec.as_ref();
    let status = d.status.as_ref();
    let desired = spec.and_then(|s| s.replicas).unwrap_or(0);
    let ready = status.and_then(|s| s.ready_replicas).unwrap_or(0);
    let updated = status.and_then(|s| s.updated_replicas).unwrap_or(0);
    let available = status.and_then(|s| s.available_replicas).unwrap_or(0);
    let containers = spec
        .and_then(|s| s.template.spec.as_ref())
        .map(|p| p.containers.as_slice())
        .unwrap_or_default();
    let (names, images) = container_cells(containers);
    let counts = if Fact::DeploymentReadyColumn.holds_at(env.minor) {
        vec![format!("{ready}/{desired}")]
    } else {
        let current = status.and_then(|s| s.replicas).unwrap_or(0);
        vec![desired.to_string(), current.to_string()]
    };
    let mut cells = vec![name(&d.metadata)];
    cells.extend(counts);
    cells.extend([
        updated.to_string(),
        available.to_string(),
        age,
        names,
        images,
        selector_text(spec.map(|s| &s.selector)),
    ]);
    cells
}

fn replicaset_cells(rs: &ReplicaSet, age: String) -> Vec<String> {
    let spec = rs.spec.as_ref();
    let status = rs.status.as_ref();
    let containers = spec
        .and_then(|s| s.template.as_ref())
        .and_then(|t| t.spec.as_ref())
        .map(|p| p.containers.as_slice())
        .unwrap_or_default();
    let (names, images) = container_cells(containers);
    vec![
        name(&rs.metadata),
        spec.and_then(|s| s.replicas).unwrap_or(0).to_string(),
        status.map_or(0, |s| s.replicas).to_string(),
        status.and_then(|s| s.ready_replicas).unwrap_or(0).to_string(),
        age,
        names,
        images,
        format_label_selector(spec.map(|s| &s.selector)),
    ]
}

fn daemonset_cells(ds: &DaemonSet, age: String) -> Vec<String> {
    let spec = ds.spec.as_ref();
    let status = ds.status.as_ref();
    let pod_spec = spec.and_then(|s| s.template.spec.as_ref());
    let (names, images) =
        container_cells(pod_spec.map(|p| p.containers.as_slice()).unwrap_or_default());
    vec![
        name(&ds.metadata),
        status.map_or(0, |s| s.desired_number_scheduled).to_string(),
        status.map_or(0, |s| s.current_number_scheduled).to_string(),
        status.map_or(0, |s| s.number_ready).to_string(),
        status.and_then(|s| s.updated_number_scheduled).unwrap_or(0).to_string(),
        status.and_then(|s| s.number_available).unwrap_or(0).to_string(),
        format_labels(pod_spec.and_then(|p| p.node_selector.as_ref())),
        age,
        names,
        images,
        format_label_selector(spec.map(|s| &s.selector)),
    ]
}

fn job_cells(j: &Job, age: String, env: &Env) -> Vec<String> {
    let spec = j.spec.as_ref();
    let status = j.status.as_ref();
    let succeeded = status.and_then(|s| s.succeeded).unwrap_or(0);
    let completions = match spec.and_then(|s| s.completions) {
        Some(c) => format!("{succeeded}/{c}"),
        None => {
            let parallelism = spec.and_then(|s| s.parallelism).unwrap_or(0);
            if parallelism > 1 {
                format!("{succeeded}/1 of {parallelism}")
            } else {
                format!("{succeeded}/1")
            }
        }
    };
    let start = status.and_then(|s| s.start_time.as_ref());
    let completion = status.and_then(|s| s.completion_time.as_ref());
    let duration = match (start, completion) {
        (None, _) => String::new(),
        (Some(s), None) => human_between(s.0, env.now),
        (Some(s), Some(c)) => human_between(s.0, c.0),
    };
    let (names, images) = container_cells(
        spec.and_then(|s| s.template.spec.as_ref())
            .map(|p| p.containers.as_slice())
            .unwrap_or_default(),
    );
    let mut cells = vec![name(&j.metadata)];
    if !env.has(Fact::JobCompletionsColumns) {
        // v1.11 `printJob`: `spec.completions` as set (`<none>` if not),
        // then `status.succeeded`.
        let desired =
            spec.and_then(|s| s.completions).map_or("<none>".to_owned(), |c| c.to_string());
        cells.extend([
            desired,
            succeeded.to_string(),
            age,
            names,
            images,
            format_label_selector(spec.and_then(|s| s.selector.as_ref())),
        ]);
        return cells;
    }
    if env.has(Fact::JobStatusColumn) {
        let has = |t: &str| {
            status
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == t && c.status == "True"))
        };
        let job_status = if has("Complete") {
            "Complete"
        } else if has("Failed") {
            "Failed"
        } else if j.metadata.deletion_timestamp.is_some() {
            "Terminating"
        } else if has("Suspended") {
            "Suspended"
        } else if has("FailureTarget") {
            "FailureTarget"
        } else if has("SuccessCriteriaMet") {
            // version fact: printJob's SuccessCriteriaMet status; source:
            // pkg/printers/internalversion/printers.go printJob (the
            // condition exists from v1.31); range unconfirmed.
            "SuccessCriteriaMet"
        } else {
            "Running"
        };
        cells.push(job_status.to_owned());
    }
    cells.extend([
        completions,
        duration,
        age,
        names,
        images,
        format_label_selector(spec.and_then(|s| s.selector.as_ref())),
    ]);
    cells
}

fn cronjob_cells(cj: &CronJob, age: String, env: &Env) -> Vec<String> {
    let spec = cj.spec.as_ref();
    let status = cj.status.as_ref();
    let suspend = match spec.and_then(|s| s.suspend) {
        None => "<unset>".to_owned(),
        Some(true) => "True".to_owned(),
        Some(false) => "False".to_owned(),
    };
    let last = match status.and_then(|s| s.last_schedule_time.as_ref()) {
        Some(t) => human_between(t.0, env.now),
        None => "<none>".to_owned(),
    };
    let job_spec = spec.and_then(|s| s.job_template.spec.as_ref());
    let (names, images) = container_cells(
        job_spec
            .and_then(|j| j.template.spec.as_ref())
            .map(|p| p.containers.as_slice())
            .unwrap_or_default(),
    );
    let mut cells = vec![name(&cj.metadata), spec.map(|s| s.schedule.clone()).unwrap_or_default()];
    if env.has(Fact::CronJobTimezoneColumn) {
        cells.push(spec.and_then(|s| s.time_zone.clone()).unwrap_or_else(|| "<none>".to_owned()));
    }
    cells.extend([
        suspend,
        status.and_then(|s| s.active.as_ref()).map_or(0, Vec::len).to_string(),
        last,
        age,
        names,
        images,
        format_label_selector(job_spec.and_then(|j| j.selector.as_ref())),
    ]);
    cells
}

fn service_cells(s: &Service, age: String) -> Vec<String> {
    let spec = s.spec.as_ref();
    let svc_type = spec.and_then(|s| s.type_.clone()).unwrap_or_default();
    // `printService`: `clusterIPs[0]` from v1.20, `clusterIP` before
    // (`printers.go` v1.15.0), the server filling `clusterIPs` only from
    // v1.20 ([`Fact::ServiceClusterIPs`]).
    let cluster_ip = spec
        .and_then(|s| s.cluster_ips.as_ref())
        .and_then(|ips| ips.first().cloned())
        .or_else(|| spec.and_then(|s| s.cluster_ip.clone()))
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "<none>".into());
    let ports = spec.and_then(|s| s.ports.as_deref()).unwrap_or_default();
    let ports = ports
        .iter()
        .map(|p| {
            let protocol = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port.filter(|n| *n > 0) {
                Some(np) => format!("{}:{np}/{protocol}", p.port),
                None => format!("{}/{protocol}", p.port),
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    vec![
        name(&s.metadata),
        svc_type,
        cluster_ip,
        service_external_ip(s, false),
        if ports.is_empty() { "<none>".into() } else { ports },
        age,
        format_labels(spec.and_then(|s| s.selector.as_ref())),
    ]
}

/// `getServiceExternalIP`.
fn service_external_ip(s: &Service, wide: bool) -> String {
    let spec = s.spec.as_ref();
    let external: Vec<String> = spec.and_then(|s| s.external_ips.clone()).unwrap_or_default();
    match spec.and_then(|s| s.type_.as_deref()).unwrap_or_default() {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".into()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let mut ingress: Vec<String> = s
                .status
                .as_ref()
                .and_then(|st| st.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .map(|ing| {
                    ing.iter()
                        .filter_map(|i| {
                            i.ip.clone()
                                .filter(|v| !v.is_empty())
                                .or_else(|| i.hostname.clone().filter(|v| !v.is_empty()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            ingress.sort();
            ingress.dedup();
            let mut lb = ingress.join(",");
            if !wide && lb.len() > 16 {
                lb = format!("{}...", &lb[..13]);
            }
            if !external.is_empty() {
                let mut all: Vec<String> = if lb.is_empty() {
                    Vec::new()
                } else {
                    lb.split(',').map(str::to_owned).collect()
                };
                all.extend(external);
                return all.join(",");
            }
            if lb.is_empty() { "<pending>".into() } else { lb }
        }
        "ExternalName" => spec.and_then(|s| s.external_name.clone()).unwrap_or_default(),
        _ => "<unknown>".into(),
    }
}

/// `findNodeRoles`: sorted, de-duplicated roles.
pub fn node_roles(n: &Node) -> String {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in n.metadata.labels.iter().flatten() {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_owned());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() { "<none>".into() } else { roles.join(",") }
}

fn node_cells(n: &Node, age: String) -> Vec<String> {
    let status = n.status.as_ref();
    let mut states: Vec<String> = Vec::new();
    if let Some(ready) = status
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
    {
        states.push(if ready.status == "True" { "Ready".into() } else { "NotReady".into() });
    }
    if states.is_empty() {
        states.push("Unknown".into());
    }
    if n.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false) {
        states.push("SchedulingDisabled".into());
    }
    let info = status.and_then(|s| s.node_info.as_ref());
    let unknown = |v: Option<&String>| {
        v.filter(|v| !v.is_empty()).cloned().unwrap_or_else(|| "<unknown>".into())
    };
    let address = |t: &str| {
        status
            .and_then(|s| s.addresses.as_ref())
            .and_then(|a| a.iter().find(|a| a.type_ == t))
            .map(|a| a.address.clone())
            .unwrap_or_else(|| "<none>".into())
    };
    vec![
        name(&n.metadata),
        states.join(","),
        node_roles(n),
        age,
        info.map(|i| i.kubelet_version.clone()).unwrap_or_default(),
        address("InternalIP"),
        address("ExternalIP"),
        unknown(info.map(|i| &i.os_image)),
        unknown(info.map(|i| &i.kernel_version)),
        unknown(info.map(|i| &i.container_runtime_version)),
    ]
}

fn hpa_cells(h: &HorizontalPodAutoscaler, age: String, env: &Env) -> Vec<String> {
    let spec = h.spec.as_ref();
    let status = h.status.as_ref();
    let reference = spec
        .map(|s| format!("{}/{}", s.scale_target_ref.kind, s.scale_target_ref.name))
        .unwrap_or_default();
    let specs = spec.and_then(|s| s.metrics.as_deref()).unwrap_or_default();
    let statuses = status.and_then(|s| s.current_metrics.as_deref()).unwrap_or_default();
    vec![
        name(&h.metadata),
        reference,
        hpa_targets(specs, statuses, env.has(Fact::HpaTargetsNameMetric)),
        spec.and_then(|s| s.min_replicas).map_or_else(|| "<unset>".into(), |m| m.to_string()),
        spec.map_or(0, |s| s.max_replicas).to_string(),
        status.and_then(|s| s.current_replicas).unwrap_or(0).to_string(),
        age,
    ]
}

/// `formatHPAMetrics` (`pkg/printers/internalversion/printers.go`): each
/// metric's `current/target`, the spec's order matched to the status by
/// index, two at most then `+ N more...`; resource metrics are named
/// (`cpu: 20%/50%`) from v1.30 ([`Fact::HpaTargetsNameMetric`]).
pub fn hpa_targets(
    specs: &[k8s_openapi::api::autoscaling::v2::MetricSpec],
    statuses: &[k8s_openapi::api::autoscaling::v2::MetricStatus],
    named: bool,
) -> String {
    if specs.is_empty() {
        return "<none>".to_owned();
    }
    let unknown = || "<unknown>".to_owned();
    let q = |v: Option<&k8s_openapi::apimachinery::pkg::api::resource::Quantity>| {
        v.map_or_else(|| "<nil>".to_owned(), |q| q.0.clone())
    };
    let mut list: Vec<String> = Vec::new();
    for (i, m) in specs.iter().enumerate() {
        let st = statuses.get(i);
        let text = match m.type_.as_str() {
            "Resource" | "ContainerResource" => {
                let (name, target, current) = match (&m.resource, &m.container_resource) {
                    (Some(r), _) => (
                        r.name.as_str(),
                        &r.target,
                        st.and_then(|s| s.resource.as_ref()).map(|r| &r.current),
                    ),
                    (None, Some(r)) => (
                        r.name.as_str(),
                        &r.target,
                        st.and_then(|s| s.container_resource.as_ref()).map(|r| &r.current),
                    ),
                    (None, None) => ("", &Default::default(), None),
                };
                let prefix = if named { format!("{name}: ") } else { String::new() };
                if let Some(value) = &target.average_value {
                    let current = current.map_or_else(unknown, |c| q(c.average_value.as_ref()));
                    format!("{prefix}{current}/{}", value.0)
                } else {
                    let current = current
                        .and_then(|c| c.average_utilization)
                        .map_or_else(unknown, |u| format!("{u}%"));
                    let target = target
                        .average_utilization
                        .map_or_else(|| "<auto>".to_owned(), |u| format!("{u}%"));
                    format!("{prefix}{current}/{target}")
                }
            }
            "Pods" => {
                let current = st
                    .and_then(|s| s.pods.as_ref())
                    .map_or_else(unknown, |p| q(p.current.average_value.as_ref()));
                let target = m.pods.as_ref().and_then(|p| p.target.average_value.as_ref());
                format!("{current}/{}", q(target))
            }
            "Object" | "External" => {
                let (target, current) = match m.type_.as_str() {
                    "Object" => (
                        m.object.as_ref().map(|o| &o.target),
                        st.and_then(|s| s.object.as_ref()).map(|o| &o.current),
                    ),
                    _ => (
                        m.external.as_ref().map(|e| &e.target),
                        st.and_then(|s| s.external.as_ref()).map(|e| &e.current),
                    ),
                };
                match target.and_then(|t| t.average_value.as_ref()) {
                    Some(avg) => {
                        let current = current.map_or_else(unknown, |c| q(c.average_value.as_ref()));
                        format!("{current}/{} (avg)", avg.0)
                    }
                    None => {
                        let current = current.map_or_else(unknown, |c| q(c.value.as_ref()));
                        format!("{current}/{}", q(target.and_then(|t| t.value.as_ref())))
                    }
                }
            }
            _ => "<unknown type>".to_owned(),
        };
        list.push(text);
    }
    let count = list.len();
    if count > 2 {
        list.truncate(2);
        return format!("{} + {} more...", list.join(", "), count - 2);
    }
    list.join(", ")
}

fn event_cells(e: &Event, env: &Env) -> Vec<String> {
    let first = match (&e.first_timestamp, &e.event_time) {
        (Some(t), _) => human_between(t.0, env.now),
        (None, Some(t)) => human_between(t.0, env.now),
        (None, None) => "<unknown>".into(),
    };
    let mut last = match &e.last_timestamp {
        Some(t) => human_between(t.0, env.now),
        None => first.clone(),
    };
    let mut count = e.count.unwrap_or(0);
    if let Some(series) = &e.series {
        if let Some(t) = &series.last_observed_time {
            last = human_between(t.0, env.now);
        }
        count = series.count.unwrap_or(0);
    } else if count == 0 {
        count = 1;
    }
    let obj = &e.involved_object;
    let kind = obj.kind.clone().unwrap_or_default().to_lowercase();
    let target = match obj.name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => format!("{kind}/{n}"),
        None => kind,
    };
    let source = e.source.as_ref();
    let component = source.and_then(|s| s.component.clone()).unwrap_or_default();
    let host = source.and_then(|s| s.host.clone()).unwrap_or_default();
    let source_text = if component.is_empty() && host.is_empty() {
        let controller = e.reporting_component.clone().unwrap_or_default();
        let instance = e.reporting_instance.clone().unwrap_or_default();
        if instance.is_empty() { controller } else { format!("{controller}, {instance}") }
    } else if host.is_empty() {
        component
    } else {
        format!("{component}, {host}")
    };
    vec![
        last,
        e.type_.clone().unwrap_or_default(),
        e.reason.clone().unwrap_or_default(),
        target,
        obj.field_path.clone().unwrap_or_default(),
        source_text,
        e.message.clone().unwrap_or_default().trim().to_owned(),
        first,
        count.to_string(),
        name(&e.metadata),
    ]
}

fn namespace_cells(ns: &Namespace, age: String) -> Vec<String> {
    let phase = ns.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default();
    vec![name(&ns.metadata), phase, age]
}

fn configmap_cells(cm: &ConfigMap, age: String) -> Vec<String> {
    let count = cm.data.as_ref().map_or(0, BTreeMap::len)
        + cm.binary_data.as_ref().map_or(0, BTreeMap::len);
    vec![name(&cm.metadata), count.to_string(), age]
}

fn secret_cells(s: &Secret, age: String) -> Vec<String> {
    let count = s.data.as_ref().map_or(0, BTreeMap::len);
    vec![name(&s.metadata), s.type_.clone().unwrap_or_default(), count.to_string(), age]
}

/// `formatEndpoints(endpoints, nil)`: up to three `ip:port`, then `+ N more...`.
fn format_endpoints(ep: &Endpoints) -> String {
    let subsets = ep.subsets.as_deref().unwrap_or_default();
    if subsets.is_empty() {
        return "<none>".into();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut count = 0;
    let mut more = false;
    for ss in subsets {
        let addresses = ss.addresses.as_deref().unwrap_or_default();
        let ports = ss.ports.as_deref().unwrap_or_default();
        if ports.is_empty() {
            for a in addresses {
                if list.len() == max {
                    more = true;
                }
                if !more {
                    list.push(a.ip.clone());
                }
                count += 1;
            }
        } else {
            for p in ports {
                for a in addresses {
                    if list.len() == max {
                        more = true;
                    }
                    if !more {
                        let host =
                            if a.ip.contains(':') { format!("[{}]", a.ip) } else { a.ip.clone() };
                        list.push(format!("{host}:{}", p.port));
                    }
                    count += 1;
                }
            }
        }
    }
    let text = list.join(",");
    if more { format!("{text} + {} more...", count - max) } else { text }
}

/// `formatDiscoveryPorts`: up to three port numbers (or names, or `*`).
fn format_discovery_ports(ports: &[k8s_openapi::api::discovery::v1::EndpointPort]) -> String {
    let list: Vec<String> = ports
        .iter()
        .take(3)
        .map(|p| match (p.port, &p.name) {
            (Some(n), _) => n.to_string(),
            (None, Some(name)) => name.clone(),
            (None, None) => "*".to_owned(),
        })
        .collect();
    list_with_more(list, ports.len())
}

/// `formatDiscoveryEndpoints`: up to three addresses over all endpoints.
fn format_discovery_endpoints(endpoints: &[k8s_openapi::api::discovery::v1::Endpoint]) -> String {
    let all: Vec<&String> = endpoints.iter().flat_map(|e| e.addresses.iter()).collect();
    list_with_more(all.iter().take(3).map(|a| (*a).clone()).collect(), all.len())
}

/// `listWithMoreString` (max 3): `a,b,c + N more...`, `<unset>` when empty.
fn list_with_more(list: Vec<String>, count: usize) -> String {
    let text = list.join(",");
    if count > 3 {
        format!("{text} + {} more...", count - 3)
    } else if text.is_empty() {
        "<unset>".to_owned()
    } else {
        text
    }
}

fn controller_revision_cells(cr: &ControllerRevision, age: String) -> Vec<String> {
    let controller = cr
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map(|o| {
            let group = o.api_version.split_once('/').map(|(g, _)| g).unwrap_or_default();
            let kind = o.kind.to_lowercase();
            if group.is_empty() {
                format!("{kind}/{}", o.name)
            } else {
                format!("{kind}.{group}/{}", o.name)
            }
        })
        .unwrap_or_else(|| "<none>".into());
    vec![name(&cr.metadata), controller, cr.revision.to_string(), age]
}

/// How `kubectl get` decorates and filters a table
/// (`cli-runtime/pkg/printers/tableprinter.go` `decorateTable`/`printTable`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintOptions {
    /// `-o wide`: show priority-1 columns.
    pub wide: bool,
    /// `-A`: a leading NAMESPACE column.
    pub with_namespace: bool,
    /// Prefix NAME cells with `<kind>[.<group>]/` (several kinds printed).
    pub with_kind: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// `--show-labels`: a trailing LABELS column.
    pub show_labels: bool,
    /// `-L key`: one column per key.
    pub label_columns: Vec<String>,
}

/// The tab-separated text `printTable` writes for `table` (before layout);
/// empty when the table has no rows.
pub fn render_text(table: &Table, opts: &PrintOptions) -> String {
    if table.rows.is_empty() {
        return String::new();
    }
    let shown: Vec<usize> =
        (0..table.columns.len()).filter(|&i| opts.wide || table.columns[i].priority == 0).collect();
    let name_column = table.columns.iter().position(|c| c.name == "Name");
    let mut lines: Vec<Vec<String>> = Vec::new();
    if !opts.no_headers {
        let mut header = Vec::new();
        if opts.with_namespace {
            header.push("NAMESPACE".to_owned());
        }
        header.extend(shown.iter().map(|&i| table.columns[i].name.to_uppercase()));
        header.extend(opts.label_columns.iter().map(|k| label_header(k)));
        if opts.show_labels {
            header.push("LABELS".to_owned());
        }
        lines.push(header);
    }
    let info = table.kind.info();
    let kind_prefix = if info.group.is_empty() {
        info.kind_name.to_lowercase()
    } else {
        format!("{}.{}", info.kind_name.to_lowercase(), info.group)
    };
    for row in &table.rows {
        let mut cells = Vec::new();
        if opts.with_namespace {
            cells.push(row.namespace.clone());
        }
        for &i in &shown {
            let mut cell = clean_cell(&row.cells[i]);
            if opts.with_kind && Some(i) == name_column {
                cell = format!("{kind_prefix}/{cell}");
            }
            cells.push(cell);
        }
        for key in &opts.label_columns {
            cells.push(row.labels.get(key).cloned().unwrap_or_default());
        }
        if opts.show_labels {
            cells.push(format_labels(Some(&row.labels)));
        }
        lines.push(cells);
    }
    lines.iter().map(|l| format!("{}\n", l.join("\t"))).collect()
}

/// `formatLabelHeaders`: the upper-cased last path segment of the key.
fn label_header(key: &str) -> String {
    key.rsplit('/').next().unwrap_or(key).to_uppercase()
}

/// `printTable`: string cells are cut at the first newline, marked `...`.
fn clean_cell(cell: &str) -> String {
    match cell.find(['\n', '\r', '\u{c}']) {
        Some(i) => format!("{}...", &cell[..i]),
        None => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::layout::{GET, layout};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn obj(v: serde_json::Value) -> Object {
        Object::from_value(v).unwrap()
    }

    fn print(kind: Kind, objects: &[Object], now: &str, wide: bool) -> String {
        let env = Env { now: ts(now), minor: 22 };
        let refs: Vec<&Object> = objects.iter().collect();
        let opts = PrintOptions { wide, ..Default::default() };
        layout(&render_text(&table(kind, &refs, &env), &opts), GET)
    }

    /// [`Fact::PodNominatedNodeColumn`] (v1.12) and
    /// [`Fact::PodReadinessGatesColumn`] (v1.13), on both sides of each.
    #[test]
    fn pod_wide_columns_by_version() {
        let p = obj(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "creationTimestamp": "2018-05-23T16:19:58Z"},
            "spec": {"nodeName": "node1", "containers": [{"name": "web", "image": "nginx"}]}}));
        let header = |minor: u32| {
            let env = Env { now: ts("2018-05-23T16:20:58Z"), minor };
            let names: Vec<&str> = columns(Kind::Pod, &env).iter().map(|c| c.name).collect();
            assert_eq!(cells(&p, &env).len(), names.len(), "v1.{minor}");
            names.join(",")
        };
        let base = "Name,Ready,Status,Restarts,Age,IP,Node";
        assert_eq!(header(11), base);
        assert_eq!(header(12), format!("{base},Nominated Node"));
        assert_eq!(header(13), format!("{base},Nominated Node,Readiness Gates"));
    }

    /// [`Fact::DeploymentReadyColumn`]: `DESIRED CURRENT` until v1.12.
    #[test]
    fn deployment_columns_by_version() {
        let d = obj(json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "nginx", "creationTimestamp": "2018-05-23T16:19:58Z"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"run": "nginx"}},
                "template": {"metadata": {"labels": {"run": "nginx"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}},
            "status": {"replicas": 2, "readyReplicas": 1, "updatedReplicas": 2, "availableReplicas": 1}}));
        let row = |minor: u32| {
            let env = Env { now: ts("2018-05-23T16:20:13Z"), minor };
            let refs = [&d];
            let t = table(Kind::Deployment, &refs, &env);
            layout(&render_text(&t, &PrintOptions::default()), GET)
        };
        assert_eq!(
            row(12),
            "NAME    DESIRED   CURRENT   UP-TO-DATE   AVAILABLE   AGE\nnginx   2         2         2            1           15s\n"
        );
        assert_eq!(
            row(13),
            "NAME    READY   UP-TO-DATE   AVAILABLE   AGE\nnginx   1/2     2            1           15s\n"
        );
    }

    fn pod(
        name: &str,
        created: &str,
        restarts: i32,
        last_finished: Option<&str>,
        extra: serde_json::Value,
    ) -> Object {
        let mut status = json!({
            "phase": "Running", "podIPs": [{"ip": "10.244.1.7"}],
            "conditions": [{"type": "Ready", "status": "True"}],
            "containerStatuses": [{"name": "c", "image": "nginx", "imageID": "", "ready": true,
                "restartCount": restarts, "state": {"running": {"startedAt": created}}}]
        });
        if let Some(f) = last_finished {
            status["containerStatuses"][0]["lastState"] =
                json!({"terminated": {"exitCode": 137, "finishedAt": f}});
        }
        let mut v = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": created},
            "spec": {"nodeName": "worker1", "containers": [{"name": "c", "image": "nginx"}]},
            "status": status
        });
        if let serde_json::Value::Object(extra) = extra {
            for (k, val) in extra {
                v["metadata"][k] = val;
            }
        }
        obj(v)
    }

    #[test]
    fn seed_pods_with_restarts() {
        let now = "2022-11-16T03:09:27Z";
        let pods = [
            pod("test-nginx-59ffd87f5-mqvjq", "2022-11-16T03:08:29Z", 0, None, json!({})),
            pod("testpod", "2022-11-15T03:09:27Z", 12, Some("2022-11-16T02:45:27Z"), json!({})),
        ];
        assert_eq!(
            print(Kind::Pod, &pods, now, false),
            "NAME                         READY   STATUS    RESTARTS       AGE\n\
             test-nginx-59ffd87f5-mqvjq   1/1     Running   0              58s\n\
             testpod                      1/1     Running   12 (24m ago)   24h\n"
        );
    }

    /// [`Fact::PodRestartsAgo`]: `12` at v1.21, `12 (24m ago)` at v1.22.
    #[test]
    fn pod_restarts_ago_from_v1_22() {
        let p =
            [pod("testpod", "2022-11-15T03:09:27Z", 12, Some("2022-11-16T02:45:27Z"), json!({}))];
        let refs: Vec<&Object> = p.iter().collect();
        let page = |minor| {
            let env = Env { now: ts("2022-11-16T03:09:27Z"), minor };
            layout(&render_text(&table(Kind::Pod, &refs, &env), &Default::default()), GET)
        };
        assert!(page(21).contains("Running   12         24h"), "{}", page(21));
        assert!(!page(21).contains("ago"), "{}", page(21));
        assert!(page(22).contains("Running   12 (24m ago)   24h"), "{}", page(22));
    }

    #[test]
    fn seed_pod_wide_and_terminating() {
        let pods = [pod("test-nginx-59ffd87f5-mqvjq", "2022-11-16T03:08:29Z", 0, None, json!({}))];
        assert_eq!(
            print(Kind::Pod, &pods, "2022-11-16T03:11:47Z", true),
            "NAME                         READY   STATUS    RESTARTS   AGE     IP           NODE      NOMINATED NODE   READINESS GATES\n\
             test-nginx-59ffd87f5-mqvjq   1/1     Running   0          3m18s   10.244.1.7   worker1   <none>           <none>\n"
        );
        let deleting = [pod(
            "testpod",
            "2022-11-15T03:09:27Z",
            52,
            Some("2022-11-14T03:09:27Z"),
            json!({"deletionTimestamp": "2022-11-16T03:00:00Z"}),
        )];
        let text = print(Kind::Pod, &deleting, "2022-11-16T03:09:27Z", false);
        assert!(text.contains("testpod   1/1     Terminating   52 (2d ago)   24h"), "{text}");
    }

    #[test]
    fn waiting_and_completed_statuses() {
        let creating = obj(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "default", "creationTimestamp": "2022-11-16T03:09:23Z"},
            "spec": {"containers": [{"name": "c"}]},
            "status": {"phase": "Pending", "containerStatuses": [{"name": "c", "image": "x", "imageID": "",
                "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]}
        }));
        let text = print(Kind::Pod, &[creating], "2022-11-16T03:09:27Z", false);
        assert!(text.contains("p      0/1     ContainerCreating   0          4s"), "{text}");
        let done = obj(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "j", "namespace": "default", "creationTimestamp": "2022-11-16T03:08:16Z"},
            "spec": {"containers": [{"name": "c"}]},
            "status": {"phase": "Succeeded", "containerStatuses": [{"name": "c", "image": "x", "imageID": "",
                "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}
        }));
        let text = print(Kind::Pod, &[done], "2022-11-16T03:09:27Z", false);
        assert!(text.contains("j      0/1     Completed   0          71s"), "{text}");
    }

    #[test]
    fn seed_services() {
        let svcs = [
            obj(json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "kubernetes", "namespace": "default", "creationTimestamp": "2022-11-10T03:00:00Z"},
                "spec": {"type": "ClusterIP", "clusterIP": "10.1.0.1", "clusterIPs": ["10.1.0.1"],
                    "ports": [{"port": 443, "protocol": "TCP", "targetPort": 6443}]}})),
            obj(json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "test-nginx", "namespace": "default", "creationTimestamp": "2022-11-16T03:00:00Z"},
                "spec": {"type": "NodePort", "clusterIP": "10.1.31.72", "clusterIPs": ["10.1.31.72"],
                    "selector": {"app": "test-nginx"},
                    "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80, "nodePort": 32465}]}})),
        ];
        assert_eq!(
            print(Kind::Service, &svcs, "2022-11-16T03:00:14Z", false),
            "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE\n\
             kubernetes   ClusterIP   10.1.0.1     <none>        443/TCP        6d\n\
             test-nginx   NodePort    10.1.31.72   <none>        80:32465/TCP   14s\n"
        );
    }

    #[test]
    fn seed_replicasets_wide() {
        let rs = |name: &str, hash: &str, replicas: i32, image: &str, created: &str| {
            obj(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": name, "namespace": "default", "creationTimestamp": created},
                "spec": {"replicas": replicas,
                    "selector": {"matchLabels": {"example": "deploymentnginx", "pod-template-hash": hash}},
                    "template": {"spec": {"containers": [{"name": "nginx", "image": image}]}}},
                "status": {"replicas": replicas, "readyReplicas": replicas}}))
        };
        let list = [
            rs("testdeployment-58779f7cd8", "58779f7cd8", 0, "nginx:1.7.9", "2022-11-21T01:10:19Z"),
            rs("testdeployment-5c4b8d64df", "5c4b8d64df", 5, "nginx:1.8.1", "2022-11-23T01:10:00Z"),
        ];
        assert_eq!(
            print(Kind::ReplicaSet, &list, "2022-11-23T01:19:48Z", true),
            "NAME                        DESIRED   CURRENT   READY   AGE     CONTAINERS   IMAGES        SELECTOR\n\
             testdeployment-58779f7cd8   0         0         0       2d      nginx        nginx:1.7.9   example=deploymentnginx,pod-template-hash=58779f7cd8\n\
             testdeployment-5c4b8d64df   5         5         5       9m48s   nginx        nginx:1.8.1   example=deploymentnginx,pod-template-hash=5c4b8d64df\n"
        );
    }

    #[test]
    fn hpa_v122_targets() {
        let hpa = obj(json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "test-nginx", "namespace": "default", "creationTimestamp": "2022-11-16T03:00:00Z"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "test-nginx"},
                "minReplicas": 1, "maxReplicas": 10},
            "status": {"currentReplicas": 2, "desiredReplicas": 2}}));
        assert_eq!(
            print(Kind::HorizontalPodAutoscaler, &[hpa], "2022-11-16T03:00:30Z", false),
            "NAME         REFERENCE               TARGETS         MINPODS   MAXPODS   REPLICAS   AGE\n\
             test-nginx   Deployment/test-nginx   <unknown>/80%   1         10        2          30s\n"
        );
    }

    #[test]
    fn endpoint_slices_list_three_then_count() {
        let slice = |ports: serde_json::Value, endpoints: serde_json::Value| {
            obj(json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": "web-x7k2p", "namespace": "default",
                    "creationTimestamp": "2022-11-16T03:00:00Z"},
                "addressType": "IPv4", "ports": ports, "endpoints": endpoints}))
        };
        let four = json!([{"addresses": ["10.244.1.3"]}, {"addresses": ["10.244.1.4"]},
            {"addresses": ["10.244.2.3"]}, {"addresses": ["10.244.2.4"]}]);
        let list = [
            slice(json!([{"name": "http", "port": 80, "protocol": "TCP"}]), four),
            slice(json!([]), json!([])),
        ];
        assert_eq!(
            print(Kind::EndpointSlice, &list, "2022-11-16T03:00:30Z", false),
            "NAME        ADDRESSTYPE   PORTS     ENDPOINTS                                      AGE\n\
             web-x7k2p   IPv4          80        10.244.1.3,10.244.1.4,10.244.2.3 + 1 more...   30s\n\
             web-x7k2p   IPv4          <unset>   <unset>                                        30s\n"
        );
    }

    #[test]
    fn nodes_scheduling_disabled() {
        let node = obj(json!({"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": "worker1", "creationTimestamp": "2022-11-09T06:00:00Z"},
            "spec": {"unschedulable": true},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                "nodeInfo": {"kubeletVersion": "v1.22.2", "architecture": "", "bootID": "", "containerRuntimeVersion": "",
                    "kernelVersion": "", "kubeProxyVersion": "", "machineID": "", "operatingSystem": "", "osImage": "", "systemUUID": ""}}}));
        assert_eq!(
            print(Kind::Node, &[node], "2022-11-16T02:00:00Z", false),
            "NAME      STATUS                     ROLES    AGE     VERSION\n\
             worker1   Ready,SchedulingDisabled   <none>   6d20h   v1.22.2\n"
        );
    }
}

#[cfg(test)]
mod version_tests {
    use super::*;
    use crate::version::facts::Fact;

    /// [`Fact::TerminatingKeepsTerminalPhase`] on both sides of v1.31.
    #[test]
    fn terminal_pods_keep_their_phase_while_deleted() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "done", "deletionTimestamp": "2021-10-01T10:00:00Z"},
            "spec": {"containers": [{"name": "c", "image": "busybox"}]},
            "status": {"phase": "Succeeded", "containerStatuses": [{"name": "c", "image": "busybox",
                "imageID": "", "ready": false, "restartCount": 0,
                "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}
        }))
        .unwrap();
        let at = |minor| Env { now: "2021-10-01T10:00:05Z".parse().unwrap(), minor };
        let boundary = Fact::TerminatingKeepsTerminalPhase.change().since;
        assert_eq!(pod_summary(&pod, &at(boundary - 1)).status, "Terminating");
        assert_eq!(pod_summary(&pod, &at(boundary)).status, "Completed");
    }
}
