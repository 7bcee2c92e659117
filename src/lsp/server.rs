//! The main loop: initialisation, dispatch of requests and notifications,
//! batching of queued edits, publishing diagnostics, shutdown and exit.

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use jiff::civil::Date;
use lsp_server::{
    Connection, ErrorCode, Message, Notification, Request, RequestId, Response, ResponseError,
};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, CodeLensRequest, Completion, DocumentHighlightRequest,
    DocumentSymbolRequest, FoldingRangeRequest, Formatting, GotoDefinition, HoverRequest,
    Initialize, InlayHintRequest, PrepareRenameRequest, References, Rename, Request as _,
    SemanticTokensFullRequest, Shutdown, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CodeLensOptions,
    CompletionOptions, DocumentSymbolResponse, InitializeParams, InitializeResult, OneOf,
    PositionEncodingKind, PublishDiagnosticsParams, RenameOptions, SaveOptions, ServerCapabilities,
    ServerInfo, TextDocumentContentChangeEvent, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri, WorkspaceSymbolResponse,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::workspace::{Analysis, Workspace};
use super::{
    completion, convert, folding, formatting, hover, inlay, lens, navigation, quick_fixes, rename,
    semantic, symbols, transport,
};
use crate::span::FileId;
use crate::syntax::lines::{LineCol, LineIndex};

/// Runs the server on stdin and stdout; returns the process exit code (0
/// after `shutdown` then `exit`, 1 for `exit` without `shutdown` or a lost
/// connection, 2 when the server could not start).
pub fn run() -> u8 {
    let (connection, transport) = match transport::stdio() {
        Ok(pair) => pair,
        Err(err) => {
            eprintln!("error: cannot start the language server: {err}");
            return 2;
        }
    };
    let code = Server::new(connection).run();
    transport.join();
    code
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShuttingDown,
}

/// The language server over any connection (stdio, or in memory for tests
/// and benchmarks).
pub struct Server {
    connection: Connection,
    workspace: Workspace,
    state: State,
    /// Messages read while an analysis looked for a newer edit, handled
    /// before anything else is read.
    pending: VecDeque<Message>,
}

/// Does this message change a text (or end the server), so that an
/// analysis under way is out of date?
fn supersedes(message: &Message) -> bool {
    matches!(message, Message::Notification(n) if matches!(
        n.method.as_str(),
        DidChangeTextDocument::METHOD
            | DidOpenTextDocument::METHOD
            | DidCloseTextDocument::METHOD
            | DidSaveTextDocument::METHOD
            | DidChangeWatchedFiles::METHOD
            | "exit"
    ))
}

/// How a request failed.
type Reply = Result<Value, ResponseError>;

fn error(code: ErrorCode, message: impl Into<String>) -> ResponseError {
    ResponseError {
        code: code as i32,
        message: message.into(),
        data: None,
    }
}

impl Server {
    pub fn new(connection: Connection) -> Server {
        Server {
            connection,
            workspace: Workspace::new(jiff::ZonedDateTime::now().date()),
            state: State::Uninitialized,
            pending: VecDeque::new(),
        }
    }

    /// Serves until `exit` or until the connection closes. Every message
    /// already queued is handled before diagnostics are computed, so a burst
    /// of edits is analysed once, for its last text.
    pub fn run(mut self) -> u8 {
        loop {
            let first = match self.pending.pop_front() {
                Some(first) => first,
                None => match self.connection.receiver.recv() {
                    Ok(first) => first,
                    Err(_) => {
                        return if self.state == State::ShuttingDown {
                            0
                        } else {
                            1
                        };
                    }
                },
            };
            let mut batch = vec![first];
            batch.extend(self.pending.drain(..));
            while let Ok(more) = self.connection.receiver.try_recv() {
                batch.push(more);
            }
            let cancelled: HashSet<RequestId> = batch
                .iter()
                .filter_map(|m| match m {
                    Message::Notification(n) if n.method == "$/cancelRequest" => {
                        n.params.get("id").cloned()
                    }
                    _ => None,
                })
                .filter_map(|id| serde_json::from_value(id).ok())
                .collect();
            for message in batch {
                match message {
                    Message::Request(req) if cancelled.contains(&req.id) => {
                        self.send(Response::new_err(
                            req.id,
                            ErrorCode::RequestCanceled as i32,
                            "cancelled".to_string(),
                        ));
                    }
                    Message::Request(req) => {
                        let response = self.request(req);
                        self.send(response);
                    }
                    Message::Notification(n) => {
                        if let Some(code) = self.notification(n) {
                            return code;
                        }
                    }
                    Message::Response(_) => {}
                }
            }
            if self.state == State::Running {
                self.publish();
            }
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // A closed connection ends the loop at the next `recv`.
        let _ = self.connection.sender.send(message.into());
    }

    fn publish_one(&self, params: PublishDiagnosticsParams) {
        self.send(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        ));
    }

