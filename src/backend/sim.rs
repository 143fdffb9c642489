//! The built-in simulator backend: kubectl emulation over an in-process
//! [`Cluster`] on a virtual clock.

use std::time::Duration;

use k8s_openapi::jiff::Timestamp;

use super::{Backend, BackendError, Invocation};
use crate::{
    kubectl,
    output::CommandOutput,
    scenario::{ClusterSpec, FrontMatter, ImageEntry, ImagePull, parse_duration},
    sim::{self, Cluster, ClusterConfig, NodeConfig, Object, images, profiles},
    workspace::Workspace,
};

/// The profile a scenario gets when its front matter names none.
pub const DEFAULT_PROFILE: &str = "kubeadm";

/// The simulator's RNG seed when front matter sets no `cluster.seed`: one
/// constant, so a scenario's transcript depends on its content alone — not
/// on the path it was run by, its folder, or its prose (DESIGN §1).
pub const DEFAULT_SEED: u64 = 0x6b75_6265_706c_6179;

/// Bound on the zero-time controller actions run after one command, so a
/// controller that never converges cannot hang a run.
const MAX_PENDING_ACTIONS: usize = 10_000;

/// How far `shell --settle` follows timers after a command: long enough
/// for pulls, probes, rollouts and Job back-offs of a tutorial, short
/// enough that a pod in ImagePullBackOff (retries capped at 5 minutes,
/// `kubelet` `MaxContainerBackOff`) costs a few retries, not a week.
pub const SETTLE_HORIZON: Duration = Duration::from_secs(5 * 60);

/// Steps `shell --settle` takes at most: a guard against controller work
/// that never lets virtual time pass, not the usual bound.
const SETTLE_MAX_STEPS: usize = 100_000;

/// Runs commands against a simulated cluster.
#[derive(Debug)]
pub struct SimBackend {
    cluster: Cluster,
    /// The kubeconfig of the tutorial's machine: kubectl's client state
    /// (`kubectl config`), kept across the scenario's commands.
    kubeconfig: kubectl::kubeconfig::Kubeconfig,
    started: Timestamp,
    /// kubeadm, openssl and spare machines ([`super::hosts`]).
    hosts: super::hosts::Hosts,
    /// When `kubectl get -w` is interrupted ([`Backend::set_interrupt`]).
    interrupt: Option<kubectl::watch::Interrupt>,
    /// The tutorial machine's port-forwards and background output.
    net: super::hosts::net::HostNet,
    /// Standing in for a real cluster ([`SimBackend::new_as`]): skip the
    /// steps a real cluster's run skips.
    as_real_cluster: bool,
}

/// How far ahead a log reader looks for a process's next line: the
/// default step timeout, beyond which the step gives up anyway.
const LOG_LOOKAHEAD: Duration = Duration::from_secs(15 * 60);

