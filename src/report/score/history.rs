//! `score --history`: the trend of each scorecard in every format (a section after the report
//! in text and markdown, a `history` key in JSON, a page of inline SVG charts in HTML).

use serde_json::{Map, Value, json};

use crate::adoption::score_history::{CardHistory, CardMonth, ScoreHistory};
use crate::report::adoption::html::{CSP, CSS, Line, esc, line_chart};

/// Lines one chart draws at most (the rest are in its data table and the other formats).
pub const MAX_CHART_LINES: usize = 8;

fn share(m: &CardMonth, rule: &str) -> Option<f64> {
    m.rules
        .get(rule)
        .filter(|(_, n)| *n > 0)
        .map(|(p, n)| *p as f64 / *n as f64)
}

fn percent(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{:.0} %", v * 100.0))
}

fn score_text(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.1}"))
}

fn levels_text(card: &CardHistory, m: &CardMonth) -> String {
    std::iter::once("none")
        .chain(card.levels.iter().map(String::as_str))
        .zip(&m.levels)
        .map(|(l, n)| format!("{l} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Groups by entities in the latest month, most first (ties by key).
fn groups_by_size(card: &CardHistory) -> Vec<&str> {
    let Some(last) = card.months.last() else {
        return Vec::new();
    };
    let mut keys: Vec<(&str, usize)> = last
        .groups
        .iter()
        .map(|(k, (n, _))| (k.as_str(), *n))
        .collect();
    keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    keys.into_iter().map(|(k, _)| k).collect()
}

/// Rows of (rule, first share, last share) over the months of a scorecard.
fn rule_rows(card: &CardHistory) -> Vec<(&str, Option<f64>, Option<f64>)> {
    let (Some(first), Some(last)) = (card.months.first(), card.months.last()) else {
        return Vec::new();
    };
    card.rules
        .iter()
        .map(|r| (r.as_str(), share(first, r), share(last, r)))
        .collect()
}

/// A campaign's `done/targets` in one month (`–` when that month's scorecard lacks it).
fn burn_up_cell(m: &CardMonth, campaign: &str) -> String {
    m.campaigns
        .get(campaign)
        .map_or("–".into(), |(targets, done)| format!("{done}/{targets}"))
}

fn change(a: Option<f64>, b: Option<f64>, scale: f64) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:+.1}", (b - a) * scale),
        _ => "–".into(),
    }
}

