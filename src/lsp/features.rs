//! Hover, definition, references, rename and completion, answered from the workspace's catalog.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Hover, HoverContents, Location,
    MarkupContent, MarkupKind, Position, PrepareRenameResponse, Range, TextEdit, Url,
    WorkspaceEdit,
};

use super::explain;
use super::position::{self, Encoding, contains};
use super::workspace::Workspace;
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::kinds::{self, RelationField};
use crate::yaml::{Pos, Span, Value};

/// What is under the cursor.
#[derive(Debug, Clone)]
pub enum Hit {
    /// A reference in a relation field.
    Reference {
        target: EntityRef,
        span: Span,
    },
    /// An entity's own `metadata.name`.
    Name {
        entity: EntityRef,
        span: Span,
    },
    Kind {
        kind: String,
    },
    Annotation {
        key: String,
    },
}

impl Hit {
    /// The entity a reference or a name stands for.
    fn entity(&self) -> Option<(&EntityRef, Span)> {
        match self {
            Hit::Reference { target, span } => Some((target, *span)),
            Hit::Name { entity, span } => Some((entity, *span)),
            _ => None,
        }
    }
}

pub fn at(workspace: &Workspace, path: &Path, pos: Pos) -> Option<Hit> {
    let report = workspace.report(path)?;
    for e in &report.entities {
        if let Some(rel) = e.record.relations.iter().find(|r| contains(r.span, pos)) {
            return Some(Hit::Reference {
                target: rel.target.clone(),
                span: rel.span,
            });
        }
        if contains(e.record.name_span, pos) {
            return Some(Hit::Name {
                entity: e.record.reference.clone(),
                span: e.record.name_span,
            });
        }
    }
    for doc in &report.parsed {
        if let Some(kind) = doc.root.get("kind").filter(|n| contains(n.span, pos)) {
            return Some(Hit::Kind {
                kind: kind.as_str()?.to_string(),
            });
        }
        if let Some(Value::Map(annotations)) =
            doc.root.pointer("/metadata/annotations").map(|n| &n.value)
            && let Some((key, _)) = annotations.iter().find(|(k, _)| contains(k.span, pos))
        {
            return Some(Hit::Annotation {
                key: key.text.clone(),
            });
        }
    }
    None
}

fn uri(path: &Path) -> Option<Url> {
    Url::from_file_path(path).ok()
}

/// The client's range of a span of a file the server knows.
fn lsp_range(workspace: &Workspace, path: &Path, span: Span, encoding: Encoding) -> Range {
    let text = workspace
        .report(path)
        .and_then(|r| r.text.as_deref())
        .unwrap_or("");
    position::range(text, span, encoding)
}

fn shown(workspace: &Workspace, path: &Path) -> String {
    path.strip_prefix(&workspace.root)
        .unwrap_or(path)
        .display()
        .to_string()
}

pub fn hover(workspace: &Workspace, hit: &Hit) -> Option<Hover> {
    let markdown = match hit {
        Hit::Kind { kind } => explain::kind(kind)?,
        Hit::Annotation { key } => explain::annotation(key)?,
        Hit::Reference { target, .. } | Hit::Name { entity: target, .. } => {
            describe(workspace, target)
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: None,
    })
}

/// An entity's kind, title, description, owner and where it is defined.
fn describe(workspace: &Workspace, target: &EntityRef) -> String {
    let Some(e) = workspace.catalog.get(target) else {
        return format!("**{target}** is not in the catalog");
    };
    let text = |pointer: &str| {
        e.root
            .and_then(|r| r.pointer(pointer))
            .and_then(|n| n.as_str())
    };
    let mut out = format!("**{}** ({})", target, e.record.kind_written);
    if let Some(title) = text("/metadata/title") {
        out.push_str(&format!("\n\n{title}"));
    }
    if let Some(description) = text("/metadata/description") {
        out.push_str(&format!("\n\n{description}"));
    }
    if let Some(owner) = e.record.relations.iter().find(|r| r.field == "owner") {
        out.push_str(&format!("\n\nowner: `{}`", owner.target));
    }
    out.push_str(&format!(
        "\n\n`{}:{}`",
        shown(workspace, e.file),
        e.record.name_span.start.line
    ));
    out
}

