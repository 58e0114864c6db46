//! `--format json`: the versioned contract (version 1), also the `--baseline` input.
//! Serialised straight from borrowed structs: a 10k-entity report is tens of megabytes.

use serde::Serialize;

use serde_json::Value;

use super::{GroupBy, level_name};
use crate::score::Report;
use crate::score::eval::{Evidence, Status};

pub const VERSION: u32 = 1;

/// Characters of a string the evidence or a message shows before it is cut with `…`: the JSON
/// report carries what a rule saw, never whole file contents or API definitions.
pub const EVIDENCE_MAX_CHARS: usize = 200;
/// Characters of a rule message before it is cut with `…`.
pub const MESSAGE_MAX_CHARS: usize = 1_000;
/// Items of an evidence array or object shown before the rest is counted.
pub const EVIDENCE_MAX_ITEMS: usize = 20;
/// Nesting of an evidence value shown before deeper values are replaced by `…`.
pub const EVIDENCE_MAX_DEPTH: usize = 4;

/// `text` cut to `max` characters with `…`.
pub fn cut_chars(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

/// An evidence value within the caps above.
fn bounded(value: &Value, depth: usize) -> Value {
    let more = |n: usize| Value::String(format!("… {n} more"));
    match value {
        _ if depth >= EVIDENCE_MAX_DEPTH && (value.is_array() || value.is_object()) => {
            Value::String("…".into())
        }
        Value::String(s) => Value::String(cut_chars(s, EVIDENCE_MAX_CHARS).into_owned()),
        Value::Array(items) => {
            let mut out: Vec<Value> = items
                .iter()
                .take(EVIDENCE_MAX_ITEMS)
                .map(|v| bounded(v, depth + 1))
                .collect();
            if items.len() > EVIDENCE_MAX_ITEMS {
                out.push(more(items.len() - EVIDENCE_MAX_ITEMS));
            }
            Value::Array(out)
        }
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> = map
                .iter()
                .take(EVIDENCE_MAX_ITEMS)
                .map(|(k, v)| {
                    (
                        cut_chars(k, EVIDENCE_MAX_CHARS).into_owned(),
                        bounded(v, depth + 1),
                    )
                })
                .collect();
            if map.len() > EVIDENCE_MAX_ITEMS {
                out.insert("…".into(), more(map.len() - EVIDENCE_MAX_ITEMS));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn bounded_evidence(e: &Evidence) -> Evidence {
    Evidence {
        fact: cut_chars(&e.fact, EVIDENCE_MAX_CHARS).into_owned(),
        actual: bounded(&e.actual, 0),
        expected: bounded(&e.expected, 0),
        expectation: e.expectation.clone(),
        source: e.source.clone(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Output<'a> {
    version: u32,
    generated_at: Option<&'a str>,
    scorecards: Vec<Card<'a>>,
    gate: Gate<'a>,
    notes: &'a [String],
    /// Problems of the waivers file (`waiver-unmatched`, `waiver-expiry-too-far`).
    findings: Vec<Finding<'a>>,
    /// With `--base` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    comparison: Option<&'a crate::score::delta::Comparison>,
    /// With `--group-by`: the roll-up per scorecard.
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Groups>,
    /// With `--history` only (`super::history::json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<Value>,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'static str,
    severity: crate::diag::Severity,
    message: &'a str,
    file: Option<String>,
    line: u32,
    column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Groups {
    by: &'static str,
    scorecards: Vec<CardGroups>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CardGroups {
    id: String,
    groups: Vec<GroupOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GroupOut {
    key: String,
    entities: usize,
    /// Entities per level name, "none" first.
    levels: serde_json::Map<String, Value>,
    /// Entities per tier name, highest first, "none" last (with `spec.tiers` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    tiers: Option<serde_json::Map<String, Value>>,
    /// Failing entities per rule id, most first.
    failing_rules: serde_json::Map<String, Value>,
}

#[derive(Serialize)]
struct Gate<'a> {
    passed: bool,
    reasons: &'a [String],
}

#[derive(Serialize)]
struct Card<'a> {
    id: &'a str,
    title: &'a str,
    levels: &'a [String],
    /// `spec.tiers`, highest first (only when the scorecard has tiers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tiers: Vec<TierOut<'a>>,
    entities: Vec<Entity<'a>>,
    /// `spec.campaigns` with their progress (only when the scorecard has campaigns).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    campaigns: Vec<CampaignOut<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CampaignOut<'a> {
    id: &'a str,
    title: &'a str,
    rules: &'a [String],
    owner: String,
    deadline: &'a str,
    /// Whole days from `--now` to the deadline (negative once past).
    days_left: Option<i64>,
    /// From the deadline on, the gate enforces the campaign.
    enforced: bool,
    targets: usize,
    done: usize,
    remaining: usize,
    /// The roll-up: `--group-by`, by owner team without it.
    group_by: &'static str,
    groups: Vec<CampaignGroupOut>,
    /// The target entities not done yet, with the campaign's rules they do not pass.
    remaining_entities: Vec<RemainingOut<'a>>,
}

#[derive(Serialize)]
struct CampaignGroupOut {
    key: String,
    targets: usize,
    done: usize,
    remaining: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RemainingOut<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    failing_rules: Vec<FailingOut<'a>>,
}

#[derive(Serialize)]
struct FailingOut<'a> {
    id: &'a str,
    status: &'static str,
    message: std::borrow::Cow<'a, str>,
}

/// A scorecard's campaigns for the JSON report.
fn campaigns<'a>(c: &'a crate::score::CardReport, by: GroupBy, now: i64) -> Vec<CampaignOut<'a>> {
    let today = crate::dates::format(now);
    c.campaigns
        .iter()
        .map(|p| {
            let campaign = &c.card.campaigns[p.campaign];
            CampaignOut {
                id: &campaign.id,
                title: &campaign.title,
                rules: &campaign.rules,
                owner: campaign.owner.to_string(),
                deadline: &campaign.deadline,
                days_left: crate::score::campaign::days_left(campaign, now),
                enforced: crate::score::campaign::is_due(campaign, &today),
                targets: p.targets.len(),
                done: p.done(),
                remaining: p.remaining(),
                group_by: by.as_str(),
                groups: super::campaign_groups(p, by)
                    .into_iter()
                    .map(|g| CampaignGroupOut {
                        remaining: g.targets - g.done,
                        key: g.key,
                        targets: g.targets,
                        done: g.done,
                    })
                    .collect(),
                remaining_entities: p
                    .targets
                    .iter()
                    .filter(|t| !t.done())
                    .map(|t| RemainingOut {
                        reference: t.reference.as_str(),
                        failing_rules: t
                            .failing
                            .iter()
                            .map(|f| FailingOut {
                                id: &f.id,
                                status: f.status.as_str(),
                                message: cut_chars(&f.message, MESSAGE_MAX_CHARS),
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TierOut<'a> {
    name: &'a str,
    min_score: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entity<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    file: &'a str,
    owner: Option<&'a str>,
    system: Option<&'a str>,
    domain: Option<&'a str>,
    score: Option<f64>,
    level: String,
    /// With `spec.tiers`: the tier the score falls in (null below every tier).
    #[serde(skip_serializing_if = "Option::is_none")]
    tier: Option<Option<&'a str>>,
    next_level: Option<&'a str>,
    missing_for_next_level: &'a [String],
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
struct Rule<'a> {
    id: &'a str,
    status: &'static str,
    level: Option<&'a str>,
    weight: f64,
    message: std::borrow::Cow<'a, str>,
    evidence: Option<Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remediation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    docs: Option<&'a str>,
}

pub fn render(report: &Report, group_by: Option<GroupBy>) -> String {
    render_with_history(report, group_by, None)
}

/// The report with a `history` key (`score --history`).
pub fn render_with_history(
    report: &Report,
    group_by: Option<GroupBy>,
    history: Option<Value>,
) -> String {
    let out = Output {
        history,
        version: VERSION,
        generated_at: report.generated_at.as_deref(),
        scorecards: report
            .cards
            .iter()
            .map(|c| {
                let card = &c.card;
                let level = |l: Option<usize>| l.map(|l| card.levels[l].as_str());
                Card {
                    id: &card.id,
                    title: &card.title,
                    levels: &card.levels,
                    tiers: card
                        .tiers
                        .iter()
                        .map(|t| TierOut {
                            name: &t.name,
                            min_score: t.min_score,
                        })
                        .collect(),
                    campaigns: campaigns(c, group_by.unwrap_or(GroupBy::Owner), report.now),
                    entities: c
                        .entities
                        .iter()
                        .map(|e| Entity {
                            reference: e.reference.as_str(),
                            file: &e.file,
                            owner: e.owner.as_deref(),
                            system: e.system.as_deref(),
                            domain: e.domain.as_deref(),
                            score: e.score,
                            level: level_name(card, e.level),
                            tier: (!card.tiers.is_empty()).then(|| card.tier_name(e.score)),
                            next_level: level(e.next_level),
                            missing_for_next_level: &e.missing,
                            rules: e
                                .rules
                                .iter()
                                .map(|r| {
                                    let def = &card.rules[r.rule];
                                    // Advice only where there is something to fix.
                                    let advice =
                                        !matches!(r.status, Status::Pass | Status::NotApplicable);
                                    Rule {
                                        id: &r.id,
                                        status: r.status.as_str(),
                                        level: level(r.level),
                                        weight: r.weight,
                                        message: cut_chars(&r.message, MESSAGE_MAX_CHARS),
                                        evidence: r.evidence.as_ref().map(bounded_evidence),
                                        waiver: r.waiver.as_deref(),
                                        remediation: def.remediation.as_deref().filter(|_| advice),
                                        docs: def.docs.as_deref().filter(|_| advice),
                                    }
                                })
                                .collect(),
                        })
                        .collect(),
                }
            })
            .collect(),
        gate: Gate {
            passed: report.gate_passed,
            reasons: &report.reasons,
        },
        notes: &report.notes,
        findings: report
            .findings
            .iter()
            .map(|d| {
                let (line, column) = crate::report::line_col(d);
                Finding {
                    code: d.code.id(),
                    severity: d.severity,
                    message: &d.message,
                    file: d
                        .file
                        .as_ref()
                        .map(|f| f.to_string_lossy().replace('\\', "/")),
                    line,
                    column,
                    help: d.help.as_deref(),
                }
            })
            .collect(),
        comparison: report.comparison.as_ref(),
        groups: group_by.map(|by| Groups {
            by: by.as_str(),
            scorecards: report
                .cards
                .iter()
                .map(|c| CardGroups {
                    id: c.card.id.clone(),
                    groups: super::groups(c, by)
                        .into_iter()
                        .map(|g| GroupOut {
                            tiers: (!c.card.tiers.is_empty()).then(|| {
                                super::tier_counts(&c.card, &g)
                                    .into_iter()
                                    .map(|(t, n)| (t, Value::from(n)))
                                    .collect()
                            }),
                            levels: std::iter::once("none")
                                .chain(c.card.levels.iter().map(String::as_str))
                                .map(str::to_string)
                                .zip(g.levels.into_iter().map(Value::from))
                                .collect(),
                            failing_rules: g
                                .failing
                                .into_iter()
                                .map(|(rule, n)| (rule, Value::from(n)))
                                .collect(),
                            key: g.key,
                            entities: g.entities,
                        })
                        .collect(),
                })
                .collect(),
        }),
    };
    // Sized up front: growing a buffer of tens of megabytes by doubling copies it and faults
    // in fresh pages at each step (about 460 bytes per rule result in practice).
    let rules: usize = report
        .cards
        .iter()
        .flat_map(|c| c.entities.iter())
        .map(|e| e.rules.len())
        .sum();
    let mut bytes = Vec::with_capacity(4096 + rules * 460);
    if serde_json::to_writer_pretty(&mut bytes, &out).is_err() {
        bytes.clear();
    }
    let mut s = String::from_utf8(bytes).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn evidence_is_cut_in_length_items_and_depth() {
        let long = "x".repeat(5_000);
        let value = json!({"text": long, "list": (0..100).collect::<Vec<_>>(),
            "deep": {"a": {"b": {"c": {"d": 1}}}}});
        let out = bounded(&value, 0);
        let text = out["text"].as_str().unwrap();
        assert_eq!(text.chars().count(), EVIDENCE_MAX_CHARS + 1);
        assert!(text.ends_with('…'));
        assert_eq!(
            out["list"].as_array().unwrap().len(),
            EVIDENCE_MAX_ITEMS + 1
        );
        assert_eq!(out["list"][EVIDENCE_MAX_ITEMS], "… 80 more");
        assert_eq!(out["deep"]["a"]["b"]["c"], "…");
        assert_eq!(cut_chars("ééé", 2), "éé…");
        assert_eq!(cut_chars("short", 200), "short");
    }
}
