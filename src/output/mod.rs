//! Output writing: puts a site on disk, touching only what changed, and only
//! once the whole build has succeeded. Each file is staged as soon as it is
//! rendered: written to a temporary file beside its target, unless the
//! target already holds those bytes. When the build is done, the staged
//! files are renamed into place and the files the site no longer has are
//! deleted; a build that fails removes what it staged and the folders it
//! created, so the output stays as it was. Nothing holds the whole site in
//! memory, and unchanged files keep their modification time.
//!
//! May import `base`, `i18n`, `load`, `model` and `render`.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::hash::BuildHasher;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::base::files::{Stamp, fingerprint};
use crate::base::layout::{CONFIG_FILE, CONTENT_DIR, STATIC_DIR, THEMES_DIR};
use crate::base::write;

/// What the last build left in an output folder: for each file, a hash of
/// the bytes written and the file's stamp afterwards. With it, a rebuild
/// knows a file is unchanged without reading it back.
#[derive(Debug, Default)]
pub struct DiskState {
    root: PathBuf,
    files: rustc_hash::FxHashMap<String, (u64, Stamp)>,
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
    /// The new site is in place; a file it no longer has could not go.
    #[error(
        "the site was written, but {path}, which it no longer has, cannot be removed: {source}"
    )]
    Stale { path: PathBuf, source: io::Error },
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
    for source in [CONTENT_DIR, STATIC_DIR, THEMES_DIR, CONFIG_FILE] {
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
pub fn conflicts<'a>(files: impl Iterator<Item = &'a String> + Clone) -> Vec<(String, String)> {
    let all: std::collections::HashSet<&str> = files.clone().map(String::as_str).collect();
    let mut found = Vec::new();
    let mut by_folded: HashMap<String, &str> = HashMap::new();
    for path in files {
        let mut end = 0;
        for part in path.split('/') {
            end += part.len();
            let prefix = &path[..end];
            let is_folder = end < path.len();
            if is_folder && all.contains(prefix) {
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

/// The output as rendering sees it: the staging `Sink` and what the
/// previous build in this process wrote.
pub struct Target<'a> {
    pub sink: &'a Sink,
    pub disk: &'a DiskState,
}

impl crate::render::Sink for Target<'_> {
    type Error = OutputError;

    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.sink.put(path, bytes, self.disk)
    }

    fn keep(&self, path: &str) {
        self.sink.keep(path, self.disk);
    }

    fn keep_all<'p>(&self, paths: impl Iterator<Item = &'p str>) {
        self.sink.keep_all(paths, self.disk);
    }
}

/// Where a build puts its files. `Sink::check()` writes nothing and only
/// notes the paths (so `clause check` finds the same conflicts as a build);
/// `Sink::stage` writes as described in the module documentation. Safe to
/// share between the threads that render.
pub struct Sink {
    /// The resolved output folder; none when checking.
    output: Option<PathBuf>,
    /// Hash what is written, so the next build in this process knows it.
    remember: bool,
    state: Mutex<Staged>,
    /// Folders inside the output known to be real folders (no symlink), and
    /// whether this build created them (so nothing in them can be stale or
    /// already right).
    folders: Mutex<rustc_hash::FxHashMap<PathBuf, bool>>,
    /// The output held nothing of a site when the build started.
    was_empty: bool,
    /// For an offline copy: the site's base path, which every link into
    /// the site in an HTML file is rewritten from (`render::offline`).
    offline: Option<String>,
    /// Tests make the Nth write or the Nth rename fail, as a full disk would.
    #[cfg(test)]
    faults: Faults,
}

#[cfg(test)]
#[derive(Default)]
struct Faults {
    stage_at: Option<usize>,
    rename_at: Option<usize>,
    stages: std::sync::atomic::AtomicUsize,
    renames: std::sync::atomic::AtomicUsize,
}

#[cfg(test)]
impl Faults {
    fn hit(at: Option<usize>, count: &std::sync::atomic::AtomicUsize) -> std::io::Result<()> {
        let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if at == Some(n) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "No space left on device (injected)",
            ));
        }
        Ok(())
    }
}

