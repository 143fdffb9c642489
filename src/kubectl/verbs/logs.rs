//! `kubectl logs` (`kubectl/pkg/cmd/logs/logs.go`): a container's output,
//! as the simulator's process interpreter produced it. `TYPE/NAME` (job,
//! deployment, ...) picks one of the object's pods the way
//! `polymorphichelpers.AttachablePodForObject` does; `--previous` shows the
//! last terminated run; `-f` follows the clock until the container exits.

use k8s_openapi::{
    api::{
        apps::v1::{DaemonSet, Deployment, ReplicaSet},
        batch::v1::Job,
        core::v1::{ContainerStatus, Pod},
    },
    apimachinery::pkg::apis::meta::v1::LabelSelector,
    jiff::{SignedDuration, Timestamp},
};

use super::Ctx;
use crate::{
    kubectl::{args::parse_duration, error::KubectlError, labels::Selector, messages, resource},
    sim::{
        ApiError, Kind, Object, ObjectRef, Resource, controllers::kubelet_process,
        labels::selector_matches, time,
    },
};

/// Virtual time `logs -f` follows a container before giving up (Ctrl-C).
const FOLLOW_LIMIT: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// `logs.go`: with `-l` and no `--tail`, each container's last 10 lines.
const SELECTOR_TAIL: i64 = 10;

/// `--max-log-requests`' default: concurrent streams `-f` may follow.
const MAX_FOLLOW_CONCURRENCY: i64 = 5;

/// `logs.go`'s `logsUsageErrStr`.
const USAGE: &str = "expected POD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";

