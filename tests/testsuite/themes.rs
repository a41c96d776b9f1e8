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
