//! The objects the simulator stores: k8s-openapi types in one enum.

use k8s_openapi::{
    api::{
        apps::v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet},
        autoscaling::v2::HorizontalPodAutoscaler,
        batch::v1::{CronJob, Job},
        core::v1::{
            ConfigMap, Endpoints, Event, Namespace, Node, Pod, Secret, Service, ServiceAccount,
        },
        discovery::v1::EndpointSlice,
    },
    apimachinery::pkg::apis::meta::v1::ObjectMeta,
};

use super::kind::{Generic, Kind};

/// Names one object: kind, namespace (for namespaced kinds) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    /// The kind.
    pub kind: Kind,
    /// The namespace; `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
}

impl ObjectRef {
    /// A reference to a namespaced object.
    pub fn namespaced(kind: Kind, namespace: &str, name: &str) -> Self {
        ObjectRef { kind, namespace: Some(namespace.to_owned()), name: name.to_owned() }
    }

    /// A reference to a cluster-scoped object.
    pub fn cluster(kind: Kind, name: &str) -> Self {
        ObjectRef { kind, namespace: None, name: name.to_owned() }
    }
}

macro_rules! objects {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        /// One stored object.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Object {
            $(
                #[doc = concat!("A ", stringify!($variant), ".")]
                $variant($ty),
            )*
            /// An object of a served kind without a typed model.
            Generic(GenericObject),
        }

        impl Object {
            /// The object's kind.
            pub fn kind(&self) -> Kind {
                match self { $(Object::$variant(_) => Kind::$variant,)* Object::Generic(g) => Kind::Other(g.kind) }
            }

            /// The object's metadata.
            pub fn meta(&self) -> &ObjectMeta {
                match self { $(Object::$variant(o) => &o.metadata,)* Object::Generic(g) => &g.metadata }
            }

            /// The object's metadata, mutably.
            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Object::$variant(o) => &mut o.metadata,)* Object::Generic(g) => &mut g.metadata }
            }

            /// Decodes a manifest (a JSON value with `apiVersion` and `kind`).
            pub fn from_value(value: serde_json::Value) -> Result<Object, DecodeError> {
                let api_version = value.get("apiVersion").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                let kind_name = value.get("kind").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                if kind_name.is_empty() {
                    return Err(DecodeError::MissingKind);
                }
                if api_version.is_empty() {
                    return Err(DecodeError::MissingApiVersion);
                }
                // Every served autoscaling version decodes to the one stored
                // HPA shape (`sim::hpa_conversion`).
                let hpa = kind_name == "HorizontalPodAutoscaler" && api_version.starts_with("autoscaling/");
                let kind = Kind::from_manifest(&api_version, &kind_name)
                    .or(hpa.then_some(Kind::HorizontalPodAutoscaler))
                    .ok_or(DecodeError::UnknownKind { api_version, kind: kind_name })?;
                let value = if hpa { super::conversion::storage_form(kind, value) } else { value };
                Object::from_value_as(kind, value)
            }

            /// Decodes a manifest already resolved to `kind` (by the
            /// cluster's served resources: generic and custom kinds too).
            pub fn from_value_as(kind: Kind, value: serde_json::Value) -> Result<Object, DecodeError> {
                match kind {
                    Kind::Other(generic) => GenericObject::from_value(generic, value).map(Object::Generic),
                    $(Kind::$variant => serde_json::from_value(value)
                        .map(Object::$variant)
                        .map_err(|e| DecodeError::Shape(e.to_string())),)*
                }
            }

            /// Encodes the object as its JSON manifest (with `apiVersion` and `kind`).
            pub fn to_value(&self) -> serde_json::Value {
                let mut value = match self {
                    $(Object::$variant(o) => serde_json::to_value(o).unwrap_or_default(),)*
                    Object::Generic(g) => g.to_value(),
                };
                if let Some(map) = value.as_object_mut() {
                    let info = self.kind().info();
                    map.insert("apiVersion".into(), info.api_version().into());
                    map.insert("kind".into(), info.kind_name.into());
                }
                value
            }
        }

        $(
            impl Resource for $ty {
                const KIND: Kind = Kind::$variant;

                fn from_object(object: &Object) -> Option<&Self> {
                    match object { Object::$variant(o) => Some(o), _ => None }
                }

                fn from_object_mut(object: &mut Object) -> Option<&mut Self> {
                    match object { Object::$variant(o) => Some(o), _ => None }
                }

                fn into_object(self) -> Object {
                    Object::$variant(self)
                }
            }
        )*
    };
}

