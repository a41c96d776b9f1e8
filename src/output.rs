//! Output writing: puts an in-memory site on disk, touching only what changed.
//! Each changed file is written to a temporary file and renamed into place,
//! unchanged files keep their modification time, and files the site no
//! longer has are deleted.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::cache::Stamp;
use crate::config::CONFIG_FILE;
use crate::content::CONTENT_DIR;

/// Output path (relative, `/`-separated) -> bytes.
pub type Files = BTreeMap<String, Arc<Vec<u8>>>;

/// What the last write left in an output folder: for each file, the bytes
/// written and the file's stamp afterwards. With it, a rebuild knows a file
/// is unchanged without reading it back.
#[derive(Debug, Default)]
pub struct DiskState {
    root: PathBuf,
    files: HashMap<String, (Arc<Vec<u8>>, Stamp)>,
}

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
    #[error("refusing to write to {path}: {why}")]
    Refused { path: PathBuf, why: &'static str },
    #[error("output path `{0}` would leave the output folder")]
    UnsafePath(String),
    #[error("the output cannot hold both `{0}` and `{1}`")]
    Conflict(String, String),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// The file that marks a folder as clause's output. clause deletes files
/// only in a folder that has it (or was empty), so a mistyped `--output`
/// cannot wipe an unrelated folder.
pub const MARKER: &str = ".clause-output";
const MARKER_TEXT: &str = "This folder is written by clause. Each build deletes the files here that the site no longer has.\n";

/// Resolves the output folder and refuses one that would overwrite or mix
/// with the sources: the site root, a folder containing it or any of its
/// sources (`content/`, `static/`, `themes/`, `config.toml`, through
/// symlinks too), a folder inside the sources, a folder that holds a site,
/// or a non-empty folder clause did not write. Returns the resolved path,
/// which is the one to write to.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<PathBuf, OutputError> {
    let refuse = |why| {
        Err(OutputError::Refused {
            path: output.to_path_buf(),
            why,
        })
    };
    let root = resolve(root);
    let out = resolve(output);
    if out == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site root");
    }
    for source in [CONTENT_DIR, "static", "themes", CONFIG_FILE] {
        let source = resolve(&root.join(source));
        if source.starts_with(&out) {
            return refuse("it contains the site's sources");
        }
        if out.starts_with(&source) {
            return refuse("it is inside the site's sources");
        }
    }
    if out.join(CONTENT_DIR).exists() || out.join(CONFIG_FILE).exists() {
        return refuse("it holds a content/ folder or a config.toml, so it looks like a site");
    }
    if out.is_dir() && !out.join(MARKER).exists() {
        let empty = fs::read_dir(&out).is_ok_and(|mut d| d.next().is_none());
        if !empty {
            return refuse(
                "it is not empty and clause did not write it (there is no .clause-output file)",
            );
        }
    }
    Ok(out)
}

/// Puts back the marker of an output folder this process wrote, if someone
/// deleted it meanwhile (otherwise the next write would be refused).
pub fn restore_marker(disk: &DiskState) {
    let marker = disk.root.join(MARKER);
    if !disk.files.is_empty() && disk.root.is_dir() && !marker.exists() {
        let _ = fs::write(marker, MARKER_TEXT);
    }
}

/// The real location of `path`: the longest existing ancestor with every
/// symlink and `..` resolved by the file system, then the rest (which does
/// not exist, so cannot hold a symlink) normalized.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let resolved = loop {
        if let Ok(real) = fs::canonicalize(existing) {
            break real;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => break existing.to_path_buf(),
        }
    };
    let mut out = resolved;
    for component in rest.into_iter().rev() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Paths the output cannot hold together: one file standing where another
