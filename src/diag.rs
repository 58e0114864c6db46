//! Diagnostics: findings as data. Each code is one enum variant with its default severity,
//! whether Backstage itself rejects the entity for it, a one-line description and its docs anchor.

use std::path::PathBuf;

use serde::Serialize;

use crate::yaml::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "note" => Some(Severity::Note),
            _ => None,
        }
    }
}

/// Whether a code is Backstage's own rule (reported under `--profile backstage`) or one
/// callboard adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Backstage's processing rejects the entity (or the whole file) for this.
    Backstage,
    /// callboard's own check, beyond what Backstage enforces.
    Callboard,
    /// Input problems of callboard itself (unreadable files, bad config).
    Input,
    /// A Software Template's expressions and skeletons, found by `scaffold lint`.
    Template,
}

macro_rules! codes {
    ($( $variant:ident = $id:literal, $sev:ident, $origin:ident, $desc:literal; )*) => {
        /// Every diagnostic code callboard can emit. The kebab-case id is a stable contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            pub fn id(self) -> &'static str {
                match self { $( Code::$variant => $id, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            pub fn origin(self) -> Origin {
                match self { $( Code::$variant => Origin::$origin, )* }
            }

            pub fn description(self) -> &'static str {
                match self { $( Code::$variant => $desc, )* }
            }
        }
    };
}

