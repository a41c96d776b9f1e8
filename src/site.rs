//! The orchestrator: config -> content -> model -> render -> write. Each step
//! is a plain function over plain data; this module runs them in order and
//! gathers every problem they report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::cache::{BodyCache, Cache, FileCache, fingerprint};
use crate::config::{self, CONFIG_FILE, Config};
use crate::content::{self, Source};
use crate::diagnostics::{self, Diagnostic, Position};
use crate::diff::{self, Redline};
use crate::i18n::Catalog;
use crate::links;
use crate::lock;
use crate::markdown::{self, RenderOptions, Rendered};
use crate::model::{self, Section, Site};
use crate::output::{self, Files, OutputError, WriteReport};
use crate::publish;
use crate::render;
use crate::templates::Templates;
use crate::theme;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder, holding `config.toml`.
    pub root: PathBuf,
    /// The output folder; `None` means the config's `output_dir` under the root.
    pub output: Option<PathBuf>,
    /// The date that decides which versions are in effect.
    pub as_of: NaiveDate,
    /// Include versions marked `draft: true`.
    pub drafts: bool,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub documents: usize,
    pub languages: usize,
    pub versions: usize,
    pub pages: usize,
    pub files: usize,
}

/// A site that passed every check, rendered in memory.
#[derive(Debug)]
pub struct Checked {
    pub stats: Stats,
    /// The next day a rebuild would change which version is current.
    pub next_change_at: Option<NaiveDate>,
    /// Pages rendered by this run (the rest came from the cache).
    pub pages_rendered: usize,
    pub warnings: Vec<Diagnostic>,
    pub output: PathBuf,
    files: Files,
}

/// What `build` did.
#[derive(Debug)]
pub struct Built {
    pub stats: Stats,
    /// The next day a rebuild would change which version is current.
    pub next_change_at: Option<NaiveDate>,
    /// Pages rendered by this run (the rest came from the cache).
    pub pages_rendered: usize,
    pub warnings: Vec<Diagnostic>,
    pub output: PathBuf,
    pub report: WriteReport,
}

/// Why a build stopped. In every case the output folder is left as it was,
/// except for an I/O error in the middle of writing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} problem(s) in the site", .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Validates and renders the whole site in memory; writes nothing.
pub fn check(options: &Options) -> Result<Checked, Vec<Diagnostic>> {
    check_with(options, &mut Cache::default())
}

/// Checks and renders the site, then writes it: only files whose bytes
/// changed, and nothing at all if anything is wrong.
pub fn build(options: &Options) -> Result<Built, Error> {
    build_with(options, &mut Cache::default())
}

