//! A real policy repository (`tests/corpora/basecamp-policies`, 25 documents
//! and 286 versions from Basecamp's git history) builds as it is: no file
//! edited, `check` clean but for warnings on archived text, and every link
//! into the site in the built pages resolving, except those warned about.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use scraper::{Html, Selector};

use crate::harness::TestSite;

const AS_OF: &str = "2026-12-01";
/// The path of the site under its host (`base_url`'s path).
const BASE: &str = "/about/policies/";

#[test]
fn the_basecamp_history_checks_and_builds_with_every_link_resolved_or_warned() {
    let site = TestSite::corpus("basecamp-policies");
    let run = site.run(&["check", "--as-of", AS_OF]);
    run.assert_success();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    // Each warning names a file and a line: `content/x/2018-05-14.en.md:45:9: warning: ...`.
    for line in &warnings {
        let mut parts = line.splitn(4, ':');
        let (file, line_no, column) = (parts.next(), parts.next(), parts.next());
        assert!(
            file.is_some_and(|f| f.starts_with("content/") && f.ends_with(".md")),
            "{line}"
        );
        assert!(
            line_no.is_some_and(|n| n.parse::<usize>().is_ok_and(|n| n > 0)),
            "{line}"
        );
        assert!(column.is_some_and(|n| n.parse::<usize>().is_ok()), "{line}");
    }
    // What the warnings say is broken, as written in the sources: broken
    // links, and template code of the old generator (left in an `<img src>`).
    let warned: BTreeSet<String> = warnings
        .iter()
        .filter_map(|l| {
            l.split("broken link `")
                .nth(1)
                .or_else(|| l.split("template code `").nth(1))
        })
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_string)
        .collect();
    assert!(!warned.is_empty());

    let run = site.run(&["build", "--as-of", AS_OF]);
    run.assert_success();
    let dist = site.path("dist");
    let mut pages: BTreeMap<String, Html> = BTreeMap::new();
    collect_pages(&dist, &dist, &mut pages);
    assert!(pages.len() > 590, "{} pages", pages.len());

    let link = Selector::parse("a[href], img[src], link[rel=stylesheet][href]").unwrap();
    let mut checked = 0;
    let mut unresolved = Vec::new();
    for (url, html) in &pages {
        for element in html.select(&link) {
            let value = element.value();
            let href = value
                .attr("href")
                .or_else(|| value.attr("src"))
                .unwrap_or_default();
            let Some((path, fragment)) = into_site(url, href) else {
                continue;
            };
            checked += 1;
            if !resolves(&dist, &pages, &path, fragment.as_deref()) && !warned.contains(href) {
                unresolved.push(format!("{url}: {href}"));
            }
        }
    }
    assert!(checked > 10_000, "only {checked} links checked");
    assert!(
        unresolved.is_empty(),
        "links into the site that neither resolve nor were warned about:\n{}",
        unresolved.join("\n")
    );

    // The variables were expanded, the attachments published (a symbolic
    // link as the file it points at), and template code shown as written.
    let cancellation = site.read("dist/cancellation/index.html");
    assert!(cancellation.contains("href=\"mailto:support@basecamp.example\""));
    assert!(!cancellation.contains("{{"));
    assert_eq!(
        std::fs::read(dist.join("security/Basecamp-security.pub")).unwrap(),
        std::fs::read(dist.join("security/37signals-security.pub")).unwrap()
    );
    assert!(
        site.read("dist/sla/versions/2018-05-14/index.html")
            .contains("{% asset_path about/policies/sla/strong-camper.png %}")
    );
    // The moved address redirects.
    assert!(site.read("dist/_redirects").contains(
        "/about/policies/privacy/subprocessors /about/policies/privacy/basecamp-subprocessors/ 301"
    ));
}

/// Every HTML file under `dir`, by site URL with the base path
/// (`/about/policies/privacy/`, `/about/policies/x.html`).
fn collect_pages(root: &Path, dir: &Path, pages: &mut BTreeMap<String, Html>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_pages(root, &path, pages);
        } else if path.extension().is_some_and(|e| e == "html") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let url = match rel.strip_suffix("index.html") {
                Some(folder) => format!("{BASE}{folder}"),
                None => format!("{BASE}{rel}"),
            };
            pages.insert(
                url,
                Html::parse_document(&std::fs::read_to_string(&path).unwrap()),
            );
        }
    }
}

/// The site path (under the base path, decoded) and fragment `href` on page
/// `url` reaches, if it is a link into the site.
fn into_site(url: &str, href: &str) -> Option<(String, Option<String>)> {
    if href.contains(':') || href.starts_with("//") {
        return None;
    }
    let (before, fragment) = match href.split_once('#') {
        Some((b, f)) => (b, Some(f.to_string())),
        None => (href, None),
    };
    let before = before.split('?').next().unwrap_or_default();
    let absolute = if before.is_empty() {
        url.to_string()
    } else if before.starts_with('/') {
        before.to_string()
    } else {
        // Relative to the page's folder.
        let mut parts: Vec<&str> = url.trim_end_matches('/').split('/').collect();
        if !url.ends_with('/') {
            parts.pop();
        }
        for part in before.split('/') {
            match part {
                "." | "" => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        let mut joined = parts.join("/");
        if before.ends_with('/') {
            joined.push('/');
        }
        joined
    };
    let inside = absolute.strip_prefix(BASE.trim_end_matches('/'))?;
    let decoded = percent_encoding::percent_decode_str(inside)
        .decode_utf8_lossy()
        .into_owned();
    Some((decoded, fragment.filter(|f| !f.is_empty())))
}

/// Whether site path `path` (after the base path) is a file of `dist`, and
/// `fragment` an id on it (following a redirect page to its target).
fn resolves(
    dist: &Path,
    pages: &BTreeMap<String, Html>,
    path: &str,
    fragment: Option<&str>,
) -> bool {
    let rel = path.trim_start_matches('/');
    let file = dist.join(rel);
    let page_url = if rel.is_empty() || rel.ends_with('/') {
        format!("{BASE}{rel}")
    } else if file.join("index.html").is_file() {
        // Hosts answer `/x` with the folder's page, `/x/`.
        format!("{BASE}{rel}/")
    } else if file.is_file() {
        if !rel.ends_with(".html") {
            return fragment.is_none();
        }
        format!("{BASE}{rel}")
    } else {
        return false;
    };
    let Some(page) = pages.get(&page_url) else {
        return false;
    };
    let refresh = Selector::parse("meta[http-equiv=refresh]").unwrap();
    if let Some(target) = page
        .select(&refresh)
        .next()
        .and_then(|m| m.value().attr("content"))
    {
        let to = target.split_once("url=").map_or("", |(_, u)| u);
        let inside = to.strip_prefix(BASE.trim_end_matches('/')).unwrap_or(to);
        return resolves(dist, pages, inside, fragment);
    }
    match fragment {
        None => true,
        Some(id) => {
            let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy();
            let selector = Selector::parse(&format!("[id=\"{id}\"], a[name=\"{id}\"]")).unwrap();
            page.select(&selector).next().is_some()
        }
    }
}
