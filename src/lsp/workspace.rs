//! The workspace's catalog kept in memory and re-checked one file at a time: an edit re-parses
//! only that file, then re-runs the cross-file checks only where it can change their verdict
//! (the definitions of the references it defines or defined, the files that refer to an entity
//! it adds or removes, the Locations that reach it or that it holds).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::catalog::crossref::{self, Definition};
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::load::{self, FileOptions, FileReport};
use crate::catalog::suppress::{self, FileDirectives};
use crate::catalog::{Catalog, LOCATION_CODES, LoadOptions, Reached, select};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::yaml::Span;

/// Where an entity is defined (owned: the index outlives any borrow of the catalog).
#[derive(Debug, Clone)]
struct Defined {
    file: PathBuf,
    span: Span,
    document: usize,
}

/// The Location stage of one file: its targets' findings (they change only with the file) and
/// the verdict on each file reached (it changes with that file).
#[derive(Debug, Default)]
struct Locations {
    resolved: Vec<Diagnostic>,
    reached: Vec<Reached>,
    by_target: HashMap<PathBuf, Vec<Diagnostic>>,
}

pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    /// Every catalog file under the root, with the text it was checked with (an editor's
    /// buffer when open) and its parsed documents; `diagnostics` holds the per-file stage only.
    pub catalog: Catalog,
    /// The Location stage of each file with Locations, and which Location files reach a file.
    locations: HashMap<PathBuf, Locations>,
    reached_by: HashMap<PathBuf, HashSet<PathBuf>>,
    /// Cross-file findings (duplicates, references) per file.
    cross: HashMap<PathBuf, Vec<Diagnostic>>,
    defined: HashMap<EntityRef, Vec<Defined>>,
    /// Which files refer to an entity (through a relation field).
    referrers: HashMap<EntityRef, HashSet<PathBuf>>,
    /// Files the client opened outside the root: checked alone, nothing else read for them.
    pub outside: HashMap<PathBuf, FileReport>,
    /// `scaffold lint`'s findings of each template file, by the file they are in (template.yaml
    /// and its skeleton files).
    lint: HashMap<PathBuf, HashMap<PathBuf, Vec<Diagnostic>>>,
}

impl Workspace {
    /// Loads every catalog file under `root` exactly as `catalog validate ROOT` does.
    pub fn load(root: PathBuf, config: Config) -> Workspace {
        let mut catalog = Catalog::load(&LoadOptions {
            paths: std::slice::from_ref(&root),
            config: &config,
            keep_documents: true,
            keep_text: true,
        });
        // The cross-file stages are re-run below from this module's indexes, so that an edit
        // can re-run them for one file.
        for report in catalog.files.values_mut() {
            report.diagnostics.retain(|d| {
                !crossref::CODES.contains(&d.code) && !LOCATION_CODES.contains(&d.code)
            });
        }
        let mut workspace = Workspace {
            root,
            config,
            catalog,
            locations: HashMap::new(),
            reached_by: HashMap::new(),
            cross: HashMap::new(),
            defined: HashMap::new(),
            referrers: HashMap::new(),
            outside: HashMap::new(),
            lint: HashMap::new(),
        };
        let paths: Vec<PathBuf> = workspace.catalog.files.keys().cloned().collect();
        for path in &paths {
            workspace.index(path);
            workspace.relocate(path);
        }
        for path in &paths {
            workspace.recheck_cross(path);
            workspace.relint(path);
        }
        workspace
    }

    /// Re-runs the Location stage of a file (nothing when it has no Location).
    fn relocate(&mut self, path: &Path) {
        if let Some(old) = self.locations.remove(path) {
            for r in &old.reached {
                if let Some(from) = self.reached_by.get_mut(&r.target) {
                    from.remove(path);
                }
            }
        }
        let (resolved, reached) = self
            .catalog
            .resolve_locations(path, &self.root, &self.config);
        if resolved.is_empty() && reached.is_empty() {
            return;
        }
        let mut state = Locations {
            resolved,
            reached,
            by_target: HashMap::new(),
        };
        for r in &state.reached {
            self.reached_by
                .entry(r.target.clone())
                .or_default()
                .insert(path.to_path_buf());
            state
                .by_target
                .entry(r.target.clone())
                .or_default()
                .extend(self.catalog.target_findings(r, &self.config));
        }
        self.locations.insert(path.to_path_buf(), state);
    }

