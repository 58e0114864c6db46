#![no_main]
//! Entity reference parsing: never panics, and what it accepts round-trips through Display.

use callboard::catalog::entity_ref::EntityRef;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(parsed) = EntityRef::parse(text, Some("Group"), "default") {
        let shown = parsed.to_string();
        let again = EntityRef::parse(&shown, None, "default").expect("a displayed reference parses");
        assert_eq!(again, parsed);
    }
});
