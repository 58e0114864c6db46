//! Bulk changes across the catalog: selection, minimal textual edits, renames, migrations.
//! Pure: computes new file contents and the list of changes; writing is the command's job.

pub mod backstage_filter;
pub mod filter;
pub mod migrate;
pub mod move_entity;
pub mod new_entity;
pub mod rename_map;
// The YAML editing the bulk commands plan with lives next to the loader.
pub use crate::yaml::{edit as patch, ops};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::catalog::entity_ref::{EntityRef, written_form};
use crate::catalog::load::{self, FileOptions};
use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::yaml::{Node, Span, Value};
use filter::{Filter, Subject};
use ops::{Change, Operation};
use patch::{Edit, Source};

/// An entity picked by a filter.
pub struct Selected<'a> {
    pub reference: &'a EntityRef,
    pub file: &'a PathBuf,
    pub document: usize,
    pub root: &'a Node,
    pub relations: Vec<(&'static str, EntityRef)>,
}

/// Entities matching `filter`, sorted by reference.
pub fn select<'a>(catalog: &'a Catalog, filter: &Filter) -> Vec<Selected<'a>> {
    let teams = catalog.teams();
    let mut out = Vec::new();
    for e in catalog.entities() {
        let Some(root) = e.root else {
            continue;
        };
        let relations: Vec<(&'static str, EntityRef)> = e
            .record
            .relations
            .iter()
            .map(|r| (r.relation, r.target.clone()))
            .collect();
        let subject = Subject {
            reference: e.reference(),
            root,
            relations: &relations,
        };
        if filter.matches(&subject, &teams) {
            out.push(Selected {
                reference: e.reference(),
                file: e.file,
                document: e.document,
                root,
                relations,
            });
        }
    }
    out.sort_by(|a, b| a.reference.cmp(b.reference).then(a.file.cmp(b.file)));
    out
}

/// The new content of one file and what changed in it.
#[derive(Debug, Clone)]
pub struct FileChange {
    pub path: PathBuf,
    pub old: String,
    pub new: String,
    /// A file the change creates (`old` is empty).
    pub created: bool,
    /// A file the change deletes (`new` is empty).
    pub deleted: bool,
    /// (entity, change) pairs.
    pub changes: Vec<(String, Change)>,
}

/// A change that could not be made, with the reason.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub path: PathBuf,
    pub entity: String,
    pub reason: String,
}

