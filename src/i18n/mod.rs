//! The words the theme prints, per language: built-in tables for English,
//! Simplified Chinese, German, French, Spanish and Japanese, overridable per
//! language in `config.toml`; dates formatted for each language; and the
//! names of languages in other languages ("英文" for English on a Chinese page).
//!
//! May import `base`.

use std::collections::BTreeMap;

use chrono::{Locale, NaiveDate};

use crate::base::diagnostics::Diagnostic;
use crate::load::config::{Config, Language};

/// Every string key, in the order the README documents them.
pub const KEYS: &[&str] = &[
    "skip_to_content",
    "language_switcher",
    "languages_on_page",
    "contents",
    "effective_date",
    "version",
    "all_versions",
    "permanent_link",
    "versions_title",
    "status_current",
    "status_upcoming",
    "status_superseded",
    "column_status",
    "column_changes",
    "what_changed",
    "notice_upcoming",
    "notice_archived",
    "notice_announce",
    "link_current_version",
    "link_new_version",
    "governing_notice",
    "governing_notice_combined",
    "governing_link",
    "anchor_label",
    "effective_on",
    "takes_effect_on",
    "in_language",
    "redline_title",
    "redline_compared",
    "redline_counts",
    "redline_same",
    "redline_toggle",
    "redline_legend",
    "legend_inserted",
    "legend_deleted",
    "redline_unchanged",
    "label_inserted",
    "label_deleted",
    "label_moved",
    "link_redline",
    "column_period",
    "period_closed",
    "period_open",
    "notice_stale",
    "link_newer_version",
    "corrections",
    "breadcrumb",
    "feed_link",
    "moved_title",
    "moved_link",
    "number_was",
    "moved_from",
    "moved_to",
];

/// The built-in languages, by primary language code.
const BUILT_IN: &[&str] = &["en", "zh", "de", "fr", "es", "ja"];