    fn publish(&mut self) {
        let workspace = &mut self.workspace;
        let receiver = &self.connection.receiver;
        // A newer edit supersedes the analysis: it is given up, and redone
        // for the newer text. Requests read meanwhile wait for it.
        let pending = RefCell::new(std::mem::take(&mut self.pending));
        let superseded = || {
            let mut pending = pending.borrow_mut();
            while let Ok(message) = receiver.try_recv() {
                pending.push_back(message);
            }
            pending.iter().any(supersedes)
        };
        let found = catch_unwind(AssertUnwindSafe(|| {
            workspace.take_publish_unless(&superseded)
        }));
        self.pending = pending.into_inner();
        match found {
            Ok(list) => list.into_iter().for_each(|p| self.publish_one(p)),
            Err(_) => eprintln!("ipcheck lsp: internal error while publishing diagnostics"),
        }
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let reply = match self.state {
            State::Uninitialized if req.method == Initialize::METHOD => self.initialize(req),
            State::Uninitialized => Err(error(
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet",
            )),
            State::ShuttingDown => Err(error(
                ErrorCode::InvalidRequest,
                "the server is shutting down",
            )),
            State::Running => {
                let method = req.method.clone();
                match catch_unwind(AssertUnwindSafe(|| self.dispatch(req))) {
                    Ok(reply) => reply,
                    Err(_) => Err(error(
                        ErrorCode::InternalError,
                        format!("internal error while handling `{method}`"),
                    )),
                }
            }
        };
        Response {
            id,
            response_result: reply,
        }
    }

