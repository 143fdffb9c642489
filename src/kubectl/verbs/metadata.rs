//! `kubectl label` (`pkg/cmd/label/label.go`) and `kubectl annotate`
//! (`pkg/cmd/annotate/annotate.go`): `key=value` sets, `key-` removes,
//! resources named before the changes, or picked by `-l`/`--all`.
//!
//! Both refuse to change an existing key without `--overwrite`. At v1.22
//! they refuse even when the value given equals the current one; the
//! same-value case became a no-op for labels in kubernetes#105936 and for
//! annotations in kubernetes#109505 (release of each not verified: taken
//! as v1.24 and v1.25).

use crate::version::Fact;
use std::collections::BTreeMap;

use super::Ctx;
use crate::{
    kubectl::{
        error::KubectlError,
        labels::Selector,
        resource::{self, Request},
    },
    sim::{Object, ObjectRef},
};

/// Which command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// `kubectl label`.
    Label,
    /// `kubectl annotate`.
    Annotate,
}

impl Which {
    fn noun(self) -> &'static str {
        match self {
            Which::Label => "label",
            Which::Annotate => "annotation",
        }
    }
}

/// Runs `kubectl label` or `kubectl annotate`.
pub fn run(ctx: &mut Ctx<'_>, which: Which) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let dry_run = super::print_flags::DryRun::from_ctx(ctx)?;
    let (resources, pairs) = resources_and_pairs(&inv.args, which.noun())?;
    let (set, remove) = match which {
        Which::Label => parse_labels(&pairs)?,
        Which::Annotate => parse_annotations(&pairs)?,
    };
    // `Validate`.
    if inv.bool("all") && inv.value("selector").is_some_and(|s| !s.is_empty()) {
        return Err(KubectlError::msg("cannot set --all and --selector at the same time"));
    }
    if resources.is_empty() && inv.strings("filename").is_empty() {
        return Err(KubectlError::msg(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    // `--list` prints the labels (annotations) instead of the object.
    let list = inv.bool("list");
    if list && inv.value("output").is_some_and(|o| !o.is_empty()) {
        return Err(KubectlError::msg("--list and --output may not be specified together"));
    }
    if set.is_empty() && remove.is_empty() && !list {
        return Err(KubectlError::msg(format!("at least one {} update is required", which.noun())));
    }
    if which == Which::Annotate {
        let both: Vec<&str> =
            remove.iter().filter(|k| set.contains_key(*k)).map(String::as_str).collect();
        if !both.is_empty() {
            return Err(KubectlError::msg(format!(
                "can not both modify and remove the following annotation(s) in the same command: {}",
                both.join(", ")
            )));
        }
    }

    let overwrite = inv.bool("overwrite");
    let change = Change { which, set: &set, remove: &remove, overwrite };
    // `--local`: the objects of `-f` files, changed and printed on the
    // client, never sent (label.go / annotate.go `RunLabel`).
    if inv.bool("local") {
        if dry_run == super::print_flags::DryRun::Server {
            return Err(KubectlError::msg(
                "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
            ));
        }
        let filenames = inv.strings("filename");
        if filenames.is_empty() {
            return Err(KubectlError::msg(
                "can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set",
            ));
        }
        for (printed, m) in local_files(ctx)?.into_iter().enumerate() {
            let mut object = m.object.clone();
            let operation = change.apply(ctx, &mut object)?;
            // The builder of a local file sets no namespace; the object
            // prints as read, an unstructured map, with its new labels.
            let mut value = m.value.clone();
            let field = match which {
                Which::Label => "labels",
                Which::Annotate => "annotations",
            };
            let map = match which {
                Which::Label => &object.meta().labels,
                Which::Annotate => &object.meta().annotations,
            };
            match (map, value["metadata"].as_object_mut()) {
                (Some(map), Some(meta)) => {
                    meta.insert(field.into(), serde_json::to_value(map).unwrap_or_default());
                }
                (None, Some(meta)) => {
                    meta.remove(field);
                }
                _ => {}
            }
            super::print_flags::print_unstructured(
                ctx,
                &value,
                object.kind(),
                object.name(),
                &dry_run.operation(operation),
                printed,
            )?;
        }
        return Ok(());
    }
    if !inv.strings("filename").is_empty() {
        // The objects of `-f` files, read from the server, are not
        // emulated here yet: named, never silently skipped.
        return Err(KubectlError::unsupported(format!(
            "flag --filename of {} without --local",
            inv.command_path()
        )));
    }
    let targets = targets(ctx, &resources)?;
    if list {
        return list_metadata(ctx, which, &change, &resources, targets);
    }
    for r in targets {
        let mut object = ctx.cluster.get(&r)?.clone();
        let before = object.to_value();
        let operation = change.apply(ctx, &mut object)?;
        // `--dry-run=client` changes the object on the client only;
        // `-o` prints it (as changed, or as the server returned it).
        let result = if object.to_value() != before {
            super::print_flags::update(ctx, dry_run, object)?
        } else {
            object
        };
        super::print_flags::print_object(ctx, &result, &dry_run.operation(operation))?;
    }
    Ok(())
}

/// `--list` (`RunLabel` / `RunAnnotate`): each object's labels
/// (annotations) as `k=v` lines, after the command's changes made on the
/// client only (with `--list` nothing is sent); several objects each get a
/// `Listing labels for Kind.group/name:` header and indented lines. Go
/// ranges over the map in random order; kubeplay prints it sorted.
fn list_metadata(
    ctx: &mut Ctx<'_>,
    which: Which,
    change: &Change<'_>,
    resources: &[String],
    targets: Vec<ObjectRef>,
) -> Result<(), KubectlError> {
    // `IntoSingleItemImplied`: one `TYPE NAME` or `TYPE/NAME`, no selector.
    let named = resources.len() == 2 || (resources.len() == 1 && resources[0].contains('/'));
    let one = named && !resources.iter().any(|r| r.contains(',')) && targets.len() == 1;
    for r in targets {
        let mut object = ctx.cluster.get(&r)?.clone();
        if !change.set.is_empty() || !change.remove.is_empty() {
            change.apply(ctx, &mut object)?;
        }
        let (map, noun) = match which {
            Which::Label => (&object.meta().labels, "labels"),
            Which::Annotate => (&object.meta().annotations, "annotations"),
        };
        let mut out = String::new();
        let indent = if one { "" } else { " " };
        if !one {
            let info = object.kind().info();
            out.push_str(&format!(
                "Listing {noun} for {}.{}/{}:\n",
                info.kind_name,
                info.group,
                object.name()
            ));
        }
        for (k, v) in map.iter().flatten() {
            out.push_str(&format!("{indent}{k}={v}\n"));
        }
        ctx.stdout(out);
    }
    Ok(())
}

/// The objects of `-f` files as `--local` reads them: the builder sets no
/// namespace (`Local()` skips `DefaultNamespace`), so `value` keeps the
/// file's own namespace or none. `manifest::read_all` fills a missing
/// namespace with the one it is given: given none, an empty one marks it.
pub(super) fn local_files(
    ctx: &mut Ctx<'_>,
) -> Result<Vec<crate::kubectl::manifest::Manifest>, KubectlError> {
    let minor = ctx.minor;
    let scope = crate::kubectl::manifest::Scope { namespace: "", enforce: false, minor };
    let mut manifests = ctx.read_manifests(&scope)?;
    for m in &mut manifests {
        if m.value["metadata"]["namespace"] == ""
            && let Some(meta) = m.value["metadata"].as_object_mut()
        {
            meta.remove("namespace");
        }
    }
    Ok(manifests)
}

/// The labels or annotations one command sets and removes.
struct Change<'a> {
    which: Which,
    set: &'a BTreeMap<String, String>,
    remove: &'a [String],
    overwrite: bool,
}

impl Change<'_> {
    /// Changes `object`'s labels or annotations; the name printer's
    /// operation (`labeled`, `not labeled`, ...).
    fn apply(&self, ctx: &mut Ctx<'_>, object: &mut Object) -> Result<&'static str, KubectlError> {
        let (which, set, remove, overwrite) = (self.which, self.set, self.remove, self.overwrite);
        let before = object.to_value();
        let map = match which {
            Which::Label => &mut object.meta_mut().labels,
            Which::Annotate => &mut object.meta_mut().annotations,
        };
        let current = map.clone().unwrap_or_default();
        if !overwrite {
            check_overwrites(which, &current, set, ctx.minor)?;
        }
        if which == Which::Label {
            for key in remove {
                if !current.contains_key(key) {
                    ctx.stdout(format!("label \"{key}\" not found.\n"));
                }
            }
        }
        let mut updated = current.clone();
        updated.extend(set.iter().map(|(k, v)| (k.clone(), v.clone())));
        for key in remove {
            updated.remove(key);
        }
        *map = if updated.is_empty() && map.is_none() { None } else { Some(updated.clone()) };
        Ok(match which {
            Which::Annotate
                if ctx.has(Fact::AnnotateVerbTypo) && !ctx.has(Fact::AnnotateVerbFixed) =>
            {
                "annotate"
            }
            Which::Annotate => "annotated",
            // `updateDataChangeMsg`: compares the JSON before and after.
            Which::Label if object.to_value() == before => "not labeled",
            Which::Label if !overwrite && updated.len() < current.len() => "unlabeled",
            Which::Label => "labeled",
        })
    }
}

/// The objects named by the resource arguments (or selected by `-l`/`--all`).
fn targets(ctx: &Ctx<'_>, resources: &[String]) -> Result<Vec<ObjectRef>, KubectlError> {
    let inv = ctx.inv;
    let namespace = ctx.namespace();
    let selector = match inv.value("selector").filter(|s| !s.is_empty()) {
        Some(s) => Some(Selector::parse(s).map_err(KubectlError::msg)?),
        None => None,
    };
    let select_all = inv.bool("all") || selector.is_some();
    let mut out = Vec::new();
    for request in resource::parse(ctx.cluster.registry(), resources, select_all)? {
        let kind = request.kind();
        let ns = kind.info().namespaced.then_some(namespace.as_str());
        match request {
            Request::List(kind) => {
                for o in ctx.cluster.list(kind, ns) {
                    if selector.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref())) {
                        out.push(o.object_ref());
                    }
                }
            }
            Request::Named(kind, name) => out.push(match ns {
                Some(ns) => ObjectRef::namespaced(kind, ns, &name),
                None => ObjectRef::cluster(kind, &name),
            }),
        }
    }
    Ok(out)
}

