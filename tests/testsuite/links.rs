//! Link checking: site-absolute and same-page links must reach a page (or
//! file) the build writes, and an anchor on it; each broken one is an error
//! at the link's line.

use crate::harness::TestSite;

const HEADER: &str =
    "---\ntitle: Links\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: en\n---\n";

#[test]
fn valid_links_pass() {
    // The basic fixture links to pages, versions, anchors and a static file.
    let site = TestSite::fixture("basic");
    site.run(&["check", "--as-of", "2026-06-01"])
        .assert_success();
}

#[test]
fn each_broken_link_is_reported_at_its_line_and_column() {
    let site = TestSite::fixture("basic");
    let body = "\n## Here\n\nA [missing page](/nowhere/).\nA [missing anchor](/privacy/#retention) and [no slash](/terms).\n\
                [Same page](#nope), [ok](#here), [missing version](/privacy/versions/9/), [file](/static/missing.css)\n";
    site.write("content/links/1.en.md", &format!("{HEADER}{body}"));
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    let errors = run.error_lines();
    let expected = [
        "content/links/1.en.md:10:3: error: broken link `/nowhere/`",
        "content/links/1.en.md:11:3: error: broken link `/privacy/#retention`: the page has no anchor `#retention` (help: did you mean `#data-retention`?)",
        "content/links/1.en.md:11:45: error: broken link `/terms`: the site has no page `/terms` (help: page URLs end with `/`: write `/terms/`)",
        "content/links/1.en.md:12:1: error: broken link `#nope`",
        "content/links/1.en.md:12:34: error: broken link `/privacy/versions/9/`",
        "content/links/1.en.md:12:75: error: broken link `/static/missing.css`",
    ];
    assert_eq!(errors.len(), expected.len(), "{}", run.stderr);
    for (line, want) in errors.iter().zip(expected) {
        assert!(
            line.starts_with(want),
            "{line}\n  should start with\n{want}"
        );
    }
}

#[test]
fn links_to_drafts_only_resolve_when_drafts_are_built() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/links/1.en.md",
        &format!("{HEADER}\nSee [the draft](/privacy/versions/3/).\n"),
    );
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("content/links/1.en.md:8:5: error: broken link `/privacy/versions/3/`"),
        "{}",
        run.stderr
    );
    site.run(&["check", "--as-of", "2026-06-01", "--drafts"])
        .assert_success();
}

#[test]
fn anchor_links_use_the_target_pages_current_version() {
    let site = TestSite::fixture("basic");
    // `#fees` exists only in the 2027 terms, which is not current in 2026.
    site.write(
        "content/links/1.en.md",
        &format!("{HEADER}\n[fees](/terms/#fees) and [2027 fees](/terms/versions/2027/#fees)\n"),
    );
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    assert_eq!(run.error_lines().len(), 1, "{}", run.stderr);
    assert!(
        run.error_lines()[0]
            .starts_with("content/links/1.en.md:8:1: error: broken link `/terms/#fees`")
    );
    site.run(&["check", "--as-of", "2027-06-01"])
        .assert_success();
}

#[test]
fn anchors_written_for_github_and_raw_html_anchors_resolve() {
    let site = TestSite::fixture("basic");
    let body = "\n## What's a fork?\n\n## 1.1 Description\n\n## Changes & questions\n\n\
                <a name=\"legacy\"></a>\n\nSee [fork](#whats-a-fork), [desc](#11-description), \
                [changes](#changes--questions), [legacy](#legacy) and [old style](#what-s-a-fork).\n";
    site.write("content/links/1.en.md", &format!("{HEADER}{body}"));
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    // Only the link written for the old rule is broken; the hint finds the heading.
    assert_eq!(
        run.error_lines(),
        [
            "content/links/1.en.md:16:107: error: broken link `#what-s-a-fork`: the page has no anchor `#what-s-a-fork` (help: did you mean `#whats-a-fork`?)"
        ],
        "{}",
        run.stderr
    );
    site.write(
        "content/links/1.en.md",
        &format!(
            "{HEADER}{}",
            body.replace(" and [old style](#what-s-a-fork)", "")
        ),
    );
    site.build("2026-06-01").assert_success();
    let page = site.page("/links/");
    let ids = page.attrs("main h2[id]:not(#toc-title)", "id");
    assert_eq!(
        ids,
        ["whats-a-fork", "11-description", "changes--questions"]
    );
}