/// Runs `kubectl logs`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let ns = ctx.namespace();
    let selector = inv.value("selector").filter(|s| !s.is_empty()).map(str::to_owned);
    // `Complete`: a POD (or TYPE/NAME) and a container, or a selector.
    let (target, container_arg) = match (inv.args.as_slice(), &selector) {
        ([], None) => return Err(KubectlError::msg(USAGE)),
        ([], Some(_)) => (None, None),
        ([_], Some(_)) => {
            return Err(KubectlError::msg(messages::usage_error(
                "only a selector (-l) or a POD name is allowed",
                "kubectl logs",
            )));
        }
        ([one], None) => (Some(one.clone()), None),
        ([one, two], _) => (Some(one.clone()), Some(two.clone())),
        _ => return Err(KubectlError::msg(USAGE)),
    };
    let container_flag = inv.value("container").map(str::to_owned).filter(|c| !c.is_empty());
    let container = container_flag.or(container_arg);
    let all_containers = inv.bool("all-containers");
    let pods: Vec<Pod> = match (&target, &selector) {
        (Some(target), _) => {
            let pod_name = match target.split_once('/') {
                None => target.clone(),
                Some((ty, name)) => {
                    let kind = resource::resolve_one(ctx.cluster.registry(), ty)?;
                    pod_for_object(ctx, kind, &ns, name)?
                }
            };
            let r = ObjectRef::namespaced(Kind::Pod, &ns, &pod_name);
            vec![Pod::from_object(ctx.cluster.get(&r)?).cloned().unwrap_or_default()]
        }
        (None, Some(selector)) => {
            let selector = Selector::parse(selector).map_err(KubectlError::msg)?;
            let pods: Vec<Pod> = ctx
                .cluster
                .list(Kind::Pod, Some(&ns))
                .into_iter()
                .filter_map(Pod::from_object)
                .filter(|p| selector.matches(p.metadata.labels.as_ref()))
                .cloned()
                .collect();
            if pods.is_empty() {
                ctx.stderr(format!("No resources found in {ns} namespace.\n"));
                return Ok(());
            }
            pods
        }
        (None, None) => unreachable!("checked above"),
    };
    // One log request per pod and container (`LogsForObject`): every
    // container, init containers first, with `--all-containers`; else the
    // one named or the pod's default.
    let mut requests: Vec<(Pod, Option<String>)> = Vec::new();
    for pod in pods {
        if all_containers {
            let spec = pod.spec.clone().unwrap_or_default();
            for c in spec.init_containers.iter().flatten().chain(&spec.containers) {
                requests.push((pod.clone(), Some(c.name.clone())));
            }
        } else {
            requests.push((pod, container.clone()));
        }
    }
    if inv.bool("follow") {
        let max = inv.int("max-log-requests").unwrap_or(MAX_FOLLOW_CONCURRENCY);
        if requests.len() as i64 > max {
            return Err(KubectlError::msg(format!(
                "you are attempting to follow {} log streams, but maximum allowed concurrency is {max}, use --max-log-requests to increase the limit",
                requests.len()
            )));
        }
        if requests.len() > 1 {
            // kubectl interleaves the streams as they arrive.
            return Err(KubectlError::unsupported("kubectl logs -f of several containers"));
        }
        if let Some((pod, c)) = requests.first() {
            let r = ObjectRef::namespaced(
                Kind::Pod,
                &ns,
                pod.metadata.name.as_deref().unwrap_or_default(),
            );
            follow(ctx, &r, c.as_deref());
        }
        // The pod as it is once followed.
        requests = requests
            .into_iter()
            .map(|(pod, c)| {
                let r = ObjectRef::namespaced(
                    Kind::Pod,
                    &ns,
                    pod.metadata.name.as_deref().unwrap_or_default(),
                );
                let now = ctx.cluster.get(&r).ok().and_then(Pod::from_object).cloned();
                (now.unwrap_or(pod), c)
            })
            .collect();
    }
    let tail = match inv.int("tail").filter(|n| *n >= 0) {
        Some(n) => Some(n),
        None if selector.is_some() => Some(SELECTOR_TAIL),
        None => None,
    };
    let since = match inv.value("since") {
        Some(t) => Some(parse_duration(t).map_err(KubectlError::msg)?),
        None => None,
    };
    let prefix = inv.bool("prefix");
    let previous = inv.bool("previous");
    // `sequentialConsumeRequest` walks a Go map, in no fixed order; kubeplay
    // takes the pods as listed (by name).
    for (pod, c) in requests {
        let (name, text) = log_text(ctx, &pod, c.as_deref(), previous, since)?;
        let text = match tail {
            Some(n) => {
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                lines[lines.len().saturating_sub(n as usize)..].concat()
            }
            None => text,
        };
        let text = if prefix {
            // `addPrefixIfNeeded`: `[pod/NAME/CONTAINER] ` on every line.
            let head =
                format!("[pod/{}/{name}] ", pod.metadata.name.as_deref().unwrap_or_default());
            text.split_inclusive('\n').map(|l| format!("{head}{l}")).collect()
        } else {
            text
        };
        ctx.stdout(text);
    }
    Ok(())
}

/// Steps the cluster until the container's current run has ended (or the
/// follow limit passes, as if interrupted).
fn follow(ctx: &mut Ctx<'_>, r: &ObjectRef, container: Option<&str>) {
    let start = ctx.now();
    loop {
        let Ok(o) = ctx.cluster.get(r) else { return };
        let Some(pod) = Pod::from_object(o) else { return };
        let Some(cs) = status_of(pod, container) else { return };
        let ended =
            cs.state.as_ref().is_some_and(|s| s.terminated.is_some() || s.waiting.is_some())
                && cs.last_state.as_ref().and_then(|l| l.terminated.as_ref()).is_some()
                || cs.state.as_ref().is_some_and(|s| s.terminated.is_some());
        if ended || time::since(ctx.now(), start) > FOLLOW_LIMIT || ctx.cluster.step().is_none() {
            return;
        }
    }
}

