//! The one-obvious-fix engine: for a finding whose correction leaves no choice to a person, the
//! minimal textual edit that makes it go away. Pure: it reads the loaded catalog (the text of
//! each file as it was read, its entities and diagnostics) and returns edits; it never reads,
//! writes or prints. `catalog validate --fix` applies every fix at once; an editor asks for the
//! fixes of one diagnostic.
//!
//! A fix is offered only when it is the single obvious one: a tag that lowercasing (and nothing
//! else) makes valid, a missing owner when one owner is strictly the most common in the folder,
//! a reference with exactly one closest entity of an expected kind, a duplicated key whose two
//! values are the same text. Anything less certain is left to a person.
//!
//! Use: load the catalog with `keep_text` (files whose only findings come from the cross-file
//! checks keep no text otherwise; `keep_documents` saves parsing them again), build one
//! [`Fixer`] per loaded catalog, then ask [`Fixer::fix`] for one finding (an editor's code
//! action: the edits are byte ranges of the text the catalog read, the title is imperative) or
//! [`Fixer::plan`] for all of them (the command line: at most one fix per piece of text).

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::catalog::entity::Relation;
use crate::catalog::entity_ref::{EntityRef, written_form};
use crate::catalog::load::FileReport;
use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::yaml::edit::{self as patch, Source};
use crate::yaml::ops::{self, Operation};
use crate::yaml::{Node, Pos, Value};

/// The codes the engine can fix (for some of their findings: see each rule).
pub const FIXABLE: &[Code] = &[
    Code::YamlDuplicateKey,
    Code::MissingField,
    Code::InvalidTag,
    Code::MissingRefKind,
    Code::UnknownKind,
    Code::UnresolvedRef,
    Code::WrongRefKind,
];

/// One replacement in a file: the byte range `start..end` of the text as the catalog read it
/// (a byte-order mark removed) becomes `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub file: PathBuf,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// The fix of one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The code of the finding it fixes.
    pub code: Code,
    /// What it does, in the imperative ("Lowercase tag `Java`").
    pub title: String,
    /// The finding's file and line (1-based), to match the fix to it.
    pub file: PathBuf,
    pub line: u32,
    pub entity: Option<String>,
    /// Minimal edits (all in `file`), sorted, not overlapping.
    pub edits: Vec<TextEdit>,
}

/// A fix left out of a plan, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub fix: Fix,
    pub reason: String,
}

/// Every fix of a set of findings: at most one edit touches any text of a file.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// In file order, then by position.
    pub fixes: Vec<Fix>,
    /// Fixes that touch text an earlier fix changes: applied by a second run.
    pub skipped: Vec<Skipped>,
}

/// The fix engine over one loaded catalog.
pub struct Fixer<'a> {
    catalog: &'a Catalog,
    config: &'a Config,
    /// Gathered on first use: the rules that read only the finding's own file (a tag, a kind,
    /// a duplicated key) need none of it, and an editor asks for one finding at a time.
    index: OnceCell<Index<'a>>,
}

/// What the reference and owner rules need from the whole catalog.
struct Index<'a> {
    /// Entities by namespace: (reference, name as written when the documents were kept),
    /// sorted so that a duplicated entity's written name does not depend on hashing.
    by_namespace: HashMap<&'a str, Vec<(&'a EntityRef, &'a str)>>,
    /// Owners (`ownedBy` targets) of the entities of each directory, with their counts.
    owners: HashMap<&'a Path, HashMap<&'a EntityRef, usize>>,
}

