//! Pod admission plugins: ServiceAccount (`plugin/pkg/admission/serviceaccount`),
//! DefaultTolerationSeconds (`plugin/pkg/admission/defaulttolerationseconds`)
//! and Priority (`plugin/pkg/admission/priority`).

use k8s_openapi::api::core::v1::{
    ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath,
    ObjectFieldSelector, Pod, ProjectedVolumeSource, SecretVolumeSource,
    ServiceAccountTokenProjection, Toleration, Volume, VolumeMount, VolumeProjection,
};

use crate::sim::rng::Rng;

/// Where the token volume is mounted.
pub const SA_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// How the ServiceAccount plugin gives a pod its API credentials.
pub enum TokenMount {
    /// A projected, bound token (`kube-api-access-xxxxx`).
    Projected,
    /// The account's legacy token Secret, by name; `None` when the token
    /// controller has not made one yet.
    LegacySecret(Option<String>),
}

/// Runs the pod admission plugins in the API server's order.
pub fn admit(pod: &mut Pod, rng: &mut Rng, token: TokenMount) {
    service_account(pod, rng, token);
    default_tolerations(pod);
    priority(pod);
    if let Some(spec) = pod.spec.as_mut() {
        spec.enable_service_links.get_or_insert(true);
    }
}

/// Sets `serviceAccountName: default` and mounts the API credentials into
/// every container: the projected volume `kube-api-access-<5 random>`, or
/// before v1.21 the account's token Secret as a volume of its name
/// (`plugin/pkg/admission/serviceaccount/admission.go`
/// `mountServiceAccountToken`). With no token Secret yet, the real plugin
/// refuses the pod (`No API token found for service account …, retry
/// after the token is automatically created`); the simulator's token
/// controller runs before the next command, so that window does not open
/// here, and the pod is admitted without a token rather than refused.
fn service_account(pod: &mut Pod, rng: &mut Rng, token: TokenMount) {
    let Some(spec) = pod.spec.as_mut() else { return };
    let sa = spec.service_account_name.get_or_insert_with(|| "default".to_owned()).clone();
    spec.service_account = Some(sa);
    if spec.automount_service_account_token == Some(false) {
        return;
    }
    let already = spec
        .containers
        .iter()
        .any(|c| c.volume_mounts.iter().flatten().any(|m| m.mount_path == SA_MOUNT_PATH));
    if already {
        return;
    }
    let (name, volume) = match token {
        TokenMount::Projected => {
            let name = format!("kube-api-access-{}", rng.k8s_string(5));
            let volume = token_volume(&name);
            (name, volume)
        }
        TokenMount::LegacySecret(None) => return,
        TokenMount::LegacySecret(Some(secret)) => {
            let taken = spec.volumes.iter().flatten().any(|v| v.name == secret);
            let name = if taken {
                format!("{secret}-{}", rng.k8s_string(5))
            } else {
                secret.replace('.', "-")
            };
            let volume = Volume {
                name: name.clone(),
                secret: Some(SecretVolumeSource {
                    secret_name: Some(secret),
                    default_mode: Some(420),
                    ..Default::default()
                }),
                ..Default::default()
            };
            (name, volume)
        }
    };
    spec.volumes.get_or_insert_with(Vec::new).push(volume);
    let mount = VolumeMount {
        name: name.clone(),
        mount_path: SA_MOUNT_PATH.to_owned(),
        read_only: Some(true),
        ..Default::default()
    };
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        c.volume_mounts.get_or_insert_with(Vec::new).push(mount.clone());
    }
}

/// The projected volume of a bound service-account token (v1.22).
fn token_volume(name: &str) -> Volume {
    let sources = vec![
        VolumeProjection {
            service_account_token: Some(ServiceAccountTokenProjection {
                expiration_seconds: Some(3607),
                path: "token".to_owned(),
                ..Default::default()
            }),
            ..Default::default()
        },
        VolumeProjection {
            config_map: Some(ConfigMapProjection {
                name: "kube-root-ca.crt".to_owned(),
                items: Some(vec![KeyToPath {
                    key: "ca.crt".to_owned(),
                    path: "ca.crt".to_owned(),
                    mode: None,
                }]),
                optional: None,
            }),
            ..Default::default()
        },
        VolumeProjection {
            downward_api: Some(DownwardAPIProjection {
                items: Some(vec![DownwardAPIVolumeFile {
                    field_ref: Some(ObjectFieldSelector {
                        api_version: Some("v1".to_owned()),
                        field_path: "metadata.namespace".to_owned(),
                    }),
                    path: "namespace".to_owned(),
                    ..Default::default()
                }]),
            }),
            ..Default::default()
        },
    ];
    Volume {
        name: name.to_owned(),
        projected: Some(ProjectedVolumeSource { default_mode: Some(420), sources: Some(sources) }),
        ..Default::default()
    }
}

