//! The stable code of every kind of diagnostic (`link/anchor`,
//! `lock/changed`), as `--format json` and `--format github` give them, so
//! that CI and editors can tell problems apart without reading messages.
//! A code names a kind of problem, never one message's wording: it does not
//! change when a message is reworded. docs/command-line.md lists them all
//! (a test checks that it does).

/// Every code, with what it means (the list the docs give).
pub const ALL: &[(&str, &str)] = &[
    (CONFIG_SYNTAX, "config.toml is not valid TOML"),
    (CONFIG_KEY, "an unknown key in config.toml"),
    (CONFIG_MISSING, "a required key is missing from config.toml"),
    (CONFIG_VALUE, "a value in config.toml that cannot be used"),
    (FILE_UNREADABLE, "a file or folder cannot be read"),
    (FILE_UNWRITABLE, "a file cannot be written"),
    (
        FILE_CHANGED,
        "a file changed while the site was being built",
    ),
    (FILE_ENCODING, "a text file is not UTF-8"),
    (FILE_SYMLINK, "a symbolic link leads outside the site"),
    (FILE_NAME, "a file name that is not portable"),
    (
        FILE_COLLISION,
        "two names that are one file on macOS and Windows",
    ),
    (FILE_SPECIAL, "a device, named pipe or socket in the site"),
    (
        FRONT_MATTER_SYNTAX,
        "front matter that is missing, unclosed or not YAML",
    ),
    (
        FRONT_MATTER_MISSING,
        "a required front matter key is missing",
    ),
    (FRONT_MATTER_KEY, "an unknown or malformed front matter key"),
    (
        FRONT_MATTER_VALUE,
        "a front matter value that cannot be used",
    ),
    (CONTENT_MISSING, "there is no content/ folder"),
    (CONTENT_FOLDER, "a document folder that cannot be used"),
    (
        CONTENT_LANGUAGE,
        "a file in a language config.toml does not declare",
    ),
    (CONTENT_CONTROL, "a control character in a body"),
    (CONTENT_VARIABLE, "an unknown `{{ site.… }}` variable"),
    (CONTENT_TEMPLATE_CODE, "template code left in a body"),
    (
        CONTENT_BODY,
        "a problem in a body's Markdown (ids, footnotes)",
    ),
    (
        CONTENT_VERSION_CLASH,
        "two files for one version, or two versions on one day",
    ),
    (
        CONTENT_COMBINED_ID,
        "two sections of a combined page define one id",
    ),
    (
        ALIAS_DOCUMENT,
        "an alias for a document that does not exist",
    ),
    (
        ALIAS_TAKEN,
        "an alias that is already an address of the site",
    ),
    (LINK_PAGE, "a link to a page the site does not have"),
    (LINK_ANCHOR, "a link to an anchor the page does not have"),
    (
        LINK_SOURCE,
        "a relative link between sources that reaches nothing",
    ),
    (LOCK_NONE, "there is no clause.lock (`--locked`)"),
    (LOCK_SYNTAX, "a line of clause.lock that cannot be read"),
    (LOCK_REMOVED, "a locked version is no longer in content/"),
    (LOCK_DRAFT, "a locked version is marked as a draft"),
    (LOCK_CHANGED, "the text of a locked version changed"),
    (
        LOCK_UNLOCKED,
        "a published version is not in clause.lock (`--locked`)",
    ),
    (THEME_MISSING, "the theme config.toml names does not exist"),
    (
        TEMPLATE_ERROR,
        "a template that cannot be parsed or rendered",
    ),
    (
        TEMPLATE_MISSING,
        "a template that is included or extended but missing",
    ),
    (WORDS_SYNTAX, "a theme words file that cannot be read"),
    (WORDS_KEY, "a word the theme does not have"),
    (
        WORDS_PLACEHOLDER,
        "a word with placeholders its key does not allow",
    ),
    (WORDS_DATE_FORMAT, "a date format chrono cannot use"),
    (WORDS_LOCALE, "a locale without month names"),
    (WORDS_MISSING, "a language whose words fall back to English"),
    (OUTPUT_REFUSED, "an output folder clause will not write to"),
    (OUTPUT_CONFLICT, "two output paths that cannot both exist"),
    (
        OUTPUT_DUPLICATE,
        "two files of the site with one output path",
    ),
    (OUTPUT_IO, "the output could not be written"),
    (
        TRANSLATION_DATE,
        "translations of a version disagree on its effective date",
    ),
    (
        TRANSLATION_STALE,
        "a translation older than the governing text",
    ),
    (
        GOVERNING_MISSING,
        "a document without a version in the governing language",
    ),
    (
        CHANGES_PLACEHOLDER,
        "`changes` is still the placeholder `clause new` wrote",
    ),
];