/// `check`, reusing and refreshing `cache`: only files that changed are
/// read and parsed again, and only pages whose inputs changed are rendered.
/// The result is the same as with an empty cache.
pub fn check_with(options: &Options, cache: &mut Cache) -> Result<Checked, Vec<Diagnostic>> {
    let root = &options.root;
    output::restore_marker(&cache.disk);
    let (config, config_text) = load_config(root, &cache.files).map_err(|mut problems| {
        diagnostics::sort_and_dedup(&mut problems);
        problems
    })?;
    cache.reset_derived(&config_text);
    cache.site_folders = Some((config.output_dir.clone(), config.theme.clone()));
    let output = match &options.output {
        Some(dir) => dir.clone(),
        None => root.join(&config.output_dir),
    };
    let mut problems = Vec::new();

    if options.output.is_none() {
        if let Err(e) = output::check_output_dir(root, &output) {
            problems.push(
                Diagnostic::error(CONFIG_FILE, config.position_of("output_dir"), e.to_string())
                    .with_hint("set `output_dir` to a folder of its own, such as `dist`"),
            );
        }
    }
    let (theme, mut theme_problems) = theme::load(root, &config, &cache.files);
    problems.append(&mut theme_problems);
    let loaded = content::load(root, &config, &cache.files, &cache.sources);
    cache.sources = loaded.cache;
    problems.extend(loaded.problems);
    problems.extend(check_lock(root, &cache.files, &loaded.sources));
    let sources: Vec<Source> = loaded
        .sources
        .into_iter()
        .filter(|s| options.drafts || !s.front.draft)
        .collect();
    let (catalog, mut language_warnings) = Catalog::new(&config);
    problems.append(&mut language_warnings);
    let (rendered, bodies): (Vec<(Source, Arc<Rendered>)>, BodyCache) = sources
        .into_par_iter()
        .map(|s| {
            let options = render_options(&config, &catalog, &s.front.language, "");
            let (key, body) = render_body(s.hash, s.body(), &options, &cache.bodies);
            ((s, Arc::clone(&body)), (key, body))
        })
        .unzip();
    let mut bodies = bodies;
    let (mut site, mut model_problems) = model::build(config, catalog, options.as_of, rendered);
    problems.append(&mut model_problems);
    problems.extend(combine(&mut site, &cache.bodies, &mut bodies));
    cache.redlines = redlines(&mut site, &cache.redlines);
    problems.extend(governing_warnings(&site));
    problems.extend(stale_warnings(&site));
    cache.bodies = bodies;
    let pages = site.pages();
    let mut files = Files::new();
    let mut pages_rendered = 0;
    let published = publish::files(&site, &pages);
    let targets = links::Targets::new(
        &site,
        &pages,
        theme
            .static_files
            .keys()
            .chain(published.iter().map(|(path, _)| path))
            .map(String::as_str),
    );
    problems.extend(links::check(&site, &targets));
    // Templates are checked even when content has problems, so one run reports both.
    match compiled_templates(&theme, cache) {
        Ok((templates, hash)) => {
            match render::pages(&site, &pages, &templates, hash, &cache.pages) {
                Ok(rendered) => {
                    pages_rendered = rendered.rendered;
                    files.extend(rendered.pages);
                    cache.pages = rendered.cache;
                }
                Err(mut render_problems) => problems.append(&mut render_problems),
            }
        }
        Err(mut template_problems) => problems.append(&mut template_problems),
    }
    files.extend(theme.static_files);
    files.extend(
        published
            .into_iter()
            .map(|(path, bytes)| (path, Arc::new(bytes))),
    );
    for (a, b) in output::conflicts(&files) {
        problems.push(
            Diagnostic::error(format!("<output>/{b}"), Position::START, format!("the output cannot hold both `{a}` and `{b}`"))
                .with_hint("one is a file where the other needs a folder, or they differ only in case: rename a static file, a document folder, a version or a language"),
        );
    }
    cache.files.sweep();
    diagnostics::sort_and_dedup(&mut problems);
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        problems.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        return Err(all);
    }
    Ok(Checked {
        next_change_at: publish::next_change_at(&site),
        stats: Stats {
            documents: site.documents.len(),
            languages: site.languages_used(),
            versions: site.version_count(),
            pages: pages.len(),
            files: files.len(),
        },
        pages_rendered,
        warnings,
        output,
        files,
    })
}

/// `build`, with `cache` as in `check_with`; the cache also remembers what
/// was written, so unchanged files are not even read back.
pub fn build_with(options: &Options, cache: &mut Cache) -> Result<Built, Error> {
    let checked = check_with(options, cache).map_err(Error::Invalid)?;
    let resolved = output::check_output_dir(&options.root, &checked.output)?;
    let report = output::write(&resolved, &checked.files, &mut cache.disk)?;
    Ok(Built {
        next_change_at: checked.next_change_at,
        stats: checked.stats,
        pages_rendered: checked.pages_rendered,
        warnings: checked.warnings,
        output: checked.output,
        report,
    })
}

/// Where a build of the site at `root` writes (`output`, else the config's
/// `output_dir`) and the URL path the site lives under (`/` unless
/// `base_url` has a path). Falls back to `dist` and `/` when the config
/// cannot be read; the build reports why.
pub fn output_and_base_path(root: &Path, output: Option<&Path>) -> (PathBuf, String) {
    let config = load_config(root, &FileCache::default())
        .ok()
        .map(|(c, _)| c);
    let dir = match (output, &config) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(config)) => root.join(&config.output_dir),
        (None, None) => root.join("dist"),
    };
    let base = config.map_or_else(|| "/".to_string(), |c| c.base_path);
    (dir, base)
}

