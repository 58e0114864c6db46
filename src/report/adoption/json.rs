//! `--format json`: the versioned contract (version 1). Keys of `metrics` and `series` are
//! sorted; shares carry four decimals, hours two, so the same repository gives the same bytes.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as J;

use crate::adoption::{Report, SnapshotSource, Unit};
use crate::dates::{self, SECONDS_PER_DAY};

pub const VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Output<'a> {
    version: u32,
    as_of: Option<&'a str>,
    inputs: Inputs<'a>,
    verdict: Verdict<'a>,
    metrics: BTreeMap<&'a str, J>,
    series: BTreeMap<&'a str, Vec<Point<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    usage: Option<UsageOut<'a>>,
    /// With `--compare REV` (additive: version 1 readers ignore it).
    #[serde(skip_serializing_if = "Option::is_none")]
    compare: Option<CompareOut<'a>>,
    /// The per-team section (additive).
    teams: TeamsOut<'a>,
    /// The thresholds the verdict applied (additive).
    thresholds: ThresholdsOut,
    notes: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ThresholdsOut {
    source: &'static str,
    bands: Vec<J>,
    chasm: J,
    gates: BTreeMap<&'static str, J>,
    champion_adoption: J,
    champion_min_members: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TeamsOut<'a> {
    filter: Option<&'a str>,
    champion_adoption: J,
    champion_min_members: usize,
    rows: Vec<TeamRowOut<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TeamRowOut<'a> {
    team: &'a str,
    group: bool,
    members: usize,
    active: Option<usize>,
    adoption: J,
    components: usize,
    documented: usize,
    in_system: usize,
    /// Level name → Components; null without scorecard results.
    levels: Option<BTreeMap<&'a str, usize>>,
    templates_used: usize,
    edits: Option<usize>,
    edits_monthly: Vec<EditsOut<'a>>,
    inactive: Option<bool>,
    champion: Option<bool>,
}

#[derive(Serialize)]
struct EditsOut<'a> {
    period: &'a str,
    edits: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CompareOut<'a> {
    rev: &'a str,
    commit: &'a str,
    as_of: Option<&'a str>,
    verdict: CompareVerdict,
    /// Every metric of either report: its value at REV and the change since (now − REV).
    metrics: BTreeMap<&'a str, DeltaOut>,
}

#[derive(Serialize)]
struct CompareVerdict {
    phase: Option<u8>,
    band: Option<u8>,
    adoption: Option<f64>,
    confidence: &'static str,
}

#[derive(Serialize)]
struct DeltaOut {
    base: J,
    delta: J,
}

#[derive(Serialize)]
struct UsageOut<'a> {
    /// The data's date range (additive).
    data: UsageDataOut<'a>,
    funnel: Vec<FunnelStep<'a>>,
    top: BTreeMap<&'a str, Vec<TopRow<'a>>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UsageDataOut<'a> {
    source: &'static str,
    first: Option<String>,
    last: Option<String>,
    lag_days: Option<i64>,
    stale: bool,
    gaps: &'a [String],
    outside_window: usize,
    suggested_as_of: Option<String>,
}

#[derive(Serialize)]
struct FunnelStep<'a> {
    id: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct TopRow<'a> {
    name: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct Inputs<'a> {
    head: Option<&'a str>,
    window: String,
    eligible: Eligible<'a>,
    usage: bool,
    shallow: bool,
    history: bool,
    snapshot: String,
}

#[derive(Serialize)]
struct Eligible<'a> {
    count: usize,
    source: &'static str,
    /// `--eligible FILTER` (additive), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Verdict<'a> {
    phase: Option<u8>,
    band: Option<u8>,
    gate_phase: u8,
    adoption: Option<f64>,
    estimate: J,
    confidence: &'static str,
    chasm: Option<&'static str>,
    step: &'static str,
    archetype: Option<&'static str>,
    /// Additive: `usage` or `catalog`, what the archetype's scores were read from.
    archetype_source: &'static str,
    gates: Vec<Gate<'a>>,
    blockers: &'a [String],
    actions: Vec<Action<'a>>,
}

