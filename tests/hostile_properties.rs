//! Fuzz-style property tests, on stable Rust, for every parser reachable from untrusted input:
//! the catalog YAML loader and per-file checks (with placeholders), scorecards, `--where`
//! filters, Backstage's `--filter` syntax, `# callboard-ignore` comments, `--shard` and
//! template expressions. Each generator mixes ordinary syntax with the hostile
//! shapes of issue 12 (deep nesting, aliases, CR-only line ends, long chains), and each
//! property is more than "does not panic": every reported position lies inside the input.
//!
//! Few cases by default so `cargo test` stays quick; `PROPTEST_CASES=10000 cargo test --test
//! hostile_properties` runs a longer campaign.

use std::path::Path;

use callboard::catalog::load::{FileOptions, check_text};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Lines as YAML counts them: LF, CRLF and a lone CR each end one.
fn yaml_lines(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u32 + 1
}

/// YAML-like text: tokens of block and flow syntax, anchors and aliases, placeholders,
/// every kind of line end, and now and then a run of nesting far past the depth limit.
fn yaml_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just(
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n"
                .to_string()
        ),
        Just("spec:\n  owner: ".to_string()),
        Just("- ".to_string()),
        Just("  ".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\r\n".to_string()),
        Just("---\n".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(": ".to_string()),
        Just(", ".to_string()),
        Just("$yaml: ./x.yaml".to_string()),
        Just("$json: ../../etc/passwd".to_string()),
        Just("$text: /dev/zero".to_string()),
        Just("\"q\\n\"".to_string()),
        Just("'s'".to_string()),
        Just("|\n  block\n".to_string()),
        Just("\t".to_string()),
        Just("é".to_string()),
        (1usize..400).prop_map(|n| "- ".repeat(n)),
        (1usize..400).prop_map(|n| "[".repeat(n)),
        "[a-z]{1,6}",
    ];
    prop::collection::vec(token, 0..60).prop_map(|parts| parts.concat())
}

