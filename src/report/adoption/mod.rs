//! Renderers for `callboard adoption report`: table, json, markdown. Shared wording lives here so
//! the formats say the same thing.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod table;

use crate::adoption::coverage::{GAPS_SHOWN, USAGE_LAG_DAYS, UsageSource};
use crate::adoption::teams::TeamRow;
use crate::adoption::verdict::{GateResult, PHASE_NAMES, format_value};
use crate::adoption::{Metric, Report, Series, SnapshotSource, Unit, metric_id};
use crate::dates::{self, SECONDS_PER_DAY};

/// `–` for an unknown value.
pub fn value_text(unit: Unit, value: Option<f64>) -> String {
    value.map_or("–".to_string(), |v| format_value(unit, v))
}

pub fn metric_text(m: &Metric) -> String {
    value_text(m.unit, m.value)
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// "as of 2025-03-10 · HEAD 1a2b3c4d5e6f · 12-month window · 4 eligible (catalog Users)".
pub fn header(r: &Report) -> String {
    let mut parts = vec![match &r.as_of {
        Some(d) => format!("as of {d}"),
        None => "as of: unknown (no git history; pass --as-of)".to_string(),
    }];
    if let Some(h) = &r.inputs.head {
        parts.push(format!("HEAD {}", short(h)));
    }
    if let SnapshotSource::Commit(c) = &r.inputs.snapshot {
        parts.push(format!("snapshot at commit {}", short(c)));
    }
    parts.push(format!("{}-month window", r.inputs.window_months));
    parts.push(format!(
        "{} eligible developers ({})",
        r.inputs.eligible,
        match (r.inputs.eligible_source, &r.inputs.population) {
            (_, Some(filter)) => format!("--eligible {filter}"),
            ("catalog-users", None) => "catalog Users".to_string(),
            _ => "eligible_users of the usage data".to_string(),
        }
    ));
    parts.push(
        if r.inputs.usage {
            "usage data"
        } else {
            "no usage data"
        }
        .to_string(),
    );
    if r.inputs.shallow {
        parts.push("shallow clone".into());
    }
    parts.join(" · ")
}

/// "Phase 1: Early adopters (estimate, confidence low)".
pub fn phase_line(r: &Report) -> String {
    let v = &r.verdict;
    let what = format!(
        "{}confidence {}",
        if r.inputs.usage { "" } else { "estimate, " },
        v.confidence.as_str()
    );
    match v.phase {
        Some(p) => format!("Phase {p}: {} ({what})", PHASE_NAMES[usize::from(p)]),
        None => format!(
            "Phase unknown: at most {} by its gates ({what})",
            v.gate_phase
        ),
    }
}

/// Why the usage data cannot be fully trusted (it stops before the as-of date, or has gaps),
/// with what to do about it; None when it reaches the as-of date without holes.
pub fn usage_warning(r: &Report) -> Option<String> {
    let c = &r.usage.as_ref()?.coverage;
    if c.trusted() {
        return None;
    }
    let day = |d: i64| dates::format(d * SECONDS_PER_DAY);
    let mut parts = Vec::new();
    match (c.first_day, c.last_day, c.lag_days) {
        (Some(first), Some(last), Some(lag)) if c.stale() => parts.push(format!(
            "the usage data covers {} to {}, {lag} days before the as-of date (more than {USAGE_LAG_DAYS}): its recent measures are unknown; rerun with --as-of {}",
            day(first),
            day(last),
            day(last)
        )),
        (None, _, _) | (_, None, _) | (_, _, None) => parts.push(format!(
            "no usage row falls inside the report window ({} row(s) outside it): usage measures are unknown",
            c.outside_window
        )),
        _ => {}
    }
    if !c.gaps.is_empty() {
        let shown: Vec<&str> = c.gaps.iter().take(GAPS_SHOWN).map(String::as_str).collect();
        let more = c.gaps.len() - shown.len();
        parts.push(format!(
            "the usage data has {} gap(s) without data: {}{}",
            c.gaps.len(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    parts.push("confidence lowered to low".to_string());
    Some(parts.join("; "))
}

/// "event-level usage data, 4.0 % of active users unresolved" or "aggregated usage data": the
/// source as read, not guessed from which metrics are known.
fn usage_source_text(r: &Report) -> String {
    let Some(u) = &r.usage else {
        return "no usage data".to_string();
    };
    let source = format!("{} usage data", u.coverage.source.as_str());
    match (
        u.coverage.source,
        r.metric(metric_id::USAGE_IDENTITY_UNRESOLVED),
    ) {
        (UsageSource::EventLevel, Some(x)) => format!(
            "{source}, {} of active users unresolved",
            format_value(Unit::Share, x)
        ),
        _ => source,
    }
}

/// How the band was reached.
pub fn estimate_line(r: &Report) -> String {
    let v = &r.verdict;
    if r.inputs.usage {
        return match (&v.estimate, r.metric(metric_id::USAGE_ACTIVE_USERS)) {
            (Ok(a), Some(mau)) => format!(
                "adoption A {} = {} active users in the last 28 days ÷ {} eligible developers ({})",
                format_value(Unit::Share, *a),
                mau.round() as i64,
                r.inputs.eligible,
                usage_source_text(r)
            ),
            (Err(why), _) => format!("adoption unknown: needs {why}"),
            (Ok(a), None) => format!("adoption A {}", format_value(Unit::Share, *a)),
        };
    }
    let pct = |id: &str| value_text(Unit::Share, r.metric(id));
    let inputs = format!(
        "min(team coverage {}, contributor penetration {})",
        pct(metric_id::CATALOG_TEAM_COVERAGE),
        pct(metric_id::PEOPLE_PENETRATION)
    );
    match &v.estimate {
        Ok(a) => format!(
            "onboarding estimate {} = {inputs}; without usage data this measures catalog onboarding, not use of the portal",
            format_value(Unit::Share, *a)
        ),
        Err(why) => format!("onboarding estimate unknown: needs {why}"),
    }
}

/// "band 3 · gates reach phase 1 · chasm crossed · step catalog · archetype balanced".
pub fn facts_line(r: &Report) -> String {
    let v = &r.verdict;
    let or_unknown = |s: Option<&str>| s.unwrap_or("unknown").to_string();
    format!(
        "band {} · gates reach phase {} · chasm: {} · golden-path step: {} · archetype: {}",
        v.band.map_or("unknown".to_string(), |b| b.to_string()),
        v.gate_phase,
        or_unknown(v.chasm.map(|c| c.as_str())),
        v.step.as_str(),
        match v.archetype {
            Some(a) => format!("{} (from {})", a.as_str(), v.archetype_source.as_str()),
            None => "unknown".to_string(),
        },
    )
}

/// A change in the metric's unit: `+3`, `-1.5 pp`, `+2.0 h`, `0`; `–` when unknown.
pub fn delta_text(unit: Unit, delta: Option<f64>) -> String {
    let Some(d) = delta else {
        return "–".to_string();
    };
    let zero = match unit {
        Unit::Count => d.round() == 0.0,
        Unit::Share | Unit::Points => (d * 1000.0).round() == 0.0,
        Unit::Hours => (d * 10.0).round() == 0.0,
    };
    if zero {
        return "0".to_string();
    }
    match unit {
        Unit::Count => format!("{:+}", d.round() as i64),
        Unit::Share | Unit::Points => format!("{:+.1} pp", d * 100.0),
        Unit::Hours => format!("{d:+.1} h"),
    }
}

/// With `--compare`: "compared with main~3 (commit 1a2b3c4d5e6f, as of 2025-02-01): phase 1 → 2 ·
/// band 1 → 2 · adoption – → 30.0 %".
pub fn compare_line(r: &Report) -> Option<String> {
    let c = r.compare.as_ref()?;
    let v = &r.verdict;
    let opt = |x: Option<u8>| x.map_or("unknown".to_string(), |p| p.to_string());
    Some(format!(
        "compared with {} (commit {}, as of {}): phase {} → {} · band {} → {} · adoption {} → {} · confidence {} → {}",
        c.rev,
        short(&c.commit),
        c.as_of.as_deref().unwrap_or("unknown"),
        opt(c.phase),
        opt(v.phase),
        opt(c.band),
        opt(v.band),
        value_text(Unit::Share, c.adoption),
        value_text(Unit::Share, v.adoption),
        c.confidence.as_str(),
        v.confidence.as_str(),
    ))
}

/// A metric table row: id, value, and with `--compare` the value at REV and the change.
pub type MetricRow = (String, String, Option<(String, String)>);

/// The metric rows of a section: id, value now and, with `--compare`, the value at REV and the
/// change. Metrics that only the report at REV has are listed too (their value now is `–`).
pub fn metric_rows(r: &Report, prefix: &str) -> Vec<MetricRow> {
    match &r.compare {
        None => r
            .metrics
            .iter()
            .filter(|m| m.id.starts_with(prefix))
            .map(|m| (m.id.clone(), metric_text(m), None))
            .collect(),
        Some(c) => c
            .metrics
            .iter()
            .filter(|d| d.id.starts_with(prefix))
            .map(|d| {
                (
                    d.id.clone(),
                    value_text(d.unit, r.metric(&d.id)),
                    Some((value_text(d.unit, d.base), delta_text(d.unit, d.delta))),
                )
            })
            .collect(),
    }
}

/// Column heads of the metric tables.
pub fn metric_head(r: &Report, meaning: &'static str) -> Vec<String> {
    let mut head = vec!["metric".to_string(), "value".to_string()];
    if let Some(c) = &r.compare {
        head.push(format!("at {}", c.rev));
        head.push("change".to_string());
    }
    head.push(meaning.to_string());
    head
}

pub fn gate_value(g: &GateResult) -> String {
    value_text(g.def.unit, g.value)
}

pub fn gate_status(g: &GateResult) -> String {
    let s = g.status.as_str();
    match (&g.need, g.counts_as_pass()) {
        (Some(_), true) => format!("{s} (counts as pass)"),
        (Some(_), false) => format!("{s} (counts as fail)"),
        _ => s.to_string(),
    }
}

/// Sections of the metric tables, in report order: (title, id prefix).
pub const SECTIONS: &[(&str, &str)] = &[
    ("Catalog", "catalog."),
    ("Scorecards (embedded catalog-readiness)", "scorecard."),
    ("Workflows", "workflows."),
    ("People (catalog commits, last 90 days)", "people."),
    ("Usage (portal usage data)", "usage."),
    ("Adoption", "adoption."),
];

/// What a metric means, in a few words.
pub fn describe(id: &str) -> String {
    if let Some(kind) = id.strip_prefix("catalog.entities.") {
        return format!("{kind} entities");
    }
    if let Some(level) = id.strip_prefix("scorecard.level.") {
        return format!("components at level {level}");
    }
    if let Some(fact) = id.strip_prefix("catalog.metadata.") {
        let article = if fact == "tags" { "" } else { "a " };
        return format!("owned entities with {article}{fact}");
    }
    let text = match id {
        metric_id::CATALOG_ENTITIES => "entities (distinct references)",
        metric_id::CATALOG_OWNERSHIP => {
            "owned entities whose owner is a Group or User in the catalog"
        }
        metric_id::CATALOG_OWNERSHIP_UNOWNED => "owned entities without spec.owner",
        metric_id::CATALOG_OWNERSHIP_DANGLING => {
            "owned entities whose owner is not a Group or User in the catalog"
        }
        metric_id::CATALOG_OWNERSHIP_UNVERIFIABLE => {
            "owners that cannot be checked (no Groups or Users)"
        }
        metric_id::CATALOG_TEAM_OWNED => "owned entities owned by a Group",
        metric_id::CATALOG_TEAMS => "teams (Groups of spec.type team)",
        metric_id::CATALOG_TEAMS_OWNING => "teams owning at least one Component",
        metric_id::CATALOG_TEAM_COVERAGE => "teams owning at least one Component, of all teams",
        metric_id::CATALOG_DOCS => "Components with TechDocs",
        metric_id::CATALOG_API_COVERAGE => "service Components providing an API of the catalog",
        metric_id::CATALOG_STRUCTURE => "Components in a System of the catalog",
        metric_id::CATALOG_HEALTH => "entities without validation errors",
        metric_id::CATALOG_HEALTH_ENTITIES_WITH_ERRORS => "entities with validation errors",
        metric_id::SCORECARD_PASS_RATE => "rule results that pass, all rules",
        metric_id::SCORECARD_PASS_RATE_CHANGE => {
            "change of the pass rate over three month ends (history rules)"
        }
        "workflows.golden_path" => "Components created from a template",
        "workflows.golden_path_new" => "… of the Components added in the last 90 days",
        "workflows.new_components" => "Components added in the last 90 days",
        "workflows.top_template_uses" => "Components from the most used template, last 90 days",
        "workflows.time_saved_est" => "estimated time saved by templates in the window",
        metric_id::PEOPLE_CATALOG_COMMITS => "catalog commits by people",
        metric_id::PEOPLE_CONTRIBUTORS => "catalog contributors",
        metric_id::PEOPLE_CONTRIBUTORS_NEW => "… whose first catalog commit is in the last 90 days",
        metric_id::PEOPLE_CONTRIBUTORS_RETURNING => "… who contributed before",
        metric_id::PEOPLE_RETURNING => "returning share of contributors",
        metric_id::PEOPLE_PENETRATION => "contributors per eligible developer",
        metric_id::PEOPLE_IDENTITY_UNRESOLVED => "commits whose author matches no catalog User",
        metric_id::PEOPLE_SELF_SERVICE => "commits by people outside the platform team",
        "adoption.estimate" => "onboarding estimate: min(team coverage, penetration)",
        "adoption.A" => "adoption: active users (28 days) per eligible developer",
        metric_id::USAGE_EVENTS => "usage events read (up to the as-of date, bots left out)",
        metric_id::USAGE_ACTIVE_USERS => "active users in the last 28 days",
        metric_id::USAGE_MAU => "active users in the last 28 days per eligible developer",
        metric_id::USAGE_WAU => "active users in the last 7 days per eligible developer",
        metric_id::USAGE_DAU => "mean daily active users on working days per eligible developer",
        metric_id::USAGE_STICKINESS => "mean working-day DAU ÷ 28-day active users",
        metric_id::USAGE_HABITUAL => {
            "users active in 3 of the last 4 ISO weeks per eligible developer"
        }
        metric_id::USAGE_RETENTION => "active 29–56 days ago and in the last 28 days",
        metric_id::USAGE_USERS_NEW => "active users whose first event is in the last 28 days",
        metric_id::USAGE_USERS_RETURNING => "active users seen before the last 28 days",
        metric_id::USAGE_PILLAR_VISIBILITY => {
            "active users of catalog, TechDocs, search or API docs"
        }
        metric_id::USAGE_PILLAR_AUTOMATION => "active users of the scaffolder (create)",
        metric_id::USAGE_TEAM_COVERAGE => "teams with an active member",
        metric_id::USAGE_IDENTITY_UNRESOLVED => "active users matching no catalog User",
        metric_id::USAGE_TIME_SAVED => "time saved by create events in the window (value, minutes)",
        other => {
            return other
                .strip_prefix("scorecard.")
                .map_or(String::new(), |rule| {
                    format!("components passing rule {rule}")
                });
        }
    };
    text.to_string()
}

/// The usage funnel as table rows: step, users, share of eligible.
pub fn funnel_rows(r: &Report) -> Vec<Vec<String>> {
    let Some(u) = &r.usage else {
        return Vec::new();
    };
    let eligible = u.funnel.first().map_or(0, |s| s.count);
    u.funnel
        .iter()
        .map(|s| {
            vec![
                s.label.to_string(),
                s.count.to_string(),
                value_text(
                    Unit::Share,
                    (eligible > 0).then(|| s.count as f64 / eligible as f64),
                ),
            ]
        })
        .collect()
}

/// Columns of the trend table: (series id, header).
pub const TREND_COLUMNS: &[(&str, &str)] = &[
    (metric_id::USAGE_MAU, "MAU"),
    (metric_id::CATALOG_ENTITIES, "entities"),
    ("catalog.entities.component", "components"),
    (metric_id::CATALOG_OWNERSHIP, "ownership"),
    (metric_id::CATALOG_TEAM_COVERAGE, "team coverage"),
    (metric_id::CATALOG_DOCS, "docs"),
    ("workflows.golden_path", "golden path"),
    (metric_id::PEOPLE_CONTRIBUTORS, "contributors"),
    (metric_id::PEOPLE_CONTRIBUTORS_NEW, "new"),
    (metric_id::PEOPLE_CONTRIBUTORS_RETURNING, "returning"),
    (metric_id::SCORECARD_PASS_RATE, "scorecard"),
];

/// The trend table: periods (rows) × TREND_COLUMNS; empty without series.
pub fn trend_rows(r: &Report) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let columns: Vec<(&Series, &str)> = TREND_COLUMNS
        .iter()
        .filter_map(|(id, header)| Some((r.series(id)?, *header)))
        .collect();
    let mut periods: Vec<&str> = r
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|(p, _)| p.as_str()))
        .collect();
    periods.sort();
    periods.dedup();
    let mut header = vec!["month"];
    header.extend(columns.iter().map(|(_, h)| *h));
    let rows = periods
        .iter()
        .map(|p| {
            let mut row = vec![p.to_string()];
            for (s, _) in &columns {
                row.push(value_text(
                    s.unit,
                    s.points.iter().find(|(q, _)| q == p).map(|(_, v)| *v),
                ));
            }
            row
        })
        .collect();
    (header, rows)
}

/// Column heads of the per-team table (the cells of [`team_cells`]).
pub const TEAM_HEAD: &[&str] = &[
    "team",
    "status",
    "members",
    "active (28 d)",
    "adoption",
    "components",
    "documented",
    "in a system",
    "scorecard levels",
    "templates used",
    "catalog edits (90 d)",
];

/// One team's cells: the text and, for sorting, the number behind it (None: text order).
pub fn team_cells(row: &TeamRow) -> Vec<(String, Option<f64>)> {
    let count = |n: Option<usize>| {
        (
            n.map_or("–".to_string(), |n| n.to_string()),
            n.map(|n| n as f64),
        )
    };
    let part = |n: usize| {
        let s = (row.components > 0).then(|| n as f64 / row.components as f64);
        (
            format!("{n} ({})", value_text(Unit::Share, s)),
            Some(n as f64),
        )
    };
    let levels = match &row.levels {
        None => "n/a".to_string(),
        // Levels that hold Components (the JSON keeps every level).
        Some(l) if l.iter().all(|(_, n)| *n == 0) => "–".to_string(),
        Some(l) => l
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(" · "),
    };
    vec![
        (
            if row.group {
                row.team.clone()
            } else {
                format!("{} (not a Group)", row.team)
            },
            None,
        ),
        (team_status(row).to_string(), None),
        count(Some(row.members)),
        count(row.active),
        (value_text(Unit::Share, row.adoption), row.adoption),
        count(Some(row.components)),
        part(row.documented),
        part(row.in_system),
        (levels, None),
        count(Some(row.templates_used)),
        count(row.edits),
    ]
}

/// `champion`, `inactive`, `–`, or `unknown` without event-level usage data.
pub fn team_status(row: &TeamRow) -> &'static str {
    match (row.champion, row.inactive) {
        (Some(true), _) => "champion",
        (_, Some(true)) => "inactive",
        (Some(false), _) | (_, Some(false)) => "–",
        (None, None) if row.active.is_some() => "–",
        (None, None) => "unknown",
    }
}

/// What the team section counts: the teams, the population and the two marks.
pub fn team_intro(r: &Report) -> String {
    let t = &r.teams;
    format!(
        "{} team(s){}: owners rolled up as `score --group-by owner` does, and Groups of spec.type team; population: {}; champion: at least {} of at least {} members active in the last 28 days; inactive: no member active in the last 28 days{}",
        t.rows.len(),
        t.filter
            .as_ref()
            .map_or(String::new(), |f| format!(" chosen by --teams {f}")),
        match &r.inputs.population {
            Some(f) => format!("the {} Users of --eligible {f}", r.inputs.eligible),
            None => "every catalog User".to_string(),
        },
        format_value(Unit::Share, t.thresholds.champion_adoption),
        t.thresholds.champion_min_members,
        if r.usage.as_ref().is_some_and(|u| u.event_level) {
            ""
        } else {
            " (both need event-level usage data: unknown here)"
        }
    )
}

/// "thresholds (defaults): bands 25.0 % / 50.0 % / 75.0 % · chasm 16.0 % · champion …".
pub fn thresholds_line(r: &Report) -> String {
    let t = &r.verdict.thresholds;
    let pct = |v: f64| format_value(Unit::Share, v);
    format!(
        "thresholds ({}): bands {} / {} / {} · chasm {} · champion team at least {} of at least {} members active · gate thresholds in the gate table",
        if t.configured {
            "from .callboard.yaml adoption:, defaults elsewhere"
        } else {
            "defaults; set them under adoption: in .callboard.yaml"
        },
        pct(t.bands[0]),
        pct(t.bands[1]),
        pct(t.bands[2]),
        pct(t.chasm),
        pct(t.teams.champion_adoption),
        t.teams.champion_min_members
    )
}

#[cfg(test)]
mod team_tests {
    use super::*;

    #[test]
    fn every_team_column_has_a_head() {
        let row = TeamRow {
            team: "group:default/a".into(),
            group: true,
            members: 2,
            active: Some(0),
            adoption: Some(0.0),
            components: 1,
            documented: 1,
            in_system: 0,
            levels: Some(vec![("none".into(), 0), ("bronze".into(), 1)]),
            templates_used: 0,
            edits: None,
            edits_monthly: Vec::new(),
            inactive: Some(true),
            champion: Some(false),
        };
        let cells = team_cells(&row);
        assert_eq!(cells.len(), TEAM_HEAD.len());
        let text: Vec<&str> = cells.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(
            text,
            [
                "group:default/a",
                "inactive",
                "2",
                "0",
                "0.0 %",
                "1",
                "1 (100.0 %)",
                "0 (0.0 %)",
                "bronze 1",
                "0",
                "–"
            ]
        );
    }
}
