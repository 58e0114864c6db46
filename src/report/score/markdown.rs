//! `--format markdown`: for a pull-request comment or `$GITHUB_STEP_SUMMARY`, laid out by
//! priority and cut to a budget through the one bounded markdown builder (report/markdown.rs):
//! the verdict and counts, the gate failures, the roll-up (`--group-by`), the entities with
//! problems and what to fix, then the other entities.

use super::{GroupBy, failing, failing_text, groups, level_name, score_text};
use crate::report::markdown::{BoundedMarkdown, MarkdownLimit, Section};
use crate::score::eval::EntityResult;
use crate::score::{CardReport, GateIndex, Report};

use crate::report::escape::markdown as escape;

/// Failing rules a roll-up row names before it counts the rest.
const GROUP_RULES_SHOWN: usize = 5;

pub fn render(report: &Report, group_by: Option<GroupBy>, limit: MarkdownLimit) -> String {
    build(report, group_by).render(limit)
}

/// Characters of a rule's message the "what to fix" list shows before `…`.
const FIX_MESSAGE_MAX_CHARS: usize = 500;

/// Whether an entity has something to fix: a failing rule or a gate failure.
fn has_problems<'a>(gate: &GateIndex<'a>, card: usize, e: &'a EntityResult) -> bool {
    failing(e).next().is_some() || !gate.entity_reasons(card, &e.reference).is_empty()
}

/// The report laid out, not yet cut. `score --base` sets its "What this pull request changes"
/// section with [`BoundedMarkdown::set_changes`] before rendering.
pub fn build(report: &Report, group_by: Option<GroupBy>) -> BoundedMarkdown {
    let gate = &report.gate_index();
    let mut md = BoundedMarkdown::new(summary(report, gate));
    if let Some(c) = &report.comparison {
        md.set_changes(super::delta::markdown(c));
    }

    let mut reasons = Section::new("### Gate failures\n\n", "gate failures");
    for reason in &report.reasons {
        reasons.push(format!("- {}\n", escape(reason)));
    }
    md.section(reasons);

    if let Some(by) = group_by {
        for c in &report.cards {
            md.section(roll_up(c, by));
        }
    }
    for c in &report.cards {
        md.section(campaigns(c, group_by.unwrap_or(GroupBy::Owner), report.now));
    }

    let problems = |i: usize| {
        report.cards[i]
            .entities
            .iter()
            .filter(move |e| has_problems(gate, i, e))
    };
    for (i, c) in report.cards.iter().enumerate() {
        let mut rows = table(
            c,
            format!(
                "### {} (`{}`): entities with problems\n\n",
                escape(&c.card.title),
                c.card.id
            ),
            "entities with problems",
        );
        for e in problems(i) {
            rows.push(row(c, e));
        }
        md.section(rows);
    }
    for (i, c) in report.cards.iter().enumerate() {
        let mut details = Section::new(
            format!("#### What to fix (`{}`)\n\n", c.card.id),
            "entities' fixes",
        );
        for e in problems(i) {
            details.push(fixes(gate, i, c, e));
        }
        md.section(details);
    }
    for (i, c) in report.cards.iter().enumerate() {
        let mut rows = table(
            c,
            format!(
                "### {} (`{}`): other entities\n\n",
                escape(&c.card.title),
                c.card.id
            ),
            "other entities",
        );
        for e in c.entities.iter().filter(|e| !has_problems(gate, i, e)) {
            rows.push(row(c, e));
        }
        md.section(rows);
    }
    md.footer(
        report
            .notes
            .iter()
            .map(|note| format!("> note: {}\n", escape(note)))
            .collect::<String>(),
    );
    md
}

