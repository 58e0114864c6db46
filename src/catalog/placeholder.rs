//! `$text` / `$json` / `$yaml` placeholders (Backstage's `PlaceholderProcessor`), resolved the way
//! Backstage does for a repository registered by URL: relative paths are files of the repository.

use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::yaml::{self, Node, Value, escape_token};

const RESOLVERS: &[&str] = &["$text", "$json", "$yaml"];

/// Finds every placeholder in `root`; returns a copy with each replaced by a stand-in of the
/// type Backstage would substitute (None when there are no placeholders), plus diagnostics.
pub fn resolve(root: &Node, dir: &Path, repo_root: &Path) -> (Option<Node>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if !contains_placeholder(root) {
        return (None, diags);
    }
    let mut copy = root.clone();
    substitute(&mut copy, String::new(), dir, repo_root, &mut diags);
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

fn substitute(
    node: &mut Node,
    pointer: String,
    dir: &Path,
    repo_root: &Path,
    diags: &mut Vec<Diagnostic>,
) {
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
            Some(target) => load_relative(
                &key,
                target,
                (dir, repo_root),
                &arg_pointer,
                node.span,
                diags,
            ),
        };
        node.value = replacement;
        return;
    }
    match &mut node.value {
        Value::Seq(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                substitute(item, format!("{pointer}/{i}"), dir, repo_root, diags);
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries.iter_mut() {
                let p = format!("{pointer}/{}", escape_token(&k.text));
                substitute(v, p, dir, repo_root, diags);
            }
        }
        _ => {}
    }
}

/// Reads a placeholder's file: confined to the repository (real path, after links), a regular
/// file within the catalog-file size limit. A file outside is never read and its content never
/// shown: the attempt is reported instead.
fn load_relative(
    key: &str,
    target: &str,
    (dir, repo_root): (&Path, &Path),
    pointer: &str,
    span: yaml::Span,
    diags: &mut Vec<Diagnostic>,
) -> Value {
    let path = dir.join(target);
    let read = if key == "$text" {
        // Backstage reads the text; callboard only needs to know the file is there.
        crate::fs::confine_file(repo_root, &path).map(|_| Vec::new())
    } else {
        crate::fs::read_confined(repo_root, &path, crate::catalog::load::MAX_FILE_BYTES)
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(crate::fs::ReadError::NotFound { .. }) => {
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
        Err(crate::fs::ReadError::Outside { .. }) => {
            diags.push(
                outside_repository(&format!("placeholder {key} points at {target}, which is"))
                    .at(pointer),
            );
            return stand_in();
        }
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Code::InvalidPlaceholder,
                    format!("placeholder {key} cannot read {target}: {}", reason(&e)),
                )
                .at(pointer),
            );
            return stand_in();
        }
    };
    if key == "$text" {
        return Value::String(target.to_string());
    }
    let text = String::from_utf8_lossy(&bytes);
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

/// The diagnostic for a path named by content that leads out of the repository.
pub fn outside_repository(what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::PathOutsideRepository,
        format!("{what} outside the repository; callboard does not read it"),
    )
    .help("name a file inside the repository (a relative path that does not climb out of it or follow a link out of it)")
}

/// The error without the path (the message names the target already).
fn reason(e: &crate::fs::ReadError) -> String {
    use crate::fs::ReadError::*;
    match e {
        NotRegular { kind, .. } => format!("it is {kind}, not a regular file"),
        TooLarge { limit, .. } => format!("it is larger than the {limit}-byte limit"),
        NotUtf8 { .. } => "it is not valid UTF-8".into(),
        Io { source, .. } => source.to_string(),
        Outside { .. } => "it is outside the repository".into(),
        NotFound { .. } => "it does not exist".into(),
    }
}

/// What a placeholder that failed is replaced with: a non-empty string, so the one problem is
/// reported once (at the placeholder) and not again as a missing or mistyped field.
fn stand_in() -> Value {
    Value::String("<unresolved placeholder>".to_string())
}
