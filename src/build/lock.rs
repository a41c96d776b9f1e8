//! `clause lock`: brings clause.lock up to date with the published versions.

use crate::base::diagnostics::{Diagnostic, Position};
use crate::base::files::FileCache;
use crate::base::layout::LOCK_FILE;
use crate::load::content;
use crate::load::lock;
use crate::load::theme;

use std::path::Path;

use super::{load_config, words};

/// `clause lock`: brings `clause.lock` up to date with every published version and
/// writes it (atomically). Fails, writing nothing, if a locked text changed
/// without a correction (unless `force`) or the site has problems.
pub fn run(root: &Path, force: bool) -> Result<lock::Update, Vec<Diagnostic>> {
    let files = FileCache::default();
    let (config, _) = load_config(root, &files)?;
    let (theme, _) = theme::load(root, &config, &files);
    let (catalog, _) = words(&config, &theme);
    let loaded = content::load(root, &config, &catalog, &files, Default::default(), None);
    if !loaded.problems.is_empty() {
        return Err(loaded.problems);
    }
    let existing = lock::read(root)?.unwrap_or_default();
    let update = lock::update(&existing, &loaded.sources, force);
    if !update.refused.is_empty() {
        return Err(update.refused);
    }
    let text = lock::render(&update.entries);
    crate::base::write::atomic_write(&root.join(LOCK_FILE), text.as_bytes()).map_err(|e| {
        vec![
            Diagnostic::error(LOCK_FILE, Position::START, format!("cannot write: {e}"))
                .with_code(crate::base::codes::FILE_UNWRITABLE),
        ]
    })?;
    Ok(update)
}