#[derive(Default)]
struct Staged {
    /// Every file of the site, by output path.
    files: rustc_hash::FxHashMap<String, Staging>,
    /// Folders this build created, in the order it created them.
    created: Vec<PathBuf>,
    /// Paths given twice.
    duplicates: Vec<String>,
    /// Set once committed or aborted.
    done: bool,
}

/// What happens to one file of the site.
enum Staging {
    /// Already on disk with the right bytes (with its stamp when known).
    Unchanged { hash: u64, stamp: Option<Stamp> },
    /// Written to a temporary file, to be renamed over `target`.
    Staged {
        hash: u64,
        target: PathBuf,
        temp: PathBuf,
    },
    /// A file or symlink stands where one of its folders must be, so it can
    /// only be written when the build commits; held until then.
    Deferred { hash: u64, bytes: Vec<u8> },
    /// Noted only (a check).
    Noted,
}

impl Sink {
    /// A sink for `clause check`: nothing is written.
    pub fn check() -> Self {
        Self {
            output: None,
            remember: false,
            state: Mutex::default(),
            folders: Mutex::default(),
            was_empty: false,
            offline: None,
            #[cfg(test)]
            faults: Faults::default(),
        }
    }

    /// A sink that stages files in `output` (resolved by `check_output_dir`).
    /// With `remember`, what is written is hashed for the next build.
    pub fn stage(output: PathBuf, remember: bool) -> Self {
        let was_empty = fs::read_dir(&output).map_or(true, |entries| {
            entries
                .filter_map(Result::ok)
                .all(|e| e.file_name() == MARKER)
        });
        Self {
            output: Some(output),
            remember,
            state: Mutex::default(),
            folders: Mutex::default(),
            was_empty,
            offline: None,
            #[cfg(test)]
            faults: Faults::default(),
        }
    }

    /// Makes the HTML files an offline copy: links into the site (which
    /// starts at `base_path`) relative, ending in `index.html`.
    pub fn offline(mut self, base_path: &str) -> Self {
        self.offline = Some(base_path.to_string());
        self
    }

    /// Makes room for as many files as the last build wrote (`disk`), so
    /// that noting them does not grow the table again and again.
    pub fn reserve(&self, disk: &DiskState) {
        self.lock().files.reserve(disk.files.len());
    }

    /// Puts `bytes` at output path `rel` (relative, `/`-separated). `disk`
    /// says what the previous build in this process wrote.
    pub fn put(&self, rel: &str, bytes: &[u8], disk: &DiskState) -> Result<(), OutputError> {
        self.put_hashed(rel, bytes, None, disk)
    }

