//! Suppressions where the problem is: `# callboard-ignore: CODE[, CODE…] [-- reason]` comments in
//! catalog files, and `suppress:` entries of `.callboard.yaml` for whole paths. A suppressed
//! finding is kept (JSON and SARIF show it as suppressed) but does not count; a suppression
//! that matches nothing is itself reported, so stale ones do not pile up.
//!
//! A trailing comment covers the findings on its line. A comment on a line of its own covers
//! the next line with content; placed before the first line of a document (above
//! `apiVersion`), it covers the whole entity.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Suppression, SuppressionKind};

const MARKER: &str = "callboard-ignore";

/// What a comment covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The findings that start on this 1-based line.
    Line(u32),
    /// Every finding of the document with this index.
    Document(usize),
    /// Nothing follows the comment.
    Nothing,
}

/// One `# callboard-ignore` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Where the comment starts (1-based).
    pub line: u32,
    pub column: u32,
    pub scope: Scope,
    /// The codes it names; empty: every code.
    pub codes: Vec<Code>,
    /// Names that are no code, reported with a suggestion.
    pub unknown: Vec<String>,
    pub reason: Option<String>,
}

/// Whether a file's text may hold directives (a cheap test before [`parse`]).
pub fn mentions_directive(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_some()
}

/// The directives of a file. `document_starts` holds the 1-based line of each document's first
/// content (its root node), by document index.
pub fn parse(text: &str, document_starts: &[u32]) -> Vec<Directive> {
    let lines: Vec<&str> = text.lines().collect();
    let is_content = |l: &str| {
        let t = l.trim_start();
        !t.is_empty() && !t.starts_with('#') && !t.starts_with("---") && !t.starts_with("...")
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(hash) = comment_start(line) else {
            continue;
        };
        let comment = line[hash + 1..].trim_start();
        let Some(rest) = comment.strip_prefix(MARKER) else {
            continue;
        };
        // `callboard-ignore-next` or other words are not this directive.
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_') {
            continue;
        }
        let rest = rest.trim_start();
        let (codes_text, reason) = match rest.strip_prefix(':') {
            Some(list) => match list.split_once("--") {
                Some((codes, reason)) => (codes, Some(reason.trim().to_string())),
                None => (list, None),
            },
            None => ("", rest.strip_prefix("--").map(|r| r.trim().to_string())),
        };
        let mut codes = Vec::new();
        let mut unknown = Vec::new();
        for name in codes_text
            .split([',', ' '])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            match Code::from_id(name) {
                Some(code) => codes.push(code),
                None => unknown.push(name.to_string()),
            }
        }
        let line_no = i as u32 + 1;
        let trailing = !line[..hash].trim().is_empty();
        let scope = if trailing {
            Scope::Line(line_no)
        } else {
            match lines[i + 1..].iter().position(|l| is_content(l)) {
                None => Scope::Nothing,
                Some(offset) => {
                    let target = line_no + offset as u32 + 1;
                    match document_starts.iter().position(|&start| start == target) {
                        Some(document) => Scope::Document(document),
                        None => Scope::Line(target),
                    }
                }
            }
        };
        out.push(Directive {
            line: line_no,
            column: line[..hash].chars().count() as u32 + 1,
            scope,
            codes,
            unknown,
            reason: reason.filter(|r| !r.is_empty()),
        });
    }
    out
}

/// Where a YAML comment starts on a line: a `#` at the start or after white space, outside
/// quotes. (A `#` inside a block scalar is read as a comment too; naming the marker there is
/// unlikely enough to accept.)
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            // `''` inside single quotes is an escaped quote.
            Some('\'') if c == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                chars.next();
            }
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' && previous.is_whitespace() => return Some(i),
            None if (c == '"' || c == '\'')
                && (previous.is_whitespace() || "[{,:".contains(previous)) =>
            {
                quote = Some(c)
            }
            None => {}
        }
        previous = c;
    }
    None
}

/// The inline directives of one file, as the loader kept them.
pub struct FileDirectives<'a> {
    pub path: &'a Path,
    pub directives: &'a [Directive],
}

