#![no_main]
//! Scorecard files: parse or fail with errors located inside the file.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.split(['\n', '\r']).count() as u32;
    if let Err(errors) = callboard::score::model::parse_scorecards(std::path::Path::new("card.yaml"), text) {
        assert!(!errors.is_empty());
        for e in errors {
            assert!(e.line <= lines, "{e} outside {lines} lines");
        }
    }
});