/// A stored type: converts between the concrete k8s-openapi type and [`Object`].
pub trait Resource: Sized + Clone {
    /// The kind of this type.
    const KIND: Kind;
    /// The concrete object, if `object` is of this type.
    fn from_object(object: &Object) -> Option<&Self>;
    /// The concrete object, mutably, if `object` is of this type.
    fn from_object_mut(object: &mut Object) -> Option<&mut Self>;
    /// Wraps this object.
    fn into_object(self) -> Object;
}

objects! {
    Namespace(Namespace),
    Node(Node),
    Pod(Pod),
    Service(Service),
    Endpoints(Endpoints),
    Event(Event),
    ConfigMap(ConfigMap),
    Secret(Secret),
    ServiceAccount(ServiceAccount),
    Deployment(Deployment),
    ReplicaSet(ReplicaSet),
    DaemonSet(DaemonSet),
    ControllerRevision(ControllerRevision),
    Job(Job),
    CronJob(CronJob),
    HorizontalPodAutoscaler(HorizontalPodAutoscaler),
    EndpointSlice(EndpointSlice),
}

impl Object {
    /// The object's name.
    pub fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or_default()
    }

    /// The object's namespace, if namespaced.
    pub fn namespace(&self) -> Option<&str> {
        self.meta().namespace.as_deref()
    }

    /// A reference to this object.
    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind(),
            namespace: self.namespace().map(str::to_owned),
            name: self.name().to_owned(),
        }
    }
}

/// An object of a kind the simulator stores without a typed model: its
/// metadata typed (names, labels, owners, finalizers all work as for any
/// object), everything else kept as the JSON it was written with.
#[derive(Debug, Clone, PartialEq)]
pub struct GenericObject {
    /// The kind.
    pub kind: Generic,
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// Every other top-level field (`spec`, `status`, `rules`, `data`, …).
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl GenericObject {
    fn from_value(kind: Generic, value: serde_json::Value) -> Result<GenericObject, DecodeError> {
        let serde_json::Value::Object(mut fields) = value else {
            return Err(DecodeError::Shape("object expected".to_owned()));
        };
        fields.remove("apiVersion");
        fields.remove("kind");
        let metadata = match fields.remove("metadata") {
            Some(m) => serde_json::from_value(m).map_err(|e| DecodeError::Shape(e.to_string()))?,
            None => ObjectMeta::default(),
        };
        Ok(GenericObject { kind, metadata, fields })
    }

    fn to_value(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        map.insert("metadata".into(), serde_json::to_value(&self.metadata).unwrap_or_default());
        map.extend(self.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        serde_json::Value::Object(map)
    }
}

/// Why a manifest could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// No `kind` field.
    #[error("Object 'Kind' is missing")]
    MissingKind,
    /// No `apiVersion` field.
    #[error("Object 'apiVersion' is missing")]
    MissingApiVersion,
    /// A kind the simulator does not serve.
    #[error("no matches for kind \"{kind}\" in version \"{api_version}\"")]
    UnknownKind {
        /// The manifest's apiVersion.
        api_version: String,
        /// The manifest's kind.
        kind: String,
    },
    /// A served version whose conversion the simulator does not model.
    #[error("{0}")]
    Unsupported(String),
    /// The fields do not fit the kind's schema.
    #[error("{0}")]
    Shape(String),
}
