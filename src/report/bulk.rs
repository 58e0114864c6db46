//! Renderers of the bulk commands: `catalog query`, `graph`, and the change report of `edit`,
//! `rename` and `migrate`. The decisions (what was written, what was refused) are made by the
//! command; these functions only render them.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::json;

use crate::bulk::{FileChange, Refusal, Selected};
use crate::diag::Diagnostic;

fn path_of(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// `catalog query --format text`: entity, owner and file.
pub fn query_table(selected: &[Selected]) -> String {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["entity", "owner", "file"]);
    for s in selected {
        table.add_row(vec![
            s.reference.to_string(),
            s.root
                .pointer("/spec/owner")
                .and_then(|n| n.as_str())
                .unwrap_or("")
                .to_string(),
            path_of(s.file),
        ]);
    }
    format!("{table}\n{} entities\n", selected.len())
}

pub fn query_refs(selected: &[Selected]) -> String {
    selected
        .iter()
        .map(|s| format!("{}\n", s.reference))
        .collect()
}

pub fn query_files(selected: &[Selected]) -> String {
    selected
        .iter()
        .map(|s| path_of(s.file))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|f| f + "\n")
        .collect()
}

fn query_item(s: &Selected) -> serde_json::Value {
    json!({
        "ref": s.reference.to_string(),
        "file": path_of(s.file),
        "line": s.root.pointer("/metadata/name").map_or(1, |n| n.span.start.line),
        "entity": s.root.to_json(),
    })
}

/// `catalog query --format json`: `{version, count, entities}`.
pub fn query_json(selected: &[Selected]) -> String {
    let items: Vec<serde_json::Value> = selected.iter().map(query_item).collect();
    let mut s = serde_json::to_string_pretty(
        &json!({"version": 1, "count": items.len(), "entities": items}),
    )
    .unwrap_or_default();
    s.push('\n');
    s
}

pub fn query_ndjson(selected: &[Selected]) -> String {
    selected
        .iter()
        .map(|s| format!("{}\n", query_item(s)))
        .collect()
}

/// The relation graph: node labels are entity references, edges are labelled relations.
pub struct Graph {
    pub nodes: BTreeSet<String>,
    pub edges: BTreeSet<(String, String, String)>,
}

