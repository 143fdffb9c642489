//! `kubectl kustomize [DIR]` (`staging/src/k8s.io/kubectl/pkg/cmd/kustomize`,
//! kustomize's `build` command): prints the kustomization's build.

use super::Ctx;
use crate::kubectl::{error::KubectlError, kustomize, manifest};

/// Runs `kubectl kustomize`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    if inv.value("load-restrictor").is_some_and(|r| r != "LoadRestrictionsRootOnly") {
        return Err(KubectlError::unsupported(
            "kubectl kustomize --load-restrictor other than LoadRestrictionsRootOnly",
        ));
    }
    // `build.Options.Validate`.
    let dir = match inv.args.as_slice() {
        [] => ".",
        [dir] => dir.as_str(),
        _ => return Err(KubectlError::msg("specify one path to kustomization.yaml")),
    };
    let build = manifest::kustomize(ctx.cluster.registry(), ctx.workspace, dir, ctx.minor)?;
    for w in &build.warnings {
        ctx.stderr(format!("{w}\n"));
    }
    ctx.stdout(kustomize::render(&build));
    Ok(())
}
