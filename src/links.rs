//! Link checking: every site-absolute link (`/terms/#acceptance`) and
//! same-page link (`#scope`) in a body must reach a page or file the build
//! writes, and an anchor on it.

use std::collections::{BTreeSet, HashMap};

use percent_encoding::percent_decode_str;

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{Page, Site};

/// What a link can reach: site paths, and the anchors of each page.
pub struct Targets<'a> {
    /// Site path -> the anchors of the page there (none for plain files).
    paths: HashMap<String, Vec<&'a str>>,
}

impl<'a> Targets<'a> {
    /// The pages of `site` and the other files the build writes (`static/x.css`).
    pub fn new(site: &'a Site, pages: &[Page], files: impl IntoIterator<Item = &'a str>) -> Self {
        let mut paths = HashMap::new();
        for &page in pages {
            let anchors = site.anchors_of(page);
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

/// Checks the links of every version; returns one error per broken link.
pub fn check(site: &Site, targets: &Targets<'_>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for version in site
        .documents
        .iter()
        .flat_map(|d| &d.editions)
        .flat_map(|e| &e.versions)
    {
        for link in &version.body.links {
            let target = &link.target;
            let (path, fragment) = split(target);
            let own: Vec<&str>;
            let anchors = if path.is_empty() {
                own = version.body.anchors.iter().map(String::as_str).collect();
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
                        format!("broken link `{target}`: the page has no anchor `#{fragment}`"),
                        anchor_hint(&fragment, &version.front.language, anchors),
                    )),
                    _ => None,
                },
            };
            if let Some((message, hint)) = problem {
                let position = version.body_position(link.offset);
                problems.push(Diagnostic::error(&version.path, position, message).with_hint(hint));
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
