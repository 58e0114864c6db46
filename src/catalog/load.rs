//! Reading one catalog file: bytes to text (with clear errors for binary, non-UTF-8, oversize),
//! YAML documents, per-entity checks, spans resolved once at the end.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalog::entity::{self, Context, EntityRecord};
use crate::diag::{Code, Diagnostic, Origin};
use crate::yaml::{self, Document, YamlErrorKind};

/// Files above this size are refused (a catalog file is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One entity of a file, with Backstage's verdict on it.
#[derive(Debug, Clone)]
pub struct LoadedEntity {
    pub document: usize,
    pub record: EntityRecord,
}

/// Everything known about one file after the per-file stage.
#[derive(Debug, Default)]
pub struct FileReport {
    pub path: PathBuf,
    pub text: Option<Arc<str>>,
    pub documents: usize,
    pub entities: Vec<LoadedEntity>,
    pub diagnostics: Vec<Diagnostic>,
    /// Some document could not become an entity (YAML or envelope error): a Location that
    /// reaches this file fails in Backstage.
    pub has_unreadable_document: bool,
    /// The parsed documents, kept only when the caller asks (score, adoption).
    pub parsed: Vec<Document>,
    /// `# callboard-ignore` comments (see [`super::suppress`]).
    pub suppressions: Vec<super::suppress::Directive>,
}

/// Reads a file as text, or says why it cannot be a catalog file. Bytes that are not UTF-8 are
/// decoded as Backstage decodes them (each bad sequence becomes U+FFFD) and the file is still
/// checked; the second value is then the `file-not-utf8` finding.
pub fn read_text(path: &Path) -> Result<(String, Option<Diagnostic>), Box<Diagnostic>> {
    use std::io::Read;
    let fail = |code, msg: String| Err(Box::new(Diagnostic::new(code, msg).in_file(path)));
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return fail(Code::FileUnreadable, format!("cannot read file: {e}")),
    };
    // Read at most one byte past the limit instead of asking for the size first: one
    // system call fewer per file, which matters on 100k-file catalogs.
    let mut bytes = Vec::with_capacity(8192);
    if let Err(e) = file
        .by_ref()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
    {
        return fail(Code::FileUnreadable, format!("cannot read file: {e}"));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Box::new(too_large(path)));
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return fail(
            Code::FileBinary,
            "file contains NUL bytes: it is binary, not YAML".to_string(),
        );
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok((s, None))
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..valid]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            let pos = crate::yaml::Pos {
                line: line as u32,
                column: 1,
            };
            let finding = Diagnostic::new(
                Code::FileNotUtf8,
                format!(
                    "file is not valid UTF-8 (first bad byte on line {line}); save it as UTF-8 (each bad byte was read as a replacement character, as Backstage reads it)"
                ),
            )
            .in_file(path)
            .with_span(crate::yaml::Span {
                start: pos,
                end: pos,
            });
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Ok((text, Some(finding)))
        }
    }
}

/// The finding for a file above [`MAX_FILE_BYTES`] (on disk, or an editor's buffer).
pub fn too_large(path: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::FileTooLarge,
        format!("file is larger than the {MAX_FILE_BYTES}-byte limit for a catalog file"),
    )
    .in_file(path)
}

/// Does this text look like it holds a Backstage entity? (A cheap look at `apiVersion:` lines.)
pub fn mentions_entity_group(text: &str, extra_groups: &[String]) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start().trim_start_matches("- ");
        let Some(value) = line.strip_prefix("apiVersion:") else {
            return false;
        };
        let value = value.trim().trim_matches(['"', '\'']);
        let Some((group, _)) = value.split_once('/') else {
            return false;
        };
        group == "backstage.io"
            || group.ends_with(".backstage.io")
            || extra_groups.iter().any(|g| g == group)
    })
}