/// Applies `operations`, in order, to every selected entity. Each operation is planned on the
/// text as the previous one left it, so they compose (see [`crate::yaml::batch`]).
pub fn edit(
    catalog: &Catalog,
    selected: &[Selected<'_>],
    operations: &[Operation],
) -> (Vec<FileChange>, Vec<Refusal>) {
    // Files in path order, each with its documents in selection order.
    let mut by_file: std::collections::BTreeMap<&PathBuf, Vec<(usize, String)>> =
        Default::default();
    for s in selected {
        by_file
            .entry(s.file)
            .or_default()
            .push((s.document, s.reference.to_string()));
    }
    let mut files = Vec::new();
    let mut refusals = Vec::new();
    for (path, docs) in by_file {
        let Ok(original) = std::fs::read_to_string(path) else {
            refusals.push(Refusal {
                path: path.clone(),
                entity: String::new(),
                reason: "cannot read the file".into(),
            });
            continue;
        };
        if let Some(reason) = patch::lone_carriage_return(&original) {
            for (_, entity) in &docs {
                refusals.push(Refusal {
                    path: path.clone(),
                    entity: entity.clone(),
                    reason: reason.clone(),
                });
            }
            continue;
        }
        // The catalog parsed this very text already (loaded with `keep_text`): plan on that.
        let parsed: Option<Vec<&Node>> = catalog
            .files
            .get(path)
            .filter(|r| r.text.as_deref() == Some(original.as_str()))
            .map(|r| r.parsed.iter().map(|d| &d.root).collect());
        let edited =
            crate::yaml::batch::edit_documents(&original, parsed.as_deref(), &docs, operations);
        refusals.extend(edited.refusals.into_iter().map(|(entity, reason)| Refusal {
            path: path.clone(),
            entity,
            reason,
        }));
        if edited.text != original {
            files.push(FileChange {
                path: path.clone(),
                old: original,
                new: edited.text,
                created: false,
                deleted: false,
                changes: edited.changes,
            });
        }
    }
    (files, refusals)
}

/// The new reference written in the same short form as `old_text`, seen from an entity in
/// `from_namespace` whose field defaults to `default_kind`.
fn rewrite_reference(
    old_text: &str,
    new: &EntityRef,
    new_name: &str,
    from_namespace: &str,
) -> String {
    let w = written_form(old_text);
    let mut out = String::new();
    if let Some(kind) = w.kind {
        out.push_str(kind);
        out.push(':');
    }
    // An omitted namespace was inherited: keep it omitted while that still names the target.
    if w.namespace.is_some() || new.namespace() != from_namespace.to_ascii_lowercase() {
        out.push_str(new.namespace());
        out.push('/');
    }
    out.push_str(new_name);
    out
}

/// `text` written with the quotes the original value used (shared with the fix engine).
pub(crate) use patch::quote_like;

/// A short reference with its namespace written out: `team-a` → `default/team-a`,
/// `group:team-a` → `group:default/team-a`.
fn qualify(text: &str, namespace: &str) -> String {
    match written_form(text).kind {
        Some(kind) => format!("{kind}:{namespace}/{}", &text[kind.len() + 1..]),
        None => format!("{namespace}/{text}"),
    }
}

/// Annotations whose values are entity references.
const REF_ANNOTATIONS: &[&str] = &[
    "backstage.io/techdocs-entity",
    "backstage.io/source-template",
];

/// What a rename plans: the changed files, and every blocker found (all of them, in file order,
/// so one run names everything to fix). With any refusal nothing may be written.
#[derive(Debug, Default)]
pub struct Renamed {
    pub changes: Vec<FileChange>,
    pub refusals: Vec<Refusal>,
    pub references: usize,
}

/// One rename asked for: `from` becomes `to`, whose name is written `new_name` (the case the
/// user typed). `origin` says where it was asked (`renames.csv:3`), empty on the command line.
#[derive(Debug, Clone)]
pub struct RenameRequest {
    pub from: EntityRef,
    pub to: EntityRef,
    pub new_name: String,
    pub origin: String,
}

impl RenameRequest {
    /// `message` prefixed with where the rename was asked.
    fn say(&self, message: impl std::fmt::Display) -> String {
        if self.origin.is_empty() {
            message.to_string()
        } else {
            format!("{}: {message}", self.origin)
        }
    }
}

/// Renames entity `from` to `to` and rewrites every reference to it, each in the form it was
/// written. `new_name` keeps the case the user typed. `Err` is a request that cannot be asked
/// (another kind, an entity that does not exist); blockers in the catalog are refusals.
///
/// With `merge`, `to` must exist already: every reference to `from` moves to it (a team's
/// components transferred onto another team), and `from`'s own definition is left as it is,
/// to be removed by hand once nothing names it.
pub fn rename(
    catalog: &Catalog,
    from: &EntityRef,
    to: &EntityRef,
    new_name: &str,
    merge: bool,
) -> Result<Renamed, String> {
    let request = RenameRequest {
        from: from.clone(),
        to: to.clone(),
        new_name: new_name.to_string(),
        origin: String::new(),
    };
    rename_all(catalog, std::slice::from_ref(&request), merge).map_err(|mut e| e.remove(0).1)
}

/// Requests that contradict each other: one source renamed twice, a target that is another
/// line's source (a chain `a→b, b→c` or a cycle `a→b, b→a`: refused, as their meaning depends on
/// an order a map does not have), two sources onto one new name (allowed with `merge`, which
/// moves several teams onto one).
fn conflicting_requests(requests: &[RenameRequest], merge: bool) -> Vec<(usize, String)> {
    use std::collections::HashMap;
    // First line of each source and each new name (lookups: a map may hold thousands of lines).
    let mut sources: HashMap<&EntityRef, &RenameRequest> = HashMap::new();
    let mut targets: HashMap<&EntityRef, &RenameRequest> = HashMap::new();
    for r in requests {
        sources.entry(&r.from).or_insert(r);
        targets.entry(&r.to).or_insert(r);
    }
    let mut errors = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        // The first line with the same source or new name, when it is another line.
        let other = |first: &&RenameRequest| !std::ptr::eq(*first, r);
        if let Some(first) = sources.get(&r.from).copied().filter(other) {
            errors.push((
                i,
                r.say(format!(
                    "{} is renamed twice (also at {}); keep one line",
                    r.from, first.origin
                )),
            ));
        }
        if let Some(source) = sources.get(&r.to).filter(|o| o.from != o.to) {
            errors.push((i, r.say(format!(
                "{} is the new name here and is itself renamed at {}: chains and cycles are refused; map each entity straight to its final name, or rename in two runs",
                r.to, source.origin
            ))));
        }
        if !merge && let Some(first) = targets.get(&r.to).copied().filter(other) {
            errors.push((i, r.say(format!(
                "{} is also the new name at {}: two entities cannot take one name (use --merge to move references onto an existing entity)",
                r.to, first.origin
            ))));
        }
    }
    errors
}

