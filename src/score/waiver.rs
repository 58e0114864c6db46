//! Waivers: an entity (ref or glob) × rule ids, with a reason from a fixed list and a required
//! expiry date. Kept in git (guard the file with CODEOWNERS).

use std::path::Path;

use globset::{Glob, GlobMatcher};

use crate::score::model::{API_VERSION, Reader, SpecError, is_date};
use crate::yaml::Node;

pub const REASONS: &[&str] = &[
    "not-applicable",
    "accepted-risk",
    "false-positive",
    "remediation-planned",
    "migration-in-progress",
    SCOPE_EXIT_REASON,
];

/// The reason of a waiver that accepts an entity leaving a scorecard's scope under `score
/// --base`; such a waiver never waives a rule.
pub const SCOPE_EXIT_REASON: &str = "leaves-scope";

#[derive(Debug, Clone)]
pub struct Waiver {
    pub entity: String,
    matcher: GlobMatcher,
    /// `scorecard/rule` or `rule` (any scorecard).
    pub rules: Vec<String>,
    pub reason: String,
    pub expires: String,
    pub note: Option<String>,
    pub line: u32,
}

impl Waiver {
    pub fn matches(&self, entity_ref: &str, scorecard: &str, rule: &str) -> bool {
        self.matcher.is_match(entity_ref)
            && self.rules.iter().any(|r| match r.split_once('/') {
                Some((card, id)) => card == scorecard && id == rule,
                None => r == rule,
            })
    }

    pub fn is_scope_exit(&self) -> bool {
        self.reason == SCOPE_EXIT_REASON
    }

    /// Does this `leaves-scope` waiver accept the entity leaving the scorecard? Its `rules`
    /// name scorecards as `SCORECARD/*`, or `*` for every scorecard.
    pub fn allows_scope_exit(&self, entity_ref: &str, scorecard: &str, today: &str) -> bool {
        self.is_scope_exit()
            && !self.expired(today)
            && self.matcher.is_match(entity_ref)
            && self
                .rules
                .iter()
                .any(|r| r == "*" || r.strip_suffix("/*").is_some_and(|card| card == scorecard))
    }

    /// Expired when `today` is after the expiry date (dates compare as strings in ISO form).
    pub fn expired(&self, today: &str) -> bool {
        today > self.expires.as_str()
    }
}

/// The keys of a waivers file and of one waiver (docs/waivers.schema.json follows them).
pub const FILE_KEYS: &[&str] = &["apiVersion", "kind", "waivers"];
pub const WAIVER_KEYS: &[&str] = &["entity", "rules", "reason", "expires", "note"];

pub fn parse_waivers(file: &Path, text: &str) -> Result<Vec<Waiver>, Vec<SpecError>> {
    let mut r = Reader::new(file);
    let mut out = Vec::new();
    for root in &r.documents(text) {
        r.only_keys(root, FILE_KEYS, "a waivers file");
        if root.get("apiVersion").and_then(Node::as_str) != Some(API_VERSION) {
            r.error(
                root.get("apiVersion").map_or(root.span, |n| n.span),
                format!("apiVersion must be {API_VERSION}"),
            );
        }
        if root.get("kind").and_then(Node::as_str) != Some("Waivers") {
            r.error(
                root.get("kind").map_or(root.span, |n| n.span),
                "kind must be Waivers",
            );
        }
        let Some(items) = root.get("waivers").and_then(Node::as_seq) else {
            r.error(root.span, "`waivers` (a list) is required");
            continue;
        };
        for item in items {
            r.only_keys(item, WAIVER_KEYS, "a waiver");
            let entity = r.string(item, "entity", true);
            let rules = match item.get("rules") {
                Some(n) => r.strings(n, "rules"),
                None => {
                    r.error(
                        item.span,
                        "`rules` is required (rule ids, or scorecard/rule)",
                    );
                    Vec::new()
                }
            };
            let reason = r.string(item, "reason", true);
            if let Some(reason) = &reason
                && !REASONS.contains(&reason.as_str())
            {
                r.error(
                    item.get("reason").map_or(item.span, |n| n.span),
                    format!("reason must be one of: {}", REASONS.join(", ")),
                );
            }
            let expires = r.string(item, "expires", true);
            if let Some(e) = &expires
                && !is_date(e)
            {
                r.error(
                    item.get("expires").map_or(item.span, |n| n.span),
                    "expires must be a date, YYYY-MM-DD",
                );
            }
            let note = r.string(item, "note", false);
            let (Some(entity), Some(reason), Some(expires)) = (entity, reason, expires) else {
                continue;
            };
            let matcher = match Glob::new(&entity.to_lowercase()) {
                Ok(g) => g.compile_matcher(),
                Err(e) => {
                    r.error(
                        item.get("entity").map_or(item.span, |n| n.span),
                        format!("invalid entity glob: {e}"),
                    );
                    continue;
                }
            };
            out.push(Waiver {
                entity,
                matcher,
                rules,
                reason,
                expires,
                note,
                line: item.span.start.line,
            });
        }
    }
    if r.errors.is_empty() {
        Ok(out)
    } else {
        Err(r.errors)
    }
}
