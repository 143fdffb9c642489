//! `kubectl set resources` (`pkg/cmd/set/set_resources.go`): sets the
//! requests and limits of a workload's containers. A changed pod template
//! rolls a Deployment out like any other template change.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;

use super::{Ctx, print_flags::DryRun, set};
use crate::{
    kubectl::{deployutil::CHANGE_CAUSE, error::KubectlError},
    quantity::Quantity,
};

/// `resource.ParseQuantity`'s error for text that is not a quantity.
const QUANTITY_ERROR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// Runs `kubectl set resources RESOURCE/NAME --limits=... --requests=...`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let dry_run = DryRun::from_ctx(ctx)?;
    let inv = ctx.inv;
    let limits_text = inv.value("limits").unwrap_or_default().to_owned();
    let requests_text = inv.value("requests").unwrap_or_default().to_owned();
    // `Validate`.
    if inv.bool("local") && dry_run == DryRun::Server {
        return Err(KubectlError::msg(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    if inv.bool("all") && inv.value("selector").is_some_and(|s| !s.is_empty()) {
        return Err(KubectlError::msg("cannot set --all and --selector at the same time"));
    }
    if limits_text.is_empty() && requests_text.is_empty() {
        return Err(KubectlError::msg(
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        ));
    }
    let limits = resource_list(&limits_text)?;
    let requests = resource_list(&requests_text)?;
    let pattern = inv.value("containers").unwrap_or("*").to_owned();
    let cause = super::create::record_cause(ctx);
    let resources = inv.args.clone();
    let mut errors = Vec::new();
    for before in set::server_targets(ctx, &resources, "kubectl set resources")? {
        let kind = before.kind();
        let name = before.name().to_owned();
        let mut object = before.clone();
        let Some(spec) = set::pod_spec_mut(&mut object) else {
            errors.push(set::no_pod_template(kind, &name));
            continue;
        };
        let containers = set::pod_containers(spec, &pattern);
        if containers.is_empty() {
            errors.push(KubectlError::msg(format!(
                "error: unable to find container named {pattern}"
            )));
            continue;
        }
        for c in containers {
            let r = c.resources.get_or_insert_with(Default::default);
            if !limits.is_empty() {
                r.limits.get_or_insert_with(Default::default).extend(limits.clone());
            }
            if !requests.is_empty() {
                r.requests.get_or_insert_with(Default::default).extend(requests.clone());
            }
        }
        if object == before {
            continue;
        }
        if let Some(cause) = &cause {
            super::create::annotate(&mut object, CHANGE_CAUSE, cause);
        }
        let result = match super::print_flags::update(ctx, dry_run, object) {
            Ok(o) => o,
            Err(KubectlError::Api(e)) => {
                errors.push(KubectlError::msg(format!(
                    "failed to patch resources update to pod template {e}"
                )));
                continue;
            }
            Err(e) => return Err(e),
        };
        super::print_flags::print_object(
            ctx,
            &result,
            &dry_run.operation("resource requirements updated"),
        )?;
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

/// `populateResourceListV1`: `cpu=100m,memory=256Mi` as a resource list of
/// canonical quantities (what `ParseQuantity` then encoding gives).
fn resource_list(text: &str) -> Result<BTreeMap<String, ApiQuantity>, KubectlError> {
    let mut out = BTreeMap::new();
    for pair in text.split(',').filter(|p| !p.is_empty()) {
        let Some((name, value)) =
            pair.split_once('=').filter(|(n, v)| !n.is_empty() && !v.is_empty())
        else {
            return Err(KubectlError::msg(format!(
                "Invalid argument syntax {pair}, expected <resource>=<value>"
            )));
        };
        let q = Quantity::parse(value).ok_or_else(|| KubectlError::msg(QUANTITY_ERROR))?;
        out.insert(name.to_owned(), ApiQuantity(q.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_lists_parse_and_canonicalise() {
        let l = resource_list("cpu=0.5,memory=512Mi").unwrap();
        assert_eq!(l["cpu"].0, "500m");
        assert_eq!(l["memory"].0, "512Mi");
        assert_eq!(
            resource_list("cpu").unwrap_err(),
            KubectlError::msg("Invalid argument syntax cpu, expected <resource>=<value>")
        );
        assert!(resource_list("cpu=x").is_err());
    }
}