/// The theme's templates compiled, from the cache when the sources are unchanged.
fn compiled_templates(
    theme: &theme::Theme,
    cache: &mut Cache,
) -> Result<(Arc<Templates>, u64), Vec<Diagnostic>> {
    let hash = fingerprint(
        &theme
            .templates
            .iter()
            .map(|t| (&t.name, &t.origin, &t.text))
            .collect::<Vec<_>>(),
    );
    if let Some((cached, templates)) = &cache.templates {
        if *cached == hash {
            return Ok((Arc::clone(templates), hash));
        }
    }
    let templates = Arc::new(Templates::compile(&theme.templates)?);
    cache.templates = Some((hash, Arc::clone(&templates)));
    cache.pages.clear();
    Ok((templates, hash))
}

/// A body rendered with `options`, from `previous` if the same file (by
/// `file_hash`) was rendered the same way before. Returns the cache key too.
fn render_body(
    file_hash: u64,
    markdown: &str,
    options: &RenderOptions<'_>,
    previous: &BodyCache,
) -> (u64, Arc<Rendered>) {
    let key = fingerprint(&(file_hash, options));
    match previous.get(&key) {
        Some(body) => (key, Arc::clone(body)),
        None => {
            let mut body = markdown::render(markdown, options);
            body.fingerprint = key;
            body.html_sha256 = crate::lock::sha256(body.html.as_bytes());
            (key, Arc::new(body))
        }
    }
}

/// Checks the content against `clause.lock`, if the site has one.
fn check_lock(root: &Path, files: &FileCache, sources: &[Source]) -> Vec<Diagnostic> {
    let path = root.join(lock::LOCK_FILE);
    if !path.exists() {
        return Vec::new();
    }
    let text = match files.read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            return vec![Diagnostic::error(
                lock::LOCK_FILE,
                Position::START,
                format!("cannot read: {e}"),
            )];
        }
    };
    match lock::parse(&text) {
        Ok(entries) => lock::verify(&entries, sources),
        Err(problems) => problems,
    }
}

/// How to render a body in `language`; `id_prefix` is empty except on combined pages.
fn render_options<'a>(
    config: &'a Config,
    catalog: &'a Catalog,
    language: &str,
    id_prefix: &'a str,
) -> RenderOptions<'a> {
    RenderOptions {
        base_path: &config.base_path,
        anchor_label: catalog.get(language).get("anchor_label"),
        id_prefix,
        reserved_ids: &config.page_ids,
        top_heading: 2,
    }
}

/// With `translations = "combined"`, renders each language's part of every
/// combined page again with ids prefixed by its language code. Reports ids
/// that still clash on the page (`en-us-x` from `en` and from `en-us`).
fn combine(site: &mut Site, previous: &BodyCache, bodies: &mut BodyCache) -> Vec<Diagnostic> {
    let combined: Vec<(usize, Vec<(u64, Section)>)> = (0..site.documents.len())
        .into_par_iter()
        .filter_map(|document| {
            let parts = site.combined_parts(document)?;
            let doc = &site.documents[document];
            let sections = parts
                .into_iter()
                .map(|(edition, version)| {
                    let ed = &doc.editions[edition];
                    let prefix = format!("{}-", ed.language);
                    // Below the section's own heading.
                    let options = RenderOptions {
                        top_heading: 3,
                        ..render_options(&site.config, &site.catalog, &ed.language, &prefix)
                    };
                    let v = &ed.versions[version];
                    let (key, body) = render_body(v.hash, v.markdown(), &options, previous);
                    let section = Section {
                        edition,
                        version,
                        body,
                    };
                    (key, section)
                })
                .collect();
            Some((document, sections))
        })
        .collect();
    let mut problems = Vec::new();
    for (document, keyed) in combined {
        let mut sections = Vec::with_capacity(keyed.len());
        for (key, section) in keyed {
            bodies.insert(key, Arc::clone(&section.body));
            sections.push(section);
        }
        let doc = &site.documents[document];
        // The theme gives each section the id `<code>` and its contents `<code>--toc`.
        let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        for section in &sections {
            let ed = &doc.editions[section.edition];
            let own = [ed.language.clone(), format!("{}--toc", ed.language)];
            for id in own.iter().chain(&section.body.anchors) {
                if let Some(first) = seen.insert(id.clone(), &ed.language) {
                    let version = &ed.versions[section.version];
                    problems.push(
                        Diagnostic::error(
                            &version.path,
                            Position::START,
                            format!(
                                "on the combined page of `{}`, the id `{id}` comes from both the `{first}` and the `{}` section",
                                doc.key, ed.language
                            ),
                        )
                        .with_hint("give the heading an explicit `{#id}` that the other language's prefix cannot produce"),
                    );
                }
            }
        }
        site.documents[document].combined = Some(sections);
    }
    problems
}

