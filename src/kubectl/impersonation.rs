//! Who kubectl's requests go out as: the kubeconfig's user (the profile's
//! cluster admin), or the identity `--as`/`--as-group` impersonate
//! (client-go's `ImpersonatingRoundTripper` sends `Impersonate-User` and
//! `Impersonate-Group`; the apiserver authorizes the request as that user,
//! `k8s.io/apiserver/pkg/endpoints/filters/impersonation.go`).
//!
//! Verbs that authorize their requests call [`authorize`] where they reach
//! the cluster; only they read `--as`, so a verb that does not is reported
//! unsupported for the flag by [`super::flag_audit`] instead of silently
//! acting as the admin.

use super::{args::Invocation, error::KubectlError};
use crate::sim::{
    ApiError, Cluster, Kind,
    auth::{Attributes, UserInfo, authorize as rbac_authorize, rbac::forbidden_message},
};

/// The impersonated user, if `--as` is given (reading the flags marks them
/// consulted). `--as-group` alone is refused by client-go's transport
/// config; kubeplay does not reproduce that message.
pub fn impersonated(inv: &Invocation) -> Result<Option<UserInfo>, KubectlError> {
    let user = inv.value("as").filter(|u| !u.is_empty()).map(str::to_owned);
    let groups = inv.strings("as-group");
    match user {
        Some(user) => Ok(Some(UserInfo::impersonated(&user, &groups))),
        None if !groups.is_empty() => Err(KubectlError::unsupported("--as-group without --as")),
        None => Ok(None),
    }
}

/// The user requests go out as: the impersonated one, else the one the
/// profile's kubeconfig authenticates as.
pub fn effective_user(
    inv: &Invocation,
    profile: &str,
    minor: u32,
) -> Result<UserInfo, KubectlError> {
    Ok(impersonated(inv)?.unwrap_or_else(|| UserInfo::kubeconfig_user(profile, minor)))
}

/// Authorizes one resource request (`verb` on `kind`, in `namespace` or
/// cluster-wide, naming `name` or not) as the invocation's user; a denial
/// is the apiserver's Forbidden error.
pub fn authorize(
    cluster: &Cluster,
    inv: &Invocation,
    verb: &str,
    kind: Kind,
    namespace: Option<&str>,
    name: &str,
) -> Result<(), KubectlError> {
    let Some(user) = impersonated(inv)? else { return Ok(()) };
    let info = kind.info();
    let attrs = Attributes {
        verb: verb.to_owned(),
        group: info.group.to_owned(),
        resource: info.plural.to_owned(),
        namespace: namespace.unwrap_or_default().to_owned(),
        name: name.to_owned(),
        ..Attributes::default()
    };
    let decision = rbac_authorize(cluster.store(), cluster.registry(), &user, &attrs);
    if decision.allowed {
        return Ok(());
    }
    let minor = cluster.config().version.minor();
    Err(KubectlError::Api(ApiError::Forbidden {
        resource: info.group_resource(),
        name: name.to_owned(),
        message: forbidden_message(minor, &user, &attrs, &decision.reason),
    }))
}
