//! `clause import-git`: a policy kept as one Markdown file in git, its
//! published history rebuilt as clause versions: one per day, commit or tag
//! that changed the file, each a draft whose effective date is the commit's
//! date and whose `changes` is the commit's subject, for the team to review
//! (the legal effective date is theirs to confirm, not git's).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate};

/// How commits that changed the file become versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// The last change of each day (UTC).
    Day,
    /// Every commit that changed the file.
    Commit,
    /// Every tag whose commit holds a new text of the file.
    Tag,
}

/// One text of the file as git recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub date: NaiveDate,
    pub subject: String,
    pub text: String,
    /// The commit's id, in hex.
    pub commit: String,
    /// The tag naming the commit, for `By::Tag`.
    pub tag: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Git(String),
    #[error("{} problem(s) in config.toml", .0.len())]
    Invalid(Vec<crate::base::diagnostics::Diagnostic>),
    #[error("{path} is not inside a git repository's working tree")]
    NotInRepository { path: PathBuf },
    #[error("no commit changed {path}")]
    NoHistory { path: PathBuf },
    #[error("{path} already exists: clause import-git never overwrites a version")]
    Exists { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn git(e: impl std::fmt::Display) -> ImportError {
    ImportError::Git(format!("git: {e}"))
}

/// The texts `file` had in the history of its repository's HEAD, oldest
/// first: one per commit whose text differs from the commit before it.
pub fn history(file: &Path) -> Result<Vec<Change>, ImportError> {
    let absolute = std::fs::canonicalize(file).map_err(|source| ImportError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    let repo = gix::discover(absolute.parent().unwrap_or(Path::new("."))).map_err(git)?;
    let workdir = repo
        .workdir()
        .and_then(|w| std::fs::canonicalize(w).ok())
        .ok_or_else(|| ImportError::NotInRepository {
            path: file.to_path_buf(),
        })?;
    let rel = absolute
        .strip_prefix(&workdir)
        .map_err(|_| ImportError::NotInRepository {
            path: file.to_path_buf(),
        })?
        .to_string_lossy()
        .replace('\\', "/");
    let tags = tags_by_commit(&repo)?;
    let head = repo.head_commit().map_err(git)?;
    let mut found: Vec<(i64, Change, gix::ObjectId)> = Vec::new();
    for info in head.ancestors().all().map_err(git)? {
        let info = info.map_err(git)?;
        let commit = info.object().map_err(git)?;
        let tree = commit.tree().map_err(git)?;
        let Some(entry) = tree.lookup_entry_by_path(&rel).map_err(git)? else {
            continue;
        };
        let blob = entry.object_id();
        let seconds = commit.time().map_err(git)?.seconds;
        let date = DateTime::from_timestamp(seconds, 0)
            .map(|t| t.date_naive())
            .unwrap_or_default();
        let message = commit.message().map_err(git)?;
        let subject = message.summary().to_string();
        let data = repo.find_object(blob).map_err(git)?.data.clone();
        let id = commit.id().detach();
        found.push((
            seconds,
            Change {
                date,
                subject,
                text: String::from_utf8_lossy(&data).into_owned(),
                commit: id.to_string(),
                tag: tags.get(&id).cloned(),
            },
            blob,
        ));
    }
    // Oldest first; a commit that left the text as it was is no change.
    found.sort_by_key(|(seconds, change, _)| (*seconds, change.commit.clone()));
    let mut changes = Vec::new();
    let mut last = None;
    for (_, change, blob) in found {
        if last != Some(blob) {
            changes.push(change);
            last = Some(blob);
        }
    }
    if changes.is_empty() {
        return Err(ImportError::NoHistory {
            path: file.to_path_buf(),
        });
    }
    Ok(changes)
}

/// Each tagged commit's tag name (the first in name order).
fn tags_by_commit(repo: &gix::Repository) -> Result<BTreeMap<gix::ObjectId, String>, ImportError> {
    let mut tags = BTreeMap::new();
    let references = repo.references().map_err(git)?;
    for reference in references.tags().map_err(git)? {
        let mut reference = reference.map_err(git)?;
        let name = reference.name().shorten().to_string();
        if let Ok(id) = reference.peel_to_id() {
            tags.entry(id.detach()).or_insert(name);
        }
    }
    Ok(tags)
}

/// The changes that become versions, by `by`.
pub fn select(changes: Vec<Change>, by: By) -> Vec<Change> {
    match by {
        By::Commit => changes,
        By::Tag => changes.into_iter().filter(|c| c.tag.is_some()).collect(),
        By::Day => {
            let mut by_day: Vec<Change> = Vec::new();
            for change in changes {
                match by_day.last_mut() {
                    Some(last) if last.date == change.date => *last = change,
                    _ => by_day.push(change),
                }
            }
            by_day
        }
    }
}

/// What to import and where.
#[derive(Debug, Clone)]
pub struct Request {
    /// The site folder.
    pub root: PathBuf,
    /// The Markdown file whose history is imported.
    pub file: PathBuf,
    /// The document's folder under content/.
    pub document: String,
    /// The language of the file (default: the site's default language).
    pub language: Option<String>,
    pub by: By,
}

/// Writes one draft version per selected change of `request.file` into
/// `content/<document>/` and returns the paths written, oldest first.
/// Writes nothing if any version file exists already.
pub fn import(request: &Request) -> Result<Vec<PathBuf>, ImportError> {
    if !request
        .document
        .split('/')
        .all(crate::base::layout::is_safe_segment)
    {
        return Err(ImportError::Git(format!(
            "document `{}` cannot be a folder name: use letters, digits, `-` and `_`",
            crate::base::diagnostics::shown(&request.document)
        )));
    }
    let language = match &request.language {
        Some(code) => code.clone(),
        None => {
            let files = crate::base::files::FileCache::default();
            crate::build::load_config(&request.root, &files)
                .map_err(ImportError::Invalid)?
                .0
                .default_language
        }
    };
    let changes = select(history(&request.file)?, request.by);
    let folder = request
        .root
        .join(crate::base::layout::CONTENT_DIR)
        .join(&request.document);
    let mut planned: Vec<(PathBuf, String)> = Vec::new();
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for change in &changes {
        let base = match &change.tag {
            Some(tag)
                if request.by == By::Tag && crate::load::frontmatter::is_valid_version(tag) =>
            {
                tag.clone()
            }
            _ => change.date.to_string(),
        };
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        let version = if *n == 1 { base } else { format!("{base}-{n}") };
        let (title, body) = title_and_body(&change.text, &request.document);
        let note = format!(
            "{} (imported from git commit {}; confirm the effective date and this note, then remove `draft`)",
            change.subject,
            &change.commit[..change.commit.len().min(12)]
        );
        let header = crate::load::frontmatter::new_version_header(
            &title,
            change.date,
            &version,
            &language,
            None,
            &note,
            true,
        );
        let path = folder.join(format!("{version}.{language}.md"));
        if path.exists() {
            return Err(ImportError::Exists { path });
        }
        planned.push((path, format!("{header}\n{}", body.trim_start_matches('\n'))));
    }
    std::fs::create_dir_all(&folder).map_err(|source| ImportError::Io {
        path: folder.clone(),
        source,
    })?;
    let mut written = Vec::new();
    for (path, text) in planned {
        crate::base::write::atomic_write(&path, text.as_bytes()).map_err(|source| {
            ImportError::Io {
                path: path.clone(),
                source,
            }
        })?;
        written.push(path);
    }
    Ok(written)
}

/// The title (its front matter's `title`, else its first `# ` heading, else
/// the document's key) and the body of a file as it was committed, without
/// any front matter of another tool (Jekyll's, say).
fn title_and_body(text: &str, document: &str) -> (String, String) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = match text.strip_prefix("---\n") {
        Some(rest) => match rest.find("\n---\n") {
            Some(end) => (&rest[..end], &rest[end + 5..]),
            None => ("", text),
        },
        None => ("", text),
    };
    let from_front = front.lines().find_map(|l| {
        l.strip_prefix("title:")
            .map(|t| t.trim().trim_matches(['"', '\'']).to_string())
            .filter(|t| !t.is_empty())
    });
    let from_heading = body
        .lines()
        .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_string()));
    let title = from_front
        .or(from_heading)
        .unwrap_or_else(|| document.replace(['-', '_'], " "));
    (title, body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(date: &str, subject: &str, tag: Option<&str>) -> Change {
        Change {
            date: crate::load::frontmatter::parse_date(date).unwrap(),
            subject: subject.to_string(),
            text: subject.to_string(),
            commit: "0".repeat(40),
            tag: tag.map(str::to_string),
        }
    }

    #[test]
    fn a_day_keeps_its_last_change_and_tags_keep_theirs() {
        let changes = vec![
            change("2025-01-01", "a", None),
            change("2025-01-01", "b", Some("v1")),
            change("2025-02-01", "c", None),
        ];
        let days: Vec<String> = select(changes.clone(), By::Day)
            .into_iter()
            .map(|c| c.subject)
            .collect();
        assert_eq!(days, ["b", "c"]);
        let tags: Vec<String> = select(changes.clone(), By::Tag)
            .into_iter()
            .map(|c| c.subject)
            .collect();
        assert_eq!(tags, ["b"]);
        assert_eq!(select(changes, By::Commit).len(), 3);
    }

    #[test]
    fn titles_come_from_front_matter_then_the_first_heading() {
        assert_eq!(
            title_and_body(
                "---\nlayout: page\ntitle: \"Privacy\"\n---\n# Other\nText\n",
                "privacy"
            ),
            ("Privacy".to_string(), "# Other\nText\n".to_string())
        );
        assert_eq!(
            title_and_body("# Terms of Use\n\nText\n", "terms").0,
            "Terms of Use"
        );
        assert_eq!(title_and_body("Text\n", "cookie-policy").0, "cookie policy");
    }
}
