//! `describeSecret` (`kubectl/pkg/describe/describe.go`, v1.22; unchanged
//! through v1.28): values are never shown, only their sizes — except the
//! `token` of a service-account token Secret.
//!
//! describe.go ranges over the Go map `Data` (a random order per run);
//! this page prints the keys sorted.

use k8s_openapi::api::core::v1::Secret;

use super::{LEVEL_0, Writer, annotations_multiline, labels_multiline};

/// The page `kubectl describe secret` prints (no events: the Secret
/// describer does not look them up).
pub fn describe_secret(secret: &Secret) -> String {
    let mut w = Writer::default();
    let meta = &secret.metadata;
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    let type_ = secret.type_.as_deref().unwrap_or_default();
    w.write(LEVEL_0, &format!("\nType:\t{type_}\n"));
    w.write(LEVEL_0, "\nData\n====\n");
    for (k, v) in secret.data.iter().flatten() {
        if k == "token" && type_ == "kubernetes.io/service-account-token" {
            w.write(LEVEL_0, &format!("{k}:\t{}\n", String::from_utf8_lossy(&v.0)));
        } else {
            w.write(LEVEL_0, &format!("{k}:\t{} bytes\n", v.0.len()));
        }
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn opaque_secret() {
        // `data` holds base64: "admin" (5 bytes) and "s3cr3t!" (7 bytes).
        let secret: Secret = serde_json::from_value(json!({
            "metadata": {"name": "db-creds", "namespace": "default"},
            "type": "Opaque",
            "data": {"username": "YWRtaW4=", "password": "czNjcjN0IQ=="}
        }))
        .unwrap();
        let expected = "\
Name:         db-creds
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
password:  7 bytes
username:  5 bytes
";
        assert_eq!(describe_secret(&secret), expected);
    }

    #[test]
    fn service_account_token_shows_the_token() {
        let secret: Secret = serde_json::from_value(json!({
            "metadata": {"name": "default-token-abcde", "namespace": "dev",
                "annotations": {"kubernetes.io/service-account.name": "default",
                                "kubernetes.io/service-account.uid": "1234"}},
            "type": "kubernetes.io/service-account-token",
            "data": {"namespace": "ZGV2", "token": "ZXlKaGJHY2k="}
        }))
        .unwrap();
        let expected = "\
Name:         default-token-abcde
Namespace:    dev
Labels:       <none>
Annotations:  kubernetes.io/service-account.name: default
              kubernetes.io/service-account.uid: 1234

Type:  kubernetes.io/service-account-token

Data
====
namespace:  3 bytes
token:      eyJhbGci
";
        assert_eq!(describe_secret(&secret), expected);
    }
}