impl SimBackend {
    /// The earliest instant after `now` at which a running container of the
    /// cluster writes its next log line.
    fn next_log_line(&self, now: Timestamp) -> Option<Timestamp> {
        let store = self.cluster.store();
        let mut next: Option<Timestamp> = None;
        for pod in store.all::<k8s_openapi::api::core::v1::Pod>(None) {
            let Some(spec) = pod.spec.as_ref() else { continue };
            let statuses = pod.status.as_ref().and_then(|s| s.container_statuses.as_ref());
            for status in statuses.into_iter().flatten() {
                let started = status.state.as_ref().and_then(|s| s.running.as_ref());
                let Some(start) = started.and_then(|r| r.started_at.as_ref()) else { continue };
                let Some(c) = spec.containers.iter().find(|c| c.name == status.name) else {
                    continue;
                };
                let at = sim::controllers::kubelet_process::next_log_line(
                    self.cluster.config(),
                    store,
                    self.cluster.runtime(),
                    pod,
                    c,
                    start.0,
                    now,
                    LOG_LOOKAHEAD,
                );
                next = match (next, at) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
        next
    }

    /// Builds the cluster a scenario's front matter declares, with its
    /// pre-existing objects; its random choices follow `cluster.seed`, or
    /// [`DEFAULT_SEED`] when the front matter sets none.
    pub fn new(meta: &FrontMatter) -> Result<SimBackend, BackendError> {
        let mut config = cluster_config(&meta.cluster)?;
        config.images = meta.images.iter().map(|(k, v)| (k.clone(), image_spec(v))).collect();
        let mut cluster = Cluster::new(config);
        for seed in &meta.objects {
            let object = Object::from_value(seed.manifest.clone()).map_err(|e| {
                BackendError::Infrastructure(format!("front matter `objects`: {e}"))
            })?;
            cluster
                .seed_object(object, seed.age.unwrap_or_default(), seed.restarts, seed.last_restart)
                .map_err(|e| {
                    BackendError::Infrastructure(format!("front matter `objects`: {e}"))
                })?;
        }
        let started = cluster.now();
        let hosts =
            super::hosts::Hosts::new(meta.cluster.hosts.iter().enumerate().map(|(i, h)| {
                let ip = h.ip.clone().unwrap_or_else(|| format!("192.168.200.{}", 101 + i));
                (h.name.clone(), ip)
            }));
        let kubeconfig = kubectl::kubeconfig::Kubeconfig::for_cluster(&cluster);
        Ok(SimBackend {
            cluster,
            kubeconfig,
            started,
            hosts,
            interrupt: None,
            net: Default::default(),
            as_real_cluster: false,
        })
    }

    /// The simulator as the real cluster that `profile` describes (`kwok`:
    /// scripts/control-plane/start.sh's), for the simulator's side of a
    /// differential run: the scenario's own cluster description and
    /// pre-existing objects are replaced by the profile, as a real
    /// cluster's run ignores them too (the kubectl backend creates no
    /// front-matter `objects` and cannot set a cluster's version or
    /// nodes), and the steps a real cluster's run skips are skipped.
    pub fn new_as(
        meta: &FrontMatter,
        profile: &str,
        version: Option<crate::version::KubeVersion>,
    ) -> Result<SimBackend, BackendError> {
        let mut meta = meta.clone();
        meta.cluster = crate::scenario::ClusterSpec {
            profile: Some(profile.to_owned()),
            version,
            ..Default::default()
        };
        meta.objects.clear();
        meta.images.clear();
        let mut backend = SimBackend::new(&meta)?;
        backend.as_real_cluster = true;
        Ok(backend)
    }

    /// The simulated cluster (for tests and tools).
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Simulator-only directives: `kubeplay advance DURATION`, `kubeplay
    /// node power-off|power-on|reboot NAME`, `kubeplay load KIND/NAME --cpu N%`.
    fn directive(&mut self, args: &[String]) -> CommandOutput {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        match args.as_slice() {
            ["advance", duration] => match parse_duration(duration) {
                Some(d) => {
                    self.cluster.advance(d);
                    CommandOutput::default()
                }
                None => {
                    CommandOutput::failure(format!("kubeplay: invalid duration {duration:?}\n"), 2)
                }
            },
            ["node", action @ ("power-off" | "power-on" | "reboot"), node] => {
                let result = match *action {
                    "power-off" => self.cluster.set_kubelet_running(node, false),
                    "power-on" => self.cluster.set_kubelet_running(node, true),
                    _ => self.reboot(node),
                };
                match result {
                    Ok(()) => CommandOutput::default(),
                    Err(e) => CommandOutput::failure(format!("kubeplay: {e}\n"), 1),
                }
            }
            ["load", rest @ ..] => self.load(rest),
            _ => CommandOutput::failure(
                format!(
                    "kubeplay: unknown directive `{}` (known: advance DURATION, \
                     node power-off|power-on|reboot NAME, load TARGET --cpu N%)\n",
                    args.join(" ")
                ),
                2,
            ),
        }
    }

    /// `kubeplay load KIND/NAME --cpu N% [-n NAMESPACE]`: sets the simulated
    /// CPU demand on a Deployment, ReplicaSet or Pod — N% of one pod's CPU
    /// request in total, spread over its ready pods (see
    /// [`crate::sim::metrics`]); `--cpu 0` removes it.
    fn load(&mut self, args: &[&str]) -> CommandOutput {
        let usage = |why: &str| {
            CommandOutput::failure(
                format!(
                    "kubeplay: load: {why} (usage: kubeplay load KIND/NAME --cpu N% [-n NAMESPACE])\n"
                ),
                2,
            )
        };
        let (mut target, mut cpu, mut namespace) = (None, None, "default".to_owned());
        let mut i = 0;
        while i < args.len() {
            let arg = args[i];
            let mut value = |flag: &str| -> Option<String> {
                if let Some(v) = arg.strip_prefix(&format!("{flag}=")) {
                    return Some(v.to_owned());
                }
                (arg == flag).then(|| {
                    i += 1;
                    args.get(i).map(|v| (*v).to_owned()).unwrap_or_default()
                })
            };
            if let Some(v) = value("--cpu") {
                cpu = Some(v);
            } else if let Some(v) = value("-n").or_else(|| value("--namespace")) {
                namespace = v;
            } else if target.is_none() && !arg.starts_with('-') {
                target = Some(arg.to_owned());
            } else {
                return usage(&format!("unexpected argument `{arg}`"));
            }
            i += 1;
        }
        let Some(target) = target else { return usage("missing target") };
        let Some(cpu) = cpu else { return usage("missing --cpu") };
        let Ok(percent) = cpu.trim_end_matches('%').parse::<u32>() else {
            return usage(&format!("invalid --cpu `{cpu}`"));
        };
        let Some((kind, name)) = target.split_once('/') else {
            return usage(&format!("target `{target}` is not KIND/NAME"));
        };
        let kind = match kind {
            "deployment" | "deployments" | "deploy" | "deployment.apps" => {
                crate::sim::Kind::Deployment
            }
            "replicaset" | "replicasets" | "rs" | "replicaset.apps" => crate::sim::Kind::ReplicaSet,
            "pod" | "pods" | "po" => crate::sim::Kind::Pod,
            other => return usage(&format!("unsupported kind `{other}`")),
        };
        let r = crate::sim::ObjectRef::namespaced(kind, &namespace, name);
        if let Err(e) = self.cluster.get(&r) {
            return CommandOutput::failure(format!("kubeplay: {e}\n"), 1);
        }
        self.cluster.set_load(
            crate::sim::metrics::LoadTarget { namespace, kind, name: name.to_owned() },
            percent,
        );
        CommandOutput::default()
    }

    /// A reboot as one instant: the machine goes off and on again at once,
    /// so the node never misses the grace period, and every container
    /// starts again with one more restart.
    fn reboot(&mut self, node: &str) -> Result<(), crate::sim::ApiError> {
        self.cluster.set_kubelet_running(node, false)?;
        self.cluster.set_kubelet_running(node, true)
    }

    /// Commands typed at a node's own console (`[root@worker1 ~]# poweroff`):
    /// power and the kubelet service. `None` when `argv` is not one of them.
    fn host_command(&mut self, argv: &[String], host: Option<&str>) -> Option<CommandOutput> {
        let args: Vec<&str> = argv.iter().map(String::as_str).collect();
        enum Act {
            PowerOff,
            Reboot,
            Kubelet(bool),
        }
        let act = match args.as_slice() {
            ["poweroff"]
            | ["halt", "-p"]
            | ["shutdown", "-h" | "-P", "now"]
            | ["shutdown", "now"] => Act::PowerOff,
            ["reboot"] | ["shutdown", "-r", "now"] => Act::Reboot,
            ["systemctl", verb @ ("stop" | "start" | "restart"), unit]
                if unit.trim_end_matches(".service") == "kubelet" =>
            {
                Act::Kubelet(*verb != "stop")
            }
            _ => return None,
        };
        let Some(node) = host.filter(|h| self.cluster.config().nodes.iter().any(|n| n.name == *h))
        else {
            return Some(CommandOutput::failure(
                format!(
                    "kubeplay: `{}` acts on the machine it is typed on; use a prompt naming a \
                     node (`[root@worker1 ~]# {}`)\n",
                    args.join(" "),
                    args.join(" ")
                ),
                2,
            ));
        };
        let result = match act {
            Act::PowerOff => self.cluster.set_kubelet_running(node, false),
            Act::Reboot => self.reboot(node),
            Act::Kubelet(running) => self.cluster.set_kubelet_service(node, running),
        };
        Some(match result {
            Ok(()) => CommandOutput::default(),
            Err(e) => CommandOutput::failure(format!("kubeplay: {e}\n"), 1),
        })
    }

    /// Lets the cluster run until it is quiet: controller work, and timers
    /// due within [`SETTLE_HORIZON`] of virtual time (`shell --settle`).
    pub fn settle(&mut self) {
        self.cluster.settle_within(SETTLE_HORIZON, SETTLE_MAX_STEPS);
    }
}

/// A front-matter `images:` entry in the simulator's terms.
fn image_spec(entry: &ImageEntry) -> images::ImageSpec {
    images::ImageSpec {
        pull: entry.pull.map(|p| match p {
            ImagePull::Ok => images::Pull::Ok,
            ImagePull::Fail => images::Pull::NotFound,
            ImagePull::Denied => images::Pull::Denied,
        }),
        pull_time: entry.pull_time,
        pullable_after: entry.pullable_after,
        run_for: entry.run_for,
        exit: entry.exit,
        logs: entry.logs.as_ref().map(|lines| {
            lines
                .iter()
                .map(|(after, text)| images::LogLine { after: *after, text: text.clone() })
                .collect()
        }),
        ports: entry.ports.clone(),
        preloaded: entry.preloaded,
        ignores_sigterm: entry.ignores_sigterm,
        http: entry.http.as_ref().map(|routes| {
            routes
                .iter()
                .map(|r| images::http::Route {
                    path: r.path.clone(),
                    status: r.status,
                    until: r.until,
                    body: r.body.clone(),
                })
                .collect()
        }),
    }
}

/// Resolves the profile named in front matter and applies its overrides.
pub fn cluster_config(spec: &ClusterSpec) -> Result<ClusterConfig, BackendError> {
    let name = spec.profile.as_deref().unwrap_or(DEFAULT_PROFILE);
    let unknown = || {
        BackendError::Infrastructure(format!(
            "unknown cluster profile `{name}` (known: {})",
            profiles::PROFILES.join(", ")
        ))
    };
    // The profile as its installer leaves a cluster of the scenario's
    // release (kubeadm's roles, taints and DNS add-on of that era).
    let mut config = match spec.version {
        Some(version) => profiles::profile_at(name, version),
        None => profiles::profile(name),
    }
    .ok_or_else(unknown)?;
    config.seed = spec.seed.unwrap_or(DEFAULT_SEED);
    if let Some(cidr) = &spec.pod_cidr {
        config.pod_cidr = cidr.clone();
    }
    if let Some(cidr) = &spec.service_cidr {
        config.service_cidr = cidr.clone();
    }
    if let Some(age) = spec.age {
        config.age = age;
    }
    if let Some(on) = spec.metrics_server {
        config.metrics_server = on;
    }
    // Values were checked when the front matter was parsed
    // (`scenario::values`), the one check `check` and `run` share.
    if let Some(pool) = &spec.load_balancer_pool {
        config.network.load_balancer_pool = Some(pool.clone());
    }
    if let Some(dns) = spec.dns {
        config.network.dns = match dns {
            crate::scenario::DnsServer::CoreDns => crate::sim::config::DnsServer::CoreDns,
            crate::scenario::DnsServer::KubeDns => crate::sim::config::DnsServer::KubeDns,
        };
    }
    if let Some(kernel) = &spec.kernel {
        config.kernel = Some(kernel.clone());
    }
    if let Some(nodes) = &spec.nodes {
        config.nodes = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| NodeConfig {
                name: n.name.clone(),
                roles: n.roles.clone(),
                ip: n.ip.clone().unwrap_or_else(|| format!("192.168.200.{}", 11 + i)),
                taints: n.taints.clone(),
                age: n.age.unwrap_or(config.age),
                pod_cidr: n.pod_cidr.clone(),
                capacity: n.capacity.clone(),
                external_ip: n.external_ip.clone(),
                labels: n.labels.clone(),
            })
            .collect();
    }
    Ok(config)
}

impl Backend for SimBackend {
    fn name(&self) -> &'static str {
        "sim"
    }

