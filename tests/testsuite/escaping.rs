//! Everything from content or config is escaped in HTML; only the rendered
//! Markdown body is trusted.

use crate::harness::TestSite;

const TITLE: &str = "Terms & <Conditions> \"quoted\" 'single'";

#[test]
fn titles_and_front_matter_are_escaped_on_every_page() {
    let site = TestSite::fixture("escaping");
    site.build("2026-06-01").assert_success();
    let files = site.tree("dist");
    let pages: Vec<&String> = files.keys().filter(|p| p.ends_with(".html")).collect();
    assert_eq!(pages.len(), 10);
    for path in pages {
        let raw = String::from_utf8(files[path].clone()).unwrap();
        for unescaped in [
            "<Conditions>",
            "<Legal>",
            "<b>tags</b>",
            "<i>tags</i>",
            "<version>",
            "<en>",
            "<fr>",
            "<script>alert",
            "<générales>",
            "<b>gras</b>",
        ] {
            assert!(!raw.contains(unescaped), "{path} contains {unescaped}");
        }
        let url = format!("/{}", path.trim_end_matches("index.html"));
        let page = site.page(&url);
        // Parsed back, the text is exactly what the author wrote.
        assert!(
            page.text("title")
                .contains("Tom & Jerry's <Legal> \"Center\""),
            "{path}"
        );
        // The print style holds the title as a CSS string: nothing in it can
        // end the string or the element (it would show in the page, or run).
        let style = page.text("style[media=print]");
        assert!(!style.contains(['<', '>']), "{path}: {style}");
        if path.starts_with("policy/") {
            assert!(
                style.contains(
                    r#"content: "Terms \26 \3c Conditions\3e \22 quoted\22 \27 single\27 "#
                ),
                "{path}: {style}"
            );
            assert!(
                page.text("h1").starts_with(TITLE),
                "{path}: {}",
                page.text("h1")
            );
        }
    }
    let v1 = site.page("/policy/versions/1/");
    assert_eq!(
        v1.attr("meta[name=description]", "content"),
        "Summary with <b>tags</b> & ampersands"
    );
    assert!(
        v1.text(".changes")
            .ends_with("Changes with <i>tags</i> & \"quotes\"")
    );
    let versions = site.page("/policy/versions/");
    assert_eq!(
        versions.texts(".versions td:nth-child(5)")[0],
        "Second <version> & more What changed"
    );
    let names = site.page("/").texts(".languages a");
    assert_eq!(names, ["English <en>", "Français <fr>"]);
}

#[test]
fn the_markdown_body_is_rendered_not_escaped() {
    let site = TestSite::fixture("escaping");
    site.build("2026-06-01").assert_success();
    let page = site.page("/policy/versions/1/");
    assert_eq!(page.text(".document-body strong"), "markdown");
    // Inline HTML in the body is the author's markup.
    assert_eq!(page.text(".document-body h2 b"), "inline html");
}
