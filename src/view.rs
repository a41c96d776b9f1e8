//! The views templates see: small serializable structs that borrow from the
//! model, one context per page. Nothing here copies the whole site; every
//! field is documented in the README's "Template context" section.

use serde::Serialize;

use crate::markdown::TocEntry;
use crate::model::{Document, Edition, Page, Site, Status, Version};
use crate::urls;

/// Everything a template sees when rendering one page.
#[derive(Debug, Serialize)]
pub struct Context<'a> {
    pub site: SiteView<'a>,
    pub page: PageView<'a>,
    /// The as-of date of the build, `YYYY-MM-DD`.
    pub as_of: String,
    /// The document, on its current, versions and version pages.
    pub document: Option<DocumentView<'a>>,
    /// The version shown, on current and version pages.
    pub version: Option<VersionView<'a>>,
    /// The document's current version in this language (document pages).
    pub current: Option<VersionSummary<'a>>,
    /// Other versions that take effect after the as-of date, earliest first (document pages).
    pub upcoming: Vec<VersionSummary<'a>>,
    /// Every version, newest first (versions page).
    pub versions: Vec<VersionSummary<'a>>,
    /// Every document, for the home page.
    pub documents: Vec<HomeEntry<'a>>,
}

#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    /// Root-relative prefix of every link, `/` unless `base_url` has a path.
    pub root: &'a str,
    pub default_language: &'a str,
    pub governing_language: Option<&'a str>,
    pub languages: Vec<LanguageView<'a>>,
    pub extra: &'a serde_json::Value,
}

#[derive(Debug, Serialize)]
pub struct LanguageView<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// The language's home page, or null when it has no documents.
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// `home`, `current`, `versions` or `version`.
    pub kind: &'static str,
    /// Root-relative URL of this page.
    pub url: String,
    /// Absolute URL of this page (the canonical URL).
    pub permalink: String,
    pub lang: &'a str,
    pub language_name: &'a str,
    /// The page's title, for `<title>` and headings.
    pub title: String,
    /// The home page of the page's language.
    pub home_url: String,
}

#[derive(Debug, Serialize)]
pub struct DocumentView<'a> {
    pub key: &'a str,
    /// The title of the current version in this language.
    pub title: &'a str,
    /// The current version's URL.
    pub url: String,
    pub versions_url: String,
}

#[derive(Debug, Serialize)]
pub struct VersionView<'a> {
    pub title: &'a str,
    pub version: &'a str,
    pub effective_date: String,
    pub language: &'a str,
    pub summary: Option<&'a str>,
    pub changes: Option<&'a str>,
    pub extra: &'a serde_json::Value,
    pub status: Status,
    /// The stable URL of this version.
    pub url: String,
    pub permalink: String,
    /// The rendered Markdown body (HTML; print with `| safe`).
    pub body: &'a str,
    pub toc: &'a [TocEntry],
}

#[derive(Debug, Serialize)]
pub struct VersionSummary<'a> {
    pub title: &'a str,
    pub version: &'a str,
    pub effective_date: String,
    pub status: Status,
    pub summary: Option<&'a str>,
    pub changes: Option<&'a str>,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct HomeEntry<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub url: String,
    pub effective_date: String,
    pub version: &'a str,
    pub summary: Option<&'a str>,
    pub status: Status,
    /// The language the linked page is in.
    pub language: &'a str,
    pub language_name: &'a str,
    /// True when the document has no version in the page's language and the
    /// entry links to another language instead.
    pub fallback: bool,
}

/// The name of the template that renders `page`.
pub fn template_for(page: Page) -> &'static str {
    match page {
        Page::Home { .. } => "home.html",
        Page::Current { .. } | Page::Version { .. } => "document.html",
        Page::Versions { .. } => "versions.html",
    }
}

