//! Guarded file-system access: the one place where I/O driven by repository or template content
//! happens. Reads named by content are confined to a root (real path after symbolic links) and
//! checked for type and size before a byte is read; writes go through unique temporary files
//! (`tempfile`: random name, `O_EXCL`, same directory), are synced and renamed, never follow a
//! link out of the root and never overwrite a file that changed meanwhile; multi-file writes are
//! journaled so an interrupted batch is completed by the next run. Paths from content may not
//! name a git directory, by git's own rules (`verify_path`, `is_ntfs_dotgit`, `is_hfs_dotgit`).

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Largest file read on behalf of content (a placeholder target, a scorecard's file fact):
/// the catalog-file limit, so one rule holds for every file callboard reads.
pub const MAX_CONTENT_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// File name of the journal of a multi-file write (inside the git directory, or beside the
/// catalog root with a leading dot when there is no repository).
pub const JOURNAL_NAME: &str = "callboard-write-journal.json";

// ---------------------------------------------------------------------------------------------
// Reads

/// Why a file named by content was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{} is outside the repository", .path.display())]
    Outside { path: PathBuf },
    #[error("{} does not exist", .path.display())]
    NotFound { path: PathBuf },
    #[error("{} is {kind}, not a regular file", .path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{} is larger than the {limit}-byte limit", .path.display())]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{} is not valid UTF-8", .path.display())]
    NotUtf8 { path: PathBuf },
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ReadError {
    fn io(path: &Path, source: std::io::Error) -> ReadError {
        if source.kind() == std::io::ErrorKind::NotFound {
            ReadError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            ReadError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }
}

/// What a non-regular file is, for messages.
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// `path` without `.` and `..` components, without touching the file system.
pub fn lexical_normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A directory reads are confined to, resolved once: checking many paths against it costs one
/// `realpath` per path.
#[derive(Debug, Clone)]
pub struct ReadRoot {
    /// As given, made absolute and normalized.
    lexical: PathBuf,
    real: PathBuf,
}

impl ReadRoot {
    pub fn new(root: &Path) -> Result<ReadRoot, ReadError> {
        // `Path::parent` of a bare file name is empty: the current directory.
        let root = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        Ok(ReadRoot {
            lexical: lexical_normalize(&absolute(root)),
            real: root.canonicalize().map_err(|e| ReadError::io(root, e))?,
        })
    }

    /// By name alone, `path` (absolute, or relative to the current directory) stays inside.
    /// Links are not looked at: [`ReadRoot::confine`] does that.
    pub fn contains_lexically(&self, path: &Path) -> bool {
        let path = lexical_normalize(&absolute(path));
        path.starts_with(&self.lexical) || path.starts_with(&self.real)
    }

    /// The real path of `path` when it (after every symbolic link) lies inside the root.
    pub fn confine(&self, path: &Path) -> Result<PathBuf, ReadError> {
        let outside = || ReadError::Outside {
            path: path.to_path_buf(),
        };
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.real) => Ok(real),
            Ok(_) => Err(outside()),
            // A missing file is "outside" when its name alone already leaves the root.
            Err(_) if !self.contains_lexically(path) => Err(outside()),
            Err(e) => Err(ReadError::io(path, e)),
        }
    }
}

/// The real path of `path` when it (after every symbolic link) lies inside `root`.
pub fn confine(root: &Path, path: &Path) -> Result<PathBuf, ReadError> {
    ReadRoot::new(root)?.confine(path)
}

/// [`confine`], and the real path is a regular file (not a directory, FIFO or device).
pub fn confine_file(root: &Path, path: &Path) -> Result<PathBuf, ReadError> {
    let real = confine(root, path)?;
    let meta = std::fs::metadata(&real).map_err(|e| ReadError::io(path, e))?;
    if meta.is_file() {
        Ok(real)
    } else {
        Err(ReadError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_of(&meta),
        })
    }
}

/// Reads a regular file of at most `limit` bytes; type and size are checked from the metadata
/// before opening (a FIFO would block, `/dev/zero` never ends), and the read is bounded anyway.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| ReadError::io(path, e))?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_of(&meta),
        });
    }
    let too_large = || ReadError::TooLarge {
        path: path.to_path_buf(),
        limit,
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(|e| ReadError::io(path, e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads a file named by content: inside `root` (real path), regular, at most `limit` bytes.
pub fn read_confined(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let real = confine(root, path)?;
    read_limited(&real, limit).map_err(|e| rename_error(e, path))
}

/// [`read_confined`] as UTF-8 text.
pub fn read_confined_string(root: &Path, path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read_confined(root, path, limit)?).map_err(|_| ReadError::NotUtf8 {
        path: path.to_path_buf(),
    })
}

/// Errors name the path as the content wrote it, not its real path.
fn rename_error(e: ReadError, shown: &Path) -> ReadError {
    let path = shown.to_path_buf();
    match e {
        ReadError::Outside { .. } => ReadError::Outside { path },
        ReadError::NotFound { .. } => ReadError::NotFound { path },
        ReadError::NotRegular { kind, .. } => ReadError::NotRegular { path, kind },
        ReadError::TooLarge { limit, .. } => ReadError::TooLarge { path, limit },
        ReadError::NotUtf8 { .. } => ReadError::NotUtf8 { path },
        ReadError::Io { source, .. } => ReadError::Io { path, source },
    }
}

// ---------------------------------------------------------------------------------------------
// Paths from content

/// Code points HFS+ ignores when comparing names (git's `next_hfs_char`): a name holding them
/// around `.git` is `.git` on macOS.
fn is_hfs_ignorable(c: char) -> bool {
    matches!(c,
        '\u{200c}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{206a}'..='\u{206f}' | '\u{feff}')
}

/// git's `is_hfs_dotgit`: `.git` once HFS+ ignorable code points are dropped, in any case.
fn is_hfs_dotgit(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| !is_hfs_ignorable(*c))
        .collect::<String>()
        .to_ascii_lowercase();
    folded == ".git"
}

/// git's `is_ntfs_dotgit`: up to the first `:` (an alternate data stream), `.git` or its 8.3
/// short name `git~1`, in any case, followed only by spaces and dots (which NTFS drops).
fn is_ntfs_dotgit(name: &str) -> bool {
    let stem = name.split(':').next().unwrap_or(name);
    let only_spaces_and_dots = |rest: &str| rest.chars().all(|c| c == ' ' || c == '.');
    let starts_with = |prefix: &str| {
        stem.len() >= prefix.len()
            && stem.is_char_boundary(prefix.len())
            && stem[..prefix.len()].eq_ignore_ascii_case(prefix)
            && only_spaces_and_dots(&stem[prefix.len()..])
    };
    starts_with(".git") || starts_with("git~1")
}

/// Is this one path component a git directory on some file system (Linux, Windows, macOS)?
pub fn is_dotgit(component: &str) -> bool {
    is_ntfs_dotgit(component) || is_hfs_dotgit(component)
}

/// Why a path from content may not be written or copied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentPathError {
    #[error("`{0}` is an absolute path; paths in a template or repository must be relative")]
    Absolute(String),
    #[error(
        "`{0}` contains `..`; paths in a template or repository must stay below their directory"
    )]
    ParentDir(String),
    #[error(
        "`{path}` names a git directory (`{component}`); callboard never writes or copies `.git` from a template or repository"
    )]
    GitDir { path: String, component: String },
}

/// The component of `path` that names a git directory, if any (both `/` and `\` separate).
pub fn dotgit_component(path: &str) -> Option<&str> {
    path.split(['/', '\\']).find(|c| is_dotgit(c))
}

