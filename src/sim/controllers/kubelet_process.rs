//! The kubelet's side of container processes: what a container sees when it
//! starts ([`context`]), how its run goes on the clock ([`advance`]: its
//! network calls answered as the clock reaches them), the crash-loop
//! back-off between restarts, and the pod phase that follows
//! (`pkg/kubelet/kubelet_pods.go` `getPhase`).

use std::time::Duration;

use k8s_openapi::{
    ByteString,
    api::core::v1::{ConfigMap, Container, DownwardAPIVolumeFile, KeyToPath, Pod, Secret},
    jiff::Timestamp,
};

use crate::sim::{
    config::ClusterConfig,
    controllers::kubelet_env,
    images, podutil,
    process::{self, Context},
    runtime::{ContainerRun, Runtime},
    store::Store,
    time,
    traffic::{self, Balancer, clients::Printed, pod::PodView},
};

/// Network calls answered per run of a main process. Each answer replays
/// the process from its start, so an endless client loop costs the square
/// of its calls; past this many (over an hour of virtual time for a loop
/// with `sleep 2`) it gets no more answers and no more wake-ups.
const MAX_CALLS: usize = 2000;

/// `flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff)` in
/// `pkg/kubelet/kubelet.go`: 10 s doubling to 300 s.
const BACKOFF_INITIAL: Duration = Duration::from_secs(10);
/// `MaxContainerBackOff` (`pkg/kubelet/kubelet.go`).
const BACKOFF_MAX: Duration = Duration::from_secs(300);

/// A downward-API `fieldRef` value (`pkg/kubelet/kubelet_pods.go`
/// `podFieldSelectorRuntimeValue` for the status fields, `pkg/fieldpath`
/// `ExtractFieldPathAsString` for the metadata and spec ones); an
/// unsupported path (rejected by validation on a real API server) gives
/// an empty value.
fn downward_field(pod: &Pod, path: &str) -> String {
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    let value = match path {
        "metadata.name" => pod.metadata.name.clone(),
        "metadata.namespace" => pod.metadata.namespace.clone(),
        "metadata.uid" => pod.metadata.uid.clone(),
        "spec.nodeName" => spec.and_then(|s| s.node_name.clone()),
        "spec.serviceAccountName" => spec.and_then(|s| s.service_account_name.clone()),
        "status.hostIP" => status.and_then(|s| s.host_ip.clone()),
        "status.podIP" => status.and_then(|s| s.pod_ip.clone()),
        // `metadata.labels['<key>']` and `metadata.annotations['<key>']`
        // (`fieldpath.SplitMaybeSubscriptedPath`); the Job controller's
        // `JOB_COMPLETION_INDEX` reads one of them.
        _ => subscripted(path).and_then(|(map, key)| {
            let map = match map {
                "metadata.labels" => pod.metadata.labels.as_ref(),
                "metadata.annotations" => pod.metadata.annotations.as_ref(),
                _ => None,
            };
            map?.get(key).cloned()
        }),
    };
    value.unwrap_or_default()
}

/// The pod's hostname (`GeneratePodHostNameAndDomain`,
/// pkg/kubelet/kubelet_pods.go): `spec.hostname` when set (an Indexed
/// Job's `<job>-<index>`), else the pod's name.
pub(crate) fn hostname(pod: &Pod) -> String {
    pod.spec
        .as_ref()
        .and_then(|s| s.hostname.clone())
        .filter(|h| !h.is_empty())
        .or_else(|| pod.metadata.name.clone())
        .unwrap_or_default()
}

/// `metadata.labels['app']` split into the map's path and the key.
fn subscripted(path: &str) -> Option<(&str, &str)> {
    let (map, rest) = path.split_once("['")?;
    Some((map, rest.strip_suffix("']")?))
}

