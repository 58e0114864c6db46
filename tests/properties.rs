//! Property tests: format validators agree with Backstage's regexes, references round-trip,
//! the loader never panics and its spans point at the text they describe.

use callboard::catalog::entity::{self, Context};
use callboard::catalog::entity_ref::EntityRef;
use callboard::catalog::format::{self, Formats};
use callboard::yaml::{self, Value};
use proptest::prelude::*;
use regex::Regex;

fn name_regex() -> Regex {
    Regex::new(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$").unwrap()
}

proptest! {
    #[test]
    fn names_match_backstage_regex(s in "[-A-Za-z0-9_. !äA]{0,70}") {
        let expected = name_regex().is_match(&s) && s.chars().count() <= 63;
        prop_assert_eq!(format::is_object_name(&s, 63), expected);
    }

    #[test]
    fn tags_match_backstage_regex(s in "[-a-zA-Z0-9:+# ]{0,70}") {
        let re = Regex::new(r"^[a-z0-9:+#]+(\-[a-z0-9:+#]+)*$").unwrap();
        let expected = re.is_match(&s) && !s.is_empty() && s.chars().count() <= 63;
        prop_assert_eq!(format::is_tag(&s, 63), expected);
    }

    #[test]
    fn dns_labels_match_backstage_regex(s in "[-a-zA-Z0-9_]{0,70}") {
        let re = Regex::new(r"^[a-z0-9]+(?:\-+[a-z0-9]+)*$").unwrap();
        let expected = re.is_match(&s) && s.len() <= 63;
        prop_assert_eq!(format::is_dns_label(&s, 63), expected);
    }

    #[test]
    fn entity_refs_round_trip(kind in "[a-zA-Z][a-zA-Z0-9]{0,10}", ns in "[a-z0-9]{1,8}(-[a-z0-9]{1,4})?", name in "[a-zA-Z0-9][-a-zA-Z0-9_.]{0,20}") {
        let parsed = EntityRef::parse(&format!("{kind}:{ns}/{name}"), None, "default").unwrap();
        let again = EntityRef::parse(&parsed.to_string(), None, "default").unwrap();
        prop_assert_eq!(&parsed, &again);
        prop_assert_eq!(parsed.kind(), kind.to_ascii_lowercase());
        // Short forms take the field's default kind and the entity's namespace.
        let short = EntityRef::parse(&name, Some("Group"), &ns).unwrap();
        prop_assert_eq!(short.to_string(), format!("group:{ns}/{}", name.to_lowercase()));
    }

    #[test]
    fn loader_never_panics(s in "\\PC{0,200}") {
        let _ = yaml::parse_stream(&s);
    }

    #[test]
    fn loader_never_panics_on_yaml_like_text(s in "([a-z]{1,3}|[:\\-\\[\\]{}&*!|>'\"#%@`,?]|  |\n|\t| ){0,80}") {
        let stream = yaml::parse_stream(&s);
        let formats = Formats::default();
        let ctx = Context { dir: std::path::Path::new("."), root: std::path::Path::new("."), formats: &formats, custom_kinds: &[], same_repo: None, placeholders: &[] };
        for d in &stream.documents {
            let _ = entity::check(&d.document.root, &ctx);
        }
    }

    #[test]
    fn scalar_spans_slice_back_to_their_text(keys in prop::collection::btree_set("[a-z]{1,8}", 1..6), values in prop::collection::vec("[a-zA-Z][a-zA-Z0-9 ._-]{0,12}[a-zA-Z0-9]", 6)) {
        let mut src = String::from("# leading comment\n");
        for (k, v) in keys.iter().zip(values.iter()) {
            src.push_str(&format!("{k}:   {v}\n"));
        }
        let stream = yaml::parse_stream(&src);
        prop_assert!(stream.fatal.is_none());
        let root = &stream.documents[0].document.root;
        let lines: Vec<&str> = src.lines().collect();
        for (k, v) in keys.iter().zip(values.iter()) {
            let node = root.get(k).unwrap();
            let Value::String(text) = &node.value else { continue };
            let line = lines[node.span.start.line as usize - 1];
            let from = node.span.start.column as usize - 1;
            prop_assert_eq!(&line[from..from + text.len()], v.as_str());
        }
    }
}
