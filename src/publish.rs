//! Publishing for machines: an Atom feed per language, the sitemap,
//! `robots.txt`, and `documents.json`, the index apps and auditors read.
//! Drafts never appear in them; upcoming versions do (they are public).
//! Nothing here depends on when the build runs, only on the as-of date.

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Document, Edition, Page, Site, Status, Version};
use crate::render::Facts;
use crate::{translations, urls};

/// The files this module writes at the top of the output.
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const INDEX: &str = "documents.json";
pub const FEED: &str = "feed.xml";

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

/// Every file this module makes, as (output path, bytes); `facts` are each
/// document's, as rendering found them.
pub fn files(site: &Site, pages: &[Page], facts: &[&Facts]) -> Vec<(String, Vec<u8>)> {
    let (feeds, (sitemap, index)) = rayon::join(
        || {
            (0..site.config.languages.len())
                .into_par_iter()
                .filter(|&i| site.has_home(i))
                .map(|i| {
                    let code = &site.config.languages[i].code;
                    (
                        feed_file(code, &site.config.default_language),
                        feed(site, code).into_bytes(),
                    )
                })
                .collect::<Vec<_>>()
        },
        || {
            rayon::join(
                || sitemap(site, pages),
                || serde_json::to_string_pretty(&index(site, facts)).unwrap_or_default(),
            )
        },
    );
    let mut files = feeds;
    files.push((SITEMAP.to_string(), sitemap.into_bytes()));
    files.push((
        ROBOTS.to_string(),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}{SITEMAP}\n",
            site.config.base_url
        )
        .into_bytes(),
    ));
    let mut index = index;
    index.push('\n');
    files.push((INDEX.to_string(), index.into_bytes()));
    files
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

/// The Atom 1.0 feed of one language: an entry per version, newest first.
fn feed(site: &Site, language: &str) -> String {
    let config = &site.config;
    let self_url = config.permalink(&feed_file(language, &config.default_language));
    let home = config.permalink(&urls::home(language, &config.default_language));
    let mut entries: Vec<(&Document, &Edition, &Version)> = published(site)
        .filter(|(_, ed, _)| ed.language == language)
        .collect();
    entries.sort_by(|a, b| {
        (b.2.front.effective_date, &a.0.key).cmp(&(a.2.front.effective_date, &b.0.key))
    });
    let feed_updated = entries
        .iter()
        .map(|(_, _, v)| updated(v))
        .max()
        .unwrap_or(site.as_of);
    let locale = config
        .language(language)
        .map_or(language, |l| l.locale.as_str());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <id>{}</id>\n  <title>{}</title>\n  <updated>{}</updated>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <author><name>{}</name></author>\n  <generator uri=\"https://crates.io/crates/clause\">clause</generator>\n",
        escape(locale),
        escape(&self_url),
        escape(&config.title),
        timestamp(feed_updated),
        escape(&self_url),
        escape(&home),
        escape(&config.title),
    );
    for (_, _, v) in entries {
        let url = version_url(site, v);
        let summary = v
            .front
            .changes
            .as_deref()
            .or(v.front.summary.as_deref())
            .unwrap_or(&v.front.title);
        out.push_str(&format!(
            "  <entry>\n    <id>{}</id>\n    <title>{} ({})</title>\n    <updated>{}</updated>\n    <published>{}</published>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <summary>{}</summary>\n",
            escape(&url),
            escape(&v.front.title),
            escape(&v.front.version),
            timestamp(updated(v)),
            timestamp(v.front.effective_date),
            escape(&url),
            escape(summary),
        ));
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
    }
    out.push_str("</feed>\n");
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

/// The sitemap: every page but drafts, with its date and its translations.
fn sitemap(site: &Site, pages: &[Page]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let entries: Vec<String> = pages
        .par_iter()
        .map(|&page| {
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
        })
        .collect();
    for entry in entries {
        out.push_str(&entry);
    }
    out.push_str("</urlset>\n");
    out
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

fn index<'a>(site: &'a Site, facts: &[&'a Facts]) -> Index<'a> {
    let config = &site.config;
    let default = &config.default_language;
    Index {
        schema_version: INDEX_SCHEMA_VERSION,
        generator: "clause",
        site: IndexSite {
            title: &config.title,
            base_url: &config.base_url,
            default_language: default,
            governing_language: config.governing_language.as_deref(),
        },
        as_of: site.as_of.to_string(),
        next_change_at: next_change_at(site).map(|d| d.to_string()),
        documents: site
            .documents
            .iter()
            .zip(facts)
            .map(|(doc, facts)| IndexDocument {
                key: &doc.key,
                languages: doc
                    .editions
                    .iter()
                    .zip(&facts.versions)
                    .map(|(ed, found)| {
                        let current = ed.current_version();
                        IndexEdition {
                            language: &ed.language,
                            current_version: (current.status == Status::Current
                                && !current.front.draft)
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
                                    changes_url: ed.has_predecessor(i).then(|| {
                                        config.permalink(&urls::changes(
                                            &doc.key,
                                            &ed.language,
                                            default,
                                            &v.front.version,
                                        ))
                                    }),
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
                                    html_sha256: &found[i].html_sha256,
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}
