//! Property tests for the textual edit engine: whatever the layout of the file (block or flow
//! collections, quoting, comments, CRLF), an edit is either refused or yields YAML that parses,
//! holds the intended value, and leaves every other field as it was.

use callboard::bulk::ops::{self, Operation};
use callboard::bulk::patch::{self, Source};
use callboard::yaml::{self, Node};
use proptest::prelude::*;

/// Builds a Component document in one of several layouts.
#[derive(Debug, Clone)]
struct Layout {
    flow_tags: bool,
    flow_annotations: bool,
    quote: u8,
    comments: bool,
    crlf: bool,
    tags: Vec<String>,
    annotations: Vec<(String, String)>,
}

fn quoted(s: &str, style: u8) -> String {
    match style {
        1 => format!("\"{s}\""),
        2 => format!("'{s}'"),
        _ => s.to_string(),
    }
}

fn render(l: &Layout) -> String {
    let c = |text: &str| {
        if l.comments {
            format!("  # {text}")
        } else {
            String::new()
        }
    };
    let mut out = String::from("apiVersion: backstage.io/v1alpha1\nkind: Component\n");
    out.push_str(&format!("metadata:{}\n  name: svc\n", c("meta")));
    if !l.annotations.is_empty() {
        if l.flow_annotations {
            let items: Vec<String> = l
                .annotations
                .iter()
                .map(|(k, v)| format!("{k}: {}", quoted(v, l.quote)))
                .collect();
            out.push_str(&format!(
                "  annotations: {{{}}}{}\n",
                items.join(", "),
                c("flow")
            ));
        } else {
            out.push_str("  annotations:\n");
            for (k, v) in &l.annotations {
                out.push_str(&format!("    {k}: {}{}\n", quoted(v, l.quote), c("a")));
            }
        }
    }
    if !l.tags.is_empty() {
        if l.flow_tags {
            out.push_str(&format!("  tags: [{}]{}\n", l.tags.join(", "), c("tags")));
        } else {
            out.push_str("  tags:\n");
            for t in &l.tags {
                out.push_str(&format!("    - {t}{}\n", c("t")));
            }
        }
    }
    out.push_str("spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n");
    if l.crlf {
        out.replace('\n', "\r\n")
    } else {
        out
    }
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        any::<bool>(),
        any::<bool>(),
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        prop::collection::btree_set("[a-z]{2,6}", 0..4),
        prop::collection::btree_map("[a-z]{2,5}\\.io/[a-z]{2,6}", "[a-z][a-z0-9-]{0,8}", 0..4),
    )
        .prop_map(
            |(flow_tags, flow_annotations, quote, comments, crlf, tags, annotations)| Layout {
                flow_tags,
                flow_annotations,
                quote,
                comments,
                crlf,
                tags: tags.into_iter().collect(),
                annotations: annotations.into_iter().collect(),
            },
        )
}

/// An operation on this layout: often on fields that exist (so it does something).
fn case() -> impl Strategy<Value = (Layout, Operation)> {
    layout().prop_flat_map(|l| {
        let keys: Vec<String> = l.annotations.iter().map(|(k, _)| k.clone()).collect();
        let tags = l.tags.clone();
        let existing_key = if keys.is_empty() {
            Just("none.io/none".to_string()).boxed()
        } else {
            prop::sample::select(keys).boxed()
        };
        let existing_tag = if tags.is_empty() {
            Just("none".to_string()).boxed()
        } else {
            prop::sample::select(tags).boxed()
        };
        let existing = prop_oneof![
            existing_key.clone().prop_map(|k| Operation::Unset {
                path: vec!["metadata".into(), "annotations".into(), k]
            }),
            (existing_key, "[a-zA-Z0-9 ,:#'-]{0,10}").prop_map(|(k, v)| Operation::Set {
                path: vec!["metadata".into(), "annotations".into(), k],
                value: patch::yaml_string(&v),
            }),
            existing_tag.clone().prop_map(Operation::RemoveTag),
            // The generic list operations, on the tags list the layouts vary most.
            existing_tag.prop_map(|t| Operation::RemoveItem {
                path: vec!["metadata".into(), "tags".into()],
                value: t
            }),
            "[a-z]{1,6}".prop_map(|t| Operation::AddItem {
                path: vec!["metadata".into(), "tags".into()],
                value: t
            }),
            (
                prop::sample::select(vec!["description", "title"]),
                "[a-z ]{1,8}"
            )
                .prop_map(|(k, v)| Operation::SetIfMissing {
                    path: vec!["metadata".into(), k.into()],
                    value: patch::yaml_string(&v),
                }),
        ];
        (Just(l), prop_oneof![operation(), existing])
    })
}