impl<'a> Index<'a> {
    /// One pass over the files in any order (sorting every path cost more than the rest).
    fn new(catalog: &'a Catalog) -> Index<'a> {
        let mut by_namespace: HashMap<&str, Vec<(&EntityRef, &str)>> = HashMap::new();
        let mut owners: HashMap<&Path, HashMap<&EntityRef, usize>> = HashMap::new();
        for (path, report) in &catalog.files {
            let folder = path.parent().unwrap_or(Path::new(""));
            for e in &report.entities {
                let reference = &e.record.reference;
                let written = report
                    .parsed
                    .get(e.document)
                    .and_then(|d| d.root.get("metadata")?.get("name")?.as_str())
                    .filter(|n| n.eq_ignore_ascii_case(reference.name()))
                    .unwrap_or(reference.name());
                by_namespace
                    .entry(reference.namespace())
                    .or_default()
                    .push((reference, written));
                for r in e.record.relations.iter().filter(|r| r.field == "owner") {
                    *owners
                        .entry(folder)
                        .or_default()
                        .entry(&r.target)
                        .or_default() += 1;
                }
            }
        }
        for entities in by_namespace.values_mut() {
            entities.sort_unstable();
        }
        Index {
            by_namespace,
            owners,
        }
    }
}

/// A fix's title and edits, when a rule finds the one obvious fix.
type Found = Option<(String, Vec<TextEdit>)>;

/// The parsed documents of one file, and its text.
struct FileView<'a> {
    report: &'a FileReport,
    text: &'a str,
    src: Source<'a>,
    /// Parsed here when the catalog did not keep its documents.
    own: Vec<crate::yaml::LoadedDocument>,
}

impl<'a> FileView<'a> {
    /// None when the file cannot be edited by byte ranges (no text kept, decoded lossily, lone
    /// carriage returns).
    fn new(report: &'a FileReport) -> Option<FileView<'a>> {
        let text = report.text.as_deref()?;
        if patch::lone_carriage_return(text).is_some()
            || report
                .diagnostics
                .iter()
                .any(|d| d.code == Code::FileNotUtf8)
        {
            return None;
        }
        let own = if report.parsed.len() == report.documents {
            Vec::new()
        } else {
            crate::yaml::parse_stream(text).documents
        };
        Some(FileView {
            report,
            text,
            src: Source::new(text),
            own,
        })
    }

    fn root(&self, document: usize) -> Option<&Node> {
        if self.own.is_empty() {
            self.report.parsed.get(document).map(|d| &d.root)
        } else {
            self.own.get(document).map(|d| &d.document.root)
        }
    }

    /// Replaces the scalar `node` with `new`, in the quotes the old value was written with.
    fn replace_scalar(&self, node: &Node, new: &str) -> Option<TextEdit> {
        let (start, end) = patch::scalar_range(&self.src, node).ok()?;
        let replacement = patch::quote_like(&self.text[start..end], new);
        Some(self.edit(start, end, replacement))
    }

    fn edit(&self, start: usize, end: usize, replacement: String) -> TextEdit {
        TextEdit {
            file: self.report.path.clone(),
            start,
            end,
            replacement,
        }
    }
}

impl<'a> Fixer<'a> {
    pub fn new(catalog: &'a Catalog, config: &'a Config) -> Fixer<'a> {
        Fixer {
            catalog,
            config,
            index: OnceCell::new(),
        }
    }