    /// `put`, with the hash remembered for the file given (`put_keyed`'s
    /// key) or else made from the bytes.
    fn put_hashed(
        &self,
        rel: &str,
        bytes: &[u8],
        hash: Option<u64>,
        disk: &DiskState,
    ) -> Result<(), OutputError> {
        let relative;
        // (Checked for UTF-8 only when it is to be rewritten.)
        let offline_html = match &self.offline {
            Some(base_path) if rel.ends_with(".html") => std::str::from_utf8(bytes)
                .ok()
                .map(|html| (html, base_path)),
            _ => None,
        };
        let bytes = match offline_html {
            Some((html, base_path)) => {
                relative = crate::render::offline::relativize(html, rel, base_path);
                relative.as_bytes()
            }
            None => bytes,
        };
        let Some(output) = &self.output else {
            self.record(rel, Staging::Noted);
            return Ok(());
        };
        let target = safe_join(output, rel)?;
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| OutputError::Io { path, source }
        };
        let hash = match hash {
            Some(key) => key,
            None if self.remember => fingerprint(bytes),
            None => 0,
        };
        let parent = target.parent().unwrap_or(output);
        let Some(new_folder) = self.folder(parent, output).map_err(io_err(parent))? else {
            self.record(
                rel,
                Staging::Deferred {
                    hash,
                    bytes: bytes.to_vec(),
                },
            );
            return Ok(());
        };
        // Already right: the same bytes as the last build wrote, the file
        // untouched since (no read), or the same bytes on disk. Only a
        // regular file can be kept; a symlink is replaced, never followed.
        // Nothing is there yet in a folder this build made.
        let known = !new_folder
            && disk.root == *output
            && disk.files.get(rel).is_some_and(|&(last, stamp)| {
                self.remember && last == hash && Stamp::of(&target).is_ok_and(|now| now == stamp)
            });
        // A file the last build in this process wrote with other bytes (by
        // their hash) is not read back to be compared.
        let written_otherwise =
            self.remember && disk.root == *output && disk.files.contains_key(rel) && !known;
        let same = known
            || !new_folder
                && !written_otherwise
                && fs::symlink_metadata(&target).is_ok_and(|m| {
                    m.is_file()
                        && m.len() == bytes.len() as u64
                        && fs::read(&target).is_ok_and(|old| old == bytes)
                });
        if same {
            let stamp = Stamp::of(&target).ok();
            self.record(rel, Staging::Unchanged { hash, stamp });
            return Ok(());
        }
        #[cfg(test)]
        Faults::hit(self.faults.stage_at, &self.faults.stages).map_err(|source| {
            OutputError::Io {
                path: target.clone(),
                source,
            }
        })?;
        let temp = write::stage(&target, bytes).map_err(|source| OutputError::Io {
            path: target.clone(),
            source,
        })?;
        self.record(rel, Staging::Staged { hash, target, temp });
        Ok(())
    }

    /// Puts the bytes `make` gives at `rel`, where `key` changes whenever
    /// they may: when the last build in this process wrote `rel` with the
    /// same key, and the file is untouched since, the bytes are not even
    /// made (a 30 MB sitemap after an edit that changed no date).
    pub fn put_keyed(
        &self,
        rel: &str,
        key: u64,
        make: impl FnOnce() -> Vec<u8>,
        disk: &DiskState,
    ) -> Result<(), OutputError> {
        let kept = self.remember
            && self.output.as_ref().is_some_and(|output| {
                disk.root == *output
                    && disk.files.get(rel).is_some_and(|&(last, stamp)| {
                        last == key
                            && safe_join(output, rel).is_ok_and(|target| {
                                Stamp::of(&target).is_ok_and(|now| now == stamp)
                            })
                    })
            });
        if kept {
            self.keep(rel, disk);
            return Ok(());
        }
        self.put_hashed(rel, &make(), Some(key), disk)
    }

    /// Notes that `rel` stays as the last build in this process wrote it
    /// (its inputs did not change), without its bytes.
    pub fn keep(&self, rel: &str, disk: &DiskState) {
        self.keep_all(std::iter::once(rel), disk);
    }

    /// `keep` for many paths at once.
    pub fn keep_all<'p>(&self, rels: impl Iterator<Item = &'p str>, disk: &DiskState) {
        let staging = |rel: &str| {
            if self.output.is_none() {
                return Staging::Noted;
            }
            match disk.files.get(rel) {
                Some(&(hash, stamp)) => Staging::Unchanged {
                    hash,
                    stamp: Some(stamp),
                },
                None => Staging::Unchanged {
                    hash: 0,
                    stamp: None,
                },
            }
        };
        let mut state = self.lock();
        for rel in rels {
            if let Some(before) = state.files.insert(rel.to_string(), staging(rel)) {
                if let Staging::Staged { temp, .. } = before {
                    let _ = fs::remove_file(temp);
                }
                state.duplicates.push(rel.to_string());
            }
        }
    }

    fn record(&self, rel: &str, staging: Staging) {
        let mut state = self.lock();
        if let Some(before) = state.files.insert(rel.to_string(), staging) {
            // Not expected (every output path is made once); the staged
            // file of the first is not lost track of.
            if let Staging::Staged { temp, .. } = before {
                let _ = fs::remove_file(temp);
            }
            state.duplicates.push(rel.to_string());
        }
    }

    /// How many files the site has, so far, and a hash of their paths.
    pub fn paths_key(&self) -> (usize, u64) {
        let state = self.lock();
        // In any order: a sum of the paths' own hashes.
        let sum = state.files.keys().fold(0u64, |sum, path| {
            sum.wrapping_add(rustc_hash::FxBuildHasher.hash_one(path.as_str()))
        });
        (state.files.len(), sum)
    }

    /// Paths the output cannot hold together (see `conflicts`).
    pub fn conflicts(&self) -> Vec<(String, String)> {
        let state = self.lock();
        // In order, so that the same files always give the same messages.
        let mut paths: Vec<&String> = state.files.keys().collect();
        paths.sort_unstable();
        conflicts(paths.into_iter())
    }

    /// Paths that were given more than once.
    pub fn duplicates(&self) -> Vec<String> {
        self.lock().duplicates.clone()
    }

    /// Whether `dir` (inside `output`, or `output` itself) is a real folder,
    /// creating it and its parents when missing: `Some(created)`, where
    /// `created` says whether this build made it (or the output started
    /// empty); `None` when a file or a symlink stands in the way.
    fn folder(&self, dir: &Path, output: &Path) -> io::Result<Option<bool>> {
        if let Some(&new) = self.known_folders().get(dir) {
            return Ok(Some(new));
        }
        let mut new = dir == output && self.was_empty;
        if dir != output && dir.starts_with(output) {
            let parent = dir.parent().unwrap_or(output);
            match self.folder(parent, output)? {
                None => return Ok(None),
                Some(parent_new) => new |= parent_new,
            }
        }
        let real = match fs::symlink_metadata(dir) {
            Ok(meta) => meta.is_dir(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let created = if dir == output {
                    // The output's own parents may be missing too.
                    let mut missing: Vec<PathBuf> = dir
                        .ancestors()
                        .take_while(|a| !a.exists())
                        .map(Path::to_path_buf)
                        .collect();
                    missing.reverse();
                    fs::create_dir_all(dir)?;
                    missing
                } else {
                    match fs::create_dir(dir) {
                        Ok(()) => vec![dir.to_path_buf()],
                        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Vec::new(),
                        Err(e) => return Err(e),
                    }
                };
                new |= !created.is_empty();
                self.lock().created.extend(created);
                fs::symlink_metadata(dir)?.is_dir()
            }
            Err(e) => return Err(e),
        };
        if !real {
            return Ok(None);
        }
        self.known_folders().insert(dir.to_path_buf(), new);
        Ok(Some(new))
    }

    /// Puts every staged file in place and deletes what the site no longer
    /// has; `disk` (what the previous build left) is brought up to date.
    pub fn commit(self, disk: &mut DiskState) -> Result<WriteReport, OutputError> {
        let Some(output) = self.output.clone() else {
            self.lock().done = true;
            return Ok(WriteReport::default());
        };
        let files = std::mem::take(&mut self.lock().files);
        self.lock().done = true;
        let result = self.put_in_place(&output, &files, disk);
        if result.is_err() {
            for staging in files.values() {
                if let Staging::Staged { temp, .. } = staging {
                    let _ = fs::remove_file(temp);
                }
            }
            remove_created(std::mem::take(&mut self.lock().created));
        }
        result
    }

    fn put_in_place(
        &self,
        output: &Path,
        files: &rustc_hash::FxHashMap<String, Staging>,
        disk: &mut DiskState,
    ) -> Result<WriteReport, OutputError> {
        let output = output.to_path_buf();
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| OutputError::Io { path, source }
        };
        if disk.root != output {
            disk.root = output.clone();
            disk.files.clear();
        }
        fs::create_dir_all(&output).map_err(io_err(&output))?;
        let marker = output.join(MARKER);
        if !marker.exists() {
            fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
        }
        // Files held back because something stood where their folder must
        // be: that is moved aside (and put back if the build fails), their
        // folders made, and they are staged to be placed with the others.
        let mut deferred = Deferred::default();
        let prepared = files.iter().try_for_each(|(rel, staging)| {
            let Staging::Deferred { bytes, .. } = staging else {
                return Ok(());
            };
            let target = safe_join(&output, rel)?;
            if let Some(folder) = target.parent() {
                deferred.make_dir(folder, &output).map_err(io_err(folder))?;
            }
            let temp = write::stage(&target, bytes).map_err(io_err(&target))?;
            deferred.staged.push((target, temp));
            Ok(())
        });
        if let Err(e) = prepared {
            deferred.undo();
            return Err(e);
        }
        let staged: Vec<(&PathBuf, &PathBuf)> = files
            .values()
            .filter_map(|s| match s {
                Staging::Staged { target, temp, .. } => Some((target, temp)),
                _ => None,
            })
            .chain(deferred.staged.iter().map(|(target, temp)| (target, temp)))
            .collect();
        // Each old file (or a folder where a file must be now) is moved
        // aside before its replacement goes in, so that if any rename
        // fails every one done is undone and the output is as it was.
        let placed: Vec<Result<Placed, OutputError>> = staged
            .par_iter()
            .map(|&(target, temp)| self.place(target, temp))
            .collect();
        let mut done = Vec::with_capacity(placed.len());
        let mut failure = None;
        for result in placed {
            match result {
                Ok(placed) => done.push(placed),
                Err(e) => failure = failure.or(Some(e)),
            }
        }
        if let Some(e) = failure {
            done.par_iter().for_each(Placed::undo);
            deferred.undo();
            return Err(e);
        }
        deferred.finish();
        done.par_iter().for_each(Placed::finish);
        let written = files
            .values()
            .filter(|s| matches!(s, Staging::Staged { .. } | Staging::Deferred { .. }))
            .count();
        let mut report = WriteReport {
            written,
            unchanged: files.len() - written,
            removed: 0,
        };

        // What was written last time and is no longer part of the site.
        let gone: Vec<String> = disk
            .files
            .keys()
            .filter(|rel| !files.contains_key(*rel))
            .cloned()
            .collect();
        let known_before = !disk.files.is_empty();
        for rel in &gone {
            disk.files.remove(rel);
        }
        if self.remember {
            // Brought up to date in place: most files are kept as they were.
            let changed: Vec<(String, (u64, Stamp))> = files
                .par_iter()
                .filter_map(|(rel, staging)| {
                    let (hash, stamp) = match staging {
                        Staging::Unchanged { hash, stamp } => (*hash, (*stamp)?),
                        Staging::Staged { hash, target, .. } => (*hash, Stamp::of(target).ok()?),
                        Staging::Deferred { hash, .. } => {
                            (*hash, Stamp::of(&output.join(rel)).ok()?)
                        }
                        Staging::Noted => return None,
                    };
                    (disk.files.get(rel) != Some(&(hash, stamp)))
                        .then(|| (rel.clone(), (hash, stamp)))
                })
                .collect();
            disk.files.extend(changed);
        } else {
            disk.files.clear();
        }

        // Remove what the new site does not have. After a build in this
        // process, that is what the last build had and this one does not
        // (walking a 10,000-folder output takes longer than the rest of a
        // rebuild); after a fresh start, whatever the folder holds. Hidden
        // entries at the top (`.git` of a deploy checkout, say) are not ours
        // and are left alone.
        let stale: Vec<PathBuf> = if self.was_empty {
            Vec::new()
        } else if !known_before {
            let mut stale = Vec::new();
            for entry in WalkDir::new(&output).min_depth(1) {
                let entry = entry.map_err(|e| OutputError::Stale {
                    path: output.clone(),
                    source: e.into(),
                })?;
                let path = entry.path();
                let rel = path.strip_prefix(&output).ok();
                let top = rel.and_then(|rel| rel.iter().next());
                let ours = rel
                    .and_then(Path::to_str)
                    .is_some_and(|rel| files.contains_key(&rel.replace('\\', "/")));
                if !top.is_some_and(is_foreign_hidden) && !entry.file_type().is_dir() && !ours {
                    stale.push(path.to_path_buf());
                }
            }
            stale
        } else {
            gone.iter().map(|rel| output.join(rel)).collect()
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
                // What is left is unknown now: the next build walks the folder.
                disk.files.clear();
                return Err(OutputError::Stale { path, source });
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
                    return Err(OutputError::Stale {
                        path: dir.clone(),
                        source,
                    });
                }
            }
        }
        Ok(report)
    }

    /// Renames the staged `temp` over `target`, the old `target` moved
    /// aside first.
    fn place(&self, target: &Path, temp: &Path) -> Result<Placed, OutputError> {
        let fail = |source| OutputError::Io {
            path: target.to_path_buf(),
            source,
        };
        let backup = match fs::symlink_metadata(target) {
            Ok(meta) => {
                let backup = write::backup_path(target);
                if fs::symlink_metadata(&backup).is_ok_and(|m| m.is_dir()) {
                    fs::remove_dir_all(&backup).map_err(fail)?;
                }
                fs::rename(target, &backup).map_err(fail)?;
                Some((backup, meta.is_dir()))
            }
            Err(_) => None,
        };
        let placed = Placed {
            target: target.to_path_buf(),
            temp: temp.to_path_buf(),
            backup,
        };
        #[cfg(test)]
        if let Err(source) = Faults::hit(self.faults.rename_at, &self.faults.renames) {
            placed.restore_backup();
            return Err(fail(source));
        }
        if let Err(source) = fs::rename(temp, target) {
            placed.restore_backup();
            return Err(fail(source));
        }
        Ok(placed)
    }

    /// Removes every staged file and the folders this build created: the
    /// output is left as it was.
    pub fn abort(self) {
        self.discard();
    }

    fn discard(&self) {
        let (files, created) = {
            let mut state = self.lock();
            if state.done {
                return;
            }
            state.done = true;
            (
                std::mem::take(&mut state.files),
                std::mem::take(&mut state.created),
            )
        };
        files.par_iter().for_each(|(_, staging)| {
            if let Staging::Staged { temp, .. } = staging {
                let _ = fs::remove_file(temp);
            }
        });
        remove_created(created);
    }

    fn lock(&self) -> MutexGuard<'_, Staged> {
        // A panic while holding the lock leaves the state usable: each
        // change to it is a single insert or push.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn known_folders(&self) -> MutexGuard<'_, rustc_hash::FxHashMap<PathBuf, bool>> {
        self.folders.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Sink {
    /// A sink dropped before it commits (a panic, an early return) aborts.
    fn drop(&mut self) {
        self.discard();
    }
}

