//! What one build keeps for the next, so that `clause watch` redoes only the
//! work an edit calls for: file contents by file stamp, parsed sources and
//! rendered bodies by the hash of their text, compiled templates by the hash
//! of the theme, rendered pages by the hash of everything their template
//! sees, and what is on disk. A full build is the same pipeline with an
//! empty cache, so both give the same bytes.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::content::SourceCache;
use crate::diff::Redline;
use crate::markdown::Rendered;
use crate::output::DiskState;
use crate::templates::Templates;

/// State carried from one build to the next. `Cache::default()` is empty.
#[derive(Default)]
pub struct Cache {
    pub files: FileCache,
    /// The config text the derived entries below were made with.
    pub(crate) config_text: Option<String>,
    pub(crate) sources: SourceCache,
    /// Rendered Markdown bodies by the hash of (text, render options).
    pub(crate) bodies: BodyCache,
    /// Redlines by the hash of (both versions' files, language, options).
    pub(crate) redlines: HashMap<u64, Arc<Redline>>,
    /// Compiled templates, with the hash of the theme's template sources.
    pub(crate) templates: Option<(u64, Arc<Templates>)>,
    /// Rendered pages by output path: (hash of the inputs, bytes).
    pub(crate) pages: HashMap<String, (u64, Arc<Vec<u8>>)>,
    /// What the last write left in the output folder.
    pub(crate) disk: DiskState,
    /// From the last config read: the output folder and the theme.
    pub(crate) site_folders: Option<(PathBuf, String)>,
}

impl Cache {
    /// The configured output folder, as of the last build.
    pub fn output_dir(&self) -> Option<&Path> {
        self.site_folders.as_ref().map(|(dir, _)| dir.as_path())
    }

    /// The configured theme, as of the last build.
    pub fn theme(&self) -> Option<&str> {
        self.site_folders.as_ref().map(|(_, theme)| theme.as_str())
    }

    /// Drops everything derived from the configuration (on a config change).
    pub(crate) fn reset_derived(&mut self, config_text: &str) {
        if self.config_text.as_deref() != Some(config_text) {
            self.sources.clear();
            self.bodies.clear();
            self.redlines.clear();
            self.pages.clear();
            self.config_text = Some(config_text.to_string());
        }
    }
}

/// Rendered Markdown bodies by the hash of (text, render options).
pub type BodyCache = HashMap<u64, Arc<Rendered>>;

/// When a file last changed, as far as the file system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// Inode and change time on Unix: a rename-over or a write that restores
    /// the old modification time still shows.
    identity: (u64, i64, i64),
}

impl Stamp {
    pub fn of(path: &Path) -> io::Result<Stamp> {
        let meta = std::fs::symlink_metadata(path).and_then(|m| {
            // Follow a symlinked file, as reading it does.
            if m.is_symlink() {
                std::fs::metadata(path)
            } else {
                Ok(m)
            }
        })?;
        #[cfg(unix)]
        let identity = {
            use std::os::unix::fs::MetadataExt;
            (meta.ino(), meta.ctime(), meta.ctime_nsec())
        };
        #[cfg(not(unix))]
        let identity = (0, 0, 0);
        Ok(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            identity,
        })
    }
}

/// File contents, read again only when a file's stamp changes or a watcher
/// says the file changed. Safe to share between threads.
#[derive(Default)]
pub struct FileCache {
    entries: Mutex<FileEntries>,
}

/// Path -> (stamp when read, bytes, whether read since the last sweep).
type FileEntries = HashMap<PathBuf, (Stamp, Arc<Vec<u8>>, bool)>;

impl FileCache {
    /// The bytes of `path`, from the cache if the file is unchanged.
    pub fn read(&self, path: &Path) -> io::Result<Arc<Vec<u8>>> {
        let stamp = Stamp::of(path)?;
        if let Some((cached, bytes, used)) = self.lock().get_mut(path) {
            if *cached == stamp {
                *used = true;
                return Ok(Arc::clone(bytes));
            }
        }
        let bytes = Arc::new(std::fs::read(path)?);
        // Keep the entry only if the file did not change while it was read.
        if Stamp::of(path).is_ok_and(|after| after == stamp) {
            self.lock()
                .insert(path.to_path_buf(), (stamp, Arc::clone(&bytes), true));
        }
        Ok(bytes)
    }

    /// Forgets `path` and everything below it, so the next read goes to disk.
    pub fn forget(&self, path: &Path) {
        self.lock().retain(|p, _| !p.starts_with(path));
    }

    /// Drops the files not read since the last sweep (deleted, renamed or
    /// no longer part of the site), so the cache does not grow forever.
    pub fn sweep(&self) {
        self.lock()
            .retain(|_, (_, _, used)| std::mem::replace(used, false));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FileEntries> {
        // A panic while holding the lock leaves the map usable: it holds no invariant.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A 64-bit hash of anything hashable, the same in every run.
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Hashes what is written to it, to fingerprint a serialized value without
/// keeping the serialization.
#[derive(Default)]
pub struct HashWriter(DefaultHasher);

impl HashWriter {
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_again_only_after_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let cache = FileCache::default();
        let first = cache.read(&path).unwrap();
        let again = cache.read(&path).unwrap();
        assert!(Arc::ptr_eq(&first, &again));

        // Same length, same content size: the stamp (inode, change time) still differs.
        let tmp = dir.path().join("tmp");
        std::fs::write(&tmp, "two").unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        assert_eq!(cache.read(&path).unwrap().as_slice(), b"two");

        // Files not read between two sweeps are dropped.
        cache.sweep();
        cache.sweep();
        assert!(cache.lock().is_empty());

        let before = cache.read(&path).unwrap();
        cache.forget(dir.path());
        let after = cache.read(&path).unwrap();
        assert!(!Arc::ptr_eq(&before, &after));
        assert_eq!(*after, *before);
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint("abc"), fingerprint("abc"));
        assert_ne!(fingerprint("abc"), fingerprint("abd"));
        let mut w = HashWriter::default();
        io::Write::write_all(&mut w, b"abc").unwrap();
        let mut v = HashWriter::default();
        io::Write::write_all(&mut v, b"abc").unwrap();
        assert_eq!(w.finish(), v.finish());
    }
}
