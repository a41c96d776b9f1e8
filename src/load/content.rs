//! Content loading: finds every `content/**/*.md` file, works out which
//! document it belongs to from its folder, and parses its front matter.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, Position};
use crate::base::files::{FileCache, Stamp, fingerprint};
use crate::base::layout::{CONTENT_DIR, RESERVED_SEGMENTS, is_safe_segment};
use crate::i18n::Catalog;
use crate::load::config::Config;
use crate::load::frontmatter::{self, FrontMatter};
use crate::load::variables::FindingKind;

/// One content file: one version of one document in one language.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root, such as `content/privacy/2026-05-12.en.md`.
    pub path: PathBuf,
    /// The document key: the folder relative to `content/` (`privacy`, `legal/dpa`).
    pub document: String,
    /// Shared: a rebuild in `clause watch` hands every unchanged source on.
    pub front: Arc<FrontMatter>,
    /// Byte offset where the Markdown body starts. The text itself is not
    /// kept: whoever needs it reads the file again (`read_text`).
    pub body_start: usize,
    /// A hash of the file's bytes: whatever is made from the file alone can
    /// be cached under it (0 in a one-shot build, which caches nothing).
    pub hash: u64,
    /// The file's stamp when it was read, to tell if it changed since.
    pub stamp: Stamp,
    /// The SHA-256 of the normalized source, variables expanded (see
    /// `lock::normalized`).
    pub source_sha256: String,
    /// Template code of another generator in the body, as errors; whether
    /// each is one depends on the version's status (see `variables`).
    pub template_code: Vec<Diagnostic>,
    /// Whether the body uses variables (so a config change can change it).
    pub uses_variables: bool,
}

/// The text of a content file as it was when the site was loaded: read
/// through `files` and refused if the file changed since (`stamp`).
pub fn read_text(
    files: &FileCache,
    root: &Path,
    rel: &Path,
    stamp: Stamp,
) -> Result<String, Diagnostic> {
    let changed = || {
        Diagnostic::error(
            rel,
            Position::START,
            "the file changed while the site was being built",
        )
        .with_code(crate::base::codes::FILE_CHANGED)
        .with_hint("build again")
    };
    let (bytes, now) = files.read_stamped(&root.join(rel)).map_err(|e| {
        Diagnostic::error(rel, Position::START, format!("cannot read: {e}"))
            .with_code(crate::base::codes::FILE_UNREADABLE)
    })?;
    if now != stamp {
        return Err(changed());
    }
    // The bytes are taken as they are unless a cache keeps them too.
    let bytes = Arc::try_unwrap(bytes).unwrap_or_else(|kept| kept.as_ref().clone());
    String::from_utf8(bytes).map_err(|_| changed())
}

/// Parsed content files from an earlier build, by path.
pub type SourceCache = rustc_hash::FxHashMap<PathBuf, CachedSource>;

/// One file's bytes as read, their hash, and what parsing them gave.
#[derive(Debug, Clone)]
pub struct CachedSource {
    bytes: Arc<Vec<u8>>,
    hash: u64,
    result: Result<Source, Vec<Diagnostic>>,
}

impl CachedSource {
    /// The same parse, for the same bytes read again at `stamp`.
    fn restamped(&self, bytes: Arc<Vec<u8>>, stamp: Stamp) -> Self {
        let mut result = self.result.clone();
        if let Ok(source) = &mut result {
            source.stamp = stamp;
        }
        Self {
            bytes,
            hash: self.hash,
            result,
        }
    }
}

/// What loading the content gave.
pub struct Loaded {
    pub sources: Vec<Source>,
    pub problems: Vec<Diagnostic>,
    /// The parse results to reuse next time.
    pub cache: SourceCache,
    /// The content files found, in order, relative to the root.
    pub paths: Vec<PathBuf>,
    /// The other files under `content/` (attachments), relative to
    /// `content/` and `/`-separated, in order.
    pub attachments: Vec<String>,
}

/// What a watcher knows between two loads: the content files the last
/// load found, and every path that changed since (relative to the root).
/// With it, a load after an edit reads the edited files only: it neither
/// walks `content/` nor looks at every file's stamp.
pub struct Known<'a> {
    pub paths: Vec<PathBuf>,
    pub attachments: Vec<String>,
    pub changed: &'a [PathBuf],
}

