//! `ipcheck lsp` end to end: the real binary, spoken to in framed JSON-RPC
//! over its stdin and stdout, one insta snapshot per feature.
//!
//! Fixtures under `tests/fixtures/lsp/` are copied into a temporary
//! directory; its path is replaced by `$DIR` in every snapshot.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(60);

/// A snapshot in `tests/snapshots/lsp/`.
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "snapshots/lsp", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Notifications received while waiting for responses.
    notifications: Vec<Value>,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
    dir: tempfile::TempDir,
}

impl Client {
    /// Starts the server on a copy of a fixture directory (none for "").
    fn start(fixture: &str) -> Client {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/lsp")
            .join(fixture);
        Client::start_in(&from, !fixture.is_empty())
    }

    /// Starts the server on a copy of a directory of the repository.
    fn start_copy(dir: &str) -> Client {
        Client::start_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), true)
    }

    fn start_in(from: &Path, copy: bool) -> Client {
        let mut client = Client::spawn_in(from, copy);
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": client.dir_uri(),
                "capabilities": {},
                "initializationOptions": { "today": "2026-01-15" },
            }),
        );
        assert!(init.get("result").is_some(), "{init}");
        client.notify("initialized", json!({}));
        client
    }

    /// Starts the server without initialising it.
    fn spawn(fixture: &str) -> Client {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/lsp")
            .join(fixture);
        Client::spawn_in(&from, !fixture.is_empty())
    }

    fn spawn_in(from: &Path, copy: bool) -> Client {
        let dir = tempfile::tempdir().unwrap();
        if copy {
            for entry in std::fs::read_dir(from).unwrap() {
                let path = entry.unwrap().path();
                std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
            }
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_ipcheck"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.unwrap()];
                reader.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            sink.lock().unwrap().push_str(&text);
        });
        Client {
            stdin: child.stdin.take(),
            child,
            messages: rx,
            notifications: Vec::new(),
            stderr,
            next_id: 0,
            dir,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn dir_uri(&self) -> String {
        let dir = self.dir.path().to_str().unwrap();
        assert!(
            dir.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
        );
        format!("file://{dir}")
    }

    fn uri(&self, name: &str) -> String {
        format!("{}/{name}", self.dir_uri())
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn next(&mut self) -> Value {
        match self.messages.recv_timeout(TIMEOUT) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server"),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "the server closed its output; stderr:\n{}",
                self.stderr.lock().unwrap()
            ),
        }
    }

    /// Sends a request and returns the whole response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response(json!(id))
    }

    fn response(&mut self, id: Value) -> Value {
        loop {
            let message = self.next();
            if message.get("method").is_some() {
                self.notifications.push(message);
            } else if message.get("id") == Some(&id) {
                return message;
            }
        }
    }

    /// The result of a request, which must succeed.
    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        match response.get("result") {
            Some(result) => result.clone(),
            None => panic!("{method} failed: {response}"),
        }
    }

    /// Waits until the server handled everything sent so far and returns
    /// the diagnostics it published meanwhile. The server publishes after
    /// each batch of queued messages, so two round trips are needed.
    fn published(&mut self) -> Vec<Value> {
        self.request("ipcheck/sync", json!(null));
        self.request("ipcheck/sync", json!(null));
        let notes = std::mem::take(&mut self.notifications);
        notes
            .into_iter()
            .filter(|n| n["method"] == "textDocument/publishDiagnostics")
            .map(|n| n["params"].clone())
            .collect()
    }

    fn text(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    fn open(&mut self, name: &str) {
        let text = self.text(name);
        self.open_text(name, &text);
    }

    fn open_text(&mut self, name: &str, text: &str) {
        let uri = self.uri(name);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "ipl", "version": 1, "text": text } }),
        );
    }

    /// An incremental `didChange`: `new` replaces the bytes `start..end`
    /// of `text` (the document's current text), sent as a UTF-16 range.
    fn edit(&mut self, name: &str, version: i32, text: &str, start: usize, end: usize, new: &str) {
        let uri = self.uri(name);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{
                    "range": { "start": position(text, start), "end": position(text, end) },
                    "text": new,
                }],
            }),
        );
    }

    fn change(&mut self, name: &str, version: i32, text: &str) {
        let uri = self.uri(name);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// `{textDocument, position}` at the `nth` occurrence of `needle` in a
    /// file's text, `shift` characters into it.
    fn at(&self, name: &str, text: &str, needle: &str, nth: usize, shift: usize) -> Value {
        let offset = text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("`{needle}` #{nth} not in {name}"))
            .0;
        let offset = offset
            + needle
                .char_indices()
                .nth(shift)
                .map_or(needle.len(), |(i, _)| i);
        json!({ "textDocument": { "uri": self.uri(name) }, "position": position(text, offset) })
    }

    /// Replaces the temporary directory with `$DIR` in every string.
    fn redact(&self, value: Value) -> Value {
        let dir = self.dir.path().to_str().unwrap().to_string();
        redact(value, &dir)
    }

    fn shutdown(mut self) -> i32 {
        let response = self.request("shutdown", json!(null));
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", json!(null));
        self.wait()
    }

    fn wait(mut self) -> i32 {
        drop(self.stdin.take());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let stderr = self.stderr.lock().unwrap().clone();
                assert!(
                    !stderr.contains("panicked"),
                    "the server panicked:\n{stderr}"
                );
                return status.code().unwrap_or(-1);
            }
            assert!(start.elapsed() < TIMEOUT, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An LSP position: line and UTF-16 column.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": before[start..].encode_utf16().count() })
}

fn redact(value: Value, dir: &str) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace(dir, "$DIR")),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| redact(v, dir)).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k.replace(dir, "$DIR"), redact(v, dir)))
                .collect(),
        ),
        other => other,
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

/// Publishes sorted by URI, for stable snapshots.
fn sorted(mut publishes: Vec<Value>) -> Value {
    publishes.sort_by_key(|p| p["uri"].as_str().unwrap_or("").to_string());
    Value::Array(publishes)
}

