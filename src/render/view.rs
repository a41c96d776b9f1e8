//! The views templates see: small serializable structs that borrow from the
//! model, one context per page. Nothing here copies the whole site; every
//! field is documented in docs/themes.md#template-context.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::i18n::Strings;
use crate::model::diff::Redline;
use crate::model::markdown::{Rendered, TocEntry};
use crate::model::{Document, Edition, Page, Site, Status};
use crate::model::{translations, urls};

/// Something rendering made, with the key of what it was made from.
#[derive(Debug)]
pub struct Keyed<'a, T> {
    pub key: u64,
    pub value: &'a T,
}

impl<T> Clone for Keyed<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Keyed<'_, T> {}

/// What a document's pages show besides the model: its redlines and
/// combined sections, as rendering made them.
pub struct Parts<'a> {
    /// For each edition, each version's redline (none for the oldest).
    pub redlines: Vec<Vec<Option<Keyed<'a, Redline>>>>,
    /// The combined page's sections: edition, version, and the body with
    /// ids prefixed by the language code (empty when there is no such page).
    pub sections: Vec<(usize, usize, Keyed<'a, Rendered>)>,
}

/// What a template sees when rendering one page: its own parts, here, and
/// the parts many pages share, which are built once and given to every
/// template under these names:
/// - `site` ([`SiteView`], from [`site_view`]);
/// - `t`, the theme's words in the page's language (`t.contents`, from [`words`]);
/// - `as_of`, the as-of date of the build ([`DateView`], from [`as_of`]);
/// - `version`, on current, version and redline pages: the version shown
///   ([`VersionView`], from [`version`]; [`shown`] says which).
#[derive(Debug, Serialize)]
pub struct Context<'a> {
    pub page: PageView<'a>,
    /// The page's hreflang set, `x-default` last; empty when no other
    /// language has the same content.
    pub alternates: Vec<Alternate<'a>>,
    /// The language switcher: the matching page in each language, this page included.
    pub switcher: Vec<SwitchEntry<'a>>,
    /// On pages not in the governing language: the governing language's page.
    pub governing: Option<GoverningView<'a>>,
    /// The document, on its current, versions and version pages.
    pub document: Option<DocumentView<'a>>,
    /// The document's current version in this language (document pages).
    pub current: Option<VersionSummary<'a>>,
    /// Other versions that take effect after the as-of date, earliest first (document pages).
    pub upcoming: Vec<VersionSummary<'a>>,
    /// Every version, newest first (versions page).
    pub versions: Vec<VersionSummary<'a>>,
    /// Every document, for the home page.
    pub documents: Vec<HomeEntry<'a>>,
    /// On a combined page: every language's text of the current version.
    pub combined: Option<CombinedView<'a>>,
    /// On a redline page: what changed.
    pub redline: Option<RedlineView<'a>>,
    /// On a translation's current page that is behind the governing language.
    pub stale: Option<StaleView<'a>>,
}

/// A date as `iso` (`2026-05-12`, for `datetime` attributes) and as `text`
/// written for the reader (`12 May 2026`, `2026年5月12日`).
#[derive(Debug, Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    /// Root-relative prefix of every link, `/` unless `base_url` has a path.
    pub root: &'a str,
    /// The default language's locale: the language the site title and the
    /// `[extra]` texts are taken to be in (for `lang` on other pages).
    pub default_locale: &'a str,
    /// `base_url` without its path (`https://legal.example.com`): put before a
    /// root-relative link, it makes the link absolute (as printed pages show them).
    pub origin: &'a str,
    pub default_language: &'a str,
    pub governing_language: Option<&'a str>,
    /// `pages` or `combined`.
    pub translations: &'static str,
    pub languages: Vec<LanguageView<'a>>,
    pub extra: &'a serde_json::Value,
    /// The theme's static files by their path in the theme, each linked by
    /// the URL that carries a hash of its bytes:
    /// `{{ site.assets["static/style.css"] }}`.
    pub assets: BTreeMap<&'a str, String>,
}

