//! `score --format sarif`: one result per failing (or warning) rule × entity, at the offending
//! field, through the one SARIF writer (report/sarif.rs).

use serde_json::json;

use crate::report::sarif::{SarifLocation, SarifResult, SarifRule, SarifSuppression};

use super::{GroupBy, level_name};
use crate::score::Report;
use crate::score::eval::Status;
use crate::score::model::RuleSeverity;

pub fn render(report: &Report, group_by: Option<GroupBy>) -> String {
    let mut rules = Vec::new();
    for c in &report.cards {
        for r in &c.card.rules {
            let mut help = r.title.clone();
            if let Some(rem) = &r.remediation {
                help.push_str(&format!("\n\n{rem}"));
            }
            rules.push(SarifRule {
                id: format!("{}/{}", c.card.id, r.id),
                short_description: r.title.clone(),
                help: Some(help),
                help_uri: r.docs.clone(),
                default_level: None,
            });
        }
    }
    let mut results = Vec::new();
    let gate = report.gate_index();
    let introduced = report
        .comparison
        .as_ref()
        .map(crate::score::delta::Comparison::introduced_keys);
    for (card_index, c) in report.cards.iter().enumerate() {
        for e in &c.entities {
            // Waived rules stay, as suppressed results with the waiver's reason.
            for r in e.rules.iter().filter(|r| {
                matches!(
                    r.status,
                    Status::Fail | Status::Warn | Status::Error | Status::Waived
                )
            }) {
                let (line, column) = r.location.unwrap_or((e.line, 1));
                let mut properties = json!({
                    "entity": e.reference.to_string(),
                    "score": e.score,
                    "level": level_name(&c.card, e.level),
                    "failsGate": gate.rule_fails_gate(card_index, &e.reference, &r.id),
                });
                if let Some(by) = group_by {
                    properties[by.as_str()] = by.key(e).into();
                }
                if !c.card.tiers.is_empty() {
                    properties["tier"] = super::tier_name(&c.card, e).into();
                }
                // With --base, a failure the base had too is a note, `unchanged`.
                let (level, baseline_state) = match &introduced {
                    Some(_) => super::delta::sarif_level(
                        introduced.as_ref(),
                        (&c.card.id, e.reference.as_str(), &r.id),
                        r.status,
                    ),
                    None => (
                        match (r.status, r.severity) {
                            (Status::Warn, _) | (Status::Waived, RuleSeverity::Warning) => {
                                "warning"
                            }
                            _ => "error",
                        },
                        None,
                    ),
                };
                results.push(SarifResult {
                    rule_id: format!("{}/{}", c.card.id, r.id),
                    level,
                    baseline_state,
                    message: format!(
                        "{}: {} ({})",
                        e.reference,
                        c.card.rules[r.rule].title,
                        super::json::cut_chars(&r.message, super::json::MESSAGE_MAX_CHARS)
                    ),
                    location: Some(SarifLocation {
                        uri: e.file.clone(),
                        line,
                        column,
                        end: None,
                    }),
                    properties: Some(properties),
                    suppression: (r.status == Status::Waived).then(|| SarifSuppression {
                        in_source: false,
                        justification: r.waiver.clone().unwrap_or_else(|| "waived".to_string()),
                    }),
                    introduced: baseline_state.map(|s| s == "new"),
                });
            }
        }
    }
    let properties = group_by.map(|by| {
        json!({ "groupBy": by.as_str(), "groups": report.cards.iter().map(|c| json!({
            "scorecard": c.card.id,
            "groups": super::groups(c, by).into_iter().map(|g| {
                let mut group = json!({
                    "key": g.key,
                    "entities": g.entities,
                    "levels": std::iter::once("none").chain(c.card.levels.iter().map(String::as_str))
                        .zip(&g.levels).map(|(l, n)| (l.to_string(), json!(n)))
                        .collect::<serde_json::Map<_, _>>(),
                    "failingRules": g.failing.iter().map(|(r, n)| (r.clone(), json!(n)))
                        .collect::<serde_json::Map<_, _>>(),
                });
                if !c.card.tiers.is_empty() {
                    group["tiers"] = super::tier_counts(&c.card, &g).into_iter()
                        .map(|(t, n)| (t, json!(n)))
                        .collect::<serde_json::Map<_, _>>().into();
                }
                group
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>() })
    });
    crate::report::sarif::log(rules, results, properties)
}
