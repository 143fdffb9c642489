//! Front-matter values checked when the scenario is parsed, so that
//! `kubeplay check` rejects exactly what `kubeplay run` would, with the same
//! message at the same `path:line:col` — there is one parse and no second
//! validation on the run side, and nothing invalid falls back to a default.
//!
//! Each checked value is a [`Check`] type: it names the raw YAML shape it is
//! read from and the check that turns it into the value; [`Checked`] wraps
//! it for serde. Messages quote the offending value in backticks so the
//! parser can point at it (`front::REFINABLE`).

use std::{fmt, net::Ipv4Addr, sync::LazyLock};

use regex::Regex;
use serde::{
    Deserialize, Deserializer,
    de::{self, DeserializeOwned, Visitor},
};

use crate::version::KubeVersion;

/// A front-matter value with the check that accepts it.
pub(crate) trait Check: Sized {
    /// What the YAML holds before the check.
    type Raw: DeserializeOwned;
    /// The value, or why `raw` is not one (a message quoting it in backticks).
    fn check(raw: Self::Raw) -> Result<Self, String>;
}

/// A [`Check`] value as serde reads it: a failed check is a serde error,
/// which the front-matter parser places at `path:line:col`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Checked<T>(pub(crate) T);

impl<'de, T: Check> Deserialize<'de> for Checked<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = T::Raw::deserialize(deserializer)?;
        T::check(raw).map(Checked).map_err(de::Error::custom)
    }
}

impl Check for KubeVersion {
    type Raw = String;
    fn check(raw: String) -> Result<Self, String> {
        KubeVersion::parse(&raw).map_err(|e| e.to_string())
    }
}

/// `cluster.profile`: one of the simulator's named profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProfileName(pub(crate) String);

impl Check for ProfileName {
    type Raw = String;
    fn check(raw: String) -> Result<Self, String> {
        let known = crate::sim::profiles::PROFILES;
        if known.contains(&raw.as_str()) {
            Ok(ProfileName(raw))
        } else {
            Err(format!("unknown cluster profile `{raw}` (known: {})", known.join(", ")))
        }
    }
}

/// An IPv4 CIDR (`podCIDR`, `serviceCIDR`, a node's `podCIDR`), as the
/// simulator's address allocation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CidrText(pub(crate) String);

impl Check for CidrText {
    type Raw = String;
    fn check(raw: String) -> Result<Self, String> {
        match crate::sim::net::Cidr::parse(&raw) {
            Some(_) => Ok(CidrText(raw)),
            None => {
                Err(format!("invalid CIDR `{raw}` (expected an IPv4 CIDR such as 10.244.0.0/16)"))
            }
        }
    }
}

/// `cluster.loadBalancer.pool`: a CIDR or an inclusive `first-last` range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PoolText(pub(crate) String);

impl Check for PoolText {
    type Raw = String;
    fn check(raw: String) -> Result<Self, String> {
        match crate::sim::net::Pool::parse(&raw) {
            Some(_) => Ok(PoolText(raw)),
            None => Err(format!(
                "invalid load-balancer pool `{raw}` (expected a CIDR such as \
                 172.18.255.200/28 or a range such as 192.168.1.240-192.168.1.250)"
            )),
        }
    }
}

/// A node's or host's IPv4 address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IpText(pub(crate) String);

impl Check for IpText {
    type Raw = String;
    fn check(raw: String) -> Result<Self, String> {
        match raw.parse::<Ipv4Addr>() {
            Ok(_) => Ok(IpText(raw)),
            Err(_) => Err(format!(
                "invalid IP address `{raw}` (expected an IPv4 address such as 192.168.0.10)"
            )),
        }
    }
}

/// A node taint `key[=value]:Effect`, with an effect the API accepts
/// (`core/v1` `TaintEffect`: NoSchedule, PreferNoSchedule, NoExecute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TaintText(pub(crate) String);

impl Check for TaintText {
    type Raw = String;
    fn check(raw: String) -> Result<Self, String> {
        let valid = raw.rsplit_once(':').is_some_and(|(kv, effect)| {
            let key = kv.split_once('=').map_or(kv, |(k, _)| k);
            matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute")
                && !key.is_empty()
                && !key.contains(char::is_whitespace)
        });
        if valid {
            Ok(TaintText(raw))
        } else {
            Err(format!(
                "invalid taint `{raw}` (expected KEY[=VALUE]:EFFECT with EFFECT one of \
                 NoSchedule, PreferNoSchedule, NoExecute)"
            ))
        }
    }
}

/// A resource quantity (a node's `capacity`), in `resource.Quantity`'s
/// grammar and not negative: a machine has no negative CPUs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuantityText(pub(crate) String);

impl Check for QuantityText {
    type Raw = ScalarText;
    fn check(raw: ScalarText) -> Result<Self, String> {
        match crate::quantity::parse(&raw.0) {
            Some(n) if n >= 0.0 && n.is_finite() => Ok(QuantityText(raw.0)),
            _ => Err(format!(
                "invalid quantity `{}` (expected a non-negative quantity such as 2, 500m, 4Gi)",
                raw.0
            )),
        }
    }
}

