//! YAML 1.2 loading into a tree that keeps a source span for every node.
//!
//! The semantics follow the `yaml` npm package (v2) as Backstage calls it: core schema, `<<` is a
//! literal key (merge keys off), duplicate keys are errors, empty documents are skipped, aliases
//! are expanded within a budget.

/// Operations applied to many documents of one file, one parse per operation.
pub mod batch;
/// Minimal textual edits of YAML that keep every comment and the quoting of the rest.
pub mod edit;
/// Edit operations (set, unset, tags, annotations) planned as byte-range edits.
pub mod ops;
/// Where a character of a string value is in the file (findings inside templated strings).
pub mod position;

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
    /// Collections nested deeper than [`MAX_NESTING_DEPTH`]; fatal, like a syntax error.
    DepthLimit,
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

/// How many nodes alias expansion may add to one file (all its documents together) before it
/// is refused. Per file, not per document: many small documents would multiply it.
pub const ALIAS_NODE_BUDGET: usize = 10_000;

/// How many bytes (nodes and their text) alias expansion may add to one file: a single alias of
/// a long string counts as one node but copies the whole string. Anchored nodes are stored
/// under the same allowance, separately, since every anchor keeps a copy for later aliases.
pub const ALIAS_BYTE_BUDGET: usize = 8 * 1024 * 1024;

/// How many bytes alias expansion may add over the whole run (every file and blob parsed by the
/// process), so a repository of many files each just under the file budget stays bounded.
pub const ALIAS_RUN_BYTE_BUDGET: usize = 256 * 1024 * 1024;

/// How deeply sequences and mappings may nest (the root mapping is level 1). Every walk over
/// a tree (checks, conversions, drop) recurses once per level, so this bounds stack use; 256
/// is far beyond any real catalog and fits the 2 MiB stacks of the walker and rayon threads
/// many times over.
pub const MAX_NESTING_DEPTH: usize = 256;

/// Alias expansion bytes used so far by this process (see [`ALIAS_RUN_BYTE_BUDGET`]).
static RUN_ALIAS_BYTES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Reserves `bytes` of the run's alias budget; false when it would be exceeded.
fn reserve_run_alias_bytes(bytes: usize) -> bool {
    use std::sync::atomic::Ordering;
    RUN_ALIAS_BYTES
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
            used.checked_add(bytes)
                .filter(|total| *total <= ALIAS_RUN_BYTE_BUDGET)
        })
        .is_ok()
}

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

    /// What a copy of this subtree costs: nodes, approximate bytes, and height (levels of
    /// collections, 0 for a scalar).
    fn cost(&self) -> Cost {
        let own = std::mem::size_of::<Node>();
        match &self.value {
            Value::String(s) => Cost {
                nodes: 1,
                bytes: own + s.len(),
                height: 0,
            },
            Value::Seq(items) => items.iter().fold(
                Cost {
                    nodes: 1,
                    bytes: own,
                    height: 1,
                },
                |acc, item| acc.add_child(item.cost(), 0),
            ),
            Value::Map(entries) => entries.iter().fold(
                Cost {
                    nodes: 1,
                    bytes: own,
                    height: 1,
                },
                |acc, (k, v)| acc.add_child(v.cost(), std::mem::size_of::<Key>() + k.text.len()),
            ),
            _ => Cost {
                nodes: 1,
                bytes: own,
                height: 0,
            },
        }
    }
}

/// The size of a subtree, for the alias budgets and the depth limit.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    nodes: usize,
    bytes: usize,
    height: usize,
}

