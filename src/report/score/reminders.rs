//! `--format reminders`: one markdown section per team that has to act on a campaign (the
//! owner team of its remaining entities, as the roll-up reckons teams), ready to paste into a
//! chat or an issue. Deterministic: teams, campaigns, entities and rules in a fixed order.

use std::collections::BTreeMap;

use super::{GroupBy, deadline_text};
use crate::report::escape::markdown as escape;
use crate::score::campaign::{Campaign, CampaignTarget};
use crate::score::{CardReport, Report};

/// Remaining entities a team's section lists per campaign before it counts the rest (a
/// reminder is read in a chat; `--format json` lists every one).
pub const REMINDER_ENTITIES_SHOWN: usize = 50;
/// Characters of a failure message a reminder shows before `…`.
pub const REMINDER_MESSAGE_MAX_CHARS: usize = 300;

/// One campaign's remaining entities of one team.
struct Due<'a> {
    card: &'a CardReport,
    campaign: &'a Campaign,
    targets: usize,
    remaining: Vec<&'a CampaignTarget>,
}

pub fn render(report: &Report) -> String {
    // Team → its campaigns (in scorecard and campaign order) with remaining entities.
    let mut teams: BTreeMap<String, Vec<Due<'_>>> = BTreeMap::new();
    let mut finished = Vec::new();
    for card in &report.cards {
        for p in &card.campaigns {
            let campaign = &card.card.campaigns[p.campaign];
            if p.remaining() == 0 {
                finished.push((card, campaign, p.targets.len()));
                continue;
            }
            let mut per_team: BTreeMap<String, Due<'_>> = BTreeMap::new();
            for t in &p.targets {
                let due = per_team
                    .entry(GroupBy::Owner.target_key(t))
                    .or_insert_with(|| Due {
                        card,
                        campaign,
                        targets: 0,
                        remaining: Vec::new(),
                    });
                due.targets += 1;
                if !t.done() {
                    due.remaining.push(t);
                }
            }
            for (team, due) in per_team {
                if !due.remaining.is_empty() {
                    teams.entry(team).or_default().push(due);
                }
            }
        }
    }
    let mut out = String::from("# Campaign reminders\n\n");
    if teams.is_empty() && finished.is_empty() {
        out.push_str("No scorecard has campaigns.\n");
    }
    for (team, dues) in &teams {
        out.push_str(&format!("## `{}`\n\n", escape(team)));
        for due in dues {
            out.push_str(&section(due, report.now));
        }
    }
    if !finished.is_empty() {
        out.push_str("## Campaigns with nothing left to do\n\n");
        for (card, campaign, targets) in finished {
            let what = if targets == 0 {
                "no target entities".to_string()
            } else {
                format!("all {targets} target entities done")
            };
            out.push_str(&format!(
                "- **{}** (`{}`, scorecard `{}`): {what}\n",
                escape(&campaign.title),
                campaign.id,
                card.card.id
            ));
        }
        out.push('\n');
    }
    out
}

/// A campaign's part of one team's section: the campaign, then each remaining entity with the
/// campaign rules it fails and why.
fn section(due: &Due<'_>, now: i64) -> String {
    let (campaign, card) = (due.campaign, &due.card.card);
    let mut out = format!(
        "### {} (`{}`)\n\nOwner `{}` · deadline {} · scorecard `{}` · {} of your {} {} left\n\n",
        escape(&campaign.title),
        campaign.id,
        campaign.owner,
        deadline_text(campaign, now),
        card.id,
        due.remaining.len(),
        due.targets,
        if due.targets == 1 {
            "entity"
        } else {
            "entities"
        }
    );
    for t in due.remaining.iter().take(REMINDER_ENTITIES_SHOWN) {
        out.push_str(&format!("- `{}`\n", t.reference));
        for f in &t.failing {
            let rule = &card.rules[f.rule];
            out.push_str(&format!(
                "  - **{}** ({}): {}",
                escape(&rule.title),
                f.status.as_str(),
                escape(&super::json::cut_chars(
                    &f.message,
                    REMINDER_MESSAGE_MAX_CHARS
                ))
            ));
            if let Some(remediation) = &rule.remediation {
                out.push_str(&format!(". {}", escape(remediation)));
            }
            out.push('\n');
        }
    }
    if due.remaining.len() > REMINDER_ENTITIES_SHOWN {
        out.push_str(&format!(
            "- … and {} more (`callboard score --format json` lists every one)\n",
            due.remaining.len() - REMINDER_ENTITIES_SHOWN
        ));
    }
    out.push('\n');
    out
}