#[test]
fn initialize_announces_the_features() {
    let mut client = Client::spawn("");
    let init = client.result("initialize", json!({ "capabilities": {} }));
    assert_eq!(init["serverInfo"]["name"], "ipcheck");
    snapshot!("initialize_capabilities", pretty(&init["capabilities"]));
    client.notify("initialized", json!({}));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn diagnostics_cover_every_file_of_the_directory() {
    let mut client = Client::start("broken");
    client.open("a.ipl");
    let published = client.published();
    let snapshot = client.redact(sorted(published));
    snapshot!("diagnostics_on_open", pretty(&snapshot));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn diagnostics_follow_edits_saves_and_closes() {
    let mut client = Client::start("broken");
    client.open("a.ipl");
    client.published();
    // Fix the typo in a.ipl: its diagnostics go away, b.ipl's stay.
    let fixed = client.text("a.ipl").replace("umicor\n", "umicore\n");
    client.change("a.ipl", 2, &fixed);
    let after_fix = client.published();
    // b.ipl opens: its in-memory text wins over the disk's.
    client.open("b.ipl");
    // Drain what the opening published, so that the snapshot does not
    // depend on whether the server batched the open with the edit.
    client.published();
    let b_fixed = client
        .text("b.ipl")
        .replace("party bmw \"BMW again\"\n", "")
        .replace("of cel\n", "of cell\n");
    client.change("b.ipl", 2, &b_fixed);
    let all_clean = client.published();
    // Closing b.ipl reverts it to its disk content, errors and all.
    let b_uri = client.uri("b.ipl");
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": b_uri } }),
    );
    let after_close = client.published();
    // Closing the last file clears every diagnostic of the directory.
    let a_uri = client.uri("a.ipl");
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": a_uri } }),
    );
    let after_last_close = client.published();
    let snapshot = client.redact(json!({
        "1 after fixing a.ipl": sorted(after_fix),
        "2 after fixing b.ipl in memory": sorted(all_clean),
        "3 after closing b.ipl": sorted(after_close),
        "4 after closing a.ipl": sorted(after_last_close),
    }));
    snapshot!("diagnostics_follow_edits", pretty(&snapshot));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn saving_rereads_the_directory() {
    let mut client = Client::start("broken");
    client.open("a.ipl");
    client.published();
    // Another file appears on disk and declares `umicor`: saving a.ipl
    // rereads the directory.
    std::fs::write(client.path("c.ipl"), "party umicor \"Umicor\"\n").unwrap();
    let uri = client.uri("a.ipl");
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri } }),
    );
    let published = client.published();
    let a = published.iter().find(|p| p["uri"] == uri.as_str()).unwrap();
    assert_eq!(a["diagnostics"], json!([]), "{a}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn hover_explains_names_and_keywords() {
    let mut client = Client::start("consortium");
    client.open("agreement.ipl");
    client.open("scenarios.ipl");
    client.published();
    let a = client.text("agreement.ipl");
    let s = client.text("scenarios.ipl");
    let spots = [
        (
            "party catl (a use)",
            client.at("agreement.ipl", &a, "affiliate of catl", 0, 13),
        ),
        (
            "party fraunhofer after an emoji",
            client.at("agreement.ipl", &a, "affiliate of fraunhofer", 0, 14),
        ),
        (
            "affiliate fh_ise",
            client.at("agreement.ipl", &a, "fh_ise", 0, 2),
        ),
        (
            "group members",
            client.at("agreement.ipl", &a, "by members", 0, 4),
        ),
        (
            "asset",
            client.at("agreement.ipl", &a, "asset sulfide_electrolyte", 0, 8),
        ),
        (
            "clause label",
            client.at("agreement.ipl", &a, "notwithstanding 12.2", 0, 17),
        ),
        (
            "clause label in a scenario",
            client.at("scenarios.ipl", &s, "by 8.2.3", 0, 4),
        ),
        (
            "grant label",
            client.at("agreement.ipl", &a, "L-2026-01", 0, 3),
        ),
        (
            "territory node",
            client.at("agreement.ipl", &a, "territory cn", 0, 11),
        ),
        (
            "field node",
            client.at("agreement.ipl", &a, "field stationary", 0, 8),
        ),
        (
            "built-in verb",
            client.at("agreement.ipl", &a, "permit exploit", 0, 9),
        ),
        (
            "tag",
            client.at("agreement.ipl", &a, "tagged excluded", 0, 9),
        ),
        ("outsider", client.at("scenarios.ipl", &s, "to acme", 0, 4)),
        (
            "keyword permit",
            client.at("agreement.ipl", &a, "permit research", 0, 1),
        ),
        (
            "keyword forbid",
            client.at("agreement.ipl", &a, "forbid assign", 0, 1),
        ),
        (
            "keyword oblige",
            client.at("agreement.ipl", &a, "oblige assign", 0, 1),
        ),
        (
            "keyword notwithstanding",
            client.at("agreement.ipl", &a, "notwithstanding 12.2", 0, 3),
        ),
        (
            "keyword co_owners",
            client.at("agreement.ipl", &a, "co_owners 45", 0, 3),
        ),
        (
            "keyword third_parties",
            client.at("agreement.ipl", &a, "third_parties", 0, 3),
        ),
        (
            "keyword owners",
            client.at("agreement.ipl", &a, "by owners", 0, 4),
        ),
        (
            "keyword parties",
            client.at("agreement.ipl", &a, "notify parties", 0, 8),
        ),
        (
            "keyword during",
            client.at("agreement.ipl", &a, "during term", 0, 2),
        ),
        (
            "keyword term",
            client.at("agreement.ipl", &a, "during term", 0, 8),
        ),
        (
            "nothing in a comment",
            client.at("agreement.ipl", &a, "Sections 8 and 9", 0, 1),
        ),
        (
            "nothing in a string",
            client.at("agreement.ipl", &a, "Joint owners: own", 0, 2),
        ),
    ];
    let mut out = serde_json::Map::new();
    for (name, at) in spots {
        let result = client.result("textDocument/hover", at);
        out.insert(name.to_string(), result);
    }
    snapshot!("hover", pretty(&client.redact(Value::Object(out))));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn definitions_and_references_span_the_files() {
    let mut client = Client::start("consortium");
    client.open("agreement.ipl");
    client.open("scenarios.ipl");
    client.published();
    let a = client.text("agreement.ipl");
    let s = client.text("scenarios.ipl");
    let definitions = [
        (
            "party in a by line",
            client.at("agreement.ipl", &a, "by catl", 0, 4),
        ),
        (
            "party after an emoji",
            client.at("agreement.ipl", &a, "affiliate of fraunhofer", 0, 20),
        ),
        (
            "notwithstanding target after an emoji",
            client.at("agreement.ipl", &a, "notwithstanding 12.2", 0, 18),
        ),
        (
            "expect by label, across files",
            client.at("scenarios.ipl", &s, "by 12.3", 0, 3),
        ),
        (
            "grant label",
            client.at("agreement.ipl", &a, "L-2026-01", 0, 0),
        ),
        (
            "asset in a scenario",
            client.at("scenarios.ipl", &s, "sulfide_electrolyte", 0, 5),
        ),
        (
            "territory in a scenario",
            client.at("scenarios.ipl", &s, "territory eu", 0, 10),
        ),
        (
            "field in a clause",
            client.at("agreement.ipl", &a, "field batteries", 0, 7),
        ),
        (
            "group",
            client.at("agreement.ipl", &a, "affiliates of members", 0, 15),
        ),
        (
            "tag",
            client.at("agreement.ipl", &a, "tagged excluded", 0, 8),
        ),
        (
            "built-in verb: none",
            client.at("agreement.ipl", &a, "permit research", 0, 8),
        ),
        (
            "outsider: none",
            client.at("scenarios.ipl", &s, "to acme", 0, 3),
        ),
        (
            "keyword: none",
            client.at("agreement.ipl", &a, "permit research", 0, 1),
        ),
    ];
    let mut out = serde_json::Map::new();
    for (name, at) in definitions {
        out.insert(
            name.to_string(),
            client.result("textDocument/definition", at),
        );
    }
    let references = [
        (
            "references to bmw",
            client.at("agreement.ipl", &a, "party bmw", 0, 7),
            true,
        ),
        (
            "references to 12.2 without its declaration",
            client.at("agreement.ipl", &a, "clause 12.2", 0, 8),
            false,
        ),
        (
            "references to 8.2.3",
            client.at("scenarios.ipl", &s, "by 8.2.3", 0, 3),
            true,
        ),
    ];
    for (name, mut params, include) in references {
        params["context"] = json!({ "includeDeclaration": include });
        out.insert(
            name.to_string(),
            client.result("textDocument/references", params),
        );
    }
    let highlights = client.result(
        "textDocument/documentHighlight",
        client.at("agreement.ipl", &a, "group members", 0, 7),
    );
    out.insert("highlights of members".to_string(), highlights);
    snapshot!("navigation", pretty(&client.redact(Value::Object(out))));
    assert_eq!(client.shutdown(), 0);
}

/// The labels completion offers at `|` in a scratch document of the
/// consortium's directory.
fn labels(client: &mut Client, version: &mut i32, text: &str) -> String {
    let offset = text.find('|').unwrap();
    let clean = text.replace('|', "");
    *version += 1;
    client.change("scratch.ipl", *version, &clean);
    let params = json!({
        "textDocument": { "uri": client.uri("scratch.ipl") },
        "position": position(&clean, offset),
    });
    let items = client.result("textDocument/completion", params);
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    labels.join(", ")
}

#[test]
fn completion_knows_where_the_cursor_is() {
    let mut client = Client::start("consortium");
    client.open("agreement.ipl");
    client.open_text("scratch.ipl", "");
    let mut v = 1;
    let cases = [
        ("top level", "|"),
        ("top level, typing", "cl|"),
        ("clause body, first line", "clause 99 {\n  |"),
        (
            "clause body, after the head",
            "clause 99 {\n  permit use\n  |",
        ),
        ("verbs after permit", "clause 99 {\n  permit |"),
        (
            "assets and filters after of",
            "clause 99 {\n  permit license of |",
        ),
        (
            "assets after a comma",
            "clause 99 {\n  permit license of cell_model, |",
        ),
        ("parties after by", "clause 99 {\n  permit use\n  by |"),
        (
            "parties after except",
            "clause 99 {\n  permit use\n  by anyone except |",
        ),
        ("parties after to", "clause 99 {\n  permit use\n  to |"),
        ("fields after field", "clause 99 {\n  permit use\n  field |"),
        (
            "territories after territory",
            "clause 99 {\n  permit use\n  territory eu, |",
        ),
        (
            "labels after notwithstanding",
            "clause 99 notwithstanding |",
        ),
        (
            "tags after tagged",
            "clause 99 {\n  forbid any of background tagged |",
        ),
        (
            "conditions after when",
            "clause 99 {\n  permit use\n  when |",
        ),
        ("duties after duty", "clause 99 {\n  permit use\n  duty |"),
        ("time after until", "clause 99 {\n  permit use\n  until |"),
        ("asset lines", "asset x {\n  |"),
        ("classes", "asset x {\n  class |"),
        ("owners", "asset x {\n  owners |"),
        ("group members", "group g = catl, |"),
        ("scenario actor", "scenario \"s\" {\n  action |"),
        ("scenario verb", "scenario \"s\" {\n  action catl |"),
        (
            "scenario asset",
            "scenario \"s\" {\n  action catl license |",
        ),
        (
            "scenario parts",
            "scenario \"s\" {\n  action catl license cell_model |",
        ),
        (
            "scenario decision",
            "scenario \"s\" {\n  action catl use cell_model on 2026-01-01\n  expect |",
        ),
        (
            "scenario label",
            "scenario \"s\" {\n  action catl use cell_model on 2026-01-01\n  expect permit by |",
        ),
        ("nothing in a comment", "clause 99 {\n  // by |"),
        ("nothing in a string", "clause 99 \"by |"),
    ];
    let mut out = String::new();
    for (name, text) in cases {
        let labels = labels(&mut client, &mut v, text);
        out.push_str(&format!("{name}:\n  {labels}\n"));
    }
    snapshot!("completion_labels", out);
    // One full answer: the edit replaces the partial label, its columns in
    // UTF-16 after a non-ASCII title.
    let text = "clause 99 \"Förderung 🔋\" notwithstanding 8.2|";
    let clean = text.replace('|', "");
    client.change("scratch.ipl", 100, &clean);
    let params = json!({
        "textDocument": { "uri": client.uri("scratch.ipl") },
        "position": position(&clean, text.find('|').unwrap()),
    });
    let items = client.result("textDocument/completion", params);
    let first: Vec<Value> = items.as_array().unwrap().iter().take(3).cloned().collect();
    snapshot!("completion_items", pretty(&Value::Array(first)));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn document_and_workspace_symbols() {
    let mut client = Client::start("consortium");
    client.open("scenarios.ipl");
    client.open_text("small.ipl", "/// Doc.\nparty x \"X 🔋\" affiliate of catl\ngroup g = x, catl\nterritories { world { eu { de }, us } }\nclause 9 \"T\" notwithstanding 8.1 {\n  permit use\n  by g\n}\n");
    let uri = client.uri("small.ipl");
    let document = client.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let scenarios = client.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": client.uri("scenarios.ipl") } }),
    );
    let workspace = client.result("workspace/symbol", json!({ "query": "FRAUN" }));
    let labels = client.result("workspace/symbol", json!({ "query": "8.2" }));
    let snapshot = client.redact(json!({
        "small.ipl": document,
        "scenarios.ipl": scenarios,
        "workspace FRAUN": workspace,
        "workspace 8.2": labels,
    }));
    snapshot!("symbols", pretty(&snapshot));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn formatting_returns_one_whole_document_edit() {
    let mut client = Client::start("");
    let messy = "party   a \"Förderung 🔋\"\nparty b \"B\"   affiliate   of a\ngroup g=a,b\n";
    client.open_text("messy.ipl", messy);
    let uri = client.uri("messy.ipl");
    let params = json!({
        "textDocument": { "uri": uri },
        "options": { "tabSize": 2, "insertSpaces": true },
    });
    let edits = client.result("textDocument/formatting", params.clone());
    // Formatting the formatted text changes nothing.
    let formatted = edits[0]["newText"].as_str().unwrap().to_string();
    client.change("messy.ipl", 2, &formatted);
    let again = client.result("textDocument/formatting", params.clone());
    // A syntax error: no edits (the diagnostics show the error).
    client.change("messy.ipl", 3, "party a \n");
    let broken = client.result("textDocument/formatting", params);
    snapshot!(
        "formatting",
        pretty(&client.redact(json!({ "messy": edits, "formatted": again, "broken": broken })))
    );
    assert_eq!(client.shutdown(), 0);
}

/// The code actions offered for every diagnostic the server published in
/// `file`, by code.
fn actions_for(client: &mut Client, file: &str) -> Vec<(String, Value)> {
    let uri = client.uri(file);
    let diagnostics: Vec<Value> = client
        .published()
        .iter()
        .rev()
        .find(|p| p["uri"] == uri.as_str())
        .and_then(|p| p["diagnostics"].as_array().cloned())
        .unwrap_or_default();
    diagnostics
        .into_iter()
        .map(|d| {
            let actions = client.result(
                "textDocument/codeAction",
                json!({
                    "textDocument": { "uri": uri },
                    "range": d["range"],
                    "context": { "diagnostics": [d] },
                }),
            );
            (d["code"].as_str().unwrap_or("").to_string(), actions)
        })
        .collect()
}

#[test]
fn code_actions_apply_the_fixes_of_diagnostics() {
    let mut client = Client::start("broken");
    client.open("a.ipl");
    client.open("b.ipl");
    let typo = actions_for(&mut client, "b.ipl");
    let (_, typo) = typo
        .iter()
        .find(|(code, _)| code == "ipl::names::unknown_asset")
        .expect("the typo in b.ipl is reported");
    let typo = client.redact(typo.clone());
    assert_eq!(client.shutdown(), 0);
    // Lints of a valid policy: the dead permit gets a `notwithstanding`,
    // the useless one is removed.
    let mut client = Client::start("fixes");
    client.open("agreement.ipl");
    let lints: Vec<(String, Value)> = actions_for(&mut client, "agreement.ipl")
        .into_iter()
        .filter(|(code, _)| code.starts_with("ipl::lint::"))
        .collect();
    // A diagnostic the server never reported (as a client may send back
    // after an edit) gets no action.
    let stale = client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri("agreement.ipl") },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 1 } },
            "context": { "diagnostics": [{
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 1 } },
                "code": "ipl::lint::dead_permit",
                "message": "help: add `notwithstanding 1` to clause 2",
            }] },
        }),
    );
    assert_eq!(
        stale,
        json!([]),
        "a fix comes from the analysis, not from the text"
    );
    let snapshot = client.redact(json!({ "did you mean": typo, "lints": lints }));
    snapshot!("code_actions", pretty(&snapshot));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn code_lenses_show_decisions() {
    let mut client = Client::start("consortium");
    client.open("scenarios.ipl");
    client.open("agreement.ipl");
    let scenarios = client.result(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": client.uri("scenarios.ipl") } }),
    );
    let clauses = client.result(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": client.uri("agreement.ipl") } }),
    );
    let a = client.text("agreement.ipl");
    // Only the lenses of the clauses the scenarios name, with their line.
    let lines: Vec<&str> = a.lines().collect();
    let clause_lenses: Vec<String> = clauses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let line = l["range"]["start"]["line"].as_u64().unwrap() as usize;
            format!(
                "{} ← {}",
                l["command"]["title"].as_str().unwrap(),
                lines[line]
            )
        })
        .collect();
    let snapshot = json!({ "scenarios.ipl": scenarios, "agreement.ipl": clause_lenses });
    snapshot!("code_lens", pretty(&client.redact(snapshot)));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn garbage_and_protocol_errors_do_not_stop_the_server() {
    let mut client = Client::spawn("consortium");
    // Before `initialize`: an error, not a crash.
    let early = client.request("textDocument/hover", json!({}));
    client.request("initialize", json!({ "capabilities": {} }));
    client.notify("initialized", json!({}));
    client.raw(b"this is not a header\r\n\r\n");
    let bad_header = client.next();
    client.raw(b"Content-Length: 9\r\n\r\n{not json");
    let bad_json = client.next();
    let odd = r#"{"jsonrpc":"2.0","id":77,"x":1}"#;
    client.raw(format!("Content-Length: {}\r\n\r\n{odd}", odd.len()).as_bytes());
    let not_a_message = client.next();
    let unknown = client.request("textDocument/unknownThing", json!({}));
    let bad_params = client.request("textDocument/hover", json!({ "textDocument": 5 }));
    let not_open = client.result(
        "textDocument/hover",
        json!({ "textDocument": { "uri": client.uri("agreement.ipl") }, "position": { "line": 0, "character": 0 } }),
    );
    let not_open_lens = client.result(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": "untitled:nothing" } }),
    );
    // A notification with bad parameters is ignored (and logged).
    client.notify("textDocument/didOpen", json!({ "textDocument": "?" }));
    client.notify("textDocument/didChange", json!({ "textDocument": { "uri": client.uri("x.ipl"), "version": 1 }, "contentChanges": [] }));
    // Positions far outside the document are clamped.
    client.open("agreement.ipl");
    let far = client.result(
        "textDocument/hover",
        json!({ "textDocument": { "uri": client.uri("agreement.ipl") }, "position": { "line": 99999, "character": 99999 } }),
    );
    let completion_far = client.result(
        "textDocument/completion",
        json!({ "textDocument": { "uri": client.uri("agreement.ipl") }, "position": { "line": 5, "character": 99999 } }),
    );
    let snapshot = client.redact(json!({
        "before initialize": early,
        "bad header": bad_header,
        "bad json": bad_json,
        "not a message": not_a_message,
        "unknown method": unknown,
        "bad params": bad_params,
        "hover on an unopened document": not_open,
        "lens on an unopened document": not_open_lens,
        "hover past the end": far,
        "completion past a line's end": completion_far.as_array().map(|a| a.len()),
    }));
    snapshot!("protocol_errors", pretty(&snapshot));
    // After shutdown, requests are refused; exit ends the process with 0.
    let response = client.request("shutdown", json!(null));
    assert_eq!(response["result"], Value::Null);
    let refused = client.request("textDocument/hover", json!({}));
    assert_eq!(refused["error"]["code"], -32600, "{refused}");
    client.notify("exit", json!(null));
    assert_eq!(client.wait(), 0);
}

