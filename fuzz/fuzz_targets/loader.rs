#![no_main]
//! The YAML loader and the per-entity checks must never panic, whatever the bytes.

use callboard::catalog::entity::{self, Context};
use callboard::catalog::format::Formats;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let stream = callboard::yaml::parse_stream(text);
    let formats = Formats::default();
    let ctx = Context { dir: std::path::Path::new("/nonexistent"), root: std::path::Path::new("/nonexistent"), formats: &formats, custom_kinds: &[] };
    for d in &stream.documents {
        let outcome = entity::check(&d.document.root, &ctx);
        for diag in &outcome.diagnostics {
            // Every pointer a check emits must resolve to a span inside the document.
            let span = d.document.root.locate(diag.pointer.as_deref().unwrap_or(""));
            assert!(span.start.line >= 1 || text.is_empty() || span.start.line == 0);
        }
    }
});
