//! Any bytes through the front end and the lints, every finding rendered
//! for humans (long lines, floods): nothing may panic, abort or hang.
//! The corpus holds inputs larger than libFuzzer's default length: run with
//! `cargo fuzz run lint_render fuzz/corpus/lint_render -- -max_len=200000`
//! after copying fuzz/seeds/ into that corpus (fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut sources = ipcheck::source::SourceMap::default();
    let (_, bad_utf8) = sources.add_bytes("fuzz.ipl", "fuzz.ipl".into(), data.to_vec());
    if bad_utf8.is_some() {
        return;
    }
    let mut policy = ipcheck::policy::analyze(sources);
    let Ok(today) = jiff::civil::Date::new(2026, 6, 1) else { return };
    let findings = ipcheck::lint::lint(&policy, &ipcheck::lint::LintOptions { today });
    policy.diagnostics.extend(findings);
    for d in &policy.diagnostics {
        let _ = ipcheck::report::human::render(d, &policy.sources, ipcheck::report::human::Style::PLAIN);
    }
});