/// `validateNoOverwrites` / `validateNoAnnotationOverwrites`.
fn check_overwrites(
    which: Which,
    current: &BTreeMap<String, String>,
    set: &BTreeMap<String, String>,
    minor: u32,
) -> Result<(), KubectlError> {
    let same_value_ok = match which {
        Which::Label => Fact::LabelSameValueOk.holds_at(minor),
        Which::Annotate => Fact::AnnotateSameValueOk.holds_at(minor),
    };
    let clashes: Vec<(&String, &String)> = set
        .iter()
        .filter(|(k, _)| {
            which == Which::Label || k.as_str() != crate::kubectl::deployutil::CHANGE_CAUSE
        })
        .filter_map(|(k, v)| current.get(k).filter(|c| !same_value_ok || *c != v).map(|c| (k, c)))
        .collect();
    if clashes.is_empty() {
        return Ok(());
    }
    match which {
        // `utilerrors.NewAggregate`: one message, or `[a, b]`.
        Which::Label => {
            let messages: Vec<String> = clashes
                .iter()
                .map(|(k, c)| format!("'{k}' already has a value ({c}), and --overwrite is false"))
                .collect();
            if messages.len() == 1 {
                Err(KubectlError::msg(messages[0].clone()))
            } else {
                Err(KubectlError::msg(format!("[{}]", messages.join(", "))))
            }
        }
        Which::Annotate => {
            let list: Vec<String> =
                clashes.iter().map(|(k, c)| format!("'{k}' already has a value ({c})")).collect();
            Err(KubectlError::msg(format!(
                "--overwrite is false but found the following declared annotation(s): {}",
                list.join("; ")
            )))
        }
    }
}

