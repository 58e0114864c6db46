//! Fleet runs (`scaffold batch`, `scaffold update --all`) split over the jobs of a CI matrix with
//! `--shard K/N`, and the JSON lines of every shard folded back into one result.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// One slice of a fleet run: `--shard K/N` with `1 <= K <= N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based, as CI matrices count.
    pub index: u32,
    pub count: u32,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let hint = "expected K/N with 1 <= K <= N, e.g. --shard 2/8";
        let (k, n) = s.split_once('/').ok_or_else(|| format!("`{s}`: {hint}"))?;
        let parse = |part: &str| part.trim().parse::<u32>().ok();
        match (parse(k), parse(n)) {
            (Some(index), Some(count)) if index >= 1 && index <= count => {
                Ok(Shard { index, count })
            }
            _ => Err(format!("`{s}`: {hint}")),
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the item named `key` (a repository: an entity ref or an output directory) belongs
    /// to this shard. The key is hashed rather than counted so that the split depends neither on
    /// the order of the list nor on the other items: adding a repository moves no other one, and
    /// every machine and callboard version splits the same way.
    pub fn contains(&self, key: &str) -> bool {
        let digest = Sha256::digest(key.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// Which fleet command wrote a result line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FleetKind {
    /// `scaffold batch`: one line per row of the values list, keyed by `row`.
    Batch,
    /// `scaffold update --all`: one line per repository, keyed by `entity` (or `repo`).
    Update,
}

impl FleetKind {
    pub fn noun(self) -> &'static str {
        match self {
            FleetKind::Batch => "rows",
            FleetKind::Update => "repositories",
        }
    }
}

/// One result line read back from a shard's output. The line itself is kept as it was written,
/// so merged JSON lines are exactly the shards' lines, in a deterministic order.
#[derive(Debug, Clone)]
pub struct ResultLine {
    pub kind: FleetKind,
    /// The line's identity: the batch row, or the repository's entity ref.
    pub key: String,
    /// Where the line sorts: the batch row or the update's index, then the key.
    pub order: (u64, String),
    pub status: String,
    /// The first error message of a failed line, for summaries.
    pub error: Option<String>,
    pub file: String,
    pub line: usize,
    pub raw: Map<String, Value>,
}

/// Why shard outputs could not be merged. Each names the file (and line) to look at.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(
        "{file}:{line}: not a result line of `scaffold batch` or `scaffold update --all`: {reason}"
    )]
    Invalid {
        file: String,
        line: usize,
        reason: String,
    },
    #[error(
        "{file}:{line}: this shard's run failed before it produced results: {message}; rerun that shard"
    )]
    ShardFailed {
        file: String,
        line: usize,
        message: String,
    },
    #[error(
        "{file}:{line}: a result of `{found}` among results of `{expected}`; merge the shards of one run at a time"
    )]
    Mixed {
        file: String,
        line: usize,
        found: &'static str,
        expected: &'static str,
    },
    #[error(
        "{key} appears in {first} and in {second}: were the shards run with the same --shard N and the same input?"
    )]
    Duplicate {
        key: String,
        first: String,
        second: String,
    },
}

fn command_of(kind: FleetKind) -> &'static str {
    match kind {
        FleetKind::Batch => "scaffold batch",
        FleetKind::Update => "scaffold update --all",
    }
}

/// Reads the JSON lines one shard wrote. Blank lines are skipped.
pub fn parse(file: &str, text: &str) -> Result<Vec<ResultLine>, MergeError> {
    let mut lines = Vec::new();
    for (i, text) in text.lines().enumerate() {
        let line = i + 1;
        if text.trim().is_empty() {
            continue;
        }
        let invalid = |reason: String| MergeError::Invalid {
            file: file.to_string(),
            line,
            reason,
        };
        let raw: Map<String, Value> = match serde_json::from_str(text) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err(invalid("expected a JSON object".into())),
            Err(e) => return Err(invalid(e.to_string())),
        };
        // The JSON error object every command prints when it could not run at all.
        if let Some(error) = raw.get("error").and_then(Value::as_object) {
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("unknown error")
                .to_string();
            return Err(MergeError::ShardFailed {
                file: file.to_string(),
                line,
                message,
            });
        }
        let status = raw
            .get("status")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("no `status` field".into()))?
            .to_string();
        let (kind, key, order) = if let Some(row) = raw.get("row").and_then(Value::as_u64) {
            (FleetKind::Batch, format!("row {row}"), (row, String::new()))
        } else {
            let name = raw
                .get("entity")
                .and_then(Value::as_str)
                .or_else(|| raw.get("repo").and_then(Value::as_str))
                .ok_or_else(|| invalid("neither `row` nor `entity`/`repo`".into()))?
                .to_string();
            let index = raw.get("index").and_then(Value::as_u64).unwrap_or(u64::MAX);
            (FleetKind::Update, name.clone(), (index, name))
        };
        let error = match raw.get("errors") {
            Some(Value::Array(errors)) => errors.first().and_then(Value::as_str),
            _ => raw.get("error").and_then(Value::as_str),
        }
        .map(str::to_string);
        lines.push(ResultLine {
            kind,
            key,
            order,
            status,
            error,
            file: file.to_string(),
            line,
            raw,
        });
    }
    Ok(lines)
}

