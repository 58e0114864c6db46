//! Where catalog files come from: the file system walk and git.
pub mod discover;
pub mod git;
pub mod scm_url;
