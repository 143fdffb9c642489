//! kubectl's `PrintFlags` with its dry-run strategy
//! (`cmdutil.GetDryRunStrategy`, `PrintFlagsWithDryRunStrategy`): how a
//! mutating verb prints what it did (`deployment.apps/x created (dry
//! run)`) or the object (`-o yaml|json|name|jsonpath|go-template`).

use serde_json::Value;

use super::Ctx;
use crate::{
    kubectl::{
        error::KubectlError,
        impersonation, messages,
        printers::{generic, go_json, go_struct, yaml},
    },
    sim::{Kind, Object},
    version::Fact,
};

/// `cmdutil.DryRunStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRun {
    /// Not a dry run.
    None,
    /// `--dry-run=client`: nothing is sent.
    Client,
    /// `--dry-run=server`: the server validates but stores nothing.
    Server,
}

impl DryRun {
    /// `cmdutil.GetDryRunStrategy` (v1.22). The deprecation warnings it
    /// logs for `--dry-run` and boolean values go through klog (with a
    /// timestamp and pid header) and are not reproduced.
    pub fn from_ctx(ctx: &Ctx<'_>) -> Result<DryRun, KubectlError> {
        match ctx.inv.value("dry-run").unwrap_or("none") {
            "unchanged" | "client" | "true" | "1" | "t" | "T" | "TRUE" | "True" => {
                Ok(DryRun::Client)
            }
            "server" => Ok(DryRun::Server),
            "none" | "false" | "0" | "f" | "F" | "FALSE" | "False" => Ok(DryRun::None),
            other => Err(KubectlError::msg(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            ))),
        }
    }

    /// `PrintFlagsWithDryRunStrategy`: the operation a name printer shows.
    pub fn operation(self, operation: &str) -> String {
        match self {
            DryRun::None => operation.to_owned(),
            DryRun::Client => format!("{operation} (dry run)"),
            DryRun::Server => format!("{operation} (server dry run)"),
        }
    }
}

/// Formats `-o` accepts with `PrintFlags` (JSON/YAML, name, templates).
const ALLOWED_FORMATS: &str = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/// `PrintObj` of a `PrintFlags` printer: the name printer with the
/// operation (`deployment.apps/web patched`) by default, or the object.
pub fn print_object(
    ctx: &mut Ctx<'_>,
    object: &Object,
    operation: &str,
) -> Result<(), KubectlError> {
    let output = ctx.inv.value("output").unwrap_or_default().to_owned();
    let kind = object.kind();
    match output.as_str() {
        "" => {
            let version = ctx.cluster.config().version;
            ctx.stdout(messages::success_line(version, kind, object.name(), operation))
        }
        "name" => ctx.stdout(format!("{}/{}\n", kind.info().qualified_singular(), object.name())),
        "yaml" | "json" => {
            let mut value = crate::sim::conversion::served(object, ctx.cluster.config().version);
            yaml::go_zero_values(&mut value, ctx.minor);
            let text = if output == "json" {
                let mut buf = Vec::new();
                let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
                let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
                serde::Serialize::serialize(&value, &mut ser)
                    .map_err(|e| KubectlError::msg(e.to_string()))?;
                format!("{}\n", String::from_utf8_lossy(&buf))
            } else {
                yaml::to_string_as(&value, yaml::Style::at(ctx.cluster.config().version))
            };
            ctx.stdout(text);
        }
        _ => {
            let value = crate::sim::conversion::served(object, ctx.cluster.config().version);
            template(ctx, &output, &value)?
        }
    }
    Ok(())
}