    fn initialize(&mut self, req: Request) -> Reply {
        let params: InitializeParams = params(req)?;
        let today = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("today"))
            .and_then(Value::as_str)
            .and_then(|d| d.parse::<Date>().ok());
        if let Some(today) = today {
            self.workspace.today = today;
        }
        self.state = State::Running;
        json(InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "ipcheck".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    fn dispatch(&mut self, req: Request) -> Reply {
        match req.method.as_str() {
            Initialize::METHOD => Err(error(ErrorCode::InvalidRequest, "already initialized")),
            Shutdown::METHOD => {
                self.state = State::ShuttingDown;
                Ok(Value::Null)
            }
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(req)?;
                let at = p.text_document_position_params;
                json(self.at(&at.text_document.uri, at.position, hover::hover))
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = params(req)?;
                let at = p.text_document_position_params;
                json(self.at(&at.text_document.uri, at.position, navigation::definition))
            }
            References::METHOD => {
                let p: lsp_types::ReferenceParams = params(req)?;
                let at = p.text_document_position;
                let include = p.context.include_declaration;
                json(self.at(&at.text_document.uri, at.position, |a, f, o| {
                    Some(navigation::references(a, f, o, include))
                }))
            }
            DocumentHighlightRequest::METHOD => {
                let p: lsp_types::DocumentHighlightParams = params(req)?;
                let at = p.text_document_position_params;
                json(self.at(&at.text_document.uri, at.position, |a, f, o| {
                    Some(navigation::highlights(a, f, o))
                }))
            }
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(req)?;
                let at = p.text_document_position;
                json(self.at(&at.text_document.uri, at.position, |a, f, o| {
                    Some(completion::complete(a, f, o))
                }))
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = params(req)?;
                json(self.with(&p.text_document.uri, |a, f| {
                    DocumentSymbolResponse::Nested(symbols::document(a, f))
                }))
            }
            WorkspaceSymbolRequest::METHOD => {
                let p: lsp_types::WorkspaceSymbolParams = params(req)?;
                let analyses = self.workspace.analyses();
                json(WorkspaceSymbolResponse::Flat(symbols::workspace(
                    &analyses, &p.query,
                )))
            }
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = params(req)?;
                let diagnostics = p.context.diagnostics;
                json(self.with(&p.text_document.uri, |a, f| {
                    quick_fixes::actions(a, f, &diagnostics)
                }))
            }
            PrepareRenameRequest::METHOD => {
                let p: lsp_types::TextDocumentPositionParams = params(req)?;
                let found = self.at(&p.text_document.uri, p.position, |a, f, o| {
                    Some(rename::prepare(a, f, o))
                });
                match found {
                    None => Ok(Value::Null),
                    Some(Ok(range)) => json(range),
                    Some(Err(message)) => Err(error(ErrorCode::RequestFailed, message)),
                }
            }
            Rename::METHOD => {
                let p: lsp_types::RenameParams = params(req)?;
                let at = p.text_document_position;
                let new_name = p.new_name;
                let found = self.at(&at.text_document.uri, at.position, |a, f, o| {
                    Some(rename::rename(a, f, o, &new_name))
                });
                match found {
                    None => Ok(Value::Null),
                    Some(Ok(edit)) => json(edit),
                    Some(Err(message)) => Err(error(ErrorCode::RequestFailed, message)),
                }
            }
            FoldingRangeRequest::METHOD => {
                let p: lsp_types::FoldingRangeParams = params(req)?;
                json(self.with(&p.text_document.uri, folding::folding_ranges))
            }
            SemanticTokensFullRequest::METHOD => {
                let p: lsp_types::SemanticTokensParams = params(req)?;
                json(
                    self.with(&p.text_document.uri, semantic::tokens)
                        .map(lsp_types::SemanticTokensResult::Tokens),
                )
            }
            InlayHintRequest::METHOD => {
                let p: lsp_types::InlayHintParams = params(req)?;
                let range = p.range;
                json(self.with(&p.text_document.uri, |a, f| inlay::hints(a, f, range)))
            }
            CodeLensRequest::METHOD => {
                let p: lsp_types::CodeLensParams = params(req)?;
                json(self.with(&p.text_document.uri, lens::lenses))
            }
            Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = params(req)?;
                let Some(text) = self.workspace.text(&p.text_document.uri) else {
                    return Ok(Value::Null);
                };
                formatting::format(&text)
                    .map_err(|message| error(ErrorCode::RequestFailed, message))
                    .and_then(json)
            }
            _ => Err(error(
                ErrorCode::MethodNotFound,
                format!("unknown method `{}`", req.method),
            )),
        }
    }

    /// Runs a feature on an open document's analysis; `None` when the
    /// document is not open.
    fn with<T>(&mut self, uri: &Uri, f: impl FnOnce(&Analysis, FileId) -> T) -> Option<T> {
        let (analysis, file): (Arc<Analysis>, FileId) = self.workspace.analysis(uri)?;
        Some(f(&analysis, file))
    }

    /// Runs a feature at a position of an open document.
    fn at<T>(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
        f: impl FnOnce(&Analysis, FileId, usize) -> Option<T>,
    ) -> Option<T> {
        self.with(uri, |analysis, file| {
            let offset = convert::offset(analysis.source(file)?, position);
            f(analysis, file, offset)
        })
        .flatten()
    }

    /// Handles a notification; returns the exit code on `exit`.
    fn notification(&mut self, n: Notification) -> Option<u8> {
        if n.method == "exit" {
            return Some(if self.state == State::ShuttingDown {
                0
            } else {
                1
            });
        }
        if self.state != State::Running {
            return None;
        }
        let method = n.method.clone();
        let handled = catch_unwind(AssertUnwindSafe(|| self.on_notification(n)));
        match handled {
            Ok(Ok(())) => {}
            Ok(Err(message)) => eprintln!("ipcheck lsp: `{method}`: {message}"),
            Err(_) => eprintln!("ipcheck lsp: internal error while handling `{method}`"),
        }
        None
    }

    fn on_notification(&mut self, n: Notification) -> Result<(), String> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = note_params(n)?;
                let doc = p.text_document;
                self.workspace.open(doc.uri, doc.text, doc.version);
            }
            DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = note_params(n)?;
                let uri = p.text_document.uri;
                let Some(text) = self.workspace.text(&uri) else {
                    return Err("change to a document that is not open".to_string());
                };
                let text = apply_changes(&text, p.content_changes);
                self.workspace.change(&uri, text, p.text_document.version);
            }
            DidSaveTextDocument::METHOD => {
                let p: lsp_types::DidSaveTextDocumentParams = note_params(n)?;
                self.workspace.save(&p.text_document.uri, p.text);
            }
            DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = note_params(n)?;
                for params in self.workspace.close(&p.text_document.uri) {
                    self.publish_one(params);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                let p: lsp_types::DidChangeWatchedFilesParams = note_params(n)?;
                for change in p.changes {
                    self.workspace.disk_changed(&change.uri);
                }
            }
            _ => {} // `initialized`, `$/…` and anything unknown
        }
        Ok(())
    }
}

