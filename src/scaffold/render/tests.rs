use super::*;
use serde_json::json;

fn r() -> Renderer {
    Renderer::new(RenderOptions::default())
}

fn render(src: &str, ctx: serde_json::Value) -> String {
    r().render_str(src, &ctx)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
}

#[test]
fn smoke() {
    assert_eq!(render("a ${{ x }} {{ y }}", json!({"x": 1})), "a 1 {{ y }}");
}

/// Every case in `testdata/nunjitsu_expected.json` was rendered by nunjitsu
/// 0.7.0 configured like Backstage (scaffolder-backend 4.3.0, default filters,
/// no integrations config) with `testdata/gen_expected.cjs`. Cases listed in
/// `KNOWN_DIFFERENCES` are documented differences.
#[test]
fn matches_nunjitsu() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("testdata/nunjitsu_expected.json")).unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let t = case["t"].as_str().unwrap();
        if KNOWN_DIFFERENCES.contains(&t) {
            continue;
        }
        let opts = &case["opts"];
        let renderer = Renderer::new(RenderOptions {
            syntax: if opts["cookiecutterCompat"] == json!(true) {
                Syntax::Cookiecutter
            } else {
                Syntax::Backstage
            },
            trim_blocks: opts["trimBlocks"] == json!(true),
            lstrip_blocks: opts["lstripBlocks"] == json!(true),
            seed: 0,
            ..RenderOptions::default()
        });
        let ctx = case.get("ctx").cloned().unwrap_or(json!({}));
        let got: serde_json::Value = if case["mode"] == json!("value") {
            match renderer.render_value_str(t, &ctx) {
                Ok(None) => json!({"undef": true}),
                Ok(Some(v)) => json!({ "value": v }),
                Err(e) => json!({"err": e.message, "line": e.line}),
            }
        } else {
            match renderer.render_str(t, &ctx) {
                Ok(s) => json!({ "ok": s }),
                Err(e) => json!({"err": e.message, "line": e.line}),
            }
        };
        let ok = if let Some(exp_err) = case.get("err") {
            // Errors: same line; message wording differs.
            got.get("err").is_some() && (case["line"] == got["line"] || case["line"].is_null()) || {
                let _ = exp_err;
                false
            }
        } else {
            ["ok", "value", "undef"]
                .iter()
                .all(|k| case.get(*k) == got.get(*k))
        };
        if !ok {
            failures.push(format!("{t:?}\n  nunjitsu: {case}\n  ours:     {got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Templates whose nunjitsu output we do not match (see the module docs).
const KNOWN_DIFFERENCES: &[&str] = &[];

#[test]
fn render_value_types_and_drops() {
    // Confirmed with nunjitsu 0.7.0 renderValue(..., {coercion: 'json'}).
    let r = r();
    let ctx = json!({"p": {"n": 1, "b": true, "s": "123", "e": "", "l": ["a"]}});
    let input = json!({
        "n": "${{ p.n }}", "b": "${{ p.b }}", "s": "${{ p.s }}", "e": "${{ p.e }}",
        "missing": "${{ p.nope }}", "literal": "${{ '' }}", "mixed": "v${{ p.n }}",
        "list": ["${{ p.l }}", "${{ p.nope }}", 3], "nested": {"x": "${{ p.b }}"}
    });
    let out = r.render_value(&input, &ctx).unwrap().unwrap();
    assert_eq!(
        out,
        json!({"n": 1, "b": true, "s": "123", "e": "", "literal": "", "mixed": "v1",
               "list": [["a"], null, 3], "nested": {"x": true}})
    );
    assert_eq!(r.eval_expression(" p.nope ", &ctx).unwrap(), None);
    assert_eq!(r.eval_expression("none", &ctx).unwrap(), Some(json!(null)));
    assert_eq!(r.eval_expression("p.l", &ctx).unwrap(), Some(json!(["a"])));
}

#[test]
fn render_value_lenient_keeps_raw_string() {
    let r = r();
    let input = json!({"a": "${{ x | nofilter }}", "b": "${{ 1 }}"});
    let (out, errors) = r.render_value_lenient(&input, &json!({}));
    assert_eq!(out, Some(json!({"a": "${{ x | nofilter }}", "b": 1})));
    assert_eq!(errors.len(), 1);
    assert!(r.render_value(&input, &json!({})).is_err());
}

#[test]
fn single_expression_and_truthy() {
    assert_eq!(single_expression("${{ a.b }}"), Some(" a.b "));
    assert_eq!(single_expression(" ${{ a }}"), None);
    assert_eq!(single_expression("${{ a }}${{ b }}"), None);
    assert_eq!(single_expression("${{ a }} x"), None);
    assert!(!is_truthy(&json!([])));
    assert!(is_truthy(&json!({})));
    assert!(is_truthy(&json!("false")));
    assert!(!is_truthy(&json!(0)));
    assert!(!is_truthy(&json!("")));
    assert!(!is_truthy(&json!(null)));
}

#[test]
fn errors_carry_lines() {
    let e = r()
        .render_str("a\nb\n${{ x | nope }}", &json!({}))
        .unwrap_err();
    assert_eq!(e.line, Some(3));
}

#[test]
fn fuel_stops_runaway_loops() {
    let e = r()
        .render_str("{% for i in range(1000000000) %}x{% endfor %}", &json!({}))
        .unwrap_err();
    assert!(!e.message.is_empty());
    let e = r()
        .render_str(
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
            &json!({}),
        )
        .unwrap_err();
    assert!(e.message.contains("fuel"), "{}", e.message);
}

#[test]
fn random_is_seeded() {
    let ctx = json!({"l": [1, 2, 3, 4, 5, 6, 7, 8]});
    let src = "${{ l | random }}${{ l | random }}${{ l | random }}";
    let a = Renderer::new(RenderOptions {
        seed: 7,
        ..Default::default()
    });
    let b = Renderer::new(RenderOptions {
        seed: 7,
        ..Default::default()
    });
    assert_eq!(
        a.render_str(src, &ctx).unwrap(),
        b.render_str(src, &ctx).unwrap()
    );
}

#[test]
fn lint_finds_problems() {
    let src = "${{ a === b }}\n${{ s.length }}\n${{ x | nope }}\n${{ s.padStart(2) }}\nrun: ${{ github.sha }}\n{% if %}";
    let kinds: Vec<LintKind> = lint(src, Syntax::Backstage)
        .iter()
        .map(|f| f.kind)
        .collect();
    for k in [
        LintKind::JsOperator,
        LintKind::JsLength,
        LintKind::UnknownFilter,
        LintKind::JsMethodUnsupported,
        LintKind::GithubExpression,
        LintKind::SyntaxError,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
    }
    assert!(lint("${{ values.name | dump }}", Syntax::Backstage).is_empty());
}

#[test]
fn lint_warns_when_nunjucks_ignores_selectattr_arguments() {
    let kinds = |src: &str| -> Vec<LintKind> {
        lint(src, Syntax::Backstage)
            .iter()
            .map(|f| f.kind)
            .collect()
    };
    assert_eq!(
        kinds("${{ users | selectattr(\"team\", \"equalto\", \"a,b\") | dump }}"),
        vec![LintKind::IgnoredArguments]
    );
    assert_eq!(
        kinds("{% for u in users | rejectattr('x', 'none') %}{% endfor %}"),
        vec![LintKind::IgnoredArguments]
    );
    assert!(kinds("${{ users | selectattr(\"lead\") | dump }}").is_empty());
    assert!(kinds("${{ users | selectattr(f(1, 2)) | dump }}").is_empty());
}

proptest::proptest! {
    #[test]
    fn render_str_never_panics(src in r"(\$\{\{|\}\}|\{%|%\}|\{#|#\}|[a-z ]|\.|\||===|'|\(|\)|if |endif|for |in |length|[0-9])*") {
        let _ = r().render_str(&src, &json!({"a": [1, 2], "s": "x"}));
        let _ = r().render_value_str(&src, &json!({}));
        let _ = lint(&src, Syntax::Backstage);
    }

    #[test]
    fn regular_expressions_never_panic(
        pattern in r"([ab.^$|*+?(){}\[\]\\0-9,:=!<>kdswbuxc-]){0,24}",
        flags in "[gimyz]{0,3}",
        text in "[ab\n😀é-]{0,24}",
    ) {
        let ctx = json!({"t": text});
        let replace = format!("${{{{ t | replace(r/{pattern}/{flags}, '[$1$&$<n>]') }}}}");
        let split = format!("${{{{ t.split(r/{pattern}/{flags}) | join('|') }}}}|${{{{ r/{pattern}/{flags}.test(t) }}}}");
        let _ = r().render_str(&replace, &ctx);
        let _ = r().render_str(&split, &ctx);
        let _ = lint(&replace, Syntax::Backstage);
    }

    #[test]
    fn render_str_never_panics_any(src in ".*") {
        let _ = r().render_str(&src, &json!({}));
    }
}

fn render_err(src: &str) -> String {
    match r().render_str(src, &json!({})) {
        Ok(out) => panic!("{src}: rendered {} bytes instead of failing", out.len()),
        Err(e) => e.message,
    }
}

/// `{% set s = s OP s %}` `times` times (a `set` inside a loop is local to the loop).
fn doubled(op: &str, times: usize) -> String {
    format!(
        "{{% set s = 'xxxxxxxx' %}}{}",
        format!("{{% set s = s {op} s %}}").repeat(times)
    )
}

#[test]
fn string_doubling_is_refused_before_it_grows() {
    let msg = render_err(&format!("{}${{{{ s | length }}}}", doubled("~", 60)));
    assert!(msg.contains("byte limit for one template value"), "{msg}");
    let msg = render_err(&format!("{}${{{{ s | length }}}}", doubled("+", 60)));
    assert!(msg.contains("byte limit"), "{msg}");
}

#[test]
fn rebuilding_a_large_string_in_a_loop_exhausts_the_work_budget() {
    let msg = render_err(&format!(
        "{}{{% for i in range(1000) %}}{{% set t = s ~ 'y' %}}{{% endfor %}}",
        doubled("~", 20)
    ));
    assert!(msg.contains("bytes of values in one render"), "{msg}");
}

#[test]
fn dump_and_print_of_a_self_sharing_list_are_bounded() {
    let mut src = String::from("{% set a = ['xxxxxxxxxxxxxxxx', 'y'] %}");
    let mut prev = "a".to_string();
    for i in 0..40 {
        let next = format!("l{i}");
        src.push_str(&format!(
            "{{% set {next} = [{prev}, {prev}, {prev}, {prev}] %}}"
        ));
        prev = next;
    }
    let msg = render_err(&format!("{src}${{{{ {prev} | dump }}}}"));
    assert!(msg.contains("byte limit"), "{msg}");
    let msg = render_err(&format!("{src}${{{{ {prev} }}}}"));
    assert!(msg.contains("byte limit"), "{msg}");
    let msg = render_err(&format!("{src}${{{{ {prev} | join('-') }}}}"));
    assert!(msg.contains("byte limit"), "{msg}");
}

#[test]
fn output_of_one_render_is_bounded() {
    // Literal text in a loop never passes through a filter; the output writer bounds it.
    let chunk = "x".repeat(1 << 20);
    let msg = render_err(&format!("{{% for i in range(100) %}}{chunk}{{% endfor %}}"));
    assert!(msg.contains("limit for one render"), "{msg}");
}

#[test]
fn replace_and_list_concat_are_bounded() {
    let msg = render_err(&format!(
        "{}${{{{ s | replace('x', s) }}}}",
        doubled("~", 17)
    ));
    assert!(msg.contains("byte limit"), "{msg}");
    let msg = render_err(&format!(
        "{{% set l = [1, 2] %}}{}${{{{ l.length }}}}",
        "{% set l = l.concat(l) %}".repeat(40)
    ));
    assert!(msg.contains("item limit"), "{msg}");
}

#[test]
fn deep_and_long_expressions_fail_cleanly() {
    // Left-deep chains and nesting must give an error, not a stack overflow.
    for long in [
        format!("${{{{ {} }}}}", vec!["1"; 20_000].join(" + ")),
        format!("${{{{ {} }}}}", vec!["x"; 20_000].join(" or ")),
        format!("${{{{ {}1{} }}}}", "(".repeat(10_000), ")".repeat(10_000)),
        format!("${{{{ x{} }}}}", ".a".repeat(20_000)),
        format!("${{{{ x{} }}}}", "|lower".repeat(20_000)),
        format!(
            "{{% if {} %}}y{{% endif %}}",
            vec!["x"; 20_000].join(" and ")
        ),
        // Not parsed by the nunjitsu grammar (the trailing `+`): minijinja's own parser.
        format!("${{{{ {} + }}}}", vec!["1"; 20_000].join(" + ")),
    ] {
        let e = r()
            .render_str(&format!("a\n{long}"), &json!({}))
            .unwrap_err();
        assert!(e.message.contains("more than 1000 words"), "{e}");
        assert_eq!(e.line, Some(2));
    }
    // Under the token bound but nested too deep once rewritten.
    for deep in [
        format!("${{{{ {} }}}}", vec!["x"; 330].join(" + ")),
        format!("${{{{ {} }}}}", vec!["x"; 100].join(" or ")),
    ] {
        let e = r()
            .render_str(&format!("a\n{deep}"), &json!({"x": 1}))
            .unwrap_err();
        assert!(e.message.contains("nests more than 48 levels"), "{e}");
        assert_eq!(e.line, Some(2));
    }
    assert_eq!(
        render(
            &format!("${{{{ {} }}}}", vec!["x"; 40].join(" + ")),
            json!({"x": 1})
        ),
        "40"
    );
    // Just under the bound: a value or an ordinary error, never a crash.
    for near in [
        format!("${{{{ {} }}}}", vec!["1"; 499].join(" + ")),
        format!("${{{{ {} + }}}}", vec!["1"; 499].join(" + ")),
        format!("${{{{ {} }}}}", vec!["x"; 333].join(" or ")),
        format!("${{{{ x{} }}}}", ".a".repeat(499)),
        format!("${{{{ {}1{} }}}}", "(".repeat(499), ")".repeat(499)),
    ] {
        let _ = r().render_str(&near, &json!({}));
    }
}

#[test]
fn lint_rejected_methods_are_errors_and_allowed_ones_name_a_real_spelling() {
    let found = lint(
        "${{ s.replaceAll('a', 'b') }}${{ s.split('-') }}${{ s.toUpperCase() }}",
        Syntax::Backstage,
    );
    let kinds: Vec<LintKind> = found.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        vec![
            LintKind::JsMethodUnsupported,
            LintKind::JsMethod,
            LintKind::JsMethod
        ]
    );
    assert!(found[0].message.contains("`| replace(a, b)`"), "{found:?}");
    // nunjucks has no `split` filter: the advice must not send anyone looking for one.
    assert!(found[1].message.contains("no filter"), "{found:?}");
    assert!(!found[1].message.contains("| split"), "{found:?}");
    assert!(found[2].message.contains("`| upper`"), "{found:?}");
}

#[test]
fn variable_reads_find_members_of_the_context_roots_only() {
    let reads = |src: &str| -> Vec<(usize, usize, String, String)> {
        variable_reads(src, Syntax::Backstage, &["parameters", "steps"])
            .into_iter()
            .map(|r| (r.line, r.column, r.root, r.name))
            .collect()
    };
    assert_eq!(
        reads("a ${{ parameters.nmae }}\n${{ steps['fetch-x'].output.y | x('parameters.no') }}"),
        vec![
            (1, 7, "parameters".into(), "nmae".into()),
            (2, 5, "steps".into(), "fetch-x".into())
        ]
    );
    // A member of something else, a computed member, or a root the template binds itself.
    assert!(reads("${{ x.parameters.a }}${{ parameters[k] }}").is_empty());
    assert!(reads("{% set parameters = {} %}${{ parameters.a }}").is_empty());
}

#[test]
fn string_literals_keep_only_the_escapes_nunjucks_knows() {
    let ctx = json!({});
    assert_eq!(
        render(r#"${{ "\u00e9|x\qy|\x41" }}"#, ctx.clone()),
        "u00e9|xqy|x41"
    );
    assert_eq!(render(r#"${{ "a\nb\tc\rd" }}"#, ctx.clone()), "a\nb\tc\rd");
    assert_eq!(
        render(r#"${{ "a\\b\"c" + 'd\'e' }}"#, ctx.clone()),
        "a\\b\"cd'e"
    );
    // A block tag that is not an expression (the fallback rewrite) too.
    assert_eq!(
        render(r#"{% for c in ["\u", "\\"] %}[${{ c }}]{% endfor %}"#, ctx),
        "[u][\\]"
    );
}

/// Each pair was rendered by nunjitsu 0.7.0 with `allowRegexExecution: true`, as Backstage
/// configures it.
#[test]
fn regular_expression_literals_match_nunjitsu() {
    let ctx = json!({"s": "Hello World", "n": 5});
    let cases = [
        (r#"${{ r/ab/g }}"#, "/ab/g"),
        (r#"${{ r/x/ig }}"#, "/x/gi"),
        (r#"${{ r/a\/b/ }}"#, "/a\\/b/"),
        (r#"${{ "ABC" | replace(r/[A-Z]/g, "x") }}"#, "xxx"),
        (r#"${{ "ABC" | replace(r/[A-Z]/, "x") }}"#, "xBC"),
        (r#"${{ "ABC" | replace(r/[a-z]/gi, "x") }}"#, "xxx"),
        (r#"${{ "xax" | replace(r/(x)/, "[$1]") }}"#, "[x]ax"),
        (r#"${{ (r/x/g).test("x") }}"#, "true"),
        (
            r#"${{ "abab" | replace(r/(?<l>a)/g, "<$<l>>") }}"#,
            "<a>b<a>b",
        ),
        (r#"${{ "a.b" | replace(r/\./g, "$&$&") }}"#, "a..b"),
        ("${{ \"ab\" | replace(r/b/, \"$$|$`|$'\") }}", "a$|a|"),
        (r#"${{ r/x/g | dump }}"#, "{}"),
        (r#"${{ {a: r/x/} | dump }}"#, "{\"a\":{}}"),
        (r#"${{ r/x/g ~ "!" }}${{ r/x/g + "!" }}"#, "/x/g!/x/g!"),
        (r#"${{ s.replace(r/o/g, "0") }}"#, "Hell0 W0rld"),
        (r#"${{ s.split(r/ /) }}"#, "Hello,World"),
        (
            r#"${{ "abc".split(r/(b)/) }}|${{ "ab".split(r//) }}"#,
            "a,b,c|a,b",
        ),
        (
            r#"${{ "a1b2".split(r/\d/, 1) }}|${{ "".split(r/x/) | length }}"#,
            "a|1",
        ),
        (r#"${{ "aaa" | replace(r/a/g, "b", 2) }}"#, "bbb"),
        (
            r#"${{ r/(a)\1/.test("aa") }}${{ r/(?<=a)b/.test("ab") }}"#,
            "truetrue",
        ),
        (r#"{% if r/x/ %}T{% endif %}"#, "T"),
        (r#"${{ "abc" | replace(r//g, "-") }}"#, "-a-b-c-"),
        (r#"${{ "x" | replace(r/X/i, n) }}"#, "5"),
        (r#"${{ "héllo" | replace(r/./g, "x") }}"#, "xxxxx"),
        (r#"${{ "😀a" | replace(r/./g, "x") }}"#, "xxx"),
        (r#"${{ "ab" | replace(r/a|/g, "-") }}"#, "--b-"),
        (
            r#"${{ "xxa" | replace(r/x/y, "-") }}|${{ "axx" | replace(r/x/gy, "-") }}"#,
            "-xa|axx",
        ),
        (
            r#"{% set re = r/x/g %}${{ re.test("x") }}${{ re.test("x") }}${{ re.test("x") }}"#,
            "truefalsetrue",
        ),
        ("${{ \"a\\nb\" | replace(r/^b/m, \"B\") }}", "a\nB"),
        (
            r#"${{ "a١" | replace(r/\d/, "D") }}|${{ "é" | replace(r/\w/, "_") }}"#,
            "a١|é",
        ),
        (
            r#"${{ "aXb" | replace(r/x/i, "$0|$2|$10") }}"#,
            "a$0|$2|$10b",
        ),
        (r#"${{ "ab" | replace(r/(a)(b)/, "$2$1$3") }}"#, "ba$3"),
        (
            r#"${{ "a-b" | replace(r/-/g) }}|${{ "aa" | replace(r/a/g, "$") }}"#,
            "aundefinedb|$$",
        ),
        (r#"${{ "ab" | replace(r/(a)|b/g, "[$1]") }}"#, "[a][]"),
        (
            r#"${{ "a" | replace(r/(?<x>a)/, "$<y>|$<x") }}|${{ "a" | replace(r/a/, "$<x>") }}"#,
            "|$<x|$<x>",
        ),
        (r#"${{ "aaa" | replace(r/a*?/g, "-") }}"#, "-a-a-a-"),
        (r#"${{ r/\d+/ }}|${{ r/5/.test(5) }}"#, "/\\d+/|true"),
    ];
    for (src, want) in cases {
        assert_eq!(render(src, ctx.clone()), want, "{src}");
    }
    for (src, message) in [
        ("${{ r/x/s }}", "Unsupported regular-expression flag"),
        ("${{ r/x/gg }}", "Duplicate regular-expression flag"),
        ("${{ r/[/ }}", "Invalid regular-expression literal"),
        // nunjitsu: "Invalid regular-expression literal" too; here minijinja's syntax error.
        ("${{ r/[/]/ }}", "syntax error"),
        (
            r#"${{ 5 | replace(r/5/, "five") }}"#,
            "Filter \"replace\" failed for number input: Regular-expression replacement requires a string",
        ),
        (
            "${{ r/x/.test() }}",
            "Template intrinsic test requires 1 positional arguments",
        ),
    ] {
        let e = render_err(src);
        assert!(e.contains(message), "{src}: {e}");
    }
    let long = format!(
        "${{{{ r/{}/ }}}}",
        "a".repeat(super::regexp::MAX_PATTERN_CHARS + 1)
    );
    assert!(render_err(&long).contains("exceeds the maximum length"));
    let longest = format!(
        "${{{{ r/{}/ }}}}",
        "a".repeat(super::regexp::MAX_PATTERN_CHARS)
    );
    assert_eq!(
        render(&longest, ctx),
        format!("/{}/", "a".repeat(super::regexp::MAX_PATTERN_CHARS))
    );
}

#[test]
fn regular_expressions_that_can_backtrack_without_end_are_refused() {
    // Exponential shapes: refused whatever the string.
    for pattern in [
        "(a+)+b",
        "(a|a)*b",
        "(a*)*b",
        "((ab)*c)+",
        r"(a\1)+",
        "(a?){30}",
    ] {
        let e = render_err(&format!(
            r#"${{{{ "aaaa" | replace(r/{pattern}/, "x") }}}}"#
        ));
        assert!(e.contains("exponential time"), "{pattern}: {e}");
    }
    // Allowed shapes still run on short strings.
    for pattern in [
        "(ab)+",
        "(?:ab)+",
        "(?<n>ab)+",
        "(?=a)+",
        "(a|b)?c",
        "a{2}",
        "(x{2}){3}",
        "^(.*)-(.*)$",
    ] {
        render(
            &format!(r#"${{{{ "ab-c" | replace(r/{pattern}/, "x") }}}}"#),
            json!({}),
        );
    }
    // Polynomial backtracking on a long string: the step bound stops it before it runs.
    let long = json!({"s": "a".repeat(3000)});
    let e = r()
        .render_str(r#"${{ s | replace(r/a*a*a*a*b/, "x") }}"#, &long)
        .unwrap_err()
        .message;
    assert!(e.contains("matching steps"), "{e}");
    assert_eq!(
        r().render_str(r#"${{ s | replace(r/a+$/, "x") }}"#, &long)
            .unwrap(),
        "x"
    );
}

#[test]
fn lint_reports_regular_expression_literals_that_always_fail() {
    let src = "${{ s | replace(r/a/g, 'b') }}\n  ${{ r/x/s }}\n${{ r/x/gg }}\n${{ r/(/ }}\n${{ r/(a+)+b/ }}";
    let findings = lint(src, Syntax::Backstage);
    let found: Vec<(usize, usize, LintKind)> = findings
        .iter()
        .map(|f| (f.line, f.column, f.kind))
        .collect();
    assert_eq!(
        found,
        [
            (2, 7, LintKind::SyntaxError),
            (3, 5, LintKind::SyntaxError),
            (4, 5, LintKind::SyntaxError),
            (5, 5, LintKind::SyntaxError),
        ],
        "{findings:?}"
    );
    assert!(
        findings[0]
            .message
            .contains("Unsupported regular-expression flag")
    );
    assert!(
        findings[1]
            .message
            .contains("Duplicate regular-expression flag")
    );
    assert!(
        findings[2]
            .message
            .contains("Invalid regular-expression literal")
    );
    assert!(findings[3].message.contains("exponential time"));
}

/// nunjitsu's `renderValue(…, {coercion: 'json'})`: a RegExp becomes `{}`.
#[test]
fn a_regular_expression_as_a_step_input_value_is_an_empty_object() {
    let out = r()
        .render_value(
            &json!({"a": "${{ r/x/g }}", "b": "${{ [r/x/g] }}"}),
            &json!({}),
        )
        .unwrap();
    assert_eq!(out, Some(json!({"a": {}, "b": [{}]})));
}