    fn index(&self) -> &Index<'a> {
        self.index.get_or_init(|| Index::new(self.catalog))
    }

    /// The fix of one finding, when it has one obvious fix (an editor's code action).
    pub fn fix(&self, d: &Diagnostic) -> Option<Fix> {
        let report = self.catalog.files.get(d.file.as_ref()?)?;
        self.fix_in(&FileView::new(report)?, d)
    }

    /// Every fix of `diagnostics` (suppressed ones left out), planned together: in each file
    /// the first fix (by position) of any text wins, and a later one that touches the same
    /// text is skipped. Two findings with the very same fix get it once.
    pub fn plan(&self, diagnostics: &[Diagnostic]) -> Plan {
        let mut by_file: BTreeMap<&PathBuf, Vec<&Diagnostic>> = BTreeMap::new();
        for d in diagnostics.iter().filter(|d| d.suppressed.is_none()) {
            if FIXABLE.contains(&d.code)
                && let Some(file) = &d.file
            {
                by_file.entry(file).or_default().push(d);
            }
        }
        let mut plan = Plan::default();
        for (file, diags) in by_file {
            let Some(view) = self.catalog.files.get(file).and_then(FileView::new) else {
                continue;
            };
            let mut fixes: Vec<Fix> = diags.iter().filter_map(|d| self.fix_in(&view, d)).collect();
            fixes.sort_by(|a, b| {
                let key = |f: &Fix| {
                    (
                        f.edits.first().map(|e| (e.start, e.end)),
                        f.code,
                        f.title.clone(),
                    )
                };
                key(a).cmp(&key(b))
            });
            let mut taken: Vec<Fix> = Vec::new();
            for fix in fixes {
                if taken.iter().any(|t| t.edits == fix.edits) {
                    continue;
                }
                match taken.iter().find(|t| overlaps(&t.edits, &fix.edits)) {
                    Some(first) => plan.skipped.push(Skipped {
                        reason: format!(
                            "it touches the text of the fix \"{}\" (line {}), applied first; run --fix again",
                            first.title, first.line
                        ),
                        fix,
                    }),
                    None => taken.push(fix),
                }
            }
            plan.fixes.extend(taken);
        }
        plan
    }

    fn fix_in(&self, view: &FileView<'_>, d: &Diagnostic) -> Option<Fix> {
        let root = view.root(d.document?)?;
        // The findings are about the document with its placeholders resolved: text a
        // placeholder stands for is not in this file.
        if let Some(pointer) = &d.pointer
            && under_placeholder(root, pointer)
        {
            return None;
        }
        let (title, edits) = match d.code {
            Code::InvalidTag => self.lowercase_tag(view, root, d.pointer.as_deref()?)?,
            Code::MissingField if d.pointer.as_deref() == Some("/spec/owner") => {
                self.most_common_owner(view, root, d)?
            }
            Code::UnresolvedRef | Code::WrongRefKind => self.closest_reference(view, root, d)?,
            Code::MissingRefKind => self.only_entity_of_that_name(view, root, d)?,
            Code::UnknownKind if d.pointer.as_deref() == Some("/kind") => {
                kind_in_its_case(view, root)?
            }
            Code::YamlDuplicateKey => remove_equal_duplicate(view, root, d.span?.start)?,
            _ => return None,
        };
        Some(Fix {
            code: d.code,
            title,
            file: view.report.path.clone(),
            line: d.span.map_or(0, |s| s.start.line),
            entity: d.entity.clone(),
            edits,
        })
    }

    /// `invalid-tag`: lowercasing, and nothing else, makes the tag valid.
    fn lowercase_tag(&self, view: &FileView<'_>, root: &Node, pointer: &str) -> Found {
        let node = root.pointer(pointer)?;
        let tag = node.as_str()?;
        let lower = tag.to_lowercase();
        if lower == tag || !self.config.formats.tag_ok(&lower) {
            return None;
        }
        Some((
            format!("Lowercase tag `{tag}`"),
            vec![view.replace_scalar(node, &lower)?],
        ))
    }

    /// `missing-field` of `spec.owner`: the owner strictly most common among the other entities
    /// of the same directory, when it is an entity the catalog knows.
    fn most_common_owner(&self, view: &FileView<'_>, root: &Node, d: &Diagnostic) -> Found {
        let entity = view
            .report
            .entities
            .iter()
            .find(|e| Some(e.document) == d.document)?;
        let folder = view.report.path.parent().unwrap_or(Path::new(""));
        let counts = self.index().owners.get(folder)?;
        let mut ranked: Vec<(&EntityRef, usize)> = counts.iter().map(|(r, n)| (*r, *n)).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let (owner, count) = *ranked.first()?;
        if ranked.get(1).is_some_and(|(_, n)| *n == count) || !self.knows(owner) {
            return None;
        }
        let total: usize = ranked.iter().map(|(_, n)| n).sum();
        let namespace = entity.record.reference.namespace();
        let written = short_reference(owner, "group", namespace, &self.written_name(owner));
        let set = Operation::Set {
            path: vec!["spec".into(), "owner".into()],
            value: patch::yaml_string(&written),
        };
        let (edits, _) = ops::plan(&view.src, root, &set).ok()??;
        let place = if folder.as_os_str().is_empty() {
            ".".to_string()
        } else {
            folder.display().to_string()
        };
        Some((
            format!(
                "Set `spec.owner` to `{written}`, the most common owner in {place}/ ({count} of {total} entities with an owner)"
            ),
            edits
                .into_iter()
                .map(|e| view.edit(e.start, e.end, e.text))
                .collect(),
        ))
    }

    /// `unresolved-ref` and `wrong-ref-kind`: the one entity of an expected kind (any kind for
    /// `dependsOn`) in the same namespace whose name is closest, written in the form the
    /// reference was written.
    fn closest_reference(&self, view: &FileView<'_>, root: &Node, d: &Diagnostic) -> Found {
        let pointer = d.pointer.as_deref()?;
        let relation: &Relation = view
            .report
            .entities
            .iter()
            .find(|e| Some(e.document) == d.document)?
            .record
            .relations
            .iter()
            .find(|r| r.pointer() == pointer)?;
        let target = &relation.target;
        let candidates: Vec<&(&EntityRef, &str)> = self
            .index()
            .by_namespace
            .get(target.namespace())?
            .iter()
            .filter(|(r, _)| {
                *r != target
                    && (relation.expected_kinds.is_empty()
                        || relation.expected_kinds.contains(&r.kind()))
            })
            .collect();
        let names: Vec<&str> = candidates.iter().map(|(r, _)| r.name()).collect();
        let best = crate::suggest::closest_unique(target.name(), &names)?;
        // One name may belong to entities of several kinds: then there is no single answer.
        let mut matching = candidates.iter().filter(|(r, _)| r.name() == best);
        let (found, name) = matching.next()?;
        if matching.next().is_some() {
            return None;
        }
        let node = root.pointer(pointer)?;
        let old = node.as_str()?;
        let form = written_form(old);
        // Without a written kind the reference took the field's default, which is its target's.
        let kind = match form.kind {
            Some(k) if k.eq_ignore_ascii_case(found.kind()) => Some(k.to_string()),
            None if target.kind() == found.kind() => None,
            _ => Some(found.kind().to_string()),
        };
        let mut new = String::new();
        if let Some(kind) = kind {
            new.push_str(&kind);
            new.push(':');
        }
        if let Some(ns) = form.namespace {
            new.push_str(ns);
            new.push('/');
        }
        new.push_str(name);
        Some((
            format!("Change `{old}` to `{new}` ({found})"),
            vec![view.replace_scalar(node, &new)?],
        ))
    }

    /// `missing-ref-kind`: exactly one entity of the catalog (of a kind the field expects) has
    /// that name in that namespace; its kind is written in front.
    fn only_entity_of_that_name(&self, view: &FileView<'_>, root: &Node, d: &Diagnostic) -> Found {
        let pointer = d.pointer.as_deref()?;
        let entity = &view
            .report
            .entities
            .iter()
            .find(|e| Some(e.document) == d.document)?
            .record;
        let field = pointer.strip_prefix("/spec/")?.split('/').next()?;
        let expected = self.expected_kinds(&entity.kind_written, field);
        let node = root.pointer(pointer)?;
        let text = node.as_str()?;
        let form = written_form(text);
        if form.kind.is_some() {
            return None;
        }
        let namespace = form.namespace.map_or_else(
            || entity.reference.namespace().to_string(),
            str::to_lowercase,
        );
        let name = form.name.to_lowercase();
        let mut named = self
            .index()
            .by_namespace
            .get(namespace.as_str())?
            .iter()
            .filter(|(r, _)| {
                r.name() == name && (expected.is_empty() || expected.contains(&r.kind()))
            });
        let (found, _) = named.next()?;
        if named.next().is_some() {
            return None;
        }
        let new = format!("{}:{text}", found.kind());
        Some((
            format!("Write the kind: `{new}` (the only entity named `{text}`)"),
            vec![view.replace_scalar(node, &new)?],
        ))
    }

    /// The kinds a reference field of `kind` expects (empty: any), built-in or configured.
    fn expected_kinds(&self, kind: &str, field: &str) -> &'static [&'static str] {
        let builtin = crate::catalog::kinds::KINDS
            .iter()
            .filter(|k| k.kind == kind)
            .flat_map(|k| k.relations.iter());
        let custom = self
            .config
            .custom_kinds
            .iter()
            .filter(|k| k.kind == kind)
            .flat_map(|k| k.relations.iter());
        builtin
            .chain(custom)
            .find(|r| r.field == field)
            .map_or(&[], |r| r.expected_kinds)
    }

    fn knows(&self, reference: &EntityRef) -> bool {
        self.index()
            .by_namespace
            .get(reference.namespace())
            .is_some_and(|list| list.iter().any(|(r, _)| *r == reference))
            || self.config.external.contains(reference.as_str())
    }

    /// An entity's name as its definition writes it (its reference is lowercase).
    fn written_name(&self, reference: &EntityRef) -> String {
        self.index()
            .by_namespace
            .get(reference.namespace())
            .and_then(|list| list.iter().find(|(r, _)| *r == reference))
            .map_or(reference.name(), |(_, n)| n)
            .to_string()
    }
}