pub fn definition(workspace: &Workspace, hit: &Hit, encoding: Encoding) -> Option<Location> {
    let (target, _) = hit.entity()?;
    let e = workspace.catalog.get(target)?;
    Some(Location {
        uri: uri(e.file)?,
        range: lsp_range(workspace, e.file, e.record.name_span, encoding),
    })
}

pub fn references(
    workspace: &Workspace,
    hit: &Hit,
    include_declaration: bool,
    encoding: Encoding,
) -> Vec<Location> {
    let Some((target, _)) = hit.entity() else {
        return Vec::new();
    };
    let mut spans: Vec<(PathBuf, Span)> = Vec::new();
    if include_declaration {
        spans.extend(
            workspace
                .catalog
                .entities()
                .into_iter()
                .filter(|e| e.reference() == target)
                .map(|e| (e.file.clone(), e.record.name_span)),
        );
    }
    spans.extend(
        crate::bulk::references_to(&workspace.catalog, target)
            .into_iter()
            .map(|(p, s)| (p.clone(), s)),
    );
    spans
        .into_iter()
        .filter_map(|(path, span)| {
            Some(Location {
                uri: uri(&path)?,
                range: lsp_range(workspace, &path, span, encoding),
            })
        })
        .collect()
}

const NOT_RENAMEABLE: &str =
    "only an entity's metadata.name or a reference to an entity can be renamed";

pub fn prepare_rename(
    workspace: &Workspace,
    path: &Path,
    hit: Option<&Hit>,
    encoding: Encoding,
) -> Result<PrepareRenameResponse, String> {
    let Some((target, span)) = hit.and_then(Hit::entity) else {
        return Err(NOT_RENAMEABLE.to_string());
    };
    if !workspace.catalog.files.contains_key(path) {
        return Err(
            "this file is outside the workspace: rename works on the workspace's catalog".into(),
        );
    }
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range: lsp_range(workspace, path, span, encoding),
        placeholder: target.name().to_string(),
    })
}

