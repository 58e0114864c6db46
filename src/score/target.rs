//! `spec.appliesTo`: which entities a scorecard scores. Keys are AND-ed, the values of one key
//! OR-ed; `exclude` takes the same keys and takes matching entities out. Relations (system,
//! domain, the `where` language's relation shortcuts) come from the catalog, never from here.

use std::collections::HashMap;

use crate::bulk::filter::{self, Filter, Subject};
use crate::catalog::Catalog;
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::index::Teams;
use crate::reader::Reader;
use crate::score::facts::EntityInput;
use crate::yaml::{Node, Value};

/// One selection: every key that is set must match.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub kinds: Vec<String>,
    pub types: Vec<String>,
    pub lifecycles: Vec<String>,
    pub owners: Vec<String>,
    /// `tags` and its alias `tag`.
    pub tags: Vec<String>,
    pub namespaces: Vec<String>,
    /// (key, value): a key alone matches when the label is present.
    pub labels: Vec<(String, Option<String>)>,
    pub annotations: Vec<(String, Option<String>)>,
    pub systems: Vec<String>,
    pub domains: Vec<String>,
    /// `where:`, in the language of `catalog query --where`.
    pub filter: Option<Filter>,
}

/// Which entities a scorecard applies to.
#[derive(Debug, Clone, Default)]
pub struct AppliesTo {
    pub include: Selector,
    pub exclude: Option<Selector>,
}

/// The keys of `appliesTo`: a selector's and `exclude`.
pub const APPLIES_KEYS: &[&str] = &[
    "kind",
    "type",
    "lifecycle",
    "owner",
    "tags",
    "tag",
    "namespace",
    "label",
    "annotation",
    "system",
    "domain",
    "where",
    "exclude",
];

/// The keys of a selection: `appliesTo`'s without `exclude` (its last).
pub const SELECTOR_KEYS: &[&str] = match APPLIES_KEYS.split_last() {
    Some((_, selector)) => selector,
    None => &[],
};

/// The entity's relations as the catalog recorded them, and the System and Domain it belongs to.
#[derive(Debug, Clone, Default)]
pub struct Related {
    pub relations: Vec<(&'static str, EntityRef)>,
    /// The entity's `spec.system` (a System is its own).
    pub system: Option<EntityRef>,
    /// The domain of the entity's system (a System's `spec.domain`; a Domain is its own).
    pub domain: Option<EntityRef>,
}

/// Every entity's [`Related`], keyed by reference, with the teams for `ownedBy`.
#[derive(Default)]
pub struct Relations {
    by_entity: HashMap<EntityRef, Related>,
    pub teams: Teams,
}

impl Relations {
    /// From the catalog's relations: the `system` field's `partOf`, and the system's `domain`.
    pub fn from_catalog(catalog: &Catalog) -> Self {
        let mut direct: HashMap<EntityRef, Vec<(&'static str, &'static str, EntityRef)>> =
            HashMap::new();
        for e in catalog.entities() {
            direct.entry(e.reference().clone()).or_insert_with(|| {
                e.record
                    .relations
                    .iter()
                    .map(|r| (r.field, r.relation, r.target.clone()))
                    .collect()
            });
        }
        Self::from_fields(direct, catalog.teams())
    }

    /// From (field, relation type, target) triples per entity.
    pub fn from_fields(
        direct: HashMap<EntityRef, Vec<(&'static str, &'static str, EntityRef)>>,
        teams: Teams,
    ) -> Self {
        let field_target = |reference: &EntityRef, field: &str| {
            direct
                .get(reference)
                .and_then(|rs| rs.iter().find(|(f, _, _)| *f == field))
                .map(|(_, _, t)| t.clone())
        };
        let mut by_entity = HashMap::new();
        for (reference, rels) in &direct {
            let system = match reference.kind() {
                "system" => Some(reference.clone()),
                _ => field_target(reference, "system"),
            };
            let domain = match reference.kind() {
                "domain" => Some(reference.clone()),
                _ => system.as_ref().and_then(|s| field_target(s, "domain")),
            };
            let related = Related {
                relations: rels.iter().map(|(_, r, t)| (*r, t.clone())).collect(),
                system,
                domain,
            };
            by_entity.insert(reference.clone(), related);
        }
        Relations { by_entity, teams }
    }

