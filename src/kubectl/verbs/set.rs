//! `kubectl set image` (`pkg/cmd/set/set_image.go`), and what the `set`
//! subcommands share: the objects they change (`set_env.go`,
//! `set_resources.go`, ... build them with the same resource builder).

use super::Ctx;
use crate::{
    kubectl::{
        deployutil::CHANGE_CAUSE,
        error::KubectlError,
        messages,
        resource::{self, Request},
    },
    sim::{Kind, Object, ObjectRef},
};

/// Runs `kubectl set image RESOURCE CONTAINER=IMAGE...`.
pub fn image(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let dry_run = super::print_flags::DryRun::from_ctx(ctx)?;
    let (pairs, resources): (Vec<String>, Vec<String>) =
        ctx.inv.args.iter().cloned().partition(|a| a.contains('='));
    if pairs.is_empty() {
        return Err(KubectlError::msg(messages::usage_error(
            messages::SET_IMAGE_NEEDS_IMAGES,
            "kubectl set image",
        )));
    }
    let images: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|p| p.split_once('='))
        .map(|(c, i)| (c.to_owned(), i.to_owned()))
        .collect();
    let namespace = ctx.namespace();
    let cause = super::create::record_cause(ctx);
    let mut errors = Vec::new();
    let local = ctx.inv.bool("local");
    let filenames = ctx.inv.strings("filename");
    // The objects to change, each with the file's text of it (`--local`).
    // The group kubectl's REST mapper resolved each typed resource to
    // ([`resource::served_group`]): the name printer names it.
    let mut targets: Vec<(Object, Option<serde_json::Value>, Option<&'static str>)> = Vec::new();
    if local {
        // set_image.go `Validate`/`Complete`.
        if dry_run == super::print_flags::DryRun::Server {
            return Err(KubectlError::msg(
                "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
            ));
        }
        if !resources.is_empty() {
            return Err(KubectlError::msg(
                "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
            ));
        }
        if filenames.is_empty() {
            return Err(KubectlError::msg(
                "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
            ));
        }
        for m in super::metadata::local_files(ctx)? {
            targets.push((m.object, Some(m.value), None));
        }
    } else {
        if !filenames.is_empty() {
            return Err(KubectlError::unsupported(
                "flag --filename of kubectl set image without --local",
            ));
        }
        let words = resource::typed_words(&resources);
        let requests = resource::parse(ctx.cluster.registry(), &resources, false)?;
        for (i, request) in requests.into_iter().enumerate() {
            let Request::Named(kind, name) = request else { continue };
            let group =
                words.get(i).and_then(|w| resource::served_group(ctx.cluster.registry(), w));
            let r = ObjectRef::namespaced(kind, &namespace, &name);
            targets.push((ctx.cluster.get(&r)?.clone(), None, group));
        }
    }
    for (before, file, group) in targets {
        let (kind, name) = (before.kind(), before.name().to_owned());
        let mut object = before.clone();
        // A StatefulSet is stored generically: its template is edited in
        // its typed form.
        let mut set: Option<k8s_openapi::api::apps::v1::StatefulSet> = (kind
            == crate::sim::controllers::statefulset::sts_kind())
        .then(|| serde_json::from_value(object.to_value()).ok())
        .flatten();
        let spec = match set.as_mut() {
            Some(set) => set.spec.as_mut().and_then(|s| s.template.spec.as_mut()),
            None => pod_spec_mut(&mut object),
        };
        let Some(spec) = spec else {
            errors.push(no_pod_template(kind, &name));
            continue;
        };
        for (container, image) in &images {
            let mut found = false;
            for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
                if container == "*" || &c.name == container {
                    c.image = Some(image.clone());
                    found = true;
                }
            }
            if !found {
                errors.push(KubectlError::msg(format!(
                    "error: {}",
                    messages::container_not_found(container)
                )));
            }
        }
        if let Some(set) = set {
            let mut value = serde_json::to_value(&set).unwrap_or_default();
            value["apiVersion"] = "apps/v1".into();
            value["kind"] = "StatefulSet".into();
            object = Object::from_value_as(kind, value)
                .map_err(|e| KubectlError::msg(format!("error: {e}")))?;
        }
        if let Some(cause) = &cause {
            super::create::annotate(&mut object, CHANGE_CAUSE, cause);
        }
        if let Some(file) = file {
            // `--local` prints the object as changed on the client, as the
            // typed struct Go encodes (the generators' zero values), with
            // the namespace only if the file had one.
            if !matches!(kind, Kind::Deployment | Kind::Pod | Kind::Job | Kind::CronJob) {
                return Err(KubectlError::unsupported(format!(
                    "kubectl set image --local of a {}",
                    kind.info().kind_name
                )));
            }
            let mut value = super::generated::local(&object.to_value(), true, ctx.minor);
            match (file["metadata"].get("namespace"), value["metadata"].as_object_mut()) {
                (Some(ns), Some(meta)) => {
                    meta.insert("namespace".into(), ns.clone());
                }
                (None, Some(meta)) => {
                    meta.remove("namespace");
                }
                _ => {}
            }
            let operation = dry_run.operation("image updated");
            super::print_flags::print_local(ctx, &value, kind, &name, &operation)?;
            continue;
        }
        if object == before {
            continue;
        }
        // `--dry-run=client` prints the object as changed on the client.
        let result = super::print_flags::update(ctx, dry_run, object)?;
        let operation = dry_run.operation("image updated");
        super::print_flags::print_nth_in(ctx, &result, group, &operation, 0)?;
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

/// `UpdatePodSpecForObject`: the pod spec a workload carries.
pub fn pod_spec_mut(object: &mut Object) -> Option<&mut k8s_openapi::api::core::v1::PodSpec> {
    match object {
        Object::Pod(p) => p.spec.as_mut(),
        Object::Deployment(d) => d.spec.as_mut().and_then(|s| s.template.spec.as_mut()),
        Object::ReplicaSet(rs) => {
            rs.spec.as_mut().and_then(|s| s.template.as_mut()).and_then(|t| t.spec.as_mut())
        }
        Object::DaemonSet(ds) => ds.spec.as_mut().and_then(|s| s.template.spec.as_mut()),
        Object::Job(j) => j.spec.as_mut().and_then(|s| s.template.spec.as_mut()),
        Object::CronJob(cj) => cj
            .spec
            .as_mut()
            .and_then(|s| s.job_template.spec.as_mut())
            .and_then(|j| j.template.spec.as_mut()),
        _ => None,
    }
}

/// The objects a `kubectl set` subcommand changes, as its resource builder
/// finds them: `TYPE NAME`, `TYPE/NAME`, or `TYPE` with `--all` / `-l`
/// (`ResourceTypeOrNameArgs(o.All, args...)` plus `LabelSelectorParam`).
/// `--local` and `-f` are left to the caller (`verb` names it when it is
/// not emulated).
pub fn server_targets(
    ctx: &Ctx<'_>,
    resources: &[String],
    verb: &str,
) -> Result<Vec<Object>, KubectlError> {
    if ctx.inv.bool("local") || !ctx.inv.strings("filename").is_empty() {
        return Err(KubectlError::unsupported(format!("flags --local and --filename of {verb}")));
    }
    let namespace = ctx.namespace();
    let selector = match ctx.inv.value("selector").filter(|s| !s.is_empty()) {
        Some(s) => Some(crate::kubectl::labels::Selector::parse(s).map_err(KubectlError::msg)?),
        None => None,
    };
    let select_all = ctx.inv.bool("all") || selector.is_some();
    let mut out = Vec::new();
    for request in resource::parse(ctx.cluster.registry(), resources, select_all)? {
        match request {
            Request::Named(kind, name) => {
                // A cluster-scoped kind (`set subject clusterrolebinding`).
                let r = if kind.info().namespaced {
                    ObjectRef::namespaced(kind, &namespace, &name)
                } else {
                    ObjectRef::cluster(kind, &name)
                };
                out.push(ctx.cluster.get(&r)?.clone());
            }
            Request::List(kind) => {
                let ns = kind.info().namespaced.then_some(namespace.as_str());
                for o in ctx.cluster.list(kind, ns) {
                    if selector.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref())) {
                        out.push(o.clone());
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The error for a resource without a pod template (`UpdatePodSpecForObject`).
pub fn no_pod_template(kind: crate::sim::Kind, name: &str) -> KubectlError {
    KubectlError::msg(format!(
        "error: {}/{name} the object is not a pod or does not have a pod template",
        kind.info().plural
    ))
}

/// The app and init containers of `spec` whose name matches the `-c`
/// pattern, app containers first.
pub fn pod_containers<'a>(
    spec: &'a mut k8s_openapi::api::core::v1::PodSpec,
    pattern: &str,
) -> Vec<&'a mut k8s_openapi::api::core::v1::Container> {
    let mut out = select_containers(&mut spec.containers, pattern);
    if let Some(init) = spec.init_containers.as_mut() {
        out.extend(select_containers(init, pattern));
    }
    out
}

/// `selectContainers`: the containers whose name matches the `-c` pattern
/// (a `filepath.Match` glob; `*` by default).
pub fn select_containers<'a>(
    containers: &'a mut [k8s_openapi::api::core::v1::Container],
    pattern: &str,
) -> Vec<&'a mut k8s_openapi::api::core::v1::Container> {
    containers.iter_mut().filter(|c| glob_matches(pattern, &c.name)).collect()
}

/// Go's `filepath.Match` for the patterns container selectors use: `*`
/// (any run of characters) and `?` (one character).
fn glob_matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some(('*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some(('?', rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}
