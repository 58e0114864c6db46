//! `score --base REV`: what a change does to every entity, rule by rule, against the report of
//! the base revision, and the ratchet gate on it. Rule identity is (scorecard id, rule id).
//!
//! A failing rule is *introduced* when it fails (`fail` or `error`) now and did not at the base,
//! for an entity the base scored or did not have in that scorecard's scope. Never introduced: a
//! rule the base's scorecard does not have, a rule not yet enforced (`enforceFrom`: a `warn`
//! now), a rule whose facts could not be known at the base. The level of an entity is compared
//! counting only rules that can be introduced, so a new rule never lowers a level on its own.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::eval::{EntityResult, RuleResult, Status};
use super::waiver::Waiver;
use super::{CardReport, Report};

/// The comparison of the working tree with the base revision.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// REV as given.
    pub base: String,
    /// The commit REV names.
    pub commit: String,
    pub counts: Counts,
    /// Entities with something to say, by scorecard then reference.
    pub entities: Vec<EntityDelta>,
    /// Scorecards only the base has, and only the working tree has.
    pub removed_scorecards: Vec<String>,
    pub added_scorecards: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub introduced: usize,
    pub fixed: usize,
    /// Failing at both revisions.
    pub existing: usize,
    pub levels_lowered: usize,
    pub levels_raised: usize,
    /// Entities leaving a scorecard's scope while they stay in the catalog (failing unless
    /// accepted).
    pub scope_exits: usize,
    /// Entities removed from the catalog (reported, never failing).
    pub removed: usize,
}

/// How an entity stands in one scorecard at the two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Presence {
    /// Scored at both.
    Both,
    /// Scored now; not in the catalog at the base.
    Added,
    /// Scored now; in the catalog at the base but outside this scorecard's scope.
    EnteredScope,
    /// Scored at the base; in the catalog now but outside this scorecard's scope.
    LeftScope,
    /// Scored at the base; no longer in the catalog.
    Removed,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityDelta {
    pub scorecard: String,
    #[serde(rename = "ref")]
    pub reference: String,
    /// The catalog file (now, or at the base for a removed entity).
    pub file: String,
    pub presence: Presence,
    /// Level names (`none` below the first); null where the entity was not scored.
    pub level_before: Option<String>,
    pub level_after: Option<String>,
    pub level_lowered: bool,
    /// The level rose (for the counts).
    #[serde(skip)]
    level_raised: bool,
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    pub introduced: Vec<RuleDelta>,
    pub fixed: Vec<RuleDelta>,
    pub existing: Vec<RuleDelta>,
    /// For `leftScope`: what accepts the exit (`leaves-scope until DATE`, `--allow-scope-exit`),
    /// null when nothing does and the gate fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_exit_allowed_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleDelta {
    pub id: String,
    /// The status at the base (null: not scored there) and now (null: not scored now).
    pub before: Option<&'static str>,
    pub after: Option<&'static str>,
    /// The message of the failing side (now, or at the base for a fixed rule).
    pub message: String,
}

impl EntityDelta {
    fn is_worth_reporting(&self) -> bool {
        self.presence != Presence::Both
            || self.level_before != self.level_after
            || !self.introduced.is_empty()
            || !self.fixed.is_empty()
    }
}

/// What the comparison needs besides the two reports.
pub struct Inputs<'a> {
    pub rev: &'a str,
    pub commit: &'a str,
    /// Waivers of the working tree (`leaves-scope` ones accept a scope exit).
    pub waivers: &'a [Waiver],
    pub today: &'a str,
    pub allow_scope_exit: bool,
}

fn failing(s: Status) -> bool {
    matches!(s, Status::Fail | Status::Error)
}

fn rule_delta(r: &RuleResult, before: Option<&RuleResult>, message_of: &RuleResult) -> RuleDelta {
    RuleDelta {
        id: r.id.clone(),
        before: before.map(|b| b.status.as_str()),
        after: Some(r.status.as_str()),
        message: message_of.message.clone(),
    }
}

/// Rank of a level: 0 for `none`, 1 for the first level, and so on.
fn rank(level: Option<usize>) -> usize {
    level.map_or(0, |l| l + 1)
}