    /// Judges `target` again for every Location that reaches it; returns those Locations' files.
    fn rejudge(&mut self, target: &Path) -> Vec<PathBuf> {
        let from: Vec<PathBuf> = self
            .reached_by
            .get(target)
            .map(|f| f.iter().cloned().collect())
            .unwrap_or_default();
        for l in &from {
            let Some(state) = self.locations.get(l) else {
                continue;
            };
            let findings: Vec<Diagnostic> = state
                .reached
                .iter()
                .filter(|r| r.target == target)
                .flat_map(|r| self.catalog.target_findings(r, &self.config))
                .collect();
            if let Some(state) = self.locations.get_mut(l) {
                state.by_target.insert(target.to_path_buf(), findings);
            }
        }
        from
    }

    /// Lints the Software Templates of a file as `scaffold lint` does (the template as checked
    /// now, its skeleton files as saved); returns every file whose lint findings may change.
    fn relint(&mut self, path: &Path) -> HashSet<PathBuf> {
        let mut affected: HashSet<PathBuf> = self
            .lint
            .remove(path)
            .map(|by_file| by_file.into_keys().collect())
            .unwrap_or_default();
        let Some(report) = self.catalog.files.get(path) else {
            return affected;
        };
        let Some(text) = report.text.as_deref() else {
            return affected;
        };
        let mut by_file: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
        for e in &report.entities {
            if e.record.reference.kind() != "template" {
                continue;
            }
            // As written (the reference is lowercase).
            let name = report
                .parsed
                .get(e.document)
                .and_then(|d| d.root.pointer("/metadata/name"))
                .and_then(|n| n.as_str());
            // A template.yaml Backstage cannot read is reported by the catalog checks already.
            let Ok(template) = crate::scaffold::template::Template::parse_named(path, text, name)
            else {
                continue;
            };
            for f in crate::scaffold::lint::lint_template(&template) {
                let at = crate::yaml::Pos {
                    line: f.line as u32,
                    column: f.column as u32,
                };
                let d = Diagnostic::new(f.code, f.message)
                    .in_file(&f.file)
                    .with_span(Span { start: at, end: at });
                by_file.entry(f.file).or_default().push(d);
            }
        }
        affected.extend(by_file.keys().cloned());
        if !by_file.is_empty() {
            self.lint.insert(path.to_path_buf(), by_file);
        }
        affected
    }

    /// A file saved in a template's skeleton directory: the template is linted again.
    pub fn saved(&mut self, path: &Path) -> HashSet<PathBuf> {
        let templates: Vec<PathBuf> = self
            .catalog
            .files
            .iter()
            .filter(|(_, report)| {
                report.entities.iter().any(|e| {
                    e.record
                        .skeleton_dirs
                        .iter()
                        .any(|dir| path.starts_with(crate::source::discover::tidy(dir)))
                })
            })
            .map(|(p, _)| p.clone())
            .collect();
        let mut affected = HashSet::new();
        for t in templates {
            affected.extend(self.relint(&t));
        }
        affected
    }

    /// Whether `path` is inside the workspace root (lexically and after links).
    pub fn contains(&self, path: &Path) -> bool {
        // A buffer not saved yet is inside when its name is.
        !matches!(
            crate::fs::confine(&self.root, path),
            Err(crate::fs::ReadError::Outside { .. })
        )
    }

    /// The report of a file the server knows (workspace or outside).
    pub fn report(&self, path: &Path) -> Option<&FileReport> {
        self.catalog
            .files
            .get(path)
            .or_else(|| self.outside.get(path))
    }

