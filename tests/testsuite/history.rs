//! Version history: redline pages, links to them, periods in effect,
//! upcoming versions, stale translations, and `clause diff`.

use crate::harness::{Page, TestSite};

/// Checks that every element opened in `html` is closed, in order.
#[track_caller]
pub(crate) fn assert_balanced(html: &str) {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map(|e| start + e)
            .expect("a tag that ends");
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if closing {
            assert_eq!(
                open.pop().as_deref(),
                Some(name.as_str()),
                "unbalanced </{name}> in:\n{html}"
            );
        } else {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "never closed: {open:?}");
}

fn build(as_of: &str) -> TestSite {
    let site = TestSite::fixture("history");
    site.build(as_of).assert_success();
    site
}

#[test]
fn the_redline_marks_each_kind_of_change() {
    let site = build("2026-06-01");
    let page = site.page("/policy/versions/2/changes/");
    assert_eq!(page.text("h1"), "Policy: what changed in version 2");
    // An inserted sentence inside a paragraph.
    assert_eq!(
        page.texts(".redline p ins"),
        [
            "inserted: We never sell it.",
            "inserted: We do not knowingly collect data from children."
        ]
    );
    assert_eq!(
        page.texts(".redline p")[0],
        "We keep your data safe. inserted: We never sell it."
    );
    // A deleted list item.
    assert_eq!(
        page.texts(".redline li"),
        ["Name", "deleted: Fax number", "Email address"]
    );
    assert_eq!(page.texts(".redline li del"), ["deleted: Fax number"]);
    // A changed table cell.
    assert_eq!(page.texts(".redline td del"), ["deleted: EU"]);
    assert_eq!(page.texts(".redline td ins"), ["inserted: US"]);
    // A renamed heading keeps its place (and its anchor).
    assert_eq!(
        page.texts(".redline h2#retention del"),
        ["deleted: Retention"]
    );
    assert_eq!(
        page.texts(".redline h2#retention ins"),
        ["inserted: Keeping data"]
    );
    // A new section: its heading and its text inserted.
    assert_eq!(
        page.texts(".redline h2#children ins"),
        ["inserted: Children"]
    );
    // The header: both versions, the note, the counts, the legend and the toggle.
    assert_eq!(
        page.text(".redline-compared"),
        "Version 2 (in effect from 1 January 2026) compared with version 1 (in effect from 1 January 2025)."
    );
    assert_eq!(
        page.attrs(".redline-compared a", "href"),
        ["/policy/versions/2/", "/policy/versions/1/"]
    );
    assert!(page.text(".changes").contains("Drops fax numbers"));
    assert_eq!(
        page.text(".redline-counts"),
        "16 words added, 4 words removed."
    );
    assert_eq!(
        page.texts(".legend ins, .legend del"),
        ["inserted text", "deleted text"]
    );
    assert_eq!(page.attr("input#redline-clean", "type"), "checkbox");
    assert_eq!(
        page.text("label[for=redline-clean]"),
        "Show the new text without marks"
    );
    // Each mark is labelled for screen readers.
    for mark in page.texts(".redline ins") {
        assert!(mark.starts_with("inserted: "), "{mark}");
    }
    // Unchanged passages fold away.
    assert_eq!(
        page.texts(".redline details.unchanged summary"),
        Vec::<String>::new()
    );
    assert_balanced(&inner(&site, "dist/policy/versions/2/changes/index.html"));
}

/// The raw HTML of a page's `.redline` element.
pub(crate) fn inner(site: &TestSite, path: &str) -> String {
    let raw = site.read(path);
    let start = raw.find("<div class=\"document-body redline\">").unwrap();
    let end = raw[start..].find("\n  </div>\n").unwrap() + start;
    format!("{}</div>", &raw[start..end])
}

#[test]
fn every_redline_page_is_balanced_html() {
    let site = build("2026-06-01");
    let pages: Vec<String> = site
        .tree("dist")
        .into_keys()
        .filter(|p| p.ends_with("changes/index.html"))
        .collect();
    assert_eq!(pages.len(), 5, "{pages:?}");
    for path in pages {
        assert_balanced(&inner(&site, &format!("dist/{path}")));
        assert_balanced(
            &site
                .read(&format!("dist/{path}"))
                .replace("<!DOCTYPE html>", ""),
        );
    }
}

