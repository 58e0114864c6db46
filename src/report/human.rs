//! Human output: a code frame per diagnostic (annotate-snippets), then a summary line.

use std::collections::HashMap;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{ValidateReport, escape, line_col};
use crate::diag::{Code, Diagnostic, Severity};

/// Bytes of a source line a code frame shows on each side of the underlined span; a longer
/// line is cut (with `…`). Rendering a frame costs time in the length of the line shown, so
/// without the cut a file of one long line with many findings took quadratic time.
pub const SNIPPET_CONTEXT_BYTES: usize = 80;

/// Longest underline a code frame draws, in bytes of the source line.
pub const SNIPPET_MAX_SPAN_BYTES: usize = 160;

/// One source line, with the byte offset of each character when it is not ASCII (so a
/// column maps to a byte in constant time, however many findings the line has).
struct LineView<'a> {
    text: &'a str,
    char_starts: Option<Vec<usize>>,
}

impl<'a> LineView<'a> {
    fn new(text: &'a str) -> Self {
        let char_starts = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        LineView { text, char_starts }
    }

    /// Byte offset of 1-based character column `col` (the line's end past the last one).
    fn offset(&self, col: u32) -> usize {
        let index = col.saturating_sub(1) as usize;
        match &self.char_starts {
            None => index.min(self.text.len()),
            Some(starts) => starts.get(index).copied().unwrap_or(self.text.len()),
        }
    }

    /// Byte range of `[start_col, end_col)`; a zero-width range underlines one character.
    fn byte_range(&self, start_col: u32, end_col: Option<u32>) -> std::ops::Range<usize> {
        let line = self.text;
        let start = self.offset(start_col);
        let end = end_col.map_or(line.len(), |c| self.offset(c));
        if end > start {
            start..end
        } else {
            start
                ..line[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8())
        }
    }
}

/// The largest char boundary of `s` at or below `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The part of `line` a code frame shows for `range`, escaped, and the range within it.
fn frame_text(line: &str, range: std::ops::Range<usize>) -> (String, std::ops::Range<usize>) {
    let span_end = floor_boundary(line, range.end.min(range.start + SNIPPET_MAX_SPAN_BYTES));
    let span_end = if span_end <= range.start {
        range.end
    } else {
        span_end
    };
    let from = floor_boundary(line, range.start.saturating_sub(SNIPPET_CONTEXT_BYTES));
    let to = floor_boundary(line, span_end + SNIPPET_CONTEXT_BYTES);
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    shown.push_str(&escape::control(&line[from..range.start]));
    let start = shown.len();
    shown.push_str(&escape::control(&line[range.start..span_end]));
    let end = shown.len();
    shown.push_str(&escape::control(&line[span_end..to]));
    if to < line.len() {
        shown.push('…');
    }
    (shown, start..end)
}

pub fn render(report: &ValidateReport, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // Line starts per file and the lines with findings, computed once: a file can carry
    // thousands of diagnostics, many on one line.
    let mut line_index: HashMap<&Path, Vec<usize>> = HashMap::new();
    let mut lines: HashMap<(&Path, u32), LineView<'_>> = HashMap::new();
    for same in problems(&report.diagnostics) {
        let d = same[0];
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let mut message = escape::control(&d.message);
        if d.baseline == Some(crate::diag::Baseline::Existing) {
            message
                .to_mut()
                .push_str(" (exists at the base revision too)");
        }
        let title = level.primary_title(message.as_ref()).id(d.code.id());
        let path = d
            .file
            .as_deref()
            .map(|f| escape::control(&report.display_path(f)).into_owned());
        let source = d.file.as_ref().and_then(|f| report.sources.get(f));
        let (line_no, col) = line_col(d);
        let mut group = Group::with_title(title);
        match (path.as_deref(), source, d.span) {
            (Some(path), Some(text), Some(span)) => {
                let file = d.file.as_deref().expect("matched Some above");
                let view = lines.entry((file, line_no)).or_insert_with(|| {
                    let starts = line_index.entry(file).or_insert_with(|| {
                        std::iter::once(0)
                            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                            .collect()
                    });
                    let line = starts
                        .get(line_no as usize - 1)
                        .map(|&from| {
                            let to = starts
                                .get(line_no as usize)
                                .map_or(text.len(), |&next| next - 1);
                            let line = &text[from..to];
                            line.strip_suffix('\r').unwrap_or(line)
                        })
                        .unwrap_or("");
                    LineView::new(line)
                });
                let end = (span.end.line == span.start.line && span.end.column > span.start.column)
                    .then_some(span.end.column);
                let (shown, range) = frame_text(view.text, view.byte_range(col, end));
                group = group.element(
                    Snippet::source(shown)
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
        if same.len() > 1 {
            let places: Vec<String> = same[1..]
                .iter()
                .take(MAX_PLACES_LISTED)
                .map(|o| place(report, o))
                .collect();
            let more = same.len() - 1 - places.len();
            let more = if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            };
            group = group.element(Level::NOTE.message(format!(
                "the same problem at {} more place{}: {}{more}",
                same.len() - 1,
                if same.len() == 2 { "" } else { "s" },
                places.join(", ")
            )));
        }
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(escape::control(help)));
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
    if s.suppressed > 0 {
        out.insert_str(
            out.len() - 1,
            &format!(", {} suppressed (see --format json)", s.suppressed),
        );
    }
    out.push_str(&baseline_line(report));
    out
}

/// How many further places of one problem the text report lists before "and N more".
pub const MAX_PLACES_LISTED: usize = 20;

/// The findings to show, one problem at a time: findings with the same code, severity and
/// message (forty files naming the same missing system) are one problem with several places,
/// in the order of their first place. Suppressed findings are left out.
pub fn problems(diagnostics: &[Diagnostic]) -> Vec<Vec<&Diagnostic>> {
    let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
    // With --base, a problem's new and existing places are told apart.
    type Key<'a> = (Code, Severity, &'a str, Option<crate::diag::Baseline>);
    let mut index: HashMap<Key<'_>, usize> = HashMap::new();
    for d in diagnostics.iter().filter(|d| d.suppressed.is_none()) {
        match index.entry((d.code, d.severity, d.message.as_str(), d.baseline)) {
            std::collections::hash_map::Entry::Occupied(e) => groups[*e.get()].push(d),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(groups.len());
                groups.push(vec![d]);
            }
        }
    }
    groups
}

