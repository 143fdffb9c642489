//! Per-namespace housekeeping: the service-account controller (a `default`
//! ServiceAccount, with its token Secret before v1.24), the root-CA publisher
//! (`kube-root-ca.crt`), and the namespace controller that empties a
//! Terminating namespace and then removes it.

use crate::version::Fact;
use k8s_openapi::{
    ByteString,
    api::core::v1::{ConfigMap, Namespace, ObjectReference, Secret, ServiceAccount},
    apimachinery::pkg::apis::meta::v1::ObjectMeta,
};

use super::{Controller, View, Write};
use crate::sim::{DeleteOptions, Kind, Object, ObjectRef, rng};

/// The namespace-scoped housekeeping controllers.
pub struct NamespaceController;

impl Controller for NamespaceController {
    fn name(&self) -> &'static str {
        "namespace-controller"
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        for ns in view.store.all::<Namespace>(None) {
            let name = ns.metadata.name.clone().unwrap_or_default();
            let writes = if ns.metadata.deletion_timestamp.is_some() {
                empty(view, &name)
            } else {
                populate(view, &name)
            };
            if !writes.is_empty() {
                return writes;
            }
        }
        Vec::new()
    }
}

/// Deletes the contents of a Terminating namespace; removes it when empty.
fn empty(view: &View<'_>, ns: &str) -> Vec<Write> {
    let mut writes = Vec::new();
    let mut remaining = false;
    // Every namespaced kind that has objects, custom and generic ones too
    // (the namespace controller discovers deletable resources).
    for kind in view.store.kinds().filter(|k| k.info().namespaced) {
        for object in view.store.list(kind, Some(ns)) {
            remaining = true;
            if object.meta().deletion_timestamp.is_none() {
                writes.push(Write::Delete(object.object_ref(), DeleteOptions::default()));
            }
        }
    }
    if !remaining {
        writes.push(Write::Remove(ObjectRef::cluster(Kind::Namespace, ns)));
    }
    writes
}

/// Creates what every active namespace holds.
fn populate(view: &View<'_>, ns: &str) -> Vec<Write> {
    let meta = |name: &str| ObjectMeta {
        name: Some(name.to_owned()),
        namespace: Some(ns.to_owned()),
        ..Default::default()
    };
    if view.store.get_typed::<ConfigMap>(Some(ns), "kube-root-ca.crt").is_none() {
        let mut cm = ConfigMap { metadata: meta("kube-root-ca.crt"), ..Default::default() };
        cm.data = Some([("ca.crt".to_owned(), ca_bundle(view))].into());
        cm.metadata.annotations = Some([("kubernetes.io/description".to_owned(), "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.".to_owned())].into());
        return vec![Write::Create(Object::ConfigMap(cm))];
    }
    let Some(sa) = view.store.get_typed::<ServiceAccount>(Some(ns), "default") else {
        return vec![Write::Create(Object::ServiceAccount(ServiceAccount {
            metadata: meta("default"),
            ..Default::default()
        }))];
    };
    if !view.config.version.has(Fact::NoServiceAccountTokenSecrets)
        && sa.secrets.as_ref().is_none_or(Vec::is_empty)
    {
        return token_secret(view, ns, sa);
    }
    // The token controller gives every ServiceAccount a token Secret, not
    // only `default` (`pkg/controller/serviceaccount/tokens_controller.go`).
    if !view.config.version.has(Fact::NoServiceAccountTokenSecrets) {
        for sa in view.store.all::<ServiceAccount>(Some(ns)) {
            if sa.metadata.deletion_timestamp.is_none()
                && sa.secrets.as_ref().is_none_or(Vec::is_empty)
            {
                return token_secret(view, ns, sa);
            }
        }
    }
    Vec::new()
}

/// The legacy token Secret `<account>-token-xxxxx` and its reference on the
/// ServiceAccount (the token controller, before v1.24).
fn token_secret(view: &View<'_>, ns: &str, sa: &ServiceAccount) -> Vec<Write> {
    let sa_name = sa.metadata.name.as_deref().unwrap_or("default");
    // `default` keeps the digest input it always had (stable names).
    let digest = if sa_name == "default" {
        rng::hex_digest(view.config.seed, &[ns, "sa-token"], 5)
    } else {
        rng::hex_digest(view.config.seed, &[ns, sa_name, "sa-token"], 5)
    };
    let suffix: String = digest
        .bytes()
        .map(|b| rng::ALPHANUMS[usize::from(b) % rng::ALPHANUMS.len()] as char)
        .collect();
    let name = format!("{sa_name}-token-{suffix}");
    let mut secret = Secret {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(ns.to_owned()),
            ..Default::default()
        },
        type_: Some("kubernetes.io/service-account-token".to_owned()),
        ..Default::default()
    };
    secret.metadata.annotations = Some(
        [
            ("kubernetes.io/service-account.name".to_owned(), sa_name.to_owned()),
            (
                "kubernetes.io/service-account.uid".to_owned(),
                sa.metadata.uid.clone().unwrap_or_default(),
            ),
        ]
        .into(),
    );
    let token =
        legacy_token(view, ns, sa_name, &name, sa.metadata.uid.as_deref().unwrap_or_default());
    secret.data = Some(
        [
            ("ca.crt".to_owned(), ByteString(ca_bundle(view).into_bytes())),
            ("namespace".to_owned(), ByteString(ns.as_bytes().to_vec())),
            ("token".to_owned(), ByteString(token.into_bytes())),
        ]
        .into(),
    );
    let mut sa = sa.clone();
    sa.secrets = Some(vec![ObjectReference { name: Some(name), ..Default::default() }]);
    vec![Write::Create(Object::Secret(secret)), Write::Update(Object::ServiceAccount(sa))]
}

/// The cluster CA bundle (a stand-in certificate; the root-CA publisher
/// and the token controller publish the same one).
fn ca_bundle(view: &View<'_>) -> String {
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        rng::hex_digest(view.config.seed, &["ca"], 64)
    )
}

/// A legacy service-account token, shaped like the JWT the token
/// controller signs (`pkg/serviceaccount/legacy.go` `LegacyClaims`):
/// base64url header `{"alg":"RS256","kid":…}`, the legacy claims, and a
/// stand-in signature.
fn legacy_token(view: &View<'_>, ns: &str, sa: &str, secret: &str, uid: &str) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let kid = rng::hex_digest(view.config.seed, &["sa-signing-key"], 43);
    let header = format!("{{\"alg\":\"RS256\",\"kid\":\"{kid}\"}}");
    let claims = serde_json::json!({
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": ns,
        "kubernetes.io/serviceaccount/secret.name": secret,
        "kubernetes.io/serviceaccount/service-account.name": sa,
        "kubernetes.io/serviceaccount/service-account.uid": uid,
        "sub": format!("system:serviceaccount:{ns}:{sa}"),
    });
    let signature = rng::hex_digest(view.config.seed, &[ns, secret, "token"], 64);
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}
