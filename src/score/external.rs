//! External facts (`score --facts FILE`): values produced by other CI steps or exported from
//! other systems, read offline and keyed by entity. Generic records (JSON, NDJSON, CSV) name
//! their entity; the adapters (SARIF, JUnit XML, Cobertura XML, lcov) map source paths to the
//! entity whose directory holds them, the deepest such directory winning. Pure: never prints;
//! what the reader should know comes back as notes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value as J;

use crate::catalog::entity_ref::EntityRef;
use crate::dates;

/// Largest facts file read (a SARIF file of a big monorepo stays well under it).
pub const MAX_FACTS_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Records (JSON/NDJSON/CSV rows, SARIF results, JUnit test cases, coverage lines) per file.
pub const MAX_FACTS_RECORDS: usize = 1_000_000;
/// Nesting of elements in a JUnit or Cobertura file.
pub const MAX_XML_DEPTH: usize = 64;
/// Unknown entity references reported one by one (with a did-you-mean); the rest are counted.
pub const MAX_UNKNOWN_REF_NOTES: usize = 20;

/// The format of a facts file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adapter {
    Json,
    Ndjson,
    Csv,
    Sarif,
    Junit,
    Cobertura,
    Lcov,
}

impl Adapter {
    pub const ALL: &'static [(&'static str, Adapter)] = &[
        ("json", Adapter::Json),
        ("ndjson", Adapter::Ndjson),
        ("csv", Adapter::Csv),
        ("sarif", Adapter::Sarif),
        ("junit", Adapter::Junit),
        ("cobertura", Adapter::Cobertura),
        ("lcov", Adapter::Lcov),
    ];

    pub fn name(self) -> &'static str {
        Adapter::ALL
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("?", |(n, _)| n)
    }
}

/// One `--facts` argument: `[ADAPTER:]FILE`.
#[derive(Debug, Clone, PartialEq)]
pub struct FactsFile {
    pub path: PathBuf,
    /// Forced by the prefix; else chosen by content.
    pub adapter: Option<Adapter>,
}

impl FactsFile {
    /// `sarif:scan.sarif` forces the adapter; any other text is a path (a prefix that names no
    /// adapter, `C:` say, is part of the path).
    pub fn parse(arg: &str) -> FactsFile {
        if let Some((prefix, rest)) = arg.split_once(':')
            && let Some((_, adapter)) = Adapter::ALL.iter().find(|(n, _)| *n == prefix)
        {
            return FactsFile {
                path: PathBuf::from(rest),
                adapter: Some(*adapter),
            };
        }
        FactsFile {
            path: PathBuf::from(arg),
            adapter: None,
        }
    }
}

/// Where a fact value came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub file: String,
    pub adapter: Adapter,
}

/// One fact of one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct FactValue {
    pub value: J,
    /// Index into [`ExternalFacts::sources`].
    pub source: usize,
    /// Unix time of the data (the record's or document's own date, else `--facts-date`).
    pub date: Option<i64>,
}

/// An entity as the adapters see it: its reference and directory relative to the repository
/// root (`/` separators, "" for the root).
pub struct Target<'a> {
    pub reference: &'a EntityRef,
    pub dir: String,
}

/// Every external fact of the run.
#[derive(Debug, Default)]
pub struct ExternalFacts {
    pub sources: Vec<Source>,
    values: HashMap<String, HashMap<String, FactValue>>,
    names: HashSet<String>,
    pub notes: Vec<String>,
}