/// `file:line:column` of a finding, escaped, or its file alone.
fn place(report: &ValidateReport, d: &Diagnostic) -> String {
    let (line, col) = line_col(d);
    match &d.file {
        Some(f) => {
            escape::control(&format!("{}:{line}:{col}", report.display_path(f))).into_owned()
        }
        None => "(no file)".to_string(),
    }
}

/// `catalog validate --format markdown`: the verdict and counts, then the findings, errors
/// first, cut to the budget (the one bounded markdown builder, report/markdown.rs).
pub fn markdown(report: &ValidateReport, limit: super::markdown::MarkdownLimit) -> String {
    // One problem at several places is one finding with its places, as in the text report.
    // With --base, only what the change introduces is listed (the rest is counted).
    let existing = |d: &&Diagnostic| d.baseline == Some(crate::diag::Baseline::Existing);
    let shown: Vec<Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| !existing(d))
        .cloned()
        .collect();
    let existing_count = report
        .diagnostics
        .iter()
        .filter(|d| existing(d) && d.suppressed.is_none())
        .count();
    let groups = problems(&shown);
    let findings = groups.iter().map(|same| {
        let d = same[0];
        let at = |d: &Diagnostic| {
            let (line, col) = line_col(d);
            d.file
                .as_ref()
                .map(|f| format!("{}:{line}:{col}", report.display_path(f)))
                .unwrap_or_default()
        };
        let mut place = at(d);
        if same.len() > 1 {
            let listed: Vec<String> = same[1..]
                .iter()
                .take(MARKDOWN_PLACES_LISTED)
                .map(|o| at(o))
                .collect();
            let more = same.len() - 1 - listed.len();
            place.push_str(&format!(
                " and {} more: {}{}",
                same.len() - 1,
                listed.join(", "),
                if more > 0 {
                    format!(", and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        super::markdown::Finding {
            severity: d.severity,
            place,
            code: d.code,
            message: &d.message,
            help: d.help.as_deref(),
            places: same.len(),
        }
    });
    let suppressed = report.summary().suppressed;
    super::markdown::findings(
        "Catalog validation",
        &format!(
            "{} files, {} entities{}{}",
            report.files,
            report.entities,
            if suppressed > 0 {
                format!(" ({suppressed} findings suppressed)")
            } else {
                String::new()
            },
            match &report.base {
                Some(base) =>
                    format!("; against {base}: {existing_count} existing problems not listed"),
                None => String::new(),
            }
        ),
        findings,
    )
    .render(limit)
}

/// How many further places of one problem a markdown finding lists (the budget is tighter there).
const MARKDOWN_PLACES_LISTED: usize = 5;

/// With `--base`: how many findings are new (these decide the exit status) and how many the
/// base revision has too.
fn baseline_line(report: &ValidateReport) -> String {
    let Some(base) = &report.base else {
        return String::new();
    };
    let new = crate::diag::Summary::of_new(&report.diagnostics);
    let existing = report
        .diagnostics
        .iter()
        .filter(|d| d.suppressed.is_none() && d.baseline == Some(crate::diag::Baseline::Existing))
        .count();
    format!(
        "against {}: {} new, {existing} existing (only new problems count for the exit status)\n",
        escape::control(base),
        new.errors + new.warnings + new.notes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_respect_multibyte_characters() {
        assert_eq!(LineView::new("  name: ä b").byte_range(9, Some(10)), 8..10);
        assert_eq!(LineView::new("abc").byte_range(4, None), 3..3);
        assert_eq!(LineView::new("abc").byte_range(2, None), 1..3);
    }

    #[test]
    fn long_lines_are_cut_around_the_span_and_escaped() {
        let line = format!("{}é\u{1b}[2Jbad{}", "a".repeat(1_000), "b".repeat(1_000));
        let view = LineView::new(&line);
        let start = 1_002; // `\u{1b}` is column 1002
        let (shown, range) = frame_text(&line, view.byte_range(start, Some(start + 7)));
        assert!(shown.len() < 2 * SNIPPET_CONTEXT_BYTES + 40, "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(&shown[range], "\\u{1b}[2Jbad");
        assert!(!shown.contains('\u{1b}'));
    }
}
