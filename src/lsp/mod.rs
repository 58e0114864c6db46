//! `callboard lsp`: the language server's state and answers. Pure: requests and notifications
//! come in as values and answers and diagnostics go out as values; the transport (stdio, the
//! debounce) is `commands/lsp.rs`.

pub mod actions;
pub mod explain;
pub mod features;
pub mod position;
pub mod workspace;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification,
};
use lsp_types::request::{
    CodeActionRequest, Completion, GotoDefinition, HoverRequest, PrepareRenameRequest, References,
    Rename, Request,
};
use lsp_types::{
    InitializeParams, PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, Url,
};
use serde_json::Value;

use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use position::Encoding;
use workspace::Workspace;

/// A request the server could not answer: an LSP error code and a message for the user.
#[derive(Debug)]
pub struct RequestError {
    pub code: i32,
    pub message: String,
}

impl RequestError {
    /// JSON-RPC "invalid params".
    fn invalid(message: impl Into<String>) -> RequestError {
        RequestError {
            code: -32602,
            message: message.into(),
        }
    }
}

/// The workspace root the client names: its first workspace folder, else `rootUri`, else
/// `rootPath`; None when it names none (the command then uses its working directory).
#[allow(deprecated)] // rootUri and rootPath are deprecated, and still what older clients send
pub fn root_of(params: &InitializeParams) -> Option<PathBuf> {
    params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|f| f.uri.to_file_path().ok())
        .or_else(|| params.root_uri.as_ref()?.to_file_path().ok())
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
        .map(|p| crate::fs::lexical_normalize(&p))
}