    pub fn of(&self, reference: &EntityRef) -> Option<&Related> {
        self.by_entity.get(reference)
    }
}

/// Does the scorecard apply to this entity (matches `appliesTo`, not its `exclude`)?
pub fn applies(a: &AppliesTo, e: &EntityInput<'_>, relations: &Relations) -> bool {
    let none = Related::default();
    let related = relations.of(e.reference).unwrap_or(&none);
    selects(&a.include, e, related, &relations.teams)
        && !a
            .exclude
            .as_ref()
            .is_some_and(|x| selects(x, e, related, &relations.teams))
}

fn selects(s: &Selector, e: &EntityInput<'_>, related: &Related, teams: &Teams) -> bool {
    let field = |path: &str| e.root.pointer(path).and_then(Node::as_str);
    let one_of = |list: &[String], value: Option<&str>| {
        list.is_empty() || value.is_some_and(|v| list.iter().any(|x| x.eq_ignore_ascii_case(v)))
    };
    // References compare as references: `checkout`, `system:checkout` and
    // `system:default/checkout` are the same System.
    let ref_in = |list: &[String], kind: &str, actual: Option<&EntityRef>| {
        list.is_empty()
            || actual.is_some_and(|actual| {
                list.iter().any(|x| {
                    EntityRef::parse(x, Some(kind), "default").is_ok_and(|want| &want == actual)
                })
            })
    };
    let owner = field("/spec/owner")
        .and_then(|o| EntityRef::parse(o, Some("Group"), e.reference.namespace()).ok());
    let tags_ok = s.tags.is_empty()
        || e.root
            .pointer("/metadata/tags")
            .and_then(Node::as_seq)
            .is_some_and(|tags| {
                tags.iter()
                    .any(|t| t.as_str().is_some_and(|t| s.tags.iter().any(|x| x == t)))
            });
    let filter_ok = s.filter.as_ref().is_none_or(|f| {
        f.matches(
            &Subject {
                reference: e.reference,
                root: e.root,
                relations: &related.relations,
            },
            teams,
        )
    });
    one_of(&s.kinds, Some(e.reference.kind()))
        && one_of(&s.types, field("/spec/type"))
        && one_of(&s.lifecycles, field("/spec/lifecycle"))
        && one_of(&s.namespaces, Some(e.reference.namespace()))
        && ref_in(&s.owners, "Group", owner.as_ref())
        && tags_ok
        && key_values(&s.labels, e.root.pointer("/metadata/labels"))
        && key_values(&s.annotations, e.root.pointer("/metadata/annotations"))
        && ref_in(&s.systems, "System", related.system.as_ref())
        && ref_in(&s.domains, "Domain", related.domain.as_ref())
        && filter_ok
}

/// Any of the (key, value) pairs holds in the map (a key alone: the key is present).
fn key_values(wanted: &[(String, Option<String>)], map: Option<&Node>) -> bool {
    wanted.is_empty()
        || wanted.iter().any(|(key, value)| {
            map.and_then(|m| m.get(key))
                .is_some_and(|actual| match value {
                    None => true,
                    Some(v) => scalar_text(actual).is_some_and(|a| a == *v),
                })
        })
}

fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads `appliesTo` (with its `exclude`).
pub fn parse(r: &mut Reader, node: &Node) -> AppliesTo {
    r.only_keys(node, APPLIES_KEYS, "appliesTo");
    let exclude = node.get("exclude").and_then(|x| {
        r.only_keys(x, SELECTOR_KEYS, "appliesTo.exclude");
        if x.as_map().is_none_or(<[_]>::is_empty) {
            r.error(
                x.span,
                format!(
                    "`exclude` needs at least one of: {}",
                    SELECTOR_KEYS.join(", ")
                ),
            );
            return None;
        }
        Some(selector(r, x))
    });
    AppliesTo {
        include: selector(r, node),
        exclude,
    }
}

fn selector(r: &mut Reader, node: &Node) -> Selector {
    let mut s = Selector::default();
    for (k, v) in node.as_map().unwrap_or_default() {
        match k.text.as_str() {
            "kind" => s.kinds = r.strings(v, &k.text),
            "type" => s.types = r.strings(v, &k.text),
            "lifecycle" => s.lifecycles = r.strings(v, &k.text),
            "owner" => s.owners = r.strings(v, &k.text),
            "tags" | "tag" => s.tags.extend(r.strings(v, &k.text)),
            "namespace" => s.namespaces = r.strings(v, &k.text),
            "label" => s.labels = pairs(r, v, "label"),
            "annotation" => s.annotations = pairs(r, v, "annotation"),
            "system" => s.systems = refs(r, v, "system", "System"),
            "domain" => s.domains = refs(r, v, "domain", "Domain"),
            "where" => s.filter = where_filter(r, v),
            _ => {}
        }
    }
    s
}

fn refs(r: &mut Reader, node: &Node, what: &str, kind: &str) -> Vec<String> {
    let list = r.strings(node, what);
    for x in &list {
        if let Err(e) = EntityRef::parse(x, Some(kind), "default") {
            r.error(node.span, format!("`{what}`: {}", e.message(x)));
        }
    }
    list
}

/// `{key: value}` (a null value: the key is present) or `key=value` / `key` strings.
fn pairs(r: &mut Reader, node: &Node, what: &str) -> Vec<(String, Option<String>)> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .filter_map(|(k, v)| match &v.value {
                Value::Null => Some((k.text.clone(), None)),
                _ => match scalar_text(v) {
                    Some(text) => Some((k.text.clone(), Some(text))),
                    None => {
                        r.error(
                            v.span,
                            format!(
                                "`{what}` values must be strings, e.g. {{{}: value}}",
                                k.text
                            ),
                        );
                        None
                    }
                },
            })
            .collect(),
        _ => r
            .strings(node, what)
            .into_iter()
            .map(|s| match s.split_once('=') {
                Some((k, v)) => (k.trim().to_string(), Some(v.trim().to_string())),
                None => (s.trim().to_string(), None),
            })
            .collect(),
    }
}

fn where_filter(r: &mut Reader, node: &Node) -> Option<Filter> {
    let Some(text) = node.as_str() else {
        r.error(
            node.span,
            "`where` must be a string in the language of `catalog query --where`, e.g. 'spec.type=service'",
        );
        return None;
    };
    match filter::selection(text, &[]) {
        Ok(f) => Some(f),
        Err(e) => {
            r.error(node.span, format!("invalid `where`: {e}"));
            None
        }
    }
}