#[derive(Debug, Serialize)]
pub struct LanguageView<'a> {
    pub code: &'a str,
    pub locale: &'a str,
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
    /// The tag for `lang` and `hreflang` attributes (`zh-Hans`).
    pub locale: &'a str,
    pub language_name: &'a str,
    /// The page's title, for `<title>` and headings.
    pub title: String,
    /// The home page of the page's language.
    pub home_url: String,
    /// The Atom feed of the page's language.
    pub feed_url: String,
    /// What goes between a sentence and the link after it: a space, or
    /// nothing in Chinese and Japanese, whose full-width punctuation carries
    /// its own space.
    pub space: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Alternate<'a> {
    /// A locale, or `x-default`.
    pub hreflang: &'a str,
    /// The absolute URL of the page in that language.
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct SwitchEntry<'a> {
    pub code: &'a str,
    pub locale: &'a str,
    /// The language's own name (`中文`).
    pub name: &'a str,
    pub url: String,
    /// True for this page's own language.
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct GoverningView<'a> {
    pub code: &'a str,
    pub locale: &'a str,
    /// The governing language's name in the page's language (`英文`).
    pub name: &'a str,
    /// The matching page in the governing language.
    pub url: String,
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
    pub effective_date: DateView,
    pub language: &'a str,
    pub summary: Option<&'a str>,
    pub changes: Option<&'a str>,
    pub extra: &'a serde_json::Value,
    pub status: Status,
    /// The stable URL of this version.
    pub url: String,
    pub permalink: String,
    /// The rendered Markdown body (HTML; print with `| safe`).
    pub body: Html<'a>,
    pub toc: &'a [TocEntry],
    /// What changed since the version before (none for the first version).
    pub redline_url: Option<String>,
    /// When this version is (or was, or will be) in effect.
    pub period: Period,
    /// Corrections made after it took effect, oldest first: `date`, `note`.
    pub corrections: Vec<CorrectionView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct CorrectionView<'a> {
    pub date: DateView,
    pub note: &'a str,
}

/// The days a version is in effect: from its effective date to the day
/// before the next version's (`to` is null while no later version exists).
#[derive(Debug, Serialize)]
pub struct Period {
    pub from: DateView,
    pub to: Option<DateView>,
}

/// A redline page: what changed in `new` since `old`.
#[derive(Debug, Serialize)]
pub struct RedlineView<'a> {
    /// The redline (HTML; print with `| safe`).
    pub html: Html<'a>,
    /// False when the two versions have the same text.
    pub changed: bool,
    pub words_added: usize,
    pub words_removed: usize,
    pub old: VersionSummary<'a>,
    pub new: VersionSummary<'a>,
}

/// On a translation's current page, when the governing (else default)
/// language has a newer version in effect.
#[derive(Debug, Serialize)]
pub struct StaleView<'a> {
    /// That language's name in the page's language, and its locale.
    pub language: &'a str,
    pub locale: &'a str,
    /// When the newer version took effect.
    pub date: DateView,
    pub url: String,
    pub redline_url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct VersionSummary<'a> {
    pub title: &'a str,
    pub version: &'a str,
    pub effective_date: DateView,
    pub status: Status,
    pub summary: Option<&'a str>,
    pub changes: Option<&'a str>,
    pub url: String,
    pub redline_url: Option<String>,
    pub period: Period,
}

#[derive(Debug, Serialize)]
pub struct HomeEntry<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub url: String,
    pub effective_date: DateView,
    pub version: &'a str,
    pub summary: Option<&'a str>,
    pub status: Status,
    /// The language the linked page is in, its locale, and its name in the page's language.
    pub language: &'a str,
    pub locale: &'a str,
    pub language_name: &'a str,
    /// True when the document has no version in the page's language and the
    /// entry links to another language instead.
    pub fallback: bool,
    /// Versions that take effect after the as-of date, earliest first (summaries).
    pub upcoming: Vec<VersionSummary<'a>>,
}

#[derive(Debug, Serialize)]
pub struct CombinedView<'a> {
    /// Every section's title, joined with ` / `.
    pub title: String,
    pub sections: Vec<SectionView<'a>>,
    /// When a governing language is set: its name in the page's language,
    /// and a link to its section (or page).
    pub governing: Option<CombinedGoverning<'a>>,
}

#[derive(Debug, Serialize)]
pub struct CombinedGoverning<'a> {
    pub name: &'a str,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    /// The section's id on the page: its language code.
    pub id: &'a str,
    pub code: &'a str,
    pub locale: &'a str,
    pub name: &'a str,
    /// The theme's words in the section's language.
    pub t: &'a BTreeMap<String, String>,
    /// A space, or nothing in a language written without spaces (as `page.space`).
    pub space: &'static str,
    /// The version, with `body` and `toc` using ids prefixed by `<code>-`.
    pub version: VersionView<'a>,
    /// In a section not in the governing language: the governing
    /// language's name in the section's language, and where it is.
    pub governing: Option<CombinedGoverning<'a>>,
}

