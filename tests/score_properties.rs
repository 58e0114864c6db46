//! Properties of the score and level arithmetic (`callboard::score::eval::{score, level}`):
//! bounds, waivers never hurt, passing rules never hurt, levels are cumulative and only
//! error-severity failures of levelled rules block them.

use callboard::score::eval::{RuleResult, Status, level, score};
use callboard::score::model::RuleSeverity;
use proptest::prelude::*;

const STATUSES: &[Status] = &[
    Status::Pass,
    Status::Fail,
    Status::Warn,
    Status::Waived,
    Status::NotApplicable,
    Status::Unknown,
    Status::Error,
];

/// The one place that knows RuleResult's fields.
fn result(
    index: usize,
    status: Status,
    level: Option<usize>,
    weight: f64,
    severity: RuleSeverity,
) -> RuleResult {
    RuleResult {
        rule: index,
        id: format!("r{index}"),
        status,
        level,
        weight,
        severity,
        message: String::new(),
        evidence: None,
        location: None,
        waiver: None,
        unknown: false,
    }
}

/// (status, level, weight, severity) of one rule, for a scorecard with `levels` levels.
type Spec = (Status, Option<usize>, f64, RuleSeverity);

fn spec(levels: usize) -> impl Strategy<Value = Spec> {
    let level = if levels == 0 {
        Just(None).boxed()
    } else {
        proptest::option::of(0..levels).boxed()
    };
    (
        proptest::sample::select(STATUSES),
        level,
        // Whole and half weights, 0 included: sums are exact.
        (0u32..=20).prop_map(|w| f64::from(w) / 2.0),
        prop_oneof![
            3 => Just(RuleSeverity::Error),
            1 => Just(RuleSeverity::Warning),
        ],
    )
}

fn build(specs: &[Spec]) -> Vec<RuleResult> {
    specs
        .iter()
        .enumerate()
        .map(|(i, (s, l, w, sev))| result(i, *s, *l, *w, *sev))
        .collect()
}

/// A scorecard: its number of levels and its rules' results for one entity.
fn card() -> impl Strategy<Value = (usize, Vec<Spec>)> {
    (0usize..=4)
        .prop_flat_map(|levels| (Just(levels), proptest::collection::vec(spec(levels), 0..14)))
}

/// A scorecard with at least one level, and one of its levels.
fn levelled_card() -> impl Strategy<Value = (usize, Vec<Spec>, usize)> {
    (1usize..=4).prop_flat_map(|levels| {
        (
            Just(levels),
            proptest::collection::vec(spec(levels), 0..14),
            0..levels,
        )
    })
}

/// `none` is 0, the first level 1, …
fn rank(levels: usize, rules: &[RuleResult]) -> usize {
    level(levels, rules).0.map_or(0, |l| l + 1)
}

fn blocks(r: &RuleResult) -> bool {
    r.severity == RuleSeverity::Error && matches!(r.status, Status::Fail | Status::Error)
}