/// Loads every content file under `root/content`, reading through `files`
/// and reusing `previous` parses of unchanged bytes. Files with problems
/// are left out and their problems returned. The parses are kept for next
/// time only if `files` retains what it reads (no one-shot build holds
/// every file's bytes).
pub fn load(
    root: &Path,
    config: &Config,
    catalog: &Catalog,
    files: &FileCache,
    previous: SourceCache,
    known: Option<Known<'_>>,
) -> Loaded {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Loaded {
            sources: Vec::new(),
            problems: vec![
                Diagnostic::error(CONTENT_DIR, Position::START, "there is no content/ folder").with_code(crate::base::codes::CONTENT_MISSING)
                    .with_hint("put each document in its own folder: content/<document>/<version>.<lang>.md"),
            ],
            cache: SourceCache::default(),
            paths: Vec::new(),
            attachments: Vec::new(),
        };
    }
    // Only edits of files the last load parsed: the same files, the edited
    // ones read again, the others taken as they were.
    let edits_only = known.as_ref().is_some_and(|known| {
        known.changed.iter().all(|rel| {
            !rel.starts_with(CONTENT_DIR) || root.join(rel).is_file() && previous.contains_key(rel)
        })
    });
    let (paths, attachments, mut problems, unchanged) = match known {
        Some(known) if edits_only => {
            let changed: rustc_hash::FxHashSet<&Path> =
                known.changed.iter().map(PathBuf::as_path).collect();
            (known.paths, known.attachments, Vec::new(), Some(changed))
        }
        _ => {
            let (paths, attachments, problems) = walk(root, &content, config);
            (paths, attachments, problems, None)
        }
    };

    let read_all = |paths: &[&PathBuf], previous: &SourceCache| -> Vec<_> {
        paths
            .par_iter()
            .map(|&rel| read_source(root, rel, config, catalog, files, previous))
            .collect()
    };
    // After edits only, the last parses are kept in place and the edited
    // files' replaced; otherwise every file is looked at (and read if its
    // stamp changed).
    let (cache, read): (SourceCache, Vec<_>) = match &unchanged {
        Some(changed) => {
            let mut cache = previous;
            let edited: Vec<&PathBuf> = paths
                .iter()
                .filter(|rel| changed.contains(rel.as_path()) || !cache.contains_key(*rel))
                .collect();
            let read = read_all(&edited, &cache);
            for (rel, cached, _) in &read {
                match cached {
                    Some(cached) => cache.insert(rel.clone(), cached.clone()),
                    None => cache.remove(rel),
                };
            }
            (cache, read)
        }
        None => {
            let all: Vec<&PathBuf> = paths.iter().collect();
            let read = read_all(&all, &previous);
            drop(previous);
            let mut sources = Vec::with_capacity(read.len());
            let mut cache = SourceCache::default();
            for (rel, cached, read_problems) in read {
                problems.extend(read_problems);
                let Some(cached) = cached else { continue };
                match &cached.result {
                    Ok(source) => sources.push(source.clone()),
                    Err(file_problems) => problems.extend(file_problems.iter().cloned()),
                }
                // Only a cache that keeps files keeps their parses.
                if files.retains() {
                    cache.insert(rel, cached);
                }
            }
            return Loaded {
                sources,
                problems,
                cache,
                paths,
                attachments,
            };
        }
    };
    for (_, _, read_problems) in read {
        problems.extend(read_problems);
    }
    let mut sources = Vec::with_capacity(paths.len());
    for rel in &paths {
        match cache.get(rel).map(|c| &c.result) {
            Some(Ok(source)) => sources.push(source.clone()),
            Some(Err(file_problems)) => problems.extend(file_problems.iter().cloned()),
            None => {}
        }
    }
    Loaded {
        sources,
        problems,
        cache,
        paths,
        attachments,
    }
}

/// Every Markdown file under `content` (relative to the root) and every
/// other file (an attachment, relative to `content`), in order, and
/// problems walking (a link out of the site, a name that is not portable).
fn walk(
    root: &Path,
    content: &Path,
    config: &Config,
) -> (Vec<PathBuf>, Vec<String>, Vec<Diagnostic>) {
    let bounds = crate::base::walk::Bounds::new(root, &config.allow_symlinks_to);
    let (found, problems) = crate::base::walk::walk(content, root, &bounds);
    let mut paths = Vec::new();
    let mut attachments = Vec::new();
    for file in found {
        if is_markdown(&file.path) {
            paths.push(crate::base::diagnostics::relative_to(&file.path, root));
        } else {
            attachments.push(file.rel);
        }
    }
    (paths, attachments, problems)
}