/// `cmdutil.GetResourcesAndPairs`: resources first, then `k=v` / `k-`.
fn resources_and_pairs(
    args: &[String],
    pair_type: &str,
) -> Result<(Vec<String>, Vec<String>), KubectlError> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for s in args {
        let non_resource =
            (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
        match (pairs.is_empty(), non_resource) {
            (_, true) => pairs.push(s.clone()),
            (true, false) => resources.push(s.clone()),
            (false, false) => {
                return Err(KubectlError::msg(format!(
                    "all resources must be specified before {pair_type} changes: {s}"
                )));
            }
        }
    }
    Ok((resources, pairs))
}

type Changes = (BTreeMap<String, String>, Vec<String>);

/// `parseLabels` (`label.go`).
fn parse_labels(specs: &[String]) -> Result<Changes, KubectlError> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    for spec in specs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            if parts.len() != 2 {
                return Err(KubectlError::msg(format!("invalid label spec: {spec}")));
            }
            if !valid_label_value(parts[1]) {
                return Err(KubectlError::msg(format!(
                    "invalid label value: \"{spec}\": {}",
                    label_value_error(parts[1])
                )));
            }
            set.insert(parts[0].to_owned(), parts[1].to_owned());
        } else if let Some(key) = spec.strip_suffix('-') {
            remove.push(key.to_owned());
        } else {
            return Err(KubectlError::msg(format!("unknown label spec: {spec}")));
        }
    }
    if remove.iter().any(|k| set.contains_key(k)) {
        return Err(KubectlError::msg(
            "can not both modify and remove a label in the same command",
        ));
    }
    Ok((set, remove))
}

