//! The JSON field order of the Kubernetes API structs kubectl's generators
//! build (`k8s.io/api/{core,apps,batch}/v1/types.go`,
//! `k8s.io/apimachinery/pkg/apis/meta/v1/types.go`, v1.27): Go's
//! `encoding/json` writes a struct's fields in declaration order, so a
//! typed object kubectl prints without a round trip through the apiserver
//! (`--dry-run=client -o json`) shows them in this order, not sorted.

/// One Go struct: its fields' JSON names in declaration order, each with
/// the struct type of its value (or of its slice's elements); `None` for
/// scalars and maps (which Go writes with sorted keys).
pub struct GoStruct {
    /// `(json name, struct type)` in declaration order.
    pub fields: &'static [(&'static str, Option<&'static GoStruct>)],
}

impl GoStruct {
    /// The position and value type of field `name`, if the struct has it.
    pub fn field(&self, name: &str) -> Option<(usize, Option<&'static GoStruct>)> {
        self.fields.iter().position(|(n, _)| *n == name).map(|i| (i, self.fields[i].1))
    }
}

/// The struct for a top-level object of `kind`, when kubeplay knows it.
pub fn for_kind(kind: &str) -> Option<&'static GoStruct> {
    Some(match kind {
        "Pod" => &POD,
        "Deployment" => &DEPLOYMENT,
        "Service" => &SERVICE,
        "ConfigMap" => &CONFIG_MAP,
        "Secret" => &SECRET,
        "Job" => &JOB,
        "CronJob" => &CRON_JOB,
        "Namespace" => &NAMESPACE,
        "HorizontalPodAutoscaler" => &HPA,
        "ResourceQuota" => &RESOURCE_QUOTA,
        _ => return None,
    })
}

/// A struct with no field kubeplay's generators fill (a status they leave
/// zero, `ResourceRequirements`): only `{}` is printable.
static EMPTY: GoStruct = GoStruct { fields: &[] };

/// `metav1.OwnerReference`.
static OWNER_REFERENCE: GoStruct = GoStruct {
    fields: &[
        ("apiVersion", None),
        ("kind", None),
        ("name", None),
        ("uid", None),
        ("controller", None),
        ("blockOwnerDeletion", None),
    ],
};

/// `metav1.ObjectMeta` (`managedFields` left out: no generator sets it).
static OBJECT_META: GoStruct = GoStruct {
    fields: &[
        ("name", None),
        ("generateName", None),
        ("namespace", None),
        ("selfLink", None),
        ("uid", None),
        ("resourceVersion", None),
        ("generation", None),
        ("creationTimestamp", None),
        ("deletionTimestamp", None),
        ("deletionGracePeriodSeconds", None),
        ("labels", None),
        ("annotations", None),
        ("ownerReferences", Some(&OWNER_REFERENCE)),
        ("finalizers", None),
    ],
};

/// `metav1.LabelSelector` (`matchExpressions` left out: no generator sets it).
static LABEL_SELECTOR: GoStruct = GoStruct { fields: &[("matchLabels", None)] };

/// `corev1.ContainerPort`.
static CONTAINER_PORT: GoStruct = GoStruct {
    fields: &[
        ("name", None),
        ("hostPort", None),
        ("containerPort", None),
        ("protocol", None),
        ("hostIP", None),
    ],
};

/// `corev1.EnvVar` (`valueFrom` left out: `kubectl run --env` sets values).
static ENV_VAR: GoStruct = GoStruct { fields: &[("name", None), ("value", None)] };

/// `corev1.Container`, the fields `run` and `create` set, in order.
static CONTAINER: GoStruct = GoStruct {
    fields: &[
        ("name", None),
        ("image", None),
        ("command", None),
        ("args", None),
        ("workingDir", None),
        ("ports", Some(&CONTAINER_PORT)),
        ("env", Some(&ENV_VAR)),
        ("resources", Some(&EMPTY)),
        ("imagePullPolicy", None),
        ("stdin", None),
        ("stdinOnce", None),
        ("tty", None),
    ],
};

