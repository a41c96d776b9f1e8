//! Heading anchors: stable, unique, readable in every script, explicit ids
//! win, and each heading links to itself.

use crate::harness::TestSite;

#[test]
fn headings_get_unique_stable_anchors_with_self_links() {
    let site = TestSite::fixture("anchors");
    site.build("2026-01-01").assert_success();
    let page = site.page("/policy/");
    let ids = page.attrs(".document-body :is(h2, h3)", "id");
    assert_eq!(
        ids,
        [
            "scope",
            "scope-1",
            "data-retention",
            "scope-2",
            "数据保留",
            "数据保留-1",
            "sub-emphasis-and-code"
        ]
    );
    // Each heading carries a visible link to its own anchor.
    let self_links = page.attrs(".document-body :is(h2, h3) > a.anchor", "href");
    assert_eq!(
        self_links,
        ids.iter().map(|id| format!("#{id}")).collect::<Vec<_>>()
    );
    assert!(
        page.texts(".document-body h2 > a.anchor")
            .iter()
            .all(|t| t == "§")
    );
    // The table of contents uses the same anchors and the heading text.
    assert_eq!(page.attrs(".toc a", "href"), self_links);
    assert_eq!(
        page.texts(".toc a").last().unwrap(),
        "Sub emphasis and code"
    );
}

#[test]
fn anchors_are_the_same_on_the_current_and_the_version_page() {
    let site = TestSite::fixture("anchors");
    site.build("2026-01-01").assert_success();
    let current = site.page("/policy/").attrs(".document-body [id]", "id");
    let version = site
        .page("/policy/versions/1/")
        .attrs(".document-body [id]", "id");
    assert_eq!(current, version);
}

#[test]
fn explicit_anchor_is_kept_in_every_language() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    for url in [
        "/privacy/",
        "/zh/privacy/",
        "/privacy/versions/1/",
        "/zh/privacy/versions/1/",
    ] {
        let ids = site.page(url).attrs(".document-body h2", "id");
        assert_eq!(ids, ["data-we-collect", "data-retention"], "{url}");
    }
}

#[test]
fn links_and_canonicals_carry_the_base_path() {
    let site = TestSite::fixture("anchors");
    site.build("2026-01-01").assert_success();
    let page = site.page("/policy/");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://example.org/legal/policy/"
    );
    let hrefs = page.attrs(".document-body p a", "href");
    assert_eq!(
        hrefs,
        [
            "#data-retention",
            "#%E6%95%B0%E6%8D%AE%E4%BF%9D%E7%95%99",
            "/legal/"
        ]
    );
    assert_eq!(
        page.attr("link[rel=stylesheet]", "href"),
        format!("/legal/{}", crate::harness::hashed_style())
    );
}

#[test]
fn main_html_snapshot() {
    let site = TestSite::fixture("anchors");
    site.build("2026-01-01").assert_success();
    insta::assert_snapshot!(site.page("/policy/").main_html());
}
