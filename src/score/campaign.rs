//! Campaigns (`spec.campaigns`): a named push to get some of a scorecard's rules passing on a set
//! of entities by a deadline, owned by a group. This module reads and checks them at load time.

use crate::catalog::entity_ref::EntityRef;
use crate::reader::Reader;
use crate::score::model::{AppliesTo, Rule};
use crate::yaml::Node;

#[derive(Debug, Clone)]
pub struct Campaign {
    pub id: String,
    pub title: String,
    /// Rule ids of this scorecard, checked to exist.
    pub rules: Vec<String>,
    /// Narrows the scorecard's own appliesTo (both must match).
    pub applies_to: AppliesTo,
    pub owner: EntityRef,
    /// `YYYY-MM-DD`, checked to be a real date.
    pub deadline: String,
}

/// The keys of one campaign (docs/scorecard.schema.json follows them).
pub const CAMPAIGN_KEYS: &[&str] = &["id", "title", "rules", "appliesTo", "owner", "deadline"];

/// Campaigns one scorecard may hold: each is evaluated over every entity, charted and listed,
/// and a scorecard is repository content.
pub const MAX_CAMPAIGNS: usize = 100;

/// Reads `campaigns:`; every mistake is reported at its line and the campaign is dropped.
pub fn parse(r: &mut Reader, node: &Node, rules: &[Rule]) -> Vec<Campaign> {
    let Some(items) = node.as_seq() else {
        r.error(
            node.span,
            "`campaigns` must be a list of {id, rules, owner, deadline}",
        );
        return Vec::new();
    };
    if items.len() > MAX_CAMPAIGNS {
        r.error(
            node.span,
            format!(
                "`campaigns` has {} campaigns, more than the {MAX_CAMPAIGNS} a scorecard may hold; split them over several scorecards",
                items.len()
            ),
        );
        return Vec::new();
    }
    let rule_ids: Vec<&str> = rules.iter().map(|x| x.id.as_str()).collect();
    let mut campaigns: Vec<Campaign> = Vec::new();
    for item in items {
        if item.as_map().is_none() {
            r.error(
                item.span,
                "a campaign must be a mapping: {id, title, rules, appliesTo, owner, deadline}",
            );
            continue;
        }
        r.only_keys(item, CAMPAIGN_KEYS, "a campaign");
        let id = r.string(item, "id", true);
        let title = r.string(item, "title", false);
        let campaign_rules = campaign_rules(r, item, &rule_ids);
        let applies_to = item
            .get("appliesTo")
            .map(|a| crate::score::target::parse(r, a))
            .unwrap_or_default();
        let owner = r.string(item, "owner", true).and_then(|text| {
            match EntityRef::parse(&text, Some("group"), "default") {
                Ok(owner) if owner.kind() == "group" => Some(owner),
                _ => {
                    r.error(
                        item.get("owner").map_or(item.span, |n| n.span),
                        format!("owner `{text}` must be a group reference, e.g. `group:default/team-a` or `team-a`"),
                    );
                    None
                }
            }
        });
        let deadline = r.string(item, "deadline", true).and_then(|text| {
            if crate::dates::is_date(&text) {
                Some(text)
            } else {
                r.error(
                    item.get("deadline").map_or(item.span, |n| n.span),
                    format!("deadline `{text}` must be a date written YYYY-MM-DD"),
                );
                None
            }
        });
        if let Some(id) = &id
            && campaigns.iter().any(|c| &c.id == id)
        {
            r.error(item.span, format!("campaign id `{id}` is used twice"));
            continue;
        }
        let (Some(id), Some(rules), Some(owner), Some(deadline)) =
            (id, campaign_rules, owner, deadline)
        else {
            continue;
        };
        campaigns.push(Campaign {
            title: title.unwrap_or_else(|| id.clone()),
            id,
            rules,
            applies_to,
            owner,
            deadline,
        });
    }
    campaigns
}

