//! `kubectl events [--for TYPE/NAME] [--types Normal,Warning] [-A]`
//! (`pkg/cmd/events/events.go` and `event_printer.go`, a top-level command
//! from k8s.io/kubectl v0.26.0; `kubectl alpha events` before): the
//! namespace's events, oldest first, as `LAST SEEN  TYPE  REASON  OBJECT
//! MESSAGE`. `-w` and `-o` are left unread (the flag audit names them).

use k8s_openapi::{api::core::v1::Event, jiff::Timestamp};

use super::Ctx;
use crate::{
    kubectl::{error::KubectlError, printers::duration::human_between, printers::layout},
    sim::{Kind, Object},
};

/// Runs `kubectl events`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let all = inv.bool("all-namespaces");
    // `ToOptions`: `--for` must name one object as `resource/name`.
    let target = match inv.value("for").filter(|f| !f.is_empty()) {
        None => None,
        Some(spec) => {
            let Some((resource, name)) = spec.split_once('/') else {
                return Err(KubectlError::msg("--for must be in resource/name form"));
            };
            if name.contains('/') {
                return Err(KubectlError::msg(
                    "arguments in resource/name form may not have more than one slash",
                ));
            }
            let Some(kind) = ctx.cluster.registry().resolve(&resource.to_lowercase()) else {
                return Err(KubectlError::unsupported(format!(
                    "kubectl events --for of a resource the server does not serve ({resource})"
                )));
            };
            Some((kind, name.to_owned()))
        }
    };
    // `Validate`.
    let types = inv.strings("types");
    if types.iter().any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning"))
    {
        return Err(KubectlError::msg("valid --types are Normal or Warning"));
    }
    let namespace = ctx.namespace();
    let now = ctx.now();
    let mut events: Vec<Event> = ctx
        .cluster
        .list(Kind::Event, if all { None } else { Some(namespace.as_str()) })
        .into_iter()
        .filter_map(|o| match o {
            Object::Event(e) => Some(e.clone()),
            _ => None,
        })
        .filter(|e| {
            // The field selector on involvedObject kind, apiVersion, name.
            target.as_ref().is_none_or(|(kind, name)| {
                let info = kind.info();
                let o = &e.involved_object;
                o.kind.as_deref() == Some(info.kind_name)
                    && o.api_version.as_deref() == Some(info.api_version().as_str())
                    && o.name.as_deref() == Some(name.as_str())
            })
        })
        .filter(|e| {
            types.is_empty()
                || types
                    .iter()
                    .any(|t| e.type_.as_deref().is_some_and(|ty| ty.eq_ignore_ascii_case(t)))
        })
        .collect();
    if events.is_empty() {
        ctx.stderr(if all {
            "No events found.\n".to_owned()
        } else {
            format!("No events found in {namespace} namespace.\n")
        });
        return Ok(());
    }
    // `SortableEvents` (a stable sort of Go's `sort.Sort` is not promised;
    // equal times keep the list order).
    events.sort_by_key(event_time);
    let mut out = String::new();
    if !inv.bool("no-headers") {
        if all {
            out.push_str("NAMESPACE\t");
        }
        out.push_str("LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
    }
    for e in &events {
        if all {
            out.push_str(&format!("{}\t", e.metadata.namespace.as_deref().unwrap_or_default()));
        }
        let o = &e.involved_object;
        out.push_str(&format!(
            "{}\t{}\t{}\t{}/{}\t{}\n",
            interval(e, now),
            e.type_.as_deref().unwrap_or_default(),
            e.reason.as_deref().unwrap_or_default(),
            o.kind.as_deref().unwrap_or_default(),
            o.name.as_deref().unwrap_or_default(),
            e.message.as_deref().unwrap_or_default().trim(),
        ));
    }
    ctx.stdout(layout::layout(&out, layout::GET));
    Ok(())
}

/// `eventTime`: the series' last observation, else the last timestamp,
/// else the event time.
fn event_time(e: &Event) -> Option<Timestamp> {
    if let Some(series) = &e.series {
        return series.last_observed_time.as_ref().map(|t| t.0);
    }
    e.last_timestamp.as_ref().map(|t| t.0).or_else(|| e.event_time.as_ref().map(|t| t.0))
}

/// `getInterval`: the age of the event's first occurrence, or `LAST (xN
/// over FIRST)` for a repeated one.
fn interval(e: &Event, now: Timestamp) -> String {
    let since = |t: Option<Timestamp>| t.map_or("<unknown>".to_owned(), |t| human_between(t, now));
    let first = match &e.event_time {
        Some(t) => since(Some(t.0)),
        None => since(e.first_timestamp.as_ref().map(|t| t.0)),
    };
    if let Some(series) = &e.series {
        let last = since(series.last_observed_time.as_ref().map(|t| t.0));
        return format!("{last} (x{} over {first})", series.count.unwrap_or(0));
    }
    match e.count {
        Some(n) if n > 1 => {
            format!("{} (x{n} over {first})", since(e.last_timestamp.as_ref().map(|t| t.0)))
        }
        _ => first,
    }
}
