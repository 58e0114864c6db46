//! The embedded scorecard over history: its pass rate at each period end, with the score
//! engine itself. History has no working tree, so rules that read repository files or git
//! facts are left out of the historical pass rate; the rest read only the entity and the
//! catalog of that period. Pure.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::history::Doc;
use crate::catalog::entity_ref::EntityRef;
use crate::score::eval::{self, Env, Status};
use crate::score::facts::{CatalogIndex, EntityInput, GitHistory, RepoFiles};
use crate::score::model::{Check, Fact, Scorecard};
use crate::score::target::Relations;
use crate::yaml::Node;

type FieldRelations = Vec<(&'static str, &'static str, EntityRef)>;

/// The relations `appliesTo` selects by, from the period's entity facts (history has no
/// loaded catalog): owner, system, a System's domain, APIs, group membership.
fn period_relations(docs: &[Doc<'_>]) -> HashMap<EntityRef, FieldRelations> {
    let mut out: HashMap<EntityRef, FieldRelations> = HashMap::new();
    for d in docs {
        let f = d.facts;
        let mut rels: FieldRelations = Vec::new();
        rels.extend(f.owner.iter().map(|o| ("owner", "ownedBy", o.clone())));
        rels.extend(f.system.iter().map(|s| ("system", "partOf", s.clone())));
        rels.extend(
            f.provides_apis
                .iter()
                .map(|a| ("providesApis", "providesApi", a.clone())),
        );
        rels.extend(
            f.member_of
                .iter()
                .map(|g| ("memberOf", "memberOf", g.clone())),
        );
        rels.extend(f.parent.iter().map(|p| ("parent", "childOf", p.clone())));
        if f.kind() == "system"
            && let Some(domain) = d
                .root
                .pointer("/spec/domain")
                .and_then(Node::as_str)
                .and_then(|x| EntityRef::parse(x, Some("Domain"), f.reference.namespace()).ok())
        {
            rels.push(("domain", "partOf", domain));
        }
        out.entry(f.reference.clone()).or_insert(rels);
    }
    out
}

/// Does a check read the working tree or git (facts history cannot give)?
fn needs_worktree(check: &Check) -> bool {
    match check {
        Check::All(c) | Check::Any(c) => c.iter().any(needs_worktree),
        Check::Not(c) => needs_worktree(c),
        Check::Leaf(l) => matches!(
            l.fact,
            Fact::RepoFile(_)
                | Fact::RepoFileContent(_)
                | Fact::GitDaysSinceLastCommit(_)
                | Fact::GitCommitCount(..)
                | Fact::External(_)
                | Fact::RepoData(..)
                | Fact::RepoCodeowners
                | Fact::Owner(_)
                | Fact::CatalogSystem
                | Fact::CatalogDomain
                | Fact::CatalogDependencies(_)
        ),
        Check::Expr(_) => false,
    }
}

/// The rules of a scorecard that history can evaluate (their indexes).
pub fn history_rules(card: &Scorecard) -> Vec<usize> {
    card.rules
        .iter()
        .enumerate()
        .filter(|(_, r)| !needs_worktree(&r.check) && !r.when.as_ref().is_some_and(needs_worktree))
        .map(|(i, _)| i)
        .collect()
}

/// Passing ÷ applicable rule results over the history rules, for the entities of one period.
pub fn pass_rate(card: &Scorecard, docs: &[Doc<'_>], now: i64) -> Option<f64> {
    let inputs: Vec<EntityInput<'_>> = docs.iter().map(Doc::input).collect();
    let teams = super::snapshot::teams(docs.iter().map(|d| d.facts));
    let fields = period_relations(docs);
    // The period's relations answer both `appliesTo` and the `catalog.owner*` facts.
    let mut catalog_relations = crate::catalog::index::Relations::default();
    for (entity, rels) in &fields {
        for (field, _, target) in rels {
            catalog_relations.add(entity.clone(), field, target.clone());
        }
    }
    let relations = Relations::from_fields(fields, teams.clone());
    let index = CatalogIndex::new(inputs.iter().map(|i| i.reference), teams)
        .with_relations(catalog_relations, std::iter::empty());
    let repo = RepoFiles::new(PathBuf::new());
    let git = GitHistory::unavailable("history");
    let env = Env {
        repo_relative_cwd: None,
        catalog: &index,
        repo: &repo,
        git: &git,
        now,
        today: crate::dates::format(now),
        waivers: &[],
        facts: None,
    };
    let rules = history_rules(card);
    let (passed, applicable) = inputs
        .par_iter()
        .filter(|e| eval::applies(card, e, &relations))
        .map(|e| {
            let mut p = 0usize;
            let mut a = 0usize;
            for i in &rules {
                let r = eval::rule_result(card, *i, e, &env);
                if r.status != Status::NotApplicable {
                    a += 1;
                    if matches!(r.status, Status::Pass | Status::Waived) {
                        p += 1;
                    }
                }
            }
            (p, a)
        })
        .reduce(|| (0, 0), |x, y| (x.0 + y.0, x.1 + y.1));
    (applicable > 0).then(|| passed as f64 / applicable as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// History selects by system and domain as the loaded catalog does.
    #[test]
    fn period_relations_give_the_catalogs_system_and_domain() {
        use crate::adoption::snapshot::EntityFacts;
        use crate::catalog::{Catalog, LoadOptions};
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("catalog-info.yaml"),
            "apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata: {name: payments}\nspec: {owner: team-a}\n---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: paysys}\nspec: {owner: team-a, domain: payments}\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: ledger}\nspec: {type: service, lifecycle: production, owner: team-a, system: paysys}\n",
        )
        .unwrap();
        let config = crate::config::Config::default();
        let catalog = Catalog::load(&LoadOptions {
            paths: &[tmp.path().to_path_buf()],
            config: &config,
            keep_documents: true,
            keep_text: false,
        });
        let views = catalog.entities();
        let facts: Vec<EntityFacts> = views
            .iter()
            .map(|e| EntityFacts::new(e.record, e.root.unwrap()))
            .collect();
        let docs: Vec<Doc<'_>> = views
            .iter()
            .zip(&facts)
            .map(|(e, f)| Doc::unversioned(e.file, f, e.root.unwrap(), &e.record.relations))
            .collect();
        let history = Relations::from_fields(period_relations(&docs), Default::default());
        let loaded = Relations::from_catalog(&catalog);
        let ledger = EntityRef::parse("ledger", Some("Component"), "default").unwrap();
        let domain = EntityRef::parse("payments", Some("Domain"), "default").ok();
        for relations in [&history, &loaded] {
            let related = relations.of(&ledger).unwrap();
            assert_eq!(related.domain, domain);
            assert_eq!(
                related.system.as_ref().map(ToString::to_string).as_deref(),
                Some("system:default/paysys")
            );
        }
    }

    #[test]
    fn the_embedded_scorecard_loses_only_its_file_rule_in_history() {
        let cards = crate::score::default_scorecards();
        let card = &cards[0];
        let ids: Vec<&str> = history_rules(card)
            .into_iter()
            .map(|i| card.rules[i].id.as_str())
            .collect();
        assert!(!ids.contains(&"has-readme"), "{ids:?}");
        assert_eq!(ids.len(), card.rules.len() - 1, "{ids:?}");
    }
}