/// A piece of rendered HTML (a body, a redline). Templates see the HTML
/// already marked safe (printed as it is; `| safe` is not needed, and costs
/// a copy); when a page's inputs are hashed for the page cache
/// (`fingerprinting`), it stands for itself by its fingerprint, so 10,000
/// bodies are not hashed again on every rebuild.
#[derive(Debug, Clone, Copy)]
pub struct Html<'a> {
    pub html: &'a str,
    /// The key of what the HTML was rendered from.
    pub key: u64,
}

impl Serialize for Html<'_> {
    /// The HTML for templates; for a page's key (a serializer that is not
    /// human-readable, `render::key`), the key of its source, which is
    /// cheaper to hash and says the same.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            crate::render::templates::serialize_safe(self.html, serializer)
        } else {
            serializer.serialize_u64(self.key)
        }
    }
}

/// The name of the template that renders `page`.
pub fn template_for(site: &Site, page: Page) -> &'static str {
    match page {
        Page::Home { .. } => "home.html",
        Page::Current { .. } if site.is_combined(page) => "combined.html",
        Page::Current { .. } | Page::Version { .. } => "document.html",
        Page::Versions { .. } => "versions.html",
        Page::Changes { .. } => "changes.html",
    }
}

/// What `redirect.html` sees for an old address (`[aliases]`), besides
/// `site`, `t` and `as_of`.
#[derive(Debug, Serialize)]
pub struct RedirectView<'a> {
    /// The language of the page it sends readers to (`lang` attribute).
    pub lang: &'a str,
    /// The page it sends readers to, with the base path (`/legal/privacy/`).
    pub url: String,
    /// The same, as an absolute URL (for the canonical link).
    pub permalink: String,
    /// That page's title.
    pub title: &'a str,
}

/// The view of the redirect page of `alias`.
pub fn redirect<'a>(site: &'a Site, alias: &crate::model::Alias) -> RedirectView<'a> {
    let url = site.url(alias.target);
    let title = match site.shown(alias.target) {
        Some((document, edition, version)) => site.documents[document].editions[edition].versions
            [version]
            .front
            .title
            .as_str(),
        None => match alias.target {
            Page::Versions { document, edition } => {
                let ed = &site.documents[document].editions[edition];
                ed.versions[ed.current].front.title.as_str()
            }
            _ => site.config.title.as_str(),
        },
    };
    RedirectView {
        lang: site
            .config
            .language(site.language_of(alias.target))
            .map_or("", |l| l.locale.as_str()),
        url: site.config.href(&url),
        permalink: site.config.permalink(&url),
        title,
    }
}

