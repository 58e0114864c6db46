//! Code actions: the fix engine's one obvious fix of a diagnostic (the fixes of `catalog
//! validate --fix`), as a quick fix the editor applies.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Range, TextEdit, Url,
    WorkspaceEdit,
};

use super::position::{self, Encoding};
use super::workspace::Workspace;
use crate::diag::Diagnostic;
use crate::fix::{FIXABLE, Fix, Fixer};

/// The quick fixes for the diagnostics of a request (or, when the client sends none, for the
/// server's diagnostics overlapping its range), from the catalog as checked now: an open
/// buffer's text, not the disk's.
pub fn code_actions(
    workspace: &Workspace,
    path: &Path,
    params: &CodeActionParams,
    encoding: Encoding,
) -> Vec<CodeActionOrCommand> {
    let wanted = params
        .context
        .only
        .as_ref()
        .is_none_or(|kinds| kinds.iter().any(|k| quick_fix_is_under(k.as_str())));
    // The fix engine knows the workspace's catalog only: a file outside it gets none.
    let text = workspace
        .catalog
        .files
        .get(path)
        .and_then(|r| r.text.as_deref());
    let (true, Some(text)) = (wanted, text) else {
        return Vec::new();
    };
    let findings: Vec<(Diagnostic, lsp_types::Diagnostic)> = workspace
        .findings(path)
        .into_iter()
        .filter(|d| FIXABLE.contains(&d.code))
        .map(|d| {
            let shown = super::to_lsp(&d, text, encoding);
            (d, shown)
        })
        .collect();
    let asked = &params.context.diagnostics;
    // A client's diagnostic is one of the server's when its range and code are: its message
    // may have been reworded by the client.
    let chosen: Vec<(&Diagnostic, lsp_types::Diagnostic)> = if asked.is_empty() {
        findings
            .iter()
            .filter(|(_, shown)| overlap(shown.range, params.range))
            .map(|(d, shown)| (d, shown.clone()))
            .collect()
    } else {
        asked
            .iter()
            .filter_map(|a| {
                let (d, _) = findings
                    .iter()
                    .find(|(_, shown)| shown.range == a.range && shown.code == a.code)?;
                Some((d, a.clone()))
            })
            .collect()
    };
    if chosen.is_empty() {
        return Vec::new();
    }
    // Built per request, and only when a diagnostic may have a fix: see docs/performance.md.
    let fixer = Fixer::new(&workspace.catalog, &workspace.config);
    let mut actions: Vec<(Fix, CodeAction)> = Vec::new();
    for (d, shown) in chosen {
        let Some(fix) = fixer.fix(d) else { continue };
        // Two diagnostics with the very same fix get one action.
        if let Some((_, action)) = actions.iter_mut().find(|(f, _)| f.edits == fix.edits) {
            action.diagnostics.get_or_insert_with(Vec::new).push(shown);
            continue;
        }
        let Some(edit) = workspace_edit(workspace, &fix, encoding) else {
            continue;
        };
        let action = CodeAction {
            title: fix.title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![shown]),
            edit: Some(edit),
            is_preferred: Some(true),
            ..CodeAction::default()
        };
        actions.push((fix, action));
    }
    actions
        .into_iter()
        .map(|(_, a)| CodeActionOrCommand::CodeAction(a))
        .collect()
}

/// Whether a kind the client asks for (`only`) holds quick fixes: `quickfix` itself or a kind
/// it is under (kinds are dot-separated hierarchies; the empty kind is everything).
fn quick_fix_is_under(kind: &str) -> bool {
    let quickfix = CodeActionKind::QUICKFIX;
    let quickfix = quickfix.as_str();
    kind.is_empty() || quickfix == kind || quickfix.starts_with(&format!("{kind}."))
}

/// Whether two ranges share a position (ends included: a cursor at a diagnostic's end is on it).
fn overlap(a: Range, b: Range) -> bool {
    let key = |p: lsp_types::Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}

/// A fix's byte-range edits as the client's ranges, on the text the catalog checked.
fn workspace_edit(workspace: &Workspace, fix: &Fix, encoding: Encoding) -> Option<WorkspaceEdit> {
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for edit in &fix.edits {
        let text = workspace.report(&edit.file)?.text.as_deref()?;
        let range = Range {
            start: position::at_offset(text, edit.start, encoding),
            end: position::at_offset(text, edit.end, encoding),
        };
        changes
            .entry(Url::from_file_path(&edit.file).ok()?)
            .or_default()
            .push(TextEdit {
                range,
                new_text: edit.replacement.clone(),
            });
    }
    Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}
