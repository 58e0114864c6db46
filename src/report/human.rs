//! Human output: a code frame per diagnostic (annotate-snippets), then a summary line.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{ValidateReport, line_col};
use crate::diag::Severity;

/// Byte range, within `line`, of `[start_col, end_col)` (1-based character columns).
fn byte_range(line: &str, start_col: u32, end_col: Option<u32>) -> std::ops::Range<usize> {
    let offset = |col: u32| {
        line.char_indices()
            .nth(col.saturating_sub(1) as usize)
            .map_or(line.len(), |(i, _)| i)
    };
    let start = offset(start_col);
    let end = end_col.map_or(line.len(), offset);
    if end > start {
        start..end
    } else {
        // Zero-width: underline one character (or the end of the line).
        start
            ..line[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8())
    }
}

pub fn render(report: &ValidateReport, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // Line starts per file, computed once: a file can carry thousands of diagnostics.
    let mut line_index: std::collections::HashMap<&std::path::Path, Vec<usize>> =
        std::collections::HashMap::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code.id());
        let path = d.file.as_deref().map(|f| report.display_path(f));
        let source = d.file.as_ref().and_then(|f| report.sources.get(f));
        let (line_no, col) = line_col(d);
        let mut group = Group::with_title(title);
        match (path.as_deref(), source, d.span) {
            (Some(path), Some(text), Some(span)) => {
                let starts = line_index
                    .entry(d.file.as_deref().expect("matched Some above"))
                    .or_insert_with(|| {
                        std::iter::once(0)
                            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                            .collect()
                    });
                let line = starts
                    .get(line_no as usize - 1)
                    .map(|&from| {
                        let rest = &text[from..];
                        let line = rest.split('\n').next().unwrap_or("");
                        line.strip_suffix('\r').unwrap_or(line)
                    })
                    .unwrap_or("");
                let end = (span.end.line == span.start.line && span.end.column > span.start.column)
                    .then_some(span.end.column);
                let range = byte_range(line, col, end);
                group = group.element(
                    Snippet::source(line)
                        .line_start(line_no as usize)
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(range)),
                );
            }
            (Some(path), _, _) => {
                group = group.element(Level::NOTE.message(format!("in {path}")));
            }
            _ => {}
        }
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    let s = report.summary();
    out.push_str(&format!(
        "{} {}, {} {}: {} {}, {} {}, {} {}\n",
        report.files,
        if report.files == 1 { "file" } else { "files" },
        report.entities,
        if report.entities == 1 {
            "entity"
        } else {
            "entities"
        },
        s.errors,
        if s.errors == 1 { "error" } else { "errors" },
        s.warnings,
        if s.warnings == 1 {
            "warning"
        } else {
            "warnings"
        },
        s.notes,
        if s.notes == 1 { "note" } else { "notes" },
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn ranges_respect_multibyte_characters() {
        assert_eq!(byte_range("  name: ä b", 9, Some(10)), 8..10);
        assert_eq!(byte_range("abc", 4, None), 3..3);
        assert_eq!(byte_range("abc", 2, None), 1..3);
    }
}
