//! Who a request comes from (`k8s.io/apiserver/pkg/authentication/user`).

use crate::version::Fact;

/// `system:authenticated`, which every authenticated user is in.
pub const ALL_AUTHENTICATED: &str = "system:authenticated";
/// `system:masters`, which the apiserver's privileged-group authorizer
/// allows everything (`authorizerfactory.NewPrivilegedGroups`).
pub const SYSTEM_MASTERS: &str = "system:masters";

/// An authenticated user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    /// The user name (`jane`, `system:serviceaccount:default:app`).
    pub name: String,
    /// The groups the user is in.
    pub groups: Vec<String>,
}

impl UserInfo {
    /// The user `admin.conf` authenticates as on a cluster of the profile:
    /// kubeadm (and kind and minikube, which run kubeadm) write a client
    /// certificate for `kubernetes-admin` in `system:masters`; from v1.29
    /// kubeadm puts it in `kubeadm:cluster-admins` instead, a group bound to
    /// cluster-admin (`cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go`).
    pub fn cluster_admin(minor: u32) -> UserInfo {
        let group = if Fact::KubeadmClusterAdminsGroup.holds_at(minor) {
            "kubeadm:cluster-admins"
        } else {
            SYSTEM_MASTERS
        };
        UserInfo {
            name: "kubernetes-admin".to_owned(),
            groups: vec![group.to_owned(), ALL_AUTHENTICATED.to_owned()],
        }
    }

    /// The user the profile's kubeconfig authenticates as: minikube writes
    /// its own client certificate, `minikube-user` in `system:masters`
    /// (minikube `pkg/minikube/bootstrapper/certs.go`); kubeadm and kind
    /// use kubeadm's `admin.conf` ([`UserInfo::cluster_admin`]).
    /// The kwok profile's is the certificate scripts/control-plane/start.sh
    /// writes, `kubeplay-admin` in `system:masters`.
    pub fn kubeconfig_user(profile: &str, minor: u32) -> UserInfo {
        let own = match profile {
            "minikube" => "minikube-user",
            "kwok" => "kubeplay-admin",
            _ => return UserInfo::cluster_admin(minor),
        };
        UserInfo {
            name: own.to_owned(),
            groups: vec![SYSTEM_MASTERS.to_owned(), ALL_AUTHENTICATED.to_owned()],
        }
    }

    /// The user a request impersonates (`--as`, `--as-group`), as the
    /// apiserver's impersonation filter builds it
    /// (`k8s.io/apiserver/pkg/endpoints/filters/impersonation.go`): a
    /// service account's name brings its groups when none are given, and
    /// every user but `system:anonymous` is in `system:authenticated`.
    pub fn impersonated(name: &str, groups: &[String]) -> UserInfo {
        let mut groups = groups.to_vec();
        if groups.is_empty()
            && let Some((namespace, _)) = service_account(name)
        {
            groups = vec![
                "system:serviceaccounts".to_owned(),
                format!("system:serviceaccounts:{namespace}"),
            ];
        }
        if name == "system:anonymous" {
            if !groups.iter().any(|g| g == "system:unauthenticated") {
                groups.push("system:unauthenticated".to_owned());
            }
        } else if !groups.iter().any(|g| g == ALL_AUTHENTICATED) {
            groups.push(ALL_AUTHENTICATED.to_owned());
        }
        UserInfo { name: name.to_owned(), groups }
    }

    /// Whether the user is in `group`.
    pub fn in_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
    }
}

/// The namespace and name of a service account's user name
/// (`serviceaccount.SplitUsername`: `system:serviceaccount:NS:NAME`, both
/// parts non-empty, no further `:`).
pub fn service_account(user: &str) -> Option<(&str, &str)> {
    let rest = user.strip_prefix("system:serviceaccount:")?;
    let (namespace, name) = rest.split_once(':')?;
    (!namespace.is_empty() && !name.is_empty() && !name.contains(':')).then_some((namespace, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_accounts_get_their_groups() {
        let u = UserInfo::impersonated("system:serviceaccount:dev:app", &[]);
        assert_eq!(
            u.groups,
            ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"]
        );
        let u = UserInfo::impersonated("jane", &["devs".to_owned()]);
        assert_eq!(u.groups, ["devs", "system:authenticated"]);
        assert_eq!(service_account("system:serviceaccount:a:b:c"), None);
    }
}
