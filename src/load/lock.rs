//! The lock on published text. `clause.lock`, kept next to `config.toml`,
//! records the SHA-256 of the normalized source of every version that has
//! taken effect. A build fails if a locked version's text changed, unless its
//! `corrections` list grew since it was locked; `clause lock` adds versions
//! as they take effect and records corrections.
//!
//! The file is plain text, one version per line, fields separated by tabs:
//!
//! ```text
//! # document  language  version  effective_date  sha256  corrections
//! privacy  en  2026-05-12  2026-05-12  3f1c...e9  0
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;

use crate::base::diagnostics::{Diagnostic, Position, shown};
use crate::base::layout::LOCK_FILE;
use crate::load::content::Source;
use crate::load::frontmatter::parse_date;

const HEADER: &str = "# clause.lock: the SHA-256 of every published version's normalized source.\n\
# Written by `clause lock`; commit it. A build fails if a locked text changes\n\
# without a new entry in the version's `corrections`.\n\
# document\tlanguage\tversion\teffective_date\tsha256\tcorrections\n";

/// One locked version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub document: String,
    pub language: String,
    pub version: String,
    pub effective_date: NaiveDate,
    pub sha256: String,
    /// How many corrections the version had when it was locked.
    pub corrections: usize,
    /// Where the entry is in the file (for messages); 0 for a new entry.
    pub line: usize,
}

impl Entry {
    fn key(&self) -> (&str, &str, &str) {
        (&self.document, &self.language, &self.version)
    }
}

/// The hash of a content file's normalized source (worked out when it was read).
pub fn source_hash(source: &Source) -> String {
    source.source_sha256.clone()
}

/// Parses the text of `clause.lock`.
pub fn parse(text: &str) -> Result<Vec<Entry>, Vec<Diagnostic>> {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let problem = |message: &str| {
            Diagnostic::error(LOCK_FILE, Position::new(n, 1), message.to_string()).with_code(crate::base::codes::LOCK_SYNTAX)
                .with_hint("clause.lock is written by `clause lock`; restore it from version control rather than editing it")
        };
        let [document, language, version, date, hash, corrections] = fields.as_slice() else {
            problems.push(problem("expected 6 fields separated by tabs"));
            continue;
        };
        let Some(effective_date) = parse_date(date) else {
            problems.push(problem(&format!(
                "`{}` is not a date (YYYY-MM-DD)",
                shown(date)
            )));
            continue;
        };
        if hash.len() != 64
            || !hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            problems.push(problem(&format!(
                "`{}` is not a SHA-256 in lowercase hex",
                shown(hash)
            )));
            continue;
        }
        let Ok(corrections) = corrections.parse() else {
            problems.push(problem(&format!(
                "`{}` is not a number of corrections",
                shown(corrections)
            )));
            continue;
        };
        entries.push(Entry {
            document: document.to_string(),
            language: language.to_string(),
            version: version.to_string(),
            effective_date,
            sha256: hash.to_string(),
            corrections,
            line: n,
        });
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

/// The text of `clause.lock` for `entries`, in a fixed order.
pub fn render(entries: &[Entry]) -> String {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.document, &a.language, a.effective_date, &a.version).cmp(&(
            &b.document,
            &b.language,
            b.effective_date,
            &b.version,
        ))
    });
    let mut out = String::from(HEADER);
    for e in sorted {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}",
            e.document, e.language, e.version, e.effective_date, e.sha256, e.corrections
        );
    }
    out
}

/// Checks every locked version against the content: each must still exist,
/// not be a draft, and have the locked hash, unless it has more corrections
/// than when it was locked.
pub fn verify(entries: &[Entry], sources: &[Source]) -> Vec<Diagnostic> {
    let by_key: BTreeMap<(&str, &str, &str), &Source> = sources
        .iter()
        .map(|s| {
            (
                (
                    s.document.as_str(),
                    s.front.language.as_str(),
                    s.front.version.as_str(),
                ),
                s,
            )
        })
        .collect();
    let mut problems = Vec::new();
    for entry in entries {
        let what = format!(
            "version `{}` of `{}` in `{}`",
            entry.version, entry.document, entry.language
        );
        let at_lock = Position::new(entry.line.max(1), 1);
        match by_key.get(&entry.key()) {
            None => problems.push(
                Diagnostic::error(LOCK_FILE, at_lock, format!("{what} is locked but is not in content/")).with_code(crate::base::codes::LOCK_REMOVED)
                    .with_hint("published versions stay online: restore its file (or, to unpublish it on purpose, run `clause lock --force`)"),
            ),
            Some(source) if source.front.draft => problems.push(
                Diagnostic::error(&source.path, source.front.position_of("draft"), format!("{what} is locked but marked `draft: true`")).with_code(crate::base::codes::LOCK_DRAFT)
                    .with_hint("published versions stay online: remove `draft: true`"),
            ),
            Some(source) => {
                let hash = source_hash(source);
                if hash != entry.sha256 && source.front.corrections.len() <= entry.corrections {
                    problems.push(
                        Diagnostic::error(
                            &source.path,
                            Position::START,
                            format!(
                                "the text of {what} differs from the text locked on clause.lock line {}",
                                entry.line
                            ),
                        ).with_code(crate::base::codes::LOCK_CHANGED)
                        .with_hint(if source.uses_variables {
                            "published text must not change silently: undo the edit (or the change to a `{{ site.… }}` value in config.toml that the text uses), or add a `corrections` entry (date and note) and run `clause lock`"
                        } else {
                            "published text must not change silently: undo the edit, or add a `corrections` entry (date and note) and run `clause lock`"
                        }),
                    );
                }
            }
        }
    }
    problems
}