/// The environment and files a container's process sees, started at `start`.
pub fn context(store: &Store, pod: &Pod, container: &Container, start: Timestamp) -> Context {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let name = pod.metadata.name.clone().unwrap_or_default();
    let mut env = vec![
        (
            "PATH".to_owned(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_owned(),
        ),
        ("HOSTNAME".to_owned(), hostname(pod)),
    ];
    // Service links (`pkg/kubelet/kubelet_pods.go` `getServiceEnvVarMap`):
    // the master service in every namespace, and (enableServiceLinks, on by
    // default) every service with a cluster IP in the pod's namespace that
    // existed when the container started. The kubelet merges them through
    // a map, so their order varies on a real node; here it is sorted.
    let links = pod.spec.as_ref().and_then(|s| s.enable_service_links).unwrap_or(true);
    let mut service_env: Vec<(String, String)> = Vec::new();
    for svc in store.all::<k8s_openapi::api::core::v1::Service>(None) {
        let svc_ns = svc.metadata.namespace.as_deref().unwrap_or("default");
        let name = svc.metadata.name.as_deref().unwrap_or_default();
        let master = svc_ns == "default" && name == "kubernetes";
        let existed = svc.metadata.creation_timestamp.as_ref().is_none_or(|t| t.0 <= start);
        if master || (links && svc_ns == ns && existed) {
            service_env.extend(service_vars(svc));
        }
    }
    service_env.sort();
    service_env.dedup_by(|a, b| a.0 == b.0);
    let declared = kubelet_env::declared(store, pod, container, &service_env, |path| {
        downward_field(pod, path)
    })
    .unwrap_or_default();
    for (name, value) in declared {
        env.retain(|(k, _)| *k != name);
        env.push((name, value));
    }
    service_env.retain(|(k, _)| !env.iter().any(|(e, _)| e == k));
    env.extend(service_env);
    // The runtime sets HOME from the image's user when the container
    // does not.
    if !env.iter().any(|(k, _)| k == "HOME") {
        env.push(("HOME".to_owned(), "/root".to_owned()));
    }
    let mut files = kubelet_files(store, pod);
    let mut mounts = Vec::new();
    let volumes = pod.spec.as_ref().and_then(|s| s.volumes.as_ref());
    for mount in container.volume_mounts.iter().flatten() {
        let Some(v) = volumes.into_iter().flatten().find(|v| v.name == mount.name) else {
            continue;
        };
        let whole = mount.sub_path.as_deref().is_none_or(str::is_empty);
        let Some((entries, complete)) = volume_files(store, pod, v) else {
            continue;
        };
        if whole && complete {
            mounts.push(mount.mount_path.trim_end_matches('/').to_owned());
        }
        let dir = mount.mount_path.trim_end_matches('/');
        for (path, content) in entries {
            match &mount.sub_path {
                Some(sub) if !sub.is_empty() => {
                    if *sub == path {
                        files.insert(dir.to_owned(), content);
                    }
                }
                _ => {
                    files.insert(format!("{dir}/{path}"), content);
                }
            }
        }
    }
    Context {
        start,
        hostname: name,
        env,
        files,
        mounts,
        image: container.image.clone().unwrap_or_default(),
        net: None,
        calls: None,
        changes: Vec::new(),
        last_pid: None,
        cpus: node_cpus(store, pod),
    }
}

/// The CPUs of the node `pod` runs on (1 when unknown).
fn node_cpus(store: &Store, pod: &Pod) -> u32 {
    podutil::node_name(pod)
        .and_then(|n| store.get_typed::<k8s_openapi::api::core::v1::Node>(None, n))
        .and_then(|n| n.status.as_ref()?.capacity.as_ref()?.get("cpu").cloned())
        .and_then(|q| q.0.parse::<u32>().ok())
        .unwrap_or(1)
}

/// The files a volume shows its containers, and whether they are all it
/// holds (so a missing name there is "No such file", not unmodelled); `None`
/// for a volume whose content is not modelled this way (emptyDir is
/// complete and starts empty; hostPath and claims are the node's).
/// ConfigMap, Secret and downward-API volumes and their projected forms
/// (`pkg/volume/configmap`, `secret`, `downwardapi`, `projected`); a
/// service account token or a resource field is not modelled, so a
/// projected volume with one is incomplete.
fn volume_files(
    store: &Store,
    pod: &Pod,
    v: &k8s_openapi::api::core::v1::Volume,
) -> Option<(Vec<(String, String)>, bool)> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let config_map = |name: &str, items: Option<&[KeyToPath]>| {
        let data = store.get_typed::<ConfigMap>(Some(ns), name).and_then(|c| c.data.clone());
        select(data.unwrap_or_default().into_iter().collect(), items)
    };
    let secret = |name: Option<&str>, items: Option<&[KeyToPath]>| {
        let data =
            name.and_then(|n| store.get_typed::<Secret>(Some(ns), n)).and_then(|s| s.data.clone());
        select(data.unwrap_or_default().iter().map(|(k, v)| (k.clone(), text(v))).collect(), items)
    };
    if v.empty_dir.is_some() {
        return Some((Vec::new(), true));
    }
    if let Some(cm) = &v.config_map {
        return Some((config_map(&cm.name, cm.items.as_deref()), true));
    }
    if let Some(sec) = &v.secret {
        return Some((secret(sec.secret_name.as_deref(), sec.items.as_deref()), true));
    }
    if let Some(d) = &v.downward_api {
        return Some(downward_files(pod, d.items.as_deref().unwrap_or_default()));
    }
    let projected = v.projected.as_ref()?;
    let mut files = Vec::new();
    let mut complete = true;
    for source in projected.sources.iter().flatten() {
        if let Some(cm) = &source.config_map {
            files.extend(config_map(&cm.name, cm.items.as_deref()));
        } else if let Some(sec) = &source.secret {
            files.extend(secret(Some(sec.name.as_str()), sec.items.as_deref()));
        } else if let Some(d) = &source.downward_api {
            let (more, all) = downward_files(pod, d.items.as_deref().unwrap_or_default());
            files.extend(more);
            complete &= all;
        } else {
            complete = false;
        }
    }
    Some((files, complete))
}

