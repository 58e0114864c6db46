//! The one unified-diff writer (git's `a/`/`b/` headers, three lines of context), for the
//! bulk commands, `scaffold run --diff`, `--register-into` and `scaffold update --diff`.

/// A unified diff from `old` to `new`; `old_name`/`new_name` are the header paths as written
/// (`a/x`, `b/x` or `/dev/null`).
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string()
}

/// A unified diff of one file that changed in place.
pub fn of_file(old: &str, new: &str, path: &str) -> String {
    unified(old, new, &format!("a/{path}"), &format!("b/{path}"))
}
