//! API errors, as the API server reports them (`apimachinery/pkg/api/errors`).

use super::kind::Kind;

/// An error the simulated API server returns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 404: `deployments.apps "x" not found`.
    #[error("{} \"{name}\" not found", kind.info().group_resource())]
    NotFound {
        /// The kind looked up.
        kind: Kind,
        /// The name looked up.
        name: String,
    },
    /// 409: `deployments.apps "x" already exists`.
    #[error("{} \"{name}\" already exists", kind.info().group_resource())]
    AlreadyExists {
        /// The kind.
        kind: Kind,
        /// The name.
        name: String,
    },
    /// 422: `Deployment.apps "x" is invalid: <causes>`.
    #[error("{}{} \"{name}\" is invalid: {}", kind.info().kind_name, group_suffix(*kind), aggregate(causes))]
    Invalid {
        /// The kind.
        kind: Kind,
        /// The object name.
        name: String,
        /// One message per invalid field (`spec.replicas: Invalid value: -1: ...`).
        causes: Vec<String>,
    },
    /// 409: `Operation cannot be fulfilled on <resource> "<name>": <msg>`.
    #[error("Operation cannot be fulfilled on {} \"{name}\": {message}", kind.info().group_resource())]
    Conflict {
        /// The kind.
        kind: Kind,
        /// The name.
        name: String,
        /// Why.
        message: String,
    },
    /// 404 for a path the server does not serve, such as a subresource
    /// the resource lacks (`NewNotFound` with no details).
    #[error("the server could not find the requested resource")]
    NotServed,
    /// 403 (`NewForbidden`), from the authorizer or admission (`pods "x" is
    /// forbidden: exceeded quota: …`): `pods is forbidden: User "jane" cannot list
    /// resource "pods" in API group "" in the namespace "default"`; the
    /// message is the authorizer's ([`super::auth::rbac::forbidden_message`]).
    #[error("{}", forbidden_text(resource, name, message))]
    Forbidden {
        /// The group-qualified resource (`pods`, `deployments.apps`);
        /// empty for a non-resource URL.
        resource: String,
        /// The object's name, when the request named one.
        name: String,
        /// Why.
        message: String,
    },
    /// 400 with a free message.
    #[error("{0}")]
    BadRequest(String),
    /// 422 about the request rather than an object (`NewInvalid` with an
    /// empty GroupKind and name, or `NewGenericServerResponse(422, ...)`,
    /// which keeps no detail): kubectl prints `The request is invalid`,
    /// then the causes, if any (`patch: Invalid value: ...`).
    #[error("the server rejected our request due to an error in our request")]
    InvalidRequest {
        /// One message per invalid field; empty for a generic 422.
        causes: Vec<String>,
    },
    /// 500 from an error the server did not turn into a Status
    /// (`responsewriters.ErrorToAPIStatus`: reason empty, the error's text
    /// as the message), e.g. a strategic merge patch without a merge key.
    #[error("{0}")]
    Internal(String),
    /// 429 (`NewTooManyRequests`): the eviction subresource refusing to
    /// break a PodDisruptionBudget, `Cannot evict pod as it would violate
    /// the pod's disruption budget.`; the `DisruptionBudget` cause says
    /// which budget and why (kubectl prints only the message).
    #[error("{message}")]
    TooManyRequests {
        /// The Status message.
        message: String,
        /// The `DisruptionBudget` cause's message.
        cause: String,
        /// `details.retryAfterSeconds`.
        retry_after_seconds: i32,
    },
}

/// `NewForbidden`'s message: the qualified resource, the name if any.
fn forbidden_text(resource: &str, name: &str, message: &str) -> String {
    match (resource.is_empty(), name.is_empty()) {
        (true, _) => format!("forbidden: {message}"),
        (false, true) => format!("{resource} is forbidden: {message}"),
        (false, false) => format!("{resource} \"{name}\" is forbidden: {message}"),
    }
}

/// `utilerrors.NewAggregate(...).Error()`: one error as itself, several in
/// brackets.
fn aggregate(causes: &[String]) -> String {
    if causes.len() == 1 { causes[0].clone() } else { format!("[{}]", causes.join(", ")) }
}

fn group_suffix(kind: Kind) -> String {
    let group = kind.info().group;
    if group.is_empty() { String::new() } else { format!(".{group}") }
}

impl ApiError {
    /// The status reason kubectl prints in `Error from server (<Reason>): ...`.
    pub fn reason(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } | ApiError::NotServed => "NotFound",
            ApiError::AlreadyExists { .. } => "AlreadyExists",
            ApiError::Invalid { .. } => "Invalid",
            ApiError::Conflict { .. } => "Conflict",
            ApiError::Forbidden { .. } => "Forbidden",
            ApiError::BadRequest(_) => "BadRequest",
            ApiError::InvalidRequest { .. } => "Invalid",
            ApiError::Internal(_) => "",
            ApiError::TooManyRequests { .. } => "TooManyRequests",
        }
    }
}
