//! Issue 18: `--output` and `fmt` write safely. Atomic replacement only
//! over a regular file or a new path; straight through into a FIFO or a
//! character device; anything else refused. Modes from the umask, owner
//! and group kept, hard links not split, stale temporaries cleaned.
//!
//! FIFOs and symbolic links are made by the tests in temporary
//! directories; device nodes only when the tests run as root (skipped with
//! a message otherwise).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const POLICY: &str = include_str!("fixtures/base.ipl");
const UNFORMATTED: &str = "party   a   \"A\"\n";
const FORMATTED: &str = "party a \"A\"\n";

fn ipcheck(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// A policy in `dir` and `lint --format json --output OUT` on it.
fn lint_to(dir: &Path, out: &Path) -> Output {
    let policy = dir.join("policy.ipl");
    fs::write(&policy, POLICY).unwrap();
    ipcheck(&[
        "lint".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--output".as_ref(),
        out.as_os_str(),
        policy.as_os_str(),
    ])
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

fn running_as_root() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    fs::write(&probe, "").unwrap();
    fs::metadata(&probe).unwrap().uid() == 0
}

/// Reads a FIFO to its end on a thread (opening it blocks until a writer
/// comes).
fn read_fifo(path: &Path) -> std::thread::JoinHandle<String> {
    let path = path.to_path_buf();
    std::thread::spawn(move || fs::read_to_string(path).unwrap_or_default())
}

#[test]
fn a_fifo_is_written_straight_through() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.fifo");
    if !mkfifo(&fifo) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let reader = read_fifo(&fifo);
    let output = lint_to(dir.path(), &fifo);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    // Before joining: a FIFO replaced by a file would leave the reader
    // blocked for ever.
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    let report = reader.join().unwrap();
    assert!(report.contains("\"outcome\""), "{report}");
}

#[test]
fn a_symlink_to_a_fifo_is_written_through_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("real.fifo");
    if !mkfifo(&fifo) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let reader = read_fifo(&fifo);
    let output = lint_to(dir.path(), &link);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(reader.join().unwrap().contains("\"outcome\""));
}

#[test]
fn a_symlink_to_a_regular_file_replaces_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let output = lint_to(dir.path(), &link);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&target).unwrap().contains("\"outcome\""));
}

#[test]
fn a_directory_a_socket_and_a_dangling_link_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    let output = lint_to(dir.path(), &sub);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("is a directory"),
        "{}",
        text(&output)
    );
    assert!(sub.is_dir());

    let socket = dir.path().join("s.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let output = lint_to(dir.path(), &socket);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("is a socket"), "{}", text(&output));
    assert!(
        fs::symlink_metadata(&socket)
            .unwrap()
            .file_type()
            .is_socket()
    );

    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    let output = lint_to(dir.path(), &dangling);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("symbolic link"), "{}", text(&output));
    assert!(
        fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_character_device_is_written_through_when_root() {
    if !running_as_root() {
        eprintln!("skipped: creating a device node needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let null = dir.path().join("null");
    // The same device as /dev/null (major 1, minor 3).
    let made = Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: mknod failed (no CAP_MKNOD in this container?)");
        return;
    }
    let output = lint_to(dir.path(), &null);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        fs::symlink_metadata(&null)
            .unwrap()
            .file_type()
            .is_char_device(),
        "the device was replaced by a regular file"
    );
    // A symbolic link to it, as /dev/stdout is.
    let link = dir.path().join("stdout");
    std::os::unix::fs::symlink(&null, &link).unwrap();
    let output = lint_to(dir.path(), &link);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        fs::symlink_metadata(&null)
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn a_new_report_gets_the_mode_of_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.ipl");
    fs::write(&policy, POLICY).unwrap();
    let out = dir.path().join("report.json");
    let status = Command::new("sh")
        .arg("-c")
        .arg("umask 027 && exec \"$0\" lint --format json --output \"$1\" \"$2\"")
        .arg(env!("CARGO_BIN_EXE_ipcheck"))
        .arg(&out)
        .arg(&policy)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "{mode:o}");
}

#[test]
fn a_replaced_file_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.ipl");
    fs::write(&file, UNFORMATTED).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o664)).unwrap();
    let output = ipcheck(&["fmt".as_ref(), file.as_os_str()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(fs::read_to_string(&file).unwrap(), FORMATTED);
    let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o664, "{mode:o}");
}

#[test]
fn fmt_as_root_keeps_owner_and_group() {
    if !running_as_root() {
        eprintln!("skipped: giving a file to another user needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.ipl");
    fs::write(&file, UNFORMATTED).unwrap();
    std::os::unix::fs::chown(&file, Some(4242), Some(4343)).unwrap();
    let output = ipcheck(&["fmt".as_ref(), file.as_os_str()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(fs::read_to_string(&file).unwrap(), FORMATTED);
    let meta = fs::metadata(&file).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4242, 4343));
}

#[test]
fn fmt_refuses_a_file_with_several_hard_links() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.ipl");
    fs::write(&file, UNFORMATTED).unwrap();
    let other = dir.path().join("b.ipl");
    fs::hard_link(&file, &other).unwrap();
    let output = ipcheck(&["fmt".as_ref(), file.as_os_str()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("2 hard links"), "{}", text(&output));
    // Neither name changed, and they are still one file.
    assert_eq!(fs::read_to_string(&file).unwrap(), UNFORMATTED);
    assert_eq!(fs::metadata(&other).unwrap().nlink(), 2);
}

/// A pid that ran and ended: no process has it (until the system reuses
/// it, which takes a while).
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    found.sort();
    found
}

#[test]
fn stale_temporaries_are_cleaned_on_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.ipl");
    fs::write(&file, UNFORMATTED).unwrap();
    // Left by a killed run, by a running one (this test's own process),
    // by an old version (an hour old and fresh), and someone else's.
    let dead = dir
        .path()
        .join(format!(".ipcheck-{}-0123456789abcdef.tmp", dead_pid()));
    let live = dir.path().join(format!(
        ".ipcheck-{}-0123456789abcdef.tmp",
        std::process::id()
    ));
    let old = dir.path().join(".ipcheck-Ab12Cd.tmp");
    let fresh = dir.path().join(".ipcheck-Zz98Yx.tmp");
    let foreign = dir.path().join(".other-tool-1234.tmp");
    for path in [&dead, &live, &old, &fresh, &foreign] {
        fs::write(path, "partial").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let output = ipcheck(&["fmt".as_ref(), file.as_os_str()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(temporaries(dir.path()), {
        let mut kept = vec![live, fresh, foreign];
        kept.sort();
        kept
    });
}
