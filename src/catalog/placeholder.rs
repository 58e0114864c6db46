//! `$text` / `$json` / `$yaml` placeholders (Backstage's `PlaceholderProcessor`), resolved the way
//! Backstage does for a repository registered by URL: relative paths are files of the repository.

use std::path::Path;

use super::same_repo::SameRepository;
use crate::diag::{Code, Diagnostic};
use crate::yaml::{self, Node, Value, escape_token};

const RESOLVERS: &[&str] = &["$text", "$json", "$yaml"];

/// What resolving a document's placeholders gave.
#[derive(Default)]
pub struct Resolved {
    /// A copy of the document with each placeholder replaced by what Backstage would
    /// substitute (None when there are no placeholders).
    pub document: Option<Node>,
    pub diagnostics: Vec<Diagnostic>,
    /// JSON pointers of placeholders whose value cannot be known offline (remote URLs): no
    /// finding may be derived from what stands in for them.
    pub unknown: Vec<String>,
}

/// Where a document's placeholders are read from.
#[derive(Clone, Copy)]
pub struct Place<'a> {
    /// The catalog file's directory: relative targets start here.
    pub dir: &'a Path,
    /// No file outside this directory is read.
    pub repo_root: &'a Path,
    /// Absolute URLs into this repository are read from its working tree.
    pub same_repo: Option<&'a SameRepository>,
    /// Resolvers the portal has installed beyond Backstage's three (`openapi` for `$openapi`).
    pub extra: &'a [String],
}

/// Finds and resolves every placeholder in `root`.
pub fn resolve(root: &Node, place: Place<'_>) -> Resolved {
    let mut resolved = Resolved::default();
    if !contains_placeholder(root, place.extra) {
        return resolved;
    }
    let mut copy = root.clone();
    substitute(&mut copy, String::new(), place, &mut resolved);
    resolved.document = Some(copy);
    resolved
}

/// Whether `pointer` is at or below one of `unknown` (JSON pointers).
pub fn is_under(pointer: &str, unknown: &[String]) -> bool {
    unknown.iter().any(|u| {
        pointer
            .strip_prefix(u.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

fn placeholder_key<'n>(node: &'n Node, extra: &[String]) -> Option<&'n str> {
    match &node.value {
        Value::Map(entries) if entries.len() == 1 => {
            let key = entries[0].0.text.as_str();
            let installed = RESOLVERS.contains(&key)
                || key
                    .strip_prefix('$')
                    .is_some_and(|name| extra.iter().any(|e| e == name));
            installed.then_some(key)
        }
        _ => None,
    }
}

fn contains_placeholder(node: &Node, extra: &[String]) -> bool {
    placeholder_key(node, extra).is_some()
        || match &node.value {
            Value::Seq(items) => items.iter().any(|i| contains_placeholder(i, extra)),
            Value::Map(entries) => entries.iter().any(|(_, v)| contains_placeholder(v, extra)),
            _ => false,
        }
}

fn has_scheme(value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|u| u.scheme().len() > 1)
}

/// Where a placeholder is never resolved: Backstage adds its `managed-by-location`
/// annotations to every entity before placeholders run, so a placeholder standing for the
/// whole annotations mapping is a mapping of three keys, and `$yaml` an invalid annotation key.
const NOT_RESOLVED_AT: &str = "/metadata/annotations";

fn substitute(node: &mut Node, pointer: String, place: Place<'_>, out: &mut Resolved) {
    let diags = &mut out.diagnostics;
    if pointer == NOT_RESOLVED_AT {
        return;
    }
    if let Some(key) = placeholder_key(node, place.extra).map(str::to_string) {
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
                match place.same_repo.and_then(|r| r.local_path(target)) {
                    // A URL into this repository: its working-tree file, like a relative path.
                    Some(local) => load_relative(
                        &key,
                        target,
                        &local,
                        place.repo_root,
                        &arg_pointer,
                        node.span,
                        diags,
                    ),
                    None => {
                        diags.push(
                    Diagnostic::new(
                        Code::RemotePlaceholder,
                        format!(
                            "placeholder {key} reads {target}, which cannot be checked offline"
                        ),
                    )
                    .at(arg_pointer),
                );
                        out.unknown.push(pointer.clone());
                        Value::String(target.to_string())
                    }
                }
            }
            Some(target) => load_relative(
                &key,
                target,
                &place.dir.join(target),
                place.repo_root,
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
                substitute(item, format!("{pointer}/{i}"), place, out);
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries.iter_mut() {
                let p = format!("{pointer}/{}", escape_token(&k.text));
                substitute(v, p, place, out);
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
    path: &Path,
    repo_root: &Path,
    pointer: &str,
    span: yaml::Span,
    diags: &mut Vec<Diagnostic>,
) -> Value {
    // `$text` and installed resolvers such as `$openapi` give text: the file must be there.
    let text_like = key == "$text" || !RESOLVERS.contains(&key);
    let read = if text_like {
        // Backstage reads the text; callboard only needs to know the file is there.
        crate::fs::confine_file(repo_root, path).map(|_| Vec::new())
    } else {
        crate::fs::read_confined(repo_root, path, crate::catalog::load::MAX_FILE_BYTES)
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(crate::fs::ReadError::NotFound { .. }) => {
            diags.push(
                Diagnostic::new(
                    Code::PlaceholderTargetMissing,
                    format!(
                        "placeholder {key} points at {target}, which does not exist in the repository"
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
    if text_like {
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
