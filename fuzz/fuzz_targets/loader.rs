#![no_main]
//! The YAML loader and the per-file checks: never panic, whatever the bytes, and every
//! position they report lies inside the input (lines as YAML counts them: LF, CRLF, lone CR).

use callboard::catalog::load::{FileOptions, check_text};
use libfuzzer_sys::fuzz_target;

fn yaml_lines(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u32 + 1
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = yaml_lines(text);
    let stream = callboard::yaml::parse_stream(text);
    if let Some(fatal) = &stream.fatal {
        assert!((1..=lines).contains(&fatal.pos.line), "{fatal:?} outside {lines} lines");
    }
    let config = callboard::config::Config::default();
    let opts = FileOptions::new(&config);
    let report = check_text(std::path::Path::new("/nonexistent/catalog-info.yaml"), text.to_string(), &opts);
    for d in &report.diagnostics {
        if let Some(span) = d.span {
            assert!((1..=lines).contains(&span.start.line), "{d:?} outside {lines} lines");
        }
    }
});
