//! A failed check's message, built from its typed evidence: the fact, the value it had and
//! what the operator expected (`entity.spec.lifecycle is "experimental", expected one of
//! [production, deprecated]`, `2 files match docs/*.md, expected at least 3`). Values are cut
//! to a few characters and items, so a message never carries a whole file.

use serde_json::Value as J;

use crate::score::eval::Evidence;
use crate::score::model::Op;

/// Characters of one value (a string, one item of a list) a message shows before `…`.
pub const MESSAGE_VALUE_MAX_CHARS: usize = 80;
/// Items of a list or mapping a message shows before it counts the rest.
pub const MESSAGE_VALUE_MAX_ITEMS: usize = 8;
/// Nesting of a value a message shows before deeper values are `[…]` / `{…}`.
pub const MESSAGE_VALUE_MAX_DEPTH: usize = 2;

/// What a leaf check expected, typed: the operator, its value, whether a `not` around it
/// turned it round, and the glob of a `repo.*` fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    pub op: Op,
    pub value: Option<J>,
    pub negated: bool,
    pub path: Option<String>,
    /// `catalog.resolves`: its field and the references in it that are not in the catalog
    /// (none: the field holds no reference).
    pub references: Option<References>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct References {
    pub field: String,
    pub unresolved: Vec<String>,
}

/// The message of a failed check.
pub fn failure(evidence: &Evidence) -> String {
    let Some(x) = &evidence.expectation else {
        // An `expr` check: its source and what it gave.
        return format!(
            "expression {} is {}, expected true",
            cut(&evidence
                .expected
                .as_str()
                .map_or_else(|| evidence.expected.to_string(), |s| format!("`{s}`"))),
            show(&evidence.actual, 0)
        );
    };
    let fact = match &x.path {
        Some(p) => format!("{} {}", evidence.fact, cut(p)),
        None => evidence.fact.clone(),
    };
    let actual = &evidence.actual;
    let expected = x.value.as_ref().map_or_else(String::new, |v| show(v, 0));
    let is_repo_file = evidence.fact == "repo.file";
    let subject = match (&x.path, actual) {
        (Some(p), J::Null) => format!("no file matches {}", cut(p)),
        (Some(p), J::Array(files)) if is_repo_file => {
            format!(
                "{} {} ({})",
                files_match(files.len()),
                cut(p),
                show(actual, 0)
            )
        }
        (_, J::Null) => format!("{fact} is not set"),
        _ if x.references.is_some() => {
            let refs =
                x.references
                    .as_ref()
                    .map_or_else(String::new, |r| match r.unresolved.as_slice() {
                        [] if actual == &J::Bool(false) => {
                            format!(" ({} holds no reference)", cut(&r.field))
                        }
                        [] => format!(" (every reference in {} resolves)", cut(&r.field)),
                        list => format!(
                            " ({} of {} not in the catalog)",
                            show(&J::from(list.to_vec()), 0),
                            cut(&r.field)
                        ),
                    });
            format!("{fact} is {}{refs}", show(actual, 0))
        }
        _ if is_count(x.op) => format!("{fact} counts {} ({})", count_of(actual), show(actual, 0)),
        _ => format!("{fact} is {}", show(actual, 0)),
    };
    let wanted = match (x.op, x.negated) {
        // A glob names files: "a file", not "it to be set".
        (Op::Exists | Op::NotEmpty, false) | (Op::NotExists | Op::Empty, true)
            if x.path.is_some() =>
        {
            "a file".into()
        }
        (Op::Exists | Op::NotEmpty, true) | (Op::NotExists | Op::Empty, false)
            if x.path.is_some() =>
        {
            "no file".into()
        }
        _ => expectation(x.op, x.negated, &expected),
    };
    format!("{subject}, expected {wanted}")
}

fn files_match(n: usize) -> String {
    if n == 1 {
        "1 file matches".into()
    } else {
        format!("{n} files match")
    }
}

fn is_count(op: Op) -> bool {
    matches!(op, Op::CountEq | Op::CountGte | Op::CountLte)
}

fn count_of(v: &J) -> String {
    match v {
        J::Array(a) => a.len().to_string(),
        J::Object(o) => o.len().to_string(),
        J::String(s) => s.chars().count().to_string(),
        other => other.to_string(),
    }
}

