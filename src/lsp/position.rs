//! Positions between callboard's spans (1-based lines, columns in characters) and LSP's (0-based
//! lines, columns in UTF-16 code units by default, or UTF-8 bytes when the client offers it).

use lsp_types::{Position, Range};

use crate::yaml::{Pos, Span};

/// How the client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion then beyond bytes), else UTF-16, the
    /// protocol's default that every client supports.
    pub fn negotiate(capabilities: &lsp_types::ClientCapabilities) -> Encoding {
        let offered = capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        if offered.is_some_and(|kinds| kinds.contains(&lsp_types::PositionEncodingKind::UTF8)) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
        }
    }
}

/// The text of a 0-based line (without its line break; empty past the end).
fn line_text(text: &str, line: u32) -> &str {
    let line = text.split('\n').nth(line as usize).unwrap_or("");
    line.strip_suffix('\r').unwrap_or(line)
}

/// callboard's position as the client's.
pub fn to_lsp(text: &str, pos: Pos, encoding: Encoding) -> Position {
    let line = pos.line.saturating_sub(1);
    let character = line_text(text, line)
        .chars()
        .take(pos.column.saturating_sub(1) as usize)
        .map(|c| encoding.width(c))
        .sum();
    Position { line, character }
}

pub fn range(text: &str, span: Span, encoding: Encoding) -> Range {
    Range {
        start: to_lsp(text, span.start, encoding),
        end: to_lsp(text, span.end, encoding),
    }
}

/// The client's position as callboard's (a column inside a character, or past the line's end,
/// is clamped to the character's start or the line's end).
pub fn from_lsp(text: &str, pos: Position, encoding: Encoding) -> Pos {
    let mut units = 0;
    let mut column = 1;
    for c in line_text(text, pos.line).chars() {
        units += encoding.width(c);
        if units > pos.character {
            break;
        }
        column += 1;
    }
    Pos {
        line: pos.line + 1,
        column,
    }
}

/// The byte offset in `text` of the client's position (clamped to the line's end and the
/// text's end), for applying incremental changes.
pub fn offset(text: &str, pos: Position, encoding: Encoding) -> usize {
    let mut start = 0;
    for _ in 0..pos.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if c == '\n' || units >= pos.character {
            return start + i;
        }
        units += encoding.width(c);
    }
    text.len()
}

/// The client's position of the byte `offset` of `text` (the fix engine's edits are byte
/// ranges); an offset inside a character, or past the end, is clamped to the character's start
/// or the text's end.
pub fn at_offset(text: &str, offset: usize, encoding: Encoding) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.matches('\n').count() as u32,
        character: before[line_start..]
            .chars()
            .map(|c| encoding.width(c))
            .sum(),
    }
}

/// Whether `pos` is within `span` or right at its end (a cursor after the last character).
pub fn contains(span: Span, pos: Pos) -> bool {
    span.start <= pos && pos <= span.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_apply_incremental_changes_after_non_ascii_text() {
        let text = "é𝄞x\ny";
        assert_eq!(
            offset(
                text,
                Position {
                    line: 0,
                    character: 3
                },
                Encoding::Utf16
            ),
            6
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 0,
                    character: 6
                },
                Encoding::Utf8
            ),
            6
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 0,
                    character: 99
                },
                Encoding::Utf16
            ),
            7
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 1,
                    character: 0
                },
                Encoding::Utf16
            ),
            8
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 5,
                    character: 0
                },
                Encoding::Utf16
            ),
            9
        );
    }

    #[test]
    fn a_non_ascii_line_converts_both_ways() {
        // "é" is 1 UTF-16 unit and 2 bytes; "𝄞" is 2 UTF-16 units and 4 bytes.
        let text = "a: 1\ntitle: é𝄞 x\n";
        let x = Pos {
            line: 2,
            column: 11,
        };
        assert_eq!(
            to_lsp(text, x, Encoding::Utf16),
            Position {
                line: 1,
                character: 11
            }
        );
        assert_eq!(
            to_lsp(text, x, Encoding::Utf8),
            Position {
                line: 1,
                character: 14
            }
        );
        assert_eq!(
            from_lsp(
                text,
                Position {
                    line: 1,
                    character: 11
                },
                Encoding::Utf16
            ),
            x
        );
        assert_eq!(
            from_lsp(
                text,
                Position {
                    line: 1,
                    character: 14
                },
                Encoding::Utf8
            ),
            x
        );
        // Inside the surrogate pair: the character's own start.
        assert_eq!(
            from_lsp(
                text,
                Position {
                    line: 1,
                    character: 9
                },
                Encoding::Utf16
            ),
            Pos { line: 2, column: 9 }
        );
    }

    #[test]
    fn byte_offsets_convert_after_non_ascii_text() {
        // "é" is 2 bytes and 1 UTF-16 unit; "𝄞" is 4 bytes and 2 UTF-16 units.
        let text = "a: é𝄞\ntags: [Go]\n";
        let go = text.find("Go").unwrap();
        assert_eq!(at_offset(text, go, Encoding::Utf16), Position::new(1, 7));
        assert_eq!(at_offset(text, 9, Encoding::Utf16), Position::new(0, 6));
        assert_eq!(at_offset(text, 9, Encoding::Utf8), Position::new(0, 9));
        // Inside "𝄞": its start; past the end: the end.
        assert_eq!(at_offset(text, 6, Encoding::Utf16), Position::new(0, 4));
        assert_eq!(at_offset(text, 999, Encoding::Utf16), Position::new(2, 0));
        // Round trip with the offsets of incremental changes.
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            assert_eq!(offset(text, at_offset(text, go, encoding), encoding), go);
        }
    }
}
