//! Rendering: each document's bodies, redlines and pages, and the home
//! pages, through the templates and into the output sink.
//!
//! Documents are rendered in parallel, each one whole: its files are read
//! again (the model keeps no text), each body is parsed once for both its
//! page and its redlines, and every page goes to the sink as soon as it is
//! rendered. So a build holds the texts of the few documents in progress,
//! never the site. What later steps need from a document (the anchors its
//! pages define, the links its bodies make, each body's hash) comes back as
//! its [`Facts`]. For `clause watch`, a document's result is kept as a
//! [`Unit`]: the next build reuses it whole when nothing the document's
//! pages depend on changed, and otherwise reuses its bodies, redlines and
//! unchanged pages.
//!
//! May import `base`, `i18n`, `load` and `model`.

pub mod key;
pub mod offline;
pub mod publish;
pub mod templates;
pub mod view;

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, LineIndex, Position};
use crate::base::files::{FileCache, fingerprint};
use crate::i18n::{Catalog, Strings};
use crate::load::config::Config;
use crate::load::content;
use crate::model::diff::{self, Redline};
use crate::model::markdown::{self, Block, RenderOptions, Rendered, SourceLinks};
use crate::model::urls;
use crate::model::{Document, Page, Site, Version};
use crate::render::templates::{Shared, Templates};

/// The parts of the context that every page, or every page in a language,
/// shares: converted for templates once per build.
pub struct Common {
    site: Shared,
    /// By language code: the theme's words and the as-of date.
    languages: HashMap<String, (Shared, Shared)>,
}

impl Common {
    /// `assets`: the theme's static files by the path templates link to.
    pub fn new(site: &Site, assets: &BTreeMap<String, String>) -> Self {
        Common {
            site: Shared::new(&view::site_view(site, assets)),
            languages: site
                .config
                .languages
                .iter()
                .map(|l| {
                    let words = Shared::new(view::words(site, &l.code));
                    let as_of = Shared::new(&view::as_of(site, &l.code));
                    (l.code.clone(), (words, as_of))
                })
                .collect(),
        }
    }
}

/// A body rendered from its file, with what else was learnt from the file.
#[derive(Debug)]
pub struct Body {
    /// The key of what the body was rendered from (its file and the options).
    pub key: u64,
    pub rendered: Rendered,
    /// The SHA-256 of the rendered HTML (for documents.json).
    pub html_sha256: String,
    /// The blocks of the body, for redlines (when the version has one
    /// before or after it).
    pub blocks: Option<Vec<Block>>,
    /// Where each of `rendered.links` is in the file.
    pub link_positions: Vec<Position>,
    /// The body's own problems (a repeated anchor), as diagnostics.
    pub problems: Vec<Diagnostic>,
}

/// A redline with the key of the two versions it compares.
type KeyedRedline = (u64, Arc<Redline>);

/// What the rest of the build needs from a rendered document.
#[derive(Debug, Default)]
pub struct Facts {
    /// For each edition, for each version: its anchors, links and hash.
    pub versions: Vec<Vec<VersionFacts>>,
    /// The anchors of the combined page, when the document has one.
    pub combined: Option<Vec<String>>,
    /// A hash of what links can reach in the document: its pages' URLs and
    /// anchors (so links elsewhere need checking again only when it changes).
    pub targets: u64,
    /// A hash of its pages' URLs and which version each shows.
    pub layout: u64,
}

#[derive(Debug)]
pub struct VersionFacts {
    /// Every id the version's body defines.
    pub anchors: Vec<String>,
    /// The id and text of each heading whose id is not made from its text
    /// (for suggestions), in order.
    pub headings: Vec<(String, String)>,
    /// Site-absolute and same-page links, with where they are in the file.
    pub links: Vec<LinkFact>,
}

/// A link to check: as written, what it reaches (a site path or `#x`; or
/// for a relative link that reaches nothing, the path under `content/`),
/// and where it is in the file.
#[derive(Debug)]
pub struct LinkFact {
    pub written: String,
    pub target: Result<String, String>,
    pub position: Position,
}