/// Plans every rename of `requests` in one pass over the original catalog: each file is read
/// once and every reference to any renamed entity is rewritten in it, so the renames compose
/// without one planning on another's output. `Err` lists every request that cannot be asked
/// (index in `requests`, message), in request order; otherwise the refusals list every blocker
/// in the catalog.
pub fn rename_all(
    catalog: &Catalog,
    requests: &[RenameRequest],
    merge: bool,
) -> Result<Renamed, Vec<(usize, String)>> {
    let mut errors = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        if r.from.kind() != r.to.kind() {
            errors.push((
                i,
                r.say(format!(
                    "cannot change the kind ({} → {}): a kind is a different schema, not a name",
                    r.from.kind(),
                    r.to.kind()
                )),
            ));
        }
    }
    errors.extend(conflicting_requests(requests, merge));
    // Files in path order: the same catalog gives the same plan and the same refusals.
    let mut files: Vec<(&PathBuf, &crate::catalog::load::FileReport)> =
        catalog.files.iter().collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let mut definitions: Vec<Vec<(&PathBuf, usize)>> = vec![Vec::new(); requests.len()];
    let mut taken: Vec<Vec<&PathBuf>> = vec![Vec::new(); requests.len()];
    // A source given twice is an error already; the first line names it.
    let mut by_source: std::collections::HashMap<&EntityRef, usize> = Default::default();
    for (i, r) in requests.iter().enumerate() {
        by_source.entry(&r.from).or_insert(i);
    }
    let by_target: std::collections::HashMap<&EntityRef, Vec<usize>> = requests
        .iter()
        .enumerate()
        .fold(Default::default(), |mut m, (i, r)| {
            m.entry(&r.to).or_default().push(i);
            m
        });
    for (path, report) in &files {
        for e in &report.entities {
            if let Some(&i) = by_source.get(&e.record.reference) {
                definitions[i].push((*path, e.document));
            }
            for &i in by_target.get(&e.record.reference).into_iter().flatten() {
                if requests[i].from != requests[i].to {
                    taken[i].push(*path);
                }
            }
        }
    }
    let mut refusals = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        // A second line for one source is reported as such, not as undefined.
        if definitions[i].is_empty() && by_source[&r.from] == i {
            errors.push((
                i,
                r.say(format!("{} is not defined in the catalog", r.from)),
            ));
        }
        if merge && taken[i].is_empty() {
            errors.push((i, r.say(format!(
                "--merge moves every reference to an existing entity, and {} does not exist; without --merge, {} is renamed",
                r.to, r.from
            ))));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|(i, _)| *i);
        return Err(errors);
    }
    for (i, r) in requests.iter().enumerate() {
        if definitions[i].len() > 1 {
            for (path, _) in &definitions[i] {
                refusals.push(Refusal {
                    path: (*path).clone(),
                    entity: r.from.to_string(),
                    reason: r.say(format!(
                        "{} is defined {} times; fix the duplicates first (catalog validate)",
                        r.from,
                        definitions[i].len()
                    )),
                });
            }
        }
        for path in taken[i].iter().filter(|_| !merge) {
            refusals.push(Refusal {
                path: (*path).clone(),
                entity: r.to.to_string(),
                reason: r.say(format!(
                    "{} already exists; rename it first or choose another name",
                    r.to
                )),
            });
        }
    }
    // The rename each definition takes (none with --merge: definitions stay).
    let renamed_at: std::collections::HashMap<(&PathBuf, usize), &RenameRequest> = if merge {
        Default::default()
    } else {
        definitions
            .iter()
            .zip(requests)
            .filter_map(|(defs, r)| defs.first().map(|&(p, d)| ((p, d), r)))
            .collect()
    };
    let kinds: BTreeSet<&str> = requests.iter().map(|r| r.from.kind()).collect();
    let mut edits: std::collections::BTreeMap<PathBuf, Vec<(Edit, String, Change)>> =
        Default::default();
    let mut references = 0;
    for (path, report) in files {
        let text = match planned_text(catalog, path) {
            Ok(text) => text,
            Err(e) => {
                refusals.push(Refusal {
                    path: path.clone(),
                    entity: String::new(),
                    reason: format!("cannot read the file: {e}"),
                });
                continue;
            }
        };
        // A blocker refuses that one edit; the rest are still planned, so every blocker shows.
        let mut refuse = |entity: &str, e: String| {
            refusals.push(Refusal {
                path: path.clone(),
                entity: entity.to_string(),
                reason: e,
            })
        };
        let src = Source::new(&text);
        for e in &report.entities {
            let Some(doc) = report.parsed.get(e.document) else {
                continue;
            };
            let root = &doc.root;
            let entity = e.record.reference.to_string();
            let ns = e.record.reference.namespace();
            let own = renamed_at.get(&(path, e.document)).copied();
            if let Some(RenameRequest {
                from, to, new_name, ..
            }) = own
            {
                'definition: {
                    let Some(name) = root.pointer("/metadata/name") else {
                        refuse(&entity, "the entity has no metadata.name".into());
                        break 'definition;
                    };
                    let end = match replace_scalar(
                        edits.entry(path.clone()).or_default(),
                        &src,
                        name,
                        "metadata.name",
                        new_name,
                        &entity,
                    ) {
                        Ok(end) => end,
                        Err(e) => {
                            refuse(&entity, e);
                            break 'definition;
                        }
                    };
                    if from.namespace() != to.namespace() {
                        match root.pointer("/metadata/namespace") {
                            Some(node) => {
                                if let Err(e) = replace_scalar(
                                    edits.entry(path.clone()).or_default(),
                                    &src,
                                    node,
                                    "metadata.namespace",
                                    to.namespace(),
                                    &entity,
                                ) {
                                    refuse(&entity, e);
                                }
                            }
                            None => {
                                // Insert `namespace:` right after `name:` at the same indentation.
                                let name_end = end;
                                let line_end = text[name_end..]
                                    .find('\n')
                                    .map_or(text.len(), |i| name_end + i);
                                let indent = patch::indent_at(&src, name.span.start);
                                edits.entry(path.clone()).or_default().push((
                                    Edit {
                                        start: line_end,
                                        end: line_end,
                                        text: format!(
                                            "\n{}namespace: {}",
                                            " ".repeat(indent),
                                            to.namespace()
                                        ),
                                    },
                                    entity.clone(),
                                    Change {
                                        path: "metadata.namespace".into(),
                                        old: None,
                                        new: Some(to.namespace().into()),
                                        line: name.span.start.line + 1,
                                    },
                                ));
                            }
                        }
                    }
                }
            }
            for rel in &e.record.relations {
                let Some(node) = root.pointer(&rel.pointer()) else {
                    continue;
                };
                let Some(old_text) = node.as_str() else {
                    continue;
                };
                let new_text = if let Some(&i) = by_source.get(&rel.target) {
                    // Seen from a renamed entity itself, the namespace it will live in.
                    let from_ns = own.map_or(ns, |o| o.to.namespace());
                    let target = &requests[i];
                    rewrite_reference(old_text, &target.to, &target.new_name, from_ns)
                } else if let Some(o) = own
                    && o.from.namespace() != o.to.namespace()
                    && written_form(old_text).namespace.is_none()
                {
                    // The entity's own short references inherited its old namespace: keep
                    // them pointing there by writing it out.
                    qualify(old_text, o.from.namespace())
                } else {
                    continue;
                };
                let (s, end) = match patch::scalar_range(&src, node) {
                    Ok(range) => range,
                    Err(e) => {
                        refuse(
                            &entity,
                            format!("line {}: {}: {e}", node.span.start.line, rel.pointer()),
                        );
                        continue;
                    }
                };
                let written = quote_like(&text[s..end], &new_text);
                references += 1;
                edits.entry(path.clone()).or_default().push((
                    Edit {
                        start: s,
                        end,
                        text: written,
                    },
                    entity.clone(),
                    Change {
                        path: rel.pointer().trim_start_matches('/').replace('/', "."),
                        old: Some(old_text.into()),
                        new: Some(new_text),
                        line: node.span.start.line,
                    },
                ));
            }
            if let Some(Value::Map(annotations)) =
                root.pointer("/metadata/annotations").map(|n| &n.value)
            {
                for (k, v) in annotations
                    .iter()
                    .filter(|(k, _)| REF_ANNOTATIONS.contains(&k.text.as_str()))
                {
                    let Some(old_text) = v.as_str() else { continue };
                    // The annotation's kind is written or is that of a renamed entity.
                    let Some(target) = kinds.iter().find_map(|kind| {
                        EntityRef::parse(old_text, Some(kind), ns)
                            .ok()
                            .and_then(|r| by_source.get(&r).map(|&i| &requests[i]))
                    }) else {
                        continue;
                    };
                    let new_text = rewrite_reference(old_text, &target.to, &target.new_name, ns);
                    let (s, end) = match patch::scalar_range(&src, v) {
                        Ok(range) => range,
                        Err(e) => {
                            refuse(&entity, format!("metadata.annotations[{}]: {e}", k.text));
                            continue;
                        }
                    };
                    references += 1;
                    edits.entry(path.clone()).or_default().push((
                        Edit {
                            start: s,
                            end,
                            text: quote_like(&text[s..end], &new_text),
                        },
                        entity.clone(),
                        Change {
                            path: format!("metadata.annotations[{}]", k.text),
                            old: Some(old_text.into()),
                            new: Some(new_text),
                            line: v.span.start.line,
                        },
                    ));
                }
            }
        }
    }
    let mut files = Vec::new();
    // An entry whose only planned edit was refused is empty: nothing to write there.
    for (path, list) in edits.into_iter().filter(|(_, list)| !list.is_empty()) {
        let old = match planned_text(catalog, &path) {
            Ok(old) => old,
            Err(e) => {
                refusals.push(Refusal {
                    path,
                    entity: String::new(),
                    reason: format!("cannot read the file: {e}"),
                });
                continue;
            }
        };
        if let Some(reason) = patch::lone_carriage_return(&old) {
            refusals.push(Refusal {
                path,
                entity: String::new(),
                reason: reason.to_string(),
            });
            continue;
        }
        match patch::apply(&old, list.iter().map(|(e, _, _)| e.clone()).collect()) {
            Ok(new) => files.push(FileChange {
                path,
                old,
                new,
                created: false,
                deleted: false,
                changes: list
                    .into_iter()
                    .map(|(_, entity, change)| (entity, change))
                    .collect(),
            }),
            Err(reason) => refusals.push(Refusal {
                path,
                entity: String::new(),
                reason,
            }),
        }
    }
    Ok(Renamed {
        changes: files,
        refusals,
        references,
    })
}

