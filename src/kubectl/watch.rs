//! `kubectl get -w|--watch|--watch-only [--output-watch-events]`
//! (`kubectl/pkg/cmd/get/get.go` `watch`, v1.22): the current list (unless
//! `--watch-only`), then one print per watch event as the cluster changes.
//!
//! - One tabwriter with liggitt/tabwriter's `RememberWidths` serves the whole
//!   watch and is flushed after the list and after every event, so an
//!   event's row is laid out alone yet keeps the table's column widths
//!   ([`RememberingWriter`]).
//! - The human-readable printer prints the header once, with the first
//!   print that has rows (`HumanReadablePrinter.PrintObj` `printedHeaders`):
//!   an empty list prints nothing, and the header then comes with the first
//!   event; no "No resources found" notice in watch mode.
//! - A watch of one named object prints it, then only later changes (the
//!   synthetic ADDED event of a watch from resourceVersion 0 is skipped).
//! - A label or field selector is applied by the API server to every event:
//!   an object that stops matching is DELETED from the watch, one that starts
//!   matching is ADDED.
//!
//! The simulator has no watch cache, so events are found by comparing the
//! watched objects before and after every simulator step (one controller
//! action or one clock jump). Writes that change nothing but the
//! resourceVersion are no events, as on a real API server, where a no-op
//! update is not persisted.
//!
//! `get -w` never exits by itself. The runner hands in an [`Interrupt`]:
//! the watch ends as Ctrl-C would once the output holds everything the step
//! expects, or after the step's timeout (DESIGN §4), or when nothing can
//! change any more; the terminal's `^C` echo is part of what it shows.
//! A template that fails on an object prints what it managed, then the
//! error (`unable to output the provided object: ...` for the initial list).

use std::{collections::BTreeMap, time::Duration};

use super::{
    error::KubectlError,
    fields::FieldSelector,
    labels::Selector,
    printers::{
        generic::TemplatePrinter,
        layout::{GET, RememberingWriter},
        table::{self, PrintOptions},
    },
    verbs::Ctx,
};
use crate::sim::{Kind, Object, ObjectRef, time};

/// When a command that never exits by itself is interrupted (Ctrl-C).
pub struct Interrupt {
    /// Whether the output printed so far (stdout and stderr merged) holds
    /// everything the reader waits for.
    pub printed: Box<dyn Fn(&str) -> bool>,
    /// Virtual time after which the reader gives up waiting.
    pub after: Duration,
}

impl std::fmt::Debug for Interrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interrupt").field("after", &self.after).finish_non_exhaustive()
    }
}

/// How long a watch runs when nothing interrupts it (`kubeplay shell`).
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(600);

/// Most simulator steps one watch takes (a guard against a runaway loop).
const MAX_STEPS: usize = 200_000;

/// What is watched.
pub struct Target {
    /// The kind.
    pub kind: Kind,
    /// The namespace, `None` for all (or a cluster-scoped kind).
    pub namespace: Option<String>,
    /// One named object (`get pod web -w`), else a collection.
    pub name: Option<String>,
    /// `-l`.
    pub selector: Option<Selector>,
    /// `--field-selector`.
    pub fields: Option<FieldSelector>,
}

impl Target {
    fn matching(&self, ctx: &Ctx<'_>) -> Vec<Object> {
        ctx.cluster
            .list(self.kind, self.namespace.as_deref())
            .into_iter()
            .filter(|o| {
                self.name.as_deref().is_none_or(|n| o.name() == n)
                    && self.selector.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref()))
                    && self.fields.as_ref().is_none_or(|f| f.matches(o))
            })
            .cloned()
            .collect()
    }
}

/// How each object is printed.
pub enum Format {
    /// The human-readable table (`-o wide` too).
    Table(PrintOptions),
    /// `-o name`.
    Name(String),
    /// `-o yaml`.
    Yaml,
    /// `-o json`.
    Json,
    /// `-o jsonpath|go-template|custom-columns...`.
    Template(TemplatePrinter),
}

/// The watch's printer and its state across events.
struct Printer {
    format: Format,
    writer: RememberingWriter,
    printed_headers: bool,
    printed_objects: usize,
    output_events: bool,
    /// What a template printed before it failed (written before the error).
    partial: String,
}

