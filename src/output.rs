//! Output writing: puts an in-memory site on disk, touching only what changed.
//! Each changed file is written to a temporary file and renamed into place,
//! unchanged files keep their modification time, and files the site no
//! longer has are deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::CONFIG_FILE;
use crate::content::CONTENT_DIR;

/// Output path (relative, `/`-separated) -> bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Why an output folder was refused or could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "refusing to write to {path}: {why} (help: choose a folder of its own, such as `dist`)"
    )]
    Refused { path: PathBuf, why: &'static str },
    #[error("output path `{0}` would leave the output folder")]
    UnsafePath(String),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// Refuses an output folder that would overwrite or mix with the sources:
/// the site root, a parent of it, a folder holding `content/` or
/// `config.toml`, or a folder inside the site's sources.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), OutputError> {
    let refuse = |why| {
        Err(OutputError::Refused {
            path: output.to_path_buf(),
            why,
        })
    };
    let root = absolute(root);
    let out = absolute(output);
    if out == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site root");
    }
    for source in [CONTENT_DIR, "static", "themes"] {
        if out.starts_with(root.join(source)) {
            return refuse("it is inside the site's sources");
        }
    }
    if out.join(CONTENT_DIR).exists() || out.join(CONFIG_FILE).exists() {
        return refuse("it holds a content/ folder or a config.toml, so it looks like a site");
    }
    Ok(())
}

/// An absolute, lexically normalized path (no `.` or `..`), with symlinks
/// resolved for the part that exists.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    // Canonicalize the longest existing ancestor so symlinked folders compare equal.
    let mut existing = normal.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => {
                rest.push(name.to_os_string());
                existing.pop();
            }
            None => break,
        }
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// A relative output path made only of normal components, so it cannot leave
/// the output folder whatever the content said.
fn safe_join(output: &Path, rel: &str) -> Result<PathBuf, OutputError> {
    let path = Path::new(rel);
    let safe = !rel.is_empty()
        && !rel.contains('\\')
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if safe {
        Ok(output.join(path))
    } else {
        Err(OutputError::UnsafePath(rel.to_string()))
    }
}

/// Writes `files` into `output`: changed files only, each atomically; then
/// removes files and folders the site no longer has.
pub fn write(output: &Path, files: &Files) -> Result<WriteReport, OutputError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Io { path, source }
    };
    // Validate every path before touching the disk.
    let targets: Vec<(PathBuf, &Vec<u8>)> = files
        .iter()
        .map(|(rel, bytes)| safe_join(output, rel).map(|p| (p, bytes)))
        .collect::<Result<_, _>>()?;

    fs::create_dir_all(output).map_err(io_err(output))?;
    // Folders first, one thread, so the parallel writes below never race to create one.
    let folders: BTreeSet<&Path> = targets
        .iter()
        .filter_map(|(path, _)| path.parent())
        .collect();
    for folder in folders {
        make_dir(folder, output).map_err(io_err(folder))?;
    }
    let written: Vec<bool> = targets
        .par_iter()
        .map(|(path, bytes)| {
            if fs::read(path).is_ok_and(|old| old == **bytes) {
                return Ok(false);
            }
            if path.is_dir() {
                fs::remove_dir_all(path).map_err(io_err(path))?;
            }
            write_atomic(path, bytes).map_err(io_err(path))?;
            Ok(true)
        })
        .collect::<Result<_, OutputError>>()?;
    let mut report = WriteReport {
        written: written.iter().filter(|w| **w).count(),
        unchanged: written.iter().filter(|w| !**w).count(),
        removed: 0,
    };

    // Remove what the new site does not have, deepest first. Hidden entries at
    // the top (`.git` of a deploy checkout, say) are not ours and are left alone.
    let keep: BTreeSet<&Path> = targets.iter().map(|(p, _)| p.as_path()).collect();
    let mut stale_dirs = Vec::new();
    for entry in WalkDir::new(output).min_depth(1).contents_first(true) {
        let entry = entry.map_err(|e| OutputError::Io {
            path: output.to_path_buf(),
            source: e.into(),
        })?;
        let path = entry.path();
        let top = path
            .strip_prefix(output)
            .ok()
            .and_then(|rel| rel.iter().next());
        if top.is_some_and(is_foreign_hidden) {
            continue;
        }
        if entry.file_type().is_dir() {
            stale_dirs.push(path.to_path_buf());
        } else if !keep.contains(path) {
            fs::remove_file(path).map_err(io_err(path))?;
            report.removed += 1;
        }
    }
    for dir in stale_dirs {
        // Only empty folders go; `read_dir` then `remove_dir` keeps folders that still hold files.
        if fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_none()) {
            fs::remove_dir(&dir).map_err(io_err(&dir))?;
        }
    }
    Ok(report)
}

/// A hidden name that is not one of our temporary files.
fn is_foreign_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') && !name.ends_with(".clause-tmp")
}

/// Creates `dir` and its parents below `output`, replacing any plain file
/// that stands where a folder must be (a page that became a folder).
fn make_dir(dir: &Path, output: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if dir != output {
        if let Some(parent) = dir.parent() {
            make_dir(parent, output)?;
        }
    }
    if dir.exists() || dir.is_symlink() {
        fs::remove_file(dir)?;
    }
    fs::create_dir(dir)
}

/// Writes through a temporary file in the same folder and renames it over
/// the target, so a reader never sees half a file. There is no fsync: the
/// output can always be rebuilt, and syncing each of 10,000 pages made a
/// fresh build several times slower.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.clause-tmp"));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_unsafe_paths() {
        let out = Path::new("/tmp/out");
        assert!(safe_join(out, "a/index.html").is_ok());
        for bad in ["../x", "/etc/passwd", "a/../../x", "", "a\\..\\x", "./a"] {
            assert!(safe_join(out, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let mut files = Files::new();
        files.insert("index.html".into(), b"home".to_vec());
        files.insert("a/index.html".into(), b"a".to_vec());
        files.insert("b/c/index.html".into(), b"c".to_vec());
        assert_eq!(
            write(&out, &files).unwrap(),
            WriteReport {
                written: 3,
                unchanged: 0,
                removed: 0
            }
        );

        fs::create_dir_all(out.join(".git")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();
        fs::write(out.join(".index.html.clause-tmp"), "left by a crash").unwrap();
        files.remove("b/c/index.html");
        files.insert("a/index.html".into(), b"a2".to_vec());
        assert_eq!(
            write(&out, &files).unwrap(),
            WriteReport {
                written: 1,
                unchanged: 1,
                // b/c/index.html and the leftover temporary file.
                removed: 2
            }
        );
        assert!(!out.join("b").exists());
        assert!(out.join(".git/HEAD").exists());
        assert!(!out.join(".index.html.clause-tmp").exists());
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"a2");
    }

    #[test]
    fn a_file_can_become_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let mut files = Files::new();
        files.insert("x".into(), b"file".to_vec());
        write(&out, &files).unwrap();
        let mut files = Files::new();
        files.insert("x/index.html".into(), b"page".to_vec());
        write(&out, &files).unwrap();
        assert_eq!(fs::read(out.join("x/index.html")).unwrap(), b"page");
    }

    #[test]
    fn refuses_site_root_and_parents() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::write(root.join("config.toml"), "").unwrap();
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, dir.path()).is_err());
        assert!(check_output_dir(&root, &root.join("content/out")).is_err());
        assert!(check_output_dir(&root, &root.join("dist")).is_ok());
        assert!(check_output_dir(&root, &root.join("dist/../content")).is_err());
    }
}