fn operation() -> impl Strategy<Value = Operation> {
    prop_oneof![
        ("[a-z]{2,6}", "[a-zA-Z0-9 ,:#-]{0,10}").prop_map(|(k, v)| Operation::Set {
            path: vec!["metadata".into(), "annotations".into(), format!("x.io/{k}")],
            value: patch::yaml_string(&v),
        }),
        "[a-z]{2,6}".prop_map(Operation::AddTag),
        "[a-z]{2,6}".prop_map(Operation::RemoveTag),
        "[a-z]{2,5}\\.io/[a-z]{2,6}".prop_map(|k| Operation::Unset {
            path: vec!["metadata".into(), "annotations".into(), k],
        }),
        "[a-z]{1,8}".prop_map(|v| Operation::Set {
            path: vec!["spec".into(), "lifecycle".into()],
            value: patch::yaml_string(&v),
        }),
    ]
}

fn parse(text: &str) -> Node {
    let stream = yaml::parse_stream(text);
    assert!(
        stream.fatal.is_none(),
        "edited text does not parse: {:?}\n{text}",
        stream.fatal
    );
    assert_eq!(stream.documents.len(), 1);
    assert!(
        stream.documents[0].errors.is_empty(),
        "{:?}\n{text}",
        stream.documents[0].errors
    );
    stream.documents.into_iter().next().unwrap().document.root
}

/// The entity as JSON with `path` removed (for "nothing else changed").
fn without(root: &Node, path: &[&str]) -> serde_json::Value {
    let mut json = root.to_json();
    let mut cur = &mut json;
    for (i, seg) in path.iter().enumerate() {
        if i + 1 == path.len() {
            if let Some(map) = cur.as_object_mut() {
                map.remove(*seg);
            }
            break;
        }
        match cur.get_mut(*seg) {
            Some(next) => cur = next,
            None => break,
        }
    }
    // An emptied parent may be removed along with its last child.
    if let Some(meta) = json.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        for key in ["annotations", "tags"] {
            if meta.get(key).is_some_and(|v| {
                v.as_object().is_some_and(|o| o.is_empty())
                    || v.as_array().is_some_and(|a| a.is_empty())
            }) {
                meta.remove(key);
            }
        }
    }
    json
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn edits_are_refused_or_exact((l, op) in case()) {
        let text = render(&l);
        let before = parse(&text);
        let src = Source::new(&text);
        let Ok(planned) = ops::plan(&src, &before, &op) else { return Ok(()) };
        let Some((edits, _)) = planned else { return Ok(()) };
        let new_text = patch::apply(&text, edits).expect("edits do not overlap");
        let after = parse(&new_text);
        if l.crlf {
            prop_assert!(!new_text.replace("\r\n", "").contains('\n'), "mixed line endings:\n{new_text:?}");
        }
        match &op {
            Operation::Set { path, value } => {
                let want = yaml::parse_stream(&format!("v: {value}\n")).documents[0].document.root.get("v").unwrap().to_json();
                let got = after.pointer(&format!("/{}", path.iter().map(|s| yaml::escape_token(s)).collect::<Vec<_>>().join("/"))).map(Node::to_json);
                prop_assert_eq!(got, Some(want));
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                prop_assert_eq!(without(&before, &p), without(&after, &p));
            }
            Operation::Unset { path } => {
                let pointer = format!("/{}", path.iter().map(|s| yaml::escape_token(s)).collect::<Vec<_>>().join("/"));
                prop_assert!(after.pointer(&pointer).is_none());
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                prop_assert_eq!(without(&before, &p), without(&after, &p));
            }
            Operation::AddTag(tag) | Operation::RemoveTag(tag) => {
                let tags = |n: &Node| -> Vec<String> {
                    n.pointer("/metadata/tags").and_then(Node::as_seq).unwrap_or_default().iter().filter_map(|t| t.as_str().map(str::to_string)).collect()
                };
                let mut expected = tags(&before);
                if matches!(op, Operation::AddTag(_)) {
                    if !expected.contains(tag) { expected.push(tag.clone()); }
                } else {
                    expected.retain(|t| t != tag);
                }
                prop_assert_eq!(tags(&after), expected);
                prop_assert_eq!(without(&before, &["metadata", "tags"]), without(&after, &["metadata", "tags"]));
            }
            Operation::AddItem { path, value } | Operation::RemoveItem { path, value } => {
                let pointer = format!("/{}", path.join("/"));
                let items = |n: &Node| -> Vec<String> {
                    n.pointer(&pointer).and_then(Node::as_seq).unwrap_or_default().iter().filter_map(|t| t.as_str().map(str::to_string)).collect()
                };
                let mut expected = items(&before);
                if matches!(op, Operation::AddItem { .. }) {
                    if !expected.contains(value) { expected.push(value.clone()); }
                } else if let Some(i) = expected.iter().position(|t| t == value) {
                    expected.remove(i);
                }
                prop_assert_eq!(items(&after), expected);
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                prop_assert_eq!(without(&before, &p), without(&after, &p));
            }
            Operation::SetIfMissing { path, value } => {
                let pointer = format!("/{}", path.join("/"));
                match before.pointer(&pointer) {
                    // An existing value is never changed: no edit is planned at all.
                    Some(_) => prop_assert!(false, "an edit was planned for an existing {pointer}"),
                    None => {
                        let want = yaml::parse_stream(&format!("v: {value}\n")).documents[0].document.root.get("v").unwrap().to_json();
                        prop_assert_eq!(after.pointer(&pointer).map(Node::to_json), Some(want));
                    }
                }
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                prop_assert_eq!(without(&before, &p), without(&after, &p));
            }
            Operation::RenameAnnotation { .. } => {}
        }
    }
}