/// needs a folder (`a` and `a/b`), or two names that differ only in case
/// (the same file on macOS and Windows). Returns (path, conflicting path).
pub fn conflicts(files: &Files) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut by_folded: BTreeMap<String, &str> = BTreeMap::new();
    for path in files.keys() {
        let mut end = 0;
        for part in path.split('/') {
            end += part.len();
            let prefix = &path[..end];
            let is_folder = end < path.len();
            if is_folder && files.contains_key(prefix) {
                found.push((prefix.to_string(), path.clone()));
            }
            let folded = prefix.to_lowercase();
            match by_folded.get(&folded) {
                Some(other) if *other != prefix => {
                    found.push((other.to_string(), prefix.to_string()))
                }
                Some(_) => {}
                None => {
                    by_folded.insert(folded, prefix);
                }
            }
            end += 1;
        }
    }
    found.sort();
    found.dedup();
    found
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
/// removes files and folders the site no longer has. `disk` is what the
/// previous write left (empty for a fresh build) and is updated.
pub fn write(
    output: &Path,
    files: &Files,
    disk: &mut DiskState,
) -> Result<WriteReport, OutputError> {
    if disk.root != output {
        disk.root = output.to_path_buf();
        disk.files.clear();
    }
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Io { path, source }
    };
    // Validate every path before touching the disk. (`conflicts` is the
    // caller's check: `site::check` reports them as diagnostics.)
    let targets: Vec<(PathBuf, &String, &Arc<Vec<u8>>)> = files
        .iter()
        .map(|(rel, bytes)| safe_join(output, rel).map(|p| (p, rel, bytes)))
        .collect::<Result<_, _>>()?;

    fs::create_dir_all(output).map_err(io_err(output))?;
    let marker = output.join(MARKER);
    if !marker.exists() {
        fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
    }

    // Which files are already right: the same bytes as last written with the
    // file untouched since (no read), or the same bytes on disk.
    let unchanged: Vec<Option<Stamp>> = targets
        .par_iter()
        .map(|(path, rel, bytes)| {
            if let Some((last, stamp)) = disk.files.get(rel.as_str()) {
                if Arc::ptr_eq(last, bytes) && Stamp::of(path).is_ok_and(|now| now == *stamp) {
                    return Some(*stamp);
                }
            }
            // Only a regular file can be kept; a symlink is replaced, never followed.
            let is_file = fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
            if is_file && fs::read(path).is_ok_and(|old| old == ***bytes) {
                return Stamp::of(path).ok();
            }
            None
        })
        .collect();

    // Folders for the files to write, first and on one thread, so the
    // parallel writes below never race to create one.
    let folders: BTreeSet<&Path> = targets
        .iter()
        .zip(&unchanged)
        .filter(|(_, kept)| kept.is_none())
        .filter_map(|((path, _, _), _)| path.parent())
        .collect();
    for folder in folders {
        make_dir(folder, output).map_err(io_err(folder))?;
    }
    let stamps: Vec<Option<Stamp>> = targets
        .par_iter()
        .zip(&unchanged)
        .map(|((path, _, bytes), kept)| {
            if kept.is_some() {
                return Ok(*kept);
            }
            if fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
                fs::remove_dir_all(path).map_err(io_err(path))?;
            }
            write_atomic(path, bytes).map_err(io_err(path))?;
            Ok(Stamp::of(path).ok())
        })
        .collect::<Result<_, OutputError>>()?;
    let written = unchanged.iter().filter(|kept| kept.is_none()).count();
    let mut report = WriteReport {
        written,
        unchanged: targets.len() - written,
        removed: 0,
    };
    let previous = std::mem::take(&mut disk.files);
    disk.files = targets
        .iter()
        .zip(&stamps)
        .filter_map(|((_, rel, bytes), stamp)| {
            Some(((*rel).clone(), (Arc::clone(bytes), (*stamp)?)))
        })
        .collect();

    // Remove what the new site does not have. After a build in this process,
    // that is what the last write wrote and this one does not (walking a
    // 10,000-folder output takes longer than the rest of a rebuild); after a
    // fresh start, whatever the folder holds. Hidden entries at the top
    // (`.git` of a deploy checkout, say) are not ours and are left alone.
    let stale: Vec<PathBuf> = if previous.is_empty() {
        let keep: HashSet<&Path> = targets.iter().map(|(p, _, _)| p.as_path()).collect();
        let mut stale = Vec::new();
        for entry in WalkDir::new(output).min_depth(1) {
            let entry = entry.map_err(|e| OutputError::Io {
                path: output.to_path_buf(),
                source: e.into(),
            })?;
            let path = entry.path();
            let top = path
                .strip_prefix(output)
                .ok()
                .and_then(|rel| rel.iter().next());
            if !top.is_some_and(is_foreign_hidden)
                && !entry.file_type().is_dir()
                && !keep.contains(path)
            {
                stale.push(path.to_path_buf());
            }
        }
        stale
    } else {
        previous
            .keys()
            .filter(|rel| !files.contains_key(*rel))
            .map(|rel| output.join(rel))
            .collect()
    };
    let mut emptied: BTreeSet<PathBuf> = BTreeSet::new();
    for path in stale {
        match fs::symlink_metadata(&path) {
            // Gone already, or now a folder of the new site (a file that became
            // a folder), or under a path that is now a file: nothing to remove.
            Err(_) => continue,
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => {}
        }
        if let Err(source) = fs::remove_file(&path) {
            // What is left is unknown now: the next write walks the folder.
            disk.files.clear();
            return Err(OutputError::Io { path, source });
        }
        report.removed += 1;
        // Its folders may now be empty.
        for folder in path.ancestors().skip(1).take_while(|f| *f != output) {
            emptied.insert(folder.to_path_buf());
        }
    }
    // Deepest first, only empty folders go.
    for dir in emptied.iter().rev() {
        if fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none()) {
            if let Err(source) = fs::remove_dir(dir) {
                disk.files.clear();
                return Err(OutputError::Io {
                    path: dir.clone(),
                    source,
                });
            }
        }
    }
    Ok(report)
}

