//! YAML 1.2 loading into a tree that keeps a source span for every node.
//!
//! The semantics follow the `yaml` npm package (v2) as Backstage calls it: core schema, `<<` is a
//! literal key (merge keys off), duplicate keys are errors, empty documents are skipped, aliases
//! are expanded within a budget.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

/// A 1-based line and column (columns count Unicode scalar values, as SARIF's `unicodeCodePoints`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// One non-empty document of a stream.
#[derive(Debug, Clone)]
pub struct Document {
    pub root: Node,
    /// Where the document starts (its `---` or first token).
    pub start: Pos,
}

/// A problem found while reading YAML, located at one position.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub message: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlErrorKind {
    Syntax,
    DuplicateKey,
    AliasLimit,
}

/// Result of reading one stream: the documents read before any fatal error, plus every
/// problem found. A document that has an error is still returned when it could be built,
/// so callers can check the rest of it.
#[derive(Debug, Default)]
pub struct Stream {
    pub documents: Vec<LoadedDocument>,
    /// A syntax error that stopped the stream; documents after it were not read.
    pub fatal: Option<YamlError>,
}

#[derive(Debug)]
pub struct LoadedDocument {
    pub document: Document,
    /// Non-fatal problems inside this document (duplicate keys, alias budget).
    pub errors: Vec<YamlError>,
}

/// Mappings with at least this many keys get a hash index for duplicate detection.
const SMALL_MAP: usize = 16;

/// How many nodes alias expansion may add to one document before it is refused.
pub const ALIAS_NODE_BUDGET: usize = 10_000;

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.text == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn key_span(&self, key: &str) -> Option<Span> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.text == key)
                .map(|(k, _)| k.span),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The JSON type name Backstage's schema errors use.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// Follows an RFC 6901 JSON pointer.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut node = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                Value::Map(_) => node.get(&token)?,
                Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The span a diagnostic about `pointer` should point at: the node itself, or for a
    /// missing member the key of the deepest existing parent (so "missing owner" points at `spec:`).
    pub fn locate(&self, pointer: &str) -> Span {
        if let Some(node) = self.pointer(pointer) {
            return node.span;
        }
        // Walk down as far as the pointer exists; return the key span of the last existing map member.
        let mut node = self;
        let mut best = self.span;
        let Some(rest) = pointer.strip_prefix('/') else {
            return best;
        };
        for token in rest.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            match &node.value {
                Value::Map(_) => match (node.get(&token), node.key_span(&token)) {
                    (Some(child), Some(key)) => {
                        best = key;
                        node = child;
                    }
                    _ => return best,
                },
                Value::Seq(items) => match token.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(child) => {
                        best = child.span;
                        node = child;
                    }
                    None => return best,
                },
                _ => return best,
            }
        }
        best
    }

    /// Converts to JSON, with map keys as strings (as JavaScript objects would hold them).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut map = serde_json::Map::new();
                for (k, v) in entries {
                    map.insert(k.text.clone(), v.to_json());
                }
                J::Object(map)
            }
        }
    }

    /// Builds a tree from JSON, every node carrying `span` (used for resolved placeholders).
    pub fn from_json(value: &serde_json::Value, span: Span) -> Node {
        use serde_json::Value as J;
        let value = match value {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            J::String(s) => Value::String(s.clone()),
            J::Array(items) => Value::Seq(items.iter().map(|v| Node::from_json(v, span)).collect()),
            J::Object(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| {
                        (
                            Key {
                                text: k.clone(),
                                span,
                            },
                            Node::from_json(v, span),
                        )
                    })
                    .collect(),
            ),
        };
        Node { value, span }
    }

    fn count_nodes(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::count_nodes).sum(),
            Value::Map(entries) => entries.iter().map(|(_, v)| 1 + v.count_nodes()).sum(),
            _ => 0,
        }
    }
}

/// Escapes one JSON-pointer token.
pub fn escape_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

fn pos(marker: &saphyr_parser::Marker) -> Pos {
    Pos {
        line: marker.line() as u32,
        column: marker.col() as u32 + 1,
    }
}

fn span(s: &saphyr_parser::Span) -> Span {
    Span {
        start: pos(&s.start),
        end: pos(&s.end),
    }
}