/// What the operator wanted, in words; `negated` under a `not`.
fn expectation(op: Op, negated: bool, v: &str) -> String {
    let (yes, no): (String, String) = match op {
        Op::Equals => (v.into(), format!("anything but {v}")),
        Op::NotEquals => (format!("anything but {v}"), v.into()),
        Op::In => (format!("one of {v}"), format!("none of {v}")),
        Op::NotIn => (format!("none of {v}"), format!("one of {v}")),
        Op::Matches => (format!("to match {v}"), format!("not to match {v}")),
        Op::NotMatches => (format!("not to match {v}"), format!("to match {v}")),
        Op::Exists => ("it to be set".into(), "it not to be set".into()),
        Op::NotExists => ("it not to be set".into(), "it to be set".into()),
        Op::Empty => ("it to be empty".into(), "a non-empty value".into()),
        Op::NotEmpty => ("a non-empty value".into(), "it to be empty".into()),
        Op::Lt => (format!("less than {v}"), format!("at least {v}")),
        Op::Lte => (format!("at most {v}"), format!("more than {v}")),
        Op::Gt => (format!("more than {v}"), format!("at most {v}")),
        Op::Gte => (format!("at least {v}"), format!("less than {v}")),
        Op::Contains => (format!("to contain {v}"), format!("not to contain {v}")),
        Op::NotContains => (format!("not to contain {v}"), format!("to contain {v}")),
        Op::StartsWith => (
            format!("to start with {v}"),
            format!("not to start with {v}"),
        ),
        Op::EndsWith => (format!("to end with {v}"), format!("not to end with {v}")),
        Op::CountEq => (format!("exactly {v}"), format!("other than {v}")),
        Op::CountGte => (format!("at least {v}"), format!("fewer than {v}")),
        Op::CountLte => (format!("at most {v}"), format!("more than {v}")),
        Op::SemverSatisfies => (
            format!("a version in {v}"),
            format!("a version outside {v}"),
        ),
        Op::SemverAtLeast => (
            format!("version {v} or later"),
            format!("a version before {v}"),
        ),
    };
    if negated { no } else { yes }
}

