//! Site variables in the text (`{{ site.title }}`, `{{ site.extra.NAME }}`,
//! a language's own extra), template code of other generators, and the lock
//! over the text readers see.

use crate::harness::TestSite;

const CONFIG: &str = "base_url = \"https://legal.example.com/\"\ntitle = \"Example Legal\"\n\
default_language = \"en\"\n\n[languages.en]\nname = \"English\"\n\n\
[languages.zh]\nname = \"中文\"\n\n[languages.zh.extra]\nsupport = \"mailto:zh@example.com\"\n\n\
[extra]\nsupport = \"mailto:help@example.com\"\ncompany = \"Example Ltd\"\n";

fn file(version: &str, date: &str, language: &str, body: &str) -> String {
    format!(
        "---\ntitle: Vars\neffective_date: {date}\nversion: \"{version}\"\nlanguage: {language}\n---\n{body}"
    )
}

fn site_with(body_en: &str) -> TestSite {
    let site = TestSite::fixture("minimal");
    site.write("config.toml", CONFIG);
    site.write(
        "content/vars/1.en.md",
        &file("1", "2025-01-01", "en", body_en),
    );
    site
}

#[test]
fn variables_are_expanded_in_text_and_links_but_not_in_code() {
    let body = "\n{{ site.title }} is run by {{ site.extra.company }}: [write to us]({{ site.extra.support }}).\n\n\
                `{{ site.title }}` stays, and so does \\{{ site.title }}.\n\n```\n{{ site.extra.company }}\n```\n";
    let site = site_with(body);
    site.write(
        "content/vars/1.zh.md",
        &file(
            "1",
            "2025-01-01",
            "zh",
            "\n[联系]({{ site.extra.support }}) {{ site.extra.company }}\n",
        ),
    );
    site.build("2026-01-01").assert_success();
    let page = site.page("/vars/");
    let paragraphs = page.texts(".document-body p");
    assert_eq!(
        paragraphs[0],
        "Example Legal is run by Example Ltd: write to us."
    );
    assert_eq!(
        paragraphs[1],
        "{{ site.title }} stays, and so does {{ site.title }}."
    );
    assert_eq!(
        page.text(".document-body pre code"),
        "{{ site.extra.company }}"
    );
    assert_eq!(
        page.attrs(".document-body p a", "href"),
        ["mailto:help@example.com"]
    );
    // The language's own value wins over the site's; the rest is the site's.
    let zh = site.page("/zh/vars/");
    assert_eq!(
        zh.attrs(".document-body p a", "href"),
        ["mailto:zh@example.com"]
    );
    assert_eq!(zh.text(".document-body p"), "联系 Example Ltd");
}

#[test]
fn an_unknown_variable_is_an_error_at_its_line_with_the_closest_name() {
    let site =
        site_with("\nLine one.\n\nMail [us]({{ site.extra.suport }}) or {{ site.titel }}.\n");
    let run = site.run(&["check", "--as-of", "2026-01-01"]);
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "content/vars/1.en.md:10:11: error: unknown variable `site.extra.suport` (help: did you mean `{{ site.extra.support }}`?)",
            "content/vars/1.en.md:10:39: error: unknown variable `site.titel` (help: did you mean `{{ site.title }}`?)",
        ]
    );
}

#[test]
fn template_code_is_an_error_in_current_text_and_a_warning_in_archived_text() {
    let code = "\n{% for person in site.data.people %}\n- {{ person.name }}\n{% endfor %}\n";
    let site = site_with(code);
    let run = site.run(&["check", "--as-of", "2026-01-01"]);
    run.assert_code(1);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 3, "{}", run.stderr);
    assert!(errors[0].starts_with("content/vars/1.en.md:8:1: error: template code `{% for person in site.data.people %}` is not run: it is shown as written"), "{}", errors[0]);
    assert!(
        errors[1].starts_with("content/vars/1.en.md:9:3: error: template code `{{ person.name }}`"),
        "{}",
        errors[1]
    );

    // Once superseded, the same text only warns, and shows as written.
    site.write(
        "content/vars/2.en.md",
        &file("2", "2025-06-01", "en", "\nPeople.\n"),
    );
    let run = site.run(&["build", "--as-of", "2026-01-01"]);
    run.assert_success();
    assert_eq!(
        run.stderr.matches(": warning: template code").count(),
        3,
        "{}",
        run.stderr
    );
    let page = site.page("/vars/versions/1/");
    assert!(
        page.text(".document-body li")
            .starts_with("{{ person.name }}")
    );
    assert!(
        page.text(".document-body")
            .contains("{% for person in site.data.people %}")
    );
}

#[test]
fn a_changed_value_changes_locked_text_and_fails_like_an_edit() {
    let site = site_with("\nWrite to {{ site.extra.support }}.\n");
    site.run(&["lock"]).assert_success();
    site.run(&["check", "--as-of", "2026-01-01"])
        .assert_success();
    // The same text with the same values: the lock holds.
    site.write(
        "config.toml",
        &CONFIG.replace("title = \"Example Legal\"", "title = \"Renamed\""),
    );
    site.run(&["check", "--as-of", "2026-01-01"])
        .assert_success();
    // A value the text uses: the text readers see changed.
    site.write(
        "config.toml",
        &CONFIG.replace("mailto:help@", "mailto:support@"),
    );
    let run = site.run(&["check", "--as-of", "2026-01-01"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("content/vars/1.en.md:1:1: error: the text of")
            && run
                .stderr
                .contains("value in config.toml that the text uses"),
        "{}",
        run.stderr
    );
}

#[test]
fn problems_after_a_variable_are_reported_where_they_are_in_the_file() {
    let site =
        site_with("\n{{ site.extra.company }} and {{ site.title }} [a broken link](/nowhere/).\n");
    let run = site.run(&["check", "--as-of", "2026-01-01"]);
    run.assert_code(1);
    assert_eq!(run.error_lines().len(), 1, "{}", run.stderr);
    assert!(
        run.error_lines()[0]
            .starts_with("content/vars/1.en.md:8:47: error: broken link `/nowhere/`"),
        "{}",
        run.stderr
    );
}
