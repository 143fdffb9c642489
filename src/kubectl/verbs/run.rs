//! `kubectl run NAME --image=IMAGE` (`pkg/cmd/run/run.go` with the
//! `run-pod/v1` generator, `pkg/generate/versioned/run.go`): one Pod,
//! labelled `run=NAME` unless `--labels` is given, its one container named
//! NAME; arguments after `--` become the container's `args` (its `command`
//! with `--command`).
//!
//! With `-i` (or `--attach`) kubectl waits for the pod to run and attaches
//! to its container (`handleAttachPod`, `attach.go`): the lines a tutorial
//! types at the container's prompt go to its shell
//! ([`crate::kubectl::terminal`]); `--rm` deletes the pod afterwards, and
//! with `--restart=Never|OnFailure` kubectl waits for the pod to finish
//! and exits with its container's code.
//!
//! Before v1.18 ([`Fact::KubectlRunCreatesPod`]) kubectl chose a generator
//! from the restart policy (`pkg/cmd/run/run.go` v1.17.0 `Run`): `Always`
//! (the default) made a Deployment (`deployment/apps.v1`), `OnFailure` a
//! Job (`job/v1`), `Never` the Pod; every generator but `run-pod/v1`
//! printed its deprecation line to stderr first.

use serde_json::{Map, Value, json};

use super::{Ctx, print_flags::DryRun};
use crate::{
    kubectl::{error::KubectlError, messages},
    sim::{Kind, Object, conversion},
    version::{Fact, KubeVersion},
};

/// What `kubectl run` creates before v1.18: the generator `--generator`
/// names, or else the one `--schedule` or the restart policy selects
/// (`run.go` v1.13.0-v1.17.0 `Run`; the table of generators is
/// `generate/versioned/generator.go` `DefaultGenerators("run")`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Generator {
    /// `run-pod/v1`: a Pod (the only form from v1.18).
    Pod,
    /// `run/v1` (`BasicReplicationController`): a ReplicationController.
    ReplicationController,
    /// `deployment/v1beta1`, `deployment/apps.v1beta1`,
    /// `deployment/apps.v1`: a Deployment in that API version.
    Deployment(&'static str, &'static str),
    /// `job/v1`: a Job.
    Job,
    /// `cronjob/v1beta1`, `cronjob/v2alpha1`: a CronJob in that version.
    CronJob(&'static str, &'static str),
}

impl Generator {
    /// The generator kubectl of `version` picks with `--generator=given`
    /// (empty: not given), `--schedule` and `restart`.
    fn select(
        version: KubeVersion,
        given: &str,
        schedule: &str,
        restart: &str,
    ) -> Result<Self, KubectlError> {
        if version.has(Fact::KubectlRunCreatesPod) {
            return Ok(Generator::Pod);
        }
        if given.is_empty() {
            if !schedule.is_empty() {
                return Ok(Generator::CronJob("cronjob/v1beta1", "batch/v1beta1"));
            }
            return Ok(match restart {
                "Always" => {
                    let (name, api_version) = deployment_generator(version);
                    Generator::Deployment(name, api_version)
                }
                "OnFailure" => Generator::Job,
                _ => Generator::Pod,
            });
        }
        Ok(match given {
            "run-pod/v1" => Generator::Pod,
            "run/v1" => Generator::ReplicationController,
            "deployment/v1beta1" => {
                Generator::Deployment("deployment/v1beta1", "extensions/v1beta1")
            }
            "deployment/apps.v1beta1" => {
                Generator::Deployment("deployment/apps.v1beta1", "apps/v1beta1")
            }
            "deployment/apps.v1" if version.has(Fact::RunGeneratorAppsV1) => {
                Generator::Deployment("deployment/apps.v1", "apps/v1")
            }
            "job/v1" => Generator::Job,
            "cronjob/v1beta1" => Generator::CronJob("cronjob/v1beta1", "batch/v1beta1"),
            "cronjob/v2alpha1" => Generator::CronJob("cronjob/v2alpha1", "batch/v2alpha1"),
            other => {
                return Err(KubectlError::msg(messages::usage_error(
                    &format!("generator {} not found", crate::kubectl::args::go_quote(other)),
                    "kubectl run",
                )));
            }
        })
    }

    /// The generator's name, as the deprecation line spells it.
    fn name(self) -> &'static str {
        match self {
            Generator::Pod => "run-pod/v1",
            Generator::ReplicationController => "run/v1",
            Generator::Deployment(name, _) | Generator::CronJob(name, _) => name,
            Generator::Job => "job/v1",
        }
    }
}