/// The edits `catalog rename` plans, as a workspace edit; a refusal is an error naming every
/// blocker.
pub fn rename(
    workspace: &Workspace,
    hit: Option<&Hit>,
    new_name: &str,
) -> Result<WorkspaceEdit, String> {
    let Some((from, _)) = hit.and_then(Hit::entity) else {
        return Err(NOT_RENAMEABLE.to_string());
    };
    if !crate::catalog::format::is_object_name(new_name, 63) {
        return Err(format!(
            "\"{new_name}\" is not a valid entity name (letters, digits, `-`, `_`, `.`, at most 63 characters, starting and ending with a letter or digit)"
        ));
    }
    let to = EntityRef::new(from.kind(), from.namespace(), new_name);
    let planned = crate::bulk::rename(&workspace.catalog, from, &to, new_name, false)?;
    if !planned.refusals.is_empty() {
        let reasons: Vec<String> = planned
            .refusals
            .iter()
            .map(|r| format!("{}: {}", shown(workspace, &r.path), r.reason))
            .collect();
        return Err(format!("cannot rename: {}", reasons.join("; ")));
    }
    let mut changes = std::collections::HashMap::new();
    for change in &planned.changes {
        let Some(uri) = uri(&change.path) else {
            continue;
        };
        changes.insert(uri, line_edits(&change.old, &change.new));
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// The changed lines of `old` → `new` as text edits (the edits are minimal to the line, so an
/// editor keeps its marks and undo steps small).
/// Whole lines: column 0 is the same in every encoding.
fn line_edits(old: &str, new: &str) -> Vec<TextEdit> {
    let diff = similar::TextDiff::from_lines(old, new);
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    diff.ops()
        .iter()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .map(|op| {
            let old_range = op.old_range();
            let new_range = op.new_range();
            TextEdit {
                range: Range {
                    start: Position::new(old_range.start as u32, 0),
                    end: Position::new(old_range.end as u32, 0),
                },
                new_text: new_lines[new_range].concat(),
            }
        })
        .collect()
}

/// Completion at `pos` of the text `text` of `path`.
pub fn completion(
    workspace: &Workspace,
    text: &str,
    at: Position,
    encoding: Encoding,
) -> Vec<CompletionItem> {
    let pos = position::from_lsp(text, at, encoding);
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(line) = lines.get(pos.line as usize - 1) else {
        return Vec::new();
    };
    let before: String = line.chars().take(pos.column as usize - 1).collect();
    let indent = before.len() - before.trim_start().len();
    let body = before.trim_start();
    let item_of_list = body.starts_with("- ") || body == "-";
    let body = body.trim_start_matches('-').trim_start();
    let doc = document_lines(&lines, pos.line as usize - 1);
    let kind = root_value(&doc, "kind");
    let api_version = root_value(&doc, "apiVersion");
    let replace = |typed: &str| {
        let start = Position::new(
            at.line,
            at.character
                - typed
                    .chars()
                    .map(|c| match encoding {
                        Encoding::Utf8 => c.len_utf8() as u32,
                        Encoding::Utf16 => c.len_utf16() as u32,
                    })
                    .sum::<u32>(),
        );
        Range { start, end: at }
    };
    let items = |labels: Vec<(String, CompletionItemKind, Option<String>)>, typed: &str| {
        labels
            .into_iter()
            .filter(|(l, _, _)| l.to_lowercase().starts_with(&typed.to_lowercase()))
            .map(|(label, kind, detail)| CompletionItem {
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: replace(typed),
                    new_text: label.clone(),
                })),
                label,
                kind: Some(kind),
                detail,
                ..CompletionItem::default()
            })
            .collect::<Vec<_>>()
    };

    let parent = parent_key(&lines, pos.line as usize - 1, indent, item_of_list);
    // An item of a list field: `- typed` under `dependsOn:` (a reference may hold a colon).
    if item_of_list
        && let Some(rel) = parent
            .as_deref()
            .and_then(|p| relation_field(workspace, kind.as_deref(), p))
    {
        return items(references_for(workspace, &rel), body);
    }
    // A value: `key: typed`.
    if let Some((key, typed)) = body.split_once(':') {
        let typed = typed.trim_start().trim_start_matches(['"', '\'']);
        let labels = match key.trim() {
            "kind" if indent == 0 => explain::kind_names()
                .map(|k| (k.to_string(), CompletionItemKind::CLASS, None))
                .chain(
                    workspace
                        .config
                        .custom_kinds
                        .iter()
                        .map(|k| (k.kind.clone(), CompletionItemKind::CLASS, None)),
                )
                .collect(),
            "apiVersion" if indent == 0 => api_versions(workspace, kind.as_deref())
                .into_iter()
                .map(|v| (v, CompletionItemKind::VALUE, None))
                .collect(),
            "lifecycle" | "type" => values_in_use(workspace, key.trim(), kind.as_deref())
                .into_iter()
                .map(|v| (v, CompletionItemKind::VALUE, Some("in use".to_string())))
                .collect(),
            field => match relation_field(workspace, kind.as_deref(), field) {
                Some(rel) => references_for(workspace, &rel),
                None => Vec::new(),
            },
        };
        return items(labels, typed);
    }
    // A key.
    let labels: Vec<String> = match parent.as_deref() {
        None => ["apiVersion", "kind", "metadata", "spec"]
            .map(String::from)
            .to_vec(),
        Some("metadata") => [
            "name",
            "namespace",
            "title",
            "description",
            "labels",
            "annotations",
            "tags",
            "links",
        ]
        .map(String::from)
        .to_vec(),
        Some("annotations") => annotation_keys(workspace),
        Some("spec") => spec_fields(kind.as_deref(), api_version.as_deref()),
        Some(_) => Vec::new(),
    };
    items(
        labels
            .into_iter()
            .map(|l| (l, CompletionItemKind::FIELD, None))
            .collect(),
        body,
    )
}

