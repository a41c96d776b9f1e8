//! The offline copy (`build --offline`) and `clause archive`: every link
//! between pages is relative and reaches a file from the file system; the
//! zip holds that copy with a manifest of SHA-256 hashes, byte-identical
//! from the same sources and date.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use scraper::{Html, Selector};
use sha2::{Digest, Sha256};

use crate::harness::TestSite;

/// Every URL an element of `html` loads or links to.
fn urls(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut found = Vec::new();
    for (selector, attr) in [("[href]", "href"), ("[src]", "src")] {
        let selector = Selector::parse(selector).unwrap();
        for element in doc.select(&selector) {
            found.push(element.value().attr(attr).unwrap().to_string());
        }
    }
    found
}

#[test]
fn an_offline_copy_links_every_page_by_a_relative_file() {
    let site = TestSite::fixture("basic");
    site.run(&["build", "--offline", "--as-of", "2026-06-01"])
        .assert_success();
    let tree = site.tree("dist");
    let mut checked = 0;
    for (rel, bytes) in &tree {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        let folder = Path::new("dist").join(rel);
        let folder = folder.parent().unwrap();
        for url in urls(&html) {
            if url.starts_with('#') || url.contains("://") || url.starts_with("mailto:") {
                continue;
            }
            assert!(!url.starts_with('/'), "{rel}: `{url}` starts at the root");
            let file = url.split(['#', '?']).next().unwrap();
            assert!(
                !file.is_empty() && !file.ends_with('/'),
                "{rel}: `{url}` is a folder, not a file"
            );
            let target = site.path(&folder.join(file).to_string_lossy());
            assert!(target.is_file(), "{rel}: `{url}` reaches no file");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links");
    // The normal build links from the root, as a web server wants.
    site.build("2026-06-01").assert_success();
    let page = site.read("dist/privacy/index.html");
    assert!(urls(&page).iter().any(|u| u == "/privacy/versions/"));
}

fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(entry.name().to_string(), bytes);
    }
    files
}

#[test]
fn an_archive_is_the_offline_copy_with_a_manifest_and_is_reproducible() {
    let site = TestSite::fixture("basic");
    let run = site.run(&["archive", "--as-of", "2026-06-01", "legal-2026-06-01.zip"]);
    run.assert_success();
    assert!(
        run.stderr.contains("clause: archived 4 documents"),
        "{}",
        run.stderr
    );
    let zip = site.path("legal-2026-06-01.zip");
    let files = unzip(&zip);
    assert!(files.keys().all(|k| k.starts_with("legal-2026-06-01/")));
    let manifest = String::from_utf8(files["legal-2026-06-01/MANIFEST.sha256"].clone()).unwrap();
    let listed: Vec<(&str, &str)> = manifest
        .lines()
        .map(|l| l.split_once("  ").unwrap())
        .collect();
    // Every file but the manifest and the note is listed, with its hash.
    assert_eq!(listed.len(), files.len() - 2);
    for (hash, rel) in &listed {
        let bytes = &files[&format!("legal-2026-06-01/{rel}")];
        let digest: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(*hash, digest, "{rel}");
    }
    assert!(
        listed
            .iter()
            .any(|(_, rel)| *rel == "privacy/versions/1/index.html")
    );
    let about = String::from_utf8(files["legal-2026-06-01/ABOUT.txt"].clone()).unwrap();
    assert!(about.contains("as it stood on 2026-06-01"), "{about}");
    // The pages are the offline copy.
    let home = String::from_utf8(files["legal-2026-06-01/index.html"].clone()).unwrap();
    assert!(
        urls(&home).iter().any(|u| u == "privacy/index.html"),
        "{home}"
    );
    // Byte-identical from the same sources and date; another date differs.
    let first = std::fs::read(&zip).unwrap();
    site.run(&["archive", "--as-of", "2026-06-01", "legal-2026-06-01.zip"])
        .assert_success();
    assert!(std::fs::read(&zip).unwrap() == first, "not reproducible");
    site.run(&["archive", "--as-of", "2026-06-02", "other.zip"])
        .assert_success();
    assert!(std::fs::read(site.path("other.zip")).unwrap() != first);

    // A site with problems writes no archive and leaves an old one alone.
    site.write("content/privacy/1.en.md", "---\ntitle: broken\n");
    let run = site.run(&["archive", "--as-of", "2026-06-01", "legal-2026-06-01.zip"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("no archive was written"),
        "{}",
        run.stderr
    );
    assert!(std::fs::read(&zip).unwrap() == first);
    assert!(!site.exists("dist"));
}
