//! Output writing: only changed files are rewritten (modification times of
//! the rest are kept), stale files are removed, and output folders that would
//! mix with the sources are refused.

use std::time::{Duration, SystemTime};

use crate::harness::TestSite;

fn mtimes(site: &TestSite) -> Vec<(String, SystemTime)> {
    site.tree("dist")
        .into_keys()
        .map(|rel| {
            let modified = std::fs::metadata(site.path(&format!("dist/{rel}")))
                .unwrap()
                .modified()
                .unwrap();
            (rel, modified)
        })
        .collect()
}

/// Sets every output file's modification time to a fixed past instant.
fn age_output(site: &TestSite) -> SystemTime {
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for rel in site.tree("dist").into_keys() {
        let file = std::fs::File::options()
            .write(true)
            .open(site.path(&format!("dist/{rel}")))
            .unwrap();
        file.set_modified(past).unwrap();
    }
    past
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    let past = age_output(&site);
    let run = site.build("2026-06-01");
    run.assert_success();
    assert!(
        run.stderr
            .contains("0 files written, 34 unchanged, 0 removed"),
        "{}",
        run.stderr
    );
    assert!(mtimes(&site).iter().all(|(_, t)| *t == past));
}

#[test]
fn an_edit_rewrites_only_the_pages_it_changes() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    let past = age_output(&site);
    let text = site
        .read("content/cookies/1.en.md")
        .replace("Only a session cookie.", "A session cookie.");
    site.write("content/cookies/1.en.md", &text);
    let run = site.build("2026-06-01");
    run.assert_success();
    let changed: Vec<String> = mtimes(&site)
        .into_iter()
        .filter(|(_, t)| *t != past)
        .map(|(p, _)| p)
        .collect();
    // The two pages, and the index with the text's hashes.
    assert_eq!(
        changed,
        [
            "cookies/index.html",
            "cookies/versions/1/index.html",
            "documents.json"
        ]
    );
    assert!(
        run.stderr
            .contains("3 files written, 31 unchanged, 0 removed"),
        "{}",
        run.stderr
    );
}

#[test]
fn stale_files_are_removed() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    site.write("dist/stray.txt", "not part of the site");
    site.remove("content/cookies/1.en.md");
    let run = site.build("2026-06-01");
    run.assert_success();
    assert!(run.stderr.contains(", 4 removed"), "{}", run.stderr);
    assert!(!site.exists("dist/cookies"));
    assert!(!site.exists("dist/stray.txt"));
    assert!(site.exists("dist/privacy/index.html"));
    // Only what a fresh build would write is left.
    let fresh = TestSite::fixture("basic");
    fresh.remove("content/cookies/1.en.md");
    fresh.build("2026-06-01").assert_success();
    assert_eq!(site.tree("dist"), fresh.tree("dist"));
}

#[test]
fn output_folders_that_mix_with_the_sources_are_refused() {
    let site = TestSite::fixture("basic");
    std::fs::create_dir_all(site.root.parent().unwrap().join("other/content")).unwrap();
    for output in [
        ".",
        "..",
        "content",
        "content/out",
        "static/out",
        "../other",
        "./dist/..",
    ] {
        let run = site.run(&["build", "--as-of", "2026-06-01", "--output", output]);
        run.assert_code(1);
        assert!(
            run.stderr.starts_with("error: refusing to write to"),
            "{output}: {}",
            run.stderr
        );
    }
    assert!(!site.exists("index.html"));
    assert!(!site.exists("content/index.html"));
    assert!(!site.exists("static/out"));
    // A config output_dir pointing at the root is refused the same way.
    let config = site
        .read("config.toml")
        .replace("title =", "output_dir = \".\"\ntitle =");
    site.write("config.toml", &config);
    site.build("2026-06-01").assert_code(1);
    assert!(!site.exists("index.html"));
}

#[test]
fn output_dir_from_config() {
    let site = TestSite::fixture("basic");
    let config = site
        .read("config.toml")
        .replace("title =", "output_dir = \"public\"\ntitle =");
    site.write("config.toml", &config);
    site.build("2026-06-01").assert_success();
    assert!(site.exists("public/index.html"));
    assert!(!site.exists("dist"));
}