codes! {
    // Reading files
    FileUnreadable = "file-unreadable", Error, Input, "A catalog file could not be read.";
    FileNotUtf8 = "file-not-utf8", Error, Input, "A catalog file is not valid UTF-8.";
    FileBinary = "file-binary", Error, Input, "A catalog file contains binary data (NUL bytes).";
    FileTooLarge = "file-too-large", Error, Input, "A catalog file is larger than the size limit.";
    WalkUnreadable = "walk-unreadable", Error, Input, "A directory or path could not be read while looking for catalog files.";
    IgnoreFileInvalid = "ignore-file-invalid", Error, Input, "A .gitignore or .callboardignore file could not be read or parsed.";
    // YAML
    YamlSyntax = "yaml-syntax", Error, Backstage, "The document is not valid YAML.";
    YamlDuplicateKey = "yaml-duplicate-key", Error, Backstage, "A mapping has the same key twice.";
    YamlAliasLimit = "yaml-alias-limit", Error, Backstage, "Aliases expand beyond the allowed budget.";
    YamlDepthLimit = "yaml-depth-limit", Error, Input, "Sequences and mappings nest deeper than the limit.";
    RootNotMapping = "root-not-mapping", Error, Backstage, "A document's root is not a mapping.";
    // Envelope and schema
    MissingField = "missing-field", Error, Backstage, "A required field is missing or null.";
    WrongType = "wrong-type", Error, Backstage, "A field has the wrong type.";
    EmptyValue = "empty-value", Error, Backstage, "A field that must not be empty is an empty string.";
    InvalidValue = "invalid-value", Error, Backstage, "A field's value is not one of the allowed values.";
    UnknownRootField = "unknown-root-field", Error, Backstage, "A root field other than apiVersion, kind, metadata, spec, relations, status.";
    InvalidApiVersion = "invalid-api-version", Error, Backstage, "apiVersion is not a valid [prefix/]version.";
    InvalidKind = "invalid-kind", Error, Backstage, "kind is not a valid kind name.";
    InvalidName = "invalid-name", Error, Backstage, "metadata.name is not a valid entity name.";
    InvalidNamespace = "invalid-namespace", Error, Backstage, "metadata.namespace is not a valid DNS label.";
    InvalidLabelKey = "invalid-label-key", Error, Backstage, "A label key is not a valid [prefix/]name.";
    InvalidLabelValue = "invalid-label-value", Error, Backstage, "A label value is not a valid name.";
    InvalidAnnotationKey = "invalid-annotation-key", Error, Backstage, "An annotation key is not a valid [prefix/]name.";
    InvalidAnnotationValue = "invalid-annotation-value", Error, Backstage, "An annotation value is not a string.";
    InvalidTag = "invalid-tag", Error, Backstage, "A tag is not lowercase [a-z0-9:+#] words joined by single dashes.";
    InvalidLink = "invalid-link", Error, Backstage, "A link's url is not a URL, or its title or icon is empty.";
    UnknownKind = "unknown-kind", Error, Backstage, "No processor recognises this kind and apiVersion pair.";
    InvalidEntityRef = "invalid-entity-ref", Error, Backstage, "A relation field holds a malformed entity reference.";
    MissingRefKind = "missing-ref-kind", Error, Backstage, "A reference in a field without a default kind does not name its kind.";
    InvalidPlaceholder = "invalid-placeholder", Error, Backstage, "A $text/$json/$yaml placeholder is malformed or its file cannot be used.";
    PlaceholderTargetMissing = "placeholder-target-missing", Error, Backstage, "A placeholder points at a relative file that does not exist.";
    RemotePlaceholder = "remote-placeholder", Note, Callboard, "A placeholder points at a remote URL that cannot be checked offline.";
    LocationTargetMissing = "location-target-missing", Error, Backstage, "A Location target (file or glob) matches no file.";
    LocationTargetInvalid = "location-target-invalid", Error, Backstage, "A Location target file has documents Backstage cannot read, so the Location fails.";
    KindNotAllowed = "kind-not-allowed", Error, Backstage, "Your portal's catalog rules (app-config catalog.rules) do not allow this kind from the location the entity is read from.";
    LocationTargetKindNotAllowed = "location-target-kind-not-allowed", Error, Backstage, "A Location target file holds an entity of a kind the catalog does not allow.";
    LocationTargetTrailingSlash = "location-target-trailing-slash", Error, Backstage, "A file Location target ends with a path separator.";
    LocationTypeUnknown = "location-type-unknown", Error, Backstage, "A Location has a type no processor can read.";
    TemplateSource = "template-source", Note, Callboard, "A walked catalog file holds template expressions: it is a Software Template's skeleton, not an entity.";
    RemoteLocationTarget = "remote-location-target", Note, Callboard, "A Location target is a remote URL that cannot be checked offline.";
    LocationTargetCwdRelative = "location-target-cwd-relative", Warning, Callboard, "A file target that does not start with `.` is resolved against the backend's working directory.";
    PathOutsideRepository = "path-outside-repository", Error, Callboard, "A placeholder or Location target names a file outside the repository; callboard does not read it.";
    // Beyond Backstage
    DuplicateEntity = "duplicate-entity", Error, Callboard, "Two documents define the same entity reference.";
    UnresolvedRef = "unresolved-ref", Warning, Callboard, "A relation points at an entity that is not in the catalog.";
    WrongRefKind = "wrong-ref-kind", Warning, Callboard, "A relation points at an entity of a kind the field does not expect.";
    CustomSchema = "custom-schema", Error, Callboard, "An entity of a configured custom kind fails its JSON Schema.";
    UnusedSuppression = "unused-suppression", Warning, Callboard, "A `# callboard-ignore` comment or a `suppress:` entry of .callboard.yaml covers no finding.";
    WaiverUnmatched = "waiver-unmatched", Warning, Callboard, "A waiver matches no entity of the catalog, or names a rule or scorecard that no scorecard has.";
    WaiverExpiryTooFar = "waiver-expiry-too-far", Error, Callboard, "A waiver expires further after --now than the configured maximum (score.maxWaiverDays, default 180 days).";
    // Software Templates (scaffold lint)
    SyntaxError = "syntax-error", Error, Template, "A `${{ }}` expression or `{% %}` tag does not parse as nunjucks.";
    UnknownFilter = "unknown-filter", Error, Template, "An expression uses a filter that neither nunjucks nor Backstage defines.";
    JsOperator = "js-operator", Warning, Template, "An expression uses a JavaScript operator that nunjucks reads differently.";
    JsLength = "js-length", Warning, Template, "`.length` is read as in JavaScript, which nunjucks only mimics for strings and arrays.";
    JsMethod = "js-method", Warning, Template, "An expression calls a JavaScript method that Backstage allows and nunjucks does not have.";
    JsMethodUnsupported = "js-method-unsupported", Error, Template, "An expression calls a JavaScript method that Backstage's template engine rejects: it always fails.";
    GithubExpression = "github-expression", Warning, Template, "A rendered skeleton file holds a GitHub Actions `${{ }}` expression that the template engine renders (to nothing).";
    IgnoredArguments = "ignored-arguments", Warning, Template, "`selectattr`/`rejectattr` get test arguments that nunjucks ignores.";
    UndefinedVariable = "undefined-variable", Warning, Template, "An expression reads a parameter, a skeleton value or a step that the template does not define; it renders empty.";
    DuplicateStepId = "duplicate-step-id", Warning, Template, "Two steps of a Template have the same id: Backstage runs both, and the later step's outputs replace the earlier one's.";
    CopyWithoutRender = "copy-without-render", Warning, Template, "A fetch:template step uses `copyWithoutRender`, which Backstage ignores: the files it names are rendered.";
    SkeletonOutsideTemplate = "skeleton-outside-template", Error, Template, "A skeleton URL leads out of the template's directory; callboard does not read it.";
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl Code {
    pub fn from_id(id: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.id() == id)
    }

    /// Link to this code's section of docs/diagnostics.md.
    pub fn docs_url(self) -> String {
        format!(
            "https://github.com/callboard-dev/callboard/blob/main/docs/diagnostics.md#{}",
            self.id()
        )
    }
}

