//! Minimal textual edits of a YAML file: locate nodes by their spans, compute byte ranges, and
//! change only those bytes. Everything that cannot be edited safely (multi-line scalars, flow
//! mappings for insertion, anchors) is refused with a reason, never guessed.

use crate::yaml::{Node, Pos, Value};

/// One replacement of a byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The text of one file, with line starts for position → byte conversion.
pub struct Source<'a> {
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source { text, line_starts }
    }

    /// Byte offset of a 1-based line/column (columns count characters).
    pub fn offset(&self, pos: Pos) -> usize {
        let Some(&line_start) = self.line_starts.get(pos.line.saturating_sub(1) as usize) else {
            return self.text.len();
        };
        let line = &self.text[line_start..];
        line_start
            + line
                .char_indices()
                .nth(pos.column.saturating_sub(1) as usize)
                .map_or(line.len(), |(i, _)| i)
    }

    pub fn line_start(&self, line: u32) -> usize {
        self.line_starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The line (without its newline) holding byte `offset`, and its number.
    pub fn line_of(&self, offset: usize) -> (u32, &'a str) {
        let idx = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts[idx];
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        (idx as u32 + 1, &self.text[start..end])
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    fn line_text(&self, line: u32) -> &'a str {
        let start = self.line_start(line);
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        &self.text[start..end]
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Why a file cannot be edited by byte ranges, if it has a carriage return that is not part
/// of a CRLF pair: YAML counts a lone CR as a line break, the editing code does not, so
/// every position after it would point at the wrong place (and `--force` would write broken
/// YAML). Such files are refused, never edited.
pub fn lone_carriage_return(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let at = bytes
        .iter()
        .enumerate()
        .position(|(i, b)| *b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))?;
    // Lines as YAML counts them: LF, CRLF and lone CR each end one.
    let line = 1
        + text[..at].matches('\n').count()
        + bytes[..at]
            .iter()
            .enumerate()
            .filter(|(i, b)| **b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            .count();
    Some(format!(
        "line {line} ends with a lone carriage return (CR-only line ends); callboard edits only LF or CRLF files: convert the file (e.g. `dos2unix -c mac FILE`) and run again"
    ))
}

/// Byte range of a scalar node's text (including its quotes), or why it cannot be edited.
pub fn scalar_range(src: &Source<'_>, node: &Node) -> Result<(usize, usize), String> {
    if matches!(node.value, Value::Seq(_) | Value::Map(_)) {
        return Err("the value is a list or mapping, not a single value".into());
    }
    let start = src.offset(node.span.start);
    let rest = &src.text[start..];
    match rest.chars().next() {
        Some('"') => {
            let mut escaped = false;
            for (i, c) in rest.char_indices().skip(1) {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => return Ok((start, start + i + 1)),
                    '\n' => {
                        return Err("a quoted value spans several lines; edit it by hand".into());
                    }
                    _ => escaped = false,
                }
            }
            Err("unterminated quoted value".into())
        }
        Some('\'') => {
            let mut chars = rest.char_indices().skip(1).peekable();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\'' if chars.peek().is_some_and(|(_, n)| *n == '\'') => {
                        chars.next();
                    }
                    '\'' => return Ok((start, start + i + 1)),
                    '\n' => {
                        return Err("a quoted value spans several lines; edit it by hand".into());
                    }
                    _ => {}
                }
            }
            Err("unterminated quoted value".into())
        }
        Some('|' | '>') => {
            Err("a block scalar (| or >) spans several lines; edit it by hand".into())
        }
        Some('&' | '*' | '!') => {
            Err("the value uses an anchor, alias or tag; edit it by hand".into())
        }
        _ => {
            if node.span.end.line != node.span.start.line {
                // Null values of `key:` have an empty span; block scalars start on the next line.
                return Err(
                    "the value spans several lines (a block or folded scalar); edit it by hand"
                        .into(),
                );
            }
            let end = src.offset(node.span.end);
            // An empty value (`key:`) has an empty span.
            Ok((start, end.max(start)))
        }
    }
}

