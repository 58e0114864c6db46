//! Applying a list of operations to several documents of one file.
//!
//! The reference is [`edit_sequential`]: each (operation, document) pair is planned on the text
//! as the previous one left it, parsing the whole file again each time. That is quadratic in
//! the number of documents edited in one file (a 2,000-entity file: 2,000 parses).
//! [`edit_documents`] gives the same bytes, changes and refusals with one parse per operation:
//! a document's edits depend only on the lines from its own start to the next document's
//! marker, so while every edit made since the last parse lies wholly before or after those
//! lines, the document is planned on that parse and its line numbers shifted. Anything it
//! cannot prove (a file with YAML errors, an edit reaching into a neighbour, a changed line
//! ending, a parse afterwards that does not show the documents where they should be) falls
//! back to a fresh parse, or to the reference for the whole file.

use super::Node;
use super::edit::{self as patch, Edit, Source};
use super::ops::{self, Change, Operation};

/// What one file's edits came to.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Edited {
    pub text: String,
    /// (entity, change), in the order made.
    pub changes: Vec<(String, Change)>,
    /// (entity, reason), in the order found.
    pub refusals: Vec<(String, String)>,
}

/// The reference: re-plans every (operation, document) on the text as the previous one left it.
/// `documents` are (index of the document in the file, entity name for reports), in the order
/// they are to be edited. An edit that cannot be applied stops the file (later operations
/// would be planned on a text missing it).
pub fn edit_sequential(
    original: &str,
    documents: &[(usize, String)],
    operations: &[Operation],
) -> Edited {
    edit_sequential_from(original, None, documents, operations)
}

/// [`edit_sequential`], with `parsed` the documents' roots as `parse_stream(original)` gives
/// them, when the caller has them: used until the first edit changes the text.
fn edit_sequential_from(
    original: &str,
    mut parsed: Option<&[&Node]>,
    documents: &[(usize, String)],
    operations: &[Operation],
) -> Edited {
    let mut text = original.to_string();
    let mut out = Edited::default();
    'ops: for op in operations {
        for (index, entity) in documents {
            let stream;
            let root = match parsed {
                Some(roots) => roots.get(*index).copied(),
                None => {
                    stream = super::parse_stream(&text);
                    stream.documents.get(*index).map(|d| &d.document.root)
                }
            };
            let Some(root) = root else {
                continue;
            };
            let src = Source::new(&text);
            match ops::plan(&src, root, op) {
                Ok(None) => {}
                Ok(Some((edits, change))) => match patch::apply(&text, edits) {
                    Ok(new) => {
                        text = new;
                        parsed = None;
                        out.changes.push((entity.clone(), change));
                    }
                    Err(reason) => {
                        out.refusals.push((entity.clone(), reason));
                        break 'ops;
                    }
                },
                Err(reason) => out
                    .refusals
                    .push((entity.clone(), format!("{}: {reason}", op.describe()))),
            }
        }
    }
    out.text = text;
    out
}

/// [`edit_sequential`]'s result, computed with one parse per operation where that is provably
/// the same (see the module documentation).
/// `parsed`: the roots of `parse_stream(original)`, when the caller has them (saves a parse).
pub fn edit_documents(
    original: &str,
    parsed: Option<&[&Node]>,
    documents: &[(usize, String)],
    operations: &[Operation],
) -> Edited {
    // One document: the reference parses once per operation already.
    if documents.len() < 2 {
        return edit_sequential_from(original, parsed, documents, operations);
    }
    match reusing_parses(original, documents, operations) {
        Some((edited, _)) => edited,
        None => edit_sequential(original, documents, operations),
    }
}

/// An edit made since the last parse, in that parse's byte offsets.
struct Applied {
    start: usize,
    end: usize,
    /// Lines it adds (negative: removes).
    lines: i64,
    /// Its new text ends a line (what follows still starts one).
    ends_line: bool,
}

/// One parse of the file and where its documents lie.
struct Parsed {
    text: String,
    roots: Vec<Node>,
    /// Byte offset of the line each document starts on (its `---` or first token).
    starts: Vec<usize>,
    /// Line of each document's root (1-based).
    root_lines: Vec<u32>,
    /// For each document, the offset from which edits cannot change what planning it reads:
    /// the line after the next document's start line (the text's end for the last document).
    reads_end: Vec<usize>,
    crlf: bool,
}

