//! Node maintenance verbs: `kubectl taint` (`pkg/cmd/taint/taint.go`,
//! `utils.go`), `cordon`, `uncordon` and `drain` (`pkg/cmd/drain/drain.go`
//! over `pkg/drain/{cordon,drain,filters}.go`), as of kubectl v1.22.

use std::time::Duration;

use crate::version::Fact;
use k8s_openapi::{
    api::core::v1::{Node, Pod, Taint},
    jiff::Timestamp,
};

use super::{
    Ctx,
    print_flags::{self, DryRun},
};
use crate::{
    kubectl::{args::parse_duration, error::KubectlError, labels::Selector, messages},
    sim::{DeleteOptions, Kind, Object, ObjectRef, podutil},
};

/// Most simulator steps `drain` waits for its evictions to finish.
const MAX_WAIT_STEPS: usize = 10_000;

/// The nodes a command names, or those `--selector` picks, in name order.
fn nodes(ctx: &Ctx<'_>, names: &[String]) -> Result<Vec<Node>, KubectlError> {
    let mut out = Vec::new();
    if let Some(sel) = ctx.inv.value("selector").filter(|s| !s.is_empty()) {
        let sel = Selector::parse(sel).map_err(KubectlError::msg)?;
        for o in ctx.cluster.list(Kind::Node, None) {
            if let Object::Node(n) = o
                && sel.matches(n.metadata.labels.as_ref())
            {
                out.push(n.clone());
            }
        }
        return Ok(out);
    }
    for name in names {
        match ctx.cluster.get(&ObjectRef::cluster(Kind::Node, name))? {
            Object::Node(n) => out.push(n.clone()),
            _ => unreachable!("a node reference resolves to a node"),
        }
    }
    Ok(out)
}

fn name_of(n: &Node) -> &str {
    n.metadata.name.as_deref().unwrap_or_default()
}

/// `Complete` of cordon/uncordon/drain: a NODE argument or `--selector`.
fn node_args(ctx: &Ctx<'_>, verb: &str) -> Result<Vec<String>, KubectlError> {
    let has_selector = ctx.inv.changed("selector");
    if ctx.inv.args.is_empty() && !has_selector {
        return Err(KubectlError::msg(messages::usage_error(
            &format!("USAGE: {verb} NODE [flags]"),
            &ctx.inv.command_path(),
        )));
    }
    if !ctx.inv.args.is_empty() && has_selector {
        return Err(KubectlError::msg(messages::usage_error(
            "error: cannot specify both a node name and a --selector option",
            &ctx.inv.command_path(),
        )));
    }
    Ok(ctx.inv.args.clone())
}

/// `kubectl cordon` / `uncordon`.
pub fn cordon(ctx: &mut Ctx<'_>, desired: bool) -> Result<(), KubectlError> {
    let verb = if desired { "cordon" } else { "uncordon" };
    let args = node_args(ctx, verb)?;
    let dry_run = DryRun::from_ctx(ctx)?;
    let nodes = nodes(ctx, &args)?;
    cordon_nodes(ctx, &nodes, desired, dry_run)
}

/// `RunCordonOrUncordon`: patches `spec.unschedulable` where it differs;
/// `node/x cordoned` or `node/x already cordoned`, with the dry-run
/// suffix on both (`PrintFlagsWithDryRunStrategy`); a client dry run
/// sends no patch.
fn cordon_nodes(
    ctx: &mut Ctx<'_>,
    nodes: &[Node],
    desired: bool,
    dry_run: DryRun,
) -> Result<(), KubectlError> {
    let done = if desired { "cordoned" } else { "uncordoned" };
    for n in nodes {
        let current = n.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false);
        if current == desired {
            let operation = dry_run.operation(&format!("already {done}"));
            ctx.stdout(messages::name_printer(Kind::Node, name_of(n), &operation));
            continue;
        }
        let mut updated = n.clone();
        updated.metadata.resource_version = None;
        updated.spec.get_or_insert_with(Default::default).unschedulable = desired.then_some(true);
        print_flags::update(ctx, dry_run, Object::Node(updated))?;
        ctx.stdout(messages::name_printer(Kind::Node, name_of(n), &dry_run.operation(done)));
    }
    Ok(())
}

/// One taint argument: `key[=value]:Effect` to add, `key[:Effect]-` to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TaintSpec {
    key: String,
    value: String,
    effect: String,
}

