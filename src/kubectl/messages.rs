//! Every kubectl message format kubeplay prints, defined once, each with the
//! kubectl source it mirrors (v1.22 unless noted).

use crate::{
    sim::Kind,
    version::{Fact, KubeVersion},
};

/// `cli-runtime/pkg/printers/name.go`: `<kind>[.<group>]/<name> <operation>`.
pub fn name_printer(kind: Kind, name: &str, operation: &str) -> String {
    format!("{}/{name} {operation}\n", kind.info().qualified_singular())
}

/// The success line of a mutating verb as kubectl of `version` printed it:
/// the name printer (`deployment.apps/x created`), or before v1.11
/// `cmdutil.PrintSuccess` (`pkg/kubectl/cmd/util/printing.go`, v1.10.0):
/// `deployment.apps "x" created` ([`Fact::NamePrinterSlash`]).
pub fn success_line(version: KubeVersion, kind: Kind, name: &str, operation: &str) -> String {
    if version.has(Fact::NamePrinterSlash) {
        name_printer(kind, name, operation)
    } else {
        format!("{} \"{name}\" {operation}\n", kind.info().qualified_singular())
    }
}

/// The name printer for an object the server answered in `group` (the
/// group of the version the request used: `deployment.extensions/web`
/// for a manifest of extensions/v1beta1).
pub fn name_printer_in(group: &str, kind: Kind, name: &str, operation: &str) -> String {
    let singular = kind.info().singular;
    if group.is_empty() {
        format!("{singular}/{name} {operation}\n")
    } else {
        format!("{singular}.{group}/{name} {operation}\n")
    }
}

/// `cli-runtime/pkg/printers/name.go` without an operation (`rollout
/// history`'s header): `deployment.apps/x ` — note the trailing space.
pub fn name_printer_bare(kind: Kind, name: &str) -> String {
    format!("{}/{name} ", kind.info().qualified_singular())
}

/// `pkg/cmd/delete/delete.go` `PrintObj`: `<kind>[.<group>] "<name>" deleted`
/// (`... deleted from <ns> namespace` from v1.34, see [`delete_operation`]).
pub fn deleted(kind: Kind, name: &str, namespace: Option<&str>, minor: u32) -> String {
    deleted_as(kind, name, &delete_operation("deleted", namespace, minor))
}

/// `DeleteOptions.PrintObj`'s operation for an object in `namespace`:
/// from kubectl v1.34 a namespaced object's is `deleted from <ns>
/// namespace` (`force deleted from ...`), before the dry-run suffix.
pub fn delete_operation(operation: &str, namespace: Option<&str>, minor: u32) -> String {
    match namespace {
        Some(ns) if Fact::DeleteNamesNamespace.holds_at(minor) => {
            format!("{operation} from {ns} namespace")
        }
        _ => operation.to_owned(),
    }
}

/// `DeleteOptions.PrintObj` with its operation (`deleted (dry run)`).
pub fn deleted_as(kind: Kind, name: &str, operation: &str) -> String {
    format!("{} \"{name}\" {operation}\n", kind.info().qualified_singular())
}

/// [`deleted_as`] for an object deleted through the API group `group`
/// (kubectl's REST mapping of the typed resource, see
/// [`super::resource::served_group`]): `deployment.extensions "web"
/// deleted`.
pub fn deleted_as_in(group: Option<&str>, kind: Kind, name: &str, operation: &str) -> String {
    match group {
        Some(group) if group != kind.info().group => {
            let singular = kind.info().singular;
            if group.is_empty() {
                format!("{singular} \"{name}\" {operation}\n")
            } else {
                format!("{singular}.{group} \"{name}\" {operation}\n")
            }
        }
        _ => deleted_as(kind, name, operation),
    }
}

/// `pkg/cmd/delete/delete.go` `Validate`, `--grace-period=0 --force`. v1.22
/// writes `warning:` in lower case; the WarningPrinter (v1.25+) `Warning:`.
pub fn immediate_deletion_warning(minor: u32) -> String {
    let prefix = if Fact::WarningPrinter.holds_at(minor) { "Warning" } else { "warning" };
    format!(
        "{prefix}: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n"
    )
}

