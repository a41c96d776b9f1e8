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

pub fn changes(key: &str, language: &str, default_language: &str, version_name: &str) -> String {
    changes_of(&version(key, language, default_language, version_name))
}

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
