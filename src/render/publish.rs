//! Publishing for machines: an Atom feed per language, the sitemap,
//! `robots.txt`, `documents.json` (the index apps and auditors read), and
//! `_redirects` for the old addresses of documents (Netlify's and Cloudflare
//! Pages' format).
//! Drafts never appear in them; upcoming versions do (they are public).
//! Nothing here depends on when the build runs, only on the as-of date.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Document, Edition, Page, Site, Status, Version};
use crate::model::{translations, urls};

/// The files this module writes at the top of the output.
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const INDEX: &str = "documents.json";
pub const FEED: &str = "feed.xml";
pub const REDIRECTS: &str = "_redirects";

/// The schema version of `documents.json`; it changes only when a field
/// changes meaning or goes away.
pub const INDEX_SCHEMA_VERSION: u32 = 1;

/// The feed of a language: `feed.xml` or `zh/feed.xml` (output path).
pub fn feed_file(language: &str, default_language: &str) -> String {
    format!(
        "{}{FEED}",
        urls::home(language, default_language).trim_start_matches('/')
    )
}

/// What one document gives the files for machines, made when the document
/// is rendered and kept with it: a rebuild after an edit makes these again
/// for the edited document only, and a file none of whose parts changed is
/// not even put together.
#[derive(Debug, Default)]
pub struct Pieces {
    pub key: String,
    /// Its pages' sitemap entries, in page order.
    pub sitemap: Part,
    /// Its entry in `documents.json`'s `documents`, as that file writes it.
    pub index: Part,
    /// By language code: its feed entries.
    pub feeds: Vec<(String, Vec<FeedEntry>)>,
}

/// A piece of text and its hash.
#[derive(Debug, Default)]
pub struct Part {
    pub text: String,
    pub hash: u64,
}

impl Part {
    fn new(text: String) -> Self {
        Part {
            hash: crate::base::files::fingerprint(text.as_str()),
            text,
        }
    }
}

/// A version's entry in its language's feed.
#[derive(Debug)]
pub struct FeedEntry {
    /// The effective date (entries go newest first) and the latest change.
    pub date: NaiveDate,
    pub updated: NaiveDate,
    pub xml: Part,
}

/// A file for machines: where it goes, a key that changes whenever its
/// bytes may, and how to make the bytes.
pub struct Published<'a> {
    pub path: String,
    pub key: u64,
    pub bytes: Box<dyn Fn() -> Vec<u8> + Send + Sync + 'a>,
}

/// What document `document` gives the files for machines; `html_sha256`
/// is each version's body hash, by edition.
pub fn pieces(site: &Site, document: usize, html_sha256: &[Vec<&str>]) -> Pieces {
    let doc = &site.documents[document];
    let sitemap: String = site
        .document_pages(document)
        .iter()
        .map(|&page| sitemap_entry(site, page))
        .collect();
    let index = index_item(&index_document(site, doc, html_sha256));
    let feeds = doc
        .editions
        .iter()
        .map(|ed| {
            let entries = ed
                .versions
                .iter()
                .filter(|v| !v.front.draft)
                .map(|v| FeedEntry {
                    date: v.front.effective_date,
                    updated: updated(v),
                    xml: Part::new(feed_entry(site, v)),
                })
                .collect();
            (ed.language.clone(), entries)
        })
        .collect();
    Pieces {
        key: doc.key.clone(),
        sitemap: Part::new(sitemap),
        index: Part::new(index),
        feeds,
    }
}