impl ExternalFacts {
    /// Whether any file gives the fact `name` (to any entity).
    pub fn provides(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    pub fn get(&self, reference: &str, name: &str) -> Option<(&FactValue, &Source)> {
        let v = self.values.get(reference)?.get(name)?;
        Some((v, &self.sources[v.source]))
    }
}

/// A problem that stops the run: the file, the line when known, what is wrong.
fn problem(file: &str, line: Option<usize>, what: impl std::fmt::Display) -> String {
    match line {
        Some(l) => format!("--facts {file}:{l}: {what}"),
        None => format!("--facts {file}: {what}"),
    }
}

/// Reads every facts file. Later files win where two give the same fact of one entity (a note
/// says so). `default_date` (`--facts-date`) dates the values whose document carries no date.
pub fn load(
    files: &[FactsFile],
    default_date: Option<i64>,
    targets: &[Target<'_>],
    repo_root: &Path,
) -> Result<ExternalFacts, String> {
    let mut out = ExternalFacts::default();
    let known: HashSet<&str> = targets.iter().map(|t| t.reference.as_str()).collect();
    // Entities by directory, so that mapping a path costs one lookup per directory level
    // (a SARIF file may hold a million results, a catalog ten thousand entities).
    let mut by_dir: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in targets.iter().enumerate() {
        by_dir.entry(t.dir.as_str()).or_default().push(i);
    }
    let mut unknown_refs = Vec::new();
    for f in files {
        let shown = f.path.display().to_string();
        let bytes = crate::fs::read_limited(&f.path, MAX_FACTS_FILE_BYTES)
            .map_err(|e| problem(&shown, None, format!("{e}; check the path")))?;
        let text =
            String::from_utf8(bytes).map_err(|_| problem(&shown, None, "is not UTF-8 text"))?;
        let adapter = match f.adapter {
            Some(a) => a,
            None => detect(&text, &f.path).ok_or_else(|| {
                problem(
                    &shown,
                    None,
                    "cannot tell its format: name it with a prefix, e.g. --facts sarif:FILE \
                     (json, ndjson, csv, sarif, junit, cobertura, lcov)",
                )
            })?,
        };
        let source = out.sources.len();
        out.sources.push(Source {
            file: shown.clone(),
            adapter,
        });
        let mut ctx = FileContext {
            shown: &shown,
            path: &f.path,
            default_date,
            targets,
            by_dir: &by_dir,
            repo_root,
            rows: Vec::new(),
            outside: 0,
        };
        match adapter {
            Adapter::Json => ctx.json(&text)?,
            Adapter::Ndjson => ctx.ndjson(&text)?,
            Adapter::Csv => ctx.csv(&text)?,
            Adapter::Sarif => ctx.sarif(&text)?,
            Adapter::Junit => ctx.junit(&text)?,
            Adapter::Cobertura => ctx.cobertura(&text)?,
            Adapter::Lcov => ctx.lcov(&text)?,
        }
        if ctx.outside > 0 {
            out.notes.push(format!(
                "--facts {shown}: {} {} no entity's directory and {} ignored",
                ctx.outside,
                if ctx.outside == 1 {
                    "path is under"
                } else {
                    "paths are under"
                },
                if ctx.outside == 1 { "is" } else { "are" },
            ));
        }
        let mut overridden: BTreeMap<String, usize> = BTreeMap::new();
        for row in ctx.rows {
            if !known.contains(row.entity.as_str()) {
                unknown_refs.push((shown.clone(), row.line, row.written));
                continue;
            }
            let facts = out.values.entry(row.entity).or_default();
            for (name, value) in row.facts {
                out.names.insert(name.clone());
                let previous = facts.insert(
                    name.clone(),
                    FactValue {
                        value,
                        source,
                        date: row.date,
                    },
                );
                if previous.is_some_and(|p| p.source != source) {
                    *overridden.entry(name).or_default() += 1;
                }
            }
        }
        for (name, n) in overridden {
            out.notes.push(format!(
                "--facts {shown}: replaces facts.{name} of {n} {} given by an earlier file",
                if n == 1 { "entity" } else { "entities" }
            ));
        }
    }
    let mut candidates: Vec<&str> = known.into_iter().collect();
    candidates.sort_unstable();
    for (file, line, written) in unknown_refs.iter().take(MAX_UNKNOWN_REF_NOTES) {
        let full = resolve(written).map_or_else(|| written.clone(), |r| r.to_string());
        let hint = crate::suggest::closest(&full, &candidates)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        out.notes.push(format!(
            "warning: --facts {file}:{line}: `{written}` is not an entity of the catalog{hint}; its facts are ignored"
        ));
    }
    if unknown_refs.len() > MAX_UNKNOWN_REF_NOTES {
        out.notes.push(format!(
            "warning: {} more references in --facts files are not entities of the catalog",
            unknown_refs.len() - MAX_UNKNOWN_REF_NOTES
        ));
    }
    Ok(out)
}

/// A reference as Backstage resolves one written in a catalog: a bare name is a Component of
/// the default namespace.
fn resolve(written: &str) -> Option<EntityRef> {
    EntityRef::parse(written.trim(), Some("Component"), "default").ok()
}

/// The format of a file without a prefix, by its content (a CSV file by its `entity` column,
/// or failing that its `.csv` extension, so that a missing column is named as such).
fn detect(text: &str, path: &Path) -> Option<Adapter> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('<') {
        let root = xml_root(t)?;
        return match root.as_str() {
            "testsuites" | "testsuite" => Some(Adapter::Junit),
            "coverage" => Some(Adapter::Cobertura),
            _ => None,
        };
    }
    if t.starts_with('{') || t.starts_with('[') {
        return match serde_json::from_str::<J>(t) {
            Ok(v) if v.get("runs").is_some_and(J::is_array) && v.get("version").is_some() => {
                Some(Adapter::Sarif)
            }
            // One record with `entity` is a one-line NDJSON file.
            Ok(v) if v.get("entity").is_some_and(J::is_string) => Some(Adapter::Ndjson),
            Ok(_) => Some(Adapter::Json),
            Err(_) if t.starts_with('{') => Some(Adapter::Ndjson),
            Err(_) => None,
        };
    }
    let first = t.lines().next().unwrap_or("");
    if ["TN:", "SF:"].iter().any(|p| first.starts_with(p)) {
        return Some(Adapter::Lcov);
    }
    let csv_extension = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    (csv_extension
        || first
            .split(',')
            .any(|c| c.trim().trim_matches('"') == "entity"))
    .then_some(Adapter::Csv)
}

/// The name of an XML document's root element (declarations, comments and DTDs skipped).
fn xml_root(text: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event().ok()? {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                return Some(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
            }
            quick_xml::events::Event::Eof => return None,
            _ => {}
        }
    }
}

