//! callboard's own schema of Backstage's built-in kinds: which `spec` fields each kind requires,
//! their shapes, and which fields hold entity references. Facts from catalog-model 1.10.3 and
//! scaffolder-common 2.4.0 (see docs/validate.md).

/// The shape a field must have. Strings are `minLength: 1` unless `AnyStr`.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A string of at least one character.
    Str,
    /// Any string, even empty.
    AnyStr,
    /// A string from a fixed list.
    Enum(&'static [&'static str]),
    /// A string or a boolean (Template `if`, `when`).
    StrOrBool,
    /// An array of non-empty strings.
    StrList,
    /// An array of strings (empty strings allowed).
    AnyStrList,
    /// An object with the given members; other members allowed, and if `extra` is set they must have that shape.
    Object(&'static [Field], Option<&'static Shape>),
    /// An array whose items are objects with the given members.
    ObjectList(&'static [Field]),
    /// Either an object with the given members, or an array of such objects (Template `parameters`).
    ObjectOrObjectList(&'static [Field]),
    /// Anything.
    Any,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
}

const fn req(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: true,
    }
}

const fn opt(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: false,
    }
}

/// A spec field that holds entity references.
pub use crate::config::RelationField;

const fn rel(
    field: &'static str,
    default_kind: Option<&'static str>,
    expected_kinds: &'static [&'static str],
    relation: &'static str,
) -> RelationField {
    RelationField {
        field,
        default_kind,
        expected_kinds,
        relation,
    }
}

#[derive(Debug)]
pub struct KindSpec {
    pub kind: &'static str,
    pub api_versions: &'static [&'static str],
    pub spec: &'static [Field],
    pub relations: &'static [RelationField],
}

pub const CORE_VERSIONS: &[&str] = &["backstage.io/v1alpha1", "backstage.io/v1beta1"];
pub const TEMPLATE_VERSIONS: &[&str] = &["scaffolder.backstage.io/v1beta3"];

const OWNER_KINDS: &[&str] = &["group", "user"];
const OWNER: RelationField = rel("owner", Some("Group"), OWNER_KINDS, "ownedBy");
const SYSTEM: RelationField = rel("system", Some("System"), &["system"], "partOf");

const PROFILE: &[Field] = &[
    opt("displayName", Shape::Str),
    opt("email", Shape::Str),
    opt("picture", Shape::Str),
];

const PERMISSIONS: &[Field] = &[opt("tags", Shape::AnyStrList)];

const TEMPLATE_PAGE: &[Field] = &[
    opt("when", Shape::StrOrBool),
    opt("backstage:permissions", Shape::Object(PERMISSIONS, None)),
];

const TEMPLATE_STEP: &[Field] = &[
    opt("id", Shape::AnyStr),
    opt("name", Shape::AnyStr),
    req("action", Shape::AnyStr),
    opt("input", Shape::Object(&[], None)),
    opt("if", Shape::StrOrBool),
    opt("backstage:permissions", Shape::Object(PERMISSIONS, None)),
];

const OUTPUT_LINK: &[Field] = &[
    opt("if", Shape::StrOrBool),
    opt("url", Shape::Str),
    opt("entityRef", Shape::Str),
    opt("icon", Shape::Str),
];

const OUTPUT_TEXT: &[Field] = &[
    opt("if", Shape::StrOrBool),
    opt("icon", Shape::Str),
    opt("content", Shape::AnyStr),
];

const DECORATOR: &[Field] = &[
    opt("id", Shape::AnyStr),
    opt("input", Shape::Object(&[], None)),
];

