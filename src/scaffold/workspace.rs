//! The scratch directory a template run writes into, and the path rules that keep every
//! write inside it.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// `path.resolve(base, rel)` without touching the file system.
pub fn lexical_join(base: &Path, rel: &str) -> PathBuf {
    let mut out = if Path::new(rel).is_absolute() {
        PathBuf::from("/")
    } else {
        base.to_path_buf()
    };
    for component in Path::new(rel).components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(c) => out.push(c),
            Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
        }
    }
    out
}

/// Backstage's `resolveSafeChildPath`, plus a check Backstage leaves to the OS: an existing
/// symbolic link on the way (for example one a skeleton shipped) must not lead outside `base`.
pub fn safe_child(base: &Path, rel: &str) -> Result<PathBuf, String> {
    let target = lexical_join(base, rel);
    if !target.starts_with(base) {
        return Err(format!(
            "`{rel}` refers to a path outside the workspace; paths in a template must stay inside it"
        ));
    }
    // Any existing symlink between base and target must resolve inside base.
    let canonical_base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
    let mut current = base.to_path_buf();
    if let Ok(rest) = target.strip_prefix(base) {
        for component in rest.components() {
            current.push(component);
            match std::fs::symlink_metadata(&current) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    // The last component may itself be a link we are about to replace or copy.
                    if current == target {
                        break;
                    }
                    let resolved = current.canonicalize().unwrap_or_default();
                    if !resolved.starts_with(&canonical_base) {
                        return Err(format!(
                            "`{rel}` goes through the symbolic link {} which points outside the workspace",
                            current.strip_prefix(base).unwrap_or(&current).display()
                        ));
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }
    Ok(target)
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
/// skipping the names in `skip` at the top level (such as `.git`).
pub fn snapshot(root: &Path, skip: &[&str]) -> std::io::Result<BTreeMap<String, Entry>> {
    let mut out = BTreeMap::new();
    if !root.exists() {
        return Ok(out);
    }
    walk(root, root, skip, &mut out)?;
    Ok(out)
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
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if dir == root && skip.iter().any(|s| *s == rel) {
            continue;
        }
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.file_type().is_symlink() {
            out.insert(rel, Entry::Symlink(std::fs::read_link(&path)?));
        } else if meta.is_dir() {
            out.insert(rel, Entry::Dir);
            walk(root, &path, skip, out)?;
        } else {
            out.insert(
                rel,
                Entry::File {
                    bytes: std::fs::read(&path)?,
                    mode: file_mode(&meta),
                },
            );
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

/// Writes `bytes` to `path` creating parent directories, with `mode` (subject to the umask,
/// as Node's `fs.outputFile` with a mode is).
pub fn write_file(path: &Path, bytes: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Replacing a symlink must not write through it.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(path)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    use std::io::Write;
    let mut file = options.open(path)?;
    file.write_all(bytes)
}

/// Copies a file or symlink verbatim (link target unchanged, file mode kept as `fs.copy` does).
pub fn copy_verbatim(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let meta = std::fs::symlink_metadata(from)?;
    if std::fs::symlink_metadata(to).is_ok() {
        if std::fs::symlink_metadata(to)?.is_dir() {
            std::fs::remove_dir_all(to)?;
        } else {
            std::fs::remove_file(to)?;
        }
    }
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from)?;
        symlink(&target, to)
    } else {
        std::fs::copy(from, to).map(|_| ())
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::copy(link.parent().unwrap_or(Path::new(".")).join(target), link).map(|_| ())
}

/// Copies a directory tree (files, links, empty dirs), like `fs.copy` of a directory: existing
/// files are overwritten.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let source = entry.path();
        let dest = to.join(entry.file_name());
        let meta = std::fs::symlink_metadata(&source)?;
        if meta.is_dir() {
            copy_tree(&source, &dest)?;
        } else {
            copy_verbatim(&source, &dest)?;
        }
    }
    Ok(())
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