/// A hidden name that is not one of our temporary files.
fn is_foreign_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') && !name.ends_with(".clause-tmp")
}

/// Creates `dir` and its parents below `output`, replacing any file or
/// symlink that stands where a folder must be (so no write can follow a
/// link out of the output folder).
fn make_dir(dir: &Path, output: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => fs::remove_file(dir)?,
        Err(_) => {}
    }
    if dir != output {
        if let Some(parent) = dir.parent() {
            make_dir(parent, output)?;
        }
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
        files.insert("index.html".into(), Arc::new(b"home".to_vec()));
        files.insert("a/index.html".into(), Arc::new(b"a".to_vec()));
        files.insert("b/c/index.html".into(), Arc::new(b"c".to_vec()));
        assert_eq!(
            write(&out, &files, &mut DiskState::default()).unwrap(),
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
        files.insert("a/index.html".into(), Arc::new(b"a2".to_vec()));
        assert_eq!(
            write(&out, &files, &mut DiskState::default()).unwrap(),
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
    fn a_known_disk_state_skips_reading_and_walking() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let mut disk = DiskState::default();
        let a = Arc::new(b"a".to_vec());
        let mut files = Files::new();
        files.insert("a/index.html".into(), Arc::clone(&a));
        files.insert("b/index.html".into(), Arc::new(b"b".to_vec()));
        write(&out, &files, &mut disk).unwrap();
        // The same Arc and an untouched file: unchanged without a read.
        files.remove("b/index.html");
        let report = write(&out, &files, &mut disk).unwrap();
        assert_eq!(
            report,
            WriteReport {
                written: 0,
                unchanged: 1,
                removed: 1
            }
        );
        assert!(!out.join("b").exists());
        // A file changed behind our back is noticed by its stamp and rewritten.
        fs::write(out.join("a/index.html"), "tampered").unwrap();
        let report = write(&out, &files, &mut disk).unwrap();
        assert_eq!(report.written, 1);
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"a");
    }

    #[test]
    fn a_known_state_survives_a_file_becoming_a_folder_and_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let mut disk = DiskState::default();
        let mut files = Files::new();
        files.insert("static/a".into(), Arc::new(b"file".to_vec()));
        files.insert("static/z.txt".into(), Arc::new(b"z".to_vec()));
        write(&out, &files, &mut disk).unwrap();
        let mut files = Files::new();
        files.insert("static/a/b.txt".into(), Arc::new(b"b".to_vec()));
        let report = write(&out, &files, &mut disk).unwrap();
        assert_eq!(report.removed, 1, "z.txt goes; `a` became a folder");
        assert!(!out.join("static/z.txt").exists());
        assert_eq!(fs::read(out.join("static/a/b.txt")).unwrap(), b"b");
        let mut files = Files::new();
        files.insert("static/a".into(), Arc::new(b"file again".to_vec()));
        write(&out, &files, &mut disk).unwrap();
        assert_eq!(fs::read(out.join("static/a")).unwrap(), b"file again");
    }

    #[test]
    fn a_file_can_become_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let mut files = Files::new();
        files.insert("x".into(), Arc::new(b"file".to_vec()));
        write(&out, &files, &mut DiskState::default()).unwrap();
        let mut files = Files::new();
        files.insert("x/index.html".into(), Arc::new(b"page".to_vec()));
        write(&out, &files, &mut DiskState::default()).unwrap();
        assert_eq!(fs::read(out.join("x/index.html")).unwrap(), b"page");
    }

    #[test]
    fn finds_file_folder_and_case_conflicts() {
        let files: Files = ["a/index.html", "a", "B/x", "b/y", "c/d"]
            .iter()
            .map(|p| (p.to_string(), Arc::new(Vec::new())))
            .collect();
        assert_eq!(
            conflicts(&files),
            [
                ("B".to_string(), "b".to_string()),
                ("a".to_string(), "a/index.html".to_string())
            ]
        );
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