/// The text a rename is planned on: the one the catalog parsed, when it kept it (so the
/// spans of its documents fit; in the language server, the editor's unsaved buffer), else the
/// file on disk. A write still checks that the disk holds this text.
fn planned_text(catalog: &Catalog, path: &Path) -> std::io::Result<String> {
    match catalog.files.get(path).and_then(|r| r.text.as_deref()) {
        Some(text) => Ok(text.to_string()),
        None => std::fs::read_to_string(path),
    }
}

/// Every place in the catalog that names `target` through the index `catalog rename` rewrites:
/// relation fields and the reference annotations. (file, span of the written reference).
pub fn references_to<'a>(catalog: &'a Catalog, target: &EntityRef) -> Vec<(&'a PathBuf, Span)> {
    let mut out = Vec::new();
    for path in catalog.paths() {
        let report = &catalog.files[path];
        for e in &report.entities {
            for rel in e.record.relations.iter().filter(|r| &r.target == target) {
                out.push((path, rel.span));
            }
            let Some(Value::Map(annotations)) = report
                .parsed
                .get(e.document)
                .and_then(|d| d.root.pointer("/metadata/annotations"))
                .map(|n| &n.value)
            else {
                continue;
            };
            let ns = e.record.reference.namespace();
            for (_, v) in annotations
                .iter()
                .filter(|(k, _)| REF_ANNOTATIONS.contains(&k.text.as_str()))
            {
                if v.as_str()
                    .and_then(|t| EntityRef::parse(t, Some(target.kind()), ns).ok())
                    .is_some_and(|r| &r == target)
                {
                    out.push((path, v.span));
                }
            }
        }
    }
    out
}

