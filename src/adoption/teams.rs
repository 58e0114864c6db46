//! The per-team section of the adoption report: one row per team as the catalog defines them
//! (the owner roll-up of `score --group-by owner`, [`Teams::roll_up`]), with the team's
//! adoption, what it owns and how much of it is documented, in a system and at each scorecard
//! level, the templates it used and its catalog edits. Pure: every input is handed in.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::Period;
use super::engagement::Identities;
use super::history::AuthorCommit;
use super::snapshot::EntityFacts;
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::index::Teams;

/// Who counts as a champion: thresholds, from `.callboard.yaml` (`adoption.teams`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TeamThresholds {
    /// A champion's share of members active in the last 28 days.
    pub champion_adoption: f64,
    /// A champion has at least this many (eligible) members: one person is not a team.
    pub champion_min_members: usize,
}

/// The defaults: three quarters of the team active (the phase-4 band edge), two members.
pub const CHAMPION_ADOPTION: f64 = 0.75;
pub const CHAMPION_MIN_MEMBERS: usize = 2;

impl Default for TeamThresholds {
    fn default() -> Self {
        TeamThresholds {
            champion_adoption: CHAMPION_ADOPTION,
            champion_min_members: CHAMPION_MIN_MEMBERS,
        }
    }
}

/// One team's numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamRow {
    pub team: String,
    /// The team is a Group of the snapshot (else an owner that resolves to no Group: a
    /// dangling owner, or a User in no Group).
    pub group: bool,
    /// Direct members (`spec.members`, `memberOf`) in the population.
    pub members: usize,
    /// Members active in the last 28 days; None without event-level usage data.
    pub active: Option<usize>,
    /// `active ÷ members`; None when unknown or the team has no member.
    pub adoption: Option<f64>,
    pub components: usize,
    pub documented: usize,
    pub in_system: usize,
    /// Components per scorecard level (`none` first), None without scorecard results.
    pub levels: Option<Vec<(String, usize)>>,
    /// Distinct templates named by the team's Components (`backstage.io/source-template`).
    pub templates_used: usize,
    /// Catalog commits in the last 90 days by members; None without history.
    pub edits: Option<usize>,
    /// Catalog commits by members per month of the window; empty without history.
    pub edits_monthly: Vec<(String, usize)>,
    /// No member active in the last 28 days (None when unknown, or no member).
    pub inactive: Option<bool>,
    /// Adoption at or above the champion threshold with enough members (None when unknown).
    pub champion: Option<bool>,
}

/// Scorecard results per roll-up key: the level names (without `none`) and, per team, the
/// Components at each level rank (index 0 is `none`).
pub struct Levels {
    pub names: Vec<String>,
    pub by_team: HashMap<String, Vec<usize>>,
}

pub struct Input<'a> {
    pub entities: &'a [&'a EntityFacts],
    /// Only these Users count as members (`--eligible`); None for every User.
    pub population: Option<&'a HashSet<EntityRef>>,
    /// Users (refs) active in the last 28 days; None without event-level usage.
    pub active: Option<&'a HashSet<String>>,
    /// Catalog commits and who made them; None without history.
    pub commits: Option<&'a [AuthorCommit]>,
    pub identities: &'a Identities,
    pub recent_start: i64,
    pub as_of_end: i64,
    pub periods: &'a [Period],
    pub levels: Option<&'a Levels>,
    pub thresholds: TeamThresholds,
}