/// One content file read (through `files`) and parsed, reusing `previous`
/// parses of the same bytes.
fn read_source(
    root: &Path,
    rel: &Path,
    config: &Config,
    catalog: &Catalog,
    files: &FileCache,
    previous: &SourceCache,
) -> (PathBuf, Option<CachedSource>, Vec<Diagnostic>) {
    let (bytes, stamp) = match files.read_stamped(&root.join(rel)) {
        Ok(read) => read,
        Err(e) => {
            let problem = Diagnostic::error(rel, Position::START, format!("cannot read: {e}"))
                .with_code(crate::base::codes::FILE_UNREADABLE);
            return (rel.to_path_buf(), None, vec![problem]);
        }
    };
    // The very bytes parsed last time need not even be hashed.
    let cached = match previous.get(rel) {
        Some(c) if Arc::ptr_eq(&c.bytes, &bytes) => c.restamped(bytes, stamp),
        found => {
            // The hash keys what a watcher keeps; a one-shot build keeps
            // nothing, so it does not hash 184 MB for nothing.
            let hash = if files.retains() {
                fingerprint(bytes.as_slice())
            } else {
                0
            };
            match found {
                Some(c) if c.hash == hash => c.restamped(bytes, stamp),
                _ => CachedSource {
                    result: parse_file(rel, &bytes, hash, stamp, config, catalog),
                    // Only a cache that keeps files keeps their parses.
                    bytes: if files.retains() {
                        bytes
                    } else {
                        Arc::default()
                    },
                    hash,
                },
            }
        }
    };
    (rel.to_path_buf(), Some(cached), Vec::new())
}

/// Parses one content file (`rel` is its path from the site root).
fn parse_file(
    rel: &Path,
    bytes: &[u8],
    hash: u64,
    stamp: Stamp,
    config: &Config,
    catalog: &Catalog,
) -> Result<Source, Vec<Diagnostic>> {
    let rel = rel.to_path_buf();
    let document = document_key(&rel, config).map_err(|d| vec![d])?;
    let text = std::str::from_utf8(bytes).map_err(|e| {
        vec![
            Diagnostic::error(
                &rel,
                Position::START,
                format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            )
            .with_code(crate::base::codes::FILE_ENCODING)
            .with_hint("save the file as UTF-8"),
        ]
    })?;
    let parsed = frontmatter::parse(text).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| {
                Diagnostic::error(&rel, p.position, p.message)
                    .with_code(p.code)
                    .with_optional_hint(p.hint)
            })
            .collect::<Vec<_>>()
    })?;
    let language = &parsed.front.language;
    if !config.is_declared(language) {
        let declared: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(vec![
            Diagnostic::error(
                &rel,
                parsed.front.position_of("language"),
                format!("language `{language}` is not declared in config.toml"),
            )
            .with_code(crate::base::codes::CONTENT_LANGUAGE)
            .with_hint(match catalog.code_for_name(language) {
                Some(code) => format!(
                    "`{language}` is the language declared as `{code}`: write `language: {code}`"
                ),
                None => format!(
                    "use one of {} or add a [languages.{language}] table to config.toml",
                    crate::base::diagnostics::quoted_list(&declared)
                ),
            }),
        ]);
    }
    let front = &parsed.front;
    // The lock covers the text readers see: the body with its variables.
    let body = &text[parsed.body_start..];
    if let Some((offset, c)) = first_control(body) {
        let lines = crate::base::diagnostics::LineIndex::new(text);
        return Err(vec![
            Diagnostic::error(
                &rel,
                lines.position(text, parsed.body_start + offset),
                format!(
                    "the text holds the control character {}, which a page cannot show (and a terminal would obey)",
                    c.escape_unicode()
                ),
            ).with_code(crate::base::codes::CONTENT_CONTROL)
            .with_hint("remove it: it is invisible in most editors; search for it by its code"),
        ]);
    }
    let expanded = crate::load::variables::expand(body, config.variables(language));
    // Lines are counted only for a file with something to report.
    let lines = std::cell::OnceCell::new();
    let at = |offset: usize| {
        lines
            .get_or_init(|| crate::base::diagnostics::LineIndex::new(text))
            .position(text, parsed.body_start + offset)
    };
    let mut unknown = Vec::new();
    let mut template_code = Vec::new();
    for finding in expanded.findings.iter() {
        let code = match finding.kind {
            FindingKind::UnknownVariable => crate::base::codes::CONTENT_VARIABLE,
            FindingKind::TemplateCode => crate::base::codes::CONTENT_TEMPLATE_CODE,
        };
        let problem = Diagnostic::error(&rel, at(finding.offset), finding.message.clone())
            .with_code(code)
            .with_hint(finding.hint.clone());
        match finding.kind {
            FindingKind::UnknownVariable => unknown.push(problem),
            FindingKind::TemplateCode => template_code.push(problem),
        }
    }
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let source_sha256 = crate::base::hash::normalized_sha256(
        &front.title,
        front.effective_date,
        &front.version,
        &expanded.text,
    );
    Ok(Source {
        path: rel,
        document,
        front: Arc::new(parsed.front),
        template_code,
        uses_variables: expanded.expanded_any(),
        source_sha256,
        hash,
        stamp,
        body_start: parsed.body_start,
    })
}

