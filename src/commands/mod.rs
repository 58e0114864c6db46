//! Command orchestration: each command gathers inputs, calls the pure core, renders a report.
pub mod adoption;
pub mod bulk;
pub mod fleet;
pub mod lsp;
pub mod scaffold;
pub mod scaffold_update;
pub mod score;
pub mod shell;
pub mod validate;
pub mod validate_fix;

use std::io::Write;
use std::path::{Path, PathBuf};

/// How a command ended: the one exit-status table every command follows
/// ([`crate::cli::EXIT_STATUS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// 0: the job was done and there is nothing to report.
    Success,
    /// 1: the job was done and found something: findings, a failed gate, a rule that could not
    /// be evaluated, an outdated repository, something that would change (`--exit-code`), a
    /// change refused because of the catalog's content.
    Problems,
    /// 2: the job could not be done as asked and nothing was done: a usage or configuration
    /// error, a path named on the command line that does not exist, a dirty work tree.
    UsageError,
    /// 3: callboard's own failure: a bug, or I/O that failed (a report that could not be written).
    Failure,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Problems => 1,
            Outcome::UsageError => 2,
            Outcome::Failure => 3,
        }
    }

    /// The worse of two outcomes (for commands that handle several inputs).
    pub fn worst(self, other: Outcome) -> Outcome {
        self.max(other)
    }
}

/// A problem that stops a command before it does its job (exit status 2). The message is
/// complete (it starts with `error:`), ready to print.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Every path named on the command line must exist: a typo must not pass as an empty catalog.
pub fn require_paths(paths: &[PathBuf]) -> Result<(), UsageError> {
    let missing: Vec<String> = paths
        .iter()
        .filter(|p| std::fs::symlink_metadata(p).is_err())
        .map(|p| p.display().to_string())
        .collect();
    match missing.as_slice() {
        [] => Ok(()),
        [one] => Err(UsageError(format!(
            "error: {one} does not exist (check the path, or run from the repository root)"
        ))),
        many => Err(UsageError(format!(
            "error: these paths do not exist: {} (check the paths, or run from the repository root)",
            many.join(", ")
        ))),
    }
}