/// One document's rendering, as a later build in the same process can reuse it.
#[derive(Debug)]
pub struct Unit {
    /// The hash of everything the document's pages depend on.
    pub key: u64,
    pub facts: Facts,
    /// Problems found while rendering (in bodies, files and templates).
    pub problems: Vec<Diagnostic>,
    /// Each page's output path and the hash of its inputs (0 when not hashed).
    pub pages: Vec<(String, u64)>,
    /// What the document gives the sitemap, the feeds and documents.json.
    pub pieces: crate::render::publish::Pieces,
    /// Bodies and redlines by cache key, kept for the next build (watch only).
    pub bodies: HashMap<u64, Arc<Body>>,
    pub redlines: HashMap<u64, Arc<Redline>>,
}

/// Where rendered files go. The output stage implements it (staging each
/// file beside its target); rendering only hands files over, so it never
/// depends on how or whether they are written.
pub trait Sink: Sync {
    /// Why a file could not be taken: rendering stops with it.
    type Error: Send;
    /// Takes the bytes of the file at `path` (relative to the output).
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Self::Error>;
    /// Keeps the file at `path` as the previous build wrote it.
    fn keep(&self, path: &str);
    /// Keeps every file in `paths`.
    fn keep_all<'p>(&self, paths: impl Iterator<Item = &'p str>) {
        for path in paths {
            self.keep(path);
        }
    }
}

/// What rendering needs, shared by every document.
pub struct Renderer<'a, S: Sink> {
    pub site: &'a Site,
    /// None when the templates did not compile (their problems are
    /// reported): bodies and links are still checked.
    pub templates: Option<&'a Templates>,
    /// The hash of the templates' sources.
    pub templates_hash: u64,
    /// The hash of everything besides a document that its pages show.
    pub site_key: u64,
    pub root: &'a Path,
    pub files: &'a FileCache,
    pub sink: &'a S,
    /// The parts of the context that pages share.
    pub common: &'a Common,
    /// Keep bodies, redlines and page hashes for the next build (watch).
    pub remember: bool,
}