/// The server's capabilities.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
            },
        )),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        // A space or a comma is where the next word starts: clients that
        // pop completion up only on trigger characters (Neovim) need them.
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".to_string(), ",".to_string()]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_formatting_provider: formatting::AVAILABLE.then_some(OneOf::Left(true)),
        folding_range_provider: Some(lsp_types::FoldingRangeProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(
            lsp_types::SemanticTokensServerCapabilities::SemanticTokensOptions(
                lsp_types::SemanticTokensOptions {
                    legend: semantic::legend(),
                    full: Some(lsp_types::SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    work_done_progress_options: Default::default(),
                },
            ),
        ),
        inlay_hint_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

fn params<P: DeserializeOwned>(req: Request) -> Result<P, ResponseError> {
    serde_json::from_value(req.params).map_err(|err| {
        error(
            ErrorCode::InvalidParams,
            format!("invalid parameters for `{}`: {err}", req.method),
        )
    })
}

fn note_params<P: DeserializeOwned>(n: Notification) -> Result<P, String> {
    serde_json::from_value(n.params).map_err(|err| format!("invalid parameters: {err}"))
}

fn json(value: impl Serialize) -> Reply {
    serde_json::to_value(value)
        .map_err(|err| error(ErrorCode::InternalError, format!("cannot serialise: {err}")))
}

/// Applies `didChange` events: a change without a range replaces the text,
/// one with a range replaces that range (clients may send either).
pub fn apply_changes(text: &str, changes: Vec<TextDocumentContentChangeEvent>) -> String {
    let mut text = text.to_string();
    for change in changes {
        match change.range {
            None => text = change.text,
            Some(range) => {
                let index = LineIndex::new(&text);
                let offset = |p: lsp_types::Position| {
                    index.offset_of_utf16(
                        &text,
                        LineCol {
                            line: p.line,
                            col: p.character,
                        },
                    )
                };
                let (start, end) = (offset(range.start), offset(range.end));
                if start <= end && end <= text.len() {
                    text.replace_range(start..end, &change.text);
                }
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    #[test]
    fn incremental_changes_use_utf16_ranges() {
        let text = "party f \"Förderung 🔋\" x\n";
        let col = text[..text.rfind('x').unwrap_or(0)].encode_utf16().count() as u32;
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(0, col), Position::new(0, col + 1))),
            range_length: None,
            text: "yz".to_string(),
        };
        assert_eq!(
            apply_changes(text, vec![change]),
            "party f \"Förderung 🔋\" yz\n"
        );
    }
}
