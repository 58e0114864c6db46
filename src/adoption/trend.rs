//! The embedded scorecard over history: its pass rate at each period end, with the score
//! engine itself. History has no working tree, so rules that read repository files or git
//! facts are left out of the historical pass rate; the rest read only the entity and the
//! catalog of that period. Pure.

use std::path::PathBuf;

use rayon::prelude::*;

use super::history::Doc;
use crate::score::eval::{self, Env, Status};
use crate::score::facts::{CatalogIndex, EntityInput, GitHistory, RepoFiles};
use crate::score::model::{Check, Fact, Scorecard};

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
    // Owners as the period's documents name them: `catalog.owner*` facts hold in history.
    let mut relations = crate::catalog::index::Relations::default();
    for d in docs {
        if let Some(owner) = &d.facts.owner {
            relations.add(d.facts.reference.clone(), "owner", owner.clone());
        }
    }
    let index = CatalogIndex::new(
        inputs.iter().map(|i| i.reference),
        super::snapshot::teams(docs.iter().map(|d| d.facts)),
    )
    .with_relations(relations, std::iter::empty());
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
        .filter(|e| eval::applies(card, e))
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