impl TaintSpec {
    /// `Taint.ToString`.
    fn render(&self) -> String {
        match (self.value.is_empty(), self.effect.is_empty()) {
            (true, true) => self.key.clone(),
            (false, true) => format!("{}={}:", self.key, self.value),
            (true, false) => format!("{}:{}", self.key, self.effect),
            (false, false) => format!("{}={}:{}", self.key, self.value, self.effect),
        }
    }

    fn to_taint(&self) -> Taint {
        Taint {
            key: self.key.clone(),
            value: (!self.value.is_empty()).then(|| self.value.clone()),
            effect: self.effect.clone(),
            time_added: None,
        }
    }
}

/// `IsQualifiedName`'s message for an invalid name part.
const QUALIFIED_NAME_ERROR: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/// `validation.IsQualifiedName`: `[prefix/]name`, name ≤ 63 characters.
fn qualified_name_errors(key: &str) -> Option<String> {
    let name = match key.split_once('/') {
        Some((prefix, name)) => {
            if prefix.is_empty() {
                return Some("prefix part must be non-empty".to_owned());
            }
            name
        }
        None => key,
    };
    if name.is_empty() {
        return Some("name part must be non-empty".to_owned());
    }
    if name.len() > 63 {
        return Some("name part must be no more than 63 characters".to_owned());
    }
    let ok_chars = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let ends = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    (!(ok_chars && ends)).then(|| QUALIFIED_NAME_ERROR.to_owned())
}

/// `parseTaint`: `<key>=<value>:<effect>`, `<key>:<effect>` or `<key>`.
fn parse_taint(st: &str) -> Result<TaintSpec, String> {
    let parts: Vec<&str> = st.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [key] => ((*key).to_owned(), String::new(), String::new()),
        [kv, effect] => {
            if !matches!(*effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return Err(format!("invalid taint effect: {effect}, unsupported taint effect"));
            }
            let kv: Vec<&str> = kv.split('=').collect();
            match kv.as_slice() {
                [k] => ((*k).to_owned(), String::new(), (*effect).to_owned()),
                [k, v] => ((*k).to_owned(), (*v).to_owned(), (*effect).to_owned()),
                _ => return Err(format!("invalid taint spec: {st}")),
            }
        }
        _ => return Err(format!("invalid taint spec: {st}")),
    };
    if let Some(err) = qualified_name_errors(&key) {
        return Err(format!("invalid taint spec: {st}, {err}"));
    }
    Ok(TaintSpec { key, value, effect })
}

/// `parseTaints`: taints to add and to remove.
fn parse_taints(specs: &[String]) -> Result<(Vec<TaintSpec>, Vec<TaintSpec>), String> {
    let (mut add, mut remove) = (Vec::new(), Vec::<TaintSpec>::new());
    for spec in specs {
        if let Some(stripped) = spec.strip_suffix('-') {
            let t = parse_taint(stripped)?;
            remove.push(TaintSpec { value: String::new(), ..t });
        } else {
            let t = parse_taint(spec)?;
            if t.effect.is_empty() {
                return Err(format!("invalid taint spec: {spec}"));
            }
            if add.iter().any(|a: &TaintSpec| a.key == t.key && a.effect == t.effect) {
                return Err(format!(
                    "duplicated taints with the same key and effect: {{{} {} {} <nil>}}",
                    t.key, t.value, t.effect
                ));
            }
            add.push(t);
        }
    }
    Ok((add, remove))
}

/// `TaintOptions.Validate`'s check of the resource type. Up to v1.18 the
/// word itself had to be `node` or `nodes`; from v1.19 it is resolved with
/// the REST mapper (so `no` and `nodes.v1.` pass, an unknown word fails as
/// an unknown type) and any kind but Node is refused by its lower-cased
/// word ([`Fact::TaintResolvesResourceType`]).
fn check_taint_resource_type(ctx: &Ctx<'_>, word: &str) -> Result<(), KubectlError> {
    if !ctx.has(Fact::TaintResolvesResourceType) {
        if matches!(word.to_lowercase().as_str(), "node" | "nodes") {
            return Ok(());
        }
        return Err(KubectlError::msg(format!(
            "invalid resource type {word}, only [\"node\" \"nodes\"] are supported"
        )));
    }
    let resource_type = word.to_lowercase();
    let kind = crate::kubectl::resource::resolve_one(ctx.cluster.registry(), &resource_type)?;
    if kind != crate::sim::Kind::Node {
        return Err(KubectlError::msg(format!(
            "invalid resource type {resource_type}, only node types are supported"
        )));
    }
    Ok(())
}