/// Works out, for every version with one before it, what changed, reusing
/// `previous` redlines of the same two files; returns the redlines to keep.
fn redlines(site: &mut Site, previous: &HashMap<u64, Arc<Redline>>) -> HashMap<u64, Arc<Redline>> {
    let config = &site.config;
    let catalog = &site.catalog;
    // For each document, edition and version: the redline and its cache key.
    type Keyed = Option<(u64, Arc<Redline>)>;
    let computed: Vec<Vec<Vec<Keyed>>> = site
        .documents
        .par_iter()
        .map(|doc| {
            doc.editions
                .iter()
                .map(|ed| {
                    let labels = redline_labels(catalog.get(&ed.language));
                    let options = RenderOptions {
                        anchor_label: "",
                        ..render_options(config, catalog, &ed.language, "")
                    };
                    // Each version's blocks, made once though most versions are in two pairs.
                    let mut blocks: Vec<Option<Vec<markdown::Block>>> =
                        vec![None; ed.versions.len()];
                    let mut blocks_of = |i: usize| -> Vec<markdown::Block> {
                        blocks[i]
                            .get_or_insert_with(|| {
                                markdown::blocks(ed.versions[i].markdown(), &options)
                            })
                            .clone()
                    };
                    (0..ed.versions.len())
                        .map(|i| {
                            let (new, old) = (&ed.versions[i], ed.versions.get(i + 1)?);
                            let key = fingerprint(&(
                                "redline",
                                new.hash,
                                old.hash,
                                &ed.language,
                                options.base_path,
                                options.reserved_ids,
                                (
                                    labels.inserted,
                                    labels.deleted,
                                    labels.moved,
                                    labels.unchanged,
                                ),
                            ));
                            let redline = match previous.get(&key) {
                                Some(r) => Arc::clone(r),
                                None => {
                                    let (before, after) = (blocks_of(i + 1), blocks_of(i));
                                    let mut redline = diff::redline(&before, &after, &labels);
                                    redline.fingerprint = key;
                                    Arc::new(redline)
                                }
                            };
                            Some((key, redline))
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut kept = HashMap::new();
    for (doc, editions) in site.documents.iter_mut().zip(computed) {
        for (ed, redlines) in doc.editions.iter_mut().zip(editions) {
            ed.redlines = redlines
                .into_iter()
                .map(|r| {
                    r.map(|(key, redline)| {
                        kept.insert(key, Arc::clone(&redline));
                        redline
                    })
                })
                .collect();
        }
    }
    kept
}

/// The words a redline prints, in one language.
fn redline_labels(strings: &crate::i18n::Strings) -> diff::Labels<'_> {
    diff::Labels {
        inserted: strings.get("label_inserted"),
        deleted: strings.get("label_deleted"),
        moved: strings.get("label_moved"),
        unchanged: strings.get("redline_unchanged"),
    }
}

/// Warnings for translations whose version in effect is older than the
/// governing (else default) language's.
fn stale_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for doc in &site.documents {
        for ed in &doc.editions {
            if let Some(reference) = crate::view::newer_reference(site, doc, ed) {
                let newer = reference.current_version();
                let ours = ed.current_version();
                warnings.push(
                    Diagnostic::warning(
                        &ours.path,
                        Position::START,
                        format!(
                            "`{}` in `{}` is out of date: version {} in `{}` has been in effect since {}",
                            doc.key, ed.language, newer.front.version, reference.language, newer.front.effective_date
                        ),
                    )
                    .with_hint(format!(
                        "translate {} into a `language: {}` version with `effective_date: {}`",
                        newer.path.display(),
                        ed.language,
                        newer.front.effective_date
                    )),
                );
            }
        }
    }
    warnings
}

/// Warnings for translations that have no governing-language text to defer to.
fn governing_warnings(site: &Site) -> Vec<Diagnostic> {
    let Some(governing) = site.config.governing_language.as_deref() else {
        return Vec::new();
    };
    if !site
        .documents
        .iter()
        .any(|d| d.edition(governing).is_some())
    {
        return vec![Diagnostic::warning(
            CONFIG_FILE,
            site.config.position_of("governing_language"),
            format!("the governing language `{governing}` has no documents, so no page says which version prevails"),
        )
        .with_hint("add the governing-language versions, or change `governing_language`")];
    }
    site.documents
        .iter()
        .filter(|d| d.edition(governing).is_none())
        .map(|d| {
            let first = &d.editions[0].versions[0];
            Diagnostic::warning(
                &first.path,
                Position::START,
                format!(
                    "`{}` has no version in the governing language `{governing}`, so its pages say nothing about which version prevails",
                    d.key
                ),
            )
            .with_hint(format!("add a `language: {governing}` version of `{}`", d.key))
        })
        .collect()
}

fn load_config(root: &Path, files: &FileCache) -> Result<(Config, String), Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let bytes = files.read(&path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            "run clause in the site folder, or pass --root <site folder>".to_string()
        } else {
            "check the file's permissions and that it is UTF-8 text".to_string()
        };
        vec![
            Diagnostic::error(
                CONFIG_FILE,
                Position::START,
                format!("cannot read {}: {e}", path.display()),
            )
            .with_hint(hint),
        ]
    })?;
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
        vec![
            Diagnostic::error(
                CONFIG_FILE,
                Position::START,
                "config.toml is not UTF-8 text",
            )
            .with_hint("save it as UTF-8"),
        ]
    })?;
    let config = config::parse(&text, CONFIG_FILE)?;
    Ok((config, text))
}