fn table(lang: &str) -> &'static [&'static str] {
    // One entry per KEYS entry, in the same order (checked by a test).
    match lang {
        "zh" => &[
            "跳到正文",
            "语言",
            "本页语言",
            "目录",
            "生效日期",
            "版本",
            "所有版本",
            "此版本的永久链接",
            "{title}：所有版本",
            "现行有效",
            "即将生效",
            "已被取代",
            "状态",
            "变更内容",
            "本版本的变更：",
            "此版本将于{date}生效。",
            "您正在阅读的是已失效的存档版本。",
            "新版本将于{date}生效。",
            "阅读现行版本",
            "阅读新版本",
            "本文为译本。如与{language}版本有任何不一致，以{language}版本为准。",
            "本文件以多种语言发布。如各语言版本之间有任何不一致，以{language}版本为准。",
            "阅读{language}版本",
            "链接到本节",
            "{date}生效",
            "将于{date}生效",
            "（{language}）",
            "{title}：第{version}版的变更",
            "第{new}版（自{new_date}起生效）与第{old}版（自{old_date}起生效）的比较。",
            "新增{added}字，删除{removed}字。",
            "两个版本的文本相同。",
            "显示不带标记的新文本",
            "图例：",
            "新增的文本",
            "删除的文本",
            "{count}处未更改的段落",
            "新增：",
            "删除：",
            "已移动",
            "查看变更",
            "生效期间",
            "{from}至{to}",
            "自{from}起",
            "本译本并非最新：{language}的新版本已于{date}生效。",
            "阅读新版本",
            "本版本生效后作出的更正：",
            "当前位置",
            "订阅变更（Atom 源）",
            "此页面已移动",
            "前往{title}",
            "（原为{number}）",
            "移自“{place}”",
            "移至“{place}”",
        ],
        "de" => &[
            "Zum Inhalt springen",
            "Sprache",
            "Sprachen auf dieser Seite",
            "Inhalt",
            "Gültig ab",
            "Version",
            "Alle Versionen",
            "Dauerhafter Link zu dieser Version",
            "{title}: alle Versionen",
            "Gültig",
            "Künftig gültig",
            "Ersetzt",
            "Status",
            "Änderungen",
            "Änderungen in dieser Version:",
            "Diese Version gilt ab dem {date}.",
            "Sie lesen eine archivierte Version, die nicht mehr gilt.",
            "Ab dem {date} gilt eine neue Version.",
            "Gültige Version lesen",
            "Neue Version lesen",
            "Dies ist eine Übersetzung. Bei Abweichungen ist die Fassung auf {language} maßgeblich.",
            "Dieses Dokument wird in mehreren Sprachen veröffentlicht. Bei Abweichungen ist die Fassung auf {language} maßgeblich.",
            "Fassung auf {language} lesen",
            "Link zu diesem Abschnitt",
            "Gültig ab {date}",
            "Gültig ab {date}",
            "({language})",
            "{title}: Änderungen in Version {version}",
            "Version {new} (gültig ab {new_date}) im Vergleich mit Version {old} (gültig ab {old_date}).",
            "{added} Wörter hinzugefügt, {removed} Wörter entfernt.",
            "Der Text ist in beiden Versionen gleich.",
            "Neuen Text ohne Markierungen zeigen",
            "Legende:",
            "eingefügter Text",
            "gelöschter Text",
            "{count} unveränderte Abschnitte",
            "eingefügt:",
            "gelöscht:",
            "verschoben",
            "Änderungen ansehen",
            "Gültigkeit",
            "vom {from} bis {to}",
            "ab {from}",
            "Diese Übersetzung ist nicht aktuell: Auf {language} gilt seit dem {date} eine neuere Version.",
            "Neuere Version lesen",
            "Berichtigungen nach Inkrafttreten dieser Version:",
            "Navigationspfad",
            "Änderungen abonnieren (Atom-Feed)",
            "Diese Seite ist umgezogen",
            "Weiter zu {title}",
            "(bisher {number})",
            "verschoben aus „{place}“",
            "verschoben nach „{place}“",
        ],
        "fr" => &[
            "Aller au contenu",
            "Langue",
            "Langues de cette page",
            "Sommaire",
            "Date d’entrée en vigueur",
            "Version",
            "Toutes les versions",
            "Lien permanent vers cette version",
            "{title} : toutes les versions",
            "En vigueur",
            "À venir",
            "Remplacée",
            "Statut",
            "Modifications",
            "Modifications dans cette version :",
            "Cette version entre en vigueur le {date}.",
            "Vous lisez une version archivée qui n’est plus en vigueur.",
            "Une nouvelle version entre en vigueur le {date}.",
            "Lire la version en vigueur",
            "Lire la nouvelle version",
            "Ceci est une traduction. En cas de divergence, la version en {language} prévaut.",
            "Ce document est publié en plusieurs langues. En cas de divergence, la version en {language} prévaut.",
            "Lire la version en {language}",
            "Lien vers cette section",
            "En vigueur depuis le {date}",
            "Entre en vigueur le {date}",
            "({language})",
            "{title} : modifications de la version {version}",
            "Version {new} (en vigueur à partir du {new_date}) comparée à la version {old} (en vigueur à partir du {old_date}).",
            "{added} mots ajoutés, {removed} mots supprimés.",
            "Le texte est identique dans les deux versions.",
            "Afficher le nouveau texte sans marques",
            "Légende :",
            "texte ajouté",
            "texte supprimé",
            "{count} passages inchangés",
            "ajouté :",
            "supprimé :",
            "déplacé",
            "Voir les modifications",
            "Période de validité",
            "du {from} au {to}",
            "à partir du {from}",
            "Cette traduction n’est pas à jour : une version plus récente est en vigueur en {language} depuis le {date}.",
            "Lire la version plus récente",
            "Corrections apportées après l’entrée en vigueur de cette version :",
            "Fil d’Ariane",
            "Suivre les modifications (flux Atom)",
            "Cette page a été déplacée",
            "Aller à {title}",
            "(auparavant {number})",
            "déplacé depuis « {place} »",
            "déplacé vers « {place} »",
        ],
        "es" => &[
            "Saltar al contenido",
            "Idioma",
            "Idiomas de esta página",
            "Índice",
            "Fecha de entrada en vigor",
            "Versión",
            "Todas las versiones",
            "Enlace permanente a esta versión",
            "{title}: todas las versiones",
            "Vigente",
            "Próxima",
            "Sustituida",
            "Estado",
            "Cambios",
            "Cambios en esta versión:",
            "Esta versión entra en vigor el {date}.",
            "Está leyendo una versión archivada que ya no está vigente.",
            "Una nueva versión entra en vigor el {date}.",
            "Leer la versión vigente",
            "Leer la nueva versión",
            "Esta es una traducción. En caso de discrepancia, prevalece la versión en {language}.",
            "Este documento se publica en varios idiomas. En caso de discrepancia, prevalece la versión en {language}.",
            "Leer la versión en {language}",
            "Enlace a esta sección",
            "Vigente desde el {date}",
            "Entra en vigor el {date}",
            "({language})",
            "{title}: cambios en la versión {version}",
            "Versión {new} (vigente desde el {new_date}) comparada con la versión {old} (vigente desde el {old_date}).",
            "{added} palabras añadidas, {removed} palabras eliminadas.",
            "El texto es el mismo en ambas versiones.",
            "Mostrar el texto nuevo sin marcas",
            "Leyenda:",
            "texto añadido",
            "texto eliminado",
            "{count} pasajes sin cambios",
            "añadido:",
            "eliminado:",
            "movido",
            "Ver los cambios",
            "Vigencia",
            "del {from} al {to}",
            "desde el {from}",
            "Esta traducción no está actualizada: una versión más reciente está vigente en {language} desde el {date}.",
            "Leer la versión más reciente",
            "Correcciones hechas después de la entrada en vigor de esta versión:",
            "Ruta de navegación",
            "Suscribirse a los cambios (feed Atom)",
            "Esta página se ha trasladado",
            "Ir a {title}",
            "(antes {number})",
            "movido desde «{place}»",
            "movido a «{place}»",
        ],
        "ja" => &[
            "本文へスキップ",
            "言語",
            "このページの言語",
            "目次",
            "発効日",
            "バージョン",
            "すべてのバージョン",
            "この版への固定リンク",
            "{title}：すべてのバージョン",
            "現行",
            "発効予定",
            "旧版",
            "状態",
            "変更点",
            "この版の変更点：",
            "この版は{date}に発効します。",
            "これは現在は効力のない過去の版です。",
            "新しい版が{date}に発効します。",
            "現行版を読む",
            "新しい版を読む",
            "これは翻訳版です。{language}版と内容が異なる場合は、{language}版が優先します。",
            "本書は複数の言語で公開されています。各言語版の内容が異なる場合は、{language}版が優先します。",
            "{language}版を読む",
            "この節へのリンク",
            "{date}発効",
            "{date}発効予定",
            "（{language}）",
            "{title}：第{version}版の変更点",
            "第{new}版（{new_date}発効）と第{old}版（{old_date}発効）の比較。",
            "{added}語を追加、{removed}語を削除。",
            "両方の版の本文は同じです。",
            "新しい本文を変更の印なしで表示",
            "凡例：",
            "追加された本文",
            "削除された本文",
            "変更のない{count}か所",
            "追加：",
            "削除：",
            "移動",
            "変更点を見る",
            "効力のある期間",
            "{from}から{to}まで",
            "{from}から",
            "この翻訳は最新ではありません：{language}の新しい版が{date}から効力を持っています。",
            "新しい版を読む",
            "この版の発効後の訂正：",
            "現在地",
            "変更を購読する（Atom フィード）",
            "このページは移動しました",
            "{title}へ移動",
            "（旧{number}）",
            "「{place}」から移動",
            "「{place}」へ移動",
        ],
        _ => &[
            "Skip to content",
            "Language",
            "Languages on this page",
            "Contents",
            "Effective date",
            "Version",
            "All versions",
            "Permanent link to this version",
            "{title}: all versions",
            "In effect",
            "Upcoming",
            "Superseded",
            "Status",
            "What changed",
            "What changed in this version:",
            "This version takes effect on {date}.",
            "You are reading an archived version that is no longer in effect.",
            "A new version takes effect on {date}.",
            "Read the version in effect",
            "Read the new version",
            "This is a translation. If it differs from the {language} version, the {language} version prevails.",
            "This document is published in several languages. If they differ, the {language} version prevails.",
            "Read the {language} version",
            "Link to this section",
            "Effective {date}",
            "Takes effect on {date}",
            "({language})",
            "{title}: what changed in version {version}",
            "Version {new} (in effect from {new_date}) compared with version {old} (in effect from {old_date}).",
            "{added} words added, {removed} words removed.",
            "The text is the same in both versions.",
            "Show the new text without marks",
            "Key:",
            "inserted text",
            "deleted text",
            "{count} unchanged passages",
            "inserted:",
            "deleted:",
            "moved",
            "What changed",
            "Period in effect",
            "from {from} to {to}",
            "from {from}",
            "This translation is not up to date: a newer version has been in effect in {language} since {date}.",
            "Read the newer version",
            "Corrections made after this version took effect:",
            "Breadcrumb",
            "Subscribe to changes (Atom feed)",
            "This page has moved",
            "Go to {title}",
            "(was {number})",
            "moved from “{place}”",
            "moved to “{place}”",
        ],
    }
}