/// Each changed file checked as it would be and, only when a question needs it, as it was;
/// both with the same options (no repository root: the text alone).
pub struct Rechecked<'a> {
    changes: &'a [FileChange],
    opts: FileOptions<'a>,
    after: Vec<load::FileReport>,
}

impl Rechecked<'_> {
    fn before(&self, index: usize) -> load::FileReport {
        let c = &self.changes[index];
        load::check_text(&c.path, c.old.clone(), &self.opts)
    }
}

/// Checks every changed file as it would be (in parallel: each check is independent).
pub fn recheck<'a>(changes: &'a [FileChange], config: &'a Config) -> Rechecked<'a> {
    use rayon::prelude::*;
    let opts = FileOptions::new(config);
    let after = changes
        .par_iter()
        .map(|c| load::check_text(&c.path, c.new.clone(), &opts))
        .collect();
    Rechecked {
        changes,
        opts,
        after,
    }
}

/// Errors the edited files would have that the originals did not (per file and code).
pub fn new_errors(rechecked: &Rechecked<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, after) in rechecked.after.iter().enumerate() {
        let is_error = |d: &&Diagnostic| d.severity == Severity::Error;
        // No error after the change: nothing new, whatever there was before.
        if !after.diagnostics.iter().any(|d| is_error(&d)) {
            continue;
        }
        // A multiset difference: an error that already existed once may now exist twice.
        let mut old: Vec<(crate::diag::Code, String)> = rechecked
            .before(index)
            .diagnostics
            .iter()
            .filter(is_error)
            .map(|d| (d.code, without_line_numbers(&d.message)))
            .collect();
        for d in after.diagnostics.iter().filter(is_error) {
            let message = without_line_numbers(&d.message);
            match old.iter().position(|x| x.0 == d.code && x.1 == message) {
                Some(i) => {
                    old.swap_remove(i);
                }
                None => out.push(d.clone()),
            }
        }
    }
    out
}