/// `kubectl taint node NAME key[=value]:Effect ... | key[:Effect]-`.
pub fn taint(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let path = ctx.inv.command_path();
    let mut resources: Vec<String> = Vec::new();
    let mut taint_args: Vec<String> = Vec::new();
    for arg in &ctx.inv.args {
        let is_taint = arg.contains('=') || arg.contains(':') || arg.ends_with('-');
        match (taint_args.is_empty(), is_taint) {
            (_, true) => taint_args.push(arg.clone()),
            (true, false) => resources.push(arg.clone()),
            (false, false) => {
                return Err(KubectlError::msg(format!(
                    "all resources must be specified before taint changes: {arg}"
                )));
            }
        }
    }
    if resources.is_empty() {
        return Err(KubectlError::msg(
            "one or more resources must be specified as <resource> <name>",
        ));
    }
    if taint_args.is_empty() {
        return Err(KubectlError::msg("at least one taint update is required"));
    }
    let (add, remove) = parse_taints(&taint_args)
        .map_err(|e| KubectlError::msg(messages::usage_error(&e, &path)))?;
    check_taint_resource_type(ctx, &resources[0])?;
    let conflicts: Vec<String> = remove
        .iter()
        .filter(|r| {
            add.iter().any(|a| a.key == r.key && (r.effect.is_empty() || a.effect == r.effect))
        })
        .map(|r| format!("{{\"{}\":\"{}\"}}", r.key, r.effect))
        .collect();
    if !conflicts.is_empty() {
        return Err(KubectlError::msg(format!(
            "can not both modify and remove the following taint(s) in the same command: {}",
            conflicts.join(", ")
        )));
    }
    let all = ctx.inv.bool("all");
    if resources.len() < 2 && !all && !ctx.inv.changed("selector") {
        return Err(KubectlError::msg(
            "at least one resource name must be specified since 'all' parameter is not set",
        ));
    }
    let targets = if all {
        ctx.cluster
            .list(Kind::Node, None)
            .into_iter()
            .filter_map(|o| match o {
                Object::Node(n) => Some(n.clone()),
                _ => None,
            })
            .collect()
    } else {
        nodes(ctx, &resources[1..])?
    };
    let overwrite = ctx.inv.bool("overwrite");
    let dry_run = DryRun::from_ctx(ctx)?;
    for node in targets {
        let operation = apply_taints(ctx, node, &add, &remove, overwrite, dry_run)?;
        ctx.stdout(messages::name_printer(Kind::Node, &operation.0, operation.1));
    }
    Ok(())
}

/// `updateTaints` + `reorganizeTaints`: the new taints first, then the old
/// ones they do not replace, minus the removed ones; the operation word.
fn apply_taints(
    ctx: &mut Ctx<'_>,
    node: Node,
    add: &[TaintSpec],
    remove: &[TaintSpec],
    overwrite: bool,
    dry_run: DryRun,
) -> Result<(String, &'static str), KubectlError> {
    let name = name_of(&node).to_owned();
    let old: Vec<Taint> = node.spec.as_ref().and_then(|s| s.taints.clone()).unwrap_or_default();
    if !overwrite {
        let exists: Vec<&str> = add
            .iter()
            .filter(|a| old.iter().any(|o| o.key == a.key && o.effect == a.effect))
            .map(|a| a.key.as_str())
            .collect();
        if !exists.is_empty() {
            return Err(KubectlError::msg(format!(
                "Node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                exists.join(",")
            )));
        }
    }
    let mut new: Vec<Taint> = add.iter().map(TaintSpec::to_taint).collect();
    for o in &old {
        if !new.iter().any(|t| t.key == o.key && t.effect == o.effect) {
            new.push(o.clone());
        }
    }
    let added = old.len() != new.len();
    let mut errors = Vec::new();
    let mut deleted = false;
    for r in remove {
        let len = new.len();
        new.retain(|t| !(t.key == r.key && (r.effect.is_empty() || t.effect == r.effect)));
        deleted = new.len() != len;
        if !deleted {
            errors.push(KubectlError::msg(format!("taint \"{}\" not found", r.render())));
        }
    }
    if !errors.is_empty() {
        return Err(KubectlError::Aggregate(errors));
    }
    let operation = if (added && deleted) || overwrite {
        "modified"
    } else if added {
        "tainted"
    } else {
        "untainted"
    };
    let mut updated = node;
    updated.metadata.resource_version = None;
    updated.spec.get_or_insert_with(Default::default).taints = (!new.is_empty()).then_some(new);
    // taint.go's printer has no dry-run strategy: a dry run prints the
    // plain operation (`node/x tainted`, as real kubectl 1.27 does).
    print_flags::update(ctx, dry_run, Object::Node(updated))?;
    Ok((name, operation))
}