/// Checks a relative path from content: not absolute, no `..`, no git directory.
pub fn check_content_path(path: &str) -> Result<(), ContentPathError> {
    let owned = || path.to_string();
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic();
    if path.starts_with(['/', '\\']) || drive || Path::new(path).is_absolute() {
        return Err(ContentPathError::Absolute(owned()));
    }
    if path.split(['/', '\\']).any(|c| c == "..") {
        return Err(ContentPathError::ParentDir(owned()));
    }
    check_no_dotgit(path)
}

/// Checks only the git-directory rule (for paths whose `..` is judged elsewhere).
pub fn check_no_dotgit(path: &str) -> Result<(), ContentPathError> {
    match dotgit_component(path) {
        Some(component) => Err(ContentPathError::GitDir {
            path: path.to_string(),
            component: component.to_string(),
        }),
        None => Ok(()),
    }
}

/// Why a git tree entry is refused (git fsck's rules for names and modes).
pub fn tree_entry_problem(name: &[u8]) -> Option<&'static str> {
    match name {
        b"" => Some("has an empty name"),
        b"." | b".." => Some("is named `.` or `..`"),
        n if n.contains(&b'/') || n.contains(&0) => Some("has a `/` or NUL in its name"),
        n if is_dotgit(&String::from_utf8_lossy(n)) => Some("names a git directory (`.git`)"),
        #[cfg(windows)]
        n if n.contains(&b'\\') => Some("has a `\\` in its name"),
        _ => None,
    }
}

/// Checks the entries of one git tree: every name by [`tree_entry_problem`], and no name given
/// twice (a symbolic link and a directory of the same name would let the link redirect writes).
pub fn check_tree_entries(
    names: impl IntoIterator<Item = Vec<u8>>,
    at: &str,
) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for name in names {
        let shown = String::from_utf8_lossy(&name);
        let full = if at.is_empty() {
            shown.to_string()
        } else {
            format!("{at}/{shown}")
        };
        if let Some(problem) = tree_entry_problem(&name) {
            return Err(format!(
                "git tree entry `{full}` {problem}; git fsck rejects it"
            ));
        }
        if !seen.insert(name.clone()) {
            return Err(format!(
                "git tree has two entries named `{full}`; git fsck rejects it"
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Writes confined to a directory tree (a scaffold workspace, an `--into` checkout)

/// Why a confined write was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error("{0}")]
    Content(#[from] ContentPathError),
    #[error("`{path}` refers to a path outside {what}; paths in a template must stay inside it")]
    Outside { path: String, what: &'static str },
    #[error("`{path}` goes through the symbolic link {link} which points outside {what}")]
    Link {
        path: String,
        link: String,
        what: &'static str,
    },
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl GuardError {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> GuardError + '_ {
        move |source| GuardError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

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

/// A directory tree every write stays inside: no path leaves it lexically, no symbolic link on
/// the way leads out of it (real path), and no path names a git directory.
#[derive(Debug, Clone)]
pub struct Confined {
    root: PathBuf,
    real_root: PathBuf,
    what: &'static str,
}

impl Confined {
    /// `what` names the tree in messages ("the workspace", "the checkout"). A root that does
    /// not exist yet is taken as it is written.
    pub fn new(root: &Path, what: &'static str) -> Confined {
        Confined {
            root: root.to_path_buf(),
            real_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            what,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Backstage's `resolveSafeChildPath` of `rel` against `base` (a directory inside the tree),
    /// plus what Backstage leaves to the OS: no git directory, no link out of the tree.
    pub fn child(&self, base: &Path, rel: &str) -> Result<PathBuf, GuardError> {
        let target = lexical_join(base, rel);
        let outside = || GuardError::Outside {
            path: rel.to_string(),
            what: self.what,
        };
        if !target.starts_with(base) || !target.starts_with(&self.root) {
            return Err(outside());
        }
        let inside = target.strip_prefix(&self.root).map_err(|_| outside())?;
        check_no_dotgit(&inside.to_string_lossy()).map_err(|_| ContentPathError::GitDir {
            path: rel.to_string(),
            component: dotgit_component(&inside.to_string_lossy())
                .unwrap_or(".git")
                .to_string(),
        })?;
        self.check_parents(&target, rel)?;
        Ok(target)
    }

    /// Every existing ancestor of `path` below the root resolves inside the tree. The last
    /// component may be a link: writes replace it, never write through it.
    fn check_parents(&self, path: &Path, shown: &str) -> Result<(), GuardError> {
        let Ok(rest) = path.strip_prefix(&self.root) else {
            return Err(GuardError::Outside {
                path: shown.to_string(),
                what: self.what,
            });
        };
        let mut current = self.root.clone();
        let mut components = rest.components().peekable();
        while let Some(component) = components.next() {
            if components.peek().is_none() {
                break;
            }
            current.push(component);
            match std::fs::symlink_metadata(&current) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    let resolved = current.canonicalize().unwrap_or_default();
                    if !resolved.starts_with(&self.real_root) {
                        return Err(GuardError::Link {
                            path: shown.to_string(),
                            link: current
                                .strip_prefix(&self.root)
                                .unwrap_or(&current)
                                .display()
                                .to_string(),
                            what: self.what,
                        });
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        Ok(())
    }

    /// Checks an absolute path inside the tree before writing it.
    pub fn check(&self, path: &Path) -> Result<(), GuardError> {
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        let shown = shown.to_string_lossy().replace('\\', "/");
        check_no_dotgit(&shown)?;
        self.check_parents(path, &shown)
    }

    /// Copies a regular file's content (a link at `from` is followed, as `fs.copyFile` does;
    /// one at `to` is replaced).
    pub fn copy_file(&self, from: &Path, to: &Path) -> Result<(), GuardError> {
        self.check(to)?;
        self.unlink(to)?;
        std::fs::copy(from, to)
            .map(|_| ())
            .map_err(GuardError::io(from))
    }

    /// Removes a link (or file) at `path` so a write replaces it instead of following it.
    fn unlink(&self, path: &Path) -> Result<(), GuardError> {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            std::fs::remove_file(path).map_err(GuardError::io(path))?;
        }
        Ok(())
    }

    /// Creates `path` and its parents. A link at `path` itself is used when it leads to a
    /// directory inside the tree and refused when it leads out (filling a directory through
    /// it would write outside).
    pub fn create_dir_all(&self, path: &Path) -> Result<(), GuardError> {
        self.check(path)?;
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            let inside = path
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&self.real_root));
            if !inside {
                let shown = path.strip_prefix(&self.root).unwrap_or(path);
                let shown = shown.to_string_lossy().replace('\\', "/");
                return Err(GuardError::Link {
                    path: shown.clone(),
                    link: shown,
                    what: self.what,
                });
            }
        }
        std::fs::create_dir_all(path).map_err(GuardError::io(path))
    }

    /// Writes `bytes` to `path` creating parent directories, with `mode` (subject to the umask,
    /// as Node's `fs.outputFile` with a mode is). A link at `path` is replaced.
    pub fn write_file(
        &self,
        path: &Path,
        bytes: &[u8],
        mode: Option<u32>,
    ) -> Result<(), GuardError> {
        self.check(path)?;
        if let Some(parent) = path.parent() {
            self.create_dir_all(parent)?;
        }
        self.unlink(path)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode);
        }
        #[cfg(not(unix))]
        let _ = mode;
        let mut file = options.open(path).map_err(GuardError::io(path))?;
        file.write_all(bytes).map_err(GuardError::io(path))
    }

    /// [`Confined::write_file`] with exactly `mode` (not reduced by the umask), as git checks
    /// files out.
    pub fn write_file_exact(&self, path: &Path, bytes: &[u8], mode: u32) -> Result<(), GuardError> {
        self.write_file(path, bytes, Some(mode))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .map_err(GuardError::io(path))?;
        }
        Ok(())
    }

    /// Creates a symbolic link at `link` (whatever is there is replaced); where it points is
    /// not checked here: every later write through it is.
    pub fn symlink(&self, target: &Path, link: &Path) -> Result<(), GuardError> {
        self.check(link)?;
        if let Some(parent) = link.parent() {
            self.create_dir_all(parent)?;
        }
        if let Ok(existing) = std::fs::symlink_metadata(link) {
            if existing.is_dir() {
                std::fs::remove_dir_all(link).map_err(GuardError::io(link))?;
            } else {
                std::fs::remove_file(link).map_err(GuardError::io(link))?;
            }
        }
        symlink(target, link).map_err(GuardError::io(link))
    }

    /// Copies a file or symlink verbatim (link target unchanged, file mode kept as `fs.copy`
    /// does); whatever is at `to` is replaced, never written through.
    pub fn copy_verbatim(&self, from: &Path, to: &Path) -> Result<(), GuardError> {
        self.check(to)?;
        if let Some(parent) = to.parent() {
            self.create_dir_all(parent)?;
        }
        let meta = std::fs::symlink_metadata(from).map_err(GuardError::io(from))?;
        if let Ok(existing) = std::fs::symlink_metadata(to) {
            if existing.is_dir() {
                std::fs::remove_dir_all(to).map_err(GuardError::io(to))?;
            } else {
                std::fs::remove_file(to).map_err(GuardError::io(to))?;
            }
        }
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(from).map_err(GuardError::io(from))?;
            symlink(&target, to).map_err(GuardError::io(to))
        } else if meta.is_file() {
            std::fs::copy(from, to)
                .map(|_| ())
                .map_err(GuardError::io(from))
        } else {
            Err(GuardError::Io {
                path: from.to_path_buf(),
                source: std::io::Error::other(format!(
                    "is {}, not a file that can be copied",
                    kind_of(&meta)
                )),
            })
        }
    }

    /// Copies a directory tree (files, links, empty dirs), like `fs.copy` of a directory:
    /// existing files are overwritten; a `.git` anywhere in the source is refused before
    /// anything is copied.
    pub fn copy_tree(&self, from: &Path, to: &Path) -> Result<(), GuardError> {
        if let Some(found) = find_dotgit(from).map_err(GuardError::io(from))? {
            return Err(ContentPathError::GitDir {
                path: found.display().to_string(),
                component: found
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            }
            .into());
        }
        self.copy_tree_unchecked(from, to)
    }

    fn copy_tree_unchecked(&self, from: &Path, to: &Path) -> Result<(), GuardError> {
        self.create_dir_all(to)?;
        let mut entries: Vec<_> = std::fs::read_dir(from)
            .and_then(|d| d.collect::<Result<_, _>>())
            .map_err(GuardError::io(from))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let source = entry.path();
            let dest = to.join(entry.file_name());
            let meta = std::fs::symlink_metadata(&source).map_err(GuardError::io(&source))?;
            if meta.is_dir() {
                self.copy_tree_unchecked(&source, &dest)?;
            } else {
                self.copy_verbatim(&source, &dest)?;
            }
        }
        Ok(())
    }

    /// Copies one entry of the operator's own checkout (a file, link or directory tree) into a
    /// fresh tree verbatim; unlike [`Confined::copy_tree`], git files below it are kept.
    pub fn copy_checkout_entry(&self, from: &Path, to: &Path) -> Result<(), GuardError> {
        self.check_parents(to, &to.display().to_string())?;
        let meta = std::fs::symlink_metadata(from).map_err(GuardError::io(from))?;
        if meta.is_dir() {
            std::fs::create_dir_all(to).map_err(GuardError::io(to))?;
            let entries: Vec<_> = std::fs::read_dir(from)
                .and_then(|d| d.collect::<Result<_, _>>())
                .map_err(GuardError::io(from))?;
            for entry in entries {
                self.copy_checkout_entry(&entry.path(), &to.join(entry.file_name()))?;
            }
            Ok(())
        } else if meta.file_type().is_symlink() {
            let target = std::fs::read_link(from).map_err(GuardError::io(from))?;
            symlink(&target, to).map_err(GuardError::io(to))
        } else {
            std::fs::copy(from, to)
                .map(|_| ())
                .map_err(GuardError::io(from))
        }
    }

    /// Removes a file, link or directory tree inside the tree (a link is removed, not followed).
    pub fn remove(&self, path: &Path) -> Result<(), GuardError> {
        self.check(path)?;
        let meta = std::fs::symlink_metadata(path).map_err(GuardError::io(path))?;
        if meta.is_dir() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        }
        .map_err(GuardError::io(path))
    }

    /// Renames `from` to `to`, both inside the tree.
    pub fn rename(&self, from: &Path, to: &Path) -> Result<(), GuardError> {
        self.check(from)?;
        self.check(to)?;
        if let Some(parent) = to.parent() {
            self.create_dir_all(parent)?;
        }
        std::fs::rename(from, to).map_err(GuardError::io(from))
    }
}

/// The first path below `dir` (not following links) whose name is a git directory.
pub fn find_dotgit(dir: &Path) -> std::io::Result<Option<PathBuf>> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if is_dotgit(&entry.file_name().to_string_lossy()) {
            return Ok(Some(path));
        }
        if std::fs::symlink_metadata(&path)?.is_dir()
            && let Some(found) = find_dotgit(&path)?
        {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::copy(link.parent().unwrap_or(Path::new(".")).join(target), link).map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// Atomic writes of repository files

/// Why an atomic write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "{} is a symbolic link to {}, outside the repository (edit the real file instead)",
        .path.display(), .target.display()
    )]
    LinkOutside { path: PathBuf, target: PathBuf },
    #[error("{} is a symbolic link that leads nowhere", .path.display())]
    DanglingLink { path: PathBuf },
    #[error("{} is {kind}, not a regular file", .path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{} changed while callboard was working", .path.display())]
    Changed { path: PathBuf },
    #[error("{} exists already; callboard creates only new files here", .path.display())]
    Exists { path: PathBuf },
    #[error("{} is outside the repository ({}); callboard writes only inside it", .path.display(), .root.display())]
    Outside { path: PathBuf, root: PathBuf },
    #[error("{} is inside a git directory ({component}); callboard never writes there", .path.display())]
    GitDir { path: PathBuf, component: String },
    // The cause is in the message, not a `#[source]`, so a report that prints the chain
    // says it once.
    #[error("cannot write {}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl WriteError {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
        move |error| WriteError::Io {
            path: path.to_path_buf(),
            error: without_temp_name(error),
        }
    }
}

