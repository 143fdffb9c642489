//! `kubectl create -f` (`pkg/cmd/create/create.go`) and `kubectl create
//! deployment|namespace` (`create_deployment.go`, `create_namespace.go`).

use std::collections::BTreeMap;

use serde_json::json;

use super::Ctx;
use crate::{
    kubectl::{
        error::KubectlError,
        impersonation,
        messages::{self, files},
    },
    sim::Object,
    version::Fact,
};

/// `kubectl create -f FILE`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    if ctx.filename_options().is_empty() {
        ctx.stderr(format!("Error: {}\n\n", files::MUST_SPECIFY_FILENAME));
        if let Some(extra) = ctx.inv.args.first() {
            return Err(KubectlError::msg(messages::usage_error(
                &format!("unknown command \"{extra}\""),
                "kubectl create",
            )));
        }
        return Err(KubectlError::Exit(1));
    }
    let manifests = ctx.read_manifests_in(&ctx.namespace())?;
    if manifests.is_empty() {
        return Err(KubectlError::msg(files::NO_OBJECTS_CREATE));
    }
    let dry_run = super::print_flags::DryRun::from_ctx(ctx)?;
    let validation = crate::kubectl::field_validation::directive(ctx)?;
    let cause = record_cause(ctx);
    let mut errors = Vec::new();
    let mut printed = 0;
    let mut warned: Vec<String> = Vec::new();
    for m in manifests {
        let mut object = m.object.clone();
        ctx.warn_deprecated(&m, &mut warned);
        if let Some(cause) = &cause {
            annotate(&mut object, crate::kubectl::deployutil::CHANGE_CAUSE, cause);
        }
        // A request the cluster would make is authorized as the
        // impersonated identity (`--as`); a client dry run sends nothing.
        if dry_run != super::print_flags::DryRun::Client {
            let ns = object.namespace().map(str::to_owned);
            match impersonation::authorize(
                ctx.cluster,
                ctx.inv,
                "create",
                object.kind(),
                ns.as_deref(),
                "",
            ) {
                Ok(()) => {}
                Err(KubectlError::Api(err)) => {
                    errors.push(KubectlError::ApiFromFile {
                        err,
                        verb: "creating".into(),
                        source: m.source.clone(),
                    });
                    continue;
                }
                Err(other) => {
                    errors.push(other);
                    continue;
                }
            }
        }
        // Field validation: the server's, or before v1.25 kubectl's own.
        let client = dry_run == super::print_flags::DryRun::Client;
        if let Err(e) =
            crate::kubectl::field_validation::check(ctx, &m, "creating", validation, client)
        {
            errors.push(e);
            continue;
        }
        let operation = dry_run.operation("created");
        let result = match dry_run {
            // create.go: a client dry run sends nothing and prints the
            // object as the builder read it, an unstructured map with the
            // namespace the builder set (`SetNamespace`).
            super::print_flags::DryRun::Client => {
                let mut value = m.value.clone();
                if let Some(ns) = object.namespace() {
                    value["metadata"]["namespace"] = ns.into();
                }
                if let Some(cause) = &cause {
                    value["metadata"]["annotations"][crate::kubectl::deployutil::CHANGE_CAUSE] =
                        cause.as_str().into();
                }
                super::print_flags::print_unstructured(
                    ctx,
                    &value,
                    object.kind(),
                    object.name(),
                    &operation,
                    printed,
                )
                .map(|()| None)
            }
            super::print_flags::DryRun::Server => {
                ctx.cluster.clone().create(object).map(Some).map_err(KubectlError::from)
            }
            super::print_flags::DryRun::None => {
                ctx.cluster.create(object).map(Some).map_err(KubectlError::from)
            }
        };
        match result {
            Ok(None) => printed += 1,
            // The server answers in the version the request used: a
            // manifest of a deprecated group is named in that group.
            Ok(Some(created))
                if ctx.inv.value("output").is_none_or(str::is_empty)
                    && m.group() != created.kind().info().group =>
            {
                let text = messages::name_printer_in(
                    m.group(),
                    created.kind(),
                    created.name(),
                    &operation,
                );
                ctx.stdout(text);
                printed += 1;
            }
            Ok(Some(created)) => {
                super::print_flags::print_response(ctx, &created, &operation, dry_run, printed)?;
                printed += 1;
            }
            Err(KubectlError::Api(err)) => errors.push(KubectlError::ApiFromFile {
                err,
                verb: "creating".into(),
                source: m.source,
            }),
            Err(other) => return Err(other),
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

/// The change-cause to record, when `--record` is set.
pub fn record_cause(ctx: &Ctx<'_>) -> Option<String> {
    ctx.inv.bool("record").then(|| crate::kubectl::args::change_cause(ctx.argv, ctx.inv))
}

/// Sets one annotation on an object.
pub fn annotate(object: &mut Object, key: &str, value: &str) {
    object
        .meta_mut()
        .annotations
        .get_or_insert_with(BTreeMap::new)
        .insert(key.to_owned(), value.to_owned());
}

/// `NameFromCommandArgs`.
pub(super) fn name_arg(ctx: &Ctx<'_>) -> Result<String, KubectlError> {
    let count = ctx.inv.args_len_at_dash.unwrap_or(ctx.inv.args.len());
    if count != 1 {
        return Err(KubectlError::msg(messages::usage_error(
            &messages::exactly_one_name(count),
            &ctx.inv.command_path(),
        )));
    }
    Ok(ctx.inv.args[0].clone())
}

/// `kubectl create deployment NAME --image=I [--replicas=N] [--port=P] [-- CMD...]`.
pub fn deployment(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    // Before v1.19 `create deployment` had only `--image`
    // ([`Fact::CreateDeploymentPortAndReplicas`]): pflag rejects the first
    // of the newer flags on the command line, before anything runs.
    if !Fact::CreateDeploymentPortAndReplicas.holds_at(ctx.minor)
        && let Some(flag) = ctx.argv.iter().find_map(|a| {
            ["--replicas", "--port"]
                .into_iter()
                .find(|f| a == f || a.strip_prefix(f).is_some_and(|rest| rest.starts_with('=')))
        })
    {
        return Err(KubectlError::Cobra {
            message: messages::flag_error(
                &format!("unknown flag: {flag}"),
                &ctx.inv.command_path(),
            ),
            run_hint: false,
        });
    }
    let name = name_arg(ctx)?;
    let command: Vec<String> = ctx.inv.args.iter().skip(1).cloned().collect();
    let images = ctx.inv.strings("image");
    if images.len() > 1 && !command.is_empty() {
        return Err(KubectlError::msg("cannot specify multiple --image options and command"));
    }
    let replicas = ctx.inv.int("replicas").unwrap_or(1);
    let port = ctx.inv.int("port").unwrap_or(-1);
    let dry_run = super::print_flags::DryRun::from_ctx(ctx)?;
    let mut containers: Vec<serde_json::Value> = images
        .iter()
        .map(|image| {
            let mut c = json!({"name": container_name(image), "image": image});
            if !command.is_empty() {
                c["command"] = json!(command);
            }
            c
        })
        .collect();
    if port >= 0
        && let Some(first) = containers.first_mut()
    {
        first["ports"] = json!([{"containerPort": port}]);
    }
    let value = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ctx.namespace(), "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": containers}
            }
        }
    });
    // What `--dry-run=client` prints: the generator's `appsv1.Deployment`
    // (`createDeployment` in create_deployment.go).
    let local = super::generated::local(&value, ctx.explicit_namespace(), ctx.minor);
    let object = Object::from_value(value).map_err(|e| KubectlError::msg(e.to_string()))?;
    match super::print_flags::create(ctx, dry_run, &local, object) {
        Err(KubectlError::Api(err)) => {
            // The API error is wrapped with fmt.Errorf, which keeps only the
            // Status message: `failed to create deployment: deployments.apps
            // "x" already exists`, `… Deployment.apps "Web" is invalid: …`
            // (not kubectl's `The Deployment "Web" is invalid` rewording).
            Err(KubectlError::msg(messages::failed_to_create_deployment(&err.to_string())))
        }
        other => other,
    }
}