impl<S: Sink> Renderer<'_, S> {
    /// Where the files of `doc` in `language` are, for their relative links.
    fn source_links<'s>(&'s self, doc: &'s Document, language: &'s str) -> SourceLinks<'s> {
        SourceLinks {
            index: &self.site.content_index,
            folder: &doc.key,
            language,
        }
    }

    /// Renders document `index`, reusing `previous` (its last rendering).
    /// Returns the rendering and how many pages were rendered (not reused).
    pub fn document(
        &self,
        index: usize,
        previous: Option<&Arc<Unit>>,
    ) -> Result<(Arc<Unit>, usize), S::Error> {
        let site = self.site;
        let doc = &site.documents[index];
        let key = {
            // Streamed, and paths hashed as plain strings (a `Path`'s hash
            // walks its components): this runs for every document on
            // every rebuild while watching.
            let mut hasher = std::hash::DefaultHasher::new();
            (self.site_key, &doc.key).hash(&mut hasher);
            for ed in &doc.editions {
                ed.versions.len().hash(&mut hasher);
                for v in &ed.versions {
                    (v.path.as_os_str(), v.hash, v.status).hash(&mut hasher);
                }
            }
            hasher.finish()
        };
        if let Some(unit) = previous.filter(|u| self.remember && u.key == key) {
            self.sink
                .keep_all(unit.pages.iter().map(|(path, _)| path.as_str()));
            return Ok((Arc::clone(unit), 0));
        }
        let no_bodies = HashMap::new();
        let no_redlines = HashMap::new();
        let (old_bodies, old_redlines) =
            previous.map_or((&no_bodies, &no_redlines), |u| (&u.bodies, &u.redlines));
        let mut problems = Vec::new();

        // Every version's body, and the combined page's sections.
        let wanted: Vec<(usize, usize)> = doc
            .editions
            .iter()
            .enumerate()
            .flat_map(|(e, ed)| (0..ed.versions.len()).map(move |v| (e, v)))
            .collect();
        let rendered: Vec<Result<(u64, Arc<Body>), Diagnostic>> = wanted
            .par_iter()
            .map(|&(e, v)| {
                let ed = &doc.editions[e];
                let options = render_options(
                    &site.config,
                    &site.catalog,
                    &ed.language,
                    "",
                    Some(self.source_links(doc, &ed.language)),
                );
                let split = ed.versions.len() > 1;
                self.body(&ed.versions[v], &options, split, old_bodies)
            })
            .collect();
        let parts_wanted = site.combined_parts(index).unwrap_or_default();
        let sections: Vec<Result<(u64, Arc<Body>), Diagnostic>> = parts_wanted
            .par_iter()
            .map(|&(e, v)| {
                let ed = &doc.editions[e];
                let prefix = format!("{}-", ed.language);
                // Below the section's own heading.
                let options = RenderOptions {
                    top_heading: 3,
                    ..render_options(
                        &site.config,
                        &site.catalog,
                        &ed.language,
                        &prefix,
                        Some(self.source_links(doc, &ed.language)),
                    )
                };
                self.body(&ed.versions[v], &options, false, old_bodies)
            })
            .collect();
        let mut kept_bodies = HashMap::new();
        let mut take = |result: Result<(u64, Arc<Body>), Diagnostic>| match result {
            Ok((key, body)) => {
                if self.remember {
                    kept_bodies.insert(key, Arc::clone(&body));
                }
                body
            }
            Err(problem) => {
                problems.push(problem);
                Arc::new(Body::empty())
            }
        };
        let mut bodies: Vec<Vec<Arc<Body>>> = doc
            .editions
            .iter()
            .map(|ed| Vec::with_capacity(ed.versions.len()))
            .collect();
        for (&(e, _), result) in wanted.iter().zip(rendered) {
            bodies[e].push(take(result));
        }
        let sections: Vec<(usize, usize, Arc<Body>)> = parts_wanted
            .iter()
            .zip(sections)
            .map(|(&(e, v), result)| (e, v, take(result)))
            .collect();
        for body in bodies.iter().flatten() {
            problems.extend(body.problems.iter().cloned());
        }
        problems.extend(combined_clashes(site, index, &sections));

        // What changed in each version since the one before: an edition at
        // a time, so that each version is prepared once for its two redlines.
        let computed: Vec<Vec<(u64, Arc<Redline>)>> = doc
            .editions
            .par_iter()
            .enumerate()
            .map(|(e, ed)| {
                let labels = redline_labels(site.catalog.get(&ed.language));
                let mut comparer = diff::Comparer::new(
                    bodies[e]
                        .iter()
                        .map(|b| b.blocks.as_deref().unwrap_or_default())
                        .collect(),
                );
                (0..ed.versions.len())
                    .filter(|&v| ed.has_predecessor(v))
                    .map(|v| {
                        let key =
                            redline_key(site, &ed.language, &ed.versions[v], &ed.versions[v + 1]);
                        if let Some(found) = old_redlines.get(&key) {
                            return (key, Arc::clone(found));
                        }
                        (key, Arc::new(comparer.redline(v + 1, v, &labels)))
                    })
                    .collect()
            })
            .collect();
        let mut redlines: Vec<Vec<Option<KeyedRedline>>> = doc
            .editions
            .iter()
            .map(|ed| vec![None; ed.versions.len()])
            .collect();
        let mut kept_redlines = HashMap::new();
        for (e, edition) in computed.into_iter().enumerate() {
            for (v, (key, redline)) in edition.into_iter().enumerate() {
                if self.remember {
                    kept_redlines.insert(key, Arc::clone(&redline));
                }
                redlines[e][v] = Some((key, redline));
            }
        }

        // The pages.
        let parts = view::Parts {
            redlines: redlines
                .iter()
                .map(|ed| {
                    ed.iter()
                        .map(|r| {
                            r.as_ref().map(|(key, redline)| view::Keyed {
                                key: *key,
                                value: redline.as_ref(),
                            })
                        })
                        .collect()
                })
                .collect(),
            sections: sections
                .iter()
                .map(|(e, v, body)| (*e, *v, body.keyed()))
                .collect(),
        };
        // Each version as templates see it, converted once for the two or
        // three pages that show it (and hashed, for the next build).
        // Each version as templates see it: converted once (on first use,
        // by a page actually rendered) for the two or three pages that show
        // it, and hashed for the next build.
        let versions: Vec<Vec<ShownVersion<'_>>> = bodies
            .par_iter()
            .enumerate()
            .map(|(e, ed)| {
                ed.par_iter()
                    .enumerate()
                    .map(|(v, body)| {
                        let view = view::version(site, index, e, v, &body.rendered, body.key);
                        let hash = if self.remember { key::of(&view) } else { 0 };
                        ShownVersion {
                            view,
                            hash,
                            value: std::sync::OnceLock::new(),
                        }
                    })
                    .collect()
            })
            .collect();
        let old_pages: HashMap<&str, u64> = previous
            .map(|u| u.pages.iter().map(|(p, k)| (p.as_str(), *k)).collect())
            .unwrap_or_default();
        let pages = site.document_pages(index);
        let results: Vec<Result<PageResult, S::Error>> = pages
            .par_iter()
            .map(|&page| {
                let version = view::shown(site, page).map(|(e, v)| &versions[e][v]);
                self.page(page, Some(&parts), version, &old_pages)
            })
            .collect();
        let mut unit = Unit {
            key,
            facts: Facts::default(),
            problems: Vec::new(),
            pages: Vec::with_capacity(pages.len()),
            pieces: crate::render::publish::Pieces::default(),
            bodies: kept_bodies,
            redlines: kept_redlines,
        };
        let mut rendered = 0;
        for result in results {
            let page = result?;
            rendered += usize::from(page.rendered);
            problems.extend(page.problem);
            unit.pages.push((page.path, page.key));
        }
        let urls: Vec<String> = pages.iter().map(|&page| site.url(page)).collect();
        unit.facts = Facts {
            layout: fingerprint(&(
                &urls,
                doc.editions.iter().map(|ed| ed.current).collect::<Vec<_>>(),
                site.combined_parts(index).is_some(),
            )),
            targets: fingerprint(&(
                &urls,
                bodies
                    .iter()
                    .map(|ed| ed.iter().map(|b| &b.rendered.anchors).collect::<Vec<_>>())
                    .collect::<Vec<_>>(),
                sections
                    .iter()
                    .map(|(_, _, b)| &b.rendered.anchors)
                    .collect::<Vec<_>>(),
            )),
            versions: bodies
                .iter()
                .map(|ed| ed.iter().map(|b| b.facts()).collect())
                .collect(),
            combined: (!sections.is_empty()).then(|| {
                sections
                    .iter()
                    .flat_map(|(e, _, body)| {
                        // The sections themselves are anchors too (`#zh`, the jump bar's targets).
                        std::iter::once(doc.editions[*e].language.clone())
                            .chain(body.rendered.anchors.iter().cloned())
                    })
                    .collect()
            }),
        };
        let hashes: Vec<Vec<&str>> = bodies
            .iter()
            .map(|ed| ed.iter().map(|b| b.html_sha256.as_str()).collect())
            .collect();
        unit.pieces = crate::render::publish::pieces(site, index, &hashes);
        unit.problems = problems;
        Ok((Arc::new(unit), rendered))
    }

    /// Renders the home pages, reusing those whose inputs are unchanged
    /// (`previous`: output path -> inputs hash).
    pub fn homes(&self, previous: &HashMap<String, u64>) -> Result<Homes, S::Error> {
        let old: HashMap<&str, u64> = previous.iter().map(|(p, k)| (p.as_str(), *k)).collect();
        let pages: Vec<Page> = (0..self.site.config.languages.len())
            .filter(|&language| self.site.has_home(language))
            .map(|language| Page::Home { language })
            .collect();
        let results: Vec<Result<PageResult, S::Error>> = pages
            .par_iter()
            .map(|&page| self.page(page, None, None, &old))
            .collect();
        let mut homes = Homes::default();
        for result in results {
            let page = result?;
            homes.rendered += usize::from(page.rendered);
            homes.problems.extend(page.problem);
            homes.keys.insert(page.path, page.key);
        }
        Ok(homes)
    }

    /// Writes the redirect page of every old address (`[aliases]`); returns
    /// the template problems.
    pub fn redirects(&self) -> Result<Vec<Diagnostic>, S::Error> {
        let site = self.site;
        let Some(templates) = self.templates else {
            return Ok(Vec::new());
        };
        let mut problems = Vec::new();
        let mut page = Vec::new();
        for alias in &site.aliases {
            let view = view::redirect(site, alias);
            let (words, as_of) = &self.common.languages[site.language_of(alias.target)];
            let shared = [("site", &self.common.site), ("t", words), ("as_of", as_of)];
            match templates.render_into("redirect.html", &view, &shared, &mut page) {
                Ok(()) => self.sink.put(&alias.file, &page)?,
                Err(problem) => problems.push(problem),
            }
        }
        Ok(problems)
    }

    /// Renders one page into the sink, unless its inputs hash to what they
    /// did in the previous build (`old`), which wrote it. `version` is the
    /// version it shows, converted for templates, with the hash of its view.
    fn page(
        &self,
        page: Page,
        parts: Option<&view::Parts<'_>>,
        version: Option<&ShownVersion<'_>>,
        old: &HashMap<&str, u64>,
    ) -> Result<PageResult, S::Error> {
        let site = self.site;
        let path = urls::page_file(&site.url(page));
        let Some(templates) = self.templates else {
            return Ok(PageResult {
                path,
                key: 0,
                rendered: false,
                problem: None,
            });
        };
        let context = view::context(site, page, parts);
        let template = view::template_for(site, page);
        // Hashing the inputs pays only when there is a previous build to match.
        let key = if self.remember {
            fingerprint(&(
                key::of(&context),
                version.map(|v| v.hash),
                self.site_key,
                template,
                self.templates_hash,
            ))
        } else {
            0
        };
        if self.remember && old.get(path.as_str()) == Some(&key) {
            self.sink.keep(&path);
            return Ok(PageResult {
                path,
                key,
                rendered: false,
                problem: None,
            });
        }
        let (words, as_of) = &self.common.languages[site.language_of(page)];
        let mut shared = vec![("site", &self.common.site), ("t", words), ("as_of", as_of)];
        if let Some(version) = version {
            shared.push(("version", version.value()));
        }
        thread_local! {
            static PAGE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let rendered = PAGE.with(|page| {
            let mut page = page.borrow_mut();
            templates
                .render_into(template, &context, &shared, &mut page)
                .map(|()| self.sink.put(&path, &page))
        });
        match rendered {
            Ok(put) => {
                put?;
                Ok(PageResult {
                    path,
                    key,
                    rendered: true,
                    problem: None,
                })
            }
            Err(problem) => Ok(PageResult {
                path,
                key: 0,
                rendered: false,
                problem: Some(problem),
            }),
        }
    }

    /// A version's body rendered with `options` (split into blocks too if
    /// `split`), from `previous` if the same file was rendered the same way.
    fn body(
        &self,
        version: &Version,
        options: &RenderOptions<'_>,
        split: bool,
        previous: &HashMap<u64, Arc<Body>>,
    ) -> Result<(u64, Arc<Body>), Diagnostic> {
        let key = fingerprint(&(version.hash, options));
        if let Some(found) = previous.get(&key) {
            if !split || found.blocks.is_some() {
                return Ok((key, Arc::clone(found)));
            }
        }
        let text = content::read_text(self.files, self.root, &version.path, version.stamp)?;
        let vars = self.site.config.variables(&version.front.language);
        let expanded = crate::load::variables::expand(&text[version.body_start..], vars);
        let (rendered, blocks) = markdown::render_and_split(&expanded.text, options, split);
        let html_sha256 = crate::base::hash::sha256(rendered.html.as_bytes());
        // Positions are worked out while the text is at hand.
        let lines = LineIndex::new(&text);
        let at = |offset: usize| {
            let offset = expanded.original_offset(offset);
            lines.position(&text, version.body_start + offset)
        };
        let link_positions = rendered.links.iter().map(|l| at(l.offset)).collect();
        let problems = rendered
            .problems
            .iter()
            .map(|p| {
                Diagnostic::error(&version.path, at(p.offset), p.message.clone())
                    .with_code(crate::base::codes::CONTENT_BODY)
                    .with_hint(p.hint.clone())
            })
            .collect();
        Ok((
            key,
            Arc::new(Body {
                key,
                rendered,
                html_sha256,
                blocks,
                link_positions,
                problems,
            }),
        ))
    }
}