#[cfg(unix)]
#[test]
fn symlinks_cannot_smuggle_the_output_into_the_sources() {
    use std::os::unix::fs::symlink;
    let site = TestSite::fixture("minimal");
    let outside = site.root.parent().unwrap();
    // `link/..` is the content folder's parent (the site root) to the file system.
    symlink(site.path("content"), outside.join("link")).unwrap();
    let run = site.run(&[
        "build",
        "--as-of",
        "2026-01-01",
        "--output",
        outside.join("link/..").to_str().unwrap(),
    ]);
    run.assert_code(1);
    assert!(run.stderr.contains("refusing to write"), "{}", run.stderr);
    assert!(site.exists("config.toml") && site.exists("content/terms/1.en.md"));
    assert!(!site.exists("index.html"));

    // A content folder that is a symlink into the output folder.
    let elsewhere = outside.join("data");
    std::fs::create_dir_all(elsewhere.join("legal")).unwrap();
    std::fs::rename(site.path("content"), elsewhere.join("legal/content")).unwrap();
    symlink(elsewhere.join("legal/content"), site.path("content")).unwrap();
    // Refused as a link out of the site unless config.toml allows it.
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("content:1:1: error: this is a symbolic link to `"),
        "{}",
        run.stderr
    );
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &format!(
            "allow_symlinks_to = [{:?}]\n{config}",
            elsewhere.to_str().unwrap()
        ),
    );
    let run = site.run(&[
        "build",
        "--as-of",
        "2026-01-01",
        "--output",
        elsewhere.to_str().unwrap(),
    ]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("it contains the site's sources"),
        "{}",
        run.stderr
    );
    assert!(elsewhere.join("legal/content/terms/1.en.md").exists());
}

#[cfg(unix)]
#[test]
fn writes_never_follow_a_symlink_out_of_the_output_folder() {
    let site = TestSite::fixture("minimal");
    site.build("2026-01-01").assert_success();
    let victim = site.root.parent().unwrap().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::remove_dir_all(site.path("dist/terms")).unwrap();
    std::os::unix::fs::symlink(&victim, site.path("dist/terms")).unwrap();
    site.build("2026-01-01").assert_success();
    assert_eq!(
        std::fs::read_dir(&victim).unwrap().count(),
        0,
        "wrote through the link"
    );
    assert!(
        !std::fs::symlink_metadata(site.path("dist/terms"))
            .unwrap()
            .is_symlink()
    );
    assert_eq!(site.page("/terms/").text("h1"), "Terms");
}

#[test]
fn a_folder_clause_did_not_write_is_not_emptied() {
    let site = TestSite::fixture("minimal");
    site.write("other/notes.txt", "keep me");
    let run = site.run(&["build", "--as-of", "2026-01-01", "--output", "other"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("it is not empty and clause did not write it"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("other/notes.txt"), "keep me");
    // An empty folder is fine, and is marked as clause's from then on.
    std::fs::create_dir_all(site.path("empty")).unwrap();
    site.run(&["build", "--as-of", "2026-01-01", "--output", "empty"])
        .assert_success();
    assert!(site.exists("empty/.clause-output"));
    site.run(&["build", "--as-of", "2026-01-01", "--output", "empty"])
        .assert_success();
    // `check` reports a config output_dir it could not write to.
    let config = site.read("config.toml").replace(
        "default_language",
        "output_dir = \"other\"\ndefault_language",
    );
    site.write("config.toml", &config);
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert!(
        run.error_lines()[0].starts_with("config.toml:2:1: error: refusing to write to"),
        "{}",
        run.stderr
    );
}

#[test]
fn paths_the_output_cannot_hold_together_are_errors() {
    let site = TestSite::fixture("minimal");
    // The theme has static/style.css, a file; the site wants it to be a folder.
    site.write("static/style.css/extra.css", "x");
    // Two document folders that are one folder on macOS and Windows.
    site.write(
        "content/Legal/dpa/1.en.md",
        "---\ntitle: D\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: en\n---\n",
    );
    site.write(
        "content/legal/tos/1.en.md",
        "---\ntitle: T\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: en\n---\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "<output>/static/style.css/extra.css:1:1: error: the output cannot hold both `static/style.css` and `static/style.css/extra.css` (help: one is a file where the other needs a folder, or they differ only in case: rename a static file, a document folder, a version or a language)",
            "content/legal:1:1: error: `Legal` and `legal` differ only in case or accents' encoding: on macOS and Windows they are one file (help: rename one of them)",
        ]
    );
}