/// Downward-API volume files (`pkg/volume/downwardapi`
/// `CollectData`): a field's value as the environment would have it, the
/// label and annotation maps as `key="value"` lines. Resource fields are
/// not modelled: the volume is then incomplete.
fn downward_files(pod: &Pod, items: &[DownwardAPIVolumeFile]) -> (Vec<(String, String)>, bool) {
    let mut files = Vec::new();
    let mut complete = true;
    for item in items {
        let Some(f) = &item.field_ref else {
            complete = false;
            continue;
        };
        let content = match f.field_path.as_str() {
            "metadata.labels" => kubelet_env::format_map(pod.metadata.labels.as_ref()),
            "metadata.annotations" => kubelet_env::format_map(Some(&kubelet_annotations(pod))),
            path => downward_field(pod, path),
        };
        files.push((item.path.clone(), content));
    }
    (files, complete)
}

/// The annotations as the kubelet's copy of the pod has them
/// (`pkg/kubelet/config/config.go`): the API's, plus the source it came
/// from (`kubernetes.io/config.source: api`) and when the kubelet first
/// saw it (`kubernetes.io/config.seen`, `RFC3339NanoFixed` in the node's
/// zone, here UTC: the pod's start time with a fraction drawn from its uid).
fn kubelet_annotations(pod: &Pod) -> std::collections::BTreeMap<String, String> {
    let mut out = pod.metadata.annotations.clone().unwrap_or_default();
    out.insert("kubernetes.io/config.source".to_owned(), "api".to_owned());
    if let Some(start) = pod.status.as_ref().and_then(|s| s.start_time.as_ref()) {
        let uid = pod.metadata.uid.as_deref().unwrap_or_default();
        let nanos = uid.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        }) % 1_000_000_000;
        let at = start.0.strftime("%Y-%m-%dT%H:%M:%S");
        out.insert("kubernetes.io/config.seen".to_owned(), format!("{at}.{nanos:09}Z"));
    }
    out
}

/// `pkg/kubelet/envvars/envvars.go` `FromServices`: `NAME_SERVICE_HOST`,
/// `NAME_SERVICE_PORT` (first port), `NAME_SERVICE_PORT_PORTNAME` for named
/// ports, and Docker-style link variables (`NAME_PORT`,
/// `NAME_PORT_80_TCP[_PROTO|_PORT|_ADDR]`); none for a headless service.
fn service_vars(svc: &k8s_openapi::api::core::v1::Service) -> Vec<(String, String)> {
    let Some(spec) = svc.spec.as_ref() else { return Vec::new() };
    let Some(ip) = spec.cluster_ip.clone().filter(|ip| !ip.is_empty() && ip != "None") else {
        return Vec::new();
    };
    let ports = spec.ports.clone().unwrap_or_default();
    let Some(first) = ports.first() else { return Vec::new() };
    let prefix = svc.metadata.name.as_deref().unwrap_or_default().replace('-', "_").to_uppercase();
    let mut out = vec![
        (format!("{prefix}_SERVICE_HOST"), ip.clone()),
        (format!("{prefix}_SERVICE_PORT"), first.port.to_string()),
    ];
    for p in &ports {
        if let Some(n) = p.name.as_deref().filter(|n| !n.is_empty()) {
            let n = n.replace('-', "_").to_uppercase();
            out.push((format!("{prefix}_SERVICE_PORT_{n}"), p.port.to_string()));
        }
    }
    for (i, p) in ports.iter().enumerate() {
        let proto = p.protocol.clone().unwrap_or_else(|| "TCP".to_owned());
        let url = format!("{}://{ip}:{}", proto.to_lowercase(), p.port);
        if i == 0 {
            out.push((format!("{prefix}_PORT"), url.clone()));
        }
        let pp = format!("{prefix}_PORT_{}_{}", p.port, proto.to_uppercase());
        out.push((pp.clone(), url));
        out.push((format!("{pp}_PROTO"), proto.to_lowercase()));
        out.push((format!("{pp}_PORT"), p.port.to_string()));
        out.push((format!("{pp}_ADDR"), ip.clone()));
    }
    out
}

