//! The phase rule: an adoption band from the adoption measure (or, without usage data, from an
//! onboarding estimate), health gates per phase, the chasm, the golden-path step, the archetype,
//! what blocks the next phase and the top three actions, each with the evidence that fired it.
//!
//! Pure: every input is a number or the reason it is unknown.

use super::Unit;

/// A value, or what would be needed to know it.
pub type Measure = Result<f64, String>;

/// Edges of the usage bands (phase 2, 3 and 4 start here).
pub const BAND_EDGES: [f64; 3] = [0.25, 0.50, 0.75];
/// Cumulative share of innovators and early adopters: the chasm.
pub const CHASM: f64 = 0.16;
/// The thresholds of the rule: today's constants unless `.callboard.yaml` sets them
/// (`adoption:`), and printed in every report.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    pub bands: [f64; 3],
    pub chasm: f64,
    /// Gate id (`habitual-usage` for the habit gate with usage data) → threshold, where set.
    pub gates: std::collections::BTreeMap<String, f64>,
    pub teams: super::teams::TeamThresholds,
    /// Something was set in the configuration.
    pub configured: bool,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            bands: BAND_EDGES,
            chasm: CHASM,
            gates: Default::default(),
            teams: Default::default(),
            configured: false,
        }
    }
}

impl Thresholds {
    pub fn from_config(c: &crate::config::AdoptionConfig) -> Thresholds {
        let d = Thresholds::default();
        Thresholds {
            bands: c.bands.unwrap_or(d.bands),
            chasm: c.chasm.unwrap_or(d.chasm),
            gates: c.gates.clone(),
            teams: super::teams::TeamThresholds {
                champion_adoption: c.champion_adoption.unwrap_or(d.teams.champion_adoption),
                champion_min_members: c
                    .champion_min_members
                    .unwrap_or(d.teams.champion_min_members),
            },
            configured: !c.is_default(),
        }
    }

    /// The configuration key of a gate definition.
    pub fn key(def: &GateDef) -> &'static str {
        if std::ptr::eq(def, &HABITUAL_USAGE) {
            "habitual-usage"
        } else {
            def.id.as_str()
        }
    }

    /// The threshold of `def`: configured, or its default.
    pub fn gate(&self, def: &GateDef) -> f64 {
        self.gates
            .get(Self::key(def))
            .copied()
            .unwrap_or(def.threshold)
    }
}

/// Archetypes need this margin between the visibility and automation scores.
pub const ARCHETYPE_MARGIN: f64 = 0.15;
/// Organisations above this many eligible developers start with templates when several pillars fail.
pub const LARGE_ORG: usize = 1000;

pub const PHASE_NAMES: [&str; 5] = [
    "Research and kickoff",
    "Early adopters",
    "Early majority",
    "Late majority",
    "Mainstream",
];

/// The golden path: keep track of everything, measure it, then create and manage through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pillar {
    Catalog,
    Scorecards,
    Workflows,
}

impl Pillar {
    pub const ORDER: [Pillar; 3] = [Pillar::Catalog, Pillar::Scorecards, Pillar::Workflows];

    pub fn as_str(self) -> &'static str {
        match self {
            Pillar::Catalog => "catalog",
            Pillar::Scorecards => "scorecards",
            Pillar::Workflows => "workflows",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chasm {
    Before,
    Crossing,
    Crossed,
}

impl Chasm {
    pub fn as_str(self) -> &'static str {
        match self {
            Chasm::Before => "before",
            Chasm::Crossing => "crossing",
            Chasm::Crossed => "crossed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archetype {
    VisibilityFirst,
    AutomationFirst,
    Balanced,
}

impl Archetype {
    pub fn as_str(self) -> &'static str {
        match self {
            Archetype::VisibilityFirst => "visibility-first",
            Archetype::AutomationFirst => "automation-first",
            Archetype::Balanced => "balanced",
        }
    }
}

/// The health criteria of the phases, by name (the JSON `id` is [`GateId::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateId {
    TeamsOnboarded,
    Ownership,
    Habitual,
    Retention,
    Docs,
    ScorecardTrend,
    SelfService,
    GoldenPathNew,
    TemplateReuse,
}

impl GateId {
    pub fn as_str(self) -> &'static str {
        match self {
            GateId::TeamsOnboarded => "teams-onboarded",
            GateId::Ownership => "ownership",
            GateId::Habitual => "habitual",
            GateId::Retention => "retention",
            GateId::Docs => "docs",
            GateId::ScorecardTrend => "scorecard-trend",
            GateId::SelfService => "self-service",
            GateId::GoldenPathNew => "golden-path-new",
            GateId::TemplateReuse => "template-reuse",
        }
    }
}

/// One health criterion of a phase: a metric, `>=`, a threshold.
#[derive(Debug)]
pub struct GateDef {
    pub id: GateId,
    pub phase: u8,
    pub pillar: Option<Pillar>,
    pub title: &'static str,
    pub threshold: f64,
    pub unit: Unit,
}

pub static GATES: &[GateDef] = &[
    GateDef {
        id: GateId::TeamsOnboarded,
        phase: 1,
        pillar: Some(Pillar::Catalog),
        title: "teams owning components",
        threshold: 2.0,
        unit: Unit::Count,
    },
    GateDef {
        id: GateId::Ownership,
        phase: 2,
        pillar: Some(Pillar::Catalog),
        title: "ownership coverage",
        threshold: 0.90,
        unit: Unit::Share,
    },
    GateDef {
        id: GateId::Habitual,
        phase: 2,
        pillar: None,
        title: "returning contributors (habit, from git)",
        threshold: 0.50,
        unit: Unit::Share,
    },
    GateDef {
        id: GateId::Retention,
        phase: 2,
        pillar: None,
        title: "usage retention",
        threshold: 0.40,
        unit: Unit::Share,
    },
    GateDef {
        id: GateId::Docs,
        phase: 3,
        pillar: Some(Pillar::Catalog),
        title: "docs coverage",
        threshold: 0.50,
        unit: Unit::Share,
    },
    GateDef {
        id: GateId::ScorecardTrend,
        phase: 3,
        pillar: Some(Pillar::Scorecards),
        title: "scorecard pass-rate change over 90 days",
        threshold: 0.0,
        unit: Unit::Points,
    },
    GateDef {
        id: GateId::SelfService,
        phase: 3,
        pillar: None,
        title: "self-service share of catalog commits",
        threshold: 0.50,
        unit: Unit::Share,
    },
    GateDef {
        id: GateId::GoldenPathNew,
        phase: 4,
        pillar: Some(Pillar::Workflows),
        title: "golden-path share of new components",
        threshold: 0.50,
        unit: Unit::Share,
    },
    GateDef {
        id: GateId::TemplateReuse,
        phase: 4,
        pillar: Some(Pillar::Workflows),
        title: "uses of the most used template in 90 days",
        threshold: 5.0,
        unit: Unit::Count,
    },
];

/// Adoption measured from usage data.
#[derive(Debug, Clone)]
pub struct UsageAdoption {
    /// Active users (28 days) ÷ eligible developers.
    pub adoption: Measure,
    /// Active users in the last 28 days.
    pub mau: usize,
    /// High for event-level data with at least 80 % of active users resolved; else medium.
    pub confidence: Confidence,
    /// Users active in 3 of the last 4 ISO weeks ÷ eligible developers.
    pub habitual: Measure,
    /// Shares of the active users who used the visibility plugins (catalog, TechDocs, search,
    /// API docs) and the scaffolder: the archetype's scores when known (event-level, current data).
    pub pillars: Option<(f64, f64)>,
}

