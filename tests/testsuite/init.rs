//! `clause init`: a new site in an empty folder that checks and builds
//! clean, in one language or several; a folder with anything in it is
//! refused; `--theme` copies the default theme to customise.

use crate::harness::TestSite;

#[test]
fn a_new_site_in_one_language_builds_clean() {
    let site = TestSite::empty();
    let run = site.run(&["init"]);
    run.assert_success();
    assert!(run.stderr.contains("wrote config.toml"), "{}", run.stderr);
    assert_eq!(site.read(".gitignore"), "/dist/\n");
    assert!(!site.exists("clause.lock"), "publishing is the team's act");
    let run = site.run(&["check"]);
    run.assert_success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // One of each, said in the singular.
    assert!(
        run.stderr
            .contains("checked 1 document in 1 language (1 version, "),
        "{}",
        run.stderr
    );
    site.run(&["build"]).assert_success();
    let page = site.page("/privacy/");
    assert_eq!(page.text("h1"), "Privacy Policy");
    assert_eq!(page.attr("html", "lang"), "en");
}

#[test]
fn a_new_site_in_three_languages_names_them_and_states_the_governing_one() {
    let site = TestSite::empty();
    site.run(&[
        "init",
        "--language",
        "de",
        "--language",
        "en",
        "--language",
        "zh",
        "--governing",
        "en",
    ])
    .assert_success();
    let config = site.read("config.toml");
    assert!(config.contains("default_language = \"de\""), "{config}");
    assert!(config.contains("governing_language = \"en\""), "{config}");
    assert!(
        config.contains("[languages.de]\nname = \"Deutsch\""),
        "{config}"
    );
    assert!(
        config.contains("[languages.zh]\nname = \"中文\""),
        "{config}"
    );
    let run = site.run(&["build"]);
    run.assert_success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("1 document in 3 languages (3 versions, "),
        "{}",
        run.stderr
    );
    // German is the default language, English governs: the German page says so.
    let german = site.page("/privacy/");
    assert_eq!(german.attr("html", "lang"), "de");
    assert!(german.count(".notice-governing") > 0);
    assert_eq!(site.page("/en/privacy/").count(".notice-governing"), 0);
}

#[test]
fn a_folder_with_anything_in_it_is_refused_and_left_alone() {
    let site = TestSite::empty();
    site.write("notes.txt", "mine\n");
    let run = site.run(&["init"]);
    run.assert_code(1);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert!(!site.exists("config.toml"));
    assert_eq!(site.read("notes.txt"), "mine\n");
    // A fresh git repository is welcome.
    let other = TestSite::empty();
    std::fs::create_dir(other.path(".git")).unwrap();
    other.run(&["init"]).assert_success();
    // Bad languages are refused before anything is written.
    let third = TestSite::empty();
    let run = third.run(&["init", "--language", "English"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("`English` is not a language code"),
        "{}",
        run.stderr
    );
    let run = third.run(&["init", "--language", "en", "--governing", "fr"]);
    run.assert_code(1);
    assert!(run.stderr.contains("add --language fr"), "{}", run.stderr);
    assert!(third.tree(".").is_empty());
}

#[test]
fn the_default_theme_can_be_copied_to_customise() {
    let site = TestSite::empty();
    site.run(&["init", "--theme"]).assert_success();
    assert_eq!(
        site.read("themes/default/static/style.css"),
        include_str!("../../themes/default/static/style.css")
    );
    assert!(site.exists("themes/default/templates/base.html"));
    assert!(site.exists("themes/default/i18n/en.toml"));
    site.write(
        "themes/default/i18n/en.toml",
        &site
            .read("themes/default/i18n/en.toml")
            .replace("contents = \"Contents\"", "contents = \"On this page\""),
    );
    site.run(&["build"]).assert_success();
    assert_eq!(site.page("/privacy/").text(".toc h2"), "On this page");
}
