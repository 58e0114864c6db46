//! The files Backstage's `fetch:template` copies without templating: its
//! `copyWithoutTemplating` patterns read as globby reads them. A pattern that names a directory
//! (`dir`, `dir/`) stands for everything under it, and a `!pattern` takes files out of the set
//! whatever its place in the list.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

pub struct RawCopy {
    include: GlobSet,
    exclude: GlobSet,
}

impl RawCopy {
    /// `is_dir` says whether a relative path (no trailing slash) is a directory of the skeleton.
    /// A pattern that is not a valid glob matches nothing.
    pub fn new<'a>(
        patterns: impl IntoIterator<Item = &'a str>,
        is_dir: impl Fn(&str) -> bool,
    ) -> RawCopy {
        let mut include = GlobSetBuilder::new();
        let mut exclude = GlobSetBuilder::new();
        for pattern in patterns {
            let (set, pattern) = match pattern.strip_prefix('!') {
                Some(negated) => (&mut exclude, negated),
                None => (&mut include, pattern),
            };
            let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
            let plain = pattern.trim_end_matches('/');
            let has_magic = plain.contains(['*', '?', '[', '{', '!']);
            // globby's expandDirectories: a directory's own path means `dir/**`.
            let glob = if !has_magic && !plain.is_empty() && is_dir(plain) {
                format!("{plain}/**")
            } else {
                pattern.to_string()
            };
            if let Ok(g) = GlobBuilder::new(&glob).literal_separator(true).build() {
                set.add(g);
            }
        }
        RawCopy {
            include: include.build().unwrap_or_else(|_| GlobSet::empty()),
            exclude: exclude.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }

    /// Whether the file at `path` (relative, `/` separators) is copied as is.
    pub fn is_raw(&self, path: &str) -> bool {
        self.include.is_match(path) && !self.exclude.is_match(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_expand_and_negations_exclude() {
        let dirs = ["dirA", "dirB", ".github/workflows", ".github"];
        let raw = RawCopy::new(
            [
                "dirA",
                "./dirB/",
                ".github/workflows/",
                "*.bin",
                "!dirA/keep.txt",
            ],
            |p| dirs.contains(&p),
        );
        for path in [
            "dirA/x.txt",
            "dirA/deep/y",
            "dirB/z",
            ".github/workflows/ci.yml",
            "a.bin",
        ] {
            assert!(raw.is_raw(path), "{path}");
        }
        for path in [
            "dirA/keep.txt",
            "dirAx/y",
            ".github/CODEOWNERS",
            "sub/a.bin",
            "README.md",
        ] {
            assert!(!raw.is_raw(path), "{path}");
        }
    }
}
