//! Renders one validation report into each output format. Renderers return strings; only the
//! command layer writes them out.

pub mod adoption;
pub mod bulk;
pub mod diff;
pub mod escape;
pub mod fix;
pub mod fleet;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod scaffold;
pub mod score;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Summary};

/// The result of `catalog validate`, ready to render.
#[derive(Debug)]
pub struct ValidateReport {
    pub files: usize,
    pub entities: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// File texts, for code frames (only files with diagnostics).
    pub sources: HashMap<PathBuf, Arc<str>>,
    /// Where paths are shown relative to.
    pub cwd: PathBuf,
    /// `--base REV`: the findings carry whether REV has them too.
    pub base: Option<String>,
    /// `--fix`: the fixes planned (and written), shown in the JSON as `fix`.
    pub fix: Option<fix::FixReport>,
}

impl ValidateReport {
    pub fn summary(&self) -> Summary {
        Summary::of(&self.diagnostics)
    }

    /// A path as the JSON contract shows it: relative to the current directory when under it,
    /// else absolute; always with `/` separators.
    pub fn display_path(&self, path: &Path) -> String {
        let absolute;
        let shown = if path.is_absolute() {
            path.strip_prefix(&self.cwd).unwrap_or(path)
        } else if path.starts_with("..") {
            // Not under the current directory: show it absolute, as the JSON contract says.
            absolute = crate::catalog::entity::normalize(&self.cwd.join(path));
            absolute.strip_prefix(&self.cwd).unwrap_or(&absolute)
        } else {
            path
        };
        let s = shown.to_string_lossy().replace('\\', "/");
        s.strip_prefix("./").map(str::to_string).unwrap_or(s)
    }
}

/// Line and column of a diagnostic (1-based), 1:1 when it has no span.
pub fn line_col(d: &Diagnostic) -> (u32, u32) {
    d.span
        .map_or((1, 1), |s| (s.start.line.max(1), s.start.column.max(1)))
}