/// The rows, by team reference. Teams are every roll-up key of a Component's owner and every
/// Group with a team `spec.type`; with a population, only teams with a member in it.
pub fn rows(input: &Input<'_>) -> Vec<TeamRow> {
    let teams: Teams = super::snapshot::teams(input.entities.iter().copied());
    let refs: HashSet<&EntityRef> = input.entities.iter().map(|e| &e.reference).collect();
    let groups: HashSet<&EntityRef> = input
        .entities
        .iter()
        .filter(|e| e.kind() == "group")
        .map(|e| &e.reference)
        .collect();
    let mut owned: BTreeMap<EntityRef, Vec<&EntityFacts>> = BTreeMap::new();
    for e in input.entities.iter().filter(|e| e.is_team()) {
        owned.entry(e.reference.clone()).or_default();
    }
    for c in input.entities.iter().filter(|e| e.kind() == "component") {
        if let Some(owner) = &c.owner {
            owned
                .entry(teams.roll_up(owner).clone())
                .or_default()
                .push(c);
        }
    }
    let in_population = |u: &EntityRef| input.population.is_none_or(|p| p.contains(u));
    // Each member's commits, once: (time) per User.
    let mut commits_of: HashMap<&EntityRef, Vec<i64>> = HashMap::new();
    for c in input.commits.unwrap_or_default() {
        if let Some(user) = input.identities.resolve_author(&c.email) {
            commits_of.entry(user).or_default().push(c.time);
        }
    }
    let mut out = Vec::new();
    for (team, components) in owned {
        let members: BTreeSet<&EntityRef> =
            teams.members(&team).filter(|m| in_population(m)).collect();
        if input.population.is_some() && members.is_empty() {
            continue;
        }
        let active = input
            .active
            .map(|a| members.iter().filter(|m| a.contains(m.as_str())).count());
        let adoption = active
            .filter(|_| !members.is_empty())
            .map(|a| a as f64 / members.len() as f64);
        let times: Vec<i64> = members
            .iter()
            .flat_map(|m| commits_of.get(m).into_iter().flatten().copied())
            .collect();
        let (edits, edits_monthly) = match input.commits {
            None => (None, Vec::new()),
            Some(_) => (
                Some(
                    times
                        .iter()
                        .filter(|t| **t > input.recent_start && **t <= input.as_of_end)
                        .count(),
                ),
                input
                    .periods
                    .iter()
                    .map(|p| {
                        let n = times
                            .iter()
                            .filter(|t| **t >= p.start && **t <= p.end)
                            .count();
                        (p.label.clone(), n)
                    })
                    .collect(),
            ),
        };
        let templates: BTreeSet<&EntityRef> = components
            .iter()
            .filter_map(|c| c.source_template.as_ref())
            .collect();
        let key = team.to_string();
        let levels = input.levels.map(|l| {
            let counts = l.by_team.get(&key);
            std::iter::once("none".to_string())
                .chain(l.names.iter().cloned())
                .enumerate()
                .map(|(i, name)| (name, counts.and_then(|c| c.get(i)).copied().unwrap_or(0)))
                .collect()
        });
        let th = input.thresholds;
        out.push(TeamRow {
            group: groups.contains(&team),
            members: members.len(),
            active,
            adoption,
            components: components.len(),
            documented: components.iter().filter(|c| c.is_documented()).count(),
            in_system: components
                .iter()
                .filter(|c| c.in_system(|s| refs.contains(s)))
                .count(),
            levels,
            templates_used: templates.len(),
            edits,
            edits_monthly,
            inactive: active.filter(|_| !members.is_empty()).map(|a| a == 0),
            champion: adoption.map(|a| {
                a + 1e-9 >= th.champion_adoption && members.len() >= th.champion_min_members
            }),
            team: key,
        });
    }
    out
}

/// Teams that own Components, are Groups of the catalog and have no active member: the most
/// members first, then the most Components, then by name (the `reach-band` action's list).
pub fn to_onboard(rows: &[TeamRow]) -> Vec<super::verdict::TeamToOnboard> {
    let mut out: Vec<super::verdict::TeamToOnboard> = rows
        .iter()
        .filter(|r| r.group && r.components > 0 && r.active == Some(0))
        .map(|r| super::verdict::TeamToOnboard {
            team: r.team.clone(),
            members: r.members,
            components: r.components,
        })
        .collect();
    out.sort_by(|a, b| {
        b.members
            .cmp(&a.members)
            .then(b.components.cmp(&a.components))
            .then(a.team.cmp(&b.team))
    });
    out
}
