//! Writing a file so that readers see the old bytes or the new ones, never
//! a mix: the bytes go to a hidden temporary file beside the target, which
//! is then renamed over it. The output stage stages every page this way and
//! renames them all at the end; `clause lock` writes clause.lock at once.
//! There is no fsync: the output can always be rebuilt, and syncing each of
//! 10,000 pages made a fresh build several times slower.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How a temporary file's name ends, so that a later build knows it for its own.
pub const TEMP_SUFFIX: &str = ".clause-tmp";
/// The end of the name an old file is moved to while a build puts new
/// files in place, so that a failure can put it back.
pub const BACKUP_SUFFIX: &str = ".clause-old";

/// The temporary file beside `target`: `.name.clause-tmp`.
pub fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}{TEMP_SUFFIX}"))
}

/// Where the old `target` waits while its replacement goes in:
/// `.name.clause-old`.
pub fn backup_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}{BACKUP_SUFFIX}"))
}

/// Writes `bytes` to the temporary file beside `target` and returns its path;
/// on failure, removes what it wrote.
pub fn stage(target: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let temp = temp_path(target);
    fs::File::create(&temp)
        .and_then(|mut file| file.write_all(bytes))
        .map(|()| temp.clone())
        .inspect_err(|_| {
            let _ = fs::remove_file(&temp);
        })
}

/// Replaces `target` with `bytes` in one step.
pub fn atomic_write(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = stage(target, bytes)?;
    fs::rename(&temp, target).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("clause.lock");
        fs::write(&target, "old").unwrap();
        atomic_write(&target, b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["clause.lock"]);
        assert_eq!(
            temp_path(&target),
            dir.path().join(".clause.lock.clause-tmp")
        );
    }

    #[test]
    fn a_failed_write_leaves_the_target_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-folder").join("x");
        assert!(atomic_write(&target, b"new").is_err());
        assert!(!target.exists());
    }
}
