//! Checks one entity document against Backstage's rules, reporting every problem (Backstage
//! stops at the first). Cross-entity checks live in `crossref`.

use std::path::{Path, PathBuf};

use crate::catalog::entity_ref::{DEFAULT_NAMESPACE, EntityRef, RefError};
use crate::catalog::format::{self, Formats};
use crate::catalog::kinds::{self, Field, KindSpec, Shape};
use crate::catalog::placeholder;
use crate::config::CustomKind;
use crate::diag::{Code, Diagnostic};
use crate::yaml::{Node, Span, Value, escape_token};

/// What the checks of one document need from the outside.
pub struct Context<'a> {
    /// Directory of the file, for placeholders and Location targets.
    pub dir: &'a Path,
    /// Files named by content (placeholders) are read only inside this directory: the
    /// repository around the file (see [`crate::catalog::load::confinement_root`]).
    pub root: &'a Path,
    pub formats: &'a Formats,
    pub custom_kinds: &'a [CustomKind],
    /// Absolute URLs into the repository being checked are read from its working tree.
    pub same_repo: Option<&'a super::same_repo::SameRepository>,
    /// Placeholder resolvers installed beyond `$text`, `$json`, `$yaml` (`openapi`, `asyncapi`).
    pub placeholders: &'a [String],
}

/// A reference from a relation field, kept for cross-file checks.
#[derive(Debug, Clone)]
pub struct Relation {
    pub field: &'static str,
    /// Backstage's relation type (`ownedBy`, `partOf`, …).
    pub relation: &'static str,
    /// Position in a list field, None for a single-reference field.
    pub index: Option<u32>,
    pub target: EntityRef,
    pub span: Span,
    pub expected_kinds: &'static [&'static str],
}

impl Relation {
    /// JSON pointer of the reference (built only when a diagnostic needs it).
    pub fn pointer(&self) -> String {
        relation_pointer(self.field, self.index)
    }
}

/// A Location's targets as written (resolved against the file system by `location`).
#[derive(Debug, Clone)]
pub struct LocationSpec {
    pub location_type: Option<String>,
    pub targets: Vec<(String, String)>,
    pub optional: bool,
}

/// An entity as the rest of callboard sees it after validation.
#[derive(Debug, Clone)]
pub struct EntityRecord {
    pub reference: EntityRef,
    /// `kind` as written (the reference keeps it lowercase), and `spec.type` when a string:
    /// what the portal's catalog rules look at.
    pub kind_written: Box<str>,
    pub spec_type: Option<Box<str>>,
    pub name_span: Span,
    pub relations: Vec<Relation>,
    pub location: Option<LocationSpec>,
    /// Directories a Template fetches its skeletons from (template sources, not entities).
    pub skeleton_dirs: Vec<PathBuf>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// None when the envelope (apiVersion, kind, metadata.name) is unusable: Backstage never
    /// creates such an entity and records the error on the parent Location instead.
    pub entity: Option<EntityRecord>,
}

/// JSON type names, as Backstage's schema messages use them.
fn type_word(shape: &Shape) -> &'static str {
    match shape {
        Shape::Str | Shape::AnyStr | Shape::Enum(_) => "a string",
        Shape::StrOrBool => "a string or a boolean",
        Shape::StrList | Shape::AnyStrList => "a list of strings",
        Shape::Object(..) => "a mapping",
        Shape::ObjectList(_) => "a list of mappings",
        Shape::ObjectOrObjectList(_) => "a mapping or a list of mappings",
        Shape::Any => "a value",
    }
}

fn dotted(pointer: &str) -> String {
    pointer
        .trim_start_matches('/')
        .replace('/', ".")
        .replace("~1", "/")
        .replace("~0", "~")
}