/// How each built-in language writes a date, and the locale for month names.
fn date_style(lang: &str) -> (&'static str, Locale) {
    match lang {
        "zh" => ("%Y年%-m月%-d日", Locale::zh_CN),
        "ja" => ("%Y年%-m月%-d日", Locale::ja_JP),
        "de" => ("%-d. %B %Y", Locale::de_DE),
        "fr" => ("%-d %B %Y", Locale::fr_FR),
        "es" => ("%-d de %B de %Y", Locale::es_ES),
        _ => ("%-d %B %Y", Locale::en_US),
    }
}

/// The names of the built-in languages in each built-in language:
/// `NAMES[i][j]` is language `BUILT_IN[j]` written in `BUILT_IN[i]`.
const NAMES: [[&str; 6]; 6] = [
    [
        "English", "Chinese", "German", "French", "Spanish", "Japanese",
    ],
    ["英文", "中文", "德文", "法文", "西班牙文", "日文"],
    [
        "Englisch",
        "Chinesisch",
        "Deutsch",
        "Französisch",
        "Spanisch",
        "Japanisch",
    ],
    [
        "anglais",
        "chinois",
        "allemand",
        "français",
        "espagnol",
        "japonais",
    ],
    ["inglés", "chino", "alemán", "francés", "español", "japonés"],
    [
        "英語",
        "中国語",
        "ドイツ語",
        "フランス語",
        "スペイン語",
        "日本語",
    ],
];