/// A message with the numbers after "line " blanked: an edit above a finding moves it (a
/// duplicate key "first defined at line 12" is the same finding at line 11).
fn without_line_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        let (head, tail) = rest.split_at(at + "line ".len());
        out.push_str(head);
        rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

/// Entities the change would define more than once that were not before: one diagnostic per
/// definition in a changed file, located at its `metadata.name` (never without a file).
pub fn new_duplicates(
    catalog: &Catalog,
    changes: &[FileChange],
    rechecked: &Rechecked<'_>,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    use std::collections::HashMap;
    // The first change of each path, as a lookup (a catalog has thousands of files).
    let mut changed_at: HashMap<&std::path::Path, usize> = HashMap::new();
    for (i, c) in changes.iter().enumerate() {
        changed_at.entry(c.path.as_path()).or_insert(i);
    }
    // reference -> definitions (file, span of metadata.name, in a changed file?)
    type Defs = HashMap<String, Vec<(PathBuf, crate::yaml::Span, bool)>>;
    let count = |changed: &[load::FileReport]| -> Defs {
        let mut defs: Defs = HashMap::new();
        for (path, report) in &catalog.files {
            let (entities, in_change) = match changed_at.get(path.as_path()) {
                Some(&i) => (changed[i].entities.as_slice(), true),
                None => (report.entities.as_slice(), false),
            };
            for e in entities {
                defs.entry(e.record.reference.to_string())
                    .or_default()
                    .push((path.clone(), e.record.name_span, in_change));
            }
        }
        defs
    };
    let after = count(&rechecked.after);
    // Nothing defined twice after the change: nothing new, whatever there was before.
    if after.values().all(|defs| defs.len() < 2) {
        return Vec::new();
    }
    let old: Vec<load::FileReport> = (0..changes.len())
        .into_par_iter()
        .map(|i| rechecked.before(i))
        .collect();
    let before = count(&old);
    let mut out = Vec::new();
    for (reference, mut defs) in after {
        if defs.len() < 2 || before.get(&reference).map_or(0, Vec::len) >= defs.len() {
            continue;
        }
        defs.sort_by(|a, b| (&a.0, a.1.start).cmp(&(&b.0, b.1.start)));
        let all: Vec<String> = defs
            .iter()
            .map(|(f, s, _)| format!("{}:{}", f.display(), s.start.line))
            .collect();
        for (file, span, changed) in &defs {
            if !changed {
                continue;
            }
            let mut d = Diagnostic::new(
                crate::diag::Code::DuplicateEntity,
                format!(
                    "entity {reference} would be defined more than once ({})",
                    all.join(", ")
                ),
            )
            .at("/metadata/name")
            .with_span(*span)
            .in_file(file);
            d.entity = Some(reference.clone());
            out.push(d);
        }
    }
    out.sort_by(|a, b| (&a.file, a.span.map(|s| s.start)).cmp(&(&b.file, b.span.map(|s| s.start))));
    out
}