/// The habit gate when usage data is given: habitual users among the eligible.
pub static HABITUAL_USAGE: GateDef = GateDef {
    id: GateId::Habitual,
    phase: 2,
    pillar: None,
    title: "habitual users (3 of the last 4 weeks, usage)",
    threshold: 0.10,
    unit: Unit::Share,
};

/// Everything the rule looks at.
#[derive(Debug, Clone)]
pub struct VerdictInput {
    /// Adoption from usage data, when it was supplied.
    pub usage: Option<UsageAdoption>,
    /// Eligible developers (U).
    pub eligible: Option<usize>,
    pub teams_owning: usize,
    pub team_coverage: Measure,
    pub penetration: Measure,
    pub ownership: Measure,
    pub returning: Measure,
    pub retention: Measure,
    pub docs: Measure,
    pub api_coverage: Measure,
    pub scorecard_trend: Measure,
    pub self_service: Measure,
    pub golden_path_new: Measure,
    pub template_reuse: Measure,
    /// Teams owning components with no active member, largest first; None when unknown
    /// (no event-level usage data).
    pub inactive_teams: Option<Vec<TeamToOnboard>>,
    /// For action texts: the most used template, entities without a resolvable owner,
    /// components without docs.
    pub top_template: Option<String>,
    pub unowned_or_dangling: usize,
    pub undocumented: usize,
    pub thresholds: Thresholds,
}

impl VerdictInput {
    fn measure(&self, gate: GateId) -> Measure {
        match gate {
            GateId::TeamsOnboarded => Ok(self.teams_owning as f64),
            GateId::Ownership => self.ownership.clone(),
            GateId::Habitual => match &self.usage {
                Some(u) => u.habitual.clone(),
                None => self.returning.clone(),
            },
            GateId::Retention => self.retention.clone(),
            GateId::Docs => self.docs.clone(),
            GateId::ScorecardTrend => self.scorecard_trend.clone(),
            GateId::SelfService => self.self_service.clone(),
            GateId::GoldenPathNew => self.golden_path_new.clone(),
            GateId::TemplateReuse => self.template_reuse.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateStatus {
    Pass,
    Fail,
    NotApplicable,
}

impl GateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            GateStatus::Pass => "pass",
            GateStatus::Fail => "fail",
            GateStatus::NotApplicable => "n/a",
        }
    }
}

#[derive(Debug, Clone)]
pub struct GateResult {
    pub def: &'static GateDef,
    /// The threshold applied (configured, or the definition's default).
    pub threshold: f64,
    pub value: Option<f64>,
    pub status: GateStatus,
    /// For n/a: what would let the gate be evaluated.
    pub need: Option<String>,
}

impl GateResult {
    /// The n/a policy: a gate that cannot be evaluated passes for phases 1 and 2 and fails for
    /// phases 3 and 4, so data that is missing never lifts a verdict above phase 2.
    pub fn counts_as_pass(&self) -> bool {
        match self.status {
            GateStatus::Pass => true,
            GateStatus::Fail => false,
            GateStatus::NotApplicable => self.def.phase <= 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub id: &'static str,
    pub text: String,
    pub evidence: String,
    /// For `reach-band`: the numbers behind the text.
    pub gap: Option<BandGap>,
    /// The first action only: the golden-path step the organisation is at (named in its text).
    pub step: Option<Pillar>,
}

/// A team that owns components and has no member active in the last 28 days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamToOnboard {
    pub team: String,
    pub members: usize,
    pub components: usize,
}

/// Teams listed in the `reach-band` action, the largest first.
pub const TEAMS_TO_ONBOARD: usize = 3;

/// What the next adoption band takes, when the band holds the phase back.
#[derive(Debug, Clone, PartialEq)]
pub struct BandGap {
    /// The band edge to reach (a share).
    pub target: f64,
    pub active: usize,
    pub eligible: usize,
    /// More active users needed to reach `target`.
    pub users_needed: usize,
    /// Largest inactive teams owning components; None when activity per team is unknown
    /// (aggregated usage data).
    pub teams: Option<Vec<TeamToOnboard>>,
}

/// The fewest active users out of `eligible` that reach `target`.
pub fn users_for(target: f64, eligible: usize) -> usize {
    // The small epsilon keeps 0.25 * 20 = 5 from rounding up to 6 on float noise.
    (target * eligible as f64 - 1e-9).ceil().max(0.0) as usize
}

#[derive(Debug, Clone)]
pub struct Verdict {
    /// min(band, gate phase); None when the band is unknown.
    pub phase: Option<u8>,
    pub band: Option<u8>,
    /// The highest phase whose gates (and all lower phases' gates) pass.
    pub gate_phase: u8,
    /// Adoption from usage data (None without usage).
    pub adoption: Option<f64>,
    /// What the band was computed from: adoption, or without usage the onboarding estimate.
    pub estimate: Measure,
    pub confidence: Confidence,
    pub chasm: Option<Chasm>,
    pub step: Pillar,
    pub archetype: Option<Archetype>,
    pub archetype_source: ArchetypeSource,
    /// The thresholds the rule applied.
    pub thresholds: Thresholds,
    /// Visibility and automation scores behind the archetype.
    pub visibility: Option<f64>,
    pub automation: Option<f64>,
    pub platform_first: bool,
    pub gates: Vec<GateResult>,
    pub blockers: Vec<String>,
    pub actions: Vec<Action>,
}

pub fn evaluate_gates(input: &VerdictInput) -> Vec<GateResult> {
    GATES
        .iter()
        .map(|def| {
            if def.id == GateId::Habitual && input.usage.is_some() {
                &HABITUAL_USAGE
            } else {
                def
            }
        })
        .map(|def| match input.measure(def.id) {
            Ok(v) => GateResult {
                def,
                threshold: input.thresholds.gate(def),
                value: Some(v),
                status: if v >= input.thresholds.gate(def) {
                    GateStatus::Pass
                } else {
                    GateStatus::Fail
                },
                need: None,
            },
            Err(need) => GateResult {
                def,
                threshold: input.thresholds.gate(def),
                value: None,
                status: GateStatus::NotApplicable,
                need: Some(need),
            },
        })
        .collect()
}

/// The highest phase P such that every gate of phases 1..=P counts as passing.
pub fn gate_phase(gates: &[GateResult]) -> u8 {
    let mut reached = 0;
    for p in 1..=4 {
        if gates
            .iter()
            .filter(|g| g.def.phase == p)
            .all(GateResult::counts_as_pass)
        {
            reached = p;
        } else {
            break;
        }
    }
    reached
}

/// Phase 0 while fewer than two teams own components; else 1 + one per band edge reached.
pub fn band(teams_owning: usize, estimate: &Measure, edges: &[f64; 3]) -> Option<u8> {
    if teams_owning < 2 {
        return Some(0);
    }
    let a = *estimate.as_ref().ok()?;
    Some(1 + edges.iter().filter(|edge| a >= **edge).count() as u8)
}

pub fn chasm(estimate: &Measure, t: &Thresholds) -> Option<Chasm> {
    let a = *estimate.as_ref().ok()?;
    Some(if a < t.chasm {
        Chasm::Before
    } else if a < t.bands[0] {
        Chasm::Crossing
    } else {
        Chasm::Crossed
    })
}

/// The first pillar, in golden-path order, with a gate that is not passed (failed or n/a).
/// When several pillars have failing gates and the organisation is large, templates come first.
pub fn step(gates: &[GateResult], eligible: Option<usize>) -> Pillar {
    let with = |pillar: Pillar, pred: &dyn Fn(&GateResult) -> bool| {
        gates
            .iter()
            .any(|g| g.def.pillar == Some(pillar) && pred(g))
    };
    let failing: Vec<Pillar> = Pillar::ORDER
        .into_iter()
        .filter(|p| with(*p, &|g| g.status == GateStatus::Fail))
        .collect();
    if failing.len() > 1
        && eligible.is_some_and(|u| u > LARGE_ORG)
        && failing.contains(&Pillar::Workflows)
    {
        return Pillar::Workflows;
    }
    Pillar::ORDER
        .into_iter()
        .find(|p| with(*p, &|g| g.status != GateStatus::Pass))
        .unwrap_or(Pillar::Workflows)
}

/// Where the archetype's scores come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchetypeSource {
    /// `usage.pillar.visibility` and `usage.pillar.automation`: what people use.
    Usage,
    /// Catalog coverage and the golden-path share of new components: what was built.
    Catalog,
}