#[test]
fn chinese_changes_are_marked_character_by_character() {
    let site = build("2026-06-01");
    let page = site.page("/zh/policy/versions/2/changes/");
    assert_eq!(page.texts(".redline p del"), ["删除： 两", "删除： 五"]);
    assert_eq!(page.texts(".redline p ins"), ["新增： 一", "新增： 六"]);
    assert_eq!(page.text(".redline-counts"), "新增2字，删除2字。");
    assert_eq!(page.attr("html", "lang"), "zh");
}

#[test]
fn identical_versions_say_so() {
    let site = build("2026-06-01");
    let page = site.page("/same/versions/2/changes/");
    assert_eq!(
        page.text(".redline-same"),
        "The text is the same in both versions."
    );
    assert_eq!(page.count(".redline ins, .redline del, .redline-counts"), 0);
    assert_eq!(page.texts(".redline p"), ["The text does not change."]);
}

#[test]
fn versions_link_to_their_redlines_and_show_when_they_were_in_effect() {
    let site = build("2026-06-01");
    let list = site.page("/policy/versions/");
    assert_eq!(
        list.attrs(".versions .redline-link", "href"),
        ["/policy/versions/3/changes/", "/policy/versions/2/changes/"]
    );
    // The first version has nothing before it.
    assert_eq!(
        site.page("/policy/versions/1/")
            .count(".document-links a[href$='changes/']"),
        0
    );
    assert_eq!(
        site.page("/policy/versions/2/")
            .attrs(".document-links a[href$='changes/']", "href"),
        ["/policy/versions/2/changes/"]
    );
    // Periods, to the day: a version ends the day before the next takes effect.
    assert_eq!(
        list.texts(".versions td.period"),
        [
            "from 1 July 2026",
            "from 1 January 2026 to 30 June 2026",
            "from 1 January 2025 to 31 December 2025"
        ]
    );
    assert_eq!(
        site.page("/zh/policy/versions/")
            .texts(".versions td.period"),
        ["自2026年1月1日起", "2025年1月1日至2025年12月31日"]
    );
}

#[test]
fn an_upcoming_version_is_announced_with_its_redline_until_it_takes_effect() {
    let site = build("2026-06-30");
    let page = site.page("/policy/");
    assert_eq!(page.version_shown(), "2");
    assert_eq!(
        page.text(".notice-announce"),
        "A new version takes effect on 1 July 2026. Read the new version · What changed"
    );
    assert_eq!(
        page.attrs(".notice-announce a", "href"),
        ["/policy/versions/3/", "/policy/versions/3/changes/"]
    );
    let upcoming = site.page("/policy/versions/3/");
    assert_eq!(
        upcoming.text(".notice-upcoming"),
        "This version takes effect on 1 July 2026. Read the version in effect"
    );
    assert_eq!(upcoming.texts(".versions td:nth-child(4)").len(), 0);

    // The day it takes effect, a rebuild switches with no edit to the content.
    site.build("2026-07-01").assert_success();
    let page = site.page("/policy/");
    assert_eq!(page.version_shown(), "3");
    assert_eq!(page.count(".notice"), 0);
    assert_eq!(
        site.page("/policy/versions/2/").count(".notice-archived"),
        1
    );
    assert_eq!(
        site.page("/policy/versions/")
            .texts(".versions tbody td:nth-child(4)"),
        ["In effect", "Superseded", "Superseded"]
    );
}