impl Body {
    /// The body of a file that could not be read (its problem is reported).
    fn empty() -> Self {
        let rendered = Rendered::default();
        Self {
            key: fingerprint(&rendered.html),
            html_sha256: crate::base::hash::sha256(b""),
            rendered,
            blocks: Some(Vec::new()),
            link_positions: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The rendered body with its key, as views take it.
    fn keyed(&self) -> view::Keyed<'_, Rendered> {
        view::Keyed {
            key: self.key,
            value: &self.rendered,
        }
    }

    fn facts(&self) -> VersionFacts {
        // Only headings whose id is not made from their text (`{#id}`, a
        // repeat): the others are found by their id alone, and a large
        // site need not hold every heading twice.
        fn flatten(entries: &[markdown::TocEntry], out: &mut Vec<(String, String)>) {
            for entry in entries {
                if markdown::slugify(&entry.title) != entry.id {
                    out.push((entry.id.clone(), entry.title.clone()));
                }
                flatten(&entry.children, out);
            }
        }
        let mut headings = Vec::new();
        flatten(&self.rendered.toc, &mut headings);
        VersionFacts {
            anchors: self.rendered.anchors.clone(),
            headings,
            links: self
                .rendered
                .links
                .iter()
                .zip(&self.link_positions)
                .map(|(link, position)| LinkFact {
                    written: link.written.clone(),
                    target: link.target.clone(),
                    position: *position,
                })
                .collect(),
        }
    }
}

/// A version as its pages show it: the view, a hash of it, and the view
/// converted for templates (when first needed).
struct ShownVersion<'a> {
    view: view::VersionView<'a>,
    hash: u64,
    value: std::sync::OnceLock<Shared>,
}

