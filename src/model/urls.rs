//! The URL layout of a built site. Every path here is site-relative, starts
//! and ends with `/`, and has no base path in front (see `Config::href`).
//!
//! The default language has no prefix; every other language lives under `/<lang>/`.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// The prefix of a language's pages: `` for the default language, `zh/` otherwise.
fn prefix(language: &str, default_language: &str) -> String {
    if language == default_language {
        String::new()
    } else {
        format!("{language}/")
    }
}

/// `/`, or `/<language>/` for a language other than the default.
fn start(language: &str, default_language: &str, capacity: usize) -> String {
    let mut url = String::with_capacity(capacity + language.len() + 2);
    url.push('/');
    if language != default_language {
        url.push_str(language);
        url.push('/');
    }
    url
}

pub fn home(language: &str, default_language: &str) -> String {
    format!("/{}", prefix(language, default_language))
}

pub fn document(key: &str, language: &str, default_language: &str) -> String {
    let mut url = start(language, default_language, key.len() + 1);
    url.push_str(key);
    url.push('/');
    url
}

pub fn versions(key: &str, language: &str, default_language: &str) -> String {
    let mut url = start(language, default_language, key.len() + 10);
    url.push_str(key);
    url.push_str("/versions/");
    url
}

pub fn version(key: &str, language: &str, default_language: &str, version: &str) -> String {
    let mut url = start(language, default_language, key.len() + version.len() + 11);
    url.push_str(key);
    url.push_str("/versions/");
    url.push_str(version);
    url.push('/');
    url
}

/// The redline page of the version page at `version_url`.
pub fn changes_of(version_url: &str) -> String {
    format!("{version_url}changes/")
}

pub fn page_file(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// What relative links between source files can reach, as on GitHub: a
/// document's folder (`../terms/`), a version's file
/// (`../terms/2025-03-01.en.md`), an attachment (`key.pub`) or `content/`
/// itself. Paths are relative to `content/`, `/`-separated.
#[derive(Debug, Default)]
pub struct ContentIndex {
    default_language: String,
    /// Each document's folder, with the languages it has (declared order).
    documents: HashMap<String, Vec<String>>,
    /// Each version file, with the site path of its version page.
    versions: HashMap<String, String>,
    attachments: HashSet<String>,
    /// Identifies the index, for caches keyed by what a body links to.
    fingerprint: u64,
}

impl Hash for ContentIndex {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.fingerprint.hash(state);
    }
}

impl ContentIndex {
    /// `documents`: (folder, its languages); `versions`: (file, version
    /// page); `attachments`: files.
    pub fn new(
        default_language: &str,
        documents: Vec<(String, Vec<String>)>,
        versions: Vec<(String, String)>,
        attachments: Vec<String>,
    ) -> Self {
        let mut hasher = std::hash::DefaultHasher::new();
        (default_language, &documents, &versions, &attachments).hash(&mut hasher);
        Self {
            default_language: default_language.to_string(),
            documents: documents.into_iter().collect(),
            versions: versions.into_iter().collect(),
            attachments: attachments.into_iter().collect(),
            fingerprint: hasher.finish(),
        }
    }

    /// What relative link `dest` reaches from a file in folder `from`
    /// (under `content/`) on a page in `language`: the site path (with
    /// `dest`'s query and fragment) of a document, version file, attachment
    /// or `content/` itself, or the path under `content/` that holds none of
    /// them. `None` for a link that is not relative or leads out of
    /// `content/`.
    pub fn resolve(&self, from: &str, language: &str, dest: &str) -> Option<Resolved> {
        let is_relative =
            !dest.is_empty() && !dest.starts_with(['/', '#', '?']) && !has_scheme(dest);
        if !is_relative {
            return None;
        }
        let split = dest.find(['?', '#']).unwrap_or(dest.len());
        let (path, suffix) = dest.split_at(split);
        let path = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        let target = join(from, &path)?;
        if let Some(page) = self.page(&target, language) {
            return Some(Resolved::Page(format!("{page}{suffix}")));
        }
        // Sites that published pages at addresses without a trailing `/`
        // (`/policies/abuse`) had relative links read from the folder above
        // (`abuse/how-we-handle/` from `abuse`): so that archived text keeps
        // them, such a link is read that way when the first reaches nothing.
        let parent = from.rsplit_once('/').map_or("", |(parent, _)| parent);
        if let Some(page) = join(parent, &path).and_then(|t| self.page(&t, language)) {
            return Some(Resolved::Page(format!("{page}{suffix}")));
        }
        Some(Resolved::Nothing(target))
    }