/// One finding. `pointer` is the symbolic location (a JSON pointer into the document); `span`
/// is resolved from it once, when the finding leaves the per-file stage.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub file: Option<PathBuf>,
    pub span: Option<Span>,
    pub entity: Option<String>,
    pub pointer: Option<String>,
    /// Index of the document in its file (0-based), to attribute file-level verdicts.
    pub document: Option<usize>,
    pub help: Option<String>,
    /// Set when a `# callboard-ignore` comment or a `suppress:` entry accepts this finding: it is
    /// shown as suppressed (JSON, SARIF) and does not count.
    pub suppressed: Option<Suppression>,
    /// Against a base revision (`catalog validate --base`): whether the base has it too.
    pub baseline: Option<Baseline>,
}

/// Why a finding is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub reason: Option<String>,
    /// Where the suppression is written, `file:line`.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    /// A `# callboard-ignore` comment in the file.
    Inline,
    /// A `suppress:` entry of `.callboard.yaml`.
    Config,
}

/// Whether a finding is new in a change or exists at its base revision too. A finding exists
/// at the base when its code, entity reference and JSON pointer match there (for a finding of
/// no entity: its file, relative to the repository root); lines are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Baseline {
    New,
    Existing,
}

impl Baseline {
    pub fn as_str(self) -> &'static str {
        match self {
            Baseline::New => "new",
            Baseline::Existing => "existing",
        }
    }
}

/// Marks each of `findings` new or existing against `base` (each base finding matches one
/// finding at most, so a second copy of a problem is new). `file_key` gives a file's path
/// relative to its repository root, at either revision.
pub fn mark_baseline(
    findings: &mut [Diagnostic],
    base: &[Diagnostic],
    file_key: impl Fn(&std::path::Path) -> String,
) {
    type Key = (&'static str, Option<String>, Option<String>, Option<String>);
    let key = |d: &Diagnostic| -> Key {
        (
            d.code.id(),
            d.entity.clone(),
            d.pointer.clone(),
            // A finding of no entity (a YAML error, an unreadable file) is told apart by file.
            d.entity
                .is_none()
                .then(|| d.file.as_deref().map(&file_key))
                .flatten(),
        )
    };
    let mut at_base: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    for d in base {
        *at_base.entry(key(d)).or_default() += 1;
    }
    for d in findings {
        let left = at_base.get_mut(&key(d)).filter(|n| **n > 0);
        d.baseline = Some(match left {
            Some(n) => {
                *n -= 1;
                Baseline::Existing
            }
            None => Baseline::New,
        });
    }
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            file: None,
            span: None,
            entity: None,
            pointer: None,
            document: None,
            help: None,
            suppressed: None,
            baseline: None,
        }
    }

    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn sort_key(&self) -> (Option<&PathBuf>, u32, u32, &'static str, &str) {
        let (line, column) = self.span.map_or((0, 0), |s| (s.start.line, s.start.column));
        (
            self.file.as_ref(),
            line,
            column,
            self.code.id(),
            &self.message,
        )
    }
}