/// The document key of a content file (its folder under `content/`), checked
/// so that it can only ever name a folder inside the output.
fn document_key(rel: &Path, config: &Config) -> Result<String, Diagnostic> {
    let folder = rel
        .parent()
        .and_then(|p| p.strip_prefix(CONTENT_DIR).ok())
        .unwrap_or(Path::new(""));
    let segments: Vec<String> = folder
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if segments.is_empty() {
        let name = rel
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        return Err(Diagnostic::error(
            rel,
            Position::START,
            "a document file must be inside a folder named for the document",
        )
        .with_code(crate::base::codes::CONTENT_FOLDER)
        .with_hint(format!(
            "move it to content/<document>/{name}, for example content/privacy/{name}"
        )));
    }
    for segment in &segments {
        let problem = if !is_safe_segment(segment) {
            Some(format!("folder name `{segment}` cannot be used in a URL"))
        } else if RESERVED_SEGMENTS.contains(&segment.to_ascii_lowercase().as_str()) {
            Some(format!(
                "folder name `{segment}` is reserved: the build writes pages there"
            ))
        } else if config
            .languages
            .iter()
            .any(|l| l.code.eq_ignore_ascii_case(segment))
        {
            Some(format!(
                "folder name `{segment}` is a language code: the build writes that language's pages there"
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(Diagnostic::error(rel, Position::START, message).with_code(crate::base::codes::CONTENT_FOLDER).with_hint(
                "rename the folder with letters, digits, `-` and `_`, starting with a letter or digit; not `versions`, `static` or a language code",
            ));
        }
    }
    Ok(segments.join("/"))
}

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

/// The first control character of `text` that a page cannot show (any but
/// tab, line feed, carriage return and form feed), and its offset. Read byte
/// by byte, as every source is: the C0 controls and DEL are single bytes,
/// and the C1 controls (U+0080 to U+009F) are 0xC2 and a byte up to 0x9F.
fn first_control(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let suspect =
        |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C) || b == 0x7F || b == 0xC2;
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&b| suspect(b)) {
        let at = from + i;
        if bytes[at] != 0xC2 || matches!(bytes.get(at + 1), Some(0x80..=0x9F)) {
            return text[at..].chars().next().map(|c| (at, c));
        }
        from = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte-wise search finds what a search by characters finds.
        #[test]
        fn first_control_is_by_characters(
            text in "(\\PC|[\\x00-\\x1F\\x7F-\\u{A0}]|é|«){0,40}",
        ) {
            let by_chars = text
                .char_indices()
                .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'));
            proptest::prop_assert_eq!(first_control(&text), by_chars);
        }
    }

    #[test]
    fn first_control_examples() {
        assert_eq!(first_control("plain « text » é\t\r\n\x0c"), None);
        assert_eq!(first_control("a\u{85}b"), Some((1, '\u{85}')));
        assert_eq!(first_control("«\u{1b}[31m"), Some((2, '\u{1b}')));
        assert_eq!(first_control("x\u{7f}"), Some((1, '\u{7f}')));
    }

    #[test]
    fn safe_segments() {
        for ok in ["privacy", "legal", "dpa-2", "A_b"] {
            assert!(is_safe_segment(ok), "{ok}");
        }
        for bad in [
            "", "..", ".hidden", "-x", "a b", "a.b", "中文", "x/y", "CON", "nul", "com1",
        ] {
            assert!(!is_safe_segment(bad), "{bad}");
        }
    }
}
