//! `clause build` on a complete site: every URL, canonical links, the choice
//! of the current version by date, upcoming versions, drafts, determinism.

use crate::harness::TestSite;

const BASE: &str = "https://legal.example.com";

/// Every page the basic fixture has at 2026-06-01, without drafts.
const BASIC_PAGES: &[&str] = &[
    "/",
    "/zh/",
    "/privacy/",
    "/privacy/versions/",
    "/privacy/versions/1/",
    "/privacy/versions/2/",
    "/privacy/versions/2/changes/",
    "/zh/privacy/",
    "/zh/privacy/versions/",
    "/zh/privacy/versions/1/",
    "/zh/privacy/versions/2/",
    "/zh/privacy/versions/2/changes/",
    "/terms/",
    "/terms/versions/",
    "/terms/versions/2025/",
    "/terms/versions/2027/",
    "/terms/versions/2027/changes/",
    "/zh/terms/",
    "/zh/terms/versions/",
    "/zh/terms/versions/2025/",
    "/cookies/",
    "/cookies/versions/",
    "/cookies/versions/1/",
    "/legal/dpa/",
    "/legal/dpa/versions/",
    "/legal/dpa/versions/1/",
];

#[test]
fn builds_every_url_and_only_those() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    let mut expected: Vec<String> = BASIC_PAGES
        .iter()
        .map(|url| format!("{}index.html", url.trim_start_matches('/')))
        .collect();
    expected.push("static/style.css".to_string());
    expected.push(crate::harness::hashed_style());
    expected.push("static/logo.svg".to_string());
    expected.push(".clause-output".to_string());
    for file in [
        "documents.json",
        "feed.xml",
        "zh/feed.xml",
        "robots.txt",
        "sitemap.xml",
    ] {
        expected.push(file.to_string());
    }
    expected.sort();
    let built: Vec<String> = site.tree("dist").into_keys().collect();
    assert_eq!(built, expected);
}

#[test]
fn every_page_has_lang_canonical_title_and_meta() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    for url in BASIC_PAGES {
        let page = site.page(url);
        let lang = if url.starts_with("/zh/") { "zh" } else { "en" };
        assert_eq!(page.attr("html", "lang"), lang, "{url}");
        assert_eq!(
            page.attr("link[rel=canonical]", "href"),
            format!("{BASE}{url}"),
            "{url}"
        );
        assert!(!page.text("title").is_empty(), "{url}");
        assert_eq!(page.count("h1"), 1, "{url}");
        if url.ends_with("/versions/") || *url == "/" || *url == "/zh/" {
            continue;
        }
        if url.ends_with("/changes/") {
            assert_eq!(page.count(".redline"), 1, "{url}");
            continue;
        }
        // Document pages: the effective date, the version and a table of contents.
        let date = page.attr(".meta-date time", "datetime");
        assert_eq!(date.len(), 10, "{url}");
        assert!(!page.version_shown().is_empty(), "{url}");
        let toc = page.attrs(".toc a", "href");
        let ids = page.attrs(".document-body :is(h2, h3)[id]", "id");
        assert_eq!(
            toc,
            ids.iter().map(|id| format!("#{id}")).collect::<Vec<_>>(),
            "{url}"
        );
        assert!(!toc.is_empty(), "{url}");
    }
}

#[test]
fn current_version_follows_as_of() {
    let site = TestSite::fixture("basic");
    site.build("2025-06-01").assert_success();
    let page = site.page("/privacy/");
    assert_eq!(page.version_shown(), "1");
    assert!(page.text(".document-body").contains("Two years."));
    // The newer version is announced before it takes effect.
    assert_eq!(
        page.attrs(".notice-announce a", "href"),
        ["/privacy/versions/2/", "/privacy/versions/2/changes/"]
    );

    site.build("2026-05-11").assert_success();
    assert_eq!(site.page("/privacy/").version_shown(), "1");
    // The day a version takes effect, it is current.
    site.build("2026-05-12").assert_success();
    let page = site.page("/privacy/");
    assert_eq!(page.version_shown(), "2");
    assert!(page.text(".document-body").contains("One year."));
    assert_eq!(page.count(".notice"), 0);
    // The older version stays at its URL, marked as archived.
    let old = site.page("/privacy/versions/1/");
    assert!(old.text(".notice-archived").contains("archived"));
    assert_eq!(old.attr(".notice-archived a", "href"), "/privacy/");
}