/// `parseAnnotations` (`annotate.go`): values may contain `=`.
fn parse_annotations(specs: &[String]) -> Result<Changes, KubectlError> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    let mut invalid: Vec<&str> = Vec::new();
    for spec in specs {
        if let Some((k, v)) = spec.split_once('=') {
            if k.is_empty() {
                invalid.push(spec);
            } else {
                set.insert(k.to_owned(), v.to_owned());
            }
        } else if let Some(key) = spec.strip_suffix('-') {
            remove.push(key.to_owned());
        } else {
            invalid.push(spec);
        }
    }
    if !invalid.is_empty() {
        return Err(KubectlError::msg(format!(
            "invalid annotation format: {}",
            invalid.join(", ")
        )));
    }
    Ok((set, remove))
}

/// `validation.IsValidLabelValue`: at most 63 characters of
/// `(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?`.
fn valid_label_value(v: &str) -> bool {
    if v.is_empty() {
        return true;
    }
    let alnum = |c: char| c.is_ascii_alphanumeric();
    v.len() <= 63
        && v.starts_with(alnum)
        && v.ends_with(alnum)
        && v.chars().all(|c| alnum(c) || matches!(c, '-' | '_' | '.'))
}

/// The messages `IsValidLabelValue` returns, joined by `;`.
fn label_value_error(v: &str) -> String {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_owned());
    }
    let alnum = |c: char| c.is_ascii_alphanumeric();
    if !(v.starts_with(alnum)
        && v.ends_with(alnum)
        && v.chars().all(|c| alnum(c) || matches!(c, '-' | '_' | '.')))
    {
        errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_owned());
    }
    errs.join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn splits_resources_from_changes() {
        let (r, p) = resources_and_pairs(&args("pods foo app=web tier-"), "label").unwrap();
        assert_eq!(r, args("pods foo"));
        assert_eq!(p, args("app=web tier-"));
        assert_eq!(
            resources_and_pairs(&args("pods app=web foo"), "label").unwrap_err().render(22),
            "error: all resources must be specified before label changes: foo\n"
        );
    }

    #[test]
    fn label_specs() {
        let err = |s: &str| parse_labels(&args(s)).unwrap_err().render(22);
        assert_eq!(err("a=b=c"), "error: invalid label spec: a=b=c\n");
        assert_eq!(
            err("a=b a-"),
            "error: can not both modify and remove a label in the same command\n"
        );
        assert!(
            err("a=-x").starts_with("error: invalid label value: \"a=-x\": a valid label must")
        );
        let (set, remove) = parse_annotations(&args("url=http://x?a=b old-")).unwrap();
        assert_eq!(set.get("url").map(String::as_str), Some("http://x?a=b"));
        assert_eq!(remove, vec!["old"]);
    }

    #[test]
    fn overwrite_checks_by_version() {
        let current: BTreeMap<String, String> = [("app".to_owned(), "web".to_owned())].into();
        let same: BTreeMap<String, String> = [("app".to_owned(), "web".to_owned())].into();
        assert_eq!(
            check_overwrites(Which::Label, &current, &same, 22).unwrap_err().render(22),
            "error: 'app' already has a value (web), and --overwrite is false\n"
        );
        assert!(check_overwrites(Which::Label, &current, &same, 24).is_ok());
        assert_eq!(
            check_overwrites(Which::Annotate, &current, &same, 22).unwrap_err().render(22),
            "error: --overwrite is false but found the following declared annotation(s): 'app' already has a value (web)\n"
        );
    }
}
