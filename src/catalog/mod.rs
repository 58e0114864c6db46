//! The catalog: discovery, loading, per-entity and cross-file checks. Pure: it returns data
//! (files, entities, diagnostics) and never prints.

pub mod crossref;
pub mod entity;
pub mod entity_ref;
/// Backstage's field-format rules live on the ground floor (the configuration overrides them).
pub use crate::formats as format;
pub mod index;
pub mod kinds;
pub mod known;
pub mod load;
pub mod location;
pub mod placeholder;
pub mod rules;
pub mod same_repo;
pub mod schema;
pub mod select;
pub mod suppress;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::source::discover::{self, Discovered, tidy};
use load::{FileOptions, FileReport};

/// What to load.
pub struct LoadOptions<'a> {
    pub paths: &'a [PathBuf],
    pub config: &'a Config,
    /// Keep parsed documents in memory (for commands that evaluate entities further).
    pub keep_documents: bool,
    /// Keep every file's text (the bulk commands plan edits on the documents parsed here
    /// when the file still holds this text).
    pub keep_text: bool,
}

/// The whole catalog after every check.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Catalog files read, by path.
    pub files: HashMap<PathBuf, FileReport>,
    /// Problems not tied to one file's content (missing paths).
    pub diagnostics: Vec<Diagnostic>,
    /// The repository the files are in, for URLs into it (None for catalogs built otherwise).
    pub same_repo: Option<same_repo::SameRepository>,
}

/// Reads and checks one candidate file; None when a walked file turns out not to be a catalog file.
fn load_candidate(
    path: PathBuf,
    candidate: Candidate,
    opts: &FileOptions<'_>,
    config: &Config,
) -> Option<FileReport> {
    let (text, not_utf8) = match load::read_text(&path) {
        Ok(read) => read,
        Err(d) => {
            // A walked file we cannot decode may not be a catalog file at all: report it when
            // its name or its text says it is one, so a stray byte cannot hide an entity.
            if matches!(candidate, Candidate::IfCatalog)
                && !discover::is_catalog_info_name(&path)
                && !undecodable_entity_file(&path, d.code, &config.api_groups)
            {
                return None;
            }
            return Some(FileReport {
                path,
                diagnostics: vec![*d],
                has_unreadable_document: true,
                ..FileReport::default()
            });
        }
    };
    if matches!(candidate, Candidate::IfCatalog) {
        let entity_group = load::mentions_entity_group(&text, &config.api_groups);
        // Named catalog-info.yaml but another tool's file (a GitLab CI/CD catalog file has
        // its own apiVersion, or no kind): not ours.
        if !entity_group
            && (!discover::is_catalog_info_name(&path) || load::foreign_catalog_info(&text))
        {
            return None;
        }
        // A Software Template's skeleton (`name: ${{ values.name }}`) that no Template's
        // relative url reaches: a template source, not an entity.
        if let Some(line) = load::template_expression_line(&text) {
            let at = crate::yaml::Pos { line, column: 1 };
            return Some(FileReport {
                diagnostics: vec![
                    Diagnostic::new(
                        Code::TemplateSource,
                        "this file holds template expressions: it is a Software Template's skeleton, not an entity, and is not checked",
                    )
                    .with_span(crate::yaml::Span { start: at, end: at })
                    .in_file(&path)
                    .help("to check it, run `callboard scaffold lint` on its template; to silence this note, list the directory in .callboardignore"),
                ],
                text: Some(text.into()),
                path,
                ..FileReport::default()
            });
        }
    }
    let mut report = load::check_text(&path, text, opts);
    report.diagnostics.extend(not_utf8);
    Some(report)
}

/// Whether a walked file that could not be read as text still looks like an entity file: it
/// could not be opened at all, or its bytes (decoded loosely) name a Backstage group.
fn undecodable_entity_file(path: &Path, code: Code, extra_groups: &[String]) -> bool {
    use std::io::Read;
    match code {
        Code::FileUnreadable => true,
        Code::FileNotUtf8 | Code::FileBinary => {
            let mut bytes = Vec::new();
            let read = std::fs::File::open(path)
                .and_then(|f| f.take(load::MAX_FILE_BYTES).read_to_end(&mut bytes));
            read.is_err()
                || load::mentions_entity_group(&String::from_utf8_lossy(&bytes), extra_groups)
        }
        _ => false,
    }
}

