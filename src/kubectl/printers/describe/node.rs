//! `kubectl describe node` (`describeNode`, `describeNodeLease`,
//! `describeNodeResource` and `printNodeTaintsMultiline` in
//! `kubectl/pkg/describe/describe.go`, v1.22).

use k8s_openapi::{
    api::core::v1::{Event, Node, Pod, Taint},
    jiff::Timestamp,
};

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, Writer, annotations_multiline, events, labels_multiline,
};
use crate::{
    kubectl::printers::{duration::human_between, table::node_roles},
    sim::controllers::scheduler::{parse_bytes, parse_cpu},
};

/// What the page shows besides the Node: its lease's renew time and the
/// non-terminated pods bound to it.
pub struct NodeContext<'a> {
    /// The kubelet's last lease renewal (`None`: no lease).
    pub lease_renew: Option<Timestamp>,
    /// Pods on the node whose phase is neither Succeeded nor Failed, in the
    /// API's order (namespace, name).
    pub pods: Vec<&'a Pod>,
}

/// `Taint.ToString`.
pub fn taint_string(t: &Taint) -> String {
    let value = t.value.as_deref().unwrap_or_default();
    match (value.is_empty(), t.effect.is_empty()) {
        (true, true) => t.key.clone(),
        (false, true) => format!("{}={value}:", t.key),
        (true, false) => format!("{}:{}", t.key, t.effect),
        (false, false) => format!("{}={value}:{}", t.key, t.effect),
    }
}

/// `printNodeTaintsMultiline`: one taint per line, sorted by `effect,key`.
fn taints_multiline(w: &mut Writer, taints: &[Taint]) {
    w.write(LEVEL_0, "Taints:\t");
    if taints.is_empty() {
        w.line("<none>");
        return;
    }
    let mut sorted: Vec<&Taint> = taints.iter().collect();
    sorted.sort_by_key(|t| format!("{},{}", t.effect, t.key));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        w.write(LEVEL_0, &format!("{}\n", taint_string(t)));
    }
}

