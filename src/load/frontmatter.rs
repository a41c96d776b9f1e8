//! Front matter: splits a content file into its YAML header and Markdown body
//! and validates the header. This is the only module that calls the YAML crate.

use chrono::NaiveDate;

use crate::base::codes;
use crate::base::diagnostics::{LineIndex, Position, shown, unknown_key_hint};

/// Keys a content file's front matter may hold.
pub const KEYS: &[&str] = &[
    "title",
    "effective_date",
    "version",
    "language",
    "summary",
    "changes",
    "draft",
    "extra",
    "corrections",
];

/// The validated front matter of one content file.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub effective_date: NaiveDate,
    pub version: String,
    pub language: String,
    pub summary: Option<String>,
    pub changes: Option<String>,
    pub draft: bool,
    /// Free map for themes (`version.extra` in templates).
    pub extra: serde_json::Value,
    /// Corrections made to the text after it took effect, oldest first.
    pub corrections: Vec<Correction>,
    /// Where each key was written, for messages found later (duplicates, undeclared languages).
    pub key_positions: Vec<(String, Position)>,
}

impl FrontMatter {
    /// The position of `key` in the file, or the start of the file.
    pub fn position_of(&self, key: &str) -> Position {
        self.key_positions
            .iter()
            .find(|(k, _)| k == key)
            .map_or(Position::START, |(_, p)| *p)
    }
}

/// A correction to a version's text after it took effect: when, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub date: NaiveDate,
    pub note: String,
}

/// A problem in a file's front matter, before a path is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub position: Position,
    pub message: String,
    pub hint: Option<String>,
    /// The kind of problem (`crate::base::codes`).
    pub code: &'static str,
}

impl Problem {
    /// A value that cannot be used (`front-matter/value`), unless `code` says otherwise.
    fn new(
        position: Position,
        message: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) -> Self {
        Self {
            position,
            message: message.into(),
            hint: hint.into(),
            code: codes::FRONT_MATTER_VALUE,
        }
    }

    fn code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }
}

/// A file split into header and body.
#[derive(Debug)]
pub struct Parsed {
    pub front: FrontMatter,
    /// Byte offset of the Markdown body in the file text.
    pub body_start: usize,
}

