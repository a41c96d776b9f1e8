//! Watching: builds once, then rebuilds whenever `config.toml`, `content/`,
//! `static/` or the theme folder changes, through the same cached pipeline
//! as `build`. A rebuild that fails keeps the last good output and waits for
//! the next change. This module never prints: it hands each outcome to the
//! caller.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

use notify::event::{CreateKind, EventKind, MetadataKind, ModifyKind, RemoveKind};
use notify::{RecursiveMode, Watcher};
use notify_debouncer_full::{DebounceEventResult, Debouncer, FileIdCache};

use crate::base::diagnostics::Diagnostic;
use crate::base::layout::{
    CONFIG_FILE, CONTENT_DIR, DEFAULT_OUTPUT, LOCK_FILE, STATIC_DIR, THEMES_DIR,
};
use crate::build::Cache;
use crate::build::{self, Built, Options};

/// How long to wait for a burst of events (an editor's save) to settle.
const DEBOUNCE: Duration = Duration::from_millis(25);
/// How often `--poll` looks at the files. Polling compares contents too:
/// notify's poller sees modification times only to the second.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// A message to the watch loop.
pub enum Message {
    /// File-system events, debounced.
    Events(DebounceEventResult),
    /// Stop watching (Ctrl-C).
    Stop,
}

/// What happened, for the caller to show.
pub enum Report<'a> {
    /// A build or rebuild succeeded. `change` is empty for the first build.
    Built {
        change: &'a Change,
        built: &'a Built,
        elapsed: Duration,
    },
    /// A build or rebuild found problems; the output was left as it was.
    Failed {
        change: &'a Change,
        problems: &'a [Diagnostic],
    },
    /// The output folder could not be written.
    OutputError { message: String },
    /// The watcher itself reported a problem.
    WatchError { message: String },
}

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot watch the site: {0}")]
    Notify(#[from] notify::Error),
}

/// The files a batch of events touched that matter to the site, relative
/// to the site root, sorted and without repeats.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Change {
    pub paths: Vec<PathBuf>,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// `content/a.md changed`, `3 files changed`.
    pub fn describe(&self) -> String {
        match self.paths.as_slice() {
            [] => "nothing changed".to_string(),
            [one] => format!("{} changed", one.display()),
            [a, b] => format!("{} and {} changed", a.display(), b.display()),
            many => format!("{} files changed", many.len()),
        }
    }
}

/// Decides which paths of a batch of events matter. Pure, so every way an
/// editor saves can be tested without a file system:
///
/// - events inside the output folder (our own writes) are ignored;
/// - hidden files and folders, editor backups and swap files (`.x.swp`,
///   `x~`, `#x#`, `4913`) are ignored, but a rename *to* a real file counts,
///   so a save through a temporary file is seen;
/// - `config.toml`, Markdown files and folders under `content/`, anything
///   under `static/` and under `themes/<theme>/` count;
/// - reads and permission, owner and access-time changes are ignored (a new
///   modification time is not: polling reports writes that way).
pub fn classify(events: &[notify::Event], root: &Path, output: &Path, theme: &str) -> Change {
    let mut paths: Vec<PathBuf> = Vec::new();
    for event in events {
        let ignored = matches!(
            event.kind,
            EventKind::Access(_)
                | EventKind::Modify(ModifyKind::Metadata(
                    MetadataKind::AccessTime
                        | MetadataKind::Permissions
                        | MetadataKind::Ownership
                        | MetadataKind::Extended
                ))
        );
        if ignored {
            continue;
        }
        // Events that say they are about a file (not a folder).
        let file = matches!(
            event.kind,
            EventKind::Create(CreateKind::File)
                | EventKind::Remove(RemoveKind::File)
                | EventKind::Modify(ModifyKind::Data(_))
        );
        for path in &event.paths {
            if path.starts_with(output) {
                continue;
            }
            if let Ok(rel) = path.strip_prefix(root) {
                if matters(rel, theme, file) {
                    paths.push(rel.to_path_buf());
                }
            }
        }
    }
    paths.sort();
    paths.dedup();
    Change { paths }
}

/// Whether a change to `rel` (a file, if `file`; else a file or a folder)
/// can change the site. Hidden files and folders never do (the build skips
/// them too); under `content/` only Markdown files and folders do, so an
/// editor's temporary and backup files (`4913`, `x.md~`, `x.swp`) are
/// ignored there; anything under `static/` and the theme's folder does.
fn matters(rel: &Path, theme: &str, file: bool) -> bool {
    let parts: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    if parts.iter().any(|p| p.starts_with('.')) {
        return false;
    }
    match parts.as_slice() {
        [CONFIG_FILE] | [LOCK_FILE] => true,
        // A Markdown file, or (unless the event is about a file) a folder:
        // a document renamed or removed.
        [CONTENT_DIR, .., last] => last.ends_with(".md") || !file && !last.contains('.'),
        [CONTENT_DIR] | [STATIC_DIR, ..] | [THEMES_DIR] => true,
        [THEMES_DIR, name, ..] => *name == theme,
        _ => false,
    }
}