struct Checker<'a> {
    diags: Vec<Diagnostic>,
    ctx: &'a Context<'a>,
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn missing(&mut self, pointer: &str, what: &str) {
        self.push(
            Diagnostic::new(
                Code::MissingField,
                format!("{} is required{what}", dotted(pointer)),
            )
            .at(pointer.to_string()),
        );
    }

    /// Checks `node` against `shape`. Returns false when the type itself is wrong.
    fn shape(&mut self, node: &Node, shape: &Shape, pointer: &str) -> bool {
        let wrong = |c: &mut Self| {
            let found = node.type_name();
            c.push(
                Diagnostic::new(
                    Code::WrongType,
                    format!(
                        "{} must be {}, found {found}",
                        dotted(pointer),
                        type_word(shape)
                    ),
                )
                .at(pointer.to_string()),
            );
            false
        };
        match shape {
            Shape::Any => true,
            Shape::AnyStr => node.as_str().is_some() || wrong(self),
            Shape::Str => match node.as_str() {
                Some("") => {
                    self.push(
                        Diagnostic::new(
                            Code::EmptyValue,
                            format!("{} must not be an empty string", dotted(pointer)),
                        )
                        .at(pointer.to_string()),
                    );
                    true
                }
                Some(_) => true,
                None => wrong(self),
            },
            Shape::Enum(values) => match node.as_str() {
                Some(s) if values.contains(&s) => true,
                Some(s) => {
                    self.push(
                        Diagnostic::new(
                            Code::InvalidValue,
                            format!(
                                "{} must be one of {}, found \"{s}\"",
                                dotted(pointer),
                                values.join(", ")
                            ),
                        )
                        .at(pointer.to_string()),
                    );
                    true
                }
                None => wrong(self),
            },
            Shape::StrOrBool => {
                matches!(node.value, Value::String(_) | Value::Bool(_)) || wrong(self)
            }
            Shape::StrList | Shape::AnyStrList => match node.as_seq() {
                Some(items) => {
                    let item_shape = if matches!(shape, Shape::StrList) {
                        Shape::Str
                    } else {
                        Shape::AnyStr
                    };
                    for (i, item) in items.iter().enumerate() {
                        self.shape(item, &item_shape, &format!("{pointer}/{i}"));
                    }
                    true
                }
                None => wrong(self),
            },
            Shape::Object(fields, extra) => match node.as_map() {
                Some(entries) => {
                    self.fields(node, fields, pointer, "");
                    if let Some(extra) = extra {
                        for (k, v) in entries {
                            if !fields.iter().any(|f| f.name == k.text) {
                                self.shape(
                                    v,
                                    extra,
                                    &format!("{pointer}/{}", escape_token(&k.text)),
                                );
                            }
                        }
                    }
                    true
                }
                None => wrong(self),
            },
            Shape::ObjectList(fields) => match node.as_seq() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.shape(
                            item,
                            &Shape::Object(fields, None),
                            &format!("{pointer}/{i}"),
                        );
                    }
                    true
                }
                None => wrong(self),
            },
            Shape::ObjectOrObjectList(fields) => match &node.value {
                Value::Map(_) => self.shape(node, &Shape::Object(fields, None), pointer),
                Value::Seq(_) => self.shape(node, &Shape::ObjectList(fields), pointer),
                _ => wrong(self),
            },
        }
    }

    fn fields(&mut self, parent: &Node, fields: &[Field], pointer: &str, what: &str) {
        for field in fields {
            let p = format!("{pointer}/{}", escape_token(field.name));
            match parent.get(field.name) {
                None if field.required => self.missing(&p, what),
                Some(v) if v.is_null() && field.required => {
                    self.push(
                        Diagnostic::new(
                            Code::MissingField,
                            format!("{} has no value{what}", dotted(&p)),
                        )
                        .at(p.clone()),
                    );
                }
                Some(v) => {
                    self.shape(v, &field.shape, &p);
                }
                None => {}
            }
        }
    }
}

