//! Link checking: every site-absolute link (`/terms/#acceptance`) and
//! same-page link (`#scope`) in a body must reach a page or file the build
//! writes, and an anchor on it. A broken link is an error, except in a
//! superseded version (archived text that cannot change): a warning there.

use std::collections::{BTreeSet, HashMap, HashSet};

use percent_encoding::percent_decode_str;

use crate::base::codes;
use crate::base::diagnostics::{Diagnostic, Position, did_you_mean};
use crate::model::{Page, Site, Status, Version};
use crate::render::Facts;

/// What a link can reach: the site's paths, and for each page where its
/// anchors are. It holds no anchors itself, so that a watcher can keep it
/// from one build to the next while the site's pages stay the same.
pub struct Targets {
    paths: HashMap<String, Target>,
}

/// Where the anchors of a site path are.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A file, or a page without anchors (a home or versions page).
    Plain,
    /// A version's body.
    Version {
        document: usize,
        edition: usize,
        version: usize,
    },
    /// A combined page's sections.
    Combined { document: usize },
}

impl Target {
    fn of(site: &Site, page: Page) -> Target {
        match (site.is_combined(page), site.shown(page)) {
            (true, Some((document, _, _))) => Target::Combined { document },
            (false, Some((document, edition, version))) => Target::Version {
                document,
                edition,
                version,
            },
            (_, None) => Target::Plain,
        }
    }

    /// Headings that can name an anchor of the target: its own, and those
    /// of the same document's current versions in every language (an
    /// explicit `{#id}` is the same in each), as (id, text).
    fn headings<'f>(self, site: &Site, facts: &[&'f Facts]) -> Vec<&'f (String, String)> {
        let (document, own) = match self {
            Target::Plain => return Vec::new(),
            Target::Version {
                document,
                edition,
                version,
            } => (document, Some((edition, version))),
            Target::Combined { document } => (document, None),
        };
        let doc = &site.documents[document];
        let current = doc
            .editions
            .iter()
            .enumerate()
            .map(|(e, ed)| (e, ed.current));
        own.into_iter()
            .chain(current)
            .flat_map(|(e, v)| &facts[document].versions[e][v].headings)
            .collect()
    }

    /// The anchors, from each document's `facts`.
    fn anchors<'f>(self, facts: &[&'f Facts]) -> &'f [String] {
        match self {
            Target::Plain => &[],
            Target::Version {
                document,
                edition,
                version,
            } => &facts[document].versions[edition][version].anchors,
            Target::Combined { document } => {
                facts[document].combined.as_deref().unwrap_or_default()
            }
        }
    }
}

impl Targets {
    /// The pages of `site` and the other files the build writes (`static/x.css`).
    pub fn new<'p>(site: &Site, pages: &[Page], files: impl IntoIterator<Item = &'p str>) -> Self {
        let mut paths = HashMap::with_capacity(pages.len());
        for &page in pages {
            paths.insert(site.url(page), Target::of(site, page));
        }
        for file in files {
            paths.insert(format!("/{file}"), Target::Plain);
        }
        // An old address reaches its document's page (and its anchors),
        // with or without its final `/`.
        for alias in &site.aliases {
            let target = Target::of(site, alias.target);
            let other = match alias.path.strip_suffix('/') {
                Some(without) => without.to_string(),
                None => format!("{}/", alias.path),
            };
            paths.entry(other).or_insert(target);
            paths.insert(alias.path.clone(), target);
        }
        Self { paths }
    }

    /// What is at site path `path`, if anything.
    fn get(&self, path: &str) -> Option<Target> {
        self.paths.get(path).copied().or_else(|| {
            // `/privacy/index.html` is the same page as `/privacy/`.
            let page = path.strip_suffix("index.html")?;
            page.ends_with('/').then(|| self.paths.get(page).copied())?
        })
    }
}