/// Reads the configuration every command uses: `--config FILE`, else `.callboard.yaml` at the
/// root of the repository around `cwd`.
pub fn load_config(
    explicit: Option<&PathBuf>,
    cwd: &std::path::Path,
) -> Result<crate::config::Config, UsageError> {
    let result = match explicit {
        Some(path) => {
            if !path.is_file() {
                return Err(UsageError(format!(
                    "error: configuration file {} does not exist",
                    path.display()
                )));
            }
            crate::config::Config::load(path)
        }
        None => {
            let root =
                crate::source::git::repository_root(cwd).unwrap_or_else(|| cwd.to_path_buf());
            crate::config::Config::discover(&root)
        }
    };
    result.map_err(|errors| {
        UsageError(
            errors
                .iter()
                .map(|e| format!("error: invalid configuration: {e}"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// The error envelope `--format json` prints on stdout when a command fails, so a pipeline
/// always reads valid JSON.
pub fn json_error(outcome: Outcome, message: &str) -> String {
    let kind = match outcome {
        Outcome::UsageError => "usage",
        _ => "internal",
    };
    let message = message.strip_prefix("error: ").unwrap_or(message);
    // One line: valid both as JSON and as NDJSON.
    let mut s = serde_json::to_string(&serde_json::json!({
        "version": 1,
        "status": outcome.code(),
        "error": {"kind": kind, "message": message},
    }))
    .unwrap_or_default();
    s.push('\n');
    s
}

/// Writes `content` to FILE atomically (unique temporary file, then rename; see
/// [`crate::fs::write_atomic`]), or to standard output. FILE is the operator's: a link there is
/// followed wherever it leads, as a shell redirection would.
/// Writes a rendered report with every control character its renderer did not put there
/// escaped (see [`crate::report::escape::output`]).
pub fn write_report(output: Option<&Path>, text: String) -> anyhow::Result<()> {
    write_output(output, &crate::report::escape::output(text))
}

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

/// One report a command writes: its format, its file (None: standard output) and, for
/// markdown, its size budget.
#[derive(Debug, Clone)]
pub struct ReportTarget<F> {
    pub format: F,
    pub path: Option<PathBuf>,
    pub limit: crate::report::markdown::MarkdownLimit,
}

fn format_name<F: clap::ValueEnum>(format: &F) -> String {
    format
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_string())
}

/// The reports of one run: `--format`/`--output` first, then every `--report FORMAT=PATH`.
/// Checked before the evaluation, so a bad FORMAT, a report directory that does not exist or
/// one file named twice is a usage error (exit 2) with nothing done.
pub fn report_targets<F: clap::ValueEnum + Copy>(
    format: F,
    output: Option<&Path>,
    args: &crate::cli::ReportArgs,
) -> Result<Vec<ReportTarget<F>>, UsageError> {
    let mut targets = vec![ReportTarget {
        format,
        path: output.map(Path::to_path_buf),
        limit: args.markdown_limit,
    }];
    for spec in &args.reports {
        let known = || {
            F::value_variants()
                .iter()
                .map(format_name)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let format = F::from_str(&spec.format, true).map_err(|_| {
            UsageError(format!(
                "error: --report {}={}: unknown format {} (formats: {})",
                spec.format,
                spec.path.display(),
                spec.format,
                known()
            ))
        })?;
        if spec.limit.is_some() && format_name(&format) != "markdown" {
            return Err(UsageError(format!(
                "error: --report {}: only a markdown report takes a budget (markdown:comment=PATH)",
                spec.path.display()
            )));
        }
        let parent = spec
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !parent.is_dir() {
            return Err(UsageError(format!(
                "error: --report {}: directory {} does not exist (create it first)",
                spec.path.display(),
                parent.display()
            )));
        }
        if spec.path.is_dir() {
            return Err(UsageError(format!(
                "error: --report {}: is a directory (name a file)",
                spec.path.display()
            )));
        }
        if targets.iter().any(|t| t.path.as_ref() == Some(&spec.path)) {
            return Err(UsageError(format!(
                "error: --report {}: this file is named twice (--output or another --report)",
                spec.path.display()
            )));
        }
        targets.push(ReportTarget {
            format,
            path: Some(spec.path.clone()),
            limit: spec.limit.unwrap_or(args.markdown_limit),
        });
    }
    Ok(targets)
}

/// Renders and writes every report of one evaluation, each file through the one atomic writer.
/// A report that cannot be written is an I/O failure (exit 3) naming its file. Files come
/// before standard output, so a failure leaves stdout to the error (valid JSON with `--format
/// json`), not to a report followed by an error.
pub fn write_reports<F: Copy>(
    targets: &[ReportTarget<F>],
    mut render: impl FnMut(&ReportTarget<F>) -> String,
) -> anyhow::Result<()> {
    let (files, stdout): (Vec<_>, Vec<_>) = targets.iter().partition(|t| t.path.is_some());
    for target in files.into_iter().chain(stdout) {
        let text = render(target);
        write_output(target.path.as_deref(), &text).map_err(|e| match &target.path {
            Some(p) => anyhow::anyhow!("cannot write the report {}: {e:#}", p.display()),
            None => e,
        })?;
    }
    Ok(())
}

/// The command ends after this: `value` (a catalog holding every document tree of the
/// repository, a report of every entity) is left for the process exit to reclaim instead of
/// being freed node by node, which costs a tenth of a bulk edit's CPU time on a
/// 10,000-component catalog. Only for values that own nothing but memory.
pub fn leave<T>(value: T) {
    std::mem::forget(value);
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

/// Prints to standard output, ignoring a closed pipe (the last resort of `main`).
pub fn print_stdout(text: &str) {
    let _ = write_output(None, text);
}

/// Writes messages for the person at the terminal (errors, warnings, progress notes) to stderr.
#[allow(clippy::print_stderr)]
pub fn to_stderr(text: &str) {
    eprint!("{}", crate::report::escape::control_keep_newlines(text));
}

/// A progress bar on stderr for a long job, drawn only when stderr is a terminal (never in CI
/// logs or pipes). `what` names the items counted, e.g. "commits" or "repositories".
pub fn progress_bar(label: &str, what: &str) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal().then(|| {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{label} {{bar:30}} {{pos}}/{{len}} {what}"
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    })
}

/// Results of a long job written to standard output as each one finishes, from any worker
/// thread, one whole line (or block) at a time, with the progress bar kept out of their way.
pub struct ResultStream {
    bar: Option<indicatif::ProgressBar>,
    error: std::sync::Mutex<Option<std::io::Error>>,
}

impl ResultStream {
    /// A stream of `total` results; `label` and `what` describe the progress bar.
    pub fn new(total: usize, label: &str, what: &str) -> Self {
        let bar = progress_bar(label, what);
        if let Some(b) = &bar {
            b.set_length(total as u64);
        }
        ResultStream {
            bar,
            error: std::sync::Mutex::new(None),
        }
    }

    /// Writes one finished result and advances the bar. The first write error is kept for
    /// [`ResultStream::finish`]; a closed pipe is not an error.
    pub fn emit(&self, text: &str) {
        let mut error = self.error.lock().unwrap_or_else(|e| e.into_inner());
        let write = || {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|_| out.flush())
        };
        let result = match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        };
        if let Err(e) = result
            && e.kind() != std::io::ErrorKind::BrokenPipe
            && error.is_none()
        {
            *error = Some(e);
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Clears the bar; fails with the first write error.
    pub fn finish(self) -> anyhow::Result<()> {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        match self.error.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }
}
