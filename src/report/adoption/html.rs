//! `--format html`: one self-contained file (inline CSS, SVG and one small script that sorts
//! the team table; a Content-Security-Policy forbids every network load). Every chart has a
//! table fallback under it.

use super::{
    TEAM_HEAD, compare_line, estimate_line, facts_line, gate_status, gate_value, header,
    metric_head, metric_rows, phase_line, team_cells, team_intro, thresholds_line, usage_warning,
};
use crate::adoption::teams::TeamRow;
use crate::adoption::verdict::format_value;
use crate::adoption::{Report, Unit, metric_id};

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const W: f64 = 720.0;
const H: f64 = 280.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;
const COLORS: &[&str] = &[
    "#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#4b5563", "#db2777",
    "#65a30d", "#7c2d12",
];

pub(crate) struct Line<'a> {
    pub name: &'a str,
    pub points: Vec<(String, f64)>,
}

fn x_at(i: usize, n: usize) -> f64 {
    let span = W - LEFT - RIGHT;
    if n <= 1 {
        LEFT + span / 2.0
    } else {
        LEFT + span * i as f64 / (n - 1) as f64
    }
}

fn y_at(v: f64, max: f64) -> f64 {
    let span = H - TOP - BOTTOM;
    TOP + span * (1.0 - (v / max).clamp(0.0, 1.0))
}

/// A line chart over shared periods. `percent`: values are shares (0..1) shown as %.
/// `adoption_bands`: shade the 25/50/75 % bands and draw the 16 % chasm line.
/// Dash patterns per line, in order (the first line is solid).
const DASHES: &[&str] = &["", "8 5", "3 4", "12 4 3 4"];

pub(crate) fn line_chart(
    title: &str,
    lines: &[Line<'_>],
    percent: bool,
    adoption_bands: bool,
) -> String {
    let periods: Vec<&String> = lines
        .first()
        .map(|l| l.points.iter().map(|(p, _)| p).collect())
        .unwrap_or_default();
    let n = periods.len();
    let max = if percent {
        1.0
    } else {
        let m = lines
            .iter()
            .flat_map(|l| l.points.iter().map(|(_, v)| *v))
            .fold(0.0, f64::max);
        nice_max(m)
    };
    let mut svg = format!(
        "<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    if adoption_bands {
        let bands = [
            (0.0, 0.25, "#f3f4f6", "0–25 %"),
            (0.25, 0.5, "#e5e7eb", "25–50 %"),
            (0.5, 0.75, "#f3f4f6", "50–75 %"),
            (0.75, 1.0, "#e5e7eb", "75 %+"),
        ];
        for (lo, hi, fill, label) in bands {
            let (y1, y2) = (y_at(hi, 1.0), y_at(lo, 1.0));
            svg.push_str(&format!(
                "<rect x=\"{LEFT}\" y=\"{y1:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"band\">{label}</text>",
                W - LEFT - RIGHT,
                y2 - y1,
                W - RIGHT - 4.0,
                y1 + 14.0
            ));
        }
        let yc = y_at(0.16, 1.0);
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{yc:.1}\" x2=\"{:.1}\" y2=\"{yc:.1}\" class=\"chasm\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"chasm-label\">the chasm (16 %)</text>",
            W - RIGHT,
            LEFT + 6.0,
            yc - 5.0
        ));
    }
    // Axes and grid.
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let y = y_at(v, max);
        let label = if percent {
            format!("{:.0} %", v * 100.0)
        } else {
            format_count(v)
        };
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" class=\"grid\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{label}</text>",
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0
        ));
    }
    // At most about seven labels; the last one always, so drop a label that would crowd it.
    let step = n.div_ceil(7).max(1);
    for (i, p) in periods.iter().enumerate() {
        let last = i + 1 == n;
        // A regular label too close to the last one would overlap it (a label is about
        // 45 px wide; the end labels are anchored inwards).
        let crowds_last = x_at(n - 1, n) - x_at(i, n) < 100.0;
        if last || (i % step == 0 && !crowds_last) {
            // The end labels sit inside the chart, not half outside it.
            let anchor = if n > 1 && i == 0 {
                "start"
            } else if n > 1 && i + 1 == n {
                "end"
            } else {
                "middle"
            };
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"{anchor}\">{}</text>",
                x_at(i, n),
                H - BOTTOM + 18.0,
                esc(p)
            ));
        }
    }
    for (k, line) in lines.iter().enumerate() {
        let color = COLORS[k % COLORS.len()];
        let pts: Vec<String> = line
            .points
            .iter()
            .enumerate()
            .map(|(i, (_, v))| format!("{:.1},{:.1}", x_at(i, n), y_at(*v, max)))
            .collect();
        // Each line after the first is dashed, so a line lying on another stays visible.
        let dash = match DASHES[k % DASHES.len()] {
            "" => String::new(),
            d => format!(" stroke-dasharray=\"{d}\""),
        };
        svg.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.5\"{dash}/>",
            pts.join(" ")
        ));
        for p in &pts {
            let (x, y) = p.split_once(',').unwrap_or(("0", "0"));
            svg.push_str(&format!(
                "<circle cx=\"{x}\" cy=\"{y}\" r=\"3\" fill=\"{color}\"/>"
            ));
        }
    }
    svg.push_str("</svg>");
    let legend: String = lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            format!(
                "<span class=\"key\"><i style=\"background:{}\"></i>{}</span>",
                COLORS[k % COLORS.len()],
                esc(l.name)
            )
        })
        .collect();
    // Table fallback.
    let mut table = String::from("<details><summary>Data</summary><table><tr><th>period</th>");
    for l in lines {
        table.push_str(&format!("<th>{}</th>", esc(l.name)));
    }
    table.push_str("</tr>");
    for (i, p) in periods.iter().enumerate() {
        table.push_str(&format!("<tr><td>{}</td>", esc(p)));
        for l in lines {
            let v = l.points.get(i).map_or(0.0, |(_, v)| *v);
            let text = if percent {
                format_value(Unit::Share, v)
            } else {
                format_count(v)
            };
            table.push_str(&format!("<td>{text}</td>"));
        }
        table.push_str("</tr>");
    }
    table.push_str("</table></details>");
    format!(
        "<figure><figcaption>{}</figcaption>{svg}<div class=\"legend\">{legend}</div>{table}</figure>",
        esc(title)
    )
}

