//! The one escaping rule of human-readable output: text from a catalog, a template or a file
//! name never reaches a terminal or a CI log with its control characters intact, so a value
//! cannot forge a log line (`\n::error …`), move the cursor or recolour the output (ESC), or
//! reorder what is shown (bidirectional overrides). GitHub workflow commands get their own,
//! complete escaping ([`workflow_data`], [`workflow_property`]).

use std::borrow::Cow;

/// Whether a character is shown escaped in human-readable output: C0 controls other than tab,
/// DEL, C1 controls, and the Unicode bidirectional formatting characters.
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// `text` with every control character written as an escape (`\n`, `\r`, `\u{1b}`).
pub fn control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `text` may hold a character [`needs_escape`] matches other than `\n`, from its
/// bytes alone: C0 controls and DEL are single bytes, C1 controls start with 0xC2 and the
/// bidirectional characters with 0xE2. A byte scan is several times faster than decoding
/// characters, and reports of tens of megabytes go through here.
fn may_need_escape(text: &str) -> bool {
    text.bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2 || b == 0xe2)
}

/// Like [`control`], but keeps line breaks: for multi-line text (a diff, a file listing) whose
/// lines are shown as lines. Each `\r` is still escaped, so a line cannot hide what precedes it.
pub fn control_keep_newlines(text: &str) -> Cow<'_, str> {
    if !may_need_escape(text) || !text.chars().any(|c| c != '\n' && needs_escape(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c != '\n' && needs_escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A whole human-readable report (a table, a list): every control character but the line
/// breaks the renderer wrote is escaped. Renderers also escape single-line fields with
/// [`control`], so a value's own newline cannot start a line either.
pub fn output(text: String) -> String {
    match control_keep_newlines(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(escaped) => escaped,
    }
}

/// A Markdown table cell or inline text: control characters escaped, `|` escaped.
pub fn markdown(s: &str) -> String {
    control(s).replace('|', "\\|")
}

/// A path for human-readable output.
pub fn path(p: &std::path::Path) -> String {
    control(&p.to_string_lossy()).into_owned()
}

/// Data of a GitHub workflow command (the message after `::`): `%`, CR and LF as GitHub
/// decodes them, and every other control character escaped as in [`control`].
pub fn workflow_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if needs_escape(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A property value of a GitHub workflow command: also `:` and `,`, which end a property.
pub fn workflow_property(s: &str) -> String {
    workflow_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_never_misses_a_character_to_escape() {
        let mut buf = [0u8; 4];
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            if c != '\n' && needs_escape(c) {
                assert!(may_need_escape(c.encode_utf8(&mut buf)), "{:x}", c as u32);
            }
        }
        assert!(!may_need_escape("plain text, café, tab\tand newline\n"));
    }

    #[test]
    fn controls_are_escaped_and_plain_text_is_borrowed() {
        assert!(matches!(control("name: café\tx"), Cow::Borrowed(_)));
        assert_eq!(control("a\n::error ::forged"), "a\\n::error ::forged");
        assert_eq!(control("\u{1b}[31mred\r"), "\\u{1b}[31mred\\r");
        assert_eq!(control("\u{85}\u{202e}x"), "\\u{85}\\u{202e}x");
        assert_eq!(control_keep_newlines("a\r\nb\n"), "a\\r\nb\n");
    }

    #[test]
    fn workflow_commands_escape_fully() {
        assert_eq!(workflow_data("50%\r\n::x\u{1b}"), "50%25%0D%0A::x\\u{1b}");
        assert_eq!(workflow_property("a:b,c\n"), "a%3Ab%2Cc%0A");
    }
}
