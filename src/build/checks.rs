//! The checks a build runs on the loaded site besides those of each stage:
//! the content against clause.lock, template code left in bodies, and
//! translations that are stale or have no governing text to defer to.

use std::collections::BTreeSet;
use std::path::Path;

use crate::base::diagnostics::{self, Diagnostic, Position};
use crate::base::files::FileCache;
use crate::base::layout::{CONFIG_FILE, LOCK_FILE};
use crate::load::content::Source;
use crate::load::lock;
use crate::model::{Site, Status};

/// A warning for each folder in `allow_symlinks_to` that is not there: it
/// allows nothing, which is most likely a mistyped path (the links it was
/// meant for are then refused, and the warning says why).
pub(super) fn symlink_allowances(root: &Path, site: &Site) -> Vec<Diagnostic> {
    site.config
        .allow_symlinks_to
        .iter()
        .filter(|folder| !root.join(folder).is_dir())
        .map(|folder| {
            Diagnostic::warning(
                CONFIG_FILE,
                site.config.position_of("allow_symlinks_to"),
                format!(
                    "`allow_symlinks_to` lists `{}`, which is not a folder here, so it allows nothing",
                    diagnostics::shown(folder)
                ),
            )
            .with_code(crate::base::codes::CONFIG_VALUE)
            .with_hint("give the folder's path, absolute or relative to the site folder, or remove the entry")
        })
        .collect()
}

/// What `clause new` writes as a new version's `changes`, for the author to
/// replace: `check` warns while it is there.
pub const CHANGES_PLACEHOLDER: &str = "TODO: say what changed in this version";

/// A warning where translations of one version disagree on its effective
/// date: the same version would take effect on different days in different
/// languages, which is rarely meant. Reported at each file whose date differs
/// from the governing (else default) language's.
pub(super) fn translation_dates(site: &Site) -> Vec<Diagnostic> {
    let reference_language = site
        .config
        .governing_language
        .as_deref()
        .unwrap_or(&site.config.default_language);
    let mut problems = Vec::new();
    for doc in &site.documents {
        let reference = doc
            .editions
            .iter()
            .find(|ed| ed.language == reference_language)
            .or_else(|| doc.editions.first());
        let Some(reference) = reference else {
            continue;
        };
        for ed in doc
            .editions
            .iter()
            .filter(|ed| ed.language != reference.language)
        {
            for v in &ed.versions {
                let Some(original) = reference
                    .versions
                    .iter()
                    .find(|r| r.front.version == v.front.version)
                else {
                    continue;
                };
                if original.front.effective_date != v.front.effective_date {
                    problems.push(
                        Diagnostic::warning(
                            &v.path,
                            v.front.position_of("effective_date"),
                            format!(
                                "version `{}` takes effect on {} in `{}` but on {} in `{}`",
                                v.front.version,
                                v.front.effective_date,
                                ed.language,
                                original.front.effective_date,
                                reference.language
                            ),
                        ).with_code(crate::base::codes::TRANSLATION_DATE)
                        .with_hint(format!(
                            "give every translation of a version the same effective_date, or a version name of its own ({})",
                            original.path.display()
                        )),
                    );
                }
            }
        }
    }
    problems
}

/// A warning for each version whose `changes` is still the placeholder.
pub(super) fn placeholders(site: &Site) -> Vec<Diagnostic> {
    site.documents
        .iter()
        .flat_map(|d| &d.editions)
        .flat_map(|ed| &ed.versions)
        .filter(|v| v.front.changes.as_deref() == Some(CHANGES_PLACEHOLDER))
        .map(|v| {
            Diagnostic::warning(
                &v.path,
                v.front.position_of("changes"),
                "`changes` is still the placeholder `clause new` wrote",
            ).with_code(crate::base::codes::CHANGES_PLACEHOLDER)
            .with_hint("say in a sentence what changed in this version; readers see it on the version's pages")
        })
        .collect()
}

/// Checks the content against `clause.lock`, if the site has one.
/// With `locked`, every published version must be in it too.
pub(super) fn lock(
    root: &Path,
    files: &FileCache,
    sources: &[Source],
    unloaded: &BTreeSet<String>,
    locked: bool,
) -> Vec<Diagnostic> {
    let path = root.join(LOCK_FILE);
    if !path.exists() {
        if locked && sources.iter().any(|s| !s.front.draft) {
            return vec![
                Diagnostic::error(
                    LOCK_FILE,
                    Position::START,
                    "there is no clause.lock (--locked)",
                )
                .with_code(crate::base::codes::LOCK_NONE)
                .with_hint("run `clause lock` and commit clause.lock"),
            ];
        }
        return Vec::new();
    }
    let text = match files.read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            return vec![
                Diagnostic::error(LOCK_FILE, Position::START, format!("cannot read: {e}"))
                    .with_code(crate::base::codes::FILE_UNREADABLE),
            ];
        }
    };
    match lock::parse(&text) {
        Ok(entries) => {
            let loaded: Vec<lock::Entry> = entries
                .iter()
                .filter(|e| !unloaded.contains(&e.document))
                .cloned()
                .collect();
            let mut problems = lock::verify(&loaded, sources);
            if locked {
                problems.extend(lock::missing(&entries, sources));
            }
            problems
        }
        Err(problems) => problems,
    }
}

/// Template code of another generator left in a body: an error where the
/// text can still change, a warning in a superseded version (archived text
/// keeps what it was published with).
pub(super) fn template_code(site: &Site) -> Vec<Diagnostic> {
    let versions = site
        .documents
        .iter()
        .flat_map(|doc| &doc.editions)
        .flat_map(|ed| &ed.versions);
    let mut problems = Vec::new();
    for version in versions {
        let archived = version.status == Status::Superseded && !version.front.draft;
        for problem in &version.template_code {
            let mut problem = problem.clone();
            if archived {
                problem.severity = diagnostics::Severity::Warning;
            }
            problems.push(problem);
        }
    }
    problems
}

/// Warnings for translations whose version in effect is older than the
/// governing (else default) language's.
pub(super) fn stale(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for doc in &site.documents {
        for ed in &doc.editions {
            if let Some(reference) = crate::render::view::newer_reference(site, doc, ed) {
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
                    ).with_code(crate::base::codes::TRANSLATION_STALE)
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
pub(super) fn governing(site: &Site) -> Vec<Diagnostic> {
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
        ).with_code(crate::base::codes::GOVERNING_MISSING)
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
            ).with_code(crate::base::codes::GOVERNING_MISSING)
            .with_hint(format!("add a `language: {governing}` version of `{}`", d.key))
        })
        .collect()
}