/// Builds the site, then rebuilds it on every relevant change until a
/// `Message::Stop` arrives. `sender` is given to the watcher; `receiver`
/// gets its events and the stop message.
pub fn run(
    options: &Options,
    poll: bool,
    sender: Sender<Message>,
    receiver: &Receiver<Message>,
    report: &mut dyn FnMut(Report<'_>),
) -> Result<(), WatchError> {
    let handler = move |result: DebounceEventResult| {
        // The loop may have ended; then nobody needs the event.
        let _ = sender.send(Message::Events(result));
    };
    if poll {
        let config = notify::Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true);
        let debouncer = notify_debouncer_full::new_debouncer_opt::<_, notify::PollWatcher, _>(
            DEBOUNCE,
            None,
            handler,
            notify_debouncer_full::NoCache,
            config,
        )?;
        watch_loop(debouncer, options, receiver, report)
    } else {
        let debouncer = notify_debouncer_full::new_debouncer(DEBOUNCE, None, handler)?;
        watch_loop(debouncer, options, receiver, report)
    }
}

/// The folders being watched, and the identity of each, so a folder that is
/// deleted and made again is watched again.
struct Watched {
    root: PathBuf,
    folders: Vec<(PathBuf, Option<crate::base::files::Stamp>)>,
}

impl Watched {
    /// Watches each source folder that exists now (again if it was
    /// replaced): `content/`, `static/` and the theme's folder with all they
    /// hold, and `themes/` itself, so a theme folder made later is seen.
    fn refresh<T: Watcher, C: FileIdCache>(
        &mut self,
        debouncer: &mut Debouncer<T, C>,
        theme: &str,
    ) -> Vec<String> {
        let mut problems = Vec::new();
        let wanted = [
            (self.root.join(CONTENT_DIR), RecursiveMode::Recursive),
            (self.root.join(STATIC_DIR), RecursiveMode::Recursive),
            (self.root.join(THEMES_DIR), RecursiveMode::NonRecursive),
            (
                self.root.join(THEMES_DIR).join(theme),
                RecursiveMode::Recursive,
            ),
        ];
        for (folder, mode) in wanted {
            let stamp = crate::base::files::Stamp::of(&folder).ok();
            let known = self
                .folders
                .iter()
                .find(|(f, _)| *f == folder)
                .map(|(_, s)| *s);
            if stamp.is_none() || known == Some(stamp) {
                continue;
            }
            let _ = debouncer.unwatch(&folder);
            match debouncer.watch(&folder, mode) {
                Ok(()) => {
                    self.folders.retain(|(f, _)| *f != folder);
                    self.folders.push((folder, stamp));
                }
                Err(e) => problems.push(format!("cannot watch {}: {e}", folder.display())),
            }
        }
        problems
    }
}

