//! nunjitsu's regular-expression literals, `r/PATTERN/FLAGS`: a JavaScript `RegExp` that
//! `replace`, `.replace()`, `.split()` and `.test()` accept and that prints as `/PATTERN/FLAGS`.
//!
//! Patterns are ECMAScript's (back-references, lookaround), matched by the `regress` crate over
//! UTF-16 code units as JavaScript does without the `u` flag. `regress` backtracks and has no
//! step limit of its own, so a pattern is bounded before it runs (see [`check_shape`] and
//! [`budget::charge_regex_steps`]).

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use minijinja::value::{Object, ObjectRepr, Value};
use minijinja::{Error, ErrorKind, State};

use super::filters::{err, from16, utf16};
use crate::budget;

/// Longest pattern nunjitsu accepts in a literal (its own limit), in characters.
pub const MAX_PATTERN_CHARS: usize = 16_384;

/// The flags nunjitsu allows, in the order JavaScript prints them.
const FLAGS: &str = "gimy";

#[derive(Debug)]
pub(crate) struct JsRegExp {
    source: String,
    flags: String,
    global: bool,
    sticky: bool,
    regex: regress::Regex,
    /// Points where matching can choose (variable repetitions, alternatives, back-references):
    /// the exponent of the work bound.
    choices: u32,
    /// JavaScript's `lastIndex` (used by `test` and a sticky `replace` with `g`/`y`).
    last_index: AtomicUsize,
}

/// `__nj_regex(pattern, flags)`: the value of a literal; the errors are nunjitsu's.
pub(crate) fn literal(source: String, flags: String) -> Result<Value, Error> {
    compile(source, &flags).map(Value::from_object).map_err(err)
}

/// Why a literal `r/source/flags` fails, if it does (for `scaffold lint`).
pub(crate) fn literal_problem(source: &str, flags: &str) -> Option<String> {
    compile(source.to_string(), flags).err()
}

fn compile(source: String, flags: &str) -> Result<JsRegExp, String> {
    if source.chars().count() > MAX_PATTERN_CHARS {
        return Err("Regular-expression literal exceeds the maximum length".into());
    }
    let mut seen = String::new();
    for c in flags.chars() {
        if !FLAGS.contains(c) {
            return Err("Unsupported regular-expression flag".into());
        }
        if seen.contains(c) {
            return Err("Duplicate regular-expression flag".into());
        }
        seen.push(c);
    }
    let flags: String = FLAGS.chars().filter(|c| seen.contains(*c)).collect();
    let regex = regress::Regex::from_unicode(
        source.chars().map(u32::from),
        regress::Flags {
            icase: flags.contains('i'),
            multiline: flags.contains('m'),
            ..regress::Flags::default()
        },
    )
    .map_err(|_| "Invalid regular-expression literal".to_string())?;
    let choices = check_shape(&source).map_err(|why| {
        format!(
            "the regular expression /{source}/ {why}: such a pattern can take exponential time, so callboard does not run it; rewrite it without the nesting (for example `[ab]+` for `(a|b)+`)"
        )
    })?;
    Ok(JsRegExp {
        global: flags.contains('g'),
        sticky: flags.contains('y'),
        source,
        flags,
        regex,
        choices,
        last_index: AtomicUsize::new(0),
    })
}