impl Cost {
    fn add_child(self, child: Cost, key_bytes: usize) -> Cost {
        Cost {
            nodes: self.nodes + child.nodes + usize::from(key_bytes > 0),
            bytes: self.bytes + child.bytes + key_bytes,
            height: self.height.max(child.height + 1),
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
/// A plain scalar under `%YAML 1.1` (the `yaml` package's yaml-1.1 schema): the 1.1 booleans
/// (`yes`, `no`, `on`, `off`, `y`, `n`), octal with a leading zero and `_` in numbers; the rest
/// as in 1.2.
pub fn resolve_plain_yaml11(text: &str) -> Value {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Value::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Value::Bool(false),
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let negative = text.starts_with('-');
    if unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned.bytes().all(|b| matches!(b, b'0'..=b'7' | b'_'))
        && let Ok(i) = i64::from_str_radix(&unsigned.replace('_', ""), 8)
    {
        return Value::Int(if negative { -i } else { i });
    }
    if text.contains('_') && unsigned.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        let plain = text.replace('_', "");
        if let value @ (Value::Int(_) | Value::Float(_)) = resolve_plain(&plain) {
            return value;
        }
    }
    resolve_plain(text)
}

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
    anchors: HashMap<usize, Anchor>,
    /// Alias expansion used so far by the file (carried from one document to the next).
    used: AliasUse,
    errors: Vec<YamlError>,
    root: Option<Node>,
}

/// An anchored node kept for its aliases; `node` is None when keeping it would exceed the
/// file's allowance for anchored copies (an alias of it is then refused).
struct Anchor {
    node: Option<Node>,
    cost: Cost,
}

#[derive(Debug, Default, Clone, Copy)]
struct AliasUse {
    nodes: usize,
    bytes: usize,
    anchor_bytes: usize,
}

impl Builder {
    fn new(used: AliasUse) -> Self {
        Builder {
            stack: Vec::new(),
            anchors: HashMap::new(),
            used,
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

    /// A finished sequence or mapping: recorded under its anchor, then placed in its parent.
    fn close(&mut self, value: Value, span: Span, anchor: usize) {
        let node = Node { value, span };
        self.record_anchor(anchor, &node);
        self.push(node, None);
    }

    fn record_anchor(&mut self, anchor: usize, node: &Node) {
        if anchor == 0 {
            return;
        }
        let cost = node.cost();
        let kept = self.used.anchor_bytes + cost.bytes <= ALIAS_BYTE_BUDGET;
        if kept {
            self.used.anchor_bytes += cost.bytes;
        }
        self.anchors.insert(
            anchor,
            Anchor {
                node: kept.then(|| node.clone()),
                cost,
            },
        );
    }

    /// The copy an alias stands for, or why it is refused.
    fn expand_alias(&mut self, id: usize, sp: Span) -> Result<Node, YamlError> {
        let Some(anchor) = self.anchors.get(&id) else {
            // The parser knows the anchor from an earlier document: anchors do not cross
            // `---`, and Backstage's reader fails the whole file ("Unresolved alias").
            return Err(YamlError {
                kind: YamlErrorKind::Syntax,
                message: "this alias refers to an anchor of an earlier document; anchors do not cross `---`: repeat the value here".into(),
                pos: sp.start,
            });
        };
        let cost = anchor.cost;
        // The alias sits one level below the open collections.
        if self.stack.len() + cost.height >= MAX_NESTING_DEPTH {
            return Err(depth_error(sp.start));
        }
        let refused = |what: String| YamlError {
            kind: YamlErrorKind::AliasLimit,
            message: format!(
                "aliases expand to more than {what}; this looks like an alias bomb (\"billion laughs\"): write the values out instead"
            ),
            pos: sp.start,
        };
        let Some(node) = &anchor.node else {
            return Err(refused(format!("{ALIAS_BYTE_BUDGET} bytes in this file")));
        };
        if self.used.nodes + cost.nodes > ALIAS_NODE_BUDGET {
            return Err(refused(format!("{ALIAS_NODE_BUDGET} nodes in this file")));
        }
        if self.used.bytes + cost.bytes > ALIAS_BYTE_BUDGET {
            return Err(refused(format!("{ALIAS_BYTE_BUDGET} bytes in this file")));
        }
        if !reserve_run_alias_bytes(cost.bytes) {
            return Err(refused(format!(
                "{ALIAS_RUN_BYTE_BUDGET} bytes over all files of this run"
            )));
        }
        self.used.nodes += cost.nodes;
        self.used.bytes += cost.bytes;
        let mut node = node.clone();
        relocate(&mut node, sp);
        Ok(node)
    }
}

/// Parses a whole stream.
pub fn parse_stream(src: &str) -> Stream {
    // `%YAML 1.1` before a document switches its plain scalars to YAML 1.1 (`yes` is a
    // boolean), as the `yaml` package Backstage uses honours it. saphyr-parser does not report
    // directives, so their lines are found here.
    // Split into lines only when the directive is there at all (one substring search per file
    // instead of a walk over every line).
    let yaml11_lines: Vec<u32> = if src.contains("%YAML 1.1") {
        src.lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("%YAML 1.1"))
            .map(|(i, _)| i as u32 + 1)
            .collect()
    } else {
        Vec::new()
    };
    let mut previous_end_line = 0u32;
    let mut yaml11 = false;
    let mut stream = Stream::default();
    let mut parser = Parser::new_from_str(src);
    let mut builder = Builder::new(AliasUse::default());
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
        if matches!(event, Event::SequenceStart(..) | Event::MappingStart(..))
            && builder.stack.len() >= MAX_NESTING_DEPTH
        {
            // Stop here, as for a syntax error: nothing deeper is built, so no walk over
            // the tree can exhaust the stack.
            stream.fatal = Some(depth_error(sp.start));
            break;
        }
        match event {
            Event::StreamStart | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                builder = Builder::new(builder.used);
                doc_start = sp.start;
                yaml11 = yaml11_lines
                    .iter()
                    .any(|&l| l > previous_end_line && l <= sp.start.line);
                alias_error_reported = false;
            }
            Event::DocumentEnd => {
                previous_end_line = sp.end.line;
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
                    (None, ScalarStyle::Plain) if yaml11 => resolve_plain_yaml11(&text),
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
                    builder.close(Value::Seq(items), Span { start, end: sp.end }, anchor);
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
                    builder.close(Value::Map(entries), Span { start, end: sp.end }, anchor);
                }
            }
            Event::Alias(id) => match builder.expand_alias(id, sp) {
                Ok(node) => builder.push(node, None),
                Err(e) if matches!(e.kind, YamlErrorKind::DepthLimit | YamlErrorKind::Syntax) => {
                    // An alias across documents fails the whole file in Backstage, not only this
                    // document: no entity of it is read.
                    if e.kind == YamlErrorKind::Syntax {
                        stream.documents.clear();
                    }
                    stream.fatal = Some(e);
                    break;
                }
                Err(e) => {
                    if !alias_error_reported {
                        alias_error_reported = true;
                        builder.errors.push(e);
                    }
                    builder.push(
                        Node {
                            value: Value::Null,
                            span: sp,
                        },
                        None,
                    );
                }
            },
        }
    }
    if let Some(fatal) = &mut stream.fatal {
        fatal.pos = clamp_to_input(src, fatal.pos);
    }
    stream
}

