//! A parser for nunjitsu expressions that re-emits them as minijinja code with
//! nunjitsu's precedence made explicit and JavaScript operator semantics
//! routed through helper functions (registered in filters.rs):
//!
//! - `+` → `__nj_add` (JS `+`: strings concatenate, `undefined` prints as a word),
//!   `~` → `__nj_concat`, `- * / % **` → `__nj_arith` (JS numbers: `1/0` is
//!   `Infinity`, `0/0` is `NaN`), `//` → `__nj_floor`, unary `-`/`+` →
//!   `__nj_neg`/`__nj_num`;
//! - comparisons → `__nj_cmp` (JS loose / strict equality, JS ordering);
//! - `not x`, `and`, `or` and inline-if conditions test JS truthiness;
//! - `True`/`False`/`None` are ordinary (undefined) names, `null` is `none`,
//!   `l[-1]` is undefined, `x.length` is the JS property, bare dict keys are strings.
//!
//! nunjitsu's precedence (loosest first): inline if, `or`, `and`, `not`, `in`,
//! `is`, `== != === !==`, `< <= > >=`, `+ - ~`, `* / // %`, `**`, `|filter`,
//! unary `- +`, postfix (`.a`, `[i]`, `(args)`). Regular-expression literals
//! `r/…/flags` become `__nj_regex(pattern, flags)` (regexp.rs). Unknown syntax makes
//! [`rewrite_expression`] return `None`.

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Num(&'a str),
    Str(&'a str),
    Name(&'a str),
    Op(&'a str),
    /// `r/PATTERN/FLAGS`: the pattern as written (escapes kept) and the flag letters.
    Regex(&'a str, &'a str),
}

fn tokenize(src: &str) -> Option<Vec<Tok<'_>>> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let after_dot = matches!(out.last(), Some(Tok::Op(".")));
        if c.is_ascii_alphabetic() || c == b'_' || (after_dot && c.is_ascii_digit()) {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let name = &src[s..i];
            if name == "r" && b.get(i) == Some(&b'/') {
                // nunjitsu's lexer: the pattern ends at the first unescaped `/` (also inside
                // `[...]`), the flags are the letters after it.
                let start = i + 1;
                let mut e = start;
                while e < b.len() && b[e] != b'/' {
                    e += if b[e] == b'\\' { 2 } else { 1 };
                }
                if e >= b.len() {
                    return None;
                }
                let mut f = e + 1;
                while f < b.len() && b[f].is_ascii_alphabetic() {
                    f += 1;
                }
                out.push(Tok::Regex(&src[start..e], &src[e + 1..f]));
                i = f;
                continue;
            }
            out.push(Tok::Name(name));
            continue;
        }
        if c.is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if b.get(i) == Some(&b'.') {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'_') {
                return None;
            }
            out.push(Tok::Num(&src[s..i]));
            continue;
        }
        if c == b'"' || c == b'\'' {
            let s = i;
            i += 1;
            while i < b.len() && b[i] != c {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            i += 1;
            out.push(Tok::Str(&src[s..i]));
            continue;
        }
        let op = ["===", "!==", "**", "//", "==", "!=", "<=", ">="]
            .into_iter()
            .find(|o| src[i..].starts_with(o));
        let op = match op {
            Some(o) => o,
            None if b"()[]{}.,:|~+-*/%<>=".contains(&c) => &src[i..i + 1],
            None => return None,
        };
        out.push(Tok::Op(op));
        i += op.len();
    }
    Some(out)
}

#[derive(Debug, Clone)]
enum Node {
    /// Emitted as is (numbers, strings, names, literals).
    Raw(String),
    Str(String),
    /// `__nj_regex(pattern, flags)` (both already minijinja string literals).
    Regex(String, String),
    NegNumber,
    Bin(&'static str, Box<Node>, Box<Node>),
    Compare(Box<Node>, Vec<(String, Node)>),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    In(Box<Node>, Box<Node>, bool),
    Is(Box<Node>, String, Option<Vec<Arg>>, bool),
    InlineIf(Box<Node>, Box<Node>, Option<Box<Node>>),
    Floor(Box<Node>),
    Neg(Box<Node>),
    Pos(Box<Node>),
    Filter(Box<Node>, String, Vec<Arg>),
    Attr(Box<Node>, String),
    Index(Box<Node>, Box<Node>),
    Slice(Box<Node>, [Option<Box<Node>>; 3]),
    Call(Box<Node>, Vec<Arg>),
    Group(Vec<Node>),
    Array(Vec<Node>),
    Dict(Vec<(String, Node)>),
}

#[derive(Debug, Clone)]
enum Arg {
    Pos(Node),
    Kw(String, Node),
}

struct Parser<'a> {
    toks: Vec<Tok<'a>>,
    pos: usize,
    depth: usize,
}

type P<T> = Option<T>;

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Tok<'a>> {
        self.toks.get(self.pos)
    }
    fn peek_at(&self, n: usize) -> Option<&Tok<'a>> {
        self.toks.get(self.pos + n)
    }
    fn op(&mut self, o: &str) -> bool {
        if self.peek() == Some(&Tok::Op(o)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn name(&mut self, n: &str) -> bool {
        if self.peek() == Some(&Tok::Name(n)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, o: &str) -> P<()> {
        self.op(o).then_some(())
    }
    fn ident(&mut self) -> P<String> {
        match self.peek()? {
            Tok::Name(n) => {
                let n = n.to_string();
                self.pos += 1;
                Some(n)
            }
            _ => None,
        }
    }
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> P<T>) -> P<T> {
        self.depth += 1;
        if self.depth > 100 {
            return None;
        }
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn inline_if(&mut self) -> P<Node> {
        let body = self.or()?;
        if !self.name("if") {
            return Some(body);
        }
        let cond = self.or()?;
        let other = if self.name("else") {
            Some(Box::new(self.nested(|p| p.or())?))
        } else {
            None
        };
        Some(Node::InlineIf(Box::new(body), Box::new(cond), other))
    }
    fn or(&mut self) -> P<Node> {
        let mut l = self.and()?;
        while self.name("or") {
            l = Node::Or(Box::new(l), Box::new(self.and()?));
        }
        Some(l)
    }
    fn and(&mut self) -> P<Node> {
        let mut l = self.not()?;
        while self.name("and") {
            l = Node::And(Box::new(l), Box::new(self.not()?));
        }
        Some(l)
    }
    fn not(&mut self) -> P<Node> {
        if self.name("not") {
            let t = self.nested(|p| p.not())?;
            return Some(lower_not(t));
        }
        self.membership()
    }
    fn membership(&mut self) -> P<Node> {
        let mut l = self.test()?;
        loop {
            let negate = if self.peek() == Some(&Tok::Name("not"))
                && self.peek_at(1) == Some(&Tok::Name("in"))
            {
                self.pos += 2;
                true
            } else if self.name("in") {
                false
            } else {
                return Some(l);
            };
            l = Node::In(Box::new(l), Box::new(self.test()?), negate);
        }
    }
    fn test(&mut self) -> P<Node> {
        let l = self.equality()?;
        if !self.name("is") {
            return Some(l);
        }
        let negate = self.name("not");
        let r = self.equality()?;
        let (name, args) = match r {
            Node::Raw(n) if is_ident(&n) => (n, None),
            Node::Call(t, args) => match *t {
                Node::Raw(n) if is_ident(&n) => (n, Some(args)),
                _ => return None,
            },
            _ => return None,
        };
        Some(Node::Is(Box::new(l), name, args, negate))
    }
    fn equality(&mut self) -> P<Node> {
        let l = self.relational()?;
        let mut ops = Vec::new();
        while let Some(Tok::Op(o @ ("==" | "===" | "!=" | "!=="))) = self.peek() {
            let o = o.to_string();
            self.pos += 1;
            ops.push((o, self.relational()?));
        }
        Some(if ops.is_empty() {
            l
        } else {
            Node::Compare(Box::new(l), ops)
        })
    }
    fn relational(&mut self) -> P<Node> {
        let l = self.additive()?;
        let mut ops = Vec::new();
        while let Some(Tok::Op(o @ ("<" | "<=" | ">" | ">="))) = self.peek() {
            let o = o.to_string();
            self.pos += 1;
            ops.push((o, self.additive()?));
        }
        Some(if ops.is_empty() {
            l
        } else {
            Node::Compare(Box::new(l), ops)
        })
    }
    fn additive(&mut self) -> P<Node> {
        let mut l = self.multiply()?;
        loop {
            let op = if self.op("+") {
                "+"
            } else if self.op("-") {
                "-"
            } else if self.op("~") {
                "~"
            } else {
                return Some(l);
            };
            l = Node::Bin(op, Box::new(l), Box::new(self.multiply()?));
        }
    }
    /// nunjitsu's multiplicative sequence: `a // b` floors everything to its left.
    fn multiply(&mut self) -> P<Node> {
        let mut l = self.power()?;
        loop {
            if self.op("*") {
                l = Node::Bin("*", Box::new(l), Box::new(self.power()?));
            } else if self.op("/") {
                l = Node::Bin("/", Box::new(l), Box::new(self.power()?));
            } else if self.op("%") {
                l = Node::Bin("%", Box::new(l), Box::new(self.power()?));
            } else if self.op("//") {
                let r = self.power()?;
                l = Node::Floor(Box::new(Node::Bin("/", Box::new(l), Box::new(r))));
            } else {
                return Some(l);
            }
        }
    }
    fn power(&mut self) -> P<Node> {
        let mut l = self.filter()?;
        while self.op("**") {
            l = Node::Bin("**", Box::new(l), Box::new(self.filter()?));
        }
        Some(l)
    }
    fn filter(&mut self) -> P<Node> {
        let mut e = self.unary()?;
        while self.op("|") {
            let name = self.ident()?;
            if self.peek() == Some(&Tok::Op(".")) {
                return None;
            }
            let args = if self.op("(") {
                self.nested(|p| p.arguments())?
            } else {
                Vec::new()
            };
            e = Node::Filter(Box::new(e), name, args);
        }
        Some(e)
    }
    fn unary(&mut self) -> P<Node> {
        if self.op("-") {
            let t = self.nested(|p| p.unary())?;
            if matches!(t, Node::Neg(_)) {
                return None;
            }
            return Some(Node::Neg(Box::new(t)));
        }
        if self.op("+") {
            let t = self.nested(|p| p.unary())?;
            if matches!(t, Node::Pos(_)) {
                return None;
            }
            return Some(Node::Pos(Box::new(t)));
        }
        self.postfix()
    }
    fn postfix(&mut self) -> P<Node> {
        let mut e = self.primary()?;
        loop {
            if self.op(".") {
                let key = self.ident()?;
                e = Node::Attr(Box::new(e), key);
            } else if self.op("[") {
                e = self.nested(|p| p.subscript(e))?;
                self.expect("]")?;
            } else if self.op("(") {
                let args = self.nested(|p| p.arguments())?;
                e = Node::Call(Box::new(e), args);
            } else {
                return Some(e);
            }
        }
    }
    fn subscript(&mut self, target: Node) -> P<Node> {
        let stop_tok = |p: &Self| matches!(p.peek(), Some(Tok::Op(":" | "]")));
        let start = if stop_tok(self) {
            None
        } else {
            Some(Box::new(self.inline_if()?))
        };
        if !self.op(":") {
            let start = start?;
            // nunjitsu: a negative index is a missing property.
            if let Node::Neg(inner) = &*start
                && matches!(&**inner, Node::Raw(n) if n.starts_with(|c: char| c.is_ascii_digit()))
            {
                return Some(Node::NegNumber);
            }
            return Some(Node::Index(Box::new(target), start));
        }
        let stop = if stop_tok(self) {
            None
        } else {
            Some(Box::new(self.inline_if()?))
        };
        let step = if self.op(":") && self.peek() != Some(&Tok::Op("]")) {
            Some(Box::new(self.inline_if()?))
        } else {
            None
        };
        Some(Node::Slice(Box::new(target), [start, stop, step]))
    }
    fn primary(&mut self) -> P<Node> {
        let tok = self.peek()?.clone();
        self.pos += 1;
        match tok {
            Tok::Num(n) => Some(Node::Raw(if n.ends_with('.') {
                format!("{n}0")
            } else {
                n.to_string()
            })),
            Tok::Str(s) => Some(Node::Str(string_literal(s))),
            Tok::Regex(pattern, flags) => Some(Node::Regex(
                verbatim_literal(pattern),
                verbatim_literal(flags),
            )),
            Tok::Name(n) => Some(Node::Raw(match n {
                "true" | "false" => n.to_string(),
                "none" | "null" => "none".to_string(),
                // Ordinary (usually undefined) names in nunjitsu.
                "True" | "False" | "None" => "__nj_undefined".to_string(),
                _ if is_keyword(n) => return None,
                _ => n.to_string(),
            })),
            Tok::Op("(") => {
                let items = self.nested(|p| p.delimited(")"))?;
                if items.is_empty() {
                    return None;
                }
                Some(Node::Group(items))
            }
            Tok::Op("[") => Some(Node::Array(self.nested(|p| p.delimited("]"))?)),
            Tok::Op("{") => self.nested(|p| p.dict()),
            _ => None,
        }
    }
    fn dict(&mut self) -> P<Node> {
        let mut pairs = Vec::new();
        if !self.op("}") {
            loop {
                let key = match self.peek()?.clone() {
                    Tok::Name(n) => format!("{n:?}"),
                    Tok::Str(s) => string_literal(s),
                    _ => return None,
                };
                self.pos += 1;
                self.expect(":")?;
                pairs.push((key, self.inline_if()?));
                if !self.op(",") {
                    break;
                }
            }
            self.expect("}")?;
        }
        Some(Node::Dict(pairs))
    }
    fn delimited(&mut self, end: &str) -> P<Vec<Node>> {
        let mut items = Vec::new();
        if self.op(end) {
            return Some(items);
        }
        loop {
            items.push(self.inline_if()?);
            if !self.op(",") {
                break;
            }
        }
        self.expect(end)?;
        Some(items)
    }
    fn arguments(&mut self) -> P<Vec<Arg>> {
        let mut args = Vec::new();
        if self.op(")") {
            return Some(args);
        }
        loop {
            if let (Some(Tok::Name(n)), Some(Tok::Op("="))) = (self.peek(), self.peek_at(1)) {
                let n = n.to_string();
                self.pos += 2;
                args.push(Arg::Kw(n, self.inline_if()?));
            } else {
                args.push(Arg::Pos(self.inline_if()?));
            }
            if !self.op(",") {
                break;
            }
        }
        self.expect(")")?;
        Some(args)
    }
}

/// nunjitsu's `#lowerObservableNot`: `not a + b` is `(not a) + b`.
fn lower_not(t: Node) -> Node {
    match t {
        Node::Bin(op, l, r) if matches!(op, "+" | "~" | "-" | "*" | "/" | "%") => {
            Node::Bin(op, Box::new(lower_not(*l)), r)
        }
        Node::Compare(l, ops) => Node::Compare(Box::new(lower_not(*l)), ops),
        other => Node::Not(Box::new(other)),
    }
}

/// A nunjitsu string literal (with its quotes) as a minijinja literal with the same value.
/// nunjitsu's lexer knows only `\\n`, `\\t` and `\\r`; a backslash before any other character
/// is dropped and the character kept (`"\\u00e9"` is `u00e9`), unlike minijinja, which decodes
/// JSON escapes.
pub(crate) fn string_literal(literal: &str) -> String {
    let body = literal
        .get(1..literal.len().saturating_sub(1))
        .unwrap_or_default();
    let mut value = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => value.push('\n'),
            Some('t') => value.push('\t'),
            Some('r') => value.push('\r'),
            Some(other) => value.push(other),
            None => break,
        }
    }
    verbatim_literal(&value)
}