#[derive(Serialize)]
struct Gate<'a> {
    id: &'static str,
    phase: u8,
    value: J,
    threshold: J,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    need: Option<&'a str>,
}

#[derive(Serialize)]
struct Action<'a> {
    id: &'static str,
    text: &'a str,
    evidence: &'a str,
    /// `reach-band` only (additive).
    #[serde(skip_serializing_if = "Option::is_none")]
    gap: Option<GapOut<'a>>,
    /// The first action only (additive): the golden-path step it names.
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GapOut<'a> {
    target: J,
    active: usize,
    eligible: usize,
    users_needed: usize,
    teams: Option<Vec<TeamOut<'a>>>,
}

#[derive(Serialize)]
struct TeamOut<'a> {
    team: &'a str,
    members: usize,
    components: usize,
}

#[derive(Serialize)]
struct Point<'a> {
    period: &'a str,
    value: J,
}

/// A number at the precision of its unit; counts are integers.
pub fn number(unit: Unit, value: Option<f64>) -> J {
    let Some(v) = value else {
        return J::Null;
    };
    let round = |v: f64, digits: i32| {
        let f = 10f64.powi(digits);
        let r = (v * f).round() / f;
        // -0.0 prints as "-0.0"; keep zero plain.
        serde_json::Number::from_f64(if r == 0.0 { 0.0 } else { r }).map_or(J::Null, J::Number)
    };
    match unit {
        Unit::Count => J::from(v.round() as i64),
        Unit::Share | Unit::Points => round(v, 4),
        Unit::Hours => round(v, 2),
    }
}

fn day(d: i64) -> String {
    dates::format(d * SECONDS_PER_DAY)
}