/// The facts of one entity from one record.
struct Row {
    /// The entity reference in full (or as written, when it does not parse).
    entity: String,
    written: String,
    line: usize,
    facts: Vec<(String, J)>,
    date: Option<i64>,
}

struct FileContext<'a> {
    shown: &'a str,
    path: &'a Path,
    default_date: Option<i64>,
    targets: &'a [Target<'a>],
    /// Indexes into `targets` by entity directory.
    by_dir: &'a HashMap<&'a str, Vec<usize>>,
    repo_root: &'a Path,
    rows: Vec<Row>,
    /// Paths that fall in no entity's directory.
    outside: usize,
}

/// A date written as `YYYY-MM-DD` or an RFC 3339 time: its day (ages are counted in days).
fn day_of(text: &str) -> Option<i64> {
    dates::parse(text.get(..10)?)
}

/// The line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..offset.min(text.len())]).count()
}

/// Path counts per entity, for the path adapters.
type PerEntity = BTreeMap<usize, Vec<f64>>;

impl FileContext<'_> {
    fn fail(&self, line: Option<usize>, what: impl std::fmt::Display) -> String {
        problem(self.shown, line, what)
    }

    fn count_record(&self, records: &mut usize, line: Option<usize>) -> Result<(), String> {
        *records += 1;
        if *records > MAX_FACTS_RECORDS {
            return Err(self.fail(
                line,
                format!("has more than {MAX_FACTS_RECORDS} records (the limit per file); split it"),
            ));
        }
        Ok(())
    }

    /// One generic record (a JSON object): `entity`, an optional date, the rest are facts.
    fn record(
        &mut self,
        written: &str,
        fields: &serde_json::Map<String, J>,
        line: usize,
        outer_date: Option<i64>,
    ) {
        let date = ["generatedAt", "timestamp"]
            .iter()
            .find_map(|k| fields.get(*k).and_then(J::as_str).and_then(day_of))
            .or(outer_date)
            .or(self.default_date);
        let facts = fields
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "entity" | "generatedAt" | "timestamp"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.rows.push(Row {
            entity: resolve(written).map_or_else(|| written.to_string(), |r| r.to_string()),
            written: written.to_string(),
            line,
            facts,
            date,
        });
    }

    /// The line where a key or value first appears, for messages (serde_json keeps no spans).
    fn find_line(text: &str, written: &str) -> usize {
        let quoted = J::from(written).to_string();
        text.find(&quoted).map_or(1, |at| line_at(text, at))
    }

    fn json(&mut self, text: &str) -> Result<(), String> {
        let doc: J = serde_json::from_str(text)
            .map_err(|e| self.fail(Some(e.line()), format!("invalid JSON: {e}")))?;
        let outer_date = doc.get("generatedAt").and_then(J::as_str).and_then(day_of);
        // `{"generatedAt": ..., "entities": {...} or [...]}` or the map/list itself.
        let body = match doc.get("entities") {
            Some(inner) if doc.is_object() => inner,
            _ => &doc,
        };
        let mut records = 0;
        match body {
            J::Object(map) => {
                for (written, fields) in map {
                    if written == "generatedAt" {
                        continue;
                    }
                    let line = Self::find_line(text, written);
                    self.count_record(&mut records, Some(line))?;
                    let Some(fields) = fields.as_object() else {
                        return Err(self.fail(
                            Some(line),
                            format!("the facts of `{written}` must be an object of name: value"),
                        ));
                    };
                    self.record(written, fields, line, outer_date);
                }
            }
            J::Array(items) => {
                for item in items {
                    let written = item.get("entity").and_then(J::as_str);
                    let line = written.map_or(1, |w| Self::find_line(text, w));
                    self.count_record(&mut records, Some(line))?;
                    let (Some(fields), Some(written)) = (item.as_object(), written) else {
                        return Err(self.fail(
                            Some(line),
                            "every item of the list must be an object with an `entity` string",
                        ));
                    };
                    self.record(written, fields, line, outer_date);
                }
            }
            _ => {
                return Err(self.fail(
                    None,
                    "must be an object keyed by entity reference or a list of objects with `entity`",
                ));
            }
        }
        Ok(())
    }

    fn ndjson(&mut self, text: &str) -> Result<(), String> {
        let mut records = 0;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            if raw.trim().is_empty() {
                continue;
            }
            self.count_record(&mut records, Some(line))?;
            let item: J = serde_json::from_str(raw)
                .map_err(|e| self.fail(Some(line), format!("invalid JSON: {e}")))?;
            let (Some(fields), Some(written)) =
                (item.as_object(), item.get("entity").and_then(J::as_str))
            else {
                return Err(self.fail(
                    Some(line),
                    "each line must be a JSON object with an `entity` string",
                ));
            };
            self.record(written, fields, line, None);
        }
        Ok(())
    }

    fn csv(&mut self, text: &str) -> Result<(), String> {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| self.fail(Some(1), format!("invalid CSV header: {e}")))?
            .clone();
        let Some(entity_column) = headers.iter().position(|h| h.trim() == "entity") else {
            return Err(self.fail(Some(1), "the header has no `entity` column"));
        };
        let mut records = 0;
        for row in reader.records() {
            let row = row.map_err(|e| {
                let line = e.position().map(|p| p.line() as usize);
                self.fail(line, format!("invalid CSV row: {e}"))
            })?;
            let line = row.position().map_or(0, |p| p.line() as usize);
            self.count_record(&mut records, Some(line))?;
            let mut fields = serde_json::Map::new();
            for (header, cell) in headers.iter().zip(row.iter()) {
                let cell = cell.trim();
                if cell.is_empty() {
                    continue;
                }
                // Numbers are numbers; everything else stays text.
                let value = cell
                    .parse::<i64>()
                    .map(J::from)
                    .or_else(|_| cell.parse::<f64>().map(J::from))
                    .unwrap_or_else(|_| J::from(cell));
                fields.insert(header.trim().to_string(), value);
            }
            let written = row.get(entity_column).unwrap_or("").trim().to_string();
            if written.is_empty() {
                return Err(self.fail(Some(line), "the `entity` cell is empty"));
            }
            self.record(&written, &fields, line, None);
        }
        Ok(())
    }

    /// A path as a report wrote it (absolute, `file://`, relative to the repository root), as a
    /// path relative to the repository root with `/` separators; None when outside it.
    fn repo_relative(&self, written: &str) -> Option<String> {
        let written = written.strip_prefix("file://").unwrap_or(written);
        let decoded = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
        let path = Path::new(decoded.as_ref());
        let relative = if path.is_absolute() {
            let root = std::fs::canonicalize(self.repo_root)
                .unwrap_or_else(|_| self.repo_root.to_path_buf());
            path.strip_prefix(&root)
                .or_else(|_| path.strip_prefix(self.repo_root))
                .ok()?
                .to_path_buf()
        } else {
            path.to_path_buf()
        };
        let normal = crate::fs::lexical_normalize(&relative);
        let text = normal.to_string_lossy().replace('\\', "/");
        (text != ".." && !text.starts_with("../")).then_some(text)
    }

    /// The entities of the deepest entity directory that holds `path` (repository-relative).
    fn owners_of(&self, path: &str) -> Vec<usize> {
        // The path's own directories, deepest first, then the root: one lookup each.
        let mut dir = path;
        loop {
            if let Some(found) = self.by_dir.get(dir) {
                return found.clone();
            }
            match dir.rfind('/') {
                Some(at) => dir = &dir[..at],
                None if !dir.is_empty() => dir = "",
                None => return Vec::new(),
            }
        }
    }

    /// Adds `counts` to every entity holding `path`; counts a path outside every entity.
    fn add(&mut self, per: &mut PerEntity, path: Option<&str>, counts: &[f64]) {
        let owners = path
            .and_then(|p| self.repo_relative(p))
            .map(|p| self.owners_of(&p))
            .unwrap_or_default();
        if owners.is_empty() {
            self.outside += 1;
        }
        for o in owners {
            let slot = per.entry(o).or_insert_with(|| vec![0.0; counts.len()]);
            for (s, c) in slot.iter_mut().zip(counts) {
                *s += c;
            }
        }
    }

    /// Rows from per-entity counts: one fact per name. `all` gives every entity a row (zeros).
    fn push_counts(&mut self, per: PerEntity, names: &[&str], date: Option<i64>, all: bool) {
        let zeros = vec![0.0; names.len()];
        for (i, t) in self.targets.iter().enumerate() {
            let counts = match per.get(&i) {
                Some(c) => c,
                None if all => &zeros,
                None => continue,
            };
            self.rows.push(Row {
                entity: t.reference.to_string(),
                written: t.reference.to_string(),
                line: 0,
                facts: names
                    .iter()
                    .zip(counts)
                    .map(|(n, c)| (n.to_string(), J::from(*c as u64)))
                    .collect(),
                date: date.or(self.default_date),
            });
        }
    }

    fn sarif(&mut self, text: &str) -> Result<(), String> {
        let doc: J = serde_json::from_str(text)
            .map_err(|e| self.fail(Some(e.line()), format!("invalid JSON: {e}")))?;
        let Some(runs) = doc.get("runs").and_then(J::as_array) else {
            return Err(self.fail(None, "is not SARIF: it has no `runs` list"));
        };
        let mut per = PerEntity::new();
        let mut date = None;
        let mut records = 0;
        for run in runs {
            date = date.or_else(|| {
                run.pointer("/invocations/0/endTimeUtc")
                    .and_then(J::as_str)
                    .and_then(day_of)
            });
            let artifacts = run.get("artifacts").and_then(J::as_array);
            for result in run
                .get("results")
                .and_then(J::as_array)
                .into_iter()
                .flatten()
            {
                self.count_record(&mut records, None)?;
                let location = result.pointer("/locations/0/physicalLocation/artifactLocation");
                let uri = location
                    .and_then(|l| l.get("uri"))
                    .and_then(J::as_str)
                    .or_else(|| {
                        let index = location?.get("index")?.as_u64()?;
                        artifacts?
                            .get(index as usize)?
                            .pointer("/location/uri")?
                            .as_str()
                    });
                // SARIF's default level is `warning`.
                let level = result.get("level").and_then(J::as_str).unwrap_or("warning");
                let counts = [
                    1.0,
                    f64::from(u8::from(level == "error")),
                    f64::from(u8::from(level == "warning")),
                    f64::from(u8::from(level == "note")),
                ];
                self.add(&mut per, uri, &counts);
            }
        }
        self.push_counts(
            per,
            &[
                "sarif.results",
                "sarif.errors",
                "sarif.warnings",
                "sarif.notes",
            ],
            date,
            true,
        );
        Ok(())
    }

    /// The report file's own place, for test cases that name no file.
    fn own_path(&self) -> String {
        let absolute = std::fs::canonicalize(self.path).unwrap_or_else(|_| self.path.to_path_buf());
        absolute.to_string_lossy().into_owned()
    }

    /// Refuses an XML file whose root element is not one of `roots` (a forced adapter on the
    /// wrong file would otherwise read as no data).
    fn expect_root(&self, text: &str, roots: &[&str], what: &str) -> Result<(), String> {
        match xml_root(text) {
            Some(root) if roots.contains(&root.as_str()) => Ok(()),
            _ => Err(self.fail(
                None,
                format!(
                    "is not {what}: its root element is not <{}>",
                    roots.join("> or <")
                ),
            )),
        }
    }

    fn junit(&mut self, text: &str) -> Result<(), String> {
        self.expect_root(text, &["testsuites", "testsuite"], "a JUnit XML report")?;
        let own = self.own_path();
        let mut per = PerEntity::new();
        let mut date = None;
        let mut records = 0;
        // The open test case: its path and its outcome counts (tests, failures, errors, skipped).
        let mut case: Option<(Option<String>, [f64; 4])> = None;
        let mut walker = XmlWalker::new(text);
        while let Some(element) = walker.next(self)? {
            match element {
                XmlItem::Open { name, attrs, empty } => match name.as_str() {
                    "testsuite" if date.is_none() => {
                        date = attrs.get("timestamp").and_then(|t| day_of(t));
                    }
                    "testcase" => {
                        self.count_record(&mut records, Some(walker.line()))?;
                        // The file attribute, else the class name as a path.
                        let path = attrs
                            .get("file")
                            .cloned()
                            .or_else(|| attrs.get("classname").map(|c| c.replace('.', "/")));
                        let opened = (path, [1.0, 0.0, 0.0, 0.0]);
                        if empty {
                            self.close_case(&mut per, opened, &own);
                        } else {
                            case = Some(opened);
                        }
                    }
                    "failure" | "error" | "skipped" => {
                        if let Some((_, counts)) = &mut case {
                            let at = match name.as_str() {
                                "failure" => 1,
                                "error" => 2,
                                _ => 3,
                            };
                            counts[at] = 1.0;
                        }
                    }
                    _ => {}
                },
                XmlItem::Close { name } if name == "testcase" => {
                    if let Some(open) = case.take() {
                        self.close_case(&mut per, open, &own);
                    }
                }
                _ => {}
            }
        }
        self.push_counts(
            per,
            &[
                "junit.tests",
                "junit.failures",
                "junit.errors",
                "junit.skipped",
            ],
            date,
            false,
        );
        Ok(())
    }

    fn close_case(
        &mut self,
        per: &mut PerEntity,
        (path, counts): (Option<String>, [f64; 4]),
        own: &str,
    ) {
        let in_entity = path
            .as_deref()
            .and_then(|p| self.repo_relative(p))
            .is_some_and(|p| !self.owners_of(&p).is_empty());
        let path = if in_entity {
            path
        } else {
            Some(own.to_string())
        };
        self.add(per, path.as_deref(), &counts);
    }

    fn cobertura(&mut self, text: &str) -> Result<(), String> {
        self.expect_root(text, &["coverage"], "a Cobertura XML report")?;
        let mut sources: Vec<String> = Vec::new();
        let mut date = None;
        let mut records = 0;
        // Lines (covered, total) per file as written.
        let mut files: BTreeMap<String, [f64; 2]> = BTreeMap::new();
        let mut class_file: Option<String> = None;
        let mut in_source = false;
        let mut walker = XmlWalker::new(text);
        while let Some(element) = walker.next(self)? {
            match element {
                XmlItem::Open { name, attrs, empty } => match name.as_str() {
                    "coverage" => {
                        // Cobertura writes milliseconds since the epoch.
                        date = attrs
                            .get("timestamp")
                            .and_then(|t| t.parse::<i64>().ok())
                            .map(|t| if t > 100_000_000_000 { t / 1000 } else { t });
                    }
                    "source" => in_source = !empty,
                    "class" => class_file = attrs.get("filename").cloned(),
                    // Lines under a class's <lines>, not its methods' (they repeat them).
                    "line" if walker.parent_is("lines", 1) && walker.parent_is("class", 2) => {
                        self.count_record(&mut records, Some(walker.line()))?;
                        if let Some(file) = &class_file {
                            let hits = attrs
                                .get("hits")
                                .and_then(|h| h.parse::<f64>().ok())
                                .unwrap_or(0.0);
                            let slot = files.entry(file.clone()).or_default();
                            slot[0] += f64::from(u8::from(hits > 0.0));
                            slot[1] += 1.0;
                        }
                    }
                    _ => {}
                },
                XmlItem::Text(t) if in_source => sources.push(t),
                XmlItem::Close { name } if name == "source" => in_source = false,
                _ => {}
            }
        }
        let mut per = PerEntity::new();
        for (file, counts) in files {
            // The first source under which the file is in an entity, else the file as written.
            let candidates = sources
                .iter()
                .map(|s| format!("{}/{file}", s.trim_end_matches('/')))
                .chain([file.clone()]);
            let path = candidates
                .clone()
                .find(|c| {
                    self.repo_relative(c)
                        .is_some_and(|p| !self.owners_of(&p).is_empty())
                })
                .unwrap_or(file);
            self.add(&mut per, Some(&path), &counts);
        }
        self.push_coverage(per, date);
        Ok(())
    }

    fn lcov(&mut self, text: &str) -> Result<(), String> {
        if !text.lines().any(|l| l.trim_start().starts_with("SF:")) {
            return Err(self.fail(None, "is not an lcov file: it has no SF: line"));
        }
        let mut per = PerEntity::new();
        let mut records = 0;
        let mut file: Option<String> = None;
        let mut counts = [0.0; 2];
        let mut summary = [0.0; 2];
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if let Some(path) = line.strip_prefix("SF:") {
                file = Some(path.to_string());
                counts = [0.0; 2];
                summary = [0.0; 2];
            } else if let Some(data) = line.strip_prefix("DA:") {
                self.count_record(&mut records, Some(i + 1))?;
                let hits = data
                    .split(',')
                    .nth(1)
                    .and_then(|h| h.trim().parse::<f64>().ok());
                let Some(hits) = hits else {
                    return Err(self.fail(Some(i + 1), "a DA line must be DA:<line>,<hits>"));
                };
                counts[0] += f64::from(u8::from(hits > 0.0));
                counts[1] += 1.0;
            } else if let Some(n) = line.strip_prefix("LH:") {
                summary[0] = n.trim().parse().unwrap_or(0.0);
            } else if let Some(n) = line.strip_prefix("LF:") {
                summary[1] = n.trim().parse().unwrap_or(0.0);
            } else if line == "end_of_record" {
                // Per-line data when there is some, else the record's summary.
                let lines = if counts[1] > 0.0 { counts } else { summary };
                let path = file.take();
                self.add(&mut per, path.as_deref(), &lines);
            }
        }
        self.push_coverage(per, None);
        Ok(())
    }

    fn push_coverage(&mut self, per: PerEntity, date: Option<i64>) {
        for (i, t) in self.targets.iter().enumerate() {
            let Some(&[covered, total]) = per.get(&i).map(Vec::as_slice) else {
                continue;
            };
            let mut facts = vec![
                ("coverage.linesCovered".to_string(), J::from(covered as u64)),
                ("coverage.linesTotal".to_string(), J::from(total as u64)),
            ];
            if total > 0.0 {
                let rate = (covered / total * 10_000.0).round() / 10_000.0;
                facts.push(("coverage.lineRate".to_string(), J::from(rate)));
            }
            self.rows.push(Row {
                entity: t.reference.to_string(),
                written: t.reference.to_string(),
                line: 0,
                facts,
                date: date.or(self.default_date),
            });
        }
    }
}