/// `pkg/cmd/get/get.go`: nothing printed for a namespaced request.
pub fn no_resources_in_namespace(namespace: &str) -> String {
    format!("No resources found in {namespace} namespace.\n")
}

/// What `get` prints when it printed nothing: `namespace` is the namespace
/// of a namespaced request, `None` for cluster-scoped or `-A`.
pub fn get_found_nothing(minor: u32, namespace: Option<&str>) -> String {
    match namespace {
        _ if !Fact::NoResourcesNamesNamespace.holds_at(minor) => "No resources found.\n".to_owned(),
        Some(namespace) => no_resources_in_namespace(namespace),
        None => NO_RESOURCES.to_owned(),
    }
}

/// What `describe` prints when nothing matched: nothing at all before
/// kubectl v1.18 ([`Fact::DescribeReportsNoResources`]).
pub fn describe_found_nothing(minor: u32, namespace: Option<&str>) -> String {
    match namespace {
        _ if !Fact::DescribeReportsNoResources.holds_at(minor) => String::new(),
        Some(namespace) => no_resources_in_namespace(namespace),
        None => NO_RESOURCES.to_owned(),
    }
}

/// `pkg/cmd/get/get.go` / `delete.go`: nothing found (cluster-scoped or
/// `-A`).
pub const NO_RESOURCES: &str = "No resources found\n";

/// `cmdutil.checkErr` for a `NoResourceMatchError`.
pub fn unknown_resource_type(name: &str) -> String {
    format!("the server doesn't have a resource type \"{name}\"")
}

/// `cmdutil.UsageErrorf`.
pub fn usage_error(message: &str, command_path: &str) -> String {
    format!("{message}\nSee '{command_path} -h' for help and examples")
}

/// `templates.FlagErrorFunc`: a pflag error plus the help hint.
pub fn flag_error(message: &str, command_path: &str) -> String {
    format!("{message}\nSee '{command_path} --help' for usage.")
}

/// cobra `legacyArgs` / `findSuggestions`.
pub fn unknown_command(name: &str, suggestions: &[&str]) -> String {
    let mut out = format!("unknown command \"{name}\" for \"kubectl\"");
    if !suggestions.is_empty() {
        out.push_str("\n\nDid you mean this?\n");
        for s in suggestions {
            out.push_str(&format!("\t{s}\n"));
        }
    }
    out
}

/// cobra `ExecuteC` after a failed `Find`.
pub const RUN_HELP_HINT: &str = "Run 'kubectl --help' for usage.\n";

/// `pkg/cmd/cmd.go` `HandlePluginCommand`.
pub fn flags_before_plugin(flag: &str) -> String {
    format!("flags cannot be placed before plugin name: {flag}")
}

/// cobra `validateRequiredFlags`.
pub fn required_flags(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    format!("required flag(s) {} not set", quoted.join(", "))
}

/// `cmdutil.SuggestAPIResources`.
pub const SUGGEST_API_RESOURCES: &str =
    "Use \"kubectl api-resources\" for a complete list of supported resources.";

/// `pkg/cmd/get/get.go` `Run` without arguments: the stderr preamble.
pub fn get_requires_type_preamble() -> String {
    format!("You must specify the type of resource to get. {SUGGEST_API_RESOURCES}\n\n")
}

/// `pkg/cmd/get/get.go` `Run` without arguments: the usage error.
pub const GET_REQUIRED_RESOURCE: &str = "Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).";

/// `pkg/cmd/describe/describe.go` `Complete` without arguments.
pub fn describe_requires_type() -> String {
    format!("You must specify the type of resource to describe. {SUGGEST_API_RESOURCES}\n")
}

/// `cli-runtime/pkg/resource/builder.go` `missingResourceError`.
pub const MISSING_RESOURCE: &str = "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// `builder.go`: a type without a name where names are required.
pub const NO_NAME_SPECIFIED: &str = "resource(s) were provided, but no name was specified";

