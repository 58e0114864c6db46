//! Command orchestration: each command gathers inputs, calls the pure core, renders a report.
pub mod adoption;
pub mod bulk;
pub mod scaffold;
pub mod scaffold_update;
pub mod score;
pub mod validate;

use std::io::Write;
use std::path::{Path, PathBuf};

/// How a command ended, mapped to the process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: nothing to report at the failing level.
    Success,
    /// 1: problems found.
    Problems,
    /// 2: usage or configuration error.
    UsageError,
    /// 3: something could not be evaluated (a rule's expression or I/O failed).
    EvaluationError,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Problems => 1,
            Outcome::UsageError => 2,
            Outcome::EvaluationError => 3,
        }
    }
}

/// Writes `content` to FILE atomically (unique temporary file, then rename; see
/// [`crate::fs::write_atomic`]), or to standard output. FILE is the operator's: a link there is
/// followed wherever it leads, as a shell redirection would.
pub fn write_output(output: Option<&Path>, content: &str) -> anyhow::Result<()> {
    match output {
        Some(path) => crate::fs::write_atomic(path, content.as_bytes(), None, None)?,
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth a stack of messages.
            if let Err(e) = out.write_all(content.as_bytes()).and_then(|_| out.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e.into());
            }
        }
    }
    Ok(())
}

/// Where a multi-file write in the catalog around `start` keeps its journal: the repository's
/// git directory, or beside the catalog root when there is no repository.
pub fn journal_place(start: &Path) -> crate::fs::JournalPlace {
    match crate::source::git::repository_dirs(start) {
        Some((workdir, git_dir)) => crate::fs::JournalPlace::new(Some(&git_dir), &workdir),
        None => crate::fs::JournalPlace::new(None, start),
    }
}

/// Completes (or cleans up) a multi-file write an interrupted run left, saying so on stderr.
pub fn recover_interrupted_write(start: &Path) -> anyhow::Result<()> {
    let place = journal_place(start);
    let recovery = crate::fs::recover(&place).map_err(|e| anyhow::anyhow!(e))?;
    if let Some(message) = recovery.message(&place.file) {
        to_stderr(&message);
    }
    Ok(())
}

/// The directory whose repository a command works in: the first path's.
pub fn start_dir(paths: &[PathBuf], cwd: &Path) -> PathBuf {
    paths
        .first()
        .map(|p| {
            if p.is_dir() {
                p.clone()
            } else {
                p.parent().map(PathBuf::from).unwrap_or_default()
            }
        })
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| crate::catalog::entity::normalize(&cwd.join(p)))
        .unwrap_or_else(|| cwd.to_path_buf())
}

/// Writes messages for the person at the terminal (errors, warnings, progress notes) to stderr.
#[allow(clippy::print_stderr)]
pub fn to_stderr(text: &str) {
    eprint!("{text}");
}