impl ShownVersion<'_> {
    fn value(&self) -> &Shared {
        self.value.get_or_init(|| Shared::new(&self.view))
    }
}

/// What rendering the home pages gave.
#[derive(Default)]
pub struct Homes {
    /// Output path -> the hash of the page's inputs.
    pub keys: HashMap<String, u64>,
    /// Pages rendered (not reused).
    pub rendered: usize,
    pub problems: Vec<Diagnostic>,
}

struct PageResult {
    path: String,
    key: u64,
    rendered: bool,
    problem: Option<Diagnostic>,
}

/// Ids that clash on a combined page (`en-us-x` from `en` and from `en-us`).
fn combined_clashes(
    site: &Site,
    document: usize,
    sections: &[(usize, usize, Arc<Body>)],
) -> Vec<Diagnostic> {
    let doc = &site.documents[document];
    let mut problems = Vec::new();
    // The theme gives each section the id `<code>` and its contents `<code>--toc`.
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (e, v, body) in sections {
        let ed = &doc.editions[*e];
        let own = [ed.language.clone(), format!("{}--toc", ed.language)];
        for id in own.iter().chain(&body.rendered.anchors) {
            if let Some(first) = seen.insert(id.clone(), &ed.language) {
                problems.push(
                    Diagnostic::error(
                        &ed.versions[*v].path,
                        Position::START,
                        format!(
                            "on the combined page of `{}`, the id `{id}` comes from both the `{first}` and the `{}` section",
                            doc.key, ed.language
                        ),
                    ).with_code(crate::base::codes::CONTENT_COMBINED_ID)
                    .with_hint("give the heading an explicit `{#id}` that the other language's prefix cannot produce"),
                );
            }
        }
    }
    problems
}