#[test]
fn exit_without_shutdown_is_code_1_and_eof_ends_the_server() {
    let mut client = Client::start("");
    client.notify("exit", json!(null));
    assert_eq!(client.wait(), 1);
    let client = Client::start("");
    assert_eq!(client.wait(), 1);
}

#[test]
fn half_written_edits_never_break_the_server() {
    let mut client = Client::start("consortium");
    client.open("agreement.ipl");
    let full = client.text("agreement.ipl");
    let mut version = 1;
    let mut cuts: Vec<usize> = (0..full.len()).step_by(23).collect();
    cuts.push(full.len());
    for cut in cuts {
        let mut cut = cut;
        while !full.is_char_boundary(cut) {
            cut -= 1;
        }
        // The text cut short, and the text with garbage spliced in.
        for text in [
            full[..cut].to_string(),
            format!(
                "{}{{ ( \" 💥 ,, notwithstanding {}",
                &full[..cut],
                &full[cut..]
            ),
        ] {
            version += 1;
            client.change("agreement.ipl", version, &text);
            let end = position(&text, text.len());
            let at =
                json!({ "textDocument": { "uri": client.uri("agreement.ipl") }, "position": end });
            for method in [
                "textDocument/completion",
                "textDocument/hover",
                "textDocument/definition",
            ] {
                let response = client.request(method, at.clone());
                assert!(
                    response.get("error").is_none(),
                    "{method} at {cut}: {response}"
                );
            }
            let doc = json!({ "textDocument": { "uri": client.uri("agreement.ipl") } });
            let mut whole = doc.clone();
            whole["range"] = json!({ "start": { "line": 0, "character": 0 }, "end": end });
            for (method, params) in [
                ("textDocument/documentSymbol", &doc),
                ("textDocument/codeLens", &doc),
                ("textDocument/foldingRange", &doc),
                ("textDocument/semanticTokens/full", &doc),
                ("textDocument/inlayHint", &whole),
            ] {
                let response = client.request(method, params.clone());
                assert!(
                    response.get("error").is_none(),
                    "{method} at {cut}: {response}"
                );
            }
        }
    }
    let uri = client.uri("agreement.ipl");
    let published = client.published();
    let last = published
        .iter()
        .rev()
        .find(|p| p["uri"] == uri.as_str())
        .unwrap();
    assert_eq!(last["version"], json!(version));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_burst_of_edits_is_analysed_once_for_the_last_text() {
    let mut client = Client::start("broken");
    client.open("a.ipl");
    client.published();
    let text = client.text("a.ipl");
    for version in 2..=200 {
        let edited = if version == 200 {
            text.replace("umicor\n", "umicore\n")
        } else {
            format!("{text}\n// edit {version}\n")
        };
        client.change("a.ipl", version, &edited);
    }
    let published = client.published();
    let uri = client.uri("a.ipl");
    let mine: Vec<&Value> = published
        .iter()
        .filter(|p| p["uri"] == uri.as_str())
        .collect();
    assert!(mine.len() < 199, "every edit was analysed: {}", mine.len());
    let last = mine.last().unwrap();
    assert_eq!(last["version"], 200);
    assert_eq!(last["diagnostics"], json!([]));
    assert_eq!(client.shutdown(), 0);
}

/// A policy of about `lines` lines: parties, assets, clauses, scenarios.
pub fn large_policy(lines: usize) -> String {
    let mut text = String::from(
        "agreement \"Large\" {\n  effective 2025-01-01\n  term 7 years\n}\n\
         fields { batteries { ev, stationary }, recycling }\n\
         territories { world { europe { eu, uk }, asia { cn, jp } } }\n",
    );
    let mut i = 0;
    while text.lines().count() < lines {
        text.push_str(&format!(
            "party p{i} \"Party {i} Förderung 🔋\"\n\
             asset a{i} \"Asset {i}\" {{\n  class foreground\n  type patent\n  owners p{i} 60%, p{j} 40%\n}}\n\
             clause c{i} \"Clause {i}\" {{\n  permit license of a{i}\n  by owners\n  to third_parties\n  field ev\n  territory eu\n  duty notify co_owners 30 days before\n}}\n\
             scenario \"s{i}\" {{\n  action p{i} license a{i} to acme field ev territory eu on 2026-01-01 notice p{j} 40 days\n  expect permit by c{i}\n}}\n",
            j = i + 1
        ));
        text.push_str(&format!("party p{} \"Party {}\"\n", i + 1, i + 1));
        i += 2;
    }
    text
}

#[test]
fn a_five_thousand_line_policy_works() {
    let mut client = Client::start("");
    let text = large_policy(5000);
    assert!(text.lines().count() >= 5000);
    std::fs::write(client.path("large.ipl"), &text).unwrap();
    let start = Instant::now();
    client.open("large.ipl");
    let published = client.published();
    let opened = start.elapsed();
    assert_eq!(published.len(), 1);
    // Nothing but information (unused tree nodes of the generated policy).
    let problems = published[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] != 3)
        .count();
    assert_eq!(problems, 0, "{}", published[0]);
    let edited = text.replace("by c0\n", "by c2\n");
    let start = Instant::now();
    client.change("large.ipl", 2, &edited);
    let published = client.published();
    let changed = start.elapsed();
    assert_eq!(published.len(), 1);
    // Debug builds are slow; the release figure is in docs/editors.md.
    assert!(opened < Duration::from_secs(20) && changed < Duration::from_secs(20));
    let last_use = client.at("large.ipl", &edited, "by c", 100, 3);
    let definition = client.result("textDocument/definition", last_use);
    assert!(definition["range"].is_object(), "{definition}");
    let lenses = client.result(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": client.uri("large.ipl") } }),
    );
    let failing = lenses
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| {
            l["command"]["title"]
                .as_str()
                .unwrap_or("")
                .starts_with('✗')
        })
        .count();
    assert_eq!(failing, 1, "one scenario now expects the wrong clause");
    assert_eq!(client.shutdown(), 0);
}