#[test]
fn broken_links_in_superseded_versions_are_warnings_unless_denied() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/links/1.en.md",
        &format!("{HEADER}\nSee [the old page](/old/).\n"),
    );
    let newer = HEADER
        .replace("2025-01-01", "2025-06-01")
        .replace("\"1\"", "\"2\"");
    site.write(
        "content/links/2.en.md",
        &format!("{newer}\nSee [the old page](/old/) still.\n"),
    );
    // In effect, the link is an error.
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    assert_eq!(run.error_lines().len(), 1, "{}", run.stderr);
    assert!(
        run.error_lines()[0].starts_with("content/links/2.en.md:8:5: error: broken link `/old/`")
    );
    assert!(
        run.stderr.contains(
            "content/links/1.en.md:8:5: warning: broken link `/old/`: the site has no page `/old/`"
        ),
        "{}",
        run.stderr
    );

    // Fixed in the current version, the archived one only warns.
    site.write(
        "content/links/2.en.md",
        &format!("{newer}\nNo more links.\n"),
    );
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_success();
    assert!(
        run.stderr
            .contains("content/links/1.en.md:8:5: warning: broken link `/old/`"),
        "{}",
        run.stderr
    );
    site.build("2026-06-01").assert_success();
    assert!(site.exists("dist/links/versions/1/index.html"));

    // --deny-warnings fails check and build, and the build writes nothing.
    let run = site.run(&["check", "--as-of", "2026-06-01", "--deny-warnings"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .ends_with("clause: 0 errors, 1 warning; the site has problems (--deny-warnings)\n"),
        "{}",
        run.stderr
    );
    let before = site.tree("dist");
    site.write(
        "content/links/2.en.md",
        &format!("{newer}\nNo more links, edited.\n"),
    );
    let run = site.run(&["build", "--as-of", "2026-06-01", "--deny-warnings"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("nothing was written (--deny-warnings)"),
        "{}",
        run.stderr
    );
    assert_eq!(site.tree("dist"), before);
}

#[test]
fn links_through_the_base_path_and_to_the_host_outside_the_site() {
    // The anchors fixture lives at https://example.org/legal/.
    let site = TestSite::fixture("anchors");
    site.write(
        "config.toml",
        "base_url = \"https://example.org/legal/\"\ndefault_language = \"en\"\n\
         host_paths = [\"/support\", \"/3/\"]\n\n[languages.en]\nname = \"English\"\n",
    );
    let body = "\n## Scope\n\n[a](/legal/policy/) [b](/legal/policy/#scope) [c](/legal) [d](/policy/#scope) \
                [e](/support) [f](/support/faq?x=1) [g](/3/uptime)\n\n\
                [h](/legal/nowhere/) [i](/supportive) [j](/legal/policy/#nope)\n";
    site.write("content/links/1.en.md", &format!("{HEADER}{body}"));
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 3, "{}", run.stderr);
    assert!(errors[0].starts_with("content/links/1.en.md:12:1: error: broken link `/legal/nowhere/`: the site has no page `/nowhere/`"), "{}", errors[0]);
    assert!(
        errors[1].starts_with("content/links/1.en.md:12:22: error: broken link `/supportive`"),
        "{}",
        errors[1]
    );
    assert!(errors[2].starts_with("content/links/1.en.md:12:39: error: broken link `/legal/policy/#nope`: the page has no anchor `#nope`"), "{}", errors[2]);

    site.write(
        "content/links/1.en.md",
        &format!("{HEADER}{}", body.split("\n\n[h]").next().unwrap()),
    );
    site.build("2026-06-01").assert_success();
    let hrefs = site.page("/links/").attrs(".document-body p a", "href");
    assert_eq!(
        hrefs,
        [
            "/legal/policy/",
            "/legal/policy/#scope",
            "/legal",
            "/legal/policy/#scope",
            "/support",
            "/support/faq?x=1",
            "/3/uptime"
        ]
    );
}

#[test]
fn host_paths_must_be_outside_the_site() {
    let site = TestSite::fixture("anchors");
    site.write(
        "config.toml",
        "base_url = \"https://example.org/legal/\"\ndefault_language = \"en\"\n\
         host_paths = [\"support\", \"/legal/faq\"]\n\n[languages.en]\nname = \"English\"\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "config.toml:3:1: error: host path `/legal/faq` is inside the site (`/legal/`) (help: links into the site are checked; list only the host's pages outside it)",
            "config.toml:3:1: error: host path `support` does not start with `/` (help: write a path of the host from its root, such as `/support`)",
        ]
    );
}

#[test]
fn a_broken_anchor_finds_the_heading_meant_in_any_language() {
    let site = TestSite::fixture("basic");
    // The Chinese heading 数据保留 has the fixed id `data-retention`.
    let body = "\n## Speicherdauer {#keeping}\n\n[a](#speicherdauer) [b](/privacy/#数据保留) [c](/privacy/#retention-period)\n";
    site.write("content/links/1.en.md", &format!("{HEADER}{body}"));
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "content/links/1.en.md:10:1: error: broken link `#speicherdauer`: the page has no anchor `#speicherdauer` (help: did you mean `#keeping`? It is the anchor of the heading “Speicherdauer”)",
            "content/links/1.en.md:10:21: error: broken link `/privacy/#数据保留`: the page has no anchor `#数据保留` (help: did you mean `#data-retention`? It is the anchor of the heading “数据保留”)",
            "content/links/1.en.md:10:41: error: broken link `/privacy/#retention-period`: the page has no anchor `#retention-period` (help: the nearest anchors on that page are `#data-retention`, `#data-we-collect`; give a heading a fixed anchor with `{#name}`)",
        ],
        "{}",
        run.stderr
    );
}