/// `text` cut to [`MESSAGE_VALUE_MAX_CHARS`] with `…`.
fn cut(text: &str) -> String {
    match text.char_indices().nth(MESSAGE_VALUE_MAX_CHARS) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// A value as a message shows it: strings quoted at the top, plain inside a list when they
/// need no quotes; lists and mappings cut to a few items and levels.
fn show(v: &J, depth: usize) -> String {
    match v {
        J::String(s) if depth > 0 && plain(s) => cut(s),
        J::String(s) => J::String(cut(s)).to_string(),
        J::Array(_) | J::Object(_) if depth >= MESSAGE_VALUE_MAX_DEPTH => {
            if v.is_array() { "[…]" } else { "{…}" }.into()
        }
        J::Array(items) => {
            let shown: Vec<String> = items
                .iter()
                .take(MESSAGE_VALUE_MAX_ITEMS)
                .map(|i| show(i, depth + 1))
                .collect();
            format!("[{}{}]", shown.join(", "), more(items.len()))
        }
        J::Object(map) => {
            let shown: Vec<String> = map
                .iter()
                .take(MESSAGE_VALUE_MAX_ITEMS)
                .map(|(k, v)| format!("{}: {}", cut(k), show(v, depth + 1)))
                .collect();
            format!("{{{}{}}}", shown.join(", "), more(map.len()))
        }
        other => other.to_string(),
    }
}

fn more(total: usize) -> String {
    match total.checked_sub(MESSAGE_VALUE_MAX_ITEMS) {
        Some(n) if n > 0 => format!(", … {n} more"),
        _ => String::new(),
    }
}

/// A string that reads unambiguously without quotes inside a list.
fn plain(s: &str) -> bool {
    !s.is_empty()
        && s.trim() == s
        && !s.contains([',', '[', ']', '{', '}', '"', '\n'])
        && s.parse::<f64>().is_err()
        && !matches!(s, "true" | "false" | "null")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(fact: &str, actual: J, op: Op, value: Option<J>, negated: bool) -> Evidence {
        Evidence {
            fact: fact.into(),
            source: None,
            actual,
            expected: J::Null,
            expectation: Some(Expectation {
                op,
                value,
                negated,
                path: None,
                references: None,
            }),
        }
    }

    #[test]
    fn messages_name_the_value_and_what_was_expected() {
        let tiers = json!(["tier-1", "tier-2", "tier-3"]);
        assert_eq!(
            failure(&ev(
                "entity.metadata.labels.tier",
                json!("tier:1"),
                Op::In,
                Some(tiers),
                false
            )),
            "entity.metadata.labels.tier is \"tier:1\", expected one of [tier-1, tier-2, tier-3]"
        );
        assert_eq!(
            failure(&ev(
                "catalog.ownerKind",
                json!("user"),
                Op::Equals,
                Some(json!("group")),
                false
            )),
            "catalog.ownerKind is \"user\", expected \"group\""
        );
        assert_eq!(
            failure(&ev("entity.spec.x", J::Null, Op::Exists, None, false)),
            "entity.spec.x is not set, expected it to be set"
        );
        // Under `not`, the expectation is turned round.
        assert_eq!(
            failure(&ev("entity.spec.x", json!(3), Op::Exists, None, true)),
            "entity.spec.x is 3, expected it not to be set"
        );
        assert_eq!(
            failure(&ev(
                "entity.spec.n",
                json!(["a", "1", ""]),
                Op::CountGte,
                Some(json!(4)),
                false
            )),
            "entity.spec.n counts 3 ([a, \"1\", \"\"]), expected at least 4"
        );
        let mut files = ev(
            "repo.file",
            json!(["a.md", "b.md"]),
            Op::CountGte,
            Some(json!(3)),
            false,
        );
        files.expectation.as_mut().unwrap().path = Some("docs/*.md".into());
        assert_eq!(
            failure(&files),
            "2 files match docs/*.md ([a.md, b.md]), expected at least 3"
        );
        files.actual = J::Null;
        assert_eq!(
            failure(&files),
            "no file matches docs/*.md, expected at least 3"
        );
        let x = files.expectation.as_mut().unwrap();
        (x.op, x.value) = (Op::Exists, None);
        assert_eq!(
            failure(&files),
            "no file matches docs/*.md, expected a file"
        );
        files.actual = json!(["docs/a.md"]);
        files.expectation.as_mut().unwrap().negated = true;
        assert_eq!(
            failure(&files),
            "1 file matches docs/*.md ([docs/a.md]), expected no file"
        );
    }

    #[test]
    fn a_reference_fact_names_what_does_not_resolve() {
        let mut e = ev(
            "catalog.resolves",
            json!(false),
            Op::Equals,
            Some(json!(true)),
            false,
        );
        e.expectation.as_mut().unwrap().references = Some(References {
            field: "spec.providesApis".into(),
            unresolved: vec!["ghost-api".into()],
        });
        assert_eq!(
            failure(&e),
            "catalog.resolves is false ([ghost-api] of spec.providesApis not in the catalog), expected true"
        );
        e.expectation
            .as_mut()
            .unwrap()
            .references
            .as_mut()
            .unwrap()
            .unresolved
            .clear();
        assert_eq!(
            failure(&e),
            "catalog.resolves is false (spec.providesApis holds no reference), expected true"
        );
        // Under `not`, a passing resolution is what failed.
        e.actual = json!(true);
        e.expectation.as_mut().unwrap().negated = true;
        assert_eq!(
            failure(&e),
            "catalog.resolves is true (every reference in spec.providesApis resolves), expected anything but true"
        );
    }

    #[test]
    fn values_are_cut_in_length_items_and_depth() {
        let long = "x".repeat(10_000);
        let items: Vec<J> = (0..100).map(|i| json!(i)).collect();
        let message = failure(&ev(
            "entity.spec.a",
            json!({"long": long, "items": items, "deep": {"a": {"b": 1}}}),
            Op::Empty,
            None,
            false,
        ));
        assert!(message.chars().count() < 400, "{message}");
        assert!(message.contains("… 92 more"), "{message}");
        assert!(message.contains("{…}"), "{message}");
        assert!(
            message.contains(&format!("{}…", "x".repeat(MESSAGE_VALUE_MAX_CHARS))),
            "{message}"
        );
    }
}