/// Every file this module makes, from every document's pieces (in the
/// site's document order).
pub fn files<'a>(site: &'a Site, pieces: &'a [&'a Pieces]) -> Vec<Published<'a>> {
    let config = &site.config;
    let mut files = Vec::new();
    for (i, language) in config.languages.iter().enumerate() {
        if !site.has_home(i) {
            continue;
        }
        let code = language.code.as_str();
        // Newest first, then by document.
        let mut entries: Vec<(&str, &FeedEntry)> = pieces
            .iter()
            .flat_map(|p| {
                p.feeds
                    .iter()
                    .filter(move |(l, _)| l == code)
                    .flat_map(move |(_, entries)| entries.iter().map(move |e| (p.key.as_str(), e)))
            })
            .collect();
        entries.sort_by(|a, b| (b.1.date, a.0).cmp(&(a.1.date, b.0)));
        let updated = entries
            .iter()
            .map(|(_, e)| e.updated)
            .max()
            .unwrap_or(site.as_of);
        let head = feed_head(site, code, updated);
        let key = crate::base::files::fingerprint(&(
            &head,
            entries.iter().map(|(_, e)| e.xml.hash).collect::<Vec<_>>(),
        ));
        files.push(Published {
            path: feed_file(code, &config.default_language),
            key,
            bytes: Box::new(move || {
                let mut out = head.clone();
                for (_, e) in &entries {
                    out.push_str(&e.xml.text);
                }
                out.push_str("</feed>\n");
                out.into_bytes()
            }),
        });
    }

    let mut head = String::from(SITEMAP_HEAD);
    for language in 0..config.languages.len() {
        if site.has_home(language) {
            head.push_str(&sitemap_entry(site, Page::Home { language }));
        }
    }
    let key = crate::base::files::fingerprint(&(
        &head,
        pieces.iter().map(|p| p.sitemap.hash).collect::<Vec<_>>(),
    ));
    files.push(Published {
        path: SITEMAP.to_string(),
        key,
        bytes: Box::new(move || {
            let mut out = head.clone();
            for p in pieces {
                out.push_str(&p.sitemap.text);
            }
            out.push_str("</urlset>\n");
            out.into_bytes()
        }),
    });

    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}{SITEMAP}\n",
        config.base_url
    );
    files.push(Published {
        path: ROBOTS.to_string(),
        key: crate::base::files::fingerprint(robots.as_str()),
        bytes: Box::new(move || robots.clone().into_bytes()),
    });

    if !site.aliases.is_empty() {
        let redirects = redirects(site);
        files.push(Published {
            path: REDIRECTS.to_string(),
            key: crate::base::files::fingerprint(redirects.as_str()),
            bytes: Box::new(move || redirects.clone().into_bytes()),
        });
    }

    let head = serde_json::to_string_pretty(&index_head(site)).unwrap_or_default();
    let key = crate::base::files::fingerprint(&(
        &head,
        pieces.iter().map(|p| p.index.hash).collect::<Vec<_>>(),
    ));
    files.push(Published {
        path: INDEX.to_string(),
        key,
        bytes: Box::new(move || {
            index_assembled(&head, pieces.iter().map(|p| p.index.text.as_str())).into_bytes()
        }),
    });
    files
}

/// `_redirects`: each old address, with and without its final `/` (hosts
/// differ in which they are asked for), to its document's page, permanently.
fn redirects(site: &Site) -> String {
    let config = &site.config;
    let mut out = String::from(
        "# Old addresses of documents ([aliases] in config.toml), written by clause.\n",
    );
    for alias in &site.aliases {
        let to = config.href(&site.url(alias.target));
        let from = config.href(&alias.path);
        out.push_str(&format!("{from} {to} 301\n"));
        if !alias.file.ends_with(".html") || alias.file.ends_with("/index.html") {
            let other = match from.strip_suffix('/') {
                Some(without) => without.to_string(),
                None => format!("{from}/"),
            };
            out.push_str(&format!("{other} {to} 301\n"));
        }
    }
    out
}

/// An item of `documents.json`'s `documents` array, as serde_json writes it
/// in its place in the whole file (two levels in).
fn index_item<T: Serialize>(item: &T) -> String {
    serde_json::to_string_pretty(item)
        .unwrap_or_default()
        .lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `documents.json` as serde_json writes it whole (and a newline): `head`
/// is the file with an empty `documents` array, its last member, and
/// `items` come from `index_item`.
fn index_assembled<'a>(head: &str, items: impl Iterator<Item = &'a str>) -> String {
    const EMPTY: &str = "[]\n}";
    let mut out = head.strip_suffix(EMPTY).unwrap_or(head).to_string();
    let mut any = false;
    for item in items {
        out.push_str(if any { ",\n" } else { "[\n" });
        out.push_str(item);
        any = true;
    }
    out.push_str(if any { "\n  ]\n}" } else { EMPTY });
    out.push('\n');
    out
}

/// The next day a rebuild would change which version is current: the
/// earliest effective date after the as-of date.
pub fn next_change_at(site: &Site) -> Option<NaiveDate> {
    published(site)
        .map(|(_, _, v)| v.front.effective_date)
        .filter(|d| *d > site.as_of)
        .min()
}

