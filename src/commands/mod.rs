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

/// Writes `content` to FILE atomically (temporary file, then rename), or to standard output.
pub fn write_output(output: Option<&Path>, content: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    match output {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let tmp = dir.join(format!(
                ".{}.callboard-tmp",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
            std::fs::write(&tmp, content)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
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
    eprint!("{}", crate::report::escape::control_keep_newlines(text));
}
