//! `kubectl get` (`kubectl/pkg/cmd/get/get.go` `Run`): one table per run of
//! consecutive requests of the same kind, a blank line between tables, the
//! `kind/` name prefix when several kinds are printed, `No resources found`
//! on stderr when nothing was printed, and errors (NotFound, ...) after the
//! tables.

use super::Ctx;
use crate::{
    kubectl::{
        error::KubectlError,
        fields::FieldSelector,
        impersonation,
        labels::Selector,
        messages,
        printers::{
            generic,
            layout::{self, GET},
            table::{self, PrintOptions},
        },
        resource::Request,
        sort, watch,
    },
    sim::{ApiError, Kind, Object, ObjectRef},
    version::Fact,
};

/// One result of a request (an `Info`): the objects of one kind it returned.
struct Info {
    kind: Kind,
    objects: Vec<Object>,
}

/// `kubectl get --raw PATH` (`rawhttp.RawGet`): the body as the API
/// server sends it to a client that does not ask for pretty-printing; a
/// Status error is client-go's error, printed by `CheckErr`.
fn raw(ctx: &mut Ctx<'_>, path: &str) -> Result<(), KubectlError> {
    use crate::sim::api::raw::{self, RawError};
    // kubectl's User-Agent (`rest.DefaultKubernetesUserAgent`).
    let agent =
        format!("kubectl/{} (linux/amd64) kubernetes/unknown", ctx.cluster.config().version);
    match raw::get(ctx.cluster, path, &agent) {
        Ok(r) if r.code < 300 => {
            ctx.stdout(r.body);
            Ok(())
        }
        Ok(r) => Err(KubectlError::unsupported(format!(
            "kubectl's error for the {} reply of GET {path}",
            r.code
        ))),
        Err(RawError::Api(e)) => Err(KubectlError::Api(e)),
        Err(RawError::Unsupported(what)) => Err(KubectlError::unsupported(what)),
    }
}

