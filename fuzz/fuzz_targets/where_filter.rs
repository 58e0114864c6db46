#![no_main]
//! `--where` filters: parse or fail with a message, never crash, and nothing parsed nests past
//! the documented bound.

use callboard::bulk::filter::{Filter, MAX_FILTER_DEPTH, parse};
use libfuzzer_sys::fuzz_target;

fn depth(f: &Filter) -> usize {
    match f {
        Filter::All | Filter::Term(_) => 1,
        Filter::Not(inner) => 1 + depth(inner),
        Filter::And(items) | Filter::Or(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse(text) {
        Ok(filter) => assert!(depth(&filter) <= MAX_FILTER_DEPTH + 1),
        Err(message) => assert!(!message.is_empty()),
    }
});