/// Every published (not draft) version: (document, edition, version).
fn published(site: &Site) -> impl Iterator<Item = (&Document, &Edition, &Version)> {
    site.documents.iter().flat_map(|doc| {
        doc.editions.iter().flat_map(move |ed| {
            ed.versions
                .iter()
                .filter(|v| !v.front.draft)
                .map(move |v| (doc, ed, v))
        })
    })
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// An RFC 3339 timestamp for a date: its start, in UTC.
fn timestamp(date: NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// When a version last changed: its effective date, or its latest correction.
fn updated(v: &Version) -> NaiveDate {
    v.front
        .corrections
        .iter()
        .map(|c| c.date)
        .chain(std::iter::once(v.front.effective_date))
        .max()
        .unwrap_or(v.front.effective_date)
}

fn version_url(site: &Site, v: &Version) -> String {
    site.config.permalink(&v.url)
}

/// The start of a language's Atom 1.0 feed, last updated on `updated`.
fn feed_head(site: &Site, language: &str, updated: NaiveDate) -> String {
    let config = &site.config;
    let self_url = config.permalink(&feed_file(language, &config.default_language));
    let home = config.permalink(&urls::home(language, &config.default_language));
    let locale = config
        .language(language)
        .map_or(language, |l| l.locale.as_str());
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <id>{}</id>\n  <title>{}</title>\n  <updated>{}</updated>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <author><name>{}</name></author>\n  <generator uri=\"https://crates.io/crates/clause\">clause</generator>\n",
        escape(locale),
        escape(&self_url),
        escape(&config.title),
        timestamp(updated),
        escape(&self_url),
        escape(&home),
        escape(&config.title),
    )
}

/// A version's entry in its language's feed.
fn feed_entry(site: &Site, v: &Version) -> String {
    let url = version_url(site, v);
    let summary = v
        .front
        .changes
        .as_deref()
        .or(v.front.summary.as_deref())
        .unwrap_or(&v.front.title);
    let mut out = format!(
        "  <entry>\n    <id>{}</id>\n    <title>{} ({})</title>\n    <updated>{}</updated>\n    <published>{}</published>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <summary>{}</summary>\n",
        escape(&url),
        escape(&v.front.title),
        escape(&v.front.version),
        timestamp(updated(v)),
        timestamp(v.front.effective_date),
        escape(&url),
        escape(summary),
    );
    if !v.front.corrections.is_empty() {
        // Corrections travel with the entry, as an HTML list.
        let mut html = format!("<p>{}</p><ul>", escape(summary));
        for c in &v.front.corrections {
            html.push_str(&format!("<li>{}: {}</li>", c.date, escape(&c.note)));
        }
        html.push_str("</ul>");
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            escape(&html)
        ));
    }
    out.push_str("  </entry>\n");
    out
}

/// The date a page last changed, for the sitemap: the latest effective date
/// (or correction) it shows, but not after the as-of date.
fn last_modified(site: &Site, page: Page) -> NaiveDate {
    let versions: Vec<&Version> = match page {
        Page::Home { language } => {
            let code = &site.config.languages[language].code;
            site.documents
                .iter()
                .filter_map(|d| d.edition(code))
                .map(Edition::current_version)
                .collect()
        }
        Page::Versions { document, edition } => site
            .edition_at(document, edition)
            .1
            .versions
            .iter()
            .collect(),
        other => site.version_of(other).into_iter().collect(),
    };
    versions
        .into_iter()
        .map(updated)
        .max()
        .map_or(site.as_of, |d| d.min(site.as_of))
}

/// The start of the sitemap (every page but drafts, with its date and its
/// translations).
const SITEMAP_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";

/// A page's sitemap entry (none for a draft's pages).
fn sitemap_entry(site: &Site, page: Page) -> String {
    let draft = matches!(page, Page::Version { .. } | Page::Changes { .. })
        && site.version_of(page).is_some_and(|v| v.front.draft);
    if draft {
        return String::new();
    }
    let mut entry = format!(
        "  <url>\n    <loc>{}</loc>\n    <lastmod>{}</lastmod>\n",
        escape(&site.config.permalink(&site.url(page))),
        last_modified(site, page)
    );
    for (hreflang, href) in translations::hreflang(site, page) {
        entry.push_str(&format!(
            "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
            escape(hreflang),
            escape(&href)
        ));
    }
    entry.push_str("  </url>\n");
    entry
}

#[derive(Serialize)]
struct Index<'a> {
    schema_version: u32,
    generator: &'static str,
    site: IndexSite<'a>,
    as_of: String,
    next_change_at: Option<String>,
    documents: Vec<IndexDocument<'a>>,
}

#[derive(Serialize)]
struct IndexSite<'a> {
    title: &'a str,
    base_url: &'a str,
    default_language: &'a str,
    governing_language: Option<&'a str>,
}