/// Runs `kubectl get`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    // `--raw` sends a request to a path as is (`RawOptions`) and prints
    // the body ([`crate::sim::api::raw`] says which paths are served).
    if inv.changed("raw") {
        return raw(ctx, inv.value("raw").unwrap_or_default());
    }
    let watching = inv.bool("watch") || inv.bool("watch-only");
    if watching && inv.value("sort-by").is_some_and(|s| !s.is_empty()) {
        ctx.stderr("warning: --watch or --watch-only requested, --sort-by will be ignored\n");
    }
    if inv.args.is_empty() && ctx.filename_options().is_empty() && watching {
        // The builder's `missingResourceError` (`cli-runtime/pkg/resource/builder.go`).
        return Err(KubectlError::msg(messages::MISSING_RESOURCE));
    }
    if inv.args.is_empty() && ctx.filename_options().is_empty() {
        ctx.stderr(messages::get_requires_type_preamble());
        return Err(KubectlError::msg(messages::usage_error(
            messages::GET_REQUIRED_RESOURCE,
            "kubectl get",
        )));
    }
    let output = inv.value("output").unwrap_or_default().to_owned();
    let workspace = ctx.workspace;
    let template = generic::from_flags_reading(
        &output,
        inv.value("template"),
        inv.bool("no-headers"),
        ctx.minor,
        &|path| workspace.read(path).map(str::to_owned),
    )?;
    if template.is_none() && !matches!(output.as_str(), "" | "wide" | "name" | "yaml" | "json") {
        return Err(KubectlError::msg(format!(
            "unable to match a printer suitable for the output format \"{output}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
        )));
    }
    // `GetOptions.Validate`.
    if inv.bool("show-labels") && !matches!(output.as_str(), "" | "wide") {
        return Err(KubectlError::msg(format!(
            "--show-labels option cannot be used with {output} printer"
        )));
    }
    if inv.bool("output-watch-events") && !watching {
        const MESSAGE: &str =
            "--output-watch-events option can only be used with --watch or --watch-only";
        return Err(KubectlError::msg(if ctx.has(Fact::OutputWatchEventsPlainError) {
            MESSAGE.to_owned()
        } else {
            messages::usage_error(MESSAGE, "kubectl get")
        }));
    }
    let all_namespaces = inv.bool("all-namespaces");
    let namespace = ctx.namespace();
    let selector = match inv.value("selector") {
        Some(s) => Some(Selector::parse(s).map_err(KubectlError::msg)?),
        None => None,
    };
    let field_selector = match inv.value("field-selector") {
        Some(s) => Some(FieldSelector::parse(s).map_err(ApiError::BadRequest)?),
        None => None,
    };
    let files = !ctx.filename_options().is_empty();
    if files && watching {
        return Err(KubectlError::unsupported("kubectl get --watch with -f"));
    }
    let targets = ctx.requests_in(&namespace)?;
    let requests: Vec<Request> = targets.iter().map(|(r, _)| r.clone()).collect();
    if all_namespaces
        && !files
        && requests.iter().any(|r| matches!(r, Request::Named(k, _) if k.info().namespaced))
    {
        return Err(KubectlError::msg(
            "a resource cannot be retrieved by name across all namespaces",
        ));
    }
    if (selector.is_some() || field_selector.is_some())
        && requests.iter().any(|r| matches!(r, Request::Named(..)))
    {
        return Err(KubectlError::msg("name cannot be provided when a selector is specified"));
    }

    if watching {
        return watch(ctx, &requests, template, &output, selector, field_selector);
    }

    let mut infos: Vec<Info> = Vec::new();
    let mut errors: Vec<KubectlError> = Vec::new();
    for (request, request_namespace) in &targets {
        let kind = request.kind();
        let ns = kind.info().namespaced.then_some(request_namespace.as_str());
        let (verb, scope, name) = match request {
            Request::List(_) => ("list", if all_namespaces { None } else { ns }, ""),
            Request::Named(_, name) => ("get", ns, name.as_str()),
        };
        if let Err(e) = impersonation::authorize(ctx.cluster, inv, verb, kind, scope, name) {
            errors.push(e);
            continue;
        }
        ctx.warn_deprecated_kind(kind);
        match request {
            Request::List(kind) => {
                if let Some(fs) = &field_selector {
                    let labels = inv.value("selector").unwrap_or_default();
                    if let Err(message) = fs.validate(*kind, labels) {
                        errors.push(ApiError::BadRequest(message).into());
                        continue;
                    }
                }
                let scope = if all_namespaces { None } else { ns };
                let objects = ctx
                    .cluster
                    .list(*kind, scope)
                    .into_iter()
                    .filter(|o| {
                        selector.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref()))
                            && field_selector.as_ref().is_none_or(|f| f.matches(o))
                    })
                    .cloned()
                    .collect();
                infos.push(Info { kind: *kind, objects });
            }
            Request::Named(kind, name) => {
                let r = match ns {
                    Some(ns) => ObjectRef::namespaced(*kind, ns, name),
                    None => ObjectRef::cluster(*kind, name),
                };
                match ctx.cluster.get(&r) {
                    Ok(o) => infos.push(Info { kind: *kind, objects: vec![o.clone()] }),
                    Err(e) if inv.bool("ignore-not-found") && e.reason() == "NotFound" => {}
                    Err(e) => errors.push(as_requested(e, inv.args.first(), ctx).into()),
                }
            }
        }
    }

    let sort_field = inv.value("sort-by").filter(|s| !s.is_empty());
    if let Some(field) = sort_field
        && !matches!(output.as_str(), "" | "wide")
    {
        infos = sort_generic(infos, field)?;
    }
    // get.go `Run` returns through `printGeneric` for every non-table
    // printer, before the "No resources found" notice: `-o name` of an empty
    // list prints nothing at all.
    let (written, human) = match (&template, output.as_str()) {
        (Some(printer), _) => (print_template(ctx, &infos, &requests, printer)?, false),
        (None, "name") => (print_names(ctx, &infos), false),
        (None, "yaml" | "json") => (print_structured(ctx, &infos, &requests, &output)?, false),
        _ => (print_tables(ctx, &infos, output == "wide", all_namespaces, sort_field)?, true),
    };

    if human && !written && errors.is_empty() && !inv.bool("ignore-not-found") {
        let all_namespaced = !all_namespaces && infos.iter().all(|i| i.kind.info().namespaced);
        let scope = all_namespaced.then_some(namespace.as_str());
        ctx.stderr(messages::get_found_nothing(ctx.minor, scope));
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

/// `get -w`: one kind only (the builder's `SingleResourceType`), one
/// collection or named object.
fn watch(
    ctx: &mut Ctx<'_>,
    requests: &[Request],
    template: Option<generic::TemplatePrinter>,
    output: &str,
    selector: Option<Selector>,
    fields: Option<FieldSelector>,
) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let kind = requests[0].kind();
    if requests.iter().any(|r| r.kind() != kind) {
        return Err(KubectlError::msg("you may only specify a single resource type"));
    }
    if let Some(fs) = &fields
        && let Err(message) = fs.validate(kind, inv.value("selector").unwrap_or_default())
    {
        return Err(ApiError::BadRequest(message).into());
    }
    let all_namespaces = inv.bool("all-namespaces");
    let namespace = kind.info().namespaced.then(|| ctx.namespace());
    let name = match &requests[0] {
        Request::Named(_, name) => Some(name.clone()),
        Request::List(_) => None,
    };
    let target = watch::Target {
        kind,
        namespace: if all_namespaces && name.is_none() { None } else { namespace },
        name,
        selector,
        fields,
    };
    let format = match (template, output) {
        (Some(t), _) => watch::Format::Template(t),
        (None, "name") => watch::Format::Name(qualified_kind(kind)),
        (None, "yaml") => watch::Format::Yaml,
        (None, "json") => watch::Format::Json,
        _ => watch::Format::Table(PrintOptions {
            wide: output == "wide",
            with_namespace: all_namespaces && kind.info().namespaced,
            with_kind: inv.bool("show-kind"),
            no_headers: inv.bool("no-headers"),
            show_labels: inv.bool("show-labels"),
            label_columns: inv.strings("label-columns"),
        }),
    };
    ctx.warn_deprecated_kind(kind);
    watch::run(ctx, target, format, inv.bool("watch-only"), inv.bool("output-watch-events"))
}

