//! The one bounded markdown builder of every markdown report (score, validate, scaffold lint,
//! adoption). GitHub refuses a pull-request comment over 65,536 characters and hides a step
//! summary over 1 MiB, so a report is laid out by priority and cut to a byte budget: the summary
//! first, then the optional "changes" section, then sections in the order given, each cut with
//! a "N more …" line once the budget runs out. Whatever the catalog size, the result fits.

/// GitHub's limit on a pull-request comment body (characters; bytes are never fewer).
pub const COMMENT_LIMIT: usize = 65_536;
/// GitHub's limit on one step's `$GITHUB_STEP_SUMMARY` (bytes).
pub const SUMMARY_LIMIT: usize = 1_048_576;
/// Room kept free under either limit for what the Action adds around the report (the hidden
/// comment marker, the exit-status footer).
pub const WRAPPER_RESERVE: usize = 1_024;
/// The smallest budget `--markdown-limit BYTES` accepts: a summary and a cut note must fit.
pub const MIN_LIMIT: usize = 2_048;
/// A summary never takes more than this share (1/N) of the budget: the entities come next.
const SUMMARY_SHARE: usize = 4;
/// Room kept per section for its "N more …" line (the line is cut to fit).
const MORE_LINE_RESERVE: usize = 200;

/// How many bytes a markdown report may take: `--markdown-limit comment|summary|BYTES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MarkdownLimit {
    /// A pull-request comment (65,536 characters, less [`WRAPPER_RESERVE`]).
    Comment,
    /// A step summary (1 MiB, less [`WRAPPER_RESERVE`]); the default.
    #[default]
    Summary,
    /// An explicit number of bytes (at least [`MIN_LIMIT`]).
    Bytes(usize),
}

impl MarkdownLimit {
    pub fn bytes(self) -> usize {
        match self {
            MarkdownLimit::Comment => COMMENT_LIMIT - WRAPPER_RESERVE,
            MarkdownLimit::Summary => SUMMARY_LIMIT - WRAPPER_RESERVE,
            MarkdownLimit::Bytes(n) => n,
        }
    }
}

impl std::str::FromStr for MarkdownLimit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "comment" => Ok(MarkdownLimit::Comment),
            "summary" => Ok(MarkdownLimit::Summary),
            n => match n.parse::<usize>() {
                Ok(n) if n >= MIN_LIMIT => Ok(MarkdownLimit::Bytes(n)),
                Ok(_) => Err(format!(
                    "a budget under {MIN_LIMIT} bytes cannot hold a report"
                )),
                Err(_) => Err("expected comment, summary or a number of bytes".to_string()),
            },
        }
    }
}

/// One part of a report after the summary: a heading, blocks in priority order, and what closes
/// the section. Blocks that do not fit are counted in one "N more NOUN" line.
#[derive(Debug, Default)]
pub struct Section {
    /// Written before the first block (e.g. a heading and a table header).
    pub heading: String,
    pub blocks: Vec<String>,
    /// Written after the last block shown (e.g. a blank line ending a table).
    pub closing: String,
    /// What a block is, plural, for the "N more" line (e.g. "entities with problems").
    pub noun: String,
}

impl Section {
    pub fn new(heading: impl Into<String>, noun: impl Into<String>) -> Section {
        Section {
            heading: heading.into(),
            blocks: Vec::new(),
            closing: "\n".to_string(),
            noun: noun.into(),
        }
    }

    pub fn push(&mut self, block: impl Into<String>) {
        self.blocks.push(block.into());
    }
}

/// A markdown report laid out by priority. Build it, then [`BoundedMarkdown::render`] it.
#[derive(Debug, Default)]
pub struct BoundedMarkdown {
    summary: String,
    /// The "What this pull request changes" section (`score --base`): it comes right after the
    /// summary, before every other section.
    changes: Option<String>,
    sections: Vec<Section>,
    footer: String,
}

impl BoundedMarkdown {
    /// A report whose summary (verdict, counts) comes first and is always shown.
    pub fn new(summary: impl Into<String>) -> BoundedMarkdown {
        BoundedMarkdown {
            summary: summary.into(),
            ..Default::default()
        }
    }

    /// The place of the optional "What this pull request changes" section: right after the
    /// summary, before any other section, cut only when it alone would not fit.
    pub fn set_changes(&mut self, changes: impl Into<String>) {
        self.changes = Some(changes.into());
    }

