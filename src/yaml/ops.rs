//! Edit operations on one entity document, each turned into minimal textual edits.

use super::edit::{self as patch, Edit, Source};
use crate::yaml::{Node, Value, escape_token};

/// One operation of `catalog edit`, applied in the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// Set a field; `value` is already formatted as YAML.
    Set {
        path: Vec<String>,
        value: String,
    },
    Unset {
        path: Vec<String>,
    },
    AddTag(String),
    RemoveTag(String),
    /// Add a string to the list at `path` (created when absent), unless it is there already.
    AddItem {
        path: Vec<String>,
        value: String,
    },
    /// Remove the first item of the list at `path` equal to `value` (the list goes when emptied).
    RemoveItem {
        path: Vec<String>,
        value: String,
    },
    /// Set a field only when it is absent (`--if-missing`): an existing value, whatever it is,
    /// is kept.
    SetIfMissing {
        path: Vec<String>,
        value: String,
    },
    /// Rename a key of `metadata.annotations` (deprecated annotations).
    RenameAnnotation {
        from: String,
        to: String,
    },
}

impl Operation {
    pub fn describe(&self) -> String {
        match self {
            Operation::Set { path, value } => format!("set {} = {value}", path.join(".")),
            Operation::Unset { path } => format!("unset {}", path.join(".")),
            Operation::AddTag(t) => format!("add tag {t}"),
            Operation::RemoveTag(t) => format!("remove tag {t}"),
            Operation::RenameAnnotation { from, to } => format!("rename annotation {from} to {to}"),
            Operation::AddItem { path, value } => format!("add {value} to {}", path.join(".")),
            Operation::RemoveItem { path, value } => {
                format!("remove {value} from {}", path.join("."))
            }
            Operation::SetIfMissing { path, value } => {
                format!("set {} = {value} if missing", path.join("."))
            }
        }
    }
}

/// A change made to one field, for reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub path: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub line: u32,
}

fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|s| format!("/{}", escape_token(s)))
        .collect()
}

fn key_text(key: &str) -> String {
    patch::yaml_string(key)
}

fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        _ => "…".into(),
    }
}

/// Computes the edits for one operation on the document `root` of `src`. `Ok(None)`: nothing to do.
pub fn plan(
    src: &Source<'_>,
    root: &Node,
    op: &Operation,
) -> Result<Option<(Vec<Edit>, Change)>, String> {
    match op {
        Operation::Set { path, value } => set(src, root, path, value),
        Operation::Unset { path } => unset(src, root, path),
        Operation::AddTag(tag) => add_item(src, root, &tags_path(), tag),
        Operation::RemoveTag(tag) => remove_item(src, root, &tags_path(), tag),
        Operation::AddItem { path, value } => add_item(src, root, path, value),
        Operation::RemoveItem { path, value } => remove_item(src, root, path, value),
        Operation::SetIfMissing { path, value } => match root.pointer(&pointer(path)) {
            Some(_) => Ok(None),
            None => set(src, root, path, value),
        },
        Operation::RenameAnnotation { from, to } => rename_annotation(src, root, from, to),
    }
}

