//! `kubectl explain TYPE[.FIELD...] [--recursive] [--api-version=G/V]
//! [-o plaintext|plaintext-openapiv2]` (`pkg/cmd/explain/explain.go`):
//! the resource is mapped as kubectl's REST mapper maps it (against the
//! cluster's discovery), then its documentation is printed from the
//! OpenAPI the cluster's release serves ([`crate::kubectl::explain`]).

use super::Ctx;
use crate::{
    kubectl::{
        error::KubectlError,
        explain::{
            schemas::{Library, Spec},
            v2_printer, v3_template,
            wrap::WordWrapVersion,
        },
        messages,
    },
    sim::api::{Discovery, ServedResource},
    version::{Fact, KubeVersion},
};

/// `kubectl explain`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    if inv.args.len() != 1 && !ctx.has(Fact::ExplainValidatesArguments) {
        return Err(KubectlError::unsupported(
            "kubectl explain with no or several arguments at v1.10 (a usage error listing every resource type)",
        ));
    }
    if inv.changed("output") {
        let version = ctx.cluster.config().version;
        check_output_flag(version, ctx.argv)?;
    }
    let options = Options {
        args: &inv.args,
        recursive: inv.bool("recursive"),
        api_version: inv.value("api-version").filter(|v| !v.is_empty()),
        output: inv.value("output"),
    };
    let discovery = Discovery::at(&ctx.cluster.config().version);
    // A custom resource's documentation is its CRD's schema, which the
    // simulator does not publish as OpenAPI.
    if let Some(arg) = inv.args.first() {
        let word = arg.split('.').next().unwrap_or_default();
        if resources_for(discovery, word).is_empty()
            && let Some(kind) = ctx.cluster.registry().resolve(word)
        {
            return Err(KubectlError::unsupported(format!(
                "kubectl explain of the custom resource {} (kubeplay publishes no OpenAPI for CRDs)",
                kind.info().kind_name
            )));
        }
    }
    let version = ctx.cluster.config().version;
    let explained = explain(discovery, ctx.minor, version, &options);
    ctx.stdout(explained.stdout);
    explained.result
}

/// pflag's verdict on `--output` / `-o`: the flag is v1.27+, and its `-o`
/// came and went (see the `ExplainOutputShorthand*` facts).
pub fn check_output_flag(client: KubeVersion, argv: &[String]) -> Result<(), KubectlError> {
    let has_flag = client.has(Fact::ExplainOpenApiV3);
    let shorthand = has_flag
        && client.has(Fact::ExplainOutputShorthand)
        && (!client.has(Fact::ExplainOutputShorthandLost)
            || client.has(Fact::ExplainOutputShorthandRestored));
    let short_form = argv.iter().find(|a| a.starts_with("-o") && !a.starts_with("--"));
    let message = match short_form {
        Some(arg) if !shorthand => format!("unknown shorthand flag: 'o' in {arg}"),
        None if !has_flag => "unknown flag: --output".to_owned(),
        _ => return Ok(()),
    };
    Err(KubectlError::Cobra {
        message: messages::flag_error(&message, "kubectl explain"),
        run_hint: false,
    })
}

/// The command line, parsed.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// Positional arguments.
    pub args: &'a [String],
    /// `--recursive`.
    pub recursive: bool,
    /// `--api-version`, if given and not empty.
    pub api_version: Option<&'a str>,
    /// `--output` (v1.27+).
    pub output: Option<&'a str>,
}

/// What explain printed on stdout, and how it ended.
#[derive(Debug)]
pub struct Explained {
    /// stdout.
    pub stdout: String,
    /// The error kubectl ends with, if any.
    pub result: Result<(), KubectlError>,
}

/// Explain as kubectl `client` does against an API server of
/// `server_minor` with `discovery` (the same release in a scenario; the
/// golden tests pair real clients with one real server).
pub fn explain(
    discovery: &Discovery,
    server_minor: u32,
    client: KubeVersion,
    options: &Options<'_>,
) -> Explained {
    let mut stdout = String::new();
    let result = explain_into(discovery, server_minor, client, options, &mut stdout);
    Explained { stdout, result }
}