/// Splits and validates `text`; on failure returns every problem found.
pub fn parse(text: &str) -> Result<Parsed, Vec<Problem>> {
    let lines = LineIndex::new(text);
    let (yaml_start, yaml_end, body_start) = split(text)?;
    let yaml = &text[yaml_start..yaml_end];
    let at = |offset_in_yaml: usize| lines.position(text, yaml_start + offset_in_yaml);

    let value: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(value) => value,
        Err(e) => return Err(vec![yaml_syntax_problem(&e, yaml, &at)]),
    };
    let mapping = match value {
        serde_yaml::Value::Mapping(m) => m,
        // An empty header parses as null.
        serde_yaml::Value::Null => serde_yaml::Mapping::new(),
        _ => {
            return Err(vec![
                Problem::new(
                    at(0),
                    "front matter must be a list of `key: value` lines",
                    Some(template_hint()),
                )
                .code(codes::FRONT_MATTER_SYNTAX),
            ]);
        }
    };

    let key_offsets = top_level_key_offsets(yaml);
    let key_positions: Vec<(String, Position)> = key_offsets
        .iter()
        .map(|(k, offset)| (k.clone(), at(*offset)))
        .collect();
    let position_of = |key: &str| {
        key_positions
            .iter()
            .find(|(k, _)| k == key)
            .map_or(at(0), |(_, p)| *p)
    };

    let mut problems = Vec::new();
    let mut fields = Fields::default();
    for (key, value) in &mapping {
        let Some(key) = key.as_str() else {
            let written = match key {
                serde_yaml::Value::Number(n) => n.to_string(),
                serde_yaml::Value::Bool(b) => b.to_string(),
                _ => String::new(),
            };
            problems.push(
                Problem::new(
                    position_of(&written),
                    format!("a front matter key must be a name, not {}", describe(key)),
                    Some("keys are words such as `title`".to_string()),
                )
                .code(codes::FRONT_MATTER_KEY),
            );
            continue;
        };
        let pos = position_of(key);
        // `!!binary` and the other core tags come back untagged; the text
        // as written still shows them.
        let raw_tagged =
            raw_value_of(yaml, key).is_some_and(|raw| raw.trim_start().starts_with('!'));
        if matches!(value, serde_yaml::Value::Tagged(_)) || raw_tagged {
            problems.push(Problem::new(
                pos,
                format!(
                    "`{}` has a YAML tag (`!...`), which front matter does not use",
                    shown(key)
                ),
                Some("remove the tag and write the value plainly".to_string()),
            ));
            continue;
        }
        if let Some(c) = control_character(value) {
            problems.push(Problem::new(
                pos,
                format!(
                    "`{}` holds the control character {}, which a page cannot show",
                    shown(key),
                    c.escape_unicode()
                ),
                Some("remove it: only tabs and line breaks may be in the text".to_string()),
            ));
            continue;
        }
        match fields.set(key, value, raw_value_of(yaml, key)) {
            Ok(()) => {}
            Err(FieldError::Unknown) => problems.push(
                Problem::new(
                    pos,
                    format!("unknown front matter key `{}`", shown(key)),
                    Some(unknown_key_hint(key, KEYS)),
                )
                .code(codes::FRONT_MATTER_KEY),
            ),
            Err(FieldError::Invalid(message, hint)) => {
                problems.push(Problem::new(pos, message, hint))
            }
        }
    }

    for required in ["title", "effective_date", "version", "language"] {
        if !mapping.contains_key(required) {
            problems.push(
                Problem::new(
                    at(0),
                    format!("front matter is missing `{required}`"),
                    Some(format!("add a line such as `{}`", example_line(required))),
                )
                .code(codes::FRONT_MATTER_MISSING),
            );
        }
    }

    match fields {
        Fields {
            title: Some(title),
            effective_date: Some(effective_date),
            version: Some(version),
            language: Some(language),
            summary,
            changes,
            draft,
            extra,
            corrections,
        } if problems.is_empty() => Ok(Parsed {
            front: FrontMatter {
                title,
                effective_date,
                version,
                language,
                summary,
                changes,
                draft: draft.unwrap_or(false),
                extra: extra.unwrap_or_else(|| serde_json::Value::Object(Default::default())),
                corrections: corrections.unwrap_or_default(),
                key_positions,
            },
            body_start,
        }),
        _ => Err(problems),
    }
}

/// Finds the header between `---` lines: returns (yaml start, yaml end, body start).
fn split(text: &str) -> Result<(usize, usize, usize), Vec<Problem>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    if text[start..first_line_end].trim_end() != "---" {
        return Err(vec![
            Problem::new(
                Position::START,
                "the file does not start with front matter",
                Some(format!(
                    "begin the file with a `---` line, then {}",
                    template_hint()
                )),
            )
            .code(codes::FRONT_MATTER_SYNTAX),
        ]);
    }
    let mut line_start = first_line_end;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i + 1);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return Ok((first_line_end, line_start, line_end));
        }
        line_start = line_end;
    }
    Err(vec![
        Problem::new(
            Position::START,
            "the front matter opened on this line is never closed",
            Some("end the front matter with a line that holds only `---`".to_string()),
        )
        .code(codes::FRONT_MATTER_SYNTAX),
    ])
}

fn yaml_syntax_problem(
    e: &serde_yaml::Error,
    yaml: &str,
    at: &dyn Fn(usize) -> Position,
) -> Problem {
    let first_line = at(0).line;
    let message = e.to_string();
    // A repeated key is reported at the mapping's start; point at the repeat instead.
    let repeated = message
        .strip_prefix("duplicate entry with key \"")
        .and_then(|rest| rest.split('"').next())
        .and_then(|key| {
            top_level_key_offsets(yaml)
                .into_iter()
                .filter(|(k, _)| k == key)
                .nth(1)
        });
    let (position, message) = match (repeated, e.location()) {
        (Some((key, offset)), _) => (at(offset), format!("the key `{key}` appears twice")),
        (None, Some(loc)) => {
            // The crate appends its own location, counted from the header's first line.
            let suffix = format!(" at line {} column {}", loc.line(), loc.column());
            let message = e.to_string().replacen(&suffix, "", 1);
            (at(loc.index().min(yaml.len())), message)
        }
        (None, None) => (at(0), e.to_string()),
    };
    Problem::new(
        position,
        format!(
            "invalid front matter (YAML): {}",
            to_file_lines(&message, first_line - 1)
        ),
        Some(
            "check the quoting and indentation of this line; values with `:` or `#` need quotes"
                .to_string(),
        ),
    )
    .code(codes::FRONT_MATTER_SYNTAX)
}