/// Does a block-scalar indicator (`|` or `>`) follow the key on its line?
pub fn is_block_scalar_after_key(src: &Source<'_>, key_end: Pos) -> bool {
    let line = src.line_text(key_end.line);
    let after = line
        .chars()
        .skip(key_end.column.saturating_sub(1) as usize)
        .collect::<String>();
    let after = after.trim_start().trim_start_matches(':').trim_start();
    after.starts_with('|') || after.starts_with('>')
}

/// Is this collection written in flow style (`{…}` / `[…]`)?
pub fn is_flow(src: &Source<'_>, node: &Node) -> bool {
    let start = src.offset(node.span.start);
    matches!(src.text[start..].chars().next(), Some('{' | '['))
}

/// The last line that belongs to a mapping entry starting on `first_line` with indentation
/// `indent`: following lines that are blank or indented deeper belong to it, and so do `- `
/// items at the same indentation (a sequence written flush with its key). Trailing blank lines
/// and comments at the entry's end are left to what follows.
pub fn entry_last_line(src: &Source<'_>, first_line: u32, indent: usize) -> u32 {
    block_last_line(src, first_line, indent, true)
}

/// Like `entry_last_line`, for a sequence item (`- x`): the next `- ` at the same indentation
/// is the next item.
pub fn item_last_line(src: &Source<'_>, first_line: u32, indent: usize) -> u32 {
    block_last_line(src, first_line, indent, false)
}

fn block_last_line(src: &Source<'_>, first_line: u32, indent: usize, compact_items: bool) -> u32 {
    let mut last = first_line;
    let mut line = first_line + 1;
    while line <= src.line_count() {
        let text = src.line_text(line);
        let trimmed = text.trim();
        if trimmed.is_empty() || (trimmed.starts_with('#') && indent_of(text) > indent) {
            line += 1;
            continue;
        }
        let compact_item = compact_items
            && indent_of(text) == indent
            && (trimmed == "-" || trimmed.starts_with("- "));
        if indent_of(text) > indent || compact_item {
            last = line;
            line += 1;
            continue;
        }
        break;
    }
    last
}

/// Byte range of whole lines `first..=last` (including the final newline).
pub fn lines_range(src: &Source<'_>, first: u32, last: u32) -> (usize, usize) {
    let start = src.line_start(first);
    let end = if last >= src.line_count() {
        src.text.len()
    } else {
        src.line_start(last + 1)
    };
    (start, end)
}

/// Where to insert a new entry into a block mapping or sequence whose items are indented by
/// `indent` and whose last item starts on `last_item_line`: after that item's lines.
pub fn insertion_point_after(src: &Source<'_>, last_item_line: u32, indent: usize) -> usize {
    let last = entry_last_line(src, last_item_line, indent);
    let (_, end) = lines_range(src, last_item_line, last);
    end
}

/// An edit inserting whole `lines` (written with `\n`) after the block entry that starts on
/// `entry_line`, in the file's own line ending.
pub fn insert_lines_after(src: &Source<'_>, entry_line: u32, indent: usize, lines: &str) -> Edit {
    let at = insertion_point_after(src, entry_line, indent);
    let nl = newline(src);
    let text = lines.replace('\n', nl);
    let text = if at > 0 && !src.text[..at].ends_with('\n') {
        format!("{nl}{text}")
    } else {
        text
    };
    Edit {
        start: at,
        end: at,
        text,
    }
}

/// Formats a string for YAML: plain when it reads back as the same string, else double-quoted.
pub fn yaml_string(s: &str) -> String {
    // A bulk edit formats the same value for every entity, and the proof below parses three
    // small documents: remember the last answer (per thread; the function is pure).
    thread_local! {
        static LAST: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
    }
    if let Some(hit) = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(input, _)| input == s)
            .map(|(_, out)| out.clone())
    }) {
        return hit;
    }
    let out = format_yaml_string(s);
    LAST.set(Some((s.to_string(), out.clone())));
    out
}

