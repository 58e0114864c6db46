//! The default terminal view: one table per scorecard, then an aggregate per owner.

use std::collections::BTreeMap;

use comfy_table::{Cell, ContentArrangement, Table, presets};

use super::{GroupBy, level_name, score_text};
use crate::score::Report;
use crate::score::eval::Status;

/// Failing rules whose message the table lists per scorecard before it counts the rest (the
/// JSON report and `--explain RULE` list every one).
pub const TABLE_MESSAGES_SHOWN: usize = 20;

/// Why each failing rule fails, one line each, under the scorecard's table.
fn failure_messages(c: &crate::score::CardReport) -> String {
    let mut lines = c.entities.iter().flat_map(|e| {
        super::failing(e).map(move |r| {
            format!(
                "  {} {} ({}): {}\n",
                e.reference,
                r.id,
                r.status.as_str(),
                crate::report::escape::control(&super::json::cut_chars(
                    &r.message,
                    super::json::MESSAGE_MAX_CHARS
                ))
            )
        })
    });
    let mut out: String = lines.by_ref().take(TABLE_MESSAGES_SHOWN).collect();
    let rest = lines.count();
    if rest > 0 {
        out.push_str(&format!(
            "  … {rest} more: `--explain RULE` or `--format json` lists every one\n"
        ));
    }
    out
}

pub fn render(report: &Report, width: Option<u16>, group_by: Option<GroupBy>) -> String {
    let mut out = String::new();
    for c in &report.cards {
        let card = &c.card;
        out.push_str(&format!(
            "{} ({}): {} entities\n",
            card.title,
            card.id,
            c.entities.len()
        ));
        if c.entities.is_empty() {
            out.push('\n');
            continue;
        }
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        table.set_content_arrangement(ContentArrangement::Dynamic);
        if let Some(w) = width {
            table.set_width(w);
        }
        let tiers = !card.tiers.is_empty();
        let mut header = vec!["entity", "score", "level", "next", "failing rules"];
        if tiers {
            header.insert(2, "tier");
        }
        table.set_header(header);
        for e in &c.entities {
            let failing: Vec<String> = super::failing(e)
                .map(|r| match r.status {
                    Status::Fail => r.id.clone(),
                    other => format!("{} ({})", r.id, other.as_str()),
                })
                .collect();
            let mut row = vec![
                Cell::new(e.reference.to_string()),
                Cell::new(score_text(e)),
                Cell::new(level_name(card, e.level)),
                Cell::new(
                    e.next_level
                        .map_or("–".to_string(), |l| card.levels[l].clone()),
                ),
                Cell::new(failing.join(", ")),
            ];
            if tiers {
                row.insert(2, Cell::new(super::tier_name(card, e)));
            }
            table.add_row(row);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        out.push_str(&failure_messages(c));
        out.push_str(&campaigns(
            c,
            group_by.unwrap_or(GroupBy::Owner),
            report.now,
        ));

        if let Some(by) = group_by {
            out.push_str(&roll_up(c, by, width));
            out.push_str("\n\n");
            continue;
        }
        // Aggregate per owner: how each team is doing.
        let mut owners: BTreeMap<String, (usize, f64, usize, Vec<usize>)> = BTreeMap::new();
        for e in &c.entities {
            let owner = e.owner.clone().unwrap_or_else(|| "(no owner)".to_string());
            let slot = owners.entry(owner).or_default();
            slot.0 += 1;
            if let Some(s) = e.score {
                slot.1 += s;
                slot.2 += 1;
            }
            slot.3.push(e.level.map_or(0, |l| l + 1));
        }
        if owners.len() > 1 || !owners.contains_key("(no owner)") {
            let mut t = Table::new();
            t.load_style(presets::UTF8_FULL_CONDENSED);
            t.set_content_arrangement(ContentArrangement::Dynamic);
            if let Some(w) = width {
                t.set_width(w);
            }
            let mut header = vec![
                "owner".to_string(),
                "entities".to_string(),
                "average score".to_string(),
            ];
            header.push("none".to_string());
            header.extend(card.levels.iter().cloned());
            t.set_header(header);
            for (owner, (n, sum, scored, levels)) in owners {
                let mut row = vec![
                    owner,
                    n.to_string(),
                    if scored > 0 {
                        format!("{:.1}", sum / scored as f64)
                    } else {
                        "–".to_string()
                    },
                ];
                for rank in 0..=card.levels.len() {
                    row.push(levels.iter().filter(|l| **l == rank).count().to_string());
                }
                t.add_row(row);
            }
            out.push_str(&t.to_string());
            out.push('\n');
        }
        out.push('\n');
    }
    for note in &report.notes {
        out.push_str(&format!("note: {}\n", crate::report::escape::control(note)));
    }
    if let Some(c) = &report.comparison {
        out.push_str(&super::delta::text(c));
    }
    if report.gate_passed {
        out.push_str("gate: passed\n");
    } else {
        out.push_str(&format!(
            "gate: failed ({} {})\n",
            report.reasons.len(),
            if report.reasons.len() == 1 {
                "reason"
            } else {
                "reasons"
            }
        ));
        for r in &report.reasons {
            out.push_str(&format!("  - {}\n", crate::report::escape::control(r)));
        }
    }
    out
}

/// Each campaign on one line (done of targets), then one line per group of the roll-up.
fn campaigns(c: &crate::score::CardReport, by: GroupBy, now: i64) -> String {
    let mut out = String::new();
    for p in &c.campaigns {
        let campaign = &c.card.campaigns[p.campaign];
        out.push_str(&format!(
            "campaign {} ({}), owner {}, deadline {}{}: {} of {} done, {} remaining\n",
            campaign.id,
            crate::report::escape::control(&campaign.title),
            campaign.owner,
            super::deadline_text(campaign, now),
            if crate::score::campaign::is_due(campaign, &crate::dates::format(now)) {
                " (enforced by the gate)"
            } else {
                ""
            },
            p.done(),
            p.targets.len(),
            p.remaining()
        ));
        for g in super::campaign_groups(p, by) {
            out.push_str(&format!(
                "  {} {}: {} of {} done\n",
                by.as_str(),
                g.key,
                g.done,
                g.targets
            ));
        }
    }
    out
}

/// `--group-by`: entities per level and the failing rules of each group.
fn roll_up(c: &crate::score::CardReport, by: GroupBy, width: Option<u16>) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(w) = width {
        t.set_width(w);
    }
    let mut header = vec![
        by.as_str().to_string(),
        "entities".to_string(),
        "none".to_string(),
    ];
    header.extend(c.card.levels.iter().cloned());
    let tiers = !c.card.tiers.is_empty();
    if tiers {
        header.push("tiers".to_string());
    }
    header.push("failing rules".to_string());
    t.set_header(header);
    for g in super::groups(c, by) {
        let mut row = vec![g.key.clone(), g.entities.to_string()];
        row.extend(g.levels.iter().map(ToString::to_string));
        if tiers {
            row.push(super::tier_counts_text(&c.card, &g));
        }
        row.push(super::failing_text(&g, usize::MAX));
        t.add_row(row);
    }
    t.to_string()
}