/// The lines of a file for the cheap scans below: a file with CR-only line ends (refused
/// later, but scanned first) is split at `\r`.
fn text_lines(text: &str) -> Vec<&str> {
    if text.contains('\n') {
        text.lines().collect()
    } else {
        text.split('\r').collect()
    }
}

/// Whether a file named `catalog-info.yaml` without a Backstage apiVersion belongs to another
/// tool: it has no root `kind:` (a broken entity still has one), or its apiVersion's group is
/// plainly another one (not a typo of `backstage.io`, which stays an error to report).
pub fn foreign_catalog_info(text: &str) -> bool {
    let root_value = |key: &str| {
        text_lines(text)
            .into_iter()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().trim_matches(['"', '\'']))
    };
    if root_value("kind:").is_none() {
        return true;
    }
    match root_value("apiVersion:").and_then(|v| v.split_once('/')) {
        Some((group, _)) => {
            !group.contains("backstage") && !crate::suggest::near(group, "backstage.io", 3)
        }
        None => false,
    }
}

/// The first line (1-based) holding a template expression, `${{ … }}`, `{% … %}` or
/// `{{ values.… }}` (cookiecutter and copier skeletons write `{{ cookiecutter.… }}`), when the
/// file is a template's skeleton rather than an entity.
pub fn template_expression_line(text: &str) -> Option<u32> {
    if !text.contains("{{") && !text.contains("{%") {
        return None;
    }
    // A Template's own steps are full of expressions: it is an entity.
    if text_lines(text).into_iter().any(|l| {
        l.strip_prefix("kind:")
            .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == "Template")
    }) {
        return None;
    }
    text_lines(text)
        .into_iter()
        .position(|line| {
            line.contains("${{")
                || line.contains("{%")
                || line.split("{{").skip(1).any(|after| {
                    let inner = after.trim_start();
                    ["values.", "parameters.", "cookiecutter.", "copier."]
                        .iter()
                        .any(|p| inner.starts_with(p))
                })
        })
        .map(|i| i as u32 + 1)
}

pub struct FileOptions<'a> {
    /// The repository root of the files loaded, when known (absolute); see [`confinement_root`].
    pub root: Option<&'a Path>,
    /// The repository being checked, for absolute URLs into it (None: such URLs stay remote).
    pub same_repo: Option<&'a super::same_repo::SameRepository>,
    /// Field formats, custom kinds and extra placeholder resolvers come from here.
    pub config: &'a crate::config::Config,
    pub keep_documents: bool,
    /// Keep the text even when the file has no finding.
    pub keep_text: bool,
    /// Check the text alone (an editor's buffer outside the workspace): files its content names
    /// (placeholders) are confined to the file itself, so nothing beside it is read.
    pub alone: bool,
}

impl<'a> FileOptions<'a> {
    /// Options for checking text alone: no known root, no repository for URLs.
    pub fn new(config: &'a crate::config::Config) -> FileOptions<'a> {
        FileOptions {
            root: None,
            same_repo: None,
            config,
            keep_documents: false,
            keep_text: false,
            alone: false,
        }
    }
}

/// The directory that files named by a catalog file's content (placeholder and Location
/// targets) must stay inside: `known` when it holds the file, else the git work tree around
/// the file, else the file's own directory.
pub fn confinement_root(file_dir: &Path, known: Option<&Path>) -> PathBuf {
    let dir = if file_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        file_dir
    };
    let absolute = crate::fs::lexical_normalize(&std::path::absolute(dir).unwrap_or_default());
    if let Some(root) = known.filter(|r| absolute.starts_with(r)) {
        return root.to_path_buf();
    }
    crate::source::git::repository_root(&absolute).unwrap_or(absolute)
}