/// The parser reports an error at the end of the stream on the line after the last one when
/// the text does not end with a line break; point at the end of the last line instead, so
/// every reported position is inside the file.
fn clamp_to_input(src: &str, pos: Pos) -> Pos {
    let bytes = src.as_bytes();
    let mut line = 1u32;
    let mut line_start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    if pos.line <= line {
        return pos;
    }
    let last = src[line_start..].trim_end_matches('\r');
    Pos {
        line,
        column: last.chars().count() as u32 + 1,
    }
}

fn depth_error(pos: Pos) -> YamlError {
    YamlError {
        kind: YamlErrorKind::DepthLimit,
        message: format!(
            "sequences and mappings nest more than {MAX_NESTING_DEPTH} levels deep here; flatten the structure (callboard refuses deeper nesting to bound its stack use)"
        ),
        pos,
    }
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

    #[test]
    fn deep_block_nesting_is_a_located_fatal_error() {
        let src = format!("a:\n  {}x\n", "- ".repeat(100_000));
        let s = parse_stream(&src);
        let fatal = s.fatal.expect("depth error");
        assert_eq!(fatal.kind, YamlErrorKind::DepthLimit);
        assert!(fatal.message.contains("256 levels"), "{}", fatal.message);
        assert_eq!(fatal.pos.line, 2);
        // Exactly at the limit is fine: the root mapping plus 255 sequences.
        let ok = format!("a:\n  {}x\n", "- ".repeat(MAX_NESTING_DEPTH - 1));
        assert!(parse_stream(&ok).fatal.is_none());
        let over = format!("a:\n  {}x\n", "- ".repeat(MAX_NESTING_DEPTH));
        assert!(parse_stream(&over).fatal.is_some());
    }

    #[test]
    fn aliases_cannot_nest_past_the_depth_limit() {
        // An anchor 200 deep, aliased 200 levels down, would be 400 deep.
        let deep = format!("{}x", "- ".repeat(200));
        let src = format!("a: &a\n  {deep}\nb:\n  {}*a\n", "- ".repeat(200));
        let fatal = parse_stream(&src).fatal.expect("depth error");
        assert_eq!(fatal.kind, YamlErrorKind::DepthLimit);
        assert_eq!(fatal.pos.line, 4);
    }

    #[test]
    fn alias_budget_is_per_file_not_per_document() {
        // Each document alone stays under the budget; together they exceed it.
        let doc = format!(
            "a: &a [{}]\nb: [*a, *a, *a, *a]\n",
            vec!["x"; 500].join(", ")
        );
        let src = format!("---\n{}", [doc.as_str(); 10].join("---\n"));
        let s = parse_stream(&src);
        assert!(s.fatal.is_none());
        assert_eq!(s.documents.len(), 10);
        assert!(s.documents[0].errors.is_empty());
        let refused: Vec<_> = s
            .documents
            .iter()
            .filter(|d| d.errors.iter().any(|e| e.kind == YamlErrorKind::AliasLimit))
            .collect();
        assert!(!refused.is_empty());
        assert!(refused[0].errors[0].message.contains("in this file"));
    }

    #[test]
    fn alias_budget_counts_bytes_of_long_strings() {
        let long = "x".repeat(1 << 20);
        let aliases = vec!["*a"; 20].join(", ");
        let src = format!("a: &a {long}\nb: [{aliases}]\n");
        let d = one(&src);
        assert!(
            d.errors.iter().any(|e| e.kind == YamlErrorKind::AliasLimit),
            "20 copies of a 1 MiB string are over the {ALIAS_BYTE_BUDGET}-byte budget"
        );
    }
}