/// The byte offset of an LSP position (UTF-16 column) in a text.
fn offset_of(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let col = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= col || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

#[test]
fn v1_diagnostics_point_at_the_names_in_utf16() {
    let mut client = Client::start("v1-broken");
    client.open("p.ipl");
    let published = client.published();
    let uri = client.uri("p.ipl");
    let text = client.text("p.ipl");
    let last = published
        .iter()
        .rev()
        .find(|p| p["uri"] == uri.as_str())
        .unwrap()
        .clone();
    let diagnostics = last["diagnostics"].as_array().unwrap();
    let unknown: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| {
            d["code"]
                .as_str()
                .unwrap_or("")
                .starts_with("ipl::names::unknown_")
        })
        .collect();
    let codes: Vec<&str> = unknown
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "ipl::names::unknown_instrument",
            "ipl::names::unknown_fact",
            "ipl::names::unknown_event",
            "ipl::names::unknown_fact",
            "ipl::names::unknown_event",
        ]
    );
    // Every range covers exactly the misspelt name the message quotes, on
    // lines with emoji and umlauts before it.
    for d in &unknown {
        let start = offset_of(&text, &d["range"]["start"]);
        let end = offset_of(&text, &d["range"]["end"]);
        let message = d["message"].as_str().unwrap();
        let quoted = message.split('`').nth(1).unwrap();
        assert_eq!(&text[start..end], quoted, "{d}");
    }
    // The did-you-mean fix of the unknown fact in the clause.
    let fact = unknown[1].clone();
    let fix = client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": fact["range"],
            "context": { "diagnostics": [fact] },
        }),
    );
    let snapshot = client.redact(json!({ "published": sorted(published), "fix neded": fix }));
    snapshot!("v1_diagnostics", pretty(&snapshot));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn v1_hover_shows_membership_grants_versions_and_uses() {
    let mut client = Client::start("v1");
    for f in ["ca.ipl", "a1.ipl", "annexes.ipl", "scenarios.ipl"] {
        client.open(f);
    }
    client.published();
    let ca = client.text("ca.ipl");
    let a1 = client.text("a1.ipl");
    let an = client.text("annexes.ipl");
    let sc = client.text("scenarios.ipl");
    let spots = [
        (
            "party that joined and left",
            client.at("ca.ipl", &ca, "party beta", 0, 7),
        ),
        (
            "affiliate with a window",
            client.at("ca.ipl", &ca, "alpha_us", 0, 2),
        ),
        (
            "exclusive grant",
            client.at("ca.ipl", &ca, "grant L-1", 0, 7),
        ),
        ("sole grant", client.at("ca.ipl", &ca, "grant L-2", 0, 7)),
        (
            "grant label in a scenario",
            client.at("scenarios.ipl", &sc, "by L-1", 0, 4),
        ),
        (
            "amended clause, original",
            client.at("ca.ipl", &ca, "clause 9.2", 0, 8),
        ),
        (
            "amended clause, the amendment",
            client.at("a1.ipl", &a1, "clause 9.2", 0, 8),
        ),
        (
            "amended clause in a scenario",
            client.at("scenarios.ipl", &sc, "by 9.2", 0, 4),
        ),
        (
            "removed clause",
            client.at("a1.ipl", &a1, "removes 20.2", 0, 9),
        ),
        (
            "clause of an instrument",
            client.at("annexes.ipl", &an, "clause 20.1", 0, 8),
        ),
        (
            "fact, declared",
            client.at("ca.ipl", &ca, "fact needed", 0, 6),
        ),
        (
            "fact in an action",
            client.at("scenarios.ipl", &sc, "given needed", 0, 7),
        ),
        (
            "event in a time",
            client.at("ca.ipl", &ca, "until request", 0, 7),
        ),
        ("instrument", client.at("ca.ipl", &ca, "over annexes", 0, 6)),
        ("keyword joined", client.at("ca.ipl", &ca, "joined", 0, 1)),
        ("keyword sole", client.at("ca.ipl", &ca, "sole", 0, 1)),
        (
            "keyword former_parties",
            client.at("ca.ipl", &ca, "former_parties", 0, 1),
        ),
        (
            "keyword within",
            client.at("annexes.ipl", &an, "within", 0, 1),
        ),
        (
            "keyword pro_rata",
            client.at("ca.ipl", &ca, "pro_rata", 0, 1),
        ),
        (
            "keyword owes",
            client.at("scenarios.ipl", &sc, "owes", 0, 1),
        ),
        (
            "keyword given",
            client.at("scenarios.ipl", &sc, "given", 0, 1),
        ),
        (
            "keyword prevails",
            client.at("ca.ipl", &ca, "prevails", 0, 1),
        ),
        (
            "keyword amendment",
            client.at("a1.ipl", &a1, "amendment", 0, 1),
        ),
    ];
    let mut out = serde_json::Map::new();
    for (name, at) in spots {
        let result = client.result("textDocument/hover", at);
        let value = result["contents"]["value"]
            .as_str()
            .unwrap_or("(none)")
            .to_string();
        out.insert(name.to_string(), Value::String(value));
    }
    snapshot!("v1_hover", pretty(&client.redact(Value::Object(out))));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn v1_navigation_over_facts_events_instruments_and_versions() {
    let mut client = Client::start("v1");
    for f in ["ca.ipl", "a1.ipl", "annexes.ipl", "scenarios.ipl"] {
        client.open(f);
    }
    client.published();
    let ca = client.text("ca.ipl");
    let a1 = client.text("a1.ipl");
    let sc = client.text("scenarios.ipl");
    let definitions = [
        (
            "fact from a clause",
            client.at("ca.ipl", &ca, "when needed\n", 0, 6),
        ),
        (
            "fact from an action",
            client.at("scenarios.ipl", &sc, "given needed", 0, 7),
        ),
        (
            "event from a time",
            client.at("ca.ipl", &ca, "until request", 0, 7),
        ),
        (
            "event from an action",
            client.at("scenarios.ipl", &sc, "request on", 0, 2),
        ),
        (
            "instrument after prevails over",
            client.at("ca.ipl", &ca, "over annexes", 0, 6),
        ),
        (
            "label with two versions",
            client.at("scenarios.ipl", &sc, "by 9.2", 0, 4),
        ),
        (
            "label after removes",
            client.at("a1.ipl", &a1, "removes 20.2", 0, 9),
        ),
    ];
    let mut out = serde_json::Map::new();
    for (name, at) in definitions {
        out.insert(
            name.to_string(),
            client.result("textDocument/definition", at),
        );
    }
    let references = [
        (
            "references to needed",
            client.at("ca.ipl", &ca, "fact needed", 0, 6),
        ),
        (
            "references to request",
            client.at("ca.ipl", &ca, "event request", 0, 7),
        ),
        (
            "references to annexes",
            client.at("ca.ipl", &ca, "over annexes", 0, 6),
        ),
        (
            "references to 9.2",
            client.at("ca.ipl", &ca, "clause 9.2", 0, 8),
        ),
    ];
    for (name, mut params) in references {
        params["context"] = json!({ "includeDeclaration": true });
        out.insert(
            name.to_string(),
            client.result("textDocument/references", params),
        );
    }
    let defs = out["label with two versions"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(
        defs, 2,
        "every version of 9.2: {}",
        out["label with two versions"]
    );
    snapshot!("v1_navigation", pretty(&client.redact(Value::Object(out))));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn v1_completion_offers_the_new_constructs() {
    let mut client = Client::start("v1");
    client.open("ca.ipl");
    client.open_text("scratch.ipl", "");
    let mut v = 1;
    let cases = [
        ("items, typing", "fa|"),
        ("party attributes", "party z \"Z\" |"),
        ("affiliation window", "party z \"Z\" affiliate of alpha |"),
        (
            "after left",
            "party z \"Z\" joined 2025-01-01 left 2026-01-01 |",
        ),
        ("instrument", "instrument x \"X\" |"),
        (
            "instruments after prevails over",
            "instrument x \"X\" prevails over |",
        ),
        ("amendment", "amendment A9 \"A\" effective 2028-01-01 |"),
        (
            "labels after removes",
            "amendment A9 \"A\" effective 2028-01-01 removes |",
        ),
        ("grant head", "grant G {\n  |"),
        (
            "grant lines",
            "grant G {\n  sole license of res from alpha to beta\n  |",
        ),
        (
            "verbs after rights",
            "grant G {\n  sole license of res from alpha to beta\n  rights |",
        ),
        ("selectors", "clause 99 {\n  forbid use\n  by |"),
        (
            "facts and events in a condition",
            "clause 99 {\n  permit use\n  when |",
        ),
        (
            "facts after not",
            "clause 99 {\n  permit use\n  when request <= expires and not |",
        ),
        ("events in a time", "clause 99 {\n  permit use\n  until |"),
        (
            "events in a comparison",
            "clause 99 {\n  permit use\n  when request <= |",
        ),
        (
            "objection qualifiers",
            "clause 99 {\n  forbid use\n  when objection of parties |",
        ),
        (
            "after a qualifier's duration",
            "clause 99 {\n  forbid use\n  when objection of parties within 30 days |",
        ),
        ("duties", "clause 99 {\n  permit use\n  duty |"),
        (
            "pro_rata",
            "clause 99 {\n  permit use\n  duty share income with owners |",
        ),
        (
            "owes after expect",
            "scenario \"s\" {\n  action alpha use res on 2026-01-01\n  expect permit\n  |",
        ),
        (
            "action parts",
            "scenario \"s\" {\n  action alpha use res on 2026-01-01 |",
        ),
        (
            "facts after given",
            "scenario \"s\" {\n  action alpha use res given |",
        ),
        (
            "after a consent",
            "scenario \"s\" {\n  action alpha use res consent beta |",
        ),
        (
            "after an objection",
            "scenario \"s\" {\n  action alpha use res objection beta |",
        ),
        (
            "after an event",
            "scenario \"s\" {\n  action alpha use res request |",
        ),
        ("include affiliates", "agreement \"A\" {\n  third_parties |"),
    ];
    let mut out = String::new();
    for (name, text) in cases {
        let labels = labels(&mut client, &mut v, text);
        out.push_str(&format!("{name}:\n  {labels}\n"));
    }
    snapshot!("completion_labels_v1", out);
    assert_eq!(client.shutdown(), 0);
}

/// The reserved words of the grammar's `keyword` rule.
fn reserved_words() -> Vec<String> {
    // Every reserved word has a `kw_WORD = @{ "WORD" … }` rule; `license`
    // has one too but is a verb, not reserved.
    let pest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/ipl.pest"))
            .unwrap();
    let words: Vec<String> = pest
        .lines()
        .filter_map(|line| line.strip_prefix("kw_"))
        .filter_map(|rest| rest.split_once(" = @{ \""))
        .map(|(name, _)| name.to_string())
        .filter(|w| w != "license")
        .collect();
    // Each is refused as an identifier by the `keyword` rule.
    for w in &words {
        let parsed = ipcheck::syntax::parse_action(
            &format!("{w} use x on 2026-01-01"),
            ipcheck::span::FileId(0),
        );
        assert!(parsed.is_err(), "`{w}` parses as an identifier");
    }
    words
}

#[test]
fn every_reserved_word_is_highlighted_and_documented() {
    let words = reserved_words();
    assert!(words.len() > 80, "{words:?}");
    assert!(words.iter().any(|w| w == "pro_rata"), "{words:?}");
    let grammar: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/ipl.tmLanguage.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut alternatives = Vec::new();
    fn collect(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if (k == "match" || k == "begin")
                        && let Some(re) = v.as_str()
                    {
                        for group in re.split(['(', ')']) {
                            out.extend(group.split('|').map(str::to_string));
                        }
                    }
                    collect(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
            _ => {}
        }
    }
    collect(&grammar, &mut alternatives);
    // The VS Code extension ships a copy of the grammar (a package cannot
    // hold a link): it must be the same file.
    let copy =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode/syntaxes/ipl.tmLanguage.json");
    assert!(
        !std::fs::symlink_metadata(&copy)
            .unwrap()
            .file_type()
            .is_symlink(),
        "editors/vscode/syntaxes/ipl.tmLanguage.json must be a copy, not a link"
    );
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/ipl.tmLanguage.json"))
            .unwrap(),
        "editors/vscode/syntaxes/ipl.tmLanguage.json is stale: copy editors/ipl.tmLanguage.json over it"
    );
    let unhighlighted: Vec<&String> = words.iter().filter(|w| !alternatives.contains(w)).collect();
    assert!(
        unhighlighted.is_empty(),
        "not in editors/ipl.tmLanguage.json: {unhighlighted:?}"
    );
    let undocumented: Vec<&String> = words
        .iter()
        .filter(|w| ipcheck::lsp::keywords::doc(w).is_none())
        .collect();
    assert!(
        undocumented.is_empty(),
        "no keyword doc (src/lsp/keywords.rs): {undocumented:?}"
    );
}

#[test]
fn rename_across_files_and_labels_with_refusals() {
    let mut client = Client::start("v1");
    for f in ["ca.ipl", "a1.ipl", "scenarios.ipl"] {
        client.open(f);
    }
    client.published();
    let ca = client.text("ca.ipl");
    let sc = client.text("scenarios.ipl");
    let rename = |client: &mut Client, at: Value, name: &str| -> Value {
        let mut params = at;
        params["newName"] = json!(name);
        let response = client.request("textDocument/rename", params);
        response
            .get("result")
            .cloned()
            .unwrap_or_else(|| json!({ "error": response["error"]["message"] }))
    };
    let party = client.at("scenarios.ipl", &sc, "action alpha", 0, 8);
    let prepared = client.result("textDocument/prepareRename", party.clone());
    let renamed_party = rename(&mut client, party, "alpha_ag");
    let label = client.at("scenarios.ipl", &sc, "by 9.2", 0, 4);
    let renamed_label = rename(&mut client, label, "9.2(a)");
    let fact = client.at("ca.ipl", &ca, "fact needed", 0, 6);
    let renamed_fact = rename(&mut client, fact.clone(), "necessary");
    let keyword = client.at("ca.ipl", &ca, "forbid use", 0, 1);
    let prepare_keyword = client.request("textDocument/prepareRename", keyword);
    let outsider = client.at("scenarios.ipl", &sc, "to acme", 0, 4);
    let prepare_outsider = client.request("textDocument/prepareRename", outsider);
    let builtin = client.at("ca.ipl", &ca, "permit use", 0, 8);
    let prepare_builtin = client.request("textDocument/prepareRename", builtin);
    let party = client.at("ca.ipl", &ca, "party gamma", 0, 7);
    let taken = rename(&mut client, party.clone(), "beta");
    let reserved = rename(&mut client, party.clone(), "within");
    let invalid = rename(&mut client, party, "9lives");
    let fact_as_event = rename(&mut client, fact, "request");
    // Applying the party rename leaves a policy without new diagnostics.
    let edits = renamed_party["changes"].as_object().unwrap().clone();
    assert_eq!(edits.len(), 2, "ca.ipl and scenarios.ipl: {renamed_party}");
    let mut version = 10;
    for (uri, list) in &edits {
        let name = uri.rsplit('/').next().unwrap().to_string();
        let mut text = client.text(&name);
        let mut list: Vec<&Value> = list.as_array().unwrap().iter().collect();
        list.sort_by_key(|e| std::cmp::Reverse(offset_of(&text, &e["range"]["start"])));
        for e in list {
            let start = offset_of(&text, &e["range"]["start"]);
            let end = offset_of(&text, &e["range"]["end"]);
            assert_eq!(&text[start..end], "alpha");
            text.replace_range(start..end, e["newText"].as_str().unwrap());
        }
        assert!(
            !text.contains("alpha ") && !text.contains("alpha\n"),
            "{text}"
        );
        version += 1;
        client.change(&name, version, &text);
    }
    // Between the two edits the policy is half renamed: only the last
    // diagnostics published for each file count.
    let mut last: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    for p in client.published() {
        last.insert(p["uri"].as_str().unwrap_or_default().to_string(), p);
    }
    let errors: Vec<&Value> = last
        .values()
        .flat_map(|p| p["diagnostics"].as_array().unwrap())
        .filter(|d| d["severity"] == 1)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let snapshot = client.redact(json!({
        "prepare alpha": prepared,
        "rename alpha to alpha_ag": renamed_party,
        "rename 9.2 to 9.2(a)": renamed_label,
        "rename fact needed to necessary": renamed_fact,
        "prepare on a keyword": prepare_keyword["error"]["message"],
        "prepare on an outsider": prepare_outsider["error"]["message"],
        "prepare on a built-in verb": prepare_builtin["error"]["message"],
        "gamma to a taken name": taken,
        "gamma to a reserved word": reserved,
        "gamma to an invalid name": invalid,
        "fact to an event's name": fact_as_event,
    }));
    snapshot!("rename", pretty(&snapshot));
    assert_eq!(client.shutdown(), 0);
}

/// The lints of a publish, each as `code: message ← the text it points at`.
fn lints_of(publish: &Value, text: &str) -> Vec<String> {
    let mut out: Vec<String> = publish["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("ipl::lint::"))
        })
        .map(|d| {
            let start = offset_of(text, &d["range"]["start"]);
            let end = offset_of(text, &d["range"]["end"]);
            format!(
                "{}: {} ← {}",
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap().lines().next().unwrap(),
                &text[start..end]
            )
        })
        .collect();
    out.sort();
    out
}

/// The clause typed into the shipped example, one keystroke at a time.
const TYPED_CLAUSE: &str = "\nclause 8.5 \"Theses\" {\n  permit publish of cell_model\n  by fraunhofer\n  field recycling\n}\n";

#[test]
fn lints_and_lenses_stay_while_a_clause_is_typed() {
    let mut client = Client::start_copy("policies/ssb-consortium");
    client.open("agreement.ipl");
    client.open("scenarios.ipl");
    let mut text = client.text("agreement.ipl");
    let uri = client.uri("agreement.ipl");
    let last = |published: &[Value]| -> Value {
        published
            .iter()
            .rev()
            .find(|p| p["uri"] == uri)
            .cloned()
            .unwrap()
    };
    let before = lints_of(&last(&client.published()), &text);
    assert!(before.len() >= 10, "{before:#?}");
    let lens_titles = |client: &mut Client, name: &str| -> Vec<String> {
        let lenses = client.result(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": client.uri(name) } }),
        );
        lenses
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["command"]["title"].as_str().unwrap().to_string())
            .collect()
    };
    let scenario_lenses = lens_titles(&mut client, "scenarios.ipl").len();
    // After clause 8.4, before the section 9 comment.
    let mut at = text.find("\n// ---- Section 9").unwrap();
    let (mut updates, mut with_errors, mut lost, mut not_decided, mut stale) = (0, 0, 0, 0, 0);
    let mut version = 1;
    let mut halfway = None;
    for (i, c) in TYPED_CLAUSE.chars().enumerate() {
        version += 1;
        let typed = c.to_string();
        client.edit("agreement.ipl", version, &text, at, at, &typed);
        text.insert(at, c);
        at += c.len_utf8();
        let publish = last(&client.published());
        updates += 1;
        let has_errors = publish["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["severity"] == 1);
        with_errors += usize::from(has_errors);
        let now = lints_of(&publish, &text);
        let missing: Vec<&String> = before.iter().filter(|l| !now.contains(l)).collect();
        if !missing.is_empty() {
            lost += 1;
            eprintln!(
                "after {:?}: lost {missing:#?}",
                &text[at.saturating_sub(20)..at]
            );
        }
        let titles = [
            lens_titles(&mut client, "scenarios.ipl"),
            lens_titles(&mut client, "agreement.ipl"),
        ]
        .concat();
        not_decided += titles.iter().filter(|t| t.contains("not decided")).count();
        if i == 40 {
            halfway = Some(json!({
                "typed": TYPED_CLAUSE.chars().take(i + 1).collect::<String>(),
                "lints": now,
                "lenses": titles,
                "errors": publish["diagnostics"].as_array().unwrap().iter()
                    .filter(|d| d["severity"] == 1)
                    .map(|d| d["message"].clone())
                    .collect::<Vec<_>>(),
            }));
        }
        stale += usize::from(titles.iter().any(|t| t.starts_with("last decided:")));
        assert_eq!(
            lens_titles(&mut client, "scenarios.ipl").len(),
            scenario_lenses,
            "a scenario lens went missing"
        );
    }
    eprintln!(
        "typed {} characters: {updates} diagnostic updates, {with_errors} with errors, \
         {lost} lost a lint, {stale} with stale lenses, {not_decided} lenses not decided",
        TYPED_CLAUSE.chars().count()
    );
    assert_eq!(updates, TYPED_CLAUSE.chars().count());
    assert!(
        with_errors > 60,
        "the clause is invalid while typed: {with_errors}"
    );
    assert_eq!(lost, 0, "updates that lost a lint of an unchanged item");
    assert_eq!(not_decided, 0, "lenses that read `not decided`");
    assert_eq!(
        stale, with_errors,
        "a stale lens on every update with errors"
    );
    // The typed clause is valid: fresh lints, fresh lenses.
    let titles = lens_titles(&mut client, "agreement.ipl");
    assert!(
        titles.iter().all(|t| !t.starts_with("last decided")),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"decides no scenario".to_string()),
        "{titles:?}"
    );
    snapshot!("typing_halfway", pretty(&halfway.unwrap()));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_failing_scenario_is_a_diagnostic_at_its_expect_line() {
    let mut client = Client::start("consortium");
    client.open("scenarios.ipl");
    let sc = client.text("scenarios.ipl");
    let uri = client.uri("scenarios.ipl");
    let failures = |published: &[Value]| -> Vec<Value> {
        published
            .iter()
            .rev()
            .find(|p| p["uri"] == uri)
            .and_then(|p| p["diagnostics"].as_array().cloned())
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d["code"] == "ipl::test::scenario_failed")
            .collect()
    };
    let found = failures(&client.published());
    assert_eq!(found.len(), 1, "{found:?}");
    let start = offset_of(&sc, &found[0]["range"]["start"]);
    let end = offset_of(&sc, &found[0]["range"]["end"]);
    assert_eq!(&sc[start..end], "deny by 8.1");
    // An `owes` line the decision does not carry is one too, at that line.
    let owes = sc.replacen(
        "  expect permit by 8.2.3\n",
        "  expect permit by 8.2.3\n  owes notify bmw 90 days before\n",
        1,
    );
    assert_ne!(owes, sc);
    client.change("scenarios.ipl", 2, &owes);
    let with_owes = failures(&client.published());
    // Fixing the expectation clears the first; a typo (an error) keeps the
    // failures of the unchanged scenarios, as lints are kept.
    let fixed = owes.replacen("expect deny by 8.1", "expect permit by 8.2.3", 1);
    client.change("scenarios.ipl", 3, &fixed);
    let after_fix = failures(&client.published());
    let typo = format!("{fixed}scenario \"typing\" {{\n  action catl use\n");
    client.change("scenarios.ipl", 4, &typo);
    let while_typing = failures(&client.published());
    assert_eq!(while_typing, after_fix);
    snapshot!(
        "scenario_failed",
        pretty(&client.redact(json!({
            "on open": found,
            "with an owes line": with_owes,
            "after fixing the expectation": after_fix,
        })))
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn incremental_changes_count_utf16_columns() {
    let mut client = Client::start("");
    let mut text = String::from(
        "party f \"Förderung 🔋\"\nparty g   \"G 𝄞 ß\" affiliate of f\nparty h \"H\"\n",
    );
    client.open_text("sync.ipl", &text);
    let mut version = 1;
    let mut edit = |client: &mut Client, text: &mut String, start: usize, end: usize, new: &str| {
        version += 1;
        client.edit("sync.ipl", version, text, start, end, new);
        text.replace_range(start..end, new);
    };
    // Typing right after an astral character (two UTF-16 units).
    let after = text.find('🔋').unwrap() + '🔋'.len_utf8();
    edit(&mut client, &mut text, after, after, " ✓");
    // Replacing an astral character, then text after it on its line.
    let clef = text.find('𝄞').unwrap();
    edit(&mut client, &mut text, clef, clef + '𝄞'.len_utf8(), "x");
    let of_f = text.find("affiliate of f").unwrap() + "affiliate of ".len();
    edit(&mut client, &mut text, of_f, of_f + 1, "nobody");
    // Two changes in one notification, the second's range in the text
    // the first left.
    let h = text.find("\"H\"").unwrap();
    let first_end = h + 3;
    let mut once = text.clone();
    once.replace_range(h..first_end, "\"Hö 🔋🔋\"");
    let second = once.find("🔋🔋").unwrap() + '🔋'.len_utf8();
    let mut twice = once.clone();
    twice.replace_range(second..second + '🔋'.len_utf8(), "");
    let uri = client.uri("sync.ipl");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 10 },
            "contentChanges": [
                { "range": { "start": position(&text, h), "end": position(&text, first_end) }, "text": "\"Hö 🔋🔋\"" },
                { "range": { "start": position(&once, second), "end": position(&once, second + 4) }, "text": "" },
            ],
        }),
    );
    text = twice;
    // A multi-line deletion ending inside a line with non-ASCII text.
    let from = text.find("\nparty g").unwrap();
    let to = text.find("x ß").unwrap();
    edit(&mut client, &mut text, from, to, "\nparty g   \"G ");
    let published = client.published();
    let diags = published.last().unwrap()["diagnostics"]
        .as_array()
        .unwrap()
        .clone();
    let unknown = diags
        .iter()
        .find(|d| d["code"] == "ipl::names::unknown_party")
        .unwrap_or_else(|| panic!("{diags:?}"));
    let start = offset_of(&text, &unknown["range"]["start"]);
    let end = offset_of(&text, &unknown["range"]["end"]);
    assert_eq!(&text[start..end], "nobody", "{text}");
    // The server's text is the client's: formatting it gives the same
    // text, ending where the client's text ends.
    let edits = client.result(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits[0]["range"]["end"], position(&text, text.len()));
    let expected = ipcheck::fmt::format_source(&text).unwrap();
    assert_eq!(edits[0]["newText"], expected);
    snapshot!("incremental_sync", format!("{text}---\n{expected}"));
    assert_eq!(client.shutdown(), 0);
}