/// `builder.go` `hasCombinedTypeArgs`.
pub const MIXED_TYPE_NAME_ARGS: &str = "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

/// `builder.go` `splitResourceTypeName`.
pub const TOO_MANY_SLASHES: &str =
    "arguments in resource/name form may not have more than one slash";

/// `builder.go` `splitResourceTypeName`.
pub const SINGLE_RESOURCE_AND_NAME: &str =
    "arguments in resource/name form must have a single resource and name";

/// `cmd/create/create.go` `NameFromCommandArgs`.
pub fn exactly_one_name(count: usize) -> String {
    format!("exactly one NAME is required, got {count}")
}

/// `cmd/create/create_deployment.go` `Run`: the API error is wrapped.
pub fn failed_to_create_deployment(err: &str) -> String {
    format!("failed to create deployment: {err}")
}

/// `cmd/scale/scale.go` `Validate`.
pub const SCALE_REPLICAS_REQUIRED: &str =
    "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0";

/// `cmd/scale/scale.go` `RunScale`.
pub const NO_OBJECTS_TO_SCALE: &str = "no objects passed to scale";

/// `pkg/scale/scale.go` precondition failure.
pub fn scale_precondition(expected: i64, actual: i32) -> String {
    format!("Expected replicas to be {expected}, was {actual}")
}

/// `cmd/autoscale/autoscale.go` `Validate`.
pub fn autoscale_max_required(max: i64) -> String {
    format!("--max=MAXPODS is required and must be at least 1, max: {max}")
}

/// `cmd/autoscale/autoscale.go` `Validate`.
pub fn autoscale_max_below_min(max: i64, min: i64) -> String {
    format!("--max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}")
}

/// `cmd/autoscale/autoscale.go` `Run`: the kind has no scale subresource.
pub fn cannot_autoscale(kind: &str, group: &str, version: &str, plural: &str) -> String {
    format!(
        "cannot autoscale a {kind}: could not find scale subresource for {group}/{version}, Resource={plural} in discovery information"
    )
}

/// `polymorphichelpers/canbeexposed.go`.
pub fn cannot_expose(kind: &str) -> String {
    format!("cannot expose a {kind}")
}

/// `cmd/expose/expose.go`: no port given and none found on the object.
pub const EXPOSE_NO_PORT: &str = "couldn't find port via --port flag or introspection";

/// `polymorphichelpers/mapbasedselectorforobject.go` for selectors with
/// expressions.
pub fn expose_selector_expressions(detail: &str) -> String {
    format!(
        "couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - \"{detail}\" to map-based selector format"
    )
}

/// `cmd/set/set_image.go`.
pub fn container_not_found(name: &str) -> String {
    format!("unable to find container named \"{name}\"")
}

/// `cmd/set/set_image.go` `Validate`.
pub const SET_IMAGE_NEEDS_IMAGES: &str = "at least one image update is required";

/// `polymorphichelpers/objectpauser.go`.
pub fn already_paused(kind: Kind, name: &str) -> String {
    format!("{} \"{name}\" is already paused", kind.info().group_resource())
}

/// `polymorphichelpers/objectresumer.go`.
pub fn not_paused(kind: Kind, name: &str) -> String {
    format!("{} \"{name}\" is not paused", kind.info().group_resource())
}

/// `polymorphichelpers/rollback.go`.
pub fn rollback_paused(name: &str, minor: u32) -> String {
    if Fact::RollbackPausedWording.holds_at(minor) {
        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".to_owned()
    } else {
        format!(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/{name}' and try again"
        )
    }
}

/// `polymorphichelpers/objectrestarter.go`.
pub const RESTART_PAUSED: &str = "can't restart paused deployment (run rollout resume first)";

/// `cmd/apply/apply.go` `warningNoLastAppliedConfigAnnotation`.
pub fn apply_missing_annotation(object_name: &str) -> String {
    format!(
        "Warning: resource {object_name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"
    )
}

