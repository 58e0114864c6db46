//! `--format markdown`: for a pull-request comment or `$GITHUB_STEP_SUMMARY`.

use super::{level_name, score_text};
use crate::score::Report;
use crate::score::eval::Status;

use crate::report::escape::markdown as escape;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(if report.gate_passed {
        "## Scorecards: gate passed ✅\n\n"
    } else {
        "## Scorecards: gate failed ❌\n\n"
    });
    if let Some(c) = &report.comparison {
        out.push_str(&super::delta::markdown(c));
    }
    for reason in &report.reasons {
        out.push_str(&format!("- {}\n", escape(reason)));
    }
    if !report.reasons.is_empty() {
        out.push('\n');
    }
    for c in &report.cards {
        let card = &c.card;
        out.push_str(&format!("### {} (`{}`)\n\n", escape(&card.title), card.id));
        if c.entities.is_empty() {
            out.push_str("No entity in scope.\n\n");
            continue;
        }
        out.push_str("| entity | score | level | next | failing rules |\n|---|---:|---|---|---|\n");
        for e in &c.entities {
            let failing: Vec<String> = super::failing(e).map(|r| format!("`{}`", r.id)).collect();
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                e.reference,
                score_text(e),
                level_name(card, e.level),
                e.next_level
                    .map_or("–".to_string(), |l| card.levels[l].clone()),
                failing.join(" ")
            ));
        }
        out.push('\n');
        for e in c
            .entities
            .iter()
            .filter(|e| super::failing(e).next().is_some())
        {
            out.push_str(&format!(
                "<details><summary><code>{}</code>: what to fix</summary>\n\n",
                e.reference
            ));
            for r in e.rules.iter().filter(|r| {
                matches!(
                    r.status,
                    Status::Fail | Status::Warn | Status::Error | Status::Unknown
                )
            }) {
                out.push_str(&format!(
                    "- **{}** ({}): {}",
                    escape(&c.card.rules[r.rule].title),
                    r.status.as_str(),
                    escape(&r.message)
                ));
                let def = &c.card.rules[r.rule];
                if let Some(rem) = &def.remediation {
                    out.push_str(&format!(". {}", escape(rem)));
                }
                if let Some(docs) = &def.docs {
                    out.push_str(&format!(" [docs]({docs})"));
                }
                out.push('\n');
            }
            out.push_str("\n</details>\n\n");
        }
    }
    for note in &report.notes {
        out.push_str(&format!("> note: {}\n", escape(note)));
    }
    out
}