/// `corev1.PodSpec`, the fields the generators set, in order.
static POD_SPEC: GoStruct = GoStruct {
    fields: &[
        ("containers", Some(&CONTAINER)),
        ("restartPolicy", None),
        ("terminationGracePeriodSeconds", None),
        ("activeDeadlineSeconds", None),
        ("dnsPolicy", None),
        ("nodeSelector", None),
        ("serviceAccountName", None),
        ("serviceAccount", None),
    ],
};

/// `corev1.PodTemplateSpec`.
static POD_TEMPLATE_SPEC: GoStruct =
    GoStruct { fields: &[("metadata", Some(&OBJECT_META)), ("spec", Some(&POD_SPEC))] };

/// `corev1.Pod`.
static POD: GoStruct = GoStruct {
    fields: &[
        ("kind", None),
        ("apiVersion", None),
        ("metadata", Some(&OBJECT_META)),
        ("spec", Some(&POD_SPEC)),
        ("status", Some(&EMPTY)),
    ],
};

/// `appsv1.DeploymentSpec` (`strategy` is only ever `{}` here).
static DEPLOYMENT_SPEC: GoStruct = GoStruct {
    fields: &[
        ("replicas", None),
        ("selector", Some(&LABEL_SELECTOR)),
        ("template", Some(&POD_TEMPLATE_SPEC)),
        ("strategy", Some(&EMPTY)),
    ],
};

/// `appsv1.Deployment`.
static DEPLOYMENT: GoStruct = GoStruct {
    fields: &[
        ("kind", None),
        ("apiVersion", None),
        ("metadata", Some(&OBJECT_META)),
        ("spec", Some(&DEPLOYMENT_SPEC)),
        ("status", Some(&EMPTY)),
    ],
};

/// `corev1.ServicePort`.
static SERVICE_PORT: GoStruct = GoStruct {
    fields: &[
        ("name", None),
        ("protocol", None),
        ("appProtocol", None),
        ("port", None),
        ("targetPort", None),
        ("nodePort", None),
    ],
};

/// `corev1.ServiceSpec`, the fields `create service` and `expose` set.
static SERVICE_SPEC: GoStruct = GoStruct {
    fields: &[
        ("ports", Some(&SERVICE_PORT)),
        ("selector", None),
        ("clusterIP", None),
        ("type", None),
        ("externalIPs", None),
        ("sessionAffinity", None),
        ("loadBalancerIP", None),
    ],
};

/// `corev1.ServiceStatus` (`loadBalancer` is only ever `{}` here).
static SERVICE_STATUS: GoStruct = GoStruct { fields: &[("loadBalancer", Some(&EMPTY))] };

/// `corev1.Service`.
static SERVICE: GoStruct = GoStruct {
    fields: &[
        ("kind", None),
        ("apiVersion", None),
        ("metadata", Some(&OBJECT_META)),
        ("spec", Some(&SERVICE_SPEC)),
        ("status", Some(&SERVICE_STATUS)),
    ],
};

/// `corev1.ConfigMap`.
static CONFIG_MAP: GoStruct = GoStruct {
    fields: &[
        ("kind", None),
        ("apiVersion", None),
        ("metadata", Some(&OBJECT_META)),
        ("immutable", None),
        ("data", None),
        ("binaryData", None),
    ],
};

/// `corev1.Secret`.
static SECRET: GoStruct = GoStruct {
    fields: &[
        ("kind", None),
        ("apiVersion", None),
        ("metadata", Some(&OBJECT_META)),
        ("immutable", None),
        ("data", None),
        ("stringData", None),
        ("type", None),
    ],
};

/// `batchv1.JobSpec`, the fields `create job` sets or copies from a
/// CronJob's template.
static JOB_SPEC: GoStruct = GoStruct {
    fields: &[
        ("parallelism", None),
        ("completions", None),
        ("activeDeadlineSeconds", None),
        ("backoffLimit", None),
        ("template", Some(&POD_TEMPLATE_SPEC)),
        ("ttlSecondsAfterFinished", None),
        ("completionMode", None),
        ("suspend", None),
    ],
};