/// The verdict and the counts per scorecard and level: always shown, whatever the budget.
fn summary(report: &Report, gate: &GateIndex<'_>) -> String {
    let mut out = String::from(if report.gate_passed {
        "## Scorecards: gate passed ✅\n\n"
    } else {
        "## Scorecards: gate failed ❌\n\n"
    });
    let entities: usize = report.cards.iter().map(|c| c.entities.len()).sum();
    out.push_str(&format!(
        "Entities scored: {entities}; gate failures: {}; rules that could not be evaluated: {}.\n\n",
        report.reasons.len(),
        report.errors
    ));
    for (i, c) in report.cards.iter().enumerate() {
        let card = &c.card;
        let mut ranks = vec![0usize; card.levels.len() + 1];
        for e in &c.entities {
            ranks[e.level.map_or(0, |l| l + 1)] += 1;
        }
        let with_problems = c
            .entities
            .iter()
            .filter(|e| has_problems(gate, i, e))
            .count();
        out.push_str(&format!(
            "**{}** (`{}`): entities {}, with problems {with_problems}; by level: {}\n\n",
            escape(&card.title),
            card.id,
            c.entities.len(),
            std::iter::once("none")
                .chain(card.levels.iter().map(String::as_str))
                .zip(&ranks)
                .map(|(level, n)| format!("{} {n}", escape(level)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

fn table(c: &CardReport, heading: String, noun: &str) -> Section {
    let (tier, align) = if c.card.tiers.is_empty() {
        ("", "")
    } else {
        (" tier |", "---|")
    };
    Section::new(
        format!(
            "{heading}| entity | score |{tier} level | next | failing rules |\n|---|---:|{align}---|---|---|\n"
        ),
        noun,
    )
}

fn row(c: &CardReport, e: &EntityResult) -> String {
    let failing: Vec<String> = failing(e).map(|r| format!("`{}`", r.id)).collect();
    let tier = if c.card.tiers.is_empty() {
        String::new()
    } else {
        format!(" {} |", escape(&super::tier_name(&c.card, e)))
    };
    format!(
        "| `{}` | {} |{tier} {} | {} | {} |\n",
        e.reference,
        score_text(e),
        level_name(&c.card, e.level),
        e.next_level
            .map_or("–".to_string(), |l| escape(&c.card.levels[l])),
        failing.join(" ")
    )
}

/// What to fix on one entity, folded.
fn fixes<'a>(gate: &GateIndex<'a>, card: usize, c: &CardReport, e: &'a EntityResult) -> String {
    let mut out = format!(
        "<details><summary><code>{}</code>: what to fix</summary>\n\n",
        e.reference
    );
    for g in gate.entity_reasons(card, &e.reference) {
        out.push_str(&format!("- gate: {}\n", escape(&g.reason)));
    }
    for r in failing(e) {
        let def = &c.card.rules[r.rule];
        out.push_str(&format!(
            "- **{}** ({}): {}",
            escape(&def.title),
            r.status.as_str(),
            escape(&crate::report::score::json::cut_chars(
                &r.message,
                FIX_MESSAGE_MAX_CHARS
            ))
        ));
        if let Some(rem) = &def.remediation {
            out.push_str(&format!(". {}", escape(rem)));
        }
        if let Some(docs) = &def.docs {
            out.push_str(&format!(" [docs]({docs})"));
        }
        out.push('\n');
    }
    out.push_str("\n</details>\n\n");
    out
}

/// `--group-by`: one row per group of one scorecard.
fn roll_up(c: &CardReport, by: GroupBy) -> Section {
    let tiers = !c.card.tiers.is_empty();
    let levels: Vec<String> = std::iter::once("none".to_string())
        .chain(c.card.levels.iter().map(|l| escape(l)))
        .collect();
    let mut section = Section::new(
        format!(
            "### By {} (`{}`)\n\n| {} | entities | {} |{} failing rules |\n|---|---:|{}{}---|\n",
            by.as_str(),
            c.card.id,
            by.as_str(),
            levels.join(" | "),
            if tiers { " tiers |" } else { "" },
            "---:|".repeat(levels.len()),
            if tiers { "---|" } else { "" },
        ),
        "groups",
    );
    for g in groups(c, by) {
        let tier_cell = if tiers {
            format!(" {} |", escape(&super::tier_counts_text(&c.card, &g)))
        } else {
            String::new()
        };
        section.push(format!(
            "| `{}` | {} | {} |{tier_cell} {} |\n",
            escape(&g.key),
            g.entities,
            g.levels
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" | "),
            escape(&failing_text(&g, GROUP_RULES_SHOWN))
        ));
    }
    section
}

/// Each campaign's progress, overall then per group of the roll-up.
fn campaigns(c: &CardReport, by: GroupBy, now: i64) -> Section {
    let mut section = Section::new(
        format!(
            "### Campaigns (`{}`)\n\n| campaign | owner | deadline | {} | targets | done | remaining |\n|---|---|---|---|---:|---:|---:|\n",
            c.card.id,
            by.as_str()
        ),
        "campaigns",
    );
    for p in &c.campaigns {
        let campaign = &c.card.campaigns[p.campaign];
        let mut block = format!(
            "| **{}** (`{}`) | `{}` | {} | all | {} | {} | {} |\n",
            escape(&campaign.title),
            campaign.id,
            campaign.owner,
            super::deadline_text(campaign, now),
            p.targets.len(),
            p.done(),
            p.remaining()
        );
        for g in super::campaign_groups(p, by) {
            block.push_str(&format!(
                "| | | | `{}` | {} | {} | {} |\n",
                escape(&g.key),
                g.targets,
                g.done,
                g.targets - g.done
            ));
        }
        section.push(block);
    }
    section
}