/// Runs every per-entity check on one document.
pub fn check(root: &Node, ctx: &Context<'_>) -> Outcome {
    let mut c = Checker {
        diags: Vec::new(),
        ctx,
    };
    if !matches!(root.value, Value::Map(_)) {
        let found = if root.as_seq().is_some() {
            "a list"
        } else {
            root.type_name()
        };
        c.push(
            Diagnostic::new(Code::RootNotMapping, format!("a catalog document must be a mapping, found {found}"))
                .at("")
                .help("each YAML document is one entity: apiVersion, kind, metadata and spec at its top level"),
        );
        return Outcome {
            diagnostics: c.diags,
            entity: None,
        };
    }

    // Placeholders are resolved before any validation (Backstage's pre-processing).
    let resolved = placeholder::resolve(
        root,
        placeholder::Place {
            dir: ctx.dir,
            repo_root: ctx.root,
            same_repo: ctx.same_repo,
            extra: ctx.placeholders,
        },
    );
    c.diags.extend(resolved.diagnostics);
    let entity = resolved.document.as_ref().unwrap_or(root);
    let outcome = check_resolved(c, root, entity, ctx);
    if resolved.unknown.is_empty() {
        return outcome;
    }
    // A remote placeholder's value is unknown: nothing may be concluded from the URL standing
    // in for it (its own note excepted).
    let unknown = &resolved.unknown;
    let derived = |pointer: Option<&str>| placeholder::is_under(pointer.unwrap_or(""), unknown);
    Outcome {
        diagnostics: outcome
            .diagnostics
            .into_iter()
            .filter(|d| d.code == Code::RemotePlaceholder || !derived(d.pointer.as_deref()))
            .collect(),
        entity: outcome.entity.map(|mut record| {
            record.relations.retain(|r| !derived(Some(&r.pointer())));
            record
        }),
    }
}

/// The checks of one document after its placeholders are resolved.
fn check_resolved(mut c: Checker<'_>, root: &Node, entity: &Node, ctx: &Context<'_>) -> Outcome {
    let envelope_ok = check_envelope(&mut c, entity);
    check_root_fields(&mut c, entity);
    let Some((api_version, kind, name)) = envelope_ok else {
        return Outcome {
            diagnostics: c.diags,
            entity: None,
        };
    };
    let metadata = entity.get("metadata").expect("envelope checked");
    let namespace =
        check_metadata(&mut c, metadata).unwrap_or_else(|| DEFAULT_NAMESPACE.to_string());

    let mut record = EntityRecord {
        kind_written: kind.into(),
        spec_type: entity
            .pointer("/spec/type")
            .and_then(|t| t.as_str())
            .map(Into::into),
        reference: EntityRef::new(kind, &namespace, name),
        name_span: metadata.get("name").map(|n| n.span).unwrap_or(root.span),
        relations: Vec::new(),
        location: None,
        skeleton_dirs: Vec::new(),
    };

    // Every Template, v1beta2 and other unknown versions too: its skeletons are sources.
    if kind == "Template" {
        record.skeleton_dirs = skeleton_urls(entity)
            .into_iter()
            .map(|url| normalize(&ctx.dir.join(url)))
            .collect();
    }
    if let Some(spec) = kinds::builtin(kind, api_version) {
        check_spec(&mut c, entity, spec);
        let declared = |field: &str| spec.spec.iter().find(|f| f.name == field).map(|f| f.shape);
        record.relations = relations(&mut c, entity, spec.relations, &declared, &namespace);
        if spec.kind == "Location" {
            record.location = location_spec(entity);
        }
    } else if let Some(custom) = ctx
        .custom_kinds
        .iter()
        .find(|k| k.kind == kind && k.api_versions.iter().any(|v| v == api_version))
    {
        for (pointer, message) in custom.validate(&entity.to_json()) {
            c.push(Diagnostic::new(Code::CustomSchema, message).at(pointer));
        }
        // The user's schema decides the shapes; a reference field may hold one or a list.
        record.relations = relations(&mut c, entity, &custom.relations, &|_| None, &namespace);
    } else {
        let mut d = Diagnostic::new(
            Code::UnknownKind,
            format!("no processor recognises kind \"{kind}\" with apiVersion \"{api_version}\""),
        )
        .at("/kind");
        if let Some(similar) = kinds::similar_kind(kind) {
            d = d.help(format!(
                "did you mean kind \"{}\" with apiVersion {}? Kinds are case-sensitive",
                similar.kind,
                similar.api_versions.join(" or ")
            ));
        } else if kinds::KINDS.iter().any(|k| k.kind == kind) {
            let known = kinds::KINDS
                .iter()
                .find(|k| k.kind == kind)
                .expect("just found");
            d = d.at("/apiVersion").help(format!(
                "kind {kind} needs apiVersion {}",
                known.api_versions.join(" or ")
            ));
        } else {
            d = d.help("use a built-in kind, or declare this kind and its JSON Schema under `kinds:` in .callboard.yaml");
        }
        c.push(d);
    }
    Outcome {
        diagnostics: c.diags,
        entity: Some(record),
    }
}