impl ArchetypeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ArchetypeSource::Usage => "usage",
            ArchetypeSource::Catalog => "catalog",
        }
    }
}

/// With usage data, the shares of active users of the visibility plugins and of the
/// scaffolder; else the visibility score is the mean of the known coverages (ownership, docs,
/// API) and the automation score the golden-path share of new components.
pub fn archetype_scores(input: &VerdictInput) -> (Option<f64>, Option<f64>, ArchetypeSource) {
    if let Some((v, a)) = input.usage.as_ref().and_then(|u| u.pillars) {
        return (Some(v), Some(a), ArchetypeSource::Usage);
    }
    let (v, a) = catalog_archetype_scores(input);
    (v, a, ArchetypeSource::Catalog)
}

fn catalog_archetype_scores(input: &VerdictInput) -> (Option<f64>, Option<f64>) {
    let known: Vec<f64> = [&input.ownership, &input.docs, &input.api_coverage]
        .into_iter()
        .filter_map(|m| m.as_ref().ok().copied())
        .collect();
    let visibility = (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64);
    (visibility, input.golden_path_new.as_ref().ok().copied())
}

pub fn archetype(visibility: Option<f64>, automation: Option<f64>) -> Option<Archetype> {
    let (v, a) = (visibility?, automation?);
    // Compare in rounded percentage points, so 15.0 pp is reached despite float noise.
    let margin = ((v - a) * 1000.0).round() / 10.0;
    Some(if margin >= ARCHETYPE_MARGIN * 100.0 {
        Archetype::VisibilityFirst
    } else if -margin >= ARCHETYPE_MARGIN * 100.0 {
        Archetype::AutomationFirst
    } else {
        Archetype::Balanced
    })
}

/// The catalog is complete, adoption is before the chasm, and the platform team writes most of it.
pub fn platform_first(input: &VerdictInput, estimate: &Measure) -> bool {
    matches!(
        (&input.ownership, &input.docs, estimate, &input.self_service),
        (Ok(o), Ok(d), Ok(a), Ok(s)) if *o >= 0.90 && *d >= 0.60 && *a < input.thresholds.chasm && *s < 0.30
    )
}

pub fn format_value(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Count => format!("{}", v.round() as i64),
        Unit::Share => format!("{:.1} %", v * 100.0),
        Unit::Points => format!("{:+.1} pp", v * 100.0),
        Unit::Hours => format!("{v:.1} h"),
    }
}

fn gate_evidence(g: &GateResult) -> String {
    match g.value {
        Some(v) => format!(
            "{} {} {} {} (gate P{})",
            g.def.title,
            format_value(g.def.unit, v),
            if g.status == GateStatus::Pass {
                ">="
            } else {
                "<"
            },
            format_value(g.def.unit, g.threshold),
            g.def.phase
        ),
        None => format!(
            "{}: n/a, needs {} (gate P{})",
            g.def.title,
            g.need.as_deref().unwrap_or("more data"),
            g.def.phase
        ),
    }
}

fn blockers(
    phase: Option<u8>,
    band: Option<u8>,
    gate_phase: u8,
    estimate: &Measure,
    input: &VerdictInput,
    gates: &[GateResult],
) -> Vec<String> {
    let mut out = Vec::new();
    if let (None, Err(why)) = (band, estimate) {
        out.push(format!(
            "the phase is unknown: the {} needs {why}",
            if input.usage.is_some() {
                "adoption measure"
            } else {
                "onboarding estimate"
            }
        ));
    }
    let current = phase.unwrap_or(gate_phase);
    if current >= 4 {
        return out;
    }
    let next = current + 1;
    match (band, estimate) {
        (Some(0), _) if input.usage.as_ref().is_some_and(|u| u.mau == 0 && u.adoption.is_ok()) => out.push(
            "the usage data shows no active user in the last 28 days; phase 1 starts with the first users"
                .to_string(),
        ),
        (Some(0), _) => out.push(format!(
            "{} team(s) own components; phase 1 starts when at least 2 do",
            input.teams_owning
        )),
        (Some(b), Ok(a)) if b < next => out.push(format!(
            "{} {} is below {}, where phase {next} starts",
            if input.usage.is_some() {
                "adoption"
            } else {
                "onboarding estimate"
            },
            format_value(Unit::Share, *a),
            format_value(Unit::Share, input.thresholds.bands[usize::from(next) - 2])
        )),
        _ => {}
    }
    for g in gates
        .iter()
        .filter(|g| g.def.phase == next && g.status == GateStatus::Fail)
    {
        out.push(gate_evidence(g));
    }
    // An n/a gate that counts as a pass (phases 1-2) holds nothing back: it is in the gate
    // table with what it needs, not among the blockers.
    for g in gates.iter().filter(|g| {
        g.def.phase <= next && g.status == GateStatus::NotApplicable && !g.counts_as_pass()
    }) {
        out.push(gate_evidence(g));
    }
    out
}

struct Candidate {
    /// Phase of the gate that fired it; 5 for diagnostics that are not gates.
    phase: u8,
    pillar: Option<Pillar>,
    action: Action,
}

#[cfg(test)]
fn gate(gates: &[GateResult], id: GateId) -> &GateResult {
    gates
        .iter()
        .find(|g| g.def.id == id)
        .expect("every gate is evaluated")
}

/// The gate `id` when it failed (a gate that was not evaluated fires nothing).
fn failed(gates: &[GateResult], id: GateId) -> Option<&GateResult> {
    gates
        .iter()
        .find(|g| g.def.id == id && g.status == GateStatus::Fail)
}

/// "1 entity", "3 entities".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn pct(v: f64) -> String {
    format_value(Unit::Share, v)
}