/// Rewrites `line N` in a YAML message so N counts from the top of the file.
fn to_file_lines(message: &str, lines_before: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        let (before, after) = rest.split_at(i + "line ".len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + lines_before).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

enum FieldError {
    Unknown,
    Invalid(String, Option<String>),
}

#[derive(Default)]
struct Fields {
    title: Option<String>,
    effective_date: Option<NaiveDate>,
    version: Option<String>,
    language: Option<String>,
    summary: Option<String>,
    changes: Option<String>,
    draft: Option<bool>,
    extra: Option<serde_json::Value>,
    corrections: Option<Vec<Correction>>,
}

impl Fields {
    fn set(
        &mut self,
        key: &str,
        value: &serde_yaml::Value,
        raw: Option<&str>,
    ) -> Result<(), FieldError> {
        match key {
            "title" => self.title = Some(non_empty_text(key, value)?),
            "summary" => self.summary = Some(non_empty_text(key, value)?),
            "changes" => self.changes = Some(non_empty_text(key, value)?),
            "language" => self.language = Some(non_empty_text(key, value)?),
            "version" => self.version = Some(version(value, raw)?),
            "effective_date" => self.effective_date = Some(date(value)?),
            "draft" => {
                self.draft = Some(value.as_bool().ok_or_else(|| {
                    FieldError::Invalid(
                        format!("`draft` must be `true` or `false`, not {}", describe(value)),
                        None,
                    )
                })?)
            }
            "extra" => {
                if !value.is_mapping() {
                    return Err(FieldError::Invalid(
                        format!(
                            "`extra` must be a map of `key: value` lines, not {}",
                            describe(value)
                        ),
                        Some("indent each entry under `extra:` by two spaces".to_string()),
                    ));
                }
                self.extra = Some(serde_json::to_value(value).map_err(|e| {
                    FieldError::Invalid(format!("`extra` cannot be used: {e}"), None)
                })?)
            }
            "corrections" => self.corrections = Some(corrections(value)?),
            _ => return Err(FieldError::Unknown),
        }
        Ok(())
    }
}

/// `corrections:` is a list of `{date, note}` entries.
fn corrections(value: &serde_yaml::Value) -> Result<Vec<Correction>, FieldError> {
    let hint = || {
        Some(
            "write each correction as `- date: 2026-06-01` with `note: what was corrected` on the next line, indented"
                .to_string(),
        )
    };
    let Some(items) = value.as_sequence() else {
        return Err(FieldError::Invalid(
            format!("`corrections` must be a list, not {}", describe(value)),
            hint(),
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let n = i + 1;
            let map = item.as_mapping().ok_or_else(|| {
                FieldError::Invalid(
                    format!("correction {n} must have a `date` and a `note`"),
                    hint(),
                )
            })?;
            if let Some(other) = map
                .keys()
                .filter_map(|k| k.as_str())
                .find(|k| !matches!(*k, "date" | "note"))
            {
                return Err(FieldError::Invalid(
                    format!("correction {n} has an unknown key `{other}`"),
                    Some(unknown_key_hint(other, &["date", "note"])),
                ));
            }
            let date = map
                .get("date")
                .and_then(|d| d.as_str())
                .and_then(|d| parse_date(d.trim()))
                .ok_or_else(|| {
                    FieldError::Invalid(
                        format!("correction {n} needs a `date` as YYYY-MM-DD"),
                        hint(),
                    )
                })?;
            let note = map
                .get("note")
                .and_then(|n| n.as_str())
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .ok_or_else(|| {
                    FieldError::Invalid(format!("correction {n} needs a `note`"), hint())
                })?;
            Ok(Correction {
                date,
                note: note.to_string(),
            })
        })
        .collect()
}

/// The first control character other than a tab or a line break in any
/// text of `value` (keys included): escapes such as `"\e"` or `"\0"` in
/// quoted YAML make them, and a page or a terminal would carry them.
fn control_character(value: &serde_yaml::Value) -> Option<char> {
    let in_text = |s: &str| {
        s.chars()
            .find(|c| c.is_control() && !matches!(c, '\t' | '\n'))
    };
    match value {
        serde_yaml::Value::String(s) => in_text(s),
        serde_yaml::Value::Sequence(items) => items.iter().find_map(control_character),
        serde_yaml::Value::Mapping(map) => map
            .iter()
            .find_map(|(k, v)| control_character(k).or_else(|| control_character(v))),
        serde_yaml::Value::Tagged(tagged) => control_character(&tagged.value),
        _ => None,
    }
}

fn non_empty_text(key: &str, value: &serde_yaml::Value) -> Result<String, FieldError> {
    match value.as_str() {
        Some(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Some(_) => Err(FieldError::Invalid(
            format!("`{}` is empty", shown(key)),
            None,
        )),
        None => Err(FieldError::Invalid(
            format!("`{}` must be text, not {}", shown(key), describe(value)),
            Some(format!("put the value in quotes: {key}: \"...\"")),
        )),
    }
}

/// The front matter block of a new version (`clause new`), written by the
/// YAML crate so that any title or summary is quoted as it must be.
pub fn new_version_header(
    title: &str,
    effective_date: NaiveDate,
    version: &str,
    language: &str,
    summary: Option<&str>,
    changes: &str,
    draft: bool,
) -> String {
    let mut map = serde_yaml::Mapping::new();
    let mut put = |key: &str, value: &str| {
        map.insert(key.into(), value.into());
    };
    put("title", title);
    put("effective_date", &effective_date.to_string());
    put("version", version);
    put("language", language);
    if let Some(summary) = summary {
        put("summary", summary);
    }
    put("changes", changes);
    if draft {
        map.insert("draft".into(), true.into());
    }
    let yaml = serde_yaml::to_string(&map).unwrap_or_default();
    format!("---\n{yaml}---\n")
}

/// Checks the shape of a version name: it becomes a folder of the output.
pub fn is_valid_version(version: &str) -> bool {
    let bytes = version.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && version != "."
        && version != ".."
        // `versions/index.html/` would need a folder where the versions list is a file.
        && !version.eq_ignore_ascii_case("index.html")
        // A folder `1.` or `aux.1` cannot be checked out on Windows.
        && !version.ends_with('.')
        && !crate::base::names::windows_reserved(version)
}

fn version(value: &serde_yaml::Value, raw: Option<&str>) -> Result<String, FieldError> {
    let text = match value {
        serde_yaml::Value::String(s) => s.clone(),
        // A number is kept only if it reads back as written: `2` does, but
        // `1.10` (1.1), `0x1F` (31) and `+5` (5) do not.
        serde_yaml::Value::Number(n) if raw == Some(n.to_string().as_str()) => n.to_string(),
        serde_yaml::Value::Number(n) => {
            let written = raw.unwrap_or("the value");
            return Err(FieldError::Invalid(
                format!(
                    "`version` {written} is read as the number {n}, which changes how it is written"
                ),
                Some(format!(
                    "put the version in quotes: `version: \"{written}\"`"
                )),
            ));
        }
        other => {
            return Err(FieldError::Invalid(
                format!("`version` must be text, not {}", describe(other)),
                None,
            ));
        }
    };
    if is_valid_version(&text) {
        Ok(text)
    } else {
        Err(FieldError::Invalid(
            format!("version `{}` cannot be used in a URL", shown(&text)),
            Some(
                "use 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit and not ending with `.` (not `index.html` nor a Windows device name such as `con` or `aux.1`), such as `2026-05-12` or `3.1`"
                    .to_string(),
            ),
        ))
    }
}

fn date(value: &serde_yaml::Value) -> Result<NaiveDate, FieldError> {
    let hint = Some("write the date as YYYY-MM-DD, for example 2026-05-12".to_string());
    let Some(text) = value.as_str() else {
        return Err(FieldError::Invalid(
            format!("`effective_date` must be a date, not {}", describe(value)),
            hint,
        ));
    };
    parse_date(text.trim()).ok_or_else(|| {
        FieldError::Invalid(
            format!("`effective_date` `{}` is not a valid date", shown(text)),
            hint,
        )
    })
}

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn describe(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::Null => "an empty value".to_string(),
        serde_yaml::Value::Bool(b) => format!("`{b}`"),
        serde_yaml::Value::Number(n) => format!("the number {n}"),
        serde_yaml::Value::String(s) => format!("`{}`", shown(s)),
        serde_yaml::Value::Sequence(_) => "a list".to_string(),
        serde_yaml::Value::Mapping(_) => "a map".to_string(),
        serde_yaml::Value::Tagged(_) => "a tagged value".to_string(),
    }
}

fn example_line(key: &str) -> &'static str {
    match key {
        "title" => "title: \"Privacy Policy\"",
        "effective_date" => "effective_date: 2026-05-12",
        "version" => "version: \"2026-05-12\"",
        _ => "language: en",
    }
}

fn template_hint() -> String {
    "`title`, `effective_date`, `version` and `language` lines, then a closing `---` line"
        .to_string()
}

/// Byte offsets (in the YAML text) of top-level keys of a block mapping.
///
/// The YAML crate does not report where keys are, so this reads them off the
/// unindented `key:` lines; a key it cannot find is reported at the header start.
fn top_level_key_offsets(yaml: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        if let Some((key, _)) = key_of_line(line) {
            found.push((key, offset));
        }
        offset += line.len();
    }
    found
}

