//! `--format sarif`: one result per failing (or warning) rule × entity, at the offending field.

use serde_json::{Value as J, json};

use super::level_name;
use crate::score::Report;
use crate::score::eval::Status;

pub fn render(report: &Report) -> String {
    let mut rules: Vec<J> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for c in &report.cards {
        for r in &c.card.rules {
            let id = format!("{}/{}", c.card.id, r.id);
            let mut help = r.title.clone();
            if let Some(rem) = &r.remediation {
                help.push_str(&format!("\n\n{rem}"));
            }
            let mut rule = json!({
                "id": id,
                "shortDescription": {"text": r.title},
                "help": {"text": help.clone(), "markdown": help},
            });
            if let Some(docs) = &r.docs {
                rule["helpUri"] = J::from(docs.clone());
            }
            ids.push(id);
            rules.push(rule);
        }
    }
    let mut results = Vec::new();
    for c in &report.cards {
        for e in &c.entities {
            for r in e
                .rules
                .iter()
                .filter(|r| matches!(r.status, Status::Fail | Status::Warn | Status::Error))
            {
                let id = format!("{}/{}", c.card.id, r.id);
                let (line, column) = r.location.unwrap_or((e.line, 1));
                results.push(json!({
                    "ruleId": id,
                    "ruleIndex": ids.iter().position(|x| *x == id).unwrap_or(0),
                    "level": if r.status == Status::Warn { "warning" } else { "error" },
                    "message": {"text": format!("{}: {} ({})", e.reference, c.card.rules[r.rule].title, r.message)},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": e.file},
                        "region": {"startLine": line.max(1), "startColumn": column.max(1)}
                    }}],
                    "properties": {
                        "entity": e.reference.to_string(),
                        "score": e.score,
                        "level": level_name(&c.card, e.level),
                    }
                }));
            }
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "callboard", "version": env!("CARGO_PKG_VERSION"), "informationUri": crate::HOMEPAGE, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