/// `--sort-by` for generic output: every object of the list, in order
/// (`SortingPrinter.sortObj`).
fn sort_generic(infos: Vec<Info>, field: &str) -> Result<Vec<Info>, KubectlError> {
    let mut items: Vec<(serde_json::Value, (Kind, Object))> = infos
        .into_iter()
        .flat_map(|i| i.objects.into_iter().map(move |o| (o.to_value(), (i.kind, o))))
        .collect();
    sort::sort_by(&mut items, field, sort::Mode::Generic)?;
    Ok(items.into_iter().map(|(_, (kind, o))| Info { kind, objects: vec![o] }).collect())
}

/// What `printGeneric` prints: the one object of a single named request
/// (`None` when it was not found), else a `List` of everything found. The
/// List's metadata is copied from an empty `corev1.List`: `selfLink` and
/// `resourceVersion` both empty, `selfLink` gone from kubectl 1.24
/// ([`Fact::GenericListWithoutSelfLink`]).
fn generic_object(
    ctx: &Ctx<'_>,
    objects: Vec<serde_json::Value>,
    requests: &[Request],
) -> Option<serde_json::Value> {
    let single = requests.len() == 1 && matches!(requests[0], Request::Named(..));
    if single {
        return objects.into_iter().next();
    }
    let metadata = if ctx.has(Fact::GenericListWithoutSelfLink) {
        serde_json::json!({"resourceVersion": ""})
    } else {
        serde_json::json!({"resourceVersion": "", "selfLink": ""})
    };
    Some(serde_json::json!({
        "apiVersion": "v1",
        "items": objects,
        "kind": "List",
        "metadata": metadata,
    }))
}

/// `-o jsonpath` / `-o custom-columns`: the one object of a single named
/// request, else a `List` of everything found (`printGeneric`). Always
/// counts as written: template printers print nothing for an empty list.
///
/// Known difference: real kubectl hands the templates the objects with
/// their `managedFields` (only the JSON and YAML printers drop them,
/// `OmitManagedFieldsPrinter` in cli-runtime's `json_yaml_flags.go`), so a
/// go-template's debugging dump shows them. kubeplay models the managed
/// fields of objects written by kubectl only (not the controllers'
/// entries), and adding them here would make most template steps
/// unsupported; the templates see the objects without them.
fn print_template(
    ctx: &mut Ctx<'_>,
    infos: &[Info],
    requests: &[Request],
    printer: &generic::TemplatePrinter,
) -> Result<bool, KubectlError> {
    let objects: Vec<serde_json::Value> =
        infos.iter().flat_map(|i| i.objects.iter().map(|o| served(ctx, o))).collect();
    let Some(data) = generic_object(ctx, objects, requests) else { return Ok(true) };
    let printed = printer.print(&data);
    ctx.stdout(printed.text);
    match printed.error {
        Some(err) => Err(err),
        None => Ok(true),
    }
}

