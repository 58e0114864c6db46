//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Only the fields callboard
//! emits are modelled (as zizmor does); serde-sarif's generated types were more than needed.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{ValidateReport, line_col};
use crate::diag::{Code, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A rule (a code, or a scorecard rule) as the report declares it.
pub struct SarifRule {
    pub id: String,
    pub short_description: String,
    /// Help shown by code scanning (text and markdown alike).
    pub help: Option<String>,
    pub help_uri: Option<String>,
    pub default_level: Option<&'static str>,
}

/// One result: a finding at a place in a file.
pub struct SarifResult {
    pub rule_id: String,
    pub level: &'static str,
    pub message: String,
    pub location: Option<SarifLocation>,
    pub properties: Option<serde_json::Value>,
    /// `new` or `unchanged` against a base revision (`--base`); None without one.
    pub baseline_state: Option<&'static str>,
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
    results: Vec<ResultOut>,
    column_kind: &'static str,
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

/// SARIF's level of a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The one SARIF writer: a log with one run of callboard, `rules` declared in order and each
/// result pointing at its rule by index.
pub fn log(rules: Vec<SarifRule>, results: Vec<SarifResult>) -> String {
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
                            artifact_location: ArtifactLocation { uri },
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
            column_kind: "unicodeCodePoints",
            results,
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
            help: None,
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
                baseline_state,
            }
        })
        .collect();
    log(rules, results)
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
