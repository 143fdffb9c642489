//! The managed fields of stored objects, kept beside the store: what the
//! API server writes into `metadata.managedFields` on every write.
//!
//! The simulator attributes the writes of clients (kubectl, with the
//! manager each command names) and of the API server itself (its system
//! namespaces). Its controllers (kube-controller-manager, the scheduler,
//! kubelets) write objects without naming themselves: the fields such a
//! write changed are *unattributed*, found by comparing the object with
//! the copy the last attributed write left. An object with unattributed
//! fields, or one no attributed write ever created, has managed fields the
//! simulator does not know; [`FieldTracker::managed_fields`] says so, and
//! callers report it unsupported, naming it.

use std::collections::BTreeMap;

use k8s_openapi::jiff::Timestamp;
use serde_json::Value;

use super::{
    field_manager::{Conflicts, ManagedFields, Writer, fields_of},
    field_path::FieldSet,
};
use crate::sim::{Kind, Object, ObjectRef};

/// Who a client request is from, as the API server names it: the field
/// manager (`?fieldManager=`, else the User-Agent's program name) and the
/// subresource written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manager {
    pub name: String,
    pub subresource: Option<String>,
}

#[derive(Debug, Clone)]
struct Tracked {
    uid: Option<String>,
    resource_version: Option<String>,
    snapshot: Value,
    fields: ManagedFields,
    unattributed: FieldSet,
}

/// Why an object's managed fields are not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// Its kind's schema (list keys, atomic types) is not modelled.
    Kind(Kind),
    /// No attributed write created it (a controller or the bootstrap did).
    Untracked,
    /// A controller wrote these fields.
    Unattributed(Vec<String>),
}

impl Unknown {
    /// The thing kubeplay cannot emulate, for an `unsupported` report.
    pub fn describe(&self, r: &ObjectRef) -> String {
        let what = format!("the metadata.managedFields of {}/{}", r.kind.info().plural, r.name);
        match self {
            Unknown::Kind(k) => {
                format!(
                    "{what} (the field manager's schema of {} is not modelled)",
                    k.info().plural
                )
            }
            Unknown::Untracked => {
                format!(
                    "{what} (written by a controller or at bootstrap, under managers not modelled)"
                )
            }
            Unknown::Unattributed(paths) => {
                let shown: Vec<&str> = paths.iter().take(3).map(String::as_str).collect();
                let more = if paths.len() > 3 { ", …" } else { "" };
                format!(
                    "{what} (the entries of the controllers that wrote {}{more})",
                    shown.join(", ")
                )
            }
        }
    }
}

/// Why a server-side apply failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApplyError {
    /// The API server rejected the merged object.
    Api(crate::sim::ApiError),
    /// Fields other managers own would change (HTTP 409).
    Conflicts(Conflicts),
    /// The outcome depends on managed fields the simulator does not know.
    Unknown(ObjectRef, Unknown),
    /// Something else kubeplay cannot emulate, named.
    Unsupported(String),
}

/// The outcome of a server-side apply, before it is stored.
#[derive(Debug)]
pub enum Applied {
    /// The merged object, and the managed fields to keep once it is
    /// stored ([`FieldTracker::commit`]).
    Merged(Value, Plan),
    /// Fields other managers own would change.
    Conflicts(Conflicts),
    /// The outcome depends on managers the simulator does not know.
    Unknown(Unknown),
}

/// The managed fields an apply leaves.
#[derive(Debug, Clone)]
pub struct Plan {
    fields: ManagedFields,
    unattributed: FieldSet,
}

/// The managed fields of every object attributed writes made or changed.
#[derive(Debug, Clone, Default)]
pub struct FieldTracker {
    objects: BTreeMap<ObjectRef, Tracked>,
}

fn api_version(kind: Kind) -> String {
    let info = kind.info();
    if info.group.is_empty() {
        info.version.to_owned()
    } else {
        format!("{}/{}", info.group, info.version)
    }
}

impl FieldTracker {
    /// The entry for `stored`, with what controllers changed since the
    /// last attributed write folded into its unattributed fields; `None`
    /// when the object was never tracked (or is another object of the
    /// same name).
    fn current(&self, stored: &Object) -> Option<(ManagedFields, FieldSet)> {
        let t = self.objects.get(&stored.object_ref())?;
        let meta = stored.meta();
        if t.uid != meta.uid {
            return None;
        }
        let mut unattributed = t.unattributed.clone();
        if t.resource_version != meta.resource_version {
            let now = stored.to_value();
            let changed = super::field_manager::changed(stored.kind(), &t.snapshot, &now)?;
            unattributed = unattributed.union(&changed);
        }
        Some((t.fields.clone(), unattributed))
    }

    fn store(&mut self, stored: &Object, fields: ManagedFields, unattributed: FieldSet) {
        let meta = stored.meta();
        self.objects.insert(
            stored.object_ref(),
            Tracked {
                uid: meta.uid.clone(),
                resource_version: meta.resource_version.clone(),
                snapshot: stored.to_value(),
                fields,
                unattributed,
            },
        );
    }

