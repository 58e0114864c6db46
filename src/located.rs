//! A problem in one of callboard's own input files (configuration, scorecards, waivers),
//! located by line and column.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq)]
pub struct LocatedError {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for LocatedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}