fn status_of<'a>(pod: &'a Pod, container: Option<&str>) -> Option<&'a ContainerStatus> {
    let status = pod.status.as_ref()?;
    let name = container
        .map(str::to_owned)
        .or_else(|| pod.spec.as_ref().and_then(|s| s.containers.first()).map(|c| c.name.clone()))?;
    let lists = status.container_statuses.iter().chain(status.init_container_statuses.iter());
    lists.flatten().find(|s| s.name == name)
}

/// The log of the pod's container (current or previous run).
fn log_text(
    ctx: &mut Ctx<'_>,
    pod: &Pod,
    container: Option<&str>,
    previous: bool,
    since: Option<i128>,
) -> Result<(String, String), KubectlError> {
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let containers = pod.spec.as_ref().map(|s| s.containers.clone()).unwrap_or_default();
    let c = match container {
        // Init containers have logs too (`kubectl logs POD -c INIT`).
        Some(name) => containers
            .iter()
            .chain(pod.spec.iter().flat_map(|s| s.init_containers.iter().flatten()))
            .find(|c| c.name == name)
            .cloned()
            .ok_or_else(|| {
                KubectlError::Api(ApiError::BadRequest(format!(
                    "container {name} is not valid for pod {pod_name}"
                )))
            })?,
        None => {
            let first = containers.first().cloned().unwrap_or_default();
            if containers.len() > 1 {
                let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
                ctx.stderr(format!(
                    "Defaulted container \"{}\" out of: {}\n",
                    first.name,
                    names.join(", ")
                ));
            }
            first
        }
    };
    let bad = |m: String| KubectlError::Api(ApiError::BadRequest(m));
    let cs = status_of(pod, Some(&c.name));
    let state = cs.and_then(|s| s.state.clone()).unwrap_or_default();
    let last = cs.and_then(|s| s.last_state.as_ref()?.terminated.clone());
    let now = ctx.now();
    // (started, until) of the run whose log is wanted.
    let run: Option<(Timestamp, Timestamp)> = if previous {
        match last {
            Some(t) if state.waiting.is_none() => {
                span(t.started_at.as_ref(), t.finished_at.as_ref(), now)
            }
            Some(t) => span(t.started_at.as_ref(), t.finished_at.as_ref(), now),
            None => {
                return Err(bad(format!(
                    "previous terminated container \"{}\" in pod \"{pod_name}\" not found",
                    c.name
                )));
            }
        }
    } else if let Some(r) = &state.running {
        span(r.started_at.as_ref(), None, now)
    } else if let Some(t) = &state.terminated {
        span(t.started_at.as_ref(), t.finished_at.as_ref(), now)
    } else if let Some(t) = last {
        span(t.started_at.as_ref(), t.finished_at.as_ref(), now)
    } else {
        let reason =
            state.waiting.and_then(|w| w.reason).unwrap_or_else(|| "ContainerCreating".into());
        // The kubelet words the common pull failures itself
        // (`validateContainerLogStatus`, pkg/kubelet/kubelet_pods.go).
        let reason = match reason.as_str() {
            "ErrImagePull" => "image can't be pulled".to_owned(),
            "ImagePullBackOff" => "trying and failing to pull image".to_owned(),
            _ => reason,
        };
        return Err(bad(format!(
            "container \"{}\" in pod \"{pod_name}\" is waiting to start: {reason}",
            c.name
        )));
    };
    let Some((started, until)) = run else { return Ok((c.name, String::new())) };
    if let Some(what) = crate::sim::images::unmodelled_output(ctx.cluster.config(), &c) {
        return Err(KubectlError::unsupported(format!("kubectl logs: {what}")));
    }
    let hangups = run_hangups(ctx, pod, &c.name, started);
    if let Some(what) =
        crate::sim::images::unknown_log(ctx.cluster.store(), pod, &c, started, &hangups)
    {
        return Err(KubectlError::unsupported(format!("kubectl logs: {what}")));
    }
    let log = |until: Timestamp| {
        kubelet_process::log(
            ctx.cluster.config(),
            ctx.cluster.store(),
            ctx.cluster.runtime(),
            pod,
            &c,
            started,
            until,
        )
    };
    let text = log(until);
    // `--since`: the lines the container wrote at or after `now - since`,
    // the log up to just before that instant being a prefix of the whole.
    let text = match since
        .map(|s| now - SignedDuration::from_nanos(i64::try_from(s).unwrap_or(i64::MAX)))
    {
        Some(cut) if cut > started => {
            let before = log((cut - SignedDuration::from_nanos(1)).min(until));
            text.strip_prefix(before.as_str()).unwrap_or_default().to_owned()
        }
        _ => text,
    };
    Ok((c.name, text))
}

