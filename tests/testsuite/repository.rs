//! A policy repository as it is: links between source files written for
//! GitHub, attachments beside the policies, old addresses.

use crate::harness::TestSite;

fn file(version: &str, date: &str, language: &str, body: &str) -> String {
    format!(
        "---\ntitle: Links\neffective_date: {date}\nversion: \"{version}\"\nlanguage: {language}\n---\n{body}"
    )
}

const LINKS: &str = "\n## Scope\n\n[terms](../terms/) [fees](../terms/#acceptance) [dpa](../legal/dpa/) \
[v1](../privacy/1.en.md) [home](../) [self](./) [notes](notes.txt) [deck](Overview%20Deck.pdf) \
[web](https://example.com/) [out](../../README.md)\n";

/// Hrefs of the links in the body of `url`, in order.
fn hrefs(site: &TestSite, url: &str, selector: &str) -> Vec<String> {
    site.page(url).attrs(selector, "href")
}

#[test]
fn relative_links_between_sources_reach_the_page_they_mean_from_every_page() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/links/1.en.md",
        &file("1", "2025-01-01", "en", LINKS),
    );
    site.write(
        "content/links/1.zh.md",
        &file("1", "2025-01-01", "zh", LINKS),
    );
    site.write(
        "content/links/2.en.md",
        &file("2", "2025-06-01", "en", &format!("{LINKS}\nMore.\n")),
    );
    site.write("content/links/notes.txt", "notes\n");
    site.write("content/links/Overview Deck.pdf", "%PDF-1.4\n");
    site.build("2026-06-01").assert_success();

    let en = [
        "/terms/",
        "/terms/#acceptance",
        "/legal/dpa/",
        "/privacy/versions/1/",
        "/",
        "/links/",
        "/links/notes.txt",
        "/links/Overview%20Deck.pdf",
        "https://example.com/",
        "../../README.md",
    ];
    let body = ".document-body p a";
    // The current page, a version page and the redline show the same links.
    assert_eq!(hrefs(&site, "/links/", body), en);
    assert_eq!(hrefs(&site, "/links/versions/1/", body), en);
    let redline: Vec<String> = hrefs(&site, "/links/versions/2/changes/", "main p a")
        .into_iter()
        .filter(|h| en.contains(&h.as_str()))
        .collect();
    assert_eq!(redline, en);
    // In Chinese: the Chinese pages where they exist, else the default's.
    let zh = hrefs(&site, "/zh/links/", body);
    assert_eq!(
        zh[..6],
        [
            "/zh/terms/",
            "/zh/terms/#acceptance",
            "/legal/dpa/",
            "/privacy/versions/1/",
            "/zh/",
            "/zh/links/"
        ]
    );
    // Attachments are published at their path.
    assert_eq!(site.read("dist/links/notes.txt"), "notes\n");
    assert!(site.exists("dist/links/Overview Deck.pdf"));
}

#[test]
fn relative_links_on_a_combined_page_follow_each_sections_language() {
    let site = TestSite::fixture("combined");
    let body = "\n[privacy](../privacy/) [cookies](../cookies/) [home](../)\n";
    site.write(
        "content/links/1.en.md",
        &file("1", "2025-01-01", "en", body),
    );
    site.write(
        "content/links/1.zh.md",
        &file("1", "2025-01-01", "zh", body),
    );
    site.build("2026-06-01").assert_success();
    let section = |lang: &str| {
        hrefs(
            &site,
            "/links/",
            &format!("section[lang={lang}] .document-body p a"),
        )
    };
    assert_eq!(section("en"), ["/privacy/", "/cookies/", "/"]);
    // Cookies has no Chinese text: its default-language page.
    assert_eq!(section("zh-Hans"), ["/zh/privacy/", "/cookies/", "/zh/"]);
}