/// The cache key of the redline from `old` to `new` in `language`.
fn redline_key(site: &Site, language: &str, new: &Version, old: &Version) -> u64 {
    let labels = redline_labels(site.catalog.get(language));
    fingerprint(&(
        "redline",
        new.hash,
        old.hash,
        language,
        &site.config.base_path,
        &site.config.page_ids,
        (
            labels.inserted,
            labels.deleted,
            labels.moved,
            labels.unchanged,
            labels.was,
            labels.moved_from,
            labels.moved_to,
        ),
    ))
}

/// How to render a body in `language`; `id_prefix` is empty except on
/// combined pages; `sources` says where the body's file is, for its
/// relative links.
pub fn render_options<'a>(
    config: &'a Config,
    catalog: &'a Catalog,
    language: &str,
    id_prefix: &'a str,
    sources: Option<SourceLinks<'a>>,
) -> RenderOptions<'a> {
    RenderOptions {
        base_path: &config.base_path,
        anchor_label: catalog.get(language).get("anchor_label"),
        id_prefix,
        reserved_ids: &config.page_ids,
        sources,
        host_paths: &config.host_paths,
        top_heading: 2,
    }
}

/// The words a redline prints, in one language.
pub fn redline_labels(strings: &Strings) -> diff::Labels<'_> {
    diff::Labels {
        inserted: strings.get("label_inserted"),
        deleted: strings.get("label_deleted"),
        moved: strings.get("label_moved"),
        unchanged: strings.get("redline_unchanged"),
        was: strings.get("number_was"),
        moved_from: strings.get("moved_from"),
        moved_to: strings.get("moved_to"),
    }
}
