//! `config.toml`: the site's settings, read and validated with every problem
//! reported at the line of the offending key.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::base::diagnostics::{Diagnostic, LineIndex, Position, unknown_key_hint};
use crate::base::layout::{CONFIG_FILE, DEFAULT_OUTPUT};

const TOP_LEVEL_KEYS: &[&str] = &[
    "base_url",
    "title",
    "default_language",
    "governing_language",
    "output_dir",
    "theme",
    "translations",
    "host_paths",
    "allow_symlinks_to",
    "aliases",
    "languages",
    "extra",
    "deploy",
];
const DEPLOY_KEYS: &[&str] = &["target", "max_deletes", "headers"];
const LANGUAGE_KEYS: &[&str] = &["name", "locale", "date_format", "strings", "extra"];

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute URL of the site root, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/legal/`): every link the build
    /// writes starts with it, so the site can live below a path.
    pub base_path: String,
    pub title: String,
    pub default_language: String,
    pub governing_language: Option<String>,
    pub output_dir: PathBuf,
    pub theme: String,
    /// Languages in the order they are declared.
    pub languages: Vec<Language>,
    /// How translations of a document are published.
    pub translations: Translations,
    /// Free table passed to templates as `site.extra`.
    pub extra: serde_json::Value,
    /// Old addresses of documents (`[aliases]`): each document key with
    /// its old site paths, and where the entry is written.
    pub aliases: Vec<(String, Vec<String>, Position)>,
    /// The variables of each language's pages, by language code.
    pub variables: BTreeMap<String, crate::load::variables::Variables>,
    /// Paths of the host outside the site (`/support`, `/3/`): links to
    /// them are written as they are and not checked.
    pub host_paths: Vec<String>,
    /// Folders outside the site that symbolic links in it may lead to
    /// (what they lead to is published): absolute, or relative to the root.
    pub allow_symlinks_to: Vec<String>,
    /// Where each top-level key is written, for messages found later.
    pub positions: BTreeMap<String, Position>,
    /// `[deploy]`: where `clause deploy` publishes, and how many deletions
    /// it may make.
    pub deploy: Deploy,
    /// Ids the pages use outside the Markdown body, which body ids must not
    /// take: the default theme's, and the language codes (the sections of a
    /// combined page).
    pub page_ids: Vec<String>,
}

/// Ids the default theme gives elements outside the body.
pub const THEME_IDS: &[&str] = &["main", "toc-title"];

/// One `[languages.<code>]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub code: String,
    /// The language's name, as its readers write it (`English`, `中文`).
    pub name: String,
    /// The tag used in `lang` and `hreflang` attributes (`zh-Hans`); the code by default.
    pub locale: String,
    /// A chrono strftime format for dates, replacing the built-in one.
    pub date_format: Option<String>,
    /// Overrides of the theme's words: key, text, and where the key is
    /// (checked against the theme's keys once the theme is loaded).
    pub strings: Vec<(String, String, Position)>,
    /// The language's own `[languages.<code>.extra]`, over the site's
    /// `[extra]` for its pages' variables.
    pub extra: serde_json::Value,
    /// Where the language is declared, for messages about it.
    pub position: Position,
}

impl Language {
    /// What the i18n catalog needs of this language.
    pub fn spec(&self) -> crate::i18n::LanguageSpec<'_> {
        crate::i18n::LanguageSpec {
            code: &self.code,
            name: &self.name,
            locale: &self.locale,
            date_format: self.date_format.as_deref(),
            strings: self
                .strings
                .iter()
                .map(|(key, text, at)| (key.as_str(), text.as_str(), *at))
                .collect(),
            position: self.position,
        }
    }
}

/// `[deploy]` in config.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Deploy {
    /// The target URL (`s3://bucket/prefix`, `gs://`, `az://`, `file:///path`).
    pub target: Option<String>,
    /// More deletions than this stop a deploy (256 when not set).
    pub max_deletes: Option<usize>,
    /// `[[deploy.headers]]`: headers for files whose path matches, over
    /// the defaults.
    #[serde(default)]
    pub headers: Vec<HeaderRule>,
}

/// A rule of `[[deploy.headers]]`: files whose output path matches `path`
/// (`*` within a folder name, `**` across folders) are sent with these
/// headers instead of the defaults; the first matching rule that sets a
/// header wins.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderRule {
    pub path: String,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
}

