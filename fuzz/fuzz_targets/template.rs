#![no_main]
//! Template rendering: any source renders within the output bound or fails with a message
//! whose line lies inside the source.

use callboard::scaffold::render::{Renderer, budget::MAX_OUTPUT_BYTES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let lines = source.matches('\n').count() + 1;
    let renderer = Renderer::new(Default::default());
    match renderer.render_str(source, &serde_json::json!({"x": ["a", "b"]})) {
        Ok(out) => assert!(out.len() <= MAX_OUTPUT_BYTES),
        Err(e) => {
            assert!(!e.message.is_empty());
            if let Some(line) = e.line {
                assert!((1..=lines).contains(&line), "line {line} of {lines}");
            }
        }
    }
});
