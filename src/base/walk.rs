//! Listing the files of a site folder (content/, static/, a theme) safely:
//! what the build may read and publish, and a diagnostic for everything it
//! must not. One walker for every folder, so `check` and `build` refuse the
//! same files.
//!
//! A symbolic link is followed only when what it leads to is inside the
//! site (or inside a folder config.toml allows): a link to `/etc/passwd` or
//! to a CI runner's credentials added in a pull request would otherwise be
//! published. Names must be portable (see `names`), and no two files of a
//! folder may be one file on macOS or Windows. Devices, FIFOs and sockets
//! are refused rather than skipped or read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::base::diagnostics::{Diagnostic, Position, relative_to, shown};
use crate::base::{codes, names};

/// A regular file found by `walk`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its path below the folder walked, with `/` between the parts.
    pub rel: String,
    /// Its path on disk (through any symbolic link).
    pub path: PathBuf,
}

/// Where symbolic links may lead: the site, and the folders config.toml
/// allows (all as the file system resolves them).
#[derive(Debug, Clone)]
pub struct Bounds {
    root: PathBuf,
    allowed: Vec<PathBuf>,
}

impl Bounds {
    /// The site at `root`, and `allowed` folders (absolute, or relative to
    /// `root`) that links may lead into. A folder that does not exist
    /// allows nothing.
    pub fn new(root: &Path, allowed: &[String]) -> Self {
        let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        Bounds {
            root: real(root),
            allowed: allowed
                .iter()
                .filter_map(|a| root.join(a).canonicalize().ok())
                .collect(),
        }
    }

    fn contains(&self, real: &Path) -> bool {
        real.starts_with(&self.root) || self.allowed.iter().any(|a| real.starts_with(a))
    }
}

/// Every regular file below `dir` whose path has no hidden part (a name
/// starting with `.`), in name order, and a problem for each file or folder
/// refused. Messages name paths relative to `root`.
pub fn walk(dir: &Path, root: &Path, bounds: &Bounds) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    // Each folder's names as a case-insensitive, normalizing system sees
    // them: (folder, folded name) -> the name met first.
    let mut seen: HashMap<(PathBuf, String), String> = HashMap::new();
    let mut entries = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(dir);
                problems.push(
                    Diagnostic::error(
                        relative_to(path, root),
                        Position::START,
                        format!("cannot read: {e}"),
                    )
                    .with_code(crate::base::codes::FILE_UNREADABLE),
                );
                continue;
            }
        };
        let rel_to_root = relative_to(entry.path(), root);
        let is_dir = entry.file_type().is_dir();
        let mut refuse =
            |problems: &mut Vec<Diagnostic>, code: &'static str, message: String, hint: &str| {
                problems.push(
                    Diagnostic::error(&rel_to_root, Position::START, message)
                        .with_code(code)
                        .with_hint(hint),
                );
                if is_dir {
                    entries.skip_current_dir();
                }
            };
        if entry.depth() > 0 {
            if entry.file_name().as_encoded_bytes().starts_with(b".") {
                if is_dir {
                    entries.skip_current_dir();
                }
                continue;
            }
            let name = match names::portable(entry.file_name()) {
                Ok(name) => name,
                Err(problem) => {
                    // Names that are not UTF-8 would all show as `�`: the
                    // bytes tell them apart.
                    let message = match problem {
                        names::NameProblem::NotUtf8 => format!(
                            "{} (`{}`)",
                            problem.message(),
                            entry.file_name().as_encoded_bytes().escape_ascii()
                        ),
                        _ => problem.message(),
                    };
                    refuse(
                        &mut problems,
                        codes::FILE_NAME,
                        message,
                        "rename it with letters, digits, `-`, `_` and `.`, so that the site checks out and publishes on every system",
                    );
                    continue;
                }
            };
            let parent = entry.path().parent().unwrap_or(dir).to_path_buf();
            let folded = names::folded(name);
            if let Some(first) = seen.get(&(parent.clone(), folded.clone())) {
                let message = format!(
                    "`{}` and `{}` differ only in case or accents' encoding: on macOS and Windows they are one file",
                    shown(first),
                    shown(name)
                );
                refuse(
                    &mut problems,
                    codes::FILE_COLLISION,
                    message,
                    "rename one of them",
                );
                continue;
            }
            seen.insert((parent, folded), name.to_string());
        }
        if entry.path_is_symlink() {
            let target = std::fs::read_link(entry.path())
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            let inside = entry
                .path()
                .canonicalize()
                .is_ok_and(|real| bounds.contains(&real));
            if !inside {
                let message = format!(
                    "this is a symbolic link to `{}`, outside the site: what it leads to would be published",
                    shown(&target)
                );
                refuse(
                    &mut problems,
                    codes::FILE_SYMLINK,
                    message,
                    "copy the file into the site, or, if that folder is meant to be published, list it in `allow_symlinks_to` in config.toml (docs/configuration.md#symbolic-links)",
                );
                continue;
            }
        }
        let file_type = entry.file_type();
        if file_type.is_file() {
            let rel = slash_path(entry.path(), dir);
            found.push(Found {
                rel,
                path: entry.into_path(),
            });
        } else if !file_type.is_dir() {
            refuse(
                &mut problems,
                codes::FILE_SPECIAL,
                format!("this is {}, not a file", special_kind(&file_type)),
                "remove it from the site: only files and folders are published",
            );
        }
    }
    (found, problems)
}