fn nice_max(m: f64) -> f64 {
    if m <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(m.log10().floor());
    for f in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if f * mag >= m {
            return f * mag;
        }
    }
    10.0 * mag
}

fn format_count(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The usage funnel: one horizontal bar per step, as a share of the eligible developers, with
/// the same numbers in a table under it.
fn funnel_chart(r: &Report) -> String {
    let rows = super::funnel_rows(r);
    let Some(u) = &r.usage else {
        return String::new();
    };
    let eligible = u.funnel.first().map_or(0, |s| s.count).max(1) as f64;
    let bar_h = 30.0;
    let label_w = 260.0;
    let height = TOP + bar_h * u.funnel.len() as f64 + 8.0;
    let span = W - label_w - RIGHT - 90.0;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {W} {height:.0}\" role=\"img\" aria-label=\"Usage funnel\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, step) in u.funnel.iter().enumerate() {
        let y = TOP + bar_h * i as f64;
        let share = (step.count as f64 / eligible).clamp(0.0, 1.0);
        let w = (span * share).max(1.0);
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\">{} · {}</text>",
            label_w - 8.0,
            y + bar_h * 0.62,
            esc(step.label),
            y + 4.0,
            bar_h - 8.0,
            COLORS[i % COLORS.len()],
            label_w + w + 6.0,
            y + bar_h * 0.62,
            step.count,
            esc(&format_value(Unit::Share, share)),
        ));
    }
    svg.push_str("</svg>");
    let mut table = String::from(
        "<details><summary>Data</summary><table><tr><th>step</th><th>users</th><th>of eligible</th></tr>",
    );
    for row in rows {
        table.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&row[0]),
            esc(&row[1]),
            esc(&row[2])
        ));
    }
    table.push_str("</table></details>");
    format!("<figure><figcaption>Usage funnel</figcaption>{svg}{table}</figure>")
}

fn series<'a>(r: &'a Report, id: &str, name: &'a str) -> Option<Line<'a>> {
    r.series(id).map(|s| Line {
        name,
        points: s.points.clone(),
    })
}

