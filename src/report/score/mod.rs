//! Renderers for `callboard score`: table, json, markdown, sarif, junit.

pub mod delta;
pub mod explain;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

use crate::score::eval::EntityResult;
use crate::score::model::Scorecard;

pub fn level_name(card: &Scorecard, level: Option<usize>) -> String {
    level
        .and_then(|l| card.levels.get(l))
        .cloned()
        .unwrap_or_else(|| "none".to_string())
}

/// The rule results a report lists as failing: fail, warn, error and unknown.
pub fn failing(e: &EntityResult) -> impl Iterator<Item = &crate::score::eval::RuleResult> {
    e.rules.iter().filter(|r| {
        matches!(
            r.status,
            crate::score::eval::Status::Fail
                | crate::score::eval::Status::Warn
                | crate::score::eval::Status::Error
                | crate::score::eval::Status::Unknown
        )
    })
}

pub fn score_text(e: &EntityResult) -> String {
    e.score.map_or("–".to_string(), |s| format!("{s}"))
}