    /// Re-checks `path` with `text` (an editor's buffer, or the disk's after a close). Returns
    /// the files whose findings may have changed.
    pub fn update(&mut self, path: &Path, text: String) -> HashSet<PathBuf> {
        let mut affected = HashSet::from([path.to_path_buf()]);
        let inside = self.contains(path);
        if inside
            && !self.catalog.files.contains_key(path)
            && !self.looks_like_catalog_file(path, &text)
        {
            return HashSet::new();
        }
        let report = self.check(path, text, inside);
        if !inside {
            self.outside.insert(path.to_path_buf(), report);
            return affected;
        }
        let old_refs = self.unindex(path);
        self.catalog.files.insert(path.to_path_buf(), report);
        let new_refs = self.index(path);

        // Duplicates: every definition of a reference the file defines or defined.
        for r in old_refs.iter().chain(&new_refs) {
            for d in self.defined.get(r).into_iter().flatten() {
                affected.insert(d.file.clone());
            }
        }
        // Resolution: the files that refer to an entity that appeared or disappeared.
        let old: HashSet<&EntityRef> = old_refs.iter().collect();
        let new: HashSet<&EntityRef> = new_refs.iter().collect();
        for r in old.symmetric_difference(&new) {
            affected.extend(self.referrers.get(*r).into_iter().flatten().cloned());
        }
        // Locations: the file's own, and those that reach it.
        self.relocate(path);
        affected.extend(self.rejudge(path));
        for f in affected.clone() {
            self.recheck_cross(&f);
        }
        affected.extend(self.relint(path));
        affected
    }

    /// The per-file stage on a buffer: with the workspace's root and repository inside it, and
    /// alone outside it (no root: placeholders and Locations read nothing of the workspace).
    fn check(&self, path: &Path, text: String, inside: bool) -> FileReport {
        // The loader's bound holds for buffers too.
        if text.len() as u64 > load::MAX_FILE_BYTES {
            return FileReport {
                path: path.to_path_buf(),
                diagnostics: vec![load::too_large(path)],
                has_unreadable_document: true,
                ..FileReport::default()
            };
        }
        let mut opts = FileOptions::new(&self.config);
        if inside {
            opts.root = Some(&self.root);
            opts.same_repo = self.catalog.same_repo.as_ref();
        } else {
            opts.alone = true;
        }
        opts.keep_documents = true;
        opts.keep_text = true;
        load::check_text(path, text, &opts)
    }

    /// Forgets a file the client closed outside the root.
    pub fn close_outside(&mut self, path: &Path) -> bool {
        self.outside.remove(path).is_some()
    }

    /// A file new to the workspace is checked when `catalog validate` would find it.
    fn looks_like_catalog_file(&self, path: &Path, text: &str) -> bool {
        let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        yaml && (crate::source::discover::is_catalog_info_name(path)
            || load::mentions_entity_group(text, &self.config.api_groups))
            && load::template_expression_line(text).is_none()
    }

    /// Adds a file's definitions and references to the indexes; returns what it defines.
    fn index(&mut self, path: &Path) -> Vec<EntityRef> {
        let report = &self.catalog.files[path];
        let mut defines = Vec::new();
        for e in &report.entities {
            defines.push(e.record.reference.clone());
            self.defined
                .entry(e.record.reference.clone())
                .or_default()
                .push(Defined {
                    file: path.to_path_buf(),
                    span: e.record.name_span,
                    document: e.document,
                });
            for rel in &e.record.relations {
                self.referrers
                    .entry(rel.target.clone())
                    .or_default()
                    .insert(path.to_path_buf());
            }
        }
        defines
    }

    /// Removes a file's definitions and references from the indexes; returns what it defined.
    fn unindex(&mut self, path: &Path) -> Vec<EntityRef> {
        let Some(report) = self.catalog.files.get(path) else {
            return Vec::new();
        };
        let mut defined = Vec::new();
        for e in &report.entities {
            let r = &e.record.reference;
            if let Some(defs) = self.defined.get_mut(r) {
                defs.retain(|d| d.file != path);
                if defs.is_empty() {
                    self.defined.remove(r);
                }
            }
            for rel in &e.record.relations {
                if let Some(files) = self.referrers.get_mut(&rel.target) {
                    files.remove(path);
                }
            }
            defined.push(r.clone());
        }
        defined
    }

