//! `catalog rename --map FILE`: the CSV of renames, `old,new` per line.

/// The largest map read (a map names renames, not data: 1 MiB is tens of thousands of lines).
pub const MAX_RENAME_MAP_BYTES: u64 = 1 << 20;

/// One line of the map: its 1-based line number and the two references as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapLine {
    pub line: usize,
    pub old: String,
    pub new: String,
}

/// The renames of a map's text. A first line `old,new` is a header; `#` lines and blank lines
/// are skipped; fields are trimmed and may be double-quoted. `Err` lists every malformed line
/// (`LINE: what is wrong`), so one run names them all.
pub fn parse(text: &str) -> Result<Vec<MapLine>, Vec<String>> {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut header_allowed = true;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(unquote).collect();
        let first = std::mem::replace(&mut header_allowed, false);
        match fields.as_slice() {
            [old, new] if first && old.eq_ignore_ascii_case("old") && new.eq_ignore_ascii_case("new") => {}
            [old, new] if !old.is_empty() && !new.is_empty() => lines.push(MapLine {
                line: number,
                old: (*old).to_string(),
                new: (*new).to_string(),
            }),
            [_, _] => errors.push(format!(
                "{number}: a field is empty; write `old,new`, e.g. `group:default/team-a,team-b`"
            )),
            _ => errors.push(format!(
                "{number}: {} fields; write exactly two, `old,new`, e.g. `group:default/team-a,team-b`",
                fields.len()
            )),
        }
    }
    if lines.is_empty() && errors.is_empty() {
        errors.push("no renames in the map; write `old,new` per line".into());
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// A field without its surrounding spaces and double quotes.
fn unquote(field: &str) -> &str {
    let field = field.trim();
    field
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .map_or(field, str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_comments_blank_lines_and_crlf() {
        let text =
            "\u{feff}old,new\r\n# teams\r\n\r\ngroup:team-a, team-b\r\n\"component:x\",\"y\"\r\n";
        let lines = parse(text).unwrap();
        assert_eq!(
            lines,
            vec![
                MapLine {
                    line: 4,
                    old: "group:team-a".into(),
                    new: "team-b".into()
                },
                MapLine {
                    line: 5,
                    old: "component:x".into(),
                    new: "y".into()
                },
            ]
        );
    }

    #[test]
    fn every_malformed_line_is_named() {
        let errors = parse("a\nold,new\nb,\nc,d,e\n").unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("1: 1 fields"));
        // `old,new` after the first rename line is a rename, refused later as undefined,
        // not silently skipped.
        assert!(errors[1].starts_with("3: a field is empty"));
        assert!(errors[2].starts_with("4: 3 fields"));
        assert!(parse("# only comments\n").is_err());
    }
}
