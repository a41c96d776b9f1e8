//! Problems found in a site, as values: every step collects them and the
//! orchestrator reports them all at once (`path:line:column: error: message`).

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file, with the position a lawyer needs to find it and
/// a hint that says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path relative to the site root (or a label such as `(built-in) ...`).
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
    /// The kind of problem, stable across releases (`link/anchor`; see
    /// `codes`); empty only until the stage that found it sets it.
    pub code: &'static str,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, pos: Position, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line: pos.line,
            column: pos.column,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
            code: "",
        }
    }

    pub fn warning(path: impl Into<PathBuf>, pos: Position, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, pos, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    /// Adds a hint only when there is one.
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The path (with `/`), message and hint as every output form shows
    /// them: control characters escaped, long texts cut.
    pub fn shown_parts(&self) -> (String, String, Option<String>) {
        let mut path = self.path.to_string_lossy().into_owned();
        if cfg!(windows) {
            path = path.replace('\\', "/");
        }
        (
            escaped(&path, true, MAX_PATH),
            escaped(&self.message, false, MAX_MESSAGE),
            self.hint.as_deref().map(|h| escaped(h, false, MAX_MESSAGE)),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Forward slashes on every platform, so messages and snapshots
        // agree (elsewhere a backslash is part of a name).
        let (path, message, hint) = self.shown_parts();
        write!(f, "{path}:{}:{}: {kind}: {message}", self.line, self.column)?;
        if let Some(hint) = hint {
            write!(f, " (help: {hint})")?;
        }
        Ok(())
    }
}

/// How much of a message or a hint is shown, in characters: a message
/// echoing a huge value (a 10 MB line of a damaged file) stays readable.
const MAX_MESSAGE: usize = 2_000;
const MAX_PATH: usize = 500;
/// How much of a value from a file a message quotes (`shown`).
const MAX_VALUE: usize = 80;

/// A value from a file as a message quotes it: control characters (and
/// the invisible bidirectional overrides) escaped (`\u{1b}`), so a file
/// cannot retitle or clear the terminal that shows the message, or make it
/// read otherwise than it is, and cut with `…` after 80 characters.
pub fn shown(value: &str) -> String {
    escaped(value, true, MAX_VALUE)
}

/// `text` with control characters escaped (line breaks kept unless
/// `all`), cut with `…` after `max` characters.
fn escaped(text: &str, all: bool, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(4 * max));
    for (n, c) in text.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if (c.is_control() && (all || c != '\n')) || bidi {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Self {
        Self { line, column }
    }
}

/// Turns byte offsets into line and column, as mdBook's summary parser does:
/// remember where each line starts, then binary-search.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// Every `CHECKPOINT` bytes or so (at a character boundary): the byte
    /// offset and how many characters come before it, so that a column on
    /// a very long line is counted from the nearest checkpoint, not from
    /// the line's start (32,000 links on one line would be quadratic).
    /// Made the first time a column that far into a line is asked for.
    checkpoints: std::sync::OnceLock<Vec<(usize, usize)>>,
}

