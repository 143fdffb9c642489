//! The object store: objects by reference, and the global resourceVersion
//! counter (etcd's revision).

use std::collections::BTreeMap;

use super::{
    kind::Kind,
    object::{Object, ObjectRef, Resource},
};

/// All stored objects, ordered by kind, namespace, name.
#[derive(Debug, Clone, Default)]
pub struct Store {
    objects: BTreeMap<ObjectRef, Object>,
    /// How many objects of each kind are stored (kinds with none are absent).
    counts: BTreeMap<Kind, usize>,
    revision: u64,
    /// The revision of the last write to each kind: a reader that saw a
    /// kind at its revision knows nothing of that kind changed since.
    kind_revisions: BTreeMap<Kind, u64>,
}

impl Store {
    /// An empty store whose first write gets revision `start + 1`.
    pub fn new(start: u64) -> Store {
        Store {
            objects: BTreeMap::new(),
            counts: BTreeMap::new(),
            revision: start,
            kind_revisions: BTreeMap::new(),
        }
    }

    /// Reads one object.
    pub fn get(&self, r: &ObjectRef) -> Option<&Object> {
        self.objects.get(r)
    }

    /// Reads one object of a concrete type.
    pub fn get_typed<T: Resource>(&self, namespace: Option<&str>, name: &str) -> Option<&T> {
        let r = ObjectRef {
            kind: T::KIND,
            namespace: namespace.map(str::to_owned),
            name: name.to_owned(),
        };
        self.objects.get(&r).and_then(T::from_object)
    }

    /// Objects of one kind, in one namespace or all, sorted by namespace and name.
    pub fn list<'a>(
        &'a self,
        kind: Kind,
        namespace: Option<&str>,
    ) -> impl Iterator<Item = &'a Object> + use<'a> {
        let namespace = namespace.map(str::to_owned);
        let start = ObjectRef { kind, namespace: None, name: String::new() };
        self.objects
            .range(start..)
            .take_while(move |(r, _)| r.kind == kind)
            .filter(move |(r, _)| namespace.is_none() || r.namespace == namespace)
            .map(|(_, o)| o)
    }

    /// Objects of one concrete type, in one namespace or all.
    pub fn all<'a, T: Resource + 'a>(
        &'a self,
        namespace: Option<&str>,
    ) -> impl Iterator<Item = &'a T> + use<'a, T> {
        self.list(T::KIND, namespace).filter_map(T::from_object)
    }

    /// The kinds that have at least one stored object, in order.
    pub fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.counts.keys().copied()
    }

    /// Whether an object exists.
    pub fn contains(&self, r: &ObjectRef) -> bool {
        self.objects.contains_key(r)
    }

    /// Stores an object under a fresh resourceVersion; returns the stored copy.
    pub fn put(&mut self, mut object: Object) -> Object {
        self.revision += 1;
        object.meta_mut().resource_version = Some(self.revision.to_string());
        let r = object.object_ref();
        let kind = r.kind;
        self.kind_revisions.insert(kind, self.revision);
        if self.objects.insert(r, object.clone()).is_none() {
            *self.counts.entry(kind).or_default() += 1;
        }
        object
    }

    /// Removes an object.
    pub fn remove(&mut self, r: &ObjectRef) -> Option<Object> {
        let removed = self.objects.remove(r);
        if removed.is_some() {
            self.revision += 1;
            self.kind_revisions.insert(r.kind, self.revision);
            if let Some(n) = self.counts.get_mut(&r.kind) {
                *n -= 1;
                if *n == 0 {
                    self.counts.remove(&r.kind);
                }
            }
        }
        removed
    }

    /// The revision of the last write (or removal) of an object of `kind`;
    /// 0 if none was ever written.
    pub fn kind_revision(&self, kind: Kind) -> u64 {
        self.kind_revisions.get(&kind).copied().unwrap_or(0)
    }

    /// The store's current revision.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Finds an object by uid (owner references).
    pub fn find_uid(&self, kind: Kind, namespace: Option<&str>, uid: &str) -> Option<&Object> {
        self.list(kind, namespace).find(|o| o.meta().uid.as_deref() == Some(uid))
    }
}
