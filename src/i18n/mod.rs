//! The words the theme prints, per language, and dates written the way each
//! language writes them. The words are data: a theme's `i18n/<code>.toml`
//! files (the default theme's are built in), layered built-in theme < site
//! theme < `[languages.<code>.strings]` in config.toml. The English file
//! defines the keys and the `{placeholders}` each may use, so a theme adds a
//! key by adding it there. Each file also says how its language writes dates
//! and how it names other languages ("英文" for English on a Chinese page).
//!
//! May import `base`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Locale, NaiveDate};
use serde::Deserialize;

use crate::base::diagnostics::{Diagnostic, LineIndex, Position, unknown_key_hint};
use crate::base::layout::CONFIG_FILE;

/// The language whose file defines the keys, and the words of last resort.
const ENGLISH: &str = "en";

/// Where the list of keys is documented, for hints.
const KEYS_DOC: &str = "docs/languages.md#the-keys lists the keys";

/// One file of words: a theme's `i18n/<code>.toml`.
#[derive(Debug, Clone)]
pub struct WordsFile {
    /// The language code, from the file's name.
    pub code: String,
    /// The file, for messages.
    pub origin: PathBuf,
    pub text: String,
}

/// What config.toml says of a language.
#[derive(Debug, Clone)]
pub struct LanguageSpec<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub locale: &'a str,
    pub date_format: Option<&'a str>,
    /// `[languages.<code>.strings]`: each key, its text, and where the key is.
    pub strings: Vec<(&'a str, &'a str, Position)>,
    /// Where the language's table is.
    pub position: Position,
}

/// A words file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileData {
    date_format: Option<toml::Spanned<String>>,
    locale: Option<toml::Spanned<String>>,
    #[serde(default)]
    names: BTreeMap<String, String>,
    #[serde(default)]
    words: BTreeMap<String, toml::Spanned<String>>,
}

/// One language's files, later layers over earlier ones.
#[derive(Debug, Default, Clone)]
struct Layered {
    date_format: Option<String>,
    locale: Option<Locale>,
    names: BTreeMap<String, String>,
    words: BTreeMap<String, String>,
}

/// The resolved words and date style of one language.
#[derive(Debug, Clone)]
pub struct Strings {
    pub code: String,
    map: BTreeMap<String, String>,
    date_format: String,
    locale: Locale,
}

impl Strings {
    /// The string for `key` (every key of the English file is present).
    pub fn get(&self, key: &str) -> &str {
        self.map.get(key).map_or("", String::as_str)
    }

    /// All strings, for templates (`t.<key>`).
    pub fn map(&self) -> &BTreeMap<String, String> {
        &self.map
    }

    /// A date written the way this language writes dates.
    pub fn format_date(&self, date: NaiveDate) -> String {
        date.format_localized(&self.date_format, self.locale)
            .to_string()
    }
}

/// Every declared language's strings, in declaration order, and the names
/// languages give each other.
#[derive(Debug, Clone)]
pub struct Catalog {
    languages: Vec<Strings>,
    files: BTreeMap<String, Layered>,
    /// Each declared language's code, configured name and locale.
    declared: Vec<(String, String, String)>,
}