impl Printer {
    /// The current list, before any event: one Table, one flush.
    fn print_list(
        &mut self,
        ctx: &Ctx<'_>,
        kind: Kind,
        objects: &[Object],
    ) -> Result<String, KubectlError> {
        if let Format::Table(_) = self.format {
            let refs: Vec<&Object> = objects.iter().collect();
            return Ok(self.print_table(ctx, kind, &refs, "ADDED"));
        }
        let mut text = String::new();
        for o in objects {
            text.push_str(&self.print(ctx, o, "ADDED")?);
        }
        Ok(text)
    }

    /// `HumanReadablePrinter.PrintObj` of one Table, flushed.
    fn print_table(
        &mut self,
        ctx: &Ctx<'_>,
        kind: Kind,
        objects: &[&Object],
        event: &str,
    ) -> String {
        let Format::Table(opts) = &self.format else { return String::new() };
        if objects.is_empty() {
            return String::new();
        }
        let t = table::table(kind, objects, &ctx.env());
        let opts =
            PrintOptions { no_headers: opts.no_headers || self.printed_headers, ..opts.clone() };
        let mut text = table::render_text(&t, &opts);
        if self.output_events {
            // `addColumns(beginning, ..., "Event")` after `decorateTable`.
            let header = !opts.no_headers;
            text = text
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    let cell = if header && i == 0 { "EVENT" } else { event };
                    format!("{cell}\t{l}\n")
                })
                .collect();
        }
        self.printed_headers = true;
        self.writer.flush(&text)
    }

    /// The text one event prints (already laid out).
    fn print(
        &mut self,
        ctx: &Ctx<'_>,
        object: &Object,
        event: &str,
    ) -> Result<String, KubectlError> {
        match &mut self.format {
            Format::Table(_) => Ok(self.print_table(ctx, object.kind(), &[object], event)),
            Format::Name(kind) => Ok(format!("{kind}/{}\n", object.name())),
            Format::Yaml | Format::Json => {
                let mut value =
                    crate::sim::conversion::served(object, ctx.cluster.config().version);
                super::printers::yaml::go_zero_values(&mut value, ctx.minor);
                if self.output_events {
                    value = serde_json::json!({"type": event, "object": value});
                }
                self.printed_objects += 1;
                if matches!(self.format, Format::Json) {
                    Ok(super::verbs::get::json_text(&value)?)
                } else {
                    // `YAMLPrinter` separates documents after the first.
                    let sep = if self.printed_objects > 1 { "---\n" } else { "" };
                    Ok(format!("{sep}{}", super::printers::yaml::to_string(&value)))
                }
            }
            Format::Template(printer) => {
                let printed = printer
                    .print(&crate::sim::conversion::served(object, ctx.cluster.config().version));
                // The custom-columns printer prints its header once per type
                // (`CustomColumnsPrinter.lastType`).
                if let TemplatePrinter::CustomColumns { no_headers, .. } = printer {
                    *no_headers = true;
                }
                match printed.error {
                    Some(err) => {
                        self.partial = printed.text;
                        Err(err)
                    }
                    None => Ok(printed.text),
                }
            }
        }
    }
}

/// Runs the watch. `watch_only`: `--watch-only`; `output_events`:
/// `--output-watch-events`.
pub fn run(
    ctx: &mut Ctx<'_>,
    target: Target,
    format: Format,
    watch_only: bool,
    output_events: bool,
) -> Result<(), KubectlError> {
    let mut printer = Printer {
        format,
        writer: RememberingWriter::new(GET),
        printed_headers: false,
        printed_objects: 0,
        output_events,
        partial: String::new(),
    };
    let mut seen: BTreeMap<ObjectRef, Object> = BTreeMap::new();
    let initial = match &target.name {
        Some(name) => {
            let r = match &target.namespace {
                Some(ns) => ObjectRef::namespaced(target.kind, ns, name),
                None => ObjectRef::cluster(target.kind, name),
            };
            vec![ctx.cluster.get(&r)?.clone()]
        }
        None => target.matching(ctx),
    };
    if !watch_only {
        match printer.print_list(ctx, target.kind, &initial) {
            Ok(text) => ctx.stdout(text),
            Err(err) => {
                ctx.stdout(std::mem::take(&mut printer.partial));
                return Err(KubectlError::msg(format!(
                    "unable to output the provided object: {}",
                    err.render(ctx.minor).trim_end().trim_start_matches("error: ")
                )));
            }
        }
    }
    for o in initial {
        seen.insert(o.object_ref(), o);
    }

    let (printed, after) = match ctx.interrupt {
        Some(i) => (Some(&i.printed), i.after),
        None => (None, DEFAULT_LIMIT),
    };
    let start = ctx.now();
    let mut checked_len = usize::MAX;
    for _ in 0..MAX_STEPS {
        let so_far = ctx.out.merged();
        if so_far.len() != checked_len {
            checked_len = so_far.len();
            // A tutorial may show the `^C` the terminal echoed.
            if printed.is_some_and(|p| p(&so_far) || p(&format!("{so_far}{CTRL_C}"))) {
                break;
            }
        }
        if time::since(ctx.now(), start) >= after || ctx.cluster.step().is_none() {
            break;
        }
        let current = target.matching(ctx);
        for (event, object) in changes(&mut seen, current, ctx.cluster.store().revision()) {
            match printer.print(ctx, &object, event) {
                Ok(text) => ctx.stdout(text),
                Err(err) => {
                    ctx.stdout(std::mem::take(&mut printer.partial));
                    return Err(err);
                }
            }
        }
    }
    // The watch never ends by itself: the reader pressed Ctrl-C, which the
    // terminal echoes (not part of kubectl's stdout, so not piped on).
    ctx.stderr(CTRL_C);
    Ok(())
}