/// apiVersion, kind, metadata, metadata.name: without these no entity exists.
fn check_envelope<'n>(c: &mut Checker<'_>, root: &'n Node) -> Option<(&'n str, &'n str, &'n str)> {
    let mut ok = true;
    let string_field =
        |c: &mut Checker<'_>, parent: &'n Node, pointer: &str, key: &str| -> Option<&'n str> {
            match parent.get(key) {
                None => {
                    c.missing(pointer, "");
                    None
                }
                Some(v) => match &v.value {
                    Value::Null => {
                        c.push(
                            Diagnostic::new(
                                Code::MissingField,
                                format!("{} has no value", dotted(pointer)),
                            )
                            .at(pointer),
                        );
                        None
                    }
                    Value::String(s) if s.is_empty() => {
                        c.push(
                            Diagnostic::new(
                                Code::EmptyValue,
                                format!("{} must not be an empty string", dotted(pointer)),
                            )
                            .at(pointer),
                        );
                        None
                    }
                    Value::String(s) => Some(s.as_str()),
                    _ => {
                        c.push(
                            Diagnostic::new(
                                Code::WrongType,
                                format!(
                                    "{} must be a string, found {}",
                                    dotted(pointer),
                                    v.type_name()
                                ),
                            )
                            .at(pointer),
                        );
                        None
                    }
                },
            }
        };
    let api_version = string_field(c, root, "/apiVersion", "apiVersion");
    let kind = string_field(c, root, "/kind", "kind");
    let name = match root.get("metadata") {
        None => {
            c.missing("/metadata", "");
            None
        }
        Some(m) if m.as_map().is_none() => {
            c.push(
                Diagnostic::new(
                    Code::WrongType,
                    format!("metadata must be a mapping, found {}", m.type_name()),
                )
                .at("/metadata"),
            );
            None
        }
        Some(m) => string_field(c, m, "/metadata/name", "name"),
    };
    if let Some(v) = api_version
        && !format::is_api_version(v)
    {
        ok = false;
        c.push(
            Diagnostic::new(
                Code::InvalidApiVersion,
                format!("apiVersion \"{v}\" is not a valid [prefix/]version such as backstage.io/v1alpha1"),
            )
            .at("/apiVersion"),
        );
    }
    if let Some(k) = kind
        && !format::is_kind(k)
    {
        ok = false;
        c.push(
            Diagnostic::new(
                Code::InvalidKind,
                format!("kind \"{k}\" is not valid: a letter followed by letters and digits, at most 63 characters"),
            )
            .at("/kind"),
        );
    }
    if ok {
        Some((api_version?, kind?, name?))
    } else {
        None
    }
}

/// The fields an entity read from a file may hold at its root. `relations` and `status` are
/// the catalog server's: Backstage rejects them in a file ("Unknown field relations").
pub const ROOT_FIELDS: &[&str] = &["apiVersion", "kind", "metadata", "spec"];