/// Builds the context of one page.
pub fn context(site: &Site, page: Page) -> Context<'_> {
    let config = &site.config;
    let lang: &str = match page {
        Page::Home { language } => &config.languages[language].code,
        Page::Current { document, edition }
        | Page::Versions { document, edition }
        | Page::Version {
            document, edition, ..
        } => &site.edition_at(document, edition).1.language,
    };
    let url = site.url(page);
    let mut context = Context {
        site: site_view(site),
        page: PageView {
            kind: match page {
                Page::Home { .. } => "home",
                Page::Current { .. } => "current",
                Page::Versions { .. } => "versions",
                Page::Version { .. } => "version",
            },
            url: config.href(&url),
            permalink: config.permalink(&url),
            lang,
            language_name: config.language(lang).map_or(lang, |l| l.name.as_str()),
            title: config.title.clone(),
            home_url: config.href(&urls::home(lang, &config.default_language)),
        },
        as_of: site.as_of.to_string(),
        document: None,
        version: None,
        current: None,
        upcoming: Vec::new(),
        versions: Vec::new(),
        documents: Vec::new(),
    };
    match page {
        Page::Home { .. } => context.documents = home_entries(site, lang),
        Page::Versions { document, edition } => {
            let (doc, ed) = site.edition_at(document, edition);
            context.page.title = ed.current_version().front.title.clone();
            context.document = Some(document_view(site, doc, ed));
            context.versions = ed.versions.iter().map(|v| summary(site, doc, v)).collect();
        }
        Page::Current { document, edition }
        | Page::Version {
            document, edition, ..
        } => {
            let (doc, ed) = site.edition_at(document, edition);
            let version = site
                .version_of(page)
                .expect("document pages show a version");
            context.page.title = version.front.title.clone();
            context.document = Some(document_view(site, doc, ed));
            context.version = Some(version_view(site, doc, version));
            context.current = Some(summary(site, doc, ed.current_version()));
            context.upcoming = ed
                .upcoming()
                .filter(|v| !std::ptr::eq(*v, version))
                .map(|v| summary(site, doc, v))
                .collect();
        }
    }
    context
}

fn site_view(site: &Site) -> SiteView<'_> {
    let config = &site.config;
    SiteView {
        title: &config.title,
        base_url: &config.base_url,
        root: &config.base_path,
        default_language: &config.default_language,
        governing_language: config.governing_language.as_deref(),
        languages: config
            .languages
            .iter()
            .enumerate()
            .map(|(i, l)| LanguageView {
                code: &l.code,
                name: &l.name,
                url: site
                    .has_home(i)
                    .then(|| config.href(&urls::home(&l.code, &config.default_language))),
            })
            .collect(),
        extra: &config.extra,
    }
}

fn document_view<'a>(site: &'a Site, doc: &'a Document, ed: &'a Edition) -> DocumentView<'a> {
    let default = &site.config.default_language;
    DocumentView {
        key: &doc.key,
        title: &ed.current_version().front.title,
        url: site
            .config
            .href(&urls::document(&doc.key, &ed.language, default)),
        versions_url: site
            .config
            .href(&urls::versions(&doc.key, &ed.language, default)),
    }
}

fn version_url(site: &Site, doc: &Document, v: &Version) -> String {
    urls::version(
        &doc.key,
        &v.front.language,
        &site.config.default_language,
        &v.front.version,
    )
}

fn version_view<'a>(site: &'a Site, doc: &'a Document, v: &'a Version) -> VersionView<'a> {
    let url = version_url(site, doc, v);
    VersionView {
        title: &v.front.title,
        version: &v.front.version,
        effective_date: v.front.effective_date.to_string(),
        language: &v.front.language,
        summary: v.front.summary.as_deref(),
        changes: v.front.changes.as_deref(),
        extra: &v.front.extra,
        status: v.status,
        url: site.config.href(&url),
        permalink: site.config.permalink(&url),
        body: &v.body.html,
        toc: &v.body.toc,
    }
}

fn summary<'a>(site: &'a Site, doc: &'a Document, v: &'a Version) -> VersionSummary<'a> {
    VersionSummary {
        title: &v.front.title,
        version: &v.front.version,
        effective_date: v.front.effective_date.to_string(),
        status: v.status,
        summary: v.front.summary.as_deref(),
        changes: v.front.changes.as_deref(),
        url: site.config.href(&version_url(site, doc, v)),
    }
}

/// Each document's current version in `lang`; a document without a version
/// in `lang` links to the governing (else default, else first) language's.
fn home_entries<'a>(site: &'a Site, lang: &str) -> Vec<HomeEntry<'a>> {
    let config = &site.config;
    site.documents
        .iter()
        .filter_map(|doc| {
            let ed = doc
                .edition(lang)
                .or_else(|| doc.edition(config.fallback_language()))
                .or_else(|| doc.edition(&config.default_language))
                .or_else(|| doc.editions.first())?;
            let v = ed.current_version();
            Some(HomeEntry {
                key: &doc.key,
                title: &v.front.title,
                url: config.href(&urls::document(
                    &doc.key,
                    &ed.language,
                    &config.default_language,
                )),
                effective_date: v.front.effective_date.to_string(),
                version: &v.front.version,
                summary: v.front.summary.as_deref(),
                status: v.status,
                language: &ed.language,
                language_name: config
                    .language(&ed.language)
                    .map_or(&ed.language, |l| &l.name),
                fallback: ed.language != lang,
            })
        })
        .collect()
}