/// tempfile names its random temporary file in its errors (`… at path "…/.x.AbC.callboard"`,
/// with no way to reach the system's error under it); the user asked for the target, so keep
/// only the system's reason.
fn without_temp_name(error: std::io::Error) -> std::io::Error {
    let text = error.to_string();
    match text.rfind(" at path \"") {
        Some(at) if error.get_ref().is_some() => {
            std::io::Error::new(error.kind(), text[..at].to_string())
        }
        _ => error,
    }
}

/// The file a write of `path` lands in: `path` itself, or the real file a symbolic link names
/// when that file is inside `root` (a link is never replaced by a regular file). Without a root
/// (a path the operator named) a link is followed wherever it leads.
pub fn write_target(path: &Path, root: Option<&Path>) -> Result<PathBuf, WriteError> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(path.to_path_buf());
    };
    if !meta.file_type().is_symlink() {
        if !meta.is_file() {
            return Err(WriteError::NotRegular {
                path: path.to_path_buf(),
                kind: kind_of(&meta),
            });
        }
        return Ok(path.to_path_buf());
    }
    let real = path.canonicalize().map_err(|_| WriteError::DanglingLink {
        path: path.to_path_buf(),
    })?;
    if let Some(root) = root {
        let real_root = root.canonicalize().map_err(WriteError::io(root))?;
        if !real.starts_with(&real_root) {
            return Err(WriteError::LinkOutside {
                path: path.to_path_buf(),
                target: real,
            });
        }
    }
    Ok(real)
}