#[test]
fn a_translation_behind_the_governing_language_says_so() {
    let site = TestSite::fixture("history");
    let run = site.build("2026-06-01");
    run.assert_success();
    assert!(
        run.stderr.contains("content/notice/1.zh.md:1:1: warning: `notice` in `zh` is out of date: version 2 in `en` has been in effect since 2026-02-01"),
        "{}",
        run.stderr
    );
    let page: Page = site.page("/zh/notice/");
    assert_eq!(
        page.text(".notice-stale"),
        "本译本并非最新：英文的新版本已于2026年2月1日生效。阅读新版本 · 查看变更"
    );
    assert_eq!(
        page.attrs(".notice-stale a", "href"),
        ["/notice/versions/2/", "/notice/versions/2/changes/"]
    );
    assert_eq!(site.page("/notice/").count(".notice-stale"), 0);
    // Before the newer version took effect, the translation was not behind.
    site.build("2026-01-31").assert_success();
    assert_eq!(site.page("/zh/notice/").count(".notice-stale"), 0);
    // Once translated, the notice goes.
    site.write("content/notice/2.zh.md", "---\ntitle: 通知\neffective_date: 2026-02-01\nversion: \"2\"\nlanguage: zh\n---\n新通知。\n");
    let run = site.build("2026-06-01");
    assert!(!run.stderr.contains("out of date"), "{}", run.stderr);
    assert_eq!(site.page("/zh/notice/").count(".notice-stale"), 0);
}

#[test]
fn diff_prints_a_plain_redline() {
    let site = TestSite::fixture("history");
    let run = site.run(&["diff", "policy", "1", "2"]);
    run.assert_success();
    insta::assert_snapshot!(run.stdout);
    assert_eq!(
        run.stderr,
        "clause: policy (en) 1 -> 2: 16 words added, 4 removed\n"
    );
    // The two newest by default, FROM alone against the newest.
    let run = site.run(&["diff", "policy"]);
    assert!(run.stderr.contains("policy (en) 2 -> 3"), "{}", run.stderr);
    let run = site.run(&["diff", "policy", "1"]);
    assert!(run.stderr.contains("policy (en) 1 -> 3"), "{}", run.stderr);
    let run = site.run(&["diff", "policy", "--language", "zh"]);
    assert_eq!(
        run.stdout,
        "## 保留\n\n日志保存[-两-]{+一+}年，账单保存[-五-]{+六+}年。\n\n"
    );
}