    /// An attributed write: a create (`old` is `None`) or an update of
    /// `old` with the request `requested` (decoded and defaulted, before
    /// admission), stored as `stored`.
    pub fn written(
        &mut self,
        old: Option<&Object>,
        requested: &Object,
        stored: &Object,
        manager: &Manager,
        now: Timestamp,
    ) {
        let kind = stored.kind();
        let Some(all_old) = old.map(|o| fields_of(kind, &o.to_value())) else {
            let mut fields = ManagedFields::default();
            if fields
                .update(kind, None, &requested.to_value(), &writer(kind, manager), now)
                .is_some()
            {
                self.store(stored, fields, FieldSet::new());
            }
            return;
        };
        let old = old.expect("an update has an old object");
        let (mut fields, unattributed) = match self.current(old) {
            Some(c) => c,
            None => (ManagedFields::default(), all_old.unwrap_or_default()),
        };
        let w = writer(kind, manager);
        if fields.update(kind, Some(&old.to_value()), &requested.to_value(), &w, now).is_none() {
            return;
        }
        // What the writer now owns is attributed; what the object no
        // longer holds is nobody's.
        let owned = fields
            .entries
            .iter()
            .filter(|e| e.manager == w.manager && e.subresource == w.subresource)
            .fold(FieldSet::new(), |acc, e| acc.union(&e.fields));
        let present = fields_of(kind, &stored.to_value()).unwrap_or_default();
        let unattributed = unattributed.difference(&owned).intersection(&present);
        self.store(stored, fields, unattributed);
    }

    /// A server-side apply of `config` by `manager` onto `live`.
    pub fn apply(
        &self,
        kind: Kind,
        live: Option<&Object>,
        config: &Value,
        manager: &Manager,
        force: bool,
        now: Timestamp,
    ) -> Applied {
        let live_value = live.map(Object::to_value);
        let (mut fields, unattributed) = match live {
            None => (ManagedFields::default(), FieldSet::new()),
            Some(o) => match self.current(o) {
                Some(c) => c,
                None => match fields_of(kind, &o.to_value()) {
                    Some(all) => (ManagedFields::default(), all),
                    None => return Applied::Unknown(Unknown::Kind(kind)),
                },
            },
        };
        let w = writer(kind, manager);
        // A real server also reports conflicts with the managers of fields
        // controllers wrote; the simulator does not know those managers.
        let mut probe = fields.clone();
        let Some(Ok((_, changed))) =
            probe.apply_changes(kind, live_value.as_ref(), config, &w, true, now)
        else {
            return Applied::Unknown(Unknown::Kind(kind));
        };
        let hidden = changed.intersection(&unattributed);
        if !force && !hidden.is_empty() {
            let paths = hidden.paths().iter().map(ToString::to_string).collect();
            return Applied::Unknown(Unknown::Unattributed(paths));
        }
        match fields.apply_changes(kind, live_value.as_ref(), config, &w, force, now) {
            None => Applied::Unknown(Unknown::Kind(kind)),
            Some(Err(c)) => Applied::Conflicts(c),
            Some(Ok((merged, changed))) => {
                let unattributed = unattributed.difference(&changed);
                Applied::Merged(merged, Plan { fields, unattributed })
            }
        }
    }

    /// Keeps an apply's managed fields for the object it stored.
    pub fn commit(&mut self, stored: &Object, plan: Plan) {
        let present = fields_of(stored.kind(), &stored.to_value()).unwrap_or_default();
        self.store(stored, plan.fields, plan.unattributed.intersection(&present));
    }

    /// The API server's own objects (its system namespaces): created by
    /// `manager` at their creation time.
    pub fn created_by_server(&mut self, stored: &Object, requested: &Object, manager: &Manager) {
        let at = stored.meta().creation_timestamp.as_ref().map_or(Timestamp::UNIX_EPOCH, |t| t.0);
        self.written(None, requested, stored, manager, at);
    }

    /// `metadata.managedFields` of `stored` as the API server returns them
    /// (entries in stored order, each in Go field order), or why they are
    /// not known.
    pub fn managed_fields(&self, stored: &Object) -> Result<Vec<Vec<(String, Value)>>, Unknown> {
        let kind = stored.kind();
        if !super::field_manager::tracked(kind) {
            return Err(Unknown::Kind(kind));
        }
        let (fields, unattributed) = self.current(stored).ok_or(Unknown::Untracked)?;
        if !unattributed.is_empty() {
            let paths = unattributed.paths().iter().map(ToString::to_string).collect();
            return Err(Unknown::Unattributed(paths));
        }
        Ok(fields.to_json())
    }
}

fn writer(kind: Kind, manager: &Manager) -> Writer {
    Writer {
        manager: manager.name.clone(),
        api_version: api_version(kind),
        subresource: manager.subresource.clone(),
    }
}