proptest! {
    #[test]
    fn filters_never_panic(s in "[a-zA-Z.()=!~\\[\\]\"' :/-]{0,40}") {
        let _ = callboard::bulk::filter::parse(&s);
    }
}

/// A file of several documents, each in its own layout (line endings may differ between them),
/// separated in the ways real files are.
fn multi_document() -> impl Strategy<Value = (String, usize)> {
    prop::collection::vec((layout(), 0u8..4), 1..7).prop_map(|docs| {
        let count = docs.len();
        let mut text = String::new();
        for (i, (l, separator)) in docs.iter().enumerate() {
            let nl = if l.crlf { "\r\n" } else { "\n" };
            if i > 0 || separator % 2 == 1 {
                match separator {
                    0 | 1 => text.push_str(&format!("---{nl}")),
                    2 => text.push_str(&format!("---{nl}# next entity{nl}{nl}")),
                    _ => text.push_str(&format!("...{nl}---{nl}")),
                }
            }
            text.push_str(&render(l));
        }
        (text, count)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Many documents edited at once give exactly the bytes, changes and refusals of planning
    /// each (operation, document) on a fresh parse of the text the previous one left.
    #[test]
    fn many_documents_of_one_file_match_one_at_a_time(
        (text, count) in multi_document(),
        order in prop::collection::vec(0usize..8, 1..12),
        operations in prop::collection::vec(operation(), 1..4),
    ) {
        // Document indices in any order, possibly repeated or past the end (skipped).
        let documents: Vec<(usize, String)> = order
            .iter()
            .map(|i| (i % (count + 1), format!("entity-{i}")))
            .collect();
        let fast = callboard::yaml::batch::edit_documents(&text, None, &documents, &operations);
        let reference = callboard::yaml::batch::edit_sequential(&text, &documents, &operations);
        prop_assert_eq!(&fast, &reference);
        // Planning on documents the caller parsed already gives the same.
        let stream = yaml::parse_stream(&text);
        let roots: Vec<&Node> = stream.documents.iter().map(|d| &d.document.root).collect();
        let single = &documents[..1];
        prop_assert_eq!(
            callboard::yaml::batch::edit_documents(&text, Some(&roots), single, &operations),
            callboard::yaml::batch::edit_sequential(&text, single, &operations)
        );
        prop_assert_eq!(
            callboard::yaml::batch::edit_documents(&text, Some(&roots), &documents, &operations),
            reference
        );
    }
}