/// `reference` as written in a field whose default kind is `default_kind`, from an entity in
/// `namespace`: the kind and namespace only when they differ from what is implied.
fn short_reference(
    reference: &EntityRef,
    default_kind: &str,
    namespace: &str,
    name: &str,
) -> String {
    let mut out = String::new();
    if reference.kind() != default_kind {
        out.push_str(reference.kind());
        out.push(':');
    }
    if !reference.namespace().eq_ignore_ascii_case(namespace) {
        out.push_str(reference.namespace());
        out.push('/');
    }
    out.push_str(name);
    out
}

/// `unknown-kind`: the kind is a built-in one written in another case (`component`), and the
/// apiVersion is one of that kind's.
fn kind_in_its_case(view: &FileView<'_>, root: &Node) -> Found {
    let node = root.get("kind")?;
    let written = node.as_str()?;
    let api_version = root.get("apiVersion")?.as_str()?;
    let kind = crate::catalog::kinds::KINDS.iter().find(|k| {
        k.kind != written
            && k.kind.eq_ignore_ascii_case(written)
            && k.api_versions.contains(&api_version)
    })?;
    Some((
        format!("Write kind `{}` (kinds are case-sensitive)", kind.kind),
        vec![view.replace_scalar(node, kind.kind)?],
    ))
}