/// Compares `head` with `base` and returns the comparison and the gate's reasons.
pub fn compare(head: &Report, base: &Report, inputs: &Inputs<'_>) -> (Comparison, Vec<String>) {
    let rev = inputs.rev;
    let mut entities = Vec::new();
    let mut reasons = Vec::new();
    let base_cards: HashMap<&str, &CardReport> =
        base.cards.iter().map(|c| (c.card.id.as_str(), c)).collect();
    for now in &head.cards {
        let Some(then) = base_cards.get(now.card.id.as_str()) else {
            continue;
        };
        let card = &now.card;
        let before: HashMap<&str, &EntityResult> = then
            .entities
            .iter()
            .map(|e| (e.reference.as_str(), e))
            .collect();
        let base_rules: HashSet<&str> = then.card.rules.iter().map(|r| r.id.as_str()).collect();
        let mut scored_now = HashSet::new();
        for e in &now.entities {
            scored_now.insert(e.reference.as_str());
            let old = before.get(e.reference.as_str()).copied();
            let presence = match old {
                Some(_) => Presence::Both,
                None if base.catalog_refs.contains(e.reference.as_str()) => Presence::EnteredScope,
                None => Presence::Added,
            };
            let mut delta = EntityDelta {
                scorecard: card.id.clone(),
                reference: e.reference.to_string(),
                file: e.file.clone(),
                presence,
                level_before: old.map(|o| super::level_name(&then.card, o.level).to_string()),
                level_after: Some(super::level_name(card, e.level).to_string()),
                level_lowered: false,
                level_raised: false,
                score_before: old.and_then(|o| o.score),
                score_after: e.score,
                introduced: Vec::new(),
                fixed: Vec::new(),
                existing: Vec::new(),
                scope_exit_allowed_by: None,
            };
            // The head's rules with the failures that cannot be introduced made non-blocking,
            // for the level comparison.
            let mut comparable = e.rules.clone();
            for r in &mut comparable {
                if !base_rules.contains(r.id.as_str()) {
                    r.status = Status::Unknown;
                    continue;
                }
                let was = old.and_then(|o| o.rules.iter().find(|b| b.id == r.id));
                match was {
                    Some(b) if failing(b.status) && failing(r.status) => {
                        delta.existing.push(rule_delta(r, Some(b), r));
                    }
                    Some(b) if failing(b.status) => delta.fixed.push(rule_delta(r, Some(b), b)),
                    // A fact the base could not know: the failure is not the change's doing.
                    Some(b) if b.unknown && failing(r.status) => r.status = Status::Unknown,
                    _ if failing(r.status) => {
                        delta.introduced.push(rule_delta(r, was, r));
                        reasons.push(format!(
                            "{}: rule {}/{} is {}, new since {rev}{}",
                            e.reference,
                            card.id,
                            r.id,
                            r.status.as_str(),
                            was.map_or(String::new(), |b| format!(" (was {})", b.status.as_str()))
                        ));
                    }
                    _ => {}
                }
            }
            if let Some(o) = old {
                // A base level name the scorecard no longer has keeps its position.
                let before_rank = o
                    .level
                    .and_then(|l| then.card.levels.get(l))
                    .and_then(|name| card.level_index(name))
                    .map_or(rank(o.level), |l| l + 1);
                let after_rank = rank(super::eval::level(card.levels.len(), &comparable).0);
                delta.level_raised = rank(e.level) > before_rank;
                if after_rank < before_rank {
                    delta.level_lowered = true;
                    reasons.push(format!(
                        "{}: level dropped from {} to {} since {rev} ({})",
                        e.reference,
                        super::level_name(&then.card, o.level),
                        super::level_name(card, e.level),
                        card.id
                    ));
                }
            }
            entities.push(delta);
        }
        for o in &then.entities {
            if scored_now.contains(o.reference.as_str()) {
                continue;
            }
            let in_catalog = head.catalog_refs.contains(o.reference.as_str());
            let allowed_by = if !in_catalog {
                None
            } else if let Some(w) = inputs
                .waivers
                .iter()
                .find(|w| w.allows_scope_exit(o.reference.as_str(), &card.id, inputs.today))
            {
                Some(format!("{} until {}", w.reason, w.expires))
            } else if inputs.allow_scope_exit {
                Some("--allow-scope-exit".to_string())
            } else {
                reasons.push(format!(
                    "{}: left the scope of {} since {rev} while it stays in the catalog (accept it with a `{}` waiver or --allow-scope-exit)",
                    o.reference,
                    card.id,
                    super::waiver::SCOPE_EXIT_REASON
                ));
                None
            };
            entities.push(EntityDelta {
                scorecard: card.id.clone(),
                reference: o.reference.to_string(),
                file: o.file.clone(),
                presence: if in_catalog {
                    Presence::LeftScope
                } else {
                    Presence::Removed
                },
                level_before: Some(super::level_name(&then.card, o.level).to_string()),
                level_after: None,
                level_lowered: false,
                level_raised: false,
                score_before: o.score,
                score_after: None,
                introduced: Vec::new(),
                fixed: Vec::new(),
                existing: Vec::new(),
                scope_exit_allowed_by: allowed_by,
            });
        }
    }
    let ids = |r: &Report| -> Vec<String> { r.cards.iter().map(|c| c.card.id.clone()).collect() };
    let (head_ids, base_ids) = (ids(head), ids(base));
    let mut counts = Counts::default();
    for d in &entities {
        counts.introduced += d.introduced.len();
        counts.fixed += d.fixed.len();
        counts.existing += d.existing.len();
        counts.levels_lowered += usize::from(d.level_lowered);
        counts.levels_raised += usize::from(d.level_raised);
        counts.scope_exits += usize::from(d.presence == Presence::LeftScope);
        counts.removed += usize::from(d.presence == Presence::Removed);
    }
    entities.retain(EntityDelta::is_worth_reporting);
    let comparison = Comparison {
        base: rev.to_string(),
        commit: inputs.commit.to_string(),
        counts,
        entities,
        removed_scorecards: base_ids
            .iter()
            .filter(|id| !head_ids.contains(id))
            .cloned()
            .collect(),
        added_scorecards: head_ids
            .iter()
            .filter(|id| !base_ids.contains(id))
            .cloned()
            .collect(),
    };
    (comparison, reasons)
}

impl Comparison {
    /// (scorecard, entity reference, rule id) of every introduced failure, for renderers that
    /// mark each rule result.
    pub fn introduced_keys(&self) -> HashSet<(&str, &str, &str)> {
        self.entities
            .iter()
            .flat_map(|d| {
                d.introduced
                    .iter()
                    .map(|r| (d.scorecard.as_str(), d.reference.as_str(), r.id.as_str()))
            })
            .collect()
    }

    /// The entities that fail the ratchet (an introduced failure, a lower level, an exit from
    /// a scope nothing accepts).
    pub fn fails(d: &EntityDelta) -> bool {
        !d.introduced.is_empty()
            || d.level_lowered
            || (d.presence == Presence::LeftScope && d.scope_exit_allowed_by.is_none())
    }
}