/// Human-readable tables; returns whether anything was written.
fn print_tables(
    ctx: &mut Ctx<'_>,
    infos: &[Info],
    wide: bool,
    all_namespaces: bool,
    sort_field: Option<&str>,
) -> Result<bool, KubectlError> {
    let inv = ctx.inv;
    let with_kind = inv.bool("show-kind") || infos.iter().any(|i| i.kind != infos[0].kind);
    let env = ctx.env();
    // From kubectl 1.15 `Run`'s `RuntimeSorter` gets the responses as they
    // came, unstructured `Table`s: with more than one response (several
    // types, several names) it sorts the Tables themselves, whose path is
    // looked up in the Table objects (`apiVersion`, `kind`, `metadata:
    // {resourceVersion}`), and a path of the listed objects is in none of
    // them (real kubectl 1.35.4: `get pods,deployments --sort-by=.metadata.name`
    // fails).
    if let Some(field) = sort_field
        && infos.len() > 1
        && env.has(Fact::SortByTableErrorIgnored)
    {
        let table = serde_json::json!({
            "apiVersion": "meta.k8s.io/v1", "kind": "Table", "metadata": {"resourceVersion": ""},
        });
        let mut tables: Vec<(serde_json::Value, ())> =
            infos.iter().map(|_| (table.clone(), ())).collect();
        sort::sort_by(&mut tables, field, sort::Mode::Generic)?;
    }
    let mut written = 0usize;
    let mut separator = false;
    let mut i = 0;
    while i < infos.len() {
        // Requests of one kind in a row share a printer and one tabwriter
        // flush (`shouldGetNewPrinterForMapping`).
        let kind = infos[i].kind;
        let mut objects: Vec<&Object> = Vec::new();
        while i < infos.len() && infos[i].kind == kind {
            objects.extend(infos[i].objects.iter());
            i += 1;
        }
        if let Some(field) = sort_field {
            let mut keyed: Vec<(serde_json::Value, &Object)> =
                objects.iter().map(|o| (o.to_value(), *o)).collect();
            match sort::sort_by(&mut keyed, field, sort::Mode::Table) {
                Ok(()) => objects = keyed.into_iter().map(|(_, o)| o).collect(),
                // From kubectl 1.15 the table is sorted by the printer
                // (`SortingPrinter`), and `Run` ignores what
                // `printer.PrintObj` returns: the kind prints nothing.
                Err(_) if env.has(Fact::SortByTableErrorIgnored) => continue,
                Err(e) => return Err(e),
            }
        }
        if written > 0 {
            separator = true;
        }
        let opts = PrintOptions {
            wide,
            with_namespace: all_namespaces && kind.info().namespaced,
            with_kind,
            no_headers: inv.bool("no-headers"),
            show_labels: inv.bool("show-labels"),
            label_columns: inv.strings("label-columns"),
        };
        let text = table::render_text(&table::table(kind, &objects, &env), &opts);
        if text.is_empty() {
            continue;
        }
        let mut block = layout::layout(&text, GET);
        if separator {
            block.insert(0, '\n');
            separator = false;
        }
        written += block.len();
        ctx.stdout(block);
    }
    Ok(written > 0)
}

/// `-o name`: `<kind>[.<group>]/<name>` per object.
fn print_names(ctx: &mut Ctx<'_>, infos: &[Info]) -> bool {
    let mut text = String::new();
    for info in infos {
        for o in &info.objects {
            text.push_str(&format!("{}/{}\n", qualified_kind(info.kind), o.name()));
        }
    }
    let written = !text.is_empty();
    ctx.stdout(text);
    written
}

/// `strings.ToLower(kind) + "." + group`.
fn qualified_kind(kind: Kind) -> String {
    let info = kind.info();
    if info.group.is_empty() {
        info.kind_name.to_lowercase()
    } else {
        format!("{}.{}", info.kind_name.to_lowercase(), info.group)
    }
}

/// The object as the API server serves it to this request: in the group's
/// preferred version, or in the group-version the type named
/// (`horizontalpodautoscalers.v1.autoscaling`, recorded with kubectl 1.28
/// and 1.33 against kube-apiserver v1.28.15 and v1.33.13;
/// `events.events.k8s.io`, the group's preferred version). HPAs and
/// Events are the kinds stored in a shape other than one they are served
/// in ([`crate::sim::hpa_conversion`], [`crate::sim::event_conversion`]).
fn served(ctx: &Ctx<'_>, object: &Object) -> serde_json::Value {
    let version = ctx.cluster.config().version;
    ctx.inv
        .args
        .first()
        .and_then(|word| explicit_api_version(word, version))
        .and_then(|api_version| crate::sim::conversion::served_in(object, &api_version, version))
        .unwrap_or_else(|| crate::sim::conversion::served(object, version))
}