/// `resource` builder: the namespace in a file differs from `-n`.
pub fn namespace_mismatch(file_ns: &str, flag_ns: &str) -> String {
    format!(
        "the namespace from the provided object \"{file_ns}\" does not match the namespace \"{flag_ns}\". You must pass '--namespace={file_ns}' to perform this operation."
    )
}

/// `polymorphichelpers/rollback.go`.
pub fn rollback_revision_not_found(revision: i64) -> String {
    format!("unable to find specified revision {revision} in history")
}

/// `polymorphichelpers/rollback.go`.
pub fn rollback_no_history(name: &str) -> String {
    format!("no rollout history found for deployment \"{name}\"")
}

/// `polymorphichelpers/rollback.go`: the target equals the current template.
pub fn rollback_skipped(kind: Kind, name: &str, revision: i64) -> String {
    format!(
        "{}/{name} skipped rollback (current template already matches revision {revision})\n",
        kind.info().qualified_singular()
    )
}

/// `polymorphichelpers/history.go`.
pub const HISTORY_REVISION_NOT_FOUND: &str = "unable to find the specified revision";

/// `polymorphichelpers/history.go`.
pub const NO_ROLLOUT_HISTORY: &str = "No rollout history found.\n";

/// `cmd/rollout/rollout_history.go` with `--revision`.
pub fn history_with_revision(kind: Kind, name: &str, revision: i64) -> String {
    format!("{}/{name} with revision #{revision}\n", kind.info().qualified_singular())
}

/// `polymorphichelpers/rollout_status.go` (deployments).
pub mod rollout_status {
    /// Generation not yet observed.
    pub const SPEC_UPDATE: &str = "Waiting for deployment spec update to be observed...\n";

    /// Progress deadline exceeded.
    pub fn deadline_exceeded(name: &str) -> String {
        format!("deployment \"{name}\" exceeded its progress deadline")
    }

    /// New replicas still being updated.
    pub fn updated(name: &str, updated: i32, desired: i32) -> String {
        format!(
            "Waiting for deployment \"{name}\" rollout to finish: {updated} out of {desired} new replicas have been updated...\n"
        )
    }

    /// Old replicas pending termination.
    pub fn old_pending(name: &str, pending: i32) -> String {
        format!(
            "Waiting for deployment \"{name}\" rollout to finish: {pending} old replicas are pending termination...\n"
        )
    }

    /// Updated replicas not all available.
    pub fn available(name: &str, available: i32, updated: i32) -> String {
        format!(
            "Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...\n"
        )
    }

    /// Done.
    pub fn done(name: &str) -> String {
        format!("deployment \"{name}\" successfully rolled out\n")
    }
}

/// `polymorphichelpers/rollout_status.go` `DaemonSetStatusViewer`.
pub mod daemonset_rollout_status {
    /// Any strategy but RollingUpdate (the code names the StatefulSet
    /// constant, whose value is the same `RollingUpdate`).
    pub const ONLY_ROLLING_UPDATE: &str =
        "rollout status is only available for RollingUpdate strategy type";

    /// Generation not yet observed.
    pub const SPEC_UPDATE: &str = "Waiting for daemon set spec update to be observed...\n";

    /// Nodes still running an old pod (or none).
    pub fn updated(name: &str, updated: i32, desired: i32) -> String {
        format!(
            "Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {desired} new pods have been updated...\n"
        )
    }

    /// Updated everywhere, not yet available everywhere.
    pub fn available(name: &str, available: i32, desired: i32) -> String {
        format!(
            "Waiting for daemon set \"{name}\" rollout to finish: {available} of {desired} updated pods are available...\n"
        )
    }

    /// Done.
    pub fn done(name: &str) -> String {
        format!("daemon set \"{name}\" successfully rolled out\n")
    }
}

/// `polymorphichelpers/rollout_status.go` `StatefulSetStatusViewer`.
pub mod statefulset_rollout_status {
    /// Any strategy but RollingUpdate.
    pub const ONLY_ROLLING_UPDATE: &str =
        "rollout status is only available for RollingUpdate strategy type";