/// `translations` in config: one page per language, or every language of a
/// document's current version on one combined page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Translations {
    #[default]
    Pages,
    Combined,
}

impl Config {
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The variables a version in `language` can use.
    pub fn variables(&self, language: &str) -> &crate::load::variables::Variables {
        static NONE: std::sync::OnceLock<crate::load::variables::Variables> =
            std::sync::OnceLock::new();
        self.variables
            .get(language)
            .unwrap_or_else(|| NONE.get_or_init(Default::default))
    }

    pub fn is_declared(&self, code: &str) -> bool {
        self.language(code).is_some()
    }

    /// The language a reader is sent to when a document is missing in theirs.
    pub fn fallback_language(&self) -> &str {
        self.governing_language
            .as_deref()
            .unwrap_or(&self.default_language)
    }

    /// Position of a language in declaration order (for sorting).
    pub fn language_rank(&self, code: &str) -> usize {
        self.languages
            .iter()
            .position(|l| l.code == code)
            .unwrap_or(usize::MAX)
    }

    /// Where top-level `key` is written in config.toml (the start if it is not).
    pub fn position_of(&self, key: &str) -> Position {
        self.positions.get(key).copied().unwrap_or(Position::START)
    }

    /// The absolute URL of a site path such as `/privacy/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// The root-relative URL of a site path, with the base path in front.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }
}

#[derive(Deserialize)]
struct RawConfig {
    base_url: Option<String>,
    title: Option<String>,
    default_language: Option<String>,
    governing_language: Option<String>,
    output_dir: Option<String>,
    theme: Option<String>,
    #[serde(default)]
    translations: Translations,
    #[serde(default)]
    host_paths: Vec<String>,
    #[serde(default)]
    allow_symlinks_to: Vec<String>,
    #[serde(default)]
    aliases: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    languages: HashMap<String, RawLanguage>,
    #[serde(default)]
    extra: Option<toml::Table>,
    #[serde(default)]
    deploy: Deploy,
}

#[derive(Deserialize)]
struct RawLanguage {
    name: Option<String>,
    locale: Option<String>,
    date_format: Option<String>,
    #[serde(default)]
    strings: BTreeMap<String, String>,
    extra: Option<toml::Table>,
}

/// Parses and validates the text of `config.toml`. `path` is used in messages.
/// Every problem is reported, each at its key.
pub fn parse(text: &str, path: &str) -> Result<Config, Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    // Parsed once: the key spans are read off the table, then the same
    // table is deserialized.
    let table = match DeTable::parse(text) {
        Ok(table) => table,
        Err(e) => {
            let pos = e
                .span()
                .map_or(Position::START, |s| lines.position(text, s.start));
            return Err(vec![
                Diagnostic::error(path, pos, format!("invalid TOML: {}", e.message().trim()))
                    .with_code(crate::base::codes::CONFIG_SYNTAX)
                    .with_hint("docs/configuration.md lists every key"),
            ]);
        }
    };
    let mut checker = Checker {
        path,
        text,
        lines,
        spans: KeySpans::new(table.get_ref()),
        problems: Vec::new(),
    };
    checker.unknown_keys();
    checker.control_characters(table.get_ref());
    let raw = match RawConfig::deserialize(toml::de::Deserializer::from(table)) {
        Ok(raw) => raw,
        Err(e) => {
            let pos = e.span().map_or(Position::START, |s| checker.at(s));
            checker.problems.push(
                Diagnostic::error(path, pos, e.message().trim().to_string())
                    .with_code(crate::base::codes::CONFIG_VALUE),
            );
            return Err(checker.problems);
        }
    };
    let languages = checker.languages(&raw.languages);
    let declared: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
    let base_url = checker.base_url(raw.base_url.as_deref());
    let default_language = checker.default_language(raw.default_language, &declared);
    checker.governing_language(raw.governing_language.as_deref(), &declared);
    let theme = checker.theme(raw.theme);
    let output_dir = checker.output_dir(raw.output_dir);
    if let Some(base_url) = &base_url {
        checker.host_paths(&raw.host_paths, &base_path_of(base_url));
    }
    let aliases = checker.aliases(&raw.aliases);
    checker.header_rules(&raw.deploy.headers);
    let extra = match raw.extra {
        Some(table) => toml_to_json(toml::Value::Table(table)),
        None => serde_json::Value::Object(Default::default()),
    };
    let Checker {
        mut problems,
        spans,
        lines,
        ..
    } = checker;
    if !problems.is_empty() {
        crate::base::diagnostics::sort_and_dedup(&mut problems);
        return Err(problems);
    }
    let (Some(base_url), Some(default_language)) = (base_url, default_language) else {
        return Err(problems);
    };
    let base_path = base_path_of(&base_url);
    let page_ids = THEME_IDS
        .iter()
        .map(|id| id.to_string())
        .chain(languages.iter().map(|l| l.code.clone()))
        .collect();
    let title = raw.title.unwrap_or_else(|| "Legal".to_string());
    let variables = languages
        .iter()
        .map(|l| {
            let vars = crate::load::variables::Variables::new(&title, &extra, &l.extra);
            (l.code.clone(), vars)
        })
        .collect();
    Ok(Config {
        base_url,
        base_path,
        title,
        variables,
        default_language,
        governing_language: raw.governing_language,
        output_dir: PathBuf::from(output_dir),
        theme,
        languages,
        translations: raw.translations,
        extra,
        host_paths: raw.host_paths,
        allow_symlinks_to: raw.allow_symlinks_to,
        aliases,
        deploy: raw.deploy,
        page_ids,
        positions: spans
            .spans
            .iter()
            .filter(|(path, _)| path.len() == 1)
            .map(|(path, span)| (path[0].clone(), lines.position(text, span.start)))
            .collect(),
    })
}

