//! The document model: documents, their editions in each language, and the
//! versions of each edition, with the current version chosen by date.
//! Also the list of pages the site has.
//!
//! May import `base`, `i18n` and `load`.

pub mod diff;
pub mod markdown;
pub(crate) mod translations;
pub(crate) mod urls;

use std::collections::BTreeMap;
use std::path::PathBuf;

use std::sync::Arc;

use chrono::NaiveDate;

use self::urls::ContentIndex;
use crate::base::diagnostics::{Diagnostic, Position};
use crate::base::files::Stamp;
use crate::base::layout::{CONFIG_FILE, CONTENT_DIR};
use crate::i18n::Catalog;
use crate::load::config::{Config, Translations};
use crate::load::content::Source;
use crate::load::frontmatter::FrontMatter;

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// The theme's words and date style for each declared language.
    pub catalog: Catalog,
    /// The date that decides which versions are in effect.
    pub as_of: NaiveDate,
    /// Documents sorted by key.
    pub documents: Vec<Document>,
    /// For each declared language (in order), whether any document has it.
    pub language_in_use: Vec<bool>,
    /// What relative links between source files reach.
    pub content_index: ContentIndex,
    /// Old addresses of documents, each a redirect to its current page.
    pub aliases: Vec<Alias>,
    /// The files under `content/` that are not Markdown, published at the
    /// same path (`content/security/key.pub` at `/security/key.pub`),
    /// relative to `content/`.
    pub attachments: Vec<String>,
}

/// An old address of a document (`[aliases]` in config.toml).
#[derive(Debug, Clone)]
pub struct Alias {
    /// The site path as declared (`/privacy.html`, `/about/privacy/`).
    pub path: String,
    /// The file written for it (`privacy.html`, `about/privacy/index.html`).
    pub file: String,
    /// The page it sends readers to: the document's current page, or for
    /// an old folder's pages, the same page at the new address.
    pub target: Page,
}

/// One legal document (`privacy`, `legal/dpa`), in every language it has.
#[derive(Debug)]
pub struct Document {
    pub key: String,
    /// One edition per language, in the order languages are declared.
    pub editions: Vec<Edition>,
}

/// A document in one language: all its versions.
#[derive(Debug)]
pub struct Edition {
    pub language: String,
    /// Newest effective date first.
    pub versions: Vec<Version>,
    /// Index of the version shown at the document's URL: the latest in effect
    /// on the as-of date, else (all upcoming) the earliest.
    pub current: usize,
    /// The site paths of the document's page in this language and of its
    /// versions page (`/zh/privacy/`, `/zh/privacy/versions/`).
    pub url: String,
    pub versions_url: String,
}

/// Where a version stands on the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In effect now.
    Current,
    /// Takes effect after the as-of date.
    Upcoming,
    /// Was in effect, replaced by a later version.
    Superseded,
}

/// One version of one document in one language. The model holds what the
/// front matter says and where the text is, not the text: rendering reads
/// each file again when its document's turn comes, so a build of 10,000
/// files never holds them all.
#[derive(Debug)]
pub struct Version {
    /// The content file, relative to the site root.
    pub path: PathBuf,
    pub front: Arc<FrontMatter>,
    /// Where the Markdown body starts in the file.
    pub body_start: usize,
    /// A hash of the file's bytes, and its stamp when they were read.
    pub hash: u64,
    pub stamp: Stamp,
    /// The SHA-256 of the normalized source (the lock's hash).
    pub source_sha256: String,
    /// Template code of another generator in the body (see `variables`).
    pub template_code: Vec<crate::base::diagnostics::Diagnostic>,
    pub status: Status,
    /// The site path of the version's page (`/zh/privacy/versions/2/`).
    pub url: String,
}

impl Edition {
    /// Whether version `index` has an older one before it.
    pub fn has_predecessor(&self, index: usize) -> bool {
        index + 1 < self.versions.len()
    }

