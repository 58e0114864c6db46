//! Catalog metrics of one snapshot: what the entities alone say about onboarding. The same
//! computation serves the working tree and every monthly snapshot read from git history.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::catalog::entity::{EntityRecord, normalize};
use crate::catalog::entity_ref::EntityRef;
use crate::yaml::Node;

/// Kinds that have an owner (`spec.owner`): the software and its structure.
pub const OWNED_KINDS: &[&str] = &[
    "component",
    "api",
    "resource",
    "system",
    "domain",
    "template",
];

/// Group `spec.type` values that count as a team.
pub const TEAM_TYPES: &[&str] = &["team"];

pub const TECHDOCS_REF: &str = "backstage.io/techdocs-ref";
pub const TECHDOCS_ENTITY: &str = "backstage.io/techdocs-entity";
pub const SOURCE_TEMPLATE: &str = "backstage.io/source-template";
pub const TIME_SAVED: &str = "backstage.io/time-saved";
pub const GITHUB_LOGIN: &str = "github.com/user-login";

/// What the adoption metrics need to know about one entity, extracted once per parsed document.
#[derive(Debug, Clone)]
pub struct EntityFacts {
    pub reference: EntityRef,
    /// `spec.owner` holds a non-empty string.
    pub owner_set: bool,
    /// `spec.owner` as a reference (default kind Group, the entity's namespace).
    pub owner: Option<EntityRef>,
    pub system: Option<EntityRef>,
    pub provides_apis: Vec<EntityRef>,
    pub spec_type: Option<String>,
    pub has_title: bool,
    pub has_description: bool,
    pub has_tags: bool,
    pub techdocs: bool,
    /// `backstage.io/source-template` as a reference (default kind Template).
    pub source_template: Option<EntityRef>,
    /// Templates: `backstage.io/time-saved` as written.
    pub time_saved: Option<String>,
    /// Templates: local directories their `fetch:*` steps read (relative to the template file).
    pub skeleton_urls: Vec<String>,
    /// Users: `spec.profile.email`, lowercase.
    pub email: Option<String>,
    /// Users: the `github.com/user-login` annotation, lowercase.
    pub github_login: Option<String>,
    /// Users: `spec.memberOf`; Groups: `spec.members`.
    pub member_of: Vec<EntityRef>,
    pub members: Vec<EntityRef>,
    /// Groups: `spec.parent` and `spec.children`.
    pub parent: Option<EntityRef>,
    pub children: Vec<EntityRef>,
}

fn non_empty(node: Option<&Node>) -> bool {
    node.and_then(Node::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

fn annotation<'n>(root: &'n Node, key: &str) -> Option<&'n str> {
    root.get("metadata")?
        .get("annotations")?
        .get(key)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

impl EntityFacts {
    /// Facts of a validated entity: references come from the catalog's own relation parsing
    /// (default kinds and namespaces as Backstage applies them), the rest from the document.
    pub fn new(record: &EntityRecord, root: &Node) -> EntityFacts {
        let reference = record.reference.clone();
        let ns = reference.namespace().to_string();
        let targets = |field: &str| -> Vec<EntityRef> {
            record
                .relations
                .iter()
                .filter(|r| r.field == field)
                .map(|r| r.target.clone())
                .collect()
        };
        let first = |field: &str| targets(field).into_iter().next();
        let metadata = root.get("metadata");
        let spec = root.get("spec");
        let is_kind = |k: &str| reference.kind() == k;
        let skeleton_urls: Vec<String> = if is_kind("template") {
            crate::catalog::entity::skeleton_urls(root)
                .into_iter()
                .map(str::to_string)
                .collect()
        } else {
            Vec::new()
        };
        EntityFacts {
            owner_set: non_empty(spec.and_then(|s| s.get("owner"))),
            owner: first("owner"),
            system: first("system"),
            provides_apis: targets("providesApis"),
            spec_type: spec
                .and_then(|s| s.get("type"))
                .and_then(Node::as_str)
                .map(str::to_string),
            has_title: non_empty(metadata.and_then(|m| m.get("title"))),
            has_description: non_empty(metadata.and_then(|m| m.get("description"))),
            has_tags: metadata
                .and_then(|m| m.get("tags"))
                .and_then(Node::as_seq)
                .is_some_and(|t| !t.is_empty()),
            techdocs: annotation(root, TECHDOCS_REF).is_some()
                || annotation(root, TECHDOCS_ENTITY).is_some(),
            source_template: annotation(root, SOURCE_TEMPLATE)
                .and_then(|v| EntityRef::parse(v, Some("Template"), &ns).ok()),
            time_saved: annotation(root, TIME_SAVED)
                .filter(|_| is_kind("template"))
                .map(str::to_string),
            skeleton_urls,
            email: spec
                .and_then(|s| s.pointer("/profile/email"))
                .and_then(Node::as_str)
                .map(|e| e.trim().to_lowercase())
                .filter(|e| !e.is_empty() && is_kind("user")),
            github_login: annotation(root, GITHUB_LOGIN)
                .filter(|_| is_kind("user"))
                .map(str::to_lowercase),
            member_of: targets("memberOf"),
            members: targets("members"),
            parent: first("parent"),
            children: targets("children"),
            reference,
        }
    }

    pub fn kind(&self) -> &str {
        self.reference.kind()
    }

    /// `catalog.docs`'s definition: a TechDocs annotation (`techdocs-ref` or `techdocs-entity`).
    pub fn is_documented(&self) -> bool {
        self.techdocs
    }

    /// `catalog.structure`'s definition: `spec.system` names an entity of the snapshot.
    pub fn in_system(&self, exists: impl Fn(&EntityRef) -> bool) -> bool {
        self.system.as_ref().is_some_and(exists)
    }

    pub fn is_team(&self) -> bool {
        self.kind() == "group"
            && self
                .spec_type
                .as_deref()
                .is_some_and(|t| TEAM_TYPES.contains(&t))
    }
}

/// The entities of a snapshot, one per reference (the first definition wins, as in `score`).
pub fn distinct<'a>(entities: impl IntoIterator<Item = &'a EntityFacts>) -> Vec<&'a EntityFacts> {
    let mut seen = HashSet::new();
    entities
        .into_iter()
        .filter(|e| seen.insert(e.reference.clone()))
        .collect()
}

