//! `kubectl set serviceaccount (TYPE NAME | TYPE/NAME) SERVICE_ACCOUNT`
//! (`pkg/cmd/set/set_serviceaccount.go`): sets `serviceAccountName` in
//! the pod spec of each object and prints it `serviceaccount updated`,
//! changed or not (the strategic-merge patch is sent either way).

use super::{Ctx, print_flags::DryRun, set};
use crate::kubectl::{deployutil::CHANGE_CAUSE, error::KubectlError};

/// Runs `kubectl set serviceaccount`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let dry_run = DryRun::from_ctx(ctx)?;
    let inv = ctx.inv;
    // `Complete`.
    if inv.bool("local") && dry_run == DryRun::Server {
        return Err(KubectlError::msg(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    let Some((account, resources)) = inv.args.split_last() else {
        return Err(KubectlError::msg("serviceaccount is required"));
    };
    let account = account.clone();
    let cause = super::create::record_cause(ctx);
    let mut errors = Vec::new();
    for before in set::server_targets(ctx, resources, "kubectl set serviceaccount")? {
        let kind = before.kind();
        let name = before.name().to_owned();
        if kind == crate::sim::controllers::statefulset::sts_kind() {
            return Err(KubectlError::unsupported("kubectl set serviceaccount of a StatefulSet"));
        }
        let mut object = before.clone();
        let Some(spec) = set::pod_spec_mut(&mut object) else {
            errors.push(set::no_pod_template(kind, &name));
            continue;
        };
        spec.service_account_name = Some(account.clone());
        if let Some(cause) = &cause {
            super::create::annotate(&mut object, CHANGE_CAUSE, cause);
        }
        let result = if object == before {
            object
        } else {
            match super::print_flags::update(ctx, dry_run, object) {
                Ok(o) => o,
                Err(KubectlError::Api(e)) => {
                    errors
                        .push(KubectlError::msg(format!("failed to patch ServiceAccountName {e}")));
                    continue;
                }
                Err(e) => return Err(e),
            }
        };
        super::print_flags::print_object(
            ctx,
            &result,
            &dry_run.operation("serviceaccount updated"),
        )?;
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}