/// Plain text, after the report.
pub fn table(h: &ScoreHistory) -> String {
    let mut out = format!(
        "\nHistory: {} month ends, by {}\n",
        h.periods.len(),
        h.group_by
    );
    for card in &h.cards {
        out.push_str(&format!("\n{} ({})\n", card.id, card.title));
        out.push_str("  month     entities  evaluated  mean score  levels\n");
        for m in &card.months {
            out.push_str(&format!(
                "  {:<9} {:>8}  {:>9}  {:>10}  {}\n",
                m.period,
                m.entities,
                m.evaluated,
                score_text(m.mean_score),
                levels_text(card, m)
            ));
        }
        if let (Some(first), Some(last)) = (card.months.first(), card.months.last()) {
            out.push_str(&format!(
                "  passing share per rule, {} → {}:\n",
                first.period, last.period
            ));
            for (rule, a, b) in rule_rows(card) {
                out.push_str(&format!(
                    "    {rule}: {} → {} ({} points)\n",
                    percent(a),
                    percent(b),
                    change(a, b, 100.0)
                ));
            }
            out.push_str(&format!(
                "  mean score per {}, {} → {}:\n",
                h.group_by, first.period, last.period
            ));
            for key in groups_by_size(card) {
                let at = |m: &CardMonth| m.groups.get(key).and_then(|g| g.1);
                out.push_str(&format!(
                    "    {key}: {} → {}\n",
                    score_text(at(first)),
                    score_text(at(last))
                ));
            }
        }
        if !card.campaigns.is_empty() {
            out.push_str("  campaign burn-up, done/targets per month:\n");
        }
        for c in &card.campaigns {
            let months: Vec<String> = card
                .months
                .iter()
                .map(|m| format!("{} {}", m.period, burn_up_cell(m, &c.id)))
                .collect();
            out.push_str(&format!(
                "    {} (due {}): {}\n",
                c.id,
                c.deadline,
                months.join(", ")
            ));
        }
    }
    for n in &h.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown, after the report.
pub fn markdown(h: &ScoreHistory) -> String {
    let mut out = format!(
        "\n## History\n\n{} month ends, each scored from the repository as it was then; by {}.\n",
        h.periods.len(),
        h.group_by
    );
    for card in &h.cards {
        out.push_str(&format!(
            "\n### {} — {}\n\n| month | entities | evaluated | mean score | levels |\n|---|---:|---:|---:|---|\n",
            md_cell(&card.id),
            md_cell(&card.title)
        ));
        for m in &card.months {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                m.period,
                m.entities,
                m.evaluated,
                score_text(m.mean_score),
                md_cell(&levels_text(card, m))
            ));
        }
        if let (Some(first), Some(last)) = (card.months.first(), card.months.last()) {
            out.push_str(&format!(
                "\n| rule | {} | {} | change (points) |\n|---|---:|---:|---:|\n",
                first.period, last.period
            ));
            for (rule, a, b) in rule_rows(card) {
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    md_cell(rule),
                    percent(a),
                    percent(b),
                    change(a, b, 100.0)
                ));
            }
            out.push_str(&format!(
                "\n| {} | {} | {} |\n|---|---:|---:|\n",
                h.group_by, first.period, last.period
            ));
            for key in groups_by_size(card) {
                let at = |m: &CardMonth| m.groups.get(key).and_then(|g| g.1);
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    md_cell(key),
                    score_text(at(first)),
                    score_text(at(last))
                ));
            }
        }
        if !card.campaigns.is_empty() {
            out.push_str("\n| campaign (done/targets) | deadline |");
            for m in &card.months {
                out.push_str(&format!(" {} |", m.period));
            }
            out.push_str(&format!(
                "\n|---|---|{}\n",
                "---:|".repeat(card.months.len())
            ));
        }
        for c in &card.campaigns {
            out.push_str(&format!(
                "| {} (`{}`) | {} |",
                md_cell(&c.title),
                md_cell(&c.id),
                c.deadline
            ));
            for m in &card.months {
                out.push_str(&format!(" {} |", burn_up_cell(m, &c.id)));
            }
            out.push('\n');
        }
    }
    for n in &h.notes {
        out.push_str(&format!("\n> {}\n", md_cell(n)));
    }
    out
}

/// The `history` key of the JSON report.
pub fn json(h: &ScoreHistory) -> Value {
    let cards: Vec<Value> = h
        .cards
        .iter()
        .map(|card| {
            let months: Vec<Value> = card
                .months
                .iter()
                .map(|m| {
                    let levels: Map<String, Value> = std::iter::once("none")
                        .chain(card.levels.iter().map(String::as_str))
                        .map(str::to_string)
                        .zip(m.levels.iter().map(|n| json!(n)))
                        .collect();
                    let rules: Map<String, Value> = m
                        .rules
                        .iter()
                        .map(|(id, (p, n))| {
                            (
                                id.clone(),
                                json!({"passing": p, "applicable": n, "share": share(m, id)}),
                            )
                        })
                        .collect();
                    let groups: Map<String, Value> = m
                        .groups
                        .iter()
                        .map(|(k, (n, s))| (k.clone(), json!({"entities": n, "meanScore": s})))
                        .collect();
                    let mut month = json!({
                        "period": m.period,
                        "date": m.date,
                        "commit": m.commit,
                        "entities": m.entities,
                        "evaluated": m.evaluated,
                        "meanScore": m.mean_score,
                        "levels": levels,
                        "rules": rules,
                        "groups": groups,
                    });
                    if !m.campaigns.is_empty() {
                        month["campaigns"] = m
                            .campaigns
                            .iter()
                            .map(|(id, (targets, done))| {
                                (id.clone(), json!({"targets": targets, "done": done}))
                            })
                            .collect::<Map<String, Value>>()
                            .into();
                    }
                    month
                })
                .collect();
            let mut out = json!({
                "id": card.id,
                "title": card.title,
                "levels": card.levels,
                "rules": card.rules,
                "months": months,
            });
            if !card.campaigns.is_empty() {
                out["campaigns"] = card
                    .campaigns
                    .iter()
                    .map(|c| json!({"id": c.id, "title": c.title, "deadline": c.deadline}))
                    .collect();
            }
            out
        })
        .collect();
    json!({
        "periods": h.periods,
        "groupBy": h.group_by,
        "scorecards": cards,
        "notes": h.notes,
    })
}