fn set(
    src: &Source<'_>,
    root: &Node,
    path: &[String],
    value: &str,
) -> Result<Option<(Vec<Edit>, Change)>, String> {
    let dotted = path.join(".");
    if let Some(node) = root.pointer(&pointer(path)) {
        if let Value::Null = node.value
            && node.span.start == node.span.end
        {
            // `key:` with no value: write right after the key's colon.
            let parent = root
                .pointer(&pointer(&path[..path.len() - 1]))
                .expect("child exists");
            let key = parent
                .as_map()
                .and_then(|m| m.iter().rev().find(|(k, _)| Some(&k.text) == path.last()))
                .map(|(k, _)| k)
                .ok_or_else(|| format!("{dotted}: cannot find the key"))?;
            let key_end = src.offset(key.span.end);
            let colon = src.text[key_end..]
                .find(':')
                .map(|i| key_end + i + 1)
                .ok_or_else(|| format!("{dotted}: cannot find the `:` after the key"))?;
            return Ok(Some((
                vec![Edit {
                    start: colon,
                    end: colon,
                    text: format!(" {value}"),
                }],
                Change {
                    path: dotted,
                    old: None,
                    new: Some(value.to_string()),
                    line: node.span.start.line,
                },
            )));
        }
        let (start, end) = patch::scalar_range(src, node).map_err(|e| format!("{dotted}: {e}"))?;
        // Already that value (in whatever quoting): nothing to change.
        let wanted = crate::yaml::parse_stream(&format!("v: {value}\n"))
            .documents
            .into_iter()
            .next()
            .and_then(|d| d.document.root.get("v").map(|n| n.value.clone()));
        if &src.text[start..end] == value || wanted.as_ref() == Some(&node.value) {
            return Ok(None);
        }
        return Ok(Some((
            vec![Edit {
                start,
                end,
                text: value.to_string(),
            }],
            Change {
                path: dotted,
                old: Some(scalar_text(node)),
                new: Some(value.to_string()),
                line: node.span.start.line,
            },
        )));
    }
    // Find the deepest existing ancestor.
    let mut depth = path.len() - 1;
    let parent = loop {
        match root.pointer(&pointer(&path[..depth])) {
            Some(n) => break n,
            None => depth -= 1,
        }
    };
    let missing = &path[depth..];
    let new_change = |line| Change {
        path: dotted.clone(),
        old: None,
        new: Some(value.to_string()),
        line,
    };
    match &parent.value {
        Value::Map(entries) if entries.is_empty() || patch::is_flow(src, parent) => {
            if missing.len() != 1 {
                return Err(format!(
                    "{dotted}: cannot create nested keys inside a flow mapping {{…}}; edit it by hand"
                ));
            }
            let close = patch::flow_close(src, parent)
                .filter(|c| src.text.as_bytes()[*c] == b'}')
                .ok_or_else(|| format!("{dotted}: cannot find the end of the flow mapping"))?;
            let (before, sep) = patch::flow_append_point(src, close);
            let sep = if entries.is_empty() { "" } else { sep };
            let text = format!("{sep}{}: {value}", key_text(&missing[0]));
            Ok(Some((
                vec![Edit {
                    start: before,
                    end: before,
                    text,
                }],
                new_change(parent.span.start.line),
            )))
        }
        Value::Map(entries) => {
            let first_key = entries[0].0.span.start;
            let indent = patch::column0(first_key);
            if patch::indent_at(src, first_key) != indent {
                return Err(format!(
                    "{dotted}: the mapping does not start its own line; edit it by hand"
                ));
            }
            let last_key = entries.last().expect("non-empty").0.span.start;
            let edit = patch::insert_lines_after(
                src,
                last_key.line,
                indent,
                &nested_lines(missing, value, indent),
            );
            Ok(Some((vec![edit], new_change(last_key.line + 1))))
        }
        Value::Null if depth > 0 => {
            // `annotations:` with no value: children go on the following lines.
            let (_, end) = patch::scalar_range(src, parent)?;
            let key_line = parent.span.start.line;
            let indent = patch::indent_at(src, parent.span.start) + 2;
            let line_end = src.text[end..]
                .find('\n')
                .map_or(src.text.len(), |i| end + i);
            // Before a `\r` of a CRLF line end.
            let line_end = if src.text[..line_end].ends_with('\r') {
                line_end - 1
            } else {
                line_end
            };
            let nl = patch::newline(src);
            let text = format!(
                "{nl}{}",
                nested_lines(missing, value, indent)
                    .trim_end_matches('\n')
                    .replace('\n', nl)
            );
            Ok(Some((
                vec![Edit {
                    start: line_end,
                    end: line_end,
                    text,
                }],
                new_change(key_line + 1),
            )))
        }
        _ => Err(format!(
            "{dotted}: {} is not a mapping",
            if depth == 0 {
                "the document".to_string()
            } else {
                path[..depth].join(".")
            }
        )),
    }
}

/// `a:\n  b:\n    c: value\n` at the given indentation.
fn nested_lines(keys: &[String], value: &str, indent: usize) -> String {
    let mut out = String::new();
    for (i, k) in keys.iter().enumerate() {
        let pad = " ".repeat(indent + 2 * i);
        if i + 1 == keys.len() {
            out.push_str(&format!("{pad}{}: {value}\n", key_text(k)));
        } else {
            out.push_str(&format!("{pad}{}:\n", key_text(k)));
        }
    }
    out
}