fn depth(f: &callboard::bulk::filter::Filter) -> usize {
    use callboard::bulk::filter::Filter;
    match f {
        Filter::All | Filter::Term(_) => 1,
        Filter::Not(inner) => 1 + depth(inner),
        Filter::And(items) | Filter::Or(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn loader_positions_lie_inside_the_input(text in yaml_text()) {
        let lines = yaml_lines(&text);
        let stream = callboard::yaml::parse_stream(&text);
        if let Some(fatal) = &stream.fatal {
            prop_assert!(fatal.pos.line >= 1 && fatal.pos.line <= lines, "{fatal:?} in {lines} lines");
        }
        for doc in &stream.documents {
            for e in &doc.errors {
                prop_assert!(e.pos.line >= 1 && e.pos.line <= lines, "{e:?}");
            }
        }
    }

    #[test]
    fn file_checks_locate_every_finding_inside_the_file(text in yaml_text()) {
        let lines = yaml_lines(&text);
        let config = callboard::config::Config::default();
        let opts = FileOptions::new(&config);
        // A directory that does not exist: placeholders must not read anything real.
        let report = check_text(Path::new("/nonexistent/catalog-info.yaml"), text.clone(), &opts);
        for d in &report.diagnostics {
            if let Some(span) = d.span {
                prop_assert!(span.start.line >= 1 && span.start.line <= lines, "{d:?} in {lines} lines");
            }
        }
    }

    #[test]
    fn scorecard_errors_are_located_inside_the_file(
        rules in prop::collection::vec(
            prop_oneof![
                Just("    - id: r\n      check: {fact: entity.metadata.name, op: exists}\n".to_string()),
                Just("    - id: r\n      check: {expr: \"a ~ \"}\n".to_string()),
                Just("    - id: r\n      check: {op: matches, value: \"(\"}\n".to_string()),
                (1usize..300).prop_map(|n| format!("    - id: deep\n      check:\n{}", (0..n).map(|i| format!("{}not:\n", "  ".repeat(i + 4))).collect::<String>())),
                "[ -~]{0,20}\n",
            ],
            0..6,
        )
    ) {
        let text = format!(
            "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: c\nspec:\n  rules:\n{}",
            rules.concat()
        );
        let lines = yaml_lines(&text);
        if let Err(errors) = callboard::score::model::parse_scorecards(Path::new("card.yaml"), &text) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(e.line <= lines, "{e} in {lines} lines");
            }
        }
    }

    #[test]
    fn where_filters_parse_or_fail_without_crashing(
        parts in prop::collection::vec(
            prop_oneof![
                Just("kind=Component".to_string()),
                Just("spec.owner~^(a|b)".to_string()),
                Just("ownedBy=group:a".to_string()),
                Just(" and ".to_string()),
                Just(" or ".to_string()),
                Just("not ".to_string()),
                Just("(".to_string()),
                Just(")".to_string()),
                Just("\"".to_string()),
                (1usize..400).prop_map(|n| "(".repeat(n)),
                (1usize..400).prop_map(|n| "not ".repeat(n)),
                "[ -~]{0,8}",
            ],
            0..30,
        )
    ) {
        let filter = parts.concat();
        match callboard::bulk::filter::parse(&filter) {
            // What parses is within the nesting bound (chains are flat, so only `not` and
            // parentheses add levels).
            Ok(parsed) => prop_assert!(depth(&parsed) <= callboard::bulk::filter::MAX_FILTER_DEPTH + 1),
            Err(message) => prop_assert!(!message.is_empty()),
        }
    }

    #[test]
    fn backstage_filters_parse_to_lowercase_statements_or_fail_with_a_message(
        text in "([a-zA-Z./:=,_ -]|[\\u{80}-\\u{2FF}]){0,60}",
        yaml in yaml_text(),
    ) {
        match callboard::bulk::backstage_filter::parse(&text) {
            Ok(statements) => {
                prop_assert!(!statements.is_empty());
                for st in &statements {
                    prop_assert!(!st.key.is_empty());
                    prop_assert_eq!(&st.key, &st.key.to_lowercase());
                }
                // Matching any document never panics.
                if let Some(doc) = callboard::yaml::parse_stream(&yaml).documents.first() {
                    let rows = callboard::bulk::backstage_filter::search_rows(&doc.document.root, &[]);
                    let _ = callboard::bulk::backstage_filter::matches(&statements, &rows);
                }
            }
            Err(message) => prop_assert!(!message.is_empty()),
        }
    }

    #[test]
    fn suppression_comments_point_inside_the_file(
        text in yaml_text(),
        comments in prop::collection::vec(
            prop_oneof![
                Just("# callboard-ignore\n".to_string()),
                Just("  # callboard-ignore: unresolved-ref, bogus -- why\n".to_string()),
                Just("a: 'x # callboard-ignore' # callboard-ignore: invalid-tag\n".to_string()),
                Just("---\n".to_string()),
                Just("b: \"# callboard-ignore\"\n".to_string()),
            ],
            0..6,
        ),
    ) {
        let text = format!("{}{text}", comments.concat());
        let lines = text.lines().count() as u32;
        let starts: Vec<u32> = callboard::yaml::parse_stream(&text)
            .documents
            .iter()
            .map(|d| d.document.root.span.start.line)
            .collect();
        for d in callboard::catalog::suppress::parse(&text, &starts) {
            prop_assert!(d.line >= 1 && d.line <= lines.max(1), "{d:?} outside {lines} lines");
            match d.scope {
                callboard::catalog::suppress::Scope::Line(l) => prop_assert!(l >= d.line && l <= lines),
                callboard::catalog::suppress::Scope::Document(i) => prop_assert!(i < starts.len()),
                callboard::catalog::suppress::Scope::Nothing => {}
            }
        }
    }

    #[test]
    fn shards_parse_only_within_their_count(text in "[0-9/ ]{0,12}") {
        if let Ok(shard) = text.parse::<callboard::scaffold::fleet::Shard>() {
            prop_assert!(shard.index >= 1 && shard.index <= shard.count);
        }
    }

    #[test]
    fn template_expressions_render_or_fail_with_a_line_inside_the_template(
        lead in "(\n){0,3}",
        parts in prop::collection::vec(
            prop_oneof![
                Just("x".to_string()),
                Just("1".to_string()),
                Just("'s'".to_string()),
                Just(" + ".to_string()),
                Just(" ~ ".to_string()),
                Just(" or ".to_string()),
                Just(" and not ".to_string()),
                Just("(".to_string()),
                Just(")".to_string()),
                Just("[1, 2]".to_string()),
                Just(".length".to_string()),
                Just(" | dump".to_string()),
                Just(" | join('-')".to_string()),
                Just(".concat([x, x])".to_string()),
                (1usize..300).prop_map(|n| "(".repeat(n)),
                (1usize..700).prop_map(|n| vec!["x"; n].join(" + ")),
                "[ -~]{0,6}",
            ],
            0..12,
        )
    ) {
        let source = format!("{lead}${{{{ {} }}}}\n", parts.concat());
        let lines = source.matches('\n').count() + 1;
        let renderer = callboard::scaffold::render::Renderer::new(Default::default());
        let context = serde_json::json!({"x": ["a", "b"]});
        match renderer.render_str(&source, &context) {
            Ok(out) => prop_assert!(out.len() <= callboard::scaffold::render::budget::MAX_OUTPUT_BYTES),
            Err(e) => {
                prop_assert!(!e.message.is_empty());
                if let Some(line) = e.line {
                    prop_assert!(line >= 1 && line <= lines, "line {line} of {lines}: {}", e.message);
                }
            }
        }
    }
}
