//! Authorization as a kube-apiserver of the cluster's version does it: the
//! objects it starts with (the bootstrap RBAC policy, the installer's own
//! roles, the system PriorityClasses: [`defaults`]), the
//! clusterrole-aggregation controller's rule ([`aggregation`]), who is
//! asking ([`user`]) and the RBAC authorizer ([`rbac`]).

pub mod aggregation;
pub mod defaults;
mod kubeadm;
pub mod rbac;
pub mod user;

pub use rbac::{Attributes, Decision, RulesReview, authorize, rules_for};
pub use user::UserInfo;