/// `text` as a minijinja string literal that decodes to exactly `text`.
fn verbatim_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Words that are operators, not names.
fn is_keyword(n: &str) -> bool {
    matches!(n, "if" | "else" | "and" | "or" | "not" | "in" | "is")
}

fn emit_args(out: &mut String, args: &[Arg]) {
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match a {
            Arg::Pos(n) => emit(out, n),
            Arg::Kw(k, n) => {
                out.push_str(k);
                out.push('=');
                emit(out, n);
            }
        }
    }
}

fn emit_list(out: &mut String, items: &[Node]) {
    for (i, n) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        emit(out, n);
    }
}

fn emit_truthy(out: &mut String, n: &Node) {
    out.push('(');
    emit(out, n);
    out.push_str(" is __nj_truthy)");
}

fn emit(out: &mut String, n: &Node) {
    match n {
        Node::Raw(s) | Node::Str(s) => out.push_str(s),
        Node::NegNumber => out.push_str("__nj_undefined"),
        Node::Regex(pattern, flags) => {
            out.push_str("__nj_regex(");
            out.push_str(pattern);
            out.push_str(", ");
            out.push_str(flags);
            out.push(')');
        }
        Node::Bin(op, l, r) => {
            match *op {
                "+" => out.push_str("__nj_add("),
                "~" => out.push_str("__nj_concat("),
                _ => {
                    out.push_str("__nj_arith(\"");
                    out.push_str(op);
                    out.push_str("\", ");
                }
            }
            emit(out, l);
            out.push_str(", ");
            emit(out, r);
            out.push(')');
        }
        Node::Compare(l, ops) => {
            // Left to right: each result is the next left operand.
            let mut acc = String::new();
            emit(&mut acc, l);
            for (op, r) in ops {
                let mut next = String::from("__nj_cmp(");
                next.push_str(&acc);
                next.push_str(", \"");
                next.push_str(op);
                next.push_str("\", ");
                emit(&mut next, r);
                next.push(')');
                acc = next;
            }
            out.push_str(&acc);
        }
        Node::Not(t) => {
            out.push_str("(not ");
            emit_truthy(out, t);
            out.push(')');
        }
        Node::And(l, r) | Node::Or(l, r) => {
            // JS truthiness (`[]` and `{}` are true, NaN false) needs the left
            // operand twice; plain `and`/`or` when that would be costly or
            // observable (`random`).
            let mut left = String::new();
            emit(&mut left, l);
            if left.len() <= 400 && !left.contains("random") {
                let mut right = String::new();
                emit(&mut right, r);
                let (t, f) = if matches!(n, Node::And(..)) {
                    (&right, &left)
                } else {
                    (&left, &right)
                };
                out.push_str(&format!("({t} if ({left} is __nj_truthy) else {f})"));
                return;
            }
            // Reuse the left text: emitting it again would double the work per level of
            // a long `a or b or c …` chain (exponential time).
            out.push('(');
            out.push_str(&left);
            out.push_str(if matches!(n, Node::And(..)) {
                " and "
            } else {
                " or "
            });
            emit(out, r);
            out.push(')');
        }
        Node::In(l, r, negate) => {
            out.push('(');
            emit(out, l);
            out.push_str(if *negate { " not in " } else { " in " });
            emit(out, r);
            out.push(')');
        }
        Node::Is(l, name, args, negate) => {
            out.push('(');
            emit(out, l);
            out.push_str(if *negate { " is not " } else { " is " });
            out.push_str(name);
            if let Some(args) = args {
                out.push('(');
                emit_args(out, args);
                out.push(')');
            }
            out.push(')');
        }
        Node::InlineIf(body, cond, other) => {
            out.push('(');
            emit(out, body);
            out.push_str(" if ");
            emit_truthy(out, cond);
            out.push_str(" else ");
            match other {
                Some(o) => emit(out, o),
                None => out.push_str("\"\""),
            }
            out.push(')');
        }
        Node::Floor(t) | Node::Neg(t) | Node::Pos(t) => {
            out.push_str(match n {
                Node::Floor(_) => "__nj_floor(",
                Node::Neg(_) => "__nj_neg(",
                _ => "__nj_num(",
            });
            emit(out, t);
            out.push(')');
        }
        Node::Filter(input, name, args) => {
            out.push('(');
            emit(out, input);
            out.push('|');
            out.push_str(name);
            if !args.is_empty() {
                out.push('(');
                emit_args(out, args);
                out.push(')');
            }
            out.push(')');
        }
        Node::Attr(t, key) => {
            if key == "length" {
                out.push_str("__nj_length(");
                emit(out, t);
                out.push(')');
            } else {
                emit(out, t);
                out.push('.');
                out.push_str(key);
            }
        }
        Node::Index(t, i) => {
            emit(out, t);
            out.push('[');
            emit(out, i);
            out.push(']');
        }
        Node::Slice(t, parts) => {
            emit(out, t);
            out.push('[');
            for (k, p) in parts.iter().enumerate() {
                if k > 0 {
                    out.push(':');
                }
                if let Some(p) = p {
                    emit(out, p);
                }
            }
            out.push(']');
        }
        Node::Call(t, args) => {
            // `x.length(…)` is a method call, not the filter.
            match &**t {
                Node::Attr(inner, key) => {
                    emit(out, inner);
                    out.push('.');
                    out.push_str(key);
                }
                other => emit(out, other),
            }
            out.push('(');
            emit_args(out, args);
            out.push(')');
        }
        Node::Group(items) => {
            out.push('(');
            emit_list(out, items);
            if items.len() > 1 {
                // a tuple
            }
            out.push(')');
        }
        Node::Array(items) => {
            out.push('[');
            emit_list(out, items);
            out.push(']');
        }
        Node::Dict(pairs) => {
            out.push('{');
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push_str(": ");
                emit(out, v);
            }
            out.push('}');
        }
    }
}

