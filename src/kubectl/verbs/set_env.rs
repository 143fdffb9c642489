//! `kubectl set env` (`pkg/cmd/set/set_env.go` and `pkg/cmd/set/env/`
//! `env_parse.go`, `env_resolve.go`): adds, changes and removes the
//! environment variables of a workload's containers, or lists them.
//!
//! A changed pod template rolls a Deployment out like any other template
//! change; the controllers do that, not this verb.

use k8s_openapi::api::core::v1::{ConfigMapKeySelector, EnvVar, EnvVarSource, SecretKeySelector};

use super::{Ctx, print_flags::DryRun, set};
use crate::{
    kubectl::{error::KubectlError, resource},
    sim::{Kind, Object, ObjectRef},
    version::Fact,
};

/// `validation.IsEnvVarName`'s message (`k8s.io/apimachinery` validation).
const ENV_NAME_ERROR: &str = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/// Runs `kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let dry_run = DryRun::from_ctx(ctx)?;
    let inv = ctx.inv;
    // `SplitEnvironmentFromResources`: resources first, then changes.
    let Some((resources, env_args)) = split_env_from_resources(&inv.args) else {
        return Err(KubectlError::msg(format!(
            "all resources must be specified before environment changes: {}",
            inv.args.join(" ")
        )));
    };
    let list = inv.bool("list");
    let from = inv.value("from").unwrap_or_default().to_owned();
    let keys = inv.strings("keys");
    // `Validate`.
    if inv.bool("local") && dry_run == DryRun::Server {
        return Err(KubectlError::msg(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    if inv.strings("filename").is_empty() && resources.is_empty() {
        return Err(KubectlError::msg(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    if list && inv.value("output").is_some_and(|o| !o.is_empty()) {
        return Err(KubectlError::msg("--list and --output may not be specified together"));
    }
    if !keys.is_empty() && from.is_empty() {
        return Err(KubectlError::msg(
            "when specifying --keys, a configmap or secret must be provided with --from",
        ));
    }
    // `--resolve` is left unread: the flag audit reports it unsupported.
    let mut specs = inv.strings("env");
    specs.extend(env_args.iter().cloned());
    let (mut env, remove) = parse_env(&specs)?;
    if !from.is_empty() {
        env.extend(env_from(ctx, &from, &keys)?);
    }
    if let Some(prefix) = inv.value("prefix").filter(|p| !p.is_empty()) {
        for e in &mut env {
            e.name = format!("{prefix}{}", e.name);
        }
    }
    let pattern = inv.value("containers").unwrap_or("*").to_owned();
    let overwrite = inv.value("overwrite").is_none_or(|v| v != "false");
    let mut errors = Vec::new();
    for before in set::server_targets(ctx, &resources, "kubectl set env")? {
        let kind = before.kind();
        let name = before.name().to_owned();
        let mut object = before.clone();
        let Some(spec) = set::pod_spec_mut(&mut object) else {
            errors.push(set::no_pod_template(kind, &name));
            continue;
        };
        let containers = set::pod_containers(spec, &pattern);
        if containers.is_empty() {
            let message = format!(
                "{}/{name} does not have any containers matching {}",
                kind.info().kind_name,
                crate::kubectl::args::go_quote(&pattern)
            );
            warn(ctx, &message);
            continue;
        }
        let mut failed = None;
        for c in containers {
            if !overwrite && let Some(e) = overwritten(c.env.as_deref().unwrap_or_default(), &env) {
                failed = Some(e);
                break;
            }
            let updated = update_env(c.env.take().unwrap_or_default(), &env, &remove);
            if list {
                ctx.stdout(format!("# {} {name}, container {}\n", kind.info().kind_name, c.name));
                for e in &updated {
                    ctx.stdout(list_line(e));
                }
            }
            c.env = (!updated.is_empty()).then_some(updated);
        }
        if let Some(e) = failed {
            errors.push(KubectlError::msg(format!("error: {}/{name} {e}\n", kind.info().plural)));
            continue;
        }
        if list || object == before {
            continue;
        }
        let result = super::print_flags::update(ctx, dry_run, object)?;
        super::print_flags::print_object(ctx, &result, &dry_run.operation("env updated"))?;
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

/// `IsEnvironmentArgument` (`^(.+)=(.*)$`) or a removal (`KEY-`).
fn is_env_arg(arg: &str) -> bool {
    arg.find('=').is_some_and(|i| i > 0) || arg.ends_with('-')
}

/// `SplitEnvironmentFromResources`: the resource arguments, then the
/// environment changes; `None` when a resource follows a change.
fn split_env_from_resources(args: &[String]) -> Option<(Vec<String>, Vec<String>)> {
    let first_env = args.iter().position(|a| is_env_arg(a)).unwrap_or(args.len());
    let (resources, env) = args.split_at(first_env);
    env.iter().all(|a| is_env_arg(a)).then(|| (resources.to_vec(), env.to_vec()))
}

/// `ParseEnv`: the variables to set and the names to remove.
fn parse_env(specs: &[String]) -> Result<(Vec<EnvVar>, Vec<String>), KubectlError> {
    let mut env = Vec::new();
    let mut remove = Vec::new();
    for spec in specs {
        if spec == "-" {
            return Err(KubectlError::unsupported("environment from stdin of kubectl set env"));
        }
        if let Some((name, value)) = spec.split_once('=') {
            if !valid_env_name(name) {
                return Err(KubectlError::msg(format!(
                    "{} is not a valid key name: {ENV_NAME_ERROR}",
                    crate::kubectl::args::go_quote(name)
                )));
            }
            env.push(EnvVar {
                name: name.to_owned(),
                value: Some(value.to_owned()),
                ..Default::default()
            });
        } else if let Some(name) = spec.strip_suffix('-') {
            remove.push(name.to_owned());
        } else {
            return Err(KubectlError::msg(format!("unknown environment variable: {spec}")));
        }
    }
    if remove.iter().any(|r| env.iter().any(|e| &e.name == r)) {
        return Err(KubectlError::msg(
            "can not both modify and remove the same environment variable in the same command",
        ));
    }
    Ok((env, remove))
}

/// `validation.IsEnvVarName`: `[-._a-zA-Z][-._a-zA-Z0-9]*`.
fn valid_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || "-._".contains(c))
        && chars.all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
}

/// `set env`'s warnings on stderr: `warning: …` written by the command
/// itself, `Warning: …` through kubectl's WarningPrinter from v1.25
/// ([`Fact::SetEnvWarningPrinter`]).
fn warn(ctx: &mut Ctx<'_>, message: &str) {
    let prefix = if ctx.has(Fact::SetEnvWarningPrinter) { "Warning" } else { "warning" };
    ctx.stderr(format!("{prefix}: {message}\n"));
}

/// `keyToEnvName`: upper case, with every character an environment
/// variable name cannot hold replaced by `_`.
fn key_to_env_name(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c.to_ascii_uppercase() } else { '_' })
        .collect()
}

/// The variables `--from=configmap/NAME|secret/NAME` adds: one reference
/// per key (those in `--keys`, if given). Go walks the data map in random
/// order; kubeplay takes the keys sorted, one of the orders kubectl prints.
fn env_from(ctx: &mut Ctx<'_>, from: &str, keys: &[String]) -> Result<Vec<EnvVar>, KubectlError> {
    let namespace = ctx.namespace();
    let wanted = |k: &str| keys.is_empty() || keys.iter().any(|x| x == k);
    let mut out = Vec::new();
    for request in resource::parse(ctx.cluster.registry(), &[from.to_owned()], false)? {
        let resource::Request::Named(kind, name) = request else {
            return Err(KubectlError::unsupported("kubectl set env --from without a name"));
        };
        let object = ctx.cluster.get(&ObjectRef::namespaced(kind, &namespace, &name))?;
        let source = |key: &str| match kind {
            Kind::Secret => EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: name.clone(),
                    key: key.to_owned(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            _ => EnvVarSource {
                config_map_key_ref: Some(ConfigMapKeySelector {
                    name: name.clone(),
                    key: key.to_owned(),
                    ..Default::default()
                }),
                ..Default::default()
            },
        };
        let data_keys: Vec<String> = match object {
            Object::ConfigMap(cm) => cm.data.iter().flatten().map(|(k, _)| k.clone()).collect(),
            Object::Secret(s) => s.data.iter().flatten().map(|(k, _)| k.clone()).collect(),
            _ => return Err(KubectlError::msg("unsupported resource specified in --from")),
        };
        for key in data_keys.iter().filter(|k| wanted(k)) {
            let env_name = key_to_env_name(key);
            // `keyToEnvName` says when a key does not name its variable as is.
            if env_name != *key && ctx.has(Fact::SetEnvKeyTransferredWarning) {
                warn(ctx, &format!("key {key} transferred to {env_name}"));
            }
            out.push(EnvVar {
                name: env_name,
                value_from: Some(source(key)),
                ..Default::default()
            });
        }
    }
    Ok(out)
}

/// The containers, then the init containers, that `-c` selects.
/// `validateNoOverwrites`: the error for a variable `--overwrite=false`
/// would change.
fn overwritten(existing: &[EnvVar], env: &[EnvVar]) -> Option<String> {
    env.iter().find_map(|e| {
        let old = existing.iter().find(|x| x.name == e.name)?;
        (old != e).then(|| {
            format!(
                "'{}' already has a value ({}), and --overwrite is false",
                e.name,
                old.value.as_deref().unwrap_or_default()
            )
        })
    })
}

/// `updateEnv`: existing variables keep their place (replaced in place when
/// set again, dropped when removed); new ones are appended in order.
fn update_env(existing: Vec<EnvVar>, env: &[EnvVar], remove: &[String]) -> Vec<EnvVar> {
    let mut covered: Vec<String> = remove.to_vec();
    let mut out = Vec::new();
    for e in existing {
        if covered.contains(&e.name) {
            continue;
        }
        if let Some(newer) = env.iter().find(|n| n.name == e.name) {
            covered.push(e.name.clone());
            out.push(newer.clone());
            continue;
        }
        out.push(e);
    }
    for e in env {
        if covered.contains(&e.name) {
            continue;
        }
        covered.push(e.name.clone());
        out.push(e.clone());
    }
    out
}

/// One line of `--list`: `NAME=VALUE`, or a comment naming the reference
/// (`envutil.GetEnvVarRefString`) for a `valueFrom`.
fn list_line(e: &EnvVar) -> String {
    let Some(from) = &e.value_from else {
        return format!("{}={}\n", e.name, e.value.as_deref().unwrap_or_default());
    };
    let what = if let Some(r) = &from.config_map_key_ref {
        format!("configmap {}, key {}", r.name, r.key)
    } else if let Some(r) = &from.secret_key_ref {
        format!("secret {}, key {}", r.name, r.key)
    } else if let Some(r) = &from.field_ref {
        format!("field path {}", r.field_path)
    } else if let Some(r) = &from.resource_field_ref {
        let container = r.container_name.as_deref().filter(|c| !c.is_empty());
        format!(
            "resource field {}{}",
            container.map(|c| format!("{c}/")).unwrap_or_default(),
            r.resource
        )
    } else {
        "invalid valueFrom".to_owned()
    };
    format!("# {} from {what}\n", e.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn resources_come_before_changes() {
        let (r, e) = split_env_from_resources(&strings(&["deploy/a", "A=1", "B-"])).unwrap();
        assert_eq!((r, e), (strings(&["deploy/a"]), strings(&["A=1", "B-"])));
        assert!(split_env_from_resources(&strings(&["deploy/x", "X=1", "deploy/y"])).is_none());
    }

    #[test]
    fn update_keeps_places_and_appends() {
        let var = |n: &str, v: &str| EnvVar {
            name: n.into(),
            value: Some(v.into()),
            ..Default::default()
        };
        let out = update_env(
            vec![var("A", "1"), var("B", "2"), var("C", "3")],
            &[var("B", "9"), var("D", "4")],
            &strings(&["A"]),
        );
        assert_eq!(out, vec![var("B", "9"), var("C", "3"), var("D", "4")]);
    }

    #[test]
    fn key_names_become_env_names() {
        assert_eq!(key_to_env_name("game.properties"), "GAME_PROPERTIES");
        assert_eq!(key_to_env_name("special-how"), "SPECIAL_HOW");
        assert!(!valid_env_name("x y"));
        assert!(!valid_env_name("1A"));
        assert!(valid_env_name("my.env-name"));
    }
}
