//! `clause watch`: edits made the way editors make them, each followed by a
//! wait on the output (with a generous bound) and a comparison with a fresh
//! `clause build` of the same sources in another folder.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};

use crate::harness::{BOUND, Running, TestSite};

const AS_OF: &str = "2026-06-01";

/// `clause watch --as-of AS_OF`, once it has built.
fn watch(site: &TestSite, extra: &[&str]) -> Running {
    let mut args = vec!["watch", "--as-of", AS_OF];
    args.extend_from_slice(extra);
    Running::start(site, &args, "watching for changes")
}

/// What a fresh `clause build` of the site's current sources writes.
fn fresh_build(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let fresh = TestSite::empty();
    for part in ["config.toml", "content", "static", "themes"] {
        let from = site.path(part);
        if from.exists() {
            copy(&from, &fresh.path(part));
        }
    }
    fresh.build(AS_OF).assert_success();
    fresh.tree("dist")
}

fn copy(from: &std::path::Path, to: &std::path::Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// Waits until `dist/` is byte-identical to a fresh build of the same input.
#[track_caller]
fn wait_until_fresh(site: &TestSite) {
    let expected = fresh_build(site);
    let deadline = Instant::now() + BOUND;
    loop {
        let actual = site.tree("dist");
        if actual == expected {
            return;
        }
        if Instant::now() > deadline {
            let differ: Vec<&String> = expected
                .keys()
                .chain(actual.keys())
                .filter(|k| expected.get(*k) != actual.get(*k))
                .collect();
            panic!("dist/ did not match a fresh build within {BOUND:?}; differing: {differ:?}");
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

const COOKIES: &str = "content/cookies/1.en.md";

#[test]
fn follows_every_way_editors_save() {
    let site = TestSite::fixture("basic");
    let mut watch = watch(&site, &[]);
    wait_until_fresh(&site);

    // 1. Write in place.
    let text = site
        .read(COOKIES)
        .replace("Only a session cookie.", "A session cookie.");
    site.write(COOKIES, &text);
    wait_until_fresh(&site);
    assert!(
        site.page("/cookies/")
            .text(".document-body")
            .contains("A session cookie.")
    );

    // 2. Write a temporary file and rename it over (vim, VS Code, JetBrains).
    let tmp = site.path("content/cookies/.1.en.md.tmp");
    std::fs::write(&tmp, text.replace("A session cookie.", "Two cookies.")).unwrap();
    std::fs::rename(&tmp, site.path(COOKIES)).unwrap();
    wait_until_fresh(&site);
    assert!(
        site.page("/cookies/")
            .text(".document-body")
            .contains("Two cookies.")
    );

    // 3. Truncate, then write in several pieces.
    let full = text.replace("A session cookie.", "Three cookies.");
    let (head, tail) = full.split_at(full.len() / 2);
    let mut file = std::fs::File::create(site.path(COOKIES)).unwrap();
    file.write_all(head.as_bytes()).unwrap();
    file.flush().unwrap();
    file.write_all(tail.as_bytes()).unwrap();
    drop(file);
    wait_until_fresh(&site);
    assert!(
        site.page("/cookies/")
            .text(".document-body")
            .contains("Three cookies.")
    );

    // 4. Add a file in a new language.
    site.write(
        "content/cookies/1.zh.md",
        "---\ntitle: Cookie 政策\neffective_date: 2025-06-01\nversion: \"1\"\nlanguage: zh\n---\n## 我们使用的 Cookie\n\n仅会话 Cookie。\n",
    );
    wait_until_fresh(&site);
    assert!(site.exists("dist/zh/cookies/index.html"));

    // 5. Delete a file.
    site.remove("content/cookies/1.zh.md");
    wait_until_fresh(&site);
    assert!(!site.exists("dist/zh/cookies"));

    // 6. Rename a document's folder.
    std::fs::rename(
        site.path("content/legal/dpa"),
        site.path("content/legal/data-processing"),
    )
    .unwrap();
    wait_until_fresh(&site);
    assert!(site.exists("dist/legal/data-processing/index.html"));
    assert!(!site.exists("dist/legal/dpa/index.html"));

    // 7. Break the front matter: the error is printed, the last good output stays.
    let before = site.tree("dist");
    site.write(COOKIES, "---\ntitle: Cookie Policy\neffective_date: 2025-13-01\nversion: \"1\"\nlanguage: en\n---\n");
    let line = watch.wait_for_line(|l| l.contains(": error: "));
    assert_eq!(
        line,
        "content/cookies/1.en.md:3:1: error: `effective_date` `2025-13-01` is not a valid date (help: write the date as YYYY-MM-DD, for example 2026-05-12)"
    );
    watch.wait_for_line(|l| l.contains("the last good output is kept"));
    assert_eq!(site.tree("dist"), before);
    // ...and the next good save rebuilds.
    site.write(COOKIES, &full);
    wait_until_fresh(&site);

    // 8. Change a template.
    site.write(
        "themes/default/templates/home.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Edited home</h1>{% endblock main %}",
    );
    wait_until_fresh(&site);
    assert_eq!(site.page("/").text("h1"), "Edited home");

    // 9. Change the configuration.
    let config = site
        .read("config.toml")
        .replace("Example Legal", "Renamed Legal");
    site.write("config.toml", &config);
    wait_until_fresh(&site);
    assert!(
        site.page("/privacy/")
            .text("title")
            .contains("Renamed Legal")
    );

    // Each rebuild said what changed.
    assert!(
        watch
            .seen
            .iter()
            .any(|l| l.starts_with("clause: content/cookies/1.en.md changed: rebuilt in ")),
        "{:?}",
        watch.seen
    );
    assert_eq!(watch.interrupt(), Some(0));
}

#[test]
fn a_broken_first_build_keeps_watching() {
    let site = TestSite::fixture("basic");
    let good = site.read(COOKIES);
    site.write(COOKIES, "no front matter\n");
    let watch = Running::start(
        &site,
        &["watch", "--as-of", AS_OF],
        "the first build: 1 error",
    );
    assert!(!site.exists("dist"));
    site.write(COOKIES, &good);
    wait_until_fresh(&site);
    assert_eq!(watch.interrupt(), Some(0));
}

#[test]
fn polling_sees_edits_too() {
    let site = TestSite::fixture("minimal");
    let watch = watch(&site, &["--poll"]);
    let text = site
        .read("content/terms/1.en.md")
        .replace("Hello.", "Hello, polling.");
    site.write("content/terms/1.en.md", &text);
    wait_until_fresh(&site);
    assert!(
        site.page("/terms/")
            .text(".document-body")
            .contains("Hello, polling.")
    );
    assert_eq!(watch.interrupt(), Some(0));
}

#[test]
fn sources_created_after_the_start_are_watched() {
    let site = TestSite::fixture("minimal");
    let watch = watch(&site, &[]);
    // static/ and the theme folder do not exist yet.
    site.write("static/extra.css", "body {}");
    wait_until_fresh(&site);
    assert!(site.exists("dist/static/extra.css"));
    site.write("static/extra.css", "body { color: black }");
    wait_until_fresh(&site);
    // themes/ does not exist either: a theme folder made now is seen.
    site.write(
        "themes/default/templates/home.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Made later</h1>{% endblock main %}",
    );
    wait_until_fresh(&site);
    assert_eq!(site.page("/").text("h1"), "Made later");
    // A static file that becomes a folder, and stale files around it.
    site.write("static/z.txt", "z");
    wait_until_fresh(&site);
    site.remove("static/extra.css");
    site.remove("static/z.txt");
    site.write("static/extra.css/inner.css", "p {}");
    wait_until_fresh(&site);
    assert!(!site.exists("dist/static/z.txt"));
    assert_eq!(watch.interrupt(), Some(0));
}