    pub fn section(&mut self, section: Section) {
        if !section.blocks.is_empty() {
            self.sections.push(section);
        }
    }

    /// Text at the end (notes), kept when it fits in what is reserved for it.
    pub fn footer(&mut self, footer: impl Into<String>) {
        self.footer = footer.into();
    }

    /// The report, at most `limit` bytes.
    pub fn render(&self, limit: MarkdownLimit) -> String {
        let limit = limit.bytes();
        let more_reserve = MORE_LINE_RESERVE * self.sections.len();
        let footer = cut_lines(&self.footer, limit / SUMMARY_SHARE / 2, "notes");
        let mut out = cut_lines(&self.summary, limit / SUMMARY_SHARE, "summary lines");
        if let Some(changes) = &self.changes {
            let room = limit.saturating_sub(out.len() + footer.len() + more_reserve);
            out.push_str(&cut_lines(changes, room, "changes"));
        }
        // Bytes that stay reserved for the "N more" lines of the sections not yet written.
        let mut reserved = footer.len() + more_reserve;
        let mut cut = false;
        for s in &self.sections {
            reserved -= MORE_LINE_RESERVE;
            let mut shown = 0;
            if !cut {
                let room = |out: &String| limit.saturating_sub(out.len() + reserved);
                let fixed = s.heading.len() + s.closing.len() + MORE_LINE_RESERVE;
                if s.heading.len() + s.blocks[0].len() + fixed <= room(&out) {
                    out.push_str(&s.heading);
                    for b in &s.blocks {
                        let last = shown + 1 == s.blocks.len();
                        // The last block needs no room for a "more" line after it.
                        let after = s.closing.len() + if last { 0 } else { MORE_LINE_RESERVE };
                        if b.len() + after > room(&out) {
                            break;
                        }
                        out.push_str(b);
                        shown += 1;
                    }
                    out.push_str(&s.closing);
                }
                cut = shown < s.blocks.len();
            }
            let hidden = s.blocks.len() - shown;
            if hidden > 0 {
                let line = format!(
                    "_… {hidden} more {} not shown: this report is cut to {limit} bytes; \
                     the full report is `--format json`._\n\n",
                    s.noun
                );
                out.push_str(truncate_at_char(&line, MORE_LINE_RESERVE));
            }
        }
        out.push_str(&footer);
        if out.len() > limit {
            // Only a tiny budget with many sections gets here (their "more" lines add up):
            // cut at the last whole line that fits.
            let keep = truncate_at_char(&out, limit);
            let end = keep.rfind('\n').map_or(keep.len(), |i| i + 1);
            out.truncate(end);
        }
        out
    }
}

/// One finding of `catalog validate` or `scaffold lint`, as a markdown row shows it.
pub struct Finding<'a> {
    pub severity: crate::diag::Severity,
    /// `file:line:column`, or empty when the finding has no place.
    pub place: String,
    pub code: crate::diag::Code,
    pub message: &'a str,
    pub help: Option<&'a str>,
    /// How many places the finding stands for (one problem found at several places is one row).
    pub places: usize,
}

/// The markdown of a list of findings (validate, scaffold lint): the verdict and counts, then
/// a table per severity, errors first.
pub fn findings<'a>(
    title: &str,
    context: &str,
    findings: impl IntoIterator<Item = Finding<'a>>,
) -> BoundedMarkdown {
    use crate::diag::Severity;
    use crate::report::escape::markdown as escape;
    let mut by_severity: [Vec<Finding<'a>>; 3] = Default::default();
    for f in findings {
        let slot = match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        };
        by_severity[slot].push(f);
    }
    let [errors, warnings, notes] = by_severity
        .each_ref()
        .map(|list| list.iter().map(|f| f.places).sum::<usize>());
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let mut md = BoundedMarkdown::new(format!(
        "## {title}: {}\n\n{}: {}, {}, {}.\n\n",
        if errors == 0 {
            "passed ✅"
        } else {
            "failed ❌"
        },
        escape(context),
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(notes, "note"),
    ));
    for (name, list) in ["Errors", "Warnings", "Notes"].iter().zip(by_severity) {
        let mut section = Section::new(
            format!("### {name}\n\n| where | code | message |\n|---|---|---|\n"),
            name.to_lowercase(),
        );
        for f in list {
            let mut message = escape(f.message);
            if let Some(help) = f.help {
                message.push_str(&format!(" _help: {}_", escape(help)));
            }
            section.push(format!(
                "| {} | [`{}`]({}) | {} |\n",
                if f.place.is_empty() {
                    "–".to_string()
                } else {
                    format!("`{}`", escape(&f.place).replace('`', "'"))
                },
                f.code.id(),
                f.code.docs_url(),
                message.replace('\n', " "),
            ));
        }
        md.section(section);
    }
    md
}