/// Builds the context of one page; `parts` are its document's rendered
/// parts (none for a home page).
pub fn context<'a>(site: &'a Site, page: Page, parts: Option<&Parts<'a>>) -> Context<'a> {
    let config = &site.config;
    let lang = site.language_of(page);
    let strings = site.catalog.get(lang);
    let url = site.url(page);
    let mut context = Context {
        page: PageView {
            kind: match page {
                Page::Home { .. } => "home",
                Page::Current { .. } => "current",
                Page::Versions { .. } => "versions",
                Page::Version { .. } => "version",
                Page::Changes { .. } => "changes",
            },
            url: config.href(&url),
            permalink: config.permalink(&url),
            lang,
            locale: locale(site, lang),
            language_name: config.language(lang).map_or(lang, |l| l.name.as_str()),
            title: config.title.clone(),
            home_url: config.href(&urls::home(lang, &config.default_language)),
            feed_url: config.href(&crate::render::publish::feed_file(
                lang,
                &config.default_language,
            )),
            space: if is_cjk(locale(site, lang)) { "" } else { " " },
        },
        alternates: alternates(site, page),
        switcher: translations::switcher(site, page)
            .into_iter()
            .map(|p| {
                let code = site.language_of(p);
                SwitchEntry {
                    code,
                    locale: locale(site, code),
                    name: config.language(code).map_or(code, |l| l.name.as_str()),
                    url: link_to(site, p, page),
                    current: p == page,
                }
            })
            .collect(),
        governing: translations::governing(site, page).map(|p| {
            let code = site.language_of(p);
            GoverningView {
                code,
                locale: locale(site, code),
                name: site.catalog.language_name(code, lang),
                url: link_to(site, p, page),
            }
        }),
        document: None,
        current: None,
        upcoming: Vec::new(),
        versions: Vec::new(),
        documents: Vec::new(),
        combined: None,
        redline: None,
        stale: None,
    };
    match page {
        Page::Home { .. } => context.documents = home_entries(site, lang),
        Page::Versions { document, edition } => {
            let (doc, ed) = site.edition_at(document, edition);
            context.page.title = ed.current_version().front.title.clone();
            context.document = Some(document_view(site, doc, ed));
            context.versions = (0..ed.versions.len())
                .map(|i| summary(site, strings, ed, i))
                .collect();
        }
        Page::Current { document, edition }
        | Page::Version {
            document, edition, ..
        }
        | Page::Changes {
            document, edition, ..
        } => {
            let (doc, ed) = site.edition_at(document, edition);
            let shown = match page {
                Page::Version { version, .. } | Page::Changes { version, .. } => version,
                _ => ed.current,
            };
            let version = &ed.versions[shown];
            context.page.title = version.front.title.clone();
            context.document = Some(document_view(site, doc, ed));
            context.current = Some(summary(site, strings, ed, ed.current));
            context.upcoming = upcoming(site, strings, ed, shown);
            if let Page::Changes { version, .. } = page {
                let redline = parts.and_then(|p| *p.redlines.get(edition)?.get(version)?);
                context.redline = redline.map(|r| redline_view(site, strings, ed, version, r));
                context.page.title = crate::i18n::fill(
                    strings.get("redline_title"),
                    &[
                        ("title", &version_title(ed, version)),
                        ("version", &ed.versions[version].front.version),
                    ],
                );
            }
            if let Page::Current { .. } = page {
                context.stale = stale_view(site, strings, doc, ed);
            }
            if let Some(sections) = parts.filter(|_| site.is_combined(page)) {
                let combined = combined_view(site, page, doc, &sections.sections);
                context.page.title = combined.title.clone();
                context.combined = Some(combined);
            }
        }
    }
    context
}

/// The theme's words in language `lang`, as templates see them (`t`).
pub fn words<'a>(site: &'a Site, lang: &str) -> &'a BTreeMap<String, String> {
    site.catalog.get(lang).map()
}

/// The as-of date, written for readers of language `lang` (`as_of`).
pub fn as_of(site: &Site, lang: &str) -> DateView {
    date(site.catalog.get(lang), site.as_of)
}

/// The (edition, version) a page shows, when it shows one (`version`).
pub fn shown(site: &Site, page: Page) -> Option<(usize, usize)> {
    site.shown(page)
        .map(|(_, edition, version)| (edition, version))
}

/// Version `index` of edition `edition` of document `document`, with its
/// rendered `body` (`version`) and that rendering's key.
pub fn version<'a>(
    site: &'a Site,
    document: usize,
    edition: usize,
    index: usize,
    body: &'a Rendered,
    key: u64,
) -> VersionView<'a> {
    let ed = &site.documents[document].editions[edition];
    version_view(site, site.catalog.get(&ed.language), ed, index, body, key)
}

fn locale<'a>(site: &'a Site, code: &'a str) -> &'a str {
    site.config
        .language(code)
        .map_or(code, |l| l.locale.as_str())
}

fn date(strings: &Strings, date: NaiveDate) -> DateView {
    DateView {
        iso: date.to_string(),
        text: strings.format_date(date),
    }
}

/// The hreflang set of a page, for its `<link rel="alternate">` elements.
fn alternates(site: &Site, page: Page) -> Vec<Alternate<'_>> {
    translations::hreflang(site, page)
        .into_iter()
        .map(|(hreflang, href)| Alternate { hreflang, href })
        .collect()
}