/// One completion position: the file, the text the cursor follows (its
/// `nth` occurrence, the cursor right after it), the labels that must be
/// offered and the labels that must not.
type Position = (
    &'static str,
    &'static str,
    usize,
    &'static [&'static str],
    &'static [&'static str],
);

const COMPLETION_POSITIONS: &[Position] = &[
    // Items and their headers.
    (
        "policy.ipl",
        "Needed\"\n",
        0,
        &[
            "fact",
            "event",
            "instrument",
            "amendment",
            "grant",
            "clause",
            "scenario",
        ],
        &["permit"],
    ),
    (
        "policy.ipl",
        "\"Access when needed\" ",
        0,
        &["notwithstanding"],
        &["permit", "alpha"],
    ),
    (
        "policy.ipl",
        "notwithstanding ",
        0,
        &["9.2", "12.2"],
        &["9.3", "L-1", "alpha"],
    ),
    (
        "policy.ipl",
        "\"Gamma SA\" ",
        0,
        &["affiliate of", "joined", "left"],
        &["defaulting", "alpha"],
    ),
    (
        "policy.ipl",
        "left 2027-03-01 ",
        0,
        &["defaulting"],
        &["joined"],
    ),
    (
        "policy.ipl",
        "affiliate of ",
        0,
        &["alpha", "gamma"],
        &["members", "owners"],
    ),
    (
        "policy.ipl",
        "prevails over ",
        0,
        &["annexes"],
        &["ca", "alpha"],
    ),
    (
        "policy.ipl",
        "members = alpha, ",
        0,
        &["beta", "gamma"],
        &["members", "owners"],
    ),
    (
        "policy.ipl",
        "third_parties ",
        0,
        &["include affiliates"],
        &[],
    ),
    // Assets.
    (
        "policy.ipl",
        "  class ",
        0,
        &["foreground", "background"],
        &["patent"],
    ),
    (
        "policy.ipl",
        "  type  ",
        1,
        &["data", "patent", "software"],
        &["foreground"],
    ),
    (
        "policy.ipl",
        "  owner ",
        0,
        &["beta"],
        &["members", "owners"],
    ),
    // Grants.
    ("policy.ipl", "  exclusive ", 0, &["license of"], &[]),
    (
        "policy.ipl",
        "exclusive license of ",
        0,
        &["res", "data_set"],
        &["foreground", "tagged"],
    ),
    (
        "policy.ipl",
        "license of res from ",
        0,
        &["alpha"],
        &["owners"],
    ),
    (
        "policy.ipl",
        "  rights ",
        0,
        &["exploit", "sell", "use"],
        &["any"],
    ),
    (
        "policy.ipl",
        "until 2030-12-31\n",
        0,
        &["rights", "sublicensable", "field"],
        &["by"],
    ),
    // Clause heads.
    (
        "policy.ipl",
        "  forbid ",
        0,
        &["use", "license", "any"],
        &["res"],
    ),
    (
        "policy.ipl",
        "permit license ",
        0,
        &["of"],
        &["res", "alpha"],
    ),
    (
        "policy.ipl",
        "permit license of ",
        0,
        &["res", "foreground", "jointly_owned", "tagged", "data"],
        &["alpha"],
    ),
    (
        "policy.ipl",
        "of foreground ",
        0,
        &["tagged", "jointly_owned", "patent"],
        &["res", "alpha"],
    ),
    ("policy.ipl", "tagged ", 0, &["core"], &["res"]),
    (
        "policy.ipl",
        "permit use of res\n",
        0,
        &["by", "to", "field", "when", "duty"],
        &["permit"],
    ),
    // Clause lines.
    (
        "policy.ipl",
        "  by ",
        2,
        &["owners", "members", "alpha", "anyone"],
        &["res"],
    ),
    (
        "policy.ipl",
        "by owners, ",
        0,
        &["members", "alpha", "third_parties", "affiliates of"],
        &["res"],
    ),
    (
        "policy.ipl",
        "  to ",
        0,
        &["third_parties", "alpha", "members"],
        &["res"],
    ),
    ("policy.ipl", "  field ", 1, &["batteries", "ev"], &["eu"]),
    ("policy.ipl", "  territory ", 0, &["eu", "world"], &["ev"]),
    (
        "policy.ipl",
        "  when ",
        0,
        &["needed", "request", "consent of"],
        &["alpha"],
    ),
    (
        "policy.ipl",
        "and not ",
        0,
        &["published", "needed"],
        &["alpha"],
    ),
    (
        "policy.ipl",
        "  until ",
        0,
        &["request", "expires"],
        &["alpha"],
    ),
    (
        "policy.ipl",
        "objection of parties ",
        0,
        &["within"],
        &["alpha"],
    ),
    (
        "policy.ipl",
        "within 30 days ",
        0,
        &["after notice", "before"],
        &[],
    ),
    (
        "policy.ipl",
        "  duty ",
        0,
        &["notify", "share income with", "pay"],
        &["alpha"],
    ),
    (
        "policy.ipl",
        "duty notify ",
        0,
        &["co_owners", "alpha"],
        &["res"],
    ),
    ("policy.ipl", "with owners ", 0, &["pro_rata"], &[]),
    // Scenarios.
    (
        "policy.ipl",
        "  action ",
        0,
        &["alpha", "beta"],
        &["members", "owners"],
    ),
    (
        "policy.ipl",
        "action alpha ",
        0,
        &["use", "license"],
        &["alpha"],
    ),
    (
        "policy.ipl",
        "action alpha use ",
        0,
        &["res", "data_set"],
        &["foreground"],
    ),
    (
        "policy.ipl",
        "use res ",
        0,
        &["to", "field", "on", "given", "request on"],
        &["alpha"],
    ),
    ("policy.ipl", "given ", 0, &["needed", "not"], &["alpha"]),
    (
        "policy.ipl",
        "license res to ",
        0,
        &["beta"],
        &["third_parties"],
    ),
    (
        "policy.ipl",
        "to beta field ",
        0,
        &["ev", "batteries"],
        &["in", "eu"],
    ),
    (
        "policy.ipl",
        "field ev territory ",
        0,
        &["eu", "cn"],
        &["in", "ev"],
    ),
    ("policy.ipl", "notice ", 0, &["gamma", "alpha"], &["to"]),
    (
        "policy.ipl",
        "days consent ",
        0,
        &["gamma", "none"],
        &["of"],
    ),
    (
        "policy.ipl",
        "  expect ",
        0,
        &["permit", "conditional", "deny"],
        &[],
    ),
    (
        "policy.ipl",
        "expect deny by ",
        0,
        &["12.2", "L-1"],
        &["alpha"],
    ),
    (
        "policy.ipl",
        "  owes ",
        0,
        &["share income with", "notify"],
        &[],
    ),
    // Amendments.
    ("a1.ipl", "effective 2027-01-01 ", 0, &["removes"], &[]),
    ("a1.ipl", "removes ", 0, &["9.3", "20.1", "L-1"], &["alpha"]),
    ("a1.ipl", "removes 9.3, ", 0, &["20.1"], &["alpha"]),
];