/// Sorts by file, line, column, code (and message, for determinism) and drops exact repeats.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup_by(|a, b| a.sort_key() == b.sort_key());
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Findings a suppression accepts (counted in none of the above).
    pub suppressed: usize,
}

impl Summary {
    fn tally<'a>(diags: impl Iterator<Item = &'a Diagnostic>) -> Summary {
        let mut s = Summary::default();
        for d in diags {
            if d.suppressed.is_some() {
                s.suppressed += 1;
                continue;
            }
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
        }
        s
    }

    pub fn of(diags: &[Diagnostic]) -> Summary {
        Summary::tally(diags.iter())
    }

    /// The counts of the findings that are not `existing` at a base revision.
    pub fn of_new(diags: &[Diagnostic]) -> Summary {
        Summary::tally(
            diags
                .iter()
                .filter(|d| d.baseline != Some(Baseline::Existing)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_matches_code_entity_and_pointer_once_each_ignoring_lines() {
        let at = |entity: Option<&str>, pointer: &str, file: &str, line: u32| {
            let mut d = Diagnostic::new(Code::InvalidName, "x")
                .at(pointer)
                .in_file(file)
                .with_span(Span {
                    start: crate::yaml::Pos { line, column: 1 },
                    end: crate::yaml::Pos { line, column: 2 },
                });
            d.entity = entity.map(str::to_string);
            d
        };
        let base = [
            at(
                Some("component:default/a"),
                "/metadata/name",
                "/base/a.yaml",
                3,
            ),
            at(None, "", "/base/broken.yaml", 1),
        ];
        let mut now = [
            // Moved down: still the same problem.
            at(Some("component:default/a"), "/metadata/name", "a.yaml", 9),
            // A second copy is new, as is another entity's and another file's.
            at(Some("component:default/a"), "/metadata/name", "a.yaml", 12),
            at(Some("component:default/b"), "/metadata/name", "b.yaml", 3),
            at(None, "", "other.yaml", 1),
            at(None, "", "broken.yaml", 7),
        ];
        let key = |p: &std::path::Path| {
            p.strip_prefix("/base")
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        };
        mark_baseline(&mut now, &base, key);
        let marks: Vec<_> = now.iter().map(|d| d.baseline.unwrap().as_str()).collect();
        assert_eq!(marks, ["existing", "new", "new", "new", "existing"]);
    }

    #[test]
    fn code_ids_are_unique_and_kebab_case() {
        let mut ids: Vec<_> = Code::ALL.iter().map(|c| c.id()).collect();
        for id in &ids {
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{id}"
            );
            assert_eq!(Code::from_id(id).map(|c| c.id()), Some(*id));
        }
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}

#[cfg(test)]
mod docs_tests {
    use super::Code;

    /// Every code has a `## id` section in docs/diagnostics.md, and every section names a code.
    #[test]
    fn every_code_is_documented_and_every_entry_is_a_code() {
        let docs = include_str!("../docs/diagnostics.md");
        let sections: Vec<&str> = docs
            .lines()
            .filter_map(|l| l.strip_prefix("## "))
            .map(str::trim)
            .collect();
        for code in Code::ALL {
            assert!(
                sections.contains(&code.id()),
                "{} has no section in docs/diagnostics.md",
                code.id()
            );
        }
        for section in sections {
            assert!(
                Code::from_id(section).is_some(),
                "docs/diagnostics.md section `{section}` names no code"
            );
        }
    }
}