pub fn render(r: &Report) -> String {
    let v = &r.verdict;
    let mut body = String::new();
    body.push_str(&format!(
        "<h1>Adoption report</h1><p class=\"meta\">{}</p>",
        esc(&header(r))
    ));
    body.push_str(&format!(
        "<section class=\"verdict\"><h2>{}</h2><p>{}</p><p>{}</p><p class=\"meta\">{}</p></section>",
        esc(&phase_line(r)),
        esc(&estimate_line(r)),
        esc(&facts_line(r)),
        esc(&thresholds_line(r))
    ));
    if let Some(w) = usage_warning(r) {
        body.push_str(&format!("<p class=\"warning\">warning: {}</p>", esc(&w)));
    }
    if let Some(line) = compare_line(r) {
        body.push_str(&format!("<p class=\"meta\">{}</p>", esc(&line)));
    }
    if !v.blockers.is_empty() {
        body.push_str("<h2>Blockers</h2><ul>");
        for b in &v.blockers {
            body.push_str(&format!("<li>{}</li>", esc(b)));
        }
        body.push_str("</ul>");
    }
    if !v.actions.is_empty() {
        body.push_str("<h2>Next actions</h2><ol>");
        for a in &v.actions {
            body.push_str(&format!(
                "<li>{}<br><small>evidence: {}</small></li>",
                esc(&a.text),
                esc(&a.evidence)
            ));
        }
        body.push_str("</ol>");
    }

    body.push_str("<h2>Trends</h2>");
    // The adoption curve: without usage data, monthly catalog contributors as a share of the
    // eligible developers stand in for it (and say so).
    let eligible = r.inputs.eligible as f64;
    if let Some(mau) = r.series(metric_id::USAGE_MAU) {
        body.push_str(&line_chart(
            "Adoption curve: active users (28 days to each month end) per eligible developer",
            &[Line {
                name: "MAU / eligible",
                points: mau
                    .points
                    .iter()
                    .map(|(p, v)| (p.clone(), v.min(1.0)))
                    .collect(),
            }],
            true,
            true,
        ));
    } else if let Some(contributors) = r
        .series(metric_id::PEOPLE_CONTRIBUTORS)
        .filter(|_| eligible > 0.0)
    {
        let points = contributors
            .points
            .iter()
            .map(|(p, c)| (p.clone(), (c / eligible).min(1.0)))
            .collect();
        body.push_str(&line_chart(
            "Adoption curve: monthly catalog contributors per eligible developer (no usage data)",
            &[Line {
                name: "contributors / eligible",
                points,
            }],
            true,
            true,
        ));
    } else {
        body.push_str("<p>No adoption curve: it needs git history and Users in the catalog.</p>");
    }
    // The funnel next to the curve it explains.
    if r.usage.is_some() {
        body.push_str(&funnel_chart(r));
    }
    let kinds: Vec<Line<'_>> = r
        .series
        .iter()
        .filter(|s| s.id.starts_with("catalog.entities.") && s.points.iter().any(|(_, v)| *v > 0.0))
        .map(|s| Line {
            name: s.id.trim_start_matches("catalog.entities."),
            points: s.points.clone(),
        })
        .collect();
    if !kinds.is_empty() {
        body.push_str(&line_chart("Entities by kind", &kinds, false, false));
    }
    let coverage: Vec<Line<'_>> = [
        (metric_id::CATALOG_OWNERSHIP, "ownership"),
        (metric_id::CATALOG_DOCS, "docs"),
        (metric_id::CATALOG_TEAM_COVERAGE, "team coverage"),
        ("workflows.golden_path", "golden path"),
    ]
    .iter()
    .filter_map(|(id, name)| series(r, id, name))
    .collect();
    if !coverage.is_empty() {
        body.push_str(&line_chart("Coverage", &coverage, true, false));
    }
    let people: Vec<Line<'_>> = [
        (metric_id::PEOPLE_CONTRIBUTORS_NEW, "new contributors"),
        (
            metric_id::PEOPLE_CONTRIBUTORS_RETURNING,
            "returning contributors",
        ),
    ]
    .iter()
    .filter_map(|(id, name)| series(r, id, name))
    .collect();
    if !people.is_empty() {
        body.push_str(&line_chart(
            "Catalog contributors, new and returning",
            &people,
            false,
            false,
        ));
    }
    if r.series.is_empty() {
        body.push_str("<p>No trends: history needs a full clone (fetch-depth: 0).</p>");
    }
    if let Some(u) = &r.usage
        && u.tops.iter().any(|t| !t.rows.is_empty())
    {
        body.push_str("<h2>Usage top lists</h2>");
        for top in u.tops.iter().filter(|t| !t.rows.is_empty()) {
            body.push_str(&format!(
                "<h3>{}</h3><table><tr><th>name</th><th>count</th></tr>",
                esc(top.title)
            ));
            for (name, n) in &top.rows {
                body.push_str(&format!("<tr><td>{}</td><td>{n}</td></tr>", esc(name)));
            }
            body.push_str("</table>");
        }
    }

    teams_section(r, &mut body);

    body.push_str("<h2>Gates</h2><table><tr><th>phase</th><th>gate</th><th>value</th><th>threshold</th><th>status</th></tr>");
    for g in &v.gates {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>≥ {}</td><td class=\"{}\">{}</td></tr>",
            g.def.phase,
            esc(g.def.title),
            esc(&gate_value(g)),
            esc(&format_value(g.def.unit, g.threshold)),
            g.status.as_str().replace('/', ""),
            esc(&gate_status(g))
        ));
    }
    body.push_str("</table><h2>Metrics</h2><table><tr>");
    for h in metric_head(r, "meaning") {
        body.push_str(&format!("<th>{}</th>", esc(&h)));
    }
    body.push_str("</tr>");
    for (id, value, then) in metric_rows(r, "") {
        body.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td>",
            esc(&id),
            esc(&value)
        ));
        if let Some((base, change)) = then {
            body.push_str(&format!("<td>{}</td><td>{}</td>", esc(&base), esc(&change)));
        }
        body.push_str(&format!("<td>{}</td></tr>", esc(&super::describe(&id))));
    }
    body.push_str("</table>");
    if !r.notes.is_empty() {
        body.push_str("<h2>Notes</h2><ul>");
        for n in &r.notes {
            body.push_str(&format!("<li>{}</li>", esc(n)));
        }
        body.push_str("</ul>");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\"><title>Adoption report</title><style>{CSS}</style></head><body>{body}<script>{SORT_SCRIPT}</script></body></html>\n"
    )
}

