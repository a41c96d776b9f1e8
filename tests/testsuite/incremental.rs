//! The cached pipeline (what `clause watch` runs) gives the same bytes as a
//! fresh build after every kind of edit. Runs the library directly, with no
//! file watcher, so each step is exact.

use clause::build::Cache;
use clause::build::{self as pipeline, Options};

use crate::harness::TestSite;

fn options(site: &TestSite, as_of: &str, drafts: bool) -> Options {
    Options {
        root: site.root.clone(),
        output: Some(site.path("dist")),
        as_of: clause::load::frontmatter::parse_date(as_of).unwrap(),
        drafts,
        deny_warnings: false,
        locked: false,
        offline: false,
    }
}

/// Builds with the long-lived cache, then checks `dist/` against a fresh
/// build of the same sources in another folder.
#[track_caller]
fn rebuild_and_compare(site: &TestSite, cache: &mut Cache, as_of: &str, drafts: bool) -> usize {
    let built = pipeline::build_with(&options(site, as_of, drafts), cache)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let fresh = TestSite::empty();
    for part in ["config.toml", "content", "static", "themes"] {
        if site.path(part).exists() {
            copy(&site.path(part), &fresh.path(part));
        }
    }
    let mut args = vec!["build", "--as-of", as_of];
    if drafts {
        args.push("--drafts");
    }
    fresh.run(&args).assert_success();
    assert_eq!(site.tree("dist"), fresh.tree("dist"));
    built.pages_rendered
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

#[test]
fn every_edit_gives_the_bytes_of_a_fresh_build_and_renders_only_what_changed() {
    let site = TestSite::fixture("basic");
    let mut cache = Cache::default();
    let all = rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    assert_eq!(all, 26);
    // Nothing changed: nothing rendered.
    assert_eq!(
        rebuild_and_compare(&site, &mut cache, "2026-06-01", false),
        0
    );

    // A body edit re-renders that version's pages only.
    let text = site
        .read("content/cookies/1.en.md")
        .replace("Only a session cookie.", "No cookies.");
    site.write("content/cookies/1.en.md", &text);
    assert_eq!(
        rebuild_and_compare(&site, &mut cache, "2026-06-01", false),
        2
    );

    // A title edit reaches the home pages and the versions list too.
    let text = site
        .read("content/cookies/1.en.md")
        .replace("title: Cookie Policy", "title: Cookies");
    site.write("content/cookies/1.en.md", &text);
    assert_eq!(
        rebuild_and_compare(&site, &mut cache, "2026-06-01", false),
        5
    );

    // A new file, a removed file, a renamed folder.
    site.write("content/cookies/1.zh.md", "---\ntitle: Cookie\neffective_date: 2025-06-01\nversion: \"1\"\nlanguage: zh\n---\n仅会话。\n");
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    site.remove("content/cookies/1.zh.md");
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    std::fs::rename(
        site.path("content/legal/dpa"),
        site.path("content/legal/processing"),
    )
    .unwrap();
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);

    // A static file and a template.
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    assert_eq!(
        rebuild_and_compare(&site, &mut cache, "2026-06-01", false),
        0
    );
    site.write("themes/default/templates/versions.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ document.title }}</h1>{% endblock main %}");
    // Any template change renders every page again (templates extend and
    // include each other).
    assert_eq!(
        rebuild_and_compare(&site, &mut cache, "2026-06-01", false),
        26
    );

    // The configuration, the as-of date and drafts.
    let config = site
        .read("config.toml")
        .replace("title = \"Example Legal\"", "title = \"Other\"");
    site.write("config.toml", &config);
    assert_eq!(
        rebuild_and_compare(&site, &mut cache, "2026-06-01", false),
        26
    );
    rebuild_and_compare(&site, &mut cache, "2027-02-01", false);
    rebuild_and_compare(&site, &mut cache, "2027-02-01", true);
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
}

#[test]
fn a_failed_build_in_between_changes_nothing_after_the_fix() {
    let site = TestSite::fixture("basic");
    let mut cache = Cache::default();
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    let good = site.read("content/privacy/2.en.md");
    site.write("content/privacy/2.en.md", "---\ntitle: broken\n");
    let failed = pipeline::build_with(&options(&site, "2026-06-01", false), &mut cache);
    assert!(matches!(failed, Err(pipeline::Error::Invalid(_))));
    site.write(
        "content/privacy/2.en.md",
        &good.replace("One year.", "Two years."),
    );
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
}

/// A rebuild told which files changed (as `clause watch` tells it) reads
/// those only, and still gives the bytes of a fresh build: after an edit,
/// a new file, a removed one.
#[test]
fn a_rebuild_told_what_changed_gives_the_bytes_of_a_fresh_build() {
    let site = TestSite::fixture("basic");
    let mut cache = Cache::default();
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    let edit = "content/cookies/1.en.md";
    let text = site
        .read(edit)
        .replace("Only a session cookie.", "No cookies.");
    site.write(edit, &text);
    cache.changed_since_last_build(&[edit.into()]);
    assert_eq!(
        rebuild_and_compare(&site, &mut cache, "2026-06-01", false),
        2
    );
    let added = "content/cookies/1.zh.md";
    site.write(added, "---\ntitle: Cookie\neffective_date: 2025-06-01\nversion: \"1\"\nlanguage: zh\n---\n仅会话。\n");
    cache.changed_since_last_build(&[added.into()]);
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    site.remove(added);
    cache.changed_since_last_build(&[added.into()]);
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);

    // An attachment added, edited and linked; then a variable's value.
    let attachment = "content/cookies/list.txt";
    site.write(attachment, "one\n");
    cache.changed_since_last_build(&[attachment.into()]);
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    site.write(attachment, "one\ntwo\n");
    cache.changed_since_last_build(&[attachment.into()]);
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    assert_eq!(site.read("dist/cookies/list.txt"), "one\ntwo\n");
    let text = site.read(edit).replace(
        "No cookies.",
        "No [cookies](list.txt), {{ site.extra.contact }}.",
    );
    site.write(edit, &text);
    cache.changed_since_last_build(&[edit.into()]);
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    let config = site
        .read("config.toml")
        .replace("legal@example.com", "privacy@example.com");
    site.write("config.toml", &config);
    cache.changed_since_last_build(&["config.toml".into()]);
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    assert!(
        site.read("dist/cookies/index.html")
            .contains("privacy@example.com")
    );
}

/// Links are checked again when what they point at changes, though the
/// document that makes them did not.
#[test]
fn a_link_breaks_when_its_target_goes_though_its_own_file_is_unchanged() {
    let site = TestSite::fixture("basic");
    let mut cache = Cache::default();
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
    // The terms link to `/privacy/#data-retention`; the anchor goes.
    let file = "content/privacy/2.en.md";
    let text = site.read(file);
    let without = text.replace("{#data-retention}", "{#keeping-data}");
    assert_ne!(text, without, "the fixture gives the heading that id");
    site.write(file, &without);
    cache.changed_since_last_build(&[file.into()]);
    let failed = pipeline::build_with(&options(&site, "2026-06-01", false), &mut cache);
    let Err(pipeline::Error::Invalid(problems)) = failed else {
        panic!("the broken link was not reported: {failed:?}");
    };
    assert!(
        problems
            .iter()
            .any(|p| p.path.ends_with("terms/2025.en.md") && p.message.contains("#data-retention")),
        "{problems:?}"
    );
    // Put back, the site builds again.
    site.write(file, &text);
    cache.changed_since_last_build(&[file.into()]);
    rebuild_and_compare(&site, &mut cache, "2026-06-01", false);
}
