//! callboard: fast, offline checks for a Backstage catalog repository.
//!
//! The library is pure: domain modules return data (entities, diagnostics) and never print;
//! `report` renders data to strings; `commands` orchestrate and write.
#![forbid(unsafe_code)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod adoption;
pub mod budget;
pub mod bulk;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod dates;
pub mod diag;
pub mod fix;
pub mod formats;
pub mod fs;
pub mod located;
pub mod lsp;
pub mod reader;
pub mod report;
pub mod scaffold;
pub mod score;
pub mod source;
pub mod suggest;
pub mod yaml;

/// Where the project's documentation lives (used for SARIF rule help links).
pub const HOMEPAGE: &str = "https://github.com/callboard-dev/callboard";