/// Parses and checks every document of a file already read.
pub fn check_text(path: &Path, text: String, opts: &FileOptions<'_>) -> FileReport {
    let stream = yaml::parse_stream(&text);
    let dir = path.parent().unwrap_or(Path::new("."));
    // Only a file with placeholders needs its root; finding it may ask git.
    let root = if opts.alone {
        path.to_path_buf()
    } else if text.contains("$text") || text.contains("$json") || text.contains("$yaml") {
        confinement_root(dir, opts.root)
    } else {
        PathBuf::new()
    };
    let ctx = Context {
        dir,
        root: &root,
        formats: &opts.config.formats,
        custom_kinds: &opts.config.custom_kinds,
        placeholders: &opts.config.placeholders,
        same_repo: opts.same_repo,
    };
    let mut report = FileReport {
        path: path.to_path_buf(),
        documents: stream.documents.len(),
        ..FileReport::default()
    };
    let mut document_starts = Vec::with_capacity(report.documents);
    for (index, loaded) in stream.documents.into_iter().enumerate() {
        let root = &loaded.document.root;
        document_starts.push(root.span.start.line);
        let mut diags = Vec::new();
        for e in &loaded.errors {
            let code = yaml_code(e.kind);
            diags.push(
                Diagnostic::new(code, e.message.clone()).with_span(yaml::Span {
                    start: e.pos,
                    end: e.pos,
                }),
            );
        }
        let outcome = entity::check(root, &ctx);
        if outcome.entity.is_none() || !loaded.errors.is_empty() {
            report.has_unreadable_document = true;
        }
        diags.extend(outcome.diagnostics);
        let entity_id = outcome.entity.as_ref().map(|e| e.reference.to_string());
        for mut d in diags {
            if d.span.is_none() {
                d.span = Some(root.locate(d.pointer.as_deref().unwrap_or("")));
            }
            d.file = Some(path.to_path_buf());
            d.document = Some(index);
            // A document with YAML errors never becomes an entity in Backstage.
            if !matches!(
                d.code,
                Code::YamlDuplicateKey
                    | Code::YamlAliasLimit
                    | Code::YamlSyntax
                    | Code::YamlDepthLimit
            ) {
                d.entity = entity_id.clone();
            }
            report.diagnostics.push(d);
        }
        if let Some(record) = outcome.entity {
            report.entities.push(LoadedEntity {
                document: index,
                record,
            });
        }
        if opts.keep_documents {
            report.parsed.push(loaded.document);
        }
    }
    if let Some(fatal) = stream.fatal {
        report.has_unreadable_document = true;
        report.diagnostics.push(
            Diagnostic::new(yaml_code(fatal.kind), fatal.message)
                .with_span(yaml::Span {
                    start: fatal.pos,
                    end: fatal.pos,
                })
                .in_file(path),
        );
    }
    if super::suppress::mentions_directive(&text) {
        report.suppressions = super::suppress::parse(&text, &document_starts);
    }
    if !report.diagnostics.is_empty() || opts.keep_text {
        report.text = Some(Arc::from(text));
    }
    report
}

fn yaml_code(kind: YamlErrorKind) -> Code {
    match kind {
        YamlErrorKind::DuplicateKey => Code::YamlDuplicateKey,
        YamlErrorKind::AliasLimit => Code::YamlAliasLimit,
        YamlErrorKind::Syntax => Code::YamlSyntax,
        YamlErrorKind::DepthLimit => Code::YamlDepthLimit,
    }
}

/// Does a diagnostic make Backstage reject its entity (or document)?
pub fn rejects(d: &Diagnostic) -> bool {
    d.code.origin() == Origin::Backstage
        && d.code.default_severity() == crate::diag::Severity::Error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prescan_finds_entity_groups() {
        assert!(mentions_entity_group(
            "apiVersion: backstage.io/v1alpha1\n",
            &[]
        ));
        assert!(mentions_entity_group(
            "---\napiVersion: \"scaffolder.backstage.io/v1beta3\"\n",
            &[]
        ));
        assert!(!mentions_entity_group(
            "apiVersion: apps/v1\nkind: Deployment\n",
            &[]
        ));
        assert!(mentions_entity_group(
            "apiVersion: roadie.io/v1\n",
            &["roadie.io".to_string()]
        ));
    }
}