/// The built-in table a language code uses, if any: `en-GB` uses `en`;
/// Simplified Chinese tags use `zh`, but Traditional ones (`zh-Hant`,
/// `zh-TW`, `zh-HK`, `zh-MO`) do not, since the table is Simplified.
pub fn built_in(code: &str) -> Option<&'static str> {
    let mut parts = code.split('-');
    let primary = parts.next()?;
    let lang = BUILT_IN.iter().copied().find(|b| *b == primary)?;
    let subtags: Vec<String> = code
        .split('-')
        .skip(1)
        .map(|p| p.to_ascii_lowercase())
        .collect();
    let simplified = subtags.iter().any(|p| p == "hans");
    let traditional = subtags
        .iter()
        .any(|p| matches!(p.as_str(), "hant" | "tw" | "hk" | "mo"));
    if lang == "zh" && traditional && !simplified {
        return None;
    }
    Some(lang)
}

/// The resolved words and date style of one language.
#[derive(Debug, Clone)]
pub struct Strings {
    pub code: String,
    map: BTreeMap<&'static str, String>,
    date_format: String,
    locale: Locale,
}

impl Strings {
    /// The string for `key` (every key of `KEYS` is present).
    pub fn get(&self, key: &str) -> &str {
        self.map.get(key).map_or("", String::as_str)
    }

    /// All strings, for templates (`t.<key>`).
    pub fn map(&self) -> &BTreeMap<&'static str, String> {
        &self.map
    }

    /// A date written the way this language writes dates.
    pub fn format_date(&self, date: NaiveDate) -> String {
        date.format_localized(&self.date_format, self.locale)
            .to_string()
    }
}

/// Every declared language's strings, in declaration order.
#[derive(Debug, Clone)]
pub struct Catalog {
    languages: Vec<Strings>,
}