pub const CONFIG_SYNTAX: &str = "config/syntax";
pub const CONFIG_KEY: &str = "config/key";
pub const CONFIG_MISSING: &str = "config/missing";
pub const CONFIG_VALUE: &str = "config/value";
pub const FILE_UNREADABLE: &str = "file/unreadable";
pub const FILE_UNWRITABLE: &str = "file/unwritable";
pub const FILE_CHANGED: &str = "file/changed";
pub const FILE_ENCODING: &str = "file/encoding";
pub const FILE_SYMLINK: &str = "file/symlink";
pub const FILE_NAME: &str = "file/name";
pub const FILE_COLLISION: &str = "file/collision";
pub const FILE_SPECIAL: &str = "file/special";
pub const FRONT_MATTER_SYNTAX: &str = "front-matter/syntax";
pub const FRONT_MATTER_MISSING: &str = "front-matter/missing";
pub const FRONT_MATTER_KEY: &str = "front-matter/key";
pub const FRONT_MATTER_VALUE: &str = "front-matter/value";
pub const CONTENT_MISSING: &str = "content/missing";
pub const CONTENT_FOLDER: &str = "content/folder";
pub const CONTENT_LANGUAGE: &str = "content/language";
pub const CONTENT_CONTROL: &str = "content/control-character";
pub const CONTENT_VARIABLE: &str = "content/variable";
pub const CONTENT_TEMPLATE_CODE: &str = "content/template-code";
pub const CONTENT_BODY: &str = "content/body";
pub const CONTENT_VERSION_CLASH: &str = "content/version-clash";
pub const CONTENT_COMBINED_ID: &str = "content/combined-id";
pub const ALIAS_DOCUMENT: &str = "alias/document";
pub const ALIAS_TAKEN: &str = "alias/taken";
pub const LINK_PAGE: &str = "link/page";
pub const LINK_ANCHOR: &str = "link/anchor";
pub const LINK_SOURCE: &str = "link/source";
pub const LOCK_NONE: &str = "lock/none";
pub const LOCK_SYNTAX: &str = "lock/syntax";
pub const LOCK_REMOVED: &str = "lock/removed";
pub const LOCK_DRAFT: &str = "lock/draft";
pub const LOCK_CHANGED: &str = "lock/changed";
pub const LOCK_UNLOCKED: &str = "lock/unlocked";
pub const THEME_MISSING: &str = "theme/missing";
pub const TEMPLATE_ERROR: &str = "template/error";
pub const TEMPLATE_MISSING: &str = "template/missing";
pub const WORDS_SYNTAX: &str = "words/syntax";
pub const WORDS_KEY: &str = "words/key";
pub const WORDS_PLACEHOLDER: &str = "words/placeholder";
pub const WORDS_DATE_FORMAT: &str = "words/date-format";
pub const WORDS_LOCALE: &str = "words/locale";
pub const WORDS_MISSING: &str = "words/missing";
pub const OUTPUT_REFUSED: &str = "output/refused";
pub const OUTPUT_CONFLICT: &str = "output/conflict";
pub const OUTPUT_DUPLICATE: &str = "output/duplicate";
pub const OUTPUT_IO: &str = "output/io";
pub const TRANSLATION_DATE: &str = "translation/date";
pub const TRANSLATION_STALE: &str = "translation/stale";
pub const GOVERNING_MISSING: &str = "governing/missing";
pub const CHANGES_PLACEHOLDER: &str = "changes/placeholder";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_each_is_documented() {
        let docs = include_str!("../../docs/command-line.md");
        let mut seen = std::collections::HashSet::new();
        for (code, meaning) in ALL {
            assert!(seen.insert(code), "{code} twice");
            assert!(!meaning.is_empty());
            assert!(
                docs.contains(&format!("| `{code}` |")),
                "docs/command-line.md does not list `{code}`"
            );
        }
    }
}