pub static KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "Component",
        api_versions: CORE_VERSIONS,
        spec: &[
            req("type", Shape::Str),
            req("lifecycle", Shape::Str),
            req("owner", Shape::Str),
            opt("system", Shape::Str),
            opt("subcomponentOf", Shape::Str),
            opt("providesApis", Shape::StrList),
            opt("consumesApis", Shape::StrList),
            opt("dependsOn", Shape::StrList),
        ],
        relations: &[
            OWNER,
            rel(
                "subcomponentOf",
                Some("Component"),
                &["component"],
                "partOf",
            ),
            rel("providesApis", Some("API"), &["api"], "providesApi"),
            rel("consumesApis", Some("API"), &["api"], "consumesApi"),
            rel("dependsOn", None, &[], "dependsOn"),
            rel("dependencyOf", None, &[], "dependencyOf"),
            SYSTEM,
        ],
    },
    KindSpec {
        kind: "API",
        api_versions: CORE_VERSIONS,
        spec: &[
            req("type", Shape::Str),
            req("lifecycle", Shape::Str),
            req("owner", Shape::Str),
            req("definition", Shape::Str),
            opt("system", Shape::Str),
        ],
        relations: &[OWNER, SYSTEM],
    },
    KindSpec {
        kind: "Resource",
        api_versions: CORE_VERSIONS,
        spec: &[
            req("type", Shape::Str),
            req("owner", Shape::Str),
            opt("dependsOn", Shape::StrList),
            opt("system", Shape::Str),
        ],
        relations: &[
            OWNER,
            rel("dependsOn", None, &[], "dependsOn"),
            rel("dependencyOf", None, &[], "dependencyOf"),
            SYSTEM,
        ],
    },
    KindSpec {
        kind: "System",
        api_versions: CORE_VERSIONS,
        spec: &[
            req("owner", Shape::Str),
            opt("domain", Shape::Str),
            opt("type", Shape::Str),
        ],
        relations: &[OWNER, rel("domain", Some("Domain"), &["domain"], "partOf")],
    },
    KindSpec {
        kind: "Domain",
        api_versions: CORE_VERSIONS,
        spec: &[
            req("owner", Shape::Str),
            opt("subdomainOf", Shape::Str),
            opt("type", Shape::Str),
        ],
        relations: &[
            OWNER,
            rel("subdomainOf", Some("Domain"), &["domain"], "partOf"),
        ],
    },
    KindSpec {
        kind: "Group",
        api_versions: CORE_VERSIONS,
        spec: &[
            req("type", Shape::Str),
            opt("profile", Shape::Object(PROFILE, None)),
            opt("parent", Shape::Str),
            req("children", Shape::StrList),
            opt("members", Shape::StrList),
        ],
        relations: &[
            rel("parent", Some("Group"), &["group"], "childOf"),
            rel("children", Some("Group"), &["group"], "parentOf"),
            rel("members", Some("User"), &["user"], "hasMember"),
        ],
    },
    KindSpec {
        kind: "User",
        api_versions: CORE_VERSIONS,
        spec: &[
            opt("profile", Shape::Object(PROFILE, None)),
            req("memberOf", Shape::StrList),
        ],
        relations: &[rel("memberOf", Some("Group"), &["group"], "memberOf")],
    },
    KindSpec {
        kind: "Location",
        api_versions: CORE_VERSIONS,
        spec: &[
            opt("type", Shape::Str),
            opt("target", Shape::Str),
            opt("targets", Shape::StrList),
            opt("presence", Shape::Enum(&["required", "optional"])),
        ],
        relations: &[],
    },
    KindSpec {
        kind: "Template",
        api_versions: TEMPLATE_VERSIONS,
        spec: &[
            req("type", Shape::Str),
            opt("owner", Shape::Str),
            opt("lifecycle", Shape::Str),
            opt("parameters", Shape::ObjectOrObjectList(TEMPLATE_PAGE)),
            opt(
                "secrets",
                Shape::Object(&[opt("schema", Shape::Object(&[], None))], None),
            ),
            opt(
                "presentation",
                Shape::Object(
                    &[opt(
                        "buttonLabels",
                        Shape::Object(
                            &[
                                opt("backButtonText", Shape::AnyStr),
                                opt("createButtonText", Shape::AnyStr),
                                opt("reviewButtonText", Shape::AnyStr),
                            ],
                            None,
                        ),
                    )],
                    None,
                ),
            ),
            opt(
                "EXPERIMENTAL_recovery",
                Shape::Object(&[opt("EXPERIMENTAL_strategy", Shape::AnyStr)], None),
            ),
            opt("formDecorators", Shape::ObjectList(DECORATOR)),
            opt("EXPERIMENTAL_formDecorators", Shape::ObjectList(DECORATOR)),
            req("steps", Shape::ObjectList(TEMPLATE_STEP)),
            opt(
                "output",
                Shape::Object(
                    &[
                        opt("links", Shape::ObjectList(OUTPUT_LINK)),
                        opt("text", Shape::ObjectList(OUTPUT_TEXT)),
                    ],
                    Some(&Shape::AnyStr),
                ),
            ),
        ],
        relations: &[rel("owner", Some("Group"), OWNER_KINDS, "ownedBy")],
    },
];

/// The built-in kind for an exact (case-sensitive) kind and apiVersion pair.
pub fn builtin(kind: &str, api_version: &str) -> Option<&'static KindSpec> {
    KINDS
        .iter()
        .find(|k| k.kind == kind && k.api_versions.contains(&api_version))
}

/// A built-in kind with the same name ignoring case, for "did you mean" hints.
pub fn similar_kind(kind: &str) -> Option<&'static KindSpec> {
    KINDS
        .iter()
        .find(|k| k.kind.eq_ignore_ascii_case(kind))
        .or_else(|| KINDS.iter().find(|k| crate::suggest::near(k.kind, kind, 2)))
}

/// The kinds a reference field may point at, by relation field name (for kinds configured by the user too).
pub fn kind_label(kinds: &[&str]) -> String {
    kinds.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatch_is_case_sensitive() {
        assert!(builtin("Component", "backstage.io/v1alpha1").is_some());
        assert!(builtin("component", "backstage.io/v1alpha1").is_none());
        assert!(builtin("Template", "scaffolder.backstage.io/v1beta2").is_none());
        assert_eq!(
            similar_kind("Componnent").map(|k| k.kind),
            Some("Component")
        );
        assert_eq!(similar_kind("component").map(|k| k.kind), Some("Component"));
    }
}
