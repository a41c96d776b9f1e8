//! The pipeline: config -> theme and words -> content and lock -> model ->
//! render -> links -> output. Each step is a plain function over plain data;
//! `run` calls them in order and gathers every problem they report.
//! Rendering streams every page into the output sink, which puts the files
//! in place only if the whole build succeeds. Beside it: the cache `watch`
//! keeps between builds, the site-wide checks (`checks`), link checking
//! (`links`), and the two commands that reuse the loading steps: `compare`
//! (`clause diff`) and `lock`.
//!
//! May import every stage below: `base`, `i18n`, `load`, `model`, `render`,
//! `output`.

pub mod archive;
pub(crate) mod checks;
pub mod compare;
#[doc(hidden)]
pub mod fuzz;
pub mod import_git;
pub mod init;
pub(crate) mod links;
pub mod lock;
pub mod new;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::base::diagnostics::{self, Diagnostic, Position};
use crate::base::files::{FileCache, fingerprint};
use crate::base::layout::{CONFIG_FILE, CONTENT_DIR, DEFAULT_OUTPUT};
use crate::i18n::Catalog;
use crate::load::config::{self, Config};
use crate::load::content::{self, Source, SourceCache};
use crate::load::theme;
use crate::model;
use crate::output::{self, DiskState, OutputError, Sink, WriteReport};
use crate::render::publish;
use crate::render::templates::Templates;
use crate::render::{self, Facts, Renderer, Unit};

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
    /// Fail on warnings as on errors (for CI that wants a clean site).
    pub deny_warnings: bool,
    /// Fail when a published version is not in clause.lock (like `cargo
    /// --locked`): CI proves the lock is up to date.
    pub locked: bool,
    /// Write an offline copy: links between pages relative, ending in
    /// `index.html`, for the file system or a zip (`render::offline`).
    pub offline: bool,
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

/// A site that passed every check (rendered, nothing written).
#[derive(Debug)]
pub struct Checked {
    pub stats: Stats,
    /// The next day a rebuild would change which version is current.
    pub next_change_at: Option<NaiveDate>,
    /// Pages rendered by this run (the rest were unchanged since the last).
    pub pages_rendered: usize,
    pub warnings: Vec<Diagnostic>,
    pub output: PathBuf,
}

/// What `build` did.
#[derive(Debug)]
pub struct Built {
    pub stats: Stats,
    /// The next day a rebuild would change which version is current.
    pub next_change_at: Option<NaiveDate>,
    /// Pages rendered by this run (the rest were unchanged since the last).
    pub pages_rendered: usize,
    pub warnings: Vec<Diagnostic>,
    pub output: PathBuf,
    pub report: WriteReport,
}

/// Why a build stopped. In every case the output folder is left as it was,
/// except for an I/O error while putting the files in place.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} problem(s) in the site", .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// What one build keeps for the next, so that `clause watch` redoes only
/// the work an edit calls for: file contents by file stamp, parsed sources
/// by the hash of their bytes, compiled templates by the hash of the theme,
/// each document's rendering by the hash of what its pages depend on (and
/// within it, bodies and redlines by the hash of their files, pages by the
/// hash of everything their template sees), and what is on disk. A full
/// build is the same pipeline with an empty cache, so both give the same
/// bytes. `Cache::default()` is empty and keeps what it learns;
/// `Cache::one_shot()` keeps nothing, so a single build holds no more than
/// it must.
#[derive(Default)]
pub struct Cache {
    pub files: FileCache,
    /// The config text the derived entries below were made with.
    config_text: Option<String>,
    sources: SourceCache,
    /// Compiled templates, with the hash of the theme's template sources.
    templates: Option<(u64, Arc<Templates>)>,
    /// Each document's last rendering, by document key.
    units: HashMap<String, Arc<Unit>>,
    /// The home pages: output path -> hash of their inputs.
    homes: HashMap<String, u64>,
    /// What the last build left in the output folder.
    disk: DiskState,
    /// From the last config read: the output folder and the theme.
    site_folders: Option<(PathBuf, String)>,
    /// The output paths' hash in the last build, and the clashes among them.
    conflicts: Option<(u64, Vec<(String, String)>)>,
    /// What links can reach, with the hash of the site's pages it was made for.
    targets: Option<(u64, Arc<links::Targets>)>,
    /// Each document's broken links, with the key they were found under:
    /// its rendering's, and that of what links can reach.
    links: HashMap<String, CheckedLinks>,
    /// The content files the last build found, and (from a watcher) the
    /// paths changed since; none when unknown.
    content_paths: Vec<PathBuf>,
    /// The attachments under `content/` it found.
    attachments: Vec<String>,
    changed: Option<Vec<PathBuf>>,
}

