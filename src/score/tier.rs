//! Score tiers (`spec.tiers`): named score ranges, alongside the cumulative levels. Each tier
//! holds from its `minScore` up to the next higher tier's; below the lowest an entity has no tier.

use crate::reader::Reader;
use crate::yaml::{Node, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub name: String,
    pub min_score: f64,
}

/// The keys of one tier (docs/scorecard.schema.json follows them).
pub const TIER_KEYS: &[&str] = &["name", "minScore"];

/// Reads `tiers:` — listed from the highest `minScore` down, each from 0 to 100, names and
/// scores distinct, so the ranges neither overlap nor leave the order to guesswork.
pub fn parse(r: &mut Reader, node: &Node) -> Vec<Tier> {
    let Some(items) = node.as_seq() else {
        r.error(
            node.span,
            "`tiers` must be a list of {name, minScore}, highest first",
        );
        return Vec::new();
    };
    let mut tiers: Vec<Tier> = Vec::new();
    for item in items {
        if item.as_map().is_none() {
            r.error(item.span, "a tier must be a mapping: {name, minScore}");
            continue;
        }
        r.only_keys(item, TIER_KEYS, "a tier");
        let name = r.string(item, "name", true);
        let min_score = match item.get("minScore").map(|n| (&n.value, n.span)) {
            Some((Value::Int(i), _)) if (0..=100).contains(i) => Some(*i as f64),
            Some((Value::Float(f), _)) if (0.0..=100.0).contains(f) => Some(*f),
            Some((_, span)) => {
                r.error(span, "minScore must be a number from 0 to 100");
                None
            }
            None => {
                r.error(item.span, "`minScore` is required");
                None
            }
        };
        let (Some(name), Some(min_score)) = (name, min_score) else {
            continue;
        };
        if name == "none" || tiers.iter().any(|t| t.name == name) {
            r.error(
                item.span,
                format!("tier `{name}` is listed twice, or is `none` (an entity below every tier has none)"),
            );
        }
        if let Some(above) = tiers.last()
            && above.min_score <= min_score
        {
            r.error(
                item.span,
                format!(
                    "tier `{name}` (minScore {min_score}) must have a lower minScore than `{}` ({}) above it: list tiers from the highest down, each range from its minScore up to the next",
                    above.name, above.min_score
                ),
            );
        }
        tiers.push(Tier { name, min_score });
    }
    tiers
}

/// The tier a score falls in: the highest whose `minScore` it reaches (None: no score, or
/// below every tier).
pub fn tier_of(tiers: &[Tier], score: Option<f64>) -> Option<usize> {
    let score = score?;
    tiers.iter().position(|t| score >= t.min_score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_falls_in_the_highest_tier_it_reaches() {
        let tiers = [
            Tier {
                name: "platinum".into(),
                min_score: 90.0,
            },
            Tier {
                name: "gold".into(),
                min_score: 75.0,
            },
            Tier {
                name: "silver".into(),
                min_score: 50.0,
            },
        ];
        assert_eq!(tier_of(&tiers, Some(100.0)), Some(0));
        assert_eq!(tier_of(&tiers, Some(90.0)), Some(0));
        assert_eq!(tier_of(&tiers, Some(89.9)), Some(1));
        assert_eq!(tier_of(&tiers, Some(50.0)), Some(2));
        assert_eq!(tier_of(&tiers, Some(49.9)), None);
        assert_eq!(tier_of(&tiers, None), None);
        assert_eq!(tier_of(&[], Some(100.0)), None);
    }
}