impl Catalog {
    /// Reads the words `files` (in layer order: built-in theme first) and
    /// resolves every language of `specs` (in declaration order). Returns
    /// errors in the files and in config.toml's `strings`, and warnings for
    /// languages whose words fall back to English.
    pub fn new(specs: &[LanguageSpec<'_>], files: &[WordsFile]) -> (Self, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut layered: BTreeMap<String, Layered> = BTreeMap::new();
        let mut english_keys: BTreeMap<String, String> = BTreeMap::new();
        // The English files first: they define the keys the others are checked against.
        let (english, others): (Vec<&WordsFile>, Vec<&WordsFile>) =
            files.iter().partition(|f| f.code == ENGLISH);
        for file in english.into_iter().chain(others) {
            let Some(data) = parse_file(file, &mut problems) else {
                continue;
            };
            let lines = LineIndex::new(&file.text);
            let at = |span: std::ops::Range<usize>| lines.position(&file.text, span.start);
            let layer = layered.entry(file.code.clone()).or_default();
            if let Some(format) = data.date_format {
                if is_valid_date_format(format.get_ref()) {
                    layer.date_format = Some(format.get_ref().clone());
                } else {
                    let message = format!("date format `{}` is not valid", format.get_ref());
                    problems.push(
                        Diagnostic::error(&file.origin, at(format.span()), message)
                            .with_code(crate::base::codes::WORDS_DATE_FORMAT)
                            .with_hint(
                                "use chrono's strftime syntax, such as `%-d %B %Y` for 12 May 2026",
                            ),
                    );
                }
            }
            if let Some(locale) = data.locale {
                match Locale::try_from(locale.get_ref().replace('-', "_").as_str()) {
                    Ok(parsed) => layer.locale = Some(parsed),
                    Err(_) => problems.push(
                        Diagnostic::error(
                            &file.origin,
                            at(locale.span()),
                            format!("`{}` is not a locale with month names", locale.get_ref()),
                        )
                        .with_code(crate::base::codes::WORDS_LOCALE)
                        .with_hint("use a locale such as `en_US`, `de_DE` or `pt_BR`"),
                    ),
                }
            }
            layer.names.extend(data.names);
            for (key, text) in data.words {
                let span = text.span();
                let text = text.into_inner();
                if file.code == ENGLISH {
                    english_keys.insert(key.clone(), text.clone());
                } else if let Some(english) = english_keys.get(&key) {
                    let allowed = placeholders_in(english);
                    problems.extend(placeholder_problems(
                        &key,
                        &text,
                        &allowed,
                        |message, hint| {
                            Diagnostic::error(&file.origin, at(span.clone()), message)
                                .with_code(crate::base::codes::WORDS_PLACEHOLDER)
                                .with_hint(hint)
                        },
                    ));
                } else {
                    let known: Vec<&str> = english_keys.keys().map(String::as_str).collect();
                    problems.push(
                        Diagnostic::error(
                            &file.origin,
                            at(span.clone()),
                            format!("`{key}` is not one of the theme's words"),
                        )
                        .with_code(crate::base::codes::WORDS_KEY)
                        .with_hint(format!(
                            "{}; a theme adds a key of its own in its i18n/en.toml first",
                            unknown_key_hint(&key, &known).trim_end_matches('?')
                        )),
                    );
                    continue;
                }
                layer.words.insert(key, text);
            }
        }
        let keys: Vec<&str> = english_keys.keys().map(String::as_str).collect();
        let mut languages = Vec::new();
        for spec in specs {
            languages.push(resolve(spec, &layered, &keys, &mut problems));
        }
        let declared = specs
            .iter()
            .map(|s| (s.code.to_string(), s.name.to_string(), s.locale.to_string()))
            .collect();
        let catalog = Self {
            languages,
            files: layered,
            declared,
        };
        (catalog, problems)
    }

    /// The strings of a declared language.
    pub fn get(&self, code: &str) -> &Strings {
        self.languages
            .iter()
            .find(|s| s.code == code)
            .unwrap_or(&self.languages[0])
    }

    /// The name of language `code` for a reader of language `reader`: from
    /// the reader's words file when both languages have one, else the name
    /// configured for `code`.
    pub fn language_name(&self, code: &str, reader: &str) -> &str {
        let file = |c: &str| file_for(c, self.files.keys().map(String::as_str));
        let named = match (file(reader), file(code)) {
            // Two variants of one language (`en` and `en-GB`) need their own names.
            (Some(r), Some(c)) if r != c || code == reader => {
                self.files[r].names.get(c).map(String::as_str)
            }
            _ => None,
        };
        named.unwrap_or_else(|| {
            self.declared
                .iter()
                .find(|(c, _, _)| c == code)
                .map_or("", |(_, name, _)| name.as_str())
        })
    }

    /// The declared language a name means (`German`, `Deutsch`, `allemand` or
    /// `de-DE` for a declared `de`): its code, its locale, its configured
    /// name, or its name in any language's words file, without case.
    pub fn code_for_name(&self, name: &str) -> Option<&str> {
        let name = name.trim().to_lowercase();
        let primary = |tag: &str| {
            tag.split(['-', '_'])
                .next()
                .unwrap_or_default()
                .to_lowercase()
        };
        self.declared
            .iter()
            .find(|(code, configured, locale)| {
                let file = file_for(code, self.files.keys().map(String::as_str));
                let in_files = file
                    .into_iter()
                    .flat_map(|f| self.files.values().filter_map(move |l| l.names.get(f)));
                [configured, locale]
                    .into_iter()
                    .chain(in_files)
                    .any(|known| known.to_lowercase() == name)
                    || primary(&name) == primary(code) && name.len() > 1
            })
            .map(|(code, _, _)| code.as_str())
    }
}

/// Parses one words file; a file that does not parse is reported and skipped.
fn parse_file(file: &WordsFile, problems: &mut Vec<Diagnostic>) -> Option<FileData> {
    match toml::from_str::<FileData>(&file.text) {
        Ok(data) => Some(data),
        Err(e) => {
            let lines = LineIndex::new(&file.text);
            let at = e
                .span()
                .map_or(Position::START, |s| lines.position(&file.text, s.start));
            problems.push(
                Diagnostic::error(&file.origin, at, e.message().trim().to_string()).with_code(crate::base::codes::WORDS_SYNTAX).with_hint(
                    "a words file has `date_format`, `locale`, a [names] table and a [words] table",
                ),
            );
            None
        }
    }
}

/// The problems of `text`, a string for `key`, that uses placeholders not in
/// `allowed` (the English string's).
fn placeholder_problems(
    key: &str,
    text: &str,
    allowed: &[&str],
    report: impl Fn(String, String) -> Diagnostic,
) -> Vec<Diagnostic> {
    placeholders_in(text)
        .into_iter()
        .filter(|name| !allowed.contains(name))
        .map(|name| {
            let hint = if allowed.is_empty() {
                format!("`{key}` has no placeholders; write the text without `{{{name}}}`")
            } else {
                format!(
                    "`{key}` can use {}",
                    allowed
                        .iter()
                        .map(|a| format!("`{{{a}}}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            report(
                format!("unknown placeholder `{{{name}}}` in string `{key}`"),
                hint,
            )
        })
        .collect()
}

/// The words file a language code uses, among `available`: its own, else
/// its primary language's (`en-GB` uses `en`). Simplified Chinese tags use
/// `zh`, but Traditional ones (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`) do not,
/// since the built-in `zh` is Simplified.
fn file_for<'a>(code: &str, available: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    if let Some(exact) = available.clone().find(|f| f.eq_ignore_ascii_case(code)) {
        return Some(exact);
    }
    let mut parts = code.split('-');
    let primary = parts.next()?;
    let subtags: Vec<String> = parts.map(str::to_ascii_lowercase).collect();
    let simplified = subtags.iter().any(|p| p == "hans");
    let traditional = subtags
        .iter()
        .any(|p| matches!(p.as_str(), "hant" | "tw" | "hk" | "mo"));
    if primary.eq_ignore_ascii_case("zh") && traditional && !simplified {
        return None;
    }
    available
        .into_iter()
        .find(|f| f.eq_ignore_ascii_case(primary))
}

/// A language's strings: config.toml's override, else its words file, else
/// English. Reports unknown keys and placeholders in the overrides, and
/// warns when words fall back to English.
fn resolve(
    spec: &LanguageSpec<'_>,
    files: &BTreeMap<String, Layered>,
    keys: &[&str],
    problems: &mut Vec<Diagnostic>,
) -> Strings {
    let english = files.get(ENGLISH).cloned().unwrap_or_default();
    let file = file_for(spec.code, files.keys().map(String::as_str));
    let own = file.map(|f| &files[f]);
    for (key, text, position) in &spec.strings {
        let at = |message: String, hint: String| {
            Diagnostic::error(CONFIG_FILE, *position, message)
                .with_code(crate::base::codes::WORDS_PLACEHOLDER)
                .with_hint(hint)
        };
        match english.words.get(*key) {
            Some(english_text) => problems.extend(placeholder_problems(
                key,
                text,
                &placeholders_in(english_text),
                at,
            )),
            None => problems.push(
                at(
                    format!(
                        "unknown key `languages.{}.strings.{key}` in {CONFIG_FILE}",
                        spec.code
                    ),
                    unknown_key_hint(key, keys),
                )
                .with_code(crate::base::codes::WORDS_KEY),
            ),
        }
    }
    let overrides: BTreeMap<&str, &str> = spec.strings.iter().map(|(k, t, _)| (*k, *t)).collect();
    let mut map = BTreeMap::new();
    let mut missing = Vec::new();
    for key in keys {
        let value = match (overrides.get(key), own.and_then(|o| o.words.get(*key))) {
            (Some(text), _) => text.to_string(),
            (None, Some(text)) => text.clone(),
            (None, None) => {
                if file != Some(ENGLISH) {
                    missing.push(*key);
                }
                english.words.get(*key).cloned().unwrap_or_default()
            }
        };
        map.insert(key.to_string(), value);
    }
    if !missing.is_empty() {
        let message = match file {
            None if missing.len() == keys.len() => format!(
                "language `{}` has no built-in strings: the theme's words will be in English",
                spec.code
            ),
            None => format!(
                "language `{}` has no built-in strings: {} of {} strings fall back to English ({})",
                spec.code,
                missing.len(),
                keys.len(),
                missing.join(", ")
            ),
            Some(_) => format!(
                "language `{}`: {} of {} strings fall back to English ({})",
                spec.code,
                missing.len(),
                keys.len(),
                missing.join(", ")
            ),
        };
        let hint = match file {
            None => format!(
                "translate them in a [languages.{}.strings] table or a theme's i18n/{}.toml; {KEYS_DOC}",
                spec.code, spec.code
            ),
            Some(f) => format!(
                "translate them in the theme's i18n/{f}.toml or a [languages.{}.strings] table; {KEYS_DOC}",
                spec.code
            ),
        };
        problems.push(
            Diagnostic::warning(CONFIG_FILE, spec.position, message)
                .with_code(crate::base::codes::WORDS_MISSING)
                .with_hint(hint),
        );
    }
    let date_format = spec
        .date_format
        .map(str::to_string)
        .or_else(|| own.and_then(|o| o.date_format.clone()))
        .or_else(|| english.date_format.clone())
        .unwrap_or_else(|| "%Y-%m-%d".to_string());
    let locale = own
        .and_then(|o| o.locale)
        .or_else(|| chrono_locale(spec.locale))
        .or_else(|| chrono_locale(spec.code))
        .or(english.locale)
        .unwrap_or(Locale::en_US);
    Strings {
        code: spec.code.to_string(),
        map,
        date_format,
        locale,
    }
}

/// The words files of a theme folder's `i18n/`, by language code.
pub fn is_words_file(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let code = name.strip_suffix(".toml")?;
    (!code.is_empty() && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then(|| code.to_string())
}

/// chrono's locale for a language tag: `pt-BR` -> `pt_BR`, `nl` -> `nl_NL`,
/// `sv` -> `sv_SE`, `zh-Hant` -> `zh_TW`.
fn chrono_locale(code: &str) -> Option<Locale> {
    let try_tag = |tag: &str| Locale::try_from(tag).ok();
    let mut parts = code.split('-');
    let primary = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    // A region subtag, if any (`pt-BR`, `zh-Hant-TW`).
    let region = rest
        .iter()
        .find(|p| p.len() == 2 || p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()));
    if let Some(region) = region {
        if let Some(locale) = try_tag(&format!("{primary}_{}", region.to_ascii_uppercase())) {
            return Some(locale);
        }
    }
    if primary == "zh" && rest.iter().any(|p| p.eq_ignore_ascii_case("hant")) {
        return Some(Locale::zh_TW);
    }
    // The region where the language is mostly written, where it is not its own code.
    let usual_region = match primary {
        "ko" => "KR",
        "sv" => "SE",
        "da" => "DK",
        "cs" => "CZ",
        "el" => "GR",
        "uk" => "UA",
        "he" => "IL",
        "ar" => "EG",
        "hi" => "IN",
        "vi" => "VN",
        "nb" | "nn" | "no" => "NO",
        "ms" => "MY",
        "ca" => "ES",
        "et" => "EE",
        "sl" => "SI",
        "sq" => "AL",
        "sr" => "RS",
        "ga" => "IE",
        "fa" => "IR",
        "ur" => "PK",
        "bn" => "BD",
        "ta" => "IN",
        "en" => "US",
        _ => "",
    };
    try_tag(&format!("{primary}_{usual_region}"))
        .or_else(|| try_tag(&format!("{primary}_{}", primary.to_ascii_uppercase())))
}

/// Formats `date`; None when the format asks for something a date does not
/// have (a time, a time zone) or is not valid.
fn format_with(format: &str, locale: Locale, date: NaiveDate) -> Option<String> {
    use chrono::format::{Item, StrftimeItems};
    use std::fmt::Write;
    if format.is_empty() || StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return None;
    }
    let mut out = String::new();
    write!(out, "{}", date.format_localized(format, locale)).ok()?;
    Some(out)
}

/// Checks a `date_format` (chrono's strftime syntax, date fields only).
pub fn is_valid_date_format(format: &str) -> bool {
    let sample = NaiveDate::from_ymd_opt(2026, 5, 12).expect("a valid date");
    format_with(format, Locale::en_US, sample).is_some()
}

/// The `{name}` placeholders a string uses.
pub fn placeholders_in(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if after[..close]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && close > 0 =>
            {
                found.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

/// Replaces each `{name}` placeholder of `template` with its value, in one
/// pass: a value that itself holds `{name}` (a title with braces) is
/// inserted as it is. Unknown placeholders stay as written. The one filler
/// of the theme's words, used by the `fill` filter and by rendering.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let found = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = values.iter().find(|(n, _)| *n == name)?;
            Some((close, *value))
        });
        match found {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default theme's words files, as the binary embeds them.
    fn built_in_files() -> Vec<WordsFile> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n");
        let mut files: Vec<WordsFile> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter_map(|path| {
                let code = is_words_file(&path)?;
                let text = std::fs::read_to_string(&path).unwrap();
                Some(WordsFile {
                    code,
                    origin: path,
                    text,
                })
            })
            .collect();
        files.sort_by(|a, b| a.code.cmp(&b.code));
        files
    }

