//! `catalog move`: an entity's YAML document moved, as written, into another file, and the
//! Location targets that named its old file rewritten so Backstage still reads it.

use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::location::target_names;

use super::new_entity::{Reach, append};
use super::ops::{Change, Operation};
use super::patch::{self, Edit, Source};
use super::{FileChange, Refusal};

/// The plan of a move: the changed files (the old file deleted when nothing is left in it),
/// every blocker, and whether a Location reaches the new file.
#[derive(Debug, Default)]
pub struct Moved {
    pub changes: Vec<FileChange>,
    pub refusals: Vec<Refusal>,
    pub reach: Option<Reach>,
}

/// The byte range of document `index` of `text` as written: from its `---` line (or the file's
/// start) to the next `---` line at column 0, so comments above its first key move with it.
/// `start_line`: the 1-based line its document starts on, as the parser gives it.
fn document_range(text: &str, start_line: u32) -> (usize, usize) {
    let mut offset = 0;
    let mut start = 0;
    let mut end = text.len();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let number = i as u32 + 1;
        let is_marker =
            line.starts_with("---") && line[3..].chars().next().is_none_or(char::is_whitespace);
        if is_marker && number <= start_line {
            start = offset;
        }
        if is_marker && number > start_line {
            end = offset;
            break;
        }
        offset += line.len();
    }
    (start, end)
}

/// The document's text without its `---` line, ending with a line break.
fn document_text(text: &str) -> String {
    let body = match text.split_once('\n') {
        Some((first, rest))
            if first.trim_end().starts_with("---") && first[3..].trim().is_empty() =>
        {
            rest
        }
        _ => text,
    };
    let mut body = body.to_string();
    if !body.ends_with('\n') {
        body.push_str(if text.contains("\r\n") { "\r\n" } else { "\n" });
    }
    body
}

/// Whether nothing but blank lines and document markers is left.
fn is_empty(text: &str) -> bool {
    text.lines()
        .all(|l| l.trim().is_empty() || l.trim() == "---")
}

/// A `./` target for `file` written in a Location of directory `dir`, when `file` is under it.
pub(super) fn target_for(dir: &Path, file: &Path) -> Option<String> {
    let absolute =
        |p: &Path| crate::fs::lexical_normalize(&std::path::absolute(p).unwrap_or(p.into()));
    let rel = absolute(file)
        .strip_prefix(absolute(dir))
        .ok()?
        .to_path_buf();
    Some(format!("./{}", rel.to_string_lossy().replace('\\', "/")))
}

pub(super) fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// One Location target: (Location file, document, entity, pointer, target).
type Target = (PathBuf, usize, String, String, String);