const CHECKPOINT: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Self {
            line_starts,
            checkpoints: std::sync::OnceLock::new(),
        }
    }

    fn checkpoints(&self, text: &str) -> &[(usize, usize)] {
        self.checkpoints.get_or_init(|| {
            let mut checkpoints = vec![(0, 0)];
            let (mut at, mut chars) = (0, 0);
            while text.len() - at > CHECKPOINT {
                let mut next = at + CHECKPOINT;
                while !text.is_char_boundary(next) {
                    next += 1;
                }
                chars += text[at..next].chars().count();
                checkpoints.push((next, chars));
                at = next;
            }
            checkpoints
        })
    }

    /// How many characters of `text` come before byte `offset` (a
    /// character boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let checkpoints = self.checkpoints(text);
        let k = checkpoints.partition_point(|&(at, _)| at <= offset) - 1;
        let (at, chars) = checkpoints[k];
        chars + text[at..offset].chars().count()
    }

    /// The position of byte `offset` in `text` (the text this index was built from).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(exact) => exact,
            Err(next) => next - 1,
        };
        let start = self.line_starts[line];
        let column = match text.get(start..offset) {
            // Near the line's start (nearly always): count from there.
            Some(before) if before.len() <= 2 * CHECKPOINT => before.chars().count(),
            Some(_) => self.chars_before(text, offset) - self.chars_before(text, start),
            None => offset - start,
        } + 1;
        Position::new(line + 1, column)
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Jaro-Winkler catches typos; containment catches a part of the name
    // (`retention` for `data-retention`).
    let contains =
        |c: &str| word.len() >= 3 && c.len() >= 3 && (c.contains(word) || word.contains(c));
    candidates
        .into_iter()
        .map(|c| {
            let score = strsim::jaro_winkler(word, c);
            (if contains(c) { score.max(0.9) } else { score }, c)
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The hint for an unknown key: the closest known key, else the list of known keys.
pub fn unknown_key_hint(word: &str, known: &[&str]) -> String {
    match did_you_mean(word, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("known keys are {}", quoted_list(known)),
    }
}

/// `a`, `b` and `c`.
pub fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Sorts diagnostics (errors first within a file, by position) and drops
/// exact repeats, so a template error hit by 500 pages is reported once.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
    diagnostics.dedup();
}

/// A path relative to `root` for messages; the path itself if it is not under `root`.
pub fn relative_to(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\n中文x\n\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position::new(1, 1));
        assert_eq!(index.position(text, 1), Position::new(1, 2));
        assert_eq!(index.position(text, 3), Position::new(2, 1));
        // 'x' follows two 3-byte characters.
        assert_eq!(index.position(text, 9), Position::new(2, 3));
        assert_eq!(index.position(text, 11), Position::new(3, 1));
        assert_eq!(index.position(text, text.len()), Position::new(4, 5));
    }

    #[test]
    fn messages_never_carry_terminal_controls_or_huge_values() {
        let hostile = "\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{202e}txt.exe";
        let d = Diagnostic::error(
            "content/a\u{1b}b.md",
            Position::START,
            format!("`draft` must be true, not `{hostile}`\nsecond line"),
        )
        .with_hint(hostile);
        let text = d.to_string();
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
        assert!(text.contains("\\u{1b}]0;PWNED\\u{7}"), "{text}");
        assert!(text.contains("\\u{202e}"), "{text}");
        assert!(
            text.starts_with("content/a\\u{1b}b.md:1:1: error:"),
            "{text}"
        );
        assert_eq!(text.matches('\n').count(), 1, "{text}");
        let huge = "x".repeat(10_000_000);
        let d = Diagnostic::error("clause.lock", Position::START, format!("`{huge}` is bad"));
        assert!(d.to_string().chars().count() < 2_100);
        assert!(d.to_string().ends_with('…'));
        assert_eq!(shown(&"é".repeat(100)).chars().count(), 81);
        assert_eq!(shown("a\nb\tc"), "a\\u{a}b\\u{9}c");
    }

    #[test]
    fn columns_on_long_lines_count_characters() {
        let text = format!("x\n{}é{}\nz", "中".repeat(5000), "a".repeat(9000));
        let index = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = Position::new(
                text[..offset].matches('\n').count() + 1,
                text[line_start..offset].chars().count() + 1,
            );
            assert_eq!(index.position(&text, offset), expected, "{offset}");
        }
    }

    #[test]
    fn suggests_close_keys_only() {
        let known = ["title", "effective_date", "version", "language"];
        assert_eq!(
            did_you_mean("efective_date", known.iter().copied()),
            Some("effective_date")
        );
        assert_eq!(
            did_you_mean("lang", known.iter().copied()),
            Some("language")
        );
        assert_eq!(did_you_mean("zzz", known.iter().copied()), None);
        assert_eq!(
            did_you_mean("retention", ["data-we-collect", "data-retention"]),
            Some("data-retention")
        );
        assert_eq!(
            unknown_key_hint("zzz", &["a", "b", "c"]),
            "known keys are `a`, `b` and `c`"
        );
    }

    #[test]
    fn displays_one_line_with_hint() {
        let d = Diagnostic::error("content/a/x.md", Position::new(3, 1), "bad key")
            .with_hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "content/a/x.md:3:1: error: bad key (help: did you mean `title`?)"
        );
    }
}
