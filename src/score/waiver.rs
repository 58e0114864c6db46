//! Waivers: an entity (ref or glob) × rule ids, with a reason from a fixed list and a required
//! expiry date. Kept in git (guard the file with CODEOWNERS).

use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};

use crate::catalog::entity_ref::EntityRef;
use crate::diag::{Code, Diagnostic};
use crate::score::model::{API_VERSION, Reader, SpecError, is_date};
use crate::yaml::{Node, Span};

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
    /// As written.
    pub entity: String,
    /// What `entity` matches: a glob as written, or a name or reference resolved like
    /// Backstage resolves one (kind Component, namespace default).
    pub pattern: String,
    matcher: GlobMatcher,
    /// `scorecard/rule` or `rule` (any scorecard).
    pub rules: Vec<String>,
    pub reason: String,
    pub expires: String,
    pub note: Option<String>,
    pub line: u32,
    pub file: PathBuf,
    /// The waiver's mapping in its file, for findings.
    pub span: Span,
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
            let entity_span = item.get("entity").map_or(item.span, |n| n.span);
            let pattern = if entity.contains(['*', '?', '[', '{']) {
                entity.to_lowercase()
            } else {
                match EntityRef::parse(&entity, Some("Component"), "default") {
                    Ok(reference) => reference.to_string(),
                    Err(e) => {
                        r.error(entity_span, e.message(&entity));
                        continue;
                    }
                }
            };
            let matcher = match Glob::new(&pattern) {
                Ok(g) => g.compile_matcher(),
                Err(e) => {
                    r.error(entity_span, format!("invalid entity glob: {e}"));
                    continue;
                }
            };
            out.push(Waiver {
                entity,
                pattern,
                matcher,
                rules,
                reason,
                expires,
                note,
                line: item.span.start.line,
                file: file.to_path_buf(),
                span: item.span,
            });
        }
    }
    if r.errors.is_empty() {
        Ok(out)
    } else {
        Err(r.errors)
    }
}

/// How far past `--now` a waiver may expire unless `.callboard.yaml` sets `score.maxWaiverDays`.
pub const DEFAULT_MAX_WAIVER_DAYS: u32 = 180;

impl Waiver {
    /// Does the waiver expire more than `max_days` after `now`? (A waiver is a dated promise;
    /// one that runs for years is a silent exemption.)
    pub fn expires_too_far(&self, now: i64, max_days: u32) -> bool {
        crate::dates::parse(&self.expires)
            .is_some_and(|t| t - now > i64::from(max_days) * crate::dates::SECONDS_PER_DAY)
    }

    fn finding(&self, code: Code, message: String) -> Diagnostic {
        let mut d = Diagnostic::new(code, message).with_span(self.span);
        d.file = Some(self.file.clone());
        d
    }
}

/// `waiver-expiry-too-far`: the waiver is not applied and the gate fails.
pub fn too_far_finding(w: &Waiver, today: &str, max_days: u32) -> Diagnostic {
    w.finding(
        Code::WaiverExpiryTooFar,
        format!(
            "the waiver for {} expires on {}, more than {max_days} days after {today}; it is not applied",
            w.entity, w.expires
        ),
    )
    .help(format!(
        "set `expires` to {} or earlier, or raise `score.maxWaiverDays` in .callboard.yaml",
        crate::dates::format(
            crate::dates::parse(today).unwrap_or_default()
                + i64::from(max_days) * crate::dates::SECONDS_PER_DAY
        )
    ))
}

/// `waiver-unmatched`: waivers whose entity matches no entity of the catalog, or that name a
/// rule (or scorecard) no loaded scorecard has; with the closest name as a suggestion.
/// `rules` are every `SCORECARD/RULE` loaded.
pub fn unmatched(waivers: &[Waiver], refs: &[String], rules: &[String]) -> Vec<Diagnostic> {
    let ref_names: Vec<&str> = refs.iter().map(String::as_str).collect();
    let qualified: Vec<&str> = rules.iter().map(String::as_str).collect();
    let mut bare: Vec<&str> = rules
        .iter()
        .filter_map(|r| r.split_once('/').map(|(_, id)| id))
        .collect();
    bare.sort_unstable();
    bare.dedup();
    let mut cards: Vec<&str> = rules
        .iter()
        .filter_map(|r| r.split_once('/').map(|(card, _)| card))
        .collect();
    cards.sort_unstable();
    cards.dedup();
    let mut out = Vec::new();
    for w in waivers {
        if !refs.iter().any(|r| w.matcher.is_match(r)) {
            let mut d = w.finding(
                Code::WaiverUnmatched,
                format!(
                    "the waiver for {} matches no entity in the catalog",
                    w.entity
                ),
            );
            if let Some(near) = crate::suggest::closest(&w.pattern, &ref_names) {
                d = d.help(format!("did you mean `{near}`?"));
            }
            out.push(d);
        }
        for rule in &w.rules {
            let (known, candidates): (bool, &[&str]) = match rule.split_once('/') {
                _ if rule == "*" && w.is_scope_exit() => (true, &[]),
                Some((card, "*")) if w.is_scope_exit() => (cards.contains(&card), &cards),
                Some(_) => (qualified.contains(&rule.as_str()), &qualified),
                None => (bare.contains(&rule.as_str()), &bare),
            };
            if known {
                continue;
            }
            let mut d = w.finding(
                Code::WaiverUnmatched,
                format!(
                    "the waiver for {} names `{rule}`, which no scorecard has",
                    w.entity
                ),
            );
            let wanted = rule.strip_suffix("/*").unwrap_or(rule);
            if let Some(near) = crate::suggest::closest(wanted, candidates) {
                d = d.help(format!("did you mean `{near}`?"));
            }
            out.push(d);
        }
    }
    out
}