fn scored_weight(rules: &[RuleResult]) -> f64 {
    rules
        .iter()
        .filter(|r| {
            matches!(
                r.status,
                Status::Pass | Status::Fail | Status::Warn | Status::Waived
            )
        })
        .map(|r| r.weight)
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn score_is_between_0_and_100_or_none((_levels, specs) in card()) {
        let rules = build(&specs);
        match score(&rules) {
            None => prop_assert_eq!(scored_weight(&rules), 0.0),
            Some(s) => {
                prop_assert!(scored_weight(&rules) > 0.0);
                prop_assert!((0.0..=100.0).contains(&s), "{}", s);
                // One decimal.
                prop_assert!(((s * 10.0).round() - s * 10.0).abs() < 1e-9, "{}", s);
            }
        }
    }

    #[test]
    fn score_extremes((_levels, specs) in card()) {
        let rules = build(&specs);
        let all_credited = rules.iter().all(|r| !matches!(r.status, Status::Fail | Status::Warn) || r.weight == 0.0);
        let none_credited = rules.iter().all(|r| !matches!(r.status, Status::Pass | Status::Waived) || r.weight == 0.0);
        if let Some(s) = score(&rules) {
            if all_credited {
                prop_assert_eq!(s, 100.0);
            }
            if none_credited {
                prop_assert_eq!(s, 0.0);
            }
        }
    }

    #[test]
    fn score_does_not_depend_on_rule_order((_levels, specs) in card()) {
        let rules = build(&specs);
        let mut reversed = rules.clone();
        reversed.reverse();
        prop_assert_eq!(score(&rules), score(&reversed));
    }

    #[test]
    fn waiving_a_failing_rule_never_lowers_the_score_or_the_level((levels, specs) in card(), pick in any::<prop::sample::Index>()) {
        let rules = build(&specs);
        let failing: Vec<usize> = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r.status, Status::Fail | Status::Warn))
            .map(|(i, _)| i)
            .collect();
        prop_assume!(!failing.is_empty());
        let i = failing[pick.index(failing.len())];
        let mut waived = rules.clone();
        waived[i].status = Status::Waived;
        match (score(&rules), score(&waived)) {
            (Some(before), Some(after)) => prop_assert!(after >= before, "{} < {}", after, before),
            (None, None) => {}
            other => prop_assert!(false, "waiving changed whether there is a score: {:?}", other),
        }
        prop_assert!(rank(levels, &waived) >= rank(levels, &rules));
        // Waiving every failure: the level is the highest possible unless errors block.
        let mut all = rules.clone();
        for r in &mut all {
            if matches!(r.status, Status::Fail | Status::Warn) {
                r.status = Status::Waived;
            }
        }
        prop_assert!(rank(levels, &all) >= rank(levels, &waived));
        if !all.iter().any(blocks) {
            prop_assert_eq!(rank(levels, &all), levels);
        }
    }

    #[test]
    fn adding_a_passing_rule_never_lowers_the_level_or_the_score((levels, specs) in card(), extra in spec(4)) {
        let rules = build(&specs);
        let (_, lvl, weight, severity) = extra;
        let lvl = lvl.filter(|l| *l < levels);
        let mut more = rules.clone();
        more.push(result(rules.len(), Status::Pass, lvl, weight, severity));
        prop_assert!(rank(levels, &more) >= rank(levels, &rules));
        match (score(&rules), score(&more)) {
            (Some(before), Some(after)) => prop_assert!(after >= before, "{} < {}", after, before),
            (Some(_), None) => prop_assert!(false, "a score disappeared"),
            (None, Some(after)) => prop_assert_eq!(after, 100.0),
            (None, None) => prop_assert_eq!(weight, 0.0),
        }
    }

    #[test]
    fn level_is_monotone_in_passing_rules((levels, specs) in card(), flips in proptest::collection::vec(any::<bool>(), 14)) {
        let rules = build(&specs);
        let mut better = rules.clone();
        for (r, flip) in better.iter_mut().zip(flips) {
            if flip {
                r.status = Status::Pass;
            }
        }
        prop_assert!(rank(levels, &better) >= rank(levels, &rules));
        if let (Some(before), Some(after)) = (score(&rules), score(&better)) {
            prop_assert!(after >= before, "{} < {}", after, before);
        }
    }

    #[test]
    fn levels_are_cumulative_and_next_level_lists_what_is_missing((levels, specs) in card()) {
        let rules = build(&specs);
        let (held, next, missing) = level(levels, &rules);
        let rank = held.map_or(0, |l| l + 1);
        prop_assert!(rank <= levels);
        // Every rule at or below the held level holds.
        prop_assert!(!rules.iter().any(|r| r.level.is_some_and(|l| l < rank) && blocks(r)));
        // The next level is the one right above, unless the top is reached…
        prop_assert_eq!(next, (rank < levels).then_some(rank));
        // …and something at or below it blocks: exactly what missingForNextLevel lists.
        let expected: Vec<String> = match next {
            Some(n) => rules
                .iter()
                .filter(|r| r.level.is_some_and(|l| l <= n) && blocks(r))
                .map(|r| r.id.clone())
                .collect(),
            None => Vec::new(),
        };
        prop_assert_eq!(&missing, &expected);
        if next.is_some() {
            prop_assert!(!missing.is_empty());
            prop_assert!(rules.iter().any(|r| r.level == Some(rank) && blocks(r)));
        }
    }

    #[test]
    fn only_blocking_levelled_rules_matter_for_the_level((levels, specs) in card()) {
        let rules = build(&specs);
        // Warnings, waivers, n/a, unknowns, passes, warning-severity failures and rules without
        // a level can all be dropped without changing the level.
        let blocking: Vec<RuleResult> = rules
            .iter()
            .filter(|r| r.level.is_some() && blocks(r))
            .cloned()
            .collect();
        prop_assert_eq!(level(levels, &rules), level(levels, &blocking));
        // With no blocking rule at all, every level is held.
        let empty: Vec<RuleResult> = Vec::new();
        prop_assert_eq!(rank(levels, &empty), levels);
        let (_, next, missing) = level(levels, &empty);
        prop_assert_eq!(next, None);
        prop_assert!(missing.is_empty());
    }

    #[test]
    fn a_blocking_rule_caps_the_level_below_its_own((levels, specs, at) in levelled_card()) {
        let mut rules = build(&specs);
        rules.push(result(rules.len(), Status::Fail, Some(at), 1.0, RuleSeverity::Error));
        // A failing bronze rule keeps the entity at none, whatever passes above.
        prop_assert!(rank(levels, &rules) <= at);
        // As a warning it blocks nothing.
        let mut warned = rules.clone();
        let last = warned.len() - 1;
        warned[last].status = Status::Warn;
        let without: Vec<RuleResult> = rules[..last].to_vec();
        prop_assert_eq!(rank(levels, &warned), rank(levels, &without));
    }
}

#[test]
fn examples() {
    let e = RuleSeverity::Error;
    // Weighted: 3 of 4.
    let rules = [
        result(0, Status::Pass, None, 3.0, e),
        result(1, Status::Fail, None, 1.0, e),
    ];
    assert_eq!(score(&rules), Some(75.0));
    // Rounded to one decimal: 1 of 3.
    let rules = [
        result(0, Status::Pass, None, 1.0, e),
        result(1, Status::Fail, None, 2.0, e),
    ];
    assert_eq!(score(&rules), Some(33.3));
    // Only n/a, unknown and error: no score.
    let rules = [
        result(0, Status::NotApplicable, None, 1.0, e),
        result(1, Status::Unknown, None, 1.0, e),
        result(2, Status::Error, None, 1.0, e),
    ];
    assert_eq!(score(&rules), None);
    assert_eq!(score(&[]), None);
    // bronze fails, silver passes: none, next bronze.
    let rules = [
        result(0, Status::Fail, Some(0), 1.0, e),
        result(1, Status::Pass, Some(1), 1.0, e),
    ];
    assert_eq!(level(2, &rules), (None, Some(0), vec!["r0".to_string()]));
    // An error blocks like a failure.
    let rules = [result(0, Status::Error, Some(0), 1.0, e)];
    assert_eq!(level(1, &rules).0, None);
}