/// Runs `kubectl run`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    // `Complete` reads the dry-run strategy before `Run` checks anything.
    let dry_run = DryRun::from_ctx(ctx)?;
    let before_dash = inv.args_len_at_dash.unwrap_or(inv.args.len());
    if inv.args.is_empty() || before_dash == 0 {
        return Err(KubectlError::msg(messages::usage_error(
            "NAME is required for run",
            "kubectl run",
        )));
    }
    let name = inv.args[0].clone();
    // cobra already refused a missing `--image`; an empty `--image=` gets
    // here, to a plain `fmt.Errorf` (no usage hint; real kubectl 1.35.4).
    let image = inv.value("image").unwrap_or_default().to_owned();
    if image.is_empty() {
        return Err(KubectlError::msg("--image is required"));
    }
    let interactive = inv.bool("stdin");
    let tty = inv.bool("tty");
    // v1.22 `Complete`: `-i` attaches unless `--attach` is given.
    let attach = match inv.value("attach") {
        Some(_) => inv.bool("attach"),
        None => interactive,
    };
    if tty && !interactive {
        return Err(KubectlError::msg(messages::usage_error(
            "-i/--stdin is required for containers with -t/--tty=true",
            "kubectl run",
        )));
    }
    // `getRestartPolicy` (v1.17.0 to v1.22.2): without `--restart`, `-i`
    // means `OnFailure`. Applied here only where it picks the generator
    // (before v1.18); the Pod's policy for `-i` from v1.18 is still
    // `Always` here, a known difference left for a separate change.
    let restart = match inv.value("restart") {
        Some(r) => r,
        None if interactive && !Fact::KubectlRunCreatesPod.holds_at(ctx.minor) => "OnFailure",
        None => "Always",
    };
    if !matches!(restart, "Always" | "OnFailure" | "Never") {
        return Err(KubectlError::msg(format!("invalid restart policy: {restart}")));
    }
    let version = ctx.cluster.config().version;
    let generator = Generator::select(
        version,
        inv.value("generator").unwrap_or_default(),
        inv.value("schedule").unwrap_or_default(),
        restart,
    )?;
    // `--replicas` (v1.17 and before; ignored from v1.18): `Run` checks it
    // against `-i` and the restart policy before choosing a generator.
    let replicas = if version.has(Fact::KubectlRunCreatesPod) {
        // v1.18-v1.20 accept the old generator flags and ignore them
        // (pflag has warned); from v1.21 the parser rejects them.
        for ignored in ["replicas", "service-generator", "service-overrides"] {
            inv.consult(ignored);
        }
        1
    } else {
        let given = inv.value("replicas").unwrap_or("1");
        given.parse::<i64>().map_err(|_| KubectlError::msg(format!("invalid replicas {given}")))?
    };
    if interactive && replicas != 1 {
        return Err(KubectlError::msg(messages::usage_error(
            &format!("-i/--stdin requires that replicas is 1, found {replicas}"),
            "kubectl run",
        )));
    }
    if restart != "Always" && replicas != 1 {
        return Err(KubectlError::msg(messages::usage_error(
            &format!("--restart={restart} requires that --replicas=1, found {replicas}"),
            "kubectl run",
        )));
    }
    if generator != Generator::Pod && attach {
        return Err(KubectlError::unsupported(format!(
            "kubectl run attaching to what the {} generator of kubectl before v1.18 makes",
            generator.name()
        )));
    }
    if !attach && inv.bool("rm") {
        return Err(KubectlError::msg(messages::usage_error(
            "--rm should only be used for attached containers",
            "kubectl run",
        )));
    }
    if attach && dry_run != DryRun::None {
        return Err(KubectlError::msg(
            "--dry-run=[server|client] can't be used with attached containers options \
             (--attach, --stdin, or --tty)",
        ));
    }
    let mut labels = serde_json::Map::new();
    match inv.value("labels").filter(|l| !l.is_empty()) {
        Some(spec) => {
            for pair in spec.split(',') {
                let Some((k, v)) = pair.split_once('=') else {
                    return Err(KubectlError::msg(format!("invalid label spec: {pair}")));
                };
                labels.insert(k.to_owned(), json!(v));
            }
        }
        None => {
            labels.insert("run".to_owned(), json!(name));
        }
    }
    let mut container = json!({"name": name, "image": image});
    // Arguments after the name: before `--` they are extra positional
    // arguments kubectl also passes on; after it, the container's args.
    let args: Vec<String> = inv.args[1..].to_vec();
    if !args.is_empty() {
        let key = if inv.bool("command") { "command" } else { "args" };
        container[key] = json!(args);
    }
    if let Some(port) = inv.value("port").filter(|p| !p.is_empty()) {
        let port: i64 = port.parse().map_err(|_| {
            KubectlError::msg(format!(
                "strconv.Atoi: parsing {}: invalid syntax",
                crate::kubectl::args::go_quote(port)
            ))
        })?;
        container["ports"] = json!([{"containerPort": port}]);
    }
    let env: Vec<serde_json::Value> = inv
        .strings("env")
        .iter()
        .filter_map(|e| e.split_once('=').map(|(k, v)| json!({"name": k, "value": v})))
        .collect();
    if !env.is_empty() {
        container["env"] = json!(env);
    }
    if let Some(policy) = inv.value("image-pull-policy").filter(|p| !p.is_empty()) {
        container["imagePullPolicy"] = json!(policy);
    }
    // `run-pod/v1` generator: stdin, stdinOnce unless --leave-stdin-open, tty.
    if interactive {
        container["stdin"] = json!(true);
        if !inv.bool("leave-stdin-open") {
            container["stdinOnce"] = json!(true);
        }
    }
    if tty {
        container["tty"] = json!(true);
    }
    if let Generator::Deployment(generator_name, api_version) = generator {
        return run_deployment(
            ctx,
            dry_run,
            (generator_name, api_version),
            replicas,
            &name,
            labels,
            container,
        );
    }
    let pod_spec =
        json!({"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart});
    let meta = json!({"name": name, "namespace": ctx.namespace(), "labels": labels});
    let value = match generator {
        // `JobV1.Generate`: the labels on the Job and its template; the Job
        // controller's defaulting adds the selector.
        Generator::Job => json!({
            "apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
            "spec": {"template": {"metadata": {"labels": labels}, "spec": pod_spec}},
        }),
        // `BasicReplicationController.Generate`: the labels as the
        // selector and on the template; no restart policy (the server
        // defaults `Always`).
        Generator::ReplicationController => {
            let mut pod_spec = pod_spec;
            pod_spec.as_object_mut().map(|m| m.remove("restartPolicy"));
            json!({
                "apiVersion": "v1", "kind": "ReplicationController", "metadata": meta,
                "spec": {
                    "replicas": replicas, "selector": labels,
                    "template": {"metadata": {"labels": labels}, "spec": pod_spec},
                },
            })
        }
        // `CronJobV1Beta1.Generate` / `CronJobV2Alpha1.Generate`: the
        // schedule, and a Job template whose pod template has the labels.
        Generator::CronJob(_, api_version) => json!({
            "apiVersion": api_version, "kind": "CronJob", "metadata": meta,
            "spec": {
                "schedule": inv.value("schedule").unwrap_or_default(),
                "jobTemplate": {"metadata": {}, "spec": {
                    "template": {"metadata": {"labels": labels}, "spec": pod_spec},
                }},
            },
        }),
        _ => json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": pod_spec}),
    };
    if let Some(warning) =
        (generator != Generator::Pod).then(|| deprecation_warning(version, generator.name()))
    {
        ctx.stderr(warning.unwrap_or_default());
    }
    // `--dry-run=client` prints the generator's `corev1.Pod` unsent.
    let local = super::generated::local(&value, ctx.explicit_namespace(), ctx.minor);
    // Decoded as the server would: a kind the simulator stores without
    // its controller (a ReplicationController) is reported by create.
    let object =
        ctx.cluster.registry().decode(value).map_err(|e| KubectlError::msg(e.to_string()))?;
    if attach {
        let created = ctx.cluster.create(object)?;
        return super::attach::run_attached(ctx, created.name(), restart);
    }
    super::print_flags::create(ctx, dry_run, &local, object)
}

/// The generator `kubectl run` of `version` picks for restart `Always`
/// before v1.18 (`run.go` `RunRun`/`Run`), and the API version of the
/// Deployment it writes: `deployment/v1beta1` (extensions/v1beta1) in
/// v1.10, `deployment/apps.v1beta1` in v1.11–v1.12, `deployment/apps.v1`
/// from v1.13.
fn deployment_generator(version: KubeVersion) -> (&'static str, &'static str) {
    if !version.has(Fact::RunGeneratorAppsV1Beta1) {
        ("deployment/v1beta1", "extensions/v1beta1")
    } else if !version.has(Fact::RunGeneratorAppsV1) {
        ("deployment/apps.v1beta1", "apps/v1beta1")
    } else {
        ("deployment/apps.v1", "apps/v1")
    }
}

/// The warning kubectl v1.12–v1.17 prints on stderr for a generator other
/// than `run-pod/v1` (none before v1.12).
fn deprecation_warning(version: KubeVersion, generator: &str) -> Option<String> {
    if !version.has(Fact::RunDeprecationWarning) {
        return None;
    }
    let instead = if version.has(Fact::RunGeneratorAppsV1) {
        "kubectl run --generator=run-pod/v1 or kubectl create"
    } else {
        "kubectl create"
    };
    Some(format!(
        "kubectl run --generator={generator} is DEPRECATED and will be removed in a future version. Use {instead} instead.\n"
    ))
}

/// `kubectl run` before v1.18 with restart `Always`: the Deployment
/// generators (`pkg/kubectl/generate/versioned/run.go` `DeploymentV1Beta1`,
/// `DeploymentAppsV1Beta1`, `DeploymentAppsV1`): one replica, the labels
/// (`run=NAME` by default) on the Deployment, its selector and its pod
/// template, whose only container is the one `run-pod/v1` would make.
fn run_deployment(
    ctx: &mut Ctx<'_>,
    dry_run: DryRun,
    (generator, api_version): (&str, &str),
    replicas: i64,
    name: &str,
    labels: Map<String, Value>,
    container: Value,
) -> Result<(), KubectlError> {
    let version = ctx.cluster.config().version;
    if let Some(warning) = deprecation_warning(version, generator) {
        ctx.stderr(warning);
    }
    let value = json!({
        "apiVersion": api_version, "kind": "Deployment",
        "metadata": {"name": name, "namespace": ctx.namespace(), "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
        },
    });
    let local = super::generated::local(&value, ctx.explicit_namespace(), ctx.minor);
    // The API server converts the generator's version to the stored one,
    // with that version's defaults (extensions/v1beta1 keeps every old
    // ReplicaSet).
    let stored = conversion::storage_form(Kind::Deployment, value);
    let object = Object::from_value(stored).map_err(|e| KubectlError::msg(e.to_string()))?;
    // The server answers in the version the generator wrote, and the name
    // printer of v1.11+ names its group: `deployment.extensions/web
    // created` for `deployment/v1beta1` (kubectl v1.10's `PrintSuccess`
    // named the internal type's group, apps, whatever was sent).
    let group = api_version.split_once('/').map_or("", |(g, _)| g);
    if group != Kind::Deployment.info().group
        && dry_run == DryRun::None
        && ctx.inv.value("output").is_none_or(str::is_empty)
        && version.has(Fact::NamePrinterSlash)
    {
        let created = ctx.cluster.create(object)?;
        let line = messages::name_printer_in(group, Kind::Deployment, created.name(), "created");
        ctx.stdout(line);
        return Ok(());
    }
    super::print_flags::create(ctx, dry_run, &local, object)
}

#[cfg(test)]
mod tests {
    use crate::{
        kubectl::tests::{kubectl, ok},
        output::Stream,
        sim::{Cluster, profile},
        version::KubeVersion,
    };

    fn cluster(minor: u32) -> Cluster {
        let mut config = profile("kubeadm").expect("kubeadm profile");
        config.version = KubeVersion::new(1, minor, 0);
        Cluster::new(config)
    }

    const DEPRECATED_TAIL: &str = " is DEPRECATED and will be removed in a future version. \
        Use kubectl run --generator=run-pod/v1 or kubectl create instead.\n";

    /// v1.17: the restart policy picks the generator; v1.18: always a Pod.
    #[test]
    fn run_generator_by_restart_policy_before_v1_18() {
        let mut old = cluster(17);
        let out = kubectl(&mut old, "kubectl run web --image=nginx");
        assert_eq!(out.stream(Stream::Stdout), "deployment.apps/web created\n");
        assert_eq!(
            out.stream(Stream::Stderr),
            format!("kubectl run --generator=deployment/apps.v1{DEPRECATED_TAIL}")
        );
        let out = kubectl(&mut old, "kubectl run once --image=busybox --restart=OnFailure");
        assert_eq!(out.stream(Stream::Stdout), "job.batch/once created\n");
        assert_eq!(
            out.stream(Stream::Stderr),
            format!("kubectl run --generator=job/v1{DEPRECATED_TAIL}")
        );
        let out = kubectl(&mut old, "kubectl run single --image=nginx --restart=Never");
        assert_eq!(out.merged(), "pod/single created\n");
        // The Deployment selects its pods by the generator's `run=NAME`.
        assert!(
            ok(&mut old, "kubectl get deploy web -o jsonpath={.spec.selector.matchLabels.run}")
                .contains("web")
        );

        let mut new = cluster(18);
        for line in [
            "kubectl run web --image=nginx",
            "kubectl run once --image=busybox --restart=OnFailure",
        ] {
            let out = kubectl(&mut new, line);
            assert!(out.stream(Stream::Stderr).is_empty(), "{line}: {}", out.merged());
            assert!(out.stream(Stream::Stdout).starts_with("pod/"), "{line}: {}", out.merged());
        }
    }

    /// `--generator`, `--schedule` and `--replicas` before v1.18
    /// (`run.go` v1.13.0 `Run`, `generate/versioned/run.go`): the named
    /// generator's object, in its API version, named in its group.
    #[test]
    fn run_generators_before_v1_18() {
        let mut c = cluster(13);
        // `run/v1` makes a ReplicationController, whose controller the
        // simulator lacks: reported, not silently stored.
        kubectl(&mut c, "kubectl run rc --image=nginx --generator=run/v1 --replicas=2");
        let what = c.take_unsupported().unwrap_or_default();
        assert!(what.contains("ReplicationController controller"), "{what}");
        let out = kubectl(&mut c, "kubectl run old --image=nginx --generator=deployment/v1beta1");
        assert_eq!(out.stream(Stream::Stdout), "deployment.extensions/old created\n");
        let out = kubectl(&mut c, "kubectl run five --image=nginx -r 5");
        assert_eq!(out.stream(Stream::Stdout), "deployment.apps/five created\n");
        assert_eq!(ok(&mut c, "kubectl get deploy five -o jsonpath={.spec.replicas}"), "5");
        let out = kubectl(
            &mut c,
            "kubectl run cj --image=busybox --schedule=@hourly --restart=OnFailure",
        );
        assert_eq!(out.stream(Stream::Stdout), "cronjob.batch/cj created\n");
        assert_eq!(
            out.stream(Stream::Stderr),
            format!("kubectl run --generator=cronjob/v1beta1{DEPRECATED_TAIL}")
        );
        let out = kubectl(&mut c, "kubectl run pod --image=nginx --generator=run-pod/v1");
        assert_eq!(out.merged(), "pod/pod created\n");
        let out = kubectl(&mut c, "kubectl run x --image=nginx --generator=nope/v1");
        assert!(out.merged().contains("generator \"nope/v1\" not found"), "{}", out.merged());
        let out = kubectl(&mut c, "kubectl run y --image=nginx --restart=Never --replicas=2");
        assert!(
            out.merged().contains("--restart=Never requires that --replicas=1, found 2"),
            "{}",
            out.merged()
        );
        // v1.12 had no deployment/apps.v1 generator.
        let out =
            kubectl(&mut cluster(12), "kubectl run z --image=nginx --generator=deployment/apps.v1");
        assert!(out.merged().contains("not found"), "{}", out.merged());
        // v1.18-v1.20: the flags are ignored with pflag's warning; v1.21: gone.
        let out = kubectl(&mut cluster(18), "kubectl run p --image=nginx --generator=run/v1 -r 3");
        assert_eq!(
            out.merged(),
            "Flag --generator has been deprecated, has no effect and will be removed in the future.\n\
             Flag --replicas has been deprecated, has no effect and will be removed in the future.\n\
             pod/p created\n"
        );
        let out = kubectl(&mut cluster(21), "kubectl run q --image=nginx -r 3");
        assert!(out.merged().contains("unknown shorthand flag: 'r'"), "{}", out.merged());
    }

    /// Attaching to what a pre-v1.18 generator makes is not emulated: it
    /// says so instead of attaching to a Pod that real kubectl would not
    /// have created.
    #[test]
    fn run_attached_deployment_is_unsupported_before_v1_18() {
        let mut old = cluster(16);
        let out = kubectl(&mut old, "kubectl run -it shell --image=busybox --restart=Always -- sh");
        assert!(out.unsupported.is_some(), "{}", out.merged());
        assert!(ok(&mut old, "kubectl get deploy,pods").is_empty());
    }

    /// [`Fact::RunDeprecationWarning`] (v1.12) and the warning's two texts.
    #[test]
    fn run_deprecation_warning_by_version() {
        let at = |minor| {
            let version = KubeVersion::new(1, minor, 0);
            super::deprecation_warning(version, super::deployment_generator(version).0)
        };
        assert_eq!(at(10), None);
        assert_eq!(at(11), None);
        assert_eq!(
            at(12).as_deref(),
            Some(
                "kubectl run --generator=deployment/apps.v1beta1 is DEPRECATED and will be removed in a future version. Use kubectl create instead.\n"
            )
        );
        assert_eq!(
            at(13).as_deref(),
            Some(
                "kubectl run --generator=deployment/apps.v1 is DEPRECATED and will be removed in a future version. Use kubectl run --generator=run-pod/v1 or kubectl create instead.\n"
            )
        );
    }
}
