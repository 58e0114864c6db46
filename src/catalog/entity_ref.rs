//! Entity references: `[<kind>:][<namespace>/]<name>` (catalog-model `ref.ts`).

use std::fmt;

/// A fully qualified reference, `kind:namespace/name`. Comparison is case-insensitive, so it is
/// kept lowercase; one allocation holds all three parts (catalogs hold hundreds of thousands).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    full: Box<str>,
    colon: u32,
    slash: u32,
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
        let mut full = String::with_capacity(kind.len() + namespace.len() + name.len() + 2);
        full.push_str(&kind.to_lowercase());
        let colon = full.len() as u32;
        full.push(':');
        full.push_str(&namespace.to_lowercase());
        let slash = full.len() as u32;
        full.push('/');
        full.push_str(&name.to_lowercase());
        EntityRef {
            full: full.into_boxed_str(),
            colon,
            slash,
        }
    }

    pub fn kind(&self) -> &str {
        &self.full[..self.colon as usize]
    }

    pub fn namespace(&self) -> &str {
        &self.full[self.colon as usize + 1..self.slash as usize]
    }

    pub fn name(&self) -> &str {
        &self.full[self.slash as usize + 1..]
    }

    pub fn as_str(&self) -> &str {
        &self.full
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
        let Written {
            kind,
            namespace,
            name,
        } = written_form(input);
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

/// How a reference was written: the kind and namespace it names itself (None: inherited from
/// the field's default kind or the entity's namespace), so a new reference keeps the same form.
pub struct Written<'a> {
    pub kind: Option<&'a str>,
    pub namespace: Option<&'a str>,
    pub name: &'a str,
}

/// The parts `text` writes out, split by Backstage's rule (a `/` before the first `:` makes the
/// colon part of the name).
pub fn written_form(text: &str) -> Written<'_> {
    let colon = text.find(':');
    let slash = text.find('/');
    let colon = match (colon, slash) {
        (Some(c), Some(s)) if s < c => None,
        (c, _) => c,
    };
    let (kind, rest) = match colon {
        Some(c) => (Some(&text[..c]), &text[c + 1..]),
        None => (None, text),
    };
    let (namespace, name) = match rest.find('/') {
        Some(s) => (Some(&rest[..s]), &rest[s + 1..]),
        None => (None, rest),
    };
    Written {
        kind,
        namespace,
        name,
    }
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full)
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
