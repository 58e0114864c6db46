//! Named migrations: each a documented unit that turns into edit operations or text rewrites.

use crate::bulk::filter::Filter;
use crate::bulk::ops::{Change, Operation};
use crate::bulk::{FileChange, Refusal, Selected};
use crate::yaml::edit::{Edit, Source};
use crate::yaml::{self, Node};

pub struct Migration {
    pub name: &'static str,
    pub summary: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        name: "deprecated-annotations",
        summary: "Rename deprecated annotations: backstage.io/github-actions-id → github.com/project-slug, \
                  jenkins.io/github-folder → jenkins.io/job-full-name.",
    },
    Migration {
        name: "template-v1beta3",
        summary: "Templates scaffolder.backstage.io/v1beta2 (or the older backstage.io/v1beta2) → v1beta3: the apiVersion, and `{{ … }}` \
                  expressions → `${{ … }}`. Review the result: v1beta3 renders with nunjucks-style \
                  filters, and `parameters.x`/`steps.id.output.x` paths are unchanged.",
    },
];

/// Deprecated annotation → its replacement (Backstage's well-known annotations list).
pub const DEPRECATED_ANNOTATIONS: &[(&str, &str)] = &[
    ("backstage.io/github-actions-id", "github.com/project-slug"),
    ("jenkins.io/github-folder", "jenkins.io/job-full-name"),
];

pub fn find(name: &str) -> Option<&'static Migration> {
    MIGRATIONS.iter().find(|m| m.name == name)
}

/// The edit operations of an operation-based migration.
pub fn operations(name: &str) -> Vec<Operation> {
    match name {
        "deprecated-annotations" => DEPRECATED_ANNOTATIONS
            .iter()
            .map(|(from, to)| Operation::RenameAnnotation {
                from: from.to_string(),
                to: to.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Entities a text migration applies to.
pub fn filter(name: &str) -> Filter {
    match name {
        "template-v1beta3" => crate::bulk::filter::parse(
            "kind=Template and (apiVersion=scaffolder.backstage.io/v1beta2 or apiVersion=backstage.io/v1beta2)",
        )
        .expect("valid filter"),
        _ => Filter::All,
    }
}

/// `{{ expr }}` not already preceded by `$` → `${{ expr }}`, within `[start, end)`.
fn dollar_braces(text: &str, start: usize, end: usize) -> Vec<Edit> {
    let mut edits = Vec::new();
    let bytes = text.as_bytes();
    let mut i = start;
    while i + 1 < end {
        if bytes[i] == b'{' && bytes[i + 1] == b'{' && (i == 0 || bytes[i - 1] != b'$') {
            edits.push(Edit {
                start: i,
                end: i,
                text: "$".into(),
            });
            i += 2;
        } else {
            i += 1;
        }
    }
    edits
}

/// Text rewrites of `template-v1beta3` for the selected Templates, and the files refused
/// (unreadable, or CR-only line ends, which byte-range edits would corrupt), as `edit` does.
pub fn template_v1beta3(selected: &[Selected<'_>]) -> (Vec<FileChange>, Vec<Refusal>) {
    let mut out: Vec<FileChange> = Vec::new();
    let mut refusals = Vec::new();
    for s in selected {
        let refuse = |reason: String| Refusal {
            path: s.file.clone(),
            entity: s.reference.to_string(),
            reason,
        };
        let text = match std::fs::read_to_string(s.file) {
            Ok(text) => text,
            Err(e) => {
                refusals.push(refuse(format!("cannot read the file: {e}")));
                continue;
            }
        };
        if let Some(reason) = crate::yaml::edit::lone_carriage_return(&text) {
            refusals.push(refuse(reason));
            continue;
        }
        let base = out.iter().position(|c| &c.path == s.file);
        let current = base.map_or(text.clone(), |i| out[i].new.clone());
        let stream = yaml::parse_stream(&current);
        let Some(doc) = stream.documents.get(s.document) else {
            continue;
        };
        let src = Source::new(&current);
        let root: &Node = &doc.document.root;
        let mut edits = Vec::new();
        let mut changes = Vec::new();
        if let Some(v) = root.get("apiVersion")
            && let Ok((a, b)) = crate::yaml::edit::scalar_range(&src, v)
        {
            edits.push(Edit {
                start: a,
                end: b,
                text: "scaffolder.backstage.io/v1beta3".into(),
            });
            changes.push((
                s.reference.to_string(),
                Change {
                    path: "apiVersion".into(),
                    old: v.as_str().map(str::to_string),
                    new: Some("scaffolder.backstage.io/v1beta3".into()),
                    line: v.span.start.line,
                },
            ));
        }
        if let Some(spec) = root.get("spec") {
            let (a, b) = (
                src.offset(spec.span.start),
                src.offset(spec.span.end).min(current.len()),
            );
            let braces = dollar_braces(&current, a, b);
            if !braces.is_empty() {
                changes.push((
                    s.reference.to_string(),
                    Change {
                        path: "spec".into(),
                        old: Some(format!("{} `{{{{ }}}}` expressions", braces.len())),
                        new: Some("`${{ }}`".into()),
                        line: spec.span.start.line,
                    },
                ));
            }
            edits.extend(braces);
        }
        let Ok(new) = crate::yaml::edit::apply(&current, edits) else {
            continue;
        };
        match base {
            Some(i) => {
                out[i].new = new;
                out[i].changes.extend(changes);
            }
            None => out.push(FileChange {
                path: s.file.clone(),
                old: text,
                new,
                created: false,
                deleted: false,
                changes,
            }),
        }
    }
    out.retain(|c| c.old != c.new);
    (out, refusals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_gain_a_dollar_once() {
        let text = "a: '{{ parameters.name }}' b: ${{ x }}";
        let edits = dollar_braces(text, 0, text.len());
        let out = crate::yaml::edit::apply(text, edits).unwrap();
        assert_eq!(out, "a: '${{ parameters.name }}' b: ${{ x }}");
    }
}