/// What the server offers.
pub fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp_types::OneOf::Left(true)),
        references_provider: Some(lsp_types::OneOf::Left(true)),
        rename_provider: Some(lsp_types::OneOf::Right(lsp_types::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "/".into()]),
            ..Default::default()
        }),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Options(
            lsp_types::CodeActionOptions {
                code_action_kinds: Some(vec![lsp_types::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

pub struct Server {
    pub workspace: Workspace,
    encoding: Encoding,
    /// Open buffers' texts, as the client last sent them.
    open: HashMap<PathBuf, String>,
    /// Buffers changed since the last check (checked together after the quiet time).
    pending: BTreeMap<PathBuf, ()>,
    /// Files saved since the last check (a skeleton file's template is linted again).
    saved: std::collections::BTreeSet<PathBuf>,
    /// What the client shows now, per file (absent: nothing).
    published: HashMap<PathBuf, Vec<lsp_types::Diagnostic>>,
}

impl Server {
    /// Loads the workspace as `catalog validate ROOT` would with `config`.
    pub fn new(root: PathBuf, config: Config, encoding: Encoding) -> Server {
        Server {
            workspace: Workspace::load(root, config),
            encoding,
            open: HashMap::new(),
            pending: BTreeMap::new(),
            saved: Default::default(),
            published: HashMap::new(),
        }
    }

    /// The diagnostics of every catalog file with findings, for the start.
    pub fn initial_diagnostics(&mut self) -> Vec<PublishDiagnosticsParams> {
        let files = self.workspace.files();
        self.publish(files)
    }

    /// Handles a notification; returns whether a check is now pending (the caller waits for
    /// the quiet time, then calls [`Server::check_pending`]).
    pub fn notify(&mut self, method: &str, params: Value) -> Result<bool, String> {
        match method {
            DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = parse(params)?;
                // An unsaved `untitled:` buffer has no place in the workspace: not checked.
                let Ok(path) = file_path(&p.text_document.uri) else {
                    return Ok(self.has_pending());
                };
                self.open.insert(path.clone(), p.text_document.text);
                self.pending.insert(path, ());
            }
            DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = parse(params)?;
                let Ok(path) = file_path(&p.text_document.uri) else {
                    return Ok(self.has_pending());
                };
                let text = self.open.entry(path.clone()).or_default();
                for change in p.content_changes {
                    apply_change(text, change, self.encoding);
                }
                self.pending.insert(path, ());
            }
            DidSaveTextDocument::METHOD => {
                let p: lsp_types::DidSaveTextDocumentParams = parse(params)?;
                let Ok(path) = file_path(&p.text_document.uri) else {
                    return Ok(self.has_pending());
                };
                self.saved.insert(path);
            }
            DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = parse(params)?;
                let Ok(path) = file_path(&p.text_document.uri) else {
                    return Ok(self.has_pending());
                };
                self.open.remove(&path);
                self.pending.insert(path, ());
            }
            _ => return Ok(false),
        }
        Ok(self.has_pending())
    }

    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty() || !self.saved.is_empty()
    }

    /// Re-checks the changed buffers (and what they affect); returns the diagnostics that
    /// changed, clearing included.
    pub fn check_pending(&mut self) -> Vec<PublishDiagnosticsParams> {
        let mut affected = std::collections::BTreeSet::new();
        for (path, ()) in std::mem::take(&mut self.pending) {
            let text = match self.open.get(&path) {
                Some(text) => Some(text.clone()),
                None => self.closed(&path, &mut affected),
            };
            let Some(text) = text else { continue };
            affected.extend(self.workspace.update(&path, text));
        }
        for path in std::mem::take(&mut self.saved) {
            affected.extend(self.workspace.saved(&path));
        }
        self.publish(affected.into_iter().collect())
    }

    /// A closed buffer: the disk's text again for a workspace file; an outside file is
    /// forgotten (its diagnostics cleared).
    fn closed(
        &mut self,
        path: &Path,
        affected: &mut std::collections::BTreeSet<PathBuf>,
    ) -> Option<String> {
        if self.workspace.close_outside(path) {
            affected.insert(path.to_path_buf());
            return None;
        }
        if !self.workspace.catalog.files.contains_key(path) {
            return None;
        }
        // A file deleted meanwhile holds nothing any more.
        Some(
            crate::catalog::load::read_text(path)
                .map(|(text, _)| text)
                .unwrap_or_default(),
        )
    }

    /// The publications for `files` whose diagnostics differ from what the client shows.
    fn publish(&mut self, files: Vec<PathBuf>) -> Vec<PublishDiagnosticsParams> {
        let mut out = Vec::new();
        for path in files {
            let text = self.workspace.text_of(&path).unwrap_or_default();
            let now: Vec<lsp_types::Diagnostic> = self
                .workspace
                .findings(&path)
                .iter()
                .map(|d| to_lsp(d, &text, self.encoding))
                .collect();
            let before = self.published.get(&path).map_or(&[][..], Vec::as_slice);
            if before == now.as_slice() {
                continue;
            }
            let Ok(uri) = Url::from_file_path(&path) else {
                continue;
            };
            if now.is_empty() {
                self.published.remove(&path);
            } else {
                self.published.insert(path, now.clone());
            }
            out.push(PublishDiagnosticsParams {
                uri,
                diagnostics: now,
                version: None,
            });
        }
        out
    }

    /// Answers a request; `Ok(None)` for a method the server does not offer.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Option<Value>, RequestError> {
        let encoding = self.encoding;
        let answer = match method {
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = parse(params).map_err(RequestError::invalid)?;
                let hit = self.hit(&p.text_document_position_params)?;
                json(hit.and_then(|h| features::hover(&self.workspace, &h)))
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams =
                    parse(params).map_err(RequestError::invalid)?;
                let hit = self.hit(&p.text_document_position_params)?;
                json(hit.and_then(|h| features::definition(&self.workspace, &h, encoding)))
            }
            References::METHOD => {
                let p: lsp_types::ReferenceParams = parse(params).map_err(RequestError::invalid)?;
                let hit = self.hit(&p.text_document_position)?;
                json(hit.map(|h| {
                    features::references(
                        &self.workspace,
                        &h,
                        p.context.include_declaration,
                        encoding,
                    )
                }))
            }
            PrepareRenameRequest::METHOD => {
                let p: lsp_types::TextDocumentPositionParams =
                    parse(params).map_err(RequestError::invalid)?;
                let hit = self.hit(&p)?;
                let path = file_path(&p.text_document.uri).map_err(RequestError::invalid)?;
                json(
                    features::prepare_rename(&self.workspace, &path, hit.as_ref(), encoding)
                        .map_err(RequestError::invalid)?,
                )
            }
            Rename::METHOD => {
                let p: lsp_types::RenameParams = parse(params).map_err(RequestError::invalid)?;
                let hit = self.hit(&p.text_document_position)?;
                json(
                    features::rename(&self.workspace, hit.as_ref(), &p.new_name)
                        .map_err(RequestError::invalid)?,
                )
            }
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams =
                    parse(params).map_err(RequestError::invalid)?;
                let path = file_path(&p.text_document.uri).map_err(RequestError::invalid)?;
                json(actions::code_actions(&self.workspace, &path, &p, encoding))
            }
            Completion::METHOD => {
                let p: lsp_types::CompletionParams =
                    parse(params).map_err(RequestError::invalid)?;
                let at = &p.text_document_position;
                let path = file_path(&at.text_document.uri).map_err(RequestError::invalid)?;
                // The buffer as typed: completion comes between checks, and on broken YAML.
                let text = match self.open.get(&path) {
                    Some(text) => text.clone(),
                    None => self
                        .workspace
                        .report(&path)
                        .and_then(|r| r.text.as_deref().map(String::from))
                        .unwrap_or_default(),
                };
                json(features::completion(
                    &self.workspace,
                    &text,
                    at.position,
                    encoding,
                ))
            }
            _ => return Ok(None),
        };
        Ok(Some(answer))
    }

    /// What is at a position of a checked file.
    fn hit(
        &self,
        at: &lsp_types::TextDocumentPositionParams,
    ) -> Result<Option<features::Hit>, RequestError> {
        let path = file_path(&at.text_document.uri).map_err(RequestError::invalid)?;
        let Some(text) = self.workspace.report(&path).and_then(|r| r.text.as_deref()) else {
            return Ok(None);
        };
        let pos = position::from_lsp(text, at.position, self.encoding);
        Ok(features::at(&self.workspace, &path, pos))
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| format!("invalid parameters: {e}"))
}

fn json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn file_path(uri: &Url) -> Result<PathBuf, String> {
    uri.to_file_path()
        .map(|p| crate::fs::lexical_normalize(&p))
        .map_err(|()| format!("{uri} is not a file URI: callboard checks files"))
}

/// Applies one change of `didChange` to a buffer (a whole text, or a range).
fn apply_change(
    text: &mut String,
    change: lsp_types::TextDocumentContentChangeEvent,
    encoding: Encoding,
) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let start = position::offset(text, range.start, encoding);
            let end = position::offset(text, range.end, encoding).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

/// A finding as the client shows it: the code links to its docs, the help follows the message.
pub(crate) fn to_lsp(d: &Diagnostic, text: &str, encoding: Encoding) -> lsp_types::Diagnostic {
    let range = d
        .span
        .map(|s| position::range(text, s, encoding))
        .unwrap_or_default();
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp_types::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp_types::DiagnosticSeverity::WARNING,
            Severity::Note => lsp_types::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp_types::NumberOrString::String(d.code.id().to_string())),
        code_description: Url::parse(&d.code.docs_url())
            .ok()
            .map(|href| lsp_types::CodeDescription { href }),
        source: Some("callboard".to_string()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}