#[test]
fn completion_everywhere_a_user_types() {
    assert!(COMPLETION_POSITIONS.len() >= 32);
    let mut client = Client::start("completion");
    let mut texts = std::collections::BTreeMap::new();
    for name in ["policy.ipl", "annexes.ipl", "a1.ipl"] {
        client.open(name);
        texts.insert(name, client.text(name));
    }
    let mut out = String::new();
    let mut wrong = Vec::new();
    for &(name, needle, nth, want, not) in COMPLETION_POSITIONS {
        let text = &texts[name];
        let at = client.at(name, text, needle, nth, needle.chars().count());
        let items = client.result("textDocument/completion", at);
        let labels: Vec<&str> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap())
            .collect();
        let missing: Vec<&&str> = want.iter().filter(|w| !labels.contains(w)).collect();
        let extra: Vec<&&str> = not.iter().filter(|w| labels.contains(w)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            wrong.push(format!("after {needle:?} in {name}: missing {missing:?}, unwanted {extra:?}; got {labels:?}"));
        }
        out.push_str(&format!(
            "{name} after {needle:?}:\n  {}\n",
            labels.join(", ")
        ));
    }
    assert!(
        wrong.is_empty(),
        "{} of {} positions wrong:\n{}",
        wrong.len(),
        COMPLETION_POSITIONS.len(),
        wrong.join("\n")
    );
    snapshot!("completion_everywhere", out);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn folding_semantic_tokens_and_inlay_hints() {
    let mut client = Client::start("view");
    let init_legend = {
        // The legend announced at initialisation decodes the tokens.
        let mut other = Client::spawn("");
        let init = other.result("initialize", json!({ "capabilities": {} }));
        other.notify("initialized", json!({}));
        assert_eq!(other.shutdown(), 0);
        init["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"].clone()
    };
    client.open("policy.ipl");
    let text = client.text("policy.ipl");
    let uri = client.uri("policy.ipl");
    let lines: Vec<&str> = text.lines().collect();
    let folds = client.result(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": uri } }),
    );
    let folds: Vec<String> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let (s, e) = (
                f["startLine"].as_u64().unwrap() as usize,
                f["endLine"].as_u64().unwrap() as usize,
            );
            let kind = f["kind"].as_str().unwrap_or("item");
            format!("{kind} {s}-{e}: {} … {}", lines[s].trim(), lines[e].trim())
        })
        .collect();
    let tokens = client.result(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut col) = (0usize, 0usize);
    let mut decoded = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            line += t[0] as usize;
            col = t[1] as usize;
        } else {
            col += t[1] as usize;
        }
        let units: Vec<u16> = lines[line].encode_utf16().collect();
        let word = String::from_utf16(&units[col..col + t[2] as usize]).unwrap();
        let kind = init_legend[t[3] as usize].as_str().unwrap();
        let decl = if t[4] & 1 == 1 { " (declaration)" } else { "" };
        decoded.push(format!("{}:{col} {word} → {kind}{decl}", line + 1));
    }
    let of = |word: &str, line_has: &str| -> Vec<&String> {
        decoded
            .iter()
            .filter(|d| {
                let (at, rest) = d.split_once(' ').unwrap();
                let n: usize = at.split(':').next().unwrap().parse().unwrap();
                rest.starts_with(&format!("{word} →")) && lines[n - 1].contains(line_has)
            })
            .collect()
    };
    let all = |found: Vec<&String>, kind: &str| {
        !found.is_empty() && found.iter().all(|d| d.ends_with(kind))
    };
    // A field named `data` is a field; `type data` is an asset type.
    assert!(all(of("data", "field data"), "enumMember"), "{decoded:#?}");
    assert!(all(of("data", "type  data"), "→ type"), "{decoded:#?}");
    // `license` is a verb after `permit` and in an action, a keyword in a grant.
    assert!(all(of("license", "permit"), "function"), "{decoded:#?}");
    assert!(all(of("license", "action"), "function"), "{decoded:#?}");
    assert!(
        all(of("license", "exclusive license"), "keyword"),
        "{decoded:#?}"
    );
    let end = position(&text, text.len());
    let hints = client.result(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": end } }),
    );
    let hints: Vec<String> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let at = offset_of(&text, &h["position"]);
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            format!(
                "{} ‸ {}",
                &text[line_start..at].trim_start(),
                h["label"].as_str().unwrap()
            )
        })
        .collect();
    snapshot!(
        "folding_tokens_hints",
        format!(
            "folding ranges:\n{}\n\nsemantic tokens:\n{}\n\ninlay hints:\n{}\n",
            folds.join("\n"),
            decoded.join("\n"),
            hints.join("\n")
        )
    );
    assert_eq!(client.shutdown(), 0);
}