fn explain_into(
    discovery: &Discovery,
    server_minor: u32,
    client: KubeVersion,
    options: &Options<'_>,
    stdout: &mut String,
) -> Result<(), KubectlError> {
    let has = |fact: Fact| client.has(fact);
    // `Validate`.
    match options.args.len() {
        0 => {
            return Err(KubectlError::msg(format!(
                "You must specify the type of resource to explain. {}\n",
                messages::SUGGEST_API_RESOURCES
            )));
        }
        1 => {}
        _ => return Err(KubectlError::msg("We accept only this format: explain RESOURCE\n")),
    }
    let recursive = options.recursive;
    let api_version = options.api_version;
    let v3 = has(Fact::ExplainOpenApiV3);
    let output = if v3 { options.output.unwrap_or("plaintext") } else { "plaintext-openapiv2" };
    let arg = options.args[0].trim_end_matches('.');
    let (resource, path) = match api_version {
        None if has(Fact::ExplainGroupQualifiedResource) => with_matching_prefix(discovery, arg)?,
        _ => plain(discovery, arg)?,
    };
    let lib = Library::get();
    if output == "plaintext-openapiv2" {
        let kind = resource.kind;
        let (group, version) = match api_version {
            Some(gv) => parse_group_version(gv)?,
            None => (resource.group.to_owned(), resource.version.to_owned()),
        };
        let group_version =
            if group.is_empty() { version.clone() } else { format!("{group}/{version}") };
        let doc =
            lib.document(Spec::V2, server_minor).ok_or_else(|| missing(server_minor, "v2"))?;
        // `LookupResource`: the served document only has the definitions of
        // served group-versions.
        let root = discovery
            .group_versions()
            .contains(&group_version)
            .then(|| doc.for_gvk(&group, &version, kind))
            .flatten()
            .ok_or_else(|| {
                let couldnt =
                    if has(Fact::ExplainCouldntLowerCase) { "couldn't" } else { "Couldn't" };
                KubectlError::msg(format!(
                    "{couldnt} find resource for \"{group}/{version}, Kind={kind}\""
                ))
            })?;
        let style = v2_printer::Style {
            keeps_line_breaks: has(Fact::ExplainKeepsLineBreaks),
            description_as_text: has(Fact::ExplainDescriptionAsText),
            lines_as_text: has(Fact::ExplainLinesAsText),
            cycle_guard: has(Fact::ExplainRecursiveCycleGuard),
            arbitrary: has(Fact::ExplainArbitraryValues),
        };
        let request = v2_printer::Request { root, kind, group_version, path: &path, recursive };
        return match v2_printer::render(lib, doc, &request, style) {
            Ok(text) => {
                stdout.push_str(&text);
                Ok(())
            }
            Err(v2_printer::LookupError::NoField(name)) => {
                Err(KubectlError::msg(format!("field \"{name}\" does not exist")))
            }
            Err(v2_printer::LookupError::Crash(what)) => {
                Err(KubectlError::unsupported(format!("kubectl explain of {what}")))
            }
        };
    }
    let (group, version) = match api_version {
        Some(gv) => parse_group_version(gv)?,
        None => (resource.group.to_owned(), resource.version.to_owned()),
    };
    let gvr = format!("{group}/{version}, Resource={}", resource.resource);
    let group_version =
        if group.is_empty() { version.clone() } else { format!("{group}/{version}") };
    if !discovery.group_versions().contains(&group_version) {
        return Err(KubectlError::msg(format!("couldn't find resource for \"{gvr}\"")));
    }
    if output != "plaintext" {
        return Err(KubectlError::msg(format!("unrecognized format: {output}")));
    }
    let doc = lib.document(Spec::V3, server_minor).ok_or_else(|| missing(server_minor, "v3"))?;
    // The template takes the kind from the `x-kubernetes-group-version-kind`
    // of the resource's paths: v1.27 only from the `get` of the
    // cluster-wide list path (which a resource without `list` lacks).
    let served = discovery
        .resources_of(&group_version)
        .find(|r| r.resource == resource.resource)
        .filter(|r| finds_unlisted_kinds(client) || r.supports("list"));
    let Some(served) = served else {
        return Err(KubectlError::msg(format!("GVR ({gvr}) not found in OpenAPI schema")));
    };
    let style = v3_template::Style {
        enums: has(Fact::ExplainEnums),
        word_wrap: if has(Fact::ExplainWrapCountsCharacters) {
            WordWrapVersion::Chars
        } else {
            WordWrapVersion::Bytes
        },
    };
    let request = v3_template::Request {
        root: doc.for_gvk(&group, &version, served.kind),
        group: &group,
        version: &version,
        kind: served.kind,
        path: &path,
        recursive,
    };
    let rendered = v3_template::render(lib, doc, &request, style);
    stdout.push_str(&rendered.text);
    match rendered.error {
        Some(e) => Err(KubectlError::msg(e)),
        None => Ok(()),
    }
}

