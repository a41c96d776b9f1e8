//! Themes: the built-in theme works with nothing but `config.toml` and
//! `content/`; a site's own templates override it; template errors name the
//! template file and line.

use crate::harness::TestSite;

#[test]
fn a_site_with_only_config_and_content_builds_with_the_built_in_theme() {
    let site = TestSite::fixture("minimal");
    assert!(!site.exists("themes"));
    site.build("2026-01-01").assert_success();
    let css = site.read("dist/static/style.css");
    assert_eq!(css, include_str!("../../themes/default/static/style.css"));
    let page = site.page("/terms/");
    assert_eq!(page.text("h1"), "Terms");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://example.com/terms/"
    );
}

#[test]
fn a_sites_templates_override_the_built_in_ones() {
    let site = TestSite::fixture("theme-override");
    site.build("2026-01-01").assert_success();
    assert_eq!(
        site.page("/").text("h1.custom-home"),
        "Custom home for Legal"
    );
    // Templates the theme does not have come from the built-in theme.
    assert_eq!(site.page("/terms/").text("h1"), "Terms");
    assert!(site.exists("dist/static/custom.css"));
    assert!(site.exists("dist/static/style.css"));
}

#[test]
fn the_default_theme_can_be_overridden_file_by_file() {
    let site = TestSite::fixture("minimal");
    site.write(
        "themes/default/templates/home.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Mine</h1>{% endblock main %}",
    );
    site.write("static/style.css", "/* the site's own */");
    site.build("2026-01-01").assert_success();
    assert_eq!(site.page("/").text("h1"), "Mine");
    assert_eq!(site.read("dist/static/style.css"), "/* the site's own */");
}

#[test]
fn template_errors_name_the_template_and_line() {
    let site = TestSite::fixture("template-error");
    let run = site.build("2026-01-01");
    run.assert_code(1);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("themes/default/templates/versions.html:4:"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("no_such_field"), "{}", errors[0]);
    assert!(!site.exists("dist"));
}

#[test]
fn template_syntax_errors_are_reported() {
    let site = TestSite::fixture("minimal");
    site.write(
        "themes/default/templates/home.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert!(
        run.error_lines()[0].starts_with("themes/default/templates/home.html:3:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_theme_is_an_error() {
    let site = TestSite::fixture("minimal");
    let config = site
        .read("config.toml")
        .replace("default_language", "theme = \"nope\"\ndefault_language");
    site.write("config.toml", &config);
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("theme `nope` not found"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_footer_shows_the_contact_fields_of_extra() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    // The fixture's [extra] has none of the theme's contact fields.
    assert_eq!(site.page("/privacy/").count(".site-footer address"), 0);
    let config = site.read("config.toml").replace(
        "[extra]\n",
        "[extra]\ncompany = \"Example & Co. Ltd.\"\naddress = \"1 Main Street\\nSingapore\"\ncontact_email = \"privacy@example.com\"\nphone = \"+65 6000 0000\"\n",
    );
    site.write("config.toml", &config);
    site.build("2026-06-01").assert_success();
    let page = site.page("/zh/privacy/");
    assert_eq!(page.text(".footer-title"), "Example Legal");
    assert_eq!(page.text(".footer-company"), "Example & Co. Ltd.");
    // Lines of the address stay lines (white-space: pre-line).
    assert_eq!(
        page.0
            .select(&scraper::Selector::parse(".footer-address").unwrap())
            .next()
            .unwrap()
            .inner_html(),
        "1 Main Street\nSingapore"
    );
    assert_eq!(
        page.attrs(".site-footer address a", "href"),
        ["mailto:privacy@example.com", "tel:+6560000000"]
    );
    // The feed link is in the page's language.
    assert_eq!(page.attr(".footer-links a", "href"), "/zh/feed.xml");
    assert_eq!(page.text(".footer-links a"), "订阅变更（Atom 源）");
}

#[test]
fn clause_numbers_are_on_unless_extra_turns_them_off() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    let page = site.page("/privacy/");
    assert_eq!(page.count(".document-body.numbered"), 1);
    assert_eq!(page.count(".toc.numbered"), 1);
    let config = site
        .read("config.toml")
        .replace("[extra]\n", "[extra]\nnumber_clauses = false\n");
    site.write("config.toml", &config);
    site.build("2026-06-01").assert_success();
    let page = site.page("/privacy/");
    assert_eq!(page.count(".numbered"), 0);
    assert_eq!(page.count(".document-body"), 1);
}

#[test]
fn every_page_has_landmarks_a_skip_link_one_h1_and_breadcrumbs() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    for url in site.page_urls() {
        let page = site.page(&url);
        assert_eq!(page.count("h1"), 1, "{url}");
        assert_eq!(page.attr("a.skip-link", "href"), "#main", "{url}");
        for landmark in ["header.site-header", "main#main", "footer.site-footer"] {
            assert_eq!(page.count(landmark), 1, "{url} {landmark}");
        }
        // Heading levels never skip one.
        let levels: Vec<u8> = page
            .tags("h1, h2, h3, h4, h5, h6")
            .iter()
            .map(|t| t[1..].parse().unwrap())
            .collect();
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{url}: {levels:?}");
        }
        if url.contains("/versions/") {
            assert_eq!(page.count(".breadcrumb [aria-current=page]"), 1, "{url}");
        }
    }
}