impl Cache {
    /// A cache for one build: nothing is kept for later.
    pub fn one_shot() -> Self {
        Self {
            files: FileCache::one_shot(),
            ..Self::default()
        }
    }

    /// The configured output folder, as of the last build.
    pub fn output_dir(&self) -> Option<&Path> {
        self.site_folders.as_ref().map(|(dir, _)| dir.as_path())
    }

    /// The configured theme, as of the last build.
    pub fn theme(&self) -> Option<&str> {
        self.site_folders.as_ref().map(|(_, theme)| theme.as_str())
    }

    /// Tells the next build which paths (relative to the site root) changed
    /// since the last, as a file watcher saw them: it then reads only those
    /// of the content files, instead of looking at every one. Without this,
    /// every file's stamp is checked.
    pub fn changed_since_last_build(&mut self, paths: &[PathBuf]) {
        let changed = self.changed.get_or_insert_with(Vec::new);
        changed.extend_from_slice(paths);
    }

    /// Whether this cache keeps what a build learns.
    fn remembers(&self) -> bool {
        self.files.retains()
    }

    /// Drops everything derived from the configuration (on a config change).
    fn reset_derived(&mut self, config_text: &str) {
        if self.config_text.as_deref() != Some(config_text) {
            self.sources.clear();
            self.units.clear();
            self.homes.clear();
            self.config_text = Some(config_text.to_string());
        }
    }
}

/// A document's broken links, and the key they were found under: that of
/// the document's rendering and that of what links can reach.
type CheckedLinks = ((u64, u64), Arc<Vec<Diagnostic>>);

/// Validates and renders the whole site; writes nothing.
pub fn check(options: &Options) -> Result<Checked, Vec<Diagnostic>> {
    check_with(options, &mut Cache::one_shot())
}

/// Checks and renders the site, then writes it: only files whose bytes
/// changed, and nothing at all if anything is wrong.
pub fn build(options: &Options) -> Result<Built, Error> {
    build_with(options, &mut Cache::one_shot())
}

/// `check`, reusing and refreshing `cache`: only files that changed are
/// read and parsed again, and only pages whose inputs changed are rendered.
/// The result is the same as with an empty cache.
pub fn check_with(options: &Options, cache: &mut Cache) -> Result<Checked, Vec<Diagnostic>> {
    match run(options, cache, false) {
        Ok(ran) => Ok(Checked {
            stats: ran.stats,
            next_change_at: ran.next_change_at,
            pages_rendered: ran.pages_rendered,
            warnings: ran.warnings,
            output: ran.output,
        }),
        Err(Error::Invalid(problems)) => Err(problems),
        // A check writes nothing, so this cannot happen; say what it was anyway.
        Err(Error::Output(e)) => Err(vec![
            Diagnostic::error("<output>", Position::START, e.to_string())
                .with_code(crate::base::codes::OUTPUT_IO),
        ]),
    }
}

/// `build`, with `cache` as in `check_with`; the cache also remembers what
/// was written, so unchanged files are not even read back.
pub fn build_with(options: &Options, cache: &mut Cache) -> Result<Built, Error> {
    let ran = run(options, cache, true)?;
    Ok(Built {
        stats: ran.stats,
        next_change_at: ran.next_change_at,
        pages_rendered: ran.pages_rendered,
        warnings: ran.warnings,
        output: ran.output,
        report: ran.report,
    })
}

/// What a run of the pipeline did.
struct Ran {
    stats: Stats,
    next_change_at: Option<NaiveDate>,
    pages_rendered: usize,
    warnings: Vec<Diagnostic>,
    output: PathBuf,
    report: WriteReport,
}

