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