/// The generic printers (`-o jsonpath=…`, `go-template`, `custom-columns`)
/// on `value`; kubectl's error for a format none of them takes.
pub(crate) fn template(ctx: &mut Ctx<'_>, output: &str, value: &Value) -> Result<(), KubectlError> {
    let Some(printer) = generic::from_flags(output, ctx.inv.value("template"), false, ctx.minor)?
    else {
        return Err(KubectlError::msg(format!(
            "unable to match a printer suitable for the output format \"{output}\", allowed formats are: {ALLOWED_FORMATS}"
        )));
    };
    let printed = printer.print(value);
    ctx.stdout(printed.text);
    match printed.error {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// [`print_nth`] for an object kubectl read through the group `group`
/// (see [`crate::kubectl::resource::served_group`]): the name printer
/// names that group (`deployment.extensions/web scaled`). The object
/// itself as that group's version serves it (`-o yaml` of an
/// extensions/v1beta1 Deployment) is not modelled.
pub fn print_nth_in(
    ctx: &mut Ctx<'_>,
    object: &Object,
    group: Option<&str>,
    operation: &str,
    printed: usize,
) -> Result<(), KubectlError> {
    let kind = object.kind();
    let Some(group) = group.filter(|g| *g != kind.info().group) else {
        return print_nth(ctx, object, operation, printed);
    };
    let version = ctx.cluster.config().version;
    match ctx.inv.value("output").unwrap_or_default() {
        "" if version.has(Fact::NamePrinterSlash) => {
            ctx.stdout(messages::name_printer_in(group, kind, object.name(), operation))
        }
        "" => ctx.stdout(format!(
            "{}.{group} \"{}\" {operation}\n",
            kind.info().singular,
            object.name()
        )),
        "name" => ctx.stdout(format!("{}.{group}/{}\n", kind.info().singular, object.name())),
        other => {
            return Err(KubectlError::unsupported(format!(
                "`-o {other}` of a {} read through the {group} group (its {group} version's fields are not modelled)",
                kind.info().kind_name
            )));
        }
    }
    Ok(())
}

/// `PrintObj` for an object kubectl built itself and never sent
/// (`--dry-run=client`): `local` is the object as Go's encoding writes the
/// generator's struct (`creationTimestamp: null`, `status: {}`, no server
/// defaults).
pub fn print_local(
    ctx: &mut Ctx<'_>,
    local: &Value,
    kind: Kind,
    name: &str,
    operation: &str,
) -> Result<(), KubectlError> {
    let output = ctx.inv.value("output").unwrap_or_default().to_owned();
    match output.as_str() {
        "" => {
            let version = ctx.cluster.config().version;
            ctx.stdout(messages::success_line(version, kind, name, operation))
        }
        "name" => ctx.stdout(format!("{}/{name}\n", kind.info().qualified_singular())),
        "yaml" => {
            let style = yaml::Style::at(ctx.cluster.config().version);
            ctx.stdout(yaml::to_string_as(local, style))
        }
        // The generator's typed struct: Go writes its fields in declaration
        // order. A field kubeplay's table lacks is unsupported, by path.
        "json" => {
            let unsupported = |what: String| {
                KubectlError::unsupported(format!(
                    "-o json of {what} in a client dry run of {}",
                    ctx.inv.command_path()
                ))
            };
            let kind_name = kind.info().kind_name;
            let ty = go_struct::for_kind(kind_name).ok_or_else(|| unsupported(kind_name.into()))?;
            let text = go_json::to_string(local, ty)
                .map_err(|field| unsupported(format!("field {}", field.0)))?;
            ctx.stdout(text);
        }
        _ => template(ctx, &output, local)?,
    }
    Ok(())
}

/// `PrintObj` for an object read from a file and printed as kubectl read
/// it (`create -f --dry-run=client`): an unstructured map, whose keys Go
/// writes sorted in JSON as in YAML. `printed`: objects this command has
/// printed before, which `-o yaml` separates with `---`.
pub fn print_unstructured(
    ctx: &mut Ctx<'_>,
    value: &Value,
    kind: Kind,
    name: &str,
    operation: &str,
    printed: usize,
) -> Result<(), KubectlError> {
    let output = ctx.inv.value("output").unwrap_or_default().to_owned();
    match output.as_str() {
        "" => {
            let version = ctx.cluster.config().version;
            ctx.stdout(messages::success_line(version, kind, name, operation))
        }
        "name" => ctx.stdout(format!("{}/{name}\n", kind.info().qualified_singular())),
        "yaml" => {
            let style = yaml::Style::at(ctx.cluster.config().version);
            ctx.stdout(format!("{}{}", separator(printed), yaml::to_string_as(value, style)))
        }
        "json" => ctx.stdout(go_json::map_to_string(value)),
        _ => template(ctx, &output, value)?,
    }
    Ok(())
}

/// `YAMLPrinter.PrintObj`: `---` before every object but the first.
fn separator(printed: usize) -> &'static str {
    if printed > 0 { "---\n" } else { "" }
}

/// `PrintObj` of the apiserver's answer to a request one of several
/// objects made (`create -f`): [`print_object`], with `-o yaml`'s `---`
/// between objects. A server dry run's answer with `-o` is unsupported:
/// which fields the apiserver leaves unset on an object it did not store
/// is not modelled.
pub fn print_response(
    ctx: &mut Ctx<'_>,
    object: &Object,
    operation: &str,
    dry_run: DryRun,
    printed: usize,
) -> Result<(), KubectlError> {
    let output = ctx.inv.value("output").unwrap_or_default().to_owned();
    if dry_run == DryRun::Server && !output.is_empty() {
        return Err(KubectlError::unsupported(format!(
            "-o of a server dry run of {}",
            ctx.inv.command_path()
        )));
    }
    print_nth(ctx, object, operation, printed)
}

/// [`print_object`] for the `printed`-th object a command prints (`-o
/// yaml`'s `---` between objects).
pub fn print_nth(
    ctx: &mut Ctx<'_>,
    object: &Object,
    operation: &str,
    printed: usize,
) -> Result<(), KubectlError> {
    if ctx.inv.value("output") == Some("yaml") {
        ctx.stdout(separator(printed));
    }
    print_object(ctx, object, operation)
}

/// Sends a create as `dry_run` says: not at all (client: `local` is
/// printed), to a copy of the cluster (server: validated and defaulted,
/// stored nowhere), or for real. Then prints it with `-o` or the name
/// printer (`created`, `created (dry run)`, `created (server dry run)`).
pub fn create(
    ctx: &mut Ctx<'_>,
    dry_run: DryRun,
    local: &Value,
    object: Object,
) -> Result<(), KubectlError> {
    send_create(ctx, dry_run, local, object, &dry_run.operation("created"))
}

/// [`create`] with the name printer's `operation` (`exposed (dry run)`).
pub fn send_create(
    ctx: &mut Ctx<'_>,
    dry_run: DryRun,
    local: &Value,
    object: Object,
    operation: &str,
) -> Result<(), KubectlError> {
    let (kind, name) = (object.kind(), object.name().to_owned());
    if dry_run == DryRun::Client {
        // Nothing is sent: whoever `--as` names is never asked about.
        let _ = impersonation::impersonated(ctx.inv)?;
    } else {
        let ns = object.namespace().map(str::to_owned);
        impersonation::authorize(ctx.cluster, ctx.inv, "create", kind, ns.as_deref(), "")?;
    }
    match dry_run {
        DryRun::Client => print_local(ctx, local, kind, &name, operation),
        DryRun::Server => {
            // The apiserver answers a dry-run create with the object as it
            // would have stored it (uid, creationTimestamp, defaults); the
            // exact fields it leaves empty are not reproduced.
            if ctx.inv.value("output").is_some_and(|o| !o.is_empty()) {
                return Err(KubectlError::unsupported(format!(
                    "-o of a server dry run of {}",
                    ctx.inv.command_path()
                )));
            }
            let mut scratch = ctx.cluster.clone();
            let created = scratch.create(object)?;
            print_object(ctx, &created, operation)
        }
        DryRun::None => {
            let created = ctx.cluster.create(object)?;
            print_object(ctx, &created, operation)
        }
    }
}

/// Sends an update of an object kubectl read and changed on the client, as
/// `dry_run` says: not at all (client: the changed object is the result),
/// to a copy of the cluster (server: validated, stored nowhere), or for
/// real. The result is what kubectl would print with `-o`.
pub fn update(ctx: &mut Ctx<'_>, dry_run: DryRun, object: Object) -> Result<Object, KubectlError> {
    Ok(match dry_run {
        DryRun::Client => object,
        DryRun::Server => ctx.cluster.clone().update(object)?,
        DryRun::None => ctx.cluster.update(object)?,
    })
}