    /// Generation not yet observed.
    pub const SPEC_UPDATE: &str = "Waiting for statefulset spec update to be observed...\n";

    /// Fewer ready pods than replicas.
    pub fn ready(missing: i32) -> String {
        format!("Waiting for {missing} pods to be ready...\n")
    }

    /// Fewer updated pods than above the partition.
    pub fn partitioned_waiting(updated: i32, target: i32) -> String {
        format!(
            "Waiting for partitioned roll out to finish: {updated} out of {target} new pods have been updated...\n"
        )
    }

    /// Every pod above the partition updated.
    pub fn partitioned_done(updated: i32) -> String {
        format!("partitioned roll out complete: {updated} new pods have been updated...\n")
    }

    /// The update revision is not yet the current one.
    pub fn rolling_waiting(updated: i32, revision: &str) -> String {
        format!(
            "waiting for statefulset rolling update to complete {updated} pods at revision {revision}...\n"
        )
    }

    /// Done.
    pub fn rolling_done(current: i32, revision: &str) -> String {
        format!("statefulset rolling update complete {current} pods at revision {revision}...\n")
    }
}

/// `polymorphichelpers/rollback.go` `DaemonSetRollbacker`: `undo` without
/// `--to-revision` and a single ControllerRevision.
pub const NO_LAST_REVISION: &str = "no last revision to roll back to";

/// `cmd/apply/apply.go` and `create.go`: file errors.
/// The resource builder's `visitorResult`: `-f` and resource arguments
/// together.
pub const PATHS_AND_RESOURCE_ARGS: &str = "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well";

pub mod files {
    /// `builder.go` `FilenameParam`.
    pub fn path_does_not_exist(path: &str) -> String {
        format!("the path \"{path}\" does not exist")
    }

    /// `builder.go` `Path`: a directory without a file the builder reads
    /// (`FileExtensions`), printed as Go prints the slice of paths.
    pub fn no_recognized_files(path: &str) -> String {
        format!("error reading [{path}]: recognized file extensions are [.json .yaml .yml]")
    }

    /// `builder.go` `FilenameOptions.validate`.
    pub const F_AND_K: &str = "only one of -f or -k can be specified";

    /// `builder.go` `FilenameOptions.validate`.
    pub const K_AND_R: &str = "the -k flag can't be used with -f or -R";

    /// `resource/visitor.go` `StreamVisitor` after a YAML syntax error.
    pub fn parse_error(path: &str, detail: &str) -> String {
        format!("error parsing {path}: error converting YAML to JSON: {detail}")
    }

    /// `resource/mapper.go` `infoForData` for an unknown kind.
    pub fn unable_to_recognize(path: &str, detail: &str) -> String {
        format!("unable to recognize \"{path}\": {detail}")
    }

    /// `resource/mapper.go` `infoForData` for a kind no API serves, from
    /// v1.24.
    pub fn resource_mapping_not_found(
        name: &str,
        namespace: &str,
        path: &str,
        detail: &str,
    ) -> String {
        format!(
            "resource mapping not found for name: \"{name}\" namespace: \"{namespace}\" from \"{path}\": {detail}\nensure CRDs are installed first"
        )
    }

    /// `cmd/apply/apply.go` / `create.go`: nothing in the files.
    pub const NO_OBJECTS: &str = "no objects passed to apply";

    /// `create.go`.
    pub const NO_OBJECTS_CREATE: &str = "no objects passed to create";

    /// `cmdutil.AddSourceToErr`: an error while handling a file's object.
    pub fn with_source(verb: &str, source: &str, err: &str) -> String {
        format!("error when {verb} \"{source}\": {err}")
    }

    /// `create.go` / `apply.go` without `-f`.
    pub const MUST_SPECIFY_FILENAME: &str = "must specify one of -f and -k";

    /// Client-side validation (`--validate=true`) of a manifest.
    pub fn validation(path: &str, detail: &str) -> String {
        format!(
            "error validating \"{path}\": error validating data: {detail}; if you choose to ignore these errors, turn validation off with --validate=false"
        )
    }
}
