//! The LimitRanger admission plugin (`plugin/pkg/admission/limitranger/
//! admission.go`, unchanged in substance from v1.10 to v1.35) and the
//! LimitRange defaults it relies on (`SetDefaults_LimitRangeItem`,
//! `pkg/apis/core/v1/defaults.go`).
//!
//! Mutating: a new pod's containers get the `default` limits and
//! `defaultRequest` requests of every Container-type limit they do not set,
//! and the pod is annotated `kubernetes.io/limit-ranger` with what was set.
//! Validating: min, max and maxLimitRequestRatio of Container, Pod and
//! PersistentVolumeClaim limits, each violation a Forbidden message.
//! Pod updates are not checked (containers' resources are immutable).

use k8s_openapi::{
    api::core::v1::{Container, LimitRange, LimitRangeItem, Pod},
    apimachinery::pkg::api::resource::Quantity as OpenApiQuantity,
};

use crate::{
    quantity::Quantity,
    sim::quota::{ResourceList, parse_list, pod_requests_and_limits, to_openapi},
};

const ANNOTATION: &str = "kubernetes.io/limit-ranger";

/// `SetDefaults_LimitRangeItem`: a Container limit without `default` takes
/// `max`; without `defaultRequest`, `default`, else `min`. Quantities are
/// stored in canonical form.
pub fn default_limit_range(lr: &mut LimitRange) {
    let Some(spec) = lr.spec.as_mut() else { return };
    for item in &mut spec.limits {
        canonical(item);
        if item.type_ != "Container" {
            continue;
        }
        let max = parse_list(item.max.as_ref());
        let mut default = parse_list(item.default.as_ref());
        for (k, v) in &max {
            default.entry(k.clone()).or_insert(*v);
        }
        let mut default_request = parse_list(item.default_request.as_ref());
        for (k, v) in default.iter().chain(parse_list(item.min.as_ref()).iter()) {
            default_request.entry(k.clone()).or_insert(*v);
        }
        item.default = Some(to_openapi(&default));
        item.default_request = Some(to_openapi(&default_request));
    }
}

fn canonical(item: &mut LimitRangeItem) {
    for list in [
        &mut item.max,
        &mut item.min,
        &mut item.default,
        &mut item.default_request,
        &mut item.max_limit_request_ratio,
    ] {
        if let Some(l) = list.as_mut() {
            for q in l.values_mut() {
                if let Some(parsed) = Quantity::parse(&q.0) {
                    q.0 = parsed.to_string();
                }
            }
        }
    }
}

/// The mutating half, for a new pod: defaults from each LimitRange in
/// turn (`PodMutateLimitFunc`), in the order the lister gives them (by
/// name here; a real lister's order is a cache's).
pub fn mutate_pod(pod: &mut Pod, ranges: &[LimitRange]) {
    for lr in ranges {
        let (mut limits, mut requests) = (ResourceList::new(), ResourceList::new());
        for item in lr.spec.iter().flat_map(|s| s.limits.iter()).filter(|i| i.type_ == "Container")
        {
            // `defaultContainerResourceRequirements`: later items win.
            limits.extend(parse_list(item.default.as_ref()));
            requests.extend(parse_list(item.default_request.as_ref()));
        }
        let mut notes = Vec::new();
        let Some(spec) = pod.spec.as_mut() else { continue };
        for c in &mut spec.containers {
            merge(c, &limits, &requests, "container", &mut notes);
        }
        for c in spec.init_containers.iter_mut().flatten() {
            merge(c, &limits, &requests, "init container", &mut notes);
        }
        if !notes.is_empty() {
            pod.metadata.annotations.get_or_insert_with(Default::default).insert(
                ANNOTATION.to_owned(),
                format!("LimitRanger plugin set: {}", notes.join("; ")),
            );
        }
    }
}

/// `mergeContainerResources`.
fn merge(
    c: &mut Container,
    limits: &ResourceList,
    requests: &ResourceList,
    prefix: &str,
    notes: &mut Vec<String>,
) {
    let resources = c.resources.get_or_insert_with(Default::default);
    let mut set_limits = Vec::new();
    let have = resources.limits.get_or_insert_with(Default::default);
    for (k, v) in limits {
        if !have.contains_key(k) {
            have.insert(k.clone(), OpenApiQuantity(v.to_string()));
            set_limits.push(k.as_str());
        }
    }
    let mut set_requests = Vec::new();
    let have = resources.requests.get_or_insert_with(Default::default);
    for (k, v) in requests {
        if !have.contains_key(k) {
            have.insert(k.clone(), OpenApiQuantity(v.to_string()));
            set_requests.push(k.as_str());
        }
    }
    if !set_requests.is_empty() {
        notes.push(format!("{} request for {prefix} {}", set_requests.join(", "), c.name));
    }
    if !set_limits.is_empty() {
        notes.push(format!("{} limit for {prefix} {}", set_limits.join(", "), c.name));
    }
}

