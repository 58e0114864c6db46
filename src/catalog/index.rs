//! The catalog as one source of entity facts: every entity in a fixed order, lookup by
//! reference, and teams (the group hierarchy and memberships) computed once from relations.
//! Commands ask here instead of walking files and documents themselves.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use super::Catalog;
use super::entity::{EntityRecord, Relation};
use super::entity_ref::EntityRef;
use crate::yaml::Node;

/// One entity of the catalog: its record, where it is defined, and its document when the
/// catalog was loaded with `keep_documents`.
#[derive(Debug, Clone, Copy)]
pub struct EntityView<'a> {
    pub record: &'a EntityRecord,
    pub file: &'a PathBuf,
    /// Index of the document in its file.
    pub document: usize,
    pub root: Option<&'a Node>,
}

impl<'a> EntityView<'a> {
    pub fn reference(&self) -> &'a EntityRef {
        &self.record.reference
    }
}

impl Catalog {
    /// Every entity, by file path then position in the file (duplicates included: each
    /// definition once).
    pub fn entities(&self) -> Vec<EntityView<'_>> {
        let mut out = Vec::new();
        for path in self.paths() {
            let report = &self.files[path];
            for e in &report.entities {
                out.push(EntityView {
                    record: &e.record,
                    file: path,
                    document: e.document,
                    root: report.parsed.get(e.document).map(|d| &d.root),
                });
            }
        }
        out
    }

    /// The first definition (in file order) of `reference`.
    pub fn get(&self, reference: &EntityRef) -> Option<EntityView<'_>> {
        self.entities()
            .into_iter()
            .find(|e| e.reference() == reference)
    }

    /// Whether any file defines `reference`.
    pub fn contains(&self, reference: &EntityRef) -> bool {
        self.files
            .values()
            .any(|f| f.entities.iter().any(|e| &e.record.reference == reference))
    }

    /// What each entity's relation fields point at (first definition of each entity).
    pub fn relations(&self) -> Relations {
        let mut relations = Relations::default();
        for e in self.entities() {
            relations
                .edges
                .entry(e.reference().clone())
                .or_insert_with(|| {
                    e.record
                        .relations
                        .iter()
                        .map(|r| (r.field, r.target.clone()))
                        .collect()
                });
        }
        relations
    }

    /// Teams as this catalog defines them.
    pub fn teams(&self) -> Teams {
        Teams::from_relations(
            self.files
                .values()
                .flat_map(|f| f.entities.iter())
                .map(|e| (&e.record.reference, e.record.relations.as_slice())),
        )
    }
}

/// Each entity's relation fields, resolved as Backstage resolves them (a missing kind is the
/// field's default, a missing namespace the entity's own): the one answer to "who owns it",
/// "which system and domain is it in", "what does it depend on" for every command.
#[derive(Debug, Default, Clone)]
pub struct Relations {
    /// Entity → (field, target), in field order.
    edges: HashMap<EntityRef, Vec<(&'static str, EntityRef)>>,
}

impl Relations {
    /// Records that `entity`'s `field` points at `target` (for relations read elsewhere than
    /// a loaded catalog: the documents of a period of history).
    pub fn add(&mut self, entity: EntityRef, field: &'static str, target: EntityRef) {
        self.edges.entry(entity).or_default().push((field, target));
    }

    /// The targets of one relation field of `entity` (`owner`, `system`, `dependsOn`…).
    pub fn targets<'r>(
        &'r self,
        entity: &EntityRef,
        field: &'r str,
    ) -> impl Iterator<Item = &'r EntityRef> + 'r {
        self.edges
            .get(entity)
            .into_iter()
            .flatten()
            .filter(move |(f, _)| *f == field)
            .map(|(_, t)| t)
    }

    /// `spec.owner`.
    pub fn owner(&self, entity: &EntityRef) -> Option<&EntityRef> {
        self.targets(entity, "owner").next()
    }

    /// The entity's system: `spec.system`; a System is its own.
    pub fn system<'r>(&'r self, entity: &'r EntityRef) -> Option<&'r EntityRef> {
        if entity.kind() == "system" {
            return Some(entity);
        }
        self.targets(entity, "system").next()
    }

    /// The domain of the entity's system (a System's `spec.domain`); a Domain is its own.
    pub fn domain<'r>(&'r self, entity: &'r EntityRef) -> Option<&'r EntityRef> {
        if entity.kind() == "domain" {
            return Some(entity);
        }
        let system = self.system(entity)?;
        self.targets(system, "domain").next()
    }

    /// `spec.dependsOn`, in order.
    pub fn dependencies<'r>(&'r self, entity: &EntityRef) -> Vec<&'r EntityRef> {
        self.targets(entity, "dependsOn").collect()
    }
}

/// Groups as teams: who is whose parent and who is a member, from both directions Backstage
/// accepts (`spec.parent` and another group's `spec.children`; a group's `spec.members` and a
/// user's `spec.memberOf`). The one definition every command uses (bulk filters, score facts,
/// adoption's platform team).
#[derive(Debug, Default, Clone)]
pub struct Teams {
    parents: HashMap<EntityRef, EntityRef>,
    children: HashMap<EntityRef, BTreeSet<EntityRef>>,
    members: HashMap<EntityRef, BTreeSet<EntityRef>>,
}