/// Plans replacing the scalar `node` (the field at `field`) with `new`, recording the change
/// for `entity`; the end offset of the old scalar, or why it cannot be edited safely.
fn replace_scalar(
    edits: &mut Vec<(Edit, String, Change)>,
    src: &Source<'_>,
    node: &crate::yaml::Node,
    field: &str,
    new: &str,
    entity: &str,
) -> Result<usize, String> {
    let (start, end) = patch::scalar_range(src, node).map_err(|e| format!("{field}: {e}"))?;
    edits.push((
        Edit {
            start,
            end,
            // The quotes the old value was written with stay.
            text: quote_like(&src.text[start..end], new),
        },
        entity.to_string(),
        Change {
            path: field.into(),
            old: node.as_str().map(str::to_string),
            new: Some(new.into()),
            line: node.span.start.line,
        },
    ));
    Ok(end)
}

/// Writes every changed file atomically, or none (see [`crate::fs::write_all`]: staged in
/// full, journaled, each target compared with the text the change was computed from).
pub fn write_all(changes: &[FileChange], journal: &crate::fs::JournalPlace) -> Result<(), String> {
    let files: Vec<crate::fs::Change<'_>> = changes
        .iter()
        .map(|c| crate::fs::Change {
            path: &c.path,
            old: c.old.as_bytes(),
            new: c.new.as_bytes(),
            kind: if c.created {
                crate::fs::ChangeKind::Create
            } else if c.deleted {
                crate::fs::ChangeKind::Delete
            } else {
                crate::fs::ChangeKind::Replace
            },
        })
        .collect();
    crate::fs::write_all(&files, journal).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_keep_their_written_form() {
        let new = EntityRef::new("group", "default", "team-b");
        assert_eq!(
            rewrite_reference("team-a", &new, "team-b", "default"),
            "team-b"
        );
        assert_eq!(
            rewrite_reference("group:team-a", &new, "team-b", "default"),
            "group:team-b"
        );
        assert_eq!(
            rewrite_reference("default/team-a", &new, "team-b", "default"),
            "default/team-b"
        );
        assert_eq!(
            rewrite_reference("Group:default/team-a", &new, "team-b", "default"),
            "Group:default/team-b"
        );
        // Inherited namespace that no longer matches: written out.
        assert_eq!(
            rewrite_reference("team-a", &new, "team-b", "payments"),
            "default/team-b"
        );
        assert_eq!(qualify("team-a", "default"), "default/team-a");
        assert_eq!(qualify("group:team-a", "default"), "group:default/team-a");
        assert_eq!(quote_like("'x'", "y"), "'y'");
        assert_eq!(
            without_line_numbers("duplicate key `a` (first defined at line 12); line 3"),
            "duplicate key `a` (first defined at line ); line "
        );
        let moved = EntityRef::new("group", "payments", "team-b");
        assert_eq!(
            rewrite_reference("team-a", &moved, "team-b", "default"),
            "payments/team-b"
        );
    }
}