/// The as-of date: the flag, else `SOURCE_DATE_EPOCH` (seconds, as a UTC
/// date), else today in UTC.
pub fn resolve_as_of(
    flag: Option<NaiveDate>,
    source_date_epoch: Option<&str>,
    today: NaiveDate,
) -> Result<NaiveDate, String> {
    if let Some(date) = flag {
        return Ok(date);
    }
    match source_date_epoch.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
            .map(|t| t.date_naive())
            // Dates print as YYYY-MM-DD only in years 0 to 9999.
            .filter(|d| (0..=9999).contains(&chrono::Datelike::year(d)))
            .ok_or_else(|| {
                format!(
                    "SOURCE_DATE_EPOCH `{raw}` is not a number of seconds since 1970-01-01 (up to the year 9999)"
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_precedence() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let flag = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        assert_eq!(resolve_as_of(Some(flag), Some("0"), today), Ok(flag));
        assert_eq!(
            resolve_as_of(None, Some("1778544000"), today),
            Ok(NaiveDate::from_ymd_opt(2026, 5, 12).unwrap())
        );
        assert_eq!(resolve_as_of(None, None, today), Ok(today));
        assert_eq!(resolve_as_of(None, Some(""), today), Ok(today));
        assert!(resolve_as_of(None, Some("yesterday"), today).is_err());
        assert!(resolve_as_of(None, Some("253402300800"), today).is_err());
        assert!(resolve_as_of(None, Some("253402300799"), today).is_ok());
    }
}

/// What `clause diff` compares.
#[derive(Debug, Clone)]
pub struct DiffRequest {
    pub root: PathBuf,
    pub document: String,
    /// The default language when not given.
    pub language: Option<String>,
    /// The older version; the second newest when not given.
    pub from: Option<String>,
    /// The newer version; the newest when not given.
    pub to: Option<String>,
    pub drafts: bool,
}

/// How `clause diff` writes its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Text(diff::TextStyle),
    Html,
}

/// The result of `clause diff`.
#[derive(Debug)]
pub struct DiffOutput {
    pub output: String,
    pub language: String,
    pub from: String,
    pub to: String,
    pub words_added: usize,
    pub words_removed: usize,
}

/// Why `clause diff` could not compare.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("{} problem(s) in the site", .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error("{0}")]
    NotFound(String),
}

