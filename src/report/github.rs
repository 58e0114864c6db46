//! GitHub Actions workflow commands (`::error file=…::message`): the one annotation writer of
//! every command (`catalog validate --format github`, `scaffold lint --format github`).

use super::{ValidateReport, line_col};
use crate::diag::{Code, Severity};

use super::escape::{workflow_data as escape_data, workflow_property as escape_property};

/// One annotation. `location` is (file as shown, line, column); the title is the code's id.
pub fn annotation(
    severity: Severity,
    location: Option<(&str, u32, u32)>,
    code: Code,
    message: &str,
) -> String {
    let command = match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = Vec::new();
    if let Some((file, line, col)) = location {
        props.push(format!("file={}", escape_property(file)));
        props.push(format!("line={line}"));
        props.push(format!("col={col}"));
    }
    props.push(format!("title={}", escape_property(code.id())));
    format!(
        "::{command} {}::{}\n",
        props.join(","),
        escape_data(message)
    )
}

pub fn render(report: &ValidateReport) -> String {
    let mut out = String::new();
    // A suppressed finding is accepted: no annotation.
    for d in report.diagnostics.iter().filter(|d| d.suppressed.is_none()) {
        let (line, col) = line_col(d);
        let file = d.file.as_ref().map(|f| report.display_path(f));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        // A problem the base revision has too does not fail the run: a notice, said so.
        let severity = if d.baseline == Some(crate::diag::Baseline::Existing) {
            message.insert_str(0, "exists at the base revision too: ");
            Severity::Note
        } else {
            d.severity
        };
        out.push_str(&annotation(
            severity,
            file.as_deref().map(|f| (f, line, col)),
            d.code,
            &message,
        ));
    }
    out
}
