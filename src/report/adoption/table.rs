//! The default terminal view: the verdict block, gates, blockers and actions, then metric tables
//! and the monthly trend.

use comfy_table::{ContentArrangement, Table, presets};

use super::{
    SECTIONS, TEAM_HEAD, compare_line, describe, estimate_line, facts_line, funnel_rows,
    gate_status, gate_value, header, metric_head, metric_rows, phase_line, team_cells, team_intro,
    thresholds_line, trend_rows, usage_warning,
};
use crate::adoption::Report;
use crate::adoption::verdict::format_value;

fn table() -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t
}

pub fn render(r: &Report) -> String {
    let v = &r.verdict;
    let mut out = format!("Adoption report: {}\n\n", header(r));
    out.push_str(&format!("{}\n", phase_line(r)));
    out.push_str(&format!("  {}\n", estimate_line(r)));
    out.push_str(&format!("  {}\n", facts_line(r)));
    out.push_str(&format!("  {}\n", thresholds_line(r)));
    if let Some(w) = usage_warning(r) {
        out.push_str(&format!("  warning: {w}\n"));
    }
    if let Some(line) = compare_line(r) {
        out.push_str(&format!("  {line}\n"));
    }
    out.push('\n');

    let mut gates = table();
    gates.set_header(vec!["phase", "gate", "value", "threshold", "status"]);
    for g in &v.gates {
        gates.add_row(vec![
            g.def.phase.to_string(),
            g.def.title.to_string(),
            gate_value(g),
            format!(">= {}", format_value(g.def.unit, g.threshold)),
            gate_status(g),
        ]);
    }
    out.push_str(&format!("Gates\n{gates}\n\n"));

    if !v.blockers.is_empty() {
        out.push_str(&match v.phase {
            Some(p) => format!("Blocking phase {}\n", p + 1),
            None => "Blocking the verdict\n".to_string(),
        });
        for b in &v.blockers {
            out.push_str(&format!("  - {b}\n"));
        }
        out.push('\n');
    }
    if !v.actions.is_empty() {
        out.push_str("Next actions\n");
        for (i, a) in v.actions.iter().enumerate() {
            out.push_str(&format!(
                "  {}. {}\n     evidence: {}\n",
                i + 1,
                a.text,
                a.evidence
            ));
        }
        out.push('\n');
    }

    for (title, prefix) in SECTIONS {
        let rows = metric_rows(r, prefix);
        if rows.is_empty() {
            continue;
        }
        let mut t = table();
        t.set_header(metric_head(r, "what it counts"));
        for (id, value, then) in rows {
            let mut row = vec![id.clone(), value];
            if let Some((base, change)) = then {
                row.extend([base, change]);
            }
            row.push(describe(&id));
            t.add_row(row);
        }
        out.push_str(&format!("{title}\n{t}\n\n"));
    }

    if let Some(u) = &r.usage {
        let rows = funnel_rows(r);
        if !rows.is_empty() {
            let mut t = table();
            t.set_header(vec!["usage funnel", "users", "of eligible"]);
            for row in rows {
                t.add_row(row);
            }
            out.push_str(&format!("Usage funnel\n{t}\n\n"));
        }
        for top in u.tops.iter().filter(|t| !t.rows.is_empty()) {
            let mut t = table();
            t.set_header(vec!["name", "count"]);
            for (name, n) in &top.rows {
                t.add_row(vec![name.clone(), n.to_string()]);
            }
            out.push_str(&format!("{}\n{t}\n\n", top.title));
        }
    }

    if !r.teams.rows.is_empty() {
        let mut t = table();
        t.set_header(TEAM_HEAD.to_vec());
        for row in &r.teams.rows {
            t.add_row(team_cells(row).into_iter().map(|c| c.0).collect::<Vec<_>>());
        }
        out.push_str(&format!("Teams\n  {}\n{t}\n\n", team_intro(r)));
    }

    let (head, rows) = trend_rows(r);
    if !rows.is_empty() {
        let mut t = table();
        t.set_header(head);
        for row in rows {
            t.add_row(row);
        }
        out.push_str(&format!("Trend (month ends)\n{t}\n\n"));
    }

    for note in &r.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}
