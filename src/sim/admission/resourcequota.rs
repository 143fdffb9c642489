//! The ResourceQuota admission plugin (`apiserver/pkg/admission/plugin/
//! resourcequota/controller.go`, `checkRequest`), for creates: every quota
//! of the namespace that the new object counts against must have room for
//! it; the quotas' `status.used` is charged at once (the next request sees
//! it), and the quota controller later recalculates it from scratch.

use crate::version::Fact;
use k8s_openapi::api::core::v1::ResourceQuota;
use k8s_openapi::jiff::Timestamp;

use crate::sim::{
    object::Object,
    quota::{self, ResourceList, parse_list},
};

/// Resources for which each pod container must state a request or limit
/// when a quota limits them (`validationSet`, pods.go).
const MUST_SPECIFY: &[&str] =
    &["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];

/// Checks a create of `object` against `quotas` (the namespace's, by
/// name). Returns the quotas whose usage changes, with the new usage, or
/// the Forbidden message.
pub fn check_create(
    object: &Object,
    quotas: &[ResourceQuota],
    now: Timestamp,
    minor: u32,
) -> Result<Vec<ResourceQuota>, String> {
    let kind = object.kind();
    let mut interesting = Vec::new();
    for q in quotas {
        let hard = parse_list(q.status.as_ref().and_then(|s| s.hard.as_ref()));
        let restricted = quota::matching_resources(kind, hard.keys());
        if restricted.is_empty() || !quota::matches_scopes(q, object, now) {
            continue;
        }
        let name = q.metadata.name.as_deref().unwrap_or_default();
        if let Object::Pod(pod) = object {
            constraints(pod, &restricted, minor)
                .map_err(|e| format!("failed quota: {name}: {e}"))?;
        }
        let used = parse_list(q.status.as_ref().and_then(|s| s.used.as_ref()));
        if restricted.iter().any(|r| !used.contains_key(r)) {
            let mut names = restricted.clone();
            names.sort();
            return Err(format!(
                "status unknown for quota: {name}, resources: {}",
                names.join(",")
            ));
        }
        interesting.push((q, hard, used));
    }
    let usage: ResourceList =
        quota::usage(object, now).into_iter().filter(|(_, v)| !v.is_zero()).collect();
    let negative: Vec<&String> =
        usage.iter().filter(|(_, v)| v.is_negative()).map(|(k, _)| k).collect();
    if !negative.is_empty() {
        let names: Vec<&str> = negative.iter().map(|s| s.as_str()).collect();
        return Err(format!("quota usage is negative for resource(s): {}", names.join(",")));
    }
    let mut charged = Vec::new();
    for (q, hard, used) in interesting {
        let requested = quota::mask(&usage, hard.keys());
        if requested.is_empty() {
            continue;
        }
        let new_used = quota::add(&used, &requested);
        let exceeded: Vec<String> = requested
            .keys()
            .filter(|k| hard.get(*k).is_some_and(|h| new_used[*k] > *h))
            .cloned()
            .collect();
        if !exceeded.is_empty() {
            let pretty = |l: &ResourceList| {
                quota::mask(l, &exceeded)
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            return Err(format!(
                "exceeded quota: {}, requested: {}, used: {}, limited: {}",
                q.metadata.name.as_deref().unwrap_or_default(),
                pretty(&requested),
                pretty(&used),
                pretty(&hard)
            ));
        }
        let mut updated = q.clone();
        updated.status.get_or_insert_with(Default::default).used =
            Some(quota::to_openapi(&quota::add(&used, &requested)));
        charged.push(updated);
    }
    Ok(charged)
}

/// `podEvaluator.Constraints`: when a quota limits cpu or memory, every
/// container must request (or limit) it.
fn constraints(
    pod: &k8s_openapi::api::core::v1::Pod,
    restricted: &[String],
    minor: u32,
) -> Result<(), String> {
    let required: Vec<&str> =
        MUST_SPECIFY.iter().copied().filter(|r| restricted.iter().any(|x| x == r)).collect();
    let mut missing: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    let Some(spec) = pod.spec.as_ref() else { return Ok(()) };
    for c in spec.containers.iter().chain(spec.init_containers.iter().flatten()) {
        let r = c.resources.as_ref();
        let usage = quota::compute_usage(
            &parse_list(r.and_then(|r| r.requests.as_ref())),
            &parse_list(r.and_then(|r| r.limits.as_ref())),
        );
        for need in &required {
            if !usage.contains_key(*need) {
                missing.entry(need).or_default().insert(c.name.as_str());
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    // The missing resources alone, or (v1.24) with the containers.
    if !Fact::QuotaMustSpecifyNamesContainers.holds_at(minor) {
        let names: Vec<&str> = missing.keys().copied().collect();
        return Err(format!("must specify {}", names.join(",")));
    }
    let parts: Vec<String> = missing
        .iter()
        .map(|(r, names)| {
            format!("{r} for: {}", names.iter().copied().collect::<Vec<_>>().join(","))
        })
        .collect();
    Err(format!("must specify {}", parts.join("; ")))
}