/// The lines of the YAML document holding line `index` (between `---` markers).
fn document_lines<'a>(lines: &[&'a str], index: usize) -> Vec<&'a str> {
    let is_marker = |l: &&str| l.starts_with("---");
    let start = lines[..index]
        .iter()
        .rposition(is_marker)
        .map_or(0, |i| i + 1);
    let end = lines[index..]
        .iter()
        .position(is_marker)
        .map_or(lines.len(), |i| index + i);
    lines[start..end].to_vec()
}

fn root_value(doc: &[&str], key: &str) -> Option<String> {
    doc.iter().find_map(|l| {
        let v = l.strip_prefix(key)?.strip_prefix(':')?;
        Some(v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// The key of the mapping a line at `indent` belongs to: the nearest line above with less
/// indentation (or, for a list item, the same or less) that ends with `key:`.
fn parent_key(lines: &[&str], index: usize, indent: usize, item_of_list: bool) -> Option<String> {
    for line in lines[..index].iter().rev() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let own = line.len() - trimmed.len();
        if own < indent || (item_of_list && own == indent && !trimmed.starts_with('-')) {
            let key = trimmed.trim_start_matches("- ").trim_end();
            return key.strip_suffix(':').map(|k| k.trim().to_string());
        }
        if own == 0 {
            return None;
        }
    }
    None
}

fn api_versions(workspace: &Workspace, kind: Option<&str>) -> Vec<String> {
    let mut out = BTreeSet::new();
    for k in kinds::KINDS {
        if kind.is_none_or(|kind| k.kind.eq_ignore_ascii_case(kind)) {
            out.extend(k.api_versions.iter().map(|v| v.to_string()));
        }
    }
    for k in &workspace.config.custom_kinds {
        if kind.is_none_or(|kind| k.kind.eq_ignore_ascii_case(kind)) {
            out.extend(k.api_versions.iter().cloned());
        }
    }
    out.into_iter().collect()
}

fn relation_field(workspace: &Workspace, kind: Option<&str>, field: &str) -> Option<RelationField> {
    let kind = kind?;
    let builtin = kinds::KINDS
        .iter()
        .filter(|k| k.kind.eq_ignore_ascii_case(kind))
        .flat_map(|k| k.relations.iter());
    let custom = workspace
        .config
        .custom_kinds
        .iter()
        .filter(|k| k.kind.eq_ignore_ascii_case(kind))
        .flat_map(|k| k.relations.iter());
    builtin.chain(custom).find(|r| r.field == field).copied()
}

/// Entities a relation field may name, written as short as the field allows.
fn references_for(
    workspace: &Workspace,
    rel: &RelationField,
) -> Vec<(String, CompletionItemKind, Option<String>)> {
    let mut out = BTreeSet::new();
    for e in workspace.catalog.entities() {
        let r = e.reference();
        if !rel.expected_kinds.is_empty() && !rel.expected_kinds.contains(&r.kind()) {
            continue;
        }
        let default_kind = rel
            .default_kind
            .is_some_and(|k| k.eq_ignore_ascii_case(r.kind()));
        let namespace = if r.namespace() == crate::catalog::entity_ref::DEFAULT_NAMESPACE {
            String::new()
        } else {
            format!("{}/", r.namespace())
        };
        let written = if default_kind {
            format!("{namespace}{}", r.name())
        } else {
            format!("{}:{namespace}{}", r.kind(), r.name())
        };
        out.insert((written, r.to_string()));
    }
    out.into_iter()
        .map(|(w, full)| (w, CompletionItemKind::REFERENCE, Some(full)))
        .collect()
}

/// `spec.lifecycle` or `spec.type` values written in the catalog (for entities of `kind`).
fn values_in_use(workspace: &Workspace, field: &str, kind: Option<&str>) -> Vec<String> {
    let mut out = BTreeSet::new();
    for e in workspace.catalog.entities() {
        if kind.is_some_and(|k| !e.record.kind_written.eq_ignore_ascii_case(k)) {
            continue;
        }
        if let Some(v) = e
            .root
            .and_then(|r| r.pointer(&format!("/spec/{field}")))
            .and_then(|n| n.as_str())
        {
            out.insert(v.to_string());
        }
    }
    out.into_iter().collect()
}

fn annotation_keys(workspace: &Workspace) -> Vec<String> {
    let mut out: BTreeSet<String> = explain::annotation_keys().map(String::from).collect();
    for e in workspace.catalog.entities() {
        if let Some(Value::Map(annotations)) = e
            .root
            .and_then(|r| r.pointer("/metadata/annotations"))
            .map(|n| &n.value)
        {
            out.extend(annotations.iter().map(|(k, _)| k.text.clone()));
        }
    }
    out.into_iter().collect()
}

fn spec_fields(kind: Option<&str>, api_version: Option<&str>) -> Vec<String> {
    let Some(spec) = kind.and_then(|k| {
        kinds::builtin(k, api_version.unwrap_or_default())
            .or_else(|| kinds::KINDS.iter().find(|s| s.kind.eq_ignore_ascii_case(k)))
    }) else {
        return Vec::new();
    };
    let mut out: BTreeSet<String> = spec.spec.iter().map(|f| f.name.to_string()).collect();
    out.extend(spec.relations.iter().map(|r| r.field.to_string()));
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acme() -> Workspace {
        let root = crate::fs::lexical_normalize(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme"),
        );
        Workspace::load(root, crate::config::Config::default())
    }

    /// The labels offered at the end of the last line of `text`.
    fn offered(workspace: &Workspace, text: &str) -> Vec<String> {
        let line = text.lines().count() as u32 - 1;
        let character = text.lines().last().unwrap().chars().count() as u32;
        completion(
            workspace,
            text,
            Position::new(line, character),
            Encoding::Utf16,
        )
        .into_iter()
        .map(|i| i.label)
        .collect()
    }

    const COMPONENT: &str =
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n";

    #[test]
    fn completion_follows_the_field_under_the_cursor() {
        let w = acme();
        // A list item of a relation field: entities of the kinds it may name, in full when the
        // field has no default kind.
        let deps = offered(
            &w,
            &format!("{COMPONENT}spec:\n  dependsOn:\n    - resource:"),
        );
        assert!(deps.iter().any(|l| l == "resource:checkout-db"), "{deps:?}");
        let system = offered(&w, &format!("{COMPONENT}spec:\n  system: chec"));
        assert_eq!(system, ["checkout"]);
        // Keys of the kind's spec, of metadata, and annotation keys in use.
        let spec = offered(&w, &format!("{COMPONENT}spec:\n  li"));
        assert_eq!(spec, ["lifecycle"]);
        let metadata = offered(&w, "kind: Component\nmetadata:\n  ti");
        assert_eq!(metadata, ["title"]);
        let annotations = offered(
            &w,
            "kind: Component\nmetadata:\n  annotations:\n    github.com/pro",
        );
        assert_eq!(annotations, ["github.com/project-slug"]);
        // Values in use, of this kind.
        let lifecycle = offered(&w, &format!("{COMPONENT}spec:\n  lifecycle: "));
        assert!(lifecycle.iter().any(|l| l == "production"), "{lifecycle:?}");
        let api_version = offered(&w, "kind: Template\napiVersion: ");
        assert_eq!(api_version, ["scaffolder.backstage.io/v1beta3"]);
    }

    #[test]
    fn hover_explains_a_well_known_annotation_key() {
        let w = acme();
        let path = w.root.join("services/checkout-service/catalog-info.yaml");
        let text = w.report(&path).unwrap().text.clone().unwrap();
        let line = text
            .lines()
            .position(|l| l.contains("backstage.io/techdocs-ref"))
            .unwrap();
        let pos = Pos {
            line: line as u32 + 1,
            column: 8,
        };
        let hit = at(&w, &path, pos).unwrap();
        let shown = hover(&w, &hit).unwrap();
        let HoverContents::Markup(markup) = shown.contents else {
            panic!("markdown expected")
        };
        assert!(
            markup
                .value
                .contains("well-known-annotations#backstageiotechdocs-ref")
        );
    }
}
