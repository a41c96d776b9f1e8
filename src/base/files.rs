//! The base of caching: file contents kept by file stamp (`FileCache`), the
//! stamp itself, and stable hashes. What a build keeps for the next one is
//! `site::Cache`, built on these.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// When a file last changed, as far as the file system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
/// says the file changed. Safe to share between threads. A one-shot build
/// keeps nothing (`FileCache::one_shot`), so it never holds every file.
pub struct FileCache {
    entries: Mutex<FileEntries>,
    retain: bool,
}

impl Default for FileCache {
    fn default() -> Self {
        Self {
            entries: Mutex::default(),
            retain: true,
        }
    }
}

/// Path -> (stamp when read, bytes, whether read since the last sweep).
type FileEntries = rustc_hash::FxHashMap<PathBuf, (Stamp, Arc<Vec<u8>>, bool)>;

impl FileCache {
    /// A cache that reads every time and keeps nothing.
    pub fn one_shot() -> Self {
        Self {
            entries: Mutex::default(),
            retain: false,
        }
    }

    /// The bytes of `path`, from the cache if the file is unchanged.
    pub fn read(&self, path: &Path) -> io::Result<Arc<Vec<u8>>> {
        self.read_stamped(path).map(|(bytes, _)| bytes)
    }

    /// The bytes of `path` and the file's stamp when they were read.
    pub fn read_stamped(&self, path: &Path) -> io::Result<(Arc<Vec<u8>>, Stamp)> {
        let mut stamp = Stamp::of(path)?;
        if let Some((cached, bytes, used)) = self.lock().get_mut(path) {
            if *cached == stamp {
                *used = true;
                return Ok((Arc::clone(bytes), stamp));
            }
        }
        // A file written while it is read is read again (a few times at most).
        for _ in 0..3 {
            let bytes = Arc::new(std::fs::read(path)?);
            let after = Stamp::of(path)?;
            if after == stamp {
                if self.retain {
                    self.lock()
                        .insert(path.to_path_buf(), (stamp, Arc::clone(&bytes), true));
                }
                return Ok((bytes, stamp));
            }
            stamp = after;
        }
        Err(io::Error::other("the file keeps changing while it is read"))
    }

    /// Whether this cache keeps what it reads (for `clause watch`).
    pub fn retains(&self) -> bool {
        self.retain
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
    }
}