/// `path` below `dir`, its parts joined with `/` on every system.
pub fn slash_path(path: &Path, dir: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a file that is neither a regular file nor a folder is.
fn special_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    let _ = file_type;
    "a special file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    fn walked(root: &Path, allowed: &[String]) -> (Vec<String>, Vec<String>) {
        let (found, problems) = walk(&root.join("static"), root, &Bounds::new(root, allowed));
        (
            found.into_iter().map(|f| f.rel).collect(),
            problems.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn links_out_of_the_site_are_refused_and_named() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), "key").unwrap();
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        fs::create_dir_all(root.join("static/sub")).unwrap();
        fs::write(root.join("static/a.css"), "a").unwrap();
        fs::write(root.join("notes.txt"), "n").unwrap();
        symlink(
            outside.path().join("secret"),
            root.join("static/passwd.txt"),
        )
        .unwrap();
        symlink(outside.path(), root.join("static/outdir")).unwrap();
        symlink(root.join("notes.txt"), root.join("static/sub/notes.txt")).unwrap();
        let (files, problems) = walked(root, &[]);
        assert_eq!(files, ["a.css", "sub/notes.txt"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("static/outdir:1:1: error: this is a symbolic link to `"));
        assert!(
            problems[1].starts_with("static/passwd.txt:1:1: error: this is a symbolic link to `")
        );
        assert!(
            problems[1].contains("secret`, outside the site"),
            "{}",
            problems[1]
        );
        // Allowed explicitly, the folder is published.
        let allowed = [outside.path().display().to_string()];
        let (files, problems) = walked(root, &allowed);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            files,
            ["a.css", "outdir/secret", "passwd.txt", "sub/notes.txt"]
        );
    }

    #[test]
    fn odd_names_collisions_and_special_files_are_refused() {
        use std::os::unix::ffi::OsStrExt;
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        let s = root.join("static");
        fs::create_dir_all(&s).unwrap();
        for name in [
            &b"bad\xfe.txt"[..],
            b"bad\xff.txt",
            b"x\\y",
            b"CON",
            b"Terms.css",
            b"terms.css",
            b".hidden",
        ] {
            fs::write(s.join(std::ffi::OsStr::from_bytes(name)), "x").unwrap();
        }
        let fifo = s.join("pipe");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        let (files, problems) = walked(root, &[]);
        assert_eq!(files, ["Terms.css"]);
        let expected_fifo = status.is_ok_and(|s| s.success());
        assert_eq!(
            problems.len(),
            5 + usize::from(expected_fifo),
            "{problems:?}"
        );
        let all = problems.join("\n");
        assert!(
            all.contains("this name is not UTF-8 text (`bad\\xfe.txt`)"),
            "{all}"
        );
        assert!(
            all.contains("this name is not UTF-8 text (`bad\\xff.txt`)"),
            "{all}"
        );
        assert!(
            all.contains("static/CON:1:1: error: this name is reserved for a device on Windows")
        );
        assert!(
            all.contains("holds `\\`, which Windows does not allow"),
            "{all}"
        );
        assert!(
            all.contains(
                "static/terms.css:1:1: error: `Terms.css` and `terms.css` differ only in case"
            ),
            "{all}"
        );
        if expected_fifo {
            assert!(
                all.contains("static/pipe:1:1: error: this is a named pipe (FIFO), not a file"),
                "{all}"
            );
        }
    }
}