    fn skip_reason(&self, line: &str, host: Option<&str>) -> Option<String> {
        let real = self
            .as_real_cluster
            .then(|| super::kubectl::real_cluster_skip_reason(line, host))
            .flatten();
        // A kwok cluster has no kubelet, simulated or real: what would
        // reach a container cannot run on it.
        let fake = profiles::is_kwok(self.cluster.config())
            .then(|| super::kubectl::fake_node_skip_reason(line))
            .flatten();
        real.or(fake)
    }

    fn set_interrupt(&mut self, interrupt: Option<kubectl::watch::Interrupt>) {
        self.interrupt = interrupt;
    }

    fn session(
        &mut self,
        invocation: Invocation<'_>,
        input: &[String],
        workspace: &Workspace,
    ) -> Result<Option<kubectl::terminal::Transcript>, BackendError> {
        let argv = invocation.argv;
        if argv.first().is_none_or(|p| p != "kubectl") {
            return Ok(None);
        }
        // Work due now (a container starting the instant its pull ends)
        // is done before the reader gets a session, as on a real cluster.
        self.cluster.run_pending(MAX_PENDING_ACTIONS);
        let mut terminal = kubectl::terminal::Terminal::new(input.to_vec());
        let output = kubectl::run_session(
            &mut self.cluster,
            &mut self.kubeconfig,
            argv,
            workspace,
            &mut terminal,
        );
        self.cluster.run_pending(MAX_PENDING_ACTIONS);
        Ok(Some(kubectl::terminal::Transcript::split(&output, &terminal)))
    }

