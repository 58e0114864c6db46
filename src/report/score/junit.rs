//! `--format junit`: one test suite per scorecard × entity, one test case per rule. Only what
//! fails the gate is a failure (a rule that could not be evaluated is an error, as it fails the
//! job); a failing rule the gate does not enforce is skipped with a message, so a CI test view
//! shows the same verdict as the exit status.

use super::{GroupBy, failing_text, groups};
use crate::score::Report;
use crate::score::eval::Status;

fn xml(s: &str) -> String {
    // XML 1.0 has no place for most control characters, even escaped: they are dropped.
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// One test case: its name, file and what it holds (empty: passed).
struct Case {
    name: String,
    body: String,
    kind: Kind,
}

#[derive(PartialEq)]
enum Kind {
    Passed,
    Failure,
    Error,
    Skipped,
}

fn skipped(message: &str) -> (Kind, String) {
    (
        Kind::Skipped,
        format!("      <skipped message=\"{}\"/>\n", xml(message)),
    )
}

pub fn render(report: &Report, group_by: Option<GroupBy>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"callboard score\">\n",
    );
    let gate = report.gate_index();
    let introduced = report
        .comparison
        .as_ref()
        .map(crate::score::delta::Comparison::introduced_keys);
    for (card_index, c) in report.cards.iter().enumerate() {
        for e in &c.entities {
            // With --base, a failure the base had too is reported as skipped, not failed.
            let existing = |r: &crate::score::eval::RuleResult| {
                super::delta::is_existing_failure(
                    introduced.as_ref(),
                    (&c.card.id, e.reference.as_str(), &r.id),
                    r.status,
                )
            };
            let mut cases = Vec::new();
            let entity_reasons: Vec<&str> = gate
                .entity_reasons(card_index, &e.reference)
                .iter()
                .map(|g| g.reason.as_str())
                .collect();
            if !entity_reasons.is_empty() {
                cases.push(Case {
                    name: "gate".to_string(),
                    body: format!(
                        "      <failure message=\"{}\"/>\n",
                        xml(&entity_reasons.join("; "))
                    ),
                    kind: Kind::Failure,
                });
            }
            for r in &e.rules {
                let gated = gate.rule_fails_gate(card_index, &e.reference, &r.id);
                let (kind, body) = match r.status {
                    _ if existing(r) => {
                        skipped(&super::delta::existing_message(report, &r.message))
                    }
                    Status::Error => (
                        Kind::Error,
                        format!("      <error message=\"{}\"/>\n", xml(&r.message)),
                    ),
                    Status::Fail | Status::Warn | Status::Unknown if gated => (
                        Kind::Failure,
                        format!(
                            "      <failure message=\"{}: {}\"/>\n",
                            r.status.as_str(),
                            xml(&r.message)
                        ),
                    ),
                    Status::Fail | Status::Warn | Status::Unknown => skipped(&format!(
                        "{} (the gate does not enforce it): {}",
                        r.status.as_str(),
                        r.message
                    )),
                    Status::NotApplicable => skipped("n/a"),
                    Status::Waived => {
                        skipped(&format!("waived: {}", r.waiver.as_deref().unwrap_or("")))
                    }
                    Status::Pass => (Kind::Passed, String::new()),
                };
                cases.push(Case {
                    name: r.id.clone(),
                    body,
                    kind,
                });
            }
            let count = |k: Kind| cases.iter().filter(|c| c.kind == k).count();
            out.push_str(&format!(
                "  <testsuite name=\"{}: {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
                xml(&c.card.id),
                xml(e.reference.as_str()),
                cases.len(),
                count(Kind::Failure),
                count(Kind::Error),
                count(Kind::Skipped),
            ));
            let mut properties: Vec<(&str, String)> = Vec::new();
            if let Some(by) = group_by {
                properties.push((by.as_str(), by.key(e)));
            }
            if !c.card.tiers.is_empty() {
                properties.push(("tier", super::tier_name(&c.card, e)));
            }
            if !properties.is_empty() {
                out.push_str("    <properties>\n");
                for (name, value) in properties {
                    out.push_str(&format!(
                        "      <property name=\"{name}\" value=\"{}\"/>\n",
                        xml(&value)
                    ));
                }
                out.push_str("    </properties>\n");
            }
            let classname = xml(&format!("{}.{}", c.card.id, e.reference));
            for case in cases {
                out.push_str(&format!(
                    "    <testcase classname=\"{classname}\" name=\"{}\" file=\"{}\"",
                    xml(&case.name),
                    xml(&e.file)
                ));
                if case.body.is_empty() {
                    out.push_str("/>\n");
                } else {
                    out.push_str(">\n");
                    out.push_str(&case.body);
                    out.push_str("    </testcase>\n");
                }
            }
            out.push_str("  </testsuite>\n");
        }
        if let Some(by) = group_by {
            out.push_str(&roll_up(c, by));
        }
    }
    if let Some(c) = &report.comparison {
        out.push_str(&super::delta::junit_suite(c, xml));
    }
    out.push_str("</testsuites>\n");
    out
}

/// `--group-by`: one suite per scorecard with a passed case per group, its counts as output.
fn roll_up(c: &crate::score::CardReport, by: GroupBy) -> String {
    let groups = groups(c, by);
    let mut out = format!(
        "  <testsuite name=\"{}: by {}\" tests=\"{}\" failures=\"0\" errors=\"0\" skipped=\"0\">\n",
        xml(&c.card.id),
        by.as_str(),
        groups.len()
    );
    for g in &groups {
        let levels: Vec<String> = std::iter::once("none")
            .chain(c.card.levels.iter().map(String::as_str))
            .zip(&g.levels)
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        let tiers = if c.card.tiers.is_empty() {
            String::new()
        } else {
            format!("; by tier: {}", super::tier_counts_text(&c.card, g))
        };
        out.push_str(&format!(
            "    <testcase classname=\"{}.by-{}\" name=\"{}\">\n      <system-out>{} entities; by level: {}{}; failing rules: {}</system-out>\n    </testcase>\n",
            xml(&c.card.id),
            by.as_str(),
            xml(&g.key),
            g.entities,
            xml(&levels.join(", ")),
            xml(&tiers),
            xml(&failing_text(g, usize::MAX)),
        ));
    }
    out.push_str("  </testsuite>\n");
    out
}
