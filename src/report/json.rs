//! `--format json`: the versioned contract (version 1) documented in docs/validate.md.

use serde::Serialize;

use super::{ValidateReport, line_col};
use crate::diag::{Severity, Summary, Suppression};

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: usize,
    entities: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
    /// With `--fix`: the fixes (additive, the version stays 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: Option<String>,
    line: u32,
    column: u32,
    entity: Option<&'a str>,
    path: Option<&'a str>,
    /// Present when a suppression accepts the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<&'a Suppression>,
    /// With `--base`: `new` or `existing`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

pub fn render(report: &ValidateReport) -> String {
    let out = Output {
        version: VERSION,
        files: report.files,
        entities: report.entities,
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| {
                let (line, column) = line_col(d);
                JsonDiagnostic {
                    code: d.code.id(),
                    severity: d.severity,
                    message: &d.message,
                    file: d.file.as_deref().map(|f| report.display_path(f)),
                    line,
                    column,
                    entity: d.entity.as_deref(),
                    path: d.pointer.as_deref(),
                    suppressed: d.suppressed.as_ref(),
                    baseline: d.baseline.map(crate::diag::Baseline::as_str),
                }
            })
            .collect(),
        summary: report.summary(),
        fix: report.fix.as_ref().map(|f| super::fix::json(f, report)),
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}