#[test]
fn a_theme_brings_words_of_its_own_and_translations_of_the_built_in_ones() {
    let site = TestSite::fixture("theme-override");
    site.write(
        "config.toml",
        &(site.read("config.toml") + "\n[languages.de]\nname = \"Deutsch\"\n"),
    );
    site.write("content/terms/1.de.md", "---\ntitle: Bedingungen\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: de\n---\n\nText.\n");
    site.write(
        "themes/custom/templates/home.html",
        "{% extends \"base.html\" %}\n{% block main %}<h1 class=\"custom-home\">{{ t.cookie_settings }}</h1><p class=\"contents\">{{ t.contents }}</p>{% endblock main %}\n",
    );
    site.write(
        "themes/custom/i18n/en.toml",
        "[words]\ncookie_settings = \"Cookie settings\"\ncontents = \"On this page\"\n",
    );
    site.write(
        "themes/custom/i18n/de.toml",
        "[words]\ncookie_settings = \"Cookie-Einstellungen\"\n",
    );
    let run = site.build("2026-01-01");
    run.assert_success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let home = site.page("/");
    assert_eq!(home.text("h1.custom-home"), "Cookie settings");
    assert_eq!(home.text("p.contents"), "On this page");
    let german = site.page("/de/");
    assert_eq!(german.text("h1.custom-home"), "Cookie-Einstellungen");
    // Words the theme does not translate keep the built-in German.
    assert_eq!(german.text("p.contents"), "Inhalt");

    // A word the English file does not define is an error at its line.
    site.write(
        "themes/custom/i18n/de.toml",
        "[words]\ncookie_settings = \"Cookie-Einstellungen\"\ncookie_setings = \"x\"\n",
    );
    let run = site.run(&["check", "--as-of", "2026-01-01"]);
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "themes/custom/i18n/de.toml:3:18: error: `cookie_setings` is not one of the theme's words (help: did you mean `cookie_settings`; a theme adds a key of its own in its i18n/en.toml first)"
        ]
    );
}

#[test]
fn the_theme_stylesheet_is_linked_by_a_name_that_carries_its_hash() {
    let site = TestSite::fixture("minimal");
    site.build("2026-01-01").assert_success();
    let hashed = crate::harness::hashed_style();
    let href = site.page("/terms/").attr("link[rel=stylesheet]", "href");
    assert_eq!(href, format!("/{hashed}"));
    let css = include_str!("../../themes/default/static/style.css");
    assert_eq!(site.read(&format!("dist/{hashed}")), css);
    // The plain name stays for links written before (a custom theme's, a cached page's).
    assert_eq!(site.read("dist/static/style.css"), css);

    // Other bytes, another name; the old one is gone.
    site.write("themes/default/static/style.css", "body { color: black }\n");
    site.build("2026-01-01").assert_success();
    let changed = site.page("/terms/").attr("link[rel=stylesheet]", "href");
    assert_ne!(changed, href);
    assert!(changed.starts_with("/static/style.") && changed.ends_with(".css"));
    assert_eq!(
        site.read(&format!("dist{changed}")),
        "body { color: black }\n"
    );
    assert!(!site.exists(&format!("dist/{hashed}")));

    // The site's own static/style.css replaces the theme's: linked by its plain name.
    site.write("static/style.css", "body { color: navy }\n");
    site.build("2026-01-01").assert_success();
    assert_eq!(
        site.page("/terms/").attr("link[rel=stylesheet]", "href"),
        "/static/style.css"
    );
    assert_eq!(site.read("dist/static/style.css"), "body { color: navy }\n");
}