/// Why drain leaves a pod alone or refuses (`pkg/drain/filters.go`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Delete,
    DeleteWarn(&'static str),
    Skip,
    SkipWarn(&'static str),
    Refuse(&'static str),
}

const DAEMONSET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
/// `unmanagedFatal` and `unmanagedWarning` of each kubectl
/// ([`Fact::DrainUnmanagedDeclareNoController`],
/// [`Fact::DrainUnmanagedCannotDeletePrefix`]).
fn unmanaged_messages(ctx: &Ctx<'_>) -> (&'static str, &'static str) {
    if ctx.has(Fact::DrainUnmanagedCannotDeletePrefix) {
        (
            "cannot delete Pods that declare no controller (use --force to override)",
            "deleting Pods that declare no controller",
        )
    } else if ctx.has(Fact::DrainUnmanagedDeclareNoController) {
        (
            "Pods declare no controller (use --force to override)",
            "deleting Pods that declare no controller",
        )
    } else {
        (
            "Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet (use --force to override)",
            "deleting Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet",
        )
    }
}

struct DrainFlags {
    unmanaged_fatal: &'static str,
    unmanaged_warning: &'static str,
    ignore_daemonsets: bool,
    delete_emptydir: bool,
    force: bool,
}

/// `makeFilters` in order: DaemonSet, mirror, local storage, unreplicated;
/// the first filter that keeps the pod decides, else the last verdict.
fn verdict(pod: &Pod, flags: &DrainFlags) -> Verdict {
    let finished = matches!(podutil::phase(pod), "Succeeded" | "Failed");
    let controller = podutil::controller_of(&pod.metadata);
    let mut last = Verdict::Delete;
    if controller.is_some_and(|c| c.kind == "DaemonSet") {
        // `daemonSetFilter`: finished DaemonSet pods may be deleted.
        if !finished {
            return if flags.ignore_daemonsets {
                Verdict::SkipWarn(DAEMONSET_WARNING)
            } else {
                Verdict::Refuse(DAEMONSET_FATAL)
            };
        }
    }
    // `mirrorPodFilter`: static pods are owned by their Node.
    let mirror =
        crate::sim::podutil::is_mirror(pod) || controller.is_some_and(|c| c.kind == "Node");
    if mirror {
        return Verdict::Skip;
    }
    let empty_dir = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .is_some_and(|v| v.iter().any(|v| v.empty_dir.is_some()));
    if empty_dir && !finished {
        if !flags.delete_emptydir {
            return Verdict::Refuse(LOCAL_STORAGE_FATAL);
        }
        last = Verdict::DeleteWarn(LOCAL_STORAGE_WARNING);
    }
    if controller.is_none() && !finished {
        if !flags.force {
            return Verdict::Refuse(flags.unmanaged_fatal);
        }
        last = Verdict::DeleteWarn(flags.unmanaged_warning);
    }
    last
}

/// `"msg: ns/a, ns/b"` groups, in first-seen order (upstream ranges over a
/// map; kubeplay fixes the order).
fn grouped(items: &[(&'static str, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (msg, pod) in items {
        match out.iter_mut().find(|(m, _)| m == msg) {
            Some((_, pods)) => pods.push(pod.clone()),
            None => out.push(((*msg).to_owned(), vec![pod.clone()])),
        }
    }
    out.into_iter().map(|(m, p)| (m, p.join(", "))).collect()
}

/// `kubectl drain NODE`: cordon, then evict every pod the filters allow and
/// wait until they are gone (`pod/x evicted`), then `node/x drained`.
/// `RunDrain`: a node that cannot be drained aborts the command up to
/// v1.22 and is reported and passed over from v1.23
/// ([`Fact::DrainContinuesPastFailedNode`]).
pub fn drain(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let args = node_args(ctx, "drain")?;
    // kubectl reads its options (`DrainCmdOptions.Complete`) before it
    // looks the nodes up.
    let (unmanaged_fatal, unmanaged_warning) = unmanaged_messages(ctx);
    let flags = DrainFlags {
        unmanaged_fatal,
        unmanaged_warning,
        ignore_daemonsets: ctx.inv.bool("ignore-daemonsets"),
        delete_emptydir: ctx.inv.bool("delete-emptydir-data") || ctx.inv.bool("delete-local-data"),
        force: ctx.inv.bool("force"),
    };
    let grace = ctx.inv.int("grace-period").filter(|g| *g >= 0);
    let pod_selector = match ctx.inv.value("pod-selector").filter(|s| !s.is_empty()) {
        Some(s) => Some(Selector::parse(s).map_err(KubectlError::msg)?),
        None => None,
    };
    // `--timeout`: 0 (the default) waits for ever.
    let timeout = match ctx.inv.value("timeout") {
        Some(t) => parse_duration(t).map_err(KubectlError::msg)?,
        None => 0,
    };
    let timeout = (timeout > 0).then(|| Duration::from_nanos(timeout as u64));
    let disable_eviction = ctx.inv.bool("disable-eviction");
    let ignore_errors = ctx.inv.bool("ignore-errors");
    let dry_run = DryRun::from_ctx(ctx)?;
    if disable_eviction && dry_run == DryRun::Server {
        return Err(KubectlError::unsupported("kubectl drain --disable-eviction --dry-run=server"));
    }
    let targets = nodes(ctx, &args)?;
    cordon_nodes(ctx, &targets, true, dry_run)?;
    let options = NodeDrain { flags, grace, pod_selector, timeout, disable_eviction, dry_run };
    let mut drained: Vec<String> = Vec::new();
    let mut fatal: Vec<Vec<String>> = Vec::new();
    let mut remaining: Vec<String> = Vec::new();
    for node in &targets {
        let name = name_of(node).to_owned();
        let errors = match drain_node(ctx, &name, &options)? {
            Ok(()) => {
                ctx.stdout(messages::name_printer(
                    Kind::Node,
                    &name,
                    &dry_run.operation("drained"),
                ));
                drained.push(name);
                continue;
            }
            Err(errors) => errors,
        };
        let text = go_aggregate(&errors);
        if ctx.has(Fact::DrainContinuesPastFailedNode) {
            let space = if ctx.has(Fact::DrainErrorSeparatorSpace) { " " } else { "" };
            ctx.stderr(format!(
                "error: unable to drain node \"{name}\" due to error:{space}{text}, continuing command...\n"
            ));
            fatal.push(errors);
            remaining.push(name);
            continue;
        }
        if ignore_errors && targets.len() > 1 {
            ctx.stderr(format!(
                "error: unable to drain node \"{name}\" due to error:{text}, continuing command...\n"
            ));
            continue;
        }
        // The abort: v1.22 first advertises `--ignore-errors`; then the
        // nodes not drained; then `CheckErr` prints the errors.
        if ctx.has(Fact::DrainAbortDeprecationNotice) {
            ctx.stderr(DRAIN_ABORT_DEPRECATION);
        }
        ctx.stderr(format!("error: unable to drain node \"{name}\", aborting command...\n\n"));
        ctx.stderr("There are pending nodes to be drained:\n");
        for pending in targets.iter().map(name_of).filter(|n| !drained.iter().any(|d| d == n)) {
            ctx.stderr(format!(" {pending}\n"));
        }
        return Err(KubectlError::Aggregate(errors.into_iter().map(KubectlError::msg).collect()));
    }
    if remaining.is_empty() {
        return Ok(());
    }
    ctx.stderr("There are pending nodes to be drained:\n");
    for name in &remaining {
        ctx.stderr(format!(" {name}\n"));
    }
    // `utilerrors.NewAggregate(fatal)` of the nodes' own aggregates:
    // `CheckErr` unwraps an aggregate of one, so one failed node prints
    // its errors a line each, several print one line per node; neither
    // gets the `error: ` prefix.
    let lines: Vec<String> = match &fatal[..] {
        [one] => one.clone(),
        many => many.iter().map(|e| go_aggregate(e)).collect(),
    };
    Err(KubectlError::Aggregate(lines.into_iter().map(KubectlError::Standard).collect()))
}

/// `utilerrors.NewAggregate(errs).Error()`: one error as itself, several
/// in brackets.
fn go_aggregate(errors: &[String]) -> String {
    match errors {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// What `drain` does to each node.
struct NodeDrain {
    flags: DrainFlags,
    grace: Option<i64>,
    pod_selector: Option<Selector>,
    timeout: Option<Duration>,
    disable_eviction: bool,
    dry_run: DryRun,
}

/// The pods on `node` the pod selector picks, in list order.
fn pods_on(ctx: &Ctx<'_>, node: &str, selector: Option<&Selector>) -> Vec<Pod> {
    ctx.cluster
        .list(Kind::Pod, None)
        .into_iter()
        .filter_map(|o| match o {
            Object::Pod(p) if podutil::node_name(p) == Some(node) => Some(p.clone()),
            _ => None,
        })
        .filter(|p| selector.is_none_or(|s| s.matches(p.metadata.labels.as_ref())))
        .collect()
}

/// `deleteOrEvictPodsSimple`: the node's errors (an aggregate upstream),
/// if it could not be drained; `Err` for what kubeplay cannot emulate.
fn drain_node(
    ctx: &mut Ctx<'_>,
    name: &str,
    options: &NodeDrain,
) -> Result<Result<(), Vec<String>>, KubectlError> {
    let pods = pods_on(ctx, name, options.pod_selector.as_ref());
    let mut to_delete: Vec<Pod> = Vec::new();
    let mut warnings: Vec<(&'static str, String)> = Vec::new();
    let mut refusals: Vec<(&'static str, String)> = Vec::new();
    for p in pods {
        let id = format!(
            "{}/{}",
            p.metadata.namespace.as_deref().unwrap_or("default"),
            p.metadata.name.as_deref().unwrap_or_default()
        );
        match verdict(&p, &options.flags) {
            Verdict::Delete => to_delete.push(p),
            Verdict::DeleteWarn(w) => {
                warnings.push((w, id));
                to_delete.push(p);
            }
            Verdict::Skip => {}
            Verdict::SkipWarn(w) => warnings.push((w, id)),
            Verdict::Refuse(e) => refusals.push((e, id)),
        }
    }
    if !refusals.is_empty() {
        let errors = grouped(&refusals)
            .into_iter()
            .map(|(msg, pods)| format!("cannot delete {msg}: {pods}"));
        return Ok(Err(errors.collect()));
    }
    let warning_text: Vec<String> =
        grouped(&warnings).into_iter().map(|(m, p)| format!("{m}: {p}")).collect();
    if !warning_text.is_empty() {
        let prefix = if ctx.has(Fact::WarningPrinter) { "Warning" } else { "WARNING" };
        ctx.stderr(format!("{prefix}: {}\n", warning_text.join("; ")));
    }
    let errors = match options.dry_run {
        // drain.go `deleteOrEvictPods`: a client dry run only names
        // the pods it would evict.
        DryRun::Client => {
            for p in &to_delete {
                let ns = p.metadata.namespace.as_deref().unwrap_or("default");
                let pod = p.metadata.name.as_deref().unwrap_or_default();
                ctx.stdout(format!("evicting pod {ns}/{pod} (dry run)\n"));
            }
            Vec::new()
        }
        // `evictPods`: each eviction is sent as a dry run and nothing
        // is waited for.
        DryRun::Server => {
            for p in &to_delete {
                let ns = p.metadata.namespace.as_deref().unwrap_or("default");
                let pod = p.metadata.name.as_deref().unwrap_or_default();
                ctx.stdout(format!("evicting pod {ns}/{pod} (server dry run)\n"));
                let r = ObjectRef::namespaced(Kind::Pod, ns, pod);
                match ctx
                    .cluster
                    .clone()
                    .delete(&r, DeleteOptions { grace_period_seconds: options.grace })
                {
                    Ok(_) => {}
                    Err(e) if e.reason() == "NotFound" => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Vec::new()
        }
        DryRun::None if options.disable_eviction => {
            delete_and_wait(ctx, &to_delete, options)?;
            Vec::new()
        }
        DryRun::None => evict_and_wait(ctx, &to_delete, options)?,
    };
    if errors.is_empty() {
        return Ok(Ok(()));
    }
    // The pods still to go, listed again through the filters.
    let pending: Vec<Pod> = pods_on(ctx, name, options.pod_selector.as_ref())
        .into_iter()
        .filter(|p| matches!(verdict(p, &options.flags), Verdict::Delete | Verdict::DeleteWarn(_)))
        .collect();
    if !pending.is_empty() {
        ctx.stderr(format!(
            "There are pending pods in node \"{name}\" when an error occurred: {}\n",
            go_aggregate(&errors)
        ));
        for p in &pending {
            ctx.stderr(format!("pod/{}\n", p.metadata.name.as_deref().unwrap_or_default()));
        }
    }
    Ok(Err(errors))
}

/// `--ignore-errors`'s advertisement, printed by v1.22 whenever a drain aborts.
const DRAIN_ABORT_DEPRECATION: &str = "DEPRECATED WARNING: Aborting the drain command in a list of nodes will be deprecated in v1.23.\nThe new behavior will make the drain command go through all nodes even if one or more nodes failed during the drain.\nFor now, users can try such experience via: --ignore-errors\n";

/// How long `evictPods` sleeps after a 429 (`EvictErrorRetryDelay`).
const EVICTION_RETRY: Duration = Duration::from_secs(5);

/// Where one pod's eviction goroutine is.
enum Eviction {
    /// The next eviction request is due at this time.
    Due(Timestamp),
    /// Evicted; waiting for the pod (this uid) to go.
    Waiting(Option<String>),
    /// Finished, well or not.
    Done,
}

/// `evictPods`: one goroutine a pod, each announcing `evicting pod ns/name`
/// and asking the eviction subresource; a 429 (a PodDisruptionBudget that
/// allows no disruption) prints `error when evicting pods/"x" -n "ns" (will
/// retry after 5s): …` and tries again 5 s later, announcing again; once
/// evicted, `waitForDelete` reports `pod/x evicted` when the pod is gone.
/// With `--timeout`, an attempt after the deadline gives up with `global
/// timeout reached`. Time is the simulator's; goroutines due at the same
/// instant run in the pods' order. Returns the errors (`returnCh`).
fn evict_and_wait(
    ctx: &mut Ctx<'_>,
    pods: &[Pod],
    options: &NodeDrain,
) -> Result<Vec<String>, KubectlError> {
    let start = ctx.cluster.now();
    let deadline = options.timeout.map(|t| crate::sim::time::add(start, t));
    let timeout_text = options.timeout.map(crate::sim::time::go_duration).unwrap_or_default();
    let mut states: Vec<Eviction> = pods.iter().map(|_| Eviction::Due(start)).collect();
    let mut errors = Vec::new();
    let names_namespace = ctx.has(Fact::DrainEvictionErrorNamesNamespace);
    let which = |ns: &str, name: &str| {
        if names_namespace {
            format!("pods/\"{name}\" -n \"{ns}\"")
        } else {
            format!("pod \"{name}\"")
        }
    };
    for _ in 0..MAX_WAIT_STEPS {
        report_gone(ctx, pods, &mut states, "evicted");
        let now = ctx.cluster.now();
        for (p, state) in pods.iter().zip(states.iter_mut()) {
            let Eviction::Due(at) = *state else { continue };
            if at > now {
                continue;
            }
            let ns = p.metadata.namespace.as_deref().unwrap_or("default");
            let name = p.metadata.name.as_deref().unwrap_or_default();
            if ctx.has(Fact::DrainEvictingNamesNamespace) {
                ctx.stdout(format!("evicting pod {ns}/{name}\n"));
            } else if ctx.has(Fact::DrainAnnouncesEvictions) {
                ctx.stdout(format!("evicting pod \"{name}\"\n"));
            }
            if deadline.is_some_and(|d| now >= d) {
                if !ctx.has(Fact::DrainTimeoutPerEviction) {
                    return Err(KubectlError::unsupported(
                        "kubectl drain --timeout passing, before kubectl 1.17 (`drain did not complete within`)",
                    ));
                }
                errors.push(format!(
                    "error when evicting {}: global timeout reached: {timeout_text}",
                    which(ns, name)
                ));
                *state = Eviction::Done;
                continue;
            }
            let r = ObjectRef::namespaced(Kind::Pod, ns, name);
            let options = DeleteOptions { grace_period_seconds: options.grace };
            *state = match ctx.cluster.evict(&r, options) {
                Ok(_) => Eviction::Waiting(p.metadata.uid.clone()),
                Err(e) if e.reason() == "NotFound" => Eviction::Done,
                Err(e) if e.reason() == "TooManyRequests" => {
                    ctx.stderr(format!(
                        "error when evicting {} (will retry after 5s): {e}\n",
                        which(ns, name)
                    ));
                    Eviction::Due(crate::sim::time::add(now, EVICTION_RETRY))
                }
                Err(e) => {
                    errors.push(format!("error when evicting {}: {e}", which(ns, name)));
                    Eviction::Done
                }
            };
        }
        report_gone(ctx, pods, &mut states, "evicted");
        let next_attempt = states
            .iter()
            .filter_map(|s| match s {
                Eviction::Due(at) => Some(*at),
                _ => None,
            })
            .min();
        let waiting = states.iter().any(|s| matches!(s, Eviction::Waiting(_)));
        if waiting && deadline.is_some_and(|d| ctx.cluster.now() > d) {
            return Err(KubectlError::unsupported(
                "kubectl drain --timeout passing while an evicted pod terminates",
            ));
        }
        match next_attempt {
            Some(at) => {
                // Run the cluster up to the next attempt; pods going on
                // the way are reported when their poll sees them gone.
                let now = ctx.cluster.now();
                if at > now {
                    if waiting {
                        // Step by step, so a pod gone before the attempt is
                        // reported before it.
                        ctx.cluster.step_until(at);
                    } else {
                        ctx.cluster.advance(crate::sim::time::since(at, now));
                    }
                }
            }
            None if waiting => {
                if ctx.cluster.step().is_none() {
                    break;
                }
            }
            None => break,
        }
    }
    Ok(errors)
}

/// `waitForDelete`'s poll: reports each awaited pod that is gone (or
/// replaced by a pod of the same name).
fn report_gone(ctx: &mut Ctx<'_>, pods: &[Pod], states: &mut [Eviction], done: &str) {
    for (p, state) in pods.iter().zip(states.iter_mut()) {
        let Eviction::Waiting(uid) = state else { continue };
        let ns = p.metadata.namespace.as_deref().unwrap_or("default");
        let name = p.metadata.name.as_deref().unwrap_or_default();
        let r = ObjectRef::namespaced(Kind::Pod, ns, name);
        let present = ctx.cluster.get(&r).is_ok_and(|o| uid.is_none() || o.meta().uid == *uid);
        if !present {
            ctx.stdout(messages::name_printer(Kind::Pod, name, done));
            *state = Eviction::Done;
        }
    }
}

/// `deletePods` (`--disable-eviction`): every pod deleted at once, then
/// `waitForDelete` reports each as it goes (`pod/x deleted`).
fn delete_and_wait(
    ctx: &mut Ctx<'_>,
    pods: &[Pod],
    options: &NodeDrain,
) -> Result<(), KubectlError> {
    let mut states = Vec::new();
    for p in pods {
        let ns = p.metadata.namespace.as_deref().unwrap_or("default");
        let name = p.metadata.name.as_deref().unwrap_or_default();
        let r = ObjectRef::namespaced(Kind::Pod, ns, name);
        match ctx.cluster.delete(&r, DeleteOptions { grace_period_seconds: options.grace }) {
            Ok(_) => states.push(Eviction::Waiting(p.metadata.uid.clone())),
            Err(e) if e.reason() == "NotFound" => states.push(Eviction::Done),
            Err(e) => return Err(e.into()),
        }
    }
    let deadline = options.timeout.map(|t| crate::sim::time::add(ctx.cluster.now(), t));
    for _ in 0..MAX_WAIT_STEPS {
        report_gone(ctx, pods, &mut states, "deleted");
        if states.iter().all(|s| matches!(s, Eviction::Done)) {
            break;
        }
        if deadline.is_some_and(|d| ctx.cluster.now() > d) {
            return Err(KubectlError::unsupported(
                "kubectl drain --disable-eviction --timeout passing while a pod terminates",
            ));
        }
        if ctx.cluster.step().is_none() {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taint_specs_parse_as_kubectl_does() {
        let t = parse_taint("node-role.kubernetes.io/master:NoSchedule").unwrap();
        assert_eq!(t.render(), "node-role.kubernetes.io/master:NoSchedule");
        assert_eq!(parse_taint("k=v:NoExecute").unwrap().render(), "k=v:NoExecute");
        assert_eq!(
            parse_taint("k=v:Sometimes").unwrap_err(),
            "invalid taint effect: Sometimes, unsupported taint effect"
        );
        assert_eq!(parse_taint("a:b:c").unwrap_err(), "invalid taint spec: a:b:c");
        assert!(parse_taint("k=v").unwrap_err().starts_with("invalid taint spec: k=v, name part"));
        let (add, remove) = parse_taints(&["k:NoSchedule".into(), "m-".into()]).unwrap();
        assert_eq!((add.len(), remove.len()), (1, 1));
        assert_eq!(parse_taints(&["k".into()]).unwrap_err(), "invalid taint spec: k");
    }
}