/// The files the kubelet writes into every container: `/etc/hosts`
/// (`kubelet_pods.go` `managedHostsFileContent`) and, for `dnsPolicy:
/// ClusterFirst` off the host network, `/etc/resolv.conf` pointing at the
/// cluster DNS Service with the pod's search path (`pkg/kubelet/network/
/// dns/dns.go`; the node's own search domains, which vary by machine, are
/// not appended).
fn kubelet_files(store: &Store, pod: &Pod) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
    let spec = pod.spec.clone().unwrap_or_default();
    if spec.host_network == Some(true) {
        return files;
    }
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let name = pod.metadata.name.clone().unwrap_or_default();
    let host = spec.hostname.clone().unwrap_or(name);
    let ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
    let mut hosts = String::from(
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n\
         ::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n\
         fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n",
    );
    match spec.subdomain.as_deref().filter(|d| !d.is_empty()) {
        Some(sub) => {
            hosts.push_str(&format!("{ip}\t{host}.{sub}.{ns}.svc.cluster.local\t{host}\n"))
        }
        None => hosts.push_str(&format!("{ip}\t{host}\n")),
    }
    files.insert("/etc/hosts".to_owned(), hosts);
    // The kubelet also bind-mounts the pod's `/etc/hostname`
    // (`kubelet_pods.go` `makeMounts` via the runtime's sandbox).
    files.insert("/etc/hostname".to_owned(), format!("{host}\n"));
    let policy = spec.dns_policy.as_deref().unwrap_or("ClusterFirst");
    let dns = store
        .get_typed::<k8s_openapi::api::core::v1::Service>(Some("kube-system"), "kube-dns")
        .and_then(|s| s.spec.as_ref()?.cluster_ip.clone());
    if let (true, Some(dns)) =
        (policy == "ClusterFirst" || policy == "ClusterFirstWithHostNet", dns)
    {
        files.insert(
            "/etc/resolv.conf".to_owned(),
            format!(
                "nameserver {dns}\nsearch {ns}.svc.cluster.local svc.cluster.local cluster.local\n\
                 options ndots:5\n"
            ),
        );
    }
    files
}

fn text(b: &ByteString) -> String {
    String::from_utf8_lossy(&b.0).into_owned()
}

/// The keys a volume projects, under their paths (`items` selects and renames).
fn select(
    data: Vec<(String, String)>,
    items: Option<&[k8s_openapi::api::core::v1::KeyToPath]>,
) -> Vec<(String, String)> {
    match items {
        None => data,
        Some(items) => items
            .iter()
            .filter_map(|i| {
                data.iter().find(|(k, _)| *k == i.key).map(|(_, v)| (i.path.clone(), v.clone()))
            })
            .collect(),
    }
}