/// The shards of one run, folded.
#[derive(Debug)]
pub struct Merged {
    /// `None` when every shard was empty.
    pub kind: Option<FleetKind>,
    pub files: usize,
    /// Every result, sorted by row (batch) or by index and entity (update).
    pub lines: Vec<ResultLine>,
    /// How many lines have each status, by status name.
    pub counts: BTreeMap<String, usize>,
}

impl Merged {
    /// Lines whose status is not a success of their command.
    pub fn problems(&self) -> impl Iterator<Item = &ResultLine> {
        self.lines
            .iter()
            .filter(|l| !matches!(l.status.as_str(), "created" | "updated" | "up-to-date"))
    }
}

/// Folds the lines of several shard files into one deterministic result. Refuses lines of two
/// different commands and a repository or row that two shards both report.
pub fn merge(files: usize, lines: Vec<ResultLine>) -> Result<Merged, MergeError> {
    let kind = lines.first().map(|l| l.kind);
    if let Some(expected) = kind
        && let Some(other) = lines.iter().find(|l| l.kind != expected)
    {
        return Err(MergeError::Mixed {
            file: other.file.clone(),
            line: other.line,
            found: command_of(other.kind),
            expected: command_of(expected),
        });
    }
    let mut lines = lines;
    lines.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.key.cmp(&b.key)));
    let mut seen: BTreeMap<&str, &ResultLine> = BTreeMap::new();
    for line in &lines {
        if let Some(first) = seen.insert(&line.key, line) {
            return Err(MergeError::Duplicate {
                key: line.key.clone(),
                first: format!("{}:{}", first.file, first.line),
                second: format!("{}:{}", line.file, line.line),
            });
        }
    }
    let mut counts = BTreeMap::new();
    for line in &lines {
        *counts.entry(line.status.clone()).or_insert(0) += 1;
    }
    Ok(Merged {
        kind,
        files,
        lines,
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_every_key_exactly_once() {
        let count = 5;
        for key in (0..500).map(|i| format!("component:default/service-{i}")) {
            let owners = (1..=count)
                .filter(|&index| Shard { index, count }.contains(&key))
                .count();
            assert_eq!(owners, 1, "{key}");
        }
    }

    #[test]
    fn the_split_is_balanced_and_stable() {
        let count = 4;
        let sizes: Vec<usize> = (1..=count)
            .map(|index| {
                (0..4000)
                    .filter(|i| Shard { index, count }.contains(&format!("repo-{i}")))
                    .count()
            })
            .collect();
        assert!(
            sizes.iter().all(|&s| (850..=1150).contains(&s)),
            "{sizes:?}"
        );
        // A fixed point: the split must not change between versions. Cross-checked with
        // Python: int.from_bytes(sha256(key).digest()[:8], "big") % 4 + 1 == 4.
        assert!(Shard { index: 1, count: 1 }.contains("anything"));
        let owner = (1..=4)
            .find(|&index| Shard { index, count: 4 }.contains("component:default/payments"))
            .unwrap();
        assert_eq!(owner, 4);
    }

    #[test]
    fn shard_syntax_errors_say_what_is_expected() {
        assert_eq!(
            "2/8".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 8 }
        );
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(e.contains("expected K/N"), "{bad}: {e}");
        }
    }

    #[test]
    fn merge_sorts_and_refuses_overlaps_and_mixtures() {
        let a = parse("a", "{\"row\":3,\"status\":\"created\"}\n{\"row\":1,\"status\":\"failed\",\"errors\":[\"boom\"]}\n").unwrap();
        let b = parse("b", "\n{\"row\":2,\"status\":\"skipped\"}\n").unwrap();
        let merged = merge(2, a.iter().chain(&b).cloned().collect()).unwrap();
        let rows: Vec<&str> = merged.lines.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(rows, ["row 1", "row 2", "row 3"]);
        assert_eq!(merged.counts["created"], 1);
        assert_eq!(merged.problems().count(), 2);
        assert_eq!(merged.lines[0].error.as_deref(), Some("boom"));

        let dup = merge(2, a.iter().chain(&a).cloned().collect()).unwrap_err();
        assert!(
            dup.to_string().contains("row 1 appears in a:2 and in a:2"),
            "{dup}"
        );

        let u = parse(
            "u",
            "{\"repo\":\"x\",\"entity\":\"component:default/x\",\"status\":\"updated\"}",
        )
        .unwrap();
        let mixed = merge(2, a.into_iter().chain(u).collect()).unwrap_err();
        assert!(
            mixed
                .to_string()
                .starts_with("u:1: a result of `scaffold update --all`"),
            "{mixed}"
        );
    }

    #[test]
    fn a_failed_shard_and_garbage_are_named_with_file_and_line() {
        let failed = parse(
            "s3.ndjson",
            "{\"version\":1,\"status\":2,\"error\":{\"kind\":\"usage\",\"message\":\"no Template\"}}",
        )
        .unwrap_err();
        assert!(
            failed
                .to_string()
                .starts_with("s3.ndjson:1: this shard's run failed"),
            "{failed}"
        );
        let garbage = parse("s1", "{\"row\":1,\"status\":\"created\"}\nnot json").unwrap_err();
        assert!(
            garbage.to_string().starts_with("s1:2: not a result line"),
            "{garbage}"
        );
    }
}