/// Checks the parts of a config file, collecting every problem at its key.
struct Checker<'a> {
    path: &'a str,
    text: &'a str,
    lines: LineIndex,
    spans: KeySpans,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn at(&self, span: Range<usize>) -> Position {
        self.lines.position(self.text, span.start)
    }

    /// The span of a dotted key, or the start of the file for a key not written.
    fn key_span(&self, key: &str) -> Range<usize> {
        self.spans.get(key).unwrap_or(0..0)
    }

    fn error(&mut self, span: Range<usize>, message: String, hint: impl Into<String>) {
        let problem = Diagnostic::error(self.path, self.at(span), message)
            .with_code(crate::base::codes::CONFIG_VALUE)
            .with_hint(hint);
        self.problems.push(problem);
    }

    /// A required key that is missing, reported at the start of the file.
    fn missing(&mut self, message: &str, hint: &str) {
        let problem = Diagnostic::error(self.path, Position::START, message)
            .with_code(crate::base::codes::CONFIG_MISSING)
            .with_hint(hint);
        self.problems.push(problem);
    }

    fn unknown_keys(&mut self) {
        let unknown: Vec<_> = self.spans.unknown().collect();
        for (key, span, known) in unknown {
            let last = key.rsplit('.').next().unwrap_or(&key);
            let hint = unknown_key_hint(last, known);
            self.error(span, format!("unknown key `{key}` in {CONFIG_FILE}"), hint);
            if let Some(last) = self.problems.last_mut() {
                last.code = crate::base::codes::CONFIG_KEY;
            }
        }
    }

    /// Control characters other than tabs and line breaks in any key or
    /// text (`"\u001b"` escapes make them): a page or a terminal would
    /// carry them.
    fn control_characters(&mut self, table: &DeTable<'_>) {
        let bad = |s: &str| {
            s.chars()
                .find(|c| c.is_control() && !matches!(c, '\t' | '\n'))
        };
        let mut values: Vec<(&SpannedValue<'_>, Option<&SpannedKey<'_>>)> = Vec::new();
        for (key, value) in table {
            values.push((value, Some(key)));
        }
        while let Some((value, key)) = values.pop() {
            let found = key
                .and_then(|k| bad(k.get_ref()).map(|c| (c, k.span())))
                .or_else(|| match value.get_ref() {
                    DeValue::String(text) => bad(text).map(|c| (c, value.span())),
                    _ => None,
                });
            if let Some((c, span)) = found {
                let message = format!(
                    "this holds the control character {}, which a page cannot show",
                    c.escape_unicode()
                );
                self.error(
                    span,
                    message,
                    "remove it: only tabs and line breaks may be in the text",
                );
            }
            match value.get_ref() {
                DeValue::Table(inner) => values.extend(inner.iter().map(|(k, v)| (v, Some(k)))),
                DeValue::Array(items) => values.extend(items.iter().map(|v| (v, None))),
                _ => {}
            }
        }
    }

    /// The declared languages, in the order they are declared.
    fn languages(&mut self, raw: &HashMap<String, RawLanguage>) -> Vec<Language> {
        let mut languages: Vec<(Range<usize>, Language)> = raw
            .iter()
            .filter_map(|(code, language)| {
                let span = self.key_span(&format!("languages.{code}"));
                let language = self.language(code, language, span.clone(), raw)?;
                Some((span, language))
            })
            .collect();
        languages.sort_by_key(|(span, _)| span.start);
        let languages: Vec<Language> = languages.into_iter().map(|(_, l)| l).collect();
        self.unique_locales(&languages);
        languages
    }

    fn language(
        &mut self,
        code: &str,
        raw: &RawLanguage,
        span: Range<usize>,
        all: &HashMap<String, RawLanguage>,
    ) -> Option<Language> {
        if !is_language_code(code) {
            let hint = "use a BCP 47 code such as `en`, `zh`, `pt-BR` or `zh-Hant`";
            self.error(span, format!("`{code}` is not a language code"), hint);
            return None;
        }
        if let Some(other) = all
            .keys()
            .find(|other| *other != code && other.eq_ignore_ascii_case(code))
        {
            // Report the later of the two only.
            if self.key_span(&format!("languages.{other}")).start < span.start {
                let hint = "declare each language once: the two would share one folder on macOS and Windows";
                self.error(
                    span,
                    format!("language `{code}` differs from `{other}` only in case"),
                    hint,
                );
                return None;
            }
        }
        let Some(name) = raw.name.clone().filter(|n| !n.trim().is_empty()) else {
            let hint = format!("add `name = \"...\"` under [languages.{code}]");
            self.error(span, format!("language `{code}` has no `name`"), hint);
            return None;
        };
        let locale = raw.locale.clone().unwrap_or_else(|| code.to_string());
        if !is_language_code(&locale) {
            self.error(
                self.key_span(&format!("languages.{code}.locale")),
                format!("locale `{locale}` is not a language tag"),
                "use a BCP 47 tag such as `zh-Hans`, `en-GB` or `pt-BR`",
            );
        }
        if let Some(format) = &raw.date_format {
            if !crate::i18n::is_valid_date_format(format) {
                self.error(
                    self.key_span(&format!("languages.{code}.date_format")),
                    format!("date format `{format}` is not valid"),
                    "use chrono's strftime syntax, such as `%-d %B %Y` for 12 May 2026",
                );
            }
        }
        let strings = raw
            .strings
            .iter()
            .map(|(key, text)| {
                let span = self.key_span(&format!("languages.{code}.strings.{key}"));
                (key.clone(), text.clone(), self.at(span))
            })
            .collect();
        Some(Language {
            code: code.to_string(),
            name,
            locale,
            date_format: raw.date_format.clone(),
            strings,
            extra: raw.extra.clone().map_or(serde_json::Value::Null, |t| {
                toml_to_json(toml::Value::Table(t))
            }),
            position: self.at(span),
        })
    }

    /// Each language needs its own tag in lang and hreflang attributes.
    fn unique_locales(&mut self, languages: &[Language]) {
        for (i, language) in languages.iter().enumerate() {
            if let Some(earlier) = languages[..i]
                .iter()
                .find(|other| other.locale.eq_ignore_ascii_case(&language.locale))
            {
                let span = self
                    .spans
                    .get(&format!("languages.{}.locale", language.code))
                    .unwrap_or_else(|| self.key_span(&format!("languages.{}", language.code)));
                self.error(
                    span,
                    format!(
                        "languages `{}` and `{}` have the same locale `{}`",
                        earlier.code, language.code, language.locale
                    ),
                    "give each language its own `locale`: search engines tell languages apart by it",
                );
            }
        }
    }

    fn base_url(&mut self, raw: Option<&str>) -> Option<String> {
        let Some(url) = raw else {
            self.missing(
                "`base_url` is required",
                "add `base_url = \"https://legal.example.com/\"`",
            );
            return None;
        };
        normalize_base_url(url)
            .map_err(|why| {
                self.error(
                    self.key_span("base_url"),
                    format!("`base_url` {why}"),
                    "write an absolute URL such as `https://legal.example.com/`",
                );
            })
            .ok()
    }

    fn default_language(&mut self, raw: Option<String>, declared: &[&str]) -> Option<String> {
        let Some(code) = raw else {
            self.missing(
                "`default_language` is required",
                "add `default_language = \"en\"` and a [languages.en] table",
            );
            return None;
        };
        if declared.contains(&code.as_str()) {
            return Some(code);
        }
        self.error(
            self.key_span("default_language"),
            format!("default language `{code}` is not declared"),
            undeclared_hint(&code, declared),
        );
        None
    }

    fn governing_language(&mut self, raw: Option<&str>, declared: &[&str]) {
        if let Some(code) = raw.filter(|code| !declared.contains(code)) {
            self.error(
                self.key_span("governing_language"),
                format!("governing language `{code}` is not declared"),
                undeclared_hint(code, declared),
            );
        }
    }

    fn theme(&mut self, raw: Option<String>) -> String {
        let theme = raw.unwrap_or_else(|| "default".to_string());
        if !crate::base::layout::is_safe_segment(&theme) {
            self.error(
                self.key_span("theme"),
                format!("theme name `{theme}` is not a folder name"),
                "use letters, digits, `-` and `_`; the theme lives in themes/<name>/",
            );
        }
        theme
    }

    fn output_dir(&mut self, raw: Option<String>) -> String {
        let output_dir = raw.unwrap_or_else(|| DEFAULT_OUTPUT.to_string());
        if output_dir.trim().is_empty() {
            self.error(
                self.key_span("output_dir"),
                "`output_dir` is empty".to_string(),
                "leave it out to use `dist`",
            );
        }
        output_dir
    }

    /// The host's pages outside the site: paths from the host's root, not
    /// inside the site's base path.
    fn host_paths(&mut self, host_paths: &[String], base_path: &str) {
        for host_path in host_paths {
            let (message, hint) = if !host_path.starts_with('/') || host_path.starts_with("//") {
                (
                    format!("host path `{host_path}` does not start with `/`"),
                    "write a path of the host from its root, such as `/support`",
                )
            } else if base_path != "/"
                && crate::base::layout::is_under(host_path, base_path.trim_end_matches('/'))
            {
                (
                    format!("host path `{host_path}` is inside the site (`{base_path}`)"),
                    "links into the site are checked; list only the host's pages outside it",
                )
            } else {
                continue;
            };
            self.error(self.key_span("host_paths"), message, hint);
        }
    }

    fn aliases(
        &mut self,
        raw: &BTreeMap<String, Vec<String>>,
    ) -> Vec<(String, Vec<String>, Position)> {
        let mut aliases = Vec::new();
        for (document, paths) in raw {
            let span = self.key_span(&format!("aliases.{document}"));
            for path in paths {
                if let Err(why) = check_alias(path) {
                    self.error(
                        span.clone(),
                        format!("alias `{path}` of `{document}` {why}"),
                        "write the old address from the site root, such as `/privacy.html` or `/about/privacy/`",
                    );
                }
            }
            aliases.push((document.clone(), paths.clone(), self.at(span)));
        }
        aliases
    }
}

