//! `ValidatePodDisruptionBudgetSpec` (`pkg/apis/policy/validation/
//! validation.go`) with the API server's messages: `minAvailable` and
//! `maxUnavailable` not both, each a non-negative integer or a percentage
//! of at most 100% (`ValidatePositiveIntOrPercent`,
//! `IsNotMoreThan100Percent` of `pkg/apis/apps/validation`), and a
//! supported `unhealthyPodEvictionPolicy`.
//!
//! Bad values print as the version's apimachinery prints them
//! ([`Fact::BadValueAsJson`]): from v1.34 as JSON (`"150%"`, and the
//! internal spec struct, whose fields have no JSON tags, as
//! `{"MinAvailable":1,"Selector":{…},"MaxUnavailable":1,…}`); before, as
//! Go's `%#v` (`intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}`, and
//! the struct with its pointer fields as addresses, which kubeplay writes
//! as `0xc000000000`: a real server prints wherever the value lived).

use k8s_openapi::{
    api::policy::v1::PodDisruptionBudgetSpec, apimachinery::pkg::util::intstr::IntOrString,
};

use crate::version::{Fact, KubeVersion};

/// `validation.IsValidPercent`'s message (`RegexError`).
const PERCENT_MSG: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/// The causes why `spec` is invalid.
pub fn validate(spec: &PodDisruptionBudgetSpec, version: KubeVersion) -> Vec<String> {
    let mut causes = Vec::new();
    if spec.min_available.is_some() && spec.max_unavailable.is_some() {
        causes.push(format!(
            "spec: Invalid value: {}: minAvailable and maxUnavailable cannot be both set",
            spec_value(spec, version)
        ));
    }
    for (field, value) in
        [("minAvailable", &spec.min_available), ("maxUnavailable", &spec.max_unavailable)]
    {
        let Some(value) = value else { continue };
        let path = format!("spec.{field}");
        match value {
            IntOrString::String(s) => {
                let digits = s.strip_suffix('%').unwrap_or("");
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    causes.push(format!(
                        "{path}: Invalid value: {}: {PERCENT_MSG}",
                        int_or_string(value, version)
                    ));
                } else if digits.parse::<u64>().is_ok_and(|p| p > 100) {
                    causes.push(format!(
                        "{path}: Invalid value: {}: must not be greater than 100%",
                        int_or_string(value, version)
                    ));
                }
            }
            IntOrString::Int(i) if *i < 0 => {
                causes.push(format!(
                    "{path}: Invalid value: {i}: must be greater than or equal to 0"
                ));
            }
            IntOrString::Int(_) => {}
        }
    }
    if let Some(policy) = spec.unhealthy_pod_eviction_policy.as_deref()
        && !matches!(policy, "IfHealthyBudget" | "AlwaysAllow")
    {
        causes.push(format!(
            "spec.unhealthyPodEvictionPolicy: Unsupported value: \"{policy}\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\""
        ));
    }
    causes
}

/// An IntOrString bad value.
fn int_or_string(v: &IntOrString, version: KubeVersion) -> String {
    if version.has(Fact::BadValueAsJson) {
        return serde_json::to_string(v).unwrap_or_default();
    }
    match v {
        IntOrString::Int(i) => format!("intstr.IntOrString{{Type:0, IntVal:{i}, StrVal:\"\"}}"),
        IntOrString::String(s) => format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"{s}\"}}"),
    }
}

/// The internal `policy.PodDisruptionBudgetSpec` as a bad value; its
/// `UnhealthyPodEvictionPolicy` field exists from v1.26.
fn spec_value(spec: &PodDisruptionBudgetSpec, version: KubeVersion) -> String {
    let has_policy = version.minor() >= 26;
    if version.has(Fact::BadValueAsJson) {
        let mut out = format!(
            "{{\"MinAvailable\":{},\"Selector\":{},\"MaxUnavailable\":{}",
            json_or_null(spec.min_available.as_ref()),
            json_or_null(spec.selector.as_ref()),
            json_or_null(spec.max_unavailable.as_ref()),
        );
        if has_policy {
            out.push_str(&format!(
                ",\"UnhealthyPodEvictionPolicy\":{}",
                json_or_null(spec.unhealthy_pod_eviction_policy.as_ref())
            ));
        }
        out.push('}');
        return out;
    }
    let pointer = |set: bool, ty: &str| {
        if set { format!("(*{ty})(0xc000000000)") } else { format!("(*{ty})(nil)") }
    };
    let mut out = format!(
        "policy.PodDisruptionBudgetSpec{{MinAvailable:{}, Selector:{}, MaxUnavailable:{}",
        pointer(spec.min_available.is_some(), "intstr.IntOrString"),
        pointer(spec.selector.is_some(), "v1.LabelSelector"),
        pointer(spec.max_unavailable.is_some(), "intstr.IntOrString"),
    );
    if has_policy {
        out.push_str(&format!(
            ", UnhealthyPodEvictionPolicy:{}",
            pointer(
                spec.unhealthy_pod_eviction_policy.is_some(),
                "policy.UnhealthyPodEvictionPolicyType"
            )
        ));
    }
    out.push('}');
    out
}

fn json_or_null<T: serde::Serialize>(v: Option<&T>) -> String {
    v.map_or_else(|| "null".to_owned(), |v| serde_json::to_string(v).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec(v: serde_json::Value) -> PodDisruptionBudgetSpec {
        serde_json::from_value(v).unwrap()
    }

    /// The real v1.35.4 API server's messages (captured 2026-12-07), and
    /// the `%#v` forms before [`Fact::BadValueAsJson`].
    #[test]
    fn pdb_validation_messages() {
        let v135 = KubeVersion::new(1, 35, 0);
        let both = spec(json!({"minAvailable": 1, "maxUnavailable": 1,
            "selector": {"matchLabels": {"app": "web"}}}));
        assert_eq!(
            validate(&both, v135),
            vec![
                "spec: Invalid value: {\"MinAvailable\":1,\"Selector\":{\"matchLabels\":{\"app\":\"web\"}},\"MaxUnavailable\":1,\"UnhealthyPodEvictionPolicy\":null}: minAvailable and maxUnavailable cannot be both set"
            ]
        );
        let pct =
            spec(json!({"minAvailable": "150%", "selector": {"matchLabels": {"app": "web"}}}));
        assert_eq!(
            validate(&pct, v135),
            vec!["spec.minAvailable: Invalid value: \"150%\": must not be greater than 100%"]
        );
        assert_eq!(
            validate(&pct, KubeVersion::new(1, 33, 0)),
            vec![
                "spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"
            ]
        );
        let negative = spec(json!({"maxUnavailable": -1}));
        assert_eq!(
            validate(&negative, v135),
            vec!["spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"]
        );
        assert!(validate(&spec(json!({"maxUnavailable": "25%"})), v135).is_empty());
    }
}
