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
        assert!(!near("Resource", "component", 2));
    }
}
