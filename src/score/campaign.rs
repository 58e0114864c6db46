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

/// Reads `campaigns:`; every mistake is reported at its line and the campaign is dropped.
pub fn parse(r: &mut Reader, node: &Node, rules: &[Rule]) -> Vec<Campaign> {
    let Some(items) = node.as_seq() else {
        r.error(
            node.span,
            "`campaigns` must be a list of {id, rules, owner, deadline}",
        );
        return Vec::new();
    };
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
