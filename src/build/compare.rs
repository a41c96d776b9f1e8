//! `clause diff`: two versions of a document in one language compared the
//! way the redline page compares them, as marked text or the redline's HTML.

use std::path::{Path, PathBuf};

use crate::base::diagnostics::{self, Diagnostic};
use crate::base::files::FileCache;
use crate::base::layout::CONTENT_DIR;
use crate::load::content::{self, Source};
use crate::load::theme;
use crate::model::diff;
use crate::model::markdown::{self, RenderOptions};
use crate::render::{redline_labels, render_options};

use super::{load_config, words};

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
pub fn run(request: &DiffRequest, format: DiffFormat) -> Result<DiffOutput, DiffError> {
    let files = FileCache::default();
    let (config, _) = load_config(&request.root, &files).map_err(DiffError::Invalid)?;
    let (theme, _) = theme::load(&request.root, &config, &files);
    let (catalog, _) = words(&config, &theme);
    let loaded = content::load(
        &request.root,
        &config,
        &catalog,
        &files,
        Default::default(),
        None,
    );
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
    let prefix = Path::new(CONTENT_DIR).join(&request.document);
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
    let options = RenderOptions {
        anchor_label: "",
        ..render_options(&config, &catalog, &language, "", None)
    };
    let text = |source: &Source| {
        content::read_text(&files, &request.root, &source.path, source.stamp)
            .map(|text| {
                let vars = config.variables(&source.front.language);
                crate::load::variables::expand(&text[source.body_start..], vars)
                    .text
                    .into_owned()
            })
            .map_err(|problem| DiffError::Invalid(vec![problem]))
    };
    let old = markdown::blocks(&text(from)?, &options);
    let new = markdown::blocks(&text(to)?, &options);
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