/// [`Fact::ExplainFindsUnlistedKinds`], which v1.27 got in a patch.
fn finds_unlisted_kinds(client: KubeVersion) -> bool {
    /// k8s.io/kubectl v0.27.4 carries v0.28.0's template.
    const BACKPORTED_TO_1_27: KubeVersion = KubeVersion::new(1, 27, 4);
    client.has(Fact::ExplainFindsUnlistedKinds) || client >= BACKPORTED_TO_1_27
}

/// kubeplay carries every document of v1.10-v1.35; a gap is a bug in the
/// data.
fn missing(minor: u32, spec: &str) -> KubectlError {
    KubectlError::unsupported(format!("kubectl explain: no OpenAPI {spec} document for v1.{minor}"))
}

/// The REST mapper's no-match, which `cmdutil.CheckErr` prints as its
/// standard message, without `error: ` (unlike `get`, whose builder
/// wraps it).
fn no_match(word: &str) -> KubectlError {
    KubectlError::Standard(messages::unknown_resource_type(word))
}

/// `schema.ParseGroupVersion`.
fn parse_group_version(gv: &str) -> Result<(String, String), KubectlError> {
    match gv.split('/').collect::<Vec<_>>().as_slice() {
        [version] => Ok((String::new(), (*version).to_owned())),
        [group, version] => Ok(((*group).to_owned(), (*version).to_owned())),
        _ => Err(KubectlError::msg(format!("unexpected GroupVersion string: {gv}"))),
    }
}

/// The REST mapper's `ResourcesFor` a bare resource word: the resources
/// it names by plural or singular, else by short name, highest priority
/// (discovery order) first.
fn resources_for<'d>(discovery: &'d Discovery, word: &str) -> Vec<&'d ServedResource> {
    let word = word.to_ascii_lowercase();
    let by_name: Vec<&ServedResource> = discovery
        .resources()
        .iter()
        .filter(|r| r.resource == word || r.singular() == word)
        .collect();
    if !by_name.is_empty() {
        return by_name;
    }
    discovery.resources().iter().filter(|r| r.short_names.contains(&word.as_str())).collect()
}

/// `SplitAndParseResourceRequestWithMatchingPrefix`: the resource is the
/// first dotted part; a match whose `plural.group` prefixes the argument
/// takes the group from it (`deployments.apps.spec`), else the first match
/// does and the rest are fields.
fn with_matching_prefix<'d>(
    discovery: &'d Discovery,
    arg: &str,
) -> Result<(&'d ServedResource, Vec<String>), KubectlError> {
    let mut parts = arg.split('.');
    let word = parts.next().unwrap_or_default();
    let candidates = resources_for(discovery, word);
    for r in &candidates {
        let group_resource = r.group_resource();
        if let Some(suffix) = arg.strip_prefix(group_resource.as_str()) {
            let path = if suffix.is_empty() {
                Vec::new()
            } else {
                suffix.split('.').skip(1).map(str::to_owned).collect()
            };
            return Ok((r, path));
        }
    }
    let first = candidates.first().ok_or_else(|| no_match(word))?;
    Ok((first, parts.map(str::to_owned).collect()))
}

/// `SplitAndParseResourceRequest` (with `--api-version`): the first dotted
/// part is the resource (`ResourceFor`), the rest are fields.
fn plain<'d>(
    discovery: &'d Discovery,
    arg: &str,
) -> Result<(&'d ServedResource, Vec<String>), KubectlError> {
    let mut parts = arg.split('.');
    let word = parts.next().unwrap_or_default();
    let first = resources_for(discovery, word).into_iter().next().ok_or_else(|| no_match(word))?;
    Ok((first, parts.map(str::to_owned).collect()))
}