impl Checker<'_> {
    /// Each rule names files and sets a header; header values hold no
    /// line breaks or other control characters (they would split the header).
    fn header_rules(&mut self, rules: &[HeaderRule]) {
        for rule in rules {
            let values = [&rule.content_type, &rule.cache_control];
            let problem = if rule.path.trim().is_empty() {
                Some((
                    "a [[deploy.headers]] rule has an empty `path`".to_string(),
                    "give the files it is for, such as `static/**` or `**/*.pdf`",
                ))
            } else if values.iter().all(|v| v.is_none()) {
                Some((
                    format!(
                        "the [[deploy.headers]] rule for `{}` sets no header",
                        rule.path
                    ),
                    "set `content_type`, `cache_control` or both",
                ))
            } else if values
                .iter()
                .flat_map(|v| v.iter())
                .any(|v| v.trim().is_empty() || v.chars().any(char::is_control))
            {
                Some((
                    format!(
                        "a header of the [[deploy.headers]] rule for `{}` is empty or holds a line break or control character",
                        rule.path
                    ),
                    "write each header value on one line",
                ))
            } else {
                None
            };
            if let Some((message, hint)) = problem {
                self.error(self.key_span("deploy"), message, hint);
            }
        }
    }
}

fn undeclared_hint(code: &str, declared: &[&str]) -> String {
    format!(
        "declare it with a [languages.{code}] table that has a `name`, or use one of {}",
        crate::base::diagnostics::quoted_list(declared)
    )
}