/// The pipeline, writing into the output folder when `write`.
fn run(options: &Options, cache: &mut Cache, write: bool) -> Result<Ran, Error> {
    let root = &options.root;
    if write {
        output::restore_marker(&cache.disk);
    }
    let (config, config_text) = load_config(root, &cache.files).map_err(|mut problems| {
        diagnostics::sort_and_dedup(&mut problems);
        Error::Invalid(problems)
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
                    .with_code(crate::base::codes::OUTPUT_REFUSED)
                    .with_hint("set `output_dir` to a folder of its own, such as `dist`"),
            );
        }
    }
    let sink = if write {
        match output::check_output_dir(root, &output) {
            Ok(resolved) if options.offline => {
                Sink::stage(resolved, cache.remembers()).offline(&config.base_path)
            }
            Ok(resolved) => Sink::stage(resolved, cache.remembers()),
            Err(refused) => {
                // Problems in the site come first; the output is refused only
                // when there are none.
                return match run(options, cache, false) {
                    Err(invalid) => Err(invalid),
                    Ok(_) => Err(Error::Output(refused)),
                };
            }
        }
    } else {
        Sink::check()
    };
    sink.reserve(&cache.disk);

    // Load: the theme, the content, the lock.
    let (theme, mut theme_problems) = theme::load(root, &config, &cache.files);
    problems.append(&mut theme_problems);
    let (catalog, mut word_problems) = words(&config, &theme);
    problems.append(&mut word_problems);
    let changed = cache.changed.take();
    let known = changed.as_ref().map(|changed| content::Known {
        paths: std::mem::take(&mut cache.content_paths),
        attachments: std::mem::take(&mut cache.attachments),
        changed,
    });
    let previous = std::mem::take(&mut cache.sources);
    let loaded = content::load(root, &config, &catalog, &cache.files, previous, known);
    cache.sources = loaded.cache;
    if cache.remembers() {
        cache.content_paths = loaded.paths;
        cache.attachments = loaded.attachments.clone();
    }
    // Documents with a file that could not be loaded: their locked
    // versions only look missing (the cause is reported instead).
    let unloaded: BTreeSet<String> = loaded
        .problems
        .iter()
        .filter(|d| d.is_error() && d.path.extension().is_some_and(|e| e == "md"))
        .filter_map(|d| {
            let folder = d.path.parent()?.strip_prefix(CONTENT_DIR).ok()?;
            Some(folder.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    problems.extend(loaded.problems);
    problems.extend(checks::lock(
        root,
        &cache.files,
        &loaded.sources,
        &unloaded,
        options.locked,
    ));
    let sources: Vec<Source> = loaded
        .sources
        .into_iter()
        .filter(|s| options.drafts || !s.front.draft)
        .collect();

    // Model.
    let (site, mut model_problems) =
        model::build(config, catalog, options.as_of, sources, loaded.attachments);
    problems.append(&mut model_problems);
    problems.extend(checks::governing(&site));
    problems.extend(checks::stale(&site));
    problems.extend(checks::template_code(&site));
    problems.extend(checks::placeholders(&site));
    problems.extend(checks::translation_dates(&site));
    problems.extend(checks::symlink_allowances(root, &site));

    // Render, each document whole, then the home pages. Templates are
    // checked even when content has problems, so one run reports both.
    let templates = match compiled_templates(&theme, cache) {
        Ok(compiled) => Some(compiled),
        Err(mut template_problems) => {
            problems.append(&mut template_problems);
            None
        }
    };
    let templates_hash = templates.as_ref().map_or(0, |(_, hash)| *hash);
    let common = render::Common::new(&site, &theme.assets);
    let site_key = fingerprint(&(
        &config_text,
        templates_hash,
        options.as_of,
        options.drafts,
        &site.language_in_use,
    ));
    let renderer = Renderer {
        site: &site,
        templates: templates.as_ref().map(|(t, _)| t.as_ref()),
        templates_hash,
        site_key,
        root,
        files: &cache.files,
        sink: &output::Target {
            sink: &sink,
            disk: &cache.disk,
        },
        common: &common,
        remember: cache.remembers(),
    };
    let rendered: Vec<(Arc<Unit>, usize)> = site
        .documents
        .par_iter()
        .enumerate()
        .map(|(index, doc)| renderer.document(index, cache.units.get(&doc.key)))
        .collect::<Result<_, _>>()?;
    let homes = renderer.homes(&cache.homes)?;
    problems.extend(homes.problems);
    problems.extend(renderer.redirects()?);
    let mut pages_rendered = homes.rendered;
    let mut units = Vec::with_capacity(rendered.len());
    for (unit, count) in rendered {
        pages_rendered += count;
        problems.extend(unit.problems.iter().cloned());
        units.push(unit);
    }

    // What the rest needs from each document; links; files for machines;
    // the theme's static files.
    let pages = site.pages();
    {
        // (These borrow the documents' renderings, which the cache keeps below.)
        let facts: Vec<&Facts> = units.iter().map(|u| &u.facts).collect();
        let pieces: Vec<&publish::Pieces> = units.iter().map(|u| &u.pieces).collect();
        let published = publish::files(&site, &pieces);
        // Made only when some document's links are checked, and kept while
        // the site's pages are the same.
        let layout = fingerprint(&(
            site_key,
            units.iter().map(|u| u.facts.layout).collect::<Vec<_>>(),
            theme.static_files.keys().collect::<Vec<_>>(),
            published.iter().map(|p| &p.path).collect::<Vec<_>>(),
            &site.attachments,
        ));
        let kept_targets = match &cache.targets {
            Some((key, targets)) if *key == layout => Some(Arc::clone(targets)),
            _ => None,
        };
        let made_targets = std::cell::OnceCell::new();
        let targets = || -> Arc<links::Targets> {
            if let Some(kept) = &kept_targets {
                return Arc::clone(kept);
            }
            Arc::clone(made_targets.get_or_init(|| {
                Arc::new(links::Targets::new(
                    &site,
                    &pages,
                    theme
                        .static_files
                        .keys()
                        .chain(published.iter().map(|p| &p.path))
                        .chain(&site.attachments)
                        .map(String::as_str),
                ))
            }))
        };
        // A document's links are checked again when it changed or when
        // what links can reach did (a page, an anchor, a file).
        let targets_key = fingerprint(&(
            site_key,
            units.iter().map(|u| u.facts.targets).collect::<Vec<_>>(),
            theme.static_files.keys().collect::<Vec<_>>(),
            published.iter().map(|p| &p.path).collect::<Vec<_>>(),
            &site.attachments,
        ));
        let mut checked = HashMap::with_capacity(units.len());
        for (index, (doc, unit)) in site.documents.iter().zip(&units).enumerate() {
            let key = (unit.key, targets_key);
            let found = match cache.links.get(&doc.key) {
                Some((last, found)) if *last == key && cache.remembers() => Arc::clone(found),
                _ => Arc::new(links::check_document(&site, index, &facts, &targets())),
            };
            problems.extend(found.iter().cloned());
            checked.insert(doc.key.clone(), (key, found));
        }
        if cache.remembers() {
            cache.links = checked;
            if let Some(made) = made_targets.into_inner() {
                cache.targets = Some((layout, made));
            }
        }
        for (path, bytes) in &theme.static_files {
            sink.put(path, bytes, &cache.disk)?;
        }
        // Attachments, at their path under the site.
        for path in &site.attachments {
            let file = root.join(CONTENT_DIR).join(path);
            match cache.files.read_stamped(&file) {
                Ok((bytes, _)) => sink.put(path, &bytes, &cache.disk)?,
                Err(e) => problems.push(
                    Diagnostic::error(
                        diagnostics::relative_to(&file, root),
                        Position::START,
                        format!("cannot read: {e}"),
                    )
                    .with_code(crate::base::codes::FILE_UNREADABLE),
                ),
            }
        }
        for file in &published {
            sink.put_keyed(&file.path, file.key, || (file.bytes)(), &cache.disk)?;
        }
    }
    // Which paths clash depends on the paths alone: worked out again only
    // when they change.
    let (files, paths_key) = sink.paths_key();
    let conflicts = match &cache.conflicts {
        Some((key, found)) if *key == paths_key => found.clone(),
        _ => sink.conflicts(),
    };
    if cache.remembers() {
        cache.conflicts = Some((paths_key, conflicts.clone()));
    }
    for (a, b) in conflicts {
        problems.push(
            Diagnostic::error(format!("<output>/{b}"), Position::START, format!("the output cannot hold both `{a}` and `{b}`")).with_code(crate::base::codes::OUTPUT_CONFLICT)
                .with_hint("one is a file where the other needs a folder, or they differ only in case: rename a static file, a document folder, a version or a language"),
        );
    }
    for path in sink.duplicates() {
        problems.push(
            Diagnostic::error(
                format!("<output>/{path}"),
                Position::START,
                "two files of the site would be written to this path",
            )
            .with_code(crate::base::codes::OUTPUT_DUPLICATE),
        );
    }
    cache.files.sweep();
    diagnostics::sort_and_dedup(&mut problems);
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        problems.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() || options.deny_warnings && !warnings.is_empty() {
        sink.abort();
        let mut all = errors;
        all.extend(warnings);
        return Err(Error::Invalid(all));
    }
    let report = sink.commit(&mut cache.disk)?;
    let stats = Stats {
        documents: site.documents.len(),
        languages: site.languages_used(),
        versions: site.version_count(),
        pages: pages.len(),
        files,
    };
    let next_change_at = publish::next_change_at(&site);
    if cache.remembers() {
        cache.units = site
            .documents
            .iter()
            .zip(units)
            .map(|(doc, unit)| (doc.key.clone(), unit))
            .collect();
        cache.homes = homes.keys;
    }
    Ok(Ran {
        stats,
        next_change_at,
        pages_rendered,
        warnings,
        output,
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
        (None, None) => root.join(DEFAULT_OUTPUT),
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
    Ok((templates, hash))
}

pub(crate) fn load_config(
    root: &Path,
    files: &FileCache,
) -> Result<(Config, String), Vec<Diagnostic>> {
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
            .with_code(crate::base::codes::FILE_UNREADABLE)
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
            .with_code(crate::base::codes::FILE_ENCODING)
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

/// The theme's words for every language of the site, with the problems in
/// the words files and in config.toml's `strings`.
pub(crate) fn words(config: &Config, theme: &theme::Theme) -> (Catalog, Vec<Diagnostic>) {
    let specs: Vec<_> = config.languages.iter().map(|l| l.spec()).collect();
    Catalog::new(&specs, &theme.words)
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