/// Removes the folders a failed build created (each empty again once its
/// staged files are gone).
fn remove_created(mut created: Vec<PathBuf>) {
    // Deepest first, so a folder's subfolders go before it (threads
    // record the folders they create in no particular order).
    created.sort_by_key(|dir| std::cmp::Reverse(dir.components().count()));
    for dir in &created {
        let _ = fs::remove_dir(dir);
    }
}

/// A staged file renamed into place, and where the file it replaced waits
/// (a folder, if a folder stood where the file goes).
struct Placed {
    target: PathBuf,
    temp: PathBuf,
    backup: Option<(PathBuf, bool)>,
}

impl Placed {
    /// Puts the new file back where it was staged and the old one back in
    /// place (the build failed).
    fn undo(&self) {
        let _ = fs::rename(&self.target, &self.temp);
        self.restore_backup();
    }

    fn restore_backup(&self) {
        if let Some((backup, _)) = &self.backup {
            let _ = fs::rename(backup, &self.target);
        }
    }

    /// The build is committed: the old file goes.
    fn finish(&self) {
        match &self.backup {
            Some((backup, true)) => {
                let _ = fs::remove_dir_all(backup);
            }
            Some((backup, false)) => {
                let _ = fs::remove_file(backup);
            }
            None => {}
        }
    }
}