    /// The last day version `index` is in effect: the day before the next
    /// version takes effect (none for the newest).
    pub fn last_day(&self, index: usize) -> Option<NaiveDate> {
        let next = self.versions.get(index.checked_sub(1)?)?;
        next.front.effective_date.pred_opt()
    }

    pub fn current_version(&self) -> &Version {
        &self.versions[self.current]
    }

    /// Versions that take effect after the as-of date, earliest first.
    pub fn upcoming(&self) -> impl Iterator<Item = &Version> {
        self.versions
            .iter()
            .rev()
            .filter(|v| v.status == Status::Upcoming)
    }
}

impl Document {
    pub fn edition(&self, language: &str) -> Option<&Edition> {
        self.editions.iter().find(|e| e.language == language)
    }
}

/// A page of the built site, by what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The legal center home of a language.
    Home { language: usize },
    /// A document's current version: `/<doc>/`.
    Current { document: usize, edition: usize },
    /// Every version of a document: `/<doc>/versions/`.
    Versions { document: usize, edition: usize },
    /// One version at its stable URL: `/<doc>/versions/<version>/`.
    Version {
        document: usize,
        edition: usize,
        version: usize,
    },
    /// What changed in a version since the one before it:
    /// `/<doc>/versions/<version>/changes/`.
    Changes {
        document: usize,
        edition: usize,
        version: usize,
    },
}

impl Site {
    /// Every page of the site, in a fixed order.
    pub fn pages(&self) -> Vec<Page> {
        let mut pages = Vec::new();
        for language in 0..self.config.languages.len() {
            if self.has_home(language) {
                pages.push(Page::Home { language });
            }
        }
        for document in 0..self.documents.len() {
            pages.extend(self.document_pages(document));
        }
        pages
    }

    /// The pages of document `document`, in a fixed order.
    pub fn document_pages(&self, document: usize) -> Vec<Page> {
        let mut pages = Vec::new();
        for (edition, ed) in self.documents[document].editions.iter().enumerate() {
            pages.push(Page::Current { document, edition });
            pages.push(Page::Versions { document, edition });
            for version in 0..ed.versions.len() {
                pages.push(Page::Version {
                    document,
                    edition,
                    version,
                });
                if ed.has_predecessor(version) {
                    pages.push(Page::Changes {
                        document,
                        edition,
                        version,
                    });
                }
            }
        }
        pages
    }

    /// The site path of a page (`/zh/privacy/versions/`).
    pub fn url(&self, page: Page) -> String {
        let default = &self.config.default_language;
        match page {
            Page::Home { language } => urls::home(&self.config.languages[language].code, default),
            Page::Current { document, edition } => self.edition_at(document, edition).1.url.clone(),
            Page::Versions { document, edition } => {
                self.edition_at(document, edition).1.versions_url.clone()
            }
            Page::Version {
                document,
                edition,
                version,
            } => self.edition_at(document, edition).1.versions[version]
                .url
                .clone(),
            Page::Changes {
                document,
                edition,
                version,
            } => urls::changes_of(&self.edition_at(document, edition).1.versions[version].url),
        }
    }

    /// The language code of a page.
    pub fn language_of(&self, page: Page) -> &str {
        match page {
            Page::Home { language } => &self.config.languages[language].code,
            Page::Current { document, edition }
            | Page::Versions { document, edition }
            | Page::Version {
                document, edition, ..
            }
            | Page::Changes {
                document, edition, ..
            } => &self.edition_at(document, edition).1.language,
        }
    }

    /// With `translations = "combined"`, the (edition, version) pairs shown
    /// together at `/<doc>/`: every language that has the default language's
    /// current version, in declaration order. None in `pages` mode, or when
    /// fewer than two languages have that version.
    pub fn combined_parts(&self, document: usize) -> Option<Vec<(usize, usize)>> {
        if self.config.translations != Translations::Combined {
            return None;
        }
        let doc = &self.documents[document];
        let name = &doc
            .edition(&self.config.default_language)?
            .current_version()
            .front
            .version;
        // Only languages whose current version is that version: a translation
        // of it that is not yet (or no longer) in effect has its own page.
        let parts: Vec<(usize, usize)> = doc
            .editions
            .iter()
            .enumerate()
            .filter(|(_, ed)| ed.current_version().front.version == *name)
            .map(|(e, ed)| (e, ed.current))
            .collect();
        (parts.len() >= 2).then_some(parts)
    }