/// A DOT double-quoted string: `"` and `\` escaped, line breaks as `\n`.
fn dot_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Mermaid label text: inside `["…"]` and `|…|` only entity codes are safe for `"`, `|`, `[`,
/// `]`, `<`, `>` and friends (Mermaid's `#quot;` form).
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' | '|' | '[' | ']' | '{' | '}' | '(' | ')' | '<' | '>' | '`' | ';' => {
                out.push_str(&format!("#{};", c as u32))
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn graph_dot(g: &Graph) -> String {
    let mut out = String::from(
        "digraph catalog {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for n in &g.nodes {
        out.push_str(&format!("  {};\n", dot_string(n)));
    }
    for (a, rel, b) in &g.edges {
        out.push_str(&format!(
            "  {} -> {} [label={}];\n",
            dot_string(a),
            dot_string(b),
            dot_string(rel)
        ));
    }
    out.push_str("}\n");
    out
}

pub fn graph_mermaid(g: &Graph) -> String {
    // Index-based ids: names that differ only in punctuation must stay distinct.
    let ids: std::collections::BTreeMap<&String, String> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n, format!("n{i}")))
        .collect();
    let id = |r: &String| ids.get(r).cloned().unwrap_or_default();
    let mut out = String::from("flowchart LR\n");
    for n in &g.nodes {
        out.push_str(&format!("  {}[\"{}\"]\n", id(n), mermaid_text(n)));
    }
    for (a, rel, b) in &g.edges {
        out.push_str(&format!(
            "  {} -->|{}| {}\n",
            id(a),
            mermaid_text(rel),
            id(b)
        ));
    }
    out
}

/// What became of the files of a change: decided by the command, rendered here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteStatus {
    /// No `--write`: nothing was written.
    DryRun,
    /// `--write`, but there was nothing to change.
    NothingToWrite,
    /// `--write`: every file was replaced.
    Written,
    /// Not written: an operation was refused for some entity.
    Refused,
    /// Not written: the change introduces validation errors (no `--force`).
    NewErrors,
    /// Not written: the work tree has uncommitted changes (no `--allow-dirty`).
    Dirty,
    /// Not written: whether the work tree is clean could not be told.
    DirtyUnknown(String),
    /// Writing failed (the message says how many files were replaced).
    Failed(String),
}

impl WriteStatus {
    /// The JSON `status` value.
    pub fn id(&self) -> &'static str {
        match self {
            WriteStatus::DryRun => "dry-run",
            WriteStatus::NothingToWrite => "nothing-to-write",
            WriteStatus::Written => "written",
            WriteStatus::Refused => "refused",
            WriteStatus::NewErrors => "new-errors",
            WriteStatus::Dirty => "dirty",
            WriteStatus::DirtyUnknown(_) => "dirty-unknown",
            WriteStatus::Failed(_) => "failed",
        }
    }

    /// What the summary line of a diff ends with.
    pub fn summary_tail(&self) -> &'static str {
        match self {
            WriteStatus::DryRun => " (dry run: nothing written; add --write to apply)",
            WriteStatus::Written | WriteStatus::NothingToWrite => "",
            _ => " (not written)",
        }
    }

    /// The line printed on standard error (and nothing for a plain dry run).
    pub fn message(&self, changes: usize, refusals: usize) -> Option<String> {
        Some(match self {
            WriteStatus::DryRun | WriteStatus::NothingToWrite => return None,
            WriteStatus::Written => format!(
                "wrote {changes} {}",
                if changes == 1 { "file" } else { "files" }
            ),
            WriteStatus::Refused => format!(
                "not written: {refusals} {} refused; nothing was changed (fix or narrow the selection)",
                if refusals == 1 { "change was" } else { "changes were" }
            ),
            WriteStatus::NewErrors => "not written: the change introduces validation errors (use --force to write anyway)".into(),
            WriteStatus::Dirty => "not written: the git work tree has uncommitted changes (commit or stash them, or use --allow-dirty)".into(),
            WriteStatus::DirtyUnknown(e) => format!(
                "not written: cannot tell whether the git work tree is clean ({e}); fix the repository or use --allow-dirty"
            ),
            WriteStatus::Failed(e) => format!("error: {e}"),
        })
    }
}

/// The planned change of `edit`, `rename` or `migrate`, with what became of it.
pub struct ChangeReport<'a> {
    pub changes: &'a [FileChange],
    pub refusals: &'a [Refusal],
    pub new_errors: &'a [Diagnostic],
    pub status: WriteStatus,
    /// `catalog new` and `move`: whether a Location reaches the file the entity goes into.
    pub reach: Option<&'a crate::bulk::new_entity::Reach>,
}

/// The warning for a new file no Location reaches, None when one does.
fn reach_warning(r: &ChangeReport) -> Option<String> {
    let reach = r.reach.filter(|reach| reach.reached_by.is_none())?;
    let file = path_of(&reach.file);
    Some(match &reach.suggestion {
        Some((location, target)) => format!(
            "warning: no Location of the catalog reaches {file}, so Backstage will not read it: add the target {target} to the Location in {}\n",
            path_of(location)
        ),
        None => format!(
            "warning: no Location of the catalog reaches {file}, so Backstage will not read it unless it is registered (or discovered); no Location lies above it to extend\n"
        ),
    })
}

/// stderr lines: refusals, errors the change would introduce, and the write status.
pub fn change_messages(r: &ChangeReport) -> String {
    let mut out = String::new();
    for refusal in r.refusals {
        out.push_str(&format!(
            "refused: {}{}: {}\n",
            refusal.path.display(),
            if refusal.entity.is_empty() {
                String::new()
            } else {
                format!(" ({})", refusal.entity)
            },
            refusal.reason
        ));
    }
    for d in r.new_errors {
        out.push_str(&format!(
            "error[{}]: {}:{}: {} (introduced by this change)\n",
            d.code.id(),
            d.file
                .as_ref()
                .map_or(String::new(), |f| f.display().to_string()),
            d.span.map_or(1, |s| s.start.line.max(1)),
            d.message
        ));
    }
    out.extend(reach_warning(r));
    if let Some(m) = r.status.message(r.changes.len(), r.refusals.len()) {
        out.push_str(&m);
        out.push('\n');
    }
    out
}

/// `--format diff`: a unified diff per file and a summary line that says what was written.
pub fn change_diff(r: &ChangeReport) -> String {
    let mut out: String = r
        .changes
        .iter()
        .map(|c| {
            let name = path_of(&c.path);
            // New and deleted files as git writes them, so `git apply` creates and deletes them.
            if c.created {
                super::diff::unified(&c.old, &c.new, "/dev/null", &format!("b/{name}"))
            } else if c.deleted {
                super::diff::unified(&c.old, &c.new, &format!("a/{name}"), "/dev/null")
            } else {
                super::diff::of_file(&c.old, &c.new, &path_of(&c.path))
            }
        })
        .collect();
    let entities = r
        .changes
        .iter()
        .flat_map(|c| c.changes.iter().map(|(e, _)| e))
        .collect::<BTreeSet<_>>()
        .len();
    let fields: usize = r.changes.iter().map(|c| c.changes.len()).sum();
    let tail = r.status.summary_tail();
    out.push_str(&format!(
        "{} files, {entities} entities, {fields} fields changed{tail}\n",
        r.changes.len()
    ));
    out
}

/// `--format json`: every change, every refusal, the errors the change would introduce and
/// what was written.
pub fn change_json(r: &ChangeReport) -> String {
    let items: Vec<serde_json::Value> = r
        .changes
        .iter()
        .flat_map(|c| {
            c.changes.iter().map(move |(entity, ch)| {
                json!({"file": path_of(&c.path), "line": ch.line, "entity": entity, "path": ch.path, "old": ch.old, "new": ch.new})
            })
        })
        .collect();
    let refused: Vec<serde_json::Value> = r
        .refusals
        .iter()
        .map(|x| json!({"file": path_of(&x.path), "entity": x.entity, "reason": x.reason}))
        .collect();
    let new_errors: Vec<serde_json::Value> = r
        .new_errors
        .iter()
        .map(|d| {
            json!({
                "code": d.code.id(),
                "message": d.message,
                "file": d.file.as_deref().map(path_of),
                "line": d.span.map(|s| s.start.line),
            })
        })
        .collect();
    let paths = |pick: fn(&FileChange) -> bool| -> Vec<String> {
        r.changes
            .iter()
            .filter(|c| pick(c))
            .map(|c| path_of(&c.path))
            .collect()
    };
    let (created, deleted) = (paths(|c| c.created), paths(|c| c.deleted));
    let mut value = json!({
        "version": 1,
        "written": r.status == WriteStatus::Written,
        "status": r.status.id(),
        "files": r.changes.len(),
        "created": created,
        "deleted": deleted,
        "changes": items,
        "refused": refused,
        "newErrors": new_errors,
    });
    if let Some(reach) = r.reach {
        let (file, target) = reach
            .reached_by
            .as_ref()
            .or(reach.suggestion.as_ref())
            .map_or((None, None), |(f, t)| (Some(path_of(f)), Some(t.clone())));
        value["location"] = json!({
            "reached": reach.reached_by.is_some(),
            "file": file,
            "target": target,
        });
    }
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