    fn exec(
        &mut self,
        invocation: Invocation<'_>,
        workspace: &Workspace,
    ) -> Result<CommandOutput, BackendError> {
        let argv = invocation.argv;
        if profiles::is_kwok(self.cluster.config()) {
            // On a kwok cluster every pod change is an API write with no
            // delay (the `fast` stages): the controllers, the scheduler and
            // kwok are done before the reader's next command starts, so a
            // `rollout status` right after a create sees the rollout done.
            self.cluster.run_pending(MAX_PENDING_ACTIONS);
        }
        // kubectl reads what was piped into it as the file `-`.
        let piped;
        let workspace = match invocation.stdin {
            Some(stdin) => {
                piped = workspace.with_stdin(stdin);
                &piped
            }
            None => workspace,
        };
        let output = match argv[0].as_str() {
            "kubectl" => kubectl::run_in(
                &mut self.cluster,
                &mut self.kubeconfig,
                argv,
                workspace,
                self.interrupt.as_ref(),
            ),
            "kubeplay" => self.directive(&argv[1..]),
            "curl" => self.net.curl(&mut self.cluster, &argv[1..], invocation.host),
            "minikube" if let Some(kubectl) = super::hosts::minikube::kubectl_argv(argv) => {
                match kubectl {
                    Ok(kubectl) => kubectl::run_in(
                        &mut self.cluster,
                        &mut self.kubeconfig,
                        &kubectl,
                        workspace,
                        None,
                    ),
                    Err(usage) => usage,
                }
            }
            _ if let Some(out) = super::hosts::minikube::command(&self.cluster, argv) => out,
            _ if let Some(out) =
                self.hosts.exec(&mut self.cluster, argv, invocation.host, invocation.stdin) =>
            {
                out
            }
            _ if let Some(out) = self.host_command(argv, invocation.host) => out,
            // The tutorial's machine had the program; kubeplay cannot run it.
            other => CommandOutput::unsupported(format!("shell command {other}")),
        };
        if !self.is_read_only(argv) {
            // A real control plane reacts within milliseconds, before the
            // reader types the next command: run the work due now (no clock
            // movement, so pulls and grace periods stay observable).
            self.cluster.run_pending(MAX_PENDING_ACTIONS);
        }
        // Something the command (or the cluster, since the last command)
        // needed and the simulator does not model: the step cannot be
        // judged, whatever was printed.
        if output.unsupported.is_none()
            && let Some(what) = self.cluster.take_unsupported()
        {
            return Ok(CommandOutput::unsupported(what));
        }
        Ok(output)
    }

