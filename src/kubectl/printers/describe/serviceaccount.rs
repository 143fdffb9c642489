//! `describeServiceAccount` (`kubectl/pkg/describe/describe.go`, v1.22;
//! unchanged through v1.34; from v1.35 only the image pull secrets,
//! [`Fact::DescribeServiceAccountPullSecretsOnly`]).

use k8s_openapi::api::core::v1::{Event, Secret, ServiceAccount};

use super::{DescribeEnv, LEVEL_0, Writer, annotations_multiline, events, labels_multiline};
use crate::version::Fact;

/// The page `kubectl describe serviceaccount` prints. `secrets` are the
/// namespace's Secrets: the token Secrets of this account (annotated with
/// its name and uid) are its `Tokens`, and referenced names missing from
/// them are marked `(not found)`.
pub fn describe_service_account(
    sa: &ServiceAccount,
    secrets: &[&Secret],
    sa_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let meta = &sa.metadata;
    let name = meta.name.as_deref().unwrap_or_default();
    let uid = meta.uid.as_deref().unwrap_or_default();
    let annotation = |s: &Secret, key: &str| {
        s.metadata.annotations.as_ref().and_then(|a| a.get(key)).cloned().unwrap_or_default()
    };
    let tokens: Vec<String> = secrets
        .iter()
        .filter(|s| s.type_.as_deref() == Some("kubernetes.io/service-account-token"))
        .filter(|s| {
            annotation(s, "kubernetes.io/service-account.name") == name
                && annotation(s, "kubernetes.io/service-account.uid") == uid
        })
        .map(|s| s.metadata.name.clone().unwrap_or_default())
        .collect();
    let exists = |n: &str| secrets.iter().any(|s| s.metadata.name.as_deref() == Some(n));
    let pull: Vec<String> =
        sa.image_pull_secrets.iter().flatten().map(|r| r.name.clone()).collect();
    let mount: Vec<String> =
        sa.secrets.iter().flatten().map(|r| r.name.clone().unwrap_or_default()).collect();
    let pull_only = env.has(Fact::DescribeServiceAccountPullSecretsOnly);
    let missing = |n: &str| !pull_only && (pull.iter().chain(&mount).any(|m| m == n)) && !exists(n);

    let mut w = Writer::default();
    w.write(LEVEL_0, &format!("Name:\t{name}\n"));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    // The headers are padded to one width and printed in sorted order
    // (`sets.StringKeySet(types).List()`).
    const EMPTY_HEADER: &str = "                   ";
    let sections: &[(&str, &Vec<String>)] = if pull_only {
        &[("Image pull secrets:", &pull)]
    } else {
        &[
            ("Image pull secrets:", &pull),
            ("Mountable secrets: ", &mount),
            ("Tokens:            ", &tokens),
        ]
    };
    for &(header, names) in sections {
        if names.is_empty() {
            w.write(LEVEL_0, &format!("{header}\t<none>\n"));
            continue;
        }
        let mut prefix = header;
        for n in names {
            let suffix = if missing(n) { " (not found)" } else { "" };
            w.write(LEVEL_0, &format!("{prefix}\t{n}{suffix}\n"));
            prefix = EMPTY_HEADER;
        }
    }
    if let Some(list) = sa_events {
        events(&mut w, list, env);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::env;

    #[test]
    fn default_account_with_its_token() {
        let sa: ServiceAccount = serde_json::from_value(json!({
            "metadata": {"name": "default", "namespace": "default", "uid": "u-1"},
            "secrets": [{"name": "default-token-9xxcx"}]
        }))
        .unwrap();
        let token: Secret = serde_json::from_value(json!({
            "metadata": {"name": "default-token-9xxcx", "namespace": "default",
                "annotations": {"kubernetes.io/service-account.name": "default",
                                "kubernetes.io/service-account.uid": "u-1"}},
            "type": "kubernetes.io/service-account-token"
        }))
        .unwrap();
        let page = describe_service_account(&sa, &[&token], Some(&[]), &env());
        let expected = "\
Name:                default
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  <none>
Mountable secrets:   default-token-9xxcx
Tokens:              default-token-9xxcx
Events:              <none>
";
        assert_eq!(page, expected);
    }

    #[test]
    fn missing_and_several_secrets() {
        let sa: ServiceAccount = serde_json::from_value(json!({
            "metadata": {"name": "builder", "namespace": "ci", "uid": "u-2"},
            "imagePullSecrets": [{"name": "regcred"}, {"name": "gone"}],
            "secrets": [{"name": "builder-token-x"}]
        }))
        .unwrap();
        let regcred: Secret = serde_json::from_value(json!({
            "metadata": {"name": "regcred", "namespace": "ci"},
            "type": "kubernetes.io/dockerconfigjson"
        }))
        .unwrap();
        let page = describe_service_account(&sa, &[&regcred], None, &env());
        let expected = "\
Name:                builder
Namespace:           ci
Labels:              <none>
Annotations:         <none>
Image pull secrets:  regcred
                     gone (not found)
Mountable secrets:   builder-token-x (not found)
Tokens:              <none>
";
        assert_eq!(page, expected);
    }

    /// kubectl 1.35 reads no Secrets for this page: pull secrets only, none
    /// marked missing.
    #[test]
    fn from_v1_35_only_pull_secrets() {
        let sa: ServiceAccount = serde_json::from_value(json!({
            "metadata": {"name": "builder", "namespace": "ci", "uid": "u-2"},
            "imagePullSecrets": [{"name": "regcred"}, {"name": "gone"}],
            "secrets": [{"name": "builder-token-x"}]
        }))
        .unwrap();
        let page =
            describe_service_account(&sa, &[], Some(&[]), &DescribeEnv { minor: 35, ..env() });
        let expected = "\
Name:                builder
Namespace:           ci
Labels:              <none>
Annotations:         <none>
Image pull secrets:  regcred
                     gone
Events:              <none>
";
        assert_eq!(page, expected);
    }
}