/// The SHA-256 of some bytes, for compare-and-swap.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn current_hash(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|b| content_hash(&b))
}

/// A complete temporary file beside its target, not yet renamed.
struct Staged {
    temp: tempfile::TempPath,
    target: PathBuf,
    /// Hash of the content the change was computed from; None when the target is new.
    expected: Option<String>,
    /// A file created by the batch: renamed only while nothing is there.
    create: bool,
}

fn stage(target: &Path, content: &[u8], expected: Option<String>) -> Result<Staged, WriteError> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Random name, created with O_EXCL (never follows a planted link), in the same directory
    // so the rename is atomic.
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".callboard")
        .tempfile_in(dir)
        .map_err(WriteError::io(target))?;
    file.write_all(content).map_err(WriteError::io(target))?;
    if let Ok(meta) = std::fs::metadata(target) {
        file.as_file()
            .set_permissions(meta.permissions())
            .map_err(WriteError::io(target))?;
    }
    file.as_file().sync_all().map_err(WriteError::io(target))?;
    Ok(Staged {
        temp: file.into_temp_path(),
        target: target.to_path_buf(),
        expected,
        create: false,
    })
}

/// Compare-and-swap: the target still holds what the change was computed from.
fn unchanged(staged: &Staged) -> bool {
    match &staged.expected {
        Some(hash) => current_hash(&staged.target).as_deref() == Some(hash.as_str()),
        None => true,
    }
}

fn commit(staged: Staged) -> Result<(), WriteError> {
    let target = staged.target.clone();
    // On failure the returned TempPath is dropped, which removes the temporary file.
    if staged.create {
        // A file that appeared since the check is never replaced.
        staged.temp.persist_noclobber(&target).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                WriteError::Exists {
                    path: target.clone(),
                }
            } else {
                WriteError::io(&target)(e.error)
            }
        })?;
        sync_dir(&target);
        return Ok(());
    }
    staged
        .temp
        .persist(&target)
        .map_err(|e| WriteError::io(&target)(e.error))?;
    sync_dir(&target);
    Ok(())
}

/// Makes the rename durable; best effort (not every system can open a directory).
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Writes one file atomically. `root`: links may only lead inside it (None: a path the operator
/// named). `expected`: the content the new one was computed from; the write is refused when the
/// file no longer holds it. A failed write leaves no temporary file.
pub fn write_atomic(
    path: &Path,
    content: &[u8],
    root: Option<&Path>,
    expected: Option<&[u8]>,
) -> Result<(), WriteError> {
    let target = write_target(path, root)?;
    let staged = stage(&target, content, expected.map(content_hash))?;
    if !unchanged(&staged) {
        return Err(WriteError::Changed {
            path: path.to_path_buf(),
        });
    }
    commit(staged)
}

/// One file of a multi-file write.
pub struct Change<'a> {
    pub path: &'a Path,
    pub old: &'a [u8],
    pub new: &'a [u8],
    pub kind: ChangeKind,
}

/// What a [`Change`] does to its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChangeKind {
    /// Replaces an existing file that holds `old`.
    #[default]
    Replace,
    /// Creates a file that does not exist (`old` is empty), with any missing directories, all
    /// inside the journal's root and outside any git directory; never replaces a file that
    /// appears meanwhile.
    Create,
    /// Removes a regular file (never a link) inside the journal's root that still holds `old`,
    /// after every other file of the batch is written.
    Delete,
}

/// Why a multi-file write stopped.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("{0}; nothing was written")]
    Nothing(WriteError),
    #[error("{error}; {written} of {total} files were written")]
    Partial {
        error: WriteError,
        written: usize,
        total: usize,
    },
}

/// One line of the journal (JSON lines: a header, one entry per staged file, then a marker
/// once every file is staged; appending keeps a 5,000-file batch from rewriting the journal).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum JournalLine {
    Header {
        version: u32,
    },
    Staged {
        temp: PathBuf,
        target: PathBuf,
        /// Hash of the target before the batch; the entry is completed only while it holds it.
        old: String,
        /// A new file: completed only while the target does not exist.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        create: bool,
    },
    /// A file to remove once every file is staged; only while it holds `old` (a hash).
    Delete {
        target: PathBuf,
        old: String,
    },
    /// Every file is staged: renaming may begin, and a later run may finish it.
    Complete {
        files: usize,
    },
}

/// Where a multi-file write keeps its journal.
#[derive(Debug, Clone)]
pub struct JournalPlace {
    /// The journal file.
    pub file: PathBuf,
    /// Every file the journal may name lies inside this directory (the repository root).
    pub root: PathBuf,
}

impl JournalPlace {
    /// In the git directory `git_dir` when there is one, else beside `root` (hidden).
    pub fn new(git_dir: Option<&Path>, root: &Path) -> JournalPlace {
        let file = match git_dir {
            Some(g) => g.join(JOURNAL_NAME),
            None => root.join(format!(".{JOURNAL_NAME}")),
        };
        JournalPlace {
            file,
            root: root.to_path_buf(),
        }
    }
}

struct JournalWriter {
    /// Closed before the journal is removed (Windows cannot remove an open file).
    file: Option<std::fs::File>,
    path: PathBuf,
}

impl JournalWriter {
    /// Created with O_EXCL: an existing journal means another run is writing or one was
    /// interrupted ([`recover`] first).
    fn create(place: &JournalPlace) -> Result<JournalWriter, WriteError> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&place.file)
            .map_err(|e| {
                let message = if e.kind() == std::io::ErrorKind::AlreadyExists {
                    "another callboard run is writing (or was interrupted: run the command again)"
                        .to_string()
                } else {
                    e.to_string()
                };
                WriteError::Io {
                    path: place.file.clone(),
                    error: std::io::Error::new(e.kind(), message),
                }
            })?;
        let mut writer = JournalWriter {
            file: Some(file),
            path: place.file.clone(),
        };
        writer.append(&JournalLine::Header { version: 1 })?;
        Ok(writer)
    }

    fn append(&mut self, line: &JournalLine) -> Result<(), WriteError> {
        let mut text = serde_json::to_string(line).unwrap_or_default();
        text.push('\n');
        match &mut self.file {
            Some(file) => file
                .write_all(text.as_bytes())
                .map_err(WriteError::io(&self.path)),
            None => Ok(()),
        }
    }

    fn sync(&self) -> Result<(), WriteError> {
        match &self.file {
            Some(file) => file.sync_all().map_err(WriteError::io(&self.path)),
            None => Ok(()),
        }
    }
}

