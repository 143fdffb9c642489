//! `kubectl top pod|node` (v1.22 `pkg/cmd/top/top_pod.go`, `top_node.go`,
//! `pkg/metricsutil/metrics_printer.go`): usage from the Metrics API,
//! which the simulator serves when the cluster has a metrics server
//! (`cluster.metricsServer: true`); see [`crate::sim::metrics`].

use k8s_openapi::api::core::v1::{Node, Pod};

use super::Ctx;
use crate::{
    kubectl::{
        error::KubectlError,
        labels::Selector,
        messages,
        printers::layout::{self, GET},
    },
    sim::{
        controllers::scheduler::{parse_bytes, parse_cpu},
        metrics::{NodeMetrics, PodMetrics},
    },
};

/// `top_pod.go` / `top_node.go`: discovery finds no `metrics.k8s.io`.
const NO_METRICS_API: &str = "Metrics API not available";

/// `printValue`: CPU in millicores, memory in whole MiB.
fn cpu(milli: i64) -> String {
    format!("{milli}m")
}
fn memory(bytes: i64) -> String {
    format!("{}Mi", bytes / (1024 * 1024))
}

/// The checks `top pod` and `top node` share (`Validate` in
/// `pkg/cmd/top/top_pod.go` / `top_node.go`): a metrics server, a valid
/// selector and `--sort-by`, and not both a NAME and a selector.
fn common_options(ctx: &Ctx<'_>) -> Result<(Selector, String, Option<String>), KubectlError> {
    if !ctx.cluster.config().metrics_server {
        return Err(KubectlError::msg(NO_METRICS_API));
    }
    let selector = selector(ctx)?;
    let sort_by = ctx.inv.value("sort-by").unwrap_or_default().to_owned();
    if !matches!(sort_by.as_str(), "" | "cpu" | "memory") {
        return Err(KubectlError::msg("--sort-by accepts only cpu or memory"));
    }
    let name = ctx.inv.args.first().cloned();
    if name.is_some() && !selector.text().is_empty() {
        return Err(KubectlError::msg("only one of NAME or --selector can be provided"));
    }
    Ok((selector, sort_by, name))
}

fn selector(ctx: &Ctx<'_>) -> Result<Selector, KubectlError> {
    Selector::parse(ctx.inv.value("selector").unwrap_or_default()).map_err(KubectlError::msg)
}

fn not_found(ctx: &mut Ctx<'_>, resource: &str, name: &str) -> Result<(), KubectlError> {
    ctx.stderr(format!("Error from server (NotFound): {resource} \"{name}\" not found\n"));
    Err(KubectlError::Exit(1))
}

/// `kubectl top pod [NAME] [-n NS | -A] [-l SEL] [--containers] [--sort-by cpu|memory] [--no-headers]`.
pub fn pod(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let all_namespaces = ctx.inv.bool("all-namespaces");
    let namespace = ctx.namespace();
    let (selector, sort_by, name) = common_options(ctx)?;
    let ns_filter = (!all_namespaces).then_some(namespace.as_str());
    let mut metrics: Vec<PodMetrics> = ctx.cluster.pod_metrics(ns_filter);
    let labels_of = |m: &PodMetrics| {
        ctx.cluster
            .store()
            .get_typed::<Pod>(Some(&m.namespace), &m.name)
            .and_then(|p| p.metadata.labels.clone())
    };
    metrics.retain(|m| selector.matches(labels_of(m).as_ref()));
    if let Some(name) = &name {
        metrics.retain(|m| &m.name == name);
        if metrics.is_empty() {
            return not_found(ctx, "podmetrics.metrics.k8s.io", &format!("{namespace}/{name}"));
        }
    }
    if metrics.is_empty() {
        // `verifyEmptyMetrics`: pods without metrics yet are an error.
        let pods = ctx
            .cluster
            .store()
            .all::<Pod>(ns_filter)
            .any(|p| selector.matches(p.metadata.labels.as_ref()));
        if pods {
            return Err(KubectlError::msg("metrics not available yet"));
        }
        ctx.stderr(if all_namespaces {
            messages::NO_RESOURCES.to_owned()
        } else {
            messages::no_resources_in_namespace(&namespace)
        });
        return Ok(());
    }
    // `PodMetricsSorter`: by namespace and name, or by usage, highest first.
    metrics.sort_by(|a, b| match sort_by.as_str() {
        "cpu" => b.cpu_milli().cmp(&a.cpu_milli()),
        "memory" => b.memory_bytes().cmp(&a.memory_bytes()),
        _ => (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)),
    });
    let containers = ctx.inv.bool("containers");
    let mut lines: Vec<Vec<String>> = Vec::new();
    if !ctx.inv.bool("no-headers") {
        let mut header = Vec::new();
        if all_namespaces {
            header.push("NAMESPACE");
        }
        if containers {
            header.push("POD");
        }
        header.extend(["NAME", "CPU(cores)", "MEMORY(bytes)"]);
        lines.push(header.into_iter().map(str::to_owned).collect());
    }
    for m in &metrics {
        let lead = |line: &mut Vec<String>| {
            if all_namespaces {
                line.push(m.namespace.clone());
            }
        };
        if containers {
            for c in &m.containers {
                let mut line = Vec::new();
                lead(&mut line);
                line.extend([
                    m.name.clone(),
                    c.name.clone(),
                    cpu(c.cpu_milli),
                    memory(c.memory_bytes),
                ]);
                lines.push(line);
            }
        } else {
            let mut line = Vec::new();
            lead(&mut line);
            line.extend([m.name.clone(), cpu(m.cpu_milli()), memory(m.memory_bytes())]);
            lines.push(line);
        }
    }
    print(ctx, &lines);
    Ok(())
}

