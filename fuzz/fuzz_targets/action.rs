//! Any text as an action against the example policy.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies/ssb-consortium");
    let Ok(policy) = ipcheck::policy::load_files(&[format!("{dir}/agreement.ipl").into()]) else { return };
    let file = ipcheck::span::FileId(0);
    if let Ok(syntax) = ipcheck::syntax::parse_action(text, file)
        && let Ok(action) = ipcheck::names::resolve_action(&policy.model, &syntax, file)
    {
        let _ = ipcheck::decide::Engine::new(&policy.model).decide(&action);
    }
});