/// Plans moving `reference` into `to` (`to_text`: its content, None when it is new).
pub fn plan(
    catalog: &Catalog,
    reference: &EntityRef,
    to: &Path,
    to_text: Option<String>,
) -> Result<Moved, String> {
    let mut moved = Moved::default();
    let mut files: Vec<(&PathBuf, &crate::catalog::load::FileReport)> =
        catalog.files.iter().collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let definitions: Vec<(&PathBuf, usize)> = files
        .iter()
        .flat_map(|(p, r)| {
            r.entities
                .iter()
                .filter(|e| &e.record.reference == reference)
                .map(|e| (*p, e.document))
        })
        .collect();
    let refuse = |moved: &mut Moved, path: &Path, reason: String| {
        moved.refusals.push(Refusal {
            path: path.to_path_buf(),
            entity: reference.to_string(),
            reason,
        })
    };
    let (from, document) = match definitions.as_slice() {
        [] => return Err(format!("{reference} is not defined in the catalog")),
        [one] => *one,
        many => {
            for (path, _) in many {
                refuse(
                    &mut moved,
                    path,
                    format!(
                        "{reference} is defined {} times; fix the duplicates first (catalog validate)",
                        many.len()
                    ),
                );
            }
            return Ok(moved);
        }
    };
    let same = |a: &Path, b: &Path| {
        let normal =
            |p: &Path| crate::fs::lexical_normalize(&std::path::absolute(p).unwrap_or(p.into()));
        normal(a) == normal(b)
            || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    };
    if same(from, to) {
        return Err(format!(
            "{reference} is in {} already; name another file",
            to.display()
        ));
    }
    if reference.kind() == "location" {
        refuse(&mut moved, from, "a Location's relative targets would name other files from another directory; move it by hand".into());
        return Ok(moved);
    }
    let text = std::fs::read_to_string(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for (path, content) in [(from.as_path(), Some(&text)), (to, to_text.as_ref())] {
        if let Some(reason) = content.and_then(|t| patch::lone_carriage_return(t)) {
            refuse(&mut moved, path, reason);
        }
    }
    if text.lines().any(|l| l.trim_end() == "...") {
        refuse(
            &mut moved,
            from,
            "the file has `...` document end markers; move the entity by hand".into(),
        );
    }
    let stream = crate::yaml::parse_stream(&text);
    let Some(start_line) = stream
        .documents
        .get(document)
        .map(|d| d.document.start.line)
    else {
        refuse(
            &mut moved,
            from,
            "the document cannot be found again in the file".into(),
        );
        return Ok(moved);
    };
    if !moved.refusals.is_empty() {
        return Ok(moved);
    }
    let (start, end) = document_range(&text, start_line);
    let body = document_text(&text[start..end]);
    let mut source = format!("{}{}", &text[..start], &text[end..]);
    let deleted = is_empty(&source);
    if deleted {
        source.clear();
    }
    let target_text = match &to_text {
        // Into an existing file the document takes that file's line ends.
        Some(existing) => append(Some(existing), &body.replace("\r\n", "\n")),
        None => body.clone(),
    };
    let line_in_target =
        u32::try_from(target_text.matches('\n').count() - body.matches('\n').count() + 1)
            .unwrap_or(u32::MAX);
    // (path, old, new, created, deleted)
    let mut texts: Vec<(PathBuf, String, String, bool, bool)> = vec![
        (from.clone(), text.clone(), source, false, deleted),
        (
            to.to_path_buf(),
            to_text.clone().unwrap_or_default(),
            target_text,
            to_text.is_none(),
            false,
        ),
    ];

    // Location targets naming the old file, and whether one names the new file already.
    let mut naming_old: Vec<Target> = Vec::new();
    let mut reached_by = None;
    let mut has_list: Vec<(PathBuf, usize, String)> = Vec::new();
    for (path, report) in &files {
        for e in &report.entities {
            let Some(spec) = &e.record.location else {
                continue;
            };
            let dir = dir_of(path);
            for (pointer, target) in &spec.targets {
                if target_names(dir, target, from) {
                    naming_old.push((
                        (*path).clone(),
                        e.document,
                        e.record.reference.to_string(),
                        pointer.clone(),
                        target.clone(),
                    ));
                }
                if reached_by.is_none() && target_names(dir, target, to) {
                    reached_by = Some(((*path).clone(), target.clone()));
                }
            }
            if spec
                .targets
                .iter()
                .any(|(p, _)| p.starts_with("/spec/targets"))
            {
                has_list.push(((*path).clone(), e.document, e.record.reference.to_string()));
            }
        }
    }
    let is_glob = |t: &str| t.contains(['*', '?', '[', '{']);
    // (Location file, document, entity, edit)
    enum LocationEdit {
        Replace { pointer: String, target: String },
        Remove { target: String },
        Add { target: String },
    }
    let mut edits: Vec<(PathBuf, usize, String, LocationEdit)> = Vec::new();
    let mut location_changes: std::collections::HashMap<PathBuf, Vec<(String, Change)>> =
        Default::default();
    let mut reached = reached_by.clone();
    if deleted {
        for (path, doc, entity, pointer, target) in naming_old.iter().filter(|t| !is_glob(&t.4)) {
            match target_for(dir_of(path), to) {
                Some(new_target) if reached.is_none() => {
                    reached = Some((path.clone(), new_target.clone()));
                    edits.push((
                        path.clone(),
                        *doc,
                        entity.clone(),
                        LocationEdit::Replace {
                            pointer: pointer.clone(),
                            target: new_target,
                        },
                    ));
                }
                _ if pointer.starts_with("/spec/targets") => {
                    edits.push((
                        path.clone(),
                        *doc,
                        entity.clone(),
                        LocationEdit::Remove {
                            target: target.clone(),
                        },
                    ));
                }
                _ => refuse(
                    &mut moved,
                    path,
                    format!(
                        "{entity} names {} with spec.target, which the move deletes, and cannot name {}: edit it by hand",
                        from.display(),
                        to.display()
                    ),
                ),
            }
        }
    }
    if reached.is_none() && !naming_old.is_empty() {
        let place = has_list.iter().find_map(|(path, doc, entity)| {
            target_for(dir_of(path), to).map(|t| (path.clone(), *doc, entity.clone(), t))
        });
        match place {
            Some((path, doc, entity, target)) => {
                reached = Some((path.clone(), target.clone()));
                edits.push((path, doc, entity, LocationEdit::Add { target }));
            }
            None => refuse(
                &mut moved,
                from,
                format!(
                    "no Location with spec.targets lies above {}: add a target for it by hand",
                    to.display()
                ),
            ),
        }
    }
    // Location edits, each planned on its file's text as the move and earlier edits left it.
    for (path, doc, entity, edit) in edits {
        let index = match texts.iter().position(|t| t.0 == path) {
            Some(i) => i,
            None => {
                let old = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                texts.push((path.clone(), old.clone(), old, false, false));
                texts.len() - 1
            }
        };
        // The moved document is gone from the old file: later documents moved up by one.
        let doc = if path == *from && doc > document {
            doc - 1
        } else {
            doc
        };
        let current = texts[index].2.clone();
        let result = match &edit {
            LocationEdit::Replace { pointer, target } => replace_at(&current, doc, pointer, target)
                .map(|(t, old, line)| {
                    (
                        t,
                        vec![(
                            entity.clone(),
                            Change {
                                path: pointer.trim_start_matches('/').replace('/', "."),
                                old: Some(old),
                                new: Some(target.clone()),
                                line,
                            },
                        )],
                    )
                }),
            LocationEdit::Remove { target } | LocationEdit::Add { target } => {
                let op = if matches!(edit, LocationEdit::Add { .. }) {
                    Operation::AddItem {
                        path: vec!["spec".into(), "targets".into()],
                        value: target.clone(),
                    }
                } else {
                    Operation::RemoveItem {
                        path: vec!["spec".into(), "targets".into()],
                        value: target.clone(),
                    }
                };
                let edited = crate::yaml::batch::edit_documents(
                    &current,
                    None,
                    &[(doc, entity.clone())],
                    &[op],
                );
                match edited.refusals.first() {
                    Some((_, reason)) => Err(reason.clone()),
                    None => Ok((edited.text, edited.changes)),
                }
            }
        };
        match result {
            Ok((new, changes)) => {
                texts[index].2 = new;
                location_changes
                    .entry(path.clone())
                    .or_default()
                    .extend(changes);
            }
            Err(reason) => refuse(&mut moved, &path, format!("{entity}: {reason}")),
        }
    }
    // Not reached, and no Location named the old file: say where a target could go.
    moved.reach = Some(match reached {
        Some(by) => Reach {
            file: to.to_path_buf(),
            reached_by: Some(by),
            suggestion: None,
        },
        None => super::new_entity::reach(catalog, to),
    });
    for (path, old, new, created, deleted) in texts {
        if old == new && !created && !deleted {
            continue;
        }
        // The entity leaves `from` (its old first line) and enters `to` (its new first line).
        let mut changes = Vec::new();
        for (side, at) in [(path == *from, start_line), (path == to, line_in_target)] {
            if side {
                changes.push((
                    reference.to_string(),
                    Change {
                        path: String::new(),
                        old: (path == *from).then(|| from.to_string_lossy().into_owned()),
                        new: (path == to).then(|| to.to_string_lossy().into_owned()),
                        line: at,
                    },
                ));
            }
        }
        changes.extend(location_changes.remove(&path).unwrap_or_default());
        moved.changes.push(FileChange {
            path,
            old,
            new,
            created,
            deleted,
            changes,
        });
    }
    Ok(moved)
}

/// `text` with the scalar at `pointer` of document `doc` replaced, in its quoting; the old
/// value and its line.
fn replace_at(
    text: &str,
    doc: usize,
    pointer: &str,
    value: &str,
) -> Result<(String, String, u32), String> {
    let stream = crate::yaml::parse_stream(text);
    let node = stream
        .documents
        .get(doc)
        .and_then(|d| d.document.root.pointer(pointer))
        .ok_or_else(|| format!("{pointer} cannot be found again"))?;
    let old = node.as_str().unwrap_or_default().to_string();
    let line = node.span.start.line;
    let src = Source::new(text);
    let (start, end) = patch::scalar_range(&src, node).map_err(|e| format!("{pointer}: {e}"))?;
    let written = super::quote_like(&text[start..end], value);
    let new = patch::apply(
        text,
        vec![Edit {
            start,
            end,
            text: written,
        }],
    )?;
    Ok((new, old, line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_cut_at_their_markers() {
        let text = "# a\nkind: A\n---\n# b\nkind: B\n--- # c\nkind: C\n";
        assert_eq!(document_range(text, 2), (0, 12));
        assert_eq!(document_range(text, 3), (12, 28));
        assert_eq!(document_text(&text[12..28]), "# b\nkind: B\n");
        assert_eq!(document_range(text, 6), (28, text.len()));
        assert!(is_empty("---\n\n"));
        assert!(!is_empty("# kept\n"));
    }
}
