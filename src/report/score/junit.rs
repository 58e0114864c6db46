//! `--format junit`: one test suite per scorecard × entity, one test case per rule.

use crate::score::Report;
use crate::score::eval::Status;

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

pub fn render(report: &Report) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"callboard score\">\n",
    );
    let introduced = report
        .comparison
        .as_ref()
        .map(crate::score::delta::Comparison::introduced_keys);
    for c in &report.cards {
        for e in &c.entities {
            // With --base, a failure the base had too is reported as skipped, not failed.
            let existing = |r: &crate::score::eval::RuleResult| {
                super::delta::is_existing_failure(
                    introduced.as_ref(),
                    (&c.card.id, e.reference.as_str(), &r.id),
                    r.status,
                )
            };
            let failures = e
                .rules
                .iter()
                .filter(|r| matches!(r.status, Status::Fail) && !existing(r))
                .count();
            let errors = e
                .rules
                .iter()
                .filter(|r| matches!(r.status, Status::Error) && !existing(r))
                .count();
            let skipped = e
                .rules
                .iter()
                .filter(|r| {
                    matches!(
                        r.status,
                        Status::NotApplicable | Status::Waived | Status::Unknown
                    ) || existing(r)
                })
                .count();
            out.push_str(&format!(
                "  <testsuite name=\"{}: {}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n",
                xml(&c.card.id),
                xml(e.reference.as_str()),
                e.rules.len()
            ));
            for r in &e.rules {
                out.push_str(&format!(
                    "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
                    xml(&format!("{}.{}", c.card.id, e.reference)),
                    xml(&r.id),
                    xml(&e.file)
                ));
                let body = match r.status {
                    _ if existing(r) => format!(
                        "      <skipped message=\"{}\"/>\n",
                        xml(&super::delta::existing_message(report, &r.message))
                    ),
                    Status::Fail => format!("      <failure message=\"{}\"/>\n", xml(&r.message)),
                    Status::Error => format!("      <error message=\"{}\"/>\n", xml(&r.message)),
                    Status::Warn => format!(
                        "      <system-out>warning: {}</system-out>\n",
                        xml(&r.message)
                    ),
                    Status::NotApplicable => "      <skipped message=\"n/a\"/>\n".to_string(),
                    Status::Unknown => {
                        format!("      <skipped message=\"{}\"/>\n", xml(&r.message))
                    }
                    Status::Waived => format!(
                        "      <skipped message=\"waived: {}\"/>\n",
                        xml(r.waiver.as_deref().unwrap_or(""))
                    ),
                    Status::Pass => String::new(),
                };
                if body.is_empty() {
                    out.push_str("/>\n");
                } else {
                    out.push_str(">\n");
                    out.push_str(&body);
                    out.push_str("    </testcase>\n");
                }
            }
            out.push_str("  </testsuite>\n");
        }
    }
    if let Some(c) = &report.comparison {
        out.push_str(&super::delta::junit_suite(c, xml));
    }
    out.push_str("</testsuites>\n");
    out
}
