//! Which pages are translations of each other: the hreflang set of a page,
//! the targets of its language switcher, and the governing-language page a
//! translation defers to.

use crate::model::{Page, Site};

/// The pages that are the same content as `page` in each language, `page`
/// included, in language declaration order:
/// home pages with home pages; versions lists of the same document; version
/// pages of the same document and version; current pages of the same
/// document whose current versions are the same version.
pub fn alternates(site: &Site, page: Page) -> Vec<Page> {
    match page {
        Page::Home { .. } => homes(site),
        Page::Versions { document, .. } => (0..site.documents[document].editions.len())
            .map(|edition| Page::Versions { document, edition })
            .collect(),
        Page::Changes {
            document,
            edition,
            version,
        } => same_version(
            site,
            document,
            &site.documents[document].editions[edition].versions[version]
                .front
                .version,
        )
        .into_iter()
        .filter_map(|p| match p {
            Page::Version {
                document,
                edition,
                version,
            } if site.documents[document].editions[edition].has_predecessor(version) => {
                Some(Page::Changes {
                    document,
                    edition,
                    version,
                })
            }
            _ => None,
        })
        .collect(),
        Page::Version {
            document,
            edition,
            version,
        } => same_version(
            site,
            document,
            &site.documents[document].editions[edition].versions[version]
                .front
                .version,
        ),
        Page::Current { document, edition } => {
            let doc = &site.documents[document];
            let name = &doc.editions[edition].current_version().front.version;
            doc.editions
                .iter()
                .enumerate()
                .filter(|(_, ed)| ed.current_version().front.version == *name)
                .map(|(edition, _)| Page::Current { document, edition })
                .collect()
        }
    }
}

/// Where the language switcher of `page` leads, one page per language that
/// has one, `page` included: on a current page, each language's current
/// page of the document; on a version page, the same version in each
/// language that has it; on a home or versions list, the same kind of page.
pub fn switcher(site: &Site, page: Page) -> Vec<Page> {
    match page {
        Page::Current { document, .. } => (0..site.documents[document].editions.len())
            .map(|edition| Page::Current { document, edition })
            .collect(),
        other => alternates(site, other),
    }
}

/// The page a translation's governing-language notice links to: the same
/// page in the governing language if there is one, else the document's
/// current page in that language; on a home page, that language's home.
/// None when the page is in the governing language, no governing language is
/// set, or the document has no version in it (then there is nothing that
/// could prevail, and `check` warns).
pub fn governing(site: &Site, page: Page) -> Option<Page> {
    let governing = site.config.governing_language.as_deref()?;
    if site.language_of(page) == governing {
        return None;
    }
    let same = switcher(site, page)
        .into_iter()
        .find(|p| site.language_of(*p) == governing);
    let fallback = match page {
        Page::Current { document, .. }
        | Page::Versions { document, .. }
        | Page::Version { document, .. }
        | Page::Changes { document, .. } => site.documents[document]
            .editions
            .iter()
            .position(|e| e.language == governing)
            .map(|edition| Page::Current { document, edition }),
        Page::Home { .. } => None,
    };
    same.or(fallback)
}

fn homes(site: &Site) -> Vec<Page> {
    (0..site.config.languages.len())
        .filter(|&language| site.has_home(language))
        .map(|language| Page::Home { language })
        .collect()
}

fn same_version(site: &Site, document: usize, name: &str) -> Vec<Page> {
    site.documents[document]
        .editions
        .iter()
        .enumerate()
        .filter_map(|(edition, ed)| {
            let version = ed.versions.iter().position(|v| v.front.version == name)?;
            Some(Page::Version {
                document,
                edition,
                version,
            })
        })
        .collect()
}

/// The hreflang set of a page as (locale or `x-default`, absolute URL):
/// every page with the same content, plus `x-default` for the default
/// language's page. Empty when the page stands alone.
pub fn hreflang(site: &Site, page: Page) -> Vec<(&str, String)> {
    let set = alternates(site, page);
    if set.len() < 2 {
        return Vec::new();
    }
    let locale = |p: Page| {
        let code = site.language_of(p);
        site.config
            .language(code)
            .map_or(code, |l| l.locale.as_str())
    };
    let mut out: Vec<(&str, String)> = set
        .iter()
        .map(|p| (locale(*p), site.config.permalink(&site.url(*p))))
        .collect();
    if let Some(default) = set
        .iter()
        .find(|p| site.language_of(**p) == site.config.default_language)
    {
        out.push(("x-default", site.config.permalink(&site.url(*default))));
    }
    out
}