/// The page of one node.
pub fn describe_node(
    node: &Node,
    ctx: &NodeContext<'_>,
    evs: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let name = node.metadata.name.as_deref().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{name}\n"));
    w.write(LEVEL_0, &format!("Roles:\t{}\n", node_roles(node)));
    labels_multiline(&mut w, "", "Labels", node.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", node.metadata.annotations.as_ref());
    w.write(
        LEVEL_0,
        &format!(
            "CreationTimestamp:\t{}\n",
            env.time_opt(node.metadata.creation_timestamp.as_ref())
        ),
    );
    let spec = node.spec.clone().unwrap_or_default();
    taints_multiline(&mut w, spec.taints.as_deref().unwrap_or_default());
    w.write(LEVEL_0, &format!("Unschedulable:\t{}\n", spec.unschedulable.unwrap_or(false)));
    w.write(LEVEL_0, "Lease:\n");
    let holder = if ctx.lease_renew.is_some() { name } else { "<unset>" };
    w.write(LEVEL_1, &format!("HolderIdentity:\t{holder}\n"));
    w.write(LEVEL_1, "AcquireTime:\t<unset>\n");
    let renew = ctx.lease_renew.map_or_else(
        || "<unset>".to_owned(),
        |t| env.time(&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(t)),
    );
    w.write(LEVEL_1, &format!("RenewTime:\t{renew}\n"));
    let status = node.status.clone().unwrap_or_default();
    let conditions = status.conditions.clone().unwrap_or_default();
    if !conditions.is_empty() {
        w.write(
            LEVEL_0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in &conditions {
            w.write(
                LEVEL_1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.type_,
                    c.status,
                    env.time_opt(c.last_heartbeat_time.as_ref()),
                    env.time_opt(c.last_transition_time.as_ref()),
                    c.reason.as_deref().unwrap_or_default(),
                    c.message.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    w.write(LEVEL_0, "Addresses:\n");
    for a in status.addresses.iter().flatten() {
        w.write(LEVEL_1, &format!("{}:\t{}\n", a.type_, a.address));
    }
    // `SortableResourceNames`: resource names sorted as strings.
    let resource_list = |w: &mut Writer,
                         title: &str,
                         list: Option<
        &std::collections::BTreeMap<
            String,
            k8s_openapi::apimachinery::pkg::api::resource::Quantity,
        >,
    >| {
        if let Some(list) = list.filter(|l| !l.is_empty()) {
            w.write(LEVEL_0, &format!("{title}:\n"));
            for (k, v) in list {
                w.write(LEVEL_0, &format!("  {k}:\t{}\n", v.0));
            }
        }
    };
    resource_list(&mut w, "Capacity", status.capacity.as_ref());
    resource_list(&mut w, "Allocatable", status.allocatable.as_ref());
    let info = status.node_info.clone().unwrap_or_default();
    w.write(LEVEL_0, "System Info:\n");
    for (label, value) in [
        ("Machine ID", &info.machine_id),
        ("System UUID", &info.system_uuid),
        ("Boot ID", &info.boot_id),
        ("Kernel Version", &info.kernel_version),
        ("OS Image", &info.os_image),
        ("Operating System", &info.operating_system),
        ("Architecture", &info.architecture),
        ("Container Runtime Version", &info.container_runtime_version),
        ("Kubelet Version", &info.kubelet_version),
        ("Kube-Proxy Version", &info.kube_proxy_version),
    ] {
        w.write(LEVEL_0, &format!("  {label}:\t{value}\n"));
    }
    if let Some(cidr) = spec.pod_cidr.as_deref().filter(|c| !c.is_empty()) {
        w.write(LEVEL_0, &format!("PodCIDR:\t{cidr}\n"));
    }
    if let Some(cidrs) = spec.pod_cidrs.as_ref().filter(|c| !c.is_empty()) {
        w.write(LEVEL_0, &format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    if let Some(id) = spec.provider_id.as_deref().filter(|c| !c.is_empty()) {
        w.write(LEVEL_0, &format!("ProviderID:\t{id}\n"));
    }
    node_resources(&mut w, node, &ctx.pods, env);
    if let Some(evs) = evs {
        events(&mut w, evs, env);
    }
    w.finish()
}

/// A pod's (requests, limits) for cpu (millicores) and memory (bytes): the
/// sum over containers (`resourcehelper.PodRequestsAndLimits`; init
/// containers ignored here).
fn pod_resources(pod: &Pod) -> [i64; 4] {
    let mut out = [0i64; 4];
    for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
        let Some(r) = c.resources.as_ref() else { continue };
        let get =
            |m: &Option<
                std::collections::BTreeMap<
                    String,
                    k8s_openapi::apimachinery::pkg::api::resource::Quantity,
                >,
            >,
             k: &str| { m.as_ref().and_then(|m| m.get(k)).map(|q| q.0.clone()) };
        let limits_cpu = get(&r.limits, "cpu");
        let limits_mem = get(&r.limits, "memory");
        // Requests default to limits when only limits are set.
        let req_cpu = get(&r.requests, "cpu").or_else(|| limits_cpu.clone());
        let req_mem = get(&r.requests, "memory").or_else(|| limits_mem.clone());
        out[0] += req_cpu.map_or(0, |q| parse_cpu(&q));
        out[1] += limits_cpu.map_or(0, |q| parse_cpu(&q));
        out[2] += req_mem.map_or(0, |q| parse_bytes(&q));
        out[3] += limits_mem.map_or(0, |q| parse_bytes(&q));
    }
    out
}

/// `Quantity.String()` of millicores: `100m`, `1`, `0`.
fn cpu_string(milli: i64) -> String {
    if milli % 1000 == 0 { (milli / 1000).to_string() } else { format!("{milli}m") }
}

/// `Quantity.String()` of a binary-SI byte count: the largest suffix that
/// keeps it whole (`70Mi`, `1Gi`, `0`).
fn bytes_string(bytes: i64) -> String {
    if bytes == 0 {
        return "0".to_owned();
    }
    for (suffix, unit) in [
        ("Ei", 1i64 << 60),
        ("Pi", 1 << 50),
        ("Ti", 1 << 40),
        ("Gi", 1 << 30),
        ("Mi", 1 << 20),
        ("Ki", 1 << 10),
    ] {
        if bytes % unit == 0 {
            return format!("{}{suffix}", bytes / unit);
        }
    }
    bytes.to_string()
}

fn percent(part: i64, whole: i64) -> i64 {
    if whole == 0 { 0 } else { (part as f64 / whole as f64 * 100.0) as i64 }
}

/// `describeNodeResource`: the pods table and the allocated totals.
fn node_resources(w: &mut Writer, node: &Node, pods: &[&Pod], env: &DescribeEnv) {
    let status = node.status.clone().unwrap_or_default();
    let alloc = status
        .allocatable
        .clone()
        .filter(|a| !a.is_empty())
        .or(status.capacity.clone())
        .unwrap_or_default();
    let alloc_cpu = alloc.get("cpu").map_or(0, |q| parse_cpu(&q.0));
    let alloc_mem = alloc.get("memory").map_or(0, |q| parse_bytes(&q.0));
    w.write(LEVEL_0, &format!("Non-terminated Pods:\t({} in total)\n", pods.len()));
    w.write(
        LEVEL_1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        LEVEL_1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut total = [0i64; 4];
    for p in pods {
        let r = pod_resources(p);
        for (t, v) in total.iter_mut().zip(r) {
            *t += v;
        }
        let age = p
            .metadata
            .creation_timestamp
            .as_ref()
            .map_or_else(|| "<unknown>".to_owned(), |t| human_between(t.0, env.now));
        w.write(
            LEVEL_1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{age}\n",
                p.metadata.namespace.as_deref().unwrap_or_default(),
                p.metadata.name.as_deref().unwrap_or_default(),
                cpu_string(r[0]),
                percent(r[0], alloc_cpu),
                cpu_string(r[1]),
                percent(r[1], alloc_cpu),
                bytes_string(r[2]),
                percent(r[2], alloc_mem),
                bytes_string(r[3]),
                percent(r[3], alloc_mem),
            ),
        );
    }
    w.write(
        LEVEL_0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n");
    w.write(LEVEL_1, "--------\t--------\t------\n");
    w.write(
        LEVEL_1,
        &format!(
            "cpu\t{} ({}%)\t{} ({}%)\n",
            cpu_string(total[0]),
            percent(total[0], alloc_cpu),
            cpu_string(total[1]),
            percent(total[1], alloc_cpu)
        ),
    );
    w.write(
        LEVEL_1,
        &format!(
            "memory\t{} ({}%)\t{} ({}%)\n",
            bytes_string(total[2]),
            percent(total[2], alloc_mem),
            bytes_string(total[3]),
            percent(total[3], alloc_mem)
        ),
    );
    w.write(LEVEL_1, "ephemeral-storage\t0 (0%)\t0 (0%)\n");
    for (k, _) in alloc.iter().filter(|(k, _)| k.starts_with("hugepages-")) {
        w.write(LEVEL_1, &format!("{k}\t0 (0%)\t0 (0%)\n"));
    }
}