/// Carries the run of `container` started at `start` (recorded in `run`)
/// as far as the clock has come: the process is replayed with the answers
/// its network calls have had, and each further call due by `now` is
/// answered against the cluster as it is now (`store`; its connections take
/// their turns at the Services' `balancer`). Leaves in `run` how the run
/// ends (`exit`) or the next call it waits on (`waiting`). A process that
/// makes no network call is run once, as before calls existed.
///
/// A container whose image model holds more memory than its limit is
/// killed by the kernel's OOM killer first ([`images::stress::oom_kill_after`]):
/// its run exits then with 137, whatever the process would have done next.
#[allow(clippy::too_many_arguments)]
pub fn advance(
    config: &ClusterConfig,
    store: &Store,
    runtime: &Runtime,
    balancer: &mut Balancer,
    pod: &Pod,
    container: &Container,
    start: Timestamp,
    run: &mut ContainerRun,
    now: Timestamp,
) {
    advance_process(config, store, runtime, balancer, pod, container, start, run, now);
    if let Some(what) = images::stress::entrypoint_unmodelled(container)
        .or_else(|| images::stress::beyond_node(store, pod, container))
    {
        // What the node's kernel and the kubelet's eviction manager would
        // do is not modelled: the run stops there, named.
        run.exit = None;
        run.waiting = None;
        run.unsupported = Some((Duration::ZERO, what));
        return;
    }
    if let Some(kill) = images::stress::oom_kill_after(container) {
        if run.exit.is_none_or(|(at, _)| at > kill) {
            run.exit = Some((kill, OOM_KILLED_EXIT));
            run.waiting = None;
        }
        if run.unsupported.as_ref().is_some_and(|(at, _)| *at >= kill) {
            run.unsupported = None;
        }
    }
}

/// The exit code of a container the OOM killer ended (128 + SIGKILL).
pub const OOM_KILLED_EXIT: i32 = 137;

/// The terminated reason the runtime reports for `container` exiting with
/// `code`: `OOMKilled` when the OOM killer ended it (the runtime saw the
/// cgroup's OOM event), else `Completed` or `Error`
/// (`pkg/kubelet/kuberuntime` `toKubeContainerStatus`, containerd's and
/// dockershim's `OOMKilled` reason).
pub fn exit_reason(container: Option<&Container>, code: i32) -> &'static str {
    if code == OOM_KILLED_EXIT && container.and_then(images::stress::oom_kill_after).is_some() {
        "OOMKilled"
    } else if code == 0 {
        "Completed"
    } else {
        "Error"
    }
}

#[allow(clippy::too_many_arguments)]
fn advance_process(
    config: &ClusterConfig,
    store: &Store,
    runtime: &Runtime,
    balancer: &mut Balancer,
    pod: &Pod,
    container: &Container,
    start: Timestamp,
    run: &mut ContainerRun,
    now: Timestamp,
) {
    let program = images::program(config, store, pod, container, start);
    let mut ctx = context(store, pod, container, start);
    let image = container.image.clone().unwrap_or_default();
    let namespace = pod.metadata.namespace.clone().unwrap_or_else(|| "default".to_owned());
    let pod_ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
    loop {
        ctx.calls = Some(std::mem::take(&mut run.calls));
        let trace = process::run_through(&program, &ctx);
        run.calls = ctx.calls.take().unwrap_or_default();
        match trace.waiting {
            // Past the cap the call is never answered: the process runs on
            // with no more output, as a loop past the step budget does.
            Some((at, _)) if time::add(start, at) <= now && run.calls.len() >= MAX_CALLS => {
                run.exit = None;
                run.waiting = None;
                return;
            }
            Some((at, argv)) if time::add(start, at) <= now => {
                let mut view = PodView {
                    store,
                    config,
                    runtime,
                    balancer: &mut *balancer,
                    namespace: &namespace,
                    pod_ip: &pod_ip,
                    // The call is answered when the process made it.
                    now: time::add(start, at),
                };
                let (name, args) = argv.split_first().unwrap_or((&image, &[]));
                let printed =
                    traffic::pod::run_in(name, args, &image, &mut view).unwrap_or_default();
                // A call kubeplay cannot answer as the real tool would: the
                // run stops there, named, rather than going on as if the
                // tool had failed.
                if let Some(what) = printed.unsupported.clone() {
                    run.exit = None;
                    run.waiting = None;
                    run.unsupported = Some((at, what));
                    return;
                }
                run.calls.push(printed);
            }
            waiting => {
                run.exit = trace.exit;
                run.waiting = waiting;
                run.unsupported = trace.unsupported.map(|what| (trace.reached, what));
                return;
            }
        }
    }
}