/// What `clause lock` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Update {
    pub entries: Vec<Entry>,
    /// Versions locked for the first time.
    pub added: Vec<String>,
    /// Versions whose corrections (or, with `--force`, changes) were recorded.
    pub updated: Vec<String>,
    /// Locked versions gone from content/, dropped with `--force`.
    pub dropped: Vec<String>,
    /// Changed versions left alone (without `--force`): an error.
    pub refused: Vec<Diagnostic>,
}

/// An error for each published version (not a draft) that is not in the lock.
pub fn missing(entries: &[Entry], sources: &[Source]) -> Vec<Diagnostic> {
    sources
        .iter()
        .filter(|s| !s.front.draft)
        .filter(|s| {
            !entries.iter().any(|e| {
                e.document == s.document
                    && e.language == s.front.language
                    && e.version == s.front.version
            })
        })
        .map(|s| {
            Diagnostic::error(
                &s.path,
                Position::START,
                format!(
                    "version `{}` of `{}` in `{}` is published but not in clause.lock (--locked)",
                    s.front.version, s.document, s.front.language
                ),
            )
            .with_code(crate::base::codes::LOCK_UNLOCKED)
            .with_hint("run `clause lock` and commit clause.lock")
        })
        .collect()
}

/// Brings the lock up to date: adds every published version (not a draft:
/// current, superseded and upcoming alike, so the lock changes only when
/// content does, never because a date passed), records corrections, and
/// leaves every other entry as it is unless `force`.
pub fn update(existing: &[Entry], sources: &[Source], force: bool) -> Update {
    let mut update = Update::default();
    let in_content: BTreeMap<(&str, &str, &str), &Source> = sources
        .iter()
        .filter(|s| !s.front.draft)
        .map(|s| {
            (
                (
                    s.document.as_str(),
                    s.front.language.as_str(),
                    s.front.version.as_str(),
                ),
                s,
            )
        })
        .collect();
    let describe = |e: &Entry| format!("{} ({}) {}", e.document, e.language, e.version);
    for entry in existing {
        let Some(source) = in_content.get(&entry.key()) else {
            if force {
                update.dropped.push(describe(entry));
            } else {
                update.entries.push(entry.clone());
            }
            continue;
        };
        let hash = source_hash(source);
        let corrections = source.front.corrections.len();
        if hash == entry.sha256 && corrections == entry.corrections {
            update.entries.push(entry.clone());
        } else if corrections > entry.corrections || force {
            update.updated.push(describe(entry));
            update.entries.push(Entry {
                sha256: hash,
                corrections,
                effective_date: source.front.effective_date,
                ..entry.clone()
            });
        } else {
            update
                .refused
                .extend(verify(std::slice::from_ref(entry), sources));
            update.entries.push(entry.clone());
        }
    }
    let locked: Vec<(String, String, String)> = existing
        .iter()
        .map(|e| (e.document.clone(), e.language.clone(), e.version.clone()))
        .collect();
    for ((document, language, version), source) in &in_content {
        let known = locked
            .iter()
            .any(|(d, l, v)| d == document && l == language && v == version);
        if known {
            continue;
        }
        let entry = Entry {
            document: document.to_string(),
            language: language.to_string(),
            version: version.to_string(),
            effective_date: source.front.effective_date,
            sha256: source_hash(source),
            corrections: source.front.corrections.len(),
            line: 0,
        };
        update.added.push(describe(&entry));
        update.entries.push(entry);
    }
    update
}

/// Reads `clause.lock` from the site root: None when there is none.
pub fn read(root: &Path) -> Result<Option<Vec<Entry>>, Vec<Diagnostic>> {
    match std::fs::read_to_string(root.join(LOCK_FILE)) {
        Ok(text) => parse(&text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(vec![
            Diagnostic::error(LOCK_FILE, Position::START, format!("cannot read: {e}"))
                .with_code(crate::base::codes::FILE_UNREADABLE),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn round_trips_and_reports_bad_lines() {
        let entries = vec![Entry {
            document: "privacy".into(),
            language: "en".into(),
            version: "2".into(),
            effective_date: date("2026-05-12"),
            sha256: "a".repeat(64),
            corrections: 1,
            line: 0,
        }];
        let text = render(&entries);
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed[0].sha256, entries[0].sha256);
        assert_eq!(parsed[0].line, 5);
        assert_eq!(render(&parsed), text);
        let problems = parse("privacy\ten\t2\n").unwrap_err();
        assert_eq!(
            problems[0].to_string().split(" (help").next().unwrap(),
            "clause.lock:1:1: error: expected 6 fields separated by tabs"
        );
    }
}