/// Byte spans of the keys of the config file, in file order, by dotted path:
/// top-level keys, `languages.<code>` and `languages.<code>.<field>`.
struct KeySpans {
    spans: Vec<(Vec<String>, Range<usize>)>,
}

impl KeySpans {
    fn new(table: &DeTable<'_>) -> Self {
        let mut spans = Vec::new();
        collect_keys(table, &[], &mut spans);
        spans.sort_by_key(|(_, span)| span.start);
        Self { spans }
    }

    fn get(&self, dotted: &str) -> Option<Range<usize>> {
        self.spans
            .iter()
            .find(|(path, _)| path.join(".") == dotted)
            .map(|(_, span)| span.clone())
    }

    /// Keys that are not known, with the keys known in their place.
    fn unknown(
        &self,
    ) -> impl Iterator<Item = (String, Range<usize>, &'static [&'static str])> + '_ {
        self.spans.iter().filter_map(|(path, span)| {
            let known = match path.as_slice() {
                [key] if !TOP_LEVEL_KEYS.contains(&key.as_str()) => TOP_LEVEL_KEYS,
                [deploy, field] if deploy == "deploy" && !DEPLOY_KEYS.contains(&field.as_str()) => {
                    DEPLOY_KEYS
                }
                [_, _, field] if !LANGUAGE_KEYS.contains(&field.as_str()) => LANGUAGE_KEYS,
                _ => return None,
            };
            Some((path.join("."), span.clone(), known))
        })
    }
}