    fn spawn_job(
        &mut self,
        invocation: Invocation<'_>,
        workspace: &Workspace,
        job: u32,
    ) -> Result<super::Spawned, BackendError> {
        let argv = invocation.argv;
        let kubectl_argv = match super::hosts::minikube::kubectl_argv(argv) {
            Some(Ok(k)) => Some(k),
            Some(Err(_)) => None,
            None => (argv[0] == "kubectl").then(|| argv.to_vec()),
        };
        let pid = self.net.next_pid();
        let output = self.exec(invocation, workspace)?;
        // A port-forward or proxy that started keeps running, serving its
        // ports.
        let forwards = kubectl_argv.clone().filter(|_| output.status == 0).and_then(|k| {
            kubectl::verbs::port_forward::forwards(&self.cluster, &k, self.kubeconfig.namespace())
        });
        let proxy = kubectl_argv
            .as_ref()
            .filter(|_| output.status == 0)
            .and_then(|k| kubectl::verbs::proxy::proxy(&self.cluster, k));
        let running = forwards.is_some() || proxy.is_some();
        if let Some(forwards) = forwards {
            self.net.add(job, forwards);
        }
        if let Some(proxy) = proxy {
            self.net.add_proxy(job, proxy);
        }
        Ok(super::Spawned { pid, output, running })
    }