#[test]
fn a_relative_link_into_content_that_reaches_nothing_is_broken() {
    let site = TestSite::fixture("basic");
    let body = "\n[gone](../nothing/) [typo](../term/#acceptance) [bad anchor](../terms/#nope)\n";
    site.write(
        "content/links/1.en.md",
        &file("1", "2025-01-01", "en", body),
    );
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 3, "{}", run.stderr);
    assert!(errors[0].starts_with("content/links/1.en.md:8:1: error: broken link `../nothing/`: there is no document, version file or attachment at `content/nothing`"), "{}", errors[0]);
    assert!(errors[1].starts_with("content/links/1.en.md:8:21: error: broken link `../term/#acceptance`: there is no document, version file or attachment at `content/term`"), "{}", errors[1]);
    assert!(errors[2].starts_with("content/links/1.en.md:8:49: error: broken link `../terms/#nope`: the page has no anchor `#nope`"), "{}", errors[2]);
}

#[test]
fn links_to_attachments_are_checked_and_a_symlink_out_of_the_site_is_refused() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/links/1.en.md",
        &file(
            "1",
            "2025-01-01",
            "en",
            "\n[key](/links/key.pub) [other](/links/other.pub) [alias](same.pub)\n",
        ),
    );
    site.write("content/links/key.pub", "KEY\n");
    // A symbolic link to another file inside the site is published as that file.
    #[cfg(unix)]
    std::os::unix::fs::symlink("key.pub", site.path("content/links/same.pub")).unwrap();
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    assert_eq!(run.error_lines().len(), 1, "{}", run.stderr);
    assert!(run.error_lines()[0].starts_with("content/links/1.en.md:8:23: error: broken link `/links/other.pub`: the site has no page `/links/other.pub`"));

    site.write(
        "content/links/1.en.md",
        &file(
            "1",
            "2025-01-01",
            "en",
            "\n[key](/links/key.pub) [alias](same.pub)\n",
        ),
    );
    site.build("2026-06-01").assert_success();
    assert_eq!(site.read("dist/links/same.pub"), "KEY\n");

    #[cfg(unix)]
    {
        let outside = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(outside.path(), "SECRET").unwrap();
        std::os::unix::fs::symlink(outside.path(), site.path("content/links/secret.txt")).unwrap();
        let before = site.tree("dist");
        let run = site.run(&["build", "--as-of", "2026-06-01"]);
        run.assert_code(1);
        assert!(
            run.stderr
                .contains("content/links/secret.txt:1:1: error: this is a symbolic link to `"),
            "{}",
            run.stderr
        );
        assert_eq!(site.tree("dist"), before);
    }
}

const ALIASES: &str = "\n[aliases]\n\"privacy\" = [\"/privacy.html\", \"/about/privacy\", \"/zh/yinsi/\"]\n\"legal/dpa\" = [\"/dpa/\"]\n";