/// Template skeleton directories of a snapshot: `fetch:*` URLs resolved against each template's
/// directory. Files under them are template sources, not entities.
pub fn skeleton_dirs<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a [EntityFacts])>,
) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for (path, entities) in files {
        let dir = path.parent().unwrap_or(Path::new(""));
        for e in entities {
            for url in &e.skeleton_urls {
                dirs.push(normalize(&dir.join(url)));
            }
        }
    }
    dirs.sort();
    dirs.dedup();
    dirs
}

/// Counts behind the catalog metrics of one snapshot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogMetrics {
    pub entities: usize,
    pub by_kind: BTreeMap<String, usize>,
    /// Entities of the owned kinds.
    pub owned: usize,
    /// … whose owner resolves to a Group or User of the snapshot.
    pub owner_resolved: usize,
    /// … whose owner resolves to a Group.
    pub owner_group: usize,
    /// … with no `spec.owner`.
    pub unowned: usize,
    /// … whose owner is set but resolves to no Group or User.
    pub dangling: usize,
    /// Groups or Users exist in the snapshot, so owners can be checked at all.
    pub org_data: bool,
    pub teams: usize,
    pub teams_owning: usize,
    pub components: usize,
    pub documented: usize,
    pub services: usize,
    pub services_with_api: usize,
    pub in_system: usize,
    pub with_title: usize,
    pub with_description: usize,
    pub with_tags: usize,
    pub from_template: usize,
    pub users: usize,
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl CatalogMetrics {
    /// Counts over distinct entities (see [`distinct`]).
    pub fn compute(entities: &[&EntityFacts]) -> CatalogMetrics {
        let refs: HashMap<&EntityRef, &EntityFacts> =
            entities.iter().map(|e| (&e.reference, *e)).collect();
        let exists = |r: &EntityRef| refs.contains_key(r);
        let mut m = CatalogMetrics {
            entities: entities.len(),
            org_data: entities
                .iter()
                .any(|e| matches!(e.kind(), "group" | "user")),
            ..CatalogMetrics::default()
        };
        let mut owning_teams: HashSet<&EntityRef> = HashSet::new();
        for e in entities {
            *m.by_kind.entry(e.kind().to_string()).or_default() += 1;
            match e.kind() {
                "user" => m.users += 1,
                "group" if e.is_team() => m.teams += 1,
                _ => {}
            }
            if OWNED_KINDS.contains(&e.kind()) {
                m.owned += 1;
                if e.has_title {
                    m.with_title += 1;
                }
                if e.has_description {
                    m.with_description += 1;
                }
                if e.has_tags {
                    m.with_tags += 1;
                }
                let owner = e
                    .owner
                    .as_ref()
                    .filter(|o| matches!(o.kind(), "group" | "user") && exists(o));
                match owner {
                    Some(o) => {
                        m.owner_resolved += 1;
                        if o.kind() == "group" {
                            m.owner_group += 1;
                        }
                    }
                    None if !e.owner_set => m.unowned += 1,
                    None => m.dangling += 1,
                }
            }
            if e.kind() == "component" {
                m.components += 1;
                if e.is_documented() {
                    m.documented += 1;
                }
                if e.source_template.is_some() {
                    m.from_template += 1;
                }
                if e.in_system(exists) {
                    m.in_system += 1;
                }
                if e.spec_type.as_deref() == Some("service") {
                    m.services += 1;
                    if e.provides_apis.iter().any(&exists) {
                        m.services_with_api += 1;
                    }
                }
                if let Some(o) = &e.owner
                    && refs.get(o).is_some_and(|g| g.is_team())
                {
                    owning_teams.insert(o);
                }
            }
        }
        m.teams_owning = owning_teams.len();
        m
    }

    /// `catalog.ownership`: unknown when the snapshot has neither Groups nor Users.
    pub fn ownership(&self) -> Option<f64> {
        share(self.owner_resolved, self.owned).filter(|_| self.org_data)
    }

    /// `catalog.team_owned`.
    pub fn team_owned(&self) -> Option<f64> {
        share(self.owner_group, self.owned).filter(|_| self.org_data)
    }

    /// `catalog.ownership.unverifiable`: owners that cannot be checked because the snapshot has
    /// no Groups or Users.
    pub fn unverifiable(&self) -> usize {
        if self.org_data { 0 } else { self.dangling }
    }

    /// Owned entities whose owner is set but does not resolve (only when owners can be checked).
    pub fn dangling_verified(&self) -> usize {
        if self.org_data { self.dangling } else { 0 }
    }

    pub fn team_coverage(&self) -> Option<f64> {
        share(self.teams_owning, self.teams)
    }

    pub fn docs(&self) -> Option<f64> {
        share(self.documented, self.components)
    }

    pub fn api_coverage(&self) -> Option<f64> {
        share(self.services_with_api, self.services)
    }

    pub fn structure(&self) -> Option<f64> {
        share(self.in_system, self.components)
    }

    pub fn golden_path(&self) -> Option<f64> {
        share(self.from_template, self.components)
    }

    pub fn metadata(&self) -> [(&'static str, Option<f64>); 3] {
        [
            ("title", share(self.with_title, self.owned)),
            ("description", share(self.with_description, self.owned)),
            ("tags", share(self.with_tags, self.owned)),
        ]
    }
}

/// Reads an ISO 8601 duration (`PT2H`, `P1DT30M`, `PT1.5H`, `P1W`) as hours. Years and months
/// have no fixed length and are refused; a day counts 24 hours.
pub fn duration_hours(text: &str) -> Option<f64> {
    let rest = text.trim().strip_prefix(['P', 'p'])?;
    let mut hours = 0.0;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for c in rest.chars() {
        match c {
            'T' | 't' if !in_time && number.is_empty() => in_time = true,
            '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
            unit => {
                let n: f64 = number.parse().ok()?;
                number.clear();
                let factor = match (in_time, unit.to_ascii_uppercase()) {
                    (false, 'W') => 24.0 * 7.0,
                    (false, 'D') => 24.0,
                    (true, 'H') => 1.0,
                    (true, 'M') => 1.0 / 60.0,
                    (true, 'S') => 1.0 / 3600.0,
                    _ => return None,
                };
                hours += n * factor;
                any = true;
            }
        }
    }
    (any && number.is_empty()).then_some(hours)
}

/// Teams of one period, read off its entities the way `Catalog::teams` reads the catalog:
/// the one definition of the group hierarchy and memberships.
pub fn teams<'a>(entities: impl Iterator<Item = &'a EntityFacts>) -> crate::catalog::index::Teams {
    let mut teams = crate::catalog::index::Teams::default();
    let mut listed_as_child = Vec::new();
    for e in entities {
        match e.kind() {
            "group" => {
                if let Some(parent) = &e.parent {
                    teams.set_parent(e.reference.clone(), parent.clone());
                }
                for c in &e.children {
                    listed_as_child.push((e.reference.clone(), c.clone()));
                }
                for m in &e.members {
                    teams.add_member(e.reference.clone(), m.clone());
                }
            }
            "user" => {
                for g in &e.member_of {
                    teams.add_member(g.clone(), e.reference.clone());
                }
            }
            _ => {}
        }
    }
    for (parent, child) in listed_as_child {
        teams.add_child(parent, child);
    }
    teams
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (text, hours) in [
            ("PT2H", Some(2.0)),
            ("PT30M", Some(0.5)),
            ("P1D", Some(24.0)),
            ("P1W", Some(168.0)),
            ("P1DT1H30M", Some(25.5)),
            ("PT1.5H", Some(1.5)),
            ("PT0,5H", Some(0.5)),
            ("PT3600S", Some(1.0)),
            ("P1M", None),
            ("P1Y", None),
            ("2h", None),
            ("P", None),
            ("PT", None),
            ("PT2", None),
        ] {
            assert_eq!(duration_hours(text), hours, "{text}");
        }
    }
}
