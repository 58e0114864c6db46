//! Where a character of a scalar's value is in the file, so that a finding inside a string (a
//! `${{ }}` expression in a step input) points at the file's own line and column, whatever the
//! scalar's style (plain, quoted with escapes, block `|`/`>`, folded over several lines).

use super::edit::Source;
use crate::yaml::{Node, Pos};

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    Block,
}

/// The 1-based line and column (in characters) in `text` of the character at `index` (in
/// characters) of `value`, the string that `node` holds. `None` when the source cannot be
/// followed (an alias, a tag, an escape that decodes to several characters): callers then keep
/// the node's own position.
pub fn char_position(text: &str, node: &Node, value: &str, index: usize) -> Option<Pos> {
    let src = Source::new(text);
    let start = src.offset(node.span.start);
    let bytes = text.as_bytes();
    let (style, mut i) = match bytes.get(start)? {
        b'"' => (Style::Double, start + 1),
        b'\'' => (Style::Single, start + 1),
        // The content of a block scalar starts on the line after its header.
        b'|' | b'>' => (Style::Block, start + text[start..].find('\n')? + 1),
        b'&' | b'*' | b'!' => return None,
        _ => (Style::Plain, start),
    };
    for (k, wanted) in value.chars().enumerate() {
        let at = loop {
            let c = text[i..].chars().next()?;
            match (style, c) {
                (Style::Double, '\\') => {
                    let next = text[i + 1..].chars().next()?;
                    if next == '\n' {
                        // An escaped line break: no character in the value.
                        i += 2;
                        continue;
                    }
                    let length = match next {
                        'x' => 3,
                        'u' => 5,
                        'U' => 9,
                        _ => 1,
                    };
                    let at = i;
                    i += 1 + text[i + 1..]
                        .chars()
                        .take(length)
                        .map(char::len_utf8)
                        .sum::<usize>();
                    break at;
                }
                (Style::Single, '\'') if wanted == '\'' && text[i + 1..].starts_with('\'') => {
                    let at = i;
                    i += 2;
                    break at;
                }
                (Style::Single | Style::Double, '\'' | '"') if c != wanted => return None,
                _ if c == wanted => {
                    let at = i;
                    i += c.len_utf8();
                    break at;
                }
                // A line break folded into a space.
                (_, '\n') if wanted == ' ' => {
                    let at = i;
                    i += 1;
                    break at;
                }
                // Indentation, line breaks and the spaces folding removes.
                (_, ' ' | '\t' | '\n' | '\r') => i += 1,
                _ => return None,
            }
        };
        if k == index {
            let (line, line_text) = src.line_of(at);
            let line_start = src.line_start(line);
            let column = text[line_start..at.min(line_start + line_text.len())]
                .chars()
                .count();
            return Some(Pos {
                line,
                column: column as u32 + 1,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The position of the `$` of the first `${{` of the value at `pointer`.
    fn dollar(text: &str, pointer: &str) -> (u32, u32) {
        let stream = crate::yaml::parse_stream(text);
        let root = &stream.documents[0].document.root;
        let node = root.pointer(pointer).unwrap();
        let value = node.as_str().unwrap();
        let index = value[..value.find("${{").unwrap()].chars().count();
        let pos = char_position(text, node, value, index).unwrap();
        (pos.line, pos.column)
    }

    #[test]
    fn follows_every_scalar_style_to_the_line_and_column() {
        let text = "a: x ${{ p }}\nb: \"é \\\" ${{ p }}\"\nc: 'it''s ${{ p }}'\nd: |\n  one\n    two ${{ p }}\ne: >-\n  one\n  two ${{ p }}\nf: {g: \"${{ p }}\"}\nh: plain\n  folded ${{ p }}\n";
        assert_eq!(dollar(text, "/a"), (1, 6));
        assert_eq!(dollar(text, "/b"), (2, 10));
        assert_eq!(dollar(text, "/c"), (3, 11));
        assert_eq!(dollar(text, "/d"), (6, 9));
        assert_eq!(dollar(text, "/e"), (9, 7));
        assert_eq!(dollar(text, "/f/g"), (10, 9));
        assert_eq!(dollar(text, "/h"), (12, 10));
    }

    #[test]
    fn an_alias_is_not_followed() {
        let text = "a: &x v ${{ p }}\nb: *x\n";
        let stream = crate::yaml::parse_stream(text);
        let node = stream.documents[0].document.root.pointer("/b").unwrap();
        assert_eq!(char_position(text, node, "v ${{ p }}", 2), None);
    }
}