pub(crate) const CSS: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#111827}\
h1{margin-bottom:.2rem}.meta{color:#6b7280}.warning{background:#fef3c7;border-left:4px solid #d97706;padding:.3rem 1rem}.verdict{background:#eff6ff;border-left:4px solid #2563eb;padding:.5rem 1rem}\
figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.3rem}svg{width:100%;height:auto;background:#fff}\
.grid{stroke:#e5e7eb}.axis{font-size:11px;fill:#6b7280}.band{font-size:11px;fill:#9ca3af;text-anchor:end}\
.chasm{stroke:#dc2626;stroke-width:2;stroke-dasharray:6 4}.chasm-label{font-size:11px;fill:#dc2626}\
.legend{font-size:12px;color:#374151}.key{margin-right:1rem}.key i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}\
table{border-collapse:collapse;font-size:13px;margin:.5rem 0}td,th{border:1px solid #e5e7eb;padding:.25rem .5rem;text-align:left}\
td.pass{color:#15803d}td.fail{color:#b91c1c}td.na{color:#6b7280}details{margin-top:.3rem;font-size:12px}\
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;text-align:left}th[aria-sort=ascending] button::after{content:' ▲'}th[aria-sort=descending] button::after{content:' ▼'}\
table.teams{font-size:12px}table.teams td,table.teams th{white-space:nowrap;padding:.2rem .35rem}table.teams th{white-space:normal}.scroll{overflow-x:auto}td.champion{color:#15803d;font-weight:600}td.inactive{color:#b91c1c}\
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.5rem 1rem}figure.small{margin:.3rem 0}figure.small figcaption{font-size:12px;font-weight:600}";

/// Nothing is loaded from anywhere: inline style and script only.
pub(crate) const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/// Sorts a `table.sortable` by the clicked column: numbers by `data-sort` (an unknown value,
/// `data-sort=""`, sorts lowest), text otherwise; a second click reverses.
const SORT_SCRIPT: &str = "document.querySelectorAll('table.sortable').forEach(function(t){\
var heads=t.tHead.rows[0].cells;\
Array.prototype.forEach.call(heads,function(h,i){h.querySelector('button').addEventListener('click',function(){\
var asc=h.getAttribute('aria-sort')!=='ascending';\
Array.prototype.forEach.call(heads,function(o){o.removeAttribute('aria-sort')});\
h.setAttribute('aria-sort',asc?'ascending':'descending');\
var num=function(c){var v=c.getAttribute('data-sort');return v===null?null:(v===''?-Infinity:parseFloat(v))};\
var rows=Array.prototype.slice.call(t.tBodies[0].rows);\
rows.sort(function(a,b){var x=num(a.cells[i]),y=num(b.cells[i]);\
var d=(x!==null&&y!==null)?(x===y?0:(x<y?-1:1)):a.cells[i].textContent.localeCompare(b.cells[i].textContent);\
return asc?d:-d});\
rows.forEach(function(r){t.tBodies[0].appendChild(r)})})})});";

/// The team table (sortable) and one small chart of monthly catalog edits per team.
fn teams_section(r: &Report, body: &mut String) {
    let rows = &r.teams.rows;
    if rows.is_empty() {
        return;
    }
    body.push_str(&format!(
        "<h2 id=\"teams\">Teams</h2><p class=\"meta\">{}. Click a column head to sort.</p><div class=\"scroll\"><table class=\"sortable teams\"><thead><tr>",
        esc(&team_intro(r))
    ));
    for h in TEAM_HEAD {
        body.push_str(&format!(
            "<th><button type=\"button\">{}</button></th>",
            esc(h)
        ));
    }
    body.push_str("</tr></thead><tbody>");
    for row in rows {
        body.push_str("<tr>");
        for (i, (text, key)) in team_cells(row).into_iter().enumerate() {
            // Numeric columns carry their number; an unknown one sorts lowest.
            let numeric = !matches!(TEAM_HEAD[i], "team" | "scorecard levels" | "status");
            let sort = match key {
                Some(k) => format!(" data-sort=\"{k}\""),
                None if numeric => " data-sort=\"\"".to_string(),
                None => String::new(),
            };
            let class = match text.as_str() {
                "champion" => " class=\"champion\"",
                "inactive" => " class=\"inactive\"",
                _ => "",
            };
            body.push_str(&format!("<td{sort}{class}>{}</td>", esc(&text)));
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div>");
    if rows.iter().any(|t| !t.edits_monthly.is_empty()) {
        let max = rows
            .iter()
            .flat_map(|t| t.edits_monthly.iter().map(|(_, n)| *n))
            .max()
            .unwrap_or(0)
            .max(1);
        body.push_str(&format!(
            "<h3>Catalog edits per month, per team</h3><p class=\"meta\">Commits by the team's members that change catalog files; one chart per team, same scale (0–{max}).</p><div class=\"multiples\">"
        ));
        for t in rows {
            body.push_str(&small_chart(t, max));
        }
        body.push_str("</div>");
    }
}

const SMALL_W: f64 = 180.0;
const SMALL_H: f64 = 60.0;

/// One team's monthly edits as bars, the first and last month under them.
fn small_chart(t: &TeamRow, max: usize) -> String {
    let n = t.edits_monthly.len().max(1);
    let slot = SMALL_W / n as f64;
    let mut bars = String::new();
    for (i, (period, edits)) in t.edits_monthly.iter().enumerate() {
        let h = (SMALL_H - 4.0) * *edits as f64 / max as f64;
        bars.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}: {edits}</title></rect>",
            i as f64 * slot + 1.0,
            SMALL_H - h,
            (slot - 2.0).max(1.0),
            if t.inactive == Some(true) { "#9ca3af" } else { "#2563eb" },
            esc(period)
        ));
    }
    let first = t.edits_monthly.first().map_or("", |p| p.0.as_str());
    let last = t.edits_monthly.last().map_or("", |p| p.0.as_str());
    format!(
        "<figure class=\"small\"><figcaption>{} <span class=\"meta\">{} in 90 d</span></figcaption><svg viewBox=\"0 0 {SMALL_W} {}\" role=\"img\" aria-label=\"catalog edits per month of {}\"><line class=\"grid\" x1=\"0\" y1=\"{SMALL_H}\" x2=\"{SMALL_W}\" y2=\"{SMALL_H}\"/>{bars}<text class=\"axis\" x=\"0\" y=\"{}\">{}</text><text class=\"axis\" x=\"{SMALL_W}\" y=\"{}\" text-anchor=\"end\">{}</text></svg></figure>",
        esc(&t.team),
        t.edits.map_or("–".to_string(), |e| e.to_string()),
        SMALL_H + 14.0,
        esc(&t.team),
        SMALL_H + 12.0,
        esc(first),
        SMALL_H + 12.0,
        esc(last)
    )
}
