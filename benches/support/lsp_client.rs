//! A language server in process for the benchmarks: started over an
//! in-memory connection with one text open, and a wait for the
//! diagnostics of a version.

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

/// An incremental change of `uri` inserting `text` at the start of `line`.
pub fn insert(uri: &str, version: i64, line: u32, text: &str) -> Message {
    Notification::new(
        "textDocument/didChange".to_string(),
        json!({
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [{
                "range": { "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 0 } },
                "text": text,
            }],
        }),
    )
    .into()
}

/// A server over an in-memory connection with `text` open as `uri`, the
/// first diagnostics received; its connection and thread.
pub fn server_with(
    text: &str,
    uri: &str,
    today: &str,
) -> (Connection, std::thread::JoinHandle<u8>) {
    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || ipcheck::lsp::Server::new(server).run());
    let _ = client.sender.send(
        Request::new(
            RequestId::from(1),
            "initialize".to_string(),
            json!({ "capabilities": {}, "initializationOptions": { "today": today } }),
        )
        .into(),
    );
    let _ = client.receiver.recv();
    let _ = client
        .sender
        .send(Notification::new("initialized".to_string(), json!({})).into());
    let _ = client.sender.send(
        Notification::new(
            "textDocument/didOpen".to_string(),
            json!({ "textDocument": { "uri": uri, "languageId": "ipl", "version": 1, "text": text } }),
        )
        .into(),
    );
    wait_version(&client, None);
    (client, thread)
}

/// Waits for diagnostics of `version` (any version when `None`).
pub fn wait_version(client: &Connection, version: Option<i64>) {
    while let Ok(message) = client.receiver.recv() {
        if let Message::Notification(n) = &message
            && n.method == "textDocument/publishDiagnostics"
            && version.is_none_or(|v| n.params["version"].as_i64() == Some(v))
        {
            return;
        }
    }
}
