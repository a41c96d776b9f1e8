//! Themes: the templates and static files a site is rendered with. The
//! default theme is built into the binary; a site's `themes/<name>/` adds or
//! overrides files of the same name, and the site's own `static/` comes last.
//! Its words files (`i18n/<code>.toml`) are layered by the i18n catalog.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::base::diagnostics::{Diagnostic, Position, relative_to};
use crate::base::files::FileCache;
use crate::base::layout::{STATIC_DIR, THEMES_DIR};
use crate::i18n::{self, WordsFile};
use crate::load::config::Config;

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Where built-in files are said to be in messages.
const BUILT_IN: &str = "<built-in>/themes/default";

/// One template: its name for Tera (`base.html`), the file it came from (for
/// messages) and its text.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub name: String,
    pub origin: PathBuf,
    pub text: String,
}

/// A theme resolved for one site.
#[derive(Debug, Clone)]
pub struct Theme {
    pub templates: Vec<TemplateSource>,
    /// Output path (`static/style.css`) -> bytes; later layers win.
    pub static_files: BTreeMap<String, Arc<Vec<u8>>>,
    /// The words files (`i18n/<code>.toml`), built-in theme first: the
    /// catalog layers them in this order.
    pub words: Vec<WordsFile>,
}

/// The theme as its layers are added.
#[derive(Default)]
struct Layers {
    templates: BTreeMap<String, TemplateSource>,
    static_files: BTreeMap<String, Arc<Vec<u8>>>,
    words: Vec<WordsFile>,
}

/// Resolves the theme named in `config` for the site at `root`. Files that
/// cannot be read are reported and left out; the rest is still returned.
pub fn load(root: &Path, config: &Config, files: &FileCache) -> (Theme, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut layers = Layers::default();

    for (path, bytes) in embedded() {
        let origin = PathBuf::from(format!("{BUILT_IN}/{path}"));
        add_file(path, Arc::clone(bytes), origin, &mut layers, &mut problems);
    }

    let theme_dir = root.join(THEMES_DIR).join(&config.theme);
    if theme_dir.is_dir() {
        for (rel, path) in files_under(&theme_dir, root, &mut problems) {
            match files.read(&path) {
                Ok(bytes) => add_file(
                    &rel,
                    bytes,
                    relative_to(&path, root),
                    &mut layers,
                    &mut problems,
                ),
                Err(e) => problems.push(read_error(&path, root, &e)),
            }
        }
    } else if config.theme != "default" {
        problems.push(
            Diagnostic::error(
                crate::base::layout::CONFIG_FILE,
                config.position_of("theme"),
                format!(
                    "theme `{}` not found: there is no folder themes/{}/",
                    config.theme, config.theme
                ),
            )
            .with_hint(
                "create themes/<name>/templates/ or remove `theme` to use the built-in theme",
            ),
        );
    }

    let site_static = root.join(STATIC_DIR);
    if site_static.is_dir() {
        for (rel, path) in files_under(&site_static, root, &mut problems) {
            match files.read(&path) {
                Ok(bytes) => {
                    layers
                        .static_files
                        .insert(format!("{STATIC_DIR}/{rel}"), bytes);
                }
                Err(e) => problems.push(read_error(&path, root, &e)),
            }
        }
    }

    let theme = Theme {
        templates: layers.templates.into_values().collect(),
        static_files: layers.static_files,
        words: layers.words,
    };
    (theme, problems)
}

/// The built-in theme's files, shared by every build of a process.
fn embedded() -> &'static [(&'static str, Arc<Vec<u8>>)] {
    type Files = Vec<(&'static str, Arc<Vec<u8>>)>;
    static FILES: std::sync::OnceLock<Files> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| (*path, Arc::new(bytes.to_vec())))
            .collect()
    })
}

/// Files of a theme are `templates/<name>` or `static/<path>`; anything else is ignored.
fn add_file(
    rel: &str,
    bytes: Arc<Vec<u8>>,
    origin: PathBuf,
    layers: &mut Layers,
    problems: &mut Vec<Diagnostic>,
) {
    let text = |what: &str, problems: &mut Vec<Diagnostic>| match String::from_utf8(bytes.to_vec())
    {
        Ok(text) => Some(text),
        Err(_) => {
            problems.push(
                Diagnostic::error(
                    &origin,
                    Position::START,
                    format!("{what} is not UTF-8 text"),
                )
                .with_hint(format!("save the {what} as UTF-8")),
            );
            None
        }
    };
    if let Some(name) = rel.strip_prefix("templates/") {
        if let Some(text) = text("template", problems) {
            let name = name.to_string();
            let source = TemplateSource {
                name: name.clone(),
                origin: origin.clone(),
                text,
            };
            layers.templates.insert(name, source);
        }
    } else if rel.starts_with("static/") {
        layers.static_files.insert(rel.to_string(), bytes);
    } else if let Some(code) = rel
        .strip_prefix("i18n/")
        .filter(|name| !name.contains('/'))
        .and_then(|name| i18n::is_words_file(Path::new(name)))
    {
        if let Some(text) = text("words file", problems) {
            layers.words.push(WordsFile {
                code,
                origin: origin.clone(),
                text,
            });
        }
    }
}

/// Regular files below `dir` (not hidden), as (path relative to `dir` with `/`, full path).
fn files_under(dir: &Path, root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(entry.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((rel, entry.into_path()));
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                problems.push(read_error(&path, root, &e));
            }
        }
    }
    files
}

fn read_error(path: &Path, root: &Path, e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        relative_to(path, root),
        Position::START,
        format!("cannot read: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_theme_is_embedded() {
        let names: Vec<&str> = DEFAULT_THEME.iter().map(|(p, _)| *p).collect();
        for needed in [
            "templates/base.html",
            "templates/home.html",
            "templates/document.html",
            "templates/versions.html",
            "static/style.css",
        ] {
            assert!(names.contains(&needed), "{needed} missing from {names:?}");
        }
    }
}