/// The key of a top-level `key: value` line, and the value as written.
fn key_of_line(line: &str) -> Option<(String, &str)> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '{' | '[') {
        return None;
    }
    if first == '"' || first == '\'' {
        let end = line[1..].find(first)? + 1;
        let rest = line[end + 1..].trim_start().strip_prefix(':')?;
        return Some((line[1..end].to_string(), raw_value(rest)));
    }
    let colon = line.find(": ").or_else(|| {
        let trimmed = line.trim_end();
        trimmed.ends_with(':').then(|| trimmed.len() - 1)
    })?;
    Some((
        line[..colon].trim_end().to_string(),
        raw_value(&line[colon + 1..]),
    ))
}

/// A plain value as written, without a trailing comment.
fn raw_value(rest: &str) -> &str {
    let rest = rest.trim();
    rest.find(" #").map_or(rest, |i| rest[..i].trim_end())
}

/// The value of top-level `key` as written in `yaml`.
fn raw_value_of<'a>(yaml: &'a str, key: &str) -> Option<&'a str> {
    yaml.lines()
        .filter_map(key_of_line)
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        parse(text)
            .unwrap_err()
            .iter()
            .map(|p| format!("{}:{}: {}", p.position.line, p.position.column, p.message))
            .collect()
    }

    #[test]
    fn parses_a_full_header() {
        let text = "---\ntitle: \"Privacy <Policy>\"\neffective_date: 2026-05-12\nversion: 2\nlanguage: en\nsummary: How we use data\ndraft: false\nextra:\n  owner: legal\n---\n# Body\n";
        let parsed = parse(text).unwrap();
        let f = &parsed.front;
        assert_eq!(f.title, "Privacy <Policy>");
        assert_eq!(
            f.effective_date,
            NaiveDate::from_ymd_opt(2026, 5, 12).unwrap()
        );
        assert_eq!(f.version, "2");
        assert_eq!(f.extra["owner"], "legal");
        assert_eq!(&text[parsed.body_start..], "# Body\n");
        assert_eq!(f.position_of("language"), Position::new(5, 1));
    }

    #[test]
    fn reports_each_bad_key_at_its_line() {
        let text = "---\ntitle: T\nefective_date: 2026-05-12\nversion: \"a/b\"\nlanguage: en\ndraft: maybe\n---\n";
        let got = problems(text);
        assert!(
            got.contains(&"3:1: unknown front matter key `efective_date`".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"4:1: version `a/b` cannot be used in a URL".to_string()),
            "{got:?}"
        );
        assert!(
            got.iter().any(|p| p.starts_with("6:1: `draft` must be")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|p| p.ends_with("front matter is missing `effective_date`")),
            "{got:?}"
        );
    }

    #[test]
    fn syntax_errors_carry_file_lines() {
        let text = "---\ntitle: T\n  bad: [\n---\n";
        let got = problems(text);
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("3:"), "{got:?}");
        assert!(!got[0].contains("at line"), "{got:?}");
    }

    #[test]
    fn yaml_lines_count_from_the_top_of_the_file() {
        assert_eq!(
            to_file_lines("x at line 5 column 10, and line 2", 1),
            "x at line 6 column 10, and line 3"
        );
        let text = "---\ntitle: T\nsummary: [unclosed\n---\n";
        let got = problems(text);
        assert!(got[0].contains("at line 3 column 10"), "{got:?}");
    }

    #[test]
    fn missing_and_unclosed_headers() {
        assert!(problems("# no header\n")[0].contains("does not start with front matter"));
        assert!(problems("---\ntitle: x\n")[0].contains("never closed"));
    }

    #[test]
    fn corrections_are_dated_notes() {
        let text = "---\ntitle: T\neffective_date: 2026-01-01\nversion: \"1\"\nlanguage: en\ncorrections:\n  - date: 2026-02-01\n    note: Fixed a typo.\n---\n";
        let front = parse(text).unwrap().front;
        assert_eq!(front.corrections.len(), 1);
        assert_eq!(front.corrections[0].note, "Fixed a typo.");
        let text = "---\ntitle: T\neffective_date: 2026-01-01\nversion: \"1\"\nlanguage: en\ncorrections:\n  - date: soon\n    note: x\n---\n";
        assert_eq!(
            problems(text),
            ["6:1: correction 1 needs a `date` as YYYY-MM-DD"]
        );
        let text = "---\ntitle: T\neffective_date: 2026-01-01\nversion: \"1\"\nlanguage: en\ncorrections:\n  - date: 2026-02-01\n    nte: x\n---\n";
        assert_eq!(
            problems(text),
            ["6:1: correction 1 has an unknown key `nte`"]
        );
    }

    #[test]
    fn numbers_that_change_when_read_must_be_quoted() {
        for (raw, number) in [("0x1F", "31"), ("0o17", "15"), ("+5", "5"), ("1.10", "1.1")] {
            let text = format!(
                "---\ntitle: T\neffective_date: 2026-01-01\nversion: {raw} # note\nlanguage: en\n---\n"
            );
            let got = problems(&text);
            assert_eq!(
                got,
                [format!(
                    "4:1: `version` {raw} is read as the number {number}, which changes how it is written"
                )]
            );
        }
        let text =
            "---\ntitle: T\neffective_date: 2026-01-01\nversion: 7 # seventh\nlanguage: en\n---\n";
        assert_eq!(parse(text).unwrap().front.version, "7");
    }

    #[test]
    fn control_characters_and_core_tags_are_refused() {
        let text = "---\ntitle: !!binary aGVsbG8=\neffective_date: 2026-01-01\nversion: \"1\"\nlanguage: en\ndraft: \"\\e]0;PWNED\\a\"\nsummary: \"a\\0b\"\nextra:\n  note: \"x\\u001b\"\nchanges: \"tab\\tand\\nbreak\"\n---\n";
        assert_eq!(
            problems(text),
            [
                "2:1: `title` has a YAML tag (`!...`), which front matter does not use",
                "6:1: `draft` holds the control character \\u{1b}, which a page cannot show",
                "7:1: `summary` holds the control character \\u{0}, which a page cannot show",
                "8:1: `extra` holds the control character \\u{1b}, which a page cannot show",
            ]
        );
    }

    #[test]
    fn repeated_keys_tags_and_odd_keys_are_reported_at_their_lines() {
        let text = "---\ntitle: T\nsummary: a\nlanguage: en\nsummary: b\n---\n";
        assert_eq!(
            problems(text),
            ["5:1: invalid front matter (YAML): the key `summary` appears twice"]
        );
        let text = "---\ntitle: !custom T\neffective_date: 2026-01-01\nversion: \"1\"\nlanguage: en\n1: x\n---\n";
        assert_eq!(
            problems(text),
            [
                "2:1: `title` has a YAML tag (`!...`), which front matter does not use",
                "6:1: a front matter key must be a name, not the number 1",
            ]
        );
    }

    #[test]
    fn versions_and_dates() {
        for ok in ["1", "2026-05-12", "v1.2_beta-3", "A"] {
            assert!(is_valid_version(ok), "{ok}");
        }
        let long = "a".repeat(65);
        for bad in [
            ".",
            "..",
            "-x",
            ".x",
            "a/b",
            "a b",
            "",
            long.as_str(),
            "ü",
            "index.html",
            "INDEX.HTML",
            "1.",
            "con",
            "Aux.1",
            "lpt3",
        ] {
            assert!(!is_valid_version(bad), "{bad}");
        }
        assert!(parse_date("2026-02-29").is_none());
        assert!(parse_date("2026-2-1").is_none());
        assert!(parse_date("2028-02-29").is_some());
    }

    #[test]
    fn finds_top_level_keys() {
        let yaml = "title: a\n\"quoted key\": b\n  nested: c\n# comment\nlast:\n  - x\n";
        let keys: Vec<String> = top_level_key_offsets(yaml)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["title", "quoted key", "last"]);
    }
}