fn watch_loop<T: Watcher, C: FileIdCache>(
    mut debouncer: Debouncer<T, C>,
    options: &Options,
    receiver: &Receiver<Message>,
    report: &mut dyn FnMut(Report<'_>),
) -> Result<(), WatchError> {
    // One spelling of every path, so the files the watcher reports are the
    // files the cache holds (`./content/x.md` and `/site/content/x.md` are not).
    let root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    let options = &Options {
        root: root.clone(),
        ..options.clone()
    };
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    let mut watched = Watched {
        root: root.clone(),
        folders: Vec::new(),
    };
    let mut cache = Cache::default();
    // Watch first, then build: a change made while building is then seen.
    let mut theme = "default".to_string();
    refresh_and_rebuild(
        &mut debouncer,
        &mut watched,
        &mut theme,
        options,
        &mut cache,
        &Change::default(),
        report,
    );

    while let Ok(message) = receiver.recv() {
        let mut batches = vec![message];
        // Everything already waiting: a stop wins over pending rebuilds, and
        // several batches make one rebuild.
        batches.extend(receiver.try_iter());
        if batches.iter().any(|m| matches!(m, Message::Stop)) {
            break;
        }
        let mut raw: Vec<notify::Event> = Vec::new();
        for batch in batches {
            match batch {
                Message::Events(Ok(events)) => raw.extend(events.into_iter().map(|e| e.event)),
                Message::Events(Err(errors)) => {
                    for e in errors {
                        report(Report::WatchError {
                            message: e.to_string(),
                        });
                    }
                }
                Message::Stop => {}
            }
        }
        let output = output_folder(options, &root, &cache);
        let change = classify(&raw, &root, &output, &theme);
        if change.is_empty() {
            continue;
        }
        for path in &change.paths {
            cache.files.forget(&root.join(path));
        }
        cache.changed_since_last_build(&change.paths);
        refresh_and_rebuild(
            &mut debouncer,
            &mut watched,
            &mut theme,
            options,
            &mut cache,
            &change,
            report,
        );
    }
    debouncer.stop();
    Ok(())
}

/// Watches the source folders that exist now, then rebuilds; if the build
/// switched the theme, watches the new theme's folder too. (That build has
/// read the new theme's files already.)
fn refresh_and_rebuild<T: Watcher, C: FileIdCache>(
    debouncer: &mut Debouncer<T, C>,
    watched: &mut Watched,
    theme: &mut String,
    options: &Options,
    cache: &mut Cache,
    change: &Change,
    report: &mut dyn FnMut(Report<'_>),
) {
    for message in watched.refresh(debouncer, theme) {
        report(Report::WatchError { message });
    }
    let built_with = rebuild(options, cache, change, report);
    if built_with != *theme {
        *theme = built_with;
        for message in watched.refresh(debouncer, theme) {
            report(Report::WatchError { message });
        }
    }
}

/// Where the output goes (to ignore our own writes), resolved like the root.
fn output_folder(options: &Options, root: &Path, cache: &Cache) -> PathBuf {
    let configured = cache
        .output_dir()
        .map(|dir| root.join(dir))
        .unwrap_or_else(|| root.join(DEFAULT_OUTPUT));
    let dir = options.output.clone().unwrap_or(configured);
    std::fs::canonicalize(&dir).unwrap_or(dir)
}

/// One build through the cache; reports it and returns the theme name to watch.
fn rebuild(
    options: &Options,
    cache: &mut Cache,
    change: &Change,
    report: &mut dyn FnMut(Report<'_>),
) -> String {
    let started = Instant::now();
    match build::build_with(options, cache) {
        Ok(built) => report(Report::Built {
            change,
            built: &built,
            elapsed: started.elapsed(),
        }),
        Err(build::Error::Invalid(problems)) => report(Report::Failed {
            change,
            problems: &problems,
        }),
        Err(build::Error::Output(e)) => report(Report::OutputError {
            message: e.to_string(),
        }),
    }
    cache.theme().unwrap_or("default").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, RemoveKind, RenameMode};

    const ROOT: &str = "/site";

    fn event(kind: EventKind, paths: &[&str]) -> notify::Event {
        let mut e = notify::Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(ROOT).join(p));
        }
        e
    }

    fn changed(events: &[notify::Event]) -> Vec<String> {
        classify(events, Path::new(ROOT), Path::new("/site/dist"), "default")
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    }

    fn write(path: &str) -> notify::Event {
        event(
            EventKind::Modify(ModifyKind::Data(DataChange::Content)),
            &[path],
        )
    }

    #[test]
    fn plain_writes_and_new_files() {
        assert_eq!(
            changed(&[write("content/privacy/1.en.md")]),
            ["content/privacy/1.en.md"]
        );
        assert_eq!(
            changed(&[event(
                EventKind::Create(CreateKind::File),
                &["content/privacy/1.zh.md"]
            )]),
            ["content/privacy/1.zh.md"]
        );
        assert_eq!(changed(&[write("config.toml")]), ["config.toml"]);
        assert_eq!(changed(&[write("static/logo.svg")]), ["static/logo.svg"]);
        assert_eq!(
            changed(&[write("themes/default/templates/base.html")]),
            ["themes/default/templates/base.html"]
        );
    }

    #[test]
    fn saves_through_a_temporary_file_count_once() {
        // vim: write 4913, write `.x.swp`, write `x~`, rename the new file over.
        let events = [
            event(EventKind::Create(CreateKind::File), &["content/p/4913"]),
            write("content/p/.1.en.md.swp"),
            write("content/p/1.en.md~"),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["content/p/.1.en.md.tmp", "content/p/1.en.md"],
            ),
            write("content/p/1.en.md"),
        ];
        assert_eq!(changed(&events), ["content/p/1.en.md"]);
    }

    #[test]
    fn deletes_and_folder_renames() {
        assert_eq!(
            changed(&[event(
                EventKind::Remove(RemoveKind::File),
                &["content/p/1.en.md"]
            )]),
            ["content/p/1.en.md"]
        );
        let rename = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["content/privacy", "content/privacy-policy"],
        );
        assert_eq!(
            changed(&[rename]),
            ["content/privacy", "content/privacy-policy"]
        );
    }

    #[test]
    fn ignores_output_other_themes_reads_and_metadata() {
        let ignored = [
            write("dist/index.html"),
            write("themes/other/templates/base.html"),
            write("README.md"),
            write("target/debug/clause"),
            write("content/p/notes.txt"),
            write(".git/index"),
            write("content/p/#1.en.md#"),
            event(
                EventKind::Access(notify::event::AccessKind::Any),
                &["content/p/1.en.md"],
            ),
            event(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions)),
                &["content/p/1.en.md"],
            ),
            event(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
                &["content/p/1.en.md"],
            ),
        ];
        assert!(changed(&ignored).is_empty());
        // The poller reports a write as a new modification time.
        let polled = event(
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)),
            &["content/p/1.en.md"],
        );
        assert_eq!(changed(&[polled]), ["content/p/1.en.md"]);
    }

    #[test]
    fn describes_changes() {
        let one = Change {
            paths: vec![PathBuf::from("content/a.md")],
        };
        assert_eq!(one.describe(), "content/a.md changed");
        let many = Change {
            paths: vec![PathBuf::from("a"), PathBuf::from("b"), PathBuf::from("c")],
        };
        assert_eq!(many.describe(), "3 files changed");
    }
}
