//! `$text` / `$json` / `$yaml` placeholders (Backstage's `PlaceholderProcessor`), resolved the way
//! Backstage does for a repository registered by URL: relative paths are files of the repository.

use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::yaml::{self, Node, Value, escape_token};

const RESOLVERS: &[&str] = &["$text", "$json", "$yaml"];

/// Finds every placeholder in `root`; returns a copy with each replaced by a stand-in of the
/// type Backstage would substitute (None when there are no placeholders), plus diagnostics.
pub fn resolve(root: &Node, dir: &Path) -> (Option<Node>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if !contains_placeholder(root) {
        return (None, diags);
    }
    let mut copy = root.clone();
    substitute(&mut copy, String::new(), dir, &mut diags);
    (Some(copy), diags)
}

fn placeholder_key(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Map(entries)
            if entries.len() == 1 && RESOLVERS.contains(&entries[0].0.text.as_str()) =>
        {
            Some(entries[0].0.text.as_str())
        }
        _ => None,
    }
}

fn contains_placeholder(node: &Node) -> bool {
    placeholder_key(node).is_some()
        || match &node.value {
            Value::Seq(items) => items.iter().any(contains_placeholder),
            Value::Map(entries) => entries.iter().any(|(_, v)| contains_placeholder(v)),
            _ => false,
        }
}

fn has_scheme(value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|u| u.scheme().len() > 1)
}

fn substitute(node: &mut Node, pointer: String, dir: &Path, diags: &mut Vec<Diagnostic>) {
    if let Some(key) = placeholder_key(node).map(str::to_string) {
        let Value::Map(entries) = &node.value else {
            return;
        };
        let arg = &entries[0].1;
        let arg_pointer = format!("{pointer}/{}", escape_token(&key));
        let replacement = match arg.as_str() {
            None => {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidPlaceholder,
                        format!(
                            "placeholder {key} expects a string (an absolute URL or a relative path), found {}",
                            arg.type_name()
                        ),
                    )
                    .at(arg_pointer)
                    .help(format!("write `{key}: ./path/to/file` or `{key}: https://…`")),
                );
                stand_in()
            }
            Some(target) if has_scheme(target) => {
                diags.push(
                    Diagnostic::new(
                        Code::RemotePlaceholder,
                        format!(
                            "placeholder {key} reads {target}, which cannot be checked offline"
                        ),
                    )
                    .at(arg_pointer),
                );
                Value::String(target.to_string())
            }
            Some(target) => load_relative(&key, target, dir, &arg_pointer, node.span, diags),
        };
        node.value = replacement;
        return;
    }
    match &mut node.value {
        Value::Seq(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                substitute(item, format!("{pointer}/{i}"), dir, diags);
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries.iter_mut() {
                let p = format!("{pointer}/{}", escape_token(&k.text));
                substitute(v, p, dir, diags);
            }
        }
        _ => {}
    }
}

fn load_relative(
    key: &str,
    target: &str,
    dir: &Path,
    pointer: &str,
    span: yaml::Span,
    diags: &mut Vec<Diagnostic>,
) -> Value {
    let path = dir.join(target);
    if !path.is_file() {
        diags.push(
            Diagnostic::new(
                Code::PlaceholderTargetMissing,
                format!(
                    "placeholder {key} points at {target}, which does not exist next to this file"
                ),
            )
            .at(pointer)
            .help("fix the path (it is relative to this catalog file) or add the file"),
        );
        return Value::String(target.to_string());
    }
    if key == "$text" {
        return Value::String(target.to_string());
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Code::InvalidPlaceholder,
                    format!("placeholder {key} cannot read {target}: {e}"),
                )
                .at(pointer),
            );
            return stand_in();
        }
    };
    if key == "$json" {
        return match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(v) => Node::from_json(&v, span).value,
            Err(e) => {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidPlaceholder,
                        format!("placeholder $json: {target} is not valid JSON: {e}"),
                    )
                    .at(pointer),
                );
                stand_in()
            }
        };
    }
    let stream = yaml::parse_stream(&text);
    if let Some(err) = stream.fatal {
        diags.push(
            Diagnostic::new(
                Code::InvalidPlaceholder,
                format!(
                    "placeholder $yaml: {target} is not valid YAML: {} at line {}",
                    err.message, err.pos.line
                ),
            )
            .at(pointer),
        );
        return stand_in();
    }
    if stream.documents.len() != 1 {
        diags.push(
            Diagnostic::new(
                Code::InvalidPlaceholder,
                format!(
                    "placeholder $yaml: {target} must hold exactly one YAML document, found {}",
                    stream.documents.len()
                ),
            )
            .at(pointer),
        );
        return stand_in();
    }
    let mut doc = stream.documents.into_iter().next().map(|d| d.document.root);
    match doc.take() {
        Some(root) => Node::from_json(&root.to_json(), span).value,
        None => Value::Null,
    }
}

/// What a placeholder that failed is replaced with: a non-empty string, so the one problem is
/// reported once (at the placeholder) and not again as a missing or mistyped field.
fn stand_in() -> Value {
    Value::String("<unresolved placeholder>".to_string())
}