/// The validating half for a pod (`PodValidateLimitFunc`): the messages of
/// every violated constraint, in the order upstream checks them (resource
/// names sorted: upstream ranges over a Go map, so its order varies).
pub fn validate_pod(pod: &Pod, ranges: &[LimitRange]) -> Vec<String> {
    let mut errs = Vec::new();
    let Some(spec) = pod.spec.as_ref() else { return errs };
    for item in ranges.iter().flat_map(|lr| lr.spec.iter().flat_map(|s| s.limits.iter())) {
        match item.type_.as_str() {
            "Container" => {
                for c in spec.containers.iter().chain(spec.init_containers.iter().flatten()) {
                    let r = c.resources.as_ref();
                    let requests = parse_list(r.and_then(|r| r.requests.as_ref()));
                    let limits = parse_list(r.and_then(|r| r.limits.as_ref()));
                    check(item, "Container", &requests, &limits, &mut errs);
                }
            }
            "Pod" => {
                let (requests, limits) = pod_requests_and_limits(pod);
                check(item, "Pod", &requests, &limits, &mut errs);
            }
            _ => {}
        }
    }
    errs
}

/// The validating half for a PersistentVolumeClaim's
/// `spec.resources.requests` (`PersistentVolumeClaimValidateLimitFunc`).
pub fn validate_claim(requests: &ResourceList, ranges: &[LimitRange]) -> Vec<String> {
    let mut errs = Vec::new();
    for item in ranges.iter().flat_map(|lr| lr.spec.iter().flat_map(|s| s.limits.iter())) {
        if item.type_ != "PersistentVolumeClaim" {
            continue;
        }
        let t = "PersistentVolumeClaim";
        for (k, enforced) in parse_list(item.min.as_ref()) {
            errs.extend(min_constraint(t, &k, enforced, requests, &ResourceList::new()));
        }
        for (k, enforced) in parse_list(item.max.as_ref()) {
            let req = requests.get(&k);
            errs.extend(match req {
                None => Some(format!(
                    "maximum {k} usage per {t} is {enforced}.  No request is specified"
                )),
                Some(r) if r.milli_value() > enforced.milli_value() => {
                    Some(format!("maximum {k} usage per {t} is {enforced}, but request is {r}"))
                }
                _ => None,
            });
        }
    }
    errs
}

fn check(
    item: &LimitRangeItem,
    t: &str,
    requests: &ResourceList,
    limits: &ResourceList,
    errs: &mut Vec<String>,
) {
    for (k, enforced) in parse_list(item.min.as_ref()) {
        errs.extend(min_constraint(t, &k, enforced, requests, limits));
    }
    for (k, enforced) in parse_list(item.max.as_ref()) {
        errs.extend(max_constraint(t, &k, enforced, requests, limits));
    }
    for (k, enforced) in parse_list(item.max_limit_request_ratio.as_ref()) {
        errs.extend(ratio_constraint(t, &k, enforced, requests, limits));
    }
}

// The constraints compare milli-units (`requestLimitEnforcedValues`).

fn min_constraint(
    t: &str,
    k: &str,
    enforced: Quantity,
    requests: &ResourceList,
    limits: &ResourceList,
) -> Option<String> {
    let Some(req) = requests.get(k) else {
        return Some(format!("minimum {k} usage per {t} is {enforced}.  No request is specified"));
    };
    if req.milli_value() < enforced.milli_value() {
        return Some(format!("minimum {k} usage per {t} is {enforced}, but request is {req}"));
    }
    match limits.get(k) {
        Some(lim) if lim.milli_value() < enforced.milli_value() => {
            Some(format!("minimum {k} usage per {t} is {enforced}, but limit is {lim}"))
        }
        _ => None,
    }
}

fn max_constraint(
    t: &str,
    k: &str,
    enforced: Quantity,
    requests: &ResourceList,
    limits: &ResourceList,
) -> Option<String> {
    let Some(lim) = limits.get(k) else {
        return Some(format!("maximum {k} usage per {t} is {enforced}.  No limit is specified"));
    };
    if lim.milli_value() > enforced.milli_value() {
        return Some(format!("maximum {k} usage per {t} is {enforced}, but limit is {lim}"));
    }
    match requests.get(k) {
        Some(req) if req.milli_value() > enforced.milli_value() => {
            Some(format!("maximum {k} usage per {t} is {enforced}, but request is {req}"))
        }
        _ => None,
    }
}

fn ratio_constraint(
    t: &str,
    k: &str,
    enforced: Quantity,
    requests: &ResourceList,
    limits: &ResourceList,
) -> Option<String> {
    let req = requests.get(k).map_or(0, Quantity::milli_value);
    if req == 0 {
        return Some(format!(
            "{k} max limit to request ratio per {t} is {enforced}, but no request is specified or request is 0"
        ));
    }
    let lim = limits.get(k).map_or(0, Quantity::milli_value);
    if lim == 0 {
        return Some(format!(
            "{k} max limit to request ratio per {t} is {enforced}, but no limit is specified or limit is 0"
        ));
    }
    let observed = lim as f64 / req as f64;
    if observed * 1000.0 > enforced.milli_value() as f64 {
        // Go's `%f`: six decimals.
        return Some(format!(
            "{k} max limit to request ratio per {t} is {enforced}, but provided ratio is {observed:.6}"
        ));
    }
    None
}

/// `utilerrors.NewAggregate(errs).Error()`: one message alone, several in
/// brackets.
pub fn aggregate(errs: &[String]) -> String {
    match errs {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}