/// A campaign's `rules`: a non-empty list of this scorecard's rule ids.
fn campaign_rules(r: &mut Reader, item: &Node, rule_ids: &[&str]) -> Option<Vec<String>> {
    let Some(node) = item.get("rules") else {
        r.error(
            item.span,
            "`rules` (a list of this scorecard's rule ids) is required",
        );
        return None;
    };
    let errors_before = r.errors.len();
    let ids = r.strings(node, "rules");
    if r.errors.len() > errors_before {
        return None;
    }
    if ids.is_empty() {
        r.error(
            node.span,
            "`rules` must name at least one rule of this scorecard",
        );
        return None;
    }
    let mut ok = true;
    for id in &ids {
        if !rule_ids.contains(&id.as_str()) {
            let hint = crate::suggest::closest(id, rule_ids)
                .map(|near| format!(" (did you mean `{near}`?)"))
                .unwrap_or_default();
            r.error(
                node.span,
                format!("rule `{id}` is not a rule of this scorecard{hint}"),
            );
            ok = false;
        }
    }
    ok.then_some(ids)
}

/// One target entity of a campaign: whether it is done and, if not, what still fails.
#[derive(Debug, Clone)]
pub struct CampaignTarget {
    pub reference: EntityRef,
    /// The `--group-by` keys of the entity (as in [`crate::score::eval::EntityResult`]).
    pub team: Option<String>,
    pub system: Option<String>,
    pub domain: Option<String>,
    /// The campaign's rules that do not pass yet, in the scorecard's order.
    pub failing: Vec<FailingRule>,
}

/// A campaign rule an entity does not pass yet.
#[derive(Debug, Clone)]
pub struct FailingRule {
    /// Index of the rule in its scorecard.
    pub rule: usize,
    pub id: String,
    pub status: crate::score::eval::Status,
    /// The failure message (message.rs).
    pub message: String,
}

impl CampaignTarget {
    pub fn done(&self) -> bool {
        self.failing.is_empty()
    }
}

/// A campaign's progress on one run: its target entities in reference order.
#[derive(Debug, Clone)]
pub struct CampaignProgress {
    /// Index into the scorecard's `campaigns`.
    pub campaign: usize,
    pub targets: Vec<CampaignTarget>,
}

impl CampaignProgress {
    pub fn done(&self) -> usize {
        self.targets.iter().filter(|t| t.done()).count()
    }

    pub fn remaining(&self) -> usize {
        self.targets.len() - self.done()
    }
}

/// Does a rule result count as done for a campaign? Passed, waived, or not applicable (the
/// rule does not concern the entity: nothing to do).
pub fn counts_as_done(status: crate::score::eval::Status) -> bool {
    use crate::score::eval::Status;
    matches!(
        status,
        Status::Pass | Status::Waived | Status::NotApplicable
    )
}

/// The campaign's rules an entity does not pass yet (by the rule results' order).
pub fn failing_rules(
    campaign: &Campaign,
    rules: &[crate::score::eval::RuleResult],
) -> Vec<FailingRule> {
    rules
        .iter()
        .filter(|r| campaign.rules.contains(&r.id) && !counts_as_done(r.status))
        .map(|r| FailingRule {
            rule: r.rule,
            id: r.id.clone(),
            status: r.status,
            message: r.message.clone(),
        })
        .collect()
}

/// Is the campaign past its deadline on `today` (`YYYY-MM-DD`)? From the deadline day on.
pub fn is_due(campaign: &Campaign, today: &str) -> bool {
    today >= campaign.deadline.as_str()
}

/// Whole days from `now` to the start of the deadline day (negative once it has passed).
pub fn days_left(campaign: &Campaign, now: i64) -> Option<i64> {
    let deadline = crate::dates::parse(&campaign.deadline)?;
    let day = crate::dates::SECONDS_PER_DAY;
    Some(deadline.div_euclid(day) - now.div_euclid(day))
}
