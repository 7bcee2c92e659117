//! The language server's answer to an edit of a 5,000-line policy: from
//! `didChange` to `publishDiagnostics` (goal: under 50 ms); and of a
//! 1,000-clause policy (about 19,000 lines, goal: under 200 ms), for an
//! edit that leaves it valid, for a keystroke that leaves it with an error
//! (the lints of the last valid text carried over), and for an edit
//! superseded by a newer one while it is analysed.
//!
//! `analyse_and_convert` is the work a `didChange` causes (store the text,
//! parse, resolve, check, lint, convert the diagnostics to LSP);
//! `server_round_trip` runs the whole server loop in process over an
//! in-memory connection and waits for the notification.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

#[path = "support/lsp_client.rs"]
mod lsp_client;
use lsp_client::{insert, server_with, wait_version};

use std::str::FromStr;

use criterion::{Criterion, criterion_group, criterion_main};
use ipcheck::lsp::Server;
use ipcheck::lsp::workspace::Workspace;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::Uri;
use serde_json::json;

/// A policy of about `lines` lines: parties, jointly owned assets, one
/// clause and one scenario per asset.
fn large_policy(lines: usize) -> String {
    policy_until(|text, _| text.lines().count() >= lines)
}

/// A policy like [`large_policy`] with `clauses` clauses.
fn policy_of_clauses(clauses: usize) -> String {
    policy_until(|_, made| made >= clauses)
}

fn policy_until(done: impl Fn(&str, usize) -> bool) -> String {
    let mut text = String::from(
        "agreement \"Large\" {\n  effective 2025-01-01\n  term 7 years\n}\n\
         fields { batteries { ev, stationary }, recycling }\n\
         territories { world { europe { eu, uk }, asia { cn, jp } } }\n",
    );
    let mut i = 0;
    while !done(&text, i / 2) {
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

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 1, 15)
}

fn lsp(c: &mut Criterion) {
    let text = large_policy(5_000);
    // An edit that leaves one error behind, so diagnostics are converted too.
    let edited = text.replacen("by c0\n", "by c1\n", 1);
    let texts = [text.clone(), edited];
    let mut group = c.benchmark_group("lsp_did_change_5000_lines");
    group.sample_size(30);

    // The front end alone, for comparison: what the server adds is the rest.
    group.bench_function("front_end_only", |b| {
        b.iter(|| {
            let mut sources = ipcheck::source::SourceMap::default();
            sources.add("large.ipl", "large.ipl".into(), texts[1].as_str());
            ipcheck::policy::analyze(sources)
        })
    });

    let Ok(uri) = Uri::from_str("untitled:large.ipl") else {
        return;
    };
    let mut workspace = Workspace::new(today());
    workspace.open(uri.clone(), text.clone(), 1);
    let _ = workspace.take_publish();
    let mut version = 1;
    group.bench_function("analyse_and_convert", |b| {
        b.iter(|| {
            version += 1;
            let text = texts[version as usize % 2].clone();
            workspace.change(&uri, text, version);
            let published = workspace.take_publish();
            assert_eq!(published.len(), 1);
            published
        })
    });

    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || Server::new(server).run());
    let send = |m: Message| {
        let _ = client.sender.send(m);
    };
    send(
        Request::new(
            RequestId::from(1),
            "initialize".to_string(),
            json!({ "capabilities": {} }),
        )
        .into(),
    );
    let _ = client.receiver.recv();
    send(Notification::new("initialized".to_string(), json!({})).into());
    send(
        Notification::new(
            "textDocument/didOpen".to_string(),
            json!({ "textDocument": { "uri": "untitled:large.ipl", "languageId": "ipl", "version": 1, "text": text } }),
        )
        .into(),
    );
    let wait_publish = || {
        while let Ok(message) = client.receiver.recv() {
            if matches!(&message, Message::Notification(n) if n.method == "textDocument/publishDiagnostics")
            {
                return;
            }
        }
    };
    wait_publish();
    let mut version = 1;
    group.bench_function("server_round_trip", |b| {
        b.iter(|| {
            version += 1;
            let change = json!({
                "textDocument": { "uri": "untitled:large.ipl", "version": version },
                "contentChanges": [{ "text": texts[version as usize % 2] }],
            });
            send(Notification::new("textDocument/didChange".to_string(), change).into());
            wait_publish();
        })
    });
    group.finish();
    send(Request::new(RequestId::from(2), "shutdown".to_string(), json!(null)).into());
    let _ = client.receiver.recv();
    send(Notification::new("exit".to_string(), json!(null)).into());
    let _ = thread.join();
}

fn stop(client: &Connection, thread: std::thread::JoinHandle<u8>) {
    let _ = client
        .sender
        .send(Request::new(RequestId::from(2), "shutdown".to_string(), json!(null)).into());
    let _ = client.receiver.recv();
    let _ = client
        .sender
        .send(Notification::new("exit".to_string(), json!(null)).into());
    let _ = thread.join();
}

fn lsp_1000_clauses(c: &mut Criterion) {
    let text = policy_of_clauses(1_000);
    let mut group = c.benchmark_group("lsp_1000_clauses");
    group.sample_size(10);
    let (client, thread) = server_with(&text, "untitled:large.ipl", "2026-01-15");
    let mut version = 1;
    // A valid edit: a comment line added and taken away (both valid).
    group.bench_function("valid_edit_round_trip", |b| {
        b.iter(|| {
            version += 1;
            let _ = client
                .sender
                .send(insert("untitled:large.ipl", version, 6, "// x\n"));
            wait_version(&client, Some(version));
        })
    });
    // Two edits, the second sent while the first is analysed: only the
    // second is answered.
    group.bench_function("superseded_edit_round_trip", |b| {
        b.iter(|| {
            version += 1;
            let _ = client
                .sender
                .send(insert("untitled:large.ipl", version, 6, "// y\n"));
            std::thread::sleep(std::time::Duration::from_millis(10));
            version += 1;
            let _ = client
                .sender
                .send(insert("untitled:large.ipl", version, 6, "// z\n"));
            wait_version(&client, Some(version));
        })
    });
    // A keystroke that leaves an error: a stray word, then its removal is
    // another keystroke (each an error state until the line is complete).
    group.bench_function("keystroke_with_error_round_trip", |b| {
        b.iter(|| {
            version += 1;
            let _ = client
                .sender
                .send(insert("untitled:large.ipl", version, 6, "c"));
            wait_version(&client, Some(version));
        })
    });
    group.finish();
    stop(&client, thread);
}

criterion_group!(benches, lsp, lsp_1000_clauses);
criterion_main!(benches);