/// `yaml-duplicate-key`: removes the later entry when its value is the same text as the
/// first's (keys on lines of their own in a block mapping; flow mappings are left alone).
fn remove_equal_duplicate(view: &FileView<'_>, root: &Node, at: Pos) -> Found {
    let entries = mapping_with_key_at(root, at)?;
    let later = entries.iter().position(|(k, _)| k.span.start == at)?;
    let key = &entries[later].0;
    let first = &entries[..later].iter().find(|(k, _)| k.text == key.text)?.0;
    let src = &view.src;
    let indent = patch::column0(at);
    // The later key must start its line, so whole lines can go.
    if patch::indent_at(src, at) != indent {
        return None;
    }
    let value_text = |k: &crate::yaml::Key| {
        let last = patch::entry_last_line(src, k.span.start.line, patch::column0(k.span.start));
        let (_, end) = patch::lines_range(src, k.span.start.line, last);
        let from = src.offset(k.span.end);
        view.text.get(from..end).map(str::trim_end)
    };
    if value_text(first)? != value_text(key)? {
        return None;
    }
    let last = patch::entry_last_line(src, at.line, indent);
    let (start, end) = patch::lines_range(src, at.line, last);
    Some((
        format!(
            "Remove the second `{}` (line {}), the same as line {}",
            key.text, at.line, first.span.start.line
        ),
        vec![view.edit(start, end, String::new())],
    ))
}

/// The entries of the mapping under `node` that has a key starting at `at`.
fn mapping_with_key_at(node: &Node, at: Pos) -> Option<&[(crate::yaml::Key, Node)]> {
    match &node.value {
        Value::Map(entries) => {
            if entries.iter().any(|(k, _)| k.span.start == at) {
                return Some(entries);
            }
            entries.iter().find_map(|(_, v)| mapping_with_key_at(v, at))
        }
        Value::Seq(items) => items.iter().find_map(|v| mapping_with_key_at(v, at)),
        _ => None,
    }
}

/// Whether a node on the way to `pointer` (or where it ends) is a `$text`, `$json` or `$yaml`
/// placeholder.
fn under_placeholder(root: &Node, pointer: &str) -> bool {
    let is_placeholder = |node: &Node| {
        node.as_map().is_some_and(|entries| {
            entries
                .iter()
                .any(|(k, _)| matches!(k.text.as_str(), "$text" | "$json" | "$yaml"))
        })
    };
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        if is_placeholder(node) {
            return true;
        }
        let token = token.replace("~1", "/").replace("~0", "~");
        let next = match &node.value {
            Value::Map(_) => node.get(&token),
            Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return false,
        }
    }
    is_placeholder(node)
}