fn check_root_fields(c: &mut Checker<'_>, root: &Node) {
    const ROOT: &[&str] = ROOT_FIELDS;
    for (k, _) in root.as_map().unwrap_or_default() {
        if !ROOT.contains(&k.text.as_str()) {
            let mut d = Diagnostic::new(
                Code::UnknownRootField,
                format!("unknown root field \"{}\"; an entity's root holds apiVersion, kind, metadata and spec", k.text),
            )
            .at(format!("/{}", escape_token(&k.text)));
            if matches!(k.text.as_str(), "relations" | "status") {
                d = d.help(format!(
                    "\"{}\" is written by the catalog server (an entity copied from the catalog API carries it); remove it from the file",
                    k.text
                ));
            } else if matches!(k.text.as_str(), "owner" | "type" | "lifecycle" | "system") {
                d = d.help(format!("move \"{}\" under spec:", k.text));
            } else if matches!(
                k.text.as_str(),
                "name" | "namespace" | "annotations" | "labels" | "tags" | "title" | "description"
            ) {
                d = d.help(format!("move \"{}\" under metadata:", k.text));
            }
            c.push(d.with_span(k.span));
        }
    }
    if let Some(spec) = root.get("spec")
        && spec.as_map().is_none()
    {
        c.push(
            Diagnostic::new(
                Code::WrongType,
                format!("spec must be a mapping, found {}", spec.type_name()),
            )
            .at("/spec"),
        );
    }
}

/// Checks metadata fields and formats; returns the namespace when it is usable.
fn check_metadata(c: &mut Checker<'_>, metadata: &Node) -> Option<String> {
    let formats = c.ctx.formats;
    if let Some(name) = metadata.get("name").and_then(Node::as_str)
        && !formats.name_ok(name)
    {
        c.push(
            Diagnostic::new(
                Code::InvalidName,
                format!(
                    "metadata.name \"{name}\" is not valid: letters and digits separated by - _ or ., at most {} characters",
                    formats.name_max
                ),
            )
            .at("/metadata/name")
            .help("names start and end with a letter or digit; spaces and other punctuation are not allowed"),
        );
    }
    for key in ["uid", "etag", "title"] {
        if let Some(v) = metadata.get(key) {
            c.shape(v, &Shape::Str, &format!("/metadata/{key}"));
        }
    }
    if let Some(v) = metadata.get("description") {
        c.shape(v, &Shape::AnyStr, "/metadata/description");
    }
    let mut namespace = None;
    if let Some(ns) = metadata.get("namespace") {
        if c.shape(ns, &Shape::Str, "/metadata/namespace")
            && let Some(s) = ns.as_str()
            && !s.is_empty()
        {
            if formats.namespace_ok(s) {
                namespace = Some(s.to_string());
            } else {
                c.push(
                    Diagnostic::new(
                        Code::InvalidNamespace,
                        format!(
                            "metadata.namespace \"{s}\" is not valid: lowercase letters and digits separated by -, at most {} characters",
                            formats.namespace_max
                        ),
                    )
                    .at("/metadata/namespace"),
                );
                namespace = Some(s.to_string());
            }
        }
    } else {
        namespace = Some(DEFAULT_NAMESPACE.to_string());
    }
    check_key_values(c, metadata, "labels");
    check_key_values(c, metadata, "annotations");
    if let Some(tags) = metadata.get("tags")
        && c.shape(tags, &Shape::StrList, "/metadata/tags")
    {
        for (i, tag) in tags.as_seq().unwrap_or_default().iter().enumerate() {
            if let Some(t) = tag.as_str()
                && !t.is_empty()
                && !formats.tag_ok(t)
            {
                let lower = t.to_lowercase().replace([' ', '_'], "-");
                c.push(
                    Diagnostic::new(
                        Code::InvalidTag,
                        format!(
                            "tag \"{t}\" is not valid: lowercase words of [a-z0-9:+#] joined by single -, at most {} characters",
                            formats.tag_max
                        ),
                    )
                    .at(format!("/metadata/tags/{i}"))
                    .help(format!("write it as \"{lower}\"")),
                );
            }
        }
    }
    if let Some(links) = metadata.get("links") {
        const LINK: &[Field] = &[
            Field {
                name: "url",
                shape: Shape::Str,
                required: true,
            },
            Field {
                name: "title",
                shape: Shape::Str,
                required: false,
            },
            Field {
                name: "icon",
                shape: Shape::Str,
                required: false,
            },
            Field {
                name: "type",
                shape: Shape::Str,
                required: false,
            },
        ];
        if c.shape(links, &Shape::ObjectList(LINK), "/metadata/links") {
            for (i, link) in links.as_seq().unwrap_or_default().iter().enumerate() {
                if let Some(u) = link.get("url").and_then(Node::as_str)
                    && !u.is_empty()
                    && !format::is_url(u)
                {
                    c.push(
                        Diagnostic::new(
                            Code::InvalidLink,
                            format!("links[{i}].url \"{u}\" is not a valid absolute URL"),
                        )
                        .at(format!("/metadata/links/{i}/url"))
                        .help("write a full URL with its scheme, e.g. https://…"),
                    );
                }
                for key in ["title", "icon"] {
                    if let Some(v) = link.get(key).and_then(Node::as_str)
                        && !v.is_empty()
                        && !format::is_non_empty_string(v)
                    {
                        c.push(
                            Diagnostic::new(
                                Code::InvalidLink,
                                format!("links[{i}].{key} must not be blank"),
                            )
                            .at(format!("/metadata/links/{i}/{key}")),
                        );
                    }
                }
            }
        }
    }
    namespace
}