/// The site, as templates see it (`site`).
pub fn site_view<'a>(site: &'a Site, assets: &'a BTreeMap<String, String>) -> SiteView<'a> {
    let config = &site.config;
    SiteView {
        assets: assets
            .iter()
            .map(|(path, output)| (path.as_str(), config.href(output)))
            .collect(),
        title: &config.title,
        base_url: &config.base_url,
        root: &config.base_path,
        default_locale: config
            .language(&config.default_language)
            .map_or(config.default_language.as_str(), |l| l.locale.as_str()),
        origin: config
            .base_url
            .strip_suffix(config.base_path.as_str())
            .unwrap_or(&config.base_url),
        default_language: &config.default_language,
        governing_language: config.governing_language.as_deref(),
        translations: match config.translations {
            crate::load::config::Translations::Pages => "pages",
            crate::load::config::Translations::Combined => "combined",
        },
        languages: config
            .languages
            .iter()
            .enumerate()
            .map(|(i, l)| LanguageView {
                code: &l.code,
                locale: &l.locale,
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
    DocumentView {
        key: &doc.key,
        title: &ed.current_version().front.title,
        url: site.config.href(&ed.url),
        versions_url: site.config.href(&ed.versions_url),
    }
}

fn version_view<'a>(
    site: &'a Site,
    strings: &Strings,
    ed: &'a Edition,
    index: usize,
    body: &'a Rendered,
    key: u64,
) -> VersionView<'a> {
    let v = &ed.versions[index];
    let url = &v.url;
    VersionView {
        title: &v.front.title,
        version: &v.front.version,
        effective_date: date(strings, v.front.effective_date),
        language: &v.front.language,
        summary: v.front.summary.as_deref(),
        changes: v.front.changes.as_deref(),
        extra: &v.front.extra,
        status: v.status,
        url: site.config.href(url),
        permalink: site.config.permalink(url),
        body: Html {
            html: &body.html,
            key,
        },
        toc: &body.toc,
        redline_url: redline_url(site, ed, index),
        period: period(strings, ed, index),
        corrections: v
            .front
            .corrections
            .iter()
            .map(|c| CorrectionView {
                date: date(strings, c.date),
                note: &c.note,
            })
            .collect(),
    }
}

/// Languages written without spaces between words and sentences.
fn is_cjk(locale: &str) -> bool {
    let primary = locale.split(['-', '_']).next().unwrap_or("");
    ["zh", "ja"].contains(&primary.to_ascii_lowercase().as_str())
}

/// The URL of `target` for a link from `from`: a combined page is entered at
/// the section in the target's language, so a reader who picks English from
/// a Chinese page does not land on the Chinese section first.
fn link_to(site: &Site, target: Page, from: Page) -> String {
    let url = site.config.href(&site.url(target));
    if target != from && site.is_combined(target) {
        format!("{url}#{}", site.language_of(target))
    } else {
        url
    }
}

/// The versions of `ed` that take effect after the as-of date, earliest
/// first, but the one shown.
fn upcoming<'a>(
    site: &'a Site,
    strings: &Strings,
    ed: &'a Edition,
    shown: usize,
) -> Vec<VersionSummary<'a>> {
    (0..ed.versions.len())
        .rev()
        .filter(|&i| i != shown && ed.versions[i].status == Status::Upcoming)
        .map(|i| summary(site, strings, ed, i))
        .collect()
}

fn summary<'a>(
    site: &'a Site,
    strings: &Strings,
    ed: &'a Edition,
    index: usize,
) -> VersionSummary<'a> {
    let v = &ed.versions[index];
    VersionSummary {
        title: &v.front.title,
        version: &v.front.version,
        effective_date: date(strings, v.front.effective_date),
        status: v.status,
        summary: v.front.summary.as_deref(),
        changes: v.front.changes.as_deref(),
        url: site.config.href(&v.url),
        redline_url: redline_url(site, ed, index),
        period: period(strings, ed, index),
    }
}

/// The redline page of version `index`, if it has a version before it.
fn redline_url(site: &Site, ed: &Edition, index: usize) -> Option<String> {
    ed.has_predecessor(index)
        .then(|| site.config.href(&urls::changes_of(&ed.versions[index].url)))
}

fn period(strings: &Strings, ed: &Edition, index: usize) -> Period {
    Period {
        from: date(strings, ed.versions[index].front.effective_date),
        to: ed.last_day(index).map(|d| date(strings, d)),
    }
}

fn version_title(ed: &Edition, index: usize) -> String {
    ed.versions[index].front.title.clone()
}