/// Runs a command in `dir`; its stdout, or why it failed.
fn run_in(dir: &Path, program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{program} {}: {}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Copies the extension's files as a clean clone has them (no
/// `node_modules`, `dist` or packages).
fn copy_extension(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name == "node_modules" || name == "dist" || name.ends_with(".vsix") {
            continue;
        }
        if path.is_dir() {
            std::fs::create_dir_all(to.join(&name)).unwrap();
            copy_extension(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

#[test]
fn vscode_extension_packages_into_a_vsix() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode");
    let dir = tempfile::tempdir().unwrap();
    copy_extension(&source, dir.path());
    let here = dir.path();
    if let Err(why) =
        run_in(here, "npm", &["--version"]).and_then(|_| run_in(here, "unzip", &["-v"]))
    {
        eprintln!("skipped: npm or unzip is missing ({why})");
        return;
    }
    if let Err(why) = run_in(here, "npm", &["ping"]) {
        eprintln!("skipped: the npm registry is not reachable ({why})");
        return;
    }
    run_in(here, "npm", &["ci", "--no-audit", "--no-fund"]).unwrap();
    run_in(here, "npm", &["run", "package", "--", "--out", "ext.vsix"]).unwrap();
    let listing = run_in(here, "unzip", &["-l", "ext.vsix"]).unwrap();
    let mut files: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().nth(3))
        .filter(|f| f.starts_with("extension") || f.starts_with('['))
        .collect();
    files.sort_unstable();
    assert_eq!(
        files,
        [
            "[Content_Types].xml",
            "extension.vsixmanifest",
            "extension/LICENSE.txt",
            "extension/dist/extension.js",
            "extension/language-configuration.json",
            "extension/package.json",
            "extension/readme.md",
            "extension/syntaxes/ipl.tmLanguage.json",
        ],
        "{listing}"
    );
    let manifest = run_in(here, "unzip", &["-p", "ext.vsix", "extension.vsixmanifest"]).unwrap();
    let identity = format!(
        r#"<Identity Language="en-US" Id="ipcheck-ipl" Version="{}" Publisher="ipcheck""#,
        env!("CARGO_PKG_VERSION")
    );
    assert!(manifest.contains(&identity), "{manifest}");
    assert!(
        manifest.contains("https://github.com/ipcheck/ipcheck"),
        "{manifest}"
    );
    // The packaged grammar is the repository's, the client is bundled (no
    // node_modules in the package) and loads.
    let grammar = run_in(
        here,
        "unzip",
        &["-p", "ext.vsix", "extension/syntaxes/ipl.tmLanguage.json"],
    )
    .unwrap();
    assert_eq!(
        grammar,
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/ipl.tmLanguage.json")
        )
        .unwrap()
    );
    let stub = here.join("stub/node_modules/vscode");
    std::fs::create_dir_all(&stub).unwrap();
    std::fs::write(
        stub.join("index.js"),
        "const h={get:(t,k)=>k===\"__esModule\"?false:new Proxy(function(){},h),apply:()=>new Proxy(function(){},h),construct:()=>new Proxy(function(){},h)};module.exports=new Proxy({},h);",
    )
    .unwrap();
    let loaded = Command::new("node")
        .args([
            "-e",
            "const e=require('./dist/extension.js');process.stdout.write(typeof e.activate)",
        ])
        .env("NODE_PATH", here.join("stub/node_modules"))
        .current_dir(here)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&loaded.stdout),
        "function",
        "{loaded:?}"
    );
}