impl Parsed {
    /// None when the text has a YAML error: positions after it may not mean what they seem.
    fn new(text: String) -> Option<Parsed> {
        let stream = super::parse_stream(&text);
        if stream.fatal.is_some() || stream.documents.iter().any(|d| !d.errors.is_empty()) {
            return None;
        }
        let src = Source::new(&text);
        let starts: Vec<usize> = stream
            .documents
            .iter()
            .map(|d| src.line_start(d.document.start.line))
            .collect();
        let reads_end = stream
            .documents
            .iter()
            .skip(1)
            .map(|d| src.line_start(d.document.start.line + 1))
            .chain([text.len()])
            .collect();
        let root_lines = stream
            .documents
            .iter()
            .map(|d| d.document.root.span.start.line)
            .collect();
        let crlf = text.contains("\r\n");
        let roots = stream
            .documents
            .into_iter()
            .map(|d| d.document.root)
            .collect();
        Some(Parsed {
            text,
            roots,
            starts,
            root_lines,
            reads_end,
            crlf,
        })
    }
}

/// Lines in `text` (LF count).
fn line_breaks(text: &str) -> i64 {
    text.bytes().filter(|b| *b == b'\n').count() as i64
}

/// The edits and the number of parses made; None when the reference must be used.
fn reusing_parses(
    original: &str,
    documents: &[(usize, String)],
    operations: &[Operation],
) -> Option<(Edited, usize)> {
    let mut out = Edited::default();
    let mut parsed = Parsed::new(original.to_string())?;
    let mut parses = 1;
    // Edits since `parsed`, in its offsets, in the order made (never overlapping).
    let mut pending: Vec<Edit> = Vec::new();
    let mut applied: Vec<Applied> = Vec::new();
    // Whether a document was planned on a parse older than the text: the next parse must then
    // show every document where the shifts say it is.
    let mut stale = false;
    let mut inserted_cr = false;
    let (mut op_index, mut doc_pos) = (0, 0);
    let mut stopped = false;
    loop {
        if !pending.is_empty() {
            let text = patch::apply(&parsed.text, std::mem::take(&mut pending)).ok()?;
            let expected: Vec<u32> = parsed
                .starts
                .iter()
                .zip(&parsed.root_lines)
                .map(|(start, line)| {
                    let shift: i64 = applied
                        .iter()
                        .filter(|a| a.end <= *start)
                        .map(|a| a.lines)
                        .sum();
                    (*line as i64 + shift) as u32
                })
                .collect();
            let count = parsed.roots.len();
            parsed = Parsed::new(text)?;
            parses += 1;
            if stale && (parsed.roots.len() != count || parsed.root_lines != expected) {
                return None;
            }
            applied.clear();
            stale = false;
            inserted_cr = false;
        }
        if stopped || op_index >= operations.len() {
            break;
        }
        let op = &operations[op_index];
        let src = Source::new(&parsed.text);
        let mut reparse = false;
        while doc_pos < documents.len() {
            let (index, entity) = &documents[doc_pos];
            let Some(root) = parsed.roots.get(*index) else {
                doc_pos += 1;
                continue;
            };
            let (start, reads_end) = (parsed.starts[*index], parsed.reads_end[*index]);
            if !applied.is_empty() {
                // Edits made since the parse must leave this document's lines as they were,
                // still starting a line, with the same line ending for inserted lines.
                let len = parsed.text.len();
                let untouched = applied.iter().all(|a| {
                    a.end < start
                        || (a.end == start && a.ends_line)
                        || (a.start >= reads_end && reads_end < len)
                });
                let same_newline = if parsed.crlf {
                    parsed.text[start..reads_end.min(len)].contains("\r\n")
                } else {
                    !inserted_cr
                };
                if !(untouched && same_newline) {
                    reparse = true;
                    break;
                }
            }
            let shift: i64 = applied
                .iter()
                .filter(|a| a.end <= start)
                .map(|a| a.lines)
                .sum();
            match ops::plan(&src, root, op) {
                Ok(None) => {}
                Ok(Some((mut edits, mut change))) => {
                    if !applied.is_empty()
                        && edits.iter().any(|e| e.start < start || e.end > reads_end)
                    {
                        reparse = true;
                        break;
                    }
                    if let Err(reason) = patch::check_overlaps(&mut edits) {
                        // As the reference: refused, and nothing more is planned in this file.
                        out.refusals.push((entity.clone(), reason));
                        stopped = true;
                        break;
                    }
                    stale |= !applied.is_empty();
                    change.line = (change.line as i64 + shift) as u32;
                    for e in edits {
                        inserted_cr |= e.text.contains('\r');
                        applied.push(Applied {
                            start: e.start,
                            end: e.end,
                            lines: line_breaks(&e.text) - line_breaks(&parsed.text[e.start..e.end]),
                            ends_line: e.text.ends_with('\n'),
                        });
                        pending.push(e);
                    }
                    out.changes.push((entity.clone(), change));
                }
                Err(reason) => out
                    .refusals
                    .push((entity.clone(), format!("{}: {reason}", op.describe()))),
            }
            doc_pos += 1;
        }
        if !reparse && !stopped {
            op_index += 1;
            doc_pos = 0;
        }
        // A document that could not be planned on this parse is planned on a fresh one; so is
        // the next operation (it sees every edit of this one).
        if reparse && pending.is_empty() {
            // Nothing to apply, yet a fresh parse was asked for: cannot happen (applied is
            // non-empty whenever a reparse is asked), but never loop forever.
            return None;
        }
    }
    out.text = parsed.text;
    Some((out, parses))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str, extra: &str) -> String {
        format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n{extra}spec:\n  type: service\n  owner: team-a\n"
        )
    }

    /// The result, checked against the reference, and the number of parses it took.
    fn both(
        text: &str,
        documents: &[(usize, String)],
        operations: &[Operation],
    ) -> (Edited, Option<usize>) {
        let fast = edit_documents(text, None, documents, operations);
        let reference = edit_sequential(text, documents, operations);
        assert_eq!(fast, reference);
        let parses = reusing_parses(text, documents, operations).map(|(_, n)| n);
        (fast, parses)
    }

    #[test]
    fn many_documents_give_the_reference_bytes() {
        let text: String = (0..50)
            .map(|i| {
                doc(
                    &format!("svc-{i}"),
                    if i % 3 == 0 { "  tags: [a]\n" } else { "" },
                )
            })
            .collect();
        // Out of file order, as a selection sorted by reference lists them.
        let mut documents: Vec<(usize, String)> = (0..50)
            .map(|i| (i, format!("component:default/svc-{i}")))
            .collect();
        documents.sort_by(|a, b| a.1.cmp(&b.1));
        let operations = vec![
            Operation::AddTag("x".into()),
            Operation::Set {
                path: vec!["spec".into(), "lifecycle".into()],
                value: "production".into(),
            },
            Operation::Unset {
                path: vec!["spec".into(), "owner".into()],
            },
        ];
        let (edited, parses) = both(&text, &documents, &operations);
        assert_eq!(edited.changes.len(), 150);
        assert!(edited.refusals.is_empty());
        // One parse per operation and one to check the result, not one per document.
        assert_eq!(parses, Some(4));
    }

    #[test]
    fn crlf_and_refusals_match_the_reference() {
        let text: String = (0..6)
            .map(|i| doc(&format!("svc-{i}"), if i == 2 { "  tags: x\n" } else { "" }))
            .collect::<String>()
            .replace('\n', "\r\n");
        let documents: Vec<(usize, String)> = (0..6).rev().map(|i| (i, format!("e{i}"))).collect();
        let (edited, parses) = both(&text, &documents, &[Operation::AddTag("new".into())]);
        assert_eq!(edited.refusals.len(), 1, "{edited:?}");
        assert_eq!(edited.changes.len(), 5);
        assert_eq!(parses, Some(2));
    }

    #[test]
    fn a_file_with_a_yaml_error_uses_the_reference() {
        let text = format!("{}{}", doc("a", ""), "---\nkey: [unclosed\n");
        let (_, parses) = both(
            &text,
            &[(0, "a".into()), (1, "b".into())],
            &[Operation::AddTag("x".into())],
        );
        assert_eq!(parses, None);
    }
}