#[test]
fn old_addresses_redirect_to_the_documents_page() {
    let site = TestSite::fixture("basic");
    let config = site.read("config.toml");
    let config = config.replace("[extra]", &format!("{ALIASES}\n[extra]"));
    site.write("config.toml", &config);
    // Links to an old address are good links; their anchors are the page's.
    let body = "\n[a](/privacy.html) [b](/about/privacy/#data-retention) [c](/dpa/) [d](/about/privacy/#nope)\n";
    site.write(
        "content/links/1.en.md",
        &file("1", "2025-01-01", "en", body),
    );
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    assert_eq!(run.error_lines().len(), 1, "{}", run.stderr);
    assert!(run.error_lines()[0].starts_with("content/links/1.en.md:8:67: error: broken link `/about/privacy/#nope`: the page has no anchor `#nope`"), "{}", run.stderr);
    site.write(
        "content/links/1.en.md",
        &file(
            "1",
            "2025-01-01",
            "en",
            &body.replace(" [d](/about/privacy/#nope)", ""),
        ),
    );
    site.build("2026-06-01").assert_success();

    // A redirect page: meta refresh, canonical, noindex, a plain link.
    for (file, to, lang) in [
        ("dist/privacy.html", "/privacy/", "en"),
        ("dist/about/privacy/index.html", "/privacy/", "en"),
        ("dist/zh/yinsi/index.html", "/zh/privacy/", "zh"),
        ("dist/dpa/index.html", "/legal/dpa/", "en"),
    ] {
        let page = crate::harness::Page(scraper::Html::parse_document(&site.read(file)));
        assert_eq!(
            page.attr("meta[http-equiv=refresh]", "content"),
            format!("0; url={to}"),
            "{file}"
        );
        assert_eq!(
            page.attr("link[rel=canonical]", "href"),
            format!("https://legal.example.com{to}")
        );
        assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
        assert_eq!(page.attr("main a", "href"), to);
        assert_eq!(page.attr("html", "lang"), lang);
    }
    assert_eq!(
        crate::harness::Page(scraper::Html::parse_document(
            &site.read("dist/privacy.html")
        ))
        .text("main a"),
        "Go to Privacy Policy"
    );
    // `_redirects`, as Netlify and Cloudflare Pages read it.
    let redirects = site.read("dist/_redirects");
    let lines: Vec<&str> = redirects.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "/dpa/ /legal/dpa/ 301",
            "/dpa /legal/dpa/ 301",
            // An old folder keeps every page under it.
            "/dpa/versions/ /legal/dpa/versions/ 301",
            "/dpa/versions /legal/dpa/versions/ 301",
            "/dpa/versions/1/ /legal/dpa/versions/1/ 301",
            "/dpa/versions/1 /legal/dpa/versions/1/ 301",
            "/privacy.html /privacy/ 301",
            "/about/privacy /privacy/ 301",
            "/about/privacy/ /privacy/ 301",
            "/zh/yinsi/ /zh/privacy/ 301",
            "/zh/yinsi /zh/privacy/ 301",
            "/zh/yinsi/versions/ /zh/privacy/versions/ 301",
            "/zh/yinsi/versions /zh/privacy/versions/ 301",
            "/zh/yinsi/versions/2/changes/ /zh/privacy/versions/2/changes/ 301",
            "/zh/yinsi/versions/2/changes /zh/privacy/versions/2/changes/ 301",
            "/zh/yinsi/versions/2/ /zh/privacy/versions/2/ 301",
            "/zh/yinsi/versions/2 /zh/privacy/versions/2/ 301",
            "/zh/yinsi/versions/1/ /zh/privacy/versions/1/ 301",
            "/zh/yinsi/versions/1 /zh/privacy/versions/1/ 301",
        ]
    );
    let old_version = crate::harness::Page(scraper::Html::parse_document(
        &site.read("dist/zh/yinsi/versions/1/index.html"),
    ));
    assert_eq!(
        old_version.attr("meta[http-equiv=refresh]", "content"),
        "0; url=/zh/privacy/versions/1/"
    );
    // Not in the sitemap.
    let sitemap = site.read("dist/sitemap.xml");
    assert!(
        !sitemap.contains("yinsi")
            && !sitemap.contains("privacy.html")
            && !sitemap.contains("example.com/dpa/")
    );
}

#[test]
fn aliases_must_name_a_document_and_a_free_plain_address() {
    let site = TestSite::fixture("basic");
    let config = site.read("config.toml").replace(
        "[extra]",
        "[aliases]\n\"privacy\" = [\"/terms/\", \"/a/../b\", \"old\"]\n\"privcy\" = [\"/x/\"]\n\n[extra]",
    );
    site.write("config.toml", &config);
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].contains("error: alias `/a/../b` of `privacy` has an empty, `.` or `..` segment"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains("error: alias `old` of `privacy` does not start with `/`"),
        "{}",
        errors[1]
    );
    let config = site
        .read("config.toml")
        .replace("\"/a/../b\", \"old\"", "\"/ok/\"");
    site.write("config.toml", &config);
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].contains("error: alias `/terms/` of `privacy` is already a page"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains(
            "error: aliases of `privcy`: there is no such document (help: did you mean `privacy`?)"
        ),
        "{}",
        errors[1]
    );
}

#[test]
fn email_autolinks_are_mail_links_not_links_between_sources() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/links/1.en.md",
        &file(
            "1",
            "2025-01-01",
            "en",
            "\nWrite to <legal@example.com> or [the DPO](mailto:dpo@example.com).\n",
        ),
    );
    let run = site.build("2026-06-01");
    run.assert_success();
    assert!(!run.stderr.contains("broken link"), "{}", run.stderr);
    assert_eq!(
        hrefs(&site, "/links/", ".document-body p a"),
        ["mailto:legal@example.com", "mailto:dpo@example.com"]
    );
}
