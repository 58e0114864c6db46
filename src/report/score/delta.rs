//! `score --base`: the section on what the change does, in text and markdown, and the marks
//! other formats put on each rule result. Kept apart from the per-scorecard renderers.

use std::collections::HashSet;

use crate::report::escape::{control, markdown as escape};
use crate::score::delta::{Comparison, EntityDelta, Presence};
use crate::score::eval::Status;

/// (scorecard, entity, rule) of the introduced failures.
pub type Introduced<'a> = HashSet<(&'a str, &'a str, &'a str)>;

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

fn summary(c: &Comparison) -> String {
    let n = &c.counts;
    format!(
        "{} new failing rules, {} fixed, {} still failing; {} levels lowered, {} raised; {} scope exits; {} removed from the catalog",
        n.introduced,
        n.fixed,
        n.existing,
        n.levels_lowered,
        n.levels_raised,
        n.scope_exits,
        n.removed
    )
}

/// What happened to the entity's level or place, in words.
fn standing(d: &EntityDelta) -> String {
    let level = |l: &Option<String>| l.clone().unwrap_or_else(|| "–".into());
    match d.presence {
        Presence::Both => {
            let arrow = if d.level_before == d.level_after {
                String::new()
            } else if d.level_lowered {
                " (lowered)".into()
            } else {
                " (changed)".into()
            };
            format!(
                "{} → {}{arrow}",
                level(&d.level_before),
                level(&d.level_after)
            )
        }
        Presence::Added => format!("new in the catalog, {}", level(&d.level_after)),
        Presence::EnteredScope => format!("entered the scope, {}", level(&d.level_after)),
        Presence::LeftScope => match &d.scope_exit_allowed_by {
            Some(by) => format!("left the scope (accepted: {by})"),
            None => "left the scope while it stays in the catalog (fails)".into(),
        },
        Presence::Removed => "removed from the catalog".into(),
    }
}

/// The section for the table output.
pub fn text(c: &Comparison) -> String {
    let mut out = format!(
        "Against {} ({}): {}\n",
        control(&c.base),
        short(&c.commit),
        summary(c)
    );
    for d in &c.entities {
        out.push_str(&format!(
            "  {} ({}): {}\n",
            d.reference,
            control(&d.scorecard),
            standing(d)
        ));
        for r in &d.introduced {
            out.push_str(&format!(
                "    new: {} is {}{}: {}\n",
                r.id,
                r.after.unwrap_or("–"),
                r.before.map_or(String::new(), |b| format!(" (was {b})")),
                control(&r.message)
            ));
        }
        for r in &d.fixed {
            out.push_str(&format!(
                "    fixed: {} is {} (was {})\n",
                r.id,
                r.after.unwrap_or("–"),
                r.before.unwrap_or("–")
            ));
        }
    }
    for id in &c.removed_scorecards {
        out.push_str(&format!("  scorecard {} is gone\n", control(id)));
    }
    for id in &c.added_scorecards {
        out.push_str(&format!(
            "  scorecard {} is new (nothing in it counts as new)\n",
            control(id)
        ));
    }
    out.push('\n');
    out
}

/// The section for the markdown output: first in the comment.
pub fn markdown(c: &Comparison) -> String {
    let mut out = format!(
        "### What this pull request changes\n\nAgainst `{}` (`{}`): {}.\n\n",
        escape(&c.base).replace('`', "'"),
        short(&c.commit),
        summary(c)
    );
    if !c.entities.is_empty() {
        out.push_str("| | entity | scorecard | level | new failing rules | fixed |\n|---|---|---|---|---|---|\n");
        let ids = |rules: &[crate::score::delta::RuleDelta]| -> String {
            rules
                .iter()
                .map(|r| format!("`{}`", escape(&r.id)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        for d in &c.entities {
            out.push_str(&format!(
                "| {} | `{}` | `{}` | {} | {} | {} |\n",
                if Comparison::fails(d) { "❌" } else { "" },
                escape(d.reference.as_str()),
                escape(&d.scorecard),
                escape(&standing(d)),
                ids(&d.introduced),
                ids(&d.fixed),
            ));
        }
        out.push('\n');
    }
    for id in &c.removed_scorecards {
        out.push_str(&format!("- scorecard `{}` is gone\n", escape(id)));
    }
    for id in &c.added_scorecards {
        out.push_str(&format!(
            "- scorecard `{}` is new (nothing in it counts as new)\n",
            escape(id)
        ));
    }
    if !c.removed_scorecards.is_empty() || !c.added_scorecards.is_empty() {
        out.push('\n');
    }
    out
}

/// SARIF level and `baselineState` of a failing or warning rule result. With `--base`, only an
/// introduced failure is an error; one that fails at the base too is a note, `unchanged`.
pub fn sarif_level(
    introduced: Option<&Introduced<'_>>,
    key: (&str, &str, &str),
    status: Status,
) -> (&'static str, Option<&'static str>) {
    let failing = matches!(status, Status::Fail | Status::Error);
    match introduced {
        None if failing => ("error", None),
        None => ("warning", None),
        Some(set) if set.contains(&key) => ("error", Some("new")),
        Some(_) if failing => ("note", Some("unchanged")),
        Some(_) => ("warning", Some("unchanged")),
    }
}

/// With `--base`: is this failing rule result one the base had too (so it does not fail)?
pub fn is_existing_failure(
    introduced: Option<&Introduced<'_>>,
    key: (&str, &str, &str),
    status: Status,
) -> bool {
    matches!(status, Status::Fail | Status::Error)
        && introduced.is_some_and(|set| !set.contains(&key))
}

/// The message of a failure the base revision has too.
pub fn existing_message(report: &crate::score::Report, message: &str) -> String {
    let base = report.comparison.as_ref().map_or("", |c| c.base.as_str());
    format!("fails at {base} too: {message}")
}

/// A JUnit suite for the comparison's own verdicts: one test case per entity whose level
/// dropped or that left a scorecard (its scope, or the catalog), failed when the ratchet fails
/// on it. Introduced rule failures are the `<failure>`s of the scorecard suites.
pub fn junit_suite(c: &Comparison, xml: fn(&str) -> String) -> String {
    let cases: Vec<&EntityDelta> = c
        .entities
        .iter()
        .filter(|d| {
            d.level_lowered || matches!(d.presence, Presence::LeftScope | Presence::Removed)
        })
        .collect();
    // Introduced failures aside, what fails here: a lower level, an unaccepted scope exit.
    let fails = |d: &EntityDelta| {
        Comparison::fails(d) && (d.level_lowered || d.presence == Presence::LeftScope)
    };
    let failures = cases.iter().filter(|d| fails(d)).count();
    let mut out = format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n",
        xml(&format!("against {}", c.base)),
        cases.len()
    );
    for d in cases {
        let body = if fails(d) {
            format!("<failure message=\"{}\"/>", xml(&standing(d)))
        } else {
            format!("<system-out>{}</system-out>", xml(&standing(d)))
        };
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\">\n      {body}\n    </testcase>\n",
            xml(&format!("{}.{}", d.scorecard, d.reference)),
            if d.level_lowered { "level" } else { "scope" },
            xml(&d.file),
        ));
    }
    out.push_str("  </testsuite>\n");
    out
}