/// The log of a run started at `start`, up to `until` (or its exit): the
/// process replayed with the answers its network calls had (`runtime`, the
/// kubelet's record of the run).
pub fn log(
    config: &ClusterConfig,
    store: &Store,
    runtime: &Runtime,
    pod: &Pod,
    container: &Container,
    start: Timestamp,
    until: Timestamp,
) -> String {
    let (program, ctx) = replay(config, store, runtime, pod, container, start);
    process::log_until(&runtime.replays, &program, &ctx, time::since(until, start))
}

/// The changes to `container`'s filesystem in its current run as they
/// stand at `now`: what `kubectl exec`/`cp` sessions and lifecycle hooks
/// changed (the kubelet's record), then what the container's own process
/// has written by then (replayed). A probe, an exec session and the
/// image's server all see one filesystem, as they do in a real container:
/// the liveness tutorial's `touch /tmp/healthy; sleep 30; rm -f
/// /tmp/healthy` is what its `cat /tmp/healthy` probe reads.
pub fn files_at(
    config: &ClusterConfig,
    store: &Store,
    runtime: &Runtime,
    pod: &Pod,
    container: &Container,
    now: Timestamp,
) -> process::fs::Changes {
    let Some(run) = runtime.container_run(pod, &container.name) else { return Vec::new() };
    let mut changes = run.files.clone();
    if let Some(start) = run.started.filter(|s| *s <= now) {
        let (program, ctx) = replay(config, store, runtime, pod, container, start);
        let own = process::changes_until(&runtime.replays, &program, &ctx, time::since(now, start));
        changes.extend(own);
    }
    changes
}

/// What replaying the run of `container` started at `start` needs: its
/// program, and its context with the answers its network calls had.
fn replay(
    config: &ClusterConfig,
    store: &Store,
    runtime: &Runtime,
    pod: &Pod,
    container: &Container,
    start: Timestamp,
) -> (process::Program, Context) {
    let mut ctx = context(store, pod, container, start);
    ctx.calls = Some(answers(runtime, pod, &container.name, start));
    (images::program(config, store, pod, container, start), ctx)
}

/// When the run of `container` started at `start` next writes to its log
/// after `now`, looking at most `ahead`: the instant a reader waiting on
/// that log (`kubectl logs` retried until it shows a line) waits for.
#[allow(clippy::too_many_arguments)]
pub fn next_log_line(
    config: &ClusterConfig,
    store: &Store,
    runtime: &Runtime,
    pod: &Pod,
    container: &Container,
    start: Timestamp,
    now: Timestamp,
    ahead: Duration,
) -> Option<Timestamp> {
    // A server prints nothing: no context to build, no replay to key (an
    // idle log reader asks this of every running container).
    if matches!(images::program(config, store, pod, container, start), process::Program::Server) {
        return None;
    }
    let (program, ctx) = replay(config, store, runtime, pod, container, start);
    let after = time::since(now, start);
    let at = process::next_output(&runtime.replays, &program, &ctx, after, after + ahead)?;
    Some(time::add(start, at))
}

/// What the network calls of `container`'s run started at `start` (the
/// current run or the previous one; the status keeps whole seconds)
/// printed.
fn answers(runtime: &Runtime, pod: &Pod, container: &str, start: Timestamp) -> Vec<Printed> {
    let Some(run) = runtime.container_run(pod, container) else { return Vec::new() };
    let same = |t: &Timestamp| t.as_second() == start.as_second();
    if run.started.as_ref().is_some_and(same) {
        return run.calls.clone();
    }
    match &run.previous {
        Some((t, calls)) if same(t) => calls.clone(),
        _ => Vec::new(),
    }
}

/// `Backoff.IsInBackOffSince(key, finishedAt)` at `now`: the entry exists,
/// has not expired (`eventTime - lastUpdate > 2 × max`), and less than the
/// period has passed since the exit.
pub fn in_backoff(
    entry: Option<(Duration, Timestamp)>,
    finished: Timestamp,
    now: Timestamp,
) -> bool {
    entry.is_some_and(|(period, last)| {
        !expired(finished, last) && time::since(now, finished) < period
    })
}

/// `Backoff.Next(key, finishedAt)` at `now`: a fresh 10 s entry when there
/// was none or it expired (the container ran long enough), else doubled up
/// to the cap.
pub fn next_backoff(
    entry: Option<(Duration, Timestamp)>,
    finished: Timestamp,
    now: Timestamp,
) -> (Duration, Timestamp) {
    match entry {
        Some((period, last)) if !expired(finished, last) => ((period * 2).min(BACKOFF_MAX), now),
        _ => (BACKOFF_INITIAL, now),
    }
}