impl Drop for JournalWriter {
    fn drop(&mut self) {
        drop(self.file.take());
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Writes every change or none: every file is staged completely (temporary file beside it,
/// synced) and every target compared with the content the change came from before the first
/// rename, and compared again just before its own rename. A journal lists each temporary file
/// as it is staged, so a run killed meanwhile is cleaned up or completed by the next one
/// ([`recover`]). Links are written through only to files inside the journal's root.
pub fn write_all(changes: &[Change<'_>], journal: &JournalPlace) -> Result<(), BatchError> {
    // Every new file is checked before anything is created.
    for c in changes.iter().filter(|c| c.kind == ChangeKind::Create) {
        create_target(c.path, &journal.root).map_err(BatchError::Nothing)?;
    }
    let mut log = JournalWriter::create(journal).map_err(BatchError::Nothing)?;
    let mut directories = CreatedDirectories::default();
    let mut staged = Vec::with_capacity(changes.len());
    let mut deletions = Vec::new();
    for c in changes {
        if c.kind == ChangeKind::Delete {
            let target = delete_target(c.path, &journal.root).map_err(BatchError::Nothing)?;
            let old = content_hash(c.old);
            if current_hash(&target).as_deref() != Some(old.as_str()) {
                return Err(BatchError::Nothing(WriteError::Changed { path: target }));
            }
            log.append(&JournalLine::Delete {
                target: absolute(&target),
                old: old.clone(),
            })
            .map_err(BatchError::Nothing)?;
            deletions.push((target, old));
            continue;
        }
        if c.kind == ChangeKind::Create {
            let missing = create_target(c.path, &journal.root).map_err(BatchError::Nothing)?;
            directories.create(&missing).map_err(BatchError::Nothing)?;
            let mut s = stage(c.path, c.new, None).map_err(BatchError::Nothing)?;
            s.create = true;
            log.append(&JournalLine::Staged {
                temp: absolute(&s.temp),
                target: absolute(&s.target),
                old: String::new(),
                create: true,
            })
            .map_err(BatchError::Nothing)?;
            staged.push(s);
            continue;
        }
        let target = write_target(c.path, Some(&journal.root)).map_err(BatchError::Nothing)?;
        let meta = std::fs::metadata(&target)
            .map_err(|e| BatchError::Nothing(WriteError::io(c.path)(e)))?;
        if meta.permissions().readonly() {
            return Err(BatchError::Nothing(WriteError::Io {
                path: c.path.to_path_buf(),
                error: std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "the file is read-only",
                ),
            }));
        }
        let s = stage(&target, c.new, Some(content_hash(c.old))).map_err(BatchError::Nothing)?;
        log.append(&JournalLine::Staged {
            temp: absolute(&s.temp),
            target: absolute(&s.target),
            old: s.expected.clone().unwrap_or_default(),
            create: false,
        })
        .map_err(BatchError::Nothing)?;
        staged.push(s);
    }
    if let Some(s) = staged.iter().find(|s| !unchanged(s)) {
        return Err(BatchError::Nothing(WriteError::Changed {
            path: s.target.clone(),
        }));
    }
    log.append(&JournalLine::Complete {
        files: staged.len() + deletions.len(),
    })
    .and_then(|()| log.sync())
    .map_err(BatchError::Nothing)?;
    let total = staged.len() + deletions.len();
    // From the first rename on, a created directory may hold a written file: it stays.
    directories.keep();
    let mut remaining = staged.into_iter().enumerate();
    for (i, s) in remaining.by_ref() {
        // Checked again at rename time: a change made since the check above is not lost.
        let outcome = if unchanged(&s) {
            commit(s)
        } else {
            Err(WriteError::Changed { path: s.target })
        };
        if let Err(error) = outcome {
            return Err(if i == 0 {
                BatchError::Nothing(error)
            } else {
                BatchError::Partial {
                    error,
                    written: i,
                    total,
                }
            });
        }
    }
    // Deletions last: a file leaves only once every new text is in place.
    let written = total - deletions.len();
    for (i, (target, old)) in deletions.into_iter().enumerate() {
        let outcome = if current_hash(&target).as_deref() == Some(old.as_str()) {
            std::fs::remove_file(&target).map_err(WriteError::io(&target))
        } else {
            Err(WriteError::Changed { path: target })
        };
        if let Err(error) = outcome {
            return Err(if written + i == 0 {
                BatchError::Nothing(error)
            } else {
                BatchError::Partial {
                    error,
                    written: written + i,
                    total,
                }
            });
        }
    }
    // Dropping the rest removes their temporary files; dropping the log removes the journal.
    Ok(())
}

/// Checks a file to create: it does not exist, it lies inside `root` by name and by real path
/// (its nearest existing directory, after links), and no component is a git directory. The
/// directories to create for it, outermost first.
fn create_target(path: &Path, root: &Path) -> Result<Vec<PathBuf>, WriteError> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists {
            path: path.to_path_buf(),
        });
    }
    let outside = || WriteError::Outside {
        path: path.to_path_buf(),
        root: root.to_path_buf(),
    };
    let absolute_root = lexical_normalize(&absolute(root));
    let wanted = lexical_normalize(&absolute(path));
    let inside = wanted.strip_prefix(&absolute_root).map_err(|_| outside())?;
    if inside.as_os_str().is_empty() {
        return Err(outside());
    }
    if let Some(component) = dotgit_component(&inside.to_string_lossy().replace('\\', "/")) {
        return Err(WriteError::GitDir {
            path: path.to_path_buf(),
            component: component.to_string(),
        });
    }
    // The nearest directory that exists, followed through links, must be inside the real root.
    let mut missing = Vec::new();
    let mut existing = wanted.parent().map(Path::to_path_buf).unwrap_or_default();
    while std::fs::symlink_metadata(&existing).is_err() {
        missing.push(existing.clone());
        existing = existing
            .parent()
            .map(Path::to_path_buf)
            .ok_or_else(outside)?;
    }
    let real_root = root.canonicalize().map_err(WriteError::io(root))?;
    let real = existing.canonicalize().map_err(WriteError::io(&existing))?;
    let real_inside = real
        .strip_prefix(&real_root)
        .map_err(|_| WriteError::LinkOutside {
            path: path.to_path_buf(),
            target: real.clone(),
        })?;
    if !real.is_dir() {
        return Err(WriteError::NotRegular {
            path: existing,
            kind: "not a directory",
        });
    }
    if let Some(component) = dotgit_component(&real_inside.to_string_lossy().replace('\\', "/")) {
        return Err(WriteError::GitDir {
            path: path.to_path_buf(),
            component: component.to_string(),
        });
    }
    missing.reverse();
    Ok(missing)
}

/// Checks a file to delete: a regular file (a link is never removed through), inside `root` by
/// real path, outside any git directory. Its real path.
fn delete_target(path: &Path, root: &Path) -> Result<PathBuf, WriteError> {
    let meta = std::fs::symlink_metadata(path).map_err(WriteError::io(path))?;
    if !meta.is_file() {
        return Err(WriteError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_of(&meta),
        });
    }
    let real_root = root.canonicalize().map_err(WriteError::io(root))?;
    let real = path.canonicalize().map_err(WriteError::io(path))?;
    let inside = real
        .strip_prefix(&real_root)
        .map_err(|_| WriteError::Outside {
            path: path.to_path_buf(),
            root: root.to_path_buf(),
        })?;
    if let Some(component) = dotgit_component(&inside.to_string_lossy().replace('\\', "/")) {
        return Err(WriteError::GitDir {
            path: path.to_path_buf(),
            component: component.to_string(),
        });
    }
    Ok(real)
}

/// Whether [`write_all`] may create `path` under `root` (the same rules, checked before a plan
/// is shown, so a dry run refuses what the write would).
pub fn check_create(path: &Path, root: &Path) -> Result<(), WriteError> {
    create_target(path, root).map(drop)
}

/// Directories a batch created for its new files: removed again (innermost first, only while
/// empty) unless the batch reached its first rename.
#[derive(Default)]
struct CreatedDirectories {
    created: Vec<PathBuf>,
}

impl CreatedDirectories {
    fn create(&mut self, missing: &[PathBuf]) -> Result<(), WriteError> {
        for dir in missing {
            match std::fs::create_dir(dir) {
                Ok(()) => self.created.push(dir.clone()),
                // Created for an earlier file of the same batch.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
                Err(e) => return Err(WriteError::io(dir)(e)),
            }
        }
        Ok(())
    }

    fn keep(&mut self) {
        self.created.clear();
    }
}