/// The regular-expression literals of `code`: byte offset of the `r`, pattern and flags
/// (none when the code does not tokenize).
pub(crate) fn regex_literals(code: &str) -> Vec<(usize, &str, &str)> {
    tokenize(code)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t {
            Tok::Regex(pattern, flags) => {
                let offset = (pattern.as_ptr() as usize - code.as_ptr() as usize).saturating_sub(2);
                Some((offset, pattern, flags))
            }
            _ => None,
        })
        .collect()
}

/// Re-emits one nunjitsu expression as minijinja code, or `None` when it does
/// not parse (the caller then falls back to the plain rewrite, and minijinja
/// reports the syntax error).
pub(crate) fn rewrite_expression(code: &str) -> Option<String> {
    let toks = tokenize(code)?;
    if toks.is_empty() {
        return None;
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let node = p.inline_if()?;
    if p.pos != p.toks.len() {
        return None;
    }
    let mut out = String::new();
    emit(&mut out, &node);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::rewrite_expression as rw;

    #[test]
    fn precedence_is_explicit() {
        assert_eq!(
            rw("a + b * c").unwrap(),
            "__nj_add(a, __nj_arith(\"*\", b, c))"
        );
        assert_eq!(
            rw("a + b - c").unwrap(),
            "__nj_arith(\"-\", __nj_add(a, b), c)"
        );
        assert_eq!(rw("-x | abs").unwrap(), "(__nj_neg(x)|abs)");
        assert_eq!(rw("l[-1]").unwrap(), "__nj_undefined");
        assert_eq!(rw("s.length").unwrap(), "__nj_length(s)");
        assert_eq!(rw("{a: 1}").unwrap(), "{\"a\": 1}");
        assert_eq!(rw("x is divisibleby(3)").unwrap(), "(x is divisibleby(3))");
        assert_eq!(
            rw(r#"r/a\/"b/g | x"#).unwrap(),
            r#"(__nj_regex("a\\/\"b", "g")|x)"#
        );
        assert!(rw("r/a").is_none());
        assert!(rw("a +").is_none());
    }
}