/// What the terminal shows when the reader interrupts a watch.
const CTRL_C: &str = "^C\n";

/// The watch events between the last seen objects and `current`, in the
/// order their writes happened; updates `seen`.
fn changes(
    seen: &mut BTreeMap<ObjectRef, Object>,
    current: Vec<Object>,
    revision: u64,
) -> Vec<(&'static str, Object)> {
    let rv = |o: &Object| {
        o.meta().resource_version.as_deref().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
    };
    let mut events: Vec<(u64, &'static str, Object)> = Vec::new();
    let mut now: BTreeMap<ObjectRef, Object> = BTreeMap::new();
    for o in current {
        let r = o.object_ref();
        match seen.get(&r) {
            Some(old) if old.meta().uid != o.meta().uid => {
                events.push((rv(&o), "DELETED", old.clone()));
                events.push((rv(&o), "ADDED", o.clone()));
            }
            Some(old) if old.meta().resource_version == o.meta().resource_version => {}
            Some(old) if same_but_version(old, &o) => {}
            Some(_) => events.push((rv(&o), "MODIFIED", o.clone())),
            None => events.push((rv(&o), "ADDED", o.clone())),
        }
        now.insert(r, o);
    }
    for (r, old) in seen.iter() {
        if !now.contains_key(r) {
            events.push((revision, "DELETED", old.clone()));
        }
    }
    *seen = now;
    events.sort_by_key(|(rv, _, _)| *rv);
    events.into_iter().map(|(_, e, o)| (e, o)).collect()
}

fn same_but_version(a: &Object, b: &Object) -> bool {
    let mut b = b.clone();
    b.meta_mut().resource_version = a.meta().resource_version.clone();
    *a == b
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pod(name: &str, uid: &str, rv: &str, phase: &str) -> Object {
        Object::from_value(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "uid": uid, "resourceVersion": rv},
            "status": {"phase": phase}}))
        .unwrap()
    }

    fn names(events: &[(&'static str, Object)]) -> Vec<String> {
        events.iter().map(|(e, o)| format!("{e} {}", o.name())).collect()
    }

    #[test]
    fn events_between_two_looks() {
        let mut seen: BTreeMap<ObjectRef, Object> = BTreeMap::new();
        let a = pod("a", "u1", "10", "Pending");
        let events = changes(&mut seen, vec![a.clone()], 10);
        assert_eq!(names(&events), ["ADDED a"]);
        // A write that changes nothing but the resourceVersion is no event.
        let a2 = pod("a", "u1", "11", "Pending");
        assert!(changes(&mut seen, vec![a2], 11).is_empty());
        // Changes come in the order of their writes; a vanished object is
        // DELETED with its last state.
        let a3 = pod("a", "u1", "14", "Running");
        let b = pod("b", "u2", "12", "Pending");
        assert_eq!(names(&changes(&mut seen, vec![a3, b.clone()], 14)), ["ADDED b", "MODIFIED a"]);
        assert_eq!(names(&changes(&mut seen, vec![b.clone()], 15)), ["DELETED a"]);
        // Same name, new uid: the old object went and a new one came.
        let b2 = pod("b", "u3", "16", "Pending");
        assert_eq!(names(&changes(&mut seen, vec![b2], 16)), ["DELETED b", "ADDED b"]);
    }
}
