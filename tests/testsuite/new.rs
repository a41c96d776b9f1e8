//! `clause new`: the next version of a document in each of its languages,
//! copied from the latest published text, with a `changes` placeholder that
//! `check` warns about; a new document from a template; never overwriting.

use crate::harness::TestSite;

#[test]
fn a_new_version_copies_each_language_and_check_warns_until_changes_is_written() {
    let site = TestSite::fixture("basic");
    let run = site.run(&["new", "privacy", "--effective-date", "2027-03-01"]);
    run.assert_success();
    assert!(
        run.stderr
            .contains("wrote content/privacy/2027-03-01.en.md")
            && run
                .stderr
                .contains("wrote content/privacy/2027-03-01.zh.md"),
        "{}",
        run.stderr
    );
    // The body is the latest published version's (2: version 3 is a draft,
    // which is not copied), under new front matter.
    let en = site.read("content/privacy/2027-03-01.en.md");
    let latest = site.read("content/privacy/2.en.md");
    let body = latest.splitn(3, "---\n").nth(2).unwrap();
    assert!(en.ends_with(body), "{en}");
    assert!(en.contains("effective_date: 2027-03-01\n"), "{en}");
    assert!(en.contains("version: 2027-03-01\n"), "{en}");
    assert!(!en.contains("draft"), "{en}");
    let zh = site.read("content/privacy/2027-03-01.zh.md");
    assert!(zh.contains("language: zh\n"), "{zh}");

    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_success();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("still the placeholder"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(warnings[0].starts_with("content/privacy/2027-03-01.en.md:7:1: warning: "));
    // Announced as upcoming, like any version that takes effect later.
    site.build("2026-06-01").assert_success();
    assert!(site.exists("dist/privacy/versions/2027-03-01/index.html"));

    site.write(
        "content/privacy/2027-03-01.en.md",
        &en.replace(
            "'TODO: say what changed in this version'",
            "Retention shortened.",
        ),
    );
    site.write(
        "content/privacy/2027-03-01.zh.md",
        &zh.replace("'TODO: say what changed in this version'", "缩短保存期限。"),
    );
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    assert!(!run.stderr.contains("placeholder"), "{}", run.stderr);
}

#[test]
fn new_never_overwrites_and_refuses_what_cannot_be() {
    let site = TestSite::fixture("basic");
    site.run(&["new", "cookies", "--effective-date", "2027-01-01"])
        .assert_success();
    let written = site.read("content/cookies/2027-01-01.en.md");
    let run = site.run(&["new", "cookies", "--effective-date", "2027-01-01"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("already has a version `2027-01-01`"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("content/cookies/2027-01-01.en.md"), written);
    let run = site.run(&[
        "new",
        "cookies",
        "--effective-date",
        "2027-02-01",
        "--from",
        "9",
    ]);
    run.assert_code(1);
    assert!(run.stderr.contains("has no version `9`"), "{}", run.stderr);
    let run = site.run(&[
        "new",
        "cookies",
        "--effective-date",
        "2027-02-01",
        "--version",
        "../x",
    ]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("cannot be a version name"),
        "{}",
        run.stderr
    );
    let run = site.run(&["new", "../outside", "--effective-date", "2027-02-01"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("cannot be a document folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_new_document_starts_from_a_template_in_the_languages_asked() {
    let site = TestSite::fixture("basic");
    site.run(&[
        "new",
        "legal/sub-processors",
        "--effective-date",
        "2026-01-01",
        "--version",
        "1",
        "--language",
        "en",
        "--language",
        "zh",
    ])
    .assert_success();
    let en = site.read("content/legal/sub-processors/1.en.md");
    assert!(en.starts_with("---\ntitle: Sub processors\n"), "{en}");
    assert!(en.contains("version: '1'\n"), "{en}");
    assert!(site.exists("content/legal/sub-processors/1.zh.md"));
    site.build("2026-06-01").assert_success();
    assert_eq!(
        site.page("/legal/sub-processors/").text("h1"),
        "Sub processors"
    );
}
