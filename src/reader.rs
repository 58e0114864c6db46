//! The one typed reader of callboard's own YAML files (configuration, scorecards, waivers):
//! every problem located by line and column, unknown keys with "did you mean", reading goes on
//! after an error so one run lists them all.

use std::path::{Path, PathBuf};

use crate::located::LocatedError;
use crate::yaml::{self, Node, Span, Value};

/// Reads YAML-backed specs, collecting every located error.
pub struct Reader {
    pub file: PathBuf,
    pub errors: Vec<LocatedError>,
}

impl Reader {
    pub fn new(file: &Path) -> Self {
        Reader {
            file: file.to_path_buf(),
            errors: Vec::new(),
        }
    }

    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(LocatedError {
            file: self.file.clone(),
            line: span.start.line,
            column: span.start.column,
            message: message.into(),
        });
    }

    pub fn string(&mut self, parent: &Node, key: &str, required: bool) -> Option<String> {
        match parent.get(key) {
            None if required => {
                self.error(parent.span, format!("`{key}` is required"));
                None
            }
            None => None,
            Some(v) => match v.as_str() {
                Some(s) if !s.is_empty() => Some(s.to_string()),
                _ => {
                    self.error(v.span, format!("`{key}` must be a non-empty string"));
                    None
                }
            },
        }
    }

    pub fn strings(&mut self, node: &Node, what: &str) -> Vec<String> {
        match &node.value {
            Value::String(s) => vec![s.clone()],
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| match i.as_str() {
                    Some(s) => Some(s.to_string()),
                    None => {
                        self.error(i.span, format!("`{what}` items must be strings"));
                        None
                    }
                })
                .collect(),
            _ => {
                self.error(
                    node.span,
                    format!("`{what}` must be a string or a list of strings"),
                );
                Vec::new()
            }
        }
    }

    /// The non-empty documents of `text`; YAML errors (syntax, duplicate keys) are recorded.
    pub fn documents(&mut self, text: &str) -> Vec<Node> {
        let stream = yaml::parse_stream(text);
        if let Some(f) = &stream.fatal {
            self.error(
                Span {
                    start: f.pos,
                    end: f.pos,
                },
                format!("invalid YAML: {}", f.message),
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for doc in stream.documents {
            for e in &doc.errors {
                self.error(
                    Span {
                        start: e.pos,
                        end: e.pos,
                    },
                    e.message.clone(),
                );
            }
            out.push(doc.document.root);
        }
        out
    }

    /// Reports keys of `node` not in `allowed`.
    pub fn only_keys(&mut self, node: &Node, allowed: &[&str], what: &str) {
        for (k, _) in node.as_map().unwrap_or_default() {
            if !allowed.contains(&k.text.as_str()) {
                let hint = crate::suggest::closest(&k.text, allowed)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                self.error(
                    k.span,
                    format!(
                        "unknown key `{}` in {what}{hint}; expected one of: {}",
                        k.text,
                        allowed.join(", ")
                    ),
                );
            }
        }
    }
}

/// The first document of a YAML file of callboard's own inputs: its root and the errors inside
/// it (duplicate keys, budgets), or the error that stopped the parse. `Ok(None)`: no document.
pub fn read_yaml(
    path: &std::path::Path,
) -> Result<Option<(Node, Vec<LocatedError>)>, LocatedError> {
    let err = |line, column, message: String| LocatedError {
        file: path.to_path_buf(),
        line,
        column,
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(0, 0, format!("cannot read: {e}")))?;
    let stream = crate::yaml::parse_stream(&text);
    if let Some(f) = stream.fatal {
        return Err(err(f.pos.line, f.pos.column, f.message));
    }
    Ok(stream.documents.into_iter().next().map(|doc| {
        let errors = doc
            .errors
            .iter()
            .map(|e| err(e.pos.line, e.pos.column, e.message.clone()))
            .collect();
        (doc.document.root, errors)
    }))
}