#[test]
fn source_date_epoch_sets_the_as_of_date_and_the_flag_wins() {
    let site = TestSite::fixture("basic");
    // 2026-05-12T00:00:00Z and one second before it.
    let mut cmd = site.command();
    cmd.env("SOURCE_DATE_EPOCH", "1778544000");
    site.run_with(cmd, &["build"]).assert_success();
    assert_eq!(site.page("/privacy/").version_shown(), "2");

    let mut cmd = site.command();
    cmd.env("SOURCE_DATE_EPOCH", "1778543999");
    site.run_with(cmd, &["build"]).assert_success();
    assert_eq!(site.page("/privacy/").version_shown(), "1");

    let mut cmd = site.command();
    cmd.env("SOURCE_DATE_EPOCH", "1778543999");
    site.run_with(cmd, &["build", "--as-of", "2026-06-01"])
        .assert_success();
    assert_eq!(site.page("/privacy/").version_shown(), "2");
}

#[test]
fn upcoming_versions_are_published_and_announced() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    let current = site.page("/terms/");
    assert_eq!(current.version_shown(), "2025");
    assert_eq!(
        current.text(".notice-announce"),
        "A new version takes effect on 1 January 2027. Read the new version · What changed"
    );
    assert_eq!(
        current.attrs(".notice-announce a", "href"),
        ["/terms/versions/2027/", "/terms/versions/2027/changes/"]
    );

    let upcoming = site.page("/terms/versions/2027/");
    assert!(
        upcoming
            .text(".notice-upcoming")
            .contains("takes effect on 1 January 2027")
    );
    assert_eq!(upcoming.attr(".notice-upcoming a", "href"), "/terms/");

    site.build("2027-01-01").assert_success();
    let page = site.page("/terms/");
    assert_eq!(page.version_shown(), "2027");
    assert_eq!(page.count(".notice"), 0);
}

#[test]
fn a_document_with_only_upcoming_versions_shows_the_earliest() {
    let site = TestSite::fixture("upcoming");
    site.build("2026-01-01").assert_success();
    let page = site.page("/notice/");
    assert_eq!(page.text("h1"), "Notice A");
    assert!(
        page.text(".notice-upcoming")
            .contains("takes effect on 1 January 2030")
    );
    // It does not claim that some other version applies meanwhile.
    assert_eq!(page.count(".notice-upcoming a"), 0);
    assert_eq!(
        page.attrs(".notice-announce a", "href"),
        ["/notice/versions/b/", "/notice/versions/b/changes/"]
    );
    let statuses = site
        .page("/notice/versions/")
        .texts(".versions tbody td:nth-child(4)");
    assert_eq!(statuses, ["Upcoming", "Upcoming"]);
}

#[test]
fn versions_list_is_newest_first_with_dates_and_changes() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    let page = site.page("/privacy/versions/");
    assert_eq!(
        page.attrs(".versions tbody th a", "href"),
        ["/privacy/versions/2/", "/privacy/versions/1/"]
    );
    assert_eq!(
        page.attrs(".versions tbody time", "datetime"),
        ["2026-05-12", "2025-01-01"]
    );
    assert_eq!(
        page.texts(".versions tbody td:nth-child(4)"),
        ["In effect", "Superseded"]
    );
    assert_eq!(
        page.texts(".versions tbody td:nth-child(5)"),
        ["Shorter retention. What changed", ""]
    );

    let zh = site.page("/zh/privacy/versions/");
    assert_eq!(
        zh.attrs(".versions tbody th a", "href"),
        ["/zh/privacy/versions/2/", "/zh/privacy/versions/1/"]
    );
}