/// The gap to the next band, when adoption is measured and the band (not a gate) is what
/// holds the phase back; with nobody active, the gap to the first band edge.
fn band_gap(v: &Verdict, input: &VerdictInput) -> Option<BandGap> {
    let u = input.usage.as_ref()?;
    u.adoption.as_ref().ok()?;
    let (band, eligible) = (v.band?, input.eligible?);
    let holds_back = v.phase == Some(band) && band < 4 && (band > 0 || u.mau == 0);
    if !holds_back || eligible == 0 {
        return None;
    }
    let target = input.thresholds.bands[usize::from(band.max(1)) - 1];
    Some(BandGap {
        target,
        active: u.mau,
        eligible,
        users_needed: users_for(target, eligible).saturating_sub(u.mau),
        teams: input.inactive_teams.as_ref().map(|t| {
            let mut t = t.clone();
            t.truncate(TEAMS_TO_ONBOARD);
            t
        }),
    })
}

/// The recommendation table, in its fixed order; each entry fires from one condition.
fn candidates(v: &Verdict, input: &VerdictInput) -> Vec<Candidate> {
    let gates = &v.gates;
    let mut out = Vec::new();
    if let Some(gap) = band_gap(v, input) {
        let teams = match &gap.teams {
            Some(t) if t.is_empty() => {
                " Every team that owns components already has an active member: widen use within them.".to_string()
            }
            Some(t) => format!(
                " Onboard first the largest teams that own components and have no active member: {}.",
                t.iter()
                    .map(|t| format!(
                        "{} ({}, {})",
                        t.team,
                        count(t.members, "member", "members"),
                        count(t.components, "component", "components")
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => " Which teams are inactive needs event-level usage data.".to_string(),
        };
        out.push(Candidate {
            phase: 0,
            pillar: None,
            action: Action {
                id: "reach-band",
                text: format!(
                    "+{} active users needed to reach {} ({} of {} eligible developers active in the last 28 days).{teams}",
                    gap.users_needed,
                    pct(gap.target),
                    gap.active,
                    gap.eligible
                ),
                evidence: format!(
                    "adoption {} is below {}, and the band holds the phase back",
                    v.adoption.map(pct).unwrap_or_default(),
                    pct(gap.target)
                ),
                gap: Some(gap),
                step: None,
            },
        });
    }
    let mut push =
        |phase: u8, pillar: Option<Pillar>, id: &'static str, text: String, evidence: String| {
            out.push(Candidate {
                phase,
                pillar,
                action: Action {
                    id,
                    text,
                    evidence,
                    gap: None,
                    step: None,
                },
            })
        };
    if let Some(g) = failed(gates, GateId::TeamsOnboarded) {
        push(
            1,
            Some(Pillar::Catalog),
            "onboard-teams",
            "Choose two early-adopter teams (about 20 developers) and one frequent, painful problem of theirs; solve that problem through the portal instead of promoting the portal itself.".into(),
            gate_evidence(g),
        );
    }
    if v.chasm == Some(Chasm::Before)
        && let Some(g) = failed(gates, GateId::Habitual)
    {
        push(
            2,
            None,
            "daily-utility",
            "Give early users a reason to return every day: their own software, pull requests, tickets and on-call in one place. One-off automations do not build a habit.".into(),
            format!(
                "{}; estimate {} is before the {} chasm",
                gate_evidence(g),
                v.estimate.as_ref().map(|a| pct(*a)).unwrap_or_default(),
                pct(input.thresholds.chasm)
            ),
        );
    }
    if let Some(g) = failed(gates, GateId::Ownership) {
        push(
            2,
            Some(Pillar::Catalog),
            "ownership",
            format!(
                "Make the catalog trustworthy: give the {} without a resolvable owner a team owner, and check owners in CI (`callboard catalog validate --strict-refs`).",
                count(input.unowned_or_dangling, "entity", "entities")
            ),
            gate_evidence(g),
        );
    }
    if let Some(g) = failed(gates, GateId::Docs) {
        push(
            3,
            Some(Pillar::Catalog),
            "docs",
            format!(
                "Add TechDocs (backstage.io/techdocs-ref) to the {} without documentation, starting with the teams that already keep their entries up to date.",
                count(input.undocumented, "component", "components")
            ),
            gate_evidence(g),
        );
    }
    if let Some(g) = failed(gates, GateId::ScorecardTrend) {
        push(
            3,
            Some(Pillar::Scorecards),
            "scorecard",
            "Track a catalog-readiness scorecard (owner, description, TechDocs, system, annotations) with `callboard score` and act when its pass rate falls.".into(),
            gate_evidence(g),
        );
    }
    if let Some(g) = failed(gates, GateId::SelfService) {
        push(
            3,
            None,
            "self-service",
            format!(
                "Move catalog changes to the owning teams (templates, or pull requests they merge themselves): the platform team made {} of the catalog commits of the last 90 days.",
                input
                    .self_service
                    .as_ref()
                    .map(|s| pct(1.0 - s))
                    .unwrap_or_default()
            ),
            gate_evidence(g),
        );
    }
    let p4: Vec<&GateResult> = [GateId::GoldenPathNew, GateId::TemplateReuse]
        .into_iter()
        .filter_map(|id| failed(gates, id))
        .collect();
    if !p4.is_empty() {
        push(
            4,
            Some(Pillar::Workflows),
            "golden-path",
            format!(
                "Make templates the normal way to create components: a service template that writes backstage.io/source-template.{}",
                match &input.golden_path_new {
                    Ok(y) => format!(
                        " {} of the components added in the last 90 days came from a template.",
                        pct(*y)
                    ),
                    Err(_) => String::new(),
                }
            ),
            p4.iter()
                .map(|g| gate_evidence(g))
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    let scores = format!(
        "visibility {} vs automation {}",
        v.visibility.map(pct).unwrap_or_default(),
        v.automation.map(pct).unwrap_or_default()
    );
    match v.archetype {
        Some(Archetype::AutomationFirst) => push(
            5,
            None,
            "add-visibility",
            "Add reasons to come back: views of the software people own, docs and search, so that users who came for a template return daily.".into(),
            format!("{scores} (automation-first)"),
        ),
        Some(Archetype::VisibilityFirst) => push(
            5,
            None,
            "add-automation",
            "Add one automation that replaces the request the platform teams get most often as a ticket.".into(),
            format!("{scores} (visibility-first)"),
        ),
        _ => {}
    }
    if v.platform_first {
        push(
            5,
            None,
            "platform-first",
            "The catalog is complete but few developers use it: it is being built for developers rather than with them. Ask developers about their daily pains (finding things, onboarding, keeping up with standards) before adding more catalog data.".into(),
            format!(
                "ownership {}, docs {}, estimate {} before the chasm, self-service {}",
                input.ownership.as_ref().map(|x| pct(*x)).unwrap_or_default(),
                input.docs.as_ref().map(|x| pct(*x)).unwrap_or_default(),
                v.estimate.as_ref().map(|x| pct(*x)).unwrap_or_default(),
                input.self_service.as_ref().map(|x| pct(*x)).unwrap_or_default(),
            ),
        );
    }
    if input.usage.is_none() {
        push(
            5,
            None,
            "measurement-gap",
            "Finish the kickoff: agree on success metrics and who follows them (monthly active users, onboarding time, satisfaction), export portal usage data, and send stakeholders a regular adoption report.".into(),
            "no usage data: the phase is estimated from catalog onboarding, not usage".into(),
        );
    }
    if v.phase == Some(4) {
        push(
            5,
            None,
            "stabilise",
            "Expect adoption to level off around 70–75 %; turn to business outcomes (onboarding time, delivery metrics) and to fragmentation.".into(),
            "phase 4".into(),
        );
    }
    out
}

/// Applies the rule.
pub fn decide(input: &VerdictInput) -> Verdict {
    let gates = evaluate_gates(input);
    let gate_phase = gate_phase(&gates);
    // With usage data, adoption; without, the more conservative of two onboarding proxies.
    let estimate: Measure = match (&input.usage, &input.team_coverage, &input.penetration) {
        (Some(u), _, _) => u.adoption.clone(),
        (None, Ok(t), Ok(p)) => Ok(t.min(*p)),
        (None, Err(a), Err(b)) if a == b => Err(a.clone()),
        (None, Err(a), Err(b)) => Err(format!("{a} and {b}")),
        (None, Err(e), _) | (None, _, Err(e)) => Err(e.clone()),
    };
    // Usage supplied and nobody active: the portal is not launched yet.
    let band = match &input.usage {
        Some(u) if u.mau == 0 && u.adoption.is_ok() => Some(0),
        _ => band(input.teams_owning, &estimate, &input.thresholds.bands),
    };
    let phase = band.map(|b| b.min(gate_phase));
    let (visibility, automation, archetype_source) = archetype_scores(input);
    let mut verdict = Verdict {
        phase,
        band,
        gate_phase,
        adoption: input
            .usage
            .as_ref()
            .and_then(|u| u.adoption.as_ref().ok().copied()),
        chasm: chasm(&estimate, &input.thresholds),
        confidence: input
            .usage
            .as_ref()
            .map_or(Confidence::Low, |u| u.confidence),
        step: step(&gates, input.eligible),
        archetype: archetype(visibility, automation),
        archetype_source,
        thresholds: input.thresholds.clone(),
        visibility,
        automation,
        platform_first: platform_first(input, &estimate),
        blockers: blockers(phase, band, gate_phase, &estimate, input, &gates),
        estimate,
        gates,
        actions: Vec::new(),
    };
    let mut ranked = candidates(&verdict, input);
    // Templates wait while the organisation is at an earlier golden-path step (catalog or
    // scorecards): they come after everything else. Stable: ties keep the table order.
    let step = verdict.step;
    ranked.sort_by_key(|c| {
        (
            c.pillar == Some(Pillar::Workflows) && step < Pillar::Workflows,
            c.phase,
            c.pillar.map_or(3, |p| p as u8),
        )
    });
    verdict.actions = ranked.into_iter().take(3).map(|c| c.action).collect();
    if let Some(first) = verdict.actions.first_mut() {
        first.text.push(' ');
        first.text.push_str(&step_text(step));
        first.step = Some(step);
    }
    verdict
}

/// The golden-path step, named in the first action.
pub fn step_text(step: Pillar) -> String {
    let what = match step {
        Pillar::Catalog => {
            "complete the catalog (team owners, docs, systems) before later-phase work such as templates"
        }
        Pillar::Scorecards => {
            "measure the catalog with scorecards and act on their trend before later-phase work such as templates"
        }
        Pillar::Workflows => {
            "catalog and scorecards are in place: make templates and self-service the normal way to create and change software"
        }
    };
    format!(
        "Golden-path step: {} (catalog → scorecards → workflows): {what}.",
        step.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn na(why: &str) -> Measure {
        Err(why.to_string())
    }

    /// Every gate passes; the estimate is 80 %.
    fn healthy() -> VerdictInput {
        VerdictInput {
            usage: None,
            eligible: Some(100),
            teams_owning: 10,
            team_coverage: Ok(0.9),
            penetration: Ok(0.8),
            ownership: Ok(0.95),
            returning: Ok(0.6),
            retention: Ok(0.5),
            docs: Ok(0.7),
            api_coverage: Ok(0.6),
            scorecard_trend: Ok(0.01),
            self_service: Ok(0.7),
            golden_path_new: Ok(0.7),
            template_reuse: Ok(6.0),
            inactive_teams: None,
            top_template: Some("template:default/service".into()),
            unowned_or_dangling: 1,
            undocumented: 3,
            thresholds: Thresholds::default(),
        }
    }

    fn by_name(id: &str) -> GateId {
        GATES.iter().find(|g| g.id.as_str() == id).unwrap().id
    }

    fn status(v: &Verdict, id: &str) -> GateStatus {
        gate(&v.gates, by_name(id)).status
    }

    #[test]
    fn all_gates_pass_reaches_phase_four() {
        let v = decide(&healthy());
        assert!(v.gates.iter().all(|g| g.status == GateStatus::Pass));
        assert_eq!((v.gate_phase, v.band, v.phase), (4, Some(4), Some(4)));
        assert_eq!(v.chasm, Some(Chasm::Crossed));
        assert_eq!(v.confidence, Confidence::Low);
        assert_eq!(v.adoption, None);
        assert!(v.blockers.is_empty());
        assert_eq!(v.step, Pillar::Workflows);
        let ids: Vec<&str> = v.actions.iter().map(|a| a.id).collect();
        assert_eq!(ids, ["measurement-gap", "stabilise"]);
    }

    /// Each gate on its own: at its threshold it passes, just below it fails, and the gate
    /// phase stops below the gate's phase.
    #[test]
    fn every_gate_passes_at_its_threshold_and_fails_below() {
        type Set = fn(&mut VerdictInput, f64);
        let table: &[(&str, u8, f64, f64, Set)] = &[
            ("teams-onboarded", 1, 2.0, 1.0, |i, v| {
                i.teams_owning = v as usize
            }),
            ("ownership", 2, 0.90, 0.899, |i, v| i.ownership = Ok(v)),
            ("habitual", 2, 0.50, 0.49, |i, v| i.returning = Ok(v)),
            ("retention", 2, 0.40, 0.39, |i, v| i.retention = Ok(v)),
            ("docs", 3, 0.50, 0.49, |i, v| i.docs = Ok(v)),
            ("scorecard-trend", 3, 0.0, -0.01, |i, v| {
                i.scorecard_trend = Ok(v)
            }),
            ("self-service", 3, 0.50, 0.49, |i, v| i.self_service = Ok(v)),
            ("golden-path-new", 4, 0.50, 0.49, |i, v| {
                i.golden_path_new = Ok(v)
            }),
            ("template-reuse", 4, 5.0, 4.0, |i, v| {
                i.template_reuse = Ok(v)
            }),
        ];
        assert_eq!(table.len(), GATES.len(), "every gate is in the table");
        for (id, phase, at, below, set) in table {
            let def = GATES.iter().find(|g| g.id.as_str() == *id).unwrap();
            assert_eq!(def.phase, *phase, "{id}");
            assert_eq!(def.threshold, *at, "{id}");

            let mut input = healthy();
            set(&mut input, *at);
            let v = decide(&input);
            assert_eq!(status(&v, id), GateStatus::Pass, "{id} at its threshold");
            assert_eq!(v.gate_phase, 4, "{id} at its threshold");

            let mut input = healthy();
            set(&mut input, *below);
            let v = decide(&input);
            assert_eq!(status(&v, id), GateStatus::Fail, "{id} below its threshold");
            assert_eq!(v.gate_phase, phase - 1, "{id} below its threshold");
            assert!(
                v.phase.unwrap() < *phase,
                "{id}: phase {:?} must stay below {phase}",
                v.phase
            );
            let g = gate(&v.gates, by_name(id));
            assert!(
                v.blockers.contains(&gate_evidence(g)),
                "{id}: the failed gate blocks the next phase: {:?}",
                v.blockers
            );
        }
    }

    /// n/a counts as a pass for phases 1-2 and as a fail for phases 3-4.
    #[test]
    fn not_applicable_policy() {
        type Set = fn(&mut VerdictInput);
        let table: &[(&str, Set, u8)] = &[
            ("ownership", |i| i.ownership = na("Users and Groups"), 4),
            ("habitual", |i| i.returning = na("git history"), 4),
            ("retention", |i| i.retention = na("usage data"), 4),
            ("docs", |i| i.docs = na("components"), 2),
            (
                "scorecard-trend",
                |i| i.scorecard_trend = na("scorecard history"),
                2,
            ),
            (
                "self-service",
                |i| i.self_service = na("--platform-team"),
                2,
            ),
            (
                "golden-path-new",
                |i| i.golden_path_new = na("git history"),
                3,
            ),
            (
                "template-reuse",
                |i| i.template_reuse = na("git history"),
                3,
            ),
        ];
        for (id, set, expected) in table {
            let mut input = healthy();
            set(&mut input);
            let v = decide(&input);
            let g = gate(&v.gates, by_name(id));
            assert_eq!(g.status, GateStatus::NotApplicable, "{id}");
            assert_eq!(g.value, None, "{id}");
            assert_eq!(g.counts_as_pass(), g.def.phase <= 2, "{id}");
            assert_eq!(v.gate_phase, *expected, "{id}");
            assert_eq!(v.phase, Some(*expected), "{id}");
            if *expected < 4 {
                assert!(
                    v.blockers.iter().any(|b| b.contains("n/a, needs")),
                    "{id}: the missing data is named: {:?}",
                    v.blockers
                );
            }
        }
    }

    /// Only gates that hold the phase back are blockers: an n/a gate of phases 1-2 passes.
    #[test]
    fn passing_not_applicable_gates_are_not_blockers() {
        let mut input = healthy();
        input.docs = Ok(0.1);
        input.retention = na("usage data");
        input.self_service = na("--platform-team GROUP");
        let v = decide(&input);
        assert_eq!(v.phase, Some(2));
        assert_eq!(
            gate(&v.gates, GateId::Retention).status,
            GateStatus::NotApplicable
        );
        assert_eq!(
            v.blockers,
            [
                "docs coverage 10.0 % < 50.0 % (gate P3)",
                "self-service share of catalog commits: n/a, needs --platform-team GROUP (gate P3)"
            ]
        );
    }

    #[test]
    fn users_needed_for_a_band_edge() {
        assert_eq!(users_for(0.25, 20), 5);
        assert_eq!(users_for(0.25, 21), 6);
        assert_eq!(users_for(0.50, 3), 2);
        assert_eq!(users_for(0.25, 0), 0);
    }

    /// The first action follows what holds the phase back: the band gap when adoption is
    /// the limit (with the teams to onboard), a failed gate when the gates are.
    #[test]
    fn the_first_action_changes_with_the_blocker() {
        let team = |name: &str, members: usize| TeamToOnboard {
            team: format!("group:default/{name}"),
            members,
            components: 1,
        };
        // 12 of 100 active: band 1, gates reach phase 4, so the band holds phase 1.
        let mut input = with_usage(Ok(0.12), 12, Confidence::High);
        input.inactive_teams = Some(vec![team("a", 9), team("b", 7), team("c", 5), team("d", 2)]);
        let v = decide(&input);
        assert_eq!((v.band, v.gate_phase, v.phase), (Some(1), 4, Some(1)));
        let first = &v.actions[0];
        assert_eq!(first.id, "reach-band");
        // 25 of 100 needed, 12 active: 13 more.
        let gap = first.gap.as_ref().unwrap();
        assert_eq!((gap.users_needed, gap.target), (13, 0.25));
        assert_eq!(gap.teams.as_ref().unwrap().len(), TEAMS_TO_ONBOARD);
        assert!(
            first
                .text
                .starts_with("+13 active users needed to reach 25.0 %"),
            "{}",
            first.text
        );
        assert!(
            first
                .text
                .contains("group:default/a (9 members, 1 component), group:default/b"),
            "{}",
            first.text
        );
        assert!(!first.text.contains("group:default/d"), "{}", first.text);

        // Adoption 30 %: band 2, ownership fails (gate phase 1): the gate is the blocker.
        let mut input = with_usage(Ok(0.30), 30, Confidence::High);
        input.ownership = Ok(0.5);
        let v = decide(&input);
        assert_eq!((v.band, v.gate_phase, v.phase), (Some(2), 1, Some(1)));
        assert_eq!(v.actions[0].id, "ownership");
        assert!(v.actions.iter().all(|a| a.id != "reach-band"));

        // Band 2 holding phase 2: 50 % is next; aggregated data cannot tell inactive teams.
        let v = decide(&with_usage(Ok(0.30), 30, Confidence::Medium));
        assert_eq!(v.phase, Some(2));
        let first = &v.actions[0];
        assert_eq!(first.id, "reach-band");
        assert_eq!(first.gap.as_ref().unwrap().users_needed, 20);
        assert!(
            first.text.contains("needs event-level usage data"),
            "{}",
            first.text
        );
    }

    /// The first action names the golden-path step the organisation is at, and work of a later
    /// pillar (templates) waits until the step's own work and the diagnostics are listed.
    #[test]
    fn the_first_action_names_the_golden_path_step() {
        let named =
            |v: &Verdict| -> Vec<Option<Pillar>> { v.actions.iter().map(|a| a.step).collect() };
        // Docs (catalog) and templates (workflows) fail: step catalog; templates come last.
        let mut input = healthy();
        input.docs = Ok(0.2);
        input.golden_path_new = Ok(0.1);
        let v = decide(&input);
        assert_eq!(v.step, Pillar::Catalog);
        let ids: Vec<&str> = v.actions.iter().map(|a| a.id).collect();
        // (Before the step's turn, templates make way even for the diagnostics.)
        assert_eq!(ids, ["docs", "add-automation", "measurement-gap"]);
        assert_eq!(named(&v), [Some(Pillar::Catalog), None, None]);
        assert!(
            v.actions[0].text.ends_with(
                "Golden-path step: catalog (catalog → scorecards → workflows): complete the catalog (team owners, docs, systems) before later-phase work such as templates."
            ),
            "{}",
            v.actions[0].text
        );
        assert!(
            v.actions[1..]
                .iter()
                .all(|a| !a.text.contains("Golden-path step"))
        );

        // The catalog is complete, the scorecard trend falls: step scorecards, named first.
        input.docs = Ok(0.7);
        input.scorecard_trend = Ok(-0.05);
        let v = decide(&input);
        assert_eq!(v.step, Pillar::Scorecards);
        assert_eq!(v.actions[0].id, "scorecard");
        assert!(
            v.actions[0].text.contains("Golden-path step: scorecards"),
            "{}",
            v.actions[0].text
        );

        // Only templates fail: step workflows, and the golden-path action leads.
        input.scorecard_trend = Ok(0.01);
        let v = decide(&input);
        assert_eq!(v.step, Pillar::Workflows);
        assert_eq!(v.actions[0].id, "golden-path");
        assert_eq!(v.actions[0].step, Some(Pillar::Workflows));
        assert!(
            v.actions[0].text.contains("Golden-path step: workflows"),
            "{}",
            v.actions[0].text
        );

        // The band holds the phase back: reach-band leads and names the step too.
        let mut input = with_usage(Ok(0.12), 12, Confidence::High);
        input.docs = Ok(0.2);
        let v = decide(&input);
        assert_eq!(v.actions[0].id, "reach-band");
        assert!(
            v.actions[0].text.contains("Golden-path step: catalog"),
            "{}",
            v.actions[0].text
        );
    }

    #[test]
    fn bands_from_the_estimate() {
        for (teams, estimate, expected) in [
            (0, Ok(0.9), Some(0)),
            (1, Ok(0.9), Some(0)),
            (1, na("history"), Some(0)),
            (2, Ok(0.0), Some(1)),
            (2, Ok(0.2499), Some(1)),
            (2, Ok(0.25), Some(2)),
            (2, Ok(0.4999), Some(2)),
            (2, Ok(0.50), Some(3)),
            (2, Ok(0.75), Some(4)),
            (2, Ok(1.0), Some(4)),
            (2, na("history"), None),
        ] {
            assert_eq!(
                band(teams, &estimate, &BAND_EDGES),
                expected,
                "{teams} {estimate:?}"
            );
        }
    }

    #[test]
    fn the_estimate_is_the_lower_proxy_and_the_phase_the_lower_of_band_and_gates() {
        let mut input = healthy();
        input.team_coverage = Ok(1.0);
        input.penetration = Ok(0.3);
        let v = decide(&input);
        assert_eq!(v.estimate, Ok(0.3));
        assert_eq!((v.band, v.gate_phase, v.phase), (Some(2), 4, Some(2)));
        assert_eq!(
            v.blockers,
            ["onboarding estimate 30.0 % is below 50.0 %, where phase 3 starts"]
        );

        input.penetration = na("full git history (fetch-depth: 0)");
        let v = decide(&input);
        assert_eq!((v.band, v.phase, v.chasm), (None, None, None));
        assert!(
            v.blockers[0].starts_with("the phase is unknown"),
            "{:?}",
            v.blockers
        );
    }

    #[test]
    fn chasm_states() {
        for (estimate, expected) in [
            (Ok(0.0), Some(Chasm::Before)),
            (Ok(0.1599), Some(Chasm::Before)),
            (Ok(0.16), Some(Chasm::Crossing)),
            (Ok(0.2499), Some(Chasm::Crossing)),
            (Ok(0.25), Some(Chasm::Crossed)),
            (Ok(0.9), Some(Chasm::Crossed)),
            (na("history"), None),
        ] {
            assert_eq!(
                chasm(&estimate, &Thresholds::default()),
                expected,
                "{estimate:?}"
            );
        }
        let mut input = healthy();
        input.penetration = Ok(0.10);
        assert_eq!(decide(&input).chasm, Some(Chasm::Before));
        input.penetration = Ok(0.20);
        let v = decide(&input);
        assert_eq!((v.chasm, v.band), (Some(Chasm::Crossing), Some(1)));
    }

    #[test]
    fn phase_zero_below_two_teams() {
        let mut input = healthy();
        input.teams_owning = 1;
        let v = decide(&input);
        assert_eq!((v.band, v.gate_phase, v.phase), (Some(0), 0, Some(0)));
        assert_eq!(v.actions[0].id, "onboard-teams");
        assert_eq!(
            v.actions[0].evidence,
            "teams owning components 1 < 2 (gate P1)"
        );
        assert_eq!(
            v.blockers[0],
            "1 team(s) own components; phase 1 starts when at least 2 do"
        );
    }

    #[test]
    fn golden_path_step() {
        let mut input = healthy();
        assert_eq!(decide(&input).step, Pillar::Workflows);
        input.golden_path_new = Ok(0.1);
        assert_eq!(decide(&input).step, Pillar::Workflows);
        input.scorecard_trend = na("scorecard history");
        assert_eq!(decide(&input).step, Pillar::Scorecards);
        input.docs = Ok(0.1);
        assert_eq!(decide(&input).step, Pillar::Catalog);
        // Catalog and workflows both fail: a large organisation starts with templates.
        input.eligible = Some(1001);
        assert_eq!(decide(&input).step, Pillar::Workflows);
        input.eligible = Some(1000);
        assert_eq!(decide(&input).step, Pillar::Catalog);
    }

    #[test]
    fn archetypes() {
        for (visibility, automation, expected) in [
            (Some(0.80), Some(0.65), Some(Archetype::VisibilityFirst)),
            (Some(0.80), Some(0.66), Some(Archetype::Balanced)),
            (Some(0.50), Some(0.65), Some(Archetype::AutomationFirst)),
            (Some(0.50), Some(0.64), Some(Archetype::Balanced)),
            (None, Some(0.5), None),
            (Some(0.5), None, None),
        ] {
            assert_eq!(
                archetype(visibility, automation),
                expected,
                "{visibility:?} {automation:?}"
            );
        }
        let mut input = healthy();
        input.api_coverage = na("service components");
        let (v, _, _) = archetype_scores(&input);
        assert!((v.unwrap() - (0.95 + 0.7) / 2.0).abs() < 1e-12);
    }

    /// With current event-level usage the archetype reads what people use, not what was built.
    #[test]
    fn the_archetype_comes_from_usage_when_there_is_usage() {
        // The catalog says balanced (visibility 75 %, automation 70 %).
        let mut input = with_usage(Ok(0.8), 80, Confidence::High);
        let v = decide(&input);
        assert_eq!(
            (v.archetype, v.archetype_source),
            (Some(Archetype::Balanced), ArchetypeSource::Catalog)
        );
        // Usage: 90 % of active users browse the catalog, 20 % use the scaffolder.
        input.usage.as_mut().unwrap().pillars = Some((0.9, 0.2));
        let v = decide(&input);
        assert_eq!(
            (v.archetype, v.archetype_source),
            (Some(Archetype::VisibilityFirst), ArchetypeSource::Usage)
        );
        assert_eq!((v.visibility, v.automation), (Some(0.9), Some(0.2)));
        assert!(v.actions.iter().any(|a| a.id == "add-automation"));
        input.usage.as_mut().unwrap().pillars = Some((0.3, 0.6));
        assert_eq!(decide(&input).archetype, Some(Archetype::AutomationFirst));
    }

    /// `.callboard.yaml` names the gates by id (config.rs keeps the list): every gate, and
    /// the habit gate with usage data, can be set, and nothing else.
    #[test]
    fn configurable_gates_are_the_gates() {
        let mut ids: Vec<&str> = GATES
            .iter()
            .chain(std::iter::once(&HABITUAL_USAGE))
            .map(Thresholds::key)
            .collect();
        let mut keys: Vec<&str> = crate::config::ADOPTION_GATES.iter().map(|g| g.0).collect();
        ids.sort_unstable();
        keys.sort_unstable();
        assert_eq!(ids, keys);
    }

    /// Configured thresholds move the bands, the chasm and the gates; the rest keep defaults.
    #[test]
    fn configured_thresholds_apply() {
        let mut input = healthy();
        // Estimate 80 %: band 4 by default.
        assert_eq!(decide(&input).band, Some(4));
        input.thresholds = Thresholds::from_config(&crate::config::AdoptionConfig {
            bands: Some([0.3, 0.6, 0.9]),
            chasm: Some(0.2),
            gates: [("ownership".to_string(), 0.99)].into_iter().collect(),
            ..Default::default()
        });
        let v = decide(&input);
        assert_eq!(v.band, Some(3));
        // Ownership 95 % now fails its 99 % gate: phase 1.
        let g = gate(&v.gates, GateId::Ownership);
        assert_eq!((g.threshold, g.status), (0.99, GateStatus::Fail));
        assert_eq!(gate(&v.gates, GateId::Docs).threshold, 0.50);
        assert_eq!(v.phase, Some(1));
        assert!(v.thresholds.configured);
        assert_eq!(chasm(&Ok(0.19), &v.thresholds), Some(Chasm::Before));
        assert_eq!(chasm(&Ok(0.25), &v.thresholds), Some(Chasm::Crossing));
        // The habit gate with usage data has its own key.
        let mut input = with_usage(Ok(0.8), 80, Confidence::High);
        input.thresholds.gates.insert("habitual-usage".into(), 0.5);
        let v = decide(&input);
        let g = gate(&v.gates, GateId::Habitual);
        assert_eq!((g.threshold, g.status), (0.5, GateStatus::Fail));
    }

    #[test]
    fn platform_first_warning() {
        let mut input = healthy();
        input.penetration = Ok(0.1);
        input.self_service = Ok(0.2);
        input.docs = Ok(0.6);
        let v = decide(&input);
        assert!(v.platform_first);
        assert!(
            v.actions.iter().any(|a| a.id == "platform-first"),
            "{:?}",
            v.actions
        );
        input.self_service = na("--platform-team");
        assert!(!decide(&input).platform_first);
    }

    #[test]
    fn actions_are_ordered_by_gate_phase_then_pillar_and_capped_at_three() {
        let mut input = healthy();
        input.ownership = Ok(0.5);
        input.docs = Ok(0.2);
        input.self_service = Ok(0.1);
        input.golden_path_new = Ok(0.0);
        let v = decide(&input);
        let ids: Vec<&str> = v.actions.iter().map(|a| a.id).collect();
        assert_eq!(ids, ["ownership", "docs", "self-service"]);
        assert_eq!(
            v.actions[0].evidence,
            "ownership coverage 50.0 % < 90.0 % (gate P2)"
        );
        assert!(
            v.actions[0].text.contains("the 1 entity without"),
            "{}",
            v.actions[0].text
        );
        // Before the chasm, a failing habit gate asks for daily utility first among phase 2.
        input.penetration = Ok(0.05);
        input.returning = Ok(0.1);
        let ids: Vec<&str> = decide(&input).actions.iter().map(|a| a.id).collect();
        assert_eq!(ids, ["ownership", "daily-utility", "docs"]);
    }

    #[test]
    fn a_git_only_report_never_claims_phase_three() {
        // Everything measured passes, but the scorecard trend and usage gates cannot be evaluated.
        let mut input = healthy();
        input.scorecard_trend = na("scorecard history");
        input.retention = na("usage data");
        let v = decide(&input);
        assert_eq!(v.phase, Some(2));
        assert_eq!(v.confidence, Confidence::Low);
    }

    fn with_usage(adoption: Measure, mau: usize, confidence: Confidence) -> VerdictInput {
        let mut input = healthy();
        input.usage = Some(UsageAdoption {
            adoption,
            mau,
            confidence,
            habitual: Ok(0.3),
            pillars: None,
        });
        input
    }

    /// With usage data: adoption sets the band, the habit gate reads the habitual share
    /// (>= 10 % of U), confidence comes from the data, and MAU = 0 is phase 0.
    #[test]
    fn usage_gates_and_bands() {
        type Case = (
            Measure,
            usize,
            Measure,
            Measure,
            Option<u8>,
            Option<u8>,
            &'static str,
        );
        // (adoption, MAU, habitual, retention, band, phase, habitual status)
        let table: &[Case] = &[
            (Ok(0.80), 80, Ok(0.30), Ok(0.5), Some(4), Some(4), "pass"),
            (Ok(0.60), 60, Ok(0.10), Ok(0.4), Some(3), Some(3), "pass"),
            (Ok(0.60), 60, Ok(0.099), Ok(0.4), Some(3), Some(1), "fail"),
            (Ok(0.60), 60, Ok(0.30), Ok(0.39), Some(3), Some(1), "pass"),
            (
                Ok(0.30),
                30,
                Ok(0.30),
                na("usage events before the window"),
                Some(2),
                Some(2),
                "pass",
            ),
            (Ok(0.10), 10, Ok(0.05), Ok(0.5), Some(1), Some(1), "fail"),
            (
                Ok(0.0),
                0,
                Ok(0.0),
                na("usage events"),
                Some(0),
                Some(0),
                "fail",
            ),
            (
                na("eligible developers"),
                5,
                Ok(0.3),
                Ok(0.5),
                None,
                None,
                "pass",
            ),
        ];
        for (i, (adoption, mau, habitual, retention, band, phase, habit)) in
            table.iter().enumerate()
        {
            let mut input = with_usage(adoption.clone(), *mau, Confidence::High);
            input.usage.as_mut().unwrap().habitual = habitual.clone();
            input.retention = retention.clone();
            let v = decide(&input);
            assert_eq!((v.band, v.phase), (*band, *phase), "case {i}");
            let g = gate(&v.gates, GateId::Habitual);
            assert_eq!(g.def.threshold, 0.10, "case {i}");
            assert_eq!(g.status.as_str(), *habit, "case {i}");
            assert_eq!(v.adoption, adoption.as_ref().ok().copied(), "case {i}");
            assert_eq!(v.confidence, Confidence::High, "case {i}");
            assert!(
                v.actions.iter().all(|a| a.id != "measurement-gap"),
                "case {i}"
            );
        }
        let v = decide(&with_usage(Ok(0.0), 0, Confidence::Medium));
        assert_eq!(v.confidence, Confidence::Medium);
        assert!(v.blockers[0].contains("no active user"), "{:?}", v.blockers);
        // Without usage, the habit gate is the git proxy at 50 %.
        let v = decide(&healthy());
        assert_eq!(gate(&v.gates, GateId::Habitual).def.threshold, 0.50);
    }

    /// The scorecard trend gate: a falling pass rate fails phase 3, a flat one passes.
    #[test]
    fn scorecard_trend_gate() {
        for (delta, status, gate_phase) in [
            (Ok(0.0), GateStatus::Pass, 4),
            (Ok(0.05), GateStatus::Pass, 4),
            (Ok(-0.001), GateStatus::Fail, 2),
            (na("history"), GateStatus::NotApplicable, 2),
        ] {
            let mut input = with_usage(Ok(0.9), 90, Confidence::High);
            input.scorecard_trend = delta.clone();
            let v = decide(&input);
            assert_eq!(
                gate(&v.gates, by_name("scorecard-trend")).status,
                status,
                "{delta:?}"
            );
            assert_eq!(v.gate_phase, gate_phase, "{delta:?}");
        }
    }
}
