//! Entity references: `[<kind>:][<namespace>/]<name>` (catalog-model `ref.ts`).

use std::fmt;

/// A fully qualified reference. Comparison is case-insensitive, so the parts are kept lowercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    Empty,
    Malformed,
    MissingKind,
}

impl RefError {
    pub fn message(&self, input: &str) -> String {
        match self {
            RefError::Empty => "entity reference must not be empty".to_string(),
            RefError::Malformed => {
                format!(
                    "entity reference \"{input}\" is not of the form [<kind>:][<namespace>/]<name>"
                )
            }
            RefError::MissingKind => format!(
                "entity reference \"{input}\" has no kind, and this field has no default kind (write the kind, e.g. \"resource:{input}\" or \"component:{input}\")"
            ),
        }
    }
}

pub const DEFAULT_NAMESPACE: &str = "default";

impl EntityRef {
    pub fn new(kind: &str, namespace: &str, name: &str) -> Self {
        EntityRef {
            kind: kind.to_ascii_lowercase(),
            namespace: namespace.to_ascii_lowercase(),
            name: name.to_lowercase(),
        }
    }

    /// Parses with Backstage's rules: a `/` before the first `:` makes the colon part of the name;
    /// a missing kind or namespace comes from the context.
    pub fn parse(
        input: &str,
        default_kind: Option<&str>,
        default_namespace: &str,
    ) -> Result<EntityRef, RefError> {
        if input.is_empty() {
            return Err(RefError::Empty);
        }
        let colon = input.find(':');
        let slash = input.find('/');
        let colon = match (colon, slash) {
            (Some(c), Some(s)) if s < c => None,
            (c, _) => c,
        };
        let (kind, rest) = match colon {
            Some(c) => (Some(&input[..c]), &input[c + 1..]),
            None => (None, input),
        };
        let (namespace, name) = match rest.find('/') {
            Some(s) => (Some(&rest[..s]), &rest[s + 1..]),
            None => (None, rest),
        };
        if kind == Some("") || namespace == Some("") || name.is_empty() {
            return Err(RefError::Malformed);
        }
        let kind = match kind.or(default_kind) {
            Some(k) => k,
            None => return Err(RefError::MissingKind),
        };
        Ok(EntityRef::new(
            kind,
            namespace.unwrap_or(default_namespace),
            name,
        ))
    }
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.kind, self.namespace, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<String, RefError> {
        EntityRef::parse(s, Some("Group"), "payments").map(|r| r.to_string())
    }

    #[test]
    fn backstage_examples() {
        assert_eq!(p("team-a").unwrap(), "group:payments/team-a");
        assert_eq!(p("default/team-a").unwrap(), "group:default/team-a");
        assert_eq!(p("a/b:c").unwrap(), "group:a/b:c");
        assert_eq!(p("User:Jdoe").unwrap(), "user:payments/jdoe");
        assert_eq!(p("ns/a/b").unwrap(), "group:ns/a/b");
        assert_eq!(p("user:"), Err(RefError::Malformed));
        assert_eq!(p("x/"), Err(RefError::Malformed));
        assert_eq!(p("kind:/x"), Err(RefError::Malformed));
        assert_eq!(p(""), Err(RefError::Empty));
        assert_eq!(
            EntityRef::parse("my-db", None, "default"),
            Err(RefError::MissingKind)
        );
    }
}