fn format_yaml_string(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && !s.starts_with(|c: char| c.is_whitespace() || "-?:,[]{}#&*!|>'\"%@`~".contains(c))
        && !s.ends_with(char::is_whitespace)
        && !s.contains(": ")
        && !s.contains(" #")
        // Safe in flow collections too: no indicator that ends a flow scalar.
        && !s.contains([',', '[', ']', '{', '}'])
        && !s.ends_with(':')
        && !s.contains(['\n', '\t', '\r'])
        && matches!(crate::yaml::resolve_plain(s), Value::String(_))
        && !matches!(
            s,
            "yes"
                | "no"
                | "on"
                | "off"
                | "Yes"
                | "No"
                | "On"
                | "Off"
                | "YES"
                | "NO"
                | "ON"
                | "OFF"
        );
    // The heuristics above are the fast path; reading the plain form back in block and flow
    // context is the proof.
    if plain_ok && reads_back_plain(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

fn reads_back_plain(s: &str) -> bool {
    let expected = Value::String(s.to_string());
    let read = |doc: String, pointer: &str| {
        let stream = crate::yaml::parse_stream(&doc);
        stream.fatal.is_none()
            && stream
                .documents
                .first()
                .and_then(|d| d.document.root.pointer(pointer))
                .map(|n| &n.value)
                == Some(&expected)
    };
    read(format!("v: {s}\n"), "/v")
        && read(format!("{{a: 1, v: {s}}}\n"), "/v")
        && read(format!("[a, {s}]\n"), "/1")
}

/// `text` written with the quotes the original value used (plain when it reads back plain).
pub fn quote_like(original: &str, text: &str) -> String {
    match original.chars().next() {
        Some('"') => serde_json::to_string(text).unwrap_or_default(),
        Some('\'') => format!("'{}'", text.replace('\'', "''")),
        _ => yaml_string(text),
    }
}

/// Formats a value given on the command line: YAML scalars keep their type (`3`, `true`),
/// everything else is a string.
pub fn yaml_value(raw: &str) -> String {
    // A value the user quoted is a string, written as given (`--set 'labels.tier="1"'`).
    let quoted = raw.len() >= 2
        && ((raw.starts_with('"') && raw.ends_with('"'))
            || (raw.starts_with('\'') && raw.ends_with('\'')));
    if quoted {
        return raw.to_string();
    }
    if raw.is_empty() {
        return "\"\"".to_string();
    }
    match crate::yaml::resolve_plain(raw) {
        Value::String(s) => yaml_string(&s),
        _ => raw.to_string(),
    }
}

/// The file's line ending, for inserted lines.
pub fn newline(src: &Source<'_>) -> &'static str {
    if src.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Byte offset of the bracket that closes the flow collection starting at `node`.
pub fn flow_close(src: &Source<'_>, node: &Node) -> Option<usize> {
    let start = src.offset(node.span.start);
    let bytes = src.text.as_bytes();
    let mut depth = 0i32;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'\'' => {
                i += 1;
                while i < bytes.len() && !(bytes[i] == b'\'' && bytes.get(i + 1) != Some(&b'\'')) {
                    if bytes[i] == b'\'' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'#' if i > 0 && bytes[i - 1].is_ascii_whitespace() => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Text to insert before a flow collection's closing bracket to append one element: the
/// insertion offset and the separator (none after `[`/`{` or a trailing comma).
pub fn flow_append_point(src: &Source<'_>, close: usize) -> (usize, &'static str) {
    let before = src.text[..close].trim_end();
    let at = before.len();
    if before.ends_with('[') || before.ends_with('{') {
        (at, "")
    } else if before.ends_with(',') {
        (at, " ")
    } else {
        (at, ", ")
    }
}

/// Sorts edits by position (stable: insertions at one offset keep their order) and refuses
/// overlapping ones.
pub fn check_overlaps(edits: &mut [Edit]) -> Result<(), String> {
    edits.sort_by_key(|e| (e.start, e.end));
    for pair in edits.windows(2) {
        if pair[1].start < pair[0].end {
            return Err("two changes touch the same text; apply them one at a time".into());
        }
    }
    Ok(())
}

/// Applies non-overlapping edits; refuses overlapping ones.
pub fn apply(text: &str, mut edits: Vec<Edit>) -> Result<String, String> {
    check_overlaps(&mut edits)?;
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.text);
        at = e.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// Indentation (in spaces) of the line holding `pos`.
pub fn indent_at(src: &Source<'_>, pos: Pos) -> usize {
    indent_of(src.line_text(pos.line))
}

/// Column (0-based, in characters) of a position.
pub fn column0(pos: Pos) -> usize {
    pos.column.saturating_sub(1) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_stream;

    #[test]
    fn scalar_ranges_cover_quotes_only() {
        let text = "a: \"quoted\"   # c\nb: 'it''s'\nc: plain text\nd:\n";
        let src = Source::new(text);
        let doc = &parse_stream(text).documents[0].document.root;
        let r = |k: &str| {
            let (s, e) = scalar_range(&src, doc.get(k).unwrap()).unwrap();
            &text[s..e]
        };
        assert_eq!(r("a"), "\"quoted\"");
        assert_eq!(r("b"), "'it''s'");
        assert_eq!(r("c"), "plain text");
        assert_eq!(r("d"), "");
    }

    #[test]
    fn block_scalars_are_refused() {
        let text = "a: |\n  x\n  y\nb: 1\n";
        let src = Source::new(text);
        let doc = &parse_stream(text).documents[0].document.root;
        assert!(scalar_range(&src, doc.get("a").unwrap()).is_err());
    }

    #[test]
    fn strings_are_quoted_only_when_needed() {
        assert_eq!(yaml_string("team-a"), "team-a");
        assert_eq!(yaml_string("true"), "\"true\"");
        assert_eq!(yaml_string("3"), "\"3\"");
        assert_eq!(yaml_string("a: b"), "\"a: b\"");
        assert_eq!(yaml_string("url:https://x"), "url:https://x");
        assert_eq!(yaml_string(""), "\"\"");
        assert_eq!(yaml_string("yes"), "\"yes\"");
        assert_eq!(yaml_value("3"), "3");
        assert_eq!(yaml_value("production"), "production");
        assert_eq!(yaml_value("\"1\""), "\"1\"");
        assert_eq!(yaml_value(""), "\"\"");
        assert_eq!(yaml_string("a,b"), "\"a,b\"");
        assert_eq!(yaml_string("Io12 -"), "\"Io12 -\"");
    }

    #[test]
    fn entries_extend_over_deeper_lines() {
        let text = "metadata:\n  name: x\n  tags:\n    - a\n\n    - b\n  # trailing\nspec:\n";
        let src = Source::new(text);
        assert_eq!(entry_last_line(&src, 3, 2), 6);
        assert_eq!(entry_last_line(&src, 1, 0), 6);
        let compact = "tags:\n- a\n- b\nspec: 1\n";
        let src = Source::new(compact);
        assert_eq!(entry_last_line(&src, 1, 0), 3);
        assert_eq!(item_last_line(&src, 2, 0), 2);
    }

    #[test]
    fn flow_ends_are_found_past_comments_and_quotes() {
        let text = "tags: [go, \"a]b\", grpc]  # languages\n";
        let src = Source::new(text);
        let doc = &parse_stream(text).documents[0].document.root;
        let close = flow_close(&src, doc.get("tags").unwrap()).unwrap();
        assert_eq!(&text[close..close + 1], "]");
        assert_eq!(flow_append_point(&src, close), (close, ", "));
        let trailing = "t: [a, ]\n";
        let src = Source::new(trailing);
        let doc = &parse_stream(trailing).documents[0].document.root;
        let close = flow_close(&src, doc.get("t").unwrap()).unwrap();
        assert_eq!(flow_append_point(&src, close).1, " ");
    }
}