/// Refuses the patterns a backtracking matcher can take exponential time on: a repetition
/// (`*`, `+`, `{n,}`, or any count above one) of a group that holds a variable repetition,
/// an alternative or a back-reference (`(a+)+`, `(a|b)*`, `(\1x)+`). Every other pattern
/// takes at most about `(n+1)^(c+1) * m` steps on `n` code units, `c` being the returned count
/// of choice points (variable repetitions, alternatives, back-references) and `m` the pattern
/// length.
fn check_shape(pattern: &str) -> Result<u32, &'static str> {
    let chars: Vec<char> = pattern.chars().collect();
    // One entry per open group: whether it holds a choice point.
    let mut groups: Vec<bool> = vec![false];
    let mut choices = 0u32;
    // Whether the last atom was a group holding a choice point (for the next quantifier).
    let mut last_group_varies = false;
    let mut i = 0;
    let mark = |groups: &mut Vec<bool>| {
        if let Some(top) = groups.last_mut() {
            *top = true;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let mut atom_varies = false;
        match c {
            '\\' => {
                let next = chars.get(i + 1).copied().unwrap_or('\\');
                if next.is_ascii_digit() && next != '0' || next == 'k' {
                    choices += 1;
                    mark(&mut groups);
                }
                i += 2;
            }
            '[' => {
                i += 1;
                if chars.get(i) == Some(&'^') {
                    i += 1;
                }
                while i < chars.len() && chars[i] != ']' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            '(' => {
                groups.push(false);
                i += 1;
                // `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`: not a quantifier.
                if chars.get(i) == Some(&'?') {
                    i += 1;
                    if chars.get(i) == Some(&'<') && !matches!(chars.get(i + 1), Some('=' | '!')) {
                        while i < chars.len() && chars[i] != '>' {
                            i += 1;
                        }
                    }
                    i += 1;
                }
                continue;
            }
            ')' => {
                let varies = groups.len() > 1 && groups.pop().unwrap_or(false);
                if varies {
                    mark(&mut groups);
                }
                atom_varies = varies;
                i += 1;
            }
            '|' => {
                choices += 1;
                mark(&mut groups);
                i += 1;
                continue;
            }
            '*' | '+' | '?' | '{' => {
                let Some((min, max, len)) = quantifier(&chars[i..]) else {
                    // A `{` that is not a quantifier is an ordinary character.
                    i += 1;
                    last_group_varies = false;
                    continue;
                };
                if last_group_varies && max > 1 {
                    return Err(
                        "repeats a group that itself holds a repetition, an alternative or a back-reference",
                    );
                }
                if min != max {
                    choices += 1;
                    mark(&mut groups);
                }
                i += len;
                if chars.get(i) == Some(&'?') {
                    i += 1;
                }
                last_group_varies = false;
                continue;
            }
            _ => i += 1,
        }
        last_group_varies = atom_varies;
    }
    Ok(choices)
}

/// `(min, max, length)` of the quantifier at the start of `chars`, if there is one.
fn quantifier(chars: &[char]) -> Option<(u64, u64, usize)> {
    match chars.first()? {
        '*' => Some((0, u64::MAX, 1)),
        '+' => Some((1, u64::MAX, 1)),
        '?' => Some((0, 1, 1)),
        _ => {
            let close = chars.iter().position(|c| *c == '}')?;
            let body: String = chars[1..close].iter().collect();
            let number = |s: &str| -> Option<u64> {
                (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| s.parse().unwrap_or(u64::MAX))
            };
            let (min, max) = match body.split_once(',') {
                None => {
                    let n = number(&body)?;
                    (n, n)
                }
                Some((a, "")) => (number(a)?, u64::MAX),
                Some((a, b)) => (number(a)?, number(b)?),
            };
            Some((min, max, close + 1))
        }
    }
}

impl JsRegExp {
    /// The regular expression of `value`, if it is one.
    pub(crate) fn of(value: &Value) -> Option<Arc<JsRegExp>> {
        value.downcast_object::<JsRegExp>()
    }

    /// Charges the most work a search of `len` code units can take, before it runs.
    fn charge(&self, len: usize) -> Result<(), Error> {
        let n = len as f64 + 1.0;
        let steps = n.powi(self.choices.saturating_add(1).min(64) as i32)
            * (self.source.chars().count() as f64 + 1.0);
        budget::charge_regex_steps(steps)
    }

    /// The matches JavaScript's `replace` (with `all`: `g`) or `exec` visit, from `start`.
    fn matches(&self, text: &[u16], start: usize, all: bool) -> Result<Vec<regress::Match>, Error> {
        self.charge(text.len())?;
        let mut out = Vec::new();
        let mut expected = start;
        for m in self.regex.find_from_ucs2(text, start) {
            // A sticky expression matches only where the previous match ended.
            if self.sticky && m.start() != expected {
                break;
            }
            expected = m.end();
            out.push(m);
            if !all {
                break;
            }
        }
        Ok(out)
    }

    /// `RegExp.prototype.test`.
    fn test(&self, text: &str) -> Result<bool, Error> {
        let text = utf16(text);
        let stateful = self.global || self.sticky;
        let start = if stateful {
            self.last_index.load(Ordering::Relaxed)
        } else {
            0
        };
        if start > text.len() {
            self.last_index.store(0, Ordering::Relaxed);
            return Ok(false);
        }
        let found = self.matches(&text, start, false)?.into_iter().next();
        if stateful {
            self.last_index
                .store(found.as_ref().map_or(0, |m| m.end()), Ordering::Relaxed);
        }
        Ok(found.is_some())
    }

    /// `String.prototype.replace(this, replacement)` with a string replacement.
    pub(crate) fn replace(&self, text: &str, replacement: &str) -> Result<Value, Error> {
        let text = utf16(text);
        let rep = utf16(replacement);
        let start = if self.global {
            0
        } else if self.sticky {
            self.last_index.load(Ordering::Relaxed)
        } else {
            0
        };
        let found = if start > text.len() {
            Vec::new()
        } else {
            self.matches(&text, start, self.global)?
        };
        if self.global || self.sticky {
            let end = if self.global {
                0
            } else {
                found.last().map_or(0, |m| m.end())
            };
            self.last_index.store(end, Ordering::Relaxed);
        }
        let mut out: Vec<u16> = Vec::with_capacity(text.len());
        let mut done = 0;
        for m in &found {
            out.extend_from_slice(&text[done..m.start()]);
            substitute(&mut out, &text, m, &rep)?;
            done = m.end();
        }
        out.extend_from_slice(&text[done..]);
        bounded(&out)?;
        Ok(Value::from(from16(&out)))
    }

    /// `String.prototype.split(this, limit)`.
    pub(crate) fn split(&self, text: &str, limit: usize) -> Result<Vec<Value>, Error> {
        let text = utf16(text);
        let size = text.len();
        let mut parts = Vec::new();
        if limit == 0 {
            return Ok(parts);
        }
        self.charge(size)?;
        if size == 0 {
            if self.regex.find_from_ucs2(&text, 0).next().is_none() {
                parts.push(Value::from(""));
            }
            return Ok(parts);
        }
        let (mut p, mut q) = (0, 0);
        while q < size {
            // The leftmost match from q is the one a sticky search at its start finds, and
            // none starts between q and it.
            let Some(m) = self.regex.find_from_ucs2(&text, q).next() else {
                break;
            };
            q = m.start();
            if q >= size {
                break;
            }
            let e = m.end().min(size);
            if e == p {
                q += 1;
                continue;
            }
            parts.push(Value::from(from16(&text[p..q])));
            if parts.len() == limit {
                return Ok(parts);
            }
            p = e;
            for group in &m.captures {
                parts.push(
                    group
                        .clone()
                        .map_or(Value::UNDEFINED, |r| Value::from(from16(&text[r]))),
                );
                if parts.len() == limit {
                    return Ok(parts);
                }
            }
            q = p;
        }
        parts.push(Value::from(from16(&text[p..])));
        Ok(parts)
    }
}

/// Refuses a result past the value bound (checked while it grows, so a replacement that
/// repeats `$&` cannot build a huge string first).
fn bounded(out: &[u16]) -> Result<(), Error> {
    if out.len() > budget::MAX_VALUE_BYTES {
        budget::charge(out.len())
    } else {
        Ok(())
    }
}

/// JavaScript's `GetSubstitution`: `$$`, `$&`, `` $` ``, `$'`, `$1`…`$99`, `$<name>`.
fn substitute(
    out: &mut Vec<u16>,
    text: &[u16],
    m: &regress::Match,
    rep: &[u16],
) -> Result<(), Error> {
    let groups = m.captures.len();
    let group = |out: &mut Vec<u16>, r: &Option<regress::Range>| {
        if let Some(r) = r {
            out.extend_from_slice(&text[r.clone()]);
        }
    };
    let digit = |i: usize| {
        rep.get(i)
            .filter(|c| (u16::from(b'0')..=u16::from(b'9')).contains(c))
            .map(|c| usize::from(*c - u16::from(b'0')))
    };
    let has_names = m.named_groups().next().is_some();
    let mut i = 0;
    while i < rep.len() {
        bounded(out)?;
        let c = rep[i];
        if c != u16::from(b'$') || i + 1 >= rep.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let next = rep[i + 1];
        match char::from_u32(u32::from(next)).unwrap_or('\0') {
            '$' => {
                out.push(c);
                i += 2;
            }
            '&' => {
                out.extend_from_slice(&text[m.range()]);
                i += 2;
            }
            '`' => {
                out.extend_from_slice(&text[..m.start()]);
                i += 2;
            }
            '\'' => {
                out.extend_from_slice(&text[m.end().min(text.len())..]);
                i += 2;
            }
            '0'..='9' => {
                let one = digit(i + 1).unwrap_or(0);
                let two = digit(i + 2).map(|d| one * 10 + d);
                match two {
                    Some(n) if (1..=groups).contains(&n) => {
                        group(out, &m.captures[n - 1]);
                        i += 3;
                    }
                    _ if (1..=groups).contains(&one) => {
                        group(out, &m.captures[one - 1]);
                        i += 2;
                    }
                    _ => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            '<' if has_names => {
                let close = rep[i + 2..].iter().position(|c| *c == u16::from(b'>'));
                match close {
                    Some(len) => {
                        let name = from16(&rep[i + 2..i + 2 + len]);
                        if let Some(r) = m.named_group(&name) {
                            out.extend_from_slice(&text[r]);
                        }
                        i += 3 + len;
                    }
                    None => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    bounded(out)
}

impl fmt::Display for JsRegExp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // JavaScript prints an empty pattern as `(?:)`.
        let source = if self.source.is_empty() {
            "(?:)"
        } else {
            &self.source
        };
        write!(f, "/{source}/{}", self.flags)
    }
}

impl Object for JsRegExp {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match method {
            "test" => match args {
                [text] => Ok(Value::from(
                    self.test(&super::format::js_string_strict(text))?,
                )),
                _ => Err(err(
                    "Template intrinsic test requires 1 positional arguments",
                )),
            },
            _ => Err(Error::new(
                ErrorKind::UnknownMethod,
                format!(
                    "Template value \"{method}\" on a regular expression resolved to undefined and cannot be called"
                ),
            )),
        }
    }
}