/// Compares two versions of a document in one language (`clause diff`).
pub fn diff(request: &DiffRequest, format: DiffFormat) -> Result<DiffOutput, DiffError> {
    let files = FileCache::default();
    let (config, _) = load_config(&request.root, &files).map_err(DiffError::Invalid)?;
    let loaded = content::load(&request.root, &config, &files, &Default::default());
    let mut documents: Vec<&str> = loaded.sources.iter().map(|s| s.document.as_str()).collect();
    documents.sort_unstable();
    documents.dedup();
    if !documents.contains(&request.document.as_str()) {
        let hint = match diagnostics::did_you_mean(&request.document, documents.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("the documents are {}", diagnostics::quoted_list(&documents)),
        };
        return Err(DiffError::NotFound(format!(
            "there is no document `{}` ({hint})",
            request.document
        )));
    }
    // Problems in this document's files stop the comparison; others do not matter here.
    let prefix = Path::new(content::CONTENT_DIR).join(&request.document);
    let own: Vec<Diagnostic> = loaded
        .problems
        .into_iter()
        .filter(|p| p.path.parent() == Some(prefix.as_path()))
        .collect();
    if !own.is_empty() {
        return Err(DiffError::Invalid(own));
    }
    let of_document: Vec<&Source> = loaded
        .sources
        .iter()
        .filter(|s| s.document == request.document && (request.drafts || !s.front.draft))
        .collect();
    let language = request
        .language
        .clone()
        .unwrap_or_else(|| config.default_language.clone());
    let mut versions: Vec<&Source> = of_document
        .iter()
        .copied()
        .filter(|s| s.front.language == language)
        .collect();
    if versions.is_empty() {
        let mut languages: Vec<&str> = of_document
            .iter()
            .map(|s| s.front.language.as_str())
            .collect();
        languages.sort_unstable();
        languages.dedup();
        return Err(DiffError::NotFound(format!(
            "`{}` has no version in `{language}` (its languages are {})",
            request.document,
            diagnostics::quoted_list(&languages)
        )));
    }
    versions.sort_by_key(|s| std::cmp::Reverse(s.front.effective_date));
    let names: Vec<&str> = versions.iter().map(|s| s.front.version.as_str()).collect();
    let find = |name: &str| {
        versions
            .iter()
            .copied()
            .find(|s| s.front.version == name)
            .ok_or_else(|| {
                DiffError::NotFound(format!(
                    "`{}` in `{language}` has no version `{name}` (its versions are {})",
                    request.document,
                    diagnostics::quoted_list(&names)
                ))
            })
    };
    let (from, to) = match (&request.from, &request.to) {
        (Some(from), Some(to)) => (find(from)?, find(to)?),
        (Some(from), None) => (find(from)?, versions[0]),
        (None, _) if versions.len() < 2 => {
            return Err(DiffError::NotFound(format!(
                "`{}` in `{language}` has only one version ({}), nothing to compare",
                request.document,
                diagnostics::quoted_list(&names)
            )));
        }
        (None, _) => (versions[1], versions[0]),
    };
    let (catalog, _) = Catalog::new(&config);
    let options = RenderOptions {
        anchor_label: "",
        ..render_options(&config, &catalog, &language, "")
    };
    let old = markdown::blocks(from.body(), &options);
    let new = markdown::blocks(to.body(), &options);
    let (output, words_added, words_removed) = match format {
        DiffFormat::Text(style) => diff::text(&old, &new, style),
        DiffFormat::Html => {
            let redline = diff::redline(&old, &new, &redline_labels(catalog.get(&language)));
            (redline.html, redline.words_added, redline.words_removed)
        }
    };
    Ok(DiffOutput {
        output,
        language,
        from: from.front.version.clone(),
        to: to.front.version.clone(),
        words_added,
        words_removed,
    })
}

/// `clause lock`: brings `clause.lock` up to date for the as-of date and
/// writes it (atomically). Fails, writing nothing, if a locked text changed
/// without a correction (unless `force`) or the site has problems.
pub fn lock(options: &Options, force: bool) -> Result<lock::Update, Vec<Diagnostic>> {
    let files = FileCache::default();
    let (config, _) = load_config(&options.root, &files)?;
    let loaded = content::load(&options.root, &config, &files, &Default::default());
    if !loaded.problems.is_empty() {
        return Err(loaded.problems);
    }
    let existing = lock::read(&options.root)?.unwrap_or_default();
    let update = lock::update(&existing, &loaded.sources, options.as_of, force);
    if !update.refused.is_empty() {
        return Err(update.refused);
    }
    let text = lock::render(&update.entries);
    let path = options.root.join(lock::LOCK_FILE);
    let tmp = options
        .root
        .join(format!(".{}.clause-tmp", lock::LOCK_FILE));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| {
            vec![Diagnostic::error(
                lock::LOCK_FILE,
                Position::START,
                format!("cannot write: {e}"),
            )]
        })?;
    Ok(update)
}