    fn spec(code: &str) -> LanguageSpec<'_> {
        LanguageSpec {
            code,
            name: code,
            locale: code,
            date_format: None,
            strings: Vec::new(),
            position: Position::START,
        }
    }

    fn resolved(spec: LanguageSpec<'_>) -> (Strings, Vec<Diagnostic>) {
        let (catalog, problems) = Catalog::new(std::slice::from_ref(&spec), &built_in_files());
        (catalog.get(spec.code).clone(), problems)
    }

    #[test]
    fn every_language_file_has_the_english_keys_and_placeholders() {
        let files = built_in_files();
        let parse = |f: &WordsFile| parse_file(f, &mut Vec::new()).expect("parses");
        let english = parse(files.iter().find(|f| f.code == ENGLISH).unwrap());
        let codes: Vec<&str> = files.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["de", "en", "es", "fr", "ja", "zh"]);
        for file in &files {
            let data = parse(file);
            let keys: Vec<&String> = data.words.keys().collect();
            let english_keys: Vec<&String> = english.words.keys().collect();
            assert_eq!(keys, english_keys, "{}: keys", file.code);
            for (key, text) in &data.words {
                let theirs: std::collections::BTreeSet<&str> =
                    placeholders_in(text.get_ref()).into_iter().collect();
                let ours: std::collections::BTreeSet<&str> =
                    placeholders_in(english.words[key].get_ref())
                        .into_iter()
                        .collect();
                assert_eq!(theirs, ours, "{}: placeholders of `{key}`", file.code);
            }
            let names: Vec<&String> = data.names.keys().collect();
            assert_eq!(
                names,
                codes.iter().collect::<Vec<_>>(),
                "{}: names",
                file.code
            );
            assert!(is_valid_date_format(data.date_format.unwrap().get_ref()));
            assert!(Locale::try_from(data.locale.unwrap().get_ref().as_str()).is_ok());
        }
        // A wrong placeholder in a translation is reported where it is.
        let mut wrong = files.clone();
        let de = wrong.iter_mut().find(|f| f.code == "de").unwrap();
        de.text = de.text.replace("{date}", "{datum}");
        let (_, problems) = Catalog::new(&[spec("de")], &wrong);
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("unknown placeholder `{datum}`")),
            "{problems:?}"
        );
    }

    #[test]
    fn language_names_find_their_code() {
        let specs = [
            LanguageSpec {
                name: "English",
                ..spec("en")
            },
            LanguageSpec {
                name: "Deutsch",
                ..spec("de")
            },
            LanguageSpec {
                name: "中文",
                locale: "zh-Hans",
                ..spec("zh")
            },
        ];
        let (catalog, _) = Catalog::new(&specs, &built_in_files());
        for (name, code) in [
            ("German", "de"),
            ("deutsch", "de"),
            ("allemand", "de"),
            ("de-DE", "de"),
            ("Chinese", "zh"),
            ("中文", "zh"),
            ("zh-hans", "zh"),
            ("english", "en"),
        ] {
            assert_eq!(catalog.code_for_name(name), Some(code), "{name}");
        }
        assert_eq!(catalog.code_for_name("French"), None);
        assert_eq!(catalog.language_name("en", "zh"), "英文");
        assert_eq!(catalog.language_name("de", "fr"), "allemand");
    }

    #[test]
    fn dates_in_the_six_built_in_languages() {
        let date = NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
        let cases = [
            ("en", "12 May 2026"),
            ("zh", "2026年5月12日"),
            ("de", "12. Mai 2026"),
            ("fr", "12 mai 2026"),
            ("es", "12 de mayo de 2026"),
            ("ja", "2026年5月12日"),
        ];
        for (code, want) in cases {
            assert_eq!(resolved(spec(code)).0.format_date(date), want, "{code}");
        }
        let march = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        assert_eq!(resolved(spec("fr")).0.format_date(march), "1 mars 2025");
        assert_eq!(resolved(spec("de")).0.format_date(march), "1. März 2025");
    }

    #[test]
    fn variants_and_fallbacks() {
        let codes = ["de", "en", "es", "fr", "ja", "zh"];
        let file = |code| file_for(code, codes.iter().copied());
        assert_eq!(file("en-GB"), Some("en"));
        assert_eq!(file("zh-Hans"), Some("zh"));
        assert_eq!(file("zh-CN"), Some("zh"));
        assert_eq!(file("zh-Hant"), None);
        assert_eq!(file("zh-TW"), None);
        assert_eq!(file("pt-BR"), None);
        assert_eq!(file("zh-Hans-HK"), Some("zh"));

        let (strings, problems) = resolved(spec("pt-BR"));
        assert_eq!(strings.get("contents"), "Contents");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .message
                .contains("the theme's words will be in English")
        );
        // Month names still come from the language's own locale.
        let date = NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
        assert_eq!(strings.format_date(date), "12 maio 2026");

        let nl = LanguageSpec {
            strings: vec![("contents", "Inhoud", Position::START)],
            date_format: Some("%-d %B %Y"),
            ..spec("nl")
        };
        let (strings, problems) = resolved(nl);
        assert_eq!(strings.get("contents"), "Inhoud");
        assert!(problems[0].message.contains("fall back to English"));
        assert!(!problems[0].message.contains("contents"));
        assert_eq!(strings.format_date(date), "12 mei 2026");
    }

    #[test]
    fn overrides_win_and_are_checked() {
        let en = LanguageSpec {
            strings: vec![
                ("contents", "On this page", Position::START),
                ("contentz", "x", Position::new(7, 1)),
                ("effective_on", "From {day}", Position::new(8, 1)),
                ("version", "{date}", Position::new(9, 1)),
            ],
            ..spec("en")
        };
        let (strings, problems) = resolved(en);
        assert_eq!(strings.get("contents"), "On this page");
        assert_eq!(strings.get("effective_date"), "Effective date");
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "config.toml:7:1: error: unknown key `languages.en.strings.contentz` in config.toml (help: did you mean `contents`?)",
                "config.toml:8:1: error: unknown placeholder `{day}` in string `effective_on` (help: `effective_on` can use `{date}`)",
                "config.toml:9:1: error: unknown placeholder `{date}` in string `version` (help: `version` has no placeholders; write the text without `{date}`)",
            ]
        );
    }

    #[test]
    fn a_theme_adds_and_overrides_words() {
        let mut files = built_in_files();
        files.push(WordsFile {
            code: "en".into(),
            origin: "themes/acme/i18n/en.toml".into(),
            text: "[words]\ncookie_settings = \"Cookie settings\"\ncontents = \"On this page\"\n"
                .into(),
        });
        files.push(WordsFile {
            code: "de".into(),
            origin: "themes/acme/i18n/de.toml".into(),
            text: "[words]\ncookie_settings = \"Cookie-Einstellungen\"\ncookie_setings = \"x\"\n"
                .into(),
        });
        let specs = [spec("en"), spec("de"), spec("fr")];
        let (catalog, problems) = Catalog::new(&specs, &files);
        assert_eq!(catalog.get("en").get("cookie_settings"), "Cookie settings");
        assert_eq!(catalog.get("en").get("contents"), "On this page");
        assert_eq!(
            catalog.get("de").get("cookie_settings"),
            "Cookie-Einstellungen"
        );
        assert_eq!(catalog.get("de").get("contents"), "Inhalt");
        assert_eq!(catalog.get("fr").get("cookie_settings"), "Cookie settings");
        let messages: Vec<String> = problems
            .iter()
            .map(|p| {
                format!(
                    "{}:{}:{}: {}",
                    p.path.display(),
                    p.line,
                    p.column,
                    p.message
                )
            })
            .collect();
        assert_eq!(
            messages,
            [
                "themes/acme/i18n/de.toml:3:18: `cookie_setings` is not one of the theme's words",
                "config.toml:1:1: language `fr`: 1 of 54 strings fall back to English (cookie_settings)",
            ]
        );
    }

    #[test]
    fn date_formats_are_checked() {
        assert!(is_valid_date_format("%-d %B %Y"));
        assert!(is_valid_date_format("Day %j of %Y"));
        for bad in [
            "%Q", "", "%H:%M %d", "%Z", "%z", "%s", "%+", "%c", "%P", "%.3f", "%",
        ] {
            assert!(!is_valid_date_format(bad), "{bad}");
        }
    }

    #[test]
    fn month_names_for_languages_without_words_files() {
        let date = NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
        let month = |code: &str| resolved(spec(code)).0.format_date(date);
        assert_eq!(month("sv"), "12 maj 2026");
        assert_eq!(month("ko"), "12 5월 2026");
        assert_eq!(month("zh-Hant"), "12 五月 2026");
        assert_ne!(month("uk"), "12 May 2026");
        assert_ne!(month("da"), "12 May 2026");
        let sv = LanguageSpec {
            locale: "sv-SE",
            ..spec("sv")
        };
        assert_eq!(resolved(sv).0.format_date(date), "12 maj 2026");
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(
            placeholders_in("{date} and {language}, {not closed"),
            ["date", "language"]
        );
        assert_eq!(placeholders_in("{} {a b} {ok_1}"), ["ok_1"]);
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill("{a} and {a}, {b}", &[("a", "x"), ("b", "y")]),
            "x and x, y"
        );
        // One pass: a value is never filled in turn; unknown names stay.
        assert_eq!(
            fill(
                "{title}: version {version} {x} {",
                &[("title", "A {version}"), ("version", "2")]
            ),
            "A {version}: version 2 {x} {"
        );
    }
}