    /// Whether `page` is a combined page: the default language's current
    /// page of a document shown in combined mode.
    pub fn is_combined(&self, page: Page) -> bool {
        match page {
            Page::Current { document, edition } => {
                self.documents[document].editions[edition].language == self.config.default_language
                    && self.combined_parts(document).is_some()
            }
            _ => false,
        }
    }

    /// The version a page shows, if it shows one.
    pub fn version_of(&self, page: Page) -> Option<&Version> {
        let (document, edition, version) = self.shown(page)?;
        Some(&self.edition_at(document, edition).1.versions[version])
    }

    /// Where the version a page shows is: (document, edition, version).
    pub fn shown(&self, page: Page) -> Option<(usize, usize, usize)> {
        match page {
            Page::Current { document, edition } => Some((
                document,
                edition,
                self.documents[document].editions[edition].current,
            )),
            Page::Version {
                document,
                edition,
                version,
            }
            | Page::Changes {
                document,
                edition,
                version,
            } => Some((document, edition, version)),
            Page::Home { .. } | Page::Versions { .. } => None,
        }
    }

    pub fn edition_at(&self, document: usize, edition: usize) -> (&Document, &Edition) {
        let doc = &self.documents[document];
        (doc, &doc.editions[edition])
    }

    pub fn version_count(&self) -> usize {
        self.documents
            .iter()
            .flat_map(|d| &d.editions)
            .map(|e| e.versions.len())
            .sum()
    }

    /// Languages that have at least one document.
    pub fn languages_used(&self) -> usize {
        self.language_in_use.iter().filter(|used| **used).count()
    }

    /// Whether declared language number `language` has a home page: it has
    /// documents, or it is the default language (whose home is the site's `/`).
    pub fn has_home(&self, language: usize) -> bool {
        self.language_in_use[language]
            || self.config.languages[language].code == self.config.default_language
    }
}

/// Groups sources into documents and editions, orders versions and picks the
/// current one. Conflicting files are reported and left out.
pub fn build(
    config: Config,
    catalog: Catalog,
    as_of: NaiveDate,
    sources: Vec<Source>,
    attachments: Vec<String>,
) -> (Site, Vec<Diagnostic>) {
    let mut problems = Vec::new();

    // Group by document key; keys that differ only in case would collide on
    // case-insensitive file systems (macOS, Windows).
    let mut by_key: BTreeMap<String, Vec<Source>> = BTreeMap::new();
    let mut first_spelling: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    for source in sources {
        // Most files are of a document seen already: no case folding then.
        if let Some(files) = by_key.get_mut(&source.document) {
            files.push(source);
            continue;
        }
        let folded = source.document.to_lowercase();
        match first_spelling.get(&folded) {
            Some((spelling, other)) if *spelling != source.document => {
                problems.push(
                    Diagnostic::error(
                        &source.path,
                        Position::START,
                        format!(
                            "document folder `{}` differs from `{spelling}` ({}) only in case",
                            source.document,
                            other.display()
                        ),
                    )
                    .with_code(crate::base::codes::CONTENT_FOLDER)
                    .with_hint(
                        "use one spelling: the two would be the same folder on many systems",
                    ),
                );
                continue;
            }
            Some(_) => {}
            None => {
                first_spelling.insert(folded, (source.document.clone(), source.path.clone()));
            }
        }
        by_key
            .entry(source.document.clone())
            .or_default()
            .push(source);
    }

    let mut documents = Vec::new();
    for (key, files) in by_key {
        let mut by_language: BTreeMap<usize, Vec<Source>> = BTreeMap::new();
        for file in files {
            let rank = config.language_rank(&file.front.language);
            by_language.entry(rank).or_default().push(file);
        }
        let default = &config.default_language;
        let editions: Vec<Edition> = by_language
            .into_values()
            .filter_map(|files| build_edition(files, as_of, &mut problems))
            .map(|mut ed| {
                ed.url = urls::document(&key, &ed.language, default);
                ed.versions_url = urls::versions(&key, &ed.language, default);
                for v in &mut ed.versions {
                    v.url = urls::version(&key, &ed.language, default, &v.front.version);
                }
                ed
            })
            .collect();
        if !editions.is_empty() {
            documents.push(Document { key, editions });
        }
    }

    let language_in_use = config
        .languages
        .iter()
        .map(|l| {
            documents
                .iter()
                .any(|d: &Document| d.edition(&l.code).is_some())
        })
        .collect();
    let aliases = aliases(&config, &documents, &mut problems);
    let content_index = ContentIndex::new(
        &config.default_language,
        documents
            .iter()
            .map(|d| {
                let languages = d.editions.iter().map(|e| e.language.clone()).collect();
                (d.key.clone(), languages)
            })
            .collect(),
        documents
            .iter()
            .flat_map(|d| &d.editions)
            .flat_map(|e| &e.versions)
            .filter_map(|v| {
                let file = v.path.strip_prefix(CONTENT_DIR).ok()?;
                Some((file.to_str()?.replace('\\', "/"), v.url.clone()))
            })
            .collect(),
        attachments.clone(),
    );
    (
        Site {
            config,
            catalog,
            as_of,
            documents,
            language_in_use,
            content_index,
            aliases,
            attachments,
        },
        problems,
    )
}