#[test]
fn a_newer_edit_supersedes_the_analysis_of_a_large_policy() {
    let mut client = Client::start("");
    let mut text = large_policy(19_100);
    assert!(text.matches("\nclause ").count() >= 1_000);
    client.open_text("large.ipl", &text);
    client.published();
    // Keystrokes a few milliseconds apart, each while the last is analysed.
    let at = text.find("clause c0 ").unwrap();
    let start = Instant::now();
    for (i, c) in "// typed\n".chars().enumerate() {
        client.edit(
            "large.ipl",
            2 + i as i32,
            &text,
            at + i,
            at + i,
            &c.to_string(),
        );
        text.insert(at + i, c);
        std::thread::sleep(Duration::from_millis(5));
    }
    let last = 1 + "// typed\n".len() as i32;
    let published = client.published();
    let elapsed = start.elapsed();
    let versions: Vec<i64> = published
        .iter()
        .filter_map(|p| p["version"].as_i64())
        .collect();
    eprintln!(
        "{} keystrokes into {} clauses: {} publishes {versions:?} in {elapsed:?}",
        "// typed\n".len(),
        text.matches("\nclause ").count(),
        versions.len()
    );
    assert_eq!(versions.last(), Some(&i64::from(last)), "{versions:?}");
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    // The text the server analysed is the client's: a comment line, no
    // error.
    let diags = published.last().unwrap()["diagnostics"].as_array().unwrap();
    assert!(diags.iter().all(|d| d["severity"] != 1), "{diags:?}");
    assert_eq!(client.shutdown(), 0);
}