/// Checks the links of every version of document `document` (with each
/// document's `facts`).
pub fn check_document<'a>(
    site: &Site,
    document: usize,
    facts: &[&'a Facts],
    targets: &Targets,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // Each page's anchors as a set, for pages with many links to them.
    let mut anchor_sets: HashMap<*const String, HashSet<&str>> = HashMap::new();
    // Suggestions compare a link with every page or anchor: past this many
    // in a document, a hostile file of broken links would make them
    // quadratic, and nobody reads that far.
    let mut suggestions_left = MAX_SUGGESTIONS;
    {
        let doc = &site.documents[document];
        for (e, (ed, versions)) in doc
            .editions
            .iter()
            .zip(&facts[document].versions)
            .enumerate()
        {
            for (v, (version, found)) in ed.versions.iter().zip(versions).enumerate() {
                for link in &found.links {
                    let (target, position) = (&link.written, &link.position);
                    let site_path = match &link.target {
                        Ok(site_path) => site_path,
                        Err(in_content) => {
                            let message = format!(
                                "broken link `{target}`: there is no document, version file or attachment at `content/{in_content}`"
                            );
                            let hint = "a relative link between source files reaches a document's folder (`../terms/`), a version's file (`../terms/2025-01-01.en.md`) or a file beside them".to_string();
                            problems.push(problem(
                                version,
                                *position,
                                codes::LINK_SOURCE,
                                message,
                                hint,
                            ));
                            continue;
                        }
                    };
                    let (path, fragment) = split(site_path);
                    // A same-page link: the version's own page.
                    let same_page = Target::Version {
                        document,
                        edition: e,
                        version: v,
                    };
                    let reached = if path.is_empty() {
                        Some(same_page)
                    } else {
                        targets.get(&path)
                    };
                    let anchors = match reached {
                        Some(_) if path.is_empty() => Some(&found.anchors[..]),
                        Some(target) => Some(target.anchors(facts)),
                        None => None,
                    };
                    let has_anchor = |anchors: &'a [String], fragment: &str, sets: &mut HashMap<*const String, HashSet<&'a str>>| {
                        sets.entry(anchors.as_ptr())
                            .or_insert_with(|| anchors.iter().map(String::as_str).collect())
                            .contains(fragment)
                    };
                    let suggest = suggestions_left > 0;
                    let broken = match anchors {
                        None => Some((
                            codes::LINK_PAGE,
                            format!("broken link `{target}`: the site has no page `{path}`"),
                            if suggest {
                                page_hint(&path, targets)
                            } else {
                                PAGE_HINT.to_string()
                            },
                        )),
                        Some(anchors) => match fragment {
                            Some(fragment) if !has_anchor(anchors, &fragment, &mut anchor_sets) => {
                                Some((
                                    codes::LINK_ANCHOR,
                                    format!(
                                        "broken link `{target}`: the page has no anchor `#{fragment}`"
                                    ),
                                    if suggest {
                                        anchor_hint(
                                            &fragment,
                                            &version.front.language,
                                            anchors,
                                            &reached
                                                .map_or_else(Vec::new, |t| t.headings(site, facts)),
                                        )
                                    } else {
                                        ANCHOR_HINT.to_string()
                                    },
                                ))
                            }
                            _ => None,
                        },
                    };
                    suggestions_left -= usize::from(broken.is_some() && suggest);
                    if let Some((code, message, hint)) = broken {
                        problems.push(problem(version, *position, code, message, hint));
                    }
                }
            }
        }
    }
    problems
}

/// A broken link in `version`. A superseded version's text is a record that
/// cannot change: its broken links are reported, not refused.
fn problem(
    version: &Version,
    position: Position,
    code: &'static str,
    message: String,
    hint: String,
) -> Diagnostic {
    let problem = if version.status == Status::Superseded && !version.front.draft {
        Diagnostic::warning(&version.path, position, message)
    } else {
        Diagnostic::error(&version.path, position, message)
    };
    problem.with_code(code).with_hint(hint)
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

/// Broken links per document that get a suggestion.
const MAX_SUGGESTIONS: usize = 200;
const PAGE_HINT: &str =
    "link to a document as `/<document>/`, or to a version as `/<document>/versions/<version>/`";
const ANCHOR_HINT: &str = "link to the anchor of one of the page's headings";

fn page_hint(path: &str, targets: &Targets) -> String {
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
        None => PAGE_HINT.to_string(),
    }
}

fn anchor_hint(
    fragment: &str,
    language: &str,
    anchors: &[String],
    headings: &[&(String, String)],
) -> String {
    // On a combined page, the linking file's own language section comes first.
    let in_own_section = format!("{language}-{fragment}");
    if anchors.contains(&in_own_section) {
        return format!(
            "on a combined page every id starts with its language: write `#{in_own_section}`"
        );
    }
    if let Some(close) = did_you_mean(fragment, anchors.iter().map(String::as_str)) {
        return format!("did you mean `#{close}`?");
    }
    // By a heading's text, in any language of the document: `#speicherdauer`
    // for the heading "Speicherdauer" whose id is `data-retention`.
    let by_text = headings
        .iter()
        .filter(|(id, _)| anchors.contains(id))
        .map(|(id, text)| (id, text, crate::model::markdown::slugify(text)));
    let named: Vec<_> = by_text.collect();
    if let Some(close) = did_you_mean(fragment, named.iter().map(|(_, _, slug)| slug.as_str())) {
        if let Some((id, text, _)) = named.iter().find(|(_, _, slug)| slug == close) {
            return format!("did you mean `#{id}`? It is the anchor of the heading “{text}”");
        }
    }
    if anchors.is_empty() {
        return "this page has no headings to link to".to_string();
    }
    // The nearest anchors, by shared words, then by likeness.
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let wanted = words(fragment);
    let score = |candidate: &str| {
        let have = words(candidate);
        let shared = wanted.iter().filter(|w| have.contains(w)).count();
        (shared, strsim::jaro_winkler(fragment, candidate))
    };
    let mut ranked: Vec<(&String, (usize, f64))> = anchors
        .iter()
        .filter(|id| !id.starts_with("fn-"))
        .map(|id| {
            let text_score = named
                .iter()
                .filter(|(named_id, _, _)| *named_id == id)
                .map(|(_, text, _)| score(text))
                .fold((0, 0.0), |a: (usize, f64), b| if b > a { b } else { a });
            let id_score = score(id);
            (
                id,
                if text_score > id_score {
                    text_score
                } else {
                    id_score
                },
            )
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.0.cmp(b.0))
    });
    let nearest: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|(id, _)| format!("`#{id}`"))
        .collect();
    if nearest.is_empty() {
        return "link to a heading's anchor; give a heading a fixed anchor with `{#name}`"
            .to_string();
    }
    format!(
        "the nearest anchors on that page are {}; give a heading a fixed anchor with `{{#name}}`",
        nearest.join(", ")
    )
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
