//! Renderers for `callboard score`: table, json, markdown, sarif, junit.

pub mod delta;
pub mod explain;
pub mod history;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod reminders;
pub mod sarif;
pub mod table;

use std::collections::BTreeMap;

use crate::score::CardReport;
use crate::score::campaign::{Campaign, CampaignProgress, CampaignTarget};
use crate::score::eval::EntityResult;
use crate::score::model::Scorecard;

pub fn level_name(card: &Scorecard, level: Option<usize>) -> String {
    level
        .and_then(|l| card.levels.get(l))
        .cloned()
        .unwrap_or_else(|| "none".to_string())
}

/// The tier of an entity's score, "none" below every tier.
pub fn tier_name(card: &Scorecard, e: &EntityResult) -> String {
    card.tier_name(e.score).unwrap_or("none").to_string()
}

/// A group's tier counts as `name N` pairs, highest tier first, "none" last.
pub fn tier_counts(card: &Scorecard, g: &Group) -> Vec<(String, usize)> {
    card.tiers
        .iter()
        .map(|t| t.name.clone())
        .zip(g.tiers.iter().skip(1).copied())
        .chain(std::iter::once(("none".to_string(), g.tiers[0])))
        .collect()
}

/// [`tier_counts`] as `platinum 2, gold 1, none 0`.
pub fn tier_counts_text(card: &Scorecard, g: &Group) -> String {
    tier_counts(card, g)
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rule results a report lists as failing: fail, warn, error and unknown.
pub fn failing(e: &EntityResult) -> impl Iterator<Item = &crate::score::eval::RuleResult> {
    e.rules.iter().filter(|r| {
        matches!(
            r.status,
            crate::score::eval::Status::Fail
                | crate::score::eval::Status::Warn
                | crate::score::eval::Status::Error
                | crate::score::eval::Status::Unknown
        )
    })
}

pub fn score_text(e: &EntityResult) -> String {
    e.score.map_or("–".to_string(), |s| format!("{s}"))
}

/// What `score --group-by` rolls results up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Owner,
    System,
    Domain,
}

impl GroupBy {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Owner => "owner",
            GroupBy::System => "system",
            GroupBy::Domain => "domain",
        }
    }

    /// The group of an entity (`(no owner)`, `(no system)`, `(no domain)` when it has none).
    pub fn key(self, e: &EntityResult) -> String {
        self.key_of([&e.team, &e.system, &e.domain])
    }

    /// The group of a campaign's target entity.
    pub fn target_key(self, t: &CampaignTarget) -> String {
        self.key_of([&t.team, &t.system, &t.domain])
    }

    /// The group among an entity's (team, system, domain).
    fn key_of(self, [team, system, domain]: [&Option<String>; 3]) -> String {
        let key = match self {
            GroupBy::Owner => team,
            GroupBy::System => system,
            GroupBy::Domain => domain,
        };
        key.clone()
            .unwrap_or_else(|| format!("(no {})", self.as_str()))
    }
}

/// A campaign's progress in one group of the roll-up.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CampaignGroup {
    pub key: String,
    pub targets: usize,
    pub done: usize,
}

/// A campaign's targets rolled up by `by` (the roll-up of `--group-by`, by owner team
/// without it), groups in key order.
pub fn campaign_groups(p: &CampaignProgress, by: GroupBy) -> Vec<CampaignGroup> {
    let mut groups: BTreeMap<String, CampaignGroup> = BTreeMap::new();
    for t in &p.targets {
        let key = by.target_key(t);
        let g = groups.entry(key.clone()).or_insert_with(|| CampaignGroup {
            key,
            ..CampaignGroup::default()
        });
        g.targets += 1;
        g.done += usize::from(t.done());
    }
    groups.into_values().collect()
}

/// `2027-01-31 (66 days left)`: a campaign's deadline with the days left from `now`.
pub fn deadline_text(c: &Campaign, now: i64) -> String {
    format!("{} ({})", c.deadline, days_left_text(c, now))
}

/// `N days left`, `due today` or `N days overdue` (None: the deadline is no date).
pub fn days_left_text(c: &Campaign, now: i64) -> String {
    match crate::score::campaign::days_left(c, now) {
        Some(0) => "due today".into(),
        Some(1) => "1 day left".into(),
        Some(-1) => "1 day overdue".into(),
        Some(n) if n > 0 => format!("{n} days left"),
        Some(n) => format!("{} days overdue", -n),
        None => String::new(),
    }
}

/// One group of a scorecard's roll-up: how many entities, how many at each level, and how many
/// of them fail each rule.
#[derive(Debug, Default)]
pub struct Group {
    pub key: String,
    pub entities: usize,
    /// Entities per level rank: index 0 is "none", index l+1 is level l.
    pub levels: Vec<usize>,
    /// Entities per tier: index 0 is "none" (no tier), index t+1 is tier t (highest first).
    pub tiers: Vec<usize>,
    /// Failing (fail, warn, error, unknown) entities per rule id, most first.
    pub failing: Vec<(String, usize)>,
}

/// The roll-up of one scorecard's entities by `by`, groups in key order.
pub fn groups(card: &CardReport, by: GroupBy) -> Vec<Group> {
    let mut groups: std::collections::BTreeMap<String, (Group, BTreeMap<String, usize>)> =
        std::collections::BTreeMap::new();
    for e in &card.entities {
        let key = by.key(e);
        let (group, failing) = groups.entry(key.clone()).or_insert_with(|| {
            (
                Group {
                    key,
                    levels: vec![0; card.card.levels.len() + 1],
                    tiers: vec![0; card.card.tiers.len() + 1],
                    ..Group::default()
                },
                BTreeMap::new(),
            )
        });
        group.entities += 1;
        group.levels[e.level.map_or(0, |l| l + 1)] += 1;
        group.tiers[crate::score::tier::tier_of(&card.card.tiers, e.score).map_or(0, |t| t + 1)] +=
            1;
        for r in self::failing(e) {
            *failing.entry(r.id.clone()).or_default() += 1;
        }
    }
    groups
        .into_values()
        .map(|(mut group, failing)| {
            group.failing = failing.into_iter().collect();
            group
                .failing
                .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            group
        })
        .collect()
}

/// A group's failing rules as `rule ×N` text, the first `max` of them.
pub fn failing_text(group: &Group, max: usize) -> String {
    let mut parts: Vec<String> = group
        .failing
        .iter()
        .take(max)
        .map(|(rule, n)| format!("{rule} ×{n}"))
        .collect();
    if group.failing.len() > max {
        parts.push(format!("{} more", group.failing.len() - max));
    }
    parts.join(", ")
}
