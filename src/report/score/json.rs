//! `--format json`: the versioned contract (version 1), also the `--baseline` input.
//! Serialised straight from borrowed structs: a 10k-entity report is tens of megabytes.

use serde::Serialize;

use super::level_name;
use crate::score::Report;
use crate::score::eval::{Evidence, Status};

pub const VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Output<'a> {
    version: u32,
    generated_at: Option<&'a str>,
    scorecards: Vec<Card<'a>>,
    gate: Gate<'a>,
    notes: &'a [String],
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
    entities: Vec<Entity<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entity<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    file: &'a str,
    score: Option<f64>,
    level: String,
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
    message: &'a str,
    evidence: Option<&'a Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remediation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    docs: Option<&'a str>,
}

pub fn render(report: &Report) -> String {
    let out = Output {
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
                    entities: c
                        .entities
                        .iter()
                        .map(|e| Entity {
                            reference: e.reference.as_str(),
                            file: &e.file,
                            score: e.score,
                            level: level_name(card, e.level),
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
                                        message: &r.message,
                                        evidence: r.evidence.as_ref(),
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