/// A self-contained page of the trend: per scorecard the mean score (overall and for the
/// largest groups), entities per level, and the passing share of each rule.
pub fn html(h: &ScoreHistory, generated_at: Option<&str>) -> String {
    let mut body = String::from("<h1>Scorecard history</h1>");
    body.push_str(&format!(
        "<p class=\"meta\">{} month ends{}, each scored from the repository as it was then; by {}.</p>",
        h.periods.len(),
        generated_at.map_or(String::new(), |d| format!(" up to {}", esc(d))),
        esc(&h.group_by)
    ));
    for n in &h.notes {
        body.push_str(&format!("<p class=\"warning\">{}</p>", esc(n)));
    }
    for card in &h.cards {
        body.push_str(&format!(
            "<h2>{} <span class=\"meta\">{}</span></h2>",
            esc(&card.title),
            esc(&card.id)
        ));
        let points = |f: &dyn Fn(&CardMonth) -> Option<f64>| -> Vec<(String, f64)> {
            card.months
                .iter()
                .map(|m| (m.period.clone(), f(m).unwrap_or(0.0)))
                .collect()
        };
        let groups = groups_by_size(card);
        let mut lines = vec![Line {
            name: "all entities",
            points: points(&|m| m.mean_score),
        }];
        for key in groups.iter().take(MAX_CHART_LINES - 1) {
            lines.push(Line {
                name: key,
                points: points(&|m| m.groups.get(*key).and_then(|g| g.1)),
            });
        }
        body.push_str(&line_chart(
            &format!("Mean score (0–100), overall and per {}", h.group_by),
            &lines,
            false,
            false,
        ));
        let level_names: Vec<&str> = std::iter::once("none")
            .chain(card.levels.iter().map(String::as_str))
            .collect();
        let level_lines: Vec<Line<'_>> = level_names
            .iter()
            .enumerate()
            .map(|(i, name)| Line {
                name,
                points: points(&|m| m.levels.get(i).map(|n| *n as f64)),
            })
            .collect();
        body.push_str(&line_chart(
            "Entities per level",
            &level_lines,
            false,
            false,
        ));
        // The rules that moved most first: those are the trend worth drawing.
        let mut rules = rule_rows(card);
        rules.sort_by(|a, b| {
            let moved = |r: &(&str, Option<f64>, Option<f64>)| {
                (r.2.unwrap_or(0.0) - r.1.unwrap_or(0.0)).abs()
            };
            moved(b).total_cmp(&moved(a)).then_with(|| a.0.cmp(b.0))
        });
        let rule_lines: Vec<Line<'_>> = rules
            .iter()
            .take(MAX_CHART_LINES)
            .map(|(rule, _, _)| Line {
                name: rule,
                points: points(&|m| share(m, rule)),
            })
            .collect();
        body.push_str(&line_chart(
            "Passing share per rule (the rules that moved most)",
            &rule_lines,
            true,
            false,
        ));
        for c in &card.campaigns {
            let counts = |pick: fn(&(usize, usize)) -> usize| -> Vec<(String, f64)> {
                card.months
                    .iter()
                    .map(|m| {
                        let n = m.campaigns.get(&c.id).map_or(0, pick);
                        (m.period.clone(), n as f64)
                    })
                    .collect()
            };
            body.push_str(&line_chart(
                &format!(
                    "Campaign burn-up: {} ({}), due {}: target entities and those done",
                    c.title, c.id, c.deadline
                ),
                &[
                    Line {
                        name: "target entities",
                        points: counts(|(targets, _)| *targets),
                    },
                    Line {
                        name: "done",
                        points: counts(|(_, done)| *done),
                    },
                ],
                false,
                false,
            ));
        }
        body.push_str("<table><tr><th>rule</th>");
        for m in &card.months {
            body.push_str(&format!("<th>{}</th>", esc(&m.period)));
        }
        body.push_str("</tr>");
        for rule in &card.rules {
            body.push_str(&format!("<tr><td>{}</td>", esc(rule)));
            for m in &card.months {
                body.push_str(&format!("<td>{}</td>", percent(share(m, rule))));
            }
            body.push_str("</tr>");
        }
        body.push_str("</table>");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\"><title>Scorecard history</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )
}