/// Removes the `key: value` entry at `path` (and an emptied parent mapping with it).
fn unset(
    src: &Source<'_>,
    root: &Node,
    path: &[String],
) -> Result<Option<(Vec<Edit>, Change)>, String> {
    let dotted = path.join(".");
    let Some(node) = root.pointer(&pointer(path)) else {
        return Ok(None);
    };
    let parent_path = &path[..path.len() - 1];
    let parent = root.pointer(&pointer(parent_path)).expect("child exists");
    let Value::Map(entries) = &parent.value else {
        return Err(format!("{dotted}: the parent is not a mapping"));
    };
    // Removing the only entry would leave `parent:` empty (null), which Backstage rejects for
    // labels, annotations and the like: remove the parent entry instead.
    if entries.len() == 1 && !parent_path.is_empty() && !patch::is_flow(src, parent) {
        return unset(src, root, parent_path).map(|r| {
            r.map(|(edits, mut change)| {
                change.path = dotted.clone();
                change.old = Some(scalar_text(node));
                (edits, change)
            })
        });
    }
    let (key, _) = entries
        .iter()
        .rev()
        .find(|(k, _)| Some(&k.text) == path.last())
        .expect("child exists");
    let change = Change {
        path: dotted.clone(),
        old: Some(scalar_text(node)),
        new: None,
        line: key.span.start.line,
    };
    if patch::is_flow(src, parent) {
        let start = src.offset(key.span.start);
        let (_, value_end) = match patch::scalar_range(src, node) {
            Ok(r) => r,
            Err(_) => (0, src.offset(node.span.end)),
        };
        let rest = &src.text[value_end..];
        let (start, end) = if let Some(stripped) = rest.strip_prefix(',') {
            (
                start,
                value_end + 1 + (stripped.len() - stripped.trim_start_matches(' ').len()),
            )
        } else {
            let before = src.text[..start].trim_end_matches(' ');
            match before.strip_suffix(',') {
                Some(b) => (b.len(), value_end),
                None => (start, value_end),
            }
        };
        return Ok(Some((
            vec![Edit {
                start,
                end,
                text: String::new(),
            }],
            change,
        )));
    }
    let indent = patch::column0(key.span.start);
    if patch::indent_at(src, key.span.start) != indent {
        return Err(format!(
            "{dotted}: the key does not start its own line; edit it by hand"
        ));
    }
    let last = patch::entry_last_line(src, key.span.start.line, indent);
    let (start, end) = patch::lines_range(src, key.span.start.line, last);
    Ok(Some((
        vec![Edit {
            start,
            end,
            text: String::new(),
        }],
        change,
    )))
}

fn tags_path() -> Vec<String> {
    vec!["metadata".into(), "tags".into()]
}

/// Adds `value` to the list at `path`, creating a one-item flow list when there is none.
fn add_item(
    src: &Source<'_>,
    root: &Node,
    path: &[String],
    value: &str,
) -> Result<Option<(Vec<Edit>, Change)>, String> {
    if root.pointer(&pointer(path)).is_none() {
        let item = patch::yaml_string(value);
        return set(src, root, path, &format!("[{item}]"));
    }
    append_item(src, root, path, value)
}

/// Appends a string to the existing list at `path` (block or flow), unless it is already there.
pub fn append_item(
    src: &Source<'_>,
    root: &Node,
    path: &[String],
    value: &str,
) -> Result<Option<(Vec<Edit>, Change)>, String> {
    let item = patch::yaml_string(value);
    let dotted = path.join(".");
    let Some(list) = root.pointer(&pointer(path)) else {
        return Err(format!("{dotted} does not exist"));
    };
    let Value::Seq(items) = &list.value else {
        return Err(format!("{dotted} is not a list"));
    };
    if items.iter().any(|i| i.as_str() == Some(value)) {
        return Ok(None);
    }
    let change = Change {
        path: dotted.clone(),
        old: None,
        new: Some(value.to_string()),
        line: list.span.start.line,
    };
    if items.is_empty() || patch::is_flow(src, list) {
        let close = patch::flow_close(src, list)
            .filter(|c| src.text.as_bytes()[*c] == b']')
            .ok_or_else(|| format!("cannot find the end of {dotted}"))?;
        let (before, sep) = patch::flow_append_point(src, close);
        let sep = if items.is_empty() { "" } else { sep };
        return Ok(Some((
            vec![Edit {
                start: before,
                end: before,
                text: format!("{sep}{item}"),
            }],
            change,
        )));
    }
    let last = items.last().expect("non-empty").span.start;
    let (_, line) = src.line_of(src.offset(last));
    let dash_indent = line.len() - line.trim_start_matches(' ').len();
    if !line.trim_start().starts_with('-') {
        return Err(format!(
            "{dotted} items do not start their own lines; edit it by hand"
        ));
    }
    let line = format!("{}- {item}\n", " ".repeat(dash_indent));
    Ok(Some((
        vec![patch::insert_lines_after(
            src,
            last.line,
            dash_indent,
            &line,
        )],
        change,
    )))
}

