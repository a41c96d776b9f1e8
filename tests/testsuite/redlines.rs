//! Redlines of the hard cases (the `redlines` fixture): tables whose rows
//! and columns move, appear and vanish, raw and inline HTML, void elements,
//! nested lists, footnotes added, removed and renumbered, folded passages
//! before changed headings, rewrapped lines and decomposed accents. The
//! same pages go through the Nu HTML Checker in tests/browser/run.sh.

use std::collections::HashSet;

use scraper::{Html, Selector};

use crate::harness::TestSite;
use crate::history::{assert_balanced, inner};

const PAGES: [(&str, &str, &str); 2] = [
    (
        "2025-01-01",
        "2026-01-01",
        "/hard/versions/2026-01-01/changes/",
    ),
    (
        "2026-01-01",
        "2026-06-01",
        "/hard/versions/2026-06-01/changes/",
    ),
];

fn build() -> TestSite {
    let site = TestSite::fixture("redlines");
    site.build("2026-06-01").assert_success();
    site
}

fn select(selector: &str) -> Selector {
    Selector::parse(selector).expect("a valid selector")
}

/// What the Nu HTML Checker would find wrong in a redline's structure, and
/// what a link checker would: marks or notes where HTML allows no text,
/// repeated ids, same-page links that land nowhere, heading levels that skip.
fn structure_problems(page: &Html) -> Vec<String> {
    let mut problems = Vec::new();
    for misplaced in [
        "tr > span",
        "tr > del",
        "tr > ins",
        "ul > del",
        "ul > ins",
        "ol > ins",
        "table > span",
        "tbody > span",
    ] {
        let found = page.select(&select(misplaced)).count();
        if found > 0 {
            problems.push(format!("{found} × `{misplaced}`"));
        }
    }
    let ids: Vec<&str> = page
        .select(&select("[id]"))
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    if unique.len() != ids.len() {
        problems.push(format!("repeated ids among {ids:?}"));
    }
    for href in page
        .select(&select("a[href^='#']"))
        .filter_map(|e| e.value().attr("href"))
    {
        if !unique.contains(&href[1..]) {
            problems.push(format!("no id for `{href}`"));
        }
    }
    let mut level = 1;
    for heading in page.select(&select(".redline :is(h1, h2, h3, h4, h5, h6)")) {
        let this: u32 = heading.value().name()[1..].parse().unwrap_or(0);
        if this > level + 1 {
            problems.push(format!("h{level} then h{this}"));
        }
        level = this;
    }
    problems
}

#[test]
fn hard_cases_give_valid_redlines() {
    let site = build();
    for (_, _, url) in PAGES {
        let path = format!("dist{url}index.html");
        assert_balanced(&inner(&site, &path));
        let page = site.page(url);
        assert_eq!(structure_problems(&page.0), Vec::<String>::new(), "{url}");
    }
    // The check finds what it looks for.
    let bad = Html::parse_document(
        "<div class=\"redline\"><h2 id=\"a\">A</h2><h4 id=\"a\">B</h4></div><table><tr><td>x</td><span>moved</span></tr></table><ul><del>x</del></ul><a href=\"#gone\">x</a>",
    );
    assert_eq!(
        structure_problems(&bad).len(),
        4,
        "{:?}",
        structure_problems(&bad)
    );
}

#[test]
fn only_real_changes_are_marked() {
    let site = build();
    let page = site.page("/hard/versions/2026-01-01/changes/");
    // The first paragraph was rewrapped and its accents decomposed: the
    // same text, folded with the unchanged passages.
    let folded = page.texts(".redline details.unchanged p");
    assert!(
        folded
            .iter()
            // (As the new version writes it.)
            .any(|p| p.starts_with("This policy covers the cafe\u{301}")),
        "{folded:?}"
    );
    assert_eq!(
        page.count(".redline details.unchanged ins, .redline details.unchanged del"),
        0
    );
    // A word added inside raw HTML and inside a paragraph with inline HTML.
    assert_eq!(
        page.texts(".redline .notice ins, .redline p:has(abbr) ins"),
        ["inserted: changed", "inserted: line"]
    );
    // A nested item changed word by word, and a nested list added.
    assert_eq!(
        page.texts(".redline li li ins"),
        ["inserted: Postal address", "inserted: Pages visited"]
    );
    // Right after the folded passages, a changed h3: its old and new
    // headings, at the level they had (the outline never skips).
    assert_eq!(
        page.texts(".redline details.unchanged + h3, .redline details.unchanged + h3 + h3"),
        ["1.1 deleted: Details", "1.1 inserted: Details we keep"]
    );
    // A column dropped: old rows struck whole, new rows inserted whole.
    assert_eq!(page.count(".redline tr.removed"), 4);
}

