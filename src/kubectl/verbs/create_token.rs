//! `kubectl create token SERVICE_ACCOUNT` (`pkg/cmd/create/create_token.go`,
//! v1.24+): a TokenRequest for the service account, printed as the token.
//!
//! The token is shaped as the apiserver's service-account issuer signs it
//! (`pkg/serviceaccount/claims.go` and `jwt.go`): a JWS with an RS256
//! header naming the key (`kid`), the claims go-jose serialises (keys in
//! order), and a 256-byte signature. The simulator has no signing key: the
//! key id and the signature are derived from the cluster's seed and the
//! claims, so the same request at the same virtual time gives the same
//! token, as RS256 (deterministic PKCS#1 v1.5) does.

use crate::version::Fact;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::json;

use super::Ctx;
use crate::{
    kubectl::{args::parse_duration, error::KubectlError},
    sim::{
        Kind, ObjectRef,
        rng::{Rng, hex_digest, mix},
    },
};

/// The issuer and default audience of kubeadm, kind and minikube clusters
/// (`--service-account-issuer`).
const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";

/// `TokenRequestSpec.ExpirationSeconds`' default.
const DEFAULT_EXPIRATION_SECONDS: i64 = 3600;

/// Runs `kubectl create token NAME`.
pub fn token(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = super::create::name_arg(ctx)?;
    let inv = ctx.inv;
    // `Validate`.
    let duration = match inv.value("duration") {
        Some(d) => parse_duration(d).map_err(KubectlError::msg)?,
        None => 0,
    };
    if duration < 0 {
        return Err(KubectlError::msg("--duration must be greater than or equal to 0"));
    }
    if duration % 1_000_000_000 != 0 {
        return Err(KubectlError::msg("--duration cannot be expressed in units less than seconds"));
    }
    let audiences = inv.strings("audience");
    if audiences.iter().any(String::is_empty) {
        return Err(KubectlError::msg("--audience must not be an empty string"));
    }
    for flag in ["bound-object-kind", "bound-object-name", "bound-object-uid"] {
        if inv.value(flag).is_some_and(|v| !v.is_empty()) {
            return Err(KubectlError::unsupported(format!(
                "flag --{flag} of kubectl create token"
            )));
        }
    }
    if inv.value("output").is_some_and(|o| !o.is_empty()) {
        return Err(KubectlError::unsupported("flag --output of kubectl create token"));
    }
    let namespace = ctx.namespace();
    let sa = ctx
        .cluster
        .get(&ObjectRef::namespaced(Kind::ServiceAccount, &namespace, &name))
        .map_err(|e| KubectlError::msg(format!("failed to create token: {e}")))?;
    let uid = sa.meta().uid.clone().unwrap_or_default();
    let seconds =
        if duration > 0 { (duration / 1_000_000_000) as i64 } else { DEFAULT_EXPIRATION_SECONDS };
    let config = ctx.cluster.config();
    let (seed, version) = (config.seed, config.version);
    let iat = ctx.now().as_second();
    let audiences = if audiences.is_empty() { vec![ISSUER.to_owned()] } else { audiences };
    let mut claims = serde_json::Map::new();
    claims.insert("aud".into(), json!(audiences));
    claims.insert("exp".into(), json!(iat + seconds));
    claims.insert("iat".into(), json!(iat));
    claims.insert("iss".into(), json!(ISSUER));
    if version.has(Fact::ServiceAccountTokenJti) {
        // A random token ID.
        let jti = Rng::new(mix(seed, &["token-jti", &uid, &iat.to_string()])).uuid();
        claims.insert("jti".into(), json!(jti));
    }
    claims.insert(
        "kubernetes.io".into(),
        json!({"namespace": namespace, "serviceaccount": {"name": name, "uid": uid}}),
    );
    claims.insert("nbf".into(), json!(iat));
    claims.insert("sub".into(), json!(format!("system:serviceaccount:{namespace}:{name}")));
    let kid = URL_SAFE_NO_PAD.encode(hex_bytes(&hex_digest(seed, &["service-account-key"], 64)));
    let header = json!({"alg": "RS256", "kid": kid});
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(serde_json::Value::Object(claims).to_string())
    );
    let signature = hex_bytes(&hex_digest(seed, &["token-signature", &signing_input], 512));
    // kubectl adds the newline when its output is a terminal, as in a
    // tutorial's transcript.
    ctx.stdout(format!("{signing_input}.{}\n", URL_SAFE_NO_PAD.encode(signature)));
    Ok(())
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0))
        .collect()
}
