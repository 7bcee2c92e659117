//! Any bytes through the whole front end (parse, resolve, check), then the
//! scenarios through the engine: nothing may panic, abort or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut sources = ipcheck::source::SourceMap::default();
    let (_, bad_utf8) = sources.add_bytes("fuzz.ipl", "fuzz.ipl".into(), data.to_vec());
    if bad_utf8.is_some() {
        return;
    }
    let policy = ipcheck::policy::analyze(sources);
    let engine = ipcheck::decide::Engine::new(&policy.model);
    for scenario in &policy.model.scenarios {
        if let Some(action) = &scenario.action {
            let _ = engine.decide(action);
        }
    }
    for d in &policy.diagnostics {
        let _ = ipcheck::report::human::render(d, &policy.sources, ipcheck::report::human::Style::PLAIN);
    }
});