/// Removes the first item of the list at `path` equal to `value` (the whole entry when it is
/// the only item, so no empty list is left behind).
fn remove_item(
    src: &Source<'_>,
    root: &Node,
    path: &[String],
    value: &str,
) -> Result<Option<(Vec<Edit>, Change)>, String> {
    let dotted = path.join(".");
    let Some(tags) = root.pointer(&pointer(path)) else {
        return Ok(None);
    };
    let Value::Seq(items) = &tags.value else {
        return Err(format!("{dotted} is not a list"));
    };
    let Some(index) = items.iter().position(|i| i.as_str() == Some(value)) else {
        return Ok(None);
    };
    let tag = value;
    if items.len() == 1 {
        return unset(src, root, path).map(|r| {
            r.map(|(e, mut c)| {
                c.old = Some(tag.to_string());
                (e, c)
            })
        });
    }
    let node = &items[index];
    let change = Change {
        path: dotted,
        old: Some(tag.to_string()),
        new: None,
        line: node.span.start.line,
    };
    let (start, end) = patch::scalar_range(src, node)?;
    if patch::is_flow(src, tags) {
        let rest = &src.text[end..];
        let (s, e) = if let Some(stripped) = rest.trim_start_matches(' ').strip_prefix(',') {
            let after = rest.len() - stripped.len();
            (
                start,
                end + after + (stripped.len() - stripped.trim_start_matches(' ').len()),
            )
        } else {
            let before = src.text[..start].trim_end_matches(' ');
            match before.strip_suffix(',') {
                Some(b) => (b.len(), end),
                None => (start, end),
            }
        };
        return Ok(Some((
            vec![Edit {
                start: s,
                end: e,
                text: String::new(),
            }],
            change,
        )));
    }
    let (_, line) = src.line_of(start);
    let dash_indent = line.len() - line.trim_start_matches(' ').len();
    let last = patch::item_last_line(src, node.span.start.line, dash_indent);
    let (s, e) = patch::lines_range(src, node.span.start.line, last);
    Ok(Some((
        vec![Edit {
            start: s,
            end: e,
            text: String::new(),
        }],
        change,
    )))
}

fn rename_annotation(
    src: &Source<'_>,
    root: &Node,
    from: &str,
    to: &str,
) -> Result<Option<(Vec<Edit>, Change)>, String> {
    let Some(annotations) = root.pointer("/metadata/annotations") else {
        return Ok(None);
    };
    let Some(entries) = annotations.as_map() else {
        return Ok(None);
    };
    let Some((key, _)) = entries.iter().find(|(k, _)| k.text == from) else {
        return Ok(None);
    };
    if entries.iter().any(|(k, _)| k.text == to) {
        return Err(format!(
            "metadata.annotations already has {to}; remove {from} instead"
        ));
    }
    let start = src.offset(key.span.start);
    let end = src.offset(key.span.end);
    let written = &src.text[start..end];
    let text = if written.starts_with('"') {
        serde_json::to_string(to).unwrap_or_default()
    } else {
        key_text(to)
    };
    Ok(Some((
        vec![Edit { start, end, text }],
        Change {
            path: format!("metadata.annotations[{from}]"),
            old: Some(from.to_string()),
            new: Some(to.to_string()),
            line: key.span.start.line,
        },
    )))
}