/// Resolves a plain scalar with the YAML 1.2 core schema.
pub fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let bytes = text.as_bytes();
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(text.parse::<f64>().unwrap_or(f64::NAN)),
        };
    }
    if let Some(hex) = text.strip_prefix("0x")
        && !hex.is_empty()
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return i64::from_str_radix(hex, 16).map_or(Value::Float(f64::INFINITY), Value::Int);
    }
    if let Some(oct) = text.strip_prefix("0o")
        && !oct.is_empty()
        && oct.bytes().all(|b| (b'0'..=b'7').contains(&b))
    {
        return i64::from_str_radix(oct, 8).map_or(Value::Float(f64::INFINITY), Value::Int);
    }
    if is_core_float(unsigned)
        && bytes
            .first()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'))
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::String(text.to_string())
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` with at least a dot or an exponent.
fn is_core_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && !(int.is_empty() && frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = match exponent {
        Some(e) => {
            let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        None => mantissa.contains('.'),
    };
    mantissa_ok && exponent_ok
}

fn resolve_tagged(text: &str, suffix: &str) -> Value {
    match suffix {
        "str" => Value::String(text.to_string()),
        "null" | "bool" | "int" | "float" => match resolve_plain(text) {
            Value::String(s) => Value::String(s),
            v => v,
        },
        // Unknown tags: the `yaml` package warns and keeps the string.
        _ => Value::String(text.to_string()),
    }
}

/// The text JavaScript would use for a scalar map key.
fn key_text(value: &Value, raw: &str) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(_) => raw.to_string(),
        Value::Seq(_) | Value::Map(_) => "[object Object]".to_string(),
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: Pos,
        anchor: usize,
    },
    Map {
        entries: Vec<(Key, Node)>,
        pending_key: Option<Key>,
        /// Key index, built only once a mapping grows large (most catalog mappings are tiny).
        index: Option<HashMap<String, u32>>,
        start: Pos,
        anchor: usize,
    },
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
    errors: Vec<YamlError>,
    root: Option<Node>,
}

impl Builder {
    fn new() -> Self {
        Builder {
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            errors: Vec::new(),
            root: None,
        }
    }

    /// Places a finished node into its parent (or as the document root).
    fn push(&mut self, node: Node, raw_key: Option<&str>) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                index,
                ..
            }) => match pending_key.take() {
                None => {
                    let text = key_text(&node.value, raw_key.unwrap_or(""));
                    if index.is_none() && entries.len() >= SMALL_MAP {
                        let mut built = HashMap::with_capacity(entries.len() * 2);
                        for (k, _) in entries.iter() {
                            built.entry(k.text.clone()).or_insert(k.span.start.line);
                        }
                        *index = Some(built);
                    }
                    let first_line = match index {
                        Some(index) => match index.get(&text) {
                            Some(line) => Some(*line),
                            None => {
                                index.insert(text.clone(), node.span.start.line);
                                None
                            }
                        },
                        // Small mappings: a linear scan beats hashing every key.
                        None => entries
                            .iter()
                            .find(|(k, _)| k.text == text)
                            .map(|(k, _)| k.span.start.line),
                    };
                    if let Some(line) = first_line {
                        self.errors.push(YamlError {
                            kind: YamlErrorKind::DuplicateKey,
                            message: format!(
                                "duplicate key `{text}` (first defined at line {line}); a mapping's keys must be unique"
                            ),
                            pos: node.span.start,
                        });
                    }
                    *pending_key = Some(Key {
                        text,
                        span: node.span,
                    });
                }
                Some(key) => entries.push((key, node)),
            },
        }
    }

    fn record_anchor(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors
                .insert(anchor, (node.clone(), node.count_nodes()));
        }
    }
}

/// Parses a whole stream.
pub fn parse_stream(src: &str) -> Stream {
    let mut stream = Stream::default();
    let mut parser = Parser::new_from_str(src);
    let mut builder = Builder::new();
    let mut doc_start = Pos::default();
    let mut alias_error_reported = false;
    loop {
        let (event, sp) = match parser.next_event() {
            None => break,
            Some(Ok(ev)) => ev,
            Some(Err(err)) => {
                stream.fatal = Some(scan_error(&err));
                break;
            }
        };
        let sp = span(&sp);
        match event {
            Event::StreamStart | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                builder = Builder::new();
                doc_start = sp.start;
                alias_error_reported = false;
            }
            Event::DocumentEnd => {
                let root = builder.root.take();
                if let Some(root) = root
                    && !root.is_null()
                {
                    stream.documents.push(LoadedDocument {
                        document: Document {
                            root,
                            start: doc_start,
                        },
                        errors: std::mem::take(&mut builder.errors),
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = match (&tag, style) {
                    (Some(tag), _) if tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!" => {
                        resolve_tagged(&text, &tag.suffix)
                    }
                    (Some(_), _) => Value::String(text.to_string()),
                    (None, ScalarStyle::Plain) => resolve_plain(&text),
                    (None, _) => Value::String(text.to_string()),
                };
                let node = Node { value, span: sp };
                builder.record_anchor(anchor, &node);
                builder.push(node, Some(&text));
            }
            Event::SequenceStart(anchor, _) => builder.stack.push(Frame::Seq {
                items: Vec::new(),
                start: sp.start,
                anchor,
            }),
            Event::MappingStart(anchor, _) => builder.stack.push(Frame::Map {
                entries: Vec::new(),
                pending_key: None,
                index: None,
                start: sp.start,
                anchor,
            }),
            Event::SequenceEnd => {
                if let Some(Frame::Seq {
                    items,
                    start,
                    anchor,
                }) = builder.stack.pop()
                {
                    let node = Node {
                        value: Value::Seq(items),
                        span: Span { start, end: sp.end },
                    };
                    builder.record_anchor(anchor, &node);
                    builder.push(node, None);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    entries,
                    start,
                    anchor,
                    ..
                }) = builder.stack.pop()
                {
                    let node = Node {
                        value: Value::Map(entries),
                        span: Span { start, end: sp.end },
                    };
                    builder.record_anchor(anchor, &node);
                    builder.push(node, None);
                }
            }
            Event::Alias(id) => {
                let target = builder
                    .anchors
                    .get(&id)
                    .map(|(n, count)| (n.clone(), *count));
                let node = match target {
                    Some((mut node, count)) if builder.alias_nodes + count <= ALIAS_NODE_BUDGET => {
                        builder.alias_nodes += count;
                        relocate(&mut node, sp);
                        node
                    }
                    Some(_) => {
                        if !alias_error_reported {
                            alias_error_reported = true;
                            builder.errors.push(YamlError {
                                kind: YamlErrorKind::AliasLimit,
                                message: format!(
                                    "aliases expand to more than {ALIAS_NODE_BUDGET} nodes; this looks like an alias bomb (\"billion laughs\"): write the values out instead"
                                ),
                                pos: sp.start,
                            });
                        }
                        Node {
                            value: Value::Null,
                            span: sp,
                        }
                    }
                    None => Node {
                        value: Value::Null,
                        span: sp,
                    },
                };
                builder.push(node, None);
            }
        }
    }
    stream
}

/// An alias node reports at the alias, not at the anchor it copies.
fn relocate(node: &mut Node, sp: Span) {
    node.span = sp;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| relocate(n, sp)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            k.span = sp;
            relocate(v, sp);
        }),
        _ => {}
    }
}

fn scan_error(err: &ScanError) -> YamlError {
    let marker = err.marker();
    let mut message = err.info().to_string();
    if message.contains("tab") {
        message.push_str("; indent with spaces, YAML does not allow tabs for indentation");
    }
    YamlError {
        kind: YamlErrorKind::Syntax,
        message,
        pos: pos(marker),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> LoadedDocument {
        let mut s = parse_stream(src);
        assert!(s.fatal.is_none(), "{:?}", s.fatal);
        assert_eq!(s.documents.len(), 1);
        s.documents.remove(0)
    }

    #[test]
    fn spans_point_at_values() {
        let d = one("apiVersion: v1\nmetadata:\n  name: my-svc\n");
        let name = d.document.root.pointer("/metadata/name").unwrap();
        assert_eq!(name.as_str(), Some("my-svc"));
        assert_eq!(name.span.start, Pos { line: 3, column: 9 });
    }

    #[test]
    fn core_schema() {
        assert_eq!(resolve_plain("yes"), Value::String("yes".into()));
        assert_eq!(resolve_plain("True"), Value::Bool(true));
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain("012"), Value::Int(12));
        assert_eq!(resolve_plain("0x1F"), Value::Int(31));
        assert_eq!(resolve_plain("1.5"), Value::Float(1.5));
        assert_eq!(resolve_plain("1e3"), Value::Float(1000.0));
        assert_eq!(resolve_plain("1.2.3"), Value::String("1.2.3".into()));
        assert_eq!(resolve_plain("v1"), Value::String("v1".into()));
    }

    #[test]
    fn empty_documents_are_skipped() {
        let s = parse_stream("---\n---\na: 1\n---\n# only a comment\n---\n");
        assert!(s.fatal.is_none());
        assert_eq!(s.documents.len(), 1);
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_key() {
        let d = one("a: 1\nb: 2\na: 3\n");
        assert_eq!(d.errors.len(), 1);
        assert_eq!(d.errors[0].kind, YamlErrorKind::DuplicateKey);
        assert_eq!(d.errors[0].pos, Pos { line: 3, column: 1 });
    }

    #[test]
    fn merge_key_is_literal() {
        let d = one("base: &b {x: 1}\nm:\n  <<: *b\n");
        let m = d.document.root.get("m").unwrap();
        assert!(m.get("<<").is_some());
        assert!(m.get("x").is_none());
    }

    #[test]
    fn tab_indentation_is_an_error() {
        let s = parse_stream("a:\n\tb: 1\n");
        assert!(s.fatal.is_some(), "{:?}", s.documents);
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let s = parse_stream(&src);
        let d = &s.documents[0];
        assert!(d.errors.iter().any(|e| e.kind == YamlErrorKind::AliasLimit));
    }

    #[test]
    fn locate_missing_member_points_at_parent_key() {
        let d = one("spec:\n  type: x\n");
        let sp = d.document.root.locate("/spec/owner");
        assert_eq!(sp.start, Pos { line: 1, column: 1 });
    }
}
