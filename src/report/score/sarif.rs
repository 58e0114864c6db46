//! `score --format sarif`: one result per failing (or warning) rule × entity, at the offending
//! field, through the one SARIF writer (report/sarif.rs).

use serde_json::json;

use crate::report::sarif::{SarifLocation, SarifResult, SarifRule};

use super::level_name;
use crate::score::Report;
use crate::score::eval::Status;

pub fn render(report: &Report) -> String {
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
    let introduced = report
        .comparison
        .as_ref()
        .map(crate::score::delta::Comparison::introduced_keys);
    for c in &report.cards {
        for e in &c.entities {
            for r in e
                .rules
                .iter()
                .filter(|r| matches!(r.status, Status::Fail | Status::Warn | Status::Error))
            {
                let (line, column) = r.location.unwrap_or((e.line, 1));
                let (level, baseline_state) = super::delta::sarif_level(
                    introduced.as_ref(),
                    (&c.card.id, e.reference.as_str(), &r.id),
                    r.status,
                );
                results.push(SarifResult {
                    rule_id: format!("{}/{}", c.card.id, r.id),
                    level,
                    baseline_state,
                    message: format!(
                        "{}: {} ({})",
                        e.reference, c.card.rules[r.rule].title, r.message
                    ),
                    location: Some(SarifLocation {
                        uri: e.file.clone(),
                        line,
                        column,
                        end: None,
                    }),
                    properties: Some(json!({
                        "entity": e.reference.to_string(),
                        "score": e.score,
                        "level": level_name(&c.card, e.level),
                    })),
                });
            }
        }
    }
    crate::report::sarif::log(rules, results)
}