/// One step of an XML walk: only what the adapters read.
enum XmlItem {
    Open {
        name: String,
        attrs: HashMap<String, String>,
        empty: bool,
    },
    Close {
        name: String,
    },
    Text(String),
}

/// A bounded walk over an XML document: depth limited, DTDs ignored (never fetched, no entity
/// declared in one is ever expanded: a reference to one is an error).
struct XmlWalker<'t> {
    text: &'t str,
    reader: quick_xml::Reader<&'t [u8]>,
    /// Open elements, the current one last.
    stack: Vec<String>,
    /// The last item was an empty element, still on the stack.
    pop_next: bool,
    /// Byte offset where the current event starts (past the whitespace before it).
    event_start: usize,
}

impl<'t> XmlWalker<'t> {
    fn new(text: &'t str) -> Self {
        let mut reader = quick_xml::Reader::from_str(text);
        reader.config_mut().trim_text(true);
        XmlWalker {
            text,
            reader,
            stack: Vec::new(),
            pop_next: false,
            event_start: 0,
        }
    }

    /// The line where the current event starts.
    fn line(&self) -> usize {
        line_at(self.text, self.event_start)
    }

    /// Whether the element `up` levels above the current one is named `name` (1: its parent).
    fn parent_is(&self, name: &str, up: usize) -> bool {
        self.stack
            .len()
            .checked_sub(up + 1)
            .is_some_and(|i| self.stack[i] == name)
    }

