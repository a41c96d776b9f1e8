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
            .contains("0 files written, 25 unchanged, 0 removed"),
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
    assert_eq!(
        changed,
        ["cookies/index.html", "cookies/versions/1/index.html"]
    );
    assert!(
        run.stderr
            .contains("2 files written, 23 unchanged, 0 removed"),
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