impl Drop for CreatedDirectories {
    fn drop(&mut self) {
        for dir in self.created.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// What [`recover`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Files the interrupted batch had staged and that are now written.
    pub completed: Vec<PathBuf>,
    /// Files changed since the batch was staged: left as they are.
    pub skipped: Vec<PathBuf>,
    /// Temporary files of a batch interrupted before every file was staged: removed.
    pub removed: Vec<PathBuf>,
}

impl Recovery {
    /// The message for the person at the terminal, None when there was nothing to do.
    pub fn message(&self, journal: &Path) -> Option<String> {
        let mut text = String::new();
        if !self.completed.is_empty() || !self.skipped.is_empty() {
            text.push_str(&format!(
                "callboard: completed an interrupted write: {} file(s) written now (journal {})\n",
                self.completed.len(),
                journal.display()
            ));
        }
        for path in &self.skipped {
            text.push_str(&format!(
                "callboard: {} changed since that write was staged; left as it is\n",
                path.display()
            ));
        }
        if !self.removed.is_empty() {
            text.push_str(&format!(
                "callboard: an earlier write was interrupted before it began; nothing of it was written, its {} temporary file(s) are removed (journal {})\n",
                self.removed.len(),
                journal.display()
            ));
        }
        (!text.is_empty()).then_some(text)
    }
}

/// Finishes what an interrupted [`write_all`] left: when every file had been staged, renames
/// each temporary file whose target still holds its old content; otherwise (or for targets
/// changed since) removes the temporary files. Only files the journal lists are touched (never
/// files found by a name pattern), and only when they lie inside the root; the journal goes last.
pub fn recover(journal: &JournalPlace) -> Result<Recovery, String> {
    let mut recovery = Recovery::default();
    if std::fs::symlink_metadata(&journal.file).is_err() {
        return Ok(recovery);
    }
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", journal.file.display());
    let bytes = read_limited(&journal.file, MAX_CONTENT_FILE_BYTES).map_err(|e| fail(&e))?;
    let real_root = journal.root.canonicalize().map_err(|e| fail(&e))?;
    let mut entries = Vec::new();
    let mut deletions: Vec<(PathBuf, String)> = Vec::new();
    let mut complete = false;
    // A line cut short by a kill is the last one: everything before it is whole.
    for line in String::from_utf8_lossy(&bytes).lines() {
        match serde_json::from_str::<JournalLine>(line) {
            Ok(JournalLine::Staged {
                temp,
                target,
                old,
                create,
            }) => entries.push((temp, target, old, create)),
            Ok(JournalLine::Complete { files }) => {
                complete = files == entries.len() + deletions.len();
            }
            Ok(JournalLine::Delete { target, old }) => deletions.push((target, old)),
            Ok(JournalLine::Header { .. }) | Err(_) => {}
        }
    }
    let inside = |p: &Path| {
        p.parent()
            .and_then(|d| d.canonicalize().ok())
            .is_some_and(|d| d.starts_with(&real_root))
    };
    for (temp, target, old, create) in entries {
        let trusted = temp.parent() == target.parent()
            && inside(&temp)
            && std::fs::symlink_metadata(&temp).is_ok_and(|m| m.is_file());
        if !trusted {
            continue;
        }
        // A new file: linked into place only while nothing is there (never replacing).
        if complete && create && std::fs::hard_link(&temp, &target).is_ok() {
            std::fs::remove_file(&temp).map_err(|e| format!("{}: {e}", temp.display()))?;
            recovery.completed.push(target);
            continue;
        }
        if complete && !create && current_hash(&target).as_deref() == Some(old.as_str()) {
            std::fs::rename(&temp, &target).map_err(|e| format!("{}: {e}", target.display()))?;
            recovery.completed.push(target);
            continue;
        }
        std::fs::remove_file(&temp).map_err(|e| format!("{}: {e}", temp.display()))?;
        if complete {
            recovery.skipped.push(target);
        } else {
            recovery.removed.push(temp);
        }
    }
    // Deletions of a complete batch: only files inside the root that still hold their old text.
    for (target, old) in deletions.into_iter().filter(|_| complete) {
        let regular = std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file());
        if regular && inside(&target) && current_hash(&target).as_deref() == Some(old.as_str()) {
            std::fs::remove_file(&target).map_err(|e| format!("{}: {e}", target.display()))?;
            recovery.completed.push(target);
        }
    }
    std::fs::remove_file(&journal.file).map_err(|e| fail(&e))?;
    Ok(recovery)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The name rules below matter most on Windows (NTFS: case, trailing dots and spaces,
    // `GIT~1`, `:` streams) and macOS (HFS+: case, ignorable code points), where git itself
    // refuses these names; they are pure functions, so they are checked on every system.
    #[test]
    fn dotgit_names_by_git_rules() {
        for name in [
            ".git",
            ".GIT",
            ".Git",
            ".git.",
            ".git ",
            ".git . .",
            "git~1",
            "GIT~1",
            "Git~1.",
            ".git::$INDEX_ALLOCATION",
            ".g\u{200c}it",
            "\u{200c}.git",
            ".git\u{feff}",
            ".\u{206a}GIT",
        ] {
            assert!(is_dotgit(name), "{name:?} is a git directory somewhere");
        }
        for name in [
            ".github",
            ".gitignore",
            ".gitmodules",
            "git",
            "a.git",
            "git~2",
            ".git-blame-ignore-revs",
            ".g",
            "",
        ] {
            assert!(!is_dotgit(name), "{name:?} is an ordinary name");
        }
    }

    #[test]
    fn content_paths_stay_relative_below_and_away_from_git() {
        assert!(check_content_path("skeleton/src/main.rs").is_ok());
        assert!(check_content_path(".github/workflows/ci.yml").is_ok());
        for absolute in ["/etc/passwd", "\\windows", "C:\\x", "c:x"] {
            assert!(
                matches!(
                    check_content_path(absolute),
                    Err(ContentPathError::Absolute(_))
                ),
                "{absolute}"
            );
        }
        for climbing in ["..", "../x", "a/../../x", "a\\..\\x"] {
            assert!(
                matches!(
                    check_content_path(climbing),
                    Err(ContentPathError::ParentDir(_))
                ),
                "{climbing}"
            );
        }
        for git in [
            ".git/config",
            "a/.GIT/hooks/x",
            "a\\GIT~1\\config",
            "x/.git./y",
        ] {
            let e = check_content_path(git).unwrap_err();
            assert!(matches!(e, ContentPathError::GitDir { .. }), "{git}");
            assert!(e.to_string().contains("git directory"), "{e}");
        }
    }

    #[test]
    fn tree_entries_by_fsck_rules() {
        assert!(tree_entry_problem(b"src").is_none());
        assert!(tree_entry_problem(b"..").is_some());
        assert!(tree_entry_problem(b".").is_some());
        assert!(tree_entry_problem(b"").is_some());
        assert!(tree_entry_problem(b"a/b").is_some());
        assert!(tree_entry_problem(b".GIT").is_some());
        assert!(check_tree_entries([b"a".to_vec(), b"b".to_vec()], "").is_ok());
        // A link and a directory of the same name: the link could redirect the directory's files.
        let e = check_tree_entries([b"out".to_vec(), b"out".to_vec()], "sub").unwrap_err();
        assert!(e.contains("sub/out"), "{e}");
        let e = check_tree_entries([b"..".to_vec()], "").unwrap_err();
        assert!(e.contains("`..`"), "{e}");
    }

    #[test]
    fn reads_check_size_and_type_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.txt");
        std::fs::write(&file, "0123456789").unwrap();
        assert_eq!(read_limited(&file, 10).unwrap(), b"0123456789");
        assert!(matches!(
            read_limited(&file, 9),
            Err(ReadError::TooLarge { limit: 9, .. })
        ));
        let e = read_limited(dir.path(), 10).unwrap_err();
        assert!(e.to_string().contains("is a directory"), "{e}");
        assert!(matches!(
            read_limited(&dir.path().join("nope"), 10),
            Err(ReadError::NotFound { .. })
        ));
    }

    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        let staged = stage(&target, b"{}", None).unwrap();
        // The target became a non-empty directory after staging: the rename fails.
        std::fs::create_dir_all(target.join("inside")).unwrap();
        let e = commit(staged).unwrap_err();
        assert!(e.to_string().starts_with("cannot write "), "{e}");
        assert!(!e.to_string().contains(".callboard"), "{e}");
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["report.json"]);
    }

    #[test]
    fn a_write_into_a_missing_directory_names_the_target_once() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("nowhere/report.json");
        let e = write_atomic(&target, b"{}", None, None)
            .unwrap_err()
            .to_string();
        assert_eq!(e.matches("No such file").count(), 1, "{e}");
        assert!(!e.contains(".callboard"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_named_not_read() {
        let e = read_limited(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Would block forever if it were opened.
        let e = read_confined(dir.path(), &fifo, 10).unwrap_err();
        assert!(e.to_string().contains("is a FIFO"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn confined_reads_refuse_links_and_climbs_out_of_the_root() {
        let outside = tempfile::tempdir().unwrap();
        let canary = outside.path().join("canary");
        std::fs::write(&canary, "secret").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(&canary, root.path().join("link")).unwrap();
        std::fs::write(root.path().join("in.txt"), "inside").unwrap();
        assert_eq!(
            read_confined_string(root.path(), &root.path().join("in.txt"), 100).unwrap(),
            "inside"
        );
        for path in [
            root.path().join("link"),
            canary.clone(),
            root.path().join("../../../../../../etc/passwd"),
            root.path().join("../nowhere/at-all"),
        ] {
            let e = read_confined(root.path(), &path, 100).unwrap_err();
            assert!(matches!(e, ReadError::Outside { .. }), "{path:?}: {e}");
            assert!(!e.to_string().contains("secret"));
        }
    }

    /// Files of a directory, to show that no temporary file is left behind.
    fn names(dir: &Path) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        out.sort();
        out
    }

    #[test]
    fn atomic_write_compares_before_renaming_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "old").unwrap();
        write_atomic(&file, b"new", Some(dir.path()), Some(b"old")).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        // Computed from "old", but the file holds "new" now: not overwritten.
        let e = write_atomic(&file, b"newer", Some(dir.path()), Some(b"old")).unwrap_err();
        assert!(matches!(e, WriteError::Changed { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert_eq!(names(dir.path()), ["a.yaml"]);
        // A directory in the way is refused before a temporary file is made.
        std::fs::create_dir(dir.path().join("d")).unwrap();
        assert!(write_atomic(&dir.path().join("d"), b"x", None, None).is_err());
        assert_eq!(names(dir.path()), ["a.yaml", "d"]);
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_the_mode_and_follows_links_only_inside_the_root() {
        use std::os::unix::fs::PermissionsExt;
        let outside = tempfile::tempdir().unwrap();
        let canary = outside.path().join("canary");
        std::fs::write(&canary, "untouched").unwrap();
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("real.yaml");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = root.path().join("link.yaml");
        std::os::unix::fs::symlink("real.yaml", &link).unwrap();
        write_atomic(&link, b"new", Some(root.path()), Some(b"old")).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link stays a link"
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let out = root.path().join("out.yaml");
        std::os::unix::fs::symlink(&canary, &out).unwrap();
        let e = write_atomic(&out, b"pwned", Some(root.path()), None).unwrap_err();
        assert!(matches!(e, WriteError::LinkOutside { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(&canary).unwrap(), "untouched");
        assert!(
            std::fs::symlink_metadata(&out)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    fn place(dir: &Path) -> JournalPlace {
        JournalPlace::new(None, dir)
    }

    #[test]
    fn batch_writes_all_or_nothing_and_removes_its_journal() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
        std::fs::write(&a, "a1").unwrap();
        std::fs::write(&b, "b-changed-meanwhile").unwrap();
        let changes = [
            Change {
                path: &a,
                old: b"a1",
                new: b"a2",
                kind: ChangeKind::Replace,
            },
            Change {
                path: &b,
                old: b"b1",
                new: b"b2",
                kind: ChangeKind::Replace,
            },
        ];
        let e = write_all(&changes, &place(dir.path())).unwrap_err();
        assert!(
            matches!(e, BatchError::Nothing(WriteError::Changed { .. })),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "a1");
        assert_eq!(names(dir.path()), ["a.yaml", "b.yaml"]);
        std::fs::write(&b, "b1").unwrap();
        write_all(&changes, &place(dir.path())).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "a2");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "b2");
        assert_eq!(names(dir.path()), ["a.yaml", "b.yaml"]);
    }

    fn create<'a>(path: &'a Path, new: &'a [u8]) -> Change<'a> {
        Change {
            path,
            old: b"",
            new,
            kind: ChangeKind::Create,
        }
    }

    #[test]
    fn batch_creates_new_files_with_their_directories_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        std::fs::write(&a, "a1").unwrap();
        let new = dir.path().join("services/payments/catalog-info.yaml");
        let replace = Change {
            path: &a,
            old: b"a0",
            new: b"a2",
            kind: ChangeKind::Replace,
        };
        // a.yaml changed meanwhile: nothing is written, and the directories made are gone.
        let e = write_all(&[create(&new, b"new"), replace], &place(dir.path())).unwrap_err();
        assert!(
            matches!(e, BatchError::Nothing(WriteError::Changed { .. })),
            "{e}"
        );
        assert_eq!(names(dir.path()), ["a.yaml"]);
        write_all(&[create(&new, b"new")], &place(dir.path())).unwrap();
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "new");
        // An existing file is never created over.
        let e = write_all(&[create(&new, b"other")], &place(dir.path())).unwrap_err();
        assert!(
            matches!(e, BatchError::Nothing(WriteError::Exists { .. })),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "new");
    }

    #[test]
    fn batch_never_creates_outside_the_root_or_in_a_git_directory() {
        let outside = tempfile::tempdir().unwrap();
        let canary = outside.path().join("canary.yaml");
        std::fs::write(&canary, "canary").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join(".git")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path(), root.join("escape")).unwrap();
        let refused = [
            (root.join("../x.yaml"), "outside"),
            (root.join(".git/hooks/x.yaml"), "git"),
            (root.join("sub/.GIT/x.yaml"), "git"),
            #[cfg(unix)]
            (root.join("escape/new.yaml"), "link"),
            #[cfg(unix)]
            (root.join("escape/deeper/new.yaml"), "link"),
        ];
        for (path, why) in &refused {
            let e = write_all(&[create(path, b"x")], &place(root)).unwrap_err();
            let ok = match e {
                BatchError::Nothing(WriteError::Outside { .. }) => *why == "outside",
                BatchError::Nothing(WriteError::GitDir { .. }) => *why == "git",
                BatchError::Nothing(WriteError::LinkOutside { .. }) => *why == "link",
                _ => false,
            };
            assert!(ok, "{}: {why}", path.display());
        }
        assert_eq!(names(outside.path()), ["canary.yaml"]);
        assert_eq!(std::fs::read_to_string(&canary).unwrap(), "canary");
        assert!(!root.join("sub").exists());
        assert!(!root.join(".git/hooks").exists());
    }

    #[test]
    fn recovery_creates_a_staged_new_file_only_where_nothing_is() {
        let dir = tempfile::tempdir().unwrap();
        let journal = |target: &Path, temp: &Path| {
            let lines = [
                serde_json::to_string(&JournalLine::Header { version: 1 }).unwrap(),
                serde_json::to_string(&JournalLine::Staged {
                    temp: temp.to_path_buf(),
                    target: target.to_path_buf(),
                    old: String::new(),
                    create: true,
                })
                .unwrap(),
                serde_json::to_string(&JournalLine::Complete { files: 1 }).unwrap(),
            ];
            std::fs::write(place(dir.path()).file, lines.join("\n") + "\n").unwrap();
        };
        let target = dir.path().join("new.yaml");
        let temp = dir.path().join(".new.yaml.ABC.callboard");
        std::fs::write(&temp, "staged").unwrap();
        journal(&target, &temp);
        let r = recover(&place(dir.path())).unwrap();
        assert_eq!(r.completed, std::slice::from_ref(&target));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "staged");
        // Something written there since is kept.
        std::fs::write(&temp, "staged again").unwrap();
        journal(&target, &temp);
        let r = recover(&place(dir.path())).unwrap();
        assert_eq!(r.skipped, std::slice::from_ref(&target));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "staged");
        assert_eq!(names(dir.path()), ["new.yaml"]);
    }

    #[test]
    fn batch_deletes_last_and_only_regular_files_holding_their_text() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
        std::fs::write(&a, "a1").unwrap();
        std::fs::write(&b, "b1").unwrap();
        let delete = |path, old| Change {
            path,
            old,
            new: b"",
            kind: ChangeKind::Delete,
        };
        let replace = Change {
            path: &a,
            old: b"a1",
            new: b"a2",
            kind: ChangeKind::Replace,
        };
        // b.yaml does not hold what the deletion was planned on: nothing happens.
        let e = write_all(&[replace, delete(&b, b"other")], &place(dir.path())).unwrap_err();
        assert!(
            matches!(e, BatchError::Nothing(WriteError::Changed { .. })),
            "{e}"
        );
        assert_eq!(names(dir.path()), ["a.yaml", "b.yaml"]);
        let replace = Change {
            path: &a,
            old: b"a1",
            new: b"a2",
            kind: ChangeKind::Replace,
        };
        write_all(&[replace, delete(&b, b"b1")], &place(dir.path())).unwrap();
        assert_eq!(names(dir.path()), ["a.yaml"]);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "a2");
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            let canary = outside.path().join("canary.yaml");
            std::fs::write(&canary, "c").unwrap();
            let link = dir.path().join("link.yaml");
            std::os::unix::fs::symlink(&canary, &link).unwrap();
            let e = write_all(&[delete(&link, b"c")], &place(dir.path())).unwrap_err();
            assert!(
                matches!(e, BatchError::Nothing(WriteError::NotRegular { .. })),
                "{e}"
            );
            assert_eq!(std::fs::read_to_string(&canary).unwrap(), "c");
        }
    }

    /// A journal as a run killed after staging (and maybe after some renames) leaves it.
    fn interrupted(dir: &Path, complete: bool) -> (PathBuf, PathBuf) {
        let target = dir.join("a.yaml");
        std::fs::write(&target, "old").unwrap();
        let temp = dir.join(".a.yaml.XYZ123.callboard");
        std::fs::write(&temp, "new").unwrap();
        let mut text = serde_json::to_string(&JournalLine::Header { version: 1 }).unwrap();
        text.push('\n');
        text.push_str(
            &serde_json::to_string(&JournalLine::Staged {
                temp: temp.clone(),
                target: target.clone(),
                old: content_hash(b"old"),
                create: false,
            })
            .unwrap(),
        );
        text.push('\n');
        if complete {
            text.push_str(&serde_json::to_string(&JournalLine::Complete { files: 1 }).unwrap());
            text.push('\n');
        }
        std::fs::write(place(dir).file, text).unwrap();
        (target, temp)
    }

    #[test]
    fn recovery_completes_a_staged_batch_and_touches_only_listed_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (target, temp) = interrupted(&root, true);
        // Looks like a temporary file, but no journal lists it: left alone.
        let stranger = root.join(".b.yaml.ABC999.callboard");
        std::fs::write(&stranger, "not ours").unwrap();
        let recovery = recover(&place(&root)).unwrap();
        assert_eq!(recovery.completed, vec![target.clone()]);
        assert!(
            recovery
                .message(&place(&root).file)
                .unwrap()
                .contains("completed an interrupted write")
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert!(!temp.exists());
        assert!(stranger.exists());
        assert!(!place(&root).file.exists());
        // Nothing left to do.
        assert_eq!(recover(&place(&root)).unwrap(), Recovery::default());
    }

    #[test]
    fn recovery_of_a_batch_cut_short_while_staging_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (target, temp) = interrupted(&root, false);
        let recovery = recover(&place(&root)).unwrap();
        assert_eq!(recovery.removed, vec![temp.clone()]);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert!(!temp.exists());
        assert!(!place(&root).file.exists());
    }

    #[test]
    fn recovery_leaves_a_file_changed_since_staging() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (target, temp) = interrupted(&root, true);
        std::fs::write(&target, "edited by hand").unwrap();
        let recovery = recover(&place(&root)).unwrap();
        assert_eq!(recovery.skipped, vec![target.clone()]);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "edited by hand");
        assert!(!temp.exists());
    }

    #[test]
    fn a_journal_naming_files_outside_its_root_is_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        let victim_dir = outside.path().canonicalize().unwrap();
        let (victim, temp) = interrupted(&victim_dir, true);
        let root = tempfile::tempdir().unwrap();
        let root = root.path().canonicalize().unwrap();
        // The journal of `outside` copied into another root: its entries are outside that root.
        std::fs::rename(place(&victim_dir).file, place(&root).file).unwrap();
        let recovery = recover(&place(&root)).unwrap();
        assert_eq!(recovery, Recovery::default());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "old");
        assert!(temp.exists());
    }

    #[cfg(unix)]
    #[test]
    fn confined_writes_never_leave_the_tree() {
        let outside = tempfile::tempdir().unwrap();
        let canary = outside.path().join("canary");
        std::fs::write(&canary, "untouched").unwrap();
        let ws = tempfile::tempdir().unwrap();
        let ws = ws.path().canonicalize().unwrap();
        let guard = Confined::new(&ws, "the workspace");
        std::os::unix::fs::symlink(outside.path(), ws.join("out")).unwrap();
        // Through a link out: refused for every kind of write.
        let e = guard.child(&ws, "out/canary").unwrap_err();
        assert!(
            e.to_string().contains("points outside the workspace"),
            "{e}"
        );
        assert!(
            guard
                .write_file(&ws.join("out/canary"), b"x", None)
                .is_err()
        );
        assert!(guard.create_dir_all(&ws.join("out/sub")).is_err());
        // A directory copied onto the link is refused: it would fill the directory behind it.
        let src = tempfile::tempdir().unwrap();
        std::fs::write(src.path().join("canary"), "pwned").unwrap();
        let e = guard.copy_tree(src.path(), &ws.join("out")).unwrap_err();
        assert!(
            e.to_string().contains("points outside the workspace"),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&canary).unwrap(), "untouched");
        // A link to a directory inside is written through.
        std::fs::create_dir(ws.join("real")).unwrap();
        std::os::unix::fs::symlink("real", ws.join("inside")).unwrap();
        guard.copy_tree(src.path(), &ws.join("inside")).unwrap();
        assert!(ws.join("real/canary").is_file());
        // A link at the final component is replaced, not written through.
        std::os::unix::fs::symlink(&canary, ws.join("file")).unwrap();
        guard.write_file(&ws.join("file"), b"new", None).unwrap();
        assert_eq!(std::fs::read_to_string(&canary).unwrap(), "untouched");
        // A directory holding .git is refused before anything is copied.
        std::fs::create_dir_all(src.path().join("sub/.git")).unwrap();
        std::fs::write(src.path().join("sub/.git/config"), "[core]").unwrap();
        let e = guard.copy_tree(src.path(), &ws.join("copy")).unwrap_err();
        assert!(e.to_string().contains("git directory"), "{e}");
        assert!(!ws.join("copy").exists());
        let e = guard.child(&ws, "a/.Git/hooks/post-checkout").unwrap_err();
        assert!(e.to_string().contains("git directory"), "{e}");
    }
}
