//! Publishing for machines: the feeds, the sitemap and documents.json read
//! with real parsers, and the lock on published text.

use std::collections::BTreeMap;

use crate::harness::TestSite;

#[test]
fn feeds_have_an_entry_per_version_newest_first() {
    let site = TestSite::fixture("history");
    site.build("2026-06-01").assert_success();
    let feed: atom_syndication::Feed = site.read("dist/feed.xml").parse().unwrap();
    assert_eq!(feed.id(), "https://example.com/feed.xml");
    assert_eq!(feed.title().as_str(), "Legal");
    assert_eq!(feed.lang(), Some("en"));
    assert_eq!(feed.updated().to_rfc3339(), "2026-07-01T00:00:00+00:00");
    let links: Vec<(&str, &str)> = feed.links().iter().map(|l| (l.rel(), l.href())).collect();
    assert_eq!(
        links,
        [
            ("self", "https://example.com/feed.xml"),
            ("alternate", "https://example.com/")
        ]
    );
    assert_eq!(feed.authors()[0].name(), "Legal");
    let entries: Vec<(String, String, String)> = feed
        .entries()
        .iter()
        .map(|e| {
            (
                e.title().to_string(),
                e.updated().to_rfc3339(),
                e.links()[0].href().to_string(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            (
                "Policy (3)".into(),
                "2026-07-01T00:00:00+00:00".into(),
                "https://example.com/policy/versions/3/".into()
            ),
            (
                "Notice (2)".into(),
                "2026-02-01T00:00:00+00:00".into(),
                "https://example.com/notice/versions/2/".into()
            ),
            (
                "Policy (2)".into(),
                "2026-01-01T00:00:00+00:00".into(),
                "https://example.com/policy/versions/2/".into()
            ),
            (
                "Same (2)".into(),
                "2026-01-01T00:00:00+00:00".into(),
                "https://example.com/same/versions/2/".into()
            ),
            (
                "Notice (1)".into(),
                "2025-01-01T00:00:00+00:00".into(),
                "https://example.com/notice/versions/1/".into()
            ),
            (
                "Policy (1)".into(),
                "2025-01-01T00:00:00+00:00".into(),
                "https://example.com/policy/versions/1/".into()
            ),
            (
                "Same (1)".into(),
                "2025-01-01T00:00:00+00:00".into(),
                "https://example.com/same/versions/1/".into()
            ),
        ]
    );
    let policy2 = &feed.entries()[2];
    assert_eq!(policy2.id(), "https://example.com/policy/versions/2/");
    assert_eq!(
        policy2.published().unwrap().to_rfc3339(),
        "2026-01-01T00:00:00+00:00"
    );
    assert_eq!(
        policy2.summary().unwrap().as_str(),
        "Drops fax numbers, moves logs to the US, adds a section on children."
    );
    // The Chinese feed has the Chinese versions only.
    let zh: atom_syndication::Feed = site.read("dist/zh/feed.xml").parse().unwrap();
    assert_eq!(zh.entries().len(), 3);
    assert!(
        zh.entries()
            .iter()
            .all(|e| e.id().starts_with("https://example.com/zh/"))
    );
    // Every page links to its language's feed.
    let pages = site.page_urls();
    assert!(pages.len() > 10);
    for url in pages {
        let feed = if url.starts_with("/zh/") {
            "/zh/feed.xml"
        } else {
            "/feed.xml"
        };
        assert_eq!(
            site.page(&url)
                .attr("link[type='application/atom+xml']", "href"),
            feed,
            "{url}"
        );
    }
}

#[test]
fn the_sitemap_lists_every_page_with_its_date_and_translations() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    let text = site.read("dist/sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let mut urls: BTreeMap<String, (String, Vec<(String, String)>)> = BTreeMap::new();
    for url in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((ns, "url")))
    {
        let text_of = |name: &str| {
            url.children()
                .find(|n| n.has_tag_name((ns, name)))
                .and_then(|n| n.text())
                .unwrap()
                .to_string()
        };
        let alternates = url
            .children()
            .filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
            .map(|n| {
                (
                    n.attribute("hreflang").unwrap().to_string(),
                    n.attribute("href").unwrap().to_string(),
                )
            })
            .collect();
        urls.insert(text_of("loc"), (text_of("lastmod"), alternates));
    }
    // Every page, and nothing else (no drafts: privacy 3 is one).
    let pages: Vec<String> = site
        .page_urls()
        .into_iter()
        .map(|url| format!("https://legal.example.com{url}"))
        .collect();
    assert_eq!(urls.keys().cloned().collect::<Vec<_>>(), {
        let mut sorted = pages.clone();
        sorted.sort();
        sorted
    });
    assert!(!urls.keys().any(|u| u.contains("/privacy/versions/3/")));
    let base = "https://legal.example.com";
    assert_eq!(urls[&format!("{base}/privacy/")].0, "2026-05-12");
    assert_eq!(urls[&format!("{base}/privacy/versions/1/")].0, "2025-01-01");
    // An upcoming version's date is not in the future of the build.
    assert_eq!(
        urls[&format!("{base}/terms/versions/2027/")].0,
        "2026-06-01"
    );
    // The translations, as in the pages' own hreflang links.
    assert_eq!(
        urls[&format!("{base}/privacy/")].1,
        [
            ("en".to_string(), format!("{base}/privacy/")),
            ("zh".to_string(), format!("{base}/zh/privacy/")),
            ("x-default".to_string(), format!("{base}/privacy/")),
        ]
    );
    let page = site.page("/privacy/");
    let html: Vec<(String, String)> = page
        .attrs("link[rel=alternate][hreflang]", "hreflang")
        .into_iter()
        .zip(page.attrs("link[rel=alternate][hreflang]", "href"))
        .collect();
    assert_eq!(urls[&format!("{base}/privacy/")].1, html);
    assert_eq!(
        site.read("dist/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://legal.example.com/sitemap.xml\n"
    );
}

#[test]
fn documents_json_indexes_every_version_with_hashes() {
    let site = TestSite::fixture("history");
    let run = site.build("2026-06-01");
    run.assert_success();
    assert!(
        run.stderr
            .contains("(as of 2026-06-01; next change on 2026-07-01)"),
        "{}",
        run.stderr
    );
    let index: serde_json::Value = serde_json::from_str(&site.read("dist/documents.json")).unwrap();
    assert_eq!(index["schema_version"], 1);
    assert_eq!(index["as_of"], "2026-06-01");
    assert_eq!(index["next_change_at"], "2026-07-01");
    assert_eq!(index["site"]["base_url"], "https://example.com/");
    let docs: Vec<&str> = index["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["notice", "policy", "same"]);
    let policy_en = &index["documents"][1]["languages"][0];
    assert_eq!(policy_en["language"], "en");
    assert_eq!(policy_en["current_version"], "2");
    assert_eq!(policy_en["url"], "https://example.com/policy/");
    let versions = policy_en["versions"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str, Option<&str>)> = versions
        .iter()
        .map(|v| {
            (
                v["version"].as_str().unwrap(),
                v["status"].as_str().unwrap(),
                v["effective_date"].as_str().unwrap(),
                v["in_effect_until"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("3", "upcoming", "2026-07-01", None),
            ("2", "current", "2026-01-01", Some("2026-06-30")),
            ("1", "superseded", "2025-01-01", Some("2025-12-31")),
        ]
    );
    let v2 = &versions[1];
    assert_eq!(v2["url"], "https://example.com/policy/versions/2/");
    assert_eq!(
        v2["changes_url"],
        "https://example.com/policy/versions/2/changes/"
    );
    assert_eq!(
        v2["changes"],
        "Drops fax numbers, moves logs to the US, adds a section on children."
    );
    assert_eq!(versions[2]["changes_url"], serde_json::Value::Null);
    // The source hash is the lock's; the HTML hash is of the body as published.
    let source = site.read("content/policy/2.en.md");
    let body = source.splitn(3, "---\n").nth(2).unwrap();
    let normalized = clause::base::hash::normalized(
        "Policy",
        clause::load::frontmatter::parse_date("2026-01-01").unwrap(),
        "2",
        body,
    );
    assert_eq!(
        v2["source_sha256"],
        clause::base::hash::sha256(normalized.as_bytes())
    );
    let page = site.read("dist/policy/versions/2/index.html");
    let open = page.find("<div class=\"document-body").unwrap();
    let start = open + page[open..].find(">\n").unwrap() + 2;
    let end = page[start..].find("\n  </div>\n</article>").unwrap() + start;
    assert_eq!(
        v2["html_sha256"],
        clause::base::hash::sha256(&page.as_bytes()[start..end])
    );
}

#[test]
fn the_lock_catches_edits_to_published_text() {
    let site = TestSite::fixture("history");
    // Without clause.lock nothing is enforced.
    let run = site.run(&["lock"]);
    run.assert_success();
    assert!(
        run.stderr
            .ends_with("clause: clause.lock has 10 versions: 10 added, 0 updated, 0 dropped\n"),
        "{}",
        run.stderr
    );
    let lock = site.read("clause.lock");
    assert!(lock.contains("policy\ten\t2\t2026-01-01\t"));
    // Published and announced before it takes effect, so locked already.
    assert!(lock.contains("policy\ten\t3\t2026-07-01\t"), "{lock}");
    site.build("2026-06-01").assert_success();

    // A word changed in an effective version: an error naming the file and version.
    let original = site.read("content/policy/2.en.md");
    site.write(
        "content/policy/2.en.md",
        &original.replace("We never sell it.", "We rarely sell it."),
    );
    let run = site.build("2026-06-01");
    run.assert_code(1);
    let line = lock
        .lines()
        .position(|l| l.starts_with("policy\ten\t2\t"))
        .unwrap()
        + 1;
    assert_eq!(
        run.error_lines(),
        [format!(
            "content/policy/2.en.md:1:1: error: the text of version `2` of `policy` in `en` differs from the text locked on clause.lock line {line} (help: published text must not change silently: undo the edit, or add a `corrections` entry (date and note) and run `clause lock`)"
        )]
    );
    // So does a changed effective date.
    site.write(
        "content/policy/2.en.md",
        &original.replace("effective_date: 2026-01-01", "effective_date: 2026-01-02"),
    );
    site.build("2026-06-01").assert_code(1);

    // Line endings and trailing spaces do not count.
    site.write("content/policy/2.en.md", &original.replace('\n', "  \r\n"));
    site.build("2026-06-01").assert_success();

    // A correction makes the edit legitimate, and shows on the page and in the feed.
    let corrected = original
        .replace("changes:", "corrections:\n  - date: 2026-03-01\n    note: Clarified that data is never sold.\nchanges:")
        .replace("We never sell it.", "We never sell it, or rent it.");
    site.write("content/policy/2.en.md", &corrected);
    site.build("2026-06-01").assert_success();
    assert_eq!(
        site.page("/policy/versions/2/")
            .text(".notice-corrections li"),
        "1 March 2026: Clarified that data is never sold."
    );
    let feed: atom_syndication::Feed = site.read("dist/feed.xml").parse().unwrap();
    let entry = feed
        .entries()
        .iter()
        .find(|e| e.id().ends_with("/policy/versions/2/"))
        .unwrap();
    assert_eq!(entry.updated().to_rfc3339(), "2026-03-01T00:00:00+00:00");
    assert!(
        entry
            .content()
            .unwrap()
            .value()
            .unwrap()
            .contains("2026-03-01: Clarified that data is never sold.")
    );
    // clause lock records it; a further edit without another correction fails again.
    let run = site.run(&["lock"]);
    run.assert_success();
    assert!(
        run.stderr.contains("  updated policy (en) 2\n"),
        "{}",
        run.stderr
    );
    site.write(
        "content/policy/2.en.md",
        &corrected.replace("or rent it", "or lend it"),
    );
    site.build("2026-06-01").assert_code(1);
    site.write("content/policy/2.en.md", &corrected);
    site.build("2026-06-01").assert_success();

    // A locked version that disappears is an error at its lock line.
    std::fs::rename(site.path("content/policy/1.en.md"), site.path("away.md")).unwrap();
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    assert!(
        run.error_lines()[0].starts_with("clause.lock:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("version `1` of `policy` in `en` is locked but is not in content/")
    );
    std::fs::rename(site.path("away.md"), site.path("content/policy/1.en.md")).unwrap();
}

#[test]
fn the_lock_changes_only_when_content_does() {
    let site = TestSite::fixture("history");
    site.run(&["lock"]).assert_success();
    let before = site.read("clause.lock");
    // A date passing (version 3 takes effect on 2026-07-01) changes nothing:
    // locking again, and building and checking with --locked on any day.
    for as_of in ["2026-06-01", "2026-07-01", "2030-01-01"] {
        site.run(&["lock"]).assert_success();
        assert_eq!(site.read("clause.lock"), before, "{as_of}");
        site.build(as_of).assert_success();
        site.run(&["check", "--locked", "--as-of", as_of])
            .assert_success();
    }
    // A new version enters the lock when it is added, whatever its date.
    site.write(
        "content/policy/4.en.md",
        "---\ntitle: Privacy\neffective_date: 2031-01-01\nversion: \"4\"\nlanguage: en\n---\n\n## Data\n\nNew text.\n",
    );
    let run = site.run(&["check", "--locked", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "content/policy/4.en.md:1:1: error: version `4` of `policy` in `en` is published but not in clause.lock (--locked) (help: run `clause lock` and commit clause.lock)"
        ]
    );
    let run = site.run(&["lock"]);
    run.assert_success();
    assert!(
        run.stderr.contains("  locked policy (en) 4\n"),
        "{}",
        run.stderr
    );
    let after = site.read("clause.lock");
    let new: Vec<&str> = after.lines().filter(|l| !before.contains(*l)).collect();
    assert_eq!(new.len(), 1);
    assert!(new[0].starts_with("policy\ten\t4\t2031-01-01\t"));
    assert!(before.lines().all(|l| after.lines().any(|a| a == l)));
    site.run(&["build", "--locked", "--as-of", "2026-06-01"])
        .assert_success();
    // Drafts are not published, so not locked.
    site.write(
        "content/policy/5.en.md",
        "---\ntitle: Privacy\neffective_date: 2032-01-01\nversion: \"5\"\nlanguage: en\ndraft: true\n---\n\nDraft.\n",
    );
    site.run(&["check", "--locked", "--as-of", "2026-06-01"])
        .assert_success();
    // A changed text is refused without --force, and clause.lock is left as it was.
    let text = site
        .read("content/same/1.en.md")
        .replace("does not change", "did change");
    site.write("content/same/1.en.md", &text);
    let run = site.run(&["lock"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("clause.lock was not changed"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("clause.lock"), after);
    site.run(&["lock", "--force"]).assert_success();
    site.build("2026-07-01").assert_success();
    // Without clause.lock, --locked fails.
    site.remove("clause.lock");
    let run = site.run(&["check", "--locked", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("there is no clause.lock (--locked)"),
        "{}",
        run.stderr
    );
}
