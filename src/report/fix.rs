//! `catalog validate --fix`: the planned fixes as a unified diff, as lines for the terminal and
//! as the `fix` member of the validate JSON. What was written is decided by the command.

use serde_json::json;

use super::ValidateReport;
use super::bulk::{ChangeReport, WriteStatus};
use crate::bulk::{FileChange, Refusal};
use crate::diag::Diagnostic;
use crate::fix::{Fix, Skipped};

/// The fixes of one run and what became of them.
#[derive(Debug)]
pub struct FixReport {
    /// Planned, in file order.
    pub fixes: Vec<Fix>,
    /// Left for a second run: they touch the text of an earlier fix.
    pub skipped: Vec<Skipped>,
    /// The new content of each fixed file.
    pub changes: Vec<FileChange>,
    /// Files that could not be fixed (changed since they were read, unreadable).
    pub refusals: Vec<Refusal>,
    /// Errors the fixed files would have that the originals did not (a safety net).
    pub new_errors: Vec<Diagnostic>,
    pub status: WriteStatus,
}

impl FixReport {
    fn change_report(&self) -> ChangeReport<'_> {
        ChangeReport {
            changes: &self.changes,
            refusals: &self.refusals,
            new_errors: &self.new_errors,
            status: self.status.clone(),
            reach: None,
        }
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Standard output of a dry run: a unified diff per file (it applies with `git apply`) and a
/// summary line.
pub fn diff(fix: &FixReport, report: &ValidateReport) -> String {
    let mut out: String = fix
        .changes
        .iter()
        .map(|c| super::diff::of_file(&c.old, &c.new, &report.display_path(&c.path)))
        .collect();
    let tail = fix.status.summary_tail();
    out.push_str(&format!(
        "{} in {}{tail}\n",
        count(fix.fixes.len(), "fix", "fixes"),
        count(fix.changes.len(), "file", "files")
    ));
    out
}

/// Lines for standard error: each fix, each skipped fix with the reason, refusals, errors the
/// fixes would introduce and what was written.
pub fn messages(fix: &FixReport, report: &ValidateReport) -> String {
    let mut out = String::new();
    let at = |f: &Fix| format!("{}:{}", report.display_path(&f.file), f.line);
    for f in &fix.fixes {
        out.push_str(&format!("fix: {}: [{}] {}\n", at(f), f.code.id(), f.title));
    }
    for s in &fix.skipped {
        out.push_str(&format!(
            "skipped: {}: [{}] {}: {}\n",
            at(&s.fix),
            s.fix.code.id(),
            s.fix.title,
            s.reason
        ));
    }
    // The bulk commands' status lines, but fixes take no --force: a fix that would bring an
    // error is callboard's mistake.
    if fix.status == WriteStatus::NewErrors {
        let mut report = fix.change_report();
        report.status = WriteStatus::DryRun;
        out.push_str(&super::bulk::change_messages(&report));
        out.push_str("not written: the fixes would introduce validation errors; please report this as a callboard bug\n");
    } else {
        out.push_str(&super::bulk::change_messages(&fix.change_report()));
    }
    out
}

fn fix_json(f: &Fix, report: &ValidateReport) -> serde_json::Value {
    json!({
        "code": f.code.id(),
        "title": f.title,
        "file": report.display_path(&f.file),
        "line": f.line,
        "entity": f.entity,
        "edits": f.edits.iter().map(|e| json!({
            "start": e.start,
            "end": e.end,
            "replacement": e.replacement,
        })).collect::<Vec<_>>(),
    })
}

/// The `fix` member of the validate JSON (additive: `version` stays 1).
pub fn json(fix: &FixReport, report: &ValidateReport) -> serde_json::Value {
    json!({
        "status": fix.status.id(),
        "written": fix.status == WriteStatus::Written,
        "files": fix.changes.len(),
        "fixes": fix.fixes.iter().map(|f| fix_json(f, report)).collect::<Vec<_>>(),
        "skipped": fix.skipped.iter().map(|s| {
            let mut v = fix_json(&s.fix, report);
            v["reason"] = json!(s.reason);
            v
        }).collect::<Vec<_>>(),
        "refused": fix.refusals.iter().map(|r| json!({
            "file": report.display_path(&r.path),
            "reason": r.reason,
        })).collect::<Vec<_>>(),
        "newErrors": fix.new_errors.iter().map(|d| json!({
            "code": d.code.id(),
            "message": d.message,
            "file": d.file.as_deref().map(|f| report.display_path(f)),
            "line": d.span.map(|s| s.start.line),
        })).collect::<Vec<_>>(),
    })
}