/// Marks every finding a directive or a `suppress:` entry covers, and returns an
/// `unused-suppression` finding for each suppression that covers nothing. `active` tells
/// whether a code is reported in this run (profile, configured severities): a suppression of a
/// code that is off is not unused. `cwd` resolves the findings' relative paths.
pub fn apply(
    diagnostics: &mut [Diagnostic],
    files: &[FileDirectives<'_>],
    config: &Config,
    cwd: &Path,
    active: impl Fn(Code) -> bool,
) -> Vec<Diagnostic> {
    let by_file: HashMap<&Path, &[Directive]> =
        files.iter().map(|f| (f.path, f.directives)).collect();
    // (file, directive index, code) → used; code None stands for "every code".
    let mut used_inline: HashMap<(&Path, usize), Vec<Code>> = HashMap::new();
    let mut used_config = vec![false; config.suppressions.len()];
    let root = config
        .path
        .as_deref()
        .and_then(Path::parent)
        .map(|d| absolute(cwd, d));

    for d in diagnostics.iter_mut() {
        if d.code == Code::UnusedSuppression {
            continue;
        }
        let Some(file) = d.file.clone() else { continue };
        if let Some(directives) = by_file.get(file.as_path()) {
            let line = d.span.map(|s| s.start.line);
            let covers = |x: &Directive| {
                (x.codes.is_empty() || x.codes.contains(&d.code))
                    && match x.scope {
                        Scope::Line(l) => line == Some(l),
                        Scope::Document(doc) => d.document == Some(doc),
                        Scope::Nothing => false,
                    }
            };
            // A line's comment wins over the entity's, so the nearest reason is shown.
            let found = directives
                .iter()
                .enumerate()
                .filter(|(_, x)| covers(x))
                .min_by_key(|(_, x)| matches!(x.scope, Scope::Document(_)));
            if let Some((index, x)) = found {
                used_inline
                    .entry((by_file_key(&by_file, &file), index))
                    .or_default()
                    .push(d.code);
                d.suppressed = Some(Suppression {
                    kind: SuppressionKind::Inline,
                    reason: x.reason.clone(),
                    source: format!("{}:{}", file.display(), x.line),
                });
                continue;
            }
        }
        if let Some(root) = &root {
            let full = absolute(cwd, &file);
            let Ok(relative) = full.strip_prefix(root) else {
                continue;
            };
            if let Some((index, s)) = config.suppressions.iter().enumerate().find(|(_, s)| {
                (s.codes.is_empty() || s.codes.contains(&d.code)) && s.paths.is_match(relative)
            }) {
                used_config[index] = true;
                d.suppressed = Some(Suppression {
                    kind: SuppressionKind::Config,
                    reason: Some(s.reason.clone()),
                    source: format!("{}:{}", shown(cwd, config.path.as_deref()), s.line),
                });
            }
        }
    }

    let mut unused = Vec::new();
    for f in files {
        for (index, x) in f.directives.iter().enumerate() {
            let used = used_inline.get(&(f.path, index));
            let at = |message: String| {
                let pos = crate::yaml::Pos {
                    line: x.line,
                    column: x.column,
                };
                Diagnostic::new(Code::UnusedSuppression, message)
                    .with_span(crate::yaml::Span {
                        start: pos,
                        end: pos,
                    })
                    .in_file(f.path)
            };
            for name in &x.unknown {
                let ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
                let hint = match crate::suggest::closest(name, &ids) {
                    Some(id) => format!("did you mean `{id}`?"),
                    None => "codes are listed in docs/diagnostics.md".to_string(),
                };
                unused.push(
                    at(format!(
                        "`# callboard-ignore` names `{name}`, which is no diagnostic code"
                    ))
                    .help(hint),
                );
            }
            if x.codes.is_empty() {
                if used.is_none() && x.unknown.is_empty() {
                    unused.push(
                        at("this `# callboard-ignore` comment covers no finding".to_string())
                            .help("remove it, or move it to the line or entity it is meant for"),
                    );
                }
                continue;
            }
            for code in &x.codes {
                if active(*code) && !used.is_some_and(|u| u.contains(code)) {
                    unused.push(
                        at(format!(
                            "this `# callboard-ignore` names {}, but there is no such finding here",
                            code.id()
                        ))
                        .help("remove the code (the problem is gone), or move the comment to the line or entity it is meant for"),
                    );
                }
            }
        }
    }
    if let Some(path) = &config.path {
        for (s, used) in config.suppressions.iter().zip(used_config) {
            let active = s.codes.is_empty() || s.codes.iter().any(|c| active(*c));
            if !used && active {
                let pos = crate::yaml::Pos {
                    line: s.line as u32,
                    column: s.column as u32,
                };
                unused.push(
                    Diagnostic::new(
                        Code::UnusedSuppression,
                        "this `suppress:` entry matches no finding",
                    )
                    .with_span(crate::yaml::Span { start: pos, end: pos })
                    .in_file(path)
                    .help("remove the entry, or correct its paths (globs relative to the repository root) or codes"),
                );
            }
        }
    }
    unused
}

/// The key `by_file` stores for `file` (the same borrowed path), so used marks line up.
fn by_file_key<'a>(by_file: &HashMap<&'a Path, &[Directive]>, file: &Path) -> &'a Path {
    by_file
        .get_key_value(file)
        .map(|(k, _)| *k)
        .expect("only called for a file with directives")
}

/// The configuration file as findings show paths: relative to the current directory when under it.
fn shown(cwd: &Path, path: Option<&Path>) -> String {
    let path = path.unwrap_or(Path::new(crate::config::FILE_NAME));
    let cwd = absolute(cwd, Path::new(""));
    let full = absolute(&cwd, path);
    full.strip_prefix(&cwd)
        .unwrap_or(&full)
        .display()
        .to_string()
}

fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    super::entity::normalize(&cwd.join(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# callboard-ignore: unresolved-ref -- owned by the central catalog
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: a
  tags: [\"x # not a comment callboard-ignore\"]
spec:
  owner: team-a # callboard-ignore: unresolved-ref, wrong-ref-kind
  # callboard-ignore
  system: s
  lifecycle: x # callboard-ignore: unresolved-rfe
---
apiVersion: backstage.io/v1alpha1
";

    #[test]
    fn scopes_codes_and_reasons() {
        let d = parse(TEXT, &[2, 13]);
        assert_eq!(d.len(), 4, "{d:#?}");
        assert_eq!(d[0].scope, Scope::Document(0));
        assert_eq!(d[0].codes, [Code::UnresolvedRef]);
        assert_eq!(d[0].reason.as_deref(), Some("owned by the central catalog"));
        assert_eq!(d[1].scope, Scope::Line(8));
        assert_eq!(d[1].codes, [Code::UnresolvedRef, Code::WrongRefKind]);
        assert_eq!((d[1].line, d[1].column), (8, 17));
        assert_eq!(d[2].scope, Scope::Line(10));
        assert!(d[2].codes.is_empty());
        assert_eq!(d[3].unknown, ["unresolved-rfe"]);
    }

    #[test]
    fn quoted_hashes_are_not_comments() {
        assert_eq!(comment_start("  a: \"x # y\" # z"), Some(13));
        assert_eq!(comment_start("  a: 'it''s # y'"), None);
        assert_eq!(comment_start("  url: http://x/#frag"), None);
        assert!(parse("a: 1 # callboard-ignored\n", &[1]).is_empty());
    }
}
