//! After the renames, every field that names another object of the build
//! is updated to its new name (`ResAccumulator.FixBackReferences`,
//! `api/filters/nameref/nameref.go`), per the `nameReference` table.

use serde_json::{Value, json};

use super::{Env, Failure, Gvk, ResId, Resource, fieldspec};

/// Updates the references of every object.
pub fn fix(resources: &mut [Resource], env: &Env<'_>) -> Result<(), Failure> {
    let table = &fieldspec::defaults().name_reference;
    // The updates change reference fields only, never an object's own
    // name or namespace: what each object is known by is read once.
    let candidates: Vec<Candidate> = resources.iter().map(Candidate::of).collect();
    for referrer in 0..resources.len() {
        let gvk = resources[referrer].gvk();
        for entry in table {
            for spec in entry.field_specs.iter().filter(|s| s.selects(&gvk)) {
                // A binding's `roleRef` says which kind it names
                // (`roleRefFilter`).
                let role_ref = spec.path.ends_with("roleRef/name").then(|| {
                    let role_ref = &resources[referrer].value["roleRef"];
                    Gvk {
                        group: role_ref["apiGroup"].as_str().unwrap_or_default().to_owned(),
                        version: String::new(),
                        kind: role_ref["kind"].as_str().unwrap_or_default().to_owned(),
                    }
                });
                let context = Context {
                    candidates: &candidates,
                    referrer: &candidates[referrer],
                    target: Gvk {
                        group: entry.group.clone(),
                        version: entry.version.clone(),
                        kind: entry.kind.clone(),
                    },
                    role_ref,
                    env,
                };
                let mut value = std::mem::take(&mut resources[referrer].value);
                let result =
                    fieldspec::walk(&mut value, &gvk, spec, None, &mut |node| context.update(node));
                resources[referrer].value = value;
                result.map_err(|e| {
                    Failure::Message(format!(
                        "updating name reference in '{}' field of '{}': {e}",
                        spec.path,
                        context.referrer.cur.id_string()
                    ))
                })?;
            }
        }
    }
    Ok(())
}

/// What the selection reads of an object.
struct Candidate {
    cur: ResId,
    prev: Vec<ResId>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

impl Candidate {
    fn of(r: &Resource) -> Candidate {
        Candidate {
            cur: r.cur_id(),
            prev: r.prev_ids(),
            prefixes: r.prefixes.clone(),
            suffixes: r.suffixes.clone(),
        }
    }
}

/// One field spec's walk over one referrer.
struct Context<'a> {
    /// Every object, by what it is known as.
    candidates: &'a [Candidate],
    referrer: &'a Candidate,
    /// The kind the field names.
    target: Gvk,
    role_ref: Option<Gvk>,
    env: &'a Env<'a>,
}

/// Whether `gvk` selects `id` (empty parts select anything).
fn selected_by(id: &ResId, gvk: &Gvk) -> bool {
    (gvk.kind.is_empty() || gvk.kind == id.gvk.kind)
        && (gvk.group.is_empty() || gvk.group == id.gvk.group)
        && (gvk.version.is_empty() || gvk.version == id.gvk.version)
}

impl Context<'_> {
    fn scoped(&self, c: &Candidate) -> bool {
        (self.env.cluster_scoped)(&c.cur.gvk)
    }

    /// `Filter.set`: a name (scalar), a `{name, namespace}` map, or a list
    /// of either.
    fn update(&self, node: &mut Value) -> Result<(), String> {
        match node {
            Value::Null => Ok(()),
            Value::String(name) => {
                if let Some(c) = self.select(name, None)? {
                    *node = json!(c.cur.name);
                }
                Ok(())
            }
            Value::Object(map) => {
                let Some(name) = map.get("name").and_then(Value::as_str).map(str::to_owned) else {
                    return Err("path config error; no 'name' field in node".to_owned());
                };
                let ns = map.get("namespace").and_then(Value::as_str).map(str::to_owned);
                if let Some(c) = self.select(&name, ns.as_deref())? {
                    if c.cur.name == name && c.cur.namespace.is_empty() {
                        return Ok(());
                    }
                    map.insert("name".into(), json!(c.cur.name));
                    if !c.cur.namespace.is_empty() {
                        map.insert("namespace".into(), json!(c.cur.namespace));
                    }
                }
                Ok(())
            }
            Value::Array(items) => items.iter_mut().try_for_each(|item| self.update(item)),
            _ => Err("node must be a scalar, sequence or map".to_owned()),
        }
    }

    /// `selectReferral`: the one object this name refers to, if any.
    fn select(&self, name: &str, namespace: Option<&str>) -> Result<Option<&Candidate>, String> {
        let referrer_scoped = self.scoped(self.referrer);
        let mut found: Vec<&Candidate> = self
            .candidates
            .iter()
            .filter(|c| {
                namespace.is_none_or(|ns| {
                    c.cur.namespace == ns || c.prev.iter().any(|id| id.namespace == ns)
                })
            })
            .filter(|c| c.prev.iter().any(|id| id.name == name))
            .filter(|c| c.prev.iter().any(|id| selected_by(id, &self.target)))
            .filter(|c| {
                self.role_ref.as_ref().is_none_or(|g| c.prev.iter().any(|id| selected_by(id, g)))
            })
            .filter(|c| {
                referrer_scoped
                    || self.scoped(c)
                    || c.cur.gvk.kind == "ServiceAccount"
                    || c.cur.namespace == self.referrer.cur.namespace
            })
            .collect();
        if found.len() > 1 {
            found.retain(|c| {
                c.prefixes == self.referrer.prefixes && c.suffixes == self.referrer.suffixes
            });
        }
        match found.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            many if many.iter().all(|c| {
                c.cur.name == many[0].cur.name && c.cur.namespace == many[0].cur.namespace
            }) =>
            {
                Ok(Some(many[0]))
            }
            many => {
                let ids: Vec<String> = many.iter().map(|c| c.cur.id_string()).collect();
                Err(format!("found multiple possible referrals: [{}]", ids.join(" ")))
            }
        }
    }
}