#[test]
fn moves_say_where_and_footnotes_keep_their_targets() {
    let site = build();
    let page = site.page("/hard/versions/2026-06-01/changes/");
    // Two rows moved to another section's table: noted once in each place,
    // in the row's last cell.
    assert_eq!(
        page.texts(".redline .moved"),
        ["(moved to “Contact”)", "(moved from “Keeping data”)"]
    );
    assert_eq!(page.count(".redline tr.moved-from"), 2);
    assert_eq!(page.count(".redline tr.moved-to"), 2);
    assert_eq!(page.count(".redline td:last-child > .moved"), 2);
    // The moved words are not counted as changes; the column added is.
    assert_eq!(
        page.texts(".redline th ins"),
        ["inserted: Where", "inserted: Data", "inserted: Period"]
    );

    // Version 2 deleted a footnote and renumbered the other: the deleted
    // note keeps its id, the kept one is unmarked.
    let page = site.page("/hard/versions/2026-01-01/changes/");
    assert_eq!(page.attr(".redline .footnote.removed", "id"), "fn-logs");
    assert_eq!(page.count(".redline .footnote:not(.removed) ins"), 0);
}

#[test]
fn a_redline_has_its_version_s_anchors() {
    let site = build();
    for (_, new, url) in PAGES {
        let version = site.page(&format!("/hard/versions/{new}/"));
        let redline = site.page(url);
        let ids = redline.attrs(".redline [id]", "id");
        for id in version.attrs(".document-body :is(h2, h3, h4, h5, h6)[id]", "id") {
            assert!(ids.contains(&id), "{url} has no #{id}: {ids:?}");
        }
    }
}

#[test]
fn the_page_and_clause_diff_count_alike() {
    let site = build();
    for (old, new, url) in PAGES {
        let counts = site.page(url).text(".redline-counts");
        let run = site.run(&["diff", "hard", old, new]);
        run.assert_success();
        // "N words added, M words removed." and "...: N words added, M removed"
        let numbers = |text: &str| -> Vec<u32> {
            text.split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap_or(0))
                .collect()
        };
        let page_counts = numbers(&counts);
        let diff_counts = numbers(run.stderr.rsplit(": ").next().unwrap_or_default());
        assert_eq!(page_counts, diff_counts, "{url}: {counts} / {}", run.stderr);
        // And the words: the page's marks (outside move notes and folded
        // passages) hold the words `clause diff` marks.
        let page = site.page(url);
        let marked = |selector: &str| -> Vec<String> {
            let mut words: Vec<String> = page
                .texts(selector)
                .iter()
                .flat_map(|t| t.split_whitespace().map(str::to_string).collect::<Vec<_>>())
                .filter(|w| w != "inserted:" && w != "deleted:")
                .collect();
            words.sort();
            words
        };
        let in_text = |open: &str, close: &str| -> Vec<String> {
            let mut words = Vec::new();
            for line in run.stdout.lines().filter(|l| !l.contains(" (moved")) {
                let mut rest = line;
                while let Some(start) = rest.find(open) {
                    let Some(len) = rest[start + 2..].find(close) else {
                        break;
                    };
                    words.extend(
                        rest[start + 2..start + 2 + len]
                            .split_whitespace()
                            .map(str::to_string),
                    );
                    rest = &rest[start + 2 + len + 2..];
                }
            }
            words.retain(|w| w != "|");
            words.sort();
            words
        };
        let no_moves =
            ":not(.moved-to *):not(.moved-from *):not(.footnote-ref *):not(.footnote-number *)";
        assert_eq!(
            marked(&format!(".redline ins.change{no_moves}")),
            in_text("{+", "+}"),
            "{url}\n{}",
            run.stdout
        );
        assert_eq!(
            marked(&format!(".redline del.change{no_moves}")),
            in_text("[-", "-]"),
            "{url}\n{}",
            run.stdout
        );
    }
}