fn check_key_values(c: &mut Checker<'_>, metadata: &Node, field: &str) {
    let Some(map) = metadata.get(field) else {
        return;
    };
    // Backstage's processing merges its own annotations into `metadata.annotations` before the
    // check, so an empty `annotations:` (null) becomes `{}` and passes; labels get no such help.
    if field == "annotations" && map.value == Value::Null {
        return;
    }
    let pointer = format!("/metadata/{field}");
    let Some(entries) = map.as_map() else {
        c.push(
            Diagnostic::new(
                Code::WrongType,
                format!(
                    "metadata.{field} must be a mapping, found {}",
                    map.type_name()
                ),
            )
            .at(pointer),
        );
        return;
    };
    let labels = field == "labels";
    for (k, v) in entries {
        let p = format!("{pointer}/{}", escape_token(&k.text));
        if !format::is_label_key(&k.text) {
            let code = if labels {
                Code::InvalidLabelKey
            } else {
                Code::InvalidAnnotationKey
            };
            let mut d = Diagnostic::new(
                code,
                format!(
                    "{} key \"{}\" is not valid: an optional DNS prefix and /, then a name of letters, digits, - _ .",
                    if labels { "label" } else { "annotation" },
                    k.text
                ),
            )
            .at(p.clone())
            .with_span(k.span);
            if !labels && matches!(k.text.as_str(), "$yaml" | "$json" | "$text") {
                d = d.help("Backstage adds its own annotations to this mapping before placeholders are read, so a placeholder cannot stand for all annotations: write each annotation, with a placeholder as its value if needed");
            }
            c.push(d);
        }
        match v.as_str() {
            None => {
                let code = if labels {
                    Code::WrongType
                } else {
                    Code::InvalidAnnotationValue
                };
                let hint = match &v.value {
                    Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Null => {
                        format!("quote it: \"{}\"", scalar_text(v))
                    }
                    _ => "annotation and label values are plain strings".to_string(),
                };
                c.push(
                    Diagnostic::new(
                        code,
                        format!(
                            "metadata.{field}.{} must be a string, found {}",
                            k.text,
                            v.type_name()
                        ),
                    )
                    .at(p)
                    .with_span(v.span)
                    .help(hint),
                );
            }
            Some(s) if labels && !format::is_label_value(s) => {
                c.push(
                    Diagnostic::new(
                        Code::InvalidLabelValue,
                        format!(
                            "label value \"{s}\" is not valid: empty, or letters and digits separated by - _ ., at most 63 characters"
                        ),
                    )
                    .at(p)
                    .with_span(v.span),
                );
            }
            Some(_) => {}
        }
    }
}

fn scalar_text(v: &Node) -> String {
    match &v.value {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Null => String::new(),
        _ => String::new(),
    }
}

fn check_spec(c: &mut Checker<'_>, root: &Node, kind: &KindSpec) {
    let what = format!(" for kind {}", kind.kind);
    match root.get("spec") {
        None => c.missing("/spec", &what),
        Some(spec) if spec.as_map().is_some() => c.fields(spec, kind.spec, "/spec", &what),
        Some(_) => {} // reported by check_root_fields
    }
}