/// A walk problem as a diagnostic.
fn walk_problem(problem: discover::WalkProblem) -> Diagnostic {
    let (code, help) = if problem.ignore_file {
        (
            Code::IgnoreFileInvalid,
            "fix or remove the pattern; files it should have excluded may be checked, and files below may be missed",
        )
    } else {
        (
            Code::WalkUnreadable,
            "make the directory readable, shorten the path, or exclude it; catalog files below it were not checked",
        )
    };
    let message = if problem.ignore_file {
        problem.message
    } else {
        format!(
            "cannot read this path while looking for catalog files: {}",
            problem.message
        )
    };
    let mut d = Diagnostic::new(code, message).help(help);
    if let Some(path) = &problem.path {
        d = d.in_file(path);
    }
    if let Some(line) = problem.line {
        let pos = crate::yaml::Pos {
            line: line as u32,
            column: 1,
        };
        d = d.with_span(crate::yaml::Span {
            start: pos,
            end: pos,
        });
    }
    d
}

/// A file reached from a Location's target.
#[derive(Debug, Clone)]
pub struct Reached {
    pub location_file: PathBuf,
    document: usize,
    entity: String,
    pointer: String,
    pub target: PathBuf,
}

/// The codes only the Location stage emits: a re-check of a file replaces them wholesale.
pub const LOCATION_CODES: &[Code] = &[
    Code::LocationTargetCwdRelative,
    Code::LocationTargetMissing,
    Code::LocationTargetTrailingSlash,
    Code::LocationTypeUnknown,
    Code::RemoteLocationTarget,
    Code::LocationTargetInvalid,
    Code::LocationTargetKindNotAllowed,
];

/// The kinds a Location may reach: the built-in ones and the configured custom kinds.
fn allowed_kinds(config: &Config) -> Vec<&str> {
    kinds::KINDS
        .iter()
        .map(|k| k.kind)
        .chain(config.custom_kinds.iter().map(|k| k.kind.as_str()))
        .collect()
}

/// The Locations of one file resolved against the file system: their findings and the files
/// they reach.
fn resolve_locations(
    path: &Path,
    report: &FileReport,
    root: &Path,
    known: &HashSet<PathBuf>,
    same_repo: &same_repo::SameRepository,
) -> (Vec<Diagnostic>, Vec<Reached>) {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut findings = Vec::new();
    let mut reached = Vec::new();
    for entity in &report.entities {
        let Some(spec) = &entity.record.location else {
            continue;
        };
        let location_root = load::confinement_root(dir, Some(root));
        let result = location::resolve(spec, dir, &location_root, known, Some(same_repo));
        for mut d in result.diagnostics {
            d.file = Some(path.to_path_buf());
            d.document = Some(entity.document);
            d.entity = Some(entity.record.reference.to_string());
            findings.push(d);
        }
        for (pointer, file) in result.files {
            reached.push(Reached {
                location_file: path.to_path_buf(),
                document: entity.document,
                entity: entity.record.reference.to_string(),
                pointer,
                target: tidy(&file),
            });
        }
    }
    (findings, reached)
}

/// Why a Location fails in Backstage because of the file it reaches: a document that cannot
/// become an entity, or an entity of a kind the catalog does not allow.
fn target_problems(
    target_path: &Path,
    target: &FileReport,
    allowed_kinds: &[&str],
) -> Vec<(Code, String)> {
    let mut messages = Vec::new();
    if target.has_unreadable_document {
        messages.push((
            Code::LocationTargetInvalid,
            format!(
                "target {} has a document Backstage cannot read (see its errors), so this Location fails",
                target_path.display()
            ),
        ));
    }
    for e in &target.entities {
        if !allowed_kinds
            .iter()
            .any(|k| k.eq_ignore_ascii_case(e.record.reference.kind()))
        {
            messages.push((
                Code::LocationTargetKindNotAllowed,
                format!(
                    "target {} holds {}, whose kind is not allowed in the catalog, so this Location fails",
                    target_path.display(),
                    e.record.reference,
                ),
            ));
        }
    }
    messages
}

impl Reached {
    /// A finding of the Location about this target (located later, from its pointer).
    fn finding(&self, code: Code, message: String) -> Diagnostic {
        let mut d = Diagnostic::new(code, message).at(self.pointer.clone());
        d.file = Some(self.location_file.clone());
        d.document = Some(self.document);
        d.entity = Some(self.entity.clone());
        d
    }
}

enum Candidate {
    /// Named on the command line or reached from a Location: always a catalog file.
    Always,
    /// Found by walking: a catalog file when named catalog-info.yaml or holding an entity apiVersion.
    IfCatalog,
}