    /// The cross-file findings of one file, from the indexes.
    fn recheck_cross(&mut self, path: &Path) {
        let Some(report) = self.catalog.files.get(path) else {
            self.cross.remove(path);
            return;
        };
        let mut findings = Vec::new();
        let mut seen = HashSet::new();
        for e in &report.entities {
            let r = &e.record.reference;
            let Some(defs) = self.defined.get(r).filter(|d| d.len() > 1) else {
                continue;
            };
            if !seen.insert(r) {
                continue;
            }
            let mut views: Vec<Definition<'_>> = defs
                .iter()
                .map(|d| Definition {
                    file: &d.file,
                    span: d.span,
                    document: d.document,
                })
                .collect();
            findings.extend(
                crossref::duplicate_findings(r, &mut views)
                    .into_iter()
                    .filter(|d| d.file.as_deref() == Some(path)),
            );
        }
        findings.extend(crossref::relation_findings(
            path,
            report,
            |r| self.defined.contains_key(r),
            &self.config.external,
        ));
        self.cross.insert(path.to_path_buf(), findings);
    }

    /// What `catalog validate` reports for this file (recommended profile, the configured
    /// severities and suppressions), suppressed findings left out.
    pub fn findings(&self, path: &Path) -> Vec<Diagnostic> {
        let linted = self
            .lint
            .values()
            .flat_map(|by_file| by_file.get(path).into_iter().flatten().cloned());
        let Some(report) = self.report(path) else {
            // A skeleton file: `scaffold lint`'s findings alone, at the configured severities.
            let mut findings = select::select(linted.collect(), false, &self.config, false);
            crate::diag::sort(&mut findings);
            return findings;
        };
        let mut raw = report.diagnostics.clone();
        raw.extend(linted);
        raw.extend(self.cross.get(path).into_iter().flatten().cloned());
        if let Some(state) = self.locations.get(path) {
            raw.extend(state.resolved.iter().cloned());
            for d in state.by_target.values().flatten() {
                // Two targets may reach one file: its verdict is told once.
                if !raw
                    .iter()
                    .any(|o| o.code == d.code && o.message == d.message)
                {
                    raw.push(d.clone());
                }
            }
        }
        raw.extend(
            self.catalog
                .diagnostics
                .iter()
                .filter(|d| d.file.as_deref() == Some(path))
                .cloned(),
        );
        // Most files have nothing to say: no selection, no suppression pass.
        if raw.is_empty() && report.suppressions.is_empty() {
            return Vec::new();
        }
        let mut findings = select::select(raw, false, &self.config, false);
        let directives = [FileDirectives {
            path,
            directives: &report.suppressions,
        }];
        let reported = |code| select::reported(code, false, &self.config);
        let unused = suppress::apply(
            &mut findings,
            &directives,
            &self.config,
            &self.root,
            reported,
        );
        // `suppress:` entries of .callboard.yaml are judged against the whole catalog by
        // `catalog validate`; here only this file's own comments are.
        findings.extend(select::select(
            unused
                .into_iter()
                .filter(|d| d.file.as_deref() == Some(path))
                .collect(),
            false,
            &self.config,
            false,
        ));
        findings.retain(|d| d.suppressed.is_none());
        crate::diag::sort(&mut findings);
        findings
    }

    /// Every file with findings to publish (the catalog's, skeleton files, the outside ones).
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .catalog
            .files
            .keys()
            .chain(self.outside.keys())
            .chain(self.lint.values().flat_map(|by_file| by_file.keys()))
            .cloned()
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// The text of a file findings are about, to place them: the checked text, else (a
    /// skeleton file) the file as saved, read inside the root within the file size limit.
    pub fn text_of(&self, path: &Path) -> Option<std::sync::Arc<str>> {
        if let Some(text) = self.report(path).and_then(|r| r.text.clone()) {
            return Some(text);
        }
        let bytes = crate::fs::read_confined(&self.root, path, load::MAX_FILE_BYTES).ok()?;
        Some(String::from_utf8_lossy(&bytes).into())
    }
}