fn expired(event: Timestamp, last_update: Timestamp) -> bool {
    event > last_update && time::since(event, last_update) > BACKOFF_MAX * 2
}

/// Whether a container that exited with `code` is started again.
pub fn restarts(pod: &Pod, code: i32) -> bool {
    match pod.spec.as_ref().and_then(|s| s.restart_policy.as_deref()).unwrap_or("Always") {
        "Never" => false,
        "OnFailure" => code != 0,
        _ => true,
    }
}

/// `getPhase` (`pkg/kubelet/kubelet_pods.go`, v1.22) over the containers'
/// statuses.
pub fn phase(pod: &Pod) -> &'static str {
    let policy = pod.spec.as_ref().and_then(|s| s.restart_policy.as_deref()).unwrap_or("Always");
    let statuses = pod.status.as_ref().and_then(|s| s.container_statuses.as_ref());
    let (mut running, mut waiting, mut stopped, mut succeeded, mut unknown) = (0, 0, 0, 0, 0);
    // Init containers: one that has not ended well keeps the pod Pending;
    // one that failed fails the pod under `restartPolicy: Never`. A
    // sidecar (restartable init container) that has started is neither.
    let init_statuses = pod.status.as_ref().and_then(|s| s.init_container_statuses.as_ref());
    let (mut pending_init, mut failed_init) = (0, 0);
    for c in pod.spec.iter().flat_map(|s| s.init_containers.iter().flatten()) {
        let Some(cs) = init_statuses.into_iter().flatten().find(|s| s.name == c.name) else {
            pending_init += 1;
            continue;
        };
        if c.restart_policy.as_deref() == Some("Always") && cs.started == Some(true) {
            continue;
        }
        let state = cs.state.clone().unwrap_or_default();
        let last = cs.last_state.as_ref().and_then(|l| l.terminated.as_ref());
        match (&state.running, &state.terminated, &state.waiting) {
            (Some(_), _, _) => pending_init += 1,
            (None, Some(t), _) => failed_init += i32::from(t.exit_code != 0),
            (None, None, Some(_)) => match last {
                Some(t) => failed_init += i32::from(t.exit_code != 0),
                None => pending_init += 1,
            },
            _ => pending_init += 1,
        }
    }
    if failed_init > 0 && policy == "Never" {
        return "Failed";
    }
    if pending_init > 0 {
        return "Pending";
    }
    for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
        let Some(cs) = statuses.into_iter().flatten().find(|s| s.name == c.name) else {
            unknown += 1;
            continue;
        };
        let state = cs.state.clone().unwrap_or_default();
        if state.running.is_some() {
            running += 1;
        } else if let Some(t) = &state.terminated {
            stopped += 1;
            if t.exit_code == 0 {
                succeeded += 1;
            }
        } else if state.waiting.is_some() {
            if cs.last_state.as_ref().and_then(|l| l.terminated.as_ref()).is_some() {
                stopped += 1;
            } else {
                waiting += 1;
            }
        } else {
            unknown += 1;
        }
    }
    if waiting > 0 {
        "Pending"
    } else if running > 0 && unknown == 0 {
        "Running"
    } else if running == 0 && stopped > 0 && unknown == 0 {
        if policy == "Always" {
            "Running"
        } else if stopped == succeeded {
            "Succeeded"
        } else if policy == "Never" {
            "Failed"
        } else {
            "Running"
        }
    } else {
        "Pending"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_the_cap_and_resets_after_ten_minutes() {
        let t0 = Timestamp::from_second(1_000_000).unwrap();
        let at = |s| time::add_secs(t0, s);
        let mut entry = None;
        let mut periods = Vec::new();
        for i in 0..8 {
            let (p, _) = next_backoff(entry, at(i), at(i));
            entry = Some((p, at(i)));
            periods.push(p.as_secs());
        }
        assert_eq!(periods, [10, 20, 40, 80, 160, 300, 300, 300]);
        assert!(in_backoff(entry, at(8), at(9)));
        // A run of more than 2 × 300 s since the last restart: fresh entry.
        assert!(!in_backoff(entry, at(7 + 601), at(7 + 601)));
        assert_eq!(next_backoff(entry, at(7 + 601), at(7 + 601)).0.as_secs(), 10);
    }
}