/// A value of the parsed table, and a key, with where they are written.
type SpannedValue<'a> = toml::Spanned<DeValue<'a>>;
type SpannedKey<'a> = toml::Spanned<std::borrow::Cow<'a, str>>;

/// Records the span of every key below `table`, except inside the free
/// `[extra]` tables.
fn collect_keys(
    table: &DeTable<'_>,
    prefix: &[String],
    spans: &mut Vec<(Vec<String>, Range<usize>)>,
) {
    for (key, value) in table {
        let mut path = prefix.to_vec();
        path.push(key.get_ref().to_string());
        spans.push((path.clone(), key.span()));
        if let DeValue::Table(inner) = value.get_ref() {
            let free = path == ["extra"]
                || path.len() == 3 && path[0] == "languages" && path[2] == "extra";
            if !free {
                collect_keys(inner, &path, spans);
            }
        }
    }
}

/// Converts `[extra]` for templates; TOML dates become their text (`2025-01-01`).
fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => J::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// A BCP 47-shaped language tag: `en`, `zh`, `pt-BR`, `zh-Hant`.
pub(crate) fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Checks that `url` is an absolute http(s) URL and returns it with a trailing slash.
/// An old address must be a plain site path: it becomes a file of the site.
fn check_alias(path: &str) -> Result<(), &'static str> {
    let rest = path.strip_prefix('/').ok_or("does not start with `/`")?;
    if rest.is_empty() {
        return Err("is the home page");
    }
    let segments: Vec<&str> = rest.strip_suffix('/').unwrap_or(rest).split('/').collect();
    for segment in segments {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err("has an empty, `.` or `..` segment");
        }
        let plain = segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
        if !plain {
            return Err("may hold only letters, digits, `-`, `_`, `.` and `~` between its `/`");
        }
    }
    Ok(())
}

fn normalize_base_url(url: &str) -> Result<String, &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with `https://` or `http://`")?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err("has no host name");
    }
    if url.contains(['?', '#', ' ', '"', '<', '>', '\\']) {
        return Err("must not contain a query, a fragment, spaces or quotes");
    }
    if rest.contains("//") {
        // `https://x.example//` would make every link protocol-relative (`//privacy/`).
        return Err("has an empty path segment (`//`)");
    }
    let mut normalized = url.to_string();
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    Ok(normalized)
}