/// Whether two sets of edits touch the same text (two insertions at one point count).
fn overlaps(a: &[TextEdit], b: &[TextEdit]) -> bool {
    a.iter().any(|x| {
        b.iter()
            .any(|y| (x.start < y.end && y.start < x.end) || (x.start == y.start && x.end == y.end))
    })
}

/// `text` with the edits of `fixes` (all of one file, from one plan) applied.
pub fn apply(text: &str, fixes: &[&Fix]) -> Result<String, String> {
    let edits = fixes
        .iter()
        .flat_map(|f| f.edits.iter())
        .map(|e| patch::Edit {
            start: e.start,
            end: e.end,
            text: e.replacement.clone(),
        })
        .collect();
    patch::apply(text, edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::LoadOptions;

    fn load_dir(dir: &Path, keep_documents: bool) -> Catalog {
        Catalog::load(&LoadOptions {
            paths: &[dir.to_path_buf()],
            config: &Config::default(),
            keep_documents,
            keep_text: true,
        })
    }

    fn load(text: &str, keep_documents: bool) -> (tempfile::TempDir, Catalog) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("catalog-info.yaml"), text).unwrap();
        let catalog = load_dir(dir.path(), keep_documents);
        (dir, catalog)
    }

    const DUPLICATED_TAGS: &str = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n  tags:\n    - Java\n  tags:\n    - Java\nspec:\n  type: team\n  children: []\n";

    #[test]
    fn a_fix_touching_the_text_of_an_earlier_one_is_skipped_with_the_reason() {
        let (_dir, catalog) = load(DUPLICATED_TAGS, true);
        let config = Config::default();
        let fixer = Fixer::new(&catalog, &config);
        let plan = fixer.plan(&catalog.all_diagnostics());
        // The later `tags:` goes; the tag inside it (the one Backstage reads) is skipped.
        let titles: Vec<&str> = plan.fixes.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Remove the second `tags` (line 7), the same as line 5"]
        );
        assert_eq!(plan.skipped.len(), 1);
        assert_eq!(plan.skipped[0].fix.title, "Lowercase tag `Java`");
        assert!(
            plan.skipped[0].reason.contains("run --fix again"),
            "{:?}",
            plan.skipped
        );
        // A second run fixes what is left.
        let file = &plan.fixes[0].file;
        let once = apply(DUPLICATED_TAGS, &plan.fixes.iter().collect::<Vec<_>>()).unwrap();
        std::fs::write(file, &once).unwrap();
        let (_dir2, again) = load(&once, true);
        let plan = Fixer::new(&again, &config).plan(&again.all_diagnostics());
        assert_eq!(plan.fixes.len(), 1);
        assert_eq!(plan.fixes[0].title, "Lowercase tag `Java`");
    }

    #[test]
    fn documents_are_parsed_when_the_catalog_did_not_keep_them() {
        let (_dir, catalog) = load(DUPLICATED_TAGS, false);
        let config = Config::default();
        let fixer = Fixer::new(&catalog, &config);
        let diagnostics = catalog.all_diagnostics();
        let fixes: Vec<Fix> = diagnostics.iter().filter_map(|d| fixer.fix(d)).collect();
        assert_eq!(fixes.len(), 2, "{diagnostics:#?}");
        // Findings of other codes have no fix; suppressed ones are not planned.
        let mut suppressed = diagnostics.clone();
        for d in &mut suppressed {
            d.suppressed = Some(crate::diag::Suppression {
                kind: crate::diag::SuppressionKind::Inline,
                reason: None,
                source: "x:1".into(),
            });
        }
        assert!(fixer.plan(&suppressed).fixes.is_empty());
    }

    #[test]
    fn files_with_lone_carriage_returns_get_no_fix() {
        let text = DUPLICATED_TAGS.replace("team-a\n", "team-a\r");
        let (_dir, catalog) = load(&text, true);
        let diagnostics = catalog.all_diagnostics();
        assert!(
            diagnostics.iter().any(|d| d.code == Code::YamlDuplicateKey),
            "{diagnostics:#?}"
        );
        let config = Config::default();
        let plan = Fixer::new(&catalog, &config).plan(&catalog.all_diagnostics());
        assert!(plan.fixes.is_empty() && plan.skipped.is_empty());
    }

    #[test]
    fn nothing_a_placeholder_stands_for_is_fixed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("spec.yaml"),
            "type: service\nlifecycle: production\n",
        )
        .unwrap();
        let owned = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n";
        std::fs::write(dir.path().join("a.yaml"), owned).unwrap();
        std::fs::write(
            dir.path().join("b.yaml"),
            owned.replace("name: a", "name: b"),
        )
        .unwrap();
        // No owner in the file the placeholder reads: the finding is there, the fix is not.
        let text = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\nspec:\n  $yaml: ./spec.yaml\n";
        std::fs::write(dir.path().join("c.yaml"), text).unwrap();
        let group = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n";
        std::fs::write(dir.path().join("group.yaml"), group).unwrap();
        let config = Config::default();
        let catalog = load_dir(dir.path(), true);
        let diagnostics = catalog.all_diagnostics();
        let missing: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.pointer.as_deref() == Some("/spec/owner"))
            .collect();
        assert_eq!(missing.len(), 1, "{diagnostics:#?}");
        let fixer = Fixer::new(&catalog, &config);
        assert_eq!(fixer.fix(missing[0]), None);
        // The same entity written out gets the fix.
        std::fs::write(
            dir.path().join("c.yaml"),
            text.replace(
                "  $yaml: ./spec.yaml\n",
                "  type: service\n  lifecycle: production\n",
            ),
        )
        .unwrap();
        let catalog = load_dir(dir.path(), true);
        let plan = Fixer::new(&catalog, &config).plan(&catalog.all_diagnostics());
        assert_eq!(plan.fixes.len(), 1, "{:#?}", catalog.all_diagnostics());
        assert!(
            plan.fixes[0]
                .title
                .starts_with("Set `spec.owner` to `team-a`")
        );
    }

    #[test]
    fn crlf_files_keep_their_line_ends() {
        let dir = tempfile::tempdir().unwrap();
        let component = |name: &str, owner: &str| {
            format!(
                "apiVersion: backstage.io/v1alpha1\r\nkind: Component\r\nmetadata:\r\n  name: {name}\r\n  tags: [Go]\r\nspec:\r\n  type: service\r\n  lifecycle: production\r\n{owner}"
            )
        };
        std::fs::write(
            dir.path().join("a.yaml"),
            component("a", "  owner: team-a\r\n"),
        )
        .unwrap();
        std::fs::write(dir.path().join("b.yaml"), component("b", "")).unwrap();
        let group = "apiVersion: backstage.io/v1alpha1\r\nkind: Group\r\nmetadata:\r\n  name: team-a\r\nspec:\r\n  type: team\r\n  children: []\r\n";
        std::fs::write(dir.path().join("group.yaml"), group).unwrap();
        let catalog = load_dir(dir.path(), true);
        let config = Config::default();
        let plan = Fixer::new(&catalog, &config).plan(&catalog.all_diagnostics());
        let b = dir.path().join("b.yaml");
        let fixes: Vec<&Fix> = plan.fixes.iter().filter(|f| f.file == b).collect();
        assert_eq!(fixes.len(), 2, "{plan:#?}");
        let text = catalog.files[&b].text.as_deref().unwrap();
        let fixed = apply(text, &fixes).unwrap();
        assert_eq!(
            fixed,
            component("b", "  owner: team-a\r\n").replace("[Go]", "[go]")
        );
    }

    #[test]
    fn short_references_leave_out_what_is_implied() {
        let team = EntityRef::new("group", "default", "team-a");
        assert_eq!(
            short_reference(&team, "group", "default", "Team-A"),
            "Team-A"
        );
        assert_eq!(
            short_reference(&team, "group", "payments", "team-a"),
            "default/team-a"
        );
        let user = EntityRef::new("user", "default", "jdoe");
        assert_eq!(
            short_reference(&user, "group", "default", "jdoe"),
            "user:jdoe"
        );
    }
}