/// `text` whole when it fits in `room` bytes, else its first lines and a line counting the rest.
fn cut_lines(text: &str, room: usize, noun: &str) -> String {
    if text.len() <= room {
        return text.to_string();
    }
    let total = text.lines().count();
    let mut out = String::new();
    let mut kept = 0;
    for line in text.split_inclusive('\n') {
        if out.len() + line.len() + MORE_LINE_RESERVE > room {
            break;
        }
        out.push_str(line);
        kept += 1;
    }
    let note = format!("\n_… {} more {noun} not shown._\n\n", total - kept);
    out.push_str(truncate_at_char(&note, room.saturating_sub(out.len())));
    out
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
pub fn truncate_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(entities: usize) -> BoundedMarkdown {
        let mut md = BoundedMarkdown::new("## Verdict\n\n3 errors\n\n");
        let mut problems = Section::new("### Problems\n\n| a | b |\n|---|---|\n", "problems");
        for i in 0..entities {
            problems.push(format!("| `component:default/service-{i}` | failing |\n"));
        }
        md.section(problems);
        let mut rest = Section::new("### Rest\n\n", "entities");
        for i in 0..entities {
            rest.push(format!("- ok {i}\n"));
        }
        md.section(rest);
        md.footer("> note: something\n");
        md
    }

    #[test]
    fn a_small_report_is_whole() {
        let text = report(3).render(MarkdownLimit::Comment);
        assert!(text.starts_with("## Verdict"));
        assert!(text.contains("service-2") && text.contains("- ok 2"));
        assert!(!text.contains("more"), "{text}");
        assert!(text.ends_with("> note: something\n"));
    }

    #[test]
    fn a_large_report_is_cut_in_priority_order_within_every_budget() {
        let md = report(50_000);
        for limit in [
            MarkdownLimit::Bytes(MIN_LIMIT),
            MarkdownLimit::Bytes(10_000),
            MarkdownLimit::Comment,
            MarkdownLimit::Summary,
        ] {
            let text = md.render(limit);
            assert!(text.len() <= limit.bytes(), "{limit:?}: {}", text.len());
            assert!(text.starts_with("## Verdict"));
            assert!(text.contains("more problems not shown"), "{limit:?}");
            assert!(text.contains("50000 more entities not shown"), "{limit:?}");
            assert!(text.ends_with("> note: something\n"));
        }
        let comment = md.render(MarkdownLimit::Comment);
        assert!(comment.len() > COMMENT_LIMIT - WRAPPER_RESERVE - 1_000);
    }

    #[test]
    fn the_changes_section_comes_right_after_the_summary() {
        let mut md = report(2);
        md.set_changes("### What this pull request changes\n\n- new\n\n");
        let text = md.render(MarkdownLimit::Summary);
        let changes = text.find("What this pull request changes").unwrap();
        assert!(changes < text.find("### Problems").unwrap());
        assert!(text.find("## Verdict").unwrap() < changes);
    }

    #[test]
    fn a_huge_summary_is_cut_too() {
        let summary: String = (0..100_000).map(|i| format!("- reason {i}\n")).collect();
        let text = BoundedMarkdown::new(summary).render(MarkdownLimit::Comment);
        assert!(text.len() <= MarkdownLimit::Comment.bytes());
        assert!(text.contains("more summary lines not shown"));
    }

    #[test]
    fn budgets_parse_and_a_tiny_one_is_refused() {
        assert_eq!("comment".parse(), Ok(MarkdownLimit::Comment));
        assert_eq!("summary".parse(), Ok(MarkdownLimit::Summary));
        assert_eq!("5000".parse(), Ok(MarkdownLimit::Bytes(5000)));
        assert!("100".parse::<MarkdownLimit>().is_err());
        assert!("big".parse::<MarkdownLimit>().is_err());
        assert_eq!(truncate_at_char("aé", 2), "a");
    }
}
