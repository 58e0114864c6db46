//! The ids of the adoption report's metrics, as they appear in its JSON (`metrics[].id`,
//! `series[].id`) and in docs/adoption.md. Producers and readers name them through these
//! constants, so a typo is a compile error rather than a metric that is silently missing.
//! Ids with a variable part are built from a prefix: `catalog.entities.<kind>`,
//! `catalog.metadata.<fact>`, `scorecard.<rule>`, `scorecard.level.<level>`.

// From the catalog snapshot.
pub const CATALOG_API_COVERAGE: &str = "catalog.api_coverage";
pub const CATALOG_DOCS: &str = "catalog.docs";
pub const CATALOG_ENTITIES: &str = "catalog.entities";
pub const CATALOG_HEALTH: &str = "catalog.health";
pub const CATALOG_HEALTH_ENTITIES_WITH_ERRORS: &str = "catalog.health.entities_with_errors";
pub const CATALOG_OWNERSHIP: &str = "catalog.ownership";
pub const CATALOG_OWNERSHIP_DANGLING: &str = "catalog.ownership.dangling";
pub const CATALOG_OWNERSHIP_UNOWNED: &str = "catalog.ownership.unowned";
pub const CATALOG_OWNERSHIP_UNVERIFIABLE: &str = "catalog.ownership.unverifiable";
pub const CATALOG_STRUCTURE: &str = "catalog.structure";
pub const CATALOG_TEAM_COVERAGE: &str = "catalog.team_coverage";
pub const CATALOG_TEAM_OWNED: &str = "catalog.team_owned";
pub const CATALOG_TEAMS: &str = "catalog.teams";
pub const CATALOG_TEAMS_OWNING: &str = "catalog.teams_owning";

// From git history: who changes the catalog.
pub const PEOPLE_CATALOG_COMMITS: &str = "people.catalog_commits";
pub const PEOPLE_CONTRIBUTORS: &str = "people.contributors";
pub const PEOPLE_CONTRIBUTORS_NEW: &str = "people.contributors.new";
pub const PEOPLE_CONTRIBUTORS_RETURNING: &str = "people.contributors.returning";
pub const PEOPLE_IDENTITY_UNRESOLVED: &str = "people.identity.unresolved";
pub const PEOPLE_PENETRATION: &str = "people.penetration";
pub const PEOPLE_RETURNING: &str = "people.returning";
pub const PEOPLE_SELF_SERVICE: &str = "people.self_service";

// From the scorecards.
pub const SCORECARD_PASS_RATE: &str = "scorecard.pass_rate";
pub const SCORECARD_PASS_RATE_CHANGE: &str = "scorecard.pass_rate_change";

// From usage data (`--usage`).
pub const USAGE_ACTIVE_USERS: &str = "usage.active_users";
pub const USAGE_DAU: &str = "usage.dau";
pub const USAGE_EVENTS: &str = "usage.events";
pub const USAGE_HABITUAL: &str = "usage.habitual";
pub const USAGE_IDENTITY_UNRESOLVED: &str = "usage.identity.unresolved";
pub const USAGE_MAU: &str = "usage.mau";
pub const USAGE_PILLAR_AUTOMATION: &str = "usage.pillar.automation";
pub const USAGE_PILLAR_VISIBILITY: &str = "usage.pillar.visibility";
pub const USAGE_RETENTION: &str = "usage.retention";
pub const USAGE_STICKINESS: &str = "usage.stickiness";
pub const USAGE_TEAM_COVERAGE: &str = "usage.team_coverage";
pub const USAGE_TIME_SAVED: &str = "usage.time_saved";
pub const USAGE_USERS_NEW: &str = "usage.users.new";
pub const USAGE_USERS_RETURNING: &str = "usage.users.returning";
pub const USAGE_WAU: &str = "usage.wau";
