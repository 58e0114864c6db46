//! Renderers for `callboard score`: table, json, markdown, sarif, junit.

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

pub fn score_text(e: &EntityResult) -> String {
    e.score.map_or("–".to_string(), |s| format!("{s}"))
}