/// Adds `not-ready` and `unreachable` NoExecute tolerations for 300 s unless
/// the pod tolerates them already.
fn default_tolerations(pod: &mut Pod) {
    let Some(spec) = pod.spec.as_mut() else { return };
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let tolerated = tolerations.iter().any(|t| {
            let key_ok = t.key.as_deref().is_none_or(|k| k.is_empty() || k == key);
            let effect_ok = t.effect.as_deref().is_none_or(|e| e.is_empty() || e == "NoExecute");
            key_ok
                && effect_ok
                && (t.operator.as_deref() == Some("Exists") || t.key.as_deref() == Some(key))
        });
        if !tolerated {
            tolerations.push(Toleration {
                key: Some(key.to_owned()),
                operator: Some("Exists".to_owned()),
                effect: Some("NoExecute".to_owned()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
    if tolerations.is_empty() {
        spec.tolerations = None;
    }
}

/// The Priority admission plugin (`plugin/pkg/admission/priority/
/// admission.go` `admitPod`): the pod's class — named, or else the
/// cluster's `globalDefault` one — gives `priority` and, where the class
/// sets one, `preemptionPolicy`; a class that does not exist is refused.
pub fn resolve_priority(pod: &mut Pod, store: &crate::sim::store::Store) -> Result<(), String> {
    let Some(spec) = pod.spec.as_mut() else { return Ok(()) };
    let classes: Vec<serde_json::Value> =
        store.list(priority_class_kind(), None).map(|o| o.to_value()).collect();
    let class = match spec.priority_class_name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => match classes.iter().find(|c| c["metadata"]["name"] == name) {
            Some(c) => Some(c),
            // The built-in classes, for clusters built without them.
            None if name.starts_with("system-") => None,
            None => return Err(format!("no PriorityClass with name {name} was found")),
        },
        None => default_class(&classes),
    };
    if let Some(class) = class {
        if spec.priority_class_name.is_none() {
            spec.priority_class_name = class["metadata"]["name"].as_str().map(str::to_owned);
        }
        spec.priority = class["value"].as_i64().and_then(|v| i32::try_from(v).ok());
        if let Some(policy) = class["preemptionPolicy"].as_str() {
            spec.preemption_policy = Some(policy.to_owned());
        }
    }
    Ok(())
}

/// `getDefaultPriorityClass`: of the classes marked `globalDefault` (more
/// than one only after a race), the one of the lowest value.
pub fn default_class(classes: &[serde_json::Value]) -> Option<&serde_json::Value> {
    classes
        .iter()
        .filter(|c| c["globalDefault"] == true)
        .min_by_key(|c| c["value"].as_i64().unwrap_or_default())
}

/// The Priority admission plugin's check of a PriorityClass
/// (`validatePriorityClass`): a class marked `globalDefault` is refused
/// while another one is the default (on create, any default; on update, a
/// default of another name).
pub fn admit_priority_class(
    class: &crate::sim::GenericObject,
    creating: bool,
    store: &crate::sim::store::Store,
) -> Result<(), crate::sim::ApiError> {
    if class.fields.get("globalDefault") != Some(&serde_json::Value::Bool(true)) {
        return Ok(());
    }
    let classes: Vec<serde_json::Value> =
        store.list(priority_class_kind(), None).map(|o| o.to_value()).collect();
    let name = class.metadata.name.clone().unwrap_or_default();
    match default_class(&classes).and_then(|d| d["metadata"]["name"].as_str()) {
        Some(default) if creating || default != name => Err(crate::sim::ApiError::Forbidden {
            resource: "priorityclasses.scheduling.k8s.io".to_owned(),
            name,
            message: format!(
                "PriorityClass {default} is already marked as default. Only one default can exist"
            ),
        }),
        _ => Ok(()),
    }
}

/// The PriorityClass kind (scheduling.k8s.io/v1, stored generically).
pub fn priority_class_kind() -> crate::sim::Kind {
    static KIND: std::sync::OnceLock<crate::sim::Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| crate::sim::registry::builtin_kind("scheduling.k8s.io", "priorityclasses"))
}

/// Resolves the built-in classes' `priority` when no stored class gave
/// one, and defaults `preemptionPolicy`.
fn priority(pod: &mut Pod) {
    let Some(spec) = pod.spec.as_mut() else { return };
    let value = match spec.priority_class_name.as_deref() {
        Some("system-node-critical") => 2_000_001_000,
        Some("system-cluster-critical") => 2_000_000_000,
        _ => 0,
    };
    spec.priority.get_or_insert(value);
    spec.preemption_policy.get_or_insert_with(|| "PreemptLowerPriority".to_owned());
}