impl Catalog {
    pub fn load(opts: &LoadOptions<'_>) -> Catalog {
        let config = opts.config;
        // Content reads stay inside the repository of the first path named (or that path).
        let start = opts
            .paths
            .first()
            .map(|p| {
                if p.is_dir() {
                    p.as_path()
                } else {
                    p.parent().unwrap_or(Path::new("."))
                }
            })
            .unwrap_or(Path::new("."));
        let root = load::confinement_root(start, None);
        let same_repo = same_repo::SameRepository::new(&root, config.repository.as_deref());
        let file_opts = FileOptions {
            root: Some(&root),
            same_repo: Some(&same_repo),
            config,
            keep_documents: opts.keep_documents,
            keep_text: opts.keep_text,
            alone: false,
        };
        let visit = |path: PathBuf| load_candidate(path, Candidate::IfCatalog, &file_opts, config);
        let Discovered {
            walked,
            explicit,
            missing,
            problems,
        } = discover::discover(
            opts.paths,
            config.include.as_ref(),
            config.exclude.as_ref(),
            &visit,
        );
        let mut catalog = Catalog::default();
        // The commands refuse a missing path before loading (exit 2); one that disappears
        // in between cannot be read.
        for path in missing {
            // Neither a file nor a directory: a FIFO would block and a device never ends, so
            // they are not read, and the message says what they are.
            let diagnostic = match std::fs::metadata(&path) {
                Ok(meta) => Diagnostic::new(
                    Code::FileUnreadable,
                    format!(
                        "{} is {}, not a regular file; callboard reads only regular files",
                        path.display(),
                        crate::fs::kind_of(&meta)
                    ),
                ),
                Err(_) => Diagnostic::new(
                    Code::FileUnreadable,
                    format!("{} does not exist (any more)", path.display()),
                )
                .help("check the path; callboard validates the files and directories you name"),
            };
            catalog.diagnostics.push(diagnostic.in_file(&path));
        }
        for problem in problems {
            catalog.diagnostics.push(walk_problem(problem));
        }
        for report in walked {
            catalog.files.insert(report.path.clone(), report);
        }
        let explicit_set: BTreeSet<PathBuf> = explicit.iter().cloned().collect();
        catalog.add_files(
            explicit
                .into_iter()
                .map(|p| (p, Candidate::Always))
                .collect(),
            &file_opts,
            config,
        );

        // Template skeletons are template sources, not entities.
        let skeletons: Vec<PathBuf> = catalog
            .files
            .values()
            .flat_map(|f| {
                f.entities
                    .iter()
                    .flat_map(|e| e.record.skeleton_dirs.iter().cloned())
            })
            .collect();
        if !skeletons.is_empty() {
            catalog.files.retain(|path, _| {
                explicit_set.contains(path)
                    || !skeletons.iter().any(|dir| path.starts_with(tidy(dir)))
            });
        }

        // Follow Location targets until no new file is reached.
        let allowed_kinds = allowed_kinds(config);
        let mut resolved: HashSet<PathBuf> = HashSet::new();
        let known: HashSet<PathBuf> = catalog.files.keys().cloned().collect();
        loop {
            let mut reached = Vec::new();
            let pending: Vec<PathBuf> = catalog
                .files
                .keys()
                .filter(|p| !resolved.contains(*p))
                .cloned()
                .collect();
            for path in pending {
                resolved.insert(path.clone());
                let report = catalog.files.get_mut(&path).expect("listed above");
                let (diagnostics, targets) =
                    resolve_locations(&path, report, &root, &known, &same_repo);
                report.diagnostics.extend(diagnostics);
                reached.extend(targets);
            }
            let new: Vec<(PathBuf, Candidate)> = reached
                .iter()
                .map(|r| r.target.clone())
                .filter(|p| !catalog.files.contains_key(p))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|p| (p, Candidate::Always))
                .collect();
            catalog.link_targets(&reached, &allowed_kinds);
            if new.is_empty() {
                break;
            }
            catalog.add_files(new, &file_opts, config);
            // Link again now that the new files are loaded.
            catalog.link_targets(&reached, &allowed_kinds);
        }
        catalog.resolve_pending_spans();
        crossref::check(&mut catalog, &config.external);
        catalog.same_repo = Some(same_repo);
        catalog
    }

    fn add_files(
        &mut self,
        candidates: Vec<(PathBuf, Candidate)>,
        opts: &FileOptions<'_>,
        config: &Config,
    ) {
        let reports: Vec<FileReport> = candidates
            .into_par_iter()
            .filter_map(|(path, candidate)| load_candidate(path, candidate, opts, config))
            .collect();
        for r in reports {
            self.files.insert(r.path.clone(), r);
        }
    }

    /// A Location fails in Backstage when a file it reaches has a document that cannot become an
    /// entity, or an entity of a kind the catalog rules do not allow.
    fn link_targets(&mut self, reached: &[Reached], allowed_kinds: &[&str]) {
        for r in reached {
            let Some(target) = self.files.get(&r.target) else {
                continue;
            };
            let messages = target_problems(&r.target, target, allowed_kinds);
            let Some(report) = self.files.get_mut(&r.location_file) else {
                continue;
            };
            for (code, message) in messages {
                if report
                    .diagnostics
                    .iter()
                    .any(|d| d.code == code && d.message == message)
                {
                    continue;
                }
                report.diagnostics.push(r.finding(code, message));
            }
        }
    }

    /// The Location stage for one loaded file, re-run in place (the language server): its
    /// Locations' targets resolved against the file system (confined to `root`), with their
    /// findings located, and the files they reach (judged with [`Catalog::target_findings`]).
    /// Files a target reaches that are not loaded are not read.
    pub fn resolve_locations(
        &self,
        path: &Path,
        root: &Path,
        config: &Config,
    ) -> (Vec<Diagnostic>, Vec<Reached>) {
        let Some(report) = self.files.get(path) else {
            return (Vec::new(), Vec::new());
        };
        if report.entities.iter().all(|e| e.record.location.is_none()) {
            return (Vec::new(), Vec::new());
        }
        let known: HashSet<PathBuf> = self.files.keys().cloned().collect();
        let fallback;
        let same_repo = match &self.same_repo {
            Some(same_repo) => same_repo,
            None => {
                fallback = same_repo::SameRepository::new(root, config.repository.as_deref());
                &fallback
            }
        };
        let (mut findings, reached) = resolve_locations(path, report, root, &known, same_repo);
        self.locate(path, &mut findings);
        (findings, reached)
    }

    /// What a Location's file is told about one file it reaches, as it is loaded now (located).
    pub fn target_findings(&self, reached: &Reached, config: &Config) -> Vec<Diagnostic> {
        let Some(target) = self.files.get(&reached.target) else {
            return Vec::new();
        };
        let mut findings: Vec<Diagnostic> =
            target_problems(&reached.target, target, &allowed_kinds(config))
                .into_iter()
                .map(|(code, message)| reached.finding(code, message))
                .collect();
        self.locate(&reached.location_file, &mut findings);
        findings
    }

    /// Spans of findings that carry only a pointer, from the file's parsed documents.
    fn locate(&self, path: &Path, findings: &mut [Diagnostic]) {
        let Some(report) = self.files.get(path) else {
            return;
        };
        for d in findings.iter_mut().filter(|d| d.span.is_none()) {
            if let Some(doc) = d.document.and_then(|i| report.parsed.get(i)) {
                d.span = Some(doc.root.locate(d.pointer.as_deref().unwrap_or("")));
            }
        }
    }

    /// Diagnostics added after the per-file stage (Location targets) carry only a pointer:
    /// resolve their spans from the file's text, once.
    /// Adds findings about the catalog's files made after loading (each with a file, document
    /// and pointer), located in their files.
    pub fn add_findings(&mut self, findings: Vec<Diagnostic>) {
        for d in findings {
            match d.file.as_ref().and_then(|f| self.files.get_mut(f)) {
                Some(report) => report.diagnostics.push(d),
                None => self.diagnostics.push(d),
            }
        }
        self.resolve_pending_spans();
    }

    fn resolve_pending_spans(&mut self) {
        for report in self.files.values_mut() {
            // Only findings with a pointer can be located; a file-level finding (a file too
            // large to read) must not make this read the file after all.
            if report
                .diagnostics
                .iter()
                .all(|d| d.span.is_some() || d.pointer.is_none())
            {
                continue;
            }
            let text = match &report.text {
                Some(t) => t.to_string(),
                None => match load::read_text(&report.path) {
                    Ok((t, _)) => t,
                    Err(_) => continue,
                },
            };
            let stream = crate::yaml::parse_stream(&text);
            for d in report.diagnostics.iter_mut().filter(|d| d.span.is_none()) {
                if let Some(doc) = d.document.and_then(|i| stream.documents.get(i)) {
                    d.span = Some(doc.document.root.locate(d.pointer.as_deref().unwrap_or("")));
                }
            }
            report.text = Some(text.into());
        }
    }

    pub fn entity_count(&self) -> usize {
        self.files.values().map(|f| f.entities.len()).sum()
    }

    /// Paths of the catalog files, sorted.
    pub fn paths(&self) -> Vec<&PathBuf> {
        let mut paths: Vec<&PathBuf> = self.files.keys().collect();
        paths.sort();
        paths
    }

    /// Every diagnostic, sorted.
    pub fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.diagnostics.clone();
        for f in self.files.values() {
            all.extend(f.diagnostics.iter().cloned());
        }
        crate::diag::sort(&mut all);
        all
    }
}