#[derive(Serialize)]
struct IndexDocument<'a> {
    key: &'a str,
    languages: Vec<IndexEdition<'a>>,
}

#[derive(Serialize)]
struct IndexEdition<'a> {
    language: &'a str,
    /// The version in effect on the as-of date (null when every version is upcoming).
    current_version: Option<&'a str>,
    url: String,
    versions_url: String,
    versions: Vec<IndexVersion<'a>>,
}

#[derive(Serialize)]
struct IndexVersion<'a> {
    version: &'a str,
    title: &'a str,
    effective_date: String,
    in_effect_until: Option<String>,
    status: Status,
    url: String,
    changes_url: Option<String>,
    summary: Option<&'a str>,
    changes: Option<&'a str>,
    corrections: Vec<IndexCorrection<'a>>,
    source_sha256: &'a str,
    html_sha256: &'a str,
}

#[derive(Serialize)]
struct IndexCorrection<'a> {
    date: String,
    note: &'a str,
}

/// `documents.json` without its documents.
fn index_head(site: &Site) -> Index<'_> {
    let config = &site.config;
    Index {
        schema_version: INDEX_SCHEMA_VERSION,
        generator: "clause",
        site: IndexSite {
            title: &config.title,
            base_url: &config.base_url,
            default_language: &config.default_language,
            governing_language: config.governing_language.as_deref(),
        },
        as_of: site.as_of.to_string(),
        next_change_at: next_change_at(site).map(|d| d.to_string()),
        documents: Vec::new(),
    }
}

/// A document's entry in `documents.json`; `html_sha256` is each version's
/// body hash, by edition.
fn index_document<'a>(
    site: &'a Site,
    doc: &'a Document,
    html_sha256: &[Vec<&'a str>],
) -> IndexDocument<'a> {
    let config = &site.config;
    IndexDocument {
        key: &doc.key,
        languages: doc
            .editions
            .iter()
            .zip(html_sha256)
            .map(|(ed, found)| {
                let current = ed.current_version();
                IndexEdition {
                    language: &ed.language,
                    current_version: (current.status == Status::Current && !current.front.draft)
                        .then_some(current.front.version.as_str()),
                    url: config.permalink(&ed.url),
                    versions_url: config.permalink(&ed.versions_url),
                    versions: ed
                        .versions
                        .iter()
                        .enumerate()
                        .filter(|(_, v)| !v.front.draft)
                        .map(|(i, v)| IndexVersion {
                            version: &v.front.version,
                            title: &v.front.title,
                            effective_date: v.front.effective_date.to_string(),
                            in_effect_until: ed.last_day(i).map(|d| d.to_string()),
                            status: v.status,
                            url: version_url(site, v),
                            changes_url: ed
                                .has_predecessor(i)
                                .then(|| config.permalink(&urls::changes_of(&v.url))),
                            summary: v.front.summary.as_deref(),
                            changes: v.front.changes.as_deref(),
                            corrections: v
                                .front
                                .corrections
                                .iter()
                                .map(|c| IndexCorrection {
                                    date: c.date.to_string(),
                                    note: &c.note,
                                })
                                .collect(),
                            source_sha256: &v.source_sha256,
                            html_sha256: found.get(i).copied().unwrap_or_default(),
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Head<'a> {
        schema: u32,
        note: Option<&'a str>,
        documents: Vec<Item<'a>>,
    }

    #[derive(Serialize)]
    struct Item<'a> {
        key: &'a str,
        empty: Vec<u32>,
        nested: Vec<Vec<&'a str>>,
        text: &'a str,
    }

    #[test]
    fn documents_json_put_together_is_what_serde_json_writes() {
        let items = || {
            vec![
                Item {
                    key: "a",
                    empty: vec![],
                    nested: vec![vec!["x", "y"], vec![]],
                    text: "line\nbreak \"quoted\"",
                },
                Item {
                    key: "b",
                    empty: vec![],
                    nested: vec![],
                    text: "",
                },
            ]
        };
        let whole = |documents| {
            serde_json::to_string_pretty(&Head {
                schema: 1,
                note: None,
                documents,
            })
            .unwrap()
                + "\n"
        };
        let head = serde_json::to_string_pretty(&Head {
            schema: 1,
            note: None,
            documents: vec![],
        })
        .unwrap();
        let parts: Vec<String> = items().iter().map(index_item).collect();
        assert_eq!(
            index_assembled(&head, parts.iter().map(String::as_str)),
            whole(items())
        );
        assert_eq!(index_assembled(&head, std::iter::empty()), whole(vec![]));
    }
}