fn redline_view<'a>(
    site: &'a Site,
    strings: &Strings,
    ed: &'a Edition,
    index: usize,
    redline: Keyed<'a, Redline>,
) -> RedlineView<'a> {
    let (key, redline) = (redline.key, redline.value);
    RedlineView {
        html: Html {
            html: &redline.html,
            key,
        },
        changed: redline.changed,
        words_added: redline.words_added,
        words_removed: redline.words_removed,
        old: summary(site, strings, ed, index + 1),
        new: summary(site, strings, ed, index),
    }
}

/// The language a translation is measured against: governing, else default.
pub fn reference_language(site: &Site) -> &str {
    site.config
        .governing_language
        .as_deref()
        .unwrap_or(&site.config.default_language)
}

/// Whether `ed` is behind the reference language: its version in effect is
/// older than the one in effect there. Returns that edition.
pub fn newer_reference<'a>(site: &'a Site, doc: &'a Document, ed: &Edition) -> Option<&'a Edition> {
    let reference = doc.edition(reference_language(site))?;
    if reference.language == ed.language {
        return None;
    }
    let theirs = reference.current_version();
    let ours = ed.current_version();
    (theirs.status == Status::Current && theirs.front.effective_date > ours.front.effective_date)
        .then_some(reference)
}

fn stale_view<'a>(
    site: &'a Site,
    strings: &Strings,
    doc: &'a Document,
    ed: &'a Edition,
) -> Option<StaleView<'a>> {
    let reference = newer_reference(site, doc, ed)?;
    let index = reference.current;
    let newer = &reference.versions[index];
    Some(StaleView {
        language: site
            .catalog
            .language_name(&reference.language, &ed.language),
        locale: locale(site, &reference.language),
        date: date(strings, newer.front.effective_date),
        url: site.config.href(&newer.url),
        redline_url: redline_url(site, reference, index),
    })
}

fn combined_view<'a>(
    site: &'a Site,
    page: Page,
    doc: &'a Document,
    sections: &[(usize, usize, Keyed<'a, Rendered>)],
) -> CombinedView<'a> {
    let config = &site.config;
    // Where the governing text is: its section, else its own page.
    let governing_url = config.governing_language.as_deref().and_then(|code| {
        if sections
            .iter()
            .any(|&(edition, _, _)| doc.editions[edition].language == code)
        {
            return Some(format!("#{code}"));
        }
        let Page::Current { document, .. } = page else {
            return None;
        };
        let edition = doc.editions.iter().position(|e| e.language == code)?;
        Some(config.href(&site.url(Page::Current { document, edition })))
    });
    let governing_in = |language: &str| {
        let code = config.governing_language.as_deref()?;
        Some(CombinedGoverning {
            name: site.catalog.language_name(code, language),
            url: governing_url.clone()?,
        })
    };
    let sections: Vec<SectionView<'a>> = sections
        .iter()
        .map(|&(edition, version, body)| {
            let ed = &doc.editions[edition];
            let strings = site.catalog.get(&ed.language);
            let governs = config.governing_language.as_deref() == Some(ed.language.as_str());
            SectionView {
                id: &ed.language,
                code: &ed.language,
                locale: locale(site, &ed.language),
                name: site
                    .config
                    .language(&ed.language)
                    .map_or(&ed.language, |l| &l.name),
                t: strings.map(),
                space: if is_cjk(locale(site, &ed.language)) {
                    ""
                } else {
                    " "
                },
                version: version_view(site, strings, ed, version, body.value, body.key),
                governing: if governs {
                    None
                } else {
                    governing_in(&ed.language)
                },
            }
        })
        .collect();
    let title = sections
        .iter()
        .map(|s| s.version.title)
        .collect::<Vec<_>>()
        .join(" / ");
    let governing = governing_in(&config.default_language);
    CombinedView {
        title,
        sections,
        governing,
    }
}

/// Each document's current version in `lang`; a document without a version
/// in `lang` links to the governing (else default, else first) language's.
fn home_entries<'a>(site: &'a Site, lang: &str) -> Vec<HomeEntry<'a>> {
    let config = &site.config;
    let strings = site.catalog.get(lang);
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
                effective_date: date(strings, v.front.effective_date),
                version: &v.front.version,
                summary: v.front.summary.as_deref(),
                status: v.status,
                language: &ed.language,
                locale: locale(site, &ed.language),
                language_name: site.catalog.language_name(&ed.language, lang),
                fallback: ed.language != lang,
                upcoming: upcoming(site, strings, ed, ed.current),
            })
        })
        .collect()
}