fn span(
    started: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>,
    finished: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>,
    now: Timestamp,
) -> Option<(Timestamp, Timestamp)> {
    let s = started?.0;
    Some((s, finished.map_or(now, |f| f.0)))
}

/// `AttachablePodForObject`: the selector's pods, the one `ByLogging`
/// ranks first; `Found N pods, using pod/NAME` when there is a choice.
pub(crate) fn pod_for_object(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    ns: &str,
    name: &str,
) -> Result<String, KubectlError> {
    if kind == Kind::Pod {
        return Ok(name.to_owned());
    }
    let object = ctx.cluster.get(&ObjectRef::namespaced(kind, ns, name))?.clone();
    let selector: Option<LabelSelector> = match &object {
        Object::Job(j) => Job::clone(j).spec.and_then(|s| s.selector),
        Object::Deployment(d) => Deployment::clone(d).spec.map(|s| s.selector),
        Object::ReplicaSet(rs) => ReplicaSet::clone(rs).spec.map(|s| s.selector),
        Object::DaemonSet(ds) => DaemonSet::clone(ds).spec.map(|s| s.selector),
        _ => None,
    };
    let Some(selector) = selector else {
        return Err(KubectlError::msg(format!(
            "cannot attach to {}: selector for {} not implemented",
            kind.info().kind_name,
            kind.info().kind_name
        )));
    };
    let mut pods: Vec<Pod> = ctx
        .cluster
        .list(Kind::Pod, Some(ns))
        .into_iter()
        .filter_map(Pod::from_object)
        .filter(|p| selector_matches(&selector, p.metadata.labels.as_ref()))
        .cloned()
        .collect();
    if pods.is_empty() {
        return Err(KubectlError::msg("timed out waiting for the condition"));
    }
    // `podutil.ByLogging`: scheduled, then Running > Unknown > Pending,
    // ready, more restarts, older first.
    pods.sort_by_key(|p| {
        let phase = match crate::sim::podutil::phase(p) {
            "Running" => 0,
            "Unknown" => 1,
            "Pending" => 2,
            _ => 3,
        };
        (
            crate::sim::podutil::node_name(p).is_none(),
            phase,
            !crate::sim::podutil::is_ready(p),
            -crate::sim::podutil::restarts(p),
            p.metadata.creation_timestamp.as_ref().map(|t| t.0),
        )
    });
    let chosen = pods[0].metadata.name.clone().unwrap_or_default();
    if pods.len() > 1 {
        ctx.stderr(format!("Found {} pods, using pod/{chosen}\n", pods.len()));
    }
    Ok(chosen)
}

/// The SIGHUPs the run of container `name` of `pod` started at `started`
/// received (none for an earlier run: the kubelet keeps the current one's).
fn run_hangups(
    ctx: &Ctx<'_>,
    pod: &k8s_openapi::api::core::v1::Pod,
    name: &str,
    started: Timestamp,
) -> Vec<(Timestamp, usize)> {
    ctx.cluster
        .runtime()
        .container_run(pod, name)
        .filter(|r| r.started.is_some_and(|s| s.as_second() == started.as_second()))
        .map(|r| r.hangups.clone())
        .unwrap_or_default()
}
