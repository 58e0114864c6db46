//! Versions and ranges for the `semverSatisfies` and `semverAtLeast` operators. Ranges are
//! written as npm writes them (`>=18 <21`, `^1.2`, `1.x || 2.x`, `1.2 - 2`) and read with the
//! `semver` crate after a translation: space-separated comparators are joined with commas,
//! `||` splits alternatives, a hyphen range becomes `>=A, <=B`, and a leading `v` or `=` on a
//! version is dropped. A partial version (`18`, `18.2`) is `18.0.0`, `18.2.0`.

use semver::{Comparator, Op, Version, VersionReq};

/// A range: any of its alternatives.
pub struct Range(Vec<VersionReq>);

fn strip_v(version: &str) -> &str {
    let v = version.trim();
    let v = v.strip_prefix('=').unwrap_or(v).trim_start();
    v.strip_prefix(['v', 'V']).unwrap_or(v)
}

/// A version, partial versions completed with zeros.
pub fn parse_version(text: &str) -> Option<Version> {
    let v = strip_v(text);
    if let Ok(version) = Version::parse(v) {
        return Some(version);
    }
    // `18` or `18.2` (no pre-release or build): complete it.
    let parts: Vec<&str> = v.split('.').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.parse::<u64>().is_err()) {
        return None;
    }
    let n = |i: usize| parts.get(i).map_or(Some(0), |p| p.parse().ok());
    Some(Version::new(n(0)?, n(1)?, n(2)?))
}

/// One alternative of an npm range as the `semver` crate's syntax.
fn translate(alternative: &str) -> String {
    let alternative = alternative.trim();
    if let Some((low, high)) = alternative.split_once(" - ") {
        return format!(">={}, <={}", strip_v(low), strip_v(high));
    }
    let mut comparators: Vec<String> = Vec::new();
    let mut pending_op = String::new();
    for token in alternative.split_whitespace() {
        // `>= 18`: an operator alone joins the version after it.
        if token
            .chars()
            .all(|c| matches!(c, '<' | '>' | '=' | '^' | '~'))
        {
            pending_op.push_str(token);
            continue;
        }
        let op_len = token
            .find(|c: char| !matches!(c, '<' | '>' | '=' | '^' | '~'))
            .unwrap_or(token.len());
        let (op, version) = token.split_at(op_len);
        let op = format!("{pending_op}{op}");
        pending_op.clear();
        // `==` (PEP 440's exact match) is npm's `=`.
        let op = if op == "=" || op == "==" {
            String::new()
        } else {
            op
        };
        let version = version.strip_prefix(['v', 'V']).unwrap_or(version);
        comparators.push(format!("{op}{version}"));
    }
    if comparators.is_empty() {
        "*".to_string()
    } else {
        comparators.join(", ")
    }
}

/// Reads an npm-style range; the error says what is wrong.
pub fn parse_range(text: &str) -> Result<Range, String> {
    text.split("||")
        .map(|alt| {
            let translated = translate(alt);
            // A bare version in npm is that exact version; in the semver crate it is `^`.
            let translated = match parse_version(&translated) {
                Some(v) if !translated.contains(['*', 'x', 'X']) => format!("={v}"),
                _ => translated,
            };
            VersionReq::parse(&translated).map_err(|e| format!("`{}`: {e}", alt.trim()))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Range)
}

impl Range {
    pub fn matches(&self, version: &Version) -> bool {
        self.0.iter().any(|r| r.matches(version))
    }

    /// The lowest version the range allows: the highest lower bound of each alternative's
    /// comparators (0.0.0 without one), the lowest over the alternatives.
    pub fn lower_bound(&self) -> Version {
        self.0
            .iter()
            .map(|req| {
                req.comparators
                    .iter()
                    .filter_map(comparator_floor)
                    .max()
                    .unwrap_or_else(|| Version::new(0, 0, 0))
            })
            .min()
            .unwrap_or_else(|| Version::new(0, 0, 0))
    }
}

fn comparator_floor(c: &Comparator) -> Option<Version> {
    let mut v = Version::new(c.major, c.minor.unwrap_or(0), c.patch.unwrap_or(0));
    v.pre = c.pre.clone();
    match c.op {
        Op::Exact | Op::GreaterEq | Op::Tilde | Op::Caret | Op::Wildcard => Some(v),
        // `>1.2.3` starts at the next patch, `>1.2` at the next minor, `>1` at the next major.
        Op::Greater => Some(match (c.minor, c.patch) {
            (Some(_), Some(_)) => Version::new(v.major, v.minor, v.patch + 1),
            (Some(_), None) => Version::new(v.major, v.minor + 1, 0),
            _ => Version::new(v.major + 1, 0, 0),
        }),
        _ => None,
    }
}

/// The version a fact value stands for: itself when it is a version, else the lowest version
/// of the range it is (`engines.node: ">=18"` stands for 18.0.0). None when it is neither.
pub fn version_of(text: &str) -> Option<Version> {
    parse_version(text).or_else(|| {
        let range = parse_range(text).ok()?;
        Some(range.lower_bound())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn npm_ranges() {
        let r = parse_range(">=18 <21").unwrap();
        assert!(r.matches(&v("18.0.0")) && r.matches(&v("20.9.1")) && !r.matches(&v("21.0.0")));
        let r = parse_range("^1.2").unwrap();
        assert!(r.matches(&v("1.9.0")) && !r.matches(&v("2.0.0")) && !r.matches(&v("1.1.0")));
        let r = parse_range("1.x || >= 3").unwrap();
        assert!(r.matches(&v("1.4.0")) && !r.matches(&v("2.0.0")) && r.matches(&v("3.1.0")));
        let r = parse_range("1.2 - 2").unwrap();
        assert!(r.matches(&v("2.5.0")) && !r.matches(&v("3.0.0")) && !r.matches(&v("1.1.9")));
        let r = parse_range("v1.2.3").unwrap();
        assert!(r.matches(&v("1.2.3")) && !r.matches(&v("1.2.4")));
        assert!(parse_range("*").unwrap().matches(&v("9.9.9")));
        assert!(parse_range(">=banana").is_err());
    }

    #[test]
    fn versions_and_lower_bounds() {
        assert_eq!(parse_version("v18"), Some(v("18.0.0")));
        assert_eq!(parse_version("18.2"), Some(v("18.2.0")));
        assert_eq!(parse_version("latest"), None);
        assert_eq!(version_of(">=18"), Some(v("18.0.0")));
        assert_eq!(version_of("^16.14 || >=18"), Some(v("16.14.0")));
        assert_eq!(version_of(">3.9"), Some(v("3.10.0")));
        assert_eq!(version_of("<21"), Some(v("0.0.0")));
        assert_eq!(version_of(">=3.10,<4"), Some(v("3.10.0")));
    }
}