/// `kubectl top node [NAME] [-l SEL] [--sort-by cpu|memory] [--show-capacity] [--no-headers]`.
pub fn node(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let (selector, sort_by, name) = common_options(ctx)?;
    let metrics: Vec<NodeMetrics> = ctx.cluster.node_metrics();
    let nodes: Vec<Node> = ctx
        .cluster
        .store()
        .all::<Node>(None)
        .filter(|n| selector.matches(n.metadata.labels.as_ref()))
        .filter(|n| name.as_ref().is_none_or(|x| n.metadata.name.as_ref() == Some(x)))
        .cloned()
        .collect();
    if let Some(name) = &name
        && !metrics.iter().any(|m| &m.name == name)
    {
        return not_found(ctx, "nodemetrics.metrics.k8s.io", name);
    }
    let capacity = ctx.inv.bool("show-capacity");
    let available = |n: &Node, key: &str| -> Option<String> {
        let s = n.status.as_ref()?;
        let list = if capacity { s.capacity.as_ref() } else { s.allocatable.as_ref() };
        list?.get(key).map(|q| q.0.clone())
    };
    let mut rows: Vec<(&NodeMetrics, &Node)> = metrics
        .iter()
        .filter_map(|m| {
            nodes.iter().find(|n| n.metadata.name.as_ref() == Some(&m.name)).map(|n| (m, n))
        })
        .collect();
    rows.sort_by(|(a, _), (b, _)| match sort_by.as_str() {
        "cpu" => b.cpu_milli.cmp(&a.cpu_milli),
        "memory" => b.memory_bytes.cmp(&a.memory_bytes),
        _ => a.name.cmp(&b.name),
    });
    let mut lines: Vec<Vec<String>> = Vec::new();
    if !ctx.inv.bool("no-headers") {
        lines.push(
            ["NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%"].map(str::to_owned).to_vec(),
        );
    }
    for (m, n) in &rows {
        // `PrintNodeMetrics`: percent of allocatable (or capacity), truncated.
        let cpu_avail = available(n, "cpu").map_or(0, |q| parse_cpu(&q));
        let mem_avail = available(n, "memory").map_or(0, |q| parse_bytes(&q));
        let pct = |used: i64, avail: i64| {
            if avail == 0 { "0%".to_owned() } else { format!("{}%", used * 100 / avail) }
        };
        lines.push(vec![
            m.name.clone(),
            cpu(m.cpu_milli),
            pct(m.cpu_milli, cpu_avail),
            memory(m.memory_bytes),
            pct(m.memory_bytes, mem_avail),
        ]);
    }
    // `printMissingMetricsNodeLine`: nodes the Metrics API does not report.
    for n in &nodes {
        let node_name = n.metadata.name.clone().unwrap_or_default();
        if !metrics.iter().any(|m| m.name == node_name) {
            let unknown = "<unknown>".to_owned();
            lines.push(vec![node_name, unknown.clone(), unknown.clone(), unknown.clone(), unknown]);
        }
    }
    print(ctx, &lines);
    Ok(())
}

/// `metrics_printer.go` writes every cell followed by a tab through
/// `printers.GetNewTabWriter`, so the last column is padded too.
fn print(ctx: &mut Ctx<'_>, lines: &[Vec<String>]) {
    let text: String = lines.iter().map(|l| format!("{}\t\n", l.join("\t"))).collect();
    let laid = layout::layout(&text, GET);
    ctx.stdout(laid);
}
