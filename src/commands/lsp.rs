//! `callboard lsp`: the language server's transport. Messages come from stdio (or an in-memory
//! connection in tests); changes are checked after a quiet time, so a burst of keystrokes costs
//! one check.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Response};
use lsp_types::notification::{
    DidOpenTextDocument, LogMessage, Notification as _, PublishDiagnostics, ShowMessage,
};

use crate::cli::LspArgs;
use crate::commands::{Outcome, load_config};
use crate::lsp::{self, Server, position::Encoding};

/// How long the buffers must stay unchanged before they are checked, when a check ran less
/// than this long ago (the first change after a pause is checked at once).
pub const QUIET_TIME: Duration = Duration::from_millis(150);

pub fn run(args: &LspArgs) -> anyhow::Result<Outcome> {
    let (connection, io_threads) = Connection::stdio();
    let outcome = serve(&connection, args.config.file.as_ref())?;
    drop(connection);
    io_threads
        .join()
        .context("the connection to the editor broke")?;
    Ok(outcome)
}

/// Serves one client on `connection` until it shuts the server down or hangs up.
pub fn serve(connection: &Connection, config_file: Option<&PathBuf>) -> anyhow::Result<Outcome> {
    let (id, params) = connection
        .initialize_start()
        .context("the editor did not initialize the server")?;
    let params: lsp_types::InitializeParams =
        serde_json::from_value(params).context("invalid initialize parameters")?;
    let encoding = Encoding::negotiate(&params.capabilities);
    let root = match lsp::root_of(&params) {
        Some(root) => root,
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    let (config, config_problem) = match load_config(config_file, &root) {
        Ok(config) => (config, None),
        Err(e) => (crate::config::Config::default(), Some(e.0)),
    };
    let result = lsp_types::InitializeResult {
        capabilities: lsp::capabilities(encoding),
        server_info: Some(lsp_types::ServerInfo {
            name: "callboard".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection
        .initialize_finish(id, serde_json::to_value(result)?)
        .context("the editor did not finish initializing")?;
    let send = |message: Message| {
        connection
            .sender
            .send(message)
            .context("the connection to the editor broke")
    };
    if let Some(problem) = config_problem {
        send(show_message(
            lsp_types::MessageType::ERROR,
            format!(
                "{problem}\ncallboard checks with the default configuration until it is fixed and the server restarted"
            ),
        ))?;
    }
    let started = Instant::now();
    let mut server = Server::new(root, config, encoding);
    let loaded = started.elapsed();
    let publish = |all: Vec<lsp_types::PublishDiagnosticsParams>| -> anyhow::Result<()> {
        for params in all {
            send(Message::Notification(Notification::new(
                PublishDiagnostics::METHOD.to_string(),
                params,
            )))?;
        }
        Ok(())
    };
    publish(server.initial_diagnostics())?;
    send(Message::Notification(Notification::new(
        LogMessage::METHOD.to_string(),
        lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::INFO,
            message: format!(
                "callboard: {} catalog files checked in {} ms, their diagnostics published in {} ms",
                server.workspace.catalog.files.len(),
                loaded.as_millis(),
                (started.elapsed() - loaded).as_millis()
            ),
        },
    )))?;
    let mut last_check: Option<Instant> = None;
    loop {
        let message = if server.has_pending() {
            match connection.receiver.recv_timeout(QUIET_TIME) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => {
                    publish(server.check_pending())?;
                    last_check = Some(Instant::now());
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match connection.receiver.recv() {
                Ok(message) => message,
                Err(_) => break,
            }
        };
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(Outcome::Success);
                }
                // An answer is about the buffers as the client has them now.
                if server.has_pending() {
                    publish(server.check_pending())?;
                    last_check = Some(Instant::now());
                }
                let response = match server.request(&request.method, request.params) {
                    Ok(Some(value)) => Response::new_ok(request.id, value),
                    Ok(None) => Response::new_err(
                        request.id,
                        ErrorCode::MethodNotFound as i32,
                        format!("callboard does not offer {}", request.method),
                    ),
                    Err(e) => Response::new_err(request.id, e.code, e.message),
                };
                send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                if notification.method == "exit" {
                    break;
                }
                let waiting = server.has_pending();
                if let Err(problem) = server.notify(&notification.method, notification.params) {
                    send(show_message(lsp_types::MessageType::WARNING, problem))?;
                }
                // An opened file, and a change after a pause, are checked at once; a burst of
                // changes waits for quiet.
                let opened = notification.method == DidOpenTextDocument::METHOD;
                let paused = last_check.is_none_or(|t| t.elapsed() >= QUIET_TIME);
                if server.has_pending() && (opened || (!waiting && paused)) {
                    publish(server.check_pending())?;
                    last_check = Some(Instant::now());
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(Outcome::Success)
}

fn show_message(typ: lsp_types::MessageType, message: String) -> Message {
    Message::Notification(Notification::new(
        ShowMessage::METHOD.to_string(),
        lsp_types::ShowMessageParams { typ, message },
    ))
}