/// The declared old addresses, each to its document's current page: in
/// the language its path starts with (`/de/...`), else the fallback
/// language, else the first the document has.
fn aliases(config: &Config, documents: &[Document], problems: &mut Vec<Diagnostic>) -> Vec<Alias> {
    if config.aliases.is_empty() {
        return Vec::new();
    }
    let default = &config.default_language;
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for doc in documents {
        for ed in &doc.editions {
            taken.insert(ed.url.clone(), "a page".into());
            taken.insert(ed.versions_url.clone(), "a page".into());
            for v in &ed.versions {
                taken.insert(v.url.clone(), "a page".into());
                taken.insert(urls::changes_of(&v.url), "a page".into());
            }
        }
    }
    for language in &config.languages {
        taken.insert(urls::home(&language.code, default), "a page".into());
    }
    let mut aliases = Vec::new();
    for (key, paths, position) in &config.aliases {
        let Some(index) = documents.iter().position(|d| &d.key == key) else {
            let hint = match crate::base::diagnostics::did_you_mean(
                key,
                documents.iter().map(|d| d.key.as_str()),
            ) {
                Some(close) => format!("did you mean `{close}`?"),
                None => {
                    "the keys of [aliases] are document folders under content/, such as `privacy`"
                        .to_string()
                }
            };
            problems.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    *position,
                    format!("aliases of `{key}`: there is no such document"),
                )
                .with_code(crate::base::codes::ALIAS_DOCUMENT)
                .with_hint(hint),
            );
            continue;
        };
        let doc = &documents[index];
        for path in paths {
            let in_path = path
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or_default();
            let edition = doc
                .editions
                .iter()
                .position(|e| e.language == in_path && e.language != *default)
                .or_else(|| {
                    doc.editions
                        .iter()
                        .position(|e| e.language == config.fallback_language())
                })
                .or_else(|| doc.editions.iter().position(|e| &e.language == default))
                .unwrap_or(0);
            // The same address with or without its final `/` is one page.
            let page = format!("{}/", path.trim_end_matches('/'));
            if let Some(what) = taken.insert(page.clone(), format!("an alias of `{key}`")) {
                problems.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        *position,
                        format!("alias `{path}` of `{key}` is already {what}"),
                    )
                    .with_code(crate::base::codes::ALIAS_TAKEN)
                    .with_hint("an old address must not be in use: remove it from [aliases]"),
                );
                continue;
            }
            let file = if path.ends_with(".html") || path.ends_with(".htm") {
                path.trim_start_matches('/').to_string()
            } else {
                urls::page_file(&page)
            };
            aliases.push(Alias {
                path: path.clone(),
                file,
                target: Page::Current {
                    document: index,
                    edition,
                },
            });
            // An old folder (`/old/`) keeps every page that was under it: the
            // versions list, each version and each redline, so that a renamed
            // document folder keeps all its stable URLs.
            if !path.ends_with('/') {
                continue;
            }
            let ed = &doc.editions[edition];
            let mut below = vec![(
                format!("{path}versions/"),
                Page::Versions {
                    document: index,
                    edition,
                },
            )];
            for (version, v) in ed.versions.iter().enumerate() {
                let at = format!("{path}versions/{}/", v.front.version);
                let (document, edition) = (index, edition);
                if ed.has_predecessor(version) {
                    let changes = Page::Changes {
                        document,
                        edition,
                        version,
                    };
                    below.push((format!("{at}changes/"), changes));
                }
                below.push((
                    at,
                    Page::Version {
                        document,
                        edition,
                        version,
                    },
                ));
            }
            for (old, target) in below {
                if let Some(what) = taken.insert(old.clone(), format!("an alias of `{key}`")) {
                    problems.push(
                        Diagnostic::error(CONFIG_FILE, *position, format!("alias `{path}` of `{key}` would redirect `{old}`, which is already {what}")).with_code(crate::base::codes::ALIAS_TAKEN)
                            .with_hint("an old address must not be in use: remove it from [aliases]"),
                    );
                    continue;
                }
                aliases.push(Alias {
                    file: urls::page_file(&old),
                    path: old,
                    target,
                });
            }
        }
    }
    aliases
}