/// An `images:` key: an image reference in the grammar of
/// `distribution/reference` (`reference/regexp.go`): an optional registry
/// host, lowercase path components, an optional tag and digest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ImageKey(pub(crate) String);

static IMAGE_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    let domain_component = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    let domain = format!(r"(?:{domain_component}(?:\.{domain_component})*(?::[0-9]+)?)");
    let component = r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*";
    let tag = r"[\w][\w.-]{0,127}";
    let digest = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    Regex::new(&format!(r"^(?:{domain}/)?{component}(?:/{component})*(?::{tag})?(?:@{digest})?$"))
        .expect("valid regex")
});

impl Check for ImageKey {
    type Raw = String;
    fn check(raw: String) -> Result<Self, String> {
        if raw.len() <= 255 && IMAGE_REFERENCE.is_match(&raw) {
            Ok(ImageKey(raw))
        } else {
            Err(format!(
                "invalid image reference `{raw}` (expected e.g. nginx, nginx:1.25 or \
                 registry.example.com/team/app:v2)"
            ))
        }
    }
}

/// A TCP port an image serves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PortNumber(pub(crate) u16);

impl Check for PortNumber {
    type Raw = u64;
    fn check(raw: u64) -> Result<Self, String> {
        match u16::try_from(raw) {
            Ok(port) if port > 0 => Ok(PortNumber(port)),
            _ => Err(format!("invalid port `{raw}` (expected 1-65535)")),
        }
    }
}

/// An HTTP status code an image's declared route answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HttpStatus(pub(crate) u16);

impl Check for HttpStatus {
    type Raw = u64;
    fn check(raw: u64) -> Result<Self, String> {
        match u16::try_from(raw) {
            Ok(code @ 100..=599) => Ok(HttpStatus(code)),
            _ => Err(format!("invalid HTTP status `{raw}` (expected 100-599)")),
        }
    }
}

/// An `objects:` manifest that decodes as a built-in kind the simulator
/// stores (what `run` seeds; a kind it does not know is refused here).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Manifest(pub(crate) serde_json::Value);

impl Check for Manifest {
    type Raw = serde_json::Value;
    fn check(raw: serde_json::Value) -> Result<Self, String> {
        match crate::sim::Object::from_value(raw.clone()) {
            Ok(_) => Ok(Manifest(raw)),
            Err(e) => Err(format!("invalid manifest in `objects`: {e}")),
        }
    }
}

/// A YAML scalar read as text: `cpu: 2` and `cpu: "2"` are the same value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScalarText(pub(crate) String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = ScalarText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<T: Check<Raw = String>>(text: &str) -> bool {
        T::check(text.to_owned()).is_ok()
    }

    #[test]
    fn image_references() {
        for good in [
            "nginx",
            "nginx:1.999",
            "registry.example.com/reports/nightly:1.4",
            "localhost:5000/app",
            "k8s.gcr.io/echoserver:1.4",
            "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "my_org/my-app__x:v1_2-3",
        ] {
            assert!(ok::<ImageKey>(good), "{good}");
        }
        for bad in
            ["", "Nginx", "nginx:", "nginx::1", "nginx latest", "-x", "a/", "nginx@sha256:12"]
        {
            assert!(!ok::<ImageKey>(bad), "{bad}");
        }
    }

    #[test]
    fn addresses_taints_profiles() {
        assert!(ok::<CidrText>("10.244.0.0/16") && !ok::<CidrText>("not-a-cidr"));
        assert!(!ok::<CidrText>("10.244.0.0/33") && !ok::<CidrText>("10.244.0.0"));
        assert!(ok::<PoolText>("192.168.1.240-192.168.1.250") && !ok::<PoolText>("not-a-cidr"));
        assert!(ok::<IpText>("192.168.49.2") && !ok::<IpText>("192.168.49") && !ok::<IpText>("x"));
        assert!(ok::<TaintText>("node-role.kubernetes.io/master:NoSchedule"));
        assert!(ok::<TaintText>("dedicated=gpu:NoExecute"));
        for bad in ["node-role.kubernetes.io/master", ":NoSchedule", "a:Nope", "a b:NoSchedule"] {
            assert!(!ok::<TaintText>(bad), "{bad}");
        }
        for p in crate::sim::profiles::PROFILES {
            assert!(ok::<ProfileName>(p), "{p}");
        }
        assert_eq!(
            ProfileName::check("minikub".into()).unwrap_err(),
            "unknown cluster profile `minikub` (known: kubeadm, kind, minikube, bare, kwok)"
        );
    }

    #[test]
    fn quantities_and_ports() {
        let q = |t: &str| QuantityText::check(ScalarText(t.into())).is_ok();
        for good in ["2", "500m", "4Gi", "2046880Ki", "1.5", "0", "1e3"] {
            assert!(q(good), "{good}");
        }
        for bad in ["", "-1", "two", "4GB", "1.2.3", "Gi"] {
            assert!(!q(bad), "{bad}");
        }
        assert!(PortNumber::check(80).is_ok());
        assert!(PortNumber::check(0).is_err() && PortNumber::check(65536).is_err());
    }
}
