//! The scratch directory a template run writes into, and the path rules that keep every
//! write inside it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::fs::lexical_join;

/// Backstage's `resolveSafeChildPath`, plus checks Backstage leaves to the OS: an existing
/// symbolic link on the way (for example one a skeleton shipped) must not lead outside `base`,
/// and no component may name a git directory (see [`crate::fs::Confined::child`]).
pub fn safe_child(base: &Path, rel: &str) -> Result<PathBuf, String> {
    crate::fs::Confined::new(base, "the workspace")
        .child(base, rel)
        .map_err(|e| e.to_string())
}

/// Like the `isbinaryfile` package Backstage uses: a NUL byte or many control bytes in the
/// first 512 bytes. Text that is not UTF-8 (Latin-1, say) is still text: it is read with
/// replacement characters, as Node reads it.
pub fn is_binary(bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return false;
    }
    // Byte-order marks mean text.
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || bytes.starts_with(&[0xFE, 0xFF])
        || bytes.starts_with(&[0xFF, 0xFE])
    {
        return false;
    }
    if bytes.starts_with(b"%PDF-") {
        return true;
    }
    let head = &bytes[..bytes.len().min(512)];
    if head.contains(&0) {
        return true;
    }
    let suspicious = head
        .iter()
        .filter(|&&b| b < 7 || (b > 14 && b < 32))
        .count();
    suspicious * 10 > head.len()
}

/// One entry of a directory tree, for comparing trees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir,
    File { bytes: Vec<u8>, mode: u32 },
    Symlink(PathBuf),
}

/// Every entry under `root` by relative path (with `/` separators), not following links,
/// skipping the names in `skip` at the top level (such as `.git`); with `.git`, a `.git` at any depth.
pub fn snapshot(root: &Path, skip: &[&str]) -> std::io::Result<BTreeMap<String, Entry>> {
    let mut out = BTreeMap::new();
    if !root.exists() {
        return Ok(out);
    }
    walk(root, root, skip, &mut out)?;
    Ok(out)
}

/// A relative path with `/` between its components. Built from the components, not by
/// replacing `\\`, which is an ordinary character of a Unix file name.
pub(crate) fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn walk(
    root: &Path,
    dir: &Path,
    skip: &[&str],
    out: &mut BTreeMap<String, Entry>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let rel = slash_path(path.strip_prefix(root).unwrap_or(&path));
        if dir == root && skip.iter().any(|s| *s == rel) {
            continue;
        }
        // A repository that publish made in a subdirectory (`sourcePath`) is git's, not a
        // file of the result (template content cannot write a `.git` path).
        if skip.contains(&".git") && entry.file_name() == ".git" {
            continue;
        }
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.file_type().is_symlink() {
            out.insert(rel, Entry::Symlink(std::fs::read_link(&path)?));
        } else if meta.is_dir() {
            out.insert(rel, Entry::Dir);
            walk(root, &path, skip, out)?;
        } else if meta.is_file() {
            out.insert(
                rel,
                Entry::File {
                    bytes: std::fs::read(&path)?,
                    mode: file_mode(&meta),
                },
            );
        } else {
            // A FIFO would block the read and a device never ends.
            return Err(std::io::Error::other(format!(
                "{} is {}, not a regular file",
                path.display(),
                crate::fs::kind_of(&meta)
            )));
        }
    }
    Ok(())
}

#[cfg(unix)]
pub fn file_mode(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
pub fn file_mode(meta: &std::fs::Metadata) -> u32 {
    if meta.permissions().readonly() {
        0o444
    } else {
        0o644
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotdot_inside_the_workspace_is_allowed_and_outside_refused() {
        let base = Path::new("/ws/task");
        assert_eq!(
            safe_child(base, "a/../b").unwrap(),
            PathBuf::from("/ws/task/b")
        );
        assert_eq!(safe_child(base, "./").unwrap(), PathBuf::from("/ws/task"));
        assert!(safe_child(base, "../x").is_err());
        assert!(safe_child(base, "a/../../x").is_err());
        assert!(safe_child(base, "/etc/passwd").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_workspace_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("ws");
        std::fs::create_dir(&ws).unwrap();
        std::os::unix::fs::symlink("/tmp", ws.join("out")).unwrap();
        let e = safe_child(&ws, "out/file").unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        // The link itself may be named (it is replaced, not written through).
        assert!(safe_child(&ws, "out").is_ok());
    }

    #[test]
    fn binary_detection() {
        assert!(!is_binary(b""));
        assert!(!is_binary("héllo\n".as_bytes()));
        assert!(is_binary(&[0x89, b'P', b'N', b'G', 0, 0]));
        assert!(is_binary(&[1, 2, 3, 4, b'a']));
        assert!(!is_binary(b"caf\xe9 au lait\n"));
    }
}
