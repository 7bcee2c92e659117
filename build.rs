//! Copies the documentation of diagnostic codes (docs/diagnostics.md, and
//! docs/lints.md when it exists: an empty file otherwise) to where the
//! library embeds it for `ipcheck explain` and the SARIF rules.

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=docs");
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    for name in ["diagnostics.md", "lints.md"] {
        let text = std::fs::read_to_string(PathBuf::from("docs").join(name)).unwrap_or_default();
        if let Err(err) = std::fs::write(out.join(name), text) {
            println!("cargo::warning=cannot copy docs/{name}: {err}");
        }
    }
}
