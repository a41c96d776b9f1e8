//! A test site in a temporary folder, and helpers to run `clause` on it and
//! read what it built (in the manner of mdBook's `BookTest`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use scraper::{Html, Selector};

pub struct TestSite {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success, stderr:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code, stderr:\n{}",
            self.stderr
        );
        self
    }

    /// The stderr lines that report problems (`path:line:col: error: ...`).
    pub fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .collect()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_symlink() && cfg!(unix) {
            // Symbolic links stay links, as git keeps them.
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), target).unwrap();
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl TestSite {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let site = Self::empty();
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        assert!(from.is_dir(), "no fixture {name}");
        copy_dir(&from, &site.root);
        site
    }

    /// A copy of `tests/corpora/<name>`, a real repository's site.
    pub fn corpus(name: &str) -> Self {
        let site = Self::empty();
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpora")
            .join(name);
        assert!(from.is_dir(), "no corpus {name}");
        copy_dir(&from, &site.root);
        site
    }

    /// An empty site folder.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        Self { _dir: dir, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path(rel)).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `clause` with the site as the current folder and no ambient as-of date.
    pub fn command(&self) -> Command {
        let mut cmd = Command::cargo_bin("clause").unwrap();
        cmd.current_dir(&self.root)
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1");
        cmd
    }

    pub fn run_with(&self, mut cmd: Command, args: &[&str]) -> Run {
        let out = cmd.args(args).output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(self.command(), args)
    }

    /// `clause build --as-of <date>`.
    pub fn build(&self, as_of: &str) -> Run {
        self.run(&["build", "--as-of", as_of])
    }

    /// The page at site URL `url` (`/zh/privacy/`) in `dist/`, parsed.
    /// The URL of every page in `dist/` (`/`, `/zh/privacy/`...).
    pub fn page_urls(&self) -> Vec<String> {
        self.tree("dist")
            .into_keys()
            .filter(|p| p.ends_with("index.html"))
            .map(|p| format!("/{}", p.trim_end_matches("index.html")))
            .collect()
    }

    pub fn page(&self, url: &str) -> Page {
        let rel = format!("dist{url}index.html");
        Page(Html::parse_document(&self.read(&rel)))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Every file under `dir` (relative to the site root), with its bytes.
    pub fn tree(&self, dir: &str) -> BTreeMap<String, Vec<u8>> {
        let base = self.path(dir);
        let mut files = BTreeMap::new();
        if base.exists() {
            walk(&base, &base, &mut files);
        }
        files
    }
}

/// Files may vanish while a watcher rewrites the folder: those are skipped
/// (the caller compares again).
fn walk(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.map_while(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            walk(base, &path, files);
        } else if let Ok(bytes) = std::fs::read(&path) {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, bytes);
        }
    }
}

/// How long to wait for a long-running command to do something. Generous,
/// since CI machines are slow; waits end as soon as the thing happens.
pub const BOUND: Duration = Duration::from_secs(60);

/// A long-running `clause` (watch, serve) whose stderr is read line by line.
pub struct Running {
    child: Child,
    lines: Receiver<String>,
    pub seen: Vec<String>,
}

impl Running {
    /// Starts `clause ARGS` in the site folder and waits for a stderr line
    /// containing `ready`.
    pub fn start(site: &TestSite, args: &[&str], ready: &str) -> Running {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clause"))
            .args(args)
            .current_dir(&site.root)
            .env_remove("SOURCE_DATE_EPOCH")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut running = Running {
            child,
            lines,
            seen: Vec::new(),
        };
        running.wait_for_line(|l| l.contains(ready));
        running
    }

    /// Waits for a stderr line that satisfies `wanted`; returns it.
    #[track_caller]
    pub fn wait_for_line(&mut self, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + BOUND;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if wanted(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no such line within {BOUND:?}; stderr so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Stops it with SIGINT (Ctrl-C) and returns the exit code.
    #[cfg(unix)]
    pub fn interrupt(mut self) -> Option<i32> {
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: sends a signal to our own child process; no memory is shared.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
        let deadline = Instant::now() + BOUND;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("clause did not stop after SIGINT");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// A parsed page with CSS-selector helpers.
pub struct Page(pub Html);

impl Page {
    fn select(selector: &str) -> Selector {
        Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"))
    }

    /// Text of every element matching `selector`, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        self.0
            .select(&Self::select(selector))
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// Text of the one element matching `selector`.
    #[track_caller]
    pub fn text(&self, selector: &str) -> String {
        let texts = self.texts(selector);
        assert_eq!(texts.len(), 1, "expected one `{selector}`, found {texts:?}");
        texts.into_iter().next().unwrap()
    }

    /// Attribute `attr` of every element matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        self.0
            .select(&Self::select(selector))
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    #[track_caller]
    pub fn attr(&self, selector: &str, attr: &str) -> String {
        let values = self.attrs(selector, attr);
        assert_eq!(
            values.len(),
            1,
            "expected one `{selector}[{attr}]`, found {values:?}"
        );
        values.into_iter().next().unwrap()
    }

    /// The tag names of the elements matching `selector`, in document order.
    pub fn tags(&self, selector: &str) -> Vec<String> {
        self.0
            .select(&Self::select(selector))
            .map(|e| e.value().name().to_string())
            .collect()
    }

    pub fn count(&self, selector: &str) -> usize {
        self.0.select(&Self::select(selector)).count()
    }

    /// The version a document page says it shows.
    #[track_caller]
    pub fn version_shown(&self) -> String {
        self.text(".meta-version dd")
    }

    /// The serialized `<main>` element, for snapshots.
    pub fn main_html(&self) -> String {
        self.0
            .select(&Self::select("main"))
            .next()
            .expect("page has a <main>")
            .html()
    }
}

/// Where the default theme's stylesheet is published under its hashed name
/// (`static/style.<first 10 hex digits of its SHA-256>.css`).
pub fn hashed_style() -> String {
    let css = include_bytes!("../../themes/default/static/style.css");
    format!(
        "static/style.{}.css",
        &clause::base::hash::sha256(css)[..10]
    )
}