impl Catalog {
    /// Resolves the strings of every language in `config`; returns warnings
    /// for languages that fall back to English.
    pub fn new(config: &Config) -> (Self, Vec<Diagnostic>) {
        let mut warnings = Vec::new();
        let languages = config
            .languages
            .iter()
            .map(|language| {
                let (strings, missing) = resolve(language);
                if !missing.is_empty() {
                    let message = if missing.len() == KEYS.len() {
                        format!("language `{}` has no built-in strings: the theme's words will be in English", language.code)
                    } else {
                        format!(
                            "language `{}` has no built-in strings: {} of {} strings fall back to English ({})",
                            language.code,
                            missing.len(),
                            KEYS.len(),
                            missing.join(", ")
                        )
                    };
                    warnings.push(
                        Diagnostic::warning(crate::base::layout::CONFIG_FILE, language.position, message)
                            .with_hint(format!(
                                "translate them in a [languages.{}.strings] table; the README lists the keys",
                                language.code
                            )),
                    );
                }
                strings
            })
            .collect();
        (Self { languages }, warnings)
    }

    /// The strings of a declared language.
    pub fn get(&self, code: &str) -> &Strings {
        self.languages
            .iter()
            .find(|s| s.code == code)
            .unwrap_or(&self.languages[0])
    }
}

/// A language's strings: the override, else the built-in table, else English.
/// Also returns the keys that fell back to English although the language
/// has no built-in table.
fn resolve(language: &Language) -> (Strings, Vec<&'static str>) {
    let built_in = built_in(&language.code);
    let base = table(built_in.unwrap_or("en"));
    let mut map = BTreeMap::new();
    let mut missing = Vec::new();
    for (key, default) in KEYS.iter().zip(base) {
        let value = match language.strings.get(*key) {
            Some(v) => v.clone(),
            None => {
                if built_in.is_none() {
                    missing.push(*key);
                }
                default.to_string()
            }
        };
        map.insert(*key, value);
    }
    let (default_format, default_locale) = date_style(built_in.unwrap_or("en"));
    let locale = built_in
        .map(|_| default_locale)
        .or_else(|| chrono_locale(&language.locale))
        .or_else(|| chrono_locale(&language.code))
        .unwrap_or(default_locale);
    let strings = Strings {
        code: language.code.clone(),
        map,
        date_format: language
            .date_format
            .clone()
            .unwrap_or_else(|| default_format.to_string()),
        locale,
    };
    (strings, missing)
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

/// The placeholders each string may use.
pub fn placeholders(key: &str) -> &'static [&'static str] {
    match key {
        "versions_title" | "moved_link" => &["title"],
        "number_was" => &["number"],
        "moved_from" | "moved_to" => &["place"],
        "redline_title" => &["title", "version"],
        "redline_compared" => &["new", "new_date", "old", "old_date"],
        "redline_counts" => &["added", "removed"],
        "redline_unchanged" => &["count"],
        "period_closed" => &["from", "to"],
        "period_open" => &["from"],
        "notice_stale" => &["language", "date"],
        "notice_upcoming" | "notice_announce" | "effective_on" | "takes_effect_on" => &["date"],
        "governing_notice" | "governing_notice_combined" | "governing_link" | "in_language" => {
            &["language"]
        }
        _ => &[],
    }
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

/// The name of language `code` for a reader of language `reader`: the
/// built-in translation when both are built in, else the configured name.
pub fn language_name<'a>(config: &'a Config, code: &str, reader: &str) -> &'a str {
    let index = |c: &str| built_in(c).and_then(|b| BUILT_IN.iter().position(|x| *x == b));
    match (index(reader), index(code)) {
        // Two variants of one language (`en` and `en-GB`) need their own names.
        (Some(r), Some(c)) if r != c || code == reader => NAMES[r][c],
        _ => config.language(code).map_or("", |l| l.name.as_str()),
    }
}

/// The declared language a name means (`German`, `Deutsch`, `allemand` or
/// `de-DE` for a declared `de`): its code, its locale, its configured name,
/// or its name in any built-in language, without case.
pub fn code_for_name<'a>(config: &'a Config, name: &str) -> Option<&'a str> {
    let name = name.trim().to_lowercase();
    let primary = |tag: &str| {
        tag.split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_lowercase()
    };
    config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .find(|&code| {
            let language = config.language(code);
            let built_in_names = built_in(code)
                .and_then(|b| BUILT_IN.iter().position(|x| *x == b))
                .map(|c| NAMES.iter().map(move |names| names[c]))
                .into_iter()
                .flatten();
            language
                .map(|l| [l.name.as_str(), l.locale.as_str()])
                .into_iter()
                .flatten()
                .chain(built_in_names)
                .any(|known| known.to_lowercase() == name)
                || primary(&name) == primary(code) && name.len() > 1
        })
}

