//! `clause new`: the next version of a document in each of its languages,
//! each a copy of the latest (or a named) version's text with new front
//! matter and a `changes` placeholder that `check` warns about until it is
//! filled in; or a new document from a short template. Never overwrites.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::base::diagnostics::Diagnostic;
use crate::base::files::FileCache;
use crate::base::layout::CONTENT_DIR;
use crate::load::content::{self, Source};
use crate::load::frontmatter::{is_valid_version, new_version_header};
use crate::load::theme;

use super::checks::CHANGES_PLACEHOLDER;
use super::{load_config, words};

/// What to make.
#[derive(Debug, Clone)]
pub struct Request {
    pub root: PathBuf,
    /// The document's key (`privacy`, `legal/dpa`).
    pub document: String,
    pub effective_date: NaiveDate,
    /// The new version's name (default: the effective date).
    pub version: Option<String>,
    /// The version to copy (default: the latest of each language).
    pub from: Option<String>,
    /// Only these languages (default: all of the document's, or the
    /// default language for a new document).
    pub languages: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("{} problem(s) in the site", .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error("{0}")]
    Refused(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes the new version's files; returns their paths relative to the root.
pub fn new(request: &Request) -> Result<Vec<PathBuf>, NewError> {
    let root = &request.root;
    let files = FileCache::default();
    let (config, _) = load_config(root, &files).map_err(NewError::Invalid)?;
    let (theme, _) = theme::load(root, &config, &files);
    let (catalog, _) = words(&config, &theme);
    let loaded = content::load(root, &config, &catalog, &files, Default::default(), None);
    if !loaded.problems.iter().all(|p| !p.is_error()) {
        return Err(NewError::Invalid(loaded.problems));
    }
    let version = request
        .version
        .clone()
        .unwrap_or_else(|| request.effective_date.to_string());
    if !is_valid_version(&version) {
        return Err(NewError::Refused(format!(
            "`{version}` cannot be a version name (help: use letters, digits, `.`, `_` and `-`, such as `2027-01-15` or `3.1`)"
        )));
    }
    if !request
        .document
        .split('/')
        .all(crate::base::layout::is_safe_segment)
    {
        return Err(NewError::Refused(format!(
            "`{}` cannot be a document folder (help: use letters, digits, `-` and `_`, with `/` between folders)",
            request.document
        )));
    }
    for code in &request.languages {
        if !config.is_declared(code) {
            return Err(NewError::Refused(format!(
                "language `{code}` is not declared in config.toml"
            )));
        }
    }
    let sources: Vec<&Source> = loaded
        .sources
        .iter()
        .filter(|s| s.document == request.document)
        .collect();
    let folder = Path::new(CONTENT_DIR).join(&request.document);
    let mut planned: Vec<(PathBuf, String)> = Vec::new();
    if sources.is_empty() {
        if request.from.is_some() {
            return Err(NewError::Refused(format!(
                "there is no document `{}` to copy a version from",
                request.document
            )));
        }
        let languages = if request.languages.is_empty() {
            vec![config.default_language.clone()]
        } else {
            request.languages.clone()
        };
        for code in languages {
            let header = new_version_header(
                &title_of(&request.document),
                request.effective_date,
                &version,
                &code,
                None,
                CHANGES_PLACEHOLDER,
                false,
            );
            let body = "\n## Scope\n\nWrite the document here.\n";
            planned.push((folder.join(format!("{version}.{code}.md")), header + body));
        }
    } else {
        let mut languages: Vec<&str> = sources.iter().map(|s| s.front.language.as_str()).collect();
        languages.sort_unstable();
        languages.dedup();
        if !request.languages.is_empty() {
            languages.retain(|code| request.languages.iter().any(|l| l == code));
        }
        for code in languages {
            let mut versions: Vec<&&Source> = sources
                .iter()
                .filter(|s| s.front.language == code)
                .collect();
            versions.sort_by_key(|s| s.front.effective_date);
            let base = match &request.from {
                Some(from) => match versions.iter().find(|s| &s.front.version == from) {
                    Some(found) => found,
                    None => {
                        return Err(NewError::Refused(format!(
                            "`{}` has no version `{from}` in `{code}`",
                            request.document
                        )));
                    }
                },
                // The latest published text: drafts are not copied unless named.
                None => match versions.iter().rev().find(|s| !s.front.draft) {
                    Some(latest) => latest,
                    None => continue,
                },
            };
            if versions.iter().any(|s| s.front.version == version) {
                return Err(NewError::Refused(format!(
                    "`{}` already has a version `{version}` in `{code}` (help: give another --version)",
                    request.document
                )));
            }
            let text = content::read_text(&files, root, &base.path, base.stamp)
                .map_err(|problem| NewError::Invalid(vec![problem]))?;
            let header = new_version_header(
                &base.front.title,
                request.effective_date,
                &version,
                code,
                base.front.summary.as_deref(),
                CHANGES_PLACEHOLDER,
                false,
            );
            planned.push((
                folder.join(format!("{version}.{code}.md")),
                header + &text[base.body_start..],
            ));
        }
    }
    // Never overwrite: every file is checked before any is written.
    for (path, _) in &planned {
        if root.join(path).exists() {
            return Err(NewError::Refused(format!(
                "{} exists already; nothing was written",
                path.display()
            )));
        }
    }
    for (path, text) in &planned {
        let target = root.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&target)
            })
            .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
        written.map_err(|source| NewError::Write {
            path: target.clone(),
            source,
        })?;
    }
    Ok(planned.into_iter().map(|(path, _)| path).collect())
}

/// `legal/data-processing` -> `Data processing`.
fn title_of(document: &str) -> String {
    let last = document.rsplit('/').next().unwrap_or(document);
    let words = last.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