/// The error as the API server words it for the group the request named:
/// an Event asked for through events.k8s.io is not found as
/// `events.events.k8s.io` (the request's group-resource), though stored
/// as a core Event.
fn as_requested(
    e: crate::sim::ApiError,
    word: Option<&String>,
    ctx: &Ctx<'_>,
) -> crate::sim::ApiError {
    let version = ctx.cluster.config().version;
    match (e, word.and_then(|w| explicit_api_version(w, version))) {
        (crate::sim::ApiError::NotFound { kind, name }, Some(api_version)) => {
            let group = api_version.split('/').next().unwrap_or_default();
            let kind = if group == kind.info().group {
                kind
            } else {
                crate::sim::registry::builtin_kind(group, kind.info().plural)
            };
            crate::sim::ApiError::NotFound { kind, name }
        }
        (e, _) => e,
    }
}

/// The group-version a resource word asks for when that changes what is
/// served: `horizontalpodautoscalers.v1.autoscaling` (only with its
/// version), `events.events.k8s.io` (the group's preferred version) or
/// `events.v1beta1.events.k8s.io`.
pub(crate) fn explicit_api_version(
    word: &str,
    version: crate::version::KubeVersion,
) -> Option<String> {
    let word = word.split('/').next()?;
    let (resource, rest) = word.split_once('.')?;
    let discovery = crate::sim::api::discovery::Discovery::for_minor(version.minor());
    let (group, v) = match rest.split_once('.') {
        Some((v, group)) if discovery.preferred_version(group).is_some() => (group, Some(v)),
        _ => (rest, None),
    };
    match (resource, group) {
        ("horizontalpodautoscalers", "autoscaling") => Some(format!("autoscaling/{}", v?)),
        ("events" | "event" | "ev", "events.k8s.io") => {
            let v = v.or_else(|| discovery.preferred_version(group))?;
            Some(format!("events.k8s.io/{v}"))
        }
        _ => None,
    }
}

/// Whether `-o yaml|json` prints `metadata.managedFields`: objects carry
/// them from v1.16; kubectl drops them from v1.21 unless
/// `--show-managed-fields`.
fn show_managed_fields(ctx: &Ctx<'_>) -> bool {
    ctx.has(Fact::ManagedFieldsInResponses)
        && (!ctx.has(Fact::GetHidesManagedFields) || ctx.inv.bool("show-managed-fields"))
}

/// Puts the object's managed fields into its served form (after
/// `resourceVersion`'s siblings: the YAML and JSON printers sort keys).
fn with_managed_fields(
    ctx: &Ctx<'_>,
    object: &Object,
    value: &mut serde_json::Value,
) -> Result<(), KubectlError> {
    let entries = ctx
        .cluster
        .managed_fields(object)
        .map_err(|why| KubectlError::unsupported(why.describe(&object.object_ref())))?;
    let entries: Vec<serde_json::Value> =
        entries.into_iter().map(|e| serde_json::Value::Object(e.into_iter().collect())).collect();
    if !entries.is_empty()
        && let Some(meta) = value.get_mut("metadata").and_then(|m| m.as_object_mut())
    {
        meta.insert("managedFields".to_owned(), serde_json::Value::Array(entries));
    }
    Ok(())
}

/// `-o yaml` / `-o json`: one object for a single named request, else a
/// `List`.
fn print_structured(
    ctx: &mut Ctx<'_>,
    infos: &[Info],
    requests: &[Request],
    format: &str,
) -> Result<bool, KubectlError> {
    let show_managed = show_managed_fields(ctx);
    let mut objects: Vec<serde_json::Value> = Vec::new();
    for o in infos.iter().flat_map(|i| i.objects.iter()) {
        let mut v = served(ctx, o);
        if show_managed {
            with_managed_fields(ctx, o, &mut v)?;
        }
        crate::kubectl::printers::yaml::go_zero_values(&mut v, ctx.minor);
        objects.push(v);
    }
    let Some(value) = generic_object(ctx, objects, requests) else { return Ok(false) };
    let text = if format == "json" {
        json_text(&value)?
    } else {
        use crate::kubectl::printers::yaml;
        yaml::to_string_as(&value, yaml::Style::at(ctx.cluster.config().version))
    };
    ctx.stdout(text);
    Ok(true)
}

/// `JSONPrinter`: four-space indented JSON and a newline.
pub(crate) fn json_text(value: &serde_json::Value) -> Result<String, KubectlError> {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    serde::Serialize::serialize(value, &mut ser).map_err(|e| KubectlError::msg(e.to_string()))?;
    Ok(format!("{}\n", String::from_utf8_lossy(&buf)))
}
