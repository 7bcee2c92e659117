//! Framed JSON-RPC over stdin and stdout that survives malformed input.
//!
//! `lsp_server::Connection::stdio` ends its reader thread at the first bad
//! frame (a missing `Content-Length`, invalid JSON), which disconnects the
//! server. This reader answers such a frame with a JSON-RPC error (`id`
//! null, as JSON-RPC 2.0 requires when the id cannot be read) and goes on
//! with the next frame. Well-formed messages are handed to the server
//! through an in-memory [`Connection`]; a writer thread writes the
//! server's messages to stdout, one whole frame at a time.

use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

use lsp_server::{Connection, ErrorCode, Message};
use serde_json::Value;

/// Largest message body read; a bigger one is skipped and answered with
/// an error.
const MAX_BODY: usize = 512 * 1024 * 1024;
/// Longest header line kept; longer ones are malformed.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// The threads behind a stdio connection.
pub struct Transport {
    writer: JoinHandle<()>,
}

impl Transport {
    /// Waits until every message the server sent is written. Call after
    /// dropping the server's connection.
    pub fn join(self) {
        let _ = self.writer.join();
    }
}

/// A connection over stdin and stdout.
pub fn stdio() -> io::Result<(Connection, Transport)> {
    let (server, client) = Connection::memory();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = client;
    let writer = thread::Builder::new()
        .name("ipcheck-lsp-writer".to_string())
        .spawn(move || {
            for message in from_server {
                let stdout = io::stdout();
                let mut out = stdout.lock();
                if message.write(&mut out).is_err() {
                    break;
                }
            }
        })?;
    thread::Builder::new()
        .name("ipcheck-lsp-reader".to_string())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            read_loop(
                &mut input,
                |m| to_server.send(m).is_ok(),
                |e| {
                    let stdout = io::stdout();
                    let mut out = stdout.lock();
                    let _ = write_frame(&mut out, &e);
                },
            );
        })?;
    Ok((server, Transport { writer }))
}

/// Reads frames until end of input, an `exit` notification, or until
/// `deliver` refuses a message; malformed frames go to `reply` as error
/// responses (JSON text).
pub fn read_loop(
    input: &mut dyn BufRead,
    mut deliver: impl FnMut(Message) -> bool,
    mut reply: impl FnMut(String),
) {
    loop {
        let body = match read_frame(input) {
            Frame::End => return,
            Frame::Bad(reason) => {
                reply(error_response(Value::Null, ErrorCode::ParseError, &reason));
                continue;
            }
            Frame::Body(body) => body,
        };
        let value: Value = match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(err) => {
                let reason = format!("the message is not valid JSON: {err}");
                reply(error_response(Value::Null, ErrorCode::ParseError, &reason));
                continue;
            }
        };
        let id = match value.get("id") {
            Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
            _ => Value::Null,
        };
        match serde_json::from_value::<Message>(value) {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if !deliver(message) || exit {
                    return;
                }
            }
            Err(err) => {
                let reason = format!("not a JSON-RPC request, response or notification: {err}");
                reply(error_response(id, ErrorCode::InvalidRequest, &reason));
            }
        }
    }
}

enum Frame {
    Body(Vec<u8>),
    Bad(String),
    End,
}

fn read_frame(input: &mut dyn BufRead) -> Frame {
    let mut length: Option<usize> = None;
    let mut problem: Option<String> = None;
    let mut any_header = false;
    loop {
        let line = match read_line(input) {
            Ok(Some(line)) => line,
            Ok(None) | Err(_) => return Frame::End,
        };
        let line = line.strip_suffix(b"\n").unwrap_or(&line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            if any_header {
                break;
            }
            continue; // blank lines between frames
        }
        any_header = true;
        let text = String::from_utf8_lossy(line);
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => problem = Some(format!("bad Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {} // Content-Type and the like
            None => problem = Some(format!("malformed header line `{}`", shorten(&text))),
        }
    }
    let Some(length) = length else {
        return Frame::Bad(problem.unwrap_or_else(|| "no Content-Length header".to_string()));
    };
    if length > MAX_BODY {
        let skipped = io::copy(&mut input.take(length as u64), &mut io::sink());
        return match skipped {
            Ok(n) if n == length as u64 => {
                Frame::Bad(format!("a message of {length} bytes is too large"))
            }
            _ => Frame::End,
        };
    }
    let mut body = vec![0; length];
    match input.read_exact(&mut body) {
        Ok(()) => Frame::Body(body),
        Err(_) => Frame::End,
    }
}

/// One line, up to and including `\n`; an overlong line is cut (its rest
/// skipped) so that garbage without newlines cannot exhaust memory.
fn read_line(input: &mut dyn BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok((!line.is_empty()).then_some(line));
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = MAX_HEADER_LINE.saturating_sub(line.len());
        line.extend_from_slice(&buf[..take.min(room)]);
        input.consume(take);
        if done {
            return Ok(Some(line));
        }
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(40).collect();
        format!("{cut}…")
    } else {
        text.to_string()
    }
}

fn error_response(id: Value, code: ErrorCode, message: &str) -> String {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
    .to_string()
}

fn write_frame(out: &mut dyn Write, body: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> (Vec<String>, Vec<String>) {
        let mut delivered = Vec::new();
        let mut errors = Vec::new();
        read_loop(
            &mut input.as_bytes(),
            |m| {
                delivered.push(match m {
                    Message::Request(r) => r.method,
                    Message::Notification(n) => n.method,
                    Message::Response(r) => format!("response {}", r.id),
                });
                true
            },
            |e| errors.push(e),
        );
        (delivered, errors)
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn survives_garbage_between_good_frames() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#),
            "garbage without a header\r\n\r\n".to_string(),
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"method":5}"#),
            "Content-Length: nope\r\n\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","method":"b"}"#),
            "\u{0}\u{1}\u{2}".to_string(),
        ]
        .concat();
        let (delivered, errors) = run(&input);
        assert_eq!(delivered, ["a", "b"]);
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert!(errors[0].contains("-32700"));
        assert!(errors[2].contains(r#""id":7"#) && errors[2].contains("-32600"));
    }

    #[test]
    fn stops_after_exit() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"b"}"#),
        ]
        .concat();
        assert_eq!(run(&input).0, ["exit"]);
    }

    #[test]
    fn truncated_body_ends_input() {
        let (delivered, errors) = run("Content-Length: 100\r\n\r\n{}");
        assert!(delivered.is_empty() && errors.is_empty());
    }
}