    fn job_output(&mut self) -> Vec<(u32, String)> {
        self.net.take_output()
    }

    fn kill_job(&mut self, job: u32) {
        self.net.remove(job);
    }

    fn is_read_only(&self, argv: &[String]) -> bool {
        // `curl` only observes (a Service's round-robin turn aside), so it
        // is retried like `get` while the tutorial's reply does not show.
        if argv.first().is_some_and(|p| p == "curl") {
            return true;
        }
        // minikube's `ip`, `status` and `service` only read.
        if argv.first().is_some_and(|p| p == "minikube")
            && argv.get(1).is_some_and(|s| matches!(s.as_str(), "ip" | "status" | "service"))
        {
            return true;
        }
        match super::hosts::minikube::kubectl_argv(argv) {
            Some(Ok(kubectl)) => kubectl::is_read_only(&kubectl),
            Some(Err(_)) => true,
            None => argv.first().is_some_and(|p| p == "kubectl") && kubectl::is_read_only(argv),
        }
    }

    fn read_fingerprint(&self, line: &str) -> Option<super::ReadFingerprint> {
        // Only a plain `kubectl get`: no pipes, redirections, expansions.
        if line.contains(|c: char| "|&;<>$`(){}*?[]~\\\n#!'\"".contains(c)) {
            return None;
        }
        // Something unmodelled is due: the run reports it, so run.
        if self.cluster.next_unsupported().is_some() {
            return None;
        }
        let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        let registry = self.cluster.registry();
        let mut kinds = kubectl::reads::get_reads(registry, &argv)?;
        // Custom kinds print the columns their definition declares.
        kinds.extend(registry.resolve("customresourcedefinitions"));
        let store = self.cluster.store();
        let mut fingerprint = vec![self.elapsed().as_nanos() as u64];
        fingerprint.extend(kinds.into_iter().map(|k| store.kind_revision(k)));
        Some(fingerprint)
    }

    fn advance(&mut self) -> Option<Duration> {
        self.cluster.step()
    }

    fn advance_for_read(&mut self, line: &str, limit: Duration) -> Option<Duration> {
        let now = self.cluster.now();
        let deadline = sim::time::add(now, limit);
        if let Some(passed) = self.cluster.step_within(deadline) {
            return Some(passed);
        }
        if !line.split_whitespace().any(|w| w == "logs") {
            return None;
        }
        let next = self.next_log_line(now)?.min(deadline);
        let passed = sim::time::since(next, now);
        self.cluster.advance(passed);
        Some(passed)
    }

    fn sleep(&mut self, duration: Duration) {
        self.cluster.advance(duration);
    }

    fn now(&self) -> Option<Timestamp> {
        Some(self.cluster.now())
    }

    fn interrupted(&self, printed: &str, running: Duration) -> bool {
        match &self.interrupt {
            // The terminal's `^C` echo may be part of what the step shows.
            Some(i) => {
                (i.printed)(printed) || (i.printed)(&format!("{printed}^C\n")) || running >= i.after
            }
            None => running >= kubectl::watch::DEFAULT_LIMIT,
        }
    }

    fn elapsed(&self) -> Duration {
        let secs = self.cluster.now().duration_since(self.started).as_secs_f64();
        Duration::try_from_secs_f64(secs.max(0.0)).unwrap_or_default()
    }
}
