//! Link checking: every site-absolute link (`/terms/#acceptance`) and
//! same-page link (`#scope`) in a body must reach a page or file the build
//! writes, and an anchor on it.

use std::collections::{BTreeSet, HashMap};

use percent_encoding::percent_decode_str;

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{Page, Site};
use crate::render::Facts;

/// What a link can reach: site paths, and the anchors of each page.
pub struct Targets<'a> {
    /// Site path -> the anchors of the page there (none for plain files).
    paths: HashMap<String, Vec<&'a str>>,
}

/// The anchors a page defines: its body's ids (every section's on a
/// combined page); none for home and versions pages.
fn anchors_of<'a>(site: &Site, facts: &[&'a Facts], page: Page) -> Vec<&'a str> {
    let (document, edition, version) = match page {
        Page::Current { document, edition } => {
            let doc = facts[document];
            if let (true, Some(combined)) = (site.is_combined(page), &doc.combined) {
                return combined.iter().map(String::as_str).collect();
            }
            (
                document,
                edition,
                site.documents[document].editions[edition].current,
            )
        }
        Page::Version {
            document,
            edition,
            version,
        }
        | Page::Changes {
            document,
            edition,
            version,
        } => (document, edition, version),
        Page::Home { .. } | Page::Versions { .. } => return Vec::new(),
    };
    facts[document].versions[edition][version]
        .anchors
        .iter()
        .map(String::as_str)
        .collect()
}

impl<'a> Targets<'a> {
    /// The pages of `site` (with the anchors in each document's `facts`)
    /// and the other files the build writes (`static/x.css`).
    pub fn new(
        site: &Site,
        facts: &[&'a Facts],
        pages: &[Page],
        files: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut paths = HashMap::new();
        for &page in pages {
            let anchors = anchors_of(site, facts, page);
            let url = site.url(page);
            // `/privacy/index.html` is the same page as `/privacy/`.
            paths.insert(format!("{url}index.html"), anchors.clone());
            paths.insert(url, anchors);
        }
        for file in files {
            paths.insert(format!("/{file}"), Vec::new());
        }
        Self { paths }
    }
}

/// Checks the links of every version (in each document's `facts`);
/// returns one error per broken link.
pub fn check(site: &Site, facts: &[&Facts], targets: &Targets<'_>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (doc, facts) in site.documents.iter().zip(facts) {
        for (ed, versions) in doc.editions.iter().zip(&facts.versions) {
            for (version, found) in ed.versions.iter().zip(versions) {
                for (target, position) in &found.links {
                    let (path, fragment) = split(target);
                    let own: Vec<&str>;
                    let anchors = if path.is_empty() {
                        own = found.anchors.iter().map(String::as_str).collect();
                        Some(&own)
                    } else {
                        targets.paths.get(&path)
                    };
                    let problem = match anchors {
                        None => Some((
                            format!("broken link `{target}`: the site has no page `{path}`"),
                            page_hint(&path, targets),
                        )),
                        Some(anchors) => match fragment {
                            Some(fragment) if !anchors.contains(&fragment.as_str()) => Some((
                                format!(
                                    "broken link `{target}`: the page has no anchor `#{fragment}`"
                                ),
                                anchor_hint(&fragment, &version.front.language, anchors),
                            )),
                            _ => None,
                        },
                    };
                    if let Some((message, hint)) = problem {
                        problems.push(
                            Diagnostic::error(&version.path, *position, message).with_hint(hint),
                        );
                    }
                }
            }
        }
    }
    problems
}

/// Splits `/a/b/?q#frag` into the decoded path `/a/b/` and fragment `frag`.
fn split(target: &str) -> (String, Option<String>) {
    let (before_fragment, fragment) = match target.split_once('#') {
        Some((b, f)) => (b, Some(decode(f))),
        None => (target, None),
    };
    let path = before_fragment
        .split_once('?')
        .map_or(before_fragment, |(p, _)| p);
    (decode(path), fragment.filter(|f| !f.is_empty()))
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn page_hint(path: &str, targets: &Targets<'_>) -> String {
    let with_slash = format!("{path}/");
    if targets.paths.contains_key(&with_slash) {
        return format!("page URLs end with `/`: write `{with_slash}`");
    }
    let known: BTreeSet<&str> = targets
        .paths
        .keys()
        .map(String::as_str)
        .filter(|p| !p.ends_with("index.html"))
        .collect();
    match did_you_mean(path, known) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "link to a document as `/<document>/`, or to a version as `/<document>/versions/<version>/`".to_string(),
    }
}

fn anchor_hint(fragment: &str, language: &str, anchors: &[&str]) -> String {
    // On a combined page, the linking file's own language section comes first.
    let in_own_section = format!("{language}-{fragment}");
    if anchors.contains(&in_own_section.as_str()) {
        return format!(
            "on a combined page every id starts with its language: write `#{in_own_section}`"
        );
    }
    match did_you_mean(fragment, anchors.iter().copied()) {
        Some(close) => format!("did you mean `#{close}`?"),
        None if anchors.is_empty() => "this page has no headings to link to".to_string(),
        None => {
            "link to a heading's anchor; give a heading a fixed anchor with `{#name}`".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_decodes() {
        assert_eq!(
            split("/terms/#acceptance"),
            ("/terms/".to_string(), Some("acceptance".to_string()))
        );
        assert_eq!(split("/terms/?x=1"), ("/terms/".to_string(), None));
        assert_eq!(
            split("#%E6%95%B0%E6%8D%AE"),
            (String::new(), Some("数据".to_string()))
        );
        assert_eq!(split("/a/#"), ("/a/".to_string(), None));
    }
}
