//! `catalog new`: an entity built from its kind's skeleton (the required fields of
//! [`crate::catalog::kinds`]), appended as a new document or written to a new file.

use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::kinds::{self, KindSpec, Shape};
use crate::catalog::load::{self, FileOptions};
use crate::config::Config;

use super::ops::Change;
use super::patch;
use super::{FileChange, Refusal};

/// The values given for a new entity: `spec` fields by name, in the order given.
#[derive(Debug, Default, Clone)]
pub struct NewEntity {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// (spec field, flag that gave it, values): one value for a string field, any for a list.
    pub spec: Vec<(&'static str, &'static str, Vec<String>)>,
}

/// Kinds `catalog new` does not build: their required parts are programs or lists of files.
const NOT_FROM_FLAGS: &[(&str, &str)] = &[
    (
        "Template",
        "a Template's steps are a program; start from an existing template.yaml",
    ),
    (
        "Location",
        "a Location lists files; add its targets by hand (catalog validate checks them)",
    ),
];

/// The built-in kind named `kind` (any case) that `catalog new` builds.
pub fn kind_spec(kind: &str) -> Result<&'static KindSpec, String> {
    let known = || {
        kinds::KINDS
            .iter()
            .map(|k| k.kind)
            .filter(|k| !NOT_FROM_FLAGS.iter().any(|(n, _)| n == k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let spec = kinds::KINDS
        .iter()
        .find(|k| k.kind.eq_ignore_ascii_case(kind))
        .ok_or_else(|| format!("unknown kind `{kind}`; catalog new builds {}", known()))?;
    match NOT_FROM_FLAGS.iter().find(|(n, _)| *n == spec.kind) {
        Some((_, why)) => Err(format!("catalog new does not build a {}: {why}", spec.kind)),
        None => Ok(spec),
    }
}

/// The new document's YAML (`\n` line ends), or every problem with the values given: a flag
/// for a field the kind does not have, a required field without its flag.
pub fn document(entity: &NewEntity) -> Result<(EntityRef, String), Vec<String>> {
    let spec = kind_spec(&entity.kind).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    if !crate::catalog::format::is_object_name(&entity.name, 63) {
        errors.push(format!(
            "\"{}\" is not a valid entity name (letters, digits, `-`, `_`, `.`; at most 63)",
            entity.name
        ));
    }
    if let Some(ns) = &entity.namespace
        && !crate::catalog::format::is_object_name(ns, 63)
    {
        errors.push(format!("--namespace: \"{ns}\" is not a valid namespace"));
    }
    for (field, flag, _) in &entity.spec {
        if !spec.spec.iter().any(|f| f.name == *field) {
            errors.push(format!(
                "--{flag}: {} has no spec.{field}; leave the flag out",
                with_article(spec.kind)
            ));
        }
    }
    let mut lines = vec![
        format!("apiVersion: {}", spec.api_versions[0]),
        format!("kind: {}", spec.kind),
        "metadata:".to_string(),
        format!("  name: {}", patch::yaml_string(&entity.name)),
    ];
    for (key, value) in [
        ("namespace", &entity.namespace),
        ("title", &entity.title),
        ("description", &entity.description),
    ] {
        if let Some(v) = value {
            lines.push(format!("  {key}: {}", patch::yaml_string(v)));
        }
    }
    lines.push("spec:".into());
    for field in spec.spec {
        let given = entity.spec.iter().find(|(f, _, _)| *f == field.name);
        let list = matches!(field.shape, Shape::StrList | Shape::AnyStrList);
        let value = match given {
            Some((_, _, values)) if list => Some(format!(
                "[{}]",
                values
                    .iter()
                    .map(|v| patch::yaml_string(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Some((_, flag, values)) => match values.as_slice() {
                [one] if !one.is_empty() => Some(patch::yaml_string(one)),
                _ => {
                    errors.push(format!("--{flag}: give one non-empty value"));
                    None
                }
            },
            // An empty list is a valid value (a Group without children), not a placeholder.
            None if field.required && list => Some("[]".into()),
            None if field.required => {
                errors.push(format!(
                    "{} needs spec.{}: give --{}",
                    with_article(spec.kind),
                    field.name,
                    flag_of(field.name)
                ));
                None
            }
            None => None,
        };
        if let Some(v) = value {
            lines.push(format!("  {}: {v}", field.name));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let reference = EntityRef::new(
        spec.kind,
        entity.namespace.as_deref().unwrap_or("default"),
        &entity.name,
    );
    let mut text = lines.join("\n");
    text.push('\n');
    Ok((reference, text))
}

/// "a Component", "an API".
fn with_article(kind: &str) -> String {
    let vowel = kind.starts_with(['A', 'E', 'I', 'O', 'U']);
    format!("{} {kind}", if vowel { "an" } else { "a" })
}

/// The command-line flag of a spec field (`memberOf` → `member-of`).
pub fn flag_of(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `existing` with `document` appended as a new `---` document in the file's own line ends
/// (`existing` None or blank: the document alone).
pub fn append(existing: Option<&str>, document: &str) -> String {
    let Some(existing) = existing.filter(|t| !t.trim().is_empty()) else {
        return document.to_string();
    };
    let eol = if existing.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut out = existing.to_string();
    if !out.ends_with('\n') {
        out.push_str(eol);
    }
    // A file that already ends with a document start needs no second one.
    let last = out
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    if last.trim_end() != "---" {
        out.push_str("---");
        out.push_str(eol);
    }
    out.push_str(&document.replace('\n', eol));
    out
}

/// The planned file and every blocker: the reference exists already, a reference of the new
/// entity names nothing in the catalog (or the wrong kind), as `catalog validate` reports them.
pub fn plan(
    catalog: &Catalog,
    config: &Config,
    file: &Path,
    existing: Option<String>,
    reference: &EntityRef,
    document: &str,
) -> (FileChange, Vec<Refusal>) {
    let new = append(existing.as_deref(), document);
    let old = existing.clone().unwrap_or_default();
    let mut refusals = Vec::new();
    let refuse = |refusals: &mut Vec<Refusal>, path: &Path, reason: String| {
        refusals.push(Refusal {
            path: path.to_path_buf(),
            entity: reference.to_string(),
            reason,
        })
    };
    let mut defined = std::collections::HashSet::new();
    let mut sorted: Vec<(&PathBuf, _)> = catalog.files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (path, report) in sorted {
        for e in &report.entities {
            if &e.record.reference == reference {
                refuse(
                    &mut refusals,
                    path,
                    format!(
                        "{reference} exists already (line {}); choose another name or namespace",
                        e.record.name_span.start.line
                    ),
                );
            }
            defined.insert(&e.record.reference);
        }
    }
    // The new document's first line in the new text, for the change list.
    let start = new.len() - appended_len(&new, document);
    let line = new[..start].matches('\n').count() + 1;
    let checked = load::check_text(file, new.clone(), &FileOptions::new(config));
    for e in checked
        .entities
        .iter()
        .filter(|e| &e.record.reference == reference)
    {
        for rel in &e.record.relations {
            if !rel.expected_kinds.is_empty() && !rel.expected_kinds.contains(&rel.target.kind()) {
                refuse(
                    &mut refusals,
                    file,
                    format!(
                        "spec.{} points at {}, but it should name a {}",
                        rel.field,
                        rel.target,
                        rel.expected_kinds.join(" or ")
                    ),
                );
            } else if !defined.contains(&rel.target)
                && !config.external.contains(rel.target.as_str())
            {
                refuse(
                    &mut refusals,
                    file,
                    format!(
                        "spec.{} refers to {}, which is not in the catalog (add it first, or list it in externalEntities / --known-entities)",
                        rel.field, rel.target
                    ),
                );
            }
        }
    }
    let change = FileChange {
        path: file.to_path_buf(),
        old,
        new,
        created: existing.is_none(),
        deleted: false,
        changes: vec![(
            reference.to_string(),
            Change {
                path: String::new(),
                old: None,
                new: Some(reference.to_string()),
                line: u32::try_from(line).unwrap_or(u32::MAX),
            },
        )],
    };
    (change, refusals)
}

/// Length of the appended document as it is in `new` (line ends converted).
fn appended_len(new: &str, document: &str) -> usize {
    if new.contains("\r\n") {
        document.len() + document.matches('\n').count()
    } else {
        document.len()
    }
}

/// Whether a Location of the catalog reaches a file, and if not, where one could.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The file the entity goes into.
    pub file: PathBuf,
    /// (Location file, target) of the first Location target naming the file.
    pub reached_by: Option<(PathBuf, String)>,
    /// (Location file, target to add): the Location nearest above the file, when not reached.
    pub suggestion: Option<(PathBuf, String)>,
}

/// Which Location of `catalog` reaches `file` (by name: `file` may not exist yet).
pub fn reach(catalog: &Catalog, file: &Path) -> Reach {
    let mut files: Vec<(&PathBuf, _)> = catalog.files.iter().collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let wanted = crate::fs::lexical_normalize(&std::path::absolute(file).unwrap_or(file.into()));
    let mut nearest: Option<(usize, &PathBuf, PathBuf)> = None;
    for (path, report) in files {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        for e in &report.entities {
            let Some(spec) = &e.record.location else {
                continue;
            };
            for (_, target) in &spec.targets {
                if crate::catalog::location::target_names(dir, target, file) {
                    return Reach {
                        file: file.to_path_buf(),
                        reached_by: Some((path.clone(), target.clone())),
                        suggestion: None,
                    };
                }
            }
            let dir_abs =
                crate::fs::lexical_normalize(&std::path::absolute(dir).unwrap_or(dir.into()));
            if let Ok(rel) = wanted.strip_prefix(&dir_abs) {
                let depth = dir_abs.components().count();
                if nearest.as_ref().is_none_or(|(d, _, _)| depth > *d) {
                    nearest = Some((depth, path, rel.to_path_buf()));
                }
            }
        }
    }
    Reach {
        file: file.to_path_buf(),
        reached_by: None,
        suggestion: nearest.map(|(_, location, rel)| {
            (
                location.clone(),
                format!("./{}", rel.to_string_lossy().replace('\\', "/")),
            )
        }),
    }
}

/// `--add-to-location`: the new file added to the `spec.targets` of the first Location in
/// `location_file` (a catalog file); the changed Location file and the target written.
/// `Err` says why it cannot be asked.
pub fn add_to_location(
    catalog: &Catalog,
    location_file: &Path,
    file: &Path,
) -> Result<(FileChange, String), String> {
    use super::move_entity::{dir_of, target_for};
    let normal =
        |p: &Path| crate::fs::lexical_normalize(&std::path::absolute(p).unwrap_or(p.into()));
    let (path, report) = catalog
        .files
        .iter()
        .find(|(p, _)| normal(p) == normal(location_file))
        .ok_or_else(|| format!("{} is not a catalog file of PATHS", location_file.display()))?;
    let location = report
        .entities
        .iter()
        .filter(|e| {
            e.record.location.as_ref().is_some_and(|l| {
                l.targets
                    .iter()
                    .any(|(p, _)| p.starts_with("/spec/targets"))
            })
        })
        .min_by_key(|e| e.document)
        .ok_or_else(|| {
            format!(
                "{} holds no Location with a spec.targets list",
                location_file.display()
            )
        })?;
    let target = target_for(dir_of(path), file).ok_or_else(|| {
        format!(
            "{} is not below the directory of {}; a Location's targets name files below it",
            file.display(),
            location_file.display()
        )
    })?;
    let old = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let entity = location.record.reference.to_string();
    let edited = crate::yaml::batch::edit_documents(
        &old,
        None,
        &[(location.document, entity.clone())],
        &[super::ops::Operation::AddItem {
            path: vec!["spec".into(), "targets".into()],
            value: target.clone(),
        }],
    );
    if let Some((_, reason)) = edited.refusals.first() {
        return Err(format!("{entity} in {}: {reason}", path.display()));
    }
    Ok((
        FileChange {
            path: path.clone(),
            old,
            new: edited.text,
            created: false,
            deleted: false,
            changes: edited.changes,
        },
        target,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appended_documents_keep_the_file_and_its_line_ends() {
        let doc = "kind: Group\nmetadata:\n  name: g\n";
        assert_eq!(append(None, doc), doc);
        assert_eq!(append(Some("\n\n"), doc), doc);
        assert_eq!(append(Some("a: 1"), doc), format!("a: 1\n---\n{doc}"));
        assert_eq!(
            append(Some("a: 1\n---\n"), doc),
            format!("a: 1\n---\n{doc}")
        );
        assert_eq!(
            append(Some("a: 1\r\n# end"), doc),
            "a: 1\r\n# end\r\n---\r\nkind: Group\r\nmetadata:\r\n  name: g\r\n"
        );
    }

    #[test]
    fn skeletons_need_every_required_flag_and_no_foreign_one() {
        let entity = NewEntity {
            kind: "user".into(),
            name: "jane".into(),
            ..Default::default()
        };
        let (reference, text) = document(&entity).unwrap();
        assert_eq!(reference.to_string(), "user:default/jane");
        assert!(text.ends_with("spec:\n  memberOf: []\n"), "{text}");
        let entity = NewEntity {
            kind: "Component".into(),
            name: "Bad Name".into(),
            spec: vec![("parent", "parent", vec!["x".into()])],
            ..Default::default()
        };
        let errors = document(&entity).unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(
            kind_spec("template")
                .unwrap_err()
                .contains("steps are a program")
        );
        assert!(kind_spec("widget").unwrap_err().contains("unknown kind"));
        assert_eq!(flag_of("memberOf"), "member-of");
    }
}