#[test]
fn diff_into_a_closed_pipe_is_a_normal_end() {
    // `clause diff policy | head -0`: the reader is gone before clause writes.
    let site = TestSite::fixture("history");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clause"))
        .args(["diff", "policy", "1", "2", "--format", "html"])
        .current_dir(&site.root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn diff_colours_when_asked_and_writes_html() {
    let site = TestSite::fixture("history");
    let run = site.run(&["diff", "policy", "--language", "zh", "--color", "always"]);
    assert_eq!(
        run.stdout,
        "## 保留\n\n日志保存\u{1b}[31;9m两\u{1b}[0m\u{1b}[32;4m一\u{1b}[0m年，账单保存\u{1b}[31;9m五\u{1b}[0m\u{1b}[32;4m六\u{1b}[0m年。\n\n"
    );
    // Not a terminal: plain, whatever NO_COLOR says.
    let mut cmd = site.command();
    cmd.env_remove("NO_COLOR");
    let run = site.run_with(cmd, &["diff", "policy", "--language", "zh"]);
    assert!(!run.stdout.contains('\u{1b}'));
    let run = site.run(&["diff", "policy", "1", "2", "--format", "html"]);
    run.assert_success();
    assert!(run.stdout.contains("<td><del class=\"change\"><span class=\"visually-hidden\">deleted: </span>EU</del><ins class=\"change\"><span class=\"visually-hidden\">inserted: </span>US</ins></td>"), "{}", run.stdout);
    assert_balanced(&run.stdout);
}

#[test]
fn diff_errors_list_what_exists() {
    let site = TestSite::fixture("history");
    let cases = [
        (
            vec!["diff", "polciy"],
            "error: there is no document `polciy` (did you mean `policy`?)\n",
        ),
        (
            vec!["diff", "xyz"],
            "error: there is no document `xyz` (the documents are `notice`, `policy` and `same`)\n",
        ),
        (
            vec!["diff", "policy", "--language", "fr"],
            "error: `policy` has no version in `fr` (its languages are `en` and `zh`)\n",
        ),
        (
            vec!["diff", "policy", "9"],
            "error: `policy` in `en` has no version `9` (its versions are `3`, `2` and `1`)\n",
        ),
        (
            vec!["diff", "notice", "--language", "zh"],
            "error: `notice` in `zh` has only one version (`1`), nothing to compare\n",
        ),
    ];
    for (args, message) in cases {
        let run = site.run(&args);
        run.assert_code(1);
        assert_eq!(run.stderr, message, "{args:?}");
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn the_home_page_announces_upcoming_versions_until_they_take_effect() {
    let site = build("2026-06-01");
    let home = site.page("/");
    assert_eq!(
        home.texts(".documents .announce"),
        ["A new version takes effect on 1 July 2026. Read the new version · What changed"]
    );
    assert_eq!(
        home.attrs(".documents .announce a", "href"),
        ["/policy/versions/3/", "/policy/versions/3/changes/"]
    );
    site.build("2026-07-01").assert_success();
    assert_eq!(site.page("/").count(".documents .announce"), 0);
}

#[test]
fn rewrapped_lines_are_no_change_in_the_redline_the_diff_or_the_counts() {
    let site = TestSite::fixture("minimal");
    let file = |version: &str, date: &str, body: &str| {
        format!(
            "---\ntitle: Wrap\neffective_date: {date}\nversion: \"{version}\"\nlanguage: en\n---\n{body}"
        )
    };
    site.write(
        "content/wrap/1.en.md",
        &file(
            "1",
            "2025-01-01",
            "We use data to answer support\nrequests and to meet our obligations.\n\nKept.\n",
        ),
    );
    site.write(
        "content/wrap/2.en.md",
        &file("2", "2025-06-01", "We use data to bill you, to answer\nsupport requests and to meet   our\nobligations.\n\nKept.\n"),
    );
    site.build("2026-01-01").assert_success();
    let page = site.page("/wrap/versions/2/changes/");
    // (The legend has one of each.)
    assert_eq!(
        page.texts("main ins.change:not(.legend ins)"),
        ["inserted: bill you, to"]
    );
    assert_eq!(page.count("main del.change:not(.legend del)"), 0);
    assert_eq!(
        page.text(".redline-counts"),
        "3 words added, 0 words removed."
    );
    let run = site.run(&["diff", "wrap", "1", "2"]);
    assert_eq!(
        run.stdout,
        "We use data to {+bill you, to+} answer support requests and to meet our obligations.\n\n"
    );
    assert_eq!(
        run.stderr,
        "clause: wrap (en) 1 -> 2: 3 words added, 0 removed\n"
    );
}

#[test]
fn redline_headings_carry_clause_numbers_and_say_what_they_were() {
    let site = TestSite::fixture("minimal");
    let file = |version: &str, date: &str, body: &str| {
        format!(
            "---\ntitle: Numbers\neffective_date: {date}\nversion: \"{version}\"\nlanguage: en\n---\n{body}"
        )
    };
    site.write(
        "content/numbers/1.en.md",
        &file(
            "1",
            "2025-01-01",
            "## Scope\n\nA.\n\n## Data\n\nB.\n\n### Retention\n\nC.\n\n## Rights\n\nD.\n",
        ),
    );
    site.write(
        "content/numbers/2.en.md",
        &file(
            "2",
            "2025-06-01",
            "## Scope\n\nA.\n\n## Cookies\n\nNew.\n\n## Data\n\nB.\n\n### Retention\n\nC.\n",
        ),
    );
    site.build("2026-01-01").assert_success();
    let page = site.page("/numbers/versions/2/changes/");
    assert_eq!(
        page.texts(".redline :is(h2, h3)"),
        [
            "1. Scope",
            "2. inserted: Cookies",
            "3. (was 2.) Data",
            "3.1 (was 2.1) Retention",
            "3. deleted: Rights"
        ]
    );
    // The document page numbers the same clauses the same way (by CSS
    // counters), so the redline's numbers are the ones a reader cites.
    assert_eq!(page.count(".redline.unnumbered"), 0);

    site.write(
        "config.toml",
        &format!(
            "{}\n[extra]\nnumber_clauses = false\n",
            site.read("config.toml")
        ),
    );
    site.build("2026-01-01").assert_success();
    let page = site.page("/numbers/versions/2/changes/");
    assert_eq!(page.count(".redline.unnumbered"), 1);
}