/// A hidden name that is not one of our temporary files.
fn is_foreign_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        && !name.ends_with(write::TEMP_SUFFIX)
        && !name.ends_with(write::BACKUP_SUFFIX)
}

/// What placing the files held back by something in the way of their
/// folder did, to be undone if the build fails.
#[derive(Default)]
struct Deferred {
    /// Each file or symlink moved aside from where a folder must be, and
    /// where it waits.
    aside: Vec<(PathBuf, PathBuf)>,
    /// Folders made, in order.
    made: Vec<PathBuf>,
    /// The held-back files staged: (target, temporary file).
    staged: Vec<(PathBuf, PathBuf)>,
}

impl Deferred {
    /// Creates `dir` and its parents below `output`, moving aside any file
    /// or symlink that stands where a folder must be (so no write can
    /// follow a link out of the output folder).
    fn make_dir(&mut self, dir: &Path, output: &Path) -> io::Result<()> {
        match fs::symlink_metadata(dir) {
            Ok(meta) if meta.is_dir() => return Ok(()),
            Ok(_) => {
                let backup = write::backup_path(dir);
                if fs::symlink_metadata(&backup).is_ok_and(|m| m.is_dir()) {
                    fs::remove_dir_all(&backup)?;
                }
                fs::rename(dir, &backup)?;
                self.aside.push((dir.to_path_buf(), backup));
            }
            Err(_) => {}
        }
        if dir != output {
            if let Some(parent) = dir.parent() {
                self.make_dir(parent, output)?;
            }
        }
        fs::create_dir(dir)?;
        self.made.push(dir.to_path_buf());
        Ok(())
    }