impl Teams {
    /// From each entity's relations (`childOf`, `parentOf`, `hasMember`, `memberOf`).
    pub fn from_relations<'a>(
        entities: impl Iterator<Item = (&'a EntityRef, &'a [Relation])>,
    ) -> Teams {
        let mut teams = Teams::default();
        let mut listed_as_child = Vec::new();
        for (reference, relations) in entities {
            for rel in relations {
                match rel.relation {
                    "childOf" if reference.kind() == "group" => {
                        teams.set_parent(reference.clone(), rel.target.clone())
                    }
                    "parentOf" if reference.kind() == "group" => {
                        listed_as_child.push((rel.target.clone(), reference.clone()))
                    }
                    "hasMember" => teams.add_member(reference.clone(), rel.target.clone()),
                    "memberOf" => teams.add_member(rel.target.clone(), reference.clone()),
                    _ => {}
                }
            }
        }
        // A group's own `spec.parent` wins over another group listing it as a child.
        for (child, parent) in listed_as_child {
            teams.add_child(parent, child);
        }
        teams
    }

    /// `child`'s own `spec.parent`.
    pub fn set_parent(&mut self, child: EntityRef, parent: EntityRef) {
        self.children
            .entry(parent.clone())
            .or_default()
            .insert(child.clone());
        self.parents.insert(child, parent);
    }

    /// `parent` lists `child` in `spec.children` (a parent only when `child` names none).
    pub fn add_child(&mut self, parent: EntityRef, child: EntityRef) {
        self.children
            .entry(parent.clone())
            .or_default()
            .insert(child.clone());
        self.parents.entry(child).or_insert(parent);
    }

    pub fn add_member(&mut self, group: EntityRef, user: EntityRef) {
        self.members.entry(group).or_default().insert(user);
    }

    pub fn parent(&self, group: &EntityRef) -> Option<&EntityRef> {
        self.parents.get(group)
    }

    /// Whether `group` is `ancestor` or lies under it (cycles end the walk).
    pub fn is_within(&self, group: &EntityRef, ancestor: &EntityRef) -> bool {
        let mut seen = BTreeSet::new();
        let mut current = group;
        loop {
            if current == ancestor {
                return true;
            }
            if !seen.insert(current) {
                return false;
            }
            match self.parents.get(current) {
                Some(p) => current = p,
                None => return false,
            }
        }
    }

    /// `roots` and every group under them, through either direction of the hierarchy.
    pub fn with_descendants(&self, roots: &[EntityRef]) -> BTreeSet<EntityRef> {
        let mut all: BTreeSet<EntityRef> = roots.iter().cloned().collect();
        let mut todo: Vec<EntityRef> = roots.to_vec();
        while let Some(g) = todo.pop() {
            for c in self.children.get(&g).into_iter().flatten() {
                if all.insert(c.clone()) {
                    todo.push(c.clone());
                }
            }
        }
        all
    }

    /// The direct members of `group`.
    pub fn members(&self, group: &EntityRef) -> impl Iterator<Item = &EntityRef> {
        self.members.get(group).into_iter().flatten()
    }

    /// The team an owner stands for: a Group is its own team; a User is the first (in
    /// reference order) Group it is a member of; None for a User in no Group.
    pub fn team_of<'a>(&'a self, owner: &'a EntityRef) -> Option<&'a EntityRef> {
        if owner.kind() != "user" {
            return Some(owner);
        }
        self.members
            .iter()
            .filter(|(_, members)| members.contains(owner))
            .map(|(group, _)| group)
            .min()
    }

    /// The key an owner rolls up to (`score --group-by owner`, adoption's per-team section): its
    /// team, or the owner itself when it stands for no team (a User in no Group).
    pub fn roll_up<'a>(&'a self, owner: &'a EntityRef) -> &'a EntityRef {
        self.team_of(owner).unwrap_or(owner)
    }

    pub fn member_count(&self, group: &EntityRef) -> usize {
        self.members.get(group).map_or(0, BTreeSet::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(name: &str) -> EntityRef {
        EntityRef::new("group", "default", name)
    }
    fn u(name: &str) -> EntityRef {
        EntityRef::new("user", "default", name)
    }

    #[test]
    fn hierarchy_and_members_from_both_directions() {
        let mut t = Teams::default();
        t.set_parent(g("a"), g("root"));
        t.add_child(g("a"), g("b"));
        t.add_child(g("other"), g("a")); // a names its own parent: root wins
        t.add_member(g("a"), u("x"));
        t.add_member(g("a"), u("x"));
        t.add_member(g("b"), u("y"));
        assert_eq!(t.parent(&g("a")), Some(&g("root")));
        assert!(t.is_within(&g("b"), &g("root")));
        assert!(!t.is_within(&g("root"), &g("b")));
        assert_eq!(
            t.with_descendants(&[g("root")]),
            [g("a"), g("b"), g("root")].into_iter().collect()
        );
        assert_eq!(t.member_count(&g("a")), 1);
    }

    #[test]
    fn cycles_end_the_walks() {
        let mut t = Teams::default();
        t.set_parent(g("a"), g("b"));
        t.set_parent(g("b"), g("a"));
        assert!(!t.is_within(&g("a"), &g("c")));
        assert_eq!(t.with_descendants(&[g("a")]).len(), 2);
    }
}
