//! `--format json`: the versioned contract (version 1), also the `--baseline` input.

use serde_json::{Value as J, json};

use super::level_name;
use crate::score::Report;

pub const VERSION: u32 = 1;

pub fn value(report: &Report) -> J {
    let cards: Vec<J> = report
        .cards
        .iter()
        .map(|c| {
            let card = &c.card;
            json!({
                "id": card.id,
                "title": card.title,
                "levels": card.levels,
                "entities": c.entities.iter().map(|e| json!({
                    "ref": e.reference.to_string(),
                    "file": e.file,
                    "score": e.score,
                    "level": level_name(card, e.level),
                    "nextLevel": e.next_level.map(|l| card.levels[l].clone()),
                    "missingForNextLevel": e.missing,
                    "rules": e.rules.iter().map(|r| {
                        let mut rule = json!({
                            "id": r.id,
                            "status": r.status.as_str(),
                            "level": r.level.map(|l| card.levels[l].clone()),
                            "weight": r.weight,
                            "message": r.message,
                            "evidence": r.evidence,
                        });
                        if let Some(w) = &r.waiver {
                            rule["waiver"] = J::from(w.clone());
                        }
                        if let Some(rem) = &r.remediation {
                            rule["remediation"] = J::from(rem.clone());
                        }
                        if let Some(docs) = &r.docs {
                            rule["docs"] = J::from(docs.clone());
                        }
                        rule
                    }).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "version": VERSION,
        "generatedAt": report.generated_at,
        "scorecards": cards,
        "gate": {"passed": report.gate_passed, "reasons": report.reasons},
        "notes": report.notes,
    })
}

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&value(report)).unwrap_or_default();
    s.push('\n');
    s
}