/// `buildPodSpec`: the image's last path segment without tag or digest;
/// names with `.` or `_` are sanitised and get a 5-character suffix
/// (random in kubectl, derived from the image here for determinism).
pub fn container_name(image: &str) -> String {
    let mut name = image.rsplit('/').next().unwrap_or(image).to_owned();
    if let Some((n, _)) = name.split_once(':') {
        name = n.to_owned();
    }
    if let Some((n, _)) = name.split_once('@') {
        name = n.to_owned();
    }
    if name.contains(['_', '.']) {
        name = name.replace(['_', '.'], "-");
        name = format!("{name}-{}", suffix(image));
    }
    name
}

fn suffix(seed: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h: u64 = 0xcbf29ce484222325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    (0..5).map(|i| ALPHABET[((h >> (i * 12)) % ALPHABET.len() as u64) as usize] as char).collect()
}

/// `kubectl create namespace NAME`.
pub fn namespace(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let dry_run = super::print_flags::DryRun::from_ctx(ctx)?;
    let name = name_arg(ctx)?;
    let value = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}});
    let local = super::generated::local(&value, false, ctx.minor);
    let object = Object::from_value(value).map_err(|e| KubectlError::msg(e.to_string()))?;
    super::print_flags::create(ctx, dry_run, &local, object)
}

#[cfg(test)]
mod tests {
    use super::container_name;

    #[test]
    fn container_names_like_kubectl() {
        assert_eq!(container_name("nginx"), "nginx");
        assert_eq!(container_name("nginx:1.7.9"), "nginx");
        assert_eq!(container_name("registry.k8s.io/hpa-example@sha256:abc"), "hpa-example");
        assert!(container_name("k8s.gcr.io/echo_server:1.0").starts_with("echo-server-"));
    }
}