#[test]
fn home_pages_list_current_versions_and_fall_back_to_the_governing_language() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    let home = site.page("/");
    assert_eq!(
        home.attrs(".documents .document-link", "href"),
        ["/cookies/", "/legal/dpa/", "/privacy/", "/terms/"]
    );
    assert_eq!(home.count(".fallback"), 0);

    let zh = site.page("/zh/");
    assert_eq!(
        zh.attrs(".documents .document-link", "href"),
        ["/cookies/", "/legal/dpa/", "/zh/privacy/", "/zh/terms/"]
    );
    // Documents with no Chinese version link to the English page, marked as English.
    assert_eq!(
        zh.attrs(".documents .document-link[hreflang]", "hreflang"),
        ["en", "en"]
    );
    // The marker names the language in the reader's language.
    assert_eq!(zh.texts(".fallback"), ["（英文）", "（英文）"]);
    assert!(!site.exists("dist/zh/cookies"));
    assert!(!site.exists("dist/zh/legal"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TestSite::fixture("basic");
    site.build("2026-12-15").assert_success();
    assert!(!site.exists("dist/privacy/versions/3"));
    assert_eq!(site.page("/privacy/").version_shown(), "2");

    site.run(&["build", "--as-of", "2026-12-15", "--drafts"])
        .assert_success();
    assert!(site.exists("dist/privacy/versions/3/index.html"));
    assert_eq!(site.page("/privacy/").text("h1"), "Privacy Policy (draft)");
}

#[test]
fn builds_are_byte_identical() {
    let site = TestSite::fixture("basic");
    site.run(&["build", "--as-of", "2026-06-01", "--output", "one"])
        .assert_success();
    site.run(&["build", "--as-of", "2026-06-01", "--output", "two"])
        .assert_success();
    let one = site.tree("one");
    assert!(one.len() > 20);
    assert_eq!(one, site.tree("two"));
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = TestSite::fixture("basic");
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_success();
    assert!(
        run.stderr
            .contains("checked 4 documents in 2 languages (9 versions, 26 pages)"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("dist"));
}

#[test]
fn build_prints_one_summary_line() {
    let site = TestSite::fixture("basic");
    let run = site.build("2026-06-01");
    run.assert_success();
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].starts_with("clause: built 4 documents in 2 languages (9 versions, 26 pages)"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains(" ms: 34 files written, 0 unchanged, 0 removed"),
        "{}",
        lines[0]
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn root_flag_and_output_relative_to_the_current_folder() {
    let site = TestSite::fixture("basic");
    let mut cmd = site.command();
    cmd.current_dir(site.root.parent().unwrap());
    site.run_with(
        cmd,
        &[
            "--root",
            "site",
            "build",
            "--as-of",
            "2026-06-01",
            "--output",
            "out",
        ],
    )
    .assert_success();
    assert!(site.root.parent().unwrap().join("out/index.html").exists());
    assert!(!site.exists("dist"));

    let mut cmd = site.command();
    cmd.current_dir(site.root.parent().unwrap());
    site.run_with(cmd, &["--root", "site", "build", "--as-of", "2026-06-01"])
        .assert_success();
    assert!(site.exists("dist/index.html"));
}

#[test]
fn wrong_usage_exits_2() {
    let site = TestSite::fixture("basic");
    site.run(&["build", "--as-of", "2026-13-01"]).assert_code(2);
    site.run(&["build", "--as-of", "yesterday"]).assert_code(2);
    site.run(&["publish"]).assert_code(2);
    site.run(&["check", "--output", "x"]).assert_code(2);
    let mut cmd = site.command();
    cmd.env("SOURCE_DATE_EPOCH", "soon");
    let run = site.run_with(cmd, &["build"]);
    run.assert_code(2);
    assert!(run.stderr.contains("SOURCE_DATE_EPOCH"));
    assert!(!site.exists("dist"));
}

#[cfg(unix)]
#[test]
fn symlinked_content_files_are_published() {
    let site = TestSite::fixture("minimal");
    site.write("shared/2.en.md", "---\ntitle: Linked\neffective_date: 2025-06-01\nversion: \"2\"\nlanguage: en\n---\nLinked text.\n");
    std::os::unix::fs::symlink(
        site.path("shared/2.en.md"),
        site.path("content/terms/2.en.md"),
    )
    .unwrap();
    site.build("2026-01-01").assert_success();
    assert_eq!(site.page("/terms/").text("h1"), "Linked");
}