    /// The site path of what `target` (under `content/`) is, on a page in
    /// `language`.
    fn page(&self, target: &str, language: &str) -> Option<String> {
        if target.is_empty() {
            return Some(home(language, &self.default_language));
        }
        if let Some(languages) = self.documents.get(target) {
            // The linking page's language, else the default, else the first.
            let language = [language, self.default_language.as_str()]
                .into_iter()
                .find(|l| languages.iter().any(|have| have == l))
                .or(languages.first().map(String::as_str))?;
            return Some(document(target, language, &self.default_language));
        }
        if let Some(page) = self.versions.get(target) {
            return Some(page.clone());
        }
        if self.attachments.contains(target) {
            // Written in a link: encoded again (`Overview%20Deck.pdf`).
            const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
                .add(b' ')
                .add(b'"')
                .add(b'#')
                .add(b'%')
                .add(b'<')
                .add(b'>')
                .add(b'?')
                .add(b'`')
                .add(b'{')
                .add(b'}');
            return Some(format!(
                "/{}",
                percent_encoding::utf8_percent_encode(target, PATH)
            ));
        }
        None
    }
}

/// `path` read from folder `from` (both under `content/`), without `.` and
/// `..`; `None` if it leads out of `content/`.
fn join(from: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// What a relative link between sources reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A site path, with the link's query and fragment.
    Page(String),
    /// Nothing: the path under `content/` it names.
    Nothing(String),
}

/// `mailto:x`, `https://x`: a scheme before any `/`.
fn has_scheme(dest: &str) -> bool {
    dest.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        assert_eq!(home("en", "en"), "/");
        assert_eq!(home("zh", "en"), "/zh/");
        assert_eq!(document("legal/dpa", "en", "en"), "/legal/dpa/");
        assert_eq!(versions("privacy", "zh", "en"), "/zh/privacy/versions/");
        assert_eq!(version("privacy", "en", "en", "2"), "/privacy/versions/2/");
        assert_eq!(
            changes_of(&version("privacy", "zh", "en", "2")),
            "/zh/privacy/versions/2/changes/"
        );
        assert_eq!(page_file("/"), "index.html");
        assert_eq!(page_file("/zh/privacy/"), "zh/privacy/index.html");
    }

    fn index() -> ContentIndex {
        ContentIndex::new(
            "en",
            vec![
                ("terms".into(), vec!["en".into(), "de".into()]),
                ("refund".into(), vec!["en".into()]),
                ("refund/hey".into(), vec!["en".into()]),
            ],
            vec![("terms/2025.en.md".into(), "/terms/versions/2025/".into())],
            vec![
                "security/key.pub".into(),
                "security/Overview Deck.pdf".into(),
            ],
        )
    }

    #[test]
    fn relative_links_between_sources() {
        let i = index();
        let r = |from: &str, lang: &str, dest: &str| match i.resolve(from, lang, dest) {
            Some(Resolved::Page(page)) => Some(page),
            other => panic!("{dest}: {other:?}"),
        };
        assert_eq!(r("refund", "en", "../terms/").as_deref(), Some("/terms/"));
        assert_eq!(r("refund", "en", "../terms").as_deref(), Some("/terms/"));
        assert_eq!(
            r("refund", "de", "../terms/#fees").as_deref(),
            Some("/de/terms/#fees")
        );
        // A language the document lacks: the default language's page.
        assert_eq!(r("terms", "de", "../refund/").as_deref(), Some("/refund/"));
        assert_eq!(r("refund", "en", "./").as_deref(), Some("/refund/"));
        assert_eq!(r("refund/hey", "en", "../").as_deref(), Some("/refund/"));
        assert_eq!(r("refund", "de", "../").as_deref(), Some("/de/"));
        assert_eq!(
            r("refund", "en", "../terms/2025.en.md?x=1").as_deref(),
            Some("/terms/versions/2025/?x=1")
        );
        assert_eq!(
            r("refund", "en", "../security/key.pub").as_deref(),
            Some("/security/key.pub")
        );
        assert_eq!(
            r("security", "en", "Overview%20Deck.pdf").as_deref(),
            Some("/security/Overview%20Deck.pdf")
        );
        // A path in content/ with nothing there.
        assert_eq!(
            i.resolve("refund", "en", "../nothing/"),
            Some(Resolved::Nothing("nothing".into()))
        );
        assert_eq!(
            i.resolve("refund/hey", "en", "nothing/"),
            Some(Resolved::Nothing("refund/hey/nothing".into()))
        );
        // Written for a page address without a trailing `/`: read from the
        // folder above when the folder itself has nothing there.
        assert_eq!(
            i.resolve("refund", "en", "terms/"),
            Some(Resolved::Page("/terms/".into()))
        );
        // Not a relative link between sources: left alone.
        for dest in [
            "../../../etc/passwd",
            "mailto:a@b.example",
            "https://example.com/terms/",
            "/terms/",
            "#fees",
        ] {
            assert_eq!(i.resolve("refund", "en", dest), None, "{dest}");
        }
    }
}
