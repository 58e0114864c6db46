//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Only the fields callboard
//! emits are modelled (as zizmor does); serde-sarif's generated types were more than needed.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{ValidateReport, line_col};
use crate::diag::{Code, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Results one run carries at most: GitHub code scanning shows no more than 5,000 per run (and
/// rejects a file with more than 25,000). The most important come first (see [`Priority`]); the
/// run's properties and a tool notification say how many were left out.
pub const MAX_RESULTS: usize = 5_000;

/// A rule (a code, or a scorecard rule) as the report declares it.
pub struct SarifRule {
    pub id: String,
    pub short_description: String,
    /// Help shown by code scanning (text and markdown alike).
    pub help: Option<String>,
    pub help_uri: Option<String>,
    pub default_level: Option<&'static str>,
}

/// A suppression of one result: `inSource` (a comment in the file) or `external` (a waiver, a
/// configuration entry), with its justification.
pub struct SarifSuppression {
    pub in_source: bool,
    pub justification: String,
}

/// One result: a finding at a place in a file.
pub struct SarifResult {
    pub rule_id: String,
    pub level: &'static str,
    pub message: String,
    pub location: Option<SarifLocation>,
    pub properties: Option<serde_json::Value>,
    /// Why the result is accepted: it is kept, marked as suppressed.
    pub suppression: Option<SarifSuppression>,
    /// Whether the pull request introduced the result (`score --base`); None: not known.
    pub introduced: Option<bool>,
    /// `new` or `unchanged` against a base revision (`--base`); None without one.
    pub baseline_state: Option<&'static str>,
}

/// The order in which results are kept under [`MAX_RESULTS`], smallest first: what a pull request
/// introduced, then the unsuppressed, then by severity. A new criterion is a new field, placed
/// where it ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Priority {
    /// false sorts first: introduced by the pull request.
    pub not_introduced: bool,
    pub suppressed: bool,
    /// 0 error, 1 warning, 2 note (and anything else).
    pub severity: u8,
}

impl SarifResult {
    pub fn priority(&self) -> Priority {
        Priority {
            not_introduced: self.introduced != Some(true),
            suppressed: self.suppression.is_some(),
            severity: match self.level {
                "error" => 0,
                "warning" => 1,
                _ => 2,
            },
        }
    }
}

/// Where a result is: the file as shown, its start, and its end when known.
pub struct SarifLocation {
    pub uri: String,
    pub line: u32,
    pub column: u32,
    pub end: Option<(u32, u32)>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation>,
    results: Vec<ResultOut>,
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<serde_json::Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleOut {
    id: String,
    short_description: Text,
    /// Code scanning requires it (the SARIF multitool's GH2012): the help, else the short one.
    full_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_configuration: Option<Configuration>,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<Vec<Suppression>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

/// A file as SARIF names it: a relative path stays relative (to the repository, as code
/// scanning expects); an absolute one becomes a `file://` URI, as a relative reference may not
/// begin with a slash (SARIF 3.10.2; the SARIF multitool's SARIF1004).
fn artifact_uri(path: String) -> String {
    if std::path::Path::new(&path).is_absolute() {
        url::Url::from_file_path(&path).map_or(path, String::from)
    } else {
        path
    }
}

/// SARIF's level of a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The one SARIF writer: a log with one run of callboard, `rules` declared in order and each
/// result pointing at its rule by index; at most [`MAX_RESULTS`] results, by [`Priority`] (the
/// order given otherwise). `properties` go on the run.
pub fn log(
    rules: Vec<SarifRule>,
    mut results: Vec<SarifResult>,
    properties: Option<serde_json::Value>,
) -> String {
    let total = results.len();
    results.sort_by_key(SarifResult::priority);
    results.truncate(MAX_RESULTS);
    let omitted = total - results.len();
    let mut properties = properties.unwrap_or_else(|| serde_json::json!({}));
    let invocations = if omitted > 0 {
        properties["resultsTotal"] = total.into();
        properties["resultsOmitted"] = omitted.into();
        vec![Invocation {
            execution_successful: true,
            tool_execution_notifications: vec![Notification {
                level: "note",
                message: Text {
                    text: format!(
                        "{omitted} of {total} results left out: a run carries at most {MAX_RESULTS} \
                         (code scanning's limit), the most severe first; the full list is \
                         `--format json`."
                    ),
                },
            }],
        }]
    } else {
        Vec::new()
    };
    let properties = properties
        .as_object()
        .is_some_and(|o| !o.is_empty())
        .then_some(properties);
    let index: std::collections::HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let results: Vec<ResultOut> = results
        .into_iter()
        .map(|r| ResultOut {
            rule_index: index.get(r.rule_id.as_str()).copied().unwrap_or(0),
            rule_id: r.rule_id,
            level: r.level,
            message: Text { text: r.message },
            locations: r
                .location
                .map(
                    |SarifLocation {
                         uri,
                         line,
                         column,
                         end,
                     }| Location {
                        physical_location: PhysicalLocation {
                            artifact_location: ArtifactLocation {
                                uri: artifact_uri(uri),
                            },
                            region: Region {
                                start_line: line.max(1),
                                start_column: column.max(1),
                                end_line: end.map(|e| e.0),
                                end_column: end.map(|e| e.1),
                            },
                        },
                    },
                )
                .into_iter()
                .collect(),
            suppressions: r.suppression.map(|s| {
                vec![Suppression {
                    kind: if s.in_source { "inSource" } else { "external" },
                    status: "accepted",
                    justification: s.justification,
                }]
            }),
            properties: r.properties,
            baseline_state: r.baseline_state,
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "callboard",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: crate::HOMEPAGE,
                    rules: rules
                        .into_iter()
                        .map(|r| RuleOut {
                            id: r.id,
                            full_description: Text {
                                text: r
                                    .help
                                    .clone()
                                    .unwrap_or_else(|| r.short_description.clone()),
                            },
                            short_description: Text {
                                text: r.short_description,
                            },
                            help: r.help.map(|h| Help {
                                text: h.clone(),
                                markdown: h,
                            }),
                            help_uri: r.help_uri,
                            default_configuration: r
                                .default_level
                                .map(|level| Configuration { level }),
                        })
                        .collect(),
                },
            },
            invocations,
            column_kind: "unicodeCodePoints",
            results,
            properties,
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// `catalog validate --format sarif`: one rule per code used, one result per diagnostic.
pub fn render(report: &ValidateReport) -> String {
    let used: BTreeSet<Code> = report.diagnostics.iter().map(|d| d.code).collect();
    let rules = used
        .iter()
        .map(|c| SarifRule {
            id: c.id().to_string(),
            short_description: c.description().to_string(),
            // Code scanning requires help on every rule (the SARIF multitool's GH2012).
            help: Some(format!(
                "{}\n\nWhat it means and how to fix it: {}",
                c.description(),
                c.docs_url()
            )),
            help_uri: Some(c.docs_url()),
            default_level: Some(level(c.default_severity())),
        })
        .collect();
    let results = report
        .diagnostics
        .iter()
        .map(|d| {
            let (line, col) = line_col(d);
            let end = d
                .span
                .filter(|s| s.end > s.start)
                .map_or((line, col + 1), |s| (s.end.line, s.end.column));
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(" (help: {help})"));
            }
            let (level, baseline_state) = baseline_level(d);
            SarifResult {
                rule_id: d.code.id().to_string(),
                level,
                message: text,
                location: d.file.as_ref().map(|f| SarifLocation {
                    uri: report.display_path(f),
                    line,
                    column: col,
                    end: Some(end),
                }),
                properties: None,
                suppression: d.suppressed.as_ref().map(|s| SarifSuppression {
                    in_source: s.kind == crate::diag::SuppressionKind::Inline,
                    justification: match &s.reason {
                        Some(reason) => format!("{reason} ({})", s.source),
                        None => format!("suppressed at {}", s.source),
                    },
                }),
                introduced: baseline_state.map(|s| s == "new"),
                baseline_state,
            }
        })
        .collect();
    log(rules, results, None)
}

/// A finding's SARIF level and `baselineState`: one the base revision has too is `unchanged`
/// and only a note, since it does not fail the run.
fn baseline_level(d: &crate::diag::Diagnostic) -> (&'static str, Option<&'static str>) {
    match d.baseline {
        None => (level(d.severity), None),
        Some(crate::diag::Baseline::New) => (level(d.severity), Some("new")),
        Some(crate::diag::Baseline::Existing) => ("note", Some("unchanged")),
    }
}
