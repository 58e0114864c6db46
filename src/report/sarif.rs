//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Only the fields callboard
//! emits are modelled (as zizmor does); serde-sarif's generated types were more than needed.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{ValidateReport, line_col};
use crate::diag::{Code, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

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
    results: Vec<SarifResult>,
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
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text,
    help_uri: String,
    default_configuration: Configuration,
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
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
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
    end_line: u32,
    end_column: u32,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

pub fn render(report: &ValidateReport) -> String {
    let used: BTreeSet<Code> = report.diagnostics.iter().map(|d| d.code).collect();
    let rules: Vec<Code> = used.into_iter().collect();
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
                        .iter()
                        .map(|c| Rule {
                            id: c.id(),
                            short_description: Text {
                                text: c.description().to_string(),
                            },
                            help_uri: c.docs_url(),
                            default_configuration: Configuration {
                                level: level(c.default_severity()),
                            },
                        })
                        .collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: report
                .diagnostics
                .iter()
                .map(|d| {
                    let (line, col) = line_col(d);
                    let (end_line, end_col) = d
                        .span
                        .filter(|s| s.end > s.start)
                        .map_or((line, col + 1), |s| (s.end.line, s.end.column));
                    let mut text = d.message.clone();
                    if let Some(help) = &d.help {
                        text.push_str(&format!(" (help: {help})"));
                    }
                    SarifResult {
                        rule_id: d.code.id(),
                        rule_index: rules.iter().position(|c| *c == d.code).unwrap_or(0),
                        level: level(d.severity),
                        message: Text { text },
                        locations: d
                            .file
                            .as_ref()
                            .map(|f| Location {
                                physical_location: PhysicalLocation {
                                    artifact_location: ArtifactLocation {
                                        uri: report.display_path(f),
                                    },
                                    region: Region {
                                        start_line: line,
                                        start_column: col,
                                        end_line,
                                        end_column: end_col,
                                    },
                                },
                            })
                            .into_iter()
                            .collect(),
                    }
                })
                .collect(),
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
