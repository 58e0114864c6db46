//! Checks across entities: duplicate references and relations that resolve to nothing or to an
//! entity of the wrong kind. Backstage performs none of these.
//!
//! The checks are also offered one entity and one file at a time ([`duplicate_findings`],
//! [`relation_findings`]), so the language server re-runs them only where an edit can change
//! their verdict.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::load::FileReport;
use crate::config::ExternalEntities;
use crate::diag::{Code, Diagnostic};
use crate::yaml::Span;

/// The codes only this stage emits: a re-check replaces them wholesale.
pub const CODES: &[Code] = &[
    Code::DuplicateEntity,
    Code::UnresolvedRef,
    Code::WrongRefKind,
];

/// Where an entity is defined.
#[derive(Debug, Clone, Copy)]
pub struct Definition<'a> {
    pub file: &'a Path,
    pub span: Span,
    pub document: usize,
}

/// `external`: entities kept in another catalog; references to them resolve.
pub fn check(catalog: &mut Catalog, external: &ExternalEntities) {
    let mut defined: HashMap<EntityRef, Vec<Definition>> = HashMap::new();
    for (path, report) in &catalog.files {
        for e in &report.entities {
            defined
                .entry(e.record.reference.clone())
                .or_default()
                .push(Definition {
                    file: path,
                    span: e.record.name_span,
                    document: e.document,
                });
        }
    }

    let mut new: Vec<Diagnostic> = Vec::new();
    for (reference, defs) in defined.iter_mut() {
        new.extend(duplicate_findings(reference, defs));
    }

    let relation_diags: Vec<Diagnostic> = catalog
        .files
        .par_iter()
        .flat_map_iter(|(path, report)| {
            relation_findings(path, report, |r| defined.contains_key(r), external)
        })
        .collect();
    new.extend(relation_diags);

    for d in new {
        if let Some(report) = d.file.as_ref().and_then(|f| catalog.files.get_mut(f)) {
            report.diagnostics.push(d);
        }
    }
}

/// `duplicate-entity` at each definition of `reference` when there is more than one (`defs`
/// is sorted here, so every caller names the others in the same order).
pub fn duplicate_findings(reference: &EntityRef, defs: &mut [Definition<'_>]) -> Vec<Diagnostic> {
    if defs.len() < 2 {
        return Vec::new();
    }
    defs.sort_by(|a, b| (a.file, a.span.start).cmp(&(b.file, b.span.start)));
    let mut new = Vec::new();
    for (i, def) in defs.iter().enumerate() {
        let others: Vec<String> = defs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, o)| format!("{}:{}", o.file.display(), o.span.start.line))
            .collect();
        let mut d = Diagnostic::new(
            Code::DuplicateEntity,
            format!(
                "entity {reference} is defined more than once (also at {})",
                others.join(", ")
            ),
        )
        .at("/metadata/name")
        .with_span(def.span)
        .in_file(def.file)
        .help("entity references are case-insensitive: rename one, or remove the copy");
        d.entity = Some(reference.to_string());
        d.document = Some(def.document);
        new.push(d);
    }
    new
}

/// `wrong-ref-kind` and `unresolved-ref` for the relation fields of one file's entities.
pub fn relation_findings(
    path: &Path,
    report: &FileReport,
    is_defined: impl Fn(&EntityRef) -> bool,
    external: &ExternalEntities,
) -> Vec<Diagnostic> {
    let mut new = Vec::new();
    for e in &report.entities {
        for rel in &e.record.relations {
            let mut push = |code: Code, message: String| {
                let mut d = Diagnostic::new(code, message)
                    .at(rel.pointer())
                    .with_span(rel.span)
                    .in_file(path);
                d.entity = Some(e.record.reference.to_string());
                d.document = Some(e.document);
                new.push(d);
            };
            if !rel.expected_kinds.is_empty() && !rel.expected_kinds.contains(&rel.target.kind()) {
                push(
                    Code::WrongRefKind,
                    format!(
                        "spec.{} points at {}, but it should name {}",
                        rel.field,
                        rel.target,
                        with_article(&rel.expected_kinds.join(" or "))
                    ),
                );
            }
            if !is_defined(&rel.target) && !external.contains(rel.target.as_str()) {
                push(
                    Code::UnresolvedRef,
                    format!(
                        "spec.{} refers to {}, which is not in the catalog",
                        rel.field, rel.target
                    ),
                );
            }
        }
    }
    new
}

/// "a group or user", "an api".
fn with_article(kinds: &str) -> String {
    let article = if kinds.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kinds}")
}