/// Replaces `{name}` placeholders in a string.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language(code: &str) -> Language {
        Language {
            code: code.to_string(),
            name: code.to_string(),
            locale: code.to_string(),
            date_format: None,
            strings: BTreeMap::new(),
            extra: serde_json::Value::Null,
            position: crate::base::diagnostics::Position::START,
        }
    }

    #[test]
    fn language_names_find_their_code() {
        let toml = "base_url = \"https://x.example/\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.de]\nname = \"Deutsch\"\n[languages.zh]\nname = \"中文\"\nlocale = \"zh-Hans\"\n";
        let config = crate::load::config::parse(toml, "config.toml").unwrap();
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
            assert_eq!(code_for_name(&config, name), Some(code), "{name}");
        }
        assert_eq!(code_for_name(&config, "French"), None);
    }

    #[test]
    fn every_table_has_every_key() {
        for lang in BUILT_IN {
            assert_eq!(table(lang).len(), KEYS.len(), "{lang}");
        }
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
            assert_eq!(resolve(&language(code)).0.format_date(date), want, "{code}");
        }
        let march = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        assert_eq!(resolve(&language("fr")).0.format_date(march), "1 mars 2025");
        assert_eq!(
            resolve(&language("de")).0.format_date(march),
            "1. März 2025"
        );
    }

    #[test]
    fn variants_and_fallbacks() {
        assert_eq!(built_in("en-GB"), Some("en"));
        assert_eq!(built_in("zh-Hans"), Some("zh"));
        assert_eq!(built_in("zh-CN"), Some("zh"));
        assert_eq!(built_in("zh-Hant"), None);
        assert_eq!(built_in("zh-TW"), None);
        assert_eq!(built_in("pt-BR"), None);

        let (strings, missing) = resolve(&language("pt-BR"));
        assert_eq!(missing.len(), KEYS.len());
        assert_eq!(strings.get("contents"), "Contents");
        // Month names still come from the language's own locale.
        let date = NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
        assert_eq!(strings.format_date(date), "12 maio 2026");

        let mut nl = language("nl");
        nl.strings
            .insert("contents".to_string(), "Inhoud".to_string());
        nl.date_format = Some("%-d %B %Y".to_string());
        let (strings, missing) = resolve(&nl);
        assert_eq!(strings.get("contents"), "Inhoud");
        assert_eq!(missing.len(), KEYS.len() - 1);
        assert_eq!(strings.format_date(date), "12 mei 2026");
    }

    #[test]
    fn overrides_win_over_built_ins() {
        let mut en = language("en");
        en.strings
            .insert("contents".to_string(), "On this page".to_string());
        let (strings, missing) = resolve(&en);
        assert!(missing.is_empty());
        assert_eq!(strings.get("contents"), "On this page");
        assert_eq!(strings.get("version"), "Version");
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
    fn month_names_for_languages_without_tables() {
        let date = NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
        let month = |code: &str| {
            let (strings, _) = resolve(&language(code));
            strings.format_date(date)
        };
        assert_eq!(month("sv"), "12 maj 2026");
        assert_eq!(month("ko"), "12 5월 2026");
        assert_eq!(month("zh-Hant"), "12 五月 2026");
        assert_ne!(month("uk"), "12 May 2026");
        assert_ne!(month("da"), "12 May 2026");
        let mut sv = language("sv");
        sv.locale = "sv-SE".to_string();
        assert_eq!(resolve(&sv).0.format_date(date), "12 maj 2026");
        assert_eq!(built_in("zh-Hans-HK"), Some("zh"));
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(
            placeholders_in("{date} and {language}, {not closed"),
            ["date", "language"]
        );
        assert_eq!(placeholders_in("{} {a b} {ok_1}"), ["ok_1"]);
        assert_eq!(placeholders("versions_title"), ["title"]);
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill("{a} and {a}, {b}", &[("a", "x"), ("b", "y")]),
            "x and x, y"
        );
    }
}