/// `batchv1.Job`.
static JOB: GoStruct = GoStruct {
    fields: &[
        ("kind", None),
        ("apiVersion", None),
        ("metadata", Some(&OBJECT_META)),
        ("spec", Some(&JOB_SPEC)),
        ("status", Some(&EMPTY)),
    ],
};

/// `batchv1.JobTemplateSpec`.
static JOB_TEMPLATE_SPEC: GoStruct =
    GoStruct { fields: &[("metadata", Some(&OBJECT_META)), ("spec", Some(&JOB_SPEC))] };

/// `batchv1.CronJobSpec`, the fields `create cronjob` sets.
static CRON_JOB_SPEC: GoStruct = GoStruct {
    fields: &[
        ("schedule", None),
        ("timeZone", None),
        ("startingDeadlineSeconds", None),
        ("concurrencyPolicy", None),
        ("suspend", None),
        ("jobTemplate", Some(&JOB_TEMPLATE_SPEC)),
    ],
};

/// `batchv1.CronJob`.
static CRON_JOB: GoStruct = GoStruct {
    fields: &[
        ("kind", None),
        ("apiVersion", None),
        ("metadata", Some(&OBJECT_META)),
        ("spec", Some(&CRON_JOB_SPEC)),
        ("status", Some(&EMPTY)),
    ],
};

/// `corev1.Namespace` (its spec and status are only ever `{}` here).
static NAMESPACE: GoStruct = GoStruct {
    fields: &[
        ("kind", None),
        ("apiVersion", None),
        ("metadata", Some(&OBJECT_META)),
        ("spec", Some(&EMPTY)),
        ("status", Some(&EMPTY)),
    ],
};

/// `autoscalingv1.CrossVersionObjectReference`.
static CROSS_VERSION_OBJECT_REFERENCE: GoStruct =
    GoStruct { fields: &[("kind", None), ("name", None), ("apiVersion", None)] };

/// `autoscalingv1.HorizontalPodAutoscalerSpec`.
static HPA_SPEC: GoStruct = GoStruct {
    fields: &[
        ("scaleTargetRef", Some(&CROSS_VERSION_OBJECT_REFERENCE)),
        ("minReplicas", None),
        ("maxReplicas", None),
        ("targetCPUUtilizationPercentage", None),
    ],
};

/// `autoscalingv1.HorizontalPodAutoscalerStatus`, the fields a new
/// autoscaler has (its two replica counts are not `omitempty`).
static HPA_STATUS: GoStruct = GoStruct {
    fields: &[
        ("observedGeneration", None),
        ("lastScaleTime", None),
        ("currentReplicas", None),
        ("desiredReplicas", None),
        ("currentCPUUtilizationPercentage", None),
    ],
};

/// `autoscalingv1.HorizontalPodAutoscaler` (`kubectl autoscale`).
static HPA: GoStruct = GoStruct {
    fields: &[
        ("kind", None),
        ("apiVersion", None),
        ("metadata", Some(&OBJECT_META)),
        ("spec", Some(&HPA_SPEC)),
        ("status", Some(&HPA_STATUS)),
    ],
};

/// `corev1.ResourceQuota` (`kubectl create quota` fills `hard` and `scopes`).
static RESOURCE_QUOTA: GoStruct = GoStruct {
    fields: &[
        ("kind", None),
        ("apiVersion", None),
        ("metadata", Some(&OBJECT_META)),
        ("spec", Some(&RESOURCE_QUOTA_SPEC)),
        ("status", Some(&EMPTY)),
    ],
};

/// `corev1.ResourceQuotaSpec`.
static RESOURCE_QUOTA_SPEC: GoStruct =
    GoStruct { fields: &[("hard", None), ("scopes", None), ("scopeSelector", None)] };