    /// The build failed (after any placed file was put back where it was
    /// staged): the staged files and the folders made go, and what was
    /// moved aside comes back.
    fn undo(&self) {
        for (_, temp) in &self.staged {
            let _ = fs::remove_file(temp);
        }
        remove_created(self.made.clone());
        for (path, backup) in self.aside.iter().rev() {
            let _ = fs::rename(backup, path);
        }
    }

    /// The build is committed: what was moved aside goes.
    fn finish(&self) {
        for (_, backup) in &self.aside {
            let _ = fs::remove_file(backup);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use super::*;

    type Files = BTreeMap<String, Arc<Vec<u8>>>;

    /// Stages `files` in `out` and commits them.
    fn write(out: &Path, files: &Files, disk: &mut DiskState) -> Result<WriteReport, OutputError> {
        let sink = Sink::stage(out.to_path_buf(), true);
        for (rel, bytes) in files {
            sink.put(rel, bytes, disk)?;
        }
        sink.commit(disk)
    }

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
    fn a_failed_build_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let mut disk = DiskState::default();
        let mut files = Files::new();
        files.insert("a/index.html".into(), Arc::new(b"a".to_vec()));
        write(&out, &files, &mut disk).unwrap();
        let before = tree(&out);
        let sink = Sink::stage(out.clone(), true);
        sink.put("a/index.html", b"changed", &disk).unwrap();
        sink.put("new/deep/index.html", b"new", &disk).unwrap();
        assert!(out.join("new/deep").is_dir(), "staged beside its target");
        sink.abort();
        assert_eq!(tree(&out), before);
        // Dropped without a commit (a panic while rendering): the same.
        let sink = Sink::stage(out.clone(), true);
        sink.put("other/index.html", b"x", &disk).unwrap();
        drop(sink);
        assert_eq!(tree(&out), before);
        // A fresh output folder that never got committed is gone again.
        let fresh = dir.path().join("never/built");
        let sink = Sink::stage(fresh.clone(), false);
        sink.put("x/index.html", b"x", &DiskState::default())
            .unwrap();
        sink.abort();
        assert!(!dir.path().join("never").exists());
    }

    #[test]
    fn a_write_or_rename_that_fails_at_any_point_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let mut disk = DiskState::default();
        let mut files = Files::new();
        for i in 0..12 {
            files.insert(
                format!("p{i}/index.html"),
                Arc::new(format!("old {i}").into_bytes()),
            );
        }
        files.insert("gone/index.html".into(), Arc::new(b"gone".to_vec()));
        files.insert("becomes-file".into(), Arc::new(b"x".to_vec()));
        files.insert("becomes-folder".into(), Arc::new(b"old file".to_vec()));
        write(&out, &files, &mut disk).unwrap();
        fs::rename(out.join("becomes-file"), out.join("tmp")).unwrap();
        fs::create_dir_all(out.join("becomes-file")).unwrap();
        fs::rename(out.join("tmp"), out.join("becomes-file/index.html")).unwrap();
        let before = tree(&out);
        // The next build: every page changed, one new, one gone, a folder
        // that must become a file and a file that must become a folder (its
        // page held back until the commit).
        let next = |sink: &Sink| -> Result<(), OutputError> {
            for i in 0..12 {
                sink.put(
                    &format!("p{i}/index.html"),
                    format!("new {i}").as_bytes(),
                    &disk,
                )?;
            }
            sink.put("new/index.html", b"new", &disk)?;
            sink.put("becomes-folder/index.html", b"page", &disk)?;
            sink.put("becomes-file", b"file", &disk)
        };
        // 14 files are staged as they are put; 15 are renamed into place.
        let faults = (1..=14)
            .map(|n| (n, false))
            .chain((1..=15).map(|n| (n, true)));
        for (n, rename) in faults {
            {
                let mut sink = Sink::stage(out.clone(), false);
                if rename {
                    sink.faults.rename_at = Some(n);
                } else {
                    sink.faults.stage_at = Some(n);
                }
                let result = next(&sink);
                assert_eq!(result.is_err(), !rename, "n={n}");
                let mut disk_copy = DiskState::default();
                if result.is_ok() {
                    assert!(sink.commit(&mut disk_copy).is_err(), "n={n}");
                } else {
                    sink.abort();
                }
                assert_eq!(
                    tree(&out),
                    before,
                    "fault at {} {n}",
                    if rename { "rename" } else { "write" }
                );
            }
        }
        // Without a fault the same build goes through, and leaves no
        // temporary or old file behind.
        let sink = Sink::stage(out.clone(), false);
        next(&sink).unwrap();
        sink.commit(&mut DiskState::default()).unwrap();
        let after = tree(&out);
        let left: Vec<&String> = after
            .iter()
            .map(|(rel, _)| rel)
            .filter(|rel| rel.ends_with(".clause-tmp") || rel.ends_with(".clause-old"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        assert_eq!(fs::read(out.join("becomes-file")).unwrap(), b"file");
        assert_eq!(
            fs::read(out.join("becomes-folder/index.html")).unwrap(),
            b"page"
        );
        assert_eq!(fs::read(out.join("p3/index.html")).unwrap(), b"new 3");
        assert!(!out.join("gone").exists());
    }

    #[test]
    fn nothing_is_written_through_a_symlink_in_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let outside = dir.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, out.join("privacy")).unwrap();
        let mut files = Files::new();
        files.insert("privacy/index.html".into(), Arc::new(b"page".to_vec()));
        write(&out, &files, &mut DiskState::default()).unwrap();
        assert!(fs::read_dir(&outside).unwrap().next().is_none());
        assert!(fs::symlink_metadata(out.join("privacy")).unwrap().is_dir());
        assert_eq!(fs::read(out.join("privacy/index.html")).unwrap(), b"page");
    }

    /// Every file and folder under `root`, with the files' bytes.
    fn tree(root: &Path) -> Vec<(String, Option<Vec<u8>>)> {
        let mut out: Vec<(String, Option<Vec<u8>>)> = WalkDir::new(root)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(root).unwrap().display().to_string();
                let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
                (rel, bytes)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn finds_file_folder_and_case_conflicts() {
        let files: BTreeSet<String> = ["a/index.html", "a", "B/x", "b/y", "c/d"]
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            conflicts(files.iter()),
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
