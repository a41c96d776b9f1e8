//! Themes: the templates and static files a site is rendered with. The
//! default theme is built into the binary; a site's `themes/<name>/` adds or
//! overrides files of the same name, and the site's own `static/` comes last.
//! Its words files (`i18n/<code>.toml`) are layered by the i18n catalog.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::base::diagnostics::{Diagnostic, Position, relative_to};
use crate::base::files::FileCache;
use crate::base::layout::{STATIC_DIR, THEMES_DIR};
use crate::base::walk::Bounds;
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
    /// Each of the theme's static files (`static/style.css`) by the output
    /// path templates link to: the same name with a hash of its bytes
    /// (`static/style.3f9a0c1e2b.css`), also in `static_files`.
    pub assets: BTreeMap<String, String>,
}

/// The theme's static files, each with the path that carries its hash.
fn fingerprinted(
    files: &BTreeMap<String, Arc<Vec<u8>>>,
) -> BTreeMap<String, (String, Arc<Vec<u8>>)> {
    files
        .iter()
        .map(|(path, bytes)| {
            let hash = crate::base::hash::sha256(bytes);
            (
                path.clone(),
                (hashed_path(path, &hash[..10]), Arc::clone(bytes)),
            )
        })
        .collect()
}

/// `static/style.css` with hash `3f9a0c1e2b` is `static/style.3f9a0c1e2b.css`;
/// a name without an extension gets the hash at its end.
fn hashed_path(path: &str, hash: &str) -> String {
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let name = match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => format!("{stem}.{hash}.{extension}"),
        _ => format!("{name}.{hash}"),
    };
    if folder.is_empty() {
        name
    } else {
        format!("{folder}/{name}")
    }
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
    let bounds = Bounds::new(root, &config.allow_symlinks_to);

    for (path, bytes) in embedded() {
        let origin = PathBuf::from(format!("{BUILT_IN}/{path}"));
        add_file(path, Arc::clone(bytes), origin, &mut layers, &mut problems);
    }

    let theme_dir = root.join(THEMES_DIR).join(&config.theme);
    if theme_dir.is_dir() {
        for (rel, path) in files_under(&theme_dir, root, &bounds, &mut problems) {
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
            .with_code(crate::base::codes::THEME_MISSING)
            .with_hint(
                "create themes/<name>/templates/ or remove `theme` to use the built-in theme",
            ),
        );
    }

    // The theme's own files also go out under a name that holds a hash of
    // their bytes, for templates to link to (`site.assets`): such a URL never
    // changes meaning, so a CDN may keep it for good.
    let assets = fingerprinted(&layers.static_files);
    let site_static = root.join(STATIC_DIR);
    if site_static.is_dir() {
        for (rel, path) in files_under(&site_static, root, &bounds, &mut problems) {
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

    // A file of the site's own static/ that replaces a theme file is linked
    // by its plain name (its bytes are the site's, not the hashed ones).
    let assets: BTreeMap<String, String> = assets
        .into_iter()
        .map(|(path, (hashed, bytes))| {
            let replaced = layers
                .static_files
                .get(&path)
                .is_some_and(|now| !Arc::ptr_eq(now, &bytes));
            if replaced {
                (path.clone(), path)
            } else {
                layers.static_files.insert(hashed.clone(), bytes);
                (path, hashed)
            }
        })
        .collect();
    let theme = Theme {
        templates: layers.templates.into_values().collect(),
        static_files: layers.static_files,
        words: layers.words,
        assets,
    };
    (theme, problems)
}

/// The built-in theme's files as they are embedded: (path inside the
/// theme, bytes), for `clause init --theme` to copy and for its words.
pub fn built_in_files() -> &'static [(&'static str, &'static [u8])] {
    DEFAULT_THEME
}

/// The built-in theme's words files.
pub fn built_in_words() -> Vec<WordsFile> {
    DEFAULT_THEME
        .iter()
        .filter_map(|(path, bytes)| {
            let name = path.strip_prefix("i18n/")?;
            let code = i18n::is_words_file(Path::new(name))?;
            Some(WordsFile {
                code,
                origin: PathBuf::from(format!("{BUILT_IN}/{path}")),
                text: String::from_utf8(bytes.to_vec()).ok()?,
            })
        })
        .collect()
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
                .with_code(crate::base::codes::FILE_ENCODING)
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

/// Regular files below `dir` (not hidden), as (path relative to `dir` with
/// `/`, full path); what the site must not publish is a problem.
fn files_under(
    dir: &Path,
    root: &Path,
    bounds: &Bounds,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    let (found, refused) = crate::base::walk::walk(dir, root, bounds);
    problems.extend(refused);
    found.into_iter().map(|f| (f.rel, f.path)).collect()
}

fn read_error(path: &Path, root: &Path, e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        relative_to(path, root),
        Position::START,
        format!("cannot read: {e}"),
    )
    .with_code(crate::base::codes::FILE_UNREADABLE)
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

    #[test]
    fn hashed_paths_keep_the_folder_and_extension() {
        assert_eq!(
            hashed_path("static/style.css", "ab12"),
            "static/style.ab12.css"
        );
        assert_eq!(
            hashed_path("static/a/b.min.js", "ab12"),
            "static/a/b.min.ab12.js"
        );
        assert_eq!(hashed_path("static/LICENSE", "ab12"), "static/LICENSE.ab12");
        assert_eq!(hashed_path("static/.well", "ab12"), "static/.well.ab12");
    }
}
