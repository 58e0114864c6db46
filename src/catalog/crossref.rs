//! Checks across entities: duplicate references and relations that resolve to nothing or to an
//! entity of the wrong kind. Backstage performs none of these.

use std::collections::HashMap;

use rayon::prelude::*;
use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::catalog::entity_ref::EntityRef;
use crate::config::ExternalEntities;
use crate::diag::{Code, Diagnostic};
use crate::yaml::Span;

struct Definition<'a> {
    file: &'a PathBuf,
    span: Span,
    document: usize,
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
    for defs in defined.values_mut() {
        if defs.len() > 1 {
            defs.sort_by(|a, b| (a.file, a.span.start).cmp(&(b.file, b.span.start)));
        }
    }
    for (reference, defs) in &defined {
        if defs.len() < 2 {
            continue;
        }
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
    }

    let relation_diags: Vec<Diagnostic> = catalog
        .files
        .par_iter()
        .flat_map_iter(|(path, report)| {
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
                    if !rel.expected_kinds.is_empty()
                        && !rel.expected_kinds.contains(&rel.target.kind())
                    {
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
                    if !defined.contains_key(&rel.target) && !external.contains(rel.target.as_str())
                    {
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
        })
        .collect();
    new.extend(relation_diags);

    for d in new {
        if let Some(report) = d.file.as_ref().and_then(|f| catalog.files.get_mut(f)) {
            report.diagnostics.push(d);
        }
    }
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