/// The path part of a normalized base URL: `https://a.b/legal/` -> `/legal/`.
fn base_path_of(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
base_url = "https://legal.example.com"
title = "Example"
default_language = "en"
governing_language = "en"

[languages.zh]
name = "中文"

[languages.en]
name = "English"

[extra]
email = "legal@example.com"
"#;

    #[test]
    fn parses_and_keeps_language_order() {
        let config = parse(GOOD, "config.toml").unwrap();
        assert_eq!(config.base_url, "https://legal.example.com/");
        assert_eq!(config.base_path, "/");
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["zh", "en"]);
        assert_eq!(config.extra["email"], "legal@example.com");
        assert_eq!(config.output_dir, PathBuf::from("dist"));
        assert_eq!(config.theme, "default");
        assert_eq!(
            config.permalink("/privacy/"),
            "https://legal.example.com/privacy/"
        );
    }

    #[test]
    fn control_characters_in_any_text_are_errors_at_their_place() {
        let text = GOOD
            .replace("title = \"Example\"", "title = \"Ex\\u001bample\"")
            .replace(
                "email = \"legal@example.com\"",
                "list = [\"ok\", \"a\\u0000\"]\n\"k\\u0007\" = 1\nnote = \"tab\\tand\\nline\"",
            );
        let problems: Vec<String> = parse(&text, "config.toml")
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "config.toml:3:9: error: this holds the control character \\u{1b}, which a page cannot show (help: remove it: only tabs and line breaks may be in the text)",
                "config.toml:14:15: error: this holds the control character \\u{0}, which a page cannot show (help: remove it: only tabs and line breaks may be in the text)",
                "config.toml:15:1: error: this holds the control character \\u{7}, which a page cannot show (help: remove it: only tabs and line breaks may be in the text)",
            ]
        );
    }

    #[test]
    fn base_path_follows_base_url() {
        assert_eq!(base_path_of("https://a.example/legal/"), "/legal/");
        assert_eq!(base_path_of("https://a.example/"), "/");
        assert!(normalize_base_url("legal.example.com").is_err());
        assert!(normalize_base_url("https://").is_err());
    }

    #[test]
    fn reports_every_unknown_key_with_a_suggestion() {
        let text = "base_url = \"https://x.example/\"\ndefault_langauge = \"en\"\ntitel = \"x\"\n[languages.en]\nname = \"English\"\nnmae = \"x\"\n";
        let problems = parse(text, "config.toml").unwrap_err();
        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            lines.iter().any(|l| l
                .starts_with("config.toml:2:1: error: unknown key `default_langauge`")
                && l.contains("did you mean `default_language`?")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("config.toml:3:1:") && l.contains("did you mean `title`?"))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("config.toml:6:1:") && l.contains("`languages.en.nmae`"))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.contains("`default_language` is required"))
        );
    }

    #[test]
    fn extra_keeps_dates_as_text_and_base_url_needs_a_clean_path() {
        let text = "base_url = \"https://x.example/\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[extra]\nsince = 2025-01-01\nlist = [1, \"a\"]\n";
        let config = parse(text, "config.toml").unwrap();
        assert_eq!(config.extra["since"], "2025-01-01");
        assert_eq!(config.extra["list"][1], "a");
        assert!(normalize_base_url("https://x.example//").is_err());
        assert!(normalize_base_url("https://x.example/a//b/").is_err());
    }

    #[test]
    fn languages_that_differ_only_in_case_are_refused() {
        let text = "base_url = \"https://x.example/\"\ndefault_language = \"pt-BR\"\n[languages.pt-BR]\nname = \"A\"\n[languages.pt-br]\nname = \"B\"\n";
        let problems = parse(text, "config.toml").unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].to_string().starts_with(
            "config.toml:5:12: error: language `pt-br` differs from `pt-BR` only in case"
        ));
    }

    #[test]
    fn locales_must_differ() {
        let text = "base_url = \"https://x.example/\"\ndefault_language = \"zh\"\n[languages.zh]\nname = \"A\"\nlocale = \"zh-Hans\"\n[languages.zh-TW]\nname = \"B\"\nlocale = \"zh-hans\"\n";
        let problems: Vec<String> = parse(text, "config.toml")
            .unwrap_err()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            problems,
            [
                "config.toml:8:1: error: languages `zh` and `zh-TW` have the same locale `zh-hans` (help: give each language its own `locale`: search engines tell languages apart by it)",
            ]
        );
    }

    #[test]
    fn language_codes() {
        for good in ["en", "zh", "pt-BR", "zh-Hant", "yue"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in ["EN", "e", "english", "zh_CN", "../x", "zh-", ""] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn undeclared_default_language_points_at_its_line() {
        let text = "base_url = \"https://x.example/\"\ndefault_language = \"fr\"\n[languages.en]\nname = \"English\"\n";
        let problems = parse(text, "config.toml").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .starts_with("config.toml:2:1: error: default language `fr` is not declared")
        );
    }
}
