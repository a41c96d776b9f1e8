//! The URL layout of a built site. Every path here is site-relative, starts
//! and ends with `/`, and has no base path in front (see `Config::href`).
//!
//! The default language has no prefix; every other language lives under `/<lang>/`.

/// The prefix of a language's pages: `` for the default language, `zh/` otherwise.
fn prefix(language: &str, default_language: &str) -> String {
    if language == default_language {
        String::new()
    } else {
        format!("{language}/")
    }
}

/// `/` or `/zh/`.
pub fn home(language: &str, default_language: &str) -> String {
    format!("/{}", prefix(language, default_language))
}

/// The current version of a document: `/privacy/` or `/zh/privacy/`.
pub fn document(key: &str, language: &str, default_language: &str) -> String {
    format!("/{}{key}/", prefix(language, default_language))
}

/// Every version of a document: `/privacy/versions/`.
pub fn versions(key: &str, language: &str, default_language: &str) -> String {
    format!("{}versions/", document(key, language, default_language))
}

/// One version at its stable URL: `/privacy/versions/2026-05-12/`.
pub fn version(key: &str, language: &str, default_language: &str, version: &str) -> String {
    format!("{}{version}/", versions(key, language, default_language))
}

/// What changed in a version since the one before: `/privacy/versions/2026-05-12/changes/`.
pub fn changes(key: &str, language: &str, default_language: &str, version_name: &str) -> String {
    format!(
        "{}changes/",
        version(key, language, default_language, version_name)
    )
}

/// The file that serves a page URL: `/privacy/` -> `privacy/index.html`.
/// The redline page of the version page at `version_url`.
pub fn changes_of(version_url: &str) -> String {
    format!("{version_url}changes/")
}

pub fn page_file(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
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
            changes("privacy", "zh", "en", "2"),
            "/zh/privacy/versions/2/changes/"
        );
        assert_eq!(page_file("/"), "index.html");
        assert_eq!(page_file("/zh/privacy/"), "zh/privacy/index.html");
    }
}