fn build_edition(
    mut files: Vec<Source>,
    as_of: NaiveDate,
    problems: &mut Vec<Diagnostic>,
) -> Option<Edition> {
    // Oldest first by path so that, of two clashing files, the second is reported.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut kept: Vec<Source> = Vec::new();
    for source in files {
        let clash = kept.iter().find_map(|other| {
            if other.front.version.eq_ignore_ascii_case(&source.front.version) {
                Some((
                    "version",
                    format!(
                        "version `{}` of `{}` in `{}` is also in {}",
                        source.front.version,
                        source.document,
                        source.front.language,
                        other.path.display()
                    ),
                    "give each version its own `version` (versions that differ only in case count as the same)",
                ))
            } else if other.front.effective_date == source.front.effective_date {
                Some((
                    "effective_date",
                    format!(
                        "effective date {} of `{}` in `{}` is also the effective date of {}",
                        source.front.effective_date,
                        source.document,
                        source.front.language,
                        other.path.display()
                    ),
                    "two versions cannot take effect on the same day: change one date, or mark one `draft: true`",
                ))
            } else {
                None
            }
        });
        if let Some((key, message, hint)) = clash {
            problems.push(
                Diagnostic::error(&source.path, source.front.position_of(key), message)
                    .with_code(crate::base::codes::CONTENT_VERSION_CLASH)
                    .with_hint(hint),
            );
        } else {
            kept.push(source);
        }
    }
    if kept.is_empty() {
        return None;
    }
    kept.sort_by_key(|s| std::cmp::Reverse(s.front.effective_date));
    let language = kept[0].front.language.clone();
    let current = kept
        .iter()
        .position(|s| s.front.effective_date <= as_of)
        .unwrap_or(kept.len() - 1);
    let versions = kept
        .into_iter()
        .enumerate()
        .map(|(i, source)| {
            let status = if source.front.effective_date > as_of {
                Status::Upcoming
            } else if i == current {
                Status::Current
            } else {
                Status::Superseded
            };
            Version {
                path: source.path,
                front: source.front,
                body_start: source.body_start,
                hash: source.hash,
                stamp: source.stamp,
                source_sha256: source.source_sha256,
                template_code: source.template_code,
                status,
                // Set with the edition's, once the document is known.
                url: String::new(),
            }
        })
        .collect();
    Some(Edition {
        language,
        versions,
        current,
        url: String::new(),
        versions_url: String::new(),
    })
}