    fn next(&mut self, ctx: &FileContext<'_>) -> Result<Option<XmlItem>, String> {
        use quick_xml::events::Event;
        if std::mem::take(&mut self.pop_next) {
            self.stack.pop();
        }
        loop {
            let end_of_previous = (self.reader.buffer_position() as usize).min(self.text.len());
            self.event_start = end_of_previous
                + self.text.as_bytes()[end_of_previous..]
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
            let event = self
                .reader
                .read_event()
                .map_err(|e| ctx.fail(Some(self.line()), format!("invalid XML: {e}")))?;
            let open = |e: &quick_xml::events::BytesStart<'_>, walker: &Self| {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut attrs = HashMap::new();
                for a in e.attributes() {
                    let a = a.map_err(|err| {
                        ctx.fail(Some(walker.line()), format!("invalid XML attribute: {err}"))
                    })?;
                    let value = a.unescape_value().map_err(|err| {
                        ctx.fail(
                            Some(walker.line()),
                            format!(
                                "{err} (entities declared in a DTD are not expanded; \
                                 write the text itself)"
                            ),
                        )
                    })?;
                    attrs.insert(
                        String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned(),
                        value.into_owned(),
                    );
                }
                Ok::<_, String>((name, attrs))
            };
            match event {
                Event::Start(e) => {
                    let (name, attrs) = open(&e, self)?;
                    if self.stack.len() >= MAX_XML_DEPTH {
                        return Err(ctx.fail(
                            Some(self.line()),
                            format!("elements are nested deeper than {MAX_XML_DEPTH} levels"),
                        ));
                    }
                    self.stack.push(name.clone());
                    return Ok(Some(XmlItem::Open {
                        name,
                        attrs,
                        empty: false,
                    }));
                }
                Event::Empty(e) => {
                    let (name, attrs) = open(&e, self)?;
                    // On the stack until the next step, so that `parent_is` sees its parents.
                    self.stack.push(name.clone());
                    self.pop_next = true;
                    return Ok(Some(XmlItem::Open {
                        name,
                        attrs,
                        empty: true,
                    }));
                }
                Event::End(e) => {
                    self.stack.pop();
                    return Ok(Some(XmlItem::Close {
                        name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                    }));
                }
                Event::Text(t) => {
                    return Ok(Some(XmlItem::Text(
                        String::from_utf8_lossy(t.as_ref()).into_owned(),
                    )));
                }
                Event::GeneralRef(r) => {
                    // Character references and the five predefined entities are text; any
                    // other is declared in a DTD, which is never read.
                    let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                    if !(name.starts_with('#')
                        || matches!(name.as_str(), "lt" | "gt" | "amp" | "apos" | "quot"))
                    {
                        return Err(ctx.fail(
                            Some(self.line()),
                            format!(
                                "the entity `&{name};` is not expanded (DTDs are not read); \
                                 write the text itself"
                            ),
                        ));
                    }
                }
                Event::Eof => return Ok(None),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_forces_the_adapter_only_when_it_names_one() {
        assert_eq!(
            FactsFile::parse("sarif:scan.json"),
            FactsFile {
                path: PathBuf::from("scan.json"),
                adapter: Some(Adapter::Sarif)
            }
        );
        assert_eq!(FactsFile::parse("C:/x.json").adapter, None);
        assert_eq!(
            FactsFile::parse("C:/x.json").path,
            PathBuf::from("C:/x.json")
        );
    }

    #[test]
    fn formats_are_detected_by_content() {
        let p = Path::new("f");
        assert_eq!(
            detect(r#"{"version":"2.1.0","runs":[]}"#, p),
            Some(Adapter::Sarif)
        );
        assert_eq!(detect(r#"{"a":{"x":1}}"#, p), Some(Adapter::Json));
        assert_eq!(
            detect("{\"entity\":\"a\"}\n{\"entity\":\"b\"}\n", p),
            Some(Adapter::Ndjson)
        );
        assert_eq!(detect("entity,x\na,1\n", p), Some(Adapter::Csv));
        assert_eq!(detect("name,x\n", Path::new("f.csv")), Some(Adapter::Csv));
        assert_eq!(detect("TN:\nSF:a\n", p), Some(Adapter::Lcov));
        assert_eq!(
            detect("<?xml version=\"1.0\"?><testsuite/>", p),
            Some(Adapter::Junit)
        );
        assert_eq!(detect("<coverage/>", p), Some(Adapter::Cobertura));
        assert_eq!(detect("<html/>", p), None);
        assert_eq!(detect("hello", p), None);
    }
}