/// The references of `fields` under `spec`; `declared` gives a field's shape where the kind's
/// schema fixes it.
fn relations(
    c: &mut Checker<'_>,
    root: &Node,
    fields: &[kinds::RelationField],
    declared: &dyn Fn(&str) -> Option<Shape>,
    namespace: &str,
) -> Vec<Relation> {
    let mut out = Vec::new();
    let Some(spec) = root.get("spec") else {
        return out;
    };
    for field in fields {
        let Some(value) = spec.get(field.field) else {
            continue;
        };
        // A field holding the other shape than its schema declares was reported as wrong-type;
        // Backstage rejects such an entity, so it gets no relations.
        let declared = declared(field.field);
        let items: Vec<(Option<u32>, &Node)> = match &value.value {
            Value::String(_) if !matches!(declared, Some(Shape::StrList)) => vec![(None, value)],
            Value::Seq(_) if matches!(declared, Some(Shape::Str)) => continue,
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| (Some(i as u32), n))
                .collect(),
            _ => continue, // wrong type already reported by the schema check
        };
        for (index, node) in items {
            let Some(text) = node.as_str() else { continue };
            if text.is_empty() {
                continue; // reported as empty-value
            }
            match EntityRef::parse(text, field.default_kind, namespace) {
                Ok(target) => out.push(Relation {
                    field: field.field,
                    relation: field.relation,
                    index,
                    target,
                    span: node.span,
                    expected_kinds: field.expected_kinds,
                }),
                Err(err) => {
                    let code = if err == RefError::MissingKind {
                        Code::MissingRefKind
                    } else {
                        Code::InvalidEntityRef
                    };
                    c.push(
                        Diagnostic::new(
                            code,
                            format!("spec.{}: {}", field.field, err.message(text)),
                        )
                        .at(relation_pointer(field.field, index)),
                    );
                }
            }
        }
    }
    out
}

fn relation_pointer(field: &str, index: Option<u32>) -> String {
    match index {
        Some(i) => format!("/spec/{field}/{i}"),
        None => format!("/spec/{field}"),
    }
}

fn location_spec(root: &Node) -> Option<LocationSpec> {
    let spec = root.get("spec")?;
    let mut targets = Vec::new();
    if let Some(t) = spec.get("target").and_then(Node::as_str)
        && !t.is_empty()
    {
        targets.push(("/spec/target".to_string(), t.to_string()));
    }
    if let Some(list) = spec.get("targets").and_then(Node::as_seq) {
        for (i, t) in list.iter().enumerate() {
            if let Some(t) = t.as_str()
                && !t.is_empty()
            {
                targets.push((format!("/spec/targets/{i}"), t.to_string()));
            }
        }
    }
    Some(LocationSpec {
        location_type: spec.get("type").and_then(Node::as_str).map(str::to_string),
        targets,
        optional: spec.get("presence").and_then(Node::as_str) == Some("optional"),
    })
}

/// Local directories named by `fetch:template` / `fetch:plain` / `fetch:file` steps.
/// The local directories a Template's `fetch:*` steps copy from (relative URLs as written,
/// without `://` or `${{ }}`): template sources, not entities. The one rule for the catalog
/// walk and the adoption history.
pub fn skeleton_urls(root: &Node) -> Vec<&str> {
    let mut out = Vec::new();
    let steps = root
        .pointer("/spec/steps")
        .and_then(Node::as_seq)
        .unwrap_or_default();
    for step in steps {
        let action = step
            .get("action")
            .and_then(Node::as_str)
            .unwrap_or_default();
        if !action.starts_with("fetch:") {
            continue;
        }
        let Some(url) = step.pointer("/input/url").and_then(Node::as_str) else {
            continue;
        };
        if url.contains("://") || url.contains("${{") {
            continue;
        }
        out.push(url);
    }
    out
}

/// Lexical normalisation (no file-system access): removes `.` and resolves `..`.
pub fn normalize(path: &Path) -> PathBuf {
    crate::fs::lexical_normalize(path)
}
