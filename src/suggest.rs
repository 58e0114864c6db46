//! "Did you mean …" for names a person may mistype: one rule of closeness for every reader
//! (strsim's Levenshtein distance on characters).

/// The candidate closest to `word`, when it is close enough to be a typo: at most two edits,
/// or a quarter of the candidate's length for long names. Ties go to the first in order.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Like [`closest`], but None when another candidate is as close: an automatic fix must not
/// choose between equals (candidates listed twice count once).
pub fn closest_unique<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let length = word.chars().count();
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .filter_map(|c| {
            let limit = 2.max(c.chars().count() / 4);
            // The distance is at least the difference in length: most candidates of a large
            // catalog are ruled out without computing it.
            if c.chars().count().abs_diff(length) > limit {
                return None;
            }
            let d = strsim::levenshtein(word, c);
            (d <= limit).then_some((d, *c))
        })
        .collect();
    scored.sort();
    scored.dedup();
    match scored.as_slice() {
        [(best, c), rest @ ..] if rest.first().is_none_or(|(next, _)| next > best) => Some(c),
        _ => None,
    }
}

/// Whether `a` and `b` differ by at most `max` edits, ignoring ASCII case.
pub fn near(a: &str, b: &str, max: usize) -> bool {
    strsim::levenshtein(&a.to_ascii_lowercase(), &b.to_ascii_lowercase()) <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_near_misses() {
        assert_eq!(closest("ownr", &["owner", "system"]), Some("owner"));
        assert_eq!(closest("xyz", &["owner", "system"]), None);
        assert_eq!(
            closest("lifecyle", &["lifecycle", "type"]),
            Some("lifecycle")
        );
        assert!(near("Compnent", "component", 2));
        assert_eq!(
            closest_unique("team-paymnt", &["team-payment", "team-ledger"]),
            Some("team-payment")
        );
        // Two equally close: no answer, where `closest` takes the first.
        assert_eq!(closest_unique("team-b", &["team-a", "team-c"]), None);
        assert_eq!(
            closest_unique("team-b", &["team-a", "team-a"]),
            Some("team-a")
        );
        assert!(!near("Resource", "component", 2));
    }
}
