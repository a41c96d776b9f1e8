//! `clause lock`: brings clause.lock up to date with the versions in effect.

use crate::base::diagnostics::{Diagnostic, Position};
use crate::base::files::FileCache;
use crate::base::layout::LOCK_FILE;
use crate::load::content;
use crate::load::lock;
use crate::load::theme;

use super::{Options, load_config, words};

/// `clause lock`: brings `clause.lock` up to date for the as-of date and
/// writes it (atomically). Fails, writing nothing, if a locked text changed
/// without a correction (unless `force`) or the site has problems.
pub fn run(options: &Options, force: bool) -> Result<lock::Update, Vec<Diagnostic>> {
    let files = FileCache::default();
    let (config, _) = load_config(&options.root, &files)?;
    let (theme, _) = theme::load(&options.root, &config, &files);
    let (catalog, _) = words(&config, &theme);
    let loaded = content::load(
        &options.root,
        &config,
        &catalog,
        &files,
        Default::default(),
        None,
    );
    if !loaded.problems.is_empty() {
        return Err(loaded.problems);
    }
    let existing = lock::read(&options.root)?.unwrap_or_default();
    let update = lock::update(&existing, &loaded.sources, options.as_of, force);
    if !update.refused.is_empty() {
        return Err(update.refused);
    }
    let text = lock::render(&update.entries);
    crate::base::write::atomic_write(&options.root.join(LOCK_FILE), text.as_bytes()).map_err(
        |e| {
            vec![Diagnostic::error(
                LOCK_FILE,
                Position::START,
                format!("cannot write: {e}"),
            )]
        },
    )?;
    Ok(update)
}