pub fn render(r: &Report) -> String {
    let v = &r.verdict;
    let out = Output {
        version: VERSION,
        as_of: r.as_of.as_deref(),
        inputs: Inputs {
            head: r.inputs.head.as_deref(),
            window: format!("{}m", r.inputs.window_months),
            eligible: Eligible {
                count: r.inputs.eligible,
                source: r.inputs.eligible_source,
                filter: r.inputs.population.as_deref(),
            },
            usage: r.inputs.usage,
            shallow: r.inputs.shallow,
            history: r.inputs.history,
            snapshot: match &r.inputs.snapshot {
                SnapshotSource::WorkingTree => "working-tree".to_string(),
                SnapshotSource::Commit(c) => c.clone(),
            },
        },
        verdict: Verdict {
            phase: v.phase,
            band: v.band,
            gate_phase: v.gate_phase,
            adoption: v.adoption,
            estimate: number(Unit::Share, v.estimate.as_ref().ok().copied()),
            confidence: v.confidence.as_str(),
            chasm: v.chasm.map(|c| c.as_str()),
            step: v.step.as_str(),
            archetype: v.archetype.map(|a| a.as_str()),
            archetype_source: v.archetype_source.as_str(),
            gates: v
                .gates
                .iter()
                .map(|g| Gate {
                    id: g.def.id.as_str(),
                    phase: g.def.phase,
                    value: number(g.def.unit, g.value),
                    threshold: number(g.def.unit, Some(g.threshold)),
                    status: g.status.as_str(),
                    need: g.need.as_deref(),
                })
                .collect(),
            blockers: &v.blockers,
            actions: v
                .actions
                .iter()
                .map(|a| Action {
                    id: a.id,
                    text: &a.text,
                    evidence: &a.evidence,
                    step: a.step.map(|p| p.as_str()),
                    gap: a.gap.as_ref().map(|g| GapOut {
                        target: number(Unit::Share, Some(g.target)),
                        active: g.active,
                        eligible: g.eligible,
                        users_needed: g.users_needed,
                        teams: g.teams.as_ref().map(|t| {
                            t.iter()
                                .map(|t| TeamOut {
                                    team: &t.team,
                                    members: t.members,
                                    components: t.components,
                                })
                                .collect()
                        }),
                    }),
                })
                .collect(),
        },
        metrics: r
            .metrics
            .iter()
            .map(|m| (m.id.as_str(), number(m.unit, m.value)))
            .collect(),
        series: r
            .series
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.points
                        .iter()
                        .map(|(period, value)| Point {
                            period,
                            value: number(s.unit, Some(*value)),
                        })
                        .collect(),
                )
            })
            .collect(),
        usage: r.usage.as_ref().map(|u| UsageOut {
            data: UsageDataOut {
                source: u.coverage.source.as_str(),
                first: u.coverage.first_day.map(day),
                last: u.coverage.last_day.map(day),
                lag_days: u.coverage.lag_days,
                stale: u.coverage.stale(),
                gaps: &u.coverage.gaps,
                outside_window: u.coverage.outside_window,
                suggested_as_of: u.coverage.suggested_as_of(),
            },
            funnel: u
                .funnel
                .iter()
                .map(|s| FunnelStep {
                    id: s.id,
                    count: s.count,
                })
                .collect(),
            top: u
                .tops
                .iter()
                .map(|t| {
                    (
                        t.id,
                        t.rows
                            .iter()
                            .map(|(name, count)| TopRow {
                                name,
                                count: *count,
                            })
                            .collect(),
                    )
                })
                .collect(),
        }),
        compare: r.compare.as_ref().map(|c| CompareOut {
            rev: &c.rev,
            commit: &c.commit,
            as_of: c.as_of.as_deref(),
            verdict: CompareVerdict {
                phase: c.phase,
                band: c.band,
                adoption: c.adoption,
                confidence: c.confidence.as_str(),
            },
            metrics: c
                .metrics
                .iter()
                .map(|d| {
                    (
                        d.id.as_str(),
                        DeltaOut {
                            base: number(d.unit, d.base),
                            delta: number(
                                if d.unit == Unit::Share {
                                    Unit::Points
                                } else {
                                    d.unit
                                },
                                d.delta,
                            ),
                        },
                    )
                })
                .collect(),
        }),
        teams: TeamsOut {
            filter: r.teams.filter.as_deref(),
            champion_adoption: number(Unit::Share, Some(r.teams.thresholds.champion_adoption)),
            champion_min_members: r.teams.thresholds.champion_min_members,
            rows: r
                .teams
                .rows
                .iter()
                .map(|t| TeamRowOut {
                    team: &t.team,
                    group: t.group,
                    members: t.members,
                    active: t.active,
                    adoption: number(Unit::Share, t.adoption),
                    components: t.components,
                    documented: t.documented,
                    in_system: t.in_system,
                    levels: t
                        .levels
                        .as_ref()
                        .map(|l| l.iter().map(|(n, c)| (n.as_str(), *c)).collect()),
                    templates_used: t.templates_used,
                    edits: t.edits,
                    edits_monthly: t
                        .edits_monthly
                        .iter()
                        .map(|(period, edits)| EditsOut {
                            period,
                            edits: *edits,
                        })
                        .collect(),
                    inactive: t.inactive,
                    champion: t.champion,
                })
                .collect(),
        },
        thresholds: {
            let t = &v.thresholds;
            let gate_defs = crate::adoption::verdict::GATES
                .iter()
                .chain(std::iter::once(&crate::adoption::verdict::HABITUAL_USAGE));
            ThresholdsOut {
                source: if t.configured { "config" } else { "default" },
                bands: t
                    .bands
                    .iter()
                    .map(|b| number(Unit::Share, Some(*b)))
                    .collect(),
                chasm: number(Unit::Share, Some(t.chasm)),
                gates: gate_defs
                    .map(|d| {
                        (
                            crate::adoption::verdict::Thresholds::key(d),
                            number(d.unit, Some(t.gate(d))),
                        )
                    })
                    .collect(),
                champion_adoption: number(Unit::Share, Some(t.teams.champion_adoption)),
                champion_min_members: t.teams.champion_min_members,
            }
        },
        notes: &r.notes,
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}
