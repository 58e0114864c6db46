//! `--format markdown`: for a pull-request comment, a wiki page or `$GITHUB_STEP_SUMMARY`.
//! The verdict, blockers and actions at the top; metric tables folded in `<details>`.

use super::{
    SECTIONS, TEAM_HEAD, compare_line, describe, estimate_line, facts_line, funnel_rows,
    gate_status, gate_value, header, metric_head, metric_rows, phase_line, team_cells, team_intro,
    thresholds_line, trend_rows, usage_warning,
};
use crate::adoption::Report;
use crate::adoption::verdict::format_value;

use crate::report::escape::markdown as escape;
use crate::report::markdown::{BoundedMarkdown, MarkdownLimit, Section};

fn table<S: AsRef<str>>(out: &mut String, head: &[S], rows: &[Vec<String>]) {
    let head: Vec<&str> = head.iter().map(AsRef::as_ref).collect();
    out.push_str(&format!("| {} |\n", head.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(head.len())));
    for cells in rows {
        out.push_str(&row(cells));
    }
    out.push('\n');
}

/// A table row of escaped cells.
fn row(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
    format!("| {} |\n", cells.join(" | "))
}

/// The report cut to `limit` (report/markdown.rs): verdict, blockers and actions first, then
/// the gates, then the metric tables.
pub fn render(r: &Report, limit: MarkdownLimit) -> String {
    let v = &r.verdict;
    let mut out = format!("## Adoption report — {}\n\n", phase_line(r));
    out.push_str(&format!("{}\n\n", escape(&header(r))));
    out.push_str(&format!(
        "- {}\n- {}\n- {}\n\n",
        escape(&estimate_line(r)),
        escape(&facts_line(r)),
        escape(&thresholds_line(r))
    ));
    if let Some(w) = usage_warning(r) {
        out.push_str(&format!("> **Warning**: {}\n\n", escape(&w)));
    }
    if let Some(line) = compare_line(r) {
        out.push_str(&format!("**Change**: {}\n\n", escape(&line)));
    }

    if !v.blockers.is_empty() {
        out.push_str(&match v.phase {
            Some(p) => format!("### Blocking phase {}\n\n", p + 1),
            None => "### Blocking the verdict\n\n".to_string(),
        });
        for b in &v.blockers {
            out.push_str(&format!("- {}\n", escape(b)));
        }
        out.push('\n');
    }
    if !v.actions.is_empty() {
        out.push_str("### Next actions\n\n");
        for (i, a) in v.actions.iter().enumerate() {
            out.push_str(&format!(
                "{}. {}  \n   _evidence: {}_\n",
                i + 1,
                escape(&a.text),
                escape(&a.evidence)
            ));
        }
        out.push('\n');
    }

    let mut md = BoundedMarkdown::new(out);
    let mut gates = Section::new(
        "### Gates\n\n| phase | gate | value | threshold | status |\n|---|---|---|---|---|\n",
        "gates",
    );
    for cells in v.gates.iter().map(|g| {
        vec![
            g.def.phase.to_string(),
            g.def.title.to_string(),
            gate_value(g),
            format!(">= {}", format_value(g.def.unit, g.threshold)),
            match g.status {
                crate::adoption::verdict::GateStatus::Pass => "✅ pass".to_string(),
                crate::adoption::verdict::GateStatus::Fail => "❌ fail".to_string(),
                crate::adoption::verdict::GateStatus::NotApplicable => {
                    format!("➖ {}", gate_status(g))
                }
            },
        ]
    }) {
        gates.push(row(&cells));
    }
    md.section(gates);

    let mut tables = Section::new("", "metric tables");
    for (title, prefix) in SECTIONS {
        let rows: Vec<Vec<String>> = metric_rows(r, prefix)
            .into_iter()
            .map(|(id, value, then)| {
                let mut row = vec![format!("`{id}`"), value];
                if let Some((base, change)) = then {
                    row.extend([base, change]);
                }
                row.push(describe(&id));
                row
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        // Open when comparing: the changes are what a pull-request comment is read for.
        let mut out = String::new();
        out.push_str(&format!(
            "<details{}><summary>{title}</summary>\n\n",
            if r.compare.is_some() { " open" } else { "" }
        ));
        table(&mut out, &metric_head(r, "what it counts"), &rows);
        out.push_str("</details>\n\n");
        tables.push(out);
    }

    if let Some(u) = &r.usage {
        let rows = funnel_rows(r);
        if !rows.is_empty() {
            let mut out = String::new();
            out.push_str("<details><summary>Usage funnel and top lists</summary>\n\n");
            table(&mut out, &["usage funnel", "users", "of eligible"], &rows);
            for top in u.tops.iter().filter(|t| !t.rows.is_empty()) {
                out.push_str(&format!("**{}**\n\n", top.title));
                let rows: Vec<Vec<String>> = top
                    .rows
                    .iter()
                    .map(|(n, c)| vec![n.clone(), c.to_string()])
                    .collect();
                table(&mut out, &["name", "count"], &rows);
            }
            out.push_str("</details>\n\n");
            tables.push(out);
        }
    }

    if !r.teams.rows.is_empty() {
        let mut out = String::new();
        out.push_str(&format!(
            "<details{}><summary>Teams ({})</summary>\n\n{}\n\n",
            if r.compare.is_some() { "" } else { " open" },
            r.teams.rows.len(),
            escape(&team_intro(r))
        ));
        let rows: Vec<Vec<String>> = r
            .teams
            .rows
            .iter()
            .map(|row| team_cells(row).into_iter().map(|c| c.0).collect())
            .collect();
        table(&mut out, TEAM_HEAD, &rows);
        out.push_str("</details>\n\n");
        tables.push(out);
    }

    let (head, rows) = trend_rows(r);
    if !rows.is_empty() {
        let mut out = String::new();
        out.push_str("<details><summary>Trend (month ends)</summary>\n\n");
        table(&mut out, &head, &rows);
        out.push_str("</details>\n\n");
        tables.push(out);
    }
    tables.closing = String::new();
    md.section(tables);

    md.footer(
        r.notes
            .iter()
            .map(|note| format!("> note: {}\n", escape(note)))
            .collect::<String>(),
    );
    md.render(limit)
}
